"""Dialogs that fit the screen, however large the text.

At 200 % scaling a 1366 × 768 screen is 683 × 384 logical pixels: a dialog
laid out for 768 pixels would run off the bottom, its OK button out of
reach.  A dialog's fields go into a :class:`ScrollingBody` (which scrolls
only when it must, and brings the focused field into view as Tab moves),
the buttons stay below it, always visible, and :func:`fit_to_screen` sizes
the dialog to what it would like, within the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class ScrollingBody(QScrollArea):
    """A frameless scroll area around a dialog's fields; it asks for the room its fields would like."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Tab goes through the fields inside; the area itself shows no focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(body)

    def sizeHint(self) -> QSize:
        # Qt caps a scroll area's wish at 24 lines; this one wants its whole body (fit_to_screen limits it).
        body = self.widget()
        if body is None:
            return super().sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return body.sizeHint() + QSize(bar, 0)

    def minimumSizeHint(self) -> QSize:
        # A few lines of fields at least; the rest scrolls.
        line = self.fontMetrics().height()
        body = self.widget()
        width = body.minimumSizeHint().width() if body is not None else line * 10
        return QSize(min(width, line * 16), line * 4)


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Resize ``window`` to ``preferred`` (default: its size hint), kept within its screen's free area.

    Room is left for the window's title bar, which the window's own size does not include.
    """
    size = preferred if preferred is not None else window.sizeHint()
    host = window.parentWidget() or window
    screen = host.screen()
    if screen is None:
        window.resize(size)
        return
    free = screen.availableGeometry()
    title_bar = window.fontMetrics().height() * 2
    width = min(size.width(), free.width() - 8)
    height = min(size.height(), free.height() - title_bar)
    window.resize(max(width, 1), max(height, 1))
