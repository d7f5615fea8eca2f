"""Demo clusters being formed (issue 20): a cross-border initiative whose members joined by
accession declaration, now at its cooperation agreement, and one just started."""

from __future__ import annotations

import datetime as dt
from typing import Any

from euregionet_desktop.domain.enums import FormationStepKind, StepStatus
from euregionet_desktop.services.demo.clusters import ClusterInfo
from euregionet_desktop.services.demo.identifiers import new_id
from euregionet_desktop.services.demo.people import PeopleSteps
from euregionet_desktop.services.formation import step_id

D = dt.date
# The clusters of the reference set founded during the programme (resources/demo):
# (name, the step the initiative is at, its status there).
FORMING = (
    ("Klaster Zwalczania Gatunków Inwazyjnych", FormationStepKind.AGREEMENT,
     StepStatus.IN_PROGRESS),
    ("Klaster GO GREEN", FormationStepKind.LETTER_OF_INTENT, StepStatus.IN_PROGRESS),
)
ACCESSION_DAYS = 300  # members joining this soon after the letter of intent signed one


class InitiativeSteps(PeopleSteps):
    """Initiatives and their steps; the members that joined by accession declaration."""

    def forming_clusters(self) -> list[tuple[ClusterInfo, FormationStepKind, StepStatus]]:
        by_name = {c.name_pl: c for c in self.clusters}
        return [(by_name[name], at, status) for name, at, status in FORMING
                if name in by_name and by_name[name].founded_on is not None]

    def plan_declarations(self) -> None:
        """Members won soon after the letter of intent signed an accession declaration
        (before the memberships are written)."""
        for cluster, _at, _status in self.forming_clusters():
            start = cluster.founded_on
            for row in self.memberships:
                joined = row["joined_on"]
                if (row["cluster_id"] == cluster.id and row["recruited_by_programme"]
                        and start < joined <= start + dt.timedelta(days=ACCESSION_DAYS)):
                    row["declaration_signed_on"] = joined

    def initiative_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        initiatives, steps = [], []
        # The seat: the coordinator's town (the clusters file names an area, in English).
        towns = {org.id: org.city.name for org in self.organisations}
        for cluster, at, status in self.forming_clusters():
            initiative_id = new_id()
            advisor = self.advisors[cluster.office][0]
            initiatives.append({
                "id": initiative_id, "cluster_id": cluster.id, "advisor_id": advisor,
                "office_id": self.office_ids[cluster.office], "started_on": cluster.founded_on,
                "seat": towns.get(cluster.coordinator_id or "") or cluster.region.split(",")[0],
                "duration_months": 36})
            signed = sorted(row["declaration_signed_on"] for row in self.memberships
                            if row["cluster_id"] == cluster.id
                            and row.get("declaration_signed_on"))
            done_on = {FormationStepKind.LETTER_OF_INTENT: cluster.founded_on,
                       FormationStepKind.ACCESSION: signed[-1] if signed
                       else cluster.founded_on}
            order = list(FormationStepKind)
            for kind in order:
                before = order.index(kind) < order.index(at)
                steps.append({
                    "id": step_id(initiative_id, kind.value), "initiative_id": initiative_id,
                    "step": kind.value, "advisor_id": advisor,
                    "status": (StepStatus.DONE if before else status if kind == at
                               else StepStatus.NOT_STARTED).value,
                    "done_on": done_on.get(kind) if before else None})
        return initiatives, steps
