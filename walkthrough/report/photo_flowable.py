"""Photos placed in the report, each re-encoded small for its placed size.

A stored photo can be 2048 px and a few megabytes; printed at about 8 cm it
needs ~550 px.  Each photo is fetched only when the story is built, shrunk to
:data:`PHOTO_DPI` at its placed size, and kept only as that small JPEG, so a
report with hundreds of photos never holds the originals in memory.  Given an
executor, the shrinking runs on worker threads (Pillow releases the GIL)
while the main thread goes on laying out pages; a photo waits for its own
result only when it is drawn.
"""

from __future__ import annotations

import io
from concurrent.futures import Executor, Future

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from walkthrough.domain.errors import StoredPhotoUnreadable
from walkthrough.domain.stored_photo import open_stored_jpeg
from walkthrough.report.styles import FONT_ITALIC, PALE, PHOTO_DPI, RULE, SECONDARY

_JPEG_QUALITY = 82
#: What is raised for stored bytes that cannot be turned into a picture.
_UNREADABLE = (StoredPhotoUnreadable, UnidentifiedImageError, PILImage.DecompressionBombError, OSError, ValueError)
#: A draft decode this close to the target size is used without resampling.
_DRAFT_SLACK = 0.88


def fit_size(width_px: int, height_px: int, max_width: float, max_height: float) -> tuple[float, float]:
    """Placed size in points: the photo's shape, as large as fits the box."""
    width_px, height_px = max(width_px, 1), max(height_px, 1)
    scale = min(max_width / width_px, max_height / height_px)
    return max(width_px * scale, 1.0), max(height_px * scale, 1.0)


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


class PhotoFlowable(Flowable):
    """A photo at a fixed placed size with a hairline frame.

    Holds only the small re-encoded JPEG, or the future that makes it;
    ``None`` (or a future that fails) draws a labelled placeholder (the
    stored picture could not be read).
    """

    def __init__(self, jpeg: bytes | Future[bytes] | None, width: float, height: float) -> None:
        super().__init__()
        self._jpeg = jpeg
        self.width = width
        self.height = height if jpeg is not None else max(height, 24.0)

    def picture(self) -> bytes | None:
        """The small JPEG (waiting for it if it is still being made), or ``None``."""
        if isinstance(self._jpeg, Future):
            try:
                self._jpeg = self._jpeg.result()
            except _UNREADABLE:
                self._jpeg = None
        return self._jpeg

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        picture = self.picture()
        canvas.saveState()
        if picture is not None:
            canvas.drawImage(ImageReader(io.BytesIO(picture)), 0, 0, self.width, self.height)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        else:
            canvas.setFillColor(PALE)
            canvas.setStrokeColor(RULE)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
            canvas.setFillColor(SECONDARY)
            canvas.setFont(FONT_ITALIC, 7.5)
            canvas.drawCentredString(self.width / 2, self.height / 2 - 3, "Photo could not be read")
        canvas.restoreState()


def photo_flowable(
    jpeg: bytes,
    width_px: int,
    height_px: int,
    max_width: float,
    max_height: float,
    executor: Executor | None = None,
) -> PhotoFlowable:
    """A :class:`PhotoFlowable` for a stored JPEG, fitted into ``max_width`` x ``max_height`` points.

    The recorded pixel size is only a hint: the size of the decoded picture
    wins.  With ``executor``, the photo is shrunk there, in the background.
    """
    try:
        with open_stored_jpeg(jpeg) as probe:
            width_px, height_px = probe.size
    except _UNREADABLE:
        width, height = fit_size(width_px, height_px, max_width, max_height)
        return PhotoFlowable(None, width, min(height, max_height))
    width, height = fit_size(width_px, height_px, max_width, max_height)
    if executor is not None:
        return PhotoFlowable(executor.submit(shrink_jpeg, jpeg, width, height), width, height)
    try:
        small = shrink_jpeg(jpeg, width, height)
    except _UNREADABLE:
        return PhotoFlowable(None, width, height)
    return PhotoFlowable(small, width, height)
