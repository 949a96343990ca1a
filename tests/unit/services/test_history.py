"""The change history: every change recorded with the change, and what it said changed."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from tests.unit.services.test_walkthroughs import jpeg_bytes
from walkthrough.domain.changes import ChangeKind, Entity, OpChanges, encode_value
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Role
from walkthrough.services import actions, history, observations, photos, walkthroughs
from walkthrough.services.history import collect_changes
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


@pytest.fixture
def db(any_db):
    return any_db


def _rows(db) -> list[ChangeRow]:
    with db.sessions.begin() as session:
        return list(session.scalars(select(ChangeRow).order_by(ChangeRow.seq)))


def test_every_change_is_recorded_with_this_device_its_sequence_and_a_clock_that_moves_on(db, test_lens):
    w = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T", facilitators=["Ana"],
                                        participants=[TeamMember("Lee", Role.LIVED_EXPERIENCE)])
    obs = observations.add_observation(db, w.id, NewObservation("entrance", "working-well", note="first"))
    observations.update_observation(db, obs.id, note="second")
    action = actions.add_action(db, w.id, actions.NewAction("Fix it", observation_ids=(obs.id,)))
    actions.update_action(db, action.id, status=ActionStatus.DONE)

    rows = _rows(db)
    device = history.this_device(db)
    assert {r.device_id for r in rows} == {device.id} and device.changes == len(rows)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert [r.clock for r in rows] == sorted(r.clock for r in rows) and len({r.clock for r in rows}) == len(rows)
    assert [(r.entity, r.kind, r.field) for r in rows] == [
        # its service first (an operation of its own, kept under the service's id), then the walkthrough
        ("service", "create", None), ("walkthrough", "create", None), ("walkthrough", "set", "service_id"),
        ("observation", "create", None), ("observation", "set", "note"),
        ("action", "create", None), ("action", "set", "status"),
    ]
    assert rows[0].walkthrough_id == rows[0].entity_id == w.service_id
    # What the author saw: the note edit replaced the observation as it was made.
    assert rows[4].replaces == rows[3].id
    # The stored times are the operation's clock time.
    changes = history.list_history(db, w.id)
    assert changes[0].kind is ChangeKind.SET and changes[0].value == "done"
    assert actions.list_actions(db, w.id)[0].updated_at == changes[0].time
    assert observations.get_observation(db, obs.id).updated_at == changes[2].time


def test_saving_a_note_says_only_that_observation_s_note_changed(db, walkthrough_id):
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="a"))
    with collect_changes() as collected:
        observations.update_observation(db, obs.id, note="b")
    assert collected.changes.updated == {(Entity.OBSERVATION, obs.id): frozenset({"note"})}
    assert collected.changes.only_fields(Entity.OBSERVATION, {"note"})
    assert not collected.changes.created and not collected.changes.deleted
    with collect_changes() as collected:
        observations.update_observation(db, obs.id, note="b")  # the same: nothing changed, nothing recorded
    assert collected.changes.empty


def test_adding_a_photo_says_its_observation_s_photos_changed(db, walkthrough_id):
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well"))
    with collect_changes() as collected:
        [photo] = photos.add_photos(db, obs.id, [prepare_photo(jpeg_bytes(), "a.jpg")])
    assert collected.changes.was_created(Entity.PHOTO, photo.id)
    assert collected.changes.fields(Entity.OBSERVATION, obs.id) == {"photos"}


def test_a_deletion_leaves_a_tombstone_and_erases_what_was_deleted_from_the_history(db, walkthrough_id):
    obs = observations.add_observation(db, walkthrough_id, NewObservation(
        "entrance", "working-well", note="private words", photos=(prepare_photo(jpeg_bytes(), "face.jpg"),)))
    photos.set_caption(db, obs.photos[0].id, "a private caption")
    observations.update_observation(db, obs.id, note="more private words")
    with collect_changes() as collected:
        observations.delete_observation(db, obs.id)
    assert collected.changes.was_deleted(Entity.OBSERVATION, obs.id)

    changes = history.list_history(db, walkthrough_id, obs.id)
    assert changes[0].kind is ChangeKind.DELETE and changes[0].value is None and not changes[0].erased
    assert all(c.value is None and c.erased for c in changes[1:])
    assert {c.entity for c in changes} == {Entity.OBSERVATION, Entity.PHOTO}
    text = " ".join(str(r.value) for r in _rows(db))
    assert "private" not in text and "face.jpg" not in text


def test_blurring_a_photo_erases_every_earlier_picture_from_the_history(db, walkthrough_id):
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(buffer, "JPEG")  # a picture a blur changes
    obs = observations.add_observation(db, walkthrough_id, NewObservation(
        "entrance", "working-well", photos=(prepare_photo(buffer.getvalue(), "a.jpg"),)))
    original = obs.photos[0]
    blurred = photos.blur_photo_region(db, original.id, (0, 0, 100, 100))
    assert blurred.sha256 != original.sha256
    text = " ".join(str(r.value) for r in _rows(db))
    assert original.sha256 not in text and blurred.sha256 in text


def test_deleting_a_walkthrough_keeps_only_tombstones(db, walkthrough_id):
    observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="secret"))
    service_id = walkthroughs.get_walkthrough(db, walkthrough_id).service_id
    walkthroughs.delete_walkthrough(db, walkthrough_id)
    rows = _rows(db)
    # Its service went with it, its last walk.
    assert [(r.kind, r.entity_id) for r in rows[-2:]] == [("delete", walkthrough_id), ("delete", service_id)]
    assert all(r.value is None for r in rows)


def test_undoing_a_deletion_puts_the_content_back_in_the_history_under_the_same_ids(db, walkthrough_id):
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="kept"))
    bundle = observations.take_out_observation(db, obs.id)
    with collect_changes() as collected:
        observations.put_back_observation(db, bundle)
    assert collected.changes.was_created(Entity.OBSERVATION, obs.id)
    latest = history.list_history(db, walkthrough_id, obs.id)[0]
    assert latest.kind is ChangeKind.CREATE and latest.value["note"] == "kept"


def test_the_device_can_be_named_and_say_who_uses_it(db, walkthrough_id):
    device = history.set_device(db, name="  Orkney   laptop ", person="Ana")
    assert (device.name, device.person) == ("Orkney laptop", "Ana")
    latest = history.list_history(db, walkthrough_id)[0]
    assert (latest.device_name, latest.person) == ("Orkney laptop", "Ana")


def test_history_ids_are_found_by_prefix_deleted_things_and_walkthroughs_too(db, walkthrough_id):
    from walkthrough.domain.errors import InvalidInput, NotFound

    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="a"))
    observations.update_observation(db, obs.id, note="b")  # two changes of it: still one id
    observations.delete_observation(db, obs.id)
    assert history.resolve_history_id(db, obs.id[:6], walkthrough_id=walkthrough_id) == obs.id
    assert history.resolve_history_id(db, obs.id.upper(), walkthrough_id=walkthrough_id) == obs.id
    with pytest.raises(NotFound, match="this walkthrough's history"):
        history.resolve_history_id(db, obs.id, walkthrough_id=walkthroughs.create_walkthrough(
            db, walkthroughs.get_walkthrough(db, walkthrough_id).lens, service="S2", site="T2").id)
    with pytest.raises(NotFound, match="at least 4"):
        history.resolve_history_id(db, obs.id[:3], walkthrough_id=walkthrough_id)
    with pytest.raises(NotFound):
        history.resolve_history_id(db, "5%_\\", walkthrough_id=walkthrough_id)  # no wildcards
    walkthroughs.delete_walkthrough(db, walkthrough_id)
    assert history.resolve_history_id(db, walkthrough_id[:8]) == walkthrough_id
    with pytest.raises((NotFound, InvalidInput)):
        history.resolve_history_id(db, "")


def test_an_operation_s_changes_merge_as_one():
    a = OpChanges(updated={(Entity.OBSERVATION, "o"): frozenset({"note"})})
    b = OpChanges(created=frozenset({(Entity.PHOTO, "p")}), updated={(Entity.OBSERVATION, "o"): frozenset({"photos"})})
    c = OpChanges(deleted=frozenset({(Entity.PHOTO, "p")}))
    merged = a.merged(b).merged(c)
    assert merged.fields(Entity.OBSERVATION, "o") == {"note", "photos"}
    assert merged.was_deleted(Entity.PHOTO, "p") and not merged.was_created(Entity.PHOTO, "p")


def test_two_writers_on_a_server_take_turns_for_the_sequence_numbers(postgresql_url, test_lens):
    """On PostgreSQL nothing keeps a second program out: the device row is locked while one writes."""
    import threading

    from walkthrough.storage.database import open_database

    with open_database(postgresql_url) as db:
        wid = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T").id
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with open_database(postgresql_url) as own:
                for i in range(15):
                    observations.add_observation(own, wid, NewObservation("entrance", "working-well", note=f"{n}-{i}"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with open_database(postgresql_url) as db:
        seqs = [r.seq for r in _rows(db)]
        # 45 observations, and the walkthrough: its service, its making and its service set
        assert seqs == list(range(1, 49)) and history.this_device(db).changes == 48


def test_a_create_holds_exactly_the_encoded_fields_of_what_was_stored(db, walkthrough_id):
    # The recorder writes the operation's time as text worked out once, and the bulk
    # import builds its values itself: both must store what encoding the record gives.
    one = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="one"))
    observations.import_observations(db, walkthrough_id, [
        NewObservation("entrance", None, note="two"), NewObservation("entrance", "working-well", note="três ✓"),
    ], {})
    stored = {r.entity_id: r.value for r in _rows(db) if r.kind == "create" and r.entity == "observation"}
    records = observations.list_observations(db, walkthrough_id)
    assert one.id in stored and len(records) == len(stored) == 3
    for record in records:
        assert stored[record.id] == encode_value(history.observation_values(record))


def test_a_save_reads_only_that_field_s_changes_of_the_thing_and_its_making(db, walkthrough_id):
    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="a"))
    for rating in ("could-be-better", "working-well") * 3:
        observations.update_observation(db, obs.id, rating_id=rating)
    observations.update_observation(db, obs.id, note="b")
    observations.update_observation(db, obs.id, note="c")
    notes = [r for r in _rows(db) if r.entity_id == obs.id and r.field == "note"]
    made = [r for r in _rows(db) if r.entity_id == obs.id and r.kind == "create"]
    assert notes[0].replaces == made[0].id and notes[1].replaces == notes[0].id  # not the ratings
    if db.engine.dialect.name != "sqlite":
        return
    # The look-up goes straight to that field's changes and the thing's making, not to every change of the thing.
    statement = history._LATEST.compile(db.engine)
    with db.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(statement), (walkthrough_id, obs.id, "note", walkthrough_id, obs.id))]
    searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
    assert searches == ["SEARCH change USING INDEX ix_change_lookup (walkthrough_id=? AND entity_id=? AND field=?)"] * 2


def test_an_operation_s_change_ids_are_time_ordered_uuids_in_the_order_made(db, walkthrough_id):
    import uuid

    observations.add_observations(db, walkthrough_id, [NewObservation("entrance", None, note=str(i)) for i in range(5)])
    made = [r.id for r in _rows(db) if r.kind == "create" and r.entity == "observation"]
    assert len(made) == 5 and made == sorted(made)
    assert {uuid.UUID(i).version for i in made} == {7}
