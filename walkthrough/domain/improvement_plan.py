"""Rules about the improvement plan's actions, written once for the window, the command line and the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from walkthrough.domain.records import ActionRecord
from walkthrough.domain.vocabulary import ActionStatus, Priority

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


#: An action's priority and status in the English of the command line, the report and the plan's spreadsheet.
PRIORITY_WORDS = {Priority.HIGH: "High", Priority.MEDIUM: "Medium", Priority.LOW: "Low"}
STATUS_WORDS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
}

#: :attr:`PlanColumn.source` of the column that marks a quick win (:func:`is_quick_win`, as at the day written).
QUICK_WIN = "quick_win"


@dataclass(frozen=True)
class PlanColumn:
    """One column of the improvement plan as a spreadsheet."""

    heading: str
    #: the action's field it shows, in words (a field of ``ACTION_FIELDS``), or :data:`QUICK_WIN`
    source: str


#: The improvement plan as a spreadsheet (``walkthrough export-actions``), in order: what a person reads,
#: names and dates, never ids; the findings an action answers as their area and prompt.
PLAN_COLUMNS: tuple[PlanColumn, ...] = (
    PlanColumn("Action", "text"),
    PlanColumn("Core component", "component_id"),
    PlanColumn("Priority", "priority"),
    PlanColumn("Owner", "owner"),
    PlanColumn("Due date", "due_date"),
    PlanColumn("Status", "status"),
    PlanColumn("Quick win", QUICK_WIN),
    PlanColumn("Principles", "principle_ids"),
    PlanColumn("Findings it answers", "observation_ids"),
    PlanColumn("Last changed", "updated_at"),
)
