"""The workshop Review page: the findings table, its filters, the per-principle summary and the presentation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication, QComboBox, QHeaderView, QPlainTextEdit

from walkthrough.domain.lens import FindingKind
from walkthrough.domain.vocabulary import Voice
from walkthrough.gui.models.findings_filter_model import FindingsFilter, FindingsFilterModel
from walkthrough.gui.models.findings_table_model import FindingsTableModel, search_key
from walkthrough.gui.models.principle_summary_model import PrincipleSummaryModel
from walkthrough.gui.open_walkthrough import OpenWalkthrough
from walkthrough.gui.views.presentation_view import MODE_PRIORITY, PresentationView
from walkthrough.gui.views.review_page import ReviewPage
from walkthrough.gui.widgets.principle_chart import PrincipleChart
from walkthrough.gui.wording import rating_text
from walkthrough.services import observations as observation_service
from walkthrough.services.lens_catalog import load_catalog
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.services.walkthroughs import create_walkthrough
from walkthrough.storage.database import open_database

Column = FindingsTableModel.Column
SCREEN = (1366, 768)


def jpeg(colour: tuple[int, int, int], words: str) -> bytes:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 1100, 700), outline=(255, 255, 255), width=12)
    draw.text((140, 140), words, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# Six findings on the general lens, with principles given explicitly so the
# expected counts can be read off here:
#   safety 1 ww + 2 pc = 3; trust 1 ww + 1 cbb + 1 pc = 3; choice 1 ww + 1 pc = 2;
#   collaboration 1 not seen = 1; empowerment 1 ww = 1.
FINDINGS = [
    NewObservation("approach", "working-well", "approach-find", ("safety", "trust"),
                   "Clear signs from the bus stop.", Voice.FACILITATOR),
    NewObservation("entrance", "priority-concern", "entrance-security", ("safety",),
                   "Buzzer entry with no sign; people wait outside in the rain.\nStaff agreed to look at it.",
                   Voice.LIVED_EXPERIENCE),
    NewObservation("reception", "priority-concern", "reception-privacy", ("trust", "safety", "choice"),
                   "Café-style counter: everyone hears your name and date of birth.", Voice.STAFF),
    NewObservation("reception", "could-be-better", None, ("trust",),
                   "Leaflets in the rack are two years out of date.", Voice.MANAGER),
    NewObservation("waiting-area", "working-well", "waiting-seat-choice", ("empowerment", "choice"),
                   "Chairs in small groups, some near the door, so people can choose.", Voice.LIVED_EXPERIENCE),
    NewObservation("signage", "not-seen", "signage-tone", ("collaboration",), "", Voice.OTHER),
]


@pytest.fixture
def database(tmp_path: Path):
    db = open_database(tmp_path / "w.sqlite3")
    yield db
    db.close()


@pytest.fixture
def ids(database) -> dict[str, str]:
    """Walkthrough on the bundled general lens with FINDINGS; returns ids by name (wid, o0..o5)."""
    lens = load_catalog().get("general").lens
    wid = create_walkthrough(database, lens, service="Hillview Clinic", site="Main street").id
    out = {"wid": wid}
    photos = {
        0: (prepare_photo(jpeg((40, 90, 160), "bus stop sign"), "sign.jpg"),),
        1: (prepare_photo(jpeg((150, 40, 40), "buzzer"), "buzzer.jpg"),
            prepare_photo(jpeg((90, 90, 90), "door"), "door.jpg")),
    }
    for n, new in enumerate(FINDINGS):
        if n in photos:
            new = NewObservation(new.area_id, new.rating_id, new.prompt_id, new.principle_ids, new.note,
                                 new.voice, photos[n])
        out[f"o{n}"] = add_observation(database, wid, new).id
    return out


@pytest.fixture
def open_wt(database, ids, qapp) -> OpenWalkthrough:
    return OpenWalkthrough(database, ids["wid"])


@pytest.fixture
def model(open_wt) -> FindingsTableModel:
    return FindingsTableModel(open_wt)


@pytest.fixture
def proxy(model) -> FindingsFilterModel:
    p = FindingsFilterModel()
    p.setSourceModel(model)
    return p


@pytest.fixture
def page(open_wt, qtbot) -> ReviewPage:
    widget = ReviewPage(open_wt)
    qtbot.addWidget(widget)
    widget.resize(*SCREEN)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column(model, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def stored_note(open_wt: OpenWalkthrough, observation_id: str) -> str:
    return observation_service.get_observation(open_wt.db, observation_id).note


# -- the models -----------------------------------------------------------------------------


def test_every_custom_model_passes_the_model_tester(open_wt, model, proxy, qtmodeltester) -> None:
    qtmodeltester.check(model)
    proxy.sort(Column.RATING, Qt.SortOrder.DescendingOrder)
    proxy.set_filter(FindingsFilter(principle_id="safety", search="the"))
    qtmodeltester.check(proxy)
    qtmodeltester.check(PrincipleSummaryModel(open_wt))


def test_models_stay_consistent_while_findings_are_added_edited_and_deleted(open_wt, model, proxy,
                                                                           qtmodeltester) -> None:
    summary = PrincipleSummaryModel(open_wt)
    proxy.sort(Column.RATING)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    qtmodeltester.check(summary)
    new_id = open_wt.add_observation(NewObservation("toilets", "priority-concern", "toilets-dignity"))
    assert new_id is not None
    open_wt.edit_observation(new_id, note="No lock on the door", rating_id="could-be-better")
    open_wt.delete_observation(model.observation_at(0).id)
    open_wt.undo_stack.undo()
    open_wt.undo_stack.undo()
    open_wt.undo_stack.undo()
    assert model.row_of(new_id) == -1
    assert [model.observation_at(r).id for r in range(model.rowCount())] == [o.id for o in open_wt.observations()]


def test_rows_are_in_walking_order_and_every_cell_reads_in_words(model, ids) -> None:
    assert column(model, Column.AREA) == [
        "Approach and outside", "Entrance", "Reception", "Reception", "Waiting area", "Signage and notices",
    ]
    assert column(model, 0, FindingsTableModel.ObservationIdRole) == [ids[f"o{n}"] for n in range(6)]
    assert column(model, Column.PROMPT)[3] == "Other observation"
    assert column(model, Column.RATING)[1] == "! Priority concern"
    assert model.index(1, Column.RATING).data(Qt.ItemDataRole.BackgroundRole) == QColor("#C62828")
    assert model.index(1, Column.RATING).data(Qt.ItemDataRole.ForegroundRole) == QColor("#FFFFFF")
    assert model.index(1, Column.RATING).data(Qt.ItemDataRole.EditRole) == "priority-concern"
    # Principles in the lens's order, not the order they were given or stored.
    assert column(model, Column.PRINCIPLES)[2] == "Safety, Trust, Choice"
    assert model.index(2, 0).data(FindingsTableModel.PrincipleIdsRole) in (
        ("safety", "trust", "choice"), ["safety", "trust", "choice"])
    assert column(model, Column.VOICE)[1] == "Person with lived experience"
    assert model.index(1, 0).data(FindingsTableModel.VoiceRole) == "lived-experience"
    assert column(model, Column.NOTE)[1] == "Buzzer entry with no sign; people wait outside in the rain. …"
    tip = model.index(1, Column.NOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Staff agreed to look at it." in tip
    assert column(model, Column.PHOTOS)[:3] == [1, 2, 0]
    assert model.index(0, Column.RATING).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(0, Column.AREA).flags() & Qt.ItemFlag.ItemIsEditable


def test_a_note_with_markup_is_never_rendered_as_markup_in_its_tooltip(open_wt, model, ids) -> None:
    open_wt.edit_observation(ids["o0"], note="<b>bold</b> & <img src=x>")
    tip = model.index(0, Column.NOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tip and "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in tip


# -- filtering and sorting ----------------------------------------------------------------------


def test_filters_by_rating_principle_voice_and_area_narrow_the_rows(proxy, ids) -> None:
    assert proxy.rowCount() == 6
    proxy.set_rating("priority-concern")
    assert proxy.observation_ids() == [ids["o1"], ids["o2"]]
    proxy.set_principle("trust")
    assert proxy.observation_ids() == [ids["o2"]]
    proxy.set_filter(FindingsFilter(voice=Voice.LIVED_EXPERIENCE))
    assert proxy.observation_ids() == [ids["o1"], ids["o4"]]
    proxy.set_filter(FindingsFilter(area_id="reception"))
    assert proxy.observation_ids() == [ids["o2"], ids["o3"]]
    proxy.set_filter(FindingsFilter(finding_kind=FindingKind.STRENGTH))
    assert proxy.observation_ids() == [ids["o0"], ids["o4"]]
    proxy.set_filter(FindingsFilter(area_id="reception", principle_id="choice"))
    assert proxy.observation_ids() == [ids["o2"]]
    proxy.clear()
    assert proxy.rowCount() == 6 and proxy.findings_filter.is_empty()


def test_a_finding_leaves_the_filtered_rows_when_its_rating_is_changed(open_wt, proxy, ids) -> None:
    proxy.set_rating("priority-concern")
    open_wt.edit_observation(ids["o1"], rating_id="working-well")
    assert proxy.observation_ids() == [ids["o2"]]
    open_wt.undo_stack.undo()
    assert proxy.observation_ids() == [ids["o1"], ids["o2"]]


def test_search_matches_area_prompt_and_note_ignoring_case_and_accents(proxy, ids) -> None:
    proxy.set_search("CAFE")
    assert proxy.observation_ids() == [ids["o2"]]
    proxy.set_search("café counter")
    assert proxy.observation_ids() == [ids["o2"]]
    proxy.set_search("reception")  # the area's title
    assert proxy.observation_ids() == [ids["o2"], ids["o3"]]
    proxy.set_search("overheard")  # words of the reception-privacy prompt
    assert proxy.observation_ids() == [ids["o2"]]
    proxy.set_search("  rain   buzzer ")  # every word, any order
    assert proxy.observation_ids() == [ids["o1"]]
    proxy.set_search("no such words anywhere")
    assert proxy.rowCount() == 0
    assert search_key("Ångström ÉTÉ Straße") == "angstrom ete strasse"


def test_sorting_by_rating_follows_the_scale_and_keeps_walking_order_within_a_rating(proxy, ids) -> None:
    proxy.sort(Column.RATING, Qt.SortOrder.AscendingOrder)
    assert proxy.observation_ids() == [ids[k] for k in ("o0", "o4", "o3", "o1", "o2", "o5")]
    proxy.sort(Column.RATING, Qt.SortOrder.DescendingOrder)
    assert proxy.observation_ids() == [ids[k] for k in ("o5", "o1", "o2", "o3", "o0", "o4")]
    proxy.sort(Column.AREA, Qt.SortOrder.DescendingOrder)
    assert proxy.observation_ids() == [ids[f"o{n}"] for n in reversed(range(6))]
    proxy.sort(Column.PHOTOS, Qt.SortOrder.DescendingOrder)
    assert proxy.observation_ids()[:2] == [ids["o1"], ids["o0"]]


# -- editing and undo --------------------------------------------------------------------------------


def test_editing_a_note_in_the_table_saves_it_and_undo_puts_it_back(page, open_wt, ids, qtbot) -> None:
    proxy = page.proxy_model
    index = proxy.index(proxy.row_of(ids["o3"]), Column.NOTE)
    assert proxy.setData(index, "Leaflets replaced.\nNew rack ordered.", Qt.ItemDataRole.EditRole)
    assert stored_note(open_wt, ids["o3"]) == "Leaflets replaced.\nNew rack ordered."
    view_index = page.table_view.model().index(proxy.row_of(ids["o3"]), Column.NOTE)
    assert view_index.data() == "Leaflets replaced. …"
    assert open_wt.undo_stack.undoText() == "Edit note"

    open_wt.undo_stack.undo()
    assert stored_note(open_wt, ids["o3"]) == "Leaflets in the rack are two years out of date."
    qtbot.waitUntil(lambda: page.table_view.model().index(proxy.row_of(ids["o3"]), Column.NOTE).data()
                    == "Leaflets in the rack are two years out of date.")


def test_one_note_edit_signals_only_its_own_row(open_wt, model, ids) -> None:
    events: list[tuple] = []
    model.dataChanged.connect(lambda a, b, roles=None: events.append(("changed", a.row(), b.row(), a.column(), b.column())))
    model.modelReset.connect(lambda: events.append(("reset",)))
    model.layoutChanged.connect(lambda *a: events.append(("layout",)))
    model.rowsInserted.connect(lambda *a: events.append(("inserted",)))
    model.rowsRemoved.connect(lambda *a: events.append(("removed",)))
    row = model.row_of(ids["o4"])
    assert model.setData(model.index(row, Column.NOTE), "Chairs in groups.")
    assert events == [("changed", row, row, Column.NOTE, Column.NOTE)]


def test_rating_and_voice_are_edited_with_combos_and_undone_in_one_step(page, open_wt, ids, qtbot) -> None:
    view = page.table_view
    proxy = page.proxy_model
    index = proxy.index(proxy.row_of(ids["o3"]), Column.RATING)
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.viewport().findChild(QComboBox)
    assert combo is not None and combo.currentData() == "could-be-better"
    assert combo.itemText(combo.findData("priority-concern")) == "! Priority concern"
    combo.setCurrentIndex(combo.findData("priority-concern"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: open_wt.observation(ids["o3"]).rating_id == "priority-concern")
    assert observation_service.get_observation(open_wt.db, ids["o3"]).rating_id == "priority-concern"
    assert page.summary_model.count("trust", "priority-concern") == 2

    index = proxy.index(proxy.row_of(ids["o3"]), Column.VOICE)
    assert proxy.setData(index, "lived-experience")
    assert observation_service.get_observation(open_wt.db, ids["o3"]).voice is Voice.LIVED_EXPERIENCE
    open_wt.undo_stack.undo()
    open_wt.undo_stack.undo()
    assert open_wt.observation(ids["o3"]).rating_id == "could-be-better"
    assert proxy.index(proxy.row_of(ids["o3"]), Column.RATING).data() == "~ Could be better"
    assert not proxy.setData(proxy.index(0, Column.RATING), "no-such-rating")


def test_the_note_editor_is_multi_line(page, ids) -> None:
    view = page.table_view
    index = page.proxy_model.index(page.proxy_model.row_of(ids["o1"]), Column.NOTE)
    view.edit(index)
    editor = view.viewport().findChild(QPlainTextEdit)
    assert editor is not None
    assert editor.toPlainText().endswith("\nStaff agreed to look at it.")


def test_rows_follow_observations_added_deleted_and_restored(open_wt, model, ids, qtbot) -> None:
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        new_id = open_wt.add_observation(NewObservation("entrance", "could-be-better", "entrance-get-in"))
    # entrance-get-in comes before entrance-security in the lens: row 1.
    assert inserted.args[1] == 1 and model.row_of(new_id) == 1
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        open_wt.delete_observation(ids["o2"])
    assert removed.args[1] == 3 and model.row_of(ids["o2"]) == -1
    with qtbot.waitSignal(model.rowsInserted):
        open_wt.undo_stack.undo()
    assert model.row_of(ids["o2"]) == 3
    assert [model.observation_at(r).id for r in range(model.rowCount())] == [o.id for o in open_wt.observations()]


# -- summary and chart ------------------------------------------------------------------------------


def test_principle_summary_counts_each_principle_by_rating(open_wt, ids) -> None:
    summary = PrincipleSummaryModel(open_wt)
    ratings = [r.id for r in open_wt.lens.ratings]
    assert ratings == ["working-well", "could-be-better", "priority-concern", "not-seen"]
    table = [[summary.index(r, c).data() for c in range(summary.columnCount())] for r in range(summary.rowCount())]
    assert [summary.headerData(r, Qt.Orientation.Vertical) for r in range(5)] == [
        "Safety", "Trust", "Choice", "Collaboration", "Empowerment"]
    assert summary.headerData(5, Qt.Orientation.Horizontal) == "Total"
    assert summary.headerData(4, Qt.Orientation.Horizontal) == "? Not rated yet"
    assert summary.headerData(2, Qt.Orientation.Horizontal) == "! Priority concern"
    assert table == [
        [1, 0, 2, 0, 0, 3],
        [1, 1, 1, 0, 0, 3],
        [1, 0, 1, 0, 0, 2],
        [0, 0, 0, 1, 0, 1],
        [1, 0, 0, 0, 0, 1],
    ]
    changes: list[tuple[int, int, int, int]] = []
    summary.dataChanged.connect(lambda a, b, roles=None: changes.append((a.row(), a.column(), b.row(), b.column())))
    open_wt.edit_observation(ids["o3"], rating_id="priority-concern")
    assert summary.count("trust", "priority-concern") == 2 and summary.count("trust", "could-be-better") == 0
    assert changes == [(1, 1, 1, 5)]
    open_wt.edit_observation(ids["o3"], note="Just words")
    assert len(changes) == 1  # a note edit changes no count


def test_the_summary_counts_as_the_report_does_with_untagged_and_not_rated_findings(
    open_wt, database, ids, qtmodeltester
) -> None:
    from walkthrough.domain.not_rated import NOT_RATED_KEY
    from walkthrough.report.findings import NO_PRINCIPLE, gather_findings
    from walkthrough.report.report_options import ReportOptions
    from walkthrough.services.walkthroughs import load_contents

    summary = PrincipleSummaryModel(open_wt)
    open_wt.add_observation(NewObservation("reception", "could-be-better", None, (), "No principle given"))
    open_wt.add_observation(NewObservation("reception", None, None, ("trust",), "Rated later"))
    open_wt.add_observation(NewObservation("entrance", None, None, (), "Neither yet"))
    qtmodeltester.check(summary)
    findings = gather_findings(load_contents(database, ids["wid"]), ReportOptions())

    rows = range(summary.rowCount())
    in_window = {
        (summary.headerData(r, Qt.Orientation.Vertical, PrincipleSummaryModel.PrincipleIdRole),
         summary.headerData(c, Qt.Orientation.Horizontal, PrincipleSummaryModel.RatingIdRole)): summary.index(r, c).data()
        for r in rows for c in range(summary.total_column) if summary.index(r, c).data()
    }
    assert in_window == findings.counts
    assert [summary.headerData(r, Qt.Orientation.Vertical) for r in rows] == [
        name for _pid, name in findings.principle_rows]
    assert summary.headerData(rows[-1], Qt.Orientation.Vertical) == "No principle"
    assert summary.count(NO_PRINCIPLE, "could-be-better") == 1 and summary.count(NO_PRINCIPLE, NOT_RATED_KEY) == 1
    assert summary.count("trust", NOT_RATED_KEY) == 1 and summary.count("trust") == 4


def test_findings_not_rated_yet_read_filter_count_and_can_be_rated_or_unrated_in_place(
    open_wt, model, proxy, ids
) -> None:
    from walkthrough.domain.not_rated import NOT_RATED_KEY

    unrated = open_wt.add_observation(NewObservation("reception", None, "reception-privacy", ("trust",),
                                                     "Staff said 2 of them were turned away"))
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(model.ObservationIdRole) == unrated)
    cell = model.index(row, Column.RATING)
    assert cell.data() == "? Not rated yet" and cell.data(Qt.ItemDataRole.EditRole) == NOT_RATED_KEY
    assert "Not rated yet" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None  # a chip, with its words
    proxy.set_rating(NOT_RATED_KEY)
    assert column(proxy, Column.NOTE) == ["Staff said 2 of them were turned away"]
    summary = PrincipleSummaryModel(open_wt)
    assert summary.count("trust", NOT_RATED_KEY) == 1
    assert summary.headerData(summary.not_rated_column, Qt.Orientation.Horizontal,
                              PrincipleSummaryModel.RatingIdRole) == NOT_RATED_KEY
    assert model.setData(cell, "could-be-better")
    assert open_wt.observation(unrated).rating_id == "could-be-better" and proxy.rowCount() == 0
    assert summary.count("trust", NOT_RATED_KEY) == 0
    assert model.setData(model.index(row, Column.RATING), NOT_RATED_KEY)
    assert observation_service.get_observation(open_wt.db, unrated).rating_id is None


def test_the_rating_filter_and_the_rating_editor_offer_not_rated_yet(page, open_wt) -> None:
    from walkthrough.domain.not_rated import NOT_RATED_KEY

    assert page.rating_combo.itemText(page.rating_combo.findData(NOT_RATED_KEY)) == "? Not rated yet"
    assert NOT_RATED_KEY in [value for value, _words in page._rating_delegate._choices]
    # The summary's "Not rated yet" column shows only while some are.
    column = page.summary_model.not_rated_column
    assert page.summary_view.isColumnHidden(column)
    assert "Not rated yet" not in page.chart.description()
    open_wt.add_observation(NewObservation("reception", None, "reception-privacy", ("trust",), note="Later"))
    assert not page.summary_view.isColumnHidden(column)
    assert "1 ? Not rated yet" in page.chart.description()


def test_chart_paints_and_labels_every_segment_with_its_count(open_wt, qtbot) -> None:
    summary = PrincipleSummaryModel(open_wt)
    chart = PrincipleChart(summary)
    qtbot.addWidget(chart)
    chart.resize(420, chart.heightForWidth(420))
    chart.show()
    qtbot.waitExposed(chart)
    assert not chart.grab().isNull()
    labels = chart.segment_labels()
    assert [[label.split()[-1] for label in row] for row in labels] == [
        ["1", "2"], ["1", "1", "1"], ["1", "1"], ["1"], ["1"]]
    assert chart.accessibleName()
    assert chart.description().startswith("Safety: 1 ✓ Working well, 2 ! Priority concern; Trust:")
    # Narrow: the numbers still fit, the symbols make way.
    chart.resize(220, chart.heightForWidth(220))
    assert all(label for row in chart.segment_labels() for label in row)
    assert not chart.grab().isNull()


# -- the page ------------------------------------------------------------------------------------------


def test_filter_bar_narrows_the_table_and_clear_filters_shows_all(page, ids) -> None:
    assert page.count_label.text() == "6 findings"
    assert not page.clear_button.isEnabled()
    page.rating_combo.setCurrentIndex(page.rating_combo.findData("priority-concern"))
    assert page.proxy_model.rowCount() == 2
    page.voice_combo.setCurrentIndex(page.voice_combo.findData("staff"))
    assert page.proxy_model.observation_ids() == [ids["o2"]]
    assert page.count_label.text() == "Showing 1 of 6 findings"
    page.principle_combo.setCurrentIndex(page.principle_combo.findData("empowerment"))
    assert page.proxy_model.rowCount() == 0
    assert page.table_stack.currentWidget() is page.empty_label
    assert page.clear_button.isEnabled()
    page.clear_button.click()
    assert page.proxy_model.rowCount() == 6
    assert page.table_stack.currentWidget() is page.table_view
    assert page.rating_combo.currentIndex() == 0 and page.voice_combo.currentIndex() == 0
    page.area_combo.setCurrentIndex(page.area_combo.findData("reception"))
    page.search_edit.setText("leaflets")
    assert page.proxy_model.observation_ids() == [ids["o3"]]
    assert page.findings_filter() == FindingsFilter(area_id="reception", search="leaflets")


def test_every_control_has_an_accessible_name(page) -> None:
    for widget in (page.search_edit, page.area_combo, page.rating_combo, page.principle_combo, page.voice_combo,
                   page.clear_button, page.present_button, page.table_view, page.chart, page.summary_view,
                   page.strengths_view, page.concerns_view):
        assert widget.accessibleName(), widget
    assert page.search_edit.placeholderText() == "Search findings"


def test_ctrl_f_puts_the_cursor_in_search(page, qtbot) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table_view.setFocus()
    qtbot.waitUntil(page.table_view.hasFocus)
    qtbot.keyClick(page.table_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus)
    page.table_view.setFocus()
    page.focus_search()
    assert page.search_edit.hasFocus()


def test_escape_in_the_search_box_clears_it(page, qtbot) -> None:
    page.search_edit.setText("rain")
    assert page.proxy_model.rowCount() == 1
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == "" and page.proxy_model.rowCount() == 6


def test_strengths_and_priority_concern_lists(page, open_wt, ids) -> None:
    strengths = page.strengths_model
    concerns = page.concerns_model
    assert strengths.observation_ids() == [ids["o0"], ids["o4"]]
    assert concerns.observation_ids() == [ids["o1"], ids["o2"]]
    assert strengths.index(0, 0).data() == "Approach and outside: Clear signs from the bus stop."
    assert page.side_tabs.tabText(1) == "Strengths (2)"
    assert page.side_tabs.tabText(2) == "Priority concerns (2)"
    open_wt.edit_observation(ids["o5"], rating_id="priority-concern")
    assert page.side_tabs.tabText(2) == "Priority concerns (3)"
    # A finding hidden by the filters is still reachable from the list.
    page.rating_combo.setCurrentIndex(page.rating_combo.findData("working-well"))
    page.concerns_view.activated.emit(concerns.index(0, 0))
    assert page.selected_observation_id() == ids["o1"]
    assert page.proxy_model.findings_filter.is_empty()


def test_present_opens_the_presentation_on_the_current_filter_and_selection(page, ids, qtbot) -> None:
    page.search_edit.setText("reception")
    page.select_observation(ids["o3"])
    view = page.present()
    qtbot.waitExposed(view)
    assert view.isWindow()
    assert view.count() == 2
    assert view.current_observation_id() == ids["o3"]
    assert view.counter_text() == "2 of 2"
    view.set_mode("all")
    assert view.counter_text() == "4 of 6"


# -- the presentation ---------------------------------------------------------------------------------


@pytest.fixture
def presentation(open_wt, qtbot) -> PresentationView:
    view = PresentationView(open_wt)
    qtbot.addWidget(view)
    view.resize(*SCREEN)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_presentation_steps_through_findings_with_keys_and_buttons(presentation, ids, qtbot) -> None:
    view = presentation
    assert view.counter_text() == "1 of 6"
    assert view.area_label.text() == "Approach and outside"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.counter_text() == "2 of 6"
    assert view.current_observation_id() == ids["o1"]
    assert view.rating_label.text() == "! Priority concern"
    assert view.voice_label.text() == "Voice: Person with lived experience"
    assert view.principles_label.text() == "Principles: Safety"
    assert "wait outside in the rain" in view.note_label.text()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.counter_text() == "4 of 6"
    assert view.prompt_label.text() == "Other observation"
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.counter_text() == "2 of 6"
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.counter_text() == "6 of 6"
    assert not view.next_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # stays on the last
    assert view.counter_text() == "6 of 6"
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    assert view.counter_text() == "5 of 6"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.counter_text() == "1 of 6" and not view.previous_button.isEnabled()
    # Keys still work while the "Show" box has the focus.
    view.mode_combo.setFocus()
    qtbot.keyClick(view.mode_combo, Qt.Key.Key_Right)
    assert view.counter_text() == "2 of 6"


def test_presentation_shows_every_photo_of_the_finding_and_loads_only_those(presentation, open_wt, ids, qtbot,
                                                                           monkeypatch) -> None:
    loaded: list[str] = []
    real = open_wt.photo_jpeg
    monkeypatch.setattr(open_wt, "photo_jpeg", lambda pid: loaded.append(pid) or real(pid))
    view = presentation
    view.next()  # o1: two photos, both shown
    photos = [p.id for p in open_wt.observation(ids["o1"]).photos]
    assert len(photos) == 2
    assert loaded == photos
    assert view.shown_photo_ids() == photos
    assert all(not image.isNull() for image in view.photo_images()) and view.photo_box.isVisible()
    assert view.photo_captions() == ["1 of 2 photos", "2 of 2 photos"]
    view.next()  # no photo: the words take the whole width
    assert view.shown_photo_ids() == [] and not view.photo_box.isVisible()
    assert loaded == photos


def test_presentation_up_and_down_scroll_the_finding_and_never_change_what_is_shown(presentation, open_wt, ids,
                                                                                    qtbot) -> None:
    view = presentation
    view.resize(683, 384)  # a 1366 × 768 laptop with 2× text
    open_wt.edit_observation(ids["o0"], note="A long note that needs scrolling. " * 60)
    view.first()
    qtbot.waitUntil(lambda: view.words_scroll.verticalScrollBar().maximum() > 0)
    view.mode_combo.setFocus()
    bar = view.words_scroll.verticalScrollBar()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Down):
        qtbot.keyClick(view.mode_combo, key)
        assert view.mode() == "all" and view.mode_combo.currentIndex() == 0
    assert bar.value() > 0  # the finding scrolled instead
    assert view.counter_text() == "1 of 6"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert bar.value() == 0 and view.mode_combo.currentIndex() == 0
    # The mouse wheel passing over the "Show" box scrolls the finding too.
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    middle = QPointF(view.mode_combo.rect().center())
    wheel = QWheelEvent(middle, view.mode_combo.mapToGlobal(middle), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.mode_combo, wheel)
    assert view.mode_combo.currentIndex() == 0 and bar.value() > 0


def test_presentation_wraps_its_words_and_buttons_within_a_small_screen(presentation, open_wt, ids, qtbot) -> None:
    view = presentation
    view.resize(512, 384)  # a 1024 × 768 projector with 2× text
    view.next()  # a finding with two photos
    qtbot.waitUntil(lambda: view.width() == 512)
    assert view.minimumSizeHint().width() <= 512
    for button in (view.close_button, view.full_screen_button, view.action_button, view.mode_combo,
                   view.previous_button, view.next_button):
        assert view.rect().contains(QRect(button.mapTo(view, QPoint(0, 0)), button.size())), button.accessibleName()
    viewport = view.words_scroll.viewport()
    for label in (view.area_label, view.prompt_label, view.note_label):
        right = label.mapTo(viewport, QPoint(label.width(), 0)).x()
        assert right <= viewport.width(), (label.accessibleName(), right, viewport.width())


def test_presentation_can_show_only_priority_concerns_or_one_rating(presentation, ids) -> None:
    view = presentation
    view.set_mode(MODE_PRIORITY)
    assert view.count() == 2 and view.counter_text() == "1 of 2"
    view.next()
    assert view.current_observation_id() == ids["o2"]
    view.set_mode("rating:working-well")
    assert view.count() == 2 and view.counter_text() == "1 of 2"
    view.set_mode("rating:not-seen")
    assert view.current_observation_id() == ids["o5"]
    view.set_review_filter(FindingsFilter(voice=Voice.MANAGER))
    assert view.mode() == "review" and view.current_observation_id() == ids["o3"]
    view.set_review_filter(FindingsFilter(search="nothing like this"))
    assert view.count() == 0 and view.counter_text() == "No findings to show"
    assert not view.next_button.isEnabled() and not view.previous_button.isEnabled()


def test_presentation_shows_a_finding_not_rated_yet_in_words_and_can_show_only_those(
    presentation, open_wt
) -> None:
    view = presentation
    unrated = open_wt.add_observation(NewObservation("reception", None, "reception-privacy", note="Later"))
    view.set_mode("rating:?")
    assert view.count() == 1 and view.current_observation_id() == unrated
    assert view.rating_label.text() == "? Not rated yet"
    assert view.mode_combo.itemText(view.mode_combo.findData("rating:?")) == "Only ? Not rated yet"


def test_presentation_follows_edits_and_escape_closes_it(presentation, open_wt, ids, qtbot) -> None:
    view = presentation
    view.go_to(ids["o2"])
    open_wt.edit_observation(ids["o2"], note="Screen added at the counter.")
    assert view.note_label.text() == "Screen added at the counter."
    open_wt.delete_observation(ids["o2"])
    assert view.counter_text() == "3 of 5"
    assert view.current_observation_id() == ids["o3"]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_presentation_f11_toggles_full_screen(presentation, qtbot) -> None:
    view = presentation
    qtbot.keyClick(view, Qt.Key.Key_F11)
    qtbot.waitUntil(view.isFullScreen)
    qtbot.keyClick(view, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not view.isFullScreen())


# -- screenshots --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_screenshots_of_each_state_at_projector_size(tmp_path, qtbot) -> None:
    """Saves /tmp/review_*.png (the sample walkthrough) to look at; checks each grab is real."""
    from walkthrough.services.demo import create_demo_walkthrough

    db = open_database(tmp_path / "demo.sqlite3")
    try:
        record = create_demo_walkthrough(db)
        ow = OpenWalkthrough(db, record.id)
        page = ReviewPage(ow)
        qtbot.addWidget(page)
        page.resize(*SCREEN)
        page.show()
        qtbot.waitExposed(page)

        def save(widget, name: str) -> None:
            QApplication.processEvents()
            shot = widget.grab()
            assert not shot.isNull() and shot.width() == widget.width()
            assert shot.save(f"/tmp/review_{name}.png")

        save(page, "all")
        page.rating_combo.setCurrentIndex(page.rating_combo.findData("priority-concern"))
        page.search_edit.setText("wait")
        save(page, "filtered")
        page.clear_filters()
        page.search_edit.setText("zzzz no match")
        save(page, "no_match")
        page.clear_filters()
        page.side_tabs.setCurrentIndex(2)
        save(page, "concerns")
        page.side_tabs.setCurrentIndex(0)

        with_photo = next(o for o in ow.observations() if o.photos)
        page.select_observation(with_photo.id)
        view = page.present()
        view.resize(*SCREEN)
        qtbot.waitExposed(view)
        assert view.shown_photo_ids() == [p.id for p in with_photo.photos]
        save(view, "presentation_photo")
        no_photo = next(o for o in ow.observations() if not o.photos and len(o.note) > 200)
        view.go_to(no_photo.id)
        save(view, "presentation_text")
        view.close()
    finally:
        db.close()


# -- staying quick on a big walkthrough ------------------------------------------------------------------


def test_search_finds_a_note_edited_after_an_earlier_search(open_wt, proxy, ids) -> None:
    proxy.set_search("skylight")
    assert proxy.rowCount() == 0
    open_wt.edit_observation(ids["o4"], note="A skylight over the waiting area")
    assert proxy.observation_ids() == [ids["o4"]]


def test_sorting_back_to_area_ascending_restores_walking_order(proxy, ids) -> None:
    proxy.sort(Column.RATING, Qt.SortOrder.DescendingOrder)
    proxy.sort(Column.AREA, Qt.SortOrder.AscendingOrder)
    assert proxy.observation_ids() == [ids[f"o{n}"] for n in range(6)]
    proxy.set_rating("priority-concern")
    proxy.set_rating(None)
    assert proxy.observation_ids() == [ids[f"o{n}"] for n in range(6)]


def test_rows_have_one_fixed_height_and_rating_fits_every_chip(page) -> None:
    rows = page.table_view.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert len({page.table_view.rowHeight(r) for r in range(page.proxy_model.rowCount())}) == 1
    assert rows.defaultSectionSize() >= 3 * page.table_view.fontMetrics().lineSpacing()
    header = page.table_view.horizontalHeader()
    chips = [page._rating_delegate.chip_width(QFontMetricsF(page.table_view.font()), rating_text(r))
             for r in page.open_walkthrough.lens.ratings]
    assert header.sectionSize(Column.RATING) >= max(chips)
    assert all(header.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive for c in Column)


def test_counts_follow_a_filter_set_on_the_model_once_events_run(page, qtbot) -> None:
    page.proxy_model.set_rating("priority-concern")
    qtbot.waitUntil(lambda: page.count_label.text() == "Showing 2 of 6 findings")


# -- large text at 1366 × 768 ----------------------------------------------------------------------------


@pytest.fixture(params=[1.6, 2.0], ids=["text-1.6x", "text-2x"])
def large_text(request, qapp):
    """The application font made 1.6 or 2 times larger (as a user's larger system text), then put back."""
    normal = QFont(qapp.font())
    big = QFont(normal)
    if normal.pointSizeF() > 0:
        big.setPointSizeF(normal.pointSizeF() * request.param)
    else:
        big.setPixelSize(round(normal.pixelSize() * request.param))
    qapp.setFont(big)
    yield request.param
    qapp.setFont(normal)


def test_with_large_text_review_fits_1366_wide_without_scrolling_sideways(open_wt, large_text, qtbot) -> None:
    page = ReviewPage(open_wt)
    qtbot.addWidget(page)
    assert page.minimumSizeHint().width() <= SCREEN[0]
    page.resize(*SCREEN)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    # The summary goes under the findings, so the table has the page's width.
    assert page.summary_below
    for view in (page.table_view, page.summary_view):
        assert view.horizontalScrollBar().maximum() == 0, view.accessibleName()
    header = page.table_view.horizontalHeader()
    assert header.length() <= page.table_view.viewport().width()
    # The note column is the widest: it gets what the others leave.
    assert header.sectionSize(Column.NOTE) >= max(header.sectionSize(c) for c in Column if c != Column.NOTE) * 0.8
    # Every filter control is inside the page (the bar wraps instead of widening it).
    for widget in (page.search_edit, page.voice_combo, page.clear_button, page.present_button):
        right = widget.mapTo(page, widget.rect().topRight()).x()
        assert 0 <= right <= page.width(), widget.accessibleName()


def test_with_normal_text_the_summary_stays_beside_the_findings(page) -> None:
    assert not page.summary_below
    assert page.table_view.horizontalScrollBar().maximum() == 0
    assert page.side_tabs.width() <= page.width() * 0.4


def test_finding_lists_are_filled_when_their_tab_is_first_opened(page) -> None:
    # Not before: measuring a long wrapped list is a cost the first show of the page need not pay.
    assert page.strengths_view.model() is None and page.concerns_view.model() is None
    page.side_tabs.setCurrentIndex(1)
    assert page.strengths_view.model() is page.strengths_model
    assert page.strengths_view.model().rowCount() == 2
    page.side_tabs.setCurrentIndex(2)
    assert page.concerns_view.model() is page.concerns_model


# -- repainting only what changed ---------------------------------------------------------------------


class Repaints:
    """The (row, first column, last column) ranges a model said changed (a bound method as the slot)."""

    def __init__(self, model) -> None:
        self.ranges: list[tuple[int, int, int]] = []
        model.dataChanged.connect(self.record)

    def record(self, top_left, bottom_right, roles=()) -> None:
        assert top_left.row() == bottom_right.row()
        self.ranges.append((top_left.row(), top_left.column(), bottom_right.column()))


def test_saving_a_note_repaints_that_row_s_note_and_counts_nothing_again(open_wt, model, ids, monkeypatch) -> None:
    from walkthrough.gui.models import principle_summary_model

    summary = PrincipleSummaryModel(open_wt)
    counted: list[int] = []
    real = principle_summary_model.summarise_by_principle
    monkeypatch.setattr(principle_summary_model, "summarise_by_principle",
                        lambda lens, observations: counted.append(len(observations)) or real(lens, observations))
    rows, cells = Repaints(model), Repaints(summary)
    row = model.row_of(ids["o3"])
    concerns = summary.count("trust", "priority-concern")

    open_wt.edit_observation(ids["o3"], note="Leaflets replaced last week.")
    assert rows.ranges == [(row, Column.NOTE, Column.NOTE)]
    assert counted == [] and cells.ranges == []

    # A rating is counted: the summary recounts and repaints the cells that moved.
    open_wt.edit_observation(ids["o3"], rating_id="priority-concern")
    assert rows.ranges[-1] == (row, Column.RATING, Column.RATING)
    assert counted == [6] and cells.ranges
    assert summary.count("trust", "priority-concern") == concerns + 1


def test_deleting_and_undoing_a_finding_takes_its_row_out_and_puts_it_back(open_wt, model, ids) -> None:
    row = model.row_of(ids["o1"])
    photos = model.index(row, Column.PHOTOS).data()
    open_wt.delete_observation(ids["o1"])
    assert model.rowCount() == 5 and model.row_of(ids["o1"]) == -1
    open_wt.undo_stack.undo()
    assert model.rowCount() == 6 and model.row_of(ids["o1"]) == row
    assert model.index(row, Column.PHOTOS).data() == photos and photos


# -- who recorded what ------------------------------------------------------------------------


def test_who_recorded_shows_and_filters_only_once_a_second_laptop_has_recorded(database, ids, open_wt, page,
                                                                              qtbot) -> None:
    from walkthrough.services.history import set_device, start_as_new_device

    set_device(database, name="Front desk laptop", person="Morven")
    model = page.source_model
    assert page.table_view.isColumnHidden(Column.RECORDED_BY)
    assert not page.recorder_combo.isVisibleTo(page)

    # Another laptop's device records one (a restored copy becomes a device of its own).
    start_as_new_device(database)
    aisha = set_device(database, name="Aisha's laptop", person="Aisha")
    with qtbot.waitSignal(model.recorders_changed):
        new_id = open_wt.add_observation(NewObservation("approach", "working-well", note="Buzzer answered fast"))
    assert new_id is not None

    assert not page.table_view.isColumnHidden(Column.RECORDED_BY)
    assert page.recorder_combo.isVisibleTo(page)
    names = [page.recorder_combo.itemText(i) for i in range(page.recorder_combo.count())]
    assert names == ["Everyone", "Aisha (Aisha's laptop)", "Morven (Front desk laptop)"]
    row = model.row_of(new_id)
    assert model.index(row, Column.RECORDED_BY).data() == "Aisha (Aisha's laptop)"
    assert model.index(model.row_of(ids["o0"]), Column.RECORDED_BY).data() == "Morven (Front desk laptop)"

    page.recorder_combo.setCurrentIndex(page.recorder_combo.findData(aisha.id))
    assert page.findings_filter().recorder_id == aisha.id
    assert page.proxy_model.observation_ids() == [new_id]
    page.recorder_combo.setCurrentIndex(page.recorder_combo.findText("Morven (Front desk laptop)"))
    assert sorted(page.proxy_model.observation_ids()) == sorted(v for k, v in ids.items() if k != "wid")

    # Sorting by the column puts each person's findings together.
    page.clear_filters()
    page.proxy_model.sort(Column.RECORDED_BY, Qt.SortOrder.AscendingOrder)
    assert page.proxy_model.observation_ids()[0] == new_id

    # Deleted again: one laptop left, the column and the filter go, and every finding shows.
    open_wt.delete_observation(new_id)
    assert page.table_view.isColumnHidden(Column.RECORDED_BY)
    assert not page.recorder_combo.isVisibleTo(page)
    assert page.findings_filter().recorder_id is None
