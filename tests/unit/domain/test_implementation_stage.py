"""The implementation stage of each area, walk by walk (domain/implementation_stage.py)."""

from __future__ import annotations

from tests.unit.report_fixtures import action, contents, observation
from walkthrough.domain.implementation_stage import Stage, StageReason, implementation_stages
from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Role


def _stage(walks, walk: int, area: str) -> tuple[Stage, StageReason]:
    found = next(a for a in implementation_stages(walks)[walk].areas if a.area_id == area)
    return found.stage, found.reason


def test_an_area_with_nothing_recorded_is_not_walked_and_every_lens_area_has_a_stage() -> None:
    walk = contents([observation("entrance", "entrance-signs", "priority-concern", "No sign")])
    (stages,) = implementation_stages([walk])
    assert [a.area_id for a in stages.areas] == ["entrance", "waiting", "letters"]  # the lens's walking order
    assert _stage([walk], 0, "waiting") == (Stage.NOT_WALKED, StageReason.NOTHING_RECORDED)
    assert _stage([walk], 0, "entrance") == (Stage.WALKED, StageReason.WALKED)


def test_walked_needs_both_staff_and_lived_experience_in_the_team() -> None:
    seen = [observation("entrance", "entrance-signs", "priority-concern", "No sign")]
    staff_only = contents(seen, participants=[TeamMember("Ravi", Role.STAFF)])
    lived_only = contents(seen, participants=[TeamMember("Ailsa", Role.LIVED_EXPERIENCE)])
    manager_and_lived = contents(seen, participants=[TeamMember("Ailsa", Role.LIVED_EXPERIENCE),
                                                      TeamMember("Tom", Role.MANAGER)])
    assert _stage([staff_only], 0, "entrance") == (Stage.NOT_WALKED, StageReason.NO_LIVED_EXPERIENCE)
    assert _stage([lived_only], 0, "entrance") == (Stage.NOT_WALKED, StageReason.NO_STAFF)
    assert _stage([manager_and_lived], 0, "entrance") == (Stage.WALKED, StageReason.WALKED)


def test_actions_answering_the_areas_findings_take_it_to_planned_then_some_done() -> None:
    sign = observation("entrance", "entrance-signs", "priority-concern", "No sign", obs_id="sign")
    planned = [action("Put up a sign", observation_ids=["sign"]), action("Unrelated")]
    assert _stage([contents([sign], planned)], 0, "entrance") == (Stage.ACTIONS_PLANNED, StageReason.ACTIONS_PLANNED)
    half = [action("Put up a sign", status=ActionStatus.DONE, observation_ids=["sign"]),
            action("Light the path", observation_ids=["sign"])]
    (stages,) = implementation_stages([contents([sign], half)])
    entrance = stages.areas[0]
    assert (entrance.stage, entrance.reason, entrance.done, entrance.actions) == (
        Stage.SOME_DONE, StageReason.SOME_DONE, 1, 2)


def test_all_done_is_stage_5_only_when_the_follow_up_walk_shows_the_area_improved() -> None:
    sign = observation("entrance", "entrance-signs", "priority-concern", "No sign", obs_id="sign")
    done = [action("Put up a sign", status=ActionStatus.DONE, observation_ids=["sign"])]
    first = contents([sign], done)
    assert _stage([first], 0, "entrance") == (Stage.SOME_DONE, StageReason.ALL_DONE_NOT_YET_IMPROVED)
    better = contents([observation("entrance", "entrance-signs", "working-well", "Clear sign now")])
    same = contents([observation("entrance", "entrance-signs", "priority-concern", "Still no sign")])
    mixed = contents([observation("entrance", "entrance-signs", "working-well", "Sign"),
                      observation("entrance", "entrance-welcome", "priority-concern", "Cold and dark")])
    # The follow-up's actions are the plan's: the earlier walk's action answers the area's earlier finding.
    assert _stage([first, better], 1, "entrance") == (Stage.DONE_AND_IMPROVED, StageReason.DONE_AND_IMPROVED)
    assert _stage([first, same], 1, "entrance") == (Stage.SOME_DONE, StageReason.ALL_DONE_NOT_YET_IMPROVED)
    assert _stage([first, mixed], 1, "entrance")[0] is Stage.SOME_DONE  # a new priority concern there
    assert _stage([first, better], 0, "entrance")[0] is Stage.SOME_DONE  # the earlier walk stays where it was
