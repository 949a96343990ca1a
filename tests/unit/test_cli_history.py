"""``walkthrough history`` and ``walkthrough device``: the change history at the command line.

(Beside ``test_cli.py``, which is long; the same ``Cli`` runner and fixtures.)
"""

from __future__ import annotations

import contextlib
import time
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.test_cli import Cli, assert_one_line_error, cli, wid  # noqa: F401 (fixtures)
from walkthrough.domain.changes import Change


@contextlib.contextmanager
def _database(cli: Cli) -> Iterator:
    from walkthrough.storage.database import open_database

    db = open_database(cli.db_path)
    try:
        yield db
    finally:
        db.close()


def _history(cli: Cli, wid: str) -> list[Change]:
    from walkthrough.services.history import list_history

    with _database(cli) as db:
        return list_history(db, wid)


@pytest.fixture
def india_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[zoneinfo.ZoneInfo]:
    """Local time 5½ hours ahead of UTC, so that a time shown in UTC cannot pass for local time."""
    if not hasattr(time, "tzset"):
        pytest.skip("the local time zone can only be set for a test where time.tzset exists")
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield zoneinfo.ZoneInfo("Asia/Kolkata")
    monkeypatch.undo()
    time.tzset()


def test_history_lists_the_changes_newest_first_in_local_time_with_device_and_person(
    cli: Cli, wid: str, india_time: zoneinfo.ZoneInfo
) -> None:
    assert cli("device", "--name", "Orkney laptop", "--person", "Ana") == 0
    assert cli("observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "Door sticks") == 0
    oid = cli.out.strip()
    assert cli("edit", wid, "--site", "Stromness") == 0
    from walkthrough.services import observations

    with _database(cli) as db:
        observations.update_observation(db, oid, rating_id="could-be-better", note="Door sticks badly")

    assert cli("history", wid[:6]) == 0, cli.err
    lines = cli.out.splitlines()
    changes = _history(cli, wid)
    assert len(lines) == len(changes) == 6
    local = changes[0].time.astimezone(india_time)
    assert lines[0].startswith(f"{local.day} {local:%b %Y %H:%M}  ")
    assert all("  Orkney laptop (Ana)  " in line for line in lines)
    whats = [line.split("  Orkney laptop (Ana)  ", 1)[1] for line in lines]
    assert whats == [
        f'observation {oid[:8]} in "Entrance": note changed from "Door sticks" to "Door sticks badly"',
        f'observation {oid[:8]} in "Entrance": rating changed from "Working well" to "Could be better"',
        'details: site changed from "T" to "Stromness"',
        f'observation {oid[:8]} in "Entrance" added: "Door sticks"',
        f"walkthrough filed under service {changes[-2].value[:8]}",
        "walkthrough created",
    ]  # newest first; the two changes of one operation in the order they were recorded, newest first

    assert cli("history", wid, "--limit", "2") == 0
    assert cli.out.splitlines() == lines[:2] and "4 older changes" in cli.err


def test_a_deleted_observation_shows_only_that_it_was_there_and_is_found_by_its_prefix(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "reception", "--note", "Ana told us something private") == 0
    oid = cli.out.strip()
    assert cli("observe", wid, "--area", "entrance", "--note", "Kept") == 0
    from walkthrough.services import observations

    with _database(cli) as db:
        observations.update_observation(db, oid, note="Ana told us more")
        observations.delete_observation(db, oid)

    assert cli("history", wid) == 0
    assert "private" not in cli.out and "told us" not in cli.out and "Reception" not in cli.out
    assert '"Kept"' in cli.out

    assert cli("history", wid, "--entity", oid[:5]) == 0, cli.err
    assert cli.out.splitlines() == [
        line for line in cli.out.splitlines() if oid[:8] in line
    ] and [line.split("  ", 2)[2] for line in cli.out.splitlines()] == [
        f"observation {oid[:8]} deleted",
        f"observation {oid[:8]}: note changed (content erased)",
        f"observation {oid[:8]} added (content erased)",
    ]


def test_an_action_s_changes_are_worded_with_the_lens_s_names(cli: Cli, wid: str) -> None:
    from walkthrough.services import actions

    with _database(cli) as db:
        action = actions.add_action(db, wid, actions.NewAction("Fix the door"))
        actions.update_action(db, action.id, status="done", principle_ids=["safety"])

    assert cli("history", wid, "--entity", action.id[:6]) == 0, cli.err
    assert [line.split("  ", 2)[2] for line in cli.out.splitlines()] == [
        'action "Fix the door": principle "Safety" linked',
        'action "Fix the door": status changed from not started to done',
        'action "Fix the door" added',
    ]


def test_a_deleted_walkthrough_keeps_only_its_tombstones(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "entrance", "--note", "Door sticks") == 0
    from walkthrough.services import walkthroughs

    with _database(cli) as db:
        walkthroughs.delete_walkthrough(db, wid)

    assert cli("history", wid[:6]) == 0, cli.err
    whats = [line.split("  ", 2)[2] for line in cli.out.splitlines()]
    assert whats[0] == "walkthrough deleted" and "Door sticks" not in cli.out
    assert whats[-1] == "walkthrough created (content erased)"


@pytest.mark.parametrize(("args", "says"), [
    (["history", "0000dead"], "no walkthrough with id '0000dead'"),
    (["history", "abc"], "at least 4 characters"),
    (["history", "WID", "--entity", "0000dead"], "no observation or action with id '0000dead'"),
])
def test_an_unknown_id_is_one_error_line(cli: Cli, wid: str, args: list[str], says: str) -> None:
    assert cli(*[wid if a == "WID" else a for a in args]) == 1
    assert_one_line_error(cli, says)
    assert cli.out == ""


def test_an_id_in_another_walkthrough_is_not_this_walkthrough_s(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "entrance", "--note", "Here") == 0
    oid = cli.out.strip()
    assert cli("new", "--lens", "test-lens", "--service", "S2", "--site", "T2") == 0
    other = cli.out.strip()
    assert cli("history", other, "--entity", oid) == 1
    assert_one_line_error(cli, f"no observation or action with id '{oid}'", "this walkthrough's history")


def test_device_shows_this_database_s_device_and_sets_its_name_and_person(cli: Cli, wid: str) -> None:
    assert cli("device") == 0
    shown = dict(line.split(":", 1) for line in cli.out.splitlines())
    device_id = shown["id"].strip()
    assert shown["person"].strip() == "(not set)" and shown["device"].strip()
    # the walkthrough started: its service made, the walkthrough made and filed under it
    assert shown["changes"].strip() == "3 made on this device"

    assert cli("device", "--name", "  Orkney   laptop ", "--person", "Ana") == 0
    assert cli.out.splitlines()[:3] == ["device:  Orkney laptop", "person:  Ana", f"id:      {device_id}"]
    assert cli("device", "--person", "") == 0 and "person:  (not set)" in cli.out
    assert "device:  Orkney laptop" in cli.out


def test_device_can_be_named_before_the_first_walkthrough_but_showing_it_creates_no_database(cli: Cli) -> None:
    assert cli("device") == 1
    assert_one_line_error(cli)
    assert not cli.db_path.exists()
    assert cli("device", "--name", "Orkney laptop") == 0 and "device:  Orkney laptop" in cli.out
    assert cli("device") == 0 and "changes: 0 made on this device" in cli.out


@pytest.mark.parametrize(("args", "says"), [
    (["--name", " "], "the device's name is empty"),
    (["--name", "x" * 201], "longer than 200 characters"),
    (["--person", "y" * 201], "longer than 200 characters"),
])
def test_device_refuses_a_bad_name_in_one_line_and_keeps_the_old_one(cli: Cli, wid: str, args: list[str],
                                                                      says: str) -> None:
    assert cli("device", "--name", "Orkney laptop") == 0
    assert cli("device", *args) == 1
    assert_one_line_error(cli, says)
    assert cli("device") == 0 and "device:  Orkney laptop" in cli.out and "person:  (not set)" in cli.out


def test_setting_the_device_takes_the_app_s_lock_and_showing_it_does_not(cli: Cli) -> None:
    import contextlib

    from walkthrough.cli import _lock_for, build_parser

    def lock(*argv: str) -> object:
        return _lock_for(build_parser().parse_args(["--db", str(cli.db_path), *argv]), None)

    assert isinstance(lock("device"), contextlib.nullcontext)
    assert isinstance(lock("history", "abcd"), contextlib.nullcontext)
    assert not isinstance(lock("device", "--name", "Orkney laptop"), contextlib.nullcontext)
    assert not isinstance(lock("device", "--person", ""), contextlib.nullcontext)


def test_history_and_device_work_on_postgresql(cli: Cli, postgresql_url: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where a URL taken for a path would make a lock file
    server = Cli(postgresql_url, cli.capsys)
    assert server("device", "--name", "Server laptop", "--person", "Bo") == 0, server.err
    assert server("demo") == 0
    wid = server.out.strip()
    assert server("edit", wid[:6], "--site", "Stromness") == 0
    assert server("history", wid[:6], "--limit", "3") == 0, server.err
    lines = server.out.splitlines()
    assert len(lines) == 3 and all("  Server laptop (Bo)  " in line for line in lines)
    assert lines[0].endswith('details: site changed from "Harbour Street Health Centre, Kirkvellan (fiction…" '
                             'to "Stromness"')
    assert server("device") == 0 and "device:  Server laptop" in server.out
    assert list(here.iterdir()) == []
