"""The sample walkthrough: full, believable, stored like any other, and in step with its lens."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import TEST_LENS_YAML

from walkthrough import bundled
from walkthrough.cli import main
from walkthrough.domain.lens import Lens
from walkthrough.domain.vocabulary import ActionStatus, Voice
from walkthrough.domain.records import WalkthroughContents
from walkthrough.services.demo import create_demo_walkthrough, draw_picture, load_demo_data
from walkthrough.services.integrity import check_database
from walkthrough.services.lens_catalog import load_catalog, load_lens_file
from walkthrough.services.photos import photo_jpeg, photo_thumbnail
from walkthrough.services.walkthroughs import list_walkthroughs, load_contents
from walkthrough.storage.database import Database, open_database
from walkthrough.storage.locations import user_lenses_dir

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RATINGS = {"working-well", "could-be-better", "priority-concern", "not-seen"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, WalkthroughContents]]:
    """One sample walkthrough shared by the read-only tests (drawing its photos takes a moment)."""
    with pytest.MonkeyPatch.context() as mp:  # the autouse isolation is per test; this runs before it
        mp.setenv("WALKTHROUGH_HOME", str(tmp_path_factory.mktemp("home")))
        mp.delenv("WALKTHROUGH_DB", raising=False)
        db = open_database(tmp_path_factory.mktemp("demo") / "w.sqlite3")
        try:
            record = create_demo_walkthrough(db)
            yield db, load_contents(db, record.id)
        finally:
            db.close()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return load_demo_data()


@pytest.fixture(scope="module")
def lens(data: dict[str, Any]) -> Lens:
    return load_lens_file(bundled.lenses_dir() / f"{data['lens']}.yaml")


# -- what the sample holds ------------------------------------------------------------


def test_demo_has_many_observations_over_many_areas(demo: tuple[Database, WalkthroughContents]) -> None:
    _, contents = demo
    assert len(contents.observations) >= 30
    areas = {o.area_id for o in contents.observations}
    assert len(areas) >= 10
    kinds = {contents.walkthrough.lens.area(a).kind.value for a in areas}  # type: ignore[union-attr]
    assert kinds == {"physical", "procedural"}
    assert sum(o.prompt_id is None for o in contents.observations) >= 3, "some free-standing observations"


def test_demo_uses_every_rating_and_several_voices(demo: tuple[Database, WalkthroughContents]) -> None:
    _, contents = demo
    ratings = Counter(o.rating_id for o in contents.observations)
    assert set(ratings) == RATINGS
    assert ratings["working-well"] >= 5, "strengths as well as concerns"
    voices = {o.voice for o in contents.observations}
    assert len(voices) >= 3
    assert Voice.LIVED_EXPERIENCE in voices


def test_demo_team_includes_people_with_lived_experience(demo: tuple[Database, WalkthroughContents]) -> None:
    _, contents = demo
    w = contents.walkthrough
    assert w.facilitators
    roles = Counter(p.role.value for p in w.participants)
    assert roles["lived-experience"] >= 2
    assert {"staff", "manager"} <= set(roles)
    assert w.lens.id == "substance-use"
    assert w.visit_date.isoformat() == "2026-10-14"


def test_demo_photos_are_stored_decodable_and_captioned(demo: tuple[Database, WalkthroughContents]) -> None:
    db, contents = demo
    photos = [p for o in contents.observations for p in o.photos]
    assert len(photos) >= 5
    for photo in photos:
        assert photo.caption
        with Image.open(io.BytesIO(photo_jpeg(db, photo.id))) as image:
            assert image.format == "JPEG"
            assert image.size == (photo.width, photo.height)
            image.load()
        with Image.open(io.BytesIO(photo_thumbnail(db, photo.id))) as thumb:
            assert max(thumb.size) <= 320


def test_demo_actions_answer_findings(demo: tuple[Database, WalkthroughContents]) -> None:
    _, contents = demo
    actions = contents.actions
    assert len(actions) >= 5
    observation_ids = {o.id for o in contents.observations}
    for action in actions:
        assert action.observation_ids, f"action {action.text[:40]!r} links no finding"
        assert set(action.observation_ids) <= observation_ids
        assert action.owner and action.due_date and action.component_id and action.principle_ids
        assert action.due_date > contents.walkthrough.visit_date
    assert len({a.component_id for a in actions}) >= 5
    assert {a.status for a in actions} == set(ActionStatus)


def test_demo_database_passes_the_integrity_check(demo: tuple[Database, WalkthroughContents]) -> None:
    db, contents = demo
    report = check_database(db)
    assert report.healthy, report.problems
    assert report.photos == contents.photo_count


# -- the YAML and the lens ------------------------------------------------------------


def test_every_id_in_the_sample_is_in_the_bundled_lens(data: dict[str, Any], lens: Lens) -> None:
    bad: list[str] = []
    keys = {o["key"] for o in data["observations"] if "key" in o}
    for n, obs in enumerate(data["observations"], start=1):
        where = f"observation {n} ({obs.get('key') or obs['area']})"
        area = lens.area(obs["area"])
        if area is None:
            bad.append(f"{where}: area {obs['area']!r}")
        prompt = obs.get("prompt")
        if prompt is not None and lens.area_of_prompt(prompt) is not area:
            bad.append(f"{where}: prompt {prompt!r} is not in area {obs['area']!r}")
        if lens.rating(obs["rating"]) is None:
            bad.append(f"{where}: rating {obs['rating']!r}")
        bad += [f"{where}: principle {p!r}" for p in obs.get("principles", ()) if lens.principle(p) is None]
        if prompt is None and not obs.get("principles"):
            bad.append(f"{where}: a free-standing observation needs its principles")
        if obs.get("voice", "facilitator") not in {v.value for v in Voice}:
            bad.append(f"{where}: voice {obs['voice']!r}")
    for n, action in enumerate(data["actions"], start=1):
        where = f"action {n}"
        if lens.component(action["component"]) is None:
            bad.append(f"{where}: component {action['component']!r}")
        bad += [f"{where}: principle {p!r}" for p in action.get("principles", ()) if lens.principle(p) is None]
        bad += [f"{where}: finding {k!r} is no observation's key" for k in action["findings"] if k not in keys]
    assert not bad, "demo-walkthrough.yaml no longer fits the bundled lens:\n" + "\n".join(bad)


def test_sample_keys_are_unique(data: dict[str, Any]) -> None:
    keys = [o["key"] for o in data["observations"] if "key" in o]
    assert [k for k, n in Counter(keys).items() if n > 1] == []


# -- running it -----------------------------------------------------------------------


def test_demo_twice_gives_two_identical_walkthroughs_on_the_bundled_lens(tmp_path: Path) -> None:
    # A service's own copy of the lens, same id, fewer areas: the sample still uses the bundled one.
    user_lenses_dir().mkdir(parents=True)
    (user_lenses_dir() / "substance-use.yaml").write_text(
        TEST_LENS_YAML.replace("id: test-lens", "id: substance-use", 1), encoding="utf-8"
    )
    assert not load_catalog().get("substance-use").bundled
    with open_database(tmp_path / "w.sqlite3") as db:
        first = create_demo_walkthrough(db)
        second = create_demo_walkthrough(db)
        assert first.id != second.id
        assert len(list_walkthroughs(db)) == 2
        a, b = load_contents(db, first.id), load_contents(db, second.id)
        assert [o.note for o in a.observations] == [o.note for o in b.observations]
        assert [p.sha256 for o in a.observations for p in o.photos] == [
            p.sha256 for o in b.observations for p in o.photos
        ]
        assert check_database(db).healthy
        assert a.walkthrough.lens == load_lens_file(bundled.lenses_dir() / "substance-use.yaml")


def test_drawn_picture_is_a_deterministic_landscape_jpeg(data: dict[str, Any]) -> None:
    spec = next(p for o in data["observations"] for p in o.get("photos", ()) if p["picture"] == "letter")
    jpeg = draw_picture(spec, seed="x")
    assert jpeg == draw_picture(spec, seed="x")
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)


def test_cli_demo_prints_the_new_walkthrough_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    printed = capsys.readouterr().out.strip()
    assert UUID.match(printed)
    with open_database(path) as db:
        assert [w.id for w in list_walkthroughs(db)] == [printed]


def _walkthroughs_in(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn.execute("SELECT count(*) FROM walkthrough").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
@pytest.mark.parametrize("room", [700_000, 1_000_000, 1_200_000, 1_300_000])
def test_demo_on_a_full_disk_leaves_no_half_made_walkthrough(tmp_path: Path, room: int) -> None:
    from tests.conftest import PROJECT_ROOT

    path = tmp_path / "w.sqlite3"
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home"), "PYTHONDONTWRITEBYTECODE": "1"}
    run = [sys.executable, "-m", "walkthrough", "--db", str(path)]
    subprocess.run([*run, "new", "--lens", "general", "--service", "S", "--site", "T"], env=env, check=True,
                   cwd=PROJECT_ROOT, capture_output=True)
    limit = path.stat().st_size + room  # the disk fills at some point of storing the sample, or not at all

    def full_disk() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([*run, "demo"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=full_disk, check=False)
    if done.returncode == 0:  # it fitted: all of it is there
        assert _walkthroughs_in(path) == 2
        with open_database(path) as db:
            assert len(load_contents(db, done.stdout.strip()).observations) > 40
        return
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "full" in lines[0], done.stderr
    assert _walkthroughs_in(path) == 1  # only the one made before: nothing of the sample


def test_cli_demo_run_again_gives_the_same_sample_unless_asked_for_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Running the README's quick start twice leaves one sample, not two that cannot be told apart."""
    path = tmp_path / "w.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["--db", str(path), "demo"]) == 0
    again = capsys.readouterr()
    assert again.out.strip() == first
    assert "already" in again.err and "--again" in again.err
    with open_database(path) as db:
        assert len(list_walkthroughs(db)) == 1
    assert main(["--db", str(path), "demo", "--again"]) == 0
    another = capsys.readouterr().out.strip()
    assert UUID.match(another) and another != first
    with open_database(path) as db:
        assert len(list_walkthroughs(db)) == 2
