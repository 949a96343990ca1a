"""One copy of the desktop app per walkthrough database.

Two windows editing the same database would each keep their own undo
history and cached records, and could undo each other's work.  A second
copy therefore finds the lock taken and tells the person, instead of
failing later with "database is locked".  QLockFile notices a lock left by a
crashed copy (its process is gone) and takes it over.

The lock file's name comes from :func:`walkthrough.storage.app_lock.app_lock_path`;
the command line takes the same lock while it changes the database
(:func:`walkthrough.storage.app_lock.hold_app_lock`), so the app does not
open a database a restore or an import is writing.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLockFile

from walkthrough.storage.app_lock import app_lock_path


class DatabaseLock:
    """A lock file beside the database file (``NAME.lock``), wherever each program keeps its data folder."""

    def __init__(self, database_path: Path) -> None:
        self.path = app_lock_path(database_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when the owning process is gone

    def acquire(self) -> bool:
        """Take the lock; False if another running copy holds it.

        True without a lock where none can be created beside the database (a
        write-protected stick, someone else's folder): no program can change
        it there, and the app opens it for viewing.
        """
        if self._lock.tryLock(200):
            try:
                os.chmod(self.path, 0o600)  # QLockFile makes it 0666 less the umask; it names this machine
            except OSError:
                pass
            return True
        # Qt says PermissionError for EACCES and EROFS, UnknownError for the rest (EPERM of an
        # immutable folder); LockFailedError, "held", is the only answer that means another program.
        return self._lock.error() != QLockFile.LockError.LockFailedError and not self.path.exists()

    def holder_pid(self) -> int | None:
        """The process id the lock file names (after :meth:`acquire` failed), or None if it says none."""
        pid = self._lock.getLockInfo()[0]
        return pid if isinstance(pid, int) and pid > 0 else None

    def release(self) -> None:
        """Give the lock back (also done when the process ends)."""
        self._lock.unlock()
