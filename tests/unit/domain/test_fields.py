"""The one declaration of an observation's and an action's fields (walkthrough/domain/fields.py)."""

from __future__ import annotations

from pathlib import Path

import dataclasses
import inspect

import pytest

from walkthrough.domain.errors import InvalidInput
from walkthrough.domain.fields import (
    ACTION_FIELDS,
    OBSERVATION_FIELDS,
    PHOTO_FIELDS,
    check_editable,
    csv_columns,
    editable_names,
)
from walkthrough.domain.records import ActionRecord, ObservationRecord, PhotoRecord
from walkthrough.services.actions import update_action
from walkthrough.services.observations import update_observation


@pytest.mark.parametrize(("declared", "record", "update"), [
    (OBSERVATION_FIELDS, ObservationRecord, update_observation),
    (ACTION_FIELDS, ActionRecord, update_action),
])
def test_the_declaration_names_every_field_of_the_record_and_what_the_service_changes(declared, record,
                                                                                       update) -> None:
    assert sorted(f.name for f in declared) == sorted(f.name for f in dataclasses.fields(record))
    keywords = {p.name for p in inspect.signature(update).parameters.values() if p.kind is p.KEYWORD_ONLY}
    assert editable_names(declared) == keywords


def test_the_csv_columns_come_in_the_declared_order() -> None:
    assert csv_columns(OBSERVATION_FIELDS) == (
        "area", "area_name", "prompt", "prompt_text", "rating", "principles", "note", "voice",
        "observation_id", "walkthrough_id", "photos", "created_at", "updated_at",
    )
    assert csv_columns(OBSERVATION_FIELDS, imported=True) == ("area", "prompt", "rating", "principles", "note", "voice")
    assert csv_columns(OBSERVATION_FIELDS, required=True) == ("area", "rating")


def test_a_change_to_a_field_that_cannot_change_names_it() -> None:
    check_editable("an observation", OBSERVATION_FIELDS, ["note", "rating_id"])
    with pytest.raises(InvalidInput, match=r"^an observation's area cannot be changed \(what can: rating, "):
        check_editable("an observation", OBSERVATION_FIELDS, ["note", "area_id"])
    with pytest.raises(InvalidInput, match="an action has no field 'colour'"):
        check_editable("an action", ACTION_FIELDS, ["colour"])


def test_the_history_holds_the_declared_fields_of_each_thing() -> None:
    from walkthrough.domain.change_values import CREATE_FIELDS
    from walkthrough.domain.changes import Entity

    assert CREATE_FIELDS[Entity.OBSERVATION] == (
        "area_id", "prompt_id", "rating_id", "principle_ids", "note", "voice", "position")
    assert CREATE_FIELDS[Entity.PHOTO] == (
        "observation_id", "caption", "alt_text", "original_name", "picture", "position")
    assert "lens_snapshot" in CREATE_FIELDS[Entity.WALKTHROUGH] and "updated_at" not in CREATE_FIELDS[Entity.ACTION]


def test_what_a_service_records_when_it_makes_a_thing_is_the_declared_fields(any_db, test_lens) -> None:
    from walkthrough.domain.change_values import CREATE_FIELDS, TIMESTAMPS
    from walkthrough.services import actions, history, observations, walkthroughs
    from walkthrough.services.observations import NewObservation

    w = walkthroughs.create_walkthrough(any_db, test_lens, service="S", site="T")
    obs = observations.add_observation(any_db, w.id, NewObservation("entrance", "working-well"))
    actions.add_action(any_db, w.id, actions.NewAction("Fix it", observation_ids=(obs.id,)))
    from walkthrough.domain.change_values import SET_ONLY_FIELDS
    from walkthrough.domain.changes import ChangeKind

    made = history.list_history(any_db, w.id)
    for change in made:
        if change.kind is ChangeKind.CREATE:
            assert set(change.value) == {*CREATE_FIELDS[change.entity], *TIMESTAMPS}, change.entity
        else:  # in the same operation as the walkthrough's making: its service
            assert change.field in SET_ONLY_FIELDS[change.entity] and change.operation == made[-1].operation
    assert w.service_id is not None
    (service,) = history.list_history(any_db, w.service_id)
    assert set(service.value) == {*CREATE_FIELDS[service.entity], *TIMESTAMPS}


def test_the_photo_declaration_names_every_field_of_its_record_and_its_texts_are_what_can_change() -> None:
    stored = {f.name for f in dataclasses.fields(PhotoRecord)} - {"width", "height", "sha256"}  # its picture
    assert sorted(f.name for f in PHOTO_FIELDS) == sorted(stored | {"picture"})
    assert editable_names(PHOTO_FIELDS) == {"caption", "alt_text"}


def test_a_thing_made_before_the_history_held_a_field_is_read_with_what_its_upgrade_stored() -> None:
    from walkthrough.domain.change_values import CREATED_WITHOUT
    from walkthrough.domain.changes import Entity

    assert CREATED_WITHOUT[Entity.PHOTO] == {"alt_text": ""}  # 0006: none written
    # 0005: no lead, on-track not said, no measure, no MAT standard
    assert CREATED_WITHOUT[Entity.ACTION] == {"lead": "", "on_track": None, "success_measure": "", "mat_standards": []}
    assert CREATED_WITHOUT[Entity.OBSERVATION] == {} == CREATED_WITHOUT[Entity.PROGRESS_UPDATE]


def test_a_field_the_history_began_to_hold_later_names_the_upgrade_that_added_it() -> None:
    import walkthrough.storage
    from walkthrough.domain.fields import (
        ACTION_FIELDS,
        OBSERVATION_FIELDS,
        PHOTO_FIELDS,
        PROGRESS_UPDATE_FIELDS,
        SERVICE_FIELDS,
        WALKTHROUGH_FIELDS,
    )

    revisions = {p.stem for p in (Path(walkthrough.storage.__file__).parent / "migrations" / "versions").glob("0*.py")}
    assert "0006_photo_alt_text" in revisions
    for field in (*ACTION_FIELDS, *OBSERVATION_FIELDS, *PHOTO_FIELDS, *WALKTHROUGH_FIELDS, *PROGRESS_UPDATE_FIELDS,
                  *SERVICE_FIELDS):
        assert field.history_since is None or field.history_since in revisions, field
        assert field.history_missing is None or field.history_since is not None, field  # a value needs its upgrade
