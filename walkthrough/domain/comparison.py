"""Comparing two walks of a service: what changed between an earlier walk and a follow-up.

One set of rules for the command line, the window and the report, so that
they never disagree.  Plain Python over two
:class:`~walkthrough.domain.records.WalkthroughContents` snapshots: no
database, no Qt.  The words of the verdicts are the enums' values here; each
front end words them itself (``walkthrough.cli``, the window's translations).

Matching is on ids: prompts by prompt id, areas by area id, principles by
principle id.  The two walks may have been made with different versions of a
lens; a prompt that only one of the two lens snapshots has is listed as such
(:attr:`Comparison.prompts_only_in_base`, ``…_only_in_followup``), and its
line says which walk could not have observed it.

The rules:

- **Severity.**  Each rating counts by what the lens says it is
  (:class:`~walkthrough.domain.lens.FindingKind`): a strength < an
  opportunity < a priority concern (:data:`~walkthrough.domain.lens.CONCERN_ORDER`).
  "Not seen", "not rated yet" and a rating id the lens does not define are not
  findings: they take no part in a verdict.  Two ratings of the same kind
  (a lens with a longer scale) are told apart by their place on the lens's
  scale, later being more serious, as in the bundled lenses.
- **Several observations of one prompt** in one walk combine into the *most
  serious* finding among them: one priority concern among three strengths
  still needs acting on.  (The counts are kept beside it.)
- **Verdict per prompt** (:class:`Verdict`), for every prompt observed in
  either walk (free-standing observations have no prompt to match, so they
  count only in the area × principle grid):
  *not revisited* when the follow-up has no finding for it (no observation,
  or only "Not seen" / "not rated yet") — never "resolved" — unless both
  walks observed it and neither has a finding (it was not seen either time:
  *same*); *newly observed* when the follow-up has a finding and the earlier
  walk had none; otherwise *improved*, *same* or *worse* by severity.  So a
  walk compared with itself is *same* throughout.
- **Concerns** (:class:`ConcernStatus`) are prompts whose earlier or later
  finding is a priority concern: *resolved* (then a priority concern, now
  revisited with a finding that is not), *persisting* (a priority concern
  both times), *new* (a priority concern now, not then), or *not revisited*.
  Each comes with the actions, from either walk, linked to its observations.
- **Actions against change** (:class:`ActionOutcome`): every action that
  answers an observation of a prompt in the earlier walk.  A done action
  whose revisited prompts all improved is *done and improved*; one with a
  revisited prompt the same or worse is *done but not improved* — something
  to learn from, not a failure; one whose prompts were not revisited is
  *done, not revisited*; an action not done yet is *open*.
- **The grid** (area × principle): each cell combines the observations of
  that area tagged with that principle (free-standing ones included) by the
  same most-serious rule, and gets a :class:`Verdict` the same way.
- **The team** (:mod:`walkthrough.domain.team_comparison`): size, lived
  experience and how many walked again; a team that differs notably makes
  the findings less comparable, and the front ends say so.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from walkthrough.domain.lens import CONCERN_ORDER, FindingKind, Lens, Rating
from walkthrough.domain.records import ActionRecord, ObservationRecord, WalkthroughContents
from walkthrough.domain.team_comparison import TeamComparison, TeamDifference, compare_teams
from walkthrough.domain.vocabulary import ActionStatus, Voice

__all__ = [
    "ActionOutcome",
    "ActionResult",
    "Comparison",
    "ConcernComparison",
    "ConcernStatus",
    "GridCell",
    "LensOnlyPrompt",
    "PromptComparison",
    "TeamComparison",
    "TeamDifference",
    "Verdict",
    "VoiceEntry",
    "compare",
    "compare_teams",
]


class Verdict(str, enum.Enum):
    """How a prompt (or a grid cell) changed from the earlier walk to the follow-up."""

    IMPROVED = "improved"
    SAME = "same"
    WORSE = "worse"
    NEWLY_OBSERVED = "newly-observed"  #: a finding now, none then
    NOT_REVISITED = "not-revisited"  #: no finding now (never read as "resolved")


class ConcernStatus(str, enum.Enum):
    """What became of a priority concern."""

    RESOLVED = "resolved"
    PERSISTING = "persisting"
    NEW = "new"
    NOT_REVISITED = "not-revisited"


class ActionOutcome(str, enum.Enum):
    """An action of the earlier walk's plan set against the change seen."""

    IMPROVED = "done-improved"
    NOT_IMPROVED = "done-not-improved"  #: something to learn from
    NOT_REVISITED = "done-not-revisited"
    OPEN = "open"  #: not done yet (its status says where it stands)


#: The finding kind that makes a prompt a "concern".
CONCERN_KIND = FindingKind.PRIORITY_CONCERN
_FINDING_KINDS = frozenset({FindingKind.STRENGTH, FindingKind.OPPORTUNITY, FindingKind.PRIORITY_CONCERN})


# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """The combined finding of some observations in one walk: its most serious rating."""

    rating: Rating
    #: (concern order, place on the lens's scale): larger is more serious
    severity: tuple[int, int]

    @property
    def is_concern(self) -> bool:
        return self.rating.finding is CONCERN_KIND


@dataclass(frozen=True)
class PromptComparison:
    """One prompt observed in either walk."""

    area_id: str
    area_title: str
    prompt_id: str
    question: str
    before: Finding | None
    after: Finding | None
    verdict: Verdict
    before_observation_ids: tuple[str, ...]
    after_observation_ids: tuple[str, ...]
    before_photo_ids: tuple[str, ...]
    after_photo_ids: tuple[str, ...]
    in_base_lens: bool
    in_followup_lens: bool


@dataclass(frozen=True)
class GridCell:
    """One area under one principle, in both walks."""

    area_id: str
    principle_id: str
    before: Finding | None
    after: Finding | None
    before_count: int
    after_count: int
    verdict: Verdict | None  #: None when neither walk has an observation here


@dataclass(frozen=True)
class ConcernComparison:
    prompt: PromptComparison
    status: ConcernStatus
    #: actions, from either walk, answering an observation of this prompt in either walk
    actions: tuple[ActionRecord, ...]


@dataclass(frozen=True)
class ActionResult:
    action: ActionRecord
    outcome: ActionOutcome
    #: the prompts it answers, as compared
    prompts: tuple[PromptComparison, ...]


@dataclass(frozen=True)
class VoiceEntry:
    """An observation in the voice of a person with lived experience."""

    area_id: str
    prompt_id: str | None
    observation_id: str
    note: str
    rating_id: str | None


@dataclass(frozen=True)
class LensOnlyPrompt:
    """A prompt that only one of the two lens snapshots has."""

    area_id: str
    area_title: str
    prompt_id: str
    question: str


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison of two walks shows."""

    base: WalkthroughContents
    followup: WalkthroughContents
    team: TeamComparison
    #: in the follow-up lens's walking order, then prompts only the earlier lens has
    prompts: tuple[PromptComparison, ...]
    #: (area id, title) rows and (principle id, name) columns of the grid
    grid_areas: tuple[tuple[str, str], ...]
    grid_principles: tuple[tuple[str, str], ...]
    grid: tuple[GridCell, ...]
    concerns: tuple[ConcernComparison, ...]
    actions: tuple[ActionResult, ...]
    voices_before: tuple[VoiceEntry, ...]
    voices_after: tuple[VoiceEntry, ...]
    prompts_only_in_base: tuple[LensOnlyPrompt, ...]
    prompts_only_in_followup: tuple[LensOnlyPrompt, ...]

    @cached_property
    def counts(self) -> dict[Verdict, int]:
        """How many prompts got each verdict (every verdict present, zeros too)."""
        tally = Counter(p.verdict for p in self.prompts)
        return {v: tally.get(v, 0) for v in Verdict}

    def cell(self, area_id: str, principle_id: str) -> GridCell | None:
        return self._cells.get((area_id, principle_id))

    @cached_property
    def _cells(self) -> dict[tuple[str, str], GridCell]:
        return {(c.area_id, c.principle_id): c for c in self.grid}

    @property
    def photo_pairs(self) -> tuple[PromptComparison, ...]:
        """Prompts with photos in both walks: before and after, side by side."""
        return tuple(p for p in self.prompts if p.before_photo_ids and p.after_photo_ids)

    @property
    def lens_changed(self) -> bool:
        return bool(self.prompts_only_in_base or self.prompts_only_in_followup)


# -- the rules ----------------------------------------------------------------------------


def _finding_of(lens: Lens, observations: Iterable[ObservationRecord]) -> Finding | None:
    """The most serious finding among ``observations`` (None: none is a finding)."""
    scale = {r.id: i for i, r in enumerate(lens.ratings)}
    best: Finding | None = None
    for o in observations:
        rating = lens.rating(o.rating_id) if o.rating_id is not None else None
        if rating is None or rating.finding not in _FINDING_KINDS:
            continue
        severity = (CONCERN_ORDER[rating.finding], scale[rating.id])
        if best is None or severity > best.severity:
            best = Finding(rating, severity)
    return best


def verdict(before: Finding | None, after: Finding | None, *, observed_before: bool = True,
            observed_after: bool = True, followup_lens: Lens | None = None) -> Verdict:
    """The verdict for a prompt or cell whose combined findings are ``before`` and ``after``.

    ``observed_before`` / ``observed_after``: whether the walk has any
    observation there at all (a finding or not).  Two ratings of the same kind
    are compared by their place on the follow-up lens's scale when it has
    both, and are otherwise the same.
    """
    if after is None:
        return Verdict.SAME if before is None and observed_before and observed_after else Verdict.NOT_REVISITED
    if before is None:
        return Verdict.NEWLY_OBSERVED
    b, a = before.severity[0], after.severity[0]
    if b == a and before.rating.id != after.rating.id and followup_lens is not None:
        scale = {r.id: i for i, r in enumerate(followup_lens.ratings)}
        if before.rating.id in scale and after.rating.id in scale:
            b, a = scale[before.rating.id], scale[after.rating.id]
    if a < b:
        return Verdict.IMPROVED
    if a > b:
        return Verdict.WORSE
    return Verdict.SAME


def compare(base: WalkthroughContents, followup: WalkthroughContents) -> Comparison:
    """Compare ``base`` (the earlier walk) with ``followup`` by the rules of this module."""
    base_lens, followup_lens = base.walkthrough.lens, followup.walkthrough.lens
    base_by_prompt = _by_prompt(base.observations)
    followup_by_prompt = _by_prompt(followup.observations)

    prompts = []
    for prompt_id in _prompt_order(base_lens, followup_lens, base_by_prompt, followup_by_prompt):
        before_obs = base_by_prompt.get(prompt_id, ())
        after_obs = followup_by_prompt.get(prompt_id, ())
        lens = followup_lens if followup_lens.prompt(prompt_id) else base_lens
        area = lens.area_of_prompt(prompt_id)
        observed_area = (after_obs or before_obs)[0].area_id
        prompt = lens.prompt(prompt_id)
        before = _finding_of(base_lens, before_obs)
        after = _finding_of(followup_lens, after_obs)
        prompts.append(PromptComparison(
            area_id=area.id if area else observed_area,
            area_title=area.title if area else _area_title(observed_area, followup_lens, base_lens),
            prompt_id=prompt_id,
            question=prompt.question if prompt else prompt_id,
            before=before,
            after=after,
            verdict=verdict(before, after, observed_before=bool(before_obs), observed_after=bool(after_obs),
                            followup_lens=followup_lens),
            before_observation_ids=tuple(o.id for o in before_obs),
            after_observation_ids=tuple(o.id for o in after_obs),
            before_photo_ids=tuple(p.id for o in before_obs for p in o.photos),
            after_photo_ids=tuple(p.id for o in after_obs for p in o.photos),
            in_base_lens=base_lens.prompt(prompt_id) is not None,
            in_followup_lens=followup_lens.prompt(prompt_id) is not None,
        ))

    grid_areas, grid_principles, grid = _grid(base, followup)
    actions = _actions_of(base, followup)
    return Comparison(
        base=base,
        followup=followup,
        team=compare_teams(base, followup),
        prompts=tuple(prompts),
        grid_areas=grid_areas,
        grid_principles=grid_principles,
        grid=grid,
        concerns=_concerns(prompts, actions),
        actions=_action_results(prompts, actions, {o.id for o in base.observations}),
        voices_before=_voices(base.observations),
        voices_after=_voices(followup.observations),
        prompts_only_in_base=_only_in(base_lens, followup_lens),
        prompts_only_in_followup=_only_in(followup_lens, base_lens),
    )


def _by_prompt(observations: Iterable[ObservationRecord]) -> dict[str, tuple[ObservationRecord, ...]]:
    groups: dict[str, list[ObservationRecord]] = {}
    for o in observations:
        if o.prompt_id is not None:
            groups.setdefault(o.prompt_id, []).append(o)
    return {k: tuple(v) for k, v in groups.items()}


def _prompt_order(base_lens: Lens, followup_lens: Lens, *observed: dict[str, object]) -> list[str]:
    """Prompts observed in either walk: the follow-up lens's order, then the earlier lens's, then the rest."""
    seen = set().union(*observed)
    ordered = [p.id for lens in (followup_lens, base_lens) for a in lens.areas for p in a.prompts]
    ordered += sorted(seen)  # prompt ids neither lens has (a damaged database): last, by id
    return [pid for pid in dict.fromkeys(ordered) if pid in seen]


def _area_title(area_id: str, *lenses: Lens) -> str:
    for lens in lenses:
        area = lens.area(area_id)
        if area is not None:
            return area.title
    return area_id


def _grid(base: WalkthroughContents, followup: WalkthroughContents) -> tuple[
        tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[GridCell, ...]]:
    base_lens, followup_lens = base.walkthrough.lens, followup.walkthrough.lens
    observed_areas = {o.area_id for o in (*base.observations, *followup.observations)}
    area_ids = list(dict.fromkeys([a.id for lens in (followup_lens, base_lens) for a in lens.areas]
                                  + sorted(observed_areas)))
    principles = {p.id: p.name for lens in (base_lens, followup_lens) for p in lens.principles}
    principles.update({p.id: p.name for p in followup_lens.principles})
    principle_ids = list(dict.fromkeys([p.id for lens in (followup_lens, base_lens) for p in lens.principles]))

    def cells(observations: Sequence[ObservationRecord]) -> dict[tuple[str, str], list[ObservationRecord]]:
        out: dict[tuple[str, str], list[ObservationRecord]] = {}
        for o in observations:
            for pid in set(o.principle_ids):
                out.setdefault((o.area_id, pid), []).append(o)
        return out

    before_cells, after_cells = cells(base.observations), cells(followup.observations)
    for _area, pid in (*before_cells, *after_cells):
        if pid not in principles:  # an id no lens defines: a column of its own, named by its id
            principles[pid] = pid
            principle_ids.append(pid)
    grid = []
    for area_id in area_ids:
        for pid in principle_ids:
            before_obs = before_cells.get((area_id, pid), [])
            after_obs = after_cells.get((area_id, pid), [])
            before, after = _finding_of(base_lens, before_obs), _finding_of(followup_lens, after_obs)
            grid.append(GridCell(
                area_id, pid, before, after, len(before_obs), len(after_obs),
                verdict(before, after, observed_before=bool(before_obs), observed_after=bool(after_obs),
                        followup_lens=followup_lens) if before_obs or after_obs else None,
            ))
    return (tuple((a, _area_title(a, followup_lens, base_lens)) for a in area_ids),
            tuple((pid, principles[pid]) for pid in principle_ids), tuple(grid))


def _actions_of(base: WalkthroughContents, followup: WalkthroughContents) -> tuple[ActionRecord, ...]:
    """The actions of both walks' plans, each once (a plan shared by the service lists one in both)."""
    return tuple({a.id: a for a in (*base.actions, *followup.actions)}.values())


def _linked(prompt: PromptComparison, actions: Iterable[ActionRecord]) -> tuple[ActionRecord, ...]:
    ids = {*prompt.before_observation_ids, *prompt.after_observation_ids}
    return tuple(a for a in actions if ids.intersection(a.observation_ids))


def _concerns(prompts: Sequence[PromptComparison],
              actions: Sequence[ActionRecord]) -> tuple[ConcernComparison, ...]:
    out = []
    for p in prompts:
        then = p.before is not None and p.before.is_concern
        now = p.after is not None and p.after.is_concern
        if now:
            status = ConcernStatus.PERSISTING if then else ConcernStatus.NEW
        elif then:
            status = ConcernStatus.NOT_REVISITED if p.after is None else ConcernStatus.RESOLVED
        else:
            continue
        out.append(ConcernComparison(p, status, _linked(p, actions)))
    return tuple(out)


def _action_results(prompts: Sequence[PromptComparison], actions: Sequence[ActionRecord],
                    base_ids: set[str]) -> tuple[ActionResult, ...]:
    prompt_of = {oid: p for p in prompts for oid in p.before_observation_ids}
    out = []
    for action in actions:
        answered = tuple({prompt_of[o].prompt_id: prompt_of[o] for o in action.observation_ids
                          if o in base_ids and o in prompt_of}.values())
        if not answered:
            continue
        revisited = [p for p in answered if p.verdict is not Verdict.NOT_REVISITED]
        if action.status is not ActionStatus.DONE:
            outcome = ActionOutcome.OPEN
        elif not revisited:
            outcome = ActionOutcome.NOT_REVISITED
        elif all(p.verdict is Verdict.IMPROVED for p in revisited):
            outcome = ActionOutcome.IMPROVED
        else:
            outcome = ActionOutcome.NOT_IMPROVED
        out.append(ActionResult(action, outcome, answered))
    return tuple(out)


def _voices(observations: Iterable[ObservationRecord]) -> tuple[VoiceEntry, ...]:
    return tuple(VoiceEntry(o.area_id, o.prompt_id, o.id, o.note, o.rating_id)
                 for o in observations if o.voice is Voice.LIVED_EXPERIENCE)


def _only_in(lens: Lens, other: Lens) -> tuple[LensOnlyPrompt, ...]:
    return tuple(LensOnlyPrompt(a.id, a.title, p.id, p.question)
                 for a in lens.areas for p in a.prompts if other.prompt(p.id) is None)
