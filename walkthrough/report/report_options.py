"""What a person can choose about a report, and how a cancelled report ends."""

from __future__ import annotations

from dataclasses import dataclass

from walkthrough.domain.errors import WalkthroughError


@dataclass(frozen=True)
class ReportOptions:
    """Choices for one findings report.

    Attributes:
        protective_marking: printed on every page's header and footer
            (e.g. ``OFFICIAL-SENSITIVE``); ``""`` prints none.
        include_photos: lay out the observations' photos.
        include_voice: say whose voice each observation records.
        include_names: name the participants on the cover; otherwise the
            cover only counts them by role.
        area_ids: report only these lens areas; ``None`` reports all.
    """

    protective_marking: str = "OFFICIAL-SENSITIVE"
    include_photos: bool = True
    include_voice: bool = True
    include_names: bool = False
    area_ids: tuple[str, ...] | None = None


class ReportCancelled(WalkthroughError):
    """The person cancelled the report; no file was written or replaced."""

    def __init__(self, message: str = "report cancelled") -> None:
        super().__init__(message)
