"""The findings report (PDF, Word or HTML): the only package that imports ReportLab and python-docx.

It reads a :class:`~walkthrough.domain.records.WalkthroughContents` snapshot
and writes a PDF, an editable Word document or one self-contained web page;
it knows nothing of the database or the GUI.

* :mod:`.report_builder` - :func:`build_report`, the entry point
* :mod:`.findings` - numbering, grouping and counting, before layout
* :mod:`.outline` - what the report says, in order, as :mod:`.document_blocks` (no ReportLab):
  every format is laid out from it
* :mod:`.story` - the PDF's layout of the outline, as platypus flowables
* :mod:`.docx_writer`, :mod:`.docx_elements` - the Word document (python-docx)
* :mod:`.html_writer`, :mod:`.html_text`, :mod:`.html_style`, :mod:`.html_chart` - the web page (standard library only)
* :mod:`.photo_queue`, :mod:`.photo_size` - photos fetched once and shrunk to their placed size
* :mod:`.styles` - fonts, colours, paragraph styles, page templates
* :mod:`.rating_chip`, :mod:`.photo_flowable`, :mod:`.summary_chart` - custom drawing
* :mod:`.text_markup` - user text made safe for Paragraph markup
* :mod:`.wording` - the report's own words for stored values
"""

from walkthrough.report.report_builder import build_report
from walkthrough.report.report_options import LensAppendix, ReportCancelled, ReportFormat, ReportOptions

__all__ = ["LensAppendix", "ReportCancelled", "ReportFormat", "ReportOptions", "build_report"]
