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
    is_quick_win,
)
from walkthrough.domain.lens import Lens
from walkthrough.domain.records import ActionRecord, ObservationRecord
from walkthrough.domain.spreadsheet_cell import escape_cell
from walkthrough.services.walkthroughs import load_contents
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.database import Database

__all__ = ["HEADINGS", "export_plan_csv", "plan_csv"]

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
    text, count = plan_csv(db, walkthrough_id, today=today)
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
    lens = contents.walkthrough.lens
    findings = contents.observations  # in walking order
    day = today or dt.date.today()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for action in contents.actions:
        cells = _cells(action, lens, findings, day)
        # Every cell escaped: an action's text or owner may start with "=" as easily as a note.
        writer.writerow([escape_cell(cells[c.source]) for c in PLAN_COLUMNS])
    return buffer.getvalue(), len(contents.actions)


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
