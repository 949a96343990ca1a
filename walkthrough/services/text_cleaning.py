"""Free text as stored: exactly as typed, except what SQLite/UTF-8 cannot hold.

Text pasted into the GUI can carry a lone UTF-16 surrogate (half of an emoji
cut in two by another program); SQLite then refuses the whole transaction
with a ``UnicodeEncodeError``.  Every free-text field goes through
:func:`clean_text` before it is stored.
"""

from __future__ import annotations


def clean_text(text: str) -> str:
    """``text`` with lone surrogates turned into U+FFFD and NUL characters dropped.

    Line breaks, tabs and every other character are kept; surrounding space
    is left for the caller to strip (or keep).
    """
    if has_surrogates(text):
        # Through UTF-16 so that surrogate *pairs* become their character
        # and only lone halves become U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.replace("\x00", "")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (which UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
