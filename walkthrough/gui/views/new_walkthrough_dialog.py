"""Starting a walkthrough: lens, service, site, date, facilitators, participants.

The form is ``ui/new_walkthrough.ui`` (edit it with Qt Designer).  The same
form corrects an existing walkthrough's details (:meth:`NewWalkthroughDialog.ask_edit`),
with its lens shown but fixed: the findings were made with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDate, QFile, QIODevice, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from walkthrough.bundled import ui_dir
from walkthrough.domain.lens import Lens
from walkthrough.domain.vocabulary import Role
from walkthrough.domain.records import TeamMember, WalkthroughRecord
from walkthrough.gui.widgets.date_field import DateField
from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.gui.wording import role_label
from walkthrough.services.lens_catalog import LensCatalog


@dataclass(frozen=True)
class WalkthroughDetails:
    """What the dialog asks for, ready for ``create_walkthrough``."""

    lens: Lens
    service: str
    site: str
    visit_date: dt.date
    facilitators: tuple[str, ...]
    participants: tuple[TeamMember, ...]


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Load ``ui/<name>.ui`` into a new widget.

    Raises:
        RuntimeError: the form is missing or broken (an incomplete installation).
    """
    path = ui_dir() / f"{name}.ui"
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"cannot read the form {path}")
    loader = QUiLoader()
    loader.registerCustomWidget(DateField)  # the forms' date fields
    try:
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"the form {path} is broken")
    return widget


class ParticipantNameDelegate(QStyledItemDelegate):
    """Edits a participant's name in the usual line, with a name a screen reader can say.

    The table's own editor has none, so a screen reader announced a blank
    "edit" where the name is typed.
    """

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(QCoreApplication.translate("NewWalkthroughDialog", "Participant name"))
        return editor


class NewWalkthroughDialog:
    """The "New walkthrough" dialog; use :meth:`ask` (or :meth:`ask_edit` to correct one)."""

    def __init__(self, catalog: LensCatalog, parent: QWidget | None = None, facilitator: str = "", *,
                 editing: WalkthroughRecord | None = None, services: Sequence[str] = ()) -> None:
        """``editing``: the walkthrough whose details to correct, shown filled in (``catalog`` is then unused).

        ``services``: the names of the services there are, offered as the service is typed (and with
        Down): choosing one files the walkthrough under it; a name not among them is a new service.
        """
        dialog = load_form("new_walkthrough", parent)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.catalog = catalog
        #: The walkthrough being corrected, or None when starting one.
        self.editing = editing
        f = dialog.findChild
        self.lens_combo: QComboBox = f(QComboBox, "lensCombo")
        self.lens_description: QLabel = f(QLabel, "lensDescription")
        self.service: QLineEdit = f(QLineEdit, "serviceEdit")
        self.site: QLineEdit = f(QLineEdit, "siteEdit")
        self.date: DateField = f(DateField, "dateEdit")
        self.date.set_display_format("d MMMM yyyy")
        self.facilitators: QPlainTextEdit = f(QPlainTextEdit, "facilitatorsEdit")
        self.participants: QTableWidget = f(QTableWidget, "participantsTable")
        self.problem: QLabel = f(QLabel, "problemLabel")
        self.buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        self._add_button: QPushButton = f(QPushButton, "addParticipantButton")
        self._add_button.clicked.connect(self.add_participant)
        f(QPushButton, "removeParticipantButton").clicked.connect(self._remove_participant)
        self.buttons.accepted.connect(dialog.accept)
        self.buttons.rejected.connect(dialog.reject)
        self.participants.itemChanged.connect(self._name_role_boxes)

        if editing is not None:
            self._fill_in(editing)
        else:
            for entry in catalog.entries:
                mine = "" if entry.bundled else QCoreApplication.translate("NewWalkthroughDialog", " (your lens)")
                self.lens_combo.addItem(f"{entry.lens.title} — {entry.lens.version}{mine}", entry.lens.id)
            default = self.lens_combo.findData("substance-use")
            self.lens_combo.setCurrentIndex(max(default, 0))
            self.lens_combo.currentIndexChanged.connect(self._show_lens)
            self._show_lens()
            self.date.setDate(QDate.currentDate())
            if facilitator:
                self.facilitators.setPlainText(facilitator)
        self.services = list(dict.fromkeys(services))
        if self.services:
            completer = QCompleter(self.services, self.service)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.service.setCompleter(completer)
            self.service.setPlaceholderText(QCoreApplication.translate(
                "NewWalkthroughDialog", "An existing service, or a new one"))
        self.service.textChanged.connect(self._validate)
        self.site.textChanged.connect(self._validate)
        self.date.validityChanged.connect(self._validate)
        self._validate()
        self.participants.setTabKeyNavigation(False)
        self.participants.setItemDelegateForColumn(0, ParticipantNameDelegate(self.participants))
        # The fields scroll (and the buttons stay in sight) when large text leaves too little room.
        scroll = dialog.findChild(QScrollArea, "formScroll")
        self._fit_form(scroll)
        # The lens already has a sensible choice: start where typing is needed.
        self.service.setFocus()
        problems = catalog.problems if editing is None else ()
        self.problem.setVisible(bool(problems))  # no empty line above the buttons
        if problems:
            self.problem.setText(QCoreApplication.translate("NewWalkthroughDialog", "Some of your lens files could not be used: %1").replace(
                "%1", "; ".join(str(p) for p in catalog.problems)))

    def _fill_in(self, record: WalkthroughRecord) -> None:
        """Show ``record``'s details to correct; its lens is shown but cannot be changed."""
        self.dialog.setWindowTitle(QCoreApplication.translate("NewWalkthroughDialog", "Walkthrough details"))
        lens = record.lens
        self.lens_combo.addItem(f"{lens.title} — {lens.version}", lens.id)
        self.lens_combo.setEnabled(False)
        # Said where it is seen (a disabled box's tooltip is easily missed); the lens's description is known by now.
        self.lens_description.setText(QCoreApplication.translate(
            "NewWalkthroughDialog", "The lens cannot be changed: the findings were made with it."))
        self.service.setText(record.service)
        self.site.setText(record.site)
        for field in (self.service, self.site):
            field.setCursorPosition(0)  # a long name shows its beginning, not its end
        self.date.setDate(QDate(record.visit_date.year, record.visit_date.month, record.visit_date.day))
        self.facilitators.setPlainText("\n".join(record.facilitators))
        for member in record.participants:
            self._append_participant(member.name, member.role)
        self.participants.setCurrentCell(-1, -1)

    def _fit_form(self, scroll: QScrollArea | None) -> None:
        """Size the dialog to its fields, within the screen (at 200 % the screen is 384 px high)."""
        dialog = self.dialog
        if scroll is not None and scroll.widget() is not None:
            body = scroll.widget().sizeHint()
            extra = dialog.sizeHint().height() - scroll.sizeHint().height()
            bar = scroll.verticalScrollBar().sizeHint().width()
            line = dialog.fontMetrics().height()
            preferred = QSize(max(body.width() + bar, line * 32), body.height() + max(extra, 0))
        else:
            preferred = dialog.sizeHint()
        fit_to_screen(dialog, preferred)

    def add_participant(self, name: str = "", role: Role = Role.STAFF) -> None:
        """Add a row for a participant, ready to type the name."""
        row = self._append_participant(name if isinstance(name, str) else "", role)
        self.participants.setCurrentCell(row, 0)
        self.participants.editItem(self.participants.item(row, 0))

    def _append_participant(self, name: str, role: Role) -> int:
        """Add a row for a participant; returns its row."""
        row = self.participants.rowCount()
        self.participants.insertRow(row)
        combo = QComboBox(self.participants)
        for r in Role:
            combo.addItem(role_label(r), r.value)
        combo.setCurrentIndex(combo.findData(role.value))
        self.participants.setCellWidget(row, 1, combo)
        self.participants.setItem(row, 0, QTableWidgetItem(name))  # names the role box too
        # Tab: the list, each participant's role in turn, then Add participant (a combo
        # made later would otherwise come after OK and Cancel, at the very end).
        previous = self.participants.cellWidget(row - 1, 1) if row else self.participants
        QWidget.setTabOrder(previous, combo)
        QWidget.setTabOrder(combo, self._add_button)
        return row

    def _remove_participant(self) -> None:
        row = self.participants.currentRow()
        if row >= 0:
            self.participants.removeRow(row)
            self._name_role_boxes()

    def _name_role_boxes(self) -> None:
        """Name each role box after its participant, so that a screen reader says whose role it is."""
        for row in range(self.participants.rowCount()):
            combo = self.participants.cellWidget(row, 1)
            if combo is None:
                continue  # the name is set before its role box is there
            item = self.participants.item(row, 0)
            name = item.text().strip() if item else ""
            if name:
                text = QCoreApplication.translate("NewWalkthroughDialog", "Role of %1").replace("%1", name)
            else:
                text = QCoreApplication.translate("NewWalkthroughDialog", "Role of participant %1").replace(
                    "%1", str(row + 1))
            combo.setAccessibleName(text)

    def _show_lens(self) -> None:
        lens = self.catalog.get(self.lens_combo.currentData()).lens if self.lens_combo.count() else None
        self.lens_description.setText(lens.description if lens else "")

    def _validate(self) -> None:
        ok = bool(self.service.text().strip() and self.site.text().strip() and self.date.has_date())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def details(self) -> WalkthroughDetails:
        """What was entered (rows without a name are left out)."""
        participants = []
        for row in range(self.participants.rowCount()):
            item = self.participants.item(row, 0)
            name = item.text().strip() if item else ""
            combo = self.participants.cellWidget(row, 1)
            if name:
                participants.append(TeamMember(name, Role(combo.currentData())))
        facilitators = tuple(n.strip() for n in self.facilitators.toPlainText().splitlines() if n.strip())
        qdate = self.date.date()
        lens = self.editing.lens if self.editing is not None else self.catalog.get(self.lens_combo.currentData()).lens
        return WalkthroughDetails(
            lens=lens,
            service=self.service.text().strip(),
            site=self.site.text().strip(),
            visit_date=dt.date(qdate.year(), qdate.month(), qdate.day()),
            facilitators=facilitators,
            participants=tuple(participants),
        )

    @classmethod
    def ask(cls, catalog: LensCatalog, parent: QWidget | None = None, facilitator: str = "", *,
            services: Sequence[str] = ()) -> WalkthroughDetails | None:
        """Show the dialog; the details, or None if cancelled.  Tests patch this."""
        form = cls(catalog, parent, facilitator, services=services)
        try:
            return form.details() if form.dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            form.dialog.deleteLater()

    @classmethod
    def ask_edit(cls, record: WalkthroughRecord, parent: QWidget | None = None) -> WalkthroughDetails | None:
        """Show ``record``'s details to correct; the corrected details, or None if cancelled.  Tests patch this."""
        form = cls(LensCatalog((), ()), parent, editing=record)
        try:
            return form.details() if form.dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            form.dialog.deleteLater()
