"""Opening a file the user gave us to read: a CSV, a lens, a photo, a backup.

Only an ordinary file (or a link to one) is read.  A named pipe, a device,
a socket or a folder is refused in words, without hanging: the file is
opened non-blocking, so a pipe with no writer does not wait for one, and
what was opened - not what was looked at a moment before, which someone
could have swapped - is checked with ``fstat``.  Its size is checked against
the caller's limit before a byte is read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from walkthrough.storage.errors import os_error_reason


class UnreadableFile(OSError):
    """The file cannot be read as an ordinary file; ``reason`` says why in a few words.

    Callers turn it into their own error (a CSV, lens or photo error) naming
    the file; an ``OSError``, so code that handles those handles it too.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


NOT_ORDINARY = "not an ordinary file (a pipe, a device or a socket)"


@contextmanager
def open_ordinary_file(path: Path, *, max_bytes: int | None = None) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading if it is an ordinary file (links followed) of at most ``max_bytes``.

    Raises:
        UnreadableFile: missing, a folder, a pipe, a device, too large, or
            cannot be opened (no permission).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except IsADirectoryError:
        raise UnreadableFile("is a folder, not a file") from None
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({os_error_reason(exc)})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(NOT_ORDINARY)
        if max_bytes is not None and info.st_size > max_bytes:
            raise UnreadableFile(f"file is larger than {_size(max_bytes)}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # an ordinary file: back to ordinary reads
        stream = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with stream:
        yield stream


def read_ordinary_file(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of ``path``, an ordinary file of at most ``max_bytes`` (see :func:`open_ordinary_file`).

    Raises:
        UnreadableFile: as :func:`open_ordinary_file`, or the file grew past
            ``max_bytes`` while it was read.
    """
    with open_ordinary_file(path, max_bytes=max_bytes) as stream:
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read the file ({os_error_reason(exc)})") from None
    if len(data) > max_bytes:
        raise UnreadableFile(f"file is larger than {_size(max_bytes)}")
    return data


def is_ordinary_file(path: Path) -> bool:
    """True if ``path`` is an ordinary file or a link to one (looked at, not opened)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} kB"
