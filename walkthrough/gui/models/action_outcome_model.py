"""The earlier plan's actions set against the change seen, as a Qt table: Action, Status, Answers, Outcome."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.comparison import ActionOutcome, ActionResult, Comparison
from walkthrough.gui.wording import action_outcome_label, status_label

_Index = QModelIndex | QPersistentModelIndex


class OutcomeColumn(enum.IntEnum):
    ACTION = 0
    STATUS = 1
    ANSWERS = 2
    OUTCOME = 3


class ActionOutcomeModel(QAbstractTableModel):
    """:attr:`Comparison.actions`.  Read-only; "done, no improvement seen" is shown as something to learn from."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionResult] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._rows = list(comparison.actions) if comparison is not None else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(OutcomeColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        result = self._rows[index.row()]
        column = OutcomeColumn(index.column())
        learn = column == OutcomeColumn.OUTCOME and result.outcome is ActionOutcome.NOT_IMPROVED
        if role == Qt.ItemDataRole.ToolTipRole and learn:
            return self.tr("Not a failure: ask what was learnt, and whether the change needs more time, "
                           "another approach or a different measure.")
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == OutcomeColumn.ACTION:
            return " ".join(result.action.text.split())
        if column == OutcomeColumn.STATUS:
            return status_label(result.action.status)
        if column == OutcomeColumn.ANSWERS:
            return "\n".join(p.question for p in result.prompts)
        return action_outcome_label(result.outcome)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(OutcomeColumn):
            return None
        return {
            OutcomeColumn.ACTION: self.tr("Action"),
            OutcomeColumn.STATUS: self.tr("Status"),
            OutcomeColumn.ANSWERS: self.tr("Answers"),
            OutcomeColumn.OUTCOME: self.tr("Against the change seen"),
        }[OutcomeColumn(section)]
