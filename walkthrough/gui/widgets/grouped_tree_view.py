"""A tree of items under group headings that the keyboard passes over, as a list of the items alone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

_Index = QModelIndex | QPersistentModelIndex
_Move = QAbstractItemView.CursorAction


class GroupedTreeView(QTreeView):
    """A tree whose heading rows (those the model does not let be selected) are never current.

    The arrow keys, Page Up/Down, Home and End and typing a name go from item
    to item, straight over the headings between them: Down from a group's
    last item is the next group's first item.  A click on a heading opens or
    closes its group (the only thing a heading does) without moving the
    current item; and should the current item ever become a heading (its
    row was removed), the nearest item takes its place.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fixing = False
        self._after_removal = QPersistentModelIndex()  # where the current item goes when its rows are removed

    def setModel(self, model) -> None:  # noqa: ANN001, N802 - Qt's signature
        super().setModel(model)
        self.selectionModel().currentChanged.connect(self._current_changed)
        if model is not None:  # connected after the view's own handling, so this runs after it
            model.rowsRemoved.connect(self._rows_removed)

    def is_heading(self, index: _Index) -> bool:
        """True for a heading row: a valid index the model does not let be selected."""
        return index.isValid() and not index.flags() & Qt.ItemFlag.ItemIsSelectable

    # -- Qt ------------------------------------------------------------------------------------

    def moveCursor(self, cursorAction: _Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:  # noqa: N802, N803
        current = self.currentIndex()
        index = super().moveCursor(cursorAction, modifiers)
        if not self.is_heading(index):
            return index
        if cursorAction in (_Move.MoveLeft, _Move.MoveRight):
            return current if current.isValid() and not self.is_heading(current) else self._nearest(index)
        down = cursorAction in (_Move.MoveDown, _Move.MoveNext, _Move.MovePageDown, _Move.MoveHome)
        found = self._item_from(index, down)
        if found.isValid():
            return found
        if cursorAction in (_Move.MoveDown, _Move.MoveUp, _Move.MoveNext, _Move.MovePrevious) \
                and current.isValid() and not self.is_heading(current):
            return current  # no item further that way: stay
        return self._item_from(index, not down)

    def rowsAboutToBeRemoved(self, parent: _Index, start: int, end: int) -> None:  # noqa: N802 - Qt's name
        current = self.currentIndex()
        self._after_removal = QPersistentModelIndex()
        if _inside(current, parent, start, end):
            # The next item that stays (below, else above): after deleting an action,
            # the keyboard is on its neighbour, even when its whole group goes.
            for step in (self.indexBelow, self.indexAbove):
                index = step(current)
                while index.isValid() and (self.is_heading(index) or _inside(index, parent, start, end)):
                    index = step(index)
                if index.isValid():
                    self._after_removal = QPersistentModelIndex(index)
                    break
        super().rowsAboutToBeRemoved(parent, start, end)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt's name
        super().keyboardSearch(search)
        if self.is_heading(self.currentIndex()):
            self._leave_heading()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        index = self.indexAt(event.position().toPoint())
        if self.is_heading(index):
            self._toggle(index)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        index = self.indexAt(event.position().toPoint())
        if self.is_heading(index):
            self._toggle(index)  # the double click's second press
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # -- internals ---------------------------------------------------------------------------

    def _toggle(self, index: _Index) -> None:
        heading = index.siblingAtColumn(0)
        self.setExpanded(heading, not self.isExpanded(heading))

    def _item_from(self, index: QModelIndex, down: bool) -> QModelIndex:
        """The first shown item (not a heading) from ``index`` on, downwards or upwards; invalid if none."""
        step = self.indexBelow if down else self.indexAbove
        while index.isValid() and self.is_heading(index):
            index = step(index)
        return index.siblingAtColumn(self.currentIndex().column()) \
            if index.isValid() and self.currentIndex().isValid() else index

    def _nearest(self, index: QModelIndex) -> QModelIndex:
        found = self._item_from(index, True)
        return found if found.isValid() else self._item_from(index, False)

    def _rows_removed(self) -> None:
        target, self._after_removal = self._after_removal, QPersistentModelIndex()
        current = self.currentIndex()
        if target.isValid() and (not current.isValid() or self.is_heading(current)):
            self.setCurrentIndex(QModelIndex(target))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.is_heading(current) and not self._fixing:
            # Not now: the change may be in the middle of the model removing rows.
            QTimer.singleShot(0, self._leave_heading)

    def _leave_heading(self) -> None:
        current = self.currentIndex()
        if not self.is_heading(current):
            return
        item = self._nearest(current)
        self._fixing = True
        try:
            if item.isValid():
                self.setCurrentIndex(item)
            else:  # nothing but headings (every group closed): no current item
                self.selectionModel().clearCurrentIndex()
        finally:
            self._fixing = False


def _inside(index: _Index, parent: _Index, start: int, end: int) -> bool:
    """True when ``index`` is one of ``parent``'s rows ``start`` to ``end``, or inside one."""
    while index.isValid():
        if index.parent() == parent and start <= index.row() <= end:
            return True
        index = index.parent()
    return False
