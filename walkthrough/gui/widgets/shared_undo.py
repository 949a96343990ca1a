"""Text fields that walk the walkthrough's one undo history instead of their own.

A QPlainTextEdit or QLineEdit keeps an undo history of its own and takes
Ctrl+Z for it before the window's Undo ever sees the key.  In a field that
saves as it is typed, that made two histories: Ctrl+Z in a note undid the
typing only, and the cleared note was then saved as a new edit, while the
toolbar still offered "Undo Edit note".  :class:`SharedUndo` switches the
field's own history off and sends its undo and redo keys, and the Undo and
Redo of its context menu, to the walkthrough's undo stack, after saving what
is still waiting to be saved (so the typing is a step of its own, and undo
reverts it).

Fields of modal dialogs that save once, on OK or Close, keep their own undo:
nothing of theirs is on the stack until then, so the two never compete.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QMenu, QPlainTextEdit, QTextEdit, QWidget

#: Ctrl+Y redoes too (the Windows habit), beside the platform's own Redo key.
_EXTRA_REDO = QKeySequence("Ctrl+Y")


def is_undo_key(event: QKeyEvent) -> bool:
    """True for the platform's Undo key (Ctrl+Z)."""
    return event.matches(QKeySequence.StandardKey.Undo)


def is_redo_key(event: QKeyEvent) -> bool:
    """True for the platform's Redo key (Ctrl+Shift+Z) or Ctrl+Y."""
    if event.matches(QKeySequence.StandardKey.Redo):
        return True
    return QKeySequence(event.keyCombination()) == _EXTRA_REDO


class SharedUndo(QObject):
    """Makes ``field``'s undo and redo walk ``stack``; ``save_pending`` runs first.

    Installed as the field's child (it goes with the field).  The field's own
    undo is switched off (QPlainTextEdit, QTextEdit) or never reached
    (QLineEdit: its keys and menu entries are taken over).
    """

    def __init__(self, field: QLineEdit | QPlainTextEdit | QTextEdit, stack: QUndoStack,
                 save_pending: Callable[[], None] | None = None) -> None:
        super().__init__(field)
        self.setObjectName("sharedUndo")
        self.field = field
        self.stack = stack
        self._save_pending = save_pending
        field.installEventFilter(self)
        if isinstance(field, (QPlainTextEdit, QTextEdit)):
            field.setUndoRedoEnabled(False)
            # A text box's context menu event goes to its viewport.
            field.viewport().installEventFilter(self)

    @staticmethod
    def of(widget: QWidget | None) -> SharedUndo | None:
        """The SharedUndo installed on ``widget``, if any."""
        if widget is None:
            return None
        return widget.findChild(SharedUndo, "sharedUndo")

    def save_pending(self) -> None:
        """Save what the field still holds unsaved (a note waiting for its delay, an open cell)."""
        if self._save_pending is not None:
            self._save_pending()

    def undo(self) -> None:
        """Save what is pending, then undo the walkthrough's last step."""
        stack = self.stack
        self.save_pending()
        stack.undo()

    def redo(self) -> None:
        """Save what is pending (new typing ends the redo steps, as anywhere), then redo."""
        stack = self.stack
        self.save_pending()
        stack.redo()

    def context_menu(self) -> QMenu:
        """The field's usual context menu, its Undo and Redo walking the walkthrough's history."""
        menu = self.field.createStandardContextMenu()
        for action in menu.actions():
            name = action.objectName()
            if name not in ("edit-undo", "edit-redo"):
                continue
            undo = name == "edit-undo"
            shared = QAction(action.icon(), action.text(), menu)
            shared.setObjectName(name)
            shared.setEnabled(self.stack.canUndo() if undo else self.stack.canRedo())
            shared.triggered.connect(self.undo if undo else self.redo)
            menu.insertAction(action, shared)
            menu.removeAction(action)
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            undo, redo = is_undo_key(event), is_redo_key(event)
            if undo or redo:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # the key comes here as a key press (not to the window's command)
                else:
                    (self.undo if undo else self.redo)()
                return True
        elif kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            menu = self.context_menu()
            menu.exec(event.globalPos())
            menu.deleteLater()
            return True
        return super().eventFilter(watched, event)


def share_cell_undo(delegate: QAbstractItemDelegate, editor: QWidget, stack: QUndoStack | None) -> None:
    """A table cell being typed in shares the history too: undo first saves the cell (a step) and closes it."""
    if stack is None or not isinstance(editor, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return

    def save() -> None:
        if editor.isVisible():
            delegate.commitData.emit(editor)
            delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    SharedUndo(editor, stack, save)
