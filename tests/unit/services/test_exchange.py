"""Several laptops, one walkthrough: packages passed between them in any order, twice, and tampered with."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.services.test_apply import table_rows
from walkthrough.domain.changes import Entity
from walkthrough.domain.errors import NotFound, PackageError
from walkthrough.services import csv_exchange, exchange, observations, photos, walkthroughs
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.storage import package_file
from walkthrough.storage.database import open_database


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


@pytest.fixture
def laptops(tmp_path: Path):
    """Three laptops: three databases."""
    dbs = [open_database(tmp_path / f"{name}.sqlite3") for name in ("a", "b", "c")]
    yield dbs
    for db in dbs:
        db.close()


def picture(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((160, 120), 30 + seed).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def same_data(x, y) -> bool:
    """The same walkthrough on two laptops: every table but the thumbnails and print renditions (each laptop makes its own)."""
    rx, ry = table_rows(x), table_rows(y)
    for rows in (rx, ry):
        rows["photo"] = [r[:8] + r[9:-1] for r in rows["photo"]]  # without the thumbnail and print_jpeg columns
    return rx == ry


def csv_of(db, walkthrough_id: str) -> str:
    return csv_exchange.observations_csv(db, walkthrough_id)[0]


def test_a_walkthrough_shared_then_edited_on_both_laptops_comes_together(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="Orkney Recovery", site="Kirkwall")
    first = observations.add_observation(a, w.id, NewObservation(
        "entrance", "working-well", note="Clear sign", photos=(prepare_photo(picture(1), "sign.jpg"),)))

    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    joined = exchange.receive_package(b, tmp_path / "join.lwpkg")
    assert joined.joined and joined.new >= 3 and joined.to_decide == 0
    assert same_data(a, b)
    again = exchange.receive_package(b, tmp_path / "join.lwpkg")
    assert again.nothing_new

    # Each laptop records on its own, offline.
    observations.add_observation(a, w.id, NewObservation("reception", "could-be-better", note="Noisy"))
    observations.add_observation(b, w.id, NewObservation("letters", None, note="Letters are long",
                                                         photos=(prepare_photo(picture(2), "letter.jpg"),)))
    observations.update_observation(b, first.id, rating_id="could-be-better")

    exchange.send_changes(a, w.id, tmp_path / "from-a.lwpkg")
    exchange.send_changes(b, w.id, tmp_path / "from-b.lwpkg")
    into_b = exchange.receive_package(b, tmp_path / "from-a.lwpkg")
    into_a = exchange.receive_package(a, tmp_path / "from-b.lwpkg")
    assert (into_a.new, into_b.new) == (2, 1)  # an observation and its photo; an observation
    assert into_a.to_decide == into_b.to_decide == 0
    assert csv_of(a, w.id) == csv_of(b, w.id)
    assert same_data(a, b)
    assert exchange.receive_package(a, tmp_path / "from-b.lwpkg").nothing_new


def test_two_notes_written_apart_are_a_difference_to_decide_shown_alike_on_both(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    obs = observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="before"))
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(b, tmp_path / "join.lwpkg")

    observations.update_observation(a, obs.id, note="A's words")
    observations.update_observation(b, obs.id, note="B's words")
    exchange.send_changes(a, w.id, tmp_path / "a.lwpkg")
    exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
    assert exchange.receive_package(a, tmp_path / "b.lwpkg").to_decide == 1
    assert exchange.receive_package(b, tmp_path / "a.lwpkg").to_decide == 1
    assert observations.get_observation(a, obs.id).note == observations.get_observation(b, obs.id).note
    assert same_data(a, b)


def test_three_laptops_exchanging_in_any_order_and_twice_end_the_same(laptops, test_lens, tmp_path):
    a, b, c = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    for db in (b, c):
        exchange.receive_package(db, tmp_path / "join.lwpkg")
    for n, db in enumerate((a, b, c)):
        obs = observations.add_observation(db, w.id, NewObservation("entrance", "working-well", note=f"from {n}"))
        photos.add_photos(db, obs.id, [prepare_photo(picture(n), f"{n}.jpg")])
    packages = {}
    for name, db in zip("abc", (a, b, c)):
        packages[name] = tmp_path / f"{name}.lwpkg"
        exchange.send_changes(db, w.id, packages[name])
    # c passes a's changes on to b, who never met a: relayed changes travel too.
    exchange.receive_package(c, packages["a"])
    exchange.send_changes(c, w.id, tmp_path / "c2.lwpkg")
    exchange.receive_package(b, tmp_path / "c2.lwpkg")
    assert exchange.receive_package(b, tmp_path / "c2.lwpkg").nothing_new  # twice
    exchange.receive_package(a, packages["c"])
    exchange.receive_package(a, packages["b"])
    exchange.receive_package(c, packages["b"])
    exchange.receive_package(c, packages["b"])
    assert csv_of(a, w.id) == csv_of(b, w.id) == csv_of(c, w.id)
    assert same_data(a, b) and same_data(b, c)
    assert len(observations.list_observations(a, w.id)) == 3


def test_changes_for_one_laptop_are_only_what_it_has_not_seen(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(b, tmp_path / "join.lwpkg")
    exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
    exchange.receive_package(a, tmp_path / "b.lwpkg")  # b told a what it had seen
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="new"))
    [laptop] = exchange.other_devices(a)
    assert laptop.heard_from and laptop.id == history_device(b)
    written = exchange.send_changes(a, w.id, tmp_path / "for-b.lwpkg", to=laptop.name)
    assert written.changes == 1
    assert exchange.receive_package(b, tmp_path / "for-b.lwpkg").new == 1
    with pytest.raises(NotFound, match="devices known here"):
        exchange.send_changes(a, w.id, tmp_path / "x.lwpkg", to="nobody's laptop")


def history_device(db) -> str:
    from walkthrough.services.history import this_device

    return this_device(db).id


def test_a_sealed_package_needs_its_passphrase(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg", passphrase="kirkwall harbour")
    with pytest.raises(PackageError) as caught:
        exchange.receive_package(b, tmp_path / "p.lwpkg", passphrase="wrong")
    assert caught.value.reason == PackageError.WRONG_PASSPHRASE
    assert walkthroughs.list_walkthroughs(b) == []
    assert exchange.receive_package(b, tmp_path / "p.lwpkg", passphrase="kirkwall harbour").joined


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well"))
    exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg")
    said = exchange.receive_package(b, tmp_path / "p.lwpkg", dry_run=True)
    assert said.new == 2 and said.joined
    assert walkthroughs.list_walkthroughs(b) == []


def test_changes_of_a_walkthrough_not_here_or_started_with_another_lens_are_refused(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(b, tmp_path / "join.lwpkg")
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well"))
    # Only the new change: a laptop without the walkthrough cannot take it.
    exchange.receive_package(a, _repack(tmp_path / "join.lwpkg", tmp_path / "seen.lwpkg", lambda h, m, c: (h, m, c)))
    package = tmp_path / "changes.lwpkg"
    exchange.send_changes(a, w.id, package)
    _, _, c = laptops
    with pytest.raises(PackageError) as caught:
        exchange.receive_package(c, _repack(package, tmp_path / "only-new.lwpkg",
                                            lambda h, m, lines: (h, m, [l for l in lines if '"create"' not in l
                                                                        or '"walkthrough"' not in l])))
    assert caught.value.reason == PackageError.NOT_THIS_WALKTHROUGH
    other = _repack(package, tmp_path / "other-lens.lwpkg", lambda h, m, c: ({**h, "lens_hash": "0" * 64}, m, c))
    with pytest.raises(PackageError) as caught:
        exchange.receive_package(b, other)
    assert caught.value.reason == PackageError.OTHER_LENS


RECEIVER = ""


def _repack(source: Path, dest: Path, change) -> Path:
    """The package at ``source`` with its header, manifest and change lines changed by ``change``."""
    with package_file.open_package(source) as package:
        header = {k: v for k, v in package.header.items() if k not in ("format", "sealed")}
        manifest = json.loads(package.read("manifest.json"))
        lines = package.read("changes.jsonl").decode().splitlines()
        members = {n: package.read(n) for n in package.names() if n.startswith("pictures/")}
    header, manifest, lines = change(header, manifest, lines)
    package_file.write_package(dest, header, {"manifest.json": json.dumps(manifest).encode(),
                                              "changes.jsonl": ("\n".join(lines) + "\n").encode(), **members})
    return dest


@pytest.mark.parametrize("tamper, words", [
    (lambda h, m, lines: (h, m, [l.replace('\\"area_id\\":\\"entrance\\"', '\\"area_id\\":\\"cellar\\"')
                                 for l in lines]), "the lens has no area 'cellar'"),
    (lambda h, m, lines: (h, m, [l.replace('"kind": "create"', '"kind": "explode"') if '"observation"' in l else l
                                 for l in lines]), "kind"),
    (lambda h, m, lines: (h, m, [l.replace('"seq": 2', '"seq": -2') for l in lines]), "sequence numbers"),
    (lambda h, m, lines: (h, {**m, "devices": []}, lines), "does not name"),
    (lambda h, m, lines: (h, m, lines + ["not json"]), "not readable"),
    (lambda h, m, lines: (h, {**m, "devices": [*m["devices"], {"id": RECEIVER, "name": "me", "person": ""}]},
                          [lines[0].replace(m["device"]["id"], RECEIVER), *lines[1:]]),
     "claims to have been made on this laptop"),
])
def test_a_tampered_package_is_refused_in_one_line_and_changes_nothing(laptops, test_lens, tmp_path, tamper, words):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="n"))
    exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg")
    global RECEIVER
    RECEIVER = history_device(b)
    bad = _repack(tmp_path / "p.lwpkg", tmp_path / "bad.lwpkg", tamper)
    with pytest.raises(PackageError, match=words) as caught:
        exchange.receive_package(b, bad)
    assert "\n" not in str(caught.value) and "nothing was changed" in str(caught.value)
    assert walkthroughs.list_walkthroughs(b) == []


def test_a_picture_that_does_not_match_its_checksum_or_carries_metadata_is_refused(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well",
                                                         photos=(prepare_photo(picture(1), "p.jpg"),)))
    exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg")
    with package_file.open_package(tmp_path / "p.lwpkg") as package:
        [name] = [n for n in package.names() if n.startswith("pictures/")]
        header = {k: v for k, v in package.header.items() if k not in ("format", "sealed")}
        members = {n: package.read(n) for n in package.names()}
    members[name] = picture(9)
    package_file.write_package(tmp_path / "swapped.lwpkg", header, members)
    with pytest.raises(PackageError, match="does not match its checksum"):
        exchange.receive_package(b, tmp_path / "swapped.lwpkg")
    assert walkthroughs.list_walkthroughs(b) == []


def _apart(laptops, test_lens, tmp_path, on_a, on_b):
    """A walkthrough shared to b; each laptop then changes the observation on its own; both packages crossed."""
    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    obs = observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="before"))
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(b, tmp_path / "join.lwpkg")
    on_a(a, obs.id)
    on_b(b, obs.id)
    exchange.send_changes(a, w.id, tmp_path / "a.lwpkg")
    exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
    exchange.receive_package(a, tmp_path / "b.lwpkg")
    exchange.receive_package(b, tmp_path / "a.lwpkg")
    return w.id, obs.id


def test_a_decision_settles_the_difference_on_every_laptop_that_receives_it(laptops, test_lens, tmp_path):
    from walkthrough.services import differences

    a, b, _ = laptops
    wid, oid = _apart(laptops, test_lens, tmp_path,
                      lambda db, o: observations.update_observation(db, o, rating_id="could-be-better"),
                      lambda db, o: observations.update_observation(db, o, rating_id="priority-concern"))
    [on_a] = differences.list_differences(a, wid)
    [on_b] = differences.list_differences(b, wid)
    assert on_a.id == on_b.id and on_a.field == "rating_id"
    assert {c.value for c in on_a.candidates} == {"could-be-better", "priority-concern"}
    assert [c.value for c in on_a.candidates] == [c.value for c in on_b.candidates]
    kept = next(i for i, c in enumerate(on_a.candidates, 1) if c.value == "could-be-better")
    changes = differences.decide(a, on_a, keep=kept)
    assert changes.fields(Entity.OBSERVATION, oid) == {"rating_id"}
    assert differences.list_differences(a, wid) == []
    assert observations.get_observation(a, oid).rating_id == "could-be-better"
    exchange.send_changes(a, wid, tmp_path / "decided.lwpkg")
    assert exchange.receive_package(b, tmp_path / "decided.lwpkg").to_decide == 0
    assert differences.list_differences(b, wid) == []
    assert observations.get_observation(b, oid).rating_id == "could-be-better"
    assert same_data(a, b)


def test_an_ordinary_edit_of_the_field_settles_it_too(laptops, test_lens, tmp_path):
    from walkthrough.services import differences

    a, _, _ = laptops
    wid, oid = _apart(laptops, test_lens, tmp_path,
                      lambda db, o: observations.update_observation(db, o, note="A"),
                      lambda db, o: observations.update_observation(db, o, note="B"))
    assert len(differences.list_differences(a, wid)) == 1
    observations.update_observation(a, oid, note="A and B, together")
    assert differences.list_differences(a, wid) == []


def test_deleted_on_one_laptop_and_edited_on_the_other_stays_until_a_person_decides(laptops, test_lens, tmp_path):
    from walkthrough.services import differences

    a, b, _ = laptops
    wid, oid = _apart(laptops, test_lens, tmp_path,
                      lambda db, o: observations.delete_observation(db, o),
                      lambda db, o: observations.update_observation(db, o, note="edited meanwhile"))
    for db in (a, b):
        assert observations.get_observation(db, oid).note == "edited meanwhile"
        [difference] = differences.list_differences(db, wid)
        assert difference.about_keeping
    [difference] = differences.list_differences(b, wid)
    deletion = next(i for i, c in enumerate(difference.candidates, 1) if c.change.kind.value == "delete")
    differences.decide(b, difference, keep=deletion)
    with pytest.raises(NotFound):
        observations.get_observation(b, oid)
    exchange.send_changes(b, wid, tmp_path / "gone.lwpkg")
    exchange.receive_package(a, tmp_path / "gone.lwpkg")
    with pytest.raises(NotFound):
        observations.get_observation(a, oid)
    assert differences.list_differences(a, wid) == []


def test_principles_added_apart_are_both_kept_and_a_removal_that_saw_one_wins_over_it(laptops, test_lens, tmp_path):
    a, b, _ = laptops
    wid, oid = _apart(laptops, test_lens, tmp_path,
                      lambda db, o: observations.update_observation(db, o, principle_ids=["trust"]),
                      lambda db, o: observations.update_observation(db, o, principle_ids=["choice"]))
    for db in (a, b):
        assert observations.get_observation(db, oid).principle_ids == ("choice", "trust")
    observations.update_observation(b, oid, principle_ids=["choice"])  # b saw trust, and took it off
    exchange.send_changes(b, wid, tmp_path / "b2.lwpkg")
    exchange.receive_package(a, tmp_path / "b2.lwpkg")
    assert observations.get_observation(a, oid).principle_ids == ("choice",)
    assert same_data(a, b)


def test_a_package_goes_into_a_database_on_a_postgresql_server_and_back(laptops, postgresql_url, test_lens, tmp_path):
    a, _, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="on a laptop",
                                                         photos=(prepare_photo(picture(4), "p.jpg"),)))
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    with open_database(postgresql_url) as server:
        assert exchange.receive_package(server, tmp_path / "join.lwpkg").joined
        assert same_data(a, server)
        observations.add_observation(server, w.id, NewObservation("letters", None, note="on the server"))
        exchange.send_changes(server, w.id, tmp_path / "back.lwpkg")
        assert exchange.receive_package(a, tmp_path / "back.lwpkg").new == 1
        assert csv_of(a, w.id) == csv_of(server, w.id)


KEPT_PACKAGES = Path(__file__).parent / "packages"


def test_a_package_of_every_released_format_is_kept():
    for version in range(1, package_file.FORMAT + 1):
        for kind in ("join", "sealed"):
            assert (KEPT_PACKAGES / f"format-{version}-{kind}.lwpkg").is_file(), "run packages/make.py"


@pytest.mark.parametrize("package", sorted(KEPT_PACKAGES.glob("format-*.lwpkg")), ids=lambda p: p.name)
def test_every_released_package_format_still_comes_in(package, tmp_path):
    """Packages made by every released format (tests/unit/services/packages/make.py) open and come in."""
    from tests.unit.services.packages.make import PASSPHRASE

    with open_database(tmp_path / "new laptop.sqlite3") as db:
        passphrase = PASSPHRASE if "sealed" in package.name else None
        received = exchange.receive_package(db, package, passphrase=passphrase)
        assert received.joined and received.to_decide == 0
        [walk] = walkthroughs.list_walkthroughs(db)
        assert (walk.service, walk.observation_count, walk.photo_count) == ("Harbour Street Health Centre", 1, 1)
        [obs] = observations.list_observations(db, walk.id)
        assert obs.note == "No sign from the road — Sandy 🙂" and obs.principle_ids == ("safety", "trust")
        assert csv_of(db, walk.id).count("to be deleted") == 0
        assert exchange.receive_package(db, package, passphrase=passphrase).nothing_new


def test_a_restored_backup_numbers_its_next_changes_as_a_new_device(tmp_path, test_lens):
    """After a restore the history went back in time; the changes made since may be on other laptops already."""
    from walkthrough.services import backups as backup_service
    from walkthrough.services.history import this_device

    path = tmp_path / "a.sqlite3"
    with open_database(path) as a:
        w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
        before = this_device(a)
    backup = backup_service.back_up(path)
    with open_database(path) as a, open_database(tmp_path / "b.sqlite3") as b:
        observations.add_observation(a, w.id, NewObservation("entrance", "working-well", note="sent, then lost"))
        exchange.share_walkthrough(a, w.id, tmp_path / "sent.lwpkg")
        exchange.receive_package(b, tmp_path / "sent.lwpkg")
    backup_service.restore_database(path, backup)
    with open_database(path) as a, open_database(tmp_path / "b.sqlite3") as b:
        after = this_device(a)
        assert after.id != before.id and after.name == before.name
        observations.add_observation(a, w.id, NewObservation("letters", "working-well", note="made after the restore"))
        exchange.send_changes(a, w.id, tmp_path / "after.lwpkg")
        assert exchange.receive_package(b, tmp_path / "after.lwpkg").new == 1  # no clash with what b has
        assert exchange.receive_package(a, tmp_path / "sent.lwpkg").new == 1  # the lost note comes back too


def test_progress_recorded_on_two_laptops_comes_together_and_two_statuses_are_a_difference(laptops, test_lens,
                                                                                          tmp_path):
    from walkthrough.domain.vocabulary import ActionStatus, OnTrack
    from walkthrough.services import actions
    from walkthrough.services.progress_updates import NewProgressUpdate, add_progress_update, list_progress_updates

    a, b, _ = laptops
    w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
    action = actions.add_action(a, w.id, actions.NewAction("Rewrite the letter", lead="Kim", mat_standards=(4,)))
    exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(b, tmp_path / "join.lwpkg")
    assert actions.get_action(b, action.id).mat_standards == (4,)

    add_progress_update(a, action.id, NewProgressUpdate("Draft out", status=ActionStatus.IN_PROGRESS))
    add_progress_update(b, action.id, NewProgressUpdate("Sent", status=ActionStatus.DONE, on_track=OnTrack.ON_TRACK))
    exchange.send_changes(a, w.id, tmp_path / "a.lwpkg")
    exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
    into_a = exchange.receive_package(a, tmp_path / "b.lwpkg")
    into_b = exchange.receive_package(b, tmp_path / "a.lwpkg")
    assert into_a.new == into_b.new == 1  # the other laptop's update
    assert into_a.to_decide == into_b.to_decide == 1  # the status, set apart
    assert sorted(u.note for u in list_progress_updates(a, action.id)) == ["Draft out", "Sent"]
    assert actions.get_action(a, action.id) == actions.get_action(b, action.id)
    assert same_data(a, b)
