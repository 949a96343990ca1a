"""The lens's areas in walking order, grouped into the physical and procedural routes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from walkthrough.domain.changes import OpChanges
from walkthrough.domain.lens import CONCERN_ORDER, Area, AreaKind, Rating
from walkthrough.domain.not_rated import NOT_RATED_SYMBOL, is_rated
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import not_rated_label

#: The observation fields an area's row shows something of (its count, highest concern and not rated yet).
SUMMARISED_FIELDS = frozenset({"rating_id"})

AreaIdRole = Qt.ItemDataRole.UserRole + 1
ObservationCountRole = Qt.ItemDataRole.UserRole + 2
HighestConcernRole = Qt.ItemDataRole.UserRole + 3  #: rating id of the most concerning observation, or ""
NotRatedCountRole = Qt.ItemDataRole.UserRole + 4  #: how many of the area's observations are not rated yet
DifferenceCountRole = Qt.ItemDataRole.UserRole + 5  #: how many differences to decide the area's observations have

#: Marks an area's differences to decide in the list ("≠1"): two values where one is wanted.
DIFFERENCE_SYMBOL = "≠"

_Index = QModelIndex | QPersistentModelIndex


class AreaTreeModel(QAbstractItemModel):
    """Two groups (physical route, procedural route), each with its areas.

    Each area shows its title and progress: how many observations so far and
    the highest concern among them (as a word and symbol, with the rating's
    colour as a second cue), and how many are not rated yet ("?2").  Groups are not selectable.  Internal ids: 0 for
    a group row, ``area position + 1`` for an area row.
    """

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wt = open_walkthrough
        lens = open_walkthrough.lens
        self._groups: list[tuple[AreaKind, list[Area]]] = [
            (kind, [a for a in lens.areas if a.kind is kind])
            for kind in (AreaKind.PHYSICAL, AreaKind.PROCEDURAL)
            if any(a.kind is kind for a in lens.areas)
        ]
        self._area_pos = {a.id: i for i, a in enumerate(lens.areas)}
        # (observation count, highest concern, not rated yet) per area: the view
        # asks for each row's data many times, and counting walks every observation.
        self._summaries: dict[str, tuple[int, Rating | None, int]] = {}
        open_walkthrough.changed.connect(self._walkthrough_changed)
        open_walkthrough.differences_changed.connect(self._differences_changed)

    # -- structure ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        areas = self._groups[parent.row()][1]
        if row >= len(areas):
            return QModelIndex()
        return self.createIndex(row, 0, self._area_pos[areas[row].id] + 1)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        area = self._wt.lens.areas[child.internalId() - 1]
        group_row = next(i for i, (kind, _) in enumerate(self._groups) if kind is area.kind)
        return self.createIndex(group_row, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- data -----------------------------------------------------------------------------

    def area_at(self, index: _Index) -> Area | None:
        """The area shown at ``index`` (None for a group row)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._wt.lens.areas[index.internalId() - 1]

    def index_of_area(self, area_id: str) -> QModelIndex:
        """The index of an area's row (invalid if the lens has no such area)."""
        pos = self._area_pos.get(area_id)
        if pos is None:
            return QModelIndex()
        area = self._wt.lens.areas[pos]
        for g, (kind, areas) in enumerate(self._groups):
            if kind is area.kind:
                return self.index(areas.index(area), 0, self.index(g, 0))
        return QModelIndex()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            kind = self._groups[index.row()][0]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.tr("Physical route") if kind is AreaKind.PHYSICAL else self.tr("Procedural route")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        area = self.area_at(index)
        assert area is not None
        if role == AreaIdRole:
            return area.id
        count, concern, unrated = self._summary(area.id)
        if role == DifferenceCountRole:
            return self._wt.differences_in_area(area.id) if count else 0
        if role == Qt.ItemDataRole.DisplayRole:
            if not count:
                return area.title
            mark = f"  {concern.symbol}" if concern else ""
            if unrated:
                mark += f"  {NOT_RATED_SYMBOL}{unrated}"
            differences = self._wt.differences_in_area(area.id)
            if differences:
                mark += f"  {DIFFERENCE_SYMBOL}{differences}"
            return f"{area.title}  ({count}){mark}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self.tr("%1: %n observation(s)", "", count).replace("%1", area.title)
            if concern:
                text += self.tr("; highest concern: %1").replace("%1", concern.label)
            if unrated:
                text += self.tr("; %1: %2").replace("%1", not_rated_label()).replace("%2", str(unrated))
            differences = self._wt.differences_in_area(area.id) if count else 0
            if differences:
                text += self.tr("; %n difference(s) to decide", "", differences)
            return text
        if role == Qt.ItemDataRole.ForegroundRole and concern is not None and concern.finding.value == "priority-concern":
            return QBrush(QColor(concern.colour))
        if role == ObservationCountRole:
            return count
        if role == HighestConcernRole:
            return concern.id if concern else ""
        if role == NotRatedCountRole:
            return unrated
        return None

    def _summary(self, area_id: str) -> tuple[int, Rating | None, int]:
        summary = self._summaries.get(area_id)
        if summary is None:
            if not self._summaries:
                # The first ask (the view is painting every row): all areas in one pass.
                self._summaries = self._summarise(self._wt.observations())
                self._summaries.update((a, (0, None, 0)) for a in self._area_pos if a not in self._summaries)
            else:
                self._summaries.update(self._summarise(self._wt.observations(area_id)))
            summary = self._summaries.setdefault(area_id, (0, None, 0))
        return summary

    def _summarise(self, observations: list) -> dict[str, tuple[int, Rating | None, int]]:
        """(count, highest concern, not rated yet) per area of ``observations``."""
        lens = self._wt.lens
        rank = {r.id: (CONCERN_ORDER[r.finding], r) for r in lens.ratings}
        summaries: dict[str, tuple[int, Rating | None, int]] = {}
        for observation in observations:
            count, best, unrated = summaries.get(observation.area_id, (0, None, 0))
            ranked = rank.get(observation.rating_id or "")
            if ranked is not None and (best is None or ranked[0] > CONCERN_ORDER[best.finding]):
                best = ranked[1]
            summaries[observation.area_id] = (count + 1, best, unrated + (not is_rated(observation)))
        return summaries

    def _differences_changed(self) -> None:
        for group in range(len(self._groups)):
            parent = self.index(group, 0)
            rows = self.rowCount(parent)
            if rows:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(rows - 1, 0, parent))

    def _walkthrough_changed(self, changes: OpChanges) -> None:
        # Only areas that gained or lost an observation, or had one rated differently, show anything new.
        for area_id in sorted(self._wt.areas_changed(changes, SUMMARISED_FIELDS)):
            self._summaries.pop(area_id, None)
            index = self.index_of_area(area_id)
            if index.isValid():
                self.dataChanged.emit(index, index)
