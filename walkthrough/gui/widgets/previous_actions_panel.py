"""The open actions of the walk this one follows up, kept in view while walking (folded by default)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from walkthrough.domain.records import ActionRecord
from walkthrough.gui.wording import local_date_text, status_label


class PreviousActionsPanel(QWidget):
    """A button naming how many actions the last walk left open; pressed, it unfolds the list.

    Hidden when there are none (a first walk, or every action done).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._fold)
        self.list = QLabel(self)
        self.list.setWordWrap(True)
        self.list.setTextFormat(Qt.TextFormat.PlainText)
        self.list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list.setContentsMargins(18, 0, 0, 0)
        self.list.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(self.list)
        self.set_actions(())

    def set_actions(self, actions: Sequence[ActionRecord]) -> None:
        """Show these open actions (folded); none hides the panel."""
        self.toggle.setText(self.tr("%n open action(s) from the last walk", "", len(actions)))
        self.toggle.setAccessibleName(self.toggle.text())
        lines = []
        for a in actions:
            details = [status_label(a.status)]
            if a.owner:
                details.append(a.owner)
            if a.due_date is not None:
                details.append(self.tr("due %1").replace("%1", local_date_text(a.due_date)))
            lines.append(f"• {a.text} ({', '.join(details)})")
        self.list.setText("\n".join(lines))
        self.toggle.setChecked(False)
        self.setVisible(bool(actions))

    def _fold(self, unfolded: bool) -> None:
        self.list.setVisible(unfolded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow)
