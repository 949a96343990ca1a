"""A horizontal stacked bar chart of findings per principle, drawn with QPainter.

Each bar is one principle; each segment one rating, in the lens's colour
and labelled with its count (and the rating's symbol when it fits), so the
chart can be read without telling colours apart.  A legend below pairs each
symbol and colour with the rating's word.  Sizes come from the widget's font,
so the chart grows with large-text settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QEvent, QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from walkthrough.gui.models.principle_summary_model import PrincipleSummaryModel


@dataclass(frozen=True)
class _Segment:
    row: int
    column: int
    count: int
    rect: QRectF
    label: str
    fill: QColor
    text: QColor


@dataclass(frozen=True)
class _LegendItem:
    swatch: QRectF
    text_at: QRectF
    text: str
    fill: QColor
    symbol_colour: QColor
    symbol: str


class PrincipleChart(QWidget):
    """Stacked bars, one per principle, painted from a :class:`PrincipleSummaryModel`.

    The chart repaints whenever the model changes.  Its accessible
    description spells out every count in words.
    """

    def __init__(self, model: PrincipleSummaryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setAccessibleName(self.tr("Findings by principle chart"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(False)
        # Layouts by width: a layout pass asks heightForWidth many times, and
        # each lay-out fits the labels by trial. Cleared when anything it
        # depends on changes.
        self._layouts: dict[float, tuple[list[_Segment], list[_LegendItem], float]] = {}
        for signal in (
            model.dataChanged,
            model.headerDataChanged,
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.columnsInserted,
            model.columnsRemoved,
        ):
            signal.connect(self._model_changed)
        self._update_description()

    @property
    def model(self) -> QAbstractItemModel:
        """The summary model painted."""
        return self._model

    # -- size ---------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        _, _, height = self._layout(float(width))
        return int(height + 0.999)

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        width = fm.averageCharWidth() * 48
        return QSize(int(width), self.heightForWidth(int(width)))

    def minimumSizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        width = fm.averageCharWidth() * 28
        return QSize(int(width), int(fm.height() * 3))

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        segments, legend, _ = self._layout(float(self.width()))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        separator = palette.color(QPalette.ColorRole.Window)
        fm = QFontMetricsF(self.font())
        bold = self.font()
        bold.setBold(True)

        for name_rect, name, total_rect, total in self._row_labels(float(self.width())):
            painter.setPen(text_colour)
            painter.setFont(self.font())
            painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
            if total:
                painter.setFont(bold)
                painter.drawText(total_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), str(total))
            else:
                painter.setPen(muted)
                painter.drawText(total_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 self.tr("no findings"))

        painter.setFont(self.font())
        for seg in segments:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(seg.fill)
            painter.drawRect(seg.rect)
            painter.setPen(seg.text)
            painter.drawText(seg.rect, int(Qt.AlignmentFlag.AlignCenter), seg.label)
        # Thin gaps in the window colour between segments, so neighbours never merge.
        painter.setPen(QPen(separator, max(1.0, fm.height() / 12)))
        for seg in segments:
            if seg.rect.left() > 0:
                painter.drawLine(seg.rect.topLeft(), seg.rect.bottomLeft())

        for item in legend:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(item.fill)
            painter.drawRoundedRect(item.swatch, 3, 3)
            painter.setPen(item.symbol_colour)
            painter.drawText(item.swatch, int(Qt.AlignmentFlag.AlignCenter), item.symbol)
            painter.setPen(text_colour)
            painter.drawText(item.text_at, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), item.text)
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            segments, _, _ = self._layout(float(self.width()))
            for seg in segments:
                if seg.rect.contains(QPointF(event.pos())):
                    tip = self._model.index(seg.row, seg.column).data(Qt.ItemDataRole.ToolTipRole)
                    QToolTip.showText(event.globalPos(), tip or "", self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    # -- geometry ------------------------------------------------------------------------

    def _rating_columns(self) -> list[int]:
        m = self._model
        return [
            c for c in range(m.columnCount())
            if m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.RatingIdRole) is not None
            # "Not rated yet" in the key only while some are.
            and (c != m.not_rated_column or m.any_not_rated())
        ]

    def _metrics(self, width: float) -> tuple[float, float, float, float, float, float]:
        """(margin, row height, gap, name width, total width, bar width)."""
        fm = QFontMetricsF(self.font())
        m = self._model
        margin = fm.height() * 0.25
        row_h = fm.height() * 1.7
        gap = fm.height() * 0.45
        names = [str(m.headerData(r, Qt.Orientation.Vertical) or "") for r in range(m.rowCount())]
        name_w = max((fm.horizontalAdvance(n) for n in names), default=0.0) + fm.height() * 0.6
        total_w = max(fm.horizontalAdvance("0000"), fm.horizontalAdvance(self.tr("no findings"))) + fm.height() * 0.4
        bar_w = max(fm.height() * 3, width - 2 * margin - name_w - total_w)
        return margin, row_h, gap, name_w, total_w, bar_w

    def _row_labels(self, width: float) -> list[tuple[QRectF, str, QRectF, int]]:
        margin, row_h, gap, name_w, _, bar_w = self._metrics(width)
        m = self._model
        total_column = m.columnCount() - 1
        out = []
        widths = self._bar_widths(width)
        for r in range(m.rowCount()):
            top = margin + r * (row_h + gap)
            name = str(m.headerData(r, Qt.Orientation.Vertical) or "")
            total = int(m.index(r, total_column).data() or 0)
            used = sum(w for _, w, _ in widths[r])
            fm = QFontMetricsF(self.font())
            total_left = margin + name_w + used + fm.height() * 0.3
            out.append((
                QRectF(margin, top, name_w, row_h),
                name,
                QRectF(total_left, top, width - total_left, row_h),
                total,
            ))
        return out

    def _bar_widths(self, width: float) -> list[list[tuple[int, float, str]]]:
        """Per row: (column, width, label) of each non-empty segment.

        Segments are proportional to their count, but never narrower than their
        label: the numbers must always be readable, so a tiny count gets a
        little more room than strict proportion would give it.
        """
        _, _, _, _, _, bar_w = self._metrics(width)
        fm = QFontMetricsF(self.font())
        pad = fm.height() * 0.3
        m = self._model
        columns = self._rating_columns()
        symbols = {c: str(m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.SymbolRole) or "")
                   for c in columns}
        # (column, count, long label, its width, short label, its width): labels are
        # measured once here, not on every try of the fitting loop below.
        rows: list[list[tuple[int, int, str, float, str, float]]] = []
        biggest = 0
        for r in range(m.rowCount()):
            row = []
            total = 0
            for c in columns:
                count = int(m.index(r, c).data() or 0)
                if count:
                    long_label, short_label = f"{symbols[c]} {count}".strip(), str(count)
                    row.append((c, count, long_label, fm.horizontalAdvance(long_label) + pad,
                                short_label, fm.horizontalAdvance(short_label) + pad))
                    total += count
            rows.append(row)
            biggest = max(biggest, total)
        if biggest == 0:
            return [[] for _ in rows]

        def widths(unit: float, long_labels: bool) -> list[list[tuple[int, float, str]]]:
            out = []
            for row in rows:
                items = []
                for c, count, long_label, long_w, short_label, short_w in row:
                    label, label_w = (long_label, long_w) if long_labels else (short_label, short_w)
                    items.append((c, max(count * unit, label_w), label))
                out.append(items)
            return out

        unit = bar_w / biggest
        for long_labels in (True, False):
            for _ in range(40):
                result = widths(unit, long_labels)
                if all(sum(w for _, w, _ in row) <= bar_w + 0.5 for row in result):
                    return result
                unit *= 0.9
            unit = bar_w / biggest
        return widths(0.0, False)  # labels only: still every number shown

    def _layout(self, width: float) -> tuple[list[_Segment], list[_LegendItem], float]:
        cached = self._layouts.get(width)
        if cached is None:
            if len(self._layouts) > 16:
                self._layouts.clear()
            cached = self._layouts[width] = self._lay_out(width)
        return cached

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.LayoutDirectionChange):
            self._layouts.clear()
        super().changeEvent(event)

    def _lay_out(self, width: float) -> tuple[list[_Segment], list[_LegendItem], float]:
        margin, row_h, gap, name_w, _, _ = self._metrics(width)
        fm = QFontMetricsF(self.font())
        m = self._model
        segments: list[_Segment] = []
        for r, row in enumerate(self._bar_widths(width)):
            top = margin + r * (row_h + gap)
            left = margin + name_w
            for c, w, label in row:
                fill = m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.ChipColourRole)
                text = m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.ChipTextColourRole)
                segments.append(_Segment(
                    row=r, column=c, count=int(m.index(r, c).data() or 0),
                    rect=QRectF(left, top, w, row_h), label=label,
                    fill=QColor(fill) if fill is not None else self.palette().color(QPalette.ColorRole.Mid),
                    text=QColor(text) if text is not None else self.palette().color(QPalette.ColorRole.Text),
                ))
                left += w
        y = margin + m.rowCount() * (row_h + gap) + gap * 0.5

        # The legend flows onto as many lines as the width needs.
        legend: list[_LegendItem] = []
        swatch = fm.height() * 1.3
        line_h = swatch + gap * 0.6
        x = margin
        for c in self._rating_columns():
            text = str(m.headerData(c, Qt.Orientation.Horizontal) or "")
            symbol = str(m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.SymbolRole) or "")
            word = text[len(symbol):].strip() if text.startswith(symbol) else text
            item_w = swatch + fm.height() * 0.4 + fm.horizontalAdvance(word) + fm.height()
            if x > margin and x + item_w > width - margin:
                x = margin
                y += line_h
            fill = m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.ChipColourRole)
            fore = m.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.ChipTextColourRole)
            legend.append(_LegendItem(
                swatch=QRectF(x, y, swatch, swatch),
                text_at=QRectF(x + swatch + fm.height() * 0.4, y, fm.horizontalAdvance(word) + 2, swatch),
                text=word,
                fill=QColor(fill) if fill is not None else QColor(Qt.GlobalColor.gray),
                symbol_colour=QColor(fore) if fore is not None else QColor(Qt.GlobalColor.black),
                symbol=symbol,
            ))
            x += item_w
        height = y + (line_h if legend else 0) + margin
        return segments, legend, height

    # -- keeping up with the model -----------------------------------------------------

    @Slot()
    def _model_changed(self, *_args: object) -> None:
        self._layouts.clear()
        self._update_description()
        self.updateGeometry()
        self.update()

    def _update_description(self) -> None:
        m = self._model
        columns = self._rating_columns()
        parts = []
        for r in range(m.rowCount()):
            name = str(m.headerData(r, Qt.Orientation.Vertical) or "")
            counts = []
            for c in columns:
                count = int(m.index(r, c).data() or 0)
                if count:
                    label = str(m.headerData(c, Qt.Orientation.Horizontal) or "")
                    counts.append(f"{count} {label}")
            parts.append(f"{name}: {', '.join(counts) if counts else self.tr('no findings')}")
        self.setAccessibleDescription("; ".join(parts))

    def description(self) -> str:
        """The chart in words (its accessible description)."""
        return self.accessibleDescription()

    def segment_labels(self) -> list[list[str]]:
        """The label drawn on each bar segment, per principle (what a reader sees)."""
        return [[label for _, _, label in row] for row in self._bar_widths(float(max(self.width(), 1)))]
