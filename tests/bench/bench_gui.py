"""Scale and capture latency: the desktop app measured from inside (``gui_worker.py``).

Scale: the largest walkthrough of a 50-walkthrough database at 10x data
(10,000 observations and 2,000 photos in all; the largest holds 1,000 and
200) against the same at 1x (1,000 and 200 in all; the largest 100 and 20).
The "baseline" column is the 1x run, so the ratio is how the cost grows with
ten times the data; opening is also set against the floor: the same rows
read with plain sqlite3 and the same first screen built from stock Qt
widgets (``gui_worker.open_bare``).

Capture: key "2" on an observation until its rating button repaints, and
Ctrl+PgDown until the next area is painted, on a walkthrough of 500
observations and 200 photos; the baseline is the same two key presses on a
bare PySide6 window (the floor Qt itself sets).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import PROJECT_ROOT, PYTHON, Row, Samples, bench_env, fresh_dir, json_line, progress, run

WORKER = "tests.bench.gui_worker"


def _worker(env: dict[str, str], *args: str) -> tuple[dict, float]:
    r = run([PYTHON, "-m", WORKER, *args], env=env, cwd=PROJECT_ROOT)
    return json_line(r.stdout), r.peak_mb


def bench_scale(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "scale")
    env = bench_env(fresh_dir(folder, "home"))
    sides = {}
    for factor in (1, 10):
        source, manifest = datasets.scale_database(factor)
        sides[factor] = (datasets.copy_database(source, folder / f"scale-{factor}x.sqlite3"), manifest)

    results: dict[int, list[dict]] = {1: [], 10: []}
    floor: list[dict] = []
    peaks = Samples()
    for i in range(rounds):
        for side in ((1, 10, "floor") if i % 2 == 0 else ("floor", 10, 1)):
            if side == "floor":
                db, manifest = sides[10]
                result, peak = _worker(env, "open-bare", str(db), manifest["largest"])
                floor.append(result)
                peaks.add("floor", 0.0, peak)
                progress(f"scale round {i + 1}/{rounds} floor (sqlite3 + stock Qt): "
                         f"open {result['open']['painted'] * 1000:.0f} ms")
                continue
            db, manifest = sides[side]
            result, peak = _worker(env, "scale", str(db), manifest["largest"])
            results[side].append(result)
            peaks.add(f"{side}x", 0.0, peak)
            progress(f"scale round {i + 1}/{rounds} {side}x: open {result['open']['painted'] * 1000:.0f} ms, "
                     f"search {result['set_search']['painted'] * 1000:.0f} ms, "
                     f"area {result['switch_area']['painted'] * 1000:.0f} ms")

    def med(factor: int, op: str) -> float:
        return statistics.median(r[op]["painted"] for r in results[factor])

    def grew(factor: int) -> float:
        return statistics.median(r["rss_after_open_mb"] - r["rss_before_open_mb"] for r in results[factor])

    big, small = sides[10][1], sides[1][1]
    what = (f"largest walkthrough {big['largest_observations']:,} obs / {big['largest_photos']} photos "
            f"(1x: {small['largest_observations']} / {small['largest_photos']})")
    rows = []
    for op, label in (("open", "open the largest walkthrough (MainWindow.open_walkthrough → Walk painted)"),
                      ("set_search", "filter the review table: FindingsFilterModel.set_search"),
                      ("set_rating", "filter the review table: FindingsFilterModel.set_rating"),
                      ("switch_area", "switch areas: WalkPage.show_area → area painted")):
        ours, base = med(10, op), med(1, op)
        note = ""
        if op == "open":
            note = (f"{what}; memory for the open walkthrough: +{grew(10):.0f} MB at 10x, +{grew(1):.0f} MB at 1x "
                    f"(RSS after − before opening); whole process peak {peaks.peak('10x'):.0f} / "
                    f"{peaks.peak('1x'):.0f} MB")
        if op == "switch_area":
            note = (f"largest area at 10x: {results[10][0]['largest_area_observations']} observations "
                    f"(1x: {results[1][0]['largest_area_observations']})")
        rows.append(Row(f"scale 10x: {label}", ours, base, peaks.peak("10x"), peaks.peak("1x"),
                        target="< 100 ms", met=ours < 0.1, note=note, base_label="1x"))
        if op == "open":
            rows.append(Row(
                "scale 10x: open the largest walkthrough, against the floor", ours,
                statistics.median(r["open"]["painted"] for r in floor), peaks.peak("10x"), peaks.peak("floor"),
                note=("floor: the same rows read with plain sqlite3 and the Walk page's first screen built from "
                      "stock Qt widgets (no records, no style sheet, no wrapping rows, no keyboard order); "
                      "gui_worker.open_bare"),
                base_label="sqlite3 + bare Qt"))
    return rows


def bench_capture(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "capture")
    env = bench_env(fresh_dir(folder, "home"))
    source, manifest = datasets.capture_database()
    db = datasets.copy_database(source, folder / "capture.sqlite3")
    app: list[dict] = []
    bare: list[dict] = []
    peaks = Samples()
    for i in range(rounds):
        for side in (("ours", "bare") if i % 2 == 0 else ("bare", "ours")):
            if side == "ours":
                result, peak = _worker(env, "capture", str(db), manifest["walkthrough"])
                app.append(result)
            else:
                result, peak = _worker(env, "capture-bare")
                bare.append(result)
            peaks.add(side, 0.0, peak)
            progress(f"capture round {i + 1}/{rounds} {side}: rate {result['rate_key']['painted'] * 1000:.1f} ms, "
                     f"next area {result['next_area_key']['painted'] * 1000:.1f} ms")

    def med(results: list[dict], op: str, key: str = "painted") -> float:
        return statistics.median(r[op][key] for r in results)

    where = f"{manifest['observations']} observations, {manifest['photos']} photos"
    rows = []
    for op, label in (("rate_key", 'key "2" on an observation → its rating button repainted'),
                      ("next_area_key", "Ctrl+PgDown → next area painted")):
        ours = med(app, op)
        note = f"{where}; of which in the key handler itself: {med(app, op, 'call') * 1000:.0f} ms"
        if op == "next_area_key":
            note += f"; areas hold {min(app[0]['area_sizes'])}–{max(app[0]['area_sizes'])} observations"
        rows.append(Row(f"capture latency: {label}", ours, med(bare, op), peaks.peak("ours"), peaks.peak("bare"),
                        target="< 50 ms", met=ours < 0.05, note=note, base_label="bare Qt"))
    return rows
