"""The hybrid clock's bounds (sync/clock.py): sane years, stored readings, heard readings."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text, update

from euregionet_desktop import i18n
from euregionet_desktop.services import records
from euregionet_desktop.storage.models import LocalState
from euregionet_desktop.sync import clock, wire

SOME_DAY_MS = 1_700_000_000_000  # 2023-11-14


def _ms(year: int, month: int = 1, day: int = 1) -> int:
    return int(dt.datetime(year, month, day, tzinfo=dt.UTC).timestamp() * 1000)


@pytest.mark.parametrize("wall_ms", [_ms(9000), _ms(2100), _ms(2014, 12, 31), 0, -1,
                                     2**62, -(2**62)])
def test_tick_refuses_a_wall_clock_outside_the_sane_years(wall_ms):
    """A wall clock before 2015 or from 2100 on raises ClockError (a UserFacingError with a
    readable date), never an OverflowError or a stamp SQLite cannot store."""
    with pytest.raises(clock.ClockError, match="clock says") as caught:
        clock.tick(0, wall_ms=wall_ms)
    assert isinstance(caught.value, clock.UserFacingError)


@pytest.mark.parametrize("wall_ms", [_ms(2015), _ms(2099, 12, 31), SOME_DAY_MS])
def test_tick_takes_a_wall_clock_inside_the_sane_years(wall_ms):
    """Positive control: the first and last sane days tick as before."""
    assert clock.wall_time_ms(clock.tick(0, wall_ms=wall_ms)) == wall_ms


@pytest.mark.parametrize("last", [clock.MAX_HLC + 1, 2**63 - 1, -1])
def test_tick_refuses_a_stored_reading_out_of_range(last):
    """A stored last reading no sane clock could have made is damage: ClockError."""
    with pytest.raises(clock.ClockError, match="damaged"):
        clock.tick(last, wall_ms=SOME_DAY_MS)


def test_every_sane_reading_fits_in_sqlite():
    """The bound itself: the last sane day plus the offset, with a full counter, is within
    MAX_HLC, and MAX_HLC within SQLite's 64-bit integers."""
    latest = clock.tick(0, wall_ms=clock.LATEST_MS - 1) + (1 << clock.COUNTER_BITS) - 2
    assert latest <= clock.MAX_HLC < 2**63 - 1
    assert wire.is_hlc(clock.MAX_HLC) and not wire.is_hlc(clock.MAX_HLC + 1)
    assert not wire.is_hlc(True) and not wire.is_hlc(-1) and not wire.is_hlc(1.0)


@pytest.mark.parametrize("remote", [2**63 - 1, clock.MAX_HLC + 1, -5])
def test_receive_never_hears_a_reading_out_of_range(remote):
    """A hostile reading that got this far is not taken: the clock moves as if it had not
    been heard, and nothing overflows."""
    last = clock.tick(0, wall_ms=SOME_DAY_MS)
    assert clock.receive(last, remote, wall_ms=SOME_DAY_MS) == last + 1


def test_offset_is_said_in_hours_then_days():
    """Up to two days in hours, then in days; ngettext picks the plural."""
    assert clock.offset_text(25 * 3_600_000) == "about 25 hours"
    assert clock.offset_text(clock.MAX_AHEAD_MS + 1) == "about 24 hours"
    assert clock.offset_text(2 * 86_400_000) == "about 2 days"
    assert clock.offset_text(365 * 86_400_000 - 5_000) == "about 365 days"


def test_offset_is_translated():
    """Polish and German forms of the offset (Polish: genitive after “około”)."""
    previous = i18n.current_language()
    try:
        i18n.set_language("pl")
        assert clock.offset_text(365 * 86_400_000) == "około 365 dni"
        assert clock.offset_text(30 * 3_600_000) == "około 30 godzin"
        i18n.set_language("de")
        assert clock.offset_text(365 * 86_400_000) == "etwa 365 Tage"
    finally:
        i18n.set_language(previous)


def test_a_write_with_a_clock_in_the_year_9000_changes_nothing(core, monkeypatch):
    """Through the service the window uses: ClockError, and the data, the change log and
    the stored clock stay as they were (once an OverflowError from SQLite)."""
    monkeypatch.setattr(clock, "now_ms", lambda: _ms(9000))
    before = core.backend.read(_snapshot)
    with pytest.raises(clock.ClockError):
        core.backend.run(records.create, entity="contact", values={"last_name": "Kowalski"})
    assert core.backend.read(_snapshot) == before


def test_a_damaged_stored_clock_refuses_a_write(core):
    """A stored reading of 2**63 - 1 refuses the next write; nothing changes."""
    core.backend.run(lambda session: session.execute(
        update(LocalState.__table__).values(last_hlc=2**63 - 1)))
    before = core.backend.read(_snapshot)
    with pytest.raises(clock.ClockError, match="damaged"):
        core.backend.run(records.create, entity="contact", values={"last_name": "Kowalski"})
    assert core.backend.read(_snapshot) == before


def _snapshot(session) -> tuple:
    return (session.execute(text("SELECT count(*) FROM change_log")).scalar(),
            session.execute(text("SELECT count(*) FROM contact")).scalar(),
            session.execute(text("SELECT last_hlc, last_seq FROM local_state")).one())
