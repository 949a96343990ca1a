"""An action's progress: its updates and status history, and a new progress update."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from walkthrough.domain.plan_history import StatusChange
from walkthrough.domain.records import ProgressUpdateRecord
from walkthrough.domain.vocabulary import ActionStatus, OnTrack
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.action_dialog import DATE_FORMAT
from walkthrough.gui.widgets.date_field import DateField
from walkthrough.gui.widgets.screen_fit import ScrollingBody, fit_to_screen
from walkthrough.gui.wording import local_time_text, on_track_label, status_label
from walkthrough.services.progress_updates import NOT_SAID, NewProgressUpdate


class ProgressDialog(QDialog):
    """One action's progress updates and status history, with a form for a new update.

    The form holds the date (today), who writes it (this device's person),
    the status and on-track (the action's now: change them to change the
    action's) and a note.  "Add update" is on once the update says
    something; Ctrl+Enter adds it from any field.  Read-only, the form is
    off and the dialog is for reading.  Use :meth:`ask`.
    """

    def __init__(self, parent: QWidget | None, open_walkthrough: OpenWalkthrough, action_id: str) -> None:
        super().__init__(parent)
        self._ow = open_walkthrough
        action = open_walkthrough.action(action_id)
        assert action is not None
        self._action = action
        self.setWindowTitle(self.tr("Progress"))
        self.setObjectName("progressDialog")
        line = self.fontMetrics().lineSpacing()

        title = QLabel(" ".join(action.text.split()), self)
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.PlainText)

        self.updates_list = QListWidget(self)
        self.updates_list.setAccessibleName(self.tr("Progress updates"))
        self.updates_list.setWordWrap(True)
        self.updates_list.setAlternatingRowColors(True)
        self.updates_list.setMinimumHeight(line * 5)
        for update in open_walkthrough.progress_updates(action_id):
            self._add_item(self.updates_list, self._describe_update(update), update.note)
        if self.updates_list.count() == 0:
            self._add_item(self.updates_list, self.tr("No progress updates yet."), "")

        self.history_list = QListWidget(self)
        self.history_list.setAccessibleName(self.tr("Status history"))
        self.history_list.setWordWrap(True)
        self.history_list.setMinimumHeight(line * 4)
        for change in open_walkthrough.status_history(action_id):
            text = self._describe_status_change(change)
            self._add_item(self.history_list, text, text)

        self.date_edit = DateField(self, display_format=DATE_FORMAT)
        self.date_edit.setAccessibleName(self.tr("Date of the update"))
        self.date_edit.setDate(dt.date.today())
        self.writer_edit = QLineEdit(open_walkthrough.this_person(), self)
        self.writer_edit.setAccessibleName(self.tr("Written by"))
        self.writer_edit.setPlaceholderText(self.tr("Who writes this update"))
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("Status"))
        for status in ActionStatus:
            self.status_combo.addItem(status_label(status), status.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData(ActionStatus(action.status).value))
        self.on_track_combo = QComboBox(self)
        self.on_track_combo.setAccessibleName(self.tr("On track"))
        self.on_track_combo.addItem(self.tr("Not said"), "")
        for on_track in OnTrack:
            self.on_track_combo.addItem(on_track_label(on_track), on_track.value)
        self.on_track_combo.setCurrentIndex(max(0, self.on_track_combo.findData(
            action.on_track.value if action.on_track else "")))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setPlaceholderText(self.tr("What has happened since the last update?"))
        self.note_edit.setToolTip(self.tr("Enter starts a new line; Ctrl+Enter adds the update"))
        self.note_edit.setMinimumHeight(line * 3)
        self.note_edit.setMaximumHeight(line * 6)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label(self.tr("&Date:"), self.date_edit), self.date_edit)
        form.addRow(self._label(self.tr("&Written by:"), self.writer_edit), self.writer_edit)
        form.addRow(self._label(self.tr("&Status:"), self.status_combo), self.status_combo)
        form.addRow(self._label(self.tr("On &track:"), self.on_track_combo), self.on_track_combo)
        form.addRow(self._label(self.tr("&Note:"), self.note_edit), self.note_edit)
        self.form_box = QWidget(self)
        self.form_box.setLayout(form)
        self.form_box.setEnabled(not open_walkthrough.read_only)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add update"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.accept_shortcut = QShortcut(self)
        self.accept_shortcut.setKeys([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.accept_shortcut.activated.connect(self.ok_button.click)  # nothing while it is off

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(title)
        body_layout.addWidget(self._label(self.tr("&Updates:"), self.updates_list))
        body_layout.addWidget(self.updates_list, 2)
        body_layout.addWidget(self._label(self.tr("Status &history:"), self.history_list))
        body_layout.addWidget(self.history_list, 1)
        body_layout.addWidget(self.form_box)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingBody(body, self), 1)
        layout.addWidget(self.buttons)

        for signal in (self.note_edit.textChanged, self.status_combo.currentIndexChanged,
                       self.on_track_combo.currentIndexChanged, self.date_edit.validityChanged):
            signal.connect(self._update_ok)
        self._update_ok()
        (self.updates_list if open_walkthrough.read_only else self.note_edit).setFocus()
        width = self.fontMetrics().averageCharWidth() * 80
        fit_to_screen(self, QSize(max(self.sizeHint().width(), width), max(self.sizeHint().height(), line * 32)))

    # -- public -----------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, open_walkthrough: OpenWalkthrough,
            action_id: str) -> NewProgressUpdate | None:
        """Show the dialog modally; the update to add, or None when closed without one."""
        dialog = cls(parent, open_walkthrough, action_id)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_value()
        finally:
            dialog.deleteLater()

    def result_value(self) -> NewProgressUpdate:
        """The update the form holds: the status and on-track only where they differ from the action's."""
        status = ActionStatus(self.status_combo.currentData())
        on_track = OnTrack(self.on_track_combo.currentData()) if self.on_track_combo.currentData() else None
        return NewProgressUpdate(
            note=self.note_edit.toPlainText().strip(),
            date=self.date_edit.date().toPython() if self.date_edit.has_date() else None,
            written_by=self.writer_edit.text().strip(),
            status=status if status != self._action.status else None,
            on_track=on_track if on_track != self._action.on_track else NOT_SAID,
        )

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        super().accept()

    # -- internals ------------------------------------------------------------------------------

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _add_item(widget: QListWidget, text: str, tip: str) -> None:
        item = QListWidgetItem(text)
        if tip:
            item.setToolTip(tip)
        widget.addItem(item)

    def _describe_update(self, update: ProgressUpdateRecord) -> str:
        day = QLocale().toString(QDate(update.date.year, update.date.month, update.date.day), DATE_FORMAT)
        state = status_label(update.status)
        if update.on_track is not None:
            state = self.tr("%1, %2").replace("%1", state).replace("%2", on_track_label(update.on_track))
        parts = [day, update.written_by or self.tr("(no name)"), state]
        note = " ".join(update.note.split())
        if note:
            parts.append(note)
        return " — ".join(parts)

    def _describe_status_change(self, change: StatusChange) -> str:
        who = change.person or change.device_name
        if change.field == "status":
            what = self.tr("Status: %1").replace("%1", status_label(change.after or ""))
            if change.before is not None:
                what = self.tr("Status: %1 → %2").replace("%1", status_label(change.before)).replace(
                    "%2", status_label(change.after or ""))
        else:
            before = on_track_label(change.before) or self.tr("not said")
            after = on_track_label(change.after) or self.tr("not said")
            what = self.tr("On track: %1 → %2").replace("%1", before).replace("%2", after)
        return " — ".join((local_time_text(change.time), who, what))

    def _update_ok(self) -> None:
        if self._ow.read_only:
            self.ok_button.setEnabled(False)
            return
        says_something = bool(self.note_edit.toPlainText().strip()) or (
            self.status_combo.currentData() != ActionStatus(self._action.status).value) or (
            (self.on_track_combo.currentData() or None) != (self._action.on_track.value if self._action.on_track
                                                            else None))
        date_ok = self.date_edit.has_date()
        self.ok_button.setEnabled(says_something and date_ok)
        if not date_ok:
            self.ok_button.setToolTip(self.tr("Type the date as a date first."))
        elif not says_something:
            self.ok_button.setToolTip(self.tr("Write a note, or change the status or on-track, first."))
        else:
            self.ok_button.setToolTip("")
