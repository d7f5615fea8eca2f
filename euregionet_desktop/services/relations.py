"""The records that belong to a record (a cluster's members...) and all that point at one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from euregionet_desktop.services import records
from euregionet_desktop.services.relation_table import TABS, pointing_at
from euregionet_desktop.storage.fields import field_map, model_for
from euregionet_desktop.sync.redirects import LINKED_BY_ID


@dataclass(frozen=True)
class Relation:
    """Records of ``entity`` whose ``link`` field points at the owner (a detail pane's tab)."""

    key: str
    label: str  # N_() text; translate at use
    entity: str
    link: str
    columns: tuple[str, ...]


# The tabs of each entity's detail pane, from the one table of references.
RELATIONS: dict[str, tuple[Relation, ...]] = {
    owner: tuple(Relation(r.tab.key, r.tab.label, r.entity, r.field, r.tab.columns)
                 for r in tabs if r.tab is not None)
    for owner, tabs in TABS.items()
}


@dataclass(frozen=True)
class Pointer:
    """One record pointing at another: ``record_id`` of ``entity`` holds it in ``field``."""

    entity: str
    field: str
    record_id: str


def references_to(session: Session, *, entity: str, record_id: str) -> list[Pointer]:
    """Every record that points at this one, deleted ones too: what a merge of duplicates
    re-points and a person report lists.

    Reference fields and lists of references from the table of references, and the
    attachments (files, generated documents) and shared notes linked to the record. (The
    private notes on it are this installation's: services.notes.repoint_private_notes.)
    """
    found: list[Pointer] = []
    for reference in pointing_at(entity):
        if not reference.field:
            continue  # not a stored reference (a cluster's people, through memberships)
        table = model_for(reference.entity).__table__
        column = table.c[reference.field]
        if field_map(reference.entity)[reference.field].kind.is_list:  # a list of references
            items = func.json_each(column).table_valued("value")
            condition = select(items.c.value).where(items.c.value == record_id).exists()
        else:
            condition = column == record_id
        found += [Pointer(reference.entity, reference.field, pointing)
                  for pointing in session.execute(
                      select(table.c.id).where(condition).order_by(table.c.id)).scalars()]
    for linked in LINKED_BY_ID:
        table = model_for(linked).__table__
        found += [Pointer(linked, "linked_id", pointing)
                  for pointing in session.execute(
                      select(table.c.id).where(table.c.linked_entity == entity,
                                               table.c.linked_id == record_id)
                      .order_by(table.c.id)).scalars()]
    return found


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
