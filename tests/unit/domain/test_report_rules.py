"""The report's selection and summary rules (domain/report_rules.py), shared by every format and the window."""

from __future__ import annotations

import datetime as dt

from tests.unit.report_fixtures import action, observation, small_lens
from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.records import TeamMember
from walkthrough.domain.report_rules import (
    PROPOSED_LIMIT,
    concerns_without_action,
    count_by_status,
    lived_experience_share,
    plan_order,
    propose_priorities,
    prompts_used,
    rate_by_area,
)
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role


def _concern(obs_id: str, principles: int, photos: int = 0):
    names = ("safety", "trust", "choice", "collaboration", "empowerment")[:principles]
    record = observation("entrance", None, "priority-concern", obs_id, principles=names, obs_id=obs_id)
    return record.__class__(**{**record.__dict__, "photos": tuple(range(photos))})


def test_proposes_the_concerns_with_most_principles_then_photos_then_walking_order_listed_in_walking_order() -> None:
    walk = [
        _concern("a", 1), _concern("b", 3), observation("entrance", None, "working-well", "w", principles=(
            "safety", "trust", "choice", "collaboration", "empowerment")),
        _concern("c", 2, photos=1), _concern("d", 2), _concern("e", 3), _concern("f", 1, photos=2),
        _concern("g", 2),
    ]
    chosen = propose_priorities(small_lens(), walk)
    assert len(chosen) == PROPOSED_LIMIT == 5
    # b, e (3 principles); c (2 and a photo); d, g (2); not a or f (1), never the strength.
    assert [o.id for o in chosen] == ["b", "c", "d", "e", "g"]
    assert propose_priorities(small_lens(), walk, limit=1)[0].id == "b"


def test_concerns_without_action_are_those_no_action_answers() -> None:
    walk = [_concern("a", 1), _concern("b", 1), observation("entrance", None, "could-be-better", "x", obs_id="x")]
    plan = [action("Fix a.", observation_ids=("a",))]
    assert [o.id for o in concerns_without_action(small_lens(), walk, plan)] == ["b"]


def test_plan_order_is_priority_then_due_date_none_last_then_position() -> None:
    plan = [
        action("low", priority=Priority.LOW, due=dt.date(2025, 1, 1), position=0),
        action("high-undated", priority=Priority.HIGH, due=None, position=1),
        action("high-late", priority=Priority.HIGH, due=dt.date(2025, 9, 1), position=2),
        action("high-soon", priority=Priority.HIGH, due=dt.date(2025, 2, 1), position=3),
        action("medium", priority=Priority.MEDIUM, due=dt.date(2025, 2, 1), position=4),
    ]
    assert [a.text for a in plan_order(plan)] == ["high-soon", "high-late", "high-undated", "medium", "low"]


def test_count_by_status_gives_every_status() -> None:
    counts = count_by_status([action("x", status=ActionStatus.DONE), action("y", status=ActionStatus.DONE)])
    assert counts == {ActionStatus.NOT_STARTED: 0, ActionStatus.IN_PROGRESS: 0, ActionStatus.DONE: 2}


def test_rate_by_area_counts_in_walking_order_with_not_rated_last() -> None:
    walk = [
        observation("waiting", None, "working-well", "1"),
        observation("entrance", None, "priority-concern", "2"),
        observation("waiting", None, None, "3"),
        observation("waiting", None, "working-well", "4"),
    ]
    grid = rate_by_area(small_lens(), walk)
    assert grid.rows == ("waiting", "entrance")
    assert grid.columns[-1] == NOT_RATED_KEY
    assert grid.count("waiting", "working-well") == 2 and grid.count("waiting", NOT_RATED_KEY) == 1
    assert grid.count("entrance", "priority-concern") == 1 and grid.count("letters", "working-well") == 0


def test_lived_experience_share_and_prompts_used() -> None:
    team = [TeamMember("A", Role.LIVED_EXPERIENCE), TeamMember("B", Role.STAFF), TeamMember("C", Role.OTHER)]
    assert lived_experience_share(team) == (1, 3)
    walk = [observation("entrance", "entrance-signs", None, "x"), observation("entrance", None, None, "y")]
    assert prompts_used(walk) == frozenset({"entrance-signs"})
