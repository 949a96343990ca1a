"""Observations through the services, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from tests.unit.services.test_walkthroughs import jpeg_bytes
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import Photo, Voice
from walkthrough.services import actions, observations, photos
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


@pytest.fixture
def db(any_db):
    """Every test here runs on a SQLite file and on PostgreSQL (``any_db`` in conftest.py)."""
    return any_db


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


def test_replacing_an_observation_keeps_the_actions_linked_to_it_now_and_its_time_when_nothing_differs(
    db, walkthrough_id
):
    obs = observations.add_observation(db, walkthrough_id, NewObservation(
        "entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),)))
    before = observations.read_observation_bundle(db, obs.id)
    [photo] = photos.add_photos(db, obs.id, [prepare_photo(jpeg_bytes(colour="red"), "b.jpg")])
    action = actions.add_action(db, walkthrough_id, actions.NewAction("Fix it", observation_ids=(obs.id,)))
    observations.replace_observation(db, before)  # undo the photo: the plan's link stays
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == (obs.id,)
    undone = observations.get_observation(db, obs.id)
    assert [p.id for p in undone.photos] == [obs.photos[0].id] and photo.id not in {p.id for p in undone.photos}
    observations.replace_observation(db, before)  # nothing differs: nothing changes, its time neither
    assert observations.get_observation(db, obs.id) == undone
    assert action.id == actions.list_actions(db, walkthrough_id)[0].id


def test_replacing_an_observation_is_one_transaction_and_reading_one_changes_nothing(db, walkthrough_id, monkeypatch):
    from walkthrough.domain.errors import NotFound as _NotFound

    obs = observations.add_observation(
        db, walkthrough_id,
        NewObservation("entrance", "working-well", note="before", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),)),
    )
    before = observations.read_observation_bundle(db, obs.id)
    assert observations.get_observation(db, obs.id) == obs  # reading took nothing out
    photos.add_photos(db, obs.id, [prepare_photo(jpeg_bytes(colour="red"), "b.jpg")])
    replaced = observations.replace_observation(db, before)
    assert dataclasses.replace(replaced, updated_at=obs.updated_at) == obs  # back to one photo, same ids
    assert replaced.updated_at > obs.updated_at  # and changed now

    def fail(*args, **kwargs):
        raise _NotFound("walkthrough", "gone")

    monkeypatch.setattr(observations, "load_walkthrough_row", fail)  # fails after the delete, inside the transaction
    with pytest.raises(_NotFound):
        observations.replace_observation(db, before)
    monkeypatch.undo()
    assert observations.get_observation(db, obs.id) == replaced  # rolled back: never missing
