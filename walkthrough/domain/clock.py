"""A hybrid logical clock: when a change was made, in an order every device agrees on.

Each change in the history carries a :class:`Clock`: the wall time of the
device that made it (microseconds since 1970, UTC) and a counter.  A clock
never goes backwards on a device: when the computer's own clock is behind the
last change (set wrong, or changed by hand, or a change came in from a laptop
whose clock runs fast) the clock keeps the last wall time and counts up
instead.  Clocks from several devices sort together; ties between devices are
broken by the device id where an order is needed.

The text form (``"01733600000000000.00000"``) sorts as the clock does, so
the database can order by it.  Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Clock", "MAX_AHEAD", "from_datetime", "now_micros", "receive", "tick", "ticks_from"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_WALL_DIGITS = 17
_COUNTER_DIGITS = 5
#: A change from another device more than this far ahead of our own clock is
#: not followed (its device's clock is wrong); see :func:`receive`.
MAX_AHEAD = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Clock:
    """A point of a hybrid logical clock: wall time in microseconds (UTC), then a counter."""

    wall: int
    counter: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.wall < 10**_WALL_DIGITS or not 0 <= self.counter < 10**_COUNTER_DIGITS:
            raise ValueError(f"clock out of range: {self.wall}.{self.counter}")

    @property
    def text(self) -> str:
        """The stored form, which sorts as the clock does."""
        return f"{self.wall:0{_WALL_DIGITS}d}.{self.counter:0{_COUNTER_DIGITS}d}"

    @classmethod
    def parse(cls, text: str) -> Clock:
        """The clock written by :attr:`text`.

        Raises:
            ValueError: not a clock's text.
        """
        wall, dot, counter = text.partition(".")
        if not dot or len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS \
                or not wall.isdigit() or not counter.isdigit():
            raise ValueError(f"not a clock: {text!r}")
        return cls(int(wall), int(counter))

    @property
    def time(self) -> dt.datetime:
        """The wall time, aware, in UTC."""
        return _EPOCH + dt.timedelta(microseconds=self.wall)


def now_micros() -> int:
    """The computer's clock now, in microseconds since 1970 (UTC)."""
    return from_datetime(dt.datetime.now(dt.timezone.utc))


def from_datetime(moment: dt.datetime) -> int:
    """An aware datetime in microseconds since 1970 (UTC)."""
    delta = moment.astimezone(dt.timezone.utc) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def tick(last: Clock | None, wall_now: int) -> Clock:
    """The clock of a new local change: later than ``last`` and, where the computer allows, its wall time now."""
    if last is None or wall_now > last.wall:
        return Clock(wall_now)
    if last.counter + 1 < 10**_COUNTER_DIGITS:
        return Clock(last.wall, last.counter + 1)
    return Clock(last.wall + 1)  # a hundred thousand changes in one microsecond: move on by one


def ticks_from(first: Clock) -> Iterator[str]:
    """The texts of ``first`` and of each clock after it that :func:`tick` gives while the wall time stays.

    One operation's changes: its first clock, then counting on (no clock
    object or check a change, for an import of a hundred thousand).
    """
    wall, counter, limit = first.wall, first.counter, 10**_COUNTER_DIGITS
    while True:
        yield f"{wall:0{_WALL_DIGITS}d}.{counter:0{_COUNTER_DIGITS}d}"
        counter += 1
        if counter == limit:  # as tick: a hundred thousand changes in one microsecond, move on by one
            wall, counter = wall + 1, 0


def receive(last: Clock | None, remote: Clock, wall_now: int) -> Clock:
    """Our clock after taking in a change stamped ``remote`` from another device.

    The clock moves past ``remote`` so that what we do next sorts after what
    we have seen.  A ``remote`` more than :data:`MAX_AHEAD` ahead of the
    computer's clock is not followed: one laptop with its clock set a year
    ahead must not drag every device's clock along with it.
    """
    limit = wall_now + int(MAX_AHEAD.total_seconds() * 1_000_000)
    if remote.wall > limit:
        return tick(last, wall_now)
    latest = max(c for c in (last, remote) if c is not None)
    return tick(latest, wall_now)
