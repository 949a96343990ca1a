"""The blocks a report is made of, with no layout: what the outline builds and each format lays out.

:mod:`walkthrough.report.outline` builds a list of these from the findings;
:mod:`walkthrough.report.story` lays them out as a PDF and
:mod:`walkthrough.report.docx_writer` as a Word document.  Text is plain
(cleaned by :mod:`walkthrough.report.plain_text`); a :class:`Span` says what
is bold, italic or a link to an observation, and a renderer escapes it as
its format needs.  Photos are referenced, never loaded.  No ReportLab, no
python-docx.
"""

from __future__ import annotations

from dataclasses import dataclass

from walkthrough.domain.lens import Rating
from walkthrough.domain.records import PhotoRecord
from walkthrough.report.plain_text import clean, one_line


@dataclass(frozen=True)
class Span:
    """A piece of text; ``link`` is the anchor of an observation it points to."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


Text = tuple[Span, ...]


def plain(text: str, *, bold: bool = False, italic: bool = False) -> Text:
    """``text`` (cleaned; line breaks kept) as one span."""
    return (Span(clean(text).strip(), bold=bold, italic=italic),)


def text_of(text: Text) -> str:
    """The words of ``text`` without their formatting."""
    return "".join(span.text for span in text)


#: The report's text width in millimetres, in every format (A4 with 20 mm margins).
TEXT_WIDTH_MM = 170.0


@dataclass(frozen=True)
class Heading:
    """A heading: level 0 is the report's title, 1 a section, 2 and 3 below it.

    ``key`` names it (a PDF bookmark); ``in_contents`` puts it on the contents
    page (the sections and the walked areas); ``bookmark`` ``False`` keeps a
    minor heading (a prompt, a lens area) out of the PDF's bookmarks.
    """

    level: int
    text: str
    key: str
    in_contents: bool = False
    bookmark: bool = True


@dataclass(frozen=True)
class Para:
    """A paragraph: ``style`` is ``body``, ``lead`` (a section's opening), ``meta`` (an aside) or ``subtitle``."""

    text: Text
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Cell:
    """A table cell: paragraphs (the first ``meta_from`` are body text, the rest asides), or a rating."""

    paras: tuple[Text, ...] = ()
    rating: Rating | None = None
    numeric: bool = False
    meta_from: int | None = None


@dataclass(frozen=True)
class Table:
    """A table; ``header`` (if any) repeats on each page; ``widths`` in millimetres, adding up to the text width."""

    header: tuple[Cell, ...] | None
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    #: ``grid`` (rules between rows) or ``key_values`` (label / value pairs, no header)
    kind: str = "grid"


@dataclass(frozen=True)
class PhotoRef:
    """A photo to place: ``number`` in the report, its caption and the text that stands for it."""

    number: int
    photo: PhotoRecord
    caption: Text
    #: what a screen reader says for the picture: its alt text, else its caption, else its number and area
    alt: str


@dataclass(frozen=True)
class Observation:
    """One observation under *Findings by area*: reference, rating, details, note and photos."""

    ref: str
    anchor: str
    rating: Rating
    details: tuple[str, ...]
    note: tuple[str, ...]
    photos: tuple[PhotoRef, ...] = ()
    #: the improvement actions answering it (or that none does yet), one line each, after the note
    actions: tuple[Text, ...] = ()
    #: shown compactly (a *Working well* finding): ``context`` (its prompt) and note after the reference,
    #: with no heading of its own; a renderer that ignores it shows the full form
    compact: bool = False
    context: str = ""


@dataclass(frozen=True)
class Chart:
    """The summary's ratings-by-principle chart, where a format can draw it (the table after it has the numbers).

    ``with_chart`` explains the chart and its table; ``without_chart`` the table alone.
    """

    with_chart: Text
    without_chart: Text


@dataclass(frozen=True)
class PageBreak:
    """A new page before what follows (a renderer may ignore it).

    ``room_mm`` above 0 makes it soft: a new page only when less than that
    much of the page is left (a paged format; a flowing one may ignore it).
    """

    room_mm: float = 0.0


Block = Heading | Para | Bullets | Table | Chart | Observation | PageBreak


def rating_words(rating: Rating) -> str:
    """A rating as words with its symbol (``✔ Working well``): never colour alone."""
    return one_line(f"{rating.symbol} {rating.label}")
