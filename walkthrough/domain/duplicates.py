"""Possible duplicates: two laptops that recorded the same thing, each on their own.

When a team walks together, two people may stand at the same prompt and
write much the same note.  Once their packages come together that is two
observations.  The rule here only *offers* them for merging: the same prompt,
recorded on different laptops, with notes alike enough
(:data:`SIMILAR_NOTES`).  Nothing is merged unless a person says so
(:func:`walkthrough.services.duplicates.merge_duplicates`).

Plain Python: no database, no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from walkthrough.domain.records import ObservationRecord

__all__ = ["SIMILAR_NOTES", "PossibleDuplicate", "combined_note", "note_similarity", "possible_duplicates"]

#: Notes at least this alike (shared words over all their words) are offered as one observation.
SIMILAR_NOTES = 0.5

_WORD = re.compile(r"\w+")


def _words(note: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", note).casefold()
    return {w for w in _WORD.findall("".join(c for c in folded if not unicodedata.combining(c))) if len(w) > 2}


def note_similarity(a: str, b: str) -> float:
    """How alike two notes are, 0 to 1: the words (of three letters or more) they share over all their words."""
    first, second = _words(a), _words(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two observations that may record the same thing: ``first`` recorded earlier than ``second``."""

    first_id: str
    second_id: str
    similarity: float


def possible_duplicates(observations: Sequence[ObservationRecord],
                        recorded_on: Mapping[str, str]) -> list[PossibleDuplicate]:
    """Pairs of observations on the same prompt, recorded on different laptops, with notes alike enough.

    ``recorded_on`` maps an observation's id to the device it was recorded
    on; observations it does not name are left out (who recorded them is
    not known).  Most alike first.
    """
    by_prompt: dict[tuple[str, str], list[ObservationRecord]] = {}
    for o in observations:
        if o.prompt_id is not None and o.id in recorded_on:
            by_prompt.setdefault((o.area_id, o.prompt_id), []).append(o)
    found: list[PossibleDuplicate] = []
    for group in by_prompt.values():
        group.sort(key=lambda o: (o.created_at, o.id))
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if recorded_on[first.id] == recorded_on[second.id]:
                    continue
                similarity = note_similarity(first.note, second.note)
                if similarity >= SIMILAR_NOTES:
                    found.append(PossibleDuplicate(first.id, second.id, similarity))
    found.sort(key=lambda d: (-d.similarity, d.first_id, d.second_id))
    return found


def combined_note(parts: Sequence[tuple[str, str]]) -> str:
    """Notes put together, each part with its author (``(author, note)`` pairs; empty notes left out)."""
    kept = [(author, note.strip()) for author, note in parts if note.strip()]
    if len(kept) == 1:
        return kept[0][1]
    return "\n\n".join(f"{author}: {note}" if author else note for author, note in kept)
