"""The lens files that ship with the program are valid and complete.

Each bundled file in ``resources/lenses/`` must parse, name itself after its
file, walk the physical route before the procedural one, give every area
enough prompts and use every one of the five Scottish principles.  The
substance-use lens must also cover the stops a MAT Standard 10 walkthrough
needs, in walking order.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import pytest

from walkthrough.bundled import lenses_dir
from walkthrough.domain.lens import AreaKind, Lens, parse_lens

EXPECTED_LENSES = {"general", "maternity", "substance-use"}
SCOTTISH_PRINCIPLES = {
    "safety": "Safety",
    "trust": "Trust",
    "choice": "Choice",
    "collaboration": "Collaboration",
    "empowerment": "Empowerment",
}
MIN_PROMPTS_PER_AREA = 4
MIN_PROMPTS_PER_PRINCIPLE = 3
MIN_AREAS = {"substance-use": 14, "maternity": 12, "general": 12}

#: The stops the substance-use lens must have, in this walking order.
SUBSTANCE_USE_REQUIRED_AREAS = (
    "approach",
    "entrance",
    "reception",
    "waiting-area",
    "signage",
    "consulting-rooms",
    "toilets",
    "staff-spaces",
    "first-contact",
    "phone-calls",
    "letters-texts",
    "appointments",
    "assessment",
    "care-planning",
    "transitions-discharge",
    "complaints-feedback",
)

KEBAB_CASE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

LENS_FILES = sorted(lenses_dir().glob("*.yaml"))


def _load(path: Path) -> Lens:
    return parse_lens(path.read_bytes(), path.name)


@pytest.fixture(params=LENS_FILES, ids=lambda p: p.stem)
def lens_file(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture
def lens(lens_file: Path) -> Lens:
    return _load(lens_file)


def test_the_three_bundled_lenses_are_present() -> None:
    assert {p.stem for p in LENS_FILES} >= EXPECTED_LENSES


def test_lens_parses_without_warnings(lens_file: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _load(lens_file)


def test_lens_id_matches_file_name(lens_file: Path, lens: Lens) -> None:
    assert lens.id == lens_file.stem


def test_ids_are_lowercase_kebab_case(lens: Lens) -> None:
    ids = [lens.id]
    ids += [p.id for p in lens.principles]
    ids += [a.id for a in lens.areas]
    ids += [q.id for a in lens.areas for q in a.prompts]
    assert [i for i in ids if not KEBAB_CASE.match(i)] == []


def test_lens_uses_default_ratings_and_components(lens_file: Path) -> None:
    text = lens_file.read_text(encoding="utf-8")
    assert not re.search(r"^(ratings|components):", text, re.MULTILINE)


def test_lens_has_the_five_scottish_principles(lens: Lens) -> None:
    assert {p.id: p.name for p in lens.principles} == SCOTTISH_PRINCIPLES


def test_every_principle_is_used_by_several_prompts(lens: Lens) -> None:
    uses = Counter(pid for area in lens.areas for prompt in area.prompts for pid in prompt.principles)
    thin = {p.id: uses[p.id] for p in lens.principles if uses[p.id] < MIN_PROMPTS_PER_PRINCIPLE}
    assert thin == {}


def test_every_area_has_enough_prompts(lens: Lens) -> None:
    thin = {a.id: len(a.prompts) for a in lens.areas if len(a.prompts) < MIN_PROMPTS_PER_AREA}
    assert thin == {}


def test_lens_has_enough_areas(lens: Lens) -> None:
    assert len(lens.areas) >= MIN_AREAS.get(lens.id, 1)


def test_physical_areas_come_before_procedural_ones(lens: Lens) -> None:
    kinds = [a.kind for a in lens.areas]
    assert AreaKind.PHYSICAL in kinds
    assert AreaKind.PROCEDURAL in kinds
    first_procedural = kinds.index(AreaKind.PROCEDURAL)
    assert AreaKind.PHYSICAL not in kinds[first_procedural:]


def test_text_fields_are_filled_and_tidy(lens: Lens) -> None:
    texts = [lens.description]
    for area in lens.areas:
        assert area.description, f"area {area.id} has no description"
        texts.append(area.description)
        for prompt in area.prompts:
            assert prompt.question.endswith("?"), f"prompt {prompt.id} is not a question"
            texts += [prompt.question, prompt.guidance]
    untidy = [t for t in texts if t != t.strip() or "  " in t]
    assert untidy == []


def test_version_is_text_like_1_0(lens: Lens) -> None:
    assert re.fullmatch(r"\d+\.\d+", lens.version)


def test_substance_use_lens_has_the_required_areas_in_walking_order() -> None:
    lens = _load(lenses_dir() / "substance-use.yaml")
    assert len(lens.areas) >= 14
    ids = [a.id for a in lens.areas]
    missing = [a for a in SUBSTANCE_USE_REQUIRED_AREAS if a not in ids]
    assert missing == []
    positions = [ids.index(a) for a in SUBSTANCE_USE_REQUIRED_AREAS]
    assert positions == sorted(positions)


def test_substance_use_lens_covers_key_mat_topics() -> None:
    lens = _load(lenses_dir() / "substance-use.yaml")
    text = " ".join(
        f"{q.question} {q.guidance}".lower() for a in lens.areas for q in a.prompts
    )
    for topic in ("same day", "naloxone", "overheard", "missed", "discharge", "gender", "story again"):
        assert topic in text, topic
