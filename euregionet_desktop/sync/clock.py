"""Hybrid logical clock: wall-clock milliseconds with a counter, never going backwards."""

from __future__ import annotations

import time

COUNTER_BITS = 16


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: int, *, wall_ms: int | None = None) -> int:
    """The next local timestamp after ``last`` (a clock set back does not go backwards)."""
    candidate = (now_ms() if wall_ms is None else wall_ms) << COUNTER_BITS
    return candidate if candidate > last else last + 1


def receive(last: int, remote: int, *, wall_ms: int | None = None) -> int:
    """The local clock after seeing a remote timestamp: ahead of both."""
    return tick(max(last, remote), wall_ms=wall_ms)


def wall_time_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS
