"""What a recorded change says, ready to be put into words: the part every front end shares.

``walkthrough history`` (the command line, in English) and the window's
history (through ``tr()``) both show a change as "when, who, what".  The
"what" needs rules that must not differ between them, so they live here,
once, with no words of any language:

- which thing a change is about, and what it is called: an observation by
  its area's title, a photo by its file name, an action by its text, a
  walkthrough by its site (:attr:`ChangeSummary.title`);
- what a value is shown as: a lens id as the lens's title for it (an area's
  title, a rating's label, a principle's or component's name), the user's
  text shortened to :data:`SHORT_CHARS` characters (:func:`shorten`; the
  whole text kept beside it, for a tooltip), a fixed code (a status, a
  priority, a voice) left as its code for the front end to word, a date as
  ISO text, a picture as its size (:class:`ShownValue`);
- the value a change replaced (:attr:`ChangeSummary.old`), from the change it
  names in :attr:`~walkthrough.domain.changes.Change.replaces`;
- whether its content was erased (the thing was deleted since).

Use :func:`summarise_history` for a list read with
``services.history.list_history``: one pass, and each change gets the
title its thing had at that point and the value it replaced.
:func:`summarise` sums up a lone change, from what it holds itself.

The front ends word :attr:`ChangeSummary.entity` (the kind of thing),
:attr:`~ChangeSummary.kind` (made, changed, linked, unlinked, deleted) and
:attr:`~ChangeSummary.field` (the field's key, e.g. ``"rating_id"``,
``"note"``, ``"status"``; see ``domain.change_values.CREATE_FIELDS``), and
show the values' :attr:`ShownValue.text` according to their
:attr:`ShownValue.form`.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.lens import Lens

__all__ = ["SHORT_CHARS", "ChangeSummary", "ShownValue", "ValueForm", "shorten", "summarise", "summarise_history"]

#: The longest text shown for a value or a title, in characters (a longer one ends in "…").
SHORT_CHARS = 50

#: The characters of an id shown for a thing with no title (enough to give it back as a prefix).
SHORT_ID_CHARS = 8


class ValueForm(str, enum.Enum):
    """What a shown value's text is, which says how a front end words it."""

    #: no value: not rated yet, no owner, no due date, no component (the text is empty)
    NONE = "none"
    #: the user's words (a note, a caption, an action's text, a name), shortened: quote them
    TEXT = "text"
    #: the lens's title for an id (an area, a prompt's question, a rating's label, a principle, a component);
    #: the id itself when the lens does not have it
    TITLE = "title"
    #: a fixed code the front end words itself: an action's status or priority, a voice
    CODE = "code"
    #: a day, as ISO text (``2026-12-07``)
    DATE = "date"
    #: a whole number (a position in its list)
    NUMBER = "number"
    #: a photo's picture, as its size ``WIDTHxHEIGHT``
    PICTURE = "picture"
    #: a thing's id, shortened to :data:`SHORT_ID_CHARS` characters (an observation linked to an action);
    #: several are separated by ", "
    ID = "id"


@dataclass(frozen=True)
class ShownValue:
    """A value as shown: its text and what that text is."""

    form: ValueForm
    text: str
    #: the text before it was shortened (a tooltip shows it); for :attr:`ValueForm.ID`, the whole ids.
    #: Not compared: two values are the same when they show the same.
    whole: str = field(default="", compare=False)


@dataclass(frozen=True)
class ChangeSummary:
    """One recorded change, summed up for a front end to word."""

    #: the change itself: when (:attr:`Change.time`), who (device name, person), ids
    change: Change
    #: made, changed, linked, unlinked or deleted
    kind: ChangeKind
    #: the kind of thing changed
    entity: Entity
    #: the thing's id shortened to :data:`SHORT_ID_CHARS` characters (what a person can give back as a prefix)
    short_id: str
    #: what the thing is called: an observation's area title, a photo's file name, an action's text (shortened),
    #: a walkthrough's site; empty when not known (its content was erased)
    title: str
    #: ``title`` before it was shortened
    whole_title: str
    #: the field's key for ``set``, ``link`` and ``unlink`` (``"note"``, ``"rating_id"``…); ``None`` otherwise
    field: str | None
    #: the value replaced (``set`` only), when the change it replaced is known and not erased
    old: ShownValue | None
    #: the new value (``set``), the thing linked or unlinked, or for a ``create`` the thing's main words
    #: (an observation's note, an action's text, a photo's caption); ``None`` for a deletion or erased content
    new: ShownValue | None
    #: the change's content was erased: the thing was deleted since (or the picture blurred)
    erased: bool


def shorten(text: str, limit: int = SHORT_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters: a longer one is cut and ends in "…"."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def summarise(change: Change, lens: Lens | None) -> ChangeSummary:
    """A lone change, summed up from what it holds (no title for a ``set``: see :func:`summarise_history`)."""
    return _Walk(lens).summary(change)


def summarise_history(changes: Sequence[Change], lens: Lens | None) -> list[ChangeSummary]:
    """Each change of ``changes`` (in any order; summaries in the same order), with its context.

    Each gets the title its thing had once the change was made (an
    observation moved to another area is named by the area it was in then),
    and a ``set`` the value it replaced.  ``lens`` is the walkthrough's lens
    (``None`` when it is not known: ids are shown as they are).
    """
    walk = _Walk(lens, changes)
    by_id = {c.id: walk.summary(c) for c in sorted(changes, key=lambda c: (c.clock.text, c.device_id, c.seq))}
    return [by_id[c.id] for c in changes]


# -- the walk ----------------------------------------------------------------------------

#: The field that names each kind of thing (its title), and how.
_TITLE_FIELD = {
    Entity.OBSERVATION: "area_id",
    Entity.PHOTO: "original_name",
    Entity.ACTION: "text",
    Entity.WALKTHROUGH: "site",
    Entity.PROGRESS_UPDATE: "note",
    Entity.SERVICE: "name",
}

#: The field shown as a ``create``'s value: the thing's main words.
_CREATE_SHOWN = {
    Entity.OBSERVATION: "note",
    Entity.PHOTO: "caption",
    Entity.ACTION: "text",
    Entity.WALKTHROUGH: "service",
    Entity.PROGRESS_UPDATE: "note",
    Entity.SERVICE: "name",
}

_CODES = frozenset({"voice", "status", "priority", "on_track"})
_DATES = frozenset({"due_date", "visit_date"})


class _Walk:
    """Goes through changes oldest first, keeping each thing's title field as it stood."""

    def __init__(self, lens: Lens | None, changes: Iterable[Change] = ()) -> None:
        self.lens = lens
        self.by_id = {c.id: c for c in changes}
        self.titles: dict[str, Any] = {}

    def summary(self, change: Change) -> ChangeSummary:
        title_field = _TITLE_FIELD[change.entity]
        if not change.erased:
            if change.kind is ChangeKind.CREATE and isinstance(change.value, Mapping):
                self.titles[change.entity_id] = change.value.get(title_field)
            elif change.kind is ChangeKind.SET and change.field == title_field:
                self.titles[change.entity_id] = change.value
        title = self.titles.get(change.entity_id)
        shown_title = ShownValue(ValueForm.NONE, "") if title is None else self._text(change.entity, title_field, title)
        return ChangeSummary(
            change=change,
            kind=change.kind,
            entity=change.entity,
            short_id=change.entity_id[:SHORT_ID_CHARS],
            title=shown_title.text,
            whole_title=shown_title.whole,
            field=change.field if change.kind in (ChangeKind.SET, ChangeKind.LINK, ChangeKind.UNLINK) else None,
            old=self._old(change),
            new=self._new(change),
            erased=change.erased,
        )

    def _new(self, change: Change) -> ShownValue | None:
        if change.erased or change.kind is ChangeKind.DELETE:
            return None
        if change.kind is ChangeKind.CREATE:
            shown = _CREATE_SHOWN[change.entity]
            values = change.value if isinstance(change.value, Mapping) else {}
            return self._text(change.entity, shown, values.get(shown))
        return self._text(change.entity, change.field or "", change.value)

    def _old(self, change: Change) -> ShownValue | None:
        if change.kind is not ChangeKind.SET or len(change.replaces) != 1:
            return None
        replaced = self.by_id.get(change.replaces[0])
        if replaced is None or replaced.erased:
            return None
        if replaced.kind is ChangeKind.CREATE and isinstance(replaced.value, Mapping):
            return self._text(change.entity, change.field or "", replaced.value.get(change.field or ""))
        if replaced.kind is ChangeKind.SET and replaced.field == change.field:
            return self._text(change.entity, change.field or "", replaced.value)
        return None

    def _text(self, entity: Entity, field: str, value: Any) -> ShownValue:
        """``value`` of ``field`` as shown."""
        if value is None or value == "" or value == []:
            return ShownValue(ValueForm.NONE, "")
        if field in _CODES:
            return _shown(ValueForm.CODE, str(value))
        if field in _DATES:
            return _shown(ValueForm.DATE, str(value))
        if field == "position":
            return _shown(ValueForm.NUMBER, str(value))
        if field == "mat_standards" and isinstance(value, list):
            return _shown(ValueForm.NUMBER, ", ".join(str(n) for n in value))
        if field == PICTURE and isinstance(value, Mapping):
            return _shown(ValueForm.PICTURE, f"{value.get('width')}x{value.get('height')}")
        if field in ("service_id", "follows_id"):
            return ShownValue(ValueForm.ID, str(value)[:SHORT_ID_CHARS], str(value))
        if field == "observation_ids":
            ids = [str(i) for i in (value if isinstance(value, list) else [value])]
            return ShownValue(ValueForm.ID, ", ".join(i[:SHORT_ID_CHARS] for i in ids), ", ".join(ids))
        if field in ("area_id", "prompt_id", "rating_id", "principle_ids", "component_id"):
            ids = value if isinstance(value, list) else [value]
            return _shortened(ValueForm.TITLE, ", ".join(self._lens_title(field, str(i)) for i in ids))
        if field == "facilitators":
            return _shortened(ValueForm.TEXT, ", ".join(str(f[-1]) for f in value))
        if field == "participants":
            return _shortened(ValueForm.TEXT, ", ".join(f"{p[1]} ({p[2]})" for p in value))
        return _shortened(ValueForm.TEXT, str(value))

    def _lens_title(self, field: str, ident: str) -> str:
        lens = self.lens
        if lens is None:
            return ident
        if field == "area_id":
            area = lens.area(ident)
            return area.title if area else ident
        if field == "prompt_id":
            prompt = lens.prompt(ident)
            return prompt.question if prompt else ident
        if field == "rating_id":
            rating = lens.rating(ident)
            return rating.label if rating else ident
        if field == "principle_ids":
            principle = lens.principle(ident)
            return principle.name if principle else ident
        component = lens.component(ident)
        return component.name if component else ident


def _shown(form: ValueForm, text: str) -> ShownValue:
    return ShownValue(form, text, text)


def _shortened(form: ValueForm, text: str) -> ShownValue:
    return ShownValue(form, shorten(text), text)
