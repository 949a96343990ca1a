"""The start page lists walkthroughs, most recent first, with their progress."""

from __future__ import annotations

from PySide6.QtCore import Qt

from walkthrough.gui.models.walkthrough_list_model import WalkthroughIdRole, WalkthroughListModel
from walkthrough.gui.views.start_page import StartPage
from walkthrough.services import walkthroughs
from walkthrough.services.observations import NewObservation, add_observation


def test_walkthrough_list_model_passes_the_model_tester(db, test_lens, qtmodeltester) -> None:
    first = walkthroughs.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    walkthroughs.create_walkthrough(db, test_lens, service="Beta", site="Two")
    add_observation(db, first, NewObservation("entrance", "working-well"))
    model = WalkthroughListModel()
    model.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Alpha"  # changed last, so first
    assert model.index(0, 4).data() == "1 of 3 areas, 1 observation, 0 photos"  # English plurals, one count each
    assert model.index(1, 4).data() == "0 of 3 areas, 0 observations, 0 photos"
    assert model.index(0, 0).data(WalkthroughIdRole) == first


def test_the_walkthrough_list_says_how_many_observations_are_not_rated_yet(db, test_lens, qapp) -> None:
    wid = walkthroughs.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    add_observation(db, wid, NewObservation("entrance", "working-well"))
    add_observation(db, wid, NewObservation("entrance", None, note="Rate later"))
    model = WalkthroughListModel()
    model.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    assert model.index(0, 4).data() == "1 of 3 areas, 2 observations, 0 photos; 1 observation not rated yet"


def test_start_page_opens_the_chosen_walkthrough_by_keyboard(db, test_lens, qtbot) -> None:
    from PySide6.QtCore import Qt

    wid = walkthroughs.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    page = StartPage()
    qtbot.addWidget(page)
    page.show()
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    assert not page.empty.isVisible() and page.open_button.isEnabled()
    with qtbot.waitSignal(page.open_requested) as opened:
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [wid]
    page.set_walkthroughs([])
    assert page.empty.isVisible() and not page.open_button.isEnabled()


def test_long_names_fit_the_list_at_1366_px_without_scrolling_sideways(db, test_lens, qtbot) -> None:
    walkthroughs.create_walkthrough(
        db, test_lens, service="Kirkvellan Community Drug and Alcohol Service and Recovery Hub",
        site="Harbour Street Health Centre, Kirkvellan, Orkney (fictional sample, second floor)")
    page = StartPage()
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    qtbot.waitExposed(page)
    assert not page.table.horizontalScrollBar().isVisible()
    header = page.table.horizontalHeader()
    progress = WalkthroughListModel.COLUMNS.index("progress")
    # The progress and last-changed columns are on screen, whole.
    assert header.sectionViewportPosition(progress) + header.sectionSize(progress) <= page.table.viewport().width()


def test_tab_leaves_the_walkthrough_list_and_goes_round_the_buttons_in_reading_order(db, test_lens, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    for service in ("Alpha", "Beta"):
        walkthroughs.create_walkthrough(db, test_lens, service=service, site="One")
    page = StartPage()
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    assert page.accessibleName() == "Start"
    assert QApplication.focusWidget() is page.table
    visited = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    # One press leaves the list (not one per cell); the buttons as they read, then the list again.
    assert visited == [page.new_button, page.open_button, page.walk_again_button, page.sample_button,
                       page.delete_button, page.table]


def test_the_selected_walkthrough_is_read_ahead_while_the_list_is_read(db, test_lens, qtbot,
                                                                                monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    from walkthrough.gui import startup
    from walkthrough.services import observations

    older = walkthroughs.create_walkthrough(db, test_lens, service="Alpha", site="One").id
    newer = walkthroughs.create_walkthrough(db, test_lens, service="Beta", site="Two").id
    page = StartPage()
    qtbot.addWidget(page)
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    assert page.current_id() == newer  # the top row, until the last one worked on is chosen
    page.select(older)
    assert page.current_id() == older

    read = []
    real = observations.walkthrough_with_observations
    monkeypatch.setattr(observations, "walkthrough_with_observations",
                        lambda db_, wid: read.append(wid) or real(db_, wid))
    parent = QWidget()
    qtbot.addWidget(parent)
    handed: list[object] = []
    startup.warm_up(parent, db, older, then=handed.append)
    qtbot.waitUntil(lambda: bool(handed), timeout=10_000)  # on the GUI thread, once the worker is done
    assert read == [older]
    [(record, observations)] = handed  # what was read, for the Walk page's rehearsal
    assert record.id == older and observations == []
    # A walkthrough deleted meanwhile is not an error here: opening it will say so.
    startup.warm_up(parent, db, "gone", then=handed.append)
    qtbot.waitUntil(lambda: len(handed) == 2, timeout=10_000)
    assert handed[1] is None


def test_every_button_is_in_reach_and_long_names_wrap_on_a_narrow_screen(db, test_lens, qtbot) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QFontMetrics

    walkthroughs.create_walkthrough(
        db, test_lens, service="Kirkvellan Community Drug and Alcohol Service and Recovery Hub",
        site="Harbour Street Health Centre, Kirkvellan, Orkney (fictional sample, second floor)")
    page = StartPage()
    qtbot.addWidget(page)
    page.resize(512, 360)  # a 1024 × 768 projector with 2× text
    page.show()
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.width() == 512)
    for button in (page.new_button, page.open_button, page.sample_button, page.delete_button):
        assert page.rect().contains(QRect(button.mapTo(page, QPoint(0, 0)), button.size())), button.text()
    assert not page.table.horizontalScrollBar().isVisible()
    # Service and site are written out in full over several lines, not cut to one with "…".
    header = page.table.horizontalHeader()
    metrics = QFontMetrics(page.table.font())
    for name in ("service", "site"):
        column = WalkthroughListModel.COLUMNS.index(name)
        text = page.proxy.index(0, column).data()
        room = QRect(0, 0, header.sectionSize(column) - 8, 10_000)
        needed = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text).height()
        assert needed > metrics.height() * 1.5, name  # it does need more than one line here
        qtbot.waitUntil(lambda: page.table.rowHeight(0) >= needed)


def test_a_row_taller_than_the_list_can_be_scrolled_to_its_end(db, test_lens, qtbot) -> None:
    walkthroughs.create_walkthrough(
        db, test_lens, service="Kirkvellan Community Drug and Alcohol Service and Recovery Hub",
        site="Harbour Street Health Centre, Kirkvellan, Orkney (fictional sample, second floor)")
    page = StartPage()
    qtbot.addWidget(page)
    page.resize(512, 360)
    page.table.setMaximumHeight(page.table.fontMetrics().height() * 4)  # squeezed by large text
    page.show()
    page.set_walkthroughs(walkthroughs.list_walkthroughs(db))
    qtbot.waitExposed(page)
    viewport = page.table.viewport()
    qtbot.waitUntil(lambda: page.table.rowHeight(0) > viewport.height())
    bar = page.table.verticalScrollBar()
    assert bar.maximum() >= page.table.rowHeight(0) - viewport.height()
