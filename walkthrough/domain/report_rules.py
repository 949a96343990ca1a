"""The rules that choose and sum up what a findings report shows first, written once.

The PDF, the Word document, the HTML page and the window all ask these
functions, so that "the priority concerns proposed", "a concern with no
action yet", "the plan in priority order" or "a lens prompt that was used"
mean the same everywhere:

- **Priority concerns proposed** (:func:`propose_priorities`): until the team
  chooses its headline findings, the report proposes up to
  :data:`PROPOSED_LIMIT` priority concerns: those tagged with the most
  principles (a concern that touches more of them harms more of the
  experience), then with the most photos (evidence a reader can see), then
  the first in walking order; listed in walking order.
- **A concern with no action yet** (:func:`concerns_without_action`): a
  priority concern that no improvement action answers.
- **The plan's order** (:func:`plan_order`): priority (high first), then due
  date (soonest first, no date last), then the plan's own order.
- **Actions by status** (:func:`count_by_status`): every status, in the
  order of :class:`~walkthrough.domain.vocabulary.ActionStatus`.
- **Ratings by area** (:func:`rate_by_area`): each area's observations
  counted by rating, areas in walking order.
- **The lived-experience voice** (:func:`is_lived_experience_voice`) and the
  team's share of people with lived experience (:func:`lived_experience_share`).
- **Prompts used** (:func:`prompts_used`): the lens prompts that have at least
  one observation.

Plain Python on records: no SQLAlchemy, no Qt, no layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from walkthrough.domain.lens import FindingKind, Lens
from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.records import ActionRecord, ObservationRecord, TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice

__all__ = [
    "PROPOSAL_RULE",
    "PROPOSED_LIMIT",
    "AreaRatings",
    "actions_answering",
    "concerns_without_action",
    "count_by_status",
    "is_lived_experience_voice",
    "is_priority_concern",
    "lived_experience_share",
    "plan_order",
    "propose_priorities",
    "prompts_used",
    "rate_by_area",
]

#: At most this many priority concerns are proposed for the first page.
PROPOSED_LIMIT = 5

#: The proposal rule in one English sentence, for the report (the window words it through its translations).
PROPOSAL_RULE = (
    f"The rule: up to {PROPOSED_LIMIT} priority concerns, those with the most principles, then photos, "
    "then the first walked."
)

_PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


def is_priority_concern(lens: Lens, observation: ObservationRecord) -> bool:
    """True when the observation's rating counts as a priority concern in ``lens``."""
    if observation.rating_id is None:
        return False
    rating = lens.rating(observation.rating_id)
    return rating is not None and rating.finding is FindingKind.PRIORITY_CONCERN


def propose_priorities(
    lens: Lens, observations: Sequence[ObservationRecord], limit: int = PROPOSED_LIMIT
) -> tuple[ObservationRecord, ...]:
    """The priority concerns proposed for the first page (the rule above), in walking order.

    ``observations`` are in walking order.
    """
    concerns = [(i, o) for i, o in enumerate(observations) if is_priority_concern(lens, o)]
    ranked = sorted(concerns, key=lambda p: (-len(set(p[1].principle_ids)), -len(p[1].photos), p[0]))[:limit]
    return tuple(o for _i, o in sorted(ranked, key=lambda p: p[0]))


def actions_answering(observation_id: str, actions: Iterable[ActionRecord]) -> tuple[ActionRecord, ...]:
    """The actions linked to the observation, in the plan's order (:func:`plan_order`)."""
    return plan_order(a for a in actions if observation_id in a.observation_ids)


def concerns_without_action(
    lens: Lens, observations: Iterable[ObservationRecord], actions: Iterable[ActionRecord]
) -> tuple[ObservationRecord, ...]:
    """Priority concerns that no action answers, in the order given."""
    answered = {oid for a in actions for oid in a.observation_ids}
    return tuple(o for o in observations if is_priority_concern(lens, o) and o.id not in answered)


def plan_order(actions: Iterable[ActionRecord]) -> tuple[ActionRecord, ...]:
    """Actions by priority (high first), due date (soonest first, none last), then the plan's order."""
    far = dt.date.max
    return tuple(sorted(actions, key=lambda a: (_PRIORITY_RANK.get(a.priority, 3), a.due_date or far, a.position)))


def count_by_status(actions: Iterable[ActionRecord]) -> dict[ActionStatus, int]:
    """How many actions have each status (every status, zeros too), in the vocabulary's order."""
    counts = {status: 0 for status in ActionStatus}
    for action in actions:
        counts[action.status] += 1
    return counts


@dataclass(frozen=True)
class AreaRatings:
    """Observations counted by area (rows, walking order) and rating (columns).

    ``columns`` are the lens's rating ids in scale order, then ids the lens does
    not define, then :data:`~walkthrough.domain.not_rated.NOT_RATED_KEY` when
    some observation is not rated yet.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]

    def count(self, area_id: str, rating_id: str) -> int:
        """Observations of ``area_id`` with ``rating_id`` (0 for an unknown row or column)."""
        if area_id not in self.rows or rating_id not in self.columns:
            return 0
        return self.cells[self.rows.index(area_id)][self.columns.index(rating_id)]


def rate_by_area(lens: Lens, observations: Iterable[ObservationRecord]) -> AreaRatings:
    """Count ``observations`` by area (in the order first met: walking order) and rating."""
    observations = list(observations)
    rows = list(dict.fromkeys(o.area_id for o in observations))
    columns = [r.id for r in lens.ratings]
    for o in observations:
        if o.rating_id is not None and o.rating_id not in columns:
            columns.append(o.rating_id)
    if any(o.rating_id is None for o in observations):
        columns.append(NOT_RATED_KEY)
    row_of = {a: i for i, a in enumerate(rows)}
    column_of = {r: i for i, r in enumerate(columns)}
    cells = [[0] * len(columns) for _ in rows]
    for o in observations:
        cells[row_of[o.area_id]][column_of[o.rating_id if o.rating_id is not None else NOT_RATED_KEY]] += 1
    return AreaRatings(tuple(rows), tuple(columns), tuple(tuple(r) for r in cells))


def is_lived_experience_voice(observation: ObservationRecord) -> bool:
    """True when the observation records the voice of a person with lived experience."""
    return observation.voice is Voice.LIVED_EXPERIENCE


def lived_experience_share(team: Iterable[TeamMember]) -> tuple[int, int]:
    """(people with lived experience, everyone) in the team."""
    team = list(team)
    return sum(1 for m in team if m.role is Role.LIVED_EXPERIENCE), len(team)


def prompts_used(observations: Iterable[ObservationRecord]) -> frozenset[str]:
    """The ids of the prompts that have at least one observation."""
    return frozenset(o.prompt_id for o in observations if o.prompt_id is not None)
