"""The command line sees the desktop app's database lock and does not change a database under it.

The lock is taken by the app's own code (``DatabaseLock``, a real QLockFile)
in another process, as a running app would hold it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from walkthrough.cli import main
from walkthrough.storage.app_lock import AppLockHolder, app_holding, app_lock_path

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
def app_open_on(db: Path) -> Iterator[int]:
    """The desktop app's lock on ``db``, held by another process; yields that process's id."""
    proc = _run_app(db, "hold", stdin=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "LOCKED"
        yield proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


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
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the demo walkthrough (made before any app is open)."""
    path = tmp_path / "data" / "w.sqlite3"
    code, _, err = run_cli(capsys, path, "demo")
    assert code == 0, err
    return path


# -- the lock file's name ------------------------------------------------------------------------


def test_the_lock_path_is_the_one_the_app_always_used(tmp_path: Path, _isolated_user_dirs: Path) -> None:
    db = tmp_path / "w.sqlite3"
    key = hashlib.sha256(str(db.resolve()).encode("utf-8")).hexdigest()[:24]
    assert app_lock_path(db) == _isolated_user_dirs / "locks" / f"{key}.lock"


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
    lock.parent.mkdir(parents=True)
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
    lock.parent.mkdir(parents=True)
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
    lock.parent.mkdir(parents=True)
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
            assert line.startswith("error: Lens Walkthrough is open on "), line
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
        assert done.stderr.strip() == (f"error: Lens Walkthrough is open on {db} (process {pid}); close it first, "
                                       "then run `walkthrough restore` again")
        assert db.read_bytes() == before
