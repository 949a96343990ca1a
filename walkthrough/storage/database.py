"""Opening a walkthrough database: engine, pragmas, schema version, checks, backups.

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
  so they cannot be recovered from the file.  In WAL mode the zeros reach
  the file at the next checkpoint, and until then the ``-wal`` side file
  still holds earlier copies of the pages (a note as typed, a photo before
  it was blurred): so after a deletion or a blur, the service empties the
  ``-wal`` (:func:`clear_side_files`) before it reports the work done, and
  opening a database whose ``-wal`` a crash left behind empties it too.
* ``busy_timeout`` (:data:`BUSY_TIMEOUT_MS`) - a brief lock by another
  program is waited out.

Before anything writes, the file is looked at read-only
(:mod:`walkthrough.storage.file_check`): a file that is not a database, is
damaged, or comes from a newer version of the program is refused and left
exactly as it was; a damaged one with a message naming the command that
restores its newest good backup.  So is one holding triggers, views, tables
or indexes the program did not make (:mod:`walkthrough.storage.schema_objects`):
a trigger would run on our own writes.

The schema is owned by Alembic (``migrations/``).  Opening an older database
first backs it up with SQLite's online backup API, then upgrades it.  Opening
an up-to-date one makes the daily automatic backup when one is due
(:mod:`walkthrough.storage.backups`).

``open_database(path, read_only=True)`` opens for viewing only: a ``mode=ro``
connection, no upgrade, no backup, no pragma that writes; any attempt to
change something raises :class:`~walkthrough.storage.errors.ReadOnlyDatabase`.

SQLite's failures during use are turned into one-line storage errors on
every engine (:func:`_translate_error`): a full disk, a read-only location,
a lock held by another program, damage found mid-session.

A database on a PostgreSQL server is named by its SQLAlchemy URL
(``postgresql+psycopg://user@host/name``) instead of a path
(:func:`_open_server`).  Everything above that is about the file stays with
the file: no pragmas, file checks, side files or automatic backups (the
server's owner backs it up with the server's tools), and an upgrade needs no
backup first, since PostgreSQL runs all of it in one transaction.  Read-only
there is ``default_transaction_read_only``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from walkthrough.domain.errors import DatabaseBusy, NewerDatabase, NotADatabase, StorageError
from walkthrough.storage import atomic_file, backups, file_check, locations
from walkthrough.storage.backups import backup_database
from walkthrough.storage.errors import DiskFull, ReadOnlyDatabase, os_error_reason, sqlite_error_name
from walkthrough.storage.schema_objects import foreign_objects, foreign_objects_error

__all__ = [
    "ENGINE_ERRORS",
    "Database",
    "SCHEMA_REVISION",
    "backup_database",
    "clear_side_files",
    "database_problems",
    "head_revision",
    "large_write",
    "open_database",
]

#: Alembic revision this version of the program writes.  A test checks it is
#: the head of ``migrations/versions``; keeping it here lets an up-to-date
#: database open without importing Alembic (start-up time).
SCHEMA_REVISION = "0008_photo_print"

SQLITE_HEADER = file_check.SQLITE_HEADER
#: How long a connection waits for another program's lock before giving up.
BUSY_TIMEOUT_MS = 5000
#: The page cache of a large write's transaction (:func:`large_write`), in KiB.  SQLite's default is
#: about 2 MB, smaller than the indexes a 100,000-row import inserts into in no particular order (the
#: ids of the things it makes); with 64 MB they stay in memory until the commit (tests/bench/RESULTS.md).
LARGE_WRITE_CACHE_KIB = 64 * 1024
_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: What reading a damaged or unreadable database file can raise besides a
#: storage error: the engine's own errors (SQLite's) and SQLAlchemy's.  For
#: a caller that reports such a file as a finding instead of failing.
ENGINE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, SQLAlchemyError)


@dataclass(eq=False)
class Database:
    """An open walkthrough database.

    Attributes:
        path: the database file; ``None`` for a database on a server.
        engine: the SQLAlchemy engine (pragmas applied to every connection).
        sessions: a ``sessionmaker``; callers own the transaction:
            ``with db.sessions.begin() as session: ...``.
        read_only: opened for viewing; every write raises ``ReadOnlyDatabase``.
        daily_backup: the automatic backup made on this open, if one was due.
        backup_warning: why a due automatic backup was not made (low disk
            space, unwritable backups folder), for the user to see; else ``None``.
        url: a server database's URL (``postgresql+psycopg://…``); ``None`` for a file.
    """

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    daily_backup: Path | None = None
    backup_warning: str | None = field(default=None)
    url: str | None = field(default=None, repr=False)  # it may hold a password
    _protected: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        # While it is open, no export or copy may be written over it or its side files.
        if self.path is not None:
            atomic_file.protect_database(self.path)
            self._protected = True

    @property
    def name(self) -> str:
        """How messages name it: its path, or its URL without the password."""
        return str(self.path) if self.path is not None else locations.database_label(self.url or "")

    def close(self) -> None:
        """Release all connections (checkpoints the WAL into the main file)."""
        self.engine.dispose()
        if self._protected and self.path is not None:
            self._protected = False
            atomic_file.unprotect_database(self.path)

    @contextlib.contextmanager
    def all_or_nothing(self) -> Iterator[Database]:
        """This database, as seen by use cases that must be stored together or not at all.

        Every ``sessions.begin()`` made through the database yielded joins one
        SQLite transaction, committed when the block ends and rolled back if
        it raises - a full disk, Ctrl+C, a bug - so a crash or a kill midway
        leaves nothing of it either.
        """
        with self.engine.connect() as connection, connection.begin():
            view = copy.copy(self)  # shares the engine; not registered again, never closed
            view._protected = False
            view.sessions = sessionmaker(bind=connection, expire_on_commit=False,
                                         join_transaction_mode="rollback_only")
            yield view

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(
    path: Path | str,
    *,
    create: bool = True,
    read_only: bool = False,
    daily_backup: bool = True,
    foreign_objects_ok: bool = False,
) -> Database:
    """Open (or create) the walkthrough database at ``path``, upgrading it if older.

    Args:
        path: the database file; its folder is created (user-only) if missing.
            Or a server database's URL (``postgresql+psycopg://…``, see
            :func:`_open_server`); a string that is not a URL is a path.
        create: create a new empty database if ``path`` does not exist
            (on a server: set the tables up in an empty database).
        read_only: open an existing database for viewing only (``mode=ro``):
            never created, upgraded or backed up; writes raise ``ReadOnlyDatabase``.
        daily_backup: make the daily automatic backup if one is due (off for
            a command that is about to make a backup or copy anyway).
        foreign_objects_ok: with ``read_only``, open a database holding
            schema objects the program did not make (for ``walkthrough check``
            to report them: nothing runs a trigger while only reading).

    Returns:
        An open :class:`Database` at the current schema revision.

    Raises:
        NotADatabase: the file is not an SQLite database, or not ours (unmodified).
        ForeignSchemaObjects: it holds triggers, views, tables or indexes the
            program did not make (unmodified; the message names them).
        DamagedDatabase: the database is damaged (unmodified); the message
            gives the command that restores the newest good backup.
        NewerDatabase: written by a newer version of the program (unmodified).
        DatabaseBusy: another program holds it locked.
        ReadOnlyDatabase: it is on a read-only disk or folder (opened for writing).
        StorageError: missing (with ``create=False`` or ``read_only``), or the
            folder cannot be written; the server cannot be reached.
    """
    if isinstance(path, str) and locations.is_database_url(path):
        return _open_server(path, create=create, read_only=read_only)
    path = Path(path)
    if locations.is_in_user_data_dir(path):
        locations.refuse_unsafe_data_dir()  # someone else could read or swap the database there
    if read_only:
        return _open_read_only(path, foreign_objects_ok=foreign_objects_ok)
    created = False
    if not path.exists():
        if not create:
            raise StorageError(f"{path}: no such database")
        _create_private_file(path)
        created = True
    _check_file(path)

    # Decide from a plain read before any pragma touches the file, so a file
    # we refuse is left exactly as it was.
    tables, revision, foreign = _inspect(path)
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabase(f"{path}: an SQLite file, but not a Lens Walkthrough database; it was not changed")
    if revision is not None and revision != SCHEMA_REVISION and not _is_known_revision(revision):
        raise _newer(path, revision)
    if foreign:
        raise foreign_objects_error(path, foreign, "opened")

    engine = _make_engine(path, read_only=False)
    database = Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    try:
        if revision != SCHEMA_REVISION:
            if revision is not None:
                backup_database(engine, path, reason=f"{backups.BEFORE_UPGRADE}{revision}")
            _run_migrations(engine, path)
        elif daily_backup and not created and backups.daily_backup_due(path) and _has_walkthroughs(engine):
            outcome = backups.take_daily_backup(engine, path)
            database.daily_backup, database.backup_warning = outcome.path, outcome.skipped
        if file_check.was_left_open(path):
            # A crash may have left a deletion's old pages in the -wal; another
            # program reading it now is not waited for (it empties it when it closes).
            clear_side_files(database, wait=False)
    except BaseException:
        database.close()
        raise
    return database


def _open_server(url: str, *, create: bool, read_only: bool) -> Database:
    """Open the walkthrough database at a PostgreSQL server's ``url``, setting it up or upgrading it.

    The database itself must exist (made by the server's owner: ``createdb``);
    an empty one gets the tables when ``create`` is set.  Nothing here is
    about files: see the module's docstring.
    """
    engine, label = _server_engine(url, read_only=read_only)
    database = Database(path=None, url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False),
                        read_only=read_only)
    try:
        tables, revision = _inspect_server(engine)
        if revision is None and tables - {"alembic_version"}:
            raise NotADatabase(f"{label}: a PostgreSQL database, but not a Lens Walkthrough one; it was not changed")
        if revision is not None and revision != SCHEMA_REVISION and not _is_known_revision(revision):
            raise NewerDatabase(f"{label}: written by a newer version of Lens Walkthrough (schema {revision}); "
                                "install the newer version to open it. The database was not changed")
        if revision is None and (read_only or not create):
            raise StorageError(f"{label}: an empty database, with no walkthroughs yet; "
                               "start one with `walkthrough new` or `walkthrough demo`")
        if revision != SCHEMA_REVISION:
            if read_only:
                raise ReadOnlyDatabase(f"{label}: made by an older version of Lens Walkthrough; open it once "
                                       "without --read-only to upgrade it", None, ReadOnlyDatabase.OLDER_VERSION)
            _run_server_migrations(engine)
    except BaseException:
        database.close()
        raise
    return database


def _server_engine(url: str, *, read_only: bool) -> tuple[Engine, str]:
    """An engine for a PostgreSQL URL (no connection made yet), and how messages name the database."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    label = locations.database_label(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"{label}: not a database URL; write postgresql+psycopg://USER@HOST/DATABASE, "
                           "or give a database file's path") from None
    if parsed.get_backend_name() != "postgresql":
        raise StorageError(f"{label}: only PostgreSQL servers are supported (postgresql+psycopg://…); "
                           "for a database file give its path")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, not SQLAlchemy's default psycopg2
    connect_args: dict[str, object] = {"connect_timeout": 10}
    if read_only:  # added to the URL's own options (a search_path, say), which this would otherwise replace
        given = parsed.query.get("options")
        given = given if isinstance(given, str) else " ".join(given or ())
        connect_args["options"] = f"{given} -c default_transaction_read_only=on".strip()
    try:
        engine = create_engine(parsed, connect_args=connect_args)
    except ImportError:
        raise StorageError(f"{label}: a PostgreSQL database needs the psycopg driver; install it with "
                           "pip install 'lens-walkthrough[server]'") from None

    def translate(context: ExceptionContext) -> None:
        error = _known_server_error(label, context.original_exception, read_only=read_only)
        if error is not None:
            raise error from None

    event.listen(engine, "handle_error", translate)
    return engine, label


def _inspect_server(engine: Engine) -> tuple[set[str], str | None]:
    """The table names and Alembic revision of a server database (reads only)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return tables, revision


def _run_server_migrations(engine: Engine) -> None:
    """``alembic upgrade head`` in one transaction: PostgreSQL rolls all of it back if any step fails."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def database_exists(location: Path | str) -> bool:
    """True if a walkthrough database is there: the file exists, or the server database has our tables.

    Reads only; for ``list``, which creates nothing.
    """
    if not (isinstance(location, str) and locations.is_database_url(location)):
        return Path(location).exists()
    engine, _label = _server_engine(location, read_only=True)
    try:
        tables, _revision = _inspect_server(engine)
    finally:
        engine.dispose()
    return bool(tables)  # tables not ours: there, and refused when opened


def _known_server_error(label: str, exc: BaseException, *, read_only: bool) -> StorageError | None:
    """The storage error for a PostgreSQL failure the user can act on; ``None`` for any other (a bug).

    By SQLSTATE (psycopg's ``sqlstate``), so that nothing here imports psycopg.
    """
    state = getattr(exc, "sqlstate", None) or ""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state == "25006":  # read_only_sql_transaction
        if read_only:
            return ReadOnlyDatabase(f"{label}: opened read-only for viewing; nothing was changed "
                                    "(open it without --read-only to make changes)",
                                    None, ReadOnlyDatabase.OPENED_READ_ONLY)
        return ReadOnlyDatabase(f"{label}: the server allows only reading ({reason}); nothing was changed",
                                None, ReadOnlyDatabase.WRITE_PROTECTED)
    if state in ("40P01", "55P03"):  # deadlock_detected, lock_not_available
        return DatabaseBusy(f"{label}: in use by another program ({reason}); try again")
    if state == "53100":  # disk_full
        return DiskFull(f"{label}: the server's disk is full; this change was not saved (earlier work is safe)")
    if state.startswith(("08", "28", "3D", "57P")) or (
        not state and type(exc).__name__ == "OperationalError" and type(exc).__module__.startswith("psycopg")
    ):  # connection, authorisation, no such database, server shutting down
        return StorageError(f"{label}: cannot use the database server ({reason})")
    return None


def _open_read_only(path: Path, *, foreign_objects_ok: bool) -> Database:
    if not path.exists():
        raise StorageError(f"{path}: no such database")
    _check_file(path)
    tables, revision, foreign = _inspect(path, read_only=True)
    if revision is None:
        if tables - {"alembic_version"}:
            raise NotADatabase(f"{path}: an SQLite file, but not a Lens Walkthrough database; it was not changed")
        raise StorageError(f"{path}: an empty database, with nothing to show yet")
    if revision != SCHEMA_REVISION:
        if not _is_known_revision(revision):
            raise _newer(path, revision)
        raise ReadOnlyDatabase(
            f"{path}: made by an older version of Lens Walkthrough; open it once without --read-only "
            "to upgrade it (a backup is made first)",
            path, ReadOnlyDatabase.OLDER_VERSION,
        )
    if foreign and not foreign_objects_ok:
        raise foreign_objects_error(path, foreign, "opened")
    engine = _make_engine(path, read_only=True)
    return Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), read_only=True)


def schema_revision_of(path: Path) -> str | None:
    """The schema revision of the database file at ``path`` (read-only), ``None`` if it has none.

    Raises:
        StorageError: it cannot be read as an SQLite database.
    """
    return _inspect(Path(path), read_only=True)[1]


def foreign_objects_in(path: Path) -> tuple[str, ...]:
    """The schema objects in the database file at ``path`` the program did not make (read-only).

    Raises:
        StorageError: it cannot be read as an SQLite database.
    """
    return _inspect(Path(path), read_only=True)[2]


def is_newer_revision(revision: str) -> bool:
    """True if ``revision`` was written by a newer version of the program than this one."""
    return revision != SCHEMA_REVISION and not _is_known_revision(revision)


def _newer(path: Path, revision: str) -> NewerDatabase:
    return NewerDatabase(
        f"{path}: written by a newer version of Lens Walkthrough (schema {revision}); "
        "install the newer version to open it. The file was not changed"
    )


def _check_file(path: Path) -> None:
    """Refuse, unchanged, a file that is not an SQLite database or is damaged (see ``file_check``)."""
    try:
        head = file_check.read_header(path)
    except IsADirectoryError:
        raise NotADatabase(f"{path}: is a folder, not a database file") from None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read ({os_error_reason(exc)})") from None
    if not head:
        return  # an empty file is what SQLite itself makes of a new database
    if not file_check.is_sqlite_header(head):
        if backups.list_backups(path):  # it was ours: overwritten
            raise backups.damaged_error(path, "it is not an SQLite file any more")
        raise NotADatabase(f"{path}: not a Lens Walkthrough database (not an SQLite file); it was not changed")
    problem = file_check.header_problem(path, head)
    if problem is None and file_check.was_left_open(path):
        try:
            problem = file_check.quick_check(path, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            if sqlite_error_name(exc).startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise ReadOnlyDatabase(
                    f"{path}: was not closed cleanly, and its folder is read-only, so it cannot be checked "
                    "or opened; copy it together with its -wal file somewhere you can write",
                    path, ReadOnlyDatabase.NOT_CLOSED_CLEANLY,
                ) from None
            raise storage_error(path, exc) from None
    if problem is not None:
        raise backups.damaged_error(path, problem)


def _inspect(path: Path, *, read_only: bool = False) -> tuple[set[str], str | None, tuple[str, ...]]:
    """The table names, Alembic revision and foreign schema objects, read without changing the file.

    When a ``-wal`` file is beside it (another program has it open, or the
    last session crashed) the read is ``mode=ro``, which can never checkpoint
    it into the file.  Otherwise a normal connection is used: it only reads,
    and unlike a read-only one it removes the side files it makes when it
    closes.
    """
    try:
        if read_only or file_check.side_file(path, "-wal").exists():
            conn = file_check.connect_read_only(path, timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            foreign = foreign_objects(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise storage_error(path, exc, read_only=read_only) from None
    return tables, revision, foreign


def clear_side_files(db: Database, *, wait: bool = True) -> bool:
    """Copy everything in the ``-wal`` side file into the database file, then empty the ``-wal``.

    Called once a deletion or a blur is saved, before it is reported done
    (see ``secure_delete`` above): the ``-wal`` holds the old pages until then.
    ``PRAGMA wal_checkpoint(TRUNCATE)``; about as costly as one more commit
    for a small change.

    Args:
        wait: wait up to :data:`BUSY_TIMEOUT_MS` for another connection that
            is reading an older state; without it, do what can be done now.

    Returns:
        True if the ``-wal`` is now empty; False if another program's read
        kept part of it (it is emptied when that program is done with it,
        at the latest when the last connection closes).  Always True read-only
        (nothing was written).
    """
    if db.read_only or db.path is None:
        return True  # a server database has no side files
    with db.engine.connect() as conn:
        if not wait:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
        finally:
            if not wait:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    return not busy


def database_problems(db: Database) -> list[str]:
    """What the engine's own checks find wrong with an open database, one line each; empty if nothing.

    ``PRAGMA integrity_check`` (the full one), ``PRAGMA foreign_key_check``,
    and schema objects the program did not make.  Reads only.  None on a
    server database: PostgreSQL checks its pages and foreign keys itself.
    """
    problems: list[str] = []
    if db.path is None:
        return problems
    with db.engine.connect() as conn:
        for (line,) in conn.execute(text("PRAGMA integrity_check")):
            if line != "ok":
                problems.append(f"database: {line}")
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"database: table {row[0]} row {row[1]} points to a missing {row[2]}")
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        foreign = foreign_objects(raw)
    if foreign:
        problems.append(f"database: holds database objects Lens Walkthrough did not make ({', '.join(foreign)})")
    return problems


def _has_walkthroughs(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM walkthrough)")).scalar())


def _create_private_file(path: Path) -> None:
    try:
        locations.make_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the database ({os_error_reason(exc)})") from None


def _make_engine(path: Path, *, read_only: bool) -> Engine:
    if read_only:
        # A creator, because the URI (mode=ro, maybe immutable) is chosen by
        # trying; the URL still names the file so SQLAlchemy pools it as one.
        engine = create_engine(
            URL.create("sqlite+pysqlite", database=str(path)),
            creator=lambda: file_check.connect_read_only(path, timeout=BUSY_TIMEOUT_MS / 1000),
        )
        event.listen(engine, "connect", _on_connect_read_only)
    else:
        engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "checkin", _usual_cache_again)

    def translate(context: ExceptionContext) -> None:
        error = _known_storage_error(path, context.original_exception, read_only=read_only)
        if error is not None:
            raise error from None

    event.listen(engine, "handle_error", translate)
    return engine


def large_write(session: Session) -> None:
    """Give the rest of ``session``'s transaction a larger page cache (:data:`LARGE_WRITE_CACHE_KIB`).

    For a bulk import.  SQLite only (a server keeps its own caches); the
    connection takes its usual cache back when it returns to the pool.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    record = connection.connection  # the pooled connection: its info outlives this checkout
    if "usual_cache_size" not in record.info:
        record.info["usual_cache_size"] = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(LARGE_WRITE_CACHE_KIB)}")


def _usual_cache_again(dbapi_connection: sqlite3.Connection | None, record: Any) -> None:
    usual = record.info.pop("usual_cache_size", None)
    if usual is not None and dbapi_connection is not None:
        with contextlib.suppress(sqlite3.Error):  # a connection that broke is thrown away, cache and all
            dbapi_connection.execute(f"PRAGMA cache_size={int(usual)}")


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _on_connect_read_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Only pragmas that set this connection's behaviour; none writes the file.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA query_only=ON")
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
        with engine.connect() as conn:
            # Off while tables are copied (SQLite's way to alter one): dropping
            # the old copy with foreign keys on would cascade, deleting every
            # photo of every observation.  SQLite ignores this pragma inside a
            # transaction, so it is set before one begins, and checked after.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            try:
                with conn.begin():
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(f"{path}: the upgrade would break links between rows "
                                           f"({broken[0][0]}); the database was not changed")
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    except DBAPIError as exc:
        raise storage_error(path, exc.orig if exc.orig is not None else exc) from None


def storage_error(path: Path, exc: BaseException, *, read_only: bool = False) -> StorageError:
    """The one-line storage error for an SQLite failure on ``path`` (the same words for every caller)."""
    return _known_storage_error(path, exc, read_only=read_only) or StorageError(f"{path}: {exc}")


def _known_storage_error(path: Path, exc: BaseException, *, read_only: bool) -> StorageError | None:
    """The storage error for a failure about the file or the disk; ``None`` for any other.

    Others (a constraint, a mistake in a query) are raised as they were: they
    are bugs, not something the user can act on.
    """
    name = sqlite_error_name(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(f"{path}: in use by another program (database is locked); close it and try again",
                            path)
    if name.startswith(file_check.DAMAGE_ERRORS):
        return backups.damaged_error(path, str(exc))
    cannot_write = name.startswith("SQLITE_CANTOPEN") and path.exists() and not (
        os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    )
    if name.startswith("SQLITE_READONLY") or cannot_write:
        if read_only:
            return ReadOnlyDatabase(f"{path}: opened read-only for viewing; nothing was changed "
                                    "(open it without --read-only to make changes)",
                                    path, ReadOnlyDatabase.OPENED_READ_ONLY)
        return ReadOnlyDatabase(f"{path}: cannot write here (the disk, folder or file is read-only); "
                                "use --read-only to view it, or copy it somewhere you can write",
                                path, ReadOnlyDatabase.WRITE_PROTECTED)
    if name.startswith("SQLITE_FULL"):
        return DiskFull(f"{path}: the disk is full; this change was not saved (earlier work is safe). "
                        "Free some space and try again", path)
    if name.startswith("SQLITE_IOERR"):
        return DiskFull(f"{path}: the disk could not be written or read (disk I/O error: is it full, or was it "
                        "removed?); this change was not saved (earlier work is safe)", path, io_error=True)
    if name.startswith("SQLITE_CANTOPEN"):
        return StorageError(f"{path}: cannot open the database file (is its folder there and readable?)")
    return None
