"""What one thing is, from all its changes, whatever laptop made them and in whatever order they came.

When the changes of a walkthrough made on several laptops come together
(issue #14), each thing — an observation, a photo, an action, the
walkthrough — is worked out again from every change known of it.
:func:`fold` is that rule, in one place.  It depends only on the set of
changes, never on the order they arrived in, so every laptop that holds the
same changes shows the same thing.

A change names the changes its author saw before making it (``replaces``).
From that:

- A field's value is that of its latest change, the *head*: the one no other
  change replaced.  Two heads are two people changing the field without
  seeing each other's change: a :class:`Difference` to decide.  Meanwhile
  every laptop shows the same one of them (the later clock; between equal
  clocks the device id decides), and both are kept.  Two heads with the same
  value are no difference.
- The order on screen (``position``): the latest wins, never a difference.
- Links (principles, the findings an action answers): adding wins.  A link
  stays unless an ``unlink`` was made by someone who had seen that link.
- A deletion made without seeing an edit of the same thing is a difference to
  decide too (kept or deleted), and the thing stays until it is decided.  A
  ``create`` after a deletion (undo) brings the thing back.
- A change that replaces a change not yet known *waits* (:attr:`Folded.waiting`):
  it counts once what it replaced arrives.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from walkthrough.domain.change_values import CREATED_WITHOUT, LATEST_WINS, LINK_FIELDS
from walkthrough.domain.changes import Change, ChangeKind

__all__ = ["Difference", "Folded", "KEPT_OR_DELETED", "fold"]

#: The :attr:`Difference.field` of a deletion made without seeing an edit.
KEPT_OR_DELETED = "kept or deleted"


@dataclass(frozen=True)
class Difference:
    """Changes of one field made without seeing each other; a person decides which stands.

    ``candidates`` are the competing changes, the one shown meanwhile first.
    For :data:`KEPT_OR_DELETED` they are the deletion and the edits it did not see.
    """

    field: str
    candidates: tuple[Change, ...]


@dataclass(frozen=True)
class Folded:
    """A thing as its changes make it."""

    #: False when deleted (or never made: only changes waiting, or erased content)
    exists: bool
    #: each field's value as shown (the create's fields, then every later change)
    values: dict[str, Any] = field(default_factory=dict)
    differences: tuple[Difference, ...] = ()
    #: changes that replace a change not known yet; they count once it arrives
    waiting: tuple[Change, ...] = ()


def _order(change: Change) -> tuple[str, str, int, str]:
    """Later clock first when sorted in reverse; then the device id, its sequence, the change id: a total order."""
    return (change.clock.text, change.device_id, change.seq, change.id)


def fold(changes: Iterable[Change]) -> Folded:
    """The thing made by ``changes`` (all of one thing; any order; duplicates ignored)."""
    by_id = {c.id: c for c in changes}
    ready, waiting = _ready(by_id)
    seen = _Ancestry(ready)
    lives = [c for c in ready.values() if c.kind in (ChangeKind.CREATE, ChangeKind.DELETE)]
    life_heads = seen.heads(lives)
    creates = [c for c in life_heads if c.kind is ChangeKind.CREATE]
    deletes = [c for c in life_heads if c.kind is ChangeKind.DELETE]
    edits = [c for c in ready.values() if c.kind in (ChangeKind.SET, ChangeKind.LINK, ChangeKind.UNLINK)]
    differences: list[Difference] = []
    if deletes:
        # Edits the deleting person had not seen: kept or deleted is for a person to decide.
        unseen = [e for e in edits if not any(seen.saw(d, e) for d in deletes)]
        if unseen:
            differences.append(Difference(KEPT_OR_DELETED, tuple(sorted(deletes, key=_order, reverse=True))
                                          + tuple(sorted(unseen, key=_order, reverse=True))))
            creates = creates or [c for c in lives if c.kind is ChangeKind.CREATE and any(seen.saw(e, c) for e in unseen)]
    if not creates:
        return Folded(False, waiting=waiting)
    base = max(creates, key=_order)
    if base.value is None:  # its content was erased: only a tombstone's worth is left
        return Folded(False, differences=tuple(differences), waiting=waiting)
    # A create recorded before the history held a field (an older program's) means that field's default.
    values: dict[str, Any] = {**CREATED_WITHOUT[base.entity], **base.value}
    mine = [e for e in edits if e.field is not None and seen.saw(e, base)]
    for name in sorted({e.field for e in mine if e.field is not None}):
        about = [e for e in mine if e.field == name]
        if name in LINK_FIELDS:
            values[name] = _links(base, name, about, seen)
            continue
        heads = sorted(seen.heads([base, *about]), key=_order, reverse=True)
        values[name] = _value_of(heads[0], name, base)
        if name not in LATEST_WINS and len({_key(_value_of(h, name, base)) for h in heads}) > 1:
            differences.append(Difference(name, tuple(heads)))
    return Folded(True, values, tuple(differences), waiting)


def _ready(by_id: dict[str, Change]) -> tuple[dict[str, Change], tuple[Change, ...]]:
    """The changes whose replaced changes are all known (transitively); the rest wait."""
    ready: dict[str, Change] = {}
    pending = sorted(by_id.values(), key=_order)
    progress = True
    while progress:
        progress = False
        left = []
        for c in pending:
            if all(r in ready for r in c.replaces):
                ready[c.id] = c
                progress = True
            else:
                left.append(c)
        pending = left
    return ready, tuple(pending)


class _Ancestry:
    """Who saw what: the changes each change's author had seen, through the chains of replaced changes."""

    def __init__(self, ready: dict[str, Change]) -> None:
        self._ready = ready
        self._seen: dict[str, frozenset[str]] = {}

    def before(self, change: Change) -> frozenset[str]:
        """The ids of every change ``change``'s author had seen (not itself)."""
        known = self._seen.get(change.id)
        if known is None:
            found: set[str] = set()
            stack = list(change.replaces)
            while stack:
                current = stack.pop()
                if current in found or current not in self._ready:
                    continue
                found.add(current)
                stack.extend(self._ready[current].replaces)
            known = self._seen[change.id] = frozenset(found)
        return known

    def saw(self, new: Change, old: Change) -> bool:
        """True when ``new``'s author had seen ``old`` (or they are one change)."""
        return new.id == old.id or old.id in self.before(new)

    def heads(self, candidates: Sequence[Change]) -> list[Change]:
        """The candidates no other candidate's author had seen."""
        return [c for c in candidates if not any(o.id != c.id and self.saw(o, c) for o in candidates)]


def _links(base: Change, name: str, edits: Sequence[Change], seen: _Ancestry) -> list[str]:
    """The linked ids: adding wins over a removal that had not seen the adding."""
    adds: dict[str, list[Change]] = {}
    for target in base.value.get(name) or ():
        adds.setdefault(target, []).append(base)
    removes: dict[str, list[Change]] = {}
    for e in edits:
        if e.kind is ChangeKind.LINK:
            adds.setdefault(e.value, []).append(e)
        elif e.kind is ChangeKind.UNLINK:
            removes.setdefault(e.value, []).append(e)
    linked = []
    for target, adders in adds.items():
        if any(not any(seen.saw(r, a) for r in removes.get(target, ())) for a in adders):
            linked.append(target)
    return sorted(linked)


def _value_of(change: Change, name: str, base: Change) -> Any:
    return change.value[name] if change is base else change.value


def _key(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)
