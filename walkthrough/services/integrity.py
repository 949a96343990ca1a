"""``walkthrough check``: is the database whole, is every photo intact, is there a good backup?"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

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


def check_database(db: Database) -> CheckReport:
    """Run SQLite's integrity and foreign-key checks, and verify every photo.

    Each photo's bytes must match its stored sha256 and decode as a JPEG of the
    stored size; each walkthrough's lens snapshot must load, and each
    observation must name an area and rating that lens has.  Reads only.
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
            if lens.rating(rating_id) is None:
                problems.append(f"observation {oid}: rating {rating_id!r} is not in its lens")
        photo_ids = session.scalars(select(Photo.id)).all()
        for pid in photo_ids:  # one at a time: never every picture in memory
            jpeg, sha, width, height = session.execute(
                select(Photo.jpeg, Photo.sha256, Photo.width, Photo.height).where(Photo.id == pid)
            ).one()
            if hashlib.sha256(jpeg).hexdigest() != sha:
                problems.append(f"photo {pid}: bytes do not match their checksum")
                continue
            try:
                with Image.open(io.BytesIO(jpeg)) as im:
                    if im.format != "JPEG" or im.size != (width, height):
                        problems.append(f"photo {pid}: not the stored {width}x{height} JPEG")
                    im.load()
            except Exception as exc:
                problems.append(f"photo {pid}: does not decode ({exc})")
    return CheckReport(len(walkthroughs), len(observations), len(photo_ids), tuple(problems))


@dataclass(frozen=True)
class BackupReport:
    """The backups of a database: how many, the newest, and what (if anything) is wrong with it."""

    count: int
    newest: BackupFile | None
    newest_problem: str | None = None


def check_backups(database_path: Path) -> BackupReport:
    """Count a database's backups and check the newest with SQLite's quick check.  Reads only."""
    found = backups.list_backups(database_path)
    if not found:
        return BackupReport(0, None)
    return BackupReport(len(found), found[0], backups.verify_backup(found[0].path))
