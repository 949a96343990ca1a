"""Undo and redo, in the core: every edit of an open walkthrough as a step that can be taken back.

An :class:`UndoHistory` belongs to one open walkthrough (of one database).
Each of its operations makes the change through the services (one committed
transaction each, recorded in the change history) and keeps a step that
can undo it; :meth:`UndoHistory.undo` and :meth:`UndoHistory.redo` go
through the same services, so they are recorded in the change history too,
and every front end (the window, a script, a test) undoes the same way::

    history = UndoHistory(db, walkthrough_id)
    done = history.delete_observation(observation_id)
    done.changes            # OpChanges: that observation deleted
    history.undo()          # back with the same ids, photos, principles and links

Operations return an :class:`Applied` (what changed, and the step); undo and
redo return the :class:`~walkthrough.domain.changes.OpChanges` they made.
A step says what it is with a language-neutral :attr:`Step.key` (and a
:attr:`Step.count`) that a front end words.

A step that fails (a :class:`~walkthrough.domain.errors.WalkthroughError`:
the walkthrough went, say) is dropped from the history and the error
raised: the history stays consistent, and the other steps stay.

Steps keep copies of photos to put back a deleted observation or photo.
Blurring a photo is not a step (the original must not survive): it puts the
blurred picture in place of the one every step holds, so no undo or redo
brings the original back.

Plain Python: no Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from walkthrough.domain.changes import OpChanges
from walkthrough.domain.errors import InvalidInput, NotFound, WalkthroughError
from walkthrough.domain.fields import ACTION_FIELDS, OBSERVATION_FIELDS, check_editable
from walkthrough.domain.records import ActionRecord, PhotoRecord, ProgressUpdateRecord
from walkthrough.services import actions as action_service
from walkthrough.services import observations as observation_service
from walkthrough.services import photos as photo_service
from walkthrough.services import progress_updates as progress_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.actions import NewAction
from walkthrough.services.history import collect_changes
from walkthrough.services.observations import NewObservation, ObservationBundle
from walkthrough.services.photo_intake import PreparedPhoto
from walkthrough.services.progress_updates import NewProgressUpdate
from walkthrough.services.service_plan import shares_plan
from walkthrough.storage.database import Database

__all__ = ["DETAILS", "NOTE_MERGE_SECONDS", "Applied", "Step", "UndoHistory"]

#: Note saves of one observation this close together (seconds) are one step (typing);
#: further apart they are separate edits.
NOTE_MERGE_SECONDS = 3.0

#: The details of a walkthrough that can be corrected (the lens cannot: the findings were made with it).
DETAILS = ("service", "site", "visit_date", "facilitators", "participants")

_OBSERVATION_KEYS = {
    frozenset({"note"}): "edit_note",
    frozenset({"rating_id"}): "change_rating",
    frozenset({"principle_ids"}): "change_principles",
    frozenset({"voice"}): "change_voice",
}
_ACTION_KEYS = {
    frozenset({"status"}): "change_status",
    frozenset({"priority"}): "change_priority",
    frozenset({"owner"}): "change_owner",
    frozenset({"due_date"}): "change_due_date",
    frozenset({"component_id"}): "change_component",
    frozenset({"text"}): "edit_action_text",
    frozenset({"lead"}): "change_lead",
    frozenset({"on_track"}): "change_on_track",
}


# -- steps -----------------------------------------------------------------------------------


class Step:
    """One undoable step: :meth:`undo` and :meth:`redo` each call the services.

    :attr:`key` names it for a front end to word (``"delete_observation"``,
    ``"edit_note"``, ``"add_photos"`` with :attr:`count` photos …).
    """

    key: str = ""
    count: int = 1

    def undo(self, db: Database) -> None:
        raise NotImplementedError

    def redo(self, db: Database) -> None:
        raise NotImplementedError

    def bundles(self) -> Iterator[ObservationBundle]:
        """The copies of observations (with their photos' bytes) this step holds."""
        return iter(())

    def take_pixels_of(self, photo: PhotoRecord, jpeg: bytes, thumbnail: bytes) -> None:
        """Hold ``photo``'s picture as it is stored now (blurred) instead of the one held."""

    def held_pictures(self) -> list[bytes]:
        """Every photo's bytes (JPEG and thumbnail) this step holds: what a blur must replace."""
        return [b for bundle in self.bundles() for _, jpeg, thumbnail in bundle.photos for b in (jpeg, thumbnail)]


class _HoldsBundles(Step):
    _bundle_slots: tuple[str, ...] = ()

    def bundles(self) -> Iterator[ObservationBundle]:
        for name in self._bundle_slots:
            held = getattr(self, name)
            if held is not None:
                yield held

    def take_pixels_of(self, photo: PhotoRecord, jpeg: bytes, thumbnail: bytes) -> None:
        for name in self._bundle_slots:
            held = getattr(self, name)
            if held is not None:
                setattr(self, name, held.with_pixels_of(photo, jpeg, thumbnail))


class _AddObservation(_HoldsBundles):
    key = "add_observation"
    _bundle_slots = ("bundle",)

    def __init__(self, observation_id: str) -> None:
        self.observation_id = observation_id
        #: held while undone only: redo puts it back
        self.bundle: ObservationBundle | None = None

    def undo(self, db: Database) -> None:
        self.bundle = observation_service.take_out_observation(db, self.observation_id)

    def redo(self, db: Database) -> None:
        assert self.bundle is not None
        observation_service.put_back_observation(db, self.bundle)
        self.bundle = None


class _DeleteObservation(_HoldsBundles):
    key = "delete_observation"
    _bundle_slots = ("bundle",)

    def __init__(self, bundle: ObservationBundle) -> None:
        self.observation_id = bundle.record.id
        #: held while done only: undo puts it back
        self.bundle: ObservationBundle | None = bundle

    def undo(self, db: Database) -> None:
        assert self.bundle is not None
        observation_service.put_back_observation(db, self.bundle)
        self.bundle = None

    def redo(self, db: Database) -> None:
        self.bundle = observation_service.take_out_observation(db, self.observation_id)


class _EditObservation(Step):
    def __init__(self, observation_id: str, before: dict[str, Any], after: dict[str, Any], at: float) -> None:
        self.observation_id = observation_id
        self.before = before
        self.after = after
        self.at = at
        self.key = _OBSERVATION_KEYS.get(frozenset(after), "edit_observation")

    @property
    def note_only(self) -> bool:
        return set(self.after) == {"note"}

    def undo(self, db: Database) -> None:
        observation_service.update_observation(db, self.observation_id, **self.before)

    def redo(self, db: Database) -> None:
        observation_service.update_observation(db, self.observation_id, **self.after)


class _ReplaceObservation(_HoldsBundles):
    """A change of an observation's photos, undone and redone by making the observation what it was."""

    _bundle_slots = ("before", "after")

    def __init__(self, key: str, before: ObservationBundle, after: ObservationBundle, count: int = 1) -> None:
        self.key = key
        self.count = count
        self.before: ObservationBundle | None = before
        self.after: ObservationBundle | None = after

    def undo(self, db: Database) -> None:
        assert self.before is not None
        observation_service.replace_observation(db, self.before)

    def redo(self, db: Database) -> None:
        assert self.after is not None
        observation_service.replace_observation(db, self.after)


class _MergeDuplicates(_HoldsBundles):
    """Two observations merged into the first: undone by making the first what it was and putting the second back."""

    key = "merge_duplicates"
    _bundle_slots = ("before", "after", "second")

    def __init__(self, before: ObservationBundle, after: ObservationBundle, second: ObservationBundle) -> None:
        self.before: ObservationBundle | None = before
        self.after: ObservationBundle | None = after
        self.second: ObservationBundle | None = second

    def undo(self, db: Database) -> None:
        assert self.before is not None and self.second is not None
        observation_service.put_back_observation(db, self.second)
        observation_service.replace_observation(db, self.before)

    def redo(self, db: Database) -> None:
        assert self.after is not None and self.second is not None
        observation_service.replace_observation(db, self.after)
        observation_service.take_out_observation(db, self.second.record.id)


class _AddAction(Step):
    key = "add_action"

    def __init__(self, record: ActionRecord) -> None:
        self.record = record
        #: its progress updates, held while undone
        self.progress: list[ProgressUpdateRecord] = []

    def undo(self, db: Database) -> None:
        self.record = _action(db, self.record.walkthrough_id, self.record.id)  # as it is now, links included
        self.progress = progress_service.list_progress_updates(db, self.record.id)
        action_service.delete_action(db, self.record.id)

    def redo(self, db: Database) -> None:
        action_service.put_back_action(db, self.record, self.progress)


class _DeleteAction(Step):
    key = "delete_action"

    def __init__(self, record: ActionRecord, progress: list[ProgressUpdateRecord]) -> None:
        self.record = record
        #: its progress updates, held while deleted
        self.progress = progress

    def undo(self, db: Database) -> None:
        action_service.put_back_action(db, self.record, self.progress)

    def redo(self, db: Database) -> None:
        self.record = _action(db, self.record.walkthrough_id, self.record.id)
        self.progress = progress_service.list_progress_updates(db, self.record.id)
        action_service.delete_action(db, self.record.id)


class _EditAction(Step):
    def __init__(self, action_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.action_id = action_id
        self.before = before
        self.after = after
        self.key = _ACTION_KEYS.get(frozenset(after), "edit_action")

    def undo(self, db: Database) -> None:
        action_service.update_action(db, self.action_id, **self.before)

    def redo(self, db: Database) -> None:
        action_service.update_action(db, self.action_id, **self.after)


class _AddProgressUpdate(Step):
    """A progress update added, with the status and on-track it gave its action; undo takes both back."""

    key = "add_progress_update"

    def __init__(self, record: ProgressUpdateRecord, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.record = record
        self.before = before
        self.after = after

    def undo(self, db: Database) -> None:
        progress_service.take_back_progress_update(db, self.record.id, self.before)

    def redo(self, db: Database) -> None:
        progress_service.put_back_progress_update(db, self.record, self.after)


class _EditDetails(Step):
    """A correction of the walkthrough's details; undo writes every earlier detail back."""

    key = "edit_details"

    def __init__(self, walkthrough_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.walkthrough_id = walkthrough_id
        self.before = before
        self.after = after

    def undo(self, db: Database) -> None:
        walkthrough_service.update_walkthrough(db, self.walkthrough_id, **self.before)

    def redo(self, db: Database) -> None:
        walkthrough_service.update_walkthrough(db, self.walkthrough_id, **self.after)


# -- the history -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """What an operation did: its changes, the step that undoes it, the id of what it made."""

    changes: OpChanges
    #: the step made, or the one this merged into; None when nothing changed
    step: Step | None = None
    #: True when the operation joined the previous step (typing a note)
    merged: bool = False
    #: the observation or action made (add_observation, add_action)
    id: str | None = None


class UndoHistory:
    """The undo and redo steps of one walkthrough open in one database.

    ``clock`` gives seconds (monotonic) for merging note edits; a test
    passes its own.
    """

    def __init__(self, db: Database, walkthrough_id: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.walkthrough_id = walkthrough_id
        self._clock = clock
        self._steps: list[Step] = []
        #: how many of the steps are done (the rest were undone, and can be redone)
        self._done = 0

    # -- state ---------------------------------------------------------------------------

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step, oldest first (those after :attr:`done` were undone)."""
        return tuple(self._steps)

    @property
    def done(self) -> int:
        """How many steps are done."""
        return self._done

    @property
    def can_undo(self) -> bool:
        return self._done > 0

    @property
    def can_redo(self) -> bool:
        return self._done < len(self._steps)

    @property
    def next_undo(self) -> Step | None:
        """The step :meth:`undo` would take back."""
        return self._steps[self._done - 1] if self.can_undo else None

    @property
    def next_redo(self) -> Step | None:
        """The step :meth:`redo` would make again."""
        return self._steps[self._done] if self.can_redo else None

    @property
    def undo_text(self) -> str | None:
        """The key of the step undo would take back (a front end words it), or None."""
        step = self.next_undo
        return step.key if step else None

    @property
    def redo_text(self) -> str | None:
        """The key of the step redo would make again, or None."""
        step = self.next_redo
        return step.key if step else None

    def held_pictures(self) -> list[bytes]:
        """Every photo's bytes the steps hold (to check that a blur left no original)."""
        return [b for step in self._steps for b in step.held_pictures()]

    # -- undo and redo -----------------------------------------------------------------------

    def undo(self) -> OpChanges:
        """Take back the last step done; returns what that changed.

        Raises:
            InvalidInput: nothing to undo.
            WalkthroughError: it could not be taken back; the step was dropped.
        """
        step = self.next_undo
        if step is None:
            raise InvalidInput("nothing to undo")
        with collect_changes() as collected:
            try:
                step.undo(self.db)
            except WalkthroughError:
                del self._steps[self._done - 1]
                self._done -= 1
                raise
        self._done -= 1
        return collected.changes

    def redo(self) -> OpChanges:
        """Make the last undone step again; returns what that changed.

        Raises:
            InvalidInput: nothing to redo.
            WalkthroughError: it could not be made again; the step was dropped.
        """
        step = self.next_redo
        if step is None:
            raise InvalidInput("nothing to redo")
        with collect_changes() as collected:
            try:
                step.redo(self.db)
            except WalkthroughError:
                del self._steps[self._done]
                raise
        self._done += 1
        return collected.changes

    def clear(self) -> None:
        """Forget every step (and the photos they hold)."""
        self._steps.clear()
        self._done = 0

    # -- observations ----------------------------------------------------------------------

    def add_observation(self, new: NewObservation) -> Applied:
        """Record an observation (its photos' bytes are not kept: undo keeps a copy instead)."""
        with collect_changes() as collected:
            record = observation_service.add_observation(self.db, self.walkthrough_id, new)
        return self._push(_AddObservation(record.id), collected.changes, id=record.id)

    def edit_observation(self, observation_id: str, **fields: Any) -> Applied:
        """Change fields of an observation (``rating_id``, ``principle_ids``, ``note``, ``voice``).

        Note edits of the same observation within :data:`NOTE_MERGE_SECONDS`
        of the previous one join its step.  Nothing changes (and no step is
        made) when the values are those it has.

        Raises:
            InvalidInput: a field that cannot be changed in place.
            NotFound: no such observation.
        """
        check_editable("an observation", OBSERVATION_FIELDS, fields)
        current = observation_service.get_observation(self.db, observation_id)
        before = {name: getattr(current, name) for name in fields}
        if _same(before, fields):
            return Applied(OpChanges())
        with collect_changes() as collected:
            observation_service.update_observation(self.db, observation_id, **fields)
        if collected.changes.empty:  # the same once cleaned
            return Applied(collected.changes)
        now = self._clock()
        top = self._top_after_dropping_redo()
        if (isinstance(top, _EditObservation) and top.observation_id == observation_id and top.note_only
                and set(fields) == {"note"} and now - top.at <= NOTE_MERGE_SECONDS):
            top.after, top.at = dict(fields), now
            return Applied(collected.changes, top, merged=True)
        return self._push(_EditObservation(observation_id, before, dict(fields), now), collected.changes)

    def delete_observation(self, observation_id: str) -> Applied:
        """Delete an observation with its photos; undo puts it back with the same ids, photos and links.

        Raises:
            NotFound: no such observation.
        """
        with collect_changes() as collected:
            bundle = observation_service.take_out_observation(self.db, observation_id)
        return self._push(_DeleteObservation(bundle), collected.changes)

    # -- photos ----------------------------------------------------------------------------

    def add_photos(self, observation_id: str, photos: Sequence[PreparedPhoto]) -> Applied:
        """Attach prepared photos to an observation, as one step."""
        if not photos:
            return Applied(OpChanges())
        return self._replace(observation_id, "add_photos",
                             lambda: photo_service.add_photos(self.db, observation_id, photos), count=len(photos))

    def delete_photo(self, observation_id: str, photo_id: str) -> Applied:
        """Delete one photo of an observation (undo makes the observation what it was)."""
        return self._replace(observation_id, "delete_photo", lambda: photo_service.delete_photo(self.db, photo_id))

    def set_caption(self, observation_id: str, photo_id: str, caption: str) -> Applied:
        """Change a photo's caption."""
        return self._replace(observation_id, "edit_caption",
                             lambda: photo_service.set_caption(self.db, photo_id, caption))

    def set_alt_text(self, observation_id: str, photo_id: str, alt_text: str) -> Applied:
        """Change a photo's alt text."""
        return self._replace(observation_id, "edit_alt_text",
                             lambda: photo_service.set_alt_text(self.db, photo_id, alt_text))

    def blur_photo(self, photo_id: str, box: tuple[int, int, int, int]) -> OpChanges:
        """Blur a region of a photo for good: not a step, and no step keeps the original.

        Every step holding a copy of the photo takes the blurred picture;
        every other step stays as it was.

        Raises:
            NotFound: no such photo.
            PhotoRejected: the box is empty.
        """
        with collect_changes() as collected:
            photo = photo_service.blur_photo_region(self.db, photo_id, box)
        jpeg = photo_service.photo_jpeg(self.db, photo_id)
        thumbnail = photo_service.photo_thumbnail(self.db, photo_id)
        for step in self._steps:
            step.take_pixels_of(photo, jpeg, thumbnail)
        return collected.changes

    def merge_duplicates(self, first_id: str, second_id: str) -> Applied:
        """Merge a possible duplicate into the first observation (:mod:`walkthrough.services.duplicates`), one step.

        Raises:
            NotFound: either observation is not there.
            InvalidInput: the two are one, or not of the same prompt.
        """
        from walkthrough.services.duplicates import merge_duplicates

        with collect_changes() as collected:
            before, after, second = merge_duplicates(self.db, first_id, second_id)
        return self._push(_MergeDuplicates(before, after, second), collected.changes)

    def _replace(self, observation_id: str, key: str, change: Callable[[], object], count: int = 1) -> Applied:
        before = observation_service.read_observation_bundle(self.db, observation_id)
        with collect_changes() as collected:
            change()
        after = observation_service.read_observation_bundle(self.db, observation_id)
        return self._push(_ReplaceObservation(key, before, after, count), collected.changes)

    # -- the improvement plan --------------------------------------------------------------

    def add_action(self, new: NewAction) -> Applied:
        """Add an improvement action."""
        with collect_changes() as collected:
            record = action_service.add_action(self.db, self.walkthrough_id, new)
        return self._push(_AddAction(record), collected.changes, id=record.id)

    def edit_action(self, action_id: str, **fields: Any) -> Applied:
        """Change fields of an action (as :func:`walkthrough.services.actions.update_action`).

        Raises:
            InvalidInput: a field that cannot be changed in place.
            NotFound: no such action.
        """
        check_editable("an action", ACTION_FIELDS, fields)
        current = _action(self.db, self.walkthrough_id, action_id)
        before = {name: getattr(current, name) for name in fields}
        if _same(before, fields):
            return Applied(OpChanges())
        with collect_changes() as collected:
            action_service.update_action(self.db, action_id, **fields)
        return self._push(_EditAction(action_id, before, dict(fields)), collected.changes)

    def delete_action(self, action_id: str) -> Applied:
        """Remove an action from the plan; undo puts it back with its links and progress updates.

        Raises:
            NotFound: no such action.
        """
        record = _action(self.db, self.walkthrough_id, action_id)
        progress = progress_service.list_progress_updates(self.db, action_id)
        with collect_changes() as collected:
            action_service.delete_action(self.db, action_id)
        return self._push(_DeleteAction(record, progress), collected.changes)

    def add_progress_update(self, action_id: str, new: NewProgressUpdate) -> Applied:
        """Add a progress update to an action (and set its status and on-track): one step.

        Raises:
            NotFound: no such action in this walkthrough.
            EmptyValue: the update says nothing.
        """
        current = _action(self.db, self.walkthrough_id, action_id)
        with collect_changes() as collected:
            record = progress_service.add_progress_update(self.db, action_id, new)
        before = {"status": current.status, "on_track": current.on_track}
        after = {"status": record.status, "on_track": record.on_track}
        return self._push(_AddProgressUpdate(record, before, after), collected.changes, id=record.id)

    # -- the walkthrough's details ---------------------------------------------------------

    def edit_details(self, **details: Any) -> Applied:
        """Correct the walkthrough's details (as :func:`walkthrough.services.walkthroughs.update_walkthrough`).

        One step whatever the number of details changed; none when nothing differs.
        """
        record = walkthrough_service.get_walkthrough(self.db, self.walkthrough_id)
        before = {name: getattr(record, name) for name in DETAILS}
        after = {**before, **{name: tuple(v) if name in ("facilitators", "participants") else v
                              for name, v in details.items()}}
        if after == before:
            return Applied(OpChanges())
        with collect_changes() as collected:
            walkthrough_service.update_walkthrough(self.db, self.walkthrough_id, **after)
        return self._push(_EditDetails(self.walkthrough_id, before, after), collected.changes)

    # -- keeping the steps -----------------------------------------------------------------

    def _top_after_dropping_redo(self) -> Step | None:
        del self._steps[self._done:]
        return self.next_undo

    def _push(self, step: Step, changes: OpChanges, *, id: str | None = None) -> Applied:
        if changes.empty:  # nothing to undo
            return Applied(changes, id=id)
        del self._steps[self._done:]  # a new step ends what could be redone
        self._steps.append(step)
        self._done = len(self._steps)
        return Applied(changes, step, id=id)


def _action(db: Database, walkthrough_id: str, action_id: str) -> ActionRecord:
    """One action of the plan this walkthrough works to (read alone: the plan may be long).

    Its own, or one of an earlier or later walk of its service (the plan lives
    across the service's walks: :mod:`walkthrough.services.service_plan`).
    """
    found = action_service.get_action(db, action_id)
    if not shares_plan(db, walkthrough_id, found.walkthrough_id):
        raise NotFound("action", action_id, "in this walkthrough's plan")
    return found


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Equal field values; lists of linked ids compare as sets (their order means nothing)."""
    for name, value in after.items():
        old = before.get(name)
        if name.endswith("_ids") and value is not None and old is not None:
            if set(old) != set(value):
                return False
        elif old != value:
            return False
    return True
