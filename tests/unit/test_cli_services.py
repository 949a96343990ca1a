"""`walkthrough services`, `walk-again` and `merge-services`."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_cli import UUID, Cli, assert_one_line_error, cli, wid  # noqa: F401 - fixtures


def test_services_lists_each_service_with_sites_walks_and_open_actions(cli: Cli, wid: str, tmp_path: Path) -> None:
    empty = Cli(tmp_path / "empty.sqlite3", cli.capsys)
    assert empty("services") == 0 and "no services yet" in empty.err and not empty.out
    assert cli("new", "--lens", "test-lens", "--service", "s", "--site", "Elsewhere", "--date", "2026-01-01") == 0
    assert cli("services") == 0
    (line,) = cli.out.splitlines()
    service_id = line.split()[0]
    assert UUID.match(service_id)
    assert line.endswith("S — T; Elsewhere  2 walks, 0 open actions")


def test_walk_again_prints_the_follow_up_walk_filed_under_the_same_service(cli: Cli, wid: str) -> None:
    assert cli("walk-again", wid[:8], "--date", "2026-10-01") == 0
    again = cli.out.strip()
    assert UUID.match(again) and again != wid
    assert cli("list") == 0
    assert f"{again}  2026-10-01  S — T" in cli.out
    assert cli("services") == 0 and "2 walks" in cli.out
    assert cli("walk-again", "zzzzzzzz") == 1
    assert_one_line_error(cli, "walkthrough", "zzzzzzzz")
    assert cli("walk-again", wid, "--date", "31 Feb") == 1
    assert_one_line_error(cli, "31 Feb")


def test_merge_services_moves_the_walks_and_refuses_one_service_twice(cli: Cli, wid: str) -> None:
    assert cli("new", "--lens", "test-lens", "--service", "Other name", "--site", "T") == 0
    assert cli("services") == 0
    ids = [line.split()[0] for line in cli.out.splitlines()]
    assert len(ids) == 2
    keep, other = ids
    assert cli("merge-services", keep[:8], other) == 0
    assert cli.out.strip() == f"merged service {other} into {keep}: 1 walk moved"
    assert cli("services") == 0 and len(cli.out.splitlines()) == 1 and "2 walks" in cli.out
    assert cli("merge-services", keep, keep) == 1
    assert_one_line_error(cli, "itself")
    assert cli("merge-services", keep, other) == 1
    assert_one_line_error(cli, "service", other)


def test_journey_prints_each_area_s_stage_at_each_walk_and_why_the_latest_is_there(cli: Cli, wid: str) -> None:
    assert cli("edit", wid, "--participant", "Sandy=lived-experience", "--participant", "Jo=staff",
               "--date", "2026-03-12") == 0
    assert cli("observe", wid, "--area", "entrance", "--prompt", "entrance-clear", "--rating", "priority-concern",
               "--note", "No sign") == 0
    finding = cli.out.strip()
    assert cli("action", wid, "--text", "Put up a sign", "--finding", finding) == 0
    action_id = cli.out.strip()
    assert cli("walk-again", wid, "--date", "2026-10-01") == 0
    again = cli.out.strip()
    assert cli("observe", again, "--area", "entrance", "--prompt", "entrance-clear", "--rating", "working-well",
               "--note", "A clear sign now") == 0
    assert cli("services") == 0
    service = cli.out.split()[0]
    assert cli("journey", service[:8]) == 0, cli.err
    lines = cli.out.splitlines()
    assert lines[0].split() == ["area", "2026-03-12", "2026-10-01", "(stage", "1-5;", "the", "latest:", "why)"]
    assert lines[1].split()[:3] == ["Entrance", "3", "3"]
    assert lines[1].endswith("actions planned, none done yet (0 of 1 action done)")
    assert lines[2].split()[:3] == ["Reception", "1", "1"] and lines[2].endswith("not walked: nothing recorded there")
    assert cli("update", action_id, "--status", "done") == 0
    assert cli("journey", service) == 0
    assert cli.out.splitlines()[1].split()[:3] == ["Entrance", "4", "5"]  # done, and the follow-up shows it improved
    assert cli("journey", "ffffffff") == 1
    assert_one_line_error(cli, "no service with id 'ffffffff'")
