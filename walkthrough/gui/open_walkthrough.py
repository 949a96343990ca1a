"""The walkthrough on screen: one place that edits it, with undo, and says what changed.

Every edit the window makes goes through :class:`OpenWalkthrough`, which
runs it through the core's undo history (:mod:`walkthrough.services.undo`:
the services, each a committed transaction, so an edit is on disk as soon as
the call returns) and pushes a :class:`~PySide6.QtGui.QUndoCommand` wrapping
the core's step onto its undo stack.  The core says what each operation,
undo or redo changed (an :class:`~walkthrough.domain.changes.OpChanges`);
the controller reads again exactly those observations, actions and details,
and emits ``changed`` with it.  Pages keep no state of their own beyond what
is on screen: they read records from here and repaint what ``changed`` names
(a note saved repaints that observation's editor and row, not its area).

The improvement plan is the service's: a walkthrough filed under a service
shows the actions of all the service's walks
(:func:`walkthrough.services.service_plan.walkthrough_plan`).  An action of
another walk is edited here as one of this walk's (one undo step each), and
recorded under its own walk; ``changed`` names it as any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap, QUndoCommand, QUndoStack

from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, Entity, OpChanges
from walkthrough.domain.duplicates import PossibleDuplicate
from walkthrough.domain.errors import NotFound, WalkthroughError
from walkthrough.domain.improvement_plan import PlanWalk, ServicePlan
from walkthrough.gui.error_wording import describe
from walkthrough.domain.lens import Lens
from walkthrough.domain.plan_history import StatusChange
from walkthrough.domain.records import ActionRecord, ObservationRecord, ProgressUpdateRecord, WalkthroughRecord
from walkthrough.services import actions as action_service
from walkthrough.services import history
from walkthrough.services import observations as observation_service
from walkthrough.services import photos as photo_service
from walkthrough.services import plan_history
from walkthrough.services import progress_updates as progress_service
from walkthrough.services import recorders
from walkthrough.services import service_plan as service_plan_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import PreparedPhoto
from walkthrough.services.progress_updates import NewProgressUpdate
from walkthrough.services.recorders import RecordingDevice
from walkthrough.services.undo import Applied, Step, UndoHistory
from walkthrough.storage.database import Database


class OpenWalkthrough(QObject):
    """A walkthrough opened in the window: its records, its undo stack, its signals.

    Signals:
        changed(OpChanges): a change was written to the database (an edit,
            undo or redo); the records held here already show it.  It names
            the observations, photos, actions and walkthrough details made,
            changed (with their fields) or deleted: react to those only.
            (A photo's change is also a change of its observation's ``photos``.)
        error(message): a change could not be made (one line for the user).
        told(message): a change the person should hear about (a deletion and how to
            bring it back), for the status bar.
        differences_changed(): the differences to decide may be fewer or more
            (changes brought in, a decision, an edit settling one).
    """

    changed = Signal(OpChanges)
    error = Signal(str)
    told = Signal(str)
    #: the differences to decide may have changed (read them again: :meth:`differences_of`)
    differences_changed = Signal()

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
        #: The undo steps themselves (the core's); each command of the stack wraps one.
        self.undo_history = UndoHistory(db, self.record.id)
        self._observations: dict[str, ObservationRecord] = {o.id: o for o in in_order}
        #: Walking-order lists by area (None: all), built when first asked and
        #: dropped on any change: the area list, the walk page and Review ask
        #: for the same lists many times between changes.
        self._in_order: dict[str | None, list[ObservationRecord]] = {None: in_order}
        #: The improvement plan, read when first asked for (the Walk page never
        #: does; opening a walkthrough should not wait for it): the service's,
        #: the actions of all its walks (see :meth:`other_walk_of`).
        self._plan: list[ActionRecord] | None = None
        #: The plan's walks (this one too), oldest first, read with the plan (its actions: ``_plan``).
        self._plan_walks: ServicePlan = ServicePlan(None, (), ())
        #: Thumbnails drawn for the photo strips, by photo id: shared, so moving
        #: between areas reads and decodes each thumbnail once. Dropped when a
        #: photo's picture changes (blur).
        self.thumbnail_pixmaps: dict[str, QPixmap] = {}
        #: The areas of observations deleted while open (see :meth:`area_of`).
        self._areas_of_gone: dict[str, str] = {}
        #: Differences to decide by observation, read when first asked for (see :meth:`differences_of`).
        self._differences: dict[str, int] | None = None
        self.changed.connect(self._forget_settled_differences)

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

    def differences_of(self, observation_id: str) -> int:
        """How many differences to decide an observation (with its photos) has; read once, then kept."""
        return self._difference_counts().get(observation_id, 0)

    def differences_in_area(self, area_id: str) -> int:
        """How many differences to decide the observations of an area have."""
        return sum(n for o, n in self._difference_counts().items() if self.area_of(o) == area_id)

    def _difference_counts(self) -> dict[str, int]:
        if self._differences is None:
            from walkthrough.services.differences import differences_by_observation

            try:
                self._differences = differences_by_observation(self.db, self.id)
            except WalkthroughError:
                self._differences = {}
        return self._differences

    def _forget_settled_differences(self, changes: OpChanges) -> None:
        # A difference only comes with changes from another laptop (reload forgets them all); an
        # edit here can only settle one, so only an observation that had some is counted again.
        known = self._differences
        if known and (any(i in known for i in changes.ids(Entity.OBSERVATION)) or changes.touches(Entity.PHOTO)):
            self._differences = None
            self.differences_changed.emit()

    def recorded_by(self) -> dict[str, RecordingDevice]:
        """Each observation's recorder (the laptop it was recorded on), by observation id: one query."""
        return recorders.recorded_by(self.db, self.id)

    def observation(self, observation_id: str) -> ObservationRecord | None:
        """One observation, or None if it no longer exists."""
        return self._observations.get(observation_id)

    def area_of(self, observation_id: str) -> str | None:
        """The area of an observation, also of one deleted since (so a page can tell which area lost it)."""
        record = self._observations.get(observation_id)
        return record.area_id if record is not None else self._areas_of_gone.get(observation_id)

    def areas_changed(self, changes: OpChanges, fields: Iterable[str] | None = None) -> set[str]:
        """The areas of the observations ``changes`` made or deleted, or changed any of ``fields`` of.

        With ``fields`` None, any changed field counts.
        """
        wanted = None if fields is None else frozenset(fields)
        areas: set[str] = set()
        for observation_id in changes.ids(Entity.OBSERVATION):
            changed = changes.fields(Entity.OBSERVATION, observation_id)
            if (wanted is None or wanted & changed
                    or changes.was_created(Entity.OBSERVATION, observation_id)
                    or changes.was_deleted(Entity.OBSERVATION, observation_id)):
                area_id = self.area_of(observation_id)
                if area_id is not None:
                    areas.add(area_id)
        return areas

    def actions(self) -> list[ActionRecord]:
        """The improvement plan, in order: the service's whole plan, walk by walk (oldest first)."""
        return list(self._loaded_actions())

    def other_walk_of(self, action: ActionRecord) -> PlanWalk | None:
        """The walk of the service an action of the plan was made in, when not this one (else None)."""
        if action.walkthrough_id == self.id:
            return None
        self._loaded_actions()
        return self._plan_walks.walk(action.walkthrough_id)

    def plan_spans_walks(self) -> bool:
        """True when the plan holds actions made in another walk of the service."""
        return any(a.walkthrough_id != self.id for a in self._loaded_actions())

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
        action = self.action(entity_id) if self._plan is not None else None
        try:  # an action of another walk of the service is recorded under that walk
            return history.list_history(self.db, action.walkthrough_id if action else self.id, entity_id)
        except NotFound:
            return []

    def reload(self) -> None:
        """Read the walkthrough again after changes made outside this window's edits.

        Changes brought in from another laptop, or a difference decided, go
        to the database directly; this re-reads what is shown and emits
        ``changed`` naming whatever differs, so every page updates as it does
        after an edit.  The undo history is emptied: its steps were taken
        against what the walkthrough was before, and undoing one now could
        write an old value over one that came in.
        """
        record, in_order = observation_service.walkthrough_with_observations(self.db, self.id)
        self._differences = None  # changes from another laptop, or a decision
        before, after = self._observations, {o.id: o for o in in_order}
        created: set[tuple[Entity, str]] = set()
        deleted: set[tuple[Entity, str]] = set()
        updated: dict[tuple[Entity, str], frozenset[str]] = {}
        for observation_id in before.keys() | after.keys():
            old, new = before.get(observation_id), after.get(observation_id)
            if old is None:
                created.add((Entity.OBSERVATION, observation_id))
            elif new is None:
                deleted.add((Entity.OBSERVATION, observation_id))
                self._areas_of_gone[observation_id] = old.area_id
            elif old != new:
                updated[(Entity.OBSERVATION, observation_id)] = _differing(old, new, _OBSERVATION_SHOWN)
        self._observations, self._in_order = after, {None: in_order}
        self.thumbnail_pixmaps.clear()  # a photo may have been blurred on another laptop
        if self._plan is not None:
            whole = service_plan_service.walkthrough_plan(self.db, self.id)
            self._plan_walks = replace(whole, actions=())
            plan = {a.id: a for a in whole.actions}
            old_plan = {a.id: a for a in self._plan}
            for action_id in old_plan.keys() | plan.keys():
                old_action, new_action = old_plan.get(action_id), plan.get(action_id)
                if old_action is None:
                    created.add((Entity.ACTION, action_id))
                elif new_action is None:
                    deleted.add((Entity.ACTION, action_id))
                elif old_action != new_action:
                    updated[(Entity.ACTION, action_id)] = _differing(old_action, new_action, _ACTION_SHOWN)
            self._plan = list(plan.values())
        if record != self.record:
            updated[(Entity.WALKTHROUGH, self.id)] = _differing(self.record, record, _DETAILS)
            self.record = record
        self.undo_stack.clear()
        self.undo_history.clear()
        changes = OpChanges(created=frozenset(created), updated=updated, deleted=frozenset(deleted),
                            walkthrough_ids=frozenset({self.id}))
        if not changes.empty:
            self.changed.emit(changes)
        self.differences_changed.emit()  # a decision may settle one and show nothing new

    # -- editing (each is one undoable step, kept by the core: services.undo) --------------------

    def add_observation(self, new: NewObservation) -> str | None:
        """Record an observation; returns its id, or None if it failed (``error`` emitted)."""
        applied = self._apply(lambda: self.undo_history.add_observation(new))
        return applied.id if applied is not None else None

    def edit_observation(self, observation_id: str, **fields: Any) -> bool:
        """Change fields of an observation (``rating_id``, ``principle_ids``, ``note``, ``voice``).

        Note saves of one observation within a few seconds merge into one undo
        step (typing).  Returns False if the change could not be saved
        (``error`` was emitted); True otherwise, also when nothing changed.
        """
        if observation_id not in self._observations:
            return False
        return self._apply(lambda: self.undo_history.edit_observation(observation_id, **fields)) is not None

    def delete_observation(self, observation_id: str) -> None:
        """Delete an observation with its photos (undo puts it back exactly); ``told`` says what went."""
        record = self._observations.get(observation_id)
        if record is None:
            return
        if self._apply(lambda: self.undo_history.delete_observation(observation_id)) is None:
            return
        area = self.lens.area(record.area_id)
        where = area.title if area else record.area_id
        if record.photos:
            message = self.tr("Deleted the observation in “%1” with %n photo(s) — Ctrl+Z brings it back.", "",
                              len(record.photos))
        else:
            message = self.tr("Deleted the observation in “%1” — Ctrl+Z brings it back.")
        self.told.emit(message.replace("%1", where))

    def possible_duplicates(self) -> list[PossibleDuplicate]:
        """Observations two laptops may have recorded twice (same prompt, notes alike), most alike first."""
        from walkthrough.services.duplicates import find_possible_duplicates

        try:
            return find_possible_duplicates(self.db, self.id)
        except WalkthroughError as exc:
            self.error.emit(describe(exc))
            return []

    def merge_duplicates(self, first_id: str, second_id: str) -> bool:
        """Merge the second observation into the first, as one undoable step; False if it failed (``error``)."""
        return self._apply(lambda: self.undo_history.merge_duplicates(first_id, second_id)) is not None

    def add_photos(self, observation_id: str, photos: Sequence[PreparedPhoto]) -> None:
        """Attach prepared photos to an observation, as one undoable step."""
        if photos:
            self._apply(lambda: self.undo_history.add_photos(observation_id, photos))

    def delete_photo(self, observation_id: str, photo_id: str) -> None:
        """Delete one photo (undo restores the observation as it was)."""
        self._apply(lambda: self.undo_history.delete_photo(observation_id, photo_id))

    def set_caption(self, observation_id: str, photo_id: str, caption: str) -> None:
        """Change a photo's caption."""
        self._apply(lambda: self.undo_history.set_caption(observation_id, photo_id, caption))

    def set_alt_text(self, observation_id: str, photo_id: str, alt_text: str) -> None:
        """Change a photo's alt text."""
        self._apply(lambda: self.undo_history.set_alt_text(observation_id, photo_id, alt_text))

    def blur_photo(self, observation_id: str, photo_id: str, box: tuple[int, int, int, int]) -> bool:
        """Blur a region of a photo for good (not undoable: the original must not survive).

        The undo history keeps copies of photos (to put back a deleted
        observation or photo): those of this photo take the blurred picture,
        so no copy of the original is left and no undo brings it back.  Every
        other step stays undoable.  Returns False (and emits ``error``) if it
        could not be done.
        """
        return self._run(lambda: self.undo_history.blur_photo(photo_id, box)) is not None

    def add_action(self, new: NewAction) -> str | None:
        """Add an improvement action; returns its id, or None if it failed."""
        applied = self._apply(lambda: self.undo_history.add_action(new))
        return applied.id if applied is not None else None

    def action(self, action_id: str) -> ActionRecord | None:
        """One action, or None if it no longer exists."""
        return next((a for a in self._loaded_actions() if a.id == action_id), None)

    def edit_action(self, action_id: str, **fields: Any) -> bool:
        """Change fields of an action (as :func:`walkthrough.services.actions.update_action`).

        Returns False if the change could not be saved (``error`` was emitted).
        """
        if self.action(action_id) is None:
            return False
        return self._apply(lambda: self.undo_history.edit_action(action_id, **fields)) is not None

    def delete_action(self, action_id: str) -> None:
        """Remove an action from the plan."""
        if self.action(action_id) is not None:
            self._apply(lambda: self.undo_history.delete_action(action_id))

    def add_progress_update(self, action_id: str, new: NewProgressUpdate) -> str | None:
        """Add a progress update to an action (and set its status and on-track): one undo step.

        Returns the update's id, or None if it failed (``error`` was emitted).
        """
        if self.action(action_id) is None:
            return None
        applied = self._apply(lambda: self.undo_history.add_progress_update(action_id, new))
        return applied.id if applied is not None else None

    def progress_updates(self, action_id: str) -> list[ProgressUpdateRecord]:
        """An action's progress updates, oldest first (none when it no longer exists)."""
        try:
            return progress_service.list_progress_updates(self.db, action_id)
        except NotFound:
            return []

    def status_history(self, action_id: str) -> list[StatusChange]:
        """An action's status and on-track changes, oldest first, from the change history."""
        try:
            return plan_history.status_history(self.db, action_id)
        except NotFound:
            return []

    def this_person(self) -> str:
        """Who uses this device (empty when not said): a progress update's writer by default."""
        if self.read_only:
            return ""
        try:
            return history.this_device(self.db).person
        except WalkthroughError:
            return ""

    def edit_details(self, **details: Any) -> bool:
        """Correct the walkthrough's details (as :func:`walkthrough.services.walkthroughs.update_walkthrough`).

        One undoable step whatever the number of details changed.  Returns
        False if the change could not be saved (``error`` was emitted); True
        otherwise, also when nothing changed.
        """
        return self._apply(lambda: self.undo_history.edit_details(**details)) is not None

    # -- used by the commands --------------------------------------------------------------

    def _apply(self, operation: Callable[[], Applied]) -> Applied | None:
        """Run a core operation; show what it changed and put its step on the undo stack.

        Returns None if it failed (``error`` was emitted; no step was made).
        ``changed`` is emitted only when something was written.
        """
        try:
            applied = operation()
        except WalkthroughError as exc:
            self.error.emit(describe(exc))
            return None
        self._take_in(applied.changes)
        if applied.step is not None:
            # A step the core merged into the last one (typing) merges into its command too.
            self.undo_stack.push(_CoreStep(self, applied.step))
        return applied

    def _step_text(self, step: Step) -> str:
        """The step's name for the Edit menu and the undo view."""
        if step.key == "add_photos":
            return self.tr("Add %n photo(s)", "", step.count)
        words = {
            "add_observation": self.tr("Add observation"),
            "delete_observation": self.tr("Delete observation"),
            "edit_note": self.tr("Edit note"),
            "change_rating": self.tr("Change rating"),
            "change_principles": self.tr("Change principles"),
            "change_voice": self.tr("Change voice"),
            "edit_observation": self.tr("Edit observation"),
            "delete_photo": self.tr("Delete photo"),
            "edit_caption": self.tr("Edit caption"),
            "edit_alt_text": self.tr("Edit alt text"),
            "add_action": self.tr("Add action"),
            "delete_action": self.tr("Delete action"),
            "change_status": self.tr("Change status"),
            "change_priority": self.tr("Change priority"),
            "change_owner": self.tr("Change owner"),
            "change_due_date": self.tr("Change due date"),
            "change_component": self.tr("Change component"),
            "edit_action_text": self.tr("Edit action text"),
            "edit_action": self.tr("Edit action"),
            "change_lead": self.tr("Change lead"),
            "change_on_track": self.tr("Change on track"),
            "add_progress_update": self.tr("Add progress update"),
            "edit_details": self.tr("Edit walkthrough details"),
            "merge_duplicates": self.tr("Merge observations"),
        }
        return words.get(step.key, step.key)

    def _run(self, work: Callable[[], Any]) -> Any:
        """Call the services in ``work``; then take in what they changed and emit ``changed``.

        Returns what ``work`` returned, or None if it failed (``error`` was
        emitted, and what it changed before failing is taken in all the same).
        """
        with history.collect_changes() as collected:
            try:
                result = work()
            except WalkthroughError as exc:
                self.error.emit(describe(exc))
                result = None
        self._take_in(collected.changes)
        return result

    def _take_in(self, changes: OpChanges) -> None:
        """Read again exactly what ``changes`` names (a deleted thing is dropped), then emit ``changed``."""
        ours = self.id in changes.walkthrough_ids
        # An action of another walk of the service is in this plan; that walk's other things are not.
        if changes.empty or not (ours or changes.walkthrough_ids & self._plan_walks.walkthrough_ids):
            return
        for observation_id in sorted(changes.ids(Entity.OBSERVATION)) if ours else ():
            self._reread_observation(observation_id, changes.was_deleted(Entity.OBSERVATION, observation_id))
        for photo_id in changes.ids(Entity.PHOTO):
            if PICTURE in changes.fields(Entity.PHOTO, photo_id):
                self.thumbnail_pixmaps.pop(photo_id, None)  # blurred: drawn again, the original let go
        if self._plan is not None:
            for action_id in sorted(changes.ids(Entity.ACTION)):
                self._reread_action(action_id, changes.was_deleted(Entity.ACTION, action_id))
        if ours and changes.touches(Entity.WALKTHROUGH) and not changes.was_deleted(Entity.WALKTHROUGH, self.id):
            self.record = walkthrough_service.get_walkthrough(self.db, self.id)
        self.changed.emit(changes)

    def _reread_observation(self, observation_id: str, deleted: bool) -> None:
        record: ObservationRecord | None = None
        if not deleted:
            try:
                record = observation_service.get_observation(self.db, observation_id)
            except NotFound:
                pass
        old = self._observations.pop(observation_id, None)
        if record is None:
            if old is not None:
                self._areas_of_gone[observation_id] = old.area_id
                self._in_order = {}
            return
        self._observations[observation_id] = record
        if old is None or _walking_key(old) != _walking_key(record):
            self._in_order = {}  # made (or moved): the lists are built again when next asked for
            return
        # Changed in place (a note, a rating, photos): the walking order stands.
        for listed in self._in_order.values():
            for i, o in enumerate(listed):
                if o.id == observation_id:
                    listed[i] = record
                    break

    def _reread_action(self, action_id: str, deleted: bool) -> None:
        assert self._plan is not None
        record: ActionRecord | None = None
        if not deleted:
            try:
                record = action_service.get_action(self.db, action_id)
            except NotFound:
                pass
        at = next((i for i, a in enumerate(self._plan) if a.id == action_id), None)
        if at is not None:
            if record is not None and (record.position, record.created_at) == (self._plan[at].position,
                                                                               self._plan[at].created_at):
                self._plan[at] = record
                return
            del self._plan[at]
        if record is not None:
            key = self._plan_walks.order_key(record)
            at = next((i for i, a in enumerate(self._plan) if self._plan_walks.order_key(a) > key), len(self._plan))
            self._plan.insert(at, record)

    def _loaded_actions(self) -> list[ActionRecord]:
        if self._plan is None:
            whole = service_plan_service.walkthrough_plan(self.db, self.id)
            self._plan_walks = replace(whole, actions=())  # the actions are kept in self._plan
            self._plan = list(whole.actions)
        return self._plan


#: What a page shows of an observation, an action and the walkthrough's details: compared by :meth:`reload`.
_OBSERVATION_SHOWN = ("area_id", "prompt_id", "rating_id", "principle_ids", "note", "voice", "position", "photos")
_ACTION_SHOWN = ("text", "lead", "owner", "due_date", "priority", "status", "on_track", "success_measure",
                 "component_id", "principle_ids", "mat_standards", "observation_ids", "position")
_DETAILS = ("service", "site", "visit_date", "facilitators", "participants")


def _differing(old: Any, new: Any, names: Sequence[str]) -> frozenset[str]:
    """The fields among ``names`` whose values differ between two records of one thing."""
    return frozenset(n for n in names if getattr(old, n) != getattr(new, n)) or frozenset(names)


def _walking_key(o: ObservationRecord) -> tuple[Any, ...]:
    """What places an observation in walking order (none of it can be edited, but an undo could put it back)."""
    return (o.area_id, o.prompt_id, o.position, o.created_at)


# -- undo commands ---------------------------------------------------------------------------
# Each wraps one step of the core's UndoHistory: the core makes, undoes and redoes it through the
# services (one committed transaction each); the command says what changed and words the step.

#: Every command has this id, so that the stack asks :meth:`_CoreStep.mergeWith`: it merges when
#: the core merged the step (typing a note).
_CORE_STEP_ID = 1001


class _CoreStep(QUndoCommand):
    """One step of the core's undo history on the window's undo stack.

    The step was made when the operation ran, so the stack's first redo
    (on push) does nothing; later ones and every undo go through the core,
    which takes back or makes again its newest step: the same as this
    command's while the two move together, which they do (macros of
    several commands included).  A step that fails is dropped by the core,
    and the command with it (obsolete).
    """

    def __init__(self, owner: OpenWalkthrough, step: Step) -> None:
        super().__init__(owner._step_text(step))
        self.owner = owner
        self.step = step
        self._made = True

    def id(self) -> int:
        return _CORE_STEP_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        return isinstance(other, _CoreStep) and other.step is self.step

    def redo(self) -> None:
        if self._made:
            self._made = False
            return
        history = self.owner.undo_history
        self._replay(history.redo, history.next_redo)

    def undo(self) -> None:
        history = self.owner.undo_history
        self._replay(history.undo, history.next_undo)

    def _replay(self, go: Callable[[], OpChanges], next_step: Step | None) -> None:
        if next_step is not self.step:  # dropped by the core already (a failure inside a macro)
            self.setObsolete(True)
            return
        if self.owner._run(go) is None:  # what it changed is taken in by _run
            self.setObsolete(True)
