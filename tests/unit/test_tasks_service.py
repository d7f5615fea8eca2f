"""The Tasks work list in SQL: states, whose tasks, the work order, and marking done."""

from __future__ import annotations

import datetime as dt

import pytest

from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.services import records, tasks
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.tasks import TaskScope, TaskStatus
from euregionet_desktop.services.undo import undo

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def people(core, add):
    """Me (Anna Nowak, LOP), a colleague at LOP and an advisor of BIC."""
    office = {code: core.backend.read(records.list_ids, entity="office", where={"code": code})[0]
              for code in ("LOP", "BIC")}
    return {
        "me": core.backend.read(profile_info).advisor_id,
        "colleague": add("advisor", name="Jan Kowalski", office_id=office["LOP"]),
        "other": add("advisor", name="Hans Meier", office_id=office["BIC"]),
        "lop": office["LOP"], "bic": office["BIC"],
    }


@pytest.fixture
def work(add, people):
    """Tasks of every state and owner, added in no useful order."""
    lop_visit = add("consultation", held_at="2019-03-01 10:00", subject="Visit",
                    office_id=people["lop"])
    bic_visit = add("consultation", held_at="2019-03-02 10:00", subject="Besuch",
                    office_id=people["bic"])
    return {
        "mine_later": add("task", title="Send minutes", due_on=days(30),
                          assignee_id=people["me"]),
        "mine_done_old": add("task", title="Old call", due_on=dt.date(2017, 5, 2), done=True,
                             assignee_id=people["me"]),
        "mine_no_date": add("task", title="Someday", assignee_id=people["me"]),
        "mine_overdue": add("task", title="Call back", due_on=days(-3),
                            assignee_id=people["me"]),
        "mine_soon": add("task", title="Agenda", due_on=days(2), assignee_id=people["me"]),
        "mine_very_late": add("task", title="Letter", due_on=days(-40),
                              assignee_id=people["me"]),
        "mine_done_new": add("task", title="New call", due_on=days(-1), done=True,
                             assignee_id=people["me"]),
        "colleague_overdue": add("task", title="Visit", due_on=days(-5),
                                 assignee_id=people["colleague"]),
        "office_unassigned": add("task", title="Protocol", due_on=days(5),
                                 consultation_id=lop_visit),
        "other_overdue": add("task", title="Anruf", due_on=days(-10),
                             assignee_id=people["other"]),
        "other_unassigned": add("task", title="Protokoll", due_on=days(4),
                                consultation_id=bic_visit),
    }


def listed(core, **query) -> list[str]:
    return [task_id for _rowid, task_id in core.backend.read(tasks.task_rows, today=TODAY,
                                                              **query)]


def names(work, ids) -> list[str]:
    by_id = {task_id: name for name, task_id in work.items()}
    return [by_id[i] for i in ids]


def test_my_open_follow_ups_come_overdue_first_then_by_due_date(core, work):
    """Open and mine: the latest overdue on top, then by due date, undated last."""
    assert names(work, listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE)) == [
        "mine_very_late", "mine_overdue", "mine_soon", "mine_later", "mine_no_date"]


def test_each_state_lists_its_tasks(core, work):
    """Overdue, due soon, done and all, for me."""
    mine = {"scope": TaskScope.MINE}
    assert names(work, listed(core, status=TaskStatus.OVERDUE, **mine)) == [
        "mine_very_late", "mine_overdue"]
    assert names(work, listed(core, status=TaskStatus.DUE_SOON, **mine)) == ["mine_soon"]
    # Done: the most recently due first, not 2017 on top.
    assert names(work, listed(core, status=TaskStatus.DONE, **mine)) == [
        "mine_done_new", "mine_done_old"]
    assert names(work, listed(core, status=TaskStatus.ALL, **mine)) == [
        "mine_very_late", "mine_overdue", "mine_soon", "mine_later", "mine_no_date",
        "mine_done_new", "mine_done_old"]


def test_office_scope_takes_colleagues_and_unassigned_tasks_of_its_consultations(core, work):
    """My office: mine, my colleague's, the unassigned one from our consultation; never
    BIC's."""
    overdue = names(work, listed(core, status=TaskStatus.OVERDUE, scope=TaskScope.OFFICE))
    assert overdue == ["mine_very_late", "colleague_overdue", "mine_overdue"]
    office = set(names(work, listed(core, status=TaskStatus.ALL, scope=TaskScope.OFFICE)))
    assert office == {name for name in work if not name.startswith("other")}
    everyone = set(names(work, listed(core, status=TaskStatus.ALL, scope=TaskScope.ALL)))
    assert everyone == set(work)


def test_sorting_by_a_column_keeps_the_filter(core, work):
    """Sorted by title descending, still only my open tasks."""
    ids = listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE, order_by="title",
                 descending=True)
    assert names(work, ids) == ["mine_no_date", "mine_later", "mine_very_late",
                                "mine_overdue", "mine_soon"]
    reverse = listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE, descending=True)
    assert reverse == listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE)[::-1]


def test_deleted_tasks_are_not_listed(core, work):
    core.backend.run(records.delete, entity="task", record_id=work["mine_overdue"])
    assert work["mine_overdue"] not in listed(core, status=TaskStatus.ALL, scope=TaskScope.ALL)


def test_mark_done_is_one_step_named_mark_done_and_undone_together(core, work):
    """Two tasks done in one step; undo opens both again."""
    ids = [work["mine_overdue"], work["mine_soon"]]
    changes = core.backend.run(tasks.mark_done, record_ids=ids)
    assert changes.undo is not None and changes.undo.label == "Mark done"
    assert "task" in changes.entities
    open_now = names(work, listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE))
    assert "mine_overdue" not in open_now and "mine_soon" not in open_now
    assert {work[n] for n in ("mine_overdue", "mine_soon")} <= set(
        listed(core, status=TaskStatus.DONE, scope=TaskScope.MINE))
    core.backend.run(undo, step=changes.undo)
    assert names(work, listed(core, status=TaskStatus.OPEN, scope=TaskScope.MINE)) == [
        "mine_very_late", "mine_overdue", "mine_soon", "mine_later", "mine_no_date"]


def test_mark_not_done_opens_a_task_again(core, work):
    changes = core.backend.run(tasks.mark_done, record_ids=[work["mine_done_new"]], done=False)
    assert changes.undo is not None and changes.undo.label == "Mark not done"
    assert work["mine_done_new"] in listed(core, status=TaskStatus.OVERDUE, scope=TaskScope.MINE)


def test_mark_done_of_an_unknown_task_changes_nothing(core, work):
    """One bad id among good ones: refused with a translated message, nothing written."""
    before = core.backend.read(dump)
    with pytest.raises(NotFoundError, match="There is no Task"):
        core.backend.run(tasks.mark_done, record_ids=[work["mine_overdue"], "no-such-task"])
    with pytest.raises(ValidationError, match="Choose at least one task"):
        core.backend.run(tasks.mark_done, record_ids=[])
    assert core.backend.read(dump) == before


def test_has_tasks_tells_a_new_advisor_from_a_busy_one(core, add, people):
    """Nothing of mine yet (a colleague's task does not count); then one, even done."""
    add("task", title="Visit", due_on=days(-5), assignee_id=people["colleague"])
    assert not core.backend.read(tasks.has_tasks, scope=TaskScope.MINE)
    assert core.backend.read(tasks.has_tasks, scope=TaskScope.OFFICE)
    add("task", title="Old call", due_on=days(-400), done=True, assignee_id=people["me"])
    assert core.backend.read(tasks.has_tasks, scope=TaskScope.MINE)
