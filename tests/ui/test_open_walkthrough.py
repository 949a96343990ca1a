"""The open walkthrough's memory of its observations stays true to the store through every change."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import QCoreApplication

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.services import observations as observation_service
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import PreparedPhoto, prepare_photo


def ids(records) -> list[str]:
    return [r.id for r in records]


def assert_matches_the_store(open_wt: OpenWalkthrough) -> None:
    stored = observation_service.list_observations(open_wt.db, open_wt.id)
    assert ids(open_wt.observations()) == ids(stored)
    for area in open_wt.lens.areas:
        assert ids(open_wt.observations(area.id)) == [r.id for r in stored if r.area_id == area.id], area.id


def test_lists_by_area_follow_adds_edits_deletes_undo_and_redo(open_wt: OpenWalkthrough) -> None:
    assert open_wt.observations("entrance") == [] and open_wt.observations() == []
    # Asked before anything exists: an empty area must not stay empty once one is added.
    welcome = open_wt.add_observation(
        NewObservation("entrance", prompt_id="entrance-welcome", rating_id="working-well", note="Warm"))
    clear = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="could-be-better"))
    letters = open_wt.add_observation(
        NewObservation("letters", prompt_id="letters-plain", rating_id="priority-concern"))
    assert ids(open_wt.observations("entrance")) == [clear, welcome]  # the lens's prompt order
    assert_matches_the_store(open_wt)

    open_wt.edit_observation(clear, note="Signs face the car park")
    assert open_wt.observations("entrance")[0].note == "Signs face the car park"
    open_wt.delete_observation(welcome)
    assert ids(open_wt.observations("entrance")) == [clear]
    assert_matches_the_store(open_wt)

    open_wt.undo_stack.undo()  # the delete
    assert ids(open_wt.observations("entrance")) == [clear, welcome]
    open_wt.undo_stack.redo()
    assert ids(open_wt.observations("entrance")) == [clear]
    assert ids(open_wt.observations("letters")) == [letters]
    assert_matches_the_store(open_wt)


def test_a_returned_list_is_the_caller_s_own(open_wt: OpenWalkthrough) -> None:
    open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="could-be-better"))
    mine = open_wt.observations("entrance")
    mine.clear()
    assert len(open_wt.observations("entrance")) == 1


def _striped_photo(width: int) -> PreparedPhoto:
    picture = io.BytesIO()
    stripes = Image.new("RGB", (320, 240), "white")
    for x in range(0, 320, 2 * width):  # sharp stripes, so blurring changes the bytes
        stripes.paste((0, 0, 0), (x, 0, x + width, 240))
    stripes.save(picture, "JPEG")
    return prepare_photo(picture.getvalue(), "stripes.jpg")


def test_blurring_keeps_the_other_undo_steps_and_no_step_keeps_the_original_pixels(open_wt: OpenWalkthrough) -> None:
    welcome = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-welcome", rating_id="working-well"))
    letters = open_wt.add_observation(NewObservation("letters", prompt_id="letters-plain", rating_id="could-be-better",
                                                     photos=(_striped_photo(4),)))
    open_wt.add_photos(letters, [_striped_photo(6)])
    open_wt.edit_observation(welcome, note="Warm")
    first, second = open_wt.observation(letters).photos
    originals = {open_wt.photo_jpeg(first.id), open_wt.photo_thumbnail(first.id)}
    stack = open_wt.undo_stack
    assert stack.count() == 4

    assert open_wt.blur_photo(letters, first.id, (0, 0, 160, 120))
    blurred = open_wt.photo_jpeg(first.id)
    assert blurred not in originals

    # Nothing the history holds is the unblurred picture (nor what was added with the observation).
    assert stack.count() == 4 and stack.index() == 4
    held = open_wt.undo_history.held_pictures()
    stack.undo()
    stack.undo()  # the second photo: its step holds the observation before and after
    held += open_wt.undo_history.held_pictures()
    assert held and not originals & set(held)
    stack.redo()
    stack.redo()

    # Every other step is still there: the note on another observation, then the photos.
    stack.undo()
    assert open_wt.observation(welcome).note == ""
    stack.undo()  # the second photo
    assert [p.id for p in open_wt.observation(letters).photos] == [first.id]
    stack.undo()  # the observation with its first photo
    assert open_wt.observation(letters) is None
    stack.redo()
    stack.redo()
    assert [p.id for p in open_wt.observation(letters).photos] == [first.id, second.id]
    assert open_wt.photo_jpeg(first.id) == blurred  # back, and still blurred
    open_wt.delete_observation(letters)
    stack.undo()
    assert open_wt.photo_jpeg(first.id) == blurred
    assert_matches_the_store(open_wt)


def test_deleting_an_observation_says_what_went_and_that_ctrl_z_brings_it_back(open_wt: OpenWalkthrough,
                                                                                qtbot) -> None:
    queue = open_wt.add_observation(NewObservation("reception", prompt_id="reception-privacy",
                                                   rating_id="could-be-better",
                                                   photos=(_striped_photo(4), _striped_photo(6))))
    bare = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    with qtbot.waitSignal(open_wt.told) as told:
        open_wt.delete_observation(queue)
    assert told.args == ["Deleted the observation in “Reception” with 2 photos — Ctrl+Z brings it back."]
    with qtbot.waitSignal(open_wt.told) as told:
        open_wt.delete_observation(bare)
    assert told.args == ["Deleted the observation in “Entrance” — Ctrl+Z brings it back."]
    open_wt.undo_stack.undo()
    open_wt.undo_stack.undo()
    assert len(open_wt.observation(queue).photos) == 2


def test_correcting_the_details_is_one_step_that_undo_reverses(open_wt: OpenWalkthrough, qtbot) -> None:
    import datetime as dt

    from walkthrough.domain.records import TeamMember
    from walkthrough.domain.vocabulary import Role
    from walkthrough.services import walkthroughs as walkthrough_service

    made = open_wt.record
    with qtbot.waitSignal(open_wt.changed) as said:
        assert open_wt.edit_details(site="Stromness", visit_date=dt.date(2026, 1, 2), facilitators=["Morag"],
                                    participants=[TeamMember("Kim", Role.MANAGER)])
    stored = walkthrough_service.get_walkthrough(open_wt.db, open_wt.id)
    assert open_wt.record == stored
    assert (stored.service, stored.site, stored.facilitators) == ("Test Service", "Stromness", ("Morag",))
    assert open_wt.undo_stack.count() == 1 and open_wt.undo_stack.undoText() == "Edit walkthrough details"

    assert said.args[0].fields(Entity.WALKTHROUGH, open_wt.id) == {"site", "visit_date", "facilitators",
                                                                  "participants"}

    with qtbot.waitSignal(open_wt.changed) as said:
        open_wt.undo_stack.undo()
    assert said.args[0].touches(Entity.WALKTHROUGH)
    back = walkthrough_service.get_walkthrough(open_wt.db, open_wt.id)
    assert open_wt.record == back
    assert (back.service, back.site, back.visit_date, back.facilitators, back.participants) == (
        made.service, made.site, made.visit_date, made.facilitators, made.participants)
    open_wt.undo_stack.redo()
    assert open_wt.record.site == "Stromness"
    assert open_wt.edit_details(site="Stromness") and open_wt.undo_stack.count() == 1  # nothing to change


def test_a_refused_correction_says_why_and_leaves_no_undo_step(open_wt: OpenWalkthrough, qtbot) -> None:
    made = open_wt.record
    with qtbot.waitSignal(open_wt.error) as said:
        assert not open_wt.edit_details(service="  ", site="Stromness")
    assert said.args[0] == QCoreApplication.translate("Errors", "The service's name is empty; type it in.")
    assert open_wt.record == made
    assert not open_wt.undo_stack.canUndo()


def test_only_the_declared_editable_fields_can_be_edited_and_a_refusal_leaves_no_undo_step(
    open_wt: OpenWalkthrough, qtbot
) -> None:
    from walkthrough.services.actions import NewAction

    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    steps = open_wt.undo_stack.count()
    with qtbot.waitSignal(open_wt.error) as said:
        assert not open_wt.edit_observation(made, area_id="letters", note="Moved")
    assert "area cannot be changed" in said.args[0] and "rating, principles, note, voice" in said.args[0]
    assert open_wt.observation(made).area_id == "entrance" and open_wt.observation(made).note == ""
    with qtbot.waitSignal(open_wt.error) as said:
        assert not open_wt.edit_observation(made, colour="red")
    assert "no field 'colour'" in said.args[0]
    assert open_wt.undo_stack.count() == steps
    assert_matches_the_store(open_wt)

    assert open_wt.edit_observation(made, note="Signs face the car park")  # a declared editable field
    assert open_wt.observation(made).note == "Signs face the car park"

    action = open_wt.add_action(NewAction("Move the sign"))
    steps = open_wt.undo_stack.count()
    with qtbot.waitSignal(open_wt.error) as said:
        assert not open_wt.edit_action(action, position=3)
    assert "place in the plan cannot be changed" in said.args[0]
    assert open_wt.undo_stack.count() == steps


def test_the_stack_wraps_the_core_s_steps_typing_merged_and_undone_as_one(open_wt: OpenWalkthrough) -> None:
    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    for note in ("S", "Si", "Signs"):  # saved as typed: well within the merge time
        assert open_wt.edit_observation(made, note=note)
    stack, core = open_wt.undo_stack, open_wt.undo_history
    assert stack.count() == len(core.steps) == 2
    assert stack.undoText() == "Edit note" and core.undo_text == "edit_note"
    stack.undo()
    assert open_wt.observation(made).note == "" and core.done == 1 and core.redo_text == "edit_note"
    stack.redo()
    assert open_wt.observation(made).note == "Signs" and core.done == 2


def test_a_step_that_fails_is_dropped_from_the_stack_and_the_core(open_wt: OpenWalkthrough, qtbot) -> None:
    kept = open_wt.add_observation(NewObservation("letters", prompt_id="letters-plain", rating_id="working-well"))
    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    open_wt.edit_observation(made, rating_id="could-be-better")
    observation_service.delete_observation(open_wt.db, made)  # elsewhere: the command line, say
    stack = open_wt.undo_stack
    with qtbot.waitSignal(open_wt.error):
        stack.undo()  # the rating of an observation that is gone
    assert stack.count() == len(open_wt.undo_history.steps) == 2 and stack.index() == open_wt.undo_history.done == 2
    stack.undo()  # the adding, gone already: dropped too
    stack.undo()
    assert open_wt.observation(kept) is None and stack.index() == open_wt.undo_history.done == 0


def test_a_macro_of_several_steps_undoes_and_redoes_them_together(open_wt: OpenWalkthrough) -> None:
    from walkthrough.services.actions import NewAction

    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    first = open_wt.add_action(NewAction("Move the sign", observation_ids=(made,)))
    second = open_wt.add_action(NewAction("Light the door"))
    stack = open_wt.undo_stack
    stack.beginMacro("Delete 2 actions")
    open_wt.delete_action(first)
    open_wt.delete_action(second)
    stack.endMacro()
    assert open_wt.actions() == [] and stack.count() == 4 and len(open_wt.undo_history.steps) == 5
    stack.undo()
    assert [a.id for a in open_wt.actions()] == [first, second]
    assert open_wt.action(first).observation_ids == (made,)
    stack.redo()
    assert open_wt.actions() == []


# -- saying exactly what changed ----------------------------------------------------------------------


class Heard:
    """What ``changed`` said, in order (a bound method to connect, never a lambda holding the window)."""

    def __init__(self, open_wt: OpenWalkthrough) -> None:
        self.changes: list[OpChanges] = []
        open_wt.changed.connect(self.hear)

    def hear(self, changes: OpChanges) -> None:
        self.changes.append(changes)


def test_saving_a_note_says_only_that_observation_s_note_changed_and_reads_only_it_again(
    open_wt: OpenWalkthrough, monkeypatch
) -> None:
    clear = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    welcome = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-welcome",
                                                     rating_id="could-be-better"))
    other = open_wt.observation(welcome)
    open_wt.observations("entrance")  # the walking-order lists are built
    read: list[str] = []
    real = observation_service.get_observation
    monkeypatch.setattr(observation_service, "get_observation",
                        lambda db, observation_id: read.append(observation_id) or real(db, observation_id))
    heard = Heard(open_wt)

    assert open_wt.edit_observation(clear, note="Signs face the car park")

    assert len(heard.changes) == 1
    said = heard.changes[0]
    assert said.updated == {(Entity.OBSERVATION, clear): frozenset({"note"})}
    assert not said.created and not said.deleted
    assert set(read) == {clear}  # the other observation was not read again (the core reads the edited one before, to undo)
    assert open_wt.observation(welcome) is other
    assert [o.note for o in open_wt.observations("entrance")] == ["Signs face the car park", ""]
    assert_matches_the_store(open_wt)
    # One path: no area-wide signal is left to repaint everything.
    for old in ("observations_changed", "observation_changed", "actions_changed", "details_changed", "saved"):
        assert not hasattr(open_wt, old), old


def test_a_change_that_is_refused_or_changes_nothing_says_nothing(open_wt: OpenWalkthrough, qtbot) -> None:
    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    heard = Heard(open_wt)
    assert open_wt.edit_observation(made, note="")  # as it is
    with qtbot.waitSignal(open_wt.error):
        assert not open_wt.edit_observation(made, rating_id="no-such-rating")
    assert heard.changes == []


def test_deleting_an_observation_drops_it_and_its_plan_link_and_undo_brings_both_back(
    open_wt: OpenWalkthrough,
) -> None:
    from walkthrough.services.actions import NewAction

    gone = open_wt.add_observation(NewObservation("reception", prompt_id="reception-privacy",
                                                  rating_id="priority-concern", photos=(_striped_photo(4),)))
    stays = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    action = open_wt.add_action(NewAction("Move the counter", observation_ids=(gone, stays)))
    untouched = open_wt.add_action(NewAction("Repaint the door"))
    kept = open_wt.action(untouched)
    heard = Heard(open_wt)

    open_wt.delete_observation(gone)
    said = heard.changes[-1]
    assert said.was_deleted(Entity.OBSERVATION, gone)
    assert said.fields(Entity.ACTION, action) == {"observation_ids"}
    assert open_wt.observation(gone) is None and open_wt.area_of(gone) == "reception"
    assert open_wt.areas_changed(said) == {"reception"}
    assert open_wt.action(action).observation_ids == (stays,)
    assert open_wt.action(untouched) is kept  # not read again

    open_wt.undo_stack.undo()
    said = heard.changes[-1]
    assert said.was_created(Entity.OBSERVATION, gone)
    assert len(open_wt.observation(gone).photos) == 1
    assert set(open_wt.action(action).observation_ids) == {gone, stays}
    assert [a.id for a in open_wt.actions()] == [action, untouched]
    assert_matches_the_store(open_wt)


def test_photo_and_action_changes_name_what_they_touched(open_wt: OpenWalkthrough) -> None:
    from walkthrough.domain.vocabulary import ActionStatus
    from walkthrough.services.actions import NewAction

    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    first = open_wt.add_action(NewAction("Move the sign"))
    second = open_wt.add_action(NewAction("Light the path"))
    heard = Heard(open_wt)

    open_wt.add_photos(made, [_striped_photo(4)])
    said = heard.changes[-1]
    (photo,) = open_wt.observation(made).photos
    assert said.was_created(Entity.PHOTO, photo.id) and said.fields(Entity.OBSERVATION, made) == {"photos"}

    open_wt.edit_action(second, status=ActionStatus.DONE)
    said = heard.changes[-1]
    assert said.updated == {(Entity.ACTION, second): frozenset({"status"})}
    assert [a.status for a in open_wt.actions()] == [ActionStatus.NOT_STARTED, ActionStatus.DONE]
    open_wt.delete_action(first)
    assert [a.id for a in open_wt.actions()] == [second]
    open_wt.undo_stack.undo()
    assert [a.id for a in open_wt.actions()] == [first, second]  # back in its place


def test_reading_again_after_changes_came_in_names_them_and_empties_the_undo_history(open_wt: OpenWalkthrough) -> None:
    made = open_wt.add_observation(NewObservation("entrance", prompt_id="entrance-clear", rating_id="working-well"))
    assert open_wt.undo_stack.count() == 1
    observation_service.update_observation(open_wt.db, made, note="from another laptop")  # as a package does
    heard = Heard(open_wt)
    open_wt.reload()
    [said] = heard.changes
    assert said.fields(Entity.OBSERVATION, made) == {"note"}
    assert open_wt.observation(made).note == "from another laptop"
    assert open_wt.undo_stack.count() == 0 and not open_wt.undo_history.can_undo
    open_wt.reload()
    assert len(heard.changes) == 1  # nothing new: nothing said
