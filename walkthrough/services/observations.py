"""Observations: record what was noticed, with its rating, principles, voice and photos.

Every id that points into the lens (area, prompt, rating, principle) is
checked against the walkthrough's own lens snapshot, so a typo is refused with
a message that names it, and nothing half-recorded is stored.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import InvalidInput, NotFound, TooLong, UnknownValue
from walkthrough.domain.models import (
    Action,
    Observation,
    ObservationPrinciple,
    Photo,
    Voice,
    Walkthrough,
    action_observation,
    new_id,
)
from walkthrough.domain.records import ObservationRecord, PhotoRecord, WalkthroughRecord
from walkthrough.domain.stored_photo import print_rendition_or_none
from walkthrough.services.history import Recorder, observation_values, photo_values, picture
from walkthrough.services.photo_intake import PreparedPhoto
from walkthrough.services.photos import photo_row
from walkthrough.services.text_cleaning import clean_text
from walkthrough.services.walkthroughs import (
    lens_from_snapshot,
    load_walkthrough_row,
    resolve_id_prefix,
    observation_record,
    photo_record,
    sort_in_walking_order,
    walkthrough_record,
)
from walkthrough.storage.database import Database, clear_side_files, large_write
from walkthrough.storage.timestamps import utc_column

if TYPE_CHECKING:
    from walkthrough.domain.lens import Lens

#: Longest note kept, in characters (about 100,000 words); longer is refused.
MAX_NOTE_CHARS = 1_000_000
#: Rows from which an import's transaction takes a larger page cache (storage.database.large_write).
_LARGE_IMPORT = 1000


@dataclass(frozen=True)
class NewObservation:
    """What a facilitator records about one thing noticed.

    ``principle_ids`` empty means: the prompt's own principles (a
    free-standing observation then has none).  ``rating_id`` ``None`` means
    not rated yet (a note written first).  ``photos`` are already
    prepared by :func:`walkthrough.services.photo_intake.prepare_photo`.
    """

    area_id: str
    rating_id: str | None = None
    prompt_id: str | None = None
    principle_ids: tuple[str, ...] = ()
    note: str = ""
    voice: Voice = Voice.FACILITATOR
    photos: tuple[PreparedPhoto, ...] = field(default=(), repr=False)


def add_observation(db: Database, walkthrough_id: str, new: NewObservation) -> ObservationRecord:
    """Record one observation and its photos, all or nothing.

    Raises:
        NotFound: no such walkthrough.
        InvalidInput: an area, prompt, rating or principle the lens does not have.
    """
    return add_observations(db, walkthrough_id, [new])[0]


def add_observations(db: Database, walkthrough_id: str, items: Sequence[NewObservation]) -> list[ObservationRecord]:
    """Record several observations in one transaction: all are stored or none.

    Raises:
        NotFound: no such walkthrough.
        InvalidInput: for the first bad item; its message starts with the
            item's 1-based number when there is more than one.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        recorder = Recorder(session, walkthrough_id)
        created = _add_in(session, recorder, row, lens_from_snapshot(row.lens_snapshot), items)
        if created:
            row.updated_at = recorder.now
        session.flush()
        records = [observation_record(o) for o in created]
        _record_created(recorder, records)
        recorder.finish()
        return records


def _record_created(recorder: Recorder, records: Sequence[ObservationRecord], *, again: bool = False) -> None:
    for record in records:
        recorder.created(Entity.OBSERVATION, record.id, observation_values(record), again=again)
        for photo in record.photos:
            recorder.created(Entity.PHOTO, photo.id, photo_values(photo, photo.created_at or record.created_at),
                             parent=record.id, again=again)


def _add_in(session: Session, recorder: Recorder, row: Walkthrough, lens: Lens,
            items: Sequence[NewObservation]) -> list[Observation]:
    next_position = _next_positions(session, row.id)
    created: list[Observation] = []
    for number, item in enumerate(items, start=1):
        try:
            principle_ids = check_observation(lens, item.area_id, item.prompt_id, item.rating_id, item.principle_ids)
            note = clean_note(item.note)
        except InvalidInput as exc:
            if len(items) > 1:
                raise InvalidInput(f"item {number}: {exc}") from None
            raise
        position = next_position.get(item.area_id, 0)
        next_position[item.area_id] = position + 1
        obs = Observation(
            id=new_id(),
            walkthrough_id=row.id,
            created_at=recorder.now,
            updated_at=recorder.now,
            area_id=item.area_id,
            prompt_id=item.prompt_id or None,
            rating_id=item.rating_id,
            note=note,
            voice=Voice(item.voice),
            position=position,
            principle_links=[ObservationPrinciple(principle_id=p) for p in principle_ids],
            photos=[photo_row(p, i, recorder.now) for i, p in enumerate(item.photos)],
        )
        session.add(obs)
        created.append(obs)
    return created


def import_observations(
    db: Database, walkthrough_id: str, adds: Sequence[NewObservation], updates: dict[str, NewObservation]
) -> int:
    """Add ``adds`` and overwrite the observations in ``updates`` (by id), in one transaction.

    An update replaces area, prompt, rating, principles, note and voice; the
    photos stay.  Used by CSV import, so a file edited in a spreadsheet and
    imported again changes the observations instead of copying them.

    Returns:
        How many of ``updates`` actually changed something.

    Raises:
        NotFound: no such walkthrough, or an update id not in it.
        InvalidInput: an id the lens does not have (nothing is stored).
    """
    changed_count = 0
    with db.sessions.begin() as session:
        if len(adds) + len(updates) >= _LARGE_IMPORT:
            large_write(session)
        row = load_walkthrough_row(session, walkthrough_id)
        recorder = Recorder(session, walkthrough_id)
        lens = lens_from_snapshot(row.lens_snapshot)
        for observation_id, item in updates.items():
            obs = _load(session, observation_id)
            if obs.walkthrough_id != walkthrough_id:
                raise NotFound("observation", observation_id, "in this walkthrough")
            principle_ids = check_observation(lens, item.area_id, item.prompt_id, item.rating_id, item.principle_ids)
            note = clean_note(item.note)
            changed = (
                obs.area_id != item.area_id or obs.prompt_id != (item.prompt_id or None)
                or obs.rating_id != item.rating_id or obs.note != note or obs.voice != Voice(item.voice)
                or sorted(obs.principle_ids) != sorted(principle_ids)
            )
            if not changed:
                continue
            changed_count += 1
            _set_fields(recorder, obs, area_id=item.area_id, prompt_id=item.prompt_id or None,
                        rating_id=item.rating_id, note=note, voice=Voice(item.voice))
            _set_principles(recorder, obs, principle_ids)
            obs.updated_at = recorder.now
        _bulk_add(session, recorder, row, lens, adds)
        if recorder.changed:
            row.updated_at = recorder.now
        session.flush()
        recorder.finish()
    return changed_count


def _set_fields(recorder: Recorder, obs: Observation, **values: object) -> None:
    """Set the fields of ``obs`` that differ, recording each."""
    for name, value in values.items():
        if getattr(obs, name) != value:
            setattr(obs, name, value)
            recorder.set(Entity.OBSERVATION, obs.id, name, value)


def _set_principles(recorder: Recorder, obs: Observation, principle_ids: Sequence[str]) -> None:
    """Make ``obs``'s principles ``principle_ids``, recording what was linked and unlinked."""
    before, after = set(obs.principle_ids), set(principle_ids)
    if before == after:
        return
    obs.principle_links = [ObservationPrinciple(principle_id=p) for p in dict.fromkeys(principle_ids)]
    recorder.linked(Entity.OBSERVATION, obs.id, "principle_ids", after - before, before - after)


def _bulk_add(session: Session, recorder: Recorder, row: Walkthrough, lens: Lens,
              items: Sequence[NewObservation]) -> None:
    """Insert many observations without photos as plain rows (a 100,000-row spreadsheet).

    Same checks and positions as :func:`_add_in`, but no ORM object per row:
    executemany inserts keep time and memory proportional to the data.
    """
    if any(item.photos for item in items):
        created = _add_in(session, recorder, row, lens, items)
        session.flush()
        _record_created(recorder, [observation_record(o) for o in created])
        return
    next_position = _next_positions(session, row.id)
    now = recorder.now
    observations: list[dict[str, object]] = []
    links: list[dict[str, str]] = []
    for number, item in enumerate(items, start=1):
        try:
            principle_ids = check_observation(lens, item.area_id, item.prompt_id, item.rating_id, item.principle_ids)
            note = clean_note(item.note)
        except InvalidInput as exc:
            raise InvalidInput(f"item {number}: {exc}") from None
        position = next_position.get(item.area_id, 0)
        next_position[item.area_id] = position + 1
        observation_id = new_id()
        observations.append({
            "id": observation_id, "walkthrough_id": row.id, "area_id": item.area_id,
            "prompt_id": item.prompt_id or None, "rating_id": item.rating_id, "note": note,
            "voice": Voice(item.voice), "position": position, "created_at": now, "updated_at": now,
        })
        links.extend({"observation_id": observation_id, "principle_id": p} for p in principle_ids)
        recorder.created(Entity.OBSERVATION, observation_id, {
            "area_id": item.area_id, "prompt_id": item.prompt_id or None, "rating_id": item.rating_id,
            "principle_ids": sorted(principle_ids), "note": note, "voice": Voice(item.voice), "position": position,
            "created_at": now, "updated_at": now,
        })
    for start in range(0, len(observations), 5000):
        session.execute(insert(Observation), observations[start:start + 5000])
    for start in range(0, len(links), 5000):
        session.execute(insert(ObservationPrinciple), links[start:start + 5000])


class _Keep(enum.Enum):
    KEEP = "keep"


#: For :func:`update_observation`'s ``rating_id``: leave the rating as it is (``None`` means not rated yet).
KEEP = _Keep.KEEP


def update_observation(
    db: Database,
    observation_id: str,
    *,
    rating_id: str | None | _Keep = KEEP,
    principle_ids: Sequence[str] | None = None,
    note: str | None = None,
    voice: Voice | None = None,
) -> ObservationRecord:
    """Change the given fields of an observation (``None`` leaves a field as it is).

    The rating is the exception: :data:`KEEP` leaves it, ``None`` sets it
    back to not rated yet.

    Raises:
        NotFound: no such observation.
        InvalidInput: a rating or principle the lens does not have.
    """
    with db.sessions.begin() as session:
        obs = _load(session, observation_id)
        lens = lens_from_snapshot(obs.walkthrough.lens_snapshot)
        recorder = Recorder(session, obs.walkthrough_id)
        values: dict[str, object] = {}
        if not isinstance(rating_id, _Keep):
            check_observation(lens, obs.area_id, obs.prompt_id, rating_id, ())
            values["rating_id"] = rating_id
        if principle_ids is not None:
            _check_principles(lens, principle_ids)
        if note is not None:
            values["note"] = clean_note(note)
        if voice is not None:
            values["voice"] = Voice(voice)
        _set_fields(recorder, obs, **values)
        if principle_ids is not None:
            _set_principles(recorder, obs, principle_ids)
        if recorder.changed:
            obs.updated_at = obs.walkthrough.updated_at = recorder.now
            session.flush()
        recorder.finish()
        return observation_record(obs)


def delete_observation(db: Database, observation_id: str) -> None:
    """Delete an observation with its photos (overwritten on disk: secure_delete).

    Raises:
        NotFound: no such observation.
    """
    with db.sessions.begin() as session:
        _delete(session, _load(session, observation_id))
    clear_side_files(db)  # the deleted note and photos must not stay in the -wal


def _delete(session: Session, obs: Observation) -> None:
    recorder = Recorder(session, obs.walkthrough_id)
    for action_id in session.scalars(
        select(action_observation.c.action_id).where(action_observation.c.observation_id == obs.id)
    ):
        recorder.touch(Entity.ACTION, action_id, "observation_ids")
    obs.walkthrough.updated_at = recorder.now
    recorder.deleted(Entity.OBSERVATION, obs.id)
    session.delete(obs)
    recorder.finish()


def get_observation(db: Database, observation_id: str) -> ObservationRecord:
    """One observation.

    Raises:
        NotFound: no such observation.
    """
    with db.sessions.begin() as session:
        return observation_record(_load(session, observation_id))


def resolve_observation_id(db: Database, id_or_prefix: str) -> str:
    """The full id of the one observation whose id starts with ``id_or_prefix`` (4+ characters).

    Raises:
        NotFound: none, or the prefix is too short.
        InvalidInput: more than one observation matches.
    """
    return resolve_id_prefix(db, Observation.id, "observation", id_or_prefix,
                             "`walkthrough export-csv` lists the observation ids")


def list_observations(db: Database, walkthrough_id: str, area_id: str | None = None) -> list[ObservationRecord]:
    """A walkthrough's observations in walking order, optionally of one area.

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        return observation_records(session, walkthrough_id, lens_from_snapshot(row.lens_snapshot), area_id)


def walkthrough_with_observations(db: Database, walkthrough_id: str) -> tuple[WalkthroughRecord, list[ObservationRecord]]:
    """A walkthrough's details and all its observations in walking order, read in one transaction.

    What the desktop app reads to open a walkthrough: one read, one parse of
    the lens snapshot.

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        record = walkthrough_record(row)
        return record, observation_records(session, walkthrough_id, record.lens)


def observation_records(
    session: Session, walkthrough_id: str, lens: Lens, area_id: str | None = None
) -> list[ObservationRecord]:
    """The observations of a walkthrough (optionally of one area) in walking order, within ``session``.

    Two plain queries (observations with their principles, their photos'
    details) build the records directly, unpacking each row as a tuple:
    opening a walkthrough of 1,000 observations must not build thousands of
    ORM objects, or read every column by name, on the GUI thread.
    """
    where = [Observation.walkthrough_id == walkthrough_id]
    if area_id is not None:
        where.append(Observation.area_id == area_id)
    photos: dict[str, list[PhotoRecord]] = defaultdict(list)
    for p in session.execute(
        select(Photo.id, Photo.observation_id, Photo.caption, Photo.original_name, Photo.width, Photo.height,
               Photo.sha256, Photo.position, Photo.created_at, Photo.alt_text)
        .join(Observation, Observation.id == Photo.observation_id)
        .where(*where)
        .order_by(Photo.position)
    ):
        photos[p[1]].append(PhotoRecord(*p[:-2], created_at=p[-2].replace(tzinfo=dt.timezone.utc), alt_text=p[-1]))
    # Each observation's principle ids joined by commas, which lens ids cannot
    # contain (Lens: letters, digits, "_", "." and "-"): one row per observation.
    # aggregate_strings is group_concat on SQLite, string_agg on PostgreSQL.
    principles = (
        select(func.aggregate_strings(ObservationPrinciple.principle_id, ","))
        .where(ObservationPrinciple.observation_id == Observation.id)
        .scalar_subquery()
    )
    records = [
        ObservationRecord(
            id=id_,
            walkthrough_id=walkthrough_id,
            area_id=area,
            prompt_id=prompt,
            rating_id=rating,
            principle_ids=tuple(sorted(joined.split(","))) if joined else (),
            note=note,
            voice=voice,
            position=position,
            created_at=created_at,
            updated_at=updated_at,
            photos=tuple(photos.get(id_, ())),
        )
        for id_, area, prompt, rating, note, voice, position, created_at, updated_at, joined in session.execute(
            select(Observation.id, Observation.area_id, Observation.prompt_id, Observation.rating_id,
                   Observation.note, Observation.voice, Observation.position,
                   # Read the engine's fastest way, several times faster than the type (storage.timestamps).
                   utc_column(Observation.created_at), utc_column(Observation.updated_at),
                   principles).where(*where)
        )
    ]
    return sort_in_walking_order(lens, records)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ObservationBundle:
    """An observation with its photos' bytes: enough to put it back exactly after a delete.

    ``photos`` pairs each photo record with its (jpeg, thumbnail) bytes.
    """

    record: ObservationRecord
    photos: tuple[tuple[PhotoRecord, bytes, bytes], ...] = field(repr=False)
    action_ids: tuple[str, ...] = ()

    def with_pixels_of(self, photo: PhotoRecord, jpeg: bytes, thumbnail: bytes) -> ObservationBundle:
        """This bundle with ``photo``'s picture (as stored now: blurred, say) in place of the one it held.

        Captions and order stay as the bundle had them; a bundle without the
        photo is returned as it is.
        """
        if not any(p.id == photo.id for p, _, _ in self.photos):
            return self

        def pixels(held: PhotoRecord) -> PhotoRecord:
            return replace(held, width=photo.width, height=photo.height, sha256=photo.sha256)

        record = replace(self.record, photos=tuple(pixels(p) if p.id == photo.id else p for p in self.record.photos))
        photos = tuple((pixels(p), jpeg, thumbnail) if p.id == photo.id else (p, j, t) for p, j, t in self.photos)
        return replace(self, record=record, photos=photos)


def take_out_observation(db: Database, observation_id: str) -> ObservationBundle:
    """Delete an observation and return everything needed to restore it (for undo).

    Raises:
        NotFound: no such observation.
    """
    with db.sessions.begin() as session:
        obs = _load(session, observation_id)
        bundle = _bundle(session, obs)
        _delete(session, obs)
    clear_side_files(db)  # kept for undo in memory only, never in the -wal
    return bundle


def read_observation_bundle(db: Database, observation_id: str) -> ObservationBundle:
    """Everything needed to put an observation back as it is now; changes nothing.

    Raises:
        NotFound: no such observation.
    """
    with db.sessions.begin() as session:
        return _bundle(session, _load(session, observation_id))


def put_back_observation(db: Database, bundle: ObservationBundle) -> ObservationRecord:
    """Restore an observation removed by :func:`take_out_observation`, with the same ids.

    Links to actions that still exist are restored too.

    Raises:
        NotFound: its walkthrough no longer exists.
    """
    with db.sessions.begin() as session:
        recorder = Recorder(session, bundle.record.walkthrough_id)
        record = _insert_bundle(session, recorder, bundle)
        recorder.finish()
        return record


def replace_observation(db: Database, bundle: ObservationBundle) -> ObservationRecord:
    """Make an observation exactly what ``bundle`` holds (photos included), in one transaction.

    Used to undo and redo photo changes: a crash midway leaves the
    observation as it was before, never missing.  While the observation is
    there, the actions it is linked to stay as they are now (they are the
    plan's, changed through the actions), and so does its ``updated_at``
    unless something of it changes: nothing changes that the history does
    not record.

    Raises:
        NotFound: its walkthrough no longer exists.
    """
    with db.sessions.begin() as session:
        recorder = Recorder(session, bundle.record.walkthrough_id)
        current = session.get(Observation, bundle.record.id, options=[selectinload(Observation.photos)])
        if current is not None:
            _replace_photos(recorder, current, bundle)
            linked = tuple(session.scalars(
                select(action_observation.c.action_id).where(action_observation.c.observation_id == current.id)))
            bundle = replace(bundle, action_ids=linked, record=replace(
                bundle.record, created_at=current.created_at, updated_at=current.updated_at))
            session.delete(current)
            session.flush()
        record = _insert_bundle(session, recorder, bundle, record_observation=current is None)
        recorder.finish()
    clear_side_files(db)  # a photo this removes (or the pixels before a blur) must not stay in the -wal
    return record


def _bundle(session: Session, obs: Observation) -> ObservationBundle:
    photos = []
    for photo in obs.photos:
        jpeg, thumbnail = session.execute(select(Photo.jpeg, Photo.thumbnail).where(Photo.id == photo.id)).one()
        photos.append((photo_record(photo), jpeg, thumbnail))
    action_ids = tuple(
        session.scalars(select(action_observation.c.action_id).where(action_observation.c.observation_id == obs.id))
    )
    return ObservationBundle(observation_record(obs), tuple(photos), action_ids)


def _replace_photos(recorder: Recorder, current: Observation, bundle: ObservationBundle) -> None:
    """Record how the observation and its photos differ from ``bundle``'s (the observation itself stays)."""
    r = bundle.record
    for name in ("area_id", "prompt_id", "rating_id", "note", "voice", "position"):
        if getattr(current, name) != getattr(r, name):
            recorder.set(Entity.OBSERVATION, current.id, name, getattr(r, name))
    before, after = set(current.principle_ids), set(r.principle_ids)
    recorder.linked(Entity.OBSERVATION, current.id, "principle_ids", after - before, before - after)
    held = {p.id: p for p, _, _ in bundle.photos}
    for photo in current.photos:
        if photo.id not in held:
            recorder.deleted(Entity.PHOTO, photo.id, parent=current.id)
            continue
        for name in ("caption", "alt_text"):
            if getattr(held[photo.id], name) != getattr(photo, name):
                recorder.set(Entity.PHOTO, photo.id, name, getattr(held[photo.id], name), parent=current.id)
        if held[photo.id].sha256 != photo.sha256:
            recorder.picture_replaced(photo.id, picture(held[photo.id]), current.id)
        if held[photo.id].position != photo.position:
            recorder.set(Entity.PHOTO, photo.id, "position", held[photo.id].position, parent=current.id)
    now = {p.id for p in current.photos}
    for photo_id, photo in held.items():
        if photo_id not in now:
            recorder.created(Entity.PHOTO, photo_id, photo_values(photo, photo.created_at or recorder.now),
                             parent=current.id, again=True)
    if recorder.changed:
        recorder.touch(Entity.OBSERVATION, current.id, "photos")


def _insert_bundle(session: Session, recorder: Recorder, bundle: ObservationBundle, *,
                   record_observation: bool = True) -> ObservationRecord:
    r = bundle.record
    row = load_walkthrough_row(session, r.walkthrough_id)
    obs = Observation(
        id=r.id,
        walkthrough_id=r.walkthrough_id,
        area_id=r.area_id,
        prompt_id=r.prompt_id,
        rating_id=r.rating_id,
        note=r.note,
        voice=r.voice,
        position=r.position,
        created_at=r.created_at,
        updated_at=r.updated_at,
        principle_links=[ObservationPrinciple(principle_id=p) for p in r.principle_ids],
        photos=[
            Photo(
                id=p.id,
                caption=p.caption,
                alt_text=p.alt_text,
                original_name=p.original_name,
                width=p.width,
                height=p.height,
                sha256=p.sha256,
                jpeg=jpeg,
                thumbnail=thumbnail,
                # Made again from the JPEG held (a blur replaces that one), not held itself.
                print_jpeg=print_rendition_or_none(jpeg),
                position=p.position,
                created_at=p.created_at or recorder.now,
            )
            for p, jpeg, thumbnail in bundle.photos
        ],
    )
    session.add(obs)
    session.flush()
    linked = [a for a in (session.get(Action, action_id) for action_id in bundle.action_ids) if a is not None]
    for action in linked:
        session.execute(action_observation.insert().values(action_id=action.id, observation_id=r.id))
    session.flush()
    session.expire(obs)
    record = observation_record(_load(session, r.id))
    if record_observation:
        _record_created(recorder, [record], again=True)
        for action in linked:
            recorder.linked(Entity.ACTION, action.id, "observation_ids", [r.id])
            action.updated_at = recorder.now
    elif recorder.changed:
        session.get_one(Observation, r.id).updated_at = recorder.now
    if recorder.changed:
        row.updated_at = recorder.now
    session.flush()
    return observation_record(_load(session, r.id)) if recorder.changed else record


# -- validation -----------------------------------------------------------------


def check_observation(
    lens: Lens, area_id: str, prompt_id: str | None, rating_id: str | None, principle_ids: Sequence[str]
) -> tuple[str, ...]:
    """Check lens ids; return the principles to store (the prompt's when none given).

    ``rating_id`` ``None`` (not rated yet) is always allowed.

    Raises:
        InvalidInput: names the unknown id and lists the valid ones.
    """
    area = lens.area(area_id)
    if area is None:
        raise UnknownValue("area", area_id, [a.id for a in lens.areas],
                           f"unknown area {area_id!r} in lens {lens.id!r} (areas: {_ids(lens.areas)})")
    prompt = None
    if prompt_id:
        prompt = lens.prompt(prompt_id)
        if prompt is None or lens.area_of_prompt(prompt_id) is not area:
            raise UnknownValue("prompt", prompt_id, [p.id for p in area.prompts],
                               f"area {area_id!r} has no prompt {prompt_id!r} (prompts: {_ids(area.prompts)})")
    if rating_id is not None and lens.rating(rating_id) is None:
        raise UnknownValue("rating", rating_id, [r.id for r in lens.ratings],
                           f"unknown rating {rating_id!r} (ratings: {_ids(lens.ratings)})")
    if principle_ids:
        _check_principles(lens, principle_ids)
        return tuple(dict.fromkeys(principle_ids))
    return tuple(prompt.principles) if prompt else ()


def _check_principles(lens: Lens, principle_ids: Sequence[str]) -> None:
    for principle_id in principle_ids:
        if lens.principle(principle_id) is None:
            raise UnknownValue("principle", principle_id, [p.id for p in lens.principles],
                               f"unknown principle {principle_id!r} (principles: {_ids(lens.principles)})")


def clean_note(note: str) -> str:
    """A note as stored: text exactly as typed, except what SQLite/UTF-8 cannot hold.

    Lone surrogates (from a bad paste) become U+FFFD; NUL characters are
    dropped.  Line breaks, tabs and every other character are kept.

    Raises:
        InvalidInput: longer than :data:`MAX_NOTE_CHARS`.
    """
    if len(note) > MAX_NOTE_CHARS:
        raise TooLong("note", MAX_NOTE_CHARS, f"the note is longer than {MAX_NOTE_CHARS:,} characters")
    return clean_text(note)


def _ids(items: Sequence[object]) -> str:
    # All of them: a lens has at most a few dozen areas, and a cut list hides the one wanted.
    return ", ".join(getattr(i, "id") for i in items)


def _load(session: Session, observation_id: str) -> Observation:
    obs = session.get(
        Observation,
        observation_id,
        options=[selectinload(Observation.principle_links), selectinload(Observation.photos)],
    )
    if obs is None:
        raise NotFound("observation", observation_id)
    return obs


def _next_positions(session: Session, walkthrough_id: str) -> dict[str, int]:
    rows = session.execute(
        select(Observation.area_id, func.max(Observation.position))
        .where(Observation.walkthrough_id == walkthrough_id)
        .group_by(Observation.area_id)
    ).all()
    return {area: (top or 0) + 1 for area, top in rows}
