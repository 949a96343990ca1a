"""The summary chart as inline SVG for the HTML report, and the colours of a rating chip.

A horizontal stacked bar per principle, as in the PDF
(:mod:`walkthrough.report.summary_chart`): each segment carries its rating's
symbol and count where there is room, the legend names each rating with its
symbol and word, and the table after the chart has every number.  The SVG
is one picture to assistive technology (``role="img"``) whose name and
description say what it shows, numbers included, so a screen reader loses
nothing.  Text width is estimated (no font metrics in a browser-neutral
file); labels are cut well before they could overflow.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from functools import lru_cache

from walkthrough.domain.lens import Rating
from walkthrough.report.chart_scale import tick_step
from walkthrough.report.plain_text import ELLIPSIS, one_line

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_FALLBACK = "#616161"
_BLACK, _WHITE = "#000000", "#FFFFFF"

_WIDTH = 640
_LABEL_WIDTH = 150
_ROW, _BAR = 28, 18
_LEGEND_ROW = 20
_FONT = 12
_CHAR = 0.6  # average glyph width in ems, generous for a sans-serif


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@lru_cache(maxsize=64)
def chip_colours(rating: Rating) -> tuple[str, str]:
    """The rating's fill (its lens colour) and the ink that reads on it.

    Black or white, whichever contrasts more: for any fill one of them
    reaches at least 4.58:1, so the text always meets WCAG AA.
    """
    fill = rating.colour.strip().upper() if rating.colour and _COLOUR.fullmatch(rating.colour.strip()) else _FALLBACK
    ink = _WHITE if contrast(fill, _WHITE) >= contrast(fill, _BLACK) else _BLACK
    return fill, ink


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR


def _fit(text: str, size: float, width: float) -> str:
    if _text_width(text, size) <= width:
        return text
    keep = max(int(width / (size * _CHAR)) - 1, 1)
    return text[:keep].rstrip() + ELLIPSIS


def ratings_svg(
    rows: Sequence[tuple[str, Sequence[int]]], ratings: Sequence[Rating], title: str, chart_id: str
) -> str:
    """The chart as an ``<svg>`` element; ``rows`` are (principle name, count per rating in ``ratings`` order)."""
    e = html.escape
    words = [one_line(f"{r.symbol} {r.label}") if one_line(r.symbol) else one_line(r.label) for r in ratings]
    described = []
    for name, counts in rows:
        parts = [f"{count} {word}" for word, count in zip(words, counts) if count]
        described.append(f"{one_line(name)}: {', '.join(parts) if parts else 'none'} (total {sum(counts)})")
    description = "; ".join(described) + "." if described else "No observations."

    top = max([sum(counts) for _, counts in rows] + [1])
    step = tick_step(top)
    axis_max = math.ceil(top / step) * step
    plot_x = _LABEL_WIDTH + 8
    plot_width = _WIDTH - plot_x - 32
    unit = plot_width / axis_max

    legend: list[list[tuple[Rating, str, float]]] = [[]]
    used = 0.0
    for rating, word in zip(ratings, words):
        text = _fit(word, _FONT, plot_width - 40)
        need = 18 + _text_width(text, _FONT) + 18
        if legend[-1] and used + need > plot_width:
            legend.append([])
            used = 0.0
        legend[-1].append((rating, text, used))
        used += need
    legend_height = len(legend) * _LEGEND_ROW + 6
    plot_y = legend_height
    plot_height = len(rows) * _ROW
    height = plot_y + plot_height + 24

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="DejaVu Sans, Segoe UI, Arial, sans-serif" font-size="{_FONT}">',
        f'<title id="{chart_id}-title">{e(title)}</title>',
        f'<desc id="{chart_id}-desc">{e(description)}</desc>',
    ]
    for line_no, items in enumerate(legend):
        y = line_no * _LEGEND_ROW
        for rating, text, x in items:
            fill, _ = chip_colours(rating)
            out.append(f'<rect x="{plot_x + x:.1f}" y="{y + 3}" width="13" height="13" fill="{fill}"/>')
            out.append(f'<text x="{plot_x + x + 18:.1f}" y="{y + 14}" fill="#212B32">{e(text)}</text>')
    for value in range(0, axis_max + 1, step):
        x = plot_x + value * unit
        out.append(f'<line x1="{x:.1f}" y1="{plot_y}" x2="{x:.1f}" y2="{plot_y + plot_height}" '
                   'stroke="#AEB7BD" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{plot_y + plot_height + 16}" text-anchor="middle" '
                   f'fill="#4C6272">{value}</text>')
    for i, (name, counts) in enumerate(rows):
        y = plot_y + i * _ROW + (_ROW - _BAR) / 2
        baseline = y + _BAR / 2 + _FONT * 0.35
        label = _fit(one_line(name), _FONT, _LABEL_WIDTH)
        out.append(f'<text x="{_LABEL_WIDTH}" y="{baseline:.1f}" text-anchor="end" fill="#212B32">{e(label)}</text>')
        x = plot_x
        for rating, count in zip(ratings, counts):
            if not count:
                continue
            fill, ink = chip_colours(rating)
            segment = count * unit
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{segment:.1f}" height="{_BAR}" fill="{fill}" '
                       'stroke="#FFFFFF" stroke-width="1"/>')
            symbol = one_line(rating.symbol)
            # The symbol with the count, so the bar reads in greyscale too.
            for text in (f"{symbol} {count}" if symbol else str(count), symbol):
                if text and _text_width(text, _FONT - 1) + 6 <= segment:
                    out.append(f'<text x="{x + segment / 2:.1f}" y="{baseline:.1f}" text-anchor="middle" '
                               f'font-size="{_FONT - 1}" font-weight="bold" fill="{ink}">{e(text)}</text>')
                    break
            x += segment
        out.append(f'<text x="{x + 5:.1f}" y="{baseline:.1f}" fill="#4C6272">{sum(counts)}</text>')
    out.append("</svg>")
    return "".join(out)
