"""The ``walkthrough`` command line.

Exit status: 0 on success, 1 on a problem the user can act on (printed as one
line ``error: …`` on stderr), 2 on bad usage, and 141, with no message, when
the reader of standard output went away (``walkthrough lens show general |
head``): 128 + SIGPIPE, what a shell reports for ``cat`` or ``grep`` stopped
the same way, so ``set -o pipefail`` scripts treat us like any other tool and
can tell it from a real error.  Stopped by Ctrl+C it is 130, by SIGTERM 143
and by SIGHUP 129 (128 + the signal), after the same clean-up: the change
rolled back, temporary files removed, the lock given back.  Headless
commands never import Qt, and each command imports only what it needs, so
``walkthrough --version`` starts about as fast as Python itself.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from walkthrough import __version__
from walkthrough.cli.commands import _COMMANDS, _FILE_COMMANDS, _refuse_a_server_database, cmd_app
from walkthrough.cli.output import _one_line, _print
from walkthrough.cli.parser import PROG, _check_destinations, _names_a_folder, build_parser


#: Commands that change the database.  They hold the desktop app's lock on it
#: while they run, so they are refused while the app has it open and the app
#: cannot open it under them; the others only read it (``backup`` and
#: ``copy-db`` read it through SQLite's backup API) and run alongside the app.
_CHANGES_DATABASE = frozenset({
    ("new", None),
    ("edit", None),
    ("observe", None),
    ("update", None),
    ("action", None),
    ("photos", "add"),
    ("import-csv", None),
    ("demo", None),
    ("restore", None),
    ("receive", None),
    ("resolve", None),
    ("walk-again", None),
    ("merge-services", None),
})


@contextlib.contextmanager
def _holding_app_lock(args: argparse.Namespace, command: str) -> Iterator[None]:
    """Hold the database's lock while ``command`` changes it.

    The app keeps records and an undo history in memory: after a restore or
    an import behind its back, it would show old contents, and an undo could
    write old edits over the new ones.  So a command refuses to start while
    the app has the database open, and an app started while the command runs
    finds the database taken, as if another copy of itself had it open.
    """
    from walkthrough.storage.database_lock import DatabaseLockHeld, hold_database_lock
    from walkthrough.storage.locations import resolve_database_path

    path = resolve_database_path(args.db)
    try:
        with hold_database_lock(path, f"{PROG} {command}"):  # given back however the command ends
            yield
    except DatabaseLockHeld as exc:  # only taking the lock raises it
        from walkthrough.domain.errors import DatabaseBusy

        pid = exc.holder.pid
        # The holder is the desktop app or another command changing the database (both take this
        # lock), so the advice covers both.
        raise DatabaseBusy(f"{path} is in use by the Lens Walkthrough app or another {PROG} command"
                           f"{f' (process {pid})' if pid else ''}; close the app or let the command finish, "
                           f"then run `{PROG} {command}` again",
                           path=path, pid=pid or None, program=exc.holder.program or None) from None


def _changes_database(args: argparse.Namespace, action: str | None) -> bool:
    """True if the command changes the database (``device`` only when it sets something)."""
    if args.command == "device":
        return args.name is not None or args.person is not None
    return (args.command, action) in _CHANGES_DATABASE


def _lock_for(args: argparse.Namespace, action: str | None) -> contextlib.AbstractContextManager[None]:
    """The app's lock if the command changes the database, else nothing.

    (With ``--read-only`` a changing command is refused anyway, with its own reason.)
    A database on a PostgreSQL server takes none: the lock is a file beside a
    database file, and the desktop app, which it keeps out, opens only files.
    """
    from walkthrough.storage.locations import is_database_url, resolve_database

    if _changes_database(args, action) and not args.read_only:
        if is_database_url(resolve_database(args.db)):
            return contextlib.nullcontext()
        return _holding_app_lock(args, " ".join(filter(None, (args.command, action))))
    return contextlib.nullcontext()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Everything it (and the app it may start) creates is user-only, whatever
    the umask: the umask is tightened to 077 while it runs.
    """
    previous = os.umask(0o077)
    os.umask(previous | 0o077)
    try:
        return _run(argv)
    finally:
        os.umask(previous)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, a shutdown): handled as Ctrl+C, with its own exit status."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`_Stopped` while a command runs.

    So they end it the way Ctrl+C does: the transaction rolled back, the
    temporary files removed, the lock given back.  Python's default would
    end the process on the spot, leaving those behind.  Only in the main
    thread (the only one Python lets handle signals).
    """
    import signal
    import threading

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupted(exc: KeyboardInterrupt) -> int:
    """One line for Ctrl+C, SIGTERM or SIGHUP; the exit status a shell expects (128 + the signal)."""
    if isinstance(exc, _Stopped):
        import signal

        print(f"error: stopped ({signal.Signals(exc.signum).name})", file=sys.stderr)
        return 128 + exc.signum
    print("error: interrupted", file=sys.stderr)
    return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "usage_check", None) is not None:
        args.usage_check(args)  # exits 2, as argparse does
    _replace_lone_surrogates(args)
    action = getattr(args, "lens_command", None) or getattr(args, "photos_command", None)
    handler = cmd_app if args.command is None else _COMMANDS[(args.command, action)]
    from walkthrough.domain.errors import WalkthroughError

    try:
        _refuse_a_folder_as_database(args.db)
        _refuse_a_database_in_a_missing_folder(args.db)
        if args.command in _FILE_COMMANDS:
            _refuse_a_server_database(f"`{PROG} {args.command}`", args.db,
                                      " (back it up with the server's own tools, such as pg_dump)")
        _check_destinations(args)
        with _stop_signals_as_interrupts() if args.command else contextlib.nullcontext(), _lock_for(args, action):
            status = handler(args)
            sys.stdout.flush()  # here, so that a closed pipe is met inside the try
        return status
    except BrokenPipeError:
        return _stdout_gone()
    except WalkthroughError as exc:
        _print(f"error: {_one_line(str(exc))}", sys.stderr)
        return 1
    except OSError as exc:  # the disk, not a bug: full, read-only, removed
        from walkthrough.storage.errors import os_error_reason

        where = f"{exc.filename}: " if exc.filename else ""
        _print(f"error: {where}{_one_line(os_error_reason(exc))}", sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except Exception as exc:  # a bug: still one line for the user, the details in a log
        log = _write_crash_log()
        _print(f"error: unexpected {type(exc).__name__}: {_one_line(str(exc))} (details in {log})", sys.stderr)
        return 1


def _refuse_a_folder_as_database(db: str | None) -> None:
    """``--db /media/usb/`` names a folder: never create or open a database file called ``/media/usb``."""
    from walkthrough.storage.locations import is_database_url

    if db and _names_a_folder(db) and not is_database_url(db):
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"--db {db}: a folder, not a database file; give the file, like "
                           f"{Path(db) / 'walkthroughs.sqlite3'}")


def _refuse_a_database_in_a_missing_folder(db: str | None) -> None:
    """A database named by ``--db`` or ``WALKTHROUGH_DB`` must be in a folder that exists.

    ``--db /media/usb/w.sqlite3`` with the stick not plugged in would
    otherwise make a folder ``/media/usb`` on the computer and an empty
    database in it.  Only the default database's folder (the user data
    folder) is ever made.
    """
    from walkthrough.storage.locations import default_database_path, resolve_database

    path = resolve_database(db)
    if isinstance(path, str) or path == default_database_path() or path.parent.is_dir():  # a URL: no folder
        return
    from walkthrough.domain.errors import InvalidInput

    what = "not a folder" if path.parent.exists() else "no such folder"
    raise InvalidInput(f"{path}: {what}: {path.parent} (is the USB stick or disk connected?); nothing was created")


def _stdout_gone() -> int:
    """The reader of standard output closed it (``| head``): stop quietly, as Python's docs advise.

    Standard output is pointed at the null device so that the flush at exit
    does not fail again and print "Exception ignored".
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's StringIO)
        pass
    return 141


#: Options that name files: kept exactly as given, undecodable bytes and all, so the file can be found.
_FILE_OPTIONS = frozenset({"db"})


def _replace_lone_surrogates(args: argparse.Namespace) -> None:
    """Make every text argument storable: UTF-8 read as UTF-8, and any other lone surrogate U+FFFD.

    Python hands over command-line bytes it cannot decode as lone surrogates
    (``surrogateescape``), which SQLite cannot store.  In a strict C locale
    that is every non-ASCII byte, so "Café" typed in a UTF-8 terminal arrives
    as ``Caf\udcc3\udca9``: those bytes are read as the UTF-8 they are
    first, and only bytes that are not UTF-8 (a name typed in a Latin-1
    terminal) are replaced.  File names (``Path`` values and ``--db``) keep
    them: they are how such a file is found again.
    """
    for name, value in vars(args).items():
        if name not in _FILE_OPTIONS:
            setattr(args, name, _without_surrogates(value))


def _without_surrogates(value: object) -> object:
    if isinstance(value, str):
        value = _ESCAPED_BYTES.sub(lambda run: bytes(ord(ch) - 0xDC00 for ch in run[0]).decode("utf-8", "replace"),
                                   value)
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_without_surrogates(v) for v in value)
    return value


#: A run of bytes that Python's ``surrogateescape`` could not decode, each as U+DC80-U+DCFF.
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def _write_crash_log() -> str:
    """Append where the bug happened to ``logs/crash.log`` in the data folder; its path, or why not.

    Only the program's side: exception types and the code lines they passed
    through.  Never a message or a value - an error from the database can
    quote a note, a name or a file path - so the log holds nothing of the
    user's, and it is user-only (0600) in a user-only folder all the same.
    """
    from walkthrough.domain.errors import WalkthroughError
    from walkthrough.storage.locations import make_private_dir, user_data_dir

    try:
        folder = user_data_dir() / "logs"
        make_private_dir(folder)
        path = folder / "crash.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with open(fd, "a", encoding="utf-8") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o600)
            f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} Lens Walkthrough {__version__}\n")
            f.write(_crash_trace(sys.exc_info()[1]))
        return str(path)
    except (OSError, WalkthroughError):
        return "no log: the user data folder is not writable"


def _crash_trace(exc: BaseException | None) -> str:
    """Exception types and stack frames (file, line, function, code) of ``exc`` and its causes; no messages."""
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message left out: it may hold user text)\n")
        parts.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        exc = exc.__cause__ or exc.__context__
        if exc is not None:
            parts.append("caused by:\n")
    return "".join(parts)
