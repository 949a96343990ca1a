"""The data the benchmarks run on, built once through the ordinary services and cached.

Databases go to a cache folder (``$WALKTHROUGH_BENCH_CACHE``, default
``/tmp/lens-walkthrough-bench``) named with :data:`CACHE_VERSION` and the
schema revision, so a change to either builds them again.  Each database has
a ``.json`` manifest beside it naming the walkthroughs to open.

Notes are the sample walkthrough's own (realistic length and wording), each
numbered so none repeats.  Photos are the corpus's 8 MP phone photo
(``real_phone_jolla.jpg``) cropped, flipped and tinted into distinct pictures
where it matters (the report embeds each one); small synthetic JPEGs where
only their count matters (scale).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from tests.bench.harness import PROJECT_ROOT, progress

#: Bump to rebuild every cached database.
CACHE_VERSION = "3"

CORPUS_DIR = Path(os.environ.get("WALKTHROUGH_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
PHOTOS_DIR = CORPUS_DIR / "photos"
PHONE_PHOTO = PHOTOS_DIR / "real_phone_jolla.jpg"

LENS_ID = "substance-use"


def cache_dir() -> Path:
    """Where built databases and photos are kept between runs."""
    path = Path(os.environ.get("WALKTHROUGH_BENCH_CACHE", "/tmp/lens-walkthrough-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stamp() -> str:
    from walkthrough.storage.database import SCHEMA_REVISION

    return f"v{CACHE_VERSION}-{SCHEMA_REVISION}"


def cached(name: str, build: Callable[[Path], dict]) -> tuple[Path, dict]:
    """The database ``name`` (built by ``build(path) -> manifest`` if missing) and its manifest."""
    path = cache_dir() / f"{name}-{_stamp()}.sqlite3"
    manifest_path = path.with_suffix(".json")
    if not (path.is_file() and manifest_path.is_file()):
        progress(f"building {path.name} (once; cached in {path.parent})")
        partial = path.with_name(path.name + ".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        manifest = build(partial)
        for suffix in ("-wal", "-shm"):
            if Path(f"{partial}{suffix}").exists():
                raise RuntimeError(f"{partial}{suffix} left behind: the database was not closed")
        partial.replace(path)
        manifest_path.write_text(json.dumps(manifest, indent=1))
    return path, json.loads(manifest_path.read_text())


# -- text and pictures -------------------------------------------------------------------


def sample_notes() -> list[str]:
    """The notes of the bundled sample walkthrough (real length and wording)."""
    from walkthrough.services.demo import load_demo_data

    return [str(o["note"]).strip() for o in load_demo_data()["observations"] if o.get("note")]


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def synthetic_photo(width: int, height: int, seed: int) -> bytes:
    """A photo-like JPEG (gradients, noise and shapes, so it compresses like a photo)."""
    rng = random.Random(seed)
    base = Image.merge("RGB", [
        Image.linear_gradient("L").resize((width, height)),
        Image.linear_gradient("L").rotate(90 * (seed % 4)).resize((width, height)),
        Image.effect_noise((width, height), 40 + seed % 30).convert("L"),
    ])
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 10, width // 3), rng.randrange(height // 10, height // 3)
        draw.rectangle((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    return _jpeg(base)


def distinct_photos(count: int) -> list[bytes]:
    """``count`` different photo files (JPEG bytes), 2048 px on the long edge, some portrait.

    From the corpus phone photo when it is there (crops, flips and tints of
    it), else synthetic.
    """
    if PHONE_PHOTO.is_file():
        with Image.open(PHONE_PHOTO) as opened:
            opened.draft("RGB", (2448, 1836))
            big = ImageOps.exif_transpose(opened).convert("RGB")
        big.thumbnail((2300, 2300), Image.Resampling.LANCZOS)
        out = []
        for i in range(count):
            rng = random.Random(i)
            w, h = 2048, 1536
            x, y = rng.randrange(big.width - w + 1), rng.randrange(big.height - h + 1)
            picture = big.crop((x, y, x + w, y + h))
            if i % 2:
                picture = ImageOps.mirror(picture)
            picture = ImageEnhance.Color(picture).enhance(0.6 + 0.8 * rng.random())
            picture = ImageEnhance.Brightness(picture).enhance(0.85 + 0.3 * rng.random())
            if i % 4 == 3:
                picture = picture.rotate(90, expand=True)
            out.append(_jpeg(picture))
        return out
    return [synthetic_photo(*((1536, 2048) if i % 4 == 3 else (2048, 1536)), seed=i) for i in range(count)]


# -- building walkthroughs ----------------------------------------------------------------


_RATINGS = ("could-be-better", "working-well", "priority-concern", "could-be-better", "working-well", "not-seen")


def _observations(lens, count: int, photos: Sequence, photo_every: Callable[[int], bool],
                  notes: Sequence[str], start: int = 0) -> list:
    """``count`` new observations spread over every prompt of the lens, in walking order.

    Every 10th is free-standing; photos are handed out in turn to those
    ``photo_every(i)`` picks.
    """
    from walkthrough.domain.vocabulary import Voice
    from walkthrough.services.observations import NewObservation

    prompts = [(a.id, p.id) for a in lens.areas for p in a.prompts]
    voices = list(Voice)
    photo_iter = iter(range(10**9))
    items = []
    for i in range(start, start + count):
        area_id, prompt_id = prompts[i % len(prompts)]
        attached = ()
        if photos and photo_every(i):
            attached = (photos[next(photo_iter) % len(photos)],)
        items.append(NewObservation(
            area_id=area_id,
            prompt_id=None if i % 10 == 9 else prompt_id,
            rating_id=_RATINGS[i % len(_RATINGS)],
            note=f"{notes[i % len(notes)]}\n\n(Observation {i + 1}.)",
            voice=voices[i % len(voices)],
            photos=attached,
        ))
    return items


def _actions(db, lens, walkthrough_id: str, observation_ids: Sequence[str], count: int) -> None:
    from walkthrough.domain.vocabulary import ActionStatus, Priority
    from walkthrough.services.actions import NewAction, add_action

    components = [c.id for c in lens.components]
    principles = [p.id for p in lens.principles]
    for i in range(count):
        linked = tuple(observation_ids[(i * 7 + k * 13) % len(observation_ids)] for k in range(3))
        add_action(db, walkthrough_id, NewAction(
            text=f"Action {i + 1}: agree with the team and the people who use the service how to change "
                 f"what findings {', '.join(str((i * 7 + k * 13) % len(observation_ids) + 1) for k in range(3))} "
                 "describe, try it for a month, and check back with them.",
            owner=("Service manager", "Team leader", "Reception lead", "Peer worker")[i % 4],
            due_date=dt.date(2026, 12, 1) + dt.timedelta(days=14 * i),
            priority=list(Priority)[i % len(Priority)],
            status=list(ActionStatus)[i % len(ActionStatus)],
            component_id=components[i % len(components)],
            principle_ids=(principles[i % len(principles)], principles[(i + 2) % len(principles)]),
            observation_ids=linked,
        ))


def _walkthrough(db, lens, n: int, *, service: str | None = None):
    from walkthrough.domain.vocabulary import Role
    from walkthrough.domain.records import TeamMember
    from walkthrough.services.walkthroughs import create_walkthrough

    return create_walkthrough(
        db, lens,
        service=service or f"Bench Recovery Service {n:02d}",
        site=f"Site {n:02d}, Harbour Street",
        visit_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        facilitators=["Morven Tulloch", "Euan Rendall"],
        participants=[TeamMember("Callum Drever", Role.LIVED_EXPERIENCE), TeamMember("Jo Harcus", Role.STAFF),
                      TeamMember("Fiona Isbister", Role.MANAGER)],
    )


def _lens():
    from walkthrough.services.lens_catalog import load_catalog

    return load_catalog().get(LENS_ID).lens


def _prepared(sources: Sequence[bytes]) -> list:
    from walkthrough.services.photo_intake import prepare_photo

    return [prepare_photo(data, f"photo-{i + 1:03d}.jpg") for i, data in enumerate(sources)]


# -- the databases ------------------------------------------------------------------------


REPORT_OBSERVATIONS = 300
REPORT_PHOTOS = 100
REPORT_ACTIONS = 25


def report_database() -> tuple[Path, dict]:
    """One walkthrough: 300 observations, 100 distinct 2048 px photos, 25 actions."""

    def build(path: Path) -> dict:
        from walkthrough.services.observations import add_observations
        from walkthrough.storage.database import open_database

        lens = _lens()
        photos = _prepared(distinct_photos(REPORT_PHOTOS))
        with open_database(path) as db:
            record = _walkthrough(db, lens, 1, service="Kirkvellan Community Drug and Alcohol Service")
            items = _observations(lens, REPORT_OBSERVATIONS, photos, lambda i: i % 3 == 0, sample_notes())
            created = add_observations(db, record.id, items)
            _actions(db, lens, record.id, [o.id for o in created], REPORT_ACTIONS)
        return {"walkthrough": record.id, "observations": REPORT_OBSERVATIONS, "photos": REPORT_PHOTOS,
                "actions": REPORT_ACTIONS, "corpus_photos": PHONE_PHOTO.is_file()}

    return cached("report", build)


SCALE_WALKTHROUGHS = 50


def scale_database(factor: int) -> tuple[Path, dict]:
    """50 walkthroughs with 1,000 x factor observations and 200 x factor photos in all.

    The largest walkthrough holds a tenth of them (100 x factor observations,
    20 x factor photos); the other 49 share the rest.  Photos are small
    synthetic JPEGs (640 x 480): here only their number matters.
    """

    def build(path: Path) -> dict:
        from walkthrough.services.observations import add_observations
        from walkthrough.storage.database import open_database

        lens = _lens()
        notes = sample_notes()
        photos = _prepared([synthetic_photo(640, 480, seed=i) for i in range(8)])
        total_obs, total_photos = 1000 * factor, 200 * factor
        largest_obs, largest_photos = total_obs // 10, total_photos // 10
        rest_obs = _split(total_obs - largest_obs, SCALE_WALKTHROUGHS - 1)
        rest_photos = _split(total_photos - largest_photos, SCALE_WALKTHROUGHS - 1)
        plan = [(largest_obs, largest_photos), *zip(rest_obs, rest_photos)]
        ids = []
        with open_database(path) as db:
            for n, (obs, pics) in enumerate(plan, start=1):
                record = _walkthrough(db, lens, n)
                every = _spread(obs, pics)
                created = add_observations(db, record.id, _observations(lens, obs, photos, every, notes))
                _actions(db, lens, record.id, [o.id for o in created], max(3, obs // 50))
                ids.append(record.id)
        return {"largest": ids[0], "walkthroughs": len(ids), "observations": total_obs, "photos": total_photos,
                "largest_observations": largest_obs, "largest_photos": largest_photos, "factor": factor}

    return cached(f"scale-{factor}x", build)


CAPTURE_OBSERVATIONS = 500
CAPTURE_PHOTOS = 200


def capture_database() -> tuple[Path, dict]:
    """One walkthrough of 500 observations and 200 photos (1600 x 1200, a few distinct)."""

    def build(path: Path) -> dict:
        from walkthrough.services.observations import add_observations
        from walkthrough.storage.database import open_database

        lens = _lens()
        photos = _prepared([synthetic_photo(1600, 1200, seed=i) for i in range(12)])
        with open_database(path) as db:
            record = _walkthrough(db, lens, 1)
            every = _spread(CAPTURE_OBSERVATIONS, CAPTURE_PHOTOS)
            created = add_observations(db, record.id, _observations(
                lens, CAPTURE_OBSERVATIONS, photos, every, sample_notes()))
            _actions(db, lens, record.id, [o.id for o in created], 10)
        return {"walkthrough": record.id, "observations": CAPTURE_OBSERVATIONS, "photos": CAPTURE_PHOTOS}

    return cached("capture", build)


def intake_template() -> tuple[Path, dict]:
    """An empty walkthrough with one observation, to copy before each photo-intake run."""

    def build(path: Path) -> dict:
        from walkthrough.services.observations import NewObservation, add_observation
        from walkthrough.storage.database import open_database

        lens = _lens()
        area = lens.areas[0]
        with open_database(path) as db:
            record = _walkthrough(db, lens, 1)
            obs = add_observation(db, record.id, NewObservation(
                area_id=area.id, prompt_id=area.prompts[0].id, rating_id="could-be-better", note="Photos."))
        return {"walkthrough": record.id, "observation": obs.id}

    return cached("intake", build)


def copy_database(source: Path, target: Path) -> Path:
    """A private copy of a cached (closed, checkpointed) database."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _spread(observations: int, photos: int) -> Callable[[int], bool]:
    """A predicate choosing ``photos`` of ``observations`` indexes, evenly spread."""
    if photos <= 0 or observations <= 0:
        return lambda i: False
    chosen = {int(k * observations / photos) for k in range(photos)}
    return lambda i: i in chosen


HISTORY_OBSERVATIONS = 1000
HISTORY_PHOTOS = 100
HISTORY_ACTIONS = 20
HISTORY_EDITS = 1000


def history_database() -> tuple[Path, dict]:
    """One walkthrough of 1,000 observations, 100 photos and 20 actions, with a history behind it.

    Besides the creates, 1,000 earlier note saves spread over the observations
    (each through ``update_observation``, so each is a change of its own): the
    change table is as deep as a walkthrough that has been worked on.
    """

    def build(path: Path) -> dict:
        from walkthrough.services.observations import add_observations, update_observation
        from walkthrough.storage.database import open_database

        lens = _lens()
        notes = sample_notes()
        photos = _prepared([synthetic_photo(640, 480, seed=i) for i in range(8)])
        with open_database(path) as db:
            record = _walkthrough(db, lens, 1)
            every = _spread(HISTORY_OBSERVATIONS, HISTORY_PHOTOS)
            created = add_observations(db, record.id, _observations(lens, HISTORY_OBSERVATIONS, photos, every, notes))
            _actions(db, lens, record.id, [o.id for o in created], HISTORY_ACTIONS)
            for i in range(HISTORY_EDITS):
                target = created[(i * 37) % len(created)]
                update_observation(db, target.id, note=f"{target.note}\n\nEdited ({i + 1}).")
        return {"walkthrough": record.id, "observations": HISTORY_OBSERVATIONS, "photos": HISTORY_PHOTOS,
                "actions": HISTORY_ACTIONS, "edits": HISTORY_EDITS}

    return cached("history", build)


IMPORT_ROWS = 100_000


def import_files() -> tuple[Path, Path, dict]:
    """An empty walkthrough to import into, and a CSV file of 100,000 new observations for it.

    The rows are the scale databases' observations (the sample's notes,
    numbered; every prompt in turn, every 10th free-standing; ratings and
    voices in turn), written as a spreadsheet would hold them: ids and
    words, principles left to the prompt's own.
    """

    def build(path: Path) -> dict:
        import csv

        from walkthrough.storage.database import open_database

        lens = _lens()
        with open_database(path) as db:
            record = _walkthrough(db, lens, 1)
        csv_path = path.with_name(f"import-{_stamp()}.csv")
        with csv_path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(["area", "prompt", "rating", "principles", "note", "voice"])
            for item in _observations(lens, IMPORT_ROWS, (), lambda i: False, sample_notes()):
                writer.writerow([item.area_id, item.prompt_id or "", item.rating_id or "", "", item.note,
                                 item.voice.value])
        return {"walkthrough": record.id, "rows": IMPORT_ROWS, "csv": str(csv_path)}

    db, manifest = cached("import", build)
    return db, Path(manifest["csv"]), manifest


COMPARE_OBSERVATIONS = 1000
COMPARE_PHOTOS = 100
COMPARE_ACTIONS = 20


def compare_database() -> tuple[Path, dict]:
    """Two walks of one service (issue 16): 1,000 observations, 100 photos and 20 actions each.

    The observations are spread over every prompt as in the other databases;
    each walk then rates all of a prompt's observations alike, by a rule of
    the prompt's place that differs between the walks, so that every verdict
    occurs: a prompt "Not seen" in the earlier walk is newly observed, one
    "Not seen" in the follow-up is not revisited, the rest improve, stay or
    get worse.
    """

    def build(path: Path) -> dict:
        import dataclasses

        from walkthrough.services.observations import add_observations
        from walkthrough.storage.database import open_database

        lens = _lens()
        notes = sample_notes()
        rank = {p.id: k for k, p in enumerate(p for a in lens.areas for p in a.prompts)}
        photos = _prepared([synthetic_photo(640, 480, seed=i) for i in range(8)])
        every = _spread(COMPARE_OBSERVATIONS, COMPARE_PHOTOS)
        scale = ("working-well", "could-be-better", "priority-concern")

        def rated(items: list, rule: Callable[[int], str]) -> list:
            return [item if item.prompt_id is None else dataclasses.replace(item, rating_id=rule(rank[item.prompt_id]))
                    for item in items]

        rules = (lambda k: "not-seen" if k % 7 == 0 else scale[k % 3],
                 lambda k: "not-seen" if k % 5 == 0 else scale[(k * 2) % 3])
        ids = []
        with open_database(path) as db:
            for n, rule in enumerate(rules, start=1):
                record = _walkthrough(db, lens, n, service="Bench Recovery Service")
                items = rated(_observations(lens, COMPARE_OBSERVATIONS, photos, every, notes), rule)
                created = add_observations(db, record.id, items)
                _actions(db, lens, record.id, [o.id for o in created], COMPARE_ACTIONS)
                ids.append(record.id)
        return {"base": ids[0], "followup": ids[1], "observations": COMPARE_OBSERVATIONS,
                "photos": COMPARE_PHOTOS, "actions": COMPARE_ACTIONS}

    return cached("compare", build)
