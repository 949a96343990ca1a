"""``walkthrough check``: is the database whole, is every photo intact, is there a good backup?"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from walkthrough.domain.errors import StoredPhotoUnreadable
from walkthrough.domain.lens import Lens
from walkthrough.domain.models import Action, ActionPrinciple, Observation, ObservationPrinciple, Photo, Walkthrough
from walkthrough.domain.stored_photo import is_jpeg, is_own_rendition, open_stored_jpeg, print_size
from walkthrough.storage import backups
from walkthrough.storage.backups import BackupFile
from walkthrough.storage.database import ENGINE_ERRORS, Database, database_problems


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check_database`.  ``problems`` empty means healthy."""

    walkthroughs: int
    observations: int
    photos: int
    problems: tuple[str, ...] = field(default=())

    @property
    def healthy(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_database(db: Database, *, decode_photos: bool = True) -> CheckReport:
    """Run SQLite's integrity and foreign-key checks, look for schema objects we did not make, verify every photo.

    Each photo's bytes must match its stored sha256 and decode as a JPEG of the
    stored size; each walkthrough's lens snapshot must load, and every
    area, prompt (in that area), rating and principle an observation or
    action names must be in that lens.  Reads only.

    Decoding is nearly all the cost: on the development machine (2 cores),
    a 129 MB database with 300 photos of 2048 px took 3.8-5.2 s, 3.5 s of
    it decoding; without it (``decode_photos=False``: checksums, snapshots
    and SQLite's checks only) 0.4 s.  So for 100 MB: about 3-4 s, or 0.3 s
    without decoding.  A photo damaged on disk fails its checksum either way.
    """
    problems = database_problems(db)
    with db.sessions.begin() as session:
        lenses: dict[str, Lens | None] = {}
        walkthroughs = session.execute(select(Walkthrough.id, Walkthrough.lens_snapshot)).all()
        for wid, snapshot in walkthroughs:
            try:
                lenses[wid] = Lens.from_snapshot(snapshot)
            except Exception as exc:  # a damaged snapshot is a finding, not a crash
                lenses[wid] = None
                problems.append(f"walkthrough {wid}: lens snapshot unreadable ({exc})")
        observations = session.execute(
            select(Observation.id, Observation.walkthrough_id, Observation.area_id, Observation.prompt_id,
                   Observation.rating_id)
        ).all()
        for oid, wid, area_id, prompt_id, rating_id in observations:
            lens = lenses.get(wid)
            if lens is None:
                continue
            area = lens.area(area_id)
            if area is None:
                problems.append(f"observation {oid}: area {area_id!r} is not in its lens")
            if prompt_id is not None and (lens.prompt(prompt_id) is None or lens.area_of_prompt(prompt_id) is not area):
                problems.append(f"observation {oid}: prompt {prompt_id!r} is not in its area of its lens")
            if rating_id is not None and lens.rating(rating_id) is None:  # None: not rated yet
                problems.append(f"observation {oid}: rating {rating_id!r} is not in its lens")
        for kind, rows in (
            ("observation", session.execute(select(ObservationPrinciple.observation_id, Observation.walkthrough_id,
                                                   ObservationPrinciple.principle_id).join(Observation))),
            ("action", session.execute(select(ActionPrinciple.action_id, Action.walkthrough_id,
                                              ActionPrinciple.principle_id).join(Action))),
        ):
            for owner, wid, principle_id in rows:
                lens = lenses.get(wid)
                if lens is not None and lens.principle(principle_id) is None:
                    problems.append(f"{kind} {owner}: principle {principle_id!r} is not in its lens")
        photo_ids = session.scalars(select(Photo.id)).all()
        for pid in photo_ids:  # one at a time: never every picture in memory
            jpeg, thumbnail, print_jpeg, sha, width, height = session.execute(
                select(Photo.jpeg, Photo.thumbnail, Photo.print_jpeg, Photo.sha256, Photo.width, Photo.height)
                .where(Photo.id == pid)
            ).one()
            if hashlib.sha256(jpeg).hexdigest() != sha:
                problems.append(f"photo {pid}: bytes do not match their checksum")
                continue
            # Cheap, so done even without decoding: bytes that are not a JPEG
            # are refused by everything that shows or exports a photo.
            if not is_jpeg(jpeg):
                problems.append(f"photo {pid}: the stored bytes are not a JPEG")
                continue
            if not is_jpeg(thumbnail):
                problems.append(f"photo {pid}: the stored thumbnail is not a JPEG")
            # The report places the print rendition as it is, undecoded: it must be the picture's, whole.
            if print_jpeg is not None and not is_jpeg(print_jpeg):
                problems.append(f"photo {pid}: the stored print rendition is not a JPEG")
                print_jpeg = None
            if not decode_photos:
                continue
            problem = _decode_problem(jpeg, (width, height))
            if problem is not None:
                problems.append(f"photo {pid}: {problem}")
            elif print_jpeg is not None and not (is_own_rendition(width, height) and print_jpeg == jpeg):
                problem = _print_problem(print_jpeg, (width, height))
                if problem is not None:
                    problems.append(f"photo {pid}: the print rendition {problem}")
    return CheckReport(len(walkthroughs), len(observations), len(photo_ids), tuple(problems))


def _decode_problem(jpeg: bytes, size: tuple[int, int]) -> str | None:
    """Why the stored picture does not decode as the stored size of JPEG, or ``None``.

    Only through :func:`open_stored_jpeg`: never another decoder.
    """
    try:
        with open_stored_jpeg(jpeg) as im:
            if im.size != size:
                return f"not the stored {size[0]}x{size[1]} JPEG"
            im.load()
    except StoredPhotoUnreadable as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 -- a damaged photo is a finding, not a crash
        return f"does not decode ({exc})"
    return None


def _print_problem(print_jpeg: bytes, size: tuple[int, int]) -> str | None:
    """Why a print rendition is not the stored picture's at print size (no larger, the same shape), or ``None``."""
    largest = print_size(*size)
    try:
        with open_stored_jpeg(print_jpeg) as im:
            width, height = im.size
            im.load()
    except StoredPhotoUnreadable as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 -- a damaged picture is a finding, not a crash
        return f"does not decode ({exc})"
    if width > largest[0] or height > largest[1] or abs(height - width * size[1] / size[0]) > 1.5:
        return f"is {width}x{height}, not the {size[0]}x{size[1]} picture at print size ({largest[0]}x{largest[1]})"
    return None


def check_database_file(path: Path, *, decode_photos: bool = True) -> tuple[str, ...]:
    """Everything :func:`check_database` finds in the database file at ``path`` (a backup); empty if none.

    The same check ``walkthrough check`` runs on the database itself, so a
    backup called good has passed exactly what the database is held to: first
    SQLite's quick check and the schema (:func:`backups.verify_backup`), then
    the full integrity and foreign-key checks, and every photo's checksum and
    decoding.  Opened read-only (``mode=ro``): the file is never changed.

    Cost, as :func:`check_database`: about 3-4 s for a 100 MB database,
    nearly all of it decoding photos; about 0.3 s with
    ``decode_photos=False`` (SQLite's quick check alone, all that was done
    before: 0.06 s).
    """
    from walkthrough.domain.errors import WalkthroughError
    from walkthrough.storage.database import open_database
    from walkthrough.storage.errors import ReadOnlyDatabase

    problem = backups.verify_backup(path, check_photos=False)  # the check below looks at every photo
    if problem is not None:
        return (problem,)
    try:
        with open_database(path, read_only=True) as db:
            return check_database(db, decode_photos=decode_photos).problems
    except ReadOnlyDatabase:  # an older schema is upgraded only by opening it for writing
        return ("made by an older version of Lens Walkthrough, so only SQLite's quick check was run on it",)
    except WalkthroughError as exc:  # e.g. from a newer version of the program
        return (str(exc),)
    except ENGINE_ERRORS as exc:  # damage the engine met while reading: a finding, not a crash
        return (f"cannot be read ({getattr(exc, 'orig', None) or exc})",)


@dataclass(frozen=True)
class BackupReport:
    """The backups of a database, and which of them pass the same check as the database.

    Attributes:
        count: how many backups of the database there are.
        newest: the newest of them (``None``: there are none).
        newest_problems: what :func:`check_database_file` found in ``newest``;
            empty if it passes.
        newest_good: the newest backup that passes :func:`check_database_file`
            (``newest`` itself if it passes; ``None`` if none does).
    """

    count: int
    newest: BackupFile | None
    newest_problems: tuple[str, ...] = ()
    newest_good: BackupFile | None = None


def check_backups(database_path: Path) -> BackupReport:
    """Count a database's backups and find the newest that passes the database's own check.  Reads only.

    The newest backup gets the whole check (about 3-4 s for 100 MB), so that
    "passes" means what it means for the database.  Only if it fails are
    older ones read, newest first, until one passes: each without decoding
    photos first (about 0.3 s for 100 MB; damage that came from the
    database, such as a photo whose bytes no longer match their checksum, is
    in every backup made since), then the one that passes gets the whole check.
    """
    found = backups.list_backups(database_path)
    if not found:
        return BackupReport(0, None)
    newest_problems = check_database_file(found[0].path)
    if not newest_problems:
        return BackupReport(len(found), found[0], (), found[0])
    good = next((b for b in found[1:] if not check_database_file(b.path, decode_photos=False)
                 and not check_database_file(b.path)), None)
    return BackupReport(len(found), found[0], newest_problems, good)
