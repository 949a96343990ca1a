"""Taking a photo with the computer's camera: a live viewfinder, Take photo, Cancel.

The picture is captured into memory (``QImageCapture.capture``, never
``captureToFile``) and handed back as PNG bytes, to go through the same
intake as a pasted screenshot: photos are sensitive, and nothing may be
written outside the database.

Qt Multimedia is an optional extra: this module imports without it (the
dialog then says the camera cannot be used), and imports it only when a
dialog is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QBuffer, QCameraPermission, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from walkthrough.gui.camera import multimedia, multimedia_widgets
from walkthrough.gui.widgets.screen_fit import fit_to_screen

#: Frames per second below which a camera format makes a jerky viewfinder.
MIN_VIEWFINDER_FPS = 10.0

#: PNG (lossless) at zlib level 1: a 1080p frame encodes in about 60 ms on the
#: GUI thread; Qt's default level took 200-340 ms.  The intake re-encodes it.
PNG_QUALITY = 80


class CameraFormatLike(Protocol):
    """What :func:`choose_camera_format` reads of a ``QCameraFormat``."""

    def resolution(self) -> QSize: ...

    def maxFrameRate(self) -> float: ...


def choose_camera_format(formats: Sequence[CameraFormatLike], max_edge: int) -> CameraFormatLike | None:
    """The camera format to capture with: the most pixels without going past ``max_edge``.

    Formats slower than :data:`MIN_VIEWFINDER_FPS` are skipped while faster
    ones exist.  Among formats whose longest edge is at most ``max_edge``
    (bigger pictures would only be scaled down when stored) the largest wins,
    the faster at equal size; when every format is bigger, the smallest.
    None for an empty list (let the camera use its default).
    """
    fast = [f for f in formats if f.maxFrameRate() >= MIN_VIEWFINDER_FPS] or list(formats)
    if not fast:
        return None

    def pixels(f: CameraFormatLike) -> int:
        return f.resolution().width() * f.resolution().height()

    fitting = [f for f in fast if max(f.resolution().width(), f.resolution().height()) <= max_edge]
    if fitting:
        return max(fitting, key=lambda f: (pixels(f), f.maxFrameRate()))
    return min(fast, key=lambda f: (pixels(f), -f.maxFrameRate()))


def encode_photo(image: QImage) -> bytes:
    """A captured frame as PNG bytes, ready for ``WalkPage.add_photo_sources``.

    Raises:
        ValueError: ``image`` is null (the camera delivered no picture).
    """
    if image.isNull():
        raise ValueError("the camera delivered an empty picture")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG", PNG_QUALITY):
        raise ValueError("the captured picture could not be encoded as PNG")
    return bytes(buffer.data())


class CameraDialog(QDialog):
    """A live viewfinder with Take photo (Space or Enter) and Cancel; use :meth:`ask`.

    After it is accepted, :attr:`photo` holds the picture as PNG bytes.  When
    Qt Multimedia is missing, no camera is connected, or the camera fails or
    is busy, :attr:`message` says so in one line and Take photo is disabled.
    The camera is stopped when the dialog closes, however it closes.
    """

    def __init__(self, parent: QWidget | None = None, max_edge: int = 2048) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Take a photo"))
        self.photo: bytes | None = None
        self._max_edge = max_edge
        self._camera: Any = None
        self._capture: Any = None
        self._session: Any = None
        self._devices: list[Any] = []

        self.viewfinder: QWidget | None = None
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 32)
        self.message.hide()

        self.cameras = QComboBox(self)
        self.cameras.setAccessibleName(self.tr("Camera"))
        cameras_label = QLabel(self.tr("&Camera:"), self)
        cameras_label.setBuddy(self.cameras)
        self._cameras_row = QWidget(self)
        row = QHBoxLayout(self._cameras_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(cameras_label)
        row.addWidget(self.cameras, 1)
        self._cameras_row.hide()

        self.take_button = QPushButton(self.tr("Take photo"), self)
        self.take_button.setAccessibleName(self.tr("Take photo"))
        self.take_button.setToolTip(self.tr("Take the photo (Space or Enter)"))
        self.take_button.setDefault(True)
        self.take_button.setEnabled(False)
        self.take_button.clicked.connect(self.take)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self._cameras_row)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.buttons)

        qt_multimedia = multimedia()
        if qt_multimedia is None:
            self.show_problem(self.tr('The camera cannot be used: Qt Multimedia is not installed '
                                      '(install Lens Walkthrough with its "camera" extra).'))
            return
        self._devices = list(qt_multimedia.QMediaDevices.videoInputs())
        if not self._devices:
            self.show_problem(self.tr("No camera was found. Connect one and try again."))
            return
        self._build_capture(qt_multimedia)

    # -- set-up ------------------------------------------------------------------------------

    def _build_capture(self, qt_multimedia: Any) -> None:
        self.viewfinder = multimedia_widgets().QVideoWidget(self)
        self.viewfinder.setAccessibleName(self.tr("Camera picture"))
        # Small enough for a 1366 × 768 screen with 2× text (683 × 384); fit_to_screen makes it larger where it can.
        line = self.fontMetrics().height()
        self.viewfinder.setMinimumSize(line * 12, line * 9)
        self._layout.insertWidget(1, self.viewfinder, 1)

        self._session = qt_multimedia.QMediaCaptureSession(self)
        self._capture = qt_multimedia.QImageCapture(self)
        self._session.setImageCapture(self._capture)
        self._session.setVideoOutput(self.viewfinder)
        self._capture.readyForCaptureChanged.connect(self._ready_changed)
        self._capture.imageCaptured.connect(lambda _request, image: self.accept_image(image))
        self._capture.errorOccurred.connect(lambda _request, _error, text: self.capture_failed(text))

        default = qt_multimedia.QMediaDevices.defaultVideoInput()
        for device in self._devices:
            self.cameras.addItem(device.description())
        self.cameras.setCurrentIndex(self._devices.index(default) if default in self._devices else 0)
        self._cameras_row.setVisible(len(self._devices) > 1)
        self.cameras.currentIndexChanged.connect(self._use_camera)
        fit_to_screen(self, QSize(720, 600))
        self._start_when_allowed()

    def _start_when_allowed(self, _permission: object = None) -> None:
        # macOS asks the user once; elsewhere this is always granted.
        app = QCoreApplication.instance()
        permission = QCameraPermission()
        status = app.checkPermission(permission)
        if status == Qt.PermissionStatus.Undetermined:
            app.requestPermission(permission, self, self._start_when_allowed)
        elif status == Qt.PermissionStatus.Denied:
            self.show_problem(self.tr("This program may not use the camera: allow it in the system's "
                                      "privacy settings, then try again."))
        else:
            self._use_camera(self.cameras.currentIndex())

    def _use_camera(self, index: int) -> None:
        qt_multimedia = multimedia()
        if qt_multimedia is None or not 0 <= index < len(self._devices):
            return
        self._stop_camera()
        self.message.hide()
        device = self._devices[index]
        self._camera = qt_multimedia.QCamera(device, self)
        self._camera.errorOccurred.connect(lambda _error, text: self.camera_failed(text))
        chosen = choose_camera_format(device.videoFormats(), self._max_edge)
        if chosen is not None:
            self._camera.setCameraFormat(chosen)
        self._session.setCamera(self._camera)
        self._camera.start()
        if self._camera.error() != qt_multimedia.QCamera.Error.NoError:  # e.g. unplugged since the list was read
            self.camera_failed(self._camera.errorString())

    def _stop_camera(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)
            self._camera.deleteLater()
            self._camera = None

    # -- what happens --------------------------------------------------------------------------

    def _ready_changed(self, ready: bool) -> None:
        self.take_button.setEnabled(ready)
        # The button is disabled until the camera runs, so it could not have
        # the focus at first; give it now unless the user went elsewhere.
        if ready and not self.cameras.hasFocus() and not self.buttons.button(
                QDialogButtonBox.StandardButton.Cancel).hasFocus():
            self.take_button.setFocus()

    def take(self) -> None:
        """Capture the current frame into memory; :meth:`accept_image` follows when it arrives."""
        if self._capture is not None and self._capture.isReadyForCapture():
            self.take_button.setEnabled(False)
            self._capture.capture()

    def accept_image(self, image: QImage) -> None:
        """Keep a captured frame as PNG bytes in :attr:`photo` and close the dialog (accepted)."""
        try:
            self.photo = encode_photo(image)
        except ValueError:
            self.capture_failed(self.tr("the camera gave no usable picture"))
            return
        self.accept()

    def camera_failed(self, reason: str) -> None:
        """Say in one line that the camera failed or is busy (``reason`` is Qt's words)."""
        self.show_problem(self.tr("The camera could not be used (%1). Is another program using it?")
                          .replace("%1", _one_line(reason)))

    def capture_failed(self, reason: str) -> None:
        """Say in one line that taking the photo failed; the user may try again."""
        self.message.setText(self.tr("The photo could not be taken (%1). Try again.").replace("%1", _one_line(reason)))
        self.message.show()
        self.take_button.setEnabled(self._capture is not None and self._capture.isReadyForCapture())

    def show_problem(self, text: str) -> None:
        """Show ``text`` (one line) instead of a usable camera; Take photo is disabled."""
        self.message.setText(text)
        self.message.show()
        self.take_button.setEnabled(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter presses the default button (Take photo); Space reaches here
        # unless a button or the camera list has the focus and takes it.
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.take()
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self._stop_camera()
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None = None, max_edge: int = 2048) -> bytes | None:
        """Show the dialog; the photo as PNG bytes, or None if cancelled.  Tests patch this."""
        dialog = cls(parent, max_edge)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.photo
        finally:
            dialog.deleteLater()


def _one_line(text: str) -> str:
    return " ".join(text.split()).rstrip(".") or QCoreApplication.translate("CameraDialog", "no reason given")
