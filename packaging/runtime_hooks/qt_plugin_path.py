"""PyInstaller run-time hook: tell Qt where the bundle's plug-ins are, without loading Qt.

It replaces PyInstaller's own PySide6 hook (``pyi_rth_pyside6``), which
imports ``PySide6.QtCore`` before the app starts, on every run, only to write
a ``qt.conf`` that PySide6 writes for itself when the app first imports Qt.
That import loaded Qt and ICU (40 MB) for every command-line call, even
``walkthrough --version``; the app's headless commands are meant never to
load Qt.  What is left is the one thing Qt cannot work out alone: the plug-in
folder (platforms, image formats, icon engines, styles).
"""

import os
import sys


def _set_qt_plugin_path() -> None:
    # The PySide6 wheel layout, which the bundle keeps: PySide6\plugins on
    # Windows, PySide6/Qt/plugins elsewhere (in a macOS .app, _MEIPASS is
    # Contents/Frameworks, where PyInstaller puts the plug-ins).
    qt = os.path.join(sys._MEIPASS, "PySide6")
    if sys.platform != "win32":
        qt = os.path.join(qt, "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")


_set_qt_plugin_path()
del _set_qt_plugin_path
