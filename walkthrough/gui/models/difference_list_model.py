"""The open differences to decide of one walkthrough, as a list: what each is about, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from walkthrough.services.differences import OpenDifference

#: The difference itself (an :class:`OpenDifference`), for the view beside the list.
DifferenceRole = Qt.ItemDataRole.UserRole + 1


class DifferenceListModel(QAbstractListModel):
    """One row per open difference; ``describe`` words what it is about (the dialog knows the lens)."""

    def __init__(self, describe: Callable[[OpenDifference], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._describe = describe
        self._rows: list[OpenDifference] = []

    def set_differences(self, rows: list[OpenDifference]) -> None:
        """Show these differences (the list read again after a decision)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def difference(self, row: int) -> OpenDifference:
        """The difference on ``row``."""
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        difference = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._describe(difference)
        if role == DifferenceRole:
            return difference
        return None
