"""The plan's past, read from the change history: each action as it stood at a moment, and its status changes.

There is no separate status log: the change history already holds every
``set`` of an action's status and on-track, who made it and when.  The plan
"as at" a moment is each action worked out (:func:`walkthrough.domain.merge.fold`,
the same rule that brings laptops together) from its changes made by then.

An action deleted since is not in the plan at any moment: deleting erases
the content of its changes (the history keeps no deleted text), so only its
tombstone is left.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from walkthrough.domain.change_values import with_added_fields
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.merge import fold
from walkthrough.domain.records import ActionRecord
from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority

__all__ = ["STATUS_FIELDS", "StatusChange", "end_of_day", "plan_as_at", "status_history"]

#: The fields whose changes make an action's status history.
STATUS_FIELDS = ("status", "on_track")


@dataclass(frozen=True)
class StatusChange:
    """One change of an action's status or on-track: when, by whom, from what to what.

    ``before`` is None for the action's making (``after`` its first value),
    and for an on-track that had not been said.
    """

    time: dt.datetime
    device_name: str
    person: str
    field: str
    before: str | None
    after: str | None


def end_of_day(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The first moment after ``day`` in ``tz`` (default: this computer's time zone), in UTC."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    local = start.replace(tzinfo=tz) if tz is not None else start.astimezone()
    return local.astimezone(dt.timezone.utc)


def plan_as_at(walkthrough_id: str, changes_by_thing: Mapping[str, Sequence[Change]],
               moment: dt.datetime) -> list[ActionRecord]:
    """The walkthrough's actions as they stood just before ``moment`` (aware), in the plan's order.

    ``changes_by_thing`` holds the changes of the walkthrough's things by id
    (those of actions are used, the others ignored).
    """
    plan: list[ActionRecord] = []
    for thing, changes in changes_by_thing.items():
        by_then = [c for c in changes if c.entity is Entity.ACTION and c.time < moment]
        if not by_then:
            continue
        folded = fold(by_then)
        if not folded.exists:
            continue
        plan.append(_record(walkthrough_id, thing, with_added_fields(Entity.ACTION, folded.values),
                            max(c.time for c in by_then)))
    return sorted(plan, key=lambda a: (a.position, a.created_at, a.id))


def status_history(changes: Iterable[Change]) -> list[StatusChange]:
    """An action's status and on-track changes, oldest first, from its changes (any order).

    A change to the value it already had (a difference settled, say) is left out.
    """
    shown: dict[str, Any] = {}
    out: list[StatusChange] = []
    for c in sorted(changes, key=lambda c: (c.clock, c.device_id, c.seq)):
        if c.erased:
            continue
        if c.kind is ChangeKind.CREATE:
            values = with_added_fields(Entity.ACTION, c.value)
            for name in STATUS_FIELDS:
                if name in shown and shown[name] == values[name]:
                    continue
                if name not in shown and values[name] is None:
                    shown[name] = None
                    continue
                out.append(StatusChange(c.time, c.device_name, c.person, name, shown.get(name), values[name]))
                shown[name] = values[name]
        elif c.kind is ChangeKind.SET and c.field in STATUS_FIELDS:
            if shown.get(c.field) == c.value:
                continue
            out.append(StatusChange(c.time, c.device_name, c.person, c.field, shown.get(c.field), c.value))
            shown[c.field] = c.value
    return out


def _record(walkthrough_id: str, action_id: str, v: Mapping[str, Any], last: dt.datetime) -> ActionRecord:
    return ActionRecord(
        id=action_id,
        walkthrough_id=walkthrough_id,
        text=v["text"],
        owner=v["owner"],
        due_date=dt.date.fromisoformat(v["due_date"]) if v["due_date"] else None,
        priority=Priority(v["priority"]),
        status=ActionStatus(v["status"]),
        component_id=v["component_id"],
        principle_ids=tuple(sorted(v["principle_ids"])),
        observation_ids=tuple(v["observation_ids"]),
        position=v["position"],
        created_at=dt.datetime.fromisoformat(v["created_at"]),
        updated_at=max(dt.datetime.fromisoformat(v["updated_at"]), last),
        lead=v["lead"],
        on_track=OnTrack(v["on_track"]) if v["on_track"] else None,
        success_measure=v["success_measure"],
        mat_standards=tuple(v["mat_standards"]),
    )
