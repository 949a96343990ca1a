"""The walkthrough on screen: one place that edits it, with undo, and says what changed.

Every edit the window makes goes through :class:`OpenWalkthrough`, which
pushes a :class:`~PySide6.QtGui.QUndoCommand` onto its undo stack; the command
calls the services (each a committed transaction, so an edit is on disk as
soon as the call returns) and the controller emits a signal naming what
changed.  Pages keep no state of their own beyond what is on screen: they
read records from here and repaint on the signals.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QPixmap, QUndoCommand, QUndoStack

from walkthrough.domain.changes import Change
from walkthrough.domain.errors import NotFound, WalkthroughError
from walkthrough.domain.fields import ACTION_FIELDS, OBSERVATION_FIELDS, Field, check_editable
from walkthrough.gui.error_wording import describe
from walkthrough.domain.lens import Lens
from walkthrough.domain.records import ActionRecord, ObservationRecord, PhotoRecord, WalkthroughRecord
from walkthrough.services import actions as action_service
from walkthrough.services import history as history_service
from walkthrough.services import observations as observation_service
from walkthrough.services import photos as photo_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation, ObservationBundle
from walkthrough.services.photo_intake import PreparedPhoto
from walkthrough.storage.database import Database

#: Undo command ids: consecutive commands with the same id may merge.
_NOTE_EDIT_ID = 1001
#: Note saves of one observation this close together are one undo step (typing);
#: further apart they are separate edits.
_NOTE_MERGE_SECONDS = 3.0


class OpenWalkthrough(QObject):
    """A walkthrough opened in the window: its records, its undo stack, its signals.

    Signals:
        observations_changed(area_id): observations of that area were added,
            edited, removed or had photos changed.
        observation_changed(observation_id): one observation's fields or photos changed.
        actions_changed(): the improvement plan changed.
        details_changed(): the walkthrough's service, site, date, facilitators
            or participants changed (:attr:`record` holds the new ones).
        saved(): a change was written to the database.
        error(message): a change could not be made (one line for the user).
        told(message): a change the person should hear about (a deletion and how to
            bring it back), for the status bar.
    """

    observations_changed = Signal(str)
    observation_changed = Signal(str)
    actions_changed = Signal()
    details_changed = Signal()
    saved = Signal()
    error = Signal(str)
    told = Signal(str)

    def __init__(self, db: Database, walkthrough_id: str, parent: QObject | None = None, *,
                 read: tuple[WalkthroughRecord, list[ObservationRecord]] | None = None) -> None:
        """Read the walkthrough (raises :class:`NotFound` if it is not there).

        ``read`` is the walkthrough and its observations when they were just
        read elsewhere (:func:`walkthrough_with_observations`): for a
        rehearsal of the Walk page only, never for work, which must read now.
        """
        super().__init__(parent)
        self.db = db
        self.record: WalkthroughRecord
        if read is not None and read[0].id == walkthrough_id:
            self.record, in_order = read
        else:
            self.record, in_order = observation_service.walkthrough_with_observations(db, walkthrough_id)
        self.undo_stack = QUndoStack(self)
        self._failed = False
        self._observations: dict[str, ObservationRecord] = {o.id: o for o in in_order}
        #: Walking-order lists by area (None: all), built when first asked and
        #: dropped on any change: the area list, the walk page and Review ask
        #: for the same lists many times between changes.
        self._in_order: dict[str | None, list[ObservationRecord]] = {None: in_order}
        #: The improvement plan, read when first asked for (the Walk page never
        #: does; opening a walkthrough should not wait for it).
        self._plan: list[ActionRecord] | None = None
        #: Thumbnails drawn for the photo strips, by photo id: shared, so moving
        #: between areas reads and decodes each thumbnail once. Dropped when a
        #: photo's picture changes (blur).
        self.thumbnail_pixmaps: dict[str, QPixmap] = {}

    # -- reading ---------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The walkthrough's id."""
        return self.record.id

    @property
    def read_only(self) -> bool:
        """True when the database was opened for viewing only: every change is refused."""
        return self.db.read_only

    @property
    def lens(self) -> Lens:
        """The lens snapshot this walkthrough was started with."""
        return self.record.lens

    def observations(self, area_id: str | None = None) -> list[ObservationRecord]:
        """Observations in walking order, optionally of one area (a new list each call)."""
        cached = self._in_order.get(area_id)
        if cached is None:
            if None not in self._in_order:
                self._in_order[None] = walkthrough_service.sort_in_walking_order(
                    self.lens, self._observations.values())  # type: ignore[arg-type]
            by_area: dict[str | None, list[ObservationRecord]] = {None: self._in_order[None]}
            for o in self._in_order[None]:
                by_area.setdefault(o.area_id, []).append(o)
            self._in_order = by_area
            cached = by_area.setdefault(area_id, [])  # an empty area is remembered too
        return list(cached)

    def observation(self, observation_id: str) -> ObservationRecord | None:
        """One observation, or None if it no longer exists."""
        return self._observations.get(observation_id)

    def actions(self) -> list[ActionRecord]:
        """The improvement plan, in order."""
        return list(self._loaded_actions())

    def photo_jpeg(self, photo_id: str) -> bytes:
        """A stored photo's JPEG bytes (read from the database)."""
        return photo_service.photo_jpeg(self.db, photo_id)

    def photo_thumbnail(self, photo_id: str) -> bytes:
        """A stored photo's thumbnail JPEG bytes."""
        return photo_service.photo_thumbnail(self.db, photo_id)

    def history(self, entity_id: str) -> list[Change]:
        """An observation's or an action's recorded changes, newest first (an observation's photos' too).

        Empty when nothing was ever recorded for it.
        """
        try:
            return history_service.list_history(self.db, self.id, entity_id)
        except NotFound:
            return []

    # -- editing (each is one undoable step) ---------------------------------------------

    def add_observation(self, new: NewObservation) -> str | None:
        """Record an observation; returns its id, or None if it failed (``error`` emitted)."""
        command = _AddObservation(self, new)
        self.undo_stack.push(command)
        return command.observation_id

    def edit_observation(self, observation_id: str, **fields: Any) -> bool:
        """Change fields of an observation (``rating_id``, ``principle_ids``, ``note``, ``voice``).

        Note saves of one observation within a few seconds merge into one undo
        step (typing).  Returns False if the change could not be saved
        (``error`` was emitted); True otherwise, also when nothing changed.
        """
        current = self._observations.get(observation_id)
        if current is None or not self._editable("an observation", OBSERVATION_FIELDS, fields):
            return False
        before = {name: getattr(current, name) for name in fields}
        if _same(before, fields):
            return True
        return self._push(_EditObservation(self, observation_id, before, fields))

    def delete_observation(self, observation_id: str) -> None:
        """Delete an observation with its photos (undo puts it back exactly); ``told`` says what went."""
        record = self._observations.get(observation_id)
        if record is None:
            return
        self._failed = False
        self.undo_stack.push(_DeleteObservation(self, observation_id))
        if self._failed:
            return
        area = self.lens.area(record.area_id)
        where = area.title if area else record.area_id
        if record.photos:
            message = self.tr("Deleted the observation in “%1” with %n photo(s) — Ctrl+Z brings it back.", "",
                              len(record.photos))
        else:
            message = self.tr("Deleted the observation in “%1” — Ctrl+Z brings it back.")
        self.told.emit(message.replace("%1", where))

    def add_photos(self, observation_id: str, photos: Sequence[PreparedPhoto]) -> None:
        """Attach prepared photos to an observation, as one undoable step."""
        if photos:
            text = self.tr("Add %n photo(s)", "", len(photos))
            self.undo_stack.push(_ReplaceObservation(self, observation_id, text,
                                                     lambda: photo_service.add_photos(self.db, observation_id, photos)))

    def delete_photo(self, observation_id: str, photo_id: str) -> None:
        """Delete one photo (undo restores the observation as it was)."""
        self.undo_stack.push(_ReplaceObservation(self, observation_id, self.tr("Delete photo"),
                                                 lambda: photo_service.delete_photo(self.db, photo_id)))

    def set_caption(self, observation_id: str, photo_id: str, caption: str) -> None:
        """Change a photo's caption."""
        self.undo_stack.push(_ReplaceObservation(self, observation_id, self.tr("Edit caption"),
                                                 lambda: photo_service.set_caption(self.db, photo_id, caption)))

    def blur_photo(self, observation_id: str, photo_id: str, box: tuple[int, int, int, int]) -> bool:
        """Blur a region of a photo for good (not undoable: the original must not survive).

        The undo history keeps copies of photos (to put back a deleted
        observation or photo): those of this photo take the blurred picture,
        so no copy of the original is left and no undo brings it back.  Every
        other step stays undoable.  Returns False (and emits ``error``) if it
        could not be done.
        """
        def blur() -> tuple[PhotoRecord, bytes, bytes]:
            photo = photo_service.blur_photo_region(self.db, photo_id, box)
            return photo, photo_service.photo_jpeg(self.db, photo_id), photo_service.photo_thumbnail(self.db, photo_id)

        blurred = self._run(blur)
        if blurred is None:
            return False
        self.thumbnail_pixmaps.pop(photo_id, None)
        for i in range(self.undo_stack.count()):
            command = self.undo_stack.command(i)
            if isinstance(command, _HoldsPhotos):
                command.take_pixels_of(*blurred)
        self._reload_observation(observation_id)
        return True

    def add_action(self, new: NewAction) -> str | None:
        """Add an improvement action; returns its id, or None if it failed."""
        command = _AddAction(self, new)
        self.undo_stack.push(command)
        return command.action_id

    def action(self, action_id: str) -> ActionRecord | None:
        """One action, or None if it no longer exists."""
        return next((a for a in self._loaded_actions() if a.id == action_id), None)

    def edit_action(self, action_id: str, **fields: Any) -> bool:
        """Change fields of an action (as :func:`walkthrough.services.actions.update_action`).

        Returns False if the change could not be saved (``error`` was emitted).
        """
        current = self.action(action_id)
        if current is None or not self._editable("an action", ACTION_FIELDS, fields):
            return False
        before = {name: getattr(current, name) for name in fields}
        if _same(before, fields):
            return True
        return self._push(_EditAction(self, action_id, before, fields))

    def delete_action(self, action_id: str) -> None:
        """Remove an action from the plan."""
        current = next((a for a in self._loaded_actions() if a.id == action_id), None)
        if current is not None:
            self.undo_stack.push(_DeleteAction(self, current))

    def edit_details(self, **details: Any) -> bool:
        """Correct the walkthrough's details (as :func:`walkthrough.services.walkthroughs.update_walkthrough`).

        One undoable step whatever the number of details changed.  Returns
        False if the change could not be saved (``error`` was emitted); True
        otherwise, also when nothing changed.
        """
        before = {name: getattr(self.record, name) for name in _DETAILS}
        after = {**before, **{name: tuple(v) if name in ("facilitators", "participants") else v
                              for name, v in details.items()}}
        if after == before:
            return True
        return self._push(_EditDetails(self, before, after))

    # -- used by the commands --------------------------------------------------------------

    def _push(self, command: QUndoCommand) -> bool:
        self._failed = False
        self.undo_stack.push(command)
        return not self._failed

    def _editable(self, kind: str, declared: Sequence[Field], names: Iterable[str]) -> bool:
        """True if every name is a field that can be changed in place; else False and ``error`` says which is not."""
        try:
            check_editable(kind, declared, names)
        except WalkthroughError as exc:
            self.error.emit(describe(exc))
            return False
        return True

    def _run(self, work: Callable[[], Any]) -> Any:
        try:
            result = work()
        except WalkthroughError as exc:
            self._failed = True
            self.error.emit(describe(exc))
            return None
        self.saved.emit()
        return result

    def _store(self, record: ObservationRecord) -> None:
        self._observations[record.id] = record
        self._in_order = {}
        self.observation_changed.emit(record.id)
        self.observations_changed.emit(record.area_id)

    def _forget(self, observation_id: str) -> None:
        record = self._observations.pop(observation_id, None)
        if record is not None:
            self._in_order = {}
            self.observation_changed.emit(observation_id)
            self.observations_changed.emit(record.area_id)

    def _reload_observation(self, observation_id: str) -> None:
        try:
            self._store(observation_service.get_observation(self.db, observation_id))
        except WalkthroughError:
            self._forget(observation_id)

    def _loaded_actions(self) -> list[ActionRecord]:
        if self._plan is None:
            self._plan = action_service.list_actions(self.db, self.id)
        return self._plan

    def _reload_actions(self) -> None:
        self._plan = action_service.list_actions(self.db, self.id)
        self.actions_changed.emit()


#: The details of a walkthrough that can be corrected (the lens cannot: the findings were made with it).
_DETAILS = ("service", "site", "visit_date", "facilitators", "participants")


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


# -- undo commands ---------------------------------------------------------------------------
# Each redo()/undo() is one committed transaction through the services.


class _HoldsPhotos:
    """A command that keeps copies of photos (bundles) to undo or redo with."""

    def take_pixels_of(self, photo: PhotoRecord, jpeg: bytes, thumbnail: bytes) -> None:
        """Hold ``photo``'s picture as it is stored now (blurred) instead of the one held."""
        for name in ("bundle", "before", "after"):
            held = getattr(self, name, None)
            if held is not None:
                setattr(self, name, held.with_pixels_of(photo, jpeg, thumbnail))


class _AddObservation(_HoldsPhotos, QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, new: NewObservation) -> None:
        super().__init__(QCoreApplication.translate("OpenWalkthrough", "Add observation"))
        self.owner = owner
        self.new = new
        self.observation_id: str | None = None
        self.bundle: ObservationBundle | None = None

    def redo(self) -> None:
        o = self.owner
        if self.bundle is None:
            record = o._run(lambda: observation_service.add_observation(o.db, o.id, self.new))
            if record is None:
                self.setObsolete(True)
                return
            self.observation_id = record.id
            # Its photos' bytes are not kept here (undo keeps a bundle instead; see _HoldsPhotos).
            self.new = dataclasses.replace(self.new, photos=())
            o._store(record)
        else:
            record = o._run(lambda: observation_service.put_back_observation(o.db, self.bundle))
            if record is not None:
                o._store(record)

    def undo(self) -> None:
        o = self.owner
        assert self.observation_id is not None
        bundle = o._run(lambda: observation_service.take_out_observation(o.db, self.observation_id))
        if bundle is not None:
            self.bundle = bundle
            o._forget(self.observation_id)
            o._reload_actions()


class _DeleteObservation(_HoldsPhotos, QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, observation_id: str) -> None:
        super().__init__(QCoreApplication.translate("OpenWalkthrough", "Delete observation"))
        self.owner = owner
        self.observation_id = observation_id
        self.bundle: ObservationBundle | None = None

    def redo(self) -> None:
        o = self.owner
        bundle = o._run(lambda: observation_service.take_out_observation(o.db, self.observation_id))
        if bundle is None:
            self.setObsolete(True)
            return
        self.bundle = bundle
        o._forget(self.observation_id)
        o._reload_actions()

    def undo(self) -> None:
        o = self.owner
        assert self.bundle is not None
        record = o._run(lambda: observation_service.put_back_observation(o.db, self.bundle))
        if record is not None:
            o._store(record)
            o._reload_actions()


class _EditObservation(QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, observation_id: str, before: dict[str, Any],
                 after: dict[str, Any]) -> None:
        names = set(after)
        text = {
            frozenset({"note"}): QCoreApplication.translate("OpenWalkthrough", "Edit note"),
            frozenset({"rating_id"}): QCoreApplication.translate("OpenWalkthrough", "Change rating"),
            frozenset({"principle_ids"}): QCoreApplication.translate("OpenWalkthrough", "Change principles"),
            frozenset({"voice"}): QCoreApplication.translate("OpenWalkthrough", "Change voice"),
        }.get(frozenset(names), QCoreApplication.translate("OpenWalkthrough", "Edit observation"))
        super().__init__(text)
        self.owner = owner
        self.observation_id = observation_id
        self.before = before
        self.after = after
        self.at = time.monotonic()

    def id(self) -> int:
        return _NOTE_EDIT_ID if set(self.after) == {"note"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _EditObservation) or other.observation_id != self.observation_id:
            return False
        if set(other.after) != {"note"} or set(self.after) != {"note"}:
            return False
        if other.at - self.at > _NOTE_MERGE_SECONDS:
            return False
        self.after, self.at = other.after, other.at
        return True

    def _apply(self, values: dict[str, Any]) -> None:
        o = self.owner
        record = o._run(lambda: observation_service.update_observation(o.db, self.observation_id, **values))
        if record is None:
            self.setObsolete(True)
        else:
            o._store(record)

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class _ReplaceObservation(_HoldsPhotos, QUndoCommand):
    """An edit of an observation's photos, undone by putting the whole observation back."""

    def __init__(self, owner: OpenWalkthrough, observation_id: str, text: str, change: Callable[[], Any]) -> None:
        super().__init__(text)
        self.owner = owner
        self.observation_id = observation_id
        #: Made once, then let go (it may hold new photos' bytes): undo and redo swap bundles.
        self.change: Callable[[], Any] | None = change
        self.before: ObservationBundle | None = None
        self.after: ObservationBundle | None = None

    def _snapshot(self) -> ObservationBundle:
        return observation_service.read_observation_bundle(self.owner.db, self.observation_id)

    def _swap(self, to: ObservationBundle) -> None:
        observation_service.replace_observation(self.owner.db, to)

    def redo(self) -> None:
        o = self.owner
        if self.after is None:
            def first() -> bool:
                assert self.change is not None
                self.before = self._snapshot()
                self.change()
                self.after = self._snapshot()
                self.change = None
                return True

            if o._run(first) is None and self.after is None:
                self.setObsolete(True)
        else:
            o._run(lambda: self._swap(self.after))
        o._reload_observation(self.observation_id)

    def undo(self) -> None:
        o = self.owner
        assert self.before is not None
        o._run(lambda: self._swap(self.before))
        o._reload_observation(self.observation_id)


class _AddAction(QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, new: NewAction) -> None:
        super().__init__(QCoreApplication.translate("OpenWalkthrough", "Add action"))
        self.owner = owner
        self.new = new
        self.action_id: str | None = None
        self.record: ActionRecord | None = None

    def redo(self) -> None:
        o = self.owner
        if self.record is None:
            record = o._run(lambda: action_service.add_action(o.db, o.id, self.new))
            if record is None:
                self.setObsolete(True)
                return
            self.record, self.action_id = record, record.id
        else:
            o._run(lambda: action_service.put_back_action(o.db, self.record))
        o._reload_actions()

    def undo(self) -> None:
        o = self.owner
        assert self.action_id is not None
        o._run(lambda: action_service.delete_action(o.db, self.action_id))
        o._reload_actions()


class _DeleteAction(QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, record: ActionRecord) -> None:
        super().__init__(QCoreApplication.translate("OpenWalkthrough", "Delete action"))
        self.owner = owner
        self.record = record

    def redo(self) -> None:
        o = self.owner
        o._run(lambda: action_service.delete_action(o.db, self.record.id))
        o._reload_actions()

    def undo(self) -> None:
        o = self.owner
        o._run(lambda: action_service.put_back_action(o.db, self.record))
        o._reload_actions()


class _EditAction(QUndoCommand):
    def __init__(self, owner: OpenWalkthrough, action_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        text = {
            frozenset({"status"}): QCoreApplication.translate("OpenWalkthrough", "Change status"),
            frozenset({"priority"}): QCoreApplication.translate("OpenWalkthrough", "Change priority"),
            frozenset({"owner"}): QCoreApplication.translate("OpenWalkthrough", "Change owner"),
            frozenset({"due_date"}): QCoreApplication.translate("OpenWalkthrough", "Change due date"),
            frozenset({"component_id"}): QCoreApplication.translate("OpenWalkthrough", "Change component"),
            frozenset({"text"}): QCoreApplication.translate("OpenWalkthrough", "Edit action text"),
        }.get(frozenset(after), QCoreApplication.translate("OpenWalkthrough", "Edit action"))
        super().__init__(text)
        self.owner = owner
        self.action_id = action_id
        self.before = before
        self.after = after

    def _apply(self, values: dict[str, Any]) -> None:
        o = self.owner
        if o._run(lambda: action_service.update_action(o.db, self.action_id, **values)) is None:
            self.setObsolete(True)
        o._reload_actions()

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class _EditDetails(QUndoCommand):
    """A correction of the walkthrough's details; undo writes every earlier detail back."""

    def __init__(self, owner: OpenWalkthrough, before: dict[str, Any], after: dict[str, Any]) -> None:
        super().__init__(QCoreApplication.translate("OpenWalkthrough", "Edit walkthrough details"))
        self.owner = owner
        self.before = before
        self.after = after

    def _apply(self, values: dict[str, Any]) -> None:
        o = self.owner
        record = o._run(lambda: walkthrough_service.update_walkthrough(o.db, o.id, **values))
        if record is None:
            self.setObsolete(True)
            return
        o.record = record
        o.details_changed.emit()

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)
