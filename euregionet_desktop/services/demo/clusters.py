"""The state of a demo run, and its clusters: the real ones, invented ones, the work on them."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import (
    ActionPlanStatus,
    ClusterKind,
    ClusterStage,
    SupportStatus,
)
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.package_data import data_path
from euregionet_desktop.services.demo.bulk import Progress, bulk_insert
from euregionet_desktop.services.demo.identifiers import date_between, domain_for, new_id, slug
from euregionet_desktop.services.demo.vocabulary import (
    CLUSTER_DESCRIPTIONS,
    DE_CITIES,
    DE_CLUSTER,
    DE_OFFICES,
    FEATURED_PEOPLE,
    PERIOD_END,
    PL_CITIES,
    PL_OFFICES,
    RESEARCH_PARTNERS,
    SECTOR_BY_KEY,
    SECTOR_WORDS,
    SECTORS,
    City,
    Sector,
    region_code,
    sector_codes,
)
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.sync.changelog import ChangeWriter

CLUSTERS_FILE = data_path("resources", "demo", "clusters.tsv")
DEFAULT_CONTACTS = 300

D = dt.date


# --- The plan: how much of everything, and what was planned ---------------------------


@dataclass(frozen=True)
class Size:
    """How many records of each kind a run makes."""

    contacts: int
    organisations: int
    clusters: int
    consultations: int
    events: int
    scaled: bool

    @classmethod
    def for_contacts(cls, contacts: int | None) -> Size:
        if contacts is None:
            return cls(DEFAULT_CONTACTS, 120, 20, 80, 0, False)
        if contacts < len(FEATURED_PEOPLE):
            raise ValidationError(_("Demo data needs at least {count} contacts.").format(
                count=len(FEATURED_PEOPLE)), field="contacts")
        return cls(contacts, max(len(RESEARCH_PARTNERS) + 2, contacts // 10),
                   max(20, contacts // 100), max(10, contacts // 20), contacts // 500, True)


@dataclass
class ClusterInfo:
    id: str
    name_pl: str
    name_de: str
    country: str
    region: str
    sector: Sector
    sectors: list[str]
    kind: str
    founded_on: dt.date | None
    cross_border: bool
    office: str
    note: str = ""
    real: bool = False
    legal_form: str | None = None
    coordinator_id: str | None = None
    evaluated: bool = False
    plan_status: str | None = None


@dataclass
class OrgInfo:
    id: str
    name: str
    country: str
    city: City
    sector: Sector
    kind: str
    cluster: ClusterInfo


def read_reference_clusters(path: Path = CLUSTERS_FILE) -> list[dict[str, str]]:
    """The rows of the clusters file (name, region, country, sector, note, name_other)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _sector_for(text: str) -> Sector | None:
    lowered = text.lower()
    for word, key in SECTOR_WORDS:
        if word in lowered:
            return SECTOR_BY_KEY[key]
    return None


def _specialisations(country: str, sector_text: str) -> list[str]:
    found: list[str] = []
    for part in sector_text.split(","):
        sector = _sector_for(part)
        if sector is None:
            continue
        spec = (sector.pl_spec if country == "PL" else sector.de_spec).value
        if spec not in found:
            found.append(spec)
    return found


_YEAR = re.compile(r"\b(?:registered|founded|started)\s+(\d{4})")


# --- Generation ----------------------------------------------------------------------------


class ClusterSteps:
    """One generation run: the random source, what was made so far, and the writer.

    This first step plans and writes the clusters; ``people.PeopleSteps`` and
    ``activities.Demo`` add the rest.
    """

    def __init__(self, session: Session, writer: ChangeWriter, rng: random.Random, size: Size,
                 progress: Progress) -> None:
        self.session = session
        self.writer = writer
        self.rng = rng
        self.size = size
        self.progress = progress
        self.today = dt.date.today()
        office = model_for("office").__table__
        self.office_ids: dict[str, str] = dict(
            session.execute(select(office.c.code, office.c.id)).all())
        self.advisors: dict[str, list[str]] = {}
        self.clusters: list[ClusterInfo] = []
        self.organisations: list[OrgInfo] = []
        self.contacts_by_org: dict[str, list[str]] = {}
        self.contact_ids: list[str] = []
        self.memberships: list[dict[str, Any]] = []
        self.mail_counts: dict[str, int] = {}

    def insert(self, entity: str, rows: Iterable[Mapping[str, Any]], total: int,
               stage: str | None = None) -> int:
        return bulk_insert(self.session, self.writer, entity, rows, progress=self.progress,
                           stage=stage or entity, total=total)

    # --- clusters ---

    def plan_clusters(self) -> None:
        rng = self.rng
        for row in read_reference_clusters():
            country = row["country"]
            note = row.get("note") or ""
            name = row["name"]
            year = _YEAR.search(note)
            founded = D(int(year.group(1)), 1, 1) if year else None
            if "during the programme" in note:
                founded = D(2019, 3, 14)
            if "network" in note or "netzwerk" in name.lower() or name.startswith("ARGE"):
                kind = ClusterKind.NETWORK
            elif "initiative" in note:
                kind = ClusterKind.INITIATIVE
            else:
                kind = ClusterKind.CLUSTER
            lausitz = any(w in row["region"] for w in ("Lausitz", "Cottbus", "South"))
            if country == "PL":
                office = "LOP" if "Gorzów" in row["region"] else "SNB"
                names = (name, row["name_other"])
            else:
                office = "CIT" if lausitz else "BIC"
                names = (row["name_other"], name)
            legal_form = None
            if "association" in note:
                legal_form = "stowarzyszenie" if country == "PL" else "eingetragener Verein (e.V.)"
            self.clusters.append(ClusterInfo(
                id=new_id(), name_pl=names[0], name_de=names[1], country=country,
                region=row["region"], sector=_sector_for(row["sector"]) or SECTORS[0],
                sectors=[s.strip() for s in row["sector"].split(",") if s.strip()],
                kind=kind.value, founded_on=founded,
                cross_border="cross-border" in note or "German entities" in note,
                office=office, note=note, real=True, legal_form=legal_form))
        for pl_name, de_name, country, city, sector, kind in itertools.islice(
                self.invented_cluster_names(), self.size.clusters - len(self.clusters)):
            self.clusters.append(ClusterInfo(
                id=new_id(), name_pl=pl_name, name_de=de_name, country=country,
                region=f"{city}, {'Lubuskie' if country == 'PL' else 'Brandenburg'}",
                sector=sector, sectors=[sector.label], kind=kind,
                founded_on=date_between(rng, D(2005, 1, 1), D(2020, 6, 30)),
                cross_border=rng.random() < 0.12,
                office=rng.choice(PL_OFFICES if country == "PL" else DE_OFFICES)))

    def invented_cluster_names(self) -> Iterator[tuple[str, str, str, str, Sector, str]]:
        """Unique made-up cluster names in both languages, for the scaled demo."""
        pl_forms = (
            ("{adj} Klaster {pl}", "{compound} {city}", ClusterKind.CLUSTER),
            ("Inicjatywa Klastrowa {gen} {city}", "Clusterinitiative {de} {city}",
             ClusterKind.INITIATIVE),
            ("Sieć Współpracy {gen} {city}", "Kooperationsnetzwerk {de} {city}",
             ClusterKind.NETWORK),
        )
        de_forms = (
            ("Sieć {gen} {city}", "Netzwerk {de} {city}", ClusterKind.NETWORK),
            ("Klaster {gen} {city}", "Cluster {de} {city}", ClusterKind.CLUSTER),
            ("Inicjatywa {gen} {city}", "Initiative {de} {city}", ClusterKind.INITIATIVE),
            ("Związek {gen} {city}", "Verbund {de} {city}", ClusterKind.NETWORK),
        )
        combos = [(form, city, sector, "PL") for form in pl_forms for city in PL_CITIES
                  for sector in SECTORS]
        combos += [(form, city, sector, "DE") for form in de_forms for city in DE_CITIES
                   for sector in SECTORS]
        self.rng.shuffle(combos)
        for round_number in itertools.count(1):
            suffix = "" if round_number == 1 else f" {round_number}"
            for (pl_form, de_form, kind), city, sector, country in combos:
                words = {"adj": city.adjective, "pl": sector.pl_name, "gen": sector.pl_genitive,
                         "de": sector.de_word, "compound": DE_CLUSTER.get(
                             sector.de_word, f"{sector.de_word}cluster"), "city": city.name}
                yield (pl_form.format(**words) + suffix, de_form.format(**words) + suffix,
                       country, city.name, sector, kind.value)

    def plan_programme_work(self) -> None:
        """Which clusters were evaluated and which got an action plan (in which state)."""
        rng = self.rng
        real = [c for c in self.clusters if c.real]
        candidates = [c for c in real if c.founded_on is None or c.founded_on.year <= 2019]
        candidates = [c for c in candidates if c.kind != ClusterKind.INITIATIVE][:16]
        invented = [c for c in self.clusters if not c.real]
        candidates += [c for c in invented if rng.random() < 0.6
                       and (c.founded_on is None or c.founded_on < D(2019, 9, 1))]
        for cluster in candidates:
            cluster.evaluated = True
        statuses = [ActionPlanStatus.SIGNED, ActionPlanStatus.AGREED, ActionPlanStatus.SIGNED,
                    ActionPlanStatus.IN_PROGRESS, ActionPlanStatus.COMPLETED,
                    ActionPlanStatus.AGREED, ActionPlanStatus.SIGNED, ActionPlanStatus.DRAFT,
                    ActionPlanStatus.IN_PROGRESS]
        # Nine plans on Polish and German clusters, eight of them agreed (the target).
        planned = [candidates[i] for i in (0, 1, 2, 4, 6, 8, 10, 12, 14) if i < len(candidates)]
        planned += [c for c in candidates[16:] if rng.random() < 0.45]
        for n, cluster in enumerate(planned):
            cluster.plan_status = (statuses[n] if n < len(statuses)
                                   else rng.choice(statuses)).value

    def cluster_rows(self) -> Iterator[dict[str, Any]]:
        for c in self.clusters:
            if c.plan_status in ("signed", "in_progress", "completed"):
                status = SupportStatus.SUPPORTED
            elif c.plan_status == "agreed":
                status = SupportStatus.PLAN_AGREED
            elif c.evaluated:
                status = SupportStatus.EVALUATED
            else:
                status = SupportStatus.CONTACTED
            if c.founded_on is None or c.founded_on.year < 2017:
                stage = ClusterStage.ESTABLISHED
            elif c.founded_on <= PERIOD_END:
                stage = ClusterStage.FORMING
            else:
                stage = ClusterStage.IDEA
            descriptions = CLUSTER_DESCRIPTIONS.get(c.name_pl if c.country == "PL" else c.name_de)
            yield {
                "id": c.id, "name_pl": c.name_pl, "name_de": c.name_de, "kind": c.kind,
                "stage": stage.value, "cross_border": c.cross_border,
                "region": region_code(c.region), "country": c.country,
                "sectors": sector_codes(c.sectors),
                "smart_specialisations": _specialisations(c.country, ", ".join(c.sectors)),
                "founded_on": c.founded_on, "legal_form": c.legal_form,
                "website": None if c.real else f"https://{slug(c.name_pl)}.{domain_for(c.country)}",
                "coordinator_id": c.coordinator_id,
                "description_pl": descriptions[0] if descriptions else None,
                "description_de": descriptions[1] if descriptions else None,
                "support_status": status.value, "office_id": self.office_ids[c.office],
            }
