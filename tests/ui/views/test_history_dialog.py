"""The history window: reached by keyboard from an observation and from the plan, read, and closed with Esc."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.models.change_history_model import HistoryColumn
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.history_dialog import HistoryDialog
from walkthrough.gui.views.plan_page import PlanPage
from walkthrough.gui.views.review_page import ReviewPage
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press_history(widget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_H, CTRL_SHIFT)


def opened(host, qtbot) -> HistoryDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in host.findChildren(HistoryDialog)), timeout=3000)
    dialog = next(d for d in host.findChildren(HistoryDialog) if d.isVisible())
    # It takes the keyboard: its list, on the newest change.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table, timeout=3000)
    return dialog


def rows(dialog: HistoryDialog) -> list[str]:
    model = dialog.model
    return [model.index(r, HistoryColumn.WHAT).data() for r in range(model.rowCount())]


def activate(widget, qtbot) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def test_the_dialog_lists_the_changes_newest_first_and_esc_closes_it(open_wt, qtbot) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well", note="Door wedged open"))
    open_wt.edit_observation(oid, rating_id="could-be-better")
    dialog = HistoryDialog(open_wt, oid)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog, qtbot)
    assert rows(dialog) == ["Rating set to “Could be better”", "Created"]
    assert "Door wedged open" in dialog.heading.text()
    # The list has the keyboard, on the newest change.
    assert QApplication.focusWidget() is dialog.table
    assert dialog.table.currentIndex().row() == 0
    QTest.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_observation_card_opens_its_history_with_ctrl_shift_h_from_the_note(page, open_wt, qtbot) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "could-be-better", prompt_id="entrance-clear"))
    activate(page, qtbot)
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == oid)
    editor.note.setFocus()
    qtbot.waitUntil(editor.note.hasFocus)
    QTest.keyClicks(editor.note, "Sign faces the car park")
    press_history(editor.note)
    dialog = opened(page, qtbot)
    # What was just typed is saved first, so it is in the history.
    assert rows(dialog)[0] == "Note changed: “Sign faces the car park”"
    assert rows(dialog)[-1] == "Created"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_blank_observation_has_no_history_to_show(page, qtbot) -> None:
    blank = page.cards()[0].editors[0]
    assert blank.is_blank and not blank.history_act.isEnabled()
    activate(page, qtbot)
    blank.setFocus()
    press_history(blank)
    QApplication.processEvents()
    assert not page.findChildren(HistoryDialog)


def test_the_observation_the_findings_and_the_plan_offer_history_in_their_menus(page, open_wt, qtbot) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well"))
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == oid)
    assert [a.text() for a in editor.context_menu().actions()] == ["&History…"]
    note_menu = [a.text() for a in editor.note.context_menu(editor.note.rect().center()).actions()]
    assert note_menu[-1] == "&History…" and len(note_menu) > 3  # after the note's Cut, Copy, Paste…
    review = ReviewPage(open_wt)
    qtbot.addWidget(review)
    assert [a.text() for a in review.table_menu().actions()] == ["&History…"]
    assert not review.history_act.isEnabled()  # nothing selected yet
    plan = PlanPage(open_wt)
    qtbot.addWidget(plan)
    assert "&History…" in [a.text() for a in plan.tree_menu().actions()]


def test_the_plan_opens_the_current_actions_history_by_keyboard(open_wt, qtbot) -> None:
    aid = open_wt.add_action(NewAction(text="Move the sign to face the street", owner="Estates"))
    open_wt.edit_action(aid, status="done")
    plan = PlanPage(open_wt)
    qtbot.addWidget(plan)
    plan.resize(1024, 700)
    plan.show()
    activate(plan, qtbot)
    plan.tree.setFocus()
    plan.tree.clearSelection()
    plan.tree.setCurrentIndex(plan.proxy.index(-1, -1))
    assert not plan.history_act.isEnabled()  # nothing current
    assert plan.select_action(aid)
    assert plan.history_act.isEnabled()
    press_history(plan.tree)
    dialog = opened(plan, qtbot)
    assert rows(dialog) == ["Status set to Done", "Created"]
    assert dialog.heading.text() == "Action: Move the sign to face the street"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_review_opens_the_selected_findings_history(open_wt, qtbot) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "priority-concern", note="No ramp"))
    review = ReviewPage(open_wt)
    qtbot.addWidget(review)
    review.resize(1024, 700)
    review.show()
    activate(review, qtbot)
    review.table_view.setFocus()
    assert review.select_observation(oid)
    assert review.history_action().isEnabled()
    press_history(review.table_view)
    dialog = opened(review, qtbot)
    assert rows(dialog) == ["Created"]
    dialog.reject()


def test_the_edit_menu_opens_the_history_of_what_the_keyboard_is_on(db, walkthrough_id, qtbot, tmp_path: Path) -> None:
    window = MainWindow(db, Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    window._update_history_command()
    assert not window.history_command.isEnabled()  # the start page: nothing to show
    window.open_walkthrough(walkthrough_id)
    oid = window.current.add_observation(NewObservation("entrance", "working-well", prompt_id="entrance-clear"))
    activate(window, qtbot)
    editor = next(e for card in window.walk_page.cards() for e in card.editors if e.observation_id == oid)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    window._update_history_command()  # as the Edit menu opens
    assert window.history_command.isEnabled()
    assert window.history_command.shortcut().toString() == "Ctrl+Shift+H"
    window.history_command.trigger()
    dialog = opened(window, qtbot)
    assert rows(dialog) == ["Created"]
    dialog.reject()
