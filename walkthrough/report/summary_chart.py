"""The summary chart: per principle, how many observations got each rating.

A horizontal stacked bar per principle, drawn with ReportLab graphics
shapes.  Segments carry their rating's symbol and count where there is room
(or the symbol alone), in the same order as the legend, which names each
rating with its symbol and word; the table beside the chart carries every
number, so nothing depends on telling colours apart, in greyscale too.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from walkthrough.domain.lens import Rating
from walkthrough.report.chart_scale import tick_step
from walkthrough.report.rating_chip import chip_text, text_colour_on
from walkthrough.report.styles import FONT, FONT_BOLD, RULE, SECONDARY, TEXT, WHITE
from walkthrough.report.text_markup import fit_width, one_line

_LABEL_SIZE = 9
_BAR = 13
_ROW = 21
_LEGEND_ROW = 14


def ratings_chart(
    rows: list[tuple[str, list[int]]], ratings: tuple[Rating, ...], width: float
) -> Drawing:
    """A drawing ``width`` points wide; ``rows`` are (principle name, count per rating in ``ratings`` order)."""
    label_width = min(52 * 2.8346, width * 0.3)
    plot_x = label_width + 8
    plot_width = width - plot_x - 24
    top = max([sum(counts) for _, counts in rows] + [1])
    step = tick_step(top)
    axis_max = math.ceil(top / step) * step
    unit = plot_width / axis_max

    legend_lines = _legend_lines(ratings, width)
    legend_height = len(legend_lines) * _LEGEND_ROW
    axis_height = 16
    plot_height = len(rows) * _ROW
    height = legend_height + 8 + axis_height + plot_height + 4
    drawing = Drawing(width, height)
    plot_y = legend_height + 8 + axis_height

    # Grid and ticks first, so bars sit on top.
    for value in range(0, axis_max + 1, step):
        x = plot_x + value * unit
        drawing.add(Line(x, plot_y, x, plot_y + plot_height, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(String(x, plot_y - 11, str(value), fontName=FONT, fontSize=8, fillColor=SECONDARY,
                           textAnchor="middle"))
    drawing.add(Line(plot_x, plot_y, plot_x + plot_width, plot_y, strokeColor=SECONDARY, strokeWidth=0.6))

    for i, (name, counts) in enumerate(rows):
        y = plot_y + plot_height - (i + 1) * _ROW + (_ROW - _BAR) / 2
        label = fit_width(one_line(name), FONT, _LABEL_SIZE, label_width)
        drawing.add(String(label_width, y + 3.5, label, fontName=FONT, fontSize=_LABEL_SIZE, fillColor=TEXT,
                           textAnchor="end"))
        x = plot_x
        for rating, count in zip(ratings, counts):
            if not count:
                continue
            fill = colors.HexColor(rating.colour)
            segment = count * unit
            drawing.add(Rect(x, y, segment, _BAR, fillColor=fill, strokeColor=WHITE, strokeWidth=0.6))
            # The rating's symbol with the count, so the bar reads in greyscale too.
            symbol = one_line(rating.symbol)
            for text in (f"{symbol} {count}" if symbol else str(count), symbol):
                if text and stringWidth(text, FONT_BOLD, 8) + 4 <= segment:
                    drawing.add(String(x + segment / 2, y + 3.5, text, fontName=FONT_BOLD, fontSize=8,
                                       fillColor=text_colour_on(fill), textAnchor="middle"))
                    break
            x += segment
        drawing.add(String(x + 4, y + 3.5, str(sum(counts)), fontName=FONT, fontSize=8, fillColor=SECONDARY))

    for line_no, items in enumerate(legend_lines):
        y = legend_height - (line_no + 1) * _LEGEND_ROW + 3
        x = plot_x
        for rating, text in items:
            drawing.add(Rect(x, y, 9, 9, fillColor=colors.HexColor(rating.colour), strokeColor=None))
            drawing.add(String(x + 12, y + 1.5, text, fontName=FONT, fontSize=8.5, fillColor=TEXT))
            x += 12 + stringWidth(text, FONT, 8.5) + 14
    return drawing


def _legend_lines(ratings: tuple[Rating, ...], width: float) -> list[list[tuple[Rating, str]]]:
    """Legend items flowed into lines that fit ``width`` (labels cut if one alone is too wide)."""
    start = min(52 * 2.8346, width * 0.3) + 8
    room = width - start
    lines: list[list[tuple[Rating, str]]] = [[]]
    used = 0.0
    for rating in ratings:
        text = fit_width(chip_text(rating), FONT, 8.5, room - 26)
        need = 12 + stringWidth(text, FONT, 8.5) + 14
        if lines[-1] and used + need > room:
            lines.append([])
            used = 0.0
        lines[-1].append((rating, text))
        used += need
    return lines
