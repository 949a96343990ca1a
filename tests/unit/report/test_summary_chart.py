"""The summary chart (walkthrough/report/summary_chart.py) reads without colour."""

from __future__ import annotations

from reportlab.graphics.shapes import String

from tests.unit.report_fixtures import small_lens
from walkthrough.report.fonts import register_fonts
from walkthrough.report.summary_chart import ratings_chart


def _strings(drawing) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.text for item in drawing.contents if isinstance(item, String)]


def test_each_bar_segment_names_its_rating_by_symbol_so_greyscale_prints_read() -> None:
    ratings = small_lens().ratings
    symbols = [r.symbol for r in ratings]
    counts = [6, 3, 4, 2][: len(ratings)]
    register_fonts()
    drawing = ratings_chart([("Safety", counts)], ratings, 450)
    texts = _strings(drawing)
    for symbol, count in zip(symbols, counts):
        assert f"{symbol} {count}" in texts


def test_a_narrow_segment_keeps_its_symbol() -> None:
    ratings = small_lens().ratings
    counts = [200] + [1] * (len(ratings) - 1)
    register_fonts()
    texts = _strings(ratings_chart([("Safety", counts)], ratings, 450))
    assert f"{ratings[0].symbol} 200" in texts
    # One observation among 200 leaves a sliver: too narrow for anything, never a bare number.
    assert "1" not in texts
