"""A row of buttons, one per rating of the lens's scale (keys 1, 2, 3 …)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QButtonGroup, QLabel, QPushButton, QWidget

from walkthrough.domain.lens import Rating
from walkthrough.gui.widgets.flow_layout import FlowLayout
from walkthrough.gui.wording import not_rated_meaning, rating_text


def rating_style_sheet(ratings: tuple[Rating, ...]) -> str:
    """One style sheet for every rating button of a scale, keyed by the buttons' ``rating`` property.

    Set it once on a page that holds :class:`RatingButtons` (a style sheet
    per button costs Qt a parse and a polish each: seconds for a big area).
    The colour is a second cue only: the button always shows the rating's
    symbol and word, and the chosen one is filled (a difference in lightness
    and shape, not only in hue).  Keyboard focus is a thicker ring in the
    palette's highlight colour plus an underlined label, so it shows on a
    filled button and on an outlined one alike; border plus padding stay the
    same, so focus never changes a button's size.
    """
    rules = []
    for rating in ratings:
        c = rating.colour
        sel = f'QPushButton[rating="{rating.id}"]'
        rules.append(
            f"{sel} {{ border: 2px solid {c}; border-radius: 6px; padding: 4px 10px; }}"
            f"{sel}:checked {{ background: {c}; color: white; }}"
            f"{sel}:focus {{ outline: none; border: 3px solid palette(highlight); padding: 3px 9px;"
            f" text-decoration: underline; }}"
        )
    return "\n".join(rules)


class RatingButtons(QWidget):
    """Exclusive rating choice; emits ``rating_chosen(rating_id)`` when the user picks one.

    Choosing the chosen rating again (a click, or Space on it) emits
    ``rating_cleared()``: the observation goes back to not rated yet, as a
    checkable button's second press unchecks it.

    The buttons take their colours from :func:`rating_style_sheet`, set on an ancestor.
    They wrap onto a second line when the width runs out (large text at 1366 px).

    Keyboard: the buttons are one Tab stop, like radio buttons: Tab reaches the
    chosen rating (the first while none is chosen), the arrow keys move between
    them, Space chooses; keys 1–4 are handled by the observation around them.
    Each button's accessible name says its rating and its key, and being
    checkable, screen readers announce whether it is the chosen one.
    """

    rating_chosen = Signal(str)
    rating_cleared = Signal()

    def __init__(self, ratings: tuple[Rating, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self, spacing=6)
        layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        for n, rating in enumerate(ratings, start=1):
            button = QPushButton(f"{rating.symbol} {rating.label}", self)
            button.setCheckable(True)
            # Never the dialog's default button: Enter must not choose a rating.
            button.setAutoDefault(False)
            # Styled by rating_style_sheet() on the page, through this property.
            button.setProperty("rating", rating.id)
            key = self.tr("key %1").replace("%1", str(n))
            button.setToolTip(f"{rating.meaning} ({key})")
            button.setAccessibleName(self.tr("%1, %2").replace("%1", rating.label).replace("%2", key))
            button.setAccessibleDescription(rating.meaning)
            button.clicked.connect(lambda _=False, r=rating.id: self._clicked(r))
            self._group.addButton(button)
            self._buttons[rating.id] = button
            layout.add_widget(button)
        # After the buttons, while a recorded observation has no rating: "? Not rated yet".
        self.not_rated_label = QLabel(rating_text(None), self)
        self.not_rated_label.setObjectName("hint")  # greyed by the page's style sheet
        self.not_rated_label.setToolTip(not_rated_meaning())
        self.not_rated_label.hide()
        layout.add_widget(self.not_rated_label)
        self._ratings = ratings
        self._chosen: str | None = None
        self._tab_stop: QPushButton | None = None
        self._set_tab_stop(next(iter(self._buttons.values()), None))

    def set_rating(self, rating_id: str | None) -> None:
        """Show ``rating_id`` as chosen (None: none chosen), without emitting."""
        self._chosen = rating_id
        self._group.setExclusive(False)
        for rid, button in self._buttons.items():
            button.setChecked(rid == rating_id)
        self._group.setExclusive(True)
        chosen = self._buttons.get(rating_id or "")
        if chosen is not None and not self.isAncestorOf(QApplication.focusWidget()):
            self._set_tab_stop(chosen)

    def show_not_rated(self, shown: bool) -> None:
        """Say "? Not rated yet" after the buttons (for a recorded observation with no rating)."""
        self.not_rated_label.setVisible(shown)

    def _clicked(self, rating_id: str) -> None:
        if rating_id == self._chosen:
            self.rating_cleared.emit()
        else:
            self.rating_chosen.emit(rating_id)

    def _set_tab_stop(self, stop: QPushButton | None) -> None:
        """Make ``stop`` the group's one Tab stop (as Qt does itself when a button of the group gets focus)."""
        if stop is self._tab_stop:
            return
        for button in self._buttons.values():
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus)
        self._tab_stop = stop

    def tab_stop(self) -> QPushButton | None:
        """The button Tab reaches: the one last focused, else the chosen one, else the first."""
        return next((b for b in self._buttons.values() if b.focusPolicy() & Qt.FocusPolicy.TabFocus), None)

    def button(self, rating_id: str) -> QPushButton:
        """The button of one rating (for tests and focus)."""
        return self._buttons[rating_id]
