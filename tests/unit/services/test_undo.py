"""Undo and redo in the core: the same services, the same ids, recorded in the history, no original after a blur."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.vocabulary import ActionStatus, Voice
from walkthrough.services import actions, history, observations, photos, walkthroughs
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import PreparedPhoto, prepare_photo
from walkthrough.services.undo import NOTE_MERGE_SECONDS, UndoHistory


@pytest.fixture
def db(any_db):
    return any_db


class FakeClock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def undo(db, walkthrough_id, clock) -> UndoHistory:
    return UndoHistory(db, walkthrough_id, clock=clock)


def _striped(width: int) -> PreparedPhoto:
    picture = io.BytesIO()
    stripes = Image.new("RGB", (320, 240), "white")
    for x in range(0, 320, 2 * width):  # sharp stripes, so blurring changes the bytes
        stripes.paste((0, 0, 0), (x, 0, x + width, 240))
    stripes.save(picture, "JPEG")
    return prepare_photo(picture.getvalue(), "stripes.jpg")


def _pictures(db, observation_id: str) -> list[tuple[str, str, bytes, bytes]]:
    return [(p.id, p.caption, photos.photo_jpeg(db, p.id), photos.photo_thumbnail(db, p.id))
            for p in observations.get_observation(db, observation_id).photos]


def _history_size(db, walkthrough_id: str) -> int:
    return len(history.list_history(db, walkthrough_id))


def test_undoing_a_deletion_brings_back_the_same_ids_photos_principles_and_links_and_redo_deletes_again(
        db, walkthrough_id, undo):
    obs_id = undo.add_observation(NewObservation("reception", "could-be-better", prompt_id="reception-privacy",
                                                 principle_ids=("choice", "trust"), note="Queue overheard",
                                                 photos=(_striped(4), _striped(6)))).id
    assert obs_id is not None
    undo.set_caption(obs_id, observations.get_observation(db, obs_id).photos[0].id, "The queue")
    action_id = undo.add_action(NewAction("Move the queue", observation_ids=(obs_id,))).id
    before = observations.get_observation(db, obs_id)
    pictures = _pictures(db, obs_id)

    deleted = undo.delete_observation(obs_id)
    assert deleted.changes.was_deleted(Entity.OBSERVATION, obs_id)
    assert deleted.changes.fields(Entity.ACTION, action_id) == {"observation_ids"}
    with pytest.raises(NotFound):
        observations.get_observation(db, obs_id)
    assert undo.undo_text == "delete_observation" and undo.can_undo

    back = undo.undo()
    assert back.was_created(Entity.OBSERVATION, obs_id)
    assert {p.id for p in before.photos} <= back.ids(Entity.PHOTO)
    assert back.ids(Entity.ACTION) == {action_id}
    again = observations.get_observation(db, obs_id)
    assert again.principle_ids == before.principle_ids and set(again.principle_ids) == {"choice", "trust"}
    assert (again.note, again.rating_id, again.prompt_id, again.area_id) == (
        before.note, before.rating_id, before.prompt_id, before.area_id)
    assert _pictures(db, obs_id) == pictures  # same ids, captions, bytes, order
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == (obs_id,)
    assert undo.redo_text == "delete_observation" and undo.can_redo

    gone = undo.redo()
    assert gone.was_deleted(Entity.OBSERVATION, obs_id)
    with pytest.raises(NotFound):
        observations.get_observation(db, obs_id)
    assert actions.list_actions(db, walkthrough_id)[0].observation_ids == ()


def test_undoing_an_action_s_deletion_brings_back_its_links_and_fields(db, walkthrough_id, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well")).id
    action_id = undo.add_action(NewAction("Paint the sign", owner="Ana", principle_ids=("safety",),
                                          observation_ids=(obs_id,))).id
    undo.edit_action(action_id, status=ActionStatus.IN_PROGRESS)
    before = actions.list_actions(db, walkthrough_id)[0]

    assert undo.delete_action(action_id).changes.was_deleted(Entity.ACTION, action_id)
    assert actions.list_actions(db, walkthrough_id) == []
    assert undo.undo().was_created(Entity.ACTION, action_id)
    after = actions.list_actions(db, walkthrough_id)[0]
    assert (after.id, after.text, after.owner, after.status, after.principle_ids, after.observation_ids) == (
        before.id, before.text, before.owner, before.status, before.principle_ids, before.observation_ids)

    assert undo.undo_text == "change_status"
    assert undo.undo().fields(Entity.ACTION, action_id) == {"status"}
    assert actions.list_actions(db, walkthrough_id)[0].status is ActionStatus.NOT_STARTED
    undo.undo()  # the adding
    assert actions.list_actions(db, walkthrough_id) == []
    undo.redo()
    undo.redo()
    assert actions.list_actions(db, walkthrough_id)[0].status is ActionStatus.IN_PROGRESS


def test_note_edits_of_one_observation_merge_within_three_seconds_and_not_after(db, undo, clock):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well")).id
    first = undo.edit_observation(obs_id, note="W")
    clock.now += 1
    typing = undo.edit_observation(obs_id, note="Wa")
    clock.now += NOTE_MERGE_SECONDS  # measured from the last keystroke saved, not the first
    more = undo.edit_observation(obs_id, note="Warm")
    assert not first.merged and typing.merged and more.merged
    assert first.step is typing.step is more.step
    assert len(undo.steps) == 2 and undo.undo_text == "edit_note"

    clock.now += NOTE_MERGE_SECONDS + 0.5
    later = undo.edit_observation(obs_id, note="Warm welcome")
    assert not later.merged and len(undo.steps) == 3
    # Not with another field, nor another observation.
    clock.now += 0.1
    assert not undo.edit_observation(obs_id, rating_id="could-be-better").merged
    other = undo.add_observation(NewObservation("letters", "working-well")).id
    assert not undo.edit_observation(other, note="x").merged
    assert len(undo.steps) == 6

    for _ in range(4):  # the other's note, the other, the rating, the later note
        undo.undo()
    assert observations.get_observation(db, obs_id).note == "Warm"
    undo.undo()  # all the typing at once
    assert observations.get_observation(db, obs_id).note == ""
    undo.redo()
    assert observations.get_observation(db, obs_id).note == "Warm"


def test_an_edit_that_changes_nothing_makes_no_step(db, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well", principle_ids=("safety", "trust"))).id
    unchanged = undo.edit_observation(obs_id, principle_ids=("trust", "safety"))  # order means nothing
    assert unchanged.step is None and unchanged.changes.empty and len(undo.steps) == 1
    assert undo.edit_details(site="Test Site").step is None
    with_photo = undo.add_observation(NewObservation("letters", "working-well", photos=(_striped(4),))).id
    photo_id = observations.get_observation(db, with_photo).photos[0].id
    assert undo.set_caption(with_photo, photo_id, "   ").step is None  # the same caption once cleaned
    assert len(undo.steps) == 2 and undo.undo_text == "add_observation"


def test_blurring_replaces_the_pixels_every_step_holds_and_no_undo_brings_the_original_back(db, undo):
    welcome = undo.add_observation(NewObservation("entrance", "working-well")).id
    letters = undo.add_observation(NewObservation("letters", "could-be-better", photos=(_striped(4),))).id
    undo.add_photos(letters, [_striped(6)])
    undo.edit_observation(welcome, note="Warm")
    first, second = observations.get_observation(db, letters).photos
    originals = {photos.photo_jpeg(db, first.id), photos.photo_thumbnail(db, first.id)}
    undo.undo()
    undo.undo()  # the second photo: its step holds both photos, before and after
    assert originals <= set(undo.held_pictures())

    blurred = undo.blur_photo(first.id, (0, 0, 160, 120))
    assert blurred.fields(Entity.PHOTO, first.id) == {"picture"}
    jpeg = photos.photo_jpeg(db, first.id)
    assert jpeg not in originals
    assert len(undo.steps) == 4 and undo.done == 2  # not a step, and every step stays
    assert undo.held_pictures() and not originals & set(undo.held_pictures())

    undo.undo()  # the observation with its first photo
    assert not originals & set(undo.held_pictures())
    undo.redo()
    assert photos.photo_jpeg(db, first.id) == jpeg  # back, and still blurred
    undo.redo()
    assert [p.id for p in observations.get_observation(db, letters).photos] == [first.id, second.id]
    assert photos.photo_jpeg(db, first.id) == jpeg
    undo.delete_observation(letters)
    undo.undo()
    assert photos.photo_jpeg(db, first.id) == jpeg
    while undo.can_undo:
        undo.undo()
        assert not originals & set(undo.held_pictures())
    while undo.can_redo:
        undo.redo()
    undo.undo()  # the deletion, redone last
    assert photos.photo_jpeg(db, first.id) == jpeg


def test_every_undo_and_redo_is_recorded_in_the_change_history(db, walkthrough_id, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well", note="a")).id
    undo.edit_observation(obs_id, note="b")
    undo.edit_details(site="Kirkwall")
    size = _history_size(db, walkthrough_id)

    undo.undo()
    assert walkthroughs.get_walkthrough(db, walkthrough_id).site == "Test Site"
    newest = history.list_history(db, walkthrough_id)[0]
    assert (newest.entity, newest.kind, newest.field, newest.value) == (
        Entity.WALKTHROUGH, ChangeKind.SET, "site", "Test Site")
    assert _history_size(db, walkthrough_id) == size + 1
    undo.undo()
    newest = history.list_history(db, walkthrough_id, obs_id)[0]
    assert (newest.kind, newest.field, newest.value) == (ChangeKind.SET, "note", "a")
    undo.undo()
    newest = history.list_history(db, walkthrough_id, obs_id)[0]
    assert newest.kind is ChangeKind.DELETE
    undo.redo()
    assert history.list_history(db, walkthrough_id, obs_id)[0].kind is ChangeKind.CREATE
    undo.redo()
    undo.redo()
    assert _history_size(db, walkthrough_id) == size + 6


def test_operations_and_undo_say_which_things_and_fields_changed(db, walkthrough_id, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well", photos=(_striped(4),))).id
    photo_id = observations.get_observation(db, obs_id).photos[0].id

    edited = undo.edit_observation(obs_id, rating_id="could-be-better", voice=Voice.STAFF)
    assert edited.changes.only_fields(Entity.OBSERVATION, {"rating_id", "voice"})
    assert edited.changes.ids(Entity.OBSERVATION) == {obs_id}
    assert undo.undo().fields(Entity.OBSERVATION, obs_id) == {"rating_id", "voice"}
    undo.redo()

    caption = undo.set_caption(obs_id, photo_id, "Door")
    assert caption.changes.fields(Entity.PHOTO, photo_id) == {"caption"}
    assert "photos" in caption.changes.fields(Entity.OBSERVATION, obs_id)
    undone = undo.undo()
    assert undone.fields(Entity.PHOTO, photo_id) == {"caption"} and not undone.created and not undone.deleted

    alt = undo.set_alt_text(obs_id, photo_id, "A green door with a ramp beside it")
    assert alt.changes.fields(Entity.PHOTO, photo_id) == {"alt_text"} and undo.undo_text == "edit_alt_text"
    assert "photos" in alt.changes.fields(Entity.OBSERVATION, obs_id)
    assert undo.undo().fields(Entity.PHOTO, photo_id) == {"alt_text"}
    assert observations.get_observation(db, obs_id).photos[0].alt_text == ""
    undo.redo()
    assert observations.get_observation(db, obs_id).photos[0].alt_text == "A green door with a ramp beside it"

    removed = undo.delete_photo(obs_id, photo_id)
    assert removed.changes.was_deleted(Entity.PHOTO, photo_id) and undo.undo_text == "delete_photo"
    assert undo.undo().was_created(Entity.PHOTO, photo_id)
    added = undo.add_photos(obs_id, [_striped(6), _striped(8)])
    assert len(added.changes.ids(Entity.PHOTO)) == 2 and added.step is not None and added.step.count == 2
    assert undo.undo().deleted == added.changes.created

    details = undo.edit_details(service="Clinic", facilitators=["Ana", "Bo"])
    assert details.changes.fields(Entity.WALKTHROUGH, walkthrough_id) == {"service", "facilitators"}
    assert undo.undo().fields(Entity.WALKTHROUGH, walkthrough_id) == {"service", "facilitators"}
    assert walkthroughs.get_walkthrough(db, walkthrough_id).facilitators == ()


def test_a_step_that_fails_is_dropped_and_the_others_stay(db, walkthrough_id, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well")).id
    undo.edit_observation(obs_id, note="Warm")
    undo.add_action(NewAction("Say hello"))
    undo.undo()  # the action
    observations.delete_observation(db, obs_id)  # elsewhere: the command line, say

    with pytest.raises(NotFound):
        undo.undo()  # the note of an observation that is gone
    assert len(undo.steps) == 2 and undo.done == 1 and undo.undo_text == "add_observation"
    assert undo.redo_text == "add_action"
    undo.redo()
    assert [a.text for a in actions.list_actions(db, walkthrough_id)] == ["Say hello"]
    with pytest.raises(InvalidInput):
        undo.redo()  # nothing left to redo


def test_a_refused_operation_makes_no_step(db, undo):
    obs_id = undo.add_observation(NewObservation("entrance", "working-well")).id
    with pytest.raises(InvalidInput):
        undo.edit_observation(obs_id, area_id="letters")  # not changed in place
    with pytest.raises(InvalidInput):
        undo.edit_details(site="  ")
    assert len(undo.steps) == 1
