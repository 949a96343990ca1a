"""The *Improvement plan* (one table, in the plan's order) and the optional lens appendix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from walkthrough.domain.improvement_plan import QUICK_WIN_DEFINITION, is_overdue
from walkthrough.domain.records import ActionRecord
from walkthrough.domain.report_rules import prompts_used
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Bullets, Cell, Heading, Para, Span, Table, Text, plain
from walkthrough.report.findings import Findings, principle_names
from walkthrough.report.outline_parts import cell, head, ref_span
from walkthrough.report.plain_text import one_line, plain_paragraphs
from walkthrough.report.report_options import LensAppendix
from walkthrough.report.wording import AREA_KIND_WORDS, PRIORITY_WORDS, STATUS_WORDS, counted, long_date, short_date

if TYPE_CHECKING:
    from walkthrough.report.outline import Outline


def improvement_plan(out: Outline, findings: Findings) -> None:
    """Every action in one table: priority, then due date; status as at the report date; quick wins marked."""
    out.add(Heading(1, "Improvement plan", "plan", in_contents=True))
    plan = findings.plan
    if not plan:
        if findings.plan_action_count:
            out.add(Para(plain(
                f"The improvement plan has {counted(findings.plan_action_count, 'action', 'actions')}; "
                "none of them answers a finding in the areas this report covers."
            )))
        else:
            out.add(Para(plain("No improvement actions have been recorded yet.")))
        return
    quick_wins = any(findings.is_quick_win(a) for a in plan)
    out.add(Para(plain(
        f"{counted(len(plan), 'action', 'actions')}, by priority and then due date, with their status as at "
        f"{long_date(findings.as_of)}. Under each action: its core component and the findings it answers."
        + (f" {QUICK_WIN_DEFINITION}" if quick_wins else "")
    )))
    rows = tuple(_action_row(findings, action) for action in plan)
    # Narrow columns sized so "13 Nov 2026", "Medium" and "In progress" never wrap.
    out.add(Table(head("No.", "Action", "Owner", "Due", "Priority, status"), rows,
                  (10.0, TEXT_WIDTH_MM - 10.0 - 27.0 - 26.0 - 24.0, 27.0, 26.0, 24.0)))


def _action_row(findings: Findings, action: ActionRecord) -> tuple[Cell, ...]:
    parts: list[Text] = [(Span(p),) for p in plain_paragraphs(action.text)] or [plain("No description", italic=True)]
    if findings.is_quick_win(action):
        parts[0] = (Span("★ "), *parts[0])
    about: list[Span] = []
    component = findings.lens.component(action.component_id) if action.component_id else None
    if action.component_id:
        about.append(Span(one_line(component.name if component else action.component_id)))
    linked = [e for e in findings.entries if e.record.id in action.observation_ids]  # walking order
    if linked:
        about.append(Span((" · " if about else "") + "answers "))
        for i, entry in enumerate(linked):
            about += [*([Span(", ")] if i else []), ref_span(entry)]
    meta_from = None
    if about:
        meta_from = len(parts)
        parts.append(tuple(about))
    status = STATUS_WORDS[action.status]
    if is_overdue(action, findings.as_of):
        status += ", overdue"
    priority = PRIORITY_WORDS[action.priority]
    return (
        cell(findings.action_numbers[action.id], bold=True),
        Cell(paras=tuple(parts), meta_from=meta_from),
        cell(one_line(action.owner) or "—"),
        cell(short_date(action.due_date) if action.due_date else "—"),
        Cell(paras=(plain(priority, bold=priority == "High"), plain(status))),
    )


def lens_appendix(out: Outline, findings: Findings) -> None:
    """The lens's areas and prompts: none (the default), only those used, or all."""
    mode = findings.options.lens_appendix
    if mode is LensAppendix.NONE:
        return
    lens = findings.lens
    used = prompts_used(e.record for e in findings.entries)
    out.add(
        Heading(1, "Appendix: the lens", "appendix", in_contents=True),
        Para((Span(one_line(lens.title), bold=True), Span(f", version {one_line(lens.version)}")), "lead"),
        *[Para((Span(p),)) for p in plain_paragraphs(lens.description)],
        Para(plain(
            "The questions the team asked at each stop, in walking order"
            + (": only those that have observations." if mode is LensAppendix.USED else ".")
        ), "meta"),
    )
    for area in findings.covered_areas:
        prompts = [p for p in area.prompts if mode is LensAppendix.ALL or p.id in used]
        if not prompts:
            continue
        about = AREA_KIND_WORDS[area.kind]
        if one_line(area.description):
            about += " · " + one_line(area.description)
        out.add(Heading(2, one_line(area.title), f"appendix-area-{area.id}", bookmark=False), Para(plain(about), "meta"))
        rows = []
        for prompt in prompts:
            question = [plain(prompt.question)]
            if one_line(prompt.guidance):
                question.append(plain(prompt.guidance))
            names = ", ".join(one_line(name) for name in principle_names(lens, prompt.principles))
            rows.append((Cell(paras=tuple(question), meta_from=1), cell(names)))
        out.add(Table(head("Prompt", "Principles"), tuple(rows), (TEXT_WIDTH_MM - 45.0, 45.0)))
    out.add(
        Heading(2, "Core components", "appendix-components"),
        Para(plain("Each improvement action names one of these core components:")),
        Bullets(tuple(plain(c.name) for c in lens.components)),
    )
