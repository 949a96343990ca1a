"""The command line and the desktop app share one database lock, and each respects the other's.

The app's side is the app's own code (``DatabaseLock``, a real QLockFile) or
a bare ``QLockFile`` in another process, as a running app would hold it; the
command line's side is ``hold_app_lock``, in this process, in a stand-in
process that can be killed, or a real ``walkthrough`` command kept waiting
by another program's write.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
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
from walkthrough.storage.app_lock import AppLockHeld, AppLockHolder, app_holding, app_lock_path, hold_app_lock

LINUX = sys.platform.startswith("linux")

#: A stand-in for the desktop app: takes the app's lock on a database, says so,
#: then holds it until its stdin closes ("hold"), or dies at once without
#: releasing it, as a crash would ("crash"), or just reports whether it got it ("try").
APP = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from walkthrough.gui.database_lock import DatabaseLock

    lock = DatabaseLock(Path(sys.argv[1]))
    got = lock.acquire()
    print("LOCKED" if got else "BUSY", flush=True)
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
        assert proc.stdout is not None and proc.stdout.readline().strip() == ready
        yield proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def app_open_on(db: Path) -> contextlib.AbstractContextManager[int]:
    """The desktop app's lock on ``db``, held by another process; yields that process's id."""
    return _holding(_run_app(db, "hold", stdin=subprocess.PIPE), "LOCKED")


def app_can_open(db: Path) -> bool:
    """Whether a new copy of the app would get the lock on ``db`` (it gives it back at once)."""
    done = _run_app(db, "try")
    out, _ = done.communicate(timeout=30)
    return out.strip() == "LOCKED"


def crashed_app_lock(db: Path) -> int:
    """Leave the lock file of an app that died holding ``db``; returns its (now unused) process id."""
    proc = _run_app(db, "crash")
    out, _ = proc.communicate(timeout=30)
    assert out.strip() == "LOCKED"
    assert app_lock_path(db).is_file()
    return proc.pid


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
    assert app_lock_path(tmp_path / "link" / "w.sqlite3") == tmp_path / "real" / "w.sqlite3.lock"


def test_programs_with_different_data_folders_share_the_lock_of_one_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_home = tmp_path / "another data folder"
    env = {**os.environ, "WALKTHROUGH_HOME": str(other_home)}
    with _holding(_run_app(db, "hold", stdin=subprocess.PIPE, env=env), "LOCKED") as pid:
        code, _, err = run_cli(capsys, db, "demo")  # this process's data folder is another one
        assert code == 1 and f"(process {pid})" in err, err
        assert app_holding(db) is not None
    assert not app_lock_path(db).exists()
    assert not (other_home / "locks").exists()


def test_the_app_and_the_headless_check_name_the_same_lock_file(tmp_path: Path, monkeypatch) -> None:
    from walkthrough.gui.database_lock import DatabaseLock

    db = tmp_path / "w.sqlite3"
    assert DatabaseLock(db).path == app_lock_path(db)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.sqlite3").symlink_to(db)
    assert app_lock_path(Path("w.sqlite3")) == app_lock_path(db) == app_lock_path(tmp_path / "link.sqlite3")
    assert app_lock_path(tmp_path / "other.sqlite3") != app_lock_path(db)


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names may be bytes that are not UTF-8")
def test_a_database_name_that_is_not_utf8_has_a_lock_path(tmp_path: Path) -> None:
    db = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.sqlite3"))
    assert app_lock_path(db).name.endswith(".lock")
    assert app_holding(db) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_planted_at_the_lock_name_counts_as_held_without_hanging(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    os.mkfifo(app_lock_path(db))
    probe = ("import sys\nfrom walkthrough.storage.app_lock import app_holding\n"
             "print(app_holding(sys.argv[1]))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=30, check=True)
    assert done.stdout.strip() == repr(AppLockHolder(0, "", "", False))  # never taken over: it is no lock file


def test_the_headless_check_loads_no_qt(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from walkthrough.storage.app_lock import app_holding\n"
        "app_holding(sys.argv[1])\n"
        "print('QT' if 'PySide6' in sys.modules else 'NO-QT')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "w.sqlite3")], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, check=True)
    assert done.stdout.strip() == "NO-QT"


# -- live and stale locks ------------------------------------------------------------------------


def test_an_open_app_is_seen_with_its_process_and_no_longer_once_it_closes(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    assert app_holding(db) is None
    with app_open_on(db) as pid:
        holder = app_holding(db)
        assert holder is not None
        assert (holder.pid, holder.this_machine) == (pid, True)
        assert holder.app_name  # the process name QLockFile wrote
        assert app_holding(tmp_path / "another.sqlite3") is None
    assert app_holding(db) is None


def test_the_lock_of_an_app_that_died_does_not_count_and_the_app_agrees(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    crashed_app_lock(db)
    assert app_holding(db) is None
    assert app_can_open(db)  # QLockFile takes such a lock over too


@pytest.mark.skipif(not LINUX, reason="Qt checks a process's program name on Linux only here")
def test_a_process_id_reused_by_another_program_does_not_count(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    lock = app_lock_path(db)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        lock.write_text(f"{sleeper.pid}\nLensWalkthrough\n{os.uname().nodename}\n", encoding="utf-8")
        assert app_holding(db) is None
        lock.write_text(f"{sleeper.pid}\nsleep\n{os.uname().nodename}\n", encoding="utf-8")
        assert app_holding(db) == AppLockHolder(sleeper.pid, "sleep", os.uname().nodename, True)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_lock_written_on_another_machine_counts_as_held(tmp_path: Path) -> None:
    # Its process cannot be seen from here; the app would not take it over either.
    db = tmp_path / "w.sqlite3"
    lock = app_lock_path(db)
    lock.write_text("4242\nLensWalkthrough\nother-laptop\nffffffffffffffffffffffffffffffff\n\n", encoding="utf-8")
    assert app_holding(db) == AppLockHolder(4242, "LensWalkthrough", "other-laptop", False)


@pytest.mark.skipif(not LINUX, reason="the boot id is read on Linux only")
def test_a_lock_from_before_the_machine_restarted_does_not_count(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    with app_open_on(db) as pid:
        lines = app_lock_path(db).read_text(encoding="utf-8").splitlines()
        assert len(lines) == 5 and lines[0] == str(pid)  # Qt 6: pid, name, host, machine id, boot id
        assert app_holding(db) is not None
    lines[0] = str(os.getpid())  # a live process of the same program: only the boot id differs
    lines[4] = "00000000-0000-0000-0000-000000000000"
    app_lock_path(db).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert app_holding(db) is None
    lines[4] = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    app_lock_path(db).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert app_holding(db) is not None


@pytest.mark.parametrize("content", [b"", b"not a pid\n", b"-5\nx\n", b"\xff\xfe\x00garbage"])
def test_an_empty_or_garbled_lock_file_does_not_count(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "w.sqlite3"
    lock = app_lock_path(db)
    lock.write_bytes(content)
    assert app_holding(db) is None


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
    from walkthrough.storage.app_lock import AppLockHeld, hold_app_lock

    try:
        with hold_app_lock(sys.argv[1]):
            print("HELD", flush=True)
            sys.stdin.read()
    except AppLockHeld as exc:
        print("BUSY", exc.holder.pid, flush=True)
    """
)

#: What a copy of the app sees with a bare QLockFile on the lock file (stale-lock time in argv[2]):
#: whether it got the lock, why not, and whom the file names.
QT_PROBE = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QLockFile

    lock = QLockFile(sys.argv[1])
    lock.setStaleLockTime(int(sys.argv[2]))
    got = lock.tryLock(0)
    pid, host, app = lock.getLockInfo()
    print(json.dumps({"got": got, "error": lock.error().name, "pid": pid, "host": host, "app": app}))
    """
)

#: The program name QLockFile writes and compares for processes of this interpreter.
PROGRAM = os.path.basename(os.path.realpath(sys.executable))


def _cli_holder(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CLI, str(db)], cwd=PROJECT_ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def _start_cli_holder(db: Path) -> subprocess.Popen[str]:
    proc = _cli_holder(db)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HELD"
    return proc


def cli_holding(db: Path) -> contextlib.AbstractContextManager[int]:
    """The command line's lock on ``db``, held by another process; yields that process's id."""
    return _holding(_cli_holder(db), "HELD")


def killed_cli_lock(db: Path) -> int:
    """Leave the lock of a command killed (-9) while it held ``db``; returns its (now unused) process id."""
    proc = _start_cli_holder(db)
    proc.kill()
    proc.wait(timeout=30)
    assert _lock_pid(app_lock_path(db)) == proc.pid  # left behind, naming the dead process
    return proc.pid


def qt_try_lock(lock_file: Path, stale_lock_time_ms: int = 0) -> dict[str, object]:
    """``QLockFile(lock_file).tryLock(0)`` in a fresh process, as a copy of the app starting now."""
    done = subprocess.run([sys.executable, "-c", QT_PROBE, str(lock_file), str(stale_lock_time_ms)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def _lock_pid(lock_file: Path) -> int | None:
    try:
        return int(lock_file.read_text(encoding="utf-8").splitlines()[0])
    except (OSError, IndexError, ValueError):
        return None


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_qt_finds_the_lock_the_command_line_holds_taken_by_a_live_process(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    lock = app_lock_path(db)
    with cli_holding(db) as pid:
        expected = {"got": False, "error": "LockFailedError", "pid": pid, "host": os.uname().nodename,
                    "app": PROGRAM}
        assert qt_try_lock(lock) == expected  # as the app sets it: stale only when the holder is gone
        assert qt_try_lock(lock, 30_000) == expected  # Qt's default
        assert not app_can_open(db)  # the app's own DatabaseLock
        assert app_holding(db) == AppLockHolder(pid, PROGRAM, os.uname().nodename, True)
    assert not lock.exists()  # given back
    assert app_can_open(db)


def test_the_lock_file_is_the_one_qt_writes_for_the_same_program(tmp_path: Path) -> None:
    qt_file = tmp_path / "qt.lock"
    writer = ("import sys\nfrom PySide6.QtCore import QLockFile\n"
              "lock = QLockFile(sys.argv[1])\nassert lock.tryLock(0)\n"
              "sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())\n")
    done = subprocess.run([sys.executable, "-c", writer, str(qt_file)], cwd=PROJECT_ROOT, capture_output=True,
                          check=True, timeout=60)
    with hold_app_lock(tmp_path / "w.sqlite3") as ours:
        ours_bytes, ours_mode = ours.read_bytes(), ours.stat().st_mode
    qt_lines, our_lines = done.stdout.split(b"\n"), ours_bytes.split(b"\n")
    assert our_lines[0] == str(os.getpid()).encode()
    assert our_lines[1:] == qt_lines[1:]  # program, host, machine id, boot id, and the last newline
    assert len(our_lines) == 6 and all(our_lines[1:5])
    assert ours_mode == 0o100600  # not Qt's 0666: it names this process and machine


def test_a_killed_commands_lock_is_stale_and_qt_takes_it_over(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    dead = killed_cli_lock(db)
    assert app_holding(db) is None
    probe = qt_try_lock(app_lock_path(db))
    assert probe["got"] is True and probe["pid"] != dead  # it removed ours and wrote its own
    killed_cli_lock(db)
    assert app_can_open(db)  # and so does the app's own DatabaseLock


def test_a_killed_commands_lock_is_stale_and_the_command_line_takes_it_over(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    killed_cli_lock(db)
    with hold_app_lock(db) as lock:
        assert _lock_pid(lock) == os.getpid()
    assert not lock.exists()
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    killed_cli_lock(db)
    code, out, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
    assert code == 0 and "restored" in out, err
    assert not app_lock_path(db).exists()


def test_the_command_line_holding_the_lock_keeps_another_command_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    with cli_holding(db) as pid:
        before = app_lock_path(db).read_bytes()
        code, _, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
        assert code == 1 and f"(process {pid})" in err, err
        assert "another walkthrough command" in err and "let the command finish" in err, err
        assert app_lock_path(db).read_bytes() == before  # its lock is untouched
    assert run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")[0] == 0


def test_an_open_app_keeps_the_command_line_from_taking_the_lock(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = app_lock_path(db)
    assert run_cli(capsys, db, "backup", tmp_path / "b.sqlite3")[0] == 0
    with app_open_on(db) as pid:
        before, inode = lock.read_bytes(), lock.stat().st_ino
        with pytest.raises(AppLockHeld) as caught, hold_app_lock(db):
            pytest.fail("took the lock of an open app")
        assert (caught.value.holder.pid, caught.value.holder.this_machine) == (pid, True)
        code, out, err = run_cli(capsys, db, "restore", tmp_path / "b.sqlite3")
        assert (code, out) == (1, "")
        assert err.strip() == (f"error: {db} is in use by the Lens Walkthrough app or another walkthrough "
                               f"command (process {pid}); close the app or let the command finish, "
                               "then run `walkthrough restore` again")
        assert (lock.read_bytes(), lock.stat().st_ino) == (before, inode)  # the app's lock, as it was


@pytest.mark.parametrize("raised", [RuntimeError("boom"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_the_lock_is_given_back_however_the_block_ends(tmp_path: Path, raised: BaseException) -> None:
    db = tmp_path / "w.sqlite3"
    with pytest.raises(type(raised)), hold_app_lock(db) as lock:
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
    assert not app_lock_path(db).exists()
    assert app_can_open(db)


@pytest.mark.parametrize("content", [b"", b"not a pid\n", b"\xff\xfe\x00garbage"])
@pytest.mark.parametrize("age", [0.0, 60.0], ids=["just-written", "left-over"])
def test_a_lock_file_naming_no_process_is_waited_for_briefly_then_taken_over(
    tmp_path: Path, content: bytes, age: float
) -> None:
    # Just written, it may be a QLockFile between creating the file and writing it; older, it is debris.
    db = tmp_path / "w.sqlite3"
    lock = app_lock_path(db)
    lock.write_bytes(content)
    if age:
        os.utime(lock, (time.time() - age, time.time() - age))
    started = time.monotonic()
    with hold_app_lock(db):
        assert _lock_pid(lock) == os.getpid()
    waited = time.monotonic() - started
    assert (waited >= 0.5) if not age else (waited < 0.5), waited


def test_of_several_takers_of_a_stale_lock_exactly_one_gets_it(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    killed_cli_lock(db)
    takers = [subprocess.Popen([sys.executable, "-c", CLI, str(db)], cwd=PROJECT_ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(3)]
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
    assert all(words[1:] in ([], [str(winners[0])]) for words in said), said  # the others name the winner
    assert not app_lock_path(db).exists()


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
    proc = subprocess.Popen([sys.executable, "-m", "walkthrough", "--db", str(db), "import-csv", wid,
                             str(tmp_path / "in.csv")],
                            cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: _lock_pid(app_lock_path(db)) == proc.pid, "the command to take the lock", 4.0)
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
        assert not app_can_open(db)
        probe = qt_try_lock(app_lock_path(db))
        assert (probe["got"], probe["error"], probe["pid"]) == (False, "LockFailedError", proc.pid)
        proc.send_signal(signal.SIGCONT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.startswith("imported ")
    assert not app_lock_path(db).exists()
    assert app_can_open(db)


@needs_sigstop
def test_ctrl_c_during_an_import_gives_the_lock_back(db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with import_kept_waiting(db, tmp_path, capsys) as proc:
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=60)
        assert (proc.returncode, err.strip()) == (130, "error: interrupted")
    assert not app_lock_path(db).exists()
    assert app_can_open(db)


@needs_sigstop
def test_a_command_that_fails_gives_the_lock_back(db: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with import_kept_waiting(db, tmp_path, capsys, let_go=False) as proc:
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=60)  # the other program's write outlasts SQLite's wait
        assert proc.returncode == 1 and err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
        assert "in use by another program" in err
    assert not app_lock_path(db).exists()
    assert app_can_open(db)
