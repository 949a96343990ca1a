"""The findings: *What people told us*, *Findings by area* and *Principles*.

*Findings by area* is where every note is shown whole, with the actions
answering it; a *Working well* finding is shown compactly.  *What people
told us* shows, whole, the notes recorded in the voice of people with lived
experience (the rule of :func:`walkthrough.domain.report_rules.is_lived_experience_voice`);
it is left out when the report says nothing of voices (``include_voice``
off, as in a public version).  *Principles* counts, and refers to the
findings by number rather than repeating them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walkthrough.domain.lens import FindingKind
from walkthrough.domain.records import PhotoRecord
from walkthrough.domain.report_rules import is_lived_experience_voice
from walkthrough.report.document_blocks import (
    TEXT_WIDTH_MM,
    Cell,
    Chart,
    Heading,
    Observation,
    Para,
    PhotoRef,
    Span,
    Table,
    Text,
    plain,
    rating_words,
)
from walkthrough.report.findings import NO_PRINCIPLE, Findings, ObservationEntry
from walkthrough.report.outline_parts import answered_lines, cell, ref_span
from walkthrough.report.plain_text import clean, one_line, plain_paragraphs
from walkthrough.report.wording import VOICE_WORDS, counted

if TYPE_CHECKING:
    from walkthrough.report.outline import Outline


def what_people_told_us(out: Outline, findings: Findings) -> None:
    """The lived-experience voice, in their words: each such note whole, by area."""
    if not findings.options.include_voice:
        return
    voiced = [e for e in findings.entries if is_lived_experience_voice(e.record)]
    out.add(
        Heading(1, "What people told us", "voice", in_contents=True),
        Para(plain(
            f"In their own words: the {counted(len(voiced), 'observation', 'observations')} recorded in the voice "
            "of people with lived experience of services like this one, in walking order. Each number leads to "
            "the finding, its rating and the actions answering it."
        ), "lead"),
    )
    if not voiced:
        out.add(Para(plain("No observation was recorded in the voice of a person with lived experience.")))
        return
    for entry in voiced:
        paragraphs = plain_paragraphs(entry.record.note) or ["No note recorded."]
        out.add(Para((ref_span(entry), Span(f" {one_line(entry.area_title)}. ", bold=True), Span(paragraphs[0]))))
        out.add(*(Para((Span(p),)) for p in paragraphs[1:]))


def findings_by_area(out: Outline, findings: Findings) -> None:
    """Every observation, whole, by area in walking order; each finding with the actions answering it."""
    out.add(
        Heading(1, "Findings by area", "areas", in_contents=True),
        Para(plain(
            "Areas are in walking order, the physical route first, then the procedural. Each observation has a "
            "number (area.observation) that the other sections use; the actions answering it are under its "
            "note. What is working well comes last in each area, in brief."
        ), "meta"),
    )
    if not findings.areas:
        out.add(Para(plain("No observations were recorded.")))
    for area in findings.areas:
        # (The area's description is the lens's: in the lens appendix, where asked for.)
        out.add(Heading(2, f"{area.number}. {one_line(area.title)}", f"area-{area.number}", in_contents=True))
        strengths: list[ObservationEntry] = []
        for group in area.groups:
            shown = [e for e in group.entries if e.rating.finding is not FindingKind.STRENGTH]
            strengths += [e for e in group.entries if e.rating.finding is FindingKind.STRENGTH]
            if not shown:
                continue
            question = one_line(group.prompt.question) if group.prompt else "Other observations in this area"
            out.add(Heading(3, question, f"area-{area.number}-{shown[0].ref}", bookmark=False))
            for entry in shown:
                out.add(_observation(findings, entry))
        if strengths:
            # Last in the area, each under its rating and prompt on one line, without a heading of its own.
            for entry in strengths:
                out.add(_observation(findings, entry, compact=True))


def _observation(findings: Findings, entry: ObservationEntry, *, compact: bool = False) -> Observation:
    record = entry.record
    details = []
    if entry.principle_names:
        details.append(" · ".join(one_line(n) for n in entry.principle_names))
    if findings.options.include_voice:
        details.append(f"Voice: {VOICE_WORDS[record.voice]}")
    photos: tuple[PhotoRef, ...] = ()
    if findings.options.include_photos:
        photos = tuple(_photo(number, photo, entry.area_title)
                       for number, photo in zip(entry.photo_numbers, record.photos))
    concern = entry.rating.finding is FindingKind.PRIORITY_CONCERN
    return Observation(
        ref=entry.ref,
        anchor=entry.anchor,
        rating=entry.rating,
        details=tuple(details),
        note=tuple(plain_paragraphs(record.note)),
        photos=photos,
        actions=answered_lines(findings, entry, concern=concern),
        compact=compact,
        context=(one_line(entry.prompt.question) if entry.prompt else "Other observation") if compact else "",
    )


def _photo(number: int, photo: PhotoRecord, area_title: str) -> PhotoRef:
    caption = one_line(photo.caption)
    text: Text = (Span(f"Photo {number}", bold=True),) + ((Span(f". {clean(photo.caption).strip()}"),) if caption else ())
    return PhotoRef(number=number, photo=photo, caption=text,
                    alt=one_line(photo.alt_text) or caption or f"Photo {number}, {one_line(area_title)}")


def principles(out: Outline, findings: Findings) -> None:
    """One page: the chart, and per principle its counts and the numbers of its findings."""
    out.add(
        Heading(1, "Principles", "principles", in_contents=True),
        Chart(
            with_chart=plain(
                "Each bar counts the observations tagged with a principle, by rating; an observation tagged "
                "with several principles counts under each. The table gives the same numbers and the findings "
                "behind them."
            ),
            without_chart=plain(
                "The table counts the observations tagged with each principle, by rating (an observation tagged "
                "with several principles counts under each), and gives the findings behind them."
            ),
        ),
    )
    ratings = findings.ratings
    header = (cell("Principle", bold=True),) + tuple(
        cell(rating_words(r), bold=True, numeric=True) for r in ratings
    ) + (cell("Total", bold=True, numeric=True),)
    rows = []
    for pid, name in findings.principle_rows:
        counts = [findings.counts.get((pid, r.id), 0) for r in ratings]
        label = cell(name) if pid != NO_PRINCIPLE else cell("No principle", italic=True)
        rows.append((label, *(cell(str(c), numeric=True) for c in counts), cell(str(sum(counts)), bold=True,
                                                                                 numeric=True)))
    rating_width = (TEXT_WIDTH_MM - 44.0 - 16.0) / max(len(ratings), 1)
    out.add(Table(header, tuple(rows), (44.0, *([rating_width] * len(ratings)), 16.0)))

    out.add(Heading(2, "The findings behind each principle", "principles-refs"))
    refs_rows = []
    for pid, name in findings.principle_rows:
        entries = (
            findings.entries_with_principle(pid)
            if pid != NO_PRINCIPLE
            else [e for e in findings.entries if not e.record.principle_ids]
        )
        paras: list[Text] = []
        for rating in ratings:
            with_rating = [e for e in entries if e.rating.id == rating.id]
            if rating.finding in (FindingKind.STRENGTH, FindingKind.OPPORTUNITY, FindingKind.PRIORITY_CONCERN) \
                    and with_rating:
                spans: list[Span] = [Span(f"{rating_words(rating)}: ", bold=True)]
                for i, entry in enumerate(with_rating):
                    spans += [*([Span(", ")] if i else []), ref_span(entry)]
                paras.append(tuple(spans))
        label = cell(name, bold=True) if pid != NO_PRINCIPLE else cell("No principle", italic=True)
        refs_rows.append((label, Cell(paras=tuple(paras) or (plain("None", italic=True),))))
    out.add(Table((cell("Principle", bold=True), cell("Findings, by rating", bold=True)), tuple(refs_rows),
                  (36.0, TEXT_WIDTH_MM - 36.0)))
