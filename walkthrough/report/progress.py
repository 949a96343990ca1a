"""Counting a report's steps and honouring a cancel, the same for every format."""

from __future__ import annotations

from collections.abc import Callable

from walkthrough.report.report_options import ReportCancelled

#: ``progress(done, total)``; returning ``False`` cancels.
Progress = Callable[[int, int], bool]


class ProgressTracker:
    """Counts steps and asks the caller whether to go on.

    Preparing each observation and each photo is a step; the layout pass
    that follows only asks (with the count held at its last value) so a cancel
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
