"""Make the stored rows what the change history says they are.

After changes come in from another laptop (issue #14), each thing they touch
is worked out again from all its changes (:func:`walkthrough.domain.merge.fold`)
and its rows are written to match: made, changed or deleted, with its links,
its team or its photos.  Run over every thing of a walkthrough into an empty
database, it rebuilds the walkthrough from its history alone — the test that
the history is complete.

The stored times follow the rules in :mod:`walkthrough.domain.change_values`.
A photo's pixels are not in the history: ``pictures`` gives them by the
picture's SHA-256 (from the photos already stored, or from a package).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.merge import Folded, fold
from walkthrough.domain.models import (
    Action,
    ActionPrinciple,
    Facilitator,
    Observation,
    ObservationPrinciple,
    Participant,
    Photo,
    Role,
    Service,
    Walkthrough,
    action_observation,
)
from walkthrough.domain.vocabulary import ActionStatus, Priority, Voice
from walkthrough.services.history import changes_of

__all__ = ["Pictures", "apply_history", "stored_pictures"]

#: A photo's stored JPEG and thumbnail by the JPEG's SHA-256, or None when not at hand.
Pictures = Callable[[str], "tuple[bytes, bytes] | None"]

_ORDER = (Entity.SERVICE, Entity.WALKTHROUGH, Entity.OBSERVATION, Entity.PHOTO, Entity.ACTION)


def stored_pictures(session: Session) -> Pictures:
    """Pictures from the photos stored in ``session``'s database."""

    def find(sha256: str) -> tuple[bytes, bytes] | None:
        row = session.execute(select(Photo.jpeg, Photo.thumbnail).where(Photo.sha256 == sha256).limit(1)).first()
        return None if row is None else (row[0], row[1])

    return find


def apply_history(session: Session, walkthrough_id: str, pictures: Pictures,
                  entity_ids: Iterable[str] | None = None) -> dict[str, Folded]:
    """Write the rows of the things in ``entity_ids`` (default: all of the walkthrough) as their changes make them.

    Returns each thing's fold, by id (its differences to decide, the
    changes still waiting).
    """
    grouped = changes_of(session, walkthrough_id, entity_ids)
    folded = {entity_id: fold(changes) for entity_id, changes in grouped.items()}
    kinds = {entity_id: changes[0].entity for entity_id, changes in grouped.items()}
    times = _times(grouped)
    for kind in _ORDER:
        for entity_id, result in folded.items():
            if kinds[entity_id] is kind and not (kind is Entity.SERVICE and not result.exists):
                _WRITERS[kind](session, walkthrough_id, entity_id, result, times.get(entity_id), pictures)
        session.flush()
    # A service goes after its walkthroughs have moved to the one it was merged into.
    for entity_id, result in folded.items():
        if kinds[entity_id] is Entity.SERVICE and not result.exists:
            _service(session, walkthrough_id, entity_id, result, None, pictures)
    session.flush()
    if any(f.exists for f in folded.values()) or Entity.WALKTHROUGH not in kinds.values():
        row = session.get(Walkthrough, walkthrough_id)
        latest = max((c.time for changes in grouped.values() for c in changes), default=None)
        if row is not None and latest is not None and latest > row.updated_at:
            row.updated_at = latest  # rule 1: every change in a walkthrough moves it
    session.flush()
    return folded


def _times(grouped: dict[str, list[Change]]) -> dict[str, dt.datetime]:
    """Each thing's last-changed time by the rules of change_values (2 and 3), where changes set it."""
    times: dict[str, dt.datetime] = {}
    creates: dict[str, tuple[str, int]] = {}
    for entity_id, changes in grouped.items():
        for c in changes:
            if c.kind is ChangeKind.CREATE:
                creates[entity_id] = (c.device_id, c.operation)
            elif c.kind in (ChangeKind.SET, ChangeKind.LINK, ChangeKind.UNLINK) and c.entity is not Entity.PHOTO:
                times[entity_id] = max(times.get(entity_id, c.time), c.time)
    for entity_id, changes in grouped.items():
        for c in changes:
            if c.entity is Entity.PHOTO and c.parent_id is not None:
                if creates.get(c.parent_id) != (c.device_id, c.operation):
                    times[c.parent_id] = max(times.get(c.parent_id, c.time), c.time)
    return times


def _row_to_write(session: Session, model: type, entity_id: str, alive: bool, **made: object) -> Any:
    """The row to write a thing into (made, with ``made``'s columns, if missing), or None when the thing
    is not there any more (its row, if any, deleted)."""
    row = session.get(model, entity_id)
    if not alive:
        if row is not None:
            session.delete(row)
        return None
    if row is None:
        row = model(id=entity_id, **made)
        session.add(row)
    return row


def _stamp(result: Folded, later: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    created = dt.datetime.fromisoformat(result.values["created_at"])
    updated = dt.datetime.fromisoformat(result.values.get("updated_at") or result.values["created_at"])
    if later is not None and later > updated:
        updated = later
    return created, updated


def _walkthrough(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                 later: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Walkthrough, entity_id, result.exists)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, later)
    row.service, row.site, row.visit_date = v["service"], v["site"], dt.date.fromisoformat(v["visit_date"])
    row.lens_id, row.lens_version, row.lens_title = v["lens_id"], v["lens_version"], v["lens_title"]
    row.lens_snapshot = v["lens_snapshot"]
    # Each only if it is here (a service or walk another laptop has and this one was not sent).
    service_id, follows_id = v.get("service_id"), v.get("follows_id")
    row.service_id = service_id if service_id and session.get(Service, service_id) is not None else None
    row.follows_id = follows_id if follows_id and session.get(Walkthrough, follows_id) is not None else None
    row.created_at, row.updated_at = created, updated
    if [[f.id, f.name] for f in row.facilitators] != v["facilitators"]:
        row.facilitators = [Facilitator(id=i, name=n, position=p) for p, (i, n) in enumerate(v["facilitators"])]
    if [[p.id, p.name, Role(p.role).value] for p in row.participants] != v["participants"]:
        row.participants = [Participant(id=i, name=n, role=Role(r), position=p)
                            for p, (i, n, r) in enumerate(v["participants"])]


def _observation(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                 later: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Observation, entity_id, result.exists, walkthrough_id=walkthrough_id)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, later)
    row.area_id, row.prompt_id, row.rating_id = v["area_id"], v["prompt_id"], v["rating_id"]
    row.note, row.voice, row.position = v["note"], Voice(v["voice"]), v["position"]
    row.created_at, row.updated_at = created, updated
    if sorted(row.principle_ids) != sorted(v["principle_ids"]):
        row.principle_links = [ObservationPrinciple(principle_id=p) for p in v["principle_ids"]]


def _photo(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
           later: dt.datetime | None, pictures: Pictures) -> None:
    row = session.get(Photo, entity_id)
    v = result.values
    alive = result.exists and session.get(Observation, v.get("observation_id")) is not None
    if not alive or v.get(PICTURE) is None:
        if row is not None:
            session.delete(row)
        return
    picture = v[PICTURE]
    if row is None or row.sha256 != picture["sha256"]:
        pixels = pictures(picture["sha256"])
        if pixels is None:
            return  # waits for its pixels (a package that has them)
        if row is None:
            row = Photo(id=entity_id)
            session.add(row)
        row.jpeg, row.thumbnail = pixels
    row.observation_id = v["observation_id"]
    row.caption, row.original_name, row.position = v["caption"], v["original_name"], v["position"]
    row.sha256, row.width, row.height = picture["sha256"], picture["width"], picture["height"]
    row.created_at = dt.datetime.fromisoformat(v["created_at"])


def _action(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
            later: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Action, entity_id, result.exists, walkthrough_id=walkthrough_id)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, later)
    row.text, row.owner = v["text"], v["owner"]
    row.due_date = dt.date.fromisoformat(v["due_date"]) if v["due_date"] else None
    row.priority, row.status = Priority(v["priority"]), ActionStatus(v["status"])
    row.component_id, row.position = v["component_id"], v["position"]
    row.created_at, row.updated_at = created, updated
    if sorted(row.principle_ids) != sorted(v["principle_ids"]):
        row.principle_links = [ActionPrinciple(principle_id=p) for p in v["principle_ids"]]
    session.flush()
    wanted = [o for o in v["observation_ids"] if session.get(Observation, o) is not None]
    have = list(session.scalars(select(action_observation.c.observation_id)
                                .where(action_observation.c.action_id == entity_id)))
    if sorted(have) != sorted(wanted):
        session.execute(delete(action_observation).where(action_observation.c.action_id == entity_id))
        for observation_id in wanted:
            session.execute(action_observation.insert().values(action_id=entity_id, observation_id=observation_id))


def _service(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
             later: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Service, entity_id, result.exists)
    if row is None:
        return
    v = result.values
    row.name, row.organisation = v["name"], v["organisation"]
    row.created_at, row.updated_at = _stamp(result, later)


_WRITERS: dict[Entity, Callable[..., None]] = {
    Entity.SERVICE: _service,
    Entity.WALKTHROUGH: _walkthrough,
    Entity.OBSERVATION: _observation,
    Entity.PHOTO: _photo,
    Entity.ACTION: _action,
}
