"""A service's improvement plan: the actions of all its walks, as one plan that lives across them.

An action stays in the walk it was made in (``walkthrough_id``; its changes
are recorded under that walk), and the plan a service works to is the
actions of every walk of the service, each with the walk it came from.  A
walkthrough filed under no service has a plan of its own actions only.
The rules (order, at a glance, as at a date) are
:mod:`walkthrough.domain.improvement_plan`'s and
:mod:`walkthrough.domain.plan_history`'s; this reads them from the database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import InvalidInput, NotFound
from walkthrough.domain.improvement_plan import PlanAtAGlance, PlanWalk, ServicePlan, plan_at_a_glance, walk_by_walk
from walkthrough.domain.models import Action, Walkthrough
from walkthrough.domain.models import Change as ChangeRow
from walkthrough.domain.plan_history import end_of_day
from walkthrough.domain.plan_history import plan_as_at as _plan_as_at
from walkthrough.services.history import changes_of
from walkthrough.services.services import load_service
from walkthrough.services.walkthroughs import action_record, load_walkthrough_row
from walkthrough.storage.database import Database

__all__ = ["resolve_plan_owner", "service_plan", "service_plan_as_at", "service_plan_at_a_glance", "shares_plan", "walkthrough_plan"]


def service_plan(db: Database, service_id: str) -> ServicePlan:
    """The service's whole plan: every action of every walk of the service, each with its walk.

    Two reads (the walks, then their actions with their links), in one transaction.

    Raises:
        NotFound: no service with that id.
    """
    with db.sessions.begin() as session:
        load_service(session, service_id)
        return _plan(session, service_id, _walks_of(session, service_id))


def walkthrough_plan(db: Database, walkthrough_id: str) -> ServicePlan:
    """The plan a walkthrough works to: its service's whole plan, or its own actions when filed under none.

    Raises:
        NotFound: no walkthrough with that id.
    """
    with db.sessions.begin() as session:
        row = load_walkthrough_row(session, walkthrough_id)
        if row.service_id is None:
            return _plan(session, None, (PlanWalk(row.id, row.visit_date, row.site),))
        return _plan(session, row.service_id, _walks_of(session, row.service_id))


def service_plan_as_at(db: Database, service_id: str, day: dt.date, *, tz: dt.tzinfo | None = None) -> ServicePlan:
    """The service's plan as it stood at the end of ``day`` (in ``tz``, default this computer's zone).

    Each walk's actions as that walk's change history has them then
    (:func:`walkthrough.domain.plan_history.plan_as_at`), over the walks the
    service has now.

    Raises:
        NotFound: no service with that id.
    """
    moment = end_of_day(day, tz)
    with db.sessions.begin() as session:
        load_service(session, service_id)
        walks = _walks_of(session, service_id)
        actions = []
        for walk in walks:
            ids = session.scalars(select(ChangeRow.entity_id).distinct().where(
                ChangeRow.walkthrough_id == walk.walkthrough_id, ChangeRow.entity == Entity.ACTION.value)).all()
            if ids:
                actions += _plan_as_at(walk.walkthrough_id, changes_of(session, walk.walkthrough_id, ids), moment)
    return ServicePlan(service_id, walks, tuple(walk_by_walk(walks, actions)))


def service_plan_at_a_glance(db: Database, service_id: str, today: dt.date, *,
                             next_review: dt.date | None = None) -> PlanAtAGlance:
    """The service's whole plan at a glance as of ``today`` (see :func:`plan_at_a_glance`).

    Raises:
        NotFound: no service with that id.
    """
    return plan_at_a_glance(service_plan(db, service_id).actions, today, next_review=next_review)


def resolve_plan_owner(db: Database, id_or_prefix: str) -> tuple[str, str]:
    """Whose plan ``id_or_prefix`` names: ``("walkthrough", id)`` or ``("service", id)``.

    A whole id, or the first characters (4+) of one walkthrough's or one
    service's id; the two kinds of id never look alike in full, but a short
    prefix may start both, and is then refused.

    Raises:
        NotFound: neither a walkthrough nor a service has such an id.
        InvalidInput: more than one walkthrough or service matches.
    """
    from walkthrough.services.services import resolve_service_id
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    found: list[tuple[str, str]] = []
    for kind, resolve in (("walkthrough", resolve_walkthrough_id), ("service", resolve_service_id)):
        try:
            found.append((kind, resolve(db, id_or_prefix)))
        except NotFound:
            continue
    exact = [f for f in found if f[1] == id_or_prefix.strip().lower()]
    if exact:
        return exact[0]
    if not found:
        raise NotFound("walkthrough or service", id_or_prefix,
                       "`walkthrough list` shows the walkthroughs' ids, `walkthrough services` the services'")
    if len(found) > 1:
        raise InvalidInput(f"{id_or_prefix!r} starts both a walkthrough's id and a service's; give more of it")
    return found[0]


def shares_plan(db: Database, walkthrough_id: str, other_id: str) -> bool:
    """True when the two walkthroughs work to one plan: the same walk, or two walks of one service."""
    if walkthrough_id == other_id:
        return True
    with db.sessions.begin() as session:
        services = session.execute(select(Walkthrough.id, Walkthrough.service_id).where(
            Walkthrough.id.in_((walkthrough_id, other_id)))).all()
    found = {wid: sid for wid, sid in services}
    return len(found) == 2 and found[walkthrough_id] is not None and found[walkthrough_id] == found[other_id]


# -- helpers ---------------------------------------------------------------------------------


def _walks_of(session: Session, service_id: str) -> tuple[PlanWalk, ...]:
    rows = session.execute(select(Walkthrough.id, Walkthrough.visit_date, Walkthrough.site)
                           .where(Walkthrough.service_id == service_id)
                           .order_by(Walkthrough.visit_date, Walkthrough.created_at)).all()
    return tuple(PlanWalk(wid, visit_date, site) for wid, visit_date, site in rows)


def _plan(session: Session, service_id: str | None, walks: tuple[PlanWalk, ...]) -> ServicePlan:
    rows = session.scalars(
        select(Action)
        .where(Action.walkthrough_id.in_([w.walkthrough_id for w in walks]))
        .options(selectinload(Action.principle_links), selectinload(Action.observations))
    ).all()
    return ServicePlan(service_id, walks, tuple(walk_by_walk(walks, (action_record(a) for a in rows))))
