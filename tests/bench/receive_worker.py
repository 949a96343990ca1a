"""Bringing a package in, measured from inside one process: ``python -m tests.bench.receive_worker``.

``ours DB PACKAGE``: one ``receive_package`` of the package into the
database; prints its seconds (wall clock and CPU) and what it brought.

``trace DB PACKAGE``: the same under :mod:`tracemalloc`; prints the peak of
Python's allocations during the call (slower: not a time to compare).

``floor DB RECEIVED``: the floor.  ``RECEIVED`` is the same database after
the package was brought in (by ``ours``); the rows it holds that ``DB`` does
not (by primary key, every table) are inserted into ``DB`` with plain
``sqlite3`` in one transaction, with the connection set as the program sets
its own (WAL, ``synchronous=FULL``, foreign keys).  The rows of every table
but ``photo`` are read before the clock starts; the photos are read one at a
time from ``RECEIVED`` while it runs (as ours reads them from the package),
so the floor holds one photo in memory at a time.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
import tracemalloc
from pathlib import Path

#: Parents before children, so that foreign keys hold at every insert.
_ORDER = ("device", "walkthrough", "facilitator", "participant", "observation", "observation_principle", "photo",
          "action", "action_principle", "action_observation", "change")


def ours(db_path: str, package: str, trace: bool = False) -> dict:
    from walkthrough.services.exchange import receive_package
    from walkthrough.storage.database import open_database

    with open_database(Path(db_path)) as db:
        if trace:
            tracemalloc.start()
        c0, t0 = time.process_time(), time.perf_counter()
        received = receive_package(db, Path(package))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        if trace:
            tracemalloc.stop()
    return {"seconds": seconds, "cpu": cpu, "new": received.new, "changed": received.changed,
            "to_decide": received.to_decide, "traced_peak_mb": None if peak is None else peak / 2**20}


def floor(db_path: str, received_path: str) -> dict:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("ATTACH DATABASE ? AS src", (received_path,))
    tables = [t for (t,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    tables.sort(key=lambda t: _ORDER.index(t) if t in _ORDER else len(_ORDER))
    rows: dict[str, list[tuple]] = {}
    photo_ids: list[str] = []
    statements: dict[str, str] = {}
    for table in tables:
        info = list(conn.execute(f'PRAGMA main.table_info("{table}")'))
        listed = ", ".join(f'"{r[1]}"' for r in info)
        key = ", ".join(f'"{r[1]}"' for r in sorted(info, key=lambda r: r[5]) if r[5]) or "rowid"
        new = f'FROM src."{table}" WHERE ({key}) NOT IN (SELECT {key} FROM main."{table}")'
        statements[table] = f'INSERT INTO main."{table}" ({listed}) VALUES ({", ".join("?" for _ in info)})'
        if table == "photo":
            photo_ids = [i for (i,) in conn.execute(f"SELECT id {new}")]
            photo_select = f"SELECT {listed} FROM src.photo WHERE id = ?"
        else:
            rows[table] = list(conn.execute(f"SELECT {listed} {new}"))
    c0, t0 = time.process_time(), time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table in tables:
        if table == "photo":
            for photo_id in photo_ids:
                conn.execute(statements[table], conn.execute(photo_select, (photo_id,)).fetchone())
        elif rows[table]:
            conn.executemany(statements[table], rows[table])
    conn.execute("COMMIT")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    conn.execute("DETACH DATABASE src")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"seconds": seconds, "cpu": cpu, "rows": {t: len(r) for t, r in rows.items()}, "photos": len(photo_ids)}


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "ours":
        result = ours(*args)
    elif command == "trace":
        result = ours(*args, trace=True)
    elif command == "floor":
        result = floor(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
