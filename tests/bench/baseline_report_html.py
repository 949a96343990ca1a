"""Baseline for the HTML report benchmark: the same content written as HTML with the standard library alone.

Writes the same content as the other report baselines (the same
``spec.json``: cover lines, summary table, every observation with its note,
photos with captions, the per-principle tables, the improvement plan, the
lens appendix) as one HTML file: every text escaped with :func:`html.escape`,
headings, tables with header cells, each photo (already scaled to its placed
size) embedded as a base64 ``data:`` URI with its caption as alt text, a
small style sheet.  No contents list, no chart, no links, no landmarks.

Run as a script: ``python baseline_report_html.py SPEC.json OUT.html``
(imports nothing from the project, so it starts as fast as a bare script);
:func:`render` is also timed inside one process by ``report_html_worker.py``.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Callable
from html import escape


def main(spec_path: str, out_path: str) -> None:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)

    def read_photo(path: str) -> bytes:
        with open(path, "rb") as f:
            return f.read()

    write(render(spec, read_photo), out_path)


def write(page: str, out_path: str) -> None:
    """The page written and flushed to disk (as the report's own file is)."""
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(page)
        f.flush()
        os.fsync(f.fileno())


def render(spec: dict, read_photo: Callable[[str], bytes]) -> str:
    """The whole page for ``spec``; ``read_photo(path)`` gives a prescaled photo's bytes."""
    out: list[str] = []
    add = out.append

    def table(rows: list[list[str]]) -> None:
        add("<table><thead><tr>" + "".join(f'<th scope="col">{escape(v)}</th>' for v in rows[0]) + "</tr></thead>")
        add("<tbody>" + "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows[1:]))
        add("</tbody></table>")

    add(f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{escape(spec["title"])}</title>'
        "<style>body{font-family:sans-serif;max-width:48rem;margin:auto}table{border-collapse:collapse}"
        "th,td{border-bottom:1px solid #aeb7bd;text-align:left}</style></head><body>")
    add(f'<h1>{escape(spec["title"])}</h1><p>{escape(spec["service"])}</p><p>{escape(spec["site"])}</p>')
    for line in spec["cover"]:
        add(f"<p>{escape(line)}</p>")
    add("<h2>Summary</h2>")
    table(spec["summary"])
    for title, key in (("Strengths", "strengths"), ("Priority concerns", "concerns")):
        add(f"<h3>{title}</h3><ul>" + "".join(f"<li>{escape(line)}</li>" for line in spec[key]) + "</ul>")
    add("<h2>Findings by area</h2>")
    for area in spec["areas"]:
        add(f'<h3>{escape(area["title"])}</h3>')
        for group in area["groups"]:
            add(f'<h4>{escape(group["question"])}</h4>')
            for entry in group["entries"]:
                add(f'<p><b>{escape(entry["ref"])}</b> {escape(entry["rating"])} {escape(entry["details"])}</p>')
                for text in entry["notes"]:
                    add(f"<p>{escape(text)}</p>")
                for photo in entry["photos"]:
                    data = base64.b64encode(read_photo(photo["path"])).decode("ascii")
                    add(f'<figure><img src="data:image/jpeg;base64,{data}" alt="{escape(photo["caption"])}" '
                        f'width="{round(photo["width"] * 4 / 3)}" height="{round(photo["height"] * 4 / 3)}">'
                        f'<figcaption>{escape(photo["caption"])}</figcaption></figure>')
    add("<h2>Findings by principle</h2>")
    for principle in spec["principles"]:
        add(f'<h3>{escape(principle["name"])}</h3><p>{escape(principle["meaning"])}</p>')
        table(principle["rows"])
    add("<h2>Improvement plan</h2>")
    for group in spec["actions"]:
        add(f'<h3>{escape(group["name"])}</h3>')
        table(group["rows"])
    add("<h2>Appendix: the lens</h2>")
    for area in spec["appendix"]:
        add(f'<h3>{escape(area["title"])}</h3>')
        table(area["rows"])
    add("</body></html>\n")
    return "".join(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
