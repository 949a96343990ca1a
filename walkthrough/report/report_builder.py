"""Writing the findings report (PDF, or DOCX and HTML through their writers): the entry point the command line and the app call."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from walkthrough.domain.comparison import Comparison
from walkthrough.domain.records import WalkthroughContents
from walkthrough.report.findings import gather_findings
from walkthrough.report.progress import Progress, ProgressTracker
from walkthrough.report.report_options import ReportCancelled, ReportFormat, ReportOptions
from walkthrough.report.plain_text import one_line
from walkthrough.report.wording import APP_AUTHOR, REPORT_TITLE, listing, long_date
from walkthrough.storage.atomic_file import atomic_output


def build_report(
    contents: WalkthroughContents,
    photo_jpeg: Callable[[str], bytes],
    output: Path,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
    comparison: Comparison | None = None,
) -> None:
    """Write the findings report for ``contents`` to ``output``: a PDF, a Word document or HTML (``options.format``).

    Args:
        contents: the walkthrough, read in one transaction.
        photo_jpeg: returns a photo's JPEG by photo id, best its print rendition
            (``services.photos.photo_for_print``), which is placed as it is; a
            larger picture is shrunk to its placed size.  Called once per
            photo laid out, never for photos left out.
        output: the file to write; replaced only when the whole report is done.
        options: what to include.
        progress: called as ``progress(done, total)``; returning ``False``
            cancels.
        comparison: ``contents`` set against an earlier walk
            (:func:`walkthrough.domain.comparison.compare`): adds the section
            "What changed since the earlier walk" after "At a glance".

    Raises:
        ReportCancelled: ``progress`` returned ``False``; ``output`` is untouched.
        ExportError: the file cannot be written; ``output`` is untouched.
    """
    if options.format is ReportFormat.DOCX:
        from walkthrough.report.docx_writer import build_docx  # python-docx loads only for a Word document

        build_docx(contents, photo_jpeg, output, options, progress, comparison)
        return
    if options.format is ReportFormat.HTML:
        from walkthrough.report.html_writer import write_html  # the standard library only

        with atomic_output(Path(output)) as partial, open(partial, "w", encoding="utf-8", newline="\n") as stream:
            write_html(contents, photo_jpeg, stream, options, progress, comparison)
        return
    # ReportLab loads only for a PDF (a Word document, or the options dialog, never needs it).
    from walkthrough.report.story import build_story
    from walkthrough.report.styles import PageDecoration, ReportDocTemplate

    output = Path(output)
    findings = gather_findings(contents, options, comparison=comparison)
    photos = findings.photo_count if options.include_photos else 0
    tracker = ProgressTracker(progress, len(findings.entries) + photos + 1)
    tracker.ask()

    record = contents.walkthrough
    service, site = one_line(record.service), one_line(record.site)
    place = f"{service} — {site}" if site else service
    # Photos are shrunk on these threads while the main thread lays out pages.
    shrinker = ThreadPoolExecutor(max_workers=min(os.cpu_count() or 2, 4), thread_name_prefix="report-photos")
    try:
        with atomic_output(output) as partial:
            doc = ReportDocTemplate(
                str(partial),
                PageDecoration(
                    running_head=place,
                    marking=one_line(options.protective_marking),
                    footer_left=f"Walkthrough findings · {long_date(record.visit_date)}",
                ),
                title=f"{REPORT_TITLE} — {place}",
                # Names only where the report names the team: not in a public version, nor by default.
                author=listing([one_line(f) for f in record.facilitators if one_line(f)])
                if options.include_names and not options.public else APP_AUTHOR,
                subject=(
                    f"Trauma-informed walkthrough of {place} on {long_date(record.visit_date)}, "
                    f"lens {one_line(record.lens.title)} version {one_line(record.lens.version)}"
                ),
                keywords="trauma-informed, walkthrough, findings, improvement plan",
                creation=dt.datetime.now(dt.timezone.utc),
                on_page=tracker.ask,
            )
            story = build_story(findings, photo_jpeg, tracker.step, shrinker)
            doc.build(story)
            tracker.finish()
    except ReportCancelled:
        # ReportLab may re-raise it with layout details added; say it plainly.
        raise ReportCancelled() from None
    finally:
        shrinker.shutdown(cancel_futures=True)
