"""Replaying the change history: the rows rebuilt from the changes alone.

:func:`replay` reads one database's change history and copies it into
another, empty, database of the same schema: the change rows and the
devices that made them as they are (the devices as devices whose changes
came in, not as the target's own).  Then every walkthrough's rows are made
from the history by :func:`walkthrough.services.apply.apply_history`, the
one way changes become rows, which bringing the changes of several laptops
together uses too.  The target then holds the same walkthroughs, teams,
observations and their principles, photos and plans, row for row and time
for time: that it equals the source is what shows the history is complete.

A photo's pixels are not history: its ``picture`` names them by SHA-256 and
the source database's photo rows give them.

A service's changes are kept under the service's own id: replaying one
walkthrough replays the history of every service it was filed under too, and
the services are made first, so that a walkthrough finds its service there.

SQLAlchemy only (no engine-specific SQL): it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.clock import Clock
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.domain.models import Device, Observation, Photo, Walkthrough, new_id
from walkthrough.services.apply import apply_history, stored_pictures
from walkthrough.services.history import received
from walkthrough.storage.database import Database

__all__ = ["Replayed", "replay"]


@dataclass(frozen=True)
class Replayed:
    """What a replay did: the changes copied, and how many of them still hold their content (the others were erased)."""

    changes: int
    applied: int


def replay(source: Database, target: Database, *, walkthrough_id: str | None = None) -> Replayed:
    """Rebuild ``source``'s walkthroughs (or only ``walkthrough_id``) in ``target`` from the change history alone.

    ``target`` must not hold what is replayed (any walkthrough or change, or
    that walkthrough's); everything is stored in one transaction, or nothing.
    The photos' pixels come from ``source``'s photo rows.

    Raises:
        InvalidInput: ``target`` already holds walkthroughs or changes (or that walkthrough).
        NotFound: no change of ``walkthrough_id`` in ``source``'s history; or a photo whose
            picture ``source`` does not hold.
    """
    rows, devices = _read_history(source, walkthrough_id)
    with target.sessions.begin() as session, source.sessions.begin() as read:
        _check_empty(session, walkthrough_id)
        _tell_devices_apart(session, {d["id"] for d in devices})
        known = set(session.scalars(select(Device.id)))
        new_devices = [{**d, "this_device": False} for d in devices if d["id"] not in known]
        if new_devices:
            session.execute(insert(Device), new_devices)
        for start in range(0, len(rows), 5000):
            session.execute(insert(ChangeRow), rows[start:start + 5000])
        pictures = stored_pictures(read)
        services = {row["walkthrough_id"] for row in rows if row["entity"] == Entity.SERVICE.value}
        for replayed in sorted({row["walkthrough_id"] for row in rows}, key=lambda scope: (scope not in services, scope)):
            _check_photos(session, apply_history(session, replayed, pictures))
        if rows:
            received(session, max(Clock.parse(row["clock"]) for row in rows))
    applied = sum(1 for row in rows if row["value"] is not None or row["kind"] == ChangeKind.DELETE.value)
    return Replayed(changes=len(rows), applied=applied)


def _check_photos(session: Session, folded: dict[str, Any]) -> None:
    """Every photo the history keeps (its observation there) got its pixels.

    Raises:
        NotFound: a photo whose picture the history never named, or whose pixels the source lacks.
    """
    for photo_id, result in folded.items():
        values = result.values
        if not result.exists or "observation_id" not in values or PICTURE not in values:
            continue
        if session.get(Observation, values["observation_id"]) is None or session.get(Photo, photo_id) is not None:
            continue
        sha256 = (values[PICTURE] or {}).get("sha256", "")
        raise NotFound("picture", sha256 or photo_id, "the history's picture of that photo is not at hand")


def _read_history(source: Database, walkthrough_id: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The change rows as stored, in clock order, and the devices that made them."""
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
        rows: list[dict[str, Any]] = []
        devices: dict[str, dict[str, Any]] = {}
        for row, device in session.execute(query.order_by(ChangeRow.clock, ChangeRow.device_id, ChangeRow.seq)):
            rows.append({name: getattr(row, name) for name in columns})
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
