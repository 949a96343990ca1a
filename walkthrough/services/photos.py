"""Photos of an observation: add, read, caption, alt text, delete, export.

Photos are stored inside the database, in the same transaction as the rows
that own them: one file to back up, and no orphans.  Decoding and scaling
(:mod:`walkthrough.services.photo_intake`) happens before the transaction, so
the database is never held while Pillow works.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

import datetime as dt

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import DamagedPhotoNotExported, ExportError, NotFound, PhotoRejected
from walkthrough.domain.fields import PHOTO_FIELDS, check_editable
from walkthrough.domain.models import Observation, Photo, new_id
from walkthrough.domain.records import PhotoRecord
from walkthrough.domain.stored_photo import is_jpeg
from walkthrough.services.history import Recorder, photo_values, picture
from walkthrough.services.photo_intake import PreparedPhoto, prepare_photo
from walkthrough.services.text_cleaning import clean_text
from walkthrough.services.walkthroughs import (
    lens_from_snapshot,
    load_walkthrough_row,
    photo_record,
    sort_in_walking_order,
)
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.database import Database, clear_side_files

#: Called as ``progress(done, total)``; return False to cancel.
Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class PhotoOutcome:
    """What happened to one file offered as a photo: ``record`` or ``error`` is set."""

    source: Path
    record: PhotoRecord | None = None
    error: PhotoRejected | None = None


def photo_row(photo: PreparedPhoto, position: int, created_at: dt.datetime, alt_text: str = "") -> Photo:
    """A new, unsaved photo row from a prepared picture."""
    return Photo(
        id=new_id(),
        created_at=created_at,
        alt_text=alt_text,
        original_name=photo.original_name,
        width=photo.width,
        height=photo.height,
        sha256=photo.sha256,
        jpeg=photo.jpeg,
        thumbnail=photo.thumbnail,
        print_jpeg=photo.print_jpeg,
        position=position,
    )


def add_photos(db: Database, observation_id: str, photos: Sequence[PreparedPhoto], *,
               alt_text: str = "") -> list[PhotoRecord]:
    """Attach prepared photos to an observation, all in one transaction.

    ``alt_text``, if given, is each photo's alt text (usually there is one photo).

    Raises:
        NotFound: no such observation.
    """
    alt_text = clean_text(alt_text).strip()
    with db.sessions.begin() as session:
        obs = session.get(Observation, observation_id)
        if obs is None:
            raise NotFound("observation", observation_id)
        start = session.scalar(select(func.max(Photo.position)).where(Photo.observation_id == observation_id))
        start = 0 if start is None else start + 1
        recorder = Recorder(session, obs.walkthrough_id)
        rows = [photo_row(p, start + i, recorder.now, alt_text) for i, p in enumerate(photos)]
        obs.photos.extend(rows)
        obs.updated_at = obs.walkthrough.updated_at = recorder.now
        session.flush()
        records = [photo_record(r) for r in rows]
        for record in records:
            recorder.created(Entity.PHOTO, record.id, photo_values(record, recorder.now), parent=observation_id)
        recorder.touch(Entity.OBSERVATION, observation_id, "photos")
        recorder.finish()
        return records


def add_photo_files(
    db: Database,
    observation_id: str,
    paths: Sequence[Path],
    *,
    max_edge: int = 2048,
    progress: Progress | None = None,
    alt_text: str = "",
) -> list[PhotoOutcome]:
    """Prepare each file and attach every good one; refused files do not block the rest.

    Args:
        paths: picture files, in the order to attach them.
        max_edge: longest edge of the stored picture, in pixels.
        progress: called after each file; returning False cancels (nothing stored).
        alt_text: each photo's alt text (what someone who cannot see it needs to know); empty: not written yet.

    Returns:
        One outcome per path, in order.

    Raises:
        NotFound: no such observation (checked before any file is read).
    """
    get_observation_walkthrough(db, observation_id)
    prepared: list[tuple[int, PreparedPhoto]] = []
    outcomes: list[PhotoOutcome] = [PhotoOutcome(Path(p)) for p in paths]
    for i, path in enumerate(paths):
        try:
            prepared.append((i, prepare_photo(Path(path), max_edge=max_edge)))
        except PhotoRejected as exc:
            outcomes[i] = PhotoOutcome(Path(path), error=exc)
        if progress is not None and progress(i + 1, len(paths)) is False:
            return []
    records = add_photos(db, observation_id, [p for _, p in prepared], alt_text=alt_text) if prepared else []
    for (i, _), record in zip(prepared, records):
        outcomes[i] = PhotoOutcome(Path(paths[i]), record=record)
    return outcomes


def get_observation_walkthrough(db: Database, observation_id: str) -> str:
    """The id of the walkthrough an observation belongs to.

    Raises:
        NotFound: no such observation.
    """
    with db.sessions.begin() as session:
        wid = session.scalar(select(Observation.walkthrough_id).where(Observation.id == observation_id))
    if wid is None:
        raise NotFound("observation", observation_id)
    return wid


def photo_jpeg(db: Database, photo_id: str) -> bytes:
    """The stored picture's JPEG bytes.

    Raises:
        NotFound: no such photo.
    """
    return _photo_bytes(db, photo_id, Photo.jpeg)


def photo_for_print(db: Database, photo_id: str) -> bytes:
    """The picture to place in a report: its print rendition, or the stored JPEG where it has none.

    The rendition (made at intake, on blur, on receiving, or by the upgrade
    to ``0008_photo_print``) is missing only where the stored JPEG could not
    be decoded; the report then tries the stored JPEG and says it is unreadable.

    Raises:
        NotFound: no such photo.
    """
    # coalesce stops at the rendition: the stored JPEG's pages are not read when it is there.
    return _photo_bytes(db, photo_id, func.coalesce(Photo.print_jpeg, Photo.jpeg))


def photo_thumbnail(db: Database, photo_id: str) -> bytes:
    """The stored thumbnail's JPEG bytes (longest edge about 320 px).

    Raises:
        NotFound: no such photo.
    """
    return _photo_bytes(db, photo_id, Photo.thumbnail)


def _photo_bytes(db: Database, photo_id: str, column: object) -> bytes:
    with db.sessions.begin() as session:
        data = session.scalar(select(column).where(Photo.id == photo_id))  # type: ignore[call-overload]
    if data is None:
        raise NotFound("photo", photo_id)
    return data


def set_caption(db: Database, photo_id: str, caption: str) -> PhotoRecord:
    """Change a photo's caption.

    Raises:
        NotFound: no such photo.
    """
    return _set_text(db, photo_id, "caption", caption)


def set_alt_text(db: Database, photo_id: str, alt_text: str) -> PhotoRecord:
    """Change a photo's alt text: what someone who cannot see the photo needs to know.

    Empty means not written yet: the report uses the caption instead.

    Raises:
        NotFound: no such photo.
    """
    return _set_text(db, photo_id, "alt_text", alt_text)


def _set_text(db: Database, photo_id: str, name: str, text: str) -> PhotoRecord:
    """Change one of a photo's texts (a field declared editable in ``PHOTO_FIELDS``), recorded as one change."""
    check_editable("a photo", PHOTO_FIELDS, [name])
    with db.sessions.begin() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise NotFound("photo", photo_id)
        text = clean_text(text).strip()
        if text != getattr(photo, name):
            recorder = Recorder(session, photo.observation.walkthrough_id)
            setattr(photo, name, text)
            recorder.set(Entity.PHOTO, photo_id, name, text, parent=photo.observation_id)
            photo.observation.updated_at = photo.observation.walkthrough.updated_at = recorder.now
            session.flush()
            recorder.finish()
        return photo_record(photo)


def blur_photo_region(db: Database, photo_id: str, box: tuple[int, int, int, int]) -> PhotoRecord:
    """Blur a rectangle of a stored photo, replacing its stored pixels.

    The unblurred picture is overwritten in the database (``secure_delete``)
    and gone from its ``-wal`` side file before this returns: it cannot be
    recovered from either.

    Args:
        box: ``(left, top, right, bottom)`` in the stored picture's pixels.

    Raises:
        NotFound: no such photo.
        PhotoRejected: the box is empty.
    """
    from walkthrough.services.photo_intake import blur_region

    with db.sessions.begin() as session:
        photo = session.get(Photo, photo_id, options=[undefer(Photo.jpeg)])
        if photo is None:
            raise NotFound("photo", photo_id)
        blurred = blur_region(photo.jpeg, box, photo.original_name)
        photo.jpeg, photo.thumbnail, photo.print_jpeg = blurred.jpeg, blurred.thumbnail, blurred.print_jpeg
        photo.sha256, photo.width, photo.height = blurred.sha256, blurred.width, blurred.height
        recorder = Recorder(session, photo.observation.walkthrough_id)
        photo.observation.updated_at = photo.observation.walkthrough.updated_at = recorder.now
        session.flush()
        record = photo_record(photo)
        recorder.picture_replaced(photo_id, picture(record), photo.observation_id)
        recorder.finish()
    clear_side_files(db)  # the unblurred pixels must not stay in the -wal
    return record


def delete_photo(db: Database, photo_id: str) -> None:
    """Delete a photo (its bytes are overwritten on disk, ``-wal`` included: ``secure_delete``).

    Raises:
        NotFound: no such photo.
    """
    with db.sessions.begin() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise NotFound("photo", photo_id)
        recorder = Recorder(session, photo.observation.walkthrough_id)
        photo.observation.updated_at = photo.observation.walkthrough.updated_at = recorder.now
        recorder.deleted(Entity.PHOTO, photo_id, parent=photo.observation_id)
        session.delete(photo)
        recorder.finish()
    clear_side_files(db)  # nor the deleted photo


def export_photos(db: Database, walkthrough_id: str, folder: Path, progress: Progress | None = None) -> list[Path]:
    """Write every stored photo of a walkthrough into ``folder`` as JPEG files.

    Names trace back to the area and observation and never collide:
    ``03-reception-1a2b3c4d-01.jpg`` is the first photo of observation
    ``1a2b3c4d…`` in the lens's third area.  Each file is written to a
    temporary name and renamed, so no half-written picture is ever left;
    a file of the same name from an earlier export is replaced.  The pictures
    are the stored ones, with no metadata; stored bytes that are not a JPEG
    (a database changed by another program) stop the export.

    Returns:
        The files written, in walking order.

    Raises:
        NotFound: no such walkthrough.
        ExportError: the folder cannot be created or written, or a photo's
            stored bytes are not a JPEG (the photos before it are written).
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        lens = lens_from_snapshot(row.lens_snapshot)
        observations = sort_in_walking_order(lens, row.observations)
        plan: list[tuple[str, str]] = []  # (file name, photo id)
        used: set[str] = set()
        area_rank = {a.id: i + 1 for i, a in enumerate(lens.areas)}
        for obs in observations:
            for n, photo in enumerate(obs.photos, start=1):
                base = f"{area_rank.get(obs.area_id, 0):02d}-{_safe(obs.area_id)}-{obs.id[:8]}-{n:02d}"
                name = f"{base}.jpg"
                k = 2
                while name.casefold() in used:  # case-insensitive file systems
                    name = f"{base}-{k}.jpg"
                    k += 1
                used.add(name.casefold())
                plan.append((name, photo.id))
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: that is a file, not a folder; give a folder for the photos")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot create the folder ({exc.strerror})") from None
    written: list[Path] = []
    for i, (name, photo_id) in enumerate(plan):
        target = folder / name
        jpeg = photo_jpeg(db, photo_id)
        if not is_jpeg(jpeg):  # never a file named .jpg that holds something else
            raise DamagedPhotoNotExported(
                photo_id, len(written), folder,
                f"photo {photo_id}: the stored bytes are not a JPEG, so it was not exported "
                f"(run `walkthrough check`); {len(written)} photos were written to {folder}")
        write_atomically(target, jpeg)
        written.append(target)
        if progress is not None and progress(i + 1, len(plan)) is False:
            break
    return written


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)[:40] or "area"

