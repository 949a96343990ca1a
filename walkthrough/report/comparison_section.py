"""The report's section comparing this walk with an earlier one (``walkthrough report … --compare``).

Built from a :class:`~walkthrough.domain.comparison.Comparison` into the
neutral outline's blocks, so that the PDF and the Word document say the same.
The rules (verdicts, concerns, actions against change) are the domain's;
only the words are here.
"""

from __future__ import annotations

from walkthrough.domain.comparison import (
    ActionOutcome,
    Comparison,
    ConcernStatus,
    Finding,
    PromptComparison,
    TeamDifference,
    Verdict,
)
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Block, Bullets, Cell, Heading, Para, Span, Table, plain
from walkthrough.report.plain_text import one_line, shorten
from walkthrough.report.wording import STATUS_WORDS, counted, listing, long_date

VERDICT_WORDS = {
    Verdict.IMPROVED: "Improved",
    Verdict.SAME: "Same",
    Verdict.WORSE: "Worse",
    Verdict.NEWLY_OBSERVED: "Newly observed",
    Verdict.NOT_REVISITED: "Not revisited",
}
CONCERN_WORDS = {
    ConcernStatus.RESOLVED: "Resolved",
    ConcernStatus.PERSISTING: "Persisting",
    ConcernStatus.NEW: "New",
    ConcernStatus.NOT_REVISITED: "Not revisited",
}
OUTCOME_WORDS = {
    ActionOutcome.IMPROVED: "Done, and the team saw improvement",
    ActionOutcome.NOT_IMPROVED: "Done, but no improvement seen yet: something to learn from",
    ActionOutcome.NOT_REVISITED: "Done; not looked at again on this walk",
    ActionOutcome.OPEN: "Not done yet",
}
TEAM_WORDS = {
    TeamDifference.SIZE: "the team's size changed by half or more",
    TeamDifference.LIVED_EXPERIENCE: "only one of the two teams had someone with lived experience",
    TeamDifference.FEW_RETURNING: "fewer than half of the earlier team walked again",
}


def _cell(text: str, *, bold: bool = False, italic: bool = False) -> Cell:
    return Cell(paras=(plain(text, bold=bold, italic=italic),))


def _head(*labels: str) -> tuple[Cell, ...]:
    return tuple(_cell(label, bold=True) for label in labels)


def _rating(finding: Finding | None, observation_ids: tuple[str, ...]) -> str:
    if finding is not None:
        return f"{finding.rating.symbol} {one_line(finding.rating.label)}"
    return "No finding" if observation_ids else "Not observed"


def _prompt(p: PromptComparison) -> str:
    question = one_line(p.question)
    if not p.in_followup_lens:
        return f"{question} (only in the earlier lens)"
    if not p.in_base_lens:
        return f"{question} (only in this walk's lens)"
    return question


def _symbol(finding: Finding | None, count: int) -> str:
    if finding is not None:
        return finding.rating.symbol
    return "·" if count else "○"


def _grid(comparison: Comparison) -> list[Block]:
    """Areas (those observed in either walk) by principle: the most serious rating then → now, and the change."""
    areas = [(a, t) for a, t in comparison.grid_areas
             if any(c.verdict is not None for c in comparison.grid if c.area_id == a)]
    if not areas:
        return []
    principles = comparison.grid_principles
    rows = []
    for area_id, title in areas:
        cells = [_cell(one_line(title))]
        for principle_id, _name in principles:
            c = comparison.cell(area_id, principle_id)
            if c is None or c.verdict is None:
                cells.append(_cell(""))
                continue
            cells.append(Cell(paras=(
                plain(f"{_symbol(c.before, c.before_count)} → {_symbol(c.after, c.after_count)}"),
                plain(VERDICT_WORDS[c.verdict].lower(), bold=c.verdict is Verdict.WORSE),
            )))
        rows.append(tuple(cells))
    # Each principle's column as wide as its name asks (a name is never broken), at least a short one's.
    weights = [max(len(one_line(name)), 8) for _pid, name in principles]
    widths = [(TEXT_WIDTH_MM - 24.0) * w / sum(weights) for w in weights]
    return [
        Heading(2, "By area and principle", "comparison-grid"),
        Para(plain(
            "Each cell: the most serious rating of the area's observations tagged with the principle, then → now, "
            "by the rating's symbol (· observed, no finding; ○ not observed), and the change."), "meta"),
        Table(_head("Area", *(one_line(name) for _pid, name in principles)), tuple(rows),
              (24.0, *widths)),
    ]


def comparison_blocks(comparison: Comparison, *, include_voice: bool = True) -> list[Block]:
    """The section's blocks, heading first."""
    base = comparison.base.walkthrough
    out: list[Block] = [
        Heading(1, "What changed since the earlier walk", "comparison", in_contents=True),
        Para(plain(
            f"This walk is compared with the walk of {long_date(base.visit_date)} ({one_line(base.service)}, "
            f"{one_line(base.site)}), prompt by prompt. Where a prompt has several observations, the most serious "
            "rating counts. A prompt with no finding this time is not revisited: it is never counted as resolved."
        ), "lead"),
    ]
    team = comparison.team
    team_text = (f"The earlier walk had {counted(team.before_size, 'participant', 'participants')} "
                 f"({team.before_lived_experience} with lived experience); this one "
                 f"{counted(team.after_size, 'participant', 'participants')} ({team.after_lived_experience} with "
                 f"lived experience). Of the {counted(team.before_people, 'person', 'people')} on the earlier "
                 f"walk, facilitators included, {team.returning} walked again.")
    out.append(Para(plain(team_text)))
    if team.differs:
        out.append(Para(plain(
            f"The teams differ: {listing([TEAM_WORDS[d] for d in team.differences])}. The findings are less "
            "comparable.", bold=True)))
    counts = comparison.counts
    out.append(Para(plain(listing([f"{VERDICT_WORDS[v].lower()} {counts[v]}" for v in Verdict]).capitalize() + ".")))

    out.extend(_grid(comparison))

    out.append(Heading(2, "Prompt by prompt", "comparison-prompts"))
    if comparison.prompts:
        rows = tuple((_cell(one_line(p.area_title)), _cell(_prompt(p)),
                      _cell(_rating(p.before, p.before_observation_ids)),
                      _cell(_rating(p.after, p.after_observation_ids)),
                      _cell(VERDICT_WORDS[p.verdict], bold=p.verdict is Verdict.WORSE))
                     for p in comparison.prompts)
        out.append(Table(_head("Area", "Prompt", "Earlier", "Now", "Change"), rows,
                         (30.0, TEXT_WIDTH_MM - 124.0, 32.0, 32.0, 30.0)))
    else:
        out.append(Para(plain("Neither walk has an observation of a prompt.")))

    out.append(Heading(2, "Priority concerns", "comparison-concerns"))
    if comparison.concerns:
        rows = tuple((_cell(f"{one_line(c.prompt.area_title)}: {one_line(c.prompt.question)}"),
                      _cell(CONCERN_WORDS[c.status], bold=c.status is not ConcernStatus.RESOLVED),
                      Cell(paras=tuple(plain(f"{shorten(one_line(a.text), 90)} ({STATUS_WORDS[a.status]}; "
                                             f"{'earlier' if a.walkthrough_id == base.id else 'this'} walk's plan)")
                                       for a in c.actions) or (plain("No action linked", italic=True),)))
                     for c in comparison.concerns)
        out.append(Table(_head("Concern", "Now", "Actions and their status"), rows,
                         (TEXT_WIDTH_MM - 110.0, 26.0, 84.0)))
    else:
        out.append(Para(plain("Neither walk recorded a priority concern.")))

    out.append(Heading(2, "Actions against the change seen", "comparison-actions"))
    if comparison.actions:
        rows = tuple((_cell(shorten(one_line(r.action.text), 120)),
                      _cell(listing([one_line(p.question) for p in r.prompts])),
                      _cell(OUTCOME_WORDS[r.outcome], bold=r.outcome is ActionOutcome.NOT_IMPROVED))
                     for r in comparison.actions)
        out.append(Table(_head("Action", "Answers", "Outcome"), rows, (TEXT_WIDTH_MM - 110.0, 60.0, 50.0)))
        if any(r.outcome is ActionOutcome.NOT_IMPROVED for r in comparison.actions):
            out.append(Para(plain(
                "An action done without the improvement the team hoped for is not a failure: ask what was learnt, "
                "and whether the change needs more time, another approach or a different measure."), "meta"))
    else:
        out.append(Para(plain("No action of the earlier plan answers a finding of a prompt.")))

    if comparison.photo_pairs:
        out.append(Heading(2, "Photos before and after", "comparison-photos"))
        out.append(Bullets(tuple(
            (Span(one_line(p.question), bold=True),
             Span(f": {counted(len(p.before_photo_ids), 'photo', 'photos')} then, "
                  f"{counted(len(p.after_photo_ids), 'photo', 'photos')} now")) for p in comparison.photo_pairs)))

    if include_voice and (comparison.voices_before or comparison.voices_after):
        out.append(Heading(2, "Lived experience, then and now", "comparison-voices"))
        for label, voices in (("Then", comparison.voices_before), ("Now", comparison.voices_after)):
            notes = [shorten(one_line(v.note), 200) for v in voices if one_line(v.note)]
            out.append(Para((Span(f"{label}: ", bold=True), Span(
                counted(len(voices), "observation", "observations") + " in the voice of lived experience."))))
            if notes:
                out.append(Bullets(tuple(plain(f"“{n}”") for n in notes)))

    if comparison.lens_changed:
        out.append(Heading(2, "Prompts in only one lens version", "comparison-lens"))
        for label, prompts in (("Only in the earlier walk's lens", comparison.prompts_only_in_base),
                               ("Only in this walk's lens", comparison.prompts_only_in_followup)):
            if prompts:
                out.append(Para(plain(label + ":", bold=True)))
                out.append(Bullets(tuple(plain(f"{one_line(p.area_title)}: {one_line(p.question)}")
                                         for p in prompts)))
    return out
