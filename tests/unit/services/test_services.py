"""Services and their walks: filing, listing, renaming, merging, walking again; the upgrade that made them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.unit.services.test_replay import assert_replays_to_the_same_rows
from tests.unit.storage.test_database import _database_at_revision
from walkthrough.domain.changes import ChangeKind, Entity
from walkthrough.domain.errors import EmptyValue, InvalidInput, NotFound
from walkthrough.domain.models import Service, Walkthrough
from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Role
from walkthrough.services import actions, exchange, history, services, walkthroughs
from walkthrough.services.lens_catalog import LensCatalog, LensEntry
from walkthrough.storage import database as database_module
from walkthrough.storage.database import open_database


@pytest.fixture
def target(tmp_path: Path):
    database = open_database(tmp_path / "target.sqlite3")
    yield database
    database.close()


def _one(db, name: str):
    return next(s for s in services.list_services(db) if s.name == name)


def test_walks_of_one_service_name_are_filed_under_one_service_with_its_sites(db, test_lens):
    a = walkthroughs.create_walkthrough(db, test_lens, service="Harbour Project", site="Leith",
                                       visit_date=dt.date(2026, 3, 1))
    b = walkthroughs.create_walkthrough(db, test_lens, service="  harbour   project ", site="Dundee",
                                       visit_date=dt.date(2026, 10, 1))
    other = walkthroughs.create_walkthrough(db, test_lens, service="Orkney Recovery", site="Kirkwall",
                                           visit_date=dt.date(2026, 5, 1))
    assert a.service_id == b.service_id != other.service_id
    assert b.service == "Harbour Project"  # the service's own name
    actions.add_action(db, a.id, actions.NewAction("Fix the door"))
    done = actions.add_action(db, b.id, actions.NewAction("Sign the entrance"))
    actions.update_action(db, done.id, status=ActionStatus.DONE)
    listed = services.list_services(db)
    assert [s.name for s in listed] == ["Harbour Project", "Orkney Recovery"]  # walked most recently first
    harbour = listed[0]
    assert (harbour.sites, harbour.walk_count, harbour.open_actions, harbour.last_visit) == (
        ("Dundee", "Leith"), 2, 1, dt.date(2026, 10, 1))
    summaries = {w.id: w for w in walkthroughs.list_walkthroughs(db)}
    assert summaries[a.id].service_name == "Harbour Project" and summaries[a.id].open_actions == 1


def test_a_service_made_by_hand_is_chosen_by_id_and_empty_names_are_refused(db, test_lens):
    made = services.create_service(db, "Crisis Line", organisation="NHS Orkney")
    w = walkthroughs.create_walkthrough(db, test_lens, service="", site="Phone", service_id=made.id)
    assert (w.service_id, w.service) == (made.id, "Crisis Line")
    with pytest.raises(EmptyValue, match="service"):
        services.create_service(db, "   ")
    with pytest.raises(NotFound, match="service"):
        walkthroughs.create_walkthrough(db, test_lens, service="", site="Phone", service_id="nope")
    assert services.resolve_service_id(db, made.id[:6]) == made.id


def test_renaming_a_service_renames_its_walks_and_is_recorded(db, target, test_lens):
    w = walkthroughs.create_walkthrough(db, test_lens, service="Harbor", site="Leith")
    with history.collect_changes() as collected:
        services.rename_service(db, w.service_id, name="Harbour", organisation="Harbour Trust")
    assert collected.changes.fields(Entity.SERVICE, w.service_id) == {"name", "organisation"}
    assert collected.changes.fields(Entity.WALKTHROUGH, w.id) == {"service"}
    assert walkthroughs.get_walkthrough(db, w.id).service == "Harbour"
    assert _one(db, "Harbour").organisation == "Harbour Trust"
    assert {(c.field, c.value) for c in history.list_history(db, w.service_id) if c.kind is ChangeKind.SET} == {
        ("name", "Harbour"), ("organisation", "Harbour Trust")}
    assert_replays_to_the_same_rows(db, target)


def test_correcting_a_walks_service_name_renames_its_own_service_or_files_it_under_the_named_one(db, test_lens):
    first = walkthroughs.create_walkthrough(db, test_lens, service="Harbor", site="Leith")
    walkthroughs.update_walkthrough(db, first.id, service="Harbour")  # a typo, its service's only walk
    assert walkthroughs.get_walkthrough(db, first.id).service_id == first.service_id
    assert [s.name for s in services.list_services(db)] == ["Harbour"]
    second = walkthroughs.create_walkthrough(db, test_lens, service="Orkney", site="Kirkwall")
    walkthroughs.update_walkthrough(db, second.id, service="harbour")
    moved = walkthroughs.get_walkthrough(db, second.id)
    assert (moved.service_id, moved.service) == (first.service_id, "Harbour")


def test_merging_two_services_moves_the_walks_and_the_history_replays(db, target, test_lens):
    keep = walkthroughs.create_walkthrough(db, test_lens, service="Harbour Project", site="Leith")
    other = walkthroughs.create_walkthrough(db, test_lens, service="The Harbour", site="Leith")
    actions.add_action(db, other.id, actions.NewAction("Fix the door"))
    with history.collect_changes() as collected:
        services.merge_services(db, keep.service_id, other.service_id)
    assert collected.changes.was_deleted(Entity.SERVICE, other.service_id)
    assert collected.changes.fields(Entity.WALKTHROUGH, other.id) == {"service_id", "service"}
    moved = walkthroughs.get_walkthrough(db, other.id)
    assert (moved.service_id, moved.service) == (keep.service_id, "Harbour Project")
    (merged,) = services.list_services(db)
    assert (merged.walk_count, merged.open_actions) == (2, 1)
    assert history.list_history(db, other.service_id)[0].kind is ChangeKind.DELETE
    with pytest.raises(InvalidInput, match="itself"):
        services.merge_services(db, keep.service_id, keep.service_id)
    with pytest.raises(NotFound, match="service"):
        services.merge_services(db, keep.service_id, other.service_id)
    assert_replays_to_the_same_rows(db, target)


def test_walking_again_keeps_service_site_and_team_and_takes_the_newer_lens_with_the_same_prompts(db, test_lens):
    first = walkthroughs.create_walkthrough(db, test_lens, service="Harbour", site="Leith",
                                           visit_date=dt.date(2026, 3, 1), facilitators=["Ana"],
                                           participants=[TeamMember("Lee", Role.LIVED_EXPERIENCE)])
    open_one = actions.add_action(db, first.id, actions.NewAction("Fix the door"))
    done = actions.add_action(db, first.id, actions.NewAction("Sign the entrance"))
    actions.update_action(db, done.id, status=ActionStatus.DONE)
    newer = test_lens.model_copy(update={"version": "2.1"})
    catalog = LensCatalog(entries=(LensEntry(newer, Path("test-lens.yaml"), bundled=True),), problems=())
    again = services.walk_again(db, first.id, visit_date=dt.date(2026, 10, 1), catalog=catalog)
    assert (again.service_id, again.site, again.follows_id, again.visit_date) == (
        first.service_id, "Leith", first.id, dt.date(2026, 10, 1))
    assert again.facilitators == ("Ana",) and again.participants == first.participants
    assert again.lens.version == "2.1"
    assert [a.id for a in services.open_actions_of(db, again.follows_id)] == [open_one.id]
    # A "newer" lens that asks none of the same prompts is another lens: the walk keeps its own.
    area = test_lens.areas[0]
    renamed = area.model_copy(update={"prompts": tuple(p.model_copy(update={"id": p.id + "-new"})
                                                       for p in area.prompts)})
    unrelated = test_lens.model_copy(update={"version": "9.0", "areas": (renamed,)})
    assert services.walk_again_lens(test_lens, LensCatalog((LensEntry(unrelated, Path("x"), True),), ())) \
        is test_lens
    older = test_lens.model_copy(update={"version": "1.9"})
    assert services.walk_again_lens(test_lens, LensCatalog((LensEntry(older, Path("x"), True),), ())) is test_lens
    with pytest.raises(NotFound, match="walkthrough"):
        services.walk_again(db, "no-such-walk")


def test_a_shared_walkthrough_arrives_with_its_service(tmp_path, test_lens):
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        w = walkthroughs.create_walkthrough(a, test_lens, service="Harbour", site="Leith")
        services.rename_service(a, w.service_id, organisation="Harbour Trust")
        exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg")
        exchange.receive_package(b, tmp_path / "p.lwpkg")
        assert walkthroughs.get_walkthrough(b, w.id).service_id == w.service_id
        (arrived,) = services.list_services(b)
        assert (arrived.id, arrived.name, arrived.organisation, arrived.walk_count) == (
            w.service_id, "Harbour", "Harbour Trust", 1)


def test_upgrading_a_0003_database_makes_one_service_per_service_and_site_and_still_replays(tmp_path, target,
                                                                                            test_lens):
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0002_observation_not_rated_yet")
    conn = sqlite3.connect(path)
    stamp = "2026-01-01 00:00:00"
    for wid, service, site in (("w1", "Harbour", "Leith"), ("w2", "Harbour", "Leith"), ("w3", "Harbour", "Dundee"),
                               ("w4", "Orkney", "Kirkwall")):
        conn.execute("INSERT INTO walkthrough VALUES (?,?,?,'2026-01-01','test-lens','2.0','Test lens',?,?,?)",
                     (wid, service, site, test_lens.to_snapshot(), stamp, stamp))
    conn.execute("INSERT INTO action VALUES ('a','w1','Fix the door','',NULL,'high','not-started',NULL,0,?,?)",
                 (stamp, stamp))
    conn.commit()
    conn.close()
    engine = create_engine(f"sqlite:///{path}")
    config = database_module._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_change_history")
    engine.dispose()

    with open_database(path) as db:
        with db.sessions.begin() as session:
            filed = dict(session.execute(select(Walkthrough.id, Walkthrough.service_id)).all())
            names = dict(session.execute(select(Service.id, Service.name)).all())
        assert filed["w1"] == filed["w2"] and len({filed["w1"], filed["w3"], filed["w4"]}) == 3
        assert sorted(names.values()) == ["Harbour", "Harbour", "Orkney"]
        assert {(s.name, s.sites, s.walk_count, s.open_actions) for s in services.list_services(db)} == {
            ("Harbour", ("Leith",), 2, 1), ("Harbour", ("Dundee",), 1, 0), ("Orkney", ("Kirkwall",), 1, 0)}
        assert_replays_to_the_same_rows(db, target)
        # And after merging the two by hand, still.
        services.merge_services(db, filed["w1"], filed["w3"])
        with open_database(tmp_path / "second.sqlite3") as second:
            assert_replays_to_the_same_rows(db, second)


def test_a_package_whose_service_changes_would_land_in_another_walkthroughs_history_is_refused(tmp_path,
                                                                                               test_lens):
    from tests.unit.services.test_exchange import _repack
    from walkthrough.domain.errors import PackageError

    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        w = walkthroughs.create_walkthrough(a, test_lens, service="Harbour", site="Leith")
        exchange.share_walkthrough(a, w.id, tmp_path / "p.lwpkg")
        there = walkthroughs.create_walkthrough(b, test_lens, service="Orkney", site="Kirkwall")

        def under(target: str):
            return lambda h, m, lines: (h, m, [line.replace(w.service_id, target) for line in lines])

        for target in (there.id, w.id):  # another walkthrough's history; its own walkthrough's
            bad = _repack(tmp_path / "p.lwpkg", tmp_path / "bad.lwpkg", under(target))
            with pytest.raises(PackageError, match="service") as caught:
                exchange.receive_package(b, bad)
            assert "nothing was changed" in str(caught.value)
        assert [x.id for x in walkthroughs.list_walkthroughs(b)] == [there.id]
        assert len(history.list_history(b, there.id)) == 2
