"""The ``walkthrough`` command line: every command's happy path and its bad input."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, TEST_LENS_YAML
from walkthrough.cli import main

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Cli:
    """Runs ``walkthrough --db PATH …`` in-process and keeps what it printed."""

    def __init__(self, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db_path = db_path
        self.capsys = capsys
        self.out = self.err = ""

    def __call__(self, *args: str | Path) -> int:
        self.capsys.readouterr()
        try:
            code = main(["--db", str(self.db_path), *map(str, args)])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    (tmp_path / "cli db").mkdir()  # --db never makes a missing folder
    return Cli(tmp_path / "cli db" / "w.sqlite3", capsys)


@pytest.fixture
def wid(cli: Cli, _isolated_user_dirs: Path) -> str:
    lenses = _isolated_user_dirs / "lenses"
    lenses.mkdir(exist_ok=True)
    (lenses / "test-lens.yaml").write_text(TEST_LENS_YAML, encoding="utf-8")
    assert cli("new", "--lens", "test-lens", "--service", "S", "--site", "T") == 0
    return cli.out.strip()


def assert_one_line_error(cli: Cli, *fragments: str) -> None:
    lines = cli.err.strip().splitlines()
    assert len(lines) == 1, cli.err
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in cli.err


def test_version_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert re.match(r"Lens Walkthrough \d+\.\d+", capsys.readouterr().out)


def test_headless_commands_never_import_qt_and_version_imports_almost_nothing(tmp_path: Path) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['walkthrough'] + sys.argv[1:]\n"
        "try:\n"
        "    runpy.run_module('walkthrough', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('PySide6', 'reportlab', 'sqlalchemy', 'PIL', 'yaml', 'pydantic') if m in sys.modules)\n"
        "print('LOADED', ','.join(heavy))\n"
    )
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path)}

    def loaded(*args: str) -> set[str]:
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env,
                              cwd=PROJECT_ROOT, check=False)
        line = [x for x in done.stdout.splitlines() if x.startswith("LOADED")][-1]
        return set(filter(None, line.split(" ", 1)[1].split(",")))

    assert loaded("--version") == set()
    db = str(tmp_path / "w.sqlite3")
    assert "PySide6" not in loaded("--db", db, "demo")
    assert "PySide6" not in loaded("--db", db, "list")


def test_lenses_lists_bundled_and_user_lenses(cli: Cli, wid: str) -> None:
    assert cli("lenses") == 0
    ids = [line.split()[0] for line in cli.out.splitlines()]
    assert {"substance-use", "maternity", "general", "test-lens"} <= set(ids)
    assert "(yours:" in cli.out


def test_lens_check_accepts_a_good_file_and_lists_every_problem_of_a_bad_one(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(TEST_LENS_YAML, encoding="utf-8")
    assert cli("lens", "check", good) == 0
    assert "ok" in cli.out and "3 areas" in cli.out
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEST_LENS_YAML.replace('"2.0"', "2.0").replace("kind: procedural", "kind: paper"), encoding="utf-8")
    assert cli("lens", "check", bad) == 1
    lines = cli.err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: bad.yaml, line ") for line in lines)
    assert cli("lens", "check", tmp_path / "absent.yaml") == 1
    assert_one_line_error(cli, "absent.yaml")


def test_new_prints_an_id_and_refuses_an_unknown_lens(cli: Cli) -> None:
    assert cli("new", "--lens", "general", "--service", "Orkney Recovery", "--site", "Kirkwall", "--date",
               "2026-10-14", "--facilitator", "Morag", "--participant", "Sandy=lived-experience") == 0
    assert UUID.match(cli.out.strip())
    assert cli("new", "--lens", "nope", "--service", "S", "--site", "T") == 1
    assert_one_line_error(cli, "no lens with id 'nope'", "general")


def test_new_warns_about_the_same_visit_typed_another_way(cli: Cli) -> None:
    # The rule is the window's too (tests/ui/test_main_window.py): case, spaces and Unicode form do not count.
    assert cli("new", "--lens", "general", "--service", "Caf\u00e9 Hope", "--site", "Harbour St ",
               "--date", "2026-11-03") == 0 and cli.err == ""
    first = cli.out.strip()
    assert cli("new", "--lens", "general", "--service", "cafe\u0301  hope", "--site", "harbour st",
               "--date", "2026-11-03") == 0
    assert cli.out.strip() and cli.out.strip() != first
    [line] = cli.err.splitlines()
    assert line.startswith("warning: a walkthrough of Caf\u00e9 Hope at Harbour St on 2026-11-03 already exists")
    assert first in line


@pytest.mark.parametrize(
    "args",
    [
        ["new", "--lens", "general", "--service", "S"],  # missing --site
        ["new", "--lens", "general", "--service", "S", "--site", "T", "--participant", "Sandy"],
        ["photos"],
        ["frobnicate"],
        ["edit", "abcd"],  # nothing to change
        ["edit", "abcd", "--participant", "Sandy"],
    ],
)
def test_bad_usage_exits_2(cli: Cli, args: list[str]) -> None:
    assert cli(*args) == 2
    assert "Traceback" not in cli.err


def stored_walkthrough(cli: Cli, wid: str):
    from walkthrough.services.walkthroughs import get_walkthrough
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        return get_walkthrough(db, wid)


def test_edit_corrects_the_details_and_a_list_given_replaces_that_list(cli: Cli, wid: str) -> None:
    made = stored_walkthrough(cli, wid)
    assert cli("edit", wid[:8], "--site", "Stromness", "--date", "2026-10-15", "--facilitator", "Morag Flett",
               "--facilitator", "Ian", "--participant", "Sandy=lived-experience", "--participant", "Jo=staff") == 0
    assert cli.out.splitlines() == [
        "site: T → Stromness",
        f"date: {made.visit_date.isoformat()} → 2026-10-15",
        "facilitators: (none) → Morag Flett, Ian",
        "participants: (none) → Sandy (lived-experience), Jo (staff)",
    ]
    # A late joiner and a corrected name: the participants given are the whole team; the rest stays.
    assert cli("edit", wid, "--participant", "Sandy Rendall=lived-experience", "--participant", "Jo=manager",
               "--participant", "Kim=other") == 0
    assert cli.out.splitlines() == ["participants: Sandy (lived-experience), Jo (staff) → Sandy Rendall "
                                    "(lived-experience), Jo (manager), Kim (other)"]
    record = stored_walkthrough(cli, wid)
    assert (record.service, record.site, record.visit_date) == ("S", "Stromness", dt.date(2026, 10, 15))
    assert record.facilitators == ("Morag Flett", "Ian")
    assert [(p.name, p.role.value) for p in record.participants] == [
        ("Sandy Rendall", "lived-experience"), ("Jo", "manager"), ("Kim", "other")]
    assert cli("edit", wid, "--service", "S") == 0
    assert cli.out.startswith("nothing changed")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--date", "15/10/2026"], ["--date '15/10/2026' is not a valid date", "2026-11-29"]),
        (["--date", "2026-02-30"], ["'2026-02-30' is not a day on the calendar"]),
        (["--service", "  "], ["the service's name is empty"]),
        (["--facilitator", "Morag", "--facilitator", ""], ["a facilitator's name is empty"]),
    ],
)
def test_edit_with_a_bad_value_says_so_in_one_line_and_changes_nothing(cli: Cli, wid: str, args: list[str],
                                                                       fragments: list[str]) -> None:
    before = stored_walkthrough(cli, wid)
    assert cli("edit", wid, "--site", "Stromness", *args) == 1
    assert_one_line_error(cli, *fragments)
    assert cli.out == ""
    assert stored_walkthrough(cli, wid) == before
    assert cli("edit", "00000000", "--site", "Stromness") == 1
    assert_one_line_error(cli, "no walkthrough")


def test_list_shows_progress_and_says_when_empty(cli: Cli, wid: str, tmp_path: Path) -> None:
    assert Cli(tmp_path / "empty.sqlite3", cli.capsys)("list") == 0
    assert cli("list") == 0
    assert cli.out.startswith(wid) and "0 observations, 0 photos, 0/3 areas" in cli.out


def test_observe_records_with_photos_or_nothing(cli: Cli, wid: str, tmp_path: Path) -> None:
    from PIL import Image

    photo = tmp_path / "reception desk.jpg"
    Image.new("RGB", (640, 480), "navy").save(photo)
    assert cli("observe", wid[:8], "--area", "reception", "--prompt", "reception-privacy", "--rating",
               "priority-concern", "--note", "Overheard at the desk", "--voice", "lived-experience",
               "--photo", photo) == 0
    assert UUID.match(cli.out.strip())
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    assert cli("observe", wid, "--area", "reception", "--rating", "working-well", "--note", "x", "--photo",
               photo, "--photo", broken) == 1
    assert_one_line_error(cli, "broken.jpg")
    assert cli("observe", wid, "--area", "garden", "--rating", "working-well", "--note", "x") == 1
    assert_one_line_error(cli, "unknown area 'garden'")
    assert cli("observe", wid, "--area", "reception", "--rating", "working-well", "--note", "x", "--voice",
               "dog") == 1
    assert_one_line_error(cli, "unknown voice 'dog'")
    assert cli("observe", "00000000", "--area", "reception", "--rating", "working-well", "--note", "x") == 1
    assert_one_line_error(cli, "no walkthrough")
    assert cli("list") == 0 and "1 observation, 1 photo," in cli.out


def test_photos_add_reports_each_file_and_keeps_the_good_ones(cli: Cli, wid: str, tmp_path: Path) -> None:
    from PIL import Image

    assert cli("observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "x") == 0
    oid = cli.out.strip()
    good = tmp_path / "good.png"
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(good)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert cli("photos", "add", oid, good, empty) == 1
    [added] = cli.out.strip().splitlines()
    assert added.startswith("added") and "good.png" in added
    assert_one_line_error(cli, str(empty), "empty file")  # the full path, on stderr
    assert cli("photos", "add", oid[:8], good) == 0  # observation ids may be shortened too
    assert cli("photos", "add", str(uuid.uuid4()), good) == 1
    assert_one_line_error(cli, "no observation")
    out = tmp_path / "export"
    assert cli("photos", "export", wid, out) == 0
    assert "exported 2 photos" in cli.out and len(list(out.glob("*.jpg"))) == 2


def test_photos_add_takes_the_alt_text_of_one_photo(cli: Cli, wid: str, tmp_path: Path) -> None:
    from PIL import Image

    from walkthrough.services.observations import get_observation
    from walkthrough.storage.database import open_database

    assert cli("observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "x") == 0
    oid = cli.out.strip()
    door = tmp_path / "door.jpg"
    Image.new("RGB", (300, 200), "teal").save(door)
    assert cli("photos", "add", oid, door, door, "--alt-text", "A door") == 1
    assert_one_line_error(cli, "--alt-text describes one photo", "nothing was added")
    assert cli("photos", "add", oid, door, "--alt-text", " A heavy door with a step up ") == 0
    with open_database(cli.db_path) as db:
        [photo] = get_observation(db, oid).photos
    assert (photo.alt_text, photo.caption) == ("A heavy door with a step up", "")


def test_observe_accepts_labels_as_people_write_them(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "Letters and texts", "--rating", "Priority concern", "--principle",
               "choice", "--voice", "lived experience", "--note", "Red capitals") == 0
    from walkthrough.services.observations import list_observations
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        [obs] = list_observations(db, wid)
    assert (obs.area_id, obs.rating_id, obs.principle_ids, obs.voice.value) == (
        "letters", "priority-concern", ("choice",), "lived-experience")


def test_observe_takes_the_rating_by_its_place_on_the_scale_or_none_for_not_rated_yet(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "entrance", "--rating", "2", "--note", "Door heavy") == 0
    assert cli("observe", wid, "--area", "entrance", "--note", "Staff said 2 of them were turned away") == 0
    assert cli("observe", wid, "--area", "entrance", "--rating", "5", "--note", "x") == 1
    assert_one_line_error(cli, "unknown rating '5'", "working-well", "1–4")
    from walkthrough.services.observations import list_observations
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        assert [(o.note, o.rating_id) for o in list_observations(db, wid)] == [
            ("Door heavy", "could-be-better"), ("Staff said 2 of them were turned away", None)]
    assert cli("list") == 0
    assert "2 observations" in cli.out and "1 not rated yet" in cli.out


def test_lens_show_lists_areas_and_prompts_with_their_ids(cli: Cli) -> None:
    assert cli("lens", "show", "substance-use") == 0
    assert "reception-privacy" in cli.out and "Physical route" in cli.out and "complaints-feedback" in cli.out
    assert cli("lens", "show", "nope") == 1
    assert_one_line_error(cli, "no lens with id 'nope'")


def test_a_folder_as_report_output_is_refused_with_a_hint(cli: Cli, wid: str, tmp_path: Path) -> None:
    assert cli("report", wid, "-o", tmp_path) == 1
    assert_one_line_error(cli, "is a folder")
    assert not tmp_path.with_name(tmp_path.name + ".pdf").exists()


def test_csv_import_and_export(cli: Cli, wid: str, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("area,prompt,rating,principles,note,voice\nentrance,,working-well,,Hello,\n", encoding="utf-8")
    assert cli("import-csv", wid, source) == 0 and "imported 1 new observation" in cli.out
    out = tmp_path / "out.csv"
    assert cli("export-csv", wid, out) == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    source.write_text("area,prompt,rating,principles,note,voice\nentrance,,awful,,Hello,\n", encoding="utf-8")
    assert cli("import-csv", wid, source) == 1
    assert_one_line_error(cli, "in.csv, row 2", "unknown rating 'awful'")


def test_export_actions_writes_the_plan_for_excel_and_keeps_an_existing_file(cli: Cli, wid: str,
                                                                              tmp_path: Path) -> None:
    from walkthrough.services import actions
    from walkthrough.services.actions import NewAction
    from walkthrough.storage.database import open_database

    with open_database(cli.db_path) as db:
        actions.add_action(db, wid, NewAction("Café signs in plain words", owner="Zoë", component_id="leadership"))
    out = tmp_path / "plan.csv"
    assert cli("export-actions", wid[:8], out) == 0 and cli.out.strip() == f"exported 1 action to {out}"
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][:5] == ["Café signs in plain words", "Leadership", "Medium", "", "Zoë"]  # no lead named
    before = out.read_bytes()
    assert cli("export-actions", wid, out) == 1
    assert_one_line_error(cli, str(out), "nothing was written", "add --replace to write over it")
    assert out.read_bytes() == before
    assert cli("export-actions", wid, out, "--replace") == 0
    assert cli("export-actions", "feedface", tmp_path / "other.csv") == 1
    assert_one_line_error(cli, "feedface")
    assert not (tmp_path / "other.csv").exists()


def test_demo_report_and_check(cli: Cli, tmp_path: Path) -> None:
    assert cli("demo") == 0
    demo = cli.out.strip()
    assert UUID.match(demo)
    pdf = tmp_path / "my report"
    assert cli("report", demo[:6], "-o", pdf) == 0
    assert (tmp_path / "my report.pdf").read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    # The sample report for its readers (issue 15): at most 20 pages, whatever day it is written.
    assert len(PdfReader(tmp_path / "my report.pdf").pages) <= 20
    assert cli("report", demo, "-o", tmp_path / "no-such-folder" / "r.pdf") == 1
    assert_one_line_error(cli, "no-such-folder")
    assert cli("report", demo, "-o", tmp_path / "r.pdf", "--area", "garden") == 1
    assert_one_line_error(cli, "unknown area 'garden'")
    assert cli("check") == 0 and "healthy" in cli.out


def test_report_public_lens_edition_and_report_date(cli: Cli, wid: str, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "public.docx"
    assert cli("report", wid, "-o", out, "--public", "--lens", "used", "--edition", "Final, version 1",
               "--as-of", "2026-01-31") == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Appendix: the lens" in headings and "What people told us" not in headings
    assert "Final, version 1" in text and "31 January 2026" in text
    assert "OFFICIAL-SENSITIVE" not in text and "Protective marking: OFFICIAL" in text
    assert len(document.inline_shapes) == 0 and "Voice:" not in text
    assert cli("report", wid, "-o", tmp_path / "x.pdf", "--as-of", "31/01/2026") == 1
    assert cli.err.strip() == ("error: --as-of '31/01/2026' is not a valid date; write year-month-day, like "
                               "2026-11-29; no report was written")
    assert not (tmp_path / "x.pdf").exists()


def test_report_as_a_word_document_by_ending_or_by_format(
    cli: Cli, wid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    assert cli("report", wid, "-o", tmp_path / "Findings.DOCX") == 0
    assert cli.out.strip() == f"wrote {tmp_path / 'Findings.DOCX'}"
    document = docx.Document(str(tmp_path / "Findings.DOCX"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][0] == "At a glance"
    assert cli("report", wid, "--format", "docx", "-o", tmp_path / "edit me") == 0
    assert zipfile.is_zipfile(tmp_path / "edit me.docx")
    # Without -o: the suggested name, in the current folder.
    monkeypatch.chdir(tmp_path)
    assert cli("report", wid, "--format", "docx", "--no-photos") == 0
    written = Path(cli.out.strip().removeprefix("wrote "))
    assert written.name.endswith(" findings.docx") and (tmp_path / written).is_file()
    # A file ending that says otherwise than --format is refused, and nothing is written.
    assert cli("report", wid, "--format", "pdf", "-o", tmp_path / "r.docx") == 1
    assert_one_line_error(cli, "ends in .docx but --format pdf was asked")
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "r.docx.pdf").exists()


def test_report_as_a_web_page_by_ending_or_by_format_and_an_unknown_ending_is_one_line(
    cli: Cli, wid: str, tmp_path: Path
) -> None:
    assert cli("report", wid, "-o", tmp_path / "Findings.HTM") == 0
    assert cli.out.strip() == f"wrote {tmp_path / 'Findings.HTM'}"
    page = (tmp_path / "Findings.HTM").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert cli("report", wid, "--format", "html", "-o", tmp_path / "to publish") == 0
    assert "<h1 " in (tmp_path / "to publish.html").read_text(encoding="utf-8")
    # An ending that names no report format is refused in one line, and nothing is written.
    before = sorted(tmp_path.iterdir())
    assert cli("report", wid, "-o", tmp_path / "findings.txt") == 1
    assert_one_line_error(cli, "findings.txt", "cannot be written as .txt", ".pdf, .docx or .html")
    assert cli("report", wid, "--format", "html", "-o", tmp_path / "findings.odt") == 1
    assert_one_line_error(cli, "findings.odt", "cannot be written as .odt")
    assert cli("report", wid, "--format", "docx", "-o", tmp_path / "r.html") == 1
    assert_one_line_error(cli, "ends in .html but --format docx was asked")
    assert sorted(tmp_path.iterdir()) == before
    # Dots inside a name are not an ending: the format's ending is added.
    assert cli("report", wid, "-o", tmp_path / "findings 14.03.2026") == 0
    assert (tmp_path / "findings 14.03.2026.pdf").read_bytes().startswith(b"%PDF")


def test_check_finds_a_damaged_photo(cli: Cli, wid: str, tmp_path: Path) -> None:
    from PIL import Image

    photo = tmp_path / "p.jpg"
    Image.new("RGB", (64, 64), "red").save(photo)
    assert cli("observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "x", "--photo", photo) == 0
    conn = sqlite3.connect(cli.db_path)
    conn.execute("UPDATE photo SET jpeg = X'FFD8FF00'")
    conn.commit()
    conn.close()
    assert cli("check") == 1
    assert "problem  photo" in cli.out and "checksum" in cli.out


@pytest.mark.parametrize("content, message", [(b"I am a text file, not a database" * 20, "not an SQLite file")])
def test_a_file_that_is_not_a_database_gives_one_line(tmp_path: Path, capsys, content: bytes, message: str) -> None:
    path = tmp_path / "oops.sqlite3"
    path.write_bytes(content)
    cli = Cli(path, capsys)
    assert cli("list") == 1
    assert_one_line_error(cli, "oops.sqlite3", message)
    assert path.read_bytes() == content


def test_walkthrough_db_environment_variable_chooses_the_database(tmp_path: Path, monkeypatch, capsys) -> None:
    target = tmp_path / "from env.sqlite3"
    monkeypatch.setenv("WALKTHROUGH_DB", str(target))
    assert main(["new", "--lens", "general", "--service", "S", "--site", "T"]) == 0
    assert target.exists()


@pytest.mark.parametrize("how", ["--db", "WALKTHROUGH_DB"])
def test_a_database_in_a_folder_that_does_not_exist_is_refused_and_nothing_is_made(
    tmp_path: Path, monkeypatch, capsys, how: str
) -> None:
    usb = tmp_path / "media" / "usb"  # the stick is not plugged in
    (tmp_path / "media").mkdir()
    target = usb / "w.sqlite3"
    args = ["--db", str(target)] if how == "--db" else []
    if how == "WALKTHROUGH_DB":
        monkeypatch.setenv("WALKTHROUGH_DB", str(target))
    for command in (["new", "--lens", "general", "--service", "S", "--site", "T"], ["demo"], ["list"]):
        capsys.readouterr()
        assert main([*args, *command]) == 1, command
        err = capsys.readouterr().err.strip()
        assert err == (f"error: {target}: no such folder: {usb} (is the USB stick or disk connected?); "
                       "nothing was created"), command
    assert list(tmp_path.rglob("*")) == [tmp_path / "media"]


def test_commands_that_only_read_never_create_a_database(
    tmp_path: Path, capsys, _isolated_user_dirs: Path
) -> None:
    missing = tmp_path / "w.sqlite3"
    cli = Cli(missing, capsys)
    assert cli("list") == 0 and "no walkthroughs yet" in cli.err
    for args in (["check"], ["export-csv", "abc", tmp_path / "out.csv"],
                 ["report", "abc", "-o", tmp_path / "r.pdf"], ["photos", "export", "abc", tmp_path / "photos"],
                 ["observe", "abc", "--area", "a", "--rating", "r", "--note", "n"],
                 ["import-csv", "abc", tmp_path / "in.csv"], ["backup"], ["copy-db", tmp_path / "c"]):
        assert cli(*args) == 1, args
        assert_one_line_error(cli, "no such database")
    assert list(tmp_path.iterdir()) == []
    assert main(["list"]) == 0  # the default database, on the first run: nothing made either
    assert list(_isolated_user_dirs.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path: Path, signame: str) -> None:
    import signal

    path = tmp_path / "w.sqlite3"
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    run = [sys.executable, "-m", "walkthrough", "--db", str(path)]
    subprocess.run([*run, "new", "--lens", "general", "--service", "S", "--site", "T"], env=env, check=True,
                   cwd=PROJECT_ROOT, capture_output=True)
    subprocess.run([*run, "list"], env=env, check=True, cwd=PROJECT_ROOT, capture_output=True)  # today's backup
    before = set(tmp_path.rglob("*"))
    proc = subprocess.Popen([*run, "demo"], env=env, cwd=PROJECT_ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = Path(f"{path}.lock")
    deadline = time.monotonic() + 60
    while not lock.exists():  # the command has started changing the database
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    time.sleep(0.2)  # drawing the photos (about 2 s), or storing them
    proc.send_signal(getattr(signal, signame))
    out, err = proc.communicate(timeout=60)
    number = getattr(signal, signame).value
    assert (proc.returncode, out, err.strip()) == (128 + number, "", f"error: stopped ({signame})")
    assert set(tmp_path.rglob("*")) == before  # no lock, no temporary file, no side file left
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM walkthrough").fetchone() == (1,)  # the sample was not stored
    conn.close()


def test_no_command_opens_the_desktop_app_on_the_chosen_database(tmp_path: Path, monkeypatch) -> None:
    import walkthrough.app

    opened: list[tuple[Path, bool]] = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # a display, as far as the app is concerned
    monkeypatch.setattr(walkthrough.app, "run", lambda path, read_only=False: opened.append((path, read_only)) or 0)
    assert main(["--db", str(tmp_path / "x.sqlite3")]) == 0
    monkeypatch.setenv("WALKTHROUGH_DB", str(tmp_path / "env.sqlite3"))
    assert main([]) == 0
    assert main(["--read-only"]) == 0
    assert opened == [(tmp_path / "x.sqlite3", False), (tmp_path / "env.sqlite3", False),
                      (tmp_path / "env.sqlite3", True)]


@pytest.mark.slow
def test_kill_9_during_a_5000_row_import_leaves_none_or_all_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    run = [sys.executable, "-m", "walkthrough", "--db", str(db)]
    wid = subprocess.run([*run, "new", "--lens", "general", "--service", "S", "--site", "T"], env=env,
                         capture_output=True, text=True, check=True, cwd=PROJECT_ROOT).stdout.strip()
    source = tmp_path / "big.csv"
    rows = "".join(f"reception,,could-be-better,,Row {i} ✓,staff\n" for i in range(5000))
    source.write_text("area,prompt,rating,principles,note,voice\n" + rows, encoding="utf-8")
    rng = random.Random(20261129)
    expected = 0
    outcomes = set()
    for attempt in range(6):
        proc = subprocess.Popen([*run, "import-csv", wid, str(source)], env=env, cwd=PROJECT_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if attempt < 5:
            time.sleep(rng.uniform(0.2, 2.5))
            proc.kill()  # SIGKILL: no chance to clean up
        proc.wait(timeout=120)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
        conn.close()
        assert count in (expected, expected + 5000), (attempt, count)
        outcomes.add("all" if count > expected else "none")
        expected = count
    assert "all" in outcomes  # the last, unhurried run completes


def test_counts_of_one_are_singular(cli, tmp_path: Path) -> None:
    """'1 photo', '1 observation', '1 problem': never '1 photos' or 'problem(s)'."""
    from walkthrough.domain.english import counted

    assert counted(1, "photo", "photos") == "1 photo"
    assert counted(0, "photo", "photos") == "0 photos"
    assert counted(13, "finding", "findings") == "13 findings"
    import walkthrough.cli as cli_module

    source = "".join(p.read_text(encoding="utf-8") for p in Path(cli_module.__file__).parent.glob("*.py"))
    assert "(s)" not in source and "'s' if" not in source


def test_errors_keep_the_command_lines_words_naming_its_commands_and_options(cli: Cli, wid: str) -> None:
    # The window words these errors its own way (walkthrough/gui/error_wording.py); here they name
    # what to type.
    assert cli("--read-only", "observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "x") == 1
    assert_one_line_error(cli, "opened read-only", "without --read-only")
    assert cli("observe", "zzzzzzzz", "--area", "entrance", "--rating", "working-well", "--note", "x") == 1
    assert_one_line_error(cli, "no walkthrough", "`walkthrough list`")
    assert cli("backup") == 0
    backup = Path(cli.out.strip().splitlines()[-1])
    data = cli.db_path.read_bytes()
    cli.db_path.write_bytes(data[:100] + b"\x00" * (len(data) - 100))
    assert cli("list") == 1
    # The newest good backup: the one just made, or the day's automatic one made beside it
    # within the same second (which of the two is newest is a matter of timing).
    assert_one_line_error(cli, "the database is damaged", "walkthrough --db", f" restore {backup.parent}/")


def test_no_copy_backup_or_export_writes_over_another_walkthrough_database(cli: Cli, wid: str, tmp_path: Path,
                                                                           test_lens) -> None:
    """A colleague's database on a shared stick, or a backup kept by hand, is never replaced without a word."""
    from walkthrough.services.walkthroughs import create_walkthrough, list_walkthroughs
    from walkthrough.storage.database import open_database

    stick = tmp_path / "usb"
    stick.mkdir()
    theirs = stick / "w.sqlite3"  # the name copy-db gives a copy put in the folder
    with open_database(theirs) as db:
        create_walkthrough(db, test_lens, service="Colleague's walkthrough", site="Elsewhere")
    before = theirs.read_bytes()

    assert cli("copy-db", f"{stick}/") == 1
    assert_one_line_error(cli, str(theirs), "walkthrough database", "nothing was written", "--replace")
    assert cli("backup", str(theirs)) == 1
    assert_one_line_error(cli, "nothing was written", "--replace")
    assert cli("export-csv", wid, str(theirs)) == 1
    assert_one_line_error(cli, "walkthrough database", "nothing was written")
    assert theirs.read_bytes() == before

    # An older copy of one's own database is written over when asked.
    assert cli("copy-db", f"{stick}/", "--replace") == 0
    with open_database(theirs, read_only=True) as db:
        assert [w.id for w in list_walkthroughs(db)] == [wid]
    # And a backup kept by hand is never replaced by the next one to the same name.
    kept = tmp_path / "kept.sqlite3"
    assert cli("backup", str(kept)) == 0
    assert cli("backup", str(kept)) == 1
    assert_one_line_error(cli, str(kept), "nothing was written")


# -- a database on a PostgreSQL server ------------------------------------------------


def _report_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_demo_then_report_on_postgresql_gives_the_same_report_as_on_sqlite(
    cli: Cli, postgresql_server, tmp_path: Path
) -> None:
    server = Cli(postgresql_server.new_server_database(), cli.capsys)  # a database of its own, as made by createdb
    reports = []
    for each in (cli, server):
        assert each("demo") == 0, each.err
        wid = each.out.strip()
        assert each("report", wid, "-o", tmp_path / f"{len(reports)}.pdf") == 0, each.err
        reports.append(_report_text(tmp_path / f"{len(reports)}.pdf"))
        assert each("list") == 0 and "45 observations, 7 photos, 17/17 areas" in each.out
    assert len(reports[1]) == len(reports[0]) > 3
    assert reports[1] == reports[0]


def test_on_postgresql_the_data_commands_work_without_a_lock_and_the_file_commands_say_they_are_for_files(
    cli: Cli, postgresql_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_user_dirs: Path
) -> None:
    here, out = tmp_path / "here", tmp_path / "out"
    here.mkdir()
    out.mkdir()
    monkeypatch.chdir(here)  # where a URL taken for a path would make its folders and lock file
    server = Cli(postgresql_url, cli.capsys)
    assert server("list") == 0 and "no walkthroughs yet" in server.err  # and none made
    assert server("demo") == 0
    wid = server.out.strip()
    assert server("observe", wid[:8], "--area", "reception", "--rating", "1", "--note", "Quiet corner") == 0
    assert server("edit", wid, "--site", "Stromness") == 0 and "site:" in server.out
    assert server("export-csv", wid, out / "w.csv") == 0 and "exported 46 observations" in server.out
    assert server("import-csv", wid, out / "w.csv", "--as-new") == 0 and "imported 46 new" in server.out
    assert server("photos", "export", wid, out / "photos") == 0 and "exported 7 photos" in server.out
    assert server("report", wid, "-o", out / "r.pdf", "--no-photos") == 0
    assert server("check") == 0
    assert "healthy — 1 walkthrough, 92 observations, 7 photos checked" in server.out
    assert "backups here are for database files" in server.out
    from sqlalchemy import create_engine, text

    engine = create_engine(postgresql_url)
    with engine.begin() as conn:  # damage one photo: check's data checks find it on the server too
        conn.execute(text("UPDATE photo SET jpeg = '\\xffd8ff00' WHERE id = (SELECT min(id) FROM photo)"))
    engine.dispose()
    assert server("check") == 1 and "problem  photo" in server.out and "checksum" in server.out
    assert list(here.iterdir()) == []  # no lock file, nothing else
    assert not any(_isolated_user_dirs.rglob("*.lock"))
    from walkthrough.cli import _lock_for, build_parser

    for argv in (["demo"], ["new", "--lens", "l", "--service", "s", "--site", "t"],  # they lock a file
                 ["observe", "w", "--area", "a", "--note", "n"], ["import-csv", "w", "in.csv"]):
        args = build_parser().parse_args(["--db", postgresql_url, *argv])
        assert isinstance(_lock_for(args, None), contextlib.nullcontext), argv
    for args in (["backup"], ["backups"], ["restore", out / "w.csv"], ["copy-db", out]):
        assert server(*args) == 1
        assert_one_line_error(server, f"`walkthrough {args[0]}` is for database files",
                              f"{postgresql_url} is a PostgreSQL database")
    assert server() == 1  # no command: the desktop app
    assert_one_line_error(server, "the desktop app is for database files", "the commands in `walkthrough --help`")
    monkeypatch.setenv("WALKTHROUGH_DB", postgresql_url)  # the same as --db
    assert main(["copy-db", str(out)]) == 1
    assert "is a PostgreSQL database" in cli.capsys.readouterr().err
    assert main(["list"]) == 0 and wid in cli.capsys.readouterr().out
    assert list(here.iterdir()) == [] and sorted(p.name for p in out.iterdir()) == ["photos", "r.pdf", "w.csv"]


@pytest.mark.parametrize(("date", "says"), [("14/10/2026", "write year-month-day"),
                                            ("2026-02-31", "not a day on the calendar")])
def test_new_with_a_wrong_date_is_one_line_and_starts_nothing(cli: Cli, date: str, says: str) -> None:
    """As ``edit`` does: one ``error:`` line (not a usage message), and no walkthrough."""
    assert cli("new", "--lens", "general", "--service", "S", "--site", "T", "--date", date) == 1
    assert_one_line_error(cli, f"--date '{date}'", says, "no walkthrough was started")
    assert cli("list") == 0 and cli.out == ""


def test_observe_with_nothing_noticed_nor_rated_records_nothing(cli: Cli, wid: str) -> None:
    assert cli("observe", wid, "--area", "entrance", "--note", "  ") == 1
    assert_one_line_error(cli, "--note is empty", "nothing to record")
    assert cli("list") == 0 and "0 observations" in cli.out
    assert cli("observe", wid, "--area", "entrance", "--note", "", "--rating", "1") == 0  # rated: kept


def test_photos_export_into_a_file_says_it_is_a_file(cli: Cli, wid: str, tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    assert cli("photos", "export", wid, existing) == 1
    assert_one_line_error(cli, str(existing), "is a file, not a folder")
    assert existing.read_text() == "mine"


# -- pipes, no display, ``-`` for standard output, a repeated visit ----------------------


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    base = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    kwargs.setdefault("cwd", PROJECT_ROOT)
    return subprocess.run([sys.executable, "-m", "walkthrough", *args], env=env or base,
                          capture_output=True, timeout=120, check=False, **kwargs)


def new(db: Path, capsys, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "new", "--lens", "general", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_warns_about_a_second_walkthrough_of_the_same_visit_but_still_creates_it(tmp_path: Path, capsys) -> None:
    db = tmp_path / "w.sqlite3"
    code, first, err = new(db, capsys, "--service", "Orkney Recovery", "--site", "Kirkwall", "--date", "2026-11-03")
    assert code == 0 and err == ""
    code, second, err = new(db, capsys, "--service", " orkney  RECOVERY ", "--site", "kirkwall ",
                            "--date", "2026-11-03")
    assert code == 0 and second.strip() and second != first  # scripts rely on it being created
    [line] = err.splitlines()
    assert line.startswith("warning: a walkthrough of Orkney Recovery at Kirkwall on 2026-11-03 already exists")
    assert first.strip() in line
    code, _, err = new(db, capsys, "--service", "Orkney Recovery", "--site", "Kirkwall", "--date", "2026-11-04")
    assert code == 0 and err == ""  # another day is another visit


def test_output_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    # Repeat the lens 200 times so the output is far bigger than the pipe's buffer: the write must meet the
    # closed pipe, not just the final flush.
    done = subprocess.run(
        f"{sys.executable} -m walkthrough lens show general | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.stdout.startswith("general ")
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 0 if all the output fitted in the pipe before head left


def test_a_broken_pipe_mid_output_exits_141_without_a_message(tmp_path: Path) -> None:
    """Deterministic: the reader has gone before the first line is written."""
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "walkthrough", "lens", "show", "general"], env=env,
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `head` having exited
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_the_desktop_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
        pytest.skip("only X11/Wayland systems can lack a display")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WALKTHROUGH_HOME"] = str(tmp_path / "home")
    done = run(tmp_path, "--db", str(tmp_path / "w.sqlite3"), env=env, text=True)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "error: no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set): the desktop app needs one; "
        "the commands in `walkthrough --help` work without it\n"
    )


def test_export_csv_dash_writes_the_csv_to_standard_output(tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    wid = run(tmp_path, "--db", db, "demo", text=True).stdout.strip()
    file = tmp_path / "obs.csv"
    assert run(tmp_path, "--db", db, "export-csv", wid, str(file)).returncode == 0
    done = run(tmp_path, "--db", db, "export-csv", wid, "-", cwd=tmp_path)
    assert done.returncode == 0
    assert not (tmp_path / "-").exists()
    # The same CSV as the file, less the BOM a spreadsheet needs and a pipe does not.
    assert file.read_bytes() == b"\xef\xbb\xbf" + done.stdout
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    assert rows[0][:5] == ["area", "area_name", "prompt", "prompt_text", "rating"]
    assert done.stderr.decode().strip() == f"exported {len(rows) - 1} observations"


def test_export_csv_help_explains_the_dash(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["export-csv", "--help"])
    assert '"-" writes the CSV to standard output' in " ".join(capsys.readouterr().out.split())


# -- destinations: a path ending in a separator is a folder that must exist ---------------


def _cli(db: Path, capsys, *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(["--db", str(db), *map(str, args)])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(sample_database: tuple[Path, str]) -> tuple[Path, str]:
    """A database holding the demo walkthrough (it has photos), and the walkthrough's id."""
    return sample_database


def _writing_commands(wid: str, dest: str) -> list[list[str]]:
    return [["copy-db", dest], ["backup", dest], ["export-csv", wid, dest], ["report", wid, "-o", dest],
            ["photos", "export", wid, dest]]


def _files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.mark.parametrize("command", range(5), ids=["copy-db", "backup", "export-csv", "report", "photos export"])
@pytest.mark.parametrize("separator", sorted({os.sep, os.altsep or os.sep}))
def test_a_destination_ending_in_a_separator_that_is_no_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys, demo_db: tuple[Path, str], command: int, separator: str
) -> None:
    db, wid = demo_db
    stick = tmp_path / "media" / "usb"  # the stick is not plugged in: /media is there, /media/usb is not
    stick.parent.mkdir()
    dest = f"{stick}{separator}"
    before = _files_under(tmp_path)
    code, out, err = _cli(db, capsys, *_writing_commands(wid, dest)[command])
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"error: {dest}: no such folder (is the USB stick or disk connected?); "
                                "nothing was written"]
    assert _files_under(tmp_path) == before  # no file called usb, no usb.pdf, no folder made


def test_a_destination_ending_in_a_separator_that_is_a_file_is_refused(
    tmp_path: Path, capsys, demo_db: tuple[Path, str]
) -> None:
    db, _ = demo_db
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    code, _, err = _cli(db, capsys, "copy-db", f"{existing}{os.sep}")
    assert code == 1 and err.strip() == f"error: {existing}{os.sep}: a file, not a folder; nothing was written"
    assert existing.read_text() == "mine"


@pytest.mark.parametrize("command", range(5), ids=["copy-db", "backup", "export-csv", "report", "photos export"])
def test_a_destination_in_a_folder_that_does_not_exist_is_refused_and_no_folder_is_made(
    tmp_path: Path, capsys, demo_db: tuple[Path, str], command: int
) -> None:
    db, wid = demo_db
    (tmp_path / "media").mkdir()
    missing = tmp_path / "media" / "usb"
    dest = str(missing / "out")
    before = _files_under(tmp_path)
    code, out, err = _cli(db, capsys, *_writing_commands(wid, dest)[command])
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"error: {dest}: no such folder: {missing} (is the USB stick or disk connected?); "
                                "nothing was written"]
    assert _files_under(tmp_path) == before


def test_a_destination_inside_a_file_is_refused(tmp_path: Path, capsys, demo_db: tuple[Path, str]) -> None:
    db, wid = demo_db
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    code, _, err = _cli(db, capsys, "export-csv", wid, a_file / "o.csv")
    assert code == 1 and err.strip().startswith(f"error: {a_file / 'o.csv'}: not a folder: {a_file} ")
    assert a_file.read_text() == "mine"


def test_existing_folders_with_or_without_a_separator_still_take_the_output(
    tmp_path: Path, capsys, demo_db: tuple[Path, str]
) -> None:
    db, wid = demo_db
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = _cli(db, capsys, "copy-db", f"{stick}{os.sep}")
    assert code == 0 and (stick / "w.sqlite3").is_file(), err
    code, out, err = _cli(db, capsys, "backup", f"{stick}{os.sep}")
    assert code == 0 and Path(out.strip()).parent == stick, err
    code, out, err = _cli(db, capsys, "photos", "export", wid, f"{stick}{os.sep}")
    assert code == 0 and list(stick.glob("*.jpg")), err
    # photos export makes the one folder it is given, inside an existing one, as before
    code, out, err = _cli(db, capsys, "photos", "export", wid, stick / "photos")
    assert code == 0 and list((stick / "photos").glob("*.jpg")), err
    code, out, err = _cli(db, capsys, "export-csv", wid, "-")
    assert code == 0 and out.startswith("area,"), err


def test_a_database_path_ending_in_a_separator_is_refused(tmp_path: Path, capsys) -> None:
    stick = tmp_path / "usb"
    capsys.readouterr()
    code = main(["--db", f"{stick}{os.sep}", "demo"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.strip() == (f"error: --db {stick}{os.sep}: a folder, not a database file; give the file, like "
                           f"{stick / 'walkthroughs.sqlite3'}")
    assert not stick.exists()


# -- report --area takes names, as observe does ------------------------------------------


def test_report_area_accepts_a_name_as_observe_does(tmp_path: Path, capsys, demo_db: tuple[Path, str]) -> None:
    db, wid = demo_db
    code, _, err = _cli(db, capsys, "report", wid, "-o", tmp_path / "r.pdf", "--area", "Waiting area",
                        "--area", "waiting-area", "--area", " RECEPTION ")
    assert code == 0, err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = _cli(db, capsys, "report", wid, "-o", tmp_path / "s.pdf", "--area", "Garden")
    assert code == 1 and err.strip().startswith("error: unknown area 'Garden' (areas: ")
    assert not (tmp_path / "s.pdf").exists()
