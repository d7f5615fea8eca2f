"""Demo programme work: consultations, tasks, evaluations, action plans and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import (
    ConsultationMode,
    Currency,
    EventKind,
    ParticipantRole,
)
from euregionet_desktop.services.demo.clusters import OrgInfo
from euregionet_desktop.services.demo.identifiers import (
    date_between,
    money,
    new_id,
    workday_between,
)
from euregionet_desktop.services.demo.initiatives import InitiativeSteps
from euregionet_desktop.services.demo.vocabulary import (
    ADVISORS,
    BASELINES,
    DE_AGENDA,
    DE_MEASURES,
    DE_OUTCOMES,
    DE_SCORE_COMMENTS,
    DE_SUBJECTS,
    DE_SUMMARIES,
    DE_TASKS,
    EXTRA_EVENTS,
    FUNDING,
    MEASURE_DESCRIPTIONS,
    MEASURE_INDICATORS,
    MEASURE_STATES,
    PERIOD_END,
    PERIOD_START,
    PL_AGENDA,
    PL_MEASURES,
    PL_OFFICES,
    PL_OUTCOMES,
    PL_SCORE_COMMENTS,
    PL_SUBJECTS,
    PL_SUMMARIES,
    PL_TASKS,
    PROGRAMME_EVENTS,
    RESEARCH_PARTNERS,
    TRANSLATIONS,
    VENUES,
    EventPlan,
)

D = dt.date


class Demo(InitiativeSteps):
    """A whole demo run: the last step, programme work, and the order everything is written in."""

    def run(self) -> set[str]:
        self.insert("advisor", self.advisor_rows(), 8)
        self.plan_clusters()
        self.plan_organisations()
        self.plan_memberships()
        self.insert("organisation", self.organisation_rows(), len(self.organisations))
        self.plan_programme_work()
        self.insert("cluster", self.cluster_rows(), len(self.clusters))
        self.insert("contact", self.contact_rows(), self.size.contacts)
        self.plan_declarations()
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
        initiatives, steps = self.initiative_rows()
        self.insert("initiative", initiatives, len(initiatives))
        self.insert("formation_step", steps, len(steps))
        return {"advisor", "cluster", "organisation", "membership", "contact", "consultation",
                "task", "evaluation", "action_plan", "measure", "event", "participant",
                "initiative", "formation_step"}

    # --- consultations and tasks ---

    def consultation_rows(self) -> list[dict[str, Any]]:
        rng = self.rng
        rows = []
        orgs_by_cluster: dict[str, list[OrgInfo]] = {}
        for org in self.organisations:
            orgs_by_cluster.setdefault(org.cluster.id, []).append(org)
        for _n in range(self.size.consultations):
            cluster = rng.choice(self.clusters)
            org = rng.choice(orgs_by_cluster.get(cluster.id) or self.organisations)
            office = cluster.office
            polish = office in PL_OFFICES
            day = workday_between(rng, PERIOD_START, PERIOD_END)
            mode = rng.choice(list(ConsultationMode))
            subject, topics = rng.choice(PL_SUBJECTS if polish else DE_SUBJECTS)
            summary = rng.choice(PL_SUMMARIES if polish else DE_SUMMARIES)
            people = self.contacts_by_org.get(org.id, [])
            place = {"online": "online", "phone": None}.get(
                mode.value, org.city.name if mode == ConsultationMode.SITE_VISIT
                else _office_city(office))
            outcomes = (rng.choice(PL_OUTCOMES if polish else DE_OUTCOMES)
                        if rng.random() < 0.5 else None)
            words = {"org": org.name, "city": org.city.name}
            own = {"subject": subject, "summary": summary.format(
                cluster=cluster.name_pl if polish else cluster.name_de, **words),
                "outcomes": outcomes}
            # Most are translated by the office; a few wait for it (the "needs translation"
            # list has work in it).
            other = {} if rng.random() < 0.15 else {
                "subject": TRANSLATIONS[subject], "summary": TRANSLATIONS[summary].format(
                    cluster=cluster.name_de if polish else cluster.name_pl, **words),
                "outcomes": TRANSLATIONS[outcomes] if outcomes else None}
            text = _sides(own, other, polish, ("subject", "summary", "outcomes"))
            held = f"{day.isoformat()} {rng.randint(8, 16):02d}:{rng.choice((0, 30)):02d}"
            follow_up = day + dt.timedelta(days=rng.randint(14, 60))
            rows.append({
                "id": new_id(),
                "held_at": held,
                "next_meeting_at": f"{follow_up.isoformat()} {rng.choice((9, 10, 13)):02d}:00"
                if rng.random() < 0.35 else None, **text,
                "duration_minutes": rng.choice((30, 45, 60, 90, 120, 180)),
                "mode": mode.value, "place": place,
                "advisor_id": rng.choice(self.advisors[office]),
                "office_id": self.office_ids[office],
                "cluster_id": cluster.id if rng.random() < 0.85 else None,
                "organisation_id": org.id if rng.random() < 0.7 else None,
                "contact_ids": rng.sample(people, min(len(people), rng.randint(1, 3))) or None,
                "topics": [t.value for t in topics],
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
                elif state < 0.75:  # overdue by days or weeks, as a busy advisor's are
                    due = self.today - dt.timedelta(days=rng.randint(1, 45))
                    done = False
                else:  # upcoming
                    due = self.today + dt.timedelta(days=rng.randint(1, 60))
                    done = False
                contacts = consultation["contact_ids"] or [None]
                rows.append({
                    "id": new_id(),
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
            day = workday_between(rng, earliest, max(earliest, D(2019, 12, 20)))
            polish = c.office in PL_OFFICES
            comments = PL_SCORE_COMMENTS if polish else DE_SCORE_COMMENTS
            scores = {}
            for code in programme.QUESTION_CODES:
                score = rng.choices(range(programme.MAX_SCORE + 1), weights=(1, 3, 5, 4, 2))[0]
                scores[code] = {"score": score, "comment": comments[score]}
            yield {
                "id": new_id(), "cluster_id": c.id, "evaluated_on": day,
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
            polish = c.office in PL_OFFICES  # the owning office's language
            signed = c.plan_status in ("signed", "in_progress", "completed")
            plan_id = new_id()
            # Every fourth plan is in its office's language only, waiting for translation.
            both = len(plans) % 4 != 3
            members = rng.randint(12, 45)
            signed_on = workday_between(rng, D(2018, 9, 1), D(2020, 6, 30)) if signed else None
            starts_on = signed_on or D(2019, 1, 1)
            plans.append({
                "id": plan_id, "cluster_id": c.id, "status": c.plan_status,
                "title": f"Plan działań – {c.name_pl}" if both or polish else None,
                "title_de": f"Aktionsplan – {c.name_de}" if both or not polish else None,
                "starts_on": starts_on,
                "ends_on": min(starts_on + dt.timedelta(days=730), D(2021, 6, 30)),
                "baseline_pl": BASELINES[0].format(members=members) if both or polish else None,
                "baseline_de": BASELINES[1].format(members=members) if both or not polish
                else None,
                "office_id": self.office_ids[c.office],
                "signed_on": signed_on,
                "signatories": ("Koordynator klastra; " if polish else "Clustermanagement; ")
                + programme.OFFICES[[o.code for o in programme.OFFICES].index(c.office)].name
                if signed else None,
                "objectives_pl": "Wzmocnienie usług dla członków, wspólne projekty z partnerami "
                                 "zza granicy i rozpoznawalność klastra."
                if both or polish else None,
                "objectives_de": "Ausbau der Mitgliederservices, gemeinsame Projekte mit "
                                 "Partnern aus dem Nachbarland und Sichtbarkeit des Clusters."
                if both or not polish else None,
            })
            own_measures = PL_MEASURES if polish else DE_MEASURES
            picked = rng.sample(range(len(own_measures)), rng.randint(3, 6))
            measure_states = MEASURE_STATES[c.plan_status]
            first_day = plans[-1]["signed_on"] or D(2019, 1, 1)
            for position, index in enumerate(picked, start=1):
                starts = date_between(rng, first_day, max(first_day, D(2020, 6, 30)))
                title = own_measures[index]
                polish_text = (title if polish else TRANSLATIONS[title],
                               MEASURE_DESCRIPTIONS[index][0])
                german_text = (TRANSLATIONS[title] if polish else title,
                               MEASURE_DESCRIPTIONS[index][1])
                indicator = rng.choice(MEASURE_INDICATORS)
                measures.append({
                    "id": new_id(), "action_plan_id": plan_id,
                    "title": polish_text[0] if both or polish else None,
                    "title_de": german_text[0] if both or not polish else None,
                    "description": polish_text[1] if both or polish else None,
                    "description_de": german_text[1] if both or not polish else None,
                    "responsible": "koordynator klastra" if polish else "Clustermanagement",
                    "partners": rng.choice(RESEARCH_PARTNERS)[0],
                    "starts_on": starts, "ends_on": starts + dt.timedelta(days=rng.randint(30, 300)),
                    "cost": money(rng, 4, 400),
                    "currency": (Currency.PLN if polish else Currency.EUR).value,
                    "funding_source": rng.choice(FUNDING),
                    "indicator": indicator[0] if polish else indicator[1],
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
            plans.append(EventPlan(kind, f"{title_pl} – {city.name}",
                                   f"{title_de} – {city.name}",
                                   workday_between(rng, PERIOD_START, PERIOD_END), 1,
                                   city.name, office))
        events: list[dict[str, Any]] = []
        participants: list[dict[str, Any]] = []
        for plan in plans:
            event_id = new_id()
            big = plan.kind in (EventKind.OPENING_CONFERENCE, EventKind.CLUSTER_CONGRESS,
                                EventKind.CLOSING_CONFERENCE)
            events.append({
                "id": event_id, "kind": plan.kind.value, "title_pl": plan.title_pl,
                "title_de": plan.title_de, "starts_on": plan.starts_on,
                "ends_on": plan.starts_on + dt.timedelta(days=plan.days - 1),
                "place": plan.place, "venue_address": VENUES.get(plan.place),
                "start_time": "10:00" if big else "09:30",
                "end_time": "16:30" if big else "14:00",
                "office_id": self.office_ids[plan.office],
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

    def participant_row(self, event_id: str, plan: EventPlan, **who: Any) -> dict[str, Any]:
        rng = self.rng
        registered = rng.random() < 0.92
        return {"id": new_id(), "event_id": event_id,
                "role": rng.choices(list(ParticipantRole), weights=(20, 2, 1, 2))[0].value,
                "registered": registered,
                "attended": rng.random() < (0.85 if registered else 0.4)
                if plan.starts_on <= self.today else None,
                "photo_consent": rng.random() < 0.6, **who}


def _sides(own: dict[str, Any], other: dict[str, Any], polish: bool,
           polish_fields: tuple[str, ...]) -> dict[str, Any]:
    """Texts written in the office's language (``own``) and their translation (``other``,
    may be empty) as the Polish fields and their German ``_de`` twins."""
    polish_side, german_side = (own, other) if polish else (other, own)
    values = {name: polish_side.get(name) for name in polish_fields}
    values.update({f"{name}_de": german_side.get(name) for name in polish_fields})
    return values


def _office_city(office: str) -> str:
    """Where a partner office sits (consultations "at the office")."""
    return next(o.city for o in programme.OFFICES if o.code == office)
