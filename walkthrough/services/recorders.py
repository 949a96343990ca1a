"""Who recorded what: the laptop (device) each observation of a walkthrough was recorded on.

An observation's recorder is the device of its first ``create`` change in
the change history (a later create, such as an undone deletion, does not
make someone else its recorder).  Read for a whole walkthrough in one query,
for Review's "Recorded by" column and filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.models import Change as ChangeRow, Device
from walkthrough.storage.database import Database

__all__ = ["RecordingDevice", "recorded_by"]


@dataclass(frozen=True)
class RecordingDevice:
    """The device an observation was recorded on: its id, its name and the person who uses it, as set there."""

    id: str
    name: str
    person: str


def recorded_by(db: Database, walkthrough_id: str) -> dict[str, RecordingDevice]:
    """Each observation's recorder, by observation id (observations with no recorded create are left out)."""
    query = (select(ChangeRow.entity_id, Device.id, Device.name, Device.person)
             .join(Device, Device.id == ChangeRow.device_id)
             .where(ChangeRow.walkthrough_id == walkthrough_id, ChangeRow.entity == Entity.OBSERVATION.value,
                    ChangeRow.kind == ChangeKind.CREATE.value)
             .order_by(ChangeRow.clock.desc(), ChangeRow.device_id.desc(), ChangeRow.seq.desc()))
    devices: dict[tuple[str, str, str], RecordingDevice] = {}
    found: dict[str, RecordingDevice] = {}
    with db.sessions.begin() as session:
        for observation_id, device_id, name, person in session.execute(query):
            # Newest first, so the first create of each observation is written last.
            found[observation_id] = devices.setdefault((device_id, name, person),
                                                       RecordingDevice(device_id, name, person))
    return found
