"""A follow-up walk's Improvement plan page shows the service's whole plan, earlier walks' actions too."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from walkthrough.domain.vocabulary import ActionStatus
from walkthrough.gui.models.action_table_model import ActionColumn, ActionTableModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.action_dialog import ActionDialog
from walkthrough.gui.views.plan_page import PlanPage
from walkthrough.services import actions, history, services
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.walkthroughs import create_walkthrough

MARCH, OCTOBER = dt.date(2026, 3, 12), dt.date(2026, 10, 14)


@pytest.fixture
def walks(db, test_lens) -> dict[str, str]:
    """A service walked in March (two actions, one done, one answering a finding) and again in October."""
    march = create_walkthrough(db, test_lens, service="Harbour", site="Leith", visit_date=MARCH).id
    finding = add_observation(db, march, NewObservation(area_id="reception", prompt_id="reception-privacy", note="Overheard")).id
    door = actions.add_action(db, march, actions.NewAction("Fix the door", observation_ids=(finding,))).id
    signs = actions.add_action(db, march, actions.NewAction("New signs", status=ActionStatus.DONE)).id
    october = services.walk_again(db, march, visit_date=OCTOBER).id
    quiet = actions.add_action(db, october, actions.NewAction("A quiet room")).id
    return {"march": march, "october": october, "door": door, "signs": signs, "quiet": quiet}


@pytest.fixture
def page(db, walks, qtbot) -> PlanPage:
    ow = OpenWalkthrough(db, walks["october"])
    page = PlanPage(ow)
    qtbot.addWidget(page)
    page.group_action.setChecked(False)  # one flat list, in the plan's order
    return page


def _rows(page: PlanPage) -> list[tuple[str, str]]:
    model = page.model
    return [(model.index(r, ActionColumn.TEXT).data(), model.index(r, ActionColumn.WALK).data())
            for r in range(model.rowCount())]


def test_the_follow_up_s_plan_shows_the_earlier_walk_s_actions_with_their_walk(page, walks, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    assert [text for text, _ in _rows(page)] == ["Fix the door", "New signs", "A quiet room"]
    walk_of = [walk for _, walk in _rows(page)]
    assert walk_of[2] == "This walk" and walk_of[0] == walk_of[1] != "This walk" and "2026" in walk_of[0]
    door = page.model.index_of_action(walks["door"])
    assert door.siblingAtColumn(ActionColumn.WALK).data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        "From the walk of")
    assert door.data(ActionTableModel.OtherWalkRole).walkthrough_id == walks["march"]
    assert not page.tree.isColumnHidden(ActionColumn.WALK)
    summary = page.summary_label.text().replace("(s)", "s")  # as it reads once the catalogues are refreshed
    assert summary.startswith("3 action") and "1 done" in summary and "2 actions from other walks" in summary


def test_changing_an_earlier_action_s_status_is_recorded_under_its_walk_and_undone(db, page, walks) -> None:
    ow = page._ow
    status = page.model.index_of_action(walks["door"]).siblingAtColumn(ActionColumn.STATUS)
    assert page.model.flags(status) & Qt.ItemFlag.ItemIsEditable
    assert page.model.setData(status, ActionStatus.IN_PROGRESS.value)
    assert actions.get_action(db, walks["door"]).status == ActionStatus.IN_PROGRESS
    assert status.data() == "In progress"  # the page heard of it (OpenWalkthrough.changed)
    change = history.list_history(db, walks["march"], walks["door"])[0]
    assert (change.field, change.value) == ("status", "in-progress")  # under the walk it was made in
    assert "1 in progress" in page.summary_label.text()
    assert [c.entity_id for c in ow.history(walks["door"])][0] == walks["door"]
    ow.undo_stack.undo()
    assert actions.get_action(db, walks["door"]).status == ActionStatus.NOT_STARTED
    assert status.data() == "Not started" and "0 in progress" in page.summary_label.text()
    ow.undo_stack.redo()
    assert status.data() == "In progress"


def test_the_edit_dialog_keeps_an_earlier_action_s_findings_as_they_are(page, walks, qtbot) -> None:
    record = page._ow.action(walks["door"])
    dialog = ActionDialog(page, page._ow, action=record)
    qtbot.addWidget(dialog)
    assert dialog.findings_list.isHidden() and not dialog.other_walk_label.isHidden()
    said = dialog.other_walk_label.text()
    assert "made in the walk of 12 Mar 2026 and answers 1 finding" in said and "stay as they are" in said
    dialog.owner_edit.setText("Sam")
    assert dialog.result_value() == {"owner": "Sam"}  # its link to the March finding is not touched
    own = ActionDialog(page, page._ow, action=page._ow.action(walks["quiet"]))
    qtbot.addWidget(own)
    assert not own.findings_list.isHidden() and own.other_walk_label.isHidden()


def test_a_progress_update_on_an_earlier_action_is_one_undo_step_of_the_follow_up(db, page, walks) -> None:
    from walkthrough.services.progress_updates import NewProgressUpdate, list_progress_updates

    ow = page._ow
    assert ow.add_progress_update(walks["signs"], NewProgressUpdate("Reopened", status=ActionStatus.IN_PROGRESS))
    status = page.model.index_of_action(walks["signs"]).siblingAtColumn(ActionColumn.STATUS)
    assert status.data() == "In progress" and len(list_progress_updates(db, walks["signs"])) == 1
    ow.undo_stack.undo()
    assert status.data() == "Done" and list_progress_updates(db, walks["signs"]) == []
