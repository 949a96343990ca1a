"""Words for one recorded change, as the history window shows it ("Rating set to “Could be better”").

What a change says — which thing, which field, and each value as the lens
names it, shortened — is decided once, in
:mod:`walkthrough.domain.change_summary` (the command line says the same in
English); here it is only put into words, for translators.  A long value (a
note, a caption) is shortened in :attr:`ChangeWords.text`;
:attr:`ChangeWords.full` has it whole, for the tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

from walkthrough.domain.change_summary import ChangeSummary, ShownValue, ValueForm, shorten, summarise
from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.lens import Lens
from walkthrough.gui.wording import (
    local_time_text,
    not_rated_label,
    on_track_label,
    priority_label,
    status_label,
    voice_label,
)

__all__ = ["ChangeWords", "describe", "describe_change", "when_text", "who_text"]


@dataclass(frozen=True)
class ChangeWords:
    """What a change did, in words: shortened for the list, and whole for the tooltip."""

    text: str
    full: str


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


def describe_change(change: Change, lens: Lens | None, findings: Mapping[str, str] | None = None) -> ChangeWords:
    """What a lone ``change`` did, in words (see :func:`describe`)."""
    return describe(summarise(change, lens), findings)


def describe(summary: ChangeSummary, findings: Mapping[str, str] | None = None) -> ChangeWords:
    """What the summed-up change did, in words; ``findings`` words each observation an action may link to (by id)."""
    if summary.kind is ChangeKind.DELETE:
        if summary.entity is Entity.PHOTO:
            return _same(QCoreApplication.translate("ChangeHistory", "Photo deleted"))
        return _same(QCoreApplication.translate("ChangeHistory", "Deleted"))
    if summary.kind is ChangeKind.CREATE:
        return _created(summary)
    if summary.erased or summary.new is None:
        return _same(_erased(QCoreApplication.translate("ChangeHistory", "%1 changed").replace(
            "%1", _field_name(summary.entity, summary.field or ""))))
    if summary.kind in (ChangeKind.LINK, ChangeKind.UNLINK):
        return _linked(summary, summary.new, findings or {})
    return _set(summary, summary.new)


def _same(text: str) -> ChangeWords:
    return ChangeWords(text, text)


def _erased(text: str) -> str:
    return text + " " + QCoreApplication.translate("ChangeHistory", "(content erased)")


def _quoted(template: str, short: str, whole: str) -> ChangeWords:
    """``template`` with %1 the value: shortened in the text, whole in the tooltip."""
    return ChangeWords(template.replace("%1", short), template.replace("%1", whole or short))


def _created(summary: ChangeSummary) -> ChangeWords:
    if summary.entity is Entity.PHOTO:
        return _added(summary, QCoreApplication.translate("ChangeHistory", "Photo added"),
                      QCoreApplication.translate("ChangeHistory", "Photo “%1” added"))
    if summary.entity is Entity.PROGRESS_UPDATE:
        return _added(summary, QCoreApplication.translate("ChangeHistory", "Progress update added"),
                      QCoreApplication.translate("ChangeHistory", "Progress update added: “%1”"))
    created = QCoreApplication.translate("ChangeHistory", "Created")
    return _same(_erased(created) if summary.erased else created)


def _added(summary: ChangeSummary, plain: str, named: str) -> ChangeWords:
    """A thing added: ``named`` with its title (%1) while the history keeps it, else ``plain``."""
    if summary.erased:
        return _same(_erased(plain))
    if not summary.title:
        return _same(plain)
    return _quoted(named, summary.title, summary.whole_title)


def _linked(summary: ChangeSummary, value: ShownValue, findings: Mapping[str, str]) -> ChangeWords:
    added = summary.kind is ChangeKind.LINK
    if summary.field == "observation_ids":
        words = findings.get(value.whole)
        if words is None:
            return _same(QCoreApplication.translate("ChangeHistory", "Finding linked") if added
                         else QCoreApplication.translate("ChangeHistory", "Finding unlinked"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Finding linked: “%1”") if added
                       else QCoreApplication.translate("ChangeHistory", "Finding unlinked: “%1”"),
                       shorten(words), words)
    return _same((QCoreApplication.translate("ChangeHistory", "Principles: %1 added") if added
                  else QCoreApplication.translate("ChangeHistory", "Principles: %1 removed")).replace("%1", value.text))


def _set(summary: ChangeSummary, value: ShownValue) -> ChangeWords:
    field, empty = summary.field or "", value.form is ValueForm.NONE
    if summary.entity is Entity.PHOTO:
        if field == "caption":
            if empty:
                return _same(QCoreApplication.translate("ChangeHistory", "Caption removed"))
            return _quoted(QCoreApplication.translate("ChangeHistory", "Caption changed: “%1”"), value.text, value.whole)
        if field == "alt_text":
            if empty:
                return _same(QCoreApplication.translate("ChangeHistory", "Alt text removed"))
            return _quoted(QCoreApplication.translate("ChangeHistory", "Alt text changed: “%1”"), value.text,
                           value.whole)
        if field == PICTURE:
            return _same(QCoreApplication.translate("ChangeHistory", "Picture blurred"))
        if field == "position":
            return _same(QCoreApplication.translate("ChangeHistory", "Photos put in a new order"))
    elif field == "rating_id":
        label = not_rated_label() if empty else value.text
        return _same(QCoreApplication.translate("ChangeHistory", "Rating set to “%1”").replace("%1", label))
    elif field == "note":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "Note emptied"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Note changed: “%1”"), value.text, value.whole)
    elif field == "voice":
        return _same(QCoreApplication.translate("ChangeHistory", "Voice set to %1").replace(
            "%1", voice_label(value.text)))
    elif field == "text":
        return _quoted(QCoreApplication.translate("ChangeHistory", "Text changed: “%1”"), value.text, value.whole)
    elif field == "owner":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "Owner removed"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Owner set to “%1”"), value.text, value.whole)
    elif field == "due_date":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "Due date removed"))
        return _same(QCoreApplication.translate("ChangeHistory", "Due date set to %1").replace(
            "%1", _date(value.text)))
    elif field == "priority":
        return _same(QCoreApplication.translate("ChangeHistory", "Priority set to %1").replace(
            "%1", priority_label(value.text)))
    elif field == "status":
        return _same(QCoreApplication.translate("ChangeHistory", "Status set to %1").replace(
            "%1", status_label(value.text)))
    elif field == "on_track":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "On track: not said"))
        return _same(QCoreApplication.translate("ChangeHistory", "On track set to %1").replace(
            "%1", on_track_label(value.text)))
    elif field == "lead":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "Lead removed"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "Lead set to “%1”"), value.text, value.whole)
    elif field == "success_measure":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "How we’ll know removed"))
        return _quoted(QCoreApplication.translate("ChangeHistory", "How we’ll know: “%1”"), value.text, value.whole)
    elif field == "mat_standards":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "MAT standards removed"))
        return _same(QCoreApplication.translate("ChangeHistory", "MAT standards set to %1").replace("%1", value.text))
    elif field == "component_id":
        if empty:
            return _same(QCoreApplication.translate("ChangeHistory", "Component removed"))
        return _same(QCoreApplication.translate("ChangeHistory", "Component set to %1").replace("%1", value.text))
    elif field == "principle_ids":
        return _quoted(QCoreApplication.translate("ChangeHistory", "Principles set to %1"), value.text, value.whole)
    elif field == "observation_ids":
        return _same(QCoreApplication.translate("ChangeHistory", "Linked findings put in a new order"))
    elif field == "position":
        return _same(QCoreApplication.translate("ChangeHistory", "Moved in the plan")
                     if summary.entity is Entity.ACTION
                     else QCoreApplication.translate("ChangeHistory", "Moved within its area"))
    return _same(QCoreApplication.translate("ChangeHistory", "%1 changed").replace(
        "%1", _field_name(summary.entity, field)))


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
        "alt_text": QCoreApplication.translate("ChangeHistory", "Alt text"),
        PICTURE: QCoreApplication.translate("ChangeHistory", "Picture"),
        "text": QCoreApplication.translate("ChangeHistory", "Text"),
        "owner": QCoreApplication.translate("ChangeHistory", "Owner"),
        "due_date": QCoreApplication.translate("ChangeHistory", "Due date"),
        "priority": QCoreApplication.translate("ChangeHistory", "Priority"),
        "status": QCoreApplication.translate("ChangeHistory", "Status"),
        "component_id": QCoreApplication.translate("ChangeHistory", "Component"),
        "position": QCoreApplication.translate("ChangeHistory", "Place"),
        "lead": QCoreApplication.translate("ChangeHistory", "Lead"),
        "on_track": QCoreApplication.translate("ChangeHistory", "On track"),
        "success_measure": QCoreApplication.translate("ChangeHistory", "How we’ll know"),
        "mat_standards": QCoreApplication.translate("ChangeHistory", "MAT standards"),
        "service_id": QCoreApplication.translate("ChangeHistory", "Service"),
        "follows_id": QCoreApplication.translate("ChangeHistory", "Walk followed up"),
    }
    if field in names:
        return names[field]
    return field.replace("_", " ").capitalize() or (QCoreApplication.translate("ChangeHistory", "Photo")
                                                    if entity is Entity.PHOTO else "")
