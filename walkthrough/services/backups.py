"""Backing up, copying and restoring a walkthrough database.

The use cases behind ``walkthrough backup``, ``backups``, ``copy-db`` and
``restore``.  Every copy goes through SQLite's online backup API, so work
still in the ``-wal`` side file is never lost and a database in use is never
copied half-written.  When automatic backups are made, how many are kept and
why: :mod:`walkthrough.storage.backups`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from walkthrough.domain.errors import NewerDatabase, NotADatabase, StorageError
from walkthrough.services.history import start_as_new_device
from walkthrough.storage import backups, file_check, locations
from walkthrough.storage.atomic_file import new_partial_file, refuse_protected_destination, sync_folder
from walkthrough.storage.backups import BackupFile
from walkthrough.storage.database import (
    BUSY_TIMEOUT_MS,
    ENGINE_ERRORS,
    is_newer_revision,
    open_database,
    schema_revision_of,
    storage_error,
)
from walkthrough.storage.errors import os_error_reason
from walkthrough.storage.input_file import NOT_ORDINARY, is_ordinary_file


@dataclass(frozen=True)
class RestoreOutcome:
    """What :func:`restore_database` did.

    Attributes:
        database: the database that now holds the backup's contents.
        source: the backup restored.
        saved_current: where the replaced contents were saved first (``None``
            if there was no database, or an empty one).
        problems: damage the backup already had, found by the check
            ``walkthrough check`` runs (photos not decoded); empty if none.
            It was restored all the same: it was the one asked for, and the
            contents it replaced are saved.
    """

    database: Path
    source: Path
    saved_current: Path | None
    problems: tuple[str, ...] = ()


def back_up(database_path: Path, dest: Path | None = None, *, read_only: bool = False, replace: bool = False) -> Path:
    """Back up the database now; into the backups folder unless ``dest`` is given.

    Args:
        dest: a file to write (replaced atomically if it exists) or a folder
            to write a dated copy into; default a new file in the backups folder.
        read_only: the database was opened ``--read-only`` (it is still read
            consistently; nothing is upgraded).
        replace: ``dest`` may be a walkthrough database or backup already
            (an older copy), to be written over.

    Returns:
        The backup file.

    Raises:
        DestinationHoldsDatabase: ``dest`` is another database or a backup, and
            ``replace`` was not given.
        StorageError: the database cannot be opened, ``dest`` is the database
            itself, or the backup cannot be written (no partial file is left).
    """
    database_path = Path(database_path)
    if dest is not None and Path(dest).is_dir():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = Path(dest) / f"{database_path.stem}-{stamp}{database_path.suffix or '.sqlite3'}"
    return _copy(database_path, dest, read_only=read_only, reason=backups.MANUAL, replace=replace)


def copy_database(database_path: Path, dest: Path, *, read_only: bool = False, replace: bool = False) -> Path:
    """Write a consistent, self-contained copy of the database to ``dest`` (e.g. on a USB stick).

    The copy is another device (keeping the device's name and person): it
    and the database may both be changed from now on, and two databases
    numbering changes as one device would give two changes the same number.
    (A backup keeps the device: it is not worked on, and a restore makes the
    new device.)

    Args:
        dest: a file (replaced atomically if it exists) or a folder to put a
            copy of the same name in.

    Returns:
        The copy.

    Raises:
        StorageError: as :func:`back_up`.
    """
    database_path = Path(database_path)
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / database_path.name
    return _copy(database_path, dest, read_only=read_only, reason="copy", replace=replace, prepare=_as_new_device)


def _copy(database_path: Path, dest: Path | None, *, read_only: bool, reason: str, replace: bool,
          prepare: Callable[[Path], None] | None = None) -> Path:
    if dest is not None:
        refuse_protected_destination(Path(dest), StorageError, database_path=database_path, replace_database=replace)
    with open_database(database_path, create=False, read_only=read_only, daily_backup=False) as db:
        return backups.backup_database(db.engine, database_path, reason=reason, dest=dest, replace=replace,
                                       prepare=prepare)


def _as_new_device(copy: Path) -> None:
    """The copy, before it gets its name, numbers its changes as a device of its own."""
    with open_database(copy, create=False, daily_backup=False) as db:
        start_as_new_device(db)


def list_backups(database_path: Path) -> list[BackupFile]:
    """The backups of this database in the backups folder, newest first."""
    return backups.list_backups(Path(database_path))


def restore_database(database_path: Path, source: Path) -> RestoreOutcome:
    """Replace the database's contents with a backup's, saving the current contents first.

    The backup must be a whole walkthrough database (it passes SQLite's quick
    check) from this version of the program or an older one (it is upgraded
    after).  It is then given ``walkthrough check``'s check without decoding
    photos (:func:`~walkthrough.services.integrity.check_database_file`):
    full integrity check, lens snapshots, every photo's checksum; about
    0.3 s for a 100 MB database (decoding every photo as well would take
    about 3-4 s).  What it finds is returned in ``problems``: a backup made
    after a photo was damaged carries the damage, and the one asked for is
    still better restored than not.  All of this is done on a private copy
    of the backup in the backups folder, read once and deleted after: nothing
    is left beside the backup, and a backup of any page size can be restored
    (:func:`~walkthrough.storage.backups.copy_to_restore`).  The current contents are first saved in the backups folder
    (``before-restore``) with the backup API; a damaged database is saved
    byte for byte instead, with its ``-wal`` file, for anyone trying to
    recover it.  The contents are then replaced with the backup API, in one
    transaction, so a crash midway leaves the old contents or the new ones;
    only a database too damaged for SQLite to write is replaced by renaming
    a complete new file over it.

    Raises:
        NotADatabase: ``source`` is missing, not a walkthrough database or damaged.
        NewerDatabase: ``source`` is from a newer version of the program.
        StorageError: the database or the saved copy cannot be written; the
            database is left as it was.
    """
    database_path, source = Path(database_path), Path(source)
    if not source.exists():
        raise NotADatabase(f"{source}: no such backup file; nothing was changed")
    if not is_ordinary_file(source):  # a pipe would hang SQLite's open; a folder is no backup
        raise NotADatabase(f"{source}: {NOT_ORDINARY if not source.is_dir() else 'a folder'}, not a backup file; "
                           "nothing was changed")
    if _is_the_database(source, database_path):
        raise StorageError(f"{source}: that is the database itself; choose a backup file")
    problem = file_check.first_bytes_problem(source)
    if problem is not None:
        raise NotADatabase(f"{source}: cannot restore from it: {problem}; nothing was changed")
    copy = _copy_to_restore(source, database_path)
    try:
        problems = _check_copy(source, copy)
        healthy = file_check.is_whole_database(database_path)
        saved = _save_current(database_path, healthy)
        if healthy:
            _restore_in_place(copy, database_path)
        else:
            _restore_by_rename(copy, database_path)
    finally:
        backups.remove_copy(copy)
    with open_database(database_path, daily_backup=False) as db:  # upgrades an older backup, proves it opens
        # Its history went back in time: changes numbered since may be on other laptops already.
        start_as_new_device(db)
    return RestoreOutcome(database_path, source, saved, problems)


def _copy_to_restore(source: Path, database_path: Path) -> Path:
    """``source`` read once into a private copy to check and restore from (see :func:`backups.copy_to_restore`)."""
    try:
        return backups.copy_to_restore(source, database_path)
    except ENGINE_ERRORS as exc:
        raise NotADatabase(f"{source}: cannot restore from it: damaged ({exc}); nothing was changed") from None
    except OSError as exc:
        raise StorageError(f"{locations.backups_dir()}: cannot make a copy of {source} to restore from "
                           f"({os_error_reason(exc)}); nothing was changed") from None


def _check_copy(source: Path, copy: Path) -> tuple[str, ...]:
    """Refuse a copy that is not a whole walkthrough database of this version or older; the damage it has.

    Messages name ``source``, the file the person chose, never the copy.
    """
    problem = backups.verify_backup(copy, check_photos=False)  # photo damage is reported after
    if problem is not None:
        raise NotADatabase(f"{source}: cannot restore from it: {problem}; nothing was changed")
    revision = schema_revision_of(copy)
    if revision is None or is_newer_revision(revision):
        raise NewerDatabase(
            f"{source}: made by a newer version of Lens Walkthrough (schema {revision}); "
            "install the newer version to restore it. Nothing was changed"
        )

    from walkthrough.services.integrity import check_database_file

    return check_database_file(copy, decode_photos=False)


def _save_current(database_path: Path, healthy: bool) -> Path | None:
    try:
        if database_path.stat().st_size == 0:
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"{database_path}: cannot read ({os_error_reason(exc)}); nothing was changed") from None
    if healthy:
        return backups.backup_database(database_path, database_path, reason=backups.BEFORE_RESTORE)
    # Damaged: keep every byte, and the -wal beside it, for whoever tries to recover it.
    try:
        locations.make_private_dir(locations.backups_dir())
        dest = backups.new_backup_path(database_path, f"{backups.BEFORE_RESTORE}-damaged")
        for suffix in ("", "-wal"):
            original = file_check.side_file(database_path, suffix) if suffix else database_path
            if original.exists():
                _copy_file_privately(original, file_check.side_file(dest, suffix) if suffix else dest)
    except OSError as exc:
        raise StorageError(f"{database_path}: cannot save the damaged database before restoring "
                           f"({os_error_reason(exc)}); nothing was changed") from None
    return dest


def _copy_file_privately(original: Path, dest: Path) -> None:
    partial = new_partial_file(dest)
    try:
        with open(partial, "wb") as out, original.open("rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(dest.parent)


def _restore_in_place(source: Path, database_path: Path) -> None:
    """Overwrite the live database's pages with the backup's, in one transaction."""
    try:
        backups.restore_in_place(source, database_path, timeout=BUSY_TIMEOUT_MS / 1000)
    except ENGINE_ERRORS as exc:
        raise storage_error(database_path, exc) from None


def _restore_by_rename(source: Path, database_path: Path) -> None:
    """Write the backup to a new file beside the database, then rename it over the database.

    Only for a missing database or one SQLite cannot use: its ``-wal`` and
    ``-shm`` files go first (they are saved already), or SQLite would replay
    the old ``-wal`` onto the restored file.
    """
    try:
        locations.make_private_dir(database_path.parent)
        placeholder = new_partial_file(database_path)  # an unguessable name no one else can have put there
    except OSError as exc:
        raise StorageError(f"{database_path.parent}: cannot write there ({os_error_reason(exc)})") from None
    try:
        fresh = backups.backup_database(source, database_path, reason="restore", dest=placeholder)
    except BaseException:
        placeholder.unlink(missing_ok=True)
        raise
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            file_check.side_file(database_path, suffix).unlink(missing_ok=True)
        os.replace(fresh, database_path)
    except OSError as exc:
        fresh.unlink(missing_ok=True)
        raise StorageError(f"{database_path}: cannot replace it ({os_error_reason(exc)})") from None
    sync_folder(database_path.parent)


def _is_the_database(candidate: Path, database_path: Path) -> bool:
    names = {os.path.normcase(os.path.abspath(database_path) + s) for s in ("", "-wal", "-shm", "-journal")}
    if os.path.normcase(os.path.abspath(candidate)) in names:
        return True
    try:
        return candidate.exists() and database_path.exists() and os.path.samefile(candidate, database_path)
    except OSError:
        return False
