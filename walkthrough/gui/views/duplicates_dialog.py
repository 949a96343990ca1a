"""Possible duplicates, one pair at a time: merge them into one, or leave them be.

Two laptops of the team may have recorded the same prompt with much the same
note (:mod:`walkthrough.domain.duplicates`).  This dialog shows each such
pair side by side, with who recorded each, and merges them only when the
person says so (one undoable step: Ctrl+Z brings both back).  Reached from
Review's "Possible duplicates…" button.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.duplicates import PossibleDuplicate
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.services.recorders import RecordingDevice


class DuplicatesDialog(QDialog):
    """The open walkthrough's possible duplicates; each merged, or skipped, by the person."""

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        self.setWindowTitle(self.tr("Possible duplicates"))
        self._skipped: set[tuple[str, str]] = set()
        self.pairs: list[PossibleDuplicate] = []
        self._recorders: dict[str, RecordingDevice] = {}

        self.where = QLabel(self)
        self.where.setWordWrap(True)
        font = self.where.font()
        font.setBold(True)
        self.where.setFont(font)
        self.question = QLabel(self.tr("Two people may have recorded the same thing here. Merge them into one "
                                       "observation? Both notes are kept, each with its author, and the photos "
                                       "and principles of both."), self)
        self.question.setWordWrap(True)
        self.authors = [QLabel(self), QLabel(self)]
        self.notes = [QPlainTextEdit(self), QPlainTextEdit(self)]
        grid = QGridLayout()
        for column, (author, note) in enumerate(zip(self.authors, self.notes)):
            note.setReadOnly(True)
            note.setAccessibleName(self.tr("Note %1").replace("%1", str(column + 1)))
            author.setWordWrap(True)
            grid.addWidget(author, 0, column)
            grid.addWidget(note, 1, column)
        self.empty = QLabel(self.tr("No possible duplicates: no two laptops recorded alike notes at one prompt."),
                            self)
        self.empty.setWordWrap(True)
        self.merge_button = QPushButton(self.tr("&Merge into one"), self)
        self.skip_button = QPushButton(self.tr("&Not the same"), self)
        self.skip_button.setToolTip(self.tr("Leave these two as they are and show the next pair"))
        self.merge_button.clicked.connect(self.merge)
        self.skip_button.clicked.connect(self.skip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.where)
        body.addWidget(self.question)
        body.addLayout(grid, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.refresh()
        line = self.fontMetrics().height()
        fit_to_screen(self, QSize(line * 44, line * 22))

    def current(self) -> PossibleDuplicate | None:
        """The pair shown, or None."""
        return self.pairs[0] if self.pairs else None

    def refresh(self) -> None:
        """Read the pairs again (skipped ones stay out) and show the first."""
        self._recorders = self._wt.recorded_by()
        self.pairs = [p for p in self._wt.possible_duplicates() if (p.first_id, p.second_id) not in self._skipped]
        pair = self.current()
        self.body.setVisible(pair is not None)
        self.empty.setVisible(pair is None)
        self.merge_button.setEnabled(pair is not None and not self._wt.read_only)
        self.skip_button.setEnabled(pair is not None)
        if pair is None:
            return
        first, second = self._wt.observation(pair.first_id), self._wt.observation(pair.second_id)
        if first is None or second is None:
            return
        area = self._wt.lens.area(first.area_id)
        prompt = self._wt.lens.prompt(first.prompt_id) if first.prompt_id else None
        parts = (area.title if area else "", prompt.question if prompt else "")
        self.where.setText(" — ".join(t for t in parts if t))
        for author, note, o in zip(self.authors, self.notes, (first, second)):
            device = self._recorders.get(o.id)
            who = (device.person or device.name) if device is not None else ""
            photos = self.tr("%n photo(s)", "", len(o.photos))
            author.setText(self.tr("%1, %2").replace("%1", who).replace("%2", photos) if who else photos)
            note.setPlainText(o.note)

    def merge(self) -> None:
        """Merge the pair shown (one undoable step), then show the next."""
        pair = self.current()
        if pair is not None:
            self._wt.merge_duplicates(pair.first_id, pair.second_id)
        self.refresh()

    def skip(self) -> None:
        """Leave the pair shown as it is (while the dialog is open) and show the next."""
        pair = self.current()
        if pair is not None:
            self._skipped.add((pair.first_id, pair.second_id))
        self.refresh()

    @classmethod
    def ask(cls, open_walkthrough: OpenWalkthrough, parent: QWidget | None) -> None:
        """Show the pairs until the person closes the dialog."""
        dialog = cls(open_walkthrough, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
