"""Stored photo bytes are decoded as JPEG and as nothing else.

Every photo the program stores was re-encoded as a JPEG when it was taken in
(:mod:`walkthrough.services.photo_intake`).  Bytes read back from a database,
a backup or any file may have been put there by someone else, though, and
Pillow picks its decoder from the content: some of its decoders run other
programs (EPS runs Ghostscript).  So stored bytes only ever meet the JPEG
decoder.  :func:`open_stored_jpeg` is the one way the core decodes them; the
window gives Qt :data:`STORED_PHOTO_FORMAT` for the same reason.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from walkthrough.domain.errors import StoredPhotoUnreadable

if TYPE_CHECKING:
    from PIL import Image

#: The format of every stored photo and thumbnail (Pillow's and Qt's name for it).
STORED_PHOTO_FORMAT = "JPEG"
#: How every JPEG file starts: the start-of-image marker, then another marker.
_JPEG_START = b"\xff\xd8\xff"


def is_jpeg(data: bytes) -> bool:
    """True if ``data`` starts as a JPEG does (a cheap look before writing or decoding)."""
    return bytes(data[:3]) == _JPEG_START


def metadata_in_jpeg(data: bytes) -> str | None:
    """The first segment that carries more than pixels (EXIF, XMP, IPTC, a comment), or None.

    Every photo the program stores carries none (only JFIF's APP0): a JPEG
    that does came from somewhere else, and may say where and with what it
    was taken.  Only the segments before the picture data are read.
    """
    if not is_jpeg(data):
        return "not a JPEG"
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return "damaged"
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the picture data follows
            return None
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if 0xE1 <= marker <= 0xEF:
            return f"APP{marker - 0xE0}"
        if marker == 0xFE:
            return "comment"
        at += 2 + length
    return "damaged"


def open_stored_jpeg(data: bytes) -> Image.Image:
    """Open stored photo bytes with Pillow's JPEG decoder only (lazily, as ``Image.open`` does).

    Returns:
        The opened picture; use it in a ``with`` block.  Its pixels are
        decoded on ``load()`` or first use.

    Raises:
        StoredPhotoUnreadable: the bytes are not a JPEG, or Pillow cannot
            open them, or they claim more pixels than Pillow agrees to decode.
    """
    from PIL import Image, UnidentifiedImageError

    if not is_jpeg(data):
        raise StoredPhotoUnreadable("the stored bytes are not a JPEG")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[STORED_PHOTO_FORMAT])
    except UnidentifiedImageError:
        raise StoredPhotoUnreadable("the stored bytes are not a JPEG") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise StoredPhotoUnreadable("the stored JPEG claims too many pixels") from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError) as exc:
        raise StoredPhotoUnreadable(f"the stored JPEG is damaged ({exc})") from None


# -- the print rendition -------------------------------------------------------------------

#: Pixels per inch of a photo as a report places it: sharp in print, small in the file.
PRINT_DPI = 170
#: The largest box a report places a photo in (the Word document's and the web page's 80 x 70 mm;
#: the PDF's is smaller), in pixels at :data:`PRINT_DPI`.  Each photo's print rendition fits it: made
#: from the full picture at intake, it is the picture fitted into the box; made from a stored JPEG,
#: it may be a little smaller (:data:`DRAFT_SLACK`).
PRINT_BOX = (round(80 / 25.4 * PRINT_DPI), round(70 / 25.4 * PRINT_DPI))
#: JPEG quality (Pillow's 1-95 scale) of the print rendition.
PRINT_QUALITY = 82
#: A picture no larger than this (:data:`PRINT_BOX` x 1.25: about 210 dpi at the largest placed size,
#: at most about 320 in the PDF's smaller box) is its own print rendition: the report places it as it
#: is, and a second, slightly smaller copy would save it nothing.
OWN_RENDITION_BOX = (round(PRINT_BOX[0] * 1.25), round(PRINT_BOX[1] * 1.25))


def is_own_rendition(width: int, height: int) -> bool:
    """True if a ``width`` x ``height`` stored picture is printed as it is (it fits :data:`OWN_RENDITION_BOX`)."""
    return width <= OWN_RENDITION_BOX[0] and height <= OWN_RENDITION_BOX[1]


def print_size(width: int, height: int) -> tuple[int, int]:
    """The size of a ``width`` x ``height`` picture's print rendition: fitted into :data:`PRINT_BOX`, never larger."""
    width, height = max(width, 1), max(height, 1)
    scale = min(PRINT_BOX[0] / width, PRINT_BOX[1] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def fit_for_print(picture: Image.Image) -> Image.Image:
    """``picture`` scaled down to :func:`print_size` (returned as it is where it fits already)."""
    from PIL import Image

    size = print_size(*picture.size)
    if size == picture.size:
        return picture
    # reducing_gap 1.5: a fast integer box reduce to within 1.5-3x of the size, then Lanczos on the
    # rest; from a 2048 px photo, a third of the time of Lanczos alone, no difference in print.
    return picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.5)


def encode_print(picture: Image.Image) -> bytes:
    """The print rendition of upright RGB pixels: fitted into :data:`PRINT_BOX`, a JPEG of pixels alone.

    Nothing of ``picture.info`` (EXIF, ICC profile, comments) is written: the
    pixels are copied into a new image first.
    """
    from PIL import Image

    picture = fit_for_print(picture)
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=PRINT_QUALITY, optimize=True)
    return out.getvalue()


#: A JPEG decoded at 1/2, 1/4 or 1/8 scale down to this share of its print size is printed at that size
#: (e.g. a 2048 px photo at 512 px, not 535): decoding at twice the scale and resampling took three times
#: as long, for no difference in print (about 160 dpi at the largest placed size).
DRAFT_SLACK = 0.88


def print_draft_size(width: int, height: int) -> tuple[int, int]:
    """The smallest decoded size a picture's print rendition is made from (see :data:`DRAFT_SLACK`).

    Pillow's ``draft`` takes one request (a second call is ignored): ask it for this, or for a
    larger size another use needs as well.
    """
    target = print_size(width, height)
    return max(1, int(target[0] * DRAFT_SLACK)), max(1, int(target[1] * DRAFT_SLACK))


def print_rendition(jpeg: bytes) -> bytes:
    """The print rendition of a stored picture (for one that came without it: an upgrade, an undo).

    Decoded as JPEG only (:func:`open_stored_jpeg`), straight to 1/2, 1/4 or
    1/8 scale where that is (nearly) the print size (:func:`print_draft_size`).
    A stored picture that fits :data:`OWN_RENDITION_BOX` and carries nothing
    but pixels is its own rendition.

    Raises:
        StoredPhotoUnreadable: the bytes are not a JPEG, or are damaged.
    """
    with open_stored_jpeg(jpeg) as opened:
        if is_own_rendition(*opened.size) and metadata_in_jpeg(jpeg) is None \
                and bytes(jpeg[-2:]) == b"\xff\xd9":
            return bytes(jpeg)
        try:
            opened.draft("RGB", print_draft_size(*opened.size))  # libjpeg: the smallest scale at least this big
            picture = opened.convert("RGB")
        except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError) as exc:
            raise StoredPhotoUnreadable(f"the stored JPEG is damaged ({exc})") from None
    return encode_print(picture)


def print_rendition_or_none(jpeg: bytes) -> bytes | None:
    """:func:`print_rendition`, or ``None`` where the stored JPEG does not decode (the report then says so)."""
    try:
        return print_rendition(jpeg)
    except StoredPhotoUnreadable:
        return None
