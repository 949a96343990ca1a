"""Frozen snapshots of stored data, handed to the command line, the GUI and the report.

Views never get live ORM objects: a record is a plain value that is safe to
keep, compare and pass between threads.  The services build them inside their
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from walkthrough.domain.vocabulary import ActionStatus, OnTrack, Priority, Role, Voice

if TYPE_CHECKING:
    # Only an annotation here: importing it would pull pydantic into every
    # command that never builds a lens (``list``, ``photos add``).
    from walkthrough.domain.lens import Lens


@dataclass(frozen=True)
class TeamMember:
    """A participant in the walkthrough team."""

    name: str
    role: Role


@dataclass(frozen=True)
class WalkthroughSummary:
    """One line of the walkthrough list.

    ``areas_walked`` counts the lens areas that have at least one observation;
    ``not_rated_count`` the observations not rated yet.
    """

    id: str
    service: str
    site: str
    visit_date: dt.date
    lens_id: str
    lens_title: str
    lens_version: str
    observation_count: int
    photo_count: int
    areas_walked: int
    area_count: int
    updated_at: dt.datetime
    not_rated_count: int = 0
    #: the service it belongs to, its name now, and its open actions (not done) in this walk's plan
    service_id: str | None = None
    service_name: str = ""
    open_actions: int = 0
    #: the walk it follows up ("walk again"), if any
    follows_id: str | None = None


@dataclass(frozen=True)
class ServiceSummary:
    """One service: its sites (those of its walks, the latest first), its walks and open actions.

    ``open_actions`` counts the actions not done in the plans of all its
    walks; ``last_visit`` is its latest walk's date (None: not walked yet).
    """

    id: str
    name: str
    organisation: str
    sites: tuple[str, ...]
    walk_count: int
    open_actions: int
    last_visit: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class WalkthroughRecord:
    """A walkthrough's details, with the lens snapshot it was started with."""

    id: str
    service: str
    site: str
    visit_date: dt.date
    lens: Lens
    facilitators: tuple[str, ...]
    participants: tuple[TeamMember, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    #: the service it belongs to (None: it came from a laptop that did not know services)
    service_id: str | None = None
    #: the walk it follows up ("walk again"), if any
    follows_id: str | None = None


@dataclass(frozen=True)
class PhotoRecord:
    """A stored photo's details; the pixels are fetched separately by id.

    ``width`` and ``height`` are the stored JPEG's size in pixels.
    """

    id: str
    observation_id: str
    caption: str
    original_name: str
    width: int
    height: int
    sha256: str
    position: int
    #: when it was added (kept when undo puts it back)
    created_at: dt.datetime | None = field(default=None, compare=False)
    #: what someone who cannot see the photo needs to know; empty until written (the caption stands in)
    alt_text: str = ""


@dataclass(frozen=True)
class ObservationRecord:
    """An observation with its principles and photo details.

    ``prompt_id`` is ``None`` for a free-standing observation.
    ``rating_id`` is ``None`` while it is not rated yet.
    ``principle_ids`` are sorted by id (show them in the lens's order).
    """

    id: str
    walkthrough_id: str
    area_id: str
    prompt_id: str | None
    rating_id: str | None
    principle_ids: tuple[str, ...]
    note: str
    voice: Voice
    position: int
    created_at: dt.datetime
    updated_at: dt.datetime
    photos: tuple[PhotoRecord, ...] = ()


@dataclass(frozen=True)
class ActionRecord:
    """An improvement plan action."""

    id: str
    walkthrough_id: str
    text: str
    owner: str
    due_date: dt.date | None
    priority: Priority
    status: ActionStatus
    component_id: str | None
    principle_ids: tuple[str, ...]
    observation_ids: tuple[str, ...]
    position: int
    created_at: dt.datetime
    updated_at: dt.datetime
    #: the accountable lead (distinct from the owner, who does the work)
    lead: str = ""
    on_track: OnTrack | None = None
    #: "how we'll know"
    success_measure: str = ""
    #: the MAT standards (1-10) it serves, ascending
    mat_standards: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProgressUpdateRecord:
    """A progress update of an action: a dated note, who wrote it, and the action's status and on-track then."""

    id: str
    action_id: str
    date: dt.date
    written_by: str
    note: str
    status: ActionStatus
    on_track: OnTrack | None
    created_at: dt.datetime


@dataclass(frozen=True)
class WalkthroughContents:
    """Everything recorded in one walkthrough, read in one transaction.

    Observations are in walking order (the lens's area order, then prompt
    order, free-standing observations last in their area, then position).
    Photo pixels are not included: fetch them by id when needed, so a report
    never holds every full-size picture in memory at once.
    """

    walkthrough: WalkthroughRecord
    observations: tuple[ObservationRecord, ...]
    actions: tuple[ActionRecord, ...] = field(default=())

    @property
    def photo_count(self) -> int:
        """Number of photos over all observations."""
        return sum(len(o.photos) for o in self.observations)
