"""The fields of an observation and of an action, declared once.

Each field is named as on its record (:class:`~walkthrough.domain.records.ObservationRecord`,
:class:`~walkthrough.domain.records.ActionRecord`), in the order people read
them, with what the rest of the app derives from it:

- ``editable``: changed in place by ``update_observation`` / ``update_action``
  (and an undoable edit in the window); the other fields are set when the
  thing is made (the area of an observation, say) or kept by the app.
- ``csv``: its column in the CSV exchange, and ``csv_words`` a companion
  column written after it that says the same in words (the area's title
  after its id); the export's header is these in declaration order.
- ``csv_import``: read back from an imported CSV; ``csv_required``: an
  import must have the column.
- ``history``: held by the ``create`` change that records the thing being
  made (:mod:`walkthrough.domain.change_values`); the times and ids are kept
  by the change itself.
- ``history_since``: for a field the history began to hold later (a photo's
  alt text, an action's lead), the migration that added it; ``history_missing``
  is what a ``create`` change recorded without it means (what that upgrade
  stored): one made by an older version of the program, or by the upgrade
  that started the history.  Those changes are never rewritten (another
  laptop holds them too), so they are read with this value.

A test keeps this declaration, the records and the services' keyword
arguments in step.  Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from walkthrough.domain.errors import InvalidInput

__all__ = [
    "ACTION_FIELDS",
    "OBSERVATION_FIELDS",
    "PHOTO_FIELDS",
    "PROGRESS_UPDATE_FIELDS",
    "SERVICE_FIELDS",
    "WALKTHROUGH_FIELDS",
    "Field",
    "history_missing",
    "history_names",
    "check_editable",
    "csv_columns",
    "editable_names",
]


@dataclass(frozen=True)
class Field:
    """One field of a record, and where it appears."""

    name: str
    #: in words, for messages ("rating")
    label: str
    editable: bool = False
    csv: str | None = None
    csv_words: str | None = None
    csv_import: bool = False
    csv_required: bool = False
    history: bool = False
    history_since: str | None = None
    history_missing: object = None


OBSERVATION_FIELDS: tuple[Field, ...] = (
    Field("area_id", "area", csv="area", csv_words="area_name", csv_import=True, csv_required=True, history=True),
    Field("prompt_id", "prompt", csv="prompt", csv_words="prompt_text", csv_import=True, history=True),
    # Required as a column; an empty cell is "not rated yet".
    Field("rating_id", "rating", editable=True, csv="rating", csv_import=True, csv_required=True, history=True),
    Field("principle_ids", "principles", editable=True, csv="principles", csv_import=True, history=True),
    Field("note", "note", editable=True, csv="note", csv_import=True, history=True),
    Field("voice", "voice", editable=True, csv="voice", csv_import=True, history=True),
    Field("id", "id", csv="observation_id"),
    Field("walkthrough_id", "walkthrough", csv="walkthrough_id"),
    Field("photos", "photos", csv="photos"),  # exported as how many; each photo is a thing of its own
    Field("created_at", "time written", csv="created_at"),
    Field("updated_at", "time last changed", csv="updated_at"),
    Field("position", "place in its area", history=True),
)

ACTION_FIELDS: tuple[Field, ...] = (
    Field("text", "text", editable=True, history=True),
    Field("lead", "accountable lead", editable=True, history=True, history_since="0005_action_progress", history_missing=""),
    Field("owner", "owner", editable=True, history=True),
    Field("due_date", "due date", editable=True, history=True),
    Field("priority", "priority", editable=True, history=True),
    Field("status", "status", editable=True, history=True),
    # on track / at risk / off track, or not said (None)
    Field("on_track", "on track", editable=True, history=True, history_since="0005_action_progress"),
    # "how we'll know": the success measure
    Field("success_measure", "how we'll know", editable=True, history=True, history_since="0005_action_progress",
          history_missing=""),
    Field("component_id", "core component", editable=True, history=True),
    Field("principle_ids", "principles", editable=True, history=True),
    # the MAT standards (1-10) it serves, ascending
    Field("mat_standards", "MAT standards", editable=True, history=True, history_since="0005_action_progress",
          history_missing=[]),
    Field("observation_ids", "observations", editable=True, history=True),
    Field("id", "id"),
    Field("walkthrough_id", "walkthrough"),
    Field("position", "place in the plan", history=True),
    Field("created_at", "time written"),
    Field("updated_at", "time last changed"),
)

#: A walkthrough's details (``update_walkthrough`` corrects the editable ones; the lens never changes).
WALKTHROUGH_FIELDS: tuple[Field, ...] = (
    Field("service", "service", editable=True, history=True),
    Field("site", "site", editable=True, history=True),
    Field("visit_date", "date of the visit", editable=True, history=True),
    Field("lens_id", "lens", history=True),
    Field("lens_version", "lens version", history=True),
    Field("lens_title", "lens title", history=True),
    Field("lens_snapshot", "lens", history=True),
    # [id, name] each, in order
    Field("facilitators", "facilitators", editable=True, history=True),
    # [id, name, role] each, in order
    Field("participants", "team", editable=True, history=True),
    Field("id", "id"),
    Field("created_at", "time started"),
    Field("updated_at", "time last changed"),
    # Recorded by ``set`` changes in the operation that makes the walkthrough, not in its
    # ``create`` (whose shape older laptops and histories keep): see change_values.SET_ONLY_FIELDS.
    Field("service_id", "service it belongs to"),
    Field("follows_id", "walk it follows up"),
)

#: A service: what is walked again and again (its sites are its walkthroughs').
SERVICE_FIELDS: tuple[Field, ...] = (
    Field("name", "name", editable=True, history=True),
    Field("organisation", "organisation", editable=True, history=True),
    Field("id", "id"),
    Field("created_at", "time added"),
    Field("updated_at", "time last changed"),
)

#: A photo's details; its pixels are kept in the photo, and named in the history by ``picture``.
PHOTO_FIELDS: tuple[Field, ...] = (
    Field("observation_id", "observation", history=True),
    Field("caption", "caption", editable=True, history=True),
    # What someone who cannot see the photo needs to know; empty: not written yet (the caption stands in).
    Field("alt_text", "alt text", editable=True, history=True, history_since="0006_photo_alt_text",
          history_missing=""),
    Field("original_name", "file name", history=True),
    # {sha256, width, height} of the stored JPEG; replaced when blurred
    Field("picture", "picture", history=True),
    Field("position", "place among the photos", history=True),
    Field("id", "id"),
    Field("created_at", "time added"),
)


#: A progress update of an action: a dated note, who wrote it, and the action's status and
#: on-track then.  Made whole (never edited); undo takes it back.
PROGRESS_UPDATE_FIELDS: tuple[Field, ...] = (
    Field("action_id", "action", history=True),
    Field("date", "date", history=True),
    Field("written_by", "written by", history=True),
    Field("note", "note", history=True),
    Field("status", "status then", history=True),
    Field("on_track", "on track then", history=True),
    Field("id", "id"),
    Field("created_at", "time written"),
)


def history_names(fields: Sequence[Field]) -> tuple[str, ...]:
    """The names of the fields a ``create`` change holds, in declaration order."""
    return tuple(f.name for f in fields if f.history)


def history_missing(fields: Sequence[Field]) -> dict[str, object]:
    """The fields added to the history later, with what a ``create`` change without them means."""
    return {f.name: f.history_missing for f in fields if f.history and f.history_since is not None}


def editable_names(fields: Sequence[Field]) -> frozenset[str]:
    """The names of the fields that can be changed in place."""
    return frozenset(f.name for f in fields if f.editable)


def csv_columns(fields: Sequence[Field], *, imported: bool = False, required: bool = False) -> tuple[str, ...]:
    """CSV columns in declaration order: all exported ones, or only those read on import, or only the required ones."""
    if required:
        return tuple(f.csv for f in fields if f.csv is not None and f.csv_required)
    if imported:
        return tuple(f.csv for f in fields if f.csv is not None and f.csv_import)
    return tuple(c for f in fields for c in (f.csv, f.csv_words) if c is not None)


def check_editable(kind: str, fields: Sequence[Field], names: Iterable[str]) -> None:
    """Refuse a change to a field that cannot be changed in place.

    ``kind`` names the thing with its article ("an observation").

    Raises:
        InvalidInput: a name that is not an editable field of ``kind``.
    """
    editable = editable_names(fields)
    labels = {f.name: f.label for f in fields}
    can = ", ".join(f.label for f in fields if f.editable)
    for name in names:
        if name in editable:
            continue
        if name in labels:
            raise InvalidInput(f"{kind}'s {labels[name]} cannot be changed (what can: {can})")
        raise InvalidInput(f"{kind} has no field {name!r} (what can be changed: {can})")
