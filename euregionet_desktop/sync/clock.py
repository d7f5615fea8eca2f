"""Hybrid logical clock: wall-clock milliseconds with a counter, never going backwards."""

from __future__ import annotations

import datetime as dt
import time

from euregionet_desktop.errors import NextStep, UserFacingError
from euregionet_desktop.i18n import _, format_date, ngettext

COUNTER_BITS = 16

# A wall clock outside these years is wrong, not early or late: no record of the programme
# (period from 2017) was written before 2015, and a laptop whose battery died reads 1970
# or 2000, one set by a typo reads 2206 or 9000. Writing with it would date every change
# wrongly at every office (the provisional winner is the highest clock), so writes are
# refused until the clock is set.
EARLIEST_MS = 1_420_070_400_000  # 2015-01-01T00:00:00Z
LATEST_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z

# How far ahead of this computer's clock a partner's clock readings may be (DESIGN §4).
# An installation hears every reading that arrives (``receive`` takes the maximum), so one
# clock a year ahead would date every office's later edits a year ahead and win every
# provisional-winner decision until real time caught up. Readings more than this ahead are
# refused, so no office's stamps run further ahead of the latest sane clock in the network.
# A day, because what is common and harmless must pass: a clock set to local time instead of
# UTC (a dual-boot laptop, up to ±14 h), a missed summer-time switch, minutes of drift; and
# a wrong date (a day, a month, a year) is caught at the first exchange. Bundles travel by
# mail or folder, never before they are written, so their delay does not count here.
MAX_AHEAD_MS = 24 * 60 * 60 * 1000

# No reading of a clock in the sane range (plus the offset it may be ahead) exceeds this;
# a larger one is damaged or hostile. Far below SQLite's 64-bit integers (2**63 - 1).
MAX_HLC = (LATEST_MS + MAX_AHEAD_MS) << COUNTER_BITS


class ClockError(UserFacingError):
    """This computer's clock (or the clock stored in the profile) cannot be right: nothing
    is written until it is."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def checked_wall_ms(wall_ms: int | None = None) -> int:
    """This computer's clock (or ``wall_ms``), refused with ClockError outside the sane
    years (EARLIEST_MS to LATEST_MS)."""
    wall = now_ms() if wall_ms is None else wall_ms
    if not EARLIEST_MS <= wall < LATEST_MS:
        raise ClockError(_(
            "This computer's clock says {date}, which cannot be right. Set the correct date "
            "and time and try again; nothing was saved.").format(date=_date_text(wall)))
    return wall


def tick(last: int, *, wall_ms: int | None = None) -> int:
    """The next local timestamp after ``last`` (a clock set back does not go backwards).

    Raises ClockError when the wall clock is outside the sane years or ``last`` (read from
    the profile) is not a reading this clock could have made.
    """
    wall = checked_wall_ms(wall_ms)
    if not 0 <= last <= MAX_HLC:
        raise ClockError(_(
            "The clock reading stored in this profile is damaged (out of range); "
            "nothing was saved. Restore a backup made before the damage."),
            next_step=NextStep.CHOOSE_BACKUP)
    candidate = wall << COUNTER_BITS
    return candidate if candidate > last else last + 1


def receive(last: int, remote: int, *, wall_ms: int | None = None) -> int:
    """The local clock after seeing a remote timestamp: ahead of both.

    A remote reading out of range (beyond MAX_HLC) is never taken: bundles refuse one
    before it gets here (``wire.is_hlc``, and more than MAX_AHEAD_MS ahead on import).
    """
    return tick(max(last, remote if 0 <= remote <= MAX_HLC else 0), wall_ms=wall_ms)


def wall_time_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS


def ahead_ms(hlc: int, *, wall_ms: int | None = None) -> int:
    """How far a clock reading is ahead of this computer's wall clock (<= 0: not ahead)."""
    return wall_time_ms(hlc) - (now_ms() if wall_ms is None else wall_ms)


def offset_text(ms: int) -> str:
    """“about 365 days” / “about 30 hours”: how far a clock is ahead, for a person."""
    hours = round(ms / 3_600_000)
    if hours < 48:
        return ngettext("about {count} hour", "about {count} hours", hours).format(count=hours)
    days = round(ms / 86_400_000)
    return ngettext("about {count} day", "about {count} days", days).format(count=days)


def _date_text(wall: int) -> str:
    try:
        return format_date(dt.datetime.fromtimestamp(wall / 1000, dt.UTC).date())
    except (OverflowError, ValueError, OSError):  # beyond what a date can hold
        return _("a date outside the years 1 to 9999")
