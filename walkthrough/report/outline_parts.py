"""Small pieces the outline's sections share: cells, references, the team, an action's line.

No layout and no ReportLab: these build :mod:`walkthrough.report.document_blocks`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from walkthrough.domain.improvement_plan import is_overdue
from walkthrough.domain.records import ActionRecord
from walkthrough.domain.report_rules import lived_experience_share
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Cell, Span, Table, Text, plain
from walkthrough.report.findings import Findings, ObservationEntry
from walkthrough.report.plain_text import one_line
from walkthrough.report.wording import (
    ROLE_COUNT_WORDS,
    ROLE_ORDER,
    ROLE_WORDS,
    STATUS_WORDS,
    counted,
    listing,
    short_date,
)


def cell(text: str, *, bold: bool = False, italic: bool = False, numeric: bool = False) -> Cell:
    """A cell of one plain paragraph."""
    return Cell(paras=(plain(text, bold=bold, italic=italic),), numeric=numeric)


def head(*labels: str) -> tuple[Cell, ...]:
    """A header row of labels."""
    return tuple(cell(label, bold=True) for label in labels)


def ref_span(entry: ObservationEntry) -> Span:
    """The observation's reference (``3.2``), linked to it under *Findings by area*."""
    return Span(entry.ref, link=entry.anchor)


def action_span(findings: Findings, action: ActionRecord) -> Span:
    """The action's number in the plan (``A3``)."""
    return Span(findings.action_numbers.get(action.id, ""), bold=True)


def where(entry: ObservationEntry) -> str:
    """``Reception: Are people greeted …?`` - the area and the prompt's whole question."""
    question = one_line(entry.prompt.question) if entry.prompt else "Other observation in this area"
    return f"{one_line(entry.area_title)}: {question}"


def owner_due(findings: Findings, action: ActionRecord) -> str:
    """``Team lead · due 21 Oct 2026 · In progress`` (as at the report's date)."""
    parts = [one_line(action.owner) or "No owner yet"]
    parts.append(f"due {short_date(action.due_date)}" if action.due_date else "no due date")
    parts.append(STATUS_WORDS[action.status] + (", overdue" if is_overdue(action, findings.as_of) else ""))
    if findings.is_quick_win(action):
        parts.append("★ quick win")
    return " · ".join(parts)


def answered_lines(findings: Findings, entry: ObservationEntry, *, concern: bool) -> tuple[Text, ...]:
    """One line per action answering the observation; for a priority concern with none, says so."""
    actions = findings.answered_by(entry.record.id)
    lines: list[Text] = [
        (Span("Action "), action_span(findings, a), Span(f": {owner_due(findings, a)}")) for a in actions
    ]
    if not lines and concern:
        lines.append((Span("No action yet", bold=True), Span(" answers this priority concern.")))
    return tuple(lines)


def team_by_role(findings: Findings) -> str:
    """``3 people with lived experience, 3 members of staff and 1 manager`` (or names, where asked)."""
    team = findings.contents.walkthrough.participants
    if not team:
        return "No team members recorded"
    if findings.options.include_names:
        return listing([f"{one_line(m.name)} ({ROLE_WORDS[m.role]})" for m in team])
    per_role = Counter(m.role for m in team)
    return listing(
        [counted(per_role[role], *ROLE_COUNT_WORDS[role]) for role in ROLE_ORDER if per_role.get(role)]
    )


def lived_experience_words(findings: Findings) -> str:
    """``38% of the team have lived experience``."""
    lived, everyone = lived_experience_share(findings.contents.walkthrough.participants)
    if not everyone:
        return ""
    return f"{lived} of {everyone}, {round(100 * lived / everyone)}%, with lived experience"


def key_values(rows: Sequence[tuple[str, Text]]) -> Table:
    """Label / value pairs as a borderless two-column table."""
    return Table(
        header=None,
        rows=tuple((cell(label, bold=True), Cell(paras=(value,))) for label, value in rows),
        widths=(46.0, TEXT_WIDTH_MM - 46.0),
        kind="key_values",
    )
