"""Programme reference data: the partner offices, result indicators and the evaluation questionnaire."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from euregionet_desktop.i18n import N_

# Reference records get ids derived from their codes, so every installation seeds the
# same rows and bundles between offices refer to them without duplicates.
_NAMESPACE = uuid.UUID("6f1c2a55-4c4e-4d8e-9a51-0e2c1b3f7a10")


def reference_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{code}"))


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    name: str
    city: str
    country: str
    lead_partner: bool = False

    @property
    def id(self) -> str:
        return reference_id("office", self.code)


OFFICES: tuple[OfficeInfo, ...] = (
    OfficeInfo("BIC", "Business and Innovation Centre Frankfurt (Oder) GmbH", "Frankfurt (Oder)", "DE", True),
    OfficeInfo("LOP", "Lubuska Organizacja Pracodawców", "Gorzów Wielkopolski", "PL"),
    OfficeInfo("SNB", "Stowarzyszenie Gmin RP Euroregionu \u201eSprewa-Nysa-Bóbr\u201d", "Gubin", "PL"),
    OfficeInfo("CIT", "Centrum für Innovation und Technologie GmbH", "Forst (Lausitz)", "DE"),
)

PROGRAMME_NAME = "EuRegioNet"
PERIOD_START = dt.date(2017, 4, 1)
PERIOD_END = dt.date(2020, 8, 31)


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name_en: str
    name_pl: str
    name_de: str
    target: int

    @property
    def id(self) -> str:
        return reference_id("indicator", self.code)


INDICATORS: tuple[IndicatorInfo, ...] = (
    IndicatorInfo("opening_conference", "Opening conference", "Konferencja otwierająca", "Eröffnungskonferenz", 1),
    IndicatorInfo("kickoff_meetings", "Regional kick-off meetings", "Regionalne spotkania startowe", "Regionale Auftaktveranstaltungen", 4),
    IndicatorInfo("partner_meetings", "Partner meetings / project council", "Spotkania partnerów / Rada Projektu", "Partnertreffen / Projektrat", 6),
    IndicatorInfo("study_trips", "Study trips", "Podróże studyjne", "Studienreisen", 6),
    IndicatorInfo("evaluated_clusters", "Evaluated clusters", "Klastry poddane ewaluacji", "Evaluierte Cluster", 16),
    IndicatorInfo("cluster_congress", "Cross-border cluster congress", "Transgraniczny kongres klastrowy", "Grenzüberschreitender Clusterkongress", 1),
    IndicatorInfo("action_plans", "Agreements / action plans", "Porozumienia / plany działań", "Kooperationsvereinbarungen / Aktionspläne", 8),
    IndicatorInfo("new_members", "New cluster members", "Nowi członkowie klastrów", "Neue Clustermitglieder", 20),
    IndicatorInfo("new_cross_border_clusters", "New cross-border clusters", "Nowe klastry transgraniczne", "Neue grenzüberschreitende Cluster", 2),
    IndicatorInfo("cluster_directory", "Cluster directory", "Informator klastrowy", "Clusterinformator", 1),
    IndicatorInfo("closing_conference", "Closing conference", "Konferencja zakończeniowa", "Abschlusskonferenz", 1),
)


@dataclass(frozen=True)
class EvaluationArea:
    code: str
    name: str  # marked with N_, translated at use
    questions: tuple[tuple[str, str], ...]  # (code, text marked with N_)


# The six ESCA cluster benchmarking areas, with the questions the advisors score 0–4.
EVALUATION_AREAS: tuple[EvaluationArea, ...] = (
    EvaluationArea("structure", N_("Structure of the cluster"), (
        ("structure.members", N_("Number and mix of members")),
        ("structure.smes", N_("Share of SMEs among the members")),
        ("structure.research", N_("Research institutions among the members")),
    )),
    EvaluationArea("governance", N_("Management and governance"), (
        ("governance.staff", N_("Cluster management staff")),
        ("governance.strategy", N_("Written strategy and work programme")),
        ("governance.decisions", N_("Involvement of members in decisions")),
    )),
    EvaluationArea("financing", N_("Financing"), (
        ("financing.own_funds", N_("Share of own funds and member fees")),
        ("financing.stability", N_("Stability of financing")),
    )),
    EvaluationArea("services", N_("Services"), (
        ("services.portfolio", N_("Range of services for members")),
        ("services.use", N_("Use of the services by members")),
    )),
    EvaluationArea("cooperation", N_("Cooperation and interaction"), (
        ("cooperation.members", N_("Cooperation among the members")),
        ("cooperation.cross_border", N_("Cross-border and international cooperation")),
        ("cooperation.communication", N_("Internal and external communication")),
    )),
    EvaluationArea("achievements", N_("Achievements and recognition"), (
        ("achievements.projects", N_("Joint projects completed")),
        ("achievements.visibility", N_("Visibility and recognition")),
    )),
)

QUESTION_CODES: tuple[str, ...] = tuple(q for area in EVALUATION_AREAS for q, _text in area.questions)
QUESTIONNAIRE_VERSION = "ESCA-2017"
MAX_SCORE = 4

# What each score of the questionnaire means (printed with every evaluation report).
SCORE_SCALE: tuple[tuple[int, str], ...] = (
    (0, N_("not in place")),
    (1, N_("initial: first steps, not yet working")),
    (2, N_("partly developed: works, with clear gaps")),
    (3, N_("well developed: works, with minor gaps")),
    (4, N_("fully developed: an example for other clusters")),
)
