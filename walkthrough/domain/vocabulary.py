"""The walkthrough's fixed vocabulary: team roles, voices, action priorities and statuses.

Plain enums with the stored text as their values ("lived-experience"), kept
apart from :mod:`walkthrough.domain.models` so that records, the command line
and the desktop app's first window can use them without importing SQLAlchemy
(about half a second at start-up).  The ORM stores them as text with a CHECK.

Roles and voices follow the lens walkthrough's team: staff at all levels,
managers and people with lived experience of the service (National Trauma
Transformation Programme; MAT Standard 10).
"""

from __future__ import annotations

import enum

__all__ = ["MAT_STANDARDS", "ActionStatus", "OnTrack", "Priority", "Role", "Voice"]


class Role(str, enum.Enum):
    """A participant's role in the walkthrough team."""

    STAFF = "staff"
    LIVED_EXPERIENCE = "lived-experience"  #: a person with lived experience of the service
    MANAGER = "manager"
    OTHER = "other"


class Voice(str, enum.Enum):
    """Whose view an observation records."""

    FACILITATOR = "facilitator"
    STAFF = "staff"
    LIVED_EXPERIENCE = "lived-experience"
    MANAGER = "manager"
    OTHER = "other"


class Priority(str, enum.Enum):
    """How urgent an improvement action is."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionStatus(str, enum.Enum):
    """Where an improvement action stands."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"


class OnTrack(str, enum.Enum):
    """Whether an improvement action will be done as planned (the lead's view at a review)."""

    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"


#: The Medication Assisted Treatment (MAT) standards an action may serve: numbered 1 to 10.
MAT_STANDARDS: tuple[int, ...] = tuple(range(1, 11))
