"""Naming lens things the way people do: by id or by their label, in any case.

Spreadsheets and the command line let a person write ``Waiting area`` or
``waiting-area``, ``Priority concern`` or ``priority-concern``,
``lived experience`` or ``lived-experience``.  Ids win over labels when both
match.  An unknown name is refused with the valid ids listed.
"""

from __future__ import annotations

from collections.abc import Iterable

from walkthrough.domain.errors import EmptyValue, UnknownValue
from walkthrough.domain.lens import Lens
from walkthrough.domain.not_rated import NOT_RATED_LABEL
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
        raise EmptyValue(kind, f"the {kind} is empty")
    found = table.get(text.casefold())
    if found is None:
        known = list(known)
        raise UnknownValue(kind, text, known, f"unknown {kind} {text!r} ({kind}s: {', '.join(known)})")
    return found


def resolve_area(lens: Lens, text: str) -> str:
    """The id of the area named ``text`` (id or title).

    Raises:
        InvalidInput: no such area; lists the area ids in walking order.
    """
    ids = [a.id for a in lens.areas]
    return _find(_table(((a.title, a.id) for a in lens.areas), ids), text, "area", ids)


def resolve_rating(lens: Lens, text: str) -> str:
    """The id of the rating named ``text``: its id, its label, or its position on the scale (``1`` …).

    A position counts from 1, as the keys 1–4 on the Walk page do; an id or
    label that happens to be a number wins over a position.

    Raises:
        InvalidInput: no such rating; lists the rating ids and the positions.
    """
    ids = [r.id for r in lens.ratings]
    positions = [(str(n), r.id) for n, r in enumerate(lens.ratings, start=1)]
    table = _table(positions, ())
    table.update(_table(((r.label, r.id) for r in lens.ratings), ids))
    known = [*ids, f"or 1–{len(ids)} for their place on the scale"]
    return _find(table, text, "rating", known)


def resolve_optional_rating(lens: Lens, text: str) -> str | None:
    """As :func:`resolve_rating`, but empty text (or the words "Not rated yet") means not rated yet: ``None``.

    Raises:
        InvalidInput: no such rating; lists the rating ids and the positions.
    """
    if not text.strip() or text.strip().casefold() == NOT_RATED_LABEL.casefold():
        return None
    return resolve_rating(lens, text)


def resolve_principle(lens: Lens, text: str) -> str:
    """The id of the principle named ``text`` (id or name).

    Raises:
        InvalidInput: no such principle; lists the principle ids.
    """
    ids = [p.id for p in lens.principles]
    return _find(_table(((p.name, p.id) for p in lens.principles), ids), text, "principle", ids)


def resolve_component(lens: Lens, text: str) -> str:
    """The id of the core component named ``text`` (id or name).

    Raises:
        InvalidInput: no such component; lists the component ids.
    """
    ids = [c.id for c in lens.components]
    return _find(_table(((c.name, c.id) for c in lens.components), ids), text, "component", ids)


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
        voices = [v.value for v in Voice]
        raise UnknownValue("voice", text, voices, f"unknown voice {text!r} (voices: {', '.join(voices)})")
    return voice
