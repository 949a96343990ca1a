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
    assert rows[0][:3] == ["area", "prompt", "rating"]
    assert done.stderr.decode().strip() == f"exported {len(rows) - 1} observations"


def test_export_csv_help_explains_the_dash(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["export-csv", "--help"])
    assert '"-" writes the CSV to standard output' in " ".join(capsys.readouterr().out.split())
