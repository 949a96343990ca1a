"""Random work on three laptops, packages passed in any order and twice: every copy ends the same."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.services.test_exchange import csv_of, same_data
from walkthrough.domain.errors import NotFound
from walkthrough.services import differences, exchange, observations, walkthroughs
from walkthrough.services.observations import NewObservation
from walkthrough.storage import package_file
from walkthrough.storage.database import open_database

LAPTOPS = 3
step = st.one_of(
    st.tuples(st.just("add"), st.integers(0, LAPTOPS - 1), st.sampled_from(["entrance", "reception", "letters"])),
    st.tuples(st.just("note"), st.integers(0, LAPTOPS - 1), st.integers(0, 5), st.sampled_from(["x", "y", "z"])),
    st.tuples(st.just("rating"), st.integers(0, LAPTOPS - 1), st.integers(0, 5),
              st.sampled_from(["working-well", "could-be-better", None])),
    st.tuples(st.just("principles"), st.integers(0, LAPTOPS - 1), st.integers(0, 5),
              st.lists(st.sampled_from(["safety", "trust", "choice"]), unique=True)),
    st.tuples(st.just("delete"), st.integers(0, LAPTOPS - 1), st.integers(0, 5)),
    st.tuples(st.just("undo-delete"), st.integers(0, LAPTOPS - 1), st.integers(0, 5)),
    st.tuples(st.just("send"), st.integers(0, LAPTOPS - 1), st.integers(0, LAPTOPS - 1), st.booleans()),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=3, max_size=16), order=st.permutations(range(LAPTOPS)))
def test_random_work_on_three_laptops_converges(tmp_path_factory, test_lens, monkeypatch, steps, order):
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)
    folder = tmp_path_factory.mktemp("laptops")
    dbs = [open_database(folder / f"{n}.sqlite3") for n in range(LAPTOPS)]
    try:
        _run(folder, dbs, test_lens, steps, order)
    finally:
        for db in dbs:
            db.close()


def _run(folder: Path, dbs, test_lens, steps, order) -> None:
    counter = itertools.count()
    w = walkthroughs.create_walkthrough(dbs[0], test_lens, service="S", site="T")
    exchange.share_walkthrough(dbs[0], w.id, folder / "join.lwpkg")
    for db in dbs[1:]:
        exchange.receive_package(db, folder / "join.lwpkg")
    taken_out: list[list] = [[] for _ in dbs]

    def pick(db, n: int):
        found = observations.list_observations(db, w.id)
        return found[n % len(found)].id if found else None

    for kind, laptop, *rest in steps:
        db = dbs[laptop]
        try:
            if kind == "add":
                observations.add_observation(db, w.id, NewObservation(rest[0], "working-well", note="new"))
            elif kind == "note" and (oid := pick(db, rest[0])):
                observations.update_observation(db, oid, note=rest[1])
            elif kind == "rating" and (oid := pick(db, rest[0])):
                observations.update_observation(db, oid, rating_id=rest[1])
            elif kind == "principles" and (oid := pick(db, rest[0])):
                observations.update_observation(db, oid, principle_ids=rest[1])
            elif kind == "delete" and (oid := pick(db, rest[0])):
                taken_out[laptop].append(observations.take_out_observation(db, oid))
            elif kind == "undo-delete" and taken_out[laptop]:
                observations.put_back_observation(db, taken_out[laptop].pop())
            elif kind == "send":
                target, to_one = rest
                if target != laptop:
                    path = folder / f"p{next(counter)}.lwpkg"
                    to = _name_of(dbs[target], dbs[laptop]) if to_one else None
                    exchange.send_changes(db, w.id, path, to=to)
                    exchange.receive_package(dbs[target], path)
        except NotFound:
            pass  # the observation went meanwhile (a package deleted it): as a person would, move on

    # Everyone passes everything to everyone, in the drawn order, twice.
    for _ in range(2):
        for sender in order:
            path = folder / f"p{next(counter)}.lwpkg"
            exchange.send_changes(dbs[sender], w.id, path)
            for receiver in order:
                if receiver != sender:
                    exchange.receive_package(dbs[receiver], path)
                    assert exchange.receive_package(dbs[receiver], path).nothing_new
    first = dbs[0]
    for other in dbs[1:]:
        assert csv_of(first, w.id) == csv_of(other, w.id)
        assert same_data(first, other)
    open_on = [[(d.id, d.field, [c.value for c in d.candidates]) for d in differences.list_differences(db, w.id)]
               for db in dbs]
    assert all(o == open_on[0] for o in open_on)

    # One person decides every difference; the decisions travel and settle it everywhere.
    for difference in differences.list_differences(first, w.id):
        differences.decide(first, difference, keep=1)
    path = folder / "decided.lwpkg"
    exchange.send_changes(first, w.id, path)
    for other in dbs[1:]:
        exchange.receive_package(other, path)
        assert differences.list_differences(other, w.id) == []
        assert csv_of(first, w.id) == csv_of(other, w.id)


def _name_of(target, sender) -> str | None:
    """The id ``sender`` knows ``target`` by, if it knows it (else: a package for any laptop)."""
    from walkthrough.services.history import this_device

    wanted = this_device(target).id
    known = {laptop.id for laptop in exchange.other_devices(sender)}
    return wanted if wanted in known else None
