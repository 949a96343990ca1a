"""Baseline for the photo-intake benchmark: a bare Pillow script.

For each file: open, turn upright (``ImageOps.exif_transpose``), scale down
to the same longest edge (2048 px), save as JPEG, and save a 320 px
thumbnail, at the same JPEG settings as the app (quality 85, optimised
Huffman tables).  No checks, no database.

Run as a script: ``python baseline_intake.py OUT_DIR FILE…``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageOps

EDGE = 2048
THUMB = 320


def main(out_dir: str, files: list[str]) -> None:
    out = Path(out_dir)
    for i, name in enumerate(files):
        with Image.open(name) as opened:
            picture = ImageOps.exif_transpose(opened).convert("RGB")
        picture.thumbnail((EDGE, EDGE), Image.Resampling.LANCZOS)
        picture.save(out / f"{i:02d}.jpg", "JPEG", quality=85, optimize=True)
        thumb = picture.copy()
        thumb.thumbnail((THUMB, THUMB), Image.Resampling.LANCZOS)
        thumb.save(out / f"{i:02d}-thumb.jpg", "JPEG", quality=85, optimize=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
