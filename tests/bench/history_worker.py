"""The change-history benchmarks measured from inside one process: ``python -m tests.bench.history_worker``.

``save DB WALKTHROUGH N``: N note saves a side through
``update_observation``, alternating which side goes first, each save on
another of the walkthrough's observations (the same ones on both sides);
prints each save's seconds (wall clock, and CPU time of this process).

``import DB WALKTHROUGH CSV ours|floor``: one ``import_csv`` of the file;
prints its seconds (wall clock and CPU).

The floor side runs the same services inside
:func:`tests.bench.baseline_history.without_history`.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from tests.bench.baseline_history import without_history


def save(db_path: str, walkthrough_id: str, count: int) -> dict:
    from walkthrough.services.observations import list_observations, update_observation
    from walkthrough.storage.database import open_database

    with open_database(Path(db_path)) as db:
        observations = list_observations(db, walkthrough_id)
        times: dict[str, list[float]] = {}

        def one(side: str, i: int) -> None:
            target = observations[(i * 7919) % len(observations)]
            note = f"{target.note}\n\nSaved again ({side} {i})."
            with without_history() if side == "floor" else nullcontext():
                c0, t0 = time.process_time(), time.perf_counter()
                update_observation(db, target.id, note=note)
                times[side].append(time.perf_counter() - t0)
                times[f"{side}_cpu"].append(time.process_time() - c0)

        for i in range(5):  # warm-up: caches, statements compiled
            times = {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []}
            one("ours", i)
            one("floor", i)
        times = {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []}
        for i in range(count):
            for side in (("ours", "floor") if i % 2 == 0 else ("floor", "ours")):
                one(side, i)
    return times


def import_once(db_path: str, walkthrough_id: str, csv_path: str, side: str) -> dict:
    from walkthrough.services.csv_exchange import import_csv
    from walkthrough.storage.database import open_database

    with open_database(Path(db_path)) as db:
        with without_history() if side == "floor" else nullcontext():
            c0, t0 = time.process_time(), time.perf_counter()
            result = import_csv(db, walkthrough_id, Path(csv_path))
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": seconds, "cpu": cpu, "added": result.added}


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "save":
        result = save(args[0], args[1], int(args[2]))
    elif command == "import":
        result = import_once(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
