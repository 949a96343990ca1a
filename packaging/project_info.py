"""What the installers call the app, read from the project itself.

The spec, the build script and the smoke test take the name, version and
data folder from here, and this module takes them from the package
(``walkthrough.__version__`` is the one version; ``pyproject.toml`` has the
distribution name; ``walkthrough.storage.locations`` names the user data
folder), so a release changes one line in ``walkthrough/__init__.py`` and
nothing under ``packaging/``.

Never put the repository root on ``sys.path`` *as a package*: this folder is
called ``packaging`` and would hide the PyPI package of that name, which
PyInstaller uses.  Import this module by putting ``packaging/`` itself on
the path.
"""

from __future__ import annotations

import ast
import platform
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


@dataclass(frozen=True)
class ProjectInfo:
    """Names and version of the app, as every installer spells them.

    Attributes:
        dist_name: the distribution name, ``lens-walkthrough``: the bundle
            folder, the desktop entry and the icon are called this.
        display_name: what people see, ``Lens Walkthrough`` (Start menu, .app, About).
        version: ``walkthrough.__version__``.
        data_folder: the user data folder's name (``LensWalkthrough``), which
            no installer or uninstaller may ever touch.
        cli_name: the console command, ``walkthrough`` (from ``[project.scripts]``).
        bundle_identifier: the macOS bundle id.
    """

    dist_name: str
    display_name: str
    version: str
    data_folder: str
    cli_name: str
    bundle_identifier: str

    @property
    def platform_tag(self) -> str:
        """``windows-x86_64``, ``macos-arm64``, ``linux-x86_64`` … for file names."""
        system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
        machine = platform.machine().lower().replace("amd64", "x86_64")
        return f"{system}-{machine}"


def read_project_info(root: Path = ROOT) -> ProjectInfo:
    """Read the names and version from ``pyproject.toml`` and the package source.

    The package is parsed, not imported, so the version is the checkout's
    even when a different copy of ``walkthrough`` is installed.
    """
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist_name: str = project["name"]
    scripts: dict[str, str] = project["scripts"]
    (cli_name,) = [name for name, target in scripts.items() if target == "walkthrough.cli:main"]
    version = _module_constant(root / "walkthrough" / "__init__.py", "__version__")
    data_folder = _module_constant(root / "walkthrough" / "storage" / "locations.py", "APP_NAME")
    display_name = " ".join(word.capitalize() for word in dist_name.split("-"))
    return ProjectInfo(
        dist_name=dist_name,
        display_name=display_name,
        version=version,
        data_folder=data_folder,
        cli_name=cli_name,
        bundle_identifier=f"org.{dist_name.replace('-', '')}.{data_folder}",
    )


def _module_constant(path: Path, name: str) -> str:
    """The string assigned to ``name`` at the top level of a Python file."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise LookupError(f"{path}: no top-level string constant {name}")


if __name__ == "__main__":  # for people, and for shell scripts that need the version
    info = read_project_info()
    for field in ("dist_name", "display_name", "version", "data_folder", "cli_name", "bundle_identifier"):
        print(f"{field}={getattr(info, field)}")
