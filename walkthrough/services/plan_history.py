"""The plan's past: the plan as at a date, and an action's status history, from the change history.

The rules are :mod:`walkthrough.domain.plan_history`'s; this reads the changes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import NotFound
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.domain.plan_history import StatusChange, end_of_day
from walkthrough.domain.plan_history import plan_as_at as _plan_as_at
from walkthrough.domain.plan_history import status_history as _status_history
from walkthrough.domain.records import ActionRecord
from walkthrough.services.history import changes_of
from walkthrough.services.walkthroughs import load_walkthrough_row
from walkthrough.storage.database import Database

__all__ = ["plan_as_at", "status_history"]


def plan_as_at(db: Database, walkthrough_id: str, day: dt.date, *, tz: dt.tzinfo | None = None) -> list[ActionRecord]:
    """The walkthrough's plan as it stood at the end of ``day`` (in ``tz``, default this computer's zone).

    Raises:
        NotFound: no such walkthrough.
    """
    with db.sessions.begin() as session:
        load_walkthrough_row(session, walkthrough_id)
        ids = session.scalars(select(ChangeRow.entity_id).distinct().where(
            ChangeRow.walkthrough_id == walkthrough_id, ChangeRow.entity == Entity.ACTION.value)).all()
        grouped = changes_of(session, walkthrough_id, ids)
    return _plan_as_at(walkthrough_id, grouped, end_of_day(day, tz))


def status_history(db: Database, action_id: str) -> list[StatusChange]:
    """An action's status and on-track changes, oldest first: when, on which device by whom, from what to what.

    Raises:
        NotFound: no action with that id was ever recorded.
    """
    with db.sessions.begin() as session:
        walkthrough_id = session.scalar(select(ChangeRow.walkthrough_id).where(
            ChangeRow.entity_id == action_id, ChangeRow.entity == Entity.ACTION.value).limit(1))
        if walkthrough_id is None:
            raise NotFound("action", action_id)
        changes = changes_of(session, walkthrough_id, [action_id]).get(action_id, [])
    return _status_history(changes)
