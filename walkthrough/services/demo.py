"""The sample walkthrough behind ``walkthrough demo``.

Kirkvellan, the island of Holmsay, the service, its staff and everyone quoted
are fictional.  The sample shows a finished walkthrough of a rural drug and
alcohol service with the substance-use lens: observations over every area,
photos, and an improvement plan.  It is used by the README quick start, the
desktop app's first-run offer and to show the PDF report.

The content is data, in ``resources/sample/demo-walkthrough.yaml``; this
module feeds it through the ordinary services, so the sample is stored
exactly like a walkthrough someone recorded.  The sample ships no picture
files: each photo is drawn here with Pillow (a notice pinned to a wall, a
poster, a letter on a desk) from the words in the YAML, with a seeded random
generator, so every run gives the same notes and the same pixels.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from walkthrough import bundled
from walkthrough.domain.errors import NotFound
from walkthrough.domain.lens import Lens
from walkthrough.domain.vocabulary import ActionStatus, Priority, Role, Voice
from walkthrough.domain.records import TeamMember, WalkthroughRecord
from walkthrough.services.actions import NewAction, add_action
from walkthrough.services.lens_catalog import load_catalog, load_lens_file
from walkthrough.services.observations import NewObservation, add_observations
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.services.photos import set_caption
from walkthrough.services.walkthroughs import (
    create_walkthrough,
    get_walkthrough,
    list_walkthroughs,
)
from walkthrough.storage.database import Database

#: Size of a drawn photo, in pixels: a phone photo scaled down.
PHOTO_SIZE = (1600, 1200)
#: The kinds of picture the sample can describe.
PICTURES = ("notice", "poster", "letter")


def demo_file() -> Path:
    """The bundled sample walkthrough (YAML)."""
    return bundled.resources_dir() / "sample" / "demo-walkthrough.yaml"


def load_demo_data(path: Path | None = None) -> dict[str, Any]:
    """The sample walkthrough as plain data (PyYAML's safe loader only)."""
    path = path or demo_file()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of fields at the top")
    return data


def bundled_lens(lens_id: str) -> Lens:
    """The lens that ships with the program, even if a user lens shares its id.

    The sample's ids are written against the bundled lens; a service's own
    adapted copy may have dropped or renamed them.  Bundled lens files are
    named after their id, so only that one file is read (parsing the whole
    catalogue would triple the time).

    Raises:
        NotFound: no bundled lens has that id.
    """
    path = bundled.lenses_dir() / f"{lens_id}.yaml"
    lens = load_lens_file(path) if path.is_file() else None
    if lens is None or lens.id != lens_id:
        bundled_ids = ", ".join(e.lens.id for e in load_catalog().entries if e.bundled)
        raise NotFound("bundled lens", lens_id, f"bundled lenses: {bundled_ids}")
    return lens


def create_demo_walkthrough(db: Database) -> WalkthroughRecord:
    """Store a new copy of the sample walkthrough and return it.

    Every call adds another copy.  All data is checked and every photo drawn
    before anything is written, and it is all stored in one transaction: a
    full disk, Ctrl+C or a kill part way leaves no half-made walkthrough.
    """
    data = load_demo_data()
    lens = bundled_lens(_text(data, "lens", "the sample"))
    plan = _plan(data)

    with db.all_or_nothing() as one:
        record = create_walkthrough(
            one,
            lens,
            service=plan.service,
            site=plan.site,
            visit_date=plan.visit_date,
            facilitators=plan.facilitators,
            participants=plan.participants,
        )
        created = add_observations(one, record.id, plan.observations)
        for observation, captions in zip(created, plan.captions):
            for photo, caption in zip(observation.photos, captions):
                if caption:
                    set_caption(one, photo.id, caption)
        for action, finding_indexes in plan.actions:
            ids = tuple(created[i].id for i in finding_indexes)
            add_action(one, record.id, replace(action, observation_ids=ids))
    return get_walkthrough(db, record.id)


def find_demo_walkthrough(db: Database) -> str | None:
    """The id of a copy of the sample walkthrough already in ``db`` (the most recently changed), or None.

    A copy is recognised by the sample's service, site and lens; a copy
    whose names were edited counts as the facilitator's own.
    """
    data = load_demo_data()
    service, site = _text(data, "service", "the sample"), _text(data, "site", "the sample")
    lens_id = _text(data, "lens", "the sample")
    for summary in list_walkthroughs(db):  # most recently changed first
        if (summary.service, summary.site, summary.lens_id) == (service, site, lens_id):
            return summary.id
    return None


# -- reading the sample -------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    service: str
    site: str
    visit_date: dt.date
    facilitators: tuple[str, ...]
    participants: tuple[TeamMember, ...]
    observations: tuple[NewObservation, ...]
    captions: tuple[tuple[str, ...], ...]  # per observation, per photo
    actions: tuple[tuple[NewAction, tuple[int, ...]], ...]  # with indexes into observations


def _plan(data: Mapping[str, Any]) -> _Plan:
    visit_date = _date(data.get("visit_date"))
    observations: list[NewObservation] = []
    captions: list[tuple[str, ...]] = []
    keys: dict[str, int] = {}
    for number, item in enumerate(_list(data, "observations", "the sample"), start=1):
        where = f"observation {number}"
        key = item.get("key")
        if key is not None:
            if key in keys:
                raise ValueError(f"{where}: key {key!r} is used twice")
            keys[key] = number - 1
        photos = []
        photo_captions = []
        for n, spec in enumerate(item.get("photos") or (), start=1):
            name = spec.get("name") or f"sample-{number:02d}-{n}.jpg"
            jpeg = draw_picture(spec, seed=f"{number}/{n}/{name}")
            photos.append(prepare_photo(jpeg, name))
            photo_captions.append(str(spec.get("caption") or "").strip())
        observations.append(
            NewObservation(
                area_id=_text(item, "area", where),
                prompt_id=item.get("prompt"),
                rating_id=_text(item, "rating", where),
                principle_ids=tuple(item.get("principles") or ()),
                note=_text(item, "note", where),
                voice=Voice(item.get("voice", "facilitator")),
                photos=tuple(photos),
            )
        )
        captions.append(tuple(photo_captions))

    actions = []
    for number, item in enumerate(_list(data, "actions", "the sample"), start=1):
        where = f"action {number}"
        findings = []
        for key in item.get("findings") or ():
            if key not in keys:
                raise ValueError(f"{where}: no observation has the key {key!r}")
            findings.append(keys[key])
        due = item.get("due_in_days")
        action = NewAction(
            text=_text(item, "text", where),
            owner=str(item.get("owner") or ""),
            due_date=None if due is None else visit_date + dt.timedelta(days=int(due)),
            priority=Priority(item.get("priority", "medium")),
            status=ActionStatus(item.get("status", "not-started")),
            component_id=item.get("component"),
            principle_ids=tuple(item.get("principles") or ()),
        )
        actions.append((action, tuple(findings)))

    return _Plan(
        service=_text(data, "service", "the sample"),
        site=_text(data, "site", "the sample"),
        visit_date=visit_date,
        facilitators=tuple(str(f) for f in data.get("facilitators") or ()),
        participants=tuple(
            TeamMember(_text(p, "name", "a participant"), Role(p.get("role", "other")))
            for p in data.get("participants") or ()
        ),
        observations=tuple(observations),
        captions=tuple(captions),
        actions=tuple(actions),
    )


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"demo-walkthrough.yaml, {where}: {key!r} must be text")
    return value


def _list(item: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = item.get(key)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ValueError(f"demo-walkthrough.yaml, {where}: {key!r} must be a list of mappings")
    return value


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"demo-walkthrough.yaml: visit_date {value!r} is not a date like 2026-10-14") from None


# -- drawing the photos -------------------------------------------------------------


def draw_picture(spec: Mapping[str, Any], seed: str) -> bytes:
    """A believable photo of a sign, poster or letter, as JPEG bytes.

    Args:
        spec: one ``photos`` entry of the sample: ``picture`` (one of
            :data:`PICTURES`), ``heading``, ``text``, ``colour``, ``wall`` and,
            for letters, ``address``, ``date``, ``emphasis`` and ``signature``.
        seed: any text; the same seed and spec give the same bytes.
    """
    kind = spec.get("picture")
    if kind not in PICTURES:
        raise ValueError(f"demo-walkthrough.yaml: picture {kind!r} is not one of {', '.join(PICTURES)}")
    rng = random.Random(zlib.crc32(seed.encode("utf-8")))
    if kind == "letter":
        image = _letter_on_desk(spec, rng)
    else:
        image = _sign_on_wall(spec, rng, poster=kind == "poster")
    image = _camera(image, rng)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


_INK = (38, 38, 38)
_PAPER = (250, 249, 243)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(bundled.resources_dir() / "fonts" / name), size)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _scaled(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in rgb)  # type: ignore[return-value]


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Greyscale noise, mean 128, from the seeded generator."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than ``width``; blank lines in ``text`` are kept."""
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if line and measure.textlength(trial, font=font) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _fit(text: str, width: int, height: int, largest: int, bold: bool = False,
         spacing: float = 1.3) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font (down to 14 px) at which ``text`` wraps into the box."""
    size = largest
    while True:
        font = _font(size, bold)
        lines = _wrap(text, font, width)
        widest = max((font.getlength(line) for line in lines), default=0)
        if (len(lines) * size * spacing <= height and widest <= width) or size <= 14:
            return font, lines
        size -= 2


def _draw_lines(draw: ImageDraw.ImageDraw, lines: Sequence[str], font: ImageFont.FreeTypeFont,
                left: int, top: float, width: int, fill: tuple[int, ...], centred: bool,
                spacing: float = 1.3) -> float:
    """Draw lines from ``top``; return the y below the last one."""
    step = font.size * spacing
    for line in lines:
        x = left + (width - font.getlength(line)) / 2 if centred else left
        draw.text((x, top), line, font=font, fill=fill)
        top += step
    return top


def _wall(colour: tuple[int, int, int], rng: random.Random) -> Image.Image:
    """A painted wall: light falling from one side, uneven paint, fine grain."""
    w, h = PHOTO_SIZE
    light = Image.linear_gradient("L").rotate(rng.choice((90, -90))).resize((w, h))
    wall = Image.composite(
        Image.new("RGB", (w, h), _scaled(colour, 1.05)), Image.new("RGB", (w, h), _scaled(colour, 0.84)), light
    )
    blotches = _noise(rng, (10, 8)).resize((w, h), Image.Resampling.BICUBIC)
    wall = Image.blend(wall, Image.merge("RGB", (blotches,) * 3), 0.035)
    grain = _noise(rng, (w // 2, h // 2)).resize((w, h), Image.Resampling.BILINEAR)
    return Image.blend(wall, Image.merge("RGB", (grain,) * 3), 0.03)


def _desk(rng: random.Random) -> Image.Image:
    """A wooden desk top: long streaks of grain across a warm brown."""
    w, h = PHOTO_SIZE
    streaks = _noise(rng, (14, 160)).resize((w, h), Image.Resampling.BICUBIC)
    streaks = streaks.filter(ImageFilter.GaussianBlur(3)).point(lambda v: 64 + v // 2)
    light, dark = (176, 128, 84), (112, 76, 46)
    desk = Image.composite(Image.new("RGB", (w, h), light), Image.new("RGB", (w, h), dark), streaks)
    fine = _noise(rng, (w // 3, h * 2 // 3)).resize((w, h), Image.Resampling.BILINEAR)
    desk = Image.blend(desk, Image.merge("RGB", (fine,) * 3), 0.05)
    window = Image.radial_gradient("L").resize((w * 2, h * 2)).crop((w // 2, 0, w // 2 + w, h))
    return ImageChops.multiply(desk, Image.merge("RGB", (window.point(lambda v: 255 - v // 3),) * 3))


def _sheet(size: tuple[int, int], margin: int, paper: tuple[int, int, int]) -> Image.Image:
    """A transparent canvas with a sheet of paper in it, ``margin`` px from each edge."""
    w, h = size
    sheet = Image.new("RGBA", (w + 2 * margin, h + 2 * margin), (0, 0, 0, 0))
    ImageDraw.Draw(sheet).rectangle((margin, margin, margin + w - 1, margin + h - 1), fill=(*paper, 255))
    return sheet


def _place(background: Image.Image, sheet: Image.Image, centre: tuple[int, int], angle: float,
           shadow: tuple[int, int], blur: float, darkness: float = 0.45) -> None:
    """Rotate ``sheet`` and lay it on ``background`` with a soft drop shadow."""
    turned = sheet.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
    alpha = turned.getchannel("A")
    x, y = centre[0] - turned.width // 2, centre[1] - turned.height // 2
    shade = _soften(alpha.point(lambda a: round(a * darkness)), blur)
    background.paste(Image.new("RGB", turned.size, (25, 20, 15)), (x + shadow[0], y + shadow[1]), shade)
    background.paste(turned.convert("RGB"), (x, y), alpha)


def _soften(mask: Image.Image, radius: float) -> Image.Image:
    """A Gaussian blur of a wide radius, done at a quarter of the size (the result is smooth anyway)."""
    small = mask.resize((max(1, mask.width // 4), max(1, mask.height // 4)), Image.Resampling.BOX)
    small = small.filter(ImageFilter.GaussianBlur(radius / 4))
    return small.resize(mask.size, Image.Resampling.BILINEAR)


def _gloss(sheet: Image.Image, rng: random.Random) -> Image.Image:
    """A soft diagonal reflection, as on a laminated notice."""
    w, h = sheet.size
    band = Image.new("L", sheet.size, 0)
    start = rng.randint(w // 5, w // 2)
    ImageDraw.Draw(band).polygon(
        [(start, 0), (start + w // 4, 0), (start + w // 4 - h // 2, h), (start - h // 2, h)], fill=60
    )
    band = ImageChops.multiply(_soften(band, 40), sheet.getchannel("A"))
    white = Image.new("RGBA", sheet.size, (255, 255, 255, 255))
    return Image.composite(white, sheet, band)


def _pin(draw: ImageDraw.ImageDraw, x: int, y: int, colour: tuple[int, int, int]) -> None:
    draw.ellipse((x - 11, y - 7, x + 19, y + 21), fill=(60, 50, 40, 110))  # its shadow
    draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(*colour, 255))
    draw.ellipse((x - 8, y - 9, x - 1, y - 2), fill=(255, 255, 255, 170))


def _tape(draw: ImageDraw.ImageDraw, x: int, y: int, tilt: int) -> None:
    """A strip of sticky tape centred on (x, y), across the paper's corner."""
    dx, dy = 58, 18 * tilt
    ex, ey = -12 * tilt, 24
    corners = [(x - dx - ex, y - dy - ey), (x + dx - ex, y + dy - ey), (x + dx + ex, y + dy + ey),
               (x - dx + ex, y - dy + ey)]
    draw.polygon(corners, fill=(245, 242, 225, 150))


def _sign_on_wall(spec: Mapping[str, Any], rng: random.Random, poster: bool) -> Image.Image:
    colour = _rgb(str(spec.get("colour") or "#C62828"))
    wall = _wall(_rgb(str(spec.get("wall") or "#E6DCC6")), rng)
    heading = str(spec.get("heading") or "")
    text = str(spec.get("text") or "").strip()
    size = (700, 990) if poster else (640, 905)
    margin = 60
    pad = 58 if poster else 52
    paper = colour if poster else _PAPER
    sheet = _sheet(size, margin, paper)
    draw = ImageDraw.Draw(sheet)
    inner = size[0] - 2 * pad
    top: float = margin + pad + (30 if not poster else 10)
    ink = (255, 255, 255) if poster else _INK

    if poster:  # two soft rings in the lower corners, as a designer might add
        rings = Image.new("RGBA", size, (*colour, 255))
        ring_draw = ImageDraw.Draw(rings)
        for cx in (0, size[0]):
            r = rng.randint(130, 220)
            cx += rng.randint(-40, 40)
            cy = size[1] - rng.randint(0, 140)
            ring_draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(*_scaled(colour, 1.2), 255), width=26)
        sheet.paste(rings, (margin, margin))
    font, lines = _fit(heading, inner, int(size[1] * 0.32), 76 if poster else 88, bold=True, spacing=1.18)
    top = _draw_lines(draw, lines, font, margin + pad, top, inner, (*(ink if poster else colour), 255),
                      centred=True, spacing=1.18)
    top += 14
    rule = (255, 255, 255, 200) if poster else (*colour, 255)
    draw.rectangle((margin + pad + inner // 4, top, margin + pad + inner * 3 // 4, top + 6), fill=rule)
    top += 44
    body_font, body = _fit(text, inner, int(margin + size[1] - pad - top), 46 if poster else 44)
    _draw_lines(draw, body, body_font, margin + pad, top, inner, (*ink, 255), centred=True)

    if poster:
        for x, tilt in ((margin + 8, -1), (margin + size[0] - 8, 1)):
            _tape(draw, x, margin + 6, tilt)
    else:
        pins = ((200, 40, 40), (40, 90, 170), (30, 130, 70), (220, 170, 30))
        for x in (margin + 34, margin + size[0] - 34):
            _pin(draw, x, margin + 34, rng.choice(pins))
        sheet = _gloss(sheet, rng)

    w, h = PHOTO_SIZE
    centre = (w // 2 + rng.randint(-90, 90), h // 2 + rng.randint(-25, 25))
    _place(wall, sheet, centre, rng.uniform(-2.2, 2.2), (12, 16), 9 if poster else 7)
    return wall


def _letter_on_desk(spec: Mapping[str, Any], rng: random.Random) -> Image.Image:
    desk = _desk(rng)
    size = (860, 1216)  # A4
    margin = 40
    sheet = _sheet(size, margin, _PAPER)
    draw = ImageDraw.Draw(sheet)
    left, right = margin + 78, margin + size[0] - 78
    inner = right - left
    colour = _rgb(str(spec.get("colour") or "#1F3A5F"))
    grey = (110, 110, 110, 255)

    top = margin + 70
    heading = _font(36, bold=True)
    draw.text((left, top), str(spec.get("heading") or ""), font=heading, fill=(*colour, 255))
    top += 52
    small = _font(17)
    draw.text((left, top), str(spec.get("address") or ""), font=small, fill=grey)
    top += 34
    draw.rectangle((left, top, right, top + 3), fill=(*colour, 255))
    top += 40
    date = str(spec.get("date") or "")
    body = _font(23)
    draw.text((right - body.getlength(date), top), date, font=body, fill=(*_INK, 255))
    top += 70

    top = _draw_lines(draw, _wrap(str(spec.get("text") or "").strip(), body, inner), body, left, top, inner,
                      (*_INK, 255), centred=False, spacing=1.45)
    emphasis = str(spec.get("emphasis") or "").strip()
    if emphasis:
        top += 18
        loud = _font(25, bold=True)
        top = _draw_lines(draw, _wrap(emphasis, loud, inner), loud, left, top, inner, (198, 24, 24, 255),
                          centred=False, spacing=1.35)
        top += 18
    top += 14
    _draw_lines(draw, _wrap(str(spec.get("signature") or "").strip(), body, inner), body, left, top, inner,
                (*_INK, 255), centred=False, spacing=1.45)

    for fold in (size[1] // 3, size[1] * 2 // 3):  # folded in three for the envelope
        y = margin + fold
        draw.rectangle((margin, y - 6, margin + size[0] - 1, y - 1), fill=(236, 234, 226, 255))
        draw.line((margin, y, margin + size[0] - 1, y), fill=(255, 255, 255, 255), width=2)

    w, h = PHOTO_SIZE
    centre = (w // 2 - 90 + rng.randint(-40, 40), h // 2 + 150 + rng.randint(-20, 20))
    _place(desk, sheet, centre, rng.uniform(-5.0, 5.0), (10, 14), 8, darkness=0.55)
    _place(desk, _pen(), (centre[0] + 560, centre[1] - 180), rng.uniform(-30, -15), (8, 12), 6, darkness=0.6)
    return desk


def _pen() -> Image.Image:
    """A ballpoint pen lying flat, drawn upright (rotated when placed)."""
    margin = 30
    pen = Image.new("RGBA", (34 + 2 * margin, 440 + 2 * margin), (0, 0, 0, 0))
    draw = ImageDraw.Draw(pen)
    draw.rounded_rectangle((margin, margin, margin + 34, margin + 380), radius=16, fill=(22, 42, 96, 255))
    draw.rectangle((margin + 25, margin + 30, margin + 31, margin + 150), fill=(200, 204, 210, 255))  # clip
    draw.polygon([(margin + 2, margin + 378), (margin + 32, margin + 378), (margin + 17, margin + 432)],
                 fill=(196, 198, 202, 255))
    draw.rectangle((margin + 6, margin + 6, margin + 11, margin + 370), fill=(70, 96, 160, 255))  # shine
    return pen


def _camera(image: Image.Image, rng: random.Random) -> Image.Image:
    """What a phone camera adds: darker corners, a little softness, a colour cast."""
    w, h = image.size
    corners = Image.radial_gradient("L").point(lambda v: 255 - v * 70 // 255)
    corners = corners.resize((w, h), Image.Resampling.BILINEAR)
    image = ImageChops.multiply(image, Image.merge("RGB", (corners,) * 3))
    image = image.filter(ImageFilter.BoxBlur(0.6))
    warmth = rng.uniform(1.0, 1.035)  # indoor light is a little warm
    table = [min(255, round(v * warmth)) for v in range(256)] + list(range(256))
    return image.point(table + [min(255, round(v / warmth)) for v in range(256)])
