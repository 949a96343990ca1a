"""*At a glance*: the one page for a leader with ten minutes.

The priority concerns proposed (the rule of
:func:`walkthrough.domain.report_rules.propose_priorities`, said to be a
proposal the team has not chosen yet), each with the actions answering it,
their owners and dates; how each area was rated; the actions by status; and
the priority concerns no action answers yet.  Findings are named by
reference, area and prompt: their notes are whole under *Findings by area*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walkthrough.domain.improvement_plan import is_overdue
from walkthrough.domain.lens import FindingKind
from walkthrough.domain.not_rated import NOT_RATED_LABEL
from walkthrough.domain.report_rules import (
    PROPOSAL_RULE,
    concerns_without_action,
    count_by_status,
    propose_priorities,
    rate_by_area,
)
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Cell, Heading, Para, Span, Table, Text, plain, rating_words
from walkthrough.report.findings import AreaFindings, Findings
from walkthrough.report.outline_parts import action_span, cell, owner_due, ref_span, where
from walkthrough.report.plain_text import one_line
from walkthrough.report.wording import STATUS_WORDS, counted, listing, long_date

if TYPE_CHECKING:
    from walkthrough.report.outline import Outline


def at_a_glance(out: Outline, findings: Findings) -> None:
    """The first page after the cover."""
    n = len(findings.entries)
    out.add(Heading(1, "At a glance", "glance", in_contents=True))
    if not n:
        out.add(Para(plain("No observations were recorded."), "lead"))
    else:
        per_rating = [
            f"{one_line(r.label).lower()} {findings.rating_total(r.id)}" for r in findings.ratings
            if findings.rating_total(r.id)
        ]
        out.add(Para(plain(
            f"On {long_date(findings.contents.walkthrough.visit_date)} the team recorded "
            f"{counted(n, 'observation', 'observations')} in {counted(len(findings.areas), 'area', 'areas')}: "
            f"{listing(per_rating)}."
        )))
    _not_rated(out, findings)
    _priorities(out, findings)
    _actions(out, findings)
    _area_grid(out, findings)


def _not_rated(out: Outline, findings: Findings) -> None:
    """Said, never hidden: the findings are not the whole picture while some observation has no rating."""
    unrated = findings.not_rated_entries
    if not unrated:
        return
    spans: list[Span] = [
        Span(f"{NOT_RATED_LABEL}: ", bold=True),
        Span(f"{counted(len(unrated), 'observation was', 'observations were')} written down but not given a "
             "rating, so not counted as a finding: "),
    ]
    for i, entry in enumerate(unrated):
        spans += [Span("; " if i else ""), ref_span(entry), Span(f" {where(entry)}")]
    out.add(Para(tuple(spans)))


def _priorities(out: Outline, findings: Findings) -> None:
    records = [e.record for e in findings.entries]
    proposed = [findings.entry_by_id[o.id] for o in propose_priorities(findings.lens, records)]
    out.add(Heading(2, "Priority concerns proposed", "glance-priorities"))
    if not proposed:
        out.add(Para(plain("No priority concerns were recorded.")))
        return
    out.add(Para(plain(
        "Proposed by this report, not yet chosen by the team. " + PROPOSAL_RULE
    ), "meta"))
    rows = []
    for entry in proposed:
        actions = findings.answered_by(entry.record.id)
        # The action's number, owner, date and status; its whole text is in the plan.
        lines: tuple[Text, ...] = tuple(
            (action_span(findings, a), Span(f"  {owner_due(findings, a)}")) for a in actions
        ) or ((Span("No action yet", bold=True),),)
        rows.append((Cell(paras=((ref_span(entry), Span("  "), Span(where(entry))),)), Cell(paras=lines)))
    out.add(Table((cell("Finding", bold=True), cell("Action: owner, due date, status", bold=True)),
                  tuple(rows), (100.0, TEXT_WIDTH_MM - 100.0)))


def _area_grid(out: Outline, findings: Findings) -> None:
    if not findings.areas:
        return
    grid = rate_by_area(findings.lens, (e.record for e in findings.entries))
    ratings = findings.ratings
    out.add(
        Heading(2, "Ratings by area", "glance-areas"),
        Para(plain("Observations per area: " + ", ".join(rating_words(r) for r in ratings) + "."), "meta"),
    )
    # Two areas to a row (the first half of the walk beside the second), so the grid fits the page.
    areas = list(findings.areas)
    half = (len(areas) + 1) // 2
    symbols = tuple(cell(one_line(r.symbol) or one_line(r.label), bold=True, numeric=True) for r in ratings)
    header = (cell("Area", bold=True), *symbols) * (2 if len(areas) > 1 else 1)
    empty = (cell(""),) * (len(ratings) + 1)

    def row_of(area: AreaFindings) -> tuple[Cell, ...]:
        counts = [grid.count(area.area_id, r.id) for r in ratings]
        return (cell(f"{area.number}. {one_line(area.title)}"),
                *(cell(str(c) if c else "·", numeric=True) for c in counts))

    rows = []
    for i in range(half):
        right = row_of(areas[half + i]) if half + i < len(areas) else empty
        rows.append(row_of(areas[i]) + (right if len(areas) > 1 else ()))
    count_width = 6.5
    area_width = TEXT_WIDTH_MM / (2 if len(areas) > 1 else 1) - count_width * len(ratings)
    widths = (area_width, *([count_width] * len(ratings))) * (2 if len(areas) > 1 else 1)
    out.add(Table(header, tuple(rows), widths, kind="dense"))


def _actions(out: Outline, findings: Findings) -> None:
    plan = findings.plan
    if plan:
        by_status = count_by_status(plan)
        status = listing([f"{count} {STATUS_WORDS[s].lower()}" for s, count in by_status.items() if count])
        overdue = sum(1 for a in plan if is_overdue(a, findings.as_of))
        quick = sum(1 for a in plan if findings.is_quick_win(a))
        extra = [counted(overdue, "overdue", "overdue")] if overdue else []
        extra += [counted(quick, "quick win", "quick wins")] if quick else []
        out.add(Para((Span("Actions: ", bold=True), Span(
            f"the improvement plan has {counted(len(plan), 'action', 'actions')} as at {long_date(findings.as_of)}: "
            f"{status}" + (f" ({listing(extra)})" if extra else "") + "."
        ))))
    elif findings.plan_action_count:
        out.add(Para(plain(
            f"The improvement plan has {counted(findings.plan_action_count, 'action', 'actions')}; none of them "
            "answers a finding in the areas this report covers."
        )))
    else:
        out.add(Para(plain("No improvement actions have been recorded yet.")))
    records = [e.record for e in findings.entries]
    # The whole plan counts here: an action answering a concern is an answer, whatever areas the report covers.
    missing = concerns_without_action(findings.lens, records, findings.contents.actions)
    if not findings.entries_of(FindingKind.PRIORITY_CONCERN):
        return
    if not missing:
        out.add(Para(plain("Every priority concern has at least one action.")))
        return
    spans: list[Span] = [
        Span("No action yet: ", bold=True),
        Span(counted(len(missing), "priority concern has", "priority concerns have") + " no action answering it: "),
    ]
    for i, record in enumerate(missing):
        entry = findings.entry_by_id[record.id]
        spans += [Span("; " if i else ""), ref_span(entry), Span(f" {where(entry)}")]
    out.add(Para((*spans, Span("" if spans[-1].text.rstrip().endswith(("?", ".", "!")) else "."))))
