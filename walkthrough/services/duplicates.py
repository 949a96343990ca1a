"""Possible duplicates offered for merging, and merging two observations when a person says so.

Two laptops that recorded the same prompt with notes alike
(:mod:`walkthrough.domain.duplicates`) are offered, never merged on their
own.  Merging keeps the first observation: the principles of both, the
photos of both (the second's copied onto it), the two notes combined with
each part's author (who recorded it), and the second's rating when the first
has none; the second observation is then deleted.  Each part is recorded in
the change history, so the merge reaches the other laptops like any edit;
:meth:`walkthrough.services.undo.UndoHistory.merge_duplicates` makes it one
undoable step.
"""

from __future__ import annotations

from dataclasses import replace

from walkthrough.domain.duplicates import PossibleDuplicate, combined_note, possible_duplicates
from walkthrough.domain.errors import InvalidInput
from walkthrough.domain.models import new_id
from walkthrough.services import observations as observation_service
from walkthrough.services.observations import ObservationBundle
from walkthrough.services.recorders import RecordingDevice, recorded_by
from walkthrough.storage.database import Database

__all__ = ["find_possible_duplicates", "merge_duplicates", "merged_bundle"]


def find_possible_duplicates(db: Database, walkthrough_id: str) -> list[PossibleDuplicate]:
    """The walkthrough's observations that may record the same thing twice, most alike first."""
    recorders = recorded_by(db, walkthrough_id)
    observations = observation_service.list_observations(db, walkthrough_id)
    return possible_duplicates(observations, {o: d.id for o, d in recorders.items()})


def _author(device: RecordingDevice | None) -> str:
    if device is None:
        return ""
    return device.person or device.name


def merged_bundle(first: ObservationBundle, second: ObservationBundle,
                  recorders: dict[str, RecordingDevice]) -> ObservationBundle:
    """``first`` as it is once ``second`` is merged into it (``second``'s photos copied, under new ids).

    Raises:
        InvalidInput: the two are one, or not of the same walkthrough and prompt.
    """
    a, b = first.record, second.record
    if a.id == b.id or a.walkthrough_id != b.walkthrough_id or (a.area_id, a.prompt_id) != (b.area_id, b.prompt_id):
        raise InvalidInput("only two observations of the same prompt can be merged")
    note = combined_note([(_author(recorders.get(a.id)), a.note), (_author(recorders.get(b.id)), b.note)])
    start = max((p.position for p, _, _ in first.photos), default=-1) + 1
    copied = tuple((replace(p, id=new_id(), observation_id=a.id, position=start + i, created_at=None), jpeg, thumb)
                   for i, (p, jpeg, thumb) in enumerate(second.photos))
    record = replace(a, note=note, rating_id=a.rating_id if a.rating_id is not None else b.rating_id,
                     principle_ids=tuple(sorted(set(a.principle_ids) | set(b.principle_ids))))
    return ObservationBundle(record, first.photos + copied, first.action_ids)


def merge_duplicates(db: Database, first_id: str, second_id: str) -> tuple[ObservationBundle, ObservationBundle,
                                                                          ObservationBundle]:
    """Merge ``second_id`` into ``first_id`` (recorded); returns the first before, the first after, and the second.

    Raises:
        NotFound: either observation is not there.
        InvalidInput: the two are one, or not of the same walkthrough and prompt.
    """
    first = observation_service.read_observation_bundle(db, first_id)
    second = observation_service.read_observation_bundle(db, second_id)
    merged = merged_bundle(first, second, recorded_by(db, first.record.walkthrough_id))
    # The first gains everything before the second goes: stopped midway, nothing is lost.
    observation_service.replace_observation(db, merged)
    after = observation_service.read_observation_bundle(db, first_id)
    observation_service.take_out_observation(db, second_id)
    return first, after, second
