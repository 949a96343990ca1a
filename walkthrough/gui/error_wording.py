"""The window's words for the errors a person can act on.

The core raises typed errors that carry their facts (a path, a backup, a
field); their ``str()`` is the command line's wording, which may name
commands and options (``--read-only``, ``walkthrough restore …``).  The
window never shows those: :func:`describe` turns each known type into a
translatable sentence that speaks of what the app itself offers.  Any other
:class:`WalkthroughError` falls back to its own one-line message.

Safe to call on a worker thread (``QCoreApplication.translate`` is).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from walkthrough.domain.errors import (
    DamagedPhotoNotExported,
    DatabaseBusy,
    EmptyValue,
    NotFound,
    PackageError,
    TooLong,
    UnknownValue,
    WalkthroughError,
)
from walkthrough.storage.errors import DamagedDatabase, DiskFull, ReadOnlyDatabase


def describe(exc: WalkthroughError) -> str:
    """What to tell the person about ``exc``, in the window's words (translated, no command syntax)."""
    for kind, word in _WORDERS:
        if isinstance(exc, kind):
            said = word(exc)
            if said is not None:
                return said
    return " ".join(str(exc).split())


def _path(path: object) -> str:
    return str(path) if path is not None else ""


def _damaged(exc: DamagedDatabase) -> str:
    if exc.restore_from is not None:
        return QCoreApplication.translate(
            "Errors",
            "This walkthrough database is damaged; it was not changed:\n%1\n\n"
            "A good backup of it was found (%2). Start Lens Walkthrough again: it offers to restore "
            "that backup, and keeps the damaged file in the backups folder.",
        ).replace("%1", _path(exc.path)).replace("%2", exc.restore_from.name)
    return QCoreApplication.translate(
        "Errors",
        "This walkthrough database is damaged; it was not changed:\n%1\n\n"
        "No good backup of it was found in the backups folder (%2). Keep the file as it is and ask "
        "for help recovering it.",
    ).replace("%1", _path(exc.path)).replace("%2", _path(exc.backups_dir))


def _read_only(exc: ReadOnlyDatabase) -> str | None:
    if exc.path is None:
        return None
    if exc.why == ReadOnlyDatabase.OPENED_READ_ONLY:
        text = QCoreApplication.translate(
            "Errors", "This walkthrough database is open read-only, for viewing, so nothing was changed:\n%1")
    elif exc.why == ReadOnlyDatabase.OLDER_VERSION:
        text = QCoreApplication.translate(
            "Errors",
            "This walkthrough database was made by an older version of Lens Walkthrough and must be "
            "upgraded before it can be viewed:\n%1\n\nOpen it once to make changes, not read-only, "
            "and it is upgraded; a backup is made first.",
        )
    elif exc.why == ReadOnlyDatabase.NOT_CLOSED_CLEANLY:
        text = QCoreApplication.translate(
            "Errors",
            "This walkthrough database was not closed cleanly, and its folder cannot be written, "
            "so it cannot be checked or opened:\n%1\n\nCopy it, together with the file beside it "
            "whose name ends in “-wal”, to a folder you can write to.",
        )
    else:
        text = QCoreApplication.translate(
            "Errors",
            "This walkthrough database cannot be changed where it is: the disk, folder or file is "
            "read-only (a write-protected USB stick, say):\n%1\n\nTo make changes, copy it to a "
            "folder you can write to, such as your Documents folder.",
        )
    return text.replace("%1", _path(exc.path))


def _busy(exc: DatabaseBusy) -> str | None:
    if exc.path is None:
        return None
    if exc.pid:
        text = QCoreApplication.translate(
            "Errors",
            "Another program (process %2) is using this walkthrough database:\n%1\n\n"
            "Close it, or wait for it to finish, and try again.",
        ).replace("%2", str(exc.pid))
    else:
        text = QCoreApplication.translate(
            "Errors",
            "Another program is using this walkthrough database:\n%1\n\n"
            "Close it, or wait for it to finish, and try again.",
        )
    return text.replace("%1", _path(exc.path))


def _disk_full(exc: DiskFull) -> str | None:
    if exc.path is None:
        return None
    if exc.io_error:
        text = QCoreApplication.translate(
            "Errors",
            "The disk could not be written or read (is it full, or was it removed?), so this change "
            "was not saved; earlier work is safe:\n%1",
        )
    else:
        text = QCoreApplication.translate(
            "Errors",
            "The disk is full, so this change was not saved; earlier work is safe:\n%1\n\n"
            "Free some space and try again.",
        )
    return text.replace("%1", _path(exc.path))


def _not_found(exc: NotFound) -> str:
    if exc.kind == "walkthrough":
        return QCoreApplication.translate(
            "Errors", "This walkthrough is no longer in the database; it may have been deleted.")
    if exc.kind == "observation":
        return QCoreApplication.translate(
            "Errors", "This observation is no longer in the walkthrough; it may have been deleted.")
    if exc.kind == "photo":
        return QCoreApplication.translate(
            "Errors", "This photo is no longer in the walkthrough; it may have been deleted.")
    if exc.kind == "action":
        return QCoreApplication.translate(
            "Errors", "This action is no longer in the improvement plan; it may have been deleted.")
    # Something named by id at the command line (a lens): the message without its hint.
    return QCoreApplication.translate("Errors", "There is no %1 with the id %2.").replace(
        "%1", exc.kind).replace("%2", exc.ident)


def _empty(exc: EmptyValue) -> str:
    if exc.field == "service":
        return QCoreApplication.translate("Errors", "The service's name is empty; type it in.")
    if exc.field == "site":
        return QCoreApplication.translate("Errors", "The site's name is empty; type it in.")
    if exc.field == "facilitator":
        return QCoreApplication.translate(
            "Errors", "A facilitator's name is empty; type it in, or remove the empty line.")
    if exc.field == "participant":
        return QCoreApplication.translate(
            "Errors", "A participant's name is empty; type it in, or remove the empty line.")
    if exc.field == "action text":
        return QCoreApplication.translate("Errors", "The action's text is empty; type what is to be done.")
    return QCoreApplication.translate("Errors", "Something that must be filled in is empty (%1).").replace(
        "%1", exc.field)


def _unknown(exc: UnknownValue) -> str:
    return QCoreApplication.translate("Errors", "“%1” is not one of the choices here (%2).").replace(
        "%1", exc.value).replace("%2", ", ".join(exc.allowed))


def _too_long(exc: TooLong) -> str:
    limit = QLocale().toString(exc.limit)
    if exc.field == "note":
        return QCoreApplication.translate(
            "Errors", "The note is longer than %1 characters; shorten it, or split it in two.").replace("%1", limit)
    return QCoreApplication.translate("Errors", "The text is longer than %1 characters; shorten it.").replace(
        "%1", limit)


def _damaged_photo(exc: DamagedPhotoNotExported) -> str:
    # (No count in the sentence: lupdate takes QCoreApplication.translate's count for a plural only when
    # it is a literal number.)
    if not exc.written:
        return QCoreApplication.translate(
            "Errors", "A stored photo is damaged, so no photos were exported; nothing was written to %1.",
        ).replace("%1", str(exc.folder))
    return QCoreApplication.translate(
        "Errors", "A stored photo is damaged, so neither it nor the ones after it were exported; the photos "
                  "before it were written to %1.",
    ).replace("%1", str(exc.folder))


def _package(exc: PackageError) -> str:
    """A package that could not be brought in or read: what is wrong with it, and that nothing changed."""
    name = exc.path.name if exc.path is not None else ""
    sentences = {
        PackageError.NOT_A_PACKAGE: QCoreApplication.translate(
            "Errors", "“%1” is not a Lens Walkthrough package. Nothing was changed."),
        PackageError.NEWER_FORMAT: QCoreApplication.translate(
            "Errors", "“%1” was made by a newer version of Lens Walkthrough. Update the app on this laptop "
                      "first, then bring it in again. Nothing was changed."),
        PackageError.NEEDS_PASSPHRASE: QCoreApplication.translate(
            "Errors", "“%1” is sealed with a passphrase. Ask the person who sent it for the passphrase. "
                      "Nothing was changed."),
        PackageError.WRONG_PASSPHRASE: QCoreApplication.translate(
            "Errors", "That is not the passphrase “%1” was sealed with. Nothing was changed."),
        PackageError.DAMAGED: QCoreApplication.translate(
            "Errors", "“%1” is damaged or incomplete (cut short, or changed after it was written). "
                      "Ask for it to be sent again. Nothing was changed."),
        PackageError.UNREADABLE: QCoreApplication.translate(
            "Errors", "“%1” could not be read (it may have been moved, or the drive removed). "
                      "Nothing was changed."),
        PackageError.NOT_THIS_WALKTHROUGH: QCoreApplication.translate(
            "Errors", "“%1” holds changes to a walkthrough that is not on this laptop yet. Ask for the "
                      "shared walkthrough first (File → Share walkthrough… on the other laptop), bring that "
                      "in, then this. Nothing was changed."),
        PackageError.OTHER_LENS: QCoreApplication.translate(
            "Errors", "“%1” belongs to a walkthrough started with another version of the lens than the one "
                      "here, so it cannot be brought into it. Nothing was changed."),
    }
    fallback = QCoreApplication.translate("Errors", "“%1” could not be brought in. Nothing was changed.")
    return sentences.get(exc.reason, fallback).replace("%1", name)


#: Checked in order: the first type ``exc`` is an instance of words it (``None``: fall back).
_WORDERS = (
    (DamagedDatabase, _damaged),
    (ReadOnlyDatabase, _read_only),
    (DatabaseBusy, _busy),
    (DiskFull, _disk_full),
    (NotFound, _not_found),
    (EmptyValue, _empty),
    (UnknownValue, _unknown),
    (TooLong, _too_long),
    (DamagedPhotoNotExported, _damaged_photo),
    (PackageError, _package),
)
