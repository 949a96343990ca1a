"""Where a user's walkthroughs, lenses and backups live on disk.

Everything is under one user data folder chosen by platformdirs
(``~/.local/share/LensWalkthrough`` on Linux,
``%LOCALAPPDATA%\\LensWalkthrough`` on Windows,
``~/Library/Application Support/LensWalkthrough`` on macOS).
``WALKTHROUGH_HOME`` overrides it (tests, portable use on a USB stick).

Everything made in it - the folder itself, backups, logs - is the user's
alone: folders 0700, whatever the umask (:func:`make_private_dir`).  A data
folder, or a folder in it, that is a link or belongs to another user is
refused rather than written into: someone else could read or swap what we
put there.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from walkthrough.domain.errors import StorageError

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


#: ``scheme://…``: a database on a server, named by its SQLAlchemy URL, rather than a file.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_database_url(location: str | os.PathLike[str]) -> bool:
    """True if ``location`` is a URL (``postgresql+psycopg://…``), never to be read as a file path."""
    return isinstance(location, str) and _URL.match(location) is not None


def resolve_database(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """The database to use, as :func:`resolve_database_path`, but a URL stays the text it is."""
    for given in (explicit, os.environ.get("WALKTHROUGH_DB")):
        if given:
            return str(given) if is_database_url(given) else Path(given).expanduser()
    return default_database_path()


def database_label(location: str | os.PathLike[str]) -> str:
    """How a database is named in messages: its path, or its URL without the password."""
    if is_database_url(location):
        hidden = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", str(location))
        return re.sub(r"([?&]password=)[^&]*", r"\1***", hidden)
    return str(location)


def make_private_dir(path: Path) -> None:
    """Create ``path`` readable by the user only (0700), if missing.

    Inside the user data folder, the data folder and every folder on the way
    to ``path`` are made 0700 too, and each one already there is checked:
    one that is a link, or belongs to another user, is refused.  The data
    folder's own parents (``~/.local/share``) are the system's, made as
    usual if missing.  Elsewhere (a database's folder on a stick) missing
    folders are made as usual, and only the last one is made private.

    Raises:
        StorageError: a folder in the data folder is a link or someone else's.
        OSError: a folder cannot be made.
    """
    path = Path(path)
    data = user_data_dir()
    inside = _relative_to(path, data)
    if inside is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _make_one_private_dir(path)
        return
    data.parent.mkdir(parents=True, exist_ok=True)
    folder = data
    _make_one_private_dir(folder, owned_checked=True)
    for part in inside.parts:
        folder = folder / part
        _make_one_private_dir(folder, owned_checked=True)


def _make_one_private_dir(path: Path, *, owned_checked: bool = False) -> None:
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        if not owned_checked:
            return
        _refuse_unless_own_folder(path)
    if os.name == "posix":
        mode = os.lstat(path).st_mode
        if stat.S_IMODE(mode) != 0o700:
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask; and an older folder may be 0755


def _refuse_unless_own_folder(path: Path) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise StorageError(f"{path}: is a link, not a folder; the data folder and the folders in it must be "
                           "real folders of your own (set WALKTHROUGH_HOME to the folder itself); "
                           "nothing was written there")
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(f"{path}: is a file, not a folder; move it away; nothing was written there")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StorageError(f"{path}: belongs to another user; the data folder and the folders in it must be "
                           "your own; nothing was written there")


def is_in_user_data_dir(path: Path) -> bool:
    """True if ``path`` is the user data folder or inside it (by name; links are not followed)."""
    return _relative_to(path, user_data_dir()) is not None


def refuse_unsafe_data_dir() -> None:
    """Refuse a user data folder that is a link or someone else's (nothing if it is not there yet).

    Raises:
        StorageError: one line naming the folder.
    """
    data = user_data_dir()
    if os.path.lexists(data):
        _refuse_unless_own_folder(data)


def _relative_to(path: Path, folder: Path) -> Path | None:
    """``path`` relative to ``folder`` (compared as absolute paths, links not followed), or ``None``."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return None
