"""File → Share, Send, Bring in changes, in the window: two laptops (two databases), one walkthrough."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.package_dialog import PackageDialog, on_removable_drive
from walkthrough.services import exchange, history, observations
from walkthrough.services.observations import NewObservation
from walkthrough.services.walkthroughs import create_walkthrough
from walkthrough.storage import package_file
from walkthrough.storage.database import open_database


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


@pytest.fixture
def warnings(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


@pytest.fixture
def aisha(tmp_path: Path):
    """The other laptop: Aisha's."""
    other = open_database(tmp_path / "aisha.sqlite3")
    history.set_device(other, name="Aisha's laptop", person="Aisha")
    yield other
    other.close()


@pytest.fixture
def window(db, tmp_path, qtbot, warnings) -> MainWindow:
    w = MainWindow(db, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    return w


class Answers:
    """What the person answers while a package comes in: passphrases in turn, Bring in, and the offers."""

    def __init__(self, window: MainWindow, monkeypatch, passphrases=(), bring_in=True, offers=True) -> None:
        self.passphrases = list(passphrases)
        self.asked: list[bool] = []
        self.summaries: list[str] = []
        self.offered: list[str] = []
        monkeypatch.setattr(window.team, "ask_passphrase", self._passphrase)
        monkeypatch.setattr(window.team, "confirm", lambda summary: self.summaries.append(summary) or bring_in)
        monkeypatch.setattr(window.team, "offer", lambda text, yes: self.offered.append(text) or offers)

    def _passphrase(self, path, wrong):
        self.asked.append(wrong)
        return self.passphrases.pop(0) if self.passphrases else None


def shared_by_aisha(aisha, test_lens, tmp_path, passphrase=None):
    w = create_walkthrough(aisha, test_lens, service="Orkney Recovery", site="Kirkwall")
    first = observations.add_observation(aisha, w.id, NewObservation("entrance", "working-well", note="before"))
    path = tmp_path / "join.lwpkg"
    exchange.share_walkthrough(aisha, w.id, path, passphrase=passphrase)
    return w.id, first.id, path


def test_a_sealed_shared_walkthrough_asks_for_its_passphrase_again_after_a_wrong_one_then_opens(
        window, aisha, test_lens, tmp_path, qtbot, monkeypatch, warnings) -> None:
    wid, first, path = shared_by_aisha(aisha, test_lens, tmp_path, passphrase="correct horse")
    answers = Answers(window, monkeypatch, passphrases=["wrong", "correct horse"])
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    assert answers.asked == [False, True]  # sealed; then "that is not the passphrase"
    [summary] = answers.summaries
    assert summary.startswith("A walkthrough not on this laptop yet. From Aisha's laptop (Aisha): ")
    assert "new" in summary and "to decide" not in summary
    assert window.current.id == wid and window.current.observation(first).note == "before"
    assert window.statusBar().currentMessage().startswith("Added the shared walkthrough. From Aisha")
    assert not warnings


def test_changes_brought_in_show_in_the_open_walkthrough_and_a_difference_is_decided_in_the_dialog(
        window, aisha, test_lens, tmp_path, qtbot, monkeypatch, warnings) -> None:
    wid, first, path = shared_by_aisha(aisha, test_lens, tmp_path)
    answers = Answers(window, monkeypatch, offers=True)
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)

    # Both write a note for the same observation, apart; Aisha also records another.
    assert window.current.edit_observation(first, note="The sign by the door is clear and friendly")
    observations.update_observation(aisha, first, note="The sign by the door is small and faded")
    added = observations.add_observation(aisha, wid, NewObservation("reception", "could-be-better", note="Noisy"))
    exchange.send_changes(aisha, wid, tmp_path / "from-aisha.lwpkg")
    answers.offers = False
    monkeypatch.setattr(window.team, "offer", lambda text, yes: answers.offered.append(text) or False)
    window.team.last_received = None
    window.team.bring_in(tmp_path / "from-aisha.lwpkg")
    qtbot.waitUntil(lambda: window.team.last_received is not None, timeout=20000)
    # ("(s)" until the English catalogue has this sentence's plural forms.)
    assert answers.summaries[-1].replace("(s)", "") == (
        "From Aisha's laptop (Aisha): 1 new item, 1 item changed — 1 difference to decide.")
    assert "1 difference" in answers.offered[-1]
    # The open walkthrough was read again: the new observation is on screen, without reopening it.
    assert window.current.observation(added.id) is not None
    assert window.update_differences_count() == 1
    assert window.differences_command.text() == "D&ifferences to decide (1)…"
    # The Walk page counts it on the area and on the observation.
    from walkthrough.gui.models.area_tree_model import DifferenceCountRole

    walk = window.walk_page
    walk.show_area("entrance")
    entrance = walk.areas.index_of_area("entrance")
    assert entrance.data(DifferenceCountRole) == 1 and entrance.data().endswith("≠1")
    assert walk.areas.index_of_area("reception").data(DifferenceCountRole) == 0

    def editor_of_first():
        return next((e for c in walk.cards() for e in c.editors if e.observation_id == first), None)

    qtbot.waitUntil(lambda: editor_of_first() is not None, timeout=10000)
    assert editor_of_first().differences_label.isVisibleTo(editor_of_first())
    assert editor_of_first().differences_label.text().startswith("1 difference")
    # Exporting the report says so first (the report itself shows the interim value).
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog

    told: list[int] = []
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(
        lambda cls, *a, open_differences=0, **k: told.append(open_differences)))
    window.report_command.trigger()
    assert told == [1]

    dialog = window.show_differences()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.question.text() == "Two people wrote different notes here. Which should the report use?"
    assert "Entrance" in dialog.where.text() and "note" in dialog.where.text()
    assert len(dialog.keep_buttons) == 2 and dialog.write_button.isVisible()
    shown = [dialog.shown_value(dialog.current(), c) for c in dialog.current().candidates]
    assert sorted(shown) == ["The sign by the door is clear and friendly", "The sign by the door is small and faded"]
    keep = shown.index("The sign by the door is small and faded") + 1
    dialog.keep_buttons[keep - 1].click()
    assert window.current.observation(first).note == "The sign by the door is small and faded"
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisibleTo(dialog)
    assert window.update_differences_count() == 0
    window.report_command.trigger()
    assert told == [1, 0]
    assert entrance.data(DifferenceCountRole) == 0 and "≠" not in entrance.data()
    qtbot.waitUntil(lambda: editor_of_first() is not None, timeout=10000)
    assert not editor_of_first().differences_label.isVisibleTo(editor_of_first())
    assert not warnings


def test_the_same_package_twice_says_nothing_new_and_changes_nothing(window, aisha, test_lens, tmp_path, qtbot,
                                                                      monkeypatch) -> None:
    wid, _first, path = shared_by_aisha(aisha, test_lens, tmp_path)
    answers = Answers(window, monkeypatch)
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    window.team.last_received = None
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.team.last_received is not None, timeout=20000)
    assert window.team.last_received.nothing_new and len(answers.summaries) == 1  # not asked: nothing to bring
    assert "nothing new" in window.team.last_summary


def test_cancelling_the_summary_brings_nothing_in(window, aisha, test_lens, tmp_path, qtbot, monkeypatch,
                                                 db) -> None:
    _wid, _first, path = shared_by_aisha(aisha, test_lens, tmp_path)
    answers = Answers(window, monkeypatch, bring_in=False)
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: bool(answers.summaries), timeout=20000)
    qtbot.wait(200)
    from walkthrough.services.walkthroughs import list_walkthroughs

    assert list_walkthroughs(db) == [] and window.current is None


def test_a_package_that_is_not_one_is_refused_in_one_sentence(window, tmp_path, qtbot, monkeypatch,
                                                              warnings) -> None:
    Answers(window, monkeypatch)
    bad = tmp_path / "holiday.lwpkg"
    bad.write_bytes(b"not a package at all")
    window.team.bring_in(bad)
    qtbot.waitUntil(lambda: bool(warnings), timeout=20000)
    assert warnings == [("Nothing brought in", "“holiday.lwpkg” is not a Lens Walkthrough package. "
                                                "Nothing was changed.")]


def test_sharing_and_sending_from_the_window_write_packages_the_other_laptop_brings_in(
        window, db, aisha, walkthrough_id, tmp_path, qtbot) -> None:
    window.open_walkthrough(walkthrough_id)
    window.current.add_observation(NewObservation("entrance", "working-well", note="Clear"))
    window.team.share(tmp_path / "shared.lwpkg", passphrase="tea")
    qtbot.waitUntil(lambda: (tmp_path / "shared.lwpkg").exists(), timeout=20000)
    qtbot.waitUntil(lambda: "sealed" in window.statusBar().currentMessage(), timeout=5000)
    assert exchange.receive_package(aisha, tmp_path / "shared.lwpkg", passphrase="tea").joined
    window.current.add_observation(NewObservation("reception", None, note="Quiet"))
    window.team.send(tmp_path / "changes.lwpkg")
    qtbot.waitUntil(lambda: (tmp_path / "changes.lwpkg").exists(), timeout=20000)
    assert exchange.receive_package(aisha, tmp_path / "changes.lwpkg").new == 1


def test_the_package_dialog_wants_the_passphrase_twice_and_suggests_sealing_on_a_removable_drive(qtbot) -> None:
    assert on_removable_drive(Path("/media/morag/STICK/a.lwpkg"))
    assert on_removable_drive(Path("/run/media/morag/STICK/a.lwpkg"))
    assert not on_removable_drive(Path("/home/morag/a.lwpkg"))
    dialog = PackageDialog(Path("/media/morag/STICK/a.lwpkg"), [("id-1", "Aisha's laptop (Aisha)")])
    qtbot.addWidget(dialog)
    assert dialog.seal.isChecked() and "removable drive" in dialog.hint.text()
    dialog.passphrase.setText("one")
    dialog.repeat.setText("two")
    dialog.buttons.accepted.emit()
    assert dialog.result() != dialog.DialogCode.Accepted and "not the same" in dialog.problem.text()
    dialog.repeat.setText("one")
    dialog.laptop.setCurrentIndex(1)
    dialog.buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.choices().passphrase == "one" and dialog.choices().to == "id-1"
    plain = PackageDialog(Path("/home/morag/a.lwpkg"), None)
    qtbot.addWidget(plain)
    assert not plain.seal.isChecked() and plain.laptop is None and plain.choices().passphrase is None


def test_opening_the_edit_menu_counts_the_differences_off_the_gui_thread(window, aisha, test_lens, tmp_path, qtbot,
                                                                         monkeypatch) -> None:
    wid, first, path = shared_by_aisha(aisha, test_lens, tmp_path)
    Answers(window, monkeypatch, offers=True)
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    window.current.edit_observation(first, note="here")
    observations.update_observation(aisha, first, note="there")
    exchange.send_changes(aisha, wid, tmp_path / "b.lwpkg")
    exchange.receive_package(window.db, tmp_path / "b.lwpkg")  # brought in outside the window: not counted yet
    assert window.differences_command.text() == "D&ifferences to decide…"
    edit_menu = window.menuBar().actions()[1].menu()
    edit_menu.aboutToShow.emit()
    qtbot.waitUntil(lambda: window.differences_command.text() == "D&ifferences to decide (1)…", timeout=10000)


def test_the_start_page_says_how_many_differences_each_walkthrough_has_to_decide(window, aisha, test_lens, tmp_path,
                                                                                qtbot, monkeypatch) -> None:
    wid, first, path = shared_by_aisha(aisha, test_lens, tmp_path)
    Answers(window, monkeypatch, offers=True)
    window.team.bring_in(path)
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    window.current.edit_observation(first, note="here")
    observations.update_observation(aisha, first, note="there")
    exchange.send_changes(aisha, wid, tmp_path / "b.lwpkg")
    exchange.receive_package(window.db, tmp_path / "b.lwpkg")
    window.show_start_page()
    progress = window.start_page.model.COLUMNS.index("progress")
    shown = lambda: window.start_page.model.index(0, progress).data()  # noqa: E731
    qtbot.waitUntil(lambda: "to decide" in shown(), timeout=10000)
    assert shown().replace("(s)", "").endswith("; 1 difference to decide")


def test_this_laptop_names_the_device_that_packages_and_review_show(window, db, aisha, test_lens, tmp_path,
                                                                    monkeypatch) -> None:
    from walkthrough.gui.views.device_dialog import DeviceDialog, DeviceNames

    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(DeviceDialog, "ask", classmethod(
        lambda cls, name, person, parent: asked.append((name, person)) or DeviceNames("Front desk laptop", "Morven")))
    before = history.this_device(db)
    assert window.this_laptop_command.isEnabled()
    window.this_laptop_command.trigger()
    assert asked == [(before.name, before.person)]
    now = history.this_device(db)
    assert (now.id, now.name, now.person) == (before.id, "Front desk laptop", "Morven")
    assert "Morven (Front desk laptop)" in window.statusBar().currentMessage()

    # The next package names it so on the other laptop.
    w = create_walkthrough(db, test_lens, service="Orkney Recovery", site="Kirkwall")
    exchange.share_walkthrough(db, w.id, tmp_path / "join.lwpkg")
    received = exchange.receive_package(aisha, tmp_path / "join.lwpkg")
    assert (received.sender, received.sender_person) == ("Front desk laptop", "Morven")

    # Cancelled: nothing changes.
    monkeypatch.setattr(DeviceDialog, "ask", classmethod(lambda cls, name, person, parent: None))
    window.this_laptop_command.trigger()
    assert history.this_device(db).name == "Front desk laptop"
