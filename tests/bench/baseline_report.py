"""Baseline for the report benchmark: a bare ReportLab platypus script.

Lays out the same text as the findings report (cover lines, summary table,
every observation with its note, photos two to a row with captions, the
per-principle tables, the improvement plan, the lens appendix) in the same
font (DejaVu Sans, TrueType, as the report embeds), with the same photos
already scaled to their placed size, placed at the same size.  One
``SimpleDocTemplate.build``: no contents page, no "page x of y", no links.

Run as a script: ``python baseline_report.py SPEC.json OUT.pdf`` (imports
nothing from the project, so it starts as fast as a bare script would).
"""

from __future__ import annotations

import json
import sys
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable


def main(spec_path: str, out_path: str) -> None:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    for name, path in spec["fonts"].items():
        pdfmetrics.registerFont(TTFont(name, path))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu-Oblique",
                                  boldItalic="DejaVu-BoldOblique")
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=14, spaceAfter=5)
    h1 = ParagraphStyle("h1", parent=body, fontName="DejaVu-Bold", fontSize=17, leading=22, spaceAfter=10)
    h2 = ParagraphStyle("h2", parent=body, fontName="DejaVu-Bold", fontSize=12.5, leading=16.5, spaceBefore=14)
    h3 = ParagraphStyle("h3", parent=body, fontName="DejaVu-Bold", fontSize=10, spaceBefore=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11.5, spaceAfter=0)
    caption = ParagraphStyle("caption", parent=cell, fontName="DejaVu-Oblique", fontSize=8, leading=10.5)
    grid = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey)])

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[p(c, cell) for c in row] for row in rows], colWidths=widths, repeatRows=1)
        t.setStyle(grid)
        return t

    width = A4[0] - 44 * mm
    story: list = [p(spec["title"], h1), p(spec["service"], h2), p(spec["site"], h2)]
    story += [p(line) for line in spec["cover"]]
    story += [PageBreak(), p("Summary", h1), table(spec["summary"], [50 * mm] + [(width - 50 * mm) / 5] * 5)]
    story += [p("Strengths", h2)] + [p("• " + line) for line in spec["strengths"]]
    story += [p("Priority concerns", h2)] + [p("• " + line) for line in spec["concerns"]]
    story += [PageBreak(), p("Findings by area", h1)]
    for area in spec["areas"]:
        story.append(p(area["title"], h2))
        for group in area["groups"]:
            story.append(p(group["question"], h3))
            for entry in group["entries"]:
                story.append(p(f"{entry['ref']}  {entry['rating']}  {entry['details']}", cell))
                story += [p(text) for text in entry["notes"]]
                photos = entry["photos"]
                for start in range(0, len(photos), 2):
                    row = [[Image(ph["path"], width=ph["width"], height=ph["height"]), p(ph["caption"], caption)]
                           for ph in photos[start:start + 2]]
                    story.append(Table([row + [""] * (2 - len(row))], colWidths=[width / 2, width / 2]))
                story.append(HRFlowable(width="100%", thickness=0.4, color=colors.grey))
    story += [PageBreak(), p("Findings by principle", h1)]
    for principle in spec["principles"]:
        story += [p(principle["name"], h2), p(principle["meaning"])]
        story.append(table(principle["rows"], [14 * mm, 40 * mm, 38 * mm, width - 92 * mm]))
    story += [PageBreak(), p("Improvement plan", h1)]
    for group in spec["actions"]:
        story.append(p(group["name"], h3))
        story.append(table(group["rows"], [width - 108 * mm, 26 * mm, 24 * mm, 22.5 * mm, 15.5 * mm, 20 * mm]))
    story += [PageBreak(), p("Appendix: the lens", h1)]
    for area in spec["appendix"]:
        story.append(p(area["title"], h3))
        story.append(table(area["rows"], [width - 45 * mm, 45 * mm]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        canvas.drawString(22 * mm, 12 * mm, f"{spec['service']} · page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(out_path, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=27 * mm, bottomMargin=24 * mm, title=spec["title"])
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
