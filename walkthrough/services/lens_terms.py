"""Naming lens things the way people do: by id or by their label, in any case.

Spreadsheets and the command line let a person write ``Waiting area`` or
``waiting-area``, ``Priority concern`` or ``priority-concern``,
``lived experience`` or ``lived-experience``.  Ids win over labels when both
match.  An unknown name is refused with the valid ids listed.
"""

from __future__ import annotations

from collections.abc import Iterable

from walkthrough.domain.errors import InvalidInput
from walkthrough.domain.lens import Lens
from walkthrough.domain.vocabulary import Voice

_VOICE_WORDS = {
    **{v.value: v for v in Voice},
    **{v.value.replace("-", " "): v for v in Voice},
    "person with lived experience": Voice.LIVED_EXPERIENCE,
}


def _table(pairs: Iterable[tuple[str, str]], ids: Iterable[str]) -> dict[str, str]:
    table = {label.casefold(): ident for label, ident in pairs}
    table.update({ident.casefold(): ident for ident in ids})  # ids win over labels
    return table


def _find(table: dict[str, str], text: str, kind: str, known: Iterable[str]) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(f"the {kind} is empty")
    found = table.get(text.casefold())
    if found is None:
        raise InvalidInput(f"unknown {kind} {text!r} ({kind}s: {', '.join(known)})")
    return found


def resolve_area(lens: Lens, text: str) -> str:
    """The id of the area named ``text`` (id or title).

    Raises:
        InvalidInput: no such area; lists the area ids in walking order.
    """
    ids = [a.id for a in lens.areas]
    return _find(_table(((a.title, a.id) for a in lens.areas), ids), text, "area", ids)


def resolve_rating(lens: Lens, text: str) -> str:
    """The id of the rating named ``text`` (id or label).

    Raises:
        InvalidInput: no such rating; lists the rating ids.
    """
    ids = [r.id for r in lens.ratings]
    return _find(_table(((r.label, r.id) for r in lens.ratings), ids), text, "rating", ids)


def resolve_principle(lens: Lens, text: str) -> str:
    """The id of the principle named ``text`` (id or name).

    Raises:
        InvalidInput: no such principle; lists the principle ids.
    """
    ids = [p.id for p in lens.principles]
    return _find(_table(((p.name, p.id) for p in lens.principles), ids), text, "principle", ids)


def resolve_voice(text: str) -> Voice:
    """The voice named ``text`` (``lived-experience``, ``lived experience`` …); empty means facilitator.

    Raises:
        InvalidInput: no such voice; lists the voices.
    """
    text = text.strip().casefold()
    if not text:
        return Voice.FACILITATOR
    voice = _VOICE_WORDS.get(text)
    if voice is None:
        raise InvalidInput(f"unknown voice {text!r} (voices: {', '.join(v.value for v in Voice)})")
    return voice
