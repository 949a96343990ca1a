"""Build the bundle, then check that it works on its own, as a facilitator's laptop would run it.

    python packaging/smoke_test.py [--no-build] [--drop-caches]

Slow (a build is about a minute, the checks another half), so it is not part
of ``pytest``; run it before a release and after changing anything under
``packaging/`` or the app's dependencies.  Made for Linux, where CI and
developers run it; on macOS and Windows the same checks run except the ones
that read ``/proc`` or need ``strace``.

Every bundled command runs with an empty environment (``env -i`` style): a
minimal PATH with no virtualenv on it, and a fresh temporary HOME and
WALKTHROUGH_HOME, so nothing can come from the build machine's Python.  The
checks:

* every resource, Qt Designer form and Alembic migration is in the bundle as a file;
* ``walkthrough --version`` answers, and how long it takes (first and warm);
* ``lenses`` lists every bundled lens (resources/ found inside the bundle);
* ``demo`` creates the sample walkthrough (the Alembic migrations ran from the bundle);
* ``report`` writes a PDF with the bundled DejaVu font embedded;
* a HEIC photo is taken in (pillow-heif's native libraries load);
* ``check`` finds the database sound;
* with no arguments the window opens: with ``QT_QPA_PLATFORM=offscreen`` the
  app is still running after some seconds; with Qt's ``minimal`` platform
  and ``QT_DEBUG_BACKINGSTORE=1`` Qt itself saves every painted frame as a
  PNG, which proves the main window painted, times the first frame, and
  leaves ``dist/smoke-main-window.png`` to look at;
* every shared library the running app has loaded comes from the bundle or
  the operating system, never from the build machine's virtualenv, and
  QtNetwork is not among them;
* no network: under ``strace``, neither the report nor the window opens an
  IPv4 or IPv6 socket;
* headless commands load no Qt (as in development: see walkthrough/cli/);
* nothing is written inside the bundle (no ``__pycache__``, no settings);
* the bundle stays under its size budget (Linux: 250 MiB unpacked);
* Linux: the AppDir's AppRun starts the same program.

The last line is ``N passed, N failed``; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build  # noqa: E402
from project_info import ROOT, ProjectInfo, read_project_info  # noqa: E402

LINUX_SIZE_BUDGET_MIB = 250
WINDOW_SECONDS = 8  # the app must still be running this long after start, without a screen
FRAME_TIMEOUT = 30  # seconds to wait for the first painted frame


class SmokeTest:
    def __init__(self, info: ProjectInfo, exe: Path, scratch: Path, drop_caches: bool) -> None:
        self.info = info
        self.exe = exe
        self.bundle = build.bundle_dir(info)
        self.scratch = scratch
        self.drop_caches = drop_caches
        self.home = scratch / "home"
        self.data = scratch / "data"
        self.home.mkdir()
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.facts: dict[str, str] = {}
        self.walkthrough_id = ""

    # -- running the bundle -------------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        """An environment with nothing from this machine's Python in it."""
        runtime = self.scratch / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = {
            "HOME": str(self.home),
            "WALKTHROUGH_HOME": str(self.data),
            "TMPDIR": str(self.scratch),
            "LANG": "C.UTF-8" if sys.platform != "darwin" else "en_GB.UTF-8",
            "XDG_RUNTIME_DIR": str(runtime),
        }
        if sys.platform == "win32":
            keep = ("SYSTEMROOT", "WINDIR", "SYSTEMDRIVE", "COMSPEC", "PATHEXT")
            env.update({k: os.environ[k] for k in keep if k in os.environ})
            env.update({"PATH": os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32"),
                        "USERPROFILE": str(self.home), "LOCALAPPDATA": str(self.home / "AppData" / "Local"),
                        "APPDATA": str(self.home / "AppData" / "Roaming"), "TEMP": str(self.scratch),
                        "TMP": str(self.scratch)})
        else:
            env["PATH"] = "/usr/bin:/bin"
        env.update(extra)
        return env

    def run(self, *args: str, timeout: float = 120, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, str(self.exe), *args], env=self.env(), cwd=self.scratch,
                              capture_output=True, text=True, timeout=timeout)

    def check(self, name: str, test: Callable[[], str | None]) -> None:
        """Run one check; it returns a detail to show, or raises AssertionError to fail."""
        try:
            detail = test()
        except AssertionError as exc:
            self.failed.append(name)
            print(f"FAIL  {name}: {exc}", flush=True)
            return
        except subprocess.TimeoutExpired as exc:
            self.failed.append(name)
            print(f"FAIL  {name}: timed out after {exc.timeout} s", flush=True)
            return
        self.passed.append(name)
        print(f"ok    {name}" + (f"  ({detail})" if detail else ""), flush=True)

    def _drop_caches(self) -> None:
        if self.drop_caches and sys.platform.startswith("linux"):
            subprocess.run(["sync"], check=False)
            Path("/proc/sys/vm/drop_caches").write_text("3\n")

    # -- the checks ---------------------------------------------------------------------------------

    def layout(self) -> str:
        package = (self.bundle / "Contents" / "Resources" if sys.platform == "darwin" else self.bundle / "_internal")
        package = package / "walkthrough"
        wanted = [(ROOT / "resources", package / "resources", "*"), (ROOT / "ui", package / "ui", "*.ui"),
                  (ROOT / "walkthrough/storage/migrations", package / "storage/migrations", "*.py"),
                  (ROOT / "walkthrough/storage/migrations", package / "storage/migrations", "*.mako")]
        missing, count = [], 0
        for src, dest, pattern in wanted:
            for file in src.rglob(pattern):
                if file.is_file() and "__pycache__" not in file.parts:
                    count += 1
                    if not (dest / file.relative_to(src)).is_file():
                        missing.append(str(file.relative_to(ROOT)))
        assert not missing, f"not in the bundle: {missing[:5]}"
        return f"{count} resource, form and migration files in place"

    def version(self) -> str:
        self._drop_caches()
        started = time.perf_counter()
        result = self.run("--version")
        first = time.perf_counter() - started
        expected = f"{self.info.display_name} {self.info.version}"
        assert result.returncode == 0 and result.stdout.strip() == expected, _said(result, f"expected {expected!r}")
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            self.run("--version")
            warm.append(time.perf_counter() - started)
        self.facts["--version, first run"] = f"{first:.2f} s"
        self.facts["--version, warm"] = f"{min(warm):.2f} s"
        return f"first {first:.2f} s, warm {min(warm):.2f} s"

    def lenses(self) -> str:
        result = self.run("lenses")
        assert result.returncode == 0, _said(result)
        bundled = sorted(p.stem for p in (ROOT / "resources" / "lenses").glob("*.yaml"))
        listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
        missing = [lens for lens in bundled if lens not in listed]
        assert not missing, f"lenses missing from the bundle: {missing}"
        return ", ".join(listed)

    def demo(self) -> str:
        result = self.run("demo")
        assert result.returncode == 0, _said(result)
        self.walkthrough_id = result.stdout.strip()
        assert re.fullmatch(r"[0-9a-f-]{8,}", self.walkthrough_id), f"not an id: {result.stdout!r}"
        database = self.data / "walkthroughs.sqlite3"
        assert database.is_file(), f"no database at {database}"
        return f"walkthrough {self.walkthrough_id[:8]}, database {database.stat().st_size // 1024} KB"

    def report(self) -> str:
        assert self.walkthrough_id, "no demo walkthrough"
        pdf = self.scratch / "x.pdf"
        result = self.run("report", self.walkthrough_id, "-o", str(pdf))
        assert result.returncode == 0, _said(result)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), "not a complete PDF"
        assert b"DejaVuSans" in data, "the bundled DejaVu Sans font is not embedded"
        detail = f"{len(data) // 1024} KB"
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
            detail += f", {pages.group(1)} pages" if pages else ""
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            service = self.run("list").stdout.split("  ")[2].split(" — ")[0].strip()
            assert service in " ".join(text.split()), f"the report does not name the service {service!r}"
            detail += f", names {service!r}"
        shutil.copyfile(pdf, build.DIST / "smoke-report.pdf")
        return detail

    def heic(self) -> str:
        photo = _heic_sample(self.scratch)
        if photo is None:
            return "skipped: no HEIC sample (../shared/corpus/photos) and pillow-heif cannot make one here"
        new = self.run("new", "--lens", "substance-use", "--service", "Smoke test service", "--site", "Bench")
        assert new.returncode == 0, _said(new)
        wid = new.stdout.strip()
        observed = self.run("observe", wid, "--area", "reception", "--rating", "priority-concern",
                            "--note", "HEIC photo from a phone", "--photo", str(photo))
        assert observed.returncode == 0, _said(observed)
        out = self.scratch / "photos"
        exported = self.run("photos", "export", wid, str(out))
        assert exported.returncode == 0, _said(exported)
        jpegs = list(out.glob("*.jpg")) + list(out.glob("*.jpeg"))
        assert jpegs and jpegs[0].read_bytes()[:2] == b"\xff\xd8", "no JPEG exported from the HEIC"
        return f"{photo.name} taken in and exported as {jpegs[0].name}"

    def database_check(self) -> str:
        result = self.run("check")
        assert result.returncode == 0, _said(result)
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    def window_offscreen(self) -> str:
        self._drop_caches()
        process = subprocess.Popen([str(self.exe)], env=self.env(QT_QPA_PLATFORM="offscreen"), cwd=self.scratch,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(WINDOW_SECONDS)
            if process.poll() is not None:
                out, err = process.communicate()
                raise AssertionError(f"the app exited with status {process.returncode} within {WINDOW_SECONDS} s: "
                                     f"{(err or out).strip()[-600:]}")
            libraries = _mapped_libraries(process.pid)
        finally:
            _stop(process)
        if libraries is None:
            return f"still running after {WINDOW_SECONDS} s"
        foreign = [lib for lib in libraries if not _is_allowed_library(lib, self.bundle)]
        assert not foreign, f"loaded from outside the bundle and the system: {foreign[:5]}"
        network = [lib for lib in libraries if "Qt6Network" in lib or "QtNetwork" in lib]
        assert not network, f"QtNetwork is loaded: {network}"
        plugins = sorted(Path(lib).name for lib in libraries if f"{os.sep}plugins{os.sep}" in lib)
        self.facts["Qt plug-ins loaded"] = ", ".join(plugins)
        return (f"still running after {WINDOW_SECONDS} s; {len(libraries)} libraries loaded, all from the bundle "
                f"or the system; no QtNetwork")

    def window_painted(self) -> str:
        frames = self.scratch / "frames"
        frames.mkdir()
        self._drop_caches()
        started = time.perf_counter()
        process = subprocess.Popen([str(self.exe)], cwd=frames,
                                   env=self.env(QT_QPA_PLATFORM="minimal:enable_fonts", QT_DEBUG_BACKINGSTORE="1"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first_frame = None
        try:
            deadline = started + FRAME_TIMEOUT
            while time.perf_counter() < deadline and process.poll() is None:
                if first_frame is None and (frames / "output0000.png").exists():
                    first_frame = time.perf_counter() - started
                    deadline = time.perf_counter() + 3  # let it finish laying out, then look
                time.sleep(0.05)
            status = process.poll()
        finally:
            _stop(process)
        assert status is None, f"the app exited with status {status} before {FRAME_TIMEOUT} s"
        assert first_frame is not None, f"no frame painted within {FRAME_TIMEOUT} s"
        last = sorted(frames.glob("output*.png"))[-1]
        width, height = _png_size(last)
        assert width >= 640 and height >= 400, f"the painted window is only {width}x{height}"
        shutil.copyfile(last, build.DIST / "smoke-main-window.png")
        self.facts["window, first frame"] = f"{first_frame:.2f} s"
        return f"first frame after {first_frame:.2f} s, {width}x{height}; see dist/smoke-main-window.png"

    def no_network(self) -> str:
        strace = shutil.which("strace")
        if strace is None or not sys.platform.startswith("linux"):
            return "skipped: needs strace on Linux"
        log = self.scratch / "strace-report.txt"
        prefix = (strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(log))
        result = self.run("report", self.walkthrough_id, "-o", str(self.scratch / "y.pdf"), prefix=prefix)
        assert result.returncode == 0, _said(result)
        window_log = self.scratch / "strace-window.txt"
        process = subprocess.Popen([strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o",
                                    str(window_log), str(self.exe)],
                                   env=self.env(QT_QPA_PLATFORM="offscreen"), cwd=self.scratch,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(WINDOW_SECONDS)
        _stop(process)
        calls = log.read_text() + window_log.read_text()
        ip = [line for line in calls.splitlines() if "AF_INET" in line]  # AF_INET and AF_INET6
        assert not ip, f"IP sockets opened: {ip[:3]}"
        local = sum("AF_UNIX" in line for line in calls.splitlines())
        return f"no IPv4/IPv6 socket in the report or the window ({local} local AF_UNIX calls)"

    def headless_without_qt(self) -> str:
        strace = shutil.which("strace")
        if strace is None or not sys.platform.startswith("linux"):
            return "skipped: needs strace on Linux"
        log = self.scratch / "strace-open.txt"
        result = self.run("lenses", prefix=(strace, "-f", "-qq", "-e", "trace=openat,open", "-o", str(log)))
        assert result.returncode == 0, _said(result)
        qt = sorted({Path(m).name for m in re.findall(r'"([^"]*Qt6?[A-Z][A-Za-z]*[^"]*)"', log.read_text())
                     if "ENOENT" not in m})
        assert not qt, f"`walkthrough lenses` opened Qt files: {qt[:5]}"
        return "`walkthrough lenses` opens no Qt library"

    def app_run(self) -> str:
        app_run = build.DIST / f"{self.info.data_folder}.AppDir" / "AppRun"
        if not sys.platform.startswith("linux") or not app_run.exists():
            return "skipped: no AppDir"
        result = subprocess.run([str(app_run), "--version"], env=self.env(), capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and self.info.version in result.stdout, _said(result)
        return f"{app_run.relative_to(ROOT)} --version: {result.stdout.strip()}"

    def size(self) -> str:
        mib = _tree_size(self.bundle) / 2**20  # as `du -sh` counts
        self.facts["bundle size"] = f"{mib:.0f} MiB"
        if sys.platform.startswith("linux"):
            assert mib <= LINUX_SIZE_BUDGET_MIB, f"{mib:.0f} MiB is over the budget of {LINUX_SIZE_BUDGET_MIB} MiB"
            return f"{mib:.0f} MiB of {LINUX_SIZE_BUDGET_MIB} MiB"
        return f"{mib:.0f} MiB"


# -- helpers ----------------------------------------------------------------------------------------


def _said(result: subprocess.CompletedProcess[str], expected: str = "") -> str:
    said = (result.stderr or result.stdout).strip()[-800:]
    return f"exit status {result.returncode}{'; ' + expected if expected else ''}; said: {said!r}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _mapped_libraries(pid: int) -> list[str] | None:
    maps = Path(f"/proc/{pid}/maps")
    if not maps.exists():
        return None
    libraries = set()
    for line in maps.read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and ".so" in fields[5]:
            libraries.add(fields[5].strip())
    return sorted(libraries)


def _is_allowed_library(path: str, bundle: Path) -> bool:
    resolved = Path(path).resolve()
    if resolved.is_relative_to(bundle.resolve()):
        return True
    system = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
    return str(resolved).startswith(system) and not str(resolved).startswith(sys.prefix)


def _tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def _heic_sample(scratch: Path) -> Path | None:
    corpus = ROOT.parent / "shared" / "corpus" / "photos"
    found = sorted(corpus.glob("*.heic")) if corpus.is_dir() else []
    if found:
        return found[0]
    try:  # make one with the build machine's pillow-heif (input only: the bundle reads it)
        from PIL import Image
        from pillow_heif import register_heif_opener

        register_heif_opener()
        made = scratch / "made.heic"
        Image.new("RGB", (64, 48), (31, 95, 139)).save(made, format="HEIF")
        return made
    except Exception:
        return None


def _snapshot(path: Path) -> set[tuple[str, int]]:
    return {(str(f.relative_to(path)), f.stat().st_mtime_ns) for f in path.rglob("*") if f.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in dist/")
    parser.add_argument("--drop-caches", action="store_true",
                        help="Linux, as root: empty the page cache before timing, for true cold starts")
    args = parser.parse_args(argv)
    info = read_project_info()
    if not args.no_build and build.main([]) != 0:
        print("0 passed, 1 failed")
        return 1
    exe = build.executable(info)
    if not exe.is_file():
        print(f"error: no bundle at {exe}: build it first", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="lwt-smoke-") as scratch:
        smoke = SmokeTest(info, exe, Path(scratch), args.drop_caches)
        before = _snapshot(smoke.bundle)
        smoke.check("bundle layout", smoke.layout)
        smoke.check("walkthrough --version", smoke.version)
        smoke.check("bundled lenses", smoke.lenses)
        smoke.check("demo (migrations)", smoke.demo)
        smoke.check("PDF report", smoke.report)
        smoke.check("HEIC photo", smoke.heic)
        smoke.check("database check", smoke.database_check)
        smoke.check("window opens offscreen", smoke.window_offscreen)
        smoke.check("window paints", smoke.window_painted)
        smoke.check("no network", smoke.no_network)
        smoke.check("headless commands load no Qt", smoke.headless_without_qt)
        smoke.check("AppDir", smoke.app_run)
        smoke.check("size", smoke.size)

        def untouched() -> str:
            changed = sorted({name for name, _ in _snapshot(smoke.bundle) ^ before})
            assert not changed, f"written inside the bundle: {changed[:5]}"
            return "nothing written inside the bundle"

        smoke.check("bundle read-only", untouched)

    for fact, value in smoke.facts.items():
        print(f"      {fact}: {value}")
    print(f"{len(smoke.passed)} passed, {len(smoke.failed)} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
