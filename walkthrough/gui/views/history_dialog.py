"""The history of one observation (with its photos) or one improvement action: who changed what, when."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.change_summary import shorten
from walkthrough.gui.models.change_history_model import ChangeHistoryModel, HistoryColumn
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.widgets.screen_fit import fit_to_screen

#: Shows the history of the observation or action the keyboard is on (Walk, Review, Plan).
HISTORY_SHORTCUT = "Ctrl+Shift+H"

#: The least width of the What column, in average characters (the rest wraps).
WHAT_LEAST_CHARS = 18


def make_history_command(owner: QWidget, tip: str) -> QAction:
    """A "History…" command of ``owner``: Ctrl+Shift+H while the keyboard is in it; ``tip`` with %1 the key."""
    command = QAction(QCoreApplication.translate("HistoryDialog", "&History…"), owner)
    command.setShortcut(QKeySequence(HISTORY_SHORTCUT))
    # Only the widget holding the keyboard answers (each observation on the Walk page has one).
    command.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    tip = tip.replace("%1", QKeySequence(HISTORY_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText))
    command.setToolTip(tip)
    command.setStatusTip(tip)
    owner.addAction(command)
    return command


class HistoryDialog(QDialog):
    """Every recorded change of one observation (its photos' too) or one action, newest first.

    For reading only: the list takes the keyboard when it opens (arrows go
    from change to change, the tooltip has a shortened value whole), Esc or
    Close shuts it.  Open it with :meth:`show_for`.
    """

    def __init__(self, open_walkthrough: OpenWalkthrough, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity_id = entity_id
        self.setWindowTitle(self.tr("History"))
        self.setObjectName("historyDialog")
        self.heading = QLabel(self._heading(open_walkthrough, entity_id), self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.hint = QLabel(self.tr("Newest first. What was deleted is not kept: its changes say “(content erased)”."),
                           self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.setStyleSheet("QLabel#hint { color: palette(placeholder-text); }")

        self.model = ChangeHistoryModel(open_walkthrough.lens, self)
        is_observation = open_walkthrough.observation(entity_id) is not None
        self.model.set_changes(open_walkthrough.history(entity_id),
                               None if is_observation else _findings(open_walkthrough))
        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(self.tr("Changes, newest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab goes on to Close (arrows move within the list) instead of walking its cells.
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        # A short list: each row as tall as its wrapped words.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.viewport().installEventFilter(self)

        self.empty_label = QLabel(self.tr("No changes recorded."), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.buttons)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, HistoryColumn.WHAT))
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus(Qt.FocusReason.OtherFocusReason)
        char = self.fontMetrics().averageCharWidth()
        line = self.fontMetrics().lineSpacing()
        # Wide enough for a date, a name and a sentence; as tall as the changes (within the screen).
        rows = min(max(self.model.rowCount(), 4), 16)
        fit_to_screen(self, QSize(char * 110, line * (rows * 2 + 10)))

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def show_for(cls, parent: QWidget, open_walkthrough: OpenWalkthrough, entity_id: str) -> HistoryDialog:
        """Open the history of an observation or action over ``parent`` (window-modal, not waiting)."""
        dialog = cls(open_walkthrough, entity_id, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- layout -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """When and Who as wide as their words (Who at most about 32 characters); What gets the rest.

        Not QHeaderView's Stretch: with large text on a small screen that
        squeezes What to nothing; here What keeps a few words' width and the
        list scrolls sideways only when even that does not fit.
        """
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        widths = {}
        for column in (HistoryColumn.WHEN, HistoryColumn.WHO):
            widths[column] = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
        widths[HistoryColumn.WHO] = min(widths[HistoryColumn.WHO], char * 32)
        room = self.table.viewport().width() - sum(widths.values())
        if room < char * WHAT_LEAST_CHARS:
            # Small screen, large text: the name gives way first, then the rest scrolls.
            widths[HistoryColumn.WHO] = max(char * 10, widths[HistoryColumn.WHO] - (char * WHAT_LEAST_CHARS - room))
            room = self.table.viewport().width() - sum(widths.values())
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.resizeSection(HistoryColumn.WHAT, max(room, char * WHAT_LEAST_CHARS))

    # -- words --------------------------------------------------------------------------

    def _heading(self, open_walkthrough: OpenWalkthrough, entity_id: str) -> str:
        lens = open_walkthrough.lens
        observation = open_walkthrough.observation(entity_id)
        if observation is not None:
            prompt = lens.prompt(observation.prompt_id) if observation.prompt_id else None
            area = lens.area(observation.area_id)
            where = prompt.question if prompt else (area.title if area else observation.area_id)
            if observation.note:
                return self.tr("Observation: %1 — “%2”").replace("%1", where).replace("%2", shorten(observation.note))
            return self.tr("Observation: %1").replace("%1", where)
        action = next((a for a in open_walkthrough.actions() if a.id == entity_id), None)
        if action is not None:
            return self.tr("Action: %1").replace("%1", shorten(action.text, 80))
        return self.tr("History")


def _findings(open_walkthrough: OpenWalkthrough) -> dict[str, str]:
    """Words for each observation an action may link to: its note, else its prompt's question."""
    lens = open_walkthrough.lens
    words: dict[str, str] = {}
    for observation in open_walkthrough.observations():
        prompt = lens.prompt(observation.prompt_id) if observation.prompt_id else None
        area = lens.area(observation.area_id)
        words[observation.id] = observation.note or (prompt.question if prompt else (area.title if area else ""))
    return words
