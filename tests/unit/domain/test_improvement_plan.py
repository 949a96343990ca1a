"""The improvement plan's rules (walkthrough/domain/improvement_plan.py): overdue and quick wins."""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.improvement_plan import QUICK_WIN_DAYS, is_overdue, is_quick_win
from walkthrough.domain.records import ActionRecord
from walkthrough.domain.vocabulary import ActionStatus, Priority

TODAY = dt.date(2026, 12, 7)


def action(**fields: object) -> ActionRecord:
    now = dt.datetime.now(dt.timezone.utc)
    base: dict[str, object] = dict(
        id="a", walkthrough_id="w", text="t", owner="Ann", due_date=None, priority=Priority.LOW,
        status=ActionStatus.NOT_STARTED, component_id=None, principle_ids=(), observation_ids=(),
        position=0, created_at=now, updated_at=now,
    )
    return ActionRecord(**{**base, **fields})  # type: ignore[arg-type]


def test_an_owned_action_due_soon_or_in_progress_is_a_quick_win() -> None:
    assert is_quick_win(action(due_date=TODAY), TODAY)
    assert is_quick_win(action(due_date=TODAY + dt.timedelta(days=QUICK_WIN_DAYS)), TODAY)
    assert is_quick_win(action(status=ActionStatus.IN_PROGRESS), TODAY)


def test_no_owner_no_date_or_far_off_is_not_a_quick_win() -> None:
    assert not is_quick_win(action(due_date=TODAY + dt.timedelta(days=QUICK_WIN_DAYS + 1)), TODAY)
    assert not is_quick_win(action(owner="  ", status=ActionStatus.IN_PROGRESS), TODAY)
    assert not is_quick_win(action(), TODAY)  # no date, not started


def test_done_and_overdue_actions_are_never_quick_wins() -> None:
    assert not is_quick_win(action(status=ActionStatus.DONE, due_date=TODAY), TODAY)
    yesterday = TODAY - dt.timedelta(days=1)
    assert not is_quick_win(action(due_date=yesterday), TODAY)
    assert not is_quick_win(action(due_date=yesterday, status=ActionStatus.IN_PROGRESS), TODAY)


def test_overdue_means_past_its_date_and_not_done() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    assert is_overdue(action(due_date=yesterday), TODAY)
    assert not is_overdue(action(due_date=yesterday, status=ActionStatus.DONE), TODAY)
    assert not is_overdue(action(due_date=TODAY), TODAY)
    assert not is_overdue(action(), TODAY)


def test_the_plan_s_spreadsheet_columns_show_declared_fields_of_an_action_the_quick_win_rule_or_its_walk() -> None:
    from walkthrough.domain.fields import ACTION_FIELDS
    from walkthrough.domain.improvement_plan import PLAN_COLUMNS, PRIORITY_WORDS, QUICK_WIN, STATUS_WORDS, WALK
    from walkthrough.domain.vocabulary import ActionStatus, Priority

    fields = {f.name for f in ACTION_FIELDS}
    assert all(c.source in fields or c.source in (QUICK_WIN, WALK) for c in PLAN_COLUMNS)
    assert len({c.heading for c in PLAN_COLUMNS}) == len(PLAN_COLUMNS)
    assert not any(c.source in ("id", "walkthrough_id") for c in PLAN_COLUMNS)  # names, never ids
    assert set(PRIORITY_WORDS) == set(Priority) and set(STATUS_WORDS) == set(ActionStatus)


def test_mat_standards_are_whole_numbers_one_to_ten_ascending_once_each() -> None:
    import pytest

    from walkthrough.domain.errors import UnknownValue
    from walkthrough.domain.improvement_plan import check_mat_standards

    assert check_mat_standards([10, "2", " 2 "]) == (2, 10)
    assert check_mat_standards([]) == ()
    for bad in (0, 11, "MAT3", "", True, 2.5):
        with pytest.raises(UnknownValue, match="MAT standards are numbered 1 to 10"):
            check_mat_standards([bad])


def test_the_plan_at_a_glance_counts_and_lists_what_a_review_needs() -> None:
    from walkthrough.domain.improvement_plan import plan_at_a_glance
    from walkthrough.domain.vocabulary import OnTrack

    plan = [
        action(id="late", due_date=TODAY - dt.timedelta(days=1), component_id="culture"),
        action(id="done-late", due_date=TODAY - dt.timedelta(days=9), status=ActionStatus.DONE,
               component_id="culture", observation_ids=("o1",)),
        action(id="soon", due_date=TODAY + dt.timedelta(days=20), on_track=OnTrack.AT_RISK),
        action(id="after-review", due_date=TODAY + dt.timedelta(days=60), status=ActionStatus.IN_PROGRESS),
        action(id="no-date"),
    ]
    glance = plan_at_a_glance(plan, TODAY, next_review=TODAY + dt.timedelta(days=42), concern_ids=["o1", "o2", "o2"])
    assert glance.total == 5
    assert glance.by_status == {ActionStatus.NOT_STARTED: 3, ActionStatus.IN_PROGRESS: 1, ActionStatus.DONE: 1}
    assert glance.by_component["culture"] == {ActionStatus.NOT_STARTED: 1, ActionStatus.IN_PROGRESS: 0,
                                              ActionStatus.DONE: 1}
    assert glance.by_on_track == {None: 4, OnTrack.AT_RISK: 1}
    assert (glance.overdue, glance.due_soon) == (("late",), ("soon",))
    assert glance.concerns_without_action == ("o2",)
    assert plan_at_a_glance(plan, TODAY).due_soon == ()  # no next review, nothing is "before" it
