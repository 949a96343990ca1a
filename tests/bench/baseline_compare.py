"""The read of a walkthrough's contents as it was before issue 16 (ORM objects per row), for the same-run comparison.

A copy of ``services.walkthroughs.load_contents``'s body at commit 644580e:
observations loaded as ORM objects with their principle links and photos
(``selectinload``), then turned into records.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from walkthrough.domain.models import Action, Observation
from walkthrough.domain.records import WalkthroughContents
from walkthrough.services.walkthroughs import (
    _lens_of,
    _record,
    action_record,
    load_walkthrough_row,
    observation_record,
    sort_in_walking_order,
)


def read_contents_as_objects(session: Session, walkthrough_id: str) -> WalkthroughContents:
    row = load_walkthrough_row(session, walkthrough_id)
    lens = _lens_of(row)
    observations = session.scalars(
        select(Observation)
        .where(Observation.walkthrough_id == row.id)
        .options(selectinload(Observation.principle_links), selectinload(Observation.photos))
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.walkthrough_id == row.id)
        .options(selectinload(Action.principle_links), selectinload(Action.observations))
        .order_by(Action.position, Action.created_at)
    ).all()
    return WalkthroughContents(
        walkthrough=_record(row, lens),
        observations=tuple(observation_record(o) for o in sort_in_walking_order(lens, observations)),
        actions=tuple(action_record(a) for a in actions),
    )
