"""Demo data: invented firms, people and programme work around the real clusters.

The clusters come from ``resources/demo/clusters.tsv`` (public sources, DESIGN §2); every
organisation other than the programme's named research partners, and every person, is
invented. Everything is written with Core executemany and logged in the change log, so a
demo profile syncs like any other.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import random
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.de import handelsregisternummer
from stdnum.iso7064 import mod_11_10
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import (
    ActionPlanStatus,
    ClusterKind,
    ClusterStage,
    ConsentStatus,
    ConsultationMode,
    Currency,
    EventKind,
    MeasureStatus,
    MembershipRole,
    OrganisationKind,
    ParticipantRole,
    SmartSpecialisation,
    SupportStatus,
    Topic,
)
from euregionet_desktop.errors import ProfileError, ValidationError
from euregionet_desktop.i18n import N_, _, fold, sort_key
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage import search
from euregionet_desktop.storage.fields import fields_of, model_for, sorted_fields, to_json
from euregionet_desktop.sync.changelog import ChangeWriter

CLUSTERS_FILE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "clusters.tsv"
DEFAULT_CONTACTS = 300
CHUNK = 5000

Progress = Callable[[str, int, int], None]


# --- Writing ---------------------------------------------------------------------------

# Names repeat a lot (a few hundred first and last names over 100k people): cache their keys.
_cached_sort_key = functools.lru_cache(maxsize=1 << 16)(sort_key)
# Kinds whose JSON form differs from the Python value (see storage.fields.to_json).
_CONVERTED_KINDS = frozenset({"date", "money"})


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def bulk_insert(session: Session, writer: ChangeWriter, entity: str,
                rows: Iterable[Mapping[str, Any]], *, progress: Progress | None = None,
                stage: str | None = None, total: int = 0) -> int:
    """Store new records given as dicts (``id`` and field values) and log every field.

    Missing fields are NULL (or their column default); sort keys, ``created_at`` and
    ``deleted`` are filled in here. Returns the number of records written.
    """
    table = model_for(entity).__table__
    names = [f.name for f in fields_of(entity)]
    allowed = {"id", *names}
    defaults = [(f.name, table.c[f.name].default.arg) for f in fields_of(entity) if f.has_default]
    converted = [(f.name, f.kind) for f in fields_of(entity) if f.kind in _CONVERTED_KINDS]
    sort_names = [(name, f"{name}_sort") for name in sorted_fields(entity)]
    template = dict.fromkeys(names)
    template.update(created_at=now_iso(), deleted=False)
    done = 0
    for chunk in _chunks(rows, CHUNK):
        records = []
        logged = []
        for values in chunk:
            unknown = values.keys() - allowed
            if unknown:
                raise ValueError(f"{entity} has no field(s) {sorted(unknown)}")
            row = {**template, **values}
            for name, default in defaults:
                if row[name] is None:
                    row[name] = default
            fields = {name: row[name] for name in names if row[name] is not None}
            for name, kind in converted:
                if name in fields:
                    fields[name] = to_json(kind, fields[name])
            for name, sort_column in sort_names:
                value = row[name]
                row[sort_column] = _cached_sort_key(value) if value else None
            records.append(row)
            logged.append((row["id"], fields))
        session.execute(table.insert(), records)
        writer.write_new(entity, logged)
        done += len(records)
        if progress is not None:
            progress(stage or entity, done, max(total, done))
    return done


def _new_id() -> str:
    return str(uuid.uuid4())


# --- Reference vocabulary ----------------------------------------------------------------


@dataclass(frozen=True)
class _Sector:
    key: str
    label: str  # the ``sectors`` value, in English as in clusters.tsv
    pl_name: str  # "Klaster Metalowy"
    pl_genitive: str  # "Sieć Przemysłu Metalowego"
    de_word: str  # "Netzwerk Metall", "Metallcluster"
    pl_spec: SmartSpecialisation
    de_spec: SmartSpecialisation
    pl_firms: tuple[str, ...]  # {s} a surname, {c} a city
    de_firms: tuple[str, ...]


S = SmartSpecialisation
SECTORS: tuple[_Sector, ...] = (
    _Sector("metal", "metal industry", "Metalowy", "Przemysłu Metalowego", "Metall",
            S.INNOVATIVE_INDUSTRY, S.METAL,
            ("Zakład Obróbki Metali {s} sp.j.", "{s} Metal sp. z o.o.", "Metalbud {c} sp. z o.o.",
             "Odlewnia {c} S.A.", "Konstrukcje Stalowe {s} sp. z o.o."),
            ("{s} Metallbau GmbH", "Stahlbau {c} GmbH", "{s} Blechtechnik GmbH & Co. KG",
             "Gießerei {c} GmbH")),
    _Sector("tourism", "tourism", "Turystyczny", "Turystyki", "Tourismus",
            S.HEALTH_QUALITY_OF_LIFE, S.TOURISM,
            ("Biuro Podróży {s}", "Hotel nad Odrą {c} sp. z o.o.", "Agroturystyka {s}",
             "Przewodnicy {c} s.c."),
            ("Reisebüro {s}", "Pension {s}", "Spreewald-Touren {s} GbR", "Hotel am Markt {c} GmbH")),
    _Sector("environment", "environment", "Ekologiczny", "Ochrony Środowiska", "Umwelt",
            S.GREEN_ECONOMY, S.ENERGY,
            ("EkoSerwis {c} sp. z o.o.", "Pracownia Przyrodnicza {s}", "Zieleń {c} sp. z o.o."),
            ("Umwelttechnik {s} GmbH", "Landschaftspflege {c} GmbH", "Büro für Ökologie {s}")),
    _Sector("energy", "energy", "Energii", "Energetyki", "Energie",
            S.GREEN_ECONOMY, S.ENERGY,
            ("EkoEnergia {c} sp. z o.o.", "Fotowoltaika {s} sp.j.", "Instalacje Elektryczne {s}"),
            ("Solartechnik {s} GmbH", "Energieberatung {s}", "Windkraft {c} GmbH & Co. KG")),
    _Sector("food", "food", "Spożywczy", "Przemysłu Spożywczego", "Ernährung",
            S.HEALTH_QUALITY_OF_LIFE, S.FOOD,
            ("Winnica {s}", "Pasieka {s}", "Przetwórnia Owoców {c} sp. z o.o.",
             "Piekarnia {s} s.c."),
            ("Bäckerei {s}", "Feinkost {s} GmbH", "Obsthof {s}", "Imkerei {s}",
             "Mosterei {c} GmbH")),
    _Sector("plastics", "plastics", "Tworzyw Sztucznych", "Tworzyw Sztucznych", "Kunststoff",
            S.INNOVATIVE_INDUSTRY, S.PLASTICS,
            ("Plast-{c} sp. z o.o.", "Tworzywa {s} sp.j.", "Zakład Przetwórstwa Tworzyw {c}"),
            ("Kunststofftechnik {c} GmbH", "{s} Spritzguss GmbH", "Chemie-Service {s} GmbH")),
    _Sector("ict", "ICT", "ICT", "Branży ICT", "IKT",
            S.INNOVATIVE_INDUSTRY, S.ICT_MEDIA,
            ("{s} Software sp. z o.o.", "Studio Graficzne {s}", "IT Serwis {c} sp. z o.o."),
            ("{s} IT-Systeme GmbH", "Medienagentur {s}", "Software {c} UG (haftungsbeschränkt)")),
    _Sector("photonics", "photonics", "Fotoniki", "Optyki i Fotoniki", "Photonik",
            S.INNOVATIVE_INDUSTRY, S.PHOTONICS,
            ("Optyka Precyzyjna {s} sp. z o.o.", "LaserTech {c} sp. z o.o."),
            ("Lasertechnik {s} GmbH", "Optische Systeme {c} GmbH")),
    _Sector("health", "health industries", "Medyczny", "Gospodarki Zdrowotnej", "Gesundheit",
            S.HEALTH_QUALITY_OF_LIFE, S.HEALTH,
            ("Centrum Rehabilitacji {c} sp. z o.o.", "Przychodnia {s} s.c.",
             "MedTech {c} sp. z o.o."),
            ("Praxis für Physiotherapie {s}", "Medizintechnik {c} GmbH",
             "Gesundheitszentrum {s} GmbH")),
    _Sector("logistics", "logistics", "Logistyczny", "Logistyki", "Logistik",
            S.INNOVATIVE_INDUSTRY, S.MOBILITY,
            ("Transport {s} sp. z o.o.", "Spedycja {c} sp. z o.o.",
             "Logistyka {s} i Wspólnicy sp.k."),
            ("Spedition {s} GmbH", "Logistikzentrum {c} GmbH & Co. KG", "{s} Transporte e.K.")),
)
SECTOR_BY_KEY = {sector.key: sector for sector in SECTORS}
# German compounds that need a joining s or a hyphen ("Metall" + "cluster" needs neither).
_DE_CLUSTER = {"Ernährung": "Ernährungscluster", "Gesundheit": "Gesundheitscluster",
               "IKT": "IKT-Cluster"}
# Words of the clusters.tsv sector column, first match wins.
_SECTOR_WORDS = (
    ("metal", "metal"), ("touris", "tourism"), ("wine", "tourism"), ("environment", "environment"),
    ("invasive", "environment"), ("energy", "energy"), ("hydrogen", "energy"),
    ("green", "energy"), ("health", "health"), ("transport", "logistics"),
    ("logistic", "logistics"), ("ict", "ict"), ("media", "ict"), ("optic", "photonics"),
    ("photon", "photonics"), ("food", "food"), ("plastic", "plastics"), ("chemi", "plastics"),
    ("mobility", "logistics"), ("creative", "ict"), ("grid", "energy"), ("electrical", "metal"),
)


@dataclass(frozen=True)
class _City:
    name: str
    postal_code: str
    area_code: str  # national trunk code without the leading 0
    adjective: str = ""  # Polish cities: "Żarski" for invented cluster names
    court: str = ""  # German cities: the register court (Handelsregister)


PL_CITIES: tuple[_City, ...] = (
    _City("Gorzów Wielkopolski", "66-400", "95", "Gorzowski"),
    _City("Zielona Góra", "65-001", "68", "Zielonogórski"),
    _City("Gubin", "66-620", "68", "Gubiński"),
    _City("Świebodzin", "66-200", "68", "Świebodziński"),
    _City("Żary", "68-200", "68", "Żarski"),
    _City("Żagań", "68-100", "68", "Żagański"),
    _City("Międzyrzecz", "66-300", "95", "Międzyrzecki"),
    _City("Krosno Odrzańskie", "66-600", "68", "Krośnieński"),
    _City("Słubice", "69-100", "95", "Słubicki"),
    _City("Nowa Sól", "67-100", "68", "Nowosolski"),
    _City("Sulęcin", "69-200", "95", "Sulęciński"),
    _City("Kostrzyn nad Odrą", "66-470", "95", "Kostrzyński"),
    _City("Wschowa", "67-400", "65", "Wschowski"),
    _City("Lubsko", "68-300", "68", "Lubski"),
)
LODZ = _City("Łódź", "90-302", "42", "Łódzki")
DE_CITIES: tuple[_City, ...] = (
    _City("Frankfurt (Oder)", "15230", "335", court="Frankfurt (Oder)"),
    _City("Cottbus", "03046", "355", court="Cottbus"),
    _City("Forst (Lausitz)", "03149", "3562", court="Cottbus"),
    _City("Potsdam", "14467", "331", court="Potsdam"),
    _City("Eberswalde", "16225", "3334", court="Frankfurt (Oder)"),
    _City("Fürstenwalde/Spree", "15517", "3361", court="Frankfurt (Oder)"),
    _City("Eisenhüttenstadt", "15890", "3364", court="Frankfurt (Oder)"),
    _City("Senftenberg", "01968", "3573", court="Cottbus"),
    _City("Spremberg", "03130", "3563", court="Cottbus"),
    _City("Lübben (Spreewald)", "15907", "3546", court="Cottbus"),
    _City("Schwedt/Oder", "16303", "3332", court="Frankfurt (Oder)"),
    _City("Guben", "03172", "3561", court="Cottbus"),
    _City("Beeskow", "15848", "3366", court="Frankfurt (Oder)"),
    _City("Berlin", "10115", "30", court="Berlin (Charlottenburg)"),
)
PL_STREETS = ("ul. Przemysłowa", "ul. Fabryczna", "ul. Kasprowicza", "ul. Składowa",
              "ul. Żeromskiego", "ul. Łąkowa", "ul. Słoneczna", "al. Niepodległości",
              "ul. Chrobrego", "ul. Kościuszki", "ul. Rzemieślnicza", "ul. Źródlana")
DE_STREETS = ("Gewerbestraße", "Industriestraße", "Bahnhofstraße", "Lindenallee",
              "Am Stadion", "Friedrich-Ebert-Straße", "Gubener Straße", "Cottbuser Straße",
              "Mühlenweg", "Schulstraße", "Karl-Liebknecht-Straße", "Am Hafen")
PL_MOBILE = ("601", "602", "603", "660", "661", "691", "692", "501", "512", "791", "881")
DE_MOBILE = (("151", 8), ("152", 8), ("160", 7), ("170", 8), ("171", 8), ("176", 8))

PL_MEN = ("Adam", "Andrzej", "Bartosz", "Dariusz", "Grzegorz", "Jakub", "Jan", "Jarosław",
          "Kamil", "Krzysztof", "Łukasz", "Maciej", "Marcin", "Marek", "Mariusz", "Michał",
          "Mikołaj", "Paweł", "Piotr", "Przemysław", "Rafał", "Robert", "Sławomir",
          "Stanisław", "Szymon", "Tomasz", "Wiesław", "Wojciech", "Zbigniew", "Zdzisław")
PL_WOMEN = ("Agnieszka", "Aleksandra", "Anna", "Barbara", "Beata", "Bożena", "Dorota",
            "Elżbieta", "Ewa", "Grażyna", "Halina", "Iwona", "Joanna", "Jolanta", "Justyna",
            "Katarzyna", "Magdalena", "Małgorzata", "Marta", "Monika", "Natalia", "Renata",
            "Urszula", "Żaneta", "Zofia")
# Adjectival surnames take the feminine ending -ska / -cka / -dzka.
PL_SURNAMES = ("Kowalski", "Nowicki", "Kozłowski", "Wiśniewski", "Lewandowski", "Zieliński",
               "Szymański", "Dąbrowski", "Kamiński", "Jankowski", "Wojciechowski",
               "Kwiatkowski", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Żółkiewski",
               "Łódzki", "Sikorski", "Ostrowski", "Górecki", "Zawadzki", "Jabłoński",
               "Wróblewski", "Majewski", "Olszewski", "Nowak", "Wójcik", "Kowalczyk", "Mazur",
               "Krawczyk", "Kaczmarek", "Zając", "Król", "Wieczorek", "Wróbel", "Pietrzak",
               "Dudek", "Sowa", "Gąsior", "Bąk", "Chmiel", "Ślusarz", "Kołodziej", "Stępień",
               "Woźniak", "Kłos", "Mróz", "Bieńkowski", "Źrałek", "Czarnecki", "Baran",
               "Rutkowski", "Michalak", "Sadowski", "Borkowski", "Kubiak", "Sobczak",
               "Czerwiński", "Adamczyk", "Malinowski", "Jaworski", "Walczak", "Wasilewski",
               "Szczepański", "Szewczyk", "Tomaszewski", "Kalinowski", "Kaźmierczak",
               "Błaszczyk", "Cieślak", "Przybylski", "Żak", "Ziółkowski", "Śliwiński",
               "Głowacki", "Krajewski", "Łuczak", "Maciejewski", "Marciniak", "Stachowiak",
               "Urbański", "Wilk", "Zalewski", "Kurek", "Dziedzic", "Gołębiowski", "Szulc")
DE_MEN = ("Andreas", "Bernd", "Björn", "Christian", "Dirk", "Frank", "Jens", "Jörg",
          "Jürgen", "Klaus", "Lars", "Maik", "Matthias", "Michael", "Ralf", "René", "Sebastian",
          "Sören", "Stefan", "Thomas", "Torsten", "Uwe", "Wolfgang")
DE_WOMEN = ("Andrea", "Anja", "Anna", "Bärbel", "Birgit", "Claudia", "Doreen", "Grit",
            "Heike", "Ines", "Jana", "Jördis", "Katrin", "Kerstin", "Martina", "Petra",
            "Sabine", "Silke", "Susanne", "Sylke", "Ute")
DE_SURNAMES = ("Müller", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
               "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter",
               "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
               "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Groß", "Köhler", "Lehmann",
               "Schulze", "Noack", "Kubasch", "Weiß", "Fuchs", "Böhm", "Lorenz", "Jäger",
               "Günther", "Kühn", "Förster", "Vogt", "Haase", "Schütze", "Pötschke", "Nowak",
               "Schmitz", "Walter", "König", "Huber", "Kaiser", "Peters", "Möller", "Scholz",
               "Schubert", "Frank", "Friedrich", "Berger", "Winkler", "Roth", "Beck",
               "Baumann", "Franke", "Albrecht", "Ludwig", "Winter", "Simon", "Kraus", "Vogel",
               "Stein", "Jung", "Otto", "Sommer", "Heinrich", "Brandt", "Graf", "Schulte",
               "Dietrich", "Kuhn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Voigt",
               "Sauer", "Arnold", "Wolff", "Pfeiffer", "Zschoch", "Jahn", "Ziegler")
PL_FUNCTIONS = ("Prezes Zarządu", "Wiceprezes Zarządu", "Dyrektor ds. rozwoju",
                "Kierownik projektu", "Specjalista ds. innowacji", "Koordynator klastra",
                "Kierownik produkcji", "Właściciel", "Dyrektor handlowy",
                "Specjalista ds. marketingu", "Pełnomocnik ds. jakości")
DE_FUNCTIONS = (("Geschäftsführer", "Geschäftsführerin"), ("Projektleiter", "Projektleiterin"),
                ("Leiter Vertrieb", "Leiterin Vertrieb"), ("Clustermanager", "Clustermanagerin"),
                ("Innovationsmanager", "Innovationsmanagerin"), ("Inhaber", "Inhaberin"),
                ("Technischer Leiter", "Technische Leiterin"),
                ("Referent für Internationalisierung", "Referentin für Internationalisierung"))
PL_TITLES = ("dr", "dr inż.", "mgr inż.", "prof. dr hab.")
DE_TITLES = ("Dr.", "Dipl.-Ing.", "Prof. Dr.")
TAGS = ("newsletter", "konferencja", "Konferenz", "VIP", "prasa", "Presse", "mentor",
        "wizyta studyjna", "Studienreise")

# People who make search interesting (diacritics, ß, ue for ü) are always there.
FEATURED_PEOPLE = (
    ("Łukasz", "Żółkiewski", "PL"), ("Jürgen", "Müller", "DE"), ("Małgorzata", "Kozłowska", "PL"),
    ("Grzegorz", "Łódzki", "PL"), ("Uwe", "Groß", "DE"), ("Anna", "Mueller", "DE"),
    ("Tomasz", "Kozłowski", "PL"), ("Zofia", "Wójcik", "PL"), ("Jördis", "Weiß", "DE"),
)

# The programme's research partners, named in its application (institutions, not people).
RESEARCH_PARTNERS = (
    ("BTU Cottbus-Senftenberg", OrganisationKind.UNIVERSITY, "DE", "Cottbus"),
    ("Uniwersytet Zielonogórski", OrganisationKind.UNIVERSITY, "PL", "Zielona Góra"),
    ("Akademia im. Jakuba z Paradyża", OrganisationKind.UNIVERSITY, "PL", "Gorzów Wielkopolski"),
    ("Europa-Universität Viadrina Frankfurt (Oder)", OrganisationKind.UNIVERSITY, "DE",
     "Frankfurt (Oder)"),
    ("IHK Frankfurt (Oder)", OrganisationKind.CHAMBER, "DE", "Frankfurt (Oder)"),
)

ADVISORS = {
    "LOP": (("Katarzyna", "Wielgosz"), ("Paweł", "Zaręba")),
    "SNB": (("Joanna", "Pilarczyk"), ("Marek", "Sobolewski")),
    "BIC": (("Kathrin", "Wendt"), ("Steffen", "Rudolph")),
    "CIT": (("Ramona", "Pietsch"), ("Holger", "Matschke")),
}
PL_OFFICES = ("LOP", "SNB")
DE_OFFICES = ("BIC", "CIT")
PERIOD_START = programme.PERIOD_START
PERIOD_END = programme.PERIOD_END


# --- Small generators ----------------------------------------------------------------------


def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10 ** count):0{count}d}"


def make_nip(rng: random.Random) -> str:
    """A check-digit-valid NIP (tax office prefix 1xx–9xx)."""
    while True:
        body = f"{rng.randint(100, 999)}{_digits(rng, 6)}"
        check = pl_nip.checksum(body + "0")  # the check digit has weight -1: 0 adds nothing
        if check < 10:
            return f"{body}{check}"


def make_regon(rng: random.Random) -> str:
    """A check-digit-valid 9-digit REGON (08: the Lubuskie voivodeship code)."""
    body = "08" + _digits(rng, 6)
    return body + pl_regon.calc_check_digit(body)


def make_de_vat(rng: random.Random) -> str:
    """A check-digit-valid USt-IdNr. (DE and 9 digits, ISO 7064 Mod 11,10)."""
    body = f"{rng.randint(1, 9)}{_digits(rng, 7)}"
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


@functools.cache
def _court(name: str) -> str:
    # Stored in stdnum's normalised spelling, as the validator stores what people type.
    return handelsregisternummer.validate(f"{name} HRB 1").rsplit(" HRB ", 1)[0]


def make_register(rng: random.Random, city: _City) -> str:
    kind = rng.choice(("HRB", "HRB", "HRB", "HRA"))
    return f"{_court(city.court)} {kind} {rng.randint(1000, 29999)}"


def make_phone(rng: random.Random, country: str, city: _City | None = None, *,
               mobile: bool = False) -> str:
    """A valid E.164 number: a landline of the city, or a mobile number."""
    if country == "PL":
        if mobile or city is None:
            return f"+48{rng.choice(PL_MOBILE)}{_digits(rng, 6)}"
        return f"+48{city.area_code}{rng.randint(2, 8)}{_digits(rng, 6)}"
    if mobile or city is None:
        prefix, length = rng.choice(DE_MOBILE)
        return f"+49{prefix}{rng.randint(1, 9)}{_digits(rng, length - 1)}"
    # National significant numbers of ten digits are valid for every area code used here.
    return f"+49{city.area_code}{rng.randint(2, 9)}{_digits(rng, 9 - len(city.area_code))}"


_NOT_LOCAL = re.compile(r"[^a-z0-9]+")
# German addresses spell umlauts out (Schütze → schuetze); fold() drops the marks.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _ascii(text: str) -> str:
    return _NOT_LOCAL.sub("-", fold(text.translate(_UMLAUTS))).strip("-")


def mail_local(*words: str) -> str:
    """"Małgorzata", "Kozłowska" → "malgorzata.kozlowska"; "Schütze" → "schuetze"."""
    return ".".join(_ascii(w) for w in words if w)


def slug(text: str) -> str:
    return _ascii(text)[:40].strip("-")


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _workday_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = _date_between(rng, start, end)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return max(day, start)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 250).quantize(Decimal("0.01"))


# --- The plan: how much of everything ----------------------------------------------------


@dataclass(frozen=True)
class _Size:
    contacts: int
    organisations: int
    clusters: int
    consultations: int
    events: int
    scaled: bool

    @classmethod
    def for_contacts(cls, contacts: int | None) -> _Size:
        if contacts is None:
            return cls(DEFAULT_CONTACTS, 120, 20, 80, 0, False)
        if contacts < len(FEATURED_PEOPLE):
            raise ValidationError(_("Demo data needs at least {count} contacts.").format(
                count=len(FEATURED_PEOPLE)), field="contacts")
        return cls(contacts, max(len(RESEARCH_PARTNERS) + 2, contacts // 10),
                   max(20, contacts // 100), max(10, contacts // 20), contacts // 500, True)


@dataclass
class _ClusterInfo:
    id: str
    name_pl: str
    name_de: str
    country: str
    region: str
    sector: _Sector
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
class _OrgInfo:
    id: str
    name: str
    country: str
    city: _City
    sector: _Sector
    kind: str
    cluster: _ClusterInfo


def read_reference_clusters(path: Path = CLUSTERS_FILE) -> list[dict[str, str]]:
    """The rows of the clusters file (name, region, country, sector, note, name_other)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _sector_for(text: str) -> _Sector | None:
    lowered = text.lower()
    for word, key in _SECTOR_WORDS:
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


# --- Content -------------------------------------------------------------------------------

PL_SUBJECTS = (
    ("Wizyta w klastrze – potrzeby członków", (Topic.CLUSTER_DIALOGUE,)),
    ("Przygotowanie ewaluacji klastra", (Topic.CLUSTER_DIALOGUE, Topic.SERVICE_STRUCTURES)),
    ("Plan działań – uzgodnienie priorytetów", (Topic.SERVICE_STRUCTURES,)),
    ("Finansowanie projektów transgranicznych", (Topic.PROJECTS_FUNDING,)),
    ("Poszukiwanie partnera w Brandenburgii", (Topic.PROJECTS_FUNDING, Topic.CLUSTER_DIALOGUE)),
    ("Wspólna polsko-niemiecka marka klastrów", (Topic.REGIONAL_MARKETING,)),
    ("Strategia internacjonalizacji", (Topic.SMART_SPECIALISATION,)),
    ("Inteligentne specjalizacje regionu", (Topic.SMART_SPECIALISATION, Topic.PROJECTS_FUNDING)),
)
DE_SUBJECTS = (
    ("Clusterbesuch – Bedarfe der Mitglieder", (Topic.CLUSTER_DIALOGUE,)),
    ("Vorbereitung der Clusterevaluierung", (Topic.CLUSTER_DIALOGUE, Topic.SERVICE_STRUCTURES)),
    ("Aktionsplan – Abstimmung der Prioritäten", (Topic.SERVICE_STRUCTURES,)),
    ("Förderung grenzüberschreitender Projekte", (Topic.PROJECTS_FUNDING,)),
    ("Partnersuche in Polen", (Topic.PROJECTS_FUNDING, Topic.CLUSTER_DIALOGUE)),
    ("Gemeinsame deutsch-polnische Clustermarke", (Topic.REGIONAL_MARKETING,)),
    ("Internationalisierungsstrategie", (Topic.SMART_SPECIALISATION,)),
    ("Regionale Innovationsstrategie innoBB", (Topic.SMART_SPECIALISATION, Topic.PROJECTS_FUNDING)),
)
PL_SUMMARIES = (
    "Rozmowa z zarządem {org} o potrzebach członków ({cluster}). Doradca przygotuje "
    "zestawienie programów wsparcia.",
    "Omówiono wyniki ankiety wśród członków i kalendarz ewaluacji według metodyki ESCA.",
    "Przedstawiono możliwości programu Interreg V A Brandenburgia–Polska; firma rozważa "
    "wspólny projekt z partnerem niemieckim.",
    "Spotkanie w {city}: prezentacja oferty usług klastra i pomysłów na wspólne stoisko "
    "targowe.",
    "Uzgodniono priorytety planu działań: szkolenia, misja gospodarcza, wspólna strona "
    "internetowa.",
    "Rozmowa o wejściu na rynek niemiecki; przekazano kontakty do izby IHK i sieci w Łużycach.",
)
DE_SUMMARIES = (
    "Gespräch mit der Geschäftsführung von {org} über die Bedarfe der Mitglieder ({cluster}). "
    "Die Beratung stellt Förderprogramme zusammen.",
    "Ergebnisse der Mitgliederbefragung und Zeitplan der Evaluierung nach ESCA besprochen.",
    "Möglichkeiten des Programms Interreg V A Brandenburg–Polen vorgestellt; das Unternehmen "
    "prüft ein gemeinsames Projekt mit einem polnischen Partner.",
    "Termin in {city}: Vorstellung der Serviceangebote des Clusters und Ideen für einen "
    "gemeinsamen Messestand.",
    "Prioritäten des Aktionsplans abgestimmt: Schulungen, Unternehmerreise, gemeinsame Website.",
    "Markteintritt in Polen besprochen; Kontakte zur Lubuska Organizacja Pracodawców "
    "weitergegeben.",
)
PL_OUTCOMES = ("Wysłano zaproszenie na warsztaty.", "Firma dołączy do klastra.",
               "Przygotowano listę partnerów w Brandenburgii.", "Ustalono termin kolejnej wizyty.")
DE_OUTCOMES = ("Einladung zum Workshop verschickt.", "Das Unternehmen tritt dem Cluster bei.",
               "Liste möglicher Partner in Lubuskie erstellt.", "Folgetermin vereinbart.")
PL_TASKS = ("Przesłać zestawienie programów finansowania", "Umówić spotkanie z partnerem z "
            "Brandenburgii", "Przygotować projekt planu działań", "Wysłać kwestionariusz "
            "ewaluacyjny", "Zaprosić na kongres klastrów", "Przekazać kontakty do uczelni")
DE_TASKS = ("Förderprogramme zusammenstellen und senden", "Termin mit polnischem Partner "
            "vereinbaren", "Entwurf des Aktionsplans vorbereiten", "Evaluierungsfragebogen "
            "verschicken", "Zum Clusterkongress einladen", "Kontakte zur Hochschule weitergeben")
PL_SCORE_COMMENTS = ("Brak działań w tym obszarze.", "Pierwsze działania, potrzebne wsparcie.",
                     "Podstawy istnieją, brakuje systematyczności.", "Dobrze rozwinięte.",
                     "Wzorcowe rozwiązania.")
DE_SCORE_COMMENTS = ("Keine Aktivitäten in diesem Bereich.", "Erste Ansätze, Unterstützung nötig.",
                     "Grundlagen vorhanden, aber nicht systematisch.", "Gut entwickelt.",
                     "Vorbildlich.")
PL_MEASURES = ("Cykl szkoleń dla członków", "Misja gospodarcza do Brandenburgii",
               "Wspólna strona internetowa i katalog ofert", "Stoisko na targach",
               "Warsztaty strategiczne zarządu", "Program mentoringu dla nowych członków",
               "Przygotowanie wniosku do programu Interreg")
DE_MEASURES = ("Schulungsreihe für Mitglieder", "Unternehmerreise nach Lubuskie",
               "Gemeinsame Website und Leistungskatalog", "Gemeinschaftsstand auf der Messe",
               "Strategieworkshop des Vorstands", "Mentoringprogramm für neue Mitglieder",
               "Antrag im Programm Interreg vorbereiten")
FUNDING = ("Interreg V A Brandenburg–Polska 2014–2020", "RPO Lubuskie 2020",
           "Składki członkowskie / Mitgliedsbeiträge", "GRW-Förderung Brandenburg",
           "Środki własne / Eigenmittel")


@dataclass(frozen=True)
class _EventPlan:
    kind: EventKind
    title_pl: str
    title_de: str
    starts_on: dt.date
    days: int
    place: str
    office: str


D = dt.date
# The four real events (DESIGN §2, data/README.md) and the rest of the indicator targets;
# dates other than the real ones are invented.
PROGRAMME_EVENTS = (
    _EventPlan(EventKind.PARTNER_MEETING, "Spotkanie partnerów – start projektu",
               "Partnertreffen – Projektstart", D(2017, 5, 10), 1, "Frankfurt (Oder)", "BIC"),
    _EventPlan(EventKind.OPENING_CONFERENCE, "Konferencja otwierająca projekt EuRegioNet",
               "Eröffnungskonferenz des Projekts EuRegioNet", D(2017, 6, 22), 1,
               "Gorzów Wielkopolski", "LOP"),
    _EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Łużyce",
               "Regionale Auftaktveranstaltung Lausitz", D(2017, 9, 19), 1, "Forst (Lausitz)",
               "CIT"),
    _EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Gorzów",
               "Regionale Auftaktveranstaltung Gorzów", D(2017, 10, 12), 1,
               "Gorzów Wielkopolski", "LOP"),
    _EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Gubin",
               "Regionale Auftaktveranstaltung Gubin", D(2017, 10, 26), 1, "Gubin", "SNB"),
    _EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Frankfurt nad Odrą",
               "Regionale Auftaktveranstaltung Frankfurt (Oder)", D(2017, 11, 9), 1,
               "Frankfurt (Oder)", "BIC"),
    _EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2017, 11, 23), 1,
               "Gubin", "SNB"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Berlinie-Adlershof",
               "Studienreise nach Berlin-Adlershof", D(2018, 3, 14), 2, "Berlin", "BIC"),
    _EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2018, 5, 17), 1,
               "Forst (Lausitz)", "CIT"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna – klastry Dolnego Śląska",
               "Studienreise zu den Clustern Niederschlesiens", D(2018, 6, 6), 2, "Wrocław",
               "LOP"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Łodzi", "Studienreise nach Łódź",
               D(2018, 9, 26), 2, "Łódź", "SNB"),
    _EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2018, 11, 15), 1,
               "Gorzów Wielkopolski", "LOP"),
    _EventPlan(EventKind.WORKSHOP, "Warsztaty: finansowanie projektów transgranicznych",
               "Workshop: Förderung grenzüberschreitender Projekte", D(2019, 2, 7), 1,
               "Słubice", "LOP"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna: wodór i energia na Łużycach",
               "Studienreise: Wasserstoff und Energie in der Lausitz", D(2019, 3, 20), 2,
               "Cottbus", "CIT"),
    _EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2019, 5, 23), 1,
               "Frankfurt (Oder)", "BIC"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Poznaniu", "Studienreise nach Poznań",
               D(2019, 6, 12), 2, "Poznań", "BIC"),
    _EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Dreźnie", "Studienreise nach Dresden",
               D(2019, 9, 18), 2, "Dresden", "LOP"),
    _EventPlan(EventKind.WORKSHOP, "Warsztaty: wspólna marka klastrów PL-DE",
               "Workshop: Gemeinsame Clustermarke PL-DE", D(2019, 10, 10), 1, "Guben", "CIT"),
    _EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2019, 11, 21), 1,
               "Zielona Góra", "SNB"),
    _EventPlan(EventKind.CLUSTER_CONGRESS, "Transgraniczny Kongres Klastrów",
               "Grenzüberschreitender Clusterkongress", D(2020, 1, 28), 1, "Zielona Góra",
               "LOP"),
    _EventPlan(EventKind.CLOSING_CONFERENCE, "Konferencja podsumowująca projekt EuRegioNet",
               "Abschlusskonferenz des Projekts EuRegioNet", D(2020, 2, 20), 1,
               "Gorzów Wielkopolski", "LOP"),
    _EventPlan(EventKind.OTHER, "Stoisko EuRegioNet na targach regionalnych", "EuRegioNet-Stand "
               "auf der Regionalmesse", D(2018, 4, 19), 1, "Frankfurt (Oder)", "BIC"),
)
EXTRA_EVENTS = (
    (EventKind.WORKSHOP, "Warsztaty klastrowe", "Clusterworkshop"),
    (EventKind.WORKSHOP, "Warsztaty: usługi dla członków", "Workshop: Mitgliederservice"),
    (EventKind.OTHER, "Spotkanie sieciujące", "Netzwerktreffen"),
    (EventKind.OTHER, "Dzień otwarty klastra", "Tag der offenen Tür im Cluster"),
)
# What state the measures of a plan can be in, by the plan's status.
_MEASURE_STATES = {
    "draft": (MeasureStatus.PLANNED,),
    "agreed": (MeasureStatus.PLANNED,),
    "signed": (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS),
    "in_progress": (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.DONE),
    "completed": (MeasureStatus.DONE, MeasureStatus.DONE, MeasureStatus.CANCELLED),
}
PL_AGENDA = ("09:00 Rejestracja\n09:30 Powitanie\n10:00 Prezentacja projektu EuRegioNet\n"
             "11:30 Panel klastrów\n13:00 Networking")
DE_AGENDA = ("09:00 Anmeldung\n09:30 Begrüßung\n10:00 Vorstellung des Projekts EuRegioNet\n"
             "11:30 Podium der Cluster\n13:00 Networking")

_CLUSTER_DESCRIPTIONS = {
    "Lubuski Klaster Metalowy": (
        "Stowarzyszenie zarejestrowane w 2008 r.; skupia około 38 firm branży metalowej z "
        "regionu Gorzowa Wielkopolskiego.",
        "2008 eingetragener Verein mit rund 38 Mitgliedsunternehmen der Metallbranche aus der "
        "Region Gorzów Wielkopolski."),
    "Klaster Turystyki Historycznej": (
        "Założony w 2019 r. przez 33 polskie i 7 niemieckich podmiotów; zarejestrowany w 2020 r.",
        "2019 von 33 polnischen und 7 deutschen Partnern gegründet, 2020 eingetragen."),
    "Klaster Zwalczania Gatunków Inwazyjnych": (
        "Transgraniczna inicjatywa powstała w trakcie projektu EuRegioNet.",
        "Grenzüberschreitende Initiative, entstanden während des Projekts EuRegioNet."),
    "Cluster Metall": (
        "Klaster metalowy Brandenburgii (innoBB 2025 plus), około 2600 firm.",
        "Metallcluster des Landes Brandenburg (innoBB 2025 plus) mit rund 2.600 Unternehmen."),
    "Wirtschaftsverkehrsnetzwerk Lausitz": (
        "Sieć transportu gospodarczego Łużyc, założona w 2017 r., ponad 100 członków.",
        "2017 gegründetes Netzwerk für Wirtschaftsverkehr in der Lausitz, über 100 Mitglieder."),
}


# --- Generation ----------------------------------------------------------------------------


# Progress stages are entity names, or this (marked for translation, shown with _()).
SEARCH_INDEX_STAGE = N_("Search index")


def generate(session: Session, *, contacts: int | None = None, seed: int = 2017,
             progress: Progress | None = None) -> Changes:
    """Fill a new, set-up profile with demo data (in the caller's transaction).

    ``contacts`` None gives the small reference set (the 20 real clusters, about 120
    organisations and 300 people); a number scales everything to that many contacts.
    """
    cluster = model_for("cluster").__table__
    if session.execute(select(cluster.c.id).limit(1)).first() is not None:
        raise ProfileError(_("This profile already holds clusters; demo data goes into a new "
                             "profile."))
    demo = _Demo(session, ChangeWriter.begin(session), random.Random(seed),
                 _Size.for_contacts(contacts), progress or (lambda _stage, _done, _total: None))
    entities = demo.run()
    demo.progress(SEARCH_INDEX_STAGE, 0, 1)
    search.rebuild(session)
    demo.progress(SEARCH_INDEX_STAGE, 1, 1)
    return Changes(frozenset(entities))


class _Demo:
    """One generation run: the random source, what was made so far, and the writer."""

    def __init__(self, session: Session, writer: ChangeWriter, rng: random.Random, size: _Size,
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
        self.clusters: list[_ClusterInfo] = []
        self.organisations: list[_OrgInfo] = []
        self.contacts_by_org: dict[str, list[str]] = {}
        self.contact_ids: list[str] = []
        self.memberships: list[dict[str, Any]] = []
        self.mail_counts: dict[str, int] = {}

    def insert(self, entity: str, rows: Iterable[Mapping[str, Any]], total: int,
               stage: str | None = None) -> int:
        return bulk_insert(self.session, self.writer, entity, rows, progress=self.progress,
                           stage=stage or entity, total=total)

    def run(self) -> set[str]:
        self.insert("advisor", self.advisor_rows(), 8)
        self.plan_clusters()
        self.plan_organisations()
        self.plan_memberships()
        self.insert("organisation", self.organisation_rows(), len(self.organisations))
        self.plan_programme_work()
        self.insert("cluster", self.cluster_rows(), len(self.clusters))
        self.insert("contact", self.contact_rows(), self.size.contacts)
        self.insert("membership", self.memberships, len(self.memberships))
        consultations = self.consultation_rows()
        self.insert("consultation", consultations, len(consultations))
        tasks = self.task_rows(consultations)
        self.insert("task", tasks, len(tasks))
        self.insert("evaluation", self.evaluation_rows(), sum(c.evaluated for c in self.clusters))
        plans, measures = self.action_plan_rows()
        self.insert("action_plan", plans, len(plans))
        self.insert("measure", measures, len(measures))
        events, participants = self.event_rows()
        self.insert("event", events, len(events))
        self.insert("participant", participants, len(participants))
        return {"advisor", "cluster", "organisation", "membership", "contact", "consultation",
                "task", "evaluation", "action_plan", "measure", "event", "participant"}

    # --- people and places ---

    def person(self, country: str) -> tuple[str, str, bool]:
        """Invented first and last name, and whether the person is a woman."""
        rng = self.rng
        woman = rng.random() < 0.45
        if country == "PL":
            first = rng.choice(PL_WOMEN if woman else PL_MEN)
            last = rng.choice(PL_SURNAMES)
            if woman and last.endswith("ki"):
                last = last[:-1] + "a"
            return first, last, woman
        return rng.choice(DE_WOMEN if woman else DE_MEN), rng.choice(DE_SURNAMES), woman

    def email(self, first: str, last: str, country: str) -> str:
        local = mail_local(first, last)
        count = self.mail_counts.get(local, 0) + 1
        self.mail_counts[local] = count
        domain = "example.com" if self.rng.random() < 0.05 else _domain(country)
        return f"{local}{count if count > 1 else ''}@{domain}"

    def city(self, country: str) -> _City:
        return self.rng.choice(PL_CITIES if country == "PL" else DE_CITIES)

    def advisor_rows(self) -> Iterator[dict[str, Any]]:
        for code, people in ADVISORS.items():
            country = "PL" if code in PL_OFFICES else "DE"
            for first, last in people:
                advisor_id = _new_id()
                self.advisors.setdefault(code, []).append(advisor_id)
                yield {"id": advisor_id, "name": f"{first} {last}",
                       "office_id": self.office_ids[code],
                       "email": f"{mail_local(first, last)}@{_domain(country)}",
                       "phone": make_phone(self.rng, country, mobile=True)}

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
            self.clusters.append(_ClusterInfo(
                id=_new_id(), name_pl=names[0], name_de=names[1], country=country,
                region=row["region"], sector=_sector_for(row["sector"]) or SECTORS[0],
                sectors=[s.strip() for s in row["sector"].split(",") if s.strip()],
                kind=kind.value, founded_on=founded,
                cross_border="cross-border" in note or "German entities" in note,
                office=office, note=note, real=True, legal_form=legal_form))
        for pl_name, de_name, country, city, sector, kind in itertools.islice(
                self.invented_cluster_names(), self.size.clusters - len(self.clusters)):
            self.clusters.append(_ClusterInfo(
                id=_new_id(), name_pl=pl_name, name_de=de_name, country=country,
                region=f"{city}, {'Lubuskie' if country == 'PL' else 'Brandenburg'}",
                sector=sector, sectors=[sector.label], kind=kind,
                founded_on=_date_between(rng, D(2005, 1, 1), D(2020, 6, 30)),
                cross_border=rng.random() < 0.12,
                office=rng.choice(PL_OFFICES if country == "PL" else DE_OFFICES)))

    def invented_cluster_names(self) -> Iterator[tuple[str, str, str, str, _Sector, str]]:
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
                         "de": sector.de_word, "compound": _DE_CLUSTER.get(
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
            descriptions = _CLUSTER_DESCRIPTIONS.get(c.name_pl if c.country == "PL" else c.name_de)
            yield {
                "id": c.id, "name_pl": c.name_pl, "name_de": c.name_de, "kind": c.kind,
                "stage": stage.value, "cross_border": c.cross_border, "region": c.region,
                "country": c.country, "sectors": c.sectors,
                "smart_specialisations": _specialisations(c.country, ", ".join(c.sectors)),
                "founded_on": c.founded_on, "legal_form": c.legal_form,
                "website": None if c.real else f"https://{slug(c.name_pl)}.{_domain(c.country)}",
                "coordinator_id": c.coordinator_id,
                "description_pl": descriptions[0] if descriptions else None,
                "description_de": descriptions[1] if descriptions else None,
                "support_status": status.value, "office_id": self.office_ids[c.office],
            }

    # --- organisations and memberships ---

    def plan_organisations(self) -> None:
        rng = self.rng
        clusters_by_country = {country: [c for c in self.clusters if c.country == country]
                               for country in ("PL", "DE")}
        for name, kind, country, city_name in RESEARCH_PARTNERS:
            city = next(c for c in (*PL_CITIES, *DE_CITIES) if c.name == city_name)
            home = rng.choice(clusters_by_country[country])
            self.organisations.append(_OrgInfo(_new_id(), name, country, city, home.sector,
                                               kind.value, home))
        lodz_cluster = next(c for c in self.clusters if c.sector.key == "metal")
        self.organisations.append(_OrgInfo(
            _new_id(), "Łódzka Pracownia Metaloplastyki sp. z o.o.", "PL", LODZ,
            lodz_cluster.sector, OrganisationKind.SMALL.value, lodz_cluster))
        kinds = ([OrganisationKind.MICRO] * 8 + [OrganisationKind.SMALL] * 7
                 + [OrganisationKind.MEDIUM] * 4 + [OrganisationKind.LARGE]
                 + [OrganisationKind.ASSOCIATION, OrganisationKind.BUSINESS_SUPPORT])
        used_names = {org.name for org in self.organisations}
        retries = 0
        while len(self.organisations) < self.size.organisations:
            country = "PL" if rng.random() < 0.55 else "DE"
            home = rng.choice(clusters_by_country[country])
            city = self.city(country)
            kind = rng.choice(kinds)
            surname = rng.choice(PL_SURNAMES if country == "PL" else DE_SURNAMES)
            if kind == OrganisationKind.ASSOCIATION:
                name = (f"Stowarzyszenie Przedsiębiorców {city.name}" if country == "PL"
                        else f"Unternehmerverband {city.name} e.V.")
            elif kind == OrganisationKind.BUSINESS_SUPPORT:
                name = (f"Fundacja Wspierania Przedsiębiorczości {city.name}" if country == "PL"
                        else f"Gründerzentrum {city.name}")
            else:
                templates = home.sector.pl_firms if country == "PL" else home.sector.de_firms
                name = rng.choice(templates).format(s=surname, c=city.name)
            if name in used_names and retries < 5:  # same-named firms exist, but rarely
                retries += 1
                continue
            used_names.add(name)
            retries = 0
            self.organisations.append(_OrgInfo(_new_id(), name, country, city, home.sector,
                                               kind.value, home))

    def plan_memberships(self) -> None:
        """About two memberships per organisation; every cluster gets a coordinator."""
        rng = self.rng
        taken: set[tuple[str, str]] = set()
        clusters_by_country = {country: [c for c in self.clusters if c.country == country]
                               for country in ("PL", "DE")}
        cross_border = [c for c in self.clusters if c.cross_border]
        for org in self.organisations:
            homes = [org.cluster]
            extra = rng.choice((0, 1, 1, 1, 2))
            for _n in range(extra):
                pool = (cross_border if cross_border and rng.random() < 0.25
                        else clusters_by_country[org.country])
                homes.append(rng.choice(pool))
            for cluster in homes:
                if (org.id, cluster.id) in taken:
                    continue
                taken.add((org.id, cluster.id))
                if cluster.coordinator_id is None and org.kind not in ("university", "chamber"):
                    role = MembershipRole.COORDINATOR
                    cluster.coordinator_id = org.id
                elif org.kind in ("university", "research", "chamber", "authority"):
                    role = MembershipRole.PARTNER
                else:
                    role = rng.choice((MembershipRole.MEMBER, MembershipRole.MEMBER,
                                       MembershipRole.FOUNDING_MEMBER))
                self.memberships.append(self.membership_row(cluster, role, organisation_id=org.id))

    def membership_row(self, cluster: _ClusterInfo, role: MembershipRole, *,
                       organisation_id: str | None = None,
                       contact_id: str | None = None) -> dict[str, Any]:
        rng = self.rng
        founded = cluster.founded_on or D(2012, 1, 1)
        recruited = False
        if role == MembershipRole.COORDINATOR or role == MembershipRole.FOUNDING_MEMBER:
            joined = founded
        elif founded <= PERIOD_END and rng.random() < 0.2:
            recruited = True  # a new member won through the programme
            joined = _date_between(rng, max(founded, PERIOD_START), PERIOD_END)
        else:
            joined = _date_between(rng, founded, max(founded, D(2022, 12, 31)))
        left = None
        if not recruited and role != MembershipRole.COORDINATOR and rng.random() < 0.04:
            left = joined + dt.timedelta(days=rng.randint(200, 1500))
        return {"id": _new_id(), "cluster_id": cluster.id, "organisation_id": organisation_id,
                "contact_id": contact_id, "role": role.value, "joined_on": joined,
                "left_on": left, "recruited_by_programme": recruited}

    def organisation_rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for org in self.organisations:
            firm = org.kind in ("micro", "small", "medium", "large")
            row: dict[str, Any] = {"id": org.id, "name": org.name, "kind": org.kind,
                                   "country": org.country, "city": org.city.name,
                                   "postal_code": org.city.postal_code,
                                   "sectors": [org.sector.label]}
            if org.kind in ("university", "chamber"):
                yield row  # real institutions: no invented identifiers or addresses
                continue
            streets = PL_STREETS if org.country == "PL" else DE_STREETS
            row["street"] = f"{rng.choice(streets)} {rng.randint(1, 120)}"
            domain = _domain(org.country)
            row["website"] = f"https://{slug(org.name)}.{domain}"
            row["email"] = f"{slug(org.name)}@{domain}"
            row["phone"] = make_phone(rng, org.country, org.city)
            if org.country == "PL":
                nip = make_nip(rng)
                row.update(nip=nip, regon=make_regon(rng))
                if firm and org.name.endswith(("sp. z o.o.", "S.A.", "sp.k.", "sp.j.")):
                    row["krs"] = f"{rng.randint(1, 899999):010d}"
            else:
                if firm:
                    row["vat_id"] = make_de_vat(rng)
                if firm and ("GmbH" in org.name or "UG" in org.name or "e.K." in org.name):
                    row["register_number"] = make_register(rng, org.city)
            if rng.random() < 0.1:
                row["notes"] = ("Zainteresowani współpracą z partnerem z Niemiec."
                                if org.country == "PL" else
                                "Interesse an Kooperation mit polnischen Partnern.")
            yield row

    # --- contacts ---

    def contact_rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        orgs = self.organisations
        firms = [o for o in orgs if o.kind not in ("university", "chamber")]
        lodz = next(o for o in orgs if o.city is LODZ)
        for n in range(self.size.contacts):
            if n < len(FEATURED_PEOPLE):
                first, last, country = FEATURED_PEOPLE[n]
                woman = first in PL_WOMEN or first in DE_WOMEN
                org = lodz if last in ("Łódzki", "Wójcik") else rng.choice(
                    [o for o in firms if o.country == country])
            else:
                org = rng.choice(orgs) if rng.random() < 0.96 else None
                country = org.country if org else rng.choice(("PL", "DE"))
                if rng.random() < 0.08:  # Poles in German firms and the other way round
                    country = "DE" if country == "PL" else "PL"
                first, last, woman = self.person(country)
            yield self.contact_row(first, last, woman, country, org)

    def contact_row(self, first: str, last: str, woman: bool, country: str,
                    org: _OrgInfo | None) -> dict[str, Any]:
        rng = self.rng
        contact_id = _new_id()
        self.contact_ids.append(contact_id)
        if org is not None:
            self.contacts_by_org.setdefault(org.id, []).append(contact_id)
        if country == "PL":
            function = rng.choice(PL_FUNCTIONS)
            title = rng.choice(PL_TITLES) if rng.random() < 0.08 else None
        else:
            function = rng.choice(DE_FUNCTIONS)[1 if woman else 0]
            title = rng.choice(DE_TITLES) if rng.random() < 0.08 else None
        language = country.lower() if rng.random() < 0.93 else "en"
        consent = rng.random()
        row = {
            "id": contact_id, "first_name": first, "last_name": last, "title": title,
            "function": function, "organisation_id": org.id if org else None,
            "email": self.email(first, last, org.country if org else country),
            "phone": make_phone(rng, org.country, org.city) if org and rng.random() < 0.7
            else None,
            "mobile": make_phone(rng, country, mobile=True) if rng.random() < 0.6 else None,
            "language": language,
        }
        if consent < 0.8:
            row.update(consent_status=ConsentStatus.GIVEN.value,
                       consent_on=_date_between(rng, PERIOD_START, PERIOD_END),
                       consent_source="formularz zgody" if country == "PL"
                       else "Einwilligungserklärung",
                       consent_scope="newsletter, zaproszenia" if country == "PL"
                       else "Newsletter, Einladungen")
        elif consent < 0.9:
            row["consent_status"] = ConsentStatus.UNKNOWN.value
        elif consent < 0.97:
            row.update(consent_status=ConsentStatus.REFUSED.value,
                       consent_on=_date_between(rng, PERIOD_START, PERIOD_END))
        else:
            row.update(consent_status=ConsentStatus.WITHDRAWN.value,
                       consent_on=_date_between(rng, D(2019, 1, 1), PERIOD_END))
        if rng.random() < 0.3:
            row["tags"] = rng.sample(TAGS, rng.randint(1, 2))
        if rng.random() < 0.05:
            row["notes"] = ("Preferuje kontakt telefoniczny." if country == "PL"
                            else "Bevorzugt telefonischen Kontakt.")
        if org is not None and rng.random() < 0.04:
            self.memberships.append(self.membership_row(
                org.cluster, MembershipRole.CONTACT_PERSON, contact_id=contact_id))
        return row

    # --- consultations and tasks ---

    def consultation_rows(self) -> list[dict[str, Any]]:
        rng = self.rng
        rows = []
        orgs_by_cluster: dict[str, list[_OrgInfo]] = {}
        for org in self.organisations:
            orgs_by_cluster.setdefault(org.cluster.id, []).append(org)
        for _n in range(self.size.consultations):
            cluster = rng.choice(self.clusters)
            org = rng.choice(orgs_by_cluster.get(cluster.id) or self.organisations)
            office = cluster.office
            polish = office in PL_OFFICES
            day = _workday_between(rng, PERIOD_START, PERIOD_END)
            mode = rng.choice(list(ConsultationMode))
            subject, topics = rng.choice(PL_SUBJECTS if polish else DE_SUBJECTS)
            summary = rng.choice(PL_SUMMARIES if polish else DE_SUMMARIES).format(
                org=org.name, cluster=cluster.name_pl if polish else cluster.name_de,
                city=org.city.name)
            people = self.contacts_by_org.get(org.id, [])
            place = {"online": "online", "phone": None}.get(
                mode.value, org.city.name if mode == ConsultationMode.SITE_VISIT
                else _office_city(office))
            rows.append({
                "id": _new_id(),
                "held_at": f"{day.isoformat()} {rng.randint(8, 16):02d}:{rng.choice((0, 30)):02d}",
                "duration_minutes": rng.choice((30, 45, 60, 90, 120, 180)),
                "mode": mode.value, "place": place,
                "advisor_id": rng.choice(self.advisors[office]),
                "office_id": self.office_ids[office],
                "cluster_id": cluster.id if rng.random() < 0.85 else None,
                "organisation_id": org.id if rng.random() < 0.7 else None,
                "contact_ids": rng.sample(people, min(len(people), rng.randint(1, 3))) or None,
                "topics": [t.value for t in topics], "subject": subject, "summary": summary,
                "outcomes": rng.choice(PL_OUTCOMES if polish else DE_OUTCOMES)
                if rng.random() < 0.5 else None,
            })
        return rows

    def task_rows(self, consultations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        office_codes = {office_id: code for code, office_id in self.office_ids.items()}
        rows = []
        for consultation in consultations:
            for _n in range(rng.choice((0, 1, 1, 2))):
                code = office_codes[consultation["office_id"]]
                held = dt.date.fromisoformat(consultation["held_at"][:10])
                state = rng.random()
                if state < 0.5:
                    due, done = held + dt.timedelta(days=rng.randint(7, 45)), True
                elif state < 0.75:  # overdue
                    due = _date_between(rng, held + dt.timedelta(days=14),
                                        self.today - dt.timedelta(days=1))
                    done = False
                else:  # upcoming
                    due = self.today + dt.timedelta(days=rng.randint(1, 60))
                    done = False
                contacts = consultation["contact_ids"] or [None]
                rows.append({
                    "id": _new_id(),
                    "title": rng.choice(PL_TASKS if code in PL_OFFICES else DE_TASKS),
                    "assignee_id": consultation["advisor_id"], "due_on": due, "done": done,
                    "consultation_id": consultation["id"],
                    "cluster_id": consultation["cluster_id"],
                    "organisation_id": consultation["organisation_id"],
                    "contact_id": rng.choice(contacts) if rng.random() < 0.3 else None,
                })
        return rows

    # --- evaluations, action plans ---

    def evaluation_rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for c in self.clusters:
            if not c.evaluated:
                continue
            earliest = max(D(2017, 10, 1), c.founded_on or D(2017, 10, 1))
            day = _workday_between(rng, earliest, max(earliest, D(2019, 12, 20)))
            polish = c.office in PL_OFFICES
            comments = PL_SCORE_COMMENTS if polish else DE_SCORE_COMMENTS
            scores = {}
            for code in programme.QUESTION_CODES:
                score = rng.choices(range(programme.MAX_SCORE + 1), weights=(1, 3, 5, 4, 2))[0]
                scores[code] = {"score": score, "comment": comments[score]}
            yield {
                "id": _new_id(), "cluster_id": c.id, "evaluated_on": day,
                "evaluator_id": rng.choice(self.advisors[c.office]),
                "office_id": self.office_ids[c.office],
                "questionnaire_version": programme.QUESTIONNAIRE_VERSION, "scores": scores,
                "strengths": ("Zaangażowany koordynator, dobra współpraca z uczelnią."
                              if polish else "Engagiertes Clustermanagement, enge Kooperation "
                              "mit der Hochschule."),
                "recommendations_pl": "Rozwinąć ofertę usług dla członków i współpracę "
                                      "transgraniczną.",
                "recommendations_de": "Serviceangebot für Mitglieder und grenzüberschreitende "
                                      "Zusammenarbeit ausbauen.",
            }

    def action_plan_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        plans: list[dict[str, Any]] = []
        measures: list[dict[str, Any]] = []
        for c in self.clusters:
            if c.plan_status is None:
                continue
            polish = c.country == "PL"
            name = c.name_pl if polish else c.name_de
            signed = c.plan_status in ("signed", "in_progress", "completed")
            plan_id = _new_id()
            plans.append({
                "id": plan_id, "cluster_id": c.id, "status": c.plan_status,
                "title": (f"Plan działań – {name}" if polish else f"Aktionsplan – {name}"),
                "office_id": self.office_ids[c.office],
                "signed_on": _workday_between(rng, D(2018, 9, 1), D(2020, 6, 30))
                if signed else None,
                "signatories": ("Koordynator klastra; " if polish else "Clustermanagement; ")
                + programme.OFFICES[[o.code for o in programme.OFFICES].index(c.office)].name
                if signed else None,
                "objectives_pl": "Wzmocnienie usług dla członków, wspólne projekty z partnerami "
                                 "z Brandenburgii i rozpoznawalność klastra.",
                "objectives_de": "Ausbau der Mitgliederservices, gemeinsame Projekte mit "
                                 "Partnern aus Lubuskie und Sichtbarkeit des Clusters.",
            })
            titles = rng.sample(PL_MEASURES if polish else DE_MEASURES, rng.randint(3, 6))
            measure_states = _MEASURE_STATES[c.plan_status]
            first_day = plans[-1]["signed_on"] or D(2019, 1, 1)
            for position, title in enumerate(titles, start=1):
                starts = _date_between(rng, first_day, max(first_day, D(2020, 6, 30)))
                measures.append({
                    "id": _new_id(), "action_plan_id": plan_id, "title": title,
                    "description": title + (" – szczegóły w załączniku." if polish
                                            else " – Details in der Anlage."),
                    "responsible": "koordynator klastra" if polish else "Clustermanagement",
                    "partners": rng.choice(RESEARCH_PARTNERS)[0],
                    "starts_on": starts, "ends_on": starts + dt.timedelta(days=rng.randint(30, 300)),
                    "cost": _money(rng, 4, 400),
                    "currency": (Currency.PLN if polish else Currency.EUR).value,
                    "funding_source": rng.choice(FUNDING),
                    "indicator": "liczba uczestników" if polish else "Anzahl Teilnehmende",
                    "target": str(rng.randint(5, 60)),
                    "status": rng.choice(measure_states).value, "position": position,
                })
        return plans, measures

    # --- events and participants ---

    def event_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        plans = list(PROGRAMME_EVENTS)
        for _n in range(self.size.events - len(plans)):
            kind, title_pl, title_de = rng.choice(EXTRA_EVENTS)
            office = rng.choice(tuple(ADVISORS))
            city = self.city("PL" if office in PL_OFFICES else "DE")
            plans.append(_EventPlan(kind, f"{title_pl} – {city.name}",
                                    f"{title_de} – {city.name}",
                                    _workday_between(rng, PERIOD_START, PERIOD_END), 1,
                                    city.name, office))
        events: list[dict[str, Any]] = []
        participants: list[dict[str, Any]] = []
        for plan in plans:
            event_id = _new_id()
            big = plan.kind in (EventKind.OPENING_CONFERENCE, EventKind.CLUSTER_CONGRESS,
                                EventKind.CLOSING_CONFERENCE)
            events.append({
                "id": event_id, "kind": plan.kind.value, "title_pl": plan.title_pl,
                "title_de": plan.title_de, "starts_on": plan.starts_on,
                "ends_on": plan.starts_on + dt.timedelta(days=plan.days - 1),
                "place": plan.place, "office_id": self.office_ids[plan.office],
                "agenda_pl": PL_AGENDA if big else None, "agenda_de": DE_AGENDA if big else None,
            })
            count = rng.randint(30, 40) if big else rng.randint(10, 25)
            walk_ins = rng.randint(1, count // 4)  # people known only by name
            known = min(count - walk_ins, len(self.contact_ids))
            for contact_id in rng.sample(self.contact_ids, known):
                participants.append(self.participant_row(event_id, plan, contact_id=contact_id))
            for _n in range(count - known):
                first, last, _woman = self.person(rng.choice(("PL", "DE")))
                participants.append(self.participant_row(
                    event_id, plan, name=f"{first} {last}",
                    organisation_name=rng.choice(self.organisations).name))
        return events, participants

    def participant_row(self, event_id: str, plan: _EventPlan, **who: Any) -> dict[str, Any]:
        rng = self.rng
        registered = rng.random() < 0.92
        return {"id": _new_id(), "event_id": event_id,
                "role": rng.choices(list(ParticipantRole), weights=(20, 2, 1, 2))[0].value,
                "registered": registered,
                "attended": rng.random() < (0.85 if registered else 0.4)
                if plan.starts_on <= self.today else None,
                "photo_consent": rng.random() < 0.6, **who}


def _domain(country: str) -> str:
    return {"PL": "example.pl", "DE": "example.de"}.get(country, "example.com")


def _office_city(office: str) -> str:
    """Where a partner office sits (consultations "at the office")."""
    return next(o.city for o in programme.OFFICES if o.code == office)
