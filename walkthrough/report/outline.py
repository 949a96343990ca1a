"""The report's content as a neutral outline: sections, headings, paragraphs, tables and photo references.

:func:`build_outline` turns the :class:`~walkthrough.report.findings.Findings`
(numbered, grouped and counted before any layout) into a list of blocks that
says *what* the report says and in which order, with no page layout and no
ReportLab: the PDF (:mod:`walkthrough.report.story`), the Word document
(:mod:`walkthrough.report.docx_writer`) and any other renderer are laid out
from it, so a section, a sentence or what a finding shows is written once.
A renderer decides only how things look and break across pages.

The sections, in order: the cover; *At a glance* (one page for leaders,
:mod:`.outline_glance`); *About this walk*; *What people told us*, *Findings
by area* and *Principles* (:mod:`.outline_findings`); the *Improvement plan*
and the optional lens appendix (:mod:`.outline_plan`).  Which findings a
section picks, and how it counts, are rules of
:mod:`walkthrough.domain.report_rules`, shared with the window.  No sentence
is made by cutting a note: a note is shown whole where it belongs, and
elsewhere a finding is named by its reference, area and prompt.

The blocks themselves are :mod:`walkthrough.report.document_blocks`.
Photos are referenced, never loaded: a renderer fetches each when it
places it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from walkthrough.report.comparison_section import comparison_blocks
from walkthrough.report.document_blocks import (
    TEXT_WIDTH_MM,
    Block,
    Cell,
    Heading,
    PageBreak,
    Para,
    Span,
    Table,
    Text,
    plain,
)
from walkthrough.report.findings import Findings
from walkthrough.report.outline_findings import findings_by_area, principles, what_people_told_us
from walkthrough.report.outline_glance import at_a_glance
from walkthrough.report.outline_parts import cell, head, key_values, lived_experience_words, team_by_role
from walkthrough.report.outline_plan import improvement_plan, lens_appendix
from walkthrough.report.plain_text import one_line
from walkthrough.report.wording import REPORT_TITLE, counted, listing, long_date

@dataclass
class Outline:
    """The blocks built so far; each section adds its own."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


#: The section headings' keys, in the order they appear (a test and other renderers may rely on it).
SECTION_KEYS = ("glance", "comparison", "about", "voice", "areas", "plan", "principles", "appendix")


def build_outline(findings: Findings) -> list[Block]:
    """The whole report as blocks, in reading order."""
    out = Outline()
    _cover(out, findings)
    # The first pages each start a page; the long sections after them follow on where there is room.
    sections = ((at_a_glance, 0.0), (what_changed, 0.0), (about_this_walk, 0.0), (what_people_told_us, 0.0),
                (findings_by_area, 90.0), (improvement_plan, 90.0), (principles, 0.0), (lens_appendix, 0.0))
    for section, room in sections:
        section_blocks = Outline()
        section(section_blocks, findings)
        if section_blocks.blocks:  # a section may have nothing to say (no voice, no appendix)
            out.add(PageBreak(room), *section_blocks.blocks)
    return out.blocks


def what_changed(out: Outline, findings: Findings) -> None:
    """*What changed since the earlier walk*, when the report compares this walk with one (``--compare``)."""
    if findings.comparison is not None:
        out.add(*comparison_blocks(findings.comparison, include_voice=findings.options.include_voice))


def place_of(findings: Findings) -> str:
    """``Service — Site`` (or the service alone) on one line."""
    record = findings.contents.walkthrough
    service, site = one_line(record.service), one_line(record.site)
    return f"{service} — {site}" if site else service


def _cover(out: Outline, findings: Findings) -> None:
    record = findings.contents.walkthrough
    options = findings.options
    rows: list[tuple[str, Text]] = [
        ("Date of the walk", plain(long_date(record.visit_date))),
        ("Report date", plain(long_date(findings.as_of))),
        ("Version", plain(one_line(options.edition) or "Draft")),
    ]
    marking = one_line(options.protective_marking)
    if marking:
        rows.append(("Protective marking", plain(marking, bold=True)))
    out.add(Heading(0, REPORT_TITLE, "cover"), Para(plain(record.service, bold=True), "subtitle"))
    if one_line(record.site):
        out.add(Para(plain(record.site), "subtitle"))
    out.add(key_values(rows))
    if options.public:
        out.add(Para(plain(
            "A version for publication: the team is named by role only, and whose voice each observation "
            "records and the photos are left out."
        ), "meta"))
    if options.area_ids is not None:
        out.add(Para(plain("This report covers a selection of the service's areas only."), "meta"))
    out.add(Para(plain("Other formats are available on request."), "meta"))


def about_this_walk(out: Outline, findings: Findings) -> None:
    """One page: who walked, what they looked through, how they rated, and what happens next."""
    record = findings.contents.walkthrough
    lens = findings.lens
    options = findings.options
    n = len(findings.entries)
    lived = findings.lived_experience_count
    out.add(
        Heading(1, "About this walk", "about", in_contents=True),
        Para((
            Span(f"On {long_date(record.visit_date)} a team walked the service as a person using it would, "
                 "through the building and through its contacts, letters and appointments, asking the questions "
                 "of the lens "),
            Span(one_line(lens.title), bold=True),
            Span(f" (version {one_line(lens.version)})."),
        )),
    )
    team = team_by_role(findings)
    share = lived_experience_words(findings)
    facilitators = [one_line(name) for name in record.facilitators if one_line(name)]
    if options.include_names:
        facilitated = listing(facilitators) or "Not recorded"
    else:
        facilitated = counted(len(facilitators), "facilitator", "facilitators") if facilitators else "Not recorded"
    photos = counted(findings.photo_count, "photo", "photos")
    if findings.photo_count and not options.include_photos:
        photos += " (not shown in this report)"
    walked = f"{len(findings.areas)} of {counted(len(findings.covered_areas), 'area', 'areas')}"
    if findings.unwalked_areas:
        walked += "; none recorded in " + listing([one_line(a.title) for a in findings.unwalked_areas])
    voice = f"{lived} of {counted(n, 'observation', 'observations')}" + (f" ({round(100 * lived / n)}%)" if n else "")
    out.add(key_values([
        ("The team", plain(team + (f" ({share})" if share else ""))),
        ("Facilitated by", plain(facilitated)),
        ("Areas walked", plain(walked)),
        ("Observations", plain(f"{n}, with {photos}; {voice} in the voice of lived experience")),
    ]))
    if options.area_ids is not None:
        out.add(Para(plain(
            "This report covers only these areas of the lens: "
            + listing([one_line(a.title) for a in findings.covered_areas]) + "."
            if findings.covered_areas
            else "This report covers none of the lens's areas."
        ), "meta"))

    out.add(
        Heading(2, "The principles", "about-principles"),
        Table(head("Principle", "What it means"),
              tuple((cell(p.name, bold=True), cell(p.meaning)) for p in lens.principles),
              (34.0, TEXT_WIDTH_MM - 34.0)),
        Heading(2, "The rating key", "about-ratings"),
        Table(
            (cell("Rating", bold=True), cell("What it means", bold=True), cell("Count", bold=True, numeric=True)),
            tuple((Cell(rating=r), cell(r.meaning), cell(str(findings.rating_total(r.id)), numeric=True))
                  for r in findings.ratings),
            (42.0, TEXT_WIDTH_MM - 58.0, 16.0),
        ),
        Heading(2, "What happens next", "about-next"),
        Para(plain(
            "The team agrees which findings matter most (until then the priorities at the front are a proposal). "
            "Each action's owner reports progress by its due date; the people who took part hear what changed; "
            "a later walk checks whether people using the service notice the difference."
        )),
    )

