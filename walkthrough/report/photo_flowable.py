"""Photos placed in the report, each as a small JPEG for its placed size.

A stored photo can be 2048 px and a few megabytes; printed at about 8 cm it
needs ~550 px.  Each photo is fetched only when the story is built.  Its
print rendition (made at intake) is placed as it is
(:func:`~walkthrough.report.photo_queue.as_it_is`); a larger picture (one
without a rendition) is shrunk
(:func:`~walkthrough.report.photo_size.shrink_jpeg`) to its placed size and
kept only as that small JPEG, so a report with hundreds of photos never
holds the originals in memory.  Given an executor, the shrinking runs on
worker threads (Pillow releases the GIL) while the main thread goes on
laying out pages; a photo waits for its own result only when it is drawn.
"""

from __future__ import annotations

import io
from concurrent.futures import Executor, Future

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from walkthrough.domain.stored_photo import open_stored_jpeg
from walkthrough.report.photo_queue import _SHRINK, as_it_is
from walkthrough.report.photo_size import UNREADABLE as _UNREADABLE
from walkthrough.report.photo_size import fit_size, shrink_jpeg
from walkthrough.report.styles import FONT_ITALIC, PALE, RULE, SECONDARY
from walkthrough.report.wording import PHOTO_UNREADABLE

__all__ = ["PhotoFlowable", "fit_size", "photo_flowable", "shrink_jpeg"]


class _StoredJpegReader(ImageReader):
    """ReportLab's image reader for stored bytes placed as they are: Pillow's JPEG decoder only.

    ReportLab opens the bytes with Pillow to learn their size and format,
    which would try every decoder Pillow has; the JPEG is then copied into
    the PDF as it is.
    """

    def _read_image(self, fp: io.BytesIO) -> object:
        return open_stored_jpeg(fp.getvalue())

    def getRGBData(self) -> bytes:  # noqa: N802 (ReportLab's name)
        """What ReportLab names the picture by (two equal ones are stored once): here the JPEG's own bytes.

        ReportLab's own decodes the whole picture to name it, although a JPEG
        goes into the PDF as it is: that decoding took most of the time left in
        placing photos (benchmark "report").  Only naming calls this for a JPEG.
        """
        self._dataA = None  # no transparency mask
        return self.fp.getvalue()


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
        reader = None
        if picture is not None:
            try:
                reader = _StoredJpegReader(io.BytesIO(picture))
            except _UNREADABLE:
                reader = None
        if reader is not None:
            canvas.drawImage(reader, 0, 0, self.width, self.height)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        else:
            canvas.setFillColor(PALE)
            canvas.setStrokeColor(RULE)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
            canvas.setFillColor(SECONDARY)
            canvas.setFont(FONT_ITALIC, 7.5)
            canvas.drawCentredString(self.width / 2, self.height / 2 - 3, PHOTO_UNREADABLE)
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
    wins.  A print rendition is placed as it is; a larger picture is shrunk,
    with ``executor`` there, in the background.
    """
    ready = as_it_is(jpeg, max_width, max_height)
    if ready is None:
        width, height = fit_size(width_px, height_px, max_width, max_height)
        return PhotoFlowable(None, width, min(height, max_height))
    if ready is not _SHRINK:
        small, width, height = ready  # type: ignore[misc]
        return PhotoFlowable(small, width, height)
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
