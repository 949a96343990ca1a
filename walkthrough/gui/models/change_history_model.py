"""One observation's or action's change history as a Qt table: When, Who, What, newest first."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.changes import Change
from walkthrough.domain.lens import Lens
from walkthrough.domain.change_summary import summarise_history
from walkthrough.gui.change_wording import ChangeWords, describe, when_text, who_text

_Index = QModelIndex | QPersistentModelIndex


class HistoryColumn(enum.IntEnum):
    """The model's columns, in display order."""

    WHEN = 0
    WHO = 1
    WHAT = 2


class ChangeHistoryModel(QAbstractTableModel):
    """Recorded changes (newest first, as :func:`~walkthrough.services.history.list_history` gives them).

    Read-only.  The tooltip holds what a cell shortens: the long date and
    time, the whole note or caption.  :attr:`ChangeRole` gives the
    :class:`~walkthrough.domain.changes.Change` of a row.
    """

    ChangeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, lens: Lens, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lens = lens
        self._changes: list[Change] = []
        self._rows: list[tuple[str, str, str, ChangeWords]] = []

    def set_changes(self, changes: Sequence[Change], findings: Mapping[str, str] | None = None) -> None:
        """Show these changes; ``findings`` words the observations an action links to, by id."""
        self.beginResetModel()
        self._changes = list(changes)
        # Worded once: the view asks for each cell many times.  Summed up together: a change is named
        # by the title its thing had then, and a set shows the value it replaced.
        self._rows = [(when_text(s.change), when_text(s.change, long=True), who_text(s.change), describe(s, findings))
                      for s in summarise_history(self._changes, self._lens)]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HistoryColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        when, when_long, who, what = self._rows[index.row()]
        column = HistoryColumn(index.column())
        if role == self.ChangeRole:
            return self._changes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return {HistoryColumn.WHEN: when, HistoryColumn.WHO: who, HistoryColumn.WHAT: what.text}[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {HistoryColumn.WHEN: when_long, HistoryColumn.WHO: who, HistoryColumn.WHAT: what.full}[column]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == HistoryColumn.WHEN:
            return self.tr("When")
        if section == HistoryColumn.WHO:
            return self.tr("Who")
        if section == HistoryColumn.WHAT:
            return self.tr("What")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
