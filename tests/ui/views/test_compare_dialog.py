"""Compare with an earlier walk: choose it, then read what changed, prompt by prompt."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image


from PySide6.QtCore import Qt

from walkthrough.domain.comparison import Verdict
from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import Role
from walkthrough.gui.models.comparison_table_model import ComparisonColumn
from walkthrough.gui.views.compare_dialog import CompareDialog
from walkthrough.domain.vocabulary import ActionStatus, Voice
from walkthrough.services import actions, observations
from walkthrough.services.actions import NewAction
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.services.walkthroughs import create_walkthrough


def _walk(db, lens, service: str, day: int, team=()) -> str:
    return create_walkthrough(db, lens, service=service, site="Kirkwall", visit_date=dt.date(2026, 3, day),
                              participants=team).id


def _jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _rows(dialog: CompareDialog) -> list[tuple[str, ...]]:
    view = dialog.table.model()
    return [tuple(view.index(r, c).data() for c in ComparisonColumn) for r in range(view.rowCount())]


def test_the_earlier_walk_of_the_service_is_chosen_and_its_changes_shown_and_filtered(
        db, test_lens, qtbot, qtmodeltester) -> None:
    _walk(db, test_lens, "Shetland", 2)
    march = _walk(db, test_lens, "Orkney", 1)
    october = _walk(db, test_lens, "Orkney", 20)
    concern = observations.add_observation(db, march, NewObservation(
        "entrance", "priority-concern", "entrance-clear", voice=Voice.LIVED_EXPERIENCE, note="I got lost",
        photos=(prepare_photo(_jpeg("red"), "then.jpg"),)))
    actions.add_action(db, march, NewAction(text="Put up a sign", status=ActionStatus.DONE,
                                            observation_ids=(concern.id,)))
    observations.add_observation(db, march, NewObservation("letters", "working-well", "letters-plain"))
    observations.add_observation(db, october, NewObservation(
        "entrance", "working-well", "entrance-clear", photos=(prepare_photo(_jpeg("green"), "now.jpg"),)))
    observations.add_observation(db, october, NewObservation("reception", "could-be-better", "reception-privacy"))

    dialog = CompareDialog(db, october)
    qtbot.addWidget(dialog)
    dialog.show()
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.filter)
    qtmodeltester.check(dialog.concern_model)
    qtmodeltester.check(dialog.outcome_model)
    qtmodeltester.check(dialog.voice_model)
    qtmodeltester.check(dialog.photo_model)
    assert dialog.walk_choice.count() == 2
    assert dialog.walk_choice.currentData() == march and "Orkney" in dialog.walk_choice.currentText()
    assert _rows(dialog) == [
        ("Entrance", "Is it clear where to go?", "! Priority concern", "✓ Working well", "Improved"),
        ("Reception", "Can people speak without being overheard?", "Not observed", "~ Could be better",
         "Newly observed"),
        ("Letters and texts", "Are letters plain and kind?", "✓ Working well", "Not observed", "Not revisited"),
    ]
    assert dialog.summary.text().startswith("Improved 1, same 0, worse 0, newly observed 1, not revisited 1.")
    assert not dialog.caution.isVisible() and not dialog.lens_note.isVisible()

    # The walk list has the keyboard as it opens; the filter is its labelled neighbour (Alt+S).
    assert dialog.walk_choice.hasFocus() or dialog.focusWidget() is dialog.walk_choice
    dialog.verdict_choice.setCurrentIndex(dialog.verdict_choice.findData(Verdict.NOT_REVISITED.value))
    assert [row[1] for row in _rows(dialog)] == ["Are letters plain and kind?"]
    dialog.verdict_choice.setCurrentIndex(0)
    assert len(_rows(dialog)) == 3

    # The concern resolved, with its action; the action done, and the prompt it answers improved.
    assert [[dialog.concern_model.index(0, c).data() for c in range(4)]] == [
        ["Entrance", "Is it clear where to go?", "Resolved", "Put up a sign (Done; earlier walk's plan)"]]
    assert dialog.outcome_model.index(0, 3).data() == "Done, and improvement seen"
    assert dialog.tabs.tabText(1) == "Co&ncerns"
    assert [dialog.voice_model.index(0, c).data() for c in range(4)] == [
        "Then", "Entrance", "Is it clear where to go?", "I got lost"]
    assert dialog.photo_model.rowCount() == 1
    assert dialog.photo_model.index(0, 1).data().startswith("1 photo")  # "1 photo" once the catalogue has it
    before = dialog.photo_model.index(0, 1).data(Qt.ItemDataRole.DecorationRole)
    after = dialog.photo_model.index(0, 2).data(Qt.ItemDataRole.DecorationRole)
    assert not before.isNull() and not after.isNull()
    assert before.toImage().pixelColor(5, 5).red() > 200 and after.toImage().pixelColor(5, 5).green() > 100

    # Choosing the other service's walk compares with it instead.
    dialog.walk_choice.setCurrentIndex(1)
    assert [row[4] for row in _rows(dialog)] == ["Newly observed", "Newly observed"]


def test_a_different_team_brings_a_caution(db, test_lens, qtbot) -> None:
    march = _walk(db, test_lens, "Orkney", 1, [TeamMember("Sandy", Role.LIVED_EXPERIENCE),
                                                TeamMember("Jo", Role.STAFF)])
    october = _walk(db, test_lens, "Orkney", 20, [TeamMember("Ann", Role.STAFF)])
    dialog = CompareDialog(db, october)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.walk_choice.currentData() == march
    assert dialog.caution.isVisible()
    assert "2 then, 1 now" in dialog.caution.text() and "less comparable" in dialog.caution.text()


def test_with_no_earlier_walk_it_says_so(db, test_lens, qtbot) -> None:
    only = _walk(db, test_lens, "Orkney", 1)
    _walk(db, test_lens, "Orkney", 20)  # a later walk is compared from the later walk
    dialog = CompareDialog(db, only)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 0 and not dialog.walk_choice.isEnabled()
    assert "no earlier walkthrough" in dialog.summary.text()


def test_the_window_opens_it_from_the_file_menu(db, test_lens, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from walkthrough.gui.main_window import MainWindow
    from walkthrough.gui.settings import Settings

    _walk(db, test_lens, "Orkney", 1)
    october = _walk(db, test_lens, "Orkney", 20)
    window = MainWindow(db, Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    assert not window.compare_command.isEnabled()
    window.open_walkthrough(october)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.compare_command in file_menu.actions()
    assert "&m" in window.compare_command.text().lower()  # Alt+F, M
    window.compare_command.trigger()
    dialog = window.compare_dialog
    assert isinstance(dialog, CompareDialog) and dialog.isVisible()
    assert dialog.walk_choice.count() == 1
    dialog.close()


def test_the_journey_tab_shows_each_area_s_stage_at_each_walk_of_the_service(db, test_lens, qtbot,
                                                                           qtmodeltester) -> None:
    team = (TeamMember("Sandy", Role.LIVED_EXPERIENCE), TeamMember("Jo", Role.STAFF))
    march = _walk(db, test_lens, "Orkney", 1, team)
    october = _walk(db, test_lens, "Orkney", 20, team)
    _walk(db, test_lens, "Shetland", 2, team)  # another service: not in this journey
    concern = observations.add_observation(db, march, NewObservation("entrance", "priority-concern",
                                                                     "entrance-clear", note="I got lost"))
    actions.add_action(db, march, NewAction(text="Put up a sign", status=ActionStatus.DONE,
                                            observation_ids=(concern.id,)))
    observations.add_observation(db, october, NewObservation("entrance", "working-well", "entrance-clear"))

    dialog = CompareDialog(db, october)
    qtbot.addWidget(dialog)
    model = dialog.journey_model
    with qtbot.waitSignal(dialog.journey_task.finished, timeout=10000):
        pass  # read off the GUI thread
    qtmodeltester.check(model)
    assert dialog.tabs.tabText(5) == "&Journey"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Area", "01 Mar 2026", "20 Mar 2026", "Where it stands"]
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows[0] == ["Entrance", "4", "5", "Every action done, and this walk shows improvement (1 of 1 action done)"]
    assert rows[1][:3] == ["Reception", "1", "1"] and rows[1][3] == "Nothing recorded there"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "4 Some done — Every action done; a follow-up walk has yet to show improvement")
