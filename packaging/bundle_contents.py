"""What goes into the bundle and what is left out, for the PyInstaller spec.

Kept apart from the spec so the rules can be read in one place and tested
fast (``tests/unit/test_packaging.py``) without running PyInstaller.

The app needs no network, no Tk, no QML, no printing through Qt and no
child processes; everything that exists only for those is left out.  Qt
plug-ins are trimmed by name after PyInstaller's analysis, and then every
library that only the dropped plug-ins needed goes too (PyInstaller collected
them while following the plug-ins' links, before we could say no).
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

#: Python modules left out, with the reason.  Excluding a module PyInstaller
#: would not have found anyway costs nothing, so build machines with more
#: packages installed (numpy, Tk, IPython …) still get the same bundle.
PYTHON_EXCLUDES: dict[str, str] = {
    # No network: TLS, and stdlib clients and servers nothing of ours uses.
    # (socket, urllib and http.client stay: ReportLab and the stdlib import
    # them at start-up, but nothing calls them; the smoke test watches.)
    "ssl": "no network", "_ssl": "no network", "ftplib": "no network", "smtplib": "no network",
    "imaplib": "no network", "poplib": "no network", "xmlrpc": "no network", "http.server": "no network",
    "socketserver": "no network", "webbrowser": "no network",
    # hashlib falls back to CPython's built-in SHA-256 and MD5, so OpenSSL's
    # libcrypto is not needed either.
    "_hashlib": "built-in hashes suffice",
    "tkinter": "no Tk", "_tkinter": "no Tk", "turtle": "no Tk", "turtledemo": "no Tk", "idlelib": "no Tk",
    "PIL.ImageTk": "no Tk", "PIL.ImageQt": "Pillow's own Qt bridge, unused", "PIL.ImageShow": "unused",
    "pydoc": "developer tool", "pydoc_data": "developer tool", "pdb": "developer tool",
    "doctest": "test suite", "unittest": "test suite", "test": "test suite",
    "reportlab.graphics.testshapes": "test suite",
    "lib2to3": "developer tool", "ensurepip": "installer", "venv": "installer", "distutils": "installer",
    "setuptools": "installer", "pkg_resources": "installer", "pip": "installer",
    # Add multiprocessing.freeze_support() to the entry point before removing this.
    "multiprocessing": "no child processes",
    # Optional extras that pydantic, Mako and Pillow use only when present.
    "rich": "optional pretty-printer", "pygments": "optional highlighter", "markdown_it": "optional",
    "mdurl": "optional", "IPython": "optional", "numpy": "optional",
}

#: Qt plug-ins left out, as "folder/name" with no "lib" prefix or file extension.
QT_PLUGINS_DROPPED: dict[str, str] = {
    "networkinformation/*": "QtNetwork",
    "tls/*": "QtNetwork",
    "generic/*": "evdev and TUIO input devices (TUIO listens on the network)",
    "platforms/qvnc": "a VNC server",
    "egldeviceintegrations/*": "embedded devices",
    "platforms/qeglfs": "embedded devices",
    "platforms/qlinuxfb": "embedded devices",
    "platforms/qminimalegl": "embedded devices",
    "platforms/qvkkhrdisplay": "embedded devices",
    "platformthemes/qgtk3": "would bring the build machine's GTK stack; xdg-desktop-portal stays",
    "sqldrivers/*": "we use Python's sqlite3",
    "printsupport/*": "reports are PDFs made by ReportLab",
    "qmltooling/*": "no QML",
    "designer/*": "Qt Designer only",
    "platforminputcontexts/qtvirtualkeyboardplugin": "no QML",
}

#: Qt libraries only the dropped plug-ins need (matched against "Network", "Qml" …).
QT_LIBRARIES_DROPPED: dict[str, str] = {
    "Network": "no network",
    "EglFSDeviceIntegration": "embedded devices",
    "EglFsKmsSupport": "embedded devices",
    "VirtualKeyboard*": "no QML",
    "Qml*": "no QML",
    "Quick*": "no QML",
}

#: Other files PyInstaller's Qt hooks add (Windows), matched by file name.
QT_FILES_DROPPED: dict[str, str] = {
    # Qt's software OpenGL and Direct3D shader compiler serve OpenGL and Qt
    # Quick; the app draws with the raster engine only (QtWidgets, no
    # QOpenGLWidget), also under remote desktops without a GPU.
    "opengl32sw.dll": "no OpenGL drawing",
    "d3dcompiler_*.dll": "no OpenGL drawing",
}


# -- data files ---------------------------------------------------------------------------------------


def data_tree(src: Path, dest: str, skip: Sequence[str] = ("__pycache__", "*.pyc", ".*")) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` pairs ``(file, folder)`` for every file under ``src``, laid out under ``dest``."""
    pairs = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_file() and not any(fnmatch.fnmatch(part, pat) for part in rel.parts for pat in skip):
            pairs.append((str(path), str(PurePath(dest, *rel.parent.parts))))
    return pairs


# -- modules ------------------------------------------------------------------------------------------


def _imported_names(source: Path) -> set[str]:
    """Every absolute module name a Python file imports, and ``module.name`` for each ``from module import name``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def migration_imports(migrations: Path) -> list[str]:
    """Every module the Alembic migration scripts import.

    The scripts ship as data files (Alembic loads them by path), so
    PyInstaller never reads them; their imports become hidden imports, and a
    new revision that imports something new is covered without touching the spec.
    """
    modules: set[str] = set()
    for script in sorted(migrations.rglob("*.py")):
        modules.update(name for name in _imported_names(script) if _is_module(name))
    modules.discard("__future__")
    return sorted(modules)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def qt_modules_imported(package: Path) -> set[str]:
    """The PySide6 modules (``"QtCore"``, ``"QtUiTools"`` …) the package's source imports."""
    used = set()
    for source in sorted(package.rglob("*.py")):
        for name in _imported_names(source):
            parts = name.split(".")
            if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt"):
                used.add(parts[1])
    return used


def qt_binding_excludes(pyside6_dir: Path, used: set[str]) -> list[str]:
    """``PySide6.QtXxx`` for every binding in the installed PySide6 that the app does not import.

    So the bundle carries only the bindings the app uses, and a new
    ``from PySide6.QtSvg import …`` in the app is picked up by the next build.
    """
    available = {p.name.split(".")[0] for p in pyside6_dir.iterdir() if p.name.startswith("Qt") and p.suffix in (".so", ".pyd")}
    return sorted(f"PySide6.{name}" for name in available - used)


# -- Qt plug-ins and libraries -----------------------------------------------------------------------


def qt_plugin(dest: str) -> str | None:
    """``"platforms/qxcb"`` for a Qt plug-in's destination in the bundle, else None.

    Handles ``PySide6/Qt/plugins/platforms/libqxcb.so`` (Linux, macOS) and
    ``PySide6/plugins/platforms/qwindows.dll`` (Windows).
    """
    parts = PurePath(dest.replace("\\", "/")).parts
    if "PySide6" not in parts or "plugins" not in parts:
        return None
    rest = parts[parts.index("plugins") + 1 :]
    if len(rest) < 2:
        return None
    stem = rest[-1].split(".")[0]
    return "/".join([*rest[:-1], stem[3:] if stem.startswith("lib") else stem])


def qt_library(dest: str) -> str | None:
    """``"Network"`` for ``libQt6Network.so.6``, ``Qt6Network.dll`` or ``QtNetwork.framework/…``, else None."""
    for part in PurePath(dest.replace("\\", "/")).parts:
        if ".abi3." in part or part.endswith(".pyd"):
            continue  # a Python binding, not a Qt library
        for prefix in ("libQt6", "Qt6", "Qt"):
            if part.startswith(prefix) and (".so" in part or part.endswith((".dll", ".framework", ".dylib"))):
                return part[len(prefix) :].split(".")[0]
    return None


def is_dropped(dest: str) -> bool:
    """True for a Qt plug-in, Qt library, Qt translation or Qt extra the bundle leaves out."""
    name = PurePath(dest.replace("\\", "/")).name
    if any(fnmatch.fnmatch(name.lower(), pattern) for pattern in QT_FILES_DROPPED):
        return True
    plugin = qt_plugin(dest)
    if plugin is not None:
        return any(fnmatch.fnmatch(plugin, pattern) for pattern in QT_PLUGINS_DROPPED)
    library = qt_library(dest)
    if library is not None:
        return any(fnmatch.fnmatch(library, pattern) for pattern in QT_LIBRARIES_DROPPED)
    # Qt's own translations: the app installs no translator for Qt's strings.
    parts = PurePath(dest.replace("\\", "/")).parts
    return "PySide6" in parts and "translations" in parts


# -- trimming the analysis ---------------------------------------------------------------------------

Entry = tuple  # PyInstaller TOC entry: (dest_name, src_name, typecode)


def trim(binaries: Iterable[Entry], datas: Iterable[Entry], imports_of=None) -> tuple[list, list, list[str]]:
    """Drop the unwanted Qt files, then every library that only they needed.

    A library is removed only if a dropped file links it and nothing kept
    links it, directly or through other libraries.  Libraries that nothing
    links (Qt opens some at run time, such as Windows' software OpenGL) are
    never touched.

    Args:
        binaries, datas: PyInstaller's ``Analysis.binaries`` and ``Analysis.datas``.
        imports_of: ``path -> set of resolved dependency paths``; default
            PyInstaller's own binary analysis (tests pass a fake).

    Returns:
        The kept binaries, the kept datas, and the destination names removed.
    """
    if imports_of is None:
        imports_of = _pyinstaller_imports

    binaries, datas = list(binaries), list(datas)
    dropped = [e for e in binaries if is_dropped(e[0])]
    kept = [e for e in binaries if not is_dropped(e[0])]
    by_source = {_real(e[1]): e for e in kept}

    def reach(start: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        todo = [_real(e[1]) for e in start]
        while todo:
            for dep in imports_of(todo.pop()):
                dep = _real(dep)
                if dep in by_source and dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return seen

    candidates = reach(dropped)
    still_needed = reach(e for e in kept if _real(e[1]) not in candidates)
    orphans = candidates - still_needed
    binaries = [e for e in kept if _real(e[1]) not in orphans]
    removed = sorted([e[0] for e in dropped] + [by_source[o][0] for o in orphans])
    kept_datas = [e for e in datas if not is_dropped(e[0])]
    removed += sorted(e[0] for e in datas if is_dropped(e[0]))
    return binaries, kept_datas, removed


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _pyinstaller_imports(path: str) -> set[str]:
    from PyInstaller.depend.bindepend import get_imports

    try:
        return {full for _name, full in get_imports(path) if full}
    except Exception:  # not a binary PyInstaller can read (e.g. a data file typed as BINARY)
        return set()
