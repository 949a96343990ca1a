"""services: walkthroughs belong to a service; a walk may follow up another

Revision ID: 0004_service
Revises: 0003_change_history
Create Date: 2026-12-07

A ``service`` table (name, organisation; its sites are its walkthroughs'
sites), and two walkthrough columns: ``service_id`` and ``follows_id`` (the
walk this one follows up).

Every stored walkthrough is filed under a service: one per distinct service
name and site, as they were typed (two of them that are one service are
merged by hand afterwards).  This is recorded in the change history as the
services would record it, so that the history still replays to the same
rows: one operation per service, made on this device after everything
already recorded, holding the service's ``create`` and a ``set`` of
``service_id`` for each of its walkthroughs.  Every change in a walkthrough
moves its ``updated_at`` (rule 1 of ``walkthrough.domain.change_values``),
so the walkthroughs' ``updated_at`` moves to the time of the upgrade.

Batch mode copies the walkthrough table on SQLite (foreign keys are off
while it runs: see ``walkthrough.storage.database._run_migrations``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from alembic import op
import sqlalchemy as sa

from walkthrough.domain.changes import ChangeKind, Entity, encode_value
from walkthrough.domain.clock import Clock, now_micros, tick


revision = '0004_service'
down_revision = '0003_change_history'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'service',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('organisation', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    )
    with op.batch_alter_table('walkthrough') as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('follows_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_walkthrough_service_id_service'), 'service', ['service_id'],
                                    ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_walkthrough_follows_id_walkthrough'), 'walkthrough',
                                    ['follows_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_walkthrough_service_id'), ['service_id'], unique=False)
    _file_under_services(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('walkthrough') as batch_op:
        batch_op.drop_index(batch_op.f('ix_walkthrough_service_id'))
        batch_op.drop_constraint(batch_op.f('fk_walkthrough_follows_id_walkthrough'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_walkthrough_service_id_service'), type_='foreignkey')
        batch_op.drop_column('follows_id')
        batch_op.drop_column('service_id')
    op.drop_table('service')


_walkthrough = sa.table('walkthrough', *(sa.column(n) for n in ('id', 'service', 'site', 'service_id', 'created_at',
                                                                  'updated_at')))
_service = sa.table('service', *(sa.column(n) for n in ('id', 'name', 'organisation', 'created_at', 'updated_at')))
_device = sa.table('device', *(sa.column(n) for n in ('id', 'this_device', 'last_seq', 'last_clock')))
_change = sa.table('change', *(sa.column(n) for n in ('id', 'device_id', 'seq', 'operation', 'clock',
                                                       'walkthrough_id', 'entity', 'entity_id', 'parent_id', 'kind',
                                                       'field', 'value', 'replaces')))


def _file_under_services(conn: sa.Connection) -> None:
    walks = list(conn.execute(sa.select(_walkthrough.c.id, _walkthrough.c.service, _walkthrough.c.site,
                                        _walkthrough.c.created_at)
                              .order_by(_walkthrough.c.created_at, _walkthrough.c.id)))
    if not walks:
        return
    groups: dict[tuple[str, str], list[Any]] = {}
    for w in walks:
        groups.setdefault((w.service, w.site), []).append(w)
    device = conn.execute(sa.select(_device).where(_device.c.this_device.is_(True))).first()
    if device is None:  # 0003 makes it whenever there is anything stored
        raise RuntimeError("the database has walkthroughs but no device of its own")
    last = Clock.parse(device.last_clock) if device.last_clock else None
    seq = device.last_seq
    rows: list[dict[str, Any]] = []
    for (name, _site), members in groups.items():
        service_id = str(uuid.uuid4())
        clock = tick(last, now_micros())
        time = clock.time
        operation = seq + 1
        naive = time.astimezone(dt.timezone.utc).replace(tzinfo=None)
        conn.execute(sa.insert(_service).values(id=service_id, name=name, organisation="", created_at=naive,
                                                updated_at=naive))

        def add(scope: str, entity: Entity, entity_id: str, kind: ChangeKind, field: str | None, value: Any,
                at: Clock, replaces: list[str] | None = None) -> None:
            nonlocal seq
            seq += 1
            rows.append({"id": str(uuid.uuid4()), "device_id": device.id, "seq": seq, "operation": operation,
                         "clock": at.text, "walkthrough_id": scope, "entity": entity.value, "entity_id": entity_id,
                         "parent_id": None, "kind": kind.value, "field": field, "value": encode_value(value),
                         "replaces": ",".join(replaces or ()) or None})

        add(service_id, Entity.SERVICE, service_id, ChangeKind.CREATE,
            None, {"name": name, "organisation": "", "created_at": time, "updated_at": time}, clock)
        last = clock
        for w in members:
            last = tick(last, clock.wall)
            # What the services' set would replace: the walkthrough's making (a first set of this field).
            made = sorted(conn.scalars(sa.select(_change.c.id).where(
                _change.c.walkthrough_id == w.id, _change.c.entity_id == w.id,
                _change.c.kind == ChangeKind.CREATE.value)))
            add(w.id, Entity.WALKTHROUGH, w.id, ChangeKind.SET, "service_id", service_id, last, made)
            conn.execute(sa.update(_walkthrough).where(_walkthrough.c.id == w.id)
                         .values(service_id=service_id, updated_at=naive))
    conn.execute(sa.update(_device).where(_device.c.id == device.id)
                 .values(last_seq=seq, last_clock=last.text if last else None))
    for start in range(0, len(rows), 5000):
        conn.execute(sa.insert(_change), rows[start:start + 5000])
