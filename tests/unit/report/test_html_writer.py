"""The findings report as one HTML file, read back with html.parser as a browser and a screen reader meet it.

Contents are built by hand (no database) and photos are real JPEGs made with
Pillow, as for the PDF's and the Word document's tests.  The check in a real
browser with axe-core is test_html_axe.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.report_fixtures import PhotoStore, action, contents, observation
from walkthrough.domain.lens import FindingKind, Rating
from walkthrough.domain.records import TeamMember
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice
from walkthrough.report import ReportCancelled, ReportFormat, ReportOptions, build_report
from walkthrough.report.document_blocks import Block, Heading
from walkthrough.report.html_chart import chip_colours, contrast
from walkthrough.report.html_writer import _LAYOUTS, _Page, write_html

WORLD = "Zoë said “I’d walk past that twice” 🙂 — Ελλάδα, Привет, 日本語, مرحبا, Gàidhlig: dŵr."
HOSTILE = ('</p></div><script>alert("note")</script> <img src=x onerror="alert(1)"> & \'single\' "double" '
           "\x00\x07\x1b\x7f\u0085 ]]> <!-- -->")
HTML = ReportOptions(format=ReportFormat.HTML)


class _Tree(HTMLParser):
    """Every start tag with its attributes, the text, and each heading's level and words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict[str, int]] = []
        self._in: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "img", "meta", "col", "rect", "line"):
            self._in.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag == "table":
            self.tables.append({"caption": 0, "th": 0, "th_scoped": 0, "td": 0})
        if self.tables and tag in ("caption", "th", "td"):
            self.tables[-1][tag] += 1
            if tag == "th" and dict(attrs).get("scope") in ("col", "row"):
                self.tables[-1]["th_scoped"] += 1

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading)))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] in ("style", "script"):
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    store = PhotoStore()
    captioned = store.add("o-sign", 1600, 1200, "The front door from the pavement")
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
    out = tmp_path_factory.mktemp("html") / "findings.html"
    build_report(contents(observations, actions), store, out, HTML)
    page = out.read_text(encoding="utf-8")
    return {"page": page, "tree": _parse(page), "store": store, "captioned": captioned, "uncaptioned": uncaptioned}


def test_the_page_has_a_language_a_title_and_the_four_landmarks_once_each(sample: dict) -> None:
    tree: _Tree = sample["tree"]
    assert sample["page"].startswith("<!DOCTYPE html>\n")
    assert tree.all("html") == [{"lang": "en-GB"}]
    assert "".join(tree.text).count("Trauma-informed walkthrough: findings — Harbour Street Recovery Service") >= 1
    title = re.search(r"<title>(.*)</title>", sample["page"]).group(1)
    assert title == "Trauma-informed walkthrough: findings — Harbour Street Recovery Service — Leith, 14 March 2025"
    for landmark in ("header", "nav", "main", "footer"):
        assert len(tree.all(landmark)) == 1, landmark
    assert tree.all("nav")[0]["aria-labelledby"] == "contents"


def test_one_h1_and_no_heading_level_is_skipped(sample: dict) -> None:
    headings = sample["tree"].headings
    assert [level for level, _ in headings].count(1) == 1
    assert headings[0] == (1, "Trauma-informed walkthrough: findings")
    for (before, _), (after, text) in zip(headings, headings[1:]):
        assert after <= before + 1, text
    sections = [text for level, text in headings if level == 2]
    assert sections == ["Contents", "At a glance", "About this walk", "What people told us", "Findings by area",
                        "Improvement plan", "Principles"]
    assert (3, "1. Arriving and entrance") in headings and (4, "Is it clear where to go?") in headings


def test_the_contents_links_each_section_and_area_to_its_heading(sample: dict) -> None:
    page, tree = sample["page"], sample["tree"]
    nav = page[page.index("<nav"):page.index("</nav>")]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    texts = [text for _, text in links]
    assert texts[0] == "At a glance"
    assert texts.index("Findings by area") < texts.index("1. Arriving and entrance") < texts.index("2. Waiting area")
    ids = [attrs["id"] for _, attrs in tree.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))  # every id once
    for target, _ in links:
        assert target in ids
    # Every link in the page goes to a place in the page.
    for attrs in tree.all("a"):
        assert attrs["href"].startswith("#") and attrs["href"][1:] in ids, attrs


def test_every_table_has_a_caption_and_scoped_header_cells(sample: dict) -> None:
    tables = sample["tree"].tables
    assert len(tables) >= 5
    for table in tables:
        assert table["caption"] == 1 and table["th"] >= 1 and table["th_scoped"] == table["th"], table
    # The cover's details are a description list, not a table without headers.
    assert "<dt><strong>Date of the walk</strong></dt><dd>14 March 2025</dd>" in sample["page"]


def test_every_photo_is_embedded_with_alt_text_and_nothing_is_fetched(sample: dict) -> None:
    tree: _Tree = sample["tree"]
    images = tree.all("img")
    # The outline's alt text: the caption here, else the photo's number and area (never its file name).
    assert [i["alt"] for i in images] == ["The front door from the pavement", "Photo 2, Arriving and entrance"]
    for attrs in images:
        assert attrs["src"].startswith("data:image/jpeg;base64,")
        picture = Image.open(io.BytesIO(base64.b64decode(attrs["src"].split(",", 1)[1])))
        assert picture.format == "JPEG" and max(picture.size) <= 600  # shrunk to its print size, not 1600 px
    assert sample["store"].fetches.count(sample["captioned"].id) == 1
    # Nothing loads from elsewhere, and no script could run even if one got in.
    assert tree.all("script") == [] and tree.all("link") == [] and tree.all("iframe") == []
    for _, attrs in tree.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith(("data:", "#")), attrs
    policy = [m["content"] for m in tree.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy == ["default-src 'none'; img-src data:; style-src 'unsafe-inline'"]


def test_ratings_are_words_with_a_symbol_on_a_colour_that_reads(sample: dict) -> None:
    page = sample["page"]
    assert page.count('<span class="vh">Rating: </span>! Priority concern</span>') >= 1
    chips = re.findall(r'class="chip" style="background-color:(#[0-9A-F]{6});color:(#[0-9A-F]{6})"', page)
    assert chips and all(contrast(fill, ink) >= 4.5 for fill, ink in chips)


def test_any_lens_colour_gets_ink_that_meets_wcag_aa() -> None:
    for red in range(0, 256, 15):
        for green in range(0, 256, 15):
            for blue in range(0, 256, 15):
                colour = f"#{red:02X}{green:02X}{blue:02X}"
                rating = Rating(id="r", label="R", meaning="R", colour=colour, symbol="R", finding=FindingKind.NONE)
                fill, ink = chip_colours(rating)
                assert fill == colour and contrast(fill, ink) >= 4.5, colour


def test_the_chart_is_a_named_picture_whose_description_gives_the_numbers(sample: dict) -> None:
    tree: _Tree = sample["tree"]
    [svg] = tree.all("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    page = sample["page"]
    assert f'<title id="{title_id}">Ratings by principle</title>' in page
    desc = re.search(f'<desc id="{desc_id}">([^<]*)</desc>', page).group(1)
    assert desc.startswith("Safety: 1 ✓ Working well, 1 ! Priority concern (total 2); Trust: ")
    assert "Collaboration: none (total 0)" in desc


def test_hostile_text_is_shown_as_typed_and_never_becomes_markup(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 600, 400, HOSTILE)
    snapshot = contents(
        [observation("entrance", "entrance-signs", "working-well", HOSTILE, photos=[photo], obs_id="o1"),
         observation("entrance", None, "could-be-better", f"Line one\n{HOSTILE}", obs_id="o2")],
        [action(HOSTILE, owner=HOSTILE, observation_ids=("o1",))],
        service=f"Service {HOSTILE}", site=HOSTILE,
        participants=[TeamMember(HOSTILE, Role.STAFF)], facilitators=[HOSTILE],
    )
    marking = '"; } body { display: none } </style><script>alert(1)</script>'
    out = tmp_path / "hostile.html"
    build_report(snapshot, store, out, ReportOptions(format=ReportFormat.HTML, include_names=True,
                                                     protective_marking=marking))
    page = out.read_text(encoding="utf-8")
    tree = _parse(page)
    assert tree.all("script") == [] and tree.all("body") == [{}]
    assert [attrs for _, attrs in tree.tags if any(name.startswith("on") for name in attrs)] == []
    assert len(tree.all("img")) == 1 and page.count("</style>") == 1
    text = "".join(tree.text)
    assert '<script>alert("note")</script>' in text and "& 'single' \"double\"" in text  # read as typed
    assert "<img src=x" in tree.all("img")[0]["alt"]
    assert marking in text  # the marking, in words, at the top and the foot
    assert re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page) is None  # control characters dropped
    # In the print style sheet the marking is one quoted CSS string that nothing escapes from.
    style = page[page.index("<style>") + len("<style>"):page.index("</style>")]
    assert "<" not in style and "alert" in style and style.count("@top-center") == 1


def test_a_photo_that_cannot_be_read_is_said_in_words(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 400, 300, "Broken")
    store.data[photo.id] = b"\xff\xd8\xff\x00 not really a jpeg"
    out = tmp_path / "r.html"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[photo],
                                       obs_id="o1")]), store, out, HTML)
    page = out.read_text(encoding="utf-8")
    assert "<img" not in page and "[Photo could not be read]" in page and "Broken" in page


def test_no_photos_fetches_none_and_an_empty_walkthrough_still_gives_a_page(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 1200, 800, "Seen from the street")
    out = tmp_path / "r.html"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "Clear.", photos=[photo],
                                       obs_id="o1")]), store, out, ReportOptions(format=ReportFormat.HTML,
                                                                                 include_photos=False))
    assert "<img" not in out.read_text(encoding="utf-8") and store.fetches == []
    build_report(contents([]), PhotoStore(), out, HTML)
    tree = _parse(out.read_text(encoding="utf-8"))
    assert "No observations were recorded." in "".join(tree.text)
    assert [level for level, _ in tree.headings].count(1) == 1


def test_cancel_leaves_the_earlier_file_untouched_and_no_partial_file(tmp_path: Path) -> None:
    store = PhotoStore()
    out = tmp_path / "r.html"
    out.write_bytes(b"earlier")
    snapshot = contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[
        store.add("o1", 400, 300)], obs_id="o1")])
    with pytest.raises(ReportCancelled):
        build_report(snapshot, store, out, HTML, progress=lambda done, total: done < 1)
    assert out.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    seen: list[tuple[int, int]] = []
    build_report(snapshot, store, out, HTML, progress=lambda d, t: seen.append((d, t)) or True)
    assert seen[-1][0] == seen[-1][1] and out.read_text(encoding="utf-8").endswith("</html>\n")


def test_every_kind_of_block_has_an_html_layout_and_another_kind_is_refused() -> None:
    for kind in typing.get_args(Block):
        assert kind in _LAYOUTS, f"no HTML layout for {kind.__name__}"

    class Unknown:
        pass

    page = _Page.__new__(_Page)
    with pytest.raises(TypeError, match="no layout for a Unknown block"):
        page.block(Unknown())
    assert isinstance(Heading(1, "x", "x"), typing.get_args(Block))


def test_the_format_follows_the_file_ending_htm_too() -> None:
    assert ReportFormat.for_path(Path("a/Findings.HTML")) is ReportFormat.HTML
    assert ReportFormat.for_path(Path("findings.htm")) is ReportFormat.HTML
    assert ReportFormat.for_path(Path("r.txt")) is None
    assert ReportFormat.names_a_format(Path("r.txt")) and ReportFormat.names_a_format(Path("r.odt"))
    assert not ReportFormat.names_a_format(Path("findings 14.03.2026"))
    assert not ReportFormat.names_a_format(Path("my report"))


def test_written_into_a_stream_as_utf8(tmp_path: Path) -> None:
    stream = io.StringIO()
    write_html(contents([observation("entrance", None, "working-well", WORLD, obs_id="o1")]), PhotoStore(),
               stream, HTML)
    assert WORLD in stream.getvalue() and '<meta charset="utf-8">' in stream.getvalue()


def test_an_observation_lists_the_actions_answering_it_and_a_working_well_one_names_its_prompt(sample: dict) -> None:
    page = sample["page"]

    def observation_html(anchor: str) -> str:
        start = page.index(f'<div class="observation" id="{anchor}">')
        return page[start:page.index("</div>", start)]

    assert '<p class="meta">Action <strong>A' in observation_html("obs-1-1")
    assert '<span class="meta"><em>How does the entrance feel?</em></span>' in observation_html("obs-1-2")
    # A section after a soft page break still starts a printed page.
    assert '<div class="page-break"></div>\n<h2 id="plan">Improvement plan</h2>' in page


def test_a_report_compared_with_an_earlier_walk_has_its_section_with_the_same_structure(tmp_path: Path) -> None:
    from walkthrough.domain.comparison import compare

    before = contents([observation("entrance", "entrance-signs", "priority-concern", "No sign.", obs_id="b1")],
                      [action("Put up a sign.", observation_ids=("b1",), status=ActionStatus.DONE)])
    after = contents([observation("entrance", "entrance-signs", "priority-concern", "Sign too small.", obs_id="a1")])
    out = tmp_path / "compared.html"
    build_report(after, PhotoStore(), out, HTML, comparison=compare(before, after))
    tree = _parse(out.read_text(encoding="utf-8"))
    assert (2, "What changed since the earlier walk") in tree.headings
    for (before_level, _), (level, text) in zip(tree.headings, tree.headings[1:]):
        assert level <= before_level + 1, text
    for table in tree.tables:
        assert table["caption"] == 1 and table["th"] == table["th_scoped"] >= 1
    assert "Put up a sign." in "".join(tree.text)
