"""Progress updates of an action (walkthrough/services/progress_updates.py): made, undone, deleted, replayed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.services.test_apply import rebuilt_from_history, table_rows
from tests.unit.services.test_replay import assert_replays_to_the_same_rows
from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.errors import EmptyValue, NotFound
from walkthrough.domain.vocabulary import ActionStatus, OnTrack
from walkthrough.services import actions, history
from walkthrough.services.progress_updates import NewProgressUpdate, add_progress_update, list_progress_updates
from walkthrough.services.undo import UndoHistory
from walkthrough.storage.database import open_database


@pytest.fixture
def action_id(db, walkthrough_id: str) -> str:
    return actions.add_action(db, walkthrough_id, actions.NewAction("Rewrite the letter", owner="Sam")).id


def test_an_update_with_a_status_sets_the_actions_status_in_the_same_operation(db, walkthrough_id, action_id):
    history.set_device(db, person="Ana")
    with history.collect_changes() as collected:
        update = add_progress_update(db, action_id, NewProgressUpdate(
            "Draft shared with the group", date=dt.date(2027, 3, 9), status=ActionStatus.IN_PROGRESS,
            on_track=OnTrack.AT_RISK))
    assert (update.written_by, update.status, update.on_track) == ("Ana", ActionStatus.IN_PROGRESS, OnTrack.AT_RISK)
    action = actions.get_action(db, action_id)
    assert (action.status, action.on_track) == (ActionStatus.IN_PROGRESS, OnTrack.AT_RISK)
    assert collected.changes.was_created(Entity.PROGRESS_UPDATE, update.id)
    assert collected.changes.fields(Entity.ACTION, action_id) == {"status", "on_track"}
    made = history.list_history(db, walkthrough_id)[:3]
    assert len({(c.device_id, c.operation) for c in made}) == 1  # one operation
    assert {(c.entity, c.kind) for c in made} == {(Entity.PROGRESS_UPDATE, ChangeKind.CREATE),
                                                  (Entity.ACTION, ChangeKind.SET)}


def test_an_update_keeps_the_status_it_was_written_under_and_they_list_by_date(db, action_id):
    later = add_progress_update(db, action_id, NewProgressUpdate("Done", date=dt.date(2027, 5, 1),
                                                                 status=ActionStatus.DONE, written_by="Lee"))
    earlier = add_progress_update(db, action_id, NewProgressUpdate("Started late", date=dt.date(2027, 4, 1)))
    assert earlier.status is ActionStatus.DONE and earlier.on_track is None  # the action's, when written
    assert [u.id for u in list_progress_updates(db, action_id)] == [earlier.id, later.id]
    assert list_progress_updates(db, action_id)[1].written_by == "Lee"


def test_an_update_that_says_nothing_or_names_no_action_is_refused(db, action_id):
    with pytest.raises(EmptyValue, match="says nothing"):
        add_progress_update(db, action_id, NewProgressUpdate("   "))
    with pytest.raises(NotFound, match="no action with id 'nope'"):
        add_progress_update(db, "nope", NewProgressUpdate("Note"))
    assert list_progress_updates(db, action_id) == []


def test_undo_takes_back_the_update_and_the_status_it_set_in_one_step(db, walkthrough_id, action_id):
    steps = UndoHistory(db, walkthrough_id)
    done = steps.add_progress_update(action_id, NewProgressUpdate("Going well", status=ActionStatus.IN_PROGRESS,
                                                                  on_track=OnTrack.ON_TRACK))
    assert steps.undo_text == "add_progress_update" and len(steps.steps) == 1
    undone = steps.undo()
    assert undone.was_deleted(Entity.PROGRESS_UPDATE, done.id)
    action = actions.get_action(db, action_id)
    assert (action.status, action.on_track) == (ActionStatus.NOT_STARTED, None)
    assert list_progress_updates(db, action_id) == []
    steps.redo()
    assert [u.id for u in list_progress_updates(db, action_id)] == [done.id]
    assert actions.get_action(db, action_id).on_track is OnTrack.ON_TRACK


def test_deleting_the_action_deletes_its_updates_and_erases_their_notes_from_the_history(db, walkthrough_id,
                                                                                        action_id):
    add_progress_update(db, action_id, NewProgressUpdate("Private detail"))
    actions.delete_action(db, action_id)
    changes = history.list_history(db, walkthrough_id)
    assert all(c.value is None for c in changes if c.entity is Entity.PROGRESS_UPDATE)
    with pytest.raises(NotFound):
        list_progress_updates(db, action_id)


def test_updates_and_their_undo_replay_and_rebuild_to_the_same_rows(db, walkthrough_id, action_id, tmp_path):
    steps = UndoHistory(db, walkthrough_id)
    add_progress_update(db, action_id, NewProgressUpdate("First", status=ActionStatus.IN_PROGRESS))
    steps.add_progress_update(action_id, NewProgressUpdate("Second", on_track=OnTrack.OFF_TRACK))
    steps.undo()
    steps.redo()
    steps.add_progress_update(action_id, NewProgressUpdate("Third", status=ActionStatus.DONE))
    steps.undo()
    gone = actions.add_action(db, walkthrough_id, actions.NewAction("Gone"))
    add_progress_update(db, gone.id, NewProgressUpdate("Gone too"))
    actions.delete_action(db, gone.id)
    with open_database(tmp_path / "replayed.sqlite3") as target:
        assert_replays_to_the_same_rows(db, target)
    with rebuilt_from_history(db, tmp_path / "rebuilt.sqlite3") as rebuilt:
        assert table_rows(rebuilt) == table_rows(db)


def test_undoing_the_deletion_of_an_action_puts_its_updates_back(db, walkthrough_id, action_id, tmp_path):
    steps = UndoHistory(db, walkthrough_id)
    first = add_progress_update(db, action_id, NewProgressUpdate("First", date=dt.date(2026, 1, 5)))
    second = steps.add_progress_update(action_id, NewProgressUpdate("Second", status=ActionStatus.DONE))
    steps.delete_action(action_id)
    steps.undo()
    assert [u.id for u in list_progress_updates(db, action_id)] == [first.id, second.id]
    assert actions.get_action(db, action_id).status is ActionStatus.DONE
    steps.redo()
    steps.undo()
    assert [u.note for u in list_progress_updates(db, action_id)] == ["First", "Second"]
    made = UndoHistory(db, walkthrough_id)
    new = made.add_action(actions.NewAction("Made, updated, undone, redone"))
    add_progress_update(db, new.id, NewProgressUpdate("Kept"))
    made.undo()
    made.redo()
    assert [u.note for u in list_progress_updates(db, new.id)] == ["Kept"]
    with open_database(tmp_path / "replayed.sqlite3") as target:
        assert_replays_to_the_same_rows(db, target)
    with rebuilt_from_history(db, tmp_path / "rebuilt.sqlite3") as rebuilt:
        assert table_rows(rebuilt) == table_rows(db)
