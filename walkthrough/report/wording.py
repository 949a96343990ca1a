"""The report's fixed words for stored values (roles, voices, priorities, dates).

The report is written in British English for service leaders; these are the
only words it adds to what the lens and the team wrote.
"""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.english import counted, listing  # noqa: F401 - re-exported for the report
from walkthrough.domain.improvement_plan import PRIORITY_WORDS, STATUS_WORDS  # noqa: F401 - re-exported
from walkthrough.domain.lens import AreaKind
from walkthrough.domain.vocabulary import Role, Voice

REPORT_TITLE = "Trauma-informed walkthrough: findings"
#: The author in a document's properties, unless the team is named (``include_names``).
APP_AUTHOR = "Lens Walkthrough"

#: In place of a stored photo that cannot be read (a damaged file).
PHOTO_UNREADABLE = "Photo could not be read"

#: Role -> (one, many): "1 person with lived experience", "3 staff".
ROLE_COUNT_WORDS: dict[Role, tuple[str, str]] = {
    Role.LIVED_EXPERIENCE: ("person with lived experience", "people with lived experience"),
    Role.STAFF: ("member of staff", "members of staff"),
    Role.MANAGER: ("manager", "managers"),
    Role.OTHER: ("other participant", "other participants"),
}
ROLE_ORDER = (Role.LIVED_EXPERIENCE, Role.STAFF, Role.MANAGER, Role.OTHER)

ROLE_WORDS = {
    Role.LIVED_EXPERIENCE: "lived experience",
    Role.STAFF: "staff",
    Role.MANAGER: "manager",
    Role.OTHER: "other",
}

VOICE_WORDS = {
    Voice.FACILITATOR: "Facilitator",
    Voice.STAFF: "Member of staff",
    Voice.LIVED_EXPERIENCE: "Person with lived experience",
    Voice.MANAGER: "Manager",
    Voice.OTHER: "Other",
}


AREA_KIND_WORDS = {AreaKind.PHYSICAL: "Physical route", AreaKind.PROCEDURAL: "Procedural route"}

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def long_date(day: dt.date) -> str:
    """``14 March 2025`` (no locale, so the same on every computer)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """``14 Mar 2025``, for narrow table columns."""
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"
