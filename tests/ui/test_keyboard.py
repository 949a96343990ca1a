"""A facilitator runs a walkthrough by keyboard alone: every step here is a key press.

The window is the real one on a real database; the only calls that are not
keys are the checks, a photo added through the walkthrough (as pasting would)
and, for dialogs, waiting for them to open (``exec()`` blocks until closed).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from walkthrough.gui import settings as S
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.observation_editor import ObservationEditor
from walkthrough.gui.views.photo_dialog import PhotoDialog
from walkthrough.services import observations as observation_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s.set(S.SAMPLE_OFFERED, True)
    return s


@pytest.fixture
def window(db, settings, qtbot) -> MainWindow:
    w = MainWindow(db, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    return w


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch) -> list[str]:
    """Message boxes are recorded, not shown, so nothing blocks."""
    shown: list[str] = []

    def box(parent, title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Close

    for name in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, box)
    return shown


# -- the keyboard ---------------------------------------------------------------------------------------------


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "keyboard focus was lost: no widget has it"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = NONE, times: int = 1) -> QWidget | None:
    """Press a key where the keyboard focus is; returns where the focus is afterwards.

    (None only when a dialog the key opened has closed again: the test hands
    the window the keyboard back, as the window manager would.)
    """
    for _ in range(times):
        QTest.keyClick(focused(), key, modifier)
    return QApplication.focusWidget()


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def tab_until(found: Callable[[QWidget], bool], limit: int = 250) -> QWidget:
    """Press Tab until the focused widget is the one wanted (fails after ``limit`` presses)."""
    for _ in range(limit):
        if found(focused()):
            return focused()
        press(Key.Key_Tab)
    raise AssertionError(f"Tab never reached the widget; focus ended on {focused()!r}")


def in_dialog(drive: Callable[[QDialog], None], problems: list[object]) -> None:
    """Run ``drive(dialog)`` by keys once the next modal dialog is up and active."""
    tries = [0]

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isActiveWindow() or QApplication.focusWidget() is None:
            tries[0] += 1
            if tries[0] < 300:
                QTimer.singleShot(10, attempt)
            else:
                problems.append("the dialog never opened")
            return
        try:
            drive(dialog)
        except BaseException as exc:  # noqa: BLE001 -- reported by the test after exec() returns
            problems.append(exc)
        if dialog.isVisible():
            problems.append(f"the keys left {dialog.windowTitle()!r} open")
            dialog.reject()

    QTimer.singleShot(0, attempt)


def back_to(window: MainWindow, qtbot) -> None:
    """After a dialog closes, the window manager gives the window the keyboard back."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def editor_holding(widget: QWidget) -> ObservationEditor | None:
    while widget is not None and not isinstance(widget, ObservationEditor):
        widget = widget.parentWidget()
    return widget


def stored(db, walkthrough_id: str):
    return observation_service.list_observations(db, walkthrough_id)


# -- the journey ----------------------------------------------------------------------------------------------


def test_a_whole_walkthrough_by_keyboard_alone(window, db, qtbot) -> None:
    problems: list[object] = []

    # Start: Ctrl+N, fill the form.  Tab leaves the date in one press; Enter is OK.
    def fill_in(dialog: QDialog) -> None:
        assert focused().accessibleName() == "Service"
        type_text("Harbour Street Recovery")
        press(Key.Key_Tab)
        type_text("Kirkwall")
        assert press(Key.Key_Tab).accessibleName() == "Date of the walkthrough"
        assert press(Key.Key_Tab).accessibleName() == "Facilitators, one per line"
        type_text("Morag Flett")
        press(Key.Key_Tab)  # the participants
        press(Key.Key_A, ALT)  # Add participant: the name is ready to type
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                        and QApplication.focusWidget().parentWidget() is not dialog.findChild(QWidget, "formContents"),
                        timeout=2000)
        type_text("Sandy")
        assert press(Key.Key_Tab).accessibleName() == "Role of Sandy"
        press(Key.Key_Down)  # the next role
        press(Key.Key_Return)

    in_dialog(fill_in, problems)
    press(Key.Key_N, CTRL)
    assert problems == []
    back_to(window, qtbot)
    [made] = walkthrough_service.list_walkthroughs(db)
    record = window.current.record
    assert (record.service, record.site, record.facilitators) == ("Harbour Street Recovery", "Kirkwall",
                                                                  ("Morag Flett",))
    assert [p.name for p in record.participants] == ["Sandy"]
    walk = window.walk_page
    lens = window.current.lens
    first_area, second_area, third_area = (a.id for a in lens.areas[:3])

    # Opened: the keyboard is on the first prompt's observation, keys 1-4 rate it.
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), ObservationEditor), timeout=2000)
    editor = focused()
    assert editor is walk.cards()[0].first_editor()
    press(Key.Key_2)
    assert focused() is editor.note
    type_text("No sign from the bus stop")
    press(Key.Key_Tab)  # to the principles: Space toggles one
    chip = focused()
    assert chip is editor.principles.tab_stops()[0]
    press(Key.Key_Space)
    voice = tab_until(lambda w: w is editor.voice)
    press(Key.Key_Down)  # the next voice
    chosen_voice = voice.currentData()

    # Ctrl+PgDown: the next area, focus on its first prompt.
    assert press(Key.Key_PageDown, CTRL) is walk.cards()[0].first_editor()
    assert walk.area_id == second_area
    press(Key.Key_3)
    type_text("The door buzzer asks why you are here")

    # Other observations in this area: Tab to the free-standing card's observation.
    free = walk.cards()[-1]
    tab_until(lambda w: w is free.first_editor())
    press(Key.Key_1)
    type_text("A friendly greeting at the door")
    press(Key.Key_Tab)  # leaving the note saves it at once
    assert [o.note for o in stored(db, made.id) if o.prompt_id is None] == ["A friendly greeting at the door"]

    # Delete it (Tab to Delete, Space), then Ctrl+Z brings it back.
    tab_until(lambda w: w is free.first_editor().delete_button)
    press(Key.Key_Space)
    assert [o for o in stored(db, made.id) if o.prompt_id is None] == []
    # The keyboard stays in the same place: the blank observation that took its place.
    assert focused() is free.first_editor() and free.first_editor().is_blank
    press(Key.Key_Z, CTRL)
    assert [o.note for o in stored(db, made.id) if o.prompt_id is None] == ["A friendly greeting at the door"]
    assert editor_holding(focused()) is free.first_editor()

    # A third area.
    assert press(Key.Key_PageDown, CTRL) is walk.cards()[0].first_editor()
    assert walk.area_id == third_area
    press(Key.Key_4)
    type_text("Could not see it today")
    press(Key.Key_PageUp, CTRL)  # back again saves the note on the way
    assert walk.area_id == second_area

    by_area = {}
    for o in stored(db, made.id):
        by_area.setdefault(o.area_id, []).append(o)
    [one] = by_area[first_area]
    assert (one.rating_id, one.note, one.voice.value) == ("could-be-better", "No sign from the bus stop",
                                                         chosen_voice)
    first_prompt = lens.areas[0].prompts[0]
    assert set(one.principle_ids) == set(first_prompt.principles) ^ {lens.principles[0].id}
    assert sorted((o.rating_id, o.note) for o in by_area[second_area]) == [
        ("priority-concern", "The door buzzer asks why you are here"),
        ("working-well", "A friendly greeting at the door")]
    assert [(o.rating_id, o.note) for o in by_area[third_area]] == [("not-seen", "Could not see it today")]


def test_the_plan_and_the_report_options_by_keyboard(window, db, walkthrough_id, settings, qtbot,
                                                     monkeypatch) -> None:
    observation_service.add_observation(db, walkthrough_id, NewObservation("entrance", "priority-concern",
                                                                           "entrance-clear", note="No sign"))
    window.start_page.set_walkthroughs(walkthrough_service.list_walkthroughs(db))
    press(Key.Key_Return)  # the list has the focus: Enter opens the walkthrough
    assert window.current is not None and window.current.id == walkthrough_id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.walk_page.cards()[0].first_editor(), timeout=2000)
    problems: list[object] = []

    # Improvement plan (Ctrl+3), New action (Ctrl+Shift+N): write it, tick the finding, Enter.
    press(Key.Key_3, CTRL)
    assert window.plan_page is not None
    # (The first visit leaves the keyboard on the tab bar: see the report on main_window.py.)
    tab_until(lambda w: window.plan_page.isAncestorOf(w), limit=5)

    def new_action(dialog: QDialog) -> None:
        type_text("Put a sign at the bus stop")
        tab_until(lambda w: w.accessibleName() == "Linked findings")
        press(Key.Key_Down)  # the first finding becomes current
        press(Key.Key_Space)  # and is ticked
        press(Key.Key_Return)

    in_dialog(new_action, problems)
    press(Key.Key_N, CTRL | SHIFT)
    assert problems == []
    back_to(window, qtbot)
    [action] = window.current.actions()
    assert action.text == "Put a sign at the bus stop"
    assert len(action.observation_ids) == 1

    # Export (Ctrl+E): Tab to "Include photos", Space turns it off, Enter writes; the file chooser is declined.
    monkeypatch.setattr(MainWindow, "_ask_save_path", lambda self, *args: None)
    settings.set(S.REPORT_PHOTOS, True)

    def report_options(dialog: QDialog) -> None:
        tab_until(lambda w: w.accessibleName() == "" and getattr(w, "text", lambda: "")() == "Include &photos")
        press(Key.Key_Space)
        press(Key.Key_Return)

    in_dialog(report_options, problems)
    press(Key.Key_E, CTRL)
    assert problems == []
    assert settings.get(S.REPORT_PHOTOS) is False

    # Escape closes it without writing anything.
    def escape(dialog: QDialog) -> None:
        press(Key.Key_Escape)

    back_to(window, qtbot)
    in_dialog(escape, problems)
    press(Key.Key_E, CTRL)
    assert problems == []


def test_a_photo_opens_by_keyboard_and_enter_keeps_its_caption(window, db, walkthrough_id, qtbot) -> None:
    oid = observation_service.add_observation(db, walkthrough_id,
                                              NewObservation("entrance", "working-well", "entrance-clear")).id
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), "darkgreen").save(picture, "JPEG")
    window.open_walkthrough(walkthrough_id)
    window.current.add_photos(oid, [prepare_photo(picture.getvalue())])  # as a paste would
    editor = window.walk_page.cards()[0].first_editor()
    qtbot.waitUntil(lambda: bool(editor.photos.photo_buttons()), timeout=3000)
    [thumbnail] = editor.photos.photo_buttons()
    editor.setFocus()
    tab_until(lambda w: w is thumbnail)
    problems: list[object] = []
    seen: list[bool] = []

    def caption(dialog: QDialog) -> None:
        assert isinstance(dialog, PhotoDialog)
        assert focused() is dialog.caption
        type_text("Green door")
        press(Key.Key_Return)  # closes, keeping the caption; never starts blurring
        seen.append(dialog.blur_button.isChecked())

    in_dialog(caption, problems)
    press(Key.Key_Space)
    assert problems == [] and seen == [False]
    [photo] = window.current.observation(oid).photos
    assert photo.caption == "Green door"

    # The new caption redrew the thumbnail: the keyboard is on the new one.
    back_to(window, qtbot)
    assert focused() is editor.photos.photo_buttons()[0]
    # Open it again and delete it (Alt+D): the keyboard comes back to Add photos, not nowhere.

    def delete(dialog: QDialog) -> None:
        press(Key.Key_D, ALT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)

    in_dialog(delete, problems)
    press(Key.Key_Space)
    assert problems == []
    assert window.current.observation(oid).photos == ()
    back_to(window, qtbot)
    assert focused() is editor.photos.tab_stops()[0]  # Add photos…


def test_a_region_of_a_photo_is_blurred_by_keyboard(window, db, walkthrough_id, qtbot, monkeypatch) -> None:
    oid = observation_service.add_observation(db, walkthrough_id,
                                              NewObservation("entrance", "working-well", "entrance-clear")).id
    picture = io.BytesIO()
    stripes = Image.new("RGB", (640, 480), "white")
    for x in range(0, 640, 8):  # sharp stripes, so blurring shows
        stripes.paste((0, 0, 0), (x, 0, x + 4, 480))
    stripes.save(picture, "JPEG")
    window.open_walkthrough(walkthrough_id)
    window.current.add_photos(oid, [prepare_photo(picture.getvalue())])
    [photo] = window.current.observation(oid).photos
    before = window.current.photo_jpeg(photo.id)
    dialog = PhotoDialog(window.current, oid, photo.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    press(Key.Key_B, ALT)  # Blur a region…: the picture takes the keys
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.canvas, timeout=2000)
    start = dialog.canvas.selection_in_image()
    press(Key.Key_Right, times=2)
    press(Key.Key_Down, SHIFT)
    moved = dialog.canvas.selection_in_image()
    assert start is not None and moved is not None
    assert moved[0] > start[0] and moved[3] - moved[1] > start[3] - start[1]
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    press(Key.Key_A, ALT)  # Apply blur: it is for good, so it asks first; Cancel changes nothing
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=2000)  # (a mnemonic clicks a moment later)
    assert "cannot be brought back" in asked[0]
    assert window.current.photo_jpeg(photo.id) == before
    undo_steps = window.current.undo_stack.count()
    press(Key.Key_A, ALT)  # and again: Yes blurs, asking once only
    qtbot.waitUntil(lambda: window.current.photo_jpeg(photo.id) != before, timeout=5000)
    assert len(asked) == 2
    assert window.current.undo_stack.count() == undo_steps  # the history is kept (adding the photo)
    # Apply blur is off again; the keyboard is back on Blur a region…, not on Delete photo.
    assert focused() is dialog.blur_button


def test_ctrl_z_and_the_toolbar_walk_one_history_wherever_the_typing_is(window, db, walkthrough_id, qtbot) -> None:
    queue = observation_service.add_observation(db, walkthrough_id, NewObservation(
        "letters", "could-be-better", "letters-plain", note="Queue outside")).id

    def note(oid: str) -> str:
        return next(o.note for o in stored(db, walkthrough_id) if o.id == oid)

    window.open_walkthrough(walkthrough_id)
    back_to(window, qtbot)
    stack = window.current.undo_stack
    editor = window.walk_page.cards()[0].first_editor()
    editor.setFocus()
    press(Key.Key_1)  # rated; the note takes the typing
    type_text("Warm welcome")
    welcome = editor.observation_id
    qtbot.waitUntil(lambda: note(welcome) == "Warm welcome", timeout=2000)
    assert window.undo_command.text() == "&Undo Edit note"
    press(Key.Key_Z, CTRL)  # in the note
    assert note(welcome) == "" and stack.count() == 2 and stack.index() == 1
    assert window.undo_command.text() == "&Undo Add observation"
    assert window.redo_command.text() == "&Redo Edit note"
    window.redo_command.trigger()  # the toolbar's Redo, the note still focused
    assert editor.note.toPlainText() == "Warm welcome" and editor.note.hasFocus()

    # A note being edited in Review's table: Ctrl+Z saves the cell, then undoes that.
    window.tabs.setCurrentIndex(1)
    review = window.review_page
    table = review.table_view
    column = int(review.source_model.Column.NOTE)
    [row] = [r for r in range(table.model().rowCount()) if table.model().index(r, column).data() == "Queue outside"]
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    press(Key.Key_F2)
    qtbot.waitUntil(lambda: focused() is not table, timeout=2000)
    type_text("Long ")
    press(Key.Key_Z, CTRL)
    assert note(queue) == "Queue outside" and focused() is table
    assert (stack.count(), stack.index()) == (3, 2) and stack.redoText() == "Edit note"
    press(Key.Key_Z, CTRL, times=2)  # on through the shared history: the welcome note, then its rating
    assert [o.id for o in stored(db, walkthrough_id)] == [queue] and window.undo_command.text() == "&Undo"
    review.search_edit.setFocus()
    press(Key.Key_Z, CTRL | SHIFT)  # Redo from Review's search field
    assert {o.id for o in stored(db, walkthrough_id)} == {queue, welcome}
    table.setFocus()
    press(Key.Key_Z, CTRL)  # the window's Undo and Redo: Ctrl+Y redoes there too
    assert [o.id for o in stored(db, walkthrough_id)] == [queue]
    press(Key.Key_Y, CTRL)
    assert {o.id for o in stored(db, walkthrough_id)} == {queue, welcome}


# -- what the keyboard and screen readers meet ----------------------------------------------------------------


@pytest.fixture
def walking(window, db, walkthrough_id, qtbot) -> MainWindow:
    observation_service.add_observation(db, walkthrough_id, NewObservation("entrance", "could-be-better",
                                                                           "entrance-clear", note="Sign faded"))
    observation_service.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well",
                                                                           "entrance-clear", note="Map in letter"))
    window.open_walkthrough(walkthrough_id)
    qtbot.waitUntil(window.walk_page.isVisible, timeout=2000)
    return window


def walk_tab_chain(page: QWidget) -> list[QWidget]:
    """Every widget Tab visits on ``page``, in order, from its first stop round to where it leaves."""
    stops: list[QWidget] = []
    page.area_view.setFocus(Qt.FocusReason.TabFocusReason)
    while page.isAncestorOf(focused()) and focused() not in stops and len(stops) < 500:
        stops.append(focused())
        press(Key.Key_Tab)
    return stops


def test_every_tab_stop_of_the_walk_page_has_a_name(walking) -> None:
    page = walking.walk_page
    stops = walk_tab_chain(page)
    assert len(stops) > 20
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in stops if not w.accessibleName().strip()]
    assert unnamed == []
    editors = [w for w in stops if isinstance(w, ObservationEditor)]
    names = [w.accessibleName() for w in editors]
    assert names[:3] == ["Observation 1 of “Is it clear where to go?”", "Observation 2 of “Is it clear where to go?”",
                         "Observation 1 of “Does it feel welcoming?”"]
    assert names[-1] == "Other observation 1 in Entrance"
    assert "Rated: Could be better" in editors[0].accessibleDescription()
    rating = next(w for w in stops if w.property("rating"))
    assert rating.isCheckable() and rating.accessibleName() == "Could be better, key 2"


def test_tab_follows_the_page_from_the_areas_through_the_prompts_to_next_area(walking) -> None:
    page = walking.walk_page
    stops = walk_tab_chain(page)
    assert stops[0] is page.area_view
    assert stops[-1] is page.next_button  # Previous is off in the first area
    cards = page.cards()
    first_card_stops = [s for s in stops if cards[0].isAncestorOf(s)]
    # The card's observations in order, each with its own controls, then "Add another observation".
    assert first_card_stops[-1] is cards[0].add_another
    editors = [s for s in first_card_stops if isinstance(s, ObservationEditor)]
    assert editors == cards[0].editors
    assert first_card_stops.index(cards[0].editors[0].delete_button) < first_card_stops.index(cards[0].editors[1])
    # Shift+Tab from outside the page (the tab bar) comes back in at Next area.
    page.next_button.setFocus(Qt.FocusReason.TabFocusReason)
    outside = press(Key.Key_Tab)
    assert not page.isAncestorOf(outside)
    assert press(Key.Key_Backtab) is page.next_button


def test_ctrl_pgdown_puts_the_focus_on_the_first_prompt_of_the_new_area(walking) -> None:
    page = walking.walk_page
    page.cards()[0].editors[1].note.setFocus()
    assert press(Key.Key_PageDown, CTRL) is page.cards()[0].first_editor()
    assert page.area_id == "reception"
    assert focused().accessibleName() == "Observation 1 of “Can people speak without being overheard?”"
    assert press(Key.Key_PageUp, CTRL) is page.cards()[0].first_editor()
    assert page.area_id == "entrance"
    # From the area list, Enter goes into the area.
    page.area_view.setFocus()
    press(Key.Key_Down)
    assert page.area_id == "reception"
    assert press(Key.Key_Return) is page.cards()[0].first_editor()


def test_at_double_size_the_walk_page_needs_no_sideways_scrolling(walking, qtbot) -> None:
    # 200 % on a 1366 × 768 screen lays the window out in 683 × 384 logical pixels.
    walking.resize(683, 384)
    page = walking.walk_page
    page.cards()
    qtbot.waitUntil(lambda: walking.width() <= 683, timeout=2000)
    QApplication.processEvents()
    assert page.scroll.viewport().width() < 460
    assert not page.scroll.horizontalScrollBar().isVisible()
    assert page.scroll.widget().width() <= page.scroll.viewport().width()
    # The four ratings went onto two lines rather than off the side.
    buttons = [page.cards()[0].first_editor().ratings.button(r.id) for r in walking.current.lens.ratings]
    assert len({b.y() for b in buttons}) > 1
