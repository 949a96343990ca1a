"""The HTML report's style sheet: the screen, and print on A4.

Colours are the PDF's (:mod:`walkthrough.report.styles`), each checked
against WCAG AA on the background it is used on: body text ``#212B32`` on
white 14.7:1, asides ``#4C6272`` 6.3:1, links ``#005EB8`` 6.3:1, headings
``#003087`` 12.6:1, header cells on ``#E8EDEE`` over 11:1.  Print: each
section starts a page where the outline breaks one (``.page-break``), the
contents page stands alone, table rows, figures and an observation's first
line never split, table headers repeat, and the protective marking heads
every page (page-margin boxes, where the browser has them).  On a narrow
screen (a phone) the cover's details stack and table cells may break a long
word, so nothing needs scrolling sideways.
"""

from __future__ import annotations

from walkthrough.report.plain_text import one_line

_SHEET = """
:root { color-scheme: light; }
html { font-family: "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif; font-size: 100%;
  color: #212B32; background: #FFFFFF; line-height: 1.5; }
body { max-width: 48rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1, h2, h3, h4, h5, h6 { color: #003087; line-height: 1.25; }
h1 { font-size: 2rem; margin: 2.5rem 0 0.75rem; }
h2 { font-size: 1.6rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 2px solid #003087; }
h3 { font-size: 1.3rem; margin: 2rem 0 0.5rem; }
h4, h5, h6 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0 0 0.75rem; }
a { color: #005EB8; }
a:focus { outline: 3px solid #212B32; outline-offset: 2px; background: #FFEB3B; color: #212B32; }
.skip { position: absolute; left: -10000px; top: 0; }
.skip:focus { position: static; display: inline-block; padding: 0.25rem 0.5rem; }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; border: 2px solid #212B32;
  padding: 0.25rem 0.5rem; margin: 0 0 1rem; }
.subtitle { font-size: 1.3rem; margin: 0 0 0.25rem; }
.lead { font-size: 1.1rem; }
.meta { color: #4C6272; font-size: 0.95rem; }
dl.key-values { display: grid; grid-template-columns: minmax(9rem, 14rem) 1fr; gap: 0.35rem 1rem;
  margin: 2rem 0; }
dl.key-values dt { font-weight: bold; }
dl.key-values dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1.5rem; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid #AEB7BD; }
thead th { background: #E8EDEE; border-bottom: 2px solid #003087; }
tbody th { font-weight: normal; }
th p, td p { margin: 0 0 0.25rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.chip { display: inline-block; padding: 0.05rem 0.55rem; border-radius: 0.8rem; font-weight: bold;
  border: 1px solid #212B32; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
nav ol { list-style: none; padding-left: 0; }
nav ol ol { padding-left: 1.5rem; }
nav li { margin: 0.2rem 0; }
.observation { padding: 0.75rem 0 0.5rem; border-bottom: 1px solid #AEB7BD; }
.obs-head { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; }
.ref { font-weight: bold; min-width: 2.5rem; }
.photos { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0.5rem 0 0.75rem; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #AEB7BD; }
figcaption { font-size: 0.9rem; color: #4C6272; max-width: 20rem; }
figure.chart svg { width: 100%; height: auto; }
figure.chart figcaption { max-width: none; }
footer { margin-top: 3rem; padding-top: 0.5rem; border-top: 1px solid #AEB7BD; color: #4C6272; font-size: 0.9rem; }
@media screen and (max-width: 40rem) {
  body { padding: 0.5rem 0.75rem 2rem; }
  dl.key-values { grid-template-columns: 1fr; gap: 0 1rem; }
  dl.key-values dd { margin-bottom: 0.5rem; }
  table { font-size: 0.9rem; }
  th, td { padding: 0.3rem 0.25rem; overflow-wrap: anywhere; }
}
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  .skip { display: none; }
  a { color: inherit; text-decoration: none; }
  .page-break { break-after: page; height: 0; }
  nav { break-after: page; }
  h1, h2, h3, h4, h5, h6, .obs-head { break-after: avoid; }
  h2 + .meta, h3 + .meta, h4 + .meta { break-after: avoid; }
  tr, figure, dl.key-values > *, li, .obs-head { break-inside: avoid; }
  .observation > p.meta { break-before: avoid; }  /* an action line stays with the note it answers */
  thead { display: table-header-group; break-after: avoid; }
  tbody tr:first-child { break-before: avoid; }
  img { max-height: 70mm; width: auto; }
}
"""


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters, digits and spaces as an escape (no way out)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in one_line(text)) + '"'


def style_sheet(running_head: str) -> str:
    """The whole sheet; ``running_head`` (the marking and the place) heads each printed page."""
    page = (
        "@page { size: A4; margin: 24mm 22mm 22mm;\n"
        f"  @top-center {{ content: {_css_string(running_head)}; font-size: 9pt; color: #4C6272; }}\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; color: #4C6272; }\n'
        "}\n"
    )
    return _SHEET + page
