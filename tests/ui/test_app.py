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
