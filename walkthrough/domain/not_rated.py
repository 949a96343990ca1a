"""An observation *not rated yet*: written down first, rated later (or never).

A facilitator often writes what someone said before deciding how it rates.
Such an observation has no rating (``rating_id`` is ``None``).  It is not a
finding of any kind: it never counts as a strength, an opportunity or a
concern, and it is never hidden either.  Review, the improvement plan and the
report show it with the words below and count it on its own, so nobody
mistakes it for a finished finding.

The words live here once, for the desktop app, the command line and the
report; like the rating words of a lens they are shown with a symbol, so that
the state never relies on colour alone.  Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = [
    "NOT_RATED_COLOUR",
    "NOT_RATED_KEY",
    "NOT_RATED_LABEL",
    "NOT_RATED_MEANING",
    "NOT_RATED_SYMBOL",
    "NOT_RATED_TEXT",
    "is_rated",
    "not_rated",
]

#: The words for an observation with no rating yet.
NOT_RATED_LABEL = "Not rated yet"
#: Its sign, shown before the words as a rating's symbol is.
NOT_RATED_SYMBOL = "?"
#: Symbol and words together, as a rating is shown ("? Not rated yet").
NOT_RATED_TEXT = f"{NOT_RATED_SYMBOL} {NOT_RATED_LABEL}"
#: What it means, for tooltips and the report's key.
NOT_RATED_MEANING = "Written down, but no rating chosen yet: rate it before the findings are final."
#: A pale grey: its chip never looks like a rating's strong colour (nor "Not seen"'s dark grey).
NOT_RATED_COLOUR = "#E0E0E0"
#: Stands for "not rated yet" where a rating is picked from a list (a filter,
#: a choice in a table); never a lens's rating id, which starts with a letter or digit.
NOT_RATED_KEY = "?"


class _HasRating(Protocol):
    @property
    def rating_id(self) -> str | None: ...


_Observation = TypeVar("_Observation", bound=_HasRating)


def is_rated(observation: _HasRating) -> bool:
    """True once a rating was chosen for the observation."""
    return observation.rating_id is not None


def not_rated(observations: Iterable[_Observation]) -> list[_Observation]:
    """The observations with no rating yet, in the order given."""
    return [o for o in observations if o.rating_id is None]
