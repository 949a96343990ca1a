"""Refresh the translation catalogues from the source and compile them.

Every word the desktop app shows goes through Qt's ``tr()`` or
``QCoreApplication.translate()`` (``walkthrough/gui``, ``walkthrough/app.py``)
or sits in a Designer form (``ui/*.ui``).  ``pyside6-lupdate`` reads them all
into ``resources/translations/lens-walkthrough_en.ts``, the source catalogue:
the English strings, for translators to start from.  It translates only one
thing: the English singular and plural of each count (``tr("%n photo(s)",
"", n)`` → "%n photo", "%n photos"), compiled into ``lens-walkthrough_en.qm``,
which the app always loads, so that English reads "1 photo", not "1 photos".
A count written with "(s)" gets its forms filled in here; any other (a verb
that agrees, an irregular noun) is written into the catalogue by hand, and a
test names each count whose English forms are missing.
A language has its own catalogue beside it (``lens-walkthrough_gd.ts`` for
Scottish Gaelic), edited in Qt Linguist (``pyside6-linguist``), and a compiled
``.qm`` file that the app loads at run time (``walkthrough/gui/translations.py``).
The ``.qm`` files are committed, so that neither installing nor building the
bundle needs Qt's tools; a test checks that they match their ``.ts``.

    python packaging/update_translations.py            # refresh every catalogue, compile every language
    python packaging/update_translations.py --add gd   # start a language (then translate it in Linguist)

Locations are written relative (file and line offsets) so that a change to
one file does not rewrite the line numbers of every other message.  The source
catalogue drops messages that left the code; a language catalogue keeps them
as obsolete (Linguist hides them, ``lrelease`` skips them), so a translator's
work survives a reworded string, until ``--no-obsolete`` drops them too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
CATALOGUE = "lens-walkthrough"
SOURCE_LANGUAGE = "en"
#: The English the strings are written in (for Linguist's "source language").
SOURCE_LOCALE = "en_GB"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_[0-9]{3})?$")


class ToolMissing(RuntimeError):
    """pyside6-lupdate or pyside6-lrelease cannot be found."""


class Message(NamedTuple):
    """One translatable message as Qt looks it up: context, source text, disambiguation, plural or not."""

    context: str
    source: str
    disambiguation: str
    plural: bool


def source_files(root: Path = ROOT) -> list[Path]:
    """Every file whose strings are translated: the GUI's Python, app.py and the Designer forms, sorted."""
    files = [*(root / "walkthrough" / "gui").rglob("*.py"), root / "walkthrough" / "app.py", *(root / "ui").glob("*.ui")]
    return sorted(path for path in files if path.is_file())


def catalogue_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    """``directory/lens-walkthrough_<language>.ts``."""
    return directory / f"{CATALOGUE}_{language}.ts"


def catalogue_language(ts_file: Path) -> str:
    """The language in a catalogue's name: ``lens-walkthrough_pt_BR.ts`` → ``pt_BR``.

    Raises:
        ValueError: the name is not ``lens-walkthrough_<language>.ts``.
    """
    prefix = f"{CATALOGUE}_"
    language = ts_file.stem[len(prefix):] if ts_file.stem.startswith(prefix) else ""
    if ts_file.suffix != ".ts" or not _LANGUAGE.match(language):
        raise ValueError(f"{ts_file.name} is not named {CATALOGUE}_<language>.ts (e.g. {CATALOGUE}_gd.ts)")
    return language


def qt_tool(name: str) -> Path:
    """The path of Qt's ``lupdate`` or ``lrelease``, as shipped in the PySide6 wheel.

    Looks inside the installed PySide6 package first (what the
    ``pyside6-<name>`` launchers run), then for ``pyside6-<name>`` on PATH.

    Raises:
        ToolMissing: neither is installed.
    """
    try:
        import PySide6
    except ImportError:
        pass
    else:
        folder = Path(PySide6.__file__).resolve().parent
        for candidate in (folder / name, folder / f"{name}.exe"):
            if candidate.is_file():
                return candidate
    # The launchers sit beside the Python of a virtual environment, which need not be on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    launcher = shutil.which(f"pyside6-{name}", path=search)
    if launcher:
        return Path(launcher)
    raise ToolMissing(f"pyside6-{name} not found: install the app's dependencies (pip install -e .), "
                      "which include PySide6-Essentials and its Qt tools")


def _run(command: Sequence[str | Path]) -> None:
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(str(command[0])).name} failed ({done.returncode}):\n{done.stderr or done.stdout}")


def run_lupdate(ts_file: Path, *, root: Path = ROOT, keep_obsolete: bool = False) -> None:
    """Create or refresh one catalogue from :func:`source_files`.

    The catalogue's language comes from its name (:func:`catalogue_language`)
    unless it is not named like one (a scratch file in a test): then it is
    written as the English source.  ``keep_obsolete`` keeps messages that
    left the code, marked obsolete.

    Raises:
        ToolMissing: lupdate is not installed.
        RuntimeError: lupdate failed (its output in the message).
    """
    try:
        language = catalogue_language(ts_file)
    except ValueError:
        language = SOURCE_LANGUAGE
    command: list[str | Path] = [qt_tool("lupdate"), "-silent", "-locations", "relative",
                                 "-source-language", SOURCE_LOCALE, "-target-language", language]
    if not keep_obsolete:
        command.append("-no-obsolete")
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    _run([*command, *source_files(root), "-ts", ts_file])
    _drop_extracomments(ts_file)


_EXTRACOMMENT = re.compile(r"^[ \t]*<extracomment>.*?</extracomment>\n", re.MULTILINE | re.DOTALL)


def _drop_extracomments(ts_file: Path) -> None:
    """Remove the "translator notes" lupdate made of the code's ``#:`` comments.

    lupdate reads a Python ``#:`` comment as a note for translators, but here
    ``#:`` documents an attribute (the Sphinx convention), so translators
    would see notes about undo ids or frame rates beside unrelated strings.
    A note for translators goes in the disambiguation argument of ``tr()``.
    """
    text = ts_file.read_text(encoding="utf-8")
    cleaned = _EXTRACOMMENT.sub("", text)
    if cleaned != text:
        ts_file.write_text(cleaned, encoding="utf-8")


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    """Compile a catalogue; only translations marked finished in Linguist go in.

    Raises:
        ToolMissing: lrelease is not installed.
        RuntimeError: lrelease failed (its output in the message).
    """
    _run([qt_tool("lrelease"), "-silent", "-nounfinished", ts_file, "-qm", qm_file])


def messages(ts_file: Path) -> set[Message]:
    """The messages of a catalogue, obsolete and vanished ones left out.

    Raises:
        OSError: the file cannot be read.
        xml.etree.ElementTree.ParseError: it is not a catalogue.
    """
    found = set()
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("obsolete", "vanished"):
                continue
            found.add(Message(name, message.findtext("source", ""), message.findtext("comment", ""),
                              message.get("numerus") == "yes"))
    return found


def english_forms(source: str) -> list[str] | None:
    """The English singular and plural of a count written with "(s)": ``%n photo(s)`` → ``%n photo``, ``%n photos``.

    None when the source has no "(s)": its forms are written by hand.
    """
    if "(s)" not in source:
        return None
    return [source.replace("(s)", ""), source.replace("(s)", "s")]


def plural_forms(ts_file: Path) -> dict[Message, list[str] | None]:
    """Every count (numerus message) of a catalogue with its finished forms, or None while they are unfinished.

    Obsolete and vanished messages are left out.
    """
    found: dict[Message, list[str] | None] = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") != "yes" or translation is None:
                continue
            if translation.get("type") in ("obsolete", "vanished"):
                continue
            forms = [form.text or "" for form in translation.iter("numerusform")]
            finished = translation.get("type") != "unfinished" and forms and all(forms)
            key = Message(name, message.findtext("source", ""), message.findtext("comment", ""), True)
            found[key] = forms if finished else None
    return found


def fill_english_plurals(ts_file: Path) -> int:
    """Write the English forms of each unfinished "(s)" count into the source catalogue; returns how many.

    A form someone wrote by hand is never changed.
    """
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if message.get("numerus") != "yes" or translation is None or translation.get("type") != "unfinished":
            continue
        forms = english_forms(message.findtext("source", ""))
        if forms is None:
            continue
        for element in list(translation):
            translation.remove(element)
        for form in forms:
            ET.SubElement(translation, "numerusform").text = form
        del translation.attrib["type"]
        filled += 1
    if filled:
        tree.write(ts_file, encoding="utf-8", xml_declaration=True)  # lupdate then writes it in its own layout
    return filled


def missing_english_plurals(ts_file: Path) -> list[Message]:
    """The counts of the source catalogue whose English forms nobody has written yet (to be written by hand)."""
    return sorted(message for message, forms in plural_forms(ts_file).items() if forms is None)


def language_catalogues(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """The translations (every ``lens-walkthrough_*.ts`` except the English source), sorted."""
    return sorted(path for path in directory.glob(f"{CATALOGUE}_*.ts")
                  if path != catalogue_path(SOURCE_LANGUAGE, directory))


def stale_compiled(directory: Path = TRANSLATIONS_DIR) -> list[str]:
    """What is wrong with the compiled translations in ``directory``, one line each ([] when all is well).

    A language's ``.qm`` (and the English plural forms' ``_en.qm``, when the
    source catalogue is there) must exist and be exactly what ``lrelease``
    makes of its ``.ts`` now; a ``.qm`` with no ``.ts`` is left over.

    Raises:
        ToolMissing: lrelease is not installed.
    """
    problems = []
    compiled = _compiled_catalogues(directory)
    with tempfile.TemporaryDirectory() as scratch:
        for ts_file in compiled:
            qm_file = ts_file.with_suffix(".qm")
            if not qm_file.is_file():
                problems.append(f"{qm_file.name} is missing")
                continue
            fresh = Path(scratch) / qm_file.name
            run_lrelease(ts_file, fresh)
            if fresh.read_bytes() != qm_file.read_bytes():
                problems.append(f"{qm_file.name} is older than {ts_file.name}")
    for qm_file in sorted(directory.glob(f"{CATALOGUE}_*.qm")):
        if qm_file.with_suffix(".ts") not in compiled:
            problems.append(f"{qm_file.name} has no translation catalogue beside it")
    return problems


def _compiled_catalogues(directory: Path) -> list[Path]:
    """The catalogues that have a ``.qm``: the source's (English plural forms), if there, and every language's."""
    source = catalogue_path(SOURCE_LANGUAGE, directory)
    return [*([source] if source.is_file() else []), *language_catalogues(directory)]


def update(directory: Path = TRANSLATIONS_DIR, *, add: Sequence[str] = (), no_obsolete: bool = False) -> list[Path]:
    """Refresh the source catalogue and every language (starting those in ``add``), then compile each.

    Returns the files written.

    Raises:
        ValueError: a language in ``add`` is not a language code such as ``gd`` or ``pt_BR``.
        ToolMissing, RuntimeError: as :func:`run_lupdate` and :func:`run_lrelease`.
    """
    for language in add:
        if not _LANGUAGE.match(language) or language == SOURCE_LANGUAGE:
            raise ValueError(f"{language!r} is not a language to add: use a code such as gd, cy or pt_BR")
    source = catalogue_path(SOURCE_LANGUAGE, directory)
    run_lupdate(source)
    if fill_english_plurals(source):
        run_lupdate(source)  # back in lupdate's own layout
    run_lrelease(source, source.with_suffix(".qm"))
    written = [source, source.with_suffix(".qm")]
    wanted = {*language_catalogues(directory), *(catalogue_path(language, directory) for language in add)}
    for ts_file in sorted(wanted):
        run_lupdate(ts_file, keep_obsolete=not no_obsolete)
        run_lrelease(ts_file, ts_file.with_suffix(".qm"))
        written += [ts_file, ts_file.with_suffix(".qm")]
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (1 with a message when Qt's tools are missing or fail)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add", metavar="LANGUAGE", action="append", default=[],
                        help="start a translation, e.g. gd (Scottish Gaelic), cy (Welsh), pt_BR; repeatable")
    parser.add_argument("--no-obsolete", action="store_true",
                        help="also drop, from the language catalogues, translations of strings the app no longer has")
    args = parser.parse_args(argv)
    try:
        written = update(add=args.add, no_obsolete=args.no_obsolete)
    except (ValueError, ToolMissing, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        count = f" ({len(messages(path))} messages)" if path.suffix == ".ts" else ""
        print(f"wrote {path.relative_to(ROOT)}{count}")
    source = catalogue_path(SOURCE_LANGUAGE)
    for message in missing_english_plurals(source):
        print(f"warning: write the English singular and plural of {message.context}: {message.source!r} "
              f"into {source.relative_to(ROOT)} (two <numerusform>s, no type=\"unfinished\")", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
