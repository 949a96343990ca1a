"""The file name offered for what a walkthrough is exported as, the same in the window and on the command line."""

from __future__ import annotations

import datetime as dt


def suggested_file_name(service: str, site: str, visit_date: dt.date, ending: str) -> str:
    """``Harbour Street Leith 2025-03-14`` + ``ending`` (e.g. `` findings.pdf``).

    Punctuation (commas, brackets, slashes) becomes a space and spaces are not
    doubled: "Health Centre, Kirkvellan (sample)" gives "Health Centre
    Kirkvellan sample", a name every file system and every reader takes.
    """
    stem = f"{service} {site} {visit_date.isoformat()}"
    kept = "".join(c if c.isalnum() or c in "-_" else " " for c in stem)
    return " ".join(kept.split()) + ending
