"""The differences dialog: one difference at a time, its values side by side, decided by a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from walkthrough.domain.merge import KEPT_OR_DELETED
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.differences_dialog import DifferencesDialog, marked_words
from walkthrough.services import exchange, history, observations
from walkthrough.services.differences import list_differences
from walkthrough.services.observations import NewObservation
from walkthrough.services.walkthroughs import create_walkthrough
from walkthrough.storage.database import open_database


@pytest.fixture
def apart(db, test_lens, tmp_path: Path):
    """A walkthrough on two laptops; then a note written differently on each, and one deleted on the other
    while changed here.  Returns (walkthrough id, the noted observation, the deleted one)."""
    other = open_database(tmp_path / "aisha.sqlite3")
    history.set_device(other, name="Aisha's laptop", person="Aisha")
    w = create_walkthrough(db, test_lens, service="S", site="T")
    noted = observations.add_observation(db, w.id, NewObservation("entrance", "working-well", note="a clear sign"))
    gone = observations.add_observation(db, w.id, NewObservation("reception", None, note="noisy"))
    exchange.share_walkthrough(db, w.id, tmp_path / "join.lwpkg")
    exchange.receive_package(other, tmp_path / "join.lwpkg")
    observations.update_observation(db, noted.id, note="a clear sign by the door")
    observations.update_observation(other, noted.id, note="a faded sign by the door")
    observations.update_observation(db, gone.id, note="noisy but kind")
    observations.delete_observation(other, gone.id)
    exchange.send_changes(other, w.id, tmp_path / "b.lwpkg")
    assert exchange.receive_package(db, tmp_path / "b.lwpkg").to_decide == 2
    other.close()
    return w.id, noted.id, gone.id


def test_the_words_that_differ_are_marked_and_the_rest_left_as_written() -> None:
    html = marked_words("a faded sign by the <door>", "a clear sign by the <door>")
    assert html.count("<span") == 1 and ">faded</span>" in html and "&lt;door&gt;" in html
    assert marked_words("same words", "same words") == "same words"


def test_each_difference_is_decided_in_turn_and_the_walkthrough_shows_the_choice(db, apart, qtbot, qtmodeltester):
    wid, noted, gone = apart
    ow = OpenWalkthrough(db, wid)
    dialog = DifferencesDialog(db, wid, ow.lens, None, ow)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    dialog.decided.connect(lambda _id: ow.reload())
    dialog.show()
    assert dialog.model.rowCount() == 2 and dialog.position.text() == "1 of 2"
    first = dialog.current()
    by_field = {d.field: d for d in list_differences(db, wid)}
    assert set(by_field) == {"note", KEPT_OR_DELETED}

    if first.field == "note":
        self_check_note(dialog, ow, noted, qtbot)
        self_check_kept(dialog, ow, gone)
    else:
        self_check_kept(dialog, ow, gone)
        self_check_note(dialog, ow, noted, qtbot)
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisibleTo(dialog)
    assert list_differences(db, wid) == []


def self_check_note(dialog, ow, noted, qtbot) -> None:
    assert dialog.question.text() == "Two people wrote different notes here. Which should the report use?"
    headers = " ".join(b.accessibleName() for b in dialog.keep_buttons)
    assert "Aisha's laptop (Aisha)" in headers
    assert dialog.write_button.isVisibleTo(dialog)
    dialog.write_new_value("a sign by the door, clear on one side and faded on the other")
    assert ow.observation(noted).note == "a sign by the door, clear on one side and faded on the other"


def self_check_kept(dialog, ow, gone) -> None:
    assert "deleted this while another changed it" in dialog.question.text()
    assert sorted(b.text() for b in dialog.keep_buttons) == ["&Delete it", "&Keep it"]
    assert not dialog.write_button.isVisibleTo(dialog)
    assert ow.observation(gone) is not None  # it stays until someone decides
    next(b for b in dialog.keep_buttons if b.text() == "&Delete it").click()
    assert ow.observation(gone) is None


def test_by_keyboard_each_value_has_its_own_alt_key_and_escape_closes(db, apart, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    wid, _noted, _gone = apart
    ow = OpenWalkthrough(db, wid)
    dialog = DifferencesDialog(db, wid, ow.lens, None, ow)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    assert dialog.focusWidget() is dialog.list  # Up and Down go from one difference to the next
    keys = {QKeySequence.mnemonic(b.text()).toString() for b in dialog.keep_buttons}
    assert keys in ({"Alt+1", "Alt+2"}, {"Alt+K", "Alt+D"})
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.position.text() == "2 of 2"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
