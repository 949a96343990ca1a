"""The change history in the command line's words: one line per change.

What a change is about and how its values are shown is decided once, in
:mod:`walkthrough.domain.change_summary` (the window shows the same, through
its translations); here it is only put into English::

    7 Dec 2026 20:45  Orkney laptop (Ana)  observation 3f2a9c1e in "Entrance": note changed to "Door sticks"
"""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.change_summary import ChangeSummary, ShownValue, ValueForm
from walkthrough.domain.changes import ChangeKind, Entity

#: Each field's name in a line (fields not listed are shown by their key, ``_`` as a space).
#: A walkthrough's fields that name another thing: what setting them says.
_POINTERS = {
    "service_id": "walkthrough filed under service ",
    "follows_id": "walkthrough follows up walk ",
}

_FIELD_WORDS = {
    "area_id": "area",
    "prompt_id": "prompt",
    "rating_id": "rating",
    "principle_ids": "principle",
    "component_id": "component",
    "due_date": "due date",
    "observation_ids": "findings",
    "original_name": "file name",
    "visit_date": "date",
    "text": "text",
    "lead": "lead",
    "success_measure": "how we'll know",
    "mat_standards": "MAT standards",
}

#: What an empty value is called, by field (else "(none)").
_NONE_WORDS = {"rating_id": "not rated yet", "note": "(no note)", "caption": "(no caption)",
               "alt_text": "(no alt text)"}


def change_line(summary: ChangeSummary) -> str:
    """``when  who  what`` for one change."""
    change = summary.change
    who = change.device_name + (f" ({change.person})" if change.person else "")
    return f"{when(change.time):<17}  {who}  {what(summary)}"


def when(time: dt.datetime) -> str:
    """A moment in local time, as people write it: ``7 Dec 2026 20:45``."""
    local = time.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def what(summary: ChangeSummary) -> str:
    """What the change did, in plain words."""
    thing = _thing(summary)
    erased = " (content erased)" if summary.erased else ""
    if summary.kind is ChangeKind.CREATE:
        if summary.entity is Entity.WALKTHROUGH:
            return f"walkthrough created{erased}"
        shown = ""
        if summary.new is not None and summary.new.form is not ValueForm.NONE and summary.entity not in (
                Entity.ACTION, Entity.PROGRESS_UPDATE):
            shown = f": {_value(summary.new, None)}"
        return f"{thing} added{shown}{erased}"
    if summary.kind is ChangeKind.DELETE:
        return f"{thing} deleted"
    field = summary.field or ""
    if field in _POINTERS and summary.new is not None and not summary.erased:
        return _POINTERS[field] + (summary.new.text or "none")
    name = _FIELD_WORDS.get(field, field.replace("_", " "))
    if summary.kind in (ChangeKind.LINK, ChangeKind.UNLINK):
        done = "linked" if summary.kind is ChangeKind.LINK else "unlinked"
        if field == "observation_ids":
            name = "finding"
        linked = "" if summary.new is None else f" {_value(summary.new, field)}"
        return f"{thing}: {name}{linked} {done}{erased}"
    if summary.erased or summary.new is None:
        return f"{thing}: {name} changed (content erased)"
    new = _value(summary.new, field)
    if summary.old is not None:
        return f"{thing}: {name} changed from {_value(summary.old, field)} to {new}"
    return f"{thing}: {name} set to {new}"


def _thing(summary: ChangeSummary) -> str:
    """The thing changed: ``observation 3f2a9c1e in "Entrance"``, ``photo "door.jpg"``, ``action "Fix…"``."""
    if summary.entity is Entity.WALKTHROUGH:
        return "details" if summary.kind is ChangeKind.SET else "walkthrough"
    kind = summary.entity.value.replace("_", " ")
    if summary.entity is Entity.OBSERVATION:
        return f"{kind} {summary.short_id}" + (f' in "{summary.title}"' if summary.title else "")
    return f'{kind} "{summary.title}"' if summary.title else f"{kind} {summary.short_id}"


def _value(value: ShownValue, field: str | None) -> str:
    if value.form is ValueForm.NONE:
        return _NONE_WORDS.get(field or "", "(none)")
    if value.form in (ValueForm.TEXT, ValueForm.TITLE):
        return f'"{value.text}"'
    if value.form is ValueForm.CODE:
        return value.text.replace("-", " ")
    return value.text
