"""An observation's photos as a row of upright thumbnails, with Add, Take photo and drag-and-drop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from walkthrough.domain.records import PhotoRecord
from walkthrough.domain.stored_photo import STORED_PHOTO_FORMAT  # stored bytes: the JPEG decoder only
from walkthrough.gui.camera import camera_available
from walkthrough.gui.widgets.flow_layout import FlowLayout

THUMB_SIZE = QSize(96, 72)


class MenuToolButton(QToolButton):
    """A tool button whose drop-down menu also opens from the keyboard.

    Qt opens a split button's menu only from a click on its arrow, and Space
    presses the button itself, so the menu was out of a keyboard's reach.  Here
    Alt+Down and F4 open it too: the keys that open a combo box's list in Qt.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.menu() is not None and _opens_menu(event):
            event.accept()
            self.showMenu()  # returns when the menu closes, as after a click on the arrow
            return
        super().keyPressEvent(event)


def _opens_menu(event: QKeyEvent) -> bool:
    """Alt+Down or a plain F4 (what QComboBox takes to open its list)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() == Qt.Key.Key_Down:
        return bool(modifiers & Qt.KeyboardModifier.AltModifier)
    return event.key() == Qt.Key.Key_F4 and modifiers == Qt.KeyboardModifier.NoModifier


class PhotoStrip(QWidget):
    """Thumbnails of an observation's photos.

    Signals:
        add_requested(): the user wants to pick files.
        paste_requested(): the user wants the clipboard's picture (a screenshot).
        camera_requested(): the user wants to take a photo with the camera.
        files_dropped(paths): files were dropped from the file manager.
        photo_activated(photo_id): a thumbnail was clicked (open it large).
    """

    add_requested = Signal()
    paste_requested = Signal()
    camera_requested = Signal()
    files_dropped = Signal(list)
    photo_activated = Signal(str)

    def __init__(self, load_thumbnail: Callable[[str], bytes], parent: QWidget | None = None,
                 cache: dict[str, QPixmap] | None = None) -> None:
        """``cache`` (photo id → pixmap) may be shared between strips; whoever changes a photo drops its entry."""
        super().__init__(parent)
        self._load = load_thumbnail
        self._cache: dict[str, QPixmap] = {} if cache is None else cache
        self.setAcceptDrops(True)
        # Thumbnails wrap onto more lines rather than widen the observation (large text at 1366 px).
        self._layout = FlowLayout(self, spacing=4)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._add = MenuToolButton(self)
        self._add.setObjectName("plainButton")  # a focus ring from the page's style sheet
        self._add.setText(self.tr("Add photos…"))
        self._add.setAccessibleName(self.tr("Add photos"))
        # (It replaces the tooltip for a screen reader, so it says all the tooltip does.)
        self._add.setAccessibleDescription(self.tr("Space adds photos from files; Alt+Down or F4 opens a menu of "
                                                   "more ways. You can also drop files here or paste with Ctrl+V"))
        self._add.setToolTip(self.tr("Add photos from files; you can also drop files here or paste with Ctrl+V"))
        self._add.clicked.connect(self.add_requested)
        self._add.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self._add)
        menu.addAction(self.tr("From files…"), self.add_requested.emit)
        menu.addAction(self.tr("Paste from the clipboard (Ctrl+V)"), self.paste_requested.emit)
        self._add.setMenu(menu)
        self.camera_button = QToolButton(self)
        self.camera_button.setObjectName("plainButton")
        self.camera_button.setText(self.tr("Take photo…"))
        self.camera_button.setAccessibleName(self.tr("Take a photo with the camera"))
        self.camera_button.setToolTip(self.tr("Take a photo with this computer's camera"))
        self.camera_button.clicked.connect(self.camera_requested)
        # Only where Qt Multimedia (an optional extra) is installed and a camera
        # is connected; the check imports Qt Multimedia once, on first use.
        self.camera_button.setVisible(camera_available())
        self._buttons: list[QToolButton] = []
        self._photos: tuple[PhotoRecord, ...] = ()
        self._layout.add_widget(self._add)
        self._layout.add_widget(self.camera_button)

    def set_photos(self, photos: tuple[PhotoRecord, ...]) -> None:
        """Show these photos (thumbnails are loaded once and cached by id)."""
        # Unchanged (e.g. after a rating change): keep the buttons. A changed
        # picture has left the cache, so it is drawn again.
        if photos == self._photos and all(p.id in self._cache for p in photos):
            return
        self._photos = photos
        # The window's focus may be on a thumbnail (also while the photo dialog is open over it):
        # it goes to the thumbnail now in that place, or to Add photos, never nowhere.
        remembered = self.window().focusWidget()
        focused_at = next((i for i, b in enumerate(self._buttons) if b is remembered), None)
        for button in self._buttons:
            self._layout.removeWidget(button)
            if button is remembered:
                button.clearFocus()
            button.hide()
            button.deleteLater()
        self._buttons = []
        for i, photo in enumerate(photos):
            button = QToolButton(self)
            button.setObjectName("photoThumbnail")  # a focus ring from the page's style sheet
            button.setIcon(QIcon(self._pixmap(photo.id)))
            button.setIconSize(THUMB_SIZE)
            label = photo.caption or photo.original_name
            opens = self.tr("Space opens it large, to caption, blur or delete it")
            if photo.alt_text:
                button.setToolTip(label)
            else:  # a gentle mark: the report reads the caption out in its place until alt text is written
                missing = self.tr("No alt text yet: open it to write what someone who cannot see it needs to know")
                button.setToolTip(f"{label}\n{missing}")
                opens = f"{opens}. {missing}"
            button.setAccessibleName(self.tr("Photo: %1").replace("%1", label))
            button.setAccessibleDescription(opens)
            button.clicked.connect(lambda _=False, pid=photo.id: self.photo_activated.emit(pid))
            self._layout.insert_widget(i, button)
            button.show()  # now, not by the layout's queued call, so Tab reaches it at once
            self._buttons.append(button)
        if focused_at is not None:
            target = self._buttons[min(focused_at, len(self._buttons) - 1)] if self._buttons else self._add
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def tab_stops(self) -> list[QToolButton]:
        """The strip's buttons in reading order: the thumbnails, then Add photos and Take photo."""
        return [*self._buttons, self._add, self.camera_button]

    def photo_buttons(self) -> list[QToolButton]:
        """The thumbnail buttons, in order (for tests)."""
        return list(self._buttons)

    def set_read_only(self, read_only: bool) -> None:
        """Viewing only: thumbnails still open large; every adding button and dropping files are off."""
        self.setAcceptDrops(not read_only)
        # Every button but the thumbnails adds photos (Add, Take photo …).
        for button in self.findChildren(QToolButton):
            if button not in self._buttons:
                button.setEnabled(not read_only)

    def _pixmap(self, photo_id: str) -> QPixmap:
        if photo_id not in self._cache:
            image = QImage.fromData(self._load(photo_id), STORED_PHOTO_FORMAT)
            self._cache[photo_id] = QPixmap() if image.isNull() else QPixmap.fromImage(
                image.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
        return self._cache[photo_id]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
