"""Forming a new cluster: an initiative's five steps and the cluster's stage following
them, as rules (services.derived) that every save of these records obeys."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import ClusterStage, FormationStepKind, StepStatus
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.services.derived import Follow, Rule
from euregionet_desktop.storage.fields import model_for

# Step ids are derived from the initiative's id, so creating the steps again (a re-run, a
# partner's copy of the same initiative) names the same records instead of adding more.
STEP_NAMESPACE = uuid.UUID("8d7f1b9e-2f4c-4c55-9a53-1f0b6cf4a3e2")
STEPS: tuple[FormationStepKind, ...] = tuple(FormationStepKind)


def step_id(initiative_id: str, step: str) -> str:
    return str(uuid.uuid5(STEP_NAMESPACE, f"{initiative_id}/{step}"))


def step_kind(name: str) -> FormationStepKind:
    """The step typed on the command line (``letter-of-intent`` or ``letter_of_intent``)."""
    value = name.strip().lower().replace("-", "_")
    for kind in STEPS:
        if kind.value == value:
            return kind
    raise ValidationError(_("Unknown formation step “{name}”. Known steps: {known}.").format(
        name=name, known=", ".join(k.value.replace("_", "-") for k in STEPS)), field="step")


def stage_of(statuses: Mapping[str, str | None]) -> ClusterStage:
    """The cluster's stage for its initiative's steps (step value -> status value)."""
    if statuses.get(FormationStepKind.AGREEMENT.value) == StepStatus.DONE.value:
        return ClusterStage.ESTABLISHED
    if statuses.get(FormationStepKind.LETTER_OF_INTENT.value) == StepStatus.DONE.value:
        return ClusterStage.FORMING
    return ClusterStage.IDEA


def _table(entity: str):
    return model_for(entity).__table__


def _live_initiative(session: Session, initiative_id: str):
    table = _table("initiative")
    row = session.execute(select(table.c.cluster_id, table.c.deleted)
                          .where(table.c.id == initiative_id)).first()
    if row is None or row.deleted:
        raise ValidationError(_("The initiative of this step has been deleted: restore the "
                                "initiative before changing its steps."),
                              field="initiative_id", entity="formation_step")
    return row


def _complete_step(session: Session, values: dict[str, Any], before: Mapping[str, Any] | None,
                   record_id: str) -> dict[str, Any]:
    """A step done without a date is done today; a date in the future, a second record of
    the same step, or a step moved to another step or initiative is refused."""
    _live_initiative(session, values["initiative_id"])
    if before is not None and (values["step"] != before["step"]
                               or values["initiative_id"] != before["initiative_id"]):
        raise ValidationError(_("A formation step stays the step of its initiative: change "
                                "its status or date instead."), field="step",
                              entity="formation_step")
    if before is None:
        table = _table("formation_step")
        if session.execute(select(table.c.id).where(
                table.c.initiative_id == values["initiative_id"],
                table.c.step == values["step"], table.c.deleted.is_(False),
                table.c.id != record_id)).first():
            raise ValidationError(_("The initiative already has this step."), field="step",
                                  entity="formation_step")
    done = values.get("status") == StepStatus.DONE.value
    today = dt.date.today()
    if done and values.get("done_on") is None:
        values["done_on"] = today
    elif (not done and before is not None and before.get("status") == StepStatus.DONE.value
          and values.get("done_on") == before.get("done_on")):
        values["done_on"] = None  # reopened: it is no longer done on that day
    if values.get("done_on") is not None and values["done_on"] > today:
        raise ValidationError(_("{date} is in the future: a step is done on a day that has "
                                "come.").format(date=format_date(values["done_on"])),
                              field="done_on", entity="formation_step")
    return values


def _stage_write(cluster_id: str, stage: ClusterStage) -> tuple[tuple[str, str, Mapping[str, Any]], ...]:
    return (("cluster", cluster_id, {"stage": stage.value}),)


def _follow_initiative(session: Session, record_id: str, before: Mapping[str, Any] | None,
                       after: Mapping[str, Any]) -> Follow:
    """A new initiative gets its five steps, and its cluster the stage "idea" (if it had
    none)."""
    if before is not None:
        return Follow()
    new = tuple(("formation_step", step_id(record_id, kind.value), {
        "initiative_id": record_id, "step": kind.value,
        "status": StepStatus.NOT_STARTED.value, "advisor_id": after.get("advisor_id")})
        for kind in STEPS)
    cluster = _table("cluster")
    stage = session.execute(select(cluster.c.stage).where(
        cluster.c.id == after["cluster_id"])).scalar()
    writes = () if stage else _stage_write(after["cluster_id"], ClusterStage.IDEA)
    return Follow(new=new, writes=writes)


def initiative_statuses(session: Session, initiative_id: str) -> dict[str, str | None]:
    """Step value -> status of an initiative's live steps."""
    table = _table("formation_step")
    return dict(session.execute(select(table.c.step, table.c.status).where(
        table.c.initiative_id == initiative_id, table.c.deleted.is_(False))).all())


def _follow_step(session: Session, record_id: str, before: Mapping[str, Any] | None,
                 after: Mapping[str, Any]) -> Follow:
    """The cluster's stage follows the steps: letter of intent done → forming, agreement
    done → established, and back when a step is reopened."""
    if before is not None and before.get("status") == after.get("status"):
        return Follow()
    cluster_id = _live_initiative(session, after["initiative_id"]).cluster_id
    return Follow(writes=_stage_write(
        cluster_id, stage_of(initiative_statuses(session, after["initiative_id"]))))


RULES: dict[str, Rule] = {
    "initiative": Rule(follow=_follow_initiative),
    "formation_step": Rule(complete=_complete_step, follow=_follow_step),
}


def countries_of_members(session: Session, cluster_id: str) -> frozenset[str]:
    """The countries of the organisations with a live membership of the cluster (both
    ``PL`` and ``DE``: a cross-border cluster)."""
    membership, organisation = _table("membership"), _table("organisation")
    return frozenset(country for (country,) in session.execute(
        select(organisation.c.country).join(
            membership, membership.c.organisation_id == organisation.c.id).where(
            membership.c.cluster_id == cluster_id, membership.c.deleted.is_(False),
            membership.c.left_on.is_(None), organisation.c.deleted.is_(False)).distinct())
        if country)
