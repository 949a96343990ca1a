"""Filtering and sorting the findings table for the workshop.

The filter is a small frozen value (:class:`FindingsFilter`), so the Review
page can hand its current filter to the presentation view, and a test can
say exactly what it expects.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from walkthrough.domain.lens import FindingKind
from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.vocabulary import Voice
from walkthrough.gui.models.findings_table_model import FindingsTableModel, search_key

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class FindingsFilter:
    """Which findings to show; each field is optional (None or "" shows all).

    ``search`` matches when every word of it occurs in the area title, the
    prompt question or the note, ignoring case and accents.  ``rating_id``
    :data:`~walkthrough.domain.not_rated.NOT_RATED_KEY` shows the ones not rated yet.
    ``recorder_id`` is the id of the device (laptop) they were recorded on.
    """

    area_id: str | None = None
    rating_id: str | None = None
    principle_id: str | None = None
    voice: Voice | None = None
    finding_kind: FindingKind | None = None
    recorder_id: str | None = None
    search: str = ""

    def is_empty(self) -> bool:
        """True when nothing is filtered out."""
        return not self.search.strip() and all(
            getattr(self, f.name) is None for f in fields(self) if f.name != "search")


class FindingsFilterModel(QSortFilterProxyModel):
    """A :class:`FindingsTableModel` filtered by area, rating, principle, voice and words.

    Sorting uses the source's ``SortRole``; findings that sort equal stay in
    walking order, whichever way the column is sorted.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = FindingsFilter()
        self._words: tuple[str, ...] = ()
        self.setSortRole(FindingsTableModel.SortRole)
        self.setDynamicSortFilter(True)

    # -- the filter --------------------------------------------------------------------

    @property
    def findings_filter(self) -> FindingsFilter:
        """The filter now applied."""
        return self._filter

    def set_filter(self, findings_filter: FindingsFilter) -> None:
        """Apply a whole filter at once (one re-filter)."""
        if findings_filter == self._filter:
            return
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:  # Qt 6.9+; the old call is deprecated there
            begin()
        self._filter = findings_filter
        self._words = tuple(search_key(findings_filter.search).split())
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.9
            self.invalidateRowsFilter()

    def update_filter(self, **changes: Any) -> None:
        """Change some fields of the filter, e.g. ``update_filter(rating_id="priority-concern")``."""
        known = {f.name for f in fields(FindingsFilter)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown filter fields: {', '.join(sorted(unknown))}")
        self.set_filter(replace(self._filter, **changes))

    def set_area(self, area_id: str | None) -> None:
        """Show one area only (None: all)."""
        self.update_filter(area_id=area_id or None)

    def set_rating(self, rating_id: str | None) -> None:
        """Show one rating only (None: all)."""
        self.update_filter(rating_id=rating_id or None)

    def set_principle(self, principle_id: str | None) -> None:
        """Show findings tagged with one principle (None: all)."""
        self.update_filter(principle_id=principle_id or None)

    def set_voice(self, voice: Voice | str | None) -> None:
        """Show one voice only (None: all)."""
        self.update_filter(voice=Voice(voice) if voice else None)

    def set_finding_kind(self, kind: FindingKind | str | None) -> None:
        """Show findings of one kind only, e.g. priority concerns (None: all)."""
        self.update_filter(finding_kind=FindingKind(kind) if kind else None)

    def set_recorder(self, device_id: str | None) -> None:
        """Show the findings recorded on one laptop only (None: all)."""
        self.update_filter(recorder_id=device_id or None)

    def set_search(self, text: str) -> None:
        """Show findings whose area, prompt or note contain every word of ``text``."""
        self.update_filter(search=text)

    def clear(self) -> None:
        """Show every finding."""
        self.set_filter(FindingsFilter())

    # -- reading through the proxy ----------------------------------------------------

    def observation_id(self, row: int) -> str | None:
        """The observation shown in proxy ``row``, or None."""
        if not 0 <= row < self.rowCount():
            return None
        return self.index(row, 0).data(FindingsTableModel.ObservationIdRole)

    def observation_ids(self) -> list[str]:
        """The observations shown, in the order shown."""
        role = FindingsTableModel.ObservationIdRole
        return [self.index(row, 0).data(role) for row in range(self.rowCount())]

    def row_of(self, observation_id: str) -> int:
        """The proxy row showing an observation, or -1 (filtered out or gone)."""
        source = self.sourceModel()
        if not isinstance(source, FindingsTableModel):
            return -1
        source_row = source.row_of(observation_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(source.index(source_row, 0)).row()

    # -- QSortFilterProxyModel ----------------------------------------------------------

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        f = self._filter
        source = self.sourceModel()
        if source is None:
            return False
        if isinstance(source, FindingsTableModel):
            # Straight from the rows: going through index().data() per role is
            # most of the cost of filtering a thousand findings.
            return self._accepts(source, source_row)
        index = source.index(source_row, 0, source_parent)
        role = FindingsTableModel
        if f.area_id is not None and index.data(role.AreaIdRole) != f.area_id:
            return False
        if f.rating_id is not None and (index.data(role.RatingIdRole) or NOT_RATED_KEY) != f.rating_id:
            return False
        if f.voice is not None and index.data(role.VoiceRole) != f.voice.value:
            return False
        if f.finding_kind is not None and index.data(role.FindingKindRole) != f.finding_kind.value:
            return False
        if f.principle_id is not None and f.principle_id not in (index.data(role.PrincipleIdsRole) or ()):
            return False
        if f.recorder_id is not None and index.data(role.RecorderRole) != f.recorder_id:
            return False
        if self._words:
            text = index.data(role.SearchTextRole) or ""
            return all(word in text for word in self._words)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source keeps its rows in walking order, which is the Area column
        # ascending: then the proxy need not sort at all, and filtering a
        # thousand rows makes no lessThan() calls.
        if column == FindingsTableModel.Column.AREA and order == Qt.SortOrder.AscendingOrder:
            super().sort(-1, order)
        else:
            super().sort(column, order)

    def _accepts(self, source: FindingsTableModel, row: int) -> bool:
        f = self._filter
        o = source.observation_at(row)
        if o is None:
            return False
        if f.area_id is not None and o.area_id != f.area_id:
            return False
        if f.rating_id is not None and (o.rating_id or NOT_RATED_KEY) != f.rating_id:
            return False
        if f.voice is not None and Voice(o.voice) is not f.voice:
            return False
        if f.finding_kind is not None and source.finding_kind(o) != f.finding_kind.value:
            return False
        if f.principle_id is not None and f.principle_id not in o.principle_ids:
            return False
        if f.recorder_id is not None:
            device = source.recorded_by(o)
            if device is None or device.id != f.recorder_id:
                return False
        if self._words:
            text = source.search_text(o)
            return all(word in text for word in self._words)
        return True

    def lessThan(self, left: _Index, right: _Index) -> bool:
        source = self.sourceModel()
        if isinstance(source, FindingsTableModel) and self.sortRole() == FindingsTableModel.SortRole:
            a = source.sort_key(left.row(), left.column())
            b = source.sort_key(right.row(), right.column())
        else:
            a = left.data(self.sortRole())
            b = right.data(self.sortRole())
        if a != b and a is not None and b is not None:
            return bool(a < b)
        # Ties keep walking order both ways: Qt calls lessThan(right, left) when descending.
        if self.sortOrder() == Qt.SortOrder.DescendingOrder:
            return right.row() < left.row()
        return left.row() < right.row()
