"""Taking a photo with the laptop's camera: an optional extra (PySide6-Addons), hidden without it.

CI installs only ``.[test]``, so Qt Multimedia is missing there and these
tests check that the app behaves exactly as before.  The capture itself is
tested with a picture drawn here, handed over as the camera would hand it.
Tests that need Qt Multimedia skip without it; a machine with no camera
(like CI's) checks the "no camera" behaviour for real.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from tests.conftest import PROJECT_ROOT
from walkthrough.gui import camera
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.camera_dialog import CameraDialog, choose_camera_format, encode_photo
from walkthrough.gui.widgets.photo_strip import PhotoStrip
from walkthrough.services import observations as observation_service


def stored(open_wt: OpenWalkthrough):
    return observation_service.list_observations(open_wt.db, open_wt.id)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _fresh_camera_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test asks afresh whether Qt Multimedia can be imported (the answer is cached per process)."""
    monkeypatch.setattr(camera, "_multimedia", camera._UNSET)


@pytest.fixture
def without_qt_multimedia(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import PySide6.QtMultimedia`` fail, as it does where PySide6-Addons is not installed."""
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimediaWidgets", None)


def drawn_picture(width: int = 800, height: int = 600) -> QImage:
    """A picture as a camera frame might be: blue, with a yellow square in the top left corner."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 4, height // 4, QColor("yellow"))
    painter.end()
    return image


# -- is there a camera? ------------------------------------------------------------------------------------------


def test_without_qt_multimedia_there_is_no_camera_and_no_take_photo_button(without_qt_multimedia, qtbot) -> None:
    assert camera.multimedia() is None
    assert camera.camera_available() is False
    strip = PhotoStrip(lambda photo_id: b"")
    qtbot.addWidget(strip)
    strip.show()
    assert strip.camera_button.isHidden()


def test_the_take_photo_button_shows_exactly_when_a_camera_can_be_used(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    button = editor.photos.camera_button
    assert button.text() == "Take photo…" and button.accessibleName() and button.toolTip()
    # Here (CI, or this machine: no camera) it is hidden; with Addons and a webcam it shows.
    assert button.isVisibleTo(page) is camera.camera_available()


def test_the_import_is_tried_once_and_remembered(monkeypatch) -> None:
    tries: list[str] = []
    real_import = camera.importlib.import_module

    def counting_import(name: str):
        tries.append(name)
        return real_import(name)

    monkeypatch.setattr(camera.importlib, "import_module", counting_import)
    first = camera.multimedia()
    assert camera.multimedia() is first
    assert tries == ["PySide6.QtMultimedia"]


def test_opening_the_app_imports_no_qt_multimedia_until_a_walkthrough_is_opened(db, walkthrough_id,
                                                                                  tmp_path: Path) -> None:
    # A fresh interpreter: this one may have imported Qt Multimedia already.
    # The finder records every attempt, so a failed import (no Addons) counts too.
    script = textwrap.dedent("""
        import importlib.abc, json, sys
        from pathlib import Path

        tried = []

        class Recorder(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.startswith("PySide6.QtMultimedia"):
                    tried.append(name)
                return None

        sys.meta_path.insert(0, Recorder())
        from PySide6.QtCore import QTimer
        from walkthrough import app as app_module

        qapp = app_module.make_application(["walkthrough"])
        window = app_module.build_window(Path(sys.argv[1]))
        window.show()
        QTimer.singleShot(1000, qapp.quit)  # first paint and whatever follows it
        qapp.exec()
        at_start = {"tried": list(tried), "loaded": "PySide6.QtMultimedia" in sys.modules}
        window.open_walkthrough(sys.argv[2])
        qapp.processEvents()
        print(json.dumps({"start": at_start, "walk": list(tried)}))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "walkthroughs.sqlite3"), walkthrough_id],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["start"] == {"tried": [], "loaded": False}
    # The walk page's photo strips ask, once: proof the recorder would have seen it.
    assert result["walk"] == ["PySide6.QtMultimedia"]


# -- from a captured frame to a photo of the observation ------------------------------------------------------


def test_a_captured_frame_becomes_lossless_png_bytes() -> None:
    picture = drawn_picture(640, 480)
    data = encode_photo(picture)
    assert data.startswith(PNG_SIGNATURE)
    decoded = QImage.fromData(data)
    assert decoded.size() == QSize(640, 480)
    assert decoded.pixelColor(10, 10) == QColor("yellow")
    assert decoded.pixelColor(600, 400) == QColor("navy")


def test_an_empty_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        encode_photo(QImage())


def test_taking_a_photo_adds_it_to_the_observation(page, open_wt, qtbot, monkeypatch) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    asked: list[tuple[object, int]] = []

    def fake_ask(parent=None, max_edge=2048):
        asked.append((parent, max_edge))
        return encode_photo(drawn_picture(800, 600))

    monkeypatch.setattr(CameraDialog, "ask", staticmethod(fake_ask))
    editor.photos.camera_requested.emit()  # as the Take photo button does
    assert asked == [(page, 2048)]
    qtbot.waitUntil(lambda: bool(stored(open_wt)[0].photos), timeout=10000)
    [photo] = stored(open_wt)[0].photos
    assert (photo.width, photo.height) == (800, 600)
    assert re.fullmatch(r"camera photo \d\d\.\d\d\.\d\d", photo.original_name)  # not "pasted image"
    qtbot.waitUntil(lambda: len(editor.photos.photo_buttons()) == 1, timeout=5000)
    open_wt.undo_stack.undo()
    assert stored(open_wt)[0].photos == ()


def test_a_cancelled_camera_adds_nothing(page, open_wt, monkeypatch) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    monkeypatch.setattr(CameraDialog, "ask", staticmethod(lambda parent=None, max_edge=2048: None))
    page.take_photo(editor.observation_id)
    assert page.last_task is None
    assert stored(open_wt)[0].photos == ()


def test_the_captured_frame_closes_the_dialog_with_png_bytes(qtbot) -> None:
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    dialog.accept_image(drawn_picture(320, 240))
    assert dialog.result() == CameraDialog.DialogCode.Accepted
    assert dialog.photo is not None and QImage.fromData(dialog.photo).size() == QSize(320, 240)


def test_an_empty_capture_says_so_and_keeps_the_dialog_open(qtbot) -> None:
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept_image(QImage())
    assert dialog.isVisible() and dialog.photo is None and dialog.message.isVisible()
    assert dialog.message.text() == "The photo could not be taken (the camera gave no usable picture). Try again."


# -- the dialog when the camera cannot be used -------------------------------------------------------------------


def test_the_dialog_without_qt_multimedia_says_why_and_cannot_take(without_qt_multimedia, qtbot) -> None:
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.viewfinder is None
    assert not dialog.take_button.isEnabled()
    assert dialog.message.isVisible() and '"camera" extra' in dialog.message.text()
    assert "\n" not in dialog.message.text()


def test_a_failing_or_busy_camera_is_one_clear_line(without_qt_multimedia, qtbot) -> None:
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    dialog.camera_failed("Could not open the camera device:\nDevice or resource busy.")
    text = dialog.message.text()
    assert "\n" not in text
    assert text == ("The camera could not be used (Could not open the camera device: Device or resource busy). "
                    "Is another program using it?")
    assert not dialog.take_button.isEnabled()


def test_cancel_returns_no_photo(without_qt_multimedia, qapp) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CameraDialog)
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    assert CameraDialog.ask() is None


def test_with_qt_multimedia_and_no_camera_the_dialog_says_no_camera_was_found(qtbot) -> None:
    # Not importorskip: with Addons installed but a system library missing
    # (libpulse.so.0) the import fails with ImportError, which it does not skip.
    qt_multimedia = camera.multimedia()
    if qt_multimedia is None:
        pytest.skip("Qt Multimedia cannot be imported (PySide6-Addons, the camera extra, is not installed or broken)")
    if qt_multimedia.QMediaDevices.videoInputs():
        pytest.skip("a camera is connected to this machine")
    assert camera.camera_available() is False
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.isVisible() and dialog.message.text() == "No camera was found. Connect one and try again."
    assert not dialog.take_button.isEnabled()
    assert dialog.viewfinder is None


# -- which picture size -------------------------------------------------------------------------------------------


@dataclass
class FakeFormat:
    """Stands in for a QCameraFormat (Qt offers no way to make one with given values)."""

    width: int
    height: int
    fps: float

    def resolution(self) -> QSize:
        return QSize(self.width, self.height)

    def maxFrameRate(self) -> float:
        return self.fps


def test_the_largest_smooth_format_that_is_not_scaled_down_is_chosen() -> None:
    formats = [FakeFormat(640, 480, 30), FakeFormat(1920, 1080, 30), FakeFormat(1920, 1080, 5),
               FakeFormat(3840, 2160, 30), FakeFormat(1280, 720, 60), FakeFormat(2592, 1944, 2)]
    chosen = choose_camera_format(formats, max_edge=2048)
    assert (chosen.width, chosen.height, chosen.fps) == (1920, 1080, 30)
    assert choose_camera_format(formats, max_edge=1000) == FakeFormat(640, 480, 30)
    # Only big formats: the smallest of them.  Only slow ones: still one of them.
    assert choose_camera_format([FakeFormat(3840, 2160, 30), FakeFormat(2560, 1440, 30)], 2048).width == 2560
    assert choose_camera_format([FakeFormat(1600, 1200, 5)], 2048) == FakeFormat(1600, 1200, 5)
    assert choose_camera_format([], 2048) is None


def test_the_dialog_is_laid_out_in_plain_words(without_qt_multimedia, qtbot) -> None:
    dialog = CameraDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Take a photo"
    assert dialog.take_button.isDefault() and "Space" in dialog.take_button.toolTip()
    assert dialog.cameras.accessibleName() == "Camera"
    assert Qt.TextFormat.PlainText == dialog.message.textFormat()


def test_the_installers_leave_qt_multimedia_out() -> None:
    # The bundle keeps the Qt bindings the source imports with import
    # statements; the camera imports Qt Multimedia by name, so it stays out
    # even when PySide6-Addons is installed where the bundle is built.
    spec = importlib.util.spec_from_file_location("lens_packaging_bundle_contents_for_camera",
                                                  PROJECT_ROOT / "packaging" / "bundle_contents.py")
    assert spec is not None and spec.loader is not None
    contents = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(contents)
    used = contents.qt_modules_imported(PROJECT_ROOT / "walkthrough")
    assert "QtWidgets" in used
    assert not {name for name in used if name.startswith("QtMultimedia")}
