"""Comparing two walks, measured from inside one process: ``python -m tests.bench.compare_worker DB BASE FOLLOWUP N``.

First one cold call of ``compare_walkthroughs`` (the first thing done after
opening the database: the lens snapshot parsed, statements compiled, as in
``walkthrough compare``), then N rounds alternating which side goes first:

- *ours*: ``compare_walkthroughs`` — both walks read in one transaction, then
  compared;
- *floor*: the same two walks read in one transaction (``read_contents``),
  nothing compared: what any screen showing two walks must pay;
- *orm*: the same two reads as before this branch, through ORM objects
  (``baseline_compare.read_contents_as_objects``), nothing compared;
- *compare*: ``domain.comparison.compare`` alone on the records read.

Prints one JSON line of seconds per side: wall clock, and the CPU time of
this process (``…_cpu``), which a loaded shared machine does not stretch.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def measure(db_path: str, base: str, followup: str, rounds: int) -> dict:
    from tests.bench.baseline_compare import read_contents_as_objects
    from walkthrough.domain.comparison import compare
    from walkthrough.services.comparison import compare_walkthroughs
    from walkthrough.services.walkthroughs import read_contents
    from walkthrough.storage.database import open_database

    with open_database(Path(db_path)) as db:
        c0, t0 = time.process_time(), time.perf_counter()
        comparison = compare_walkthroughs(db, base, followup)
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        times: dict[str, list[float]] = {k: [] for k in ("ours", "floor", "orm", "compare", "ours_cpu",
                                                          "floor_cpu", "orm_cpu", "compare_cpu")}

        def timed(side: str, work) -> None:  # type: ignore[no-untyped-def]
            c, t = time.process_time(), time.perf_counter()
            work()
            times[side].append(time.perf_counter() - t)
            times[f"{side}_cpu"].append(time.process_time() - c)

        def reads() -> None:
            with db.sessions.begin() as session:
                read_contents(session, base)
                read_contents(session, followup)

        def orm_reads() -> None:
            with db.sessions.begin() as session:
                read_contents_as_objects(session, base)
                read_contents_as_objects(session, followup)

        work = {"ours": lambda: compare_walkthroughs(db, base, followup), "floor": reads, "orm": orm_reads}
        for i in range(rounds):
            for side in (("ours", "floor", "orm") if i % 2 == 0 else ("orm", "floor", "ours")):
                timed(side, work[side])
        for _ in range(rounds):
            timed("compare", lambda: compare(comparison.base, comparison.followup))
    return {"cold": cold, "cold_cpu": cold_cpu, **times, "prompts": len(comparison.prompts),
            "counts": {v.value: n for v, n in comparison.counts.items()}}


def main(argv: list[str]) -> int:
    db_path, base, followup, rounds = argv
    print(json.dumps(measure(db_path, base, followup, int(rounds))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
