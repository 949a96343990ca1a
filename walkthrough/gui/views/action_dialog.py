"""The dialog that creates or edits one improvement action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.vocabulary import MAT_STANDARDS, ActionStatus, OnTrack, Priority
from walkthrough.domain.records import ActionRecord, ObservationRecord
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.wording import rating_text
from walkthrough.gui.widgets.date_field import DateField
from walkthrough.gui.widgets.screen_fit import ScrollingBody, fit_to_screen
from walkthrough.services.actions import NewAction

#: Dates show the month as a word (in the user's language), so 03/04 is never ambiguous.
DATE_FORMAT = "d MMM yyyy"
#: How much of an observation's note the findings list shows.
_NOTE_START_CHARS = 60

_OBSERVATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ActionDialog(QDialog):
    """Create an action, or edit one: what, component, principles, lead, owner, due, priority, status,
    on track, how we'll know, MAT standards, findings.

    Use :meth:`ask`; it returns what to hand to
    :meth:`OpenWalkthrough.add_action` (a :class:`NewAction`) or
    :meth:`OpenWalkthrough.edit_action` (a dict of the changed fields).
    OK stays disabled until the action has some text; Ctrl+Enter is OK from
    any field (Enter in the action's text starts a new line).

    An action of another walk of the service (the plan lives across the
    service's walks) is edited in full but for its findings: those are that
    walk's, and links stay within the walk an action was made in, so the
    dialog says which walk's findings it answers and leaves them as they are.
    """

    def __init__(
        self,
        parent: QWidget | None,
        open_walkthrough: OpenWalkthrough,
        *,
        action: ActionRecord | None = None,
        preselected_observation_ids: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self._ow = open_walkthrough
        self._action = action
        #: the other walk of the service the edited action was made in (None: this walk's, or a new one)
        self.other_walk = open_walkthrough.other_walk_of(action) if action is not None else None
        lens = open_walkthrough.lens
        self.setWindowTitle(self.tr("Edit action") if action else self.tr("New action"))
        self.setObjectName("actionDialog")

        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(self.tr("What will be done? e.g. Move the reception screen so people "
                                                  "can give their details without being overheard."))
        self.text_edit.setAccessibleName(self.tr("Action"))
        # Enter is the text's (a new line), so OK has a key that works from the text too.
        self.text_edit.setToolTip(self.tr("Enter starts a new line; Ctrl+Enter saves the action") if action
                                  else self.tr("Enter starts a new line; Ctrl+Enter adds the action"))
        line = self.fontMetrics().lineSpacing()
        self.text_edit.setMinimumHeight(line * 4)
        self.text_edit.setMaximumHeight(line * 8)  # the findings list gets the spare room

        self.component_combo = QComboBox(self)
        self.component_combo.setAccessibleName(self.tr("Core component"))
        self.component_combo.addItem(self.tr("No component"), "")
        for component in lens.components:
            self.component_combo.addItem(component.name, component.id)

        principles_box = QWidget(self)
        principles_layout = QGridLayout(principles_box)
        principles_layout.setContentsMargins(0, 0, 0, 0)
        self.principle_checks: dict[str, QCheckBox] = {}
        for i, principle in enumerate(lens.principles):
            check = QCheckBox(principle.name, principles_box)
            check.setToolTip(principle.meaning)
            check.setAccessibleName(self.tr("Principle: %1").replace("%1", principle.name))
            check.setAccessibleDescription(principle.meaning)
            principles_layout.addWidget(check, i // 3, i % 3)
            self.principle_checks[principle.id] = check

        self.lead_edit = QLineEdit(self)
        self.lead_edit.setPlaceholderText(self.tr("Who answers for it (the owner does the work)"))
        self.lead_edit.setAccessibleName(self.tr("Accountable lead"))
        self.lead_edit.setClearButtonEnabled(True)

        self.owner_edit = QLineEdit(self)
        self.owner_edit.setPlaceholderText(self.tr("Who will make it happen"))
        self.owner_edit.setAccessibleName(self.tr("Owner"))
        self.owner_edit.setClearButtonEnabled(True)

        self.due_edit = DateField(self, display_format=DATE_FORMAT)
        self.due_edit.setAccessibleName(self.tr("Due date"))
        self.due_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 18)
        self.no_due_check = QCheckBox(self.tr("No due date"), self)
        self.no_due_check.setAccessibleName(self.tr("No due date"))
        self.no_due_check.toggled.connect(lambda on: self.due_edit.setEnabled(not on))
        due_row = QHBoxLayout()
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.due_edit, 0, Qt.AlignmentFlag.AlignTop)
        due_row.addWidget(self.no_due_check, 0, Qt.AlignmentFlag.AlignTop)
        due_row.addStretch(1)
        self._past_date_kept: dt.date | None = None  # the past due date the user already said to keep

        self.priority_combo = QComboBox(self)
        self.priority_combo.setAccessibleName(self.tr("Priority"))
        for value, label in ((Priority.HIGH, self.tr("High")), (Priority.MEDIUM, self.tr("Medium")),
                             (Priority.LOW, self.tr("Low"))):
            self.priority_combo.addItem(label, value.value)
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("Status"))
        for value, label in ((ActionStatus.NOT_STARTED, self.tr("Not started")),
                             (ActionStatus.IN_PROGRESS, self.tr("In progress")), (ActionStatus.DONE, self.tr("Done"))):
            self.status_combo.addItem(label, value.value)
        self.on_track_combo = QComboBox(self)
        self.on_track_combo.setAccessibleName(self.tr("On track"))
        for value, label in (("", self.tr("Not said")), (OnTrack.ON_TRACK.value, self.tr("On track")),
                             (OnTrack.AT_RISK.value, self.tr("At risk")),
                             (OnTrack.OFF_TRACK.value, self.tr("Off track"))):
            self.on_track_combo.addItem(label, value)
        choice_row = QHBoxLayout()
        choice_row.setContentsMargins(0, 0, 0, 0)
        status_label = QLabel(self.tr("&Status:"), self)
        status_label.setBuddy(self.status_combo)
        on_track_label = QLabel(self.tr("On &track:"), self)
        on_track_label.setBuddy(self.on_track_combo)
        choice_row.addWidget(self.priority_combo)
        choice_row.addSpacing(line)
        choice_row.addWidget(status_label)
        choice_row.addWidget(self.status_combo)
        choice_row.addSpacing(line)
        choice_row.addWidget(on_track_label)
        choice_row.addWidget(self.on_track_combo)
        choice_row.addStretch(1)

        self.measure_edit = QLineEdit(self)
        self.measure_edit.setPlaceholderText(self.tr("What will show it worked? e.g. Fewer missed first "
                                                     "appointments by June"))
        self.measure_edit.setAccessibleName(self.tr("How we’ll know"))
        self.measure_edit.setClearButtonEnabled(True)

        mat_box = QWidget(self)
        mat_layout = QHBoxLayout(mat_box)
        mat_layout.setContentsMargins(0, 0, 0, 0)
        self.mat_checks: dict[int, QCheckBox] = {}
        for number in MAT_STANDARDS:
            check = QCheckBox(str(number), mat_box)
            check.setAccessibleName(self.tr("MAT standard %1").replace("%1", str(number)))
            mat_layout.addWidget(check)
            self.mat_checks[number] = check
        mat_layout.addStretch(1)
        mat_box.setToolTip(self.tr("The MAT standards (1 to 10) this action serves, if any"))

        self.findings_search = QLineEdit(self)
        self.findings_search.setPlaceholderText(self.tr("Filter findings"))
        self.findings_search.setAccessibleName(self.tr("Filter findings"))
        self.findings_search.setClearButtonEnabled(True)
        self.findings_search.textChanged.connect(self._filter_findings)
        self.findings_list = QListWidget(self)
        self.findings_list.setAccessibleName(self.tr("Linked findings"))
        self.findings_list.setAccessibleDescription(self.tr("Tick the findings this action answers."))
        self.findings_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findings_list.setMinimumHeight(line * 6)
        self.findings_list.setWordWrap(True)
        self.findings_list.setAlternatingRowColors(True)
        self.findings_list.setSpacing(max(1, line // 6))
        self._fill_findings()
        #: Said instead of the findings list for an action of another walk (see the class's notes).
        self.other_walk_label = QLabel(self)
        self.other_walk_label.setWordWrap(True)
        self.other_walk_label.setObjectName("otherWalkFindings")
        if self.other_walk is not None and action is not None:
            when = QLocale().toString(_qdate(self.other_walk.visit_date), DATE_FORMAT)
            self.other_walk_label.setText(self.tr(
                "This action was made in the walk of %1 and answers %n finding(s) of that walk. Its findings "
                "stay as they are: an action links only to findings of the walk it was made in.", "",
                len(action.observation_ids)).replace("%1", when))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label(self.tr("&Action:"), self.text_edit), self.text_edit)
        form.addRow(self._label(self.tr("&Component:"), self.component_combo), self.component_combo)
        form.addRow(QLabel(self.tr("Principles:"), self), principles_box)
        form.addRow(self._label(self.tr("Accou&ntable lead:"), self.lead_edit), self.lead_edit)
        form.addRow(self._label(self.tr("&Owner:"), self.owner_edit), self.owner_edit)
        form.addRow(self._label(self.tr("&Due date:"), self.due_edit), due_row)
        form.addRow(self._label(self.tr("&Priority:"), self.priority_combo), choice_row)
        form.addRow(self._label(self.tr("How we’ll &know:"), self.measure_edit), self.measure_edit)
        form.addRow(self._label(self.tr("&MAT standards:"), self.mat_checks[MAT_STANDARDS[0]]), mat_box)

        findings_label = self._label(self.tr("&Linked findings:"), self.findings_list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Save action") if action else self.tr("Add action"))
        # Ctrl+Enter is OK from every field, the text box included (plain Enter is
        # only OK outside it); Ctrl+Return is the main keyboard's Enter key.
        self.accept_shortcut = QShortcut(self)
        self.accept_shortcut.setKeys([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.accept_shortcut.activated.connect(self.ok_button.click)  # nothing while OK is disabled

        # The fields scroll when large text leaves too little room (200 % on a
        # 768-pixel screen); the buttons stay below them, always in sight.
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(form)
        body_layout.addWidget(findings_label)
        body_layout.addWidget(self.findings_search)
        body_layout.addWidget(self.findings_list, 1)
        body_layout.addWidget(self.other_walk_label)
        linkable = self.other_walk is None
        for widget in (self.findings_search, self.findings_list):
            widget.setVisible(linkable)
        self.other_walk_label.setVisible(not linkable)
        findings_label.setBuddy(self.findings_list if linkable else self.other_walk_label)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingBody(body, self), 1)
        layout.addWidget(self.buttons)

        self._show(action, tuple(preselected_observation_ids))
        self.text_edit.textChanged.connect(self._update_ok)
        self.due_edit.validityChanged.connect(self._update_ok)
        self.no_due_check.toggled.connect(self._update_ok)
        self._update_ok()
        self.text_edit.setFocus()
        width = self.fontMetrics().averageCharWidth() * 90
        fit_to_screen(self, QSize(max(self.sizeHint().width(), width), max(self.sizeHint().height(), line * 36)))

    # -- public -----------------------------------------------------------------------------

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        open_walkthrough: OpenWalkthrough,
        *,
        action: ActionRecord | None = None,
        preselected_observation_ids: Iterable[str] = (),
    ) -> NewAction | dict[str, Any] | None:
        """Show the dialog modally.

        Returns:
            For a new action (``action`` is None), the :class:`NewAction`; to
            edit ``action``, a dict of the fields that changed (maybe empty);
            ``None`` if the user cancelled.
        """
        dialog = cls(parent, open_walkthrough, action=action, preselected_observation_ids=preselected_observation_ids)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_value()
        finally:
            dialog.deleteLater()

    @classmethod
    def keep_past_due_date(cls, parent: QWidget, day: dt.date) -> bool:
        """Ask whether to keep a due date that is already past; True to keep it.  Tests patch this."""
        when = QLocale().toString(_qdate(day), DATE_FORMAT)
        answer = QMessageBox.question(
            parent, QCoreApplication.translate("ActionDialog", "Due date in the past"),
            QCoreApplication.translate("ActionDialog", "%1 is in the past. Keep it?").replace("%1", when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def accept(self) -> None:
        """Close with OK, unless the due date is not a date, or is past and the user would rather change it."""
        if not self._due_date_accepted():
            return
        super().accept()

    def result_value(self) -> NewAction | dict[str, Any]:
        """What the dialog now holds: a NewAction when creating, the changed fields when editing."""
        values: dict[str, Any] = {
            "text": self.text_edit.toPlainText().strip(),
            "lead": self.lead_edit.text().strip(),
            "owner": self.owner_edit.text().strip(),
            "due_date": self._due_date(),
            "priority": Priority(self.priority_combo.currentData()),
            "status": ActionStatus(self.status_combo.currentData()),
            "on_track": OnTrack(self.on_track_combo.currentData()) if self.on_track_combo.currentData() else None,
            "success_measure": self.measure_edit.text().strip(),
            "component_id": self.component_combo.currentData() or None,
            "principle_ids": tuple(pid for pid, check in self.principle_checks.items() if check.isChecked()),
            "mat_standards": tuple(n for n, check in self.mat_checks.items() if check.isChecked()),
            "observation_ids": self.checked_observation_ids(),
        }
        if self._action is None:
            return NewAction(**values)
        if self.other_walk is not None:
            del values["observation_ids"]  # that walk's findings are not listed here: left as they are
        a = self._action
        changed: dict[str, Any] = {}
        for name, value in values.items():
            before = getattr(a, name)
            same = set(before) == set(value) if name in ("principle_ids", "observation_ids") else before == value
            if not same:
                changed[name] = value
        return changed

    def checked_observation_ids(self) -> tuple[str, ...]:
        """Ids of the ticked findings, in walking order."""
        items = (self.findings_list.item(i) for i in range(self.findings_list.count()))
        return tuple(item.data(_OBSERVATION_ID_ROLE) for item in items
                     if item.checkState() == Qt.CheckState.Checked)

    # -- internals ------------------------------------------------------------------------------

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _fill_findings(self) -> None:
        for observation in self._ow.observations():
            item = QListWidgetItem(self._describe(observation))
            item.setData(_OBSERVATION_ID_ROLE, observation.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(observation.note or self._describe(observation))
            self.findings_list.addItem(item)
        if self.findings_list.count() == 0:
            item = QListWidgetItem(self.tr("No findings recorded yet."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.findings_list.addItem(item)

    def _describe(self, o: ObservationRecord) -> str:
        """"Area — prompt — rating — note start", as the findings list shows it."""
        lens = self._ow.lens
        area = lens.area(o.area_id)
        prompt = lens.prompt(o.prompt_id) if o.prompt_id else None
        rating = lens.rating(o.rating_id) if o.rating_id is not None else None
        parts = [area.title if area else o.area_id,
                 prompt.question if prompt else self.tr("Other observation")]
        if rating is not None or o.rating_id is None:
            parts.append(rating_text(rating))  # None: "? Not rated yet"
        note = " ".join(o.note.split())
        if note:
            parts.append(note if len(note) <= _NOTE_START_CHARS else note[: _NOTE_START_CHARS - 1].rstrip() + "…")
        return " — ".join(parts)

    def _show(self, action: ActionRecord | None, preselected: tuple[str, ...]) -> None:
        today = dt.date.today()
        if action is None:
            self.priority_combo.setCurrentIndex(self.priority_combo.findData(Priority.MEDIUM.value))
            self.status_combo.setCurrentIndex(self.status_combo.findData(ActionStatus.NOT_STARTED.value))
            self.due_edit.setDate(_qdate(today + dt.timedelta(days=30)))
            self.no_due_check.setChecked(True)
            linked = set(preselected)
            # An action made from findings answers their principles: start with those
            # ticked (the user can untick any).
            for observation_id in preselected:
                observation = self._ow.observation(observation_id)
                for principle_id in observation.principle_ids if observation else ():
                    if principle_id in self.principle_checks:
                        self.principle_checks[principle_id].setChecked(True)
            return self._tick(linked)
        self.text_edit.setPlainText(action.text)
        self.component_combo.setCurrentIndex(max(0, self.component_combo.findData(action.component_id or "")))
        for principle_id in action.principle_ids:
            if principle_id in self.principle_checks:
                self.principle_checks[principle_id].setChecked(True)
        self.lead_edit.setText(action.lead)
        self.owner_edit.setText(action.owner)
        self.measure_edit.setText(action.success_measure)
        self.on_track_combo.setCurrentIndex(max(0, self.on_track_combo.findData(
            action.on_track.value if action.on_track else "")))
        for number in action.mat_standards:
            if number in self.mat_checks:
                self.mat_checks[number].setChecked(True)
        self.due_edit.setDate(_qdate(action.due_date or today + dt.timedelta(days=30)))
        self.no_due_check.setChecked(action.due_date is None)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(Priority(action.priority).value))
        self.status_combo.setCurrentIndex(self.status_combo.findData(ActionStatus(action.status).value))
        self._tick(set(action.observation_ids) | set(preselected))

    def _tick(self, ids: set[str]) -> None:
        first: QListWidgetItem | None = None
        for i in range(self.findings_list.count()):
            item = self.findings_list.item(i)
            if item.data(_OBSERVATION_ID_ROLE) in ids:
                item.setCheckState(Qt.CheckState.Checked)
                first = first or item
        if first is not None:
            self.findings_list.scrollToItem(first)

    def _filter_findings(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.findings_list.count()):
            item = self.findings_list.item(i)
            haystack = item.text().casefold() + " " + (item.toolTip() or "").casefold()
            item.setHidden(bool(words) and not all(w in haystack for w in words))

    def _due_date(self) -> dt.date | None:
        if self.no_due_check.isChecked() or not self.due_edit.has_date():
            return None
        return self.due_edit.date().toPython()

    def _due_date_accepted(self) -> bool:
        """True when the due date can be saved: none, or a date that is not past, or one the user keeps.

        A past date is asked about once: not again after the user said keep
        it, nor for an action whose due date was already that date.
        """
        if self.no_due_check.isChecked():
            return True
        if not self.due_edit.show_problem():
            self.due_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        day = self.due_edit.date().toPython()
        already = self._action.due_date if self._action is not None else None
        if day >= dt.date.today() or day in (already, self._past_date_kept):
            return True
        if not self.keep_past_due_date(self, day):
            self.due_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.due_edit.line_edit.selectAll()
            return False
        self._past_date_kept = day
        return True

    def _update_ok(self) -> None:
        has_text = bool(self.text_edit.toPlainText().strip())
        date_ok = self.no_due_check.isChecked() or self.due_edit.has_date()
        self.ok_button.setEnabled(has_text and date_ok)
        if not has_text:
            self.ok_button.setToolTip(self.tr("Write what will be done first."))
        elif not date_ok:
            self.ok_button.setToolTip(self.tr("Type the due date as a date first, or tick No due date."))
        else:
            self.ok_button.setToolTip("")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
