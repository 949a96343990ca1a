"""``walkthrough check``: is the database whole, is every photo intact, is there a good backup?"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from walkthrough.domain.lens import Lens
from walkthrough.domain.models import Observation, Photo, Walkthrough
from walkthrough.storage import backups
from walkthrough.storage.backups import BackupFile
from walkthrough.storage.database import Database


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
    """Run SQLite's integrity and foreign-key checks, and verify every photo.

    Each photo's bytes must match its stored sha256 and decode as a JPEG of the
    stored size; each walkthrough's lens snapshot must load, and each
    observation must name an area and rating that lens has.  Reads only.

    Decoding is nearly all the cost: on the development machine (2 cores),
    a 129 MB database with 300 photos of 2048 px took 3.8-5.2 s, 3.5 s of
    it decoding; without it (``decode_photos=False``: checksums, snapshots
    and SQLite's checks only) 0.4 s.  So for 100 MB: about 3-4 s, or 0.3 s
    without decoding.  A photo damaged on disk fails its checksum either way.
    """
    from PIL import Image  # only this command decodes every photo

    problems: list[str] = []
    with db.engine.connect() as conn:
        for (line,) in conn.execute(text("PRAGMA integrity_check")):
            if line != "ok":
                problems.append(f"database: {line}")
        for row in conn.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"database: table {row[0]} row {row[1]} points to a missing {row[2]}")
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
            select(Observation.id, Observation.walkthrough_id, Observation.area_id, Observation.rating_id)
        ).all()
        for oid, wid, area_id, rating_id in observations:
            lens = lenses.get(wid)
            if lens is None:
                continue
            if lens.area(area_id) is None:
                problems.append(f"observation {oid}: area {area_id!r} is not in its lens")
            if rating_id is not None and lens.rating(rating_id) is None:  # None: not rated yet
                problems.append(f"observation {oid}: rating {rating_id!r} is not in its lens")
        photo_ids = session.scalars(select(Photo.id)).all()
        for pid in photo_ids:  # one at a time: never every picture in memory
            jpeg, sha, width, height = session.execute(
                select(Photo.jpeg, Photo.sha256, Photo.width, Photo.height).where(Photo.id == pid)
            ).one()
            if hashlib.sha256(jpeg).hexdigest() != sha:
                problems.append(f"photo {pid}: bytes do not match their checksum")
                continue
            if not decode_photos:
                continue
            try:
                with Image.open(io.BytesIO(jpeg)) as im:
                    if im.format != "JPEG" or im.size != (width, height):
                        problems.append(f"photo {pid}: not the stored {width}x{height} JPEG")
                    im.load()
            except Exception as exc:
                problems.append(f"photo {pid}: does not decode ({exc})")
    return CheckReport(len(walkthroughs), len(observations), len(photo_ids), tuple(problems))


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
    except (sqlite3.Error, SQLAlchemyError) as exc:  # damage SQLite met while reading: a finding, not a crash
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
