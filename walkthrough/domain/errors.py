"""Errors a person can act on.

Every error that can reach a user derives from :class:`WalkthroughError`.
``str(error)`` is one sentence, on one line, naming the thing at fault (a file,
a row, an id), in the command line's words (it may name commands and
options): the command line prints it after ``error:``.  The errors a person
meets in the desktop app also carry their facts as attributes, from which the
window words its own translatable sentence, without command-line syntax
(``walkthrough.gui.error_wording``).  Anything else that escapes is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class WalkthroughError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""


class LensError(WalkthroughError):
    """A lens file cannot be used.

    Attributes:
        source: the file name (or other label) of the lens text.
        line: 1-based line number of the fault, or ``None`` if not known.
        problem: what is wrong, without the location.
    """

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}, line {line}" if line is not None else source
        #: This problem alone, as one line (``str()`` may add "and N more").
        self.description = f"{where}: {problem}"
        #: Further problems found in the same file, in line order.
        self.more: list[LensError] = []
        super().__init__(self.description)


class PhotoRejected(WalkthroughError):
    """A file cannot be taken in as a photo; nothing was stored.

    Attributes:
        name: the file's name as the user knows it.
        reason: why, in a few words.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class NotFound(WalkthroughError):
    """No walkthrough, observation, photo, action or lens has the given id."""

    def __init__(self, kind: str, ident: str, hint: str = "") -> None:
        self.kind = kind
        self.ident = ident
        message = f"no {kind} with id {ident!r}"
        super().__init__(f"{message}; {hint}" if hint else message)


class InvalidInput(WalkthroughError):
    """A value does not fit what the walkthrough's lens or the data model allows."""


class EmptyValue(InvalidInput):
    """Something that must be given was left empty (only spaces, say).

    Attributes:
        field: which: ``"service"``, ``"site"``, ``"facilitator"``,
            ``"participant"``, ``"action text"``, or a lens term's kind.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class UnknownValue(InvalidInput):
    """A value is not one of those allowed (an id the walkthrough's lens does not have, say).

    Attributes:
        field: what kind of value: ``"area"``, ``"prompt"``, ``"rating"``,
            ``"principle"``, ``"core component"``, ``"voice"`` …
        value: the value given.
        allowed: the values that would have been accepted.
    """

    def __init__(self, field: str, value: str, allowed: Sequence[str], message: str) -> None:
        self.field = field
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(message)


class TooLong(InvalidInput):
    """A text is longer than can be stored.

    Attributes:
        field: which text (``"note"``).
        limit: the most characters allowed.
    """

    def __init__(self, field: str, limit: int, message: str) -> None:
        self.field = field
        self.limit = limit
        super().__init__(message)


class CsvError(WalkthroughError):
    """A CSV file cannot be imported; nothing from it was stored.

    Attributes:
        source: the file name.
        row: 1-based row number in the file (the header is row 1), or ``None``.
    """

    def __init__(self, source: str, row: int | None, problem: str) -> None:
        self.source = source
        self.row = row
        self.problem = problem
        where = f"{source}, row {row}" if row is not None else source
        super().__init__(f"{where}: {problem}")


class PackageError(WalkthroughError):
    """A package file cannot be read; nothing was changed.

    Attributes:
        path: the package file.
        reason: one of the constants below.
        detail: what is wrong, in a few words.
    """

    NOT_A_PACKAGE = "not-a-package"
    NEWER_FORMAT = "newer-format"
    NEEDS_PASSPHRASE = "needs-passphrase"
    WRONG_PASSPHRASE = "wrong-passphrase"
    DAMAGED = "damaged"
    UNREADABLE = "unreadable"
    NOT_THIS_WALKTHROUGH = "not-this-walkthrough"
    OTHER_LENS = "other-lens"

    def __init__(self, path: Path, reason: str, detail: str) -> None:
        self.path = path
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {detail}; nothing was changed")


class StorageError(WalkthroughError):
    """The walkthrough database cannot be opened or written as asked."""


class NotADatabase(StorageError):
    """The file exists but is not a walkthrough database; it was not modified."""


class NewerDatabase(StorageError):
    """The database was written by a newer version of the program; left untouched."""


class DatabaseBusy(StorageError):
    """Another program holds the database locked.

    Attributes:
        path: the database file, or ``None`` if not known.
        pid: the process holding it, when known.
        program: what holds it, in a word, when known (the app, a command).
    """

    def __init__(self, message: str, path: Path | None = None, pid: int | None = None,
                 program: str | None = None) -> None:
        self.path = path
        self.pid = pid
        self.program = program
        super().__init__(message)


class ExportError(WalkthroughError):
    """An export could not be written; no partial file was left behind."""


class DestinationHoldsDatabase(StorageError, ExportError):
    """A file to be written is already a walkthrough database or a backup of one (another's, an older copy).

    Nothing was written.  An export (CSV, PDF, photos) never replaces one; a
    copy or backup of the database does only when the person says so.

    Attributes:
        path: the file that would have been written over.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(message)


class DestinationExists(ExportError):
    """A file to be written is already there, and the person did not say to write over it; nothing was written.

    Attributes:
        path: the file that is there.
    """

    def __init__(self, message: str, path: Path) -> None:
        self.path = path
        super().__init__(message)


class DamagedPhotoNotExported(ExportError):
    """A stored photo is not a JPEG any more, so the photo export stopped at it.

    Attributes:
        photo_id: the photo's id.
        written: how many photos were written before it.
        folder: the folder they were written to.
    """

    def __init__(self, photo_id: str, written: int, folder: Path, message: str) -> None:
        self.photo_id = photo_id
        self.written = written
        self.folder = folder
        super().__init__(message)


class StoredPhotoUnreadable(WalkthroughError):
    """Photo bytes read back from a database, a backup or a file are not a readable JPEG.

    Attributes:
        reason: why, in a few words (the caller names the photo).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
