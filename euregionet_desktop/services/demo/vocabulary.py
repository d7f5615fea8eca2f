"""Demo vocabulary: sectors, places, names, functions and the texts of programme work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import (
    EventKind,
    MeasureStatus,
    OrganisationKind,
    SmartSpecialisation,
    Topic,
)

# --- Sectors, places and people -----------------------------------------------------------


@dataclass(frozen=True)
class Sector:
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
SECTORS: tuple[Sector, ...] = (
    Sector("metal", "metal industry", "Metalowy", "Przemysłu Metalowego", "Metall",
           S.INNOVATIVE_INDUSTRY, S.METAL,
           ("Zakład Obróbki Metali {s} sp.j.", "{s} Metal sp. z o.o.", "Metalbud {c} sp. z o.o.",
             "Odlewnia {c} S.A.", "Konstrukcje Stalowe {s} sp. z o.o."),
           ("{s} Metallbau GmbH", "Stahlbau {c} GmbH", "{s} Blechtechnik GmbH & Co. KG",
             "Gießerei {c} GmbH")),
    Sector("tourism", "tourism", "Turystyczny", "Turystyki", "Tourismus",
           S.HEALTH_QUALITY_OF_LIFE, S.TOURISM,
           ("Biuro Podróży {s}", "Hotel nad Odrą {c} sp. z o.o.", "Agroturystyka {s}",
             "Przewodnicy {c} s.c."),
           ("Reisebüro {s}", "Pension {s}", "Spreewald-Touren {s} GbR", "Hotel am Markt {c} GmbH")),
    Sector("environment", "environment", "Ekologiczny", "Ochrony Środowiska", "Umwelt",
           S.GREEN_ECONOMY, S.ENERGY,
           ("EkoSerwis {c} sp. z o.o.", "Pracownia Przyrodnicza {s}", "Zieleń {c} sp. z o.o."),
           ("Umwelttechnik {s} GmbH", "Landschaftspflege {c} GmbH", "Büro für Ökologie {s}")),
    Sector("energy", "energy", "Energii", "Energetyki", "Energie",
           S.GREEN_ECONOMY, S.ENERGY,
           ("EkoEnergia {c} sp. z o.o.", "Fotowoltaika {s} sp.j.", "Instalacje Elektryczne {s}"),
           ("Solartechnik {s} GmbH", "Energieberatung {s}", "Windkraft {c} GmbH & Co. KG")),
    Sector("food", "food", "Spożywczy", "Przemysłu Spożywczego", "Ernährung",
           S.HEALTH_QUALITY_OF_LIFE, S.FOOD,
           ("Winnica {s}", "Pasieka {s}", "Przetwórnia Owoców {c} sp. z o.o.",
             "Piekarnia {s} s.c."),
           ("Bäckerei {s}", "Feinkost {s} GmbH", "Obsthof {s}", "Imkerei {s}",
             "Mosterei {c} GmbH")),
    Sector("plastics", "plastics", "Tworzyw Sztucznych", "Tworzyw Sztucznych", "Kunststoff",
           S.INNOVATIVE_INDUSTRY, S.PLASTICS,
           ("Plast-{c} sp. z o.o.", "Tworzywa {s} sp.j.", "Zakład Przetwórstwa Tworzyw {c}"),
           ("Kunststofftechnik {c} GmbH", "{s} Spritzguss GmbH", "Chemie-Service {s} GmbH")),
    Sector("ict", "ICT", "ICT", "Branży ICT", "IKT",
           S.INNOVATIVE_INDUSTRY, S.ICT_MEDIA,
           ("{s} Software sp. z o.o.", "Studio Graficzne {s}", "IT Serwis {c} sp. z o.o."),
           ("{s} IT-Systeme GmbH", "Medienagentur {s}", "Software {c} UG (haftungsbeschränkt)")),
    Sector("photonics", "photonics", "Fotoniki", "Optyki i Fotoniki", "Photonik",
           S.INNOVATIVE_INDUSTRY, S.PHOTONICS,
           ("Optyka Precyzyjna {s} sp. z o.o.", "LaserTech {c} sp. z o.o."),
           ("Lasertechnik {s} GmbH", "Optische Systeme {c} GmbH")),
    Sector("health", "health industries", "Medyczny", "Gospodarki Zdrowotnej", "Gesundheit",
           S.HEALTH_QUALITY_OF_LIFE, S.HEALTH,
           ("Centrum Rehabilitacji {c} sp. z o.o.", "Przychodnia {s} s.c.",
             "MedTech {c} sp. z o.o."),
           ("Praxis für Physiotherapie {s}", "Medizintechnik {c} GmbH",
             "Gesundheitszentrum {s} GmbH")),
    Sector("logistics", "logistics", "Logistyczny", "Logistyki", "Logistik",
           S.INNOVATIVE_INDUSTRY, S.MOBILITY,
           ("Transport {s} sp. z o.o.", "Spedycja {c} sp. z o.o.",
             "Logistyka {s} i Wspólnicy sp.k."),
           ("Spedition {s} GmbH", "Logistikzentrum {c} GmbH & Co. KG", "{s} Transporte e.K.")),
)
SECTOR_BY_KEY = {sector.key: sector for sector in SECTORS}
# German compounds that need a joining s or a hyphen ("Metall" + "cluster" needs neither).
DE_CLUSTER = {"Ernährung": "Ernährungscluster", "Gesundheit": "Gesundheitscluster",
               "IKT": "IKT-Cluster"}
# Words of the clusters.tsv sector column, first match wins.
SECTOR_WORDS = (
    ("metal", "metal"), ("touris", "tourism"), ("wine", "tourism"), ("environment", "environment"),
    ("invasive", "environment"), ("energy", "energy"), ("hydrogen", "energy"),
    ("green", "energy"), ("health", "health"), ("transport", "logistics"),
    ("logistic", "logistics"), ("ict", "ict"), ("media", "ict"), ("optic", "photonics"),
    ("photon", "photonics"), ("food", "food"), ("plastic", "plastics"), ("chemi", "plastics"),
    ("mobility", "logistics"), ("creative", "ict"), ("grid", "energy"), ("electrical", "metal"),
)

# The sectors as stored: in the language of the office that owns the cluster (Polish for
# LOP and SNB, German for BIC and CIT); the English words above only find the sector.
# Every part of the clusters.tsv sector column and every Sector.label has its pair here.
SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "metal industry": ("przemysł metalowy", "Metallindustrie"),
    "metal": ("przemysł metalowy", "Metall"),
    "electrical": ("elektrotechnika", "Elektrotechnik"),
    "historical tourism": ("turystyka historyczna", "historischer Tourismus"),
    "tourism": ("turystyka", "Tourismus"),
    "wine and honey tourism": ("turystyka winiarska i miodowa", "Wein- und Honigtourismus"),
    "environment": ("ochrona środowiska", "Umwelt"),
    "invasive plants": ("rośliny inwazyjne", "invasive Pflanzen"),
    "energy": ("energetyka", "Energie"),
    "smart grid": ("inteligentne sieci energetyczne", "intelligente Stromnetze"),
    "green technology": ("zielone technologie", "grüne Technologien"),
    "renewable energy": ("odnawialne źródła energii", "erneuerbare Energien"),
    "energy technology": ("technika energetyczna", "Energietechnik"),
    "hydrogen": ("wodór", "Wasserstoff"),
    "health industries": ("gospodarka zdrowotna", "Gesundheitswirtschaft"),
    "transport": ("transport", "Verkehr"),
    "mobility": ("mobilność", "Mobilität"),
    "logistics": ("logistyka", "Logistik"),
    "ICT": ("ICT", "IKT"),
    "media": ("media", "Medien"),
    "creative industries": ("przemysły kreatywne", "Kreativwirtschaft"),
    "optics": ("optyka", "Optik"),
    "photonics": ("fotonika", "Photonik"),
    "food": ("przemysł spożywczy", "Ernährungswirtschaft"),
    "plastics": ("tworzywa sztuczne", "Kunststoffe"),
    "chemistry": ("chemia", "Chemie"),
}
# Regions of clusters.tsv that are not already written in the owning office's language.
REGION_NAMES: dict[str, tuple[str, str]] = {
    "Gorzów area, Lubuskie": ("okolice Gorzowa, Lubuskie", "Raum Gorzów, Lubuskie"),
    "South Brandenburg": ("Brandenburgia Południowa", "Südbrandenburg"),
    "Berlin-Brandenburg": ("Berlin-Brandenburgia", "Berlin-Brandenburg"),
    "Lausitz, Brandenburg": ("Łużyce, Brandenburgia", "Lausitz, Brandenburg"),
    "Cottbus, Brandenburg": ("Chociebuż, Brandenburgia", "Cottbus, Brandenburg"),
    "Brandenburg": ("Brandenburgia", "Brandenburg"),
    "Lubuskie": ("Lubuskie", "Lebuser Land"),
}


def sector_name(english: str, *, polish: bool) -> str:
    """A sector in Polish or German (a word not in the table stays as written)."""
    pair = SECTOR_NAMES.get(english)
    return english if pair is None else pair[0 if polish else 1]


def region_name(region: str, *, polish: bool) -> str:
    """A region of clusters.tsv in Polish or German."""
    pair = REGION_NAMES.get(region)
    return region if pair is None else pair[0 if polish else 1]


@dataclass(frozen=True)
class City:
    name: str
    postal_code: str
    area_code: str  # national trunk code without the leading 0
    adjective: str = ""  # Polish cities: "Żarski" for invented cluster names
    court: str = ""  # German cities: the register court (Handelsregister)


PL_CITIES: tuple[City, ...] = (
    City("Gorzów Wielkopolski", "66-400", "95", "Gorzowski"),
    City("Zielona Góra", "65-001", "68", "Zielonogórski"),
    City("Gubin", "66-620", "68", "Gubiński"),
    City("Świebodzin", "66-200", "68", "Świebodziński"),
    City("Żary", "68-200", "68", "Żarski"),
    City("Żagań", "68-100", "68", "Żagański"),
    City("Międzyrzecz", "66-300", "95", "Międzyrzecki"),
    City("Krosno Odrzańskie", "66-600", "68", "Krośnieński"),
    City("Słubice", "69-100", "95", "Słubicki"),
    City("Nowa Sól", "67-100", "68", "Nowosolski"),
    City("Sulęcin", "69-200", "95", "Sulęciński"),
    City("Kostrzyn nad Odrą", "66-470", "95", "Kostrzyński"),
    City("Wschowa", "67-400", "65", "Wschowski"),
    City("Lubsko", "68-300", "68", "Lubski"),
)
LODZ = City("Łódź", "90-302", "42", "Łódzki")
DE_CITIES: tuple[City, ...] = (
    City("Frankfurt (Oder)", "15230", "335", court="Frankfurt (Oder)"),
    City("Cottbus", "03046", "355", court="Cottbus"),
    City("Forst (Lausitz)", "03149", "3562", court="Cottbus"),
    City("Potsdam", "14467", "331", court="Potsdam"),
    City("Eberswalde", "16225", "3334", court="Frankfurt (Oder)"),
    City("Fürstenwalde/Spree", "15517", "3361", court="Frankfurt (Oder)"),
    City("Eisenhüttenstadt", "15890", "3364", court="Frankfurt (Oder)"),
    City("Senftenberg", "01968", "3573", court="Cottbus"),
    City("Spremberg", "03130", "3563", court="Cottbus"),
    City("Lübben (Spreewald)", "15907", "3546", court="Cottbus"),
    City("Schwedt/Oder", "16303", "3332", court="Frankfurt (Oder)"),
    City("Guben", "03172", "3561", court="Cottbus"),
    City("Beeskow", "15848", "3366", court="Frankfurt (Oder)"),
    City("Berlin", "10115", "30", court="Berlin (Charlottenburg)"),
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


# --- Content ---------------------------------------------------------------------------

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
class EventPlan:
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
    EventPlan(EventKind.PARTNER_MEETING, "Spotkanie partnerów – start projektu",
              "Partnertreffen – Projektstart", D(2017, 5, 10), 1, "Frankfurt (Oder)", "BIC"),
    EventPlan(EventKind.OPENING_CONFERENCE, "Konferencja otwierająca projekt EuRegioNet",
              "Eröffnungskonferenz des Projekts EuRegioNet", D(2017, 6, 22), 1,
              "Gorzów Wielkopolski", "LOP"),
    EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Łużyce",
              "Regionale Auftaktveranstaltung Lausitz", D(2017, 9, 19), 1, "Forst (Lausitz)",
              "CIT"),
    EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Gorzów",
              "Regionale Auftaktveranstaltung Gorzów", D(2017, 10, 12), 1,
              "Gorzów Wielkopolski", "LOP"),
    EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Gubin",
              "Regionale Auftaktveranstaltung Gubin", D(2017, 10, 26), 1, "Gubin", "SNB"),
    EventPlan(EventKind.KICKOFF, "Regionalne spotkanie startowe – Frankfurt nad Odrą",
              "Regionale Auftaktveranstaltung Frankfurt (Oder)", D(2017, 11, 9), 1,
              "Frankfurt (Oder)", "BIC"),
    EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2017, 11, 23), 1,
              "Gubin", "SNB"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Berlinie-Adlershof",
              "Studienreise nach Berlin-Adlershof", D(2018, 3, 14), 2, "Berlin", "BIC"),
    EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2018, 5, 17), 1,
              "Forst (Lausitz)", "CIT"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna – klastry Dolnego Śląska",
              "Studienreise zu den Clustern Niederschlesiens", D(2018, 6, 6), 2, "Wrocław",
              "LOP"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Łodzi", "Studienreise nach Łódź",
              D(2018, 9, 26), 2, "Łódź", "SNB"),
    EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2018, 11, 15), 1,
              "Gorzów Wielkopolski", "LOP"),
    EventPlan(EventKind.WORKSHOP, "Warsztaty: finansowanie projektów transgranicznych",
              "Workshop: Förderung grenzüberschreitender Projekte", D(2019, 2, 7), 1,
              "Słubice", "LOP"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna: wodór i energia na Łużycach",
              "Studienreise: Wasserstoff und Energie in der Lausitz", D(2019, 3, 20), 2,
              "Cottbus", "CIT"),
    EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2019, 5, 23), 1,
              "Frankfurt (Oder)", "BIC"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Poznaniu", "Studienreise nach Poznań",
              D(2019, 6, 12), 2, "Poznań", "BIC"),
    EventPlan(EventKind.STUDY_TRIP, "Wizyta studyjna w Dreźnie", "Studienreise nach Dresden",
              D(2019, 9, 18), 2, "Dresden", "LOP"),
    EventPlan(EventKind.WORKSHOP, "Warsztaty: wspólna marka klastrów PL-DE",
              "Workshop: Gemeinsame Clustermarke PL-DE", D(2019, 10, 10), 1, "Guben", "CIT"),
    EventPlan(EventKind.PARTNER_MEETING, "Rada Projektu", "Projektrat", D(2019, 11, 21), 1,
              "Zielona Góra", "SNB"),
    EventPlan(EventKind.CLUSTER_CONGRESS, "Transgraniczny Kongres Klastrów",
              "Grenzüberschreitender Clusterkongress", D(2020, 1, 28), 1, "Zielona Góra",
              "LOP"),
    EventPlan(EventKind.CLOSING_CONFERENCE, "Konferencja podsumowująca projekt EuRegioNet",
              "Abschlusskonferenz des Projekts EuRegioNet", D(2020, 2, 20), 1,
              "Gorzów Wielkopolski", "LOP"),
    EventPlan(EventKind.OTHER, "Stoisko EuRegioNet na targach regionalnych", "EuRegioNet-Stand "
              "auf der Regionalmesse", D(2018, 4, 19), 1, "Frankfurt (Oder)", "BIC"),
)
EXTRA_EVENTS = (
    (EventKind.WORKSHOP, "Warsztaty klastrowe", "Clusterworkshop"),
    (EventKind.WORKSHOP, "Warsztaty: usługi dla członków", "Workshop: Mitgliederservice"),
    (EventKind.OTHER, "Spotkanie sieciujące", "Netzwerktreffen"),
    (EventKind.OTHER, "Dzień otwarty klastra", "Tag der offenen Tür im Cluster"),
)
# What state the measures of a plan can be in, by the plan's status.
MEASURE_STATES = {
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

CLUSTER_DESCRIPTIONS = {
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

