"""Photo intake: 20 copies of the 8 MP phone photo through ``walkthrough photos add``, in one call.

Ours is the real command (start-up, checks, decode, upright, scale to 2048 px,
re-encode without metadata, thumbnail, hash, one transaction with
``synchronous=FULL``) on a fresh copy of a database holding one observation.
The baseline (``baseline_intake.py``) opens, transposes, scales and saves
the same files with bare Pillow.  Both sides are child processes, so both
pay interpreter start-up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import (
    BENCH_DIR,
    PYTHON,
    WALKTHROUGH,
    Row,
    Skipped,
    alternate,
    bench_env,
    fresh_dir,
    run,
)

COPIES = 20


def bench_intake(rounds: int, work: Path) -> list[Row]:
    if not datasets.PHONE_PHOTO.is_file():
        raise Skipped(f"photo corpus not found: {datasets.PHONE_PHOTO} is missing "
                      "(it lives in ../shared/corpus beside the project; WALKTHROUGH_CORPUS moves it)")
    template, manifest = datasets.intake_template()
    folder = fresh_dir(work, "intake")
    files = []
    for i in range(COPIES):
        target = folder / f"phone-{i + 1:02d}.jpg"
        shutil.copyfile(datasets.PHONE_PHOTO, target)
        files.append(str(target))
    env = bench_env(fresh_dir(folder, "home"))
    db = folder / "intake.sqlite3"
    out = folder / "baseline-out"

    def ours():
        datasets.copy_database(template, db)
        r = run([WALKTHROUGH, "--db", str(db), "photos", "add", manifest["observation"], *files], env=env)
        added = sum(1 for line in r.stdout.splitlines() if line.startswith("added"))
        if added != COPIES:
            raise RuntimeError(f"expected {COPIES} photos added, got:\n{r.stdout}")
        return r.seconds, r.peak_mb

    def baseline():
        fresh_dir(folder, "baseline-out")
        r = run([PYTHON, str(BENCH_DIR / "baseline_intake.py"), str(out), *files], env=env)
        return r.seconds, r.peak_mb

    samples = alternate(rounds, {"ours": ours, "baseline": baseline}, label="photo intake")
    ratio = samples.median("ours") / samples.median("baseline")
    per_photo = samples.median("ours") / COPIES
    return [Row(
        f"photo intake: {COPIES} × 8 MP JPEG in one `walkthrough photos add`",
        samples.median("ours"), samples.median("baseline"), samples.peak("ours"), samples.peak("baseline"),
        target="ratio ≤ 1.3", met=ratio <= 1.3,
        note=f"{per_photo * 1000:.0f} ms a photo; database {db.stat().st_size / 1e6:.1f} MB after one call",
    )]
