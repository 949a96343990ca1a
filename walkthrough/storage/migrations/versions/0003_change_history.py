"""the change history

Revision ID: 0003_change_history
Revises: 0002_observation_not_rated_yet
Create Date: 2026-12-07

Two tables: ``device`` (this database's own device, and later those whose
changes come in) and ``change`` (one row per change; see
``walkthrough.domain.changes``).  Every row already stored becomes a
``create`` change made on this device, one operation per walkthrough, with
the values the services record (``walkthrough.domain.change_values``), so
that the history of an upgraded database replays to the same rows.

A walkthrough whose ``updated_at`` is earlier than something in it (a photo
caption edited before this revision did not touch the walkthrough) is moved
to that later time first: the rule now is that every change in a walkthrough
moves its ``updated_at``.
"""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from collections import defaultdict
from typing import Any

from alembic import op
import sqlalchemy as sa

from walkthrough.domain.change_values import CREATE_FIELDS
from walkthrough.domain.changes import ChangeKind, Entity, encode_value
from walkthrough.domain.clock import Clock, from_datetime, tick


revision = '0003_change_history'
down_revision = '0002_observation_not_rated_yet'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'device',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('person', sa.Text(), nullable=False),
        sa.Column('this_device', sa.Boolean(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('last_clock', sa.String(length=24), nullable=True),
        sa.Column('seen', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    )
    op.create_table(
        'change',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('operation', sa.Integer(), nullable=False),
        sa.Column('clock', sa.String(length=24), nullable=False),
        sa.Column('walkthrough_id', sa.String(length=36), nullable=False),
        sa.Column('entity', sa.String(length=16), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('parent_id', sa.String(length=36), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=True),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('replaces', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_change_device_id_device')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
        sa.UniqueConstraint('device_id', 'seq', name=op.f('uq_change_device_id')),
    )
    op.create_index('ix_change_walkthrough_entity', 'change', ['walkthrough_id', 'entity_id'], unique=False)
    _record_what_is_stored(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_change_walkthrough_entity', table_name='change')
    op.drop_table('change')
    op.drop_table('device')


# -- the rows already stored become changes -------------------------------------------------

_meta = sa.MetaData()
_walkthrough = sa.Table(
    'walkthrough', _meta,
    *(sa.Column(name, sa.Text()) for name in ('id', 'service', 'site', 'lens_id', 'lens_version', 'lens_title',
                                              'lens_snapshot')),
    sa.Column('visit_date', sa.Date()), sa.Column('created_at', sa.DateTime()), sa.Column('updated_at', sa.DateTime()),
)
_facilitator = sa.Table('facilitator', _meta, sa.Column('id', sa.Text()), sa.Column('walkthrough_id', sa.Text()),
                        sa.Column('name', sa.Text()), sa.Column('position', sa.Integer()))
_participant = sa.Table('participant', _meta, sa.Column('id', sa.Text()), sa.Column('walkthrough_id', sa.Text()),
                        sa.Column('name', sa.Text()), sa.Column('role', sa.Text()), sa.Column('position', sa.Integer()))
_observation = sa.Table(
    'observation', _meta,
    *(sa.Column(name, sa.Text()) for name in ('id', 'walkthrough_id', 'area_id', 'prompt_id', 'rating_id', 'note',
                                              'voice')),
    sa.Column('position', sa.Integer()), sa.Column('created_at', sa.DateTime()), sa.Column('updated_at', sa.DateTime()),
)
_observation_principle = sa.Table('observation_principle', _meta, sa.Column('observation_id', sa.Text()),
                                  sa.Column('principle_id', sa.Text()))
_photo = sa.Table(
    'photo', _meta,
    *(sa.Column(name, sa.Text()) for name in ('id', 'observation_id', 'caption', 'original_name', 'sha256')),
    sa.Column('width', sa.Integer()), sa.Column('height', sa.Integer()), sa.Column('position', sa.Integer()),
    sa.Column('created_at', sa.DateTime()),
)
_action = sa.Table(
    'action', _meta,
    *(sa.Column(name, sa.Text()) for name in ('id', 'walkthrough_id', 'text', 'owner', 'priority', 'status',
                                              'component_id')),
    sa.Column('due_date', sa.Date()), sa.Column('position', sa.Integer()),
    sa.Column('created_at', sa.DateTime()), sa.Column('updated_at', sa.DateTime()),
)
_action_principle = sa.Table('action_principle', _meta, sa.Column('action_id', sa.Text()),
                             sa.Column('principle_id', sa.Text()))
_action_observation = sa.Table('action_observation', _meta, sa.Column('action_id', sa.Text()),
                               sa.Column('observation_id', sa.Text()))
_device = sa.table('device', *(sa.column(n) for n in ('id', 'name', 'person', 'this_device', 'last_seq',
                                                       'last_clock')))
_change = sa.table('change', *(sa.column(n) for n in ('id', 'device_id', 'seq', 'operation', 'clock',
                                                       'walkthrough_id', 'entity', 'entity_id', 'parent_id', 'kind', 'field',
                                                       'value', 'replaces')))


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc)


def _record_what_is_stored(conn: sa.Connection) -> None:
    device_id = str(uuid.uuid4())
    name = " ".join(socket.gethostname().split())[:200] or "This computer"
    principles: dict[str, list[str]] = defaultdict(list)
    for observation_id, principle_id in conn.execute(sa.select(_observation_principle)):
        principles[observation_id].append(principle_id)
    action_principles: dict[str, list[str]] = defaultdict(list)
    for action_id, principle_id in conn.execute(sa.select(_action_principle)):
        action_principles[action_id].append(principle_id)
    linked: dict[str, list[str]] = defaultdict(list)
    for action_id, observation_id in conn.execute(sa.select(_action_observation)):
        linked[action_id].append(observation_id)
    team: dict[str, dict[str, list[list[str]]]] = defaultdict(lambda: {"facilitators": [], "participants": []})
    for f in conn.execute(sa.select(_facilitator).order_by(_facilitator.c.position)):
        team[f.walkthrough_id]["facilitators"].append([f.id, f.name])
    for p in conn.execute(sa.select(_participant).order_by(_participant.c.position)):
        team[p.walkthrough_id]["participants"].append([p.id, p.name, p.role])
    observations: dict[str, list[Any]] = defaultdict(list)
    for o in conn.execute(sa.select(_observation).order_by(_observation.c.created_at, _observation.c.id)):
        observations[o.walkthrough_id].append(o)
    photos: dict[str, list[Any]] = defaultdict(list)
    for p in conn.execute(sa.select(_photo).order_by(_photo.c.position, _photo.c.id)):
        photos[p.observation_id].append(p)
    actions: dict[str, list[Any]] = defaultdict(list)
    for a in conn.execute(sa.select(_action).order_by(_action.c.position, _action.c.id)):
        actions[a.walkthrough_id].append(a)

    walks = list(conn.execute(sa.select(_walkthrough)))
    # Every change in a walkthrough moves its updated_at (rule 1 of change_values): make it so for what is stored.
    latest: dict[str, dt.datetime] = {}
    for w in walks:
        times = [w.updated_at, *(o.updated_at for o in observations[w.id]),
                 *(p.created_at for o in observations[w.id] for p in photos[o.id]),
                 *(a.updated_at for a in actions[w.id])]
        latest[w.id] = max(times)
        if latest[w.id] != w.updated_at:
            conn.execute(sa.update(_walkthrough).where(_walkthrough.c.id == w.id).values(updated_at=latest[w.id]))

    rows: list[dict[str, Any]] = []
    clock: Clock | None = None
    for w in sorted(walks, key=lambda w: (latest[w.id], w.id)):
        operation = len(rows) + 1
        wall = from_datetime(_utc(latest[w.id]))

        def add(entity: Entity, entity_id: str, values: dict[str, Any], parent: str | None = None) -> None:
            nonlocal clock
            clock = tick(clock, wall)
            rows.append({"id": str(uuid.uuid4()), "device_id": device_id, "seq": len(rows) + 1,
                         "operation": operation, "clock": clock.text, "walkthrough_id": w.id,
                         "entity": entity.value, "entity_id": entity_id, "parent_id": parent,
                         "kind": ChangeKind.CREATE.value,
                         "field": None, "value": encode_value(values), "replaces": None})

        stored = {name: getattr(w, name) for name in CREATE_FIELDS[Entity.WALKTHROUGH]
                  if name not in ("facilitators", "participants")}
        add(Entity.WALKTHROUGH, w.id, {**stored, **team[w.id], "created_at": _utc(w.created_at),
                                        "updated_at": _utc(latest[w.id])})
        for o in observations[w.id]:
            add(Entity.OBSERVATION, o.id, {
                "area_id": o.area_id, "prompt_id": o.prompt_id, "rating_id": o.rating_id,
                "principle_ids": sorted(principles[o.id]), "note": o.note, "voice": o.voice,
                "position": o.position, "created_at": _utc(o.created_at), "updated_at": _utc(o.updated_at),
            })
            for p in photos[o.id]:
                add(Entity.PHOTO, p.id, {
                    "observation_id": o.id, "caption": p.caption, "original_name": p.original_name,
                    "picture": {"sha256": p.sha256, "width": p.width, "height": p.height},
                    "position": p.position, "created_at": _utc(p.created_at),
                }, parent=o.id)
        for a in actions[w.id]:
            add(Entity.ACTION, a.id, {
                "text": a.text, "owner": a.owner, "due_date": a.due_date, "priority": a.priority,
                "status": a.status, "component_id": a.component_id, "principle_ids": sorted(action_principles[a.id]),
                "observation_ids": linked[a.id], "position": a.position,
                "created_at": _utc(a.created_at), "updated_at": _utc(a.updated_at),
            })
    conn.execute(sa.insert(_device).values(id=device_id, name=name, person="", this_device=True,
                                           last_seq=len(rows), last_clock=clock.text if clock else None))
    for start in range(0, len(rows), 5000):
        conn.execute(sa.insert(_change), rows[start:start + 5000])
