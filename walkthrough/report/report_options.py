"""What a person can choose about a report, and how a cancelled report ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath

from walkthrough.domain.errors import WalkthroughError


class ReportFormat(str, Enum):
    """The file a report is written as: the print version, an editable one, or a web page."""

    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"

    @property
    def suffix(self) -> str:
        """The file name ending, ``.pdf``, ``.docx`` or ``.html``."""
        return f".{self.value}"

    @classmethod
    def for_path(cls, path: PurePath) -> ReportFormat | None:
        """The format a file name's ending names (any case; ``.htm`` too), or ``None`` for another ending."""
        suffix = path.suffix.lower().lstrip(".")
        return next((f for f in cls if f.value == suffix), cls.HTML if suffix == "htm" else None)

    @staticmethod
    def names_a_format(path: PurePath) -> bool:
        """Whether the ending of ``path`` looks meant as a file type (``.txt``), not part of a name (``v1.2``).

        An ending of one to five characters with a letter in it and nothing but
        letters and digits: ``findings 14.03.2026`` has no file type, ``r.odt`` has one.
        """
        suffix = path.suffix[1:]
        return 0 < len(suffix) <= 5 and suffix.isascii() and suffix.isalnum() and not suffix.isdigit()


class LensAppendix(str, Enum):
    """How much of the lens the report's appendix shows."""

    NONE = "none"  #: no appendix (the default: the principles and ratings are in *About this walk*)
    USED = "used"  #: only the prompts that have observations
    ALL = "all"  #: every prompt of the lens


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
        format: the file to write: a PDF, an editable Word document or
            a self-contained web page (HTML), with the same content.
        public: a version to publish: no names (the team by role only),
            no voice attribution (and so no *What people told us*) and no
            photos; until photos can be marked as showing people, all of
            them are left out.  Overrides ``include_names``,
            ``include_voice`` and ``include_photos``.
        lens_appendix: the lens appendix: none (default), only the prompts
            used, or all of them.
        edition: what this copy is, on the cover: ``Draft`` or e.g.
            ``Final, version 1.0``.
        report_date: the day the report is as at (statuses, quick wins);
            ``None``: today.
    """

    protective_marking: str = "OFFICIAL-SENSITIVE"
    include_photos: bool = True
    include_voice: bool = True
    include_names: bool = False
    area_ids: tuple[str, ...] | None = None
    format: ReportFormat = ReportFormat.PDF
    public: bool = False
    lens_appendix: LensAppendix = LensAppendix.NONE
    edition: str = "Draft"
    report_date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.public:
            # One place says what a public version leaves out; every renderer reads the include_ flags.
            for name in ("include_names", "include_voice", "include_photos"):
                object.__setattr__(self, name, False)


class ReportCancelled(WalkthroughError):
    """The person cancelled the report; no file was written or replaced."""

    def __init__(self, message: str = "report cancelled") -> None:
        super().__init__(message)
