"""Opening a walkthrough database: engine, pragmas, schema version, backups.

Every SQLite connection gets the same pragmas (see :func:`_on_connect`):

* ``journal_mode=WAL`` - readers never block the writer, and a crash mid-write
  leaves the last committed state intact.
* ``synchronous=FULL`` - in WAL mode ``NORMAL`` may lose the last
  transactions on power loss (they are durable against a process crash only).
  A facilitator's laptop running out of battery is the expected case, and a
  commit reported as saved must survive it, so we pay one extra fsync per
  commit.  (SQLite docs, "Write-Ahead Logging", section on durability.)
* ``foreign_keys=ON`` - SQLite leaves them off by default; our cascades and
  "no orphan photos" rely on them.
* ``secure_delete=ON`` - deleted notes and photos are overwritten with zeros,
  so they cannot be recovered from the file.
* ``busy_timeout=5000`` ms - a brief lock by another reader is waited out.

The schema is owned by Alembic (``migrations/``).  Opening an older database
first backs it up with SQLite's online backup API, then upgrades it; a
database from a newer version of the program is refused and left untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from walkthrough.domain.errors import DatabaseBusy, NewerDatabase, NotADatabase, StorageError
from walkthrough.storage import locations

#: Alembic revision this version of the program writes.  A test checks it is
#: the head of ``migrations/versions``; keeping it here lets an up-to-date
#: database open without importing Alembic (start-up time).
SCHEMA_REVISION = "0001_initial"

SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(eq=False)
class Database:
    """An open walkthrough database.

    Attributes:
        path: the database file.
        engine: the SQLAlchemy engine (pragmas applied to every connection).
        sessions: a ``sessionmaker``; callers own the transaction:
            ``with db.sessions.begin() as session: ...``.
    """

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        """Release all connections (checkpoints the WAL into the main file)."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(path: Path, *, create: bool = True) -> Database:
    """Open (or create) the walkthrough database at ``path``, upgrading it if older.

    Args:
        path: the database file; its folder is created (user-only) if missing.
        create: create a new empty database if ``path`` does not exist.

    Returns:
        An open :class:`Database` at the current schema revision.

    Raises:
        NotADatabase: the file is not an SQLite database, or not ours (unmodified).
        NewerDatabase: written by a newer version of the program (unmodified).
        DatabaseBusy: another program holds it locked.
        StorageError: missing (with ``create=False``), or the folder cannot be written.
    """
    path = Path(path)
    _check_header(path)
    if not path.exists():
        if not create:
            raise StorageError(f"{path}: no such database")
        _create_private_file(path)

    # Decide from a plain read before any pragma touches the file, so a file
    # we refuse is left exactly as it was.
    tables, revision = _inspect(path)
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabase(f"{path}: an SQLite file, but not a Lens Walkthrough database; it was not changed")
    if revision is not None and revision != SCHEMA_REVISION and not _is_known_revision(revision):
        raise NewerDatabase(
            f"{path}: written by a newer version of Lens Walkthrough (schema {revision}); "
            "install the newer version to open it. The file was not changed"
        )

    engine = _make_engine(path)
    try:
        if revision != SCHEMA_REVISION:
            if revision is not None:
                backup_database(engine, path, reason=f"before-upgrade-from-{revision}")
            _run_migrations(engine, path)
    except BaseException:
        engine.dispose()
        raise
    return Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _inspect(path: Path) -> tuple[set[str], str | None]:
    """The table names and Alembic revision, read without changing the file."""
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _storage_error(path, str(exc)) from None
    return tables, revision


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise NotADatabase(f"{path}: is a folder, not a database file") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read ({exc.strerror})") from None
    # An empty file is what SQLite itself makes of a new database.
    if head and head != SQLITE_HEADER:
        raise NotADatabase(f"{path}: not a Lens Walkthrough database (not an SQLite file); it was not changed")


def _create_private_file(path: Path) -> None:
    try:
        locations.make_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the database ({exc.strerror})") from None


def _make_engine(path: Path) -> Engine:
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
    event.listen(engine, "connect", _on_connect)
    return engine


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS_DIR))
    return config


def _is_known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several types for an unknown id
        return False


def head_revision() -> str:
    """The newest revision in ``migrations/versions`` (for tests and diagnostics)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _run_migrations(engine: Engine, path: Path) -> None:
    from alembic import command

    config = _alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as exc:
        raise _storage_error(path, str(exc.orig if exc.orig is not None else exc)) from None


def _storage_error(path: Path, message: str) -> StorageError:
    if "locked" in message or "busy" in message:
        return DatabaseBusy(f"{path}: in use by another program (database is locked); close it and try again")
    if "not a database" in message or "malformed" in message:
        return NotADatabase(f"{path}: the database file is damaged ({message}); it was not changed")
    if "readonly" in message or "read-only" in message:
        return StorageError(f"{path}: cannot write here (read-only)")
    if "unable to open" in message:
        return StorageError(f"{path}: cannot open the database file")
    return StorageError(f"{path}: {message}")


def backup_database(source: Engine | Path, database_path: Path, *, reason: str, dest: Path | None = None) -> Path:
    """Copy a live database consistently with SQLite's online backup API.

    Never copies the file bytes: recent commits may still sit in the ``-wal``
    side file, and the backup API reads them too.

    Args:
        source: an engine on the database, or its path.
        database_path: the database file (names the backup).
        reason: a short tag for the file name, e.g. ``"before-upgrade-from-0001"``.
        dest: where to write; default a new file in :func:`locations.backups_dir`.

    Returns:
        The backup file (user-only permissions).

    Raises:
        StorageError: the backup could not be written (no partial file is left).
    """
    if dest is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = locations.backups_dir() / f"{database_path.stem}-{stamp}-{reason}.sqlite3"
    partial = dest.with_name(dest.name + ".partial")
    try:
        locations.make_private_dir(dest.parent)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        target = sqlite3.connect(partial)
        try:
            if isinstance(source, Path):
                src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
                try:
                    src.backup(target)
                finally:
                    src.close()
            else:
                raw = source.raw_connection()
                try:
                    raw.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    raw.close()
        finally:
            target.close()
        os.replace(partial, dest)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StorageError(f"{dest}: cannot write the backup ({why})") from None
    return dest
