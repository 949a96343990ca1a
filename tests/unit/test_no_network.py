"""Nothing is sent anywhere: the headless flows never open a network connection."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import TEST_LENS_YAML
from tests.unit.test_cli import UUID, Cli


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way Python code reaches the network refuses, and is written down."""
    attempts: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def blocked(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network blocked by the test: {name}")

        return blocked

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_headless_flows_make_no_network_connection(
    network_attempts: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], _isolated_user_dirs: Path
) -> None:
    lenses = _isolated_user_dirs / "lenses"
    lenses.mkdir()
    (lenses / "test-lens.yaml").write_text(TEST_LENS_YAML, encoding="utf-8")
    photo = tmp_path / "reception.jpg"
    Image.new("RGB", (320, 240), "navy").save(photo)
    sheet = tmp_path / "in.csv"
    sheet.write_text("area,prompt,rating,principles,note,voice\nentrance,,working-well,,From a sheet,\n",
                     encoding="utf-8")
    cli = Cli(tmp_path / "w.sqlite3", capsys)

    def ok(*args: str | Path) -> str:
        assert cli(*args) == 0, cli.err
        return cli.out.strip()

    ok("lenses")
    ok("lens", "check", lenses / "test-lens.yaml")
    wid = ok("new", "--lens", "test-lens", "--service", "S", "--site", "T", "--participant", "Sandy=lived-experience")
    assert UUID.match(wid)
    ok("observe", wid, "--area", "reception", "--rating", "priority-concern", "--note", "Overheard",
       "--photo", photo)
    ok("import-csv", wid, sheet)
    ok("export-csv", wid, tmp_path / "out.csv")
    ok("photos", "export", wid, tmp_path / "photos")
    ok("list")
    ok("report", wid, "-o", tmp_path / "report.pdf")
    assert UUID.match(ok("demo"))
    ok("check")
    backup = Path(ok("backup"))
    ok("backups")
    ok("copy-db", tmp_path / "copy.sqlite3")
    ok("restore", backup)
    ok("--read-only", "list")

    assert network_attempts == []


def test_the_guard_itself_catches_a_connection(network_attempts: list[str]) -> None:
    with pytest.raises(OSError, match="network blocked"):
        socket.create_connection(("example.org", 443), timeout=1)
    with pytest.raises(OSError, match="network blocked"):
        socket.socket().connect(("192.0.2.1", 80))
    assert len(network_attempts) == 2
