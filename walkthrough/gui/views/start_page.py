"""The start page: the walkthroughs in this database, and how to begin a new one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.records import WalkthroughSummary
from walkthrough.gui.models.walkthrough_list_model import SortRole, WalkthroughIdRole, WalkthroughListModel
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.widgets.read_only_banner import ReadOnlyBanner


class StartPage(QWidget):
    """Walkthroughs (grouped by service, newest first) with New, Open, Walk again and the sample.

    Signals:
        new_requested(), open_requested(walkthrough_id), sample_requested(),
        delete_requested(walkthrough_id), walk_again_requested(walkthrough_id)
    """

    new_requested = Signal()
    walk_again_requested = Signal(str)
    open_requested = Signal(str)
    sample_requested = Signal()
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Start"))
        title = QLabel(self.tr("Lens Walkthrough"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            self.tr("Walk your service as a person using it would, notice what helps or harms, "
                    "and turn it into findings and an improvement plan. Everything stays on this computer."),
            self,
        )
        intro.setWordWrap(True)

        self.model = WalkthroughListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        # Dates as wide as their text; service, site, lens and progress share the
        # rest and wrap onto more lines (rows as tall as they need), so nothing
        # scrolls sideways and nothing is cut off, even with large text.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, name in enumerate(WalkthroughListModel.COLUMNS):
            stretch = name in ("service", "site", "lens", "progress")
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        # By pixel: a row taller than a short list (large text) can still be read to its end.
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Row heights follow the column widths: measured once after they change, not on every paint.
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(0)
        self._fit_rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(self._fit_rows_timer.start)
        self.table.setAccessibleName(self.tr("Walkthroughs"))
        self.table.setAccessibleDescription(self.tr("Up and Down choose a walkthrough; Enter opens it"))
        # Tab leaves the list (to the buttons) instead of walking through its cells.
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(self._open_index)

        self.empty = QLabel(self.tr("No walkthroughs yet. Start a new one, or open the sample walkthrough "
                                    "of a fictional rural substance use service to see how it works."), self)
        self.empty.setWordWrap(True)

        self.new_button = QPushButton(self.tr("&New walkthrough…"), self)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.clicked.connect(self._open_current)
        self.sample_button = QPushButton(self.tr("Open the &sample walkthrough"), self)
        self.sample_button.clicked.connect(self.sample_requested)
        self.walk_again_button = QPushButton(self.tr("Walk &again…"), self)
        self.walk_again_button.setToolTip(self.tr("Start a follow-up walk of the selected walkthrough: the same "
                                                  "service, site and team, with its open actions in view"))
        self.walk_again_button.clicked.connect(self._walk_again_current)
        self.delete_button = QPushButton(self.tr("&Delete…"), self)
        self.delete_button.clicked.connect(self._delete_current)

        # Wraps onto a second line on a narrow screen (a projector, large text): Delete stays in reach.
        buttons = FlowLayout()
        buttons.add_widget(self.new_button)
        buttons.add_widget(self.open_button)
        buttons.add_widget(self.walk_again_button)
        buttons.add_widget(self.sample_button)
        buttons.add_widget(self.delete_button, right=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.read_only_banner = ReadOnlyBanner(False, self)
        self._read_only = False
        layout.addWidget(self.read_only_banner)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # Tab follows the page as it reads: the buttons, then the list below them.
        for before, after in ((self.new_button, self.open_button), (self.open_button, self.walk_again_button),
                              (self.walk_again_button, self.sample_button),
                              (self.sample_button, self.delete_button), (self.delete_button, self.table)):
            QWidget.setTabOrder(before, after)

    def set_walkthroughs(self, rows: list[WalkthroughSummary]) -> None:
        """Show these walkthroughs and select the first."""
        self.model.set_walkthroughs(rows)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows:
            self.table.selectRow(0)
            self.table.setFocus()
        else:
            self.new_button.setFocus()
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        """Viewing only: walkthroughs open, but New, the sample and Delete are off, and a banner says why."""
        self._read_only = read_only
        self.read_only_banner.setVisible(read_only)
        self.new_button.setEnabled(not read_only)
        self._update_buttons()

    def select(self, walkthrough_id: str) -> bool:
        """Select that walkthrough in the list (Enter then opens it); False if it is not listed."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(WalkthroughIdRole) == walkthrough_id:
                self.table.selectRow(row)
                return True
        return False

    def summary_of(self, walkthrough_id: str) -> WalkthroughSummary | None:
        """The listed walkthrough with that id (its service, site, date and counts), or None."""
        return next((self.model.summary(row) for row in range(self.model.rowCount())
                     if self.model.summary(row).id == walkthrough_id), None)

    def current_id(self) -> str | None:
        """The selected walkthrough's id."""
        index = self.table.currentIndex()
        return index.data(WalkthroughIdRole) if index.isValid() else None

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.open_button.setEnabled(has)
        self.walk_again_button.setEnabled(has and not self._read_only)
        self.delete_button.setEnabled(has and not self._read_only)
        # Opening the sample may create it, which a read-only database refuses.
        self.sample_button.setEnabled(not self._read_only)

    def _open_index(self, index: QModelIndex) -> None:
        walkthrough_id = index.data(WalkthroughIdRole)
        if walkthrough_id:
            self.open_requested.emit(walkthrough_id)

    def _open_current(self) -> None:
        if (walkthrough_id := self.current_id()) is not None:
            self.open_requested.emit(walkthrough_id)

    def _walk_again_current(self) -> None:
        if (walkthrough_id := self.current_id()) is not None:
            self.walk_again_requested.emit(walkthrough_id)

    def _delete_current(self) -> None:
        if (walkthrough_id := self.current_id()) is not None:
            self.delete_requested.emit(walkthrough_id)
