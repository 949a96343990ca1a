"""A service's journey: its walks, oldest first, each area at its implementation stage.

The rule is :func:`walkthrough.domain.implementation_stage.implementation_stages`;
this reads the service's walks (with their plans) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from walkthrough.domain.implementation_stage import WalkStages, implementation_stages
from walkthrough.domain.models import Walkthrough
from walkthrough.domain.records import WalkthroughRecord
from walkthrough.services.walkthroughs import read_contents
from walkthrough.storage.database import Database

__all__ = ["Journey", "service_journey"]


@dataclass(frozen=True)
class Journey:
    """The service's walks, oldest first, and each one's stages (in the same order)."""

    walks: tuple[WalkthroughRecord, ...]
    stages: tuple[WalkStages, ...]


def service_journey(db: Database, service_id: str) -> Journey:
    """The implementation stage of every area at every walk of the service.

    Raises:
        NotFound: no service with that id.
    """
    from walkthrough.services.services import load_service

    with db.sessions.begin() as session:
        load_service(session, service_id)
        ids = session.scalars(select(Walkthrough.id).where(Walkthrough.service_id == service_id)
                              .order_by(Walkthrough.visit_date, Walkthrough.created_at)).all()
        walks = [read_contents(session, wid) for wid in ids]
    return Journey(tuple(w.walkthrough for w in walks), implementation_stages(walks))
