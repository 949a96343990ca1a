"""Folding a thing's changes: the same result in any order, differences kept for a person to decide."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock
from walkthrough.domain.merge import KEPT_OR_DELETED, fold

CREATED = {"note": "first", "rating_id": None, "principle_ids": ["safety"], "voice": "staff"}


def change(ident: str, device: str, wall: int, kind: ChangeKind, field: str | None = None, value=None,
           replaces: tuple[str, ...] = (), seq: int | None = None) -> Change:
    return Change(id=ident, device_id=device, device_name=device, person="", seq=wall if seq is None else seq,
                  clock=Clock(wall),
                  walkthrough_id="w", entity=Entity.OBSERVATION, entity_id="o", parent_id=None, kind=kind,
                  field=field, value=value, replaces=replaces)


create = change("c", "A", 1, ChangeKind.CREATE, value=CREATED)


def test_one_laptop_s_edits_give_the_latest_values() -> None:
    folded = fold([create, change("n1", "A", 2, ChangeKind.SET, "note", "second", ("c",)),
                   change("n2", "A", 3, ChangeKind.SET, "note", "third", ("n1",)),
                   change("r1", "A", 4, ChangeKind.SET, "rating_id", "good", ("c",))])
    assert folded.exists and not folded.differences
    assert folded.values["note"] == "third" and folded.values["rating_id"] == "good"


def test_two_notes_written_without_seeing_each_other_are_a_difference_shown_the_same_everywhere() -> None:
    a = change("a", "A", 5, ChangeKind.SET, "note", "from A", ("c",))
    b = change("b", "B", 7, ChangeKind.SET, "note", "from B", ("c",))
    for order in ([create, a, b], [b, create, a], [a, b, create]):
        folded = fold(order)
        assert folded.values["note"] == "from B"  # the later clock is shown meanwhile
        [difference] = folded.differences
        assert difference.field == "note" and [c.id for c in difference.candidates] == ["b", "a"]


def test_a_decision_replaces_both_and_settles_it() -> None:
    a = change("a", "A", 5, ChangeKind.SET, "note", "from A", ("c",))
    b = change("b", "B", 7, ChangeKind.SET, "note", "from B", ("c",))
    decided = change("d", "C", 6, ChangeKind.SET, "note", "from A", ("a", "b"))  # an earlier clock still wins
    folded = fold([decided, b, a, create])
    assert folded.values["note"] == "from A" and not folded.differences


def test_the_same_value_written_twice_is_no_difference() -> None:
    folded = fold([create, change("a", "A", 5, ChangeKind.SET, "voice", "manager", ("c",)),
                   change("b", "B", 6, ChangeKind.SET, "voice", "manager", ("c",))])
    assert folded.values["voice"] == "manager" and not folded.differences


def test_adding_a_link_wins_over_a_removal_that_had_not_seen_it() -> None:
    added = change("l", "A", 5, ChangeKind.LINK, "principle_ids", "trust", ("c",))
    removed_unseen = change("u", "B", 6, ChangeKind.UNLINK, "principle_ids", "trust", ("c",))
    removed_seen = change("u2", "B", 8, ChangeKind.UNLINK, "principle_ids", "safety", ("c",))
    assert fold([create, added, removed_unseen, removed_seen]).values["principle_ids"] == ["trust"]
    removed_after = change("u3", "A", 9, ChangeKind.UNLINK, "principle_ids", "trust", ("l",))
    assert fold([create, added, removed_after]).values["principle_ids"] == ["safety"]


def test_a_deletion_that_had_not_seen_an_edit_is_a_difference_and_the_thing_stays() -> None:
    edit = change("e", "B", 5, ChangeKind.SET, "note", "edited on B", ("c",))
    deletion = change("x", "A", 6, ChangeKind.DELETE, replaces=("c",))
    folded = fold([create, edit, deletion])
    assert folded.exists and folded.values["note"] == "edited on B"
    [difference] = folded.differences
    assert difference.field == KEPT_OR_DELETED and [c.id for c in difference.candidates] == ["x", "e"]
    # A deletion made after seeing the edit is just a deletion.
    assert not fold([create, edit, change("x2", "A", 7, ChangeKind.DELETE, replaces=("e",))]).exists


def test_putting_a_deleted_thing_back_brings_it_back() -> None:
    deletion = change("x", "A", 6, ChangeKind.DELETE, replaces=("c",))
    again = change("c2", "A", 7, ChangeKind.CREATE, value={**CREATED, "note": "back"}, replaces=("x",))
    assert fold([create, deletion]).exists is False
    folded = fold([again, create, deletion])
    assert folded.exists and folded.values["note"] == "back"


def test_a_change_to_something_not_yet_known_waits() -> None:
    later = change("n2", "A", 3, ChangeKind.SET, "note", "third", ("n1",))
    folded = fold([create, later])
    assert folded.values["note"] == "first" and [c.id for c in folded.waiting] == ["n2"]
    assert fold([create, later, change("n1", "A", 2, ChangeKind.SET, "note", "second", ("c",))]).values["note"] \
        == "third"


def test_erased_content_folds_to_nothing() -> None:
    erased = change("c", "A", 1, ChangeKind.CREATE, value=None)
    assert not fold([erased, change("x", "A", 2, ChangeKind.DELETE, replaces=("c",))]).exists


@st.composite
def histories(draw) -> list[Change]:
    """Edits on three laptops, each seeing some of the others' earlier changes."""
    changes = [create]
    for n in range(draw(st.integers(1, 12))):
        device = draw(st.sampled_from("ABC"))
        field = draw(st.sampled_from(["note", "rating_id", "principle_ids"]))
        same = [c for c in changes if c.field == field or c.kind is ChangeKind.CREATE]
        seen = tuple(sorted({c.id for c in draw(st.lists(st.sampled_from(same), min_size=1, max_size=3))}))
        if field == "principle_ids":
            kind = draw(st.sampled_from([ChangeKind.LINK, ChangeKind.UNLINK]))
            value = draw(st.sampled_from(["safety", "trust", "choice"]))
        else:
            kind, value = ChangeKind.SET, draw(st.sampled_from(["x", "y", "z"]))
        changes.append(change(f"{device}{n}", device, draw(st.integers(2, 30)), kind, field, value, seen, seq=n + 2))
    return changes


@given(histories(), st.randoms(use_true_random=False))
def test_any_order_of_the_same_changes_folds_to_the_same_thing(changes: list[Change], rng: random.Random) -> None:
    shuffled = list(changes)
    rng.shuffle(shuffled)
    assert fold(shuffled) == fold(changes)
    assert fold(changes + changes[:3]) == fold(changes)  # a change brought in twice counts once


@pytest.fixture
def db(any_db):
    return any_db


def test_folding_what_the_services_recorded_gives_what_they_stored(db, walkthrough_id) -> None:
    """One laptop: the fold of each thing's history is the thing as stored."""
    from walkthrough.services import history, observations
    from walkthrough.services.observations import NewObservation

    obs = observations.add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="a"))
    observations.update_observation(db, obs.id, note="b", principle_ids=["trust", "choice"])
    observations.update_observation(db, obs.id, rating_id=None)
    bundle = observations.take_out_observation(db, obs.id)
    observations.put_back_observation(db, bundle)
    observations.update_observation(db, obs.id, note="after undo", principle_ids=["safety"])
    stored = observations.get_observation(db, obs.id)
    folded = fold(c for c in history.list_history(db, walkthrough_id, obs.id, with_photos=False))
    assert folded.exists and not folded.differences and not folded.waiting
    assert {k: folded.values[k] for k in ("note", "rating_id", "principle_ids", "voice")} == {
        "note": stored.note, "rating_id": stored.rating_id, "principle_ids": list(stored.principle_ids),
        "voice": stored.voice.value}
    observations.delete_observation(db, obs.id)
    assert not fold(history.list_history(db, walkthrough_id, obs.id, with_photos=False)).exists


def test_the_order_on_screen_is_never_a_difference_the_latest_wins() -> None:
    created = change("c", "A", 1, ChangeKind.CREATE, value={**CREATED, "position": 0})
    folded = fold([created, change("a", "A", 5, ChangeKind.SET, "position", 3, ("c",)),
                   change("b", "B", 6, ChangeKind.SET, "position", 1, ("c",))])
    assert folded.values["position"] == 1 and not folded.differences
