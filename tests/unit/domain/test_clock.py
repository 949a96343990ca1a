"""The hybrid logical clock: never backwards, sorts as text, not dragged along by a wrong clock."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkthrough.domain.clock import MAX_AHEAD, Clock, from_datetime, receive, tick

walls = st.integers(min_value=0, max_value=10**16)


@given(st.lists(walls, min_size=1, max_size=50))
def test_a_clock_never_goes_backwards_whatever_the_computer_says(readings: list[int]) -> None:
    clock = None
    for wall in readings:
        later = tick(clock, wall)
        assert clock is None or later > clock
        assert later.wall >= wall
        clock = later


@given(walls, st.integers(0, 99_999), walls, st.integers(0, 99_999))
def test_the_text_sorts_as_the_clock_and_reads_back(w1: int, c1: int, w2: int, c2: int) -> None:
    a, b = Clock(w1, c1), Clock(w2, c2)
    assert Clock.parse(a.text) == a
    assert (a < b) == (a.text < b.text)


def test_a_clock_keeps_its_time_in_utc() -> None:
    moment = dt.datetime(2026, 12, 7, 20, 45, 6, 123456, tzinfo=dt.timezone.utc)
    assert Clock(from_datetime(moment)).time == moment
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    assert from_datetime(local) == from_datetime(moment)


@pytest.mark.parametrize("text", ["", "1.2", "0000000000000000a.00000", "00000000000000001-00000",
                                  "00000000000000001.0000"])
def test_text_that_is_not_a_clock_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Clock.parse(text)


def test_a_change_seen_from_another_device_moves_the_clock_past_it() -> None:
    ours = Clock(1_000)
    theirs = Clock(5_000, 3)
    after = receive(ours, theirs, wall_now=2_000)
    assert after > theirs and tick(after, 2_000) > theirs


def test_a_device_whose_clock_is_far_ahead_does_not_drag_ours_along() -> None:
    now = 10**15
    far = Clock(now + int(MAX_AHEAD.total_seconds() * 1_000_000) + 1)
    after = receive(Clock(now - 5), far, wall_now=now)
    assert after == Clock(now)


def test_one_operation_s_clocks_count_on_as_tick_gives_them_past_a_full_counter() -> None:
    from walkthrough.domain.clock import ticks_from

    first = Clock(1_765_000_000_000_000, 99_997)
    texts, clock = ticks_from(first), first
    for _ in range(6):
        assert next(texts) == clock.text
        clock = tick(clock, first.wall)
