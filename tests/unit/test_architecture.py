"""The layers stay as drawn: core without Qt, ReportLab only in report/, SQLite only in storage/, one-way imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the ``walkthrough`` package in ``project`` (first on the path there)."""
    return subprocess.run([sys.executable, "-c", LINT_IMPORTS], capture_output=True, text=True, cwd=project,
                          check=False)


def test_import_contracts_in_pyproject_hold() -> None:
    done = lint_imports(PROJECT_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("services/integrity.py", "import sqlite3", "Only storage/ knows the database engine"),
    ("gui/settings.py", "import sqlite3", "Only storage/ knows the database engine"),
    ("report/findings.py", "from walkthrough.storage import database", "report/ imports only the domain"),
    ("report/findings.py", "from walkthrough.services import walkthroughs", "report/ imports only the domain"),
])
def test_the_contracts_refuse_the_engine_outside_storage_and_the_database_in_the_report(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(PROJECT_ROOT / "walkthrough", tmp_path / "walkthrough",
                    ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    source = tmp_path / "walkthrough" / module
    source.write_text(f"{source.read_text(encoding='utf-8')}\n{line}\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout + done.stderr
    broken = done.stdout[done.stdout.index("Broken contracts"):]
    assert contract in broken and line.split()[1] in broken


def test_importing_the_whole_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, walkthrough\n"
        "for m in pkgutil.walk_packages(walkthrough.__path__, 'walkthrough.'):\n"
        "    if m.name.endswith('__main__'):\n"
        "        continue  # running it would start the program\n"
        "    if not m.name.startswith(('walkthrough.gui', 'walkthrough.app', 'walkthrough.storage.migrations')):\n"
        "        importlib.import_module(m.name)\n"
        "print('PySide6' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
                          timeout=120)
    assert done.stdout.strip() == "False"
