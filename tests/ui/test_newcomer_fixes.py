"""Fixes for what a newcomer driving the app by keyboard found."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QDialog

from walkthrough.gui import settings as S
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.walk_page import WalkPage
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(buffer, "JPEG")
    return buffer.getvalue()


# -- 1. Add photos stays visible however many photos there are ---------------------------------------------


def test_add_photos_stays_inside_the_strip_with_twelve_photos(open_wt, qtbot) -> None:
    observation_id = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    colours = ["red", "green", "blue", "orange", "purple", "grey"]
    photos = [prepare_photo(_jpeg(colours[n % len(colours)]), f"photo {n}.jpg") for n in range(12)]
    open_wt.add_photos(observation_id, photos)
    page = WalkPage(open_wt)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == observation_id)
    strip = editor.photos
    qtbot.waitUntil(lambda: len(strip.photo_buttons()) == 12)
    add = strip.tab_stops()[-2]
    qtbot.wait(50)  # let queued layout requests run
    buttons = [*strip.photo_buttons(), add]
    assert max(b.geometry().bottom() for b in buttons) > min(b.geometry().bottom() for b in buttons), \
        "the thumbnails should wrap onto a second line at this width"
    inside = QRect(QPoint(0, 0), strip.size())
    for button in buttons:
        assert inside.contains(button.geometry()), (button.accessibleName(), button.geometry(), strip.size())
    # Nor does the editor clip the strip.
    editor_rect = QRect(QPoint(0, 0), editor.size())
    top_left = strip.mapTo(editor, QPoint(0, 0))
    assert editor_rect.contains(QRect(top_left, strip.size()))


def test_add_photos_stays_inside_the_strip_as_photos_are_added_one_by_one(open_wt, qtbot) -> None:
    observation_id = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    page = WalkPage(open_wt)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == observation_id)
    strip = editor.photos
    add = strip.tab_stops()[-2]
    for n in range(12):
        open_wt.add_photos(observation_id, [prepare_photo(_jpeg("teal"), f"photo {n}.jpg")])
        qtbot.wait(20)
        inside = QRect(QPoint(0, 0), strip.size())
        assert inside.contains(add.geometry()), (n + 1, add.geometry(), strip.size())
    assert add.geometry().top() > strip.photo_buttons()[0].geometry().bottom()  # it wrapped, and shows


# -- 2. Report options: Enter writes the report; an emptied marking keeps the old one ---------------------


def _report_dialog(test_lens, settings, qtbot):
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog

    dialog = ReportOptionsDialog(test_lens, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_in_the_marking_box_presses_write_report(test_lens, settings, qtbot) -> None:
    dialog = _report_dialog(test_lens, settings, qtbot)
    write = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert write.isDefault()
    edit = dialog.marking.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "RESTRICTED")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.options().protective_marking == "RESTRICTED"
    assert dialog.marking.count() == 3  # the typed marking was not added to the list


def test_a_marking_box_emptied_by_mistake_keeps_the_previous_marking(test_lens, settings, qtbot) -> None:
    settings.set(S.REPORT_MARKING, "OFFICIAL")
    dialog = _report_dialog(test_lens, settings, qtbot)
    edit = dialog.marking.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert dialog.marking.currentText() == ""
    assert dialog.options().protective_marking == "OFFICIAL"
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.marking.currentText() == "OFFICIAL"  # shown, not changed unseen
    dialog.remember()
    assert settings.get(S.REPORT_MARKING) == "OFFICIAL"


def test_no_marking_chosen_from_the_list_is_remembered(test_lens, settings, qtbot) -> None:
    settings.set(S.REPORT_MARKING, "OFFICIAL")
    dialog = _report_dialog(test_lens, settings, qtbot)
    dialog.marking.setFocus()
    # Down from OFFICIAL to "(no marking)", as the arrow keys choose from the list.
    qtbot.keyClick(dialog.marking, Qt.Key.Key_Down)
    assert dialog.marking.currentData() == ""
    assert dialog.options().protective_marking == ""
    dialog.remember()
    assert settings.get(S.REPORT_MARKING) == ""


# -- 3. An action made from findings starts with their principles ticked ------------------------------------


def test_an_action_from_findings_starts_with_their_principles_ticked(open_wt, qtbot) -> None:
    from walkthrough.gui.views.action_dialog import ActionDialog

    safety = open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-clear",
                                                    principle_ids=("safety",)))
    trust = open_wt.add_observation(NewObservation("reception", "priority-concern", "reception-privacy",
                                                   principle_ids=("trust", "safety")))
    open_wt.add_observation(NewObservation("letters", "could-be-better", "letters-plain", principle_ids=("choice",)))
    dialog = ActionDialog(None, open_wt, preselected_observation_ids=[safety, trust])
    qtbot.addWidget(dialog)
    ticked = {pid for pid, check in dialog.principle_checks.items() if check.isChecked()}
    assert ticked == {"safety", "trust"}  # the union; not the unlinked finding's "choice"
    dialog.principle_checks["safety"].setChecked(False)  # only a starting choice
    dialog.text_edit.setPlainText("Screen at reception")
    new = dialog.result_value()
    assert new.principle_ids == ("trust",) and set(new.observation_ids) == {safety, trust}


def test_a_new_action_without_findings_starts_with_no_principles(open_wt, qtbot) -> None:
    from walkthrough.gui.views.action_dialog import ActionDialog

    open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-clear", principle_ids=("safety",)))
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    assert not any(check.isChecked() for check in dialog.principle_checks.values())


# -- 4. The plan hides component groups with no actions ------------------------------------------------------


def _group_rows(model) -> list[tuple[str | None, int]]:
    from walkthrough.gui.models.action_table_model import ActionTableModel

    rows = []
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        assert index.data(ActionTableModel.IsGroupRole)
        rows.append((index.data(ActionTableModel.ComponentIdRole), model.rowCount(index)))
    return rows


@pytest.fixture
def general_plan(db, qapp) -> OpenWalkthrough:
    from walkthrough.services.lens_catalog import load_catalog
    from walkthrough.services.walkthroughs import create_walkthrough

    lens = load_catalog().get("general").lens
    record = create_walkthrough(db, lens, service="Harbour Recovery Service", site="Leith")
    return OpenWalkthrough(db, record.id)


def test_the_plan_shows_only_component_groups_that_have_actions(general_plan, qtbot, qtmodeltester) -> None:
    from walkthrough.domain.vocabulary import ActionStatus
    from walkthrough.gui.views.plan_page import PlanPage
    from walkthrough.services.actions import NewAction

    ow = general_plan
    ow.add_action(NewAction("Managers walk the route", component_id="leadership"))
    ow.add_action(NewAction("Budget for a quiet room", component_id="budgets", status=ActionStatus.DONE))
    page = PlanPage(ow)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.model.grouped
    assert _group_rows(page.proxy) == [("leadership", 1), ("budgets", 1)]  # lens order, no "(0)" groups
    assert all("(0)" not in page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount()))

    # A filter that leaves a group empty hides it too.
    page.proxy.set_status_filter([ActionStatus.DONE])
    assert _group_rows(page.proxy) == [("budgets", 1)]
    page.proxy.set_status_filter(None)

    # A group appears with its first action (opened) and goes with its last.
    ow.add_action(NewAction("Peer supporters on the interview panel", component_id="power-sharing"))
    assert _group_rows(page.proxy) == [("leadership", 1), ("power-sharing", 1), ("budgets", 1)]
    assert page.tree.isExpanded(page.proxy.index(1, 0))
    ow.undo_stack.undo()
    assert _group_rows(page.proxy) == [("leadership", 1), ("budgets", 1)]
    qtmodeltester.check(page.proxy)
