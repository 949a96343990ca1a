"""The PDF findings report, checked the way a reader meets it: text, images, pages, outline.

Contents are built by hand (no database) and photos are real JPEGs made with
Pillow; pypdf reads the result back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.unit.report_fixtures import (
    LENS_YAML,
    PhotoStore,
    action,
    contents,
    observation,
    small_lens,
)
from walkthrough.domain.errors import WalkthroughError
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice
from walkthrough.domain.records import TeamMember
from walkthrough.report import ReportCancelled, ReportOptions, build_report
from walkthrough.report.findings import gather_findings
from walkthrough.report.text_markup import clean, first_sentence, inline, paragraphs, shorten

SPECIAL = "Ceòl & <b>not bold</b> — Zoë Łódź Ελλάδα Привет £5 €3 ≥2 CO₂"

NOTES = {
    "sign": "The sign on the door says ‘Clients must report to reception’ in red capitals.\n\n"
    "A person with lived experience said: “I’d walk past that twice.”",
    "greeting": "Reception staff greeted everyone by name and offered a seat.",
    "privacy": "No private space to talk.\nSomeone was asked their date of birth out loud.",
    "special": SPECIAL,
    "leaflets": "Leaflets are in Polish, Arabic and Gàidhlig; Welsh too: Croeso, dŵr.",
    "letters": "Letters say 'failure to attend' and threaten discharge. Czech: Příliš žluťoučký kůň.",
    "free": "Free-standing: the TV in the waiting room was showing the news loudly.",
}


def _text(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def _lines_as_placed(page) -> str:
    """A page's text line by line in reading order, with the text of form XObjects in its place.

    (pypdf's layout mode leaves forms out; the contents page's numbers and
    "Page N of M" are forms, defined once the last page is known.)
    """
    pieces: list[tuple[float, float, str]] = []
    outer: list[list[float]] = []  # the page's matrix where each form is drawn

    def before(op: bytes, _args: object, cm: list[float], _tm: object) -> None:
        if op == b"Do":
            outer.append(list(cm))

    def after(op: bytes, *_rest: object) -> None:
        if op == b"Do" and outer:
            outer.pop()

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            for m in reversed(outer):
                x, y = x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]
            pieces.append((round(y), x, text.strip()))

    page.extract_text(visitor_text=visit, visitor_operand_before=before, visitor_operand_after=after)
    lines: dict[int, list[tuple[float, str]]] = {}
    for y, x, text in pieces:
        lines.setdefault(y, []).append((x, text))
    return "\n".join(" ".join(t for _x, t in sorted(parts)) for _y, parts in sorted(lines.items(), reverse=True)) + "\n"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squashed(text: str) -> str:
    return "".join(text.split())


def _section(sample: dict, title: str) -> str:
    """The text of a top-level section: its pages, up to where the next section starts."""
    reader = sample["reader"]
    starts = [(reader.get_destination_page_number(item), item.title) for item in reader.outline
              if not isinstance(item, list)]
    first = next(page for page, name in starts if name == title)
    later = [page for page, _ in starts if page > first]
    end = min(later) if later else len(reader.pages)
    return _flat("\n".join(sample["pages"][first:end]))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One realistic report, built once: 7 observations, 3 photos, 4 actions."""
    store = PhotoStore()
    landscape = store.add("o-sign", 1200, 800, "The front door from the pavement")
    portrait = store.add("o-sign", 800, 1200, "Queue at the reception desk")
    other = store.add("o-privacy", 1600, 900, "")
    observations = [
        observation("entrance", "entrance-signs", "priority-concern", NOTES["sign"], ("safety", "trust"),
                    Voice.LIVED_EXPERIENCE, (landscape, portrait), obs_id="o-sign"),
        observation("entrance", "entrance-welcome", "working-well", NOTES["greeting"], ("safety",),
                    obs_id="o-greeting"),
        observation("waiting", "waiting-privacy", "priority-concern", NOTES["privacy"], ("safety", "choice"),
                    Voice.STAFF, (other,), obs_id="o-privacy"),
        observation("waiting", "waiting-info", "could-be-better", NOTES["special"], ("trust",), obs_id="o-special"),
        observation("waiting", "waiting-info", "working-well", NOTES["leaflets"], ("empowerment", "trust"),
                    Voice.LIVED_EXPERIENCE, obs_id="o-leaflets"),
        observation("waiting", None, "could-be-better", NOTES["free"], ("choice",), obs_id="o-free"),
        observation("letters", "letters-tone", "not-seen", NOTES["letters"], ("collaboration",),
                    obs_id="o-letters"),
    ]
    actions = [
        action("Fix the lock on the accessible toilet.", None, priority=Priority.LOW, status=ActionStatus.DONE),
        action("Rewrite appointment letters with people with lived experience.", "policies-processes",
               observation_ids=("o-letters",)),
        action("Replace the warning sign with a welcoming one.", "service-design", priority=Priority.HIGH,
               observation_ids=("o-sign",)),
        action("Leadership walk the route every quarter.", "leadership", status=ActionStatus.IN_PROGRESS),
    ]
    snapshot = contents(observations, actions)
    out = tmp_path_factory.mktemp("report") / "findings.pdf"
    build_report(snapshot, store, out)
    reader = PdfReader(out)
    return {"path": out, "reader": reader, "pages": _text(reader), "store": store, "contents": snapshot}


# ---------------------------------------------------------------------------
# What a reader sees
# ---------------------------------------------------------------------------


def test_report_has_every_section_in_order(sample: dict) -> None:
    reader = sample["reader"]
    top = {item.title: reader.get_destination_page_number(item) for item in reader.outline
           if not isinstance(item, list)}
    sections = ["Cover", "Contents", "At a glance", "About this walk", "What people told us", "Findings by area",
                "Improvement plan", "Principles"]
    assert list(top) == sections
    pages = [top[s] for s in sections]
    assert pages == sorted(pages)
    # The cover holds the contents; At a glance is page 2, and the first pages each start a page.
    assert pages[:5] == [0, 0, 1, 2, 3]
    for title in sections[2:]:
        assert title in sample["pages"][top[title]]
    assert "Trauma-informed walkthrough: findings" in _flat(sample["pages"][0])


def test_every_note_is_printed_as_typed(sample: dict) -> None:
    text = _flat("\n".join(sample["pages"]))
    for note in NOTES.values():
        assert _flat(note) in text, note
    # Markup-like text is literal: the <b> is printed, and nothing after it became bold-only text.
    assert "<b>not bold</b>" in text


def test_every_page_has_marking_header_and_page_n_of_m(sample: dict) -> None:
    pages = sample["pages"]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number
        assert "Harbour Street Recovery Service — Leith" in page
        assert f"Page {number} of {total}" in page


def test_metadata_language_and_outline(sample: dict) -> None:
    reader = sample["reader"]
    meta = reader.metadata
    assert meta.title.startswith("Trauma-informed walkthrough: findings")
    assert "Harbour Street Recovery Service" in meta.title
    assert meta.author == "Lens Walkthrough"  # the team is not named by default: nor in the properties
    assert "Test lens for reports" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"

    def titles(items: list) -> list[str]:
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    outline = titles(reader.outline)
    for expected in ("At a glance", "Findings by area", "1. Arriving and entrance", "2. Waiting area",
                     "3. Appointment letters", "Principles", "Improvement plan"):
        assert expected in outline


def test_the_covers_contents_lists_the_sections_with_page_numbers(sample: dict) -> None:
    cover = _lines_as_placed(sample["reader"].pages[0])
    assert "Contents" in cover
    reader = sample["reader"]
    for item in reader.outline:
        if not isinstance(item, list) and item.title not in ("Cover", "Contents"):
            page = reader.get_destination_page_number(item) + 1
            assert re.search(rf"{re.escape(item.title)} +{page}\n", cover), item.title
    assert "1. Arriving and entrance" not in cover  # the areas are bookmarks, not contents lines


def test_cover_has_dates_version_marking_and_other_formats(sample: dict) -> None:
    cover = _flat(sample["pages"][0])
    for words in ("Date of the walk 14 March 2025", "Report date", "Version Draft",
                  "Protective marking OFFICIAL-SENSITIVE", "Other formats are available on request."):
        assert words in cover


def test_about_counts_the_team_by_role_and_names_nobody_by_default(sample: dict) -> None:
    about = _section(sample, "About this walk")
    assert "1 person with lived experience, 2 members of staff and 1 manager (1 of 4, 25%, with lived experience)" \
        in about
    assert "Ailsa Grant" not in "\n".join(sample["pages"])
    assert "Facilitated by 2 facilitators" in about
    assert "3 of 3 areas" in about
    assert "7, with 3 photos; 2 of 7 observations (29%) in the voice of lived experience" in about
    for principle in ("Safety People feel physically and emotionally safe.", "Choice People have meaningful choices."):
        assert principle in about


def test_at_a_glance_fits_one_page_and_proposes_the_priority_concerns(sample: dict) -> None:
    reader = sample["reader"]
    top = {item.title: reader.get_destination_page_number(item) for item in reader.outline
           if not isinstance(item, list)}
    assert top["About this walk"] == top["At a glance"] + 1
    glance = _section(sample, "At a glance")
    assert "not yet chosen by the team" in glance
    assert "1.1 Arriving and entrance: Is it clear where to go? A1 Service manager · due 30 Jun 2025" in glance
    assert "2.1 Waiting area: Can people talk without being overheard? No action yet" in glance
    assert "No action yet: 1 priority concern has no action answering it: 2.1" in glance


def test_what_people_told_us_gives_their_notes_whole(sample: dict) -> None:
    voice = _section(sample, "What people told us").split("Findings by area")[0]
    assert _flat("1.1 Arriving and entrance. " + NOTES["sign"]) in voice
    assert _flat(NOTES["leaflets"]) in voice
    assert "No private space" not in voice  # a member of staff's note


def test_principles_count_ratings_and_refer_to_findings(sample: dict) -> None:
    principles = _section(sample, "Principles")
    # Safety: 2 priority concerns (sign, privacy), 1 working well (greeting) -> total 3.
    assert re.search(r"Safety 1 0 2 0 3\b", principles), principles
    # Trust: sign (concern), special (could be better), leaflets (working well).
    assert re.search(r"Trust 1 1 1 0 3\b", principles)
    assert "! Priority concern: 1.1, 2.1" in principles
    assert "No private space" not in principles  # numbers, not a second copy of the notes


def test_findings_show_rating_words_principles_voice_actions_and_free_standing(sample: dict) -> None:
    findings = _section(sample, "Findings by area")
    assert "! Priority concern Safety · Trust · Voice: Person with lived experience" in findings
    assert "Other observations in this area" in findings
    assert "Photo 1. The front door from the pavement" in findings
    assert "Action A2: Service manager · due 30 Jun 2025" in findings
    assert "No action yet answers this priority concern." in findings
    # Working well comes last in its area, compact: its prompt on its reference line.
    assert "1.2 ✓ Working well How does the entrance feel? Reception staff greeted" in findings


def test_the_plan_is_one_table_by_priority_and_due_date(sample: dict) -> None:
    plan = _section(sample, "Improvement plan")
    assert "No. Action Owner Due Priority, status" in plan
    assert plan.count("No. Action Owner Due") == 1
    order = [plan.find(words) for words in ("Replace the warning sign", "Rewrite appointment letters",
                                           "Leadership walk the route", "Fix the lock")]
    assert all(p >= 0 for p in order) and order == sorted(order), order
    assert "Service design and delivery · answers 1.1" in plan


def test_rating_chip_uses_the_lens_colour(tmp_path: Path) -> None:
    lens = small_lens(LENS_YAML + """
ratings:
  - {id: good, label: "Good practice", meaning: "Keep it.", colour: "#FF00FF", symbol: "+", finding: strength}
  - {id: bad, label: "Needs work", meaning: "Change it.", colour: "#00FFFF", symbol: "!", finding: priority-concern}
""")
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "good", "Fine.")], lens=lens),
                 PhotoStore(), out)
    reader = PdfReader(out)
    streams = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert b"1 0 1 rg" in streams  # the chip (and chart) in the lens's magenta
    assert "+ Good practice" in _flat("\n".join(_text(reader)))


# ---------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------


def test_photos_embedded_once_each_small_and_upright(sample: dict) -> None:
    images = [image for page in sample["reader"].pages for image in page.images]
    assert len(images) == 3
    sizes = sorted(image.image.size for image in images)
    landscape = [s for s in sizes if s[0] > s[1]]
    portrait = [s for s in sizes if s[0] < s[1]]
    assert len(landscape) == 2 and len(portrait) == 1
    # Re-encoded for print (~170 dpi at about 8 cm), not the stored pixels.
    assert all(max(s) <= 700 for s in sizes), sizes
    assert sorted(sample["store"].fetches) == sorted(sample["store"].data)


def test_no_photos_option_embeds_and_fetches_none(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 1200, 800, "Seen from the street")
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "Clear.", photos=[photo],
                                       obs_id="o1")]),
                 store, out, ReportOptions(include_photos=False))
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 0
    assert store.fetches == []
    assert "1 photo (not shown in this report)" in _flat("\n".join(_text(reader)))


def test_unreadable_photo_gets_a_placeholder(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 1200, 800)
    store.data[photo.id] = b"not a jpeg at all"
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[photo])]),
                 store, out)
    assert "Photo could not be read" in "\n".join(_text(PdfReader(out)))


def test_a_stored_photo_that_is_not_a_jpeg_is_never_decoded_but_gets_the_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import EpsImagePlugin, Image

    store = PhotoStore()
    png, eps = store.add("o1", 60, 40), store.add("o1", 40, 30)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(buffer, format="PNG")  # Pillow reads it well; it is not what we store
    store.data[png.id] = buffer.getvalue()
    store.data[eps.id] = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 40 30\n%%EOF\n"
    eps_reader: list[object] = []
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: eps_reader.append(self))
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "x", photos=[png, eps])]),
                 store, out)
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 0
    assert "\n".join(_text(reader)).count("Photo could not be read") == 2
    assert eps_reader == []


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


def test_names_voice_and_marking_follow_the_options(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    team = (TeamMember("Ailsa Grant", Role.LIVED_EXPERIENCE), TeamMember("Ravi Shah", Role.STAFF))
    snapshot = contents([observation("entrance", "entrance-signs", "working-well", "Fine.",
                                     voice=Voice.LIVED_EXPERIENCE)], participants=team)
    build_report(snapshot, PhotoStore(), out,
                 ReportOptions(protective_marking="", include_voice=False, include_names=True))
    pages = _text(PdfReader(out))
    text = _flat("\n".join(pages))
    assert "Ailsa Grant (lived experience) and Ravi Shah (staff)" in text
    assert PdfReader(out).metadata.author == "Jo Smith and Catriona MacLeod"  # named: the facilitators too
    assert "Voice:" not in text
    assert "OFFICIAL" not in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_area_subset_reports_only_those_areas(tmp_path: Path) -> None:
    store = PhotoStore()
    elsewhere = store.add("o2", 1200, 800)
    out = tmp_path / "r.pdf"
    snapshot = contents(
        [
            observation("entrance", "entrance-signs", "working-well", "Entrance note.", obs_id="o1"),
            observation("waiting", "waiting-info", "priority-concern", "Waiting note.", photos=[elsewhere],
                        obs_id="o2"),
        ],
        actions=[action("Entrance action.", observation_ids=("o1",)), action("Waiting action.",
                                                                             observation_ids=("o2",))],
    )
    build_report(snapshot, store, out, ReportOptions(area_ids=("entrance",)))
    text = _flat("\n".join(_text(PdfReader(out))))
    assert "Entrance note." in text and "Entrance action." in text
    assert "Waiting note." not in text and "Waiting action." not in text
    assert store.fetches == []
    assert "This report covers only these areas of the lens: Arriving and entrance." in text


# ---------------------------------------------------------------------------
# Long tables, awkward text, awkward pictures
# ---------------------------------------------------------------------------


def test_action_table_header_repeats_on_each_page(tmp_path: Path) -> None:
    actions = [
        action(f"Action number {i}: agree with the team how the waiting area could feel calmer, then try it "
               f"for a month and ask people who use the service what changed.", "service-design", position=i)
        for i in range(60)
    ]
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "x")], actions), PhotoStore(),
                 out)
    pages = [_flat(p) for p in _text(PdfReader(out))]
    with_actions = [p for p in pages if "Action number" in p]
    assert len(with_actions) >= 3
    for page in with_actions:
        assert page.count("No. Action Owner Due Priority, status") == 1  # the header once on each page


def test_extreme_inputs_lay_out(tmp_path: Path) -> None:
    long_name = "Psychological and emotional safety " * 6  # ~210 characters
    lens = small_lens(LENS_YAML.replace("name: Safety,", f'name: "{long_name.strip()}",'))
    url = "https://example.org/" + "a1b2c3d4e5" * 13  # 150 characters, no spaces
    essay = " ".join(f"word{i % 97}" for i in range(5000))
    store = PhotoStore()
    tall = store.add("o-tall", 400, 6000, "A very tall picture " * 100)
    wide = store.add("o-tall", 6000, 300, "A very wide picture")
    odd = "bell\x07 escape\x1b[31m red emoji 😀👍🏽 nul\x00 surrogate \ud800 end"
    snapshot = contents(
        [
            observation("entrance", "entrance-signs", "working-well", essay, obs_id="o-essay"),
            observation("entrance", "entrance-signs", "could-be-better", f"See {url} for the policy.",
                        obs_id="o-url"),
            observation("waiting", "waiting-privacy", "priority-concern", "Pictures.", photos=[tall, wide],
                        obs_id="o-tall"),
            observation("waiting", None, "not-seen", odd, principles=()),
            observation("nowhere", "gone", "mystery-rating", "Unknown ids.", principles=("unknown",)),
        ],
        actions=[action(essay[:20000], "no-such-component", owner="x" * 300)],
        lens=lens,
        service="A service with a very long name " * 10,
        site="",
    )
    out = tmp_path / "r.pdf"
    build_report(snapshot, store, out)
    reader = PdfReader(out)
    text = _flat("\n".join(_text(reader)))
    assert url in _squashed("\n".join(_text(reader)))
    assert "word96 word0 word1" in text
    assert "bell escape[31m red" in text  # controls gone, the rest as typed
    assert "Unknown ids." in text and "mystery-rating" in text
    assert sum(len(p.images) for p in reader.pages) == 2


def test_observations_not_rated_yet_are_shown_counted_and_listed_at_a_glance(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    build_report(contents([
        observation("entrance", "entrance-signs", "working-well", "Clear sign."),
        observation("waiting", "waiting-info", None, "Staff said 2 of them were turned away."),
    ]), PhotoStore(), out)
    text = _flat("\n".join(_text(PdfReader(out))))
    start = text.index("At a glance", text.index("At a glance") + 1)  # after the cover's contents
    summary = text[start:text.index("About this walk", start)]
    assert "working well 1 and not rated yet 1" in summary
    listed = summary[summary.index("Not rated yet: 1 observation was written down but not given a rating"):]
    assert "2.1 Waiting area: Is information easy to find?" in listed
    # On the observation itself, and in the rating scale's key with its count.
    assert "? Not rated yet" in text[text.index("Findings by area"):]
    assert "Written down, but no rating chosen yet" in text
    assert gather_findings(contents([observation("waiting", None, None, "x")]), ReportOptions()).not_rated_entries


def test_an_empty_walkthrough_still_gives_a_readable_report(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    build_report(contents([], participants=(), facilitators=()), PhotoStore(), out)
    text = _flat("\n".join(_text(PdfReader(out))))
    assert "No observations were recorded." in text
    assert "No improvement actions have been recorded yet." in text
    assert "No team members recorded" in text


# ---------------------------------------------------------------------------
# Progress, cancelling, atomic writing, repeatability
# ---------------------------------------------------------------------------


def _small_contents(store: PhotoStore):
    photo = store.add("o1", 1200, 800, "Door")
    return contents(
        [
            observation("entrance", "entrance-signs", "working-well", "One.", photos=[photo], obs_id="o1"),
            observation("waiting", "waiting-info", "could-be-better", "Two."),
        ]
    )


def test_progress_counts_up_to_the_total(tmp_path: Path) -> None:
    store = PhotoStore()
    snapshot = _small_contents(store)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    build_report(snapshot, store, tmp_path / "r.pdf", progress=progress)
    assert {t for _, t in calls} == {4}  # 2 observations + 1 photo + the layout
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 4


@pytest.mark.parametrize("stop_at", [1, 2, 8], ids=["at-start", "while-preparing", "during-layout"])
def test_cancel_leaves_the_earlier_file_untouched(tmp_path: Path, stop_at: int) -> None:
    store = PhotoStore()
    snapshot = _small_contents(store)
    out = tmp_path / "findings.pdf"
    out.write_bytes(b"earlier report")
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < stop_at

    with pytest.raises(ReportCancelled) as caught:
        build_report(snapshot, store, out, progress=progress)
    assert str(caught.value) == "report cancelled"
    assert isinstance(caught.value, WalkthroughError)
    assert out.read_bytes() == b"earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.pdf"]
    assert len(calls) == stop_at


def test_success_replaces_the_earlier_file(tmp_path: Path) -> None:
    out = tmp_path / "findings.pdf"
    out.write_bytes(b"earlier report")
    store = PhotoStore()
    build_report(_small_contents(store), store, out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.pdf"]


def test_same_contents_give_the_same_bytes_apart_from_dates(tmp_path: Path) -> None:
    store = PhotoStore()
    snapshot = _small_contents(store)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    build_report(snapshot, store, first)
    build_report(snapshot, store, second)

    def undated(path: Path) -> bytes:
        return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", path.read_bytes())

    assert undated(first) == undated(second)


# ---------------------------------------------------------------------------
# The pieces
# ---------------------------------------------------------------------------


def test_user_text_becomes_literal_markup() -> None:
    assert inline("a & b <i>x</i>\nnext") == "a &amp; b &lt;i&gt;x&lt;/i&gt;<br/>next"
    assert paragraphs("one\ntwo\n\n\n  three\r\n") == ["one<br/>two", "three"]
    assert paragraphs(" \n ") == []
    assert clean("a\x07b\x1bc\td\x00e\ud800f") == "abc\tdef"
    assert first_sentence("First one. Second one.") == "First one."
    assert first_sentence("No stop at all\nbut two lines") == "No stop at all but two lines"
    assert first_sentence("v1.2 is out. Yes.") == "v1.2 is out."
    # Closing quotes and brackets stay with their sentence.
    assert first_sentence("A client said “I felt watched.” Staff agreed.") == "A client said “I felt watched.”"
    assert first_sentence('Sign reads "No entry." Then a door.') == 'Sign reads "No entry."'
    assert first_sentence("Quiet room (when free.) Book ahead.") == "Quiet room (when free.)"
    assert shorten("word " * 100, 20).endswith("…") and len(shorten("word " * 100, 20)) <= 20


def test_findings_number_areas_and_observations_in_walking_order() -> None:
    snapshot = contents(
        [
            observation("entrance", "entrance-signs", "working-well", "a"),
            observation("entrance", None, "working-well", "free, listed last"),
            observation("entrance", "entrance-welcome", "working-well", "b"),
            observation("letters", "letters-tone", "working-well", "c"),
        ]
    )
    findings = gather_findings(snapshot, ReportOptions())
    assert [(e.ref, e.record.note) for e in findings.entries] == [
        ("1.1", "a"), ("1.2", "b"), ("1.3", "free, listed last"), ("2.1", "c")
    ]
    assert [a.title for a in findings.unwalked_areas] == ["Waiting area"]
    options = dataclasses.replace(ReportOptions(), area_ids=("letters",))
    assert [e.record.note for e in gather_findings(snapshot, options).entries] == ["c"]


def test_photo_is_shrunk_to_its_placed_size() -> None:
    from PIL import Image

    from walkthrough.report.photo_flowable import photo_flowable
    from tests.unit.report_fixtures import jpeg

    flowable = photo_flowable(jpeg(2048, 1365), 2048, 1365, 200, 200)
    assert (round(flowable.width), round(flowable.height)) == (200, 133)
    with Image.open(io.BytesIO(flowable._jpeg)) as small:
        assert small.size[0] <= round(200 / 72 * 170) and small.size[0] > small.size[1]


def test_photo_shrunk_in_the_background_is_the_same_picture() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from walkthrough.report.photo_flowable import photo_flowable
    from tests.unit.report_fixtures import jpeg

    data = jpeg(2048, 1365)
    with ThreadPoolExecutor(max_workers=2) as pool:
        background = photo_flowable(data, 2048, 1365, 200, 200, pool)
        assert background.picture() == photo_flowable(data, 2048, 1365, 200, 200).picture()
        broken = photo_flowable(data[:2000], 2048, 1365, 200, 200, pool)
        assert broken.picture() is None  # drawn as the "could not be read" placeholder


def test_every_photo_is_on_the_page_where_its_observation_starts(db, tmp_path: Path) -> None:
    """No photo is left alone at the top of a page, away from its note (the sample once did this three times)."""
    from walkthrough.services.demo import create_demo_walkthrough
    from walkthrough.services.photos import photo_jpeg
    from walkthrough.services.walkthroughs import load_contents

    snapshot = load_contents(db, create_demo_walkthrough(db).id)
    out = tmp_path / "sample.pdf"
    build_report(snapshot, lambda photo_id: photo_jpeg(db, photo_id), out, ReportOptions())
    reader = PdfReader(out)
    pages = [_squashed(text) for text in _text(reader)]
    findings = gather_findings(snapshot, ReportOptions())
    checked = 0
    for entry in findings.entries:
        if not entry.record.photos:
            continue
        caption = f"Photo{entry.photo_numbers[0]}"
        # "Photo 1" is also the start of "Photo 10": the caption is followed by "." or, with none, the next text.
        [page] = [i for i, text in enumerate(pages) if re.search(re.escape(caption) + r"(?!\d)", text)]
        note_start = _squashed(entry.record.note)[:40]
        assert note_start in pages[page], f"{entry.ref}: photo {entry.photo_numbers[0]} on page {page + 1}, " \
                                          "away from its note"
        assert reader.pages[page].images, f"page {page + 1} has the caption but no picture"
        checked += 1
    assert checked >= 5


def test_quick_wins_carry_the_star_and_the_rule_is_stated(tmp_path: Path) -> None:
    today = dt.date.today()
    snapshot = contents(
        [observation("entrance", "entrance-signs", "working-well", "Entrance note.", obs_id="o1")],
        actions=[
            action("Soon and owned.", due=today + dt.timedelta(days=10)),
            action("Overdue and owned.", due=today - dt.timedelta(days=3)),
            action("Done already.", due=today, status=ActionStatus.DONE),
        ],
    )
    findings = gather_findings(snapshot, ReportOptions(), as_of=today)
    assert [findings.is_quick_win(a) for a in snapshot.actions] == [True, False, False]
    out = tmp_path / "r.pdf"
    build_report(snapshot, PhotoStore(), out, ReportOptions())
    text = _flat("\n".join(_text(PdfReader(out))))
    assert "★ Soon and owned." in text
    assert "★ Overdue" not in text and "★ Done" not in text
    assert "A quick win (★) has an owner, is neither done nor overdue" in text


def test_no_quick_win_no_star_legend(tmp_path: Path) -> None:
    snapshot = contents([observation("entrance", "entrance-signs", "working-well", "x", obs_id="o1")],
                        actions=[action("No owner.", owner="", due=dt.date.today())])
    out = tmp_path / "r.pdf"
    build_report(snapshot, PhotoStore(), out, ReportOptions())
    text = _flat("\n".join(_text(PdfReader(out))))
    assert "★" not in text


def test_a_report_of_some_areas_keeps_the_full_reports_numbers_and_says_the_plan_is_elsewhere(
    tmp_path: Path,
) -> None:
    snapshot = contents(
        [
            observation("entrance", "entrance-signs", "working-well", "Entrance note.", obs_id="o1"),
            observation("waiting", "waiting-info", "priority-concern", "Waiting note.", obs_id="o2"),
        ],
        actions=[action("Entrance action.", observation_ids=("o1",))],
    )
    full = gather_findings(snapshot, ReportOptions())
    some = gather_findings(snapshot, ReportOptions(area_ids=("waiting",)))
    waiting_ref = next(e.ref for e in full.entries if e.record.id == "o2")
    assert waiting_ref == "2.1"
    assert [e.ref for e in some.entries] == [waiting_ref]
    assert [a.number for a in some.areas] == [2]

    out = tmp_path / "r.pdf"
    build_report(snapshot, PhotoStore(), out, ReportOptions(area_ids=("waiting",)))
    text = _flat("\n".join(_text(PdfReader(out))))
    assert "No improvement actions have been recorded yet." not in text
    assert "The improvement plan has 1 action; none of them answers a finding in the areas this report covers." in text


def test_a_public_version_names_nobody_shows_no_photo_and_no_voice(tmp_path: Path) -> None:
    store = PhotoStore()
    photo = store.add("o1", 1200, 800, "Door")
    snapshot = contents([observation("entrance", "entrance-signs", "priority-concern", "Sign.", photos=[photo],
                                     voice=Voice.LIVED_EXPERIENCE, obs_id="o1")])
    out = tmp_path / "public.pdf"
    build_report(snapshot, store, out, ReportOptions(public=True, include_names=True))
    reader = PdfReader(out)
    text = _flat("\n".join(_text(reader)))
    for name in ("Ailsa Grant", "Jo Smith", "Catriona MacLeod"):
        assert name not in text and name not in str(reader.metadata)
    assert "Voice:" not in text and "What people told us" not in text and "Photo 1" not in text
    assert store.fetches == [] and not any(page.images for page in reader.pages)


def test_body_text_is_at_least_11_pt_and_rating_chips_at_least_8_5_pt(sample: dict) -> None:
    """Read from the PDF: the notes are set at 11 pt or more, the chips' words at 8.5 pt or more."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        scale = (tm[0] * cm[0] + tm[1] * cm[2]) or 1.0
        for key in ("Reception staff greeted everyone", "Priority concern", "Working well"):
            if key in text:
                sizes[key] = min(sizes.get(key, 99.0), size * scale)

    for page in sample["reader"].pages:
        page.extract_text(visitor_text=visit)
    assert sizes["Reception staff greeted everyone"] >= 11
    assert sizes["Priority concern"] >= 8.5 and sizes["Working well"] >= 8.5
