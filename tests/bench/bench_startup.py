"""Start-up: ``walkthrough --version`` against ``python -c pass``; first painted window against bare PySide6.

The window is timed from just before the child process is spawned to the end
of its first paint pass (see ``first_paint.py``), on a database of 50
walkthroughs (the 10x scale database: 10,000 observations, 2,000 photos).
"""

from __future__ import annotations

from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import BENCH_DIR, PYTHON, WALKTHROUGH, Row, alternate, bench_env, fresh_dir, json_line, run


def bench_startup(rounds: int, work: Path) -> list[Row]:
    folder = fresh_dir(work, "startup")
    env = bench_env(fresh_dir(folder, "home"))

    def version():
        r = run([WALKTHROUGH, "--version"], env=env)
        return r.seconds, r.peak_mb

    def python_pass():
        r = run([PYTHON, "-c", "pass"], env=env)
        return r.seconds, r.peak_mb

    cli = alternate(rounds * 3, {"ours": version, "baseline": python_pass}, label="--version")
    diff = cli.median("ours") - cli.median("baseline")
    rows = [Row("start-up: `walkthrough --version` vs `python -c pass`", cli.median("ours"), cli.median("baseline"),
                cli.peak("ours"), cli.peak("baseline"), target="within 0.15 s", met=diff <= 0.15,
                note=f"difference {diff * 1000:.0f} ms")]

    source, manifest = datasets.scale_database(10)
    db = datasets.copy_database(source, folder / "fifty.sqlite3")

    listed: list[float] = []

    def painted(*args: str):
        def side():
            r = run([PYTHON, str(BENCH_DIR / "first_paint.py"), *args], env=env)
            times = json_line(r.stdout)
            if "listed" in times:
                listed.append(times["listed"] - r.started)
            return times["painted"] - r.started, r.peak_mb
        return side

    window = alternate(rounds, {"ours": painted("app", str(db)), "baseline": painted("bare")},
                       label="first paint")
    ratio = window.median("ours") / window.median("baseline")
    rows.append(Row(f"start-up: first painted main window, {manifest['walkthroughs']} walkthroughs in the database",
                    window.median("ours"), window.median("baseline"), window.peak("ours"), window.peak("baseline"),
                    target="ratio ≤ 1.5", met=ratio <= 1.5,
                    note="process start → end of the window's first paint pass; baseline: empty QMainWindow"))
    listed.sort()
    rows.append(Row(f"start-up: the {manifest['walkthroughs']} walkthroughs listed and painted",
                    listed[len(listed) // 2], window.median("baseline"), window.peak("ours"), window.peak("baseline"),
                    met=None,
                    note="process start → database opened on a worker thread, list painted; "
                         "baseline: empty QMainWindow"))
    return rows
