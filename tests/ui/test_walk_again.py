"""Walks grouped by service on the start page, and Walk again: by button, by the File menu, by keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCompleter, QMessageBox

from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Role
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.models.walkthrough_list_model import WalkthroughIdRole, WalkthroughListModel
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog
from walkthrough.services import actions, services, walkthroughs
from walkthrough.services.lens_catalog import LensCatalog


def _plural(text: str) -> str:
    """English plurals (of counts other than one) as they read once the lead refreshes the catalogues:
    until then Qt shows the new strings as written ("%n open action(s)")."""
    return text.replace("(s)", "s")


@pytest.fixture
def window(db, tmp_path: Path, qtbot, monkeypatch) -> MainWindow:
    for kind in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, **k: QMessageBox.StandardButton.Ok)
    w = MainWindow(db, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _walks(db, test_lens):
    march = walkthroughs.create_walkthrough(db, test_lens, service="Harbour", site="Leith",
                                           visit_date=dt.date(2026, 3, 1), facilitators=["Ana"],
                                           participants=[TeamMember("Lee", Role.LIVED_EXPERIENCE)])
    other = walkthroughs.create_walkthrough(db, test_lens, service="Orkney", site="Kirkwall",
                                           visit_date=dt.date(2026, 6, 1))
    october = walkthroughs.create_walkthrough(db, test_lens, service="harbour", site="Leith",
                                             visit_date=dt.date(2026, 10, 1))
    actions.add_action(db, march.id, actions.NewAction("Fix the door"))
    actions.add_action(db, march.id, actions.NewAction("Plain letters"))
    done = actions.add_action(db, october.id, actions.NewAction("Sign the way in"))
    actions.update_action(db, done.id, status=ActionStatus.DONE)
    return march, other, october


def test_the_list_groups_walks_by_service_newest_first_with_the_services_open_actions(db, test_lens,
                                                                                      qtmodeltester) -> None:
    march, other, october = _walks(db, test_lens)
    model = WalkthroughListModel()
    model.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    qtmodeltester.check(model)
    ids = [model.index(row, 0).data(WalkthroughIdRole) for row in range(model.rowCount())]
    assert ids == [october.id, march.id, other.id]  # Harbour (walked in October) first, its walks newest first
    assert _plural(model.index(0, 0).data()) == "Harbour\n2 open actions"  # the service's, over its walks
    assert model.index(1, 0).data() == "Harbour"
    assert model.index(2, 0).data() == "Orkney"  # none open: nothing said


def test_walk_again_from_the_start_page_opens_the_follow_up_with_the_open_actions_in_view(
        window, db, test_lens, qtbot, monkeypatch) -> None:
    march, _, _ = _walks(db, test_lens)
    monkeypatch.setattr("walkthrough.services.lens_catalog.load_catalog", lambda *a: LensCatalog((), ()))
    window.show_start_page()
    page = window.start_page
    assert page.select(march.id)
    assert page.walk_again_button.isEnabled() and window.walk_again_command.isEnabled()
    assert window.walk_again_command.shortcut() == QKeySequence("Ctrl+Shift+W")
    assert window.walk_again_command in window.menuBar().actions()[0].menu().actions()
    page.walk_again_button.click()
    again = window.current.record
    assert (again.follows_id, again.service_id, again.site, again.facilitators) == (
        march.id, march.service_id, "Leith", ("Ana",))
    panel = window.walk_page.previous_actions
    assert not panel.isHidden() and _plural(panel.toggle.text()) == "2 open actions from the last walk"
    assert panel.list.isHidden()
    panel.toggle.click()  # unfolds
    assert panel.list.text().splitlines() == ["• Fix the door (Not started)", "• Plain letters (Not started)"]
    # Walking again from the open walk, by keyboard: the follow-up of the follow-up has nothing left open.
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+W"))
    assert window.current.record.follows_id == again.id
    assert window.walk_page.previous_actions.isHidden()
    assert [s.walk_count for s in services.list_services(db) if s.id == march.service_id] == [4]


def test_walk_again_is_off_without_a_chosen_walk_and_on_a_read_only_database(window, db, test_lens) -> None:
    window.show_start_page()
    assert not window.walk_again_command.isEnabled() and not window.start_page.walk_again_button.isEnabled()
    _walks(db, test_lens)
    window.show_start_page()
    window.start_page.set_read_only(True)
    assert not window.start_page.walk_again_button.isEnabled()


def test_the_new_walkthrough_dialog_offers_the_services_there_are(db, test_lens, qtbot) -> None:
    _walks(db, test_lens)
    names = [s.name for s in services.list_services(db)]
    form = NewWalkthroughDialog(LensCatalog((), ()), services=names)
    qtbot.addWidget(form.dialog)
    completer = form.service.completer()
    assert isinstance(completer, QCompleter)
    completer.setCompletionPrefix("har")
    assert completer.currentCompletion() == "Harbour"
    assert completer.caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive
