"""Tests for services.dashboard: overdue and upcoming follow-ups, consultations, waiting clusters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from euregionet_desktop.i18n import format_date
from euregionet_desktop.services import records
from euregionet_desktop.services.dashboard import DashboardList, DashboardOverview, overview
from euregionet_desktop.services.profile import Core, profile_info

TODAY = dt.date(2026, 3, 10)

Add = Callable[..., str]


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def delete(core: Core, entity: str, record_id: str) -> None:
    core.backend.run(records.delete, entity=entity, record_id=record_id)


def read(core: Core, **kwargs) -> DashboardOverview:
    return core.backend.read(overview, today=TODAY, **kwargs)


def ids(items: DashboardList) -> list[str]:
    return [item.id for item in items.items]


@pytest.fixture
def cluster(add: Add) -> str:
    return add("cluster", name_pl="Lubuski Klaster Metalowy", country="PL", kind="cluster",
               region="Lubuskie")


def test_overdue_lists_open_tasks_due_before_today_oldest_first(core: Core, add: Add) -> None:
    """Open tasks due before today show oldest first; done, deleted and undated ones do not."""
    late = add("task", title="Call back", due_on=days(-3))
    later = add("task", title="Send the questionnaire", due_on=days(-30), done="no")
    add("task", title="Done already", due_on=days(-5), done="yes")
    gone = add("task", title="Deleted", due_on=days(-6))
    delete(core, "task", gone)
    add("task", title="No date")
    add("task", title="Due today", due_on=days(0))

    result = read(core).overdue

    assert ids(result) == [later, late]
    assert result.total == 2 and result.more == 0
    assert [item.label for item in result.items] == ["Send the questionnaire", "Call back"]
    assert result.items[1].entity == "task"
    assert result.items[1].due_on == TODAY - dt.timedelta(days=3)


def test_overdue_detail_names_the_due_date_the_delay_the_assignee_and_the_cluster(
        core: Core, add: Add, cluster: str) -> None:
    """The detail line says when it was due, how late it is, who has it and what it is about."""
    advisor = core.backend.read(profile_info).advisor_id
    add("task", title="Call back", due_on=days(-3), assignee_id=advisor, cluster_id=cluster)

    (item,) = read(core).overdue.items

    assert format_date(TODAY - dt.timedelta(days=3)) in item.detail
    assert "3 days overdue" in item.detail
    assert "Anna Nowak" in item.detail
    assert "Lubuski Klaster Metalowy" in item.detail


def test_overdue_is_cut_to_the_limit_with_the_full_count(core: Core, add: Add) -> None:
    """With twelve overdue tasks and limit 5, the five oldest show and the total is twelve."""
    created = [add("task", title=f"Task {n}", due_on=days(-20 + n)) for n in range(12)]

    result = read(core, limit=5).overdue

    assert ids(result) == created[:5]
    assert result.total == 12 and result.more == 7


def test_upcoming_lists_tasks_due_in_the_next_fourteen_days_soonest_first(
        core: Core, add: Add) -> None:
    """Tasks due from today to 14 days ahead show soonest first; later and done ones do not."""
    edge = add("task", title="Edge", due_on=days(14))
    today = add("task", title="Today", due_on=days(0))
    soon = add("task", title="Soon", due_on=days(2))
    add("task", title="Too far", due_on=days(15))
    add("task", title="Done", due_on=days(1), done="yes")
    gone = add("task", title="Deleted", due_on=days(1))
    delete(core, "task", gone)
    add("task", title="Late", due_on=days(-1))

    result = read(core).upcoming

    assert ids(result) == [today, soon, edge]
    assert result.total == 3
    assert result.items[0].detail.startswith("Due today")
    assert result.items[2].detail.startswith(f"Due {format_date(TODAY + dt.timedelta(days=14))}")


def test_recent_consultations_are_newest_first_without_deleted_or_future_ones(
        core: Core, add: Add, cluster: str) -> None:
    """Held consultations show newest first with their cluster; deleted and planned ones do not."""
    old = add("consultation", held_at="2026-01-05 10:00", subject="Kick-off")
    new = add("consultation", held_at=f"{days(0)} 09:30", subject="Needs of members",
              cluster_id=cluster, mode="site_visit")
    middle = add("consultation", held_at="2026-02-01 14:00", subject="Funding")
    gone = add("consultation", held_at="2026-02-02 14:00", subject="Deleted")
    delete(core, "consultation", gone)
    add("consultation", held_at=f"{days(1)} 08:00", subject="Planned")

    result = read(core).recent

    assert ids(result) == [new, middle, old]
    assert result.total == 3
    assert result.items[0].entity == "consultation"
    assert "Needs of members" in result.items[0].label
    assert "Lubuski Klaster Metalowy" in result.items[0].detail
    assert "Site visit" in result.items[0].detail


def test_clusters_wait_for_an_evaluation_then_for_an_action_plan(core: Core, add: Add) -> None:
    """A cluster without a live evaluation waits for one; evaluated without a live plan, for a plan."""
    def new_cluster(name: str) -> str:
        return add("cluster", name_pl=name, country="PL", kind="cluster")

    fresh = new_cluster("Alfa")
    evaluated = new_cluster("Beta")
    add("evaluation", cluster_id=evaluated, evaluated_on="2020-01-10")
    planned = new_cluster("Gamma")
    add("evaluation", cluster_id=planned, evaluated_on="2019-05-01")
    add("action_plan", cluster_id=planned, title="Plan", status="draft")
    evaluation_deleted = new_cluster("Delta")
    delete(core, "evaluation", add("evaluation", cluster_id=evaluation_deleted,
                                   evaluated_on="2019-01-01"))
    plan_deleted = new_cluster("Epsilon")
    add("evaluation", cluster_id=plan_deleted, evaluated_on="2018-03-01")
    delete(core, "action_plan", add("action_plan", cluster_id=plan_deleted, title="Old",
                                    status="draft"))
    delete(core, "cluster", new_cluster("Zeta"))

    result = read(core)

    assert ids(result.waiting_for_evaluation) == [fresh, evaluation_deleted]
    assert result.waiting_for_evaluation.total == 2
    # Longest waiting first: evaluated in 2018 before evaluated in 2020.
    assert ids(result.waiting_for_action_plan) == [plan_deleted, evaluated]
    assert [i.label for i in result.waiting_for_action_plan.items] == ["Epsilon", "Beta"]
    assert result.waiting_for_action_plan.items[1].detail.startswith(
        f"Evaluated on {format_date(dt.date(2020, 1, 10))}")
    assert {i.entity for i in result.waiting_for_evaluation.items} == {"cluster"}


def test_an_empty_profile_has_nothing_to_show(core: Core) -> None:
    """A new profile's dashboard lists are all empty."""
    result = read(core)

    for name in ("overdue", "upcoming", "recent", "waiting_for_evaluation",
                 "waiting_for_action_plan"):
        assert getattr(result, name) == DashboardList()
    assert result.today == TODAY
