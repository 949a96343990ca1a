"""One observation's or action's history as a table: newest first, worded, whole values in the tooltips."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from walkthrough.domain.vocabulary import ActionStatus
from walkthrough.gui.models.change_history_model import ChangeHistoryModel, HistoryColumn
from walkthrough.services import history as history_service
from walkthrough.services import photos as photo_service
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo

LONG_NOTE = ("The sign at the door says NO ENTRY WITHOUT APPOINTMENT in red capitals; people who come "
             "without one turn away before anyone can greet them.")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 60, 30)).save(out, "JPEG")
    return out.getvalue()


def what(model: ChangeHistoryModel, role: int = Qt.ItemDataRole.DisplayRole) -> list[str]:
    return [model.index(row, HistoryColumn.WHAT).data(role) for row in range(model.rowCount())]


@pytest.fixture
def model(open_wt, qapp) -> ChangeHistoryModel:
    return ChangeHistoryModel(open_wt.lens)


def test_the_model_passes_the_model_tester(open_wt, model, qtmodeltester) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well", note="Door open"))
    qtmodeltester.check(model)
    model.set_changes(open_wt.history(oid))
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in HistoryColumn] == ["When", "Who", "What"]


def test_an_observation_reads_newest_first_in_words_with_the_lens_labels(open_wt, model) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well"))
    open_wt.edit_observation(oid, note=LONG_NOTE)
    open_wt.edit_observation(oid, rating_id="could-be-better")
    open_wt.edit_observation(oid, principle_ids=("safety", "trust"))
    model.set_changes(open_wt.history(oid))
    rows = what(model)
    assert rows[:3] == ["Principles: Trust added", "Principles: Safety added", "Rating set to “Could be better”"]
    assert rows[-1] == "Created" and rows[3].startswith("Note changed: “The sign at the door")
    note = next(r for r in rows if r.startswith("Note changed"))
    # Shortened on one line in the list, whole in the tooltip.
    assert note.endswith("…”") and len(note) < len(LONG_NOTE)
    tip = what(model, Qt.ItemDataRole.ToolTipRole)[rows.index(note)]
    assert tip == f"Note changed: “{LONG_NOTE}”"
    # Newest first: the clocks never go up down the list.
    clocks = [model.index(r, 0).data(ChangeHistoryModel.ChangeRole).clock.text for r in range(model.rowCount())]
    assert clocks == sorted(clocks, reverse=True)


def test_when_is_local_time_and_who_names_the_person_on_the_device(open_wt, model) -> None:
    history_service.set_device(open_wt.db, name="Reception laptop", person="Morag Flett")
    oid = open_wt.add_observation(NewObservation("entrance", "working-well"))
    model.set_changes(open_wt.history(oid))
    assert model.index(0, HistoryColumn.WHO).data() == "Morag Flett on Reception laptop"
    change = model.index(0, 0).data(ChangeHistoryModel.ChangeRole)
    local = change.time.astimezone()
    assert f"{local.minute:02d}" in model.index(0, HistoryColumn.WHEN).data()
    assert str(local.year) in model.index(0, HistoryColumn.WHEN).data(Qt.ItemDataRole.ToolTipRole)


def test_a_photo_is_worded_by_its_name_and_a_deleted_photo_keeps_only_a_tombstone(open_wt, model) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well"))
    open_wt.add_photos(oid, [prepare_photo(jpeg(), "door.jpg")])
    photo_id = open_wt.observation(oid).photos[0].id
    open_wt.set_caption(oid, photo_id, "The front door, propped open")
    model.set_changes(open_wt.history(oid))
    assert what(model)[:2] == ["Caption changed: “The front door, propped open”", "Photo “door.jpg” added"]
    photo_service.blur_photo_region(open_wt.db, photo_id, (0, 0, 20, 20))
    model.set_changes(open_wt.history(oid))
    assert what(model)[0] == "Picture blurred"
    open_wt.delete_photo(oid, photo_id)
    model.set_changes(open_wt.history(oid))
    rows = what(model)
    assert rows[0] == "Photo deleted"
    # What was deleted is not kept: its earlier changes say so, and no longer name it.
    assert "Photo added (content erased)" in rows and "Caption changed (content erased)" in rows
    assert not any("door.jpg" in r or "propped" in r for r in rows + what(model, Qt.ItemDataRole.ToolTipRole))


def test_a_deleted_observation_reads_deleted_and_erased(open_wt, model) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "working-well", note="Private words"))
    open_wt.edit_observation(oid, note="More private words")
    open_wt.delete_observation(oid)
    model.set_changes(history_service.list_history(open_wt.db, open_wt.id, oid))
    assert what(model) == ["Deleted", "Note changed (content erased)", "Created (content erased)"]


def test_an_action_is_worded_with_its_status_priority_component_and_finding(open_wt, model) -> None:
    oid = open_wt.add_observation(NewObservation("entrance", "priority-concern", note="No step-free way in"))
    aid = open_wt.add_action(NewAction(text="Fit a ramp", owner="Estates"))
    open_wt.edit_action(aid, status=ActionStatus.DONE, priority="high", owner="", observation_ids=(oid,),
                        due_date=None)
    model.set_changes(open_wt.history(aid), {oid: "No step-free way in"})
    rows = what(model)
    assert rows[-1] == "Created"
    for words in ("Status set to Done", "Priority set to High", "Owner removed",
                  "Finding linked: “No step-free way in”"):
        assert words in rows, rows
