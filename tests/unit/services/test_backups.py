"""Automatic and manual backups, copies and restores of the walkthrough database."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy import text

from tests.unit.database_helpers import age_backups, corrupt_a_table_page, make_database, notes_in
from tests.unit.test_cli import Cli, assert_one_line_error
from walkthrough.domain.errors import NewerDatabase, NotADatabase, StorageError
from walkthrough.services.backups import back_up, copy_database, restore_database
from walkthrough.services.observations import NewObservation, add_observation, list_observations
from walkthrough.services.walkthroughs import list_walkthroughs
from walkthrough.storage import backups
from walkthrough.storage.backups import (
    KEEP_DAILY,
    backup_database,
    list_backups,
    new_backup_path,
    newest_good_backup,
    restore_command,
)
from walkthrough.storage.database import open_database
from walkthrough.storage.errors import DamagedDatabase


def test_opening_makes_one_backup_a_day_of_use_and_none_for_a_new_or_empty_database(
    tmp_path: Path, test_lens, _isolated_user_dirs: Path
) -> None:
    path = tmp_path / "w.sqlite3"
    open_database(path).close()  # created now
    open_database(path).close()  # no walkthrough yet: nothing to lose
    assert list_backups(path) == []

    make_database(path, test_lens)
    with open_database(path) as db:
        first = db.daily_backup
    assert first is not None and first.parent == _isolated_user_dirs / "backups"
    assert [b.reason for b in list_backups(path)] == ["daily"]
    with open_database(path) as db:  # the same day: nothing new
        assert db.daily_backup is None
    assert len(list_backups(path)) == 1

    age_backups(path, 25)
    with open_database(path) as db:
        assert db.daily_backup is not None
    assert [b.reason for b in list_backups(path)] == ["daily", "daily"]
    assert notes_in(list_backups(path)[0].path) == ["First note"]


def test_daily_backups_rotate_to_the_last_ten_but_upgrade_restore_and_manual_ones_stay(
    tmp_path: Path, test_lens
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    start = dt.datetime.now() - dt.timedelta(days=30)
    for day in range(KEEP_DAILY + 2):
        when = start + dt.timedelta(days=day)
        backup_database(path, path, reason="daily", dest=new_backup_path(path, "daily", now=when))
    for reason in ("manual", "before-restore", "before-upgrade-from-0000_old"):
        backup_database(path, path, reason=reason, dest=new_backup_path(path, reason, now=start - dt.timedelta(days=1)))
    oldest_daily = sorted(b.path for b in list_backups(path) if b.reason == "daily")[:3]

    open_database(path).close()  # newest is weeks old: a new daily one, and the oldest go

    kept = list_backups(path)
    assert sum(b.reason == "daily" for b in kept) == KEEP_DAILY
    assert {b.reason for b in kept} == {"daily", "manual", "before-restore", "before-upgrade-from-0000_old"}
    assert not any(p.exists() for p in oldest_daily)
    assert kept[0].reason == "daily" and kept[0].created.date() == dt.date.today()


def test_two_databases_with_the_same_name_keep_separate_backups(tmp_path: Path, test_lens) -> None:
    laptop, stick = tmp_path / "laptop" / "walkthroughs.sqlite3", tmp_path / "usb" / "walkthroughs.sqlite3"
    make_database(laptop, test_lens, notes=("laptop",))
    make_database(stick, test_lens, notes=("stick",))
    open_database(laptop).close()
    open_database(stick).close()
    assert [notes_in(b.path) for b in list_backups(laptop)] == [["laptop"]]
    assert [notes_in(b.path) for b in list_backups(stick)] == [["stick"]]


def test_a_backup_is_one_private_file_holding_commits_still_in_the_wal(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    db = open_database(path)
    wid = list_walkthroughs(db)[0].id
    add_observation(db, wid, NewObservation("entrance", "working-well", note="Only in the WAL so far"))
    assert Path(f"{path}-wal").stat().st_size > 0
    copy = backup_database(db.engine, path, reason="manual")
    db.close()
    assert "Only in the WAL so far" in notes_in(copy)
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # no -wal needed beside it
    conn.close()
    assert all(p.name.endswith(".sqlite3") for p in copy.parent.iterdir())  # no -wal, -journal or partial
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


def test_a_daily_backup_that_would_fill_the_disk_is_skipped_with_a_warning(
    tmp_path: Path, test_lens, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    monkeypatch.setattr(backups, "FREE_SPACE_RESERVE", 1 << 60)  # no disk has this much free
    cli = Cli(path, capsys)
    assert cli("list") == 0 and "Orkney Recovery" in cli.out
    assert cli.err.startswith("warning: no automatic backup today: only ") and "MB free" in cli.err
    assert list_backups(path) == []


def test_a_backup_that_fails_its_check_means_the_database_is_damaged_and_no_copy_is_kept(
    tmp_path: Path, test_lens
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=tuple(f"note {i}" for i in range(300)))
    good = backup_database(path, path, reason="manual")
    age_backups(path, 25)
    good = list_backups(path)[0].path
    corrupt_a_table_page(path)
    before = path.read_bytes()

    with pytest.raises(DamagedDatabase) as info:
        open_database(path)  # the daily backup is due; its copy fails quick_check

    assert [b.path for b in list_backups(path)] == [good]  # the damaged copy was not kept
    assert info.value.restore_from == good
    assert restore_command(path, good) in str(info.value)
    assert path.read_bytes() == before
    assert not [p for p in good.parent.iterdir() if p.name.endswith(".partial")]


def test_cli_backup_prints_the_new_file_and_can_write_to_a_chosen_file_or_folder(
    tmp_path: Path, test_lens, capsys
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    cli = Cli(path, capsys)
    assert cli("backup") == 0
    made = Path(cli.out.strip())
    assert made in [b.path for b in list_backups(path)] and notes_in(made) == ["First note"]
    assert [b.reason for b in list_backups(path)] == ["manual"]  # and no daily one besides

    target = tmp_path / "Zoë's backups" / "before the workshop.sqlite3"
    target.parent.mkdir()
    assert cli("backup", target) == 0 and Path(cli.out.strip()) == target
    assert notes_in(target) == ["First note"]
    assert cli("backup", target.parent) == 0
    assert Path(cli.out.strip()).parent == target.parent and Path(cli.out.strip()) != target

    assert cli("backup", path) == 1
    assert_one_line_error(cli, "the database itself")
    assert cli("backup", tmp_path / "no such folder" / "b.sqlite3") == 1
    assert_one_line_error(cli, "no such folder")
    assert not list(tmp_path.rglob("*.partial"))


def test_cli_backups_lists_path_date_size_and_reason_newest_first(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    cli = Cli(path, capsys)
    assert cli("backups") == 0 and "no backups of this database yet" in cli.err
    assert cli("backup") == 0
    age_backups(path, 2)
    assert cli("backup") == 0
    newest = cli.out.strip()
    assert cli("backups") == 0
    lines = cli.out.strip().splitlines()
    assert len(lines) == 2 and lines[0].endswith(newest)
    assert all(" kB " in line and " manual " in line for line in lines)
    assert lines[0][:10] == dt.date.today().isoformat()


def test_copy_db_writes_a_consistent_copy_including_work_not_yet_checkpointed(
    tmp_path: Path, test_lens, capsys
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    app = open_database(path)  # the desktop app, say, still has it open
    add_observation(app, list_walkthroughs(app)[0].id, NewObservation("entrance", "working-well", note="Just typed"))
    assert Path(f"{path}-wal").stat().st_size > 0

    usb = tmp_path / "USB STICK"
    usb.mkdir()
    cli = Cli(path, capsys)
    assert cli("copy-db", usb) == 0
    copy = usb / "w.sqlite3"
    assert cli.out.startswith(f"copied the database to {copy} (")
    assert notes_in(copy) == ["First note", "Just typed"]
    assert sorted(p.name for p in usb.iterdir()) == ["w.sqlite3"]  # one file, no -wal, no partial
    app.close()
    with open_database(copy) as db:  # and it opens as a walkthrough database
        assert len(list_observations(db, list_walkthroughs(db)[0].id)) == 2

    assert cli("copy-db", path) == 1
    assert_one_line_error(cli, "the database itself")


def test_copy_over_an_earlier_copy_is_atomic(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    dest = tmp_path / "copy.sqlite3"
    dest.write_bytes(b"an earlier copy")
    assert copy_database(path, dest) == dest
    assert notes_in(dest) == ["First note"]


def test_restore_saves_the_current_contents_first_then_replaces_them(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=("Before the workshop",))
    old = back_up(path)
    with open_database(path) as db:
        add_observation(db, list_walkthroughs(db)[0].id, NewObservation("entrance", "working-well", note="After"))

    cli = Cli(path, capsys)
    assert cli("restore", old) == 0
    lines = cli.out.strip().splitlines()
    saved = Path(lines[0].removeprefix("saved the current contents to "))
    assert lines[1] == f"restored {path} from {old}"
    assert notes_in(path) == ["Before the workshop"]
    assert notes_in(saved) == ["After", "Before the workshop"]
    assert "before-restore" in saved.name
    assert cli("check") == 0


def test_restore_reaches_a_program_that_has_the_database_open(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=("Old",))
    old = back_up(path)
    app = open_database(path)
    wid = list_walkthroughs(app)[0].id
    add_observation(app, wid, NewObservation("entrance", "working-well", note="New"))

    restore_database(path, old)  # through the backup API: the open connection sees it

    assert [o.note for o in list_observations(app, wid)] == ["Old"]
    app.close()


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda p: p.write_text("not a database"), NotADatabase, "not an SQLite file"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE recipes (name)").connection.commit(), NotADatabase,
         "not a Lens Walkthrough database"),
        (None, NewerDatabase, "newer version"),
        (lambda p: None, NotADatabase, "no such backup file"),
        ("CREATE TRIGGER keep_notes AFTER DELETE ON observation BEGIN SELECT 1; END", NotADatabase,
         "did not make (trigger 'keep_notes')"),
        ("CREATE VIEW every_note AS SELECT note FROM observation", NotADatabase, "did not make (view 'every_note')"),
        ("CREATE TABLE deleted_notes (note TEXT)", NotADatabase, "did not make (table 'deleted_notes')"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_good_backup_and_changes_nothing(
    tmp_path: Path, test_lens, capsys, make, error, words: str
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    bad = tmp_path / "bad.sqlite3"
    if make is None:
        make_database(bad, test_lens)
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
        conn.commit()
        conn.close()
    elif isinstance(make, str):  # a backup of ours with something added by another program
        make_database(bad, test_lens)
        conn = sqlite3.connect(bad)
        conn.execute(make)
        conn.commit()
        conn.close()
    else:
        make(bad)
    open_database(path).close()  # today's daily backup, so none is made below
    before = path.read_bytes()
    backups_before = list_backups(path)

    with pytest.raises(error, match=re.escape(words)):
        restore_database(path, bad)
    cli = Cli(path, capsys)
    assert cli("restore", bad) == 1
    assert_one_line_error(cli, "bad.sqlite3", words)
    assert path.read_bytes() == before
    assert list_backups(path) == backups_before


def test_restore_refuses_a_damaged_backup(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    broken = back_up(path, tmp_path / "broken.sqlite3")
    corrupt_a_table_page(broken)
    with pytest.raises(NotADatabase, match="damaged"):
        restore_database(path, broken)
    assert notes_in(path) == ["First note"]


def test_restore_over_a_damaged_database_keeps_its_bytes_and_wal_for_recovery(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    good = back_up(path)
    path.write_bytes(b"\0" * 8192)  # overwritten, as after a crash on some file systems
    Path(f"{path}-wal").write_bytes(b"stale wal")
    with pytest.raises(DamagedDatabase):
        open_database(path)

    outcome = restore_database(path, good)

    assert outcome.saved_current is not None and outcome.saved_current.read_bytes() == b"\0" * 8192
    assert Path(f"{outcome.saved_current}-wal").read_bytes() == b"stale wal"
    assert notes_in(path) == ["First note"]
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").read_bytes() != b"stale wal"
    open_database(path).close()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restore_when_the_database_is_missing_creates_it(tmp_path: Path, test_lens) -> None:
    source = tmp_path / "from elsewhere.sqlite3"
    make_database(source, test_lens)
    target = tmp_path / "new place" / "w.sqlite3"
    outcome = restore_database(target, source)
    assert outcome.saved_current is None
    assert notes_in(target) == ["First note"]


def test_restore_by_renaming_never_uses_a_name_someone_else_could_have_put_there(tmp_path: Path, test_lens) -> None:
    source = tmp_path / "from elsewhere.sqlite3"
    make_database(source, test_lens)
    target = tmp_path / "shared" / "w.sqlite3"
    target.parent.mkdir()
    planted = target.with_name(".w.sqlite3.partial")  # the name the restore used to write first
    planted.mkdir()
    (planted / "theirs.txt").write_text("theirs")
    restore_database(target, source)
    assert notes_in(target) == ["First note"]
    assert (planted / "theirs.txt").read_text() == "theirs"
    assert sorted(p.name for p in target.parent.iterdir()) == [".w.sqlite3.partial", "w.sqlite3"]


def test_restore_refuses_to_run_read_only(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    good = back_up(path)
    cli = Cli(path, capsys)
    assert cli("--read-only", "restore", good) == 1
    assert_one_line_error(cli, "without --read-only")


def test_restore_command_is_exact_and_names_the_database_unless_it_is_the_default(tmp_path: Path) -> None:
    from walkthrough.storage.locations import default_database_path

    backup = tmp_path / "Zoë's backups" / "w 1.sqlite3"
    elsewhere = tmp_path / "USB stick" / "w.sqlite3"
    if os.name == "posix":
        assert shlex.split(restore_command(elsewhere, backup)) == [
            "walkthrough", "--db", str(elsewhere), "restore", str(backup)]
        assert shlex.split(restore_command(default_database_path(), backup)) == ["walkthrough", "restore", str(backup)]


def test_newest_good_backup_skips_damaged_ones(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=tuple(f"n{i}" for i in range(200)))
    older = back_up(path)
    age_backups(path, 3)
    older = list_backups(path)[0].path
    newer = back_up(path)
    corrupt_a_table_page(newer)
    assert newest_good_backup(path) == older


def test_backup_of_a_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no such database"):
        back_up(tmp_path / "absent.sqlite3")
    assert not (tmp_path / "absent.sqlite3").exists()


def test_backup_and_check_work_on_a_read_only_open(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    cli = Cli(path, capsys)
    assert cli("--read-only", "backup") == 0
    assert notes_in(Path(cli.out.strip())) == ["First note"]
    assert cli("--read-only", "check") == 0
    assert "healthy" in cli.out and "backups: 1, newest" in cli.out and "passes the same check" in cli.out


def test_stale_partial_backups_from_a_crash_are_cleared(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    first = back_up(path)
    stale = first.with_name(f".{first.name[:-8]}-crashed.sqlite3.partial")
    stale.write_bytes(b"half a backup")
    os.utime(stale, (0, 0))
    age_backups(path, 25)
    with open_database(path) as db:
        assert db.daily_backup is not None
    assert not stale.exists()


def test_engine_stays_usable_after_backing_up(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    with open_database(path) as db:
        backup_database(db.engine, path, reason="manual")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM observation")).scalar() == 1


def test_a_daily_backup_that_cannot_be_written_never_stops_work(
    tmp_path: Path, test_lens, capsys, _isolated_user_dirs: Path
) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    (_isolated_user_dirs / "backups").write_text("a file where the backups folder should be")
    with open_database(path) as db:
        assert db.daily_backup is None
        assert db.backup_warning is not None and db.backup_warning.startswith("no automatic backup today: ")
    cli = Cli(path, capsys)
    assert cli("observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "still saved") == 0
    assert cli.err.startswith("warning: no automatic backup today") and len(cli.err.strip().splitlines()) == 1
    assert "still saved" in notes_in(path)


def _database_with_a_photo(path: Path, test_lens, tmp_path: Path) -> None:
    from PIL import Image

    from walkthrough.services.photos import add_photo_files

    make_database(path, test_lens)
    picture = tmp_path / "p.jpg"
    Image.new("RGB", (64, 64), "red").save(picture)
    with open_database(path) as db:
        observation = list_observations(db, list_walkthroughs(db)[0].id)[0]
        [outcome] = add_photo_files(db, observation.id, [picture])
        assert outcome.record is not None


def _damage_the_photo(path: Path) -> None:
    """Change a stored photo's bytes behind the program's back: SQLite's checks cannot see it, its checksum can."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE photo SET jpeg = X'FFD8FF00'")
    conn.commit()
    conn.close()


def test_check_holds_the_newest_backup_to_the_same_check_as_the_database(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    _database_with_a_photo(path, test_lens, tmp_path)
    for made in list_backups(path):  # the daily one, from before the photo
        made.path.unlink()
    back_up(path)
    age_backups(path, 3)
    older = list_backups(path)[0].path
    _damage_the_photo(path)
    newest = back_up(path)  # SQLite's quick check passes it: the damage is in a photo's bytes
    assert "checksum" in (backups.verify_backup(newest) or "")
    # So the restore offered for a damaged database (the app's and the error's) skips it too.
    assert newest_good_backup(path) == older

    cli = Cli(path, capsys)
    assert cli("check") == 1
    assert "problem  photo" in cli.out and "checksum" in cli.out  # the database
    lines = [line for line in cli.out.splitlines() if line.startswith("backups:")]
    assert len(lines) == 2, cli.out
    assert "newest" in lines[0] and "FAILS the same check (photo " in lines[0] and "checksum" in lines[0]
    assert lines[0].endswith(f"— {newest}") and "passes" not in lines[0]
    assert lines[1].startswith("backups: the newest that passes the same check is ") and lines[1].endswith(f"— {older}")

    _damage_the_photo(older)
    assert cli("check") == 1
    assert "backups: none of them passes the same check" in cli.out


def test_the_check_of_a_backup_from_a_newer_version_says_so(tmp_path: Path, test_lens, capsys) -> None:
    from walkthrough.services.integrity import check_database_file

    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    made = back_up(path)
    assert check_database_file(made) == ()
    conn = sqlite3.connect(made)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.commit()
    conn.close()
    [problem] = check_database_file(made)
    assert "newer version" in problem


def test_restore_of_a_backup_with_a_damaged_photo_goes_ahead_and_says_so(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    _database_with_a_photo(path, test_lens, tmp_path)
    _damage_the_photo(path)
    damaged = back_up(path)
    assert restore_database(path, damaged).problems == (
        f"photo {_photo_id(path)}: bytes do not match their checksum",)

    cli = Cli(path, capsys)
    assert cli("restore", damaged) == 0
    assert f"restored {path} from {damaged}" in cli.out
    [line] = cli.err.strip().splitlines()
    assert line.startswith(f"warning: {damaged} already had damage: photo ") and "checksum" in line
    assert "`walkthrough check`" in line

    good = tmp_path / "good.sqlite3"
    _database_with_a_photo(good, test_lens, tmp_path)
    assert restore_database(path, back_up(good)).problems == ()


def _photo_id(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id FROM photo").fetchone()[0]
    finally:
        conn.close()


def _with_page_size(source: Path, dest: Path, page_size: int, journal_mode: str) -> Path:
    """A copy of ``source`` with another page size, as another SQLite program might write it."""
    conn = sqlite3.connect(source)
    conn.execute(f"VACUUM INTO '{dest}'")
    conn.close()
    conn = sqlite3.connect(dest)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA page_size={page_size}")
    conn.execute("VACUUM")
    conn.execute(f"PRAGMA journal_mode={journal_mode}")
    conn.close()
    conn = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == page_size
    conn.close()
    return dest


@pytest.mark.parametrize("page_size", [1024, 65536, 4096])
@pytest.mark.parametrize("journal_mode", ["DELETE", "WAL"])
def test_restore_works_whatever_the_backup_s_page_size_and_leaves_nothing_beside_it(
    tmp_path: Path, test_lens, page_size: int, journal_mode: str
) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=("Current",))
    elsewhere = tmp_path / "from elsewhere"
    elsewhere.mkdir()
    source = tmp_path / "source.sqlite3"
    make_database(source, test_lens, notes=("From the backup",))
    backup = _with_page_size(source, elsewhere / "backup.sqlite3", page_size, journal_mode)
    before = sorted(p.name for p in elsewhere.iterdir())
    original = backup.read_bytes()

    with open_database(path) as db:  # the database open in the app, as it may be
        outcome = restore_database(path, backup)
        assert outcome.problems == ()
        assert [o.note for w in list_walkthroughs(db) for o in list_observations(db, w.id)] == ["From the backup"]

    assert notes_in(path) == ["From the backup"]
    assert sorted(p.name for p in elsewhere.iterdir()) == before == ["backup.sqlite3"]
    assert backup.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["from elsewhere", "source.sqlite3", "w.sqlite3"]


def test_a_copy_numbers_its_changes_as_a_device_of_its_own_with_the_same_name_and_person(
    tmp_path: Path, test_lens
) -> None:
    """Both the database and its copy go on being changed (the copy on another laptop): two devices, not one."""
    from walkthrough.domain.models import Change
    from walkthrough.services.history import set_device, this_device
    from walkthrough.services.walkthroughs import create_walkthrough

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        set_device(db, name="Office laptop", person="Ana")
        walkthrough = create_walkthrough(db, test_lens, service="S", site="T")
        original = this_device(db)
    copy = copy_database(path, tmp_path / "copy.sqlite3")
    journal = sqlite3.connect(copy)
    assert journal.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # still one self-contained file
    journal.close()

    numbered: dict[tuple[str, int], str] = {}
    for database, note in ((path, "made here"), (copy, "made on the copy")):
        with open_database(database) as db:
            add_observation(db, walkthrough.id, NewObservation("entrance", "working-well", note=note))
            with db.sessions.begin() as session:
                for change_id, device_id, seq in session.execute(
                        sa_select(Change.id, Change.device_id, Change.seq)):
                    assert numbered.setdefault((device_id, seq), change_id) == change_id, \
                        f"two changes numbered {seq} by device {device_id}"
    with open_database(copy) as db:
        mine = this_device(db)
    assert mine.id != original.id and (mine.name, mine.person) == ("Office laptop", "Ana")
