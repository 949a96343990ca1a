"""The ``walkthrough`` command line.

Exit status: 0 on success, 1 on a problem the user can act on (printed as one
line ``error: …`` on stderr), 2 on bad usage, and 141, with no message, when
the reader of standard output went away (``walkthrough lens show general |
head``): 128 + SIGPIPE, what a shell reports for ``cat`` or ``grep`` stopped
the same way, so ``set -o pipefail`` scripts treat us like any other tool and
can tell it from a real error.  Stopped by Ctrl+C it is 130, by SIGTERM 143
and by SIGHUP 129 (128 + the signal), after the same clean-up: the change
rolled back, temporary files removed, the lock given back.  Headless
commands never import Qt, and each command imports only what it needs, so
``walkthrough --version`` starts about as fast as Python itself.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from walkthrough import __version__
from walkthrough.domain.english import counted

if TYPE_CHECKING:
    from walkthrough.domain.records import WalkthroughRecord
    from walkthrough.storage.database import Database

PROG = "walkthrough"


# -- argument parsing --------------------------------------------------------------


def _visit_date(text: str | None, *, nothing: str) -> dt.date | None:
    """``--date``'s day, or ``None`` if not given; a text that is not a day is refused in one line.

    Read here rather than by argparse, so that a wrong date is one ``error:``
    line (exit 1) like every other wrong value, not a usage message.
    """
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"--date {_not_a_date(text)}; {nothing}") from None


def _not_a_date(text: str) -> str:
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return f"{text!r} is not a day on the calendar (that month has no such day)"
    return f"{text!r} is not a valid date; write year-month-day, like 2026-11-29"


def _participant(text: str) -> tuple[str, str]:
    from walkthrough.domain.vocabulary import Role

    name, sep, role = text.rpartition("=")
    roles = [r.value for r in Role]
    if not sep or not name.strip() or role.strip() not in roles:
        raise argparse.ArgumentTypeError(f"{text!r}: write NAME=ROLE, ROLE one of {', '.join(roles)}")
    return name.strip(), role.strip()


@dataclass(frozen=True)
class Destination:
    """A file or folder a command writes to, exactly as typed.

    Kept as text until :func:`_check_destinations` has looked at it, because
    ``Path`` drops a trailing separator, and that separator is what says
    "the folder ``/media/usb``" rather than "a file named ``usb``".
    """

    text: str


def _check_destinations(args: argparse.Namespace) -> None:
    """Turn every :class:`Destination` argument into a ``Path``, refusing one that would land elsewhere.

    Runs before any command opens the database, so a refusal writes nothing.
    A path that ends in a separator must be an existing folder: with a USB
    stick not plugged in, ``copy-db /media/usb/`` would otherwise write a file
    named ``/media/usb`` on the computer and report success.  Any other path
    must be in an existing folder: commands never create the folders on the
    way to it (``photos export`` makes only its last folder, the one it names).

    Raises:
        InvalidInput: names the path and the folder that is missing.
    """
    for name, value in vars(args).items():
        if isinstance(value, Destination):
            setattr(args, name, _checked_destination(value.text))


def _checked_destination(text: str) -> Path:
    from walkthrough.domain.errors import InvalidInput

    path = Path(text)
    if text == "-":  # standard output (export-csv)
        return path
    hint = "is the USB stick or disk connected?"
    if _names_a_folder(text):
        if path.is_dir():
            return path
        if path.exists():
            raise InvalidInput(f"{text}: a file, not a folder; nothing was written")
        raise InvalidInput(f"{text}: no such folder ({hint}); nothing was written")
    if path.is_dir():
        return path  # each command says what it does with a folder
    parent = path.parent
    if not parent.is_dir():
        what = "not a folder" if parent.exists() else "no such folder"
        raise InvalidInput(f"{text}: {what}: {parent} ({hint}); nothing was written")
    return path


def _names_a_folder(text: str) -> bool:
    """True if ``text`` ends in a path separator (``/``, or ``\\`` too on Windows)."""
    return text.endswith(tuple(filter(None, (os.sep, os.altsep))))


def _needs_a_change(edit: argparse.ArgumentParser) -> Callable[[argparse.Namespace], None]:
    """A check that ``edit`` was given something to change (argparse cannot say "at least one of")."""

    def check(args: argparse.Namespace) -> None:
        if all(getattr(args, name) is None for name in ("service", "site", "date", "facilitator", "participant")):
            edit.error("give at least one of --service, --site, --date, --facilitator, --participant")

    return check


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for generated docs)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run a trauma-informed service walkthrough and turn it into findings and an "
        "improvement plan. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"Lens Walkthrough {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="walkthrough database to use: a file, or a PostgreSQL database's URL "
        "(postgresql+psycopg://USER@HOST/NAME) (default: $WALKTHROUGH_DB, else one in your user data folder)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open the database for viewing only: nothing is changed, upgraded or backed up "
        "(e.g. a database on a write-protected USB stick)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("lenses", help="list the lenses you can start a walkthrough with")

    lens = sub.add_parser("lens", help="work with lens files")
    lens_sub = lens.add_subparsers(dest="lens_command", metavar="ACTION", required=True)
    check = lens_sub.add_parser("check", help="validate a lens file and report every problem with its line")
    check.add_argument("file", type=Path)
    show = lens_sub.add_parser("show", help="a lens's principles, ratings, areas and prompts, with their ids")
    show.add_argument("lens", metavar="ID")

    new = sub.add_parser("new", help="start a walkthrough; prints its id")
    new.add_argument("--lens", required=True, metavar="ID", help="lens id (see `walkthrough lenses`)")
    new.add_argument("--service", required=True, metavar="NAME")
    new.add_argument("--site", required=True, metavar="NAME")
    new.add_argument("--date", metavar="YYYY-MM-DD", help="day of the walk (default today)")
    new.add_argument("--facilitator", action="append", default=[], metavar="NAME")
    new.add_argument(
        "--participant",
        action="append",
        default=[],
        type=_participant,
        metavar="NAME=ROLE",
        help="team member; ROLE is staff, lived-experience, manager or other",
    )

    edit = sub.add_parser("edit", help="correct a walkthrough's service, site, date or team; prints what changed")
    edit.add_argument("walkthrough", metavar="WID", help="walkthrough id (or its first characters)")
    edit.add_argument("--service", metavar="NAME")
    edit.add_argument("--site", metavar="NAME")
    edit.add_argument("--date", metavar="YYYY-MM-DD", help="day of the walk")
    edit.add_argument("--facilitator", action="append", metavar="NAME",
                      help="repeatable; the names given replace the facilitators")
    edit.add_argument("--participant", action="append", type=_participant, metavar="NAME=ROLE",
                      help="repeatable; the team members given replace the participants; "
                      "ROLE is staff, lived-experience, manager or other")
    edit.set_defaults(usage_check=_needs_a_change(edit))

    sub.add_parser("list", help="list walkthroughs, most recently changed first")

    observe = sub.add_parser("observe", help="record an observation; prints its id")
    observe.add_argument("walkthrough", metavar="WID", help="walkthrough id (or its first characters)")
    observe.add_argument("--area", required=True, metavar="ID")
    observe.add_argument("--prompt", metavar="ID",
                         help='omit for an observation no prompt foresaw (listed under "Other observations")')
    observe.add_argument("--rating", metavar="ID",
                         help="the rating's id, its words, or its place on the scale (1–4, as the keys in the app); "
                              "omit to record it as not rated yet")
    observe.add_argument("--principle", action="append", default=[], metavar="ID",
                         help="repeatable; default: the prompt's principles")
    observe.add_argument("--note", required=True, metavar="TEXT")
    observe.add_argument("--voice", default="facilitator", metavar="ROLE",
                         help="facilitator (default), staff, lived-experience, manager or other")
    observe.add_argument("--photo", action="append", default=[], type=Path, metavar="FILE")

    photos = sub.add_parser("photos", help="add or export photos")
    photos_sub = photos.add_subparsers(dest="photos_command", metavar="ACTION", required=True)
    add = photos_sub.add_parser("add", help="attach picture files to an observation")
    add.add_argument("observation", metavar="OID")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    export = photos_sub.add_parser("export", help="write a walkthrough's photos into a folder as JPEG")
    export.add_argument("walkthrough", metavar="WID")
    export.add_argument("folder", type=Destination, metavar="DIR",
                        help="the folder to write them into; made if missing, but its parent folder must exist")

    imp = sub.add_parser("import-csv", help="import observations from a spreadsheet (all rows or none)")
    imp.add_argument("walkthrough", metavar="WID")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--as-new", action="store_true",
                     help="add every row as a new observation, also from a file exported from another walkthrough")
    exp = sub.add_parser("export-csv", help="export observations to a spreadsheet")
    exp.add_argument("walkthrough", metavar="WID")
    exp.add_argument("file", type=Destination, metavar="FILE",
                     help='the CSV file to write (UTF-8 with a BOM, for Excel); "-" writes the CSV to standard '
                     "output instead, as UTF-8 without a BOM, for piping into other programs")

    demo = sub.add_parser("demo", help="the sample walkthrough of a fictional rural service, made if it is not "
                                       "there yet; prints its id")
    demo.add_argument("--again", action="store_true", help="make another copy even if the sample is there")

    report = sub.add_parser("report", help="write the PDF findings report")
    report.add_argument("walkthrough", metavar="WID")
    report.add_argument("-o", "--output", required=True, type=Destination, metavar="FILE.pdf")
    report.add_argument("--marking", default="OFFICIAL-SENSITIVE",
                        help='protective marking on every page (default OFFICIAL-SENSITIVE; "" for none)')
    report.add_argument("--no-photos", action="store_true", help="leave photos out")
    report.add_argument("--no-voice", action="store_true", help="leave out whose voice each observation is")
    report.add_argument("--names", action="store_true", help="name the participants on the cover")
    report.add_argument("--area", action="append", default=[], metavar="ID",
                        help='only these areas, by id or name, like "Waiting area" (repeatable)')

    sub.add_parser("check", help="check the database and every photo for damage")

    backup = sub.add_parser("backup", help="back up the database now; prints the backup file")
    backup.add_argument("file", nargs="?", type=Destination, metavar="FILE",
                        help="where to write it (a file or a folder; default: a new file in the backups folder)")
    backup.add_argument("--replace", action="store_true",
                        help="FILE may be an older copy of a database or backup, to be written over")
    sub.add_parser("backups", help="list this database's backups, newest first")
    restore = sub.add_parser(
        "restore", help="replace the database's contents with a backup (the current contents are backed up first)"
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore (see `walkthrough backups`)")
    copy_db = sub.add_parser(
        "copy-db", help="write a complete copy of the database, e.g. to a USB stick (safe while it is in use)"
    )
    copy_db.add_argument("dest", type=Destination, metavar="DEST", help="the copy to write, or a folder to put it in")
    copy_db.add_argument("--replace", action="store_true",
                         help="DEST may be an older copy of a database or backup, to be written over")
    return parser


# -- commands ----------------------------------------------------------------------


def _open(args: argparse.Namespace, *, create: bool = False) -> Database:
    """Open the database; only a command that starts a walkthrough (``create``) makes a new one."""
    from walkthrough.storage.database import open_database
    from walkthrough.storage.locations import resolve_database

    db = open_database(resolve_database(args.db), create=create, read_only=args.read_only)
    if db.backup_warning:
        _warn(db.backup_warning)
    return db


def _out(line: str = "") -> None:
    _print(line, sys.stdout)


def _warn(text: str) -> None:
    _print(f"warning: {_one_line(text)}", sys.stderr)


def _warn_error(text: str) -> None:
    """One ``error: …`` line on stderr for a problem that does not stop the command."""
    _print(f"error: {_one_line(text)}", sys.stderr)


def _print(text: str, stream: TextIO) -> None:
    """Print one line that cannot garble the terminal or fail to encode.

    Names and notes come from files and other people: a control character
    (an escape sequence, a bell) is shown as ``\\x1b``, and a lone surrogate
    (a file name that is not valid UTF-8) as ``\\udcff``, instead of being
    sent to the terminal or crashing the print after the work was done.
    """
    safe = "".join(
        ch if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs") else ascii(ch)[1:-1] for ch in text
    )
    try:
        print(safe, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(safe.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def cmd_lenses(args: argparse.Namespace) -> int:
    from walkthrough.services.lens_catalog import load_catalog

    catalog = load_catalog()
    width = max((len(e.lens.id) for e in catalog.entries), default=2)
    for entry in catalog.entries:
        mine = "" if entry.bundled else f"  (yours: {entry.path})"
        _out(f"{entry.lens.id:<{width}}  {entry.lens.version:<6}  {entry.lens.title}{mine}")
    for problem in catalog.problems:
        print(f"warning: skipped {problem}", file=sys.stderr)
    return 0


def cmd_lens_check(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import LensError
    from walkthrough.services.lens_catalog import load_lens_file

    try:
        lens = load_lens_file(args.file)
    except LensError as exc:
        for problem in [exc, *exc.more]:
            _print(f"error: {_one_line(problem.description)}", sys.stderr)
        return 1
    _out(f"{args.file}: ok — lens {lens.id!r} version {lens.version}, {counted(len(lens.areas), 'area', 'areas')}, "
         f"{counted(lens.prompt_count(), 'prompt', 'prompts')}, "
         f"{counted(len(lens.principles), 'principle', 'principles')}")
    return 0


def cmd_lens_show(args: argparse.Namespace) -> int:
    from walkthrough.domain.lens import AreaKind
    from walkthrough.services.lens_catalog import load_catalog

    lens = load_catalog().get(args.lens).lens
    _out(f"{lens.id} {lens.version} — {lens.title}")
    _out("Principles: " + ", ".join(f"{p.id} ({p.name})" for p in lens.principles))
    _out("Ratings:    " + ", ".join(f"{n} {r.id} ({r.symbol} {r.label})" for n, r in enumerate(lens.ratings, start=1)))
    _out("Components: " + ", ".join(c.id for c in lens.components))
    for kind, heading in ((AreaKind.PHYSICAL, "Physical route"), (AreaKind.PROCEDURAL, "Procedural route")):
        areas = [a for a in lens.areas if a.kind is kind]
        if not areas:
            continue
        _out("")
        _out(heading)
        for area in areas:
            _out(f"  {area.id}  — {area.title}")
            for prompt in area.prompts:
                _out(f"    {prompt.id}  {prompt.question}  [{', '.join(prompt.principles)}]")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from walkthrough.domain.vocabulary import Role
    from walkthrough.domain.records import TeamMember
    from walkthrough.services.lens_catalog import load_catalog
    from walkthrough.services.walkthroughs import create_walkthrough

    visit_date = _visit_date(args.date, nothing="no walkthrough was started")
    lens = load_catalog().get(args.lens).lens
    with _open(args, create=True) as db:
        _warn_if_visit_exists(db, args.service, args.site, visit_date or dt.date.today())
        record = create_walkthrough(
            db,
            lens,
            service=args.service,
            site=args.site,
            visit_date=visit_date,
            facilitators=args.facilitator,
            participants=[TeamMember(name, Role(role)) for name, role in args.participant],
        )
    _out(record.id)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import InvalidInput
    from walkthrough.domain.records import TeamMember
    from walkthrough.domain.vocabulary import Role
    from walkthrough.services.walkthroughs import get_walkthrough, resolve_walkthrough_id, update_walkthrough

    visit_date = _visit_date(args.date, nothing="nothing was changed")
    participants = None
    if args.participant is not None:
        participants = [TeamMember(name, Role(role)) for name, role in args.participant]
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        before = get_walkthrough(db, wid)
        after = update_walkthrough(db, wid, service=args.service, site=args.site, visit_date=visit_date,
                                   facilitators=args.facilitator, participants=participants)
    changes = _detail_changes(before, after)
    for line in changes:
        _out(line)
    if not changes:
        _out(f"nothing changed: {after.service} — {after.site} already had those details")
    return 0


def _detail_changes(before: WalkthroughRecord, after: WalkthroughRecord) -> list[str]:
    """One line for each detail that differs: ``site: Kirkwall → Stromness``."""

    def names(values: Sequence[str]) -> str:
        return ", ".join(values) or "(none)"

    pairs = (
        ("service", before.service, after.service),
        ("site", before.site, after.site),
        ("date", before.visit_date.isoformat(), after.visit_date.isoformat()),
        ("facilitators", names(before.facilitators), names(after.facilitators)),
        ("participants", names([f"{p.name} ({p.role.value})" for p in before.participants]),
         names([f"{p.name} ({p.role.value})" for p in after.participants])),
    )
    return [f"{label}: {old} → {new}" for label, old, new in pairs if old != new]


def _warn_if_visit_exists(db: Database, service: str, site: str, visit_date: dt.date) -> None:
    """Warn (but go on: scripts rely on ``new`` always creating) about a walkthrough of the same visit."""
    from walkthrough.services.walkthroughs import find_same_visit

    w = find_same_visit(db, service, site, visit_date)
    if w is not None:
        _warn(f"a walkthrough of {w.service} at {w.site} on {visit_date.isoformat()} already exists "
              f"({w.id}); starting another one")


def cmd_list(args: argparse.Namespace) -> int:
    from walkthrough.domain.not_rated import NOT_RATED_LABEL
    from walkthrough.services.walkthroughs import list_walkthroughs
    from walkthrough.storage.database import database_exists
    from walkthrough.storage.locations import resolve_database

    if not database_exists(resolve_database(args.db)):
        rows = []  # no database yet (the first run): nothing to list, and listing creates none
    else:
        with _open(args) as db:
            rows = list_walkthroughs(db)
    if not rows:
        print("no walkthroughs yet: start one with `walkthrough new` or try `walkthrough demo`", file=sys.stderr)
        return 0
    for w in rows:
        _out(
            f"{w.id}  {w.visit_date.isoformat()}  {w.service} — {w.site}  [{w.lens_id} {w.lens_version}]  "
            f"{counted(w.observation_count, 'observation', 'observations')}, "
            f"{counted(w.photo_count, 'photo', 'photos')}, {w.areas_walked}/{counted(w.area_count, 'area', 'areas')}"
            + (f", {w.not_rated_count} {NOT_RATED_LABEL.lower()}" if w.not_rated_count else "")
        )
    return 0


def cmd_observe(args: argparse.Namespace) -> int:
    from walkthrough.services import lens_terms
    from walkthrough.services.observations import NewObservation, add_observation
    from walkthrough.services.photo_intake import prepare_photo
    from walkthrough.services.walkthroughs import get_walkthrough, resolve_walkthrough_id

    voice = lens_terms.resolve_voice(args.voice)
    if not args.note.strip() and args.rating is None and not args.photo:
        from walkthrough.domain.errors import InvalidInput

        # Nothing noticed, nothing rated, nothing shown: it would only sit in the report as "No note".
        raise InvalidInput("--note is empty and there is no --rating or --photo: nothing to record; "
                           "write what was noticed, or rate it")
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        lens = get_walkthrough(db, wid).lens
        photos = tuple(prepare_photo(p) for p in args.photo)  # a refused photo stops everything
        record = add_observation(
            db,
            wid,
            NewObservation(
                area_id=lens_terms.resolve_area(lens, args.area),
                prompt_id=args.prompt,
                rating_id=None if args.rating is None else lens_terms.resolve_rating(lens, args.rating),
                principle_ids=tuple(lens_terms.resolve_principle(lens, p) for p in args.principle),
                note=args.note,
                voice=voice,
                photos=photos,
            ),
        )
    _out(record.id)
    return 0


def cmd_photos_add(args: argparse.Namespace) -> int:
    from walkthrough.services.observations import resolve_observation_id
    from walkthrough.services.photos import add_photo_files

    with _open(args) as db:
        outcomes = add_photo_files(db, resolve_observation_id(db, args.observation), args.files)
    refused = 0
    for outcome in outcomes:
        if outcome.record is not None:
            _out(f"added    {outcome.source}  ({outcome.record.width}x{outcome.record.height}, id {outcome.record.id})")
        else:
            refused += 1
            reason = outcome.error.reason if outcome.error is not None else "refused"
            _warn_error(f"{outcome.source}: {reason}; not added")
    return 1 if refused else 0


def cmd_photos_export(args: argparse.Namespace) -> int:
    from walkthrough.services.photos import export_photos
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    with _open(args) as db:
        written = export_photos(db, resolve_walkthrough_id(db, args.walkthrough), args.folder)
    _out(f"exported {counted(len(written), 'photo', 'photos')} to {args.folder}")
    return 0


def cmd_import_csv(args: argparse.Namespace) -> int:
    from walkthrough.services.csv_exchange import import_csv
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    with _open(args) as db:
        result = import_csv(db, resolve_walkthrough_id(db, args.walkthrough), args.file, as_new=args.as_new)
    added = counted(result.added, "new observation", "new observations")
    updated = f", updated {result.updated}" if result.updated else ""
    _out(f"imported {added}{updated} from {args.file}")
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    from walkthrough.services.csv_exchange import export_csv, observations_csv
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    to_stdout = str(args.file) == "-"
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        if to_stdout:
            # Bytes, not text: the CSV's own CRLF line ends and UTF-8 whatever the terminal's locale.
            # No BOM: the programs a pipe feeds (csvkit, grep, Python's csv) would read it as part of
            # the first column's name.
            text, count = observations_csv(db, wid)
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            count = export_csv(db, wid, args.file)
    done = f"exported {counted(count, 'observation', 'observations')}"
    if to_stdout:
        _print(done, sys.stderr)  # standard output is the CSV
    else:
        _out(f"{done} to {args.file}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from walkthrough.services.demo import create_demo_walkthrough, find_demo_walkthrough

    with _open(args, create=True) as db:
        existing = None if args.again else find_demo_walkthrough(db)
        if existing is None:
            existing = create_demo_walkthrough(db).id
        else:
            _print(f"the sample walkthrough is already in {db.path}: this is its id "
                   f"(`{PROG} demo --again` makes another copy)", sys.stderr)
    _out(existing)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from walkthrough.report import ReportOptions, build_report
    from walkthrough.services import lens_terms
    from walkthrough.services.photos import photo_jpeg
    from walkthrough.services.walkthroughs import load_contents, resolve_walkthrough_id

    output: Path = args.output
    if output.is_dir():
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"{output} is a folder; give a file name, like {output / 'findings.pdf'}")
    if output.suffix.lower() != ".pdf":
        output = output.with_name(output.name + ".pdf")
    with _open(args) as db:
        contents = load_contents(db, resolve_walkthrough_id(db, args.walkthrough))
        lens = contents.walkthrough.lens
        area_ids = tuple(dict.fromkeys(lens_terms.resolve_area(lens, area) for area in args.area))
        options = ReportOptions(
            protective_marking=args.marking.strip(),
            include_photos=not args.no_photos,
            include_voice=not args.no_voice,
            include_names=args.names,
            area_ids=area_ids or None,
        )
        build_report(contents, lambda photo_id: photo_jpeg(db, photo_id), output, options)
    _out(f"wrote {output}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from walkthrough.services.integrity import check_backups, check_database
    from walkthrough.storage.database import open_database
    from walkthrough.storage.locations import resolve_database_path
    from walkthrough.storage.schema_objects import ForeignSchemaObjects

    try:
        db = _open(args)
    except ForeignSchemaObjects:
        # Refused for use, but reading runs no trigger: check reports them with everything else.
        db = open_database(resolve_database_path(args.db), read_only=True, foreign_objects_ok=True)
    with db:
        report = check_database(db)
        path, name = db.path, db.name
    for problem in report.problems:
        _out(f"problem  {problem}")
    state = "healthy" if report.healthy else f"{counted(len(report.problems), 'problem', 'problems')} found"
    _out(f"{name}: {state} — {counted(report.walkthroughs, 'walkthrough', 'walkthroughs')}, "
         f"{counted(report.observations, 'observation', 'observations')}, "
         f"{counted(report.photos, 'photo', 'photos')} checked")
    if path is None:
        _out("backups: kept by the database server's own tools (backups here are for database files)")
        return 0 if report.healthy else 1
    backups = check_backups(path)
    newest, good = backups.newest, backups.newest_good
    if newest is None:
        _out("backups: none yet (one is made automatically each day the database is used)")
        return 0 if report.healthy else 1
    # "The same check": the one just run on the database, photos and all, not only SQLite's quick check.
    if not backups.newest_problems:
        _out(f"backups: {backups.count}, newest {newest.created:%Y-%m-%d %H:%M} passes the same check — {newest.path}")
        return 0 if report.healthy else 1
    first, more = backups.newest_problems[0], len(backups.newest_problems) - 1
    _out(f"backups: {backups.count}, newest {newest.created:%Y-%m-%d %H:%M} FAILS the same check "
         f"({first}{f'; and {more} more' if more else ''}) — {newest.path}")
    if good is None:
        _out("backups: none of them passes the same check")
    else:
        _out(f"backups: the newest that passes the same check is {good.created:%Y-%m-%d %H:%M} — {good.path}")
    return 0 if report.healthy else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from walkthrough.services.backups import back_up
    from walkthrough.storage.locations import resolve_database_path

    with _suggest_replace():
        _out(str(back_up(resolve_database_path(args.db), args.file, read_only=args.read_only, replace=args.replace)))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from walkthrough.services.backups import list_backups
    from walkthrough.storage.locations import backups_dir, resolve_database_path

    rows = list_backups(resolve_database_path(args.db))
    if not rows:
        _print(f"no backups of this database yet in {backups_dir()}", sys.stderr)
        return 0
    for b in rows:
        _out(f"{b.created:%Y-%m-%d %H:%M:%S}  {_size(b.size):>8}  {b.reason:<16}  {b.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import InvalidInput
    from walkthrough.services.backups import restore_database
    from walkthrough.storage.locations import resolve_database_path

    if args.read_only:
        raise InvalidInput("restore changes the database; run it without --read-only")
    outcome = restore_database(resolve_database_path(args.db), args.file)
    if outcome.saved_current is not None:
        _out(f"saved the current contents to {outcome.saved_current}")
    _out(f"restored {outcome.database} from {outcome.source}")
    if outcome.problems:
        more = len(outcome.problems) - 1
        _warn(f"{outcome.source} already had damage: {outcome.problems[0]}{f'; and {more} more' if more else ''}; "
              f"`{PROG} check` lists it, and `{PROG} backups` lists other backups")
    return 0


def cmd_copy_db(args: argparse.Namespace) -> int:
    from walkthrough.services.backups import copy_database
    from walkthrough.storage.locations import resolve_database_path

    with _suggest_replace():
        copy = copy_database(resolve_database_path(args.db), args.dest, read_only=args.read_only,
                             replace=args.replace)
    _out(f"copied the database to {copy} ({_size(copy.stat().st_size)})")
    return 0


@contextlib.contextmanager
def _suggest_replace() -> Iterator[None]:
    """A copy or backup refused for landing on another database names the option that allows it."""
    from walkthrough.domain.errors import DestinationHoldsDatabase

    try:
        yield
    except DestinationHoldsDatabase as exc:
        raise DestinationHoldsDatabase(
            f"{exc.path}: that file is a walkthrough database or a backup of one; nothing was written; "
            "choose another file, or add --replace if it is an older copy to write over", exc.path) from None


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < scale * 1000 or unit == "GB":
            return f"{n / scale:.1f} {unit}"
    raise AssertionError("unreachable")


def cmd_app(args: argparse.Namespace) -> int:
    from walkthrough.storage.locations import resolve_database_path

    _refuse_a_server_database("the desktop app", args.db, "; the commands in `walkthrough --help` work on it")
    _refuse_without_display()

    try:
        from walkthrough.app import run
    except ImportError as exc:  # Qt's system libraries are missing
        from walkthrough.domain.errors import WalkthroughError

        raise WalkthroughError(
            f"the desktop app cannot start: {exc}; see the README's system packages "
            "(the command line works without them)"
        ) from None
    return run(resolve_database_path(args.db), read_only=args.read_only)


def _refuse_without_display() -> None:
    """Stop before Qt does, on an X11/Wayland system with no display (an SSH session, a container).

    Without one, Qt prints a screenful about platform plugins and aborts with
    a core dump.  ``QT_QPA_PLATFORM`` set means the user chose a platform
    (``offscreen``, ``vnc``): leave it to Qt.  Windows and macOS always have one.
    """
    if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
        return
    if any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return
    from walkthrough.domain.errors import WalkthroughError

    raise WalkthroughError(
        "no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set): the desktop app needs one; "
        f"the commands in `{PROG} --help` work without it"
    )


_COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace], int]] = {
    ("lenses", None): cmd_lenses,
    ("lens", "check"): cmd_lens_check,
    ("lens", "show"): cmd_lens_show,
    ("new", None): cmd_new,
    ("edit", None): cmd_edit,
    ("list", None): cmd_list,
    ("observe", None): cmd_observe,
    ("photos", "add"): cmd_photos_add,
    ("photos", "export"): cmd_photos_export,
    ("import-csv", None): cmd_import_csv,
    ("export-csv", None): cmd_export_csv,
    ("demo", None): cmd_demo,
    ("report", None): cmd_report,
    ("check", None): cmd_check,
    ("backup", None): cmd_backup,
    ("backups", None): cmd_backups,
    ("restore", None): cmd_restore,
    ("copy-db", None): cmd_copy_db,
}


#: Commands about the database file itself (SQLite's backup API, side files, the backups
#: folder): refused, in one line, for a database on a PostgreSQL server.
_FILE_COMMANDS = frozenset({"backup", "backups", "restore", "copy-db"})


def _refuse_a_server_database(what: str, db: str | None, more: str = "") -> None:
    """Refuse ``what`` when the database is a server's: it is for database files."""
    from walkthrough.storage.locations import database_label, resolve_database

    location = resolve_database(db)
    if isinstance(location, str):
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"{what} is for database files; {database_label(location)} is a PostgreSQL "
                           f"database{more}")


#: Commands that change the database.  They hold the desktop app's lock on it
#: while they run, so they are refused while the app has it open and the app
#: cannot open it under them; the others only read it (``backup`` and
#: ``copy-db`` read it through SQLite's backup API) and run alongside the app.
_CHANGES_DATABASE = frozenset({
    ("new", None),
    ("edit", None),
    ("observe", None),
    ("photos", "add"),
    ("import-csv", None),
    ("demo", None),
    ("restore", None),
})


@contextlib.contextmanager
def _holding_app_lock(args: argparse.Namespace, command: str) -> Iterator[None]:
    """Hold the database's lock while ``command`` changes it.

    The app keeps records and an undo history in memory: after a restore or
    an import behind its back, it would show old contents, and an undo could
    write old edits over the new ones.  So a command refuses to start while
    the app has the database open, and an app started while the command runs
    finds the database taken, as if another copy of itself had it open.
    """
    from walkthrough.storage.database_lock import DatabaseLockHeld, hold_database_lock
    from walkthrough.storage.locations import resolve_database_path

    path = resolve_database_path(args.db)
    try:
        with hold_database_lock(path, f"{PROG} {command}"):  # given back however the command ends
            yield
    except DatabaseLockHeld as exc:  # only taking the lock raises it
        from walkthrough.domain.errors import DatabaseBusy

        pid = exc.holder.pid
        # The holder is the desktop app or another command changing the database (both take this
        # lock), so the advice covers both.
        raise DatabaseBusy(f"{path} is in use by the Lens Walkthrough app or another {PROG} command"
                           f"{f' (process {pid})' if pid else ''}; close the app or let the command finish, "
                           f"then run `{PROG} {command}` again",
                           path=path, pid=pid or None, program=exc.holder.program or None) from None


def _lock_for(args: argparse.Namespace, action: str | None) -> contextlib.AbstractContextManager[None]:
    """The app's lock if the command changes the database, else nothing.

    (With ``--read-only`` a changing command is refused anyway, with its own reason.)
    A database on a PostgreSQL server takes none: the lock is a file beside a
    database file, and the desktop app, which it keeps out, opens only files.
    """
    from walkthrough.storage.locations import is_database_url, resolve_database

    if (args.command, action) in _CHANGES_DATABASE and not args.read_only:
        if is_database_url(resolve_database(args.db)):
            return contextlib.nullcontext()
        return _holding_app_lock(args, " ".join(filter(None, (args.command, action))))
    return contextlib.nullcontext()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Everything it (and the app it may start) creates is user-only, whatever
    the umask: the umask is tightened to 077 while it runs.
    """
    previous = os.umask(0o077)
    os.umask(previous | 0o077)
    try:
        return _run(argv)
    finally:
        os.umask(previous)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, a shutdown): handled as Ctrl+C, with its own exit status."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`_Stopped` while a command runs.

    So they end it the way Ctrl+C does: the transaction rolled back, the
    temporary files removed, the lock given back.  Python's default would
    end the process on the spot, leaving those behind.  Only in the main
    thread (the only one Python lets handle signals).
    """
    import signal
    import threading

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupted(exc: KeyboardInterrupt) -> int:
    """One line for Ctrl+C, SIGTERM or SIGHUP; the exit status a shell expects (128 + the signal)."""
    if isinstance(exc, _Stopped):
        import signal

        print(f"error: stopped ({signal.Signals(exc.signum).name})", file=sys.stderr)
        return 128 + exc.signum
    print("error: interrupted", file=sys.stderr)
    return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "usage_check", None) is not None:
        args.usage_check(args)  # exits 2, as argparse does
    _replace_lone_surrogates(args)
    action = getattr(args, "lens_command", None) or getattr(args, "photos_command", None)
    handler = cmd_app if args.command is None else _COMMANDS[(args.command, action)]
    from walkthrough.domain.errors import WalkthroughError

    try:
        _refuse_a_folder_as_database(args.db)
        _refuse_a_database_in_a_missing_folder(args.db)
        if args.command in _FILE_COMMANDS:
            _refuse_a_server_database(f"`{PROG} {args.command}`", args.db,
                                      " (back it up with the server's own tools, such as pg_dump)")
        _check_destinations(args)
        with _stop_signals_as_interrupts() if args.command else contextlib.nullcontext(), _lock_for(args, action):
            status = handler(args)
            sys.stdout.flush()  # here, so that a closed pipe is met inside the try
        return status
    except BrokenPipeError:
        return _stdout_gone()
    except WalkthroughError as exc:
        _print(f"error: {_one_line(str(exc))}", sys.stderr)
        return 1
    except OSError as exc:  # the disk, not a bug: full, read-only, removed
        from walkthrough.storage.errors import os_error_reason

        where = f"{exc.filename}: " if exc.filename else ""
        _print(f"error: {where}{_one_line(os_error_reason(exc))}", sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except Exception as exc:  # a bug: still one line for the user, the details in a log
        log = _write_crash_log()
        _print(f"error: unexpected {type(exc).__name__}: {_one_line(str(exc))} (details in {log})", sys.stderr)
        return 1


def _refuse_a_folder_as_database(db: str | None) -> None:
    """``--db /media/usb/`` names a folder: never create or open a database file called ``/media/usb``."""
    from walkthrough.storage.locations import is_database_url

    if db and _names_a_folder(db) and not is_database_url(db):
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"--db {db}: a folder, not a database file; give the file, like "
                           f"{Path(db) / 'walkthroughs.sqlite3'}")


def _refuse_a_database_in_a_missing_folder(db: str | None) -> None:
    """A database named by ``--db`` or ``WALKTHROUGH_DB`` must be in a folder that exists.

    ``--db /media/usb/w.sqlite3`` with the stick not plugged in would
    otherwise make a folder ``/media/usb`` on the computer and an empty
    database in it.  Only the default database's folder (the user data
    folder) is ever made.
    """
    from walkthrough.storage.locations import default_database_path, resolve_database

    path = resolve_database(db)
    if isinstance(path, str) or path == default_database_path() or path.parent.is_dir():  # a URL: no folder
        return
    from walkthrough.domain.errors import InvalidInput

    what = "not a folder" if path.parent.exists() else "no such folder"
    raise InvalidInput(f"{path}: {what}: {path.parent} (is the USB stick or disk connected?); nothing was created")


def _stdout_gone() -> int:
    """The reader of standard output closed it (``| head``): stop quietly, as Python's docs advise.

    Standard output is pointed at the null device so that the flush at exit
    does not fail again and print "Exception ignored".
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's StringIO)
        pass
    return 141


#: Options that name files: kept exactly as given, undecodable bytes and all, so the file can be found.
_FILE_OPTIONS = frozenset({"db"})


def _replace_lone_surrogates(args: argparse.Namespace) -> None:
    """Make every text argument storable: UTF-8 read as UTF-8, and any other lone surrogate U+FFFD.

    Python hands over command-line bytes it cannot decode as lone surrogates
    (``surrogateescape``), which SQLite cannot store.  In a strict C locale
    that is every non-ASCII byte, so "Café" typed in a UTF-8 terminal arrives
    as ``Caf\udcc3\udca9``: those bytes are read as the UTF-8 they are
    first, and only bytes that are not UTF-8 (a name typed in a Latin-1
    terminal) are replaced.  File names (``Path`` values and ``--db``) keep
    them: they are how such a file is found again.
    """
    for name, value in vars(args).items():
        if name not in _FILE_OPTIONS:
            setattr(args, name, _without_surrogates(value))


def _without_surrogates(value: object) -> object:
    if isinstance(value, str):
        value = _ESCAPED_BYTES.sub(lambda run: bytes(ord(ch) - 0xDC00 for ch in run[0]).decode("utf-8", "replace"),
                                   value)
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_without_surrogates(v) for v in value)
    return value


#: A run of bytes that Python's ``surrogateescape`` could not decode, each as U+DC80-U+DCFF.
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_crash_log() -> str:
    """Append where the bug happened to ``logs/crash.log`` in the data folder; its path, or why not.

    Only the program's side: exception types and the code lines they passed
    through.  Never a message or a value - an error from the database can
    quote a note, a name or a file path - so the log holds nothing of the
    user's, and it is user-only (0600) in a user-only folder all the same.
    """
    from walkthrough.domain.errors import WalkthroughError
    from walkthrough.storage.locations import make_private_dir, user_data_dir

    try:
        folder = user_data_dir() / "logs"
        make_private_dir(folder)
        path = folder / "crash.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with open(fd, "a", encoding="utf-8") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o600)
            f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} Lens Walkthrough {__version__}\n")
            f.write(_crash_trace(sys.exc_info()[1]))
        return str(path)
    except (OSError, WalkthroughError):
        return "no log: the user data folder is not writable"


def _crash_trace(exc: BaseException | None) -> str:
    """Exception types and stack frames (file, line, function, code) of ``exc`` and its causes; no messages."""
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message left out: it may hold user text)\n")
        parts.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        exc = exc.__cause__ or exc.__context__
        if exc is not None:
            parts.append("caused by:\n")
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
