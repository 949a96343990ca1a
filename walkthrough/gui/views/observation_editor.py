"""Editing one observation in walk mode: rating, note, principles, voice, photos.

Everything is saved as it is typed: a rating or principle click at once, a
note 400 ms after the last keystroke (and at once when focus leaves the note
or the window closes).  Each save is an undoable step on the walkthrough's
undo stack; consecutive keystrokes in one note merge into one step.

A note can be written before any rating is chosen: the observation is then
recorded *not rated yet*.  Keys 1–4 rate (and 0 clears the rating) only
while focus is on the observation itself or one of its buttons; in the note,
a digit is just a digit.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QFocusEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.lens import Lens
from walkthrough.domain.vocabulary import Voice
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.history_dialog import HistoryDialog, make_history_command
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.widgets.photo_strip import PhotoStrip
from walkthrough.gui.widgets.principle_chips import CHIP_STYLE_SHEET, PrincipleChips
from walkthrough.gui.widgets.rating_buttons import RatingButtons, rating_style_sheet
from walkthrough.gui.widgets.shared_undo import SharedUndo
from walkthrough.gui.widgets.text_field import is_text_field
from walkthrough.gui.wording import not_rated_label, voice_label
from walkthrough.services.observations import NewObservation

#: Delay after the last keystroke before a note is saved, in milliseconds.
NOTE_SAVE_DELAY_MS = 400

#: A visible focus ring when the observation itself has focus (keys 1-4 rate it),
#: and on the page's other controls: the base style draws none on tool buttons
#: and only a faint 1 px line on push buttons and lists, so each gets a 2 px
#: ring in the palette's highlight colour.  Each control is styled the same
#: with and without focus (only the ring's colour and width change, border
#: plus padding staying the same), so focus never moves anything.
#: Set once on the page (with the rating and chip styles), not per editor.
EDITOR_STYLE_SHEET = "\n".join((
    "QFrame#observationEditor:focus { border: 2px solid palette(highlight); }",
    "QToolButton#plainButton, QPushButton#plainButton { border: 1px solid palette(mid); border-radius: 4px;"
    " background: palette(button); padding: 3px 8px; }",
    "QToolButton#plainButton:focus, QPushButton#plainButton:focus { border: 2px solid palette(highlight);"
    " padding: 2px 7px; }",
    "QToolButton#plainButton:pressed, QPushButton#plainButton:pressed { background: palette(mid); }",
    "QToolButton#plainButton:disabled, QPushButton#plainButton:disabled { color: palette(placeholder-text); }",
    "QToolButton#plainButton[popupMode=\"1\"] { padding-right: 20px; }",
    "QToolButton#photoThumbnail { border: 2px solid transparent; border-radius: 4px; padding: 1px; }",
    "QToolButton#photoThumbnail:focus { border: 2px solid palette(highlight); }",
    "QComboBox#voiceCombo:focus { border: 2px solid palette(highlight); border-radius: 3px; padding: 1px 6px; }",
))


def editors_style_sheet(lens: Lens) -> str:
    """The style sheet for a page of editors: focus rings, rating buttons, principle chips, hints."""
    return "\n".join((
        EDITOR_STYLE_SHEET,
        rating_style_sheet(lens.ratings),
        CHIP_STYLE_SHEET,
        "QLabel#hint { color: palette(placeholder-text); }",
    ))


class _NoteEdit(QPlainTextEdit):
    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Commands of the observation offered below the text's own (Cut, Copy, Paste…).
        self.extra_actions: list[QAction] = []

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.focus_left.emit()
        super().focusOutEvent(event)

    def context_menu(self, position: QPoint) -> QMenu:
        """The text's own menu (Cut, Copy, Paste…) with the observation's commands below."""
        menu = self.createStandardContextMenu(position)
        menu.addSeparator()
        menu.addActions(self.extra_actions)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


class ObservationEditor(QFrame):
    """One observation, or a blank one that is created when a rating is chosen or a note is written.

    Opened read-only (:attr:`read_only`), it only shows: ratings, principles,
    voice, delete and adding photos are off, the note is read-only but still
    focusable, selectable and copyable, and thumbnails still open large.

    Signals:
        photos_wanted(observation_id): the user asked to add photos from files.
        paste_wanted(observation_id): the user pasted (Ctrl+V outside the note) or chose Paste.
        camera_wanted(observation_id): the user asked to take a photo with the camera.
        files_dropped(observation_id, paths): files were dropped on the photos.
        photo_opened(observation_id, photo_id): a thumbnail was activated.
    """

    photos_wanted = Signal(str)
    paste_wanted = Signal(str)
    camera_wanted = Signal(str)
    files_dropped = Signal(str, list)
    photo_opened = Signal(str, str)

    def __init__(
        self,
        open_walkthrough: OpenWalkthrough,
        area_id: str,
        prompt_id: str | None,
        observation_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        self.area_id = area_id
        self.prompt_id = prompt_id
        self.observation_id: str | None = None
        lens = open_walkthrough.lens
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("observationEditor")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._position = 0
        self.set_position(1)

        self.ratings = RatingButtons(lens.ratings, self)
        self.ratings.rating_chosen.connect(self._rate)
        self.ratings.rating_cleared.connect(lambda: self._rate(None))

        self.note = _NoteEdit(self)
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.textChanged.connect(self._note_typed)
        self.note.focus_left.connect(self.flush)
        # Ctrl+Z in the note walks the walkthrough's history (saving the typing first), never its own.
        SharedUndo(self.note, open_walkthrough.undo_stack, self.flush)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self._save_note)

        self.principles = PrincipleChips(lens.principles, self)
        self.principles.changed.connect(self._principles_changed)
        prompt = lens.prompt(prompt_id) if prompt_id else None
        self.principles.set_selected(prompt.principles if prompt else ())

        self.voice = QComboBox(self)
        self.voice.setObjectName("voiceCombo")  # focus ring from EDITOR_STYLE_SHEET
        self.voice.setAccessibleName(self.tr("Whose voice"))
        for v in Voice:
            self.voice.addItem(voice_label(v), v.value)
        self.voice.activated.connect(self._voice_changed)
        self.voice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.voice.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

        self.delete_button = QToolButton(self)
        self.delete_button.setObjectName("plainButton")  # focus ring from EDITOR_STYLE_SHEET
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete this observation"))
        self.delete_button.setToolTip(self.tr("Delete this observation and its photos (Undo brings it back)"))
        self.delete_button.clicked.connect(self._delete)

        self.history_act = make_history_command(
            self, self.tr("Who changed this observation and its photos, and when (%1)"))
        self.history_act.triggered.connect(self.show_history)
        self.note.extra_actions.append(self.history_act)

        self.photos = PhotoStrip(open_walkthrough.photo_thumbnail, self, open_walkthrough.thumbnail_pixmaps)
        self.photos.add_requested.connect(lambda: self.observation_id and self.photos_wanted.emit(self.observation_id))
        self.photos.paste_requested.connect(lambda: self.observation_id and self.paste_wanted.emit(self.observation_id))
        self.photos.camera_requested.connect(
            lambda: self.observation_id and self.camera_wanted.emit(self.observation_id)
        )
        self.photos.files_dropped.connect(
            lambda paths: self.observation_id and self.files_dropped.emit(self.observation_id, paths)
        )
        self.photos.photo_activated.connect(lambda pid: self.photo_opened.emit(self.observation_id or "", pid))

        #: Shown when two people changed this observation apart and a person has yet to choose.
        self.differences_label = QLabel(self)
        self.differences_label.setWordWrap(True)
        self.differences_label.setVisible(False)
        open_walkthrough.differences_changed.connect(self._show_differences)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.differences_label)
        layout.addWidget(self.ratings)
        layout.addWidget(self.note)
        # Principles on a line of their own, so large text never needs a
        # horizontal scroll bar at 1366 px.
        principles_row = QHBoxLayout()
        principles_row.addWidget(QLabel(self.tr("Principles:"), self))
        principles_row.addWidget(self.principles, 1)
        layout.addLayout(principles_row)
        # Voice, photos and Delete wrap onto more lines rather than widen the
        # observation (2x text at 1366 px leaves the page about 430 px).
        voice_label_widget = QLabel(self.tr("Voice:"), self)
        voice_label_widget.setBuddy(self.voice)
        row = FlowLayout(spacing=6)
        row.add_widget(voice_label_widget)
        row.add_widget(self.voice)
        row.add_widget(self.photos, 1)
        row.add_widget(self.delete_button, right=True)
        layout.addLayout(row)
        self._apply_read_only()
        self.bind(observation_id)

    def _apply_read_only(self) -> None:
        """Opened read-only: every control that changes something is off; the note stays selectable."""
        writable = not self.read_only
        for control in (self.ratings, self.principles, self.voice, self.delete_button):
            control.setEnabled(writable)
        self.photos.set_read_only(self.read_only)

    def set_position(self, position: int) -> None:
        """Name the editor for screen readers after its place: "Observation 2 of “Is it clear where to go?”"."""
        if position == self._position:
            return
        self._position = position
        prompt = self._wt.lens.prompt(self.prompt_id) if self.prompt_id else None
        if prompt is not None:
            name = self.tr("Observation %1 of “%2”").replace("%1", str(position)).replace("%2", prompt.question)
        else:
            area = self._wt.lens.area(self.area_id)
            name = self.tr("Other observation %1 in %2").replace("%1", str(position)).replace(
                "%2", area.title if area else self.area_id)
        self.setAccessibleName(name)

    def _show_differences(self) -> None:
        count = self._wt.differences_of(self.observation_id) if self.observation_id else 0
        if count:
            self.differences_label.setText(self.tr(
                "%n difference(s) to decide here: two people changed this apart. "
                "Edit → Differences to decide… shows both.", "", count))
        self.differences_label.setVisible(bool(count))

    def tab_stops(self) -> list[QWidget]:
        """The controls Tab visits, in reading order (hidden or disabled ones are left to the caller)."""
        rating = self.ratings.tab_stop()
        return [self, *([rating] if rating else []), self.note, *self.principles.tab_stops(), self.voice,
                *self.photos.tab_stops(), self.delete_button]

    @property
    def read_only(self) -> bool:
        """True when the walkthrough was opened for viewing only."""
        return self._wt.read_only

    # -- state ---------------------------------------------------------------------------

    @property
    def is_blank(self) -> bool:
        """True until the observation exists (a rating was chosen or a note written)."""
        return self.observation_id is None

    @property
    def has_pending_note(self) -> bool:
        """True while typed text waits to be saved."""
        return self._note_timer.isActive()

    def bind(self, observation_id: str | None) -> None:
        """Show the stored observation ``observation_id`` (None: blank)."""
        self.observation_id = observation_id
        self.refresh()

    def refresh(self) -> None:
        """Show the stored state (keeps text the user is still typing)."""
        record = self._wt.observation(self.observation_id) if self.observation_id else None
        blank = record is None
        self.note.setReadOnly(self.read_only)
        if self.read_only:
            # Read, not written: the text can still be selected with the keyboard and copied.
            self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                              | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        # A blank observation stays compact; a recorded one has room to write.
        lines = 2 if blank else 4
        self.note.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.note.setMaximumHeight(self.fontMetrics().lineSpacing() * (lines if blank else 10) + 12)
        if self.read_only:
            placeholder = self.tr("Nothing recorded here") if blank else self.tr("No note")
        elif blank:
            placeholder = self.tr("Write what you noticed; rate it now or later")
        else:
            placeholder = self.tr("What did you notice? Whose words? What would help?")
        self.note.setPlaceholderText(placeholder)
        self.delete_button.setVisible(not blank)
        self.photos.setVisible(not blank)
        self.history_act.setEnabled(not blank)
        self._show_differences()
        if record is None:
            self.ratings.set_rating(None)
            self.ratings.show_not_rated(False)
            self._describe(None)
            return
        self.ratings.set_rating(record.rating_id)
        self.ratings.show_not_rated(record.rating_id is None)
        self._describe(record.rating_id)
        if not self.has_pending_note and self.note.toPlainText() != record.note:
            # (An undo or redo: shown, never saved again as a new edit.)
            self.note.blockSignals(True)
            self.note.setPlainText(record.note)
            if self.note.hasFocus():
                self.note.moveCursor(QTextCursor.MoveOperation.End)
            self.note.blockSignals(False)
        self.principles.set_selected(record.principle_ids)
        self.voice.setCurrentIndex(self.voice.findData(record.voice.value))
        self.photos.set_photos(record.photos)

    def _describe(self, rating_id: str | None) -> None:
        """Tell screen readers the rating in words, and what keys do here."""
        rating = self._wt.lens.rating(rating_id) if rating_id else None
        if self.read_only:
            text = (self.tr("Rated: %1.").replace("%1", rating.label) if rating
                    else self.tr("Nothing recorded here."))
        elif self.observation_id is None:
            text = self.tr("Not recorded yet. Type to write a note; keys 1 to 4 choose a rating.")
        elif rating is None:
            text = self.tr("%1. Keys 1 to 4 choose a rating; Ctrl+V adds a copied picture.").replace(
                "%1", not_rated_label())
        else:
            text = self.tr("Rated: %1. Keys 1 to 4 change the rating, 0 or choosing it again clears it; "
                           "Ctrl+V adds a copied picture.").replace("%1", rating.label)
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)

    def flush(self) -> None:
        """Save a note that is still waiting for its delay, now."""
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._save_note()

    def _save_note(self) -> None:
        if self.observation_id:
            self._wt.edit_observation(self.observation_id, note=self.note.toPlainText())
        elif self.note.toPlainText() and not self.read_only:
            # Written before any rating: recorded as not rated yet, every character kept.
            self._add(rating_id=None)

    def _add(self, rating_id: str | None) -> None:
        """Record this blank observation with ``rating_id`` (None: not rated yet) and the note so far."""
        self._note_timer.stop()
        self._wt.add_observation(
            NewObservation(
                area_id=self.area_id,
                rating_id=rating_id,
                prompt_id=self.prompt_id,
                principle_ids=self.principles.selected(),
                note=self.note.toPlainText(),
                voice=Voice(self.voice.currentData()),
            )
        )

    # -- user actions -------------------------------------------------------------------

    def rate(self, rating_id: str | None) -> None:
        """Choose a rating, as a click or key would (None: back to not rated yet)."""
        self._rate(rating_id)

    def _rate(self, rating_id: str | None) -> None:
        if self.observation_id is None:
            if rating_id is None:
                return
            self._add(rating_id)
            # The card binds this editor to the new observation when the
            # walkthrough reports it (see PromptCard.sync).
            if self.observation_id is None:
                self.refresh()
            else:
                self.note.setFocus()
        else:
            self.flush()
            self._wt.edit_observation(self.observation_id, rating_id=rating_id)
            # Also when nothing changed or it failed: the buttons show what is stored.
            self.refresh()

    def _note_typed(self) -> None:
        if self.observation_id or self.note.toPlainText():
            self._note_timer.start()

    def _principles_changed(self, principle_ids: tuple[str, ...]) -> None:
        if self.observation_id:
            self._wt.edit_observation(self.observation_id, principle_ids=principle_ids)

    def _voice_changed(self, _index: int) -> None:
        if self.observation_id:
            self._wt.edit_observation(self.observation_id, voice=Voice(self.voice.currentData()))

    def show_history(self) -> None:
        """Open the observation's history (its photos' changes too); nothing while it is blank."""
        if self.observation_id is None:
            return
        self.flush()  # the note as typed is part of the history
        HistoryDialog.show_for(self.window(), self._wt, self.observation_id)

    def context_menu(self) -> QMenu:
        """The observation's own menu (right-click, the Menu key or Shift+F10 on it)."""
        menu = QMenu(self)
        menu.addAction(self.history_act)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _delete(self) -> None:
        if self.observation_id:
            self._note_timer.stop()
            self._wt.delete_observation(self.observation_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys reach here only when focus is not in the note (it takes them);
        # a digit typed into any text field is text, never a rating.
        if self.read_only or is_text_field(QApplication.focusWidget()):
            super().keyPressEvent(event)  # no pasting or rating keys; Tab and the rest as usual
            return
        if event.matches(QKeySequence.StandardKey.Paste) and self.observation_id:
            self.paste_wanted.emit(self.observation_id)
            event.accept()
            return
        text = event.text()
        if text.isdigit() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            rating = self._wt.lens.rating_at(int(text))
            rating_id = rating.id if rating else None
            if rating_id or (text == "0" and self.observation_id):
                self._rate(rating_id)  # 0: back to not rated yet
                event.accept()
                return
        typing = text and text.isprintable() and not text.isspace() and not (
            event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                 | Qt.KeyboardModifier.MetaModifier))
        if typing and not self.note.isReadOnly():
            # Typing on the observation (just rated by key, say) goes into its note: never lost.
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
            self.note.moveCursor(QTextCursor.MoveOperation.End)
            self.note.insertPlainText(text)
            event.accept()
            return
        super().keyPressEvent(event)
