"""Bringing a team member's package in (issue 14): its time against a plain-sqlite3 floor, and its memory.

The package (``datasets.receive_files``) comes from a second laptop: 1,000
new observations and 200 distinct photos (1600 × 1200), for a walkthrough
that already has 1,000 observations here.  Each run is a child process
(``receive_worker.py``) on a fresh copy of the first laptop's database;
the sides alternate.

- **Time**: ``receive_package`` (opening and checking the package, the
  backup first, one transaction, the commit) against the floor: the very
  rows it added, inserted with plain ``sqlite3`` in one transaction (read
  beforehand, but the photos, read one at a time while the clock runs).
  Target: at most 2× the floor.
- **Memory**: peak resident memory of the child and the peak of Python's
  allocations (tracemalloc), bringing in the package with 100 photos and
  the one with 200.  Target: the 200-photo peak at most 10 % (and 20 MB)
  above the 100-photo one.  Each photo is about 0.5 MB, so holding them all
  would add 50 MB or more.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import PROJECT_ROOT, PYTHON, Row, alternate, bench_env, fresh_dir, json_line, progress, run

WORKER = "tests.bench.receive_worker"


def bench_receive(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "receive")
    env = bench_env(fresh_dir(folder, "home"))
    source, manifest = datasets.receive_files()
    packages = {int(k): Path(v) for k, v in manifest["packages"].items()}
    biggest = max(packages)
    received = datasets.copy_database(source, folder / "received.sqlite3")
    first = json_line(run([PYTHON, "-m", WORKER, "ours", str(received), str(packages[biggest])], env=env,
                          cwd=PROJECT_ROOT).stdout)
    if first["new"] < manifest["observations"]:
        raise RuntimeError(f"expected {manifest['observations']} new observations, got {first['new']}")
    cpu: dict[str, list[float]] = {"ours": [], "floor": []}

    def side(name: str):
        def once():
            db = datasets.copy_database(source, folder / f"{name}.sqlite3")
            cmd = [PYTHON, "-m", WORKER, name, str(db), str(packages[biggest] if name == "ours" else received)]
            r = run(cmd, env=env, cwd=PROJECT_ROOT)
            result = json_line(r.stdout)
            cpu[name].append(result["cpu"])
            return result["seconds"], r.peak_mb
        return once

    samples = alternate(rounds, {"ours": side("ours"), "floor": side("floor")}, label="receive")
    ours, floor = samples.median("ours"), samples.median("floor")
    rows = [Row(
        f"receive: a package of {manifest['observations']:,} observations and {biggest} photos, into a "
        f"walkthrough of {manifest['here']:,}", ours, floor, samples.peak("ours"), samples.peak("floor"),
        target="ratio ≤ 2", met=ours / floor <= 2, base_label="same rows, plain sqlite3",
        note=(f"package {packages[biggest].stat().st_size / 1e6:.0f} MB; time inside receive_package (backup, "
              f"checks, one transaction, commit); CPU time {statistics.median(cpu['ours']):.2f} / "
              f"{statistics.median(cpu['floor']):.2f} s"),
    )]

    peaks: dict[int, list[float]] = {n: [] for n in packages}
    traced: dict[int, list[float]] = {n: [] for n in packages}
    for i in range(max(1, min(rounds, 3))):
        for count in (sorted(packages) if i % 2 == 0 else sorted(packages, reverse=True)):
            db = datasets.copy_database(source, folder / "memory.sqlite3")
            peaks[count].append(run([PYTHON, "-m", WORKER, "ours", str(db), str(packages[count])], env=env,
                                    cwd=PROJECT_ROOT).peak_mb)
            db = datasets.copy_database(source, folder / "memory.sqlite3")
            traced[count].append(json_line(run([PYTHON, "-m", WORKER, "trace", str(db), str(packages[count])],
                                               env=env, cwd=PROJECT_ROOT).stdout)["traced_peak_mb"])
        progress(f"receive memory round {i + 1}: " + ", ".join(
            f"{n} photos {peaks[n][-1]:.0f} MB RSS, {traced[n][-1]:.1f} MB traced" for n in sorted(packages)))
    low, high = min(packages), biggest
    rss = {n: statistics.median(v) for n, v in peaks.items()}
    py = {n: statistics.median(v) for n, v in traced.items()}
    grows = rss[high] - rss[low]
    rows.append(Row(
        f"receive: peak memory, {high} photos against {low}", None, None, rss[high], rss[low],
        target="growth ≤ 10 % and ≤ 20 MB",
        met=grows <= min(20.0, 0.1 * rss[low]) and py[high] - py[low] <= 20.0,
        note=(f"peak RSS {rss[high]:.0f} / {rss[low]:.0f} MB (+{grows:.0f} MB); Python's own allocations "
              f"(tracemalloc) {py[high]:.1f} / {py[low]:.1f} MB; packages "
              f"{packages[high].stat().st_size / 1e6:.0f} / {packages[low].stat().st_size / 1e6:.0f} MB"),
    ))
    return rows
