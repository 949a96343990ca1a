"""Photos placed in the report, each re-encoded small for its placed size.

A stored photo can be 2048 px and a few megabytes; printed at about 8 cm it
needs ~550 px.  Each photo is fetched only when the story is built, shrunk
(:func:`~walkthrough.report.photo_size.shrink_jpeg`) to its placed size,
and kept only as that small JPEG, so a report with hundreds of photos never
holds the originals in memory.  Given an
executor, the shrinking runs on worker threads (Pillow releases the GIL)
while the main thread goes on laying out pages; a photo waits for its own
result only when it is drawn.
"""

from __future__ import annotations

import io
from concurrent.futures import Executor, Future

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from walkthrough.domain.stored_photo import open_stored_jpeg
from walkthrough.report.photo_size import UNREADABLE as _UNREADABLE
from walkthrough.report.photo_size import fit_size, shrink_jpeg
from walkthrough.report.styles import FONT_ITALIC, PALE, RULE, SECONDARY
from walkthrough.report.wording import PHOTO_UNREADABLE

__all__ = ["PhotoFlowable", "fit_size", "photo_flowable", "shrink_jpeg"]

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
