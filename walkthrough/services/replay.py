"""Replaying the change history: the rows rebuilt from the changes alone.

:func:`replay` reads one database's change history and applies it to
another, empty, database of the same schema.  The target then holds the same
walkthroughs, teams, observations and their principles, photos and plans, row
for row and time for time, and the same history: the change rows and their
devices are copied as they are (the devices as devices whose changes came
in, not as the target's own).  That the result equals the source is what
shows the history is complete; :class:`ChangeApplier`, which does the
applying, is what bringing the changes of several laptops together builds on.

How the changes are applied
---------------------------
In clock order (clock, then device, then sequence number: on one device the
order they were made in), one operation at a time:

- ``create`` inserts the thing with the fields its value holds
  (:data:`~walkthrough.domain.change_values.CREATE_FIELDS` and its times):
  a walkthrough with its facilitators and participants (ids and order as
  recorded), an observation or an action with its principles, an action with
  the findings it answers.
- ``set`` stores one field.  A walkthrough's ``facilitators`` or
  ``participants`` replace the whole list; an action's ``observation_ids``
  its findings; a photo's ``picture`` its pixels.
- ``link`` / ``unlink`` add or remove one principle, or one finding of an
  action.
- A service's changes are kept under the service's own id; replaying one
  walkthrough replays the history of every service it was filed under too.
  A walkthrough's ``service_id`` or ``follows_id`` naming a thing deleted
  since (its making erased) is stored empty, as the database left it.
- ``delete`` deletes the thing with everything that belongs to it (the
  database's cascades: an observation's photos, principles and links).
- A change whose content was erased is not applied: its thing was deleted
  later, so the replay never makes it (and its ``delete`` finds nothing to
  delete), or it is a photo's earlier ``picture``, replaced by a blur.  A link
  to a finding that is not there is skipped for the same reason: that
  finding was deleted later, which removed the link in the source too.
- A photo's pixels are not history: its ``picture`` names them
  (``{"sha256", "width", "height"}``) and ``pictures`` gives them, from the
  source database's photo rows by default.  A photo whose ``create`` lost its
  picture to a later blur waits, unstored, for the ``picture`` that replaced it.
- The stored times follow rules 1-3 of :mod:`walkthrough.domain.change_values`,
  applied at the end of each operation with the operation's time (the wall
  time of its first change's clock); erased changes count for them too.
  Nothing takes the computer's clock: updates name ``updated_at`` themselves
  so that the models' ``onupdate`` never fires.

SQLAlchemy only (no engine-specific SQL): it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Enum, delete, insert, select, update
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import (
    Action,
    ActionPrinciple,
    Base,
    Device,
    Facilitator,
    Observation,
    ObservationPrinciple,
    Participant,
    Photo,
    Role,
    Service,
    UTCDateTime,
    Walkthrough,
    action_observation,
    new_id,
)
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.services.history import change_from_row, received
from walkthrough.storage.database import Database

__all__ = ["ChangeApplier", "Pictures", "Replayed", "pictures_from", "replay"]

#: Gives a photo's stored JPEG and thumbnail: ``pictures(photo_id, sha256) -> (jpeg, thumbnail)``.
#: Raises :class:`~walkthrough.domain.errors.NotFound` when it does not hold that picture.
Pictures = Callable[[str, str], tuple[bytes, bytes]]

_MODELS: dict[Entity, type[Base]] = {
    Entity.WALKTHROUGH: Walkthrough,
    Entity.OBSERVATION: Observation,
    Entity.PHOTO: Photo,
    Entity.ACTION: Action,
    Entity.SERVICE: Service,
}
_TEAM = {"facilitators": Facilitator, "participants": Participant}
#: A walkthrough's fields that name another thing, which may have been deleted since.
_POINTERS: dict[str, Any] = {"service_id": Service, "follows_id": Walkthrough}


@dataclass(frozen=True)
class Replayed:
    """What a replay did: the changes copied, and how many of them were applied (the others were erased)."""

    changes: int
    applied: int


def pictures_from(db: Database) -> Pictures:
    """Pictures read from ``db``'s photo rows: a photo's pixels, if it holds that picture now."""

    def pixels(photo_id: str, sha256: str) -> tuple[bytes, bytes]:
        with db.sessions.begin() as session:
            row = session.execute(
                select(Photo.jpeg, Photo.thumbnail).where(Photo.id == photo_id, Photo.sha256 == sha256)
            ).first()
        if row is None:
            raise NotFound("picture", sha256, f"photo {photo_id} does not hold it")
        return row[0], row[1]

    return pixels


def replay(source: Database, target: Database, *, walkthrough_id: str | None = None,
           pictures: Pictures | None = None) -> Replayed:
    """Rebuild ``source``'s walkthroughs (or only ``walkthrough_id``) in ``target`` from the change history alone.

    ``target`` must not hold what is replayed (any walkthrough or change, or
    that walkthrough's); everything is stored in one transaction, or nothing.
    ``pictures`` gives the photos' pixels; by default ``source``'s photo rows.

    Raises:
        InvalidInput: ``target`` already holds walkthroughs or changes (or that walkthrough).
        NotFound: no change of ``walkthrough_id`` in ``source``'s history; or a picture
            ``pictures`` does not have.
    """
    rows, devices = _read_history(source, walkthrough_id)
    with target.sessions.begin() as session:
        _check_empty(session, walkthrough_id)
        _tell_devices_apart(session, {d["id"] for d in devices})
        known = set(session.scalars(select(Device.id)))
        new_devices = [{**d, "this_device": False} for d in devices if d["id"] not in known]
        if new_devices:
            session.execute(insert(Device), new_devices)
        if walkthrough_id is not None:
            # Its service may be here already, with another of its walkthroughs.
            ids = [raw["id"] for raw, _ in rows]
            here = {i for start in range(0, len(ids), 500)
                    for i in session.scalars(select(ChangeRow.id).where(ChangeRow.id.in_(ids[start:start + 500])))}
            rows = [(raw, change) for raw, change in rows if raw["id"] not in here]
        for start in range(0, len(rows), 5000):
            session.execute(insert(ChangeRow), [raw for raw, _ in rows[start:start + 5000]])
        applier = ChangeApplier(session, pictures or pictures_from(source))
        applied = applier.apply(change for _, change in rows)
        applier.finish()
        if rows:
            received(session, max(change.clock for _, change in rows))
    return Replayed(changes=len(rows), applied=applied)


def _read_history(source: Database, walkthrough_id: str | None) -> tuple[list[tuple[dict[str, Any], Change]],
                                                                       list[dict[str, Any]]]:
    """The change rows as stored and as changes, in clock order, and the devices that made them."""
    columns = [c.key for c in ChangeRow.__table__.columns]
    device_columns = [c.key for c in Device.__table__.columns]
    with source.sessions.begin() as session:
        query = select(ChangeRow, Device).join(Device, Device.id == ChangeRow.device_id)
        if walkthrough_id is not None:
            # With the history of every service it was filed under (kept under the service's id).
            services = {s for s in session.scalars(select(ChangeRow.value).where(
                ChangeRow.walkthrough_id == walkthrough_id, ChangeRow.entity_id == walkthrough_id,
                ChangeRow.field == "service_id", ChangeRow.value.is_not(None))) if s != "null"}
            scopes = {walkthrough_id, *(json.loads(s) for s in services)}
            query = query.where(ChangeRow.walkthrough_id.in_(sorted(scopes)))
        rows: list[tuple[dict[str, Any], Change]] = []
        devices: dict[str, dict[str, Any]] = {}
        for row, device in session.execute(query.order_by(ChangeRow.clock, ChangeRow.device_id, ChangeRow.seq)):
            rows.append(({name: getattr(row, name) for name in columns}, change_from_row(row, device.name,
                                                                                          device.person)))
            devices.setdefault(device.id, {name: getattr(device, name) for name in device_columns})
    if walkthrough_id is not None and not rows:
        raise NotFound("walkthrough", walkthrough_id, "in the history")
    return rows, list(devices.values())


def _check_empty(session: Session, walkthrough_id: str | None) -> None:
    if walkthrough_id is None:
        held = session.scalar(select(Walkthrough.id).limit(1)) or session.scalar(select(ChangeRow.id).limit(1))
        if held is not None:
            raise InvalidInput("the database to replay into already holds walkthroughs or changes; give an empty one")
        return
    held = session.scalar(select(Walkthrough.id).where(Walkthrough.id == walkthrough_id)) or session.scalar(
        select(ChangeRow.id).where(ChangeRow.walkthrough_id == walkthrough_id).limit(1))
    if held is not None:
        raise InvalidInput(f"the database to replay into already holds walkthrough {walkthrough_id}")


def _tell_devices_apart(session: Session, incoming: set[str]) -> None:
    """Give the target's own device a new id if it is one of the devices replayed (a copy of the same file).

    It has made no change yet (an empty database), so nothing refers to its
    id; with the source's id it would number its next change as one the
    history already holds.

    Raises:
        InvalidInput: the target's own device has made changes and is one of those replayed.
    """
    own = session.scalar(select(Device.id).where(Device.this_device.is_(True)))
    if own is None or own not in incoming:
        return
    if session.scalar(select(ChangeRow.id).where(ChangeRow.device_id == own).limit(1)) is not None:
        raise InvalidInput("the database to replay into is a copy of the one replayed from (the same device); "
                           "give an empty one")
    session.execute(update(Device).where(Device.id == own).values(id=new_id())
                    .execution_options(synchronize_session=False))


class ChangeApplier:
    """Applies changes, one operation at a time, to the rows of ``session``'s database (see the module's rules).

    It records nothing: the changes it applies are history already.  Call
    :meth:`finish` once every change is applied.
    """

    def __init__(self, session: Session, pictures: Pictures) -> None:
        self.session = session
        self.pictures = pictures
        #: photos made with a picture erased since (blurred later): photo id -> (walkthrough id, fields)
        self._waiting: dict[str, tuple[str, dict[str, Any]]] = {}

    def apply(self, changes: Iterable[Change]) -> int:
        """Apply ``changes``, in the order given (clock order); returns how many were applied (not erased)."""
        applied = 0
        for _, operation in itertools.groupby(changes, key=lambda c: (c.device_id, c.operation)):
            applied += self.apply_operation(list(operation))
        return applied

    def apply_operation(self, changes: Sequence[Change]) -> int:
        """Apply the changes of one operation, then its times (rules 1-3); returns how many were applied."""
        applied = 0
        for change in changes:
            if change.erased:
                continue
            self._apply(change)
            applied += 1
        if changes:
            self._keep_times(changes, changes[0].clock)
        return applied

    def finish(self) -> None:
        """Check that every photo got its picture.

        Raises:
            NotFound: a photo whose picture the history never named (it was erased, and nothing replaced it).
        """
        if self._waiting:
            raise NotFound("picture", next(iter(self._waiting)), "the history holds no picture of that photo")

    # -- one change --------------------------------------------------------------------------------

    def _apply(self, change: Change) -> None:
        if change.kind is ChangeKind.CREATE:
            self._create(change)
        elif change.kind is ChangeKind.SET:
            self._set(change)
        elif change.kind in (ChangeKind.LINK, ChangeKind.UNLINK):
            self._link(change, change.kind is ChangeKind.LINK)
        else:
            self._delete(change)

    def _create(self, change: Change) -> None:
        values = dict(change.value)
        entity, thing = change.entity, change.entity_id
        if entity is Entity.SERVICE:
            self._insert(Service, id=thing, **values)
        elif entity is Entity.WALKTHROUGH:
            team = {name: values.pop(name) for name in _TEAM}
            self._insert(Walkthrough, id=thing, **values)
            for name, members in team.items():
                self._set_team(thing, name, members)
        elif entity is Entity.OBSERVATION:
            principles = values.pop("principle_ids")
            self._insert(Observation, id=thing, walkthrough_id=change.walkthrough_id, **values)
            self._link_principles(ObservationPrinciple, "observation_id", thing, principles)
        elif entity is Entity.PHOTO:
            picture = values.pop(PICTURE)
            if picture is None:  # erased by a later blur: stored when its new picture comes
                self._waiting[thing] = (change.walkthrough_id, values)
            else:
                self._insert_photo(thing, values, picture)
        else:
            principles, findings = values.pop("principle_ids"), values.pop("observation_ids")
            self._insert(Action, id=thing, walkthrough_id=change.walkthrough_id, **values)
            self._link_principles(ActionPrinciple, "action_id", thing, principles)
            self._link_findings(thing, findings)

    def _set(self, change: Change) -> None:
        entity, thing, name, value = change.entity, change.entity_id, change.field, change.value
        assert name is not None
        if entity is Entity.WALKTHROUGH and name in _TEAM:
            self._set_team(thing, name, value)
        elif entity is Entity.PHOTO and thing in self._waiting:
            if name == PICTURE:
                _, values = self._waiting.pop(thing)
                self._insert_photo(thing, values, value)
            else:
                self._waiting[thing][1][name] = value
        elif entity is Entity.PHOTO and name == PICTURE:
            jpeg, thumbnail = self.pictures(thing, value["sha256"])
            self._update(Photo, thing, sha256=value["sha256"], width=value["width"], height=value["height"],
                         jpeg=jpeg, thumbnail=thumbnail)
        elif entity is Entity.WALKTHROUGH and name in _POINTERS and value is not None \
                and self.session.scalar(select(_POINTERS[name].id).where(_POINTERS[name].id == value)) is None:
            # A walk followed up that was deleted later (its making erased): the database forgot it too.
            self._update(Walkthrough, thing, **{name: None})
        elif entity is Entity.ACTION and name == "observation_ids":
            self.session.execute(delete(action_observation).where(action_observation.c.action_id == thing))
            self._link_findings(thing, value)
        else:
            self._update(_MODELS[entity], thing, **{name: value})

    def _link(self, change: Change, add: bool) -> None:
        thing, target = change.entity_id, change.value
        if change.field == "observation_ids":
            if add:
                self._link_findings(thing, [target])
            else:
                self.session.execute(delete(action_observation).where(
                    action_observation.c.action_id == thing, action_observation.c.observation_id == target))
            return
        model, key = ((ObservationPrinciple, "observation_id") if change.entity is Entity.OBSERVATION
                      else (ActionPrinciple, "action_id"))
        if add:
            self._link_principles(model, key, thing, [target])
        else:
            self.session.execute(delete(model).where(getattr(model, key) == thing, model.principle_id == target))

    def _delete(self, change: Change) -> None:
        thing = change.entity_id
        model = _MODELS[change.entity]
        # The database's cascades delete what belongs to it; a thing never made (erased) is simply not there.
        self.session.execute(delete(model).where(model.id == thing))  # type: ignore[attr-defined]
        if change.entity is Entity.WALKTHROUGH:
            self._forget_waiting(lambda walkthrough_id, _: walkthrough_id == thing)
        elif change.entity is Entity.OBSERVATION:
            self._forget_waiting(lambda _, values: values["observation_id"] == thing)
        else:
            self._waiting.pop(thing, None)

    # -- the times (rules 1-3 of walkthrough.domain.change_values) --------------------------------------

    def _keep_times(self, changes: Sequence[Change], clock: Clock) -> None:
        time = clock.time
        made = {c.entity_id for c in changes if c.kind is ChangeKind.CREATE and c.entity is Entity.OBSERVATION}
        edited = {(c.entity, c.entity_id) for c in changes
                  if c.entity in (Entity.OBSERVATION, Entity.ACTION, Entity.SERVICE)
                  and c.kind in (ChangeKind.SET, ChangeKind.LINK, ChangeKind.UNLINK)}
        # Rule 3: a photo's change moves its observation, unless that was made by this operation.
        edited |= {(Entity.OBSERVATION, c.parent_id) for c in changes
                   if c.entity is Entity.PHOTO and c.parent_id is not None and c.parent_id not in made}
        for entity, thing in sorted(edited):
            model = _MODELS[entity]
            self.session.execute(update(model).where(model.id == thing)  # type: ignore[attr-defined]
                                 .values(updated_at=time).execution_options(synchronize_session=False))
        # Rule 1, never back.  Compared here, not in SQL: how an engine compares stored times is its own.
        for walkthrough_id in sorted({c.walkthrough_id for c in changes if c.entity is not Entity.SERVICE}):
            stored = self.session.scalar(select(Walkthrough.updated_at).where(Walkthrough.id == walkthrough_id))
            if stored is not None and stored < time:
                self.session.execute(update(Walkthrough).where(Walkthrough.id == walkthrough_id)
                                     .values(updated_at=time).execution_options(synchronize_session=False))

    # -- rows ----------------------------------------------------------------------------------

    def _insert(self, model: type[Base], **values: Any) -> None:
        self.session.execute(insert(model).values(**_columns(model, values)))

    def _update(self, model: type[Base], thing: str, **values: Any) -> None:
        columns = _columns(model, values)
        if "updated_at" in model.__table__.c and "updated_at" not in columns:
            # Kept as it is: the time rules move it, never the computer's clock (the model's onupdate).
            columns["updated_at"] = model.__table__.c.updated_at
        self.session.execute(update(model).where(model.id == thing)  # type: ignore[attr-defined]
                             .values(**columns).execution_options(synchronize_session=False))

    def _insert_photo(self, photo_id: str, values: Mapping[str, Any], picture: Mapping[str, Any]) -> None:
        jpeg, thumbnail = self.pictures(photo_id, picture["sha256"])
        self._insert(Photo, id=photo_id, **values, sha256=picture["sha256"], width=picture["width"],
                     height=picture["height"], jpeg=jpeg, thumbnail=thumbnail)

    def _set_team(self, walkthrough_id: str, name: str, members: Sequence[Sequence[str]]) -> None:
        model = _TEAM[name]
        self.session.execute(delete(model).where(model.walkthrough_id == walkthrough_id))
        rows = [{"id": member[0], "walkthrough_id": walkthrough_id, "name": member[1], "position": position,
                 **({"role": Role(member[2])} if model is Participant else {})}
                for position, member in enumerate(members)]
        if rows:
            self.session.execute(insert(model), rows)

    def _link_principles(self, model: type[Base], key: str, thing: str, principle_ids: Iterable[str]) -> None:
        rows = [{key: thing, "principle_id": p} for p in principle_ids]
        if rows:
            self.session.execute(insert(model), rows)

    def _link_findings(self, action_id: str, observation_ids: Sequence[str]) -> None:
        """Link an action to those of ``observation_ids`` that are there (the others were deleted later)."""
        wanted = list(dict.fromkeys(observation_ids))
        if not wanted:
            return
        there = set(self.session.scalars(select(Observation.id).where(Observation.id.in_(wanted))))
        linked = set(self.session.scalars(select(action_observation.c.observation_id).where(
            action_observation.c.action_id == action_id, action_observation.c.observation_id.in_(wanted))))
        rows = [{"action_id": action_id, "observation_id": o} for o in wanted if o in there and o not in linked]
        if rows:
            self.session.execute(insert(action_observation), rows)

    def _forget_waiting(self, gone: Callable[[str, dict[str, Any]], bool]) -> None:
        for photo_id in [p for p, (w, values) in self._waiting.items() if gone(w, values)]:
            del self._waiting[photo_id]


def _columns(model: type[Base], values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the history holds them (JSON: dates and times as ISO text, enums as their text) as the columns take them."""
    table = model.__table__
    return {name: _from_json(table.c[name].type, value) for name, value in values.items()}


def _from_json(column_type: Any, value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if isinstance(column_type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    return value
