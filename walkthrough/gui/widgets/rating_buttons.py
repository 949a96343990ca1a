"""A row of buttons, one per rating of the lens's scale (keys 1, 2, 3 …)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from walkthrough.domain.lens import Rating


def rating_style_sheet(ratings: tuple[Rating, ...]) -> str:
    """One style sheet for every rating button of a scale, keyed by the buttons' ``rating`` property.

    Set it once on a page that holds :class:`RatingButtons` (a style sheet
    per button costs Qt a parse and a polish each: seconds for a big area).
    The colour is a second cue only: the button always shows the rating's
    symbol and word.
    """
    rules = []
    for rating in ratings:
        c = rating.colour
        sel = f'QPushButton[rating="{rating.id}"]'
        rules.append(
            f"{sel} {{ border: 2px solid {c}; border-radius: 6px; padding: 4px 10px; }}"
            f"{sel}:checked {{ background: {c}; color: white; }}"
            f"{sel}:focus {{ outline: none; border: 3px solid palette(highlight); }}"
        )
    return "\n".join(rules)


class RatingButtons(QWidget):
    """Exclusive rating choice; emits ``rating_chosen(rating_id)`` when the user picks one.

    The buttons take their colours from :func:`rating_style_sheet`, set on an ancestor.
    """

    rating_chosen = Signal(str)

    def __init__(self, ratings: tuple[Rating, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        for n, rating in enumerate(ratings, start=1):
            button = QPushButton(f"{rating.symbol} {rating.label}", self)
            button.setCheckable(True)
            # Styled by rating_style_sheet() on the page, through this property.
            button.setProperty("rating", rating.id)
            key = self.tr("key %1").replace("%1", str(n))
            button.setToolTip(f"{rating.meaning} ({key})")
            button.setAccessibleName(rating.label)
            button.setAccessibleDescription(rating.meaning)
            button.clicked.connect(lambda _=False, r=rating.id: self.rating_chosen.emit(r))
            self._group.addButton(button)
            self._buttons[rating.id] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self._ratings = ratings

    def set_rating(self, rating_id: str | None) -> None:
        """Show ``rating_id`` as chosen (None: none chosen), without emitting."""
        self._group.setExclusive(False)
        for rid, button in self._buttons.items():
            button.setChecked(rid == rating_id)
        self._group.setExclusive(True)

    def rating_for_key(self, number: int) -> str | None:
        """The rating id for key ``number`` (1-based), or None."""
        if 1 <= number <= len(self._ratings):
            return self._ratings[number - 1].id
        return None

    def button(self, rating_id: str) -> QPushButton:
        """The button of one rating (for tests and focus)."""
        return self._buttons[rating_id]
