"""The report's comparison section: the same outline blocks for the PDF and the Word document."""

from __future__ import annotations

from tests.unit.report_fixtures import action, contents, observation
from walkthrough.domain.comparison import compare
from walkthrough.domain.vocabulary import ActionStatus, Voice
from walkthrough.report import ReportOptions
from walkthrough.report.document_blocks import Heading, PageBreak, Table, text_of
from walkthrough.report.findings import gather_findings
from walkthrough.report.outline import build_outline


def _walks():
    before = contents([
        observation("entrance", "entrance-signs", "priority-concern", "No sign.", obs_id="b1",
                    voice=Voice.LIVED_EXPERIENCE),
        observation("waiting", None, "could-be-better", "Loud TV.", obs_id="b2"),
    ], [action("Put up a sign.", observation_ids=("b1",), status=ActionStatus.DONE)])
    after = contents([observation("entrance", "entrance-signs", "priority-concern", "Sign too small.", obs_id="a1")])
    return before, after


def _cells(table: Table) -> list[list[str]]:
    return [[" ".join(text_of(p) for p in cell.paras) for cell in row] for row in table.rows]


def test_the_section_follows_at_a_glance_on_a_new_page_and_says_what_changed() -> None:
    before, after = _walks()
    blocks = build_outline(gather_findings(after, ReportOptions(), comparison=compare(before, after)))
    sections = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert sections[:3] == ["At a glance", "What changed since the earlier walk", "About this walk"]
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.key == "comparison")
    assert isinstance(blocks[start - 1], PageBreak)
    end = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.key == "about")
    section = blocks[start:end]
    tables = [b for b in section if isinstance(b, Table)]
    grid, prompts, concerns, actions = (_cells(t) for t in tables)
    assert grid[0][0] == "Arriving and entrance" and grid[0][1] == "! → ! same"
    assert grid[1][1] == "~ → ○ not revisited"  # the waiting area, its free-standing observation
    assert [row[2:] for row in prompts] == [["! Priority concern", "! Priority concern", "Same"]]
    assert concerns[0][1:] == ["Persisting", "Put up a sign. (Done; earlier walk's plan)"]
    assert actions[0][2] == "Done, but no improvement seen yet: something to learn from"
    words = " ".join(text_of(b.text) for b in section if hasattr(b, "text") and not isinstance(b, Heading))
    assert "improved 0, same 1, worse 0, newly observed 0 and not revisited 0" in words.lower()
    assert "never counted as resolved" in words


def test_without_a_comparison_there_is_no_section_and_without_voice_no_voices() -> None:
    before, after = _walks()
    plain = build_outline(gather_findings(after, ReportOptions()))
    assert not any(isinstance(b, Heading) and b.key.startswith("comparison") for b in plain)
    with_voices = build_outline(gather_findings(after, ReportOptions(), comparison=compare(before, after)))
    assert any(isinstance(b, Heading) and b.key == "comparison-voices" for b in with_voices)
    without = build_outline(gather_findings(after, ReportOptions(include_voice=False),
                                            comparison=compare(before, after)))
    assert not any(isinstance(b, Heading) and b.key == "comparison-voices" for b in without)
