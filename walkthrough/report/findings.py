"""What the report says, worked out before any layout.

:func:`gather_findings` turns a :class:`WalkthroughContents` snapshot and the
report options into numbered areas and observations, counts and groupings.
Layout (:mod:`walkthrough.report.story`) only arranges these; it never counts.

Ids that do not resolve in the walkthrough's lens (a damaged or hand-edited
database) are shown as the bare id rather than failing the report.  An
observation not rated yet gets a stand-in rating with the words of
:mod:`walkthrough.domain.not_rated`: it is shown and counted as such, never
as a finding of any kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from walkthrough.domain.comparison import Comparison
from walkthrough.domain.improvement_plan import is_quick_win
from walkthrough.domain.report_rules import plan_order
from walkthrough.domain.lens import Area, AreaKind, FindingKind, Lens, Prompt, Rating
from walkthrough.domain.not_rated import (
    NOT_RATED_COLOUR,
    NOT_RATED_KEY,
    NOT_RATED_LABEL,
    NOT_RATED_MEANING,
    NOT_RATED_SYMBOL,
    is_rated,
)
from walkthrough.domain.principle_summary import NO_PRINCIPLE as NO_PRINCIPLE  # the report's "No principle" row
from walkthrough.domain.principle_summary import PrincipleSummary, summarise_by_principle
from walkthrough.domain.principle_summary import unknown_rating as unknown_rating
from walkthrough.domain.vocabulary import Voice
from walkthrough.domain.records import ActionRecord, ObservationRecord, WalkthroughContents
from walkthrough.report.report_options import ReportOptions

NO_COMPONENT = ""


@dataclass(frozen=True)
class ObservationEntry:
    """One observation as the report shows it.

    ``ref`` ("3.2": area 3, observation 2) lets every section point at the
    full observation under *Findings by area*; ``anchor`` is its link target.
    """

    ref: str
    anchor: str
    record: ObservationRecord
    area_title: str
    prompt: Prompt | None
    rating: Rating
    principle_names: tuple[str, ...]
    photo_numbers: tuple[int, ...]


@dataclass(frozen=True)
class PromptGroup:
    """The observations of one area made against one prompt (``None``: free-standing)."""

    prompt: Prompt | None
    entries: tuple[ObservationEntry, ...]


@dataclass(frozen=True)
class AreaFindings:
    """A walked area, numbered in walking order."""

    number: int
    area_id: str
    title: str
    kind: AreaKind | None
    description: str
    groups: tuple[PromptGroup, ...]


@dataclass(frozen=True)
class ActionGroup:
    """Actions under one core component (``component_id`` ``""``: no component)."""

    component_id: str
    name: str
    actions: tuple[ActionRecord, ...]


@dataclass(frozen=True)
class Findings:
    """Everything the report lays out, in the order it lays it out."""

    contents: WalkthroughContents
    options: ReportOptions
    lens: Lens
    #: lens areas the report covers (all, or the chosen subset), in lens order
    covered_areas: tuple[Area, ...]
    #: covered areas with no observations
    unwalked_areas: tuple[Area, ...]
    areas: tuple[AreaFindings, ...]
    entries: tuple[ObservationEntry, ...]
    #: the summary by principle (the rule of :mod:`walkthrough.domain.principle_summary`)
    summary: PrincipleSummary
    #: ratings in scale order (unknown ids, then "Not rated yet", last)
    ratings: tuple[Rating, ...]
    action_groups: tuple[ActionGroup, ...]
    action_count: int
    #: actions in the whole improvement plan (more than ``action_count`` in a report of some areas)
    plan_action_count: int
    #: the day the report is written: quick wins are judged as of it
    as_of: dt.date
    #: the covered actions in the plan's order (:func:`walkthrough.domain.report_rules.plan_order`)
    plan: tuple[ActionRecord, ...] = ()
    #: this walk set against an earlier one, when the report compares them
    comparison: Comparison | None = None

    @cached_property
    def action_numbers(self) -> dict[str, str]:
        """Action id -> its number in the plan (``A1``, ``A2`` …, in the plan's order)."""
        return {a.id: f"A{i}" for i, a in enumerate(self.plan, start=1)}

    @cached_property
    def entry_by_id(self) -> dict[str, ObservationEntry]:
        """Observation id -> its entry, for the covered observations."""
        return {e.record.id: e for e in self.entries}

    def answered_by(self, observation_id: str) -> tuple[ActionRecord, ...]:
        """The covered actions answering the observation, in the plan's order."""
        return tuple(a for a in self.plan if observation_id in a.observation_ids)

    @property
    def principle_rows(self) -> tuple[tuple[str, str], ...]:
        """(principle id, name) rows of the summary; ``NO_PRINCIPLE`` for untagged observations."""
        return self.summary.rows

    @cached_property
    def counts(self) -> dict[tuple[str, str], int]:
        """(principle id, rating id) -> number of observations (zeros left out)."""
        return self.summary.as_dict()

    def is_quick_win(self, action: ActionRecord) -> bool:
        """True if ``action`` is a quick win as of the report's day (the rule of :mod:`walkthrough.domain.improvement_plan`)."""
        return is_quick_win(action, self.as_of)

    @property
    def photo_count(self) -> int:
        """Photos attached to the covered observations (whether or not shown)."""
        return sum(len(e.record.photos) for e in self.entries)

    @property
    def lived_experience_count(self) -> int:
        """Observations recorded in the voice of a person with lived experience."""
        return sum(1 for e in self.entries if e.record.voice is Voice.LIVED_EXPERIENCE)

    def entries_of(self, finding: FindingKind) -> list[ObservationEntry]:
        """Observations whose rating counts as ``finding``, in walking order."""
        return [e for e in self.entries if e.rating.finding is finding]

    @property
    def not_rated_entries(self) -> list[ObservationEntry]:
        """Observations not rated yet, in walking order."""
        return [e for e in self.entries if not is_rated(e.record)]

    def entries_with_principle(self, principle_id: str) -> list[ObservationEntry]:
        """Observations tagged with the principle, in walking order."""
        return [e for e in self.entries if principle_id in e.record.principle_ids]

    def rating_total(self, rating_id: str) -> int:
        """Observations with this rating."""
        return sum(1 for e in self.entries if e.rating.id == rating_id)


#: The stand-in rating of an observation not rated yet (its id is never a lens id).
NOT_RATED = Rating.model_construct(
    id=NOT_RATED_KEY, label=NOT_RATED_LABEL, meaning=NOT_RATED_MEANING, colour=NOT_RATED_COLOUR,
    symbol=NOT_RATED_SYMBOL, finding=FindingKind.NONE,
)


def gather_findings(contents: WalkthroughContents, options: ReportOptions, *, as_of: dt.date | None = None,
                    comparison: Comparison | None = None) -> Findings:
    """Number, group and count what ``contents`` holds, as ``options`` asks.

    ``as_of`` is the day the plan is judged against (quick wins); today if not given.
    ``comparison``: ``contents`` set against an earlier walk, for the report's comparison section.
    """
    lens = contents.walkthrough.lens
    wanted = None if options.area_ids is None else set(options.area_ids)
    covered = tuple(a for a in lens.areas if wanted is None or a.id in wanted)
    observations = [o for o in contents.observations if wanted is None or o.area_id in wanted]

    # Group by area, then prompt, keeping the walking order they arrive in.
    by_area: dict[str, dict[str | None, list[ObservationRecord]]] = {}
    for obs in observations:
        by_area.setdefault(obs.area_id, {}).setdefault(obs.prompt_id, []).append(obs)

    # Areas are numbered as in the report of the whole walkthrough, so "4.2" in a
    # report of some areas is the same observation as "4.2" in the full one.
    area_numbers: dict[str, int] = {}
    for obs in contents.observations:
        area_numbers.setdefault(obs.area_id, len(area_numbers) + 1)

    ratings_used: dict[str, Rating] = {r.id: r for r in lens.ratings}
    areas: list[AreaFindings] = []
    entries: list[ObservationEntry] = []
    photo_number = 0
    for area_id, prompts in by_area.items():
        number = area_numbers[area_id]
        area = lens.area(area_id)
        title = area.title if area else area_id
        groups: list[PromptGroup] = []
        index = 0
        # Free-standing observations come last in their area, whatever the input order.
        ordered = [(k, v) for k, v in prompts.items() if k is not None] + (
            [(None, prompts[None])] if None in prompts else []
        )
        for prompt_id, records in ordered:
            group: list[ObservationEntry] = []
            for obs in records:
                index += 1
                rating = lens.rating(obs.rating_id) if obs.rating_id is not None else None
                if obs.rating_id is None:
                    rating = NOT_RATED
                elif rating is None:
                    rating = ratings_used.setdefault(obs.rating_id, unknown_rating(obs.rating_id))
                numbers = tuple(range(photo_number + 1, photo_number + 1 + len(obs.photos)))
                photo_number += len(obs.photos)
                entry = ObservationEntry(
                    ref=f"{number}.{index}",
                    anchor=f"obs-{number}-{index}",
                    record=obs,
                    area_title=title,
                    prompt=lens.prompt(prompt_id) if prompt_id else None,
                    rating=rating,
                    principle_names=principle_names(lens, obs.principle_ids),
                    photo_numbers=numbers,
                )
                group.append(entry)
                entries.append(entry)
            groups.append(PromptGroup(prompt=lens.prompt(prompt_id) if prompt_id else None, entries=tuple(group)))
        areas.append(
            AreaFindings(
                number=number,
                area_id=area_id,
                title=title,
                kind=area.kind if area else None,
                description=area.description if area else "",
                groups=tuple(groups),
            )
        )

    summary = summarise_by_principle(lens, (e.record for e in entries))
    actions = _covered_actions(contents, wanted, {e.record.id for e in entries})
    walked = set(by_area)
    return Findings(
        contents=contents,
        options=options,
        lens=lens,
        covered_areas=covered,
        unwalked_areas=tuple(a for a in covered if a.id not in walked),
        areas=tuple(areas),
        entries=tuple(entries),
        summary=summary,
        # "Not rated yet" last, and only when there is one.
        ratings=tuple(ratings_used[rid] for rid in summary.columns[:-1])
        + ((NOT_RATED,) if summary.any_not_rated else ()),
        action_groups=_group_actions(lens, actions),
        action_count=len(actions),
        plan_action_count=len(contents.actions),
        as_of=as_of or options.report_date or dt.date.today(),
        plan=plan_order(actions),
        comparison=comparison,
    )


def principle_names(lens: Lens, principle_ids: tuple[str, ...]) -> tuple[str, ...]:
    """Names of the principles in the lens's order (stored ids are sorted by id); unknown ids last, as ids."""
    rank = {p.id: i for i, p in enumerate(lens.principles)}
    ordered = sorted(principle_ids, key=lambda pid: (rank.get(pid, len(rank)), pid))
    return tuple(getattr(lens.principle(pid), "name", pid) for pid in ordered)


def _covered_actions(
    contents: WalkthroughContents, wanted: set[str] | None, covered_ids: set[str]
) -> list[ActionRecord]:
    """All actions; for a subset of areas, those answering no observation or one in the subset."""
    actions = sorted(contents.actions, key=lambda a: a.position)
    if wanted is None:
        return actions
    return [a for a in actions if not a.observation_ids or covered_ids.intersection(a.observation_ids)]


def _group_actions(lens: Lens, actions: list[ActionRecord]) -> tuple[ActionGroup, ...]:
    """Actions by core component in lens order; unknown components next; no component last."""
    groups: dict[str, list[ActionRecord]] = {c.id: [] for c in lens.components}
    for action in actions:
        groups.setdefault(action.component_id or NO_COMPONENT, []).append(action)
    none = groups.pop(NO_COMPONENT, [])
    result = []
    for component_id, items in groups.items():
        if items:
            component = lens.component(component_id)
            result.append(ActionGroup(component_id, component.name if component else component_id, tuple(items)))
    if none:
        result.append(ActionGroup(NO_COMPONENT, "No component", tuple(none)))
    return tuple(result)
