"""Comparing two walks: the rules of walkthrough.domain.comparison, on plain records."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import TEST_LENS_YAML
from walkthrough.domain.comparison import (
    ActionOutcome,
    ConcernStatus,
    TeamDifference,
    Verdict,
    compare,
)
from walkthrough.domain.lens import parse_lens
from walkthrough.domain.records import (
    ActionRecord,
    ObservationRecord,
    PhotoRecord,
    TeamMember,
    WalkthroughContents,
    WalkthroughRecord,
)
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice

LENS = parse_lens(TEST_LENS_YAML, "test-lens.yaml")
#: Version 3 of the lens: "entrance-welcome" retired, "reception-wait" added.
NEW_LENS = parse_lens(
    TEST_LENS_YAML.replace('"2.0"', '"3.0"').replace(
        '      - {id: entrance-welcome, question: "Does it feel welcoming?", principles: [safety, trust]}\n', ""
    ).replace(
        '      - {id: reception-privacy,',
        '      - {id: reception-wait, question: "Is the wait explained?", principles: [trust]}\n'
        '      - {id: reception-privacy,',
    ),
    "test-lens-3.yaml",
)
WHEN = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone.utc)
_ids = itertools.count(1)


def obs(area: str, prompt: str | None, rating: str | None, principles: tuple[str, ...] = ("safety",), *,
        voice: Voice = Voice.STAFF, note: str = "", photos: int = 0, wid: str = "w") -> ObservationRecord:
    oid = f"o{next(_ids)}"
    return ObservationRecord(
        id=oid, walkthrough_id=wid, area_id=area, prompt_id=prompt, rating_id=rating, principle_ids=principles,
        note=note, voice=voice, position=0, created_at=WHEN, updated_at=WHEN,
        photos=tuple(PhotoRecord(f"{oid}-p{i}", oid, "", "x.jpg", 10, 10, "0" * 64, i) for i in range(photos)),
    )


def action(*observations: ObservationRecord, status: ActionStatus = ActionStatus.DONE) -> ActionRecord:
    return ActionRecord(
        id=f"a{next(_ids)}", walkthrough_id="w", text="Fix it", owner="Ana", due_date=None, priority=Priority.HIGH,
        status=status, component_id=None, principle_ids=(), observation_ids=tuple(o.id for o in observations),
        position=0, created_at=WHEN, updated_at=WHEN,
    )


def walk(observations=(), actions=(), *, lens=LENS, team=(("Sandy", Role.LIVED_EXPERIENCE), ("Jo", Role.STAFF)),
         facilitators=("Morag",), wid: str = "w") -> WalkthroughContents:
    record = WalkthroughRecord(
        id=wid, service="Orkney", site="Kirkwall", visit_date=WHEN.date(), lens=lens, facilitators=facilitators,
        participants=tuple(TeamMember(n, r) for n, r in team), created_at=WHEN, updated_at=WHEN)
    return WalkthroughContents(record, tuple(observations), tuple(actions))


def verdicts(comparison) -> dict[str, Verdict]:
    return {p.prompt_id: p.verdict for p in comparison.prompts}


def test_better_same_and_worse_ratings_give_improved_same_and_worse() -> None:
    before = walk([obs("entrance", "entrance-clear", "priority-concern"), obs("entrance", "entrance-welcome",
                   "working-well"), obs("reception", "reception-privacy", "working-well")])
    after = walk([obs("entrance", "entrance-clear", "could-be-better"), obs("entrance", "entrance-welcome",
                  "working-well"), obs("reception", "reception-privacy", "priority-concern")])
    comparison = compare(before, after)
    assert verdicts(comparison) == {"entrance-clear": Verdict.IMPROVED, "entrance-welcome": Verdict.SAME,
                                    "reception-privacy": Verdict.WORSE}
    assert comparison.counts[Verdict.IMPROVED] == 1 and comparison.counts[Verdict.NOT_REVISITED] == 0


def test_a_prompt_with_no_observation_this_time_is_not_revisited_never_resolved() -> None:
    concern = obs("entrance", "entrance-clear", "priority-concern")
    comparison = compare(walk([concern], [action(concern)]), walk([]))
    assert verdicts(comparison) == {"entrance-clear": Verdict.NOT_REVISITED}
    assert [c.status for c in comparison.concerns] == [ConcernStatus.NOT_REVISITED]
    assert [r.outcome for r in comparison.actions] == [ActionOutcome.NOT_REVISITED]


def test_not_seen_or_not_rated_this_time_is_not_revisited_and_a_finding_then_none_is_newly_observed() -> None:
    before = walk([obs("entrance", "entrance-clear", "could-be-better"), obs("entrance", "entrance-welcome", None)])
    after = walk([obs("entrance", "entrance-clear", "not-seen"), obs("entrance", "entrance-welcome", "working-well"),
                  obs("letters", "letters-plain", "priority-concern")])
    comparison = compare(before, after)
    assert verdicts(comparison) == {"entrance-clear": Verdict.NOT_REVISITED,
                                    "entrance-welcome": Verdict.NEWLY_OBSERVED,
                                    "letters-plain": Verdict.NEWLY_OBSERVED}
    assert [(c.prompt.prompt_id, c.status) for c in comparison.concerns] == [("letters-plain", ConcernStatus.NEW)]


def test_several_observations_of_a_prompt_combine_into_the_most_serious() -> None:
    before = walk([obs("entrance", "entrance-clear", "working-well"), obs("entrance", "entrance-clear",
                   "priority-concern"), obs("entrance", "entrance-clear", "not-seen")])
    after = walk([obs("entrance", "entrance-clear", "working-well"), obs("entrance", "entrance-clear",
                  "could-be-better"), obs("entrance", "entrance-clear", None)])
    [prompt] = compare(before, after).prompts
    assert (prompt.before.rating.id, prompt.after.rating.id) == ("priority-concern", "could-be-better")
    assert prompt.verdict is Verdict.IMPROVED
    assert len(prompt.before_observation_ids) == 3 and len(prompt.after_observation_ids) == 3


def test_prompts_only_in_one_lens_version_are_listed_as_such() -> None:
    before = walk([obs("entrance", "entrance-welcome", "priority-concern")])
    after = walk([obs("reception", "reception-wait", "could-be-better")], lens=NEW_LENS)
    comparison = compare(before, after)
    assert [p.prompt_id for p in comparison.prompts_only_in_base] == ["entrance-welcome"]
    assert [p.prompt_id for p in comparison.prompts_only_in_followup] == ["reception-wait"]
    assert comparison.lens_changed
    lines = {p.prompt_id: (p.verdict, p.in_base_lens, p.in_followup_lens) for p in comparison.prompts}
    assert lines == {"reception-wait": (Verdict.NEWLY_OBSERVED, False, True),
                     "entrance-welcome": (Verdict.NOT_REVISITED, True, False)}
    # The follow-up lens's order first, then the prompts only the earlier lens has.
    assert [p.prompt_id for p in comparison.prompts] == ["reception-wait", "entrance-welcome"]
    assert not compare(before, walk([])).lens_changed


def test_concerns_resolved_and_persisting_carry_their_actions_and_status() -> None:
    clear, privacy = obs("entrance", "entrance-clear", "priority-concern"), obs("reception", "reception-privacy",
                                                                                 "priority-concern")
    fix_clear, fix_privacy = action(clear), action(privacy, status=ActionStatus.IN_PROGRESS)
    after = walk([obs("entrance", "entrance-clear", "working-well"),
                  obs("reception", "reception-privacy", "priority-concern")])
    comparison = compare(walk([clear, privacy], [fix_clear, fix_privacy]), after)
    assert [(c.prompt.prompt_id, c.status, c.actions) for c in comparison.concerns] == [
        ("entrance-clear", ConcernStatus.RESOLVED, (fix_clear,)),
        ("reception-privacy", ConcernStatus.PERSISTING, (fix_privacy,)),
    ]
    assert {r.action.id: r.outcome for r in comparison.actions} == {
        fix_clear.id: ActionOutcome.IMPROVED, fix_privacy.id: ActionOutcome.OPEN}


def test_an_action_done_whose_prompt_did_not_improve_is_done_but_not_improved() -> None:
    clear, letters = obs("entrance", "entrance-clear", "could-be-better"), obs("letters", "letters-plain",
                                                                                "priority-concern")
    both = action(clear, letters)
    after = walk([obs("entrance", "entrance-clear", "working-well"), obs("letters", "letters-plain",
                                                                         "priority-concern")])
    [result] = compare(walk([clear, letters], [both]), after).actions
    assert result.outcome is ActionOutcome.NOT_IMPROVED
    assert {p.prompt_id: p.verdict for p in result.prompts} == {
        "entrance-clear": Verdict.IMPROVED, "letters-plain": Verdict.SAME}


def test_the_grid_combines_an_area_under_a_principle_with_free_standing_observations() -> None:
    before = walk([obs("entrance", "entrance-clear", "working-well", ("safety",)),
                   obs("entrance", None, "priority-concern", ("safety", "trust"))])
    after = walk([obs("entrance", "entrance-welcome", "could-be-better", ("safety",))])
    comparison = compare(before, after)
    safety, trust = comparison.cell("entrance", "safety"), comparison.cell("entrance", "trust")
    assert (safety.before_count, safety.after_count, safety.verdict) == (2, 1, Verdict.IMPROVED)
    assert trust.verdict is Verdict.NOT_REVISITED
    assert comparison.cell("letters", "choice").verdict is None
    assert [a for a, _t in comparison.grid_areas] == ["entrance", "reception", "letters"]


def test_photos_before_and_after_and_lived_experience_voices() -> None:
    before = walk([obs("entrance", "entrance-clear", "priority-concern", photos=2, voice=Voice.LIVED_EXPERIENCE,
                       note="I could not find the door")])
    after = walk([obs("entrance", "entrance-clear", "working-well", photos=1, voice=Voice.LIVED_EXPERIENCE,
                      note="Clear now"), obs("letters", "letters-plain", "working-well", photos=1)])
    comparison = compare(before, after)
    [pair] = comparison.photo_pairs
    assert (len(pair.before_photo_ids), len(pair.after_photo_ids)) == (2, 1)
    assert [v.note for v in comparison.voices_before] == ["I could not find the door"]
    assert [v.note for v in comparison.voices_after] == ["Clear now"]


def test_a_different_team_is_flagged_as_less_comparable() -> None:
    same = compare(walk(), walk())
    assert not same.team.differs and same.team.returning == 3
    other = compare(walk(), walk(team=(("Ann", Role.STAFF), ("Bo", Role.STAFF), ("Cy", Role.MANAGER),
                                       ("Di", Role.STAFF), ("Ed", Role.STAFF)), facilitators=("Fay",)))
    assert other.team.differences == (TeamDifference.SIZE, TeamDifference.LIVED_EXPERIENCE,
                                      TeamDifference.FEW_RETURNING)
    assert (other.team.before_lived_experience, other.team.after_lived_experience) == (1, 0)


_RATINGS = st.sampled_from([None, "working-well", "could-be-better", "priority-concern", "not-seen"])
_PROMPTS = st.sampled_from([("entrance", "entrance-clear"), ("entrance", "entrance-welcome"),
                            ("reception", "reception-privacy"), ("letters", "letters-plain"), ("entrance", None)])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_PROMPTS, _RATINGS, st.sampled_from([(), ("safety",), ("trust", "choice")])),
                max_size=12))
def test_a_walk_compared_with_itself_is_the_same_throughout(rows) -> None:
    contents = walk([obs(area, prompt, rating, principles) for (area, prompt), rating, principles in rows])
    comparison = compare(contents, contents)
    assert {p.verdict for p in comparison.prompts} <= {Verdict.SAME}
    assert {c.verdict for c in comparison.grid} <= {Verdict.SAME, None}
    assert {c.status for c in comparison.concerns} <= {ConcernStatus.PERSISTING}
    assert not comparison.team.differs and not comparison.lens_changed
