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
picture's SHA-256 (from the photos already stored, or from a package), with
its thumbnail and print rendition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import PICTURE, stored_times, with_added_fields
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
    ProgressUpdate,
    Role,
    Service,
    Walkthrough,
    action_observation,
)
from walkthrough.domain.stored_photo import print_rendition_or_none
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority, Voice
from walkthrough.services.history import changes_of

__all__ = ["Pictures", "apply_history", "stored_pictures"]

#: A photo's stored JPEG, thumbnail and print rendition by the JPEG's SHA-256, or None when not at hand.
#: The print rendition is None only where it cannot be made (the JPEG does not decode).
Pictures = Callable[[str], "tuple[bytes, bytes, bytes | None] | None"]

_ORDER = (Entity.SERVICE, Entity.WALKTHROUGH, Entity.OBSERVATION, Entity.PHOTO, Entity.ACTION, Entity.PROGRESS_UPDATE)


def stored_pictures(session: Session) -> Pictures:
    """Pictures from the photos stored in ``session``'s database."""

    def find(sha256: str) -> tuple[bytes, bytes, bytes | None] | None:
        row = session.execute(select(Photo.jpeg, Photo.thumbnail, Photo.print_jpeg)
                              .where(Photo.sha256 == sha256).limit(1)).first()
        if row is None:
            return None
        return row[0], row[1], row[2] if row[2] is not None else print_rendition_or_none(row[0])

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
    rows = _Rows(session, kinds, folded)
    for kind in _ORDER:
        for entity_id, result in folded.items():
            if kinds[entity_id] is kind and not (kind is Entity.SERVICE and not result.exists):
                _WRITERS[kind](session, walkthrough_id, entity_id, result, times.get(entity_id), pictures, rows)
        session.flush()
    # A service goes after its walkthroughs have moved to the one it was merged into.
    for entity_id, result in folded.items():
        if kinds[entity_id] is Entity.SERVICE and not result.exists:
            _service(session, walkthrough_id, entity_id, result, None, pictures, rows)
    session.flush()
    if walkthrough_id not in grouped and walkthrough_id in times:
        # Its own changes were not read: rule 1 from the operations that were, never back.
        row = session.get(Walkthrough, walkthrough_id)
        if row is not None and times[walkthrough_id] > row.updated_at:
            row.updated_at = times[walkthrough_id]
    session.flush()
    return folded


class _Rows:
    """The stored rows of the things being written, each loaded once, in a few queries.

    Asking the session for them one at a time cost a query (and a flush of
    everything pending) per thing: most of bringing in a package of 1,000
    observations (benchmark "receive").  A thing not found here is new: its
    row is made without asking.  The rows are held here, so the session's
    weak identity map keeps them until the writing is done.
    """

    _MODELS = {Entity.SERVICE: Service, Entity.WALKTHROUGH: Walkthrough, Entity.OBSERVATION: Observation,
               Entity.PHOTO: Photo, Entity.ACTION: Action, Entity.PROGRESS_UPDATE: ProgressUpdate}
    #: The thing a kind of thing belongs to, loaded with it: (the field naming it, its model).
    _PARENTS = {Entity.PHOTO: ("observation_id", Observation), Entity.PROGRESS_UPDATE: ("action_id", Action)}

    def __init__(self, session: Session, kinds: dict[str, Entity], folded: dict[str, Folded]) -> None:
        wanted: dict[type, set[str]] = {model: set() for model in self._MODELS.values()}
        for entity_id, kind in kinds.items():
            wanted[self._MODELS[kind]].add(entity_id)
            if kind in self._PARENTS:
                field, parent_model = self._PARENTS[kind]
                parent = folded[entity_id].values.get(field)
                if isinstance(parent, str):
                    wanted[parent_model].add(parent)
        self._session = session
        self._held: dict[tuple[type, str], Any] = {}
        for model, ids in wanted.items():
            listed = sorted(ids)
            for start in range(0, len(listed), 500):
                for row in session.scalars(select(model).where(model.id.in_(listed[start:start + 500]))):
                    self._held[model, row.id] = row

    def get(self, model: type, entity_id: str | None) -> Any:
        """The thing's row, or None when it is not stored (a row deleted in this session is not)."""
        if entity_id is None:
            return None
        row = self._held.get((model, entity_id))
        return None if row is None or inspect(row).was_deleted or row in self._session.deleted else row

    def made(self, model: type, row: Any) -> None:
        self._held[model, row.id] = row

    def dropped(self, model: type, entity_id: str) -> None:
        self._held.pop((model, entity_id), None)


def _photos_of(session: Session, walkthrough_id: str, observation_ids: list[str]) -> set[str]:
    """The photos the history holds of these observations."""
    found: set[str] = set()
    wanted = sorted(observation_ids)
    for start in range(0, len(wanted), 500):
        found.update(session.scalars(select(ChangeRow.entity_id).distinct().where(
            ChangeRow.walkthrough_id == walkthrough_id, ChangeRow.parent_id.in_(wanted[start:start + 500]))))
    return found


def _row_to_write(session: Session, rows: _Rows, model: type, entity_id: str, alive: bool,
                  **made: object) -> Any:
    """The row to write a thing into (made, with ``made``'s columns, if missing), or None when the thing
    is not there any more (its row, if any, deleted)."""
    row = rows.get(model, entity_id)
    if not alive:
        if row is not None:
            session.delete(row)
            rows.dropped(model, entity_id)
        return None
    if row is None:
        row = model(id=entity_id, **made)
        session.add(row)
        rows.made(model, row)
    return row


def _stamp(result: Folded, time: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """Its ``created_at``, and its ``updated_at``: ``time`` (the rules of change_values), else as made."""
    created = dt.datetime.fromisoformat(result.values["created_at"])
    updated = time or dt.datetime.fromisoformat(result.values.get("updated_at") or result.values["created_at"])
    return created, updated


def _walkthrough(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                 time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    row = _row_to_write(session, rows, Walkthrough, entity_id, result.exists)
    if row is None:
        return
    v = result.values
    created, updated = _stamp(result, time)
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
                 time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    row = _row_to_write(session, rows, Observation, entity_id, result.exists, walkthrough_id=walkthrough_id)
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
           time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    row = rows.get(Photo, entity_id)
    v = result.values
    alive = result.exists and rows.get(Observation, v.get("observation_id")) is not None
    if not alive or v.get(PICTURE) is None:
        if row is not None:
            # By id, not through the row loaded before: the database may have taken the
            # photo with its observation already (ON DELETE CASCADE).
            session.expunge(row)
            session.execute(delete(Photo).where(Photo.id == entity_id))
            rows.dropped(Photo, entity_id)
        return
    picture = v[PICTURE]
    columns = {"observation_id": v["observation_id"], "caption": v["caption"], "alt_text": v["alt_text"],
               "original_name": v["original_name"],
               "position": v["position"], "sha256": picture["sha256"], "width": picture["width"],
               "height": picture["height"], "created_at": dt.datetime.fromisoformat(v["created_at"])}
    if row is None or row.sha256 != picture["sha256"]:
        pixels = pictures(picture["sha256"])
        if pixels is None:
            return  # waits for its pixels (a package that has them)
        # The pixels go straight to the database, not through the session,
        # which would hold every photo's bytes until the commit: memory must
        # not grow with the number of photos brought in (benchmark "receive").
        if row is None:
            session.execute(insert(Photo).values(id=entity_id, jpeg=pixels[0], thumbnail=pixels[1],
                                                 print_jpeg=pixels[2], **columns))
            return
        session.execute(update(Photo).where(Photo.id == entity_id)
                        .values(jpeg=pixels[0], thumbnail=pixels[1], print_jpeg=pixels[2]))
    for name, value in columns.items():
        setattr(row, name, value)


def _action(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
            time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    row = _row_to_write(session, rows, Action, entity_id, result.exists, walkthrough_id=walkthrough_id)
    if row is None:
        return
    v = with_added_fields(Entity.ACTION, result.values)
    created, updated = _stamp(result, time)
    row.text, row.owner = v["text"], v["owner"]
    row.lead, row.success_measure, row.mat_standards = v["lead"], v["success_measure"], tuple(v["mat_standards"])
    row.on_track = OnTrack(v["on_track"]) if v["on_track"] else None
    row.due_date = dt.date.fromisoformat(v["due_date"]) if v["due_date"] else None
    row.priority, row.status = Priority(v["priority"]), ActionStatus(v["status"])
    row.component_id, row.position = v["component_id"], v["position"]
    row.created_at, row.updated_at = created, updated
    if sorted(row.principle_ids) != sorted(v["principle_ids"]):
        row.principle_links = [ActionPrinciple(principle_id=p) for p in v["principle_ids"]]
    session.flush()
    wanted = [o for o in v["observation_ids"]
              if rows.get(Observation, o) is not None or session.get(Observation, o) is not None]
    have = list(session.scalars(select(action_observation.c.observation_id)
                                .where(action_observation.c.action_id == entity_id)))
    if sorted(have) != sorted(wanted):
        session.execute(delete(action_observation).where(action_observation.c.action_id == entity_id))
        for observation_id in wanted:
            session.execute(action_observation.insert().values(action_id=entity_id, observation_id=observation_id))


def _progress_update(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
                     time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    v = result.values
    alive = result.exists and rows.get(Action, v.get("action_id")) is not None
    row = _row_to_write(session, rows, ProgressUpdate, entity_id, alive)
    if row is None:
        return
    row.action_id, row.date = v["action_id"], dt.date.fromisoformat(v["date"])
    row.written_by, row.note = v["written_by"], v["note"]
    row.status, row.on_track = ActionStatus(v["status"]), OnTrack(v["on_track"]) if v["on_track"] else None
    row.created_at = dt.datetime.fromisoformat(v["created_at"])


def _service(session: Session, walkthrough_id: str, entity_id: str, result: Folded,
             time: dt.datetime | None, pictures: Pictures, rows: _Rows) -> None:
    row = _row_to_write(session, rows, Service, entity_id, result.exists)
    if row is None:
        return
    v = result.values
    row.name, row.organisation = v["name"], v["organisation"]
    row.created_at, row.updated_at = _stamp(result, time)


_WRITERS: dict[Entity, Callable[..., None]] = {
    Entity.SERVICE: _service,
    Entity.WALKTHROUGH: _walkthrough,
    Entity.OBSERVATION: _observation,
    Entity.PHOTO: _photo,
    Entity.ACTION: _action,
    Entity.PROGRESS_UPDATE: _progress_update,
}
