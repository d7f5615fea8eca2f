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

# The sectors as stored: codes of the translated list (domain.enums.Sector), which print in
# the reader's language; the English words above only find the smart specialisation.
# Every part of the clusters.tsv sector column and every Sector.label has its code here.
SECTOR_CODES: dict[str, str] = {
    "metal industry": "metal", "metal": "metal", "electrical": "electrical",
    "historical tourism": "historical_tourism", "tourism": "tourism",
    "wine and honey tourism": "wine_honey", "environment": "environment",
    "invasive plants": "invasive_species", "energy": "energy", "smart grid": "smart_grid",
    "green technology": "green_technology", "renewable energy": "renewable_energy",
    "energy technology": "energy", "hydrogen": "hydrogen", "health industries": "health",
    "transport": "transport", "mobility": "transport", "logistics": "logistics",
    "ICT": "ict", "media": "media", "creative industries": "creative", "optics": "optics",
    "photonics": "optics", "food": "food", "plastics": "plastics", "chemistry": "chemistry",
}
# Regions of clusters.tsv (and of invented clusters, by their city) as codes of
# domain.enums.Region.
REGION_CODES: dict[str, str] = {
    "Gorzów Wielkopolski, Lubuskie": "gorzow", "Gorzów area, Lubuskie": "gorzow",
    "Krosno Odrzańskie, Lubuskie": "krosno", "Zielona Góra, Lubuskie": "zielona_gora",
    "Lubuskie": "lubuskie", "Berlin-Brandenburg": "berlin_brandenburg",
    "Brandenburg": "brandenburg", "Lausitz, Brandenburg": "lausitz",
    "South Brandenburg": "south_brandenburg", "Cottbus, Brandenburg": "cottbus",
}
# Towns of invented clusters whose area has a code of its own.
TOWN_REGIONS = {
    "Gorzów Wielkopolski": "gorzow", "Zielona Góra": "zielona_gora",
    "Krosno Odrzańskie": "krosno", "Cottbus": "cottbus", "Forst (Lausitz)": "lausitz",
    "Senftenberg": "lausitz", "Spremberg": "lausitz", "Guben": "lausitz",
    "Lübben (Spreewald)": "lausitz",
}


def sector_codes(english: list[str]) -> list[str]:
    """The codes of English sector words (a word not in the table stays as written)."""
    return list(dict.fromkeys(SECTOR_CODES.get(word, word) for word in english))


def region_code(region: str) -> str:
    """The code of a region of clusters.tsv or of an invented cluster ("Żary, Lubuskie")."""
    if region in REGION_CODES:
        return REGION_CODES[region]
    town, _sep, land = region.rpartition(", ")
    return TOWN_REGIONS.get(town, "lubuskie" if land == "Lubuskie" else "brandenburg")


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


# --- Text in both languages -----------------------------------------------------------------
# The other language's side of the texts above: a record is written in its office's
# language and, most of the time, translated (TRANSLATIONS[text] is the other side).
TRANSLATIONS: dict[str, str] = {
    # consultation subjects
    "Wizyta w klastrze – potrzeby członków": "Clusterbesuch – Bedarfe der Mitglieder",
    "Przygotowanie ewaluacji klastra": "Vorbereitung der Clusterevaluierung",
    "Plan działań – uzgodnienie priorytetów": "Aktionsplan – Abstimmung der Prioritäten",
    "Finansowanie projektów transgranicznych": "Förderung grenzüberschreitender Projekte",
    "Poszukiwanie partnera w Brandenburgii": "Partnersuche in Brandenburg",
    "Wspólna polsko-niemiecka marka klastrów": "Gemeinsame polnisch-deutsche Clustermarke",
    "Strategia internacjonalizacji": "Internationalisierungsstrategie",
    "Inteligentne specjalizacje regionu": "Intelligente Spezialisierungen der Region",
    "Clusterbesuch – Bedarfe der Mitglieder": "Wizyta w klastrze – potrzeby członków",
    "Vorbereitung der Clusterevaluierung": "Przygotowanie ewaluacji klastra",
    "Aktionsplan – Abstimmung der Prioritäten": "Plan działań – uzgodnienie priorytetów",
    "Förderung grenzüberschreitender Projekte": "Finansowanie projektów transgranicznych",
    "Partnersuche in Polen": "Poszukiwanie partnera w Polsce",
    "Gemeinsame deutsch-polnische Clustermarke": "Wspólna niemiecko-polska marka klastrów",
    "Internationalisierungsstrategie": "Strategia internacjonalizacji",
    "Regionale Innovationsstrategie innoBB": "Regionalna strategia innowacji innoBB",
    # consultation summaries (placeholders filled after translating)
    PL_SUMMARIES[0]: "Gespräch mit dem Vorstand von {org} über die Bedarfe der Mitglieder "
                     "({cluster}). Die Beratung stellt eine Übersicht der Förderprogramme "
                     "zusammen.",
    PL_SUMMARIES[1]: "Ergebnisse der Mitgliederbefragung und Zeitplan der Evaluierung nach der "
                     "ESCA-Methodik besprochen.",
    PL_SUMMARIES[2]: "Möglichkeiten des Programms Interreg V A Brandenburg–Polen vorgestellt; "
                     "das Unternehmen erwägt ein gemeinsames Projekt mit einem deutschen "
                     "Partner.",
    PL_SUMMARIES[3]: "Treffen in {city}: Vorstellung der Serviceangebote des Clusters und Ideen "
                     "für einen gemeinsamen Messestand.",
    PL_SUMMARIES[4]: "Prioritäten des Aktionsplans abgestimmt: Schulungen, Unternehmerreise, "
                     "gemeinsame Website.",
    PL_SUMMARIES[5]: "Gespräch über den Eintritt in den deutschen Markt; Kontakte zur IHK und zu "
                     "Netzwerken in der Lausitz weitergegeben.",
    DE_SUMMARIES[0]: "Rozmowa z zarządem {org} o potrzebach członków ({cluster}). Doradca "
                     "zestawi programy wsparcia.",
    DE_SUMMARIES[1]: "Omówiono wyniki ankiety wśród członków i harmonogram ewaluacji według "
                     "metodyki ESCA.",
    DE_SUMMARIES[2]: "Przedstawiono możliwości programu Interreg V A Brandenburgia–Polska; firma "
                     "rozważa wspólny projekt z partnerem polskim.",
    DE_SUMMARIES[3]: "Spotkanie w {city}: prezentacja oferty usług klastra i pomysłów na wspólne "
                     "stoisko targowe.",
    DE_SUMMARIES[4]: "Uzgodniono priorytety planu działań: szkolenia, misja gospodarcza, wspólna "
                     "strona internetowa.",
    DE_SUMMARIES[5]: "Omówiono wejście na rynek polski; przekazano kontakty do Lubuskiej "
                     "Organizacji Pracodawców.",
    # outcomes
    "Wysłano zaproszenie na warsztaty.": "Einladung zum Workshop verschickt.",
    "Firma dołączy do klastra.": "Das Unternehmen tritt dem Cluster bei.",
    "Przygotowano listę partnerów w Brandenburgii.": "Liste möglicher Partner in Brandenburg "
                                                     "erstellt.",
    "Ustalono termin kolejnej wizyty.": "Termin des nächsten Besuchs vereinbart.",
    "Einladung zum Workshop verschickt.": "Wysłano zaproszenie na warsztaty.",
    "Das Unternehmen tritt dem Cluster bei.": "Firma przystąpi do klastra.",
    "Liste möglicher Partner in Lubuskie erstellt.": "Przygotowano listę możliwych partnerów w "
                                                     "województwie lubuskim.",
    "Folgetermin vereinbart.": "Ustalono termin kolejnego spotkania.",
    # measures
    "Cykl szkoleń dla członków": "Schulungsreihe für Mitglieder",
    "Misja gospodarcza do Brandenburgii": "Unternehmerreise nach Brandenburg",
    "Wspólna strona internetowa i katalog ofert": "Gemeinsame Website und Angebotskatalog",
    "Stoisko na targach": "Messestand",
    "Warsztaty strategiczne zarządu": "Strategieworkshop des Vorstands",
    "Program mentoringu dla nowych członków": "Mentoringprogramm für neue Mitglieder",
    "Przygotowanie wniosku do programu Interreg": "Vorbereitung eines Interreg-Antrags",
    "Schulungsreihe für Mitglieder": "Cykl szkoleń dla członków",
    "Unternehmerreise nach Lubuskie": "Misja gospodarcza do województwa lubuskiego",
    "Gemeinsame Website und Leistungskatalog": "Wspólna strona internetowa i katalog usług",
    "Gemeinschaftsstand auf der Messe": "Wspólne stoisko na targach",
    "Strategieworkshop des Vorstands": "Warsztaty strategiczne zarządu",
    "Mentoringprogramm für neue Mitglieder": "Program mentoringu dla nowych członków",
    "Antrag im Programm Interreg vorbereiten": "Przygotowanie wniosku do programu Interreg",
}
# What each measure is about (Polish, German), by its place in PL_MEASURES / DE_MEASURES:
# a description says more than the title.
MEASURE_DESCRIPTIONS = (
    ("Sześć jednodniowych szkoleń z zarządzania innowacjami i sprzedaży eksportowej, "
     "prowadzonych przez ekspertów z obu stron granicy.",
     "Sechs eintägige Schulungen zu Innovationsmanagement und Exportvertrieb mit Fachleuten "
     "von beiden Seiten der Grenze."),
    ("Trzydniowy wyjazd 10–15 firm z wizytami w zakładach i spotkaniami B2B z partnerami "
     "zza granicy.",
     "Dreitägige Reise von 10–15 Unternehmen mit Betriebsbesichtigungen und B2B-Gesprächen "
     "mit Partnern aus dem Nachbarland."),
    ("Dwujęzyczny serwis z profilami członków i wspólną ofertą usług, prowadzony przez biuro "
     "klastra.",
     "Zweisprachiges Portal mit den Profilen der Mitglieder und dem gemeinsamen Angebot, "
     "gepflegt von der Geschäftsstelle."),
    ("Wspólna prezentacja członków na targach branżowych, z materiałami po polsku i "
     "po niemiecku.",
     "Gemeinsamer Auftritt der Mitglieder auf einer Fachmesse mit Material auf Polnisch und "
     "Deutsch."),
    ("Dwa moderowane spotkania zarządu: omówienie wyników ewaluacji i priorytety na kolejne "
     "trzy lata.",
     "Zwei moderierte Sitzungen des Vorstands: Auswertung der Evaluierung und Prioritäten für "
     "die nächsten drei Jahre."),
    ("Doświadczeni członkowie wspierają nowe firmy przez pierwsze sześć miesięcy w klastrze.",
     "Erfahrene Mitglieder begleiten neue Unternehmen in ihren ersten sechs Monaten im "
     "Cluster."),
    ("Dobór partnerów, opis projektu i budżet wniosku do najbliższego naboru Interreg.",
     "Partnersuche, Projektbeschreibung und Budget für einen Antrag im nächsten "
     "Interreg-Aufruf."),
)
# (Polish, German) indicator of a measure and a plan's baseline ({members}: member count).
MEASURE_INDICATORS = (("liczba uczestników", "Anzahl Teilnehmende"),
                      ("liczba firm", "Anzahl Unternehmen"),
                      ("liczba spotkań B2B", "Anzahl B2B-Gespräche"))
BASELINES = (
    "Klaster liczy {members} członków; wspólne usługi ograniczają się do wymiany informacji, "
    "brak stałych partnerów po drugiej stronie granicy.",
    "Der Cluster hat {members} Mitglieder; gemeinsame Leistungen beschränken sich auf den "
    "Informationsaustausch, feste Partner auf der anderen Seite der Grenze fehlen.",
)
# Where events take place, by their place.
VENUES = {
    "Zielona Góra": "ul. Podgórna 50, 65-246 Zielona Góra",
    "Gorzów Wielkopolski": "ul. Teatralna 26, 66-400 Gorzów Wielkopolski",
    "Gubin": "ul. Piastowska 24, 66-620 Gubin",
    "Frankfurt (Oder)": "Große Scharrnstraße 59, 15230 Frankfurt (Oder)",
    "Cottbus": "Platz der Deutschen Einheit 1, 03046 Cottbus",
    "Forst (Lausitz)": "Berliner Straße 25, 03149 Forst (Lausitz)",
    "Berlin": "Rudower Chaussee 17, 12489 Berlin",
    "Guben": "Frankfurter Straße 21, 03172 Guben",
}
