"""The retention rule (services.retention): when a contact person is due for review, what
counts as their last activity, and what the review says when it cannot apply."""

from __future__ import annotations

import datetime as dt

import pytest

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services import erasure, merging, notes, records, retention
from euregionet_desktop.services.programme import programme_settings, update_programme

D = dt.date
TODAY = dt.date.today()  # the day the test's records are added (their creation)


def _set(core, **values) -> None:
    core.backend.run(update_programme, profile=core.profile, values=values)


def _review(core, today: dt.date) -> retention.RetentionReview:
    return core.backend.read(retention.due_for_review, today=today)


def _due(core, today: dt.date) -> dict[str, retention.RetentionItem]:
    return {item.id: item for item in _review(core, today).items}


@pytest.mark.parametrize(("last", "end", "years", "due"), [
    (D(2020, 8, 31), D(2020, 8, 31), 5, D(2025, 8, 31)),  # exactly N years later
    (D(2019, 1, 10), D(2020, 8, 31), 5, D(2025, 8, 31)),  # the programme's end is later
    (D(2023, 3, 1), D(2020, 8, 31), 5, D(2028, 3, 1)),  # activity after the end
    (D(2020, 2, 29), D(2017, 1, 1), 1, D(2021, 2, 28)),  # a leap day, a common year
    (D(2020, 2, 29), D(2017, 1, 1), 4, D(2024, 2, 29)),  # a leap day, a leap year
    (D(2020, 2, 29), D(2017, 1, 1), 0, D(2020, 2, 29)),  # no years: at once
])
def test_due_since_counts_whole_years_from_the_later_date(last, end, years, due):
    """N years after the later of the last activity and the programme's end; 29 February
    falls on 28 February in a common year."""
    assert retention.due_since(last_activity=last, programme_end=end, years=years) == due


def test_a_contact_is_due_exactly_n_years_after_its_last_activity(core, add):
    """Added today under a 3-year rule with the end in the past: not due the day before
    the third anniversary, due on it (and later)."""
    _set(core, period_end="2020-08-31", retention_contact_years="3")
    person = add("contact", first_name="Ewa", last_name="Kowal")
    anniversary = retention.add_years(TODAY, 3)
    assert person not in _due(core, anniversary - dt.timedelta(days=1))
    item = _due(core, anniversary)[person]
    assert (item.due_since, item.last_activity, item.activity) == (anniversary, TODAY,
                                                                   "created")
    assert person in _due(core, anniversary + dt.timedelta(days=400))


def test_the_programme_end_counts_when_it_is_later_than_the_activity(core, add):
    """With the programme ending in the future, a person untouched since today is due only
    N years after that end."""
    end = TODAY + dt.timedelta(days=100)
    _set(core, period_end=end.isoformat(), retention_contact_years="1")
    person = add("contact", last_name="Spät")
    assert person not in _due(core, retention.add_years(TODAY, 1))
    assert _due(core, retention.add_years(end, 1))[person].due_since == \
        retention.add_years(end, 1)


def test_every_kind_of_activity_moves_the_last_activity(core, add, monkeypatch):
    """A consultation naming the person, an event they took part in, a membership joined
    and left, a task about them, their consent date and a note about them each count (the
    latest wins), a deleted consultation does not, and neither does another person's
    activity."""
    _set(core, period_end="2020-08-31", retention_contact_years="2")
    later = {name: TODAY + dt.timedelta(days=days) for name, days in (
        ("consultation", 10), ("event", 20), ("joined", 30), ("left", 40), ("task", 50),
        ("consent", 60), ("note", 70))}
    people = {name: add("contact", last_name=f"Person {name}") for name in later}
    bystander = add("contact", last_name="Bystander")
    cluster = add("cluster", name_pl="Klaster", country="PL")
    add("consultation", held_at=f"{later['consultation']} 10:00",
        contact_ids=[people["consultation"]])
    gone = add("consultation", held_at=f"{TODAY + dt.timedelta(days=900)} 10:00",
               contact_ids=[people["consultation"], bystander])
    core.backend.run(records.delete, entity="consultation", record_id=gone)
    event = add("event", kind="workshop", title_pl="Warsztaty",
                starts_on=later["event"].isoformat())
    add("participant", event_id=event, contact_id=people["event"])
    add("membership", cluster_id=cluster, contact_id=people["joined"], role="member",
        joined_on=later["joined"].isoformat())
    add("membership", cluster_id=cluster, contact_id=people["left"], role="member",
        joined_on="2018-01-01", left_on=later["left"].isoformat())
    add("task", title="Oddzwonić", contact_id=people["task"],
        due_on=later["task"].isoformat())
    core.backend.run(records.update_record, entity="contact", record_id=people["consent"],
                     values={"consent_status": "given",
                             "consent_on": later["consent"].isoformat()})
    with monkeypatch.context() as patch:  # a note dated as if written then
        patch.setattr(records, "now_iso", lambda: f"{later['note']}T10:00:00+00:00")
        core.backend.run(notes.add_note, entity="contact", record_id=people["note"],
                         body="Prefers calls in the afternoon.")
    due = _due(core, TODAY + dt.timedelta(days=3 * 366))
    for kind, day in later.items():
        assert (due[people[kind]].activity, due[people[kind]].last_activity) == (kind, day)
        assert due[people[kind]].due_since == retention.add_years(day, 2)
    assert due[bystander].last_activity == TODAY
    # Between the anniversaries: the earliest activity is due, the latest not yet.
    between = _due(core, retention.add_years(later["joined"], 2))
    assert people["consultation"] in between and people["consent"] not in between


def test_an_edit_of_the_record_counts_as_activity(core, add):
    """A change written later (its clock's day) moves the last activity."""
    _set(core, period_end="2020-08-31", retention_contact_years="1")
    person = add("contact", last_name="Edited")
    core.backend.run(records.update_record, entity="contact", record_id=person,
                     values={"function": "CEO"})
    item = _due(core, retention.add_years(TODAY, 1))[person]
    assert item.last_activity == TODAY and item.activity in {"created", "changed"}


def test_the_review_lists_name_organisation_and_deleted_persons(core, add):
    """Name and organisation as the lists show them; a deleted (not erased) person is due
    too, marked: their data is still held."""
    _set(core, period_end="2020-08-31", retention_contact_years="0")
    organisation = add("organisation", name="Lubuska Sp. z o.o.", country="PL")
    person = add("contact", title="dr", first_name="Jan", last_name="Łącki",
                 organisation_id=organisation)
    deleted = add("contact", last_name="Usunięty")
    core.backend.run(records.delete, entity="contact", record_id=deleted)
    due = _due(core, TODAY)
    assert (due[person].name, due[person].organisation, due[person].deleted) == (
        "dr Jan Łącki", "Lubuska Sp. z o.o.", False)
    assert due[deleted].deleted and due[deleted].organisation is None


def test_a_merged_away_record_is_not_listed_its_survivor_is(core, add):
    """Two records merged are one person: only the survivor is listed."""
    _set(core, period_end="2020-08-31", retention_contact_years="0")
    keep = add("contact", first_name="Anna", last_name="Nowak")
    other = add("contact", first_name="Anna", last_name="Nowak")
    core.backend.run(merging.merge, entity="contact", survivor_id=keep, other_ids=[other])
    due = _due(core, TODAY)
    assert keep in due and other not in due


@pytest.mark.parametrize(("values", "reason"), [
    ({"retention_contact_years": ""}, retention.NO_YEARS),
    ({"retention_contact_years": "5", "period_end": ""}, retention.NO_END),
])
def test_without_a_setting_or_an_end_nothing_is_due_and_the_review_says_why(
        core, add, values, reason):
    """No years set, or no programme end: no one is due, and the gap names the setting to
    fill in."""
    _set(core, **values)
    add("contact", last_name="Alt")
    review = _review(core, TODAY + dt.timedelta(days=100 * 366))
    assert review.items == ()
    assert [gap.reason for gap in review.gaps] == [reason]
    assert "programme settings" in review.gaps[0].text


@pytest.mark.parametrize("typed", ["-1", "51", "500", "five", "2.5"])
def test_an_absurd_retention_period_is_refused_and_nothing_changes(core, typed):
    """Negative, more than 50 years, or not a whole number: refused with a message naming
    the field; the stored setting stays."""
    _set(core, retention_contact_years="5")
    with pytest.raises(ValidationError) as refused:
        _set(core, retention_contact_years=typed)
    assert refused.value.field == "retention_contact_years"
    assert core.backend.read(programme_settings).values["retention_contact_years"] == 5


def test_the_bounds_are_accepted(core):
    for years in ("0", "50"):
        _set(core, retention_contact_years=years)
        assert core.backend.read(programme_settings).values["retention_contact_years"] == \
            int(years)


def test_erase_due_refuses_a_person_not_due_and_erases_nothing(core, add):
    """One id not due refuses the whole step: the due person stays too."""
    _set(core, period_end="2020-08-31", retention_contact_years="0")
    due = add("contact", last_name="Due")
    busy = add("contact", last_name="Busy")
    add("task", title="Later", contact_id=busy,
        due_on=(TODAY + dt.timedelta(days=30)).isoformat())
    with pytest.raises(ValidationError, match="not due"):
        core.backend.run(retention.erase_due, profile=core.profile, record_ids=[due, busy],
                         today=TODAY)
    assert core.backend.read(erasure.erasure_count) == 0
    changes = core.backend.run(retention.erase_due, profile=core.profile, record_ids=[due],
                               today=TODAY)
    assert due in changes.record_ids
    assert core.backend.read(retention.due_for_review, today=TODAY).items == ()
