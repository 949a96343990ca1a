"""The cost of the change history (issue 13): a note save, a 100,000-row CSV import, the sample's file size.

Each is set against a floor measured in the same run: the same services with
nothing recorded (``baseline_history.without_history``: the Recorder
replaced by one that keeps only the operation's time, as the services were
before the history), or, for the size, the same file with the history's
tables emptied.

- **Note save**: ``update_observation`` with a new note on a walkthrough of
  1,000 observations (100 photos, 20 actions, 1,000 earlier note saves in
  its history), in one process (``history_worker.py save``), alternating
  which side goes first, each save on another observation; medians of every
  save of every round.  Target: at most 2 ms more than the floor.
- **CSV import**: ``import_csv`` of 100,000 new rows into an empty
  walkthrough, each run in a child process on a fresh copy of the database
  (``history_worker.py import``), alternating sides.  Target: ratio ≤ 1.3.
- **Sample walkthrough's file**: ``walkthrough demo`` into a new database;
  the floor is a copy with the ``change`` and ``device`` tables emptied; both
  VACUUMed so that only what they hold counts.  Target: ratio ≤ 1.5.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import (
    PROJECT_ROOT,
    PYTHON,
    WALKTHROUGH,
    Row,
    alternate,
    bench_env,
    fresh_dir,
    json_line,
    progress,
    run,
)

WORKER = "tests.bench.history_worker"
#: Note saves a side in each round of the save benchmark.
SAVES = 100


def bench_history(rounds: int, work: Path) -> list[Row]:
    return [*bench_note_save(rounds, work), *bench_import(max(1, min(rounds, 3)), work), *bench_size(work)]


def bench_note_save(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "history-save")
    env = bench_env(fresh_dir(folder, "home"))
    source, manifest = datasets.history_database()
    times: dict[str, list[float]] = {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []}
    for i in range(rounds):
        db = datasets.copy_database(source, folder / "history.sqlite3")
        r = run([PYTHON, "-m", WORKER, "save", str(db), manifest["walkthrough"], str(SAVES)], env=env,
                cwd=PROJECT_ROOT)
        result = json_line(r.stdout)
        for key in times:
            times[key] += result[key]
        progress(f"note save round {i + 1}/{rounds}: ours {statistics.median(result['ours']) * 1000:.1f} ms, "
                 f"floor {statistics.median(result['floor']) * 1000:.1f} ms")
    ours, floor = statistics.median(times["ours"]), statistics.median(times["floor"])
    cpu_ours, cpu_floor = statistics.median(times["ours_cpu"]), statistics.median(times["floor_cpu"])
    return [Row(
        f"history: save a note (update_observation), walkthrough of {manifest['observations']:,} observations",
        ours, floor, target="≤ floor + 2 ms", met=ours - floor <= 0.002, base_label="same, nothing recorded",
        note=(f"{len(times['ours'])} saves a side; difference {(ours - floor) * 1000:.2f} ms "
              f"(CPU time of the process: {cpu_ours * 1000:.2f} / {cpu_floor * 1000:.2f} ms, "
              f"difference {(cpu_ours - cpu_floor) * 1000:.2f} ms); each save is one transaction with "
              f"synchronous=FULL; the history held {manifest['edits']:,} earlier saves"),
    )]


def bench_import(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "history-import")
    env = bench_env(fresh_dir(folder, "home"))
    source, csv_path, manifest = datasets.import_files()
    cpu: dict[str, list[float]] = {"ours": [], "floor": []}

    def side(name: str):
        def once():
            db = datasets.copy_database(source, folder / f"{name}.sqlite3")
            r = run([PYTHON, "-m", WORKER, "import", str(db), manifest["walkthrough"], str(csv_path), name],
                    env=env, cwd=PROJECT_ROOT, timeout=1800)
            result = json_line(r.stdout)
            if result["added"] != manifest["rows"]:
                raise RuntimeError(f"expected {manifest['rows']} rows added, got {result['added']}")
            cpu[name].append(result["cpu"])
            return result["seconds"], r.peak_mb
        return once

    samples = alternate(rounds, {"ours": side("ours"), "floor": side("floor")}, warmup=False,
                        label="CSV import")
    ours, floor = samples.median("ours"), samples.median("floor")
    cpu_ours, cpu_floor = statistics.median(cpu["ours"]), statistics.median(cpu["floor"])
    return [Row(
        f"history: import_csv of {manifest['rows']:,} new rows", ours, floor, samples.peak("ours"),
        samples.peak("floor"), target="ratio ≤ 1.3", met=ours / floor <= 1.3, base_label="same, nothing recorded",
        note=(f"CSV {csv_path.stat().st_size / 1e6:.0f} MB; time inside import_csv (reading, checks, one "
              f"transaction); CPU time {cpu_ours:.1f} / {cpu_floor:.1f} s (ratio {cpu_ours / cpu_floor:.2f})"),
    )]


def _vacuumed_size(path: Path, *, empty_history: bool) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if empty_history:
            conn.execute("DELETE FROM change")
            conn.execute("DELETE FROM device")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return path.stat().st_size


def bench_size(work: Path) -> list[Row]:
    folder = fresh_dir(work, "history-size")
    env = bench_env(fresh_dir(folder, "home"))
    db = folder / "demo.sqlite3"
    run([WALKTHROUGH, "--db", str(db), "demo"], env=env)
    if Path(f"{db}-wal").is_file() and Path(f"{db}-wal").stat().st_size:
        raise RuntimeError(f"{db}-wal left behind: the database was not checkpointed on close")
    raw = db.stat().st_size
    ours_path, floor_path = folder / "ours.sqlite3", folder / "floor.sqlite3"
    shutil.copyfile(db, ours_path)
    shutil.copyfile(db, floor_path)
    conn = sqlite3.connect(db)
    changes = conn.execute("SELECT count(*), coalesce(sum(length(value)), 0) FROM change").fetchone()
    conn.close()
    ours, floor = _vacuumed_size(ours_path, empty_history=False), _vacuumed_size(floor_path, empty_history=True)
    progress(f"sample walkthrough's file: {ours / 1e6:.2f} MB with its history, {floor / 1e6:.2f} MB without")
    return [Row(
        "history: the sample walkthrough's database (`walkthrough demo`), size", None, None,
        target="ratio ≤ 1.5", met=ours / floor <= 1.5,
        note=(f"size, not time: {ours / 1e6:.2f} MB with its history, {floor / 1e6:.2f} MB with the change and "
              f"device tables emptied (both VACUUMed), ratio {ours / floor:.3f}; {changes[0]} changes holding "
              f"{changes[1] / 1e3:.0f} kB of values; the file as `walkthrough demo` left it: {raw / 1e6:.2f} MB"),
    )]
