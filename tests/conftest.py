"""Shared fixtures.

The real-photo corpus lives outside the project at ``../shared/corpus`` and is
never copied in.  A clone elsewhere has no corpus: tests that need it skip
with a reason, everything else still runs.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("WALKTHROUGH_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
PHOTOS_DIR = CORPUS_DIR / "photos"


def corpus_manifest() -> list[dict[str, str]]:
    """Rows of ``photos/MANIFEST.tsv`` (file, expected, why), or [] without a corpus."""
    manifest = PHOTOS_DIR / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture
def photos_dir() -> Path:
    """The corpus photo folder; skips the test when the corpus is absent."""
    if not PHOTOS_DIR.is_dir():
        pytest.skip(f"photo corpus not found at {PHOTOS_DIR} (it lives in ../shared beside the project)")
    return PHOTOS_DIR


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data/config folders and WALKTHROUGH_DB at a fresh temp dir.

    No test may read or write the real user's walkthroughs or settings.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WALKTHROUGH_HOME", str(home))
    monkeypatch.delenv("WALKTHROUGH_DB", raising=False)
    return home


TEST_LENS_YAML = """\
id: test-lens
title: Test lens
version: "2.0"
description: A small lens for tests.
principles:
  - {id: safety, name: Safety, meaning: People feel safe.}
  - {id: trust, name: Trust, meaning: People can trust the service.}
  - {id: choice, name: Choice, meaning: People have choice.}
areas:
  - id: entrance
    title: Entrance
    kind: physical
    prompts:
      - {id: entrance-clear, question: "Is it clear where to go?", principles: [safety]}
      - {id: entrance-welcome, question: "Does it feel welcoming?", principles: [safety, trust]}
  - id: reception
    title: Reception
    kind: physical
    prompts:
      - {id: reception-privacy, question: "Can people speak without being overheard?", principles: [safety, trust]}
  - id: letters
    title: Letters and texts
    kind: procedural
    prompts:
      - {id: letters-plain, question: "Are letters plain and kind?", principles: [trust, choice]}
"""


@pytest.fixture
def test_lens():
    """A small valid lens (3 areas, 4 prompts, 3 principles, default ratings)."""
    from walkthrough.domain.lens import parse_lens

    return parse_lens(TEST_LENS_YAML, "test-lens.yaml")


@pytest.fixture
def db(tmp_path: Path):
    """A fresh walkthrough database in a real temporary SQLite file."""
    from walkthrough.storage.database import open_database

    database = open_database(tmp_path / "walkthroughs.sqlite3")
    yield database
    database.close()


@pytest.fixture(scope="session")
def postgresql_server():
    """A throwaway PostgreSQL server for the session (``tests/postgresql_server.py``); skips without one."""
    from tests import postgresql_server

    reason = postgresql_server.why_not()
    if reason is not None:
        pytest.skip(reason)
    server = postgresql_server.Server()
    yield server
    server.stop()


@pytest.fixture
def postgresql_url(postgresql_server) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgresql_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh walkthrough database on each engine in turn: a SQLite file, then PostgreSQL.

    A test module whose tests take ``db`` runs them on both engines by
    defining its own ``db`` fixture that returns ``any_db``.
    """
    from walkthrough.storage.database import open_database

    if request.param == "sqlite":
        location: Path | str = tmp_path / "walkthroughs.sqlite3"
    else:
        location = request.getfixturevalue("postgresql_server").emptied_walkthrough_database()
    database = open_database(location)
    yield database
    database.close()


@pytest.fixture
def walkthrough_id(db, test_lens) -> str:
    """The id of a new walkthrough on ``test_lens``."""
    from walkthrough.services.walkthroughs import create_walkthrough

    return create_walkthrough(db, test_lens, service="Test Service", site="Test Site").id


#: The sample walkthrough's database, made once per run (see ``sample_database``).
_SAMPLE: list[tuple[Path, str]] = []


@pytest.fixture
def sample_database(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database file holding the sample walkthrough (it has photos) at ``tmp_path/data/w.sqlite3``, and its id.

    Made once per run, as ``walkthrough demo`` makes it (a few seconds), and
    copied for each test.
    """
    import contextlib
    import io
    import shutil

    from walkthrough.cli import main

    if not _SAMPLE:
        template = tmp_path_factory.mktemp("sample-template") / "w.sqlite3"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["--db", str(template), "demo"]) == 0
        _SAMPLE.append((template, out.getvalue().strip()))
    template, walkthrough_id = _SAMPLE[0]
    path = tmp_path / "data" / "w.sqlite3"
    path.parent.mkdir(parents=True)
    shutil.copyfile(template, path)
    return path, walkthrough_id
