"""Actions through the services, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.services.test_walkthroughs import BAD_PASTE, CLEANED
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import ActionStatus, Priority
from walkthrough.services import actions, observations, walkthroughs
from walkthrough.services.observations import NewObservation


@pytest.fixture
def db(any_db):
    """Every test here runs on a SQLite file and on PostgreSQL (``any_db`` in conftest.py)."""
    return any_db


def test_a_lone_surrogate_in_an_action_is_stored_as_a_replacement(db, walkthrough_id: str) -> None:
    action = actions.add_action(db, walkthrough_id, actions.NewAction(BAD_PASTE, owner=BAD_PASTE))
    assert (action.text, action.owner) == (CLEANED, CLEANED)
    updated = actions.update_action(db, action.id, text="x\udfff", owner="y\udc00")
    assert (updated.text, updated.owner) == ("x\ufffd", "y\ufffd")
    assert [(a.text, a.owner) for a in actions.list_actions(db, walkthrough_id)] == [("x\ufffd", "y\ufffd")]


def test_actions_link_findings_principles_and_a_component(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    action = actions.add_action(
        db,
        walkthrough_id,
        actions.NewAction(
            "Rewrite the missed-appointment letter with people with lived experience",
            owner="Team lead",
            due_date=dt.date(2026, 12, 1),
            priority=Priority.HIGH,
            component_id="power-sharing",
            principle_ids=("trust", "choice"),
            observation_ids=(obs.id,),
        ),
    )
    assert action.observation_ids == (obs.id,)
    assert action.principle_ids == ("choice", "trust")
    done = actions.update_action(db, action.id, status=ActionStatus.DONE, due_date=None, component_id=None)
    assert (done.status, done.due_date, done.component_id) == (ActionStatus.DONE, None, None)
    assert [a.id for a in actions.list_actions(db, walkthrough_id)] == [action.id]
    observations.delete_observation(db, obs.id)
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == ()
    actions.delete_action(db, action.id)
    assert actions.list_actions(db, walkthrough_id) == []


def test_bad_actions_are_refused(db, walkthrough_id: str, test_lens) -> None:
    other = walkthroughs.create_walkthrough(db, test_lens, service="Other", site="X").id
    foreign = observations.add_observation(db, other, NewObservation("entrance", "working-well"))
    with pytest.raises(InvalidInput, match="empty"):
        actions.add_action(db, walkthrough_id, actions.NewAction("   "))
    with pytest.raises(InvalidInput, match="unknown core component 'money'"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", component_id="money"))
    with pytest.raises(InvalidInput, match="unknown principle"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", principle_ids=("joy",)))
    with pytest.raises(NotFound, match="observation"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", observation_ids=(foreign.id,)))
    assert actions.list_actions(db, walkthrough_id) == []


def test_a_deleted_action_can_be_put_back_with_its_id_and_links(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    action = actions.add_action(db, walkthrough_id, actions.NewAction(
        "Plain letters", owner="Lead", due_date=dt.date(2027, 1, 5), priority=Priority.HIGH,
        component_id="policies-processes", principle_ids=("trust",), observation_ids=(obs.id,)))
    actions.delete_action(db, action.id)
    assert actions.put_back_action(db, action) == action
    assert actions.list_actions(db, walkthrough_id) == [action]


def test_one_action_is_read_as_the_plan_lists_it(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    actions.add_action(db, walkthrough_id, actions.NewAction("Repaint the door"))
    made = actions.add_action(db, walkthrough_id, actions.NewAction("Rewrite the letter", principle_ids=("trust",),
                                                                    observation_ids=(obs.id,)))
    assert actions.get_action(db, made.id) == made == actions.list_actions(db, walkthrough_id)[1]
    actions.delete_action(db, made.id)
    with pytest.raises(NotFound):
        actions.get_action(db, made.id)


def test_an_action_has_a_lead_an_on_track_a_success_measure_and_mat_standards(db, walkthrough_id: str) -> None:
    from walkthrough.domain.vocabulary import OnTrack

    made = actions.add_action(db, walkthrough_id, actions.NewAction(
        "Offer a choice of appointment times", owner="Reception", lead="  Service manager ",
        on_track=OnTrack.ON_TRACK, success_measure="Fewer missed appointments by June", mat_standards=(3, 1, 3)))
    assert (made.lead, made.owner, made.on_track) == ("Service manager", "Reception", OnTrack.ON_TRACK)
    assert (made.success_measure, made.mat_standards) == ("Fewer missed appointments by June", (1, 3))
    changed = actions.update_action(db, made.id, on_track=None, mat_standards=["10"], lead="Clinical lead")
    assert (changed.on_track, changed.mat_standards, changed.lead) == (None, (10,), "Clinical lead")
    assert actions.list_actions(db, walkthrough_id) == [changed]
    with pytest.raises(InvalidInput, match=r"unknown MAT standard '11' \(MAT standards are numbered 1 to 10\)"):
        actions.update_action(db, made.id, mat_standards=[1, 11])
    with pytest.raises(ValueError):
        actions.update_action(db, made.id, on_track="sideways")
    assert actions.get_action(db, made.id) == changed
