"""Differences to decide: what two people changed without seeing each other's change.

When changes from several laptops come together (:mod:`walkthrough.services.exchange`),
two notes, two ratings or an edit and a deletion made apart are both kept
(:func:`walkthrough.domain.merge.fold`).  Here they are listed, and a person
decides: keep one of the values, or write a new one; keep the thing or
delete it.  The decision is a change like any other, replacing every value it
chose between, so it settles the difference on every laptop that receives
it.  Editing the field in the ordinary way settles it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from walkthrough.domain.changes import Change, ChangeKind, Entity, OpChanges
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.merge import KEPT_OR_DELETED, fold
from walkthrough.services.apply import apply_history, stored_pictures
from walkthrough.services.history import Recorder, changes_of
from walkthrough.storage.database import Database

__all__ = ["Candidate", "OpenDifference", "decide", "find_difference", "list_differences", "settle_with_value"]


@dataclass(frozen=True)
class Candidate:
    """One of the values a difference is between, with who made it and when."""

    change_id: str
    #: the value; for a kept-or-deleted difference, None for the deletion
    value: Any
    device_name: str
    person: str
    change: Change


@dataclass(frozen=True)
class OpenDifference:
    """A difference to decide about one field of one thing (or whether it is kept at all)."""

    #: short and stable: the same on every laptop that has the same changes
    id: str
    walkthrough_id: str
    entity: Entity
    entity_id: str
    #: the field, or :data:`~walkthrough.domain.merge.KEPT_OR_DELETED`
    field: str
    #: the one shown meanwhile first
    candidates: tuple[Candidate, ...]

    @property
    def about_keeping(self) -> bool:
        """True when the difference is whether the thing is kept or deleted."""
        return self.field == KEPT_OR_DELETED


def _difference_id(entity_id: str, field: str) -> str:
    return hashlib.sha256(f"{entity_id}/{field}".encode()).hexdigest()[:10]


def list_differences(db: Database, walkthrough_id: str) -> list[OpenDifference]:
    """The walkthrough's open differences, the things in walking order's rough sense: oldest change first."""
    with db.sessions.begin() as session:
        grouped = changes_of(session, walkthrough_id)
    found: list[OpenDifference] = []
    for entity_id, changes in grouped.items():
        for difference in fold(changes).differences:
            candidates = tuple(
                Candidate(c.id, None if c.kind is ChangeKind.DELETE else _value(c, difference.field),
                          c.device_name, c.person, c)
                for c in difference.candidates)
            found.append(OpenDifference(_difference_id(entity_id, difference.field), walkthrough_id,
                                        changes[0].entity, entity_id, difference.field, candidates))
    return sorted(found, key=lambda d: min(c.change.clock for c in d.candidates))


def _value(change: Change, field: str) -> Any:
    if change.kind is ChangeKind.CREATE:
        return None if change.value is None else change.value.get(field)
    return change.value


def find_difference(db: Database, id_or_prefix: str, walkthrough_id: str | None = None) -> OpenDifference:
    """The open difference whose id starts with ``id_or_prefix`` (in one walkthrough, or in any).

    Raises:
        NotFound: none (it may have been decided already).
        InvalidInput: more than one starts so.
    """
    if walkthrough_id is None:
        from walkthrough.services.walkthroughs import list_walkthroughs

        ids = [w.id for w in list_walkthroughs(db)]
    else:
        ids = [walkthrough_id]
    matches = [d for wid in ids for d in list_differences(db, wid) if d.id.startswith(id_or_prefix.strip().lower())]
    if not matches:
        raise NotFound("difference", id_or_prefix, "it may have been decided already; `walkthrough conflicts` "
                       "lists the open ones")
    if len(matches) > 1:
        raise InvalidInput(f"{id_or_prefix!r} starts more than one difference's id; give more of it")
    return matches[0]


def decide(db: Database, difference: OpenDifference, *, keep: int | None = None, value: Any = None) -> OpChanges:
    """Settle a difference: keep candidate number ``keep`` (1-based), or write ``value``.

    For a kept-or-deleted difference, keeping the deletion deletes the thing;
    keeping any other candidate keeps the thing as it is shown.

    Raises:
        InvalidInput: no choice, both, or a number that is not one of the candidates.
    """
    if (keep is None) == (value is None):
        raise InvalidInput("say which value to keep, or write a new one (not both)")
    if keep is not None and not 1 <= keep <= len(difference.candidates):
        raise InvalidInput(f"there are {len(difference.candidates)} values to choose from; {keep} is not one")
    chosen = difference.candidates[keep - 1] if keep is not None else None
    replaces = [c.change_id for c in difference.candidates]
    with db.sessions.begin() as session:
        recorder = Recorder(session, difference.walkthrough_id)
        if difference.about_keeping:
            if value is not None:
                raise InvalidInput("whether a thing is kept is decided by keeping one of the two, not by a value")
            assert chosen is not None
            if chosen.change.kind is ChangeKind.DELETE:
                recorder.decided_deletion(difference.entity, difference.entity_id)
            else:
                current = fold(changes_of(session, difference.walkthrough_id, [difference.entity_id])
                               [difference.entity_id])
                recorder.decided_keeping(difference.entity, difference.entity_id, current.values, replaces)
        else:
            recorder.decided(difference.entity, difference.entity_id, difference.field,
                             chosen.value if chosen is not None else value, replaces)
        changes = recorder.finish()
        apply_history(session, difference.walkthrough_id, stored_pictures(session), [difference.entity_id])
        return changes


def settle_with_value(db: Database, difference: OpenDifference, text: str) -> OpChanges:
    """Settle a difference with a value a person writes, read and checked as an ordinary edit would be.

    A rating may be its id, label or place on the scale; a voice, priority
    or status its word; a due date a day (year-month-day) or empty; a note
    or any other text as written.

    Raises:
        InvalidInput: the difference is about keeping a thing (choose instead),
            or the text is not a value of the field.
    """
    from walkthrough.services import actions, observations, photos, walkthroughs
    from walkthrough.services.history import collect_changes
    from walkthrough.services.lens_terms import resolve_optional_rating

    if difference.about_keeping:
        raise InvalidInput("whether a thing is kept is decided by keeping one of the two, not by a value")
    name = difference.field
    value: Any = text
    if name == "rating_id":
        value = resolve_optional_rating(walkthroughs.get_walkthrough(db, difference.walkthrough_id).lens, text)
    elif name in ("due_date", "visit_date"):
        import datetime as dt

        try:
            value = dt.date.fromisoformat(text.strip()) if text.strip() else None
        except ValueError:
            raise InvalidInput(f"{text!r} is not a day; write year-month-day, like 2026-11-29") from None
    shown = difference.candidates[0].value
    if _same(shown, value):
        return decide(db, difference, keep=1)  # the value shown: an edit would change nothing, so keep it
    with collect_changes() as collected:
        if difference.entity is Entity.OBSERVATION and name in ("note", "rating_id", "voice"):
            observations.update_observation(db, difference.entity_id, **{name: _enum_for(name, value)})
        elif difference.entity is Entity.ACTION and name in ("text", "lead", "owner", "due_date", "priority",
                                                             "status", "component_id", "success_measure"):
            actions.update_action(db, difference.entity_id, **{name: _enum_for(name, value)})
        elif difference.entity is Entity.PHOTO and name == "caption":
            photos.set_caption(db, difference.entity_id, value)
        elif difference.entity is Entity.PHOTO and name == "alt_text":
            photos.set_alt_text(db, difference.entity_id, value)
        elif difference.entity is Entity.WALKTHROUGH and name in ("service", "site", "visit_date"):
            walkthroughs.update_walkthrough(db, difference.walkthrough_id, **{name: value})
        else:
            raise InvalidInput(f"the {name.replace('_', ' ')} is decided by keeping one of the values")
    return collected.changes


def _enum_for(name: str, value: Any) -> Any:
    from walkthrough.domain.vocabulary import ActionStatus, Priority, Voice

    kinds = {"voice": Voice, "priority": Priority, "status": ActionStatus}
    if name not in kinds or value is None:
        return value
    try:
        return kinds[name](str(value).strip().lower())
    except ValueError:
        words = ", ".join(v.value for v in kinds[name])
        raise InvalidInput(f"{value!r} is not a {name} ({words})") from None


def _same(shown: Any, value: Any) -> bool:
    plain = value.isoformat() if hasattr(value, "isoformat") else getattr(value, "value", value)
    return shown == plain
