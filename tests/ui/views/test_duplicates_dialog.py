"""Possible duplicates in the window: Review's button, the pair side by side, merged only when asked, undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.duplicates_dialog import DuplicatesDialog
from walkthrough.gui.views.review_page import ReviewPage
from walkthrough.services import exchange, observations, walkthroughs
from walkthrough.services.history import set_device
from walkthrough.services.observations import NewObservation
from walkthrough.storage import package_file
from walkthrough.storage.database import open_database


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


@pytest.fixture
def team(test_lens, tmp_path: Path, qapp):
    """Morven's laptop, holding its own note and Aisha's alike one at the same prompt."""
    with open_database(tmp_path / "a.sqlite3") as a, open_database(tmp_path / "b.sqlite3") as b:
        set_device(a, name="Front desk laptop", person="Morven")
        set_device(b, name="Aisha's laptop", person="Aisha")
        w = walkthroughs.create_walkthrough(a, test_lens, service="S", site="T")
        exchange.share_walkthrough(a, w.id, tmp_path / "join.lwpkg")
        exchange.receive_package(b, tmp_path / "join.lwpkg")
        mine = observations.add_observation(a, w.id, NewObservation(
            "entrance", None, "entrance-clear", (), "The sign by the door is small and faded"))
        theirs = observations.add_observation(b, w.id, NewObservation(
            "entrance", None, "entrance-clear", (), "Sign by the door: faded and small"))
        exchange.send_changes(b, w.id, tmp_path / "b.lwpkg")
        exchange.receive_package(a, tmp_path / "b.lwpkg")
        yield OpenWalkthrough(a, w.id), mine.id, theirs.id


def test_a_pair_is_shown_side_by_side_and_merged_only_when_asked_then_undone(team, qtbot) -> None:
    open_wt, mine, theirs = team
    page = ReviewPage(open_wt)
    qtbot.addWidget(page)
    assert page.duplicates_button.isVisibleTo(page)  # two laptops recorded

    dialog = DuplicatesDialog(open_wt)
    qtbot.addWidget(dialog)
    pair = dialog.current()
    assert pair is not None and (pair.first_id, pair.second_id) == (mine, theirs)
    assert [n.toPlainText() for n in dialog.notes] == ["The sign by the door is small and faded",
                                                        "Sign by the door: faded and small"]
    assert dialog.authors[0].text().startswith("Morven") and dialog.authors[1].text().startswith("Aisha")
    dialog.skip_button.click()  # not the same: left as they are
    assert dialog.current() is None and dialog.empty.isVisibleTo(dialog)
    assert {o.id for o in open_wt.observations()} == {mine, theirs}

    again = DuplicatesDialog(open_wt)
    qtbot.addWidget(again)
    with qtbot.waitSignal(open_wt.changed):
        again.merge_button.click()
    assert [o.id for o in open_wt.observations()] == [mine]
    assert open_wt.observation(mine).note.startswith("Morven: The sign") and "Aisha: Sign by" in \
        open_wt.observation(mine).note
    assert again.current() is None
    assert open_wt.undo_stack.undoText() == "Merge observations"
    open_wt.undo_stack.undo()
    assert {o.id for o in open_wt.observations()} == {mine, theirs}
    assert open_wt.observation(mine).note == "The sign by the door is small and faded"
