"""The New walkthrough dialog: its visit date typed as written or visibly refused, and the same form correcting a walkthrough's details."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialogButtonBox, QLineEdit, QWidget

from walkthrough.domain.records import TeamMember, WalkthroughRecord
from walkthrough.domain.vocabulary import Role
from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.lens_catalog import LensCatalog, load_catalog


@pytest.fixture
def form(qapp, qtbot, en_gb_locale) -> NewWalkthroughDialog:
    form = NewWalkthroughDialog(load_catalog())
    qtbot.addWidget(form.dialog)
    form.dialog.show()
    form.service.setText("Harbour Recovery Service")
    form.site.setText("Leith")
    return form


def type_visit_date(form: NewWalkthroughDialog, text: str) -> None:
    target = form.date.focusProxy() or form.date
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Tab)


@pytest.mark.parametrize(("typed", "day"), [("15 Dec 2026", dt.date(2026, 12, 15)),
                                            ("20 December 2026", dt.date(2026, 12, 20)),
                                            ("15/12/2026", dt.date(2026, 12, 15)),
                                            ("2026-12-15", dt.date(2026, 12, 15))])
def test_the_visit_date_is_read_as_typed(form: NewWalkthroughDialog, typed: str, day: dt.date) -> None:
    type_visit_date(form, typed)
    assert form.details().visit_date == day
    assert form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.mark.parametrize("typed", ["31 Feb 2026", "banana"])
def test_a_visit_date_that_is_not_a_date_is_refused(form: NewWalkthroughDialog, typed: str) -> None:
    type_visit_date(form, typed)
    assert not form.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    problem = form.date.message
    assert problem.isVisible() and f"“{typed}” is not a date" in problem.text()


def test_alt_down_opens_the_visit_date_calendar(form: NewWalkthroughDialog, qtbot) -> None:
    form.dialog.activateWindow()
    qtbot.waitUntil(form.dialog.isActiveWindow, timeout=3000)
    form.date.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.isVisible()
    popup.close()


@pytest.fixture
def record(db, test_lens) -> WalkthroughRecord:
    return walkthrough_service.create_walkthrough(
        db, test_lens, service="Orkney Recovery", site="Kirkwall", visit_date=dt.date(2026, 10, 14),
        facilitators=["Morag Flett", "Ian Rendall"],
        participants=[TeamMember("Sandy", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.STAFF)],
    )


@pytest.fixture
def editing(record, qapp, qtbot) -> NewWalkthroughDialog:
    form = NewWalkthroughDialog(LensCatalog((), ()), editing=record)
    qtbot.addWidget(form.dialog)
    form.dialog.show()
    return form


def role_box(form: NewWalkthroughDialog, row: int) -> QComboBox:
    combo = form.participants.cellWidget(row, 1)
    assert isinstance(combo, QComboBox)
    return combo


def type_name(form: NewWalkthroughDialog, row: int, name: str) -> None:
    """Type a participant's name in the table's own editor, as a person does."""
    table = form.participants
    index = table.model().index(row, 0)
    if table.indexWidget(index) is None:
        table.setCurrentIndex(index)
        table.edit(index)
    editor = table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.setText(name)
    table.commitData(editor)


def test_the_details_are_filled_in_and_the_lens_is_shown_but_fixed(editing, record) -> None:
    form = editing
    assert form.dialog.windowTitle() == "Walkthrough details"
    assert form.lens_combo.count() == 1 and not form.lens_combo.isEnabled()
    assert record.lens.title in form.lens_combo.currentText()
    assert "cannot be changed" in form.lens_description.text()
    assert (form.service.text(), form.site.text()) == ("Orkney Recovery", "Kirkwall")
    assert form.date.date().toPython() == dt.date(2026, 10, 14)
    assert form.facilitators.toPlainText().splitlines() == ["Morag Flett", "Ian Rendall"]
    assert form.participants.indexWidget(form.participants.model().index(0, 0)) is None  # no editor opened
    unchanged = form.details()
    assert (unchanged.lens, unchanged.service, unchanged.site, unchanged.visit_date, unchanged.facilitators,
            unchanged.participants) == (record.lens, record.service, record.site, record.visit_date,
                                        record.facilitators, record.participants)


def test_participants_can_be_renamed_given_another_role_removed_and_added(editing) -> None:
    form = editing
    type_name(form, 0, "Sandy Rendall")
    role_box(form, 1).setCurrentIndex(role_box(form, 1).findData(Role.MANAGER.value))
    form.add_participant()  # a late joiner
    type_name(form, 2, "Kim")
    form.participants.setCurrentCell(1, 0)
    form._remove_participant()  # Jo was listed by mistake
    assert form.details().participants == (TeamMember("Sandy Rendall", Role.LIVED_EXPERIENCE),
                                           TeamMember("Kim", Role.STAFF))


def test_each_role_box_is_named_after_its_participant(editing) -> None:
    form = editing
    assert [role_box(form, r).accessibleName() for r in range(2)] == ["Role of Sandy", "Role of Jo"]
    type_name(form, 0, "Sandy Rendall")
    form.add_participant()
    assert role_box(form, 2).accessibleName() == "Role of participant 3"  # no name yet
    type_name(form, 2, "Kim")
    names = [role_box(form, r).accessibleName() for r in range(3)]
    assert names == ["Role of Sandy Rendall", "Role of Jo", "Role of Kim"]


def test_ok_is_off_while_the_service_or_site_is_empty(editing) -> None:
    ok = editing.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    editing.site.clear()
    assert not ok.isEnabled()


def test_the_details_dialog_fits_a_small_screen(editing) -> None:
    screen = QApplication.primaryScreen().availableGeometry()
    assert editing.dialog.width() <= screen.width() and editing.dialog.height() <= screen.height()


def test_a_long_service_or_site_shows_its_beginning_when_corrected(record, qapp, qtbot) -> None:
    form = NewWalkthroughDialog(LensCatalog((), ()), editing=record)
    qtbot.addWidget(form.dialog)
    assert form.service.cursorPosition() == 0 and form.site.cursorPosition() == 0


# -- Every field has a name a screen reader says -------------------------------------------------------------


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says for ``widget`` (its accessible name, or a button's text)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


@pytest.fixture
def new_walkthrough(qapp, qtbot) -> NewWalkthroughDialog:
    form = NewWalkthroughDialog(load_catalog())
    qtbot.addWidget(form.dialog)
    form.dialog.show()
    return form


def test_the_participant_name_being_typed_has_a_name_a_screen_reader_says(new_walkthrough, qtbot) -> None:
    new_walkthrough.add_participant()  # the name is ready to type, as after Alt+A
    table = new_walkthrough.participants
    editor = table.indexWidget(table.model().index(0, 0))
    assert isinstance(editor, QLineEdit)
    assert editor.accessibleName() == "Participant name"
    editor.setText("Sandy")  # and it is still the name that is kept
    table.commitData(editor)
    assert [p.name for p in new_walkthrough.details().participants] == ["Sandy"]


def test_every_field_of_the_new_walkthrough_dialog_has_a_name(new_walkthrough, qtbot) -> None:
    new_walkthrough.add_participant()
    new_walkthrough.add_participant()
    fields = [w for w in new_walkthrough.dialog.findChildren(QWidget)
              if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible()
              # A date's own text line is part of the date field, which is named.
              and not isinstance(w.parentWidget(), QAbstractSpinBox)]
    assert len(fields) > 10
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in fields if not spoken_name(w).strip()]
    assert unnamed == []
