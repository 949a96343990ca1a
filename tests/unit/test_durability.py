"""What happens to the database when things go wrong: a crash, damage, a read-only
stick, another program's lock, a full disk - and who may read the files."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.conftest import PROJECT_ROOT
from tests.unit.database_helpers import age_backups, corrupt_a_table_page, make_database, notes_in
from tests.unit.test_cli import Cli, assert_one_line_error
from walkthrough.cli import main
from walkthrough.domain.errors import DatabaseBusy, NotADatabase, StorageError
from walkthrough.services.backups import back_up, copy_database
from walkthrough.services.observations import NewObservation, add_observation, list_observations
from walkthrough.services.walkthroughs import list_walkthroughs
from walkthrough.storage import database as database_module
from walkthrough.storage.backups import list_backups, restore_command
from walkthrough.storage.database import open_database
from walkthrough.storage.errors import DamagedDatabase, DiskFull, ReadOnlyDatabase

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, users and resource limits")


def crash_after_writing(path: Path, note: str) -> None:
    """Commit a change in another process that then dies without closing (a flat battery).

    Its commit is in the ``-wal`` file and nowhere else: nobody checkpointed it.
    """
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute('UPDATE observation SET note = ?', (sys.argv[2],))\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), note], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0


def file_state(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# -- a crash, and damage ------------------------------------------------------------


def test_after_a_crash_the_database_opens_with_everything_that_was_committed(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    crash_after_writing(path, "Saved just before the battery died")
    with open_database(path) as db:
        notes = [o.note for o in list_observations(db, list_walkthroughs(db)[0].id)]
    assert notes == ["Saved just before the battery died"]


def test_after_a_crash_a_damaged_database_is_left_untouched_and_the_message_restores_the_newest_good_backup(
    tmp_path: Path, test_lens, capsys
) -> None:
    path = tmp_path / "Zoë's walkthroughs" / "w.sqlite3"
    make_database(path, test_lens)
    good = back_up(path)
    age_backups(path, 30)  # yesterday's good backup ...
    good = list_backups(path)[0].path
    damaged_backup = back_up(path)  # ... and today's, damaged on disk since (so no daily backup is due)
    corrupt_a_table_page(damaged_backup)
    crash_after_writing(path, "after the crash")
    corrupt_a_table_page(path, "walkthrough")  # a page the -wal does not hold
    before = file_state(path)

    with pytest.raises(DamagedDatabase) as info:
        open_database(path)

    message = str(info.value)
    assert "\n" not in message and "it was not changed" in message
    assert info.value.restore_from == good
    assert message.endswith(restore_command(path, good))
    assert str(damaged_backup) not in message
    assert file_state(path) == before  # the file and the -wal beside it, byte for byte

    cli = Cli(path, capsys)
    assert cli("list") == 1
    assert_one_line_error(cli, "the database is damaged", "restore")
    args = shlex.split(message.rsplit("with: ", 1)[1])
    assert args[0] == "walkthrough"
    capsys.readouterr()
    assert main(args[1:]) == 0  # the command, exactly as given, works
    assert notes_in(path) == ["First note"]
    assert cli("check") == 0 and "healthy" in cli.out


def test_a_newer_database_left_open_by_a_crash_is_refused_with_its_wal_untouched(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    crash_after_writing(path, "written by the newer version")
    before = file_state(path)
    with pytest.raises(StorageError, match="newer version"):
        open_database(path)
    # Not even checkpointed: the newer version's last work is still only in its -wal.
    assert {k: v for k, v in file_state(path).items() if not k.endswith("-shm")} == {
        k: v for k, v in before.items() if not k.endswith("-shm")}


def test_a_database_cut_short_is_refused_and_left_untouched(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens, notes=tuple(f"note {i} " * 20 for i in range(200)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])  # a copy to a stick, pulled out halfway
    with pytest.raises(DamagedDatabase, match="cut short") as info:
        open_database(path)
    assert "no good backup" in str(info.value)
    assert path.read_bytes() == data[: len(data) * 2 // 3]


def test_a_database_overwritten_with_zeros_is_damaged_when_it_has_backups(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    good = back_up(path)
    path.write_bytes(bytes(4096 * 4))
    with pytest.raises(DamagedDatabase, match="not an SQLite file any more") as info:
        open_database(path)
    assert info.value.restore_from == good
    assert path.read_bytes() == bytes(4096 * 4)
    other = tmp_path / "never ours.sqlite3"
    other.write_bytes(bytes(4096))
    with pytest.raises(NotADatabase) as plain:
        open_database(other)
    assert not isinstance(plain.value, DamagedDatabase)


def test_damage_found_during_use_is_a_storage_error_with_the_restore_command(
    tmp_path: Path, test_lens, capsys
) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens, notes=tuple(f"note {i}" for i in range(300)))
    good = back_up(path)  # so no daily backup (which would find the damage on open) is due
    corrupt_a_table_page(path)
    db = open_database(path)
    with pytest.raises(DamagedDatabase) as info:
        list_observations(db, wid)
    db.close()
    assert info.value.restore_from == good
    cli = Cli(path, capsys)
    assert cli("export-csv", wid, tmp_path / "out.csv") == 1
    assert_one_line_error(cli, "the database is damaged", restore_command(path, good))
    assert not (tmp_path / "out.csv").exists()


# -- read-only ----------------------------------------------------------------------


def test_read_only_open_reads_and_refuses_every_write_without_touching_the_file(
    tmp_path: Path, test_lens, _isolated_user_dirs: Path
) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    before = path.read_bytes()
    with open_database(path, read_only=True) as db:
        assert db.read_only
        assert [o.note for o in list_observations(db, wid)] == ["First note"]
        with pytest.raises(ReadOnlyDatabase, match="opened read-only"):
            add_observation(db, wid, NewObservation("entrance", "working-well", note="x"))
        assert [o.note for o in list_observations(db, wid)] == ["First note"]
    assert path.read_bytes() == before
    assert not (_isolated_user_dirs / "backups").exists()  # no daily backup either


def test_read_only_open_of_a_single_file_copy_leaves_even_its_journal_mode(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    copy = copy_database(path, tmp_path / "on the stick.sqlite3")  # rollback journal: one file
    before = copy.read_bytes()
    with open_database(copy, read_only=True) as db:
        assert [o.note for o in list_observations(db, wid)] == ["First note"]
    assert copy.read_bytes() == before


def test_read_only_open_never_creates_or_upgrades(tmp_path: Path, test_lens, monkeypatch) -> None:
    with pytest.raises(StorageError, match="no such database"):
        open_database(tmp_path / "absent.sqlite3", read_only=True)
    assert not (tmp_path / "absent.sqlite3").exists()
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    before = path.read_bytes()
    monkeypatch.setattr(database_module, "SCHEMA_REVISION", "0002_pretend")
    with pytest.raises(ReadOnlyDatabase, match="older version"):
        open_database(path, read_only=True)
    assert path.read_bytes() == before and list_backups(path) == []


def test_cli_read_only_flag(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    cli = Cli(path, capsys)
    assert cli("--read-only", "list") == 0 and "Orkney Recovery" in cli.out
    assert cli("--read-only", "observe", wid, "--area", "entrance", "--rating", "working-well", "--note", "x") == 1
    assert_one_line_error(cli, "opened read-only", "without --read-only")
    # With no command, --read-only opens the desktop app for viewing (tests/unit/test_cli.py).


@contextmanager
def write_protected(*paths: Path) -> Iterator[None]:
    """Make ``paths`` unwritable, as a write-protected USB stick is, even for root.

    chmod is enough for anyone but root; for root (CI containers) the
    immutable attribute does it, where the file system and capabilities allow.
    """
    if os.geteuid() != 0:
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in paths}
        for p in paths:
            os.chmod(p, 0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                os.chmod(p, mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a folder read-only for root")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i is refused here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=False)


@posix_only
def test_a_database_on_a_read_only_stick_gives_one_line_and_opens_read_only(
    tmp_path: Path, test_lens, capsys
) -> None:
    stick = tmp_path / "USB STICK"
    path = stick / "w.sqlite3"
    make_database(path, test_lens)
    before = path.read_bytes()
    cli = Cli(path, capsys)
    with write_protected(path, stick):  # not even a -wal or -shm can be made
        assert cli("list") == 1
        assert_one_line_error(cli, "cannot write here", "--read-only")
        assert cli("--read-only", "list") == 0 and "Orkney Recovery" in cli.out
        assert cli("--read-only", "new", "--lens", "general", "--service", "S", "--site", "T") == 1
        assert_one_line_error(cli, "opened read-only")
    assert path.read_bytes() == before and sorted(p.name for p in stick.iterdir()) == ["w.sqlite3"]


def test_a_database_locked_by_another_program_gives_one_line(
    tmp_path: Path, test_lens, capsys, monkeypatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    back_up(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE observation SET note = note")
    other.execute("COMMIT")  # exclusive locking mode keeps the lock after the commit
    cli = Cli(path, capsys)
    assert cli("list") == 1
    assert_one_line_error(cli, "in use by another program")
    other.close()

    db = open_database(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program in the middle of saving
    with pytest.raises(DatabaseBusy):
        add_observation(db, wid, NewObservation("entrance", "working-well", note="x"))
    writer.execute("ROLLBACK")
    writer.close()
    add_observation(db, wid, NewObservation("entrance", "working-well", note="x"))  # and then it works
    db.close()


# -- a full disk --------------------------------------------------------------------


def test_a_full_database_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path, test_lens) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    db = open_database(path)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own "database or disk is full" (SQLITE_FULL), as from ENOSPC.

    def limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 3}")

    event.listen(db.engine, "connect", limit)
    db.engine.dispose()
    with pytest.raises(DiskFull, match="the disk is full; this change was not saved"):
        add_observation(db, wid, NewObservation("entrance", "working-well", note="long " * 20_000))
    event.remove(db.engine, "connect", limit)
    db.engine.dispose()
    assert [o.note for o in list_observations(db, wid)] == ["First note"]
    db.close()
    assert integrity(path) == "ok"


def _no_bigger_files_than(limit: int):  # type: ignore[no-untyped-def]
    import resource
    import signal

    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.fixture(scope="module")
def full_disk_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, Path]:
    """A database with 2,000 observations and a photo, its home, the walkthrough id and a big photo."""
    from PIL import Image

    from tests.conftest import TEST_LENS_YAML
    from walkthrough.domain.lens import parse_lens
    from walkthrough.services.observations import add_observations
    from walkthrough.services.photos import add_photo_files
    from walkthrough.services.walkthroughs import create_walkthrough

    base = tmp_path_factory.mktemp("full disk")
    home = base / "home"
    lens = parse_lens(TEST_LENS_YAML, "test-lens.yaml")
    path = base / "Zoë" / "w.sqlite3"
    photo = base / "noise.png"
    Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3)).save(photo)
    old_home = os.environ.get("WALKTHROUGH_HOME")
    os.environ["WALKTHROUGH_HOME"] = str(home)
    try:
        with open_database(path) as db:
            wid = create_walkthrough(db, lens, service="S", site="T").id
            obs = add_observations(db, wid, [NewObservation("entrance", "working-well", note=f"Note {i} " * 12)
                                             for i in range(2000)])
            add_photo_files(db, obs[0].id, [photo])
        back_up(path)  # so no daily backup is due in the runs below
    finally:
        if old_home is None:
            os.environ.pop("WALKTHROUGH_HOME", None)
        else:
            os.environ["WALKTHROUGH_HOME"] = old_home
    return path, home, wid, photo


FILE_SIZE_LIMIT = 64 * 1024


@posix_only
@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["observe", "{wid}", "--area", "entrance", "--rating", "working-well", "--note", "x",
                      "--photo", "{photo}"], id="save"),
        pytest.param(["import-csv", "{wid}", "{big_csv}"], id="import"),
        pytest.param(["export-csv", "{wid}", "{out}/findings.csv"], id="export-csv"),
        pytest.param(["photos", "export", "{wid}", "{out}/photos"], id="photos-export"),
        pytest.param(["backup"], id="backup"),
        pytest.param(["copy-db", "{out}/copy.sqlite3"], id="copy-db"),
    ],
)
def test_a_full_disk_gives_one_line_leaves_the_database_whole_and_no_partial_files(
    full_disk_setup: tuple[Path, Path, str, Path], tmp_path: Path, command: list[str]
) -> None:
    path, home, wid, photo = full_disk_setup
    big_csv = tmp_path / "big.csv"
    big_csv.write_text("area,prompt,rating,principles,note,voice\n"
                       + "entrance,,working-well,,A row of an import,\n" * 3000, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(wid=wid, photo=photo, big_csv=big_csv, out=out) for a in command]
    backups_before = sorted(p.name for p in (home / "backups").iterdir())
    count_before = sqlite3.connect(path).execute("SELECT count(*) FROM observation").fetchone()[0]

    env = {**os.environ, "WALKTHROUGH_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "walkthrough", "--db", str(path), *args], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
                          preexec_fn=_no_bigger_files_than(FILE_SIZE_LIMIT))

    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "unexpected" not in lines[0], done.stderr
    assert "full" in lines[0]
    assert integrity(path) == "ok"
    assert sqlite3.connect(path).execute("SELECT count(*) FROM observation").fetchone()[0] == count_before
    leftovers = [p for p in (*out.rglob("*"), *(home / "backups").iterdir(), *path.parent.iterdir())
                 if p.name.endswith((".partial", ".partial-journal")) or p.suffix in (".csv", ".jpg")]
    assert leftovers == []
    assert sorted(p.name for p in (home / "backups").iterdir()) == backups_before
    assert not (out / "copy.sqlite3").exists()


# -- who may read the files ---------------------------------------------------------


@posix_only
def test_database_side_files_backups_and_copies_are_private_whatever_the_umask(tmp_path: Path, test_lens) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "w.sqlite3"
        wid = make_database(path, test_lens)
        db = open_database(path)
        add_observation(db, wid, NewObservation("entrance", "working-well", note="while open"))
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
        db.close()
        made = [*(b.path for b in list_backups(path)), back_up(path), copy_database(path, tmp_path / "copy.sqlite3")]
        assert len(made) == 3  # the daily backup of the open above, a manual one, a copy
        assert {stat.S_IMODE(p.stat().st_mode) for p in made} == {0o600}
        assert stat.S_IMODE(made[0].parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)


# -- nothing is written over the database, its side files or a backup -----------------------------

_WRITERS = {
    "export-csv": ["export-csv", "{wid}", "{dest}"],
    "report": ["report", "{wid}", "-o", "{dest}"],
    "copy-db": ["copy-db", "{dest}"],
    "backup": ["backup", "{dest}"],
}


@pytest.mark.parametrize(
    ("writer", "suffix"),
    # report -o always writes a name ending in .pdf, which only the database itself can have.
    [("report", ""), *((w, s) for w in _WRITERS if w != "report" for s in ("", "-wal", "-shm", "-journal", ".lock"))],
)
def test_no_command_writes_over_the_open_database_or_its_side_files(
    tmp_path: Path, test_lens, capsys, writer: str, suffix: str
) -> None:
    # Named .pdf so that even `report -o`, which adds ".pdf" to other names, could reach it.
    path = tmp_path / "db" / "w.pdf"
    path.parent.mkdir()
    wid = make_database(path, test_lens)
    # Another spelling of the same file: through a link to its folder.
    (tmp_path / "link").symlink_to(path.parent)
    dest = tmp_path / "link" / f"w.pdf{suffix}"
    before = path.read_bytes()
    cli = Cli(path, capsys)
    assert cli(*(part.format(wid=wid, dest=dest) for part in _WRITERS[writer])) == 1
    assert_one_line_error(cli, "nothing was written")
    assert path.read_bytes() == before
    assert notes_in(path) == ["First note"]
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # nothing beside it either


def test_export_csv_onto_a_hard_link_of_the_database_is_refused(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    os.link(path, tmp_path / "other name.csv")
    cli = Cli(path, capsys)
    assert cli("export-csv", wid, tmp_path / "other name.csv") == 1
    assert_one_line_error(cli, "the database itself")
    assert notes_in(path) == ["First note"]


def test_no_command_writes_over_a_backup(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    backup = back_up(path)
    before = backup.read_bytes()
    cli = Cli(path, capsys)
    for args in (["export-csv", wid, backup], ["copy-db", backup], ["backup", backup]):
        assert cli(*args) == 1, args
        assert_one_line_error(cli, "that is a backup", "nothing was written")
    assert backup.read_bytes() == before


@posix_only
def test_a_link_planted_at_the_temporary_name_is_never_followed(tmp_path: Path, test_lens, capsys) -> None:
    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    victim = tmp_path / "someone else's.txt"
    victim.write_text("keep me")
    shared = tmp_path / "shared"
    shared.mkdir()
    for name in ("findings.csv", "copy.sqlite3", "report.pdf"):
        (shared / f".{name}.partial").symlink_to(victim)  # the name a writer used to open
    cli = Cli(path, capsys)
    old = os.umask(0)
    try:
        assert cli("export-csv", wid, shared / "findings.csv") == 0, cli.err
        assert cli("copy-db", shared / "copy.sqlite3") == 0, cli.err
        assert cli("report", wid, "-o", shared / "report.pdf") == 0, cli.err
    finally:
        os.umask(old)
    assert victim.read_text() == "keep me"
    for name in ("findings.csv", "copy.sqlite3", "report.pdf"):
        result = os.lstat(shared / name)
        assert stat.S_ISREG(result.st_mode) and stat.S_IMODE(result.st_mode) == 0o600, name
        assert result.st_uid == os.getuid()
    assert not [p for p in shared.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o000, 0o002])
def test_everything_made_in_the_data_folder_is_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    home = tmp_path / "not yet" / "LensWalkthrough"  # made by the first command, parents and all
    env = {**os.environ, "WALKTHROUGH_HOME": str(home)}
    env.pop("WALKTHROUGH_DB", None)
    run = [sys.executable, "-m", "walkthrough"]

    def with_umask() -> None:
        os.umask(umask)

    for args in (["new", "--lens", "general", "--service", "S", "--site", "T"], ["list"], ["backup"]):
        subprocess.run([*run, *args], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True,
                       preexec_fn=with_umask)
    crashed = subprocess.run([sys.executable, "-c", CRASH, "--service", "Zoë's secret service", "--site", "T"],
                             env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, preexec_fn=with_umask)
    assert crashed.returncode == 1 and "details in" in crashed.stderr, crashed.stderr
    made = {p.relative_to(home): stat.S_IMODE(p.lstat().st_mode) for p in [home, *home.rglob("*")]}
    assert {name for name, mode in made.items() if mode != (0o700 if (home / name).is_dir() else 0o600)} == set()
    assert len(list((home / "backups").iterdir())) == 2  # the daily one and the one asked for
    assert (home / "logs" / "crash.log").is_file()


#: A command that meets a bug whose message quotes what the user typed.
CRASH = """
import sys
from walkthrough import cli
from walkthrough.services import walkthroughs

def bug(db, lens, **fields):
    raise RuntimeError(f"constraint failed for {fields['service']!r}")

walkthroughs.create_walkthrough = bug
sys.exit(cli.main(["new", "--lens", "general", *sys.argv[1:]]))
"""


@posix_only
def test_the_crash_log_holds_no_user_text(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "WALKTHROUGH_HOME": str(home)}
    for _ in range(2):  # appended to, not replaced
        crashed = subprocess.run([sys.executable, "-c", CRASH, "--service", "Zoë's secret service", "--site", "T"],
                                 env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
        assert crashed.returncode == 1
    log = (home / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "secret" not in log and "Zoë" not in log
    assert log.count("builtins.RuntimeError") == 2 and "in cmd_new" in log and ", in bug" in log  # where, not what


@posix_only
def test_a_data_folder_that_was_made_open_is_made_private_again(tmp_path: Path, capsys, test_lens) -> None:
    home = Path(os.environ["WALKTHROUGH_HOME"])
    os.chmod(home, 0o755)  # as an older version, or another program, left it
    path = tmp_path / "w.sqlite3"
    make_database(path, test_lens)
    assert Cli(path, capsys)("list") == 0  # the daily backup goes into the data folder
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "backups").stat().st_mode) == 0o700


@posix_only
@pytest.mark.parametrize("which", ["data folder", "backups folder"])
@pytest.mark.parametrize("how", ["a link", "someone else's"])
def test_a_data_or_backups_folder_that_is_a_link_or_someone_elses_is_refused(
    tmp_path: Path, capsys, test_lens, which: str, how: str
) -> None:
    home = Path(os.environ["WALKTHROUGH_HOME"])
    folder = home if which == "data folder" else home / "backups"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if how == "a link":
        if folder.exists():
            folder.rmdir()
        folder.symlink_to(elsewhere)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        folder.mkdir(exist_ok=True)
        os.chown(folder, 65534, 65534)  # nobody
    path = tmp_path / "w.sqlite3"
    cli = Cli(path, capsys)
    assert cli("new", "--lens", "general", "--service", "S", "--site", "T") == 0
    assert cli("backup") == 1
    assert_one_line_error(cli, str(folder), "link" if how == "a link" else "another user")
    assert list(elsewhere.iterdir()) == []


@posix_only
@pytest.mark.parametrize("how", ["a link", "someone else's"])
def test_the_default_database_in_a_data_folder_that_is_a_link_or_someone_elses_is_not_opened(
    tmp_path: Path, capsys, how: str
) -> None:
    home = Path(os.environ["WALKTHROUGH_HOME"])
    assert main(["new", "--lens", "general", "--service", "S", "--site", "T"]) == 0
    if how == "a link":
        moved = home.rename(tmp_path / "moved")  # someone swapped the folder for a link to theirs
        home.symlink_to(moved)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(home, 65534, 65534)  # nobody
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    reason = "link" if how == "a link" else "another user"
    assert err.startswith(f"error: {home}: ") and reason in err and len(err.splitlines()) == 1, err
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


def test_the_app_s_exports_refuse_the_open_database_too(tmp_path: Path, test_lens) -> None:
    """The desktop app's export dialogs call the same services: the open database protects itself."""
    from walkthrough.domain.errors import ExportError
    from walkthrough.services.csv_exchange import export_csv

    path = tmp_path / "w.sqlite3"
    wid = make_database(path, test_lens)
    with open_database(path) as db:
        for dest in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with pytest.raises(ExportError, match="nothing was written"):
                export_csv(db, wid, dest)
    assert notes_in(path) == ["First note"]
