"""Looking at a database file for damage without changing it.

Two checks, chosen for what they cost:

* **Every open** reads the 100-byte SQLite header: the magic string, a valid
  page size, and - when no ``-wal`` side file is present - that the file is
  as long as the header says.  This catches a file overwritten with zeros or
  junk and a copy cut short (a USB stick pulled mid-copy), for the price of
  one small read.
* **``PRAGMA quick_check``** (every page and b-tree, not the index contents)
  runs only when the previous session did not close cleanly.  The marker is
  SQLite's own: the last connection to close checkpoints the ``-wal`` file
  into the database and deletes it, so a ``-wal`` file that is there, and not
  empty, when we open means a crash, a flat battery, a pulled USB stick - or
  another program (the desktop app) has the database open right now, which
  only costs a redundant check.

  Why not on every open: quick_check reads every page.  On a 101 MB database
  (20,000 observations, 200 photos) it took 0.42 s from a cold cache and
  0.06 s warm on the development machine's SSD; on a USB 2 stick (~30 MB/s)
  the cold read alone is 3-4 s, paid by every command-line command.  A clean
  close leaves nothing for it to find that the header check and SQLite's own
  page checks during use would miss, and every automatic backup is
  quick-checked as it is made (:mod:`walkthrough.storage.backups`), so a
  database in daily use is fully checked at least once a day anyway.

Every connection made here is ``mode=ro``: a read-only connection never
checkpoints a ``-wal`` file into the database, so a damaged database, and
the recovery data beside it, stay exactly as they were.
"""

from __future__ import annotations

import errno
import sqlite3
import struct
from pathlib import Path

from walkthrough.storage.errors import os_error_reason, sqlite_error_name
from walkthrough.storage.input_file import UnreadableFile, open_ordinary_file

SQLITE_HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100

#: SQLite errors that mean "the bytes are wrong", as opposed to "busy" or "cannot open".
DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def side_file(path: Path, suffix: str) -> Path:
    """SQLite's side file of ``path``: ``suffix`` is ``"-wal"``, ``"-shm"`` or ``"-journal"``."""
    return path.with_name(path.name + suffix)


def read_header(path: Path) -> bytes:
    """The first 100 bytes of ``path`` (fewer if it is shorter).

    Raises:
        IsADirectoryError: it is a folder.
        OSError: the file cannot be read (missing, no permission); an
            :class:`~walkthrough.storage.input_file.UnreadableFile` if it is
            a pipe or a device (looked at without waiting on it).
    """
    try:
        with open_ordinary_file(path) as f:
            return f.read(_HEADER_SIZE)
    except UnreadableFile as exc:
        if exc.reason.startswith("is a folder"):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path)) from None
        if exc.reason == "file not found":
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path)) from None
        raise


def is_sqlite_header(head: bytes) -> bool:
    """True if ``head`` starts with SQLite's magic string."""
    return head.startswith(SQLITE_HEADER)


def header_problem(path: Path, head: bytes) -> str | None:
    """What is wrong with an SQLite file's header and length, or ``None``.

    ``head`` is :func:`read_header` of ``path``, which starts with the magic string.
    """
    if len(head) < _HEADER_SIZE:
        return "the file is cut short"
    page_size = page_size_of(head)
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    change_counter, pages = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    wal = side_file(path, "-wal")
    if pages and change_counter == valid_for and not _has_content(wal):
        expected = pages * page_size
        actual = path.stat().st_size
        if actual < expected:
            return f"the file is cut short ({actual:,} of {expected:,} bytes)"
    return None


def first_bytes_problem(path: Path) -> str | None:
    """What the header of ``path`` says is wrong with it as a database file, or ``None``.

    Reads the first 100 bytes (and the file's length): a cheap look before
    anything opens it, worded to follow the file's name ("not an SQLite file").
    """
    try:
        head = read_header(path)
    except OSError as exc:
        return f"cannot be read ({os_error_reason(exc)})"
    if not is_sqlite_header(head):
        return "not an SQLite file"
    problem = header_problem(path, head)
    return None if problem is None else f"damaged ({problem})"


def is_whole_database(path: Path) -> bool:
    """True if ``path`` exists, is an SQLite file with a sound header and passes :func:`quick_check`.

    Reads only; anything that keeps it from being read counts as not whole.
    """
    try:
        head = read_header(path)
        if not is_sqlite_header(head):
            return False
        return header_problem(path, head) is None and quick_check(path) is None
    except (OSError, sqlite3.Error):
        return False


def was_left_open(path: Path) -> bool:
    """True if a non-empty ``-wal`` file sits beside ``path``.

    Either the last session ended without closing (crash, power loss, a
    pulled USB stick) or another program has the database open now.
    """
    return _has_content(side_file(path, "-wal"))


def quick_check(path: Path, *, timeout: float = 5.0) -> str | None:
    """Run ``PRAGMA quick_check`` read-only; the problems found (up to 3), or ``None``.

    Args:
        timeout: seconds to wait for another program's lock.

    Raises:
        sqlite3.Error: anything other than damage (busy, cannot open); the
            caller turns it into a message.
    """
    try:
        conn = connect_read_only(path, timeout=timeout)
        try:
            rows = conn.execute("PRAGMA quick_check(3)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if sqlite_error_name(exc).startswith(DAMAGE_ERRORS):
            return str(exc)
        raise
    problems = [row[0] for row in rows if row[0] != "ok"]
    return "; ".join(problems) if problems else None


def connect_read_only(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A ``mode=ro`` connection that can never change ``path`` or checkpoint its ``-wal``.

    On a read-only location (a write-protected stick) SQLite cannot create the
    ``-shm`` file a WAL database needs even for reading.  If there is no
    ``-shm`` file and no unsaved ``-wal`` content, no program can be writing
    it (a writer needs both), so it is then opened ``immutable``: no locks,
    no side files.

    Raises:
        sqlite3.Error: cannot open or read it.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        name = sqlite_error_name(exc)
        cannot_make_side_files = name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))
        if not cannot_make_side_files or was_left_open(path) or side_file(path, "-shm").exists():
            raise
    return _readable(sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout, check_same_thread=False))


def connect_leaving_nothing(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection that leaves no file beside ``path`` (a backup on a stick, someone else's file).

    A ``mode=ro`` connection to a database in WAL mode makes ``-shm`` and
    ``-wal`` files beside it, and leaves them.  With no side file there, no
    program has it open (a writer would have made them), so it is opened
    ``immutable``: no locks, no side files.  Otherwise as
    :func:`connect_read_only` (the side files are there already).

    Raises:
        sqlite3.Error: cannot open or read it.
    """
    if any(side_file(path, suffix).exists() for suffix in ("-wal", "-shm", "-journal")):
        return connect_read_only(path, timeout=timeout)
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    return _readable(sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False))


def _readable(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn``, once it has read the schema (closed, and the error raised, if it cannot)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def page_size_of(head: bytes) -> int:
    """The page size an SQLite header (:func:`read_header`) gives, in bytes."""
    (raw_page_size,) = struct.unpack(">H", head[16:18])
    return 65536 if raw_page_size == 1 else raw_page_size


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
