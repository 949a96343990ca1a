"""The improvement plan as a CSV file for Excel (walkthrough/services/plan_export.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from walkthrough.domain.errors import DestinationExists, ExportError, NotFound
from walkthrough.domain.improvement_plan import PLAN_COLUMNS
from walkthrough.domain.vocabulary import ActionStatus, Priority
from walkthrough.services import actions, observations
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation
from walkthrough.services.plan_export import HEADINGS, export_plan_csv

TODAY = dt.date(2026, 12, 7)


def read_back(path: Path) -> list[dict[str, str]]:
    """The file as Excel and Python's csv module read it: the BOM first, then rows of named cells."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel shows accents right only with it
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def plan(db, walkthrough_id) -> str:
    queue = observations.add_observation(db, walkthrough_id, NewObservation(
        "reception", "priority-concern", "reception-privacy", note="Names called out across the room."))
    extra = observations.add_observation(db, walkthrough_id, NewObservation("entrance", None, note="A bin fire."))
    actions.add_action(db, walkthrough_id, NewAction(
        "Move the hatch; a quiet room for private questions", owner="Zoë Ní Bhriain (café manager)",
        due_date=dt.date(2026, 12, 20), priority=Priority.HIGH, status=ActionStatus.NOT_STARTED,
        component_id="service-design", principle_ids=("safety", "trust"), observation_ids=(queue.id, extra.id)))
    actions.add_action(db, walkthrough_id, NewAction(
        "=HYPERLINK(\"http://example.invalid\",\"click\")", owner="-Ana", principle_ids=(),
        status=ActionStatus.DONE))
    return walkthrough_id


def test_the_plan_is_one_row_per_action_with_names_dates_and_findings_not_ids(db, plan, tmp_path) -> None:
    out = tmp_path / "plan.csv"
    assert export_plan_csv(db, plan, out, today=TODAY) == 2
    rows = read_back(out)
    assert tuple(rows[0]) == HEADINGS == tuple(c.heading for c in PLAN_COLUMNS)
    first = rows[0]
    assert first["Action"] == "Move the hatch; a quiet room for private questions"
    assert first["Core component"] == "Service design and delivery"
    assert (first["Priority"], first["Status"], first["Quick win"]) == ("High", "Not started", "Yes")
    assert first["Owner"] == "Zoë Ní Bhriain (café manager)"  # accents as typed
    assert first["Due date"] == "2026-12-20"  # read by Excel (en-GB too) as a date
    assert first["Principles"] == "Safety; Trust"
    assert first["Findings it answers"].split("\n") == [  # in walking order
        "Entrance: another observation in this area",
        "Reception: Can people speak without being overheard? (Priority concern)"]
    assert dt.date.fromisoformat(first["Last changed"]) in (TODAY, dt.date.today(),
                                                            dt.date.today() - dt.timedelta(days=1))
    text = out.read_text(encoding="utf-8-sig")
    assert plan not in text and "service-design" not in text and "reception-privacy" not in text  # no ids
    assert out.read_bytes().count(b"\r\n") == 3  # Excel's line ends: header and two rows


def test_every_cell_a_spreadsheet_could_run_is_written_as_text(db, plan, tmp_path) -> None:
    out = tmp_path / "plan.csv"
    export_plan_csv(db, plan, out, today=TODAY)
    second = read_back(out)[1]
    assert second["Action"] == "'=HYPERLINK(\"http://example.invalid\",\"click\")"
    assert second["Owner"] == "'-Ana"
    assert second["Status"] == "Done" and second["Quick win"] == "" and second["Due date"] == ""


def test_an_existing_file_is_kept_unless_replacing_it_was_asked(db, plan, tmp_path) -> None:
    out = tmp_path / "plan.csv"
    out.write_text("last week's plan", encoding="utf-8")
    with pytest.raises(DestinationExists, match="already there; nothing was written"):
        export_plan_csv(db, plan, out)
    assert out.read_text(encoding="utf-8") == "last week's plan"
    assert export_plan_csv(db, plan, out, replace=True) == 2
    assert len(read_back(out)) == 2
    with pytest.raises(ExportError, match="is a folder"):
        export_plan_csv(db, plan, tmp_path, replace=True)


def test_an_unknown_walkthrough_is_named_and_nothing_is_written(db, tmp_path) -> None:
    with pytest.raises(NotFound):
        export_plan_csv(db, "0000-no-such-walkthrough", tmp_path / "plan.csv")
    assert not (tmp_path / "plan.csv").exists()
