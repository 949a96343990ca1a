"""The command line as a newcomer meets it: pipes, no display, ``-`` for standard output, a repeated visit."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from walkthrough.cli import main


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    base = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    kwargs.setdefault("cwd", PROJECT_ROOT)
    return subprocess.run([sys.executable, "-m", "walkthrough", *args], env=env or base,
                          capture_output=True, timeout=120, check=False, **kwargs)


def new(db: Path, capsys, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "new", "--lens", "general", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_warns_about_a_second_walkthrough_of_the_same_visit_but_still_creates_it(tmp_path: Path, capsys) -> None:
    db = tmp_path / "w.sqlite3"
    code, first, err = new(db, capsys, "--service", "Orkney Recovery", "--site", "Kirkwall", "--date", "2026-11-03")
    assert code == 0 and err == ""
    code, second, err = new(db, capsys, "--service", " orkney  RECOVERY ", "--site", "kirkwall ",
                            "--date", "2026-11-03")
    assert code == 0 and second.strip() and second != first  # scripts rely on it being created
    [line] = err.splitlines()
    assert line.startswith("warning: a walkthrough of Orkney Recovery at Kirkwall on 2026-11-03 already exists")
    assert first.strip() in line
    code, _, err = new(db, capsys, "--service", "Orkney Recovery", "--site", "Kirkwall", "--date", "2026-11-04")
    assert code == 0 and err == ""  # another day is another visit


def test_output_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    # Repeat the lens 200 times so the output is far bigger than the pipe's buffer: the write must meet the
    # closed pipe, not just the final flush.
    done = subprocess.run(
        f"{sys.executable} -m walkthrough lens show general | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.stdout.startswith("general ")
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 0 if all the output fitted in the pipe before head left


def test_a_broken_pipe_mid_output_exits_141_without_a_message(tmp_path: Path) -> None:
    """Deterministic: the reader has gone before the first line is written."""
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "walkthrough", "lens", "show", "general"], env=env,
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `head` having exited
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_the_desktop_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
        pytest.skip("only X11/Wayland systems can lack a display")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WALKTHROUGH_HOME"] = str(tmp_path / "home")
    done = run(tmp_path, "--db", str(tmp_path / "w.sqlite3"), env=env, text=True)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "error: no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set): the desktop app needs one; "
        "the commands in `walkthrough --help` work without it\n"
    )


def test_export_csv_dash_writes_the_csv_to_standard_output(tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    wid = run(tmp_path, "--db", db, "demo", text=True).stdout.strip()
    file = tmp_path / "obs.csv"
    assert run(tmp_path, "--db", db, "export-csv", wid, str(file)).returncode == 0
    done = run(tmp_path, "--db", db, "export-csv", wid, "-", cwd=tmp_path)
    assert done.returncode == 0
    assert not (tmp_path / "-").exists()
    # The same CSV as the file, less the BOM a spreadsheet needs and a pipe does not.
    assert file.read_bytes() == b"\xef\xbb\xbf" + done.stdout
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    assert rows[0][:5] == ["area", "area_name", "prompt", "prompt_text", "rating"]
    assert done.stderr.decode().strip() == f"exported {len(rows) - 1} observations"


def test_export_csv_help_explains_the_dash(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["export-csv", "--help"])
    assert '"-" writes the CSV to standard output' in " ".join(capsys.readouterr().out.split())


# -- destinations: a path ending in a separator is a folder that must exist ---------------


def _cli(db: Path, capsys, *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(["--db", str(db), *map(str, args)])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(sample_database: tuple[Path, str]) -> tuple[Path, str]:
    """A database holding the demo walkthrough (it has photos), and the walkthrough's id."""
    return sample_database


def _writing_commands(wid: str, dest: str) -> list[list[str]]:
    return [["copy-db", dest], ["backup", dest], ["export-csv", wid, dest], ["report", wid, "-o", dest],
            ["photos", "export", wid, dest]]


def _files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.mark.parametrize("command", range(5), ids=["copy-db", "backup", "export-csv", "report", "photos export"])
@pytest.mark.parametrize("separator", sorted({os.sep, os.altsep or os.sep}))
def test_a_destination_ending_in_a_separator_that_is_no_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys, demo_db: tuple[Path, str], command: int, separator: str
) -> None:
    db, wid = demo_db
    stick = tmp_path / "media" / "usb"  # the stick is not plugged in: /media is there, /media/usb is not
    stick.parent.mkdir()
    dest = f"{stick}{separator}"
    before = _files_under(tmp_path)
    code, out, err = _cli(db, capsys, *_writing_commands(wid, dest)[command])
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"error: {dest}: no such folder (is the USB stick or disk connected?); "
                                "nothing was written"]
    assert _files_under(tmp_path) == before  # no file called usb, no usb.pdf, no folder made


def test_a_destination_ending_in_a_separator_that_is_a_file_is_refused(
    tmp_path: Path, capsys, demo_db: tuple[Path, str]
) -> None:
    db, _ = demo_db
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    code, _, err = _cli(db, capsys, "copy-db", f"{existing}{os.sep}")
    assert code == 1 and err.strip() == f"error: {existing}{os.sep}: a file, not a folder; nothing was written"
    assert existing.read_text() == "mine"


@pytest.mark.parametrize("command", range(5), ids=["copy-db", "backup", "export-csv", "report", "photos export"])
def test_a_destination_in_a_folder_that_does_not_exist_is_refused_and_no_folder_is_made(
    tmp_path: Path, capsys, demo_db: tuple[Path, str], command: int
) -> None:
    db, wid = demo_db
    (tmp_path / "media").mkdir()
    missing = tmp_path / "media" / "usb"
    dest = str(missing / "out")
    before = _files_under(tmp_path)
    code, out, err = _cli(db, capsys, *_writing_commands(wid, dest)[command])
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"error: {dest}: no such folder: {missing} (is the USB stick or disk connected?); "
                                "nothing was written"]
    assert _files_under(tmp_path) == before


def test_a_destination_inside_a_file_is_refused(tmp_path: Path, capsys, demo_db: tuple[Path, str]) -> None:
    db, wid = demo_db
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    code, _, err = _cli(db, capsys, "export-csv", wid, a_file / "o.csv")
    assert code == 1 and err.strip().startswith(f"error: {a_file / 'o.csv'}: not a folder: {a_file} ")
    assert a_file.read_text() == "mine"


def test_existing_folders_with_or_without_a_separator_still_take_the_output(
    tmp_path: Path, capsys, demo_db: tuple[Path, str]
) -> None:
    db, wid = demo_db
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = _cli(db, capsys, "copy-db", f"{stick}{os.sep}")
    assert code == 0 and (stick / "w.sqlite3").is_file(), err
    code, out, err = _cli(db, capsys, "backup", f"{stick}{os.sep}")
    assert code == 0 and Path(out.strip()).parent == stick, err
    code, out, err = _cli(db, capsys, "photos", "export", wid, f"{stick}{os.sep}")
    assert code == 0 and list(stick.glob("*.jpg")), err
    # photos export makes the one folder it is given, inside an existing one, as before
    code, out, err = _cli(db, capsys, "photos", "export", wid, stick / "photos")
    assert code == 0 and list((stick / "photos").glob("*.jpg")), err
    code, out, err = _cli(db, capsys, "export-csv", wid, "-")
    assert code == 0 and out.startswith("area,"), err


def test_a_database_path_ending_in_a_separator_is_refused(tmp_path: Path, capsys) -> None:
    stick = tmp_path / "usb"
    capsys.readouterr()
    code = main(["--db", f"{stick}{os.sep}", "demo"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.strip() == (f"error: --db {stick}{os.sep}: a folder, not a database file; give the file, like "
                           f"{stick / 'walkthroughs.sqlite3'}")
    assert not stick.exists()


# -- report --area takes names, as observe does ------------------------------------------


def test_report_area_accepts_a_name_as_observe_does(tmp_path: Path, capsys, demo_db: tuple[Path, str]) -> None:
    db, wid = demo_db
    code, _, err = _cli(db, capsys, "report", wid, "-o", tmp_path / "r.pdf", "--area", "Waiting area",
                        "--area", "waiting-area", "--area", " RECEPTION ")
    assert code == 0, err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = _cli(db, capsys, "report", wid, "-o", tmp_path / "s.pdf", "--area", "Garden")
    assert code == 1 and err.strip().startswith("error: unknown area 'Garden' (areas: ")
    assert not (tmp_path / "s.pdf").exists()
