"""Observations to and from spreadsheets (CSV).

Import columns, in any order: ``area,prompt,rating,principles,note,voice``
(only ``area`` and ``rating`` are required; cells separated by commas,
semicolons or tabs).  ``principles`` are separated by ``;``; ``prompt`` empty means
free-standing; ``rating`` empty means not rated yet; ``principles`` empty
means the prompt's own; ``voice`` empty means facilitator.  A row with the ``observation_id`` of an observation of
this walkthrough (as exported) updates it instead of adding a copy.  Areas, ratings and voices may be given by id or by their label
("Waiting area", "Priority concern", "lived experience"), any case.  Rows
that are entirely empty are skipped.

The file may be UTF-8 (with or without the BOM Excel writes), Excel's
Windows-1252, or Excel's "Unicode text" (UTF-16, tab-separated).  The whole file is one transaction: every row is stored, or
none, and an error names the row (the header is row 1).

Export writes the same columns plus, for people reading it, the area's
name and the prompt's question beside their ids (import reads the ids and
ignores the names), the observation's and walkthrough's ids, and times in
local time with their UTC offset (ISO 8601), as UTF-8 with a BOM and CRLF
line ends so that Excel opens it cleanly.  Any cell that starts with
``= + - @``, a tab or a carriage return is written with a leading ``'`` so a
spreadsheet shows it as text instead of running it as a formula (CSV
injection); so is one that starts with ``'`` itself, and import removes
exactly one leading ``'`` from a cell that starts with ``'`` and then one of
these: a round trip gives back every note exactly as typed.

A file exported from another walkthrough (its ``walkthrough_id`` column
names another) is refused, naming both, unless imported ``as_new``: then its
rows are added as new observations.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from walkthrough.domain.errors import CsvError, InvalidInput
from walkthrough.domain.fields import OBSERVATION_FIELDS, csv_columns
from walkthrough.domain.lens import Lens
from walkthrough.domain.spreadsheet_cell import escape_cell, unescape_cell
from walkthrough.services.lens_terms import resolve_area, resolve_optional_rating, resolve_principle, resolve_voice
from walkthrough.services.observations import (
    MAX_NOTE_CHARS,
    NewObservation,
    check_observation,
    import_observations,
    list_observations,
)
from walkthrough.services.walkthroughs import get_walkthrough
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.input_file import UnreadableFile, read_ordinary_file
from walkthrough.storage.database import Database

#: The columns, in order, from the one declaration of an observation's fields.
IMPORT_COLUMNS = csv_columns(OBSERVATION_FIELDS, imported=True)
REQUIRED_COLUMNS = csv_columns(OBSERVATION_FIELDS, required=True)
EXPORT_COLUMNS = csv_columns(OBSERVATION_FIELDS)
#: Largest CSV file read, in bytes.
MAX_CSV_BYTES = 200_000_000
#: Longest cell read, in characters: the longest note, escaped.  (The csv
#: module's default, 131,072, is shorter than a note may be.)
_CELL_LIMIT = MAX_NOTE_CHARS + 1


def read_text(data: bytes, source: str) -> str:
    """Decode a CSV file: UTF-16 with its BOM (Excel's "Unicode text"), UTF-8 (BOM optional), else Windows-1252.

    Raises:
        CsvError: none of these fits.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvError(source, None, "damaged UTF-16 text; save it as CSV UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise CsvError(
                source, None, f"not UTF-8 or Windows-1252 text (unreadable byte on line {line}); save it as CSV UTF-8"
            ) from None


@dataclass(frozen=True)
class CsvRow:
    """One imported row: an observation, and the stored one it updates (if any).

    ``walkthrough_id`` is the walkthrough the row was exported from (empty
    for a row typed in a spreadsheet); ``row`` its number in the file.
    """

    observation: NewObservation
    observation_id: str | None = None
    walkthrough_id: str = ""
    row: int = 0


def parse_observations_csv(text: str, source: str, lens: Lens, known_ids: frozenset[str] = frozenset()) -> list[CsvRow]:
    """Turn CSV text into observations checked against ``lens``.

    Columns ``area`` and ``rating`` are required; ``prompt``, ``principles``,
    ``note`` and ``voice`` may be left out.  Commas or semicolons separate
    cells (Excel uses semicolons in many European locales).  A row whose
    ``observation_id`` is in ``known_ids`` updates that observation (an
    exported file, edited and imported again); other rows are new.

    Raises:
        CsvError: the first problem, with its row number.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel: "," or ";" by locale, tab for Unicode text
    if csv.field_size_limit() < _CELL_LIMIT:
        csv.field_size_limit(_CELL_LIMIT)  # process-wide, and only ever raised
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError(source, None, "the file is empty") from None
    except csv.Error as exc:
        raise CsvError(source, 1, f"not readable as CSV ({exc})") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CsvError(source, 1, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                       f"(the first row must name the columns: {','.join(IMPORT_COLUMNS)})")
    extra = [h for h in columns if h not in EXPORT_COLUMNS]
    if extra:
        raise CsvError(source, 1, f"unknown column {extra[0]!r} (columns: {','.join(IMPORT_COLUMNS)})")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise CsvError(source, 1, f"column {duplicated[0]!r} appears twice")
    index = {c: columns.index(c) for c in (*IMPORT_COLUMNS, "observation_id", "walkthrough_id") if c in columns}

    rows: list[CsvRow] = []
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvError(source, row_number + 1, f"not readable as CSV ({exc})") from None
        row_number += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise CsvError(source, row_number, f"has {len(row)} cells, the header has {len(columns)}")

        def cell(name: str, row: list[str] = row) -> str:
            return unescape_cell(row[index[name]]).strip() if name in index else ""

        try:
            area_id = resolve_area(lens, cell("area"))
            rating_id = resolve_optional_rating(lens, cell("rating"))  # empty: not rated yet
            principle_ids = tuple(resolve_principle(lens, p) for p in cell("principles").split(";") if p.strip())
            voice = resolve_voice(cell("voice"))
            prompt_id = cell("prompt") or None
            check_observation(lens, area_id, prompt_id, rating_id, principle_ids)
        except InvalidInput as exc:
            raise CsvError(source, row_number, str(exc)) from None
        note = unescape_cell(row[index["note"]]) if "note" in index else ""
        observation_id = cell("observation_id") or None
        rows.append(CsvRow(
            NewObservation(area_id, rating_id, prompt_id, principle_ids, note, voice),
            observation_id if observation_id in known_ids else None,
            cell("walkthrough_id"),
            row_number,
        ))
    return rows


def import_csv(db: Database, walkthrough_id: str, path: Path, *, as_new: bool = False) -> ImportResult:
    """Import observations from a CSV file, all rows or none.

    Rows carrying the id of one of this walkthrough's observations (as
    :func:`export_csv` writes them) update it; the rest are added.

    Args:
        as_new: add every row as a new observation, even one exported from
            another walkthrough (or from this one: a copy).

    Returns:
        How many observations were added and updated.

    Raises:
        NotFound: no such walkthrough.
        CsvError: unreadable file or a bad row (with its number), or a file
            exported from another walkthrough (without ``as_new``); nothing stored.
    """
    try:
        data = read_ordinary_file(path, max_bytes=MAX_CSV_BYTES)  # never a pipe or a device
    except UnreadableFile as exc:
        raise CsvError(str(path), None, exc.reason) from None
    lens = get_walkthrough(db, walkthrough_id).lens
    known = frozenset(o.id for o in list_observations(db, walkthrough_id))
    rows = parse_observations_csv(read_text(data, path.name), path.name, lens, frozenset() if as_new else known)
    if not as_new:
        other = next((r for r in rows if r.walkthrough_id and r.walkthrough_id != walkthrough_id), None)
        if other is not None:
            raise CsvError(path.name, other.row, f"exported from walkthrough {other.walkthrough_id}, not from "
                           f"{walkthrough_id} that it is being imported into; nothing was imported (with --as-new "
                           "its rows are added to this walkthrough as new observations)")
    updates = {r.observation_id: r.observation for r in rows if r.observation_id}
    adds = [r.observation for r in rows if not r.observation_id]
    updated = import_observations(db, walkthrough_id, adds, updates) if rows else 0
    return ImportResult(added=len(adds), updated=updated)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: observations added, and existing ones changed."""

    added: int
    updated: int


def export_csv(db: Database, walkthrough_id: str, path: Path) -> int:
    """Write a walkthrough's observations to a CSV file (atomically), UTF-8 with the BOM Excel needs.

    Returns:
        The number of observations written.

    Raises:
        NotFound: no such walkthrough.
        ExportError: the file cannot be written; an earlier file is left as it was.
    """
    text, count = observations_csv(db, walkthrough_id)
    write_atomically(path, ("\ufeff" + text).encode("utf-8"))
    return count


def observations_csv(db: Database, walkthrough_id: str) -> tuple[str, int]:
    """A walkthrough's observations as CSV text (CRLF line ends, no BOM) and how many there are.

    Raises:
        NotFound: no such walkthrough.
    """
    lens = get_walkthrough(db, walkthrough_id).lens
    observations = list_observations(db, walkthrough_id)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for o in observations:
        area = lens.area(o.area_id)
        prompt = lens.prompt(o.prompt_id) if o.prompt_id else None
        cells = {
            "area": o.area_id,
            "area_name": area.title if area is not None else "",
            "prompt": o.prompt_id or "",
            "prompt_text": prompt.question if prompt is not None else "",
            "rating": o.rating_id or "",  # not rated yet
            "principles": ";".join(o.principle_ids),
            "note": o.note,
            "voice": o.voice.value,
            "observation_id": o.id,
            "walkthrough_id": o.walkthrough_id,
            "photos": str(len(o.photos)),
            "created_at": _local_time(o.created_at),
            "updated_at": _local_time(o.updated_at),
        }
        # In the declared order; every cell escaped: names and ids come from files too.
        writer.writerow([escape_cell(cells[c]) for c in EXPORT_COLUMNS])
    return buffer.getvalue(), len(observations)


def _local_time(moment: dt.datetime) -> str:
    """``moment`` in this computer's time zone, with its UTC offset (ISO 8601)."""
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().isoformat(timespec="seconds")
