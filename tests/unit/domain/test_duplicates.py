"""Possible duplicates: same prompt, different laptops, notes alike — offered, never decided here."""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.duplicates import combined_note, note_similarity, possible_duplicates
from walkthrough.domain.records import ObservationRecord
from walkthrough.domain.vocabulary import Voice


def observation(oid: str, note: str, prompt: str | None = "entrance-clear", minute: int = 0) -> ObservationRecord:
    at = dt.datetime(2026, 12, 7, 10, minute, tzinfo=dt.timezone.utc)
    return ObservationRecord(oid, "w", "entrance", prompt, None, (), note, Voice.OTHER, 0, at, at)


def test_notes_alike_share_most_of_their_words_whatever_the_case_and_accents() -> None:
    assert note_similarity("The sign by the door is faded", "the SIGN by the door is fadéd") == 1.0
    assert note_similarity("The sign by the door is faded", "Reception was loud and busy") == 0.0
    assert note_similarity("", "anything") == 0.0


def test_offered_only_on_the_same_prompt_from_different_laptops_with_notes_alike() -> None:
    first = observation("a", "Sign by the door is small and faded", minute=1)
    second = observation("b", "The sign by the door is faded and small", minute=2)
    same_laptop = observation("c", "Sign by the door is small and faded, again", minute=3)
    other_prompt = observation("d", "Sign by the door is small and faded", prompt="entrance-welcome")
    free = observation("e", "Sign by the door is small and faded", prompt=None)
    unlike = observation("f", "Reception was loud", minute=4)
    recorded_on = {"a": "laptop-1", "b": "laptop-2", "c": "laptop-1", "d": "laptop-2", "e": "laptop-2",
                   "f": "laptop-2"}
    found = possible_duplicates([second, first, same_laptop, other_prompt, free, unlike], recorded_on)
    assert [(d.first_id, d.second_id) for d in found] == [("a", "b"), ("b", "c")]
    assert found[0].similarity >= found[1].similarity
    assert possible_duplicates([first, second], {"a": "laptop-1"}) == []  # who recorded b is not known


def test_combined_notes_name_each_part_s_author() -> None:
    assert combined_note([("Morven", "Faded sign"), ("Aisha", "Sign is small ")]) == \
        "Morven: Faded sign\n\nAisha: Sign is small"
    assert combined_note([("Morven", "Faded sign"), ("Aisha", "  ")]) == "Faded sign"
