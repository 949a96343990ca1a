"""A report's photos in outline order, each fetched once and shrunk a few ahead on worker threads.

Fetching a stored photo reads the database, so it happens on the calling
thread, as does reading its header; a photo already at its print size is
placed as it is, and shrinking a larger one (:func:`photo_size.shrink_jpeg`,
Pillow releases the GIL while it decodes) runs on an executor a few photos
ahead of the one being placed.  No ReportLab, no python-docx.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future

from walkthrough.report.document_blocks import PhotoRef
from walkthrough.report.photo_size import MAX_PLACED_DPI, UNREADABLE, fit_size, shrink_jpeg, stored_size

_END_OF_IMAGE = b"\xff\xd9"

#: A photo ready to place: the small JPEG and its placed width and height in points; ``None`` if unreadable.
Prepared = tuple[bytes, float, float] | None


def prepare_photo(jpeg: bytes, max_width: float, max_height: float) -> Prepared:
    """The small JPEG for a stored one and its placed size in points; ``None`` if it cannot be read.

    A JPEG no denser than :data:`MAX_PLACED_DPI` where it is placed (a print
    rendition) is placed as it is (see :func:`as_it_is`); a larger one is shrunk.
    """
    ready = as_it_is(jpeg, max_width, max_height)
    if ready is not _SHRINK:
        return ready
    try:
        width, height = fit_size(*stored_size(jpeg), max_width, max_height)
        return shrink_jpeg(jpeg, width, height), width, height
    except UNREADABLE:
        return None


class _Shrink:
    """The photo is larger than its print size."""


_SHRINK = _Shrink()


def as_it_is(jpeg: bytes, max_width: float, max_height: float) -> Prepared | _Shrink:
    """The photo ready to place without re-encoding, ``None`` if unreadable, or :data:`_SHRINK` if too large.

    Only the header is read (quick enough for the calling thread).  A photo
    no denser than :data:`MAX_PLACED_DPI` where it is placed (a print rendition
    is) is placed as it is: encoding it again would only cost time and sharpness.  A file cut short (no end-of-image marker)
    counts as unreadable.  Stored photos carry no metadata (intake re-encodes
    them, and its encoder ends each with the marker).
    """
    pixels = frame_size(jpeg)
    if pixels is None:
        try:
            pixels = stored_size(jpeg)
        except UNREADABLE:
            return None
    width, height = fit_size(*pixels, max_width, max_height)
    if pixels[0] > round(width / 72 * MAX_PLACED_DPI) or pixels[1] > round(height / 72 * MAX_PLACED_DPI):
        return _SHRINK
    if not jpeg.endswith(_END_OF_IMAGE):
        return None  # cut short: said to be unreadable, never placed broken
    return jpeg, width, height


#: Start-of-frame markers (baseline, progressive, lossless, arithmetic): the segment that gives the size.
_START_OF_FRAME = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def frame_size(jpeg: bytes) -> tuple[int, int] | None:
    """Width and height in pixels from a JPEG's frame header; ``None`` where it is not found at once.

    Walks the segments before the image data, as a decoder does, a few
    dozen bytes read in all: opening the photo with Pillow to learn its size
    takes longer than the rest of placing it.  ``None`` (no JPEG start, no
    frame header before the scan, a segment running off the end) sends the
    caller to Pillow, which says what is wrong.
    """
    if not jpeg.startswith(b"\xff\xd8"):
        return None
    at, end = 2, len(jpeg)
    while at + 4 <= end:
        if jpeg[at] != 0xFF:
            return None
        marker = jpeg[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker in _START_OF_FRAME:
            if at + 9 > end:
                return None
            height, width = int.from_bytes(jpeg[at + 5:at + 7], "big"), int.from_bytes(jpeg[at + 7:at + 9], "big")
            return (width, height) if width and height else None
        if marker in (0xD9, 0xDA):  # the end, or the image data, before any frame header
            return None
        at += 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    return None


class PhotoQueue:
    """Photos in outline order, taken one after the other with :meth:`take`."""

    _AHEAD = 6

    def __init__(
        self,
        refs: Sequence[PhotoRef],
        photo_jpeg: Callable[[str], bytes],
        executor: Executor,
        max_size: tuple[float, float],
    ) -> None:
        self._refs = list(refs)
        self._photo_jpeg = photo_jpeg
        self._executor = executor
        self._max_size = max_size
        self._pending: dict[int, Future[Prepared]] = {}
        self._ready: dict[int, Prepared] = {}
        self._next = 0  # the next photo to fetch

    def take(self, index: int) -> Prepared:
        """Photo ``index`` (in outline order) ready to place."""
        while self._next < min(index + 1 + self._AHEAD, len(self._refs)):
            jpeg = self._photo_jpeg(self._refs[self._next].photo.id)
            ready = as_it_is(jpeg, *self._max_size)
            if ready is _SHRINK:
                self._pending[self._next] = self._executor.submit(prepare_photo, jpeg, *self._max_size)
            else:  # no work for a thread: handing it over would cost more than it saves
                self._ready[self._next] = ready
            self._next += 1
        if index in self._ready:
            return self._ready.pop(index)
        return self._pending.pop(index).result()
