"""The records that belong to a record: a cluster's members, an event's participants, ..."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from euregionet_desktop.i18n import N_
from euregionet_desktop.services import records
from euregionet_desktop.storage.fields import model_for


@dataclass(frozen=True)
class Relation:
    """Records of ``entity`` whose ``link`` field points at the owner."""

    key: str
    label: str  # N_() text; translate at use
    entity: str
    link: str
    columns: tuple[str, ...]


RELATIONS: dict[str, tuple[Relation, ...]] = {
    "cluster": (
        Relation("members", N_("Members"), "membership", "cluster_id",
                 ("organisation_id", "contact_id", "role", "joined_on", "left_on",
                  "recruited_by_programme")),
        Relation("contacts", N_("Contact persons"), "contact", "",
                 ("last_name", "first_name", "function", "organisation_id", "email", "phone")),
        Relation("consultations", N_("Consultations"), "consultation", "cluster_id",
                 ("held_at", "subject", "mode", "advisor_id")),
        Relation("evaluations", N_("Evaluations"), "evaluation", "cluster_id",
                 ("evaluated_on", "evaluator_id", "questionnaire_version")),
        Relation("action_plans", N_("Action plans"), "action_plan", "cluster_id",
                 ("title", "status", "signed_on")),
        Relation("events", N_("Events"), "event", "cluster_id",
                 ("title_pl", "kind", "starts_on", "place")),
        Relation("tasks", N_("Follow-up tasks"), "task", "cluster_id",
                 ("title", "due_on", "done", "assignee_id")),
    ),
    "organisation": (
        Relation("memberships", N_("Memberships"), "membership", "organisation_id",
                 ("cluster_id", "role", "joined_on", "left_on", "recruited_by_programme")),
        Relation("contacts", N_("Contact persons"), "contact", "organisation_id",
                 ("last_name", "first_name", "function", "email", "phone")),
        Relation("consultations", N_("Consultations"), "consultation", "organisation_id",
                 ("held_at", "subject", "mode", "advisor_id")),
        Relation("tasks", N_("Follow-up tasks"), "task", "organisation_id",
                 ("title", "due_on", "done", "assignee_id")),
    ),
    "contact": (
        Relation("memberships", N_("Memberships"), "membership", "contact_id",
                 ("cluster_id", "role", "joined_on", "left_on")),
        Relation("participations", N_("Events"), "participant", "contact_id",
                 ("event_id", "role", "registered", "attended")),
        Relation("tasks", N_("Follow-up tasks"), "task", "contact_id",
                 ("title", "due_on", "done", "assignee_id")),
    ),
    "consultation": (
        Relation("tasks", N_("Follow-up tasks"), "task", "consultation_id",
                 ("title", "assignee_id", "due_on", "done")),
    ),
    "action_plan": (
        Relation("measures", N_("Measures"), "measure", "action_plan_id",
                 ("title", "responsible", "starts_on", "ends_on", "cost", "status")),
    ),
    "event": (
        Relation("participants", N_("Participants"), "participant", "event_id",
                 ("contact_id", "name", "organisation_name", "role", "registered", "attended",
                  "photo_consent")),
    ),
}


def relation(entity: str, key: str) -> Relation:
    return next(r for r in RELATIONS.get(entity, ()) if r.key == key)


def related_ids(session: Session, *, entity: str, record_id: str, key: str,
                filter_text: str = "", order_by: str | None = None,
                descending: bool = False) -> list[str]:
    """The live records of one relation, in list order."""
    rel = relation(entity, key)
    if entity == "cluster" and key == "contacts":
        return _cluster_contact_ids(session, record_id, filter_text, order_by, descending)
    return records.list_ids(session, entity=rel.entity, filter_text=filter_text,
                            order_by=order_by, descending=descending,
                            where={rel.link: record_id})


def _cluster_contact_ids(session: Session, cluster_id: str, filter_text: str,
                         order_by: str | None, descending: bool) -> list[str]:
    """People of a cluster: members in their own right and staff of member organisations."""
    membership = model_for("membership").__table__
    contact = model_for("contact").__table__
    live = (membership.c.cluster_id == cluster_id, membership.c.deleted.is_(False))
    member_orgs = select(membership.c.organisation_id).where(
        *live, membership.c.organisation_id.is_not(None))
    member_people = select(membership.c.contact_id).where(
        *live, membership.c.contact_id.is_not(None))
    conditions = [contact.c.deleted.is_(False),
                  or_(contact.c.id.in_(member_people), contact.c.organisation_id.in_(member_orgs))]
    clause = records.filter_clause("contact", filter_text)
    if clause is not None:
        conditions.append(clause)
    order = records.order_column("contact", order_by)
    query = select(contact.c.id).where(*conditions).order_by(
        order.desc() if descending else order, contact.c.id.desc() if descending else contact.c.id)
    return list(session.execute(query).scalars())
