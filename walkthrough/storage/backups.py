"""Backups of a walkthrough database: how they are made, named, checked and rotated.

**How.**  Always with SQLite's online backup API, never by copying the file's
bytes: recent commits may still sit in the ``-wal`` side file, and a byte
copy taken while the program writes can be torn.  The API reads a consistent
snapshot, ``-wal`` included.  Each backup is then switched to a rollback
journal, so it is one self-contained file (no ``-wal`` beside it) that can be
copied to a stick as it is.  It is written under a temporary name, checked
with ``PRAGMA quick_check``, flushed and renamed: there is never a half
backup with a backup's name.

**When (automatic backups).**

* Before a schema upgrade (``before-upgrade-from-<revision>``) and before a
  restore replaces the database (``before-restore``).
* Once a day of use (``daily``): when the database is opened and the newest
  backup of it here is older than :data:`DAILY_INTERVAL` (24 h) or there is
  none.  "A day of use", not every calendar day: a laptop left in a drawer
  makes no backups and loses none.  A new or empty database (no walkthrough)
  is not backed up: there is nothing to lose.  Deciding costs a folder
  listing (an open with no backup due took 1 ms); the backup, with its
  check and flush, took 0.4-0.6 s for a 101 MB database on the development
  machine's SSD, once a day.

**How many.**  :data:`KEEP_DAILY` = 10 daily backups per database; older
daily ones are deleted when a new one is made.  Ten days of use cover the
usual cycle of a walkthrough (the walk, the workshop a week or two later, the
plan), so a note deleted by mistake or damage noticed at the workshop can
still be undone.  Each is a full copy, photos included: a busy user's
database of ~0.5 GB costs ~5 GB for all ten.  Backups made before an upgrade
or a restore, and the ones you ask for (``walkthrough backup``), are never
deleted automatically: each is the only copy of a particular moment (the
last state an older version of the program can open; the data a restore
replaced), and they are rare.

**Never fill the disk.**  An automatic backup is skipped, with a warning, if
it would leave less than :data:`FREE_SPACE_RESERVE` (500 MB) free: a full
disk stops the next save, which is worse than a missed daily copy.

**Never rotate good copies out with damaged ones.**  A backup that fails its
quick check means the database itself is damaged: the copy is deleted at
once and the database is reported as damaged, so the ten kept are all good.

**Private.**  Files are created user-only (0600) in a user-only folder.  They
hold everything the database held that day, including notes and photos
deleted since, until they are rotated out.

**Names.**  ``<database name>-<key>-<YYYYMMDD-HHMMSS>-<reason>.sqlite3`` in
:func:`walkthrough.storage.locations.backups_dir`; ``<key>`` is 8 hex digits
of the database's full path, so two databases with the same name (the
default one and one on a USB stick) each keep their own ten.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from walkthrough.domain.errors import StorageError
from walkthrough.storage import locations
from walkthrough.storage.atomic_file import (
    new_partial_file,
    refuse_protected_destination,
    refuse_unless_ordinary_file,
    sync_folder,
)
from walkthrough.storage.errors import DamagedDatabase, DiskFull, os_error_reason, sqlite_error_name
from walkthrough.storage.file_check import (
    connect_leaving_nothing,
    connect_read_only,
    header_problem,
    is_sqlite_header,
    page_size_of,
    quick_check,
    read_header,
    side_file,
)
from walkthrough.storage.schema_objects import foreign_objects

#: A database opened this long after its newest backup gets a new one.
DAILY_INTERVAL = dt.timedelta(hours=24)
#: Daily backups kept per database.
KEEP_DAILY = 10
#: Free space an automatic backup must leave on its disk, in bytes.
FREE_SPACE_RESERVE = 500 * 1024 * 1024

DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
#: Made before a package's changes are brought in; the newest :data:`KEEP_BEFORE_RECEIVE` are kept.
BEFORE_RECEIVE = "before-receive"
KEEP_BEFORE_RECEIVE = 5
BEFORE_UPGRADE = "before-upgrade-from-"

_STAMP = "%Y%m%d-%H%M%S"
_SUFFIX = ".sqlite3"
_MAX_STEM = 60  # keeps backup names well under the 255-byte file name limit
_REST = re.compile(r"^(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?-(?P<reason>[a-z][a-z0-9_.-]*)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    """One backup in the backups folder.

    Attributes:
        path: the file.
        created: when it was made (local time, from its name).
        size: its size in bytes.
        reason: ``daily``, ``manual``, ``before-restore`` or ``before-upgrade-from-…``.
    """

    path: Path
    created: dt.datetime
    size: int
    reason: str
    sequence: int = 0

    @property
    def automatic(self) -> bool:
        """True unless someone asked for it."""
        return self.reason != MANUAL


@dataclass(frozen=True)
class DailyBackup:
    """What :func:`take_daily_backup` did: ``path`` made, or why not in ``skipped``."""

    path: Path | None = None
    skipped: str | None = None


def database_key(database_path: Path) -> str:
    """8 hex digits naming this database's full path, shared by all its backups."""
    full = os.path.normcase(os.path.abspath(database_path))
    return hashlib.sha256(os.fsencode(full)).hexdigest()[:8]


def _prefix(database_path: Path) -> str:
    stem = Path(database_path).stem or "database"
    return f"{stem[:_MAX_STEM]}-{database_key(database_path)}-"


def new_backup_path(database_path: Path, reason: str, now: dt.datetime | None = None) -> Path:
    """A new, unused file name in the backups folder for a backup of ``database_path``."""
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
    folder = locations.backups_dir()
    candidate = folder / f"{_prefix(database_path)}{stamp}-{reason}{_SUFFIX}"
    seq = 2
    while candidate.exists():
        candidate = folder / f"{_prefix(database_path)}{stamp}-{seq}-{reason}{_SUFFIX}"
        seq += 1
    return candidate


def list_backups(database_path: Path) -> list[BackupFile]:
    """The backups of ``database_path`` in the backups folder, newest first."""
    prefix = _prefix(database_path)
    found: list[BackupFile] = []
    try:
        entries = list(os.scandir(locations.backups_dir()))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _REST.match(entry.name[len(prefix):])
        if match is None:
            continue
        try:
            created = dt.datetime.strptime(match["stamp"], _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupFile(Path(entry.path), created, size, match["reason"], int(match["seq"] or 1)))
    found.sort(key=lambda b: (b.created, b.sequence), reverse=True)
    return found


def backup_database(
    source: Engine | Path, database_path: Path, *, reason: str, dest: Path | None = None, replace: bool = False,
    prepare: Callable[[Path], None] | None = None,
) -> Path:
    """Copy a live database consistently with SQLite's online backup API.

    Never copies the file bytes: recent commits may still sit in the ``-wal``
    side file, and the backup API reads them too.  The copy is one
    self-contained file (rollback journal), user-only, quick-checked before it
    gets its name.

    Args:
        source: an engine on the database, or its path (read ``mode=ro``).
        database_path: the database file (names the backup).
        reason: a short tag for the file name, e.g. ``"before-upgrade-from-0001"``.
        dest: where to write; default a new file in :func:`locations.backups_dir`.
        prepare: called with the copy's path before the copy gets its name (what it raises
            leaves no copy): to change the copy, which is then made one self-contained file again.

    Returns:
        The backup file.

    Raises:
        DamagedDatabase: the copy fails its check, so the database is damaged
            (no copy is left).
        DiskFull: the disk filled up or could not be written (no partial file is left).
        StorageError: the backup could not be written (no partial file is left).
    """
    database_path = Path(database_path)
    dest = new_backup_path(database_path, reason) if dest is None else Path(dest)
    refuse_unless_ordinary_file(dest, StorageError)
    refuse_protected_destination(dest, StorageError, database_path=database_path, replace_database=replace)
    if dest.parent == locations.backups_dir():
        try:
            locations.make_private_dir(dest.parent)
        except OSError as exc:
            raise StorageError(f"{dest.parent}: cannot make the backups folder ({os_error_reason(exc)})") from None
    try:
        partial = new_partial_file(dest)
    except OSError as exc:
        raise _write_error(dest, "cannot write the backup", exc) from None
    try:
        _copy_with_backup_api(source, partial)
        if prepare is not None:
            prepare(partial)
            _one_file(partial)
        problem = quick_check(partial)
        if problem is not None:
            _remove(partial)
            raise damaged_error(database_path, problem)
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, dest)
    except (OSError, sqlite3.Error) as exc:
        _remove(partial)
        raise _write_error(dest, "cannot write the backup", exc) from None
    except BaseException:
        _remove(partial)
        raise
    sync_folder(dest.parent)
    return dest


def _copy_with_backup_api(source: Engine | Path, target_path: Path) -> None:
    """Copy into ``target_path``, an empty user-only file this process has just created."""
    target = sqlite3.connect(target_path)
    try:
        if isinstance(source, Path):
            src = connect_read_only(source)
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
        # The copied header says WAL; one file with no side files is what a backup should be.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _one_file(path: Path) -> None:
    """Make the database at ``path`` one self-contained file again (rollback journal; its WAL checkpointed)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def copy_to_restore(source: Path, database_path: Path) -> Path:
    """A private copy of ``source`` in the backups folder, in the database's page size, to restore from.

    Restoring reads ``source`` several times (checks, then the copy itself).
    Doing all of it on this copy leaves nothing beside ``source``: it is read
    once, with :func:`connect_leaving_nothing`.  And SQLite's backup API cannot
    copy into a database in WAL mode from one of another page size (a backup
    made by another program, or by ``VACUUM`` with another ``page_size``), so
    the copy is rebuilt (``VACUUM``) in the page size of the database it will
    replace.  The caller deletes it (:func:`remove_copy`); one a crash left
    is cleared with the other stale partial files (:func:`prune_daily`).

    Raises:
        sqlite3.Error: ``source`` cannot be read as a database (no copy is left).
        OSError: the copy cannot be written (no copy is left).
    """
    destination = new_backup_path(database_path, "restore-source")
    locations.make_private_dir(destination.parent)
    copy = new_partial_file(destination)  # exclusive, user-only, under a name no one can guess
    try:
        target = sqlite3.connect(copy)
        try:
            src = connect_leaving_nothing(source)
            try:
                src.backup(target)
            finally:
                src.close()
            target.execute("PRAGMA journal_mode=DELETE")
            wanted = _page_size(database_path)
            if wanted is not None and target.execute("PRAGMA page_size").fetchone()[0] != wanted:
                target.execute(f"PRAGMA page_size={int(wanted)}")
                target.execute("VACUUM")
        finally:
            target.close()
    except BaseException:
        remove_copy(copy)
        raise
    return copy


def restore_in_place(copy: Path, database_path: Path, *, timeout: float) -> None:
    """Overwrite the live database's pages with those of ``copy`` (from :func:`copy_to_restore`), in one transaction.

    Through SQLite's backup API, flushed to the disk (``synchronous=FULL``):
    a crash midway leaves the old contents or the new ones.

    Args:
        timeout: seconds to wait for another connection's lock.

    Raises:
        sqlite3.Error: the database cannot be written (it is left as it was).
    """
    target = sqlite3.connect(database_path, timeout=timeout)
    try:
        target.execute("PRAGMA synchronous=FULL")
        src = connect_read_only(copy)
        try:
            src.backup(target)
        finally:
            src.close()
    finally:
        target.close()


def remove_copy(copy: Path) -> None:
    """Delete a copy made by :func:`copy_to_restore` (and its journal, if any)."""
    _remove(copy)


def _page_size(database_path: Path) -> int | None:
    """The page size of the SQLite database at ``database_path``; ``None`` if there is none to read."""
    try:
        head = read_header(database_path)
    except OSError:
        return None
    if not is_sqlite_header(head) or header_problem(database_path, head) is not None:
        return None
    return page_size_of(head)


def _write_error(dest: Path, doing: str, exc: BaseException) -> StorageError:
    if isinstance(exc, OSError):
        why = os_error_reason(exc)
        full = exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
    else:
        name = sqlite_error_name(exc)
        full = name.startswith(("SQLITE_FULL", "SQLITE_IOERR"))
        why = "the disk is full, or could not be written" if full else str(exc)
    return (DiskFull if full else StorageError)(f"{dest}: {doing} ({why})")


def verify_backup(path: Path, *, check_photos: bool = True) -> str | None:
    """What makes ``path`` unusable as a walkthrough database, or ``None`` if it is fine.

    Reads only: the header, ``PRAGMA quick_check``, that it has the
    program's schema-version table and no trigger, view, table or index the
    program did not make (:mod:`.schema_objects`), and (``check_photos``) that every
    photo's bytes still match their stored SHA-256: damage SQLite's own
    check cannot see, about 0.3 s for a 100 MB database.  Photos are not
    decoded: ``walkthrough check`` does that.  Restoring a backup the person
    chose checks without the photos and reports them after (one damaged
    photo should not keep the rest of a walkthrough from coming back).
    """
    try:
        head = read_header(path)
        if not is_sqlite_header(head):
            return "not an SQLite file"
        problem = header_problem(path, head) or quick_check(path)
        if problem is not None:
            return f"damaged ({problem})"
        conn = connect_read_only(path)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            versions = conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] if (
                "alembic_version" in tables) else 0
            if versions != 1:
                return "not a Lens Walkthrough database"
            foreign = foreign_objects(conn)
            if foreign:
                return f"holds database objects Lens Walkthrough did not make ({', '.join(foreign)})"
            if check_photos and "photo" in tables:
                for photo_id, digest, jpeg in conn.execute("SELECT id, sha256, jpeg FROM photo"):
                    if hashlib.sha256(jpeg or b"").hexdigest() != digest:
                        return f"damaged (photo {photo_id}: bytes do not match their checksum)"
        finally:
            conn.close()
    except OSError as exc:
        return f"cannot be read ({os_error_reason(exc)})"
    except sqlite3.Error as exc:
        return f"cannot be read ({exc})"
    return None


def newest_good_backup(database_path: Path) -> Path | None:
    """The newest backup of ``database_path`` that passes :func:`verify_backup`."""
    for backup in list_backups(database_path):
        if verify_backup(backup.path) is None:
            return backup.path
    return None


def restore_command(database_path: Path, backup: Path) -> str:
    """The exact command that restores ``backup`` over ``database_path``, quoted for this system's shell."""
    args = ["walkthrough"]
    if os.path.abspath(database_path) != os.path.abspath(locations.default_database_path()):
        args += ["--db", os.path.abspath(database_path)]
    args += ["restore", os.path.abspath(backup)]
    return subprocess.list2cmdline(args) if os.name == "nt" else shlex.join(args)


def damaged_error(database_path: Path, problem: str) -> DamagedDatabase:
    """The error for a damaged database: what is wrong, and how to get the newest good backup back."""
    good = newest_good_backup(database_path)
    if good is not None:
        advice = f"restore the newest good backup with: {restore_command(database_path, good)}"
    else:
        advice = (f"no good backup of it was found in {locations.backups_dir()}; keep the file as it is "
                  "and ask for help recovering it")
    return DamagedDatabase(
        f"{database_path}: the database is damaged ({problem}); it was not changed. To carry on, {advice}",
        Path(database_path),
        good,
        locations.backups_dir(),
    )


def daily_backup_due(database_path: Path, now: dt.datetime | None = None) -> bool:
    """True if the newest backup of ``database_path`` is older than :data:`DAILY_INTERVAL`, or there is none."""
    now = now or dt.datetime.now()
    backups = list_backups(database_path)
    if not backups:
        return True
    age = now - backups[0].created
    # A clock set back (a new battery, a time zone) must not stop backups for days.
    return age >= DAILY_INTERVAL or age < -dt.timedelta(hours=1)


def take_daily_backup(engine: Engine, database_path: Path) -> DailyBackup:
    """Make the daily backup and delete daily ones beyond :data:`KEEP_DAILY`.

    The caller has checked :func:`daily_backup_due` and that the database
    holds something.  A failure to write is reported in the result, never
    raised: a missed backup must not stop anyone working.

    Raises:
        DamagedDatabase: the copy failed its check - the database is damaged.
    """
    outcome = _automatic_backup(engine, database_path, DAILY, "no automatic backup today")
    if outcome.path is not None:
        prune_daily(database_path)
    return outcome


def take_backup_before_receiving(engine: Engine, database_path: Path) -> DailyBackup:
    """Back the database up before a package's changes come in; keep the newest few such backups.

    Like the daily backup, a full disk skips it (said in the result) rather
    than stop the work.

    Raises:
        DamagedDatabase: the copy failed its check - the database is damaged.
    """
    outcome = _automatic_backup(engine, database_path, BEFORE_RECEIVE, "no backup before bringing the changes in")
    if outcome.path is not None:
        prune_daily(database_path, KEEP_BEFORE_RECEIVE, reason=BEFORE_RECEIVE)
    return outcome


def _automatic_backup(engine: Engine, database_path: Path, reason: str, not_made: str) -> DailyBackup:
    """A backup the program makes by itself; skipped (``not_made``, and why) rather than fill the disk or fail.

    Raises:
        DamagedDatabase: the copy failed its check - the database is damaged.
    """
    needed = _file_size(database_path) + _file_size(side_file(database_path, "-wal"))
    free = _free_space(locations.backups_dir())
    if free is not None and free - needed < FREE_SPACE_RESERVE:
        return DailyBackup(skipped=f"{not_made}: only {free // 1_000_000:,} MB free on the disk "
                                   f"of {locations.backups_dir()}")
    try:
        path = backup_database(engine, database_path, reason=reason)
    except DamagedDatabase:
        raise
    except StorageError as exc:
        return DailyBackup(skipped=f"{not_made}: {exc}")
    return DailyBackup(path=path)


def prune_daily(database_path: Path, keep: int = KEEP_DAILY, *, reason: str = DAILY) -> list[Path]:
    """Delete the daily backups of ``database_path`` (or those for another ``reason``) beyond the newest ``keep``.

    Returns the ones deleted.  Also clears half-written backups of it that a
    crash left behind (``.<name>.partial``, more than an hour old, so never
    one being written now).
    """
    daily = [b for b in list_backups(database_path) if b.reason == reason]
    doomed = [b.path for b in daily[keep:]]
    stale_before = dt.datetime.now().timestamp() - 3600
    try:
        for entry in os.scandir(locations.backups_dir()):
            if (entry.name.startswith("." + _prefix(database_path)) and entry.name.endswith(".partial")
                    and entry.stat().st_mtime < stale_before):
                doomed.append(Path(entry.path))
    except OSError:
        pass
    deleted = []
    for old in doomed:
        try:
            old.unlink()
            deleted.append(old)
        except OSError:
            pass  # tried again next time
    return deleted


def _free_space(folder: Path) -> int | None:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _remove(partial: Path) -> None:
    for leftover in (partial, side_file(partial, "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass
