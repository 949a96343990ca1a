"""Where the files that ship with the program live.

In an installed wheel ``resources/`` and ``ui/`` are copied inside the
package (see ``force-include`` in pyproject.toml).  In a source checkout or an
editable install they sit beside the package at the top of the repository.
Both layouts are looked up here, so no other module needs to know.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(name: str) -> Path:
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    beside = _PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(
        f"the program's {name}/ folder is missing (looked in {inside} and {beside}); "
        "reinstall Lens Walkthrough"
    )


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (lenses, fonts, icons, sample data).

    Raises:
        FileNotFoundError: if the installation is incomplete.
    """
    return _first_existing("resources")


def lenses_dir() -> Path:
    """The folder of bundled lens files (``*.yaml``)."""
    return resources_dir() / "lenses"


def ui_dir() -> Path:
    """The folder of Qt Designer forms (``*.ui``)."""
    return _first_existing("ui")
