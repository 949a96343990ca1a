"""What the command line prints: one safe line at a time, warnings and errors."""

from __future__ import annotations

import sys
import unicodedata
from typing import TextIO


def _out(line: str = "") -> None:
    _print(line, sys.stdout)


def _warn(text: str) -> None:
    _print(f"warning: {_one_line(text)}", sys.stderr)


def _warn_error(text: str) -> None:
    """One ``error: …`` line on stderr for a problem that does not stop the command."""
    _print(f"error: {_one_line(text)}", sys.stderr)


def _print(text: str, stream: TextIO) -> None:
    """Print one line that cannot garble the terminal or fail to encode.

    Names and notes come from files and other people: a control character
    (an escape sequence, a bell) is shown as ``\\x1b``, and a lone surrogate
    (a file name that is not valid UTF-8) as ``\\udcff``, instead of being
    sent to the terminal or crashing the print after the work was done.
    """
    safe = "".join(
        ch if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs") else ascii(ch)[1:-1] for ch in text
    )
    try:
        print(safe, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(safe.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < scale * 1000 or unit == "GB":
            return f"{n / scale:.1f} {unit}"
    raise AssertionError("unreachable")


def _one_line(text: str) -> str:
    return " ".join(text.split())
