"""The programme's result indicators, counted from the records against their targets,
each counted record with the evidence behind it (a scan, a photo) or flagged without."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, null, or_, select
from sqlalchemy.orm import Session, aliased

from euregionet_desktop.domain.enums import (
    AGREED_PLAN_STATUSES,
    AttachmentKind,
    Country,
    EventKind,
    FormationStepKind,
    StepStatus,
)
from euregionet_desktop.services.dto import CountedItem, EvidenceFile, IndicatorValue
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.services.records import labels as record_labels
from euregionet_desktop.storage.models import (
    ActionPlan,
    Attachment,
    Cluster,
    Evaluation,
    Event,
    FormationStep,
    Indicator,
    Initiative,
    Membership,
    Office,
    Organisation,
)

Period = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Counter:
    """What an indicator counts and what proves it.

    ``query(period, today)`` selects (office id, id of the thing counted, the date it
    counts on); the value is the number of distinct things, so a cluster evaluated by two
    offices counts once in the total and once in each office's share. ``evidence`` gives,
    for the counted ids, the attachments that prove each one."""

    entity: str
    query: Callable[[Period, dt.date], Select]
    evidence: Callable[[Session, list[str], Period], dict[str, list[EvidenceFile]]]


def _attached(kinds: Iterable[AttachmentKind], entity: str):
    """Evidence: attachments of ``kinds`` linked to the counted record itself."""
    values = [k.value for k in kinds]

    def find(session: Session, ids: list[str], _period: Period) -> dict[str, list[EvidenceFile]]:
        return _linked(session, entity, {i: i for i in ids}, values)
    return find


def _linked(session: Session, entity: str, owner_of: dict[str, str],
            kinds: list[str] | None) -> dict[str, list[EvidenceFile]]:
    """Attachments linked to records of ``entity`` (ids: keys of ``owner_of``), gathered
    under the counted item each belongs to; any kind but a template when ``kinds`` is
    None."""
    found: dict[str, list[EvidenceFile]] = {}
    if not owner_of:
        return found
    query = select(Attachment.id, Attachment.file_name, Attachment.kind,
                   Attachment.linked_id).where(
        Attachment.deleted.is_(False), Attachment.linked_entity == entity,
        Attachment.linked_id.in_(list(owner_of)))
    query = (query.where(Attachment.kind.in_(kinds)) if kinds is not None
             else query.where(Attachment.kind != AttachmentKind.TEMPLATE.value))
    for row in session.execute(query.order_by(Attachment.created_at, Attachment.id)):
        found.setdefault(owner_of[row.linked_id], []).append(
            EvidenceFile(row.id, row.file_name, row.kind))
    return found


def _events(kind: EventKind) -> Counter:
    def query(period: Period, today: dt.date) -> Select:
        # An event counts once it took place, not when it is planned.
        return select(Event.office_id, Event.id, Event.starts_on).where(
            Event.deleted.is_(False), Event.kind == kind.value,
            Event.starts_on.between(*period), Event.starts_on <= today)
    return Counter("event", query, _attached(
        (AttachmentKind.SIGNED_ATTENDANCE, AttachmentKind.PHOTO), "event"))


def _evaluated_clusters(period: Period, _today: dt.date) -> Select:
    return (select(Evaluation.office_id, Evaluation.cluster_id, Evaluation.evaluated_on)
            .select_from(Evaluation).join(Cluster, Cluster.id == Evaluation.cluster_id)
            .where(Evaluation.deleted.is_(False), Cluster.deleted.is_(False),
                   Evaluation.evaluated_on.between(*period)))


def _evaluation_evidence(session: Session, ids: list[str],
                         period: Period) -> dict[str, list[EvidenceFile]]:
    # A cluster's evaluations in the period: a scan or a report attached to any of them.
    owner_of = dict(session.execute(
        select(Evaluation.id, Evaluation.cluster_id).where(
            Evaluation.deleted.is_(False), Evaluation.cluster_id.in_(ids),
            Evaluation.evaluated_on.between(*period))).all())
    return _linked(session, "evaluation", owner_of, None)


def _action_plans(period: Period, _today: dt.date) -> Select:
    return (select(ActionPlan.office_id, ActionPlan.id, ActionPlan.signed_on)
            .select_from(ActionPlan).join(Cluster, Cluster.id == ActionPlan.cluster_id)
            .where(ActionPlan.deleted.is_(False), Cluster.deleted.is_(False),
                   ActionPlan.status.in_([s.value for s in AGREED_PLAN_STATUSES]),
                   ActionPlan.signed_on.is_(None) | ActionPlan.signed_on.between(*period)))


def _new_members(period: Period, _today: dt.date) -> Select:
    # A member joins by signing an accession declaration in the period; a membership
    # noted before declarations were recorded counts when recruited through the
    # programme and joined in the period. It counts for the office supporting the cluster.
    signed = Membership.declaration_signed_on
    return (select(Cluster.office_id, Membership.id, func.coalesce(signed, Membership.joined_on))
            .select_from(Membership).join(Cluster, Cluster.id == Membership.cluster_id)
            .where(Membership.deleted.is_(False), Cluster.deleted.is_(False),
                   or_(signed.between(*period),
                       and_(signed.is_(None), Membership.recruited_by_programme.is_(True),
                            Membership.joined_on.between(*period)))))


def _both_countries(cluster_id) -> list:
    """Conditions: the cluster has live members from Poland and from Germany."""
    conditions = []
    for country in (Country.PL, Country.DE):
        member = aliased(Membership)
        conditions.append(exists(
            select(member.id).join(Organisation, Organisation.id == member.organisation_id)
            .where(member.cluster_id == cluster_id, member.deleted.is_(False),
                   Organisation.deleted.is_(False), Organisation.country == country.value)))
    return conditions


def _new_cross_border_clusters(period: Period, _today: dt.date) -> Select:
    # A cluster formed through the programme counts once its cooperation agreement is
    # signed (the agreement step done in the period) with members from both countries.
    formed = (select(Initiative.office_id, Initiative.cluster_id, FormationStep.done_on)
              .select_from(Initiative)
              .join(Cluster, Cluster.id == Initiative.cluster_id)
              .join(FormationStep, FormationStep.initiative_id == Initiative.id)
              .where(Initiative.deleted.is_(False), Cluster.deleted.is_(False),
                     FormationStep.deleted.is_(False),
                     FormationStep.step == FormationStepKind.AGREEMENT.value,
                     FormationStep.status == StepStatus.DONE.value,
                     FormationStep.done_on.between(*period),
                     *_both_countries(Cluster.id)))
    # A cluster recorded without an initiative counts by its own founding date.
    recorded = select(Cluster.office_id, Cluster.id, Cluster.founded_on).where(
        Cluster.deleted.is_(False), Cluster.cross_border.is_(True),
        Cluster.founded_on.between(*period),
        ~exists(select(Initiative.id).where(Initiative.cluster_id == Cluster.id,
                                            Initiative.deleted.is_(False))))
    return formed.union_all(recorded)


def _agreement_evidence(session: Session, ids: list[str],
                        _period: Period) -> dict[str, list[EvidenceFile]]:
    # The signed agreement, attached to the initiative, its agreement step or the cluster.
    kinds = [AttachmentKind.SIGNED_AGREEMENT.value]
    initiatives = dict(session.execute(select(Initiative.id, Initiative.cluster_id).where(
        Initiative.deleted.is_(False), Initiative.cluster_id.in_(ids))).all())
    steps = dict(session.execute(
        select(FormationStep.id, Initiative.cluster_id)
        .join(Initiative, Initiative.id == FormationStep.initiative_id)
        .where(FormationStep.initiative_id.in_(list(initiatives)),
               FormationStep.step == FormationStepKind.AGREEMENT.value)).all())
    found: dict[str, list[EvidenceFile]] = {}
    for entity, owner_of in (("cluster", {i: i for i in ids}), ("initiative", initiatives),
                             ("formation_step", steps)):
        for owner, files in _linked(session, entity, owner_of, kinds).items():
            found.setdefault(owner, []).extend(files)
    return found


def _cluster_directory(_period: Period, _today: dt.date) -> Select:
    # The directory is produced by the partnership as a whole: it counts once generated,
    # whenever that is, and belongs to no single office. The file is its own evidence.
    return select(null(), Attachment.id, null()).where(
        Attachment.deleted.is_(False), Attachment.kind == AttachmentKind.DIRECTORY.value)


def _itself(session: Session, ids: list[str], _period: Period) -> dict[str, list[EvidenceFile]]:
    return {row.id: [EvidenceFile(row.id, row.file_name, row.kind)] for row in session.execute(
        select(Attachment.id, Attachment.file_name, Attachment.kind).where(
            Attachment.id.in_(ids)))}


COUNTERS: dict[str, Counter] = {
    "opening_conference": _events(EventKind.OPENING_CONFERENCE),
    "kickoff_meetings": _events(EventKind.KICKOFF),
    "partner_meetings": _events(EventKind.PARTNER_MEETING),
    "study_trips": _events(EventKind.STUDY_TRIP),
    "evaluated_clusters": Counter("cluster", _evaluated_clusters, _evaluation_evidence),
    "cluster_congress": _events(EventKind.CLUSTER_CONGRESS),
    "action_plans": Counter("action_plan", _action_plans, _attached(
        (AttachmentKind.SIGNED_AGREEMENT,), "action_plan")),
    "new_members": Counter("membership", _new_members, _attached(
        (AttachmentKind.DECLARATION,), "membership")),
    "new_cross_border_clusters": Counter("cluster", _new_cross_border_clusters,
                                         _agreement_evidence),
    "cluster_directory": Counter("attachment", _cluster_directory, _itself),
    "closing_conference": _events(EventKind.CLOSING_CONFERENCE),
}


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def indicators(session: Session, *, office: str | None = None,
               period_start: dt.date | None = None, period_end: dt.date | None = None,
               today: dt.date | None = None) -> list[IndicatorValue]:
    """Each indicator with its target, value and counted records with their evidence
    (optionally one office's share, one period)."""
    today = today or dt.date.today()
    office_codes = dict(session.execute(select(Office.id, Office.code)).all())
    wanted = office.upper() if office else None
    result = []
    for indicator in session.execute(
        select(Indicator).where(Indicator.deleted.is_(False)).order_by(Indicator.position)
    ).scalars():
        counter = COUNTERS.get(indicator.code)
        if counter is None:
            continue
        period = (period_start or indicator.period_start, period_end or indicator.period_end)
        offices_of: dict[str, set[str]] = {}
        on: dict[str, dt.date | None] = {}
        for office_id, item, day in session.execute(counter.query(period, today)):
            codes = offices_of.setdefault(item, set())
            if office_codes.get(office_id):
                codes.add(office_codes[office_id])
            if day is not None and (on.get(item) is None or day < on[item]):
                on[item] = day
            on.setdefault(item, day)
        by_office: dict[str, int] = {}
        for codes in offices_of.values():
            for code in codes:
                by_office[code] = by_office.get(code, 0) + 1
        shown = sorted(i for i, codes in offices_of.items() if not wanted or wanted in codes)
        evidence: dict[str, list[EvidenceFile]] = {}
        labels: dict[str, str] = {}
        for chunk in _chunks(shown):
            evidence.update(counter.evidence(session, chunk, period))
            labels.update(record_labels(session, entity=counter.entity, record_ids=chunk))
        items = sorted((CountedItem(
            entity=counter.entity, id=item, label=labels.get(item, item),
            office=(wanted if wanted else ", ".join(sorted(offices_of[item])) or None),
            on=on[item].isoformat() if on.get(item) else None,
            evidence=tuple(evidence.get(item, ()))) for item in shown),
            key=lambda i: (i.on or "", i.label.casefold(), i.id))
        values = {c.key: getattr(indicator, c.key) for c in Indicator.__table__.columns}
        result.append(IndicatorValue(
            code=indicator.code,
            name=record_label("indicator", values),
            target=indicator.target,
            value=len(items),
            period_start=period[0].isoformat(),
            period_end=period[1].isoformat(),
            by_office=dict(sorted(by_office.items())),
            items=tuple(items),
        ))
    return result
