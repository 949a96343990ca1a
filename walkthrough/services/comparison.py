"""Compare two walks: read both in one transaction, then apply :mod:`walkthrough.domain.comparison`.

Any two walkthroughs can be compared, given by id: the earlier one first.
"""

from __future__ import annotations

from walkthrough.domain.comparison import Comparison, compare
from walkthrough.domain.records import WalkthroughSummary
from walkthrough.services.walkthroughs import list_walkthroughs, read_contents
from walkthrough.storage.database import Database

__all__ = ["compare_walkthroughs", "earlier_walkthroughs"]


def compare_walkthroughs(db: Database, base_id: str, followup_id: str) -> Comparison:
    """What changed from the walk ``base_id`` (the earlier one) to ``followup_id``.

    Both are read in one transaction, so the comparison is of one moment.

    Raises:
        NotFound: either id names no walkthrough (its ``ident`` says which).
    """
    with db.sessions.begin() as session:
        base = read_contents(session, base_id)
        followup = base if followup_id == base_id else read_contents(session, followup_id)
    return compare(base, followup)


def earlier_walkthroughs(db: Database, walkthrough_id: str) -> list[WalkthroughSummary]:
    """The walkthroughs walked before ``walkthrough_id`` (or on the same day), to compare it with:
    the same service's first, then the rest, each group newest first.

    A later walk is compared from the later walk, never the other way round
    (every verdict would read backwards).  The same service is the same
    service id, or for walks from laptops that knew no services, the same
    name whatever its case and spacing.

    Raises:
        NotFound: no walkthrough with that id.
    """
    rows = list_walkthroughs(db)
    this = next((w for w in rows if w.id == walkthrough_id), None)
    if this is None:
        from walkthrough.domain.errors import NotFound

        raise NotFound("walkthrough", walkthrough_id, "run `walkthrough list` to see the ids")

    def key(name: str) -> str:
        return " ".join(name.casefold().split())

    def same_service(w: WalkthroughSummary) -> bool:
        if w.service_id and this.service_id:
            return w.service_id == this.service_id
        return key(w.service) == key(this.service)

    others = [w for w in rows if w.id != walkthrough_id and w.visit_date <= this.visit_date]
    others.sort(key=lambda w: (not same_service(w), -w.visit_date.toordinal()))
    return others
