"""Photos through the services, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.services.test_walkthroughs import BAD_PASTE, CLEANED, jpeg_bytes
from walkthrough.domain.errors import NotFound
from walkthrough.services import observations, photos
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


@pytest.fixture
def db(any_db):
    """Every test here runs on a SQLite file and on PostgreSQL (``any_db`` in conftest.py)."""
    return any_db


def test_a_lone_surrogate_in_a_caption_is_stored_as_a_replacement(db, walkthrough_id: str) -> None:
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    photo_id = obs.photos[0].id
    assert photos.set_caption(db, photo_id, BAD_PASTE).caption == CLEANED
    assert observations.get_observation(db, obs.id).photos[0].caption == CLEANED


def test_alt_text_is_kept_apart_from_the_caption_and_recorded_in_the_history(db, walkthrough_id: str) -> None:
    from walkthrough.domain.changes import ChangeKind, Entity
    from walkthrough.services import history

    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(jpeg_bytes(), "a.jpg"),))
    )
    photo_id = obs.photos[0].id
    assert obs.photos[0].alt_text == ""  # not written yet
    photos.set_caption(db, photo_id, "Front door")
    assert photos.set_alt_text(db, photo_id, " A glass door, with the bell out of reach \n").alt_text == (
        "A glass door, with the bell out of reach")
    stored = observations.get_observation(db, obs.id).photos[0]
    assert (stored.caption, stored.alt_text) == ("Front door", "A glass door, with the bell out of reach")
    [made] = [c for c in history.list_history(db, walkthrough_id) if c.entity is Entity.PHOTO
              and c.kind is ChangeKind.CREATE]
    assert made.value["alt_text"] == ""
    [alt] = [c for c in history.list_history(db, walkthrough_id) if c.field == "alt_text"]
    assert alt.kind is ChangeKind.SET and alt.value == "A glass door, with the bell out of reach"
    photos.set_alt_text(db, photo_id, "A glass door, with the bell out of reach")  # the same: nothing recorded
    assert len([c for c in history.list_history(db, walkthrough_id) if c.field == "alt_text"]) == 1
    with pytest.raises(NotFound):
        photos.set_alt_text(db, "no-such-photo", "x")


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
