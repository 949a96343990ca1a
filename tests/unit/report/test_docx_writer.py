"""The findings report as a Word document, read back with python-docx as Word and a screen reader meet it.

Contents are built by hand (no database) and photos are real JPEGs made with
Pillow, as for the PDF's tests.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.unit.report_fixtures import PhotoStore, action, contents, observation
from walkthrough.domain.vocabulary import ActionStatus, Priority, Voice
from walkthrough.report import ReportCancelled, ReportFormat, ReportOptions, build_report
from walkthrough.report.docx_writer import build_docx
from walkthrough.report.wording import APP_AUTHOR
from walkthrough.report.findings import gather_findings
from walkthrough.report.document_blocks import TEXT_WIDTH_MM, Heading
from walkthrough.report.outline import build_outline

WORLD = "Zoë said “I’d walk past that twice” 🙂 — Ελλάδα, Привет, 日本語, مرحبا, Gàidhlig: dŵr."
DOCX = ReportOptions(format=ReportFormat.DOCX)


def _headings(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _header_repeats(table) -> bool:
    first = table.rows[0]._tr.trPr
    flag = first.find(qn("w:tblHeader")) if first is not None else None
    return flag is not None and flag.get(qn("w:val")) in ("true", "1", None)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    store = PhotoStore()
    captioned = store.add("o-sign", 1600, 1200, "The front door from the pavement",
                          alt_text="A heavy wooden door, two steps up from the pavement, no ramp")
    uncaptioned = store.add("o-sign", 800, 1200, "")
    observations = [
        observation("entrance", "entrance-signs", "priority-concern", "The sign says ‘Report to reception’.\n\n"
                    + WORLD, ("safety", "trust"), Voice.LIVED_EXPERIENCE, (captioned, uncaptioned), obs_id="o-sign"),
        observation("entrance", "entrance-welcome", "working-well", "Staff greeted everyone by name.",
                    obs_id="o-greeting"),
        observation("waiting", "waiting-privacy", None, "Asked their date of birth out loud.", ("choice",),
                    obs_id="o-unrated"),
        observation("letters", "letters-tone", "could-be-better", "Letters threaten discharge.", ("trust",),
                    obs_id="o-letters"),
    ]
    actions = [
        action("Replace the warning sign.", "service-design", priority=Priority.HIGH, observation_ids=("o-sign",)),
        action("Rewrite the letters.", "policies-processes", status=ActionStatus.IN_PROGRESS,
               due=dt.date.today() + dt.timedelta(days=10), observation_ids=("o-letters",)),
    ]
    snapshot = contents(observations, actions)
    out = tmp_path_factory.mktemp("docx") / "findings.docx"
    build_report(snapshot, store, out, DOCX)
    return {"path": out, "doc": docx.Document(str(out)), "store": store, "contents": snapshot,
            "captioned": captioned, "uncaptioned": uncaptioned}


def test_headings_are_words_own_heading_styles_in_the_reports_order(sample: dict) -> None:
    headings = _headings(sample["doc"])
    assert headings[0] == ("Title", "Trauma-informed walkthrough: findings")
    sections = [text for style, text in headings if style == "Heading 1"]
    assert sections == ["At a glance", "About this walk", "What people told us", "Findings by area",
                        "Improvement plan", "Principles"]
    areas = [text for style, text in headings if style == "Heading 2"]
    assert ["1. Arriving and entrance", "2. Waiting area", "3. Appointment letters"] == [
        a for a in areas if a[:1].isdigit()]
    # No level is skipped: a heading 3 always follows a heading 2 or 3.
    levels = [1 if s == "Title" else int(s.split()[-1]) for s, _ in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_the_same_headings_as_the_outline_the_pdf_content_comes_from(sample: dict) -> None:
    outline = build_outline(gather_findings(sample["contents"], DOCX))
    assert [h.text for h in outline if isinstance(h, Heading)] == [t for _s, t in _headings(sample["doc"])]


def test_every_table_has_a_header_row_that_repeats_and_rows_that_do_not_split(sample: dict) -> None:
    tables = sample["doc"].tables
    assert tables
    assert all(_header_repeats(t) for t in tables)
    (plan,) = [t for t in tables if [c.text for c in t.rows[0].cells][:2] == ["No.", "Action"]]
    assert [c.text for c in plan.rows[0].cells] == ["No.", "Action", "Owner", "Due", "Priority, status"]
    rows = [[c.text for c in row.cells] for row in plan.rows[1:]]
    # By priority: the high one first; the quick win carries its star, and the observation it answers is referenced.
    assert rows[0][:3] == ["A1", "Replace the warning sign.\nService design and delivery · answers 1.1", "Service manager"]
    assert rows[1][1].startswith("★ Rewrite the letters.\n") and rows[1][1].endswith("answers 3.1")
    for table in tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) / 56.7 - TEXT_WIDTH_MM) < 1  # twentieths of a point: the text width in mm
        # Columns sized as the report asks (the grid is what Word's fixed layout and LibreOffice follow).
        assert grid == [int(c._tc.tcPr.tcW.get(qn("w:w"))) for c in table.rows[0].cells]
        assert all(not _header_repeats_row(row) for row in table.rows[1:])
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def _header_repeats_row(row) -> bool:
    return row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None


def test_photos_have_their_alt_text_else_a_neutral_description_and_a_print_size(sample: dict) -> None:
    doc = docx.Document(str(sample["path"]))  # read back from the file
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert all(d and d.strip() for d in descriptions)  # every picture has alt text
    assert descriptions == ["A heavy wooden door, two steps up from the pavement, no ramp",
                            "Photo 2, Arriving and entrance"]
    for shape in shapes:
        assert 3 <= shape.width.cm <= 8.01 and 3 <= shape.height.cm <= 7.01  # the PDF's print size
    # The picture is shrunk for its size, not the stored original.
    with zipfile.ZipFile(sample["path"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 2
        assert all(z.getinfo(n).file_size < len(sample["store"].data[sample["captioned"].id]) for n in media)
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Photo 1. The front door from the pavement", "Photo 2"]


def test_core_properties_name_the_report_and_no_person(sample: dict) -> None:
    props = sample["doc"].core_properties
    assert props.title == "Trauma-informed walkthrough: findings — Harbour Street Recovery Service — Leith, 14 March 2025"
    assert props.author == APP_AUTHOR and props.last_modified_by == APP_AUTHOR
    assert props.comments == ""
    assert props.language == "en-GB"
    names = ("Jo Smith", "Catriona", "Ailsa", "python-docx")
    assert not any(n in (props.author + props.last_modified_by + props.comments + props.subject) for n in names)
    assert abs(props.created.replace(tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)).total_seconds() < 3600
    styles = sample["doc"].styles
    assert styles["Normal"].font.size.pt == 11
    lang = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"


def test_a_note_with_emoji_and_other_scripts_is_kept_as_typed(sample: dict) -> None:
    paragraphs = [p.text for p in sample["doc"].paragraphs]
    assert WORLD in paragraphs
    assert "The sign says ‘Report to reception’." in paragraphs  # a blank line starts a new paragraph


def test_names_are_left_out_unless_asked_and_marking_is_in_the_header(sample: dict, tmp_path: Path) -> None:
    text = _all_text(sample["doc"])
    assert "Ailsa Grant" not in text and "1 person with lived experience" in text
    section = sample["doc"].sections[0]
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    out = tmp_path / "named.docx"
    build_docx(sample["contents"], sample["store"], out, ReportOptions(include_names=True, protective_marking=""))
    named = docx.Document(str(out))
    assert "Ailsa Grant (lived experience)" in _all_text(named)
    assert "OFFICIAL" not in named.sections[0].header.paragraphs[0].text


def test_references_link_to_the_observation(sample: dict) -> None:
    body = sample["doc"].element.body
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
    assert links and links <= marks


def test_a_damaged_photo_is_stated_and_the_rest_is_written(tmp_path: Path) -> None:
    store = PhotoStore()
    good, bad = store.add("o1", 1200, 800, "Seen from the street"), store.add("o1", 1200, 800, "Broken")
    store.data[bad.id] = b"not a jpeg at all"
    out = tmp_path / "r.docx"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[good, bad],
                                       obs_id="o1")]), store, out, DOCX)
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 1
    assert "[Photo could not be read]" in [p.text for p in doc.paragraphs]
    assert "Photo 2. Broken" in [p.text for p in doc.paragraphs]


def test_a_stored_photo_that_is_not_a_jpeg_is_stated_not_decoded(tmp_path: Path) -> None:
    import io

    from PIL import Image

    store = PhotoStore()
    png = store.add("o1", 60, 40, "A PNG where a JPEG should be")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(buffer, format="PNG")  # Pillow reads it; it is not what we store
    store.data[png.id] = buffer.getvalue()
    out = tmp_path / "r.docx"
    build_docx(contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[png],
                                     obs_id="o1")]), store, out)
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 0
    assert "[Photo could not be read]" in [p.text for p in doc.paragraphs]


def test_no_photos_option_fetches_none(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 1200, 800, "Seen from the street")
    out = tmp_path / "r.docx"
    build_docx(contents([observation("entrance", "entrance-signs", "working-well", "Clear.", photos=[photo],
                                     obs_id="o1")]), store, out, ReportOptions(include_photos=False))
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 0 and store.fetches == []
    assert any("1 photo (not shown in this report)" in p.text for p in doc.paragraphs)


def test_an_empty_walkthrough_still_gives_a_document(tmp_path: Path) -> None:
    out = tmp_path / "empty.docx"
    build_docx(contents([]), PhotoStore(), out)
    text = _all_text(docx.Document(str(out)))
    assert "No observations were recorded." in text
    assert "No improvement actions have been recorded yet." in text


def test_cancel_leaves_the_earlier_file_untouched_and_no_partial_file(tmp_path: Path) -> None:
    store = PhotoStore()
    out = tmp_path / "r.docx"
    out.write_bytes(b"earlier")
    snapshot = contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[
        store.add("o1", 400, 300)], obs_id="o1")])
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 1

    with pytest.raises(ReportCancelled):
        build_docx(snapshot, store, out, progress=progress)
    assert out.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]
    seen.clear()
    build_docx(snapshot, store, out, progress=lambda d, t: seen.append((d, t)) or True)
    assert seen[-1][0] == seen[-1][1] and docx.Document(str(out)).paragraphs


def test_format_follows_the_file_ending() -> None:
    assert ReportFormat.for_path(Path("a/Report.DOCX")) is ReportFormat.DOCX
    assert ReportFormat.for_path(Path("r.pdf")) is ReportFormat.PDF
    assert ReportFormat.for_path(Path("r.odt")) is None
