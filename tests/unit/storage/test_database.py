"""Opening, creating, upgrading and backing up the walkthrough database."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from walkthrough.domain.errors import NewerDatabase, NotADatabase, StorageError
from walkthrough.domain.models import Base
from walkthrough.storage import database as database_module
from walkthrough.storage.database import SCHEMA_REVISION, backup_database, head_revision, open_database
from walkthrough.storage.schema_objects import ForeignSchemaObjects


def test_new_database_is_private_and_every_connection_has_our_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        with db.engine.connect() as conn:
            pragmas = {
                name: conn.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
            }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_schema_revision_constant_is_the_migrations_head() -> None:
    assert SCHEMA_REVISION == head_revision()


def test_migrations_build_exactly_the_schema_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with open_database(tmp_path / "w.sqlite3") as db, db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reopening_an_up_to_date_database_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    with open_database(path) as db, db.engine.begin() as conn:
        conn.execute(text("INSERT INTO walkthrough VALUES ('a','S','T','2026-01-01','l','1','L','{}',"
                          "'2026-01-01 00:00:00','2026-01-01 00:00:00',NULL,NULL)"))
    with open_database(path) as db, db.engine.connect() as conn:
        assert conn.execute(text("SELECT service FROM walkthrough")).scalar() == "S"


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"Dear diary, this is not a database." * 100)
    before = path.read_bytes()
    with pytest.raises(NotADatabase, match="notes.sqlite3"):
        open_database(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_someone_elses_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotADatabase, match="not a Lens Walkthrough database"):
        open_database(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "sql, named",
    [
        ("CREATE TRIGGER keep_notes BEFORE DELETE ON observation BEGIN "
         "INSERT INTO kept (note) VALUES (old.note); END", "trigger 'keep_notes'"),
        ("CREATE VIEW every_photo AS SELECT jpeg FROM photo", "view 'every_photo'"),
        ("CREATE INDEX ix_note ON observation (note)", "index 'ix_note' on 'observation'"),
    ],
)
def test_schema_objects_we_did_not_make_are_refused_on_open_named_and_left_untouched(
    tmp_path: Path, sql: str, named: str
) -> None:
    path = tmp_path / "w.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kept (note TEXT)")
    conn.execute(sql)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(ForeignSchemaObjects) as refused:
            open_database(path, read_only=read_only)
        message = str(refused.value)
        assert "\n" not in message and "did not make" in message
        assert "table 'kept'" in message and named in message
        assert path.read_bytes() == before
        if not read_only:
            assert sorted(p.name for p in tmp_path.iterdir()) == ["w.sqlite3"]


def test_check_reports_schema_objects_we_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.unit.test_cli import Cli

    path = tmp_path / "w.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER stamp AFTER INSERT ON walkthrough BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    cli = Cli(path, capsys)
    assert cli("check") == 1
    assert "problem  database: holds database objects Lens Walkthrough did not make (trigger 'stamp')" in cli.out
    assert "Traceback" not in cli.err


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="newer version"):
        open_database(path)
    assert path.read_bytes() == before


def _database_at_revision(path: Path, revision: str) -> None:
    """A database file as an older version of the program made it (its migrations up to ``revision``)."""
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    config = database_module._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_an_older_database_is_backed_up_before_it_is_upgraded(
    tmp_path: Path, _isolated_user_dirs: Path
) -> None:
    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0001_initial")
    open_database(path).close()
    backups = list((_isolated_user_dirs / "backups").glob("w-*-before-upgrade-from-0001_initial.sqlite3"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("SELECT version_num FROM alembic_version").fetchone() == (
        "0001_initial",
    )


def test_upgrading_a_0001_database_keeps_every_observation_photo_and_link_and_allows_not_rated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0001_initial")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    stamp = "'2026-01-01 00:00:00'"
    conn.execute(f"INSERT INTO walkthrough VALUES ('w','S','T','2026-01-01','l','1','L','{{}}',{stamp},{stamp})")
    conn.execute(f"INSERT INTO observation VALUES ('o','w','entrance','p1','could-be-better','Staff said 2',"
                 f"'lived-experience',0,{stamp},{stamp})")
    conn.execute("INSERT INTO observation_principle VALUES ('o','safety')")
    conn.execute(f"INSERT INTO photo VALUES ('ph','o','door','door.jpg',10,20,'abc',x'ffd8',x'ffd9',0,{stamp})")
    conn.execute(f"INSERT INTO action VALUES ('a','w','Fix the door','','2026-02-01','high','not-started',"
                 f"NULL,0,{stamp},{stamp})")
    conn.execute("INSERT INTO action_observation VALUES ('a','o')")
    conn.commit()
    conn.close()

    with open_database(path) as db, db.engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_REVISION
        assert conn.execute(text("SELECT id, rating_id, note, voice FROM observation")).all() == [
            ("o", "could-be-better", "Staff said 2", "lived-experience")]
        assert conn.execute(text("SELECT id, caption, jpeg FROM photo")).all() == [("ph", "door", b"\xff\xd8")]
        assert conn.execute(text("SELECT * FROM observation_principle")).all() == [("o", "safety")]
        assert conn.execute(text("SELECT * FROM action_observation")).all() == [("a", "o")]
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        conn.execute(text(f"INSERT INTO observation VALUES ('n','w','entrance',NULL,NULL,'',"
                          f"'facilitator',1,{stamp},{stamp})"))
        with pytest.raises(Exception, match="CHECK"):
            with conn.begin_nested():
                conn.execute(text(f"INSERT INTO observation VALUES ('v','w','entrance',NULL,NULL,'',"
                                  f"'nobody',2,{stamp},{stamp})"))
        # The copied table kept its index and its cascade.
        assert "ix_observation_walkthrough_id" in {
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE tbl_name='observation'"))}
        conn.execute(text("DELETE FROM walkthrough"))
        assert conn.execute(text("SELECT count(*) FROM photo")).scalar() == 0


def test_backup_includes_commits_still_in_the_wal_file(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO walkthrough VALUES ('a','Recent','T','2026-01-01','l','1','L','{}',"
                          "'2026-01-01 00:00:00','2026-01-01 00:00:00',NULL,NULL)"))
    assert Path(str(path) + "-wal").stat().st_size > 0  # the commit is still in the side file
    copy = backup_database(db.engine, path, reason="test", dest=tmp_path / "copy.sqlite3")
    db.close()
    assert sqlite3.connect(copy).execute("SELECT service FROM walkthrough").fetchone() == ("Recent",)
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.partial"))


def test_paths_with_spaces_and_non_ascii_names_work(tmp_path: Path) -> None:
    folder = tmp_path / "Zoë's walkthroughs" / "Ærø – 2026"
    with open_database(folder / "Tobar na Màthar.sqlite3") as db, db.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    backup_database(folder / "Tobar na Màthar.sqlite3", folder / "Tobar na Màthar.sqlite3", reason="t",
                    dest=folder / "backup ü.sqlite3")
    assert (folder / "backup ü.sqlite3").stat().st_size > 0


def test_missing_database_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no such database"):
        open_database(tmp_path / "absent.sqlite3", create=False)
    assert not (tmp_path / "absent.sqlite3").exists()


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotADatabase, match="folder"):
        open_database(tmp_path)


# -- a database on a PostgreSQL server ------------------------------------------------


def test_a_postgresql_database_gets_exactly_the_schema_the_models_declare_and_keeps_its_data(
    postgresql_url: str,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with open_database(postgresql_url) as db:
        assert db.path is None and db.url == postgresql_url
        with db.engine.begin() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            conn.execute(text("INSERT INTO walkthrough VALUES ('a','S','T','2026-01-01','l','1','L','{}',"
                              "'2026-01-01 00:00:00','2026-01-01 00:00:00',NULL,NULL)"))
    with open_database(postgresql_url, create=False) as db, db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_REVISION
        assert conn.execute(text("SELECT service FROM walkthrough")).scalar() == "S"


def test_upgrading_a_0001_postgresql_database_keeps_its_rows_and_allows_not_rated(postgresql_url: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(postgresql_url)
    config = database_module._alembic_config()
    stamp = "'2026-01-01 00:00:00'"
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_initial")
        conn.execute(text(f"INSERT INTO walkthrough VALUES ('w','S','T','2026-01-01','l','1','L','{{}}',"
                          f"{stamp},{stamp})"))
        conn.execute(text(f"INSERT INTO observation VALUES ('o','w','entrance','p1','could-be-better','Staff said 2',"
                          f"'lived-experience',0,{stamp},{stamp})"))
        conn.execute(text(f"INSERT INTO photo VALUES ('ph','o','door','door.jpg',10,20,'abc','\\xffd8',"
                          f"'\\xffd9',0,{stamp})"))
    engine.dispose()

    with open_database(postgresql_url) as db, db.engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_REVISION
        assert conn.execute(text("SELECT id, rating_id, note FROM observation")).all() == [
            ("o", "could-be-better", "Staff said 2")]
        assert conn.execute(text("SELECT id, jpeg FROM photo")).all() == [("ph", b"\xff\xd8")]
        conn.execute(text(f"INSERT INTO observation VALUES ('n','w','entrance',NULL,NULL,'',"
                          f"'facilitator',1,{stamp},{stamp})"))
        conn.execute(text("DELETE FROM walkthrough"))  # the cascade is still there
        assert conn.execute(text("SELECT count(*) FROM photo")).scalar() == 0


def test_a_postgresql_database_opened_read_only_refuses_every_change(postgresql_url: str, test_lens) -> None:
    from walkthrough.services.walkthroughs import create_walkthrough, list_walkthroughs
    from walkthrough.storage.errors import ReadOnlyDatabase

    with pytest.raises(StorageError, match="an empty database"):
        open_database(postgresql_url, read_only=True)
    open_database(postgresql_url).close()
    with open_database(postgresql_url, read_only=True) as db:
        assert list_walkthroughs(db) == []
        with pytest.raises(ReadOnlyDatabase, match="opened read-only"):
            create_walkthrough(db, test_lens, service="S", site="T")


def test_a_postgresql_database_that_is_not_ours_or_is_newer_is_refused_and_left_untouched(
    postgresql_server, postgresql_url: str,
) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(postgresql_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer)"))
    with pytest.raises(NotADatabase, match="not a Lens Walkthrough one"):
        open_database(postgresql_url)
    newer = postgresql_server.new_database()
    open_database(newer).close()
    engine = create_engine(newer)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(NewerDatabase, match="9999_future"):
        open_database(newer)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"
    engine.dispose()


def test_a_postgresql_server_that_cannot_be_reached_is_one_line_without_the_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://walker:s3cret@/walkthroughs?host={tmp_path}"  # no server on that socket
    with pytest.raises(StorageError, match="cannot use the database server") as caught:
        open_database(url)
    assert "s3cret" not in str(caught.value) and "walker:***@" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # nothing made there
    with pytest.raises(StorageError, match="only PostgreSQL"):
        open_database("mysql://walker@host/walkthroughs")


def test_an_action_stored_before_progress_tracking_keeps_its_fields_and_its_history_still_checks(
    tmp_path: Path,
) -> None:
    import json

    from walkthrough.domain.change_check import check_change

    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0002_observation_not_rated_yet")
    conn = sqlite3.connect(path)
    early = "'2026-01-01 00:00:00'"
    conn.execute(f"INSERT INTO walkthrough VALUES ('w','S','T','2026-01-01','l','1','L','{{}}',{early},{early})")
    conn.execute(f"INSERT INTO action VALUES ('a','w','Fix the door','Sam','2026-02-01','high','in-progress',"
                 f"NULL,0,{early},{early})")
    conn.commit()
    conn.close()
    _database_at_revision(path, "0003_change_history")

    with open_database(path) as db, db.engine.begin() as conn:
        assert conn.execute(text("SELECT text, owner, status, lead, on_track, success_measure, mat_standards "
                                 "FROM action")).one() == ("Fix the door", "Sam", "in-progress", "", None, "", "")
        raw = dict(conn.execute(text("SELECT * FROM change WHERE entity = 'action'")).mappings().one())
        raw["value"] = json.loads(raw["value"])
        assert "lead" not in raw["value"]  # the history is not rewritten ...
        assert check_change(raw, "w", None).value["text"] == "Fix the door"  # ... and an older create still checks
        with pytest.raises(Exception, match="CHECK constraint"):
            conn.execute(text("UPDATE action SET on_track = 'sideways'"))


def test_upgrading_to_the_change_history_records_every_stored_row_as_made_on_this_device(tmp_path: Path) -> None:
    import json

    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0002_observation_not_rated_yet")
    conn = sqlite3.connect(path)
    early, late = "'2026-01-01 00:00:00'", "'2026-01-02 09:30:00.250000'"
    conn.execute(f"INSERT INTO walkthrough VALUES ('w','S','T','2026-01-01','l','1','L','{{}}',{early},{early})")
    conn.execute("INSERT INTO facilitator VALUES ('f','w','Ana',0)")
    conn.execute("INSERT INTO participant VALUES ('p','w','Lee','lived-experience',0)")
    conn.execute(f"INSERT INTO observation VALUES ('o','w','entrance',NULL,NULL,'Private note','staff',0,"
                 f"{early},{late})")
    conn.execute("INSERT INTO observation_principle VALUES ('o','safety')")
    conn.execute(f"INSERT INTO photo VALUES ('ph','o','door','door.jpg',10,20,'abc',x'ffd8',x'ffd9',0,{early})")
    conn.execute(f"INSERT INTO action VALUES ('a','w','Fix the door','','2026-02-01','high','not-started',"
                 f"NULL,0,{early},{early})")
    conn.execute("INSERT INTO action_observation VALUES ('a','o')")
    conn.commit()
    conn.close()

    with open_database(path) as db, db.engine.begin() as conn:
        [(device_id, last_seq)] = conn.execute(text("SELECT id, last_seq FROM device WHERE this_device")).all()
        rows = conn.execute(text("SELECT entity, entity_id, parent_id, kind, value, device_id, seq, operation "
                                 "FROM change ORDER BY seq")).all()
        # Then revision 0004 files the walkthrough under a service, an operation of its own.
        *rows, service, filed = rows
        assert (service[0], service[3], filed[0], filed[3], filed[7]) == ("service", "create", "walkthrough", "set",
                                                                         service[7])
        assert last_seq == 6
        last_seq -= 2
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
            ("walkthrough", "w", None, "create"), ("observation", "o", None, "create"),
            ("photo", "ph", "o", "create"), ("action", "a", None, "create")]
        assert {r[5] for r in rows} == {device_id} and [r[6] for r in rows] == [1, 2, 3, 4] == [*range(1, 5)]
        assert last_seq == 4 and {r[7] for r in rows} == {1}  # one operation: the upgrade
        walk, obs, photo, action = (json.loads(r[4]) for r in rows)
        assert walk["facilitators"] == [["f", "Ana"]] and walk["participants"] == [["p", "Lee", "lived-experience"]]
        assert obs["note"] == "Private note" and obs["principle_ids"] == ["safety"] and obs["rating_id"] is None
        assert photo["picture"] == {"sha256": "abc", "width": 10, "height": 20}
        assert action["observation_ids"] == ["o"] and action["due_date"] == "2026-02-01"
        # Every change in a walkthrough moves its updated_at: the observation edited later moved it.
        assert walk["updated_at"].startswith("2026-01-02T09:30:00.25")
        # (and filing it under a service moved it again, to the upgrade's time)
        assert str(conn.execute(text("SELECT updated_at FROM walkthrough")).scalar()) > "2026-01-02 09:30:00.25"


def test_the_change_look_up_index_takes_the_field_and_goes_back_to_what_it_was(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "w.sqlite3"
    _database_at_revision(path, "0003_change_history")
    with open_database(path):
        pass

    def indexes() -> set[str]:
        conn = sqlite3.connect(path)
        try:
            return {name for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='change' AND sql IS NOT NULL")}
        finally:
            conn.close()

    assert indexes() == {"ix_change_lookup"}
    config = database_module._alembic_config()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003_change_history")
    engine.dispose()
    assert indexes() == {"ix_change_walkthrough_entity"}


def test_a_large_write_has_a_larger_page_cache_until_its_connection_goes_back(tmp_path: Path) -> None:
    from walkthrough.storage.database import LARGE_WRITE_CACHE_KIB, large_write

    with open_database(tmp_path / "w.sqlite3") as db:
        with db.sessions.begin() as session:
            usual = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
            large_write(session)
            large_write(session)  # twice: the usual size is still the one it goes back to
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -LARGE_WRITE_CACHE_KIB
            held = session.connection().connection.dbapi_connection
        with db.sessions.begin() as session:
            assert session.connection().connection.dbapi_connection is held  # the same connection, pooled
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == usual != -LARGE_WRITE_CACHE_KIB
