"""Tab leaves a date field at once, instead of stepping through its day, month and year first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QScrollArea, QWidget


class DateTabFilter(QObject):
    """Makes Tab and Shift+Tab leave a date field in one press, as they leave every other field.

    Qt's date fields take Tab to move from day to month to year, so a
    keyboard user presses Tab three times to get past one field (and a
    screen reader reads the date three times).  Left and Right still move
    between the parts, Up and Down still change one, and typing works as
    before.  Use :meth:`install`.
    """

    @classmethod
    def install(cls, field: QAbstractSpinBox) -> DateTabFilter:
        """Install on ``field``; the filter lives as long as the field."""
        tab_filter = cls(field)
        field.installEventFilter(tab_filter)
        return tab_filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget):
            assert isinstance(event, QKeyEvent)
            modifiers = event.modifiers()
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not modifiers & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                forward = event.key() == Qt.Key.Key_Tab and not modifiers & Qt.KeyboardModifier.ShiftModifier
                target = _neighbour(watched, forward)
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                    _scroll_to(target)
                    return True
        return super().eventFilter(watched, event)


def _neighbour(field: QWidget, forward: bool) -> QWidget | None:
    """The next (previous) Tab stop in ``field``'s window, outside the field itself."""
    widget = field
    while True:
        widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
        if widget is None or widget is field:
            return None
        if field.isAncestorOf(widget) or widget.isWindow():
            continue
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.isEnabled()
                and widget.focusProxy() is None):
            return widget


def _scroll_to(widget: QWidget) -> None:
    """Bring ``widget`` into view in the scroll area around it, as Tab does (a dialog's fields at 200 %)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None and parent.widget() is not None and parent.widget().isAncestorOf(widget):
        parent.ensureWidgetVisible(widget)
