"""A recorded change summed up for the front ends: titles from the lens, values shortened, what it replaced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from walkthrough.domain.change_summary import (
    SHORT_CHARS,
    ShownValue,
    ValueForm,
    shorten,
    summarise,
    summarise_history,
)
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock

OBS = "3f2a9c1e-0000-4000-8000-000000000001"
ACTION = "7b7b7b7b-0000-4000-8000-000000000002"
PHOTO = "9c9c9c9c-0000-4000-8000-000000000003"
_WALL = int(dt.datetime(2026, 12, 7, 20, 45, tzinfo=dt.timezone.utc).timestamp() * 1_000_000)


def change(n: int, entity: Entity, entity_id: str, kind: ChangeKind, field: str | None = None, value: Any = None,
           *, replaces: tuple[str, ...] = (), erased: bool = False) -> Change:
    return Change(id=f"c{n}", device_id="d", device_name="Orkney laptop", person="Ana", seq=n,
                  clock=Clock(_WALL + n, 0), walkthrough_id="w", entity=entity, entity_id=entity_id,
                  parent_id=None, kind=kind, field=field, value=value, erased=erased, replaces=replaces)


def test_an_observation_is_named_by_the_area_it_was_in_and_a_set_shows_the_value_it_replaced(test_lens):
    made = change(1, Entity.OBSERVATION, OBS, ChangeKind.CREATE,
                  value={"area_id": "entrance", "note": "Door sticks", "rating_id": "working-well"})
    rated = change(2, Entity.OBSERVATION, OBS, ChangeKind.SET, "rating_id", "could-be-better", replaces=("c1",))
    moved = change(3, Entity.OBSERVATION, OBS, ChangeKind.SET, "area_id", "reception", replaces=("c1",))
    unrated = change(4, Entity.OBSERVATION, OBS, ChangeKind.SET, "rating_id", None, replaces=("c2",))
    linked = change(5, Entity.OBSERVATION, OBS, ChangeKind.LINK, "principle_ids", "trust")

    newest_first = [linked, unrated, moved, rated, made]
    summaries = summarise_history(newest_first, test_lens)

    assert [s.change for s in summaries] == newest_first  # in the order given
    s_linked, s_unrated, s_moved, s_rated, s_made = summaries
    assert s_made.kind is ChangeKind.CREATE and s_made.field is None
    assert s_made.title == "Entrance" and s_made.new == ShownValue(ValueForm.TEXT, "Door sticks")
    assert s_rated.title == "Entrance"  # before it moved
    assert (s_rated.field, s_rated.old, s_rated.new) == (
        "rating_id", ShownValue(ValueForm.TITLE, "Working well"), ShownValue(ValueForm.TITLE, "Could be better"))
    assert s_moved.title == "Reception" and s_moved.old == ShownValue(ValueForm.TITLE, "Entrance")
    assert s_unrated.title == "Reception" and s_unrated.new == ShownValue(ValueForm.NONE, "")
    assert s_unrated.old == ShownValue(ValueForm.TITLE, "Could be better")
    assert s_linked.new == ShownValue(ValueForm.TITLE, "Trust") and s_linked.old is None
    assert s_made.short_id == "3f2a9c1e" and s_made.entity is Entity.OBSERVATION


def test_erased_content_shows_nothing_of_what_was_deleted(test_lens):
    made = change(1, Entity.OBSERVATION, OBS, ChangeKind.CREATE, erased=True)
    noted = change(2, Entity.OBSERVATION, OBS, ChangeKind.SET, "note", erased=True, replaces=("c1",))
    gone = change(3, Entity.OBSERVATION, OBS, ChangeKind.DELETE)

    summaries = summarise_history([gone, noted, made], test_lens)

    assert [s.erased for s in summaries] == [False, True, True]
    assert all(s.title == "" and s.new is None and s.old is None for s in summaries)
    assert summaries[1].field == "note"


def test_values_are_shown_by_their_form_and_long_text_is_shortened(test_lens):
    long_text = "Fix the front door so that it opens without a hard push from anyone " * 3
    made = change(1, Entity.ACTION, ACTION, ChangeKind.CREATE, value={"text": long_text, "status": "not-started"})
    done = change(2, Entity.ACTION, ACTION, ChangeKind.SET, "status", "done", replaces=("c1",))
    due = change(3, Entity.ACTION, ACTION, ChangeKind.SET, "due_date", "2027-01-05")
    component = change(4, Entity.ACTION, ACTION, ChangeKind.SET, "component_id", "no-such-component")
    finding = change(5, Entity.ACTION, ACTION, ChangeKind.LINK, "observation_ids", OBS)
    blurred = change(6, Entity.PHOTO, PHOTO, ChangeKind.SET, "picture", {"sha256": "ab", "width": 800, "height": 600})

    s = summarise_history([made, done, due, component, finding, blurred], test_lens)

    assert s[0].title == shorten(long_text) and len(s[0].title) == SHORT_CHARS and s[0].title.endswith("…")
    assert s[1].title == s[0].title
    assert (s[1].old, s[1].new) == (ShownValue(ValueForm.CODE, "not-started"), ShownValue(ValueForm.CODE, "done"))
    assert s[2].new == ShownValue(ValueForm.DATE, "2027-01-05") and s[2].old is None  # what it replaced is unknown
    assert s[3].new == ShownValue(ValueForm.TITLE, "no-such-component")  # an id the lens lacks, as it is
    assert s[4].new == ShownValue(ValueForm.ID, "3f2a9c1e")
    assert s[5].new == ShownValue(ValueForm.PICTURE, "800x600")


def test_a_lone_change_is_summed_up_from_what_it_holds(test_lens):
    photo = change(1, Entity.PHOTO, PHOTO, ChangeKind.CREATE, value={"original_name": "door.jpg", "caption": ""})
    caption = change(2, Entity.PHOTO, PHOTO, ChangeKind.SET, "caption", "The door\nat night")

    assert summarise(photo, test_lens).title == "door.jpg"
    assert summarise(photo, None).new == ShownValue(ValueForm.NONE, "")
    lone = summarise(caption, test_lens)
    assert lone.title == "" and lone.new == ShownValue(ValueForm.TEXT, "The door at night")
    rating = change(3, Entity.OBSERVATION, OBS, ChangeKind.SET, "rating_id", "working-well")
    assert summarise(rating, None).new == ShownValue(ValueForm.TITLE, "working-well")  # no lens: the id


def test_shorten_keeps_short_text_and_puts_it_on_one_line():
    assert shorten("  a\tb\n c ") == "a b c"
    assert shorten("abcdef", 4) == "abc…"


def test_a_long_value_is_cut_on_one_line_and_kept_whole_beside_it(test_lens):
    text = "Chairs bolted in rows\nfacing the door, " * 6
    noted = summarise(change(1, Entity.OBSERVATION, OBS, ChangeKind.SET, "note", text), test_lens)
    assert noted.new.text.endswith("…") and "\n" not in noted.new.text and len(noted.new.text) <= SHORT_CHARS
    assert noted.new.whole == text
    assert summarise(change(2, Entity.OBSERVATION, OBS, ChangeKind.SET, "note", "Short note"), test_lens).new.text \
        == "Short note"


def test_a_set_of_principles_is_shown_by_their_names(test_lens):
    ids = [p.id for p in test_lens.principles[:2]]
    principles = summarise(change(1, Entity.OBSERVATION, OBS, ChangeKind.SET, "principle_ids", ids), test_lens)
    assert principles.new == ShownValue(ValueForm.TITLE, ", ".join(p.name for p in test_lens.principles[:2]))
