"""Observations to and from spreadsheets (CSV).

Import columns, in any order: ``area,prompt,rating,principles,note,voice``.
``principles`` are separated by ``;``; ``prompt`` empty means free-standing;
``principles`` empty means the prompt's own; ``voice`` empty means
facilitator.  Areas, ratings and voices may be given by id or by their label
("Waiting area", "Priority concern", "lived experience"), any case.  Rows
that are entirely empty are skipped.

The file may be UTF-8 (with or without the BOM Excel writes) or Excel's
Windows-1252.  The whole file is one transaction: every row is stored, or
none, and an error names the row (the header is row 1).

Export writes the same columns plus ids and times, as UTF-8 with a BOM and
CRLF line ends so that Excel opens it cleanly.  A cell that starts with
``= + - @`` is written with a leading ``'`` so a spreadsheet shows it as text
instead of running it as a formula (CSV injection); import removes that
``'`` again, so a round trip keeps notes exactly as typed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from walkthrough.domain.errors import CsvError, InvalidInput
from walkthrough.domain.lens import Lens
from walkthrough.domain.models import Voice
from walkthrough.services.observations import NewObservation, add_observations, check_observation, list_observations
from walkthrough.services.walkthroughs import get_walkthrough
from walkthrough.storage.atomic_file import write_atomically
from walkthrough.storage.database import Database

IMPORT_COLUMNS = ("area", "prompt", "rating", "principles", "note", "voice")
EXPORT_COLUMNS = (*IMPORT_COLUMNS, "observation_id", "walkthrough_id", "photos", "created_at", "updated_at")
#: Largest CSV file read, in bytes.
MAX_CSV_BYTES = 200_000_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_text(data: bytes, source: str) -> str:
    """Decode a CSV file: UTF-8 (BOM optional), else Windows-1252.

    Raises:
        CsvError: neither encoding fits.
    """
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


def parse_observations_csv(text: str, source: str, lens: Lens) -> list[NewObservation]:
    """Turn CSV text into observations checked against ``lens``.

    Raises:
        CsvError: the first problem, with its row number.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError(source, None, "the file is empty") from None
    except csv.Error as exc:
        raise CsvError(source, 1, f"not readable as CSV ({exc})") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        raise CsvError(source, 1, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                       f"(expected {','.join(IMPORT_COLUMNS)})")
    extra = [h for h in columns if h not in EXPORT_COLUMNS]
    if extra:
        raise CsvError(source, 1, f"unknown column {extra[0]!r} (expected {','.join(IMPORT_COLUMNS)})")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise CsvError(source, 1, f"column {duplicated[0]!r} appears twice")
    index = {c: columns.index(c) for c in IMPORT_COLUMNS}

    areas = _lookup(lens.areas, "title")
    ratings = _lookup(lens.ratings, "label")
    principles = _lookup(lens.principles, "name")
    voices = {v.value: v for v in Voice} | {v.value.replace("-", " "): v for v in Voice}
    voices |= {"person with lived experience": Voice.LIVED_EXPERIENCE}

    items: list[NewObservation] = []
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
            return _unescape(row[index[name]]).strip()

        try:
            area_id = _find(areas, cell("area"), "area")
            rating_id = _find(ratings, cell("rating"), "rating")
            principle_ids = tuple(
                _find(principles, p.strip(), "principle") for p in cell("principles").split(";") if p.strip()
            )
            voice_text = cell("voice").lower()
            if voice_text and voice_text not in voices:
                raise InvalidInput(f"unknown voice {cell('voice')!r} (voices: {', '.join(v.value for v in Voice)})")
            voice = voices.get(voice_text, Voice.FACILITATOR)
            prompt_id = cell("prompt") or None
            check_observation(lens, area_id, prompt_id, rating_id, principle_ids)
        except InvalidInput as exc:
            raise CsvError(source, row_number, str(exc)) from None
        note = _unescape(row[index["note"]])
        items.append(NewObservation(area_id, rating_id, prompt_id, principle_ids, note, voice))
    return items


def import_csv(db: Database, walkthrough_id: str, path: Path) -> int:
    """Import observations from a CSV file, all rows or none.

    Returns:
        The number of observations stored.

    Raises:
        NotFound: no such walkthrough.
        CsvError: unreadable file or a bad row (with its number); nothing stored.
    """
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise CsvError(path.name, None, f"file is larger than {MAX_CSV_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError(str(path), None, f"cannot read the file ({exc.strerror})") from None
    lens = get_walkthrough(db, walkthrough_id).lens
    items = parse_observations_csv(read_text(data, path.name), path.name, lens)
    if items:
        add_observations(db, walkthrough_id, items)
    return len(items)


def export_csv(db: Database, walkthrough_id: str, path: Path) -> int:
    """Write a walkthrough's observations to a CSV file (atomically).

    Returns:
        The number of observations written.

    Raises:
        NotFound: no such walkthrough.
        ExportError: the file cannot be written; an earlier file is left as it was.
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
    write_atomically(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return len(observations)


def _lookup(items: tuple, label_field: str) -> dict[str, str]:  # type: ignore[type-arg]
    table: dict[str, str] = {}
    for item in items:
        table[getattr(item, label_field).casefold()] = item.id
    for item in items:
        table[item.id.casefold()] = item.id  # ids win over labels
    return table


def _find(table: dict[str, str], text: str, kind: str) -> str:
    if not text:
        raise InvalidInput(f"the {kind} is empty")
    found = table.get(text.casefold())
    if found is None:
        known = ", ".join(sorted(set(table.values())))
        raise InvalidInput(f"unknown {kind} {text!r} ({kind}s: {known})")
    return found


def _escape(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text

