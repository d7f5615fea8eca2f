"""The programme's result indicators, counted from the records against their targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select, and_, func, select
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


def _events(kind: EventKind) -> Callable[[Period], Select]:
    def query(period: Period) -> Select:
        return (select(Event.office_id, func.count())
                .where(Event.deleted.is_(False), Event.kind == kind.value,
                       Event.starts_on.between(*period))
                .group_by(Event.office_id))
    return query


def _evaluated_clusters(period: Period) -> Select:
    return (select(Evaluation.office_id, func.count(Evaluation.cluster_id.distinct()))
            .select_from(Evaluation).join(Cluster, Cluster.id == Evaluation.cluster_id)
            .where(Evaluation.deleted.is_(False), Cluster.deleted.is_(False),
                   Evaluation.evaluated_on.between(*period))
            .group_by(Evaluation.office_id))


def _action_plans(period: Period) -> Select:
    return (select(ActionPlan.office_id, func.count())
            .select_from(ActionPlan).join(Cluster, Cluster.id == ActionPlan.cluster_id)
            .where(ActionPlan.deleted.is_(False), Cluster.deleted.is_(False),
                   ActionPlan.status.in_([s.value for s in AGREED_PLAN_STATUSES]),
                   ActionPlan.signed_on.is_(None) | ActionPlan.signed_on.between(*period))
            .group_by(ActionPlan.office_id))


def _new_members(period: Period) -> Select:
    # A member recruited through the programme counts for the office supporting the cluster.
    return (select(Cluster.office_id, func.count())
            .select_from(Membership).join(Cluster, Cluster.id == Membership.cluster_id)
            .where(Membership.deleted.is_(False), Cluster.deleted.is_(False),
                   Membership.recruited_by_programme.is_(True),
                   Membership.joined_on.between(*period))
            .group_by(Cluster.office_id))


def _new_cross_border_clusters(period: Period) -> Select:
    return (select(Cluster.office_id, func.count())
            .where(Cluster.deleted.is_(False), Cluster.cross_border.is_(True),
                   Cluster.founded_on.between(*period))
            .group_by(Cluster.office_id))


def _cluster_directory(period: Period) -> Select:
    # The directory is produced by the partnership as a whole: it counts once generated,
    # whenever that is, and belongs to no single office.
    return (select(None, func.count())
            .where(and_(Attachment.deleted.is_(False),
                        Attachment.kind == AttachmentKind.DIRECTORY.value)))


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
        by_office: dict[str, int] = {}
        total = 0
        for office_id, count in session.execute(counter(period)):
            total += count
            code = office_codes.get(office_id)
            if code:
                by_office[code] = by_office.get(code, 0) + count
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
