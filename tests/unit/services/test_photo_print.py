"""Each photo's print rendition: made at intake, on blur, on receiving and by the upgrade; the report embeds it."""

from __future__ import annotations

import base64
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageStat
from pypdf import PdfReader
from sqlalchemy import select, text

from walkthrough.domain.models import Photo
from walkthrough.domain.stored_photo import PRINT_BOX, print_rendition, print_size
from walkthrough.report import ReportFormat, ReportOptions, build_report
from walkthrough.services import exchange, observations, photos, walkthroughs
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.storage import database as database_module
from walkthrough.storage import package_file
from walkthrough.storage.database import SCHEMA_REVISION, open_database

# Bytes that appear in EXIF/XMP blocks of the GPS-tagged corpus photo (as in test_privacy.py).
TELLTALES = (b"Exif", b"http://ns.adobe.com/xap", b"NIKON", b"COOLPIX")


def _picture(width: int = 1200, height: int = 900, stripes: bool = False) -> bytes:
    """A PNG: noise (a photo's worth of detail), or white with fine stripes in its top-left quarter."""
    if stripes:
        picture = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(picture)
        for x in range(0, width // 2, 6):  # "text on a board"
            draw.line([(x, 0), (x, height // 2)], fill="black", width=3)
    else:
        picture = Image.effect_noise((width, height), 60).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg), formats=["JPEG"])
    image.load()
    return image


def _add(db, walkthrough_id: str, data: bytes, name: str = "photo.png"):
    obs = observations.add_observation(
        db, walkthrough_id, NewObservation("entrance", "working-well", photos=(prepare_photo(data, name),)))
    return obs.photos[0]


def _stored_print(db, photo_id: str) -> bytes | None:
    with db.sessions.begin() as session:
        return session.scalar(select(Photo.print_jpeg).where(Photo.id == photo_id))


def test_intake_makes_a_print_rendition_that_fits_the_box_with_no_metadata(db, walkthrough_id, photos_dir):
    prepared = prepare_photo(_picture(1600, 1200))
    with _opened(prepared.print_jpeg) as im:
        assert im.format == "JPEG" and im.size == print_size(1600, 1200) == (535, 401)
        assert not im.getexif() and "icc_profile" not in im.info
    assert prepared.jpeg != prepared.print_jpeg

    tall = prepare_photo(_picture(300, 1000))
    assert _opened(tall.print_jpeg).size == (141, 469)  # the box's height bounds a portrait photo

    # A large photo carrying the corpus phone photo's GPS and camera details: none of it reaches the rendition.
    with Image.open(photos_dir / "real_gps_tagged.jpg") as tagged:
        exif = tagged.info["exif"]
    buffer = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(buffer, "JPEG", exif=exif)
    assert b"NIKON" in buffer.getvalue()  # the danger is real
    gps = prepare_photo(buffer.getvalue())
    assert not any(t in gps.print_jpeg for t in TELLTALES)
    with _opened(gps.print_jpeg) as im:
        assert not im.getexif() and "icc_profile" not in im.info
        assert max(im.size[0] / PRINT_BOX[0], im.size[1] / PRINT_BOX[1]) == pytest.approx(1, abs=0.01)

    # A picture near print size already is its own rendition (no second encoding, no loss): the
    # report places it as it is (640 px over 80 mm is 203 dpi).
    for size in ((400, 300), (640, 480), (669, 586)):
        small = prepare_photo(_picture(*size))
        assert small.print_jpeg == small.jpeg
    assert prepare_photo(_picture(670, 400)).print_jpeg != prepare_photo(_picture(670, 400)).jpeg

    stored = _add(db, walkthrough_id, _picture(1600, 1200))
    assert photos.photo_for_print(db, stored.id) == _stored_print(db, stored.id)
    assert _opened(photos.photo_for_print(db, stored.id)).size == (535, 401)


def test_blurring_remakes_the_print_rendition_from_the_blurred_pixels(db, walkthrough_id):
    photo = _add(db, walkthrough_id, _picture(1200, 900, stripes=True), "board.png")
    before = photos.photo_for_print(db, photo.id)
    with _opened(before) as im:
        assert ImageStat.Stat(im.convert("L").crop((20, 20, 240, 170))).stddev[0] > 60  # stripes readable
    photos.blur_photo_region(db, photo.id, (0, 0, 600, 450))
    after = photos.photo_for_print(db, photo.id)
    assert after != before and _stored_print(db, photo.id) == after
    with _opened(after) as im:
        assert im.size == (535, 401)
        assert ImageStat.Stat(im.convert("L").crop((20, 20, 240, 170))).stddev[0] < 20  # gone
        assert ImageStat.Stat(im.convert("L").crop((300, 220, 530, 395))).mean[0] > 240  # the rest as it was


def test_undoing_a_deleted_observation_makes_its_photos_rendition_again(db, walkthrough_id):
    photo = _add(db, walkthrough_id, _picture(1200, 900))
    obs_id = observations.list_observations(db, walkthrough_id)[0].id
    bundle = observations.take_out_observation(db, obs_id)
    observations.put_back_observation(db, bundle)
    # Made again from the JPEG the step held (which a blur would have replaced), not held itself.
    again = _stored_print(db, photo.id)
    assert again == print_rendition(photos.photo_jpeg(db, photo.id)) and _opened(again).size == (535, 401)


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    config = database_module._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
    engine.dispose()


def test_upgrading_a_0007_database_makes_every_readable_photos_rendition(tmp_path, test_lens):
    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        wid = walkthroughs.create_walkthrough(db, test_lens, service="S", site="T").id
        large = _add(db, wid, _picture(1600, 1200))
        # More photos than one batch of the upgrade reads at a time.
        small = [_add(db, wid, _picture(64, 48)) for _ in range(17)]
        damaged = _add(db, wid, _picture(64, 48))
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE photo SET jpeg = :bad WHERE id = :id"),
                         {"bad": b"\xff\xd8\xff\xdb cut short", "id": damaged.id})
    _downgrade(path, "0007_change_lookup")
    conn = sqlite3.connect(path)
    assert "print_jpeg" not in [r[1] for r in conn.execute("PRAGMA table_info(photo)")]
    conn.close()

    with open_database(path) as db:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_REVISION
        rendition = _stored_print(db, large.id)
        assert rendition == print_rendition(photos.photo_jpeg(db, large.id))
        assert _opened(rendition).size == (535, 401)
        assert all(_stored_print(db, p.id) == photos.photo_jpeg(db, p.id) for p in small)
        # The stored JPEG stays the source of truth; one that does not decode gets no rendition,
        # and the report is given the JPEG (and says it is unreadable).
        assert _stored_print(db, damaged.id) is None
        assert photos.photo_for_print(db, damaged.id) == b"\xff\xd8\xff\xdb cut short"


def _pdf_images(path: Path) -> list[tuple[int, int, bytes]]:
    """Each picture in the PDF: its size in pixels and its stream as stored (a JPEG's own bytes, DCTDecode)."""
    found = []
    for page in PdfReader(path).pages:
        for ref in page.get("/Resources", {}).get("/XObject", {}).values():
            picture = ref.get_object()
            if picture.get("/Subtype") == "/Image":
                assert picture.get("/Filter") in ("/DCTDecode", ["/DCTDecode"])
                found.append((picture["/Width"], picture["/Height"], picture.get_data()))
    return found


def test_every_report_format_embeds_the_print_rendition_as_it_is(db, walkthrough_id, tmp_path):
    photo = _add(db, walkthrough_id, _picture(1600, 1200))
    rendition = photos.photo_for_print(db, photo.id)
    contents = walkthroughs.load_contents(db, walkthrough_id)

    def source(photo_id: str) -> bytes:
        return photos.photo_for_print(db, photo_id)

    pdf = tmp_path / "r.pdf"
    build_report(contents, source, pdf, ReportOptions())
    assert _pdf_images(pdf) == [(535, 401, rendition)]

    docx = tmp_path / "r.docx"
    build_report(contents, source, docx, ReportOptions(format=ReportFormat.DOCX))
    with zipfile.ZipFile(docx) as archive:
        media = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert media == [rendition]

    page = tmp_path / "r.html"
    build_report(contents, source, page, ReportOptions(format=ReportFormat.HTML))
    assert base64.b64encode(rendition).decode() in page.read_text(encoding="utf-8")

    # Given the stored 1600 px JPEG instead (a caller without renditions), the PDF shrinks it as before.
    build_report(contents, lambda pid: photos.photo_jpeg(db, pid), pdf, ReportOptions())
    [(width, height, data)] = _pdf_images(pdf)
    assert data != rendition and max(width, height) < 1600


def test_receiving_a_package_makes_the_print_rendition(tmp_path, test_lens, monkeypatch):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        wid = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T").id
        photo = _add(a, wid, _picture(1600, 1200))
        exchange.share_walkthrough(a, wid, tmp_path / "join.lwpkg")
        assert exchange.receive_package(b, tmp_path / "join.lwpkg").joined
        received = _stored_print(b, photo.id)
        assert received is not None and not any(t in received for t in TELLTALES)
        with _opened(received) as im:
            assert im.size == (535, 401) and not im.getexif()
        assert photos.photo_jpeg(b, photo.id) == photos.photo_jpeg(a, photo.id)


def test_check_finds_a_print_rendition_that_is_not_the_pictures(db, walkthrough_id):
    from walkthrough.services.integrity import check_database

    photo = _add(db, walkthrough_id, _picture(1600, 1200))
    assert check_database(db).problems == ()
    rendition = photos.photo_for_print(db, photo.id)
    for tampered, words in ((b"GIF89a", "the stored print rendition is not a JPEG"),
                            (rendition[: len(rendition) // 2], "the print rendition does not decode"),
                            (photos.photo_jpeg(db, photo.id), "the print rendition is 1600x1200, not the 1600x1200 "
                             "picture at print size (535x401)"),
                            (prepare_photo(_picture(400, 400)).jpeg, "the print rendition is 400x400")):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE photo SET print_jpeg = :data WHERE id = :id"), {"data": tampered, "id": photo.id})
        [problem] = check_database(db).problems
        assert problem.startswith(f"photo {photo.id}: {words}") and "\n" not in problem


def test_a_rendition_made_from_a_stored_2048_px_jpeg_is_decoded_at_a_quarter_without_resampling():
    stored = prepare_photo(_picture(2048, 1536)).jpeg
    with _opened(print_rendition(stored)) as im:
        assert im.size == (512, 384)  # 96 % of the box's 535 px: about 163 dpi at 80 mm
    tall = prepare_photo(_picture(1536, 2048)).jpeg
    assert _opened(print_rendition(tall)).size == print_size(1536, 2048)  # 1/4 is 384 x 512: then fitted
