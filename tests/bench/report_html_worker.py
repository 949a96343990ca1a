"""The HTML report's writing measured inside one process: ``python -m tests.bench.report_html_worker …``.

``DB WALKTHROUGH SPEC OUT_DIR ROUNDS``: three sides, in turn, after one
warm-up each, the order rotating each round:

* ``html``: the HTML writing, :func:`walkthrough.report.html_writer.write_outline`
  given the report's outline (as the baseline is given the spec's arranged
  text): layout and photos embedded, the file written and flushed as the
  baseline writes its own;
* ``report``: all of :func:`walkthrough.report.build_report`: the findings and
  the outline as well (which the PDF and the Word document share), and the
  file written through ``atomic_output`` (a hidden file flushed, renamed, the
  folder flushed);
* ``baseline``: :func:`baseline_report_html.render` of ``SPEC``, the file
  written and flushed.

Every side is given the same prescaled JPEGs (the ones ``SPEC`` names), in
memory, before the clock starts: shrinking stored photos is for the photo
intake in issue 15 (a print-size rendition kept from intake), and reading the
database and starting Python are not writing HTML.  Prints each side's
seconds per round as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tests.bench.baseline_report_html import render, write


def main(db_path: str, walkthrough_id: str, spec_path: str, out_dir: str, rounds: int) -> dict[str, list[float]]:
    from walkthrough.report import ReportFormat, ReportOptions, build_report
    from walkthrough.report.findings import gather_findings
    from walkthrough.report.html_writer import write_outline
    from walkthrough.report.outline import build_outline
    from walkthrough.services.walkthroughs import load_contents
    from walkthrough.storage.database import open_database

    options = ReportOptions(format=ReportFormat.HTML)
    with open_database(Path(db_path)) as db:
        contents = load_contents(db, walkthrough_id)
    findings = gather_findings(contents, options)
    # The very JPEGs the baseline embeds (bench_report._spec wrote them, named by their number in the report).
    prescaled_dir = Path(spec_path).parent
    prescaled = {
        photo.id: (prescaled_dir / f"photo-{number:03d}.jpg").read_bytes()
        for entry in findings.entries for number, photo in zip(entry.photo_numbers, entry.record.photos)
    }
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    photo_files = {p["path"]: Path(p["path"]).read_bytes()
                   for area in spec["areas"] for g in area["groups"] for e in g["entries"] for p in e["photos"]}
    assert sorted(prescaled.values()) == sorted(photo_files.values())
    blocks = build_outline(findings)
    folder = Path(out_dir)
    outs = {side: folder / f"{side}-in-process.html" for side in ("html", "report", "baseline")}

    def html() -> None:
        # Written as the baseline writes its file, so the two differ only in how the HTML is made.
        with open(outs["html"], "w", encoding="utf-8") as stream:
            write_outline(findings, blocks, prescaled.__getitem__, stream)
            stream.flush()
            os.fsync(stream.fileno())

    def report() -> None:
        build_report(contents, prescaled.__getitem__, outs["report"], options)

    def baseline() -> None:
        write(render(spec, photo_files.__getitem__), str(outs["baseline"]))

    sides = {"html": html, "report": report, "baseline": baseline}
    for side in sides.values():  # warm-up: imports done, caches filled
        side()
    times: dict[str, list[float]] = {name: [] for name in sides}
    names = list(sides)
    for i in range(rounds):
        for name in names[i % 3:] + names[:i % 3]:
            t0 = time.perf_counter()
            sides[name]()
            times[name].append(time.perf_counter() - t0)
    return {**times, "sizes_mb": {name: path.stat().st_size / 1e6 for name, path in outs.items()}}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))))
