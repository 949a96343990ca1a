"""The licence texts that must travel with the bundle.

MIT, BSD and the (L)GPL all ask that their text goes with every copy, so the
bundle gets a ``licenses/`` folder holding:

* ``THIRD-PARTY-LICENSES.md`` (the overview) and our own ``LICENSE`` (GPL-3.0);
* the texts in ``packaging/licenses/`` that no installed package carries:
  LGPL-3.0 (Qt, PySide6, libheif, libde265) and GPL-2.0 (x265);
* every bundled Python distribution's own licence files, found through its
  installed metadata (``*.dist-info/licenses/…``), so a new dependency brings
  its licence along without anyone listing it;
* CPython's licence (the interpreter is in the bundle too);
* on Linux, the Debian/Ubuntu copyright file of every system library that
  PyInstaller copied from the build machine (libstdc++, glib, libxcb …),
  found with ``dpkg-query``; on other distributions, note that these must be
  added by hand.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
DEST = "licenses"

_LICENCE_NAMES = ("LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "AUTHORS*", "COPYRIGHT*")


def licence_files(pure: Iterable[tuple], binaries: Iterable[tuple], workdir: Path | None = None) -> list[tuple[str, str]]:
    """``(destination, source)`` pairs for the bundle's licence texts.

    Args:
        pure: PyInstaller's ``Analysis.pure`` (module name first in each entry).
        binaries: PyInstaller's ``Analysis.binaries`` (destination path first).
        workdir: where to write ``COMPONENTS.txt``, the generated list of
            every bundled distribution with its version and declared licence
            (left out when None).
    """
    binaries = list(binaries)
    pairs = [
        (f"{DEST}/THIRD-PARTY-LICENSES.md", str(PACKAGING / "THIRD-PARTY-LICENSES.md")),
        (f"{DEST}/lens-walkthrough/LICENSE.txt", str(ROOT / "LICENSE")),
        *((f"{DEST}/{p.name}", str(p)) for p in sorted((PACKAGING / "licenses").glob("*.txt"))),
    ]
    python_licence = _python_licence()
    if python_licence is not None:
        pairs.append((f"{DEST}/python/LICENSE.txt", str(python_licence)))

    pairs += system_library_notices(binaries)

    top_levels = {entry[0].split(".")[0] for entry in pure}
    top_levels |= {PurePosixPath(Path(entry[0]).as_posix()).parts[0] for entry in binaries}
    top_levels.discard("walkthrough")  # ours: LICENSE above
    dists = sorted(bundled_distributions(top_levels), key=lambda d: d.metadata["Name"].lower())
    for dist in dists:
        name = dist.metadata["Name"]
        for file in dist.files or ():
            if _is_licence(file):
                pairs.append((f"{DEST}/{name}/{file.name}", str(dist.locate_file(file))))
    if workdir is not None:
        listing = Path(workdir) / "COMPONENTS.txt"
        listing.write_text(components_listing(dists), encoding="utf-8")
        pairs.append((f"{DEST}/COMPONENTS.txt", str(listing)))
    return pairs


def components_listing(dists: Iterable[importlib.metadata.Distribution]) -> str:
    """The bundled Python distributions with version and licence, as their metadata declares them."""
    lines = [
        "Components of this Lens Walkthrough bundle, as their installed metadata declared them at build time.",
        "The licence texts are in the folders beside this file; THIRD-PARTY-LICENSES.md explains them.",
        "",
        f"Python {sys.version.split()[0]}  PSF-2.0  (python/LICENSE.txt)",
    ]
    for dist in dists:
        lines.append(f"{dist.metadata['Name']} {dist.version}  {declared_licence(dist)}")
        if dist.metadata["Name"].lower().startswith("pyside6"):
            lines.append(f"  bundles Qt {_qt_version()}, used under LGPL-3.0-only (see THIRD-PARTY-LICENSES.md)")
    return "\n".join(lines) + "\n"


def _qt_version() -> str:
    try:
        from PySide6.QtCore import qVersion

        return qVersion()
    except ImportError:
        return "(unknown)"


def declared_licence(dist: importlib.metadata.Distribution) -> str:
    """The SPDX expression, else the License field's first line, else the licence classifiers."""
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    if meta.get("License") and meta["License"].strip():
        return meta["License"].strip().splitlines()[0]
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return "; ".join(classifiers) or "(not declared)"


def bundled_distributions(top_levels: set[str]) -> list[importlib.metadata.Distribution]:
    """Installed distributions that own any of these top-level modules or folders."""
    found: dict[str, importlib.metadata.Distribution] = {}
    for dist in importlib.metadata.distributions():
        for file in dist.files or ():
            first = file.parts[0] if file.parts else ""
            if first.endswith(".dist-info") or first == "..":
                continue
            if first in top_levels or first.removesuffix(".py") in top_levels:
                found.setdefault(dist.metadata["Name"].lower(), dist)
                break
    return list(found.values())


def system_library_notices(binaries: Iterable[tuple]) -> list[tuple[str, str]]:
    """``(destination, source)`` for the copyright file of each Debian package a bundled system library is from.

    Empty off Linux or without ``dpkg-query``.
    """
    dpkg = shutil.which("dpkg-query")
    if not sys.platform.startswith("linux") or dpkg is None:
        return []
    system = [entry[1] for entry in binaries if str(entry[1]).startswith(("/lib", "/usr/lib"))]
    # dpkg records a library under /lib or /usr/lib, whichever its package used.
    variants = {variant for path in system for variant in (path, _swap_usr(path), os.path.realpath(path))}
    if not variants:
        return []
    listing = subprocess.run([dpkg, "-S", *sorted(variants)], capture_output=True, text=True).stdout
    packages = {line.split(":", 1)[0] for line in listing.splitlines() if ": /" in line}
    pairs = []
    for package in sorted(packages):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if copyright_file.is_file():
            pairs.append((f"{DEST}/system/{package}.copyright.txt", str(copyright_file)))
    return pairs


def _swap_usr(path: str) -> str:
    return path.removeprefix("/usr") if path.startswith("/usr/lib") else "/usr" + path


def _is_licence(file: importlib.metadata.PackagePath) -> bool:
    if not file.parts or not file.parts[0].endswith(".dist-info"):
        return False
    return "licenses" in file.parts[1:-1] or any(fnmatch.fnmatch(file.name.upper(), p) for p in _LICENCE_NAMES)


def _python_licence() -> Path | None:
    for folder in (Path(sysconfig.get_path("stdlib")), Path(sys.base_prefix)):
        candidate = folder / "LICENSE.txt"
        if candidate.is_file():
            return candidate
    return None
