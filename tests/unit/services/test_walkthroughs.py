"""Walkthroughs through the services, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import Observation, Role, Voice
from walkthrough.domain.records import TeamMember
from walkthrough.services import actions, observations, photos, walkthroughs
from walkthrough.services.lens_catalog import load_catalog
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


@pytest.fixture
def db(any_db):
    """Every test here runs on a SQLite file and on PostgreSQL (``any_db`` in conftest.py)."""
    return any_db


def jpeg_bytes(size: tuple[int, int] = (300, 200), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


# A bad paste: lone surrogates and a NUL, and what is stored instead.
BAD_PASTE = "before\ud800after\x00end \ud83d\ude00"
CLEANED = "before\ufffdafterend 😀"


def test_create_walkthrough_keeps_team_and_lens_snapshot(db, test_lens) -> None:
    record = walkthroughs.create_walkthrough(
        db,
        test_lens,
        service="  Orkney Recovery Service ",
        site="Kirkwall",
        visit_date=dt.date(2026, 10, 14),
        facilitators=["Morag Flett", "Ian Rendall"],
        participants=[TeamMember("Sandy", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.STAFF)],
    )
    again = walkthroughs.get_walkthrough(db, record.id)
    assert again.service == "Orkney Recovery Service"
    assert again.visit_date == dt.date(2026, 10, 14)
    assert again.facilitators == ("Morag Flett", "Ian Rendall")
    assert again.participants == (TeamMember("Sandy", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.STAFF))
    assert again.lens == test_lens
    assert len(again.id) == 36


@pytest.mark.parametrize("field", ["service", "site"])
def test_empty_service_or_site_is_refused(db, test_lens, field: str) -> None:
    kwargs = {"service": "S", "site": "T", field: "  "}
    with pytest.raises(InvalidInput, match=field):
        walkthroughs.create_walkthrough(db, test_lens, **kwargs)


def test_editing_the_lens_file_never_changes_an_existing_walkthrough(db, tmp_path: Path) -> None:
    from tests.conftest import TEST_LENS_YAML

    user_lenses = tmp_path / "lenses"
    user_lenses.mkdir()
    (user_lenses / "test-lens.yaml").write_text(TEST_LENS_YAML, encoding="utf-8")
    wid = walkthroughs.create_walkthrough(db, load_catalog(user_lenses).get("test-lens").lens, service="S", site="T").id
    edited = TEST_LENS_YAML.replace("Is it clear where to go?", "Changed question?").replace('"2.0"', '"3.0"')
    (user_lenses / "test-lens.yaml").write_text(edited, encoding="utf-8")
    assert load_catalog(user_lenses).get("test-lens").lens.prompt("entrance-clear").question == "Changed question?"
    stored = walkthroughs.get_walkthrough(db, wid).lens
    assert stored.prompt("entrance-clear").question == "Is it clear where to go?"
    assert stored.version == "2.0"


def test_list_counts_observations_photos_and_areas_most_recent_first(db, test_lens) -> None:
    first = walkthroughs.create_walkthrough(db, test_lens, service="First", site="A").id
    second = walkthroughs.create_walkthrough(db, test_lens, service="Second", site="B").id
    observations.add_observation(
        db, first, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    observations.add_observation(db, first, NewObservation("letters", "priority-concern"))
    rows = walkthroughs.list_walkthroughs(db)
    assert [r.id for r in rows] == [first, second]  # first was changed last
    top = rows[0]
    assert (top.observation_count, top.photo_count, top.areas_walked, top.area_count) == (2, 1, 2, 3)


def test_find_same_visit_ignores_case_spaces_and_the_unicode_form_but_not_the_date(db, test_lens) -> None:
    day = dt.date(2026, 11, 3)
    first = walkthroughs.create_walkthrough(db, test_lens, service="Caf\u00e9 Hope", site="Harbour St", visit_date=day)
    found = walkthroughs.find_same_visit(db, "  cafe\u0301  HOPE", "harbour st ", day)
    assert found is not None and found.id == first.id
    assert walkthroughs.find_same_visit(db, "Cafe Hope", "Harbour St", day) is None  # another name
    assert walkthroughs.find_same_visit(db, "Caf\u00e9 Hope", "Harbour St", day + dt.timedelta(days=1)) is None


def test_update_corrects_the_named_details_and_replaces_the_lists_given(db, test_lens) -> None:
    made = walkthroughs.create_walkthrough(
        db, test_lens, service="Orkney Recovery", site="Kirkwall", visit_date=dt.date(2026, 10, 14),
        facilitators=["Morag Flett", "Ian Rendall"],
        participants=[TeamMember("Sandy", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.STAFF)],
    )
    other = walkthroughs.create_walkthrough(db, test_lens, service="Other", site="B").id
    updated = walkthroughs.update_walkthrough(
        db, made.id, site="  Stromness ", visit_date=dt.date(2026, 10, 15), facilitators=["Morag Flett"],
        participants=[TeamMember("Sandy Rendall", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.MANAGER),
                      TeamMember("Kim", "staff")],  # a late joiner; roles as stored text too
    )
    again = walkthroughs.get_walkthrough(db, made.id)
    assert updated == again
    assert (again.service, again.site, again.visit_date) == ("Orkney Recovery", "Stromness", dt.date(2026, 10, 15))
    assert again.facilitators == ("Morag Flett",)
    assert again.participants == (TeamMember("Sandy Rendall", Role.LIVED_EXPERIENCE),
                                  TeamMember("Jo", Role.MANAGER), TeamMember("Kim", Role.STAFF))
    assert again.lens == made.lens and again.created_at == made.created_at
    assert [r.id for r in walkthroughs.list_walkthroughs(db)] == [made.id, other]  # changed last
    with db.engine.connect() as conn:  # the replaced team members are gone, not left behind
        assert conn.execute(text("SELECT count(*) FROM facilitator")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM participant")).scalar() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"service": " "}, "service"),
        ({"site": ""}, "site"),
        ({"facilitators": ["Morag", "  "]}, "facilitator"),
        ({"participants": [TeamMember("", Role.STAFF)]}, "participant"),
    ],
)
def test_update_refuses_what_create_refuses_and_changes_nothing(db, test_lens, change, message: str) -> None:
    made = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T", facilitators=["Morag"],
                                           participants=[TeamMember("Sandy", Role.STAFF)])
    with pytest.raises(InvalidInput, match=message):
        walkthroughs.update_walkthrough(db, made.id, **{"visit_date": dt.date(2026, 1, 2), "site": "U", **change})
    assert walkthroughs.get_walkthrough(db, made.id) == made
    with pytest.raises(NotFound):
        walkthroughs.update_walkthrough(db, "ffffffff-0000-0000-0000-000000000000", site="Stromness")


def test_updating_with_the_earlier_details_puts_them_back(db, test_lens) -> None:
    before = walkthroughs.create_walkthrough(
        db, test_lens, service="S", site="T", visit_date=dt.date(2026, 1, 2), facilitators=["A", "B"],
        participants=[TeamMember("Sandy", Role.LIVED_EXPERIENCE)],
    )
    walkthroughs.update_walkthrough(db, before.id, service="S2", site="T2", visit_date=dt.date(2026, 1, 3),
                                    facilitators=[], participants=[TeamMember("Jo", Role.OTHER)])
    restored = walkthroughs.update_walkthrough(
        db, before.id, service=before.service, site=before.site, visit_date=before.visit_date,
        facilitators=before.facilitators, participants=before.participants,
    )
    assert restored == walkthroughs.get_walkthrough(db, before.id)
    assert (restored.service, restored.site, restored.visit_date, restored.facilitators, restored.participants) == (
        before.service, before.site, before.visit_date, before.facilitators, before.participants)


def test_an_update_that_changes_nothing_writes_nothing(db, test_lens) -> None:
    made = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T", facilitators=["A"])
    same = walkthroughs.update_walkthrough(db, made.id, service="S ", facilitators=["A"], participants=[])
    assert same == made  # updated_at too


def test_walkthrough_ids_can_be_given_by_a_unique_prefix(db, test_lens) -> None:
    wid = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T").id
    assert walkthroughs.resolve_walkthrough_id(db, wid[:8]) == wid
    assert walkthroughs.resolve_walkthrough_id(db, wid.upper()) == wid
    with pytest.raises(NotFound):
        walkthroughs.resolve_walkthrough_id(db, wid[:3])
    with pytest.raises(NotFound):
        walkthroughs.resolve_walkthrough_id(db, "ffffffff-0000")
    with pytest.raises(NotFound):
        walkthroughs.resolve_walkthrough_id(db, "%%%%")


def test_deleting_a_walkthrough_removes_everything_it_owns(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    actions.add_action(db, walkthrough_id, actions.NewAction("Fix it", observation_ids=(obs.id,)))
    walkthroughs.delete_walkthrough(db, walkthrough_id)
    with db.engine.connect() as conn:
        for table in ("observation", "photo", "action", "action_observation", "observation_principle"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table


def test_opening_reads_the_walkthrough_and_its_observations_as_the_single_reads_do(db, walkthrough_id: str) -> None:
    first = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "priority-concern",
                                                                              prompt_id="entrance-clear",
                                                                              note="No sign"))
    observations.add_observation(db, walkthrough_id, NewObservation("letters", "working-well", voice=Voice.LIVED_EXPERIENCE))
    photos.add_photos(db, first.id, [prepare_photo(jpeg_bytes(), name="door.jpg")])

    record, listed = observations.walkthrough_with_observations(db, walkthrough_id)

    assert record == walkthroughs.get_walkthrough(db, walkthrough_id)
    assert listed == observations.list_observations(db, walkthrough_id)
    assert [len(o.photos) for o in listed] == [1, 0]
    assert listed[0].principle_ids == tuple(sorted(listed[0].principle_ids)) and listed[0].principle_ids
    assert listed[1].voice is Voice.LIVED_EXPERIENCE
    # The timestamps, read as text for speed, are exactly what the ORM gives.
    with db.sessions.begin() as session:
        for record in listed:
            row = session.get(Observation, record.id)
            assert (record.created_at, record.updated_at) == (row.created_at, row.updated_at)
            assert record.created_at.tzinfo is not None and record.created_at.microsecond == row.created_at.microsecond
    with pytest.raises(NotFound):
        observations.walkthrough_with_observations(db, "no-such-walkthrough")


def test_a_lone_surrogate_in_the_walkthroughs_names_is_stored_as_a_replacement(db, test_lens) -> None:
    record = walkthroughs.create_walkthrough(
        db,
        test_lens,
        service=BAD_PASTE,
        site=BAD_PASTE,
        facilitators=[BAD_PASTE],
        participants=[TeamMember(BAD_PASTE, Role.STAFF)],
    )
    again = walkthroughs.get_walkthrough(db, record.id)
    assert (again.service, again.site) == (CLEANED, CLEANED)
    assert again.facilitators == (CLEANED,)
    assert again.participants == (TeamMember(CLEANED, Role.STAFF),)
    assert [w.service for w in walkthroughs.list_walkthroughs(db)] == [CLEANED]


def test_load_contents_reads_everything_in_walking_order(db, walkthrough_id: str) -> None:
    late = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    early = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    actions.add_action(db, walkthrough_id, actions.NewAction("Act", observation_ids=(late.id,)))
    contents = walkthroughs.load_contents(db, walkthrough_id)
    assert [o.id for o in contents.observations] == [early.id, late.id]
    assert contents.photo_count == 1
    assert contents.actions[0].observation_ids == (late.id,)
    with pytest.raises(NotFound):
        walkthroughs.load_contents(db, "nope")


def test_a_stored_lens_is_rebuilt_once_and_a_damaged_one_is_refused_every_time(test_lens) -> None:
    from walkthrough.domain.errors import LensError

    snapshot = test_lens.to_snapshot()
    first = walkthroughs.lens_from_snapshot(snapshot)
    assert first == test_lens
    assert walkthroughs.lens_from_snapshot(str(snapshot)) is first  # the same text: the same (frozen) lens
    damaged = snapshot.replace('"areas"', '"arias"')
    for _ in range(2):
        with pytest.raises(LensError):
            walkthroughs.lens_from_snapshot(damaged)
