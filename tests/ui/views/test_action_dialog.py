"""The action dialog's due date: typed as written, refused when not a date, asked about when past."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from walkthrough.gui.views.action_dialog import ActionDialog
from walkthrough.gui.views.plan_page import PlanPage
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier


@pytest.fixture
def plan_page(open_wt, qtbot, en_gb_locale) -> PlanPage:
    page = PlanPage(open_wt)
    qtbot.addWidget(page)
    return page


@pytest.fixture
def keep_past(monkeypatch) -> list[dt.date]:
    """Answers "keep it" to the past-date question, and lists the dates it was asked about."""
    asked: list[dt.date] = []

    def keep(parent, day: dt.date) -> bool:
        asked.append(day)
        return True

    monkeypatch.setattr(ActionDialog, "keep_past_due_date", classmethod(lambda cls, parent, day: keep(parent, day)),
                        raising=False)
    return asked


def retype(widget, text: str) -> None:
    """Select what the field holds and type ``text`` over it, as a person does (Ctrl+A, then the keys)."""
    target = widget.focusProxy() or widget
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Tab)  # and move on


def answer_with_due_date(monkeypatch, qtbot, typed: str) -> list[ActionDialog]:
    """Make the dialog, when it opens, get an action typed with ``typed`` as its due date and OK pressed."""
    shown: list[ActionDialog] = []

    def exec_(dialog: ActionDialog) -> int:
        shown.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.text_edit.setPlainText("Move the reception screen")
        dialog.no_due_check.setChecked(False)
        retype(dialog.due_edit, typed)
        if dialog.ok_button.isEnabled():
            dialog.ok_button.click()
        else:
            dialog.accept()  # as if OK could be pressed anyway: the dialog itself refuses too
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", exec_)
    return shown


@pytest.mark.parametrize(("typed", "day"), [
    ("15 Dec 2026", dt.date(2026, 12, 15)),
    ("20 Dec 2026", dt.date(2026, 12, 20)),
    ("15/12/2026", dt.date(2026, 12, 15)),
    ("2026-12-15", dt.date(2026, 12, 15)),
])
def test_a_typed_due_date_is_stored_as_written(plan_page, open_wt, monkeypatch, qtbot, keep_past, typed, day) -> None:
    answer_with_due_date(monkeypatch, qtbot, typed)
    assert plan_page.new_action() is not None
    assert [a.due_date for a in open_wt.actions()] == [day]


@pytest.mark.parametrize("typed", ["31 Feb 2026", "banana"])
def test_a_due_date_that_is_not_a_date_is_refused_and_nothing_is_stored(plan_page, open_wt, monkeypatch, qtbot,
                                                                         typed) -> None:
    shown = answer_with_due_date(monkeypatch, qtbot, typed)
    assert plan_page.new_action() is None
    assert open_wt.actions() == []
    dialog = shown[0]
    assert not dialog.ok_button.isEnabled()
    assert f"“{typed}” is not a date" in dialog.due_edit.message.text()
    assert dialog.due_edit.message.isVisible()


def test_a_past_due_date_is_asked_about_once_and_kept_when_the_user_says_so(plan_page, open_wt, monkeypatch,
                                                                          qtbot) -> None:
    past = dt.date.today() - dt.timedelta(days=40)
    questions: list[str] = []

    def answer(button: QMessageBox.StandardButton, tries: int = 300) -> None:
        """Answer the question box with ``button`` once it is open (checking every 10 ms, up to 3 s)."""
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            questions.append(box.text())
            box.button(button).click()
        elif tries:
            QTimer.singleShot(10, lambda: answer(button, tries - 1))

    shown = answer_with_due_date(monkeypatch, qtbot, past.strftime("%d/%m/%Y"))
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    assert plan_page.new_action() is None  # "No": the dialog stayed open for another date
    written = QLocale().toString(past, "d MMM yyyy")
    assert questions == [f"{written} is in the past. Keep it?"]
    assert shown[0].focusWidget() is shown[0].due_edit.line_edit  # ready for another date

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    assert plan_page.new_action() is not None
    assert len(questions) == 2
    assert [a.due_date for a in open_wt.actions()] == [past]


def test_a_past_due_date_already_kept_is_not_asked_about_again(open_wt, qtbot, keep_past, en_gb_locale) -> None:
    past = dt.date.today() - dt.timedelta(days=3)
    action_id = open_wt.add_action(NewAction("Fix the door", due_date=past))
    record = next(a for a in open_wt.actions() if a.id == action_id)
    dialog = ActionDialog(None, open_wt, action=record)
    qtbot.addWidget(dialog)
    dialog.owner_edit.setText("Estates")
    dialog.ok_button.click()
    assert dialog.result() == ActionDialog.DialogCode.Accepted
    assert keep_past == []

    new = ActionDialog(None, open_wt)
    qtbot.addWidget(new)
    new.text_edit.setPlainText("Paint the door")
    new.no_due_check.setChecked(False)
    new.due_edit.setDate(past)
    new.ok_button.click()
    new.ok_button.click()  # a second OK of the same dialog, e.g. after a refusal elsewhere
    assert keep_past == [past]


@pytest.mark.parametrize(("key", "modifiers"), [(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
                                                (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier)],
                         ids=["alt-down", "f4"])
def test_alt_down_and_f4_open_the_due_date_calendar(open_wt, qtbot, en_gb_locale, key, modifiers) -> None:
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.no_due_check.setChecked(False)
    dialog.due_edit.setFocus()
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.isVisible()
    popup.close()


# -- An action made from findings starts with their principles ticked ------------------------------------


def test_an_action_from_findings_starts_with_their_principles_ticked(open_wt, qtbot) -> None:
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
    open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-clear", principle_ids=("safety",)))
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    assert not any(check.isChecked() for check in dialog.principle_checks.values())


# -- Ctrl+Enter adds the action from anywhere in its dialog -----------------------------------------------


@pytest.fixture
def action_dialog(open_wt, qtbot) -> ActionDialog:
    open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-clear"))
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def type_action(dialog: ActionDialog, text: str) -> None:
    dialog.text_edit.setFocus()
    QTest.keyClicks(dialog.text_edit, text)


@pytest.mark.parametrize("modifiers", [CTRL, CTRL | KEYPAD], ids=["ctrl+return", "ctrl+keypad-enter"])
def test_ctrl_enter_in_the_action_text_adds_the_action(action_dialog, modifiers) -> None:
    type_action(action_dialog, "Put a sign at the bus stop")
    key = Key.Key_Enter if modifiers & KEYPAD else Key.Key_Return
    QTest.keyClick(action_dialog.text_edit, key, modifiers)
    assert action_dialog.result() == QDialog.DialogCode.Accepted
    assert not action_dialog.isVisible()
    assert action_dialog.result_value().text == "Put a sign at the bus stop"  # no new line added


@pytest.mark.parametrize("field", [
    lambda d: d.owner_edit,
    lambda d: d.priority_combo,
    lambda d: d.no_due_check,
    lambda d: d.findings_list,
    lambda d: d.principle_checks[next(iter(d.principle_checks))],
], ids=["owner", "priority", "no-due-date", "findings", "principle"])
def test_ctrl_enter_adds_the_action_from_every_field(action_dialog, field: Callable[[ActionDialog], QWidget]) -> None:
    type_action(action_dialog, "Put a sign at the bus stop")
    widget = field(action_dialog)
    widget.setFocus()
    assert QApplication.focusWidget() is widget
    QTest.keyClick(widget, Key.Key_Return, CTRL)
    assert action_dialog.result() == QDialog.DialogCode.Accepted


def test_plain_enter_in_the_action_text_still_starts_a_new_line(action_dialog) -> None:
    type_action(action_dialog, "Put a sign")
    QTest.keyClick(action_dialog.text_edit, Key.Key_Return)
    QTest.keyClicks(action_dialog.text_edit, "at the bus stop")
    assert action_dialog.isVisible()
    assert action_dialog.text_edit.toPlainText() == "Put a sign\nat the bus stop"


def test_ctrl_enter_does_nothing_before_there_is_any_text(action_dialog) -> None:
    action_dialog.text_edit.setFocus()
    QTest.keyClick(action_dialog.text_edit, Key.Key_Return, CTRL)
    assert action_dialog.isVisible()
    assert action_dialog.result() == QDialog.DialogCode.Rejected  # (the value before any answer)


def test_the_action_text_says_how_to_add_the_action_by_keyboard(action_dialog) -> None:
    tip = action_dialog.text_edit.toolTip()
    assert "Ctrl+Enter" in tip and "new line" in tip
    # A screen reader hears it too (Qt gives the tooltip as the description).
    described = QAccessible.queryAccessibleInterface(action_dialog.text_edit).text(QAccessible.Text.Description)
    assert "Ctrl+Enter" in described
