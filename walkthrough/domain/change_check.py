"""A change that came from elsewhere (a package) is checked before it is kept.

A package may have been damaged, or made by someone who wants to break the
app or slip something in.  Each change is read from its plain JSON form and
checked field by field: its kind of thing, kind of change and field are
known ones, every value has the shape the services would have recorded, and
every id that points into the lens (area, prompt, rating, principle, core
component) is one the walkthrough's lens has.  A change that fails says
which, in one line.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from walkthrough.domain.change_values import (
    CREATE_FIELDS,
    CREATED_ONLY,
    CREATED_WITHOUT,
    LINK_FIELDS,
    PICTURE,
    SET_ONLY_FIELDS,
    TIMESTAMPS,
)
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock
from walkthrough.domain.errors import InvalidInput
from walkthrough.domain.vocabulary import MAT_STANDARDS, ActionStatus, OnTrack, Priority, Role, Voice

if TYPE_CHECKING:
    from walkthrough.domain.lens import Lens

__all__ = ["check_change"]

_ID = re.compile(r"[0-9A-Za-z-]{1,36}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_TEXT = 2_000_000


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= _MAX_TEXT


def _id(value: Any) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


def _date(value: Any) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _time(value: Any) -> bool:
    try:
        return isinstance(value, str) and dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _one_of(values: list[str]) -> Callable[[Any], bool]:
    return lambda value: value in values


def _ids(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= 10_000 and all(_id(v) for v in value)


def _facilitators(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= 1000 and all(
        isinstance(f, list) and len(f) == 2 and _id(f[0]) and _text(f[1]) for f in value)


def _participants(value: Any) -> bool:
    roles = [r.value for r in Role]
    return isinstance(value, list) and len(value) <= 1000 and all(
        isinstance(p, list) and len(p) == 3 and _id(p[0]) and _text(p[1]) and p[2] in roles for p in value)


def _picture(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"sha256", "width", "height"} \
        and isinstance(value["sha256"], str) and _SHA256.fullmatch(value["sha256"]) is not None \
        and _count(value["width"]) and _count(value["height"]) and value["width"] > 0 and value["height"] > 0


def _mat_standards(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, int) and not isinstance(n, bool) and n in MAT_STANDARDS
                                           for n in value) and value == sorted(set(value))


_on_track = _optional(_one_of([o.value for o in OnTrack]))


def _lens_id_required(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


_lens_id = _optional(_lens_id_required)

#: The shape of every recorded field's value, by kind of thing.
_SHAPES: dict[Entity, dict[str, Callable[[Any], bool]]] = {
    Entity.WALKTHROUGH: {"service": _text, "site": _text, "visit_date": _date, "lens_id": _text,
                         "lens_version": _text, "lens_title": _text, "lens_snapshot": _text,
                         "facilitators": _facilitators, "participants": _participants,
                         "service_id": _optional(_id), "follows_id": _optional(_id)},
    Entity.OBSERVATION: {"area_id": _lens_id_required, "prompt_id": _lens_id, "rating_id": _lens_id,
                         "principle_ids": _ids, "note": _text, "voice": _one_of([v.value for v in Voice]),
                         "position": _count},
    Entity.PHOTO: {"observation_id": _id, "caption": _text, "alt_text": _text, "original_name": _text,
                   PICTURE: _optional(_picture), "position": _count},
    Entity.ACTION: {"text": _text, "owner": _text, "due_date": _optional(_date),
                    "priority": _one_of([p.value for p in Priority]),
                    "status": _one_of([s.value for s in ActionStatus]), "component_id": _lens_id,
                    "principle_ids": _ids, "observation_ids": _ids, "position": _count,
                    "lead": _text, "on_track": _on_track, "success_measure": _text,
                    "mat_standards": _mat_standards},
    Entity.PROGRESS_UPDATE: {"action_id": _id, "date": _date, "written_by": _text, "note": _text,
                             "status": _one_of([s.value for s in ActionStatus]), "on_track": _on_track},
    Entity.SERVICE: {"name": _text, "organisation": _text},
}


def check_change(raw: Mapping[str, Any], walkthrough_id: str, lens: Lens | None) -> Change:
    """The change described by ``raw`` (a change row as JSON), checked.

    ``lens`` is the walkthrough's lens, to check the ids that point into it
    (None while the walkthrough itself is not known yet: its create brings it).

    Raises:
        InvalidInput: names the change and what is wrong with it.
    """
    ident = raw.get("id") if isinstance(raw, Mapping) else None
    label = f"change {ident}" if _id(ident) else "a change"

    def bad(what: str) -> InvalidInput:
        return InvalidInput(f"{label}: {what}")

    if not isinstance(raw, Mapping):
        raise bad("not a change")
    try:
        entity = Entity(raw["entity"])
        kind = ChangeKind(raw["kind"])
        clock = Clock.parse(raw["clock"])
    except (KeyError, TypeError, ValueError):
        raise bad("its kind, thing or clock is not one this program knows") from None
    for name in ("id", "device_id", "entity_id"):
        if not _id(raw.get(name)):
            raise bad(f"its {name.replace('_', ' ')} is not an id")
    # A service's changes are kept under its own id; a walkthrough's package carries its service's.
    scope = raw["entity_id"] if entity is Entity.SERVICE else walkthrough_id
    if entity is Entity.SERVICE and scope == walkthrough_id:
        raise bad("it is about a service under its walkthrough's id")
    if raw.get("walkthrough_id") != scope:
        raise bad("it belongs to another walkthrough")
    if entity is Entity.WALKTHROUGH and raw["entity_id"] != walkthrough_id:
        raise bad("it is about another walkthrough")
    if not (_count(raw.get("seq")) and raw["seq"] > 0 and _count(raw.get("operation"))
            and 0 < raw["operation"] <= raw["seq"]):
        raise bad("its sequence numbers are not right")
    parent = raw.get("parent_id")
    if parent is not None and not (_id(parent) and entity in (Entity.PHOTO, Entity.PROGRESS_UPDATE)):
        raise bad("its parent is not right")
    replaces = raw.get("replaces") or []
    if not _ids(replaces):
        raise bad("what it replaced is not a list of ids")
    field = raw.get("field")
    value = raw.get("value")
    shapes = _SHAPES[entity]
    if kind is ChangeKind.CREATE:
        if field is not None:
            raise bad("a creation names no field")
        if value is not None:
            expected = {*CREATE_FIELDS[entity], *(TIMESTAMPS if entity not in CREATED_ONLY else ("created_at",))}
            # One made by an older version lacks the fields added since (read as what they stand for).
            if not isinstance(value, dict) or not expected - CREATED_WITHOUT[entity].keys() <= set(value) <= expected:
                raise bad("its fields are not those of a " + entity.value)
            # Kept as it came (its author holds it so); read with what a field it predates means.
            read = {**CREATED_WITHOUT[entity], **value}
            for name, check in shapes.items():
                if name in SET_ONLY_FIELDS.get(entity, ()):
                    continue  # never in a create: recorded by its own set
                if not check(read[name]):
                    raise bad(f"its {name} is not right")
            if not all(_time(value[t]) for t in expected & set(TIMESTAMPS)):
                raise bad("its times are not right")
            _check_lens(bad, entity, value, lens)
    elif kind is ChangeKind.DELETE:
        if field is not None or value is not None:
            raise bad("a deletion carries nothing")
    else:
        if field not in shapes:
            raise bad(f"a {entity.value} has no field {field!r}")
        linking = kind in (ChangeKind.LINK, ChangeKind.UNLINK)
        if linking != (field in LINK_FIELDS):
            raise bad(f"{field} is not changed that way")
        if value is not None:
            ok = _id(value) if linking else shapes[field](value)
            if not ok:
                raise bad(f"its {field} is not right")
            _check_lens(bad, entity, {field: [value] if linking else value}, lens)
    return Change(id=raw["id"], device_id=raw["device_id"], device_name="", person="", seq=raw["seq"],
                  clock=clock, walkthrough_id=scope, entity=entity, entity_id=raw["entity_id"],
                  parent_id=parent, kind=kind, field=field, value=value, erased=value is None,
                  replaces=tuple(replaces), operation=raw["operation"])


def _check_lens(bad: Callable[[str], InvalidInput], entity: Entity, values: Mapping[str, Any],
                lens: Lens | None) -> None:
    if lens is None:
        return
    checks: dict[str, Callable[[str], object]] = {
        "area_id": lens.area, "prompt_id": lens.prompt, "rating_id": lens.rating, "component_id": lens.component,
    }
    for name, find in checks.items():
        if entity in (Entity.OBSERVATION, Entity.ACTION) and values.get(name) is not None \
                and find(values[name]) is None:
            raise bad(f"the lens has no {name.removesuffix('_id')} {values[name]!r}")
    if entity in (Entity.OBSERVATION, Entity.ACTION):
        for principle in values.get("principle_ids") or ():
            if lens.principle(principle) is None:
                raise bad(f"the lens has no principle {principle!r}")
