"""The improvement plan page: its models, filters, in-place edits, dialog hand-off and undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from walkthrough.domain.vocabulary import ActionStatus, Priority
from walkthrough.domain.records import ActionRecord
from walkthrough.gui.models.action_filter_model import ActionFilterModel
from walkthrough.gui.models.action_table_model import ActionColumn, ActionTableModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.action_dialog import ActionDialog
from walkthrough.gui.views.plan_page import PlanPage
from walkthrough.services import actions as action_service
from walkthrough.services.actions import NewAction
from walkthrough.services.lens_catalog import load_catalog
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.walkthroughs import create_walkthrough
from walkthrough.storage.database import Database, open_database

TODAY = dt.date.today()
SCREEN = (1366, 768)
SHOTS = Path("/tmp")


@dataclass
class Plan:
    """A walkthrough on the general lens with findings and a small plan."""

    db: Database
    ow: OpenWalkthrough
    observations: dict[str, str]  # short name -> observation id
    actions: dict[str, str]  # short name -> action id

    def stored(self) -> dict[str, ActionRecord]:
        return {a.id: a for a in action_service.list_actions(self.db, self.ow.id)}


@pytest.fixture
def database(tmp_path: Path):
    db = open_database(tmp_path / "w.sqlite3")
    yield db
    db.close()


def _make_plan(db: Database, *, with_actions: bool = True) -> Plan:
    lens = load_catalog().get("general").lens
    record = create_walkthrough(db, lens, service="Harbour Recovery Service", site="Leith")
    notes = {
        "privacy": ("reception", "reception-privacy", "priority-concern",
                    "Names are called across the waiting room; everyone hears why people are here."),
        "seats": ("waiting-area", "waiting-seat-choice", "could-be-better", "Chairs bolted in rows facing the door."),
        "welcome": ("approach", "approach-welcome", "working-well", "Hand-painted welcome sign by a peer group."),
    }
    observations = {
        name: add_observation(db, record.id, NewObservation(area_id=a, prompt_id=p, rating_id=r, note=n)).id
        for name, (a, p, r, n) in notes.items()
    }
    actions: dict[str, str] = {}
    if with_actions:
        plan = {
            "leaders": NewAction("Managers walk the route with a peer each quarter", owner="Service manager",
                                 due_date=TODAY + dt.timedelta(days=10), priority=Priority.HIGH,
                                 component_id="leadership", principle_ids=("trust", "collaboration")),
            "letters": NewAction("Rewrite appointment letters in plain, kind words", owner="",
                                 due_date=TODAY + dt.timedelta(days=5), component_id="policies-processes",
                                 principle_ids=("choice",)),
            "huddles": NewAction("Weekly huddle on trauma-informed language", owner="Team lead",
                                 status=ActionStatus.IN_PROGRESS, component_id="organisational-culture"),
            "chair": NewAction("Replace the broken chair by the door", owner="Facilities",
                               due_date=TODAY - dt.timedelta(days=3), priority=Priority.LOW),
            "names": NewAction("Call people through by first name or a number, in person", owner="Reception lead",
                               due_date=TODAY - dt.timedelta(days=20), status=ActionStatus.DONE,
                               component_id="service-design", principle_ids=("safety",),
                               observation_ids=(observations["privacy"],)),
            "budget": NewAction("Cost moving the reception screen", owner="Finance",
                                due_date=TODAY + dt.timedelta(days=90), component_id="budgets",
                                observation_ids=(observations["privacy"], observations["seats"])),
        }
        actions = {name: action_service.add_action(db, record.id, new).id for name, new in plan.items()}
    return Plan(db, OpenWalkthrough(db, record.id), observations, actions)


@pytest.fixture
def plan(database: Database, qapp) -> Plan:
    return _make_plan(database)


@pytest.fixture
def page(plan: Plan, qtbot) -> PlanPage:
    widget = PlanPage(plan.ow)
    qtbot.addWidget(widget)
    widget.resize(*SCREEN)
    return widget


def _watch(*models) -> list[QAbstractItemModelTester]:
    """Qt's own model tester on each model, reporting problems as warnings (checked by _no_model_failures)."""
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    return [QAbstractItemModelTester(m, mode) for m in models]


def _no_model_failures(qtlog) -> None:
    failures = [r.message for r in qtlog.records if "FAIL" in r.message or "modeltest" in r.message.lower()]
    assert failures == []


def _rows(model, parent: QModelIndex = QModelIndex()) -> list[str]:  # noqa: B008
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def _action_ids(model, parent: QModelIndex = QModelIndex()) -> list[str]:  # noqa: B008
    ids = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        if index.data(ActionTableModel.IsGroupRole):
            ids.extend(_action_ids(model, index))
        else:
            ids.append(index.data(ActionTableModel.ActionIdRole))
    return ids


# -- the models ----------------------------------------------------------------------------------


def test_models_pass_the_model_testers_grouped_flat_and_through_changes(plan: Plan, qtmodeltester, qtlog) -> None:
    model = ActionTableModel(plan.ow)
    proxy = ActionFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(ActionColumn.DUE)
    # pytest-qt's Python tester raises on the first problem; it watches the source model
    # throughout.  Qt's C++ tester watches both models and reports through the Qt log.
    qtmodeltester.check(model, force_py=True)
    testers = _watch(model, proxy)

    # Changes while grouped: a new group appears, actions move between groups, rows go and come back.
    plan.ow.add_action(NewAction("Quiet room signposted", component_id="service-design", owner="Estates"))
    plan.ow.edit_action(plan.actions["huddles"], component_id="leadership")
    plan.ow.edit_action(plan.actions["leaders"], component_id=None)
    plan.ow.delete_action(plan.actions["chair"])
    plan.ow.edit_action(plan.actions["leaders"], status=ActionStatus.DONE)
    proxy.set_quick_wins_only(True)
    proxy.set_search_text("quiet")
    proxy.clear_filters()
    for _ in range(5):
        plan.ow.undo_stack.undo()
    _no_model_failures(qtlog)

    # Flat, then grouped again.
    model.set_grouped(False)
    testers += _watch(model, proxy)
    plan.ow.undo_stack.redo()
    plan.ow.delete_action(plan.actions["names"])
    plan.ow.undo_stack.undo()
    plan.ow.edit_action(plan.actions["names"], component_id="budgets")
    proxy.set_status_filter([ActionStatus.DONE])
    proxy.set_status_filter(None)
    model.set_grouped(True)
    testers += _watch(model, proxy)
    plan.ow.delete_action(plan.actions["budget"])
    qtmodeltester.check(proxy)  # Qt's tester, through the fixture, on the filtered and sorted tree

    assert len(_action_ids(model)) == len(plan.actions)
    _no_model_failures(qtlog)


def test_grouping_puts_actions_under_their_component_in_lens_order(plan: Plan) -> None:
    model = ActionTableModel(plan.ow)
    lens = plan.ow.lens
    groups = [model.index(r, 0) for r in range(model.rowCount())]

    assert [g.data(ActionTableModel.ComponentIdRole) for g in groups] == [c.id for c in lens.components] + [None]
    assert groups[-1].data() == "No component (1)"
    by_component = {g.data(ActionTableModel.ComponentIdRole): _action_ids(model, g) for g in groups}
    a = plan.actions
    assert by_component["leadership"] == [a["leaders"]]
    assert by_component["organisational-culture"] == [a["huddles"]]
    assert by_component["policies-processes"] == [a["letters"]]
    assert by_component["service-design"] == [a["names"]]
    assert by_component["budgets"] == [a["budget"]]
    assert by_component[None] == [a["chair"]]
    assert by_component["workforce-wellbeing"] == []
    assert groups[1].data() == "Leadership (1)"

    # Moving an action to another component moves its row; with none left, "No component" goes.
    plan.ow.edit_action(a["chair"], component_id="leadership")
    assert _action_ids(model, model.index(1, 0)) == [a["leaders"], a["chair"]]
    assert model.rowCount() == len(lens.components)

    model.set_grouped(False)
    assert model.rowCount() == len(a)
    assert not model.hasChildren(model.index(0, 0))
    assert model.index(0, ActionColumn.COMPONENT).data() == "Leadership"


def test_cells_show_words_not_just_colour(plan: Plan) -> None:
    model = ActionTableModel(plan.ow)
    model.set_grouped(False)
    chair = model.index_of_action(plan.actions["chair"])
    names = model.index_of_action(plan.actions["names"])
    budget = model.index_of_action(plan.actions["budget"])

    assert chair.siblingAtColumn(ActionColumn.DUE).data().endswith("(overdue)")
    assert chair.siblingAtColumn(ActionColumn.DUE).data(ActionTableModel.OverdueRole) is True
    assert chair.siblingAtColumn(ActionColumn.DUE).data(Qt.ItemDataRole.DecorationRole) is not None
    assert chair.siblingAtColumn(ActionColumn.PRIORITY).data() == "Low"
    assert "overdue" not in names.siblingAtColumn(ActionColumn.DUE).data()  # done, so not overdue
    assert names.siblingAtColumn(ActionColumn.STATUS).data() == "Done"
    assert names.siblingAtColumn(ActionColumn.PRINCIPLES).data() == "Safety"
    assert budget.siblingAtColumn(ActionColumn.FINDINGS).data() == "2"
    assert "Reception" in budget.siblingAtColumn(ActionColumn.FINDINGS).data(Qt.ItemDataRole.ToolTipRole)
    leaders = model.index_of_action(plan.actions["leaders"])
    assert leaders.siblingAtColumn(ActionColumn.PRINCIPLES).data() == "Trust, Collaboration"


# -- editing in place ------------------------------------------------------------------------------


def test_editing_status_in_place_writes_the_database_and_undo_reverts(page: PlanPage, plan: Plan) -> None:
    action_id = plan.actions["letters"]
    index = page.proxy.mapFromSource(page.model.index_of_action(action_id)).siblingAtColumn(ActionColumn.STATUS)

    assert page.proxy.setData(index, ActionStatus.IN_PROGRESS.value)
    assert plan.stored()[action_id].status == ActionStatus.IN_PROGRESS
    assert index.data() == "In progress"

    plan.ow.undo_stack.undo()
    assert plan.stored()[action_id].status == ActionStatus.NOT_STARTED
    assert index.data() == "Not started"


def test_text_owner_and_due_date_edit_in_place_and_empty_text_is_refused(plan: Plan) -> None:
    model = ActionTableModel(plan.ow)
    index = model.index_of_action(plan.actions["letters"])

    assert not model.setData(index, "   ")
    assert model.setData(index.siblingAtColumn(ActionColumn.OWNER), "  Admin team ")
    assert model.setData(index.siblingAtColumn(ActionColumn.DUE), QDate(2031, 2, 3))
    stored = plan.stored()[plan.actions["letters"]]
    assert (stored.owner, stored.due_date) == ("Admin team", dt.date(2031, 2, 3))
    assert model.setData(index.siblingAtColumn(ActionColumn.DUE), QDate())
    assert plan.stored()[plan.actions["letters"]].due_date is None
    assert not index.siblingAtColumn(ActionColumn.FINDINGS).flags() & Qt.ItemFlag.ItemIsEditable


def test_choice_editor_commits_a_pick_from_its_list(page: PlanPage, plan: Plan, qtbot) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.group_action.setChecked(False)
    index = page.proxy.mapFromSource(page.model.index_of_action(plan.actions["chair"]))
    cell = index.siblingAtColumn(ActionColumn.PRIORITY)
    page.tree.setCurrentIndex(cell)
    page.tree.edit(cell)
    combo = page.tree.findChild(QComboBox)
    assert combo is not None and combo.currentData() == Priority.LOW.value

    combo.showPopup()
    combo.setCurrentIndex(combo.findData(Priority.HIGH.value))
    combo.hidePopup()

    assert plan.stored()[plan.actions["chair"]].priority == Priority.HIGH


def test_ctrl_z_in_a_cell_or_the_search_walks_the_walkthrough_s_one_history(page: PlanPage, plan: Plan,
                                                                            qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit

    page.show()
    qtbot.waitExposed(page)
    page.group_action.setChecked(False)
    action_id = plan.actions["chair"]
    before = plan.stored()[action_id].owner
    stack = plan.ow.undo_stack
    steps = stack.count()
    cell = page.proxy.mapFromSource(page.model.index_of_action(action_id)).siblingAtColumn(ActionColumn.OWNER)
    page.tree.setCurrentIndex(cell)
    page.tree.edit(cell)
    editor = next(e for e in page.tree.findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, "Estates")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The cell was saved (a step), and that step undone: not the cell's own typing history.
    assert plan.stored()[action_id].owner == before
    assert stack.count() == steps + 1 and stack.redoText() == "Change owner"
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "chair")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert plan.stored()[action_id].owner == "Estates"  # redone, from the search field
    assert page.search_edit.text() == "chair"


def test_due_date_editor_clears_the_date(page: PlanPage, plan: Plan, qtbot) -> None:
    from walkthrough.gui.views.plan_page import _DueDateEditor

    page.show()
    qtbot.waitExposed(page)
    index = page.proxy.mapFromSource(page.model.index_of_action(plan.actions["leaders"]))
    cell = index.siblingAtColumn(ActionColumn.DUE)
    page.tree.setCurrentIndex(cell)
    page.tree.edit(cell)
    editor = page.tree.findChild(_DueDateEditor)
    assert editor is not None and editor.value() == QDate(TODAY.year, TODAY.month, TODAY.day).addDays(10)
    page.resize(*SCREEN)
    page.grab().save(str(SHOTS / "plan_due_editor.png"))

    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)

    assert plan.stored()[plan.actions["leaders"]].due_date is None
    plan.ow.undo_stack.undo()
    assert plan.stored()[plan.actions["leaders"]].due_date == TODAY + dt.timedelta(days=10)


def _open_due_editor(page: PlanPage, plan: Plan, qtbot, name: str):
    from walkthrough.gui.views.plan_page import _DueDateEditor

    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=3000)
    cell = page.proxy.mapFromSource(page.model.index_of_action(plan.actions[name])).siblingAtColumn(ActionColumn.DUE)
    page.tree.setCurrentIndex(cell)
    page.tree.edit(cell)
    editor = page.tree.findChild(_DueDateEditor)
    assert editor is not None
    editor.setFocus()
    line = QApplication.focusWidget()  # where typing goes
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    return editor, line


@pytest.mark.parametrize(("typed", "day"), [("15 Dec 2026", dt.date(2026, 12, 15)),
                                            ("20 Dec 2026", dt.date(2026, 12, 20)),
                                            ("2026-12-15", dt.date(2026, 12, 15))])
def test_a_due_date_typed_in_place_is_stored_as_written(page: PlanPage, plan: Plan, qtbot, en_gb_locale,
                                                        monkeypatch, typed: str, day: dt.date) -> None:
    monkeypatch.setattr(ActionDialog, "keep_past_due_date", classmethod(lambda cls, parent, d: True), raising=False)
    _editor, line = _open_due_editor(page, plan, qtbot, "leaders")
    QTest.keyClicks(line, typed)
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert plan.stored()[plan.actions["leaders"]].due_date == day


def test_a_due_date_in_place_that_is_not_a_date_is_refused(page: PlanPage, plan: Plan, qtbot, en_gb_locale) -> None:
    editor, line = _open_due_editor(page, plan, qtbot, "leaders")
    QTest.keyClicks(line, "31 Feb 2026")
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert editor.isVisible() and line.text() == "31 Feb 2026"  # still open, the text as typed
    assert "is not a date" in line.toolTip()
    assert plan.stored()[plan.actions["leaders"]].due_date == TODAY + dt.timedelta(days=10)
    QTest.keyClick(line, Qt.Key.Key_Escape)
    assert plan.stored()[plan.actions["leaders"]].due_date == TODAY + dt.timedelta(days=10)


def test_a_due_date_changed_in_place_to_a_past_date_is_asked_about(page: PlanPage, plan: Plan, qtbot, en_gb_locale,
                                                                   monkeypatch) -> None:
    asked: list[dt.date] = []
    answers = [False, True]
    monkeypatch.setattr(ActionDialog, "keep_past_due_date",
                        classmethod(lambda cls, parent, d: asked.append(d) or answers.pop(0)), raising=False)
    past = TODAY - dt.timedelta(days=40)
    editor, line = _open_due_editor(page, plan, qtbot, "leaders")
    QTest.keyClicks(line, past.isoformat())
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert asked == [past] and editor.isVisible()  # "No": still open to change it
    assert plan.stored()[plan.actions["leaders"]].due_date == TODAY + dt.timedelta(days=10)
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert asked == [past, past]
    assert plan.stored()[plan.actions["leaders"]].due_date == past


# -- moving through the plan by keyboard and mouse ------------------------------------------------------


def _shown_page(page: PlanPage, qtbot) -> PlanPage:
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=3000)
    page.tree.setFocus()
    return page


def _current_id(page: PlanPage) -> str | None:
    current = page.tree.currentIndex()
    assert not current.data(ActionTableModel.IsGroupRole), f"the keyboard stopped on the heading {current.data()!r}"
    return current.data(ActionTableModel.ActionIdRole)


def test_the_arrow_keys_go_from_action_to_action_over_the_group_headings(page: PlanPage, plan: Plan, qtbot) -> None:
    _shown_page(page, qtbot)
    shown = _action_ids(page.proxy)  # in the order on screen, group after group
    assert page.proxy.rowCount() > 3  # several groups, so several headings to pass over
    page.select_action(shown[0])

    seen = [_current_id(page)]
    for _ in shown[1:]:
        QTest.keyClick(page.tree, Qt.Key.Key_Down)
        seen.append(_current_id(page))
    assert seen == shown  # Down from a group's last action is the next group's first action
    QTest.keyClick(page.tree, Qt.Key.Key_Down)
    assert _current_id(page) == shown[-1]  # nothing further down: it stays

    for expected in reversed(shown[:-1]):
        QTest.keyClick(page.tree, Qt.Key.Key_Up)
        assert _current_id(page) == expected
    QTest.keyClick(page.tree, Qt.Key.Key_Up)
    assert _current_id(page) == shown[0]  # the first group's heading above is passed over too
    QTest.keyClick(page.tree, Qt.Key.Key_End)
    assert _current_id(page) == shown[-1]
    QTest.keyClick(page.tree, Qt.Key.Key_Home)
    assert _current_id(page) == shown[0]


def test_a_click_on_a_group_heading_opens_or_closes_it_and_selects_nothing(page: PlanPage, plan: Plan, qtbot) -> None:
    _shown_page(page, qtbot)
    page.select_action(plan.actions["budget"])
    heading = page.proxy.index(0, 0)
    assert heading.data(ActionTableModel.IsGroupRole) and page.tree.isExpanded(heading)
    click_at = page.tree.visualRect(heading).center()

    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=click_at)
    assert not page.tree.isExpanded(heading)
    assert _current_id(page) == plan.actions["budget"]
    assert page.selected_action_ids() == [plan.actions["budget"]]
    assert page.edit_action_act.isEnabled() and page.delete_action_act.isEnabled()

    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=click_at)
    assert page.tree.isExpanded(heading)


def test_edit_and_delete_are_on_whenever_an_action_is_selected_by_keyboard_or_mouse(page: PlanPage, plan: Plan,
                                                                                  qtbot) -> None:
    _shown_page(page, qtbot)
    shown = _action_ids(page.proxy)
    page.select_action(shown[0])
    for _ in shown[1:]:
        QTest.keyClick(page.tree, Qt.Key.Key_Down)
        assert page.edit_action_act.isEnabled() and page.delete_action_act.isEnabled(), _current_id(page)
        assert page.edit_button.isEnabled() and page.delete_button.isEnabled()

    page.tree.selectionModel().clear()
    assert not page.edit_action_act.isEnabled() and not page.delete_action_act.isEnabled()
    cell = page.proxy.mapFromSource(page.model.index_of_action(plan.actions["letters"])).siblingAtColumn(
        ActionColumn.OWNER)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=page.tree.visualRect(cell).center())
    assert page.selected_action_ids() == [plan.actions["letters"]]
    assert page.edit_action_act.isEnabled() and page.delete_action_act.isEnabled()

    # Delete by keyboard: the next action is current, and Edit and Delete stay on for it.
    QTest.keyClick(page.tree, Qt.Key.Key_Delete)
    assert plan.actions["letters"] not in plan.stored()
    qtbot.waitUntil(lambda: page.tree.currentIndex().data(ActionTableModel.ActionIdRole) is not None, timeout=2000)
    assert page.edit_action_act.isEnabled() and page.delete_action_act.isEnabled()
    plan.ow.undo_stack.undo()
    assert plan.actions["letters"] in plan.stored()
    assert page.edit_action_act.isEnabled() == bool(_current_id(page))


# -- the page: dialog, delete, filters, sort -----------------------------------------------------------


def test_new_action_from_findings_adds_a_linked_action(page: PlanPage, plan: Plan, monkeypatch) -> None:
    asked = {}

    def fake_ask(parent, open_walkthrough, *, action=None, preselected_observation_ids=()):
        asked.update(action=action, preselected=tuple(preselected_observation_ids))
        return NewAction("Private booth for arrivals", owner="Estates", component_id="service-design",
                         observation_ids=tuple(preselected_observation_ids))

    monkeypatch.setattr(ActionDialog, "ask", staticmethod(fake_ask))
    privacy = plan.observations["privacy"]

    new_id = page.new_action(observation_ids=[privacy])

    assert asked == {"action": None, "preselected": (privacy,)}
    stored = plan.stored()[new_id]
    assert stored.observation_ids == (privacy,) and stored.component_id == "service-design"
    assert page.tree.currentIndex().data(ActionTableModel.ActionIdRole) == new_id
    plan.ow.undo_stack.undo()
    assert new_id not in plan.stored()


def test_cancelled_dialog_adds_nothing(page: PlanPage, plan: Plan, monkeypatch) -> None:
    monkeypatch.setattr(ActionDialog, "ask", staticmethod(lambda *a, **k: None))
    assert page.new_action() is None
    assert len(plan.stored()) == len(plan.actions)


def test_enter_edits_through_the_dialog_and_delete_key_deletes(page: PlanPage, plan: Plan, qtbot,
                                                              monkeypatch) -> None:
    monkeypatch.setattr(ActionDialog, "ask", staticmethod(
        lambda parent, ow, *, action=None, preselected_observation_ids=(): {"owner": "Deputy manager"}))
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.select_action(plan.actions["letters"])
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus)

    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert plan.stored()[plan.actions["letters"]].owner == "Deputy manager"

    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    assert plan.actions["letters"] not in plan.stored()


def test_delete_and_undo_restores_the_action_with_its_links(page: PlanPage, plan: Plan) -> None:
    budget = plan.actions["budget"]
    before = plan.stored()[budget]
    page.select_action(budget)
    page.delete_action_act.trigger()
    assert budget not in plan.stored()
    assert not page.model.index_of_action(budget).isValid()

    plan.ow.undo_stack.undo()
    after = plan.stored()[budget]
    assert (after.text, after.observation_ids, after.component_id) == (
        before.text, before.observation_ids, before.component_id)
    assert page.model.index_of_action(budget).isValid()


def test_deleting_several_is_one_undo_step(page: PlanPage, plan: Plan) -> None:
    page.group_action.setChecked(False)
    page.tree.selectAll()
    page.delete_selected()
    assert plan.stored() == {}
    assert page.stack.currentWidget() is page.empty_state
    plan.ow.undo_stack.undo()
    assert set(plan.stored()) == set(plan.actions.values())
    assert page.stack.currentWidget() is page.tree


def test_quick_wins_filter_shows_owned_soon_unfinished_actions(page: PlanPage, plan: Plan) -> None:
    page.quick_wins_check.setChecked(True)
    a = plan.actions
    # Not "chair": it is overdue, and an overdue action is no quick win.
    assert set(_action_ids(page.proxy)) == {a["leaders"], a["huddles"]}
    # Groups without a quick win are hidden while filtering.
    assert page.proxy.rowCount() == 2

    page.clear_filters()
    assert set(_action_ids(page.proxy)) == set(a.values())
    # Only groups with actions: empty components are hidden with or without filters.
    assert page.proxy.rowCount() == len(_components_with_actions(plan))


def test_the_quick_win_star_is_explained_where_it_is_shown(page: PlanPage, plan: Plan, qtbot) -> None:
    page.show()
    qtbot.waitExposed(page)
    legends = [label for label in page.findChildren(QLabel) if label.isVisible() and label.text().startswith("★")]
    assert len(legends) == 1
    legend = legends[0]
    assert legend.text() == "★ Quick win: it has an owner, is neither done nor overdue, and is in progress or due within 30 days."
    # Beside the list, not far off: right under it.
    tree_bottom = page.tree.mapTo(page, page.tree.rect().bottomLeft()).y()
    assert 0 <= legend.mapTo(page, legend.rect().topLeft()).y() - tree_bottom <= page.fontMetrics().height() * 2

    star = page.proxy.mapFromSource(page.model.index_of_action(plan.actions["leaders"]))
    assert star.data().startswith("★ ")
    assert legend.text().removeprefix("★ ") in star.data(Qt.ItemDataRole.ToolTipRole)
    assert page.quick_wins_check.toolTip() == legend.text().removeprefix("★ ")


def test_status_priority_and_search_filters(page: PlanPage, plan: Plan) -> None:
    a = plan.actions
    page.status_filter.setCurrentIndex(page.status_filter.findText("Done"))
    assert _action_ids(page.proxy) == [a["names"]]
    page.status_filter.setCurrentIndex(page.status_filter.findText("Not done"))
    assert a["names"] not in _action_ids(page.proxy) and len(_action_ids(page.proxy)) == 5
    page.priority_filter.setCurrentIndex(page.priority_filter.findText("High"))
    assert _action_ids(page.proxy) == [a["leaders"]]
    page.clear_filters()
    page.search_edit.setText("reception FINANCE")
    assert _action_ids(page.proxy) == [a["budget"]]
    page.search_edit.setText("no such words")
    assert page.stack.currentWidget() is page.no_match
    page.clear_filters_button.click()
    assert page.stack.currentWidget() is page.tree


def test_sorting_by_due_date_keeps_undated_actions_last(page: PlanPage, plan: Plan) -> None:
    a = plan.actions
    page.group_action.setChecked(False)
    assert _action_ids(page.proxy) == list(a.values())  # plan order until a column is sorted

    page.tree.sortByColumn(ActionColumn.DUE, Qt.SortOrder.AscendingOrder)
    assert _action_ids(page.proxy) == [a["names"], a["chair"], a["letters"], a["leaders"], a["budget"], a["huddles"]]
    page.tree.sortByColumn(ActionColumn.DUE, Qt.SortOrder.DescendingOrder)
    assert _action_ids(page.proxy) == [a["budget"], a["leaders"], a["letters"], a["chair"], a["names"], a["huddles"]]

    # Grouped, sorting orders actions inside each group and the groups keep lens order.
    page.group_action.setChecked(True)
    groups = [page.proxy.index(r, 0).data(ActionTableModel.ComponentIdRole) for r in range(page.proxy.rowCount())]
    assert groups == _components_with_actions(plan)


def _components_with_actions(plan: Plan) -> list[str | None]:
    """The group keys the plan page shows: components with actions in lens order, then "No component"."""
    used = {a.component_id for a in plan.stored().values()}
    return [c.id for c in plan.ow.lens.components if c.id in used] + ([None] if None in used else [])


def test_empty_plan_shows_how_to_start(database: Database, qtbot) -> None:
    plan = _make_plan(database, with_actions=False)
    page = PlanPage(plan.ow)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty_state
    assert "No actions yet" in page.empty_label.text()
    page.resize(*SCREEN)
    page.grab().save(str(SHOTS / "plan_empty.png"))


def test_a_linked_finding_not_rated_yet_says_so_in_the_plan_and_the_action_dialog(plan: Plan, qtbot) -> None:
    seats = plan.observations["seats"]
    plan.ow.edit_observation(seats, rating_id=None)
    model = ActionTableModel(plan.ow)
    model.set_grouped(False)
    budget = model.index_of_action(plan.actions["budget"])
    tip = budget.siblingAtColumn(ActionColumn.FINDINGS).data(Qt.ItemDataRole.ToolTipRole)
    assert "Waiting area" in tip and "Not rated yet" in tip
    dialog = ActionDialog(None, plan.ow, preselected_observation_ids=[seats])
    qtbot.addWidget(dialog)
    texts = [dialog.findings_list.item(i).text() for i in range(dialog.findings_list.count())]
    assert any("? Not rated yet" in t and "Chairs bolted" in t for t in texts)


# -- the dialog -----------------------------------------------------------------------------------------


def test_dialog_creates_with_findings_ticked_and_ok_needs_text(plan: Plan, qtbot) -> None:
    privacy = plan.observations["privacy"]
    dialog = ActionDialog(None, plan.ow, preselected_observation_ids=[privacy])
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.checked_observation_ids() == (privacy,)
    # The finding's principles (from its prompt) are ticked to start with.
    assert {pid for pid, c in dialog.principle_checks.items() if c.isChecked()} == {"safety", "trust"}
    first = dialog.findings_list.item(0).text()
    assert first.startswith("Approach and outside — ") and "Working well" in first

    dialog.text_edit.setPlainText("Private booth for arrivals")
    dialog.principle_checks["safety"].setChecked(True)
    dialog.owner_edit.setText("Estates")
    dialog.no_due_check.setChecked(False)
    dialog.due_edit.setDate(QDate(2030, 5, 1))
    dialog.component_combo.setCurrentIndex(dialog.component_combo.findData("service-design"))
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData("high"))
    assert dialog.ok_button.isEnabled()
    dialog.resize(dialog.sizeHint().expandedTo(dialog.size()))
    dialog.grab().save(str(SHOTS / "plan_dialog_new.png"))

    new = dialog.result_value()
    assert new == NewAction("Private booth for arrivals", owner="Estates", due_date=dt.date(2030, 5, 1),
                            priority=Priority.HIGH, component_id="service-design",
                            principle_ids=("safety", "trust"), observation_ids=(privacy,))


def test_dialog_edit_returns_only_changed_fields(plan: Plan, qtbot) -> None:
    record = plan.stored()[plan.actions["budget"]]
    dialog = ActionDialog(None, plan.ow, action=record)
    qtbot.addWidget(dialog)
    assert dialog.result_value() == {}
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("in-progress"))
    dialog.no_due_check.setChecked(True)
    assert dialog.result_value() == {"status": ActionStatus.IN_PROGRESS, "due_date": None}
    dialog.grab().save(str(SHOTS / "plan_dialog_edit.png"))


def test_dialog_ask_returns_none_when_cancelled(plan: Plan, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(ActionDialog, "exec", lambda self: ActionDialog.DialogCode.Rejected)
    assert ActionDialog.ask(None, plan.ow) is None


# -- how it looks -----------------------------------------------------------------------------------------


def test_screenshots_at_1366_by_768(page: PlanPage, plan: Plan, qtbot) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.select_action(plan.actions["leaders"])
    page.grab().save(str(SHOTS / "plan_grouped.png"))
    page.group_action.setChecked(False)
    page.tree.sortByColumn(ActionColumn.DUE, Qt.SortOrder.AscendingOrder)
    page.grab().save(str(SHOTS / "plan_flat_sorted.png"))
    page.quick_wins_check.setChecked(True)
    page.grab().save(str(SHOTS / "plan_quick_wins.png"))
    page.search_edit.setText("nothing matches this")
    page.grab().save(str(SHOTS / "plan_no_match.png"))
    assert page.size().width() == SCREEN[0]


@pytest.mark.parametrize("factor", [1.6, 2.0], ids=["text-1.6x", "text-2x"])
def test_with_large_text_the_plan_fits_1366_wide_without_scrolling_sideways(plan: Plan, qapp, qtbot,
                                                                             factor: float) -> None:
    normal = QFont(qapp.font())
    big = QFont(normal)
    if normal.pointSizeF() > 0:
        big.setPointSizeF(normal.pointSizeF() * factor)
    else:
        big.setPixelSize(round(normal.pixelSize() * factor))
    qapp.setFont(big)
    try:
        page = PlanPage(plan.ow)
        qtbot.addWidget(page)
        assert page.minimumSizeHint().width() <= SCREEN[0]
        page.resize(*SCREEN)
        page.show()
        qtbot.waitExposed(page)
        for grouped in (True, False):
            page.group_action.setChecked(grouped)
            QApplication.processEvents()
            assert page.tree.horizontalScrollBar().maximum() == 0, grouped
            assert page.tree.header().length() <= page.tree.viewport().width()
        # The action text keeps a readable width; the bars wrap rather than run off the page.
        assert page.tree.columnWidth(ActionColumn.TEXT) >= page.fontMetrics().averageCharWidth() * 20
        for widget in (page.search_edit, page.quick_wins_check, page.component_filter):
            right = widget.mapTo(page, widget.rect().topRight()).x()
            assert 0 <= right <= page.width(), widget.accessibleName()
    finally:
        qapp.setFont(normal)


def test_long_action_text_wraps_onto_taller_rows_instead_of_being_cut(page: PlanPage, plan: Plan, qtbot) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    page.resize(683, 600)  # a 1366 × 768 laptop with 2× text
    page.show()
    qtbot.waitExposed(page)
    page.select_action(plan.actions["leaders"])
    tree = page.tree
    metrics = QFontMetrics(tree.font())

    def fits() -> bool:
        index = tree.currentIndex().siblingAtColumn(ActionColumn.TEXT)
        cell = tree.visualRect(index)
        text = index.data()
        needed = metrics.boundingRect(QRect(0, 0, cell.width() - 8, 10_000), int(Qt.TextFlag.TextWordWrap),
                                      text).height()
        return needed > metrics.height() * 1.5 and cell.height() >= needed

    qtbot.waitUntil(fits)
    # Narrower still (the window made smaller): the rows grow again.
    page.resize(560, 600)
    qtbot.waitUntil(fits)
    # The column dragged narrower by hand: the same.
    tree.header().resizeSection(ActionColumn.TEXT, tree.header().sectionSize(ActionColumn.TEXT) // 2)
    qtbot.waitUntil(fits)
    # A row taller than the list (large text) can be scrolled to its end.
    tree.setMaximumHeight(tree.header().height() + metrics.height() * 3)
    qtbot.waitUntil(lambda: tree.visualRect(tree.currentIndex()).height() > tree.viewport().height())
    bar = tree.verticalScrollBar()

    def end_in_sight(value: int) -> bool:
        bar.setValue(value)
        return 0 <= tree.visualRect(tree.currentIndex()).bottom() < tree.viewport().height()

    assert any(end_in_sight(value) for value in range(bar.minimum(), bar.maximum() + 1))


# -- The plan hides component groups with no actions ------------------------------------------------------


def _group_rows(model) -> list[tuple[str | None, int]]:
    from walkthrough.gui.models.action_table_model import ActionTableModel

    rows = []
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        assert index.data(ActionTableModel.IsGroupRole)
        rows.append((index.data(ActionTableModel.ComponentIdRole), model.rowCount(index)))
    return rows


@pytest.fixture
def general_plan(db, qapp) -> OpenWalkthrough:
    lens = load_catalog().get("general").lens
    record = create_walkthrough(db, lens, service="Harbour Recovery Service", site="Leith")
    return OpenWalkthrough(db, record.id)


def test_the_plan_shows_only_component_groups_that_have_actions(general_plan, qtbot, qtmodeltester) -> None:
    from walkthrough.domain.vocabulary import ActionStatus

    ow = general_plan
    ow.add_action(NewAction("Managers walk the route", component_id="leadership"))
    ow.add_action(NewAction("Budget for a quiet room", component_id="budgets", status=ActionStatus.DONE))
    page = PlanPage(ow)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.model.grouped
    assert _group_rows(page.proxy) == [("leadership", 1), ("budgets", 1)]  # lens order, no "(0)" groups
    assert all("(0)" not in page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount()))

    # A filter that leaves a group empty hides it too.
    page.proxy.set_status_filter([ActionStatus.DONE])
    assert _group_rows(page.proxy) == [("budgets", 1)]
    page.proxy.set_status_filter(None)

    # A group appears with its first action (opened) and goes with its last.
    ow.add_action(NewAction("Peer supporters on the interview panel", component_id="power-sharing"))
    assert _group_rows(page.proxy) == [("leadership", 1), ("power-sharing", 1), ("budgets", 1)]
    assert page.tree.isExpanded(page.proxy.index(1, 0))
    ow.undo_stack.undo()
    assert _group_rows(page.proxy) == [("leadership", 1), ("budgets", 1)]
    qtmodeltester.check(page.proxy)


# -- repainting only what changed ---------------------------------------------------------------------


class Repaints:
    """The actions whose rows a model said changed (a bound method as the slot)."""

    def __init__(self, model: ActionTableModel) -> None:
        self.actions: list[str | None] = []
        model.dataChanged.connect(self.record)

    def record(self, top_left, bottom_right, roles=()) -> None:
        assert top_left.row() == bottom_right.row()
        self.actions.append(top_left.data(ActionTableModel.ActionIdRole))


def test_editing_an_action_repaints_that_row_and_reads_nothing_else(plan: Plan, page: PlanPage, qtbot,
                                                                   monkeypatch) -> None:
    model = page.model
    read: list[str] = []
    real = action_service.list_actions
    monkeypatch.setattr(action_service, "list_actions", lambda db, wid: read.append(wid) or real(db, wid))
    rows = Repaints(model)
    assert "1 done" in page.summary_label.text()

    with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.rowsInserted), \
            qtbot.assertNotEmitted(model.rowsRemoved):
        assert plan.ow.edit_action(plan.actions["chair"], status=ActionStatus.DONE)
    assert rows.actions == [plan.actions["chair"]]
    assert model.index_of_action(plan.actions["chair"]).siblingAtColumn(ActionColumn.STATUS).data(
        ActionTableModel.ActionRole).status is ActionStatus.DONE
    assert "2 done" in page.summary_label.text()
    assert read == []  # the plan was not read again

    # A note saved on a finding leaves the plan alone.
    with qtbot.assertNotEmitted(model.dataChanged):
        plan.ow.edit_observation(plan.observations["privacy"], note="Names still called out.")
