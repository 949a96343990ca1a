"""Lens files: validation messages name the file and line; parsing never runs code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from walkthrough.domain.errors import LensError
from walkthrough.domain.lens import DEFAULT_COMPONENTS, DEFAULT_RATINGS, FindingKind, Lens, parse_lens
from walkthrough.services.lens_catalog import load_catalog, load_lens_file

GOOD = textwrap.dedent(
    """\
    id: tiny
    title: Tiny lens
    version: "1.0"
    description: A lens for tests.
    principles:
      - id: safety
        name: Safety
        meaning: People feel physically and emotionally safe.
      - id: choice
        name: Choice
        meaning: People have choice and control.
    areas:
      - id: entrance
        title: Entrance
        kind: physical
        prompts:
          - id: entrance-clear
            question: Is it clear where to go?
            guidance: Signs at eye level.
            principles: [safety]
      - id: letters
        title: Letters
        kind: procedural
        prompts:
          - id: letters-plain
            question: Are letters plain and kind?
            principles: [safety, choice]
    """
)


def problem(text: str, source: str = "lens.yaml") -> LensError:
    with pytest.raises(LensError) as info:
        parse_lens(text, source)
    return info.value


def test_good_lens_parses_with_defaults_for_ratings_and_components() -> None:
    lens = parse_lens(GOOD, "tiny.yaml")
    assert lens.id == "tiny"
    assert lens.ratings == DEFAULT_RATINGS
    assert [r.label for r in lens.ratings] == ["Working well", "Could be better", "Priority concern", "Not seen"]
    assert lens.components == DEFAULT_COMPONENTS and len(DEFAULT_COMPONENTS) == 9
    assert lens.area_of_prompt("letters-plain").id == "letters"
    assert lens.prompt("entrance-clear").guidance == "Signs at eye level."
    assert lens.rating("priority-concern").finding is FindingKind.PRIORITY_CONCERN


def test_every_default_rating_has_a_word_and_a_symbol_not_only_a_colour() -> None:
    for rating in DEFAULT_RATINGS:
        assert rating.label.strip() and rating.symbol.strip() and rating.colour.startswith("#")
    assert len({r.symbol for r in DEFAULT_RATINGS}) == len(DEFAULT_RATINGS)


def test_snapshot_round_trip_gives_an_equal_lens() -> None:
    lens = parse_lens(GOOD, "tiny.yaml")
    assert Lens.from_snapshot(lens.to_snapshot()) == lens


def test_yaml_syntax_error_names_file_and_line() -> None:
    err = problem(GOOD.replace("title: Entrance", "title: [Entrance"), "broken.yaml")
    assert str(err).startswith("broken.yaml, line ")
    assert "YAML" in str(err)
    assert "\n" not in str(err)


def test_missing_field_names_the_field_and_its_line() -> None:
    text = GOOD.replace("    title: Letters\n", "")
    err = problem(text)
    assert err.line == text.splitlines().index("  - id: letters") + 1
    assert "missing field 'title'" in str(err)


def test_unknown_principle_is_refused_with_the_prompt_and_line() -> None:
    text = GOOD.replace("principles: [safety, choice]", "principles: [safety, trust]")
    err = problem(text)
    assert "unknown principle 'trust'" in str(err) and "letters-plain" in str(err)
    assert err.line == next(i for i, line in enumerate(text.splitlines(), 1) if "[safety, trust]" in line)


def test_duplicate_area_id_is_refused() -> None:
    err = problem(GOOD.replace("  - id: letters\n", "  - id: entrance\n"))
    assert "'entrance' is used twice" in str(err)


def test_duplicate_prompt_id_across_areas_is_refused() -> None:
    err = problem(GOOD.replace("id: letters-plain", "id: entrance-clear"))
    assert "prompt id 'entrance-clear' is used twice" in str(err)


@pytest.mark.parametrize("raw, reads_as", [("no", "true/false"), ("yes", "true/false"), ("1.10", "a number"),
                                            ("007", "a number"), ("null", "empty")])
def test_ids_yaml_would_silently_convert_are_refused_with_a_hint_to_quote(raw: str, reads_as: str) -> None:
    err = problem(GOOD.replace("  - id: choice\n", f"  - id: {raw}\n"))
    assert f"YAML reads '{raw}' as {reads_as}" in str(err)
    assert f'"{raw}"' in str(err)
    assert err.line == 9


def test_unquoted_version_number_is_refused() -> None:
    err = problem(GOOD.replace('version: "1.0"', "version: 1.10"))
    assert err.line == 3 and "quotes" in str(err)


def test_duplicate_key_in_one_block_is_refused() -> None:
    err = problem(GOOD.replace("title: Tiny lens\n", "title: Tiny lens\ntitle: Other\n"))
    assert "'title' appears twice" in str(err) and err.line == 3


def test_unknown_field_and_bad_kind_are_both_reported() -> None:
    text = GOOD.replace("kind: procedural", "kind: procedureal\n    colour: blue")
    err = problem(text)
    messages = [err.description, *(m.description for m in err.more)]
    assert any("'procedural'" in m and "procedureal" in m for m in messages)
    assert any("unknown field 'colour'" in m for m in messages)
    assert "1 more problem" in str(err)


def test_python_tags_are_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = GOOD + f"extra: !!python/object/apply:os.system ['touch {marker}']\n"
    err = problem(text)
    assert "tag" in str(err)
    assert not marker.exists()


def test_alias_bomb_is_refused_without_blowing_up() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    err = problem("\n".join(lines) + "\n")
    assert "aliases" in str(err) or "more than" in str(err)


def test_deeply_nested_yaml_is_refused() -> None:
    err = problem("x: " + "[" * 5000 + "]" * 5000 + "\n")
    assert isinstance(err, LensError)


def test_empty_and_non_mapping_files_are_refused() -> None:
    assert "empty" in str(problem(""))
    assert "mapping" in str(problem("- just\n- a list\n"))


def test_binary_file_is_refused_cleanly() -> None:
    with pytest.raises(LensError, match="not UTF-8"):
        parse_lens(b"\xff\xfe\x00garbage\x80", "photo.yaml")


def test_user_lens_overrides_bundled_and_broken_user_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [", encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.get("tiny").bundled is False
    assert {"substance-use", "maternity", "general"} <= {e.lens.id for e in catalog.entries}
    assert len(catalog.problems) == 1 and "broken.yaml" in str(catalog.problems[0])
    assert "available lenses" in str(pytest.raises(Exception, catalog.get, "nope").value)


def test_unreadable_lens_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(LensError, match="missing.yaml"):
        load_lens_file(tmp_path / "missing.yaml")
