"""Turn a photo file, or a pasted picture, into the copy a walkthrough stores.

A facilitator's photo of a waiting room can carry the phone's GPS position,
its serial number and the moment it was taken.  :func:`prepare_photo` decodes
the picture, turns it upright, converts it to 8-bit RGB, scales it down and
encodes a fresh JPEG built from pixels alone, so no EXIF, XMP, IPTC, ICC
profile or comment can reach the database or an export.

Anything that is not a usable picture -- an empty or missing file, a damaged
or cut-short one, a format we do not read, a decompression bomb whose header
claims billions of pixels -- raises
:class:`~walkthrough.domain.errors.PhotoRejected` before anything is stored.
No other exception escapes for bad input; one that does is a bug.

Headless: imports Pillow (and pillow-heif, on the first HEIC), never Qt or
the database.  Formats read: JPEG, PNG, HEIC/HEIF, WebP, AVIF, GIF, TIFF and
BMP, recognised from their content, whatever the file name says.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import struct
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from PIL import ExifTags, Image

from walkthrough.domain.errors import PhotoRejected, StoredPhotoUnreadable
from walkthrough.domain.stored_photo import (
    encode_print,
    fit_for_print,
    is_own_rendition,
    open_stored_jpeg,
    print_draft_size,
)
from walkthrough.storage.input_file import UnreadableFile, open_ordinary_file

# Largest picture we agree to decode, in pixels (width x height, read from the
# file's header before any decoding).  80 MP takes a 50 MP panorama and the
# 48-50 MP full-resolution modes of current phones, while a full decode stays
# under ~320 MB (4 bytes a pixel).  It sits below Pillow's own
# Image.MAX_IMAGE_PIXELS (~89.5 MP unless changed), whose
# DecompressionBombWarning we also refuse, so this is the limit that applies.
MAX_PIXELS = 80_000_000

MAX_EDGE = 2048
#: Largest picture file read at all, checked before reading: a camera's
#: largest JPEG or HEIC is a few tens of MB.
MAX_PHOTO_FILE_BYTES = 200_000_000
"""Default longest edge of the stored picture, in pixels."""

THUMBNAIL_EDGE = 320
"""Default longest edge of the thumbnail, in pixels."""

JPEG_QUALITY = 85
"""Default JPEG quality (Pillow's 1-95 scale) for the stored picture and thumbnail."""

PASTED_NAME = "pasted image"
"""Name given to a picture that arrives as bytes without a name."""

# Pillow plugins we let near the bytes.  Pillow can open many more (EPS, for
# one, runs Ghostscript), and none of them is a photo or a screenshot.
# MPO, the multi-picture JPEG of many cameras, opens through "JPEG".
_READABLE_FORMATS = ("JPEG", "PNG", "HEIF", "WEBP", "AVIF", "GIF", "TIFF", "BMP")

# What Pillow's decoders raise on hostile or damaged input.  Its plugins use
# SyntaxError, struct.error and friends for "this is not a valid file".
_DECODER_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    RuntimeError,
)
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)

_UNREADABLE = "not a picture Lens Walkthrough can read"
_DAMAGED = "picture is damaged or cut short"

# EXIF orientation -> the transpose that makes the pixels upright (as
# PIL.ImageOps.exif_transpose does).  Applied after scaling down, when the
# picture is small and the transpose is cheap.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_MODES_WITH_ALPHA = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


@dataclass(frozen=True)
class PreparedPhoto:
    """A picture ready to store: upright, 8-bit RGB, scaled down, no metadata at all.

    Attributes:
        original_name: the file's name as the user knows it, without its
            folder (``"pasted image"`` for an unnamed paste), on one line.
        jpeg: the stored picture, a baseline JPEG with
            no EXIF, XMP, IPTC, ICC profile or comment.
        thumbnail: a JPEG of the same picture, longest edge at most the
            ``thumbnail_edge`` asked for; also without metadata.
        width: width of ``jpeg`` in pixels.
        height: height of ``jpeg`` in pixels.
        sha256: lower-case hex SHA-256 of ``jpeg``.
        print_jpeg: a JPEG of the same picture at the size a report prints it
            (:func:`walkthrough.domain.stored_photo.encode_print`), so a report
            only embeds it; also without metadata.
    """

    original_name: str
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    print_jpeg: bytes


def prepare_photo(
    source: Path | str | bytes,
    name: str | None = None,
    *,
    max_edge: int = MAX_EDGE,
    thumbnail_edge: int = THUMBNAIL_EDGE,
    jpeg_quality: int = JPEG_QUALITY,
) -> PreparedPhoto:
    """Decode, check and re-encode one picture for storage.

    Args:
        source: path of the picture file, or its bytes (a clipboard paste).
        name: the name to show and keep; defaults to the path's file name, or
            ``"pasted image"`` for bytes.  Any folder part is dropped.
        max_edge: longest edge of the stored picture in pixels; larger
            pictures are scaled down, smaller ones are never scaled up.
        thumbnail_edge: longest edge of the thumbnail in pixels.
        jpeg_quality: JPEG quality, 1-95, for the picture and its thumbnail.

    Returns:
        A :class:`PreparedPhoto`.  The picture is turned upright following
        its EXIF orientation (a broken EXIF block is ignored); CMYK, 16-bit,
        palette and greyscale pictures become 8-bit RGB; transparency is
        flattened onto white.  Only the first frame of an animation is kept.

    Raises:
        PhotoRejected: the file is missing, unreadable, empty, not in a format
            we read, damaged or cut short, or larger than :data:`MAX_PIXELS`.
            ``str()`` is one line naming the file.
        ValueError: an argument other than ``source`` is out of range (a bug
            in the caller, not the user's input).
    """
    if max_edge < 1 or thumbnail_edge < 1:
        raise ValueError(f"edges must be at least 1 pixel, got {max_edge} and {thumbnail_edge}")
    if not 1 <= jpeg_quality <= 95:
        raise ValueError(f"jpeg_quality must be 1-95, got {jpeg_quality}")

    if isinstance(source, (bytes, bytearray, memoryview)):
        label = _display_name(name or PASTED_NAME)
        data = bytes(source)
        if not data:
            raise PhotoRejected(label, "empty file")
        picture = _decode(io.BytesIO(data), label, max_edge)
    else:
        path = Path(source)
        label = _display_name(name or path.name or str(path))
        with _open_picture_file(path, label) as stream:
            picture = _decode(stream, label, max_edge)

    jpeg = _encode_jpeg(picture, jpeg_quality)
    printable = picture if is_own_rendition(*picture.size) else fit_for_print(picture)
    thumbnail = _encode_jpeg(_fit(_smallest_source(picture, printable, thumbnail_edge), thumbnail_edge),
                             jpeg_quality)
    return PreparedPhoto(
        original_name=label,
        jpeg=jpeg,
        thumbnail=thumbnail,
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(jpeg).hexdigest(),
        print_jpeg=_print_of(printable, jpeg, picture.size),
    )


def blur_region(
    jpeg: bytes,
    box: tuple[int, int, int, int],
    original_name: str,
    *,
    thumbnail_edge: int = THUMBNAIL_EDGE,
    jpeg_quality: int = JPEG_QUALITY,
) -> PreparedPhoto:
    """Blur a rectangle of a stored picture beyond recognition (faces, names on a board).

    The blur is strong enough that text and faces cannot be read back: the
    region is shrunk to a coarse mosaic and Gaussian-blurred, then re-encoded.

    Args:
        jpeg: a stored picture (as made by :func:`prepare_photo`).
        box: ``(left, top, right, bottom)`` in that picture's pixels; clipped
            to the picture.
        original_name: kept as the photo's name.

    Returns:
        The new picture, thumbnail and print rendition (same sizes as before).

    Raises:
        PhotoRejected: the box is empty after clipping, or ``jpeg`` does not decode.
    """
    from PIL import ImageFilter

    try:
        with open_stored_jpeg(jpeg) as opened:  # stored bytes: the JPEG decoder only
            picture = opened.convert("RGB")
    except StoredPhotoUnreadable as exc:
        raise PhotoRejected(original_name, exc.reason) from None
    except _DECODER_ERRORS:
        raise PhotoRejected(original_name, _DAMAGED) from None
    left, top = max(0, min(box[0], box[2])), max(0, min(box[1], box[3]))
    right, bottom = min(picture.width, max(box[0], box[2])), min(picture.height, max(box[1], box[3]))
    if right - left < 2 or bottom - top < 2:
        raise PhotoRejected(original_name, "the area to blur is empty")
    region = picture.crop((left, top, right, bottom))
    cells = max(1, min(region.width, region.height) // 12)
    mosaic = region.resize((max(1, region.width // cells), max(1, region.height // cells)), Image.Resampling.BOX)
    region = mosaic.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(cells / 2 + 2))
    picture.paste(region, (left, top))
    picture = _pixels_only(picture)
    data = _encode_jpeg(picture, jpeg_quality)
    printable = picture if is_own_rendition(*picture.size) else fit_for_print(picture)
    return PreparedPhoto(
        original_name=original_name,
        jpeg=data,
        thumbnail=_encode_jpeg(_fit(_smallest_source(picture, printable, thumbnail_edge), thumbnail_edge),
                               jpeg_quality),
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(data).hexdigest(),
        print_jpeg=_print_of(printable, data, picture.size),
    )


def thumbnail_of(jpeg: bytes, width: int, height: int, *, thumbnail_edge: int = THUMBNAIL_EDGE,
                 jpeg_quality: int = JPEG_QUALITY) -> bytes:
    """The thumbnail of a stored picture that came from elsewhere (a package), made here.

    Raises:
        StoredPhotoUnreadable: not a JPEG this program would store: damaged,
            not ``width`` × ``height``, or carrying metadata.
    """
    return _received(jpeg, width, height, thumbnail_edge, jpeg_quality, with_print=False)[0]


def renditions_of(jpeg: bytes, width: int, height: int, *, thumbnail_edge: int = THUMBNAIL_EDGE,
                  jpeg_quality: int = JPEG_QUALITY) -> tuple[bytes, bytes]:
    """The thumbnail and the print rendition of a stored picture that came from elsewhere (a package).

    One decode makes both.

    Raises:
        StoredPhotoUnreadable: as :func:`thumbnail_of`.
    """
    thumbnail, print_jpeg = _received(jpeg, width, height, thumbnail_edge, jpeg_quality, with_print=True)
    assert print_jpeg is not None
    return thumbnail, print_jpeg


def _received(jpeg: bytes, width: int, height: int, thumbnail_edge: int, jpeg_quality: int, *,
              with_print: bool) -> tuple[bytes, bytes | None]:
    from walkthrough.domain.stored_photo import metadata_in_jpeg

    found = metadata_in_jpeg(jpeg)
    if found is not None:
        raise StoredPhotoUnreadable(f"the picture carries more than pixels ({found})")
    own = is_own_rendition(width, height)  # checked against the decoded size below
    with open_stored_jpeg(jpeg) as picture:
        if picture.size != (width, height):
            raise StoredPhotoUnreadable("the picture is not the size it is said to be")
        try:
            # Decoded at 1/2, 1/4 or 1/8 scale (still at least the size
            # needed): every byte of the picture is still read, so a damaged
            # one fails here, at a fraction of the time (benchmark "receive").
            wanted = _draft_size(picture.size, thumbnail_edge) or picture.size
            if with_print and not own:  # one request serves both (Pillow ignores a second)
                wanted = tuple(map(max, wanted, print_draft_size(*picture.size)))
            picture.draft("RGB", wanted)
            picture.load()
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise StoredPhotoUnreadable(f"the stored JPEG is damaged ({exc})") from None
        pixels = _pixels_only(picture.convert("RGB"))
    printable = fit_for_print(pixels) if with_print and not own else pixels
    thumbnail = _encode_jpeg(_fit(_smallest_source(pixels, printable, thumbnail_edge), thumbnail_edge), jpeg_quality)
    return thumbnail, _print_of(printable, jpeg, (width, height)) if with_print else None


def _smallest_source(picture: Image.Image, printable: Image.Image, edge: int) -> Image.Image:
    """The print-size pixels where they are still at least ``edge`` pixels long (far quicker to scale), else ``picture``."""
    return printable if max(printable.size) >= edge or printable.size == picture.size else picture


def _print_of(printable: Image.Image, jpeg: bytes, stored_size: tuple[int, int]) -> bytes:
    """The print rendition (``printable``, the stored picture fitted for print): ``jpeg`` itself for a small picture."""
    return jpeg if is_own_rendition(*stored_size) else encode_print(printable)


def _display_name(name: str) -> str:
    """The file name without folders, with line breaks and control characters replaced.

    A file name may legally hold a newline; the error message must stay on one line.
    """
    base = PurePath(name).name or name
    return "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch
        for ch in base
    )


@contextmanager
def _open_picture_file(path: Path, label: str) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading, refusing folders, devices, pipes, empty and oversized files.

    Opened non-blocking and checked after opening (:mod:`walkthrough.storage.input_file`),
    so a pipe, or a file swapped for one, never hangs the import.
    """
    try:
        with open_ordinary_file(path, max_bytes=MAX_PHOTO_FILE_BYTES) as stream:
            if os.fstat(stream.fileno()).st_size == 0:
                raise PhotoRejected(label, "empty file")
            yield stream
    except UnreadableFile as exc:  # only opening raises it
        reason = "is a folder, not a picture" if exc.reason.startswith("is a folder") else exc.reason
        raise PhotoRejected(label, reason) from None


def _decode(stream: IO[bytes], label: str, max_edge: int) -> Image.Image:
    """Read the picture in ``stream``: upright 8-bit RGB, longest edge <= max_edge, empty ``info``."""
    if _is_iso_media(stream):
        if not _iso_media_is_complete(stream):
            raise PhotoRejected(label, _DAMAGED)
        _enable_heif()
    Image.init()  # registers every plugin, so the filter below sees them all
    formats = [f for f in _READABLE_FORMATS if f in Image.OPEN]

    # catch_warnings is local to this call but, before Python 3.14, not to this
    # thread: while it runs, other threads' warnings follow the same filters.
    with warnings.catch_warnings():
        # Pillow's UserWarnings are about the file (corrupt EXIF, palette
        # transparency) and are handled below.
        warnings.filterwarnings("ignore", category=UserWarning)
        # Pillow warns, rather than fails, between MAX_IMAGE_PIXELS and twice that.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream, formats=formats)
        except _BOMB_ERRORS as exc:
            raise PhotoRejected(label, _too_large(_claimed_pixels(exc))) from exc
        except Image.UnidentifiedImageError as exc:
            raise PhotoRejected(label, _UNREADABLE) from exc
        except _DECODER_ERRORS as exc:
            raise PhotoRejected(label, _DAMAGED) from exc

        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(label, _too_large(width * height, MAX_PIXELS))
            if width < 1 or height < 1:
                raise PhotoRejected(label, _DAMAGED)
            orientation = _exif_orientation(image)
            try:
                # For a JPEG, draft makes libjpeg decode at 1/2, 1/4 or 1/8
                # scale, still at least as large as needed; other formats
                # ignore it.  A full decode follows: a file cut short fails here.
                image.draft(None, _draft_size(image.size, max_edge))
                image.load()
            except _BOMB_ERRORS as exc:
                raise PhotoRejected(label, _too_large(width * height)) from exc
            except _DECODER_ERRORS as exc:
                raise PhotoRejected(label, _DAMAGED) from exc

            try:
                picture = _to_8bit_rgb_or_rgba(image)
            except ValueError as exc:  # e.g. LAB TIFF: Pillow has no conversion
                raise PhotoRejected(label, "picture's colour format is not supported") from exc

            # Scale first, with alpha still in place (Pillow premultiplies
            # while resampling), then flatten and turn on the small copy.
            picture = _flatten_on_white(_fit(picture, max_edge))
            if orientation in _UPRIGHT:
                picture = picture.transpose(_UPRIGHT[orientation])
            return _pixels_only(picture)


def _is_iso_media(stream: IO[bytes]) -> bool:
    """True if the stream starts with an ISO base media ``ftyp`` box (HEIC, HEIF, AVIF)."""
    head = stream.read(12)
    stream.seek(0)
    return head[4:8] == b"ftyp"


def _iso_media_is_complete(stream: IO[bytes]) -> bool:
    """False if the file's last top-level box runs past the end of the file.

    libheif decodes a HEIC that was cut short without complaint, painting the
    missing tiles green, so a broken transfer must be caught here.  The
    pixels live in the ``mdat`` box, whose declared size then overshoots.
    """
    end = stream.seek(0, os.SEEK_END)
    offset = 0
    try:
        for _ in range(4096):  # real files have a handful of top-level boxes
            if offset >= end:
                break
            stream.seek(offset)
            header = stream.read(16)
            if len(header) < 8:
                return False
            (size,) = struct.unpack(">I", header[:4])
            if size == 0:  # the last box, running to the end of the file
                return True
            if size == 1:  # a 64-bit size follows the box type
                if len(header) < 16:
                    return False
                (size,) = struct.unpack(">Q", header[8:16])
            if size < 8:
                return False
            offset += size
    finally:
        stream.seek(0)
    return offset <= end


@functools.cache
def _enable_heif() -> None:
    """Teach Pillow to open HEIC/HEIF, on first need and once; libheif is slow to load."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _claimed_pixels(exc: BaseException) -> int | None:
    """The pixel count in Pillow's decompression bomb message, if it gives one."""
    match = re.search(r"\((\d+) pixels\)", str(exc))
    return int(match.group(1)) if match else None


def _too_large(pixels: int | None, limit: int | None = None) -> str:
    """The refusal reason for a picture of ``pixels`` pixels (None: not known)."""
    if pixels is None:
        return "picture is too large"
    if pixels >= 1_000_000_000:
        size = f"{pixels / 1e9:.1f} gigapixels"
    elif pixels >= 1_000_000:
        size = f"{pixels / 1e6:.0f} megapixels"
    else:
        size = f"{pixels} pixels"
    if limit is not None:
        size += f", at most {limit / 1e6:.0f} allowed"
    return f"picture is too large ({size})"


def _exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1-8; 1 (as stored) when absent or unreadable.

    pillow-heif has already applied a HEIC's rotation and reports 1 here.
    """
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # noqa: BLE001 -- broken EXIF is common; the pixels are still good
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _draft_size(size: tuple[int, int], max_edge: int) -> tuple[int, int] | None:
    """The smallest decode size whose longest edge still reaches ``max_edge``, or None."""
    width, height = size
    longest = max(width, height)
    if longest <= max_edge:
        return None
    scale = max_edge / longest
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def _to_8bit_rgb_or_rgba(image: Image.Image) -> Image.Image:
    """8-bit RGB, or RGBA when the picture has any transparency."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        image = _wide_grey_to_l(image)
    has_alpha = image.mode in _MODES_WITH_ALPHA or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    # CMYK: Pillow has already undone Adobe's inverted CMYK, so convert is right.
    return image if image.mode == target else image.convert(target)


def _wide_grey_to_l(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit or float greyscale to 8-bit, scaled rather than clipped.

    Pillow's ``convert("L")`` clips at 255, which would turn a 16-bit picture's
    every mid-grey white.  Integer pictures above 255 are taken as 16-bit
    (0-65535); float pictures no brighter than 1.0 as 0.0-1.0.
    """
    if image.mode != "F":
        image = image.convert("I")
    _, brightest = image.getextrema()
    if image.mode == "F" and brightest <= 1.0:
        factor = 255.0
    elif brightest > 255:
        factor = 1 / 257
    else:
        factor = 1.0
    grey = image.point(lambda value: value * factor).convert("L")
    grey.info.pop("transparency", None)  # a 16-bit key colour means nothing at 8 bits
    return grey


def _fit(image: Image.Image, edge: int) -> Image.Image:
    """Scaled down so the longest edge is ``edge`` pixels; never scaled up."""
    width, height = image.size
    longest = max(width, height)
    if longest <= edge:
        return image
    scale = edge / longest
    size = max(1, round(width * scale)), max(1, round(height * scale))
    # reducing_gap: a fast integer box reduce first, then Lanczos on the rest;
    # 3.0 is, by Pillow's measure, indistinguishable from Lanczos alone.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _flatten_on_white(image: Image.Image) -> Image.Image:
    """RGBA composited onto a white background, as RGB; RGB returned as is.

    White, not black: screenshots and logos with transparent corners are
    meant to be seen on a light page.
    """
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image)
    return flat


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image holding only the pixels.

    Pillow copies ``info`` (EXIF, ICC profile, XMP, comments) from image to
    image through resize and transpose, and some encoders write it back.
    """
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """``image`` as JPEG bytes: no exif, icc_profile or comment passed, none in ``info``."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
