"""The commands: each reads its arguments, calls the services and prints what was done."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from walkthrough.cli.output import _one_line, _out, _print, _size, _warn, _warn_error
from walkthrough.cli.parser import PROG, _visit_date
from walkthrough.domain.english import counted

if TYPE_CHECKING:
    from walkthrough.domain.comparison import Finding
    from walkthrough.domain.lens import Lens
    from walkthrough.domain.records import WalkthroughRecord
    from walkthrough.storage.database import Database


# -- commands ----------------------------------------------------------------------


def _open(args: argparse.Namespace, *, create: bool = False) -> Database:
    """Open the database; only a command that starts a walkthrough (``create``) makes a new one."""
    from walkthrough.storage.database import open_database
    from walkthrough.storage.locations import resolve_database

    db = open_database(resolve_database(args.db), create=create, read_only=args.read_only)
    if db.backup_warning:
        _warn(db.backup_warning)
    return db


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


def cmd_services(args: argparse.Namespace) -> int:
    from walkthrough.services.services import list_services
    from walkthrough.storage.database import database_exists
    from walkthrough.storage.locations import resolve_database

    rows = []
    if database_exists(resolve_database(args.db)):
        with _open(args) as db:
            rows = list_services(db)
    if not rows:
        print("no services yet: a service is added with its first walkthrough (`walkthrough new`)", file=sys.stderr)
        return 0
    for s in rows:
        sites = "; ".join(s.sites) or "no site yet"
        organisation = f" ({s.organisation})" if s.organisation else ""
        _out(f"{s.id}  {s.name}{organisation} — {sites}  {counted(s.walk_count, 'walk', 'walks')}, "
             f"{counted(s.open_actions, 'open action', 'open actions')}")
    return 0


#: The command line's words for :class:`walkthrough.domain.implementation_stage.StageReason`.
_STAGE_REASON_WORDS = {
    "nothing-recorded": "not walked: nothing recorded there",
    "no-lived-experience": "walked without anyone with lived experience in the team",
    "no-staff": "walked without a member of staff in the team",
    "walked": "walked with staff and lived experience; no action yet",
    "actions-planned": "actions planned, none done yet",
    "some-done": "some actions done",
    "all-done-not-yet-improved": "every action done; a follow-up walk has yet to show improvement",
    "done-and-improved": "every action done, and this walk shows improvement",
}


def cmd_journey(args: argparse.Namespace) -> int:
    from walkthrough.services.journey import service_journey
    from walkthrough.services.services import resolve_service_id

    with _open(args) as db:
        journey = service_journey(db, resolve_service_id(db, args.service))
    if not journey.walks:
        _warn("this service has no walks yet")
        return 0
    latest = journey.stages[-1]
    width = max(len("area"), *(len(a.area_title) for a in latest.areas))
    _out("area".ljust(width) + "  " + "  ".join(w.visit_date.isoformat() for w in journey.walks)
         + "  (stage 1-5; the latest: why)")
    # Rows: the areas of the latest walk's lens, in walking order; an area an earlier lens lacked shows "-".
    earlier = [{a.area_id: a for a in walk.areas} for walk in journey.stages]
    for area in latest.areas:
        stages = "  ".join(f"{stage[area.area_id].stage.value:>10}" if area.area_id in stage else f"{'-':>10}"
                           for stage in earlier)
        actions = f" ({area.done} of {counted(area.actions, 'action', 'actions')} done)" if area.actions else ""
        _out(f"{area.area_title.ljust(width)}  {stages}  {_STAGE_REASON_WORDS[area.reason.value]}{actions}")
    return 0


def cmd_walk_again(args: argparse.Namespace) -> int:
    from walkthrough.services.lens_catalog import load_catalog
    from walkthrough.services.services import walk_again
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    visit_date = _visit_date(args.date, nothing="no walkthrough was started")
    catalog = load_catalog()
    with _open(args) as db:
        record = walk_again(db, resolve_walkthrough_id(db, args.walkthrough), visit_date=visit_date,
                            catalog=catalog)
    _out(record.id)
    return 0


def cmd_merge_services(args: argparse.Namespace) -> int:
    from walkthrough.domain.changes import Entity
    from walkthrough.services.services import merge_services, resolve_service_id

    with _open(args) as db:
        keep, other = resolve_service_id(db, args.keep), resolve_service_id(db, args.other)
        changes = merge_services(db, keep, other)
    moved = len(changes.ids(Entity.WALKTHROUGH))
    _out(f"merged service {other} into {keep}: {counted(moved, 'walk', 'walks')} moved")
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


def cmd_action(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import InvalidInput
    from walkthrough.domain.vocabulary import Priority
    from walkthrough.services import lens_terms
    from walkthrough.services.actions import NewAction, add_action
    from walkthrough.services.observations import resolve_observation_id
    from walkthrough.services.walkthroughs import get_walkthrough, resolve_walkthrough_id

    nothing = "nothing was added"
    priorities = [p.value for p in Priority]
    if args.priority.strip().lower() not in priorities:
        raise InvalidInput(f"--priority {args.priority!r} is not a priority; give {', '.join(priorities)}; {nothing}")
    due = _visit_date(args.due, nothing=nothing, option="--due")
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        lens = get_walkthrough(db, wid).lens
        record = add_action(db, wid, NewAction(
            text=args.text,
            owner=args.owner,
            lead=args.lead,
            due_date=due,
            priority=Priority(args.priority.strip().lower()),
            component_id=None if args.component is None else lens_terms.resolve_component(lens, args.component),
            principle_ids=tuple(lens_terms.resolve_principle(lens, p) for p in args.principle),
            observation_ids=tuple(resolve_observation_id(db, f) for f in args.finding),
            success_measure=args.how_we_know,
            mat_standards=tuple(args.mat),
        ))
    _out(record.id)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from walkthrough.services.actions import list_actions
    from walkthrough.services.plan_history import plan_as_at
    from walkthrough.services.service_plan import resolve_plan_owner, service_plan, service_plan_as_at

    as_at = _visit_date(args.as_at, nothing="nothing was shown", option="--as-at")
    walks: dict[str, dt.date] | None = None  # a service's plan: each action's walk date, by walkthrough id
    with _open(args) as db:
        kind, owner = resolve_plan_owner(db, args.walkthrough)
        if kind == "service":
            whole = service_plan(db, owner) if as_at is None else service_plan_as_at(db, owner, as_at)
            plan = list(whole.actions)
            walks = {w.walkthrough_id: w.visit_date for w in whole.walks}
        else:
            plan = list_actions(db, owner) if as_at is None else plan_as_at(db, owner, as_at)
    if not plan:
        _print("no actions in the plan" + (f" at the end of {as_at.isoformat()}" if as_at else ""), sys.stderr)
    owners = [_one_line(a.owner) or "-" for a in plan]
    width = max(map(len, owners), default=0)  # the texts line up, whoever owns them
    for a, owner in zip(plan, owners):
        on_track = a.on_track.value if a.on_track else "-"
        due = a.due_date.isoformat() if a.due_date else "-"
        walk = f"walk {walks[a.walkthrough_id].isoformat()}  " if walks is not None else ""
        _out(f"{a.id}  {walk}{a.status.value:<11}  {on_track:<9}  {due:<10}  {owner:<{width}}  {_one_line(a.text)}")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import InvalidInput
    from walkthrough.domain.vocabulary import ActionStatus, OnTrack
    from walkthrough.services.actions import resolve_action_id
    from walkthrough.services.progress_updates import NOT_SAID, NewProgressUpdate, add_progress_update

    nothing = "nothing was recorded"
    day = _visit_date(args.date, nothing=nothing)
    status = on_track = None
    if args.status is not None:
        statuses = [s.value for s in ActionStatus]
        if args.status.strip().lower() not in statuses:
            raise InvalidInput(f"--status {args.status!r} is not a status; give {', '.join(statuses)}; {nothing}")
        status = ActionStatus(args.status.strip().lower())
    if args.on_track is not None:
        allowed = [o.value for o in OnTrack]
        text = args.on_track.strip().lower()
        if text not in (*allowed, "none"):
            raise InvalidInput(f"--on-track {args.on_track!r} is not an on-track; give {', '.join(allowed)} "
                               f"or none; {nothing}")
        on_track = None if text == "none" else OnTrack(text)
    if args.status is None and args.on_track is None and not args.note.strip():
        raise InvalidInput(f"give --note, --status or --on-track: the update says nothing; {nothing}")
    with _open(args) as db:
        action_id = resolve_action_id(db, args.action)
        record = add_progress_update(db, action_id, NewProgressUpdate(
            note=args.note, date=day, status=status, on_track=NOT_SAID if args.on_track is None else on_track))
    _out(record.id)
    return 0


def cmd_photos_add(args: argparse.Namespace) -> int:
    from walkthrough.services.observations import resolve_observation_id
    from walkthrough.services.photos import add_photo_files

    if args.alt_text is not None and len(args.files) > 1:
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"--alt-text describes one photo, and {len(args.files)} files were given: "
                           "add them one at a time; nothing was added")
    with _open(args) as db:
        outcomes = add_photo_files(db, resolve_observation_id(db, args.observation), args.files,
                                   alt_text=args.alt_text or "")
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


def cmd_export_actions(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import DestinationExists
    from walkthrough.services.plan_export import export_plan_csv, export_service_plan_csv
    from walkthrough.services.service_plan import resolve_plan_owner

    with _open(args) as db:
        kind, owner = resolve_plan_owner(db, args.walkthrough)
        export = export_service_plan_csv if kind == "service" else export_plan_csv
        try:
            count = export(db, owner, args.file, replace=args.replace)
        except DestinationExists as exc:
            raise DestinationExists(f"{exc}; add --replace to write over it", exc.path) from None
    _out(f"exported {counted(count, 'action', 'actions')} to {args.file}")
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
    from walkthrough.report import LensAppendix, ReportFormat, ReportOptions, build_report
    from walkthrough.services import lens_terms
    from walkthrough.services.photos import photo_for_print
    from walkthrough.services.walkthroughs import load_contents, resolve_walkthrough_id

    output: Path | None = args.output
    named = ReportFormat.for_path(output) if output is not None else None
    asked = ReportFormat(args.format) if args.format else None
    if asked is not None and named is not None and asked is not named:
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"{output} ends in {named.suffix} but --format {asked.value} was asked; "
                           f"give a file ending in {asked.suffix}, or leave --format out")
    chosen = asked or named or ReportFormat.PDF
    if output is not None and named is None and ReportFormat.names_a_format(output) and not output.is_dir():
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"{output}: a report cannot be written as {output.suffix}; give a file ending in "
                           f".pdf, .docx or .html")
    if output is not None and output.is_dir():
        from walkthrough.domain.errors import InvalidInput

        raise InvalidInput(f"{output} is a folder; give a file name, like {output / ('findings' + chosen.suffix)}")
    if output is not None and named is None:
        output = output.with_name(output.name + chosen.suffix)
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        comparison = None
        if args.compare is not None:
            from walkthrough.services.comparison import compare_walkthroughs

            base_id = resolve_walkthrough_id(db, args.compare)
            comparison = compare_walkthroughs(db, base_id, wid)
            _warn_of_order(base_id, wid, comparison.base.walkthrough.visit_date,
                           comparison.followup.walkthrough.visit_date)
            contents = comparison.followup  # read with the earlier walk, in one transaction
        else:
            contents = load_contents(db, wid)
        record = contents.walkthrough
        if output is None:
            from walkthrough.domain.file_names import suggested_file_name

            output = Path(suggested_file_name(record.service, record.site, record.visit_date,
                                              f" findings{chosen.suffix}"))
        lens = record.lens
        area_ids = tuple(dict.fromkeys(lens_terms.resolve_area(lens, area) for area in args.area))
        marking = args.marking if args.marking is not None else ("OFFICIAL" if args.public else "OFFICIAL-SENSITIVE")
        options = ReportOptions(
            protective_marking=marking.strip(),
            include_photos=not args.no_photos,
            include_voice=not args.no_voice,
            include_names=args.names,
            area_ids=area_ids or None,
            format=chosen,
            public=args.public,
            lens_appendix=LensAppendix(args.lens_appendix),
            edition=args.edition.strip() or "Draft",
            report_date=_visit_date(args.as_of, nothing="no report was written", option="--as-of"),
        )
        build_report(contents, lambda photo_id: photo_for_print(db, photo_id), output, options, comparison=comparison)
        from walkthrough.services.differences import list_differences

        still_open = len(list_differences(db, record.id))
    _out(f"wrote {output}")
    if still_open:
        _print(f"warning: {counted(still_open, 'difference', 'differences')} still to decide: the report "
               f"uses the value every laptop shows meanwhile (see `{PROG} conflicts {record.id[:8]}`)", sys.stderr)
    return 0


#: The command line's words for the verdicts of :mod:`walkthrough.domain.comparison`.
_VERDICT_WORDS = {
    "improved": "improved",
    "same": "same",
    "worse": "worse",
    "newly-observed": "newly observed",
    "not-revisited": "not revisited",
}
#: ... and in the closing counts, in this order.
_VERDICT_COUNT_WORDS = {"improved": "improved", "same": "same", "worse": "worse", "newly-observed": "new",
                        "not-revisited": "not revisited"}
_TEAM_WORDS = {
    "size": "the team's size changed by half or more",
    "lived-experience": "only one of the two teams had someone with lived experience",
    "few-returning": "fewer than half of the earlier team walked again",
}


def cmd_compare(args: argparse.Namespace) -> int:
    from walkthrough.domain.comparison import Verdict
    from walkthrough.services.comparison import compare_walkthroughs
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    with _open(args) as db:
        base_id = resolve_walkthrough_id(db, args.base)
        followup_id = resolve_walkthrough_id(db, args.followup)
        comparison = compare_walkthroughs(db, base_id, followup_id)
    _warn_of_order(base_id, followup_id, comparison.base.walkthrough.visit_date,
                   comparison.followup.walkthrough.visit_date)
    for p in comparison.prompts:
        only = ("  (only in the earlier lens)" if not p.in_followup_lens
                else "  (only in the later lens)" if not p.in_base_lens else "")
        before = _compared_rating(p.before, p.before_observation_ids)
        after = _compared_rating(p.after, p.after_observation_ids)
        _out(f"{p.area_title}  {p.prompt_id}  {before} → {after}  {_VERDICT_WORDS[p.verdict.value]}{only}")
    team = comparison.team
    if team.differs:
        reasons = "; ".join(_TEAM_WORDS[d.value] for d in team.differences)
        _warn(f"the teams differ ({team.before_size} then, {team.after_size} now, "
              f"{team.before_lived_experience} and {team.after_lived_experience} with lived experience; "
              f"{reasons}): the findings are less comparable")
    _out(", ".join(f"{_VERDICT_COUNT_WORDS[v.value]} {comparison.counts[v]}" for v in Verdict))
    return 0


def _warn_of_order(base_id: str, followup_id: str, base_day: dt.date, followup_day: dt.date) -> None:
    """A comparison the wrong way round, or of a walk with itself, is said on standard error."""
    if base_id == followup_id:
        _warn("that is one walk compared with itself: every prompt is the same")
    elif base_day > followup_day:
        _warn(f"the earlier walk given ({base_day.isoformat()}) is later than the follow-up "
              f"({followup_day.isoformat()}): give the earlier walk first")


def _compared_rating(finding: Finding | None, observation_ids: Sequence[str]) -> str:
    """A prompt's combined rating in one walk: its label, "no finding" (only not seen / not rated), or "—"."""
    if finding is not None:
        return finding.rating.label
    return "no finding" if observation_ids else "—"


def cmd_history(args: argparse.Namespace) -> int:
    from walkthrough.cli.change_wording import change_line
    from walkthrough.domain.change_summary import summarise_history
    from walkthrough.services.history import list_history, resolve_history_id

    with _open(args) as db:
        wid, lens = _walkthrough_in_history(db, args.walkthrough)
        entity = None if args.entity is None else resolve_history_id(db, args.entity, walkthrough_id=wid)
        changes = list_history(db, wid, entity)
    summaries = summarise_history(changes, lens)  # all of them: a title can come from an older change
    for summary in summaries[: args.limit]:
        _out(change_line(summary))
    if args.limit is not None and len(summaries) > args.limit:
        _print(f"… and {counted(len(summaries) - args.limit, 'older change', 'older changes')} "
               f"(--limit {args.limit})", sys.stderr)
    return 0


def _walkthrough_in_history(db: Database, id_or_prefix: str) -> tuple[str, Lens | None]:
    """The walkthrough's id and lens; a deleted walkthrough is found by its history, with no lens."""
    from walkthrough.domain.errors import NotFound
    from walkthrough.services.history import resolve_history_id
    from walkthrough.services.walkthroughs import get_walkthrough, resolve_walkthrough_id

    try:
        wid = resolve_walkthrough_id(db, id_or_prefix)
    except NotFound as not_found:
        try:
            return resolve_history_id(db, id_or_prefix), None
        except NotFound:
            raise not_found from None
    return wid, get_walkthrough(db, wid).lens


def cmd_device(args: argparse.Namespace) -> int:
    from walkthrough.services.history import set_device, this_device

    setting = args.name is not None or args.person is not None
    with _open(args, create=setting) as db:  # naming a new computer's device may come first
        if not setting:
            device = this_device(db)
        else:
            device = set_device(db, name=args.name, person=args.person)
    _out(f"device:  {device.name}")
    _out(f"person:  {device.person or '(not set)'}")
    _out(f"id:      {device.id}")
    _out(f"changes: {device.changes} made on this device")
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


# -- a team on several laptops -----------------------------------------------------------


def _passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase on the first line of ``--passphrase-file``, or None without one."""
    if args.passphrase_file is None:
        return None
    from walkthrough.domain.errors import InvalidInput
    from walkthrough.storage.input_file import UnreadableFile, read_ordinary_file

    try:
        data = read_ordinary_file(args.passphrase_file, max_bytes=4096)
    except UnreadableFile as exc:
        raise InvalidInput(f"{args.passphrase_file}: {exc.reason}") from None
    except OSError as exc:
        raise InvalidInput(f"{args.passphrase_file}: cannot be read ({exc.strerror or exc})") from None
    try:
        line = data.decode("utf-8-sig").splitlines()[0] if data.strip() else ""
    except UnicodeDecodeError:
        raise InvalidInput(f"{args.passphrase_file}: not text (UTF-8)") from None
    if not line.strip():
        raise InvalidInput(f"{args.passphrase_file}: its first line is empty; write the passphrase there")
    return line


def _refuse_existing(path: Path, replace: bool) -> None:
    """A package is never written over another file unless ``--replace`` says so (a package of another
    walkthrough, a teammate's changes not yet brought in)."""
    from walkthrough.domain.errors import DestinationExists

    if not replace and os.path.lexists(path):
        raise DestinationExists(f"{path}: a file is already there; nothing was written; choose another name, "
                                "or add --replace to write over it", path)


def cmd_share(args: argparse.Namespace) -> int:
    from walkthrough.services.exchange import share_walkthrough
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    _refuse_existing(args.file, args.replace)
    passphrase = _passphrase(args)
    with _open(args) as db:
        written = share_walkthrough(db, resolve_walkthrough_id(db, args.walkthrough), args.file,
                                    passphrase=passphrase)
    _out(f"wrote {written.path}: the whole walkthrough, {counted(written.changes, 'change', 'changes')}, "
         f"{counted(written.photos, 'photo', 'photos')}{', sealed' if passphrase else ''}")
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from walkthrough.domain.errors import InvalidInput, NotFound
    from walkthrough.services.exchange import other_devices, send_changes
    from walkthrough.services.walkthroughs import resolve_walkthrough_id

    _refuse_existing(args.file, args.replace)
    passphrase = _passphrase(args)
    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        try:
            written = send_changes(db, wid, args.file, to=args.to, passphrase=passphrase)
        except NotFound as exc:
            if exc.kind != "device":
                raise
            known = ", ".join(d.name for d in other_devices(db)) or "none yet"
            raise InvalidInput(f"--to {args.to!r}: no laptop of that name or id has sent changes here (known "
                               f"here: {known}); leave out --to to send all of this laptop's changes") from None
    whom = f" for {args.to}" if args.to else ""
    _out(f"wrote {written.path}{whom}: {counted(written.changes, 'change', 'changes')}, "
         f"{counted(written.photos, 'photo', 'photos')}{', sealed' if passphrase else ''}")
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    from walkthrough.services.exchange import receive_package

    passphrase = _passphrase(args)
    with _open(args, create=True) as db:
        received = receive_package(db, args.file, passphrase=passphrase, dry_run=args.dry_run)
    if received.backup_skipped:
        _warn(received.backup_skipped)
    if received.nothing_new:
        _out("nothing new")
        return 0
    line = (f"new {received.new}, changed {received.changed}, deleted {received.deleted}, "
            f"to decide {received.to_decide}")
    if received.waiting:
        line += f", waiting {received.waiting}"
    _out(f"dry run: {line}; nothing was changed" if args.dry_run else line)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from walkthrough.services.exchange import other_devices

    with _open(args) as db:
        known = other_devices(db)
    for laptop in known:
        person = f" ({_one_line(laptop.person)})" if laptop.person else ""
        heard = "" if laptop.heard_from else "  (changes passed on by others; never sent a package here)"
        _out(f"{laptop.id[:8]}  {_one_line(laptop.name)}{person}{heard}")
    if not known:
        _out("no other device's changes have come in yet")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from walkthrough.services.differences import list_differences
    from walkthrough.services.walkthroughs import get_walkthrough, resolve_walkthrough_id

    with _open(args) as db:
        wid = resolve_walkthrough_id(db, args.walkthrough)
        lens = get_walkthrough(db, wid).lens
        found = list_differences(db, wid)
    for difference in found:
        what = "kept or deleted" if difference.about_keeping else difference.field.removesuffix("_id").replace("_", " ")
        choices = "  ".join(
            f"{n}) {_difference_value(difference, c, lens)} — {_one_line(c.device_name)}"
            f"{f' ({_one_line(c.person)})' if c.person else ''}, {_local(c.change.time)}"
            for n, c in enumerate(difference.candidates, start=1))
        _out(f"{difference.id}  {difference.entity.value} {difference.entity_id[:8]}: {what}: {choices}")
    if not found:
        _out("no differences to decide")
    return 0


def _difference_value(difference, candidate, lens) -> str:  # type: ignore[no-untyped-def]
    from walkthrough.domain.changes import ChangeKind

    if difference.about_keeping:
        return "delete it" if candidate.change.kind is ChangeKind.DELETE else \
            f"keep it ({(candidate.change.field or 'made').replace('_', ' ')} changed)"
    value = candidate.value
    if difference.field == "rating_id":
        rating = lens.rating(value) if value else None
        return f'"{rating.label}"' if rating else "not rated yet"
    if value is None or value == "":
        return "(empty)"
    text = _one_line(str(value))
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def _local(moment: dt.datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def cmd_resolve(args: argparse.Namespace) -> int:
    from walkthrough.services.differences import decide, find_difference, settle_with_value

    with _open(args) as db:
        difference = find_difference(db, args.difference)
        if args.keep is not None:
            decide(db, difference, keep=args.keep)
        else:
            settle_with_value(db, difference, args.value)
    _out(f"decided {difference.id}")
    return 0


_COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace], int]] = {
    ("lenses", None): cmd_lenses,
    ("lens", "check"): cmd_lens_check,
    ("lens", "show"): cmd_lens_show,
    ("new", None): cmd_new,
    ("edit", None): cmd_edit,
    ("list", None): cmd_list,
    ("services", None): cmd_services,
    ("journey", None): cmd_journey,
    ("walk-again", None): cmd_walk_again,
    ("merge-services", None): cmd_merge_services,
    ("observe", None): cmd_observe,
    ("action", None): cmd_action,
    ("plan", None): cmd_plan,
    ("update", None): cmd_update,
    ("photos", "add"): cmd_photos_add,
    ("photos", "export"): cmd_photos_export,
    ("import-csv", None): cmd_import_csv,
    ("export-csv", None): cmd_export_csv,
    ("export-actions", None): cmd_export_actions,
    ("demo", None): cmd_demo,
    ("report", None): cmd_report,
    ("history", None): cmd_history,
    ("compare", None): cmd_compare,
    ("device", None): cmd_device,
    ("check", None): cmd_check,
    ("backup", None): cmd_backup,
    ("backups", None): cmd_backups,
    ("restore", None): cmd_restore,
    ("copy-db", None): cmd_copy_db,
    ("share", None): cmd_share,
    ("send", None): cmd_send,
    ("receive", None): cmd_receive,
    ("devices", None): cmd_devices,
    ("conflicts", None): cmd_conflicts,
    ("resolve", None): cmd_resolve,
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

