"""Comparing two walks of 1,000 observations each (issue 16): target under 200 ms.

Each round is a fresh child process (``compare_worker.py``) on the cached
database (``datasets.compare_database``: two walks of one service, 1,000
observations, 100 photos and 20 actions each).  In it: one cold call, then
alternating warm calls of *ours* (``compare_walkthroughs``: read both walks
in one transaction and compare them) and the *floor* (the same two reads,
nothing compared), the same reads through ORM objects as before this
branch, and the comparison step alone.  The target is on the
absolute time of ours, warm and cold; the ratio to the floor says what the
comparison adds to reading the walks.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import PROJECT_ROOT, PYTHON, Row, bench_env, fresh_dir, json_line, progress, run

WORKER = "tests.bench.compare_worker"
#: Warm calls a side in each child process.
CALLS = 10
TARGET = 0.200


def bench_compare(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "compare")
    env = bench_env(fresh_dir(folder, "home"))
    source, manifest = datasets.compare_database()
    keys = ("ours", "floor", "orm", "compare", "ours_cpu", "floor_cpu", "orm_cpu", "compare_cpu")
    times: dict[str, list[float]] = {k: [] for k in (*keys, "cold", "cold_cpu")}
    peak = []
    for i in range(rounds):
        db = datasets.copy_database(source, folder / "compare.sqlite3")
        r = run([PYTHON, "-m", WORKER, str(db), manifest["base"], manifest["followup"], str(CALLS)], env=env,
                cwd=PROJECT_ROOT)
        result = json_line(r.stdout)
        for key in keys:
            times[key] += result[key]
        times["cold"].append(result["cold"])
        times["cold_cpu"].append(result["cold_cpu"])
        peak.append(r.peak_mb)
        progress(f"compare round {i + 1}/{rounds}: cold {result['cold'] * 1000:.0f} ms, warm "
                 f"{statistics.median(result['ours']) * 1000:.0f} ms, floor "
                 f"{statistics.median(result['floor']) * 1000:.0f} ms")
    ours, floor = statistics.median(times["ours"]), statistics.median(times["floor"])
    cold, step = statistics.median(times["cold"]), statistics.median(times["compare"])
    cpu = {k: statistics.median(times[k]) * 1000
           for k in ("ours_cpu", "floor_cpu", "orm_cpu", "compare_cpu", "cold_cpu")}
    orm = statistics.median(times["orm"])
    n = manifest["observations"]
    return [
        Row(f"compare: two walks of {n:,} observations each (compare_walkthroughs, warm)", ours, floor,
            max(peak), target="< 200 ms", met=ours < TARGET, base_label="the two reads alone",
            note=(f"{len(times['ours'])} calls a side over {rounds} processes, alternating; CPU time of the "
                  f"process {cpu['ours_cpu']:.0f} / {cpu['floor_cpu']:.0f} ms; the comparison step "
                  f"alone {step * 1000:.1f} ms (CPU {cpu['compare_cpu']:.1f} ms); {result['prompts']} prompts compared "
                  f"({', '.join(f'{k} {v}' for k, v in result['counts'].items())}); each walk has "
                  f"{manifest['photos']} photos and {manifest['actions']} actions")),
        Row(f"compare: reading the two walks as rows (this branch) against ORM objects (before)", floor, orm,
            base_label="ORM objects, as before",
            note=f"CPU time {cpu['floor_cpu']:.0f} / {cpu['orm_cpu']:.0f} ms; the same records either way"),
        Row(f"compare: two walks of {n:,} observations each, first call in a new process (cold)", cold, None,
            target="< 200 ms", met=cold < TARGET,
            note=(f"CPU time {cpu['cold_cpu']:.0f} ms; the lens snapshot parsed and the statements compiled on "
                  "the way, as `walkthrough compare` does")),
    ]
