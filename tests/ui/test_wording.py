"""The window's words for stored values (walkthrough/gui/wording.py)."""

from __future__ import annotations

from walkthrough.domain.not_rated import NOT_RATED_LABEL, NOT_RATED_MEANING, NOT_RATED_TEXT
from walkthrough.gui.wording import not_rated_label, not_rated_meaning, rating_text


def test_not_rated_yet_reads_on_screen_as_in_the_report_and_command_line(qapp) -> None:
    # The window's words go through the translations; in English they are the domain's own.
    assert not_rated_label() == NOT_RATED_LABEL
    assert not_rated_meaning() == NOT_RATED_MEANING
    assert rating_text(None) == NOT_RATED_TEXT
