"""How many findings each principle has, in each rating: the workshop's overview table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot

from PySide6.QtGui import QFont

from walkthrough.domain.lens import Lens, Rating
from walkthrough.domain.not_rated import NOT_RATED_KEY, NOT_RATED_SYMBOL
from walkthrough.gui.models.findings_table_model import chip_colours, rating_text, rich_tooltip
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import not_rated_label, not_rated_meaning, rating_text

_Index = QModelIndex | QPersistentModelIndex


class PrincipleSummaryModel(QAbstractTableModel):
    """Rows are the lens's principles; columns are its ratings (scale order), "Not rated yet", then Total.

    A cell counts the observations tagged with that principle that have that
    rating (or none yet); an observation with two principles counts once in
    each row.  Total is the row's sum.  The model recounts when the controller reports
    ``observations_changed`` and signals only the cells whose count changed.

    Header roles: ``RatingIdRole`` (horizontal; ``NOT_RATED_KEY`` for
    "Not rated yet", None for Total),
    ``SymbolRole``, ``ChipColourRole`` and ``ChipTextColourRole``
    (horizontal: the rating's symbol and chip colours, for a chart),
    ``PrincipleIdRole`` (vertical).  The header has no colours of its own:
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
        self._counts = self._count()
        open_walkthrough.observations_changed.connect(self._recount)

    @property
    def lens(self) -> Lens:
        """The walkthrough's lens."""
        return self._walkthrough.lens

    @property
    def total_column(self) -> int:
        """The column of the row totals (the last)."""
        return len(self.lens.ratings) + 1

    @property
    def not_rated_column(self) -> int:
        """The column of the observations not rated yet (before Total)."""
        return len(self.lens.ratings)

    def any_not_rated(self) -> bool:
        """True if any tagged observation is not rated yet (a view may hide that column otherwise)."""
        return any(row[self.not_rated_column] for row in self._counts)

    def _rating(self, column: int) -> Rating | None:
        """The rating of a rating column; None for "Not rated yet"."""
        return self.lens.ratings[column] if column < len(self.lens.ratings) else None

    def _column_key(self, column: int) -> str | None:
        """``RatingIdRole`` of a column: a rating id, ``NOT_RATED_KEY``, or None for Total."""
        if column == self.total_column:
            return None
        rating = self._rating(column)
        return rating.id if rating is not None else NOT_RATED_KEY

    def count(self, principle_id: str, rating_id: str | None = None) -> int:
        """Findings tagged with ``principle_id`` in ``rating_id`` (None: in all; ``NOT_RATED_KEY``: not rated yet)."""
        rows = {p.id: i for i, p in enumerate(self.lens.principles)}
        if principle_id not in rows:
            return 0
        row = self._counts[rows[principle_id]]
        if rating_id is None:
            return sum(row)
        cols = {r.id: i for i, r in enumerate(self.lens.ratings)}
        cols[NOT_RATED_KEY] = self.not_rated_column
        return row[cols[rating_id]] if rating_id in cols else 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.lens.principles)

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
        lens = self.lens
        if not (0 <= row < len(lens.principles) and 0 <= column <= self.total_column):
            return None
        counts = self._counts[row]
        value = sum(counts) if column == self.total_column else counts[column]
        principle = lens.principles[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.total_column:
                return self.tr("%1: %n finding(s) in all", "", value).replace("%1", principle.name)
            rating = self._rating(column)
            return rich_tooltip(
                self.tr("%1, %2: %3").replace("%1", principle.name)
                .replace("%2", rating_text(rating)).replace("%3", str(value))
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            rating = self._rating(column)
            what = (self.tr("total") if column == self.total_column
                    else rating.label if rating is not None else not_rated_label())
            return f"{principle.name}, {what}: {value}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == self.total_column:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.PrincipleIdRole:
            return principle.id
        if role == self.RatingIdRole:
            return self._column_key(column)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lens = self.lens
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(lens.principles):
                return None
            principle = lens.principles[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return principle.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return rich_tooltip(f"{principle.name}: {principle.meaning}")
            if role == self.PrincipleIdRole:
                return principle.id
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

    def _count(self) -> list[list[int]]:
        lens = self.lens
        rows = {p.id: i for i, p in enumerate(lens.principles)}
        cols: dict[str | None, int] = {r.id: i for i, r in enumerate(lens.ratings)}
        cols[None] = self.not_rated_column
        counts = [[0] * (len(lens.ratings) + 1) for _ in lens.principles]
        for o in self._walkthrough.observations():
            column = cols.get(o.rating_id)
            if column is None:
                continue
            for pid in set(o.principle_ids):
                row = rows.get(pid)
                if row is not None:
                    counts[row][column] += 1
        return counts

    @Slot(str)
    def _recount(self, _area_id: str = "") -> None:
        counts = self._count()
        changed = [
            (r, c)
            for r, row in enumerate(counts)
            for c, value in enumerate(row)
            if value != self._counts[r][c]
        ]
        self._counts = counts
        if not changed:
            return
        top = min(r for r, _ in changed)
        bottom = max(r for r, _ in changed)
        left = min(c for _, c in changed)
        # A changed count changes its row's total too.
        self.dataChanged.emit(self.index(top, left), self.index(bottom, self.total_column))
