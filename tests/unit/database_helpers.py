"""Helpers for tests that build, age and damage real walkthrough databases on disk."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.walkthroughs import create_walkthrough
from walkthrough.storage.backups import list_backups, new_backup_path
from walkthrough.storage.database import open_database


def make_database(path: Path, test_lens, *, notes: tuple[str, ...] = ("First note",)) -> str:
    """A closed database at ``path`` with one walkthrough holding ``notes``; its id."""
    with open_database(path) as db:
        wid = create_walkthrough(db, test_lens, service="Orkney Recovery", site="Kirkwall").id
        for note in notes:
            add_observation(db, wid, NewObservation("entrance", "working-well", note=note))
    return wid


def notes_in(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT note FROM observation ORDER BY note")]
    finally:
        conn.close()


def age_backups(database: Path, hours: float) -> None:
    """Rename every backup of ``database`` as if it had been made ``hours`` earlier."""
    for backup in list_backups(database):
        older = new_backup_path(database, backup.reason, now=backup.created - dt.timedelta(hours=hours))
        backup.path.rename(older)


def corrupt_a_table_page(path: Path, table: str = "observation") -> None:
    """Overwrite the first leaf page of ``table`` with junk, as a failing disk might.

    Reads the page number read-only, so a ``-wal`` left by a crash stays as it is.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d\xff\xff\xff" + b"junk" * (page_size // 4 - 1))
