"""Hand-built walkthrough snapshots and real JPEGs for the report tests.

Nothing here touches the database: the report only ever sees a
:class:`WalkthroughContents` snapshot and a ``photo_jpeg(id)`` callable.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterable

from PIL import Image, ImageDraw

from walkthrough.domain.lens import Lens, parse_lens
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice
from walkthrough.domain.records import (
    ActionRecord,
    ObservationRecord,
    PhotoRecord,
    TeamMember,
    WalkthroughContents,
    WalkthroughRecord,
)

LENS_YAML = """
id: test-lens
title: "Test lens for reports"
version: "2.1"
description: "A small lens used by the report tests."
principles:
  - {id: safety, name: Safety, meaning: "People feel physically and emotionally safe."}
  - {id: trust, name: Trust, meaning: "Decisions are open and consistent."}
  - {id: choice, name: Choice, meaning: "People have meaningful choices."}
  - {id: collaboration, name: Collaboration, meaning: "Power is shared."}
  - {id: empowerment, name: Empowerment, meaning: "Strengths are built on."}
areas:
  - id: entrance
    title: "Arriving and entrance"
    kind: physical
    description: "From the street to the front door."
    prompts:
      - {id: entrance-signs, question: "Is it clear where to go?", principles: [safety, trust]}
      - {id: entrance-welcome, question: "How does the entrance feel?", guidance: "Look at light and noise.",
         principles: [safety]}
  - id: waiting
    title: "Waiting area"
    kind: physical
    prompts:
      - {id: waiting-privacy, question: "Can people talk without being overheard?",
         principles: [safety, choice]}
      - {id: waiting-info, question: "Is information easy to find?", principles: [trust, empowerment]}
  - id: letters
    title: "Appointment letters"
    kind: procedural
    description: "What people receive before they come."
    prompts:
      - {id: letters-tone, question: "Is the tone of letters warm and clear?",
         principles: [trust, collaboration]}
"""

_EPOCH = dt.datetime(2025, 3, 14, 10, 0, tzinfo=dt.timezone.utc)
_ids = itertools.count(1)


def small_lens(yaml_text: str = LENS_YAML) -> Lens:
    """The small lens above (or another YAML text)."""
    return parse_lens(yaml_text, "test-lens.yaml")


def jpeg(width: int = 1200, height: int = 800, seed: int = 0) -> bytes:
    """A real JPEG: a gradient with a big dark band along its longer side."""
    down = Image.linear_gradient("L").resize((width, height))
    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    image = Image.merge("RGB", (across, down, Image.new("L", (width, height), (seed * 40) % 256)))
    draw = ImageDraw.Draw(image)
    if width >= height:
        draw.rectangle((width // 10, height // 3, width * 9 // 10, height * 2 // 3), fill=(20, 60, 140))
    else:
        draw.rectangle((width // 3, height // 10, width * 2 // 3, height * 9 // 10), fill=(140, 60, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class PhotoStore:
    """Photos by id, counting fetches (the report should fetch each included photo once)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.sizes: dict[str, tuple[int, int]] = {}
        self.fetches: list[str] = []

    def add(self, observation_id: str, width: int, height: int, caption: str = "", position: int = 0,
            alt_text: str = "") -> PhotoRecord:
        photo_id = f"photo-{next(_ids)}"
        self.data[photo_id] = jpeg(width, height, seed=len(self.data))
        self.sizes[photo_id] = (width, height)
        return PhotoRecord(
            id=photo_id,
            observation_id=observation_id,
            caption=caption,
            original_name=f"{photo_id}.jpg",
            width=width,
            height=height,
            sha256="0" * 64,
            position=position,
            alt_text=alt_text,
        )

    def __call__(self, photo_id: str) -> bytes:
        self.fetches.append(photo_id)
        return self.data[photo_id]


def observation(
    area_id: str,
    prompt_id: str | None,
    rating_id: str | None,
    note: str,
    principles: Iterable[str] = ("safety",),
    voice: Voice = Voice.FACILITATOR,
    photos: Iterable[PhotoRecord] = (),
    obs_id: str | None = None,
    position: int = 0,
) -> ObservationRecord:
    return ObservationRecord(
        id=obs_id or f"obs-{next(_ids)}",
        walkthrough_id="wt-1",
        area_id=area_id,
        prompt_id=prompt_id,
        rating_id=rating_id,
        principle_ids=tuple(principles),
        note=note,
        voice=voice,
        position=position,
        created_at=_EPOCH,
        updated_at=_EPOCH,
        photos=tuple(photos),
    )


def action(
    text: str,
    component_id: str | None = "leadership",
    owner: str = "Service manager",
    due: dt.date | None = dt.date(2025, 6, 30),
    priority: Priority = Priority.MEDIUM,
    status: ActionStatus = ActionStatus.NOT_STARTED,
    principles: Iterable[str] = ("safety",),
    observation_ids: Iterable[str] = (),
    position: int = 0,
) -> ActionRecord:
    return ActionRecord(
        id=f"action-{next(_ids)}",
        walkthrough_id="wt-1",
        text=text,
        owner=owner,
        due_date=due,
        priority=priority,
        status=status,
        component_id=component_id,
        principle_ids=tuple(principles),
        observation_ids=tuple(observation_ids),
        position=position,
        created_at=_EPOCH,
        updated_at=_EPOCH,
    )


def contents(
    observations: Iterable[ObservationRecord],
    actions: Iterable[ActionRecord] = (),
    lens: Lens | None = None,
    service: str = "Harbour Street Recovery Service",
    site: str = "Leith",
    participants: Iterable[TeamMember] = (
        TeamMember("Ailsa Grant", Role.LIVED_EXPERIENCE),
        TeamMember("Ravi Shah", Role.STAFF),
        TeamMember("Morag Bell", Role.STAFF),
        TeamMember("Tom Reid", Role.MANAGER),
    ),
    facilitators: Iterable[str] = ("Jo Smith", "Catriona MacLeod"),
) -> WalkthroughContents:
    return WalkthroughContents(
        walkthrough=WalkthroughRecord(
            id="wt-1",
            service=service,
            site=site,
            visit_date=dt.date(2025, 3, 14),
            lens=lens or small_lens(),
            facilitators=tuple(facilitators),
            participants=tuple(participants),
            created_at=_EPOCH,
            updated_at=_EPOCH,
        ),
        observations=tuple(observations),
        actions=tuple(actions),
    )
