"""A rating shown as a small rounded label: the lens colour, its symbol and its word.

The word is always printed, so the rating never depends on colour alone; the
text is white or near-black, whichever reads better on the lens colour.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from walkthrough.domain.lens import Rating
from walkthrough.report.styles import FONT_BOLD, TEXT, WHITE
from walkthrough.report.text_markup import one_line

_SIZE = 8.5
_LEADING = 10.5
_PAD_X = 5
_PAD_Y = 2.5


def _luminance(colour: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red) + 0.7152 * channel(colour.green) + 0.0722 * channel(colour.blue)


def text_colour_on(fill: colors.Color) -> colors.Color:
    """White or the body text colour, whichever has more contrast on ``fill`` (WCAG formula)."""
    lum = _luminance(fill)
    on_white = (1.05) / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(TEXT) + 0.05)
    return WHITE if on_white >= on_dark else TEXT


def chip_text(rating: Rating) -> str:
    """``✓ Working well``: symbol and label on one line."""
    symbol, label = one_line(rating.symbol), one_line(rating.label)
    return f"{symbol} {label}" if symbol else label


class RatingChip(Flowable):
    """A rounded label; wraps onto more lines only when the column is too narrow."""

    def __init__(self, rating: Rating) -> None:
        super().__init__()
        self.fill = colors.HexColor(rating.colour)
        self.ink = text_colour_on(self.fill)
        self.text = chip_text(rating)
        self._lines: list[str] = [self.text]

    def natural_width(self) -> float:
        """Width on one line, padding included."""
        return stringWidth(self.text, FONT_BOLD, _SIZE) + 2 * _PAD_X

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        inner = max(availWidth - 2 * _PAD_X, 20)
        self._lines = _wrap(self.text, inner)
        text_width = max(stringWidth(line, FONT_BOLD, _SIZE) for line in self._lines)
        self.width = min(text_width + 2 * _PAD_X, max(availWidth, 20 + 2 * _PAD_X))
        self.height = len(self._lines) * _LEADING + 2 * _PAD_Y
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.fill)
        canvas.setStrokeColor(self.fill)
        canvas.roundRect(0, 0, self.width, self.height, radius=min(4, self.height / 2), stroke=0, fill=1)
        canvas.setFillColor(self.ink)
        canvas.setFont(FONT_BOLD, _SIZE)
        y = self.height - _PAD_Y - _SIZE
        for line in self._lines:
            canvas.drawString(_PAD_X, y + 0.5, line)
            y -= _LEADING
        canvas.restoreState()


def _wrap(text: str, width: float) -> list[str]:
    """Greedy word wrap; a word wider than ``width`` is broken between characters."""

    def fits(s: str) -> bool:
        return stringWidth(s, FONT_BOLD, _SIZE) <= width

    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not fits(word) and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines
