"""Nothing leaks through a file: no camera or GPS metadata in stored photos, exports or the PDF."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from walkthrough.domain.lens import parse_lens
from walkthrough.report import ReportOptions, build_report
from walkthrough.services import photos, walkthroughs
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.photo_intake import prepare_photo
from tests.conftest import TEST_LENS_YAML

# Bytes that appear in EXIF/XMP blocks of the GPS-tagged corpus photo.
TELLTALES = (b"Exif", b"http://ns.adobe.com/xap", b"NIKON", b"COOLPIX")


def test_a_gps_tagged_photo_leaves_no_trace_in_the_store_the_export_or_the_report(
    db, photos_dir: Path, tmp_path: Path
) -> None:
    source = photos_dir / "real_gps_tagged.jpg"
    assert b"Exif" in source.read_bytes()[:200_000] and b"NIKON" in source.read_bytes()  # the danger is real
    wid = walkthroughs.create_walkthrough(db, parse_lens(TEST_LENS_YAML, "t.yaml"), service="S", site="T").id
    obs = add_observation(db, wid, NewObservation("entrance", "working-well", photos=(prepare_photo(source),)))

    stored = photos.photo_jpeg(db, obs.photos[0].id)
    exported = photos.export_photos(db, wid, tmp_path / "out")[0].read_bytes()
    for data in (stored, exported, photos.photo_thumbnail(db, obs.photos[0].id)):
        assert not any(t in data for t in TELLTALES)
        with Image.open(io.BytesIO(data)) as im:
            assert not im.getexif() and "icc_profile" not in im.info

    pdf = tmp_path / "report.pdf"
    build_report(walkthroughs.load_contents(db, wid), lambda pid: photos.photo_jpeg(db, pid), pdf, ReportOptions())
    assert not any(t in pdf.read_bytes() for t in TELLTALES)
    images = [image for page in PdfReader(pdf).pages for image in page.images]
    assert len(images) == 1
    assert not any(t in images[0].data for t in TELLTALES)


# -- deleted and blurred content is gone from the files, side files included -----------------


def _file_bytes(path: Path) -> bytes:
    """The database file and every side file SQLite keeps beside it, as they are on disk now."""
    return b"".join(p.read_bytes() for p in (path, *(Path(f"{path}{s}") for s in ("-wal", "-journal")))
                    if p.exists())


def _noise_photo(seed: int):
    import random

    rng = random.Random(seed)
    picture = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return prepare_photo(buffer.getvalue())


def _windows(data: bytes, size: int = 48) -> list[bytes]:
    """Stretches of ``data`` from its middle, long enough to be found nowhere else by chance."""
    middle = len(data) // 2
    return [data[middle + k * 997: middle + k * 997 + size] for k in range(-5, 6)]


def test_a_deleted_note_photo_and_observation_are_gone_from_the_database_and_its_wal(tmp_path: Path) -> None:
    from walkthrough.services.observations import delete_observation
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    marker = "Staff member K. said the back door code is 4471 (private marker 7f3a9c)"
    with open_database(path) as db:
        wid = walkthroughs.create_walkthrough(db, parse_lens(TEST_LENS_YAML, "t.yaml"), service="S", site="T").id
        gone = add_observation(db, wid, NewObservation("entrance", "working-well", note=marker,
                                                       photos=(_noise_photo(1),)))
        kept = add_observation(db, wid, NewObservation("reception", "working-well", photos=(_noise_photo(2),)))
        deleted_jpeg = photos.photo_jpeg(db, gone.photos[0].id)
        removed_photo = photos.photo_jpeg(db, kept.photos[0].id)
        assert marker.encode() in _file_bytes(path)  # the check below can see it

        delete_observation(db, gone.id)
        photos.delete_photo(db, kept.photos[0].id)

        on_disk = _file_bytes(path)  # still open: "reported done" is what counts
        assert marker.encode() not in on_disk
        for window in (*_windows(deleted_jpeg), *_windows(removed_photo)):
            assert window not in on_disk


def test_a_photo_s_pixels_before_blurring_are_gone_from_the_database_and_its_wal(tmp_path: Path) -> None:
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        wid = walkthroughs.create_walkthrough(db, parse_lens(TEST_LENS_YAML, "t.yaml"), service="S", site="T").id
        obs = add_observation(db, wid, NewObservation("entrance", "working-well", photos=(_noise_photo(3),)))
        pid = obs.photos[0].id
        before, thumbnail = photos.photo_jpeg(db, pid), photos.photo_thumbnail(db, pid)
        assert all(w in _file_bytes(path) for w in _windows(before))

        photos.blur_photo_region(db, pid, (0, 0, 320, 240))

        on_disk = _file_bytes(path)
        assert photos.photo_jpeg(db, pid) != before
        for window in (*_windows(before), *_windows(thumbnail, 32)):
            assert window not in on_disk


def test_a_deletion_left_in_the_wal_by_a_crash_is_gone_once_the_database_is_opened_again(tmp_path: Path) -> None:
    import subprocess
    import sys

    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    marker = "crash-time private marker 0c55e1"
    # A program that saved a note, deleted it and died before the -wal was emptied.
    script = f"""
import os
from sqlalchemy import text
from walkthrough.domain.lens import parse_lens
from walkthrough.services import walkthroughs
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.storage.database import open_database
from tests.conftest import TEST_LENS_YAML
db = open_database({str(path)!r})
wid = walkthroughs.create_walkthrough(db, parse_lens(TEST_LENS_YAML, "t.yaml"), service="S", site="T").id
add_observation(db, wid, NewObservation("entrance", "working-well", note={marker!r}))
with db.engine.begin() as conn:  # as delete_observation does, with no -wal emptying after
    conn.execute(text("DELETE FROM observation"))
    conn.execute(text("UPDATE change SET value = NULL WHERE entity = 'observation'"))
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parents[2])
    assert marker.encode() in Path(f"{path}-wal").read_bytes()  # the crash left it there

    with open_database(path) as db:
        assert marker.encode() not in _file_bytes(path)
        assert walkthroughs.list_walkthroughs(db)
