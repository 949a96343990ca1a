"""The report's fonts: DejaVu Sans for text, Noto Emoji for the symbols DejaVu lacks.

DejaVu Sans covers the languages and symbols a Scottish service writes in
(Gaelic, Welsh, Polish, Greek, Cyrillic, £ € ≥ ₂ ✓ ★), but not emoji, which
people do type into notes ("the sign 👍", a quoted text message 🙂).  Those
characters are set in the bundled monochrome Noto Emoji, so they print as
the pictures they are instead of empty boxes.  ReportLab has no font
fallback of its own: :func:`with_symbol_font` marks the runs that need it.
"""

from __future__ import annotations

import re
from functools import cache

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from walkthrough.bundled import resources_dir

FONT = "LensSans"
FONT_BOLD = "LensSans-Bold"
FONT_ITALIC = "LensSans-Oblique"
FONT_BOLD_ITALIC = "LensSans-BoldOblique"
#: Emoji and other pictographs DejaVu Sans does not have.
SYMBOL_FONT = "LensSymbols"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    SYMBOL_FONT: "NotoEmoji.ttf",
}

# Characters DejaVu may lack start well above Latin, Greek and Cyrillic: text
# with none of them (nearly every note) is passed through untouched.
_MAYBE_MISSING = re.compile("[\u2000-\U0010ffff]+")
# Emoji presentation selectors and the zero-width joiner draw nothing on
# their own; they stay with the run they belong to rather than splitting it.
_JOINERS = frozenset("\ufe0e\ufe0f\u200d")


@cache
def register_fonts() -> None:
    """Register the bundled faces (once per process): DejaVu Sans as one family, and the symbol font.

    Also switches off ReportLab's ASCII85 wrapping of streams: binary
    streams are valid PDF, about a fifth smaller, and without the optional
    C accelerator the encoding was the report's single largest cost.
    """
    rl_config.useA85 = 0
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    folder = resources_dir() / "fonts"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 (as PDF requires).

    ReportLab 4–5 write every code point as ``<%04X>``, so an emoji such as
    U+1F44D becomes ``<1F44D>``, which readers take for U+1F44 ("ὄ"): the
    picture prints, but copying the text or a screen reader gets the wrong
    character.  The CMap's destination is UTF-16BE, so such characters need
    their surrogate pair, ``<D83DDC4D>``.
    """
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


@cache
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """The code points DejaVu Sans has, and those Noto Emoji has."""
    register_fonts()
    text = frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)  # type: ignore[attr-defined]
    symbols = frozenset(pdfmetrics.getFont(SYMBOL_FONT).face.charToGlyph)  # type: ignore[attr-defined]
    return text, symbols


def with_symbol_font(markup: str) -> str:
    """``markup`` with every run of characters DejaVu Sans lacks, and Noto Emoji has, set in Noto Emoji.

    ``markup`` is Paragraph markup whose text is already escaped; only
    characters above U+1FFF are looked at, so tags and entities are never
    split.  Characters neither font has are left as they are.
    """
    if not _MAYBE_MISSING.search(markup):
        return markup
    text_font, symbol_font = _coverage()

    def needs_symbols(ch: str) -> bool:
        code = ord(ch)
        return code not in text_font and code in symbol_font

    def mark(match: re.Match[str]) -> str:
        run = match.group()
        out: list[str] = []
        in_symbols = False
        for ch in run:
            switch = needs_symbols(ch) if ch not in _JOINERS else in_symbols
            if switch != in_symbols:
                out.append(f'<font face="{SYMBOL_FONT}">' if switch else "</font>")
                in_symbols = switch
            out.append(ch)
        if in_symbols:
            out.append("</font>")
        return "".join(out)

    return _MAYBE_MISSING.sub(mark, markup)
