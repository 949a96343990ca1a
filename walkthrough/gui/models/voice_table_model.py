"""Lived-experience voices then and now, as a Qt table: Walk, Area, Prompt, Note."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.comparison import Comparison, VoiceEntry
from walkthrough.domain.records import WalkthroughContents

_Index = QModelIndex | QPersistentModelIndex


class VoiceColumn(enum.IntEnum):
    WALK = 0
    AREA = 1
    PROMPT = 2
    NOTE = 3


class VoiceTableModel(QAbstractTableModel):
    """The observations in the voice of lived experience, the earlier walk's first.  Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[bool, VoiceEntry, WalkthroughContents]] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._rows = [] if comparison is None else (
            [(True, v, comparison.base) for v in comparison.voices_before]
            + [(False, v, comparison.followup) for v in comparison.voices_after])
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(VoiceColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return None
        earlier, voice, walk = self._rows[index.row()]
        lens = walk.walkthrough.lens
        column = VoiceColumn(index.column())
        if column == VoiceColumn.WALK:
            return self.tr("Then") if earlier else self.tr("Now")
        if column == VoiceColumn.AREA:
            area = lens.area(voice.area_id)
            return area.title if area else voice.area_id
        if column == VoiceColumn.PROMPT:
            prompt = lens.prompt(voice.prompt_id) if voice.prompt_id else None
            return prompt.question if prompt else self.tr("Other observation")
        return voice.note

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(VoiceColumn):
            return None
        return {
            VoiceColumn.WALK: self.tr("Walk"),
            VoiceColumn.AREA: self.tr("Area"),
            VoiceColumn.PROMPT: self.tr("Prompt"),
            VoiceColumn.NOTE: self.tr("What was said"),
        }[VoiceColumn(section)]
