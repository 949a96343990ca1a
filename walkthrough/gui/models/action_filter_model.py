"""Filtering and sorting of the improvement plan for the plan page."""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from walkthrough.domain.vocabulary import ActionStatus, Priority
from walkthrough.domain.records import ActionRecord
from walkthrough.gui.models.action_table_model import ActionColumn, ActionTableModel

_Index = QModelIndex | QPersistentModelIndex

#: Component filter value meaning "actions with no component".
NO_COMPONENT = ""


class ActionFilterModel(QSortFilterProxyModel):
    """Shows the actions of an :class:`ActionTableModel` that pass every filter set.

    Filters (each off by default): statuses, priorities, one component (or
    :data:`NO_COMPONENT`), quick wins only, and search text (every word must
    appear in the action's text, owner, component or principles; case is
    ignored).  Filtering is recursive: a component group shows only while
    any of its actions passes, so a group with no actions (or none that
    match the filters) is hidden rather than filling the page with "(0)"
    rows; it appears again with its first action.

    Sorting uses :attr:`ActionTableModel.SortRole`.  Component groups always
    keep lens order, and actions without a value (no due date, no owner) stay
    last whichever way a column is sorted.  Unsorted (column -1), rows keep
    plan order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._statuses: frozenset[ActionStatus] | None = None
        self._priorities: frozenset[Priority] | None = None
        self._component: str | None = None
        self._quick_wins_only = False
        self._words: tuple[str, ...] = ()
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)
        self.setSortRole(ActionTableModel.SortRole)

    # -- filters ----------------------------------------------------------------------------

    def set_status_filter(self, statuses: Collection[ActionStatus | str] | None) -> None:
        """Show only actions with one of these statuses (``None``: any status)."""
        value = None if statuses is None else frozenset(ActionStatus(s) for s in statuses)
        if value != self._statuses:
            self._change_filter(lambda: setattr(self, "_statuses", value))

    def set_priority_filter(self, priorities: Collection[Priority | str] | None) -> None:
        """Show only actions with one of these priorities (``None``: any priority)."""
        value = None if priorities is None else frozenset(Priority(p) for p in priorities)
        if value != self._priorities:
            self._change_filter(lambda: setattr(self, "_priorities", value))

    def set_component_filter(self, component_id: str | None) -> None:
        """Show only one component's actions (:data:`NO_COMPONENT` for none; ``None``: all)."""
        if component_id != self._component:
            self._change_filter(lambda: setattr(self, "_component", component_id))

    def set_quick_wins_only(self, on: bool) -> None:
        """Show only quick wins (see :func:`~walkthrough.gui.models.action_table_model.is_quick_win`)."""
        if on != self._quick_wins_only:
            self._change_filter(lambda: setattr(self, "_quick_wins_only", on))

    def set_search_text(self, text: str) -> None:
        """Show only actions whose text, owner, component or principles contain every word of ``text``."""
        words = tuple(text.casefold().split())
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))

    def clear_filters(self) -> None:
        """Turn every filter off."""
        def clear() -> None:
            self._statuses = self._priorities = self._component = None
            self._quick_wins_only = False
            self._words = ()

        self._change_filter(clear)

    def is_filtering(self) -> bool:
        """True when any filter is set."""
        return bool(
            self._statuses is not None
            or self._priorities is not None
            or self._component is not None
            or self._quick_wins_only
            or self._words
        )

    # -- QSortFilterProxyModel --------------------------------------------------------------

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(ActionTableModel.IsGroupRole):
            # Never for itself: recursive filtering shows a group for its shown actions.
            return False
        record = index.data(ActionTableModel.ActionRole)
        if not isinstance(record, ActionRecord):
            return False
        if self._statuses is not None and ActionStatus(record.status) not in self._statuses:
            return False
        if self._priorities is not None and Priority(record.priority) not in self._priorities:
            return False
        if self._component is not None and (record.component_id or NO_COMPONENT) != self._component:
            return False
        if self._quick_wins_only and not index.data(ActionTableModel.QuickWinRole):
            return False
        if self._words:
            haystack = self._haystack(index, record)
            return all(word in haystack for word in self._words)
        return True

    def lessThan(self, left: _Index, right: _Index) -> bool:
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if left.data(ActionTableModel.IsGroupRole) or right.data(ActionTableModel.IsGroupRole):
            # Groups keep lens order whichever way the view sorts (the view
            # reverses descending comparisons, so answer the other way round).
            a, b = left.data(ActionTableModel.SortRole), right.data(ActionTableModel.SortRole)
            return bool(a < b) if ascending else bool(a > b)
        a, b = left.data(ActionTableModel.SortRole), right.data(ActionTableModel.SortRole)
        if a is None or b is None:
            if a is None and b is None:
                return self._plan_order(left) < self._plan_order(right)
            # "No value" stays last: it is never less when ascending, always when descending.
            return (b is None) if ascending else (a is None)
        if a == b:
            first, second = self._plan_order(left), self._plan_order(right)
            return first < second if ascending else first > second
        return bool(a < b)

    # -- internals -------------------------------------------------------------------------

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.9+ prefers the begin/end pair; invalidateFilter() works everywhere.
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    @staticmethod
    def _plan_order(index: _Index) -> int:
        record = index.data(ActionTableModel.ActionRole)
        return record.position if isinstance(record, ActionRecord) else index.row()

    @staticmethod
    def _haystack(index: _Index, record: ActionRecord) -> str:
        parts = [record.text, record.owner]
        for column in (ActionColumn.COMPONENT, ActionColumn.PRINCIPLES):
            parts.append(str(index.siblingAtColumn(column).data(Qt.ItemDataRole.DisplayRole) or ""))
        return " ".join(parts).casefold()
