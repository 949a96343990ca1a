"""The schema objects a walkthrough database may hold, and any it holds that the program did not make.

A database or backup can come from someone else (a USB stick, an e-mail).
SQLite stores more than tables in a file, and some of it runs on our own
writes: a trigger could copy every deleted note into a table of its own, so
that deleting would no longer delete; a view or an extra table can carry
anything.  The program makes none of these, so a file holding one is refused
when it is opened or restored (:class:`ForeignSchemaObjects`), naming them,
and ``walkthrough check`` reports them.

What the program makes is read from the ORM's metadata
(:mod:`walkthrough.domain.models`), which the Alembic migrations follow: its
tables and their named indexes, Alembic's ``alembic_version``, and SQLite's
own objects (``sqlite_autoindex_…`` for primary keys and unique
constraints, ``sqlite_sequence``, ``sqlite_stat…``), whose names no one
else may use.  Never a trigger or a view.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from walkthrough.domain.errors import NotADatabase

#: Names only SQLite may give (it refuses ``CREATE … sqlite_…`` from anyone else).
_SQLITE_OWN = "sqlite_"
#: ``(type, name, table)`` an older schema revision made that the current one
#: no longer does.  A migration that drops or renames a table or index adds
#: the old name here, or a database not yet upgraded would be refused.
_RETIRED: frozenset[tuple[str, str, str]] = frozenset({
    ("index", "ix_change_walkthrough_entity", "change"),  # 0003; 0007_change_lookup adds the field
})


class ForeignSchemaObjects(NotADatabase):
    """The database holds triggers, views, tables or indexes the program did not make; it was not changed.

    Attributes:
        objects: each one as ``"trigger 'name'"``, in the file's order.
    """

    def __init__(self, message: str, objects: tuple[str, ...]) -> None:
        self.objects = objects
        super().__init__(message)


@functools.cache
def expected_objects() -> frozenset[tuple[str, str, str]]:
    """``(type, name, table)`` of every table and named index the program makes."""
    from walkthrough.domain.models import Base

    expected = {("table", "alembic_version", "alembic_version")}
    for table in Base.metadata.tables.values():
        expected.add(("table", table.name, table.name))
        expected.update(("index", str(index.name), table.name) for index in table.indexes)
    return frozenset(expected) | _RETIRED


def foreign_objects(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The schema objects in ``conn``'s main database that the program did not make (reads only).

    Each is named as ``"trigger 'keep_notes'"``; empty if there are none.
    """
    expected = expected_objects()
    found = []
    for kind, name, table in conn.execute("SELECT type, name, tbl_name FROM main.sqlite_master ORDER BY rowid"):
        if (kind, name, table) in expected:
            continue
        if kind in ("table", "index") and str(name).startswith(_SQLITE_OWN):
            continue
        found.append(f"{kind} {name!r}" if kind != "index" else f"index {name!r} on {table!r}")
    return tuple(found)


def foreign_objects_error(path: Path, objects: tuple[str, ...], doing: str) -> ForeignSchemaObjects:
    """The one-line refusal for a file holding ``objects`` (``doing``: "opened", "restored")."""
    return ForeignSchemaObjects(
        f"{path}: holds database objects Lens Walkthrough did not make ({', '.join(objects)}), so it was not "
        f"{doing} and was not changed; it may have been altered by another program",
        objects,
    )
