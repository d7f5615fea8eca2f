"""What needs attention on the dashboard: follow-ups, recent consultations, waiting clusters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from euregionet_desktop.i18n import (
    _,
    current_language,
    format_date,
    format_datetime,
    format_number,
    ngettext,
)
from euregionet_desktop.services.dto import CountedItem
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.services.indicators import indicators
from euregionet_desktop.storage.fields import field_map, model_for

# Follow-ups due from today up to this many days ahead count as upcoming.
UPCOMING_DAYS = 14


@dataclass(frozen=True)
class DashboardItem:
    """One line of a dashboard list; ``entity`` and ``id`` say which record it opens."""

    entity: str
    id: str
    label: str
    detail: str = ""  # translated, e.g. "Due 2 Mar 2026, 3 days overdue · Anna Nowak"
    due_on: dt.date | None = None  # tasks only


@dataclass(frozen=True)
class DashboardList:
    """The first items of a list and how many there are in all."""

    items: tuple[DashboardItem, ...] = ()
    total: int = 0

    @property
    def more(self) -> int:
        """How many items the list leaves out."""
        return max(self.total - len(self.items), 0)


@dataclass(frozen=True)
class DashboardOverview:
    today: dt.date
    overdue: DashboardList  # open follow-ups due before today, oldest first
    upcoming: DashboardList  # open follow-ups due in the next UPCOMING_DAYS, soonest first
    recent: DashboardList  # consultations held up to today, newest first
    waiting_for_evaluation: DashboardList  # live clusters without a live evaluation
    waiting_for_action_plan: DashboardList  # evaluated clusters without a live action plan
    open_tasks: int = 0  # every open follow-up, whenever due (the Tasks list shows them)


def overview(session: Session, *, today: dt.date | None = None,
             limit: int = 10) -> DashboardOverview:
    """The dashboard's lists, each cut to ``limit`` items with its full count."""
    today = today or dt.date.today()
    return DashboardOverview(
        today=today,
        overdue=_overdue(session, today, limit),
        upcoming=_upcoming(session, today, limit),
        recent=_recent(session, today, limit),
        waiting_for_evaluation=_waiting_for_evaluation(session, limit),
        waiting_for_action_plan=_waiting_for_action_plan(session, limit),
        open_tasks=_count(session, _open_tasks()),
    )


def _table(entity: str):
    return model_for(entity).__table__


def _count(session: Session, query: Select) -> int:
    return session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def _labels(session: Session, entity: str, ids: Iterable[str | None]) -> dict[str, str]:
    """The labels of some records by id (deleted ones too: a name is still a name)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    table = _table(entity)
    rows = session.execute(select(table).where(table.c.id.in_(wanted))).mappings()
    return {row["id"]: record_label(entity, row) for row in rows}


def _choice_label(entity: str, name: str, value: str | None) -> str:
    choices = field_map(entity)[name].choices
    if not value or choices is None:
        return ""
    try:
        return _(choices(value).label)
    except ValueError:
        return value


def _joined(parts: Iterable[str]) -> str:
    # A list of facts, not a sentence: each part is translated on its own.
    return " · ".join(p for p in parts if p)


# --- follow-up tasks -------------------------------------------------------------------


def _open_tasks(*conditions: Any) -> Select:
    task = _table("task")
    return select(task).where(task.c.deleted.is_(False),
                              or_(task.c.done.is_(None), task.c.done.is_(False)),
                              *conditions)


def _task_items(session: Session, query: Select, today: dt.date) -> tuple[DashboardItem, ...]:
    rows = list(session.execute(query).mappings())
    advisors = _labels(session, "advisor", (r["assignee_id"] for r in rows))
    related = {entity: _labels(session, entity, (r[f"{entity}_id"] for r in rows))
               for entity in ("cluster", "organisation", "contact")}
    items = []
    for row in rows:
        about = next((related[e][row[f"{e}_id"]] for e in ("cluster", "organisation", "contact")
                      if row[f"{e}_id"] in related[e]), "")
        items.append(DashboardItem(
            entity="task", id=row["id"], label=record_label("task", row),
            detail=_joined((_due_text(row["due_on"], today),
                            advisors.get(row["assignee_id"], ""), about)),
            due_on=row["due_on"]))
    return tuple(items)


def _due_text(due_on: dt.date, today: dt.date) -> str:
    days = (due_on - today).days
    if days < 0:
        return ngettext("Due {date}, {count} day overdue", "Due {date}, {count} days overdue",
                        -days).format(date=format_date(due_on), count=format_number(-days))
    if days == 0:
        return _("Due today")
    if days == 1:
        return _("Due tomorrow")
    return _("Due {date}").format(date=format_date(due_on))


def _overdue(session: Session, today: dt.date, limit: int) -> DashboardList:
    task = _table("task")
    query = _open_tasks(task.c.due_on < today)
    rows = query.order_by(task.c.due_on, task.c.title_sort, task.c.id).limit(limit)
    return DashboardList(_task_items(session, rows, today), _count(session, query))


def _upcoming(session: Session, today: dt.date, limit: int) -> DashboardList:
    task = _table("task")
    query = _open_tasks(task.c.due_on.between(today, today + dt.timedelta(days=UPCOMING_DAYS)))
    rows = query.order_by(task.c.due_on, task.c.title_sort, task.c.id).limit(limit)
    return DashboardList(_task_items(session, rows, today), _count(session, query))


# --- consultations ---------------------------------------------------------------------


def _held_at_text(held_at: str) -> str:
    try:
        return format_datetime(dt.datetime.fromisoformat(held_at))
    except ValueError:
        return held_at


def _recent(session: Session, today: dt.date, limit: int) -> DashboardList:
    consultation = _table("consultation")
    # Consultations planned for a later day are not recent work; held_at sorts as text.
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    query = select(consultation).where(consultation.c.deleted.is_(False),
                                       consultation.c.held_at < tomorrow)
    rows = list(session.execute(
        query.order_by(consultation.c.held_at.desc(), consultation.c.id).limit(limit)
    ).mappings())
    clusters = _labels(session, "cluster", (r["cluster_id"] for r in rows))
    organisations = _labels(session, "organisation", (r["organisation_id"] for r in rows))
    advisors = _labels(session, "advisor", (r["advisor_id"] for r in rows))
    items = tuple(
        DashboardItem(
            entity="consultation", id=row["id"],
            label=record_label("consultation", {**row, "held_at": _held_at_text(row["held_at"])}),
            detail=_joined((_choice_label("consultation", "mode", row["mode"]),
                            clusters.get(row["cluster_id"])
                            or organisations.get(row["organisation_id"], ""),
                            advisors.get(row["advisor_id"], ""))))
        for row in rows)
    return DashboardList(items, _count(session, query))


# --- clusters waiting for the next step ------------------------------------------------


def _live_child(entity: str, cluster: Any):
    child = _table(entity)
    return exists().where(child.c.cluster_id == cluster.c.id, child.c.deleted.is_(False))


def _name_order(cluster: Any):
    if current_language() == "de":
        return func.coalesce(cluster.c.name_de_sort, cluster.c.name_pl_sort)
    return cluster.c.name_pl_sort


def _cluster_detail(row: Mapping[str, Any]) -> str:
    return _joined((_choice_label("cluster", "kind", row["kind"]), row["region"] or "",
                    _choice_label("cluster", "country", row["country"])))


def _waiting_for_evaluation(session: Session, limit: int) -> DashboardList:
    cluster = _table("cluster")
    query = select(cluster).where(cluster.c.deleted.is_(False),
                                  ~_live_child("evaluation", cluster))
    rows = session.execute(
        query.order_by(_name_order(cluster), cluster.c.id).limit(limit)).mappings()
    items = tuple(DashboardItem(entity="cluster", id=row["id"],
                                label=record_label("cluster", row),
                                detail=_cluster_detail(row))
                  for row in rows)
    return DashboardList(items, _count(session, query))


def _waiting_for_action_plan(session: Session, limit: int) -> DashboardList:
    cluster = _table("cluster")
    evaluation = _table("evaluation")
    last_evaluated = (select(func.max(evaluation.c.evaluated_on))
                      .where(evaluation.c.cluster_id == cluster.c.id,
                             evaluation.c.deleted.is_(False))
                      .scalar_subquery().label("last_evaluated"))
    query = select(cluster, last_evaluated).where(and_(
        cluster.c.deleted.is_(False), _live_child("evaluation", cluster),
        ~_live_child("action_plan", cluster)))
    # Longest waiting first: the cluster evaluated longest ago.
    rows = session.execute(
        query.order_by(last_evaluated, _name_order(cluster), cluster.c.id).limit(limit)
    ).mappings()
    items = tuple(
        DashboardItem(entity="cluster", id=row["id"], label=record_label("cluster", row),
                      detail=_joined((_("Evaluated on {date}").format(
                          date=format_date(_as_date(row["last_evaluated"]))),
                          _cluster_detail(row))))
        for row in rows)
    return DashboardList(items, _count(session, query))


def _as_date(value: Any) -> dt.date | None:
    # A scalar subquery's result comes back as stored (ISO text), not through the Date type.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# --- the picture: indicators against the plan, activity per month ----------------------


class IndicatorState(StrEnum):
    """Where an indicator stands against its target for the chosen period."""

    BEHIND = "behind"  # fewer than the elapsed share of the period's target
    ON_TRACK = "on_track"  # at least the elapsed share, not yet the target
    REACHED = "reached"  # exactly the target
    OVER = "over"  # more than the target
    NO_TARGET = "no_target"  # no whole item of the target falls in the chosen period


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator counted over the chosen period, against that period's target."""

    code: str
    name: str
    value: int  # counted in the chosen period, up to today
    target: int  # the period's target (the programme's, or its share: see period_target)
    programme_target: int
    expected: float  # what the elapsed part of the period asks for by today
    state: IndicatorState
    # How many of the counted items have their evidence attached (signed attendance lists,
    # agreements…); None when the counter names no items (the value is shown alone).
    with_evidence: int | None = None
    items: tuple[CountedItem, ...] = ()  # what ``value`` counts, each with its evidence

    @property
    def evidence_missing(self) -> tuple[CountedItem, ...]:
        return tuple(item for item in self.items if item.evidence_missing)


@dataclass(frozen=True)
class ActivityMonth:
    """Consultations and events of one month, by office code ("" for no office)."""

    month: dt.date  # the first day of the month
    consultations: Mapping[str, int]
    events: Mapping[str, int]


@dataclass(frozen=True)
class DashboardPicture:
    start: dt.date  # the chosen period
    end: dt.date
    programme_start: dt.date  # the programme's period (from its indicators)
    programme_end: dt.date
    today: dt.date
    indicators: tuple[IndicatorProgress, ...]
    months: tuple[ActivityMonth, ...]  # every month of the period, empty ones too
    offices: tuple[str, ...]  # the office codes, in the order the chart shows them
    empty: bool  # no cluster, consultation or event yet: the dashboard offers first steps


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_period(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    return first, _add_months(first, 3) - dt.timedelta(days=1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _days(start: dt.date, end: dt.date) -> int:
    return max((end - start).days + 1, 0)


def period_target(target: int, programme: tuple[dt.date, dt.date],
                  chosen: tuple[dt.date, dt.date]) -> int:
    """The part of a programme target that falls in the chosen period.

    The whole target when the period covers the whole programme; otherwise the target's
    share for the days of the chosen period inside the programme (evenly spread), rounded
    to whole items. A one-off item (an opening conference) in a quarter rounds to 0: the
    period then has no target of its own (IndicatorState.NO_TARGET), it is only counted."""
    inside = _days(max(chosen[0], programme[0]), min(chosen[1], programme[1]))
    whole = _days(*programme)
    if not whole or inside >= whole:
        return target
    return int(target * inside / whole + 0.5)


def elapsed_share(period: tuple[dt.date, dt.date], today: dt.date) -> float:
    """How much of the period has passed by the end of today: 0 before it, 1 after it."""
    whole = _days(*period)
    if not whole:
        return 1.0
    return min(max(_days(period[0], min(today, period[1])) / whole, 0.0), 1.0)


def indicator_state(value: int, target: int, expected: float) -> IndicatorState:
    """Over, reached, behind plan (fewer than ``expected``) or on track."""
    if target <= 0:
        return IndicatorState.NO_TARGET
    if value > target:
        return IndicatorState.OVER
    if value == target:
        return IndicatorState.REACHED
    return IndicatorState.BEHIND if value < expected else IndicatorState.ON_TRACK


def programme_period(session: Session) -> tuple[dt.date, dt.date] | None:
    """The programme's period: from its first indicator's start to its last one's end."""
    indicator = _table("indicator")
    start, end = session.execute(
        select(func.min(indicator.c.period_start), func.max(indicator.c.period_end))
        .where(indicator.c.deleted.is_(False))).one()
    if start is None or end is None:
        return None
    return _as_date(start), _as_date(end)


def picture(session: Session, *, start: dt.date | None = None, end: dt.date | None = None,
            today: dt.date | None = None) -> DashboardPicture:
    """The indicators and the activity of a period (the programme's when not given).

    Each indicator is counted over the chosen period and set against the part of its
    target that falls in it (``period_target``); what is expected by today is that target
    times the elapsed share of the chosen period's days inside the programme. So for the
    programme, a year or a quarter alike, "behind plan" means: fewer than the period's
    target spread evenly over its days would have by today."""
    today = today or dt.date.today()
    programme = programme_period(session) or year_period(today.year)
    chosen = (start or programme[0], end or programme[1])
    window = (max(chosen[0], programme[0]), min(chosen[1], programme[1]))
    share = elapsed_share(window, today) if window[0] <= window[1] else 1.0
    # Counted is what has happened: up to today when the period is running (an event
    # planned for next month is not yet a result); a period still to come counts what is
    # already recorded for it.
    counted_end = min(chosen[1], today) if today >= chosen[0] else chosen[1]
    progress = []
    for value in indicators(session, period_start=chosen[0], period_end=counted_end,
                            today=today):
        target = period_target(value.target, programme, chosen)
        expected = target * share
        progress.append(IndicatorProgress(
            code=value.code, name=value.name, value=value.value, target=target,
            programme_target=value.target, expected=expected,
            state=indicator_state(value.value, target, expected),
            with_evidence=value.with_evidence if value.items or not value.value else None,
            items=value.items))
    months, offices = _activity(session, chosen)
    return DashboardPicture(start=chosen[0], end=chosen[1], programme_start=programme[0],
                            programme_end=programme[1], today=today,
                            indicators=tuple(progress), months=months, offices=offices,
                            empty=_nothing_recorded(session))


def _per_month(session: Session, entity: str, column: str, start: str,
               before: str) -> dict[tuple[str, str], int]:
    """(office code, "YYYY-MM") -> how many live records fall in that month; counted in
    SQL on the stored ISO text, which the date and datetime columns' indexes serve."""
    table, office = _table(entity), _table("office")
    when = table.c[column]
    month = func.substr(when, 1, 7)
    rows = session.execute(
        select(func.coalesce(office.c.code, ""), month, func.count())
        .select_from(table.outerjoin(office, office.c.id == table.c.office_id))
        .where(table.c.deleted.is_(False), when >= start, when < before)
        .group_by(office.c.code, month))
    return {(code, key): count for code, key, count in rows}


def _activity(session: Session, period: tuple[dt.date, dt.date]
              ) -> tuple[tuple[ActivityMonth, ...], tuple[str, ...]]:
    start, before = period[0].isoformat(), (period[1] + dt.timedelta(days=1)).isoformat()
    consultations = _per_month(session, "consultation", "held_at", start, before)
    events = _per_month(session, "event", "starts_on", start, before)
    office = _table("office")
    codes = list(session.execute(select(office.c.code).where(office.c.deleted.is_(False))
                                 .order_by(office.c.code)).scalars())
    if any(code == "" for code, _month in (*consultations, *events)):
        codes.append("")
    months = []
    month = period[0].replace(day=1)
    while month <= period[1]:
        key = month.isoformat()[:7]
        months.append(ActivityMonth(
            month=month,
            consultations={c: consultations[c, key] for c in codes if (c, key) in consultations},
            events={c: events[c, key] for c in codes if (c, key) in events}))
        month = _add_months(month, 1)
    return tuple(months), tuple(codes)


def _nothing_recorded(session: Session) -> bool:
    return not any(session.execute(select(_table(entity).c.id)
                                   .where(_table(entity).c.deleted.is_(False)).limit(1)).first()
                   for entity in ("cluster", "consultation", "event"))
