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
