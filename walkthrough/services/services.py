"""Services and their walks: list, add, rename and merge services; walk one again.

A service (:class:`~walkthrough.domain.models.Service`) is what is walked
again and again; each walkthrough belongs to one, and keeps the site it
walked (a service's sites are its walkthroughs').  Each public function is
one transaction and records what it changes in the change history
(:mod:`walkthrough.services.history`): a service's changes under its own
id, a walkthrough's under the walkthrough's.  Whoever wants to know what
changed wraps the call in :func:`~walkthrough.services.history.collect_changes`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.errors import EmptyValue, InvalidInput, NotFound, TooLong
from walkthrough.domain.models import Action, Service, Walkthrough, new_id
from walkthrough.domain.records import ActionRecord, ServiceSummary, TeamMember, WalkthroughRecord
from walkthrough.domain.vocabulary import ActionStatus
from walkthrough.services.history import Recorder
from walkthrough.services.text_cleaning import clean_text
from walkthrough.storage.database import Database

if TYPE_CHECKING:
    from walkthrough.domain.lens import Lens
    from walkthrough.services.lens_catalog import LensCatalog

__all__ = [
    "MAX_SERVICE_CHARS",
    "create_service",
    "file_under_service",
    "find_service",
    "list_services",
    "load_service",
    "merge_services",
    "open_actions_of",
    "rename_in_session",
    "rename_service",
    "resolve_service_id",
    "walk_again",
    "walk_again_lens",
]

#: Longest service or organisation name kept, in characters.
MAX_SERVICE_CHARS = 500


def list_services(db: Database) -> list[ServiceSummary]:
    """Every service, the one walked most recently first, with its sites, walks and open actions."""
    with db.sessions.begin() as session:
        walks: dict[str, list[tuple[str, dt.date]]] = {}
        for service_id, site, visit_date in session.execute(
                select(Walkthrough.service_id, Walkthrough.site, Walkthrough.visit_date)
                .where(Walkthrough.service_id.is_not(None))
                .order_by(Walkthrough.visit_date.desc(), Walkthrough.created_at.desc())):
            walks.setdefault(service_id, []).append((site, visit_date))
        open_actions = dict(session.execute(
            select(Walkthrough.service_id, func.count(Action.id))
            .join(Action, Action.walkthrough_id == Walkthrough.id)
            .where(Action.status != ActionStatus.DONE)
            .group_by(Walkthrough.service_id)).all())
        out = []
        for row in session.scalars(select(Service)):
            mine = walks.get(row.id, [])
            out.append(ServiceSummary(
                id=row.id, name=row.name, organisation=row.organisation,
                sites=tuple(dict.fromkeys(site for site, _ in mine)),
                walk_count=len(mine), open_actions=open_actions.get(row.id, 0),
                last_visit=mine[0][1] if mine else None,
                created_at=row.created_at, updated_at=row.updated_at,
            ))
    never = dt.date.min
    return sorted(out, key=lambda s: (s.last_visit or never, s.created_at), reverse=True)


def resolve_service_id(db: Database, id_or_prefix: str) -> str:
    """The full id of the one service whose id starts with ``id_or_prefix`` (4+ characters).

    Raises:
        NotFound: none, or the prefix is too short.
        InvalidInput: more than one matches.
    """
    from walkthrough.services.walkthroughs import resolve_id_prefix

    return resolve_id_prefix(db, Service.id, "service", id_or_prefix, "`walkthrough services` shows the ids")


def create_service(db: Database, name: str, *, organisation: str = "") -> ServiceSummary:
    """Add a service with no walks yet.

    Raises:
        EmptyValue: an empty name.
        TooLong: a name or organisation longer than :data:`MAX_SERVICE_CHARS`.
    """
    name = _clean(name, "service")
    organisation = _clean(organisation, "organisation", may_be_empty=True)
    with db.sessions.begin() as session:
        row, _ = _add_service(session, name, organisation)
        return ServiceSummary(row.id, row.name, row.organisation, (), 0, 0, None, row.created_at, row.updated_at)


def rename_service(db: Database, service_id: str, *, name: str | None = None,
                   organisation: str | None = None) -> OpChanges:
    """Correct a service's name or organisation (None leaves it as it is).

    Its walkthroughs' ``service`` (the name their reports print) follows the
    new name, each as a change of that walkthrough.

    Raises:
        NotFound: no service with that id.
        EmptyValue: an empty name.
        TooLong: a name longer than :data:`MAX_SERVICE_CHARS`.
    """
    if name is not None:
        name = _clean(name, "service")
    if organisation is not None:
        organisation = _clean(organisation, "organisation", may_be_empty=True)
    with db.sessions.begin() as session:
        row = load_service(session, service_id)
        recorder = Recorder(session, service_id)
        for field, value in (("name", name), ("organisation", organisation)):
            if value is not None and getattr(row, field) != value:
                setattr(row, field, value)
                recorder.set(Entity.SERVICE, service_id, field, value)
        if recorder.changed:
            row.updated_at = recorder.now
        changes = recorder.finish()
        if name is not None:
            changes = changes.merged(_follow_name(session, service_id, row.name))
        return changes


def merge_services(db: Database, keep_id: str, other_id: str) -> OpChanges:
    """Make two services one: ``other_id``'s walkthroughs move to ``keep_id``, and ``other_id`` goes.

    Each walkthrough moved is a change of that walkthrough (its service,
    and its service's name); the service that goes leaves a tombstone.

    Raises:
        NotFound: either service is not there.
        InvalidInput: the two are the same service.
    """
    if keep_id == other_id:
        raise InvalidInput("a service cannot be merged with itself; give two different services")
    with db.sessions.begin() as session:
        keep, other = load_service(session, keep_id), load_service(session, other_id)
        changes = OpChanges()
        for walk in session.scalars(select(Walkthrough).where(Walkthrough.service_id == other.id)
                                    .order_by(Walkthrough.created_at)):
            recorder = Recorder(session, walk.id)
            _set(recorder, walk, "service_id", keep.id)
            _set(recorder, walk, "service", keep.name)
            walk.updated_at = recorder.now
            changes = changes.merged(recorder.finish())
        session.flush()
        recorder = Recorder(session, other.id)
        # Its making stays readable: the moved walkthroughs' history was filed under it, and replays so.
        recorder.deleted(Entity.SERVICE, other.id, keep_content=True)
        session.delete(other)
        return changes.merged(recorder.finish())


def file_under_service(session: Session, name: str, site: str, service_id: str | None = None) -> tuple[str, str]:
    """The service a walkthrough of ``name`` at ``site`` belongs to: ``(id, name)``, made if there is none.

    With ``service_id``, that service (``name`` is then not looked at).
    Otherwise the service of that name (ignoring case and spacing), the one
    walked at ``site`` if several share the name; a new one if none has it.
    For the services of this package, in their transaction.

    Raises:
        NotFound: no service with ``service_id``.
    """
    if service_id is None:
        service_id = find_service(session, name, site)
    if service_id is not None:
        row = load_service(session, service_id)
        return row.id, row.name
    row, _ = _add_service(session, name, "")
    return row.id, row.name


def find_service(session: Session, name: str, site: str) -> str | None:
    """The id of the service called ``name`` (ignoring case and spacing), the one walked at ``site``
    if several share the name; None if none has it."""
    wanted = _key(name)
    named = [s for s in session.scalars(select(Service).order_by(Service.created_at)) if _key(s.name) == wanted]
    if not named:
        return None
    at_site = set(session.scalars(select(Walkthrough.service_id).where(
        Walkthrough.service_id.in_([s.id for s in named]), func.lower(Walkthrough.site) == site.lower())))
    return next((s.id for s in named if s.id in at_site), named[0].id)


def rename_in_session(session: Session, service_id: str, name: str) -> OpChanges:
    """Rename a service in the caller's transaction (recorded under the service); its walkthroughs are the caller's."""
    row = load_service(session, service_id)
    recorder = Recorder(session, service_id)
    if row.name != name:
        row.name = name
        row.updated_at = recorder.now
        recorder.set(Entity.SERVICE, service_id, "name", name)
    return recorder.finish()


def open_actions_of(db: Database, walkthrough_id: str) -> list[ActionRecord]:
    """The actions of ``walkthrough_id``'s plan that are not done, in the plan's order.

    For a walk again: the open actions of the walk it follows up, to keep in view.

    Raises:
        NotFound: no walkthrough with that id.
    """
    from walkthrough.services.walkthroughs import action_record, load_walkthrough_row

    with db.sessions.begin() as session:
        load_walkthrough_row(session, walkthrough_id)
        rows = session.scalars(select(Action).where(Action.walkthrough_id == walkthrough_id,
                                                    Action.status != ActionStatus.DONE)
                               .order_by(Action.position, Action.created_at))
        return [action_record(a) for a in rows]


def walk_again_lens(previous: Lens, catalog: LensCatalog | None) -> Lens:
    """The lens a walk again uses: ``previous``, or its newer version in ``catalog``.

    The newer version is the catalogue's lens with the same id and a higher
    version that still asks at least one of the same prompts (matched on
    prompt ids), so the two walks can be compared prompt by prompt.
    """
    if catalog is None:
        return previous
    entry = next((e for e in catalog.entries if e.lens.id == previous.id), None)
    if entry is None or not _newer(entry.lens.version, previous.version):
        return previous
    if not _prompt_ids(entry.lens) & _prompt_ids(previous):
        return previous
    return entry.lens


def walk_again(db: Database, walkthrough_id: str, *, visit_date: dt.date | None = None,
               catalog: LensCatalog | None = None) -> WalkthroughRecord:
    """Start a follow-up walk of ``walkthrough_id``: same service and site, its lens (or the newer
    version in ``catalog``, see :func:`walk_again_lens`), its team as a starting point.

    Raises:
        NotFound: no walkthrough with that id.
    """
    from walkthrough.services.walkthroughs import create_walkthrough, load_walkthrough_row, walkthrough_record

    with db.sessions.begin() as session:
        previous = walkthrough_record(load_walkthrough_row(session, walkthrough_id))
    lens = walk_again_lens(previous.lens, catalog)
    return create_walkthrough(
        db, lens, service=previous.service, site=previous.site, visit_date=visit_date,
        facilitators=previous.facilitators,
        participants=[TeamMember(p.name, p.role) for p in previous.participants],
        # None (it came from a laptop that did not know services): filed by its name and site
        service_id=previous.service_id, follows_id=previous.id,
    )


# -- helpers ---------------------------------------------------------------------------------


def _add_service(session: Session, name: str, organisation: str) -> tuple[Service, OpChanges]:
    service_id = new_id()
    recorder = Recorder(session, service_id)
    row = Service(id=service_id, name=name, organisation=organisation, created_at=recorder.now,
                  updated_at=recorder.now)
    session.add(row)
    session.flush()
    recorder.created(Entity.SERVICE, service_id, {"name": name, "organisation": organisation,
                                                  "created_at": recorder.now, "updated_at": recorder.now})
    return row, recorder.finish()


def _follow_name(session: Session, service_id: str, name: str) -> OpChanges:
    """Each walkthrough of the service takes its new name, as a change of that walkthrough."""
    changes = OpChanges()
    for walk in session.scalars(select(Walkthrough).where(Walkthrough.service_id == service_id,
                                                          Walkthrough.service != name)
                                .order_by(Walkthrough.created_at)):
        recorder = Recorder(session, walk.id)
        _set(recorder, walk, "service", name)
        walk.updated_at = recorder.now
        changes = changes.merged(recorder.finish())
    return changes


def _set(recorder: Recorder, walk: Walkthrough, field: str, value: str) -> None:
    if getattr(walk, field) != value:
        setattr(walk, field, value)
        recorder.set(Entity.WALKTHROUGH, walk.id, field, value)


def load_service(session: Session, service_id: str) -> Service:
    """The service's row.

    Raises:
        NotFound: no service with that id.
    """
    row = session.get(Service, service_id)
    if row is None:
        raise NotFound("service", service_id, "`walkthrough services` shows the ids")
    return row


def _clean(text: str, what: str, *, may_be_empty: bool = False) -> str:
    cleaned = " ".join(clean_text(text).split())
    if not cleaned and not may_be_empty:
        raise EmptyValue(what, f"the {what}'s name is empty")
    if len(cleaned) > MAX_SERVICE_CHARS:
        raise TooLong(what, MAX_SERVICE_CHARS, f"the {what}'s name is longer than {MAX_SERVICE_CHARS} characters")
    return cleaned


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _prompt_ids(lens: Lens) -> set[str]:
    return {p.id for area in lens.areas for p in area.prompts}


def _newer(candidate: str, than: str) -> bool:
    """True when version ``candidate`` is later than ``than`` ("2.10" after "2.9"; text compared as text)."""
    def parts(version: str) -> tuple[tuple[int, object], ...]:
        return tuple((0, int(p)) if p.isdigit() else (1, p) for p in version.replace("-", ".").split("."))

    return parts(candidate) > parts(than)
