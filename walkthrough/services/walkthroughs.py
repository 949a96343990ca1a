"""Walkthroughs: start one, list them, read one whole.

Each public function is one use case and one transaction; it takes the open
:class:`~walkthrough.storage.database.Database` and plain values, and returns
frozen records (:mod:`walkthrough.domain.records`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import replace
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, undefer

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import EmptyValue, InvalidInput, NotFound
from walkthrough.domain.models import (
    Action,
    Facilitator,
    Observation,
    ObservationPrinciple,
    Participant,
    Photo,
    Role,
    Service,
    Walkthrough,
    new_id,
)
from walkthrough.domain.vocabulary import ActionStatus
from walkthrough.domain.records import (
    ActionRecord,
    ObservationRecord,
    PhotoRecord,
    TeamMember,
    WalkthroughContents,
    WalkthroughRecord,
    WalkthroughSummary,
)
from walkthrough.domain.same_visit import is_same_visit
from walkthrough.services.history import Recorder, walkthrough_values
from walkthrough.services.text_cleaning import clean_text
from walkthrough.storage.database import Database, clear_side_files

if TYPE_CHECKING:
    # pydantic is imported only where a lens is rebuilt, so listing and
    # adding photos start without it.
    from walkthrough.domain.lens import Lens

#: Shortest id prefix accepted where a walkthrough id is asked for.
MIN_ID_PREFIX = 4


def create_walkthrough(
    db: Database,
    lens: Lens,
    *,
    service: str,
    site: str,
    visit_date: dt.date | None = None,
    facilitators: Sequence[str] = (),
    participants: Sequence[TeamMember] = (),
    service_id: str | None = None,
    follows_id: str | None = None,
) -> WalkthroughRecord:
    """Start a walkthrough with a snapshot of ``lens``.

    Args:
        service: the service's name, e.g. "Orkney Recovery Service": the
            walkthrough belongs to the service of that name (the one walked at
            ``site`` if several share it), a new one if there is none.
        site: where the walk happens, e.g. "Kirkwall, Balfour Hospital".
        visit_date: the day of the walk; default today.
        service_id: the service it belongs to, chosen; ``service`` is then that service's name.
        follows_id: the walkthrough this one follows up.

    Raises:
        InvalidInput: an empty service or site, or an empty name.
        NotFound: no service with ``service_id``, or no walkthrough with ``follows_id``.
    """
    from walkthrough.services.services import file_under_service

    service = service if service_id is not None else _clean_name(service, "the service's name", "service")
    site = _clean_name(site, "the site's name", "site")
    names = _clean_facilitators(facilitators)
    team = _clean_participants(participants)
    with db.sessions.begin() as session:
        if follows_id is not None:
            load_walkthrough_row(session, follows_id)
        # The service first (its making is an operation of its own, kept under its id).
        service_id, service = file_under_service(session, service, site, service_id)
        walkthrough_id = new_id()
        recorder = Recorder(session, walkthrough_id)
        row = Walkthrough(
            id=walkthrough_id,
            created_at=recorder.now,
            updated_at=recorder.now,
            service=service,
            site=site,
            service_id=service_id,
            follows_id=follows_id,
            visit_date=visit_date or dt.date.today(),
            lens_id=lens.id,
            lens_version=lens.version,
            lens_title=lens.title,
            lens_snapshot=lens.to_snapshot(),
            facilitators=[Facilitator(id=new_id(), name=n, position=i) for i, n in enumerate(names)],
            participants=[
                Participant(id=new_id(), name=name, role=role, position=i) for i, (name, role) in enumerate(team)
            ],
        )
        session.add(row)
        session.flush()
        record = _record(row, lens)
        recorder.created(Entity.WALKTHROUGH, walkthrough_id,
                         walkthrough_values(record, team_values(row), row.lens_snapshot))
        # Not in its create (see change_values.SET_ONLY_FIELDS): set in the same operation.
        recorder.set(Entity.WALKTHROUGH, walkthrough_id, "service_id", service_id)
        if follows_id is not None:
            recorder.set(Entity.WALKTHROUGH, walkthrough_id, "follows_id", follows_id)
        recorder.finish()
        return replace(record, service_id=service_id, follows_id=follows_id)


def team_values(row: Walkthrough) -> dict[str, list[list[str]]]:
    """The walkthrough's team as the history holds it: facilitators ``[id, name]``, participants ``[id, name, role]``."""
    return {
        "facilitators": [[f.id, f.name] for f in row.facilitators],
        "participants": [[p.id, p.name, Role(p.role).value] for p in row.participants],
    }


def update_walkthrough(
    db: Database,
    walkthrough_id: str,
    *,
    service: str | None = None,
    site: str | None = None,
    visit_date: dt.date | None = None,
    facilitators: Sequence[str] | None = None,
    participants: Sequence[TeamMember] | None = None,
) -> WalkthroughRecord:
    """Correct a walkthrough's details; None leaves a detail as it is.

    A list given replaces the whole list (in the order given).  The lens
    never changes: the findings were made with it.  Calling this again with
    an earlier record's details puts them back (undo).  Nothing is written
    when nothing differs.

    Raises:
        NotFound: no walkthrough with that id.
        InvalidInput: an empty service or site, or an empty name; nothing was changed.
    """
    # Checked before the transaction, by the same rules as create_walkthrough.
    if service is not None:
        service = _clean_name(service, "the service's name", "service")
    if site is not None:
        site = _clean_name(site, "the site's name", "site")
    names = _clean_facilitators(facilitators) if facilitators is not None else None
    team = _clean_participants(participants) if participants is not None else None
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        service_id = row.service_id
        if service is not None and service != row.service:
            # Its service is then the one of that name (an operation of its own when it is made or renamed).
            service_id, service = _refile(session, row, service)
        recorder = Recorder(session, walkthrough_id)
        if service_id != row.service_id:
            row.service_id = service_id
            recorder.set(Entity.WALKTHROUGH, walkthrough_id, "service_id", service_id)
        for name, value in (("service", service), ("site", site), ("visit_date", visit_date)):
            if value is not None and getattr(row, name) != value:
                setattr(row, name, value)
                recorder.set(Entity.WALKTHROUGH, walkthrough_id, name, value)
        if names is not None and [f.name for f in row.facilitators] != names:
            row.facilitators = [Facilitator(id=new_id(), name=n, position=i) for i, n in enumerate(names)]
            session.flush()
            recorder.set(Entity.WALKTHROUGH, walkthrough_id, "facilitators", team_values(row)["facilitators"])
        if team is not None and [(p.name, p.role) for p in row.participants] != team:
            row.participants = [
                Participant(id=new_id(), name=name, role=role, position=i) for i, (name, role) in enumerate(team)
            ]
            session.flush()
            recorder.set(Entity.WALKTHROUGH, walkthrough_id, "participants", team_values(row)["participants"])
        if recorder.changed:
            # Also when only the team changed: the start page lists the most recently changed first.
            row.updated_at = recorder.now
            session.flush()
        recorder.finish()
        return walkthrough_record(row)


def _refile(session: Session, row: Walkthrough, name: str) -> tuple[str, str]:
    """The service a walkthrough renamed to ``name`` belongs to: ``(id, name)``.

    The service of that name if there is one; else its own service renamed,
    when it is that service's only walk (a misspelt name corrected); else a
    new service.
    """
    from walkthrough.services.services import file_under_service, find_service, rename_in_session

    found = find_service(session, name, row.site)
    if found is None and row.service_id is not None and session.scalar(
            select(func.count()).select_from(Walkthrough).where(Walkthrough.service_id == row.service_id)) == 1:
        rename_in_session(session, row.service_id, name)
        return row.service_id, name
    return file_under_service(session, name, row.site, found)


def _clean_name(text: str, what: str, field: str) -> str:
    """``text`` cleaned and trimmed, for a service or site.

    Raises:
        InvalidInput: nothing is left (``what`` names it in the message).
    """
    cleaned = clean_text(text).strip()
    if not cleaned:
        raise EmptyValue(field, f"{what} is empty")
    return cleaned


def _clean_facilitators(facilitators: Iterable[str]) -> list[str]:
    names = [clean_text(n).strip() for n in facilitators]
    if any(not n for n in names):
        raise EmptyValue("facilitator", "a facilitator's name is empty")
    return names


def _clean_participants(participants: Iterable[TeamMember]) -> list[tuple[str, Role]]:
    team = [(clean_text(p.name).strip(), Role(p.role)) for p in participants]
    if any(not name for name, _ in team):
        raise EmptyValue("participant", "a participant's name is empty")
    return team


def list_walkthroughs(db: Database) -> list[WalkthroughSummary]:
    """All walkthroughs, the most recently changed first."""
    with db.sessions.begin() as session:
        obs_counts = dict(
            session.execute(select(Observation.walkthrough_id, func.count()).group_by(Observation.walkthrough_id)).all()
        )
        photo_counts = dict(
            session.execute(
                select(Observation.walkthrough_id, func.count(Photo.id))
                .join(Photo, Photo.observation_id == Observation.id)
                .group_by(Observation.walkthrough_id)
            ).all()
        )
        not_rated_counts = dict(
            session.execute(
                select(Observation.walkthrough_id, func.count())
                .where(Observation.rating_id.is_(None))
                .group_by(Observation.walkthrough_id)
            ).all()
        )
        areas_walked = dict(
            session.execute(
                select(Observation.walkthrough_id, func.count(func.distinct(Observation.area_id))).group_by(
                    Observation.walkthrough_id
                )
            ).all()
        )
        open_actions = dict(
            session.execute(
                select(Action.walkthrough_id, func.count())
                .where(Action.status != ActionStatus.DONE)
                .group_by(Action.walkthrough_id)
            ).all()
        )
        service_names = dict(session.execute(select(Service.id, Service.name)).all())
        rows = session.scalars(
            select(Walkthrough).options(undefer(Walkthrough.lens_snapshot)).order_by(Walkthrough.updated_at.desc())
        ).all()
        out = []
        for row in rows:
            out.append(
                WalkthroughSummary(
                    id=row.id,
                    service=row.service,
                    site=row.site,
                    visit_date=row.visit_date,
                    lens_id=row.lens_id,
                    lens_title=row.lens_title,
                    lens_version=row.lens_version,
                    observation_count=obs_counts.get(row.id, 0),
                    photo_count=photo_counts.get(row.id, 0),
                    areas_walked=areas_walked.get(row.id, 0),
                    area_count=_area_count(row.lens_snapshot),
                    updated_at=row.updated_at,
                    not_rated_count=not_rated_counts.get(row.id, 0),
                    service_id=row.service_id,
                    service_name=service_names.get(row.service_id, row.service),
                    open_actions=open_actions.get(row.id, 0),
                    follows_id=row.follows_id,
                )
            )
        return out


def find_same_visit(db: Database, service: str, site: str, visit_date: dt.date) -> WalkthroughSummary | None:
    """A walkthrough already started of this visit (the rule of :mod:`walkthrough.domain.same_visit`), or None.

    The most recently changed one if there are several.
    """
    return next((w for w in list_walkthroughs(db) if is_same_visit(w, service, site, visit_date)), None)


def _area_count(snapshot: str) -> int:
    # Counted from the JSON: validating every snapshot through pydantic just
    # for this made listing (and so the app's start) slow.
    try:
        areas = json.loads(snapshot).get("areas")
    except (ValueError, AttributeError):
        return 0
    return len(areas) if isinstance(areas, list) else 0


def resolve_walkthrough_id(db: Database, id_or_prefix: str) -> str:
    """The full id of the one walkthrough whose id starts with ``id_or_prefix``.

    Raises:
        NotFound: none, or the prefix is shorter than :data:`MIN_ID_PREFIX`.
        InvalidInput: more than one walkthrough matches.
    """
    return resolve_id_prefix(db, Walkthrough.id, "walkthrough", id_or_prefix, "`walkthrough list` shows the ids")


def resolve_id_prefix(db: Database, column: Any, kind: str, id_or_prefix: str, where_to_look: str) -> str:
    """The one id in ``column`` equal to, or starting with, ``id_or_prefix`` (4+ characters).

    Args:
        column: the mapped id column, e.g. ``Walkthrough.id``.
        kind: what the id names, for messages ("walkthrough").
        where_to_look: how the user can see the ids, for messages.

    Raises:
        NotFound: none matches, or the prefix is shorter than :data:`MIN_ID_PREFIX`.
        InvalidInput: more than one matches.
    """
    text = id_or_prefix.strip().lower()
    with db.sessions.begin() as session:
        if session.scalar(select(column).where(column == text)) is not None:
            return text
        if len(text) < MIN_ID_PREFIX:
            raise NotFound(kind, id_or_prefix, f"give at least {MIN_ID_PREFIX} characters of its id ({where_to_look})")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = session.scalars(select(column).where(column.like(escaped + "%", escape="\\")).limit(2)).all()
    if not matches:
        raise NotFound(kind, id_or_prefix, where_to_look)
    if len(matches) > 1:
        raise InvalidInput(f"more than one {kind} id starts with {id_or_prefix!r}; give more of it")
    return matches[0]


def get_walkthrough(db: Database, walkthrough_id: str) -> WalkthroughRecord:
    """A walkthrough's details and lens.

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        return walkthrough_record(load_walkthrough_row(session, walkthrough_id))


def delete_walkthrough(db: Database, walkthrough_id: str) -> None:
    """Delete a walkthrough with all its observations, photos and actions (and its service, if it was
    the service's last walk).

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        service_id = row.service_id
        recorder = Recorder(session, walkthrough_id)
        recorder.walkthrough_deleted()
        session.delete(row)
        recorder.finish()
        session.flush()
        if service_id is not None and session.scalar(
                select(func.count()).select_from(Walkthrough).where(Walkthrough.service_id == service_id)) == 0:
            # Its service goes with its last walk (a service is known by its walks).
            service = session.get(Service, service_id)
            service_recorder = Recorder(session, service_id)
            service_recorder.deleted(Entity.SERVICE, service_id)
            session.delete(service)
            service_recorder.finish()
    clear_side_files(db)  # its notes and photos must not stay in the -wal


def load_contents(db: Database, walkthrough_id: str) -> WalkthroughContents:
    """Everything in one walkthrough, in walking order, in one read transaction.

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        return read_contents(session, walkthrough_id)


def read_contents(session: Session, walkthrough_id: str) -> WalkthroughContents:
    """:func:`load_contents` inside the caller's transaction (to read several walkthroughs in one).

    The observations, their principles and their photos are read as plain
    rows, three queries in all, never as ORM objects: building and tracking
    an object per row was four fifths of the time of reading a walkthrough of
    1,000 observations (issue 16's comparison reads two).

    Raises:
        NotFound: no walkthrough with that id.
    """
    row = load_walkthrough_row(session, walkthrough_id)
    lens = _lens_of(row)
    of_this = Observation.walkthrough_id == row.id
    principles: dict[str, list[str]] = {}
    for observation_id, principle_id in session.execute(
        select(ObservationPrinciple.observation_id, ObservationPrinciple.principle_id)
        .join(Observation, Observation.id == ObservationPrinciple.observation_id)
        .where(of_this)
    ):
        principles.setdefault(observation_id, []).append(principle_id)
    photos: dict[str, list[PhotoRecord]] = {}
    for p in session.execute(
        select(Photo.id, Photo.observation_id, Photo.caption, Photo.original_name, Photo.width, Photo.height,
               Photo.sha256, Photo.position, Photo.created_at)
        .join(Observation, Observation.id == Photo.observation_id)
        .where(of_this)
        .order_by(Photo.observation_id, Photo.position)
    ):
        photos.setdefault(p.observation_id, []).append(PhotoRecord(
            id=p.id, observation_id=p.observation_id, caption=p.caption, original_name=p.original_name,
            width=p.width, height=p.height, sha256=p.sha256, position=p.position, created_at=p.created_at,
        ))
    observations = session.execute(
        select(Observation.id, Observation.walkthrough_id, Observation.area_id, Observation.prompt_id,
               Observation.rating_id, Observation.note, Observation.voice, Observation.position,
               Observation.created_at, Observation.updated_at)
        .where(of_this)
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.walkthrough_id == row.id)
        .options(selectinload(Action.principle_links), selectinload(Action.observations))
        .order_by(Action.position, Action.created_at)
    ).all()
    return WalkthroughContents(
        walkthrough=_record(row, lens),
        observations=tuple(
            ObservationRecord(
                id=o.id, walkthrough_id=o.walkthrough_id, area_id=o.area_id, prompt_id=o.prompt_id,
                rating_id=o.rating_id, principle_ids=tuple(sorted(principles.get(o.id, ()))), note=o.note,
                voice=o.voice, position=o.position, created_at=o.created_at, updated_at=o.updated_at,
                photos=tuple(photos.get(o.id, ())),
            )
            for o in sort_in_walking_order(lens, observations)
        ),
        actions=tuple(action_record(a) for a in actions),
    )


# -- helpers shared by the other services -------------------------------------


def load_walkthrough_row(session: Session, walkthrough_id: str) -> Walkthrough:
    """The walkthrough row with its lens snapshot loaded.

    Raises:
        NotFound: no walkthrough with that id.
    """
    row = session.get(Walkthrough, walkthrough_id, options=[undefer(Walkthrough.lens_snapshot)])
    if row is None:
        raise NotFound("walkthrough", walkthrough_id, "run `walkthrough list` to see the ids")
    return row


class _Placed(Protocol):
    area_id: str
    prompt_id: str | None
    position: int
    created_at: dt.datetime


_PlacedT = TypeVar("_PlacedT", bound=_Placed)


def sort_in_walking_order(lens: Lens, observations: Iterable[_PlacedT]) -> list[_PlacedT]:
    """Area order, then prompt order (free-standing last), then position and time (rows or objects)."""
    area_rank = {a.id: i for i, a in enumerate(lens.areas)}
    prompt_rank = {p.id: i for a in lens.areas for i, p in enumerate(a.prompts)}
    big = 1 << 30
    return sorted(
        observations,
        key=lambda o: (
            area_rank.get(o.area_id, big),
            prompt_rank.get(o.prompt_id, big) if o.prompt_id else big,
            o.position,
            o.created_at,
        ),
    )


def photo_record(p: Photo) -> PhotoRecord:
    """Snapshot of a photo row (no pixels)."""
    return PhotoRecord(
        id=p.id,
        observation_id=p.observation_id,
        caption=p.caption,
        alt_text=p.alt_text,
        original_name=p.original_name,
        width=p.width,
        height=p.height,
        sha256=p.sha256,
        position=p.position,
        created_at=p.created_at,
    )


def observation_record(o: Observation) -> ObservationRecord:
    """Snapshot of an observation row with its principles and photos."""
    return ObservationRecord(
        id=o.id,
        walkthrough_id=o.walkthrough_id,
        area_id=o.area_id,
        prompt_id=o.prompt_id,
        rating_id=o.rating_id,
        principle_ids=tuple(sorted(o.principle_ids)),
        note=o.note,
        voice=o.voice,
        position=o.position,
        created_at=o.created_at,
        updated_at=o.updated_at,
        photos=tuple(photo_record(p) for p in o.photos),
    )


def action_record(a: Action) -> ActionRecord:
    """Snapshot of an action row."""
    return ActionRecord(
        id=a.id,
        walkthrough_id=a.walkthrough_id,
        text=a.text,
        owner=a.owner,
        due_date=a.due_date,
        priority=a.priority,
        status=a.status,
        component_id=a.component_id,
        principle_ids=tuple(sorted(a.principle_ids)),
        observation_ids=tuple(o.id for o in a.observations),
        position=a.position,
        created_at=a.created_at,
        updated_at=a.updated_at,
        lead=a.lead,
        on_track=a.on_track,
        success_measure=a.success_measure,
        mat_standards=tuple(a.mat_standards),
    )


@functools.lru_cache(maxsize=8)
def lens_from_snapshot(snapshot: str) -> Lens:
    """The lens stored with a walkthrough (:meth:`Lens.from_snapshot`).

    Remembered for the last few snapshots: a lens is frozen, every change to
    an observation reads its walkthrough's lens, and rebuilding one from its
    JSON takes about 2 ms.  (Errors are not remembered: each read says so.)
    The import is here so that commands that never rebuild a lens (``list``,
    ``photos add``) do not import pydantic.

    Raises:
        LensError: the stored text is not a valid lens.
    """
    from walkthrough.domain.lens import Lens

    return Lens.from_snapshot(snapshot)


def walkthrough_record(row: Walkthrough) -> WalkthroughRecord:
    """Snapshot of a walkthrough row (loaded with its lens snapshot) with its lens parsed.

    Raises:
        LensError: the stored lens snapshot is not a valid lens.
    """
    return _record(row, _lens_of(row))


def _lens_of(row: Walkthrough) -> Lens:
    return lens_from_snapshot(row.lens_snapshot)


def _record(row: Walkthrough, lens: Lens) -> WalkthroughRecord:
    return WalkthroughRecord(
        id=row.id,
        service=row.service,
        site=row.site,
        visit_date=row.visit_date,
        lens=lens,
        facilitators=tuple(f.name for f in row.facilitators),
        participants=tuple(TeamMember(p.name, p.role) for p in row.participants),
        created_at=row.created_at,
        updated_at=row.updated_at,
        service_id=row.service_id,
        follows_id=row.follows_id,
    )
