"""Tests for the dashboard's picture: indicator states against the plan, activity per month."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

from euregionet_desktop.services import records
from euregionet_desktop.services.dashboard import (
    DashboardPicture,
    IndicatorState,
    elapsed_share,
    indicator_state,
    period_target,
    picture,
    quarter_period,
    year_period,
)
from euregionet_desktop.services.profile import Core, office_id_for

Add = Callable[..., str]
# The programme's period on a new profile (its indicators'), 1249 days.
PROGRAMME = (dt.date(2017, 4, 1), dt.date(2020, 8, 31))
MID_2019 = dt.date(2019, 6, 30)  # 821 of 1249 days: 65.7 % of the programme gone


def read(core: Core, **kwargs) -> DashboardPicture:
    return core.backend.read(picture, **kwargs)


def indicator(data: DashboardPicture, code: str):
    return next(p for p in data.indicators if p.code == code)


def office(core: Core, code: str) -> str:
    return core.backend.read(office_id_for, code=code)


def partner_meetings(add: Add, *days: str) -> list[str]:
    return [add("event", kind="partner_meeting", title_pl=f"Rada {n}", starts_on=day)
            for n, day in enumerate(days)]


@pytest.mark.parametrize(("value", "target", "expected", "state"), [
    (0, 6, 3.9, IndicatorState.BEHIND),
    (3, 6, 3.9, IndicatorState.BEHIND),
    (4, 6, 3.9, IndicatorState.ON_TRACK),
    (0, 1, 0.0, IndicatorState.ON_TRACK),  # nothing is due yet
    (6, 6, 3.9, IndicatorState.REACHED),
    (1, 1, 1.0, IndicatorState.REACHED),
    (30, 20, 20.0, IndicatorState.OVER),
    (7, 6, 3.9, IndicatorState.OVER),
    (0, 0, 0.0, IndicatorState.NO_TARGET),
    (2, 0, 0.0, IndicatorState.NO_TARGET),
])
def test_indicator_state(value, target, expected, state):
    """Fewer than expected is behind, at least expected on track, the target reached, more over."""
    assert indicator_state(value, target, expected) is state


def test_elapsed_share_and_period_target():
    """The share runs 0 before the period to 1 after it; a part of the programme gets its
    share of the target, rounded, and a one-off in a quarter none."""
    assert elapsed_share(PROGRAMME, dt.date(2017, 3, 31)) == 0
    assert elapsed_share(PROGRAMME, PROGRAMME[0]) == pytest.approx(1 / 1249)
    assert elapsed_share(PROGRAMME, MID_2019) == pytest.approx(821 / 1249)
    assert elapsed_share(PROGRAMME, dt.date(2026, 1, 1)) == 1
    assert period_target(20, PROGRAMME, PROGRAMME) == 20
    assert period_target(20, PROGRAMME, (dt.date(2000, 1, 1), dt.date(2030, 1, 1))) == 20
    assert period_target(20, PROGRAMME, year_period(2019)) == 6  # 365/1249 of 20 = 5.8
    assert period_target(1, PROGRAMME, quarter_period(2019, 2)) == 0
    assert period_target(6, PROGRAMME, year_period(2016)) == 0
    assert quarter_period(2019, 4) == (dt.date(2019, 10, 1), dt.date(2019, 12, 31))
    assert quarter_period(2020, 1) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))


def test_states_with_an_injected_today(core: Core, add: Add):
    """Six partner meetings are the target: by mid-2019 3.9 are expected; 3 is behind,
    4 on track, 6 reached, 7 over; a meeting planned after today does not count yet."""
    partner_meetings(add, "2017-05-10", "2017-11-23", "2018-05-17")
    later = partner_meetings(add, "2019-09-01")[0]
    data = read(core, today=MID_2019)
    meetings = indicator(data, "partner_meetings")
    assert (meetings.value, meetings.target) == (3, 6)
    assert meetings.expected == pytest.approx(6 * 821 / 1249)
    assert meetings.state is IndicatorState.BEHIND
    # Each meeting counted, none with its evidence attached yet.
    assert meetings.with_evidence == 0 and len(meetings.evidence_missing) == 3
    partner_meetings(add, "2018-11-15")
    assert indicator(read(core, today=MID_2019), "partner_meetings").state \
        is IndicatorState.ON_TRACK
    partner_meetings(add, "2019-05-23", "2019-06-30")
    assert indicator(read(core, today=MID_2019), "partner_meetings").state \
        is IndicatorState.REACHED
    # The meeting of September counts once its day has come.
    assert indicator(read(core, today=dt.date(2019, 9, 1)), "partner_meetings").state \
        is IndicatorState.OVER
    core.backend.run(records.delete, entity="event", record_id=later)
    assert indicator(read(core, today=dt.date(2019, 9, 1)), "partner_meetings").value == 6


def test_the_period_changes_what_is_counted_and_the_target(core: Core, add: Add):
    """The year 2018 counts its own meetings against its share of the target; the programme
    counts them all; a quarter gives the one opening conference no target of its own."""
    partner_meetings(add, "2017-05-10", "2018-05-17", "2018-11-15", "2019-05-23")
    add("event", kind="opening_conference", title_pl="Otwarcie", starts_on="2017-06-22")
    today = dt.date(2026, 1, 1)
    programme = read(core, today=today)
    assert (programme.start, programme.end) == PROGRAMME
    assert indicator(programme, "partner_meetings").value == 4
    assert indicator(programme, "partner_meetings").state is IndicatorState.BEHIND
    year = read(core, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31), today=today)
    meetings = indicator(year, "partner_meetings")
    assert (year.start, year.end) == year_period(2018)
    assert (meetings.value, meetings.target, meetings.programme_target) == (2, 2, 6)
    assert meetings.state is IndicatorState.REACHED
    quarter = read(core, start=dt.date(2017, 4, 1), end=dt.date(2017, 6, 30), today=today)
    opening = indicator(quarter, "opening_conference")
    assert (opening.value, opening.target) == (1, 0)
    assert opening.state is IndicatorState.NO_TARGET
    assert indicator(quarter, "partner_meetings").value == 1
    # On 1 July 2018 the year's target of 2 expects 182/365 x 2 = 0.997: one is on track.
    half = read(core, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31),
                today=dt.date(2018, 7, 1))
    assert indicator(half, "partner_meetings").value == 1
    assert indicator(half, "partner_meetings").state is IndicatorState.ON_TRACK


def test_monthly_counts_match_the_records(core: Core, add: Add):
    """Each month of the period lists its consultations and events per office, as recorded;
    deleted records and records outside the period are left out; empty months are there."""
    bic, lop = office(core, "BIC"), office(core, "LOP")
    held = [("2018-01-03 09:00", bic), ("2018-01-31 23:30", bic), ("2018-01-15 10:00", lop),
            ("2018-03-01 00:00", lop), ("2017-12-31 23:59", bic), ("2018-04-01 08:00", lop)]
    for when, office_id in held:
        add("consultation", held_at=when, office_id=office_id)
    gone = add("consultation", held_at="2018-01-20 10:00", office_id=lop)
    core.backend.run(records.delete, entity="consultation", record_id=gone)
    add("consultation", held_at="2018-02-10 10:00")  # this installation's office: LOP
    add("event", kind="workshop", title_pl="Warsztaty", starts_on="2018-03-31", office_id=bic)
    add("event", kind="workshop", title_pl="Warsztaty 2", starts_on="2018-04-01", office_id=bic)
    data = read(core, start=dt.date(2018, 1, 1), end=dt.date(2018, 3, 31))
    assert [m.month for m in data.months] == [dt.date(2018, 1, 1), dt.date(2018, 2, 1),
                                              dt.date(2018, 3, 1)]
    assert data.offices == ("BIC", "CIT", "LOP", "SNB")
    expected = Counter((code, when[:7]) for when, office_id in held
                       for code in [{bic: "BIC", lop: "LOP"}[office_id]]
                       if "2018-01-01" <= when < "2018-04-01")
    expected["LOP", "2018-02"] += 1
    counted = Counter({(code, m.month.isoformat()[:7]): n
                       for m in data.months for code, n in m.consultations.items()})
    assert counted == expected
    assert data.months[0].consultations == {"BIC": 2, "LOP": 1}
    assert [dict(m.events) for m in data.months] == [{}, {}, {"BIC": 1}]


def test_a_new_profile_is_empty_until_something_is_recorded(core: Core, add: Add):
    """Nothing recorded: first steps; one cluster: the picture."""
    assert read(core).empty
    add("cluster", name_pl="Klaster", country="PL", kind="cluster")
    assert not read(core).empty

