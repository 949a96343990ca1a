"""The floor for the change-history benchmarks: the same services with nothing recorded.

:class:`NoHistory` stands in for :class:`walkthrough.services.history.Recorder`
in the services that record (observations, photos, actions, walkthroughs)
while :func:`without_history` is in force.  It keeps what those services
needed before the history existed — the operation's time (``utcnow()``, as
they stored it then) and whether anything changed — and records nothing: no
device row read, no clock, no JSON, no ``replaces`` look-up, no change rows.
Everything else (loading, checks, the ORM update or the executemany inserts,
the transaction and its ``synchronous=FULL`` commit) is the product's own
code, so the difference between the two sides is exactly the cost of the
history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from walkthrough.domain.changes import Entity, OpChanges
from walkthrough.domain.models import utcnow

#: The service modules that make a Recorder (each imported it by name).
_RECORDING_MODULES = ("observations", "photos", "actions", "walkthroughs")


class NoHistory:
    """The Recorder's interface, recording nothing (the services as they were before the history)."""

    def __init__(self, session: Session, walkthrough_id: str) -> None:
        self.session = session
        self.walkthrough_id = walkthrough_id
        self.now = utcnow()
        self.changed = False

    def created(self, entity: Entity, entity_id: str, values: Mapping[str, Any], *, parent: str | None = None) -> None:
        self.changed = True

    def set(self, entity: Entity, entity_id: str, field_name: str, value: Any, *, parent: str | None = None) -> None:
        self.changed = True

    def linked(self, entity: Entity, entity_id: str, field_name: str, added: Iterable[str],
               removed: Iterable[str] = ()) -> None:
        self.changed = self.changed or bool(list(added) or list(removed))

    def deleted(self, entity: Entity, entity_id: str, *, parent: str | None = None) -> None:
        self.changed = True

    def walkthrough_deleted(self) -> None:
        self.changed = True

    def picture_replaced(self, photo_id: str, picture: Mapping[str, Any], observation_id: str) -> None:
        self.changed = True

    def touch(self, entity: Entity, entity_id: str, field_name: str) -> None:
        pass

    def finish(self) -> OpChanges:
        return OpChanges()


@contextmanager
def without_history() -> Iterator[None]:
    """Inside the block the services record nothing (see :class:`NoHistory`)."""
    import importlib

    modules = [importlib.import_module(f"walkthrough.services.{name}") for name in _RECORDING_MODULES]
    saved = [m.Recorder for m in modules]
    for m in modules:
        m.Recorder = NoHistory
    try:
        yield
    finally:
        for m, recorder in zip(modules, saved):
            m.Recorder = recorder
