"""Walk mode: step through the lens's areas and record what you notice."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QEvent,
    QIODevice,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QImage, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.errors import PhotoRejected
from walkthrough.domain.lens import AreaKind, Prompt
from walkthrough.domain.records import ActionRecord
from walkthrough.gui.background import BackgroundTask, Progress, run_with_progress
from walkthrough.gui.models.area_tree_model import AreaIdRole, AreaTreeModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.observation_editor import EDITOR_STYLE_SHEET, ObservationEditor, editors_style_sheet
from walkthrough.gui.views.prompt_card import PromptCard
from walkthrough.gui.widgets.previous_actions_panel import PreviousActionsPanel
from walkthrough.gui.widgets.read_only_banner import ReadOnlyBanner
from walkthrough.services.photo_intake import PreparedPhoto, prepare_photo

#: Editors built before an area is first painted: a screenful (at 1366 × 768 the page
#: shows about 580 px; a prompt's heading is about 80 px and an editor 250–310 px, so
#: the second editor already reaches the bottom edge); the rest follow in chunks of
#: LATER_EDITORS right after the paint, so a big area shows at once and keys stay live.
FIRST_SCREEN_EDITORS = 2
LATER_EDITORS = 6
BUILD_PAUSE_MS = 100
_BUILD_MORE = QEvent.Type(QEvent.registerEventType())

#: The file patterns of the photo chooser (not translated; the names around them are).
IMAGE_PATTERNS = "*.jpg *.jpeg *.png *.heic *.heif *.webp *.gif *.tif *.tiff *.bmp"


#: A picture to add: a file, bytes (a paste), or bytes with the name to keep for it (a camera photo).
PhotoSource = Path | bytes | tuple[bytes, str]


def prepare_photos(
    sources: Sequence[PhotoSource], progress: Progress, max_edge: int = 2048
) -> tuple[list[PreparedPhoto], list[PhotoRejected]]:
    """Prepare pictures (off the GUI thread); refused ones do not stop the rest.

    Raises:
        PhotoRejected: never; refusals are returned.
    """
    prepared: list[PreparedPhoto] = []
    refused: list[PhotoRejected] = []
    for i, source in enumerate(sources):
        try:
            if isinstance(source, tuple):
                prepared.append(prepare_photo(source[0], source[1], max_edge=max_edge))
            else:
                prepared.append(prepare_photo(source, max_edge=max_edge))
        except PhotoRejected as exc:
            refused.append(exc)
        if not progress(i + 1, len(sources)):
            return [], []
    return prepared, refused


class WalkPage(QWidget):
    """Areas on the left (grouped by route, with progress), the current area's prompts on the right.

    One page serves every walkthrough the window opens: :meth:`set_walkthrough`
    shows one, :meth:`release` lets it go.  The window builds the page while
    the start page is on screen, so opening a walkthrough only fills it in.

    ``area_changed(area_id)`` is emitted when the user moves to another area.
    """

    area_changed = Signal(str)

    def __init__(self, open_walkthrough: OpenWalkthrough | None = None, photo_max_edge: int = 2048,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wt: OpenWalkthrough = None  # type: ignore[assignment]  # set by set_walkthrough
        self.photo_max_edge = photo_max_edge
        self._cards: list[PromptCard] = []
        self._area_id: str | None = None
        # Still to build: prompts without a card yet, or cards with only some editors.
        self._pending_prompts: list[Prompt | PromptCard | None] = []
        self._column: QVBoxLayout | None = None
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_more)
        self.last_task: BackgroundTask | None = None

        self.areas: AreaTreeModel | None = None
        self.area_view = QTreeView(self)
        self.area_view.setHeaderHidden(True)
        self.area_view.setRootIsDecorated(False)
        self.area_view.setItemsExpandable(False)
        self.area_view.setAccessibleName(self.tr("Areas"))
        self.area_view.setAccessibleDescription(self.tr("Up and Down change the area; Enter goes to its first prompt"))
        self.area_view.activated.connect(lambda _index: self.focus_first_prompt())
        self.area_view.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Not a Tab stop of its own (it would show no focus): Tab goes through
        # the controls inside, and the page scrolls to each (see _focus_changed).
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._pages = QWidget()
        self._pages_layout = QVBoxLayout(self._pages)
        self._pages_layout.setContentsMargins(0, 0, 0, 0)
        self._area_page: QWidget | None = None
        self._retired: list[QWidget] = []
        self.scroll.setWidget(self._pages)
        # The observation being worked on (it holds the focus) and its top on screen:
        # when a card above it grows or shrinks (a rating, an undo, photos), the page
        # scrolls by as much, so it stays under the pointer (see _hold_anchor).
        self._anchor: tuple[ObservationEditor, int] | None = None
        bar = self.scroll.verticalScrollBar()
        bar.rangeChanged.connect(self._hold_anchor)
        bar.valueChanged.connect(self._remember_anchor)
        # One style sheet for every editor of every area (rating colours, chips,
        # focus rings): parsed once, instead of once per button, and set on the
        # editors' container only: on the whole page it made Qt re-polish the
        # area list and everything else too (opening 1,000 observations took a
        # third longer).  Set per lens (the ratings' colours), when it changes.
        self._style_sheet = ""

        self.previous_button = QPushButton(self.tr("← Previous area"), self)
        self.previous_button.setObjectName("plainButton")  # a clear focus ring (see EDITOR_STYLE_SHEET)
        self.previous_button.setAccessibleName(self.tr("Previous area"))
        self.previous_button.setToolTip(self.tr("Previous area (Ctrl+PgUp)"))
        self.previous_button.clicked.connect(self.previous_area)
        self.next_button = QPushButton(self.tr("Next area →"), self)
        self.next_button.setObjectName("plainButton")
        self.next_button.setAccessibleName(self.tr("Next area"))
        self.next_button.setToolTip(self.tr("Next area (Ctrl+PgDown)"))
        self.next_button.clicked.connect(self.next_area)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.subtitle)
        # A walk again: what the walk it follows up left open, folded until asked for.
        self.previous_actions = PreviousActionsPanel(right)
        right_layout.addWidget(self.previous_actions)
        right_layout.addWidget(self.scroll, 1)
        nav_bar = QWidget(right)
        nav_bar.setStyleSheet(EDITOR_STYLE_SHEET)  # the same focus ring as the editors' buttons
        nav = QHBoxLayout(nav_bar)
        nav.setContentsMargins(0, 0, 0, 0)
        self.previous_button.setParent(nav_bar)
        self.next_button.setParent(nav_bar)
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right_layout.addWidget(nav_bar)

        splitter = self._splitter = QSplitter(self)
        splitter.addWidget(self.area_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self._area_list_width(), 900])
        #: Set once the person drags the divider: their width is kept from then on.
        self._area_width_chosen = False
        splitter.splitterMoved.connect(self._divider_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Read-only: the editors show everything but change nothing (see ObservationEditor).
        self.read_only_banner = ReadOnlyBanner(False, self)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(splitter)

        self.setAccessibleName(self.tr("Walk"))
        self._shown_once = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        if open_walkthrough is not None:
            self.set_walkthrough(open_walkthrough)

    # -- the walkthrough shown -----------------------------------------------------------------

    @property
    def open_walkthrough(self) -> OpenWalkthrough | None:
        """The walkthrough on the page, or None between walkthroughs."""
        return self._wt

    def set_walkthrough(self, open_walkthrough: OpenWalkthrough) -> None:
        """Show ``open_walkthrough`` from its first area (letting go of any shown before)."""
        self.release()
        self._wt = open_walkthrough
        self.areas = AreaTreeModel(open_walkthrough, self)
        self.area_view.setModel(self.areas)
        self.area_view.expandAll()
        self._fit_area_list()
        self.area_view.selectionModel().currentChanged.connect(self._current_changed)
        style_sheet = editors_style_sheet(open_walkthrough.lens)
        if style_sheet != self._style_sheet:
            self._pages.setStyleSheet(style_sheet)
            self._style_sheet = style_sheet
        self.read_only_banner.setVisible(open_walkthrough.read_only)
        open_walkthrough.changed.connect(self._walkthrough_changed)
        # Opened: straight to the first prompt when the page is next shown.
        self._shown_once = False
        self.show_area(open_walkthrough.lens.areas[0].id)

    def _divider_moved(self, _pos: int, _index: int) -> None:
        self._area_width_chosen = True

    def _fit_area_list(self) -> None:
        """Widen the area list so each area's title shows with its count and concern mark.

        Up to a third of the page; never narrower than it is, and left alone
        once the person has dragged the divider.
        """
        if self._area_width_chosen or self.areas is None:
            return
        view = self.area_view
        metrics = view.fontMetrics()
        widest = 0
        for area in self._wt.lens.areas:
            # As AreaTreeModel shows it, with room for a count of three digits and the concern mark.
            widest = max(widest, metrics.horizontalAdvance(f"{area.title}  (999)  !"))
        wanted = (widest + view.indentation() + 2 * view.frameWidth()
                  + view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + metrics.averageCharWidth() * 2)
        # Not laid out yet (the page is built before it is first shown): the window's width stands in.
        total = self._splitter.width() if self._splitter.isVisible() else self.window().width()
        left = max(min(wanted, total // 3), self._area_list_width())
        if not self._splitter.isVisible() or left > self._splitter.sizes()[0]:
            self._splitter.setSizes([left, max(total - left, 1)])

    def _area_list_width(self) -> int:
        """The area list's usual width: 22 "M"s of the page's font."""
        return self.fontMetrics().horizontalAdvance("M") * 22

    def set_previous_actions(self, actions: Sequence[ActionRecord]) -> None:
        """Keep in view the open actions of the walk this one follows up (none: nothing shown)."""
        self.previous_actions.set_actions(actions)

    def release(self) -> None:
        """Save waiting notes and let go of the walkthrough shown (the page is then empty)."""
        wt = self._wt
        if wt is None:
            return
        self.flush()
        self._build_timer.stop()
        self._pending_prompts = []
        with warnings.catch_warnings():
            # PySide warns, rather than raises, when there is nothing to disconnect.
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                wt.changed.disconnect(self._walkthrough_changed)
            except (RuntimeError, TypeError):  # already gone with the walkthrough
                pass
        old_page = self._area_page
        if old_page is not None:
            focus = QApplication.focusWidget()
            if focus is not None and old_page.isAncestorOf(focus):
                focus.clearFocus()
            old_page.hide()
            self._pages_layout.removeWidget(old_page)
            old_page.deleteLater()
        self._area_page = None
        self._cards = []
        self._area_id = None
        model, selection = self.areas, self.area_view.selectionModel()
        self.area_view.setModel(None)
        for old in (model, selection):
            if old is not None:
                old.deleteLater()
        self.areas = None
        self.previous_actions.set_actions(())
        self._wt = None  # type: ignore[assignment]

    # -- navigation ------------------------------------------------------------------------

    @property
    def area_id(self) -> str | None:
        """The area on screen."""
        return self._area_id

    def show_area(self, area_id: str) -> None:
        """Move to an area (selects it in the list too)."""
        if self.areas is None:
            return
        index = self.areas.index_of_area(area_id)
        if index.isValid():
            self.area_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def next_area(self) -> None:
        """Move to the next area in walking order (stays on the last)."""
        self._step(+1)

    def previous_area(self) -> None:
        """Move to the previous area in walking order (stays on the first)."""
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self._area_id is None:
            return
        ids = [a.id for a in self._wt.lens.areas]
        pos = ids.index(self._area_id) + delta
        if 0 <= pos < len(ids):
            focus = QApplication.focusWidget()
            if focus in (self.previous_button, self.next_button):
                # The button may be switched off at the first or last area: let go first,
                # or Qt hands its focus along the chain before it lands on the prompt.
                focus.clearFocus()
            self.show_area(ids[pos])
            self.focus_first_prompt()

    def focus_first_prompt(self) -> None:
        """Put keyboard focus on the first observation of the area's first prompt (keys 1-4 rate it)."""
        if self._cards and self._cards[0].editors:
            editor = self._cards[0].first_editor()
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keyboard focus ----------------------------------------------------------------------

    def tab_stops(self) -> list[QWidget]:
        """Where Tab goes on this page, in reading order: areas, the prompts' controls, then Previous and Next.

        Qt's own order is the order widgets were made in, and this page makes
        them as it goes (an area's later prompts, added observations, photos),
        so the page keeps its own.  Hidden, disabled and click-only controls
        are left out.
        """
        candidates: list[QWidget] = [self.area_view]
        for card in self._cards:
            candidates += card.tab_stops()
        candidates += [self.previous_button, self.next_button]
        return [w for w in candidates
                if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 -- Qt's name
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        for attempt in range(2):
            stops = self.tab_stops()
            # Focus may sit inside a stop rather than on one (e.g. the area's page): count it as there.
            here: QWidget | None = focus
            while here is not None and here is not self and here not in stops:
                here = here.parentWidget()
            if here is None or here is self:
                return super().focusNextPrevChild(next)
            at = stops.index(here)
            target = at + 1 if next else (at - 1 if here is focus else at)
            leaving_cards = target >= len(stops) or stops[target] in (self.previous_button, self.next_button)
            if next and leaving_cards and self._pending_prompts and attempt == 0:
                self._finish_build()  # the area's later cards come first
                continue
            break
        if 0 <= target < len(stops):
            stops[target].setFocus(reason)
            return True
        self._keep_nav_buttons_last()
        outside = self._outside_neighbour(focus, next)
        if outside is None and stops:
            # Nothing else in the window takes focus (the page on its own): go round.
            outside = stops[0 if next else -1]
        if outside is None:
            return super().focusNextPrevChild(next)
        outside.setFocus(reason)
        return True

    def _keep_nav_buttons_last(self) -> None:
        """Put Previous and Next at the end of the window's focus chain.

        Widgets join the chain at its end when made, so without this a
        Shift+Tab from outside the page (the tab bar) would enter it at
        whichever control was made last, not at Next area.
        """
        window = self.window()
        last = window.previousInFocusChain()
        # The last widget that can take focus at all (setTabOrder ignores the others).
        while last is not window and last.focusPolicy() == Qt.FocusPolicy.NoFocus:
            last = last.previousInFocusChain()
        if last is self.next_button or last is window:
            return
        if last is not self.previous_button:
            QWidget.setTabOrder(last, self.previous_button)
        QWidget.setTabOrder(self.previous_button, self.next_button)

    def _outside_neighbour(self, start: QWidget, next: bool) -> QWidget | None:  # noqa: A002
        """The next (previous) Tab stop of the window outside this page, or None."""
        widget = start
        while True:
            widget = widget.nextInFocusChain() if next else widget.previousInFocusChain()
            if widget is start or widget is None:
                return None
            if widget is self or self.isAncestorOf(widget):
                continue
            if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.isEnabled()
                    and widget.focusProxy() is None and not widget.isWindow()):
                return widget

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Keep whatever gets focus in view (Tab, a deletion, a new area, an added observation).
        clicked = QApplication.mouseButtons() != Qt.MouseButton.NoButton  # it is where the pointer is: leave it
        if new is not None and not clicked and self._area_page is not None and self._area_page.isAncestorOf(new):
            if not isinstance(new, QPlainTextEdit):
                self.scroll.ensureWidgetVisible(new, 8, 8)
            elif self._editor_holding(old) is not self._editor_holding(new):
                self._show_cursor(new)  # a note: the line with the cursor
            # (A note just opened by its rating is not scrolled to: the card would move
            # away from the pointer. Its line comes into view as it is typed on.)
        self._remember_anchor()

    def _show_cursor(self, note: QPlainTextEdit) -> None:
        """Scroll (only if needed) so the line being typed in ``note`` is on screen."""
        if self._area_page is None or not self._area_page.isAncestorOf(note):
            return
        rect = note.cursorRect()
        centre = note.viewport().mapTo(self._pages, rect.center())
        self.scroll.ensureVisible(centre.x(), centre.y(), 8, rect.height() // 2 + 8)

    def history_action(self) -> QAction | None:
        """The "History…" command of the observation holding the keyboard, or None when none does."""
        editor = self._editor_holding(QApplication.focusWidget())
        return editor.history_act if editor is not None else None

    def _editor_holding(self, widget: QWidget | None) -> ObservationEditor | None:
        while widget is not None and widget is not self._area_page:
            if isinstance(widget, ObservationEditor):
                return widget
            widget = widget.parentWidget()
        return None

    def _remember_anchor(self) -> None:
        focus = QApplication.focusWidget()
        in_page = focus is not None and self._area_page is not None and self._area_page.isAncestorOf(focus)
        editor = self._editor_holding(focus) if in_page else None
        viewport = self.scroll.viewport()
        self._anchor = (editor, editor.mapTo(viewport, QPoint(0, 0)).y()) if editor is not None else None

    def _hold_anchor(self) -> None:
        """The page's height changed: keep the observation being worked on where it was on screen."""
        anchor = self._anchor
        if anchor is None:
            return
        editor, top = anchor
        focus = QApplication.focusWidget()
        try:
            if not editor.isVisible() or self._editor_holding(focus) is not editor:
                raise RuntimeError("no longer the observation being worked on")
            moved = editor.mapTo(self.scroll.viewport(), QPoint(0, 0)).y() - top
        except RuntimeError:  # (also: deleted since, with its card)
            self._remember_anchor()
            return
        if moved:
            bar = self.scroll.verticalScrollBar()
            bar.setValue(bar.value() + moved)  # (remembers the new place)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Opened: straight to the first prompt, unless the user is already somewhere on the page.
            QTimer.singleShot(0, self._focus_on_opening)

    def _focus_on_opening(self) -> None:
        # (While a dialog that opened the walkthrough hands the window back, nothing
        # has focus: setFocus then marks where focus goes once the window is active.)
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not self.isAncestorOf(focus)):
            self.focus_first_prompt()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        area_id = current.data(AreaIdRole)
        if area_id and area_id != self._area_id:
            self.flush()
            self._build(area_id)
            self.area_changed.emit(area_id)

    def _build(self, area_id: str) -> None:
        lens = self._wt.lens
        area = lens.area(area_id)
        assert area is not None
        self._area_id = area_id
        position = [a.id for a in lens.areas].index(area_id) + 1
        self.title.setText(area.title)
        self.scroll.setAccessibleName(self.tr("Prompts of %1").replace("%1", area.title))
        route = self.tr("Physical route") if area.kind is AreaKind.PHYSICAL else self.tr("Procedural route")
        where = self.tr("Area %1 of %2").replace("%1", str(position)).replace("%2", str(len(lens.areas)))
        self.subtitle.setText(" · ".join(x for x in (route, where, area.description) if x))
        self.previous_button.setEnabled(position > 1)
        self.next_button.setEnabled(position < len(lens.areas))

        # Each area is a page in one lasting container: taking the old page out
        # of the scroll area would re-style every widget on it (tens of ms).
        old = self._area_page
        page = QWidget(self._pages)
        self._area_page = page
        self._column = QVBoxLayout(page)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addStretch(1)
        self._cards = []
        self._pending_prompts = [*area.prompts, None]
        # The first screenful now, so the area shows at once; the rest a few
        # cards at a time while the event loop is idle (cards() finishes it).
        self._build_timer.stop()
        self._build_cards(FIRST_SCREEN_EDITORS)
        focus = QApplication.focusWidget()
        lost = old is not None and focus is not None and old.isAncestorOf(focus)
        if lost:
            # Let go before hiding the old page, or Qt walks its focus chain for a new home first.
            focus.clearFocus()
        if old is not None:
            old.hide()
            self._pages_layout.removeWidget(old)
            # Deleted after the new page is painted: deleting a big page takes a while.
            self._retired.append(old)
        self._pages_layout.addWidget(page)
        # Shown now, not by the layout's queued call, so focus and Tab can reach it at once.
        page.show()
        self.scroll.verticalScrollBar().setValue(0)
        # The rest starts once the page is painted (a zero timer would run
        # ahead of the paint), or after a pause if it is not on screen.
        page.installEventFilter(self)
        self._build_timer.start(BUILD_PAUSE_MS)
        if lost:
            self.focus_first_prompt()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._area_page and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Posted, so it runs after this paint pass has finished.
            self._build_timer.stop()
            QCoreApplication.postEvent(self, QEvent(_BUILD_MORE))
        return super().eventFilter(watched, event)

    def _build_cards(self, editors: int | None) -> None:
        """Build waiting cards until about ``editors`` editors were made (at least one card; None: all)."""
        made = 0
        page_shown = self._column.parentWidget().isVisible()
        while self._pending_prompts and (editors is None or made < editors or not self._cards):
            item = self._pending_prompts.pop(0)
            if isinstance(item, PromptCard):
                # A card built with its first editors only: add the rest.
                before = len(item.editors)
                item.sync(refresh=False)
                made += len(item.editors) - before
                continue
            card = PromptCard(self._wt, self._area_id or "", item, self._column.parentWidget(),
                              max_editors=None if editors is None else max(editors - made, 1))
            card.editor_created.connect(self._connect_editor)
            for editor in card.editors:
                self._connect_editor(editor)
            self._column.insertWidget(len(self._cards), card)
            if page_shown:
                # Now rather than by the layout's queued call, so Tab can reach it at once.
                card.show()
            self._cards.append(card)
            made += len(card.editors)
            if card.incomplete:
                self._pending_prompts.insert(0, card)
        self._keep_nav_buttons_last()

    def event(self, event: QEvent) -> bool:
        if event.type() == _BUILD_MORE:
            self._build_more()
            return True
        return super().event(event)

    def _build_more(self) -> None:
        self._delete_retired()
        self._build_cards(LATER_EDITORS)
        if self._pending_prompts:
            self._build_timer.start(0)

    def _delete_retired(self) -> None:
        while self._retired:
            self._retired.pop().deleteLater()

    def _finish_build(self) -> None:
        self._build_timer.stop()
        self._delete_retired()
        if self._pending_prompts:
            self._build_cards(None)

    def cards(self) -> list[PromptCard]:
        """The cards of the current area: one per prompt, then the free-standing one."""
        self._finish_build()
        return list(self._cards)

    def flush(self) -> None:
        """Save every note still waiting for its delay (before leaving or closing)."""
        for card in self._cards:
            card.flush()

    def _walkthrough_changed(self, changes: OpChanges) -> None:
        """Show what ``changes`` names, and nothing more.

        Observations changed in place: only their editors read them again (a
        note saved repaints that editor alone).  Observations made or deleted
        in the area shown: its cards take on or let go of editors.
        """
        for (entity, observation_id), fields in changes.updated.items():
            if entity is Entity.OBSERVATION:
                self._refresh_editor(observation_id, fields)
        # (fields=(): only observations made or deleted count here)
        if self._area_id is not None and self._area_id in self._wt.areas_changed(changes, fields=()):
            self._sync_cards()

    def _refresh_editor(self, observation_id: str, fields: frozenset[str]) -> None:
        for card in self._cards:
            editor = card.editor_of(observation_id)
            if editor is not None:
                editor.refresh()
                if "photos" in fields:
                    self._keep_nav_buttons_last()  # a new photo's thumbnail joined the chain at its end
                return

    def _sync_cards(self) -> None:
        """Match the area's cards to its observations (bound editors are not read again)."""
        by_prompt: dict[str | None, list[str]] = {}
        for o in self._wt.observations(self._area_id):
            by_prompt.setdefault(o.prompt_id, []).append(o.id)
        for card in self._cards:
            card.sync(by_prompt.get(card.prompt.id if card.prompt else None, []), refresh=False)

    # -- photos ------------------------------------------------------------------------------

    def _connect_editor(self, editor: ObservationEditor) -> None:
        self._keep_nav_buttons_last()
        note = editor.note
        note.cursorPositionChanged.connect(lambda: note.hasFocus() and self._show_cursor(note))
        editor.photos_wanted.connect(self.choose_photos)
        editor.paste_wanted.connect(self._paste_or_explain)
        editor.camera_wanted.connect(self.take_photo)
        editor.files_dropped.connect(self.add_photo_files)
        editor.photo_opened.connect(self.open_photo)

    def choose_photos(self, observation_id: str) -> None:
        """Ask for picture files and add them to an observation."""
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), "",
                                                self.tr("Pictures (%1);;All files (*)").replace("%1", IMAGE_PATTERNS))
        if paths:
            self.add_photo_files(observation_id, [Path(p) for p in paths])

    def _paste_or_explain(self, observation_id: str) -> None:
        if not self.paste_photo(observation_id):
            QMessageBox.information(self, self.tr("Nothing to paste"),
                                    self.tr("The clipboard holds no picture. Copy a screenshot or an image first."))

    def take_photo(self, observation_id: str) -> None:
        """Take a photo with the camera and add it to an observation (nothing if cancelled)."""
        from walkthrough.gui.views.camera_dialog import CameraDialog

        photo = CameraDialog.ask(self, self.photo_max_edge)
        if photo:
            # Named for where it came from and when (not "pasted image"), e.g. "camera photo 14.32.05".
            name = self.tr("camera photo %1").replace("%1", QTime.currentTime().toString("HH.mm.ss"))
            self.add_photo_sources(observation_id, [(photo, name)])

    def paste_photo(self, observation_id: str) -> bool:
        """Add the clipboard's picture (a screenshot) to an observation; False if it holds none."""
        image: QImage = QGuiApplication.clipboard().image()
        if image.isNull():
            return False
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        self.add_photo_sources(observation_id, [bytes(buffer.data())])
        return True

    def add_photo_files(self, observation_id: str, paths: list[Path]) -> None:
        """Prepare files off the GUI thread, then attach the good ones (one undo step)."""
        self.add_photo_sources(observation_id, list(paths))

    def add_photo_sources(self, observation_id: str, sources: Sequence[PhotoSource]) -> None:
        """Prepare pictures (paths or bytes) in the background and attach them (nothing when read-only)."""
        wt = self._wt
        if wt is None or wt.read_only:
            return
        max_edge = self.photo_max_edge

        def done(result: tuple[list[PreparedPhoto], list[PhotoRejected]]) -> None:
            prepared, refused = result
            # (The walkthrough is still the one on the page: the progress dialog is modal.)
            if prepared and wt is self._wt and wt.observation(observation_id) is not None:
                wt.add_photos(observation_id, prepared)
            if refused:
                QMessageBox.warning(
                    self,
                    self.tr("Some files were not added"),
                    self.tr("These files could not be added as photos:")
                    + "\n\n" + "\n".join(f"• {r}" for r in refused),
                )

        def failed(message: str) -> None:
            QMessageBox.warning(self, self.tr("Photos not added"), message)

        self.last_task = run_with_progress(
            self, self.tr("Adding photos"), self.tr("Preparing photos…"),
            lambda progress: prepare_photos(sources, progress, max_edge), done, failed,
        )

    def open_photo(self, observation_id: str, photo_id: str) -> None:
        """Show a photo large, to caption, blur or delete it."""
        from walkthrough.gui.views.photo_dialog import PhotoDialog

        PhotoDialog(self._wt, observation_id, photo_id, self).exec()
