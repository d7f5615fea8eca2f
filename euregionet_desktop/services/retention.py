"""Retention review (GDPR storage limitation): the persons kept longer than the programme's
retention setting allows since their last activity, and their erasure in bulk through the
normal erasure (services.erasure), with the reason ``gdpr_retention``.

A record of a kind is due for review when ``max(programme end, last activity) + N years``
is today or earlier, N being that kind's setting on the programme record. The kinds and
what counts as their activity are declared once, in ``RULES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain import programme
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import N_, _, ngettext, sort_key
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import erasure
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import Change, Organisation, Programme
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.redirects import compute

CHANGES = Change.__table__
REASON = "gdpr_retention"  # the erasure's reason code (sync.wire.ERASURE_REASONS)

# What a person's last activity was (RetentionItem.activity), as the review names it.
ACTIVITY_LABELS: dict[str, str] = {
    "created": N_("Added to the profile"),
    "changed": N_("Record last changed"),
    "consent": N_("Consent date"),
    "consultation": N_("Consultation"),
    "event": N_("Event"),
    "joined": N_("Joined a cluster"),
    "left": N_("Left a cluster"),
    "task": N_("Task due"),
    "note": N_("Note"),
}


@dataclass(frozen=True)
class Activity:
    """Records of ``entity`` that name a person in ``person_field`` (a reference, or a list
    of them: ``listed``) and date an activity of theirs in ``date_field``; with ``through``
    (a reference field and its entity) the date is that record's (a participant's event)."""

    kind: str  # ACTIVITY_LABELS key
    entity: str
    person_field: str
    date_field: str
    listed: bool = False
    through: tuple[str, str] | None = None


@dataclass(frozen=True)
class RetentionRule:
    """One kind of record kept under a retention setting."""

    entity: str  # the records reviewed
    years_field: str  # the programme's field holding N
    own_dates: tuple[tuple[str, str], ...]  # (activity kind, the record's own date field)
    activities: tuple[Activity, ...]  # the other records that date its activity


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "contact", "retention_contact_years",
        own_dates=(("created", "created_at"), ("consent", "consent_on")),
        activities=(
            Activity("consultation", "consultation", "contact_ids", "held_at", listed=True),
            Activity("event", "participant", "contact_id", "starts_on",
                     through=("event_id", "event")),
            Activity("joined", "membership", "contact_id", "joined_on"),
            Activity("left", "membership", "contact_id", "left_on"),
            Activity("task", "task", "contact_id", "due_on"),
            # A shared note about the person, the day it was written (a private note is
            # not a record of the programme's work with them).
            Activity("note", "note", "linked_id", "created_at"),
        )),
)
RULE_BY_ENTITY = {rule.entity: rule for rule in RULES}

# Why no record of a kind can be due (RetentionGap.reason).
NO_YEARS, NO_END = "no_years", "no_end"


@dataclass(frozen=True)
class RetentionItem:
    """A record due for review: kept N years past its last activity (or the programme's
    end, if later)."""

    entity: str
    id: str
    name: str
    organisation: str | None
    last_activity: dt.date
    activity: str  # what it was: an ACTIVITY_LABELS key
    due_since: dt.date
    deleted: bool  # deleted but not erased: its data is still held

    @property
    def activity_label(self) -> str:
        return _(ACTIVITY_LABELS[self.activity])


@dataclass(frozen=True)
class RetentionGap:
    """A kind of record no retention rule applies to yet, and why (NO_YEARS, NO_END)."""

    entity: str
    reason: str

    @property
    def text(self) -> str:
        if self.reason == NO_END:
            return _("The programme's end date is not set, so no contact person can be "
                     "due for review. Set it in the programme settings.")
        return _("No retention period is set for contact persons, so none can be due for "
                 "review. Set the retention period in the programme settings.")


@dataclass(frozen=True)
class RetentionReview:
    """The review as of ``today``: the records due (oldest first), the kinds no rule
    applies to yet, and per kind the years and the programme's end it counted with."""

    today: dt.date
    items: tuple[RetentionItem, ...]
    gaps: tuple[RetentionGap, ...]
    checked: int  # records of the kinds with a rule, looked at
    years: dict[str, int]  # entity -> N (kinds with a rule)
    programme_end: dt.date | None


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year (a
    period in years ends on the month's last day, as the Polish and German civil codes
    count it)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_since(*, last_activity: dt.date, programme_end: dt.date, years: int) -> dt.date:
    """The day a record becomes due: N years after its last activity or the programme's
    end, whichever is later."""
    return add_years(max(last_activity, programme_end), years)


def due_for_review(session: Session, *, today: dt.date) -> RetentionReview:
    """Every record due for review on ``today``, read in a few queries per kind."""
    settings = session.get(Programme, programme.PROGRAMME_ID)
    end = settings.period_end if settings is not None else None
    items: list[RetentionItem] = []
    gaps: list[RetentionGap] = []
    years_by_entity: dict[str, int] = {}
    checked = 0
    for rule in RULES:
        years = getattr(settings, rule.years_field, None) if settings is not None else None
        # A value out of range (never stored here: only a damaged or foreign write could
        # bring one) counts as no setting rather than erasing everyone at once.
        if years is None or not 0 <= years <= programme.RETENTION_MAX_YEARS:
            gaps.append(RetentionGap(rule.entity, NO_YEARS))
            continue
        if end is None:
            gaps.append(RetentionGap(rule.entity, NO_END))
            continue
        years_by_entity[rule.entity] = years
        found, count = _due(session, rule, years=years, end=end, today=today)
        items += found
        checked += count
    items.sort(key=lambda item: (item.due_since, sort_key(item.name), item.id))
    return RetentionReview(today, tuple(items), tuple(gaps), checked, years_by_entity, end)


def _due(session: Session, rule: RetentionRule, *, years: int, end: dt.date,
         today: dt.date) -> tuple[list[RetentionItem], int]:
    records = _records(session, rule)
    latest: dict[str, tuple[dt.date, str]] = {}

    def saw(record_id: str, value: Any, kind: str) -> None:
        day = _day(value)
        if day is not None and (record_id not in latest or day > latest[record_id][0]):
            latest[record_id] = (day, kind)

    for record_id, row in records.items():
        for kind, name in rule.own_dates:
            saw(record_id, row[name], kind)
    for record_id, hlc in session.execute(_last_changes(rule.entity)):
        saw(record_id, _hlc_day(hlc), "changed")
    for activity in rule.activities:
        for record_id, value in session.execute(_activity_dates(activity)):
            saw(record_id, value, activity.kind)
    # Records merged into one are one person: an erasure takes them all (sync.erasure),
    # so the latest activity of any of them counts for each; those merged away are not
    # listed (their survivor is).
    merged = compute(session, undone_too=True)
    live = compute(session)
    for record_id in records:
        group = merged.group(record_id) & latest.keys()
        if len(group) > 1:
            latest[record_id] = max(latest[i] for i in group)
    items = []
    for record_id, row in records.items():
        if record_id in live.survivor or record_id not in latest:
            continue
        day, kind = latest[record_id]
        due = due_since(last_activity=day, programme_end=end, years=years)
        if due <= today:
            items.append(RetentionItem(rule.entity, record_id, row["label"],
                                       row["organisation"], day, kind, due, row["deleted"]))
    return items, len(records)


def _records(session: Session, rule: RetentionRule) -> dict[str, dict[str, Any]]:
    """The records of the rule's kind (deleted ones too: their data is still held), with
    their own dates, their label and organisation."""
    table = model_for(rule.entity).__table__
    columns = [table.c.id, table.c.deleted, *(table.c[name] for _kind, name in rule.own_dates)]
    label_columns = [c for c in table.c if c.name in ("title", "first_name", "last_name",
                                                      "name")]
    query = select(*columns, *label_columns)
    if "organisation_id" in table.c:
        organisations = Organisation.__table__
        query = query.add_columns(organisations.c.name.label("organisation")).outerjoin(
            organisations, organisations.c.id == table.c.organisation_id)
    found = {}
    for row in session.execute(query).mappings():
        values = dict(row)
        values["label"] = record_label(rule.entity, values)
        values.setdefault("organisation", None)
        found[row["id"]] = values
    return found


def _last_changes(entity: str) -> Select:
    """Each record's latest write in the change log (its own edits, here or at a partner)."""
    return (select(CHANGES.c.record_id, func.max(CHANGES.c.hlc))
            .where(CHANGES.c.entity == entity).group_by(CHANGES.c.record_id))


def _activity_dates(activity: Activity) -> Select:
    """Per person, the latest date of the activity's live records."""
    table = model_for(activity.entity).__table__
    if activity.through is not None:
        field, entity = activity.through
        target = model_for(entity).__table__
        date = target.c[activity.date_field]
        source = table.join(target, target.c.id == table.c[field])
        live = [table.c.deleted.is_(False), target.c.deleted.is_(False)]
    else:
        date = table.c[activity.date_field]
        source, live = table, [table.c.deleted.is_(False)]
    if activity.listed:
        items = func.json_each(table.c[activity.person_field]).table_valued("value")
        person = items.c.value
        source = source.join(items, person.is_not(None))
    else:
        person = table.c[activity.person_field]
    return (select(person, func.max(date)).select_from(source)
            .where(*live, person.is_not(None), date.is_not(None)).group_by(person))


def _day(value: Any) -> dt.date | None:
    """A stored date, date and time, or ISO timestamp as its day; None if unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _hlc_day(hlc: int | None) -> dt.date | None:
    """The (UTC) day of a clock reading's wall time."""
    if hlc is None:
        return None
    return dt.datetime.fromtimestamp((hlc >> clock.COUNTER_BITS) / 1000, dt.UTC).date()


# --- erasing what is due ---------------------------------------------------------------


def erase_due(session: Session, *, profile: Profile | None, record_ids: Sequence[str],
              today: dt.date,
              progress: Callable[[str, int, int], None] | None = None) -> Changes:
    """Erase the contact persons ``record_ids``, each due for review on ``today``, through
    the normal erasure (reason ``gdpr_retention``), then clean the search index and the
    files as a single erasure does (the caller compacts the database and the backups).

    One transaction for all of them: the person asked once about all, so all are erased
    or, if anything fails, none (nothing half done to explain); the erasure ledger is
    written once. A record not due (any more) refuses the whole step."""
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        raise ValidationError(_("Choose the contact persons to erase."))
    due = {item.id for item in due_for_review(session, today=today).items
           if item.entity == "contact"}
    not_due = [record_id for record_id in ids if record_id not in due]
    if not_due:
        raise ValidationError(ngettext(
            "{count} of the contact persons chosen is not due for review ({id}); nothing "
            "was erased.",
            "{count} of the contact persons chosen are not due for review (the first: {id}); "
            "nothing was erased.", len(not_due)).format(count=len(not_due), id=not_due[0]))
    changes = erasure.erase_many(session, entity="contact", record_ids=ids, reason=REASON,
                                 profile=profile, progress=progress)
    erasure.scrub(session, profile=profile)
    return changes


def erase_question(count: int) -> str:
    """What the person confirms once before ``erase_due`` (the window and the CLI ask it)."""
    return ngettext(
        "Erase {count} contact person for good, with everything recorded about them "
        "(memberships, event participation), here and, with the next bundles, at every "
        "partner office? This cannot be undone.",
        "Erase {count} contact persons for good, with everything recorded about them "
        "(memberships, event participation), here and, with the next bundles, at every "
        "partner office? This cannot be undone.", count).format(count=count)
