"""Lenses: the YAML templates a walkthrough follows.

A *lens* lists the *principles* it looks through, the *rating* scale, the
*areas* of the service in walking order (each physical or procedural) with
their *prompts*, and the *core components* that group improvement actions.
The file format is documented by example in ``resources/lenses/general.yaml``
and in the README; :class:`Lens` is its schema.

Domain sources:

* Principles Safety, Trust, Choice, Collaboration and Empowerment: the
  Scottish trauma-informed practice set used by the National Trauma
  Transformation Programme (NHS Education for Scotland), after Fallot & Harris
  (2009), *Creating Cultures of Trauma-Informed Care*.
* The nine core components in :data:`DEFAULT_COMPONENTS`: the learning from
  Scotland's trauma-informed pathfinders (Improvement Service / NTTP,
  "Roadmap for creating trauma-informed and responsive change", 2023).
* The default rating scale :data:`DEFAULT_RATINGS` is this project's: three
  findings kinds (strength, opportunity, priority concern) plus "not seen".

Parsing (:func:`parse_lens`) never executes code: it uses PyYAML's safe loader
only, and refuses YAML's silent conversions of ids (``no`` -> false,
``1.10`` -> 1.1) with a message that says to quote them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from walkthrough.domain.errors import LensError

#: Largest lens file read, in bytes.  Real lenses are ~30 kB.
MAX_LENS_BYTES = 2_000_000
#: Largest number of YAML nodes walked (guards against alias "billion laughs").
MAX_LENS_NODES = 200_000

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
Ident = Annotated[str, StringConstraints(pattern=_ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class AreaKind(str, enum.Enum):
    """Which route an area belongs to."""

    PHYSICAL = "physical"  #: the building and spaces a person moves through
    PROCEDURAL = "procedural"  #: contact, letters, appointments, processes


class FindingKind(str, enum.Enum):
    """What an observation with a given rating counts as in the findings."""

    STRENGTH = "strength"
    OPPORTUNITY = "opportunity"
    PRIORITY_CONCERN = "priority-concern"
    NONE = "none"  #: e.g. "Not seen": recorded, but not a finding


#: How much a finding kind weighs when an area shows its "highest concern".
CONCERN_ORDER = {
    FindingKind.NONE: 0,
    FindingKind.STRENGTH: 1,
    FindingKind.OPPORTUNITY: 2,
    FindingKind.PRIORITY_CONCERN: 3,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Principle(_Frozen):
    """A trauma-informed principle, e.g. Safety."""

    id: Ident
    name: Text
    meaning: Text


class Rating(_Frozen):
    """One step of the rating scale.

    ``symbol`` (a short word or sign) and ``label`` make sure a rating never
    relies on ``colour`` (``#RRGGBB``) alone.
    """

    id: Ident
    label: Text
    meaning: Text
    colour: Colour
    symbol: Text
    finding: FindingKind


class CoreComponent(_Frozen):
    """A heading that groups improvement actions (e.g. Leadership)."""

    id: Ident
    name: Text


class Prompt(_Frozen):
    """A question to ask in an area, tagged with the principles it looks at."""

    id: Ident
    question: Text
    guidance: OptionalText = ""
    principles: tuple[Ident, ...] = Field(min_length=1)


class Area(_Frozen):
    """A stop on the walk: a space (physical) or a step of the process (procedural)."""

    id: Ident
    title: Text
    kind: AreaKind
    description: OptionalText = ""
    prompts: tuple[Prompt, ...] = Field(min_length=1)


DEFAULT_RATINGS: tuple[Rating, ...] = (
    Rating(
        id="working-well",
        label="Working well",
        meaning="Helps people feel safe, respected and in control: a strength to keep.",
        colour="#2E7D32",
        symbol="✓",
        finding=FindingKind.STRENGTH,
    ),
    Rating(
        id="could-be-better",
        label="Could be better",
        meaning="Not harmful, but a chance to be more trauma-informed.",
        colour="#9A6700",
        symbol="~",
        finding=FindingKind.OPPORTUNITY,
    ),
    Rating(
        id="priority-concern",
        label="Priority concern",
        meaning="Could cause distress, re-traumatise or keep people away: act first.",
        colour="#C62828",
        symbol="!",
        finding=FindingKind.PRIORITY_CONCERN,
    ),
    Rating(
        id="not-seen",
        label="Not seen",
        meaning="Could not be observed on this walkthrough.",
        colour="#616161",
        symbol="–",
        finding=FindingKind.NONE,
    ),
)

DEFAULT_COMPONENTS: tuple[CoreComponent, ...] = tuple(
    CoreComponent(id=i, name=n)
    for i, n in (
        ("organisational-culture", "Organisational culture"),
        ("leadership", "Leadership"),
        ("workforce-wellbeing", "Workforce care, support and wellbeing"),
        ("power-sharing", "Power-sharing with experts by experience"),
        ("workforce-knowledge", "Workforce knowledge, skills and confidence"),
        ("data-feedback", "Data, feedback loops and continuous improvement"),
        ("policies-processes", "Policies and processes"),
        ("budgets", "Budgets"),
        ("service-design", "Service design and delivery"),
    )
)


class Lens(_Frozen):
    """A validated lens.  Immutable; look-ups by id are O(1).

    Build one with :func:`parse_lens` (from YAML, with line numbers in errors)
    or :meth:`from_snapshot` (from the JSON stored with a walkthrough).
    """

    id: Ident
    title: Text
    version: Text
    description: Text
    #: Where the lens's content comes from, one reference per item (shown in reports).
    sources: tuple[Text, ...] = ()
    principles: tuple[Principle, ...] = Field(min_length=1)
    ratings: tuple[Rating, ...] = Field(default=DEFAULT_RATINGS, min_length=1)
    components: tuple[CoreComponent, ...] = Field(default=DEFAULT_COMPONENTS, min_length=1)
    areas: tuple[Area, ...] = Field(min_length=1)

    # -- look-ups ---------------------------------------------------------
    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        prompts: dict[str, Prompt] = {}
        prompt_area: dict[str, Area] = {}
        for area in self.areas:
            for prompt in area.prompts:
                prompts[prompt.id] = prompt
                prompt_area[prompt.id] = area
        return {
            "principle": {p.id: p for p in self.principles},
            "rating": {r.id: r for r in self.ratings},
            "component": {c.id: c for c in self.components},
            "area": {a.id: a for a in self.areas},
            "prompt": prompts,
            "prompt_area": prompt_area,
        }

    def principle(self, principle_id: str) -> Principle | None:
        """The principle with this id, or ``None``."""
        return self._index["principle"].get(principle_id)

    def rating(self, rating_id: str) -> Rating | None:
        """The rating with this id, or ``None``."""
        return self._index["rating"].get(rating_id)

    def rating_at(self, position: int) -> Rating | None:
        """The rating at ``position`` on the scale, counted from 1 (key 1 is the first), or ``None``.

        The keys 1–4 on the Walk page and ``--rating 2`` on the command line
        both mean this: the scale's position, whatever the lens calls it.
        """
        if 1 <= position <= len(self.ratings):
            return self.ratings[position - 1]
        return None

    def component(self, component_id: str) -> CoreComponent | None:
        """The core component with this id, or ``None``."""
        return self._index["component"].get(component_id)

    def area(self, area_id: str) -> Area | None:
        """The area with this id, or ``None``."""
        return self._index["area"].get(area_id)

    def prompt(self, prompt_id: str) -> Prompt | None:
        """The prompt with this id (prompt ids are unique in a lens), or ``None``."""
        return self._index["prompt"].get(prompt_id)

    def area_of_prompt(self, prompt_id: str) -> Area | None:
        """The area that holds the prompt, or ``None``."""
        return self._index["prompt_area"].get(prompt_id)

    def prompt_count(self) -> int:
        """Number of prompts over all areas."""
        return len(self._index["prompt"])

    # -- snapshots ----------------------------------------------------------
    def to_snapshot(self) -> str:
        """The lens as JSON text, to store with a walkthrough."""
        return self.model_dump_json()

    @classmethod
    def from_snapshot(cls, text: str) -> Lens:
        """Rebuild a lens stored by :meth:`to_snapshot`.

        Raises:
            LensError: if the stored text is not a valid lens (a damaged database).
        """
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise LensError("stored lens snapshot", None, _first_line(str(exc))) from None


# ---------------------------------------------------------------------------
# Parsing YAML with line numbers
# ---------------------------------------------------------------------------

# libyaml's parser when PyYAML was built with it (several times faster);
# either way only the safe constructor, which builds plain data and no objects.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_Path = tuple[str | int, ...]


class _NodeInfo:
    __slots__ = ("line", "plain_scalar", "raw")

    def __init__(self, line: int, plain_scalar: bool, raw: str | None) -> None:
        self.line = line
        self.plain_scalar = plain_scalar
        self.raw = raw


def parse_lens(text: str | bytes, source: str) -> Lens:
    """Parse and validate lens YAML.

    Args:
        text: the file's contents (bytes are decoded as UTF-8, BOM allowed).
        source: how to name the file in messages, e.g. ``"my-lens.yaml"``.

    Returns:
        The validated, immutable :class:`Lens`.

    Raises:
        LensError: the first problem, naming ``source``, the line and what is
            wrong; ``error.more`` lists any further problems (same shape).
    """
    results = list(_lens_problems(text, source))
    errors = sorted(
        (r for r in results if isinstance(r, LensError)),
        key=lambda e: (e.line is None, e.line or 0),
    )
    if not errors:
        lens = results[-1]
        assert isinstance(lens, Lens)
        return lens
    first, more = errors[0], errors[1:]
    first.more = more
    if more:
        s = "s" if len(more) > 1 else ""
        first.args = (f"{first.args[0]} (and {len(more)} more problem{s})",)
    raise first


def _lens_problems(text: str | bytes, source: str) -> Iterator[LensError | Lens]:
    if isinstance(text, bytes):
        if len(text) > MAX_LENS_BYTES:
            yield LensError(source, None, f"file is larger than {MAX_LENS_BYTES // 1000} kB")
            return
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield LensError(source, None, f"not UTF-8 text (byte {exc.start})")
            return
    if len(text) > MAX_LENS_BYTES:
        yield LensError(source, None, f"file is larger than {MAX_LENS_BYTES // 1000} kB")
        return

    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            yield LensError(source, None, "the file is empty")
            return
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "YAML syntax error"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in (exc.problem or ""):
            what = f"{what.strip()} (lens files are plain data; tags are not allowed)"
        yield LensError(source, line, f"YAML: {_first_line(what)}")
        return
    except yaml.YAMLError as exc:
        yield LensError(source, None, f"YAML: {_first_line(str(exc))}")
        return
    except RecursionError:
        yield LensError(source, None, "YAML is nested too deeply")
        return
    finally:
        loader.dispose()

    infos: dict[_Path, _NodeInfo] = {}
    try:
        duplicates = _index_nodes(node, infos)
    except _TooBig:
        yield LensError(source, None, f"more than {MAX_LENS_NODES} YAML values (aliases expanding?)")
        return
    except RecursionError:
        yield LensError(source, None, "YAML is nested too deeply")
        return
    bad = False
    for line, key in duplicates:
        bad = True
        yield LensError(source, line, f"'{key}' appears twice in the same block")

    if not isinstance(data, dict):
        yield LensError(source, node.start_mark.line + 1, "a lens must be a mapping of fields (id, title, …)")
        return

    try:
        lens = Lens.model_validate(data)
    except ValidationError as exc:
        errs = exc.errors()
        nested = {tuple(e["loc"][:n]) for e in errs for n in range(len(e["loc"]))}
        for err in errs:
            # pydantic also calls a list "too short" when its items failed;
            # the items' own errors say what to fix.
            if err["type"] == "too_short" and tuple(err["loc"]) in nested:
                continue
            yield _error_from_pydantic(source, err, infos)
        return
    for problem in _reference_problems(lens, source, infos):
        bad = True
        yield problem
    if not bad:
        yield lens


class _TooBig(Exception):
    pass


def _index_nodes(root: yaml.Node, infos: dict[_Path, _NodeInfo]) -> list[tuple[int, str]]:
    """Record each value's line by its path; return duplicate keys (line, key)."""
    duplicates: list[tuple[int, str]] = []
    budget = [MAX_LENS_NODES]

    def visit(node: yaml.Node, path: _Path) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooBig
        is_plain = isinstance(node, yaml.ScalarNode) and not node.style  # libyaml says "", PyYAML None
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        infos[path] = _NodeInfo(node.start_mark.line + 1, is_plain, raw)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                if key in seen:
                    duplicates.append((key_node.start_mark.line + 1, key))
                seen.add(key)
                visit(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                visit(item, (*path, i))

    visit(root, ())
    return duplicates


def _line_for(path: _Path, infos: dict[_Path, _NodeInfo]) -> int | None:
    for end in range(len(path), -1, -1):
        info = infos.get(tuple(path[:end]))
        if info is not None:
            return info.line
    return None


def _describe_path(path: _Path) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the lens"


_YAML_NON_TEXT = {
    "bool": "true/false",
    "int": "a number",
    "float": "a number",
    "null": "empty (null)",
}


def _error_from_pydantic(source: str, err: Any, infos: dict[_Path, _NodeInfo]) -> LensError:
    loc: _Path = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    line = _line_for(loc, infos)
    where = _describe_path(loc)
    if kind == "missing":
        return LensError(source, line, f"missing field '{loc[-1]}' in {_describe_path(loc[:-1])}")
    if kind == "extra_forbidden":
        return LensError(source, line, f"unknown field '{loc[-1]}' in {_describe_path(loc[:-1])}")
    info = infos.get(loc)
    value = err.get("input")
    if kind in ("string_type", "str_type") and info is not None and info.plain_scalar and not isinstance(value, str):
        what = _YAML_NON_TEXT.get(type(value).__name__ if value is not None else "null", "not text")
        return LensError(
            source,
            line,
            f"{where}: YAML reads {info.raw!r} as {what}, not as text; put it in quotes: \"{info.raw}\"",
        )
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "colour":
        return LensError(source, line, f"{where}: colour must look like #1A2B3C, not {value!r}")
    if kind == "string_pattern_mismatch":
        return LensError(
            source,
            line,
            f"{where}: {value!r} is not a usable id (letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, at most 64 characters)",
        )
    if kind == "too_short" and isinstance(value, (list, tuple)):
        return LensError(source, line, f"{where}: must list at least one item")
    if kind in ("tuple_type", "list_type"):
        return LensError(source, line, f"{where}: must be a list (lines starting with '- ')")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return LensError(source, line, f"{where}: must be a block of fields, not {type(value).__name__}")
    if kind in ("enum", "literal_error"):
        return LensError(source, line, f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}, not {value!r}")
    return LensError(source, line, f"{where}: {err['msg']}")


def _reference_problems(lens: Lens, source: str, infos: dict[_Path, _NodeInfo]) -> Iterator[LensError]:
    def at(*path: str | int) -> int | None:
        return _line_for(path, infos)

    for field in ("principles", "ratings", "components", "areas"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(lens, field)):
            if item.id in seen:
                yield LensError(source, at(field, i, "id"), f"{field}[{i + 1}]: id '{item.id}' is used twice")
            seen.add(item.id)
    principle_ids = {p.id for p in lens.principles}
    prompt_seen: dict[str, str] = {}
    for a, area in enumerate(lens.areas):
        for p, prompt in enumerate(area.prompts):
            if prompt.id in prompt_seen:
                yield LensError(
                    source,
                    at("areas", a, "prompts", p, "id"),
                    f"prompt id '{prompt.id}' is used twice (also in area '{prompt_seen[prompt.id]}'); "
                    "prompt ids must be unique in a lens",
                )
            prompt_seen.setdefault(prompt.id, area.id)
            for k, principle_id in enumerate(prompt.principles):
                if principle_id not in principle_ids:
                    known = ", ".join(sorted(principle_ids))
                    yield LensError(
                        source,
                        at("areas", a, "prompts", p, "principles", k),
                        f"prompt '{prompt.id}' names unknown principle '{principle_id}' (known: {known})",
                    )


def _first_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).strip()
