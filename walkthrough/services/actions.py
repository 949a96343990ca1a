"""The improvement plan: actions that answer the findings.

An action names what will be done, by whom and by when, the principles it
serves, the core component it belongs to (organisational culture, leadership,
… — the lens's list), and the findings (observations) it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from walkthrough.domain.errors import EmptyValue, NotFound, UnknownValue
from walkthrough.domain.improvement_plan import check_mat_standards
from walkthrough.domain.lens import Lens
from walkthrough.domain.changes import Entity
from walkthrough.domain.models import (
    Action,
    ActionPrinciple,
    ActionStatus,
    Observation,
    OnTrack,
    Priority,
    ProgressUpdate,
    new_id,
)
from walkthrough.domain.records import ActionRecord, ProgressUpdateRecord
from walkthrough.services.history import Recorder, action_values, progress_update_values
from walkthrough.services.text_cleaning import clean_text
from walkthrough.services.walkthroughs import action_record, lens_from_snapshot, load_walkthrough_row, resolve_id_prefix
from walkthrough.storage.database import Database


@dataclass(frozen=True)
class NewAction:
    """An action to add to a walkthrough's improvement plan."""

    text: str
    owner: str = ""
    due_date: dt.date | None = None
    priority: Priority = Priority.MEDIUM
    status: ActionStatus = ActionStatus.NOT_STARTED
    component_id: str | None = None
    principle_ids: tuple[str, ...] = ()
    observation_ids: tuple[str, ...] = ()
    #: the accountable lead (the owner does the work)
    lead: str = ""
    on_track: OnTrack | None = None
    #: "how we'll know"
    success_measure: str = ""
    #: MAT standards 1-10
    mat_standards: tuple[int, ...] = ()


_UNSET = object()


def add_action(db: Database, walkthrough_id: str, new: NewAction) -> ActionRecord:
    """Add an action to the improvement plan.

    Raises:
        NotFound: no such walkthrough, or a linked observation is not in it.
        InvalidInput: empty text, or a component or principle the lens lacks.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        lens = lens_from_snapshot(row.lens_snapshot)
        text = _check_text(new.text)
        _check_lens_ids(lens, new.component_id, new.principle_ids)
        mat = check_mat_standards(new.mat_standards)
        position = session.scalar(select(func.max(Action.position)).where(Action.walkthrough_id == walkthrough_id))
        recorder = Recorder(session, walkthrough_id)
        action = Action(
            id=new_id(),
            created_at=recorder.now,
            updated_at=recorder.now,
            walkthrough_id=walkthrough_id,
            text=text,
            owner=clean_text(new.owner).strip(),
            due_date=new.due_date,
            priority=Priority(new.priority),
            status=ActionStatus(new.status),
            component_id=new.component_id or None,
            lead=clean_text(new.lead).strip(),
            on_track=None if new.on_track is None else OnTrack(new.on_track),
            success_measure=clean_text(new.success_measure).strip(),
            mat_standards=mat,
            position=0 if position is None else position + 1,
            principle_links=[ActionPrinciple(principle_id=p) for p in dict.fromkeys(new.principle_ids)],
            observations=_observations(session, walkthrough_id, new.observation_ids),
        )
        session.add(action)
        row.updated_at = recorder.now
        session.flush()
        record = action_record(action)
        recorder.created(Entity.ACTION, record.id, action_values(record))
        recorder.finish()
        return record


def update_action(
    db: Database,
    action_id: str,
    *,
    text: str | None = None,
    lead: str | None = None,
    owner: str | None = None,
    due_date: dt.date | None | object = _UNSET,
    priority: Priority | None = None,
    status: ActionStatus | None = None,
    on_track: OnTrack | None | object = _UNSET,
    success_measure: str | None = None,
    component_id: str | None | object = _UNSET,
    principle_ids: Sequence[str] | None = None,
    mat_standards: Sequence[int] | None = None,
    observation_ids: Sequence[str] | None = None,
) -> ActionRecord:
    """Change the given fields of an action (unnamed fields stay as they are).

    ``due_date``, ``on_track`` and ``component_id`` may be set to ``None`` to clear them.

    Raises:
        NotFound: no such action, or a linked observation not in its walkthrough.
        InvalidInput: empty text, or a component or principle the lens lacks.
    """
    with db.sessions.begin() as session:
        action = _load(session, action_id)
        lens = lens_from_snapshot(action.walkthrough.lens_snapshot)
        recorder = Recorder(session, action.walkthrough_id)
        values: dict[str, object] = {}
        if text is not None:
            values["text"] = _check_text(text)
        if lead is not None:
            values["lead"] = clean_text(lead).strip()
        if owner is not None:
            values["owner"] = clean_text(owner).strip()
        if due_date is not _UNSET:
            values["due_date"] = due_date
        if priority is not None:
            values["priority"] = Priority(priority)
        if status is not None:
            values["status"] = ActionStatus(status)
        if on_track is not _UNSET:
            values["on_track"] = None if on_track is None else OnTrack(on_track)  # type: ignore[arg-type]
        if success_measure is not None:
            values["success_measure"] = clean_text(success_measure).strip()
        if mat_standards is not None:
            values["mat_standards"] = check_mat_standards(mat_standards)
        if component_id is not _UNSET:
            _check_lens_ids(lens, component_id, ())  # type: ignore[arg-type]
            values["component_id"] = component_id or None
        if principle_ids is not None:
            _check_lens_ids(lens, None, principle_ids)
        linked = _observations(session, action.walkthrough_id, observation_ids) if observation_ids is not None else None
        for name, value in values.items():
            if (tuple(getattr(action, name)) if name == "mat_standards" else getattr(action, name)) != value:
                setattr(action, name, value)
                recorder.set(Entity.ACTION, action_id, name, value)
        if principle_ids is not None:
            before, after = set(action.principle_ids), set(principle_ids)
            if before != after:
                action.principle_links = [ActionPrinciple(principle_id=p) for p in dict.fromkeys(principle_ids)]
                recorder.linked(Entity.ACTION, action_id, "principle_ids", after - before, before - after)
        if linked is not None:
            before, after = {o.id for o in action.observations}, {o.id for o in linked}
            if [o.id for o in action.observations] != [o.id for o in linked]:
                action.observations = linked
                if before != after:
                    recorder.linked(Entity.ACTION, action_id, "observation_ids", after - before, before - after)
                else:
                    recorder.set(Entity.ACTION, action_id, "observation_ids", [o.id for o in linked])
        if recorder.changed:
            action.updated_at = action.walkthrough.updated_at = recorder.now
            session.flush()
        recorder.finish()
        return action_record(action)


def delete_action(db: Database, action_id: str) -> None:
    """Remove an action from the plan (the findings it answered stay).

    Raises:
        NotFound: no such action.
    """
    with db.sessions.begin() as session:
        action = _load(session, action_id)
        recorder = Recorder(session, action.walkthrough_id)
        action.walkthrough.updated_at = recorder.now
        recorder.deleted(Entity.ACTION, action_id)
        session.delete(action)
        recorder.finish()


def get_action(db: Database, action_id: str) -> ActionRecord:
    """One action of a plan.

    Raises:
        NotFound: no such action.
    """
    with db.sessions.begin() as session:
        return action_record(_load(session, action_id))


def resolve_action_id(db: Database, id_or_prefix: str) -> str:
    """The full id of the one action whose id starts with ``id_or_prefix`` (4+ characters).

    Raises:
        NotFound: none, or the prefix is too short.
        InvalidInput: more than one action matches.
    """
    return resolve_id_prefix(db, Action.id, "action", id_or_prefix, "`walkthrough plan WID` shows the ids")


def list_actions(db: Database, walkthrough_id: str) -> list[ActionRecord]:
    """A walkthrough's improvement plan, in the order actions were added.

    Raises:
        NotFound: no such walkthrough.
    """
    with db.sessions.begin() as session:
        load_walkthrough_row(session, walkthrough_id)
        rows = session.scalars(
            select(Action)
            .where(Action.walkthrough_id == walkthrough_id)
            .options(selectinload(Action.principle_links), selectinload(Action.observations))
            .order_by(Action.position, Action.created_at)
        ).all()
        return [action_record(a) for a in rows]


def put_back_action(db: Database, record: ActionRecord,
                    progress: Sequence[ProgressUpdateRecord] = ()) -> ActionRecord:
    """Recreate a deleted action with its id and fields, and its ``progress`` updates (for undo).

    Links to observations that no longer exist are dropped.

    Raises:
        NotFound: its walkthrough no longer exists.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, record.walkthrough_id)
        linked = session.scalars(
            select(Observation).where(
                Observation.id.in_(record.observation_ids), Observation.walkthrough_id == record.walkthrough_id
            )
        ).all()
        order = {oid: i for i, oid in enumerate(record.observation_ids)}
        action = Action(
            id=record.id,
            walkthrough_id=record.walkthrough_id,
            text=record.text,
            owner=record.owner,
            due_date=record.due_date,
            priority=record.priority,
            status=record.status,
            component_id=record.component_id,
            lead=record.lead,
            on_track=record.on_track,
            success_measure=record.success_measure,
            mat_standards=record.mat_standards,
            position=record.position,
            created_at=record.created_at,
            updated_at=record.updated_at,
            principle_links=[ActionPrinciple(principle_id=p) for p in record.principle_ids],
            observations=sorted(linked, key=lambda o: order[o.id]),
        )
        session.add(action)
        recorder = Recorder(session, record.walkthrough_id)
        row.updated_at = recorder.now
        session.flush()
        restored = action_record(action)
        recorder.created(Entity.ACTION, restored.id, action_values(restored), again=True)
        for update in progress:
            session.add(ProgressUpdate(id=update.id, action_id=restored.id, date=update.date,
                                       written_by=update.written_by, note=update.note, status=update.status,
                                       on_track=update.on_track, created_at=update.created_at))
            recorder.created(Entity.PROGRESS_UPDATE, update.id, progress_update_values(update), parent=restored.id,
                             again=True)
        session.flush()
        recorder.finish()
        return restored


def _check_text(text: str) -> str:
    text = clean_text(text).strip()
    if not text:
        raise EmptyValue("action text", "the action's text is empty")
    return text


def _check_lens_ids(lens: Lens, component_id: str | None, principle_ids: Sequence[str]) -> None:
    if component_id and lens.component(component_id) is None:
        ids = [c.id for c in lens.components]
        raise UnknownValue("core component", component_id, ids,
                           f"unknown core component {component_id!r} (components: {', '.join(ids)})")
    for principle_id in principle_ids:
        if lens.principle(principle_id) is None:
            ids = [p.id for p in lens.principles]
            raise UnknownValue("principle", principle_id, ids,
                               f"unknown principle {principle_id!r} (principles: {', '.join(ids)})")


def _observations(session: Session, walkthrough_id: str, ids: Sequence[str]) -> list[Observation]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {
        o.id: o
        for o in session.scalars(
            select(Observation).where(Observation.id.in_(wanted), Observation.walkthrough_id == walkthrough_id)
        )
    }
    for observation_id in wanted:
        if observation_id not in found:
            raise NotFound("observation", observation_id, "in this walkthrough")
    return [found[i] for i in wanted]


def _load(session: Session, action_id: str) -> Action:
    action = session.get(
        Action, action_id, options=[selectinload(Action.principle_links), selectinload(Action.observations)]
    )
    if action is None:
        raise NotFound("action", action_id)
    return action
