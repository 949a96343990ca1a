"""Run every benchmark and print the results table: ``python -m tests.bench [--quick] [--only NAME,…]``.

Run it from the project root with the project's Python (the one that has
``walkthrough`` installed).  Progress goes to stderr, the table to stdout.
Nothing is asserted and the exit status is 0 whatever the numbers: targets
are marked "met" or "NO" in the table.  ``--markdown FILE`` also writes the
table and the machine's description as Markdown (for ``RESULTS.md``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.bench.harness import PROJECT_ROOT, Row, Skipped, machine, progress, table

#: name -> (module, function, rounds, rounds with --quick)
BENCHMARKS: dict[str, tuple[str, str, int, int]] = {
    "intake": ("tests.bench.bench_intake", "bench_intake", 5, 2),
    "report": ("tests.bench.bench_report", "bench_report", 5, 2),
    "report-docx": ("tests.bench.bench_report", "bench_report_docx", 5, 2),
    "report-html": ("tests.bench.bench_report", "bench_report_html", 5, 2),
    "startup": ("tests.bench.bench_startup", "bench_startup", 7, 3),
    "scale": ("tests.bench.bench_gui", "bench_scale", 7, 2),
    "capture": ("tests.bench.bench_gui", "bench_capture", 3, 1),
    "history": ("tests.bench.bench_history", "bench_history", 5, 2),
    "compare": ("tests.bench.bench_compare", "bench_compare", 5, 2),
    "receive": ("tests.bench.bench_receive", "bench_receive", 5, 2),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough look, a few minutes)")
    parser.add_argument("--only", metavar="NAME,…", help=f"run only these: {', '.join(BENCHMARKS)}")
    parser.add_argument("--rounds", type=int, metavar="N", help="rounds per benchmark (overrides the defaults)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the results as Markdown")
    parser.add_argument("--work", type=Path, default=None, metavar="DIR",
                        help="scratch folder (default: run/ in the cache folder; emptied per benchmark)")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.bench.datasets import cache_dir

    names = list(BENCHMARKS) if not args.only else [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    work = args.work or cache_dir() / "run"
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    progress(f"{info['cpu']} × {info['nproc']}, Python {info['python']}; load average {info['load average at start']}")

    rows: list[Row] = []
    started = time.monotonic()
    for name in names:
        module, function, full, quick = BENCHMARKS[name]
        rounds = args.rounds or (quick if args.quick else full)
        progress(f"{name}: {rounds} round(s) a side")
        bench: Callable[[int, Path], list[Row]] = getattr(__import__(module, fromlist=[function]), function)
        t0 = time.monotonic()
        try:
            rows += bench(rounds, work)
        except Skipped as exc:
            rows.append(Row(f"{name}: skipped", None, note=str(exc)))
            progress(f"{name}: skipped — {exc}")
        except Exception as exc:  # noqa: BLE001 -- report it in the table and go on with the rest
            traceback.print_exc()
            rows.append(Row(f"{name}: FAILED", None, note=f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"))
        progress(f"{name}: {time.monotonic() - t0:.0f} s")

    print()
    print(table(rows))
    print(f"\n{len(names)} benchmark(s) in {time.monotonic() - started:.0f} s; "
          f"medians of alternating runs; times are wall clock.")
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.markdown:
        args.markdown.write_text(_markdown(rows, info, args), encoding="utf-8")
        progress(f"wrote {args.markdown}")
    return 0


def _markdown(rows: list[Row], info: dict[str, str], args: argparse.Namespace) -> str:
    head = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--", "walkthrough"],
                           capture_output=True, text=True).stdout.strip()
    lines = [
        f"Command: `python -m tests.bench{' --quick' if args.quick else ''}"
        f"{f' --only {args.only}' if args.only else ''}{f' --rounds {args.rounds}' if args.rounds else ''}`",
        "",
        table(rows, markdown=True),
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        f"| code | commit {head}{' + uncommitted changes in walkthrough/' if dirty else ''} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
