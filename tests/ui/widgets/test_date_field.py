"""The date field: what typed text is understood as, what is refused, and the calendar by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCalendarWidget

from walkthrough.gui.widgets.date_field import DateField, parse_date

GB, US, DE = QLocale("en_GB"), QLocale("en_US"), QLocale("de_DE")
DEC_15 = dt.date(2026, 12, 15)


@pytest.mark.parametrize(("locale", "text", "day"), [
    (GB, "15 Dec 2026", DEC_15),
    (GB, "20 Dec 2026", dt.date(2026, 12, 20)),
    (GB, "15/12/2026", DEC_15),
    (GB, "5/12/26", dt.date(2026, 12, 5)),
    (GB, "2026-12-15", DEC_15),
    (GB, "15 december 2026", DEC_15),
    (GB, "15 Sept 2026", dt.date(2026, 9, 15)),
    (GB, "15 Sep 2026", dt.date(2026, 9, 15)),
    (GB, "Tuesday, 15 December 2026", DEC_15),
    (GB, "2026/12/15", DEC_15),
    (US, "12/15/2026", DEC_15),
    (US, "12/15/26", DEC_15),
    (US, "Dec 15, 2026", DEC_15),
    (US, "2026-12-15", DEC_15),
    (DE, "15.12.2026", DEC_15),
    (DE, "15. Dez. 2026", DEC_15),
], ids=lambda v: v.name() if isinstance(v, QLocale) else str(v))
def test_a_typed_date_is_read_as_written_in_the_locale_or_iso(locale: QLocale, text: str, day: dt.date) -> None:
    assert parse_date(text, locale) == day


@pytest.mark.parametrize(("locale", "text"), [
    (GB, "31 Feb 2026"), (GB, "banana"), (GB, ""), (GB, "15 Dec"), (GB, "12/15/2026"), (US, "15/12/2026"),
    (GB, "Monday 15 Dec 2026"), (GB, "15 Dec 2026 banana"), (GB, "15/13/2026"), (GB, "1/1/1"),
    (GB, "Ma 3 2026"),  # March or May: not guessed
], ids=lambda v: v.name() if isinstance(v, QLocale) else repr(v))
def test_text_that_is_not_a_date_is_not_read_as_one(locale: QLocale, text: str) -> None:
    assert parse_date(text, locale) is None


@pytest.fixture
def field(qapp, qtbot, en_gb_locale) -> DateField:
    widget = DateField()
    widget.setAccessibleName("Due date")
    qtbot.addWidget(widget)
    widget.setDate(QDate(2026, 1, 6))
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)
    widget.setFocus()
    return widget


def retype(widget, text: str) -> None:
    """Select what the field holds and type ``text`` over it, as a person does (Ctrl+A, then the keys)."""
    target = widget.focusProxy() or widget
    QTest.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(target, text)


def test_typing_a_date_shows_back_what_was_understood(field: DateField) -> None:
    retype(field, "15/12/2026")
    QTest.keyClick(field.line_edit, Qt.Key.Key_Return)
    assert field.date() == QDate(2026, 12, 15)
    assert field.line_edit.text() == "15 Dec 2026"


def test_text_that_is_not_a_date_is_kept_as_typed_and_marked(field: DateField, qtbot) -> None:
    validity = []
    field.validityChanged.connect(validity.append)
    retype(field, "31 Feb 2026")
    QTest.keyClick(field.line_edit, Qt.Key.Key_Return)
    assert not field.has_date() and not field.date().isValid()
    assert field.line_edit.text() == "31 Feb 2026"  # never changed into some other date
    assert field.message.isVisible() and "“31 Feb 2026” is not a date" in field.message.text()
    assert "is not a date" in field.line_edit.accessibleDescription()
    assert validity == [False]
    retype(field, "1 Mar 2026")
    assert not field.message.isVisible() and field.date() == QDate(2026, 3, 1)


@pytest.mark.parametrize(("key", "modifiers"), [(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
                                                (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier)],
                         ids=["alt-down", "f4"])
def test_alt_down_and_f4_open_the_calendar_on_the_date_shown(field: DateField, qtbot, key, modifiers) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.isVisible()
    calendar = popup.findChild(QCalendarWidget) or popup
    assert isinstance(calendar, QCalendarWidget) and calendar.selectedDate() == QDate(2026, 1, 6)

    calendar.setSelectedDate(QDate(2026, 1, 20))
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter picks the day
    assert not popup.isVisible()
    assert field.date() == QDate(2026, 1, 20) and field.line_edit.hasFocus()


def test_escape_closes_the_calendar_and_keeps_the_date(field: DateField) -> None:
    QTest.keyClick(field.line_edit, Qt.Key.Key_F4)
    assert field.popup.isVisible()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not field.popup.isVisible() and field.date() == QDate(2026, 1, 6)


def test_up_and_down_move_the_date_a_day(field: DateField) -> None:
    QTest.keyClick(field.line_edit, Qt.Key.Key_Up)
    assert field.date() == QDate(2026, 1, 7)
    QTest.keyClick(field.line_edit, Qt.Key.Key_PageDown)
    assert field.date() == QDate(2025, 12, 7)


def test_tab_leaves_the_date_field_in_one_press(qapp, qtbot, en_gb_locale) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    date, after = DateField(window), QLineEdit(window)
    layout.addWidget(date)
    layout.addWidget(after)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    date.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert after.hasFocus()
