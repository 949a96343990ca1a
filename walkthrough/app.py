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
from walkthrough.domain.errors import WalkthroughError
from walkthrough.gui import settings as S
from walkthrough.gui.database_lock import DatabaseLock
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.storage.database import open_database


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


def build_window(database_path: Path, settings: Settings | None = None) -> MainWindow:
    """Open the database and make the main window (shown by the caller).

    Raises:
        WalkthroughError: the database cannot be opened (one line, for a message box).
    """
    settings = settings or Settings()
    db = open_database(database_path)
    window = MainWindow(db, settings)
    window.destroyed.connect(lambda *_: db.close())
    return window


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
    try:
        window = build_window(database_path, settings)
    except WalkthroughError as exc:
        QMessageBox.critical(None, app.tr("Lens Walkthrough"), str(exc))
        return 1
    window.show()
    if not window.start_page.model.rowCount() and not settings.get(S.SAMPLE_OFFERED):
        window.offer_sample()
    status = app.exec()
    window.db.close()
    lock.release()
    return status
