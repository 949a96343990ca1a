"""Checking a change that comes in from another laptop (walkthrough/domain/change_check.py)."""

from __future__ import annotations

import uuid

import pytest

from walkthrough.domain.change_check import check_change
from walkthrough.domain.clock import Clock
from walkthrough.domain.errors import InvalidInput
from walkthrough.domain.merge import fold

WALKTHROUGH = str(uuid.uuid4())
#: A photo as an older version of the program recorded it: before the history held alt text.
OLDER_PHOTO = {"observation_id": str(uuid.uuid4()), "caption": "Front door", "original_name": "door.jpg",
               "picture": {"sha256": "ab" * 32, "width": 40, "height": 30}, "position": 0,
               "created_at": "2026-12-01T10:00:00+00:00"}


def photo_created(value: dict) -> dict:
    return {"id": str(uuid.uuid4()), "device_id": str(uuid.uuid4()), "seq": 1, "operation": 1,
            "clock": Clock(1_700_000_000_000_000).text, "walkthrough_id": WALKTHROUGH, "entity": "photo",
            "entity_id": str(uuid.uuid4()), "parent_id": value["observation_id"], "kind": "create",
            "field": None, "value": value, "replaces": []}


def test_a_photo_made_by_an_older_version_comes_in_as_it_was_and_reads_with_no_alt_text() -> None:
    change = check_change(photo_created(OLDER_PHOTO), WALKTHROUGH, None)
    assert change.value == OLDER_PHOTO  # kept as its author holds it
    assert fold([change]).values["alt_text"] == ""


def test_a_photo_made_now_carries_its_alt_text_and_it_must_be_text() -> None:
    change = check_change(photo_created({**OLDER_PHOTO, "alt_text": "A glass door"}), WALKTHROUGH, None)
    assert fold([change]).values["alt_text"] == "A glass door"
    with pytest.raises(InvalidInput, match="its alt_text is not right"):
        check_change(photo_created({**OLDER_PHOTO, "alt_text": 3}), WALKTHROUGH, None)


def test_a_photo_missing_a_field_it_always_had_or_holding_an_unknown_one_is_refused() -> None:
    without_caption = {k: v for k, v in OLDER_PHOTO.items() if k != "caption"}
    with pytest.raises(InvalidInput, match="its fields are not those of a photo"):
        check_change(photo_created(without_caption), WALKTHROUGH, None)
    with pytest.raises(InvalidInput, match="its fields are not those of a photo"):
        check_change(photo_created({**OLDER_PHOTO, "colour": "red"}), WALKTHROUGH, None)
