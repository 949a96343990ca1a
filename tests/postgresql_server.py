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
        self._shared: str | None = None
        try:
            self._run("initdb", "-D", str(self._data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                      "--locale", "C")
            options = f"-c listen_addresses='' -k {self.folder} -c fsync=off -c full_page_writes=off " \
                      "-c synchronous_commit=off"
            self._run("pg_ctl", "-D", str(self._data), "-o", options, "-l", str(self.folder / "server.log"),
                      "-w", "start")
            self._psql("CREATE DATABASE walkthroughs TEMPLATE template0")
        except BaseException:
            self.stop()
            raise

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self._as, str(self._bin / program), *args], check=True, capture_output=True, text=True)

    def _psql(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), user="postgres", dbname=database, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def url(self, database: str = "walkthroughs", schema: str | None = None) -> str:
        """The SQLAlchemy URL of ``database`` on this server (through its socket), in ``schema`` if given."""
        where = f"&options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}{where}"

    def new_database(self) -> str:
        """A new, empty walkthrough database; its URL.

        A schema of its own in one database, for speed: a schema is made in
        a few milliseconds, a database in about 0.2 s.  Through the URL's
        ``search_path`` the program sees it as a database of its own.
        """
        schema = f"test_{next(self._names)}"
        self._psql(f"CREATE SCHEMA {schema}", "walkthroughs")
        return self.url(schema=schema)

    def emptied_walkthrough_database(self) -> str:
        """The URL of a walkthrough database with every row deleted (the tables made once per session).

        For tests of what the program does with the data: emptying the
        tables takes milliseconds, making them again about 0.15 s.
        """
        import psycopg

        if self._shared is None:
            from walkthrough.storage.database import open_database

            self._psql("CREATE SCHEMA shared", "walkthroughs")
            self._shared = self.url(schema="shared")
            open_database(self._shared).close()
        with psycopg.connect(host=str(self.folder), user="postgres", dbname="walkthroughs", autocommit=True,
                             options="-csearch_path=shared") as conn:
            tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
                                                     "current_schema() AND tablename <> 'alembic_version'")]
            conn.execute(f"TRUNCATE {', '.join(tables)}")  # type: ignore[arg-type]
        return self._shared

    def new_server_database(self) -> str:
        """A new, empty database of its own (``CREATE DATABASE``); its URL."""
        name = f"db_{next(self._names)}"
        self._psql(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and delete everything it had."""
        try:
            if (self._data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
