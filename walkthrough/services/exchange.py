"""Passing a walkthrough between laptops: share it, send changes, bring changes in.

A team walks with several laptops, offline; what each records comes
together through package files (:mod:`walkthrough.storage.package_file`) on
a USB stick or by email:

- :func:`share_walkthrough` writes a *join* package: the whole walkthrough's
  history (with its service's, so it arrives filed under it) and the photos
  it needs, to continue it on another laptop under the same id.
- :func:`send_changes` writes the changes one laptop has not seen, by what it
  last told this one; for any laptop, every change held here (what another
  laptop already has is skipped when it comes in).
- :func:`receive_package` brings any package of the walkthrough in, from any
  laptop, in any order: the union of the changes.  The same package twice
  changes nothing and says so.  What two people changed without seeing each
  other's change is kept as a difference to decide
  (:mod:`walkthrough.domain.merge`).

A package holds, besides its clear header (format, walkthrough id, a hash
of the lens snapshot, the program's version and schema revision):
``manifest.json`` (the sending device and person, the devices whose
changes it carries, and what the sender has seen of every device),
``changes.jsonl`` (one change per line) and ``pictures/<sha256>.jpg`` (each
photo it needs, once).  Nothing in it is trusted: every change is checked
(:func:`walkthrough.domain.change_check.check_change`), every picture must
match its checksum and carry nothing but pixels, and a package that fails
is refused in one line with nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from walkthrough import __version__
from walkthrough.domain.change_check import check_change
from walkthrough.domain.change_values import PICTURE
from walkthrough.domain.changes import Change, ChangeKind, Entity, decode_value, encode_value
from walkthrough.domain.clock import Clock, now_micros, receive
from walkthrough.domain.merge import KEPT_OR_DELETED, fold
from walkthrough.domain.errors import InvalidInput, NotFound, PackageError, StoredPhotoUnreadable
from walkthrough.domain.models import Action, Device, Observation, Photo, ProgressUpdate, Walkthrough
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.services.apply import apply_history, stored_pictures
from walkthrough.services.history import changes_of, this_device
from walkthrough.services.photo_intake import renditions_of
from walkthrough.services.text_cleaning import clean_text
from walkthrough.services.walkthroughs import lens_from_snapshot
from walkthrough.storage import backups
from walkthrough.storage.database import SCHEMA_REVISION, Database, is_newer_revision
from walkthrough.storage.package_file import open_package, write_package

__all__ = ["OtherDevice", "PackageWritten", "Received", "other_devices", "receive_package", "send_changes",
           "share_walkthrough"]

#: The ending package files are given.
PACKAGE_SUFFIX = ".lwpkg"
JOIN, CHANGES = "join", "changes"
_COLUMNS = ("id", "device_id", "seq", "operation", "clock", "walkthrough_id", "entity", "entity_id", "parent_id",
            "kind", "field", "value", "replaces")
_MAX_CHANGES = 5_000_000


@dataclass(frozen=True)
class PackageWritten:
    """A package written: what it holds."""

    path: Path
    walkthrough_id: str
    kind: str
    changes: int
    photos: int


@dataclass(frozen=True)
class Received:
    """What bringing a package in did (or, tried without keeping, would do)."""

    walkthrough_id: str
    #: who sent it: their device's name and the person, as they set them
    sender: str
    sender_person: str
    new: int = 0
    changed: int = 0
    deleted: int = 0
    #: differences to decide among the things it touched
    to_decide: int = 0
    #: changes kept but waiting for what they change (from another package)
    waiting: int = 0
    #: the package brought nothing not already here
    nothing_new: bool = False
    #: the walkthrough was not on this laptop before
    joined: bool = False
    #: why no backup was made first (a full disk), if none was
    backup_skipped: str | None = None


# -- writing packages ----------------------------------------------------------------------


def share_walkthrough(db: Database, walkthrough_id: str, path: Path, *, passphrase: str | None = None) -> PackageWritten:
    """Write a join package: the whole walkthrough, to continue it on another laptop.

    Raises:
        NotFound: no such walkthrough.
        ExportError: the file cannot be written.
    """
    return _write(db, walkthrough_id, path, JOIN, passphrase, seen_by_team=None)


def send_changes(db: Database, walkthrough_id: str, path: Path, *, to: str | None = None,
                 passphrase: str | None = None) -> PackageWritten:
    """Write the walkthrough's changes for another laptop.

    ``to`` names the laptop (its device name or id, as in :func:`other_devices`):
    only what it has not seen goes, by what it last told this one.  Without
    it, every change held here goes, this laptop's and those passed on from
    others, so that any laptop can take it.

    Raises:
        NotFound: no such walkthrough, or no laptop of that name.
        ExportError: the file cannot be written.
    """
    seen: dict[str, int] = {}
    if to is not None:
        with db.sessions.begin() as session:
            peer = _peer(session, to)
            seen = json.loads(peer.seen) if peer.seen else {}
    return _write(db, walkthrough_id, path, CHANGES, passphrase, seen_by_team=seen)


@dataclass(frozen=True)
class OtherDevice:
    """Another device (a laptop) whose changes came in here: what it is called, and what it last told this one."""

    id: str
    name: str
    person: str
    #: it has told this laptop what it had seen (a package came from it)
    heard_from: bool


def other_devices(db: Database) -> list[OtherDevice]:
    """The other devices (laptops) known here, by name."""
    with db.sessions.begin() as session:
        return sorted((OtherDevice(d.id, d.name, d.person, d.seen is not None)
                       for d in session.scalars(select(Device).where(Device.this_device.is_(False)))),
                      key=lambda laptop: (laptop.name.casefold(), laptop.id))


def _peer(session: Session, name_or_id: str) -> Device:
    others = list(session.scalars(select(Device).where(Device.this_device.is_(False))))
    found = [d for d in others if d.id == name_or_id or d.name.casefold() == name_or_id.casefold()] or \
        [d for d in others if len(name_or_id) >= 4 and d.id.startswith(name_or_id)]
    if len(found) != 1:
        names = ", ".join(sorted(d.name for d in others)) or "none yet"
        raise NotFound("device", name_or_id, f"devices known here: {names}")
    return found[0]


def _write(db: Database, walkthrough_id: str, path: Path, kind: str, passphrase: str | None,
           seen_by_team: Mapping[str, int] | None) -> PackageWritten:
    me = this_device(db)
    with db.sessions.begin() as session:
        row = session.get(Walkthrough, walkthrough_id)
        if row is None:
            raise NotFound("walkthrough", walkthrough_id, "run `walkthrough list` to see the ids")
        lens_hash = _lens_hash(_lens_snapshot(session, walkthrough_id))
        # With its service's changes (kept under the service's id), so it arrives filed under it.
        scopes = [walkthrough_id] + ([row.service_id] if row.service_id else [])
        rows = [r for r in session.scalars(
            select(ChangeRow).where(ChangeRow.walkthrough_id.in_(scopes))
            .order_by(ChangeRow.device_id, ChangeRow.seq))
            if seen_by_team is None or r.seq > seen_by_team.get(r.device_id, 0)]
        devices = {d.id: d for d in session.scalars(
            select(Device).where(Device.id.in_({me.id, *(r.device_id for r in rows)})))}
        pictures = sorted({v[PICTURE]["sha256"] for r in rows if (v := _picture_of(r)) is not None})
        have = set(session.scalars(select(Photo.sha256).where(Photo.sha256.in_(pictures))))
        manifest = {
            "device": {"id": me.id, "name": me.name, "person": me.person},
            "devices": [{"id": d.id, "name": d.name, "person": d.person} for d in devices.values()],
            "seen": _seen(session),
            "changes": len(rows),
        }
        lines = "".join(json.dumps({c: getattr(r, c) for c in _COLUMNS}, ensure_ascii=False) + "\n" for r in rows)
    header = {"kind": kind, "walkthrough_id": walkthrough_id, "lens_hash": lens_hash, "app_version": __version__,
              "schema_revision": SCHEMA_REVISION}
    members: dict[str, bytes | Iterator[bytes]] = {
        "manifest.json": json.dumps(manifest, ensure_ascii=False).encode(),
        "changes.jsonl": lines.encode(),
    }
    for sha256 in pictures:
        if sha256 in have:
            members[f"pictures/{sha256}.jpg"] = _pixels(db, sha256)
    write_package(path, header, members, passphrase=passphrase,
                  compress=frozenset({"manifest.json", "changes.jsonl"}))
    return PackageWritten(Path(path), walkthrough_id, kind, len(rows), len(members) - 2)


def _pixels(db: Database, sha256: str) -> Iterator[bytes]:
    """A picture's bytes, read when the package writer comes to it (one photo in memory at a time)."""
    with db.sessions.begin() as session:
        yield session.execute(select(Photo.jpeg).where(Photo.sha256 == sha256).limit(1)).scalar_one()


def _picture_of(row: ChangeRow) -> dict[str, Any] | None:
    if row.entity != Entity.PHOTO.value or row.value is None:
        return None
    value = decode_value(row.value)
    if row.kind == ChangeKind.CREATE.value:
        return value if value.get(PICTURE) else None
    return {PICTURE: value} if row.field == PICTURE and value else None


def _lens_snapshot(session: Session, walkthrough_id: str) -> str:
    from sqlalchemy.orm import undefer

    row = session.get(Walkthrough, walkthrough_id, options=[undefer(Walkthrough.lens_snapshot)])
    assert row is not None
    return row.lens_snapshot


def _lens_hash(snapshot: str) -> str:
    return hashlib.sha256(snapshot.encode()).hexdigest()


def _seen(session: Session) -> dict[str, int]:
    """What this database has seen of every device: the longest run of its changes from 1 with none missing."""
    seen: dict[str, int] = {}
    for device_id, seq in session.execute(select(ChangeRow.device_id, ChangeRow.seq)
                                          .order_by(ChangeRow.device_id, ChangeRow.seq)):
        if seq == seen.get(device_id, 0) + 1:
            seen[device_id] = seq
    return seen


# -- bringing packages in -------------------------------------------------------------------


def receive_package(db: Database, path: Path, *, passphrase: str | None = None,
                    dry_run: bool = False) -> Received:
    """Bring a package's changes in, all in one transaction (after a backup of a database file).

    With ``dry_run``, say what it would do and keep nothing.

    Raises:
        PackageError: not a package, sealed and no or a wrong passphrase,
            damaged, a newer format or schema, another walkthrough's lens, or
            a change or picture in it is not right (nothing was changed).
    """
    path = Path(path)
    with open_package(path, passphrase=passphrase) as package:
        header = package.header
        walkthrough_id = header.get("walkthrough_id")
        revision = header.get("schema_revision")
        if not isinstance(walkthrough_id, str) or not isinstance(revision, str) or header.get("kind") not in (
                JOIN, CHANGES):
            raise PackageError(path, PackageError.DAMAGED, "its header is not readable")
        if revision != SCHEMA_REVISION and is_newer_revision(revision):
            raise PackageError(path, PackageError.NEWER_FORMAT, "made by a newer version of Lens Walkthrough; "
                               "update the app first")
        manifest = _manifest(path, package.read("manifest.json", max_bytes=16 * 1024 * 1024))
        raw_changes = _lines(path, package.read("changes.jsonl"))

        def pictures_in_package(sha256: str) -> tuple[bytes, bytes, bytes | None] | None:
            name = f"pictures/{sha256}.jpg"
            if name not in names:
                return None
            jpeg = package.read(name, max_bytes=64 * 1024 * 1024)
            if hashlib.sha256(jpeg).hexdigest() != sha256:
                raise PackageError(path, PackageError.DAMAGED, f"the picture {sha256[:12]}… does not match its "
                                   "checksum")
            size = wanted.get(sha256)
            try:
                return jpeg, *renditions_of(jpeg, *(size or (0, 0)))
            except StoredPhotoUnreadable as exc:
                raise PackageError(path, PackageError.DAMAGED, f"the picture {sha256[:12]}…: {exc}") from None

        names = set(package.names())
        wanted: dict[str, tuple[int, int]] = {}
        session = db.sessions()
        try:
            received = _bring_in(session, path, walkthrough_id, header.get("lens_hash"), manifest, raw_changes,
                                 pictures_in_package, wanted, dry_run)
            if dry_run:
                session.rollback()
            elif received.nothing_new:
                session.commit()  # only who sent it and what it had seen
            else:
                received = replace(received, backup_skipped=_backup(db))
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    return received


def _backup(db: Database) -> str | None:
    """A backup of a database file before it takes in changes (a server keeps its own); why not, if skipped."""
    if db.path is None:
        return None
    return backups.take_backup_before_receiving(db.engine, db.path).skipped


def _manifest(path: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
        device = manifest["device"]
        ok = isinstance(device, dict) and all(isinstance(device.get(k), str) for k in ("id", "name", "person")) \
            and isinstance(manifest["devices"], list) and isinstance(manifest["seen"], dict) \
            and all(isinstance(d, dict) and all(isinstance(d.get(k), str) and len(d[k]) <= 200
                                                for k in ("id", "name", "person")) for d in manifest["devices"]) \
            and all(isinstance(k, str) and isinstance(v, int) and v >= 0 for k, v in manifest["seen"].items())
    except (ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise PackageError(path, PackageError.DAMAGED, "its manifest is not readable")
    return manifest


def _lines(path: Path, data: bytes) -> list[dict[str, Any]]:
    try:
        lines = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
    except (UnicodeDecodeError, ValueError):
        raise PackageError(path, PackageError.DAMAGED, "its changes are not readable") from None
    if len(lines) > _MAX_CHANGES:
        raise PackageError(path, PackageError.DAMAGED, "it holds more changes than allowed")
    return lines


def _bring_in(session: Session, path: Path, walkthrough_id: str, lens_hash: Any, manifest: dict[str, Any],
              raw_changes: list[dict[str, Any]], pictures_in_package: Any, wanted: dict[str, tuple[int, int]],
              dry_run: bool) -> Received:
    sender = manifest["device"]
    here = session.get(Walkthrough, walkthrough_id)
    snapshot = _lens_snapshot(session, walkthrough_id) if here is not None else _incoming_snapshot(raw_changes,
                                                                                                  walkthrough_id)
    if snapshot is None:
        raise PackageError(path, PackageError.NOT_THIS_WALKTHROUGH,
                           "it holds changes of a walkthrough not on this laptop; bring in a shared walkthrough "
                           "(a join package) first")
    if lens_hash != _lens_hash(snapshot):
        raise PackageError(path, PackageError.OTHER_LENS, "its walkthrough was started with another version of "
                           "the lens")
    lens = lens_from_snapshot(snapshot)
    devices = {d["id"]: {**d, "name": _name(d["name"]), "person": _name(d["person"])} for d in manifest["devices"]}
    if sender["id"] not in devices:
        raise PackageError(path, PackageError.DAMAGED, "its manifest does not name the laptop that sent it")
    changes: list[Change] = []
    for raw in raw_changes:
        try:
            value = decode_value(raw.get("value")) if isinstance(raw.get("value"), str) or raw.get("value") is None \
                else object()
            replaces = raw.get("replaces")
            plain = {**raw, "value": value, "replaces": replaces.split(",") if isinstance(replaces, str) else []}
            change = check_change(plain, walkthrough_id, lens)
        except (InvalidInput, ValueError) as exc:
            raise PackageError(path, PackageError.DAMAGED, str(exc)) from None
        if change.device_id not in devices:
            raise PackageError(path, PackageError.DAMAGED, f"change {change.id} comes from a laptop it does not "
                               "name")
        changes.append(change)
    _check_services(session, path, walkthrough_id, here, changes)
    known = set(session.scalars(select(ChangeRow.id).where(ChangeRow.id.in_([c.id for c in changes])))) \
        if len(changes) < 30_000 else set(session.scalars(select(ChangeRow.id).where(
            ChangeRow.walkthrough_id.in_({c.walkthrough_id for c in changes}))))
    new = [c for c in changes if c.id not in known]
    # Who sent it and what it has seen, even when it brings nothing new: what to send it next.
    for device_id, device in devices.items():
        row = session.get(Device, device_id)
        if row is None:
            session.add(Device(id=device_id, name=device["name"], person=device["person"], this_device=False,
                               last_seq=0))
        elif not row.this_device:
            row.name, row.person = device["name"], device["person"]
    session.flush()
    sender_row = session.get(Device, sender["id"])
    if sender_row is not None and not sender_row.this_device:
        sender_row.seen = json.dumps(manifest["seen"], sort_keys=True)
    if not new:
        return Received(walkthrough_id, sender["name"], sender["person"], nothing_new=True)
    mine = session.scalars(select(Device.id).where(Device.this_device.is_(True))).first()
    for c in new:
        if c.device_id == mine:
            raise PackageError(path, PackageError.DAMAGED, f"change {c.id} claims to have been made on this laptop, "
                               "which does not have it")
    taken = {(d, s): i for i, d, s in session.execute(
        select(ChangeRow.id, ChangeRow.device_id, ChangeRow.seq)
        .where(ChangeRow.device_id.in_({c.device_id for c in new})))}
    for c in new:
        if taken.get((c.device_id, c.seq), c.id) != c.id:
            raise PackageError(path, PackageError.DAMAGED, f"change {c.id} has a number another change of its "
                               "laptop already has")

    # Photos' sizes, so that each incoming picture is checked against what its change says.
    for c in new:
        if c.entity is Entity.PHOTO and c.value is not None:
            picture = c.value.get(PICTURE) if c.kind is ChangeKind.CREATE else (c.value if c.field == PICTURE else None)
            if picture:
                wanted[picture["sha256"]] = (picture["width"], picture["height"])

    touched = {c.entity_id for c in new}
    before = _existing(session, touched)
    rows = [{"id": c.id, "device_id": c.device_id, "seq": c.seq, "operation": c.operation, "clock": c.clock.text,
             "walkthrough_id": c.walkthrough_id, "entity": c.entity.value, "entity_id": c.entity_id,
             "parent_id": c.parent_id, "kind": c.kind.value, "field": c.field,
             "value": None if c.value is None else encode_value(c.value), "replaces": ",".join(c.replaces) or None}
            for c in new]
    for start in range(0, len(rows), 5000):
        session.execute(insert(ChangeRow), rows[start:start + 5000])
    for c in new:
        if c.entity is Entity.PHOTO and c.parent_id is not None:
            touched.add(c.parent_id)
    touched |= _refill_what_is_kept(session, walkthrough_id, touched, [c for c in changes if c.id in known])

    local = stored_pictures(session)
    # Which pictures are here already, in one query: most that come in are not.
    here_already = set(session.scalars(select(Photo.sha256).where(Photo.sha256.in_(list(wanted))))) \
        if len(wanted) < 30_000 else set(session.scalars(select(Photo.sha256)))

    def pictures(sha256: str) -> tuple[bytes, bytes, bytes | None] | None:
        mine = local(sha256) if sha256 in here_already or sha256 not in wanted else None
        return mine or pictures_in_package(sha256)

    # Its service first: the walkthrough is filed under it.
    folds = {}
    for service_id in sorted({c.walkthrough_id for c in new if c.entity is Entity.SERVICE}):
        folds.update(apply_history(session, service_id, pictures, {service_id}))
    folds.update(apply_history(session, walkthrough_id, pictures, touched - set(folds)))
    me = session.scalars(select(Device).where(Device.this_device.is_(True)).with_for_update()).first()
    if me is not None:
        latest = max(c.clock for c in new)
        last = Clock.parse(me.last_clock) if me.last_clock else None
        me.last_clock = receive(last, latest, now_micros()).text
    after = _existing(session, touched)
    made = sum(1 for i in touched if i in after and i not in before)
    gone = sum(1 for i in touched if i in before and i not in after)
    return Received(
        walkthrough_id, sender["name"], sender["person"],
        new=made, changed=len([i for i in touched if i in before and i in after]), deleted=gone,
        to_decide=sum(len(f.differences) for f in folds.values()),
        waiting=sum(len(f.waiting) for f in folds.values()),
        joined=here is None,
    )


def _check_services(session: Session, path: Path, walkthrough_id: str, here: Walkthrough | None,
                    changes: list[Change]) -> None:
    """A service's changes come only with a walkthrough filed under it, and never into another thing's history.

    Raises:
        PackageError: a service change its walkthrough does not name, or under the id of something else.
    """
    named = {c.value for c in changes
             if c.entity is Entity.WALKTHROUGH and c.field == "service_id" and isinstance(c.value, str)}
    if here is not None and here.service_id is not None:
        named.add(here.service_id)
    for c in changes:
        if c.entity is not Entity.SERVICE:
            continue
        others = session.scalar(select(ChangeRow.id).where(ChangeRow.walkthrough_id == c.walkthrough_id,
                                                           ChangeRow.entity != Entity.SERVICE.value).limit(1))
        if c.walkthrough_id not in named or others is not None:
            raise PackageError(path, PackageError.DAMAGED, f"change {c.id} is about a service its walkthrough "
                               "is not filed under")


def _refill_what_is_kept(session: Session, walkthrough_id: str, touched: set[str],
                         already_here: list[Change]) -> set[str]:
    """Put back content this laptop erased when it deleted a thing another laptop went on editing.

    The thing stays, as a difference to decide (kept or deleted), until a
    person decides; to show it, the content comes back from the package that
    still has it.  Deciding for the deletion erases it again.  Returns the
    things refilled.
    """
    offered = {c.id: c for c in already_here if c.value is not None}
    if not offered:
        return set()
    erased = set(session.scalars(select(ChangeRow.id).where(ChangeRow.id.in_(list(offered)),
                                                           ChangeRow.value.is_(None))))
    if not erased:
        return set()
    grouped = changes_of(session, walkthrough_id, touched | {offered[i].entity_id for i in erased}
                         | {offered[i].parent_id for i in erased if offered[i].parent_id})
    kept: set[str] = set()
    for entity_id, changes in grouped.items():
        refilled = [offered[c.id] if c.id in erased else c for c in changes]
        if any(d.field == KEPT_OR_DELETED for d in fold(refilled).differences):
            kept.add(entity_id)
    refill = {i for i in erased if offered[i].entity_id in kept or offered[i].parent_id in kept}
    for change_id in refill:
        session.execute(update(ChangeRow).where(ChangeRow.id == change_id)
                        .values(value=encode_value(offered[change_id].value)))
    return {offered[i].entity_id for i in refill}


def _name(text: str) -> str:
    """A device's or person's name as shown here: one line, no control characters."""
    text = "".join(ch for ch in clean_text(text) if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(text.split())[:200]


def _incoming_snapshot(raw_changes: list[dict[str, Any]], walkthrough_id: str) -> str | None:
    for raw in raw_changes:
        if isinstance(raw, dict) and raw.get("entity") == Entity.WALKTHROUGH.value and raw.get("kind") == "create" \
                and raw.get("entity_id") == walkthrough_id and isinstance(raw.get("value"), str):
            try:
                snapshot = json.loads(raw["value"]).get("lens_snapshot")
            except (ValueError, AttributeError):
                return None
            return snapshot if isinstance(snapshot, str) else None
    return None


def _existing(session: Session, ids: set[str]) -> set[str]:
    found: set[str] = set()
    listed = sorted(ids)
    # (Its service is not counted: what a package brings is said of the walkthrough's things.)
    for table in (Walkthrough, Observation, Photo, Action, ProgressUpdate):
        for start in range(0, len(listed), 500):
            found.update(session.scalars(select(table.id).where(table.id.in_(listed[start:start + 500]))))
    return found
