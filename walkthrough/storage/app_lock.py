"""The desktop app's lock on a database, checked and held without Qt.

The desktop app holds a ``QLockFile`` per database (see
``walkthrough.gui.database_lock``) so that only one copy works on it.  The
command line must not change a database under an open app, and the app must
not open a database the command line is changing: either way the app's
cached records and undo history would no longer match, and an undo could
write old edits over the new contents.  So the lock file's name is decided
here, once, for both; :func:`app_holding` reads the lock the way
``QLockFile`` decides whether it is still held, and :func:`hold_app_lock`
takes and holds the same lock file the way ``QLockFile`` does, so that the
app's ``tryLock`` finds it held while a command runs and takes it over once
the command's process is gone.  Everything here follows Qt 6's
``qlockfile.cpp``, ``qlockfile_unix.cpp``, ``qlockfile_win.cpp`` and, for
the ids it writes, ``qsysinfo.cpp``.

How ``QLockFile`` works:

* The lock is the file's existence.  It is created with ``O_CREAT | O_EXCL``
  (mode 0666 before the umask - ours are 0600; on Windows ``CreateFile(CREATE_NEW)`` shared
  for reading only), so exactly one process can create it.  Unlocking
  deletes it.
* It holds one value a line: the owner's process id, its process name (the
  program file's name without folder, on Windows without extension), the
  host name, and (since Qt 5.10) the machine id and the boot id.
* On Unix the owner also takes ``flock(LOCK_EX | LOCK_NB)`` on the file and
  keeps it open; the kernel drops that lock when the process ends, however it
  ends.  On Windows the open handle itself, shared for reading only, plays
  that part.
* When the file exists, the lock is stale when it was written on this machine
  (the machine id decides when both sides have one, else the host name) and
  either the machine has restarted since (another boot id) or its process is
  gone: no such process id, or on Linux ``/proc/PID/exe`` names another
  program or cannot be read.  Or when it is older than the stale-lock time;
  the app sets that to 0, "never".  A lock from another machine, or a file
  that names no process, is never stale by these rules.
* A stale lock is removed under a second lock, ``<lock>.rmlock`` (stale after
  the default 30 seconds), after checking again, and only if ``flock`` on it
  succeeds (Unix) or deleting it does (Windows): a live owner still has it
  locked or open, so its lock is never removed by mistake.

This module differs from Qt in one deliberate way: a lock file that names no
process does not block the command line for ever.  Once it is older than the
instant a ``QLockFile`` needs to write its few lines, it is debris, and it is
removed the same careful way as a stale lock.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import signal
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    import ctypes

#: The lock file is the database file's name with this added.
LOCK_SUFFIX = ".lock"

#: A lock file is five short lines; anything much longer is not one.
_MAX_LOCK_FILE_BYTES = 4096

#: QLockFile's default stale-lock time, which its ``.rmlock`` keeps.
_RMLOCK_STALE_AFTER_S = 30.0

#: A lock file that names no process and is younger than this may be one a
#: QLockFile has just created and is writing; older, it is debris.
_BEING_WRITTEN_FOR_S = 1.0

#: How long :func:`hold_app_lock` keeps trying when the lock is neither free
#: nor clearly held (being written, or being removed by someone else).
_GIVE_UP_AFTER_S = 3.0


@dataclass(frozen=True)
class AppLockHolder:
    """The process that holds a database's lock, as its lock file says.

    Usually a copy of the desktop app; it can also be a command that is
    changing the database.

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


class AppLockHeld(Exception):
    """Another process holds the database's lock (raised by :func:`hold_app_lock`)."""

    def __init__(self, holder: AppLockHolder) -> None:
        super().__init__(f"the lock is held by process {holder.pid or 'unknown'}")
        self.holder = holder


def app_lock_path(database_path: str | os.PathLike[str]) -> Path:
    """The lock file the desktop app holds while it has ``database_path`` open.

    Beside the database file itself, found through links (``./w.sqlite3``, a
    link to it and its full path share one lock): ``NAME.lock``.  So the lock
    belongs to the database, not to a data folder: two programs that use
    different data folders (``WALKTHROUGH_HOME``), or two people's accounts
    opening one shared file, still meet at the same lock.  Where nothing can
    be created beside the database (a write-protected stick), no lock is
    taken: nothing can change the database there either.
    """
    resolved = Path(os.path.realpath(database_path))
    return resolved.with_name(resolved.name + LOCK_SUFFIX)


def app_holding(database_path: str | os.PathLike[str]) -> AppLockHolder | None:
    """The running process (a desktop app, or a command) that holds ``database_path``'s lock, or ``None``.

    ``None`` also when a lock file is left over from a process that crashed
    or was killed (the app and :func:`hold_app_lock` take such a lock over),
    and when the file names no process.
    """
    seen = _look_at(app_lock_path(database_path))
    return seen.holder if seen.state is _State.HELD else None


@contextlib.contextmanager
def hold_app_lock(database_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the desktop app's lock on ``database_path`` for the ``with`` block; yields the lock file.

    The lock file is written exactly as ``QLockFile`` writes it for this
    process, so a copy of the app started meanwhile finds it held by a live
    process and stays closed, as it does for another copy of itself.  It is
    given back when the block ends, however it ends (an error, Ctrl+C); if
    the process is killed, the lock it leaves is stale, and the app and the
    next command take it over.

    If the database's folder cannot be written to, the block runs without
    the lock: the app cannot take the lock there either, and no program can
    change the database there.

    Raises:
        AppLockHeld: a live process holds the lock (an open app, another command).
    """
    path = app_lock_path(database_path)
    lock = _OwnLockFile(path)
    try:
        try:
            _acquire(lock)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):
                raise  # ENOENT: the database's folder is not there; opening it will say so
        yield path
    finally:
        lock.release()


def _acquire(lock: _PosixLockFile | _WindowsLockFile) -> None:
    """Take ``lock``, taking over a stale one, as ``QLockFile::tryLock`` does.

    Unlike ``tryLock`` with a timeout, a lock held by a live process is
    reported at once: an open app is not closed in a few seconds.
    """
    deadline = time.monotonic() + _GIVE_UP_AFTER_S
    while not lock.create():
        seen = _look_at(lock.path)
        if seen.state is _State.HELD:
            raise AppLockHeld(seen.holder or _UNKNOWN_HOLDER)
        if seen.state is _State.FREE:
            removed = True  # given back between our two looks: try again
        elif seen.state is _State.STALE or abs(seen.age) > _BEING_WRITTEN_FOR_S:  # abs: as Qt, a clock gone back
            removed = _remove_stale(lock.path, seen.state)
        else:
            removed = False  # probably being written this instant
        if time.monotonic() > deadline:
            # Still there: a live process keeps it locked although its lines
            # say otherwise, or it keeps being replaced.
            raise AppLockHeld(seen.holder or _UNKNOWN_HOLDER)
        if not removed:
            time.sleep(0.05)


def _remove_stale(path: Path, state: _State) -> bool:
    """Delete the stale (or debris) lock file ``path`` as ``QLockFile::tryLock`` does; whether it went.

    Under ``<path>.rmlock``, so that two processes do not both remove it and
    the second one delete the fresh lock of the first; checked again under
    that lock; and deleted only if no live process has it locked.
    """
    rmlock = _OwnLockFile(path.with_name(path.name + ".rmlock"))
    try:
        if not rmlock.create():
            if not _rmlock_is_stale(rmlock.path) or not rmlock.remove_if_unused() or not rmlock.create():
                return False
        if _look_at(path).state is not state:
            return False
        return _OwnLockFile(path).remove_if_unused()
    finally:
        rmlock.release()


def _rmlock_is_stale(path: Path) -> bool:
    """As QLockFile judges an ``.rmlock``, with its default stale-lock time of 30 seconds."""
    seen = _look_at(path)
    return seen.state is _State.STALE or (seen.state is not _State.FREE and abs(seen.age) > _RMLOCK_STALE_AFTER_S)


# -- reading a lock file -------------------------------------------------------------------------


class _State(Enum):
    FREE = "no lock file"
    HELD = "held by a live process, or one that cannot be seen from here"
    STALE = "left by a process that is gone"
    NAMELESS = "names no process: being written this instant, or debris"


@dataclass(frozen=True)
class _Seen:
    state: _State
    holder: AppLockHolder | None = None  # who its lines name, if they name a process
    age: float = 0.0  # seconds since it was last written


def _look_at(path: Path) -> _Seen:
    """What the lock file ``path`` says, judged as ``QLockFilePrivate::isApparentlyStale`` would."""
    try:
        # Non-blocking: a pipe planted at the lock's name must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info_of_file = os.fstat(fd)
            if not stat.S_ISREG(info_of_file.st_mode):
                return _Seen(_State.HELD, _UNKNOWN_HOLDER)  # not a lock file: never taken over
            data = os.read(fd, _MAX_LOCK_FILE_BYTES)
            age = time.time() - info_of_file.st_mtime
        finally:
            os.close(fd)
    except FileNotFoundError:
        return _Seen(_State.FREE)
    except OSError:
        # It exists but cannot be read: QLockFile cannot read it either and
        # so counts it as held.  (On Windows a lock being held stays readable.)
        return _Seen(_State.HELD, _UNKNOWN_HOLDER)
    info = _LockFileInfo.parse(data)
    holder = info.holder() if info is not None else None
    if sys.platform == "win32":
        if _held_open_on_windows(path):
            return _Seen(_State.HELD, holder or _UNKNOWN_HOLDER, age)
        return _Seen(_State.STALE if info is not None else _State.NAMELESS, holder, age)
    if info is None:
        return _Seen(_State.NAMELESS, None, age)
    if not info.same_host():
        return _Seen(_State.HELD, holder, age)  # we cannot see another machine's processes
    if info.boot_id and _boot_id() and info.boot_id != _boot_id():
        return _Seen(_State.STALE, holder, age)  # written before this machine last started
    if _process_running(info.pid, info.app_name):
        return _Seen(_State.HELD, holder, age)
    return _Seen(_State.STALE, holder, age)


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

    Qt reads D-Bus's copy, ``/var/lib/dbus/machine-id`` (else the one under
    ``/usr/local``), not ``/etc/machine-id``: usually the same id, but only
    Qt's choice gives the same bytes as Qt on every machine.  Elsewhere it is
    left unknown and the host name decides, as Qt does when a lock file has
    no machine id; an id written a little differently from Qt's would
    instead make the app take a lock for another machine's and never take
    it over.
    """
    if not sys.platform.startswith("linux"):
        return ""
    for candidate in ("/var/lib/dbus/machine-id", "/usr/local/var/lib/dbus/machine-id"):
        try:
            with open(candidate, "rb") as f:
                return f.read(32).decode("ascii", "replace").strip()  # Qt: 32 hex digits, 128 bits
        except FileNotFoundError:
            continue
        except OSError:
            return ""
    return ""


def _boot_id() -> str:
    """This boot's id as QLockFile writes it (``QSysInfo::bootUniqueId``); Linux only.

    Elsewhere left empty: Qt then skips the reboot test, and judges by the
    process alone.
    """
    if not sys.platform.startswith("linux"):
        return ""
    try:
        with open("/proc/sys/kernel/random/boot_id", "rb") as f:
            text = f.read(36).decode("ascii", "replace")
    except OSError:
        return ""
    return text if len(text) == 36 else ""  # as Qt: a whole UUID or nothing


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


# -- writing and holding a lock file -------------------------------------------------------------


def _lock_file_contents() -> bytes:
    """What ``QLockFilePrivate::lockFileContents`` writes for this process: five lines."""
    fields = (str(os.getpid()), _own_process_name(), _host_name(), _machine_id(), _boot_id())
    return "".join(f"{field}\n" for field in fields).encode("utf-8", "surrogateescape")


@functools.cache
def _own_process_name() -> str:
    """This process's name as ``QLockFilePrivate::processNameByPid`` gives it.

    Qt compares it with the name of whatever process has the id later: the
    same name means the lock's owner still runs.
    """
    if sys.platform.startswith("linux"):
        try:
            exe = os.readlink("/proc/self/exe")
        except OSError:
            return ""  # no /proc: Qt writes an empty name too
        return os.path.basename(exe.removesuffix(" (deleted)"))
    if sys.platform == "win32":
        name = _windows_module_name() or os.path.basename(sys.executable)
        stem, dot, _ = name.rpartition(".")
        return stem if dot else name  # Qt drops the extension (".exe")
    if sys.platform == "darwin":
        return _macos_proc_name() or os.path.basename(sys.executable)
    return os.path.basename(sys.executable)


def _macos_proc_name() -> str:
    """``proc_name(getpid())``, as Qt asks for it on macOS; not run here."""
    try:
        import ctypes

        libproc = ctypes.CDLL("/usr/lib/libproc.dylib")
        buffer = ctypes.create_string_buffer(1024)
        libproc.proc_name(os.getpid(), buffer, ctypes.c_uint32(len(buffer)))
        return os.fsdecode(buffer.value)
    except (OSError, AttributeError):
        return ""


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl+C (and SIGTERM, SIGHUP) back while a lock file and this process's note of it could disagree.

    The signal is only delayed: it arrives the moment the block ends, when
    whoever created the file also knows to delete it.  POSIX only; Windows
    has no signal mask, and there the window is a few instructions wide.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    stops = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _PosixLockFile:
    """A lock file this process creates and holds as ``qlockfile_unix.cpp`` does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def create(self) -> bool:
        """Create and lock the file; False if it exists already.

        Raises:
            OSError: it could not be created or written (no permission, disk full).
        """
        import fcntl

        with _interrupts_deferred():
            try:
                # Python's descriptors are close-on-exec already, as Qt's qt_safe_open makes them.
                # User-only, unlike Qt's 0666: it names this process and machine.
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return False
            try:
                try:
                    # The lock that makes the file safe from removal: it goes when the process does.
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    pass  # a file system without flock: Qt carries on with a warning
                data = _lock_file_contents()
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
                with contextlib.suppress(OSError):
                    (os.fdatasync if hasattr(os, "fdatasync") else os.fsync)(fd)
            except BaseException:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                raise
            self._fd = fd
        return True

    def release(self) -> None:
        """Delete the file, then close it, as ``QLockFile::unlock``; nothing if not held.

        Only if the file there is still ours: should someone have taken it
        over meanwhile, their lock stays.  Errors are not raised: after this
        process ends, a file left behind is stale.
        """
        with _interrupts_deferred():
            fd, self._fd = self._fd, None
            if fd is None:
                return
            try:
                ours, there = os.fstat(fd), os.stat(self.path)
                if (ours.st_dev, ours.st_ino) == (there.st_dev, there.st_ino):
                    os.unlink(self.path)
            except OSError:
                pass
            finally:
                os.close(fd)

    def remove_if_unused(self) -> bool:
        """Delete the file if no live process has it locked (``QLockFilePrivate::removeStaleLock``)."""
        import fcntl

        try:
            fd = os.open(self.path, os.O_WRONLY)
        except OSError:
            return False  # gone already, or not ours to touch
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(self.path)
        except OSError:
            return False
        finally:
            os.close(fd)
        return True


class _WindowsLockFile:
    """A lock file this process creates and holds as ``qlockfile_win.cpp`` does.

    Not run here: written from Qt's ``qlockfile_win.cpp`` and the documented
    ``CreateFileW`` behaviour, and only exercised on Linux, where the tests
    run.  The handle, open for as long as the lock is held and shared for
    reading only, is what marks the lock live: no one can delete the file or
    open it for writing until it is closed, and Windows closes it when the
    process ends.
    """

    _GENERIC_READ = 0x80000000
    _GENERIC_WRITE = 0x40000000
    _FILE_SHARE_READ = 0x1
    _CREATE_NEW = 1
    _FILE_ATTRIBUTE_NORMAL = 0x80
    _ERROR_ACCESS_DENIED = 5
    _ERROR_SHARING_VIOLATION = 32
    _ERROR_FILE_EXISTS = 80
    _ERROR_ALREADY_EXISTS = 183

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: int | None = None

    def create(self) -> bool:
        """Create the file, keep it open and write it; False if it exists already (or is in use)."""
        import ctypes
        from ctypes import wintypes

        k32 = _kernel32()
        with _interrupts_deferred():
            handle = k32.CreateFileW(os.fspath(self.path), self._GENERIC_READ | self._GENERIC_WRITE,
                                     self._FILE_SHARE_READ, None, self._CREATE_NEW,
                                     self._FILE_ATTRIBUTE_NORMAL, None)
            if handle is None or handle == ctypes.c_void_p(-1).value:
                error = ctypes.get_last_error()
                if error in (self._ERROR_SHARING_VIOLATION, self._ERROR_FILE_EXISTS, self._ERROR_ALREADY_EXISTS):
                    return False
                if error == self._ERROR_ACCESS_DENIED and self.path.exists():
                    return False  # as Qt: still in use by another process, being deleted
                raise ctypes.WinError(error)
            data = _lock_file_contents()
            written = wintypes.DWORD(0)
            if not k32.WriteFile(handle, data, len(data), ctypes.byref(written), None) \
                    or written.value != len(data) or not k32.FlushFileBuffers(handle):
                error = ctypes.get_last_error()
                k32.CloseHandle(handle)
                with contextlib.suppress(OSError):
                    os.remove(self.path)
                raise ctypes.WinError(error)
            self._handle = handle
        return True

    def release(self) -> None:
        """Close the file, then delete it, as ``QLockFile::unlock`` on Windows; nothing if not held."""
        with _interrupts_deferred():
            handle, self._handle = self._handle, None
            if handle is None:
                return
            _kernel32().CloseHandle(handle)
        for _ in range(500):  # as Qt: someone may be reading it for a moment, which blocks deleting
            try:
                os.remove(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.001)

    def remove_if_unused(self) -> bool:
        """Delete the file; Windows refuses while a live process holds it open."""
        try:
            os.remove(self.path)
        except OSError:
            return False
        return True


@functools.cache
def _kernel32() -> ctypes.WinDLL:
    """kernel32 with the signatures used here (Windows only)."""
    import ctypes
    from ctypes import wintypes

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    k32.CreateFileW.argtypes = (wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE)
    k32.CreateFileW.restype = wintypes.HANDLE
    k32.WriteFile.argtypes = (wintypes.HANDLE, wintypes.LPCVOID, wintypes.DWORD, wintypes.LPDWORD,
                              wintypes.LPVOID)
    k32.WriteFile.restype = wintypes.BOOL
    k32.FlushFileBuffers.argtypes = (wintypes.HANDLE,)
    k32.FlushFileBuffers.restype = wintypes.BOOL
    k32.CloseHandle.argtypes = (wintypes.HANDLE,)
    k32.CloseHandle.restype = wintypes.BOOL
    k32.GetModuleFileNameW.argtypes = (wintypes.HMODULE, wintypes.LPWSTR, wintypes.DWORD)
    k32.GetModuleFileNameW.restype = wintypes.DWORD
    return k32


def _windows_module_name() -> str:
    """This program's file name (``GetModuleFileNameW``), which Qt reads for a process; not run here."""
    try:
        import ctypes

        buffer = ctypes.create_unicode_buffer(32768)
        length = _kernel32().GetModuleFileNameW(None, buffer, len(buffer))
    except (OSError, AttributeError):
        return ""
    return buffer[:length].rpartition("\\")[2]


_OwnLockFile: type[_PosixLockFile] | type[_WindowsLockFile] = (
    _WindowsLockFile if sys.platform == "win32" else _PosixLockFile
)
