"""Errors a person can act on.

Every error that can reach a user derives from :class:`WalkthroughError`.
``str(error)`` is one sentence, on one line, naming the thing at fault (a file,
a row, an id): the command line prints it after ``error:`` and the desktop app
shows it in a message box.  Anything else that escapes is a bug.
"""

from __future__ import annotations


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


class StorageError(WalkthroughError):
    """The walkthrough database cannot be opened or written as asked."""


class NotADatabase(StorageError):
    """The file exists but is not a walkthrough database; it was not modified."""


class NewerDatabase(StorageError):
    """The database was written by a newer version of the program; left untouched."""


class DatabaseBusy(StorageError):
    """Another program holds the database locked."""


class ExportError(WalkthroughError):
    """An export could not be written; no partial file was left behind."""


class StoredPhotoUnreadable(WalkthroughError):
    """Photo bytes read back from a database, a backup or a file are not a readable JPEG.

    Attributes:
        reason: why, in a few words (the caller names the photo).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
