"""Render the app icon from its SVG into every format the installers need.

``python packaging/render_icons.py OUT_DIR`` writes, from
``resources/icons/lens-walkthrough.svg``:

* ``lens-walkthrough-<N>.png`` for N in 16 … 1024 — the Linux desktop icon
  sizes (hicolor theme) and the sources of the two files below;
* ``lens-walkthrough.ico`` — the Windows executable and installer icon;
* ``lens-walkthrough.icns`` — the macOS .app icon.

Qt's ``QSvgRenderer`` (in PySide6 Essentials, which the app already needs)
draws each size from the vector, so small sizes are sharp rather than
scaled-down bitmaps; Pillow (also an app dependency) packs the .ico and the
.icns.  So no extra tool is needed on any build machine — not Inkscape, not
ImageMagick, not macOS's ``iconutil``.  The rendered files are build outputs:
nothing here is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "lens-walkthrough.svg"
NAME = SVG.stem

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)  # what Windows asks for at 100–250 % scaling
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_png(svg: Path, size: int, dest: Path) -> Path:
    """Draw ``svg`` into a transparent ``size``×``size`` PNG.

    Raises:
        ValueError: Qt cannot read the SVG.
        OSError: the PNG cannot be written.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: Qt cannot read this SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(dest), "PNG"):
        raise OSError(f"{dest}: could not write the PNG")
    return dest


def render_all(out_dir: Path, svg: Path = SVG) -> dict[str, Path]:
    """Write the PNGs, the .ico and the .icns into ``out_dir``; returns them by kind.

    Keys: ``"png<N>"`` for each size rendered, ``"ico"``, ``"icns"``.
    """
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES}):
        made[f"png{size}"] = render_png(svg, size, out_dir / f"{NAME}-{size}.png")

    # Every size in the .ico and .icns is its own rendering, not Pillow's
    # downscale of the largest one.
    for kind, sizes in (("ico", ICO_SIZES), ("icns", ICNS_SIZES)):
        images = [Image.open(made[f"png{size}"]) for size in sorted(sizes, reverse=True)]
        made[kind] = out_dir / f"{NAME}.{kind}"
        extra = {"sizes": [(s, s) for s in sizes]} if kind == "ico" else {}
        images[0].save(made[kind], format=kind.upper(), append_images=images[1:], **extra)
        for image in images:
            image.close()
    return made


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python packaging/render_icons.py OUT_DIR", file=sys.stderr)
        return 2
    for kind, path in render_all(Path(argv[0])).items():
        print(f"{kind:8} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
