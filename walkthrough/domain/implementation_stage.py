"""How far each area of a service has come: the implementation stage, walk by walk.

Our own wording, after the steps of the fidelity scales for trauma-informed
services ("review done" through "action plan partly implemented" to "fully
implemented").  For one area at one walk of a service:

1. *Not walked*: the walk recorded nothing there; or it did, but without
   both staff and lived-experience input (the team had no one with lived
   experience, or no member of staff): the reason says which.
2. *Walked*: observations recorded, with a team of staff and people with
   lived experience.
3. *Actions planned*: an action of the service's plan answers a finding of
   this area, from this walk or an earlier one.
4. *Some done*: at least one of those actions is done — or all are, and no
   follow-up walk has shown improvement yet (the reason says so).
5. *Done and improved*: every one of those actions is done, and this walk,
   compared with the one before it, shows the area improved (a prompt
   better, none worse, and no new priority concern).

Actions count as they stand now (the plan's status today), not as at the
walk.  Plain Python: no database, no Qt; the window, the command line and
the report word :class:`StageReason` themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from walkthrough.domain.comparison import Verdict, compare
from walkthrough.domain.records import ActionRecord, WalkthroughContents
from walkthrough.domain.vocabulary import ActionStatus, Role

__all__ = ["AreaStage", "Stage", "StageReason", "WalkStages", "implementation_stages"]


class Stage(enum.IntEnum):
    """The five stages, in order."""

    NOT_WALKED = 1
    WALKED = 2
    ACTIONS_PLANNED = 3
    SOME_DONE = 4
    DONE_AND_IMPROVED = 5


class StageReason(str, enum.Enum):
    """Why an area is at its stage."""

    NOTHING_RECORDED = "nothing-recorded"
    NO_LIVED_EXPERIENCE = "no-lived-experience"
    NO_STAFF = "no-staff"
    WALKED = "walked"
    ACTIONS_PLANNED = "actions-planned"
    SOME_DONE = "some-done"
    ALL_DONE_NOT_YET_IMPROVED = "all-done-not-yet-improved"
    DONE_AND_IMPROVED = "done-and-improved"


@dataclass(frozen=True)
class AreaStage:
    """One area at one walk."""

    area_id: str
    area_title: str
    stage: Stage
    reason: StageReason
    #: the actions answering the area's findings (this walk's and earlier), and how many are done
    actions: int
    done: int


@dataclass(frozen=True)
class WalkStages:
    """One walk of the service, with the stage of each area of its lens, in walking order."""

    walkthrough_id: str
    areas: tuple[AreaStage, ...]


def implementation_stages(walks: Sequence[WalkthroughContents]) -> tuple[WalkStages, ...]:
    """Each walk's areas at their stage; ``walks`` are one service's, oldest first."""
    actions = [a for walk in walks for a in walk.actions]
    result: list[WalkStages] = []
    seen: dict[str, set[str]] = {}  # area id -> its observations so far, over the walks
    for index, walk in enumerate(walks):
        for o in walk.observations:
            seen.setdefault(o.area_id, set()).add(o.id)
        improved = _improved_areas(walks[index - 1], walk) if index else frozenset()
        team = {m.role for m in walk.walkthrough.participants}
        recorded = {o.area_id for o in walk.observations}
        areas = tuple(
            _stage(area.id, area.title, area.id in recorded, team, _answering(actions, seen.get(area.id, set())),
                   area.id in improved)
            for area in walk.walkthrough.lens.areas
        )
        result.append(WalkStages(walk.walkthrough.id, areas))
    return tuple(result)


def _stage(area_id: str, title: str, recorded: bool, team: set[Role], answering: list[ActionRecord],
           improved: bool) -> AreaStage:
    done = sum(1 for a in answering if a.status is ActionStatus.DONE)

    def at(stage: Stage, reason: StageReason) -> AreaStage:
        return AreaStage(area_id, title, stage, reason, len(answering), done)

    if not recorded:
        return at(Stage.NOT_WALKED, StageReason.NOTHING_RECORDED)
    if Role.LIVED_EXPERIENCE not in team:
        return at(Stage.NOT_WALKED, StageReason.NO_LIVED_EXPERIENCE)
    if not team & {Role.STAFF, Role.MANAGER}:
        return at(Stage.NOT_WALKED, StageReason.NO_STAFF)
    if not answering:
        return at(Stage.WALKED, StageReason.WALKED)
    if not done:
        return at(Stage.ACTIONS_PLANNED, StageReason.ACTIONS_PLANNED)
    if done < len(answering):
        return at(Stage.SOME_DONE, StageReason.SOME_DONE)
    if not improved:
        return at(Stage.SOME_DONE, StageReason.ALL_DONE_NOT_YET_IMPROVED)
    return at(Stage.DONE_AND_IMPROVED, StageReason.DONE_AND_IMPROVED)


def _answering(actions: Sequence[ActionRecord], observation_ids: set[str]) -> list[ActionRecord]:
    return [a for a in actions if observation_ids.intersection(a.observation_ids)]


def _improved_areas(before: WalkthroughContents, after: WalkthroughContents) -> frozenset[str]:
    """The areas where ``after`` shows a prompt better than ``before``, none worse and no new priority concern."""
    better: set[str] = set()
    worse: set[str] = set()
    for prompt in compare(before, after).prompts:
        if prompt.verdict is Verdict.IMPROVED:
            better.add(prompt.area_id)
        elif prompt.verdict is Verdict.WORSE or (
                prompt.verdict is Verdict.NEWLY_OBSERVED and prompt.after is not None and prompt.after.is_concern):
            worse.add(prompt.area_id)
    return frozenset(better - worse)
