"""What needs attention on the dashboard: follow-ups, recent consultations, waiting clusters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
from euregionet_desktop.services.entities import record_label
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
