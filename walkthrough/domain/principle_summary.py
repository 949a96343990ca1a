"""The summary by principle: how many observations each principle has, in each rating.

One rule, for the Review page's summary table and chart and for the report's
summary table, so that the window and the PDF never disagree:

- An observation counts once under each principle it is tagged with (a
  principle given twice still counts once).
- An observation tagged with no principle counts under *No principle*, a row
  that comes last and only when there is such an observation.
- A principle id the lens does not define (a damaged or hand-edited database)
  gets a row of its own, after the lens's principles, named by its id.
- The columns are the lens's ratings in scale order, then rating ids the lens
  does not define (first seen first), then *Not rated yet*
  (:data:`~walkthrough.domain.not_rated.NOT_RATED_KEY`), always last: an
  observation not rated yet is never counted as a finding, and a front end may
  hide that column while it is all zeros.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from walkthrough.domain.lens import FindingKind, Lens, Rating
from walkthrough.domain.not_rated import NOT_RATED_KEY

__all__ = [
    "NO_PRINCIPLE",
    "NO_PRINCIPLE_LABEL",
    "PrincipleSummary",
    "summarise_by_principle",
    "unknown_rating",
]

#: The row id of the observations tagged with no principle (never a lens's principle id).
NO_PRINCIPLE = ""
#: Its words (a front end may translate them).
NO_PRINCIPLE_LABEL = "No principle"


class _Observation(Protocol):
    @property
    def rating_id(self) -> str | None: ...

    @property
    def principle_ids(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class PrincipleSummary:
    """Observations counted by principle (rows) and rating (columns).

    ``rows`` are (principle id, name) pairs, :data:`NO_PRINCIPLE` last when
    present; ``columns`` are rating ids, :data:`NOT_RATED_KEY` last;
    ``cells[r][c]`` is the count of row ``r`` in column ``c``.
    """

    rows: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]

    def count(self, principle_id: str, rating_id: str | None = None) -> int:
        """Observations under ``principle_id`` in ``rating_id`` (None: the row's total; 0 for an unknown row or column)."""
        row = self.row_index(principle_id)
        if row < 0:
            return 0
        if rating_id is None:
            return sum(self.cells[row])
        column = self.column_index(rating_id)
        return self.cells[row][column] if column >= 0 else 0

    def row_index(self, principle_id: str) -> int:
        """The row of ``principle_id``; -1 if it has none."""
        return next((i for i, (pid, _name) in enumerate(self.rows) if pid == principle_id), -1)

    def column_index(self, rating_id: str) -> int:
        """The column of ``rating_id`` (``NOT_RATED_KEY``: not rated yet); -1 if it has none."""
        return self.columns.index(rating_id) if rating_id in self.columns else -1

    @property
    def any_not_rated(self) -> bool:
        """True if some observation is not rated yet."""
        return any(row[-1] for row in self.cells)

    def as_dict(self) -> dict[tuple[str, str], int]:
        """(principle id, rating id) -> count, for the cells that are not zero."""
        return {
            (pid, rid): value
            for (pid, _name), row in zip(self.rows, self.cells, strict=True)
            for rid, value in zip(self.columns, row, strict=True)
            if value
        }


def summarise_by_principle(lens: Lens, observations: Iterable[_Observation]) -> PrincipleSummary:
    """Count ``observations`` by principle and rating, by the rule of this module."""
    observations = list(observations)
    rows = [(p.id, p.name) for p in lens.principles]
    row_ids = {pid for pid, _name in rows}
    columns = [r.id for r in lens.ratings]
    column_ids = set(columns)
    untagged = False
    for o in observations:
        for pid in o.principle_ids:
            if pid not in row_ids:
                row_ids.add(pid)
                rows.append((pid, pid))
        untagged = untagged or not o.principle_ids
        if o.rating_id is not None and o.rating_id not in column_ids:
            column_ids.add(o.rating_id)
            columns.append(o.rating_id)
    if untagged:
        rows.append((NO_PRINCIPLE, NO_PRINCIPLE_LABEL))
    columns.append(NOT_RATED_KEY)
    row_of = {pid: i for i, (pid, _name) in enumerate(rows)}
    column_of = {rid: i for i, rid in enumerate(columns)}
    cells = [[0] * len(columns) for _ in rows]
    for o in observations:
        column = column_of[o.rating_id if o.rating_id is not None else NOT_RATED_KEY]
        for pid in set(o.principle_ids) or {NO_PRINCIPLE}:
            cells[row_of[pid]][column] += 1
    return PrincipleSummary(tuple(rows), tuple(columns), tuple(tuple(row) for row in cells))


def unknown_rating(rating_id: str) -> Rating:
    """A neutral stand-in for a rating id the lens does not define (its column is named by the id)."""
    return Rating.model_construct(
        id=rating_id, label=rating_id or "Unrated", meaning="", colour="#616161", symbol="?", finding=FindingKind.NONE
    )
