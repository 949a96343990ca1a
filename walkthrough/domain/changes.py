"""What changed: one operation's changes, and one recorded change of the history.

Every change a person makes — from the window, the command line, a CSV
import, the sample walkthrough, undo and redo — is recorded in the change
history in the same transaction as the change itself (see
:mod:`walkthrough.services.history`), and the operation hands back an
:class:`OpChanges` saying which things changed and which of their fields, so
a front end updates exactly those (a note saved repaints that observation's
card, not its area).

A recorded :class:`Change` is one of:

- ``create``: a thing came into being; ``value`` holds its fields.
- ``set``: one field of a thing took a new ``value``.
- ``link`` / ``unlink``: a principle or a finding was linked to the thing,
  or the link removed; ``value`` is the linked id.
- ``delete``: the thing was deleted.  Only a tombstone stays (ids, who,
  when): deleting an observation, a photo, an action or a walkthrough erases
  the content of its earlier changes too (``value`` becomes ``None``,
  :attr:`Change.erased`).  A service merged into another keeps its content:
  its walkthroughs' history names it, and it holds no one's words.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from walkthrough.domain.clock import Clock

__all__ = ["Change", "ChangeKind", "Entity", "OpChanges", "decode_value", "encode_value"]


class Entity(str, enum.Enum):
    """The kinds of thing the history records changes of."""

    WALKTHROUGH = "walkthrough"
    OBSERVATION = "observation"
    PHOTO = "photo"
    ACTION = "action"
    #: a progress update of an action (its ``parent_id`` is the action)
    PROGRESS_UPDATE = "progress_update"
    #: a service, whose walkthroughs are its walks; its changes are kept under its own id
    #: (``Change.walkthrough_id`` is then the service's id: it belongs to no one walkthrough)
    SERVICE = "service"


class ChangeKind(str, enum.Enum):
    """What a recorded change did."""

    CREATE = "create"
    SET = "set"
    LINK = "link"
    UNLINK = "unlink"
    DELETE = "delete"


def encode_value(value: Any) -> str:
    """A field's value as stored in the history: JSON, with dates as ISO text and enums as their text."""
    return _ENCODER.encode(value)


def decode_value(text: str | None) -> Any:
    """The value stored by :func:`encode_value` (``None`` stays ``None``: erased, or a tombstone)."""
    return None if text is None else json.loads(text)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, frozenset, set)):
        return list(value)
    raise TypeError(f"cannot record a {type(value).__name__} in the history")


#: One encoder made once (``json.dumps`` with these options would make one a call: an
#: import records 100,000 values).  Keys sorted, so equal values are equal text.
_ENCODER = json.JSONEncoder(default=_plain, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


EntityRef = tuple[Entity, str]


@dataclass(frozen=True)
class OpChanges:
    """What one operation changed: the things made, changed (with their fields) and deleted.

    A photo's change also counts as a change of its observation's ``photos``
    field, so that a front end showing observations need look no further.
    """

    created: frozenset[EntityRef] = frozenset()
    updated: Mapping[EntityRef, frozenset[str]] = field(default_factory=dict)
    deleted: frozenset[EntityRef] = frozenset()
    #: the walkthroughs the changes belong to
    walkthrough_ids: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.created or self.updated or self.deleted)

    def ids(self, entity: Entity) -> frozenset[str]:
        """The ids of every ``entity`` made, changed or deleted."""
        refs = self.created | self.deleted | frozenset(self.updated)
        return frozenset(i for e, i in refs if e is entity)

    def touches(self, entity: Entity) -> bool:
        """True when any ``entity`` was made, changed or deleted."""
        return bool(self.ids(entity))

    def fields(self, entity: Entity, entity_id: str) -> frozenset[str]:
        """The fields of one thing that changed (empty when it was made or deleted, or not touched)."""
        return self.updated.get((entity, entity_id), frozenset())

    def was_created(self, entity: Entity, entity_id: str) -> bool:
        """True when this thing was made (or put back) by the operation."""
        return (entity, entity_id) in self.created

    def was_deleted(self, entity: Entity, entity_id: str) -> bool:
        """True when this thing was deleted by the operation."""
        return (entity, entity_id) in self.deleted

    def only_fields(self, entity: Entity, names: Iterable[str]) -> bool:
        """True when the operation only changed fields in ``names`` of existing ``entity`` things.

        False when it made or deleted anything, or touched another kind of
        thing, or another field.
        """
        allowed = frozenset(names)
        if self.created or self.deleted:
            return False
        return all(e is entity and fields <= allowed for (e, _), fields in self.updated.items())

    def merged(self, other: OpChanges) -> OpChanges:
        """Both operations' changes, as one (a thing made then deleted counts as deleted)."""
        updated: dict[EntityRef, frozenset[str]] = dict(self.updated)
        for ref, names in other.updated.items():
            updated[ref] = updated.get(ref, frozenset()) | names
        return OpChanges(
            created=(self.created | other.created) - other.deleted,
            updated=updated,
            deleted=(self.deleted - other.created) | other.deleted,
            walkthrough_ids=self.walkthrough_ids | other.walkthrough_ids,
        )


@dataclass(frozen=True)
class Change:
    """One change of the history, as read back for ``walkthrough history`` and the window."""

    id: str
    device_id: str
    device_name: str
    person: str
    seq: int
    clock: Clock
    walkthrough_id: str
    entity: Entity
    entity_id: str
    #: what the thing belongs to within the walkthrough: a photo's observation
    parent_id: str | None
    kind: ChangeKind
    field: str | None
    #: the new value (``set``), the linked id (``link``, ``unlink``), the fields (``create``);
    #: ``None`` for a deletion and for content erased since
    value: Any
    erased: bool = False
    #: the changes this one replaced: what its author saw before changing it
    replaces: tuple[str, ...] = ()
    #: the ``seq`` of the first change of the operation this one belongs to (one person's action);
    #: with ``device_id`` it names the operation
    operation: int = 0

    @property
    def time(self) -> dt.datetime:
        """When it was made, in UTC, by its device's clock."""
        return self.clock.time
