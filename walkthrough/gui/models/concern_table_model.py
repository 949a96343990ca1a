"""Two walks' priority concerns as a Qt table: Area, Prompt, Now (resolved, persisting, new…), Actions."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.comparison import Comparison, ConcernComparison
from walkthrough.gui.wording import concern_status_label, status_label

_Index = QModelIndex | QPersistentModelIndex


class ConcernColumn(enum.IntEnum):
    AREA = 0
    PROMPT = 1
    STATUS = 2
    ACTIONS = 3


class ConcernTableModel(QAbstractTableModel):
    """:attr:`Comparison.concerns`, with the actions linked to each and where each stands.  Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConcernComparison] = []
        self._base_id = ""

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._rows = list(comparison.concerns) if comparison is not None else []
        self._base_id = comparison.base.walkthrough.id if comparison is not None else ""
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ConcernColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return None
        concern = self._rows[index.row()]
        column = ConcernColumn(index.column())
        if column == ConcernColumn.AREA:
            return concern.prompt.area_title
        if column == ConcernColumn.PROMPT:
            return concern.prompt.question
        if column == ConcernColumn.STATUS:
            return concern_status_label(concern.status)
        if not concern.actions:
            return self.tr("No action linked")
        earlier = self.tr("%1 (%2; earlier walk's plan)")  # an action's text (its status; whose plan)
        this = self.tr("%1 (%2; this walk's plan)")
        return "\n".join((earlier if a.walkthrough_id == self._base_id else this)
                         .replace("%1", " ".join(a.text.split())).replace("%2", status_label(a.status))
                         for a in concern.actions)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ConcernColumn):
            return None
        return {
            ConcernColumn.AREA: self.tr("Area"),
            ConcernColumn.PROMPT: self.tr("Priority concern"),
            ConcernColumn.STATUS: self.tr("Now"),
            ConcernColumn.ACTIONS: self.tr("Actions and their status"),
        }[ConcernColumn(section)]
