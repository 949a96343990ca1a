"""The photo strip: thumbnails of stored photos."""

from __future__ import annotations

import io

from PIL import Image

from walkthrough.domain.records import PhotoRecord
from walkthrough.gui.widgets.photo_strip import PhotoStrip


def _picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, format=fmt)
    return buffer.getvalue()


def test_stored_thumbnails_are_decoded_as_jpeg_only(qapp, qtbot) -> None:
    """Bytes in the database that are not a JPEG (another program put them there) show no picture."""
    thumbnails = {"jpeg": _picture("JPEG"), "png": _picture("PNG"), "bmp": _picture("BMP")}
    strip = PhotoStrip(thumbnails.__getitem__)
    qtbot.addWidget(strip)
    strip.set_photos(tuple(PhotoRecord(pid, "o", "", f"{pid}.jpg", 64, 48, "", i)
                           for i, pid in enumerate(thumbnails)))
    shown = {pid: not button.icon().isNull() for pid, button in zip(thumbnails, strip.photo_buttons())}
    assert shown == {"jpeg": True, "png": False, "bmp": False}
