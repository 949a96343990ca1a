"""The user guide: F1 opens the bundled, offline guide in a window of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.help_window import HelpWindow, guide_path

#: What the guide must explain, as its headings say it.
TOPICS = (
    "What a trauma-informed walkthrough is", "The five principles", "Starting a walkthrough",
    "Walking: ratings, notes, photos", "Ratings and keys 1–4", "Photos", "Blurring faces and names",
    "Other observations", "Review", "Present", "The improvement plan", "Exports: the report (PDF, Word or web page), CSV, photos",
    "Keyboard shortcuts", "Your data and privacy", "Backups",
)


@pytest.fixture
def window(db, tmp_path: Path, qtbot) -> MainWindow:
    w = MainWindow(db, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


@pytest.fixture
def guide(qtbot) -> HelpWindow:
    help_window = HelpWindow()
    qtbot.addWidget(help_window)
    help_window.show()
    qtbot.waitExposed(help_window)
    return help_window


def _headings(document: QTextDocument) -> list[str]:
    block, found = document.begin(), []
    while block.isValid():
        if block.blockFormat().headingLevel():
            found.append(block.text().strip())
        block = block.next()
    return found


def _anchor_names(document: QTextDocument) -> set[str]:
    names: set[str] = set()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        block = block.next()
    return names


def test_f1_opens_the_guide_in_a_window_beside_the_app(window, qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, *a, **k: shown.append(title))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert shown == []  # a window with the guide, not a message box
    help_window = window.help_window
    assert help_window is not None and help_window.isVisible()
    assert not help_window.isModal() and help_window.windowModality() == Qt.WindowModality.NonModal
    headings = _headings(help_window.browser.document())
    assert headings[0] == "Lens Walkthrough user guide"
    assert set(TOPICS) <= set(headings), set(TOPICS) - set(headings)
    # Help → User guide brings the same window back, not a second one.
    help_window.close()
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert window.help_command in help_menu.actions() and window.help_command.text() == "&User guide"
    window.help_command.trigger()
    assert window.help_window is help_window and help_window.isVisible()


def test_the_guide_fits_the_screen(guide) -> None:
    free = guide.screen().availableGeometry()
    assert guide.width() <= free.width() and guide.height() <= free.height()


def test_every_link_inside_the_guide_goes_somewhere_in_it(guide, qtbot) -> None:
    html = guide_path().read_text(encoding="utf-8")
    targets = re.findall(r'href="#([^"]+)"', html)
    assert len(targets) >= 15
    names = _anchor_names(guide.browser.document())
    assert set(targets) <= names, f"links to nowhere: {sorted(set(targets) - names)}"
    bar = guide.browser.verticalScrollBar()
    assert bar.value() == 0
    guide.follow(QUrl("#backups"))
    assert bar.value() > bar.maximum() // 2  # scrolled down to the last section
    guide.follow(QUrl("#top"))
    assert bar.value() < bar.pageStep() // 4  # back at the title
    assert guide.browser.source() == QUrl.fromLocalFile(str(guide_path()))  # still the guide


def test_a_web_link_is_shown_never_opened(guide, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    html = guide_path().read_text(encoding="utf-8")
    [web] = re.findall(r'href="(https?://[^"]+)"', html)
    guide.follow(QUrl(web))
    assert opened == []
    assert guide.message.isVisible() and web in guide.message.text()
    assert guide.browser.source() == QUrl.fromLocalFile(str(guide_path()))
    assert "Lens Walkthrough user guide" in _headings(guide.browser.document())


def test_ctrl_f_searches_the_guide_and_goes_round(guide, qtbot) -> None:
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(guide.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is guide.find_edit
    qtbot.keyClicks(guide.find_edit, "blur")
    assert guide.browser.textCursor().selectedText().lower() == "blur"
    first = guide.browser.textCursor().selectionStart()
    positions = {first}
    for _ in range(30):
        qtbot.keyClick(guide.find_edit, Qt.Key.Key_Return)
        positions.add(guide.browser.textCursor().selectionStart())
    assert len(positions) > 2 and first in positions  # several places, and round again to the first
    guide.find_edit.clear()
    qtbot.keyClicks(guide.find_edit, "zebra crossing")
    assert not guide.browser.textCursor().hasSelection() or \
        guide.browser.textCursor().selectedText().lower() != "zebra crossing"
    assert guide.message.isVisible() and "not in the guide" in guide.message.text()


def test_the_guide_lists_the_windows_shortcuts(window) -> None:
    text = guide_path().read_text(encoding="utf-8")
    commands = [a for a in window.findChildren(type(window.help_command)) if a.shortcuts()]
    assert len(commands) >= 12
    missing = [f"{c.text()}: {[k.toString(QKeySequence.SequenceFormat.PortableText) for k in c.shortcuts()]}"
               for c in commands
               if not any(k.toString(QKeySequence.SequenceFormat.PortableText) in text for k in c.shortcuts())]
    assert not missing, f"the guide's Keyboard shortcuts do not say: {missing}"
