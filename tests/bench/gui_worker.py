"""The desktop app measured from inside: one child process per run, results as one JSON line.

``python -m tests.bench.gui_worker scale DB WID``
    Open the walkthrough in the main window; filter the review table; switch areas.
``python -m tests.bench.gui_worker capture DB WID``
    Rate an observation with the key "2"; go to the next area with Ctrl+PgDown.
``python -m tests.bench.gui_worker open-bare DB WID``
    Open the walkthrough the least any program could: plain sqlite3 and stock Qt widgets.
``python -m tests.bench.gui_worker capture-bare``
    The same two key presses on a bare PySide6 window (the floor Qt itself sets).

Every time is from the call (or key press) until the widget that shows the
result has been painted: a paint event on it, then back from that pass of
the event loop (so its children are painted too).  The window is shown at
1366 x 768 on the offscreen platform, where painting is real (into an image).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_S = 30.0


def rss_mb() -> float:
    """Resident memory now (VmRSS), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class _PaintProbe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def until_painted(action: Callable[[], object], target: Callable[[], QWidget]) -> dict[str, float]:
    """Seconds from ``action()`` to the end of the event-loop pass that painted ``target()``.

    ``target`` is looked up after the action (it may be a widget the action
    made); painting is deferred to the event loop, so the probe is in place
    before it happens.  Also returns the time spent in the call itself.
    """
    probe = _PaintProbe()
    t0 = time.perf_counter()
    action()
    called = time.perf_counter() - t0
    widget = target()
    widget.installEventFilter(probe)
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while not probe.seen:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            if time.monotonic() > deadline:
                raise RuntimeError(f"{type(widget).__name__} was not painted within {TIMEOUT_S:.0f} s")
        return {"painted": time.perf_counter() - t0, "call": called}
    finally:
        widget.removeEventFilter(probe)


def settle(seconds: float = 0.3) -> None:
    """Let pending events (layouts, deferred deletes, timers) run out, untimed.

    A real event loop, not processEvents: only a running loop deletes the
    widgets the app handed to ``deleteLater`` (e.g. the previous area's page).
    """
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _main_window(db_path: str):
    from PySide6.QtCore import QSettings

    from walkthrough.app import make_application
    from walkthrough.gui.main_window import MainWindow
    from walkthrough.gui.settings import Settings
    from walkthrough.storage.database import open_database

    app = make_application([sys.argv[0]])
    settings = Settings(QSettings(str(Path(db_path).with_suffix(".ini")), QSettings.Format.IniFormat))
    window = MainWindow(open_database(Path(db_path)), settings)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowExposed(window)
    # As the app does once the walkthroughs are listed (walkthrough.app.start_window).
    from walkthrough.gui.startup import warm_up

    offered = window.start_page.current_id()
    warm_up(window, window.db, offered,
            then=lambda read: window.prepare_walk_page(read[0].id if read else None, read)).wait(30)
    settle()
    return app, window


def scale(db_path: str, walkthrough_id: str) -> dict:
    """Open the walkthrough, filter the review table, switch areas; with memory before and after."""
    app, window = _main_window(db_path)
    before = rss_mb()
    opened = until_painted(lambda: window.open_walkthrough(walkthrough_id), lambda: window.walk_page.scroll.widget())
    settle()
    after_open = rss_mb()
    walk = window.walk_page
    lens = window.current.lens
    counts = {a.id: len(window.current.observations(a.id)) for a in lens.areas}

    switches = []
    order = [a.id for a in lens.areas][1:] + [lens.areas[0].id]
    for area_id in order[:8]:
        switches.append(until_painted(lambda a=area_id: walk.show_area(a), lambda: walk.scroll.widget()))
        settle(0.05)

    window.tabs.setCurrentWidget(window.review_page)
    settle()
    page = window.review_page
    viewport = page.table_view.viewport
    searches, ratings = [], []
    for _ in range(2):
        searches.append(until_painted(lambda: page.proxy_model.set_search("waiting"), viewport))
        settle(0.05)
        searches.append(until_painted(lambda: page.proxy_model.set_search(""), viewport))
        settle(0.05)
        ratings.append(until_painted(lambda: page.proxy_model.set_rating("priority-concern"), viewport))
        settle(0.05)
        ratings.append(until_painted(lambda: page.proxy_model.set_rating(None), viewport))
        settle(0.05)
    return {
        "open": opened,
        "switch_area": _medians(switches),
        "set_search": _medians(searches),
        "set_rating": _medians(ratings),
        "rss_before_open_mb": before,
        "rss_after_open_mb": after_open,
        "rss_end_mb": rss_mb(),
        "observations": len(window.current.observations()),
        "largest_area_observations": max(counts.values()),
    }


def capture(db_path: str, walkthrough_id: str) -> dict:
    """Key "2" on an observation until its rating button repaints; Ctrl+PgDown until the next area is painted."""
    app, window = _main_window(db_path)
    window.open_walkthrough(walkthrough_id)
    settle()
    walk = window.walk_page
    lens = window.current.lens
    first, second = lens.ratings[0].id, lens.ratings[1].id  # keys 1 and 2

    editor = next(e for card in walk.cards() for e in card.editors if e.observation_id)
    ratings = []
    for _ in range(6):
        # Untimed: start from rating 1, so that "2" is a change.
        QTest.keyClick(editor.ratings.button(first), Qt.Key.Key_1)
        settle(0.05)
        focus = editor.ratings.button(first)
        focus.setFocus()
        ratings.append(until_painted(lambda: QTest.keyClick(focus, Qt.Key.Key_2),
                                     lambda: editor.ratings.button(second)))
        settle(0.05)
        if window.current.observation(editor.observation_id).rating_id != second:
            raise RuntimeError("the key press did not change the rating")

    active = QApplication.activeWindow() is window
    pages = []
    for _ in range(1):
        walk.show_area(lens.areas[0].id)
        settle()
        for _step in range(len(lens.areas) - 1):
            before = walk.area_id
            target = QApplication.focusWidget() or window
            pages.append(until_painted(
                lambda t=target: QTest.keyClick(t, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier),
                lambda: walk.scroll.widget()))
            settle(0.05)
            if walk.area_id == before:
                raise RuntimeError("Ctrl+PgDown did not move to the next area (is the window active?)")
    area_sizes = [len(window.current.observations(a.id)) for a in lens.areas]
    return {"rate_key": _medians(ratings), "next_area_key": _medians(pages), "window_active": active,
            "observations": len(window.current.observations()), "area_sizes": area_sizes}


def capture_bare() -> dict:
    """The same key presses on bare PySide6: a row of four rating buttons; a page of labels swapped in."""
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QMainWindow, QPushButton, QScrollArea, QVBoxLayout

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    central = QWidget()
    column = QVBoxLayout(central)

    class Row(QWidget):
        def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
            if event.text() in "1234" and event.text():
                group.buttons()[int(event.text()) - 1].setChecked(True)
                return
            super().keyPressEvent(event)

    row = Row()
    row_layout = QHBoxLayout(row)
    group = QButtonGroup(row)
    for word in ("Working well", "Could be better", "Priority concern", "Not seen"):
        button = QPushButton(word, row)
        button.setCheckable(True)
        group.addButton(button)
        row_layout.addWidget(button)
    column.addWidget(row)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    column.addWidget(scroll, 1)
    window.setCentralWidget(central)

    counter = [0]

    def next_page() -> None:
        counter[0] += 1
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(f"Area {counter[0]}"))
        old = scroll.takeWidget()
        scroll.setWidget(page)
        if old is not None:
            old.deleteLater()

    QShortcut(QKeySequence("Ctrl+PgDown"), window).activated.connect(next_page)
    next_page()
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowExposed(window)
    settle()
    buttons = group.buttons()
    ratings, pages = [], []
    for _ in range(8):
        buttons[0].setChecked(True)
        settle(0.05)
        buttons[0].setFocus()
        ratings.append(until_painted(lambda: QTest.keyClick(buttons[0], Qt.Key.Key_2), lambda: buttons[1]))
        settle(0.05)
    for _ in range(16):
        target = QApplication.focusWidget() or window
        pages.append(until_painted(
            lambda t=target: QTest.keyClick(t, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier),
            lambda: scroll.widget()))
        settle(0.05)
    if counter[0] < 17:
        raise RuntimeError("Ctrl+PgDown did not reach the bare window's shortcut")
    return {"rate_key": _medians(ratings), "next_area_key": _medians(pages)}


def open_bare(db_path: str, walkthrough_id: str) -> dict:
    """The floor for opening a walkthrough: what any program must do, in bare PySide6 and sqlite3.

    Read the walkthrough's observations, principles and photo details with
    plain ``sqlite3`` (no SQLAlchemy, no records), then show what our Walk
    page shows first, built from stock widgets with no style sheet and no
    wrapping layouts: a tab with the areas in a tree (counts in the titles),
    the first area's title, its first prompt's question, guidance and
    principles, and two observations (four rating buttons, the note,
    five principle buttons, the voice, an Add photos button, a thumbnail,
    Delete), with Previous and Next.  Timed from the call to the paint, as
    :func:`scale` times ours, after one untimed open and close.
    """
    import sqlite3

    from PySide6.QtGui import QIcon, QImage, QPixmap, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QMainWindow, QPlainTextEdit,
                                   QPushButton, QScrollArea, QSplitter, QStackedWidget, QTabWidget, QToolButton,
                                   QTreeView, QVBoxLayout)

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    stack = QStackedWidget()
    start = QLabel("Walkthroughs")
    stack.addWidget(start)
    window.setCentralWidget(stack)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowExposed(window)
    settle()
    connection = sqlite3.connect(db_path)
    shown: dict[str, QWidget] = {}

    def open_it() -> None:
        lens = json.loads(connection.execute("SELECT lens_snapshot FROM walkthrough WHERE id = ?",
                                             (walkthrough_id,)).fetchone()[0])
        rows = connection.execute(
            "SELECT id, area_id, prompt_id, rating_id, note, voice, position, created_at, updated_at "
            "FROM observation WHERE walkthrough_id = ?", (walkthrough_id,)).fetchall()
        principles = connection.execute(
            "SELECT p.observation_id, p.principle_id FROM observation_principle p "
            "JOIN observation o ON o.id = p.observation_id WHERE o.walkthrough_id = ?", (walkthrough_id,)).fetchall()
        photos = connection.execute(
            "SELECT p.id, p.observation_id, p.caption, p.width, p.height FROM photo p "
            "JOIN observation o ON o.id = p.observation_id WHERE o.walkthrough_id = ?", (walkthrough_id,)).fetchall()
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[1]] = counts.get(row[1], 0) + 1
        tabs = QTabWidget()
        page = QWidget()
        model = QStandardItemModel(page)
        for kind in ("physical", "procedural"):
            group = QStandardItem(kind.title() + " route")
            for area in lens["areas"]:
                if area["kind"] == kind:
                    group.appendRow(QStandardItem(f"{area['title']}  ({counts.get(area['id'], 0)})"))
            model.appendRow(group)
        tree = QTreeView()
        tree.setModel(model)
        tree.setHeaderHidden(True)
        tree.expandAll()
        area = lens["areas"][0]
        prompt = area["prompts"][0]
        right = QWidget()
        column = QVBoxLayout(right)
        column.addWidget(QLabel(area["title"]))
        column.addWidget(QLabel(area["description"]))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        content = QWidget()
        cards = QVBoxLayout(content)
        cards.addWidget(QLabel(prompt["question"]))
        cards.addWidget(QLabel(prompt.get("guidance") or ""))
        cards.addWidget(QLabel("Looks at: " + " · ".join(prompt["principles"])))
        notes = [r[4] for r in rows if r[2] == prompt["id"]][:2]
        thumbnail = QPixmap.fromImage(QImage.fromData(connection.execute(
            "SELECT thumbnail FROM photo WHERE id = ?", (photos[0][0],)).fetchone()[0])) if photos else QPixmap()
        for note in notes + [""] * (2 - len(notes)):
            editor = QFrame()
            editor.setFrameShape(QFrame.Shape.StyledPanel)
            layout = QVBoxLayout(editor)
            line = QHBoxLayout()
            for rating in lens["ratings"]:
                button = QPushButton(f"{rating['symbol']} {rating['label']}")
                button.setCheckable(True)
                line.addWidget(button)
            layout.addLayout(line)
            text = QPlainTextEdit(note)
            layout.addWidget(text)
            line = QHBoxLayout()
            line.addWidget(QLabel("Principles:"))
            for principle in lens["principles"]:
                chip = QToolButton()
                chip.setText(principle["name"])
                chip.setCheckable(True)
                line.addWidget(chip)
            layout.addLayout(line)
            line = QHBoxLayout()
            line.addWidget(QLabel("Voice:"))
            voice = QComboBox()
            voice.addItems(["Facilitator", "Participant", "Lived experience"])
            line.addWidget(voice)
            add = QToolButton()
            add.setText("Add photos…")
            line.addWidget(add)
            thumb = QToolButton()
            thumb.setIcon(QIcon(thumbnail))
            line.addWidget(thumb)
            line.addStretch(1)
            line.addWidget(QToolButton(text="Delete"))
            layout.addLayout(line)
            cards.addWidget(editor)
        cards.addStretch(1)
        scroll.setWidget(content)
        column.addWidget(scroll, 1)
        nav = QHBoxLayout()
        nav.addWidget(QPushButton("← Previous area"))
        nav.addStretch(1)
        nav.addWidget(QPushButton("Next area →"))
        column.addLayout(nav)
        splitter = QSplitter()
        splitter.addWidget(tree)
        splitter.addWidget(right)
        QVBoxLayout(page).addWidget(splitter)
        tabs.addTab(page, "Walk")
        tabs.addTab(QWidget(), "Review")
        tabs.addTab(QWidget(), "Improvement plan")
        stack.addWidget(tabs)
        stack.setCurrentWidget(tabs)
        shown.update(tabs=tabs, content=content, rows=len(rows) + len(principles) + len(photos))

    def close_it() -> None:
        stack.setCurrentWidget(start)
        stack.removeWidget(shown["tabs"])
        shown.pop("tabs").deleteLater()
        settle(0.2)

    open_it()
    settle()
    close_it()
    opened = until_painted(open_it, lambda: shown["content"])
    return {"open": opened, "rows_read": shown["rows"]}


def _medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]} | {"n": len(samples)}


def main() -> None:
    mode = sys.argv[1]
    if mode == "scale":
        result = scale(sys.argv[2], sys.argv[3])
    elif mode == "capture":
        result = capture(sys.argv[2], sys.argv[3])
    elif mode == "capture-bare":
        result = capture_bare()
    elif mode == "open-bare":
        result = open_bare(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    result["peak_rss_mb"] = _vm_hwm()
    print(json.dumps(result), flush=True)
    # No teardown: PySide6 can crash while collecting widgets at exit, and only the numbers matter.
    os._exit(0)


def _vm_hwm() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
