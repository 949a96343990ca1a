"""Walkthroughs, observations and actions through the services, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import (
    ActionStatus,
    Observation,
    Photo,
    Priority,
    Role,
    Voice,
)
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


# -- walkthroughs -------------------------------------------------------------------


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


# -- observations ----------------------------------------------------------------------


def test_observation_takes_the_prompts_principles_unless_given(db, walkthrough_id: str) -> None:
    default = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "could-be-better", prompt_id="entrance-welcome")
    )
    assert default.principle_ids == ("safety", "trust")
    chosen = observations.add_observation(
        db,
        walkthrough_id,
        NewObservation("entrance", "could-be-better", prompt_id="entrance-welcome", principle_ids=("choice",)),
    )
    assert chosen.principle_ids == ("choice",)
    free = observations.add_observation(db, walkthrough_id, NewObservation("reception", "priority-concern"))
    assert free.prompt_id is None and free.principle_ids == ()


@pytest.mark.parametrize(
    "item, message",
    [
        (NewObservation("garden", "working-well"), "unknown area 'garden'"),
        (NewObservation("entrance", "excellent"), "unknown rating 'excellent'"),
        (NewObservation("entrance", "working-well", prompt_id="letters-plain"), "has no prompt 'letters-plain'"),
        (NewObservation("entrance", "working-well", principle_ids=("joy",)), "unknown principle 'joy'"),
    ],
)
def test_ids_the_lens_does_not_have_are_refused_by_name(db, walkthrough_id: str, item, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        observations.add_observation(db, walkthrough_id, item)
    assert observations.list_observations(db, walkthrough_id) == []


def test_bulk_add_is_all_or_nothing(db, walkthrough_id: str) -> None:
    good = NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    bad = NewObservation("entrance", "nope")
    with pytest.raises(InvalidInput, match="item 2"):
        observations.add_observations(db, walkthrough_id, [good, bad])
    assert observations.list_observations(db, walkthrough_id) == []
    with db.sessions.begin() as session:
        assert session.scalar(select(func.count(Photo.id))) == 0


def test_observations_come_back_in_walking_order(db, walkthrough_id: str) -> None:
    add = lambda area, prompt=None: observations.add_observation(  # noqa: E731
        db, walkthrough_id, NewObservation(area, "working-well", prompt_id=prompt)
    ).id
    letters = add("letters", "letters-plain")
    free_entrance = add("entrance")
    welcome = add("entrance", "entrance-welcome")
    clear = add("entrance", "entrance-clear")
    reception = add("reception", "reception-privacy")
    order = [o.id for o in observations.list_observations(db, walkthrough_id)]
    assert order == [clear, welcome, free_entrance, reception, letters]
    assert [o.id for o in observations.list_observations(db, walkthrough_id, "entrance")] == [
        clear, welcome, free_entrance,
    ]



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


NOTES = [
    "Ceòl & <b>not bold</b> — Zoë Łódź Ελλάδα Привет £5 €3 ≥2 CO₂ “quoted” ‘single’",
    "Line one\nLine two\n\nNew paragraph\twith a tab",
    "Bell\x07 escape\x1b and form feed\x0c kept",
    "emoji 🙂 and Welsh ŵ ŷ",
]


@pytest.mark.parametrize("note", NOTES)
def test_notes_are_stored_exactly_as_typed(db, walkthrough_id: str, note: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note=note))
    assert observations.get_observation(db, obs.id).note == note


def test_lone_surrogates_and_nul_from_a_bad_paste_do_not_crash(db, walkthrough_id: str) -> None:
    note = "before\ud800after\x00end \ud83d\ude00"
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note=note))
    assert observations.get_observation(db, obs.id).note == "before\ufffdafterend 😀"


BAD_PASTE = "before\ud800after\x00end \ud83d\ude00"
CLEANED = "before\ufffdafterend 😀"


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


def test_a_lone_surrogate_in_a_caption_is_stored_as_a_replacement(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    photo_id = obs.photos[0].id
    assert photos.set_caption(db, photo_id, BAD_PASTE).caption == CLEANED
    assert observations.get_observation(db, obs.id).photos[0].caption == CLEANED


def test_a_lone_surrogate_in_an_action_is_stored_as_a_replacement(db, walkthrough_id: str) -> None:
    action = actions.add_action(db, walkthrough_id, actions.NewAction(BAD_PASTE, owner=BAD_PASTE))
    assert (action.text, action.owner) == (CLEANED, CLEANED)
    updated = actions.update_action(db, action.id, text="x\udfff", owner="y\udc00")
    assert (updated.text, updated.owner) == ("x\ufffd", "y\ufffd")
    assert [(a.text, a.owner) for a in actions.list_actions(db, walkthrough_id)] == [("x\ufffd", "y\ufffd")]


def test_update_changes_only_named_fields_and_checks_them(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", prompt_id="entrance-clear", note="x")
    )
    updated = observations.update_observation(db, obs.id, rating_id="priority-concern", voice=Voice.LIVED_EXPERIENCE)
    assert (updated.rating_id, updated.note, updated.voice) == ("priority-concern", "x", Voice.LIVED_EXPERIENCE)
    assert updated.updated_at >= obs.updated_at
    assert observations.update_observation(db, obs.id, principle_ids=["trust", "trust"]).principle_ids == ("trust",)
    with pytest.raises(InvalidInput):
        observations.update_observation(db, obs.id, rating_id="great")
    with pytest.raises(NotFound):
        observations.update_observation(db, "missing", note="y")


def test_an_observation_can_be_written_first_and_rated_later_or_set_back_to_not_rated(
    db, walkthrough_id: str
) -> None:
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", prompt_id="entrance-clear", note="Staff said 2 of them")
    )
    assert (obs.rating_id, obs.note) == (None, "Staff said 2 of them")
    assert observations.list_observations(db, walkthrough_id)[0].rating_id is None
    # Other changes leave it unrated; a rating given later sticks; None sets it back.
    assert observations.update_observation(db, obs.id, note="Staff said 2 of them left").rating_id is None
    assert observations.update_observation(db, obs.id, rating_id="could-be-better").rating_id == "could-be-better"
    assert observations.update_observation(db, obs.id, note="x").rating_id == "could-be-better"
    assert observations.update_observation(db, obs.id, rating_id=None).rating_id is None
    assert observations.get_observation(db, obs.id).rating_id is None


def test_deleting_an_observation_deletes_its_photos_and_leaves_no_trace(db, walkthrough_id: str) -> None:
    secret = "Name on the whiteboard: Jane Secret-Surname"
    obs = observations.add_observation(
        db,
        walkthrough_id,
        NewObservation("entrance", "working-well", note=secret, photos=(prepare_photo(jpeg_bytes(), "a.jpg"),)),
    )
    observations.delete_observation(db, obs.id)
    with db.sessions.begin() as session:
        assert session.scalar(select(func.count(Photo.id))) == 0
    db.close()  # checkpoint the WAL into the main file
    if db.path is None:  # PostgreSQL: the bytes on disk are the server's (old row versions stay until VACUUM)
        return
    for path in db.path.parent.glob(db.path.name + "*"):
        assert secret.encode() not in path.read_bytes(), path


# -- photos --------------------------------------------------------------------------------


def test_photos_are_added_captioned_read_and_deleted(db, walkthrough_id: str, tmp_path: Path) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well"))
    good = tmp_path / "good photo.jpg"
    good.write_bytes(jpeg_bytes((800, 600)))
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture")
    outcomes = photos.add_photo_files(db, obs.id, [good, bad])
    assert outcomes[0].record is not None and outcomes[0].record.original_name == "good photo.jpg"
    assert outcomes[1].record is None and "notes.jpg" in str(outcomes[1].error)
    photo_id = outcomes[0].record.id
    assert photos.set_caption(db, photo_id, " Reception desk ").caption == "Reception desk"
    with Image.open(io.BytesIO(photos.photo_jpeg(db, photo_id))) as im:
        assert im.size == (800, 600)
    with Image.open(io.BytesIO(photos.photo_thumbnail(db, photo_id))) as im:
        assert max(im.size) <= 320
    photos.delete_photo(db, photo_id)
    assert observations.get_observation(db, obs.id).photos == ()
    with pytest.raises(NotFound):
        photos.photo_jpeg(db, photo_id)


def test_export_names_trace_back_and_never_collide(db, walkthrough_id: str, tmp_path: Path) -> None:
    pics = tuple(prepare_photo(jpeg_bytes(colour=c), f"{c}.jpg") for c in ("red", "green"))
    first = observations.add_observation(db, walkthrough_id, NewObservation("reception", "working-well", photos=pics))
    second = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", photos=pics))
    out = tmp_path / "exported photos ü"
    written = photos.export_photos(db, walkthrough_id, out)
    names = [p.name for p in written]
    assert names == [
        f"01-entrance-{second.id[:8]}-01.jpg",
        f"01-entrance-{second.id[:8]}-02.jpg",
        f"02-reception-{first.id[:8]}-01.jpg",
        f"02-reception-{first.id[:8]}-02.jpg",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    with Image.open(written[0]) as im:
        assert not im.getexif()


# -- actions --------------------------------------------------------------------------------


def test_actions_link_findings_principles_and_a_component(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    action = actions.add_action(
        db,
        walkthrough_id,
        actions.NewAction(
            "Rewrite the missed-appointment letter with people with lived experience",
            owner="Team lead",
            due_date=dt.date(2026, 12, 1),
            priority=Priority.HIGH,
            component_id="power-sharing",
            principle_ids=("trust", "choice"),
            observation_ids=(obs.id,),
        ),
    )
    assert action.observation_ids == (obs.id,)
    assert action.principle_ids == ("choice", "trust")
    done = actions.update_action(db, action.id, status=ActionStatus.DONE, due_date=None, component_id=None)
    assert (done.status, done.due_date, done.component_id) == (ActionStatus.DONE, None, None)
    assert [a.id for a in actions.list_actions(db, walkthrough_id)] == [action.id]
    observations.delete_observation(db, obs.id)
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == ()
    actions.delete_action(db, action.id)
    assert actions.list_actions(db, walkthrough_id) == []


def test_bad_actions_are_refused(db, walkthrough_id: str, test_lens) -> None:
    other = walkthroughs.create_walkthrough(db, test_lens, service="Other", site="X").id
    foreign = observations.add_observation(db, other, NewObservation("entrance", "working-well"))
    with pytest.raises(InvalidInput, match="empty"):
        actions.add_action(db, walkthrough_id, actions.NewAction("   "))
    with pytest.raises(InvalidInput, match="unknown core component 'money'"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", component_id="money"))
    with pytest.raises(InvalidInput, match="unknown principle"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", principle_ids=("joy",)))
    with pytest.raises(NotFound, match="observation"):
        actions.add_action(db, walkthrough_id, actions.NewAction("x", observation_ids=(foreign.id,)))
    assert actions.list_actions(db, walkthrough_id) == []


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


def test_an_observation_taken_out_can_be_put_back_exactly(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(
        db,
        walkthrough_id,
        NewObservation("entrance", "priority-concern", prompt_id="entrance-clear", note="Dark path",
                       voice=Voice.STAFF, photos=(prepare_photo(jpeg_bytes(), "path.jpg"),)),
    )
    photos.set_caption(db, obs.photos[0].id, "The path at dusk")
    obs = observations.get_observation(db, obs.id)
    action = actions.add_action(db, walkthrough_id, actions.NewAction("Light it", observation_ids=(obs.id,)))
    jpeg = photos.photo_jpeg(db, obs.photos[0].id)

    bundle = observations.take_out_observation(db, obs.id)
    assert observations.list_observations(db, walkthrough_id) == []
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == ()

    restored = observations.put_back_observation(db, bundle)
    assert restored == obs
    assert photos.photo_jpeg(db, obs.photos[0].id) == jpeg
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == (obs.id,)
    assert action.id == actions.list_actions(db, walkthrough_id)[0].id


def test_a_deleted_action_can_be_put_back_with_its_id_and_links(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(db, walkthrough_id, NewObservation("letters", "priority-concern"))
    action = actions.add_action(db, walkthrough_id, actions.NewAction(
        "Plain letters", owner="Lead", due_date=dt.date(2027, 1, 5), priority=Priority.HIGH,
        component_id="policies-processes", principle_ids=("trust",), observation_ids=(obs.id,)))
    actions.delete_action(db, action.id)
    assert actions.put_back_action(db, action) == action
    assert actions.list_actions(db, walkthrough_id) == [action]


def test_blurring_a_region_replaces_the_stored_pixels_for_good(db, walkthrough_id: str) -> None:
    from PIL import ImageDraw, ImageStat

    picture = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(picture)
    for x in range(0, 200, 4):  # fine black-and-white stripes: "text on a board"
        draw.line([(x, 0), (x, 150)], fill="black", width=2)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    obs = observations.add_observation(
        db, walkthrough_id,
        NewObservation("entrance", "working-well", photos=(prepare_photo(buffer.getvalue(), "board.png"),)),
    )
    photo_id = obs.photos[0].id
    before = photos.photo_jpeg(db, photo_id)
    record = photos.blur_photo_region(db, photo_id, (0, 0, 200, 150))
    after = photos.photo_jpeg(db, photo_id)
    assert after != before and record.sha256 != obs.photos[0].sha256
    with Image.open(io.BytesIO(after)) as im:
        assert im.size == (400, 300)
        stripes = ImageStat.Stat(im.convert("L").crop((20, 20, 180, 130))).stddev[0]
        untouched = ImageStat.Stat(im.convert("L").crop((220, 20, 380, 130))).mean[0]
    assert stripes < 20  # the stripes are gone
    assert untouched > 240  # the rest is as it was
    db.close()
    if db.path is not None:  # a file's bytes (on PostgreSQL they are the server's)
        assert all(before not in p.read_bytes() for p in db.path.parent.glob(db.path.name + "*"))
    from walkthrough.domain.errors import PhotoRejected

    with pytest.raises(PhotoRejected, match="empty"):
        photos.blur_photo_region(db, photo_id, (10, 10, 10, 50))


def test_replacing_an_observation_is_one_transaction_and_reading_one_changes_nothing(db, walkthrough_id, monkeypatch):
    from walkthrough.domain.errors import NotFound as _NotFound

    obs = observations.add_observation(
        db, walkthrough_id,
        NewObservation("entrance", "working-well", note="before", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),)),
    )
    before = observations.read_observation_bundle(db, obs.id)
    assert observations.get_observation(db, obs.id) == obs  # reading took nothing out
    photos.add_photos(db, obs.id, [prepare_photo(jpeg_bytes(colour="red"), "b.jpg")])
    assert observations.replace_observation(db, before) == obs  # back to one photo, same ids

    def fail(*args, **kwargs):
        raise _NotFound("walkthrough", "gone")

    monkeypatch.setattr(observations, "load_walkthrough_row", fail)  # fails after the delete, inside the transaction
    with pytest.raises(_NotFound):
        observations.replace_observation(db, before)
    monkeypatch.undo()
    assert observations.get_observation(db, obs.id) == obs  # rolled back: never missing


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
