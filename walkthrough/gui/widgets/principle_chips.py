"""Toggle chips for the principles an observation is looked at through."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QToolButton, QWidget

from walkthrough.domain.lens import Principle
from walkthrough.gui.widgets.flow_layout import FlowLayout

#: Style of the chips; set once on a page that holds chips (see PrincipleChips).
#: Keyboard focus: a 2 px ring and an underlined name. The ring is in the
#: highlight colour on an unchosen chip; a chosen chip is filled with that
#: colour already, so its ring is in the text colour, which stands out from
#: the fill in light and dark themes.  Border plus padding stay the same, so
#: focus never changes a chip's size.
CHIP_STYLE_SHEET = (
    "QToolButton#principleChip { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"
    "QToolButton#principleChip:checked { background: palette(highlight); color: palette(highlighted-text); }"
    "QToolButton#principleChip:focus { border: 2px solid palette(highlight); padding: 0px 7px;"
    " text-decoration: underline; }"
    "QToolButton#principleChip:checked:focus { border: 2px solid palette(text); }"
)


class PrincipleChips(QWidget):
    """One checkable chip per principle; emits ``changed(principle_ids)`` on user toggles.

    Checked chips show a tick as well as a fill, so the state never relies on colour.
    """

    changed = Signal(tuple)

    def __init__(self, principles: tuple[Principle, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Chips wrap onto a second line rather than widen the observation (large text at 1366 px).
        layout = FlowLayout(self, spacing=4)
        layout.setContentsMargins(0, 0, 0, 0)
        self._principles = principles
        self._chips: dict[str, QToolButton] = {}
        for principle in principles:
            chip = QToolButton(self)
            chip.setCheckable(True)
            chip.setObjectName("principleChip")  # styled by CHIP_STYLE_SHEET on the page
            chip.setToolTip(principle.meaning)
            chip.setAccessibleName(self.tr("Principle: %1").replace("%1", principle.name))
            chip.toggled.connect(lambda on, c=chip, p=principle: self._relabel(c, p, on))
            chip.clicked.connect(self._emit)
            self._relabel(chip, principle, False)
            self._chips[principle.id] = chip
            layout.add_widget(chip)

    def set_selected(self, principle_ids: Iterable[str]) -> None:
        """Show these principles as chosen, without emitting."""
        chosen = set(principle_ids)
        for pid, chip in self._chips.items():
            chip.blockSignals(True)
            chip.setChecked(pid in chosen)
            chip.blockSignals(False)
            principle = next(p for p in self._principles if p.id == pid)
            self._relabel(chip, principle, pid in chosen)

    def selected(self) -> tuple[str, ...]:
        """The chosen principle ids, in the lens's order."""
        return tuple(p.id for p in self._principles if self._chips[p.id].isChecked())

    def tab_stops(self) -> list[QToolButton]:
        """The chips in reading order (each is a Tab stop; Space toggles it)."""
        return list(self._chips.values())

    def chip(self, principle_id: str) -> QToolButton:
        """The chip of one principle (for tests)."""
        return self._chips[principle_id]

    @staticmethod
    def _relabel(chip: QToolButton, principle: Principle, on: bool) -> None:
        chip.setText(f"✓ {principle.name}" if on else principle.name)

    def _emit(self) -> None:
        self.changed.emit(self.selected())
