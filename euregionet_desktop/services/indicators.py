"""The programme's result indicators, counted from the records against their targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select, null, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import AGREED_PLAN_STATUSES, AttachmentKind, EventKind
from euregionet_desktop.services.dto import IndicatorValue
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.storage.models import (
    ActionPlan,
    Attachment,
    Cluster,
    Evaluation,
    Event,
    Indicator,
    Membership,
    Office,
)

Period = tuple[dt.date, dt.date]


# Each counter selects (office id, id of the thing counted); the value is the number of
# distinct things, so a cluster evaluated by two offices counts once in the total and once
# in each office's share.


def _events(kind: EventKind) -> Callable[[Period], Select]:
    def query(period: Period) -> Select:
        return select(Event.office_id, Event.id).where(
            Event.deleted.is_(False), Event.kind == kind.value, Event.starts_on.between(*period))
    return query


def _evaluated_clusters(period: Period) -> Select:
    return (select(Evaluation.office_id, Evaluation.cluster_id)
            .select_from(Evaluation).join(Cluster, Cluster.id == Evaluation.cluster_id)
            .where(Evaluation.deleted.is_(False), Cluster.deleted.is_(False),
                   Evaluation.evaluated_on.between(*period)))


def _action_plans(period: Period) -> Select:
    return (select(ActionPlan.office_id, ActionPlan.id)
            .select_from(ActionPlan).join(Cluster, Cluster.id == ActionPlan.cluster_id)
            .where(ActionPlan.deleted.is_(False), Cluster.deleted.is_(False),
                   ActionPlan.status.in_([s.value for s in AGREED_PLAN_STATUSES]),
                   ActionPlan.signed_on.is_(None) | ActionPlan.signed_on.between(*period)))


def _new_members(period: Period) -> Select:
    # A member recruited through the programme counts for the office supporting the cluster.
    return (select(Cluster.office_id, Membership.id)
            .select_from(Membership).join(Cluster, Cluster.id == Membership.cluster_id)
            .where(Membership.deleted.is_(False), Cluster.deleted.is_(False),
                   Membership.recruited_by_programme.is_(True),
                   Membership.joined_on.between(*period)))


def _new_cross_border_clusters(period: Period) -> Select:
    return select(Cluster.office_id, Cluster.id).where(
        Cluster.deleted.is_(False), Cluster.cross_border.is_(True),
        Cluster.founded_on.between(*period))


def _cluster_directory(period: Period) -> Select:
    # The directory is produced by the partnership as a whole: it counts once generated,
    # whenever that is, and belongs to no single office.
    return select(null(), Attachment.id).where(
        Attachment.deleted.is_(False), Attachment.kind == AttachmentKind.DIRECTORY.value)


COUNTERS: dict[str, Callable[[Period], Select]] = {
    "opening_conference": _events(EventKind.OPENING_CONFERENCE),
    "kickoff_meetings": _events(EventKind.KICKOFF),
    "partner_meetings": _events(EventKind.PARTNER_MEETING),
    "study_trips": _events(EventKind.STUDY_TRIP),
    "evaluated_clusters": _evaluated_clusters,
    "cluster_congress": _events(EventKind.CLUSTER_CONGRESS),
    "action_plans": _action_plans,
    "new_members": _new_members,
    "new_cross_border_clusters": _new_cross_border_clusters,
    "cluster_directory": _cluster_directory,
    "closing_conference": _events(EventKind.CLOSING_CONFERENCE),
}


def indicators(session: Session, *, office: str | None = None,
               period_start: dt.date | None = None,
               period_end: dt.date | None = None) -> list[IndicatorValue]:
    """Each indicator with its target and value (optionally one office's share, one period)."""
    office_codes = dict(session.execute(select(Office.id, Office.code)).all())
    result = []
    for indicator in session.execute(
        select(Indicator).where(Indicator.deleted.is_(False)).order_by(Indicator.position)
    ).scalars():
        counter = COUNTERS.get(indicator.code)
        if counter is None:
            continue
        period = (period_start or indicator.period_start, period_end or indicator.period_end)
        counted: set[str] = set()
        per_office: dict[str, set[str]] = {}
        for office_id, item in session.execute(counter(period)):
            counted.add(item)
            code = office_codes.get(office_id)
            if code:
                per_office.setdefault(code, set()).add(item)
        by_office = {code: len(items) for code, items in per_office.items()}
        total = len(counted)
        values = {c.key: getattr(indicator, c.key) for c in Indicator.__table__.columns}
        result.append(IndicatorValue(
            code=indicator.code,
            name=record_label("indicator", values),
            target=indicator.target,
            value=by_office.get(office.upper(), 0) if office else total,
            period_start=period[0].isoformat(),
            period_end=period[1].isoformat(),
            by_office=dict(sorted(by_office.items())),
        ))
    return result
