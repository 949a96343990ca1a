"""How many findings each principle has, in each rating: the workshop's overview table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from PySide6.QtGui import QFont

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.lens import Lens, Rating
from walkthrough.domain.not_rated import NOT_RATED_KEY, NOT_RATED_SYMBOL
from walkthrough.domain.principle_summary import NO_PRINCIPLE, PrincipleSummary, summarise_by_principle, unknown_rating
from walkthrough.gui.models.findings_table_model import chip_colours, rating_text, rich_tooltip
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import not_rated_label, not_rated_meaning, rating_text

_Index = QModelIndex | QPersistentModelIndex

#: The observation fields the summary counts by.
COUNTED_FIELDS = frozenset({"rating_id", "principle_ids"})


class PrincipleSummaryModel(QAbstractTableModel):
    """The summary by principle of :mod:`walkthrough.domain.principle_summary`, with a Total column.

    Rows are the lens's principles (then unknown principle ids, then "No
    principle" while some observation has none); columns are the ratings
    (scale order, then unknown rating ids), "Not rated yet", then Total.  The
    counting rule is the domain's, the same as the report's.  The model
    recounts when the controller reports an observation made, deleted, or
    rated or tagged differently (``changed``; a note saved is not counted
    again) and signals only the cells whose count changed (a reset when a
    row or column comes or goes).

    Header roles: ``RatingIdRole`` (horizontal; ``NOT_RATED_KEY`` for
    "Not rated yet", None for Total),
    ``SymbolRole``, ``ChipColourRole`` and ``ChipTextColourRole``
    (horizontal: the rating's symbol and chip colours, for a chart),
    ``PrincipleIdRole`` (vertical; ``NO_PRINCIPLE`` for "No principle").  The header has no colours of its own:
    styles blend header backgrounds, which would spoil the text's contrast.
    """

    PrincipleIdRole = int(Qt.ItemDataRole.UserRole) + 1
    RatingIdRole = PrincipleIdRole + 1
    SymbolRole = PrincipleIdRole + 2
    ChipColourRole = PrincipleIdRole + 3
    ChipTextColourRole = PrincipleIdRole + 4

    #: The roles data() answers.
    _ROLES = frozenset({
        int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole), int(Qt.ItemDataRole.ToolTipRole),
        int(Qt.ItemDataRole.AccessibleTextRole), int(Qt.ItemDataRole.TextAlignmentRole),
        int(Qt.ItemDataRole.FontRole), PrincipleIdRole, RatingIdRole,
    })

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._walkthrough = open_walkthrough
        self._summary = self._count()
        open_walkthrough.changed.connect(self._walkthrough_changed)

    @property
    def lens(self) -> Lens:
        """The walkthrough's lens."""
        return self._walkthrough.lens

    @property
    def summary(self) -> PrincipleSummary:
        """The counts as the domain works them out (the same as the report's)."""
        return self._summary

    @property
    def total_column(self) -> int:
        """The column of the row totals (the last)."""
        return len(self._summary.columns)

    @property
    def not_rated_column(self) -> int:
        """The column of the observations not rated yet (before Total)."""
        return len(self._summary.columns) - 1

    def any_not_rated(self) -> bool:
        """True if any observation is not rated yet (a view may hide that column otherwise)."""
        return self._summary.any_not_rated

    def _rating(self, column: int) -> Rating | None:
        """The rating of a rating column (a stand-in for an unknown id); None for "Not rated yet"."""
        rating_id = self._summary.columns[column]
        if rating_id == NOT_RATED_KEY:
            return None
        return self.lens.rating(rating_id) or unknown_rating(rating_id)

    def _column_key(self, column: int) -> str | None:
        """``RatingIdRole`` of a column: a rating id, ``NOT_RATED_KEY``, or None for Total."""
        if column == self.total_column:
            return None
        return self._summary.columns[column]

    def _principle_name(self, row: int) -> str:
        principle_id, name = self._summary.rows[row]
        return self.tr("No principle") if principle_id == NO_PRINCIPLE else name

    def count(self, principle_id: str, rating_id: str | None = None) -> int:
        """Findings tagged with ``principle_id`` in ``rating_id`` (None: in all; ``NOT_RATED_KEY``: not rated yet)."""
        return self._summary.count(principle_id, rating_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._summary.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total_column + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask each cell for a dozen roles, most of them unused here: answer those first.
        if not index.isValid() or role not in self._ROLES:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._summary.rows) and 0 <= column <= self.total_column):
            return None
        counts = self._summary.cells[row]
        value = sum(counts) if column == self.total_column else counts[column]
        name = self._principle_name(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.total_column:
                return self.tr("%1: %n finding(s) in all", "", value).replace("%1", name)
            rating = self._rating(column)
            return rich_tooltip(
                self.tr("%1, %2: %3").replace("%1", name)
                .replace("%2", rating_text(rating)).replace("%3", str(value))
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            rating = self._rating(column)
            what = (self.tr("total") if column == self.total_column
                    else rating.label if rating is not None else not_rated_label())
            return f"{name}, {what}: {value}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == self.total_column:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.PrincipleIdRole:
            return self._summary.rows[row][0]
        if role == self.RatingIdRole:
            return self._column_key(column)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._summary.rows):
                return None
            principle_id = self._summary.rows[section][0]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._principle_name(section)
            if role == Qt.ItemDataRole.ToolTipRole:
                if principle_id == NO_PRINCIPLE:
                    return rich_tooltip(self.tr("Findings tagged with no principle"))
                principle = self.lens.principle(principle_id)
                meaning = principle.meaning if principle is not None else self.tr("not a principle of this lens")
                return rich_tooltip(f"{self._principle_name(section)}: {meaning}")
            if role == self.PrincipleIdRole:
                return principle_id
            return None
        if not 0 <= section <= self.total_column:
            return None
        if section == self.total_column:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Total")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Findings tagged with the principle, in any rating or not rated yet")
            return None
        rating = self._rating(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return rating_text(rating)
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(f"{rating_text(rating)}: {rating.meaning if rating else not_rated_meaning()}")
        if role == self.RatingIdRole:
            return self._column_key(section)
        if role == self.SymbolRole:
            return rating.symbol if rating is not None else NOT_RATED_SYMBOL
        if role == self.ChipColourRole:
            return chip_colours(rating)[0]
        if role == self.ChipTextColourRole:
            return chip_colours(rating)[1]
        return None

    # -- counting ----------------------------------------------------------------------

    def _count(self) -> PrincipleSummary:
        return summarise_by_principle(self.lens, self._walkthrough.observations())

    def _walkthrough_changed(self, changes: OpChanges) -> None:
        made_or_gone = any(entity is Entity.OBSERVATION for entity, _ in changes.created | changes.deleted)
        if made_or_gone or any(entity is Entity.OBSERVATION and fields & COUNTED_FIELDS
                               for (entity, _), fields in changes.updated.items()):
            self._recount()

    def _recount(self) -> None:
        summary = self._count()
        old, self._summary = self._summary, summary
        if (summary.rows, summary.columns) != (old.rows, old.columns):
            # A row ("No principle") or a column came or went: the table's shape changed.
            self.beginResetModel()
            self.endResetModel()
            return
        changed = [
            (r, c)
            for r, row in enumerate(summary.cells)
            for c, value in enumerate(row)
            if value != old.cells[r][c]
        ]
        if not changed:
            return
        top = min(r for r, _ in changed)
        bottom = max(r for r, _ in changed)
        left = min(c for _, c in changed)
        # A changed count changes its row's total too.
        self.dataChanged.emit(self.index(top, left), self.index(bottom, self.total_column))
