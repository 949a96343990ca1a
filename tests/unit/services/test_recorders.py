"""Who recorded what: each observation's laptop, from its create in the change history."""

from __future__ import annotations

from pathlib import Path

import pytest

from walkthrough.services import exchange, observations, walkthroughs
from walkthrough.services.history import set_device
from walkthrough.services.observations import NewObservation
from walkthrough.services.recorders import RecordingDevice, recorded_by
from walkthrough.storage import package_file
from walkthrough.storage.database import open_database


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


def test_each_observation_is_credited_to_the_laptop_that_recorded_it_not_the_one_that_edited_it(
        test_lens, tmp_path: Path) -> None:
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        me = set_device(a, name="Front desk laptop", person="Morven")
        other = set_device(b, name="Aisha's laptop", person="Aisha")
        w = walkthroughs.create_walkthrough(a, test_lens, service="Orkney Recovery", site="Kirkwall")
        mine = observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="Clear sign"))
        exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
        exchange.receive_package(b, tmp_path / "join.lwpkg")
        theirs = observations.add_observation(b, w.id, NewObservation("letters", None, note="Letters are long"))
        observations.update_observation(b, mine.id, note="Clear sign, but high up")  # an edit is not a recording
        exchange.send_changes(b, w.id, tmp_path / "from-b.lwpkg")
        exchange.receive_package(a, tmp_path / "from-b.lwpkg")

        found = recorded_by(a, w.id)
        assert found == {mine.id: RecordingDevice(me.id, "Front desk laptop", "Morven"),
                         theirs.id: RecordingDevice(other.id, "Aisha's laptop", "Aisha")}
        assert recorded_by(b, w.id) == found


def test_only_the_walkthroughs_own_observations_are_listed(test_lens, tmp_path: Path) -> None:
    with open_database(tmp_path / "a.sqlite3") as a:
        w = walkthroughs.create_walkthrough(a, test_lens, service="Orkney Recovery", site="Kirkwall")
        other = walkthroughs.create_walkthrough(a, test_lens, service="Shetland Recovery", site="Lerwick")
        assert recorded_by(a, w.id) == {}
        o = observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="Sign"))
        observations.add_observation(a, other.id, NewObservation("entrance", "working-well", note="Sign"))
        assert set(recorded_by(a, w.id)) == {o.id}
