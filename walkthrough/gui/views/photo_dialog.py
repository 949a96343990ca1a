"""A photo shown large: caption it, write its alt text, blur a region (faces, names), or delete it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.stored_photo import STORED_PHOTO_FORMAT  # stored bytes: the JPEG decoder only
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.widgets.read_only_banner import ReadOnlyBanner
from walkthrough.gui.widgets.screen_fit import fit_to_screen


#: How far one arrow key press moves or resizes the blur rectangle, in widget pixels (Alt: 1 pixel).
KEY_STEP = 10


class PhotoCanvas(QWidget):
    """Shows a picture scaled to fit; with selecting on, the user marks a rectangle.

    The rectangle is dragged with the mouse, or, when the canvas has focus,
    moved with the arrow keys and sized with Shift+arrow keys (Alt: finely).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._origin: QPoint | None = None
        self._selection = QRect()
        self._selecting = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Small enough for a dialog at 200 % on a 768-pixel screen (384 logical pixels high).
        self.setMinimumSize(240, 160)
        self.setAccessibleName(self.tr("Photo"))

    @property
    def selecting(self) -> bool:
        """True while a region to blur is being marked (the canvas is then a Tab stop)."""
        return self._selecting

    @selecting.setter
    def selecting(self, on: bool) -> None:
        self._selecting = on
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if on else Qt.FocusPolicy.NoFocus)
        if on and self._selection.isNull():
            # A rectangle to start from, so the keyboard alone can place it.
            target = self._target()
            if not target.isEmpty():
                self._selection = QRect(target.center() - QPoint(target.width() // 6, target.height() // 6),
                                        QSize(target.width() // 3, target.height() // 3))
        if not on:
            self._selection = QRect()
        self.setAccessibleDescription(
            self.tr("Arrow keys move the rectangle to blur; Shift and the arrow keys change its size") if on else "")
        self.update()

    def set_image(self, image: QImage) -> None:
        """Show ``image`` and clear any selection."""
        self._image = image
        self._selection = QRect()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    def _target(self) -> QRect:
        if self._image.isNull():
            return QRect()
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2), size)

    def selection_in_image(self) -> tuple[int, int, int, int] | None:
        """The dragged rectangle in the picture's own pixels, or None."""
        target = self._target()
        sel = self._selection.normalized().intersected(target)
        if sel.isEmpty() or target.isEmpty():
            return None
        sx = self._image.width() / target.width()
        sy = self._image.height() / target.height()
        return (
            round((sel.left() - target.left()) * sx),
            round((sel.top() - target.top()) * sy),
            round((sel.right() + 1 - target.left()) * sx),
            round((sel.bottom() + 1 - target.top()) * sy),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self._image.isNull():
            painter.drawImage(self._target(), self._image)
        if not self._selection.isNull():
            painter.setPen(QPen(Qt.GlobalColor.yellow, 2, Qt.PenStyle.DashLine))
            painter.drawRect(self._selection.normalized())
        if self.hasFocus():
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if not self._selecting or self._selection.isNull() or event.key() not in steps:
            super().keyPressEvent(event)
            return
        dx, dy = steps[Qt.Key(event.key())]
        step = 1 if event.modifiers() & Qt.KeyboardModifier.AltModifier else KEY_STEP
        sel = self._selection.normalized()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            sel.setWidth(max(step, sel.width() + dx * step))
            sel.setHeight(max(step, sel.height() + dy * step))
        else:
            sel.translate(dx * step, dy * step)
        self._selection = sel.intersected(self.rect())
        self.update()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._selecting:
            self._origin = event.position().toPoint()
            self._selection = QRect(self._origin, self._origin)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._selecting and self._origin is not None:
            self._selection = QRect(self._origin, event.position().toPoint())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._origin = None


class PhotoDialog(QDialog):
    """Large view of one stored photo with caption, alt text, blur and delete.

    The alt text (what someone who cannot see the photo needs to know) starts
    from the caption: while nobody has written one, the field follows the
    caption as a suggestion and nothing is stored, so the report uses the
    caption; an edit of the field writes it.

    Opened read-only, it is for viewing: the texts are read-only and blur
    and delete are off.
    """

    def __init__(self, open_walkthrough: OpenWalkthrough, observation_id: str, photo_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        self._observation_id = observation_id
        self._photo_id = photo_id
        record = next(p for p in open_walkthrough.observation(observation_id).photos if p.id == photo_id)
        self.setWindowTitle(record.caption or record.original_name)
        self.canvas = PhotoCanvas(self)
        self.caption = QLineEdit(record.caption, self)
        self.caption.setPlaceholderText(self.tr("Caption (shown under the photo in the report)"))
        self.caption.setAccessibleName(self.tr("Caption"))
        caption_label = QLabel(self.tr("&Caption:"), self)
        caption_label.setBuddy(self.caption)
        self.alt_text = QLineEdit(record.alt_text or record.caption, self)
        self.alt_text.setPlaceholderText(self.tr("What someone who cannot see the photo needs to know"))
        self.alt_text.setAccessibleName(self.tr("Alt text"))
        self.alt_text.setAccessibleDescription(self.tr(
            "What someone who cannot see the photo needs to know; read out in place of the photo"))
        self.alt_text.setToolTip(self.alt_text.accessibleDescription())
        alt_text_label = QLabel(self.tr("Al&t text:"), self)
        alt_text_label.setBuddy(self.alt_text)
        self._alt_text_written = bool(record.alt_text)
        self.alt_text_hint = QLabel(self)
        self.alt_text_hint.setWordWrap(True)
        self.alt_text_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.alt_text.textEdited.connect(self._alt_text_edited)
        self.caption.textChanged.connect(self._follow_caption)
        self._show_alt_text_hint()

        self.blur_button = QPushButton(self.tr("&Blur a region…"), self)
        self.blur_button.setCheckable(True)
        self.blur_button.setToolTip(self.tr("Drag over faces or names, then press Apply blur. "
                                          "Blurring replaces the stored photo: it cannot be undone."))
        self.blur_button.toggled.connect(self._toggle_selecting)
        self.apply_blur = QPushButton(self.tr("&Apply blur"), self)
        self.apply_blur.setEnabled(False)
        self.apply_blur.clicked.connect(self._blur)
        self.delete_button = QPushButton(self.tr("&Delete photo"), self)
        self.delete_button.clicked.connect(self._delete)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        # Enter (e.g. after typing a caption) closes, keeping the caption; it must
        # never start blurring or delete the photo.
        for button in (self.blur_button, self.apply_blur, self.delete_button):
            button.setAutoDefault(False)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setToolTip(self.tr("Close (Esc or Enter); the caption and alt text are kept"))

        row = QGridLayout()
        row.addWidget(caption_label, 0, 0)
        row.addWidget(self.caption, 0, 1)
        row.addWidget(alt_text_label, 1, 0)
        row.addWidget(self.alt_text, 1, 1)
        row.addWidget(self.alt_text_hint, 2, 1)
        row.setColumnStretch(1, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.blur_button)
        tools.addWidget(self.apply_blur)
        tools.addWidget(self.hint, 1)
        tools.addWidget(self.delete_button)
        self.read_only_banner = ReadOnlyBanner(open_walkthrough.read_only, self)
        if open_walkthrough.read_only:
            # To look at only: the caption can be selected and copied, nothing changed.
            self.caption.setReadOnly(True)
            self.alt_text.setReadOnly(True)
            for button in (self.blur_button, self.apply_blur, self.delete_button):
                button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(row)
        layout.addLayout(tools)
        layout.addWidget(buttons)
        self._load()
        fit_to_screen(self)  # the photo as large as it would like, within the screen

    def _alt_text_edited(self, _text: str) -> None:
        self._alt_text_written = True
        self._show_alt_text_hint()

    def _follow_caption(self, caption: str) -> None:
        """While no alt text is written, the suggestion is the caption as it is now."""
        if not self._alt_text_written:
            self.alt_text.setText(caption)

    def _show_alt_text_hint(self) -> None:
        if self._alt_text_written and self.alt_text.text().strip():
            self.alt_text_hint.setText(self.tr(
                "Alt text is read out in place of the photo: say what matters in it, in a sentence or two."))
        elif self._alt_text_written:
            self.alt_text_hint.setText(self.tr("No alt text: the report uses the caption."))
        else:
            self.alt_text_hint.setText(self.tr(
                "Suggested from the caption: no alt text is written yet, so the report uses the caption. "
                "Change it to say what someone who cannot see the photo needs to know."))

    def _load(self) -> None:
        self.canvas.set_image(QImage.fromData(self._wt.photo_jpeg(self._photo_id), STORED_PHOTO_FORMAT))

    def _toggle_selecting(self, on: bool) -> None:
        self.canvas.selecting = on
        self.apply_blur.setEnabled(on and not self._wt.read_only)
        self.hint.setText(self.tr("Drag a rectangle over what must not be seen, or move it with the arrow keys "
                                  "(Shift+arrows: size), then Apply blur.") if on else "")
        self.canvas.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        if on and self.blur_button.hasFocus():
            # Straight to the picture, where the arrow keys place the rectangle.
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _blur(self) -> None:
        box = self.canvas.selection_in_image()
        if box is None:
            self.hint.setText(self.tr("First drag a rectangle over the picture."))
            return
        if not self.confirm_blur():
            return
        if not self._wt.blur_photo(self._observation_id, self._photo_id, box):
            return
        # Focus first: Apply blur is about to be switched off, and Qt would pass
        # its focus on to the next button, Delete photo.
        self.blur_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.blur_button.setChecked(False)
        self._load()

    def confirm_blur(self) -> bool:
        """Ask, once, before a blur is applied: it is for good."""
        answer = QMessageBox.question(
            self, self.tr("Blur for good?"),
            self.tr("Blurring replaces the stored photo: what is under the rectangle cannot be brought back, "
                    "not even with Undo. Blur it now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _delete(self) -> None:
        self._wt.delete_photo(self._observation_id, self._photo_id)
        self._photo_id = ""
        self.reject()

    def done(self, result: int) -> None:
        if self._photo_id and not self._wt.read_only:
            record = self._wt.observation(self._observation_id)
            current = next((p for p in record.photos if p.id == self._photo_id), None) if record else None
            if current is not None and self.caption.text().strip() != current.caption:
                self._wt.set_caption(self._observation_id, self._photo_id, self.caption.text())
            if current is not None and self._alt_text_written and self.alt_text.text().strip() != current.alt_text:
                self._wt.set_alt_text(self._observation_id, self._photo_id, self.alt_text.text())
        super().done(result)

