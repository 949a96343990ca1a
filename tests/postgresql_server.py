"""A throwaway PostgreSQL server for the test session (see ``postgresql_server`` in conftest.py).

Debian's ``postgresql`` package (``.ci/run`` installs it) puts ``initdb``
and ``pg_ctl`` in ``/usr/lib/postgresql/VERSION/bin``.  The server is made
in a temporary folder, listens on a Unix socket there and nowhere else
(``listen_addresses=''``), runs without fsync (its data is thrown away), and
is stopped at the end of the session.  ``initdb`` refuses to run as root,
which these tests are on CI: as root, the server runs as the ``postgres``
user (``runuser``).  Without PostgreSQL, :func:`why_not` says why, for the
tests to skip with.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def _bin_dir() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: on the PATH, else Debian's newest."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def why_not() -> str | None:
    """Why no server can be started here, or ``None`` if one can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if _bin_dir() is None:
        return "PostgreSQL is not installed (no initdb on the PATH or in /usr/lib/postgresql/*/bin)"
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root, and runuser (to start PostgreSQL as the postgres user) is not there"
    return None


class Server:
    """One running server; :meth:`new_database` gives each test an empty database of its own."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        assert bin_dir is not None
        self._bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="walkthrough-pg-"))
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self._data = self.folder / "data"
        self._names = itertools.count(1)
        self._run("initdb", "-D", str(self._data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                  "--locale", "C")
        options = f"-c listen_addresses='' -k {self.folder} -c fsync=off -c full_page_writes=off " \
                  "-c synchronous_commit=off"
        self._run("pg_ctl", "-D", str(self._data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self._as, str(self._bin / program), *args], check=True, capture_output=True, text=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (through its socket)."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(host=str(self.folder), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and delete everything it had."""
        try:
            self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
