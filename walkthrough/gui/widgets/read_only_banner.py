"""A quiet line at the top of a page or dialog saying the walkthrough is opened for viewing only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

#: A pale frame in the palette's tooltip colours: noticeable, not alarming, and readable in dark themes.
BANNER_STYLE_SHEET = (
    "QFrame#readOnlyBanner { background: palette(tool-tip-base); color: palette(tool-tip-text);"
    " border: 1px solid palette(mid); border-radius: 4px; }"
    "QFrame#readOnlyBanner QLabel { color: palette(tool-tip-text); }"
)


class ReadOnlyBanner(QFrame):
    """"Opened read-only: nothing can be changed", in words (never colour alone).

    Hidden unless the walkthrough was opened read-only; its text is
    selectable and it is reachable by screen readers through its accessible
    name and description.
    """

    def __init__(self, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(BANNER_STYLE_SHEET)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.label = QLabel(self.text(), self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setToolTip(self.tr("The database was opened for viewing only (it may be write-protected or "
                                      "in use by another program). Everything can be read, searched and copied."))
        self.setAccessibleName(self.text())
        self.setAccessibleDescription(self.label.toolTip())
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin * 2, margin, margin * 2, margin)
        layout.addWidget(self.label)
        if not read_only:
            self.hide()

    def text(self) -> str:
        """The banner's words."""
        return self.tr("Opened read-only: nothing can be changed")
