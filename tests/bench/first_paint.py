"""Launcher for the start-up benchmark: start, show a window, print the moment it is first painted.

``python first_paint.py app DB`` starts the real main window the way
``walkthrough.app.run`` does (``start_window``: the window is shown at once
and the database opened behind it); ``python first_paint.py bare`` shows an
empty ``QMainWindow`` of the same size with bare PySide6.  Either prints
``{"painted": T, …}`` where T is ``time.monotonic()`` (the same clock as the
parent's on Linux) once the window's first paint pass is over: its first paint
event, then back in the event loop (children painted, frame flushed).  The app
side also waits for the database to be open and its walkthroughs listed and
painted, and adds ``"listed": T``.  Then it exits at once.

Run by path, not as a module, so no project code is imported on the bare side.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer

    if mode == "app":
        from pathlib import Path

        from walkthrough.app import make_application, start_window
        from walkthrough.gui import settings as S
        from walkthrough.gui.settings import Settings

        app = make_application([sys.argv[0]])
        settings = Settings()
        settings.set(S.SAMPLE_OFFERED, True)  # no first-run question
        window, opener = start_window(Path(sys.argv[2]), settings)
        opener.gave_up.connect(lambda: os._exit(3))
    else:
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        window.setWindowTitle("Lens Walkthrough")
        window.resize(1280, 760)

    first: list[float] = []
    times: dict[str, float] = {"mode": mode}  # type: ignore[dict-item]

    def finish() -> None:
        print(json.dumps(times), flush=True)
        os._exit(0)  # no teardown: only the way up is measured

    def painted() -> None:
        times["first_paint_event"] = first[0]
        times["painted"] = time.monotonic()
        if mode != "app":
            finish()
        elif window.db is not None:  # already listed (a fast machine)
            listed()
        else:
            opener.opened.connect(lambda _db: QTimer.singleShot(0, listed), Qt.ConnectionType.QueuedConnection)

    def listed() -> None:
        # The list is in the model; wait for the paint pass that shows it.
        window.start_page.repaint()
        times["listed"] = time.monotonic()
        times["rows"] = window.start_page.model.rowCount()
        finish()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if watched is window and event.type() == QEvent.Type.Paint and not first:
                first.append(time.monotonic())
                # The children are painted and the frame flushed in this same pass; the
                # zero timer fires when control is back in the event loop.
                QTimer.singleShot(0, painted)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
