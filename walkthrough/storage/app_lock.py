"""Whether the desktop app has a database open, told without Qt.

The desktop app holds a ``QLockFile`` per database (see
``walkthrough.gui.database_lock``) so that only one copy works on it.  The
command line must not change a database under an open app: the app's cached
records and undo history would no longer match, and an undo could write old
edits over the new contents.  So the lock file's name is decided here, once,
for both, and :func:`app_holding` reads the lock the way ``QLockFile`` itself
decides whether a lock is still held (Qt 6 ``qlockfile.cpp``,
``qlockfile_unix.cpp``, ``qlockfile_win.cpp``).

``QLockFile`` writes one value a line: the owner's process id, its process
name, the machine's host name, and (since Qt 5.10) the machine id and the
boot id.  With a stale-lock time of 0, as the app uses, Qt counts a lock as
left over only when it was written on this machine and its process is gone
(or the machine has restarted since); a lock written by another machine, or
one it cannot read, counts as held.  This check does the same, except that an
empty or garbled lock file does not stop the command line.

This is a check, not a lock: an app started a moment after the check is not
seen.  It guards against the common case, a restore or import typed while
the app is open.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from walkthrough.storage.locations import user_data_dir

LOCKS_FOLDER = "locks"

#: A lock file is five short lines; anything much longer is not one.
_MAX_LOCK_FILE_BYTES = 4096


@dataclass(frozen=True)
class AppLockHolder:
    """The copy of the desktop app that holds a database's lock, as its lock file says.

    Attributes:
        pid: its process id (on ``hostname``).
        app_name: its process name (e.g. ``LensWalkthrough`` or ``python3.12``).
        hostname: the machine it runs on; empty if the lock file does not say.
        this_machine: whether that is this machine.
    """

    pid: int
    app_name: str
    hostname: str
    this_machine: bool


#: A holder whose lock file could not be read: held, by whom unknown (``pid`` 0).
_UNKNOWN_HOLDER = AppLockHolder(pid=0, app_name="", hostname="", this_machine=False)


def app_lock_path(database_path: str | os.PathLike[str]) -> Path:
    """The lock file the desktop app holds while it has ``database_path`` open.

    Named after the database's full, resolved path, so ``./w.sqlite3``, a
    symlink to it and its absolute path all share one lock.  The file is in
    the user data folder rather than beside the database, which may be on a
    write-protected stick.
    """
    resolved = Path(database_path).resolve()
    # fsencode: the file name's own bytes, so a name that is not valid UTF-8
    # works too; for every other name this is its UTF-8, as it always was.
    key = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:24]
    return user_data_dir() / LOCKS_FOLDER / f"{key}.lock"


def app_holding(database_path: str | os.PathLike[str]) -> AppLockHolder | None:
    """The running desktop app that has ``database_path`` open, or ``None``.

    ``None`` also when a lock file is left over from an app that crashed or
    was killed: the app itself takes such a lock over the next time it starts.
    """
    path = app_lock_path(database_path)
    try:
        with path.open("rb") as f:
            data = f.read(_MAX_LOCK_FILE_BYTES)
    except FileNotFoundError:
        return None
    except OSError:
        # It exists but cannot be read: QLockFile cannot read it either and
        # so counts it as held.  (On Windows a lock being held stays readable.)
        return _UNKNOWN_HOLDER
    info = _LockFileInfo.parse(data)
    if sys.platform == "win32":
        if not _held_open_on_windows(path):
            return None
        return info.holder() if info is not None else _UNKNOWN_HOLDER
    if info is None:
        # Empty or damaged: an app in the instant between creating the file
        # and writing it, or debris.  Qt would refuse to take it over; the
        # command line goes ahead rather than be blocked for ever by debris.
        return None
    if not info.same_host():
        return info.holder()  # we cannot see another machine's processes
    if info.boot_id and _boot_id() and info.boot_id != _boot_id():
        return None  # written before this machine last started
    return info.holder() if _process_running(info.pid, info.app_name) else None


@dataclass(frozen=True)
class _LockFileInfo:
    pid: int
    app_name: str
    hostname: str
    host_id: str
    boot_id: str

    @classmethod
    def parse(cls, data: bytes) -> _LockFileInfo | None:
        """The fields of a QLockFile's file, or ``None`` if it has no usable process id."""
        lines = data.decode("utf-8", "replace").splitlines()
        lines += [""] * (5 - len(lines))
        try:
            pid = int(lines[0].strip())
        except ValueError:
            return None
        if pid <= 0:
            return None
        return cls(pid, *(line.strip() for line in lines[1:5]))

    def same_host(self) -> bool:
        # As QLockFile: the machine id, when both sides know it, overrides the host name.
        ours = _machine_id()
        if self.host_id and ours:
            return self.host_id == ours
        return not self.hostname or self.hostname == _host_name()

    def holder(self) -> AppLockHolder:
        return AppLockHolder(self.pid, self.app_name, self.hostname, self.same_host())


def _host_name() -> str:
    """The host name QLockFile writes on this machine."""
    if sys.platform == "win32":
        return os.environ.get("COMPUTERNAME", "")  # as Qt: it avoids name resolution
    return os.uname().nodename


def _machine_id() -> str:
    """This machine's id as QLockFile writes it (``QSysInfo::machineUniqueId``); Linux only.

    Elsewhere it is left unknown, and the host name decides, as Qt does when
    it has no machine id.
    """
    if not sys.platform.startswith("linux"):
        return ""
    for candidate in ("/etc/machine-id", "/usr/local/etc/machine-id", "/var/lib/dbus/machine-id"):
        text = _read_small_text(candidate)
        if text:
            return text[:32]
    return ""


def _boot_id() -> str:
    """This boot's id as QLockFile writes it (``QSysInfo::bootUniqueId``); Linux only."""
    if not sys.platform.startswith("linux"):
        return ""
    return _read_small_text("/proc/sys/kernel/random/boot_id")


def _read_small_text(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(256).decode("ascii", "replace").strip()
    except OSError:
        return ""


def _process_running(pid: int, app_name: str) -> bool:
    """Whether process ``pid`` still runs and is the program that wrote the lock (POSIX).

    As ``QLockFilePrivate::isProcessRunning``: gone if ``kill(pid, 0)`` says
    there is no such process, and on Linux also when ``/proc/PID/exe`` names
    another program (the id was reused) or cannot be read (a zombie).
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, and belongs to someone else
    except (OverflowError, OSError):
        return False  # not a process id this system can have
    if sys.platform.startswith("linux") and os.path.exists("/proc/self/exe"):
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            return False
        exe = exe.removesuffix(" (deleted)")  # its program file was replaced, e.g. by an update
        return os.path.basename(exe) == os.path.basename(app_name)
    return True


def _held_open_on_windows(path: Path) -> bool:
    """Whether a running process holds the lock file open (Windows).

    QLockFile on Windows keeps the file open for as long as it holds the
    lock, sharing it for reading only, and Windows closes it when the process
    ends, however it ends.  So opening it for writing fails (a sharing
    violation) exactly while a copy of the app holds it; that is also how Qt
    itself tells a live lock from a stale one before deleting it.  Opening
    it without truncating changes nothing.

    Not run here: written from Qt's ``qlockfile_win.cpp`` and the documented
    ``CreateFile`` share modes; the tests exercise the POSIX path.
    """
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False  # released just now
    except PermissionError:
        return True
    os.close(fd)
    return False
