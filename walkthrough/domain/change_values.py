"""What a ``create`` change holds for each kind of thing, declared once.

The services record these fields when they make a thing (and when undo puts
one back), the upgrade that started the history records them for the rows
already stored, and replaying the history builds rows from them.  Each
``create`` value also holds ``created_at`` and ``updated_at`` (a photo only
``created_at``).  The other times stored follow from the changes, by these
rules, which the services keep and a replay applies:

1. Every operation in a walkthrough moves the walkthrough's ``updated_at``
   to the operation's time (never back).
2. A ``set``, ``link`` or ``unlink`` of an observation or an action moves its
   ``updated_at`` to the operation's time.
3. A photo made, changed or deleted moves its observation's ``updated_at``
   to the operation's time, unless the observation was made by the same
   operation.

An operation's time is the wall time of its first change's clock.  (Its
other changes have the same wall time, unless it made more than a hundred
thousand changes, which overflow the clock's counter into the next
microsecond: a large CSV import.)  A change whose content was erased since
(its thing was deleted later) still counts for these rules: its thing, its
parent and its clock stay.

A service's changes are kept under the service's own id (the change's
``walkthrough_id`` is the service's): a service belongs to no one
walkthrough.  Rule 1 does not reach it; a ``set`` of a service moves the
service's ``updated_at`` as rule 2 says of observations and actions.

A photo's ``picture`` is its stored JPEG's ``{"sha256", "width", "height"}``:
the pixels themselves are not history, they are kept once, in the photo.
Blurring a photo records a new ``picture`` and erases the earlier ones.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

from walkthrough.domain.changes import Entity
from walkthrough.domain.fields import (
    ACTION_FIELDS,
    OBSERVATION_FIELDS,
    PHOTO_FIELDS,
    SERVICE_FIELDS,
    WALKTHROUGH_FIELDS,
    history_names,
)

__all__ = ["CREATE_FIELDS", "LATEST_WINS", "LINK_FIELDS", "PICTURE", "SET_ONLY_FIELDS", "TIMESTAMPS"]

TIMESTAMPS = ("created_at", "updated_at")

#: The fields a ``create`` change holds, by kind of thing (besides :data:`TIMESTAMPS`): those
#: declared ``history`` in :mod:`walkthrough.domain.fields`.
CREATE_FIELDS: dict[Entity, tuple[str, ...]] = {
    Entity.WALKTHROUGH: history_names(WALKTHROUGH_FIELDS),
    Entity.OBSERVATION: history_names(OBSERVATION_FIELDS),
    Entity.PHOTO: history_names(PHOTO_FIELDS),
    Entity.ACTION: history_names(ACTION_FIELDS),
    Entity.SERVICE: history_names(SERVICE_FIELDS),
}

#: Fields recorded only by ``set`` changes, in the same operation as the thing's ``create``
#: when it has them from the start: a walkthrough's service and the walk it follows up came
#: after histories (and laptops) whose ``create`` holds the fields above, and an old create
#: stays valid as it is.  A walkthrough made without them has them empty.
SET_ONLY_FIELDS: dict[Entity, tuple[str, ...]] = {
    Entity.WALKTHROUGH: ("service_id", "follows_id"),
}

#: Fields that hold a set of linked ids, changed by ``link`` and ``unlink`` changes.
LINK_FIELDS = frozenset({"principle_ids", "observation_ids"})

#: Fields where concurrent changes are never a difference to decide: the latest wins (order on screen).
LATEST_WINS = frozenset({"position"})

#: The photo field that names its stored picture.
PICTURE = "picture"
