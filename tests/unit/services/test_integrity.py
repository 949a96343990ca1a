"""``walkthrough check``'s look at the data itself (the backup side is in test_backups.py)."""

from __future__ import annotations

import sqlite3

from walkthrough.services.actions import NewAction, add_action
from walkthrough.services.integrity import check_database
from walkthrough.services.observations import NewObservation, add_observation


def test_check_names_every_area_prompt_rating_and_principle_its_lens_does_not_have(db, walkthrough_id) -> None:
    obs = add_observation(db, walkthrough_id, NewObservation("entrance", "working-well", "entrance-clear"))
    action = add_action(db, walkthrough_id, NewAction("Fix the sign", principle_ids=("safety",)))
    assert check_database(db).healthy
    conn = sqlite3.connect(db.path)
    with conn:  # as another program, or a hand-edited file, might leave them
        conn.execute("UPDATE observation SET prompt_id = 'letters-plain'")  # another area's prompt
        conn.execute("INSERT INTO observation_principle VALUES (?, 'kindness')", (obs.id,))
        conn.execute("UPDATE action_principle SET principle_id = 'speed'")
    conn.close()

    problems = check_database(db).problems
    assert f"observation {obs.id}: prompt 'letters-plain' is not in its area of its lens" in problems
    assert f"observation {obs.id}: principle 'kindness' is not in its lens" in problems
    assert f"action {action.id}: principle 'speed' is not in its lens" in problems
    assert len(problems) == 3
