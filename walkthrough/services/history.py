"""The change history: every change recorded in the same transaction as the change.

Each service that changes something opens a :class:`Recorder` inside its
transaction and tells it what it did; the recorder writes one row per change
(see :mod:`walkthrough.domain.changes`) stamped with this database's device,
its next sequence number and a hybrid logical clock
(:mod:`walkthrough.domain.clock`), and sums the operation up as an
:class:`~walkthrough.domain.changes.OpChanges`.  Whoever called the service
can have that summary with :func:`collect_changes`::

    with collect_changes() as collected:
        observations.update_observation(db, observation_id, note="…")
    collected.changes  # OpChanges: that observation's "note"

The times a service stores (``created_at``, ``updated_at``) are the
recorder's :attr:`Recorder.now`, the wall time of the operation's clock, so
that replaying the history gives back the same rows.
"""

from __future__ import annotations

import contextvars
import os
import socket
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, union_all, update
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import CREATE_FIELDS, PICTURE, TIMESTAMPS
from walkthrough.domain.changes import Change, ChangeKind, Entity, OpChanges, decode_value, encode_value
from walkthrough.domain.clock import Clock, now_micros, receive, tick, ticks_from
from walkthrough.domain.errors import EmptyValue, InvalidInput, NotFound, TooLong
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.domain.models import Device, new_id
from walkthrough.domain.records import (
    ActionRecord,
    ObservationRecord,
    PhotoRecord,
    ProgressUpdateRecord,
    WalkthroughRecord,
)
from walkthrough.services.text_cleaning import clean_text
from walkthrough.storage.database import Database

__all__ = [
    "Collected",
    "DeviceRecord",
    "Recorder",
    "action_values",
    "change_from_row",
    "changes_of",
    "collect_changes",
    "list_history",
    "observation_values",
    "photo_values",
    "progress_update_values",
    "received",
    "resolve_history_id",
    "set_device",
    "start_as_new_device",
    "this_device",
    "walkthrough_values",
]

#: Longest device or person name kept, in characters.
MAX_NAME_CHARS = 200

_CHANGES = ChangeRow.__table__
_DEVICES = Device.__table__
#: Change rows written per statement (executemany).
_BATCH = 5000
_THIS_DEVICE = (
    select(_DEVICES.c.id, _DEVICES.c.last_seq, _DEVICES.c.last_clock).where(_DEVICES.c.this_device.is_(True))
)
_THIS_DEVICE_LOCKED = _THIS_DEVICE.with_for_update()
_INSERT_CHANGES = _CHANGES.insert()
_DEVICE_MOVED = (
    _DEVICES.update().where(_DEVICES.c.id == bindparam("device"))
    .values(last_seq=bindparam("seq"), last_clock=bindparam("clock"))
)
#: A thing's changes of one field and its making and deletions (the changes with no field), with what each
#: replaced (see :meth:`Recorder._latest`): two look-ups of the ``(walkthrough_id, entity_id, field)`` index,
#: which read only those, not the thing's changes of every other field.
_LATEST = union_all(
    select(_CHANGES.c.id, _CHANGES.c.replaces)
    .where(_CHANGES.c.walkthrough_id == bindparam("walkthrough_id"), _CHANGES.c.entity_id == bindparam("entity_id"),
           _CHANGES.c.field == bindparam("field")),
    select(_CHANGES.c.id, _CHANGES.c.replaces)
    .where(_CHANGES.c.walkthrough_id == bindparam("walkthrough_id"), _CHANGES.c.entity_id == bindparam("entity_id"),
           _CHANGES.c.field.is_(None)),
)
#: All of a thing's changes, with what each replaced (see :meth:`Recorder._seen_of`).
_OF_THING = (
    select(_CHANGES.c.id, _CHANGES.c.replaces)
    .where(_CHANGES.c.walkthrough_id == bindparam("walkthrough_id"), _CHANGES.c.entity_id == bindparam("entity_id"))
)


def _change_ids() -> Iterator[str]:
    """Fresh change ids for one operation: time-ordered UUIDs (version 7 of RFC 9562).

    Each is the milliseconds since 1970, then 74 bits drawn at random once
    for the operation and counted up by one an id (the RFC's "monotonic
    random"): ids made one after another sort one after another, so a large
    import appends to the change table's primary-key index instead of
    writing all over it.  The time in an id tells no more than the change's
    own clock.  Written out directly from one integer: a 100,000-row import
    makes 100,000 of them, and ``str(uuid.UUID(...))`` costs several times as much.
    """
    random_bits = int.from_bytes(os.urandom(10), "big") >> 6
    while True:
        random_bits = (random_bits + 1) & _RANDOM_MASK
        value = ((time.time_ns() // 1_000_000) << 80 | _VERSION_7 | (random_bits >> 62) << 64 | _VARIANT
                 | random_bits & _LOW_62)
        h = f"{value:032x}"
        yield f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_RANDOM_MASK = (1 << 74) - 1
_LOW_62 = (1 << 62) - 1
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62


@dataclass
class Collected:
    """The changes of every operation finished inside a :func:`collect_changes` block, as one."""

    changes: OpChanges = field(default_factory=OpChanges)


_collecting: contextvars.ContextVar[tuple[Collected, ...]] = contextvars.ContextVar("collecting", default=())


@contextmanager
def collect_changes() -> Iterator[Collected]:
    """Gather what the operations run inside the block changed (blocks may nest)."""
    collected = Collected()
    token = _collecting.set((*_collecting.get(), collected))
    try:
        yield collected
    finally:
        _collecting.reset(token)


class Recorder:
    """Records one operation's changes in ``session``'s transaction.

    Make one per transaction, tell it every change, then call
    :meth:`finish` before the transaction commits.
    """

    def __init__(self, session: Session, walkthrough_id: str) -> None:
        self.session = session
        self.walkthrough_id = walkthrough_id
        # The change and device tables are read and written as plain rows on the
        # session's connection: no ORM object, no autoflush (the ORM never holds
        # a change), so recording adds a few statements to an edit and nothing more.
        # The device row is locked until the transaction ends: two writers on a
        # server must not take the same sequence number.
        self._connection = session.connection()
        row = self._connection.execute(_THIS_DEVICE_LOCKED).first()
        if row is None:
            device = _this_device_row(session, for_update=True)
            row = (device.id, device.last_seq, device.last_clock)
        self.device_id: str = row[0]
        last = Clock.parse(row[2]) if row[2] else None
        self._clock = tick(last, now_micros())
        self._clocks = ticks_from(self._clock)  # one a change: the operation's first, then counting on
        self._ids = _change_ids()
        #: the operation's time: stored as ``created_at`` / ``updated_at`` by the services
        self.now = self._clock.time
        self._now_text = decode_value(encode_value(self.now))
        self._operation = row[1] + 1
        self._rows: list[dict[str, Any]] = []
        self._created: set[tuple[Entity, str]] = set()
        self._deleted: set[tuple[Entity, str]] = set()
        self._updated: dict[tuple[Entity, str], set[str]] = {}

    # -- what happened -------------------------------------------------------------------

    def created(self, entity: Entity, entity_id: str, values: Mapping[str, Any], *, parent: str | None = None,
                again: bool = False) -> None:
        """``entity_id`` was made with these fields (:data:`CREATE_FIELDS` and the times).

        ``parent`` is the thing it belongs to within the walkthrough: a photo's observation.
        ``again``: it is being put back (undo of a deletion), under the same id; the
        new create then replaces the deletion its author saw.
        """
        fields = dict(values)
        for name in TIMESTAMPS:
            if fields.get(name) is self.now:
                # The operation's own time, as most creates hold: its JSON text worked out once
                # (encoding a datetime costs as much again as the rest of an observation).
                fields[name] = self._now_text
        replaces = self._seen_of(entity_id) if again else []
        self._add(entity, entity_id, ChangeKind.CREATE, None, encode_value(fields), parent=parent,
                  replaces=replaces)
        self._created.add((entity, entity_id))
        self._deleted.discard((entity, entity_id))

    def set(self, entity: Entity, entity_id: str, field_name: str, value: Any, *, parent: str | None = None) -> None:
        """One field of ``entity_id`` took ``value``."""
        self._add(entity, entity_id, ChangeKind.SET, field_name, encode_value(value),
                  replaces=self._latest(entity_id, field_name), parent=parent)
        if parent is not None:
            self.touch(Entity.OBSERVATION, parent, "photos")
        self.touch(entity, entity_id, field_name)

    def linked(self, entity: Entity, entity_id: str, field_name: str, added: Iterable[str],
               removed: Iterable[str] = ()) -> None:
        """Ids were linked to (``added``) or unlinked from (``removed``) a set field of ``entity_id``."""
        added, removed = sorted(added), sorted(removed)
        if not added and not removed:
            return
        replaces = self._latest(entity_id, field_name)
        for target in removed:
            self._add(entity, entity_id, ChangeKind.UNLINK, field_name, encode_value(target), replaces=replaces)
        for target in added:
            self._add(entity, entity_id, ChangeKind.LINK, field_name, encode_value(target), replaces=replaces)
        self.touch(entity, entity_id, field_name)

    def deleted(self, entity: Entity, entity_id: str, *, parent: str | None = None,
                keep_content: bool = False) -> None:
        """``entity_id`` was deleted, with what belongs to it (an observation's photos).

        Leaves a tombstone and erases the content of every earlier change
        of these things: the history must not keep what was deleted.  With
        ``keep_content`` (a service merged into another: its name is no one's
        words, and its walkthroughs' history names it), the earlier changes
        stay as they are.
        """
        replaces = self._seen_of(entity_id)
        if not keep_content:
            self._erase(entity_id)
        self._add(entity, entity_id, ChangeKind.DELETE, None, None, parent=parent, replaces=replaces)
        if parent is not None:
            self.touch(Entity.OBSERVATION, parent, "photos")
        self._deleted.add((entity, entity_id))
        self._created.discard((entity, entity_id))
        self._updated.pop((entity, entity_id), None)

    def decided(self, entity: Entity, entity_id: str, field_name: str, value: Any, replaces: Sequence[str]) -> None:
        """A person settled a difference about a field: ``value`` replaces every value it was between."""
        self._add(entity, entity_id, ChangeKind.SET, field_name, encode_value(value), replaces=sorted(replaces))
        self.touch(entity, entity_id, field_name)

    def decided_keeping(self, entity: Entity, entity_id: str, values: Mapping[str, Any],
                        replaces: Sequence[str]) -> None:
        """A person kept a thing one laptop deleted while another edited it: it is made again as it is shown."""
        self._add(entity, entity_id, ChangeKind.CREATE, None, encode_value(dict(values)),
                  replaces=sorted(set(replaces) | set(self._seen_of(entity_id))))
        self._created.add((entity, entity_id))

    def decided_deletion(self, entity: Entity, entity_id: str) -> None:
        """A person agreed with the deletion of a thing another laptop had edited meanwhile."""
        self.deleted(entity, entity_id)

    def walkthrough_deleted(self) -> None:
        """The walkthrough went, with everything in it: erase every change's content, leave a tombstone."""
        self.session.execute(
            update(ChangeRow).where(ChangeRow.walkthrough_id == self.walkthrough_id).values(value=None)
        )
        self._add(Entity.WALKTHROUGH, self.walkthrough_id, ChangeKind.DELETE, None, None)
        self._deleted.add((Entity.WALKTHROUGH, self.walkthrough_id))

    def picture_replaced(self, photo_id: str, picture: Mapping[str, Any], observation_id: str) -> None:
        """A photo's pixels were replaced (blurred): record the new picture, erase every earlier one."""
        self._erase_picture(photo_id)
        self.set(Entity.PHOTO, photo_id, PICTURE, dict(picture), parent=observation_id)

    def touch(self, entity: Entity, entity_id: str, field_name: str) -> None:
        """Say that a field changed without recording a change (a photo's observation's ``photos``, say)."""
        if (entity, entity_id) not in self._created:
            self._updated.setdefault((entity, entity_id), set()).add(field_name)

    @property
    def changed(self) -> bool:
        """True once any change has been recorded."""
        return bool(self._rows)

    # -- writing -------------------------------------------------------------------------

    def finish(self) -> OpChanges:
        """Write the changes (before the transaction commits) and say what the operation changed."""
        if self._rows:
            for start in range(0, len(self._rows), _BATCH):
                self._connection.execute(_INSERT_CHANGES, self._rows[start:start + _BATCH])
            last = self._rows[-1]
            self._connection.execute(_DEVICE_MOVED, {"device": self.device_id, "seq": last["seq"],
                                                     "clock": last["clock"]})
        changes = OpChanges(
            created=frozenset(self._created),
            updated={ref: frozenset(names) for ref, names in self._updated.items() if ref not in self._deleted},
            deleted=frozenset(self._deleted),
            walkthrough_ids=frozenset({self.walkthrough_id}) if self._rows or self._updated else frozenset(),
        )
        for collected in _collecting.get():
            collected.changes = collected.changes.merged(changes)
        self._rows = []
        return changes

    def _add(self, entity: Entity, entity_id: str, kind: ChangeKind, field_name: str | None, value: str | None,
             replaces: Sequence[str] = (), parent: str | None = None) -> None:
        self._rows.append({
            "id": next(self._ids),
            "device_id": self.device_id,
            "seq": self._operation + len(self._rows),
            "operation": self._operation,
            "clock": next(self._clocks),
            "walkthrough_id": self.walkthrough_id,
            "entity": entity.value,
            "entity_id": entity_id,
            "parent_id": parent,
            "kind": kind.value,
            "field": field_name,
            "value": value,
            "replaces": ",".join(replaces) or None,
        })

    def _latest(self, entity_id: str, field_name: str) -> list[str]:
        """What the author of a new value of this field saw: its latest changes (two or more while a
        difference is open, which the new value then settles), or the thing's making."""
        life = (ChangeKind.CREATE.value, ChangeKind.DELETE.value)
        rows = [(r["id"], r["replaces"]) for r in self._rows
                if r["entity_id"] == entity_id and (r["field"] == field_name or r["kind"] in life)]
        rows += [(change_id, replaces) for change_id, replaces in self._connection.execute(_LATEST, {
            "walkthrough_id": self.walkthrough_id, "entity_id": entity_id, "field": field_name})]
        replaced = {old for _, replaces in rows if replaces for old in replaces.split(",")}
        return sorted(change_id for change_id, _ in rows if change_id not in replaced)

    def _seen_of(self, entity_id: str) -> list[str]:
        """The latest changes of a thing: those no other change of it replaced (what a deletion saw)."""
        rows = [(r["id"], r["replaces"]) for r in self._rows if r["entity_id"] == entity_id]
        rows += [(change_id, replaces) for change_id, replaces in self._connection.execute(_OF_THING, {
            "walkthrough_id": self.walkthrough_id, "entity_id": entity_id})]
        replaced = {old for _, replaces in rows if replaces for old in replaces.split(",")}
        return sorted(change_id for change_id, _ in rows if change_id not in replaced)

    def _erase(self, entity_id: str) -> None:
        self.session.execute(
            update(ChangeRow)
            .where(ChangeRow.walkthrough_id == self.walkthrough_id,
                   (ChangeRow.entity_id == entity_id) | (ChangeRow.parent_id == entity_id))
            .values(value=None)
        )
        for row in self._rows:
            if entity_id in (row["entity_id"], row["parent_id"]):
                row["value"] = None

    def _erase_picture(self, photo_id: str) -> None:
        rows = self.session.execute(
            select(ChangeRow.id, ChangeRow.kind, ChangeRow.value)
            .where(ChangeRow.walkthrough_id == self.walkthrough_id, ChangeRow.entity_id == photo_id,
                   (ChangeRow.field == PICTURE) | (ChangeRow.kind == ChangeKind.CREATE.value))
        ).all()
        for change_id, kind, value in rows:
            if value is None:
                continue
            if kind == ChangeKind.CREATE.value:
                values = decode_value(value)
                values[PICTURE] = None
                new_value: str | None = encode_value(values)
            else:
                new_value = None
            self.session.execute(update(ChangeRow).where(ChangeRow.id == change_id).values(value=new_value))


# -- the values a create change holds --------------------------------------------------


def _timestamps(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in TIMESTAMPS}


def observation_values(record: ObservationRecord) -> dict[str, Any]:
    """An observation's ``create`` value (its photos are things of their own)."""
    return {**{name: getattr(record, name) for name in CREATE_FIELDS[Entity.OBSERVATION]}, **_timestamps(record)}


def photo_values(record: PhotoRecord, created_at: Any) -> dict[str, Any]:
    """A photo's ``create`` value (a photo has no ``updated_at``: its observation's moves instead)."""
    return {
        "observation_id": record.observation_id,
        "caption": record.caption,
        "alt_text": record.alt_text,
        "original_name": record.original_name,
        PICTURE: picture(record),
        "position": record.position,
        "created_at": created_at,
    }


def picture(record: PhotoRecord) -> dict[str, Any]:
    """A photo's ``picture`` value: which stored JPEG it is, and its size."""
    return {"sha256": record.sha256, "width": record.width, "height": record.height}


def action_values(record: ActionRecord) -> dict[str, Any]:
    """An action's ``create`` value (linked findings in the plan's order)."""
    return {**{name: getattr(record, name) for name in CREATE_FIELDS[Entity.ACTION]}, **_timestamps(record)}


def progress_update_values(record: ProgressUpdateRecord) -> dict[str, Any]:
    """A progress update's ``create`` value (made whole, never edited: ``created_at`` only)."""
    return {**{name: getattr(record, name) for name in CREATE_FIELDS[Entity.PROGRESS_UPDATE]},
            "created_at": record.created_at}


def walkthrough_values(record: WalkthroughRecord, team: Mapping[str, Any], lens_snapshot: str) -> dict[str, Any]:
    """A walkthrough's ``create`` value; ``team`` is its ``facilitators`` and ``participants`` as stored."""
    return {
        "service": record.service,
        "site": record.site,
        "visit_date": record.visit_date,
        "lens_id": record.lens.id,
        "lens_version": record.lens.version,
        "lens_title": record.lens.title,
        "lens_snapshot": lens_snapshot,
        **team,
        **_timestamps(record),
    }


# -- this device -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRecord:
    """This database's device: its id, the name people know it by, and who uses it."""

    id: str
    name: str
    person: str
    changes: int


def this_device(db: Database) -> DeviceRecord:
    """This database's device (made on first use)."""
    with db.sessions.begin() as session:
        row = _this_device_row(session)
        return DeviceRecord(row.id, row.name, row.person, row.last_seq)


def set_device(db: Database, *, name: str | None = None, person: str | None = None) -> DeviceRecord:
    """Name this device, or say who uses it (``None`` leaves it as it is; ``person`` may be emptied).

    Raises:
        EmptyValue: an empty device name.
        TooLong: a name longer than :data:`MAX_NAME_CHARS`.
    """
    with db.sessions.begin() as session:
        row = _this_device_row(session)
        if name is not None:
            row.name = _clean_name(name, "device name")
            if not row.name:
                raise EmptyValue("device name", "the device's name is empty")
        if person is not None:
            row.person = _clean_name(person, "person's name")
        return DeviceRecord(row.id, row.name, row.person, row.last_seq)


def start_as_new_device(db: Database) -> DeviceRecord:
    """Give this database a device id of its own again, keeping the name and the person.

    For a database whose history went back in time (a backup restored):
    its old id numbered changes that may have gone to other laptops in
    packages since, and the next change must not take one of those numbers.
    The old id stays, as another device whose changes these are.  A database
    with no device yet makes one, with a new id already.
    """
    with db.sessions.begin() as session:
        old = session.scalars(select(Device).where(Device.this_device.is_(True)).with_for_update()).first()
        if old is None:
            row = _this_device_row(session)
            return DeviceRecord(row.id, row.name, row.person, row.last_seq)
        old.this_device = False
        session.flush()
        new = Device(id=new_id(), name=old.name, person=old.person, this_device=True, last_seq=0,
                     last_clock=old.last_clock)
        session.add(new)
        session.flush()
        return DeviceRecord(new.id, new.name, new.person, new.last_seq)


def _clean_name(text: str, what: str) -> str:
    text = " ".join(clean_text(text).split())
    if len(text) > MAX_NAME_CHARS:
        raise TooLong(what, MAX_NAME_CHARS, f"the {what} is longer than {MAX_NAME_CHARS} characters")
    return text


def default_device_name() -> str:
    """The name a new device starts with: the computer's name."""
    return " ".join(clean_text(socket.gethostname()).split())[:MAX_NAME_CHARS] or "This computer"


def received(session: Session, latest: Clock) -> None:
    """Move this device's clock past ``latest``, a change that came in from elsewhere (a replay, a merge).

    What this device does next then sorts after it (:func:`walkthrough.domain.clock.receive`).
    """
    row = _this_device_row(session, for_update=True)
    last = Clock.parse(row.last_clock) if row.last_clock else None
    row.last_clock = receive(last, latest, now_micros()).text


def _this_device_row(session: Session, *, for_update: bool = False) -> Device:
    query = select(Device).where(Device.this_device.is_(True))
    row = session.scalars(query.with_for_update() if for_update else query).first()
    if row is None:
        row = Device(id=new_id(), name=default_device_name(), person="", this_device=True, last_seq=0)
        session.add(row)
        session.flush()
    return row


# -- reading -------------------------------------------------------------------------------


def list_history(db: Database, walkthrough_id: str, entity_id: str | None = None, *,
                 with_photos: bool = True) -> list[Change]:
    """A walkthrough's changes, newest first; or only those of one thing (and of its photos).

    Raises:
        NotFound: no change was ever recorded for that walkthrough (or thing).
    """
    with db.sessions.begin() as session:
        where = [ChangeRow.walkthrough_id == walkthrough_id]
        if entity_id is not None:
            if with_photos:
                where.append((ChangeRow.entity_id == entity_id) | (ChangeRow.parent_id == entity_id))
            else:
                where.append(ChangeRow.entity_id == entity_id)
        rows = session.execute(
            select(ChangeRow, Device.name, Device.person)
            .join(Device, Device.id == ChangeRow.device_id)
            .where(*where)
            .order_by(ChangeRow.clock.desc(), ChangeRow.device_id.desc(), ChangeRow.seq.desc())
        ).all()
        if not rows:
            if entity_id is not None:
                raise NotFound("thing", entity_id, "in this walkthrough's history")
            raise NotFound("walkthrough", walkthrough_id, "in the history")
        return [change_from_row(row, name, person) for row, name, person in rows]


def change_from_row(row: ChangeRow, device_name: str, person: str) -> Change:
    """A stored change as the domain knows it (its value decoded), with its device's name and person."""
    kind = ChangeKind(row.kind)
    erased = row.value is None and kind is not ChangeKind.DELETE
    return Change(
        id=row.id,
        device_id=row.device_id,
        device_name=device_name,
        person=person,
        seq=row.seq,
        clock=Clock.parse(row.clock),
        walkthrough_id=row.walkthrough_id,
        entity=Entity(row.entity),
        entity_id=row.entity_id,
        parent_id=row.parent_id,
        kind=kind,
        field=row.field,
        value=decode_value(row.value),
        erased=erased,
        replaces=tuple(row.replaces.split(",")) if row.replaces else (),
        operation=row.operation,
    )


def changes_of(session: Session, walkthrough_id: str,
               entity_ids: Iterable[str] | None = None) -> dict[str, list[Change]]:
    """The changes of a walkthrough's things (all, or those in ``entity_ids``), by thing, oldest first."""
    query = (select(ChangeRow, Device.name, Device.person)
             .join(Device, Device.id == ChangeRow.device_id)
             .where(ChangeRow.walkthrough_id == walkthrough_id)
             .order_by(ChangeRow.clock, ChangeRow.device_id, ChangeRow.seq))
    grouped: dict[str, list[Change]] = {}
    if entity_ids is None:
        rows = session.execute(query).all()
    else:
        ids = sorted(set(entity_ids))
        rows = [r for start in range(0, len(ids), 500)
                for r in session.execute(query.where(ChangeRow.entity_id.in_(ids[start:start + 500]))).all()]
    for row, name, person in rows:
        grouped.setdefault(row.entity_id, []).append(change_from_row(row, name, person))
    return grouped


def resolve_history_id(db: Database, id_or_prefix: str, *, walkthrough_id: str | None = None) -> str:
    """The one id in the history equal to, or starting with, ``id_or_prefix`` (4+ characters).

    Without ``walkthrough_id``, a walkthrough's id; with it, the id of a thing
    in that walkthrough (an observation, a photo, an action).  Deleted things
    are found too: their tombstones stay in the history.

    Raises:
        NotFound: none matches, or the prefix is too short.
        InvalidInput: more than one matches.
    """
    from walkthrough.services.walkthroughs import MIN_ID_PREFIX

    column = ChangeRow.walkthrough_id if walkthrough_id is None else ChangeRow.entity_id
    kind = "walkthrough" if walkthrough_id is None else "observation or action"
    where = [] if walkthrough_id is None else [ChangeRow.walkthrough_id == walkthrough_id]
    text = id_or_prefix.strip().lower()
    with db.sessions.begin() as session:
        if session.scalar(select(column).where(*where, column == text).limit(1)) is not None:
            return text
        if len(text) < MIN_ID_PREFIX:
            raise NotFound(kind, id_or_prefix, f"give at least {MIN_ID_PREFIX} characters of its id")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = session.scalars(
            select(column).distinct().where(*where, column.like(escaped + "%", escape="\\")).limit(2)
        ).all()
    if not matches:
        raise NotFound(kind, id_or_prefix, "none in the history" if walkthrough_id is None
                       else "none in this walkthrough's history")
    if len(matches) > 1:
        raise InvalidInput(f"more than one {kind} id starts with {id_or_prefix!r}; give more of it")
    return matches[0]
