"""Before a package is written: which laptop it is for, and whether to seal it with a passphrase.

And, for a sealed package being brought in, the passphrase it was sealed
with.  Both are small dialogs reached through classmethods
(:meth:`PackageDialog.ask`, :func:`ask_passphrase_to_open`) that tests can
patch; the main window's commands also take their answers as parameters.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from walkthrough.gui.widgets.screen_fit import ScrollingBody, fit_to_screen

#: Where Linux and macOS put drives that come and go (USB sticks, SD cards).
_REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/", "/mnt/")


def on_removable_drive(path: Path) -> bool:
    """True when ``path`` looks to be on a USB stick or another drive that leaves the building."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = Path(path).anchor
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive) == 2  # DRIVE_REMOVABLE
    text = str(PurePosixPath(Path(path).expanduser().absolute()))
    return text.startswith(_REMOVABLE_ROOTS)


@dataclass(frozen=True)
class PackageChoices:
    """What the person chose: the passphrase (None: not sealed) and, when sending, the laptop (None: any)."""

    passphrase: str | None
    to: str | None = None


class PackageDialog(QDialog):
    """Seal with a passphrase (typed twice), and for *Send my changes* the laptop it is for."""

    def __init__(self, path: Path, laptops: list[tuple[str, str]] | None, parent: QWidget | None = None) -> None:
        """``laptops``: (id, how it is shown) of the laptops known here, or None when sharing (no choice)."""
        super().__init__(parent)
        sending = laptops is not None
        self.setWindowTitle(self.tr("Send my changes") if sending else self.tr("Share walkthrough"))
        body = QWidget(self)
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        where = QLabel(self.tr("To be saved as %1").replace("%1", path.name), body)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(where)

        self.laptop: QComboBox | None = None
        if sending:
            self.laptop = QComboBox(body)
            self.laptop.addItem(self.tr("Any laptop (everything recorded here)"), None)
            for laptop_id, shown in laptops or []:
                self.laptop.addItem(shown, laptop_id)
            self.laptop.setAccessibleName(self.tr("For which laptop"))
            label = QLabel(self.tr("&For:"), body)
            label.setBuddy(self.laptop)
            form.addRow(label, self.laptop)
            explain = QLabel(self.tr("For one laptop, only what it has not seen yet goes into the package."), body)
            explain.setWordWrap(True)
            form.addRow(explain)

        self.seal = QCheckBox(self.tr("&Seal it with a passphrase"), body)
        form.addRow(self.seal)
        self.removable = on_removable_drive(path)
        self.hint = QLabel(body)
        self.hint.setWordWrap(True)
        if self.removable:
            self.hint.setText(self.tr("This folder is on a removable drive. A USB stick is easily lost: "
                                      "sealing the package keeps its notes and photos private. Tell the other "
                                      "person the passphrase by another route (in person, by phone)."))
        else:
            self.hint.setText(self.tr("A sealed package can be opened only with the passphrase. Tell the other "
                                      "person the passphrase by another route (in person, by phone)."))
        form.addRow(self.hint)
        self.passphrase = QLineEdit(body)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.repeat = QLineEdit(body)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Passphrase again"))
        first, second = QLabel(self.tr("&Passphrase:"), body), QLabel(self.tr("&Again:"), body)
        first.setBuddy(self.passphrase)
        second.setBuddy(self.repeat)
        form.addRow(first, self.passphrase)
        form.addRow(second, self.repeat)
        self.problem = QLabel(body)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        form.addRow(self.problem)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingBody(body, self), 1)
        layout.addWidget(self.buttons)

        self.seal.toggled.connect(self._update)
        self.passphrase.textChanged.connect(self._update)
        self.repeat.textChanged.connect(self._update)
        self.seal.setChecked(self.removable)  # suggested, never forced
        self._update()
        (self.passphrase if self.removable else self.laptop or self.seal).setFocus()
        line = self.fontMetrics().height()
        fit_to_screen(self, QSize(line * 30, self.sizeHint().height()))

    def _update(self) -> None:
        sealed = self.seal.isChecked()
        for field in (self.passphrase, self.repeat):
            field.setEnabled(sealed)
        self.problem.clear()
        self.problem.setVisible(False)

    def _check(self) -> None:
        if self.seal.isChecked():
            if not self.passphrase.text():
                untick = self.tr("Type a passphrase, or untick “Seal it with a passphrase”.")
                return self._say(untick, self.passphrase)
            if self.passphrase.text() != self.repeat.text():
                return self._say(self.tr("The two passphrases are not the same; type it again."), self.repeat)
        self.accept()

    def _say(self, problem: str, field: QLineEdit) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(True)
        field.selectAll()
        field.setFocus()

    def choices(self) -> PackageChoices:
        """What was chosen (read once accepted)."""
        to = self.laptop.currentData() if self.laptop is not None else None
        return PackageChoices(self.passphrase.text() if self.seal.isChecked() else None, to)

    @classmethod
    def ask(cls, path: Path, laptops: list[tuple[str, str]] | None, parent: QWidget | None) -> PackageChoices | None:
        """Ask; None when cancelled."""
        dialog = cls(path, laptops, parent)
        try:
            return dialog.choices() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class OpenSealedDialog(QDialog):
    """The passphrase a package was sealed with, typed once (again, after a wrong one)."""

    def __init__(self, path: Path, wrong: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sealed package"))
        if wrong:
            text = self.tr("That is not the passphrase “%1” was sealed with. Nothing was changed. Type it again:")
        else:
            text = self.tr("“%1” is sealed with a passphrase. Type the passphrase the person who sent it "
                           "gave you:")
        self.message = QLabel(text.replace("%1", path.name), self)
        self.message.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.message.setBuddy(self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.passphrase)
        layout.addWidget(buttons)
        self.passphrase.setFocus()
        line = self.fontMetrics().height()
        fit_to_screen(self, QSize(line * 28, self.sizeHint().height() + line))  # not squeezed round its words

    @classmethod
    def ask(cls, path: Path, wrong: bool, parent: QWidget | None) -> str | None:
        """The passphrase typed, or None when cancelled."""
        dialog = cls(path, wrong, parent)
        try:
            return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
