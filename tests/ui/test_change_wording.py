"""A recorded change in words, as the history window shows it."""

from __future__ import annotations

import datetime as dt

from walkthrough.domain.changes import Change, ChangeKind, Entity
from walkthrough.domain.clock import Clock
from walkthrough.gui.change_wording import describe_change


def change(entity: Entity, kind: ChangeKind, field: str | None, value, erased: bool = False) -> Change:
    return Change(id="c", device_id="d", device_name="Laptop", person="", seq=1,
                  clock=Clock(int(dt.datetime(2026, 12, 7, 12, tzinfo=dt.timezone.utc).timestamp() * 1e6), 0),
                  walkthrough_id="w", entity=entity, entity_id="x", parent_id=None, kind=kind, field=field,
                  value=value, erased=erased)


def test_lens_labels_and_the_apps_words_name_the_values(qapp, test_lens) -> None:
    rating = test_lens.ratings[1]
    assert describe_change(change(Entity.OBSERVATION, ChangeKind.SET, "rating_id", rating.id), test_lens).text == \
        f"Rating set to “{rating.label}”"
    assert describe_change(change(Entity.OBSERVATION, ChangeKind.SET, "rating_id", None), test_lens).text == \
        "Rating set to “Not rated yet”"
    assert describe_change(change(Entity.ACTION, ChangeKind.SET, "status", "done"), test_lens).text == \
        "Status set to Done"
    assert describe_change(change(Entity.ACTION, ChangeKind.SET, "due_date", None), test_lens).text == \
        "Due date removed"
    principle = test_lens.principles[0]
    assert describe_change(change(Entity.OBSERVATION, ChangeKind.UNLINK, "principle_ids", principle.id),
                           test_lens).text == f"Principles: {principle.name} removed"
    assert describe_change(change(Entity.PHOTO, ChangeKind.SET, "picture", None, erased=True), test_lens).text == \
        "Picture changed (content erased)"
