"""When two walkthroughs are of the same visit: one rule for the command line and the window.

A second walkthrough of a visit is usually a double click or a forgotten
earlier start, so both front ends mention it (the command line warns and goes
on; the window asks).  A visit is the service, the site and the visit date.
Service and site are compared as people type them, not byte for byte: case,
spaces at the ends or doubled inside, and the Unicode form of a letter
("é" typed as one character or as "e" plus an accent, as some systems paste
it) make no difference.  Another date is another visit.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Protocol

__all__ = ["is_same_visit", "visit_name_key"]


class _Visit(Protocol):
    @property
    def service(self) -> str: ...

    @property
    def site(self) -> str: ...

    @property
    def visit_date(self) -> dt.date: ...


def visit_name_key(name: str) -> str:
    """A service's or site's name as the visit rule compares it (compatibility form, spaces collapsed, case folded)."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def is_same_visit(walkthrough: _Visit, service: str, site: str, visit_date: dt.date) -> bool:
    """True if ``walkthrough`` is of the visit to ``service`` at ``site`` on ``visit_date``."""
    return (
        walkthrough.visit_date == visit_date
        and visit_name_key(walkthrough.service) == visit_name_key(service)
        and visit_name_key(walkthrough.site) == visit_name_key(site)
    )
