"""File → This laptop…: the name other laptops know this one by, and who uses it.

Both go into every package this laptop writes, so the person bringing it in
reads "From Aisha's laptop (Aisha)" and the differences and Review's
"Recorded by" name the right person.  The same as ``walkthrough device
--name NAME --person PERSON`` on the command line.  Reached through
:meth:`DeviceDialog.ask`, which tests may replace.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from walkthrough.gui.widgets.screen_fit import fit_to_screen
from walkthrough.services.history import MAX_NAME_CHARS


@dataclass(frozen=True)
class DeviceNames:
    """What was typed: the laptop's name and the person who uses it (may be empty)."""

    name: str
    person: str


class DeviceDialog(QDialog):
    """This laptop's name and person, each on one line; the name may not be left empty."""

    def __init__(self, name: str, person: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("This laptop"))
        explain = QLabel(self.tr("Other laptops of the team see these names on the packages this laptop sends, "
                                 "and beside what was recorded here."), self)
        explain.setWordWrap(True)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setMaxLength(MAX_NAME_CHARS)
        self.name_edit.setAccessibleName(self.tr("Laptop's name"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Front desk laptop"))
        self.person_edit = QLineEdit(person, self)
        self.person_edit.setMaxLength(MAX_NAME_CHARS)
        self.person_edit.setAccessibleName(self.tr("Who uses it"))
        self.person_edit.setPlaceholderText(self.tr("e.g. Aisha"))
        form = QFormLayout()
        name_label, person_label = QLabel(self.tr("Laptop's &name:"), self), QLabel(self.tr("&Who uses it:"), self)
        name_label.setBuddy(self.name_edit)
        person_label.setBuddy(self.person_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(person_label, self.person_edit)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        line = self.fontMetrics().height()
        fit_to_screen(self, QSize(line * 28, self.sizeHint().height()))

    def _check(self) -> None:
        if not self.name_edit.text().strip():
            self.problem.setText(self.tr("Give the laptop a name the team will know it by."))
            self.problem.setVisible(True)
            self.name_edit.setFocus()
            return
        self.accept()

    def names(self) -> DeviceNames:
        """What was typed (read once accepted)."""
        return DeviceNames(self.name_edit.text().strip(), self.person_edit.text().strip())

    @classmethod
    def ask(cls, name: str, person: str, parent: QWidget | None) -> DeviceNames | None:
        """Ask; None when cancelled."""
        dialog = cls(name, person, parent)
        try:
            return dialog.names() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
