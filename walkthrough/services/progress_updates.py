"""Progress updates: dated notes on how an action is going, with its status and on-track then.

Adding an update that names a status (or an on-track) sets the action's too,
in the same transaction: one operation, one undo step.  The update keeps the
action's status and on-track as they were once it was added.  An update is
never edited; undo takes it back (and the action's status with it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import EmptyValue, NotFound
from walkthrough.domain.models import Action, ActionStatus, Device, OnTrack, ProgressUpdate, new_id
from walkthrough.domain.records import ProgressUpdateRecord
from walkthrough.services.history import Recorder, progress_update_values
from walkthrough.services.text_cleaning import clean_text
from walkthrough.storage.database import Database

__all__ = [
    "NOT_SAID",
    "NewProgressUpdate",
    "add_progress_update",
    "list_progress_updates",
    "put_back_progress_update",
    "take_back_progress_update",
]


class _NotSaid:
    def __repr__(self) -> str:
        return "NOT_SAID"


#: An update that says nothing about the action's on-track (``None`` clears it).
NOT_SAID: Any = _NotSaid()


@dataclass(frozen=True)
class NewProgressUpdate:
    """A progress update to add to an action.

    ``date`` defaults to today; ``written_by`` to the person of this device.
    ``status`` and ``on_track``, when given, become the action's.
    """

    note: str = ""
    date: dt.date | None = None
    written_by: str | None = None
    status: ActionStatus | None = None
    on_track: OnTrack | None | Any = NOT_SAID


def add_progress_update(db: Database, action_id: str, new: NewProgressUpdate) -> ProgressUpdateRecord:
    """Add a progress update to an action, and set the action's status and on-track to those it names.

    Raises:
        NotFound: no such action.
        EmptyValue: the update says nothing (no note, no status, no on-track).
    """
    note = clean_text(new.note).strip()
    if not note and new.status is None and new.on_track is NOT_SAID:
        raise EmptyValue("progress note", "the progress update says nothing: give a note, a status or an on-track")
    with db.sessions.begin() as session:
        action = _action(session, action_id)
        recorder = Recorder(session, action.walkthrough_id)
        _set_action(recorder, action, {"status": None if new.status is None else ActionStatus(new.status),
                                       "on_track": new.on_track})
        written_by = new.written_by if new.written_by is not None else _this_person(recorder)
        update = ProgressUpdate(
            id=new_id(), action_id=action_id, date=new.date or dt.date.today(),
            written_by=" ".join(clean_text(written_by).split()), note=note,
            status=action.status, on_track=action.on_track, created_at=recorder.now,
        )
        session.add(update)
        action.walkthrough.updated_at = recorder.now
        session.flush()
        record = progress_update_record(update)
        recorder.created(Entity.PROGRESS_UPDATE, record.id, progress_update_values(record), parent=action_id)
        recorder.finish()
        return record


def list_progress_updates(db: Database, action_id: str) -> list[ProgressUpdateRecord]:
    """An action's progress updates, oldest first (by date, then by when they were written).

    Raises:
        NotFound: no such action.
    """
    with db.sessions.begin() as session:
        return [progress_update_record(u) for u in _action(session, action_id).progress_updates]


def take_back_progress_update(db: Database, update_id: str, action_fields: Mapping[str, Any]) -> None:
    """Remove a progress update and give its action back ``action_fields`` (its status and on-track before): undo.

    Raises:
        NotFound: no such update (or its action went).
    """
    with db.sessions.begin() as session:
        update = session.get(ProgressUpdate, update_id)
        if update is None:
            raise NotFound("progress update", update_id)
        action = _action(session, update.action_id)
        recorder = Recorder(session, action.walkthrough_id)
        _set_action(recorder, action, action_fields)
        recorder.deleted(Entity.PROGRESS_UPDATE, update_id)
        session.delete(update)
        action.walkthrough.updated_at = recorder.now
        recorder.finish()


def put_back_progress_update(db: Database, record: ProgressUpdateRecord, action_fields: Mapping[str, Any]) -> None:
    """Make a progress update again with its id and fields, and set its action's ``action_fields``: redo.

    Raises:
        NotFound: its action went.
    """
    with db.sessions.begin() as session:
        action = _action(session, record.action_id)
        recorder = Recorder(session, action.walkthrough_id)
        _set_action(recorder, action, action_fields)
        session.add(ProgressUpdate(id=record.id, action_id=record.action_id, date=record.date,
                                   written_by=record.written_by, note=record.note, status=record.status,
                                   on_track=record.on_track, created_at=record.created_at))
        action.walkthrough.updated_at = recorder.now
        session.flush()
        recorder.created(Entity.PROGRESS_UPDATE, record.id, progress_update_values(record), parent=record.action_id,
                         again=True)
        recorder.finish()


def progress_update_record(u: ProgressUpdate) -> ProgressUpdateRecord:
    """Snapshot of a progress update row."""
    return ProgressUpdateRecord(id=u.id, action_id=u.action_id, date=u.date, written_by=u.written_by, note=u.note,
                                status=u.status, on_track=u.on_track, created_at=u.created_at)


def _set_action(recorder: Recorder, action: Action, fields: Mapping[str, Any]) -> None:
    """Set the action's status and on-track where ``fields`` names them (``None`` status, NOT_SAID: left)."""
    changed = False
    status = fields.get("status")
    if status is not None and action.status != ActionStatus(status):
        action.status = ActionStatus(status)
        recorder.set(Entity.ACTION, action.id, "status", action.status)
        changed = True
    on_track = fields.get("on_track", NOT_SAID)
    if on_track is not NOT_SAID:
        value = None if on_track is None else OnTrack(on_track)
        if action.on_track != value:
            action.on_track = value
            recorder.set(Entity.ACTION, action.id, "on_track", value)
            changed = True
    if changed:
        action.updated_at = recorder.now


def _this_person(recorder: Recorder) -> str:
    device = recorder.session.get(Device, recorder.device_id)
    return device.person if device is not None else ""


def _action(session: Session, action_id: str) -> Action:
    action = session.scalar(select(Action).where(Action.id == action_id)
                            .options(selectinload(Action.progress_updates)))
    if action is None:
        raise NotFound("action", action_id)
    return action
