"""What every benchmark shares: timed child processes, alternating rounds, medians, the table.

Each side of a comparison runs in its own child process, so its peak memory
(``ru_maxrss`` from ``os.wait4`` of that very child) is its own.  Rounds
alternate which side goes first, so drift on a shared machine (other jobs on
the 2 cores, a cache warming up) falls on both sides alike; the table shows
medians.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
#: The console script installed beside this Python (the real command a user runs).
WALKTHROUGH = str(Path(PYTHON).with_name("walkthrough"))


class Skipped(Exception):
    """A benchmark cannot run here (e.g. the photo corpus is absent); the message says why."""


# -- child processes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished child process: wall time from just before spawning to its exit."""

    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    started: float  # time.monotonic() just before spawning (same clock in every process on Linux)


#: GNU time reports a child's own peak memory (see :func:`run`).
GNU_TIME = Path("/usr/bin/time") if Path("/usr/bin/time").is_file() else None


def run(cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
        check: bool = True, timeout: float = 900) -> Run:
    """Run ``cmd``; its wall time and its own peak resident memory (MB).

    On Linux a new process's high-water mark starts from its parent's size at
    exec time, so ``ru_maxrss`` seen from this (large) process would report
    at least our own size.  The command therefore runs under GNU ``time``, a
    tiny parent whose ``%M`` is the command's own peak; without it, the
    ``os.wait4`` value is used (an upper bound).
    """
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path, mem_path = (Path(scratch) / n for n in ("out", "err", "mem"))
        argv = list(cmd)
        if GNU_TIME is not None:
            argv = [str(GNU_TIME), "-f", "%M", "-o", str(mem_path), *argv]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.monotonic()
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out, stderr=err, env=dict(env) if env else None,
                                    cwd=str(cwd) if cwd else None)
            deadline = time.monotonic() + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}")
                time.sleep(0.001)
            seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout = out_path.read_text("utf-8", "replace")
        stderr = err_path.read_text("utf-8", "replace")
        peak_mb = usage.ru_maxrss / 1024
        if GNU_TIME is not None:
            try:
                peak_mb = int(mem_path.read_text().split()[-1]) / 1024
            except (OSError, ValueError, IndexError):
                pass
    if check and proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {' '.join(cmd)}\n{stderr[-3000:]}")
    return Run(seconds, peak_mb, stdout, stderr, started)


def bench_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a child: offscreen Qt, a private WALKTHROUGH_HOME, no stray database."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("WALKTHROUGH_DB", "PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE")}
    env.update(QT_QPA_PLATFORM="offscreen", WALKTHROUGH_HOME=str(home))
    env.update(extra)
    return env


def json_line(stdout: str) -> dict:
    """The last line of a worker's output that is a JSON object."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in worker output:\n{stdout[-2000:]}")


# -- alternating rounds --------------------------------------------------------------------


@dataclass
class Samples:
    """Per-side lists of seconds and peak MB, gathered round by round."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    peak_mb: dict[str, list[float]] = field(default_factory=dict)

    def add(self, side: str, seconds: float, peak_mb: float | None = None) -> None:
        self.seconds.setdefault(side, []).append(seconds)
        if peak_mb is not None:
            self.peak_mb.setdefault(side, []).append(peak_mb)

    def median(self, side: str) -> float:
        return statistics.median(self.seconds[side])

    def peak(self, side: str) -> float | None:
        values = self.peak_mb.get(side)
        return max(values) if values else None


def alternate(rounds: int, sides: Mapping[str, Callable[[], tuple[float, float | None]]],
              warmup: bool = True, label: str = "") -> Samples:
    """Run each side ``rounds`` times, alternating which goes first; each call returns (seconds, peak MB).

    One untimed warm-up call per side first (page cache, .pyc files), unless ``warmup`` is False.
    """
    names = list(sides)
    if warmup:
        for name in names:
            sides[name]()
    samples = Samples()
    for i in range(rounds):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            seconds, peak = sides[name]()
            samples.add(name, seconds, peak)
        progress(f"{label} round {i + 1}/{rounds}: " + ", ".join(
            f"{n} {samples.seconds[n][-1] * 1000:.0f} ms" for n in names))
    return samples


def progress(message: str) -> None:
    """A line on stderr while benchmarks run (the table goes to stdout)."""
    print(f"  · {message}", file=sys.stderr, flush=True)


# -- results ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table.

    ``ours`` and ``base`` are seconds (medians).  ``base_label`` says what
    the baseline is when it is not a bare-library script (e.g. "same at 1x
    data").  ``met`` is None when there is no target.
    """

    name: str
    ours: float | None
    base: float | None = None
    ours_mb: float | None = None
    base_mb: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    base_label: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.base:
            return None
        return self.ours / self.base


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def _mb(mb: float | None) -> str:
    return "—" if mb is None else f"{mb:.0f}"


def table(rows: Sequence[Row], markdown: bool = False) -> str:
    """The results as a plain-text (or Markdown) table."""
    head = ["what was measured", "ours (median)", "baseline (median)", "ratio",
            "peak MB ours / base", "target", "met"]
    body = []
    for r in rows:
        base = _ms(r.base) + (f" ({r.base_label})" if r.base_label and r.base is not None else "")
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        met = {True: "yes", False: "NO", None: "—"}[r.met]
        body.append([r.name, _ms(r.ours), base, ratio, f"{_mb(r.ours_mb)} / {_mb(r.base_mb)}", r.target, met])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        notes = [f"- **{r.name}**: {r.note}" for r in rows if r.note]
        return "\n".join(lines + ([""] + notes if notes else []))
    widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in body]
    notes = [f"  {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    versions = {}
    for dist in ("PySide6-Essentials", "SQLAlchemy", "Pillow", "pillow-heif", "reportlab", "rl_accel", "pydantic", "alembic"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:  # noqa: BLE001 -- just leave it out
            pass
    try:
        import sqlite3

        versions["SQLite"] = sqlite3.sqlite_version
    except ImportError:
        pass
    from walkthrough import __version__

    return {
        "date": subprocess.run(["date"], capture_output=True, text=True).stdout.strip(),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "lens-walkthrough": __version__,
        "libraries": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def fresh_dir(parent: Path, name: str) -> Path:
    """An empty folder ``parent/name`` (emptied if it exists)."""
    path = parent / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
