"""The two teams of two walks: how far their findings can be compared (:mod:`walkthrough.domain.comparison`).

The team is its participants: their number, and how many have lived
experience; and how many of the earlier team (participants and
facilitators, by name, whatever the case and spacing) walked again.  The
teams *differ notably* (:attr:`TeamComparison.differs`) when the size
changes by half the larger team or more, lived experience is present in one
walk and absent in the other, or fewer than half of the earlier team walked
again.  Plain Python: no database, no Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from walkthrough.domain.records import WalkthroughContents, WalkthroughRecord
from walkthrough.domain.vocabulary import Role

__all__ = ["TeamComparison", "TeamDifference", "compare_teams"]


class TeamDifference(str, enum.Enum):
    """Why the two teams make the findings less comparable."""

    SIZE = "size"
    LIVED_EXPERIENCE = "lived-experience"
    FEW_RETURNING = "few-returning"


#: A team size changed by at least this share of the larger team differs notably.
TEAM_SIZE_CHANGE = 0.5
#: Fewer than this share of the earlier team walking again differs notably.
TEAM_RETURNING_SHARE = 0.5


@dataclass(frozen=True)
class TeamComparison:
    """The earlier team (``before_…``) and the later one (``after_…``), by the rule of this module."""

    before_size: int
    after_size: int
    before_lived_experience: int
    after_lived_experience: int
    #: people of the earlier team (participants and facilitators, by name) who walked again
    returning: int
    before_people: int
    differences: tuple[TeamDifference, ...]

    @property
    def differs(self) -> bool:
        """True when the teams differ notably: the findings are less comparable."""
        return bool(self.differences)


def compare_teams(base: WalkthroughContents, followup: WalkthroughContents) -> TeamComparison:
    """The two teams by the rule of this module."""
    before, after = base.walkthrough, followup.walkthrough
    b_size, a_size = len(before.participants), len(after.participants)
    b_le = sum(1 for m in before.participants if m.role is Role.LIVED_EXPERIENCE)
    a_le = sum(1 for m in after.participants if m.role is Role.LIVED_EXPERIENCE)

    def people(w: WalkthroughRecord) -> set[str]:
        return {" ".join(n.casefold().split()) for n in (*w.facilitators, *(m.name for m in w.participants))}

    then, now = people(before), people(after)
    returning = len(then & now)
    differences = []
    if abs(a_size - b_size) >= TEAM_SIZE_CHANGE * max(a_size, b_size, 1) and a_size != b_size:
        differences.append(TeamDifference.SIZE)
    if bool(b_le) != bool(a_le):
        differences.append(TeamDifference.LIVED_EXPERIENCE)
    if then and returning < TEAM_RETURNING_SHARE * len(then):
        differences.append(TeamDifference.FEW_RETURNING)
    return TeamComparison(b_size, a_size, b_le, a_le, returning, len(then), tuple(differences))
