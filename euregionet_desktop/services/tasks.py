"""Follow-ups as a work list: which tasks a list shows, in which order, and ticking them off.

Filtering and ordering happen in SQL: the Tasks list asks for the (rowid, id) pairs of one
filter in one order and reads its rows by page, like every other list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import and_, case, false, func, or_, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dashboard import UPCOMING_DAYS
from euregionet_desktop.services.dto import Changes, UndoStep
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import Installation, LocalState


class TaskStatus(StrEnum):
    """Which follow-ups by their state (the dashboard's counters use the same ones)."""

    OPEN = "open"
    OVERDUE = "overdue"  # open and due before today
    DUE_SOON = "due_soon"  # open and due from today up to UPCOMING_DAYS ahead
    DONE = "done"
    ALL = "all"


class TaskScope(StrEnum):
    """Whose follow-ups: the advisor of this installation, anyone of its office, anyone."""

    MINE = "mine"
    OFFICE = "office"
    ALL = "all"


def _is_open(task):
    return or_(task.c.done.is_(None), task.c.done.is_(False))


def status_clause(status: TaskStatus, today: dt.date):
    """The tasks in a state on ``today`` (None: every task)."""
    task = model_for("task").__table__
    if status == TaskStatus.OPEN:
        return _is_open(task)
    if status == TaskStatus.OVERDUE:
        return and_(_is_open(task), task.c.due_on < today)
    if status == TaskStatus.DUE_SOON:
        return and_(_is_open(task), task.c.due_on.between(
            today, today + dt.timedelta(days=UPCOMING_DAYS)))
    if status == TaskStatus.DONE:
        return task.c.done.is_(True)
    return None


def scope_clause(session: Session, scope: TaskScope):
    """The tasks of this installation's advisor, or of its office (None: everyone's).

    A task of the office is assigned to one of its advisors or, assigned to nobody, was
    agreed in one of its consultations."""
    task = model_for("task").__table__
    if scope == TaskScope.ALL:
        return None
    state = session.get(LocalState, 1)
    if state is None:
        return false()
    if scope == TaskScope.MINE:
        return task.c.assignee_id == state.advisor_id if state.advisor_id else false()
    office_id = session.execute(select(Installation.office_id).where(
        Installation.id == state.installation_id)).scalar()
    advisor = model_for("advisor").__table__
    consultation = model_for("consultation").__table__
    return or_(
        task.c.assignee_id.in_(select(advisor.c.id).where(advisor.c.office_id == office_id)),
        and_(task.c.assignee_id.is_(None), task.c.consultation_id.in_(
            select(consultation.c.id).where(consultation.c.office_id == office_id))))


def _work_order(today: dt.date, descending: bool) -> list:
    """Overdue first, then the open ones by due date, then those without one; done ones
    last, the most recently due first (a task done in 2017 is not today's work)."""
    task = model_for("task").__table__
    rank = case((~_is_open(task), 3), (task.c.due_on.is_(None), 2),
                (task.c.due_on < today, 0), else_=1)
    day = func.julianday(task.c.due_on)
    when = case((~_is_open(task), -day), else_=day)
    keys = [rank, when, task.c.title_sort, task.c.id]
    return [key.desc() for key in keys] if descending else keys


def task_rows(session: Session, *, status: TaskStatus = TaskStatus.OPEN,
              scope: TaskScope = TaskScope.ALL, order_by: str | None = None,
              descending: bool = False, today: dt.date | None = None
              ) -> list[tuple[int, str]]:
    """(rowid, id) of the live tasks in a state and a scope, in list order: by due date
    (``order_by`` None or "due_on") in the work order, else by that column."""
    today = today or dt.date.today()
    task = model_for("task").__table__
    conditions = [task.c.deleted.is_(False)]
    conditions += [c for c in (status_clause(TaskStatus(status), today),
                               scope_clause(session, TaskScope(scope))) if c is not None]
    query = select(text("task.rowid"), task.c.id).where(*conditions)
    if order_by in (None, "due_on"):
        query = query.order_by(*_work_order(today, descending))
    else:
        column = records.order_column("task", order_by)
        query = query.order_by(column.desc() if descending else column,
                               task.c.id.desc() if descending else task.c.id)
    return [(rowid, task_id) for rowid, task_id in session.execute(query)]


def has_tasks(session: Session, *, scope: TaskScope) -> bool:
    """Whether any live task, done or not, is in the scope (a new advisor has none yet)."""
    task = model_for("task").__table__
    clause = scope_clause(session, TaskScope(scope))
    query = select(task.c.id).where(task.c.deleted.is_(False),
                                    *([clause] if clause is not None else [])).limit(1)
    return session.execute(query).first() is not None


def mark_done(session: Session, *, record_ids: Sequence[str], done: bool = True) -> Changes:
    """Mark follow-ups done (or open again), all of them as one undoable step."""
    if not record_ids:
        raise ValidationError(_("Choose at least one task."))
    changes = Changes()
    for record_id in record_ids:
        changes = changes | records.update_record(session, entity="task", record_id=record_id,
                                                  values={"done": done})
    label = _("Mark done") if done else _("Mark not done")
    undo = UndoStep(label, changes.undo.writes) if changes.undo else None
    return Changes(changes.entities or frozenset({"task"}), changes.record_id,
                   changes.record_ids, undo)
