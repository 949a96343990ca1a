"""Dialogs that fit the screen, however large the text.

At 200 % scaling a 1366 × 768 screen is 683 × 384 logical pixels: a dialog
laid out for 768 pixels would run off the bottom, its OK button out of
reach.  A dialog's fields go into a :class:`ScrollingBody` (which scrolls
only when it must, and brings the focused field into view as Tab moves),
the buttons stay below it, always visible, and :func:`fit_to_screen` sizes
the dialog to what it would like, within the screen.

Every window and dialog is sized here, in one place: :func:`fit_to_screen`
when it is made, :func:`keep_on_screen` for a window put back where it was
last time (on a screen that may since have become smaller), and
:class:`MessageBoxFit` for every message box, which Qt sizes itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen, QWindow
from PySide6.QtWidgets import QApplication, QDialog, QFrame, QLabel, QMessageBox, QScrollArea, QWidget


class ScrollingBody(QScrollArea):
    """A frameless scroll area around a dialog's fields; it asks for the room its fields would like."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Tab goes through the fields inside; the area itself shows no focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(body)

    def sizeHint(self) -> QSize:
        # Qt caps a scroll area's wish at 24 lines; this one wants its whole body (fit_to_screen limits it).
        body = self.widget()
        if body is None:
            return super().sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return body.sizeHint() + QSize(bar, 0)

    def minimumSizeHint(self) -> QSize:
        # A few lines of fields at least; the rest scrolls.
        line = self.fontMetrics().height()
        body = self.widget()
        width = body.minimumSizeHint().width() if body is not None else line * 10
        return QSize(min(width, line * 16), line * 4)


def fitted_geometry(preferred: QSize, available: QRect, frame: QMargins, centre: QPoint | None = None) -> QRect:
    """Where a window that would like to be ``preferred`` (inside its frame) goes on a screen.

    As large as it would like, but with its ``frame`` (title bar and borders)
    wholly inside ``available``; centred on ``centre`` (default: the middle
    of ``available``) and moved back inside if that would cut it off.  The
    result is the window's own geometry, without the frame.
    """
    width = max(1, min(preferred.width(), available.width() - frame.left() - frame.right()))
    height = max(1, min(preferred.height(), available.height() - frame.top() - frame.bottom()))
    outer_width = width + frame.left() + frame.right()
    outer_height = height + frame.top() + frame.bottom()
    middle = centre if centre is not None else available.center()
    x = min(max(middle.x() - outer_width // 2, available.left()), available.left() + available.width() - outer_width)
    y = min(max(middle.y() - outer_height // 2, available.top()), available.top() + available.height() - outer_height)
    return QRect(x + frame.left(), y + frame.top(), width, height)


def frame_margins(window: QWidget) -> QMargins:
    """The window's frame: the window manager's real one once shown, else a generous guess.

    Before a window is first shown Qt cannot know its title bar; two lines of
    text and a few pixels of border leave room for the usual ones.
    """
    inside, outside = window.geometry(), window.frameGeometry()
    if window.isVisible() and inside != outside:
        return QMargins(inside.left() - outside.left(), inside.top() - outside.top(),
                        outside.right() - inside.right(), outside.bottom() - inside.bottom())
    border = 4
    return QMargins(border, window.fontMetrics().height() * 2, border, border)


def _screen_for(window: QWidget) -> QScreen | None:
    host = window.parentWidget()
    if host is not None and host.isVisible():
        return host.screen()
    if window.isVisible() or window.testAttribute(Qt.WidgetAttribute.WA_Moved):
        found = QGuiApplication.screenAt(window.frameGeometry().center())
        if found is not None:
            return found
    return window.screen() or QGuiApplication.primaryScreen()


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Size ``window`` to ``preferred`` (default: its size hint), within its screen's free area.

    Room is left for the window's title bar, which the window's own size does
    not include.  A dialog is then placed by Qt (over its parent, kept on the
    screen); any other window is placed here: over its parent if it has a
    visible one, else in the middle of the screen.
    """
    size = preferred if preferred is not None else window.sizeHint()
    screen = _screen_for(window)
    if screen is None:
        window.resize(size)
        return
    host = window.parentWidget()
    centre = host.window().frameGeometry().center() if host is not None and host.isVisible() else None
    rect = fitted_geometry(size, screen.availableGeometry(), frame_margins(window), centre)
    window.resize(rect.size())
    if not isinstance(window, QDialog):
        margins = frame_margins(window)
        window.move(rect.left() - margins.left(), rect.top() - margins.top())


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move ``window`` (as it was put back from last time) so that it is wholly on its screen.

    A window saved on a large monitor and opened on a laptop or a projector
    would otherwise open partly off screen, its status bar or buttons out of
    reach.  A maximised or full-screen window is left alone: the screen
    sizes it.
    """
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    screen = _screen_for(window)
    if screen is None:
        return
    margins = frame_margins(window)
    inside = window.geometry()
    outer = inside.marginsAdded(margins)
    middle = QPoint(outer.left() + outer.width() // 2, outer.top() + outer.height() // 2)
    rect = fitted_geometry(inside.size(), screen.availableGeometry(), margins, middle)
    if rect != inside:
        window.resize(rect.size())
        window.move(rect.left() - margins.left(), rect.top() - margins.top())


class MessageBoxFit(QObject):
    """Keeps every message box within its screen: one too tall for it is made wider instead.

    Qt keeps a message box to about half the screen's width, however long
    its text; with 2× text on a 1024 × 768 projector (512 × 384) the About
    box would then run off the bottom, its OK button out of reach.  When a
    message box comes up (its window takes the focus) and is too tall, its
    text is given the width it needs to fit the screen's height, up to the
    whole width.  It listens for the focus moving between windows, not to
    every event: an application-wide event filter in Python would slow every
    paint and keystroke.
    """

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        app.focusWindowChanged.connect(self._window_focused)

    def _window_focused(self, window: QWindow | None) -> None:
        if window is None:
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible() and widget.windowHandle() is window:
                self.widen(widget)

    @staticmethod
    def widen(box: QMessageBox) -> None:
        """Make ``box`` (shown) wide enough for its text to fit its screen's height, and keep it on the screen."""
        label = box.findChild(QLabel, "qt_msgbox_label")
        screen = _screen_for(box)
        if label is None or screen is None or not label.wordWrap():
            return  # a short text: Qt kept it on one line
        free = screen.availableGeometry()
        margins = frame_margins(box)
        outer = box.frameGeometry()
        if outer.height() <= free.height():
            return
        room = free.height() - (outer.height() - label.height())  # what the text may have
        widest = free.width() - (outer.width() - label.width())
        width = label.width()
        while width < widest and label.heightForWidth(width) > room:
            width = min(widest, width + box.fontMetrics().averageCharWidth() * 4)
        if width <= label.width():
            return
        label.setMinimumWidth(width)
        # Qt sizes a message box when its layout asks; do it now, then put it back on the screen.
        QCoreApplication.sendPostedEvents(box, QEvent.Type.LayoutRequest)
        inside = box.geometry()
        middle = QPoint(outer.left() + outer.width() // 2, outer.top() + outer.height() // 2)
        rect = fitted_geometry(inside.size(), free, margins, middle)
        box.move(rect.left() - margins.left(), rect.top() - margins.top())
