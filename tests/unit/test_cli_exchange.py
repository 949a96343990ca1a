"""``walkthrough share``, ``send``, ``receive``, ``devices``, ``conflicts`` and ``resolve``: three laptops by command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.unit.test_cli import Cli
from walkthrough.storage import package_file


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**10)


@pytest.fixture
def laptops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Cli, Cli, Cli]:
    return tuple(Cli(tmp_path / f"{name}.sqlite3", capsys) for name in "abc")  # type: ignore[return-value]


def _rows(cli: Cli, wid: str) -> list[dict[str, str]]:
    assert cli("export-csv", wid, "-") == 0
    return list(csv.DictReader(io.StringIO(cli.out)))


def _edit_first(cli: Cli, wid: str, tmp_path: Path, **values: str) -> None:
    rows = _rows(cli, wid)
    rows[0].update(values)
    path = tmp_path / f"{cli.db_path.stem}-edit.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert cli("import-csv", wid, path) == 0, cli.err


def test_three_laptops_walk_one_service_and_end_with_the_same_walkthrough(laptops, tmp_path):
    a, b, c = laptops
    assert a("demo") == 0
    wid = a.out.strip()
    assert a("share", wid, tmp_path / "join.lwpkg") == 0
    assert a.out.startswith(f"wrote {tmp_path / 'join.lwpkg'}: the whole walkthrough")
    for other in (b, c):
        assert other("receive", tmp_path / "join.lwpkg") == 0 and other.out.startswith("new ")
    assert b("receive", tmp_path / "join.lwpkg") == 0 and b.out.strip() == "nothing new"

    _edit_first(a, wid, tmp_path, rating="priority-concern", note="Seen from the road: no sign")
    _edit_first(b, wid, tmp_path, rating="working-well", note="The sign is fine, says Lee")
    for cli in (a, b):
        assert cli("send", wid, tmp_path / f"{cli.db_path.stem}.lwpkg") == 0
    assert a("receive", tmp_path / "b.lwpkg") == 0
    assert a.out.strip() == "new 0, changed 1, deleted 0, to decide 2"
    assert c("receive", tmp_path / "a.lwpkg", "--dry-run") == 0 and "nothing was changed" in c.out
    for cli, package in ((b, "a"), (c, "a"), (c, "b")):
        assert cli("receive", tmp_path / f"{package}.lwpkg") == 0, cli.err

    assert a("report", wid, "-o", tmp_path / "open.pdf", "--no-photos") == 0, a.err
    assert "warning: 2 differences still to decide" in a.err and f"conflicts {wid[:8]}" in a.err
    assert a("conflicts", wid) == 0
    lines = a.out.strip().splitlines()
    assert len(lines) == 2 and all(" 1) " in line and " 2) " in line for line in lines)
    rating = next(line for line in lines if ": rating: " in line)
    assert '"Working well"' in rating and '"Priority concern"' in rating
    note = next(line for line in lines if ": note: " in line)
    keep = "1" if '1) "Working well"' in rating else "2"
    assert a("resolve", rating.split()[0], "--keep", keep) == 0, a.err
    assert a("resolve", note.split()[0][:6], "--value", "Fine from the car park, not from the road") == 0, a.err
    assert a("conflicts", wid) == 0 and a.out.strip() == "no differences to decide"
    assert a("report", wid, "-o", tmp_path / "decided.pdf", "--no-photos") == 0 and "warning" not in a.err

    assert a("send", wid, tmp_path / "decided.lwpkg") == 0
    for cli in (b, c):
        assert cli("receive", tmp_path / "decided.lwpkg") == 0
        assert cli("conflicts", wid) == 0 and cli.out.strip() == "no differences to decide"
    assert _rows(a, wid) == _rows(b, wid) == _rows(c, wid)
    assert _rows(a, wid)[0]["rating"] == "working-well"
    assert _rows(c, wid)[0]["note"] == "Fine from the car park, not from the road"


def test_a_sealed_package_and_its_passphrase_file(laptops, tmp_path):
    a, b, _ = laptops
    assert a("demo") == 0
    wid = a.out.strip()
    secret = tmp_path / "passphrase.txt"
    secret.write_text("kirkwall harbour\n", encoding="utf-8")
    assert a("share", wid, tmp_path / "p.lwpkg", "--passphrase-file", secret) == 0 and "sealed" in a.out
    assert b("receive", tmp_path / "p.lwpkg") == 1
    assert b.err.strip().endswith("nothing was changed") and "--passphrase-file" in b.err
    (tmp_path / "wrong.txt").write_text("kirkwall\n", encoding="utf-8")
    assert b("receive", tmp_path / "p.lwpkg", "--passphrase-file", tmp_path / "wrong.txt") == 1
    assert "passphrase" in b.err and len(b.err.strip().splitlines()) == 1
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    assert b("receive", tmp_path / "p.lwpkg", "--passphrase-file", tmp_path / "empty.txt") == 1
    assert "first line is empty" in b.err
    assert b("receive", tmp_path / "p.lwpkg", "--passphrase-file", secret) == 0 and b.out.startswith("new ")


def test_bad_input_is_one_line(laptops, tmp_path):
    a, _, _ = laptops
    assert a("demo") == 0
    wid = a.out.strip()
    (tmp_path / "not.lwpkg").write_text("hello", encoding="utf-8")
    assert a("receive", tmp_path / "not.lwpkg") == 1 and "not a Lens Walkthrough package" in a.err
    assert a("send", wid, tmp_path / "x.lwpkg", "--to", "nobody") == 1
    assert a.err.strip() == ("error: --to 'nobody': no laptop of that name or id has sent changes here (known here: "
                             "none yet); leave out --to to send all of this laptop's changes")
    assert a("resolve", "abcdef", "--keep", "1") == 1 and "no difference" in a.err
    assert a("devices") == 0 and "no other device" in a.out
    assert a("share", wid, tmp_path / "missing folder" / "p.lwpkg") == 1 and "no such folder" in a.err
    for err in (a.err,):
        assert "Traceback" not in err


def test_a_package_is_not_written_over_another_file_unless_replace_says_so(laptops, tmp_path):
    a, b, _ = laptops
    assert a("demo") == 0
    wid = a.out.strip()
    other = tmp_path / "from-sandy.lwpkg"
    other.write_bytes(b"a teammate's changes, not brought in yet")
    for command in ("share", "send"):
        assert a(command, wid, other) == 1
        assert a.err.strip() == (f"error: {other}: a file is already there; nothing was written; choose another "
                                 "name, or add --replace to write over it")
        assert other.read_bytes() == b"a teammate's changes, not brought in yet"
    assert a("share", wid, other, "--replace") == 0 and a.out.startswith(f"wrote {other}")
    assert b("receive", other) == 0 and b.out.startswith("new ")
