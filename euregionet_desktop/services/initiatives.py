"""Cluster initiatives: their steps read for the pipeline, the detail pane and the CLI, a
step changed by name, and an initiative advanced over several steps as one action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import FormationStepKind, StepStatus
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import (
    Changes,
    FormationStepView,
    InitiativeView,
    UndoStep,
)
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.services.formation import (
    STEPS,
    countries_of_members,
    step_id,
    step_kind,
)
from euregionet_desktop.storage.fields import model_for

_ORDER = {kind.value: n for n, kind in enumerate(STEPS)}


def _names(session: Session, entity: str, ids: set[str]) -> dict[str, str]:
    return records.labels(session, entity=entity, record_ids=sorted(i for i in ids if i))


def _views(session: Session, rows: list[Mapping[str, Any]]) -> list[InitiativeView]:
    """The initiatives of these table rows with their steps, names resolved at once."""
    steps_table = model_for("formation_step").__table__
    ids = [row["id"] for row in rows]
    steps: dict[str, list[Mapping[str, Any]]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        for step in session.execute(select(steps_table).where(
                steps_table.c.initiative_id.in_(ids[start:start + 500]),
                steps_table.c.deleted.is_(False))).mappings():
            steps[step["initiative_id"]].append(step)
    clusters_table = model_for("cluster").__table__
    clusters = {row["id"]: row for row in session.execute(select(clusters_table).where(
        clusters_table.c.id.in_({r["cluster_id"] for r in rows}))).mappings()}
    advisors = _names(session, "advisor", {r["advisor_id"] for r in rows} | {
        s["advisor_id"] for group in steps.values() for s in group})
    offices_table = model_for("office").__table__
    offices = dict(session.execute(select(offices_table.c.id, offices_table.c.code)).all())
    views = []
    for row in rows:
        cluster = clusters.get(row["cluster_id"])
        views.append(InitiativeView(
            id=row["id"], cluster_id=row["cluster_id"],
            cluster_name=record_label("cluster", dict(cluster)) if cluster else row["cluster_id"],
            office_id=row["office_id"], office_code=offices.get(row["office_id"]),
            advisor_name=advisors.get(row["advisor_id"] or ""),
            started_on=row["started_on"], stage=cluster["stage"] if cluster else None,
            countries=tuple(sorted(countries_of_members(session, row["cluster_id"]))),
            steps=tuple(_step_view(step, advisors) for step in sorted(
                steps[row["id"]], key=lambda s: _ORDER.get(s["step"], len(_ORDER))))))
    return views


def _step_view(row: Mapping[str, Any], advisors: Mapping[str, str]) -> FormationStepView:
    status = row["status"] or StepStatus.NOT_STARTED.value
    return FormationStepView(
        id=row["id"], step=row["step"], step_label=_(FormationStepKind(row["step"]).label),
        status=status, status_label=_(StepStatus(status).label), done_on=row["done_on"],
        advisor_name=advisors.get(row["advisor_id"] or ""))


def _initiatives(session: Session, **where: Any) -> list[Mapping[str, Any]]:
    table = model_for("initiative").__table__
    query = select(table).where(table.c.deleted.is_(False),
                                *(table.c[name] == value for name, value in where.items()))
    return list(session.execute(query.order_by(table.c.started_on, table.c.created_at,
                                               table.c.id)).mappings())


def initiative_view(session: Session, *, initiative_id: str) -> InitiativeView:
    """One initiative with its steps (NotFoundError when there is none)."""
    return _views(session, [records.load_row(session, "initiative", initiative_id)])[0]


def pipeline(session: Session, *, office_id: str | None = None) -> list[InitiativeView]:
    """The live initiatives (of one office, if asked), oldest first."""
    where = {"office_id": office_id} if office_id else {}
    return _views(session, _initiatives(session, **where))


def initiatives_of_cluster(session: Session, *, cluster_id: str) -> list[InitiativeView]:
    return _views(session, _initiatives(session, cluster_id=cluster_id))


def set_step(session: Session, *, initiative_id: str, step: str,
             values: Mapping[str, Any]) -> Changes:
    """Change a step of an initiative named by its kind (``status=done done_on=…``)."""
    kind = step_kind(step)
    records.load_row(session, "initiative", initiative_id)
    table = model_for("formation_step").__table__
    found = session.execute(select(table.c.id).where(
        table.c.initiative_id == initiative_id, table.c.step == kind.value,
        table.c.deleted.is_(False))).scalar()
    return records.update_record(session, entity="formation_step",
                                 record_id=found or step_id(initiative_id, kind.value),
                                 values=values)


def advance(session: Session, *, initiative_id: str, to_step: str | None,
            done_on: dt.date) -> Changes:
    """Mark every step before ``to_step`` (all of them for None: formed) done on
    ``done_on``, as one action; moving back is refused (a step is reopened on the form)."""
    view = initiative_view(session, initiative_id=initiative_id)
    target = len(STEPS) if to_step is None else _ORDER[step_kind(to_step).value]
    current = view.current
    position = len(STEPS) if current is None else _ORDER[current.step]
    if target <= position:
        raise ValidationError(_("“{cluster}” is already at this step or further: reopen a "
                                "step on the initiative's form instead.").format(
                                    cluster=view.cluster_name), field="step")
    changes = Changes()
    for step in view.steps:
        if _ORDER[step.step] < target and step.status != StepStatus.DONE.value:
            changes = changes | records.update_record(
                session, entity="formation_step", record_id=step.id,
                values={"status": StepStatus.DONE.value, "done_on": done_on})
    where = _("Formed") if to_step is None else _(step_kind(to_step).label)
    label = _("Advance “{cluster}” to “{step}”").format(cluster=view.cluster_name, step=where)
    undo = UndoStep(label, changes.undo.writes) if changes.undo else None
    return Changes(changes.entities, initiative_id, changes.record_ids, undo)
