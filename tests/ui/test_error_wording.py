"""The window's words for errors: every known type in a sentence of its own, never the command line's syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_app import assert_no_command_syntax
from walkthrough.domain.errors import (
    DamagedPhotoNotExported,
    DatabaseBusy,
    EmptyValue,
    InvalidInput,
    NotFound,
    PackageError,
    StorageError,
    TooLong,
    UnknownValue,
    WalkthroughError,
)
from walkthrough.gui.error_wording import describe
from walkthrough.services import observations as observation_service
from walkthrough.services import walkthroughs as walkthrough_service
from walkthrough.services.backups import back_up
from walkthrough.storage import backups
from walkthrough.storage.errors import DamagedDatabase, DiskFull, ReadOnlyDatabase


def _raised(work) -> WalkthroughError:
    with pytest.raises(WalkthroughError) as info:
        work()
    return info.value


def _known_errors(db, walkthrough_id: str, tmp_path: Path) -> dict[str, WalkthroughError]:
    """One of each kind the window can meet, raised by the core where that is quick to do."""
    path = db.path
    no_backup = backups.damaged_error(tmp_path / "never-backed-up.sqlite3", "cut short")
    back_up(path)
    with_backup = backups.damaged_error(path, "cut short")
    assert with_backup.restore_from is not None and no_backup.restore_from is None
    return {
        "damaged": with_backup,
        "damaged, no backup": no_backup,
        **{why: ReadOnlyDatabase(f"{path}: use --read-only", path, why) for why in (
            ReadOnlyDatabase.OPENED_READ_ONLY, ReadOnlyDatabase.WRITE_PROTECTED,
            ReadOnlyDatabase.OLDER_VERSION, ReadOnlyDatabase.NOT_CLOSED_CLEANLY)},
        "busy": DatabaseBusy(f"{path}: in use; run `walkthrough list` again", path),
        "busy, pid": DatabaseBusy(f"{path}: in use; run `walkthrough list` again", path, pid=4242),
        "full": DiskFull(f"{path}: the disk is full", path),
        "io": DiskFull(f"{path}: disk I/O error", path, io_error=True),
        "no walkthrough": _raised(lambda: walkthrough_service.get_walkthrough(db, "no-such-walkthrough")),
        "no walkthrough prefix": _raised(lambda: walkthrough_service.resolve_walkthrough_id(db, "zzzzzzzz")),
        "no observation prefix": _raised(lambda: observation_service.resolve_observation_id(db, "zzzzzzzz")),
        **{f"no {kind}": NotFound(kind, "x1", "run `walkthrough list`") for kind in (
            "observation", "photo", "action", "lens")},
        "no service": _raised(lambda: walkthrough_service.update_walkthrough(db, walkthrough_id, service=" ")),
        "no site": _raised(lambda: walkthrough_service.update_walkthrough(db, walkthrough_id, site="")),
        **{f"empty {field}": EmptyValue(field, f"the {field} is empty; see --help") for field in (
            "facilitator", "participant", "action text", "rating")},
        "unknown rating": UnknownValue("rating", "great", ("working-well", "could-be-better"), "see --help"),
        "long note": _raised(lambda: observation_service.clean_note("x" * (observation_service.MAX_NOTE_CHARS + 1))),
        "long caption": TooLong("caption", 500, "too long; see --help"),
        "damaged photo": DamagedPhotoNotExported("p1", 3, tmp_path / "photos", "photo p1: (run `walkthrough check`)"),
        **{f"package {reason}": PackageError(tmp_path / "from-aisha.lwpkg", reason, "see --passphrase-file")
           for reason in (PackageError.NOT_A_PACKAGE, PackageError.NEWER_FORMAT, PackageError.NEEDS_PASSPHRASE,
                          PackageError.WRONG_PASSPHRASE, PackageError.DAMAGED, PackageError.UNREADABLE,
                          PackageError.NOT_THIS_WALKTHROUGH, PackageError.OTHER_LENS)},
    }


def test_no_sentence_for_a_known_error_names_a_command_or_an_option(db, walkthrough_id, tmp_path, qapp) -> None:
    errors = _known_errors(db, walkthrough_id, tmp_path)
    for name, error in errors.items():
        said = describe(error)
        assert said.strip() and said != " ".join(str(error).split()), name
        assert_no_command_syntax(said)
    # The command line keeps its words: commands and options, for the one who typed them.
    assert "walkthrough --db" in str(errors["damaged"]) and " restore " in str(errors["damaged"])
    assert "`walkthrough list`" in str(errors["no walkthrough"])


def test_each_known_error_is_worded_from_its_facts(db, walkthrough_id, tmp_path, qapp) -> None:
    errors = _known_errors(db, walkthrough_id, tmp_path)
    said = {name: describe(error) for name, error in errors.items()}
    assert str(db.path) in said["damaged"] and errors["damaged"].restore_from.name in said["damaged"]
    assert str(backups.locations.backups_dir()) in said["damaged, no backup"]
    assert "ask for help" in said["damaged, no backup"]
    assert "process 4242" in said["busy, pid"] and "process" not in said["busy"]
    assert said["no walkthrough"] == "This walkthrough is no longer in the database; it may have been deleted."
    assert said["no lens"] == "There is no lens with the id x1."
    assert said["no service"] == "The service's name is empty; type it in."
    assert said["no site"] == "The site's name is empty; type it in."
    assert "great" in said["unknown rating"] and "could-be-better" in said["unknown rating"]
    assert said["long note"].startswith("The note is longer than")
    assert str(tmp_path / "photos") in said["damaged photo"] and "photos before it" in said["damaged photo"]
    for reason in ("not-a-package", "needs-passphrase", "wrong-passphrase", "damaged", "other-lens"):
        assert "from-aisha.lwpkg" in said[f"package {reason}"] and "Nothing was changed." in said[f"package {reason}"]
    assert "passphrase" in said["package needs-passphrase"] and "Update the app" in said["package newer-format"]
    # Distinct facts, distinct sentences (but the same sentence for the same missing thing).
    assert len(set(said.values())) == len(said) - 2  # the prefixes not found read as the ids not found


def test_an_error_without_its_own_wording_falls_back_to_its_one_line_message(qapp) -> None:
    assert describe(StorageError("/x/w.sqlite3: cannot read\n(Permission denied)")) == (
        "/x/w.sqlite3: cannot read (Permission denied)")
    assert describe(InvalidInput("more than one walkthrough id starts with 'ab'")) == (
        "more than one walkthrough id starts with 'ab'")
    # A typed error made without its facts (an older caller) is not guessed at.
    assert describe(DatabaseBusy("w.sqlite3: busy")) == "w.sqlite3: busy"
    assert isinstance(DamagedDatabase("m", Path("w")), StorageError)
