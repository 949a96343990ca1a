"""The installer recipes agree with the package, and the bundle rules keep what the app needs.

Fast checks of ``packaging/`` that need no PyInstaller run; building and
running the real bundle is ``python packaging/smoke_test.py`` (slow, by hand
and before a release).
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGING = PROJECT_ROOT / "packaging"


@pytest.fixture(scope="module")
def packaging_path() -> Iterator[None]:
    """packaging/ on sys.path while these tests import its modules (never the repo root as a package)."""
    sys.path.insert(0, str(PACKAGING))
    try:
        yield
    finally:
        sys.path.remove(str(PACKAGING))


def _load(name: str) -> ModuleType:
    # A unique module name: packaging/build.py must not shadow the PyPI "build" package.
    spec = importlib.util.spec_from_file_location(f"lens_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def info(packaging_path: None):  # type: ignore[no-untyped-def]
    return _load("project_info").read_project_info()


@pytest.fixture(scope="module")
def contents(packaging_path: None) -> ModuleType:
    return _load("bundle_contents")


# -- names and version come from the package ------------------------------------------------------------


def test_project_info_reads_the_package_version_and_names(info) -> None:  # type: ignore[no-untyped-def]
    import walkthrough
    from walkthrough.storage.locations import APP_NAME

    assert info.version == walkthrough.__version__
    assert info.dist_name == "lens-walkthrough"
    assert info.display_name == "Lens Walkthrough"
    assert info.data_folder == APP_NAME
    assert info.cli_name == "walkthrough"


def test_desktop_entry_names_the_app_its_command_and_its_icon(info) -> None:  # type: ignore[no-untyped-def]
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / f"{info.dist_name}.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == info.display_name
    assert entry["Exec"].split()[0] == info.cli_name
    assert entry["Icon"] == info.dist_name
    assert (PROJECT_ROOT / "resources" / "icons" / f"{info.dist_name}.svg").is_file()


def test_inno_setup_script_installs_per_user_and_never_removes_the_data_folder() -> None:
    iss = (PACKAGING / "windows" / "lens-walkthrough.iss").read_text(encoding="utf-8")
    setup = _iss_section(iss, "Setup")
    assert re.search(r"^PrivilegesRequired=lowest$", setup, re.M)
    assert not re.search(r"^PrivilegesRequiredOverridesAllowed=", setup, re.M), "could offer an elevation prompt"
    assert re.search(r"^DefaultDirName=\{userpf\}\\", setup, re.M)  # %LOCALAPPDATA%\Programs
    assert not re.search(r"^\[UninstallDelete\]", iss, re.M), "the uninstaller must delete only what setup installed"
    for section in ("InstallDelete", "Files"):
        assert "{localappdata}" not in _iss_section(iss, section)
    assert not re.search(r"^AppVersion=\d", setup, re.M), "the version must come from the build"


def test_build_script_defines_everything_the_inno_setup_script_uses(info, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build = _load("build")
    commands: list[list[str]] = []
    monkeypatch.setattr(build, "_run", lambda command, env=None: commands.append(command))
    monkeypatch.setattr(build, "_find_iscc", lambda: Path("ISCC.exe"))
    build.windows_installer(info, tmp_path / "bundle")

    defines = dict(arg[2:].split("=", 1) for arg in commands[0] if arg.startswith("/D"))
    iss = (PACKAGING / "windows" / "lens-walkthrough.iss").read_text(encoding="utf-8")
    used = set(re.findall(r"\{#(\w+)\}", iss)) | set(re.findall(r"#ifndef (\w+)", iss))  # not {#Function(...)}
    assert used - set(defines) == set()
    assert defines["AppVersion"] == info.version
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", defines["AppVersionNumeric"])
    assert defines["ExeName"] == f"{info.display_name}.exe"
    assert defines["DataFolder"] == info.data_folder


def _iss_section(iss: str, name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", iss, re.M | re.S)
    assert match, f"no [{name}] section"
    return match.group(1)


# -- what goes into the bundle ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqminimal.so",  # the smoke test's painted-frame check uses it
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6UiTools.so.6",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui",
        "PySide6/QtCore.abi3.so",
        "walkthrough/storage/migrations/env.py",
    ],
)
def test_bundle_keeps_what_the_app_needs(contents: ModuleType, dest: str) -> None:
    assert not contents.is_dropped(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt6Network.dll",
        "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/plugins/tls/qschannelbackend.dll",
        "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
        "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "opengl32sw.dll",
        "PySide6\\opengl32sw.dll",
    ],
)
def test_bundle_drops_network_and_unused_qt_parts(contents: ModuleType, dest: str) -> None:
    assert contents.is_dropped(dest)


def test_only_the_qt_bindings_the_app_imports_are_bundled(contents: ModuleType) -> None:
    import PySide6

    used = contents.qt_modules_imported(PROJECT_ROOT / "walkthrough")
    assert {"QtCore", "QtGui", "QtWidgets", "QtUiTools"} <= used
    excluded = contents.qt_binding_excludes(Path(PySide6.__file__).parent, used)
    assert "PySide6.QtNetwork" in excluded
    assert not {f"PySide6.{name}" for name in used} & set(excluded)


def test_migration_imports_become_hidden_imports(contents: ModuleType) -> None:
    imports = contents.migration_imports(PROJECT_ROOT / "walkthrough" / "storage" / "migrations")
    assert {"alembic.op", "alembic.context", "sqlalchemy"} <= set(imports)


def test_trim_removes_only_libraries_that_nothing_kept_needs(contents: ModuleType) -> None:
    links = {
        "/w/libqvnc.so": {"/w/libQt6Network.so.6", "/w/libshared.so"},
        "/w/libQt6Network.so.6": {"/w/libgssapi.so"},
        "/w/libqxcb.so": {"/w/libshared.so"},
    }
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/w/libqvnc.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/w/libQt6Network.so.6", "BINARY"),
        ("libgssapi.so", "/w/libgssapi.so", "BINARY"),
        ("libshared.so", "/w/libshared.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        ("opened_at_run_time.dll", "/w/opened_at_run_time.dll", "BINARY"),  # linked by nothing
    ]
    kept, _datas, removed = contents.trim(binaries, [], imports_of=lambda path: links.get(path, set()))
    assert [e[0] for e in kept] == ["libshared.so", "PySide6/Qt/plugins/platforms/libqxcb.so", "opened_at_run_time.dll"]
    assert "libgssapi.so" in removed


def test_python_excludes_include_tls_and_tk_but_not_what_the_app_imports(contents: ModuleType) -> None:
    assert {"ssl", "_ssl", "tkinter", "unittest", "multiprocessing"} <= set(contents.PYTHON_EXCLUDES)
    for needed in ("sqlite3", "hashlib", "socket", "email", "asyncio", "yaml", "PIL", "reportlab", "filelock"):
        assert needed not in contents.PYTHON_EXCLUDES


# -- icons and licences -------------------------------------------------------------------------------


def test_icons_render_from_the_svg_for_every_platform(packaging_path: None, tmp_path: Path) -> None:
    from PIL import Image

    made = _load("render_icons").render_all(tmp_path)
    with Image.open(made["png16"]) as png:
        assert png.size == (16, 16) and png.mode == "RGBA"
        assert png.getpixel((8, 8))[3] == 255  # drawn, not blank
    with Image.open(made["ico"]) as ico:
        assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(made["icns"]) as icns:
        assert icns.format == "ICNS"


def test_third_party_licences_name_every_runtime_dependency() -> None:
    import tomllib

    text = (PACKAGING / "THIRD-PARTY-LICENSES.md").read_text(encoding="utf-8").lower()
    dependencies = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for requirement in dependencies:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
        assert name.removesuffix("-essentials") in text, f"{name} is not in THIRD-PARTY-LICENSES.md"
    for text_file in ("LGPL-3.0.txt", "GPL-2.0.txt"):
        assert (PACKAGING / "licenses" / text_file).is_file()


def test_licence_files_follow_the_bundled_distributions(packaging_path: None) -> None:
    licences = _load("licence_files").licence_files(
        pure=[("yaml", "", "PYMODULE"), ("sqlalchemy.orm", "", "PYMODULE"), ("walkthrough.cli", "", "PYMODULE")],
        binaries=[],
    )
    destinations = [dest for dest, _src in licences]
    assert "licenses/THIRD-PARTY-LICENSES.md" in destinations
    assert "licenses/LGPL-3.0.txt" in destinations
    assert any(dest.startswith("licenses/PyYAML/") for dest in destinations)
    assert any(dest.startswith("licenses/SQLAlchemy/") for dest in destinations)
    assert all(Path(src).is_file() for _dest, src in licences)
