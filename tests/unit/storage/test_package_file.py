"""Package files: written whole, read back member by member, sealed with a passphrase, and refused when wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkthrough.domain.errors import ExportError, PackageError
from walkthrough.storage import package_file
from walkthrough.storage.package_file import CHUNK_SIZE, open_package, write_package

HEADER = {"walkthrough_id": "w-1"}
PHOTO = os.urandom(3 * CHUNK_SIZE + 123)  # crosses chunk boundaries


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real cost (2**17) is for people; the format and the checks are the same at 2**10.
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


def _write(path: Path, passphrase: str | None = None) -> None:
    write_package(path, HEADER, {"changes.json": b'{"changes": []}', "photos/a.jpg": PHOTO,
                                 "photos/b.jpg": iter([b"part one ", b"part two"])},
                  passphrase=passphrase, compress=frozenset({"changes.json"}))


@pytest.mark.parametrize("passphrase", [None, "correct horse battery staple"])
def test_a_package_reads_back_as_written(tmp_path: Path, passphrase: str | None) -> None:
    path = tmp_path / "p.lwpkg"
    _write(path, passphrase)
    with open_package(path, passphrase=passphrase) as package:
        assert package.header["walkthrough_id"] == "w-1" and package.header["format"] == package_file.FORMAT
        assert bool(package.header["sealed"]) is bool(passphrase)
        assert package.names() == ["changes.json", "photos/a.jpg", "photos/b.jpg"]
        assert package.read("photos/a.jpg") == PHOTO
        assert package.read("photos/b.jpg") == b"part one part two"
        assert package.read("changes.json") == b'{"changes": []}'


def test_a_sealed_package_shows_nothing_of_its_content(tmp_path: Path) -> None:
    path = tmp_path / "p.lwpkg"
    write_package(path, HEADER, {"note.txt": b"a private note about a person"}, passphrase="pass")
    data = path.read_bytes()
    assert b"private" not in data and b"note.txt" not in data


def test_without_the_passphrase_or_with_a_wrong_one_it_says_so(tmp_path: Path) -> None:
    path = tmp_path / "p.lwpkg"
    _write(path, "right")
    with pytest.raises(PackageError) as caught, open_package(path):
        pass
    assert caught.value.reason == PackageError.NEEDS_PASSPHRASE
    with pytest.raises(PackageError) as caught, open_package(path, passphrase="wrong"):
        pass
    assert caught.value.reason == PackageError.WRONG_PASSPHRASE
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.parametrize("passphrase", [None, "pass"])
def test_a_package_cut_off_anywhere_is_refused(tmp_path: Path, passphrase: str | None) -> None:
    path = tmp_path / "p.lwpkg"
    _write(path, passphrase)
    whole = path.read_bytes()
    for keep in (10, 40, len(whole) // 2, len(whole) - CHUNK_SIZE - 16, len(whole) - 1):
        cut = tmp_path / f"cut{keep}.lwpkg"
        cut.write_bytes(whole[:keep])
        with pytest.raises(PackageError):
            with open_package(cut, passphrase=passphrase) as package:
                for name in package.names():
                    package.read(name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1), bit=st.integers(0, 7))
def test_one_bit_changed_anywhere_in_a_sealed_package_is_refused(tmp_path: Path, position: float, bit: int) -> None:
    path = tmp_path / "sealed.lwpkg"
    if not path.exists():
        _write(path, "pass")
    data = bytearray(path.read_bytes())
    at = min(int(position * len(data)), len(data) - 1)
    data[at] ^= 1 << bit
    changed = tmp_path / "changed.lwpkg"
    changed.write_bytes(bytes(data))
    with pytest.raises(PackageError):
        with open_package(changed, passphrase="pass") as package:
            for name in package.names():
                package.read(name)


def test_a_newer_format_asks_to_update_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.lwpkg"
    monkeypatch.setattr(package_file, "FORMAT", package_file.FORMAT + 1)
    _write(path)
    monkeypatch.undo()
    with pytest.raises(PackageError, match="update the app first") as caught, open_package(path):
        pass
    assert caught.value.reason == PackageError.NEWER_FORMAT


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 a zip file", b"Lens Walkthrough package\n\xff\xff\xff\xff",
                                     b"Lens Walkthrough package\n\x00\x00\x00\x02{}",
                                     b"Lens Walkthrough package\n\x00\x00\x00\x0bnot json!!!"])
def test_a_file_that_is_not_a_package_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.lwpkg"
    path.write_bytes(content)
    with pytest.raises(PackageError) as caught, open_package(path):
        pass
    assert "\n" not in str(caught.value) and "nothing was changed" in str(caught.value)


def test_a_crafted_seal_cannot_ask_for_unbounded_memory(tmp_path: Path) -> None:
    import json
    import struct

    header = json.dumps({"format": 1, "sealed": {"cipher": "AES-256-GCM", "kdf": "scrypt", "n": 2**24, "r": 8,
                                                 "p": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA==",
                                                 "nonce_prefix": "AAAAAAAAAA==", "chunk": CHUNK_SIZE}}).encode()
    path = tmp_path / "p.lwpkg"
    path.write_bytes(package_file.MAGIC + struct.pack(">I", len(header)) + header + b"\x00" * 64)
    with pytest.raises(PackageError, match="seal is not readable"), open_package(path, passphrase="x"):
        pass


def test_a_folder_or_a_missing_file_is_one_line(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "absent.lwpkg"):
        with pytest.raises(PackageError) as caught, open_package(path):
            pass
        assert caught.value.reason == PackageError.UNREADABLE


def test_a_failed_write_leaves_no_file_and_keeps_the_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / "p.lwpkg"
    _write(path, "pass")
    before = path.read_bytes()

    def photos():
        yield b"some bytes"
        raise OSError("the disk went away")

    with pytest.raises(ExportError, match="the disk went away"):
        write_package(path, HEADER, {"a.jpg": photos()}, passphrase="pass")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["p.lwpkg"]
