"""Rules about the improvement plan's actions, written once for the window, the command line and the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from walkthrough.domain.errors import UnknownValue
from walkthrough.domain.records import ActionRecord, ObservationRecord
from walkthrough.domain.vocabulary import MAT_STANDARDS, ActionStatus, OnTrack, Priority

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
ON_TRACK_WORDS = {OnTrack.ON_TRACK: "On track", OnTrack.AT_RISK: "At risk", OnTrack.OFF_TRACK: "Off track"}

#: :attr:`PlanColumn.source` of the column that marks a quick win (:func:`is_quick_win`, as at the day written).
QUICK_WIN = "quick_win"
#: :attr:`PlanColumn.source` of the column that names the walk an action was made in (its date).
WALK = "walk"


@dataclass(frozen=True)
class PlanColumn:
    """One column of the improvement plan as a spreadsheet."""

    heading: str
    #: the action's field it shows, in words (a field of ``ACTION_FIELDS``), or :data:`QUICK_WIN` or :data:`WALK`
    source: str


#: The improvement plan as a spreadsheet (``walkthrough export-actions``), in order: what a person reads,
#: names and dates, never ids; the findings an action answers as their area and prompt.
PLAN_COLUMNS: tuple[PlanColumn, ...] = (
    PlanColumn("Action", "text"),
    PlanColumn("Core component", "component_id"),
    PlanColumn("Priority", "priority"),
    PlanColumn("Accountable lead", "lead"),
    PlanColumn("Owner", "owner"),
    PlanColumn("Due date", "due_date"),
    PlanColumn("Status", "status"),
    PlanColumn("On track", "on_track"),
    PlanColumn("How we'll know", "success_measure"),
    PlanColumn("MAT standards", "mat_standards"),
    PlanColumn("Quick win", QUICK_WIN),
    PlanColumn("Principles", "principle_ids"),
    PlanColumn("Findings it answers", "observation_ids"),
    PlanColumn("Last changed", "updated_at"),
    PlanColumn("From the walk of", WALK),
)


def check_mat_standards(values: Iterable[object]) -> tuple[int, ...]:
    """The MAT standards named by ``values`` (whole numbers 1-10, or their digits as text), ascending, once each.

    Raises:
        UnknownValue: a value that is not a MAT standard's number.
    """
    found: set[int] = set()
    for value in values:
        text = str(value).strip()
        number = int(text) if text.isdigit() and not isinstance(value, bool) else None
        if number not in MAT_STANDARDS:
            allowed = [str(n) for n in MAT_STANDARDS]
            raise UnknownValue("MAT standard", text, allowed,
                               f"unknown MAT standard {text!r} (MAT standards are numbered 1 to 10)")
        found.add(number)  # type: ignore[arg-type]
    return tuple(sorted(found))


@dataclass(frozen=True)
class PlanAtAGlance:
    """The plan summed up for a review: counts, what is late or soon, and concerns with no action yet.

    The lists are of ids, in the plan's order (concerns in the order given).
    """

    by_status: dict[ActionStatus, int]
    #: component id (None: no component) -> status -> how many
    by_component: dict[str | None, dict[ActionStatus, int]]
    by_on_track: dict[OnTrack | None, int]
    overdue: tuple[str, ...]
    #: open, not overdue, due on or before the next review (empty without a next review date)
    due_soon: tuple[str, ...]
    #: priority concerns that no action answers
    concerns_without_action: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def plan_at_a_glance(actions: Sequence[ActionRecord], today: dt.date, *, next_review: dt.date | None = None,
                     concern_ids: Iterable[str] = ()) -> PlanAtAGlance:
    """The plan at a glance as of ``today``.

    ``concern_ids`` are the observations rated a priority concern (the lens
    says which ratings are: :func:`priority_concerns`); those no action
    answers are listed.  "Due soon" is due on or before ``next_review`` (the
    next review meeting) and not overdue or done: what the next meeting will
    want to hear about.
    """
    by_status = Counter({status: 0 for status in ActionStatus})
    by_component: dict[str | None, Counter[ActionStatus]] = {}
    by_on_track: Counter[OnTrack | None] = Counter()
    answered: set[str] = set()
    overdue: list[str] = []
    soon: list[str] = []
    for action in actions:
        by_status[action.status] += 1
        by_component.setdefault(action.component_id, Counter({s: 0 for s in ActionStatus}))[action.status] += 1
        by_on_track[action.on_track] += 1
        answered.update(action.observation_ids)
        if is_overdue(action, today):
            overdue.append(action.id)
        elif (next_review is not None and action.status != ActionStatus.DONE and action.due_date is not None
              and action.due_date <= next_review):
            soon.append(action.id)
    return PlanAtAGlance(
        by_status=dict(by_status),
        by_component={c: dict(counts) for c, counts in by_component.items()},
        by_on_track=dict(by_on_track),
        overdue=tuple(overdue),
        due_soon=tuple(soon),
        concerns_without_action=tuple(c for c in dict.fromkeys(concern_ids) if c not in answered),
    )


def priority_concerns(observations: Iterable[ObservationRecord], concern_rating_ids: Iterable[str]) -> list[str]:
    """The ids of the observations rated with one of ``concern_rating_ids`` (the lens's priority-concern ratings)."""
    ratings = frozenset(concern_rating_ids)
    return [o.id for o in observations if o.rating_id in ratings]


@dataclass(frozen=True)
class PlanWalk:
    """A walk whose actions are in a service's plan: the walkthrough, its date and site."""

    walkthrough_id: str
    visit_date: dt.date
    site: str


@dataclass(frozen=True)
class ServicePlan:
    """A service's improvement plan: the actions of all its walks, each made in (and kept under) one walk.

    ``walks`` are oldest first; ``actions`` go walk by walk in that order,
    each walk's in its plan order.  A walkthrough filed under no service has
    a plan of its own walk only (``service_id`` None).
    """

    service_id: str | None
    walks: tuple[PlanWalk, ...]
    actions: tuple[ActionRecord, ...]

    def walk(self, walkthrough_id: str) -> PlanWalk | None:
        """The walk of that id, or None when it is not one of the plan's."""
        return next((w for w in self.walks if w.walkthrough_id == walkthrough_id), None)

    @property
    def walkthrough_ids(self) -> frozenset[str]:
        return frozenset(w.walkthrough_id for w in self.walks)

    def order_key(self, action: ActionRecord) -> tuple[int, int, dt.datetime]:
        """Where ``action`` goes in the plan: its walk's place, then its place in that walk's plan."""
        places = {w.walkthrough_id: i for i, w in enumerate(self.walks)}
        return (places.get(action.walkthrough_id, len(places)), action.position, action.created_at)


def walk_by_walk(walks: Sequence[PlanWalk], actions: Iterable[ActionRecord]) -> list[ActionRecord]:
    """``actions`` walk by walk (in the order of ``walks``), each walk's in its plan order."""
    places = {w.walkthrough_id: i for i, w in enumerate(walks)}
    return sorted(actions, key=lambda a: (places.get(a.walkthrough_id, len(places)), a.position, a.created_at))
