"""Writes the package files kept here: one of each package format as released, so old packages always open.

Run from the project root when a new package format is released, adding its
files beside the earlier ones (never replacing them):

    python -m tests.unit.services.packages.make
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent
PASSPHRASE = "kirkwall harbour"


def main() -> None:
    from tests.conftest import TEST_LENS_YAML
    from walkthrough.domain.lens import parse_lens
    from walkthrough.domain.records import TeamMember
    from walkthrough.domain.vocabulary import ActionStatus, Role
    from walkthrough.services import actions, exchange, observations, walkthroughs
    from walkthrough.services.observations import NewObservation
    from walkthrough.services.photo_intake import prepare_photo
    from walkthrough.storage import package_file
    from walkthrough.storage.database import open_database

    package_file.SCRYPT_N = 2**10  # a cheap seal: the tests open it often
    buffer = io.BytesIO()
    Image.effect_noise((120, 90), 40).convert("RGB").save(buffer, "JPEG")
    with tempfile.TemporaryDirectory() as folder, open_database(Path(folder) / "w.sqlite3") as db:
        lens = parse_lens(TEST_LENS_YAML, "test-lens.yaml")
        w = walkthroughs.create_walkthrough(db, lens, service="Harbour Street Health Centre", site="Kirkvellan",
                                            facilitators=["Morag"], participants=[TeamMember("Sandy",
                                                                                             Role.LIVED_EXPERIENCE)])
        kept = observations.add_observation(db, w.id, NewObservation(
            "entrance", "could-be-better", prompt_id="entrance-clear", note="No sign from the road — Sandy 🙂",
            photos=(prepare_photo(buffer.getvalue(), "road.jpg"),)))
        gone = observations.add_observation(db, w.id, NewObservation("letters", None, note="to be deleted"))
        observations.update_observation(db, kept.id, principle_ids=["safety", "trust"])
        action = actions.add_action(db, w.id, actions.NewAction("Put a sign at the road end",
                                                                observation_ids=(kept.id,)))
        actions.update_action(db, action.id, status=ActionStatus.IN_PROGRESS)
        observations.delete_observation(db, gone.id)
        version = package_file.FORMAT
        exchange.share_walkthrough(db, w.id, HERE / f"format-{version}-join.lwpkg")
        exchange.share_walkthrough(db, w.id, HERE / f"format-{version}-sealed.lwpkg", passphrase=PASSPHRASE)


if __name__ == "__main__":
    main()
