"""What a ``create`` change holds for each kind of thing, declared once.

The services record these fields when they make a thing (and when undo puts
one back), the upgrade that started the history records them for the rows
already stored, and replaying the history builds rows from them.  Each
``create`` value also holds ``created_at`` and ``updated_at`` (a photo only
``created_at``).  The other times stored follow from the changes, by these
rules, which the services keep and a replay applies:

1. Every operation in a walkthrough moves the walkthrough's ``updated_at``
   to the operation's time (never back).
2. A ``set``, ``link`` or ``unlink`` of an observation or an action moves its
   ``updated_at`` to the operation's time.
3. A photo made, changed or deleted moves its observation's ``updated_at``
   to the operation's time, unless the observation was made by the same
   operation.

An operation's time is the wall time of its first change's clock.  (Its
other changes have the same wall time, unless it made more than a hundred
thousand changes, which overflow the clock's counter into the next
microsecond: a large CSV import.)  A change whose content was erased since
(its thing was deleted later) still counts for these rules: its thing, its
parent and its clock stay.

A service's changes are kept under the service's own id (the change's
``walkthrough_id`` is the service's): a service belongs to no one
walkthrough.  Rule 1 does not reach it; a ``set`` of a service moves the
service's ``updated_at`` as rule 2 says of observations and actions.

A photo's ``picture`` is its stored JPEG's ``{"sha256", "width", "height"}``:
the pixels themselves are not history, they are kept once, in the photo.
Blurring a photo records a new ``picture`` and erases the earlier ones.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.fields import (
    ACTION_FIELDS,
    OBSERVATION_FIELDS,
    PHOTO_FIELDS,
    PROGRESS_UPDATE_FIELDS,
    SERVICE_FIELDS,
    WALKTHROUGH_FIELDS,
    history_missing,
    history_names,
)

__all__ = ["CREATED_ONLY", "CREATED_WITHOUT", "CREATE_FIELDS", "LATEST_WINS", "LINK_FIELDS", "PICTURE",
           "SET_ONLY_FIELDS", "TIMESTAMPS", "stored_times", "with_added_fields"]

TIMESTAMPS = ("created_at", "updated_at")

#: Things made whole and never edited in place: their ``create`` holds ``created_at`` only.
CREATED_ONLY = frozenset({Entity.PHOTO, Entity.PROGRESS_UPDATE})

#: The fields a ``create`` change holds, by kind of thing (besides :data:`TIMESTAMPS`): those
#: declared ``history`` in :mod:`walkthrough.domain.fields`.
CREATE_FIELDS: dict[Entity, tuple[str, ...]] = {
    Entity.WALKTHROUGH: history_names(WALKTHROUGH_FIELDS),
    Entity.OBSERVATION: history_names(OBSERVATION_FIELDS),
    Entity.PHOTO: history_names(PHOTO_FIELDS),
    Entity.ACTION: history_names(ACTION_FIELDS),
    Entity.PROGRESS_UPDATE: history_names(PROGRESS_UPDATE_FIELDS),
    Entity.SERVICE: history_names(SERVICE_FIELDS),
}

#: Fields recorded only by ``set`` changes, in the same operation as the thing's ``create``
#: when it has them from the start: a walkthrough's service and the walk it follows up came
#: after histories (and laptops) whose ``create`` holds the fields above, and an old create
#: stays valid as it is.  A walkthrough made without them has them empty.  (Unlike the
#: fields in :data:`CREATED_WITHOUT`, which a new ``create`` holds: these never are.)
SET_ONLY_FIELDS: dict[Entity, tuple[str, ...]] = {
    Entity.WALKTHROUGH: ("service_id", "follows_id"),
}

#: Fields the history began to hold later, by kind of thing, with what a ``create`` change recorded
#: without them means (an older program's, or the first upgrade's): such a change is read as if it
#: held them.  Declared on the fields themselves (``history_since`` in :mod:`walkthrough.domain.fields`).
CREATED_WITHOUT: dict[Entity, dict[str, object]] = {
    Entity.WALKTHROUGH: history_missing(WALKTHROUGH_FIELDS),
    Entity.OBSERVATION: history_missing(OBSERVATION_FIELDS),
    Entity.PHOTO: history_missing(PHOTO_FIELDS),
    Entity.ACTION: history_missing(ACTION_FIELDS),
    Entity.PROGRESS_UPDATE: history_missing(PROGRESS_UPDATE_FIELDS),
    Entity.SERVICE: history_missing(SERVICE_FIELDS),
}


def with_added_fields(entity: Entity, values: dict[str, Any]) -> dict[str, Any]:
    """A ``create``'s values with the fields added since it was recorded, at what they stand for."""
    added = CREATED_WITHOUT.get(entity)
    return {**added, **values} if added else values


#: Fields that hold a set of linked ids, changed by ``link`` and ``unlink`` changes.
LINK_FIELDS = frozenset({"principle_ids", "observation_ids"})

#: Fields where concurrent changes are never a difference to decide: the latest wins (order on screen).
LATEST_WINS = frozenset({"position"})

#: The photo field that names its stored picture.
PICTURE = "picture"


def stored_times(changes: Iterable[Change]) -> dict[str, dt.datetime]:
    """The ``updated_at`` rules 1-3 give the walkthroughs, observations and actions of ``changes``, by id.

    ``changes`` are those of one walkthrough's things, with their photos'
    (erased ones too: they count).  Operations are taken in clock order, as
    they were made: a thing's latest ``create`` stores the ``updated_at`` its
    value holds, and each operation at or after it that moves the thing stores
    its time (a walkthrough's never goes back).  A thing whose ``create`` is
    not among ``changes`` gets the time of the last operation that moved it.
    The result depends only on the set of changes, not on their order.
    """
    operations: dict[tuple[str, int], list[Change]] = {}
    for change in sorted(changes, key=_clock_order):
        operations.setdefault((change.device_id, change.operation), []).append(change)
    made: dict[str, tuple[int, dt.datetime | None]] = {}  # thing -> (its latest create's operation, its time)
    walkthroughs: set[str] = set()
    moved: dict[str, list[tuple[int, dt.datetime]]] = {}
    # In the order of each operation's first change: its clock's wall time is the operation's time.
    for index, operation in enumerate(sorted(operations.values(), key=lambda op: _clock_order(op[0]))):
        time = operation[0].time
        created = {c.entity_id for c in operation if c.kind is ChangeKind.CREATE}
        things: set[str] = {c.walkthrough_id for c in operation}  # rule 1
        walkthroughs |= things
        for c in operation:
            if c.kind is ChangeKind.CREATE and c.entity is not Entity.PHOTO:
                made[c.entity_id] = (index, _time_of(c.value))
            elif c.kind in _EDITS and c.entity in (Entity.OBSERVATION, Entity.ACTION):
                things.add(c.entity_id)  # rule 2
            elif c.entity is Entity.PHOTO and c.parent_id is not None and c.parent_id not in created:
                things.add(c.parent_id)  # rule 3
        for thing in things:
            moved.setdefault(thing, []).append((index, time))
    times: dict[str, dt.datetime] = {}
    for thing in made.keys() | moved.keys():
        start, value = made.get(thing, (-1, None))
        later = [time for index, time in moved.get(thing, ()) if index >= start]
        if thing in walkthroughs:  # rule 1: never back
            later += [value] if value is not None else []
            if later:
                times[thing] = max(later)
        elif later:
            times[thing] = later[-1]  # rules 2 and 3: the last operation that moved it
        elif value is not None:
            times[thing] = value
    return times


_EDITS = (ChangeKind.SET, ChangeKind.LINK, ChangeKind.UNLINK)


def _clock_order(change: Change) -> tuple[str, str, int]:
    return (change.clock.text, change.device_id, change.seq)


def _time_of(value: Mapping[str, Any] | None) -> dt.datetime | None:
    """A ``create`` value's ``updated_at`` (or ``created_at``), or None when its content was erased."""
    if value is None:
        return None
    text = value.get("updated_at") or value.get("created_at")
    return dt.datetime.fromisoformat(text) if isinstance(text, str) else text
