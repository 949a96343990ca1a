"""Reading thousands of timestamps at once, in whatever form the engine holds them.

:class:`~walkthrough.domain.models.UTCDateTime` stores aware datetimes as
naive UTC and gives them back aware.  On SQLite, which keeps a timestamp as
text (``"2026-11-29 13:46:34.580536"``), reading goes through SQLAlchemy's
parsing and then the type's own step that adds the zone; one
``fromisoformat`` call does both, four to ten times faster (2,000 timestamps
on the development machine: 0.55 ms instead of 2.4 ms here, 5 ms on a busier
day).  Opening a walkthrough of 1,000 observations reads 2,000 of them, so a
query reading many rows selects :func:`utc_column` instead of the column
itself.  On an engine with a timestamp type of its own (PostgreSQL) the
driver already gives a ``datetime``, and only the zone is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.types import UserDefinedType

_UTC = dt.timezone.utc


def utc_column(column: Any) -> ColumnElement[dt.datetime]:
    """``column`` (a :class:`~walkthrough.domain.models.UTCDateTime`) to select: read as aware UTC datetimes.

    The same values the column's type gives, read the engine's fastest way.
    Only for reading: the SQL is the column's own.
    """
    return type_coerce(column, _StoredUTC())


class _StoredUTC(UserDefinedType[dt.datetime]):
    """A UTC timestamp as the engine holds it; see the module's docstring."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:  # never used to create a column
        return "TIMESTAMP"

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], dt.datetime | None]:
        return _from_sqlite_text if dialect.name == "sqlite" else _aware


def _from_sqlite_text(text: str | None) -> dt.datetime | None:
    # SQLAlchemy's SQLite format: naive UTC, with microseconds (older rows may lack them).
    return None if text is None else dt.datetime.fromisoformat(text + "+00:00")


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=_UTC)
