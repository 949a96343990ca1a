"""The report's content as a neutral outline: sections, headings, paragraphs, tables and photo references.

:func:`build_outline` turns the :class:`~walkthrough.report.findings.Findings`
(numbered, grouped and counted before any layout) into a list of blocks that
says *what* the report says and in which order, with no page layout and no
ReportLab: the PDF (:mod:`walkthrough.report.story`) and the Word document
(:mod:`walkthrough.report.docx_writer`) are both laid out from it, so a
section, a sentence or what a finding shows is written once, here.  A
renderer decides only how things look and break across pages.

The blocks themselves are :mod:`walkthrough.report.document_blocks`.
Photos are referenced, never loaded: a renderer fetches each when it
places it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from walkthrough.domain.improvement_plan import QUICK_WIN_DEFINITION
from walkthrough.domain.lens import AreaKind, FindingKind
from walkthrough.domain.not_rated import NOT_RATED_LABEL
from walkthrough.domain.records import ActionRecord, PhotoRecord
from walkthrough.report.document_blocks import (
    TEXT_WIDTH_MM,
    Block,
    Bullets,
    Cell,
    Chart,
    Heading,
    Observation,
    PageBreak,
    Para,
    PhotoRef,
    Span,
    Table,
    Text,
    plain,
    rating_words,
)
from walkthrough.report.findings import NO_PRINCIPLE, Findings, ObservationEntry, principle_names
from walkthrough.report.plain_text import clean, first_sentence, one_line, plain_paragraphs, shorten
from walkthrough.report.wording import (
    AREA_KIND_WORDS,
    PRIORITY_WORDS,
    REPORT_TITLE,
    ROLE_COUNT_WORDS,
    ROLE_ORDER,
    ROLE_WORDS,
    STATUS_WORDS,
    VOICE_WORDS,
    counted,
    listing,
    long_date,
    short_date,
)

@dataclass
class _Outline:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


# ---------------------------------------------------------------------------
# Small builders
# ---------------------------------------------------------------------------


def _cell(text: str, *, bold: bool = False, italic: bool = False, numeric: bool = False) -> Cell:
    return Cell(paras=(plain(text, bold=bold, italic=italic),), numeric=numeric)


def _head(*labels: str) -> tuple[Cell, ...]:
    return tuple(_cell(label, bold=True) for label in labels)


def _ref_span(entry: ObservationEntry) -> Span:
    return Span(entry.ref, link=entry.anchor)


def _entry_brief(entry: ObservationEntry) -> Text:
    """``3.2  Reception — Is the waiting area calm? — The first sentence.``"""
    prompt = one_line(entry.prompt.question) if entry.prompt else "Other observation"
    sentence = first_sentence(entry.record.note)
    rest = " — ".join([prompt, *([sentence] if sentence else [])])
    return (_ref_span(entry), Span("  "), Span(one_line(entry.area_title), bold=True), Span(" — " + rest))


def _team_by_role(findings: Findings) -> str:
    """``2 people with lived experience, 3 members of staff and 1 manager`` (or names)."""
    team = findings.contents.walkthrough.participants
    if not team:
        return "No team members recorded"
    if findings.options.include_names:
        return listing([f"{one_line(m.name)} ({ROLE_WORDS[m.role]})" for m in team])
    per_role = Counter(m.role for m in team)
    return listing(
        [counted(per_role[role], *ROLE_COUNT_WORDS[role]) for role in ROLE_ORDER if per_role.get(role)]
    )


def _key_values(rows: Sequence[tuple[str, Text]]) -> Table:
    return Table(
        header=None,
        rows=tuple((_cell(label, bold=True), Cell(paras=(value,))) for label, value in rows),
        widths=(42.0, TEXT_WIDTH_MM - 42.0),
        kind="key_values",
    )


# ---------------------------------------------------------------------------
# The outline
# ---------------------------------------------------------------------------


def build_outline(findings: Findings) -> list[Block]:
    """The whole report as blocks, in reading order (as the PDF's sections)."""
    out = _Outline()
    _cover(out, findings)
    for section in (_summary, _method, _findings_by_area, _findings_by_principle, _improvement_plan, _appendix):
        out.add(PageBreak())
        section(out, findings)
    return out.blocks


def place_of(findings: Findings) -> str:
    """``Service — Site`` (or the service alone) on one line."""
    record = findings.contents.walkthrough
    service, site = one_line(record.service), one_line(record.site)
    return f"{service} — {site}" if site else service


def _cover(out: _Outline, findings: Findings) -> None:
    record = findings.contents.walkthrough
    lens = findings.lens
    facilitators = listing([one_line(name) for name in record.facilitators if one_line(name)])
    rows: list[tuple[str, Text]] = [
        ("Date of walkthrough", plain(long_date(record.visit_date))),
        ("Lens", plain(f"{one_line(lens.title)}, version {one_line(lens.version)}")),
        ("Facilitated by", plain(facilitators or "Not recorded")),
        ("Who took part", plain(_team_by_role(findings))),
    ]
    marking = one_line(findings.options.protective_marking)
    if marking:
        rows.append(("Protective marking", plain(marking, bold=True)))
    principles = listing([one_line(p.name) for p in lens.principles])
    out.add(Heading(0, REPORT_TITLE, "cover"), Para(plain(record.service, bold=True), "subtitle"))
    if one_line(record.site):
        out.add(Para(plain(record.site), "subtitle"))
    out.add(
        _key_values(rows),
        Para(
            plain(
                "This report sets out what a walkthrough team saw and heard as they followed the routes a "
                "person takes through the service: the physical route through the building and the procedural "
                f"route of contact, letters and appointments. They looked through the principles {principles}, "
                "as in Scotland's National Trauma Transformation Programme. Each rating is given in words and "
                "with a symbol as well as a colour."
            ),
            "meta",
        ),
    )
    if findings.options.area_ids is not None:
        out.add(Para(plain("This report covers a selection of the service's areas only."), "meta"))


def _summary(out: _Outline, findings: Findings) -> None:
    n = len(findings.entries)
    out.add(Heading(1, "Summary", "summary", in_contents=True))
    if n:
        per_rating = [
            f"{findings.rating_total(r.id)} {one_line(r.label)}" for r in findings.ratings if findings.rating_total(r.id)
        ]
        out.add(Para(plain(
            f"The team recorded {counted(n, 'observation', 'observations')} in "
            f"{counted(len(findings.areas), 'area', 'areas')}. By rating: {listing(per_rating)}."
        ), "lead"))
    else:
        out.add(Para(plain("No observations were recorded."), "lead"))

    out.add(
        Heading(2, "Ratings by principle", "summary-chart"),
        Chart(
            with_chart=plain(
                "Each bar counts the observations tagged with a principle, by rating. An observation tagged with "
                "several principles counts under each. The table gives the same numbers."
            ),
            without_chart=plain(
                "The table counts the observations tagged with each principle, by rating. An observation tagged "
                "with several principles counts under each."
            ),
        ),
    )
    header = (_cell("Principle", bold=True),) + tuple(
        _cell(rating_words(r), bold=True, numeric=True) for r in findings.ratings
    ) + (_cell("Total", bold=True, numeric=True),)
    rows = []
    for pid, name in findings.principle_rows:
        counts = [findings.counts.get((pid, r.id), 0) for r in findings.ratings]
        label = _cell(name) if pid != NO_PRINCIPLE else _cell("No principle", italic=True)
        rows.append(
            (label, *(_cell(str(c), numeric=True) for c in counts), _cell(str(sum(counts)), bold=True, numeric=True))
        )
    rating_width = (TEXT_WIDTH_MM - 50.0 - 16.0) / max(len(findings.ratings), 1)
    out.add(Table(header, tuple(rows), (50.0, *([rating_width] * len(findings.ratings)), 16.0)))

    strengths = findings.entries_of(FindingKind.STRENGTH)
    concerns = findings.entries_of(FindingKind.PRIORITY_CONCERN)
    out.add(Heading(2, "Strengths", "summary-strengths"))
    out.add(Bullets(tuple(_entry_brief(e) for e in strengths)) if strengths else Para(plain("None recorded.")))
    out.add(Heading(2, "Priority concerns", "summary-concerns"))
    out.add(Bullets(tuple(_entry_brief(e) for e in concerns)) if concerns else Para(plain("None recorded.")))
    unrated = findings.not_rated_entries
    if unrated:
        # Said, never hidden: the reader must know the findings above are not the whole picture yet.
        out.add(
            Heading(2, NOT_RATED_LABEL, "summary-not-rated"),
            Para(plain(
                f"{counted(len(unrated), 'observation was', 'observations were')} written down but not given a "
                "rating, so not counted as a strength, an opportunity or a concern:"
            )),
            Bullets(tuple(_entry_brief(e) for e in unrated)),
        )


def _method(out: _Outline, findings: Findings) -> None:
    record = findings.contents.walkthrough
    lens = findings.lens
    n = len(findings.entries)
    lived = findings.lived_experience_count
    photos = findings.photo_count
    out.add(
        Heading(1, "How the walkthrough was done", "method", in_contents=True),
        Para((
            Span(f"On {long_date(record.visit_date)} a team walked the service using the lens "),
            Span(one_line(lens.title), bold=True),
            Span(
                f" (version {one_line(lens.version)}). At each stop they asked the lens's questions and recorded "
                "what they saw and heard as observations: a rating, a note, the principles it touches and whose "
                "voice it records, with photos where they help."
            ),
        ), "lead"),
    )
    photo_words = counted(photos, "photo", "photos")
    if photos and not findings.options.include_photos:
        photo_words += " (not shown in this report)"
    walked = f"{len(findings.areas)} of {counted(len(findings.covered_areas), 'area', 'areas')}"
    share = f" ({round(100 * lived / n)}%)" if n else ""
    out.add(_key_values([
        ("Team", plain(_team_by_role(findings))),
        ("Areas walked", plain(walked)),
        ("Observations", plain(str(n))),
        ("Photos", plain(photo_words)),
        ("Voice of lived experience", plain(f"{lived} of {counted(n, 'observation', 'observations')}{share}")),
        ("Improvement actions", plain(str(findings.action_count))),
    ]))
    if findings.options.area_ids is not None:
        out.add(Para(plain(
            "This report covers only these areas of the lens: "
            + listing([one_line(a.title) for a in findings.covered_areas]) + "."
            if findings.covered_areas
            else "This report covers none of the lens's areas."
        ), "meta"))

    out.add(Heading(2, "Areas walked", "method-areas"))
    walked_ids = {a.area_id for a in findings.areas}
    for kind in AreaKind:
        titles = [one_line(a.title) for a in findings.covered_areas if a.kind is kind and a.id in walked_ids]
        if titles:
            out.add(Para((Span(f"{AREA_KIND_WORDS[kind]}:", bold=True), Span(f" {listing(titles)}."))))
    others = [one_line(a.title) for a in findings.areas if a.kind is None]
    if others:
        out.add(Para((Span("Not in the lens:", bold=True), Span(f" {listing(others)}."))))
    if not findings.areas:
        out.add(Para(plain("No area has observations yet.")))
    if findings.unwalked_areas:
        titles = listing([one_line(a.title) for a in findings.unwalked_areas])
        out.add(Para((Span("No observations recorded:", bold=True), Span(f" {titles}."))))

    out.add(Heading(2, "Rating scale", "method-ratings"))
    rows = tuple(
        (Cell(rating=rating), _cell(rating.meaning), _cell(str(findings.rating_total(rating.id)), numeric=True))
        for rating in findings.ratings
    )
    header = (_cell("Rating", bold=True), _cell("What it means", bold=True),
              _cell("Observations", bold=True, numeric=True))
    out.add(Table(header, rows, (44.0, TEXT_WIDTH_MM - 70.0, 26.0)))


def _findings_by_area(out: _Outline, findings: Findings) -> None:
    out.add(
        Heading(1, "Findings by area", "areas", in_contents=True),
        Para(plain(
            "Areas are in walking order. Each observation has a reference (area.observation) that the "
            "other sections use."
        ), "meta"),
    )
    if not findings.areas:
        out.add(Para(plain("No observations were recorded.")))
    for area in findings.areas:
        out.add(Heading(2, f"{area.number}. {one_line(area.title)}", f"area-{area.number}", in_contents=True))
        about = [AREA_KIND_WORDS[area.kind]] if area.kind else []
        if one_line(area.description):
            about.append(one_line(area.description))
        if about:
            out.add(Para(plain(" · ".join(about)), "meta"))
        for group in area.groups:
            question = one_line(group.prompt.question) if group.prompt else "Other observations in this area"
            out.add(Heading(3, question, f"area-{area.number}-{group.entries[0].ref}", bookmark=False))
            for entry in group.entries:
                out.add(_observation(findings, entry))


def _observation(findings: Findings, entry: ObservationEntry) -> Observation:
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
    return Observation(
        ref=entry.ref,
        anchor=entry.anchor,
        rating=entry.rating,
        details=tuple(details),
        note=tuple(plain_paragraphs(record.note)),
        photos=photos,
    )


def _photo(number: int, photo: PhotoRecord, area_title: str) -> PhotoRef:
    caption = one_line(photo.caption)
    text: Text = (Span(f"Photo {number}", bold=True),) + ((Span(f". {clean(photo.caption).strip()}"),) if caption else ())
    # Never the file name: "IMG_2041.jpg" tells a listener nothing, and a name like "Sandy at the desk.jpg"
    # could say what the report leaves out.
    return PhotoRef(number=number, photo=photo, caption=text,
                    alt=one_line(photo.alt_text) or caption or f"Photo {number}, {one_line(area_title)}")


def _findings_by_principle(out: _Outline, findings: Findings) -> None:
    out.add(
        Heading(1, "Findings by principle", "principles", in_contents=True),
        Para(plain(
            "The same observations seen through each principle. The reference leads to the full observation "
            "under Findings by area."
        ), "meta"),
    )
    for index, (pid, name) in enumerate(findings.principle_rows, start=1):
        principle = findings.lens.principle(pid) if pid != NO_PRINCIPLE else None
        out.add(Heading(2, one_line(name), f"principle-{index}"))
        if principle is not None:
            out.add(Para(plain(principle.meaning), "meta"))
        entries = (
            findings.entries_with_principle(pid)
            if pid != NO_PRINCIPLE
            else [e for e in findings.entries if not e.record.principle_ids]
        )
        if not entries:
            out.add(Para(plain("No observations were tagged with this principle.")))
            continue
        rows = []
        for entry in entries:
            note = shorten(one_line(entry.record.note), 120)
            rows.append((
                Cell(paras=((_ref_span(entry),),)),
                _cell(entry.area_title),
                Cell(rating=entry.rating),
                _cell(note) if note else _cell("No note", italic=True),
            ))
        out.add(Table(_head("Ref", "Area", "Rating", "Note"), tuple(rows), (14.0, 40.0, 38.0, TEXT_WIDTH_MM - 92.0)))


def _improvement_plan(out: _Outline, findings: Findings) -> None:
    out.add(Heading(1, "Improvement plan", "plan", in_contents=True), Heading(2, "Strengths to build on", "plan-strengths"))
    strengths = findings.entries_of(FindingKind.STRENGTH)
    if strengths:
        out.add(
            Para(plain(
                "Progress already made: what the team saw working well. Keep these in place while making the "
                "changes below, and tell the people who made them happen."
            )),
            Bullets(tuple(_entry_brief(e) for e in strengths)),
        )
    else:
        out.add(Para(plain("No strengths were recorded on this walkthrough.")))

    out.add(Heading(2, "Actions", "plan-actions"))
    if not findings.action_groups:
        if findings.plan_action_count:
            out.add(Para(plain(
                f"The improvement plan has {counted(findings.plan_action_count, 'action', 'actions')}; "
                "none of them answers a finding in the areas this report covers."
            )))
        else:
            out.add(Para(plain("No improvement actions have been recorded yet.")))
        return
    quick_wins = any(findings.is_quick_win(a) for g in findings.action_groups for a in g.actions)
    out.add(Para(plain(
        f"{counted(findings.action_count, 'action', 'actions')}, grouped by core component. "
        "References in brackets are the observations an action responds to."
        + (f" {QUICK_WIN_DEFINITION}" if quick_wins else "")
    )))
    refs = {e.record.id: e for e in findings.entries}  # in walking order
    for index, group in enumerate(findings.action_groups, start=1):
        out.add(Heading(3, one_line(group.name), f"component-{index}"))
        rows = tuple(_action_row(findings, action, refs) for action in group.actions)
        # Narrow columns sized so "13 Nov 2026", "Priority" and "In progress" never wrap.
        out.add(Table(_head("Action", "Principles", "Owner", "Due", "Priority", "Status"), rows,
                      (TEXT_WIDTH_MM - 108.0, 26.0, 24.0, 22.5, 15.5, 20.0)))


def _action_row(findings: Findings, action: ActionRecord, refs: dict[str, ObservationEntry]) -> tuple[Cell, ...]:
    parts: list[Text] = [(Span(p),) for p in plain_paragraphs(action.text)] or [plain("No description", italic=True)]
    if findings.is_quick_win(action):
        parts[0] = (Span("★ "), *parts[0])
    linked = [entry for oid, entry in refs.items() if oid in action.observation_ids]
    meta_from = None
    if linked:
        meta_from = len(parts)
        spans: list[Span] = [Span("(")]
        for i, entry in enumerate(linked):
            spans += [*([Span(", ")] if i else []), _ref_span(entry)]
        parts.append((*spans, Span(")")))
    principles = ", ".join(one_line(name) for name in principle_names(findings.lens, action.principle_ids))
    priority = PRIORITY_WORDS[action.priority]
    return (
        Cell(paras=tuple(parts), meta_from=meta_from),
        _cell(principles or "—"),
        _cell(one_line(action.owner) or "—"),
        _cell(short_date(action.due_date) if action.due_date else "—"),
        _cell(priority, bold=priority == "High"),
        _cell(STATUS_WORDS[action.status]),
    )


def _appendix(out: _Outline, findings: Findings) -> None:
    lens = findings.lens
    out.add(
        Heading(1, "Appendix: the lens", "appendix", in_contents=True),
        Para((Span(one_line(lens.title), bold=True), Span(f", version {one_line(lens.version)}")), "lead"),
        *[Para((Span(p),)) for p in plain_paragraphs(lens.description)],
        Heading(2, "Principles", "appendix-principles"),
        Table(
            _head("Principle", "What it means"),
            tuple((_cell(p.name, bold=True), _cell(p.meaning)) for p in lens.principles),
            (45.0, TEXT_WIDTH_MM - 45.0),
        ),
        Heading(2, "Areas and prompts", "appendix-areas"),
        Para(plain("The questions the team asked at each stop, in walking order."), "meta"),
    )
    for area in lens.areas:
        about = AREA_KIND_WORDS[area.kind]
        if one_line(area.description):
            about += " · " + one_line(area.description)
        out.add(Heading(3, one_line(area.title), f"appendix-area-{area.id}", bookmark=False), Para(plain(about), "meta"))
        rows = []
        for prompt in area.prompts:
            question = [plain(prompt.question)]
            if one_line(prompt.guidance):
                question.append(plain(prompt.guidance))
            names = ", ".join(one_line(name) for name in principle_names(lens, prompt.principles))
            rows.append((Cell(paras=tuple(question), meta_from=1), _cell(names)))
        out.add(Table(_head("Prompt", "Principles"), tuple(rows), (TEXT_WIDTH_MM - 45.0, 45.0)))
    out.add(
        Heading(2, "Core components", "appendix-components"),
        Para(plain("Improvement actions are grouped under these core components:")),
        Bullets(tuple(plain(c.name) for c in lens.components)),
    )
