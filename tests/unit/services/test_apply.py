"""Rows rebuilt from the change history alone are the rows the services stored."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from walkthrough.domain.models import Base, Change, Device
from walkthrough.services.apply import apply_history, stored_pictures
from walkthrough.storage.database import open_database

DATA_TABLES = ("service", "walkthrough", "facilitator", "participant", "observation", "observation_principle",
               "photo", "action", "action_principle", "action_observation", "progress_update")


def table_rows(db) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted: what two databases must agree on."""
    with db.engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(select(Base.metadata.tables[name])))
                for name in DATA_TABLES}


def rebuilt_from_history(source, target_path) -> object:
    """A new database holding only ``source``'s history, with every walkthrough's rows made from it."""
    target = open_database(target_path)
    with source.sessions.begin() as read, target.sessions.begin() as write:
        for table in (Device, Change):
            rows = [{c.name: getattr(r, c.key) for c in table.__table__.columns}
                    for r in read.scalars(select(table))]
            if rows:
                write.execute(insert(table), rows)
        walkthrough_ids = set(read.scalars(select(Change.walkthrough_id)))
        # Services first (their changes are kept under their own ids): walkthroughs are filed under them.
        services = set(read.scalars(select(Change.walkthrough_id).where(Change.entity == "service")))
        for walkthrough_id in sorted(walkthrough_ids, key=lambda i: (i not in services, i)):
            apply_history(write, walkthrough_id, stored_pictures(read))
    return target


def test_the_sample_walkthrough_is_rebuilt_from_its_history(sample_database, tmp_path):
    path, _ = sample_database
    with open_database(path) as source:
        target = rebuilt_from_history(source, tmp_path / "rebuilt.sqlite3")
        try:
            expected, got = table_rows(source), table_rows(target)
            assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
            assert got == expected
        finally:
            target.close()


@pytest.fixture
def db(any_db):
    return any_db


def test_edits_deletions_undo_and_blur_are_rebuilt_exactly(db, walkthrough_id, tmp_path):
    import io

    from PIL import Image

    from walkthrough.services import actions, observations, photos, walkthroughs
    from walkthrough.services.observations import NewObservation
    from walkthrough.services.photo_intake import prepare_photo
    from walkthrough.domain.records import TeamMember
    from walkthrough.domain.vocabulary import ActionStatus, Role

    def picture(seed: int) -> bytes:
        buffer = io.BytesIO()
        Image.effect_noise((200, 150), 40 + seed).convert("RGB").save(buffer, "JPEG")
        return buffer.getvalue()

    walkthroughs.update_walkthrough(db, walkthrough_id, site="New site", facilitators=["Ana", "Bo"],
                                    participants=[TeamMember("Lee", Role.LIVED_EXPERIENCE)])
    a = observations.add_observation(db, walkthrough_id, NewObservation(
        "entrance", "working-well", note="a", photos=(prepare_photo(picture(1), "a.jpg"),)))
    b = observations.add_observation(db, walkthrough_id, NewObservation("reception", None, note="b"))
    observations.update_observation(db, a.id, note="a2", principle_ids=["trust"])
    photos.add_photos(db, b.id, [prepare_photo(picture(2), "b.jpg"), prepare_photo(picture(3), "c.jpg")])
    b = observations.get_observation(db, b.id)
    photos.set_caption(db, b.photos[0].id, "the desk")
    photos.blur_photo_region(db, b.photos[1].id, (0, 0, 50, 50))
    before = observations.read_observation_bundle(db, b.id)
    photos.delete_photo(db, b.photos[0].id)
    observations.replace_observation(db, before)  # undo of the photo's deletion
    action = actions.add_action(db, walkthrough_id, actions.NewAction("Fix", observation_ids=(a.id, b.id),
                                                                       principle_ids=("safety",)))
    actions.update_action(db, action.id, status=ActionStatus.DONE, principle_ids=["trust"])
    bundle = observations.take_out_observation(db, a.id)
    observations.put_back_observation(db, bundle)  # undo of a deletion
    gone = observations.add_observation(db, walkthrough_id, NewObservation("letters", "working-well", note="x"))
    observations.delete_observation(db, gone.id)
    second = actions.add_action(db, walkthrough_id, actions.NewAction("Gone"))
    actions.delete_action(db, second.id)

    target = rebuilt_from_history(db, tmp_path / "rebuilt.sqlite3")
    try:
        assert table_rows(target) == table_rows(db)
    finally:
        target.close()


def test_an_observation_put_back_from_before_its_photo_changes_keeps_the_time_it_was_put_back_with(
        db, walkthrough_id, tmp_path):
    # Its photo changes and edits before its deletion moved its time later than the one it is put back
    # with: the rows take the put-back's, as the services stored it, not the latest time ever seen.
    from walkthrough.services import observations, photos
    from walkthrough.services.observations import NewObservation
    from tests.unit.services.test_replay import photo_pool

    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well"))
    before = observations.read_observation_bundle(db, obs.id)
    [photo] = photos.add_photos(db, obs.id, photo_pool()[:1])
    photos.set_caption(db, photo.id, "door")
    observations.delete_observation(db, obs.id)
    observations.replace_observation(db, before)  # undo of the photo's adding, after the deletion
    target = rebuilt_from_history(db, tmp_path / "rebuilt.sqlite3")
    try:
        assert table_rows(target)["observation"] == table_rows(db)["observation"]
        assert table_rows(target) == table_rows(db)
    finally:
        target.close()
