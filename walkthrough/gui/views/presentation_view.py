"""One finding at a time, large, for the workshop's projector.

A window of its own (F11 full screen, Esc closes) showing the area, prompt,
rating chip with its word, principles, voice and note in large type beside
the finding's photos, one under another.  Left/Right, Page Up/Down and Space
step through the findings; Up/Down scroll the finding when it is longer than
the window.  Only the photos of the finding on screen are read from the
database.  Type scales with the window, from the application font, so it
stays readable on a projector and with large-text settings; the words wrap,
the finding scrolls and the buttons wrap onto a second line, so nothing is
cut off on a small projector (1024 × 768) or with 2× text.
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
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
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
from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.records import ObservationRecord, PhotoRecord
from walkthrough.domain.stored_photo import STORED_PHOTO_FORMAT  # stored bytes: the JPEG decoder only
from walkthrough.gui.models.findings_filter_model import FindingsFilter, FindingsFilterModel
from walkthrough.gui.models.findings_table_model import (
    FindingsTableModel,
    chip_colours,
)
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.gui.wording import not_rated_meaning, rating_text, voice_label

#: Presentation modes offered in the "Show" box (rating modes are "rating:<id>").
MODE_ALL = "all"
MODE_PRIORITY = "priority"
MODE_REVIEW = "review"

_NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space}
_PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}
_SCROLL_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down}
_VIEW_KEYS = (_NEXT_KEYS | _PREVIOUS_KEYS | _SCROLL_KEYS
              | {Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_F11, Qt.Key.Key_Escape})


class _PhotoPane(QWidget):
    """Paints one picture as large as it fits, aspect kept, centred at the top.

    Its height follows its width (the picture's aspect), so a caption placed
    below sits right under the picture; but never taller than
    ``tallest`` (the height the finding has on screen), so that a portrait
    photo is seen whole.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._scaled = QImage()
        self.tallest = 480
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
            return min(width * 3 // 4, self.tallest)
        return max(64, min(width * self._image.height() // self._image.width(), self.tallest))

    def image(self) -> QImage:
        return self._image

    def sizeHint(self) -> QSize:
        return QSize(640, self.heightForWidth(640))

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
        self._photo_ids: list[str] = []
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
        # Wraps onto a second line rather than making the window wider than a small screen.
        top = FlowLayout()
        top.add_widget(self.counter_label)
        show_label = QLabel(self.tr("Show:"), self)
        show_label.setBuddy(self.mode_combo)
        top.add_widget(show_label, right=True)
        top.add_widget(self.mode_combo)
        top.add_widget(self.action_button)
        top.add_widget(self.full_screen_button)
        top.add_widget(self.close_button)

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

        # Every photo of the finding, one under another, each with its caption
        self.photo_box = QWidget(self)
        self._photo_layout = QVBoxLayout(self.photo_box)
        self._photo_layout.setContentsMargins(0, 0, 0, 0)
        self._photo_layout.addStretch(1)
        self._photo_panes: list[_PhotoPane] = []
        self._photo_captions: list[QLabel] = []

        # Words and photos scroll together (Up/Down, the wheel) when the finding is taller than the window.
        body = QWidget(self)
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(words, 5)
        body_layout.addWidget(self.photo_box, 6)
        self.words_scroll = QScrollArea(self)
        self.words_scroll.setWidget(body)
        self.words_scroll.setWidgetResizable(True)
        self.words_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.words_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.words_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

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
        layout.addWidget(self.words_scroll, 1)
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
        fit_to_screen(self)

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

    def shown_photo_ids(self) -> list[str]:
        """The photos on screen (loaded from the database), in the finding's order."""
        return list(self._photo_ids)

    def photo_images(self) -> list[QImage]:
        """The pictures shown, in the same order."""
        return [pane.image() for pane in self._photo_panes[:len(self._photo_ids)]]

    def photo_captions(self) -> list[str]:
        """What is written under each photo shown."""
        return [label.text() for label in self._photo_captions[:len(self._photo_ids)]]

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
        # Every presentation key works while the "Show" box has the focus, and
        # Up/Down scroll the finding there too: they must never change what is
        # shown in front of the room.  Alt+Down (or a click) opens its list.
        if watched is self.mode_combo and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() in _VIEW_KEYS and self._handle_key(event):
                return True
        # Nor does the mouse wheel passing over the box: it scrolls the finding.
        if watched is self.mode_combo and event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            QApplication.sendEvent(self.words_scroll.verticalScrollBar(), event)
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
        elif key in _SCROLL_KEYS:
            bar = self.words_scroll.verticalScrollBar()
            step = bar.singleStep() * 3 if key == Qt.Key.Key_Down else -bar.singleStep() * 3
            bar.setValue(bar.value() + step)
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
        self.mode_combo.addItem(self.tr("Only %1").replace("%1", rating_text(None)), f"rating:{NOT_RATED_KEY}")
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
            self._set_photos([])
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
        rating = self._walkthrough.lens.rating(o.rating_id) if o.rating_id is not None else None
        if rating is not None or o.rating_id is None:  # None: not rated yet, a pale chip with its words
            fill, ink = chip_colours(rating)
            self.rating_label.setText(rating_text(rating))
            self.rating_label.setToolTip(rating.meaning if rating is not None else not_rated_meaning())
            self.rating_label.setStyleSheet(
                f"QLabel {{ background: {fill.name()}; color: {ink.name()};"
                " border-radius: 0.3em; padding: 0.15em 0.6em; }")
        else:
            self.rating_label.setText(o.rating_id or "")
            self.rating_label.setStyleSheet("")
        for label in (self.area_label, self.prompt_label, self.principles_label, self.voice_label,
                      self.note_label, self.rating_label):
            label.show()
        self.words_scroll.verticalScrollBar().setValue(0)
        self._set_photos(list(o.photos))

    def _set_photos(self, photos: list[PhotoRecord]) -> None:
        count = len(photos)
        while len(self._photo_panes) < count:
            pane = _PhotoPane(self.photo_box)
            pane.setAccessibleName(self.tr("Photo"))
            pane.tallest = self._tallest_photo()
            caption = QLabel(self.photo_box)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if self._scale:
                caption.setFont(self._font(1.2))
            at = self._photo_layout.count() - 1  # before the stretch
            self._photo_layout.insertWidget(at, pane)
            self._photo_layout.insertWidget(at + 1, caption)
            self._photo_panes.append(pane)
            self._photo_captions.append(caption)
        ids = [photo.id for photo in photos]
        for n, (pane, caption) in enumerate(zip(self._photo_panes, self._photo_captions)):
            if n >= count:
                pane.set_image(QImage())
                pane.hide()
                caption.hide()
                continue
            photo = photos[n]
            if n >= len(self._photo_ids) or self._photo_ids[n] != photo.id:
                # Only the photos of the finding on screen are read, when it is shown.
                try:
                    image = QImage.fromData(self._walkthrough.photo_jpeg(photo.id), STORED_PHOTO_FORMAT)
                except WalkthroughError:
                    image = QImage()
                pane.set_image(image)
            words = photo.caption.strip()
            more = self.tr("%1 of %n photo(s)", "", count).replace("%1", str(n + 1)) if count > 1 else ""
            caption.setText(" — ".join(t for t in (words, more) if t))
            caption.setVisible(bool(words or more))
            pane.setAccessibleDescription(words or photo.original_name)
            pane.show()
        self._photo_ids = ids
        self.photo_box.setVisible(bool(photos))
        self._apply_scale()

    def _tallest_photo(self) -> int:
        # A photo is seen whole without scrolling: at most the height the finding has on screen.
        return max(64, self.words_scroll.viewport().height() - self.fontMetrics().height() * 2)

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
        if not self._photo_ids:
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
        for caption in self._photo_captions:
            caption.setFont(self._font(1.2))
        for button in (self.previous_button, self.next_button):
            button.setFont(self._font(1.3))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._apply_scale()
        super().resizeEvent(event)
        tallest = self._tallest_photo()
        for pane in self._photo_panes:
            if pane.tallest != tallest:
                pane.tallest = tallest
                pane.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._scale = 0.0
            self._apply_scale()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isFullScreen():
            self.showNormal()
        super().closeEvent(event)
