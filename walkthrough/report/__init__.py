"""The findings report (PDF): the only package that imports ReportLab.

It reads a :class:`~walkthrough.domain.records.WalkthroughContents` snapshot
and writes a PDF; it knows nothing of the database or the GUI.

* :mod:`.report_builder` - :func:`build_report`, the entry point
* :mod:`.findings` - numbering, grouping and counting, before layout
* :mod:`.story` - the sections as platypus flowables
* :mod:`.styles` - fonts, colours, paragraph styles, page templates
* :mod:`.rating_chip`, :mod:`.photo_flowable`, :mod:`.summary_chart` - custom drawing
* :mod:`.text_markup` - user text made safe for Paragraph markup
* :mod:`.wording` - the report's own words for stored values
"""

from walkthrough.report.report_builder import build_report
from walkthrough.report.report_options import ReportCancelled, ReportOptions

__all__ = ["ReportCancelled", "ReportOptions", "build_report"]
