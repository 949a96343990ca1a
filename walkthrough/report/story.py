"""The report's content: a walkthrough snapshot turned into a list of flowables.

:func:`build_story` lays out, in order: cover, contents, summary, how the
walkthrough was done, findings by area, findings by principle, improvement
plan and the lens as an appendix.  Every string that came from a person or a
lens goes through :mod:`walkthrough.report.text_markup` before it reaches a
Paragraph.  Photos are fetched here, one at a time, and shrunk on the
executor's threads while the layout goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from walkthrough.domain.improvement_plan import QUICK_WIN_DEFINITION
from walkthrough.domain.lens import AreaKind, FindingKind
from walkthrough.domain.not_rated import NOT_RATED_LABEL
from walkthrough.domain.records import ActionRecord, PhotoRecord
from walkthrough.report.findings import NO_PRINCIPLE, Findings, ObservationEntry, principle_names
from walkthrough.report.headed_table import HeadedTable, RowTable
from walkthrough.report.observation_block import NoteParagraph, ObservationBlock, ObservationRule
from walkthrough.report.observation_head import ObservationHead
from walkthrough.report.photo_flowable import photo_flowable
from walkthrough.report.rating_chip import RatingChip
from walkthrough.report.styles import (
    BLUE,
    DARK_BLUE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    PALE,
    PHOTO_GAP,
    PHOTO_MAX_HEIGHT,
    PHOTO_MAX_WIDTH,
    RULE,
    Heading,
    styles,
    table_of_contents,
)
from walkthrough.report.summary_chart import ratings_chart
from walkthrough.report.text_markup import first_sentence, inline, one_line, paragraphs, shorten
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

PhotoSource = Callable[[str], bytes]
Step = Callable[[], None]

_LINK = BLUE.hexval().replace("0x", "#")


def build_story(
    findings: Findings, photo_jpeg: PhotoSource, step: Step, executor: Executor | None = None
) -> list[Flowable]:
    """The whole report as flowables.  ``step()`` is called once per observation and per photo.

    With ``executor``, photos are shrunk there while layout goes on.
    """
    story: list[Flowable] = []
    story += _cover(findings)
    story += [PageBreak(), *_contents()]
    story += [PageBreak(), *_summary(findings)]
    story += [PageBreak(), *_method(findings)]
    story += [PageBreak(), *_findings_by_area(findings, photo_jpeg, step, executor)]
    story += [PageBreak(), *_findings_by_principle(findings)]
    story += [PageBreak(), *_improvement_plan(findings)]
    story += [PageBreak(), *_appendix(findings)]
    return story


# ---------------------------------------------------------------------------
# Small builders
# ---------------------------------------------------------------------------


def _section(title: str, key: str) -> Heading:
    """A top-level section heading: bookmark and contents line."""
    return Heading(inline(title), styles().h1, title=one_line(title), key=key, outline_level=0, toc_level=0)


def _para(markup: str, style_name: str = "body") -> Paragraph:
    return Paragraph(markup, getattr(styles(), style_name))


def _bullets(items: Sequence[str]) -> list[Flowable]:
    return [Paragraph(item, styles().bullet, bulletText="•") for item in items]


def _ref_link(entry: ObservationEntry) -> str:
    return f'<a href="#{entry.anchor}" color="{_LINK}">{entry.ref}</a>'


def _table(
    rows: list[list[object]], widths: Sequence[float], *, header: bool = True, zebra: bool = False
) -> Table:
    """A plain table: hairlines between rows, a tinted header that repeats on every page."""
    table = RowTable(rows, colWidths=list(widths), repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), PALE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, DARK_BLUE),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _cell(markup: str, style_name: str = "cell") -> Paragraph:
    return Paragraph(markup, getattr(styles(), style_name))


def _head_cells(*labels: str) -> list[object]:
    return [_cell(label, "cell_head") for label in labels]


def _key_values(rows: list[tuple[str, str]]) -> Table:
    """Label / value pairs (markup) as a borderless two-column table."""
    data = [[_cell(label, "cell_head"), _cell(value)] for label, value in rows]
    table = Table(data, colWidths=[42 * mm, FRAME_WIDTH - 42 * mm], splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return table


def _entry_brief(entry: ObservationEntry) -> str:
    """``3.2 Reception — Is the waiting area calm? — The first sentence.`` as markup."""
    prompt = inline(one_line(entry.prompt.question)) if entry.prompt else "Other observation"
    sentence = first_sentence(entry.record.note)
    parts = [f"<b>{inline(entry.area_title)}</b>", prompt]
    if sentence:
        parts.append(inline(sentence))
    return f"{_ref_link(entry)}  " + " — ".join(parts)


def _team_by_role(findings: Findings) -> str:
    """``2 people with lived experience, 3 members of staff and 1 manager`` (or names)."""
    team = findings.contents.walkthrough.participants
    if not team:
        return "No team members recorded"
    if findings.options.include_names:
        return listing([f"{inline(one_line(m.name))} ({ROLE_WORDS[m.role]})" for m in team])
    per_role = Counter(m.role for m in team)
    return listing(
        [counted(per_role[role], *ROLE_COUNT_WORDS[role]) for role in ROLE_ORDER if per_role.get(role)]
    )


# ---------------------------------------------------------------------------
# Cover and contents
# ---------------------------------------------------------------------------


def _cover(findings: Findings) -> list[Flowable]:
    record = findings.contents.walkthrough
    lens = findings.lens
    s = styles()
    facilitators = listing([inline(one_line(name)) for name in record.facilitators if one_line(name)])
    rows = [
        ("Date of walkthrough", long_date(record.visit_date)),
        ("Lens", f"{inline(lens.title)}, version {inline(lens.version)}"),
        ("Facilitated by", facilitators or "Not recorded"),
        ("Who took part", _team_by_role(findings)),
    ]
    marking = one_line(findings.options.protective_marking)
    if marking:
        rows.append(("Protective marking", f"<b>{inline(marking)}</b>"))
    principles = listing([inline(p.name) for p in lens.principles])
    flow: list[Flowable] = [
        Spacer(1, 22 * mm),
        Heading(inline(REPORT_TITLE), s.title, title="Cover", key="cover", outline_level=0),
        Paragraph(f"<b>{inline(record.service)}</b>", s.subtitle),
    ]
    if one_line(record.site):
        flow.append(Paragraph(inline(record.site), s.subtitle))
    flow += [
        Spacer(1, 14 * mm),
        _key_values(rows),
        Spacer(1, 12 * mm),
        _para(
            "This report sets out what a walkthrough team saw and heard as they followed the routes a "
            "person takes through the service: the physical route through the building and the procedural "
            f"route of contact, letters and appointments. They looked through the principles {principles}, "
            "as in Scotland's National Trauma Transformation Programme. Each rating is given in words and "
            "with a symbol as well as a colour.",
            "meta",
        ),
    ]
    if findings.options.area_ids is not None:
        flow.append(_para("This report covers a selection of the service's areas only.", "meta"))
    return flow


def _contents() -> list[Flowable]:
    return [
        Heading("Contents", styles().h1, title="Contents", key="contents", outline_level=0),
        table_of_contents(),
    ]


# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------


def _summary(findings: Findings) -> list[Flowable]:
    s = styles()
    n = len(findings.entries)
    flow: list[Flowable] = [_section("Summary", "summary")]
    if n:
        per_rating = [
            f"{findings.rating_total(r.id)} {inline(r.label)}" for r in findings.ratings if findings.rating_total(r.id)
        ]
        flow.append(
            Paragraph(
                f"The team recorded {counted(n, 'observation', 'observations')} in "
                f"{counted(len(findings.areas), 'area', 'areas')}. By rating: {listing(per_rating)}.",
                s.lead,
            )
        )
    else:
        flow.append(Paragraph("No observations were recorded.", s.lead))

    rows = [
        (name, [findings.counts.get((pid, r.id), 0) for r in findings.ratings])
        for pid, name in findings.principle_rows
    ]
    flow += [
        Heading("Ratings by principle", s.h2, title="Ratings by principle", key="summary-chart", outline_level=1),
        _para(
            "Each bar counts the observations tagged with a principle, by rating. An observation tagged with "
            "several principles counts under each. The table gives the same numbers.",
            "meta",
        ),
        Spacer(1, 3),
        ratings_chart(rows, findings.ratings, FRAME_WIDTH),
        Spacer(1, 8),
    ]
    rating_width = (FRAME_WIDTH - 50 * mm - 16 * mm) / max(len(findings.ratings), 1)
    data: list[list[object]] = [
        [_cell("Principle", "cell_head")]
        + [_cell(inline(f"{r.symbol} {r.label}"), "cell_head_num") for r in findings.ratings]
        + [_cell("Total", "cell_head_num")]
    ]
    for (pid, name), (_, counts) in zip(findings.principle_rows, rows):
        label = inline(name) if pid != NO_PRINCIPLE else "<i>No principle</i>"
        data.append(
            [_cell(label)] + [_cell(str(c), "cell_num") for c in counts] + [_cell(f"<b>{sum(counts)}</b>", "cell_num")]
        )
    flow.append(_table(data, [50 * mm] + [rating_width] * len(findings.ratings) + [16 * mm]))

    strengths = findings.entries_of(FindingKind.STRENGTH)
    concerns = findings.entries_of(FindingKind.PRIORITY_CONCERN)
    flow.append(Heading("Strengths", s.h2, title="Strengths", key="summary-strengths", outline_level=1))
    flow += _bullets([_entry_brief(e) for e in strengths]) if strengths else [_para("None recorded.")]
    flow.append(
        Heading("Priority concerns", s.h2, title="Priority concerns", key="summary-concerns", outline_level=1)
    )
    flow += _bullets([_entry_brief(e) for e in concerns]) if concerns else [_para("None recorded.")]
    unrated = findings.not_rated_entries
    if unrated:
        # Said, never hidden: the reader must know the findings above are not the whole picture yet.
        flow.append(Heading(inline(NOT_RATED_LABEL), s.h2, title=NOT_RATED_LABEL, key="summary-not-rated",
                            outline_level=1))
        flow.append(_para(
            f"{counted(len(unrated), 'observation was', 'observations were')} written down but not given a "
            "rating, so not counted as a strength, an opportunity or a concern:"))
        flow += _bullets([_entry_brief(e) for e in unrated])
    return flow


# ---------------------------------------------------------------------------
# How the walkthrough was done
# ---------------------------------------------------------------------------


def _method(findings: Findings) -> list[Flowable]:
    s = styles()
    record = findings.contents.walkthrough
    lens = findings.lens
    n = len(findings.entries)
    lived = findings.lived_experience_count
    photos = findings.photo_count
    flow: list[Flowable] = [
        _section("How the walkthrough was done", "method"),
        Paragraph(
            f"On {long_date(record.visit_date)} a team walked the service using the lens "
            f"<b>{inline(lens.title)}</b> (version {inline(lens.version)}). At each stop they asked the lens's "
            "questions and recorded what they saw and heard as observations: a rating, a note, the principles "
            "it touches and whose voice it records, with photos where they help.",
            s.lead,
        ),
    ]
    photo_words = counted(photos, "photo", "photos")
    if photos and not findings.options.include_photos:
        photo_words += " (not shown in this report)"
    walked = f"{len(findings.areas)} of {counted(len(findings.covered_areas), 'area', 'areas')}"
    share = f" ({round(100 * lived / n)}%)" if n else ""
    flow.append(
        _key_values(
            [
                ("Team", _team_by_role(findings)),
                ("Areas walked", walked),
                ("Observations", str(n)),
                ("Photos", photo_words),
                ("Voice of lived experience", f"{lived} of {counted(n, 'observation', 'observations')}{share}"),
                ("Improvement actions", str(findings.action_count)),
            ]
        )
    )
    if findings.options.area_ids is not None:
        flow.append(Spacer(1, 6))
        flow.append(
            _para(
                "This report covers only these areas of the lens: "
                + listing([inline(a.title) for a in findings.covered_areas])
                + "."
                if findings.covered_areas
                else "This report covers none of the lens's areas.",
                "meta",
            )
        )

    flow.append(Heading("Areas walked", s.h2, title="Areas walked", key="method-areas", outline_level=1))
    walked_ids = {a.area_id for a in findings.areas}
    for kind in AreaKind:
        titles = [inline(a.title) for a in findings.covered_areas if a.kind is kind and a.id in walked_ids]
        if titles:
            flow.append(_para(f"<b>{AREA_KIND_WORDS[kind]}:</b> {listing(titles)}."))
    others = [inline(a.title) for a in findings.areas if a.kind is None]
    if others:
        flow.append(_para(f"<b>Not in the lens:</b> {listing(others)}."))
    if not findings.areas:
        flow.append(_para("No area has observations yet."))
    if findings.unwalked_areas:
        titles = listing([inline(a.title) for a in findings.unwalked_areas])
        flow.append(_para(f"<b>No observations recorded:</b> {titles}."))

    flow.append(Heading("Rating scale", s.h2, title="Rating scale", key="method-ratings", outline_level=1))
    data: list[list[object]] = [_head_cells("Rating", "What it means", "Observations")]
    for rating in findings.ratings:
        data.append(
            [RatingChip(rating), _cell(inline(rating.meaning)), _cell(str(findings.rating_total(rating.id)), "cell_num")]
        )
    data[0][2] = _cell("Observations", "cell_head_num")
    flow.append(_table(data, [44 * mm, FRAME_WIDTH - 44 * mm - 26 * mm, 26 * mm]))
    return flow


# ---------------------------------------------------------------------------
# Findings by area
# ---------------------------------------------------------------------------


def _findings_by_area(
    findings: Findings, photo_jpeg: PhotoSource, step: Step, executor: Executor | None
) -> list[Flowable]:
    s = styles()
    flow: list[Flowable] = [
        _section("Findings by area", "areas"),
        _para(
            "Areas are in walking order. Each observation has a reference (area.observation) that the "
            "other sections use.",
            "meta",
        ),
    ]
    if not findings.areas:
        flow.append(_para("No observations were recorded."))
    for area in findings.areas:
        title = f"{area.number}. {one_line(area.title)}"
        if area.number > 1:
            flow.append(CondPageBreak(50 * mm))
        # Headings go down the page with the observation they open (see ObservationBlock).
        lead: list[Flowable] = [
            Heading(inline(title), s.h2, title=title, key=f"area-{area.number}", outline_level=1, toc_level=1)
        ]
        about = [AREA_KIND_WORDS[area.kind]] if area.kind else []
        if one_line(area.description):
            about.append(inline(one_line(area.description)))
        if about:
            lead.append(_para(" · ".join(about), "meta"))
        for group in area.groups:
            question = one_line(group.prompt.question) if group.prompt else "Other observations in this area"
            lead.append(Paragraph(inline(question), s.h3))
            for entry in group.entries:
                flow += _observation(findings, entry, lead, photo_jpeg, step, executor)
                lead = []
    return flow


def _observation(
    findings: Findings,
    entry: ObservationEntry,
    lead: list[Flowable],
    photo_jpeg: PhotoSource,
    step: Step,
    executor: Executor | None,
) -> list[Flowable]:
    """The observation's reference line, note and photos; ``lead`` (the headings above it) stays with them."""
    s = styles()
    record = entry.record
    details = []
    if entry.principle_names:
        details.append(" · ".join(inline(n) for n in entry.principle_names))
    if findings.options.include_voice:
        details.append(f"Voice: {VOICE_WORDS[record.voice]}")
    chip = RatingChip(entry.rating)
    chip_width = min(chip.natural_width(), 60 * mm)
    head = ObservationHead(
        _cell(f'<a name="{entry.anchor}"/><b>{entry.ref}</b>', "cell"),
        chip,
        chip_width,
        _cell("<br/>".join(details), "meta") if details else None,
        ref_width=14 * mm,
        width=FRAME_WIDTH,
    )
    # Spacing as the line's own: the block measures its pieces, not spacers between them.
    head.spaceBefore, head.spaceAfter = 4, 5
    notes = paragraphs(record.note)
    text = [NoteParagraph(p, s.body) for p in notes] or [_para("<i>No note recorded.</i>", "meta")]
    rows: list[Flowable] = []
    if findings.options.include_photos and record.photos:
        rows = _photo_rows(list(zip(entry.photo_numbers, record.photos)), photo_jpeg, step, executor)
    # A photo alone at the top of a page, its observation on the page before, reads as the
    # next observation's: the block keeps the first row of photos with the note.
    flow: list[Flowable] = [ObservationBlock([*lead, head], text, rows[0] if rows else None), *rows[1:]]
    flow.append(_rule())
    step()
    return flow


def _rule() -> Flowable:
    return ObservationRule(width="100%", thickness=0.4, color=RULE, spaceBefore=6, spaceAfter=4)


def _caption(number: int, photo: PhotoRecord) -> Paragraph:
    text = f"<b>Photo {number}</b>"
    if one_line(photo.caption):
        text += f". {inline(photo.caption)}"
    return Paragraph(text, styles().caption)


def _photo_rows(
    photos: list[tuple[int, PhotoRecord]], photo_jpeg: PhotoSource, step: Step, executor: Executor | None
) -> list[Flowable]:
    """Photos two to a row, each with its caption underneath.

    A row is a table (cells never split), so a row that could not fit on a
    page (a very long caption) is laid out as a stack that can split instead.
    The first flowable is a photo: the caller keeps it with the note.
    """
    flow: list[Flowable] = []
    for start in range(0, len(photos), 2):
        cells = []
        for number, photo in photos[start : start + 2]:
            image = photo_flowable(
                photo_jpeg(photo.id), photo.width, photo.height, PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT, executor
            )
            step()
            cells.append((image, _caption(number, photo)))
        tallest = max(img.height + cap.wrap(PHOTO_MAX_WIDTH, FRAME_HEIGHT)[1] for img, cap in cells)
        if tallest > FRAME_HEIGHT * 0.8:
            for image, caption in cells:
                # The picture keeps with the start of its caption, which may run on.
                image.spaceBefore = 4 if not flow else 0
                image.keepWithNext = True
                flow += [image, caption, Spacer(1, 6)]
            continue
        row = [[image, caption] for image, caption in cells]
        if len(row) == 1:
            row.append("")
        table = Table(
            [row], colWidths=[PHOTO_MAX_WIDTH + PHOTO_GAP, PHOTO_MAX_WIDTH], hAlign="LEFT",
            spaceBefore=4 if not flow else 0,
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), PHOTO_GAP),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        flow.append(table)
    return flow


# ---------------------------------------------------------------------------
# Findings by principle
# ---------------------------------------------------------------------------


def _findings_by_principle(findings: Findings) -> list[Flowable]:
    s = styles()
    flow: list[Flowable] = [
        _section("Findings by principle", "principles"),
        _para(
            "The same observations seen through each principle. The reference leads to the full observation "
            "under Findings by area.",
            "meta",
        ),
    ]
    widths = [14 * mm, 40 * mm, 38 * mm, FRAME_WIDTH - 92 * mm]
    for index, (pid, name) in enumerate(findings.principle_rows, start=1):
        principle = findings.lens.principle(pid) if pid != NO_PRINCIPLE else None
        lead: list[Flowable] = [
            Heading(inline(name), s.h2, title=one_line(name), key=f"principle-{index}", outline_level=1)
        ]
        if principle is not None:
            lead.append(_para(inline(principle.meaning), "meta"))
        entries = (
            findings.entries_with_principle(pid)
            if pid != NO_PRINCIPLE
            else [e for e in findings.entries if not e.record.principle_ids]
        )
        if not entries:
            flow += [*lead, _para("No observations were tagged with this principle.")]
            continue
        data: list[list[object]] = [_head_cells("Ref", "Area", "Rating", "Note")]
        for entry in entries:
            note = shorten(one_line(entry.record.note), 120)
            data.append(
                [
                    _cell(_ref_link(entry)),
                    _cell(inline(entry.area_title)),
                    RatingChip(entry.rating),
                    _cell(inline(note) if note else "<i>No note</i>"),
                ]
            )
        flow.append(HeadedTable(lead, _table(data, widths)))
    return flow


# ---------------------------------------------------------------------------
# Improvement plan
# ---------------------------------------------------------------------------


def _improvement_plan(findings: Findings) -> list[Flowable]:
    s = styles()
    flow: list[Flowable] = [
        _section("Improvement plan", "plan"),
        Heading("Strengths to build on", s.h2, title="Strengths to build on", key="plan-strengths",
                outline_level=1),
    ]
    strengths = findings.entries_of(FindingKind.STRENGTH)
    if strengths:
        flow.append(
            _para(
                "Progress already made: what the team saw working well. Keep these in place while making the "
                "changes below, and tell the people who made them happen."
            )
        )
        flow += _bullets([_entry_brief(e) for e in strengths])
    else:
        flow.append(_para("No strengths were recorded on this walkthrough."))

    flow.append(Heading("Actions", s.h2, title="Actions", key="plan-actions", outline_level=1))
    if not findings.action_groups:
        if findings.plan_action_count:
            flow.append(_para(
                f"The improvement plan has {counted(findings.plan_action_count, 'action', 'actions')}; "
                "none of them answers a finding in the areas this report covers."
            ))
        else:
            flow.append(_para("No improvement actions have been recorded yet."))
        return flow
    quick_wins = any(findings.is_quick_win(a) for g in findings.action_groups for a in g.actions)
    flow.append(
        _para(
            f"{counted(findings.action_count, 'action', 'actions')}, grouped by core component. "
            "References in brackets are the observations an action responds to."
            + (f" {inline(QUICK_WIN_DEFINITION)}" if quick_wins else ""),
        )
    )
    refs = {e.record.id: e for e in findings.entries}  # in walking order
    # Narrow columns sized so "13 Nov 2026", "Priority" and "In progress" never wrap.
    widths = [FRAME_WIDTH - 108 * mm, 26 * mm, 24 * mm, 22.5 * mm, 15.5 * mm, 20 * mm]
    for index, group in enumerate(findings.action_groups, start=1):
        heading = Heading(inline(group.name), s.h3, title=one_line(group.name), key=f"component-{index}",
                          outline_level=2)
        data: list[list[object]] = [_head_cells("Action", "Principles", "Owner", "Due", "Priority", "Status")]
        for action in group.actions:
            data.append(_action_row(findings, action, refs))
        flow.append(HeadedTable([heading], _table(data, widths)))
    return flow


def _action_row(findings: Findings, action: ActionRecord, refs: dict[str, ObservationEntry]) -> list[object]:
    parts = paragraphs(action.text) or ["<i>No description</i>"]
    if findings.is_quick_win(action):
        parts[0] = "★ " + parts[0]
    text = [_cell(p) for p in parts]
    linked = [entry for oid, entry in refs.items() if oid in action.observation_ids]
    if linked:
        text.append(_cell("(" + ", ".join(_ref_link(e) for e in linked) + ")", "meta"))
    principles = ", ".join(inline(name) for name in principle_names(findings.lens, action.principle_ids))
    priority = PRIORITY_WORDS[action.priority]
    return [
        text,
        _cell(principles or "—"),
        _cell(inline(action.owner) if one_line(action.owner) else "—"),
        _cell(short_date(action.due_date) if action.due_date else "—"),
        _cell(f"<b>{priority}</b>" if priority == "High" else priority),
        _cell(STATUS_WORDS[action.status]),
    ]


# ---------------------------------------------------------------------------
# Appendix: the lens
# ---------------------------------------------------------------------------


def _appendix(findings: Findings) -> list[Flowable]:
    s = styles()
    lens = findings.lens
    flow: list[Flowable] = [
        _section("Appendix: the lens", "appendix"),
        Paragraph(f"<b>{inline(lens.title)}</b>, version {inline(lens.version)}", s.lead),
        *[_para(p) for p in paragraphs(lens.description)],
        Heading("Principles", s.h2, title="Principles", key="appendix-principles", outline_level=1),
    ]
    data: list[list[object]] = [_head_cells("Principle", "What it means")]
    data += [[_cell(f"<b>{inline(p.name)}</b>"), _cell(inline(p.meaning))] for p in lens.principles]
    flow.append(_table(data, [45 * mm, FRAME_WIDTH - 45 * mm]))

    flow.append(Heading("Areas and prompts", s.h2, title="Areas and prompts", key="appendix-areas",
                        outline_level=1))
    flow.append(_para("The questions the team asked at each stop, in walking order.", "meta"))
    for area in lens.areas:
        about = AREA_KIND_WORDS[area.kind]
        if one_line(area.description):
            about += " · " + inline(one_line(area.description))
        lead = [Paragraph(inline(area.title), s.h3), _para(about, "meta")]
        data = [_head_cells("Prompt", "Principles")]
        for prompt in area.prompts:
            question = [_cell(inline(prompt.question))]
            if one_line(prompt.guidance):
                question.append(_cell(inline(prompt.guidance), "meta"))
            names = ", ".join(inline(name) for name in principle_names(lens, prompt.principles))
            data.append([question, _cell(names)])
        flow.append(HeadedTable(lead, _table(data, [FRAME_WIDTH - 45 * mm, 45 * mm])))

    flow.append(Heading("Core components", s.h2, title="Core components", key="appendix-components",
                        outline_level=1))
    flow.append(_para("Improvement actions are grouped under these core components:"))
    flow += _bullets([inline(c.name) for c in lens.components])
    return flow
