"""Start-up: paint the window first, then open the database off the GUI thread.

The window appears before the heavy work: importing SQLAlchemy (about half a
second on a modest laptop), checking the file, the first daily backup and any
schema upgrade all happen on a worker thread after the first paint, so the
facilitator sees the app at once and it never looks frozen.

:class:`DatabaseOpener` keeps the ways out that a database which cannot be
opened for work needs: restore the newest good backup of a damaged one, or
look at a write-protected or locked one read-only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from walkthrough.domain.errors import DatabaseBusy, WalkthroughError
from walkthrough.gui.background import BackgroundTask, Progress
from walkthrough.gui.error_wording import describe
from walkthrough.storage.errors import DamagedDatabase, ReadOnlyDatabase

if TYPE_CHECKING:  # imported on the worker thread, after the first paint
    from walkthrough.domain.records import ObservationRecord, WalkthroughRecord
    from walkthrough.storage.database import Database

    #: A walkthrough and its observations in walking order, as opening reads them.
    WalkthroughRead = tuple[WalkthroughRecord, list[ObservationRecord]]

#: Open the database anyway if no paint event arrives (a minimised window).
_PAINT_FALLBACK_MS = 300

#: Loaded in the background once the walkthroughs are listed, while the
#: facilitator reads the list, so that opening the first walkthrough does not
#: pay for them (pydantic and the lens model alone take about 0.2 s).
#: Plain Python: safe to import on a worker thread.
WARM_UP_MODULES = (
    "walkthrough.domain.lens",
    "walkthrough.services.observations",
    "walkthrough.services.actions",
    "walkthrough.services.photos",
    "walkthrough.services.photo_intake",
    "walkthrough.services.lens_catalog",
)
#: The walkthrough pages: they define Qt classes, so they are imported on the
#: GUI thread, after the modules above, when the event loop is idle.
WARM_UP_GUI_MODULES = (
    "walkthrough.gui.open_walkthrough",
    "walkthrough.gui.views.walk_page",
)


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(_PAINT_FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._widget and event.type() == QEvent.Type.Paint and self._callback is not None:
            # The children are painted in this same pass; the zero timer runs
            # when control is back in the event loop, after the frame is out.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, on the GUI thread, just after ``widget`` is first painted.

    If no paint comes within 300 ms (the window is minimised or hidden),
    it is called then anyway.  Nothing happens if the widget is deleted first.
    """
    _FirstPaint(widget, callback)


def warm_up(parent: QObject, db: Database | None = None, walkthrough_id: str | None = None,
            then: Callable[[WalkthroughRead | None], object] | None = None) -> BackgroundTask:
    """Prepare for opening a walkthrough, in the background; returns the task.

    :data:`WARM_UP_MODULES` load on a worker thread, then
    :data:`WARM_UP_GUI_MODULES` on the GUI thread, followed by ``then`` (the
    window builds its Walk page there: :meth:`MainWindow.prepare_walk_page`).
    Given ``db`` and ``walkthrough_id`` (the one the start page offers
    first), the worker also reads that walkthrough as opening it would and
    hands ``then`` what it read (``None`` if nothing could be): SQLAlchemy
    has compiled the opening queries, the database file's pages are in the
    system's cache, and the Walk page can be rehearsed without reading again
    on the GUI thread.

    Nothing changes but the time the first walkthrough takes to open; a
    failure is left for the real import or read to report.
    """
    def work(_progress: Progress) -> WalkthroughRead | None:
        for name in WARM_UP_MODULES:
            importlib.import_module(name)
        if db is not None and walkthrough_id is not None:
            from walkthrough.services.observations import walkthrough_with_observations

            try:
                return walkthrough_with_observations(db, walkthrough_id)
            except WalkthroughError:
                pass  # deleted meanwhile, or damaged: opening it will say so
        return None

    def then_gui(read: object) -> None:
        for name in WARM_UP_GUI_MODULES:
            importlib.import_module(name)
        if then is not None:
            then(read)  # type: ignore[arg-type]  # what work returned

    task = BackgroundTask(work, parent)
    task.succeeded.connect(lambda result: QTimer.singleShot(0, task, lambda: then_gui(result)))
    task.start()
    return task


class DatabaseOpener(QObject):
    """Opens the walkthrough database on a worker thread, offering a way out when it cannot.

    * A damaged database: offers to restore the newest backup that passes its
      check (the damaged file is kept in the backups folder first).
    * A database that cannot be written (a write-protected stick) or is locked
      by another program: offers to open it read-only, to look.
    * Anything else: one message.

    Exactly one of ``opened(Database)`` or ``gave_up()`` is emitted per
    :meth:`start`.  Questions and messages are parented to ``parent``.
    """

    opened = Signal(object)
    gave_up = Signal()

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = database_path
        self._parent = parent
        self._asked_read_only = False
        self.task: BackgroundTask | None = None

    def start(self, *, read_only: bool = False) -> None:
        """Open the database (read-only when asked) in the background.

        Asked for read-only, nothing is offered that would write: a damaged
        database gets its message (naming the good backup), not a restore.
        """
        self._asked_read_only = read_only
        self._run(lambda: self._open(read_only), self._first_outcome)

    def _open(self, read_only: bool) -> Database:
        from walkthrough.storage.database import open_database

        return open_database(self.path, read_only=read_only)

    def _restore_and_open(self, backup: Path) -> Database:
        from walkthrough.services.backups import restore_database

        restore_database(self.path, backup)
        return self._open(False)

    def _run(self, open_it: Callable[[], Database], outcome: Callable[[object], None]) -> None:
        def work(_progress: Progress) -> object:
            try:
                return open_it()
            except WalkthroughError as exc:  # handed back whole: the offers need its details
                return exc

        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(outcome)
        self.task.failed.connect(self._fail)  # a bug, already one line
        self.task.start()

    def _title(self) -> str:
        return self.tr("Lens Walkthrough")

    @Slot(object)
    def _first_outcome(self, result: object) -> None:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if not isinstance(result, WalkthroughError):
            self.opened.emit(result)
        elif isinstance(result, DamagedDatabase) and result.restore_from is not None and not self._asked_read_only:
            backup = result.restore_from
            question = self.tr(
                "This walkthrough database is damaged and was not changed:\n%1\n\n"
                "Restore the newest good backup (%2)? The damaged file is kept in the backups folder."
            ).replace("%1", str(self.path)).replace("%2", backup.name)
            if QMessageBox.question(self._parent, self._title(), question, yes | no, yes) == yes:
                self._run(lambda: self._restore_and_open(backup), self._last_outcome)
            else:
                self.gave_up.emit()
        elif isinstance(result, (ReadOnlyDatabase, DatabaseBusy)) and not self._asked_read_only:
            question = self.tr("%1\n\nOpen it read-only, to look without changing anything?")
            if QMessageBox.question(self._parent, self._title(), question.replace("%1", describe(result)),
                                    yes | no, yes) == yes:
                self._run(lambda: self._open(True), self._last_outcome)
            else:
                self.gave_up.emit()
        else:
            self._fail(describe(result))

    @Slot(object)
    def _last_outcome(self, result: object) -> None:
        if isinstance(result, WalkthroughError):
            self._fail(describe(result))
        else:
            self.opened.emit(result)

    @Slot(str)
    def _fail(self, message: str) -> None:
        QMessageBox.critical(self._parent, self._title(), message)
        self.gave_up.emit()
