"""Whatever was reported as saved survives kill -9 at any moment.

A writer process records observations with a photo, one transaction each,
and prints each id only after its commit returned (the moment the app shows
"Saved").  The test kills it with SIGKILL at random moments, then checks the
database is whole and every acknowledged observation and its photo is there.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, TEST_LENS_YAML

WRITER = r"""
import io, sys
from PIL import Image
from walkthrough.domain.lens import parse_lens
from walkthrough.services.observations import NewObservation, add_observation
from walkthrough.services.photo_intake import prepare_photo
from walkthrough.services.walkthroughs import create_walkthrough, list_walkthroughs
from walkthrough.storage.database import open_database

db = open_database(sys.argv[1])
existing = list_walkthroughs(db)
wid = existing[0].id if existing else create_walkthrough(db, parse_lens(sys.argv[2], "t.yaml"), service="S", site="T").id
buffer = io.BytesIO()
Image.new("RGB", (640, 480), "teal").save(buffer, "JPEG")
photo = prepare_photo(buffer.getvalue(), "p.jpg")
n = 0
while True:
    n += 1
    record = add_observation(db, wid, NewObservation("entrance", "working-well", note=f"note {n}", photos=(photo,)))
    print(record.id, flush=True)   # acknowledged: only after the commit returned
"""


@pytest.mark.slow
def test_every_acknowledged_observation_survives_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    env = {**os.environ, "WALKTHROUGH_HOME": str(tmp_path / "home"), "PYTHONPATH": str(PROJECT_ROOT)}
    rng = random.Random(1129)
    acknowledged: list[str] = []
    for _round in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), TEST_LENS_YAML], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        wanted = rng.randint(1, 25)
        deadline = time.monotonic() + 60
        got = 0
        while got < wanted and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(line.strip())
            got += 1
        time.sleep(rng.uniform(0, 0.05))  # land somewhere inside the next transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert got > 0, proc.stderr.read() if proc.stderr else ""

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            stored = {row[0] for row in conn.execute("SELECT id FROM observation")}
            with_photo = {row[0] for row in conn.execute("SELECT observation_id FROM photo")}
        finally:
            conn.close()
        missing = [oid for oid in acknowledged if oid not in stored or oid not in with_photo]
        assert not missing, f"round {_round}: {len(missing)} acknowledged observations lost"
    assert len(acknowledged) >= 8
