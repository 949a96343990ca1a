"""Rules about the improvement plan's actions, written once for the window, the command line and the report."""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.records import ActionRecord
from walkthrough.domain.vocabulary import ActionStatus

#: How many days ahead a due date still counts as "soon" for a quick win.
QUICK_WIN_DAYS = 30

#: The quick-win rule in one English sentence, for the report and the command
#: line (the window words the same rule through its translations).
QUICK_WIN_DEFINITION = (
    f"A quick win (★) has an owner, is neither done nor overdue, and is in progress "
    f"or due within {QUICK_WIN_DAYS} days."
)


def is_overdue(action: ActionRecord, today: dt.date) -> bool:
    """True when the action has a due date before ``today`` and is not done."""
    return action.due_date is not None and action.due_date < today and action.status != ActionStatus.DONE


def is_quick_win(action: ActionRecord, today: dt.date) -> bool:
    """True for a quick win: owned, open and soon, so it keeps the plan moving.

    The rule: the action has an owner (non-empty), is not done, is not
    overdue, and either is already in progress or is due within
    :data:`QUICK_WIN_DAYS` days of ``today``.  An overdue action is not a
    quick win: it needs a new date or a conversation, not a star.  Priority
    plays no part: a low-priority action can still be a quick win.
    """
    if not action.owner.strip() or action.status == ActionStatus.DONE or is_overdue(action, today):
        return False
    if action.status == ActionStatus.IN_PROGRESS:
        return True
    return action.due_date is not None and action.due_date <= today + dt.timedelta(days=QUICK_WIN_DAYS)
