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
from walkthrough.domain.errors import DatabaseBusy, WalkthroughError
from walkthrough.gui import settings as S
from walkthrough.gui.database_lock import DatabaseLock
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.services.backups import restore_database
from walkthrough.storage.database import open_database
from walkthrough.storage.errors import DamagedDatabase, ReadOnlyDatabase


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the app's names and icon (reused if one exists, as in tests)."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(list(argv))
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
    """Open the database and make the main window (shown by the caller).

    With ``read_only`` the database is opened for viewing: every change is
    refused with a message, and nothing on disk is touched.

    Raises:
        WalkthroughError: the database cannot be opened (one line, for a message box).
    """
    settings = settings or Settings()
    db = open_database(database_path, read_only=read_only)
    window = MainWindow(db, settings)
    window.destroyed.connect(lambda *_: db.close())
    return window


def open_window(database_path: Path, settings: Settings) -> MainWindow | None:
    """Open the database, offering a way out when it cannot be opened for work.

    A damaged database: offer to restore the newest backup that passes its
    check (the damaged file is kept in the backups folder first).  A
    database that cannot be written (a write-protected stick) or is locked
    by another program: offer to open it read-only to look.  Anything else:
    one message.  Returns None when nothing could be opened.
    """
    title = QCoreApplication.translate("App", "Lens Walkthrough")
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    try:
        return build_window(database_path, settings)
    except DamagedDatabase as exc:
        if exc.restore_from is None:
            QMessageBox.critical(None, title, str(exc))
            return None
        question = QCoreApplication.translate(
            "App", "This walkthrough database is damaged and was not changed:\n%1\n\n"
            "Restore the newest good backup (%2)? The damaged file is kept in the backups folder."
        ).replace("%1", str(database_path)).replace("%2", exc.restore_from.name)
        if QMessageBox.question(None, title, question, yes | no, yes) != yes:
            return None
        try:
            restore_database(database_path, exc.restore_from)
            return build_window(database_path, settings)
        except WalkthroughError as again:
            QMessageBox.critical(None, title, str(again))
            return None
    except (ReadOnlyDatabase, DatabaseBusy) as exc:
        question = QCoreApplication.translate("App", "%1\n\nOpen it read-only, to look without changing anything?")
        if QMessageBox.question(None, title, question.replace("%1", str(exc)), yes | no, yes) != yes:
            return None
        try:
            return build_window(database_path, settings, read_only=True)
        except WalkthroughError as again:
            QMessageBox.critical(None, title, str(again))
            return None
    except WalkthroughError as exc:
        QMessageBox.critical(None, title, str(exc))
        return None


def run(database_path: Path, argv: Sequence[str] = ()) -> int:
    """Run the desktop app until its window closes; returns the exit status."""
    app = make_application([sys.argv[0], *argv])
    settings = Settings()
    lock = DatabaseLock(database_path)
    if not lock.acquire():
        QMessageBox.information(
            None, app.tr("Lens Walkthrough"),
            app.tr("Lens Walkthrough is already open on this database:\n%1\n\n"
                   "Switch to that window. Only one copy can work on a database at a time, "
                   "so that nothing is overwritten.").replace("%1", str(database_path)),
        )
        return 1
    window = open_window(database_path, settings)
    if window is None:
        return 1
    window.show()
    if not window.start_page.model.rowCount() and not settings.get(S.SAMPLE_OFFERED):
        window.offer_sample()
    status = app.exec()
    window.db.close()
    lock.release()
    return status
