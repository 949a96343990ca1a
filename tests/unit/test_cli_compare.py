"""``walkthrough compare``: two walks side by side at the command line.

(Beside ``test_cli.py``, which is long; the same ``Cli`` runner and fixtures.)
"""

from __future__ import annotations

import datetime as dt

from tests.unit.test_cli import Cli, assert_one_line_error, cli, wid  # noqa: F401 (fixtures)


def _observe(cli: Cli, wid: str, prompt: str, rating: str) -> None:
    area = {"entrance-clear": "entrance", "entrance-welcome": "entrance", "reception-privacy": "reception",
            "letters-plain": "letters"}[prompt]
    assert cli("observe", wid, "--area", area, "--prompt", prompt, "--rating", rating, "--note", "n") == 0, cli.err


def test_compare_prints_a_line_per_prompt_and_the_counts(cli: Cli, wid: str) -> None:
    assert cli("new", "--lens", "test-lens", "--service", "S", "--site", "T") == 0
    later = cli.out.strip()
    _observe(cli, wid, "entrance-clear", "priority-concern")
    _observe(cli, wid, "entrance-welcome", "working-well")
    _observe(cli, wid, "reception-privacy", "could-be-better")
    _observe(cli, later, "entrance-clear", "working-well")
    _observe(cli, later, "entrance-welcome", "working-well")
    _observe(cli, later, "letters-plain", "not-seen")
    _observe(cli, later, "letters-plain", "could-be-better")

    assert cli("compare", wid[:6], later) == 0, cli.err
    assert cli.out.splitlines() == [
        "Entrance  entrance-clear  Priority concern → Working well  improved",
        "Entrance  entrance-welcome  Working well → Working well  same",
        "Reception  reception-privacy  Could be better → —  not revisited",
        "Letters and texts  letters-plain  — → Could be better  newly observed",
        "improved 1, same 1, worse 0, new 1, not revisited 1",
    ]
    assert cli.err == ""  # the same (empty) team: no caution


def test_compare_says_when_the_teams_differ(cli: Cli, wid: str) -> None:
    assert cli("new", "--lens", "test-lens", "--service", "S", "--site", "T",
               "--participant", "Sandy=lived-experience", "--participant", "Jo=staff") == 0
    later = cli.out.strip()
    assert cli("compare", wid, later) == 0
    assert cli.out.splitlines() == ["improved 0, same 0, worse 0, new 0, not revisited 0"]
    assert cli.err.startswith("warning: the teams differ (0 then, 2 now, 0 and 1 with lived experience")
    assert "less comparable" in cli.err


def test_compare_with_an_unknown_id_is_one_line_and_exit_1(cli: Cli, wid: str) -> None:
    assert cli("compare", wid, "feedbeef") == 1
    assert_one_line_error(cli, "no walkthrough with id 'feedbeef'")
    assert cli.out == ""


def test_report_compare_adds_the_section_to_the_pdf_and_the_word_document(cli: Cli, wid: str, tmp_path) -> None:
    import docx
    from pypdf import PdfReader

    assert cli("new", "--lens", "test-lens", "--service", "S", "--site", "T") == 0
    later = cli.out.strip()
    _observe(cli, wid, "entrance-clear", "priority-concern")
    _observe(cli, later, "entrance-clear", "working-well")
    assert cli("report", later, "--compare", wid[:6], "-o", tmp_path / "f.pdf") == 0, cli.err
    text = " ".join((page.extract_text() or "") for page in PdfReader(tmp_path / "f.pdf").pages)
    assert "What changed since the earlier walk" in " ".join(text.split())
    assert cli("report", later, "--compare", wid, "-o", tmp_path / "f.docx") == 0, cli.err
    document = docx.Document(str(tmp_path / "f.docx"))
    assert "What changed since the earlier walk" in [p.text for p in document.paragraphs]
    assert cli("report", later, "--compare", "feedbeef", "-o", tmp_path / "g.pdf") == 1
    assert_one_line_error(cli, "no walkthrough with id 'feedbeef'")
    assert not (tmp_path / "g.pdf").exists()


def test_compare_the_wrong_way_round_or_with_itself_says_so(cli: Cli, wid: str) -> None:
    assert cli("new", "--lens", "test-lens", "--service", "S", "--site", "T", "--date", "2020-01-15") == 0
    earlier = cli.out.strip()
    assert cli("compare", wid, earlier) == 0  # the later walk given first
    assert cli.err.strip() == (f"warning: the earlier walk given ({dt.date.today().isoformat()}) is later than "
                               "the follow-up (2020-01-15): give the earlier walk first")
    assert cli("compare", earlier, wid) == 0 and cli.err == ""
    assert cli("compare", wid, wid) == 0
    assert cli.err.strip() == "warning: that is one walk compared with itself: every prompt is the same"
