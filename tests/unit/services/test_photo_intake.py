"""Photo intake: every corpus file is taken in or refused as MANIFEST.tsv says.

The stored copy of a photo must be upright, 8-bit RGB, scaled down and free
of every kind of metadata (a facilitator's phone writes GPS and serials into
EXIF); anything unusable is refused with a one-line PhotoRejected.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import struct
import time
import warnings
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from tests.conftest import PHOTOS_DIR, corpus_manifest
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFile, ImageStat

from walkthrough.domain.errors import PhotoRejected
from walkthrough.services.photo_intake import MAX_PIXELS, PreparedPhoto, prepare_photo

MANIFEST_ROWS = [pytest.param(row, id=row["file"]) for row in corpus_manifest()] or [
    pytest.param(
        None,
        id="no-corpus",
        marks=pytest.mark.skip(reason=f"photo corpus manifest not found in {PHOTOS_DIR}"),
    )
]

REFERENCE_SCENE = "real_orientation_landscape_1.jpg"

# Mean absolute difference (0-255) of 32x24 greyscale versions.  The
# orientation files are one scene, each with its own number painted on and a
# slightly different crop and colour, so even upright they differ by ~13; a
# wrong turn or mirror differs by ~40 or more.
SAME_SCENE_AT_MOST = 20
WRONG_WAY_AT_LEAST = 30


# --- the corpus, row by row -------------------------------------------------


@pytest.mark.parametrize("row", MANIFEST_ROWS)
def test_corpus_file_is_taken_in_as_the_manifest_says(row: dict[str, str], photos_dir: Path) -> None:
    path = photos_dir / row["file"]
    expected = row["expected"]

    if expected.startswith("reject"):
        started = time.perf_counter()
        with pytest.raises(PhotoRejected) as caught:
            prepare_photo(path)
        elapsed = time.perf_counter() - started
        message = str(caught.value)
        assert row["file"] in message
        assert "\n" not in message and "\r" not in message
        assert caught.value.name == row["file"]
        if "quickly" in expected:
            assert elapsed < 1.0, f"took {elapsed:.2f} s to refuse"
        return

    assert expected.startswith("accept"), f"manifest row not understood: {expected!r}"
    photo = prepare_photo(path)
    stored = _assert_clean_rgb_jpegs(photo)
    assert photo.original_name == row["file"]
    _assert_no_camera_identity(path, photo)

    if "landscape" in expected:
        assert photo.width > photo.height, "should be stored landscape"
    if size := re.search(r"landscape (\d+)x(\d+)", expected):
        assert (photo.width, photo.height) == (int(size[1]), int(size[2]))
    if before := re.search(r"pixels are (\d+)x(\d+)", expected):
        # The file really is stored sideways, so the upright check proves a turn.
        with Image.open(path) as original:
            assert original.size == (int(before[1]), int(before[2]))
    if "maximum edge" in expected:
        with Image.open(path) as original:
            source_width, source_height = original.size
        assert max(photo.width, photo.height) == 2048
        assert photo.width / photo.height == pytest.approx(source_width / source_height, rel=0.01)
    if "upright" in expected:
        _assert_upright(path, stored)
    if "GPS" in expected:
        with Image.open(path) as original:  # the test means something only if it was there
            assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), "corpus file has no GPS to remove"
    if "not inverted" in expected:
        # Black card with red lettering; inverted CMYK would be white with cyan.
        red, green, blue = ImageStat.Stat(stored).mean
        assert red < 100 and green < 40 and blue < 40
        assert red > green + 15 and red > blue + 15
    if "8-bit RGB" in expected:
        # 16bit.png is plain red at 16 bits a channel.
        assert _pixel(stored, 0.5, 0.5) == pytest.approx((255, 0, 0), abs=6)
    if "flattened on white" in expected:
        for x, y in ((0.02, 0.02), (0.98, 0.02), (0.02, 0.98), (0.98, 0.98)):
            assert min(_pixel(stored, x, y)) >= 245, f"corner at {x}, {y} is not white"
        darkest, _ = stored.convert("L").getextrema()
        assert darkest < 60, "the bird itself should still be there"


def test_upright_check_fails_for_a_picture_turned_or_mirrored(photos_dir: Path) -> None:
    reference = _small_grey(_stored(photos_dir / REFERENCE_SCENE))
    for orientation in (1, 3, 6, 8):
        stored = _stored(photos_dir / f"real_orientation_landscape_{orientation}.jpg")
        assert _difference(_small_grey(stored), reference) <= SAME_SCENE_AT_MOST
        for wrong in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM):
            assert _difference(_small_grey(stored.transpose(wrong)), reference) >= WRONG_WAY_AT_LEAST


# --- orientation, colour, size ---------------------------------------------

# How a camera would store a picture for each EXIF orientation, written out
# by hand rather than taken from the code under test.
_STORED_SIDEWAYS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(_STORED_SIDEWAYS))
def test_every_exif_orientation_is_turned_upright(orientation: int) -> None:
    upright = _quadrants(80, 40)
    turn = _STORED_SIDEWAYS[orientation]
    as_shot = upright.transpose(turn) if turn is not None else upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    photo = prepare_photo(_jpeg(as_shot, exif=exif.tobytes()), f"orientation {orientation}.jpg")

    stored = _assert_clean_rgb_jpegs(photo)
    assert stored.size == (80, 40)
    for (x, y), colour in _QUADRANT_COLOURS.items():
        assert _pixel(stored, x, y) == pytest.approx(colour, abs=20), f"quadrant {x}, {y}"


def test_16_bit_greyscale_is_scaled_to_8_bits_not_clipped() -> None:
    # Left half 50 % grey, right half white, at 16 bits.
    halves = Image.new("I;16", (64, 32), 32768)
    halves.paste(Image.new("I;16", (32, 32), 65535), (32, 0))
    stored = _assert_clean_rgb_jpegs(prepare_photo(_png(halves), "grey16.png"))
    assert _pixel(stored, 0.25, 0.5) == pytest.approx((128, 128, 128), abs=4)
    assert _pixel(stored, 0.75, 0.5) == pytest.approx((255, 255, 255), abs=4)


def test_palette_transparency_is_flattened_on_white() -> None:
    logo = Image.new("P", (64, 32), 0)
    logo.putpalette([0, 0, 255, 255, 0, 0])
    logo.paste(1, (32, 0, 64, 32))
    stored = _assert_clean_rgb_jpegs(prepare_photo(_png(logo, transparency=0), "logo.png"))
    assert min(_pixel(stored, 0.25, 0.5)) >= 245
    assert _pixel(stored, 0.75, 0.5) == pytest.approx((255, 0, 0), abs=6)


def test_tall_screenshot_is_scaled_to_the_maximum_edge() -> None:
    screenshot = Image.new("RGB", (1080, 6000), (240, 240, 240))
    ImageDraw.Draw(screenshot).rectangle((0, 0, 1079, 199), fill=(30, 60, 200))
    photo = prepare_photo(_png(screenshot), "Screenshot.png")

    _assert_clean_rgb_jpegs(photo)
    assert (photo.width, photo.height) == (369, 2048)
    with Image.open(BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == (58, 320)


def test_50_megapixel_panorama_is_accepted_and_scaled_down(tmp_path: Path) -> None:
    assert MAX_PIXELS >= 50_000_000
    panorama = Image.new("RGB", (10_000, 5_000), (200, 180, 150))
    ImageDraw.Draw(panorama).rectangle((0, 0, 4_999, 2_499), fill=(20, 40, 60))
    path = tmp_path / "panorama.jpg"
    panorama.save(path, quality=50)
    del panorama

    photo = prepare_photo(path)

    stored = _assert_clean_rgb_jpegs(photo)
    assert (photo.width, photo.height) == (2048, 1024)
    assert _pixel(stored, 0.25, 0.25) == pytest.approx((20, 40, 60), abs=8)
    assert _pixel(stored, 0.75, 0.75) == pytest.approx((200, 180, 150), abs=8)


def test_small_pictures_are_never_scaled_up(photos_dir: Path) -> None:
    photo = prepare_photo(photos_dir / "real_camera_canon40d.jpg")
    assert (photo.width, photo.height) == (100, 68)
    with Image.open(BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == (100, 68)


def test_edges_and_quality_can_be_chosen(photos_dir: Path) -> None:
    small = prepare_photo(photos_dir / "real_gps_tagged.jpg", max_edge=200, thumbnail_edge=50, jpeg_quality=40)
    large = prepare_photo(photos_dir / "real_gps_tagged.jpg", max_edge=200, thumbnail_edge=50, jpeg_quality=95)
    assert (small.width, small.height) == (200, 150)
    with Image.open(BytesIO(small.thumbnail)) as thumbnail:
        assert max(thumbnail.size) == 50
    assert len(small.jpeg) < len(large.jpeg)


@pytest.mark.parametrize("arguments", [{"max_edge": 0}, {"thumbnail_edge": 0}, {"jpeg_quality": 0}, {"jpeg_quality": 101}])
def test_nonsense_settings_are_a_programming_error(arguments: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        prepare_photo(_png(Image.new("RGB", (8, 8))), **arguments)


# --- names, sources and lying extensions --------------------------------------


def test_format_comes_from_the_content_not_the_name(photos_dir: Path, tmp_path: Path) -> None:
    png_named_jpg = tmp_path / "x.jpg"
    shutil.copy(photos_dir / "rgba_alpha.png", png_named_jpg)
    jpeg_named_heic = tmp_path / "x.heic"
    shutil.copy(photos_dir / "real_gps_tagged.jpg", jpeg_named_heic)
    heic_named_jpg = tmp_path / "IMG_0001.jpg"
    shutil.copy(photos_dir / "real_phone_iphone.heic", heic_named_jpg)

    from_png = prepare_photo(png_named_jpg)
    assert (from_png.width, from_png.height) == (162, 150)
    assert prepare_photo(jpeg_named_heic).width == 640
    from_heic = prepare_photo(heic_named_jpg)
    assert from_heic.original_name == "IMG_0001.jpg"
    assert from_heic.height == 2048 > from_heic.width


def test_pasted_bytes_give_the_same_picture_as_the_file(photos_dir: Path) -> None:
    path = photos_dir / "real_orientation_landscape_6.jpg"
    from_file = prepare_photo(path)
    pasted = prepare_photo(path.read_bytes())
    named = prepare_photo(path.read_bytes(), "clipboard.jpg")

    assert pasted.original_name == "pasted image"
    assert named.original_name == "clipboard.jpg"
    assert pasted.sha256 == from_file.sha256 == named.sha256


def test_result_is_a_frozen_snapshot_with_a_true_checksum() -> None:
    photo = prepare_photo(_png(_quadrants(40, 20)), "q.png")
    assert isinstance(photo, PreparedPhoto)
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    with pytest.raises(AttributeError):
        photo.width = 1  # type: ignore[misc]


def test_name_keeps_no_folder_and_stays_on_one_line() -> None:
    photo = prepare_photo(_png(Image.new("RGB", (8, 8))), "/home/facilitator/Pictures/waiting room.png")
    assert photo.original_name == "waiting room.png"
    with pytest.raises(PhotoRejected) as caught:
        prepare_photo(b"not a picture", "evil\nname.jpg")
    assert "\n" not in str(caught.value)


# --- refusals -----------------------------------------------------------------


def test_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(PhotoRejected) as caught:
        prepare_photo(tmp_path / "gone.jpg")
    assert str(caught.value) == "gone.jpg: file not found"


def test_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Photos.jpg").mkdir()
    with pytest.raises(PhotoRejected, match="Photos.jpg"):
        prepare_photo(tmp_path / "Photos.jpg")


def test_empty_paste_is_refused() -> None:
    with pytest.raises(PhotoRejected) as caught:
        prepare_photo(b"")
    assert str(caught.value) == "pasted image: empty file"


def test_heic_cut_short_is_refused(photos_dir: Path) -> None:
    # libheif paints the missing tiles green rather than failing.
    data = (photos_dir / "real_phone_iphone.heic").read_bytes()
    with pytest.raises(PhotoRejected, match="damaged or cut short"):
        prepare_photo(data[: len(data) * 6 // 10], "IMG_0002.heic")


def test_picture_over_the_pixel_limit_is_refused_from_its_header() -> None:
    side = int(MAX_PIXELS**0.5) + 10
    started = time.perf_counter()
    with pytest.raises(PhotoRejected, match="too large"):
        prepare_photo(_png_header_only(side, side), "huge.png")
    assert time.perf_counter() - started < 5  # decoding it would take minutes; a loaded machine is slow too


def test_pillow_bomb_warning_is_a_refusal_and_global_state_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    filters_before = list(warnings.filters)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)

    # 40 x 40 = 1600 pixels: over Pillow's limit, under twice it, so a warning.
    with pytest.raises(PhotoRejected, match="too large"):
        prepare_photo(_png(Image.new("RGB", (40, 40))), "warned.png")
    with pytest.raises(PhotoRejected, match="too large"):
        prepare_photo(_png(Image.new("RGB", (50, 50))), "refused.png")

    assert warnings.filters == filters_before
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_damaged_files_give_only_photo_rejected(photos_dir: Path) -> None:
    """Cut and scramble small corpus pictures: each is taken in or refused, nothing else."""
    chance = random.Random(20240601)
    small_files = [
        path
        for path in sorted(photos_dir.iterdir())
        if path.suffix != ".tsv" and 0 < path.stat().st_size < 200_000
    ]
    for path in small_files:
        data = path.read_bytes()
        for attempt in range(6):
            damaged = bytearray(data[: chance.randrange(1, len(data))] if attempt % 2 else data)
            for _ in range(attempt):
                damaged[chance.randrange(len(damaged))] = chance.randrange(256)
            try:
                prepare_photo(bytes(damaged), path.name)
            except PhotoRejected as refusal:
                assert "\n" not in str(refusal)


# --- helpers ------------------------------------------------------------------

_QUADRANT_COLOURS = {
    (0.25, 0.25): (255, 0, 0),
    (0.75, 0.25): (0, 255, 0),
    (0.25, 0.75): (0, 0, 255),
    (0.75, 0.75): (255, 255, 255),
}


def _quadrants(width: int, height: int) -> Image.Image:
    picture = Image.new("RGB", (width, height))
    for (x, y), colour in _QUADRANT_COLOURS.items():
        left, top = int((x - 0.25) * width), int((y - 0.25) * height)
        picture.paste(colour, (left, top, left + width // 2, top + height // 2))
    return picture


def _jpeg(picture: Image.Image, **options: object) -> bytes:
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=95, **options)
    return buffer.getvalue()


def _png(picture: Image.Image, **options: object) -> bytes:
    buffer = BytesIO()
    picture.save(buffer, "PNG", **options)
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but holds a few bytes of pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _stored(path: Path) -> Image.Image:
    with Image.open(BytesIO(prepare_photo(path).jpeg)) as stored:
        stored.load()
        return stored


def _small_grey(picture: Image.Image) -> Image.Image:
    size = (32, 24) if picture.width >= picture.height else (24, 32)
    return picture.convert("L").resize(size, Image.Resampling.BOX)


def _difference(first: Image.Image, second: Image.Image) -> float:
    assert first.size == second.size
    return ImageStat.Stat(ImageChops.difference(first, second)).mean[0]


def _pixel(picture: Image.Image, x: float, y: float) -> tuple[int, ...]:
    """The pixel at a fraction (0-1) of the width and height."""
    return picture.getpixel((min(int(x * picture.width), picture.width - 1), min(int(y * picture.height), picture.height - 1)))


def _assert_upright(path: Path, stored: Image.Image) -> None:
    if path.name.startswith("real_orientation_"):
        reference = _stored(path.parent / REFERENCE_SCENE)
    elif path.suffix == ".heic":
        # libheif applies the HEIC's own rotation; EXIF must not turn it again.
        pillow_heif = pytest.importorskip("pillow_heif")
        pillow_heif.register_heif_opener()
        with Image.open(path) as decoded:
            reference = decoded.convert("RGB")
    else:
        pytest.fail(f"no reference picture to check {path.name} is upright")
    difference = _difference(_small_grey(stored), _small_grey(reference))
    assert difference <= SAME_SCENE_AT_MOST, f"{path.name} is not upright (difference {difference:.1f})"


def _assert_clean_rgb_jpegs(photo: PreparedPhoto) -> Image.Image:
    """Check the stored picture and thumbnail are metadata-free 8-bit RGB JPEGs; return the picture."""
    for blob, edge in ((photo.jpeg, 2048), (photo.thumbnail, 320)):
        with Image.open(BytesIO(blob)) as picture:
            assert picture.format == "JPEG"
            assert picture.mode == "RGB"
            assert max(picture.size) <= edge
            assert not picture.getexif()
            assert not {"exif", "icc_profile", "xmp", "photoshop", "comment", "adobe"} & picture.info.keys()
        for marker in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"Photoshop 3.0"):
            assert marker not in blob
        # Three bytes turn up by chance in compressed pixels; metadata would
        # sit in the segments before the first scan.
        assert b"GPS" not in blob[: blob.index(b"\xff\xda")]
        assert _jpeg_segment_markers(blob) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD}, "unexpected JPEG segment"
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    picture = Image.open(BytesIO(photo.jpeg))
    picture.load()
    assert picture.size == (photo.width, photo.height)
    return picture


def _jpeg_segment_markers(blob: bytes) -> set[int]:
    """Markers of the segments before the first scan (APPn, COM, tables, frame)."""
    markers, offset = set(), 2
    while blob[offset] == 0xFF and blob[offset + 1] != 0xDA:
        marker = blob[offset + 1]
        (length,) = struct.unpack(">H", blob[offset + 2 : offset + 4])
        markers.add(marker)
        offset += 2 + length
    return markers


def _assert_no_camera_identity(path: Path, photo: PreparedPhoto) -> None:
    """The camera's make, model and serial strings from the source are nowhere in the copy."""
    with Image.open(path) as original, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bad_exif.jpg says its EXIF is corrupt; so it is
        try:
            exif = original.getexif()
            values = [*exif.values(), *exif.get_ifd(ExifTags.IFD.Exif).values()]
        except Exception:  # noqa: BLE001 -- nothing readable to look for
            return
    for value in values:
        if isinstance(value, str) and len(value.strip("\0 ")) >= 5:
            needle = value.strip("\0 ").encode("latin-1", "replace")
            assert needle not in photo.jpeg and needle not in photo.thumbnail, f"{value!r} survived"


def test_blurring_decodes_the_stored_bytes_as_jpeg_only() -> None:
    """Stored bytes another program replaced (here a PNG Pillow reads well) are refused, not decoded."""
    from walkthrough.services.photo_intake import blur_region

    buffer = BytesIO()
    Image.new("RGB", (80, 60), "teal").save(buffer, format="PNG")
    with pytest.raises(PhotoRejected, match=r"^door\.jpg: the stored bytes are not a JPEG$"):
        blur_region(buffer.getvalue(), (0, 0, 40, 30), "door.jpg")
    stored = prepare_photo(buffer.getvalue())
    assert blur_region(stored.jpeg, (0, 0, 40, 30), "door.jpg").width == 80
