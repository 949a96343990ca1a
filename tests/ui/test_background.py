"""Work off the GUI thread: results come back on the GUI thread, or quietly nowhere."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from walkthrough.gui.background import BackgroundTask


def test_a_task_whose_window_closed_meanwhile_finishes_quietly(qapp, qtbot, capfd) -> None:
    # The window (here a plain owner) goes while the work runs, as when the app is
    # closed during its first second, while the database is still being opened.
    owner = QObject()
    release = threading.Event()
    task = BackgroundTask(lambda progress: release.wait(5) and "done", owner)
    task.start()
    wait = task.wait  # a plain Python method: still callable once the Qt object is gone
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(task))
    release.set()
    assert wait(5)
    qtbot.wait(200)  # the worker's last emit has run by now
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "RuntimeError" not in captured.err, captured.err


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return False
    return True
