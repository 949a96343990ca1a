"""Keyboard and screen-reader polish: the New walkthrough dialog, the action dialog and Add photos."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDialog, QLineEdit, QWidget

from walkthrough.gui.views.action_dialog import ActionDialog
from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
from walkthrough.gui.widgets.photo_strip import PhotoStrip
from walkthrough.services.lens_catalog import load_catalog
from walkthrough.services.observations import NewObservation

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
NONE = Qt.KeyboardModifier.NoModifier


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says for ``widget`` (its accessible name, or a button's text)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


# -- 1. The New walkthrough dialog names every field ---------------------------------------------------------


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


# -- 2. Ctrl+Enter adds the action from anywhere in its dialog -----------------------------------------------


@pytest.fixture
def action_dialog(open_wt, qtbot) -> ActionDialog:
    open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-clear"))
    dialog = ActionDialog(None, open_wt)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    return dialog


def type_action(dialog: ActionDialog, text: str) -> None:
    dialog.text_edit.setFocus()
    QTest.keyClicks(dialog.text_edit, text)


@pytest.mark.parametrize("modifiers", [CTRL, CTRL | KEYPAD], ids=["ctrl+return", "ctrl+keypad-enter"])
def test_ctrl_enter_in_the_action_text_adds_the_action(action_dialog, modifiers) -> None:
    type_action(action_dialog, "Put a sign at the bus stop")
    key = Key.Key_Enter if modifiers & KEYPAD else Key.Key_Return
    QTest.keyClick(action_dialog.text_edit, key, modifiers)
    assert action_dialog.result() == QDialog.DialogCode.Accepted
    assert not action_dialog.isVisible()
    assert action_dialog.result_value().text == "Put a sign at the bus stop"  # no new line added


@pytest.mark.parametrize("field", [
    lambda d: d.owner_edit,
    lambda d: d.priority_combo,
    lambda d: d.no_due_check,
    lambda d: d.findings_list,
    lambda d: d.principle_checks[next(iter(d.principle_checks))],
], ids=["owner", "priority", "no-due-date", "findings", "principle"])
def test_ctrl_enter_adds_the_action_from_every_field(action_dialog, field: Callable[[ActionDialog], QWidget]) -> None:
    type_action(action_dialog, "Put a sign at the bus stop")
    widget = field(action_dialog)
    widget.setFocus()
    assert QApplication.focusWidget() is widget
    QTest.keyClick(widget, Key.Key_Return, CTRL)
    assert action_dialog.result() == QDialog.DialogCode.Accepted


def test_plain_enter_in_the_action_text_still_starts_a_new_line(action_dialog) -> None:
    type_action(action_dialog, "Put a sign")
    QTest.keyClick(action_dialog.text_edit, Key.Key_Return)
    QTest.keyClicks(action_dialog.text_edit, "at the bus stop")
    assert action_dialog.isVisible()
    assert action_dialog.text_edit.toPlainText() == "Put a sign\nat the bus stop"


def test_ctrl_enter_does_nothing_before_there_is_any_text(action_dialog) -> None:
    action_dialog.text_edit.setFocus()
    QTest.keyClick(action_dialog.text_edit, Key.Key_Return, CTRL)
    assert action_dialog.isVisible()
    assert action_dialog.result() == QDialog.DialogCode.Rejected  # (the value before any answer)


def test_the_action_text_says_how_to_add_the_action_by_keyboard(action_dialog) -> None:
    tip = action_dialog.text_edit.toolTip()
    assert "Ctrl+Enter" in tip and "new line" in tip
    # A screen reader hears it too (Qt gives the tooltip as the description).
    described = QAccessible.queryAccessibleInterface(action_dialog.text_edit).text(QAccessible.Text.Description)
    assert "Ctrl+Enter" in described


# -- 3. Add photos' menu opens by keyboard -------------------------------------------------------------------


@pytest.fixture
def strip(qapp, qtbot) -> PhotoStrip:
    widget = PhotoStrip(lambda photo_id: b"")
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)
    return widget


def add_photos(strip: PhotoStrip) -> QWidget:
    add = strip.tab_stops()[-2]
    assert add.accessibleName() == "Add photos"
    add.setFocus()
    return add


def popup_after(key: Qt.Key, modifiers: Qt.KeyboardModifier, widget: QWidget, qtbot) -> QWidget | None:
    """Press the key on ``widget``; the popup it opened (closed again at once), or None."""
    seen: list[QWidget | None] = []

    def look() -> None:
        popup = QApplication.activePopupWidget()
        seen.append(popup)
        if popup is not None:
            popup.close()  # a menu blocks the key press until it closes, as after a click

    QTimer.singleShot(0, look)
    QTest.keyClick(widget, key, modifiers)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    return seen[0]


@pytest.mark.parametrize(("key", "modifiers"), [(Key.Key_Down, ALT), (Key.Key_F4, NONE)], ids=["alt+down", "f4"])
def test_the_add_photos_menu_opens_by_keyboard_as_a_combo_box_list_does(strip, qtbot, key, modifiers) -> None:
    add = add_photos(strip)
    assert popup_after(key, modifiers, add, qtbot) is add.menu()
    assert QApplication.activePopupWidget() is None


def test_other_keys_leave_the_add_photos_menu_closed(strip, qtbot) -> None:
    add = add_photos(strip)
    assert popup_after(Key.Key_Down, NONE, add, qtbot) is None
    assert popup_after(Key.Key_F4, ALT, add, qtbot) is None  # Alt+F4 is the window manager's


def test_add_photos_still_adds_from_files_by_click_and_space(strip, qtbot) -> None:
    add = add_photos(strip)
    with qtbot.waitSignal(strip.add_requested, timeout=1000):
        add.click()
    with qtbot.waitSignal(strip.add_requested, timeout=1000):
        QTest.keyClick(add, Key.Key_Space)
    assert QApplication.activePopupWidget() is None


def test_add_photos_tells_a_screen_reader_how_to_open_its_menu(strip) -> None:
    described = add_photos(strip).accessibleDescription()
    assert "Alt+Down" in described and "F4" in described
