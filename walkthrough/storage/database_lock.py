"""One program at a time changes a database: the lock file beside it.

The desktop app keeps records and an undo history in memory; a command that
changed the database under it (a restore, an import) would leave it showing
old contents, and an undo could write old edits over the new ones.  So the
app holds this lock for as long as it has a database open, and every command
that changes a database holds it while it runs; whoever comes second is
refused, with the holder's process id.  Both go through :class:`DatabaseLock`.

The lock is an operating-system lock on ``NAME.lock`` beside the database
file, taken with the ``filelock`` library (``flock`` on Unix, ``LockFileEx``
on Windows).  The system gives it back when the process ends, however it
ends, so a crash or a kill never leaves a lock behind to be judged stale.
The holder writes its process id and program into the file, for the
message the next program shows; the file is removed when the lock is given
back (one left by a crash is harmless: the next program takes it).

A PostgreSQL database will take no lock file: there the change history and,
later, the server handle several writers.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The lock file is the database file's name with this added.
LOCK_SUFFIX = ".lock"

#: What the holder writes is two short lines; anything much longer is not ours.
_MAX_LOCK_FILE_BYTES = 4096

#: Errors that mean nothing can be created beside the database (a write-protected
#: stick, someone else's folder): no lock is needed there, as nothing can change it.
_CANNOT_CREATE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


@dataclass(frozen=True)
class LockHolder:
    """The program that holds a database's lock, as it wrote in the lock file.

    Attributes:
        pid: its process id; 0 if the file does not say (being written, or not ours).
        program: what it is (``Lens Walkthrough``, ``walkthrough restore``); may be empty.
    """

    pid: int
    program: str


_UNKNOWN = LockHolder(0, "")


class DatabaseLockHeld(Exception):
    """Another program holds the database's lock (raised by :func:`hold_database_lock`)."""

    def __init__(self, holder: LockHolder) -> None:
        super().__init__(f"the lock is held by process {holder.pid or 'unknown'}")
        self.holder = holder


class _NotALockFile(Exception):
    """The lock file's name is taken by something that is not a plain file (a pipe, a device)."""


def database_lock_path(database_path: str | os.PathLike[str]) -> Path:
    """The lock file of ``database_path``: ``NAME.lock`` beside the database file, found through links.

    So ``./w.sqlite3``, a link to it and its full path share one lock, and
    two programs that use different data folders (``WALKTHROUGH_HOME``), or
    two people's accounts opening one shared file, still meet at it.
    """
    resolved = Path(os.path.realpath(database_path))
    return resolved.with_name(resolved.name + LOCK_SUFFIX)


class DatabaseLock:
    """The lock on one database, taken without waiting and given back by :meth:`release`.

    ``program`` is written into the lock file beside this process's id, so
    that the program refused can say who has the database.
    """

    def __init__(self, database_path: str | os.PathLike[str], program: str = "") -> None:
        self.path = database_lock_path(database_path)
        self._program = program
        self._lock = None  # a filelock.FileLock while held
        self._fd: int | None = None  # the lock file, open while held (the library's descriptor)

    @property
    def held(self) -> bool:
        """Whether this process holds the lock (False also when none could be taken)."""
        return self._lock is not None

    def acquire(self) -> bool:
        """Take the lock if it is free; False if another program holds it.

        True without a lock where none can be made: the database's folder is
        missing (opening the database says so) or cannot be written to (a
        write-protected stick, someone else's folder), where no program can
        change the database either.  A lock name taken by a link or a pipe
        is never followed nor waited on: it counts as held.

        Raises:
            OSError: the lock file could not be made for another reason (a full disk).
        """
        if self._lock is not None:
            return True
        if not self.path.parent.is_dir():
            return True  # the library would create the folder; opening the database decides instead
        from filelock import FileLock, Timeout

        lock = FileLock(self.path, timeout=0, mode=0o600, thread_local=False, on_acquired=self._write_holder)
        try:
            lock.acquire()
            self._lock = lock
        except (Timeout, _NotALockFile):
            return False
        except OSError as exc:
            if exc.errno == errno.ELOOP or os.path.lexists(self.path):
                return False  # a link planted at the name, or a lock file we may not open: someone else's
            if exc.errno in _CANNOT_CREATE:
                return True
            raise
        except BaseException:
            # Ctrl+C (or a stop signal) the moment the lock became ours: give it back, file and all.
            if self._fd is not None:
                self._lock = lock
                self.release()
            raise
        return True

    def holder(self) -> LockHolder:
        """Who holds the lock, as the lock file says (after :meth:`acquire` returned False)."""
        return read_holder(self.path)

    def release(self) -> None:
        """Give the lock back and remove the lock file; nothing if not held."""
        lock, fd = self._lock, self._fd
        self._lock = self._fd = None
        if lock is None:
            return
        try:
            if fd is not None:
                os.ftruncate(fd, 0)  # whoever opens it before it is gone finds no holder named
                # Removed while still held, and only if it is still ours: one who opened it
                # meanwhile gets the lock on a removed file, which the library refuses.
                ours, there = os.fstat(fd), os.stat(self.path, follow_symlinks=False)
                if os.path.samestat(ours, there):
                    os.unlink(self.path)
        except OSError:
            pass  # a lock file left behind holds no lock
        finally:
            lock.release()

    def _write_holder(self, fd: int) -> None:
        """Called by the library once the lock is ours: check the file and write who holds it."""
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotALockFile(self.path)
        # After one empty byte: Windows locks byte 0 only, and others may read the rest.
        data = f"\n{os.getpid()}\n{self._program}\n".encode("utf-8", "surrogateescape")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        self._fd = fd


def read_holder(lock_path: Path) -> LockHolder:
    """What the lock file ``lock_path`` says about its holder; pid 0 if it names none.

    Non-blocking and without following a link, so a pipe or a link planted
    at the lock's name does not hang or mislead.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(lock_path, flags)
    except OSError:
        return _UNKNOWN
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _UNKNOWN
        os.lseek(fd, 1, os.SEEK_SET)
        data = os.read(fd, _MAX_LOCK_FILE_BYTES)
    except OSError:
        return _UNKNOWN
    finally:
        os.close(fd)
    lines = data.decode("utf-8", "replace").splitlines() + ["", ""]
    try:
        pid = int(lines[0].strip())
    except ValueError:
        return _UNKNOWN
    if pid <= 0 or not _running(pid):
        # A process that has ended holds nothing: the file was left by a crash, and
        # whoever holds the lock now has taken it but not yet written its name.
        return _UNKNOWN
    return LockHolder(pid, lines[1].strip())


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (True where the system cannot say, as on Windows)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: it exists
    return True


@contextlib.contextmanager
def hold_database_lock(database_path: str | os.PathLike[str], program: str = "") -> Iterator[Path]:
    """Hold ``database_path``'s lock for the ``with`` block; yields the lock file's path.

    Given back when the block ends, however it ends (an error, Ctrl+C), and
    by the system if the process is killed.  Where no lock can be made (see
    :meth:`DatabaseLock.acquire`) the block runs without one.

    Raises:
        DatabaseLockHeld: another program holds the lock (an open app, another command).
    """
    lock = DatabaseLock(database_path, program)
    try:  # acquired inside: an interrupt between taking and holding still gives the lock back
        if not lock.acquire():
            raise DatabaseLockHeld(lock.holder())
        yield lock.path
    finally:
        lock.release()
