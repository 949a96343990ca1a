"""Writing export files so that a failure never leaves half a file.

Everything the program writes for the user (reports, CSV, photos, backups) is
written to a hidden temporary file in the same folder, flushed to disk, and
then renamed over the target.  A rename within one folder is atomic, so the
target is either the old file or the complete new one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from walkthrough.domain.errors import ExportError


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
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        yield partial
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, path)
    except OSError as exc:
        _remove(partial)
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        _remove(partial)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_output`.

    Raises:
        ExportError: as :func:`atomic_output`.
    """
    with atomic_output(path) as partial:
        partial.write_bytes(data)


def _remove(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass
