"""Tables in the report break across pages where a reader can follow them (walkthrough/report/headed_table.py).

One document holds many headed tables, each after a filler of a different
length, so the tables start at many heights on their pages in one build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from walkthrough.report.headed_table import HeadedTable, RowTable
from walkthrough.report.styles import styles

TABLES = 36


def _build(path: Path, table_class: type[Table], headed: bool) -> list[str]:
    s = styles()
    flow = []
    for n in range(TABLES):
        flow.append(Paragraph("Filler words for the page. " * (6 + 3 * n), s.body))
        rows = [[Paragraph(f"HDR{n}X", s.cell_head), Paragraph("Second", s.cell_head)]]
        for r in range(1, 12):
            # A tall row in the middle, after short ones: the case that split a row under a second header.
            words = "Tall row text goes on and on. " * {1: 8, 6: 45}.get(r, 1)
            rows.append([Paragraph(f"ROW{n}X{r}Y {words}", s.cell), Paragraph("x", s.cell)])
        table = table_class(rows, colWidths=[300, 100], repeatRows=1, splitInRow=1)
        lead = [Paragraph(f"HEAD{n}X", s.h2), Paragraph("The line that introduces the table.", s.meta)]
        if headed:
            flow.append(HeadedTable(lead, table))
        else:
            lead[0].keepWithNext = True
            flow += [*lead, table]
    SimpleDocTemplate(str(path), pagesize=A4).build(flow)
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _build(tmp_path_factory.mktemp("headed") / "t.pdf", RowTable, headed=True)


def test_a_heading_is_on_the_page_of_its_tables_header_and_first_row(pages: list[str]) -> None:
    for n in range(TABLES):
        page = next(text for text in pages if f"HEAD{n}X" in text)
        assert f"HDR{n}X" in page and f"ROW{n}X1Y" in page, f"table {n}: heading left without its table"


def test_a_tables_header_is_printed_once_per_page(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        for n in range(TABLES):
            assert text.count(f"HDR{n}X") <= 1, f"page {number}: table {n}'s header twice"


def test_without_them_both_faults_happen(tmp_path: Path) -> None:
    """The cases above are real: ReportLab's own Table and keepWithNext fail them."""
    plain = _build(tmp_path / "plain.pdf", Table, headed=False)
    twice = any(text.count(f"HDR{n}X") > 1 for text in plain for n in range(TABLES))
    alone = any(f"HDR{n}X" not in next(t for t in plain if f"HEAD{n}X" in t) for n in range(TABLES))
    assert twice and alone
