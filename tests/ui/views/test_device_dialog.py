"""File → This laptop…: the dialog that names this laptop and who uses it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from walkthrough.gui.views.device_dialog import DeviceDialog, DeviceNames
from walkthrough.services.history import MAX_NAME_CHARS


def test_the_dialog_shows_the_names_now_and_gives_back_what_was_typed_trimmed(qtbot) -> None:
    dialog = DeviceDialog("vm-01", "", None)
    qtbot.addWidget(dialog)
    assert (dialog.name_edit.text(), dialog.person_edit.text()) == ("vm-01", "")
    assert dialog.name_edit.maxLength() == dialog.person_edit.maxLength() == MAX_NAME_CHARS
    dialog.name_edit.setText("  Front desk laptop ")
    dialog.person_edit.setText(" Aisha")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == DeviceDialog.DialogCode.Accepted
    assert dialog.names() == DeviceNames("Front desk laptop", "Aisha")


def test_an_empty_name_is_not_saved_and_the_dialog_says_why(qtbot) -> None:
    dialog = DeviceDialog("vm-01", "Aisha", None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("   ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != DeviceDialog.DialogCode.Accepted
    assert dialog.problem.isVisible() and "name" in dialog.problem.text()
