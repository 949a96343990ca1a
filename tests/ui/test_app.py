"""Starting the app: composition, one copy per database, first-run offer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from walkthrough import app as app_module
from walkthrough.storage.database_lock import DatabaseLock


def test_a_second_copy_on_the_same_database_is_told_and_does_not_open(tmp_path: Path, qapp, monkeypatch) -> None:
    db = tmp_path / "w.sqlite3"
    first = DatabaseLock(db)
    assert first.acquire()
    told: list[str] = []
    monkeypatch.setattr(app_module, "_ask_to_retry", lambda text: told.append(text) or False)  # Close
    monkeypatch.setattr(app_module, "start_window", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    assert app_module.run(db) == 1
    assert told and "already open" in told[0] and str(db) in told[0]
    assert f"(process {os.getpid()})" in told[0] and "wait for the command to finish" in told[0]
    first.release()
    assert DatabaseLock(db).acquire()  # free again once the first copy has gone


def test_retry_opens_the_database_once_the_holder_has_let_go(tmp_path: Path, qapp, monkeypatch) -> None:
    db = tmp_path / "w.sqlite3"
    holder = DatabaseLock(db)  # a command changing the database, say
    assert holder.acquire()
    asked: list[str] = []

    def retry_after_the_command_ends(text: str) -> bool:
        asked.append(text)
        if len(asked) == 2:
            holder.release()  # the command finished while the question was up
        return True

    monkeypatch.setattr(app_module, "_ask_to_retry", retry_after_the_command_ends)
    monkeypatch.setattr(app_module, "start_window", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    with pytest.raises(AssertionError, match="opened"):
        app_module.run(db)
    assert len(asked) == 2  # asked, retried while still held, asked again, then it opened


def test_different_databases_do_not_block_each_other(tmp_path: Path, qapp) -> None:
    assert DatabaseLock(tmp_path / "a.sqlite3").acquire()
    assert DatabaseLock(tmp_path / "b.sqlite3").acquire()


def test_the_lock_is_beside_the_database_private_and_not_needed_on_a_write_protected_stick(
    tmp_path: Path, qapp
) -> None:
    from tests.unit.test_durability import write_protected

    db = tmp_path / "w.sqlite3"
    db.write_bytes(b"")
    lock = DatabaseLock(db)
    old = os.umask(0)
    try:
        assert lock.acquire()
    finally:
        os.umask(old)
    assert (tmp_path / "w.sqlite3.lock").stat().st_mode & 0o777 == 0o600
    lock.release()
    with write_protected(tmp_path):  # nothing can be created beside it, and nothing can change it
        assert DatabaseLock(db).acquire()
        assert not (tmp_path / "w.sqlite3.lock").exists()


def test_build_window_opens_the_database_and_shows_the_start_page(tmp_path: Path, qtbot) -> None:
    window = app_module.build_window(tmp_path / "new folder" / "w.sqlite3")
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.start_page
    assert (tmp_path / "new folder" / "w.sqlite3").exists()


def test_an_unusable_database_gives_one_message_and_exit_1(tmp_path: Path, qapp, monkeypatch) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database" * 10)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert app_module.run(bad) == 1
    assert len(shown) == 1 and "notes.sqlite3" in shown[0]


def _open_in_background(qtbot, path: Path, *, read_only: bool = False):
    """start_window, then wait for the opener's outcome: (window, opener, db or None)."""
    window, opener = app_module.start_window(path, app_module.Settings(), read_only=read_only)
    qtbot.addWidget(window)
    outcome: list[object] = []
    opener.opened.connect(outcome.append)
    opener.gave_up.connect(lambda: outcome.append(None))
    qtbot.waitUntil(lambda: bool(outcome), timeout=15000)
    return window, opener, outcome[0]


def test_the_window_is_painted_before_the_store_is_even_imported(tmp_path: Path) -> None:
    # In a fresh interpreter: at the first paint neither SQLAlchemy nor the
    # services are loaded, and the walkthroughs are listed just after; the walk
    # page's modules load after that, in the background.
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from walkthrough import app as app_module
        from walkthrough.gui.startup import after_first_paint

        from walkthrough.gui import settings as S

        app = app_module.make_application(["x"])
        settings = app_module.Settings()
        settings.set(S.SAMPLE_OFFERED, True)  # no first-run question to answer
        window, opener = app_module.start_window(Path(sys.argv[1]), settings)
        at_paint = []
        after_first_paint(window, lambda: at_paint.append(
            sorted(m for m in ("sqlalchemy", "walkthrough.services.walkthroughs", "reportlab", "pydantic")
                   if m in sys.modules)))
        at_listing = []
        opener.opened.connect(lambda db: at_listing.append("walkthrough.domain.lens" in sys.modules))
        # Then, while the list is read, what opening a walkthrough needs loads in the background.
        poll = QTimer()
        poll.timeout.connect(lambda: "walkthrough.gui.views.walk_page" in sys.modules and app.quit())
        poll.start(20)
        opener.gave_up.connect(lambda: app.exit(3))
        QTimer.singleShot(20000, lambda: app.exit(4))
        status = app.exec()
        print(at_paint, window.start_page.model.rowCount(), window.db is not None, at_listing)
        sys.exit(status)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "w.sqlite3")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "[[]] 0 True [False]", done.stdout


def test_a_damaged_database_offers_the_newest_good_backup_and_restores_it(tmp_path: Path, qtbot, monkeypatch,
                                                                          test_lens) -> None:
    from walkthrough.services.backups import back_up
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Kept safe", site="Here")
    backup = back_up(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\x00" * (4096 - 100)  # the first page's b-tree is gone
    data[4096:] = b"\xff" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: asked.append("CRITICAL " + text))
    window, _opener, db = _open_in_background(qtbot, path)
    assert asked and "damaged" in asked[0] and backup.name in asked[0], asked
    assert db is not None and window.db is db
    assert [window.start_page.model.index(0, 0).data()] == ["Kept safe"]
    db.close()


def test_declining_the_restore_gives_up_and_leaves_the_damaged_file_alone(tmp_path: Path, qtbot,
                                                                          monkeypatch, test_lens) -> None:
    from walkthrough.services.backups import back_up
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Kept safe", site="Here")
    back_up(path)
    path.write_bytes(path.read_bytes()[:100] + b"\x00" * 8000)
    damaged = path.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window, _opener, db = _open_in_background(qtbot, path)
    assert db is None and window.db is None
    assert path.read_bytes() == damaged


def test_a_database_that_cannot_be_written_can_be_opened_read_only(tmp_path: Path, qtbot, monkeypatch,
                                                                   test_lens) -> None:
    from walkthrough.domain.errors import DatabaseBusy
    from walkthrough.gui.startup import DatabaseOpener
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Look only", site="Here")
    calls: list[bool] = []
    real_open = DatabaseOpener._open

    def fake_open(self, read_only):
        calls.append(read_only)
        if not read_only:
            raise DatabaseBusy(f"{path}: in use by another program (database is locked); close it and try again")
        return real_open(self, read_only)

    asked: list[str] = []
    monkeypatch.setattr(DatabaseOpener, "_open", fake_open)
    monkeypatch.setattr(QMessageBox, "question", lambda p, t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    window, _opener, db = _open_in_background(qtbot, path)
    assert calls == [False, True]
    assert "in use by another program" in asked[0] and "read-only" in asked[0]
    assert db is not None and db.read_only and "read-only" in window.windowTitle()
    assert window.start_page.model.rowCount() == 1
    db.close()


def test_read_only_window_shows_the_walkthroughs_and_refuses_changes(tmp_path: Path, qtbot, test_lens) -> None:
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Look only", site="Here")
    before = path.read_bytes()
    window = app_module.build_window(path, read_only=True)
    qtbot.addWidget(window)
    assert "read-only" in window.windowTitle()
    assert window.start_page.model.rowCount() == 1
    window.open_walkthrough(window.start_page.current_id())
    assert "Look only" in window.windowTitle() and "read-only" in window.windowTitle()
    window.show_start_page()
    window.db.close()
    assert path.read_bytes() == before


def test_asked_read_only_the_app_opens_for_viewing_and_offers_nothing_that_writes(tmp_path: Path, qtbot,
                                                                                monkeypatch, test_lens) -> None:
    from walkthrough.services.backups import back_up
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Look only", site="Here")
    before = path.read_bytes()
    window, _opener, db = _open_in_background(qtbot, path, read_only=True)
    assert db is not None and db.read_only and "read-only" in window.windowTitle()
    assert window.start_page.model.rowCount() == 1
    db.close()
    assert path.read_bytes() == before
    # Damaged, and asked read-only: one message, no offer to restore (a restore writes).
    back_up(path)
    path.write_bytes(before[:100] + b"\x00" * 8000)
    damaged = path.read_bytes()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append("question") or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: asked.append("critical: " + text))
    _window, _opener, db = _open_in_background(qtbot, path, read_only=True)
    assert db is None and len(asked) == 1 and asked[0].startswith("critical: ")
    assert path.read_bytes() == damaged
    # In the window's words: the app's own way back, not the command line's.
    assert "damaged" in asked[0] and "Start Lens Walkthrough again" in asked[0]
    assert_no_command_syntax(asked[0])


def assert_no_command_syntax(text: str) -> None:
    """No option, no backquoted command, no ``walkthrough <command>`` in a message the window shows."""
    from walkthrough.cli import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert "--" not in text and "`" not in text, text
    assert not [c for c in commands if f"walkthrough {c}" in text], text


@pytest.mark.skipif(os.name != "posix", reason="write protection is made with chmod / chattr")
def test_a_write_protected_database_at_start_up_is_offered_read_only_in_the_windows_words(
        tmp_path: Path, qtbot, monkeypatch, test_lens) -> None:
    from tests.unit.test_durability import write_protected
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    stick = tmp_path / "USB STICK"
    path = stick / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Look only", site="Here")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda p, t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    with write_protected(path, stick):
        window, _opener, db = _open_in_background(qtbot, path)
        try:
            assert db is not None and db.read_only and window.start_page.model.rowCount() == 1
        finally:
            if db is not None:
                db.close()
    assert len(asked) == 1 and str(path) in asked[0]
    assert "copy it to a folder you can write to" in asked[0] and "Open it read-only" in asked[0]
    assert_no_command_syntax(asked[0])


def test_a_database_locked_by_another_program_at_start_up_is_told_in_the_windows_words(
        tmp_path: Path, qtbot, monkeypatch, test_lens) -> None:
    import sqlite3

    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage import database as database_module
    from walkthrough.storage.database import open_database

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        create_walkthrough(db, test_lens, service="Look only", site="Here")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE walkthrough SET site = site")
    other.execute("COMMIT")  # exclusive locking mode keeps the lock after the commit
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda p, t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.No)
    try:
        _window, _opener, db = _open_in_background(qtbot, path)
    finally:
        other.close()
    assert db is None and len(asked) == 1 and str(path) in asked[0]
    assert "Another program is using this walkthrough database" in asked[0]
    assert_no_command_syntax(asked[0])


def test_starting_in_the_background_reopens_the_walkthrough_and_area_left_open(tmp_path: Path, qtbot,
                                                                             test_lens) -> None:
    from walkthrough.gui import settings as S
    from walkthrough.services.walkthroughs import create_walkthrough
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        left_open = create_walkthrough(db, test_lens, service="Left open", site="Here").id
        create_walkthrough(db, test_lens, service="Newer", site="There")
    settings = app_module.Settings()  # the settings file of this test's WALKTHROUGH_HOME
    settings.set(S.LAST_WALKTHROUGH, left_open)
    settings.set(S.LAST_AREA, test_lens.areas[1].id)
    settings.sync()
    window, _opener, db = _open_in_background(qtbot, path)
    try:
        assert window.current is not None and window.current.id == left_open
        assert window.walk_page.area_id == test_lens.areas[1].id
        assert window.stack.currentWidget() is window.tabs
    finally:
        window.show_start_page()
        db.close()
