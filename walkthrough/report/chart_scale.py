"""The scale of the principle chart, one rule for the PDF's drawing and the HTML's SVG."""

from __future__ import annotations

__all__ = ["tick_step"]

#: Most ticks on the chart's axis.
MAX_TICKS = 8


def tick_step(top: int) -> int:
    """A tick step from 1, 2, 5, 10, 20, 50 … giving at most :data:`MAX_TICKS` ticks up to ``top``."""
    for magnitude in (10**k for k in range(0, 9)):
        for base in (1, 2, 5):
            if top / (base * magnitude) <= MAX_TICKS:
                return base * magnitude
    return 10**9
