"""A service's plan across its walks (walkthrough/services/service_plan.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from walkthrough.domain.clock import Clock, from_datetime
from walkthrough.domain.errors import NotFound
from walkthrough.domain.models import Device
from walkthrough.domain.vocabulary import ActionStatus
from walkthrough.services import actions, history, services
from walkthrough.services.plan_export import service_plan_csv
from walkthrough.services.service_plan import (
    resolve_plan_owner,
    service_plan,
    service_plan_as_at,
    service_plan_at_a_glance,
    shares_plan,
    walkthrough_plan,
)
from walkthrough.services.walkthroughs import create_walkthrough, get_walkthrough
from walkthrough.services.undo import UndoHistory

UTC = dt.timezone.utc
MARCH, OCTOBER, NOVEMBER = dt.date(2030, 3, 10), dt.date(2030, 10, 14), dt.date(2030, 11, 2)


def on(db, day: dt.date) -> None:
    """What this device does next happens on ``day`` (noon UTC)."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=UTC)
    with db.sessions.begin() as session:
        session.execute(update(Device).where(Device.this_device.is_(True))
                        .values(last_clock=Clock(from_datetime(moment)).text))


@pytest.fixture
def walks(db, walkthrough_id: str) -> dict[str, str]:
    """A service walked in March (two actions) and again in October (one action, made in November)."""
    history.this_device(db)
    on(db, MARCH)
    signs = actions.add_action(db, walkthrough_id, actions.NewAction("New signs", due_date=dt.date(2030, 5, 1))).id
    letter = actions.add_action(db, walkthrough_id, actions.NewAction("Rewrite the letter")).id
    again = services.walk_again(db, walkthrough_id, visit_date=OCTOBER).id
    on(db, NOVEMBER)
    quiet = actions.add_action(db, again, actions.NewAction("A quiet room")).id
    return {"march": walkthrough_id, "october": again, "signs": signs, "letter": letter, "quiet": quiet,
            "service": get_walkthrough(db, walkthrough_id).service_id}


def test_a_service_s_plan_holds_the_actions_of_all_its_walks_each_with_its_walk(db, walks) -> None:
    plan = service_plan(db, walks["service"])
    assert [a.id for a in plan.actions] == [walks["signs"], walks["letter"], walks["quiet"]]  # oldest walk first
    assert [(w.walkthrough_id, w.visit_date) for w in plan.walks] == [
        (walks["march"], get_walkthrough(db, walks["march"]).visit_date), (walks["october"], OCTOBER)]
    assert [a.walkthrough_id for a in plan.actions] == [walks["march"], walks["march"], walks["october"]]
    # the follow-up works to the same plan; so does the first walk
    assert walkthrough_plan(db, walks["october"]) == plan == walkthrough_plan(db, walks["march"])
    glance = service_plan_at_a_glance(db, walks["service"], dt.date(2030, 11, 3))
    assert glance.total == 3 and glance.overdue == (walks["signs"],)


def test_a_walk_filed_under_no_other_walk_has_its_own_plan_only(db, walks, test_lens) -> None:
    other = create_walkthrough(db, test_lens, service="Another service", site="Elsewhere").id
    assert walkthrough_plan(db, other).actions == ()
    assert not shares_plan(db, walks["march"], other)
    assert shares_plan(db, walks["march"], walks["october"]) and shares_plan(db, other, other)


def test_the_service_s_plan_as_at_a_date_combines_each_walk_s_history(db, walks) -> None:
    UndoHistory(db, walks["october"]).edit_action(walks["signs"], status=ActionStatus.DONE)  # recorded in November
    before_october = service_plan_as_at(db, walks["service"], dt.date(2030, 6, 1), tz=UTC)
    assert [a.id for a in before_october.actions] == [walks["signs"], walks["letter"]]
    as_at_november = service_plan_as_at(db, walks["service"], NOVEMBER, tz=UTC)
    assert [(a.id, a.status) for a in as_at_november.actions] == [
        (walks["signs"], ActionStatus.DONE), (walks["letter"], ActionStatus.NOT_STARTED),
        (walks["quiet"], ActionStatus.NOT_STARTED)]
    assert [(a.id, a.status) for a in service_plan_as_at(db, walks["service"], OCTOBER, tz=UTC).actions] == [
        (walks["signs"], ActionStatus.NOT_STARTED), (walks["letter"], ActionStatus.NOT_STARTED)]


def test_a_follow_up_s_undo_history_edits_an_earlier_walk_s_action_recorded_under_that_walk(db, walks) -> None:
    undo = UndoHistory(db, walks["october"])
    applied = undo.edit_action(walks["letter"], status=ActionStatus.IN_PROGRESS)
    assert applied.changes.walkthrough_ids == {walks["march"]}
    assert history.list_history(db, walks["march"], walks["letter"])[0].field == "status"
    undo.undo()
    assert actions.get_action(db, walks["letter"]).status == ActionStatus.NOT_STARTED


def test_a_plan_is_named_by_a_walkthrough_s_or_a_service_s_id(db, walks) -> None:
    assert resolve_plan_owner(db, walks["service"]) == ("service", walks["service"])
    assert resolve_plan_owner(db, walks["october"][:8]) == ("walkthrough", walks["october"])
    with pytest.raises(NotFound, match="no walkthrough or service with id 'zzzzzzzz'"):
        resolve_plan_owner(db, "zzzzzzzz")
    with pytest.raises(NotFound, match="no service"):
        service_plan(db, walks["october"])


def test_the_service_s_spreadsheet_says_which_walk_each_action_came_from(db, walks) -> None:
    text, count = service_plan_csv(db, walks["service"], today=NOVEMBER)
    rows = text.splitlines()
    assert count == 3 and rows[0].endswith(",From the walk of")
    march = get_walkthrough(db, walks["march"]).visit_date.isoformat()
    assert [r.split(",")[0] for r in rows[1:]] == ["New signs", "Rewrite the letter", "A quiet room"]
    assert [r.rsplit(",", 1)[1] for r in rows[1:]] == [march, march, OCTOBER.isoformat()]
