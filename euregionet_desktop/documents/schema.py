"""What a template may use: the fields of each kind of document, as nested names.

A schema maps a name to ``None`` (a text value), to a schema (an object whose fields are
reached with a dot, ``cluster.name``) or to a one-element list holding a schema (a list of
such objects, used in ``{% for m in measures %}``). Every value a template sees is text,
already formatted for the document's language; the same names are used in code, the CLI's
``dump`` and templates.

Values that differ by language come three times: ``status`` in the document's language
(Polish for a side-by-side Polish|German document), ``status_pl`` and ``status_de``; so do
the texts kept in both languages (``name``, ``name_pl``, ``name_de``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from euregionet_desktop.domain.enums import DocumentKind
from euregionet_desktop.i18n import N_, _

Schema = dict[str, Any]

# The kinds of document, as the CLI and templates name them, with their labels.
KINDS: dict[str, str] = {kind.value: kind.label for kind in DocumentKind}
# The record a document is made from (the directory is made from all clusters).
RECORD_ENTITY: dict[str, str | None] = {
    "action-plan": "action_plan",
    "consultation": "consultation",
    "evaluation": "evaluation",
    "attendance": "event",
    "directory": None,
    "letter-of-intent": "initiative",
    "accession-declaration": "membership",
    "cooperation-agreement": "initiative",
}
# Languages of a document: Polish, German, or both side by side.
DOCUMENT_LANGUAGES: dict[str, str] = {
    "pl": N_("Polish"),
    "de": N_("German"),
    "pl+de": N_("Polish and German side by side"),
}


def _fields(*names: str) -> Schema:
    return dict.fromkeys(names)


def _translated(*names: str) -> Schema:
    """A value in the document's language plus its Polish and German forms."""
    return {f"{name}{suffix}": None for name in names for suffix in ("", "_pl", "_de")}


PROGRAMME: Schema = {
    **_translated("name", "project_name", "project", "cofinancing", "slogan", "period"),
    **_fields("project_number", "period_start", "period_end", "eu_emblem", "programme_logo"),
}
# The images among the fields (the programme's logos): empty when no logo is set.
IMAGES: tuple[tuple[str, str], ...] = (("programme", "eu_emblem"),
                                       ("programme", "programme_logo"))
OFFICE: Schema = {**_fields("code", "city"), **_translated("name", "country")}
DOCUMENT: Schema = _fields("date", "language", "advisor")

ORGANISATION: Schema = {
    **_fields("name", "street", "postal_code", "city", "nip", "regon", "krs", "vat_id",
              "register_number", "website", "email", "phone", "sectors", "address"),
    **_translated("country", "kind", "role"),
}
CONTACT: Schema = _fields("name", "first_name", "last_name", "title", "function",
                          "organisation", "email", "phone", "mobile")
CLUSTER: Schema = {
    **_translated("region", "sectors"),
    **_fields("founded_on", "legal_form", "website", "coordinator", "member_count", "number",
              "official_name", "other_name"),
    **_translated("name", "description", "kind", "stage", "country", "smart_specialisations",
                  "support_status", "cross_border"),
    "members": [ORGANISATION],
    "contacts": [CONTACT],
}

MEASURE: Schema = {
    **_fields("number", "responsible", "partners", "starts_on", "ends_on", "currency",
              "funding_source", "indicator", "target"),
    **_translated("title", "description", "cost", "status"),
}
ACTION_PLAN: Schema = {
    **_fields("signed_on", "signatories", "starts_on", "ends_on", "duration", "cluster_party",
              "cluster_signatory"),
    **_translated("title", "status", "objectives", "baseline", "total_cost"),
}
# A party to the plan: an organisation with its number in the annex and its tax number.
PARTY: Schema = {**ORGANISATION, **_fields("number", "tax_id")}

TASK: Schema = {**_fields("number", "title", "assignee", "due_on", "notes"),
              **_translated("done")}
CONSULTATION: Schema = {
    **_fields("held_at", "date", "time", "duration_minutes", "place", "advisor",
              "advisor_office", "prepared_by", "next_meeting", "next_meeting_date", "next_meeting_time"),
    **_translated("subject", "summary", "outcomes", "counterpart", "mode", "topics"),
}

QUESTION: Schema = {**_fields("number", "code", "score", "comment"), **_translated("text")}
AREA: Schema = {**_fields("number", "total", "max_total", "average"), **_translated("name"),
                "questions": [QUESTION]}
EVALUATION: Schema = {
    **_fields("evaluated_on", "evaluator", "questionnaire_version", "strengths", "total",
              "max_total", "average"),
    **_translated("recommendations"),
}
SCALE_STEP: Schema = {**_fields("score"), **_translated("meaning")}

EVENT: Schema = {
    **_fields("starts_on", "ends_on", "dates", "start_time", "end_time", "times", "when",
              "place", "venue_address", "organiser"),
    **_translated("title", "cluster", "kind", "agenda"),
}
PARTICIPANT: Schema = {
    **_fields("number", "name", "first_name", "last_name", "organisation", "function",
              "email", "photo_consent_recorded"),
    **_translated("country", "role", "registered", "attended", "photo_consent"),
}

# Forming a new cluster: the initiative, the organisations that found or join it with
# their register numbers and who signs for them, and the numbered paragraphs (§) of a
# letter of intent or an agreement's rules, or the points of a declaration.
INITIATIVE: Schema = {
    **_fields("place", "started_on", "advisor", "letter_date", "agreement_date",
              "duration_months"),
    **_translated("purpose", "term"),
}
SIGNING_PARTY: Schema = {**PARTY, **_fields("registers", "representative")}
CLAUSE: Schema = {**_fields("number"), **_translated("content")}
PARAGRAPH: Schema = {**_fields("number"), **_translated("heading", "title"),
                     "clauses": [CLAUSE]}
ACCESSION: Schema = {**_fields("signed_on", "date", "place"), **_translated("reference")}

_COMMON: Schema = {"programme": PROGRAMME, "office": OFFICE, "document": DOCUMENT}

SCHEMAS: dict[str, Schema] = {
    "action-plan": {**_COMMON, "action_plan": ACTION_PLAN, "cluster": CLUSTER,
                    "coordinator": ORGANISATION, "parties": [PARTY],
                    "measures": [MEASURE]},
    "consultation": {**_COMMON, "consultation": CONSULTATION, "cluster": CLUSTER,
                     "organisation": ORGANISATION, "participants": [CONTACT],
                     "tasks": [TASK]},
    "evaluation": {**_COMMON, "evaluation": EVALUATION, "cluster": CLUSTER,
                   "areas": [AREA], "scale": [SCALE_STEP]},
    "attendance": {**_COMMON, "event": EVENT, "participants": [PARTICIPANT]},
    "directory": {**_COMMON, "clusters": [CLUSTER], "cluster_count": None},
    "letter-of-intent": {**_COMMON, "initiative": INITIATIVE, "cluster": CLUSTER,
                         "coordinator": ORGANISATION, "parties": [SIGNING_PARTY],
                         "paragraphs": [PARAGRAPH]},
    "accession-declaration": {**_COMMON, "membership": ACCESSION, "cluster": CLUSTER,
                              "coordinator": ORGANISATION, "organisation": SIGNING_PARTY,
                              "representative": CONTACT, "initiative": INITIATIVE,
                              "points": [CLAUSE]},
    "cooperation-agreement": {**_COMMON, "initiative": INITIATIVE, "cluster": CLUSTER,
                              "coordinator": ORGANISATION, "leader": ORGANISATION,
                              "council": [CONTACT], "parties": [SIGNING_PARTY],
                              "paragraphs": [PARAGRAPH]},
}


def leaf_names(schema: Schema, prefix: str = "") -> Iterable[str]:
    """Every dotted name a schema offers ("cluster.name", "measures[].title", ...)."""
    for name, sub in schema.items():
        path = f"{prefix}{name}"
        if sub is None:
            yield path
        elif isinstance(sub, list):
            yield path
            yield from leaf_names(sub[0], f"{path}[].")
        else:
            yield from leaf_names(sub, f"{path}.")


def sample_context(schema: Schema, *, items: int = 2) -> dict[str, Any]:
    """A context with every field filled with its own name: what a template check renders
    to prove a template works, and what tests fill templates with."""
    def fill(sub: Schema, prefix: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, value in sub.items():
            path = f"{prefix}{name}"
            if value is None:
                result[name] = f"«{path}»"
            elif isinstance(value, list):
                result[name] = [fill(value[0], f"{path}[{i}].") for i in range(items)]
            else:
                result[name] = fill(value, f"{path}.")
        return result
    return fill(schema, "")


# --- What each field means, for the people who edit templates ------------------------------
# One meaning per name: a name means the same in every group (``name`` of a cluster, of a
# member, of a contact), the group it sits in says whose it is. With an example value (not
# translated: examples are values as the demo data holds them). ``template fields KIND``
# lists them; a test keeps every name of SCHEMAS described.
FIELD_HELP: dict[str, tuple[str, str]] = {
    # groups and lists
    "programme": (N_("The programme"), ""),
    "office": (N_("The office that makes the document"), ""),
    "document": (N_("The document itself"), ""),
    "action_plan": (N_("The action plan"), ""),
    "consultation": (N_("The consultation"), ""),
    "evaluation": (N_("The evaluation"), ""),
    "event": (N_("The event"), ""),
    "initiative": (N_("The cluster initiative being formed"), ""),
    "membership": (N_("The membership: the accession declaration"), ""),
    "leader": (N_("The cluster's leader"), "Uniwersytet Zielonogórski"),
    "council": (N_("The members' council (one entry each)"), ""),
    "paragraphs": (N_("The numbered paragraphs (§) of the text (one entry each)"), ""),
    "clauses": (N_("The numbered points of the paragraph (one entry each)"), ""),
    "points": (N_("The numbered points of the declaration (one entry each)"), ""),
    "representative": (N_("The person who signs for the organisation, with the function"),
                       "Jan Kowalski, Prezes zarządu"),
    "cluster": (N_("The cluster"), "Lubuski Klaster Metalowy"),
    "coordinator": (N_("The cluster's coordinator"), "Metal-Tech Sp. z o.o."),
    "organisation": (N_("The organisation"), "Metal-Tech Sp. z o.o."),
    "parties": (N_("The parties: the organisations that sign (one entry each)"), ""),
    "measures": (N_("The measures of the plan (one entry each)"), ""),
    "participants": (N_("The participants (one entry each)"), ""),
    "tasks": (N_("The tasks agreed (one entry each)"), ""),
    "areas": (N_("The areas evaluated (one entry each)"), ""),
    "scale": (N_("The scoring scale: what each score means (one entry each)"), ""),
    "questions": (N_("The questions of the area (one entry each)"), ""),
    "clusters": (N_("All clusters (one entry each)"), ""),
    "members": (N_("The cluster's members (one entry each)"), ""),
    "contacts": (N_("The contact persons (one entry each)"), ""),
    # texts
    "address": (N_("Full address"), "ul. Przemysłowa 5, 65-001 Zielona Góra"),
    "agreement_date": (N_("Date of the cooperation agreement (its step's date, else today)"),
                       "15.09.2026"),
    "advisor": (N_("Advisor"), "Anna Nowak"),
    "advisor_office": (N_("The advisor's office"), "Lubuska Organizacja Pracodawców"),
    "agenda": (N_("Agenda"), "Powitanie; prezentacja klastra; dyskusja"),
    "assignee": (N_("Who does it"), "Jan Kowalski"),
    "attended": (N_("Attended (yes or no)"), "tak"),
    "average": (N_("Average score"), "3,5"),
    "baseline": (N_("The situation at the start of the plan"),
                 "12 firm współpracuje z partnerami z Brandenburgii"),
    "city": (N_("City"), "Zielona Góra"),
    "cluster_count": (N_("Number of clusters"), "12"),
    "cluster_party": (N_("Who signs for the cluster (its coordinator)"),
                      "Metal-Tech Sp. z o.o."),
    "cluster_signatory": (N_("The coordinator's person who signs, with the function"),
                          "Jan Kowalski, Prezes zarządu"),
    "code": (N_("Code"), "PL-LUB"),
    "content": (N_("Text of the point"), "Strony zawierają porozumienie o utworzeniu klastra."),
    "comment": (N_("Comment"), "Dobra współpraca z uczelnią"),
    "cost": (N_("Cost, with its currency"), "67 000,00 zł"),
    "counterpart": (N_("Who signs for the other side: the cluster, or the organisation "
                       "when the consultation is not about a cluster"),
                    "Lubuski Klaster Metalowy"),
    "country": (N_("Country"), "Polska"),
    "cross_border": (N_("Cross-border (yes or no)"), "tak"),
    "currency": (N_("Currency"), "PLN"),
    "date": (N_("Date"), "21.05.2026"),
    "dates": (N_("Dates (from – to)"), "21.05.2026 – 22.05.2026"),
    "description": (N_("Description"), "Sieć firm obróbki metali w regionie"),
    "done": (N_("Done (yes or no)"), "nie"),
    "due_on": (N_("Due date"), "30.06.2026"),
    "duration": (N_("Duration (from – to)"), "01.01.2026 – 31.12.2027"),
    "duration_minutes": (N_("Duration in minutes"), "90"),
    "duration_months": (N_("Duration in months (empty: indefinite)"), "36"),
    "email": (N_("E-mail address"), "biuro@example.pl"),
    "end_time": (N_("End time"), "16:00"),
    "ends_on": (N_("End date"), "31.12.2026"),
    "evaluated_on": (N_("Date of the evaluation"), "15.04.2026"),
    "evaluator": (N_("Evaluator"), "Anna Nowak"),
    "first_name": (N_("First name"), "Jan"),
    "founded_on": (N_("Founding date"), "2008"),
    "heading": (N_("Heading with its number, as the language writes it"),
                "§ 1. Postanowienia ogólne"),
    "letter_date": (N_("Date of the letter of intent (its step's date, else today)"),
                    "12.03.2026"),
    "function": (N_("Function"), "Prezes zarządu"),
    "funding_source": (N_("Source of funding"), "Interreg VI A"),
    "held_at": (N_("Date and time held"), "21.05.2026 10:00"),
    "indicator": (N_("Indicator"), "Liczba firm w projekcie"),
    "kind": (N_("Kind"), "klaster"),
    "krs": (N_("KRS number (Polish court register)"), "0000123456"),
    "language": (N_("The document's language (pl, de or pl+de)"), "pl"),
    "last_name": (N_("Surname"), "Kowalski"),
    "legal_form": (N_("Legal form"), "stowarzyszenie"),
    "max_total": (N_("Highest possible total"), "40"),
    "meaning": (N_("What the score means"), "częściowo rozwinięty: działa, z wyraźnymi lukami"),
    "member_count": (N_("Number of members"), "22"),
    "mobile": (N_("Mobile phone"), "+48 600 100 200"),
    "mode": (N_("Mode (in person, online…)"), "osobiście"),
    "name": (N_("Name"), "Lubuski Klaster Metalowy"),
    "next_meeting": (N_("Date and time of the next meeting (empty when none is set)"),
                     "18.06.2026, 10:00"),
    "next_meeting_date": (N_("Date of the next meeting"), "18.06.2026"),
    "next_meeting_time": (N_("Time of the next meeting"), "10:00"),
    "nip": (N_("NIP (Polish tax number)"), "9291234567"),
    "notes": (N_("Notes"), "Do uzgodnienia z zarządem"),
    "number": (N_("Number (1, 2, 3…)"), "1"),
    "official_name": (N_("The name as registered (Polish for a Polish cluster, German for a "
                         "German one)"), "Lubuski Klaster Metalowy"),
    "other_name": (N_("The name in the other language, where it differs"),
                   "Lebuser Metallcluster"),
    "objectives": (N_("Objectives"), "Wzrost eksportu firm klastra"),
    "organiser": (N_("The office that organises the event"), "Biuro Regionalne Zielona Góra"),
    "outcomes": (N_("Outcomes"), "Uzgodniono plan szkoleń"),
    "partners": (N_("Partners"), "Cluster Metall, Uniwersytet Zielonogórski"),
    "period_end": (N_("End of the programme period"), "31.08.2020"),
    "period_start": (N_("Start of the programme period"), "01.04.2017"),
    "phone": (N_("Phone"), "+48 68 123 45 67"),
    "photo_consent": (N_("Consent to photos (yes or no)"), "tak"),
    "photo_consent_recorded": (N_("Set where the contact person's recorded consent decides "
                                  "the photo consent (given for photos, refused or "
                                  "withdrawn); empty where the participant still decides"),
                               "1"),
    "place": (N_("Place"), "Zielona Góra, ul. Przemysłowa 5"),
    "purpose": (N_("Purpose"), "Wspólny rozwój technologii wodorowych w regionie"),
    "reference": (N_("What the declaration refers to: the agreement, else the letter of "
                     "intent, with its date"),
                  "porozumienia o współpracy z dnia 15.09.2026"),
    "registers": (N_("Register numbers as the country names them: NIP, REGON, KRS; "
                     "USt-IdNr., Handelsregister"),
                  "NIP 9291234567, REGON 081234567, KRS 0000123456"),
    "prepared_by": (N_("Who prepared the protocol: the advisor, with the office"),
                    "Anna Nowak, Lubuska Organizacja Pracodawców"),
    "project": (N_("The project: its name and number, from the programme's settings"),
                "EuRegioNet – umiędzynarodowienie sieci i klastrów, nr projektu 85030045"),
    "project_name": (N_("The project's name, from the programme's settings"),
                     "EuRegioNet – umiędzynarodowienie sieci i klastrów"),
    "project_number": (N_("The project's number, from the programme's settings"), "85030045"),
    "cofinancing": (N_("The EU co-financing statement, from the programme's settings"),
                    "Projekt jest współfinansowany przez Unię Europejską…"),
    "slogan": (N_("The programme's slogan, from the programme's settings"),
               "Przekraczamy granice. Programy dla obywateli."),
    "period": (N_("The programming period whose rules apply"), "2014–2020"),
    "eu_emblem": (N_("The EU emblem: an image, empty when none is set in the programme's "
                     "settings"), "flaga-UE.png"),
    "programme_logo": (N_("The programme's logo: an image, empty when none is set in the "
                          "programme's settings"), "logo-Interreg.png"),
    "postal_code": (N_("Postal code"), "65-001"),
    "questionnaire_version": (N_("Version of the questionnaire"), "2026-1"),
    "recommendations": (N_("Recommendations"), "Rozwinąć współpracę z uczelniami"),
    "region": (N_("Region"), "Województwo lubuskie"),
    "register_number": (N_("Register number"), "HRB 12345"),
    "registered": (N_("Registered (yes or no)"), "tak"),
    "regon": (N_("REGON number (Polish statistical number)"), "081234567"),
    "responsible": (N_("Responsible"), "Jan Kowalski"),
    "role": (N_("Role"), "członek"),
    "score": (N_("Score"), "4"),
    "sectors": (N_("Sectors"), "Przemysł metalowy, Przemysł elektrotechniczny"),
    "signatories": (N_("Signatories"), "Jan Kowalski, Anna Nowak"),
    "signed_on": (N_("Date of signing"), "21.05.2026"),
    "smart_specialisations": (N_("Smart specialisations"), "zaawansowane materiały"),
    "stage": (N_("Stage of development"), "rozwój"),
    "start_time": (N_("Start time"), "09:00"),
    "started_on": (N_("Date the initiative started"), "01.02.2026"),
    "starts_on": (N_("Start date"), "01.06.2026"),
    "status": (N_("Status"), "w realizacji"),
    "street": (N_("Street"), "ul. Przemysłowa 5"),
    "strengths": (N_("Strengths"), "Silna sieć dostawców"),
    "subject": (N_("Subject"), "Strategia eksportowa"),
    "summary": (N_("Summary"), "Omówiono plany na rok 2026"),
    "support_status": (N_("Support status"), "wspierany"),
    "target": (N_("Target value"), "15"),
    "tax_id": (N_("Tax number: the NIP of a Polish organisation, else its VAT ID"),
               "9291234567"),
    "term": (N_("How long the agreement runs: the months, or indefinite"), "36 miesięcy"),
    "text": (N_("Text of the question"), "Czy klaster ma strategię?"),
    "time": (N_("Time"), "10:00"),
    "times": (N_("Time from – to"), "09:00–16:00"),
    "title": (N_("Title"), "Plan działań 2026"),
    "topics": (N_("Topics"), "eksport, szkolenia"),
    "total": (N_("Total"), "28"),
    "total_cost": (N_("Total cost, with its currency"), "250 000,00 zł"),
    "vat_id": (N_("VAT identification number"), "DE123456789"),
    "venue_address": (N_("Address of the venue"), "ul. Wiejska 5, 65-001 Zielona Góra"),
    "website": (N_("Website"), "www.example.pl"),
    "when": (N_("Dates and times of the event"), "21.05.2026, 09:00–16:00"),
}
# Examples that depend on the group a name sits in (``name`` of a person, of an event…).
_GROUP_EXAMPLES: dict[tuple[str, str], str] = {
    ("programme", "name"): "Interreg V A Brandenburgia–Polska 2014–2020",
    ("office", "name"): "Biuro Regionalne Zielona Góra",
    ("office", "code"): "ZG",
    ("coordinator", "name"): "Metal-Tech Sp. z o.o.",
    ("organisation", "name"): "Metal-Tech Sp. z o.o.",
    ("parties", "name"): "Metal-Tech Sp. z o.o.",
    ("members", "name"): "Metal-Tech Sp. z o.o.",
    ("contacts", "name"): "dr Jan Kowalski",
    ("participants", "name"): "Jan Kowalski",
    ("participants", "organisation"): "Metal-Tech Sp. z o.o.",
    ("contacts", "organisation"): "Metal-Tech Sp. z o.o.",
    ("areas", "name"): "Zarządzanie",
    ("event", "title"): "Forum klastrów 2026",
    ("tasks", "title"): "Przygotować ankietę",
    ("measures", "title"): "Program mentoringowy",
    ("action_plan", "title"): "Plan działań 2026",
    ("questions", "code"): "A1",
    ("areas", "total"): "12",
    ("questions", "comment"): "Strategia przyjęta w 2025",
    ("office", "city"): "Zielona Góra",
    ("scale", "score"): "2",
    ("tasks", "number"): "1",
    ("leader", "name"): "Uniwersytet Zielonogórski",
    ("council", "name"): "dr Jan Kowalski",
    ("council", "organisation"): "Metal-Tech Sp. z o.o.",
    ("representative", "name"): "Jan Kowalski",
    ("paragraphs", "title"): "Postanowienia ogólne",
    ("paragraphs", "number"): "1",
    ("clauses", "number"): "1",
    ("points", "number"): "1",
    ("membership", "date"): "20.04.2026",
    ("initiative", "place"): "Zielona Góra",
    ("membership", "place"): "Zielona Góra",
}
# The German form of the examples of values kept in both languages (``status_de``…).
_GERMAN_EXAMPLES: dict[str, str] = {
    "country": "Polen", "kind": "Cluster", "role": "Mitglied", "status": "in Umsetzung",
    "stage": "Entwicklung", "support_status": "gefördert", "cross_border": "ja",
    "smart_specialisations": "fortgeschrittene Werkstoffe", "done": "nein", "mode": "persönlich",
    "registered": "ja", "attended": "ja", "photo_consent": "ja", "topics": "Export, Schulungen",
    "description": "Netzwerk metallverarbeitender Firmen der Region",
    "objectives": "Mehr Export der Clusterfirmen", "cost": "15 000,00 €",
    "total_cost": "58 000,00 €", "recommendations": "Zusammenarbeit mit Hochschulen ausbauen",
    "text": "Hat das Cluster eine Strategie?", "agenda": "Begrüßung; Vorstellung; Diskussion",
    "title": "Aktionsplan 2026", "name": "Lebuser Metallcluster",
    "subject": "Exportstrategie", "summary": "Die Pläne für 2026 besprochen",
    "outcomes": "Schulungsplan vereinbart", "counterpart": "Lebuser Metallcluster",
    "cluster": "Lebuser Metallcluster",
    "meaning": "teilweise entwickelt: funktioniert, mit deutlichen Lücken",
    "project": "EuRegioNet – Internationalisierung von Netzwerken und Clustern, "
               "Projekt-Nr. 85030045",
    "project_name": "EuRegioNet – Internationalisierung von Netzwerken und Clustern",
    "cofinancing": "Das Projekt wird von der Europäischen Union … kofinanziert.",
    "slogan": "Wir überschreiten Grenzen. Programme für Bürger.",
    "purpose": "Gemeinsame Entwicklung von Wasserstofftechnologien in der Region",
    "term": "36 Monate", "heading": "§ 1 Allgemeine Bestimmungen",
    "content": "Die Parteien schließen eine Vereinbarung über die Gründung des Clusters.",
    "reference": "der Kooperationsvereinbarung vom 15.09.2026",
}
_LANGUAGE_NOTES = {"": N_("{meaning}, in the document's language"),
                   "_pl": N_("{meaning}, in Polish"), "_de": N_("{meaning}, in German")}


@dataclass(frozen=True)
class FieldHelp:
    """One line of the list of fields: how a template writes it, and what it holds."""

    path: str  # in schema terms: "measures[].title" (what the template check reports)
    written: str  # as a template writes it: "m.title", "{% for m in measures %}"
    meaning: str  # translated
    example: str
    depth: int  # 0 at the top, 1 inside a loop, 2 inside a loop inside a loop
    is_list: bool


def _help_key(name: str) -> tuple[str, str]:
    """("status", "_pl") for "status_pl"; the name itself when it is described as it is."""
    for suffix in ("_pl", "_de"):
        if name.endswith(suffix) and name[:-len(suffix)] in FIELD_HELP:
            return name[:-len(suffix)], suffix
    return name, ""


def field_guide(kind: str) -> list[FieldHelp]:
    """Every field a template of ``kind`` may use, in schema order, translated."""
    result: list[FieldHelp] = []

    def visit(schema: Schema, prefix: str, written: str, group: str, depth: int,
              used: set[str]) -> None:
        for name, sub in schema.items():
            base, suffix = _help_key(name)
            meaning, example = FIELD_HELP.get(base, (name, ""))
            meaning = _(meaning)
            if suffix or f"{name}_pl" in schema:  # a value kept in both languages
                meaning = _(_LANGUAGE_NOTES[suffix]).format(meaning=meaning)
            example = _GROUP_EXAMPLES.get((group, base), example)
            if suffix == "_de" and (group, base) not in _GROUP_EXAMPLES:
                example = _GERMAN_EXAMPLES.get(base, example)
            path = f"{prefix}{name}"
            if isinstance(sub, list):
                variable = next(v for v in (name[0], name[:2], name) if v not in used)
                result.append(FieldHelp(path, f"{{% for {variable} in {written}{name} %}}",
                                        meaning, "", depth, True))
                visit(sub[0], f"{path}[].", f"{variable}.", name, depth + 1,
                      used | {variable})
            elif isinstance(sub, dict):
                visit(sub, f"{path}.", f"{written}{name}.", name, depth, used)
            else:
                result.append(FieldHelp(path, f"{written}{name}", meaning, example, depth,
                                        False))

    visit(SCHEMAS[kind], "", "", "", 0, set())
    return result
