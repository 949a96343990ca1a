"""The improvement plan page: the workshop's actions, grouped by core component."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.improvement_plan import plan_at_a_glance
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority
from walkthrough.domain.records import ActionRecord
from walkthrough.gui.models.action_filter_model import NO_COMPONENT, ActionFilterModel
from walkthrough.gui.models.action_table_model import (
    ActionColumn,
    ActionTableModel,
    is_quick_win,
)
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.action_dialog import DATE_FORMAT, ActionDialog
from walkthrough.gui.views.history_dialog import HistoryDialog, make_history_command
from walkthrough.gui.views.progress_dialog import ProgressDialog
from walkthrough.gui.widgets.date_field import DateField
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.widgets.grouped_tree_view import GroupedTreeView
from walkthrough.gui.widgets.read_only_banner import ReadOnlyBanner
from walkthrough.gui.widgets.shared_undo import SharedUndo, share_cell_undo
from walkthrough.services.actions import NewAction

_Index = QModelIndex | QPersistentModelIndex


class PlanPage(QWidget):
    """The improvement plan: actions under the lens's core components, filtered, sorted and edited.

    Everything edits through ``open_walkthrough`` (one undo step per change).
    The page's QActions (:attr:`new_action_act`, :attr:`edit_action_act`,
    :attr:`delete_action_act`, :attr:`group_action`) may also be put in the
    main window's menus; :meth:`new_action` starts an action from findings
    chosen elsewhere (e.g. in Review).

    Keyboard: Ctrl+Shift+N new action; in the list, the arrow keys go from
    action to action over the component headings (a click on a heading
    opens or closes its group), Enter edits the current action in the
    dialog, F2 edits the current cell in place, and Delete removes the
    selected actions (undo puts them back).  Edit and Delete are on whenever
    an action is selected or current; so is History (Ctrl+Shift+H or the
    list's context menu: who changed the action, and when), read-only too,
    and Progress (Ctrl+Shift+U, the button or the context menu: the action's
    progress updates and status history, and a new update).

    Opened read-only (:attr:`read_only`), the list is for reading: New, Edit
    and Delete are off, no cell is editable, and a banner says why.

    The plan is the service's: a walkthrough filed under a service lists the
    actions of all its walks, edited here like this walk's (each recorded
    under the walk it was made in); the Walk column, shown when the plan has
    actions of other walks, gives the date of the walk each came from.
    """

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Improvement plan"))
        self.setObjectName("planPage")
        self._ow = open_walkthrough
        #: Opened read-only: actions can be read, filtered and sorted, not added, edited or removed.
        self.read_only = open_walkthrough.read_only
        self._collapsed: set[str | None] = set()  # groups the user closed, by component id
        self._fitted_for = -1  # number of actions the columns were last sized for

        self.model = ActionTableModel(open_walkthrough, self)
        self.proxy = ActionFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        self._build_layout()
        self._connect()
        self.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._expand_groups()
        self._refresh()

    # -- public -------------------------------------------------------------------------------

    def new_action(self, observation_ids: Iterable[str] = (), dialog_parent: QWidget | None = None) -> str | None:
        """Ask for a new action (linked to ``observation_ids``), add it and select it.

        The dialog opens over ``dialog_parent`` when given (the presentation
        window, which may be full screen), else over this page.
        Returns the new action's id, or None if cancelled, read-only, or it could not be added.
        """
        if self.read_only:
            return None
        result = ActionDialog.ask(dialog_parent or self, self._ow,
                                  preselected_observation_ids=tuple(observation_ids))
        if not isinstance(result, NewAction):
            return None
        action_id = self._ow.add_action(result)
        if action_id is not None:
            self.select_action(action_id)
        return action_id

    def edit_current(self) -> None:
        """Edit the current action in the dialog (else the first selected one; nothing when there is none)."""
        ids = self._target_action_ids()
        if ids:
            self.edit_action(ids[0])

    def edit_action(self, action_id: str) -> None:
        """Edit one action in the dialog; the changes are one undo step (nothing when read-only)."""
        if self.read_only:
            return
        record = next((a for a in self._ow.actions() if a.id == action_id), None)
        if record is None:
            return
        changes = ActionDialog.ask(self, self._ow, action=record)
        if isinstance(changes, dict) and changes:
            self._ow.edit_action(action_id, **changes)
            self.select_action(action_id, reveal=False)  # an edit may take it out of the filter; leave it so

    def delete_selected(self) -> None:
        """Remove the selected actions, or else the current one (one undo step puts them all back).

        Nothing when read-only.
        """
        ids = self.selected_action_ids() or self._target_action_ids()
        if not ids or self.read_only:
            return
        if len(ids) == 1:
            self._ow.delete_action(ids[0])
            return
        stack = self._ow.undo_stack
        stack.beginMacro(self.tr("Delete %n action(s)", "", len(ids)))
        try:
            for action_id in ids:
                self._ow.delete_action(action_id)
        finally:
            stack.endMacro()

    def show_progress(self) -> str | None:
        """Open the current action's progress; add the update written there (one undo step).

        Returns the new update's id, or None (closed without one, read-only, or no action).
        """
        ids = self._target_action_ids()
        if not ids:
            return None
        new = ProgressDialog.ask(self, self._ow, ids[0])
        if new is None or self.read_only:
            return None
        update_id = self._ow.add_progress_update(ids[0], new)
        self.select_action(ids[0], reveal=False)
        return update_id

    def show_history(self) -> None:
        """Open the current action's history (else the first selected one's; nothing when there is none)."""
        ids = self._target_action_ids()
        if ids:
            HistoryDialog.show_for(self.window(), self._ow, ids[0])

    def history_action(self) -> QAction:
        """The "History…" command of the current action (off when there is none)."""
        return self.history_act

    def selected_action_ids(self) -> list[str]:
        """Ids of the selected actions, in the order shown (group rows are ignored)."""
        rows = sorted(self.tree.selectionModel().selectedRows(0), key=self._visual_order)
        ids = [i.data(ActionTableModel.ActionIdRole) for i in rows]
        return [i for i in ids if i]

    def select_action(self, action_id: str, *, reveal: bool = True) -> bool:
        """Make an action current and scroll to it; False if it is not in the list.

        With ``reveal``, filters that hide the action are cleared first.
        """
        source = self.model.index_of_action(action_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid() and reveal and self.proxy.is_filtering():
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index_of_action(action_id))
        if not index.isValid():
            return False
        if index.parent().isValid():
            self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def clear_filters(self) -> None:
        """Show every action again."""
        for combo in (self.status_filter, self.priority_filter, self.component_filter):
            combo.setCurrentIndex(0)
        self.quick_wins_check.setChecked(False)
        self.search_edit.clear()

    # -- building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.new_action_act = QAction(self.tr("&New action…"), self)
        self.new_action_act.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action_act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action_act.setToolTip(self.tr("Add an action to the plan (Ctrl+Shift+N)"))
        self.addAction(self.new_action_act)

        self.edit_action_act = QAction(self.tr("&Edit…"), self)
        self.edit_action_act.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.edit_action_act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action_act.setToolTip(self.tr("Edit the selected action (Enter)"))

        self.delete_action_act = QAction(self.tr("&Delete"), self)
        self.delete_action_act.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action_act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action_act.setToolTip(self.tr("Remove the selected actions (Delete; Undo puts them back)"))

        #: Also when read-only: the history is for reading.
        self.history_act = make_history_command(self, self.tr("Who changed the current action, and when (%1)"))

        #: Also when read-only: the updates and status history are for reading then.
        self.progress_act = QAction(self.tr("Pr&ogress…"), self)
        self.progress_act.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.progress_act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.progress_act.setToolTip(self.tr("The current action's progress updates and status history, "
                                             "and a new update (Ctrl+Shift+U)"))
        self.addAction(self.progress_act)

        self.group_action = QAction(self.tr("Gro&up by component"), self)
        self.group_action.setCheckable(True)
        self.group_action.setChecked(self.model.grouped)

    def _build_layout(self) -> None:
        heading = QLabel(self.tr("Improvement plan"), self)
        heading.setObjectName("pageHeading")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        heading.setAccessibleName(self.tr("Improvement plan"))
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("planSummary")

        self.new_button = self._tool_button(self.new_action_act, self.tr("New action"))
        self.edit_button = self._tool_button(self.edit_action_act, self.tr("Edit action"))
        self.delete_button = self._tool_button(self.delete_action_act, self.tr("Delete action"))
        self.progress_button = self._tool_button(self.progress_act, self.tr("Progress"))
        self.group_check = QCheckBox(self.group_action.text(), self)
        self.group_check.setChecked(self.group_action.isChecked())
        self.group_check.setAccessibleName(self.tr("Group by component"))
        self.group_check.setToolTip(self.tr("Show actions under the core components, or as one list"))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Words in the action, owner, component or principles"))
        self.search_edit.setAccessibleName(self.tr("Search actions"))
        self.search_edit.setClearButtonEnabled(True)
        SharedUndo(self.search_edit, self._ow.undo_stack)  # Ctrl+Z here undoes the last change too
        search_label = QLabel(self.tr("Se&arch:"), self)
        search_label.setBuddy(self.search_edit)
        # Both bars wrap onto more lines rather than widen the page (large text at 1366 px).
        self.button_bar = QWidget(self)
        buttons = FlowLayout(self.button_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        for widget in (self.new_button, self.edit_button, self.delete_button, self.progress_button):
            buttons.add_widget(widget)
        self.group_check.setContentsMargins(self.fontMetrics().averageCharWidth() * 2, 0, 0, 0)
        buttons.add_widget(self.group_check, 1)
        self.search_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        buttons.add_widget(_pair(search_label, self.search_edit), 2)

        self.status_filter = self._filter_combo(self.tr("Status filter"), [
            (self.tr("All statuses"), None),
            (self.tr("Not done"), (ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value)),
            (self.tr("Not started"), (ActionStatus.NOT_STARTED.value,)),
            (self.tr("In progress"), (ActionStatus.IN_PROGRESS.value,)),
            (self.tr("Done"), (ActionStatus.DONE.value,)),
        ])
        self.priority_filter = self._filter_combo(self.tr("Priority filter"), [
            (self.tr("All priorities"), None),
            (self.tr("High"), (Priority.HIGH.value,)),
            (self.tr("Medium"), (Priority.MEDIUM.value,)),
            (self.tr("Low"), (Priority.LOW.value,)),
        ])
        self.component_filter = self._filter_combo(self.tr("Component filter"), [
            (self.tr("All components"), None),
            *((c.name, c.id) for c in self._ow.lens.components),
            (self.tr("No component"), NO_COMPONENT),
        ])
        self.quick_wins_check = QCheckBox(self.tr("&Quick wins only (★)"), self)
        self.quick_wins_check.setAccessibleName(self.tr("Quick wins only"))
        self.quick_wins_check.setToolTip(self.model.quick_win_definition())
        self.filter_bar = QWidget(self)
        filters = FlowLayout(self.filter_bar)
        filters.setContentsMargins(0, 0, 0, 0)
        # Alt+letters here steer clear of the main window's menus and tabs (F, E, G, H, W, R, P).
        for text, combo in ((self.tr("S&tatus:"), self.status_filter), (self.tr("Pr&iority:"), self.priority_filter),
                            (self.tr("&Component:"), self.component_filter)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            filters.add_widget(_pair(label, combo))
        filters.add_widget(self.quick_wins_check)

        self.tree = GroupedTreeView(self)
        self.tree.setObjectName("actionTree")
        self.tree.setAccessibleName(self.tr("Improvement plan actions"))
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.header().setSortIndicatorClearable(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        # Long actions, owners and principles wrap onto more lines instead of being cut with "…".
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        # By pixel: a row taller than the list (large text) can still be read to its end.
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.SelectedClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self._row_widths = _RowWidths()
        row_delegate = _RowDelegate(self.tree)
        row_delegate.undo_stack = self._ow.undo_stack  # a cell's Ctrl+Z saves it, then undoes that
        self.tree.setItemDelegate(row_delegate)
        self._choice_delegate = _ChoiceDelegate(self.tree)
        self._due_delegate = _DueDateDelegate(self.tree)
        for delegate in (row_delegate, self._choice_delegate, self._due_delegate):
            delegate.widths = self._row_widths
        for column in (ActionColumn.COMPONENT, ActionColumn.PRIORITY, ActionColumn.STATUS, ActionColumn.ON_TRACK):
            self.tree.setItemDelegateForColumn(column, self._choice_delegate)
        self.tree.setItemDelegateForColumn(ActionColumn.DUE, self._due_delegate)
        self.tree.addAction(self.edit_action_act)
        self.tree.addAction(self.delete_action_act)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Row heights follow the column widths: laid out again once after they change, not on every paint.
        self._relayout_rows = QTimer(self)
        self._relayout_rows.setSingleShot(True)
        self._relayout_rows.setInterval(0)
        self._relayout_rows.timeout.connect(self.tree.doItemsLayout)
        header.sectionResized.connect(self._note_column_widths)
        header.sectionResized.connect(self._relayout_rows.start)
        self.tree.viewport().installEventFilter(self)
        # Grouped, the group row already names the component.
        self.tree.setColumnHidden(ActionColumn.COMPONENT, self.model.grouped)
        self.tree.setRootIsDecorated(self.model.grouped)

        self.empty_state = QWidget(self)
        self.empty_state.setObjectName("emptyState")
        empty_layout = QVBoxLayout(self.empty_state)
        self.empty_label = QLabel(self.tr("No actions yet. Create one from a finding in Review, or with New action."),
                                  self.empty_state)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_new_button = QPushButton(self.tr("New action…"), self.empty_state)
        self.empty_new_button.setAccessibleName(self.tr("New action"))
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)
        self.no_match = QWidget(self)
        no_match_layout = QVBoxLayout(self.no_match)
        self.no_match_label = QLabel(self.tr("No actions match these filters."), self.no_match)
        self.no_match_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match_label.setWordWrap(True)
        self.clear_filters_button = QPushButton(self.tr("Clear filters"), self.no_match)
        self.clear_filters_button.setAccessibleName(self.tr("Clear filters"))
        no_match_layout.addStretch(1)
        no_match_layout.addWidget(self.no_match_label)
        no_match_layout.addWidget(self.clear_filters_button, 0, Qt.AlignmentFlag.AlignHCenter)
        no_match_layout.addStretch(1)

        # The star, explained where it is shown (not only in a tooltip).
        self.legend_label = QLabel(self.tr("★ %1").replace("%1", self.model.quick_win_definition()), self)
        self.legend_label.setObjectName("quickWinLegend")
        self.legend_label.setWordWrap(True)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.no_match)

        self.read_only_banner = ReadOnlyBanner(self.read_only, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.button_bar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend_label)

    def _tool_button(self, action: QAction, accessible_name: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setAccessibleName(accessible_name)
        return button

    def _filter_combo(self, accessible_name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible_name)
        if max(len(text) for text, _ in items) > 2 * len(items[0][0]):
            # Long choices (component names) elide rather than widen the row past the screen.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(len(items[0][0]))
        else:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, data in items:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(self._apply_filters)
        return combo

    def _connect(self) -> None:
        self.new_action_act.triggered.connect(lambda: self.new_action())
        self.edit_action_act.triggered.connect(self.edit_current)
        self.delete_action_act.triggered.connect(self.delete_selected)
        self.history_act.triggered.connect(self.show_history)
        self.progress_act.triggered.connect(lambda: self.show_progress())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.group_action.toggled.connect(self._set_grouped)
        self.group_check.toggled.connect(self.group_action.setChecked)
        self.quick_wins_check.toggled.connect(self._apply_filters)
        self.search_edit.textChanged.connect(self._apply_filters)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.empty_new_button.clicked.connect(lambda: self.new_action())
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.expanded.connect(lambda i: self._collapsed.discard(i.data(ActionTableModel.ComponentIdRole)))
        self.tree.collapsed.connect(lambda i: self._collapsed.add(i.data(ActionTableModel.ComponentIdRole)))
        self.tree.selectionModel().selectionChanged.connect(self._update_buttons)
        self.tree.selectionModel().currentChanged.connect(self._update_buttons)
        self.proxy.modelReset.connect(self._expand_groups)
        self.proxy.rowsInserted.connect(self._rows_inserted)
        self.proxy.layoutChanged.connect(self._expand_groups)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._refresh)
        self._ow.changed.connect(self._walkthrough_changed)

    # -- reacting -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _note_column_widths(self) -> None:
        """Tell the delegates the width each column wraps its text to (see :class:`_RowWidths`)."""
        header = self.tree.header()
        widths = self._row_widths
        widths.by_column = {column: header.sectionSize(column) for column in range(header.count())}
        widths.tree_column = max(self.tree.treePosition(), 0)
        widths.indentation = self.tree.indentation()
        widths.decorated = self.tree.rootIsDecorated()

    def _fit_columns(self) -> None:
        """Size the columns to their contents, long ones capped, and give the action text the rest.

        Not QHeaderView's Stretch: with large text that squeezes the action text to
        nothing.  When everything does not fit (large text at 1366 px), the widest
        columns give way first, down to about a word each, so the list does not
        scroll sideways; the tooltips hold the whole text.
        """
        header = self.tree.header()
        char = self.fontMetrics().averageCharWidth()
        capped = {ActionColumn.COMPONENT, ActionColumn.PRINCIPLES, ActionColumn.OWNER}
        widths: dict[ActionColumn, int] = {}
        for column in ActionColumn:
            if column == ActionColumn.TEXT or self.tree.isColumnHidden(column):
                continue
            width = max(self.tree.sizeHintForColumn(column), header.sectionSizeHint(column))
            if column in capped:
                width = min(width, char * 24)
            widths[column] = width
        available = self.tree.viewport().width()
        room = available - char * TEXT_LEAST_CHARS
        if sum(widths.values()) > room:
            widths = _cap_widths(widths, room, floor=char * 8)
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.resizeSection(ActionColumn.TEXT, max(available - sum(widths.values()), char * TEXT_LEAST_CHARS))
        self._note_column_widths()  # (also when no width changed but the tree's decoration did)

    def _set_grouped(self, grouped: bool) -> None:
        self.group_check.setChecked(grouped)
        current = self.tree.currentIndex().data(ActionTableModel.ActionIdRole)
        self.model.set_grouped(grouped)
        self.tree.setColumnHidden(ActionColumn.COMPONENT, grouped)
        self.tree.setRootIsDecorated(grouped)
        self._fit_columns()
        if current:
            self.select_action(current, reveal=False)

    def _apply_filters(self) -> None:
        self.proxy.set_status_filter(self.status_filter.currentData())
        self.proxy.set_priority_filter(self.priority_filter.currentData())
        self.proxy.set_component_filter(self.component_filter.currentData())
        self.proxy.set_quick_wins_only(self.quick_wins_check.isChecked())
        self.proxy.set_search_text(self.search_edit.text())
        self._expand_groups()
        self._refresh()

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        for row in range(first, last + 1):
            index = self.proxy.index(row, 0)
            if index.data(ActionTableModel.IsGroupRole) and index.data(ActionTableModel.ComponentIdRole) \
                    not in self._collapsed:
                self.tree.expand(index)

    def _expand_groups(self) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ActionTableModel.IsGroupRole):
                self.tree.setExpanded(index, index.data(ActionTableModel.ComponentIdRole) not in self._collapsed)

    def _double_clicked(self, index: QModelIndex) -> None:
        # Editable cells open their in-place editor; the others open the dialog (not when read-only).
        if self.read_only or index.data(ActionTableModel.IsGroupRole) or index.flags() & Qt.ItemFlag.ItemIsEditable:
            return
        action_id = index.data(ActionTableModel.ActionIdRole)
        if action_id:
            self.edit_action(action_id)

    def _update_buttons(self) -> None:
        writable = not self.read_only
        self.new_action_act.setEnabled(writable)
        self.empty_new_button.setEnabled(writable)
        has_action = bool(self._target_action_ids())
        self.edit_action_act.setEnabled(writable and has_action)
        self.delete_action_act.setEnabled(writable and has_action)
        self.history_act.setEnabled(has_action)
        self.progress_act.setEnabled(has_action)

    def tree_menu(self) -> QMenu:
        """The list's context menu: Edit, Progress, History and Delete of the current action."""
        menu = QMenu(self.tree)
        menu.addActions([self.edit_action_act, self.progress_act, self.history_act, self.delete_action_act])
        return menu

    def _tree_menu(self, position: QPoint) -> None:
        menu = self.tree_menu()
        menu.exec(self.tree.viewport().mapToGlobal(position))
        menu.deleteLater()

    def _target_action_ids(self) -> list[str]:
        """The actions Edit and Delete act on: the current one first, then the other selected ones."""
        current = self.tree.currentIndex().data(ActionTableModel.ActionIdRole)
        selected = self.selected_action_ids()
        return ([current] if current else []) + [i for i in selected if i != current]

    def _walkthrough_changed(self, changes: OpChanges) -> None:
        if changes.touches(Entity.ACTION):
            self._refresh()  # the summary counts statuses; the buttons follow the selected row

    def _refresh(self) -> None:
        actions = self._ow.actions()
        for widget in (self.status_filter, self.priority_filter, self.component_filter, self.quick_wins_check,
                       self.search_edit, self.group_check):
            widget.setEnabled(bool(actions) or self.proxy.is_filtering())
        if not actions:
            self.stack.setCurrentWidget(self.empty_state)
        elif self.proxy.rowCount() == 0:
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.tree)
        self.legend_label.setVisible(self.stack.currentWidget() is self.tree)
        self.summary_label.setText(self._summary(actions))
        self._update_buttons()
        other_walks = self._ow.plan_spans_walks()
        walk_column_changed = self.tree.isColumnHidden(ActionColumn.WALK) == other_walks
        self.tree.setColumnHidden(ActionColumn.WALK, not other_walks)
        if len(actions) != self._fitted_for or walk_column_changed:
            self._fitted_for = len(actions)
            self._fit_columns()

    def _summary(self, actions: list[ActionRecord]) -> str:
        if not actions:
            return self.tr("Turn the findings into actions: what will be done, by whom and by when.")
        today = self.model.today()
        glance = plan_at_a_glance(actions, today)
        count = glance.by_status
        overdue = len(glance.overdue)
        quick = sum(1 for a in actions if is_quick_win(a, today))
        slipping = glance.by_on_track.get(OnTrack.AT_RISK, 0) + glance.by_on_track.get(OnTrack.OFF_TRACK, 0)
        total = self.tr("%n action(s)", "", len(actions))
        parts = [
            self.tr("%1 done").replace("%1", str(count[ActionStatus.DONE])),
            self.tr("%1 in progress").replace("%1", str(count[ActionStatus.IN_PROGRESS])),
            self.tr("%1 not started").replace("%1", str(count[ActionStatus.NOT_STARTED])),
        ]
        extra = [self.tr("%1 overdue").replace("%1", str(overdue)),
                 self.tr("%n quick win(s) (★)", "", quick)]
        if slipping:
            extra.insert(1, self.tr("%1 at risk or off track").replace("%1", str(slipping)))
        earlier = sum(1 for a in actions if a.walkthrough_id != self._ow.id)
        if earlier:  # the plan lives across the service's walks
            parts.append(self.tr("%n action(s) from other walks of the service", "", earlier))
        return self.tr("%1: %2. %3.").replace("%1", total).replace("%2", ", ".join(parts)).replace(
            "%3", ", ".join(extra))

    def _visual_order(self, index: QModelIndex) -> tuple[int, int]:
        parent = index.parent()
        return (parent.row(), index.row()) if parent.isValid() else (index.row(), -1)


#: The action text column is never narrower than this many average characters.
TEXT_LEAST_CHARS = 24


def _pair(label: QLabel, field: QWidget) -> QWidget:
    """A label and its field as one piece, so a wrapping bar never parts them."""
    box = QWidget(field.parentWidget())
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field, 1)
    return box


def _cap_widths(widths: dict[ActionColumn, int], room: int, floor: int) -> dict[ActionColumn, int]:
    """The widths capped at one level, so they add up to ``room`` (no column below ``floor`` or its own width)."""
    low, high = 0, max(widths.values(), default=0)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(min(w, max(cap, floor)) for w in widths.values()) <= room:
            low = cap
        else:
            high = cap - 1
    return {c: min(w, max(low, floor)) for c, w in widths.items()}


# -- in-place editors ---------------------------------------------------------------------------


class _RowWidths:
    """The width each column of the plan wraps its text to, kept by the page as columns resize.

    The delegates read these instead of asking the tree view: calling the
    view from inside a delegate's ``sizeHint`` while the view lays out its
    rows crashes PySide6 6.11 (a segmentation fault in shiboken's override
    lookup, seen once rows were measured one by one).
    """

    def __init__(self) -> None:
        self.by_column: dict[int, int] = {}
        self.tree_column = 0
        self.indentation = 0
        self.decorated = False


class _RowDelegate(QStyledItemDelegate):
    """Rows tall enough for an in-place editor, in proportion to the font (so large text still fits).

    With word wrap on, a row is as tall as its text wrapped to its column's
    width (QTreeView itself measures every cell as if it had no width limit).
    """

    undo_stack: QUndoStack | None = None
    widths: _RowWidths | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        share_cell_undo(self, editor, self.undo_stack)
        return editor

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.height()  # type: ignore[attr-defined]
        width = self.widths.by_column.get(index.column()) if self.widths is not None else None
        if width is not None:
            if index.column() == self.widths.tree_column:
                depth, parent = 0, index.parent()
                while parent.isValid():
                    depth, parent = depth + 1, parent.parent()
                width -= self.widths.indentation * (depth + (1 if self.widths.decorated else 0))
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, max(width, 1), 1)  # type: ignore[attr-defined]
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), round(line * 1.7)))


class _ChoiceCombo(QComboBox):
    """A combo box that says when its pop-up list closes (so a mouse pick commits at once)."""

    popup_closed = Signal()

    def hidePopup(self) -> None:
        super().hidePopup()
        self.popup_closed.emit()


class _ChoiceDelegate(_RowDelegate):
    """Edits a column from the model's ``ChoicesRole`` list (component, priority, status)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = _ChoiceCombo(parent)
        combo.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal) or ""))
        for value, label in index.data(ActionTableModel.ChoicesRole) or []:
            combo.addItem(label, value)
        combo.popup_closed.connect(lambda: self._commit_and_close(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def _commit_and_close(self, editor: QWidget) -> None:
        if editor.isVisible():
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class _DueDateEditor(QWidget):
    """A date with a calendar pop-up and a "No date" button that clears it.

    Commits on Enter, on "No date", or when focus leaves it (then only if
    the date was changed); Escape cancels.  Text that is not a date is
    never stored: Enter leaves the editor open with the text marked, and
    leaving it cancels.  A due date changed to one in the past is asked
    about first (:meth:`ActionDialog.keep_past_due_date`).
    """

    commit = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.date_edit = DateField(self, display_format=DATE_FORMAT, show_message=False)
        self.date_edit.setAccessibleName(self.tr("Due date"))
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("No date"))
        self.clear_button.setAccessibleName(self.tr("Clear the due date"))
        self.clear_button.setToolTip(self.tr("Clear the due date"))
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.date_edit, 1)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.date_edit)
        self._was_empty = False
        self._touched = False
        self._cleared = False
        self._done = False
        self._asking = False  # the past-date question is open: focus moving to it is not leaving
        self._shown_date = QDate()
        self.date_edit.line_edit.textChanged.connect(self._date_changed)
        self.clear_button.clicked.connect(self.clear)
        self.date_edit.line_edit.installEventFilter(self)
        self.clear_button.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def set_value(self, value: object) -> None:
        """Show a QDate (an invalid or missing one: today, but still "no date" unless changed)."""
        self._was_empty = not (isinstance(value, QDate) and value.isValid())
        self._shown_date = QDate() if self._was_empty else value  # type: ignore[assignment]
        self.date_edit.setDate(QDate.currentDate() if self._was_empty else value)  # type: ignore[arg-type]
        self._touched = self._cleared = False

    def value(self) -> QDate:
        """The chosen date, or an invalid QDate for "no due date" (an emptied field too)."""
        if self._cleared or (self._was_empty and not self._touched) or not self.date_edit.line_edit.text().strip():
            return QDate()
        return self.date_edit.date()

    def clear(self) -> None:
        """Choose "no due date" and commit."""
        self._cleared = True
        self._finish(commit=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched is self.date_edit.line_edit:
                self._touched = True
                self._finish(commit=True, stay_if_refused=True)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self._finish(commit=False)
                return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._done = True  # the view closed it; say nothing more
        super().hideEvent(event)

    def _date_changed(self) -> None:
        self._touched = True
        self._cleared = False

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is None or self._done or self._asking:
            return
        widget: QWidget | None = now
        while widget is not None:  # the calendar pop-up is its own window, so walk parents by hand
            if widget is self:
                return
            widget = widget.parentWidget()
        self._finish(commit=True)

    def _ready_to_store(self) -> bool:
        """True when what the field holds may be stored: no date, a date, and a past one only if kept."""
        if self._cleared or not self.date_edit.line_edit.text().strip():
            return True
        if not self.date_edit.show_problem():
            return False
        day = self.value()
        if not day.isValid() or day >= QDate.currentDate() or day == self._shown_date:
            return True
        self._asking = True
        try:
            return ActionDialog.keep_past_due_date(self, day.toPython())
        finally:
            self._asking = False

    def _finish(self, *, commit: bool, stay_if_refused: bool = False) -> None:
        if self._done:
            return
        if commit and not self._ready_to_store():
            if stay_if_refused:
                self.date_edit.setFocus()
                self.date_edit.line_edit.selectAll()
                return
            commit = False  # leaving with text that is not a date (or a past date not kept) stores nothing
        self._done = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._focus_changed)
        (self.commit if commit else self.cancel).emit()


class _DueDateDelegate(_RowDelegate):
    """Edits the due date in place with :class:`_DueDateEditor`."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = _DueDateEditor(parent)
        editor.commit.connect(lambda: self._commit_and_close(editor))
        editor.cancel.connect(
            lambda: self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache))
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, _DueDateEditor)
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, _DueDateEditor)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        rect = option.rect  # type: ignore[attr-defined]
        hint = editor.sizeHint()
        editor.setGeometry(rect.x(), rect.y(), max(rect.width(), hint.width()), max(rect.height(), hint.height()))

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
