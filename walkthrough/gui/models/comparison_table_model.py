"""Two walks compared, prompt by prompt, as a Qt table: Area, Prompt, Before, After, Verdict."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.comparison import Comparison, Finding, PromptComparison
from walkthrough.gui.wording import verdict_label

_Index = QModelIndex | QPersistentModelIndex


class ComparisonColumn(enum.IntEnum):
    """The model's columns, in display order."""

    AREA = 0
    PROMPT = 1
    BEFORE = 2
    AFTER = 3
    VERDICT = 4


class ComparisonTableModel(QAbstractTableModel):
    """The prompts observed in either walk (:attr:`Comparison.prompts`), in walking order.

    Read-only.  :attr:`VerdictRole` gives a row's
    :class:`~walkthrough.domain.comparison.Verdict` as its value (Qt hands a
    ``str`` enum back as a plain ``str``); a prompt only one lens
    version has says so in its tooltip and after its question.
    """

    VerdictRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PromptComparison] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self._rows = list(comparison.prompts) if comparison is not None else []
        self.endResetModel()

    def prompt_at(self, row: int) -> PromptComparison:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ComparisonColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        p = self._rows[index.row()]
        if role == self.VerdictRole:
            return p.verdict.value
        column = ComparisonColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(p, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ComparisonColumn.PROMPT:
                return self._lens_note(p) or p.question
            if column in (ComparisonColumn.BEFORE, ComparisonColumn.AFTER):
                before = column == ComparisonColumn.BEFORE
                count = len(p.before_observation_ids if before else p.after_observation_ids)
                return self.tr("%n observation(s); the most serious rating is shown", "", count)
        return None

    def _text(self, p: PromptComparison, column: ComparisonColumn) -> str:
        if column == ComparisonColumn.AREA:
            return p.area_title
        if column == ComparisonColumn.PROMPT:
            note = self._lens_note(p)
            return f"{p.question} ({note})" if note else p.question
        if column == ComparisonColumn.BEFORE:
            return self._rating(p.before, p.before_observation_ids)
        if column == ComparisonColumn.AFTER:
            return self._rating(p.after, p.after_observation_ids)
        return verdict_label(p.verdict)

    def _rating(self, finding: Finding | None, observation_ids: tuple[str, ...]) -> str:
        if finding is not None:
            return f"{finding.rating.symbol} {finding.rating.label}"
        return self.tr("No finding") if observation_ids else self.tr("Not observed")

    def _lens_note(self, p: PromptComparison) -> str:
        if not p.in_followup_lens:
            return self.tr("only in the earlier walk's lens")
        if not p.in_base_lens:
            return self.tr("only in this walk's lens")
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        words = {
            ComparisonColumn.AREA: self.tr("Area"),
            ComparisonColumn.PROMPT: self.tr("Prompt"),
            ComparisonColumn.BEFORE: self.tr("Earlier walk"),
            ComparisonColumn.AFTER: self.tr("This walk"),
            ComparisonColumn.VERDICT: self.tr("Change"),
        }
        return words.get(ComparisonColumn(section)) if 0 <= section < len(ComparisonColumn) else None

