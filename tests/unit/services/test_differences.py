"""Differences to decide, counted by observation (for the Walk page's areas and observations)."""

from __future__ import annotations

from pathlib import Path

from tests.unit.services.test_exchange import picture
from walkthrough.services import differences, exchange, observations, photos, walkthroughs
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.storage.database import open_database


def test_each_observation_counts_its_own_and_its_photos_differences(test_lens, tmp_path: Path) -> None:
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
        sign = observations.add_observation(a, w.id, NewObservation(
            "entrance", "working-well", note="before", photos=(prepare_photo(picture(1), "sign.jpg"),)))
        quiet = observations.add_observation(a, w.id, NewObservation("reception", "working-well", note="calm"))
        assert differences.differences_by_observation(a, w.id) == {}  # one laptop: none, without folding
        exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
        exchange.receive_package(b, tmp_path / "join.lwpkg")
        [photo_id] = [p.id for p in observations.get_observation(a, sign.id).photos]
        for db, words in ((a, "A's"), (b, "B's")):
            observations.update_observation(db, sign.id, note=f"{words} note")
            photos.set_caption(db, photo_id, f"{words} caption")
            observations.update_observation(db, quiet.id, rating_id="could-be-better")  # the same: no difference
        exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
        exchange.receive_package(a, tmp_path / "b.lwpkg")

        assert differences.differences_by_observation(a, w.id) == {sign.id: 2}
        for difference in differences.list_differences(a, w.id):
            differences.decide(a, difference, keep=1)
        assert differences.differences_by_observation(a, w.id) == {}
