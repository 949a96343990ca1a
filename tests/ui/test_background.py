"""Work off the GUI thread: results come back on the GUI thread, or quietly nowhere."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from walkthrough.domain.errors import WalkthroughError
from walkthrough.gui.background import BackgroundTask, run_with_progress


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


def _visible_progress_windows() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


@pytest.mark.parametrize("outcome", ["succeeded", "failed"])
def test_no_progress_window_stays_behind_the_result_message(qapp, qtbot, outcome: str) -> None:
    # The work outlasts the dialog's 300 ms delay, so the progress window is really shown.
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    seen_progress: list[bool] = []
    behind_message: list[list[QProgressDialog]] = []

    def work(progress):
        for step in range(8):
            progress(step, 8)
            time.sleep(0.1)
        if outcome == "failed":
            raise WalkthroughError("the folder is full")
        return "done"

    def message(_value) -> None:  # where the app shows its "Report ready" or warning box
        behind_message.append(_visible_progress_windows())

    task = run_with_progress(window, "Export", "Writing…", work, message, message)
    qtbot.waitUntil(lambda: seen_progress.append(bool(_visible_progress_windows())) or any(seen_progress),
                    timeout=5000)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert behind_message == [[]], "a progress window was still showing behind the result"
    assert not task.is_cancelled  # closing the finished dialog does not count as the user's cancel
