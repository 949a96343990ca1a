"""The plan as at a date and an action's status history (walkthrough/services/plan_history.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from walkthrough.domain.clock import Clock, from_datetime
from walkthrough.domain.errors import NotFound
from walkthrough.domain.models import Device
from walkthrough.domain.vocabulary import ActionStatus, OnTrack
from walkthrough.services import actions, history
from walkthrough.services.plan_history import plan_as_at, status_history
from walkthrough.services.progress_updates import NewProgressUpdate, add_progress_update
from walkthrough.services.undo import UndoHistory

UTC = dt.timezone.utc


def on(db, day: dt.date) -> None:
    """What this device does next happens on ``day`` (noon UTC): its clock only moves forward."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=UTC)
    with db.sessions.begin() as session:
        session.execute(update(Device).where(Device.this_device.is_(True))
                        .values(last_clock=Clock(from_datetime(moment)).text))


MARCH, APRIL, MAY, JUNE = (dt.date(2030, 3, 10), dt.date(2030, 4, 21), dt.date(2030, 5, 30), dt.date(2030, 6, 2))


@pytest.fixture
def plan(db, walkthrough_id: str) -> dict[str, str]:
    """A plan made in March, reviewed in April and May: one action done, one going off track, one dropped."""
    history.set_device(db, person="Ana")
    on(db, MARCH)
    letter = actions.add_action(db, walkthrough_id, actions.NewAction("Rewrite the letter", owner="Sam")).id
    signs = actions.add_action(db, walkthrough_id, actions.NewAction("New signs", on_track=OnTrack.ON_TRACK)).id
    dropped = actions.add_action(db, walkthrough_id, actions.NewAction("Dropped idea")).id
    on(db, APRIL)
    add_progress_update(db, letter, NewProgressUpdate("Draft out", status=ActionStatus.IN_PROGRESS))
    actions.update_action(db, signs, on_track=OnTrack.AT_RISK)
    late = actions.add_action(db, walkthrough_id, actions.NewAction("Added in April")).id
    on(db, MAY)
    add_progress_update(db, letter, NewProgressUpdate("Sent", status=ActionStatus.DONE, on_track=OnTrack.ON_TRACK,
                                                      written_by="Lee"))
    actions.update_action(db, signs, on_track=OnTrack.OFF_TRACK, text="New signs, in two languages")
    actions.delete_action(db, dropped)
    return {"letter": letter, "signs": signs, "late": late}


def test_the_plan_as_at_each_date_is_what_it_was_then(db, walkthrough_id, plan) -> None:
    def at(day: dt.date) -> list[tuple[str, ActionStatus, OnTrack | None]]:
        return [(a.text, a.status, a.on_track) for a in plan_as_at(db, walkthrough_id, day, tz=UTC)]

    assert at(MARCH - dt.timedelta(days=1)) == []
    assert at(MARCH) == [("Rewrite the letter", ActionStatus.NOT_STARTED, None),
                         ("New signs", ActionStatus.NOT_STARTED, OnTrack.ON_TRACK)]  # the dropped one is erased
    assert at(APRIL) == [("Rewrite the letter", ActionStatus.IN_PROGRESS, None),
                         ("New signs", ActionStatus.NOT_STARTED, OnTrack.AT_RISK),
                         ("Added in April", ActionStatus.NOT_STARTED, None)]
    assert at(MAY) == at(JUNE) == [("Rewrite the letter", ActionStatus.DONE, OnTrack.ON_TRACK),
                                   ("New signs, in two languages", ActionStatus.NOT_STARTED, OnTrack.OFF_TRACK),
                                   ("Added in April", ActionStatus.NOT_STARTED, None)]
    assert plan_as_at(db, walkthrough_id, JUNE, tz=UTC) == actions.list_actions(db, walkthrough_id)


def test_the_end_of_a_date_is_in_the_zone_asked_for(db, walkthrough_id, plan) -> None:
    # Noon UTC on the 21st of April is already the 22nd at Kiritimati (UTC+14).
    kiritimati = dt.timezone(dt.timedelta(hours=14))
    assert plan_as_at(db, walkthrough_id, APRIL, tz=kiritimati)[0].status is ActionStatus.NOT_STARTED
    assert plan_as_at(db, walkthrough_id, APRIL + dt.timedelta(days=1), tz=kiritimati)[0].status \
        is ActionStatus.IN_PROGRESS


def test_an_actions_status_history_says_when_who_and_from_what_to_what(db, plan) -> None:
    # Who: the device that made the change, and the person who uses it (as the history names them).
    device = history.this_device(db)
    assert {(c.device_name, c.person) for c in status_history(db, plan["letter"])} == {(device.name, "Ana")}

    def steps(action_id: str) -> list[tuple[dt.date, str, str | None, str | None]]:
        return [(c.time.date(), c.field, c.before, c.after) for c in status_history(db, action_id)]

    assert steps(plan["letter"]) == [
        (MARCH, "status", None, "not-started"),
        (APRIL, "status", "not-started", "in-progress"),
        (MAY, "status", "in-progress", "done"),
        (MAY, "on_track", None, "on-track"),
    ]
    assert steps(plan["signs"]) == [
        (MARCH, "status", None, "not-started"),
        (MARCH, "on_track", None, "on-track"),
        (APRIL, "on_track", "on-track", "at-risk"),
        (MAY, "on_track", "at-risk", "off-track"),
    ]
    with pytest.raises(NotFound):
        status_history(db, "no-such-action")


def test_an_undone_status_shows_in_the_history_as_set_back(db, walkthrough_id, plan) -> None:
    steps = UndoHistory(db, walkthrough_id)
    steps.edit_action(plan["late"], status=ActionStatus.IN_PROGRESS)
    steps.undo()
    assert [(c.before, c.after) for c in status_history(db, plan["late"])][-2:] == [
        ("not-started", "in-progress"), ("in-progress", "not-started")]
