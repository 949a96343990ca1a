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

__all__ = ["ActionStatus", "Priority", "Role", "Voice"]


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
