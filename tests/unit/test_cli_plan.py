"""``walkthrough plan`` and ``walkthrough update``: the improvement plan and its progress at the command line.

(Beside ``test_cli.py``, which is long; the same ``Cli`` runner and fixtures.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_cli import UUID, Cli, assert_one_line_error, cli, wid  # noqa: F401 (fixtures)
from walkthrough.domain.vocabulary import ActionStatus, OnTrack


@pytest.fixture
def plan(cli: Cli, wid: str) -> tuple[str, str]:
    from walkthrough.services import actions
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        first = actions.add_action(db, wid, actions.NewAction("Rewrite the letter", owner="Sam",
                                                              due_date=dt.date(2027, 3, 1))).id
        second = actions.add_action(db, wid, actions.NewAction("New signs\nin two languages")).id
    return first, second


def test_plan_prints_one_line_per_action(cli: Cli, wid: str, plan: tuple[str, str]) -> None:
    assert cli("plan", wid[:8]) == 0
    assert cli.out.splitlines() == [
        f"{plan[0]}  not-started  -          2027-03-01  Sam  Rewrite the letter",
        f"{plan[1]}  not-started  -          -           -    New signs in two languages",  # texts line up
    ]


def test_update_records_progress_and_sets_the_status_and_on_track(cli: Cli, wid: str, plan: tuple[str, str]) -> None:
    from walkthrough.services.progress_updates import list_progress_updates
    from walkthrough.storage.database import open_database

    assert cli("update", plan[0][:6], "--status", "in-progress", "--on-track", "at-risk", "--note",
               "Draft out", "--date", "2027-02-01") == 0
    assert UUID.match(cli.out.strip())
    assert cli("plan", wid) == 0
    assert cli.out.splitlines()[0].startswith(f"{plan[0]}  in-progress  at-risk    2027-03-01  Sam")
    assert cli("history", wid, "--limit", "3") == 0
    assert [line.split("  ", 2)[-1] for line in cli.out.splitlines()] == [
        'progress update "Draft out" added',
        'action "Rewrite the letter": on track changed from (none) to at risk',
        'action "Rewrite the letter": status changed from not started to in progress',
    ]
    assert cli("update", plan[0], "--on-track", "none") == 0
    with open_database(cli.db_path) as db:
        updates = list_progress_updates(db, plan[0])
    assert [(u.date, u.note, u.status, u.on_track) for u in updates] == [  # by date
        (dt.date.today(), "", ActionStatus.IN_PROGRESS, None),
        (dt.date(2027, 2, 1), "Draft out", ActionStatus.IN_PROGRESS, OnTrack.AT_RISK),
    ]


def test_plan_as_at_a_day_before_the_plan_was_made_is_empty(cli: Cli, wid: str, plan: tuple[str, str]) -> None:
    assert cli("plan", wid, "--as-at", "2020-01-01") == 0
    assert cli.out == "" and "no actions in the plan at the end of 2020-01-01" in cli.err
    assert cli("update", plan[1], "--status", "done") == 0
    assert cli("plan", wid, "--as-at", dt.date.today().isoformat()) == 0
    assert cli.out.splitlines()[1].startswith(f"{plan[1]}  done")


@pytest.mark.parametrize(("args", "fragments"), [
    (("--status", "finished"), ("--status 'finished' is not a status", "not-started, in-progress, done")),
    (("--on-track", "maybe"), ("--on-track 'maybe' is not an on-track", "on-track, at-risk, off-track or none")),
    (("--note", "x", "--date", "2027-02-30"), ("--date '2027-02-30' is not a day on the calendar",)),
    ((), ("give --note, --status or --on-track",)),
])
def test_bad_update_values_are_one_line_naming_the_option(cli: Cli, wid: str, plan: tuple[str, str], args,
                                                         fragments) -> None:
    assert cli("update", plan[0], *args) == 1
    assert_one_line_error(cli, *fragments, "nothing was recorded")


def test_a_bad_as_at_date_or_unknown_action_is_one_line(cli: Cli, wid: str, plan: tuple[str, str]) -> None:
    assert cli("plan", wid, "--as-at", "last week") == 1
    assert_one_line_error(cli, "--as-at 'last week' is not a valid date")
    assert cli("update", "ffffffff", "--note", "x") == 1
    assert_one_line_error(cli, "no action with id 'ffffffff'", "`walkthrough plan WID` shows the ids")


def test_action_adds_an_action_with_every_field_and_links_its_findings(cli: Cli, wid: str) -> None:
    from walkthrough.services.actions import list_actions
    from walkthrough.storage.database import open_database

    assert cli("observe", wid, "--area", "entrance", "--prompt", "entrance-clear", "--rating", "priority-concern",
               "--note", "No sign from the road") == 0
    finding = cli.out.strip()
    assert cli("action", wid[:8], "--text", "Put up a sign at the road end", "--owner", "Estates",
               "--lead", "Service manager", "--due", "2027-05-01", "--priority", "High", "--component",
               "Leadership", "--principle", "Safety", "--principle", "trust", "--finding", finding[:8],
               "--how-we-know", "Nobody rings to ask the way", "--mat", "10", "--mat", "1") == 0, cli.err
    action_id = cli.out.strip()
    with open_database(cli.db_path) as db:
        (made,) = list_actions(db, wid)
    assert (made.id, made.text, made.owner, made.lead, made.due_date) == (
        action_id, "Put up a sign at the road end", "Estates", "Service manager", dt.date(2027, 5, 1))
    assert (made.priority.value, made.component_id, made.principle_ids) == ("high", "leadership", ("safety", "trust"))
    assert (made.observation_ids, made.success_measure, made.mat_standards) == (
        (finding,), "Nobody rings to ask the way", (1, 10))
    assert cli("plan", wid) == 0 and action_id in cli.out


@pytest.mark.parametrize(("args", "message"), [
    (["--due", "2027-02-30"], "--due '2027-02-30' is not a day on the calendar"),
    (["--priority", "urgent"], "--priority 'urgent' is not a priority; give high, medium, low; nothing was added"),
    (["--component", "nope"], "unknown component 'nope'"),
    (["--mat", "11"], "unknown MAT standard '11'"),
    (["--finding", "ffffffff"], "no observation with id 'ffffffff'"),
], ids=["due", "priority", "component", "mat", "finding"])
def test_a_bad_action_value_is_one_line_and_adds_nothing(cli: Cli, wid: str, args: list[str], message: str) -> None:
    assert cli("action", wid, "--text", "Something", *args) == 1
    assert_one_line_error(cli, message)
    assert cli("plan", wid) == 0 and cli.out == "" and "no actions" in cli.err


@pytest.fixture
def follow_up(cli: Cli, wid: str, plan: tuple[str, str]) -> tuple[str, str, str]:
    """``wid`` walked again on 14 Oct 2027, with one action of its own: (service id, follow-up id, its action)."""
    from walkthrough.services import actions
    from walkthrough.services.services import walk_again
    from walkthrough.services.walkthroughs import get_walkthrough
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        again = walk_again(db, wid, visit_date=dt.date(2027, 10, 14)).id
        quiet = actions.add_action(db, again, actions.NewAction("A quiet room", owner="Ana")).id
        return get_walkthrough(db, wid).service_id, again, quiet


def test_plan_of_a_service_is_every_walk_s_actions_with_the_walk_s_date(cli: Cli, wid: str, plan: tuple[str, str],
                                                                      follow_up: tuple[str, str, str]) -> None:
    service, again, quiet = follow_up
    assert cli("plan", wid) == 0
    first_walk = cli.out.splitlines()  # the walkthrough's own plan, as before
    assert [line.split()[0] for line in first_walk] == list(plan)
    assert cli("plan", service[:8]) == 0
    lines = cli.out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [*plan, quiet]
    assert lines[2] == f"{quiet}  walk 2027-10-14  not-started  -          -           Ana  A quiet room"
    assert lines[0].startswith(f"{plan[0]}  walk ") and "2027-10-14" not in lines[0]
    assert cli("update", plan[0], "--status", "done") == 0
    assert cli("plan", service, "--as-at", dt.date.today().isoformat()) == 0
    assert [line.split()[3] for line in cli.out.splitlines()] == ["done", "not-started", "not-started"]
    assert cli("plan", service, "--as-at", "2020-01-01") == 0
    assert cli.out == "" and "no actions in the plan at the end of 2020-01-01" in cli.err
    assert cli("plan", "feedface") == 1
    assert_one_line_error(cli, "no walkthrough or service with id 'feedface'", "`walkthrough services`")


def test_export_actions_of_a_service_covers_its_whole_plan(cli: Cli, wid: str, plan: tuple[str, str],
                                                          follow_up: tuple[str, str, str], tmp_path) -> None:
    import csv
    import io

    service, _again, _quiet = follow_up
    out = tmp_path / "plan.csv"
    assert cli("export-actions", service, out) == 0 and cli.out.strip() == f"exported 3 actions to {out}"
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert [r["Action"] for r in rows] == ["Rewrite the letter", "New signs\nin two languages", "A quiet room"]
    assert rows[2]["From the walk of"] == "2027-10-14" and rows[0]["From the walk of"] != "2027-10-14"
