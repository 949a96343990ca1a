"""Launcher for the start-up benchmark: start, show a window, print the moment it is first painted.

``python first_paint.py app DB`` builds the real main window the way
``walkthrough.app.run`` does (application, settings, database, window) and
shows it; ``python first_paint.py bare`` shows an empty ``QMainWindow`` of
the same size with bare PySide6.  Either prints ``{"painted": T, …}`` where T
is ``time.monotonic()`` (the same clock as the parent's on Linux) once the
window's first paint pass is over: its first paint event, then back in the
event loop (children painted, frame flushed).  Then it exits at once.

Run by path, not as a module, so no project code is imported on the bare side.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer

    if mode == "app":
        from pathlib import Path

        from walkthrough.app import build_window, make_application
        from walkthrough.gui.settings import Settings

        app = make_application([sys.argv[0]])
        window = build_window(Path(sys.argv[2]), Settings())
    else:
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        window.setWindowTitle("Lens Walkthrough")
        window.resize(1280, 760)

    first: list[float] = []

    def done() -> None:
        print(json.dumps({"first_paint_event": first[0], "painted": time.monotonic(), "mode": mode}), flush=True)
        os._exit(0)  # no teardown: only the way up is measured

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if watched is window and event.type() == QEvent.Type.Paint and not first:
                first.append(time.monotonic())
                # The children are painted and the frame flushed in this same pass; the
                # zero timer fires when control is back in the event loop.
                QTimer.singleShot(0, done)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
