"""Package files: what one laptop hands another, in one file, optionally sealed with a passphrase.

A package is a clear header (a small JSON object: the format, the walkthrough
it is about, how it is sealed) followed by a ZIP archive of named members
(what a package holds is decided by the services; this module only stores
and reads them).  The layout::

    b"Lens Walkthrough package\\n"       magic
    4 bytes, big-endian                  length of the header
    header                               UTF-8 JSON
    body                                 the ZIP archive; or, sealed:
                                         16-byte key check, then chunks

Sealed with a passphrase, the archive is cut into chunks of
:data:`CHUNK_SIZE` bytes, each encrypted with AES-256-GCM under a key made
from the passphrase by scrypt.  Each chunk's nonce is a random prefix, the
chunk's number and a flag set only on the last chunk, and the whole clear
header (magic and length included) is the associated data of every chunk:
changing a byte anywhere, swapping or dropping chunks, cutting the file
short or editing the header all fail the check, with nothing read.  The key
check (a GCM tag over nothing) tells a wrong passphrase from a damaged file.
Chunks are read when the archive asks for them, so opening a large package
holds one chunk in memory, not the file.

Every problem is a :class:`~walkthrough.domain.errors.PackageError` with one
line naming the file.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from walkthrough.domain.errors import PackageError
from walkthrough.storage.atomic_file import atomic_output
from walkthrough.storage.input_file import UnreadableFile, open_ordinary_file

__all__ = ["CHUNK_SIZE", "FORMAT", "MAGIC", "OpenPackage", "open_package", "write_package"]

MAGIC = b"Lens Walkthrough package\n"
#: The package format this program writes, and the newest it reads.
FORMAT = 1
#: Plain bytes per sealed chunk.
CHUNK_SIZE = 64 * 1024
_TAG = 16
_MAX_HEADER = 64 * 1024
#: scrypt's cost when sealing: 128 MiB and about half a second, once per package.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
#: The most a package may ask of scrypt when opened (a crafted file must not exhaust memory).
_MAX_SCRYPT_MEMORY = 1 << 30
#: Longest member read whole into memory.
MAX_MEMBER_BYTES = 512 * 1024 * 1024


def write_package(path: Path, header: Mapping[str, Any], members: Mapping[str, bytes | Iterator[bytes]], *,
                  passphrase: str | None = None, compress: frozenset[str] = frozenset()) -> None:
    """Write a package file at ``path``, whole or not at all.

    ``header`` is stored in the clear (keep names of people out of it);
    ``members`` are stored in order (a member may be given as chunks of
    bytes, so that photos need not all be in memory at once); those named in
    ``compress`` are deflated (text), the rest stored as they are (JPEG).

    Raises:
        ExportError: the file cannot be written (one line naming it).
    """
    seal = _Seal.new(passphrase) if passphrase else None
    clear = {**header, "format": FORMAT, "sealed": seal.describe() if seal else None}
    head = _head(clear)
    with atomic_output(path) as partial, open(partial, "wb") as out:
        out.write(head)
        with ExitStack() as stack:
            # Not seekable, so that the archive's offsets count from its own start (after the header).
            sink: io.RawIOBase = _Passing(out)
            if seal is not None:
                key = seal.key(passphrase or "")
                out.write(_key_check(key, seal.nonce_prefix, head))
                sink = _Sealer(out, key, seal.nonce_prefix, head)
            stack.enter_context(sink)
            with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:  # type: ignore[arg-type]
                for name, content in members.items():
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED if name in compress else zipfile.ZIP_STORED
                    with archive.open(info, "w", force_zip64=True) as member:
                        if isinstance(content, bytes):
                            member.write(content)
                        else:
                            for piece in content:
                                member.write(piece)


def _head(clear: Mapping[str, Any]) -> bytes:
    text = json.dumps(clear, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return MAGIC + struct.pack(">I", len(text)) + text


@dataclass(frozen=True)
class OpenPackage:
    """An open package: its clear header and its members, read on demand."""

    path: Path
    header: Mapping[str, Any]
    archive: zipfile.ZipFile

    def names(self) -> list[str]:
        """The members' names, in the order written."""
        return self.archive.namelist()

    def read(self, name: str, *, max_bytes: int = MAX_MEMBER_BYTES) -> bytes:
        """One member's bytes.

        Raises:
            PackageError: no such member, too large, or damaged.
        """
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise PackageError(self.path, PackageError.DAMAGED, f"it has no {name!r}") from None
        if info.file_size > max_bytes:
            raise PackageError(self.path, PackageError.DAMAGED, f"{name!r} is larger than allowed")
        try:
            with self.archive.open(info) as member:
                data = member.read(max_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _damaged(self.path, exc) from None
        if len(data) != info.file_size:
            raise PackageError(self.path, PackageError.DAMAGED, f"{name!r} is not whole")
        return data


@contextmanager
def open_package(path: Path, *, passphrase: str | None = None) -> Iterator[OpenPackage]:
    """Open a package file for reading (the file is read as members are asked for).

    Raises:
        PackageError: not a package, a newer format, sealed and no or a
            wrong passphrase, or damaged (cut off, a byte changed).
    """
    path = Path(path)
    try:
        with open_ordinary_file(path) as raw:
            header, head = _read_head(path, raw)
            body_start = len(head)
            size = os.fstat(raw.fileno()).st_size
            if header.get("sealed"):
                if not passphrase:
                    raise PackageError(path, PackageError.NEEDS_PASSPHRASE,
                                       "it is sealed with a passphrase (give it with --passphrase-file)")
                seal = _Seal.read(path, header["sealed"])
                key = seal.key(passphrase)
                raw.seek(body_start)
                if raw.read(_TAG) != _key_check(key, seal.nonce_prefix, head):
                    raise PackageError(path, PackageError.WRONG_PASSPHRASE, "the passphrase is not the one it was "
                                       "sealed with")
                body: IO[bytes] = io.BufferedReader(
                    _Unsealer(path, raw, key, seal.nonce_prefix, head, body_start + _TAG, size), CHUNK_SIZE)
            else:
                body = _Window(raw, body_start, size)  # type: ignore[assignment]
            try:
                archive = zipfile.ZipFile(body)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise _damaged(path, exc) from None
            with archive:
                yield OpenPackage(path, header, archive)
    except UnreadableFile as exc:
        raise PackageError(path, PackageError.UNREADABLE, exc.reason) from None
    except FileNotFoundError:
        raise PackageError(path, PackageError.UNREADABLE, "no such file") from None
    except IsADirectoryError:
        raise PackageError(path, PackageError.UNREADABLE, "a folder, not a package file") from None
    except PermissionError:
        raise PackageError(path, PackageError.UNREADABLE, "not allowed to read it") from None


def _read_head(path: Path, raw: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    magic = raw.read(len(MAGIC))
    if magic != MAGIC:
        raise PackageError(path, PackageError.NOT_A_PACKAGE, "not a Lens Walkthrough package")
    length_bytes = raw.read(4)
    if len(length_bytes) != 4:
        raise PackageError(path, PackageError.DAMAGED, "it is cut off")
    (length,) = struct.unpack(">I", length_bytes)
    if length > _MAX_HEADER:
        raise PackageError(path, PackageError.DAMAGED, "its header is too long")
    text = raw.read(length)
    if len(text) != length:
        raise PackageError(path, PackageError.DAMAGED, "it is cut off")
    try:
        header = json.loads(text.decode())
    except (UnicodeDecodeError, ValueError):
        raise PackageError(path, PackageError.DAMAGED, "its header is not readable") from None
    if not isinstance(header, dict) or not isinstance(header.get("format"), int):
        raise PackageError(path, PackageError.DAMAGED, "its header is not readable")
    if header["format"] > FORMAT:
        raise PackageError(path, PackageError.NEWER_FORMAT, "made by a newer version of Lens Walkthrough; "
                           "update the app first")
    return header, magic + length_bytes + text


def _damaged(path: Path, exc: BaseException) -> PackageError:
    if isinstance(exc, PackageError):
        return exc
    return PackageError(path, PackageError.DAMAGED, "it is damaged or cut off")


# -- sealing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Seal:
    salt: bytes
    nonce_prefix: bytes
    n: int
    r: int
    p: int

    @classmethod
    def new(cls, passphrase: str) -> _Seal:
        return cls(os.urandom(16), os.urandom(7), SCRYPT_N, SCRYPT_R, SCRYPT_P)

    @classmethod
    def read(cls, path: Path, described: Any) -> _Seal:
        try:
            if described["cipher"] != "AES-256-GCM" or described["kdf"] != "scrypt" \
                    or described["chunk"] != CHUNK_SIZE:
                raise ValueError
            seal = cls(base64.b64decode(described["salt"], validate=True),
                       base64.b64decode(described["nonce_prefix"], validate=True),
                       int(described["n"]), int(described["r"]), int(described["p"]))
        except (KeyError, TypeError, ValueError):
            raise PackageError(path, PackageError.DAMAGED, "its seal is not readable") from None
        if len(seal.nonce_prefix) != 7 or len(seal.salt) < 16 or seal.n < 2 or seal.n & (seal.n - 1) \
                or not 1 <= seal.r <= 32 or not 1 <= seal.p <= 16 or 128 * seal.n * seal.r * seal.p > _MAX_SCRYPT_MEMORY:
            raise PackageError(path, PackageError.DAMAGED, "its seal is not readable")
        return seal

    def describe(self) -> dict[str, Any]:
        return {"cipher": "AES-256-GCM", "kdf": "scrypt", "n": self.n, "r": self.r, "p": self.p,
                "salt": base64.b64encode(self.salt).decode(), "nonce_prefix": base64.b64encode(self.nonce_prefix).decode(),
                "chunk": CHUNK_SIZE}

    def key(self, passphrase: str) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=self.salt, length=32, n=self.n, r=self.r, p=self.p).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def _key_check(key: bytes, prefix: bytes, head: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(prefix + b"\xff" * 5, b"", head)


class _Passing(io.RawIOBase):
    """A write-only, unseekable stream passing what is written to ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return self._out.write(data)


class _Sealer(io.RawIOBase):
    """A write-only stream that seals what is written to ``out``, chunk by chunk."""

    def __init__(self, out: IO[bytes], key: bytes, prefix: bytes, head: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._out, self._aead, self._prefix, self._head = out, AESGCM(key), prefix, head
        self._pending = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._pending += data
        while len(self._pending) > CHUNK_SIZE:  # keep at least one byte back: the last chunk is sealed on close
            self._emit(bytes(self._pending[:CHUNK_SIZE]), last=False)
            del self._pending[:CHUNK_SIZE]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._pending), last=True)
            self._pending.clear()
        super().close()

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.close()
        else:
            super().close()  # a failed write: the partial file is thrown away, no last chunk

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        if self._index >= 2**32 - 1:
            raise ValueError("package too large")
        self._out.write(self._aead.encrypt(_nonce(self._prefix, self._index, last), chunk, self._head))
        self._index += 1


class _Reader(io.RawIOBase):
    """A read-only, seekable stream of ``_size`` bytes; a subclass reads them (``readinto`` at ``_pos``)."""

    _pos = 0
    _size = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos


class _Unsealer(_Reader):
    """A seekable, read-only view of a sealed body as the plain archive, opening one chunk at a time."""

    def __init__(self, path: Path, raw: IO[bytes], key: bytes, prefix: bytes, head: bytes, start: int,
                 end: int) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._path, self._raw, self._aead, self._prefix, self._head = path, raw, AESGCM(key), prefix, head
        self._start = start
        sealed = end - start
        step = CHUNK_SIZE + _TAG
        self._chunks = max(1, -(-sealed // step))
        last = sealed - (self._chunks - 1) * step
        if last < _TAG:
            raise PackageError(path, PackageError.DAMAGED, "it is damaged or cut off")
        self._size = (self._chunks - 1) * CHUNK_SIZE + last - _TAG
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK_SIZE)
        chunk = self._chunk(index)
        piece = chunk[offset:offset + len(buffer)]
        buffer[:len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        from cryptography.exceptions import InvalidTag

        self._raw.seek(self._start + index * (CHUNK_SIZE + _TAG))
        sealed = self._raw.read(CHUNK_SIZE + _TAG)
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, index, index == self._chunks - 1), sealed, self._head)
        except InvalidTag:
            raise PackageError(self._path, PackageError.DAMAGED, "it is damaged, cut off or was changed") from None
        self._cached = (index, plain)
        return plain


class _Window(_Reader):
    """A read-only view of ``raw`` from ``start`` to ``end``, as if it were the whole file."""

    def __init__(self, raw: IO[bytes], start: int, end: int) -> None:
        self._raw, self._start, self._size, self._pos = raw, start, end - start, 0

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        self._raw.seek(self._start + self._pos)
        data = self._raw.read(want)
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)
