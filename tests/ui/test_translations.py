"""Translations: the catalogue keeps up with the code, and the app loads its language.

The catalogue is refreshed by ``python packaging/update_translations.py``;
these tests say so when someone adds a string without running it.  Tests
that install translators remove them again, so other tests see English.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QFile, QLibraryInfo, QLocale
from PySide6.QtWidgets import QDialogButtonBox
from PySide6.QtUiTools import QUiLoader

from tests.conftest import PROJECT_ROOT
from walkthrough.bundled import ui_dir
from walkthrough.gui.translations import install_translators, remove_translators, translations_dir

REFRESH = "python packaging/update_translations.py"


def _load_update_translations() -> ModuleType:
    # Loaded from its path: packaging/ is not a package (its build.py would shadow PyPI's "build").
    spec = importlib.util.spec_from_file_location("lens_packaging_update_translations",
                                                  PROJECT_ROOT / "packaging" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would, so its Message class has a home module
    spec.loader.exec_module(module)
    return module


tools = _load_update_translations()


def _require(name: str) -> Path:
    try:
        return tools.qt_tool(name)
    except tools.ToolMissing as exc:
        pytest.skip(f"cannot check translations without Qt's {name}: {exc}")


@pytest.fixture(scope="module")
def fresh_messages(tmp_path_factory: pytest.TempPathFactory) -> set:
    """What lupdate finds in the code now (into a scratch catalogue, never the committed one)."""
    _require("lupdate")
    scratch = tmp_path_factory.mktemp("lupdate") / "scratch.ts"
    tools.run_lupdate(scratch)  # about 0.2 s for the ~40 files (2 cores), so this runs with every test run
    return tools.messages(scratch)


ENGLISH = QLocale("en_GB")


@pytest.fixture
def app_translators(qapp) -> Iterator[QCoreApplication]:
    """The application; afterwards, the translators the test installed are replaced by the app's English ones."""
    yield qapp
    install_translators(qapp, ENGLISH)


def _describe(found: set) -> str:
    shown = sorted(found)[:15]
    more = f"\n  … and {len(found) - len(shown)} more" if len(found) > len(shown) else ""
    return "".join(f"\n  {m.context}: {m.source!r}" for m in shown) + more


# -- the catalogue keeps up with the code ---------------------------------------------------------------


def test_the_committed_catalogue_holds_exactly_the_strings_in_the_code(fresh_messages: set) -> None:
    committed = tools.messages(tools.catalogue_path(tools.SOURCE_LANGUAGE))
    missing, gone = fresh_messages - committed, committed - fresh_messages
    assert not missing and not gone, (
        f"resources/translations/{tools.CATALOGUE}_en.ts is out of date: run `{REFRESH}` and commit the result."
        + (f"\nNot in it yet:{_describe(missing)}" if missing else "")
        + (f"\nNo longer in the code:{_describe(gone)}" if gone else "")
    )


def test_every_designer_form_string_is_in_the_catalogue() -> None:
    committed = {(m.context, m.source) for m in tools.messages(tools.catalogue_path(tools.SOURCE_LANGUAGE))}
    forms = sorted(ui_dir().glob("*.ui"))
    assert forms, "no Designer forms found"
    for form in forms:
        root = ET.parse(form).getroot()
        context = root.findtext("class")
        strings = [s.text for s in root.iter("string") if s.text and s.get("notr") != "true"]
        assert strings, f"{form.name} has no translatable strings; is it still a form?"
        missing = [text for text in strings if (context, text) not in committed]
        assert not missing, f"{form.name}: {missing} not in the catalogue; run `{REFRESH}`"


# Call sites lupdate would miss: ``x.tr()`` on another object is catalogued under
# the *variable's* name ("owner") but looked up under the object's class, so it is
# never translated; lupdate does not read tr() inside an f-string nor a tr() of a
# variable.  None is allowed: use QCoreApplication.translate("Class", "...").
KNOWN_MISSED: set[tuple[str, str]] = set()


class _TrCalls(ast.NodeVisitor):
    """Each tr()/translate() call in a file, with the message Qt will look up, or why it cannot be known."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.classes: list[str] = []
        self.calls: list[tuple[int, str, object]] = []  # (line, key, Message or a reason)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "tr":
            receiver = ast.unparse(func.value)
            if receiver != "self" or not self.classes:
                self._add(node, ast.unparse(func), "tr() on another object: Qt looks it up under that object's class, "
                          "lupdate files it under the variable's name; use QCoreApplication.translate(\"Class\", …)")
            else:
                self._message(node, self.classes[-1], node.args[0:1], node.args[1:2], node.args[2:3])
        elif isinstance(func, ast.Attribute) and func.attr == "translate" and ast.unparse(func.value).endswith("Application"):
            context = node.args[0] if node.args else None
            if not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                self._add(node, ast.unparse(node), "the context is not a literal string")
            else:
                self._message(node, context.value, node.args[1:2], node.args[2:3], node.args[3:4])
        self.generic_visit(node)

    def _message(self, node: ast.Call, context: str, source: list, disambiguation: list, n: list) -> None:
        if node.keywords:
            self._add(node, ast.unparse(node), "keyword arguments: lupdate reads only positional ones")
            return
        try:
            text = ast.literal_eval(source[0]) if source else None
            comment = ast.literal_eval(disambiguation[0]) if disambiguation else None
        except ValueError:
            text = comment = None
        if not isinstance(text, str) or not isinstance(comment, (str, type(None))):
            self._add(node, ast.unparse(node), "the text is not a literal string, so lupdate cannot read it")
            return
        self.calls.append((node.lineno, ast.unparse(node), tools.Message(context, text, comment or "", bool(n))))

    def _add(self, node: ast.Call, key: str, reason: str) -> None:
        self.calls.append((node.lineno, key, reason))


def test_lupdate_catalogues_every_tr_call_under_the_context_qt_looks_up(fresh_messages: set) -> None:
    problems = []
    for file in tools.source_files():
        if file.suffix != ".py":
            continue
        path = file.relative_to(PROJECT_ROOT).as_posix()
        visitor = _TrCalls(path)
        visitor.visit(ast.parse(file.read_text(encoding="utf-8"), path))
        for line, key, found in visitor.calls:
            if (path, key) in KNOWN_MISSED:
                continue
            if isinstance(found, str):
                problems.append(f"{path}:{line}: {key}: {found}")
            elif found not in fresh_messages:
                # e.g. tr() inside an f-string: lupdate does not look there.
                problems.append(f"{path}:{line}: {key}: lupdate does not find this call; "
                                "give it a plain line of its own")
    assert not problems, "translatable strings the catalogue would miss:\n" + "\n".join(problems)


def test_the_call_checker_sees_the_shapes_lupdate_misses(tmp_path: Path) -> None:
    source = (
        "class Page:\n"
        "    def f(self, owner, n, word):\n"
        "        owner.tr('Undo')\n"
        "        self.tr(word)\n"
        "        self.tr('%n photos', n=n)\n"
        "        QCoreApplication.translate('App', 'Saved')\n"
        "        self.tr('%n photos', '', n)\n"
    )
    visitor = _TrCalls("page.py")
    visitor.visit(ast.parse(source))
    found = [item for _line, _key, item in visitor.calls]
    assert [isinstance(item, str) for item in found] == [True, True, True, False, False]
    assert found[3] == tools.Message("App", "Saved", "", False)
    assert found[4] == tools.Message("Page", "%n photos", "", True)


# -- compiled translations ----------------------------------------------------------------------------------


def test_every_compiled_translation_matches_its_catalogue() -> None:
    _require("lrelease")
    problems = tools.stale_compiled(tools.TRANSLATIONS_DIR)
    assert not problems, f"{'; '.join(problems)}: run `{REFRESH}` and commit the .qm files"


def test_a_stale_missing_or_orphaned_compiled_translation_is_reported(tmp_path: Path) -> None:
    _require("lrelease")
    _write_ts(tmp_path / "lens-walkthrough_de.ts", "de", {("App", "Saved"): "Gespeichert"})
    _write_ts(tmp_path / "lens-walkthrough_fr.ts", "fr", {("App", "Saved"): "Enregistré"})
    tools.run_lrelease(tmp_path / "lens-walkthrough_de.ts", tmp_path / "lens-walkthrough_de.qm")
    (tmp_path / "lens-walkthrough_gd.qm").write_bytes(b"left over")
    assert tools.stale_compiled(tmp_path) == [
        "lens-walkthrough_fr.qm is missing",
        "lens-walkthrough_gd.qm has no translation catalogue beside it",
    ]
    _write_ts(tmp_path / "lens-walkthrough_de.ts", "de", {("App", "Saved"): "Gesichert"})
    assert "lens-walkthrough_de.qm is older than lens-walkthrough_de.ts" in tools.stale_compiled(tmp_path)


# -- loading at run time ----------------------------------------------------------------------------------


def _write_ts(path: Path, language: str, translations: dict[tuple[str, str], str | list[str]]) -> Path:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en_GB")
    for (context_name, source), translated in translations.items():
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = context_name
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if isinstance(translated, list):
            message.set("numerus", "yes")
            for form in translated:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = translated
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


@pytest.fixture
def german(tmp_path: Path) -> Path:
    """A folder holding a tiny German ``lens-walkthrough_de.qm``, compiled by lrelease."""
    _require("lrelease")
    ts_file = _write_ts(tmp_path / "lens-walkthrough_de.ts", "de", {
        ("App", "Lens Walkthrough"): "Lens-Rundgang",
        ("App", "%n photo(s)"): ["%n Foto", "%n Fotos"],
        ("NewWalkthroughDialog", "New walkthrough"): "Neuer Rundgang",
    })
    tools.run_lrelease(ts_file, tmp_path / "lens-walkthrough_de.qm")
    return tmp_path


def test_a_language_with_translations_translates_the_apps_words_and_qts(app_translators, german: Path) -> None:
    loaded = install_translators(app_translators, QLocale("de_DE"), directory=german)

    qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert [Path(p) for p in loaded] == [german / "lens-walkthrough_de.qm", qt_folder / "qtbase_de.qm"]
    assert QCoreApplication.translate("App", "Lens Walkthrough") == "Lens-Rundgang"
    assert QCoreApplication.translate("App", "%n photo(s)", None, 1) == "1 Foto"
    assert QCoreApplication.translate("App", "%n photo(s)", None, 3) == "3 Fotos"
    assert QCoreApplication.translate("App", "Not translated") == "Not translated"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes)
    assert {button.text() for button in buttons.buttons()} == {"Abbrechen", "&Ja"}
    buttons.deleteLater()
    # The Designer form is translated under its class name as it is loaded.
    form = QFile(str(ui_dir() / "new_walkthrough.ui"))
    assert form.open(QFile.OpenModeFlag.ReadOnly)
    dialog = QUiLoader().load(form)
    form.close()
    assert dialog.windowTitle() == "Neuer Rundgang"
    dialog.deleteLater()


def test_a_regional_locale_falls_back_to_its_language(app_translators, german: Path) -> None:
    loaded = install_translators(app_translators, QLocale("de_AT"), directory=german)
    assert Path(loaded[0]) == german / "lens-walkthrough_de.qm"
    assert QCoreApplication.translate("App", "Lens Walkthrough") == "Lens-Rundgang"


def test_a_language_without_translations_is_not_an_error(app_translators, tmp_path: Path) -> None:
    # Qt has no Welsh catalogue and neither have we: the words stay English.
    assert install_translators(app_translators, QLocale("cy_GB"), directory=tmp_path / "missing") == []
    # The real resources/translations: only the English plural forms.
    assert install_translators(app_translators, QLocale("cy_GB")) == [str(translations_dir() / "lens-walkthrough_en.qm")]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert QCoreApplication.translate("MainWindow", "Exported %n finding(s)", None, 1) == "Exported 1 finding"


# -- English counts: "1 photo", never "1 photos" ------------------------------------------------------------


def _source_catalogue() -> Path:
    return tools.catalogue_path(tools.SOURCE_LANGUAGE)


def test_every_count_has_finished_english_singular_and_plural_forms() -> None:
    root = ET.parse(_source_catalogue()).getroot()
    counts = [(context.findtext("name"), message) for context in root.iter("context")
              for message in context.iter("message") if "%n" in message.findtext("source", "")]
    assert len(counts) >= 15, "the catalogue has lost its counts"
    forms = tools.plural_forms(_source_catalogue())
    problems = []
    for context, message in counts:
        source = message.findtext("source", "")
        key = tools.Message(context, source, message.findtext("comment", ""), True)
        if message.get("numerus") != "yes":
            problems.append(f"{context}: {source!r} has %n but no count: pass it, tr({source!r}, \"\", n)")
        elif forms.get(key) is None:
            problems.append(f"{context}: {source!r} has no finished English forms")
        else:
            one, many = forms[key]
            placeholders = sorted(set(re.findall(r"%[0-9]", source)))
            if one == many or "%n" not in many or "(s)" in one + many:
                problems.append(f"{context}: {source!r}: {one!r} / {many!r} are not an English singular and plural")
            if any(sorted(set(re.findall(r"%[0-9]", form))) != placeholders for form in (one, many)):
                problems.append(f"{context}: {source!r}: a form lost or gained a %1-style placeholder")
    assert not problems, (f"write the forms into {_source_catalogue().name} (and run `{REFRESH}`):\n"
                          + "\n".join(problems))


def test_the_app_says_1_photo_and_2_photos(app_translators) -> None:
    # As make_application installs it (any language the app has no translation for is English).
    assert install_translators(app_translators, ENGLISH) == [str(translations_dir() / "lens-walkthrough_en.qm")]
    forms = tools.plural_forms(_source_catalogue())
    assert forms
    for message, (one, many) in forms.items():
        comment = message.disambiguation or None
        assert QCoreApplication.translate(message.context, message.source, comment, 1) == one.replace("%n", "1")
        assert QCoreApplication.translate(message.context, message.source, comment, 2) == many.replace("%n", "2")
    assert QCoreApplication.translate("FindingsTableModel", "%n photo(s)", None, 1) == "1 photo"
    assert QCoreApplication.translate("MainWindow", "Exported %n finding(s)", None, 13) == "Exported 13 findings"


def test_a_count_a_translation_has_not_done_yet_falls_back_to_the_english_forms(app_translators, german) -> None:
    shutil.copy(translations_dir() / "lens-walkthrough_en.qm", german)
    loaded = install_translators(app_translators, QLocale("de_DE"), directory=german)
    assert [Path(p).name for p in loaded][:2] == ["lens-walkthrough_en.qm", "lens-walkthrough_de.qm"]
    assert QCoreApplication.translate("App", "%n photo(s)", None, 1) == "1 Foto"  # German's own
    assert QCoreApplication.translate("MainWindow", "Exported %n finding(s)", None, 1) == "Exported 1 finding"
    assert QCoreApplication.translate("App", "Lens Walkthrough") == "Lens-Rundgang"


def test_refreshing_fills_in_the_english_forms_of_a_count_written_with_s_and_keeps_hand_written_ones(
        tmp_path: Path) -> None:
    ts_file = _write_ts(tmp_path / "lens-walkthrough_en.ts", "en", {
        ("Page", "%1: %n photo(s)"): ["", ""],
        ("Page", "Delete %n actions"): ["", ""],
        ("Page", "%n day(s) left"): ["only %n day left", "%n days left"],
    })
    tree = ET.parse(ts_file)
    for message in tree.getroot().iter("message"):
        if message.findtext("source") != "%n day(s) left":
            message.find("translation").set("type", "unfinished")  # as lupdate leaves a new count
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    assert tools.fill_english_plurals(ts_file) == 1
    assert tools.plural_forms(ts_file) == {
        tools.Message("Page", "%1: %n photo(s)", "", True): ["%1: %n photo", "%1: %n photos"],
        tools.Message("Page", "Delete %n actions", "", True): None,  # not guessed: a person writes it
        tools.Message("Page", "%n day(s) left", "", True): ["only %n day left", "%n days left"],
    }
    assert tools.missing_english_plurals(ts_file) == [tools.Message("Page", "Delete %n actions", "", True)]


def test_qts_words_stay_english_when_the_app_has_no_translation_for_the_language(
        app_translators, german: Path) -> None:
    # Qt has French, the app has not: an English question must not get "Oui"/"Non" buttons.
    assert (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_fr.qm").is_file()
    assert install_translators(app_translators, QLocale("fr_FR"), directory=german) == []
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes)
    assert buttons.buttons()[0].text() == "&Yes"
    buttons.deleteLater()


def test_installing_again_replaces_the_translators_instead_of_stacking_them(app_translators, german: Path) -> None:
    install_translators(app_translators, QLocale("de"), directory=german)
    install_translators(app_translators, QLocale("de"), directory=german)
    assert remove_translators(app_translators) == 2  # Qt's and ours, once each
    assert QCoreApplication.translate("App", "Lens Walkthrough") == "Lens Walkthrough"

    install_translators(app_translators, QLocale("de"), directory=german)
    assert install_translators(app_translators, QLocale("cy"), directory=german) == []
    assert QCoreApplication.translate("App", "Lens Walkthrough") == "Lens Walkthrough"
    assert remove_translators(app_translators) == 0
