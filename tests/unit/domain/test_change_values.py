"""The stored times the changes give (rules 1-3 of change_values), whatever order the changes come in."""

from __future__ import annotations

import datetime as dt
import random

from walkthrough.domain.change_values import stored_times
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock

START = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.timezone.utc)


def at(minutes: int) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def change(seq: int, minutes: int, entity: Entity, entity_id: str, kind: ChangeKind, value=None, *,
           operation: int | None = None, parent: str | None = None, field: str | None = None) -> Change:
    return Change(id=f"c{seq}", device_id="A", device_name="A", person="", seq=seq,
                  clock=Clock(int(at(minutes).timestamp() * 1_000_000), seq), walkthrough_id="w", entity=entity,
                  entity_id=entity_id, parent_id=parent, kind=kind, field=field, value=value,
                  operation=seq if operation is None else operation)


def made(minutes: int, updated: int | None = None) -> dict[str, str]:
    return {"created_at": at(minutes).isoformat(), "updated_at": at(minutes if updated is None else updated).isoformat()}


HISTORY = [
    change(1, 0, Entity.WALKTHROUGH, "w", ChangeKind.CREATE, made(0)),
    # An observation made with a photo: the photo, made by the same operation, does not move it.
    change(2, 1, Entity.OBSERVATION, "o", ChangeKind.CREATE, made(1), operation=2),
    change(3, 1, Entity.PHOTO, "p", ChangeKind.CREATE, {"created_at": at(1).isoformat()}, operation=2, parent="o"),
    change(4, 2, Entity.OBSERVATION, "o", ChangeKind.SET, "note", field="note"),
    change(5, 3, Entity.PHOTO, "p", ChangeKind.SET, "door", field="caption", parent="o"),  # moves o: rule 3
    change(6, 4, Entity.OBSERVATION, "o", ChangeKind.DELETE),
    # Put back as it was before its photo changes: the time it is put back with stands.
    change(7, 5, Entity.OBSERVATION, "o", ChangeKind.CREATE, made(1, 1)),
    change(8, 6, Entity.ACTION, "a", ChangeKind.CREATE, made(6)),
    change(9, 7, Entity.ACTION, "a", ChangeKind.LINK, "safety", field="principle_ids"),
]


def test_each_thing_takes_the_time_of_its_last_move_since_it_was_made_and_the_walkthrough_never_goes_back() -> None:
    assert stored_times(HISTORY) == {"w": at(7), "o": at(1), "a": at(7)}
    without_put_back = [c for c in HISTORY if c.seq < 6]
    assert stored_times(without_put_back)["o"] == at(3)


def test_the_order_the_changes_come_in_does_not_matter() -> None:
    shuffled = list(HISTORY)
    random.Random(13).shuffle(shuffled)
    assert stored_times(shuffled) == stored_times(HISTORY)


def test_an_operation_s_time_is_its_first_change_s_even_when_its_clock_ran_into_the_next_microsecond() -> None:
    first = change(10, 8, Entity.OBSERVATION, "o", ChangeKind.SET, "a", field="note", operation=10)
    late = Change(**{**first.__dict__, "id": "c11", "seq": 11, "entity_id": "o2",
                     "clock": Clock(first.clock.wall + 1, 0)})
    times = stored_times([*HISTORY, first, late])
    assert times["o"] == times["o2"] == times["w"] == at(8)
