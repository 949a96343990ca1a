"""The workshop's Review page: every finding in one table, filtered, sorted and edited together.

The team reads the findings on a projector, narrows them by area, rating,
principle, voice or words, fixes a rating or a note in place (each change one
undoable step through the controller), sees the balance per principle, and
can step through the findings one at a time in the presentation view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.lens import FindingKind, Lens
from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.vocabulary import Voice
from walkthrough.gui.models.findings_filter_model import FindingsFilter, FindingsFilterModel
from walkthrough.gui.models.findings_table_model import (
    VOICE_ORDER,
    FindingsTableModel,
    chip_colours,
    rich_tooltip,
)
from walkthrough.gui.models.principle_summary_model import PrincipleSummaryModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.history_dialog import HistoryDialog, make_history_command
from walkthrough.gui.views.presentation_view import PresentationView
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.widgets.principle_chart import PrincipleChart
from walkthrough.gui.widgets.read_only_banner import ReadOnlyBanner
from walkthrough.gui.widgets.shared_undo import SharedUndo, share_cell_undo
from walkthrough.gui.wording import rating_text, voice_label

_Index = QModelIndex | QPersistentModelIndex
Column = FindingsTableModel.Column

#: Lines of text a findings row has room for (the note is cut there; its tooltip has it all).
ROW_LINES = 3
#: The most of the page's width the summary takes beside the findings; needing more, it goes below them.
SIDE_SHARE = 0.34


# -- delegates ----------------------------------------------------------------------------------


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of fixed choices; picking one commits at once.

    ``choices`` are (stored value, words shown) pairs; the model's EditRole
    holds the stored value.
    """

    def __init__(self, choices: list[tuple[str, str]], accessible_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._accessible_name = accessible_name

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self._accessible_name)
        for value, words in self._choices:
            combo.addItem(words, value)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value is not None and value != index.data(Qt.ItemDataRole.EditRole):
                model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        rect = QRect(option.rect)
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


class RatingDelegate(ChoiceDelegate):
    """A rating cell drawn as a chip (colour, symbol and word) and edited with a combo."""

    def __init__(self, lens: Lens, accessible_name: str, parent: QObject | None = None) -> None:
        # Last, "? Not rated yet": a rating can be taken back here too.
        super().__init__([*((r.id, rating_text(r)) for r in lens.ratings), (NOT_RATED_KEY, rating_text(None))],
                         accessible_name, parent)
        self._lens = lens

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        rating_id = index.data(FindingsTableModel.RatingIdRole)
        rating = self._lens.rating(rating_id) if rating_id is not None else None
        # The cell itself (selection, alternate rows, focus) without text or fill.
        opt.text = ""
        opt.backgroundBrush = option.backgroundBrush
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if rating is None and rating_id is not None:
            return  # a rating the lens does not have: its id, as plain text
        fill, ink = chip_colours(rating)  # None: not rated yet, a pale chip
        fm = QFontMetricsF(opt.font)
        pad = fm.height() * 0.35
        width = min(fm.horizontalAdvance(text) + 2 * pad, opt.rect.width() - 2 * pad)
        height = fm.height() + pad
        chip = QRectF(opt.rect.left() + pad, opt.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, height / 4, height / 4)
        painter.setPen(ink)
        painter.setFont(opt.font)
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, chip.width() - pad)
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = QFontMetricsF(option.font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        pad = fm.height() * 0.35
        return QSize(self.chip_width(fm, text), int(fm.height() + 3 * pad))

    @staticmethod
    def chip_width(fm: QFontMetricsF, text: str) -> int:
        """The cell width a chip of ``text`` needs."""
        pad = fm.height() * 0.35
        return int(fm.horizontalAdvance(text) + 4 * pad + 1)


class NoteDelegate(QStyledItemDelegate):
    """Edits a note in a multi-line box over the cell; Enter adds a line, Tab or a click away saves.

    With :attr:`undo_stack`, Ctrl+Z in the box saves the note and undoes that (see ``SharedUndo``).
    """

    undo_stack: QUndoStack | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setAccessibleName(self.tr("Note"))
        editor.setTabChangesFocus(True)
        share_cell_undo(self, editor, self.undo_stack)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            text = editor.toPlainText()
            if text != index.data(Qt.ItemDataRole.EditRole):
                model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        rect = QRect(option.rect)
        lines = QFontMetricsF(option.font).lineSpacing() * 6
        rect.setHeight(int(max(rect.height(), lines)))
        viewport = editor.parentWidget()
        if viewport is not None and rect.bottom() > viewport.height():
            rect.moveBottom(max(viewport.height() - 1, rect.height() - 1))
        editor.setGeometry(rect)


class WrappingHeader(QHeaderView):
    """A horizontal header whose titles wrap onto more lines rather than widen their column.

    Keeps the per-principle table narrow enough for a side panel while every
    rating keeps its whole word ("! Priority / concern").
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)

    def _title(self, section: int) -> str:
        model = self.model()
        if model is None:
            return ""
        return str(model.headerData(section, self.orientation(), Qt.ItemDataRole.DisplayRole) or "")

    def _margin(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        fm = self.fontMetrics()
        widest = int(fm.averageCharWidth() * 11)
        words = self._title(logicalIndex)
        # No wider than its longest word or ~11 characters, whichever is more.
        longest = max((fm.horizontalAdvance(w) for w in words.split()), default=0)
        bound = fm.boundingRect(QRect(0, 0, max(widest, longest), 10_000),
                                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), words)
        m = self._margin()
        return QSize(bound.width() + 3 * m, bound.height() + 2 * m)

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logicalIndex
        option.text = ""
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        m = self._margin()
        painter.drawText(rect.adjusted(m, m, -m, -m),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self._title(logicalIndex))
        painter.restore()


# -- the lists of strengths and priority concerns -------------------------------------------------


class _FindingListModel(FindingsFilterModel):
    """Findings of one kind, each as "Area: note" (the prompt when there is no note)."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            source = self.sourceModel()
            row = self.mapToSource(index).row()
            if isinstance(source, FindingsTableModel):
                area = source.index(row, Column.AREA).data()
                note = source.index(row, Column.NOTE).data() or source.index(row, Column.PROMPT).data()
                return f"{area}: {note}"
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            source = self.sourceModel()
            row = self.mapToSource(index).row()
            if isinstance(source, FindingsTableModel):
                o = source.observation_at(row)
                prompt = source.index(row, Column.PROMPT).data()
                if o is not None:
                    return rich_tooltip(f"{prompt}\n\n{o.note}".strip())
        return super().data(index, role)


# -- the page -----------------------------------------------------------------------------------------


class ReviewPage(QWidget):
    """The workshop page: filter bar, findings table, per-principle summary and finding lists.

    Controls are public attributes so the main window and tests can reach
    them (``search_edit``, ``area_combo``, ``rating_combo``,
    ``principle_combo``, ``voice_combo``, ``recorder_combo`` (shown, with the
    "Recorded by" column, only when more than one laptop recorded), ``clear_button``,
    ``present_button``, ``action_button``, ``table_view``, ``side_tabs``, ``chart``,
    ``read_only_banner``).  Opened read-only, nothing in the table is editable.

    Signals:
        action_requested(list[str], QWidget | None): the team wants an
            improvement plan action made from these findings (observation ids,
            in table order); the dialog should open over the given window (the
            presentation view), or over the main window when None.
    """

    action_requested = Signal(list, object)

    def __init__(self, open_walkthrough: OpenWalkthrough, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._walkthrough = open_walkthrough
        self.presentation_view: PresentationView | None = None
        self.setAccessibleName(self.tr("Review"))

        self.source_model = FindingsTableModel(open_walkthrough, self)
        self.proxy_model = FindingsFilterModel(self)
        self.proxy_model.setSourceModel(self.source_model)
        self.summary_model = PrincipleSummaryModel(open_walkthrough, self)

        self._table_viewport: QWidget | None = None  # watched for resizes once the table is built
        layout = QVBoxLayout(self)
        # Read-only: the table shows, sorts, filters and copies, but edits nothing (the models say so).
        self.read_only_banner = ReadOnlyBanner(open_walkthrough.read_only, self)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self._build_filter_bar())
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self._build_table())
        self.splitter.addWidget(self._build_side_panel())
        # The side panel can be dragged shut to give the table the whole width (large text).
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self._side_sized = False
        self._arranged_for: bool | None = None  # summary below the table, once arranged
        layout.addWidget(self.splitter, 1)

        for combo in (self.area_combo, self.rating_combo, self.principle_combo, self.voice_combo,
                      self.recorder_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.source_model.recorders_changed.connect(self._show_recorders)
        self.search_edit.textChanged.connect(self._apply_filters)
        # A filter change removes or inserts one range at a time (over a hundred
        # signals for one change), so the counts are brought up to date once,
        # when the event loop next runs; _apply_filters updates them at once.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self._counts_timer.timeout.connect(self._update_counts)
        model = self.proxy_model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
            signal.connect(self._counts_timer.start)
        for model in (self.strengths_model, self.concerns_model):
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                signal.connect(self._update_kind_counts)

        #: Ctrl+F for the page on its own; a window with its own Find command
        #: turns this off, or Qt would find the key ambiguous and do neither.
        self.search_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.search_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.search_shortcut.activated.connect(self.focus_search)

        #: "History…" of the selected finding: Ctrl+Shift+H, or the table's context menu.
        self.history_act = make_history_command(
            self, self.tr("Who changed the selected finding and its photos, and when (%1)"))
        self.history_act.triggered.connect(self.show_history)
        self.table_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table_view.customContextMenuRequested.connect(self._table_menu)
        self.table_view.selectionModel().currentChanged.connect(self._update_history_act)
        for signal in (self.proxy_model.modelReset, self.proxy_model.rowsRemoved, self.proxy_model.layoutChanged):
            signal.connect(self._update_history_act)
        self._update_history_act()

        self._many_recorders = False
        self._show_recorders()
        self._update_counts()

    def _build_filter_bar(self) -> QWidget:
        lens = self._walkthrough.lens
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search findings"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search findings"))
        self.search_edit.setToolTip(self.tr("Words in the area, prompt or note (Ctrl+F)"))
        self.search_edit.installEventFilter(self)
        SharedUndo(self.search_edit, self._walkthrough.undo_stack)  # Ctrl+Z here undoes the last change too

        self.area_combo = self._combo(self.tr("Filter by area"), self.tr("All areas"),
                                      [(a.id, a.title) for a in lens.areas])
        self.rating_combo = self._combo(self.tr("Filter by rating"), self.tr("All ratings"),
                                        [*((r.id, rating_text(r)) for r in lens.ratings),
                                         (NOT_RATED_KEY, rating_text(None))])
        self.principle_combo = self._combo(self.tr("Filter by principle"), self.tr("All principles"),
                                           [(p.id, p.name) for p in lens.principles])
        self.voice_combo = self._combo(self.tr("Filter by voice"), self.tr("All voices"),
                                       [(v.value, voice_label(v)) for v in VOICE_ORDER])
        # Filled, and shown, by _show_recorders: only when more than one laptop recorded.
        self.recorder_combo = self._combo(self.tr("Filter by who recorded"), self.tr("Everyone"), [])
        self.recorder_combo.setToolTip(self.tr("Show the findings recorded on one team member's laptop"))
        self.duplicates_button = QPushButton(self.tr("Possible duplicates…"), self)
        self.duplicates_button.setToolTip(self.tr(
            "Findings two laptops may have recorded twice (same prompt, notes alike): merge them, or not"))
        self.duplicates_button.clicked.connect(self.show_duplicates)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.setAccessibleName(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of findings shown"))
        self.present_button = QPushButton(self.tr("Present…"), self)
        self.present_button.setAccessibleName(self.tr("Present findings"))
        self.present_button.setToolTip(self.tr("Show the findings one at a time, large, for the projector"))
        self.present_button.clicked.connect(self.present)
        self.action_button = QPushButton(self.tr("Action from findings…"), self)
        self.action_button.setAccessibleName(self.tr("New improvement plan action from the selected findings"))
        self.action_button.setToolTip(self.tr(
            "Start an improvement plan action linked to the selected findings (Ctrl+Shift+N). "
            "Select several with Ctrl or Shift."))
        self.action_button.clicked.connect(self.request_action)
        self._action_shortcut = QShortcut(QKeySequence("Ctrl+Shift+N"), self)
        self._action_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._action_shortcut.activated.connect(self.request_action)

        # A bar that wraps onto a second line rather than widen the page (large text at 1366 px).
        self.filter_bar = QWidget(self)
        self.filter_bar.setObjectName("reviewFilterBar")
        bar = FlowLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.search_edit.setMinimumWidth(int(QFontMetricsF(self.font()).averageCharWidth() * 14))
        bar.add_widget(self.search_edit, 3)
        for combo in (self.area_combo, self.rating_combo, self.principle_combo, self.voice_combo,
                      self.recorder_combo):
            bar.add_widget(combo, 2)
        bar.add_widget(self.clear_button)
        bar.add_widget(self.duplicates_button)
        # The count takes the spare room on its line, so Present… sits at the right.
        self.count_label.setIndent(int(QFontMetricsF(self.font()).height()))
        bar.add_widget(self.count_label, 1)
        bar.add_widget(self.action_button, right=True)
        bar.add_widget(self.present_button, right=True)
        return self.filter_bar

    def _build_table(self) -> QWidget:
        lens = self._walkthrough.lens
        self.table_view = QTableView(self)
        self.table_view.setObjectName("findingsTable")
        self.table_view.setAccessibleName(self.tr("Findings"))
        self.table_view.setModel(self.proxy_model)
        # The indicator first: enabling sorting sorts by it at once, and Qt's
        # default (first column, descending) would sort a thousand rows for nothing.
        self.table_view.horizontalHeader().setSortIndicator(Column.AREA, Qt.SortOrder.AscendingOrder)
        self.table_view.setSortingEnabled(True)
        self.table_view.sortByColumn(Column.AREA, Qt.SortOrder.AscendingOrder)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setWordWrap(True)
        self.table_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Tab leaves the table (arrows move within it) instead of walking its cells.
        self.table_view.setTabKeyNavigation(False)
        # Several findings can be selected (Ctrl/Shift) to make one action from them.
        self.table_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A steady width: the columns are fitted to it, so it must not jump as rows come and go.
        self.table_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table_view.verticalHeader().hide()
        # Fixed row heights: measuring rows to their contents makes Qt read every
        # cell of every row on each filter change and edit (seconds at 1,000 rows).
        # Notes show their first line (elided); the tooltip holds the whole note.
        self.table_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._rating_delegate = RatingDelegate(lens, self.tr("Rating"), self)
        self._voice_delegate = ChoiceDelegate([(v.value, voice_label(v)) for v in VOICE_ORDER],
                                              self.tr("Voice"), self)
        self._note_delegate = NoteDelegate(self)
        self._note_delegate.undo_stack = self._walkthrough.undo_stack
        self.table_view.setItemDelegateForColumn(Column.RATING, self._rating_delegate)
        self.table_view.setItemDelegateForColumn(Column.VOICE, self._voice_delegate)
        self.table_view.setItemDelegateForColumn(Column.NOTE, self._note_delegate)
        self._fitting = False
        self._columns_dragged = False
        self._size_columns()
        self.table_view.horizontalHeader().sectionResized.connect(self._column_resized)
        self._table_viewport = self.table_view.viewport()
        self._table_viewport.installEventFilter(self)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.table_view)
        self.table_stack.addWidget(self.empty_label)
        return self.table_stack

    def _build_side_panel(self) -> QWidget:
        """Tabs: the per-principle table and chart, the strengths, the priority concerns."""
        self.summary_view = QTableView(self)
        self.summary_view.setAccessibleName(self.tr("Findings by principle and rating"))
        self.summary_view.setHorizontalHeader(WrappingHeader(self.summary_view))
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary_view.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
        self.summary_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary_view.setCornerButtonEnabled(False)
        # Tab leaves the summary (arrows move within it) instead of walking its cells forever.
        self.summary_view.setTabKeyNavigation(False)
        self.summary_view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.summary_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        # "Not rated yet" only while some are: the table stays narrow enough to sit beside the findings.
        self._show_not_rated_column()
        self.summary_model.dataChanged.connect(self._show_not_rated_column)
        self.summary_model.modelReset.connect(self._show_not_rated_column)

        self.chart = PrincipleChart(self.summary_model, self)
        principle_page = QWidget(self)
        # Table above the chart beside the findings; table beside the chart below them (see _arrange).
        self._principle_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, principle_page)
        self._principle_layout.addWidget(self.summary_view, 0, Qt.AlignmentFlag.AlignTop)
        chart_column = QVBoxLayout()
        chart_title = QLabel(self.tr("Findings per principle, by rating"), principle_page)
        title_font = chart_title.font()
        title_font.setBold(True)
        chart_title.setFont(title_font)
        chart_column.addWidget(chart_title)
        chart_column.addWidget(self.chart)
        chart_column.addStretch(1)
        self._principle_layout.addLayout(chart_column, 1)
        principle_scroll = QScrollArea(self)
        principle_scroll.setWidget(principle_page)
        principle_scroll.setWidgetResizable(True)
        principle_scroll.setFrameShape(QFrame.Shape.NoFrame)
        principle_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._pending_lists: dict[QListView, QAbstractItemModel] = {}
        self.strengths_model = self._kind_model(FindingKind.STRENGTH)
        self.concerns_model = self._kind_model(FindingKind.PRIORITY_CONCERN)
        self.strengths_view = self._finding_list(self.strengths_model, self.tr("Strengths"))
        self.concerns_view = self._finding_list(self.concerns_model, self.tr("Priority concerns"))

        self.side_tabs = QTabWidget(self)
        self.side_tabs.setAccessibleName(self.tr("Summary"))
        self.side_tabs.addTab(principle_scroll, self.tr("By principle"))
        self.side_tabs.addTab(self.strengths_view, "")
        self.side_tabs.addTab(self.concerns_view, "")
        self.side_tabs.currentChanged.connect(self._tab_opened)
        return self.side_tabs

    # -- public --------------------------------------------------------------------------

    @property
    def open_walkthrough(self) -> OpenWalkthrough:
        """The walkthrough shown."""
        return self._walkthrough

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected (Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def clear_filters(self) -> None:
        """Show every finding again."""
        for combo in (self.area_combo, self.rating_combo, self.principle_combo, self.voice_combo,
                      self.recorder_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._apply_filters()

    def show_duplicates(self) -> None:
        """Possible duplicates from the team's laptops, one pair at a time (merged only when asked)."""
        from walkthrough.gui.views.duplicates_dialog import DuplicatesDialog

        DuplicatesDialog.ask(self._walkthrough, self)

    def findings_filter(self) -> FindingsFilter:
        """The filter the table shows now."""
        return self.proxy_model.findings_filter

    def selected_observation_id(self) -> str | None:
        """The finding selected in the table, or None."""
        index = self.table_view.currentIndex()
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(FindingsTableModel.ObservationIdRole)

    def selected_observation_ids(self) -> list[str]:
        """The findings selected in the table (observation ids, in table order); [] when none."""
        rows = sorted(self.table_view.selectionModel().selectedRows(0), key=lambda index: index.row())
        return [index.data(FindingsTableModel.ObservationIdRole) for index in rows]

    def history_action(self) -> QAction:
        """The "History…" command of the selected finding (off when none is selected)."""
        self._update_history_act()
        return self.history_act

    @Slot()
    def show_history(self) -> None:
        """Open the selected finding's history (nothing when none is selected)."""
        observation_id = self.selected_observation_id()
        if observation_id is not None:
            HistoryDialog.show_for(self.window(), self._walkthrough, observation_id)

    def _update_history_act(self, *_args: object) -> None:
        self.history_act.setEnabled(self.selected_observation_id() is not None)

    def table_menu(self) -> QMenu:
        """The findings table's context menu: History of the selected finding."""
        self._update_history_act()
        menu = QMenu(self.table_view)
        menu.addAction(self.history_act)
        return menu

    def _table_menu(self, position: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(self.table_view.viewport().mapToGlobal(position))
        menu.deleteLater()

    @Slot()
    def request_action(self) -> None:
        """Ask for an improvement plan action made from the selected findings (see ``action_requested``)."""
        if not self._walkthrough.read_only:
            self.action_requested.emit(self.selected_observation_ids(), None)

    def select_observation(self, observation_id: str) -> bool:
        """Select and show a finding in the table (clearing the filters if they hide it)."""
        row = self.proxy_model.row_of(observation_id)
        if row < 0 and self.source_model.row_of(observation_id) >= 0:
            self.clear_filters()
            row = self.proxy_model.row_of(observation_id)
        if row < 0:
            return False
        index = self.proxy_model.index(row, 0)
        self.table_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def present(self) -> PresentationView:
        """Open the presentation view on the current filter, at the selected finding.

        With a second screen (the projector) it opens full screen there.
        """
        view = self.presentation_view
        if view is None:
            view = PresentationView(self._walkthrough, parent=self)
            view.action_requested.connect(lambda ids, over=view: self.action_requested.emit(ids, over))
            self.presentation_view = view
        view.set_review_filter(self.findings_filter())
        selected = self.selected_observation_id()
        if selected is not None:
            view.go_to(selected)
        screens = QGuiApplication.screens()
        here = self.screen()
        others = [s for s in screens if s is not here]
        if others:
            view.setGeometry(others[0].availableGeometry())
            view.showFullScreen()
        else:
            view.show()
        view.raise_()
        view.activateWindow()
        return view

    # -- building ------------------------------------------------------------------------

    def _combo(self, accessible_name: str, all_words: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible_name)
        combo.setToolTip(accessible_name)
        combo.addItem(all_words, None)
        for value, words in items:
            combo.addItem(words, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(min(14, max(len(all_words), 8)))
        return combo

    def _kind_model(self, kind: FindingKind) -> _FindingListModel:
        model = _FindingListModel(self)
        model.setSourceModel(self.source_model)
        model.set_finding_kind(kind)
        return model

    def _finding_list(self, model: QAbstractItemModel, name: str) -> QListView:
        view = QListView(self)
        view.setAccessibleName(name)
        # Wrapped items are measured one by one: in batches between events (set
        # before anything lays the list out), so a long list does not hold up the page.
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(50)
        # The model is given when the list's tab is first opened (_tab_opened): a
        # wrapped list measures every item, a cost the first show of the page
        # should not pay for lists that are not on screen.
        self._pending_lists[view] = model
        view.setWordWrap(True)
        view.setAlternatingRowColors(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setSpacing(2)
        view.setToolTip(self.tr("Double-click or press Enter to show the finding in the table"))
        view.activated.connect(lambda index, v=view: self._show_from_list(index))
        return view

    def _size_columns(self) -> None:
        header = self.table_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        fm = QFontMetricsF(self.table_view.font())
        char = fm.averageCharWidth()
        header.setMinimumSectionSize(int(char * 5))
        for column in Column:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        rows = self.table_view.verticalHeader()
        margin = self.table_view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameVMargin, None, self.table_view)
        row_height = int(fm.lineSpacing() * ROW_LINES + 2 * margin + 4)
        rows.setMinimumSectionSize(min(rows.minimumSectionSize(), row_height))
        rows.setDefaultSectionSize(row_height)
        # Rating and Photos fit their widest possible content, worked out once from
        # the lens rather than by measuring every row.
        self._fixed_widths = {
            Column.RATING: max(header.sectionSizeHint(Column.RATING),
                               max((self._rating_delegate.chip_width(fm, rating_text(r))
                                    for r in self._walkthrough.lens.ratings), default=0)),
            Column.PHOTOS: max(header.sectionSizeHint(Column.PHOTOS), int(fm.horizontalAdvance("999") + 2 * char)),
        }
        self._fitting = True
        try:
            for column, width in self._fixed_widths.items():
                header.resizeSection(column, width)
        finally:
            self._fitting = False
        self._fit_columns()

    def _column_limits(self) -> tuple[dict[Column, float], dict[Column, float], float]:
        """The text columns' smallest and preferred widths, and the note's smallest, for the table's font."""
        fm = QFontMetricsF(self.table_view.font())
        char = fm.averageCharWidth()
        lens = self._walkthrough.lens

        def longest_word(texts: list[str]) -> float:
            # Columns never get so narrow that a word has to be cut.
            return max((fm.horizontalAdvance(w) for t in texts for w in t.split()), default=0.0) + 2 * char

        principle = max((fm.horizontalAdvance(p.name) for p in lens.principles), default=0.0) + 2 * char
        smallest = {
            Column.AREA: min(12 * char, max(9 * char, longest_word([a.title for a in lens.areas]))),
            Column.PROMPT: 16 * char,
            Column.PRINCIPLES: principle,
            Column.VOICE: max(10 * char, longest_word([voice_label(v) for v in VOICE_ORDER])),
        }
        preferred = {Column.AREA: 14 * char, Column.PROMPT: 28 * char,
                     Column.PRINCIPLES: max(15 * char, principle + char), Column.VOICE: 13 * char}
        if not self.table_view.isColumnHidden(Column.RECORDED_BY):
            smallest[Column.RECORDED_BY] = 10 * char
            preferred[Column.RECORDED_BY] = 16 * char
        preferred = {c: max(w, smallest[c]) for c, w in preferred.items()}
        return smallest, preferred, 24 * char

    def _table_least_width(self) -> int:
        """The narrowest the findings table can be without scrolling sideways."""
        smallest, _, note_least = self._column_limits()
        header = self.table_view.horizontalHeader()
        fixed = header.sectionSize(Column.RATING) + header.sectionSize(Column.PHOTOS)
        scroll_bar = self.table_view.verticalScrollBar().sizeHint().width()
        return int(sum(smallest.values()) + note_least + fixed + scroll_bar + 2 * self.table_view.frameWidth() + 1)

    def _fit_columns(self) -> None:
        """Share the table's width: text columns at their preferred widths (narrower if need be), the note the rest.

        Runs when the table is resized until someone drags a column edge;
        from then on their widths stand (the note column still takes what is left).
        """
        header = self.table_view.horizontalHeader()
        smallest, preferred, note_least = self._column_limits()
        available = self.table_view.viewport().width()
        fixed = header.sectionSize(Column.RATING) + header.sectionSize(Column.PHOTOS)
        self._fitting = True
        try:
            if not self._columns_dragged:
                room = available - fixed - note_least
                want, least = sum(preferred.values()), sum(smallest.values())
                if room < least:
                    # Very large text on a small screen: narrower than the words, rather than
                    # a table that scrolls sideways (the tooltips still hold every word).
                    squeeze = max(0.0, available - fixed) / (least + note_least)
                    smallest = {c: w * squeeze for c, w in smallest.items()}
                    note_least *= squeeze
                    room = available - fixed - note_least
                    least = sum(smallest.values())
                share = 1.0 if room >= want or want <= least else max(0.0, (room - least) / (want - least))
                for column, width in preferred.items():
                    header.resizeSection(column, int(smallest[column] + (width - smallest[column]) * share))
            others = sum(header.sectionSize(c) for c in Column if c != Column.NOTE)
            header.resizeSection(Column.NOTE, int(max(note_least, available - others)))
        finally:
            self._fitting = False

    @Slot(int, int, int)
    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != Column.NOTE:
            self._columns_dragged = True
            self._fit_columns()

    # -- reacting ----------------------------------------------------------------------------

    @Slot()
    def _apply_filters(self, *_args: object) -> None:
        voice = self.voice_combo.currentData()
        self.proxy_model.set_filter(FindingsFilter(
            area_id=self.area_combo.currentData(),
            rating_id=self.rating_combo.currentData(),
            principle_id=self.principle_combo.currentData(),
            voice=Voice(voice) if voice else None,
            recorder_id=self.recorder_combo.currentData() if self._many_recorders else None,
            search=self.search_edit.text(),
        ))
        self._update_counts()

    @Slot()
    def _show_recorders(self) -> None:
        """Show the "Recorded by" column and filter when more than one laptop recorded; keep the choice."""
        recorders = self.source_model.recorders()
        many = self._many_recorders = len(recorders) > 1
        chosen = self.recorder_combo.currentData()
        self.recorder_combo.blockSignals(True)
        while self.recorder_combo.count() > 1:
            self.recorder_combo.removeItem(1)
        for device in recorders:
            self.recorder_combo.addItem(self.source_model.recorder_text(device), device.id)
        found = self.recorder_combo.findData(chosen) if chosen else -1
        self.recorder_combo.setCurrentIndex(max(0, found))
        self.recorder_combo.blockSignals(False)
        self.recorder_combo.setVisible(many)
        self.duplicates_button.setVisible(many)
        self.table_view.setColumnHidden(Column.RECORDED_BY, not many)
        self._fit_columns()
        if self.proxy_model.findings_filter.recorder_id != (self.recorder_combo.currentData() if many else None):
            self._apply_filters()

    @Slot()
    def _update_counts(self, *_args: object) -> None:
        self._counts_timer.stop()
        shown = self.proxy_model.rowCount()
        total = self.source_model.rowCount()
        filtered = not self.proxy_model.findings_filter.is_empty()
        if filtered:
            text = self.tr("Showing %1 of %n finding(s)", "", total).replace("%1", str(shown))
        else:
            text = self.tr("%n finding(s)", "", total)
        self.count_label.setText(text)
        self.clear_button.setEnabled(filtered)
        if total == 0:
            self.empty_label.setText(self.tr("No observations yet. Findings appear here as the team records them on the walk."))
            self.table_stack.setCurrentWidget(self.empty_label)
        elif shown == 0:
            self.empty_label.setText(self.tr("No findings match these filters. Use Clear filters to see them all."))
            self.table_stack.setCurrentWidget(self.empty_label)
        else:
            self.table_stack.setCurrentWidget(self.table_view)
        self.present_button.setEnabled(total > 0)
        self.action_button.setEnabled(not self._walkthrough.read_only)
        self._update_kind_counts()

    @Slot()
    def _update_kind_counts(self, *_args: object) -> None:
        strengths = self.tr("Strengths (%1)").replace("%1", str(self.strengths_model.rowCount()))
        concerns = self.tr("Priority concerns (%1)").replace("%1", str(self.concerns_model.rowCount()))
        # Setting a tab's text lays the tab bar out again; only do it when it changes.
        if self.side_tabs.tabText(1) != strengths:
            self.side_tabs.setTabText(1, strengths)
        if self.side_tabs.tabText(2) != concerns:
            self.side_tabs.setTabText(2, concerns)

    @Slot(int)
    def _tab_opened(self, index: int) -> None:
        view = self.side_tabs.widget(index)
        model = self._pending_lists.pop(view, None) if isinstance(view, QListView) else None
        if model is not None:
            view.setModel(model)

    def _show_from_list(self, index: QModelIndex) -> None:
        observation_id = index.data(FindingsTableModel.ObservationIdRole)
        if observation_id and self.select_observation(observation_id):
            self.table_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table_viewport and watched is not None and event.type() == QEvent.Type.Resize:
            self._fit_columns()
            return False
        # Esc in the search box clears it (and stops there, not closing a window).
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search_edit.text():  # type: ignore[attr-defined]
                self.search_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._size_columns()
            self._arranged_for = None
            if self.isVisible():
                self._arrange()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrange()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self._arrange()

    @property
    def summary_below(self) -> bool:
        """True when the summary panel is under the findings table (a narrow page or large text)."""
        return self.splitter.orientation() == Qt.Orientation.Vertical

    @Slot()
    def _show_not_rated_column(self, *_args: object) -> None:
        self.summary_view.setColumnHidden(self.summary_model.not_rated_column, not self.summary_model.any_not_rated())

    def _side_panel_width(self) -> int:
        """The width the side panel needs for the summary table and the tab titles."""
        view = self.summary_view
        header = view.horizontalHeader()
        table_width = (view.verticalHeader().sizeHint().width()
                       + sum(header.sectionSizeHint(c) for c in range(header.count()) if not header.isSectionHidden(c))
                       + 2 * view.frameWidth())
        tabs_width = self.side_tabs.tabBar().sizeHint().width()
        margins = 4 * self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
        return max(table_width + margins, tabs_width + margins // 2)

    def _arrange(self) -> None:
        """Summary beside the findings when both fit at their least widths; under them otherwise.

        Beside, the side panel takes at most about a third of the page (the
        findings come first); when it would need more, or the table would have
        to scroll sideways, the summary moves below the table, its per-principle
        table beside its chart.  Decided by width and font only, so it never
        flips back and forth; the user's splitter sizes stand until the
        arrangement changes.
        """
        layout = self.layout()
        if layout is not None:
            layout.activate()
        width = self.splitter.width()
        if width <= 0:
            return
        side = self._side_panel_width()
        below = side > width * SIDE_SHARE or width - side - self.splitter.handleWidth() < self._table_least_width()
        if self._arranged_for != below:
            self._arranged_for = below
            self.splitter.setOrientation(Qt.Orientation.Vertical if below else Qt.Orientation.Horizontal)
            self._principle_layout.setDirection(
                QBoxLayout.Direction.LeftToRight if below else QBoxLayout.Direction.TopToBottom)
            self.summary_view.setSizePolicy(
                QSizePolicy.Policy.Maximum if below else QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
            self._side_sized = False
        if self._side_sized:
            return
        self._side_sized = True
        if below:
            total = self.splitter.height()
            # The table keeps room for a few rows; the summary gets the rest, scrolling if need be.
            rows = self.table_view.verticalHeader().defaultSectionSize()
            table = max(int(total * 0.55), min(total - rows, self.table_view.horizontalHeader().height() + 3 * rows))
            self.splitter.setSizes([table, max(total - table, 0)])
        else:
            self.splitter.setSizes([width - side, side])
