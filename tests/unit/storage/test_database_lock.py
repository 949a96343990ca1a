"""The command line and the desktop app share one database lock, and each respects the other's.

The app's side is the app's own code (``DatabaseLock``, as ``walkthrough.app``
takes it) in another process, as a running app would hold it; the command
line's side is ``hold_database_lock``, in this process, in a stand-in process
that can be killed, or a real ``walkthrough`` command kept waiting by another
program's write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from walkthrough.cli import main
from walkthrough.storage.database_lock import (
    DatabaseLock,
    DatabaseLockHeld,
    LockHolder,
    database_lock_path,
    hold_database_lock,
    read_holder,
)

#: A stand-in for the desktop app: takes the database's lock as the app does, says so,
#: then holds it until its stdin closes ("hold"), or dies at once without
#: releasing it, as a crash would ("crash"), or just reports whether it got it ("try").
APP = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from walkthrough.storage.database_lock import DatabaseLock

    lock = DatabaseLock(Path(sys.argv[1]), "Lens Walkthrough")
    got = lock.acquire()
    print("LOCKED" if got else "BUSY", lock.held, lock.holder().pid if not got else "", flush=True)
    if sys.argv[2] == "crash":
        os._exit(0)
    if sys.argv[2] == "hold" and got:
        sys.stdin.read()
        lock.release()
    """
)


def _run_app(db: Path, mode: str, **kwargs) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", APP, str(db), mode], cwd=PROJECT_ROOT, text=True,
                            stdout=subprocess.PIPE, **kwargs)


@contextmanager
def _holding(proc: subprocess.Popen[str], ready: str) -> Iterator[int]:
    """Yields ``proc``'s id once it has printed ``ready``; then closes its input, which ends it, and waits."""
    try:
        assert proc.stdout is not None and proc.stdout.readline().split()[0] == ready
        yield proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def app_open_on(db: Path) -> contextlib.AbstractContextManager[int]:
    """The database's lock on ``db``, held by another process as the app holds it; yields that process's id."""
    return _holding(_run_app(db, "hold", stdin=subprocess.PIPE), "LOCKED")


def app_tries(db: Path) -> list[str]:
    """What a new copy of the app says on taking the lock on ``db`` (it gives it back at once):
    ``LOCKED True``, ``LOCKED False`` (no lock can be made there) or ``BUSY False PID``."""
    done = _run_app(db, "try")
    out, _ = done.communicate(timeout=30)
    return out.split()


def app_can_open(db: Path) -> bool:
    """Whether a new copy of the app would get the lock on ``db``."""
    return app_tries(db) == ["LOCKED", "True"]


def crashed_app_lock(db: Path) -> int:
    """Leave the lock file of an app that died holding ``db``; returns its (now unused) process id."""
    proc = _run_app(db, "crash")
    out, _ = proc.communicate(timeout=30)
    assert out.split() == ["LOCKED", "True"]
    assert _named_in_file(database_lock_path(db)) == [str(proc.pid), "Lens Walkthrough"]  # left behind
    assert read_holder(database_lock_path(db)) == LockHolder(0, "")  # but an ended process holds nothing
    return proc.pid


def _named_in_file(lock_file: Path) -> list[str]:
    """The process id and program written in ``lock_file``, whether or not that process still runs."""
    return lock_file.read_bytes().decode().split("\n")[1:3]


def run_cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(*folders: Path) -> dict[Path, bytes]:
    """Every file under ``folders`` with its bytes."""
    return {p: p.read_bytes() for folder in folders if folder.exists() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def db(sample_database: tuple[Path, str]) -> Path:
    """A database holding the sample walkthrough (made before any app is open)."""
    return sample_database[0]


# -- the lock file's name ------------------------------------------------------------------------


def test_the_lock_is_beside_the_database_file_it_belongs_to(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert database_lock_path(tmp_path / "link" / "w.sqlite3") == tmp_path / "real" / "w.sqlite3.lock"


def test_programs_with_different_data_folders_share_the_lock_of_one_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_home = tmp_path / "another data folder"
    env = {**os.environ, "WALKTHROUGH_HOME": str(other_home)}
    with _holding(_run_app(db, "hold", stdin=subprocess.PIPE, env=env), "LOCKED") as pid:
        code, _, err = run_cli(capsys, db, "demo")  # this process's data folder is another one
        assert code == 1 and f"(process {pid})" in err, err
    assert not database_lock_path(db).exists()
    assert not (other_home / "locks").exists()


def test_links_to_one_database_share_its_lock(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "w.sqlite3"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.sqlite3").symlink_to(db)
    assert DatabaseLock(Path("w.sqlite3")).path == database_lock_path(db)
    assert database_lock_path(tmp_path / "link.sqlite3") == database_lock_path(db)
    assert database_lock_path(tmp_path / "other.sqlite3") != database_lock_path(db)
    with app_open_on(tmp_path / "link.sqlite3"):
        assert not DatabaseLock(Path("w.sqlite3")).acquire()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names may be bytes that are not UTF-8")
def test_a_database_name_that_is_not_utf8_has_a_lock(tmp_path: Path) -> None:
    db = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.sqlite3"))
    assert database_lock_path(db).name.endswith(".lock")
    with hold_database_lock(db, "walkthrough demo") as lock:
        assert read_holder(lock) == LockHolder(os.getpid(), "walkthrough demo")
        assert not app_can_open(db)
    assert app_can_open(db)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_planted_at_the_lock_name_counts_as_held_without_hanging(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(database_lock_path(db))
    assert app_tries(db) == ["BUSY", "False", "0"]  # never taken over: it is no lock file
    code, _, err = run_cli(capsys, db, "demo")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "in use by" in err and "(process" not in err, err
    assert stat.S_ISFIFO(database_lock_path(db).lstat().st_mode)  # left as it was


def test_a_link_planted_at_the_lock_name_is_not_followed(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    elsewhere = tmp_path / "someone else's file"
    elsewhere.write_bytes(b"precious")
    database_lock_path(db).symlink_to(elsewhere)
    assert app_tries(db) == ["BUSY", "False", "0"]
    with pytest.raises(DatabaseLockHeld), hold_database_lock(db):
        pytest.fail("took a lock through a link")
    (tmp_path / "w.sqlite3.lock").unlink()
    database_lock_path(db).symlink_to(tmp_path / "not there")  # a dangling link is not created through either
    assert app_tries(db) == ["BUSY", "False", "0"]
    assert elsewhere.read_bytes() == b"precious" and not (tmp_path / "not there").exists()


def test_the_lock_loads_no_qt(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from walkthrough.storage.database_lock import hold_database_lock\n"
        "with hold_database_lock(sys.argv[1]):\n"
        "    print('QT' if 'PySide6' in sys.modules else 'NO-QT')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "w.sqlite3")], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, check=True)
    assert done.stdout.strip() == "NO-QT"


# -- held, given back, and freed by the system ---------------------------------------------------


def test_an_open_app_is_named_with_its_process_and_the_lock_is_free_once_it_closes(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    with app_open_on(db) as pid:
        assert read_holder(database_lock_path(db)) == LockHolder(pid, "Lens Walkthrough")
        assert app_tries(db) == ["BUSY", "False", str(pid)]
        assert app_can_open(tmp_path / "another.sqlite3")
    assert not database_lock_path(db).exists()  # given back and removed
    assert app_can_open(db)


def test_the_lock_of_an_app_that_died_is_free_at_once(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    crashed_app_lock(db)
    assert app_can_open(db)  # the system gave it back when the process ended
    with hold_database_lock(db, "walkthrough demo") as lock:
        assert read_holder(lock) == LockHolder(os.getpid(), "walkthrough demo")  # the dead one's name is gone


@pytest.mark.parametrize("content", [b"", b"not a pid\n", b"\n4242\nLensWalkthrough\nother-laptop\n",
                                     b"\xff\xfe\x00garbage"])
def test_a_lock_file_no_process_holds_is_taken_whatever_it_says(tmp_path: Path, content: bytes) -> None:
    # Left by a crash, or by an older version: what it says does not matter, only whether a process holds it.
    db = tmp_path / "w.sqlite3"
    database_lock_path(db).write_bytes(content)
    started = time.monotonic()
    with hold_database_lock(db, "walkthrough demo") as lock:
        assert read_holder(lock) == LockHolder(os.getpid(), "walkthrough demo")
    assert time.monotonic() - started < 5  # at once (a loaded machine allowed for): nothing to judge stale
    assert not database_lock_path(db).exists()


def test_the_lock_file_names_its_holder_and_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with hold_database_lock(tmp_path / "w.sqlite3", "walkthrough restore") as lock:
            assert stat.S_IMODE(lock.stat().st_mode) == 0o600  # it names a process on this machine
            assert lock.read_bytes() == f"\n{os.getpid()}\nwalkthrough restore\n".encode()
    finally:
        os.umask(old)


def test_no_lock_on_a_write_protected_stick(db: Path) -> None:
    # Nothing can be created beside the database, and nothing can change it: each program goes on without.
    from tests.unit.test_durability import write_protected

    with write_protected(db.parent), hold_database_lock(db) as lock:
        assert not lock.exists()
        assert app_tries(db) == ["LOCKED", "False"]  # opens, for viewing, while a command reads it


def test_no_lock_where_the_databases_folder_is_missing(tmp_path: Path) -> None:
    # Opening the database then says what is wrong; the lock makes no folder of its own.
    lock = DatabaseLock(tmp_path / "missing" / "w.sqlite3")
    assert lock.acquire() and not lock.held
    assert not (tmp_path / "missing").exists()
    lock.release()


# -- the command line ----------------------------------------------------------------------------


def _writing_commands(db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[list[str | Path]]:
    """One call of every command that changes the database, each one that would succeed."""
    from PIL import Image

    from walkthrough.services.observations import list_observations
    from walkthrough.storage.database import open_database

    code, out, _ = run_cli(capsys, db, "list")
    wid = out.split()[0]
    with open_database(db) as opened:
        oid = list_observations(opened, wid)[0].id
    code, out, err = run_cli(capsys, db, "backup", tmp_path / "before.sqlite3")
    assert code == 0, err
    photo = tmp_path / "p.png"
    Image.new("RGB", (32, 32), "teal").save(photo)
    csv = tmp_path / "in.csv"
    code, _, err = run_cli(capsys, db, "export-csv", wid, csv)
    assert code == 0, err
    return [
        ["restore", tmp_path / "before.sqlite3"],
        ["import-csv", wid, csv],
        ["observe", wid, "--area", "reception", "--rating", "working-well", "--note", "Calm"],
        ["photos", "add", oid, photo],
        ["new", "--lens", "general", "--service", "S", "--site", "T"],
        ["edit", wid[:8], "--site", "Stromness"],
        ["walk-again", wid[:8]],
        ["demo"],
    ]


def test_commands_that_change_the_database_refuse_while_the_app_is_open(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], _isolated_user_dirs: Path
) -> None:
    commands = _writing_commands(db, capsys, tmp_path)
    with app_open_on(db) as pid:
        before = snapshot(db.parent, _isolated_user_dirs / "backups")
        for args in commands:
            code, out, err = run_cli(capsys, db, *args)
            assert code == 1, (args, out, err)
            [line] = err.strip().splitlines()
            assert line.startswith(f"error: {db} is in use by the Lens Walkthrough app or another walkthrough "
                                   "command "), line
            name = " ".join(map(str, args[:2])) if args[0] == "photos" else args[0]
            assert f"(process {pid})" in line and str(db) in line and f"then run `walkthrough {name}` again" in line
            assert out == ""
            assert snapshot(db.parent, _isolated_user_dirs / "backups") == before, args  # not a byte changed
    for args in commands:  # and each goes through once the app has closed
        code, _, err = run_cli(capsys, db, *args)
        assert code == 0, (args, err)


def test_reading_commands_work_while_the_app_is_open(db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with app_open_on(db):
        code, out, err = run_cli(capsys, db, "list")
        assert code == 0 and out.strip(), err
        wid = out.split()[0]
        for args in (["--read-only", "list"], ["check"], ["backups"], ["export-csv", wid, tmp_path / "o.csv"],
                     ["backup", tmp_path / "b.sqlite3"], ["copy-db", tmp_path / "copy.sqlite3"]):
            code, out, err = run_cli(capsys, db, *args)
            assert code == 0, (args, err)
            assert "open on" not in err
        # With --read-only a writing command keeps its own reason for refusing.
        code, _, err = run_cli(capsys, db, "--read-only", "restore", tmp_path / "b.sqlite3")
        assert code == 1 and "without --read-only" in err


def test_a_crashed_app_does_not_block_a_restore(db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    crashed_app_lock(db)
    code, out, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
    assert code == 0, err
    assert "restored" in out


def test_the_refusal_through_the_real_command_is_one_line_and_exit_status_1(db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite3"
    run = [sys.executable, "-m", "walkthrough", "--db", str(db)]
    subprocess.run([*run, "backup", str(backup)], cwd=PROJECT_ROOT, check=True, capture_output=True)
    with app_open_on(db) as pid:
        before = db.read_bytes()
        done = subprocess.run([*run, "restore", str(backup)], cwd=PROJECT_ROOT, capture_output=True, text=True)
        assert done.returncode == 1
        assert done.stderr.strip() == (f"error: {db} is in use by the Lens Walkthrough app or another walkthrough "
                                       f"command (process {pid}); close the app or let the command finish, "
                                       "then run `walkthrough restore` again")
        assert db.read_bytes() == before


# -- the command line holds the lock while it changes the database --------------------------------

#: A stand-in for a command that is changing the database: holds the command
#: line's lock on it until its stdin closes, or reports who holds it instead.
CLI = textwrap.dedent(
    """
    import sys
    from walkthrough.storage.database_lock import DatabaseLockHeld, hold_database_lock

    try:
        with hold_database_lock(sys.argv[1], "walkthrough import-csv"):
            print("HELD", flush=True)
            sys.stdin.read()
    except DatabaseLockHeld as exc:
        print("BUSY", exc.holder.pid, flush=True)
    """
)


def _cli_holder(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CLI, str(db)], cwd=PROJECT_ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def cli_holding(db: Path) -> contextlib.AbstractContextManager[int]:
    """The command line's lock on ``db``, held by another process; yields that process's id."""
    return _holding(_cli_holder(db), "HELD")


def killed_cli_lock(db: Path) -> int:
    """Leave the lock file of a command killed (-9) while it held ``db``; returns its (now unused) process id."""
    proc = _cli_holder(db)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HELD"
    proc.kill()
    proc.wait(timeout=30)
    assert _named_in_file(database_lock_path(db))[0] == str(proc.pid)  # left behind, naming the dead process
    return proc.pid


def _lock_pid(lock_file: Path) -> int:
    return read_holder(lock_file).pid


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_the_app_finds_the_lock_the_command_line_holds_taken(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    with cli_holding(db) as pid:
        assert app_tries(db) == ["BUSY", "False", str(pid)]
        assert read_holder(database_lock_path(db)) == LockHolder(pid, "walkthrough import-csv")
    assert not database_lock_path(db).exists()  # given back
    assert app_can_open(db)


def test_a_killed_commands_lock_is_free_at_once_for_the_app_and_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    killed_cli_lock(db)
    assert app_can_open(db)
    killed_cli_lock(db)
    with hold_database_lock(db) as lock:
        assert _lock_pid(lock) == os.getpid()
    assert not lock.exists()
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    killed_cli_lock(db)
    code, out, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
    assert code == 0 and "restored" in out, err
    assert not database_lock_path(db).exists()


def test_the_command_line_holding_the_lock_keeps_another_command_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    with cli_holding(db) as pid:
        before = database_lock_path(db).read_bytes()
        code, _, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
        assert code == 1 and f"(process {pid})" in err, err
        assert "another walkthrough command" in err and "let the command finish" in err, err
        assert database_lock_path(db).read_bytes() == before  # its lock is untouched
    assert run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")[0] == 0


def test_an_open_app_keeps_the_command_line_from_taking_the_lock(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = database_lock_path(db)
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    with app_open_on(db) as pid:
        before, inode = lock.read_bytes(), lock.stat().st_ino
        with pytest.raises(DatabaseLockHeld) as caught, hold_database_lock(db):
            pytest.fail("took the lock of an open app")
        assert caught.value.holder == LockHolder(pid, "Lens Walkthrough")
        code, out, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
        assert (code, out) == (1, "")
        assert err.strip() == (f"error: {db} is in use by the Lens Walkthrough app or another walkthrough "
                               f"command (process {pid}); close the app or let the command finish, "
                               "then run `walkthrough restore` again")
        assert (lock.read_bytes(), lock.stat().st_ino) == (before, inode)  # the app's lock, as it was


@pytest.mark.parametrize("raised", [RuntimeError("boom"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_the_lock_is_given_back_however_the_block_ends(tmp_path: Path, raised: BaseException) -> None:
    db = tmp_path / "w.sqlite3"
    with pytest.raises(type(raised)), hold_database_lock(db) as lock:
        assert _lock_pid(lock) == os.getpid()
        raise raised
    assert not lock.exists()
    assert app_can_open(db)


def test_a_failed_restore_gives_the_lock_back(db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    not_a_backup = tmp_path / "nothing.sqlite3"
    not_a_backup.write_bytes(b"not a database")
    code, _, err = run_cli(capsys, db, "restore", not_a_backup)
    assert code == 1 and err.startswith("error: "), err
    assert not database_lock_path(db).exists()
    assert app_can_open(db)


def test_of_several_takers_exactly_one_gets_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    killed_cli_lock(db)
    takers = [_cli_holder(db) for _ in range(3)]
    takers.append(_run_app(db, "hold", stdin=subprocess.PIPE))
    try:
        said = [p.stdout.readline().split() for p in takers if p.stdout is not None]
    finally:
        for p in takers:
            assert p.stdin is not None
            p.stdin.close()
            p.wait(timeout=30)
    winners = [p.pid for p, words in zip(takers, said, strict=True) if words[0] in ("HELD", "LOCKED")]
    assert len(winners) == 1, said
    # The others name the winner, or no one if they looked before it had written its name
    # (the file still named the killed command then: a process that has ended is no one).
    assert all(words[-1] in ("HELD", "True", "0", str(winners[0])) for words in said), said
    assert not database_lock_path(db).exists()


# -- a real command, kept waiting by another program's write ------------------------------------


@contextmanager
def import_kept_waiting(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *,
                        let_go: bool = True) -> Iterator[subprocess.Popen[str]]:
    """``walkthrough import-csv``, running in another process, stopped while it holds the lock.

    Another program is in the middle of a write, so the import, lock taken,
    waits for SQLite's busy timeout; it is then stopped (SIGSTOP) so that the
    test takes as long as it likes.  The other program lets go (``let_go``)
    before the block runs, so the import goes on once it is continued
    (SIGCONT); otherwise its wait runs out and it fails.
    """
    code, out, _ = run_cli(capsys, db, "list")
    wid = out.split()[0]
    assert run_cli(capsys, db, "export-csv", wid, tmp_path / "in.csv")[0] == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    # As new: importing the file as it was exported would change nothing, and write nothing.
    proc = subprocess.Popen([sys.executable, "-m", "walkthrough", "--db", str(db), "import-csv", "--as-new", wid,
                             str(tmp_path / "in.csv")],
                            cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: _lock_pid(database_lock_path(db)) == proc.pid, "the command to take the lock", 4.0)
        proc.send_signal(signal.SIGSTOP)
        if let_go:
            writer.execute("ROLLBACK")
        yield proc
    finally:
        writer.close()
        proc.send_signal(signal.SIGCONT)
        if proc.poll() is None and not let_go:
            proc.wait(timeout=60)
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


needs_sigstop = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP")


@needs_sigstop
def test_an_app_started_during_an_import_finds_the_database_taken(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with import_kept_waiting(db, tmp_path, capsys) as proc:
        assert app_tries(db) == ["BUSY", "False", str(proc.pid)]
        proc.send_signal(signal.SIGCONT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.startswith("imported ")
    assert not database_lock_path(db).exists()
    assert app_can_open(db)


@needs_sigstop
def test_ctrl_c_during_an_import_gives_the_lock_back(db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with import_kept_waiting(db, tmp_path, capsys) as proc:
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=60)
        assert (proc.returncode, err.strip()) == (130, "error: interrupted")
    assert not database_lock_path(db).exists()
    assert app_can_open(db)


@needs_sigstop
def test_a_command_that_fails_gives_the_lock_back(db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with import_kept_waiting(db, tmp_path, capsys, let_go=False) as proc:
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=60)  # the other program's write outlasts SQLite's wait
        assert proc.returncode == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        assert "in use by another program" in err
    assert not database_lock_path(db).exists()
    assert app_can_open(db)
