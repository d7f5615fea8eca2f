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
# The retention setting (programme.retention_contact_years) takes whole years up to this: a
# longer one is a typo (500 for 5), not a decision (services.retention).
RETENTION_MAX_YEARS = 50
PERIOD_START = dt.date(2017, 4, 1)
PERIOD_END = dt.date(2020, 8, 31)

# The programme's identity every document prints: one record, the same id everywhere, so
# every office edits the same fields (services.programme).
PROGRAMME_ID = reference_id("programme", "identity")
PROJECT_NAME_PL = "EuRegioNet – umiędzynarodowienie sieci i klastrów"
PROJECT_NAME_DE = "EuRegioNet – Internationalisierung von Netzwerken und Clustern"


@dataclass(frozen=True)
class PeriodWording:
    """What the rules of a programming period make documents print: the programme's name,
    the EU co-financing statement and the slogan, in Polish and in German (data, not
    messages: the funder prescribes the words, a translator does not choose them)."""

    programme_name_pl: str
    programme_name_de: str
    cofinancing_pl: str
    cofinancing_de: str
    slogan_pl: str | None
    slogan_de: str | None

    def values(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in PERIOD_WORDING_FIELDS}


PERIOD_WORDING_FIELDS: tuple[str, ...] = (
    "programme_name_pl", "programme_name_de", "cofinancing_pl", "cofinancing_de",
    "slogan_pl", "slogan_de")

# By enums.ProgrammePeriod value. 2014–2020: the statement names the fund and the programme,
# with the programme's slogan; 2021–2027: the emblem's statement alone, no slogan.
PERIOD_WORDINGS: dict[str, PeriodWording] = {
    "2014-2020": PeriodWording(
        programme_name_pl="Interreg V A Brandenburgia–Polska 2014–2020",
        programme_name_de="Interreg V A Brandenburg–Polen 2014–2020",
        cofinancing_pl=(
            "Projekt jest współfinansowany przez Unię Europejską ze środków Europejskiego "
            "Funduszu Rozwoju Regionalnego w ramach Programu Współpracy INTERREG V A "
            "Brandenburgia–Polska 2014–2020."),
        cofinancing_de=(
            "Das Projekt wird von der Europäischen Union aus Mitteln des Europäischen Fonds "
            "für regionale Entwicklung im Rahmen des Kooperationsprogramms INTERREG V A "
            "Brandenburg–Polen 2014–2020 kofinanziert."),
        slogan_pl="Przekraczamy granice. Programy dla obywateli.",
        slogan_de="Wir überschreiten Grenzen. Programme für Bürger."),
    "2021-2027": PeriodWording(
        programme_name_pl="Interreg VI A Brandenburgia–Polska 2021–2027",
        programme_name_de="Interreg VI A Brandenburg–Polen 2021–2027",
        cofinancing_pl="Współfinansowane przez Unię Europejską",
        cofinancing_de="Kofinanziert von der Europäischen Union",
        slogan_pl=None, slogan_de=None),
}
DEFAULT_PERIOD = "2014-2020"


def seeded_programme() -> dict[str, object]:
    """The programme record every installation starts with (the 2014–2020 project)."""
    return {"period": DEFAULT_PERIOD, **PERIOD_WORDINGS[DEFAULT_PERIOD].values(),
            "project_name_pl": PROJECT_NAME_PL, "project_name_de": PROJECT_NAME_DE,
            "period_start": PERIOD_START, "period_end": PERIOD_END}


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
