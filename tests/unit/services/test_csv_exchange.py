"""Observations to and from spreadsheets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from walkthrough.domain.errors import CsvError, ExportError
from walkthrough.domain.vocabulary import Voice
from walkthrough.services.csv_exchange import export_csv, import_csv, observations_csv, parse_observations_csv
from walkthrough.services.observations import (
    MAX_NOTE_CHARS,
    NewObservation,
    add_observation,
    delete_observation,
    list_observations,
    update_observation,
)
from walkthrough.services.text_cleaning import clean_text
from walkthrough.services.walkthroughs import get_walkthrough


@pytest.fixture
def db(any_db):
    """Every test here runs on a SQLite file and on PostgreSQL (``any_db`` in conftest.py)."""
    return any_db


HEADER = "area,prompt,rating,principles,note,voice\r\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "obs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_reads_ids_labels_multiline_notes_and_skips_empty_rows(db, walkthrough_id, tmp_path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "entrance,entrance-clear,working-well,,Clear signs,\r\n"
        + ",,,,,\r\n"
        + 'Reception,,Priority Concern,Safety; trust,"Had to say it out loud\nat the desk",lived experience\r\n'
        + "letters,letters-plain,could-be-better,choice,Red capitals,staff\r\n",
    )
    assert import_csv(db, walkthrough_id, path).added == 3
    rows = list_observations(db, walkthrough_id)
    assert [(o.area_id, o.prompt_id, o.rating_id, o.principle_ids, o.voice) for o in rows] == [
        ("entrance", "entrance-clear", "working-well", ("safety",), Voice.FACILITATOR),
        ("reception", None, "priority-concern", ("safety", "trust"), Voice.LIVED_EXPERIENCE),
        ("letters", "letters-plain", "could-be-better", ("choice",), Voice.STAFF),
    ]
    assert rows[1].note == "Had to say it out loud\nat the desk"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_excel_encodings_are_read_correctly(db, walkthrough_id, tmp_path, encoding: str) -> None:
    note = "Café “quoted” – £5 and €3"
    path = write(tmp_path, HEADER + f"entrance,,working-well,,{note},\r\n", encoding)
    import_csv(db, walkthrough_id, path)
    assert list_observations(db, walkthrough_id)[0].note == note


def test_a_file_in_neither_encoding_is_refused_with_its_line(db, walkthrough_id, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"entrance,,working-well,,\x81\x8d\x8f\x90\x9d,\r\n")
    with pytest.raises(CsvError, match=r"bad.csv: not UTF-8 or Windows-1252 .*line 2"):
        import_csv(db, walkthrough_id, path)


@pytest.mark.parametrize(
    "text, row, message",
    [
        ("area,prompt,note,voice\r\n", 1, "missing column rating"),
        ("area,prompt,rating,principles,note,voice,mood\r\n", 1, "unknown column 'mood'"),
        (HEADER + "entrance,,working-well,,ok,\r\ngarden,,working-well,,x,\r\n", 3, "unknown area 'garden'"),
        (HEADER + "entrance,,fab,,x,\r\n", 2, "unknown rating 'fab'"),
        (HEADER + "entrance,,working-well,joy,x,\r\n", 2, "unknown principle 'joy'"),
        (HEADER + "entrance,,working-well,,x,cat\r\n", 2, "unknown voice 'cat'"),
        (HEADER + "entrance,letters-plain,working-well,,x,\r\n", 2, "has no prompt 'letters-plain'"),
        (HEADER + "entrance,,working-well,,x\r\n", 2, "has 5 cells, the header has 6"),
        (HEADER + ",,working-well,,x,\r\n", 2, "the area is empty"),
        ("", None, "the file is empty"),
    ],
)
def test_bad_files_are_refused_with_the_row_and_nothing_is_stored(
    db, walkthrough_id, tmp_path, text: str, row: int | None, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CsvError) as info:
        import_csv(db, walkthrough_id, path)
    assert info.value.row == row
    assert message in str(info.value) and "obs.csv" in str(info.value)
    assert list_observations(db, walkthrough_id) == []


def test_export_then_import_round_trips_notes_exactly(db, walkthrough_id, tmp_path) -> None:
    notes = ["=HYPERLINK(\"http://evil\")", "+44 1856 000000", "-5 degrees", "@mention", "plain, with comma",
             "Ceòl & <b> — Zoë\nsecond line", "'already quoted"]
    for note in notes:
        add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note=note))
    out = tmp_path / "findings.csv"
    assert export_csv(db, walkthrough_id, out) == len(notes)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    cells = [row["note"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]
    assert cells[0] == "'=HYPERLINK(\"http://evil\")"  # shown as text by a spreadsheet, not run
    result = import_csv(db, walkthrough_id, out)
    assert (result.added, result.updated) == (0, 0)  # the same rows, recognised by id: nothing copied
    assert [o.note for o in list_observations(db, walkthrough_id)] == notes


def test_export_to_an_unwritable_place_leaves_nothing_behind(db, walkthrough_id, tmp_path) -> None:
    with pytest.raises(ExportError, match="missing-folder"):
        export_csv(db, walkthrough_id, tmp_path / "missing-folder" / "x.csv")


def test_an_earlier_export_survives_a_failed_one(db, walkthrough_id, tmp_path, monkeypatch) -> None:
    out = tmp_path / "findings.csv"
    out.write_text("earlier")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(ExportError, match="No space left"):
        export_csv(db, walkthrough_id, out)
    assert out.read_text() == "earlier"
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.partial"))


def test_a_large_file_is_imported_whole(db, walkthrough_id, tmp_path) -> None:
    rows = "".join(f"entrance,entrance-clear,working-well,,Row {i},staff\r\n" for i in range(5000))
    assert import_csv(db, walkthrough_id, write(tmp_path, HEADER + rows)).added == 5000
    assert len(list_observations(db, walkthrough_id)) == 5000


def test_an_exported_file_edited_and_imported_again_updates_and_adds(db, walkthrough_id, tmp_path) -> None:
    first = add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="Clear"))
    out = tmp_path / "findings.csv"
    export_csv(db, walkthrough_id, out)
    text = out.read_text(encoding="utf-8-sig")
    text = text.replace("working-well", "priority-concern").replace("Clear", "Clear by day and dark at night")
    text += "Reception,,,,Could be better,Safety; Trust,New row from the workshop,lived experience,,,,,\r\n"
    out.write_text(text, encoding="utf-8-sig")
    result = import_csv(db, walkthrough_id, out)
    assert (result.added, result.updated) == (1, 1)
    rows = list_observations(db, walkthrough_id)
    assert [(o.id == first.id, o.rating_id, o.note) for o in rows] == [
        (True, "priority-concern", "Clear by day and dark at night"),
        (False, "could-be-better", "New row from the workshop"),
    ]


def test_an_observation_not_rated_yet_exports_an_empty_rating_cell_and_imports_back_not_rated(
    db, walkthrough_id, tmp_path
) -> None:
    unrated = add_observation(db, walkthrough_id, NewObservation("entrance", None, note="Staff said 2"))
    out = tmp_path / "findings.csv"
    export_csv(db, walkthrough_id, out)
    [row] = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    assert row["rating"] == ""
    result = import_csv(db, walkthrough_id, out)
    assert (result.added, result.updated) == (0, 0)
    text = out.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")

    def row(**cells: str) -> str:
        return ",".join(cells.get(column, "") for column in header) + "\r\n"

    text += row(area="reception", note="Rate later") + row(area="reception", rating="2", note="By place")
    out.write_text(text, encoding="utf-8-sig")
    assert import_csv(db, walkthrough_id, out).added == 2
    assert [(o.id == unrated.id, o.rating_id, o.note) for o in list_observations(db, walkthrough_id)] == [
        (True, None, "Staff said 2"), (False, None, "Rate later"), (False, "could-be-better", "By place")]


def test_semicolon_separated_files_and_minimal_columns_are_read(db, walkthrough_id, tmp_path) -> None:
    path = write(tmp_path, "Area;Rating;Note\r\nWaiting area;;x\r\n".replace("Waiting area;;x", "Reception;Working well;Kind staff"))
    assert import_csv(db, walkthrough_id, path).added == 1
    [obs] = list_observations(db, walkthrough_id)
    assert (obs.area_id, obs.rating_id, obs.note, obs.voice) == ("reception", "working-well", "Kind staff", Voice.FACILITATOR)


def test_excel_unicode_text_utf16_tab_separated_is_read(db, walkthrough_id, tmp_path) -> None:
    text = "area\trating\tnote\r\nReception\tWorking well\tCeòl “kind” staff\r\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))  # with BOM, as Excel writes it
    assert import_csv(db, walkthrough_id, path).added == 1
    assert list_observations(db, walkthrough_id)[0].note == "Ceòl “kind” staff"


# -- exact round trip, escaping, names, times, another walkthrough's file ----------------------------


def _exported_rows(db, walkthrough_id) -> list[dict[str, str]]:
    text, _ = observations_csv(db, walkthrough_id)
    return list(csv.DictReader(io.StringIO(text, newline="")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(max_size=300).map(clean_text))
@example(note="'=1+1")
@example(note="'")
@example(note="''@x")
@example(note="'\t tab")
@example(note="\r\nline\rbreaks\n")
@example(note=" =spaced")
def test_any_note_comes_back_byte_for_byte(db, walkthrough_id, note: str) -> None:
    obs = add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note=note))
    try:
        text, _ = observations_csv(db, walkthrough_id)
        lens = get_walkthrough(db, walkthrough_id).lens
        [row] = parse_observations_csv(text, "findings.csv", lens, frozenset({obs.id}))
        assert row.observation.note == note
        assert row.observation_id == obs.id
    finally:
        delete_observation(db, obs.id)


def test_a_note_as_long_as_notes_may_be_starting_with_an_apostrophe_comes_back_exactly(
    db, walkthrough_id, tmp_path
) -> None:
    note = "'" + "Long, \"quoted\" and\nmultiline. " * (MAX_NOTE_CHARS // 30)
    note = note[:MAX_NOTE_CHARS]
    obs = add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note=note))
    out = tmp_path / "findings.csv"
    export_csv(db, walkthrough_id, out)
    update_observation(db, obs.id, note="changed")
    assert import_csv(db, walkthrough_id, out).updated == 1
    assert list_observations(db, walkthrough_id)[0].note == note


def test_every_cell_a_spreadsheet_could_run_is_escaped_not_only_notes(tmp_path) -> None:
    from tests.conftest import TEST_LENS_YAML
    from walkthrough.domain.lens import parse_lens
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    hostile = TEST_LENS_YAML.replace("title: Entrance", "title: \"=HYPERLINK(\\\"http://evil\\\")\"").replace(
        'question: "Is it clear where to go?"', 'question: "@SUM(1+1)*cmd|\' /C calc\'!A0"')
    with open_database(tmp_path / "w.sqlite3") as db:
        wid = create_walkthrough(db, parse_lens(hostile, "hostile.yaml"), service="S", site="T").id
        add_observation(db, wid, NewObservation("entrance", "working-well", "entrance-clear", note="-2+3"))
        text, _ = observations_csv(db, wid)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[1][3].startswith("'@SUM")
    assert rows[1][6] == "'-2+3"
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_export_names_the_area_and_prompt_beside_their_ids_in_local_time_and_import_ignores_the_names(
    db, walkthrough_id, tmp_path, monkeypatch
) -> None:
    import datetime as dt
    import time

    first = add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", "entrance-clear"))
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # +05:30 all year: no summer time to guess
    time.tzset()
    try:
        [row] = _exported_rows(db, walkthrough_id)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (row["area"], row["area_name"], row["prompt"], row["prompt_text"]) == (
        "entrance", "Entrance", "entrance-clear", "Is it clear where to go?")
    created = dt.datetime.fromisoformat(row["created_at"])
    assert created.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert created == first.created_at.replace(microsecond=0)

    path = write(tmp_path, "area,area_name,prompt,prompt_text,rating\r\n"
                          "reception,Entrance,reception-privacy,Is it clear where to go?,working-well\r\n")
    assert import_csv(db, walkthrough_id, path).added == 1
    added = list_observations(db, walkthrough_id)[1]
    assert (added.area_id, added.prompt_id) == ("reception", "reception-privacy")  # the ids rule


def test_a_file_from_another_walkthrough_is_refused_unless_imported_as_new(
    db, walkthrough_id, test_lens, tmp_path, capsys
) -> None:
    from tests.unit.test_cli import Cli, assert_one_line_error
    from walkthrough.services.walkthroughs import create_walkthrough

    add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", note="From A"))
    other = create_walkthrough(db, test_lens, service="Another service", site="B").id
    out = tmp_path / "a.csv"
    export_csv(db, walkthrough_id, out)

    with pytest.raises(CsvError, match=f"row 2: exported from walkthrough {walkthrough_id}, not from {other}"):
        import_csv(db, other, out)
    assert list_observations(db, other) == []
    cli = Cli(db.path if db.path is not None else db.url, capsys)
    assert cli("import-csv", other, out) == 1
    assert_one_line_error(cli, walkthrough_id, other, "--as-new")

    assert cli("import-csv", other, out, "--as-new") == 0
    [copy] = list_observations(db, other)
    [original] = list_observations(db, walkthrough_id)
    assert copy.note == "From A" and copy.id != original.id
    assert import_csv(db, walkthrough_id, out).added == 0  # its own file still updates in place
