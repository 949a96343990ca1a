"""The report options dialog: what it remembers between reports, and what it never does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from walkthrough.gui.settings import Settings
from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog


def test_naming_the_participants_is_off_each_time_the_dialog_opens(test_lens, tmp_path: Path, qtbot) -> None:
    ini = tmp_path / "settings.ini"
    first = ReportOptionsDialog(test_lens, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    assert not first.names.isChecked()
    first.names.setChecked(True)
    first.photos.setChecked(False)
    assert first.options().include_names  # this report names them, as chosen
    first.remember()
    first.deleteLater()

    # Read back from the file, as the next start of the app would.
    again = ReportOptionsDialog(test_lens, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    qtbot.addWidget(again)
    assert not again.names.isChecked()
    assert not again.options().include_names
    assert not again.photos.isChecked()  # the other choices are still remembered
    assert "name" not in ini.read_text(encoding="utf-8").lower()
