"""The report options dialog: what it remembers between reports, and what it never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from walkthrough.gui import settings as S
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


# -- Enter writes the report; an emptied marking keeps the old one ---------------------


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _report_dialog(test_lens, settings, qtbot):
    dialog = ReportOptionsDialog(test_lens, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_in_the_marking_box_presses_write_report(test_lens, settings, qtbot) -> None:
    dialog = _report_dialog(test_lens, settings, qtbot)
    write = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert write.isDefault()
    edit = dialog.marking.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "RESTRICTED")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.options().protective_marking == "RESTRICTED"
    assert dialog.marking.count() == 3  # the typed marking was not added to the list


def test_a_marking_box_emptied_by_mistake_keeps_the_previous_marking(test_lens, settings, qtbot) -> None:
    settings.set(S.REPORT_MARKING, "OFFICIAL")
    dialog = _report_dialog(test_lens, settings, qtbot)
    edit = dialog.marking.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert dialog.marking.currentText() == ""
    assert dialog.options().protective_marking == "OFFICIAL"
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.marking.currentText() == "OFFICIAL"  # shown, not changed unseen
    dialog.remember()
    assert settings.get(S.REPORT_MARKING) == "OFFICIAL"


def test_no_marking_chosen_from_the_list_is_remembered(test_lens, settings, qtbot) -> None:
    settings.set(S.REPORT_MARKING, "OFFICIAL")
    dialog = _report_dialog(test_lens, settings, qtbot)
    dialog.marking.setFocus()
    # Down from OFFICIAL to "(no marking)", as the arrow keys choose from the list.
    qtbot.keyClick(dialog.marking, Qt.Key.Key_Down)
    assert dialog.marking.currentData() == ""
    assert dialog.options().protective_marking == ""
    dialog.remember()
    assert settings.get(S.REPORT_MARKING) == ""


# -- PDF, Word or a web page -----------------------------------------------------------


def test_the_format_is_pdf_at_first_chosen_by_keyboard_and_remembered(test_lens, settings, qtbot) -> None:
    from walkthrough.report.report_options import ReportFormat

    dialog = _report_dialog(test_lens, settings, qtbot)
    assert dialog.pdf.isChecked() and dialog.options().format is ReportFormat.PDF
    # The arrow keys move between the two choices, as in any radio group.
    dialog.activateWindow()
    dialog.pdf.setFocus()
    qtbot.waitUntil(dialog.pdf.hasFocus, timeout=2000)
    qtbot.keyClick(dialog.pdf, Qt.Key.Key_Down)
    assert dialog.docx.isChecked() and dialog.options().format is ReportFormat.DOCX
    qtbot.keyClick(dialog.docx, Qt.Key.Key_Up)
    assert dialog.pdf.isChecked()
    # Each has its own access key, unique in the dialog.
    texts = [w.text() for w in (dialog.pdf, dialog.docx, dialog.html, dialog.photos, dialog.voice, dialog.names,
                                dialog.buttons.button(dialog.buttons.StandardButton.Ok))]
    keys = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(keys)) == len(keys)
    dialog.docx.setChecked(True)
    dialog.remember()
    again = _report_dialog(test_lens, settings, qtbot)
    assert again.docx.isChecked() and again.options().format is ReportFormat.DOCX


def test_a_web_page_is_offered_chosen_by_keyboard_and_remembered(test_lens, settings, qtbot) -> None:
    from walkthrough.report.report_options import ReportFormat

    settings.set(S.REPORT_FORMAT, "docx")
    dialog = _report_dialog(test_lens, settings, qtbot)
    dialog.activateWindow()
    dialog.docx.setFocus()
    qtbot.waitUntil(dialog.docx.hasFocus, timeout=2000)
    qtbot.keyClick(dialog.docx, Qt.Key.Key_Down)
    assert dialog.html.isChecked() and dialog.options().format is ReportFormat.HTML
    assert "HTML" in dialog.html.text() and dialog.html.accessibleDescription()
    dialog.remember()
    assert settings.get(S.REPORT_FORMAT) == "html"
    again = _report_dialog(test_lens, settings, qtbot)
    assert again.html.isChecked() and not again.pdf.isChecked()


def test_a_public_version_turns_off_names_voices_and_photos_and_is_not_remembered(test_lens, settings, qtbot) -> None:
    from walkthrough.report.report_options import LensAppendix

    dialog = _report_dialog(test_lens, settings, qtbot)
    assert not dialog.public.isChecked() and dialog.options().lens_appendix is LensAppendix.NONE
    dialog.names.setChecked(True)
    dialog.public.setChecked(True)
    assert not any(box.isEnabled() or box.isChecked() for box in (dialog.photos, dialog.voice, dialog.names))
    dialog.lens.setCurrentIndex(dialog.lens.findData(LensAppendix.USED.value))
    options = dialog.options()
    assert options.public and options.lens_appendix is LensAppendix.USED
    assert not (options.include_names or options.include_voice or options.include_photos)
    dialog.remember()
    dialog.public.setChecked(False)
    assert dialog.photos.isEnabled() and dialog.photos.isChecked()  # the remembered choice is back
    again = _report_dialog(test_lens, settings, qtbot)
    assert not again.public.isChecked() and again.photos.isChecked() and again.voice.isChecked()


def test_differences_still_to_decide_are_said_before_the_report_is_written(test_lens, tmp_path: Path,
                                                                          qtbot) -> None:
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    quiet = ReportOptionsDialog(test_lens, settings)
    qtbot.addWidget(quiet)
    quiet.show()
    assert not quiet.differences_warning.isVisible()
    warned = ReportOptionsDialog(test_lens, settings, open_differences=2)
    qtbot.addWidget(warned)
    warned.show()
    assert warned.differences_warning.isVisible()
    assert warned.differences_warning.text().startswith("2 difference")  # the English catalogue adds the plural
