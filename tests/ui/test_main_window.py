"""The whole window as a facilitator meets it: start, new walkthrough, walk, review, plan, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import Role
from walkthrough.gui import settings as S
from walkthrough.gui.main_window import MainWindow
from walkthrough.gui.settings import Settings
from walkthrough.gui.views.new_walkthrough_dialog import NewWalkthroughDialog, WalkthroughDetails
from walkthrough.services import observations as observation_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.lens_catalog import load_catalog


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(db, settings, qtbot) -> MainWindow:
    w = MainWindow(db, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes answer themselves (and are recorded) so no test blocks."""
    shown: list[tuple[str, str]] = []

    def record(answer):
        def box(parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return answer
        return box

    monkeypatch.setattr(QMessageBox, "warning", record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record(QMessageBox.StandardButton.Close))
    monkeypatch.setattr(QMessageBox, "question", record(QMessageBox.StandardButton.Yes))
    return shown


def details(**overrides) -> WalkthroughDetails:
    values = dict(
        lens=load_catalog().get("substance-use").lens,
        service="Orkney Recovery Service",
        site="Kirkwall",
        visit_date=dt.date(2026, 11, 3),
        facilitators=("Morag Flett",),
        participants=(TeamMember("Sandy", Role.LIVED_EXPERIENCE),),
    )
    values.update(overrides)
    return WalkthroughDetails(**values)


def open_sample(window, qtbot) -> None:
    """Click "Open the sample walkthrough" and wait for it to be created off the GUI thread."""
    window.start_page.sample_button.click()
    with qtbot.waitSignal(window.last_task.finished, timeout=60000):
        pass
    assert window.current is not None


def test_first_run_shows_an_empty_start_page_with_new_and_sample(window) -> None:
    assert window.stack.currentWidget() is window.start_page
    assert window.start_page.empty.isVisible()
    assert not window.report_command.isEnabled()


def test_a_new_walkthrough_opens_in_walk_mode(window, monkeypatch, settings) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    assert window.walk_page is not None and window.walk_page.area_id == "approach"
    assert "Orkney Recovery Service" in window.windowTitle()
    assert settings.get(S.FACILITATOR_NAME) == "Morag Flett"
    assert window.report_command.isEnabled()
    [row] = walkthrough_service.list_walkthroughs(window.db)
    assert row.service == "Orkney Recovery Service"


def test_a_cancelled_new_walkthrough_changes_nothing(window, monkeypatch) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: None))
    window.new_walkthrough_command.trigger()
    assert walkthrough_service.list_walkthroughs(window.db) == []
    assert window.stack.currentWidget() is window.start_page


def test_walk_three_areas_rate_annotate_and_undo_a_deletion(window, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    wt = window.current
    for rating in ("working-well", "could-be-better", "priority-concern"):
        editor = window.walk_page.cards()[0].first_editor()
        editor.rate(rating)
        qtbot.keyClicks(editor.note, f"Note for {window.walk_page.area_id}")
        window.next_area_command.trigger()  # flushes the note
    stored = observation_service.list_observations(window.db, wt.id)
    assert [(o.area_id, o.rating_id, o.note) for o in stored] == [
        ("approach", "working-well", "Note for approach"),
        ("entrance", "could-be-better", "Note for entrance"),
        ("reception", "priority-concern", "Note for reception"),
    ]
    wt.delete_observation(stored[1].id)
    assert len(observation_service.list_observations(window.db, wt.id)) == 2
    window.undo_command.trigger()
    assert len(observation_service.list_observations(window.db, wt.id)) == 3
    assert "Saved" in window.saved_label.text()


def test_the_sample_opens_and_review_and_plan_show_it(window, qtbot) -> None:
    open_sample(window, qtbot)
    assert window.current is not None
    assert len(window.current.observations()) >= 30
    window.review_tab_command.trigger()
    assert window.tabs.currentWidget() is window.review_page
    window.find_command.trigger()
    window.plan_tab_command.trigger()
    assert window.tabs.currentWidget() is window.plan_page


def test_review_makes_one_action_from_several_selected_findings(window, qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from walkthrough.gui.views.action_dialog import ActionDialog
    from walkthrough.services.actions import NewAction

    open_sample(window, qtbot)
    window.review_tab_command.trigger()
    review = window.review_page
    table = review.table_view
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    table.clearSelection()
    for row in (3, 1):  # picked out of order, with Ctrl
        table.selectionModel().select(table.model().index(row, 0), flags)
    chosen = review.selected_observation_ids()
    assert len(chosen) == 2 and chosen[0] == table.model().index(1, 0).data(
        review.source_model.ObservationIdRole)
    asked: list[tuple[str, ...]] = []

    def fake_ask(parent, open_walkthrough, *, action=None, preselected_observation_ids=()):
        asked.append(tuple(preselected_observation_ids))
        return NewAction("Quiet room for first visits", owner="Team lead",
                         observation_ids=tuple(preselected_observation_ids))

    monkeypatch.setattr(ActionDialog, "ask", staticmethod(fake_ask))
    # A shortcut needs the active window; the sample's progress window, when it showed, took that away.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert asked == [tuple(chosen)]
    assert window.tabs.currentWidget() is window.plan_page
    made = [a for a in window.current.actions() if a.text == "Quiet room for first visits"]
    assert len(made) == 1 and set(made[0].observation_ids) == set(chosen)
    window.undo_command.trigger()
    assert not [a for a in window.current.actions() if a.text == "Quiet room for first visits"]


def test_the_presentation_makes_an_action_for_the_finding_on_screen(window, qtbot, monkeypatch) -> None:
    from walkthrough.gui.views.action_dialog import ActionDialog
    from walkthrough.services.actions import NewAction

    open_sample(window, qtbot)
    window.review_tab_command.trigger()
    view = window.review_page.present()
    qtbot.waitExposed(view)
    view.next()
    shown = view.current_observation_id()
    parents: list[object] = []

    def fake_ask(parent, open_walkthrough, *, action=None, preselected_observation_ids=()):
        parents.append(parent)
        return NewAction("Sign at the pier", observation_ids=tuple(preselected_observation_ids))

    monkeypatch.setattr(ActionDialog, "ask", staticmethod(fake_ask))
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert parents == [view]  # over the presentation, which may be full screen
    made = [a for a in window.current.actions() if a.text == "Sign at the pier"]
    assert len(made) == 1 and made[0].observation_ids == (shown,)
    view.close()


def test_ctrl_1_2_3_put_the_keyboard_in_the_page_not_on_the_tab_bar(window, qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    open_sample(window, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.review_tab_command.trigger()
    assert QApplication.focusWidget() is window.review_page.table_view
    window.plan_tab_command.trigger()
    assert window.plan_page.isAncestorOf(QApplication.focusWidget())
    window.walk_tab_command.trigger()
    assert window.walk_page.isAncestorOf(QApplication.focusWidget())
    assert window.tabs.tabBar().accessibleName()


def test_the_walkthrough_last_worked_on_is_selected_on_the_start_page(db, settings, qtbot, test_lens) -> None:
    older = walkthrough_service.create_walkthrough(db, test_lens, service="Older", site="A").id
    walkthrough_service.create_walkthrough(db, test_lens, service="Newer", site="B")
    first = MainWindow(db, settings)
    qtbot.addWidget(first)
    assert first.start_page.current_id() != older  # most recently changed first
    first.open_walkthrough(older)
    first.close_command.trigger()  # back to the list, so the next start shows the list
    first.close()
    again = MainWindow(db, settings)  # the next start
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.start_page
    assert again.start_page.current_id() == older


def test_the_next_start_reopens_the_walkthrough_and_area_left_open(db, settings, qtbot, test_lens) -> None:
    older = walkthrough_service.create_walkthrough(db, test_lens, service="Older", site="A").id
    walkthrough_service.create_walkthrough(db, test_lens, service="Newer", site="B")
    first = MainWindow(db, settings)
    qtbot.addWidget(first)
    first.open_walkthrough(older)
    first.next_area_command.trigger()
    first.next_area_command.trigger()
    left_in = first.walk_page.area_id
    assert left_in == test_lens.areas[2].id
    first.close()  # quit with the walkthrough open

    again = MainWindow(db, settings)  # the next start, from the settings file
    qtbot.addWidget(again)
    assert again.current is not None and again.current.id == older
    assert again.stack.currentWidget() is again.tabs and again.tabs.currentWidget() is again.walk_page
    assert again.walk_page.area_id == left_in
    assert again.walk_page.cards()[0].prompt.id == test_lens.areas[2].prompts[0].id


def test_the_next_start_shows_the_list_when_the_walkthrough_left_open_was_deleted(db, settings, qtbot,
                                                                                  test_lens, no_modal_boxes) -> None:
    gone = walkthrough_service.create_walkthrough(db, test_lens, service="Gone", site="A").id
    kept = walkthrough_service.create_walkthrough(db, test_lens, service="Kept", site="B").id
    first = MainWindow(db, settings)
    qtbot.addWidget(first)
    first.open_walkthrough(gone)
    first.next_area_command.trigger()
    first.close()
    walkthrough_service.delete_walkthrough(db, gone)

    again = MainWindow(db, settings)
    qtbot.addWidget(again)
    assert again.current is None and again.stack.currentWidget() is again.start_page
    assert again.start_page.current_id() == kept
    assert no_modal_boxes == []  # quietly: nothing to apologise for


def test_review_by_keyboard_ctrl_f_searches_and_tab_goes_round_the_page(window, qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    open_sample(window, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.review_tab_command.trigger()
    review = window.review_page
    table = review.table_view
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is review.search_edit  # not an ambiguous Ctrl+F
    # Tab from the table visits each control once and comes back: no table keeps it.
    table.setFocus()
    seen = []
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is table:
            break
        seen.append(widget)
    else:
        raise AssertionError(f"Tab never came back to the findings table: stuck in {seen[-1]!r}")
    assert review.summary_view in seen or not review.summary_view.isVisible()
    assert review.present_button in seen and review.action_button in seen


def test_export_pdf_runs_in_the_background_and_always_gets_a_pdf_name(window, monkeypatch, qtbot, tmp_path,
                                                                      no_modal_boxes) -> None:
    open_sample(window, qtbot)
    target = tmp_path / "Zoë's exports" / "report"
    target.parent.mkdir()
    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "PDF documents (*.pdf)"))
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.report.report_options import ReportOptions

    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportOptions(protective_marking="OFFICIAL", include_photos=False)))
    window.report_command.trigger()
    task = window.last_task
    with qtbot.waitSignal(task.finished, timeout=60000):
        pass
    pdf = target.with_name("report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert "OFFICIAL" in reader.pages[0].extract_text()
    assert sum(len(page.images) for page in reader.pages) == 0  # photos left out as asked
    assert any(title == "Report ready" for title, _ in no_modal_boxes)


def test_export_word_document_runs_in_the_background_and_gets_a_docx_name(window, monkeypatch, qtbot, tmp_path,
                                                                           no_modal_boxes) -> None:
    import docx

    open_sample(window, qtbot)
    target = tmp_path / "to edit"
    filters: list[str] = []

    def save_as(*args, **_kwargs):
        filters.append(args[3])
        return str(target), args[3]

    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName", save_as)
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.report.report_options import ReportFormat, ReportOptions

    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportOptions(include_photos=False, format=ReportFormat.DOCX)))
    import threading

    from walkthrough.report import docx_writer

    threads: list[threading.Thread] = []
    real_build = docx_writer.build_docx

    def build_docx(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(docx_writer, "build_docx", build_docx)
    window.report_command.trigger()
    with qtbot.waitSignal(window.last_task.finished, timeout=60000):
        pass
    assert filters == ["Word documents (*.docx)"]
    assert threads and threads[0] is not threading.main_thread()  # written off the GUI thread
    document = docx.Document(str(target.with_name("to edit.docx")))
    assert document.paragraphs[0].style.name == "Title"
    assert any(title == "Report ready" for title, _ in no_modal_boxes)


def test_export_web_page_offers_html_files_and_keeps_an_htm_ending(window, monkeypatch, qtbot, tmp_path,
                                                                   no_modal_boxes) -> None:
    open_sample(window, qtbot)
    target = tmp_path / "exports" / "to publish.HTM"
    target.parent.mkdir()
    filters: list[str] = []

    def save_as(*args, **_kwargs):
        filters.append(args[3])
        return str(target), args[3]

    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName", save_as)
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.report.report_options import ReportFormat, ReportOptions

    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportOptions(include_photos=False, format=ReportFormat.HTML)))
    window.report_command.trigger()
    with qtbot.waitSignal(window.last_task.finished, timeout=60000):
        pass
    assert filters == ["Web pages (*.html *.htm)"]
    page = target.read_text(encoding="utf-8")  # the name as chosen: .htm is a web page's ending too
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page and "<img" not in page
    assert [p.name for p in target.parent.iterdir()] == ["to publish.HTM"]
    assert any(title == "Report ready" for title, _ in no_modal_boxes)


def test_report_options_dialog_gives_a_subset_and_remembers_choices(window, settings, qtbot) -> None:
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog

    lens = load_catalog().get("general").lens
    dialog = ReportOptionsDialog(lens, settings)
    qtbot.addWidget(dialog)
    assert dialog.options().area_ids is None
    dialog.areas.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.photos.setChecked(False)
    dialog.marking.setCurrentIndex(dialog.marking.findData(""))
    options = dialog.options()
    assert options.area_ids == tuple(a.id for a in lens.areas[1:])
    assert (options.include_photos, options.protective_marking) == (False, "")
    dialog.remember()
    assert settings.get(S.REPORT_PHOTOS) is False and settings.get(S.REPORT_MARKING) == ""
    for i in range(dialog.areas.count()):
        dialog.areas.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_closing_remembers_the_window_and_saves_a_pending_note(window, monkeypatch, qtbot, settings) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    editor = window.walk_page.cards()[0].first_editor()
    editor.rate("working-well")
    qtbot.keyClicks(editor.note, "last words")
    window.close()
    assert observation_service.list_observations(window.db, window.current.id)[0].note == "last words"
    assert not settings.get(S.WINDOW_GEOMETRY).isEmpty()


def test_deleting_a_walkthrough_asks_first_naming_it(window, no_modal_boxes, qtbot) -> None:
    open_sample(window, qtbot)
    window.show_start_page()
    [sample] = walkthrough_service.list_walkthroughs(window.db)
    window.start_page.delete_button.click()
    [question] = [text for _, text in no_modal_boxes if "cannot be undone" in text]
    # Which one: service, site and date, and what it holds.
    assert sample.service in question and sample.site in question
    assert sample.visit_date.strftime("%d %b %Y") in question
    assert f"{sample.observation_count} observations" in question and f"{sample.photo_count} photos" in question
    assert walkthrough_service.list_walkthroughs(window.db) == []


def test_every_menu_action_has_text_and_the_standard_shortcuts(window) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.new_walkthrough_command.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.undo_command.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.find_command.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.quit_command.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            assert action.isSeparator() or action.text().strip(), menu_action.text()
    assert Qt.Key.Key_F1 in [QKeySequence(window.help_command.shortcut())[0].key()]


def test_review_and_plan_are_built_when_first_shown(window, qtbot) -> None:
    open_sample(window, qtbot)
    assert window._review_page is None and window._plan_page is None
    window.review_tab_command.trigger()
    assert window._review_page is not None and window.tabs.currentWidget() is window._review_page
    assert window._plan_page is None
    assert window.tabs.tabText(1) == "&Review"
    window.walk_tab_command.trigger()
    assert window.plan_page is not None  # asked for: built, without changing the tab
    assert window.tabs.currentIndex() == 0 and window.tabs.widget(2) is window.plan_page


def test_the_desktop_flows_make_no_network_connection(window, qtbot, monkeypatch, tmp_path, no_modal_boxes) -> None:
    import socket
    import sys

    attempts: list[str] = []

    def blocked(*args, **kwargs):
        attempts.append(repr(args[1:]))
        raise OSError("network blocked by the test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, blocked)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket, "getaddrinfo", blocked)

    open_sample(window, qtbot)
    window.review_tab_command.trigger()
    window.plan_tab_command.trigger()
    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "r.pdf"), ""))
    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.report.report_options import ReportOptions

    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, *a, **k: ReportOptions()))
    window.report_command.trigger()
    with qtbot.waitSignal(window.last_task.finished, timeout=60000):
        pass
    assert (tmp_path / "r.pdf").exists()
    assert attempts == []
    assert "PySide6.QtNetwork" not in sys.modules  # no Qt networking is even loaded


def test_a_second_walkthrough_of_the_same_visit_is_asked_about_and_no_keeps_one(
    window, monkeypatch, no_modal_boxes
) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    assert no_modal_boxes == []
    # Same visit, typed differently: other case and stray spaces.
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(
        lambda cls, *a, **k: details(service="  orkney recovery SERVICE ", site="kirkwall ")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        no_modal_boxes.append((a[1], a[2])), QMessageBox.StandardButton.No)[1])
    window.new_walkthrough_command.trigger()
    [(title, text)] = no_modal_boxes
    assert "A walkthrough of orkney recovery SERVICE at kirkwall on" in text
    assert "already exists. Start another one anyway?" in text
    assert len(walkthrough_service.list_walkthroughs(window.db)) == 1

    # Yes starts a second one; another date asks nothing.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.new_walkthrough_command.trigger()
    assert len(walkthrough_service.list_walkthroughs(window.db)) == 2
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(
        lambda cls, *a, **k: details(visit_date=dt.date(2026, 11, 4))))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked about another date"))
    window.new_walkthrough_command.trigger()
    assert len(walkthrough_service.list_walkthroughs(window.db)) == 3


def test_the_same_visit_typed_another_way_is_asked_about_as_the_command_line_warns(
    window, monkeypatch, no_modal_boxes
) -> None:
    # The command line's case is in tests/unit/test_cli.py: the same pair of names.
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(
        lambda cls, *a, **k: details(service="Caf\u00e9 Hope", site="Harbour St ")))
    window.new_walkthrough_command.trigger()
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(
        lambda cls, *a, **k: details(service="cafe\u0301  hope", site="harbour st")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        no_modal_boxes.append((a[1], a[2])), QMessageBox.StandardButton.No)[1])
    window.new_walkthrough_command.trigger()
    [(title, _text)] = no_modal_boxes
    assert title == "Walkthrough already exists"
    assert len(walkthrough_service.list_walkthroughs(window.db)) == 1


def test_the_sample_offer_is_remembered_only_once_answered(window, settings, monkeypatch) -> None:
    def ended_while_asking(*_args, **_kwargs):
        # The process ending (power cut, killed) while the question is on screen.
        assert settings.get(S.SAMPLE_OFFERED) is False
        raise SystemExit

    monkeypatch.setattr(QMessageBox, "question", ended_while_asking)
    with pytest.raises(SystemExit):
        window.offer_sample()
    assert settings.get(S.SAMPLE_OFFERED) is False  # asked again at the next start

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    window.offer_sample()
    assert settings.get(S.SAMPLE_OFFERED) is True
    assert window.start_page.model.rowCount() == 0  # "No" creates nothing


def test_one_walk_page_serves_each_walkthrough_opened_in_turn(window, db, test_lens, qtbot) -> None:
    first = walkthrough_service.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    second = walkthrough_service.create_walkthrough(db, load_catalog().get("substance-use").lens,
                                                    service="Beta", site="Two").id
    window.show_start_page()
    window.open_walkthrough(first)
    page = window.walk_page
    editor = page.cards()[0].first_editor()
    editor.rate("working-well")
    qtbot.keyClicks(editor.note, "Door sign faded")  # still waiting to be saved when the walkthrough closes
    window.review_page  # built for the first walkthrough
    window.open_walkthrough(second)

    [kept] = observation_service.list_observations(db, first)
    assert kept.note == "Door sign faded"
    assert window.walk_page is page and page.open_walkthrough is window.current
    assert page.area_id == "approach" and page.title.text() == window.current.lens.areas[0].title
    areas = [page.areas.area_at(page.areas.index(r, 0, page.areas.index(g, 0))).id
             for g in range(page.areas.rowCount()) for r in range(page.areas.rowCount(page.areas.index(g, 0)))]
    assert areas == [a.id for a in window.current.lens.areas]
    # Only the second walkthrough's prompts are on the page, and a rating lands in it.
    prompts = {c.prompt.id for c in page.cards() if c.prompt}
    assert prompts == {p.id for p in window.current.lens.areas[0].prompts}
    page.cards()[0].first_editor().rate("priority-concern")
    assert [o.rating_id for o in observation_service.list_observations(db, second)] == ["priority-concern"]
    assert len(observation_service.list_observations(db, first)) == 1
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["&Walk", "&Review", "Improvement &plan"]
    assert window.tabs.currentWidget() is page
    assert window.review_page.proxy_model.rowCount() == 1  # Review rebuilt for the second

    window.show_start_page()
    assert window.walk_page is None and page.open_walkthrough is None and page.cards() == []
    assert window.tabs.count() == 1  # only the kept Walk page, waiting for the next walkthrough


def test_the_walk_page_is_built_and_rehearsed_before_any_walkthrough_opens(window, db, test_lens, qtbot,
                                                                              monkeypatch) -> None:
    wid = walkthrough_service.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    observation_service.add_observation(db, wid, observation_service.NewObservation("entrance", "working-well",
                                                                                   prompt_id="entrance-clear"))
    window.show_start_page()

    def stored() -> dict[str, bytes]:  # the database and its write-ahead log
        return {f.name: f.read_bytes() for f in db.path.parent.glob(db.path.name + "*")}

    before = stored()

    page = window.prepare_walk_page(window.start_page.current_id())

    assert window.current is None and window.walk_page is None  # nothing is open
    assert window.stack.currentWidget() is window.start_page
    assert page.open_walkthrough is None and page.cards() == []
    assert stored() == before  # nothing written
    assert window.prepare_walk_page("no-such-walkthrough") is page  # built once; a bad id is no rehearsal
    # Handed what the background warm-up read, the rehearsal does not read it again on the GUI thread.
    read = observation_service.walkthrough_with_observations(db, wid)
    monkeypatch.setattr(observation_service, "walkthrough_with_observations",
                        lambda *_: pytest.fail("read again on the GUI thread"))
    assert window.prepare_walk_page(wid, read) is page and page.open_walkthrough is None
    monkeypatch.undo()
    window.open_walkthrough(wid)
    assert window.walk_page is page and page.isVisible()
    assert [e.observation_id is not None for e in page.cards()[0].editors] == [True]


def test_the_sample_is_made_once_and_then_opened_again(window, db, qtbot) -> None:
    open_sample(window, qtbot)
    first = window.current.id
    window.show_start_page()
    task = window.last_task
    window.start_page.sample_button.click()
    assert window.last_task is task  # nothing made in the background this time
    assert window.current is not None and window.current.id == first
    assert [w.id for w in walkthrough_service.list_walkthroughs(db)] == [first]
    # Deleted, it is made afresh.
    window.show_start_page()
    walkthrough_service.delete_walkthrough(db, first)
    open_sample(window, qtbot)
    assert window.current.id != first and len(walkthrough_service.list_walkthroughs(db)) == 1


def test_each_area_shows_its_whole_title_count_and_mark_at_1366_px(window, db, qtbot) -> None:
    record = walkthrough_service.create_walkthrough(db, load_catalog().get("substance-use").lens,
                                                    service="Orkney Recovery Service", site="Kirkwall")
    window.open_walkthrough(record.id)
    page = window.walk_page
    qtbot.waitUntil(page.isVisible, timeout=2000)
    view = page.area_view
    metrics = view.fontMetrics()
    room = view.viewport().width() - view.indentation()
    cut = [a.title for a in window.current.lens.areas
           if metrics.horizontalAdvance(f"{a.title}  (99)  !") > room]
    assert cut == []  # "Appointments and missed appointments (3) !" and the rest, not "Appointments and mis…"
    assert view.width() <= window.width() // 3 + 1  # the prompts keep most of the width


def test_deleting_an_observation_with_photos_says_so_in_the_status_bar(window, qtbot) -> None:
    open_sample(window, qtbot)
    with_photos = next(o for o in window.current.observations() if o.photos)
    area = window.current.lens.area(with_photos.area_id).title
    window.current.delete_observation(with_photos.id)
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Deleted the observation in “{area}” with {len(with_photos.photos)} photo")
    assert message.endswith("Ctrl+Z brings it back.")
    window.current.undo_stack.undo()  # brought back: the message would now be wrong
    assert window.statusBar().currentMessage() == ""


def correcting_in_the_dialog(change):
    """``NewWalkthroughDialog.ask_edit`` showing the real form, filled in; ``change`` works it; then OK."""

    def ask_edit(cls, record, parent=None):
        from walkthrough.services.lens_catalog import LensCatalog

        form = cls(LensCatalog((), ()), parent, editing=record)
        try:
            change(form)
            return form.details()
        finally:
            form.dialog.deleteLater()

    return classmethod(ask_edit)


def test_walkthrough_details_are_corrected_as_one_step_and_ctrl_z_puts_them_back(window, monkeypatch, qtbot,
                                                                               tmp_path) -> None:
    from PySide6.QtCore import QDate
    from pypdf import PdfReader

    from walkthrough.gui.views.report_options_dialog import ReportOptionsDialog
    from walkthrough.report.report_options import ReportOptions

    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    wid = window.current.id
    made = walkthrough_service.get_walkthrough(window.db, wid)
    assert window.details_command.isEnabled() and window.details_command.shortcut().toString() == "Ctrl+I"

    def correct(form) -> None:
        form.site.setText("Stromness")
        form.date.setDate(QDate(2026, 11, 4))
        form.facilitators.setPlainText("Morag Flett\nIan Rendall")
        form.participants.item(0, 0).setText("Sandy Rendall")
        form.add_participant()  # a late joiner
        form.participants.item(1, 0).setText("Kim")
        form.participants.cellWidget(1, 1).setCurrentIndex(form.participants.cellWidget(1, 1).findData("manager"))

    monkeypatch.setattr(NewWalkthroughDialog, "ask_edit", correcting_in_the_dialog(correct))
    window.details_command.trigger()
    stored = walkthrough_service.get_walkthrough(window.db, wid)
    assert (stored.service, stored.site, stored.visit_date) == ("Orkney Recovery Service", "Stromness",
                                                                dt.date(2026, 11, 4))
    assert stored.facilitators == ("Morag Flett", "Ian Rendall")
    assert stored.participants == (TeamMember("Sandy Rendall", Role.LIVED_EXPERIENCE),
                                   TeamMember("Kim", Role.MANAGER))
    assert "Stromness" in window.windowTitle() and "Kirkwall" not in window.windowTitle()
    assert window.undo_command.text() == "&Undo Edit walkthrough details"

    # The report shows the corrected details.
    pdf = tmp_path / "cover.pdf"
    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(pdf), "PDF documents (*.pdf)"))
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(
        lambda cls, *a, **k: ReportOptions(include_names=True, include_photos=False)))
    window.report_command.trigger()
    with qtbot.waitSignal(window.last_task.finished, timeout=60000):
        pass
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
    for text in ("Stromness", "4 November 2026"):
        assert text in pages[0], text
    about = next(page for page in pages if "The team" in page and "Facilitated by" in page)  # "About this walk"
    for text in ("Ian Rendall", "Sandy Rendall", "Kim"):
        assert text in about, text

    window.undo_command.trigger()  # Ctrl+Z: every detail back at once
    back = walkthrough_service.get_walkthrough(window.db, wid)
    assert (back.site, back.visit_date, back.facilitators, back.participants) == (
        made.site, made.visit_date, made.facilitators, made.participants)
    assert "Kirkwall" in window.windowTitle()
    window.redo_command.trigger()
    assert walkthrough_service.get_walkthrough(window.db, wid).site == "Stromness"
    window.show_start_page()  # the list shows the corrected walkthrough
    model = window.start_page.model
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "Stromness" in shown and "Kirkwall" not in shown


def test_walkthrough_details_cannot_be_corrected_in_a_read_only_database(tmp_path, test_lens, settings, qtbot,
                                                                         monkeypatch) -> None:
    from walkthrough.storage.database import open_database

    path = tmp_path / "w.sqlite3"
    with open_database(path) as db:
        wid = walkthrough_service.create_walkthrough(db, test_lens, service="Look only", site="Here").id
    before = path.read_bytes()
    monkeypatch.setattr(NewWalkthroughDialog, "ask_edit", classmethod(lambda cls, *a, **k: pytest.fail("asked")))
    with open_database(path, read_only=True) as db:
        w = MainWindow(db, settings)
        qtbot.addWidget(w)
        w.open_walkthrough(wid)
        assert w.current is not None and not w.details_command.isEnabled()
        w.edit_details()  # even if reached some other way
        w.show_start_page()
    assert path.read_bytes() == before


def test_exporting_one_finding_says_1_finding(window, monkeypatch, qtbot, tmp_path) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details()))
    window.new_walkthrough_command.trigger()
    window.walk_page.cards()[0].first_editor().rate("working-well")
    target = tmp_path / "findings.csv"
    monkeypatch.setattr("walkthrough.gui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), "CSV files (*.csv)"))
    window.csv_command.trigger()
    assert target.is_file()
    assert window.statusBar().currentMessage() == "Exported 1 finding"


def test_the_suggested_file_name_drops_punctuation_without_doubling_spaces(window, monkeypatch) -> None:
    monkeypatch.setattr(NewWalkthroughDialog, "ask", classmethod(lambda cls, *a, **k: details(
        service="Harbour St. Recovery (Leith)", site="Health Centre, Kirkvellan / upstairs")))
    window.new_walkthrough_command.trigger()
    assert window._suggested_name(" findings.pdf") == (
        "Harbour St Recovery Leith Health Centre Kirkvellan upstairs 2026-11-03 findings.pdf")
