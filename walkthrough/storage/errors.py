"""Storage errors a person can act on, beyond the ones in :mod:`walkthrough.domain.errors`.

Each is a :class:`~walkthrough.domain.errors.StorageError` whose ``str()`` is
one line naming the file, in the command line's words; the command line
prints it after ``error:``, the desktop app words the attributes
(``walkthrough.gui.error_wording``).
"""

from __future__ import annotations

import errno
from pathlib import Path

from walkthrough.domain.errors import NotADatabase, StorageError


class DamagedDatabase(NotADatabase):
    """The database file is damaged (fails SQLite's check, is cut short or overwritten).

    It was not modified.  The message ends with the exact command that
    restores the newest backup that passes its own check, when there is one.

    Attributes:
        path: the damaged database file.
        restore_from: that backup, or ``None`` if no good backup was found.
        backups_dir: the folder searched for backups, or ``None`` if not known.
    """

    def __init__(self, message: str, path: Path, restore_from: Path | None = None,
                 backups_dir: Path | None = None) -> None:
        self.path = path
        self.restore_from = restore_from
        self.backups_dir = backups_dir
        super().__init__(message)


class ReadOnlyDatabase(StorageError):
    """A change was asked of a database that cannot be written.

    Either it was opened read-only (for viewing), or it sits somewhere this
    user cannot write (a write-protected USB stick, a shared folder).
    Nothing was changed.

    Attributes:
        path: the database file, or ``None`` if not known.
        why: one of :data:`OPENED_READ_ONLY`, :data:`WRITE_PROTECTED`,
            :data:`OLDER_VERSION` (it must be upgraded, which writes, before
            it can be viewed), :data:`NOT_CLOSED_CLEANLY` (it needs its
            ``-wal`` file taken in, in a folder that cannot be written).
    """

    OPENED_READ_ONLY = "opened read-only"
    WRITE_PROTECTED = "write-protected"
    OLDER_VERSION = "older version"
    NOT_CLOSED_CLEANLY = "not closed cleanly"

    def __init__(self, message: str, path: Path | None = None, why: str = WRITE_PROTECTED) -> None:
        self.path = path
        self.why = why
        super().__init__(message)


class DiskFull(StorageError):
    """The disk is full, or a write to it failed (a USB stick pulled out).

    The change being saved was not saved; what was saved before is intact.

    Attributes:
        path: the database file, or ``None`` if not known.
        io_error: True if the disk could not be written or read at all (not
            known to be full: perhaps removed).
    """

    def __init__(self, message: str, path: Path | None = None, *, io_error: bool = False) -> None:
        self.path = path
        self.io_error = io_error
        super().__init__(message)


def os_error_reason(exc: OSError) -> str:
    """A few plain words for why the operating system refused a read or write.

    Mostly the system's own words ("No space left on device", "Permission
    denied").  Two are reworded because they mean nothing to a facilitator:
    ``EFBIG`` "File too large" - a file bigger than the file system allows
    (4 GB on the FAT32 of most USB sticks) or than a process limit, which in
    practice is a disk that is full for this file - and ``EIO``, which is
    what a USB stick pulled out mid-write gives.
    """
    if exc.errno == errno.EFBIG:
        return "the disk is full, or the file is too large for it"
    if exc.errno == errno.EIO:
        return "the disk could not be read or written - was it removed?"
    return exc.strerror or str(exc)


def sqlite_error_name(exc: BaseException) -> str:
    """SQLite's extended error name (``SQLITE_FULL``, ``SQLITE_READONLY_DIRECTORY`` …).

    Python 3.11+ attaches it to the exception; on 3.10 it is read from the
    message, which SQLite words the same way everywhere.
    """
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return str(name)
    message = str(exc).lower()
    for fragment, guess in (
        ("database or disk is full", "SQLITE_FULL"),
        ("disk i/o error", "SQLITE_IOERR"),
        ("readonly database", "SQLITE_READONLY"),
        ("read-only", "SQLITE_READONLY"),
        ("database is locked", "SQLITE_BUSY"),
        ("database table is locked", "SQLITE_LOCKED"),
        ("malformed", "SQLITE_CORRUPT"),
        ("file is not a database", "SQLITE_NOTADB"),
        ("unable to open", "SQLITE_CANTOPEN"),
    ):
        if fragment in message:
            return guess
    return ""
