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


def test_the_plan_s_spreadsheet_columns_show_declared_fields_of_an_action_or_the_quick_win_rule() -> None:
    from walkthrough.domain.fields import ACTION_FIELDS
    from walkthrough.domain.improvement_plan import PLAN_COLUMNS, PRIORITY_WORDS, QUICK_WIN, STATUS_WORDS
    from walkthrough.domain.vocabulary import ActionStatus, Priority

    fields = {f.name for f in ACTION_FIELDS}
    assert all(c.source in fields or c.source == QUICK_WIN for c in PLAN_COLUMNS)
    assert len({c.heading for c in PLAN_COLUMNS}) == len(PLAN_COLUMNS)
    assert not any(c.source in ("id", "walkthrough_id") for c in PLAN_COLUMNS)  # names, never ids
    assert set(PRIORITY_WORDS) == set(Priority) and set(STATUS_WORDS) == set(ActionStatus)
