"""Photos fitted to their placed size and re-encoded small, for every report format.

A stored photo can be 2048 px and a few megabytes; printed at about 8 cm it
needs ~550 px.  Each photo's print rendition, made at intake
(:func:`walkthrough.domain.stored_photo.print_rendition`), is already that
size and is placed as it is; a larger picture (a database whose photos have
no rendition) is shrunk here.  The PDF
(:mod:`walkthrough.report.photo_flowable`), the Word document and the web
page (:mod:`walkthrough.report.photo_queue`) place the same small JPEG.
No ReportLab here.
"""

from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from walkthrough.domain.errors import StoredPhotoUnreadable
from walkthrough.domain.stored_photo import PRINT_DPI, open_stored_jpeg

#: Pixels per inch of a placed photo that had to be shrunk: sharp in print, small in the file
#: (the print rendition's, which fits the largest box a report places a photo in).
PHOTO_DPI = PRINT_DPI
#: A photo no denser than this where it is placed is placed as it is: the print rendition fits the
#: Word document's 80 x 70 mm and lands at up to about 260 dpi in the PDF's smaller box; a stored
#: picture small enough to be its own rendition (domain.stored_photo.OWN_RENDITION_BOX), at up to 322.
MAX_PLACED_DPI = 330
_JPEG_QUALITY = 82
#: What is raised for stored bytes that cannot be turned into a picture.
UNREADABLE = (StoredPhotoUnreadable, UnidentifiedImageError, PILImage.DecompressionBombError, OSError, ValueError)
#: A draft decode this close to the target size is used without resampling.
_DRAFT_SLACK = 0.88


def fit_size(width_px: int, height_px: int, max_width: float, max_height: float) -> tuple[float, float]:
    """Placed size in points: the photo's shape, as large as fits the box."""
    width_px, height_px = max(width_px, 1), max(height_px, 1)
    scale = min(max_width / width_px, max_height / height_px)
    return max(width_px * scale, 1.0), max(height_px * scale, 1.0)


def stored_size(jpeg: bytes) -> tuple[int, int]:
    """The decoded picture's size in pixels (the recorded size is only a hint).

    Raises:
        StoredPhotoUnreadable, OSError, ...: one of :data:`UNREADABLE`.
    """
    with open_stored_jpeg(jpeg) as probe:
        return probe.size


def shrink_jpeg(jpeg: bytes, width: float, height: float) -> bytes:
    """``jpeg`` as a small JPEG for ``width`` x ``height`` points at about :data:`PHOTO_DPI`.

    Never enlarges.  The picture's own shape is kept (the placed box was
    computed from it).  libjpeg decodes straight to 1/2, 1/4 or 1/8 size
    (draft mode); when that lands a little under the target (down to
    :data:`_DRAFT_SLACK` of it, e.g. 512 px for 535) the decoded picture is
    used as it is.  A stored 2048 px photo then needs no resampling at all,
    which took most of the time, and still prints at over 150 dpi.

    Raises:
        StoredPhotoUnreadable: ``jpeg`` is not a JPEG.
        OSError: Pillow cannot read the data as an image.
    """
    target = (max(round(width / 72 * PHOTO_DPI), 1), max(round(height / 72 * PHOTO_DPI), 1))
    enough = (max(int(target[0] * _DRAFT_SLACK), 1), max(int(target[1] * _DRAFT_SLACK), 1))
    with open_stored_jpeg(jpeg) as image:  # stored bytes: the JPEG decoder only
        image.draft("RGB", enough)  # libjpeg picks the smallest scale at least this big
        picture = image.convert("RGB")
    if picture.width > target[0] or picture.height > target[1]:
        picture = picture.resize(
            (min(target[0], picture.width), min(target[1], picture.height)), PILImage.Resampling.LANCZOS
        )
    out = io.BytesIO()
    # Without Huffman optimisation: the file is about 2 % larger, the encoding three times faster.
    picture.save(out, "JPEG", quality=_JPEG_QUALITY)
    return out.getvalue()
