"""The photo strip: thumbnails of stored photos."""

from __future__ import annotations

import io

import pytest

from PIL import Image
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from walkthrough.domain.records import PhotoRecord
from walkthrough.gui.views.walk_page import WalkPage
from walkthrough.gui.widgets.photo_strip import PhotoStrip
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo

Key = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


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


def _jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(buffer, "JPEG")
    return buffer.getvalue()


# -- Add photos stays visible however many photos there are ---------------------------------------------


def test_add_photos_stays_inside_the_strip_with_twelve_photos(open_wt, qtbot) -> None:
    observation_id = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    colours = ["red", "green", "blue", "orange", "purple", "grey"]
    photos = [prepare_photo(_jpeg(colours[n % len(colours)]), f"photo {n}.jpg") for n in range(12)]
    open_wt.add_photos(observation_id, photos)
    page = WalkPage(open_wt)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == observation_id)
    strip = editor.photos
    qtbot.waitUntil(lambda: len(strip.photo_buttons()) == 12)
    add = strip.tab_stops()[-2]
    qtbot.wait(50)  # let queued layout requests run
    buttons = [*strip.photo_buttons(), add]
    assert max(b.geometry().bottom() for b in buttons) > min(b.geometry().bottom() for b in buttons), \
        "the thumbnails should wrap onto a second line at this width"
    inside = QRect(QPoint(0, 0), strip.size())
    for button in buttons:
        assert inside.contains(button.geometry()), (button.accessibleName(), button.geometry(), strip.size())
    # Nor does the editor clip the strip.
    editor_rect = QRect(QPoint(0, 0), editor.size())
    top_left = strip.mapTo(editor, QPoint(0, 0))
    assert editor_rect.contains(QRect(top_left, strip.size()))


def test_add_photos_stays_inside_the_strip_as_photos_are_added_one_by_one(open_wt, qtbot) -> None:
    observation_id = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    page = WalkPage(open_wt)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    editor = next(e for card in page.cards() for e in card.editors if e.observation_id == observation_id)
    strip = editor.photos
    add = strip.tab_stops()[-2]
    for n in range(12):
        open_wt.add_photos(observation_id, [prepare_photo(_jpeg("teal"), f"photo {n}.jpg")])
        qtbot.wait(20)
        inside = QRect(QPoint(0, 0), strip.size())
        assert inside.contains(add.geometry()), (n + 1, add.geometry(), strip.size())
    assert add.geometry().top() > strip.photo_buttons()[0].geometry().bottom()  # it wrapped, and shows


# -- Add photos' menu opens by keyboard -------------------------------------------------------------------


@pytest.fixture
def strip(qapp, qtbot) -> PhotoStrip:
    widget = PhotoStrip(lambda photo_id: b"")
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)
    return widget


def add_photos(strip: PhotoStrip) -> QWidget:
    add = strip.tab_stops()[-2]
    assert add.accessibleName() == "Add photos"
    add.setFocus()
    return add


def popup_after(key: Qt.Key, modifiers: Qt.KeyboardModifier, widget: QWidget, qtbot) -> QWidget | None:
    """Press the key on ``widget``; the popup it opened (closed again at once), or None."""
    seen: list[QWidget | None] = []

    def look() -> None:
        popup = QApplication.activePopupWidget()
        seen.append(popup)
        if popup is not None:
            popup.close()  # a menu blocks the key press until it closes, as after a click

    QTimer.singleShot(0, look)
    QTest.keyClick(widget, key, modifiers)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    return seen[0]


@pytest.mark.parametrize(("key", "modifiers"), [(Key.Key_Down, ALT), (Key.Key_F4, NONE)], ids=["alt+down", "f4"])
def test_the_add_photos_menu_opens_by_keyboard_as_a_combo_box_list_does(strip, qtbot, key, modifiers) -> None:
    add = add_photos(strip)
    assert popup_after(key, modifiers, add, qtbot) is add.menu()
    assert QApplication.activePopupWidget() is None


def test_other_keys_leave_the_add_photos_menu_closed(strip, qtbot) -> None:
    add = add_photos(strip)
    assert popup_after(Key.Key_Down, NONE, add, qtbot) is None
    assert popup_after(Key.Key_F4, ALT, add, qtbot) is None  # Alt+F4 is the window manager's


def test_add_photos_still_adds_from_files_by_click_and_space(strip, qtbot) -> None:
    add = add_photos(strip)
    with qtbot.waitSignal(strip.add_requested, timeout=1000):
        add.click()
    with qtbot.waitSignal(strip.add_requested, timeout=1000):
        QTest.keyClick(add, Key.Key_Space)
    assert QApplication.activePopupWidget() is None


def test_add_photos_tells_a_screen_reader_how_to_open_its_menu(strip) -> None:
    described = add_photos(strip).accessibleDescription()
    assert "Alt+Down" in described and "F4" in described
