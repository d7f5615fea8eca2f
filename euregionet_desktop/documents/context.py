"""What a document is filled with: the record and its related records as text, formatted
for the document's language (the names are those of ``documents.schema``).

Every value is a string (never None: StrictUndefined would print "None"), so templates
need no filters, and the whole context crosses into the render worker as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import numbers as babel_numbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.documents.marks import in_language
from euregionet_desktop.domain import consent, enums, programme
from euregionet_desktop.domain.bilingual import to_code
from euregionet_desktop.errors import NotFoundError
from euregionet_desktop.i18n import N_, _, babel_locale, format_date, format_money, sort_key
from euregionet_desktop.i18n import translation as catalog
from euregionet_desktop.storage.models import (
    ActionPlan,
    Advisor,
    Cluster,
    Consultation,
    Contact,
    Evaluation,
    Event,
    FormationStep,
    Initiative,
    Installation,
    LocalState,
    Measure,
    Membership,
    Office,
    Organisation,
    Participant,
    Programme,
    Task,
)

Row = Mapping[str, Any]
YES, NO = N_("yes"), N_("no")
# Polish and German documents both write the day as 05.11.2026.
_DATE_FORMAT = {"pl": "dd.MM.yyyy", "de": "dd.MM.yyyy"}


class Languages:
    """The document's language (``pl``, ``de`` or ``pl+de``) and how it writes things,
    and the people it names so far (filled in as the builders print them)."""

    def __init__(self, language: str) -> None:
        self.code = language
        self.primary = "de" if language == "de" else "pl"
        # Ids of the contact persons and event participants printed: an erasure of any of
        # them must delete the document, wherever it travelled.
        self.persons: set[str] = set()

    def text(self, message: str, language: str) -> str:
        return catalog(language).gettext(message)

    def translated(self, name: str, make) -> dict[str, str]:
        """``name`` in the document's language plus ``name_pl`` and ``name_de``."""
        pl, de = make("pl"), make("de")
        return {name: pl if self.primary == "pl" else de, f"{name}_pl": pl, f"{name}_de": de}

    def label(self, name: str, choice: type[enums.Choice], value: str | None) -> dict[str, str]:
        member = _member(choice, value)
        return self.translated(name, lambda lang: self.text(member.label, lang) if member
                               else (value or ""))

    def labels(self, name: str, choice: type[enums.Choice], values: Iterable[str] | None
               ) -> dict[str, str]:
        members = [_member(choice, v) or v for v in values or ()]
        return self.translated(name, lambda lang: ", ".join(
            self.text(m.label, lang) if isinstance(m, enums.Choice) else str(m) for m in members))

    def vocabulary(self, name: str, choice: type[enums.Choice], values: Iterable[str]
                   ) -> dict[str, str]:
        """Values of a translated list (sectors, regions) in each language, joined; a value
        stored as its code, or as a label in any language (typed before the lists), prints
        its label; any other value prints as stored."""
        members = [_member(choice, to_code(choice, value)) or value for value in values if value]
        return self.labels(name, choice, members)

    def yes_no(self, name: str, value: bool | None) -> dict[str, str]:
        return self.translated(name, lambda lang: "" if value is None
                               else self.text(YES if value else NO, lang))

    def pair(self, name: str, pl: str | None, de: str | None, *, fallback: bool) -> dict[str, str]:
        """A text kept in both languages; names and titles fall back on the other side."""
        pl_text, de_text = pl or "", de or ""
        if fallback:
            pl_text, de_text = pl_text or de_text, de_text or pl_text
        return {name: pl_text if self.primary == "pl" else de_text,
                f"{name}_pl": pl_text, f"{name}_de": de_text}

    def bilingual(self, name: str, pl: str | None, de: str | None) -> dict[str, str]:
        """Free text both nations read: ``name`` in the document's language or, where that
        side is missing, the other side marked with its language (documents.marks);
        ``name_pl`` and ``name_de`` as entered, for the side-by-side documents."""
        own, other = (pl, de) if self.primary == "pl" else (de, pl)
        other_code = "de" if self.primary == "pl" else "pl"
        text = own or (in_language(other, other_code) if other else "")
        return {name: text, f"{name}_pl": pl or "", f"{name}_de": de or ""}

    def date(self, value: dt.date | None) -> str:
        return format_date(value, language=self.primary, fmt=_DATE_FORMAT[self.primary])

    def money(self, name: str, amount: Decimal | None, currency: str | None) -> dict[str, str]:
        return self.translated(name, lambda lang: "" if amount is None
                               else format_money(amount, currency or "EUR", language=lang))

    def number(self, value: float | int | None, digits: int = 1) -> str:
        if value is None:
            return ""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return babel_numbers.format_decimal(value, format=pattern,
                                            locale=babel_locale(self.primary))


def _member(choice: type[enums.Choice], value: str | None) -> enums.Choice | None:
    try:
        return choice(value) if value else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _rows(session: Session, model, *conditions) -> list[Row]:
    table = model.__table__
    return list(session.execute(
        select(table).where(table.c.deleted.is_(False), *conditions)).mappings())


def _one(session: Session, model, record_id: str | None) -> Row | None:
    if not record_id:
        return None
    rows = _rows(session, model, model.__table__.c.id == record_id)
    return rows[0] if rows else None


def _required(session: Session, model, record_id: str, what: str) -> Row:
    row = _one(session, model, record_id)
    if row is None:
        raise NotFoundError(_("There is no {entity} with the id “{id}”.").format(
            entity=_(what), id=record_id))
    return row


def _by_id(session: Session, model, ids: Iterable[str | None]) -> dict[str, Row]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    table = model.__table__
    found: dict[str, Row] = {}
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        part = chunk[start:start + 500]
        for row in session.execute(select(table).where(
                table.c.deleted.is_(False), table.c.id.in_(part))).mappings():
            found[row["id"]] = row
    return found


def _person_name(row: Row | None) -> str:
    if row is None:
        return ""
    return " ".join(p for p in (row["title"], row["first_name"], row["last_name"]) if p)


# --- Parts shared by the kinds --------------------------------------------------------


def _common(session: Session, lang: Languages) -> dict[str, Any]:
    state = session.execute(select(LocalState)).scalar_one_or_none()
    office_row = advisor = None
    if state is not None:
        office_id = session.execute(select(Installation.office_id).where(
            Installation.id == state.installation_id)).scalar()
        office_row = _one(session, Office, office_id)
        advisor = _one(session, Advisor, state.advisor_id)
    office = {"code": _text(office_row and office_row["code"]),
              "city": _text(office_row and office_row["city"]),
              **lang.translated("name", lambda _l: _text(office_row and office_row["name"])),
              **lang.label("country", enums.Country, office_row and office_row["country"])}
    return {
        "programme": _programme(session, lang),
        "office": office,
        "document": {"date": lang.date(dt.date.today()), "language": lang.code,
                     "advisor": _text(advisor and advisor["name"])},
    }


PROJECT_WITH_NUMBER = N_("{project}, project no. {number}")


def _programme(session: Session, lang: Languages) -> dict[str, str]:
    """The programme's identity from its settings (services.programme), printed by every
    default template's header and footer. The logos are empty here: the images are added
    where the document is filled (services.documents), as they are files, not text."""
    row = _one(session, Programme, programme.PROGRAMME_ID) or {}

    def get(name: str) -> str | None:
        return row.get(name) or None

    names = lang.pair("project_name", get("project_name_pl"), get("project_name_de"),
                      fallback=True)
    number = _text(get("project_number"))

    def project(language: str) -> str:
        name = names[f"project_name_{language}"]
        if not number:
            return name
        if not name:
            return number
        return lang.text(PROJECT_WITH_NUMBER, language).format(project=name, number=number)

    return {
        **lang.pair("name", get("programme_name_pl"), get("programme_name_de"), fallback=True),
        **names, **lang.translated("project", project), "project_number": number,
        **lang.pair("cofinancing", get("cofinancing_pl"), get("cofinancing_de"), fallback=True),
        **lang.pair("slogan", get("slogan_pl"), get("slogan_de"), fallback=True),
        **lang.label("period", enums.ProgrammePeriod, get("period")),
        "period_start": lang.date(get("period_start")),
        "period_end": lang.date(get("period_end")),
        "eu_emblem": "", "programme_logo": "",
    }


def _organisation(lang: Languages, row: Row | None, role: str | None = None) -> dict[str, str]:
    if row is None:
        row = {}
    place = " ".join(p for p in (row.get("postal_code"), row.get("city")) if p)
    return {
        **{name: _text(row.get(name)) for name in (
            "name", "street", "postal_code", "city", "nip", "regon", "krs", "vat_id",
            "register_number", "website", "email", "phone")},
        "sectors": ", ".join(row.get("sectors") or ()),
        "address": ", ".join(p for p in (row.get("street"), place) if p),
        **lang.label("country", enums.Country, row.get("country")),
        **lang.label("kind", enums.OrganisationKind, row.get("kind")),
        **lang.label("role", enums.MembershipRole, role),
    }


def _contact(row: Row, organisations: Mapping[str, Row]) -> dict[str, str]:
    organisation = organisations.get(row["organisation_id"] or "")
    return {"name": _person_name(row),
            **{name: _text(row[name]) for name in (
                "first_name", "last_name", "title", "function", "email", "phone", "mobile")},
            "organisation": _text(organisation and organisation["name"])}


def _clusters(session: Session, lang: Languages, rows: list[Row], *,
              published: bool = False) -> list[dict[str, Any]]:
    """Cluster profiles with their current members and contact persons, in bulk; for a
    publication (the directory) only the persons who consented to be listed in it."""
    ids = [row["id"] for row in rows]
    memberships: dict[str, list[Row]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for m in _rows(session, Membership, Membership.cluster_id.in_(ids[start:start + 500]),
                       Membership.left_on.is_(None)):
            memberships[m["cluster_id"]].append(m)
    every = [m for ms in memberships.values() for m in ms]
    organisations = _by_id(session, Organisation,
                           [m["organisation_id"] for m in every]
                           + [row["coordinator_id"] for row in rows])
    # The cluster's contact persons are the people who are members in their own right (a
    # booklet lists whom to call, not the staff of every member firm).
    people = _by_id(session, Contact, [m["contact_id"] for m in every])
    if published:
        people = {i: c for i, c in people.items()
                  if consent.allows(c, enums.ConsentScope.DIRECTORY)}
    lang.persons.update(people)
    contact_orgs = _by_id(session, Organisation,
                          [c["organisation_id"] for c in people.values()
                           if c["organisation_id"] not in organisations])
    all_orgs = {**organisations, **contact_orgs}

    result = []
    for number, row in enumerate(rows, start=1):
        ms = memberships.get(row["id"], [])
        members = sorted(
            (_organisation(lang, organisations.get(m["organisation_id"]), m["role"])
             for m in ms if m["organisation_id"] in organisations),
            key=lambda o: sort_key(o["name"]))
        contact_rows = {m["contact_id"]: people[m["contact_id"]]
                        for m in ms if m["contact_id"] in people}
        contacts = sorted((_contact(c, all_orgs) for c in contact_rows.values()),
                          key=lambda c: (sort_key(c["last_name"]), sort_key(c["first_name"])))
        coordinator = organisations.get(row["coordinator_id"] or "")
        cross_border = row["cross_border"]
        official, other = _official_name(lang, row)
        result.append({
            "number": str(number),
            "founded_on": _founded(lang, row["founded_on"]),
            "legal_form": _text(row["legal_form"]),
            "website": _text(row["website"]),
            "coordinator": _text(coordinator and coordinator["name"]),
            "member_count": str(len(members)),
            **lang.pair("name", row["name_pl"], row["name_de"], fallback=True),
            "official_name": official,
            "other_name": other,
            **lang.vocabulary("region", enums.Region, [row["region"]] if row["region"] else []),
            **lang.vocabulary("sectors", enums.Sector, row["sectors"] or ()),
            **lang.bilingual("description", row["description_pl"], row["description_de"]),
            **lang.label("kind", enums.ClusterKind, row["kind"]),
            **lang.label("stage", enums.ClusterStage, row["stage"]),
            **lang.label("country", enums.Country, row["country"]),
            **lang.labels("smart_specialisations", enums.SmartSpecialisation,
                          row["smart_specialisations"]),
            **lang.label("support_status", enums.SupportStatus, row["support_status"]),
            **lang.yes_no("cross_border", cross_border),
            "members": members,
            "contacts": contacts,
        })
    return result


def registered_name(lang: Languages, row: Row) -> str:
    """A cluster's name as registered with the other language's name in brackets."""
    official, other = _official_name(lang, row)
    return f"{official} ({other})" if other else official


def _official_name(lang: Languages, row: Row) -> tuple[str, str]:
    """A cluster's name as registered (the Polish name of a Polish cluster, the German one
    of a German cluster; for another country the document's language), and the other
    language's name where it has one that differs. Never a translation made up here."""
    pl, de = (row["name_pl"] or "").strip(), (row["name_de"] or "").strip()
    country = row["country"]
    first_pl = country == "PL" or (country != "DE" and lang.primary == "pl")
    official, other = (pl, de) if first_pl else (de, pl)
    if not official:
        official, other = other, ""
    return official, other if other and other.casefold() != official.casefold() else ""


def _founded(lang: Languages, day: dt.date | None) -> str:
    """The founding date; a 1 January stands for the year alone (registers and imports
    give the founding year, kept as 1 January of it), so it prints as "2008"."""
    if day is None:
        return ""
    if (day.month, day.day) == (1, 1):
        return str(day.year)
    return lang.date(day)


def _cluster(session: Session, lang: Languages, cluster_id: str | None) -> dict[str, Any]:
    row = _one(session, Cluster, cluster_id)
    if row is None:  # a consultation need not be about a cluster
        return _empty_cluster(lang)
    return _clusters(session, lang, [row])[0]


def _empty_cluster(lang: Languages) -> dict[str, Any]:
    from euregionet_desktop.documents.schema import CLUSTER
    return {name: ([] if isinstance(sub, list) else "") for name, sub in CLUSTER.items()}


# --- The kinds ------------------------------------------------------------------------


def action_plan(session: Session, lang: Languages, record_id: str) -> dict[str, Any]:
    plan = _required(session, ActionPlan, record_id, N_("Action plan"))
    cluster_row = _one(session, Cluster, plan["cluster_id"])
    cluster = _clusters(session, lang, [cluster_row])[0] if cluster_row else _empty_cluster(lang)
    coordinator_row = _one(session, Organisation, cluster_row and cluster_row["coordinator_id"])
    coordinator = _organisation(lang, coordinator_row, enums.MembershipRole.COORDINATOR.value)
    parties = ([coordinator] if coordinator_row else []) + [
        m for m in cluster["members"] if m["name"] != coordinator["name"]]
    for number, party in enumerate(parties, start=1):
        party = parties[number - 1] = dict(party)
        party["number"] = str(number)
        # Polish firms are known by their NIP, the others by their VAT number (USt-IdNr.).
        party["tax_id"] = party["nip"] or party["vat_id"]
    measures = sorted(_rows(session, Measure, Measure.action_plan_id == record_id),
                      key=lambda m: (m["position"] is None, m["position"] or 0,
                                     m["starts_on"] or dt.date.max, sort_key(m["title"])))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for m in measures:
        if m["cost"] is not None:
            totals[m["currency"] or "EUR"] += m["cost"]
    starts, ends = lang.date(plan["starts_on"]), lang.date(plan["ends_on"])
    return {
        "action_plan": {
            "signed_on": lang.date(plan["signed_on"]),
            "signatories": _text(plan["signatories"]),
            "starts_on": starts, "ends_on": ends,
            "duration": f"{starts} – {ends}" if starts and ends else starts or ends,
            # Who signs for the cluster: its coordinator (the cluster itself without one)
            # and the coordinator's person named in the memberships, where known.
            "cluster_party": coordinator["name"] or cluster["name"],
            "cluster_signatory": _management(session, lang, cluster_row, coordinator_row),
            **lang.bilingual("title", plan["title"], plan["title_de"]),
            **lang.label("status", enums.ActionPlanStatus, plan["status"]),
            **lang.bilingual("objectives", plan["objectives_pl"], plan["objectives_de"]),
            **lang.bilingual("baseline", plan["baseline_pl"], plan["baseline_de"]),
            **lang.translated("total_cost", lambda code: "; ".join(
                format_money(amount, currency, language=code)
                for currency, amount in sorted(totals.items()))),
        },
        "cluster": cluster,
        "coordinator": coordinator,
        "parties": parties,
        "measures": [{
            "number": str(number),
            **{name: _text(m[name]) for name in (
                "responsible", "partners", "currency", "funding_source", "indicator",
                "target")},
            **lang.bilingual("title", m["title"], m["title_de"]),
            **lang.bilingual("description", _beyond_title(m["description"], m["title"]),
                             _beyond_title(m["description_de"], m["title_de"])),
            "starts_on": lang.date(m["starts_on"]),
            "ends_on": lang.date(m["ends_on"]),
            **lang.money("cost", m["cost"], m["currency"]),
            **lang.label("status", enums.MeasureStatus, m["status"]),
        } for number, m in enumerate(measures, start=1)],
    }


def _beyond_title(description: str | None, title: str | None) -> str:
    """A measure's description without the title it repeats ("Mentoring – details in the
    annex." under the title "Mentoring" prints "details in the annex.")."""
    text = (description or "").strip()
    head = (title or "").strip()
    if head and text.casefold().startswith(head.casefold()):
        text = text[len(head):].lstrip(" –-—:.,;\n")
    return text[:1].upper() + text[1:] if text != (description or "").strip() else text


def _management(session: Session, lang: Languages, cluster: Row | None,
                coordinator: Row | None) -> str:
    """The person who signs for the cluster: the contact person of its coordinator's
    membership (or of the coordinator organisation), with the function."""
    if cluster is None:
        return ""
    memberships = _rows(session, Membership, Membership.cluster_id == cluster["id"],
                        Membership.left_on.is_(None), Membership.contact_id.is_not(None))
    people = _by_id(session, Contact, [m["contact_id"] for m in memberships])
    coordinator_id = coordinator["id"] if coordinator else None
    ranked = sorted(
        (p for p in people.values()),
        key=lambda p: (p["organisation_id"] != coordinator_id,
                       not any(m["contact_id"] == p["id"] and m["role"] == "coordinator"
                               for m in memberships),
                       sort_key(p["last_name"] or ""), p["id"]))
    if not ranked or (coordinator_id and ranked[0]["organisation_id"] != coordinator_id
                      and not any(m["role"] == "coordinator" and m["contact_id"] == ranked[0]["id"]
                                  for m in memberships)):
        return ""
    person = ranked[0]
    lang.persons.add(person["id"])
    return ", ".join(p for p in (_person_name(person), _text(person["function"])) if p)


def _day_and_time(lang: Languages, moment: str | None) -> tuple[str, str]:
    """The day as the document writes it and the time ("HH:MM") of a stored
    "YYYY-MM-DD HH:MM"; a day that does not parse is printed as stored."""
    moment = moment or ""
    try:
        day: dt.date | None = dt.date.fromisoformat(moment[:10])
    except ValueError:
        day = None
    return (lang.date(day) if day else moment[:10]), moment[11:16]


def consultation(session: Session, lang: Languages, record_id: str) -> dict[str, Any]:
    row = _required(session, Consultation, record_id, N_("Consultation"))
    date_text, time_text = _day_and_time(lang, row["held_at"])
    next_date, next_time = _day_and_time(lang, row["next_meeting_at"])
    advisors = _by_id(session, Advisor, [row["advisor_id"]])
    people = _by_id(session, Contact, row["contact_ids"] or ())
    lang.persons.update(people)
    organisations = _by_id(session, Organisation, [row["organisation_id"]] + [
        p["organisation_id"] for p in people.values()])
    tasks = sorted(_rows(session, Task, Task.consultation_id == record_id),
                   key=lambda t: (t["due_on"] or dt.date.max, sort_key(t["title"])))
    assignees = _by_id(session, Advisor, [t["assignee_id"] for t in tasks])
    advisor = advisors.get(row["advisor_id"] or "")
    # The office the protocol is prepared in: the consultation's, else the advisor's.
    office = _one(session, Office, row["office_id"] or (advisor and advisor["office_id"]))
    advisor_name, office_name = _text(advisor and advisor["name"]), _text(office and office["name"])
    cluster = _cluster(session, lang, row["cluster_id"])
    organisation = _organisation(lang, organisations.get(row["organisation_id"] or ""))
    # Who signs for the other side: the cluster, or the organisation when there is none.
    # Who signs: the cluster's name as registered, else the organisation's.
    counterpart_pl = counterpart_de = cluster["official_name"] or organisation["name"]
    return {
        "consultation": {
            "held_at": f"{date_text} {time_text}".strip(),
            "date": date_text,
            "time": time_text,
            "duration_minutes": _text(row["duration_minutes"]),
            "place": _text(row["place"]),
            "advisor": advisor_name,
            "advisor_office": office_name,
            "prepared_by": ", ".join(p for p in (advisor_name, office_name) if p),
            "next_meeting": ", ".join(p for p in (next_date, next_time) if p),
            "next_meeting_date": next_date,
            "next_meeting_time": next_time,
            **lang.bilingual("subject", row["subject"], row["subject_de"]),
            **lang.bilingual("summary", row["summary"], row["summary_de"]),
            **lang.bilingual("outcomes", row["outcomes"], row["outcomes_de"]),
            **lang.pair("counterpart", counterpart_pl, counterpart_de, fallback=True),
            **lang.label("mode", enums.ConsultationMode, row["mode"]),
            **lang.labels("topics", enums.Topic, row["topics"]),
        },
        "cluster": cluster,
        "organisation": organisation,
        "participants": [_contact(people[i], organisations)
                         for i in row["contact_ids"] or () if i in people],
        "tasks": [{
            "number": str(number),
            "title": t["title"],
            "assignee": _text(assignees.get(t["assignee_id"] or "", {}).get("name")),
            "due_on": lang.date(t["due_on"]),
            "notes": _text(t["notes"]),
            **lang.yes_no("done", bool(t["done"])),
        } for number, t in enumerate(tasks, start=1)],
    }


def evaluation(session: Session, lang: Languages, record_id: str) -> dict[str, Any]:
    row = _required(session, Evaluation, record_id, N_("Evaluation"))
    scores = row["scores"] or {}
    evaluator = _one(session, Advisor, row["evaluator_id"])
    areas, overall, overall_count = [], 0, 0
    for area_number, area in enumerate(programme.EVALUATION_AREAS, start=1):
        questions, total, count = [], 0, 0
        for question_number, (code, text) in enumerate(area.questions, start=1):
            entry = scores.get(code) or {}
            score = entry.get("score")
            if score is not None:
                total, count = total + score, count + 1
            questions.append({"number": f"{area_number}.{question_number}", "code": code,
                              "score": _text(score),
                              "comment": _text(entry.get("comment")),
                              **lang.translated("text", lambda code, t=text: lang.text(t, code))})
        overall, overall_count = overall + total, overall_count + count
        areas.append({
            "number": str(area_number),
            "total": str(total), "max_total": str(len(area.questions) * programme.MAX_SCORE),
            "average": lang.number(total / count) if count else "",
            **lang.translated("name", lambda code, n=area.name: lang.text(n, code)),
            "questions": questions,
        })
    return {
        "evaluation": {
            "evaluated_on": lang.date(row["evaluated_on"]),
            "evaluator": _text(evaluator and evaluator["name"]),
            "questionnaire_version": _text(row["questionnaire_version"]),
            "strengths": _text(row["strengths"]),
            "total": str(overall),
            "max_total": str(len(programme.QUESTION_CODES) * programme.MAX_SCORE),
            "average": lang.number(overall / overall_count) if overall_count else "",
            **lang.bilingual("recommendations", row["recommendations_pl"],
                             row["recommendations_de"]),
        },
        "cluster": _cluster(session, lang, row["cluster_id"]),
        "areas": areas,
        # What each score means, lowest first (the questionnaire's scale, translated).
        "scale": [{"score": str(score),
                   **lang.translated("meaning", lambda code, m=meaning: lang.text(m, code))}
                  for score, meaning in programme.SCORE_SCALE],
    }


def _surname_key(person: Row | None, name: str) -> tuple[str, str]:
    """Surname, then first name, as the Polish/German sort keys order them; a walk-in's
    name typed as one text ("Anna Zawada") is read as first names then the surname."""
    if person is not None and person["last_name"]:
        return sort_key(person["last_name"]), sort_key(person["first_name"])
    *first, last = name.split() or [""]
    return sort_key(last), sort_key(" ".join(first))


def attendance(session: Session, lang: Languages, record_id: str) -> dict[str, Any]:
    event = _required(session, Event, record_id, N_("Event"))
    participants = _rows(session, Participant, Participant.event_id == record_id)
    people = _by_id(session, Contact, [p["contact_id"] for p in participants])
    lang.persons.update(people)
    lang.persons.update(p["id"] for p in participants)
    organisations = _by_id(session, Organisation,
                           [c["organisation_id"] for c in people.values()])
    cluster = _one(session, Cluster, event["cluster_id"])
    organiser = _one(session, Office, event["office_id"])
    keyed = []
    for p in participants:
        person = people.get(p["contact_id"] or "")
        organisation = organisations.get((person or {}).get("organisation_id") or "")
        name = _person_name(person) if person else _text(p["name"])
        # The person's own recorded consent decides where it does (refused, withdrawn,
        # given for photos); else what the participant said at registration.
        recorded = consent.photo_consent(person) if person else None
        keyed.append(((*_surname_key(person, name), sort_key(name), p["id"]), {
            "name": name,
            "first_name": _text(person and person["first_name"]),
            "last_name": _text(person and person["last_name"]),
            "organisation": _text(organisation["name"] if organisation
                                  else p["organisation_name"]),
            "function": _text(person and person["function"]),
            "email": _text(person and person["email"]),
            **lang.label("country", enums.Country, organisation and organisation["country"]),
            **lang.label("role", enums.ParticipantRole, p["role"]),
            **lang.yes_no("registered", p["registered"]),
            **lang.yes_no("attended", p["attended"]),
            **lang.yes_no("photo_consent",
                          p["photo_consent"] if recorded is None else recorded),
            "photo_consent_recorded": "" if recorded is None else "1",
        }))
    keyed.sort(key=lambda pair: pair[0])
    lines = [line for _key, line in keyed]
    for number, line in enumerate(lines, start=1):
        line["number"] = str(number)
    starts, ends = lang.date(event["starts_on"]), lang.date(event["ends_on"])
    dates = f"{starts} – {ends}" if ends and ends != starts else starts
    start_time, end_time = _text(event["start_time"]), _text(event["end_time"])
    times = f"{start_time}–{end_time}" if start_time and end_time else start_time
    return {
        "event": {
            "starts_on": starts, "ends_on": ends,
            "dates": dates,
            "start_time": start_time, "end_time": end_time, "times": times,
            "when": ", ".join(p for p in (dates, times) if p),
            "place": _text(event["place"]),
            "venue_address": _text(event["venue_address"]),
            # As registered in every language (a proper name), the other name in brackets.
            **dict.fromkeys(("cluster", "cluster_pl", "cluster_de"),
                            registered_name(lang, cluster) if cluster else ""),
            "organiser": _text(organiser and organiser["name"]),
            **lang.bilingual("title", event["title_pl"], event["title_de"]),
            **lang.label("kind", enums.EventKind, event["kind"]),
            **lang.pair("agenda", event["agenda_pl"], event["agenda_de"], fallback=False),
        },
        "participants": lines,
    }


def directory(session: Session, lang: Languages, record_id: str | None = None
              ) -> dict[str, Any]:
    """The cluster directory booklet: every cluster with its members and the contact
    persons who consented to publication in the directory (domain.consent)."""
    rows = _rows(session, Cluster)
    # Sorted by the name printed (as registered), with the document language's sort key.
    rows.sort(key=lambda r: (sort_key(_official_name(lang, r)[0]), r["id"]))
    clusters = _clusters(session, lang, rows, published=True)
    return {"clusters": clusters, "cluster_count": str(len(clusters))}


# --- Forming a new cluster: letter of intent, accession declaration, agreement ----------

# Register numbers as each country's registers name them (not translated: they are the
# registers' own names, printed so in a Polish and in a German document alike).
_REGISTERS: dict[str, tuple[tuple[str, str], ...]] = {
    "PL": (("NIP", "nip"), ("REGON", "regon"), ("KRS", "krs")),
    "DE": (("USt-IdNr.", "vat_id"), ("Handelsregister", "register_number")),
}
_OTHER_REGISTERS = (("VAT", "vat_id"), ("", "register_number"))

# The numbered paragraphs (§) of the letter of intent and of the agreement's rules.
SUBJECT = N_("Subject of the letter")
PURPOSE = N_("Purpose")
NEXT_STEPS = N_("Next steps")
GENERAL_PROVISIONS = N_("General provisions")
MEMBERS = N_("Members")
BODIES = N_("Bodies of the cluster")
RIGHTS = N_("Rights and obligations of the members")
TERM = N_("Duration")
FINAL_PROVISIONS = N_("Final provisions")

LOI_INTENT = N_("The parties declare their intention to form together the cluster "
                "“{cluster}” (hereinafter: the cluster) and to cooperate in it as its "
                "founding members.")
SEAT_OF_INITIATIVE = N_("The seat of the cluster initiative is {seat}.")
PURPOSE_GIVEN = N_("Purpose of the cluster: {purpose}")
PURPOSE_DEFAULT = N_("The purpose of the cluster is to develop the cooperation of its "
                     "members, in particular the Polish–German cross-border cooperation, in "
                     "research, innovation and the joint offer of their products and "
                     "services.")
LOI_MEANS = N_("To this end the parties intend to exchange knowledge and experience, to "
               "prepare joint projects and to set up the cluster's bodies in a cooperation "
               "agreement.")
LOI_AGREEMENT = N_("The parties will prepare a cooperation agreement with the cluster's "
                   "internal rules. Further organisations may join the cluster by signing an "
                   "accession declaration.")
LOI_COORDINATOR = N_("The initiative is coordinated by {coordinator}.")
LOI_NOT_BINDING = N_("This letter of intent creates no financial obligations for the parties "
                     "and does not bind them to conclude the agreement.")
BOTH_VERSIONS = N_("The Polish and the German version are equally binding.")

AGREEMENT_SUBJECT = N_("The parties conclude this agreement on cooperation in the cluster "
                       "“{cluster}” (hereinafter: the cluster). The cluster has no legal "
                       "personality; it is a partnership of its members based on this "
                       "agreement.")
AGREEMENT_FOLLOWS = N_("The agreement carries out the letter of intent of {date}.")
SEAT_OF_CLUSTER = N_("The seat of the cluster is {seat}.")
RULES_BIND = N_("This agreement, including the cluster's internal rules, binds all members, "
                "also those who join later.")
AGREEMENT_MEANS = N_("The members pursue the cluster's purpose in particular through joint "
                     "projects, the exchange of knowledge and experience, joint promotion and "
                     "cooperation with research institutions.")
MEMBERS_ARE = N_("The members of the cluster are the parties to this agreement named above.")
MEMBERS_JOIN = N_("Further organisations join the cluster by an accession declaration in "
                  "which they accept this agreement; the members' council decides on their "
                  "admission.")
MEMBERS_LEAVE = N_("A member may leave the cluster by a written notice to the coordinator; "
                   "the leaving takes effect at the end of the following month.")
BODIES_ARE = N_("The bodies of the cluster are the members' council, the leader and the "
                "coordinator.")
COUNCIL_NAMED = N_("The members' council is made up of: {council}.")
COUNCIL_DEFAULT = N_("The members' council is made up of one representative of each member.")
COUNCIL_DECIDES = N_("The members' council decides on the cluster's strategy, its action plan "
                     "and the admission of members, by a simple majority of the votes of "
                     "those present.")
LEADER_IS = N_("The leader of the cluster is {leader}; the leader represents the members in "
               "matters of the cluster's development and chairs the members' council.")
COORDINATOR_IS = N_("The coordinator of the cluster is {coordinator}; the coordinator runs "
                    "the cluster's office, organises the cooperation of the members, keeps "
                    "the list of members and represents the cluster towards third parties "
                    "within the powers given by the members' council.")
MEMBER_RIGHTS = N_("Each member has the right to take part in the cluster's activities, to "
                   "use its joint services and to vote in the members' council.")
MEMBER_DUTIES = N_("Each member undertakes to act for the cluster's purpose, to keep "
                   "confidential what it learns about other members in the cooperation and "
                   "to use the cluster's common brand according to its rules.")
TERM_INDEFINITE = N_("The agreement is concluded for an indefinite period from the day of "
                     "its signing.")
AMENDMENTS = N_("Amendments to this agreement require the written form and the approval of "
                "the members' council.")
DISPUTES = N_("The parties settle disputes amicably; failing that, the court competent for "
              "the coordinator's seat decides.")
INDEFINITE = N_("indefinite")

ACCESSION_JOINS = N_("Acting on behalf of {organisation}, I declare that it joins the cluster "
                     "“{cluster}” as a member.")
ACCESSION_JOINS_PERSON = N_("I declare that I join the cluster “{cluster}” as a member.")
ACCESSION_ACCEPTS = N_("The organisation accepts the provisions of {reference}, including the "
                       "cluster's internal rules, and undertakes to comply with them.")
REFERENCE_AGREEMENT = N_("the cooperation agreement of {date}")
REFERENCE_LETTER = N_("the letter of intent of {date}")
REFERENCE_NONE = N_("the cluster's cooperation agreement")
ACCESSION_LIST = N_("The organisation agrees that its name, address and register numbers "
                    "are entered in the cluster's list of members and passed on to the "
                    "programme's bodies.")
ACCESSION_AUTHORISED = N_("The person signing declares that they are authorised to "
                          "represent the organisation.")

# A text of a paragraph in one language: a message and its values, or the text itself.
Clause = Any


def registers(row: Mapping[str, Any]) -> str:
    """An organisation's register numbers, labelled as its country's registers name them:
    "NIP 5260001246, REGON 081234567, KRS 0000123456" or "USt-IdNr. DE…, Handelsregister …"."""
    labelled = _REGISTERS.get(row.get("country") or "", _OTHER_REGISTERS)
    # The label and its number never part at the end of a line.
    return ", ".join("\u00a0".join(p for p in (label, str(row.get(name)).strip()) if p)
                     for label, name in labelled if row.get(name))


def _signing_parties(session: Session, lang: Languages, cluster: Row,
                     first: Iterable[str | None] = ()) -> list[dict[str, str]]:
    """The organisations of the cluster's current memberships, each once, with its register
    numbers and who signs for it (the membership's contact person, with the function); the
    organisations in ``first`` (the coordinator, the leader) lead, the others by name."""
    memberships = _rows(session, Membership, Membership.cluster_id == cluster["id"],
                        Membership.left_on.is_(None))
    organisations = _by_id(session, Organisation, [m["organisation_id"] for m in memberships])
    people = _by_id(session, Contact, [m["contact_id"] for m in memberships])
    roles: dict[str, str] = {}
    signers: dict[str, Row] = {}
    for m in sorted(memberships, key=lambda m: m["id"]):
        org_id = m["organisation_id"] or (people.get(m["contact_id"] or "") or {}).get(
            "organisation_id")
        if org_id not in organisations:
            continue
        if m["organisation_id"]:
            roles.setdefault(org_id, m["role"])
        person = people.get(m["contact_id"] or "")
        if person is not None and org_id not in signers:
            signers[org_id] = person
    leading = [i for i in dict.fromkeys(first) if i in roles]
    order = leading + sorted((i for i in roles if i not in leading),
                             key=lambda i: (sort_key(organisations[i]["name"]), i))
    parties = []
    for number, org_id in enumerate(order, start=1):
        row = organisations[org_id]
        person = signers.get(org_id)
        if person is not None:
            lang.persons.add(person["id"])
        parties.append({
            **_organisation(lang, row, roles[org_id]),
            "number": str(number),
            "tax_id": _text(row["nip"] or row["vat_id"]),
            "registers": registers(row),
            "representative": ", ".join(p for p in (_person_name(person),
                                                    _text(person and person["function"])) if p),
        })
    return parties


def _steps(session: Session, initiative_id: str) -> dict[str, Row]:
    """The initiative's steps by kind (the latest if one was entered twice)."""
    steps: dict[str, Row] = {}
    for step in sorted(_rows(session, FormationStep, FormationStep.initiative_id == initiative_id),
                       key=lambda s: (s["done_on"] or dt.date.min, s["id"])):
        steps[step["step"]] = step
    return steps


def _step_date(steps: Mapping[str, Row], step: enums.FormationStepKind) -> dt.date | None:
    row = steps.get(step.value)
    return row["done_on"] if row is not None else None


def _initiative(session: Session, lang: Languages, row: Row, cluster: Row | None,
                coordinator: Row | None) -> dict[str, Any]:
    steps = _steps(session, row["id"])
    today = dt.date.today()
    advisor = _one(session, Advisor, row["advisor_id"])
    office = _one(session, Office, row["office_id"])
    months = row["duration_months"]
    # Where it is signed: the initiative's seat, else the coordinator's city, else the office's.
    place = (row["seat"] or (coordinator and coordinator["city"]) or (office and office["city"])
             or "")
    return {
        "place": _text(place),
        "started_on": lang.date(row["started_on"]),
        "advisor": _text(advisor and advisor["name"]),
        "letter_date": lang.date(_step_date(steps, enums.FormationStepKind.LETTER_OF_INTENT)
                                 or today),
        "agreement_date": lang.date(_step_date(steps, enums.FormationStepKind.AGREEMENT)
                                    or today),
        "duration_months": _text(months),
        **lang.bilingual("purpose", row["purpose_pl"], row["purpose_de"]),
        **lang.translated("term", lambda code: catalog(code).ngettext(
            "{count} month", "{count} months", months).format(count=months) if months
            else lang.text(INDEFINITE, code)),
    }


def _say(code: str, clause: Clause) -> str:
    """One clause in a language: a message with its values (a value given per language as
    a function of the language), a message alone, or a text as it is."""
    if callable(clause):
        text = clause(code)
    elif isinstance(clause, tuple):
        message, values = clause
        text = catalog(code).gettext(message).format(**{
            name: value(code) if callable(value) else value for name, value in values.items()})
    else:
        text = catalog(code).gettext(clause)
    # A name ending in a full stop ("Sp. z o.o.") ends the sentence too: one stop, not two.
    return text[:-1] if text.endswith("..") and not text.endswith("...") else text


def _paragraphs(lang: Languages, sections: Iterable[tuple[str, list[Clause]]]
                ) -> list[dict[str, Any]]:
    """Numbered paragraphs as each language writes them ("§ 1. Postanowienia ogólne",
    "§ 1 Allgemeine Bestimmungen"), their clauses numbered when there are several."""
    result = []
    for number, (title, clauses) in enumerate(sections, start=1):
        result.append({
            "number": str(number),
            **lang.translated("title", lambda code, t=title: lang.text(t, code)),
            **lang.translated("heading", lambda code, t=title, n=number: (
                f"§ {n}. {lang.text(t, code)}" if code == "pl" else f"§ {n} {lang.text(t, code)}")),
            "clauses": _points(lang, clauses, numbered=len(clauses) > 1),
        })
    return result


def _points(lang: Languages, clauses: list[Clause], *, numbered: bool = True
            ) -> list[dict[str, str]]:
    return [{"number": str(index) if numbered else "",
             **lang.translated("content", lambda code, c=clause: _say(code, c))}
            for index, clause in enumerate(clauses, start=1)]


def _side(pl: str | None, de: str | None) -> Clause:
    """Free text kept in both languages, for one language's side: its own text, else the
    other side's marked with its language (documents.marks)."""
    def say(code: str) -> str:
        own, other, other_code = (pl, de, "de") if code == "pl" else (de, pl, "pl")
        return own or (in_language(other, other_code) if other else "")
    return say


def _purpose(row: Row) -> Clause:
    if not (row["purpose_pl"] or row["purpose_de"]):
        return PURPOSE_DEFAULT
    return (PURPOSE_GIVEN, {"purpose": _side(row["purpose_pl"], row["purpose_de"])})


def _copies(lang: Languages, count: int) -> list[Clause]:
    """How many copies are signed, and in a side-by-side document that both languages
    bind equally; no count while the cluster has no members yet."""
    if not count:
        return [BOTH_VERSIONS] if lang.code == "pl+de" else []
    clauses: list[Clause] = [lambda code: catalog(code).ngettext(
        "Drawn up in {count} copy.", "Drawn up in {count} identical copies, one for each party.",
        count).format(count=count)]
    if lang.code == "pl+de":
        clauses.append(BOTH_VERSIONS)
    return clauses


def _forming(session: Session, lang: Languages, record_id: str
             ) -> tuple[Row, Row | None, Row | None, dict[str, Any], dict[str, str]]:
    """An initiative's record, its cluster and coordinator rows, and the cluster and the
    coordinator as documents print them."""
    row = _required(session, Initiative, record_id, N_("Cluster initiative"))
    cluster_row = _one(session, Cluster, row["cluster_id"])
    cluster = _clusters(session, lang, [cluster_row])[0] if cluster_row else _empty_cluster(lang)
    coordinator_row = _one(session, Organisation, cluster_row and cluster_row["coordinator_id"])
    coordinator = {**_organisation(lang, coordinator_row, enums.MembershipRole.COORDINATOR.value),
                   "registers": registers(coordinator_row or {})}
    return row, cluster_row, coordinator_row, cluster, coordinator


def letter_of_intent(session: Session, lang: Languages, record_id: str) -> dict[str, Any]:
    row, cluster_row, coordinator_row, cluster, coordinator = _forming(session, lang, record_id)
    name = cluster["official_name"]
    parties = _signing_parties(session, lang, cluster_row, [cluster_row["coordinator_id"]]) \
        if cluster_row else []
    subject: list[Clause] = [(LOI_INTENT, {"cluster": name})]
    if row["seat"]:
        subject.append((SEAT_OF_INITIATIVE, {"seat": row["seat"]}))
    steps: list[Clause] = [LOI_AGREEMENT]
    if coordinator_row is not None:
        steps.append((LOI_COORDINATOR, {"coordinator": coordinator_row["name"]}))
    return {
        "initiative": _initiative(session, lang, row, cluster_row, coordinator_row),
        "cluster": cluster, "coordinator": coordinator, "parties": parties,
        "paragraphs": _paragraphs(lang, [
            (SUBJECT, subject),
            (PURPOSE, [_purpose(row), LOI_MEANS]),
            (NEXT_STEPS, steps),
            (FINAL_PROVISIONS, [LOI_NOT_BINDING, *_copies(lang, len(parties))]),
        ]),
    }


def cooperation_agreement(session: Session, lang: Languages, record_id: str
                          ) -> dict[str, Any]:
    row, cluster_row, coordinator_row, cluster, coordinator = _forming(session, lang, record_id)
    name = cluster["official_name"]
    leader_row = _one(session, Organisation, row["leader_id"])
    parties = _signing_parties(session, lang, cluster_row, [
        cluster_row["coordinator_id"], row["leader_id"]]) if cluster_row else []
    people = _by_id(session, Contact, row["council_ids"] or ())
    lang.persons.update(people)
    organisations = _by_id(session, Organisation, [p["organisation_id"] for p in people.values()])
    council = [_contact(people[i], organisations) for i in row["council_ids"] or ()
               if i in people]
    initiative = _initiative(session, lang, row, cluster_row, coordinator_row)
    letter_on = _step_date(_steps(session, row["id"]), enums.FormationStepKind.LETTER_OF_INTENT)

    general: list[Clause] = [(AGREEMENT_SUBJECT, {"cluster": name})]
    if letter_on is not None:
        general.append((AGREEMENT_FOLLOWS, {"date": lang.date(letter_on)}))
    if row["seat"]:
        general.append((SEAT_OF_CLUSTER, {"seat": row["seat"]}))
    general.append(RULES_BIND)
    bodies: list[Clause] = [BODIES_ARE]
    if council:
        bodies.append((COUNCIL_NAMED, {"council": "; ".join(
            f"{c['name']} ({c['organisation']})" if c["organisation"] else c["name"]
            for c in council)}))
    else:
        bodies.append(COUNCIL_DEFAULT)
    bodies.append(COUNCIL_DECIDES)
    if leader_row is not None:
        bodies.append((LEADER_IS, {"leader": leader_row["name"]}))
    if coordinator_row is not None:
        bodies.append((COORDINATOR_IS, {"coordinator": coordinator_row["name"]}))
    months = row["duration_months"]
    term: Clause = (lambda code: catalog(code).ngettext(
        "The agreement is concluded for {count} month from the day of its signing.",
        "The agreement is concluded for {count} months from the day of its signing.",
        months).format(count=months)) if months else TERM_INDEFINITE
    return {
        "initiative": initiative,
        "cluster": cluster, "coordinator": coordinator,
        "leader": {**_organisation(lang, leader_row), "registers": registers(leader_row or {})},
        "council": council, "parties": parties,
        "paragraphs": _paragraphs(lang, [
            (GENERAL_PROVISIONS, general),
            (PURPOSE, [_purpose(row), AGREEMENT_MEANS]),
            (MEMBERS, [MEMBERS_ARE, MEMBERS_JOIN, MEMBERS_LEAVE]),
            (BODIES, bodies),
            (RIGHTS, [MEMBER_RIGHTS, MEMBER_DUTIES]),
            (TERM, [term]),
            (FINAL_PROVISIONS, [AMENDMENTS, DISPUTES, *_copies(lang, len(parties))]),
        ]),
    }


def accession_declaration(session: Session, lang: Languages, record_id: str
                          ) -> dict[str, Any]:
    membership = _required(session, Membership, record_id, N_("Membership"))
    cluster_row = _one(session, Cluster, membership["cluster_id"])
    cluster = _clusters(session, lang, [cluster_row])[0] if cluster_row else _empty_cluster(lang)
    coordinator_row = _one(session, Organisation, cluster_row and cluster_row["coordinator_id"])
    person = _one(session, Contact, membership["contact_id"])
    organisation_row = _one(session, Organisation, membership["organisation_id"] or (
        person and person["organisation_id"]))
    if person is not None:
        lang.persons.add(person["id"])
    # The initiative that forms the cluster, if there is one: its steps give the dates.
    initiatives = sorted(_rows(session, Initiative, Initiative.cluster_id == membership["cluster_id"]),
                         key=lambda r: (r["started_on"] or dt.date.min, r["id"]))
    initiative_row = initiatives[-1] if initiatives else None
    steps = _steps(session, initiative_row["id"]) if initiative_row else {}
    agreement_on = _step_date(steps, enums.FormationStepKind.AGREEMENT)
    letter_on = _step_date(steps, enums.FormationStepKind.LETTER_OF_INTENT)
    if agreement_on is not None:
        reference: Clause = (REFERENCE_AGREEMENT, {"date": lang.date(agreement_on)})
    elif letter_on is not None:
        reference = (REFERENCE_LETTER, {"date": lang.date(letter_on)})
    else:
        reference = REFERENCE_NONE
    name = cluster["official_name"]
    organisation_name = _text(organisation_row and organisation_row["name"])
    organisations = _by_id(session, Organisation, [person and person["organisation_id"]])
    return {
        "membership": {
            "signed_on": lang.date(membership["declaration_signed_on"]),
            "date": lang.date(membership["declaration_signed_on"] or dt.date.today()),
            "place": _text((organisation_row and organisation_row["city"])
                           or (initiative_row and initiative_row["seat"])),
            **lang.translated("reference", lambda code: _say(code, reference)),
        },
        "cluster": cluster,
        "coordinator": {**_organisation(lang, coordinator_row,
                                        enums.MembershipRole.COORDINATOR.value),
                        "registers": registers(coordinator_row or {})},
        "organisation": {
            **_organisation(lang, organisation_row, membership["role"]),
            "number": "1",
            "tax_id": _text(organisation_row and (organisation_row["nip"]
                                                  or organisation_row["vat_id"])),
            "registers": registers(organisation_row or {}),
            "representative": ", ".join(p for p in (_person_name(person),
                                                    _text(person and person["function"])) if p),
        },
        "representative": (_contact(person, organisations) if person is not None
                           else _empty_contact()),
        "initiative": (_initiative(session, lang, initiative_row, cluster_row, coordinator_row)
                       if initiative_row else _empty_initiative()),
        "points": _points(lang, [
            # A person who joins in their own right signs for no organisation.
            (ACCESSION_JOINS, {"organisation": organisation_name, "cluster": name})
            if organisation_name else (ACCESSION_JOINS_PERSON, {"cluster": name}),
            (ACCESSION_ACCEPTS, {"reference": lambda code: _say(code, reference)}),
            ACCESSION_LIST, ACCESSION_AUTHORISED]),
    }


def _empty_initiative() -> dict[str, str]:
    from euregionet_desktop.documents.schema import INITIATIVE
    return dict.fromkeys(INITIATIVE, "")


def _empty_contact() -> dict[str, str]:
    from euregionet_desktop.documents.schema import CONTACT
    return dict.fromkeys(CONTACT, "")


BUILDERS = {
    "action-plan": action_plan,
    "consultation": consultation,
    "evaluation": evaluation,
    "attendance": attendance,
    "directory": directory,
    "letter-of-intent": letter_of_intent,
    "accession-declaration": accession_declaration,
    "cooperation-agreement": cooperation_agreement,
}


@dataclass(frozen=True)
class DocumentContext:
    values: dict[str, Any]  # what the template is filled with
    person_ids: tuple[str, ...]  # the contacts and participants it names, sorted


def document_context(session: Session, *, kind: str, record_id: str | None,
                     language: str) -> DocumentContext:
    """What a document of ``kind`` about ``record_id`` is filled with, and whom it names."""
    lang = Languages(language)
    values = {**_common(session, lang), **BUILDERS[kind](session, lang, record_id)}
    return DocumentContext(values, tuple(sorted(lang.persons)))


def build_context(session: Session, *, kind: str, record_id: str | None,
                  language: str) -> dict[str, Any]:
    """Everything a document of ``kind`` about ``record_id`` is filled with."""
    return document_context(session, kind=kind, record_id=record_id,
                            language=language).values
