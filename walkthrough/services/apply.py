"""Make the stored rows what the change history says they are: the one way changes become rows.

After changes come in from another laptop (issue #14), or a person decides a
difference, each thing they touch is worked out again from all its changes
(:func:`walkthrough.domain.merge.fold`) and its rows are written to match:
made, changed or deleted, with its links, its team or its photos.  Run over
every thing of a walkthrough into an empty database
(:func:`walkthrough.services.replay.replay`), it rebuilds the walkthrough
from its history alone — the test that the history is complete.

The stored times are :func:`walkthrough.domain.change_values.stored_times`.
A photo's pixels are not in the history: ``pictures`` gives them by the
picture's SHA-256 (from the photos already stored, or from a package).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import PICTURE, stored_times
from walkthrough.domain.changes import Entity
from walkthrough.domain.models import Change as ChangeRow
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
    Walkthrough,
    action_observation,
)
from walkthrough.domain.vocabulary import ActionStatus, Priority, Voice
from walkthrough.services.history import changes_of

__all__ = ["Pictures", "apply_history", "stored_pictures"]

#: A photo's stored JPEG and thumbnail by the JPEG's SHA-256, or None when not at hand.
Pictures = Callable[[str], "tuple[bytes, bytes] | None"]

_ORDER = (Entity.WALKTHROUGH, Entity.OBSERVATION, Entity.PHOTO, Entity.ACTION)


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
    timed = [c for changes in grouped.values() for c in changes]
    if entity_ids is not None:
        # An observation's photos' changes move its time too (rule 3): read, not written.
        photos = _photos_of(session, walkthrough_id, [i for i, kind in kinds.items() if kind is Entity.OBSERVATION])
        if photos - grouped.keys():
            timed += [c for changes in changes_of(session, walkthrough_id, photos - grouped.keys()).values()
                      for c in changes]
    times = stored_times(timed)
    for kind in _ORDER:
        for entity_id, result in folded.items():
            if kinds[entity_id] is kind:
                _WRITERS[kind](session, walkthrough_id, entity_id, result, times.get(entity_id), pictures)
        session.flush()
    if walkthrough_id not in grouped and walkthrough_id in times:
        # Its own changes were not read: rule 1 from the operations that were, never back.
        row = session.get(Walkthrough, walkthrough_id)
        if row is not None and times[walkthrough_id] > row.updated_at:
            row.updated_at = times[walkthrough_id]
    session.flush()
    return folded


def _photos_of(session: Session, walkthrough_id: str, observation_ids: list[str]) -> set[str]:
    """The photos the history holds of these observations."""
    found: set[str] = set()
    wanted = sorted(observation_ids)
    for start in range(0, len(wanted), 500):
        found.update(session.scalars(select(ChangeRow.entity_id).distinct().where(
            ChangeRow.walkthrough_id == walkthrough_id, ChangeRow.parent_id.in_(wanted[start:start + 500]))))
    return found


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


def _stamp(result: Folded, time: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """Its ``created_at``, and its ``updated_at``: ``time`` (the rules of change_values), else as made."""
    created = dt.datetime.fromisoformat(result.values["created_at"])
    updated = time or dt.datetime.fromisoformat(result.values.get("updated_at") or result.values["created_at"])
    return created, updated


def _walkthrough(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                 time: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Walkthrough, entity_id, result.exists)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, time)
    row.service, row.site, row.visit_date = v["service"], v["site"], dt.date.fromisoformat(v["visit_date"])
    row.lens_id, row.lens_version, row.lens_title = v["lens_id"], v["lens_version"], v["lens_title"]
    row.lens_snapshot = v["lens_snapshot"]
    row.created_at, row.updated_at = created, updated
    if [[f.id, f.name] for f in row.facilitators] != v["facilitators"]:
        row.facilitators = [Facilitator(id=i, name=n, position=p) for p, (i, n) in enumerate(v["facilitators"])]
    if [[p.id, p.name, Role(p.role).value] for p in row.participants] != v["participants"]:
        row.participants = [Participant(id=i, name=n, role=Role(r), position=p)
                            for p, (i, n, r) in enumerate(v["participants"])]


def _observation(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                 time: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Observation, entity_id, result.exists, walkthrough_id=walkthrough_id)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, time)
    row.area_id, row.prompt_id, row.rating_id = v["area_id"], v["prompt_id"], v["rating_id"]
    row.note, row.voice, row.position = v["note"], Voice(v["voice"]), v["position"]
    row.created_at, row.updated_at = created, updated
    if sorted(row.principle_ids) != sorted(v["principle_ids"]):
        row.principle_links = [ObservationPrinciple(principle_id=p) for p in v["principle_ids"]]


def _photo(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
           time: dt.datetime | None, pictures: Pictures) -> None:
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
            time: dt.datetime | None, pictures: Pictures) -> None:
    row = _row_to_write(session, Action, entity_id, result.exists, walkthrough_id=walkthrough_id)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, time)
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


_WRITERS: dict[Entity, Callable[..., None]] = {
    Entity.WALKTHROUGH: _walkthrough,
    Entity.OBSERVATION: _observation,
    Entity.PHOTO: _photo,
    Entity.ACTION: _action,
}
