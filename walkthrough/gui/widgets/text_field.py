"""Whether keyboard focus is in a place that takes typed text."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def is_text_field(widget: QWidget | None) -> bool:
    """True if ``widget`` takes typed text: a line, a text box, a spin or date box, an editable combo.

    Single keys that act as shortcuts (1–4 choose a rating) must leave such a
    widget alone: there a digit is part of what is being written.  A text
    box counts even when read-only, since its keys select and copy text.
    """
    if widget is None:
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    # A viewport or an inner line edit's parent: look one level up.
    parent = widget.parentWidget()
    return isinstance(parent, (QPlainTextEdit, QTextEdit, QAbstractSpinBox))
