"""The start page lists walkthroughs, most recent first, with their progress."""

from __future__ import annotations

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
    assert model.index(0, 4).data().startswith("1 of 3 areas, 1 observations")
    assert model.index(0, 0).data(WalkthroughIdRole) == first


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
