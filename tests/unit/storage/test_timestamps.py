"""Timestamps read many at a time (walkthrough/storage/timestamps.py) are the ones the column's type gives."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, MetaData, Table, select, text

from walkthrough.domain.models import UTCDateTime
from walkthrough.storage.timestamps import utc_column

UTC = dt.timezone.utc


@pytest.mark.parametrize(("stored", "expected"), [
    ("2026-11-29 13:46:34.580536", dt.datetime(2026, 11, 29, 13, 46, 34, 580536, tzinfo=UTC)),
    ("2026-11-29 13:46:34.000000", dt.datetime(2026, 11, 29, 13, 46, 34, tzinfo=UTC)),
    ("2026-11-29 13:46:34", dt.datetime(2026, 11, 29, 13, 46, 34, tzinfo=UTC)),  # older rows
    (None, None),
])
def test_utc_column_reads_what_the_type_reads(db, stored: str | None, expected: dt.datetime | None) -> None:
    with db.engine.connect() as connection:
        connection.execute(text("CREATE TEMP TABLE t (at DATETIME)"))
        table = Table("t", MetaData(), Column("at", UTCDateTime()), prefixes=["TEMP"])
        if stored is not None and len(stored) > 19:  # what the type writes today
            connection.execute(table.insert().values(at=expected))
            assert connection.execute(text("SELECT at FROM t")).scalar_one() == stored
        else:  # as older rows hold it
            connection.execute(text("INSERT INTO t (at) VALUES (:at)"), {"at": stored})
        fast = connection.execute(select(utc_column(table.c.at))).scalar_one()
        assert fast == connection.execute(select(table.c.at)).scalar_one() == expected
        if fast is not None:
            assert fast.utcoffset() == dt.timedelta(0)

