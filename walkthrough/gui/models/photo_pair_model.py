"""Photos of the same prompt before and after, as a Qt table: Prompt, Earlier walk, This walk (thumbnails)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QImage, QPixmap

from walkthrough.domain.comparison import Comparison, PromptComparison

_Index = QModelIndex | QPersistentModelIndex

#: The longest edge of a thumbnail in the table, in pixels.
THUMBNAIL_EDGE = 96


class PhotoPairColumn(enum.IntEnum):
    PROMPT = 0
    BEFORE = 1
    AFTER = 2


class PhotoPairModel(QAbstractTableModel):
    """:attr:`Comparison.photo_pairs`: each prompt with photos in both walks, its first photo of each side by side.

    ``thumbnail`` returns a stored photo's thumbnail JPEG by id; a thumbnail
    is read when the view first paints its row, then kept.
    """

    def __init__(self, thumbnail: Callable[[str], bytes], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thumbnail = thumbnail
        self._rows: list[PromptComparison] = []
        self._pixmaps: dict[str, QPixmap] = {}

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._rows = list(comparison.photo_pairs) if comparison is not None else []
        self._pixmaps.clear()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(PhotoPairColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        p = self._rows[index.row()]
        column = PhotoPairColumn(index.column())
        if column == PhotoPairColumn.PROMPT:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole):
                return f"{p.area_title}: {p.question}"
            return None
        ids = p.before_photo_ids if column == PhotoPairColumn.BEFORE else p.after_photo_ids
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tr("%n photo(s)", "", len(ids))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(ids[0])
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(THUMBNAIL_EDGE + 100, THUMBNAIL_EDGE + 8)
        return None

    def _pixmap(self, photo_id: str) -> QPixmap:
        if photo_id not in self._pixmaps:
            image = QImage.fromData(self._thumbnail(photo_id))
            self._pixmaps[photo_id] = QPixmap() if image.isNull() else QPixmap.fromImage(image.scaled(
                THUMBNAIL_EDGE, THUMBNAIL_EDGE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        return self._pixmaps[photo_id]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(PhotoPairColumn):
            return None
        return {
            PhotoPairColumn.PROMPT: self.tr("Prompt"),
            PhotoPairColumn.BEFORE: self.tr("Earlier walk"),
            PhotoPairColumn.AFTER: self.tr("This walk"),
        }[PhotoPairColumn(section)]
