"""The built wheel is complete: installed (not editable) it runs the quick start on its own.

Builds the wheel from this checkout, installs it with ``--no-deps`` into a new
virtual environment that borrows the already-installed dependencies through a
``.pth`` file, and runs ``walkthrough demo`` and ``walkthrough report`` from a
folder outside the checkout, so only the installed package can answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT


@pytest.mark.slow
def test_installed_wheel_ships_resources_and_runs_demo_and_report(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(PROJECT_ROOT)],
        check=True, capture_output=True, text=True,
    )
    wheel = next(dist.glob("lens_walkthrough-*.whl"))

    env_dir = tmp_path / "fresh venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Dependencies come from the test environment; the project itself must not.
    deps = Path(sysconfig.get_paths()["purelib"])
    (site / "zz_borrowed_dependencies.pth").write_text(str(deps) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(site), str(wheel)], check=True, capture_output=True, text=True)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WALKTHROUGH_DB")}
    env["WALKTHROUGH_HOME"] = str(tmp_path / "home")

    def run(*args: str) -> str:
        done = subprocess.run([str(python), "-m", "walkthrough", *args], cwd=outside, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [str(python), "-c", "import walkthrough.bundled as b; print(b.__file__); print(b.resources_dir()); "
         "print(b.ui_dir())"], cwd=outside, env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert all(Path(p).is_relative_to(site) for p in where), where
    assert (Path(where[1]) / "lenses" / "substance-use.yaml").is_file()
    assert (Path(where[1]) / "fonts" / "DejaVuSans.ttf").is_file()
    assert "Keyboard shortcuts" in (Path(where[1]) / "help" / "guide.html").read_text(encoding="utf-8")  # F1's guide
    assert (Path(where[1]) / "translations" / "lens-walkthrough_en.qm").is_file()  # "1 photo", not "1 photos"

    wid = run("demo").strip()
    run("report", wid, "-o", str(outside / "report.pdf"))
    assert (outside / "report.pdf").read_bytes().startswith(b"%PDF")
