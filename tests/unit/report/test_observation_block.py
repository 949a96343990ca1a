"""Where observations break across pages in the findings report, read back from the PDF's text positions.

Each report repeats a short filler observation and the observation under
test once per area; the fillers differ in length, so the observations under
test land at many heights on their pages in one build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.unit.report_fixtures import PhotoStore, contents, observation, small_lens
from walkthrough.report import ReportOptions, build_report
from walkthrough.report.styles import MARGIN_BOTTOM, MARGIN_TOP, PAGE_HEIGHT

AREAS = 12
#: Room for a prompt (two lines), a reference line, two lines of note and the rule before them, with slack.
ROOM_FOR_A_START = 125.0

FILLER_SENTENCE = "Staff at the desk looked up and greeted each person who came in. "
SENTENCE = "The corridor was quiet and the door to the interview room stood open onto the waiting area. "


def _lens_yaml() -> str:
    areas = "".join(
        f"""
  - id: area-{i}
    title: "Area AREA{i}X"
    kind: physical
    description: "Where the walk goes next."
    prompts:
      - {{id: filler-{i}, question: "Is the filler prompt answered?", principles: [safety]}}
      - {{id: target-{i}, question: "PROMPT{i}X: does the prompt under test wrap onto a second line when printed
          in the report, as the longer prompts of a real lens do?", principles: [safety]}}"""
        for i in range(AREAS)
    )
    together = "".join(
        f"""
      - {{id: together-filler-{i}, question: "Is the filler prompt answered?", principles: [safety]}}
      - {{id: together-target-{i}, question: "PROMPT{i}X: does the prompt under test wrap onto a second line when
          printed in the report, as the longer prompts of a real lens do?", principles: [safety]}}"""
        for i in range(AREAS)
    )
    areas += f"""
  - id: together
    title: "All in one area"
    kind: procedural
    prompts:{together}"""
    return f"""
id: layout-lens
title: "Layout lens"
version: "1"
description: "Areas for the layout tests."
principles:
  - {{id: safety, name: Safety, meaning: "People feel safe."}}
areas:{areas}
"""


@dataclass(frozen=True)
class Line:
    page: int
    y: float
    text: str


def _lines(pdf: Path) -> list[Line]:
    """Every line of body text (header and footer left out), page by page, top to bottom."""
    lines: list[Line] = []
    top, bottom = PAGE_HEIGHT - MARGIN_TOP + 2, MARGIN_BOTTOM - 4
    for number, page in enumerate(PdfReader(pdf).pages):
        pieces: dict[int, list[tuple[float, str]]] = {}

        def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                if bottom < y < top:
                    pieces.setdefault(round(y), []).append((x, text.strip()))

        page.extract_text(visitor_text=visit)
        for y in sorted(pieces, reverse=True):
            lines.append(Line(number, y, " ".join(t for _x, t in sorted(pieces[y]))))
    return lines


def _find(lines: list[Line], text: str) -> Line:
    """The first line containing ``text`` (spaces ignored: extraction may split or join words)."""
    wanted = "".join(text.split())
    found = [line for line in lines if wanted in "".join(line.text.split())]
    assert found, f"{text!r} is not in the report"
    return found[0]


def _room_below(lines: list[Line], page: int) -> float:
    """Points between the last line of text on ``page`` and the foot of the frame."""
    lowest = min(line.y for line in lines if line.page == page)
    return lowest - 3 - MARGIN_BOTTOM  # 3: below the baseline, the descenders


def _filler(i: int) -> str:
    """Between one and nine lines, different in each area."""
    return f"FILLER{i}X " + FILLER_SENTENCE * (1 + (i * 5) % 9) + f"\n\nENDFILLER{i}X"


def _build(tmp_path: Path, targets: list, store: PhotoStore | None = None, filler=None) -> list[Line]:
    """The findings' lines of a report with target ``i`` after filler ``i``, each pair under its own prompts."""
    observations = []
    for i, target in enumerate(targets):
        # "Could be better": a Working well filler would be listed briefly at the end of its area instead.
        observations.append(observation(target.area_id, target.prompt_id.replace("target", "filler"), "could-be-better",
                                        (filler or _filler)(i), position=2 * i))
        observations.append(target)
    out = tmp_path / "layout.pdf"
    build_report(contents(observations, lens=small_lens(_lens_yaml())), store or PhotoStore(), out, ReportOptions())
    lines = _lines(out)
    # Only the findings by area: the contents, summary and other sections quote the same words.
    start = next(n for n, line in enumerate(lines) if line.text == "Findings by area" and line.page > 0)
    end = next(n for n, line in enumerate(lines) if line.text == "Improvement plan" and n > start)
    return lines[start:end]


def _long_first_paragraph(i: int) -> str:
    return f"START{i}X " + SENTENCE * 14 + "\n\nA short second paragraph."


def _long_note(i: int) -> str:
    """About fifteen lines in one paragraph, as people often type: too long to move whole with its photo."""
    return f"START{i}X " + SENTENCE * 15 + f"END{i}X"


def test_observation_without_photo_starts_where_there_is_room(tmp_path: Path) -> None:
    """Its prompt, reference and first lines of note go on the page before if they fit; the rest runs on."""
    targets = [
        observation("together", f"together-target-{i}", "could-be-better", _long_first_paragraph(i), position=2 * i + 1)
        for i in range(AREAS)
    ]
    lines = _build(tmp_path, targets)
    moved = 0
    for i in range(AREAS):
        filler_end = _find(lines, f"ENDFILLER{i}X")
        start = _find(lines, f"START{i}X")
        prompt = _find(lines, f"PROMPT{i}X")
        assert prompt.page == start.page, f"target {i}: its prompt is stranded at the foot of page {prompt.page + 1}"
        if start.page > filler_end.page:
            moved += 1
            room = _room_below(lines, start.page - 1)
            assert room < ROOM_FOR_A_START, (
                f"target {i} starts page {start.page + 1}, but page {start.page} had {room:.0f} pt free"
            )
    assert moved < AREAS


def test_area_heading_is_never_left_at_the_foot_of_a_page(tmp_path: Path) -> None:
    targets = [
        observation(f"area-{i}", f"target-{i}", "could-be-better", _long_first_paragraph(i), position=2 * i + 1)
        for i in range(AREAS)
    ]
    # Each area opens with a filler of about ten lines: more than fits under a heading near the foot of a page.
    lines = _build(tmp_path, targets, filler=lambda i: _filler(i).replace("X ", "X " + FILLER_SENTENCE * 9, 1))
    for i in range(AREAS):
        heading = _find(lines, f"AREA{i}X")
        first = _find(lines, f"FILLER{i}X")
        assert heading.page == first.page, f"area {i + 1}'s heading is alone at the foot of page {heading.page + 1}"


@pytest.fixture(scope="module")
def long_notes_with_photos(tmp_path_factory: pytest.TempPathFactory) -> list[Line]:
    store = PhotoStore()
    targets = []
    for i in range(AREAS):
        photo = store.add(f"o-target-{i}", 1200, 800, f"CAPTION{i}X")
        # One area: a new area starts a new page when the page is nearly full, which would hide the breaks.
        targets.append(observation("together", f"together-target-{i}", "priority-concern", _long_note(i), photos=[photo],
                                   obs_id=f"o-target-{i}", position=2 * i + 1))
    return _build(tmp_path_factory.mktemp("long-notes"), targets, store)


def test_long_note_keeps_its_heading_with_its_start_and_its_photo_with_its_end(
    long_notes_with_photos: list[Line],
) -> None:
    lines = long_notes_with_photos
    for i in range(AREAS):
        prompt = _find(lines, f"PROMPT{i}X")
        start = _find(lines, f"START{i}X")
        end = _find(lines, f"END{i}X")
        caption = _find(lines, f"CAPTION{i}X")
        assert prompt.page == start.page, f"target {i}: heading on page {prompt.page + 1}, note on {start.page + 1}"
        assert caption.page == end.page, f"target {i}: photo on page {caption.page + 1}, its note ends on " \
                                         f"page {end.page + 1}"
        # Text of its own note is above the photo on the photo's page: the photo does not open a page.
        above = [line for line in lines if line.page == caption.page and line.y > caption.y]
        assert any("corridor" in line.text or f"END{i}X" in line.text for line in above), (
            f"target {i}: photo opens page {caption.page + 1}")


def test_long_note_flows_rather_than_leaving_a_page_empty(long_notes_with_photos: list[Line]) -> None:
    lines = long_notes_with_photos
    flowed = 0
    for i in range(AREAS):
        start = _find(lines, f"START{i}X")
        caption = _find(lines, f"CAPTION{i}X")
        flowed += caption.page > start.page
        if start.page > _find(lines, f"ENDFILLER{i}X").page:
            room = _room_below(lines, start.page - 1)
            assert room < ROOM_FOR_A_START, (
                f"target {i} starts page {start.page + 1}, but page {start.page} had {room:.0f} pt free"
            )
    assert flowed, "no long note ran on to the photo's page: the sweep did not test the split"
