"""The report's outline: what every format says, in which order, before any layout."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.unit.report_fixtures import PhotoStore, action, contents, observation
from walkthrough.domain.vocabulary import ActionStatus, Priority, Voice
from walkthrough.report import LensAppendix, ReportOptions
from walkthrough.report.document_blocks import (
    TEXT_WIDTH_MM,
    Bullets,
    Chart,
    Heading,
    Observation,
    PageBreak,
    Para,
    Table,
    text_of,
)
from walkthrough.report.findings import gather_findings
from walkthrough.report.outline import SECTION_KEYS, build_outline

SECTIONS = ["At a glance", "About this walk", "What people told us", "Findings by area", "Improvement plan",
            "Principles"]
LONG_NOTE = (
    "The bus stops at the pier. It is a four-minute walk, and there is no sign until you reach the car park.\n\n"
    "A team member with lived experience said: \"I walked past it twice.\" Nobody had noticed before the walk."
)


def _outline(snapshot, options: ReportOptions = ReportOptions()):
    return build_outline(gather_findings(snapshot, options, as_of=dt.date(2025, 4, 1)))


def _texts(blocks) -> list[str]:
    """Every piece of text the outline says, block by block (a table cell or a note paragraph each)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Para):
            out.append(text_of(block.text))
        elif isinstance(block, Bullets):
            out += [text_of(item) for item in block.items]
        elif isinstance(block, Table):
            for row in ((block.header or ()), *block.rows):
                out += [text_of(p) for cell in row for p in cell.paras]
        elif isinstance(block, Observation):
            out += [*block.note, *block.details, block.context, *(text_of(t) for t in block.actions),
                    *(text_of(p.caption) for p in block.photos), *(p.alt for p in block.photos)]
        elif isinstance(block, Chart):
            out += [text_of(block.with_chart), text_of(block.without_chart)]
    return out


def _section(blocks, title: str):
    """The blocks of one section (from its heading to the next section's page break)."""
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1 and b.text == title)
    end = next((i for i in range(start + 1, len(blocks))
                if isinstance(blocks[i], Heading) and blocks[i].level == 1), len(blocks))
    return blocks[start:end]


def _snapshot(store: PhotoStore):
    photo = store.add("o1", 1200, 800, "")
    return contents(
        [
            observation("entrance", "entrance-signs", "priority-concern", "Sign.\x07 It says <b>keep out</b>.",
                        photos=[photo], obs_id="o1"),
            observation("entrance", "entrance-welcome", "working-well", LONG_NOTE, obs_id="o3",
                        voice=Voice.LIVED_EXPERIENCE),
            observation("waiting", None, None, "", obs_id="o2"),
        ],
        [action("Replace the sign.", observation_ids=("o1",))],
    )


def _concerns(n: int, store: PhotoStore | None = None):
    """``n`` priority concerns in walking order: the k-th tagged with k principles (up to five)."""
    principles = ("safety", "trust", "choice", "collaboration", "empowerment")
    return [
        observation("entrance" if k < 3 else "waiting", None, "priority-concern", f"Concern number {k}.",
                    principles=principles[: 1 + k % 5], obs_id=f"c{k}")
        for k in range(n)
    ]


# -- sections ------------------------------------------------------------------------------------


def test_sections_come_in_order_each_on_a_new_page() -> None:
    blocks = _outline(_snapshot(PhotoStore()))
    assert isinstance(blocks[0], Heading) and blocks[0].level == 0
    sections = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert sections == SECTIONS
    keys = [b.key for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert keys == [k for k in SECTION_KEYS if k in keys] and "appendix" not in keys
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1:
            assert isinstance(blocks[index - 1], PageBreak)
    contents_lines = [b.text for b in blocks if isinstance(b, Heading) and b.in_contents]
    assert contents_lines == sections[:4] + ["1. Arriving and entrance", "2. Waiting area"] + sections[4:]


def test_the_cover_says_dates_version_marking_and_other_formats() -> None:
    blocks = _outline(_snapshot(PhotoStore()), ReportOptions(edition="Final, version 2"))
    cover = " | ".join(_texts(blocks[: blocks.index(next(b for b in blocks if isinstance(b, PageBreak)))]))
    for words in ("14 March 2025", "Report date", "1 April 2025", "Final, version 2", "OFFICIAL-SENSITIVE",
                  "Other formats are available on request."):
        assert words in cover
    assert "Draft" in " ".join(_texts(_outline(_snapshot(PhotoStore()))))


# -- at a glance ---------------------------------------------------------------------------------


def test_at_a_glance_proposes_at_most_five_priority_concerns_with_their_actions_and_says_not_chosen() -> None:
    concerns = _concerns(7)
    plan = [action("Fix the first.", owner="Ann", due=dt.date(2025, 5, 2), observation_ids=("c4",))]
    blocks = _outline(contents(concerns, plan))
    glance = _section(blocks, "At a glance")
    assert any("not yet chosen by the team" in t for t in _texts(glance))
    table = next(b for b in glance if isinstance(b, Table))
    finding_refs = [row[0].paras[0][0].text for row in table.rows]
    # Most principles first (c4: five, c3 and c8-like: four...), shown in walking order.
    assert len(finding_refs) == 5
    assert finding_refs == sorted(finding_refs, key=lambda r: tuple(int(x) for x in r.split(".")))
    answered = next(row for row in table.rows if row[0].paras[0][0].text == "2.2")  # c4, the fifth in the walk
    assert text_of(answered[1].paras[0]) == "A1  Ann · due 2 May 2025 · Not started"
    assert any(text_of(row[1].paras[0]) == "No action yet" for row in table.rows)


def test_at_a_glance_counts_actions_by_status_and_flags_concerns_with_no_action() -> None:
    concerns = _concerns(2)
    plan = [
        action("A.", status=ActionStatus.DONE, observation_ids=("c0",)),
        action("B.", status=ActionStatus.IN_PROGRESS),
        action("C.", status=ActionStatus.IN_PROGRESS),
    ]
    texts = _texts(_section(_outline(contents(concerns, plan)), "At a glance"))
    assert any("3 actions as at 1 April 2025: 2 in progress and 1 done" in t for t in texts)
    flagged = next(t for t in texts if t.startswith("No action yet:"))
    assert "1.2" in flagged and "1.1" not in flagged


def test_at_a_glance_grid_counts_each_area_by_rating_with_the_areas_numbers() -> None:
    snapshot = contents([
        observation("entrance", None, "working-well", "a"),
        observation("entrance", None, "priority-concern", "b"),
        observation("waiting", None, "could-be-better", "c"),
    ])
    glance = _section(_outline(snapshot), "At a glance")
    grid = next(b for b in glance if isinstance(b, Table) and b.kind == "dense")
    (row,) = grid.rows  # two areas side by side in one row
    words = [text_of(cell.paras[0]) for cell in row]
    assert words[0] == "1. Arriving and entrance" and words[5] == "2. Waiting area"
    assert words[1:5] == ["1", "·", "1", "·"] and words[6:10] == ["·", "1", "·", "·"]


# -- notes are whole ----------------------------------------------------------------------------


def test_no_sentence_is_cut_from_a_note_each_note_is_whole_where_it_is_shown() -> None:
    blocks = _outline(_snapshot(PhotoStore()))
    paragraphs = LONG_NOTE.split("\n\n")
    texts = _texts(blocks)
    assert not any("…" in t for t in texts)
    for text in texts:
        for paragraph in paragraphs:
            if paragraph[:25] in text:
                assert paragraph in text, text  # never a start without its end
    observation_block = next(b for b in blocks if isinstance(b, Observation) and b.ref == "1.2")
    assert observation_block.note == tuple(paragraphs)


def test_what_people_told_us_shows_the_lived_experience_notes_whole() -> None:
    voice = _section(_outline(_snapshot(PhotoStore())), "What people told us")
    texts = _texts(voice)
    assert any(t.endswith(LONG_NOTE.split("\n\n")[0]) and t.startswith("1.2") for t in texts)
    assert LONG_NOTE.split("\n\n")[1] in texts
    assert not any("keep out" in t for t in texts)  # a facilitator's note is not their voice


# -- findings by area ----------------------------------------------------------------------------


def test_each_finding_shows_the_actions_answering_it_and_working_well_is_compact() -> None:
    blocks = _outline(_snapshot(PhotoStore()))
    by_ref = {b.ref: b for b in blocks if isinstance(b, Observation)}
    assert [text_of(t) for t in by_ref["1.1"].actions] == ["Action A1: Service manager · due 30 Jun 2025 · "
                                                          "Not started"]
    assert by_ref["1.1"].note == ("Sign. It says <b>keep out</b>.",)  # control character gone
    assert by_ref["1.1"].details == ("Safety", "Voice: Facilitator")
    assert by_ref["1.2"].compact and by_ref["1.2"].context == "How does the entrance feel?"
    assert not by_ref["1.1"].compact
    (photo,) = by_ref["1.1"].photos
    assert photo.alt == "Photo 1, Arriving and entrance"  # no alt text, no caption: never the file name
    assert text_of(photo.caption) == "Photo 1"
    assert by_ref["2.1"].rating.label == "Not rated yet" and by_ref["2.1"].note == ()


def test_a_photo_s_alt_text_is_the_one_written_else_its_caption() -> None:
    store = PhotoStore()
    written = store.add("o1", 1200, 800, "Front door", alt_text="A glass door with the bell out of reach")
    captioned = store.add("o1", 1200, 800, "Front door", position=1)
    snapshot = contents([observation("entrance", "entrance-signs", "priority-concern", "Sign.",
                                     photos=[written, captioned], obs_id="o1")], [])
    [block] = [b for b in _outline(snapshot) if isinstance(b, Observation)]
    assert [p.alt for p in block.photos] == ["A glass door with the bell out of reach", "Front door"]
    assert text_of(block.photos[0].caption) == "Photo 1. Front door"  # the caption stays the caption


def test_a_priority_concern_with_no_action_says_so_under_its_note() -> None:
    blocks = _outline(contents(_concerns(1)))
    (finding,) = [b for b in blocks if isinstance(b, Observation)]
    assert text_of(finding.actions[0]).startswith("No action yet")


def test_the_outline_refers_to_photos_and_never_loads_them() -> None:
    store = PhotoStore()
    _outline(_snapshot(store))
    assert store.fetches == []


# -- improvement plan and principles -------------------------------------------------------------


def test_the_plan_is_one_table_by_priority_then_due_date_with_quick_wins_marked() -> None:
    plan = [
        action("Low soon.", priority=Priority.LOW, due=dt.date(2025, 4, 5), position=0),
        action("High later.", priority=Priority.HIGH, due=dt.date(2025, 9, 1), position=1),
        action("High soon.", priority=Priority.HIGH, due=dt.date(2025, 4, 20), position=2),
        action("High, no date.", priority=Priority.HIGH, due=None, position=3),
    ]
    section = _section(_outline(contents([observation("entrance", None, "working-well", "x")], plan)),
                       "Improvement plan")
    (table,) = [b for b in section if isinstance(b, Table)]
    order = [text_of(row[1].paras[0]) for row in table.rows]
    assert order == ["★ High soon.", "High later.", "High, no date.", "★ Low soon."]
    assert [text_of(row[0].paras[0]) for row in table.rows] == ["A1", "A2", "A3", "A4"]
    assert any("as at 1 April 2025" in t for t in _texts(section))


def test_principles_page_counts_and_refers_to_findings_without_copying_notes() -> None:
    blocks = _outline(_snapshot(PhotoStore()))
    section = _section(blocks, "Principles")
    texts = " ".join(_texts(section))
    assert "1.1" in texts and "keep out" not in texts and "bus stops" not in texts
    links = [s.link for b in section if isinstance(b, Table) for row in b.rows for c in row for p in c.paras
             for s in p if s.link]
    assert "obs-1-1" in links


# -- options ---------------------------------------------------------------------------------------


def test_public_leaves_out_names_voices_and_every_photo() -> None:
    store = PhotoStore()
    options = ReportOptions(public=True, include_names=True, include_photos=True, include_voice=True)
    assert (options.include_names, options.include_voice, options.include_photos) == (False, False, False)
    blocks = _outline(_snapshot(store), options)
    texts = " ".join(_texts(blocks))
    for name in ("Ailsa Grant", "Ravi Shah", "Tom Reid", "Jo Smith", "Catriona MacLeod"):
        assert name not in texts
    assert "1 person with lived experience" in texts and "2 facilitators" in texts
    assert "What people told us" not in [b.text for b in blocks if isinstance(b, Heading)]
    observations = [b for b in blocks if isinstance(b, Observation)]
    assert all(b.photos == () and not any(d.startswith("Voice") for d in b.details) for b in observations)


def test_names_are_shown_only_when_asked_for() -> None:
    assert "Ailsa Grant" not in " ".join(_texts(_outline(_snapshot(PhotoStore()))))
    assert "Ailsa Grant" in " ".join(_texts(_outline(_snapshot(PhotoStore()), ReportOptions(include_names=True))))


def test_lens_appendix_none_used_or_all() -> None:
    snapshot = _snapshot(PhotoStore())
    headings = [b.text for b in _outline(snapshot) if isinstance(b, Heading)]
    assert "Appendix: the lens" not in headings
    used = " ".join(_texts(_outline(snapshot, ReportOptions(lens_appendix=LensAppendix.USED))))
    every = " ".join(_texts(_outline(snapshot, ReportOptions(lens_appendix=LensAppendix.ALL))))
    assert "Is it clear where to go?" in used and "Is the tone of letters warm and clear?" not in used
    assert "Is the tone of letters warm and clear?" in every and "Look at light and noise." in every


def test_a_report_of_some_areas_keeps_the_area_numbers_and_knows_the_plan_has_actions() -> None:
    snapshot = contents(
        [
            observation("entrance", None, "priority-concern", "Entrance.", obs_id="e1"),
            observation("waiting", None, "could-be-better", "Waiting.", obs_id="w1"),
        ],
        [action("For the entrance.", observation_ids=("e1",))],
    )
    blocks = _outline(snapshot, ReportOptions(area_ids=("waiting",)))
    assert [b.ref for b in blocks if isinstance(b, Observation)] == ["2.1"]
    assert "2. Waiting area" in [b.text for b in blocks if isinstance(b, Heading)]
    texts = _texts(blocks)
    assert "No improvement actions have been recorded yet." not in texts
    assert any("none of them answers a finding in the areas this report covers" in t for t in texts)


# -- shape -----------------------------------------------------------------------------------------


def test_every_table_fills_the_text_width_and_has_a_header_unless_it_is_label_and_value() -> None:
    for block in _outline(_snapshot(PhotoStore()), ReportOptions(lens_appendix=LensAppendix.ALL)):
        if isinstance(block, Table):
            assert abs(sum(block.widths) - TEXT_WIDTH_MM) < 0.01
            assert (block.header is None) == (block.kind == "key_values")
            assert all(len(row) == len(block.widths) for row in block.rows)


def test_the_chart_says_what_it_counts_with_and_without_a_drawing() -> None:
    chart = next(b for b in _outline(_snapshot(PhotoStore())) if isinstance(b, Chart))
    assert "Each bar" in text_of(chart.with_chart) and "bar" not in text_of(chart.without_chart)


def test_blocks_are_frozen_values() -> None:
    block = next(b for b in _outline(_snapshot(PhotoStore())) if isinstance(b, Heading))
    assert dataclasses.is_dataclass(block) and block.__dataclass_params__.frozen
