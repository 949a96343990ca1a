"""English counting and listing for the words the command line and the report write.

The window words counts through Qt's translations (``tr("%n photos", "", n)``);
the command line and the report are written in English, and count with
:func:`counted` so that a count of one is never "1 photos".
"""

from __future__ import annotations


def counted(n: int, one: str, many: str) -> str:
    """``1 photo`` / ``3 photos`` / ``0 photos``."""
    return f"{n} {one if n == 1 else many}"


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
