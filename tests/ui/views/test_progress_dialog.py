"""An action's progress in the window: the dialog's new fields, the on-track column, progress updates."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from tests.ui.views.test_plan_page import Plan, database, page, plan  # noqa: F401 (fixtures)
from walkthrough.domain.vocabulary import ActionStatus, OnTrack
from walkthrough.gui.models.action_table_model import ActionColumn
from walkthrough.gui.views.action_dialog import ActionDialog
from walkthrough.gui.views.plan_page import PlanPage
from walkthrough.gui.views.progress_dialog import ProgressDialog
from walkthrough.services import history
from walkthrough.services.actions import NewAction
from walkthrough.services.progress_updates import NOT_SAID, NewProgressUpdate

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


# -- the action dialog's new fields -----------------------------------------------------------------------


def test_a_new_action_gets_its_lead_on_track_success_measure_and_mat_standards(open_wt, qtbot) -> None:
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    dialog.text_edit.setPlainText("Offer appointment times people can choose")
    QTest.keyClicks(dialog.lead_edit, "Service manager")
    QTest.keyClicks(dialog.measure_edit, "Fewer missed first appointments")
    dialog.on_track_combo.setCurrentIndex(dialog.on_track_combo.findData("at-risk"))
    dialog.mat_checks[3].setChecked(True)
    dialog.mat_checks[10].setChecked(True)
    new = dialog.result_value()
    assert isinstance(new, NewAction)
    assert (new.lead, new.on_track, new.success_measure, new.mat_standards) == (
        "Service manager", OnTrack.AT_RISK, "Fewer missed first appointments", (3, 10))
    assert dialog.mat_checks[1].accessibleName() == "MAT standard 1"


def test_editing_shows_the_new_fields_and_returns_only_what_changed(open_wt, qtbot) -> None:
    action_id = open_wt.add_action(NewAction("Signs", lead="Ana", on_track=OnTrack.ON_TRACK,
                                             success_measure="People find the door", mat_standards=(2,)))
    dialog = ActionDialog(None, open_wt, action=open_wt.action(action_id))
    qtbot.addWidget(dialog)
    assert (dialog.lead_edit.text(), dialog.measure_edit.text()) == ("Ana", "People find the door")
    assert dialog.on_track_combo.currentData() == "on-track"
    assert [n for n, check in dialog.mat_checks.items() if check.isChecked()] == [2]
    assert dialog.result_value() == {}
    dialog.on_track_combo.setCurrentIndex(dialog.on_track_combo.findData(""))
    dialog.mat_checks[2].setChecked(False)
    assert dialog.result_value() == {"on_track": None, "mat_standards": ()}


# -- the plan page ----------------------------------------------------------------------------------------


def test_the_plan_shows_on_track_and_edits_it_in_place_as_one_undo_step(page: PlanPage, plan: Plan) -> None:
    leaders = plan.actions["leaders"]
    cell = page.model.index_of_action(leaders).siblingAtColumn(ActionColumn.ON_TRACK)
    assert page.model.headerData(ActionColumn.ON_TRACK, Qt.Orientation.Horizontal) == "On track"
    assert cell.data() == "" and cell.data(Qt.ItemDataRole.AccessibleTextRole) == "On track: not said"
    assert page.model.setData(cell, "off-track")
    assert cell.data() == "Off track" and plan.stored()[leaders].on_track is OnTrack.OFF_TRACK
    plan.ow.undo_stack.undo()
    assert page.model.index_of_action(leaders).siblingAtColumn(ActionColumn.ON_TRACK).data() == ""


def test_ctrl_shift_u_adds_a_progress_update_that_undo_takes_back_with_its_status(page: PlanPage, plan: Plan,
                                                                                  qtbot, monkeypatch) -> None:
    asked: list[str] = []

    def fake_ask(parent, open_walkthrough, action_id):
        asked.append(action_id)
        return NewProgressUpdate("Walked the route with Sam", status=ActionStatus.IN_PROGRESS,
                                 on_track=OnTrack.AT_RISK)

    monkeypatch.setattr(ProgressDialog, "ask", staticmethod(fake_ask))
    leaders = plan.actions["leaders"]
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.select_action(leaders)
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus)
    assert page.progress_act in page.tree_menu().actions()

    qtbot.keyClick(page.tree, Qt.Key.Key_U, CTRL_SHIFT)

    assert asked == [leaders]
    stored = plan.stored()[leaders]
    assert (stored.status, stored.on_track) == (ActionStatus.IN_PROGRESS, OnTrack.AT_RISK)
    assert [u.note for u in plan.ow.progress_updates(leaders)] == ["Walked the route with Sam"]
    row = page.model.index_of_action(leaders)
    assert row.siblingAtColumn(ActionColumn.ON_TRACK).data() == "At risk"
    assert plan.ow.undo_stack.undoText() == "Add progress update"
    plan.ow.undo_stack.undo()
    stored = plan.stored()[leaders]
    assert (stored.status, stored.on_track) == (ActionStatus.NOT_STARTED, None)
    assert plan.ow.progress_updates(leaders) == []


# -- the progress dialog ----------------------------------------------------------------------------------


@pytest.fixture
def action_id(open_wt) -> str:
    history.set_device(open_wt.db, person="Ana")
    action_id = open_wt.add_action(NewAction("Rewrite the letter"))
    open_wt.add_progress_update(action_id, NewProgressUpdate("Draft shared", date=dt.date(2026, 11, 2),
                                                             status=ActionStatus.IN_PROGRESS))
    return action_id


def test_the_dialog_lists_the_updates_and_the_status_history(open_wt, action_id, qtbot, en_gb_locale) -> None:
    dialog = ProgressDialog(None, open_wt, action_id)
    qtbot.addWidget(dialog)
    assert [dialog.updates_list.item(i).text() for i in range(dialog.updates_list.count())] == [
        "2 Nov 2026 — Ana — In progress — Draft shared"]
    history_lines = [dialog.history_list.item(i).text() for i in range(dialog.history_list.count())]
    assert [line.split(" — ", 1)[1] for line in history_lines] == [
        "Ana — Status: Not started", "Ana — Status: Not started → In progress"]


def test_the_form_starts_from_today_this_person_and_the_actions_status(open_wt, action_id, qtbot) -> None:
    dialog = ProgressDialog(None, open_wt, action_id)
    qtbot.addWidget(dialog)
    assert dialog.date_edit.date().toPython() == dt.date.today()
    assert dialog.writer_edit.text() == "Ana"
    assert dialog.status_combo.currentData() == "in-progress" and dialog.on_track_combo.currentData() == ""
    assert not dialog.ok_button.isEnabled()  # it says nothing yet
    dialog.on_track_combo.setCurrentIndex(dialog.on_track_combo.findData("on-track"))
    assert dialog.ok_button.isEnabled()
    new = dialog.result_value()
    assert (new.note, new.status, new.on_track, new.written_by) == ("", None, OnTrack.ON_TRACK, "Ana")


def test_ctrl_enter_in_the_note_adds_the_update(open_wt, action_id, qtbot) -> None:
    dialog = ProgressDialog(None, open_wt, action_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    assert dialog.note_edit.hasFocus()
    QTest.keyClicks(dialog.note_edit, "Sent to the panel")
    QTest.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    new = dialog.result_value()
    assert (new.note, new.status, new.on_track) == ("Sent to the panel", None, NOT_SAID)


def test_the_summary_counts_actions_at_risk_or_off_track(page: PlanPage, plan: Plan) -> None:
    assert "at risk" not in page.summary_label.text()
    plan.ow.edit_action(plan.actions["leaders"], on_track=OnTrack.AT_RISK)
    plan.ow.edit_action(plan.actions["chair"], on_track=OnTrack.OFF_TRACK)
    plan.ow.edit_action(plan.actions["budget"], on_track=OnTrack.ON_TRACK)
    assert "2 at risk or off track" in page.summary_label.text()
