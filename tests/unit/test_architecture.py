"""The layers stay as drawn: core without Qt, ReportLab only in report/, one-way imports."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_import_contracts_in_pyproject_hold() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


def test_importing_the_whole_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, walkthrough\n"
        "for m in pkgutil.walk_packages(walkthrough.__path__, 'walkthrough.'):\n"
        "    if not m.name.startswith(('walkthrough.gui', 'walkthrough.app', 'walkthrough.storage.migrations', 'walkthrough.__main__')):\n"
        "        importlib.import_module(m.name)\n"
        "print('PySide6' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    assert done.stdout.strip() == "False"
