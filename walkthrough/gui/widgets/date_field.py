"""A date typed as written in the person's locale (or ISO), or picked from a calendar; anything else is refused.

Qt's QDateEdit edits a date one section at a time and silently turns
typed text it does not follow into some other date ("15 Dec 2026" became
15 Jan 2026), so every date field of the app is a :class:`DateField`:
the text is read whole by :func:`parse_date` and never changed behind
the person's back.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: ISO 8601, accepted in every locale: 2026-12-15.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: The pieces of a typed date: runs of digits and runs of letters; everything else separates them.
_PIECE = re.compile(r"\d+|[^\W\d_]+")
#: Years outside this range are typing slips, not dates anyone plans for.
_YEARS = range(1900, 3000)
_LONG = QLocale.FormatType.LongFormat
_SHORT = QLocale.FormatType.ShortFormat


def parse_date(text: str, locale: QLocale | None = None) -> dt.date | None:
    """The date ``text`` means when written in ``locale`` (default: ``QLocale()``), or None if it is not one.

    Accepted: ISO (``2026-12-15``); day, month and year as numbers in the
    locale's order (``15/12/2026`` in en_GB, ``12/15/2026`` in en_US; a
    four-digit year written first is always year-month-day); the month as a
    word, long or abbreviated, in the locale's language or in English
    (``15 Dec 2026``, ``15 december 2026``, ``Dec 15, 2026``); and the
    locale's own long and short formats (with a weekday, which must then
    be right).  A two-digit year is in this century (``26`` is 2026).
    Anything else is None: ``31 Feb 2026``, ``banana``, a date with a
    piece left over or missing.  Nothing is guessed.
    """
    locale = locale if locale is not None else QLocale()
    text = " ".join(text.split())
    if not text:
        return None
    iso = _ISO.fullmatch(text)
    if iso:
        return _date(*(int(g) for g in iso.groups()))
    for form in (_LONG, _SHORT):  # the locale's own, e.g. "2026年12月15日星期二"
        pattern = locale.dateFormat(form)
        if "yy" in pattern and "yyyy" not in pattern:
            continue  # Qt reads a two-digit year as 19xx; the pieces below read it as 20xx
        day = locale.toDate(text, pattern)
        if day.isValid() and day.year() in _YEARS:
            return day.toPython()
    return _from_pieces(_PIECE.findall(text), locale)


def _from_pieces(pieces: list[str], locale: QLocale) -> dt.date | None:
    numbers: list[str] = []
    month: int | None = None
    weekday: int | None = None
    for piece in pieces:
        if piece.isdigit():
            numbers.append(piece)
            continue
        word = piece.casefold()
        found_month = _month_named(word, locale)
        if found_month is not None and month is None:
            month = found_month
            continue
        found_weekday = _weekday_named(word, locale)
        if found_weekday is not None and weekday is None:
            weekday = found_weekday
            continue
        return None  # a word that is neither a month nor a weekday
    order = _field_order(locale)
    if month is not None:
        if len(numbers) != 2:
            return None
        # The year is the long number; two short ones follow the locale's order of day and year.
        if len(numbers[0]) >= 3 or (len(numbers[1]) <= 2 and order.index("y") < order.index("d")):
            year, day = numbers
        else:
            day, year = numbers
        values = {"y": year, "M": str(month), "d": day}
    else:
        if len(numbers) != 3:
            return None
        if len(numbers[0]) == 4:
            order = "yMd"
        values = dict(zip(order, numbers, strict=True))
    if len(values["d"]) > 2 or len(values["M"]) > 2 or len(values["y"]) not in (2, 4):
        return None
    year = int(values["y"]) + (2000 if len(values["y"]) == 2 else 0)
    found = _date(year, int(values["M"]), int(values["d"]))
    if found is None or (weekday is not None and found.isoweekday() != weekday):
        return None
    return found


def _date(year: int, month: int, day: int) -> dt.date | None:
    if year not in _YEARS:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31 February, month 13
        return None


def _field_order(locale: QLocale) -> str:
    """"dMy", "Mdy" or "yMd": the order of day, month and year in the locale's short format."""
    pattern = locale.dateFormat(_SHORT)
    positions = {c: pattern.find(c) for c in "dMy"}
    if min(positions.values()) < 0:
        return "dMy"
    return "".join(sorted(positions, key=positions.__getitem__))


def _names(locale: QLocale, count: int, name_of) -> list[list[str]]:  # noqa: ANN001 - a QLocale method
    """Each month's (weekday's) names, long and short, plain and standalone, casefolded, without a final dot."""
    names = []
    for n in range(1, count + 1):
        forms = {name_of(locale, n, form).casefold().rstrip(".") for form in (_LONG, _SHORT)}
        names.append(sorted(f for f in forms if f))
    return names


def _month_named(word: str, locale: QLocale) -> int | None:
    """The month ``word`` names in the locale's language, else in English; a long name may be cut short."""
    for lang in (locale, QLocale.c()):
        months = [a + b for a, b in zip(_names(lang, 12, QLocale.monthName),
                                          _names(lang, 12, QLocale.standaloneMonthName), strict=True)]
        exact = [m for m, names in enumerate(months, 1) if word in names]
        if len(exact) == 1:
            return exact[0]
        # "Sept", "Decem": the start of exactly one month's long name.
        started = [m for m, names in enumerate(months, 1)
                   if len(word) >= 3 and any(n.startswith(word) for n in names)]
        if len(started) == 1:
            return started[0]
    return None


def _weekday_named(word: str, locale: QLocale) -> int | None:
    """The ISO weekday (1 = Monday) ``word`` names, in the locale's language or English."""
    for lang in (locale, QLocale.c()):
        for n, names in enumerate(_names(lang, 7, QLocale.dayName), 1):
            if word in names:
                return n
    return None


class _CalendarPopup(QFrame):
    """The calendar that drops down below a :class:`DateField`; a click or Enter picks, Escape closes."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(self.tr("Calendar"))
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (event.key() == Qt.Key.Key_Up
                                                and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.close()
            return
        super().keyPressEvent(event)

    def _pick(self, day: QDate) -> None:
        self.close()
        self.picked.emit(day)


class DateField(QWidget):
    """A date field: type the date as written in the locale (or ISO), or pick it from the calendar.

    The text is read by :func:`parse_date` as it is typed; when typing ends
    (Enter, or leaving the field) a date is shown back in
    ``display_format`` with the month as a word, so the person sees what was
    understood, and text that is not a date stays as typed with a red frame
    and a line saying so (``show_message``; always in the tooltip and the
    screen reader's description).  Nothing else ever changes the text.

    Keys, as in a combo box: Alt+Down or F4 opens the calendar (Escape or
    Alt+Up closes it); Up and Down move the date by a day, Page Up and
    Page Down by a month.  The drop-down button is for the mouse, so the
    field is a single Tab stop.

    Use :meth:`date` / :meth:`setDate` (an invalid QDate when there is no
    date), :meth:`has_date` and :meth:`show_problem`; ``dateChanged`` says
    when the typed or picked date changes, ``validityChanged`` when the
    text starts or stops being a date.
    """

    dateChanged = Signal(QDate)
    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, display_format: str = "d MMM yyyy",
                 show_message: bool = True) -> None:
        super().__init__(parent)
        self._display_format = display_format
        self._show_message = show_message
        self._date: dt.date | None = None
        self._problem_shown = False
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("dateText")
        self.calendar_button = QToolButton(self)
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down and F4 are the keyboard's way
        self.calendar_button.setToolTip(self.tr("Choose from a calendar (Alt+Down or F4)"))
        self.calendar_button.setAccessibleName(self.tr("Calendar"))
        self.message = QLabel(self)
        self.message.setObjectName("dateProblem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")  # with the words, never colour alone
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.line_edit)
        self._popup: _CalendarPopup | None = None  # made when first opened: most fields are only typed in
        self.calendar_button.clicked.connect(self.open_calendar)
        self.line_edit.textChanged.connect(self._text_changed)
        self.line_edit.editingFinished.connect(self._editing_finished)
        self.line_edit.installEventFilter(self)
        self._set_hint()

    # -- public -------------------------------------------------------------------------------

    def date(self) -> QDate:
        """The date the text holds; an invalid QDate when it holds none."""
        return QDate(self._date.year, self._date.month, self._date.day) if self._date else QDate()

    def setDate(self, day: QDate | dt.date | None) -> None:  # noqa: N802 - QDateEdit's name, so it can stand in
        """Show ``day`` (None or an invalid QDate: an empty field)."""
        if isinstance(day, QDate):
            day = day.toPython() if day.isValid() else None
        self.line_edit.setText(self._format(day) if day else "")

    def has_date(self) -> bool:
        """True when the text is a date."""
        return self._date is not None

    def display_format(self) -> str:
        """How a date is shown, as a QLocale format ("d MMM yyyy")."""
        return self._display_format

    def set_display_format(self, display_format: str) -> None:
        """Show dates as ``display_format`` from now on."""
        self._display_format = display_format
        if self._date is not None:
            self.setDate(self._date)

    def show_problem(self) -> bool:
        """Say (red frame and a line) that the text is not a date, if it is not; True when it is a date."""
        self._problem_shown = self._date is None
        self._update_problem()
        return self._date is not None

    @property
    def popup(self) -> _CalendarPopup:
        """The calendar that drops down (a window of its own, with the field as its parent)."""
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.picked.connect(self._picked)
        return self._popup

    def open_calendar(self) -> None:
        """Drop the calendar down below the field, on the date shown (or today)."""
        calendar = self.popup.calendar
        calendar.setSelectedDate(self.date() if self._date else QDate.currentDate())
        self.popup.adjustSize()
        below = self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height()))
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            size = self.popup.sizeHint()
            if below.y() + size.height() > screen.bottom():
                below.setY(self.line_edit.mapToGlobal(QPoint(0, 0)).y() - size.height())
            below.setX(max(screen.left(), min(below.x(), screen.right() - size.width())))
        self.popup.move(below)
        self.popup.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- Qt ------------------------------------------------------------------------------------

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's name
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)

    def event(self, event: QEvent) -> bool:
        # A form (.ui) sets the name as a property, past setAccessibleName: hand it to the text line too.
        if event.type() == QEvent.Type.Polish and not self.line_edit.accessibleName():
            self.line_edit.setAccessibleName(self.accessibleName())
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
                self.open_calendar()
                return True
            steps = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0),
                     Qt.Key.Key_PageUp: (0, 1), Qt.Key.Key_PageDown: (0, -1)}
            if key in steps and not alt and self._date is not None:
                days, months = steps[key]
                self._picked(self.date().addDays(days).addMonths(months))
                return True
        return super().eventFilter(watched, event)

    # -- internals ---------------------------------------------------------------------------

    def _format(self, day: dt.date) -> str:
        return QLocale().toString(QDate(day.year, day.month, day.day), self._display_format)

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.line_edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.line_edit.selectAll()

    def _text_changed(self, text: str) -> None:
        before = self._date
        self._date = parse_date(text)
        if self._date is not None:
            self._problem_shown = False  # it became a date: stop saying it is not
        self._update_problem()
        if (before is None) != (self._date is None):
            self.validityChanged.emit(self._date is not None)
        if self._date is not None and self._date != before:
            self.dateChanged.emit(self.date())

    def _editing_finished(self) -> None:
        if self._date is None:
            if self.line_edit.text().strip():
                self.show_problem()
            return
        shown = self._format(self._date)
        if self.line_edit.text() != shown:  # show what was understood
            with QSignalBlocker(self.line_edit):
                self.line_edit.setText(shown)

    def _update_problem(self) -> None:
        problem = self._problem_shown and self._date is None
        self.line_edit.setStyleSheet("QLineEdit { border: 2px solid #c62828; }" if problem else "")
        text = self._problem_text() if problem else ""
        self.message.setText(text)
        self.message.setVisible(problem and self._show_message)
        self.line_edit.setAccessibleDescription(text)
        self._set_hint(text)

    def _problem_text(self) -> str:
        typed = self.line_edit.text().strip()
        example, numbers = self._examples()
        if not typed:
            return self.tr("Type a date, for example %1 or %2.").replace("%1", example).replace("%2", numbers)
        return self.tr("“%1” is not a date. Type it like %2 or %3.").replace("%1", typed).replace(
            "%2", example).replace("%3", numbers)

    def _examples(self) -> tuple[str, str]:
        today = QDate.currentDate()
        locale = QLocale()
        short = locale.dateFormat(_SHORT)
        if "yyyy" not in short:
            short = short.replace("yy", "yyyy")
        return locale.toString(today, self._display_format), locale.toString(today, short)

    def _set_hint(self, problem: str = "") -> None:
        example, numbers = self._examples()
        hint = self.tr("Type a date such as %1, %2 or %3, or press Alt+Down for a calendar.").replace(
            "%1", example).replace("%2", numbers).replace("%3", QDate.currentDate().toString(Qt.DateFormat.ISODate))
        self.line_edit.setToolTip(f"{problem}\n{hint}" if problem else hint)
