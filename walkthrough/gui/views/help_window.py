"""The user guide: the bundled ``resources/help/guide.html`` in a window of its own, offline.

The guide is English HTML written for people (not passed through ``tr()``,
whose catalogue is for short interface words).  The window is not modal, so
the guide can stay open beside the walkthrough; Ctrl+F searches it.  Links
inside the guide work; a link to a web page is never opened: its address is
shown, for the person to open elsewhere if they choose (the app does not use
the network).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from walkthrough.bundled import resources_dir
from walkthrough.gui.widgets.screen_fit import fit_to_screen


def guide_path() -> Path:
    """Where the bundled guide is (it may be missing from an incomplete installation).

    Raises:
        FileNotFoundError: the installation has no ``resources/`` folder at all.
    """
    return resources_dir() / "help" / "guide.html"


class HelpWindow(QWidget):
    """The user guide, with a find bar; one per main window, shown again rather than made again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Lens Walkthrough user guide"))
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("User guide"))
        # Links are followed here, never by Qt: a web address must not be opened, nor loaded as the page.
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self.follow)

        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText(self.tr("Search the guide"))
        self.find_edit.setAccessibleName(self.tr("Search the guide"))
        self.find_edit.setClearButtonEnabled(True)
        find_label = QLabel(self.tr("&Find:"), self)
        find_label.setBuddy(self.find_edit)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.previous_button = QPushButton(self.tr("&Previous"), self)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(lambda _text: self._find(from_start=True))
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_find)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, self.find_next)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindPrevious), self, self.find_previous)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        #: One line under the guide: "not found", or the address of a web link that was not opened.
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.message.hide()

        bar = QHBoxLayout()
        bar.addWidget(find_label)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        self._load()
        line = self.fontMetrics().lineSpacing()
        # About 100 characters wide and 40 lines high, within the screen (at 200 % on 768 pixels too).
        fit_to_screen(self, QSize(self.fontMetrics().averageCharWidth() * 110, line * 46))

    def _load(self) -> None:
        try:
            path = guide_path()
        except FileNotFoundError as exc:
            path, problem = None, str(exc)
        else:
            problem = "" if path.is_file() else self.tr("The user guide is missing from this installation: %1 "
                                                        "(reinstall Lens Walkthrough).").replace("%1", str(path))
        if path is None or problem:
            self.browser.setPlainText(problem)
            return
        self.browser.setSource(QUrl.fromLocalFile(str(path)))

    # -- links ------------------------------------------------------------------------------------

    @Slot(QUrl)
    def follow(self, url: QUrl) -> None:
        """A link in the guide: a place in it is shown; any other address is shown as text, never opened."""
        here = self.browser.source()
        target = here.resolved(url)
        if target.isLocalFile() and target.toLocalFile() == here.toLocalFile():  # the file, whatever the #place
            self.message.hide()
            if target.fragment():
                self.browser.scrollToAnchor(target.fragment())
            return
        self.message.setText(self.tr("This link is not opened from the guide, which works offline. Its address: %1")
                             .replace("%1", url.toDisplayString()))
        self.message.show()

    # -- finding -------------------------------------------------------------------------------

    def focus_find(self) -> None:
        """Put the cursor in the find box, its text selected."""
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_next(self) -> bool:
        """Select the next place that has the find box's words, going round at the end; False if none."""
        return self._find()

    def find_previous(self) -> bool:
        """Select the place before, going round at the start; False if none."""
        return self._find(backward=True)

    def _find(self, *, backward: bool = False, from_start: bool = False) -> bool:
        words = self.find_edit.text()
        if not words:
            self.message.hide()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if from_start:
            # Typing searches again from where the last match began, so the match grows with the words.
            cursor = self.browser.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.browser.setTextCursor(cursor)
        found = self.browser.find(words, flags)
        if not found:
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(words, flags)
        if found:
            self.message.hide()
        else:
            self.message.setText(self.tr("“%1” is not in the guide.").replace("%1", words))
            self.message.show()
        return found
