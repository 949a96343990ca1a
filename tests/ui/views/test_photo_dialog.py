"""The photo window: a photo's alt text, asked for apart from its caption and starting from it."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from walkthrough.gui.views.photo_dialog import PhotoDialog
from walkthrough.gui.widgets.photo_strip import PhotoStrip
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo

Key = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier


def _photo_captioned(open_wt, caption: str) -> tuple[str, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    observation_id = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    open_wt.add_photos(observation_id, [prepare_photo(buffer.getvalue(), "door.jpg")])
    [photo] = open_wt.observation(observation_id).photos
    open_wt.set_caption(observation_id, photo.id, caption)
    return observation_id, photo.id


def _shown(dialog: PhotoDialog, qtbot) -> PhotoDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def _strip_tooltip(open_wt, observation_id: str, qtbot) -> str:
    strip = PhotoStrip(open_wt.photo_thumbnail)
    qtbot.addWidget(strip)
    strip.set_photos(open_wt.observation(observation_id).photos)
    return strip.photo_buttons()[0].toolTip()


def test_alt_text_starts_from_the_caption_and_nothing_is_stored_until_someone_writes_it(open_wt, qtbot) -> None:
    observation_id, photo_id = _photo_captioned(open_wt, "Front door")
    assert "No alt text yet" in _strip_tooltip(open_wt, observation_id, qtbot)
    dialog = _shown(PhotoDialog(open_wt, observation_id, photo_id), qtbot)
    assert dialog.alt_text.text() == "Front door"  # suggested
    assert "report uses the caption" in dialog.alt_text_hint.text()
    assert "cannot see the photo" in dialog.alt_text.accessibleDescription()
    dialog.caption.setText("Front door, seen from the street")
    assert dialog.alt_text.text() == "Front door, seen from the street"  # the suggestion follows the caption
    dialog.accept()
    [photo] = open_wt.observation(observation_id).photos
    assert (photo.caption, photo.alt_text) == ("Front door, seen from the street", "")


def test_alt_text_is_written_by_keyboard_kept_apart_from_the_caption_and_undone(open_wt, qtbot) -> None:
    observation_id, photo_id = _photo_captioned(open_wt, "Front door")
    dialog = _shown(PhotoDialog(open_wt, observation_id, photo_id), qtbot)
    QTest.keyClick(QApplication.focusWidget(), Key.Key_T, ALT)  # Alt text:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.alt_text, timeout=2000)
    dialog.alt_text.selectAll()
    QTest.keyClicks(dialog.alt_text, "A glass door; the bell is above reach from a wheelchair")
    assert "read out in place of the photo" in dialog.alt_text_hint.text()
    QTest.keyClick(dialog.alt_text, Key.Key_Return)  # Enter closes, keeping it
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    [photo] = open_wt.observation(observation_id).photos
    assert photo.caption == "Front door"
    assert photo.alt_text == "A glass door; the bell is above reach from a wheelchair"
    assert _strip_tooltip(open_wt, observation_id, qtbot) == "Front door"  # no longer marked
    assert open_wt.undo_stack.undoText() == "Edit alt text"
    open_wt.undo_stack.undo()
    assert open_wt.observation(observation_id).photos[0].alt_text == ""
