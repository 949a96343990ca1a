"""Writing export files so that a failure never leaves half a file.

Everything the program writes for the user (reports, CSV, photos, backups) is
written to a hidden temporary file in the same folder, flushed to disk, and
then renamed over the target.  A rename within one folder is atomic, so the
target is either the old file or the complete new one; the folder is then
flushed too, so the new name survives a USB stick pulled out right after.

The temporary file gets a new, unpredictable name and is created with
``O_EXCL`` (:func:`tempfile.mkstemp`), user-only: a file or link someone
else planted in a shared folder is never followed, reused or truncated.

Nothing is ever written over an open database, its side files (``-wal``,
``-shm``, ``-journal``, its lock) or a file in the backups folder
(:func:`refuse_protected_destination`): the database registers itself while
it is open (:func:`protect_database`), so every writer - the command line's
and the desktop app's export dialogs alike - is refused the same way.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from walkthrough.domain.errors import DestinationHoldsDatabase, ExportError
from walkthrough.storage import locations
from walkthrough.storage.errors import os_error_reason

#: Longest file name (in bytes) most file systems allow.
_NAME_MAX = 255


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``.

    If the block raises (including on cancel), the temporary file is removed
    and any earlier file at ``path`` is untouched; the exception propagates.

    Raises:
        ExportError: the temporary file cannot be made, flushed or renamed
            (unwritable folder, full disk) - one line naming ``path``.
    """
    path = Path(path)
    refuse_unless_ordinary_file(path, ExportError)
    refuse_protected_destination(path, ExportError)
    try:
        partial = new_partial_file(path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({os_error_reason(exc)})") from None
    try:
        yield partial
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, path)
    except OSError as exc:
        _remove(partial)
        raise ExportError(f"{path}: cannot write ({os_error_reason(exc)})") from None
    except BaseException:
        _remove(partial)
        raise
    sync_folder(path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_output`.

    Raises:
        ExportError: as :func:`atomic_output`.
    """
    with atomic_output(path) as partial:
        partial.write_bytes(data)


def refuse_unless_ordinary_file(path: Path, error: type[Exception]) -> None:
    """Raise ``error`` if ``path`` exists and is not an ordinary file (or a link to one).

    The rename at the end would otherwise replace a device, a pipe or a
    socket with our file (as root: ``/dev/null`` itself).  A folder is
    refused here too, in words rather than "Is a directory".
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing (the usual case), or the write will say what is wrong
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: not an ordinary file (a device or a pipe); give a file name")


def partial_path(path: Path) -> Path:
    """The hidden name beside ``path`` whose new, random variants :func:`new_partial_file` creates.

    ``.NAME.partial``, or ``.<hash>.partial`` when that would be longer than a
    file name may be (a long photo or report name near the 255-byte limit).
    Never opened itself: it only gives the prefix and suffix that mark a
    leftover temporary file of ``path``.
    """
    name = f".{path.name}.partial"
    if len(os.fsencode(name)) > _NAME_MAX - _RANDOM_PART:
        name = f".{hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]}.partial"
    return path.with_name(name)


#: What :func:`tempfile.mkstemp` adds to a name (8 random characters and a dot), with room to spare.
_RANDOM_PART = 16


def new_partial_file(path: Path) -> Path:
    """Create a new, empty, user-only (0600) temporary file beside ``path``; its path.

    ``.NAME.<random>.partial``: created with ``O_EXCL`` under a name no one
    can guess, so a file or link planted beside ``path`` is never opened.

    Raises:
        OSError: it cannot be created (no such folder, no permission, full disk).
    """
    stem = partial_path(path).name.removesuffix("partial")
    fd, name = tempfile.mkstemp(prefix=stem, suffix=".partial", dir=path.parent if str(path.parent) else ".")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # mkstemp makes it 0600 already; said here, as the promise
    finally:
        os.close(fd)
    return path.with_name(os.path.basename(name))


# -- files nothing is ever written over ------------------------------------------------------------

#: SQLite's side files of a database, and the lock file beside it.
PROTECTED_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")

_open_databases: dict[Path, int] = {}
_open_databases_guard = threading.Lock()


def protect_database(database_path: Path) -> None:
    """Refuse to write over ``database_path`` and its side files until :func:`unprotect_database`.

    Counted: a database opened twice stays protected until both are closed.
    """
    key = Path(os.path.abspath(database_path))
    with _open_databases_guard:
        _open_databases[key] = _open_databases.get(key, 0) + 1


def unprotect_database(database_path: Path) -> None:
    """Undo one :func:`protect_database`."""
    key = Path(os.path.abspath(database_path))
    with _open_databases_guard:
        count = _open_databases.pop(key, 0) - 1
        if count > 0:
            _open_databases[key] = count


def refuse_protected_destination(
    dest: Path, error: type[Exception], *, database_path: Path | None = None, replace_database: bool = False
) -> None:
    """Raise ``error`` if writing ``dest`` would replace a database, its side files or a backup.

    Protected: every database open in this process (:func:`protect_database`)
    and ``database_path`` if given, each with its ``-wal``, ``-shm``,
    ``-journal`` and lock file; and every file already in the backups folder.
    Compared by name (resolved, so ``./w.sqlite3`` and a link to it count)
    and, where both exist, by identity (a hard link, another spelling).
    Any other file that is a walkthrough database or backup raises
    :class:`DestinationHoldsDatabase`, unless ``replace_database`` (a copy
    of the database written over an older copy, as the person asked).
    """
    with _open_databases_guard:
        databases = list(_open_databases)
    if database_path is not None:
        databases.append(Path(database_path))
    target = _real(dest)
    for database in databases:
        for suffix in PROTECTED_SUFFIXES:
            side = database.with_name(database.name + suffix)
            if target == _real(side) or _same_file(dest, side):
                what = "the database itself" if not suffix else f"the {suffix} file of the database {database}"
                raise error(f"{dest}: that is {what}; nothing was written; choose another file")
    if dest.exists() and _real(dest.parent) == _real(locations.backups_dir()):
        raise error(f"{dest}: that is a backup; nothing was written; choose a file outside "
                    f"{locations.backups_dir()}")
    if not replace_database and holds_a_database(dest):
        # Another walkthrough database (a colleague's on a shared stick), or a backup kept
        # elsewhere: writing over it would lose it without a word.
        raise DestinationHoldsDatabase(
            f"{dest}: that file is a walkthrough database or a backup of one; nothing was written; "
            "choose another file", dest)


#: How every SQLite database file, and so every walkthrough database and backup, begins.
_SQLITE_HEADER = b"SQLite format 3\x00"


def holds_a_database(path: Path) -> bool:
    """True if ``path`` is an existing ordinary file that begins as an SQLite database does.

    Opened without blocking and read for 16 bytes only, so a pipe or a huge
    file planted at that name cannot hang or slow the check.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False
    finally:
        os.close(fd)


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename just made in it) to disk, where the OS allows.

    Windows cannot open a folder for flushing, and some file systems refuse;
    the rename itself has happened, so this is best effort.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass
