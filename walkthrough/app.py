"""Composition root of the desktop app: builds the database, settings and window.

Wiring only; no logic.  Started by ``walkthrough`` with no command (see
:mod:`walkthrough.cli`), with the same ``--db`` option and ``WALKTHROUGH_DB``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from walkthrough import __version__
from walkthrough.bundled import resources_dir
from walkthrough.gui import settings as S
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.startup import DatabaseOpener, after_first_paint, warm_up
from walkthrough.gui.translations import install_translators
from walkthrough.gui.widgets.screen_fit import MessageBoxFit
from walkthrough.storage.database_lock import DatabaseLock


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the app's names and icon (reused if one exists, as in tests)."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(list(argv))
    install_translators(app)  # before any window is built
    if app.findChild(MessageBoxFit, "messageBoxFit") is None:  # once, though tests call this again
        MessageBoxFit(app).setObjectName("messageBoxFit")
    QCoreApplication.setApplicationName("Lens Walkthrough")
    QCoreApplication.setOrganizationName("LensWalkthrough")
    QCoreApplication.setApplicationVersion(__version__)
    # Lets Wayland desktops match the window to packaging/linux/lens-walkthrough.desktop.
    QGuiApplication.setDesktopFileName("lens-walkthrough")
    icon = resources_dir() / "icons" / "lens-walkthrough.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def build_window(database_path: Path, settings: Settings | None = None, *, read_only: bool = False) -> MainWindow:
    """Open the database here and now and make the main window on it (shown by the caller).

    For tests and tools that want a ready window in one call; :func:`run`
    instead paints the window first and opens the database in the background.
    With ``read_only`` the database is opened for viewing: every change is
    refused with a message, and nothing on disk is touched.

    Raises:
        WalkthroughError: the database cannot be opened (one line, for a message box).
    """
    from walkthrough.storage.database import open_database

    settings = settings or Settings()
    db = open_database(database_path, read_only=read_only)
    window = MainWindow(db, settings)
    window.destroyed.connect(lambda *_: db.close())
    return window


def start_window(database_path: Path, settings: Settings, *,
                 read_only: bool = False) -> tuple[MainWindow, DatabaseOpener]:
    """Show the main window at once, then open the database behind it (for viewing only if ``read_only``).

    The window is painted first, before SQLAlchemy is even imported; the
    database is opened on a worker thread just after (see
    :mod:`walkthrough.gui.startup`), with the offers for a damaged,
    write-protected or locked database.  On first run (no walkthroughs and not
    asked before) the sample walkthrough is offered.  When nothing can be
    opened the opener emits ``gave_up``.
    """
    window = MainWindow(None, settings)
    opener = DatabaseOpener(database_path, window)

    def opened(db) -> None:
        window.attach_database(db)
        # Once the list is on screen, while it is read: the first walkthrough then opens at once.
        after_first_paint(window.start_page.table.viewport(),
                          lambda: warm_up(window, db, window.start_page.current_id(),
                                  then=lambda read: window.prepare_walk_page(read[0].id if read else None, read)))
        if not window.start_page.model.rowCount() and not settings.get(S.SAMPLE_OFFERED) and not db.read_only:
            window.offer_sample()

    opener.opened.connect(opened)
    window.show()
    after_first_paint(window, lambda: opener.start(read_only=read_only))
    return window, opener


def _lock_taken_message(database_path: Path, pid: int | None) -> str:
    """What to say when another process holds the database's lock.

    It may be another copy of the app, or a command changing the database (a
    restore, an import), which ends by itself: so the person can wait and retry.
    """
    return QCoreApplication.translate(
        "App", "Lens Walkthrough is already open on this database, or a walkthrough command is changing it "
               "(process %2):\n%1\n\nSwitch to that window, or wait for the command to finish and try again. "
               "Only one copy can work on a database at a time, so that nothing is overwritten."
    ).replace("%1", str(database_path)).replace("%2", str(pid) if pid else "?")


def _ask_to_retry(message: str) -> bool:
    """Show ``message`` with Retry (the default) and Close; True for Retry.  Tests patch this."""
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("App", "Lens Walkthrough"), message,
                      QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Close)
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return box.exec() == QMessageBox.StandardButton.Retry


def run(database_path: Path, argv: Sequence[str] = (), *, read_only: bool = False) -> int:
    """Run the desktop app until its window closes; returns the exit status.

    With ``read_only`` the database is opened for viewing (``walkthrough --read-only``).
    """
    app = make_application([sys.argv[0], *argv])
    settings = Settings()
    lock = DatabaseLock(database_path, "Lens Walkthrough")
    while not lock.acquire():
        if not _ask_to_retry(_lock_taken_message(database_path, lock.holder().pid)):
            return 1
    window, opener = start_window(database_path, settings, read_only=read_only)
    # Not window.close(): that would save an empty shell's geometry and post a
    # second quit that the next event loop (in tests) would pick up.
    opener.gave_up.connect(lambda: app.exit(1))
    status = app.exec()
    window.hide()
    if window.db is not None:
        window.db.close()
    window.deleteLater()
    lock.release()
    return status
