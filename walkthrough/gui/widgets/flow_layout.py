"""A layout that lines its widgets up left to right and wraps onto more lines when the width runs out.

Filter and tool bars use it so that large text (1.6× or 2× at 1366 px) wraps
a bar onto a second line instead of making the whole window wider than the
screen.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Widgets in reading order, wrapped onto as many lines as the width needs.

    Each line's spare width goes to its widgets with a stretch (as in
    :class:`~PySide6.QtWidgets.QBoxLayout`), in proportion to it, so a
    search box still grows on a wide window.  Items keep their size hints'
    widths otherwise, and never go below their minimum widths.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}
        self._right: set[int] = set()
        self._spacing = spacing
        # Sizes read once per change of the layout: Qt asks heightForWidth many
        # times per pass, and a page of observation editors holds dozens of these.
        self._sizes: list[tuple[QLayoutItem, QSize, QSize]] | None = None
        self._heights: dict[int, int] = {}
        #: The rectangle the items were last placed in (None once anything changed):
        #: Qt sets the same geometry many times while a page is built.
        self._placed_in: QRect | None = None

    # -- building -----------------------------------------------------------------------

    def add_widget(self, widget: QWidget, stretch: int = 0, *, right: bool = False) -> None:
        """Add ``widget`` at the end.

        A ``stretch`` above 0 lets it take spare width on its line; ``right``
        puts it (and what follows it on its line) at the line's right end.
        """
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._stretch[id(item)] = stretch
        if right:
            self._right.add(id(item))
        self._items.append(item)
        self.invalidate()

    def insert_widget(self, index: int, widget: QWidget, stretch: int = 0) -> None:
        """Put ``widget`` at ``index`` in reading order (as QBoxLayout.insertWidget)."""
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._stretch[id(item)] = stretch
        self._items.insert(max(0, min(index, len(self._items))), item)
        self.invalidate()

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._stretch.pop(id(item), None)
            self._right.discard(id(item))
            self.invalidate()
            return item
        return None

    # -- sizes --------------------------------------------------------------------------

    def horizontal_spacing(self) -> int:
        """Space between widgets on a line (the style's, unless given)."""
        if self._spacing >= 0:
            return self._spacing
        return self._style_spacing(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)

    def vertical_spacing(self) -> int:
        """Space between lines (the style's, unless given)."""
        if self._spacing >= 0:
            return self._spacing
        return self._style_spacing(QStyle.PixelMetric.PM_LayoutVerticalSpacing)

    def _style_spacing(self, metric: QStyle.PixelMetric) -> int:
        parent = self.parentWidget()
        if parent is None:
            return 6
        value = parent.style().pixelMetric(metric, None, parent)
        return value if value >= 0 else 6

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

    def invalidate(self) -> None:
        self._sizes = None
        self._heights.clear()
        self._placed_in = None
        super().invalidate()

    def minimumSize(self) -> QSize:
        size = QSize()
        for _, _, least in self._measured():
            size = size.expandedTo(least)
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        # All on one line: what the layout would like; it can always wrap narrower.
        items = self._measured()
        width = sum(hint.width() for _, hint, _ in items) + self.horizontal_spacing() * max(len(items) - 1, 0)
        height = max((hint.height() for _, hint, _ in items), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        if rect != self._placed_in:
            self._arrange(rect, apply=True)
            self._placed_in = QRect(rect)

    # -- arranging ----------------------------------------------------------------------

    def _measured(self) -> list[tuple[QLayoutItem, QSize, QSize]]:
        """The shown items with their size hints and minimum sizes (cached until invalidated)."""
        if self._sizes is None:
            self._sizes = [(i, i.sizeHint(), i.minimumSize()) for i in self._items if not i.isEmpty()]
        return self._sizes

    def _lines(self, width: int) -> list[list[tuple[QLayoutItem, QSize, QSize]]]:
        gap = self.horizontal_spacing()
        lines: list[list[tuple[QLayoutItem, QSize, QSize]]] = []
        line: list[tuple[QLayoutItem, QSize, QSize]] = []
        used = 0
        for entry in self._measured():
            w = entry[1].width()
            if line and used + gap + w > width:
                lines.append(line)
                line, used = [], 0
            used += (gap if line else 0) + w
            line.append(entry)
        if line:
            lines.append(line)
        return lines

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items in ``rect`` (or only measure); returns the height used."""
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap, line_gap = self.horizontal_spacing(), self.vertical_spacing()
        y = inner.y()
        for n, line in enumerate(self._lines(inner.width())):
            widths = [max(hint.width(), least.width()) for _, hint, least in line]
            spare = inner.width() - sum(widths) - gap * (len(line) - 1)
            stretches = [self._stretch.get(id(item), 0) for item, _, _ in line]
            push = 0  # how far right-placed items move
            if spare > 0 and sum(stretches):
                total = sum(stretches)
                widths = [w + spare * s // total for w, s in zip(widths, stretches)]
            elif spare > 0:
                push = spare
            elif spare < 0:
                # One item alone on a line that is still too narrow: shrink it, not below its minimum.
                widths = [max(least.width(), min(w, inner.width())) for (_, _, least), w in zip(line, widths)]
            # An item that wraps itself (a nested FlowLayout, such as the photo strip)
            # needs the height for the width it gets here, not its one-line size hint:
            # otherwise its second line falls outside this line and is clipped.
            heights = [item.heightForWidth(w) if item.hasHeightForWidth() else hint.height()
                       for (item, hint, _), w in zip(line, widths)]
            heights = [h if h >= 0 else hint.height() for h, (_, hint, _) in zip(heights, line)]
            height = max(heights)
            if n:
                y += line_gap
            if apply:
                x = inner.x()
                for (item, _, _), w, wanted in zip(line, widths, heights):
                    if push and id(item) in self._right:
                        x, push = x + push, 0
                    tall = item.expandingDirections() & Qt.Orientation.Vertical
                    h = height if tall else min(wanted, height)
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                    x += w + gap
            y += height
        return y - rect.y() + m.bottom()
