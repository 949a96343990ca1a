"""Words for one recorded change, as the history window shows it ("Rating set to “Could be better”").

Worded here, from the :class:`~walkthrough.domain.changes.Change` records
themselves, for translators; what a rating, principle or component id means
comes from the walkthrough's lens (:class:`~walkthrough.domain.lens.Lens`),
never from a copy of its rules.  A long value (a note, a caption) is
shortened in :attr:`ChangeWords.text`; :attr:`ChangeWords.full` has it whole,
for the tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.lens import Lens
from walkthrough.gui.wording import local_time_text, not_rated_label, priority_label, status_label, voice_label

__all__ = ["ChangeWords", "describe_change", "shorten", "when_text", "who_text"]

#: Longest value shown in the list, in characters; the tooltip has it whole.
SHORT_CHARS = 60


@dataclass(frozen=True)
class ChangeWords:
    """What a change did, in words: shortened for the list, and whole for the tooltip."""

    text: str
    full: str


def shorten(text: str, limit: int = SHORT_CHARS) -> str:
    """``text`` on one line, cut at a word near ``limit`` characters with "…" when longer."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def when_text(change: Change, long: bool = False) -> str:
    """When the change was made, in local time, as the person's locale writes it (short, or long)."""
    if not long:
        return local_time_text(change.time)  # as the start page and the differences have it
    moment = QDateTime.fromMSecsSinceEpoch(int(change.time.timestamp() * 1000)).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.LongFormat)


def who_text(change: Change) -> str:
    """Who made it: the person, if the device says, on which device."""
    if change.person:
        return QCoreApplication.translate("ChangeHistory", "%1 on %2").replace("%1", change.person).replace(
            "%2", change.device_name)
    return change.device_name


def describe_change(change: Change, lens: Lens, findings: Mapping[str, str] | None = None) -> ChangeWords:
    """What ``change`` did, in words; ``findings`` words each observation an action may link to (by id)."""
    if change.kind is ChangeKind.DELETE:
        if change.entity is Entity.PHOTO:
            return _same(QCoreApplication.translate("ChangeHistory", "Photo deleted"))
        return _same(QCoreApplication.translate("ChangeHistory", "Deleted"))
    if change.kind is ChangeKind.CREATE:
        return _created(change)
    if change.erased:
        return _same(_erased(QCoreApplication.translate("ChangeHistory", "%1 changed").replace(
            "%1", _field_name(change.entity, change.field or ""))))
    if change.kind in (ChangeKind.LINK, ChangeKind.UNLINK):
        return _linked(change, lens, findings or {})
    return _set(change, lens)


def _same(text: str) -> ChangeWords:
    return ChangeWords(text, text)


def _erased(text: str) -> str:
    return text + " " + QCoreApplication.translate("ChangeHistory", "(content erased)")


def _quoted(template: str, value: str) -> ChangeWords:
    """``template`` with %1 the value: shortened in the text, whole in the tooltip."""
    return ChangeWords(template.replace("%1", shorten(value)), template.replace("%1", value))


def _created(change: Change) -> ChangeWords:
    if change.entity is Entity.PHOTO:
        if change.erased:
            return _same(_erased(QCoreApplication.translate("ChangeHistory", "Photo added")))
        name = str((change.value or {}).get("original_name") or "")
        if not name:
            return _same(QCoreApplication.translate("ChangeHistory", "Photo added"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Photo “%1” added"), name)
    created = QCoreApplication.translate("ChangeHistory", "Created")
    return _same(_erased(created) if change.erased else created)


def _linked(change: Change, lens: Lens, findings: Mapping[str, str]) -> ChangeWords:
    added = change.kind is ChangeKind.LINK
    target = str(change.value)
    if change.field == "observation_ids":
        words = findings.get(target)
        if words is None:
            return _same(QCoreApplication.translate("ChangeHistory", "Finding linked") if added
                         else QCoreApplication.translate("ChangeHistory", "Finding unlinked"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Finding linked: “%1”") if added
                       else QCoreApplication.translate("ChangeHistory", "Finding unlinked: “%1”"), words)
    principle = lens.principle(target)
    name = principle.name if principle else target
    return _same((QCoreApplication.translate("ChangeHistory", "Principles: %1 added") if added
                  else QCoreApplication.translate("ChangeHistory", "Principles: %1 removed")).replace("%1", name))


def _set(change: Change, lens: Lens) -> ChangeWords:
    field, value = change.field or "", change.value
    if change.entity is Entity.PHOTO:
        if field == "caption":
            if not value:
                return _same(QCoreApplication.translate("ChangeHistory", "Caption removed"))
            return _quoted(QCoreApplication.translate("ChangeHistory", "Caption changed: “%1”"), str(value))
        if field == PICTURE:
            return _same(QCoreApplication.translate("ChangeHistory", "Picture blurred"))
        if field == "position":
            return _same(QCoreApplication.translate("ChangeHistory", "Photos put in a new order"))
    elif field == "rating_id":
        rating = lens.rating(str(value)) if value else None
        label = rating.label if rating else (str(value) if value else not_rated_label())
        return _same(QCoreApplication.translate("ChangeHistory", "Rating set to “%1”").replace("%1", label))
    elif field == "note":
        if not value:
            return _same(QCoreApplication.translate("ChangeHistory", "Note emptied"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Note changed: “%1”"), str(value))
    elif field == "voice":
        return _same(QCoreApplication.translate("ChangeHistory", "Voice set to %1").replace("%1", voice_label(value)))
    elif field == "text":
        return _quoted(QCoreApplication.translate("ChangeHistory", "Text changed: “%1”"), str(value))
    elif field == "owner":
        if not value:
            return _same(QCoreApplication.translate("ChangeHistory", "Owner removed"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Owner set to “%1”"), str(value))
    elif field == "due_date":
        if not value:
            return _same(QCoreApplication.translate("ChangeHistory", "Due date removed"))
        return _same(QCoreApplication.translate("ChangeHistory", "Due date set to %1").replace("%1", _date(value)))
    elif field == "priority":
        return _same(QCoreApplication.translate("ChangeHistory", "Priority set to %1").replace(
            "%1", priority_label(value)))
    elif field == "status":
        return _same(QCoreApplication.translate("ChangeHistory", "Status set to %1").replace(
            "%1", status_label(value)))
    elif field == "component_id":
        if not value:
            return _same(QCoreApplication.translate("ChangeHistory", "Component removed"))
        component = lens.component(str(value))
        return _same(QCoreApplication.translate("ChangeHistory", "Component set to %1").replace(
            "%1", component.name if component else str(value)))
    elif field == "principle_ids":
        names = [p.name if p else str(i) for i, p in ((i, lens.principle(str(i))) for i in value or ())]
        return _quoted(QCoreApplication.translate("ChangeHistory", "Principles set to %1"), ", ".join(names))
    elif field == "observation_ids":
        return _same(QCoreApplication.translate("ChangeHistory", "Linked findings put in a new order"))
    elif field == "position":
        return _same(QCoreApplication.translate("ChangeHistory", "Moved in the plan") if change.entity is Entity.ACTION
                     else QCoreApplication.translate("ChangeHistory", "Moved within its area"))
    return _same(QCoreApplication.translate("ChangeHistory", "%1 changed").replace(
        "%1", _field_name(change.entity, field)))


def _date(value: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def _field_name(entity: Entity, field: str) -> str:
    """A field's name in words, for "… changed"."""
    names = {
        "note": QCoreApplication.translate("ChangeHistory", "Note"),
        "rating_id": QCoreApplication.translate("ChangeHistory", "Rating"),
        "voice": QCoreApplication.translate("ChangeHistory", "Voice"),
        "principle_ids": QCoreApplication.translate("ChangeHistory", "Principles"),
        "observation_ids": QCoreApplication.translate("ChangeHistory", "Linked findings"),
        "caption": QCoreApplication.translate("ChangeHistory", "Caption"),
        PICTURE: QCoreApplication.translate("ChangeHistory", "Picture"),
        "text": QCoreApplication.translate("ChangeHistory", "Text"),
        "owner": QCoreApplication.translate("ChangeHistory", "Owner"),
        "due_date": QCoreApplication.translate("ChangeHistory", "Due date"),
        "priority": QCoreApplication.translate("ChangeHistory", "Priority"),
        "status": QCoreApplication.translate("ChangeHistory", "Status"),
        "component_id": QCoreApplication.translate("ChangeHistory", "Component"),
        "position": QCoreApplication.translate("ChangeHistory", "Place"),
        "service_id": QCoreApplication.translate("ChangeHistory", "Service"),
        "follows_id": QCoreApplication.translate("ChangeHistory", "Walk followed up"),
    }
    if field in names:
        return names[field]
    return field.replace("_", " ").capitalize() or (QCoreApplication.translate("ChangeHistory", "Photo")
                                                    if entity is Entity.PHOTO else "")
