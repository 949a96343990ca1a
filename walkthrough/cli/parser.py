"""The command line's parser: its commands, options and the types that check them as typed."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from walkthrough import __version__

PROG = "walkthrough"


# -- argument parsing --------------------------------------------------------------


def _visit_date(text: str | None, *, nothing: str, option: str = "--date") -> dt.date | None:
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

        raise InvalidInput(f"{option} {_not_a_date(text)}; {nothing}") from None


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


def _positive_count(text: str) -> int:
    """A whole number of 1 or more (``--limit``)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 1 or more")
    return number


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

    sub.add_parser("services", help="list the services, most recently walked first: id, name, sites, walks, "
                   "open actions")
    journey = sub.add_parser("journey", help="a service's journey: each area's implementation stage (1-5) at "
                             "each of its walks, and why the latest is where it is")
    journey.add_argument("service", metavar="SERVICE", help="service id (or its first characters)")
    again = sub.add_parser("walk-again", help="start a follow-up walk of a walkthrough (same service, site and team; "
                           "its lens or the newer version); prints its id")
    again.add_argument("walkthrough", metavar="WID", help="walkthrough id (or its first characters)")
    again.add_argument("--date", metavar="YYYY-MM-DD", help="day of the walk (default today)")
    merge = sub.add_parser("merge-services", help="make two services one: OTHER_ID's walks move to KEEP_ID")
    merge.add_argument("keep", metavar="KEEP_ID", help="the service that stays (id or its first characters)")
    merge.add_argument("other", metavar="OTHER_ID", help="the service that goes (id or its first characters)")

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

    action = sub.add_parser("action", help="add an action to a walkthrough's improvement plan; prints its id")
    action.add_argument("walkthrough", metavar="WID", help="walkthrough id (or its first characters)")
    action.add_argument("--text", required=True, metavar="TEXT", help="what will be done")
    action.add_argument("--owner", default="", metavar="NAME", help="who does the work")
    action.add_argument("--lead", default="", metavar="NAME", help="who answers for it (the accountable lead)")
    action.add_argument("--due", metavar="YYYY-MM-DD", help="the due date")
    action.add_argument("--priority", default="medium", metavar="P", help="high, medium (default) or low")
    action.add_argument("--component", metavar="ID", help="the core component: its id or name")
    action.add_argument("--principle", action="append", default=[], metavar="ID",
                        help="a principle it serves (repeatable): its id or name")
    action.add_argument("--finding", action="append", default=[], metavar="OID",
                        help="an observation it answers (repeatable): its id or first characters")
    action.add_argument("--how-we-know", default="", metavar="TEXT", help="the success measure: how we'll know")
    action.add_argument("--mat", action="append", default=[], metavar="N",
                        help="a MAT standard (1-10) it serves (repeatable)")

    plan = sub.add_parser("plan", help="a walkthrough's or a service's improvement plan, one line per action: id, "
                          "(for a service, the date of the walk it was made in,) status, on track, due date, "
                          "owner, text")
    plan.add_argument("walkthrough", metavar="WID|SERVICE",
                      help="walkthrough id, or service id for the service's whole plan across its walks "
                      "(or the first characters of either)")
    plan.add_argument("--as-at", metavar="YYYY-MM-DD",
                      help="the plan as it stood at the end of that day, from the change history")

    update = sub.add_parser("update", help="record progress on an action: a dated note, and its status or "
                            "on-track now; prints the update's id")
    update.add_argument("action", metavar="ACTION_ID", help="action id (or its first characters; "
                        "`walkthrough plan WID` shows them)")
    update.add_argument("--status", metavar="S", help="not-started, in-progress or done")
    update.add_argument("--on-track", metavar="S", help='on-track, at-risk or off-track ("none" for not said)')
    update.add_argument("--note", metavar="TEXT", default="", help="what happened")
    update.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the update (default today)")

    photos = sub.add_parser("photos", help="add or export photos")
    photos_sub = photos.add_subparsers(dest="photos_command", metavar="ACTION", required=True)
    add = photos_sub.add_parser("add", help="attach picture files to an observation")
    add.add_argument("observation", metavar="OID")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--alt-text", metavar="TEXT",
                     help="the photo's alt text: what someone who cannot see it needs to know (the report uses "
                     "it in place of the picture; without it, the caption); with one FILE only")
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

    plan = sub.add_parser("export-actions", help="export the improvement plan to a spreadsheet, ready for Excel")
    plan.add_argument("walkthrough", metavar="WID|SERVICE",
                      help="walkthrough id, or service id for the service's whole plan across its walks "
                      "(or the first characters of either)")
    plan.add_argument("file", type=Destination, metavar="FILE",
                      help="the CSV file to write (UTF-8 with a BOM, for Excel): names, not ids; dates as "
                      "YYYY-MM-DD")
    plan.add_argument("--replace", action="store_true", help="write over FILE if it is already there")

    demo = sub.add_parser("demo", help="the sample walkthrough of a fictional rural service, made if it is not "
                                       "there yet; prints its id")
    demo.add_argument("--again", action="store_true", help="make another copy even if the sample is there")

    report = sub.add_parser("report", help="write the findings report: a PDF, a Word document to edit, or a web "
                                           "page (HTML) to publish")
    report.add_argument("walkthrough", metavar="WID")
    report.add_argument("-o", "--output", type=Destination, metavar="FILE",
                        help="the file to write; its ending (.pdf, .docx, .html or .htm) picks the format (default: "
                        '"<service> <site> <date> findings.pdf" in the current folder)')
    report.add_argument("--format", choices=("pdf", "docx", "html"), default=None,
                        help="pdf (the print version, the default), docx (Word, to edit before publishing) or html "
                        "(one self-contained web page, to publish); without it, the ending of -o decides")
    report.add_argument("--marking", default=None,
                        help='protective marking on every page (default OFFICIAL-SENSITIVE, or OFFICIAL with '
                        '--public; "" for none)')
    report.add_argument("--no-photos", action="store_true", help="leave photos out")
    report.add_argument("--no-voice", action="store_true",
                        help='leave out whose voice each observation is (and so "What people told us")')
    report.add_argument("--names", action="store_true", help="name the team (otherwise roles only)")
    report.add_argument("--public", action="store_true",
                        help="a version to publish: no names (the team by role only), no voice attribution and "
                        "no photos (all of them: photos cannot yet be marked as showing people)")
    report.add_argument("--lens", choices=("none", "used", "all"), default="none", dest="lens_appendix",
                        help="the lens appendix: none (the default), only the prompts used, or all")
    report.add_argument("--edition", default="Draft", metavar="TEXT",
                        help='what this copy is, on the cover (default Draft; e.g. "Final, version 1.0")')
    report.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", dest="as_of",
                        help="the report date: statuses, overdue actions and quick wins as at this day "
                        "(default today)")
    report.add_argument("--area", action="append", default=[], metavar="ID",
                        help='only these areas, by id or name, like "Waiting area" (repeatable)')
    report.add_argument("--compare", metavar="BASE_WID",
                        help="add a section on what changed since this earlier walk (id or its first characters)")

    compare = sub.add_parser("compare", help="what changed between two walks: one line per prompt observed in "
                             "either (area, prompt, before, after, verdict), then the counts")
    compare.add_argument("base", metavar="BASE_WID", help="the earlier walk's id (or its first characters)")
    compare.add_argument("followup", metavar="FOLLOWUP_WID", help="the later walk's id (or its first characters)")

    history = sub.add_parser("history", help="a walkthrough's changes, newest first: when, on which device, "
                             "by whom, and what")
    history.add_argument("walkthrough", metavar="WID", help="walkthrough id (or its first characters)")
    history.add_argument("--entity", metavar="ID",
                         help="only the changes of this observation or action (and its photos), by id or its "
                              "first characters; a deleted one too")
    history.add_argument("--limit", type=_positive_count, metavar="N", help="only the newest N changes")

    device = sub.add_parser("device", help="show this database's device (its name, who uses it, its id), "
                            "or set them")
    device.add_argument("--name", metavar="NAME", help='the name the changes made here are shown with, '
                        'like "Orkney laptop"')
    device.add_argument("--person", metavar="NAME", help='who uses this device, shown beside its name; '
                        '"" for no one')

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

    # A team on several laptops: packages passed on a USB stick or by email.
    passphrase = argparse.ArgumentParser(add_help=False)
    passphrase.add_argument("--passphrase-file", type=Path, metavar="F",
                            help="seal or open the package with the passphrase on this file's first line")
    share = sub.add_parser("share", parents=[passphrase],
                           help="write the whole walkthrough to a package, to continue it on another laptop")
    share.add_argument("walkthrough", metavar="WID")
    share.add_argument("file", type=Destination, metavar="FILE")
    share.add_argument("--replace", action="store_true", help="write over FILE if it is already there")
    send = sub.add_parser("send", parents=[passphrase],
                          help="write this laptop's changes to a package for the others")
    send.add_argument("walkthrough", metavar="WID")
    send.add_argument("file", type=Destination, metavar="FILE")
    send.add_argument("--replace", action="store_true", help="write over FILE if it is already there")
    send.add_argument("--to", metavar="DEVICE",
                      help="only what that device (its name or id, as `walkthrough devices` lists it) has not seen")
    receive = sub.add_parser("receive", parents=[passphrase],
                             help="bring a package's changes in (a shared walkthrough is added); prints what changed")
    receive.add_argument("file", type=Path, metavar="FILE")
    receive.add_argument("--dry-run", action="store_true", help="say what it would change, and change nothing")
    sub.add_parser("devices", help="the other devices (laptops) whose changes came in here")
    conflicts = sub.add_parser("conflicts", help="the differences to decide, one line each, starting with its id")
    conflicts.add_argument("walkthrough", metavar="WID")
    resolve = sub.add_parser("resolve", help="decide a difference: keep one of its values, or write a new one")
    resolve.add_argument("difference", metavar="ID")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", type=int, metavar="N", help="keep value number N, as `conflicts` numbers them")
    choice.add_argument("--value", metavar="TEXT", help="write this value instead")
    return parser
