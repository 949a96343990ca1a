"""Differences to decide: two people changed the same thing without seeing each other's change.

One difference at a time, its values side by side, each with the laptop,
the person and the time; notes in full, the words that differ marked.  A
person keeps one value, writes a new one (for text), or — when one laptop
deleted a thing another changed — keeps it or deletes it.  The decision is
a change like any other (:mod:`walkthrough.services.differences`): it
settles the difference on every laptop that receives it.  The list of
open differences is a model (:class:`DifferenceListModel`) beside the view.
"""

from __future__ import annotations

import difflib
import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.errors import WalkthroughError
from walkthrough.domain.lens import Lens
from walkthrough.gui.error_wording import describe
from walkthrough.gui.models.difference_list_model import DifferenceListModel
from walkthrough.gui.widgets.screen_fit import ScrollingBody, fit_to_screen
from walkthrough.gui.wording import local_time_text, rating_text, voice_label
from walkthrough.services.differences import Candidate, OpenDifference
from walkthrough.storage.database import Database

#: Fields a person may settle by writing a new value (text, as typed).
TEXT_FIELDS = frozenset({"note", "text", "owner", "caption", "alt_text", "service", "site"})
_MARK = "background-color: #fde68a; color: #1f2937;"


def marked_words(text: str, other: str) -> str:
    """``text`` as HTML with the words ``other`` does not have marked (difflib on words), line breaks kept."""
    mine, theirs = text.split(" "), other.split(" ")
    out: list[str] = []
    anchored = False
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(a=theirs, b=mine, autojunk=False).get_opcodes():
        words = html.escape(" ".join(mine[j1:j2]))
        if not words:
            continue
        if tag == "equal":
            out.append(words)
        else:
            out.append(("" if anchored else '<a name="difference"></a>') + f'<span style="{_MARK}">{words}</span>')
            anchored = True
    return " ".join(out).replace("\n", "<br>")


class DifferencesDialog(QDialog):
    """The open differences of one walkthrough, decided one at a time.

    Signals:
        decided(entity_id): a difference was decided (the walkthrough changed).
    """

    decided = Signal(str)

    def __init__(self, db: Database, walkthrough_id: str, lens: Lens, parent: QWidget | None = None,
                 open_walkthrough: Any = None) -> None:
        super().__init__(parent)
        self.db, self.walkthrough_id, self.lens = db, walkthrough_id, lens
        self._ow = open_walkthrough
        self.setWindowTitle(self.tr("Differences to decide"))
        self.model = DifferenceListModel(self.describe, self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)
        self.list.setAccessibleName(self.tr("Differences to decide"))
        self.list.selectionModel().currentChanged.connect(lambda current, _previous: self._show(current.row()))

        detail = QWidget(self)
        self.where = QLabel(detail)
        self.where.setWordWrap(True)
        font = self.where.font()
        font.setBold(True)
        self.where.setFont(font)
        self.question = QLabel(detail)
        self.question.setWordWrap(True)
        self.values = QGridLayout()
        self.values.setHorizontalSpacing(12)
        self.write_button = QPushButton(self.tr("&Write a new value…"), detail)
        self.write_button.clicked.connect(self.write_new_value)
        self.position = QLabel(detail)
        below = QHBoxLayout()
        below.addWidget(self.position, 1)
        below.addWidget(self.write_button)
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.where)
        column.addWidget(self.question)
        column.addLayout(self.values, 1)
        column.addLayout(below)
        self.empty = QLabel(self.tr("Nothing to decide: every difference has been decided."), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.list)
        # In a scroll area: with large text on a small screen the values scroll rather than being squeezed.
        self.splitter.addWidget(ScrollingBody(detail, self))
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        line = self.fontMetrics().height()
        screen = self.screen()
        if screen is not None and screen.availableGeometry().width() < line * 50:
            # Too narrow for the list beside the values (a projector with large text): the list goes above.
            self.splitter.setOrientation(Qt.Orientation.Vertical)
            self.splitter.setSizes([line * 4, line * 20])
        else:
            self.splitter.setSizes([line * 14, line * 46])
        self.detail = detail
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self.keep_buttons: list[QPushButton] = []
        self._panels: list[QWidget] = []
        self.refresh()
        fit_to_screen(self, self._preferred())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.list.setFocus()  # Up and Down go from one to the next; Alt+1, Alt+2 keep a value

    def _preferred(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 64, line * 38)

    # -- reading ----------------------------------------------------------------------------

    def refresh(self, keep_row: int = 0) -> None:
        """Read the open differences again and show the one at ``keep_row`` (or the last)."""
        from walkthrough.services.differences import list_differences

        try:
            rows = list_differences(self.db, self.walkthrough_id)
        except WalkthroughError as exc:
            QMessageBox.warning(self, self.tr("Differences to decide"), describe(exc))
            rows = []
        self.model.set_differences(rows)
        self.splitter.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows:
            row = min(keep_row, len(rows) - 1)
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)  # shows it

    def current(self) -> OpenDifference | None:
        """The difference on show."""
        row = self.list.currentIndex().row()
        return self.model.difference(row) if 0 <= row < self.model.rowCount() else None

    def describe(self, difference: OpenDifference) -> str:
        """What the difference is about, in a few words: where, and which field."""
        return f"{self._thing(difference)} · {self._field(difference)}"

    def _thing(self, difference: OpenDifference) -> str:
        if difference.entity is Entity.OBSERVATION:
            record = self._ow.observation(difference.entity_id) if self._ow is not None else None
            if record is None:
                return self.tr("An observation")
            area = self.lens.area(record.area_id)
            prompt = self.lens.prompt(record.prompt_id) if record.prompt_id else None
            where = area.title if area else record.area_id
            return f"{where} — {prompt.question}" if prompt else where
        if difference.entity is Entity.ACTION:
            action = next((a for a in self._ow.actions() if a.id == difference.entity_id), None) \
                if self._ow is not None else None
            return self.tr("Action: %1").replace("%1", action.text) if action else self.tr("An action")
        if difference.entity is Entity.PHOTO:
            return self.tr("A photo")
        return self.tr("The walkthrough's details")

    def _field(self, difference: OpenDifference) -> str:
        words = {
            "note": self.tr("note"), "rating_id": self.tr("rating"), "voice": self.tr("whose view"),
            "caption": self.tr("caption"), "alt_text": self.tr("alt text"), "text": self.tr("wording"), "owner": self.tr("owner"),
            "due_date": self.tr("due date"), "priority": self.tr("priority"), "status": self.tr("status"),
            "component_id": self.tr("core component"), "service": self.tr("service"), "site": self.tr("site"),
            "visit_date": self.tr("date"),
        }
        if difference.about_keeping:
            return self.tr("kept or deleted")
        return words.get(difference.field, difference.field.replace("_", " "))

    def _question(self, difference: OpenDifference) -> str:
        if difference.about_keeping:
            return self.tr("One person deleted this while another changed it. Should it stay in the walkthrough?")
        two = len(difference.candidates) == 2
        if difference.field == "rating_id":
            return self.tr("Two people recorded different ratings here. Which should the report use?") if two else \
                self.tr("Several people recorded different ratings here. Which should the report use?")
        if difference.field == "note":
            return self.tr("Two people wrote different notes here. Which should the report use?") if two else \
                self.tr("Several people wrote different notes here. Which should the report use?")
        return self.tr("Two people changed this in different ways. Which should be kept?") if two else \
            self.tr("Several people changed this in different ways. Which should be kept?")

    def shown_value(self, difference: OpenDifference, candidate: Candidate) -> str:
        """A value as the window shows it (plain text)."""
        value = candidate.value
        if difference.about_keeping:
            if candidate.change.kind is ChangeKind.DELETE:
                return self.tr("Deleted it.")
            record = self._ow.observation(difference.entity_id) \
                if self._ow is not None and difference.entity is Entity.OBSERVATION else None
            if record is not None and record.note:
                return self.tr("Changed it, and kept it. As it is now:") + "\n\n" + record.note
            return self.tr("Changed it, and kept it.")
        if difference.field == "rating_id":
            return rating_text(self.lens.rating(value) if value else None)
        if difference.field == "voice" and value:
            return voice_label(value)
        if difference.field == "component_id" and value:
            component = self.lens.component(value)
            return component.title if component is not None else str(value)
        if value is None or value == "":
            return self.tr("(empty)")
        return str(value)

    # -- showing one -------------------------------------------------------------------------

    def _show(self, row: int) -> None:
        for panel in self._panels:
            self.values.removeWidget(panel)
            panel.hide()  # at once: deleted later, it would linger in a corner meanwhile
            panel.deleteLater()
        self._panels, self.keep_buttons = [], []
        if not 0 <= row < self.model.rowCount():
            return
        difference = self.model.difference(row)
        self.where.setText(self.describe(difference))
        self.question.setText(self._question(difference))
        self.position.setText(self.tr("%1 of %2").replace("%1", str(row + 1)).replace(
            "%2", str(self.model.rowCount())))
        texts = [self.shown_value(difference, c) for c in difference.candidates]
        wordy = not difference.about_keeping and difference.field in TEXT_FIELDS
        read_only = self.db.read_only
        for n, candidate in enumerate(difference.candidates):
            panel = QFrame(self.detail)
            panel.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(panel)
            who = candidate.device_name + (f" ({candidate.person})" if candidate.person else "")
            when = local_time_text(candidate.change.time)
            header = QLabel(self.tr("%1, %2").replace("%1", who).replace("%2", when), panel)
            header.setWordWrap(True)
            shown = QTextBrowser(panel)
            shown.setMinimumHeight(self.fontMetrics().height() * 5)
            shown.setAccessibleName(self.tr("Value %1 of %2").replace("%1", str(n + 1)).replace("%2", who))
            if wordy and len(texts) > 1:
                other = texts[1] if n == 0 else texts[0]
                shown.setHtml(marked_words(texts[n], other))
                # Long notes differ near their end as often as not: show the first marked words.
                QTimer.singleShot(0, shown, lambda view=shown: view.scrollToAnchor("difference"))
            else:
                shown.setPlainText(texts[n])
            shown.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            if difference.about_keeping:
                deleting = candidate.change.kind is ChangeKind.DELETE
                keep = QPushButton(self.tr("&Delete it") if deleting else self.tr("&Keep it"), panel)
            else:
                keep = QPushButton(self.tr("&%1 Keep this").replace("%1", str(n + 1)) if n < 9
                                   else self.tr("Keep this"), panel)
            keep.setAccessibleName(keep.text().replace("&", "") + " — " + who)
            keep.setEnabled(not read_only)
            keep.clicked.connect(lambda _checked=False, number=n + 1: self.keep(number))
            inner.addWidget(header)
            inner.addWidget(shown, 1)
            inner.addWidget(keep)
            self.values.addWidget(panel, 0, n)
            self._panels.append(panel)
            self.keep_buttons.append(keep)
        self.write_button.setVisible(wordy)
        self.write_button.setEnabled(not read_only)
        if self.keep_buttons and not read_only:
            self.keep_buttons[0].setDefault(False)

    # -- deciding ----------------------------------------------------------------------------

    def keep(self, number: int) -> bool:
        """Keep value ``number`` (1-based) of the difference on show; the next one shows."""
        from walkthrough.services.differences import decide

        difference = self.current()
        if difference is None:
            return False
        return self._settle(difference, lambda: decide(self.db, difference, keep=number))

    def write_new_value(self, text: str | None = None) -> bool:
        """Settle the difference on show with a value the person writes (asked for unless given)."""
        from walkthrough.services.differences import settle_with_value

        difference = self.current()
        if difference is None or difference.about_keeping or difference.field not in TEXT_FIELDS:
            return False
        if text is None:
            start = self.shown_value(difference, difference.candidates[0]) if difference.candidates[0].value else ""
            if difference.field == "note":
                text, ok = QInputDialog.getMultiLineText(self, self.tr("Write a new value"),
                                                         self.tr("The note the report should use:"), start)
            else:
                text, ok = QInputDialog.getText(self, self.tr("Write a new value"), self.tr("The value to keep:"),
                                                QLineEdit.EchoMode.Normal, start)
            if not ok:
                return False
        return self._settle(difference, lambda: settle_with_value(self.db, difference, text))

    def _settle(self, difference: OpenDifference, work: Any) -> bool:
        row = self.list.currentIndex().row()
        try:
            work()
        except WalkthroughError as exc:
            QMessageBox.warning(self, self.tr("Not decided"), describe(exc))
            return False
        self.decided.emit(difference.entity_id)
        self.refresh(keep_row=row)
        return True

    @classmethod
    def show_for(cls, db: Database, walkthrough_id: str, lens: Lens, parent: QWidget | None,
                 open_walkthrough: Any = None) -> DifferencesDialog:
        """Make the dialog (modal over ``parent``), show it and return it."""
        dialog = cls(db, walkthrough_id, lens, parent, open_walkthrough)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.show()
        return dialog
