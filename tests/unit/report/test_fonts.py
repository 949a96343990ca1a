"""The report's fonts (walkthrough/report/fonts.py): emoji print as pictures and copy out as themselves."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.unit.report_fixtures import PhotoStore, contents, observation
from walkthrough.report import ReportOptions, build_report
from walkthrough.report.fonts import SYMBOL_FONT, with_symbol_font


def _embedded_fonts(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def test_only_characters_dejavu_lacks_are_set_in_the_symbol_font() -> None:
    assert with_symbol_font("plain text &amp; £5 — café ★ ✓") == "plain text &amp; £5 — café ★ ✓"
    marked = with_symbol_font("the sign 👍🏽 ✅ and 🚪<br/>next")
    assert marked == (f'the sign <font face="{SYMBOL_FONT}">👍🏽</font> <font face="{SYMBOL_FONT}">✅</font> '
                      f'and <font face="{SYMBOL_FONT}">🚪</font><br/>next')
    # An emoji presentation selector stays inside the run it follows.
    assert with_symbol_font("✅\ufe0f!") == f'<font face="{SYMBOL_FONT}">✅\ufe0f</font>!'


def test_emoji_in_a_note_print_from_the_bundled_font_and_copy_out_whole(tmp_path: Path) -> None:
    note = "Staff said 👍 the door sign ✅ 🚪 was fine 🙂"
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", note)]), PhotoStore(), out,
                 ReportOptions())
    assert any("NotoEmoji" in name for name in _embedded_fonts(out))
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    # Characters beyond U+FFFF come back as themselves, not as a wrong character (ReportLab's
    # ToUnicode map wrote U+1F44D as U+1F44 "ὄ").
    assert note in text
    assert "ὄ" not in text


def test_a_report_without_emoji_embeds_no_symbol_font(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    build_report(contents([observation("entrance", "entrance-signs", "working-well", "A plain note.")]),
                 PhotoStore(), out, ReportOptions())
    assert not any("NotoEmoji" in name for name in _embedded_fonts(out))
