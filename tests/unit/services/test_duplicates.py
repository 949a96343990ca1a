"""Merging a possible duplicate: offered, then merged only when asked, recorded, undone and redone, passed on."""

from __future__ import annotations

from pathlib import Path

from tests.unit.services.test_exchange import csv_of, picture
from walkthrough.services import exchange, observations, walkthroughs
from walkthrough.services.duplicates import find_possible_duplicates
from walkthrough.services.history import set_device
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.services.undo import UndoHistory
from walkthrough.storage.database import open_database


def test_two_laptops_at_one_prompt_are_offered_and_merged_only_when_asked(test_lens, tmp_path: Path) -> None:
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        set_device(a, name="Front desk laptop", person="Morven")
        set_device(b, name="Aisha's laptop", person="Aisha")
        w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
        exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
        exchange.receive_package(b, tmp_path / "join.lwpkg")
        mine = observations.add_observation(a, w.id, NewObservation(
            "entrance", None, "entrance-clear", ("safety",), "The sign by the door is small and faded",
            photos=(prepare_photo(picture(1), "sign.jpg"),)))
        theirs = observations.add_observation(b, w.id, NewObservation(
            "entrance", "could-be-better", "entrance-clear", ("trust",), "Sign by the door: faded, small",
            photos=(prepare_photo(picture(2), "door.jpg"),)))
        exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
        exchange.receive_package(a, tmp_path / "b.lwpkg")

        [offered] = find_possible_duplicates(a, w.id)
        assert (offered.first_id, offered.second_id) == (mine.id, theirs.id)
        assert len(observations.list_observations(a, w.id)) == 2  # offered, not merged

        undo = UndoHistory(a, w.id)
        done = undo.merge_duplicates(offered.first_id, offered.second_id)
        assert done.step is not None and done.step.key == "merge_duplicates"
        [merged] = observations.list_observations(a, w.id)
        assert merged.id == mine.id
        assert merged.note == "Morven: The sign by the door is small and faded\n\nAisha: Sign by the door: faded, small"
        assert merged.principle_ids == ("safety", "trust")
        assert merged.rating_id == "could-be-better"  # the first had none
        assert sorted(p.original_name for p in merged.photos) == ["door.jpg", "sign.jpg"]
        assert find_possible_duplicates(a, w.id) == []

        undo.undo()
        back = {o.id: o for o in observations.list_observations(a, w.id)}
        assert set(back) == {mine.id, theirs.id}
        assert back[mine.id].note == mine.note and back[mine.id].principle_ids == ("safety",)
        assert [p.original_name for p in back[mine.id].photos] == ["sign.jpg"]
        assert [p.original_name for p in back[theirs.id].photos] == ["door.jpg"]
        undo.redo()
        assert [o.id for o in observations.list_observations(a, w.id)] == [mine.id]

        # Recorded: the other laptop gets the merge with the next package.
        exchange.send_changes(a, w.id, tmp_path / "a.lwpkg")
        exchange.receive_package(b, tmp_path / "a.lwpkg")
        assert csv_of(a, w.id) == csv_of(b, w.id)
        assert [o.id for o in observations.list_observations(b, w.id)] == [mine.id]
