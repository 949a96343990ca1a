"""Walk mode as a facilitator uses it: rate, write, add photos, move on, undo."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from walkthrough.domain.vocabulary import Voice
from walkthrough.gui.models.area_tree_model import AreaIdRole, AreaTreeModel, ObservationCountRole
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.observation_editor import NOTE_SAVE_DELAY_MS
from walkthrough.gui.views.walk_page import WalkPage
from walkthrough.gui.widgets.shared_undo import SharedUndo
from walkthrough.services import observations as observation_service
from walkthrough.services.observations import NewObservation


def stored(open_wt: OpenWalkthrough):
    return observation_service.list_observations(open_wt.db, open_wt.id)


def test_area_tree_model_passes_the_model_tester(open_wt, qtmodeltester) -> None:
    model = AreaTreeModel(open_wt)
    qtmodeltester.check(model)
    open_wt.add_observation(NewObservation("reception", "priority-concern"))
    qtmodeltester.check(model)
    index = model.index_of_area("reception")
    assert index.data(ObservationCountRole) == 1
    assert "!" in index.data() and "Priority concern" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.rowCount() == 2  # physical and procedural routes
    assert [model.index(r, 0, model.index(0, 0)).data(AreaIdRole) for r in range(2)] == ["entrance", "reception"]



def test_each_area_shows_its_count_and_highest_concern_as_observations_change(open_wt) -> None:
    from walkthrough.gui.models.area_tree_model import HighestConcernRole

    model = AreaTreeModel(open_wt)
    entrance, reception = model.index_of_area("entrance"), model.index_of_area("reception")
    assert (entrance.data(ObservationCountRole), entrance.data(HighestConcernRole)) == (0, "")
    open_wt.add_observation(NewObservation("entrance", "working-well"))
    worst = open_wt.add_observation(NewObservation("entrance", "priority-concern"))
    open_wt.add_observation(NewObservation("entrance", "could-be-better"))
    open_wt.add_observation(NewObservation("reception", "could-be-better"))
    assert (entrance.data(ObservationCountRole), entrance.data(HighestConcernRole)) == (3, "priority-concern")
    assert (reception.data(ObservationCountRole), reception.data(HighestConcernRole)) == (1, "could-be-better")
    open_wt.edit_observation(worst, rating_id="working-well")
    assert entrance.data(HighestConcernRole) == "could-be-better"
    open_wt.delete_observation(worst)
    assert (entrance.data(ObservationCountRole), entrance.data(HighestConcernRole)) == (2, "could-be-better")
    open_wt.undo_stack.undo()
    open_wt.undo_stack.undo()
    assert (entrance.data(ObservationCountRole), entrance.data(HighestConcernRole)) == (3, "priority-concern")
    # A fresh model reads every area in one pass and agrees.
    again = AreaTreeModel(open_wt)
    assert again.index_of_area("reception").data(HighestConcernRole) == "could-be-better"
    assert again.index_of_area("entrance").data(ObservationCountRole) == 3


def test_each_area_counts_its_observations_not_rated_yet_apart_from_its_concern(open_wt) -> None:
    from walkthrough.gui.models.area_tree_model import HighestConcernRole, NotRatedCountRole

    model = AreaTreeModel(open_wt)
    entrance = model.index_of_area("entrance")
    first = open_wt.add_observation(NewObservation("entrance", None, note="Staff said 2"))
    open_wt.add_observation(NewObservation("entrance", "could-be-better"))
    assert (entrance.data(ObservationCountRole), entrance.data(HighestConcernRole),
            entrance.data(NotRatedCountRole)) == (2, "could-be-better", 1)
    assert entrance.data().endswith("~  ?1")
    assert "Not rated yet: 1" in entrance.data(Qt.ItemDataRole.ToolTipRole)
    open_wt.edit_observation(first, rating_id="working-well")
    assert entrance.data(NotRatedCountRole) == 0 and "?" not in entrance.data()
    assert AreaTreeModel(open_wt).index_of_area("entrance").data(NotRatedCountRole) == 0


def test_choosing_a_rating_creates_the_observation_and_the_note_saves_itself(page, open_wt, qtbot) -> None:
    card = page.cards()[0]
    editor = card.first_editor()
    assert editor.is_blank and not editor.note.isReadOnly()
    qtbot.mouseClick(editor.ratings.button("could-be-better"), Qt.MouseButton.LeftButton)
    assert not editor.is_blank
    [saved] = stored(open_wt)
    assert (saved.prompt_id, saved.rating_id, saved.principle_ids) == ("entrance-clear", "could-be-better", ("safety",))
    qtbot.keyClicks(editor.note, "Sign hidden behind a bin")
    qtbot.waitUntil(lambda: stored(open_wt)[0].note == "Sign hidden behind a bin", timeout=2000)
    assert open_wt.undo_stack.count() == 2  # add, then one merged note edit


def test_number_keys_rate_the_focused_observation(page, open_wt, qtbot) -> None:
    editor = page.cards()[1].first_editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_3)
    assert stored(open_wt)[0].rating_id == "priority-concern"
    editor.setFocus()  # rating moved focus into the note, where 1 is text
    qtbot.keyClick(editor, Qt.Key.Key_1)
    assert stored(open_wt)[0].rating_id == "working-well"


def test_typing_on_a_rated_observation_goes_into_its_note(page, open_wt, qtbot) -> None:
    editor = page.cards()[1].first_editor()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_3)  # rated; the note is now open for writing
    editor.setFocus()  # focus back on the observation, as after re-rating by key
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    for char in "Queue outside":  # each key to whatever has the focus, as a keyboard does
        qtbot.keyClicks(QApplication.focusWidget(), char)
    assert editor.note.toPlainText() == "Queue outside" and editor.note.hasFocus()
    editor.flush()
    assert stored(open_wt)[0].note == "Queue outside"


def type_into_focus(qtbot, text: str) -> None:
    for char in text:  # each key to whatever has the focus, as a keyboard does
        qtbot.keyClicks(QApplication.focusWidget(), char)


def test_a_note_written_before_any_rating_keeps_every_character_and_stays_not_rated(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.mouseClick(editor.note.viewport(), Qt.MouseButton.LeftButton)
    assert editor.note.hasFocus()
    type_into_focus(qtbot, "Staff said 2")
    # Saved after the pause, as not rated yet; writing goes on in the same note.
    qtbot.waitUntil(lambda: len(stored(open_wt)) == 1, timeout=2000)
    type_into_focus(qtbot, " of them were turned away")
    editor.flush()
    [saved] = stored(open_wt)
    assert (saved.note, saved.rating_id, saved.prompt_id) == (
        "Staff said 2 of them were turned away", None, "entrance-clear")
    assert editor.note.toPlainText() == "Staff said 2 of them were turned away" and editor.note.hasFocus()
    assert editor.observation_id == saved.id
    assert not any(b.isChecked() for b in (editor.ratings.button(r.id) for r in open_wt.lens.ratings))
    assert editor.ratings.not_rated_label.isVisible() and editor.ratings.not_rated_label.text() == "? Not rated yet"
    # Rated later, by a click.
    qtbot.mouseClick(editor.ratings.button("could-be-better"), Qt.MouseButton.LeftButton)
    assert stored(open_wt)[0].rating_id == "could-be-better"
    assert stored(open_wt)[0].note == "Staff said 2 of them were turned away"
    assert not editor.ratings.not_rated_label.isVisible()


def test_keys_1_to_4_rate_only_when_focus_is_not_in_a_text_field(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    editor.note.setFocus()
    type_into_focus(qtbot, "3")  # in the note of an unrated prompt: a digit
    editor.flush()
    assert [(o.rating_id, o.note) for o in stored(open_wt)] == [(None, "3")]
    editor.principles.chip("safety").setFocus()
    type_into_focus(qtbot, "2")  # on a button: a rating key
    assert [(o.rating_id, o.note) for o in stored(open_wt)] == [("could-be-better", "3")]
    editor.voice.setFocus()
    type_into_focus(qtbot, "1")
    editor.note.setFocus()
    type_into_focus(qtbot, "4")
    editor.flush()
    assert [(o.rating_id, o.note) for o in stored(open_wt)] == [("could-be-better", "34")]


def test_a_rating_can_be_cleared_by_key_0_or_by_choosing_it_again_and_undone(page, open_wt, qtbot) -> None:
    editor = page.cards()[1].first_editor()
    editor.rate("priority-concern")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_0)
    assert stored(open_wt)[0].rating_id is None
    assert not editor.ratings.button("priority-concern").isChecked()
    open_wt.undo_stack.undo()
    assert stored(open_wt)[0].rating_id == "priority-concern"
    qtbot.mouseClick(editor.ratings.button("priority-concern"), Qt.MouseButton.LeftButton)
    assert stored(open_wt)[0].rating_id is None
    assert not editor.ratings.button("priority-concern").isChecked()
    qtbot.mouseClick(editor.ratings.button("priority-concern"), Qt.MouseButton.LeftButton)
    assert stored(open_wt)[0].rating_id == "priority-concern"


def test_principles_and_voice_are_saved_when_changed(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    qtbot.mouseClick(editor.principles.chip("choice"), Qt.MouseButton.LeftButton)
    assert stored(open_wt)[0].principle_ids == ("choice", "safety")
    editor.voice.setCurrentIndex(editor.voice.findData("lived-experience"))
    editor.voice.activated.emit(editor.voice.currentIndex())
    assert stored(open_wt)[0].voice is Voice.LIVED_EXPERIENCE


def test_next_and_previous_move_through_areas_in_walking_order(page) -> None:
    assert page.area_id == "entrance"
    page.next_area()
    assert page.area_id == "reception"
    page.next_area()
    page.next_area()  # stays on the last
    assert page.area_id == "letters"
    assert not page.next_button.isEnabled()
    page.previous_area()
    assert page.area_id == "reception"


def test_a_pending_note_is_saved_when_moving_to_another_area(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "typed just now")
    page.next_area()  # well within the save delay
    assert stored(open_wt)[0].note == "typed just now"


def test_deleting_an_observation_can_be_undone_and_redone(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("priority-concern")
    oid = editor.observation_id
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert stored(open_wt) == []
    assert page.cards()[0].first_editor().is_blank
    open_wt.undo_stack.undo()
    assert [o.id for o in stored(open_wt)] == [oid]
    assert page.cards()[0].first_editor().observation_id == oid
    open_wt.undo_stack.redo()
    assert stored(open_wt) == []


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_ctrl_z_in_a_note_walks_the_one_history_and_never_records_an_edit(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("could-be-better")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Sign hidden")
    qtbot.waitUntil(lambda: stored(open_wt)[0].note == "Sign hidden", timeout=2000)
    qtbot.keyClicks(editor.note, " behind a bin")  # still waiting for its delay when Ctrl+Z comes
    stack = open_wt.undo_stack
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, CTRL)
    # The typing was saved first (one step with the rest), and that step undone.
    assert stored(open_wt)[0].note == "" and editor.note.toPlainText() == ""
    assert (stack.index(), stack.count()) == (1, 2) and stack.undoText() == "Add observation"
    qtbot.wait(NOTE_SAVE_DELAY_MS + 150)
    assert (stack.index(), stack.count()) == (1, 2) and stored(open_wt)[0].note == ""  # no new edit
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(open_wt)[0].note == "Sign hidden behind a bin" == editor.note.toPlainText()
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(editor.note, Qt.Key.Key_Y, CTRL)  # Ctrl+Y redoes too
    assert stored(open_wt)[0].note == "Sign hidden behind a bin" and stack.index() == 2
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, CTRL)  # on past the note: the rating that made the observation
    assert stored(open_wt) == [] and stack.index() == 0


def test_the_note_s_context_menu_undo_walks_the_one_history(page, open_wt, qtbot) -> None:
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Warm")
    menu = SharedUndo.of(editor.note).context_menu()
    [undo] = [a for a in menu.actions() if a.objectName() == "edit-undo"]
    assert undo.isEnabled()
    undo.trigger()
    assert stored(open_wt)[0].note == "" and open_wt.undo_stack.index() == 1
    assert not editor.note.isUndoRedoEnabled()  # the note keeps no history of its own
    menu.deleteLater()


def test_rating_a_card_low_on_the_screen_leaves_it_under_the_pointer(page, qtbot) -> None:
    page.resize(1366, 380)  # the second card's rating buttons near the bottom edge
    qtbot.wait(50)
    card = page.cards()[1]
    button = card.first_editor().ratings.button("could-be-better")
    where = button.mapToGlobal(QPoint(5, 5))
    height = card.height()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.height() > height + 60)  # the observation opened up for writing
    qtbot.wait(20)
    assert button.mapToGlobal(QPoint(5, 5)) == where  # the next click lands on the same card
    note = card.first_editor().note
    assert note.hasFocus()
    qtbot.keyClicks(note, "Bins")  # once typed on, the line being typed is in view
    cursor = note.viewport().mapTo(page.scroll.viewport(), note.cursorRect().bottomLeft())
    assert 0 <= cursor.y() <= page.scroll.viewport().height()


def test_the_observation_being_worked_on_stays_put_when_a_card_above_it_changes(page, open_wt, qtbot) -> None:
    page.resize(1366, 380)
    first, second = page.cards()[:2]
    first.first_editor().rate("could-be-better")
    above = first.first_editor().observation_id
    second.first_editor().rate("working-well")
    page.scroll.verticalScrollBar().setValue(second.y())
    note = second.first_editor().note
    note.setFocus()
    qtbot.keyClicks(note, "Queue")
    qtbot.wait(20)
    where = second.mapToGlobal(QPoint(0, 0))
    height = first.height()
    open_wt.delete_observation(above)  # the card above shrinks
    qtbot.waitUntil(lambda: first.height() < height - 60)
    # Kept in place once the layout has settled (a loaded machine takes longer than an idle one).
    qtbot.waitUntil(lambda: second.mapToGlobal(QPoint(0, 0)) == where, timeout=3000)
    open_wt.undo_stack.undo()  # and grows again
    qtbot.waitUntil(lambda: first.height() == height)
    qtbot.waitUntil(lambda: second.mapToGlobal(QPoint(0, 0)) == where, timeout=3000)
    assert note.hasFocus()


def test_free_standing_observations_have_their_own_card(page, open_wt) -> None:
    free = page.cards()[-1]
    assert free.prompt is None
    free.first_editor().rate("could-be-better")
    [saved] = stored(open_wt)
    assert saved.prompt_id is None and saved.area_id == "entrance"


def test_photos_are_added_in_the_background_and_refused_files_named(page, open_wt, qtbot, tmp_path, monkeypatch):
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    good = tmp_path / "entrance door.jpg"
    Image.new("RGB", (1200, 900), "darkgreen").save(good)
    bad = tmp_path / "not a photo.jpg"
    bad.write_text("hello")
    warnings: list[str] = []
    monkeypatch.setattr("walkthrough.gui.views.walk_page.QMessageBox.warning",
                        lambda parent, title, text: warnings.append(text))
    page.add_photo_files(editor.observation_id, [good, bad])
    qtbot.waitUntil(lambda: bool(stored(open_wt)[0].photos), timeout=10000)
    assert [p.original_name for p in stored(open_wt)[0].photos] == ["entrance door.jpg"]
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "not a photo.jpg" in warnings[0]
    assert len(editor.photos.photo_buttons()) == 1
    open_wt.undo_stack.undo()
    assert stored(open_wt)[0].photos == ()
    open_wt.undo_stack.redo()
    assert len(stored(open_wt)[0].photos) == 1


def test_pasting_a_screenshot_adds_it_as_a_photo(page, open_wt, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication, QImage

    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkBlue)
    QGuiApplication.clipboard().setImage(image)
    assert page.paste_photo(editor.observation_id)
    qtbot.waitUntil(lambda: bool(stored(open_wt)[0].photos), timeout=10000)
    assert stored(open_wt)[0].photos[0].original_name == "pasted image"


def test_ctrl_v_on_an_observation_pastes_the_clipboard_picture(page, open_wt, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication, QImage

    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkRed)
    QGuiApplication.clipboard().setImage(image)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(stored(open_wt)[0].photos), timeout=10000)


# -- staying quick on a big area ---------------------------------------------------------------------------


def test_an_edit_refreshes_only_the_editor_of_that_observation(page, open_wt, monkeypatch) -> None:
    first = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    second = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    editors = {e.observation_id: e for card in page.cards() for e in card.editors if e.observation_id}
    refreshed: list[str] = []
    for oid, editor in editors.items():
        monkeypatch.setattr(editor, "refresh", lambda oid=oid, e=editor: refreshed.append(oid))
    open_wt.edit_observation(second, rating_id="priority-concern")
    assert refreshed == [second]
    assert first in editors


def test_a_big_area_shows_its_first_editors_at_once_and_builds_the_rest_soon(db, walkthrough_id, qapp,
                                                                             qtbot) -> None:
    from walkthrough.gui.views import walk_page

    for n in range(walk_page.FIRST_SCREEN_EDITORS + 5):
        observation_service.add_observation(
            db, walkthrough_id, NewObservation("entrance", "working-well", "entrance-clear", note=f"n{n}"))
    page = WalkPage(OpenWalkthrough(db, walkthrough_id))
    qtbot.addWidget(page)
    page.show()
    built = sum(len(c.editors) for c in page._cards)
    assert built == walk_page.FIRST_SCREEN_EDITORS
    qtbot.waitUntil(lambda: not page._pending_prompts, timeout=3000)
    notes = [e.note.toPlainText() for c in page.cards() for e in c.editors if e.observation_id]
    assert notes == [f"n{n}" for n in range(walk_page.FIRST_SCREEN_EDITORS + 5)]


def test_rating_buttons_take_their_colours_from_one_page_style_sheet(page) -> None:
    editor = page.cards()[0].first_editor()
    button = editor.ratings.button("priority-concern")
    assert button.styleSheet() == "" and button.property("rating") == "priority-concern"
    styled = []
    widget = button.parentWidget()
    while widget is not None:
        if widget.styleSheet():
            styled.append(widget)
        widget = widget.parentWidget()
    # One sheet, on the editors' container: not per button, and not on the whole
    # page, where it would make Qt re-polish the area list and the rest as well.
    assert len(styled) == 1 and 'QPushButton[rating="priority-concern"]:checked' in styled[0].styleSheet()
    assert styled[0] is not page and page.isAncestorOf(styled[0]) and not styled[0].isAncestorOf(page.area_view)


# -- repainting only what changed ---------------------------------------------------------------------


def _entrance_pair(page, open_wt) -> tuple[str, str, dict]:
    first = open_wt.add_observation(NewObservation("entrance", "working-well", "entrance-clear"))
    second = open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-welcome"))
    editors = {e.observation_id: e for card in page.cards() for e in card.editors if e.observation_id}
    assert set(editors) == {first, second}
    return first, second, editors


def _count_card_syncs(monkeypatch) -> list:
    from walkthrough.gui.views.prompt_card import PromptCard

    synced: list = []
    real = PromptCard.sync

    def sync(card, *args, **kwargs):
        synced.append(card)
        return real(card, *args, **kwargs)

    monkeypatch.setattr(PromptCard, "sync", sync)
    return synced


def _count_refreshes(editors: dict, monkeypatch) -> list[str]:
    refreshed: list[str] = []
    for oid, editor in editors.items():
        real = editor.refresh
        monkeypatch.setattr(editor, "refresh", lambda oid=oid, real=real: (refreshed.append(oid), real())[-1])
    return refreshed


def test_saving_a_note_repaints_that_editor_alone_not_the_area(page, open_wt, qtbot, monkeypatch) -> None:
    first, second, editors = _entrance_pair(page, open_wt)
    synced = _count_card_syncs(monkeypatch)
    refreshed = _count_refreshes(editors, monkeypatch)

    with qtbot.assertNotEmitted(page.areas.dataChanged):  # the area's count and concern stand
        assert open_wt.edit_observation(second, note="No one at the door")
    assert refreshed == [second]
    assert synced == []  # no card matched its editors to the area's observations again
    assert editors[second].note.toPlainText() == "No one at the door"

    # A rating changes the area's concern: its row in the area list repaints (and still no card resyncs).
    with qtbot.waitSignal(page.areas.dataChanged) as repainted:
        open_wt.edit_observation(first, rating_id="priority-concern")
    assert repainted.args[0].data(AreaIdRole) == "entrance"
    assert refreshed == [second, first] and synced == []


def test_deleting_and_undoing_updates_the_cards_and_the_area_count(page, open_wt, monkeypatch) -> None:
    first, second, editors = _entrance_pair(page, open_wt)
    entrance = page.areas.index_of_area("entrance")
    refreshed = _count_refreshes(editors, monkeypatch)

    open_wt.delete_observation(first)
    assert {e.observation_id for card in page.cards() for e in card.editors} == {second, None}
    assert entrance.data(ObservationCountRole) == 1
    open_wt.undo_stack.undo()
    assert first in {e.observation_id for card in page.cards() for e in card.editors}
    assert entrance.data(ObservationCountRole) == 2
    assert second not in refreshed  # the one that stayed was not read again


def test_adding_a_photo_fills_that_observation_s_strip_only(page, open_wt, monkeypatch) -> None:
    import io

    from walkthrough.services.photo_intake import prepare_photo

    first, second, editors = _entrance_pair(page, open_wt)
    synced = _count_card_syncs(monkeypatch)
    refreshed = _count_refreshes(editors, monkeypatch)
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), "teal").save(picture, "JPEG")

    open_wt.add_photos(second, [prepare_photo(picture.getvalue(), "door.jpg")])
    assert len(editors[second].photos.photo_buttons()) == 1
    assert editors[first].photos.photo_buttons() == []
    assert refreshed == [second] and synced == []
    open_wt.undo_stack.undo()
    assert editors[second].photos.photo_buttons() == []
