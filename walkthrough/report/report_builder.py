"""Writing the findings report PDF: the entry point the command line and the app call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from walkthrough.domain.records import WalkthroughContents
from walkthrough.report.findings import gather_findings
from walkthrough.report.report_options import ReportCancelled, ReportOptions
from walkthrough.report.story import build_story
from walkthrough.report.styles import PageCount, PageDecoration, ReportDocTemplate
from walkthrough.report.text_markup import one_line
from walkthrough.report.wording import REPORT_TITLE, listing, long_date
from walkthrough.storage.atomic_file import atomic_output

Progress = Callable[[int, int], bool]


class _Progress:
    """Counts steps and asks the caller whether to go on.

    Preparing each observation and each photo is a step; the layout passes
    that follow only ask (with the count held at its last value) so a cancel
    is still honoured while pages are laid out.
    """

    def __init__(self, callback: Progress | None, total: int) -> None:
        self._callback = callback
        self.total = max(total, 1)
        self.done = 0

    def step(self) -> None:
        self.done = min(self.done + 1, self.total - 1)
        self.ask()

    def ask(self) -> None:
        # Only an explicit False cancels: a callback that forgets to return must not.
        if self._callback is not None and self._callback(self.done, self.total) is False:
            raise ReportCancelled()

    def finish(self) -> None:
        self.done = self.total
        self.ask()


def build_report(
    contents: WalkthroughContents,
    photo_jpeg: Callable[[str], bytes],
    output: Path,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
) -> None:
    """Write the findings report for ``contents`` to ``output`` (a PDF).

    Args:
        contents: the walkthrough, read in one transaction.
        photo_jpeg: returns a stored photo's JPEG by photo id; called once per
            photo laid out, never for photos left out.
        output: the PDF to write; replaced only when the whole report is done.
        options: what to include.
        progress: called as ``progress(done, total)``; returning ``False``
            cancels.

    Raises:
        ReportCancelled: ``progress`` returned ``False``; ``output`` is untouched.
        ExportError: the file cannot be written; ``output`` is untouched.
    """
    output = Path(output)
    findings = gather_findings(contents, options)
    photos = findings.photo_count if options.include_photos else 0
    tracker = _Progress(progress, len(findings.entries) + photos + 1)
    tracker.ask()

    record = contents.walkthrough
    service, site = one_line(record.service), one_line(record.site)
    place = f"{service} — {site}" if site else service
    page_count = PageCount()
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
                author=listing([one_line(f) for f in record.facilitators if one_line(f)]),
                subject=(
                    f"Trauma-informed walkthrough of {place} on {long_date(record.visit_date)}, "
                    f"lens {one_line(record.lens.title)} version {one_line(record.lens.version)}"
                ),
                keywords="trauma-informed, walkthrough, findings, improvement plan",
                creation=dt.datetime.now(dt.timezone.utc),
                page_count=page_count,
                on_page=tracker.ask,
            )
            story = [page_count, *build_story(findings, photo_jpeg, tracker.step)]
            doc.multiBuild(story)
            tracker.finish()
    except ReportCancelled:
        # ReportLab may re-raise it with layout details added; say it plainly.
        raise ReportCancelled() from None
