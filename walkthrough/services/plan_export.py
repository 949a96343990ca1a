"""The improvement plan as a spreadsheet: a CSV file ready for Excel.

One row per action, in the plan's order, with the columns declared once in
:data:`walkthrough.domain.improvement_plan.PLAN_COLUMNS`: what a person
reads, never an id — the core component's and the principles' names from
the walkthrough's lens, the findings an action answers as their area and
prompt (``Reception: Can people say why they are here privately?``), one a
line within the cell.  Dates are written ``YYYY-MM-DD`` (ISO 8601), which
Excel in the UK (and everywhere else) reads as a date, whatever the
computer's own date format; *Last changed* is the day in this computer's
time zone.  *Quick win* is worked out as at the day the file is written.
*From the walk of* is the date of the walk the action was made in: a
service's plan (:func:`export_service_plan_csv`) holds the actions of all
its walks, walk by walk, oldest first; a walkthrough's, its own.

The file is UTF-8 with the byte-order mark Excel needs to show accents
right, CRLF line ends, every cell escaped by the one rule that keeps a
spreadsheet from running a cell as a formula
(:mod:`walkthrough.domain.spreadsheet_cell`), and written atomically: an
earlier file is replaced whole or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from walkthrough.domain.errors import DestinationExists
from walkthrough.domain.improvement_plan import (
    ON_TRACK_WORDS,
    PLAN_COLUMNS,
    PRIORITY_WORDS,
    QUICK_WIN,
    STATUS_WORDS,
    WALK,
    is_quick_win,
)
from walkthrough.domain.lens import Lens
from walkthrough.domain.records import ActionRecord, ObservationRecord, WalkthroughContents
from walkthrough.domain.spreadsheet_cell import escape_cell
from walkthrough.services.service_plan import service_plan
from walkthrough.services.walkthroughs import load_contents, read_contents
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.database import Database

__all__ = ["HEADINGS", "export_plan_csv", "export_service_plan_csv", "plan_csv", "service_plan_csv"]

#: The header row.
HEADINGS = tuple(c.heading for c in PLAN_COLUMNS)


def export_plan_csv(db: Database, walkthrough_id: str, path: Path, *, replace: bool = False,
                    today: dt.date | None = None) -> int:
    """Write a walkthrough's improvement plan to a CSV file for Excel (atomically, UTF-8 with a BOM).

    Args:
        replace: write over a file already at ``path`` (never a database or a backup).
        today: the day quick wins are worked out for (default: today).

    Returns:
        The number of actions written.

    Raises:
        NotFound: no such walkthrough.
        DestinationExists: ``path`` is there and ``replace`` was not given; nothing was written.
        ExportError: the file cannot be written; an earlier file is left as it was.
    """
    return _write(path, *plan_csv(db, walkthrough_id, today=today), replace=replace)


def export_service_plan_csv(db: Database, service_id: str, path: Path, *, replace: bool = False,
                            today: dt.date | None = None) -> int:
    """Write a service's whole improvement plan (the actions of all its walks) to a CSV file for Excel.

    As :func:`export_plan_csv`; raises NotFound when there is no such service.
    """
    return _write(path, *service_plan_csv(db, service_id, today=today), replace=replace)


def _write(path: Path, text: str, count: int, *, replace: bool) -> int:
    if not replace and (path.exists() or path.is_symlink()):
        raise DestinationExists(f"{path}: a file is already there; nothing was written", path)
    write_atomically(path, ("\ufeff" + text).encode("utf-8"))
    return count


def plan_csv(db: Database, walkthrough_id: str, *, today: dt.date | None = None) -> tuple[str, int]:
    """A walkthrough's improvement plan as CSV text (CRLF line ends, no BOM) and how many actions it has.

    Raises:
        NotFound: no such walkthrough.
    """
    contents = load_contents(db, walkthrough_id)  # one read: the lens, the findings and the plan together
    return _csv([contents], today or dt.date.today())


def service_plan_csv(db: Database, service_id: str, *, today: dt.date | None = None) -> tuple[str, int]:
    """A service's whole improvement plan as CSV text, walk by walk (oldest first), and how many actions.

    Raises:
        NotFound: no such service.
    """
    plan = service_plan(db, service_id)
    with db.sessions.begin() as session:  # each walk with actions: its lens, findings and plan, in one read
        walks = [read_contents(session, w.walkthrough_id) for w in plan.walks
                 if any(a.walkthrough_id == w.walkthrough_id for a in plan.actions)]
    return _csv(walks, today or dt.date.today())


def _csv(walks: Sequence[WalkthroughContents], day: dt.date) -> tuple[str, int]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    count = 0
    for contents in walks:
        lens = contents.walkthrough.lens
        findings = contents.observations  # in walking order
        for action in contents.actions:
            cells = _cells(action, lens, findings, day)
            cells[WALK] = contents.walkthrough.visit_date.isoformat()
            # Every cell escaped: an action's text or owner may start with "=" as easily as a note.
            writer.writerow([escape_cell(cells[c.source]) for c in PLAN_COLUMNS])
            count += 1
    return buffer.getvalue(), count


def _cells(action: ActionRecord, lens: Lens, findings: Sequence[ObservationRecord], today: dt.date) -> dict[str, str]:
    linked = set(action.observation_ids)
    component = lens.component(action.component_id) if action.component_id else None
    principles = [p for p in lens.principles if p.id in action.principle_ids]  # in the lens's order
    return {
        "text": action.text,
        "component_id": component.name if component is not None else (action.component_id or ""),
        "priority": PRIORITY_WORDS[action.priority],
        "lead": action.lead,
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "status": STATUS_WORDS[action.status],
        "on_track": ON_TRACK_WORDS[action.on_track] if action.on_track else "",
        "success_measure": action.success_measure,
        "mat_standards": ", ".join(str(n) for n in action.mat_standards),
        QUICK_WIN: "Yes" if is_quick_win(action, today) else "",
        "principle_ids": "; ".join(p.name for p in principles),
        # In walking order, one a line within the cell (Excel shows them so when the column wraps).
        "observation_ids": "\n".join(_finding(o, lens) for o in findings if o.id in linked),
        "updated_at": _local_day(action.updated_at).isoformat(),
    }


def _finding(observation: ObservationRecord, lens: Lens) -> str:
    """A finding in a few words: its area and its prompt (or that it was seen beyond the prompts), and its rating."""
    area = lens.area(observation.area_id)
    prompt = lens.prompt(observation.prompt_id) if observation.prompt_id else None
    rating = lens.rating(observation.rating_id) if observation.rating_id else None
    where = area.title if area is not None else observation.area_id
    what = prompt.question if prompt is not None else "another observation in this area"
    return f"{where}: {what}" + (f" ({rating.label})" if rating is not None else "")


def _local_day(moment: dt.datetime) -> dt.date:
    """The day ``moment`` fell on in this computer's time zone (stored times are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().date()
