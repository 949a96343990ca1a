"""The New walkthrough dialog's visit date: typed as written, or visibly refused."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
from walkthrough.services.lens_catalog import load_catalog


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
