"""Starting the app: composition, one copy per database, first-run offer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from walkthrough import app as app_module
from walkthrough.gui.database_lock import DatabaseLock


def test_a_second_copy_on_the_same_database_is_told_and_does_not_open(tmp_path: Path, qapp, monkeypatch) -> None:
    db = tmp_path / "w.sqlite3"
    first = DatabaseLock(db)
    assert first.acquire()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(app_module, "build_window", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    assert app_module.run(db) == 1
    assert told and "already open" in told[0] and str(db) in told[0]
    first.release()
    assert DatabaseLock(db).acquire()  # free again once the first copy has gone


def test_different_databases_do_not_block_each_other(tmp_path: Path, qapp) -> None:
    assert DatabaseLock(tmp_path / "a.sqlite3").acquire()
    assert DatabaseLock(tmp_path / "b.sqlite3").acquire()


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


def test_a_damaged_database_offers_the_newest_good_backup_and_restores_it(tmp_path: Path, qapp, monkeypatch,
                                                                          test_lens) -> None:
    from walkthrough.services.backups import back_up
    from walkthrough.services.walkthroughs import create_walkthrough, list_walkthroughs
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
    window = app_module.open_window(path, app_module.Settings())
    assert asked and "damaged" in asked[0] and backup.name in asked[0], asked
    assert window is not None
    assert [w.service for w in list_walkthroughs(window.db)] == ["Kept safe"]
    window.db.close()
    window.deleteLater()


def test_a_database_that_cannot_be_written_can_be_opened_read_only(tmp_path: Path, qapp, monkeypatch,
                                                                   test_lens) -> None:
    from walkthrough.domain.errors import DatabaseBusy

    calls: list[bool] = []

    def fake_build(path, settings=None, *, read_only=False):
        calls.append(read_only)
        if not read_only:
            raise DatabaseBusy(f"{path}: in use by another program (database is locked); close it and try again")
        return "window opened read-only"

    monkeypatch.setattr(app_module, "build_window", fake_build)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert app_module.open_window(tmp_path / "w.sqlite3", app_module.Settings()) == "window opened read-only"
    assert calls == [False, True]


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
