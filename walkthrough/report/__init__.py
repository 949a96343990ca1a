"""The findings report (PDF or Word): the only package that imports ReportLab and python-docx.

It reads a :class:`~walkthrough.domain.records.WalkthroughContents` snapshot
and writes a PDF or an editable Word document; it knows nothing of the
database or the GUI.

* :mod:`.report_builder` - :func:`build_report`, the entry point
* :mod:`.findings` - numbering, grouping and counting, before layout
* :mod:`.outline` - what the report says, in order, as :mod:`.document_blocks` (no ReportLab):
  both formats are laid out from it
* :mod:`.story` - the PDF's layout of the outline, as platypus flowables
* :mod:`.docx_writer`, :mod:`.docx_elements` - the Word document (python-docx)
* :mod:`.styles` - fonts, colours, paragraph styles, page templates
* :mod:`.rating_chip`, :mod:`.photo_flowable`, :mod:`.summary_chart` - custom drawing
* :mod:`.text_markup` - user text made safe for Paragraph markup
* :mod:`.wording` - the report's own words for stored values
"""

from walkthrough.report.report_builder import build_report
from walkthrough.report.report_options import LensAppendix, ReportCancelled, ReportFormat, ReportOptions

__all__ = ["LensAppendix", "ReportCancelled", "ReportFormat", "ReportOptions", "build_report"]
