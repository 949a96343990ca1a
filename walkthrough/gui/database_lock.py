"""One copy of the desktop app per walkthrough database.

Two windows editing the same database would each keep their own undo
history and cached records, and could undo each other's work.  A second
copy therefore finds the lock taken and tells the person, instead of
failing later with "database is locked".  QLockFile notices a lock left by a
crashed copy (its process is gone) and takes it over.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile

from walkthrough.storage.locations import make_private_dir, user_data_dir


class DatabaseLock:
    """A lock file (in the user data folder) named after the database's full path."""

    def __init__(self, database_path: Path) -> None:
        key = hashlib.sha256(str(Path(database_path).resolve()).encode("utf-8")).hexdigest()[:24]
        folder = user_data_dir() / "locks"
        make_private_dir(folder)
        self.path = folder / f"{key}.lock"
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when the owning process is gone

    def acquire(self) -> bool:
        """Take the lock; False if another running copy holds it."""
        return self._lock.tryLock(200)

    def release(self) -> None:
        """Give the lock back (also done when the process ends)."""
        self._lock.unlock()
