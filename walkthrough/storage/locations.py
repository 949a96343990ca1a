"""Where a user's walkthroughs, lenses and backups live on disk.

Everything is under one user data folder chosen by platformdirs
(``~/.local/share/LensWalkthrough`` on Linux,
``%LOCALAPPDATA%\\LensWalkthrough`` on Windows,
``~/Library/Application Support/LensWalkthrough`` on macOS).
``WALKTHROUGH_HOME`` overrides it (tests, portable use on a USB stick).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "LensWalkthrough"
DATABASE_FILE = "walkthroughs.sqlite3"


def user_data_dir() -> Path:
    """The folder that holds the default database, user lenses and backups (may not exist yet)."""
    override = os.environ.get("WALKTHROUGH_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed on this path; keeps start-up lean

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def user_lenses_dir() -> Path:
    """Where users drop their own lens files (``*.yaml``)."""
    return user_data_dir() / "lenses"


def backups_dir() -> Path:
    """Where automatic and manual backups are kept."""
    return user_data_dir() / "backups"


def default_database_path() -> Path:
    """The database used when neither ``--db`` nor ``WALKTHROUGH_DB`` is given."""
    return user_data_dir() / DATABASE_FILE


def resolve_database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: ``explicit`` (``--db``), else ``WALKTHROUGH_DB``, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("WALKTHROUGH_DB")
    if from_env:
        return Path(from_env).expanduser()
    return default_database_path()


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the user only, if missing."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
