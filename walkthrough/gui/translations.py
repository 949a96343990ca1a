"""Load the translations of the app's words and of Qt's own for the user's language.

Three catalogues are installed on the application:

* the English plural forms, ``lens-walkthrough_en.qm``, whatever the language:
  a count in the source is written once, ``tr("%n photo(s)", "", n)``, and
  this catalogue turns it into "1 photo" and "2 photos".  It holds nothing
  else (the source strings are the English), and it is the fallback for a
  count that a translation has not done yet;
* the app's ``lens-walkthrough_<language>.qm`` from ``resources/translations``,
  compiled from its ``.ts`` by ``packaging/update_translations.py``;
* Qt's ``qtbase_<language>.qm`` for the same language, from Qt's translations
  folder, so that what Qt draws itself — standard buttons (Yes, No, Cancel,
  Open), its file dialog, the context menu of a text box — speaks it too.

A language the app has no translation for is not an error: the app, and
Qt's words with it, stay in English, the language of the source strings.
Install before any window is built: widgets translate their words when they
are made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from walkthrough.bundled import resources_dir

#: File name stem of the app's catalogues: ``lens-walkthrough_gd.qm``.
CATALOGUE = "lens-walkthrough"
#: The language of the source strings, whose catalogue holds only their plural forms.
SOURCE_LANGUAGE = "en"
#: Marks the translators installed here, so installing again replaces them.
_OBJECT_NAME = "walkthrough-translator"


def translations_dir() -> Path:
    """The folder of the app's catalogues (``resources/translations``); it may not exist.

    Raises:
        FileNotFoundError: the installation has no ``resources/`` folder at all.
    """
    return resources_dir() / "translations"


def install_translators(app: QCoreApplication, locale: QLocale | None = None, *,
                        directory: Path | None = None) -> list[str]:
    """Install the app's translation for ``locale`` on ``app``, and Qt's for its language; returns the files.

    ``locale`` defaults to ``QLocale()`` (the system's language unless
    ``QLocale.setDefault`` changed it); each of its UI languages is tried in
    turn (``de-AT``, then ``de``; on Linux also those in ``LANGUAGE``), so a
    regional variant falls back to the language.  ``directory`` holds the
    app's ``.qm`` files (default :func:`translations_dir`).

    Qt's catalogue follows the app's: when the app has no translation for the
    language, Qt's words stay English too, so a dialog never asks an English
    question with German buttons.  Translators installed by an earlier call
    are removed first, so calling it again (another language, or a second
    ``make_application`` in tests) replaces rather than stacks them.

    The English plural forms (``lens-walkthrough_en.qm`` in the same folder)
    are installed first, for every language: Qt asks the translators
    installed last first, so the language's own word for a count wins, and
    English plural forms stand in for a count not yet translated.

    Returns the paths of the ``.qm`` files installed, in that order: the
    English plural forms, then the app's and Qt's for the language (none
    when the language has no translation, or is English).  A missing folder
    or file is never an error.
    """
    remove_translators(app)
    locale = locale if locale is not None else QLocale()
    folder = directory if directory is not None else _app_translations_dir()
    if not folder:
        return []
    english = _installed(app, None, f"{CATALOGUE}_{SOURCE_LANGUAGE}", str(folder))
    loaded = [english.filePath()] if english is not None else []
    own = _installed(app, locale, CATALOGUE, str(folder), besides=english)
    if own is None:
        return loaded
    loaded.append(own.filePath())
    # The language the app's words will be in, which may be the user's second choice.
    language = QLocale(own.language()) if own.language() else locale
    qt = _installed(app, language, "qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if qt is not None:
        loaded.append(qt.filePath())
    return loaded


def _installed(app: QCoreApplication, locale: QLocale | None, stem: str, folder: str,
               besides: QTranslator | None = None) -> QTranslator | None:
    """``folder/<stem>_<language>.qm`` for the first of ``locale``'s languages that has one, installed on ``app``.

    With no ``locale``, ``folder/<stem>.qm``.  Not if it is the file
    ``besides`` already holds (English found again as the language).
    """
    translator = QTranslator()
    found = translator.load(stem, folder) if locale is None else translator.load(locale, stem, "_", folder, ".qm")
    # An empty catalogue (nothing finished yet) would only slow every lookup down.
    if not found or translator.isEmpty():
        return None
    if besides is not None and translator.filePath() == besides.filePath():
        return None
    translator.setObjectName(_OBJECT_NAME)
    translator.setParent(app)  # the app owns it from now on, so it lives as long as the app
    app.installTranslator(translator)
    return translator


def remove_translators(app: QCoreApplication) -> int:
    """Remove the translators :func:`install_translators` put on ``app``; returns how many.

    The app's words go back to English for widgets made afterwards.
    """
    # By name: also faster, as PySide's first findChildren(type) alone costs about 10 ms at start-up.
    translators = app.findChildren(QTranslator, _OBJECT_NAME)
    for translator in translators:
        app.removeTranslator(translator)
        translator.setParent(None)  # back to Python, which deletes it with its last reference
    return len(translators)


def _app_translations_dir() -> Path | str:
    try:
        return translations_dir()
    except FileNotFoundError:
        return ""  # an incomplete installation: it says so elsewhere; here, English
