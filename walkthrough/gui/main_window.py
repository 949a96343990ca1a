"""The main window: start page, then the open walkthrough's Walk, Review and Plan tabs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from walkthrough import __version__
from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.errors import WalkthroughError
from walkthrough.domain.file_names import suggested_file_name
from walkthrough.gui import settings as S
from walkthrough.gui.background import BackgroundTask, run_with_progress
from walkthrough.gui.error_wording import describe
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.start_page import StartPage
from walkthrough.gui.widgets.shared_undo import SharedUndo
from walkthrough.gui.wording import local_date_text

if TYPE_CHECKING:
    # The services, the store (SQLAlchemy) and the walkthrough pages are imported
    # where first used, not at start-up: the window is painted before any of them
    # loads (see walkthrough.gui.startup).
    from walkthrough.domain.records import ActionRecord, ObservationRecord, WalkthroughRecord
    from walkthrough.gui.open_walkthrough import OpenWalkthrough
    from walkthrough.gui.views.help_window import HelpWindow
    from walkthrough.gui.views.plan_page import PlanPage
    from walkthrough.gui.views.review_page import ReviewPage
    from walkthrough.gui.views.walk_page import WalkPage
    from walkthrough.storage.database import Database

#: Endings a chosen file name may keep for a format's own ending (a web page may end in .htm).
_SAME_SUFFIX = {".html": (".html", ".htm")}


class MainWindow(QMainWindow):
    """The application window.  Collaborators are passed in; it owns no globals.

    ``db`` may be None: the window is then an empty shell ("Opening…") until
    :meth:`attach_database` is called, so that it can be painted before the
    database is opened (see :mod:`walkthrough.gui.startup`).
    """

    def __init__(self, db: Database | None, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = db
        self.settings = settings
        self.current: OpenWalkthrough | None = None
        #: The Walk page of the open walkthrough (None when none is open).
        self.walk_page: WalkPage | None = None
        #: The one Walk page, kept between walkthroughs (see prepare_walk_page).
        self._walk_page: WalkPage | None = None
        # Review and Plan are built the first time they are shown (or asked for):
        # opening a large walkthrough then costs only the Walk page.
        self._review_page: ReviewPage | None = None
        self._plan_page: PlanPage | None = None
        self.last_task: BackgroundTask | None = None
        #: The user guide's window, once opened (F1).
        self.help_window: HelpWindow | None = None
        self.setWindowTitle(self.tr("Lens Walkthrough"))

        self.stack = QStackedWidget(self)
        self.start_page = StartPage(self)
        self.start_page.new_requested.connect(self.new_walkthrough)
        self.start_page.open_requested.connect(self.open_walkthrough)
        self.start_page.sample_requested.connect(self.open_sample)
        self.start_page.delete_requested.connect(self.delete_walkthrough)
        self.start_page.walk_again_requested.connect(self.walk_again)
        self.start_page.table.selectionModel().selectionChanged.connect(self._update_walk_again)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName(self.tr("Pages"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

        self.saved_label = QLabel(self)
        self.saved_label.setAccessibleName(self.tr("Save status"))
        self.statusBar().addPermanentWidget(self.saved_label)

        self._make_commands()
        self._restore_geometry()
        if db is not None:
            self.start_page.set_read_only(db.read_only)
        self.show_first_page()
        if db is None:
            self.statusBar().showMessage(self.tr("Opening the walkthroughs…"))

    def attach_database(self, db: Database) -> None:
        """Use ``db`` (the window was built without one) and list its walkthroughs."""
        self.db = db
        self.statusBar().clearMessage()
        self.start_page.set_read_only(db.read_only)
        self.show_first_page()

    # -- commands and menus -----------------------------------------------------------------
    # Qt's QActions are called "commands" here: "action" is the improvement plan's word.

    def _command(self, text: str, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_commands(self) -> None:
        K = QKeySequence.StandardKey
        self.new_walkthrough_command = self._command(self.tr("&New walkthrough…"), self.new_walkthrough, K.New,
                                       self.tr("Start a new walkthrough"))
        self.open_command = self._command(self.tr("&Open walkthrough…"), self.show_start_page, K.Open,
                                        self.tr("Choose a walkthrough to open"))
        self.walk_again_command = self._command(
            self.tr("Walk &again…"), self._walk_again_chosen, "Ctrl+Shift+W",
            self.tr("Start a follow-up walk of this walkthrough: the same service, site and team, with its open "
                    "actions in view"))
        self.report_command = self._command(self.tr("Export &report…"), self.export_report, "Ctrl+E",
                                          self.tr("Write the findings report as a PDF, a Word document or a web page"))
        self.csv_command = self._command(self.tr("Export findings as &CSV…"), self.export_csv)
        self.photos_command = self._command(self.tr("Export &photos to a folder…"), self.export_photos)
        self.compare_command = self._command(self.tr("Co&mpare with an earlier walk…"), self.compare_walks, None,
                                             self.tr("What changed since an earlier walk, prompt by prompt"))
        self.close_command = self._command(self.tr("&Close walkthrough"), self.show_start_page, K.Close)
        self.quit_command = self._command(self.tr("&Quit"), self.close, K.Quit)
        self.undo_command = self._command(self.tr("&Undo"), self._undo, K.Undo)
        self.redo_command = self._command(self.tr("&Redo"), self._redo, K.Redo)
        # Ctrl+Y too, as text fields take it (see SharedUndo); once only (it is Windows' own Redo).
        redo_keys = QKeySequence.keyBindings(K.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            self.redo_command.setShortcuts([*redo_keys, QKeySequence("Ctrl+Y")])
        self.find_command = self._command(self.tr("&Find findings"), self.find, K.Find,
                                        self.tr("Search the findings in Review"))
        self.details_command = self._command(self.tr("Walkthrough &details…"), self.edit_details, "Ctrl+I",
                                           self.tr("Correct the service, site, date, facilitators and participants"))
        # The Edit menu's way to the page's own "History…" (Walk: the observation holding the
        # keyboard; Review: the selected finding; Plan: the current action).  The page's command
        # answers Ctrl+Shift+H; this one only shows the key in the menu (a second window-wide
        # shortcut would make Qt find the key ambiguous and do neither).
        self.history_command = self._command(self.tr("&History…"), self._show_history, None,
                                             self.tr("Who changed the observation or action you are on, and when"))
        self.history_command.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.history_command.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._history_target: QAction | None = None
        self.next_area_command = self._command(self.tr("&Next area"), self._next_area, "Ctrl+PgDown")
        self.previous_area_command = self._command(self.tr("&Previous area"), self._previous_area, "Ctrl+PgUp")
        self.walk_tab_command = self._command(self.tr("&Walk"), lambda: self._show_tab(0), "Ctrl+1")
        self.review_tab_command = self._command(self.tr("&Review"), lambda: self._show_tab(1), "Ctrl+2")
        self.plan_tab_command = self._command(self.tr("Improvement &plan"), lambda: self._show_tab(2), "Ctrl+3")
        self.help_command = self._command(self.tr("&User guide"), self.show_help, K.HelpContents,
                                          self.tr("How to run a walkthrough with the app, offline"))
        self.about_command = self._command(self.tr("&About Lens Walkthrough"), self.show_about)
        self._make_team_commands()

        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        for a in (self.new_walkthrough_command, self.open_command, self.walk_again_command, None,
                  self.report_command, self.csv_command, self.photos_command, None, self.compare_command, None,
                  self.share_command, self.send_command, self.bring_in_command, self.this_laptop_command, None,
                  self.close_command, self.quit_command):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        for a in (self.undo_command, self.redo_command, None, self.find_command):
            edit_menu.addSeparator() if a is None else edit_menu.addAction(a)
        edit_menu.addAction(self.history_command)
        edit_menu.addSeparator()
        edit_menu.addAction(self.details_command)
        edit_menu.addAction(self.differences_command)
        edit_menu.aboutToShow.connect(self._count_differences_in_background)
        edit_menu.aboutToShow.connect(self._update_history_command)
        go_menu = bar.addMenu(self.tr("&Go"))
        for a in (self.walk_tab_command, self.review_tab_command, self.plan_tab_command, None,
                  self.next_area_command, self.previous_area_command):
            go_menu.addSeparator() if a is None else go_menu.addAction(a)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.help_command)
        help_menu.addAction(self.about_command)

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        for a in (self.new_walkthrough_command, self.open_command, self.undo_command, self.redo_command, self.report_command):
            toolbar.addAction(a)
        self._walkthrough_commands = [
            self.report_command, self.csv_command, self.photos_command, self.close_command, self.find_command,
            self.next_area_command, self.previous_area_command, self.walk_tab_command, self.review_tab_command,
            self.plan_tab_command, self.share_command, self.send_command, self.compare_command,
        ]

    def _update_actions(self) -> None:
        has = self.current is not None
        self.history_command.setEnabled(has)  # which thing: worked out as the Edit menu opens
        for action in self._walkthrough_commands:
            action.setEnabled(has)
        self.new_walkthrough_command.setEnabled(self.db is not None and not self.db.read_only)
        self.open_command.setEnabled(self.db is not None)
        self._update_walk_again()
        self.details_command.setEnabled(has and not self.current.read_only)
        self.bring_in_command.setEnabled(self.db is not None and not self.db.read_only)
        self.this_laptop_command.setEnabled(self.db is not None and not self.db.read_only)
        self.differences_command.setEnabled(has)
        stack = self.current.undo_stack if self.current else None
        self.undo_command.setEnabled(bool(stack and stack.canUndo()))
        self.redo_command.setEnabled(bool(stack and stack.canRedo()))
        if stack:
            self.undo_command.setText(self.tr("&Undo %1").replace("%1", stack.undoText()).strip())
            self.redo_command.setText(self.tr("&Redo %1").replace("%1", stack.redoText()).strip())

    def _page_history_command(self) -> QAction | None:
        """The shown page's "History…" command for what the person is on (None on the start page)."""
        if self.current is None or self.stack.currentWidget() is not self.tabs:
            return None
        page = self.tabs.currentWidget()
        if page is None or page not in (self.walk_page, self._review_page, self._plan_page):
            return None
        return page.history_action()

    @Slot()
    def _update_history_command(self) -> None:
        # Asked as the menu opens, while the keyboard is still where the person was.
        self._history_target = self._page_history_command()
        self.history_command.setEnabled(self._history_target is not None and self._history_target.isEnabled())

    @Slot()
    def _show_history(self) -> None:
        target = self._history_target or self._page_history_command()
        self._history_target = None
        if target is not None and target.isEnabled():
            target.trigger()

    # -- pages -----------------------------------------------------------------------------------

    def show_first_page(self) -> None:
        """Where the person left off: the walkthrough and area they were in, if it still exists; else the list."""
        last, area = self.settings.get(S.LAST_WALKTHROUGH), self.settings.get(S.LAST_AREA)
        self.show_start_page()
        if last and area and self.start_page.current_id() == last:
            self.open_walkthrough(last)
            if self.walk_page is not None:
                self.walk_page.show_area(area)  # an area the lens no longer has: its first, as opened

    def show_start_page(self) -> None:
        """Close any open walkthrough and list them all."""
        if self.current is not None:
            self.settings.set(S.LAST_AREA, "")  # left for the list: the next start shows the list too
        self._close_current()
        rows = []
        if self.db is not None:
            from walkthrough.services import walkthroughs

            try:
                rows = walkthroughs.list_walkthroughs(self.db)
            except WalkthroughError as exc:
                self._warn(self.tr("Cannot list walkthroughs"), describe(exc))
        self.start_page.set_walkthroughs(rows)
        self._count_differences_of_all(rows)
        # The walkthrough last worked on is ready to open again with Enter.
        self.start_page.select(self.settings.get(S.LAST_WALKTHROUGH))
        self.stack.setCurrentWidget(self.start_page)
        self._set_title(self.tr("Lens Walkthrough"))
        self._update_actions()

    @Slot(str)
    def open_walkthrough(self, walkthrough_id: str) -> None:
        """Open a walkthrough in the Walk tab."""
        from walkthrough.gui.open_walkthrough import OpenWalkthrough

        assert self.db is not None, "no database attached yet"
        self._close_current()
        try:
            current = OpenWalkthrough(self.db, walkthrough_id, self)
        except WalkthroughError as exc:
            self._warn(self.tr("Cannot open the walkthrough"), describe(exc))
            self.show_start_page()
            return
        self.current = current
        current.changed.connect(self._walkthrough_changed)
        current.error.connect(lambda message: self._warn(self.tr("Not saved"), message))
        current.told.connect(lambda message: self.statusBar().showMessage(message, 15000))
        # What was told ("Deleted … Ctrl+Z brings it back") is out of date once the history moves.
        # (A bound slot of the status bar, not a lambda: Qt drops the connection with the window.)
        current.undo_stack.indexChanged.connect(self.statusBar().clearMessage)
        current.undo_stack.indexChanged.connect(self._update_actions)
        self.walk_page = self.prepare_walk_page()
        self.walk_page.photo_max_edge = self.settings.get(S.PHOTO_MAX_EDGE)
        self.walk_page.set_walkthrough(current)
        self.walk_page.set_previous_actions(self._open_actions_before(current.record.follows_id))
        # Placeholders until each page is first shown (see _ensure_review_page).
        self.tabs.addTab(QWidget(self.tabs), self._review_title())
        self.tabs.addTab(QWidget(self.tabs), self._plan_title())
        self.stack.setCurrentWidget(self.tabs)
        self._show_walkthrough_title()
        self.settings.set(S.LAST_WALKTHROUGH, walkthrough_id)
        self.saved_label.setText(self.tr("Read-only") if self.db.read_only else self.tr("All changes saved"))
        self._update_actions()

    def _open_actions_before(self, follows_id: str | None) -> list[ActionRecord]:
        """The open actions of the walk a walk again follows up (none when it is not one, or is gone)."""
        from walkthrough.services import services

        if follows_id is None or self.db is None:
            return []
        try:
            return services.open_actions_of(self.db, follows_id)
        except WalkthroughError:
            return []  # deleted since: walking goes on without them

    def prepare_walk_page(self, rehearse: str | None = None,
                          read: tuple[WalkthroughRecord, list[ObservationRecord]] | None = None) -> WalkPage:
        """The Walk page, built (empty) and styled now if it was not already; returns it.

        Called while the start page is on screen (see
        :func:`walkthrough.gui.startup.warm_up`), so that opening a walkthrough
        only fills the page in; the page then serves every walkthrough opened.

        Given ``rehearse`` (a walkthrough id: the one the start page offers),
        the page is also filled with that walkthrough and drawn once off
        screen, then emptied again.  Qt draws a kind of widget, a font or a
        style's frame much faster the second time (caches), so the first real
        opening then takes about 30 ms less.  Nothing is written; a
        walkthrough that cannot be read is simply not rehearsed.  ``read`` is
        what the background warm-up already read of it, so that the GUI
        thread does not read it again.
        """
        if self._walk_page is None:
            from walkthrough.gui.views.walk_page import WalkPage

            self._walk_page = WalkPage(None, self.settings.get(S.PHOTO_MAX_EDGE), self.tabs)
            self._walk_page.area_changed.connect(self._remember_area)
            self.tabs.blockSignals(True)
            try:
                self.tabs.insertTab(0, self._walk_page, self.tr("&Walk"))
            finally:
                self.tabs.blockSignals(False)
            self._walk_page.ensurePolished()
        if rehearse is not None and self.db is not None and self.current is None:
            self._rehearse(self._walk_page, rehearse, read)
        return self._walk_page

    @Slot(str)
    def _remember_area(self, area_id: str) -> None:
        if self.current is not None and self.walk_page is not None and self.walk_page.open_walkthrough is self.current:
            self.settings.set(S.LAST_AREA, area_id)  # not a rehearsal's

    def _rehearse(self, page: WalkPage, walkthrough_id: str,
                  read: tuple[WalkthroughRecord, list[ObservationRecord]] | None) -> None:
        from walkthrough.gui.open_walkthrough import OpenWalkthrough

        assert self.db is not None
        try:
            rehearsal = OpenWalkthrough(self.db, walkthrough_id, self, read=read)
        except WalkthroughError:
            return  # opening it for real will say what is wrong
        try:
            page.set_walkthrough(rehearsal)
            page.grab()  # laid out and drawn off screen, never shown
        finally:
            page.release()
            rehearsal.deleteLater()

    @Slot()
    def _show_walkthrough_title(self) -> None:
        if self.current is not None:
            record = self.current.record
            self._set_title(f"{record.service} — {record.site} — {self.tr('Lens Walkthrough')}")

    def _set_title(self, title: str) -> None:
        read_only = self.db is not None and self.db.read_only
        self.setWindowTitle(title + (self.tr(" (read-only)") if read_only else ""))

    def _close_current(self) -> None:
        if self.current is None:
            return
        if self.walk_page is not None:
            self.walk_page.release()  # kept for the next walkthrough
        # No tab change while emptying: it would build a page only to delete it.
        self.tabs.blockSignals(True)
        try:
            while self.tabs.count() > 1:
                page = self.tabs.widget(1)
                self.tabs.removeTab(1)
                page.deleteLater()
            self.tabs.setCurrentIndex(0)
        finally:
            self.tabs.blockSignals(False)
        self.current.deleteLater()
        self.current = None
        self.walk_page = self._review_page = self._plan_page = None
        self.saved_label.clear()

    @property
    def review_page(self) -> ReviewPage | None:
        """The open walkthrough's Review page (built on first use), or None when none is open."""
        return self._ensure_review_page()

    @property
    def plan_page(self) -> PlanPage | None:
        """The open walkthrough's Improvement plan page (built on first use), or None when none is open."""
        return self._ensure_plan_page()

    def _review_title(self) -> str:
        return self.tr("&Review")

    def _plan_title(self) -> str:
        return self.tr("Improvement &plan")

    def _ensure_review_page(self) -> ReviewPage | None:
        if self._review_page is None and self.current is not None:
            from walkthrough.gui.views.review_page import ReviewPage

            self._review_page = ReviewPage(self.current, self)
            self._review_page.action_requested.connect(self.new_action_from_findings)
            self._review_page.search_shortcut.setEnabled(False)  # Edit → Find (Ctrl+F) does it
            self._put_in_tab(1, self._review_page, self._review_title())
        return self._review_page

    @Slot(list, object)
    def new_action_from_findings(self, observation_ids: list[str], over: QWidget | None = None) -> str | None:
        """Go to the improvement plan and start an action linked to these findings.

        The dialog opens over ``over`` when given (the presentation window).
        Returns the new action's id, or None if none was made (cancelled, read-only).
        """
        plan = self._ensure_plan_page()
        if plan is None:
            return None
        self.tabs.setCurrentWidget(plan)
        return plan.new_action(observation_ids, dialog_parent=over)

    def _ensure_plan_page(self) -> PlanPage | None:
        if self._plan_page is None and self.current is not None:
            from walkthrough.gui.views.plan_page import PlanPage

            self._plan_page = PlanPage(self.current, self)
            self._put_in_tab(2, self._plan_page, self._plan_title())
        return self._plan_page

    def _put_in_tab(self, index: int, page: QWidget, title: str) -> None:
        """Put a page where its placeholder was, keeping the current tab."""
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        # Swapping the widget moves the current index about; that is not a tab change.
        self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()

    def _show_tab(self, index: int) -> None:
        """Show a tab and put the keyboard in it, not on the tab bar (Ctrl+1, 2, 3)."""
        self.tabs.setCurrentIndex(index)
        page = self.tabs.currentWidget()
        if page is None or page.isAncestorOf(QApplication.focusWidget()):
            return
        if page is self.walk_page:
            self.walk_page.focus_first_prompt()
        elif page is self._review_page:
            self._review_page.table_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif page is self._plan_page:
            self._plan_page.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(int)
    def _tab_shown(self, index: int) -> None:
        if index == 1:
            self._ensure_review_page()
        elif index == 2:
            self._ensure_plan_page()

    def new_walkthrough(self) -> None:
        """Ask for the details and start a walkthrough."""
        from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
        from walkthrough.services import lens_catalog, services, walkthroughs

        if self.db is None:
            return
        catalog = lens_catalog.load_catalog()
        try:
            names = [s.name for s in services.list_services(self.db)]
        except WalkthroughError:
            names = []  # typed in full instead
        details = NewWalkthroughDialog.ask(catalog, self, self.settings.get(S.FACILITATOR_NAME), services=names)
        if details is None:
            return

        # A second walkthrough of the same visit is usually a double click or a
        # forgotten earlier start: ask, but let a genuine second team go ahead.
        if walkthroughs.find_same_visit(self.db, details.service, details.site, details.visit_date) is not None:
            from PySide6.QtCore import QDate, QLocale

            when = QLocale().toString(
                QDate(details.visit_date.year, details.visit_date.month, details.visit_date.day),
                QLocale.FormatType.LongFormat,
            )
            answer = QMessageBox.question(
                self, self.tr("Walkthrough already exists"),
                self.tr("A walkthrough of %1 at %2 on %3 already exists. Start another one anyway?")
                .replace("%1", details.service.strip()).replace("%2", details.site.strip()).replace("%3", when),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            record = walkthroughs.create_walkthrough(
                self.db, details.lens, service=details.service, site=details.site,
                visit_date=details.visit_date, facilitators=details.facilitators,
                participants=details.participants,
            )
        except WalkthroughError as exc:
            self._warn(self.tr("Walkthrough not created"), describe(exc))
            return
        if details.facilitators:
            self.settings.set(S.FACILITATOR_NAME, details.facilitators[0])
        self.open_walkthrough(record.id)

    def _walked_again_from(self) -> str | None:
        """The walkthrough a walk again follows up: the open one, else the one chosen on the start page."""
        if self.current is not None:
            return self.current.record.id
        return self.start_page.current_id() if self.stack.currentWidget() is self.start_page else None

    def _update_walk_again(self) -> None:
        self.walk_again_command.setEnabled(self.db is not None and not self.db.read_only
                                           and self._walked_again_from() is not None)

    def _walk_again_chosen(self) -> None:
        if (walkthrough_id := self._walked_again_from()) is not None:
            self.walk_again(walkthrough_id)

    @Slot(str)
    def walk_again(self, walkthrough_id: str) -> None:
        """Start a follow-up walk of ``walkthrough_id`` (same service, site and team; its lens or the newer
        version) and open it: the open actions of the walk it follows are shown while walking."""
        from walkthrough.services import lens_catalog, services

        if self.db is None or self.db.read_only:
            return
        if self.walk_page:
            self.walk_page.flush()
        try:
            record = services.walk_again(self.db, walkthrough_id, catalog=lens_catalog.load_catalog())
        except WalkthroughError as exc:
            self._warn(self.tr("Walkthrough not created"), describe(exc))
            return
        self.open_walkthrough(record.id)

    def edit_details(self) -> None:
        """Correct the open walkthrough's service, site, date and team, as one undoable step."""
        from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog

        if self.current is None or self.current.read_only:
            return
        if self.walk_page:
            self.walk_page.flush()  # a note being typed is its own step, before this one
        details = NewWalkthroughDialog.ask_edit(self.current.record, self)
        if details is None or self.current is None:
            return
        self.current.edit_details(service=details.service, site=details.site, visit_date=details.visit_date,
                                  facilitators=details.facilitators, participants=details.participants)

    def open_sample(self) -> None:
        """Open the sample walkthrough (a fictional service), creating it in the background if it is not there."""
        from walkthrough.services import demo

        self.settings.set(S.SAMPLE_OFFERED, True)
        db = self.db
        if db is None:
            return
        try:
            existing = demo.find_demo_walkthrough(db)
        except WalkthroughError:
            existing = None  # the sample's own data could not be read: creating it will say why
        if existing is not None:
            self.open_walkthrough(existing)  # one sample is enough; deleting it gives a fresh one
            return
        self.last_task = run_with_progress(
            self, self.tr("Sample walkthrough"), self.tr("Creating the sample walkthrough…"),
            lambda progress: demo.create_demo_walkthrough(db).id,
            self.open_walkthrough,
            lambda message: self._warn(self.tr("Sample not created"), message),
        )

    def offer_sample(self) -> None:
        """On first run, offer the sample walkthrough (asked once; never on a read-only database)."""
        if self.db is None or self.db.read_only:
            return
        answer = QMessageBox.question(
            self, self.tr("Welcome to Lens Walkthrough"),
            self.tr("Would you like to open a sample walkthrough of a fictional rural substance use "
                    "service, to see how it works? You can delete it at any time."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes,
        )
        # Remembered once answered (Escape is "No"): an app that ended with the question open asks again.
        self.settings.set(S.SAMPLE_OFFERED, True)
        if answer == QMessageBox.StandardButton.Yes:
            self.open_sample()

    @Slot(str)
    def delete_walkthrough(self, walkthrough_id: str) -> None:
        """Delete a walkthrough after asking, by name (this cannot be undone)."""
        summary = self.start_page.summary_of(walkthrough_id)
        if summary is None:
            question = self.tr("Delete this walkthrough with all its observations, photos and actions? "
                               "This cannot be undone.")
        else:
            # Named, so the right one goes: service, site and date, and what it holds.
            question = (self.tr("Delete the walkthrough of “%1” at %2 on %3 with all its observations, photos "
                                "and actions? This cannot be undone.")
                        .replace("%1", summary.service).replace("%2", summary.site)
                        .replace("%3", local_date_text(summary.visit_date)))
            question += "\n\n" + self.tr("It holds %1 and %2.").replace(
                "%1", self.tr("%n observation(s)", "", summary.observation_count)).replace(
                "%2", self.tr("%n photo(s)", "", summary.photo_count))
        answer = QMessageBox.question(
            self, self.tr("Delete walkthrough"), question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes or self.db is None:
            return
        from walkthrough.services import walkthroughs

        try:
            walkthroughs.delete_walkthrough(self.db, walkthrough_id)
        except WalkthroughError as exc:
            self._warn(self.tr("Not deleted"), describe(exc))
        self.show_start_page()

    # -- edit and go ---------------------------------------------------------------------------

    def _undo(self) -> None:
        if self.current:
            self._save_pending()
            self.current.undo_stack.undo()

    def _redo(self) -> None:
        if self.current:
            self._save_pending()
            self.current.undo_stack.redo()

    def _save_pending(self) -> None:
        """Save typing still waiting (a note, a cell being edited), so it is a step of the history first."""
        if self.walk_page:
            self.walk_page.flush()
        shared = SharedUndo.of(QApplication.focusWidget())
        if shared is not None:
            shared.save_pending()

    def find(self) -> None:
        """Go to Review and put the cursor in its search field."""
        if self.review_page is not None:
            self.tabs.setCurrentWidget(self.review_page)
            self.review_page.focus_search()

    def _next_area(self) -> None:
        if self.walk_page is not None:
            self.tabs.setCurrentWidget(self.walk_page)
            self.walk_page.next_area()

    def _previous_area(self) -> None:
        if self.walk_page is not None:
            self.tabs.setCurrentWidget(self.walk_page)
            self.walk_page.previous_area()

    def _walkthrough_changed(self, changes: OpChanges) -> None:
        self._show_saved()
        if changes.touches(Entity.WALKTHROUGH):
            self._show_walkthrough_title()  # its service or site may have been corrected

    def _show_saved(self) -> None:
        self.saved_label.setText(self.tr("Saved %1").replace("%1", dt.datetime.now().strftime("%H:%M:%S")))

    # -- export ----------------------------------------------------------------------------------

    def _ask_save_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
        folder = self.settings.get(S.LAST_FOLDER) or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / suggested), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in _SAME_SUFFIX.get(suffix, (suffix,)):
            path = path.with_name(path.name + suffix)
        self.settings.set(S.LAST_FOLDER, str(path.parent))
        return path

    def _suggested_name(self, ending: str) -> str:
        assert self.current is not None
        r = self.current.record
        return suggested_file_name(r.service, r.site, r.visit_date, ending)

    def export_report(self) -> None:
        """Write the report (PDF, Word or a web page, as chosen) in the background, then offer to open it."""
        if self.current is None:
            return
        from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
        from walkthrough.report.report_options import ReportFormat

        # The report says nothing of differences not yet decided, so the window does, before it is written.
        options = ReportOptionsDialog.ask(self.current.lens, self.settings, self,
                                          open_differences=self.update_differences_count())
        if options is None:
            return
        suffix = options.format.suffix
        if options.format is ReportFormat.DOCX:
            title, file_filter = self.tr("Export report as a Word document"), self.tr("Word documents (*.docx)")
        elif options.format is ReportFormat.HTML:
            title, file_filter = self.tr("Export report as a web page"), self.tr("Web pages (*.html *.htm)")
        else:
            title, file_filter = self.tr("Export PDF report"), self.tr("PDF documents (*.pdf)")
        path = self._ask_save_path(title, self._suggested_name(" findings" + suffix), file_filter, suffix)
        if path is None:
            return
        if self.walk_page:
            self.walk_page.flush()
        from walkthrough.report import build_report  # ReportLab and python-docx load only when a report is written
        from walkthrough.services import photos as photo_service
        from walkthrough.services import walkthroughs

        db, wid = self.db, self.current.id

        def work(progress):
            contents = walkthroughs.load_contents(db, wid)
            build_report(contents, lambda pid: photo_service.photo_for_print(db, pid), path, options, progress)
            return path

        def done(result: Path) -> None:
            answer = QMessageBox.information(
                self, self.tr("Report ready"), self.tr("The report was saved as %1.").replace("%1", str(result)),
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
                QMessageBox.StandardButton.Open,
            )
            if answer == QMessageBox.StandardButton.Open:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result)))

        self.last_task = run_with_progress(self, title, self.tr("Writing the report…"),
                                           work, done, lambda m: self._warn(self.tr("Report not written"), m))

    def export_csv(self) -> None:
        """Write the findings as a CSV file for a spreadsheet."""
        if self.current is None:
            return
        path = self._ask_save_path(self.tr("Export findings as CSV"), self._suggested_name(" findings.csv"),
                                   self.tr("CSV files (*.csv)"), ".csv")
        if path is None:
            return
        from walkthrough.services import csv_exchange

        try:
            count = csv_exchange.export_csv(self.db, self.current.id, path)
        except WalkthroughError as exc:
            self._warn(self.tr("Findings not exported"), describe(exc))
            return
        self.statusBar().showMessage(self.tr("Exported %n finding(s)", "", count), 5000)

    def export_photos(self) -> None:
        """Write every photo into a chosen folder, in the background."""
        if self.current is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export photos to a folder"),
                                                  self.settings.get(S.LAST_FOLDER) or str(Path.home()))
        if not folder:
            return
        from walkthrough.services import photos as photo_service

        db, wid = self.db, self.current.id
        self.last_task = run_with_progress(
            self, self.tr("Export photos"), self.tr("Writing photos…"),
            lambda progress: photo_service.export_photos(db, wid, Path(folder), progress),
            lambda written: self.statusBar().showMessage(
                self.tr("Exported %n photo(s)", "", len(written)), 5000),
            lambda m: self._warn(self.tr("Photos not exported"), m),
        )

    # -- a team on several laptops (issue #14) ---------------------------------------------------

    def _make_team_commands(self) -> None:
        from walkthrough.gui.team_packages import TeamPackages

        self.team = TeamPackages(self)
        self.differences_dialog = None
        self._counting: BackgroundTask | None = None
        self.share_command = self._command(
            self.tr("&Share walkthrough…"), lambda: self.team.share(), None,
            self.tr("Save the whole walkthrough in a package, to continue it on another laptop"))
        self.send_command = self._command(
            self.tr("Sen&d my changes…"), lambda: self.team.send(), None,
            self.tr("Save the changes made here in a package for another laptop"))
        self.bring_in_command = self._command(
            self.tr("&Bring in changes…"), lambda: self.team.bring_in(), None,
            self.tr("Bring in a package from another laptop: its changes, or a shared walkthrough"))
        self.this_laptop_command = self._command(
            self.tr("This &laptop…"), lambda: self.team.name_this_laptop(), None,
            self.tr("The name other laptops know this one by, and who uses it"))
        self.differences_command = self._command(
            self.tr("D&ifferences to decide…"), self.show_differences, None,
            self.tr("Where two people changed the same thing without seeing each other's change"))

    def update_differences_count(self) -> int:
        """Put the open walkthrough's number of differences to decide in the command's text; returns it."""
        count = 0
        if self.current is not None and self.db is not None:
            from walkthrough.services.differences import list_differences

            try:
                count = len(list_differences(self.db, self.current.id))
            except WalkthroughError:
                count = 0
        self._show_differences_count(count)
        return count

    def _show_differences_count(self, count: int) -> None:
        self.differences_command.setText(
            self.tr("D&ifferences to decide (%1)…").replace("%1", str(count)) if count
            else self.tr("D&ifferences to decide…"))

    def _count_differences_of_all(self, rows: list) -> None:
        """The start page's rows say how many differences each walkthrough has to decide, counted off the GUI thread.

        Only in a database that has had packages from other laptops: elsewhere there can be none.
        """
        if self.db is None or not rows:
            return
        from walkthrough.services.differences import list_differences
        from walkthrough.services.exchange import other_devices

        try:
            if not other_devices(self.db):
                return
        except WalkthroughError:
            return
        db, ids = self.db, [row.id for row in rows]
        task = BackgroundTask(lambda progress: {wid: len(list_differences(db, wid)) for wid in ids}, self)
        task.succeeded.connect(self.start_page.model.set_differences)
        task.finished.connect(task.deleteLater)
        task.start()

    def _count_differences_in_background(self) -> None:
        """Count them as the Edit menu opens, off the GUI thread (a quarter second for 1,000 observations)."""
        if self.current is None or self.db is None or self._counting is not None:
            return
        from walkthrough.services.differences import list_differences

        db, wid = self.db, self.current.id
        task = BackgroundTask(lambda progress: len(list_differences(db, wid)), self)
        self._counting = task

        def counted(count: int) -> None:
            if self.current is not None and self.current.id == wid:
                self._show_differences_count(count)  # the open menu shows the new text at once

        def over() -> None:
            self._counting = None
            task.deleteLater()

        task.succeeded.connect(counted)
        task.finished.connect(over)
        task.start()

    def show_differences(self):  # type: ignore[no-untyped-def]
        """The open walkthrough's differences to decide, one at a time; returns the dialog (None if none open)."""
        if self.current is None or self.db is None:
            return None
        from walkthrough.gui.views.differences_dialog import DifferencesDialog

        self._save_pending()
        dialog = DifferencesDialog.show_for(self.db, self.current.id, self.current.lens, self, self.current)
        dialog.decided.connect(self._difference_decided)
        dialog.finished.connect(self.update_differences_count)
        self.differences_dialog = dialog
        return dialog

    @Slot(str)
    def _difference_decided(self, _entity_id: str) -> None:
        if self.current is not None:
            try:
                self.current.reload()
            except WalkthroughError as exc:
                self._warn(self.tr("Cannot show the decision"), describe(exc))
        self.update_differences_count()

    # -- comparing walks (issue #16) --------------------------------------------------------------

    def compare_walks(self):  # type: ignore[no-untyped-def]
        """Compare the open walkthrough with an earlier walk; returns the dialog (None if none open)."""
        if self.current is None or self.db is None:
            return None
        from walkthrough.gui.views.compare_dialog import CompareDialog

        self._save_pending()  # a note being typed is part of this walk
        self.compare_dialog = CompareDialog.show_for(self.db, self.current.id, self)
        return self.compare_dialog

    # -- help ------------------------------------------------------------------------------------

    def show_help(self) -> None:
        """The user guide, in a window of its own beside this one (made once, then brought forward)."""
        if self.help_window is None:
            from walkthrough.gui.views.help_window import HelpWindow

            self.help_window = HelpWindow(self)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()

    def show_about(self) -> None:
        """Name, version and licences."""
        QMessageBox.about(
            self, self.tr("About Lens Walkthrough"),
            self.tr("<h3>Lens Walkthrough %1</h3>"
                    "<p>Run a trauma-informed service walkthrough offline and turn it into findings "
                    "and an improvement plan.</p>"
                    "<p>Licence: GNU GPL version 3 or later.<br>"
                    "Uses Qt and PySide6 (LGPL), SQLAlchemy and Alembic (MIT), ReportLab (BSD), "
                    "Pillow (MIT-CMU), pillow-heif (BSD; libheif LGPL), pydantic (MIT), PyYAML (MIT), "
                    "platformdirs (MIT).<br>"
                    "Report font: DejaVu Sans (Bitstream Vera licence).<br>"
                    "Installers also carry the components listed, with their licences, in "
                    "THIRD-PARTY-LICENSES.md (among them libheif and x265).</p>").replace("%1", __version__),
        )

    # -- window state ----------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        from walkthrough.gui.widgets.screen_fit import fit_to_screen, keep_on_screen

        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            # Roomy on a large screen; on a laptop, a projector or with large text, the screen's free area.
            fit_to_screen(self, QSize(1280, 760))
        else:
            keep_on_screen(self)  # saved on a larger screen (or before the text was made larger)
        state = self.settings.get(S.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.walk_page is not None:
            self.walk_page.flush()
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.WINDOW_STATE, self.saveState())
        self.settings.sync()
        super().closeEvent(event)

    def _warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)
