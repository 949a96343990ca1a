"""Writing export files so that a failure never leaves half a file.

Everything the program writes for the user (reports, CSV, photos, backups) is
written to a hidden temporary file in the same folder, flushed to disk, and
then renamed over the target.  A rename within one folder is atomic, so the
target is either the old file or the complete new one; the folder is then
flushed too, so the new name survives a USB stick pulled out right after.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from walkthrough.domain.errors import ExportError
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
    partial = partial_path(path)
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
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
    """The hidden temporary name beside ``path`` that :func:`atomic_output` writes first.

    ``.NAME.partial``, or ``.<hash>.partial`` when that would be longer than a
    file name may be (a long photo or report name near the 255-byte limit).
    """
    name = f".{path.name}.partial"
    if len(os.fsencode(name)) > _NAME_MAX:
        name = f".{hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]}.partial"
    return path.with_name(name)


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
