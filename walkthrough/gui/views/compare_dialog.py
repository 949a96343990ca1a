"""Compare with an earlier walk: choose it, then see what changed prompt by prompt."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSize, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.comparison import Comparison, TeamDifference, Verdict
from walkthrough.domain.errors import WalkthroughError
from walkthrough.domain.records import WalkthroughSummary
from walkthrough.gui.error_wording import describe
from walkthrough.gui.models.action_outcome_model import ActionOutcomeModel, OutcomeColumn
from walkthrough.gui.models.comparison_table_model import ComparisonColumn, ComparisonTableModel
from walkthrough.gui.models.concern_table_model import ConcernColumn, ConcernTableModel
from walkthrough.gui.models.journey_table_model import JourneyTableModel
from walkthrough.gui.models.photo_pair_model import PhotoPairColumn, PhotoPairModel
from walkthrough.gui.models.voice_table_model import VoiceColumn, VoiceTableModel
from walkthrough.gui.models.verdict_filter_model import VerdictFilterModel
from walkthrough.gui.wording import local_date_text, verdict_label
from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.services.comparison import compare_walkthroughs, earlier_walkthroughs
from walkthrough.services.photos import photo_thumbnail
from walkthrough.storage.database import Database


class CompareDialog(QDialog):
    """This walk set against an earlier one (:mod:`walkthrough.domain.comparison`'s rules).

    The earlier walk is chosen from the list (the same service's walks first,
    the most recent earlier one chosen).  Six tabs: every prompt observed
    in either walk, filtered by verdict; the priority concerns (resolved,
    persisting, new, not revisited) with their actions; the earlier plan's
    actions against the change seen; lived-experience voices then and now;
    photos of the same prompt before and after; and the service's journey,
    each area's implementation stage at each of its walks.  The counts are underneath, and a
    caution shows when the two teams differ so much that the findings are
    less comparable.  For reading only.  Open it with :meth:`show_for`.
    """

    def __init__(self, db: Database, walkthrough_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walkthrough_id = walkthrough_id
        self.comparison: Comparison | None = None
        self.setWindowTitle(self.tr("Compare with an earlier walk"))
        self.setObjectName("compareDialog")

        self.walk_choice = QComboBox(self)
        self.walk_choice.setObjectName("earlierWalk")
        self.verdict_choice = QComboBox(self)
        self.verdict_choice.setObjectName("verdictFilter")
        self.verdict_choice.addItem(self.tr("All prompts"), None)
        for verdict in Verdict:
            self.verdict_choice.addItem(verdict_label(verdict), verdict.value)  # Qt keeps a plain str
        form = QFormLayout()
        form.addRow(self.tr("&Earlier walk:"), self.walk_choice)

        self.caution = QLabel(self)
        self.caution.setObjectName("teamCaution")
        self.caution.setWordWrap(True)
        self.caution.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.caution.font())
        font.setBold(True)
        self.caution.setFont(font)
        self.lens_note = QLabel(self)
        self.lens_note.setWordWrap(True)
        self.lens_note.setTextFormat(Qt.TextFormat.PlainText)

        self.model = ComparisonTableModel(self)
        self.filter = VerdictFilterModel(self)
        self.filter.setSourceModel(self.model)
        self.table = self._table("comparisonTable", self.tr("Prompts observed in either walk"), self.filter,
                                 ComparisonColumn.PROMPT)
        self.concern_model = ConcernTableModel(self)
        self.concern_table = self._table("concernTable", self.tr("Priority concerns then and now"),
                                         self.concern_model, ConcernColumn.PROMPT, ConcernColumn.ACTIONS)
        self.outcome_model = ActionOutcomeModel(self)
        self.outcome_table = self._table("outcomeTable", self.tr("Actions against the change seen"),
                                         self.outcome_model, OutcomeColumn.ACTION, OutcomeColumn.ANSWERS)

        self.voice_model = VoiceTableModel(self)
        self.voice_table = self._table("voiceTable", self.tr("Lived-experience voices, then and now"),
                                       self.voice_model, VoiceColumn.PROMPT, VoiceColumn.NOTE)
        self.journey_model = JourneyTableModel(self)
        self.journey_table = self._table("journeyTable", self.tr("The service's journey: each area's stage at each walk"),
                                         self.journey_model)
        self.journey_table.horizontalHeader().setStretchLastSection(True)  # "where it stands", a sentence
        self.photo_model = PhotoPairModel(lambda photo_id: photo_thumbnail(db, photo_id), self)
        self.photo_table = self._table("photoTable", self.tr("Photos of the same prompt, before and after"),
                                       self.photo_model, PhotoPairColumn.PROMPT)

        prompts_page = QWidget(self)
        filter_row = QFormLayout()
        filter_row.addRow(self.tr("&Show:"), self.verdict_choice)
        prompts_layout = QVBoxLayout(prompts_page)
        prompts_layout.addLayout(filter_row)
        prompts_layout.addWidget(self.table, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(prompts_page, self.tr("&Prompt by prompt"))
        self.tabs.addTab(self.concern_table, self.tr("Co&ncerns"))
        self.tabs.addTab(self.outcome_table, self.tr("&Actions"))
        self.tabs.addTab(self.voice_table, self.tr("&Voices"))
        self.tabs.addTab(self.photo_table, self.tr("P&hotos"))
        self.tabs.addTab(self.journey_table, self.tr("&Journey"))

        self.summary = QLabel(self)
        self.summary.setObjectName("comparisonSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.caution)
        layout.addWidget(self.lens_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.walk_choice.currentIndexChanged.connect(self._walk_chosen)
        self.verdict_choice.currentIndexChanged.connect(self._verdict_chosen)
        self._fill_walks()
        self._fill_journey()
        char, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        fit_to_screen(self, QSize(char * 120, line * 36))

    def _table(self, name: str, accessible_name: str, model: QAbstractItemModel, *stretch: int) -> QTableView:
        """A read-only table; the ``stretch`` columns share the width left by the others (as wide as their words)."""
        table = QTableView(self)
        table.setObjectName(name)
        table.setAccessibleName(accessible_name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab goes on to Close; arrows move within the table
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        return table

    @classmethod
    def show_for(cls, db: Database, walkthrough_id: str, parent: QWidget | None = None) -> CompareDialog:
        """Open it over ``parent`` (window-modal, not waiting)."""
        dialog = cls(db, walkthrough_id, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- choosing ---------------------------------------------------------------------------

    def _fill_walks(self) -> None:
        try:
            walks = earlier_walkthroughs(self.db, self.walkthrough_id)
        except WalkthroughError as exc:
            self._show_problem(describe(exc))
            return
        self.walk_choice.blockSignals(True)
        for walk in walks:
            self.walk_choice.addItem(self._walk_text(walk), walk.id)
        self.walk_choice.blockSignals(False)
        if not walks:
            self.walk_choice.setEnabled(False)
            self.verdict_choice.setEnabled(False)
            self._show_problem(self.tr("There is no earlier walkthrough to compare this one with yet. A later walk is "
                                       "compared with this one from the later walk."))
            return
        self.walk_choice.setCurrentIndex(0)
        self._walk_chosen(0)
        self.walk_choice.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_journey(self) -> None:
        """The service's journey (every walk of this walk's service), read off the GUI thread: it reads
        every walk of the service and compares each with the one before."""
        from walkthrough.gui.background import BackgroundTask
        from walkthrough.services.journey import service_journey
        from walkthrough.services.walkthroughs import get_walkthrough

        try:
            service_id = get_walkthrough(self.db, self.walkthrough_id).service_id
        except WalkthroughError as exc:
            self._show_problem(describe(exc))
            return
        if not service_id:
            return
        db = self.db
        self.journey_task = BackgroundTask(lambda progress: service_journey(db, service_id), self)
        self.journey_task.succeeded.connect(self.journey_model.set_journey)
        self.journey_task.failed.connect(self._show_problem)
        self.journey_task.start()

    def _walk_text(self, walk: WalkthroughSummary) -> str:
        return (self.tr("%1 — %2, %3").replace("%1", local_date_text(walk.visit_date))
                .replace("%2", walk.service).replace("%3", walk.site))

    @Slot(int)
    def _walk_chosen(self, index: int) -> None:
        base_id = self.walk_choice.itemData(index)
        if base_id is None:
            return
        try:
            self.comparison = compare_walkthroughs(self.db, base_id, self.walkthrough_id)
        except WalkthroughError as exc:
            self.comparison = None
            for model in (self.model, self.concern_model, self.outcome_model, self.voice_model, self.photo_model):
                model.set_comparison(None)
            self._show_problem(describe(exc))
            return
        self.model.set_comparison(self.comparison)
        for model in (self.concern_model, self.outcome_model, self.voice_model, self.photo_model):
            model.set_comparison(self.comparison)
        self._show_caution(self.comparison)
        self._show_lens_note(self.comparison)
        self._show_summary(self.comparison)

    @Slot(int)
    def _verdict_chosen(self, index: int) -> None:
        value = self.verdict_choice.itemData(index)
        self.filter.set_verdict(Verdict(value) if value else None)

    # -- words ------------------------------------------------------------------------------

    def _show_problem(self, text: str) -> None:
        self.summary.setText(text)
        self.caution.hide()
        self.lens_note.hide()

    def _show_caution(self, comparison: Comparison) -> None:
        team = comparison.team
        if not team.differs:
            self.caution.hide()
            return
        reasons = {
            TeamDifference.SIZE: self.tr("the team's size changed by half or more"),
            TeamDifference.LIVED_EXPERIENCE: self.tr("only one of the two teams had someone with lived experience"),
            TeamDifference.FEW_RETURNING: self.tr("fewer than half of the earlier team walked again"),
        }
        self.caution.setText(
            self.tr("The teams differ (%1 then, %2 now; %3 and %4 with lived experience): %5. "
                    "The findings are less comparable.")
            .replace("%1", str(team.before_size)).replace("%2", str(team.after_size))
            .replace("%3", str(team.before_lived_experience)).replace("%4", str(team.after_lived_experience))
            .replace("%5", "; ".join(reasons[d] for d in team.differences)))
        self.caution.show()

    def _show_lens_note(self, comparison: Comparison) -> None:
        if not comparison.lens_changed:
            self.lens_note.hide()
            return
        self.lens_note.setText(
            self.tr("The walks used different lens versions: %1 prompts only in the earlier one, %2 only in this "
                    "one. They are marked in the table.")
            .replace("%1", str(len(comparison.prompts_only_in_base)))
            .replace("%2", str(len(comparison.prompts_only_in_followup))))
        self.lens_note.show()

    def _show_summary(self, comparison: Comparison) -> None:
        counts = comparison.counts
        self.summary.setText(
            self.tr("Improved %1, same %2, worse %3, newly observed %4, not revisited %5. "
                    "Not revisited means not looked at again this time, never resolved.")
            .replace("%1", str(counts[Verdict.IMPROVED])).replace("%2", str(counts[Verdict.SAME]))
            .replace("%3", str(counts[Verdict.WORSE])).replace("%4", str(counts[Verdict.NEWLY_OBSERVED]))
            .replace("%5", str(counts[Verdict.NOT_REVISITED])))
