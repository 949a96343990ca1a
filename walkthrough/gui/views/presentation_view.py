"""One finding at a time, large, for the workshop's projector.

A window of its own (F11 full screen, Esc closes) showing the area, prompt,
rating chip with its word, principles, voice and note in large type beside
the finding's first photo.  Left/Right, Page Up/Down and Space step through
the findings; only the photo on screen is read from the database.  Type
scales with the window, from the application font, so it stays readable on a
projector and with large-text settings.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.errors import WalkthroughError
from walkthrough.domain.lens import FindingKind
from walkthrough.domain.records import ObservationRecord, PhotoRecord
from walkthrough.gui.models.findings_filter_model import FindingsFilter, FindingsFilterModel
from walkthrough.gui.models.findings_table_model import (
    FindingsTableModel,
    chip_colours,
)
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import rating_text, voice_label

#: Presentation modes offered in the "Show" box (rating modes are "rating:<id>").
MODE_ALL = "all"
MODE_PRIORITY = "priority"
MODE_REVIEW = "review"

_NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space}
_PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
_VIEW_KEYS = _NEXT_KEYS | _PREVIOUS_KEYS | {Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_F11, Qt.Key.Key_Escape}


class _PhotoPane(QWidget):
    """Paints one picture as large as it fits, aspect kept, centred at the top.

    Its height follows its width (the picture's aspect), so a caption placed
    below sits right under the picture.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._scaled = QImage()
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(64, 64)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._scaled = QImage()
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if self._image.isNull() or self._image.width() == 0:
            return width * 3 // 4
        return max(64, width * self._image.height() // self._image.width())

    def image(self) -> QImage:
        return self._image

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled = QImage()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image.isNull():
            return
        ratio = self.devicePixelRatioF()
        target = self.size() * ratio
        if self._scaled.isNull():
            self._scaled = self._image.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation)
            self._scaled.setDevicePixelRatio(ratio)
        w = self._scaled.width() / ratio
        h = self._scaled.height() / ratio
        painter = QPainter(self)
        painter.drawImage(QRectF((self.width() - w) / 2, 0, w, h), self._scaled)
        painter.end()


class PresentationView(QWidget):
    """A window that presents the findings one at a time.

    ``review_filter`` (optional) is the Review page's filter, offered as "As
    filtered on the Review page" and chosen at first; otherwise all findings
    are shown.  Findings come in walking order and follow edits made
    elsewhere while the window is open.

    Signals:
        action_requested(list[str]): *Action from this finding…* (Ctrl+Shift+N)
            was chosen: the team wants an improvement plan action for the
            finding shown (a one-item list of its observation id).  The
            action dialog should open over this window (it may be full screen).
    """

    action_requested = Signal(list)

    def __init__(
        self,
        open_walkthrough: OpenWalkthrough,
        review_filter: FindingsFilter | None = None,
        start_observation_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self._walkthrough = open_walkthrough
        self._review_filter = review_filter
        self._current_id: str | None = None
        self._row = -1
        self._photo_id: str | None = None
        self._scale = 0.0
        service = open_walkthrough.record.service
        self.setWindowTitle(self.tr("Findings — %1").replace("%1", service) if service else self.tr("Findings"))
        self.setAccessibleName(self.tr("Presentation of findings"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._source = FindingsTableModel(open_walkthrough, self)
        self.proxy_model = FindingsFilterModel(self)
        self.proxy_model.setSourceModel(self._source)

        # Top bar: counter, what to show, full screen, close
        self.counter_label = QLabel(self)
        self.counter_label.setAccessibleName(self.tr("Finding number"))
        self.mode_combo = QComboBox(self)
        self.mode_combo.setAccessibleName(self.tr("Findings to show"))
        self.mode_combo.setToolTip(self.tr("Which findings to step through"))
        self.mode_combo.installEventFilter(self)
        self.full_screen_button = QPushButton(self.tr("Full screen (F11)"), self)
        self.full_screen_button.setAccessibleName(self.tr("Full screen"))
        self.full_screen_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.full_screen_button.clicked.connect(self.toggle_full_screen)
        self.close_button = QPushButton(self.tr("Close (Esc)"), self)
        self.close_button.setAccessibleName(self.tr("Close presentation"))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.close)
        self.action_button = QPushButton(self.tr("Action from this finding…"), self)
        self.action_button.setAccessibleName(self.tr("New improvement plan action from this finding"))
        self.action_button.setToolTip(self.tr("Start an improvement plan action for this finding (Ctrl+Shift+N)"))
        self.action_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action_button.setVisible(not open_walkthrough.read_only)
        self.action_button.clicked.connect(self.request_action)
        self._action_shortcut = QShortcut(QKeySequence("Ctrl+Shift+N"), self)
        self._action_shortcut.activated.connect(self.request_action)
        top = QHBoxLayout()
        top.addWidget(self.counter_label)
        top.addStretch(1)
        show_label = QLabel(self.tr("Show:"), self)
        show_label.setBuddy(self.mode_combo)
        top.addWidget(show_label)
        top.addWidget(self.mode_combo)
        top.addWidget(self.action_button)
        top.addWidget(self.full_screen_button)
        top.addWidget(self.close_button)

        # The finding in words
        self.area_label = self._text_label(self.tr("Area"))
        self.prompt_label = self._text_label(self.tr("Prompt"))
        self.rating_label = QLabel(self)
        self.rating_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rating_label.setAccessibleName(self.tr("Rating"))
        self.rating_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.principles_label = self._text_label(self.tr("Principles"))
        self.voice_label = self._text_label(self.tr("Voice"))
        self.note_label = self._text_label(self.tr("Note"))
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = self._text_label(self.tr("Message"))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        words = QWidget(self)
        words_layout = QVBoxLayout(words)
        words_layout.addWidget(self.area_label)
        words_layout.addWidget(self.prompt_label)
        chip_row = QHBoxLayout()
        chip_row.addWidget(self.rating_label)
        chip_row.addStretch(1)
        words_layout.addLayout(chip_row)
        words_layout.addWidget(self.principles_label)
        words_layout.addWidget(self.voice_label)
        rule = QFrame(words)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        words_layout.addWidget(rule)
        words_layout.addWidget(self.note_label)
        words_layout.addWidget(self.empty_label)
        words_layout.addStretch(1)
        self.words_scroll = QScrollArea(self)
        self.words_scroll.setWidget(words)
        self.words_scroll.setWidgetResizable(True)
        self.words_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.words_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.words_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # The first photo, large
        self.photo_pane = _PhotoPane(self)
        self.photo_pane.setAccessibleName(self.tr("Photo"))
        self.photo_caption = QLabel(self)
        self.photo_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.photo_caption.setWordWrap(True)
        self.photo_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_box = QWidget(self)
        photo_layout = QVBoxLayout(self.photo_box)
        photo_layout.setContentsMargins(0, 0, 0, 0)
        photo_layout.addWidget(self.photo_pane)
        photo_layout.addWidget(self.photo_caption)
        photo_layout.addStretch(1)

        body = QHBoxLayout()
        body.addWidget(self.words_scroll, 5)
        body.addWidget(self.photo_box, 6)

        # Bottom: previous / next
        self.previous_button = QPushButton(self.tr("◀ Previous"), self)
        self.previous_button.setAccessibleName(self.tr("Previous finding"))
        self.previous_button.setToolTip(self.tr("Previous finding (Left, Page Up)"))
        self.previous_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QPushButton(self.tr("Next ▶"), self)
        self.next_button.setAccessibleName(self.tr("Next finding"))
        self.next_button.setToolTip(self.tr("Next finding (Right, Page Down, Space)"))
        self.next_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.next_button.clicked.connect(self.next)
        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addStretch(1)
        bottom.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self._fill_modes()
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)
        for signal in (self.proxy_model.rowsInserted, self.proxy_model.rowsRemoved,
                       self.proxy_model.modelReset, self.proxy_model.layoutChanged):
            signal.connect(self._rows_changed)
        self.proxy_model.dataChanged.connect(self._data_changed)

        self._apply_mode()
        if start_observation_id is not None:
            self.go_to(start_observation_id)
        self._apply_scale()
        self.resize(self.sizeHint())

    # -- public ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(1200, 720)

    @Slot()
    def request_action(self) -> None:
        """Ask for an improvement plan action for the finding shown (see ``action_requested``)."""
        if self._current_id is not None and not self._walkthrough.read_only:
            self.action_requested.emit([self._current_id])

    @property
    def current_row(self) -> int:
        """The 0-based position of the finding shown, or -1 when none is."""
        return self._row

    def current_observation_id(self) -> str | None:
        """The finding shown, or None."""
        return self._current_id

    def count(self) -> int:
        """How many findings the current choice shows."""
        return self.proxy_model.rowCount()

    def counter_text(self) -> str:
        """What the counter says, e.g. "3 of 17"."""
        return self.counter_label.text()

    def shown_photo_id(self) -> str | None:
        """The photo on screen (loaded from the database), or None."""
        return self._photo_id

    def set_review_filter(self, review_filter: FindingsFilter | None) -> None:
        """Offer the Review page's filter, and choose it unless it shows everything."""
        self._review_filter = review_filter
        self._fill_modes()
        if review_filter is not None and not review_filter.is_empty():
            self.set_mode(MODE_REVIEW)
        else:
            self.set_mode(MODE_ALL)

    def set_mode(self, mode: str) -> None:
        """Choose what to show: ``"all"``, ``"priority"``, ``"review"`` or ``"rating:<id>"``."""
        index = self.mode_combo.findData(mode)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)
            self._apply_mode()

    def mode(self) -> str:
        """What is being shown (see :meth:`set_mode`)."""
        return str(self.mode_combo.currentData() or MODE_ALL)

    def go_to(self, observation_id: str) -> bool:
        """Show a finding, if the current choice includes it."""
        row = self.proxy_model.row_of(observation_id)
        if row < 0:
            return False
        self._show_row(row)
        return True

    @Slot()
    def next(self) -> None:
        """Show the next finding."""
        if self._row + 1 < self.count():
            self._show_row(self._row + 1)

    @Slot()
    def previous(self) -> None:
        """Show the previous finding."""
        if self._row > 0:
            self._show_row(self._row - 1)

    def first(self) -> None:
        """Show the first finding."""
        if self.count():
            self._show_row(0)

    def last(self) -> None:
        """Show the last finding."""
        if self.count():
            self._show_row(self.count() - 1)

    @Slot()
    def toggle_full_screen(self) -> None:
        """Full screen on or off (F11)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # -- keys --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The "Show" box keeps Up/Down for its own choices; every other
        # presentation key works while it has the focus.
        if watched is self.mode_combo and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() in _VIEW_KEYS and self._handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key in _NEXT_KEYS:
            self.next()
        elif key in _PREVIOUS_KEYS:
            self.previous()
        elif key == Qt.Key.Key_Home:
            self.first()
        elif key == Qt.Key.Key_End:
            self.last()
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            return False
        event.accept()
        return True

    # -- showing -----------------------------------------------------------------------

    def _text_label(self, accessible_name: str) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)  # notes are the team's words, never markup
        label.setWordWrap(True)
        label.setAccessibleName(accessible_name)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    def _fill_modes(self) -> None:
        current = self.mode_combo.currentData()
        self.mode_combo.blockSignals(True)
        self.mode_combo.clear()
        self.mode_combo.addItem(self.tr("All findings"), MODE_ALL)
        self.mode_combo.addItem(self.tr("Only priority concerns"), MODE_PRIORITY)
        if self._review_filter is not None:
            self.mode_combo.addItem(self.tr("As filtered on the Review page"), MODE_REVIEW)
        for rating in self._walkthrough.lens.ratings:
            self.mode_combo.addItem(self.tr("Only %1").replace("%1", rating_text(rating)), f"rating:{rating.id}")
        index = self.mode_combo.findData(current)
        self.mode_combo.setCurrentIndex(max(index, 0))
        self.mode_combo.blockSignals(False)

    @Slot(int)
    def _mode_chosen(self, _index: int) -> None:
        self._apply_mode()

    def _apply_mode(self) -> None:
        mode = self.mode()
        keep = self._current_id
        if mode == MODE_PRIORITY:
            wanted = FindingsFilter(finding_kind=FindingKind.PRIORITY_CONCERN)
        elif mode == MODE_REVIEW and self._review_filter is not None:
            wanted = self._review_filter
        elif mode.startswith("rating:"):
            wanted = FindingsFilter(rating_id=mode.split(":", 1)[1])
        else:
            wanted = FindingsFilter()
        self.proxy_model.set_filter(wanted)
        row = self.proxy_model.row_of(keep) if keep is not None else -1
        self._show_row(row if row >= 0 else 0)

    @Slot()
    def _rows_changed(self, *_args: object) -> None:
        row = self.proxy_model.row_of(self._current_id) if self._current_id is not None else -1
        if row < 0:
            row = min(max(self._row, 0), self.count() - 1)
        self._show_row(row, force=True)

    @Slot(QModelIndex, QModelIndex)
    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        if top_left.row() <= self._row <= bottom_right.row():
            self._show_row(self._row, force=True)

    def _observation(self, row: int) -> ObservationRecord | None:
        if not 0 <= row < self.count():
            return None
        source_row = self.proxy_model.mapToSource(self.proxy_model.index(row, 0)).row()
        return self._source.observation_at(source_row)

    def _show_row(self, row: int, force: bool = False) -> None:
        o = self._observation(row)
        total = self.count()
        self.previous_button.setEnabled(o is not None and row > 0)
        self.next_button.setEnabled(o is not None and row + 1 < total)
        if o is None:
            self._row, self._current_id = -1, None
            self.counter_label.setText(self.tr("No findings to show"))
            for label in (self.area_label, self.prompt_label, self.principles_label, self.voice_label,
                          self.note_label, self.rating_label):
                label.hide()
            self.empty_label.setText(self.tr("No findings match this choice. Choose All findings under Show."))
            self.empty_label.show()
            self._set_photo(None, 0)
            return
        if not force and row == self._row and o.id == self._current_id:
            return
        self._row, self._current_id = row, o.id
        self.empty_label.hide()
        self.counter_label.setText(self.tr("%1 of %2").replace("%1", str(row + 1)).replace("%2", str(total)))
        self.counter_label.setAccessibleDescription(
            self.tr("Finding %1 of %2").replace("%1", str(row + 1)).replace("%2", str(total)))

        source_row = self._source.row_of(o.id)
        cell = lambda column: self._source.index(source_row, column).data()  # noqa: E731
        c = FindingsTableModel.Column
        self.area_label.setText(str(cell(c.AREA)))
        self.prompt_label.setText(str(cell(c.PROMPT)))
        principles = str(cell(c.PRINCIPLES) or "")
        self.principles_label.setText(
            self.tr("Principles: %1").replace("%1", principles) if principles else self.tr("No principles tagged"))
        self.voice_label.setText(self.tr("Voice: %1").replace("%1", voice_label(o.voice)))
        self.note_label.setText(o.note.strip() or self.tr("(No note)"))
        rating = self._walkthrough.lens.rating(o.rating_id)
        if rating is not None:
            fill, ink = chip_colours(rating)
            self.rating_label.setText(rating_text(rating))
            self.rating_label.setToolTip(rating.meaning)
            self.rating_label.setStyleSheet(
                f"QLabel {{ background: {fill.name()}; color: {ink.name()};"
                " border-radius: 0.3em; padding: 0.15em 0.6em; }")
        else:
            self.rating_label.setText(o.rating_id)
            self.rating_label.setStyleSheet("")
        for label in (self.area_label, self.prompt_label, self.principles_label, self.voice_label,
                      self.note_label, self.rating_label):
            label.show()
        self.words_scroll.verticalScrollBar().setValue(0)
        self._set_photo(o.photos[0] if o.photos else None, len(o.photos))

    def _set_photo(self, photo: PhotoRecord | None, count: int) -> None:
        if photo is None:
            self._photo_id = None
            self.photo_pane.set_image(QImage())
            self.photo_box.hide()
            self._apply_scale()
            return
        if photo.id != self._photo_id:
            # Only the photo on screen is read, when it is shown.
            try:
                image = QImage.fromData(self._walkthrough.photo_jpeg(photo.id))
            except WalkthroughError:
                image = QImage()
            self._photo_id = photo.id
            self.photo_pane.set_image(image)
        caption = photo.caption.strip()
        more = self.tr("1 of %n photo(s)", "", count) if count > 1 else ""
        self.photo_caption.setText(" — ".join(t for t in (caption, more) if t))
        self.photo_caption.setVisible(bool(caption or more))
        self.photo_pane.setAccessibleDescription(caption or photo.original_name)
        self.photo_box.show()
        self._apply_scale()

    # -- large type ---------------------------------------------------------------------

    def _font(self, factor: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor * self._scale)
        else:
            font.setPixelSize(max(1, round(font.pixelSize() * factor * self._scale)))
        font.setBold(bold)
        return font

    def _apply_scale(self) -> None:
        # Grow the type with the window: 1× at 720 px high, up to 2.5× on a big
        # screen; a finding without a photo has the whole width, so larger still.
        scale = min(2.5, max(1.0, self.height() / 720))
        if self._photo_id is None:
            scale *= 1.2
        if abs(scale - self._scale) < 0.05:
            return
        self._scale = scale
        self.counter_label.setFont(self._font(1.3, bold=True))
        self.area_label.setFont(self._font(2.0, bold=True))
        self.prompt_label.setFont(self._font(1.4))
        self.rating_label.setFont(self._font(1.5, bold=True))
        self.principles_label.setFont(self._font(1.3))
        self.voice_label.setFont(self._font(1.3))
        self.note_label.setFont(self._font(1.5))
        self.empty_label.setFont(self._font(1.5))
        self.photo_caption.setFont(self._font(1.2))
        for button in (self.previous_button, self.next_button):
            button.setFont(self._font(1.3))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._apply_scale()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._scale = 0.0
            self._apply_scale()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isFullScreen():
            self.showNormal()
        super().closeEvent(event)
