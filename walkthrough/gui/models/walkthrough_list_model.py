"""All walkthroughs in the database, for the start page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.records import WalkthroughSummary
from walkthrough.gui.wording import local_date_text, local_time_text

WalkthroughIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class WalkthroughListModel(QAbstractTableModel):
    """Rows of :class:`WalkthroughSummary`: service, site, date, lens, progress, last change."""

    COLUMNS = ("service", "site", "date", "lens", "progress", "updated")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[WalkthroughSummary] = []
        #: each service's open actions (not done), over all its walks
        self._open_actions: dict[str, int] = {}
        #: Differences to decide, by walkthrough id (counted later, off the GUI thread; none until then).
        self._to_decide: dict[str, int] = {}

    def set_walkthroughs(self, rows: list[WalkthroughSummary]) -> None:
        """Replace the list: grouped by service, and newest first (see :func:`by_service`)."""
        self.beginResetModel()
        self._rows = by_service(rows)
        self._open_actions: dict[str, int] = {}
        for w in self._rows:
            key = _service_key(w)
            self._open_actions[key] = self._open_actions.get(key, 0) + w.open_actions
        self._to_decide = {}
        self.endResetModel()

    def first_of_its_service(self, row: int) -> bool:
        """True for the first (newest) walk of its service, which names the service's open actions."""
        return row == 0 or _service_key(self._rows[row - 1]) != _service_key(self._rows[row])

    def set_differences(self, counts: dict[str, int]) -> None:
        """Show each walkthrough's number of differences to decide (from packages of other laptops)."""
        self._to_decide = dict(counts)
        if self._rows:
            column = self.COLUMNS.index("progress")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def summary(self, row: int) -> WalkthroughSummary:
        """The walkthrough shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Service"), self.tr("Site"), self.tr("Date"), self.tr("Lens"), self.tr("Progress"),
                    self.tr("Last changed"))[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        w = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "service":
                open_actions = self._open_actions.get(_service_key(w), 0)
                if open_actions and self.first_of_its_service(index.row()):
                    return _service_name(w) + "\n" + self.tr("%n open action(s)", "", open_actions)
                return _service_name(w)
            if column == "site":
                return w.site
            if column == "date":
                return local_date_text(w.visit_date)
            if column == "lens":
                return f"{w.lens_title} ({w.lens_version})"
            if column == "progress":
                # One count to a message: Qt's plural forms follow a single %n.
                areas = self.tr("%1 of %n area(s)", "", w.area_count).replace("%1", str(w.areas_walked))
                observations = self.tr("%n observation(s)", "", w.observation_count)
                photos = self.tr("%n photo(s)", "", w.photo_count)
                text = self.tr("%1, %2, %3").replace("%1", areas).replace("%2", observations).replace("%3", photos)
                if w.not_rated_count:
                    text += self.tr("; %n observation(s) not rated yet", "", w.not_rated_count)
                if self._to_decide.get(w.id):
                    text += self.tr("; %n difference(s) to decide", "", self._to_decide[w.id])
                return text
            if column == "updated":
                return local_time_text(w.updated_at)
        if role == WalkthroughIdRole:
            return w.id
        if role == SortRole:
            return {
                "service": _service_name(w).casefold(), "site": w.site.casefold(), "date": w.visit_date.isoformat(),
                "lens": w.lens_title.casefold(), "progress": w.areas_walked / max(1, w.area_count),
                "updated": w.updated_at.isoformat(),
            }[column]
        return None


def _service_name(w: WalkthroughSummary) -> str:
    return w.service_name or w.service


def _service_key(w: WalkthroughSummary) -> str:
    # A walkthrough from a laptop that did not know services is grouped by the name it has.
    return w.service_id or "name:" + w.service.casefold()


def by_service(rows: list[WalkthroughSummary]) -> list[WalkthroughSummary]:
    """Walks grouped by service, newest first: each service's walks by date of the visit (the
    latest first), the services by their latest walk; the most recently changed first among equals."""
    def newest(w: WalkthroughSummary) -> tuple[str, str]:
        return w.visit_date.isoformat(), w.updated_at.isoformat()

    groups: dict[str, list[WalkthroughSummary]] = {}
    for w in rows:
        groups.setdefault(_service_key(w), []).append(w)
    ordered = [sorted(walks, key=newest, reverse=True) for walks in groups.values()]
    ordered.sort(key=lambda walks: max(newest(w) for w in walks), reverse=True)
    return [w for walks in ordered for w in walks]
