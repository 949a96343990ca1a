"""Baseline for the Word report benchmark: a bare python-docx script.

Writes the same content as the report benchmark's ReportLab baseline (the
same ``spec.json``: cover lines, summary table, every observation with its
note, photos with captions, the per-principle tables, the improvement plan,
the lens appendix) with python-docx's plain API: built-in heading styles,
tables in the template's grid style, the photos already scaled to their
placed size.  No header-row or no-split flags, no links, no alt text.

Run as a script: ``python baseline_report_docx.py SPEC.json OUT.docx``
(imports nothing from the project, so it starts as fast as a bare script).
"""

from __future__ import annotations

import json
import sys

from docx import Document
from docx.shared import Pt


def main(spec_path: str, out_path: str) -> None:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = spec["title"]

    def table(rows: list[list[str]]) -> None:
        t = doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for row, values in zip(t.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.text = value

    doc.add_heading(spec["title"], 0)
    doc.add_paragraph(spec["service"])
    doc.add_paragraph(spec["site"])
    for line in spec["cover"]:
        doc.add_paragraph(line)
    doc.add_heading("Summary", 1)
    table(spec["summary"])
    doc.add_heading("Strengths", 2)
    for line in spec["strengths"]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Priority concerns", 2)
    for line in spec["concerns"]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Findings by area", 1)
    for area in spec["areas"]:
        doc.add_heading(area["title"], 2)
        for group in area["groups"]:
            doc.add_heading(group["question"], 3)
            for entry in group["entries"]:
                doc.add_paragraph(f"{entry['ref']}  {entry['rating']}  {entry['details']}")
                for text in entry["notes"]:
                    doc.add_paragraph(text)
                for photo in entry["photos"]:
                    doc.add_picture(photo["path"], width=Pt(photo["width"]), height=Pt(photo["height"]))
                    doc.add_paragraph(photo["caption"], style="Caption")
    doc.add_heading("Findings by principle", 1)
    for principle in spec["principles"]:
        doc.add_heading(principle["name"], 2)
        doc.add_paragraph(principle["meaning"])
        table(principle["rows"])
    doc.add_heading("Improvement plan", 1)
    for group in spec["actions"]:
        doc.add_heading(group["name"], 3)
        table(group["rows"])
    doc.add_heading("Appendix: the lens", 1)
    for area in spec["appendix"]:
        doc.add_heading(area["title"], 3)
        table(area["rows"])
    doc.save(out_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
