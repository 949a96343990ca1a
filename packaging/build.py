"""Build Lens Walkthrough for the platform this runs on, into dist/.

    python packaging/build.py [--clean] [--no-installer | --installer-only]

Needs the app's dependencies and PyInstaller in the running Python
(``pip install -e . -r packaging/requirements.txt``).  Steps:

1. PyInstaller runs ``packaging/lens-walkthrough.spec`` → the one-folder
   bundle ``dist/lens-walkthrough/`` (macOS: ``dist/Lens Walkthrough.app``).
2. The platform's installer around it:

   * Windows: Inno Setup's ``ISCC`` compiles ``packaging/windows/lens-walkthrough.iss``
     → ``dist/lens-walkthrough-<version>-windows-x86_64-setup.exe`` (per user, no admin rights);
   * macOS: ``hdiutil`` → ``dist/lens-walkthrough-<version>-macos-<arch>.dmg``;
   * Linux: an AppDir ``dist/LensWalkthrough.AppDir`` (the bundle, the
     desktop entry and the icons; hard links, so it costs no space), and an
     AppImage from it when ``appimagetool`` is on PATH.

``--no-installer`` stops after step 1 and ``--installer-only`` does only
step 2, so executables can be code-signed in between.  The version, names and icon come
from the package (see project_info.py); nothing here repeats them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from project_info import PACKAGING, ROOT, ProjectInfo, read_project_info  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
SPEC = PACKAGING / "lens-walkthrough.spec"


class BuildError(Exception):
    """A step failed or a tool is missing; the message says what to do."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="throw away PyInstaller's cache first")
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument("--no-installer", action="store_true", help="only the bundle, no installer")
    steps.add_argument("--installer-only", action="store_true",
                       help="only the installer, from the bundle already in dist/ (e.g. after signing it)")
    args = parser.parse_args(argv)
    info = read_project_info()
    try:
        started = time.monotonic()
        if args.installer_only:
            bundle = bundle_dir(info)
            if not executable(info).is_file():
                raise BuildError(f"no bundle at {bundle}: build it first")
        else:
            bundle = build_bundle(info, clean=args.clean)
        print(f"bundle:    {bundle}  ({_size(bundle)})")
        if not args.no_installer:
            for made in make_installer(info, bundle):
                print(f"installer: {made}  ({_size(made)})")
        print(f"built {info.display_name} {info.version} for {info.platform_tag} in {time.monotonic() - started:.0f} s")
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def bundle_dir(info: ProjectInfo) -> Path:
    """The one-folder bundle; on macOS the .app (whose Contents/MacOS holds the executable)."""
    if sys.platform == "darwin":
        return DIST / f"{info.display_name}.app"
    return DIST / info.dist_name


def executable(info: ProjectInfo) -> Path:
    """The bundle's ``walkthrough`` command (console on Windows)."""
    if sys.platform == "darwin":
        return bundle_dir(info) / "Contents" / "MacOS" / info.cli_name
    return bundle_dir(info) / (info.cli_name + (".exe" if sys.platform == "win32" else ""))


def icons_dir() -> Path:
    """Where the spec renders the icons (render_icons.py)."""
    return WORK / SPEC.stem / "icons"


def build_bundle(info: ProjectInfo, *, clean: bool = False) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError(
            f"PyInstaller is not installed in {sys.executable}: pip install -r packaging/requirements.txt"
        ) from None
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    _run(command)
    if not executable(info).is_file():
        raise BuildError(f"PyInstaller finished but {executable(info)} is missing")
    return bundle_dir(info)


def make_installer(info: ProjectInfo, bundle: Path) -> list[Path]:
    if sys.platform == "win32":
        return [windows_installer(info, bundle)]
    if sys.platform == "darwin":
        return [macos_disk_image(info, bundle)]
    return linux_appdir(info, bundle)


# -- Windows -------------------------------------------------------------------------------------------


def windows_installer(info: ProjectInfo, bundle: Path) -> Path:
    iscc = _find_iscc()
    base = f"{info.dist_name}-{info.version}-{info.platform_tag}-setup"
    numeric = ".".join((info.version.split("+")[0].split("-")[0].split(".") + ["0"] * 4)[:4])
    if not all(part.isdigit() for part in numeric.split(".")):
        numeric = "0.0.0.0"  # pre-releases such as 0.2.0rc1: the file-properties number only
    _run([
        str(iscc), "/Qp",
        f"/DAppName={info.display_name}",
        f"/DAppVersion={info.version}",
        f"/DAppVersionNumeric={numeric}",
        f"/DExeName={info.display_name}.exe",
        f"/DDataFolder={info.data_folder}",
        f"/DSourceDir={bundle}",
        f"/DIconFile={icons_dir() / 'lens-walkthrough.ico'}",
        f"/DOutputDir={DIST}",
        f"/DOutputBaseFilename={base}",
        str(PACKAGING / "windows" / "lens-walkthrough.iss"),
    ])
    return DIST / f"{base}.exe"


def _find_iscc() -> Path:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for root in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"), os.environ.get("LOCALAPPDATA")):
        if root:
            for candidate in (Path(root) / "Inno Setup 6" / "ISCC.exe", Path(root) / "Programs" / "Inno Setup 6" / "ISCC.exe"):
                if candidate.is_file():
                    return candidate
    raise BuildError("Inno Setup 6 not found (ISCC.exe): install it from jrsoftware.org, or use --no-installer")


# -- macOS ---------------------------------------------------------------------------------------------


def macos_disk_image(info: ProjectInfo, app: Path) -> Path:
    """A compressed .dmg holding the .app and a link to /Applications, for drag-and-drop install."""
    staging = WORK / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _run(["ditto", str(app), str(staging / app.name)])  # ditto keeps the signature's extended attributes
    (staging / "Applications").symlink_to("/Applications")
    dmg = DIST / f"{info.dist_name}-{info.version}-{info.platform_tag}.dmg"
    dmg.unlink(missing_ok=True)
    _run(["hdiutil", "create", "-volname", f"{info.display_name} {info.version}", "-srcfolder", str(staging),
          "-format", "UDZO", "-ov", str(dmg)])
    return dmg


# -- Linux ---------------------------------------------------------------------------------------------


def linux_appdir(info: ProjectInfo, bundle: Path) -> list[Path]:
    """An AppDir (runnable as ``AppDir/AppRun``), and an AppImage of it if appimagetool is installed.

    Layout (freedesktop and AppImage conventions)::

        LensWalkthrough.AppDir/
          AppRun -> usr/lib/lens-walkthrough/walkthrough
          lens-walkthrough.desktop, lens-walkthrough.png, .DirIcon
          usr/lib/lens-walkthrough/                  the bundle
          usr/share/applications/lens-walkthrough.desktop
          usr/share/icons/hicolor/<N>x<N>/apps/lens-walkthrough.png, scalable/apps/….svg
    """
    appdir = DIST / f"{info.data_folder}.AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    program = appdir / "usr" / "lib" / info.dist_name
    shutil.copytree(bundle, program, symlinks=True, copy_function=_link_or_copy)
    (appdir / "AppRun").symlink_to(Path("usr", "lib", info.dist_name, info.cli_name))

    desktop = (PACKAGING / "linux" / f"{info.dist_name}.desktop").read_text(encoding="utf-8")
    desktop = desktop.rstrip("\n") + f"\nX-AppImage-Version={info.version}\n"
    for target in (appdir / f"{info.dist_name}.desktop", appdir / "usr/share/applications" / f"{info.dist_name}.desktop"):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(desktop, encoding="utf-8")

    icons = icons_dir()
    hicolor = appdir / "usr" / "share" / "icons" / "hicolor"
    for png in sorted(icons.glob("lens-walkthrough-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        dest = hicolor / f"{size}x{size}" / "apps" / f"{info.dist_name}.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, dest)
    scalable = hicolor / "scalable" / "apps" / f"{info.dist_name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "resources" / "icons" / "lens-walkthrough.svg", scalable)
    shutil.copyfile(icons / "lens-walkthrough-256.png", appdir / f"{info.dist_name}.png")
    (appdir / ".DirIcon").symlink_to(f"{info.dist_name}.png")

    made = [appdir]
    tool = shutil.which("appimagetool")
    if tool is None:
        print(f"note: appimagetool is not on PATH, so no AppImage; {appdir.name}/AppRun runs the app as it is, "
              f"and `appimagetool {appdir}` makes one", file=sys.stderr)
        return made
    image = DIST / f"{info.dist_name}-{info.version}-{info.platform_tag}.AppImage"
    _run([tool, "--no-appstream", str(appdir), str(image)], env={**os.environ, "ARCH": os.uname().machine})
    made.append(image)
    return made


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# -- helpers -------------------------------------------------------------------------------------------


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("+ " + " ".join(command), flush=True)
    try:
        subprocess.run(command, check=True, cwd=ROOT, env=env)
    except FileNotFoundError:
        raise BuildError(f"{command[0]}: not found") from None
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"{Path(command[0]).name} failed (exit status {exc.returncode})") from None


def _size(path: Path) -> str:
    if path.is_file():
        total = path.stat().st_size
    else:
        seen: set[tuple[int, int]] = set()
        total = 0
        for file in path.rglob("*"):
            if file.is_file() and not file.is_symlink():
                st = file.stat()
                if (st.st_dev, st.st_ino) not in seen:  # hard links count once
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_size
    return f"{total / 1_000_000:.0f} MB"


if __name__ == "__main__":
    raise SystemExit(main())
