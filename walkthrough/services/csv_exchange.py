"""Observations to and from spreadsheets (CSV).

Import columns, in any order: ``area,prompt,rating,principles,note,voice``
(only ``area`` and ``rating`` are required; cells separated by commas,
semicolons or tabs).  ``principles`` are separated by ``;``; ``prompt`` empty means
free-standing; ``principles`` empty means the prompt's own; ``voice`` empty
means facilitator.  A row with the ``observation_id`` of an observation of
this walkthrough (as exported) updates it instead of adding a copy.  Areas, ratings and voices may be given by id or by their label
("Waiting area", "Priority concern", "lived experience"), any case.  Rows
that are entirely empty are skipped.

The file may be UTF-8 (with or without the BOM Excel writes), Excel's
Windows-1252, or Excel's "Unicode text" (UTF-16, tab-separated).  The whole file is one transaction: every row is stored, or
none, and an error names the row (the header is row 1).

Export writes the same columns plus ids and times, as UTF-8 with a BOM and
CRLF line ends so that Excel opens it cleanly.  A cell that starts with
``= + - @`` is written with a leading ``'`` so a spreadsheet shows it as text
instead of running it as a formula (CSV injection); import removes that
``'`` again, so a round trip keeps notes exactly as typed.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from walkthrough.domain.errors import CsvError, InvalidInput
from walkthrough.domain.lens import Lens
from walkthrough.services.lens_terms import resolve_area, resolve_principle, resolve_rating, resolve_voice
from walkthrough.services.observations import (
    NewObservation,
    check_observation,
    import_observations,
    list_observations,
)
from walkthrough.services.walkthroughs import get_walkthrough
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.input_file import UnreadableFile, read_ordinary_file
from walkthrough.storage.database import Database

IMPORT_COLUMNS = ("area", "prompt", "rating", "principles", "note", "voice")
REQUIRED_COLUMNS = ("area", "rating")
EXPORT_COLUMNS = (*IMPORT_COLUMNS, "observation_id", "walkthrough_id", "photos", "created_at", "updated_at")
#: Largest CSV file read, in bytes.
MAX_CSV_BYTES = 200_000_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """One imported row: an observation, and the stored one it updates (if any)."""

    observation: NewObservation
    observation_id: str | None = None


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
    index = {c: columns.index(c) for c in (*IMPORT_COLUMNS, "observation_id") if c in columns}

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
            return _unescape(row[index[name]]).strip() if name in index else ""

        try:
            area_id = resolve_area(lens, cell("area"))
            rating_id = resolve_rating(lens, cell("rating"))
            principle_ids = tuple(resolve_principle(lens, p) for p in cell("principles").split(";") if p.strip())
            voice = resolve_voice(cell("voice"))
            prompt_id = cell("prompt") or None
            check_observation(lens, area_id, prompt_id, rating_id, principle_ids)
        except InvalidInput as exc:
            raise CsvError(source, row_number, str(exc)) from None
        note = _unescape(row[index["note"]]) if "note" in index else ""
        observation_id = cell("observation_id") or None
        rows.append(CsvRow(
            NewObservation(area_id, rating_id, prompt_id, principle_ids, note, voice),
            observation_id if observation_id in known_ids else None,
        ))
    return rows


def import_csv(db: Database, walkthrough_id: str, path: Path) -> ImportResult:
    """Import observations from a CSV file, all rows or none.

    Rows carrying the id of one of this walkthrough's observations (as
    :func:`export_csv` writes them) update it; the rest are added.

    Returns:
        How many observations were added and updated.

    Raises:
        NotFound: no such walkthrough.
        CsvError: unreadable file or a bad row (with its number); nothing stored.
    """
    try:
        data = read_ordinary_file(path, max_bytes=MAX_CSV_BYTES)  # never a pipe or a device
    except UnreadableFile as exc:
        raise CsvError(str(path), None, exc.reason) from None
    lens = get_walkthrough(db, walkthrough_id).lens
    known = frozenset(o.id for o in list_observations(db, walkthrough_id))
    rows = parse_observations_csv(read_text(data, path.name), path.name, lens, known)
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
    observations = list_observations(db, walkthrough_id)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for o in observations:
        writer.writerow(
            [
                o.area_id,
                o.prompt_id or "",
                o.rating_id,
                ";".join(o.principle_ids),
                _escape(o.note),
                o.voice.value,
                o.id,
                o.walkthrough_id,
                len(o.photos),
                o.created_at.isoformat(timespec="seconds"),
                o.updated_at.isoformat(timespec="seconds"),
            ]
        )
    return buffer.getvalue(), len(observations)


def _escape(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text

