"""The report's outline: what every format says, in which order, before any layout."""

from __future__ import annotations

import dataclasses

from tests.unit.report_fixtures import PhotoStore, action, contents, observation
from walkthrough.report import ReportOptions
from walkthrough.report.findings import gather_findings
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Chart, Heading, Observation, PageBreak, Table, text_of
from walkthrough.report.outline import build_outline


def _outline(snapshot, options: ReportOptions = ReportOptions()):
    return build_outline(gather_findings(snapshot, options))


def _snapshot(store: PhotoStore):
    photo = store.add("o1", 1200, 800, "")
    return contents(
        [
            observation("entrance", "entrance-signs", "priority-concern", "Sign.\x07 It says <b>keep out</b>.",
                        photos=[photo], obs_id="o1"),
            observation("waiting", None, None, "", obs_id="o2"),
        ],
        [action("Replace the sign.", observation_ids=("o1",))],
    )


def test_sections_come_in_order_each_on_a_new_page() -> None:
    blocks = _outline(_snapshot(PhotoStore()))
    sections = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert sections == ["Summary", "How the walkthrough was done", "Findings by area", "Findings by principle",
                        "Improvement plan", "Appendix: the lens"]
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1:
            assert isinstance(blocks[index - 1], PageBreak)
    contents_lines = [b.text for b in blocks if isinstance(b, Heading) and b.in_contents]
    assert contents_lines == sections[:3] + ["1. Arriving and entrance", "2. Waiting area"] + sections[3:]


def test_an_observation_keeps_its_note_as_typed_and_its_photo_says_what_it_shows() -> None:
    store = PhotoStore()
    observations = [b for b in _outline(_snapshot(store)) if isinstance(b, Observation)]
    first, second = observations
    assert first.ref == "1.1" and first.note == ("Sign. It says <b>keep out</b>.",)  # control character gone
    assert first.details == ("Safety", "Voice: Facilitator")
    (photo,) = first.photos
    assert photo.alt == "Photo 1, Arriving and entrance"  # no alt text, no caption: never the file name
    assert text_of(photo.caption) == "Photo 1"
    assert second.rating.label == "Not rated yet" and second.note == ()
    assert store.fetches == []  # the outline refers to photos, never loads them


def test_a_photo_s_alt_text_is_the_one_written_else_its_caption() -> None:
    store = PhotoStore()
    written = store.add("o1", 1200, 800, "Front door", alt_text="A glass door with the bell out of reach")
    captioned = store.add("o1", 1200, 800, "Front door", position=1)
    snapshot = contents([observation("entrance", "entrance-signs", "priority-concern", "Sign.",
                                     photos=[written, captioned], obs_id="o1")], [])
    [block] = [b for b in _outline(snapshot) if isinstance(b, Observation)]
    assert [p.alt for p in block.photos] == ["A glass door with the bell out of reach", "Front door"]
    assert text_of(block.photos[0].caption) == "Photo 1. Front door"  # the caption stays the caption


def test_options_leave_out_photos_and_voice() -> None:
    blocks = _outline(_snapshot(PhotoStore()), ReportOptions(include_photos=False, include_voice=False))
    first = next(b for b in blocks if isinstance(b, Observation))
    assert first.photos == () and first.details == ("Safety",)


def test_every_table_fills_the_text_width_and_has_a_header_unless_it_is_label_and_value() -> None:
    for block in _outline(_snapshot(PhotoStore())):
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
