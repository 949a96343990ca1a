"""The lenses a facilitator can start a walkthrough with.

Bundled lenses ship in ``resources/lenses``; users drop their own ``*.yaml``
files into :func:`walkthrough.storage.locations.user_lenses_dir`.  A user lens
with the same id as a bundled one takes its place (that is how a service
adapts a bundled lens: copy, edit, keep the id).  A broken user file never
hides the others: it is reported in :attr:`LensCatalog.problems`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from walkthrough import bundled
from walkthrough.domain.errors import LensError, NotFound
from walkthrough.domain.lens import MAX_LENS_BYTES, Lens, parse_lens
from walkthrough.storage import locations
from walkthrough.storage.input_file import UnreadableFile, read_ordinary_file


@dataclass(frozen=True)
class LensEntry:
    """A lens found on disk.  ``bundled`` is False for the user's own lenses."""

    lens: Lens
    path: Path
    bundled: bool


@dataclass(frozen=True)
class LensCatalog:
    """The usable lenses (sorted by title) and the files that could not be used."""

    entries: tuple[LensEntry, ...]
    problems: tuple[LensError, ...]

    def get(self, lens_id: str) -> LensEntry:
        """The lens with this id.

        Raises:
            NotFound: no such lens; the message lists the ids there are.
        """
        for entry in self.entries:
            if entry.lens.id == lens_id:
                return entry
        known = ", ".join(e.lens.id for e in self.entries) or "none"
        raise NotFound("lens", lens_id, f"available lenses: {known}")


def load_lens_file(path: Path) -> Lens:
    """Read and validate one lens file.

    Raises:
        LensError: unreadable, too large, or invalid; names the file and line.
    """
    try:
        data = read_ordinary_file(path, max_bytes=MAX_LENS_BYTES)  # never a pipe or a device
    except UnreadableFile as exc:
        raise LensError(path.name, None, exc.reason) from None
    return parse_lens(data, path.name)


def load_catalog(user_dir: Path | None = None) -> LensCatalog:
    """Find every bundled and user lens.

    Args:
        user_dir: the user's lens folder; default
            :func:`~walkthrough.storage.locations.user_lenses_dir`.  A
            missing folder is simply empty.
    """
    found: dict[str, LensEntry] = {}
    problems: list[LensError] = []
    for path in sorted(bundled.lenses_dir().glob("*.yaml")):
        lens = load_lens_file(path)  # a broken bundled lens is a bug: let it raise
        found[lens.id] = LensEntry(lens, path, bundled=True)
    folder = user_dir if user_dir is not None else locations.user_lenses_dir()
    if folder.is_dir():
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            try:
                lens = load_lens_file(path)
            except LensError as exc:
                problems.append(exc)
                continue
            found[lens.id] = LensEntry(lens, path, bundled=False)
    entries = tuple(sorted(found.values(), key=lambda e: e.lens.title.casefold()))
    return LensCatalog(entries, tuple(problems))
