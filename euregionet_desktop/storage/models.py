"""SQLAlchemy models for every synced record, plus the change log and local state.

Each user-editable column carries its field description in ``info`` (kind, label,
required, choices, reference, search, sort) so that validation, the CLI's ``fields``,
forms, search and dump all read one definition. Columns marked ``derived`` (sort keys)
are computed from other fields and are never synced or dumped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from euregionet_desktop.domain import enums
from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.i18n import N_
from euregionet_desktop.storage.field_kinds import kind_of

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def field(
    kind: str,
    label: str,
    *,
    required: bool = False,
    choices: type[enums.Choice] | None = None,
    ref: str | None = None,
    max_length: int | None = None,
    search: bool = False,
    sort: bool = False,
    index: bool = False,
    default: Any = None,
) -> Any:
    """A user-editable, synced column with its field description."""
    kind = FieldKind(kind)
    if max_length is None:
        max_length = kind.default_max_length
    info = {
        "kind": kind,
        "label": label,
        "required": required,
        "choices": choices,
        "ref": ref,
        "max_length": max_length,
        "search": search,
        "sort": sort,
    }
    return mapped_column(
        kind_of(kind).column_type, nullable=not required or default is not None, info=info,
        index=index, default=default,
    )


def sort_key_column() -> Any:
    """A Polish/German sort key kept in step with its source field (indexed for lists,
    see ``LIST_INDEXES`` below)."""
    return mapped_column(Text, info={"derived": True})


class Record(Base):
    """A synced record: UUID key, creation time, and the merged ``deleted`` field."""

    __abstract__ = True
    entity: str  # CLI / change-log name, e.g. "action_plan"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[str] = mapped_column(String(32), info={"kind": "system"})
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, info={"kind": "system"})


class Office(Record):
    __tablename__ = "office"
    entity = "office"
    code: Mapped[str] = field("text", N_("Code"), required=True, max_length=10)
    name: Mapped[str] = field("text", N_("Name"), required=True, search=True, sort=True)
    city: Mapped[str | None] = field("text", N_("City"))
    country: Mapped[str] = field("enum", N_("Country"), required=True, choices=enums.Country)
    lead_partner: Mapped[bool | None] = field("bool", N_("Lead partner"))
    name_sort: Mapped[str | None] = sort_key_column()


class Installation(Record):
    __tablename__ = "installation"
    entity = "installation"
    office_id: Mapped[str] = field("ref", N_("Partner office"), required=True, ref="office")
    label: Mapped[str | None] = field("text", N_("Label"), max_length=100)


class Advisor(Record):
    __tablename__ = "advisor"
    entity = "advisor"
    name: Mapped[str] = field("text", N_("Full name"), required=True, search=True, sort=True)
    office_id: Mapped[str] = field("ref", N_("Partner office"), required=True, ref="office")
    email: Mapped[str | None] = field("email", N_("E-mail"))
    phone: Mapped[str | None] = field("phone", N_("Phone"))
    name_sort: Mapped[str | None] = sort_key_column()


class Cluster(Record):
    __tablename__ = "cluster"
    entity = "cluster"
    name_pl: Mapped[str] = field("text", N_("Name (Polish)"), required=True, search=True, sort=True)
    name_de: Mapped[str | None] = field("text", N_("Name (German)"), search=True, sort=True)
    kind: Mapped[str] = field("enum", N_("Kind"), required=True, choices=enums.ClusterKind,
                              default=enums.ClusterKind.CLUSTER.value)
    stage: Mapped[str | None] = field("enum", N_("Stage"), choices=enums.ClusterStage)
    cross_border: Mapped[bool | None] = field("bool", N_("Cross-border"))
    region: Mapped[str | None] = field("text", N_("Region"), search=True, sort=True)
    country: Mapped[str] = field("enum", N_("Country"), required=True, choices=enums.Country)
    sectors: Mapped[list | None] = field("list", N_("Sectors"), search=True)
    smart_specialisations: Mapped[list | None] = field(
        "enum_list", N_("Smart specialisations"), choices=enums.SmartSpecialisation)
    founded_on: Mapped[dt.date | None] = field("date", N_("Founded on"))
    legal_form: Mapped[str | None] = field("text", N_("Legal form"))
    website: Mapped[str | None] = field("url", N_("Website"))
    coordinator_id: Mapped[str | None] = field("ref", N_("Coordinator"), ref="organisation")
    description_pl: Mapped[str | None] = field("longtext", N_("Description (Polish)"), search=True)
    description_de: Mapped[str | None] = field("longtext", N_("Description (German)"), search=True)
    support_status: Mapped[str | None] = field("enum", N_("Support status"), choices=enums.SupportStatus)
    office_id: Mapped[str | None] = field("ref", N_("Partner office"), ref="office", index=True)
    name_pl_sort: Mapped[str | None] = sort_key_column()
    name_de_sort: Mapped[str | None] = sort_key_column()
    region_sort: Mapped[str | None] = sort_key_column()


class Organisation(Record):
    __tablename__ = "organisation"
    entity = "organisation"
    name: Mapped[str] = field("text", N_("Name"), required=True, search=True, sort=True)
    kind: Mapped[str | None] = field("enum", N_("Kind"), choices=enums.OrganisationKind)
    country: Mapped[str] = field("enum", N_("Country"), required=True, choices=enums.Country)
    street: Mapped[str | None] = field("text", N_("Street"))
    postal_code: Mapped[str | None] = field("postal_code", N_("Postal code"), max_length=10)
    city: Mapped[str | None] = field("text", N_("City"), search=True, sort=True)
    nip: Mapped[str | None] = field("nip", N_("NIP"))
    regon: Mapped[str | None] = field("regon", N_("REGON"))
    krs: Mapped[str | None] = field("krs", N_("KRS"))
    vat_id: Mapped[str | None] = field("vat_id", N_("VAT ID (USt-IdNr.)"))
    register_number: Mapped[str | None] = field("register", N_("Commercial register (Handelsregister)"))
    website: Mapped[str | None] = field("url", N_("Website"))
    email: Mapped[str | None] = field("email", N_("E-mail"))
    phone: Mapped[str | None] = field("phone", N_("Phone"))
    sectors: Mapped[list | None] = field("list", N_("Sectors"), search=True)
    notes: Mapped[str | None] = field("longtext", N_("Notes"))
    name_sort: Mapped[str | None] = sort_key_column()
    city_sort: Mapped[str | None] = sort_key_column()


class Membership(Record):
    __tablename__ = "membership"
    entity = "membership"
    cluster_id: Mapped[str] = field("ref", N_("Cluster"), required=True, ref="cluster", index=True)
    organisation_id: Mapped[str | None] = field("ref", N_("Organisation"), ref="organisation", index=True)
    contact_id: Mapped[str | None] = field("ref", N_("Contact person"), ref="contact", index=True)
    role: Mapped[str] = field("enum", N_("Role"), required=True, choices=enums.MembershipRole,
                              default=enums.MembershipRole.MEMBER.value)
    joined_on: Mapped[dt.date | None] = field("date", N_("Joined on"))
    left_on: Mapped[dt.date | None] = field("date", N_("Left on"))
    recruited_by_programme: Mapped[bool | None] = field("bool", N_("Recruited through the programme"))
    # Joined a forming cluster by signing an accession declaration (services.indicators).
    declaration_signed_on: Mapped[dt.date | None] = field(
        "date", N_("Accession declaration signed on"))


class Contact(Record):
    __tablename__ = "contact"
    entity = "contact"
    first_name: Mapped[str | None] = field("text", N_("First name"), search=True, sort=True)
    last_name: Mapped[str] = field("text", N_("Last name"), required=True, search=True, sort=True)
    title: Mapped[str | None] = field("text", N_("Title"))
    function: Mapped[str | None] = field("text", N_("Function"), search=True)
    organisation_id: Mapped[str | None] = field("ref", N_("Organisation"), ref="organisation", index=True)
    email: Mapped[str | None] = field("email", N_("E-mail"), search=True, sort=True)
    phone: Mapped[str | None] = field("phone", N_("Phone"))
    mobile: Mapped[str | None] = field("phone", N_("Mobile phone"))
    language: Mapped[str | None] = field("enum", N_("Preferred language"), choices=enums.Language)
    consent_status: Mapped[str | None] = field("enum", N_("Consent"), choices=enums.ConsentStatus)
    consent_on: Mapped[dt.date | None] = field("date", N_("Consent date"))
    # The consent as the GDPR needs it (services.consent); the two text fields before them
    # are free notes kept from before (migration 0014).
    consent_source: Mapped[str | None] = field("text", N_("Consent source (notes)"))
    consent_scope: Mapped[str | None] = field("text", N_("Consent scope (notes)"))
    consent_via: Mapped[str | None] = field("enum", N_("Consent source"),
                                            choices=enums.ConsentSource)
    consent_purposes: Mapped[list | None] = field("enum_list", N_("Consent scope"),
                                                  choices=enums.ConsentScope)
    consent_evidence_id: Mapped[str | None] = field("ref", N_("Consent evidence"),
                                                    ref="attachment")
    tags: Mapped[list | None] = field("list", N_("Tags"), search=True)
    notes: Mapped[str | None] = field("longtext", N_("Notes"))
    first_name_sort: Mapped[str | None] = sort_key_column()
    last_name_sort: Mapped[str | None] = sort_key_column()
    email_sort: Mapped[str | None] = sort_key_column()


class Consultation(Record):
    __tablename__ = "consultation"
    entity = "consultation"
    held_at: Mapped[str] = field("datetime", N_("Date and time"), required=True, index=True)
    duration_minutes: Mapped[int | None] = field("int", N_("Duration (minutes)"))
    mode: Mapped[str | None] = field("enum", N_("Mode"), choices=enums.ConsultationMode)
    place: Mapped[str | None] = field("text", N_("Place"), search=True)
    advisor_id: Mapped[str | None] = field("ref", N_("Advisor"), ref="advisor")
    office_id: Mapped[str | None] = field("ref", N_("Partner office"), ref="office", index=True)
    cluster_id: Mapped[str | None] = field("ref", N_("Cluster"), ref="cluster", index=True)
    organisation_id: Mapped[str | None] = field("ref", N_("Organisation"), ref="organisation", index=True)
    contact_ids: Mapped[list | None] = field("ref_list", N_("Participating contacts"), ref="contact")
    topics: Mapped[list | None] = field("enum_list", N_("Topics"), choices=enums.Topic)
    subject: Mapped[str | None] = field("text", N_("Subject (Polish)"), search=True, sort=True)
    subject_de: Mapped[str | None] = field("text", N_("Subject (German)"), search=True)
    summary: Mapped[str | None] = field("longtext", N_("Summary (Polish)"), search=True)
    summary_de: Mapped[str | None] = field("longtext", N_("Summary (German)"), search=True)
    outcomes: Mapped[str | None] = field("longtext", N_("Outcomes (Polish)"), search=True)
    outcomes_de: Mapped[str | None] = field("longtext", N_("Outcomes (German)"), search=True)
    next_meeting_at: Mapped[str | None] = field("datetime", N_("Next meeting"))
    subject_sort: Mapped[str | None] = sort_key_column()


class Task(Record):
    __tablename__ = "task"
    entity = "task"
    title: Mapped[str] = field("text", N_("Title"), required=True, sort=True)
    assignee_id: Mapped[str | None] = field("ref", N_("Assignee"), ref="advisor")
    due_on: Mapped[dt.date | None] = field("date", N_("Due date"), index=True)
    done: Mapped[bool | None] = field("bool", N_("Done"))
    consultation_id: Mapped[str | None] = field("ref", N_("Consultation"), ref="consultation", index=True)
    cluster_id: Mapped[str | None] = field("ref", N_("Cluster"), ref="cluster", index=True)
    organisation_id: Mapped[str | None] = field("ref", N_("Organisation"), ref="organisation")
    contact_id: Mapped[str | None] = field("ref", N_("Contact person"), ref="contact")
    notes: Mapped[str | None] = field("longtext", N_("Notes"))
    title_sort: Mapped[str | None] = sort_key_column()


class Evaluation(Record):
    __tablename__ = "evaluation"
    entity = "evaluation"
    cluster_id: Mapped[str] = field("ref", N_("Cluster"), required=True, ref="cluster", index=True)
    evaluated_on: Mapped[dt.date] = field("date", N_("Evaluation date"), required=True, index=True)
    evaluator_id: Mapped[str | None] = field("ref", N_("Evaluator"), ref="advisor")
    office_id: Mapped[str | None] = field("ref", N_("Partner office"), ref="office")
    questionnaire_version: Mapped[str | None] = field("text", N_("Questionnaire version"), max_length=40)
    scores: Mapped[dict | None] = field("scores", N_("Scores"))
    strengths: Mapped[str | None] = field("longtext", N_("Strengths"))
    recommendations_pl: Mapped[str | None] = field("longtext", N_("Recommendations (Polish)"))
    recommendations_de: Mapped[str | None] = field("longtext", N_("Recommendations (German)"))


class ActionPlan(Record):
    __tablename__ = "action_plan"
    entity = "action_plan"
    cluster_id: Mapped[str] = field("ref", N_("Cluster"), required=True, ref="cluster", index=True)
    # A title in either language is required (services.records.check_record).
    title: Mapped[str | None] = field("text", N_("Title (Polish)"), search=True, sort=True)
    title_de: Mapped[str | None] = field("text", N_("Title (German)"), search=True)
    status: Mapped[str] = field("enum", N_("Status"), required=True, choices=enums.ActionPlanStatus,
                                default=enums.ActionPlanStatus.DRAFT.value)
    office_id: Mapped[str | None] = field("ref", N_("Partner office"), ref="office")
    signed_on: Mapped[dt.date | None] = field("date", N_("Signed on"))
    signatories: Mapped[str | None] = field("longtext", N_("Signatories"))
    objectives_pl: Mapped[str | None] = field("longtext", N_("Objectives (Polish)"), search=True)
    objectives_de: Mapped[str | None] = field("longtext", N_("Objectives (German)"), search=True)
    starts_on: Mapped[dt.date | None] = field("date", N_("Start"))
    ends_on: Mapped[dt.date | None] = field("date", N_("End"))
    baseline_pl: Mapped[str | None] = field("longtext", N_("Baseline (Polish)"))
    baseline_de: Mapped[str | None] = field("longtext", N_("Baseline (German)"))
    title_sort: Mapped[str | None] = sort_key_column()


class Measure(Record):
    __tablename__ = "measure"
    entity = "measure"
    action_plan_id: Mapped[str] = field("ref", N_("Action plan"), required=True, ref="action_plan", index=True)
    title: Mapped[str | None] = field("text", N_("Title (Polish)"))  # or in German
    title_de: Mapped[str | None] = field("text", N_("Title (German)"))
    description: Mapped[str | None] = field("longtext", N_("Description (Polish)"))
    description_de: Mapped[str | None] = field("longtext", N_("Description (German)"))
    responsible: Mapped[str | None] = field("text", N_("Responsible"))
    partners: Mapped[str | None] = field("text", N_("Partners"))
    starts_on: Mapped[dt.date | None] = field("date", N_("Start"))
    ends_on: Mapped[dt.date | None] = field("date", N_("End"))
    cost: Mapped[Decimal | None] = field("money", N_("Cost"))
    currency: Mapped[str | None] = field("enum", N_("Currency"), choices=enums.Currency)
    funding_source: Mapped[str | None] = field("text", N_("Funding source"))
    indicator: Mapped[str | None] = field("text", N_("Indicator"))
    target: Mapped[str | None] = field("text", N_("Target value"))
    status: Mapped[str | None] = field("enum", N_("Status"), choices=enums.MeasureStatus)
    position: Mapped[int | None] = field("int", N_("Position"))


class Event(Record):
    __tablename__ = "event"
    entity = "event"
    kind: Mapped[str] = field("enum", N_("Type"), required=True, choices=enums.EventKind, index=True)
    title_pl: Mapped[str] = field("text", N_("Title (Polish)"), required=True, search=True, sort=True)
    title_de: Mapped[str | None] = field("text", N_("Title (German)"), search=True, sort=True)
    starts_on: Mapped[dt.date] = field("date", N_("Start date"), required=True, index=True)
    ends_on: Mapped[dt.date | None] = field("date", N_("End date"))
    start_time: Mapped[str | None] = field("time", N_("Start time"))
    end_time: Mapped[str | None] = field("time", N_("End time"))
    place: Mapped[str | None] = field("text", N_("Place"), search=True)
    venue_address: Mapped[str | None] = field("text", N_("Venue address"))
    office_id: Mapped[str | None] = field("ref", N_("Organising office"), ref="office")
    cluster_id: Mapped[str | None] = field("ref", N_("Cluster"), ref="cluster", index=True)
    agenda_pl: Mapped[str | None] = field("longtext", N_("Agenda (Polish)"))
    agenda_de: Mapped[str | None] = field("longtext", N_("Agenda (German)"))
    title_pl_sort: Mapped[str | None] = sort_key_column()
    title_de_sort: Mapped[str | None] = sort_key_column()


class Participant(Record):
    __tablename__ = "participant"
    entity = "participant"
    event_id: Mapped[str] = field("ref", N_("Event"), required=True, ref="event", index=True)
    contact_id: Mapped[str | None] = field("ref", N_("Contact person"), ref="contact", index=True)
    name: Mapped[str | None] = field("text", N_("Full name"))
    organisation_name: Mapped[str | None] = field("text", N_("Organisation"))
    role: Mapped[str | None] = field("enum", N_("Role"), choices=enums.ParticipantRole)
    registered: Mapped[bool | None] = field("bool", N_("Registered"))
    attended: Mapped[bool | None] = field("bool", N_("Attended"))
    photo_consent: Mapped[bool | None] = field("bool", N_("Photo consent"))


class Indicator(Record):
    __tablename__ = "indicator"
    entity = "indicator"
    code: Mapped[str] = field("text", N_("Code"), required=True, max_length=40)
    name_pl: Mapped[str] = field("text", N_("Name (Polish)"), required=True)
    name_de: Mapped[str] = field("text", N_("Name (German)"), required=True)
    name_en: Mapped[str] = field("text", N_("Name (English)"), required=True)
    target: Mapped[int] = field("int", N_("Target value"), required=True)
    period_start: Mapped[dt.date] = field("date", N_("Period start"), required=True)
    period_end: Mapped[dt.date] = field("date", N_("Period end"), required=True)
    position: Mapped[int | None] = field("int", N_("Position"))


class Initiative(Record):
    """A new cluster being formed through the programme: the cluster record it becomes
    (its ``stage`` follows the steps), the steps (``formation_step``), and what the
    letter of intent and the cooperation agreement say. Organisations join by accession
    declaration: memberships of the cluster with ``declaration_signed_on``."""

    __tablename__ = "initiative"
    entity = "initiative"
    cluster_id: Mapped[str] = field("ref", N_("Cluster"), required=True, ref="cluster", index=True)
    office_id: Mapped[str | None] = field("ref", N_("Partner office"), ref="office", index=True)
    advisor_id: Mapped[str | None] = field("ref", N_("Responsible advisor"), ref="advisor")
    started_on: Mapped[dt.date | None] = field("date", N_("Started on"))
    purpose_pl: Mapped[str | None] = field("longtext", N_("Purpose (Polish)"), search=True)
    purpose_de: Mapped[str | None] = field("longtext", N_("Purpose (German)"), search=True)
    leader_id: Mapped[str | None] = field("ref", N_("Leader"), ref="organisation")
    council_ids: Mapped[list | None] = field("ref_list", N_("Members' council"), ref="contact")
    seat: Mapped[str | None] = field("text", N_("Seat"))
    duration_months: Mapped[int | None] = field("int", N_("Duration (months)"))
    notes: Mapped[str | None] = field("longtext", N_("Notes"))


class FormationStep(Record):
    """One step of an initiative (enums.FormationStepKind): its status, when it was done,
    the advisor responsible; its documents are attachments linked to it."""

    __tablename__ = "formation_step"
    entity = "formation_step"
    initiative_id: Mapped[str] = field("ref", N_("Initiative"), required=True, ref="initiative",
                                       index=True)
    step: Mapped[str] = field("enum", N_("Step"), required=True, choices=enums.FormationStepKind)
    status: Mapped[str] = field("enum", N_("Status"), required=True, choices=enums.StepStatus,
                                default=enums.StepStatus.NOT_STARTED.value)
    done_on: Mapped[dt.date | None] = field("date", N_("Date"))
    advisor_id: Mapped[str | None] = field("ref", N_("Responsible advisor"), ref="advisor")
    notes: Mapped[str | None] = field("longtext", N_("Notes"))


class Programme(Record):
    """The programme's identity every document prints: one record, the same id at every
    installation (domain.programme.PROGRAMME_ID), so offices edit the same fields and the
    values travel like any shared data. Logos are attachments (kind ``logo``)."""

    __tablename__ = "programme"
    entity = "programme"
    period: Mapped[str | None] = field("enum", N_("Programming period"),
                                       choices=enums.ProgrammePeriod)
    programme_name_pl: Mapped[str | None] = field("text", N_("Programme name (Polish)"))
    programme_name_de: Mapped[str | None] = field("text", N_("Programme name (German)"))
    project_name_pl: Mapped[str | None] = field("text", N_("Project name (Polish)"))
    project_name_de: Mapped[str | None] = field("text", N_("Project name (German)"))
    project_number: Mapped[str | None] = field("text", N_("Project number"), max_length=80)
    cofinancing_pl: Mapped[str | None] = field("longtext", N_("Co-financing statement (Polish)"))
    cofinancing_de: Mapped[str | None] = field("longtext", N_("Co-financing statement (German)"))
    slogan_pl: Mapped[str | None] = field("text", N_("Slogan (Polish)"))
    slogan_de: Mapped[str | None] = field("text", N_("Slogan (German)"))
    eu_emblem_id: Mapped[str | None] = field("ref", N_("EU emblem"), ref="attachment")
    programme_logo_id: Mapped[str | None] = field("ref", N_("Programme logo"), ref="attachment")
    period_start: Mapped[dt.date | None] = field("date", N_("Period start"))
    period_end: Mapped[dt.date | None] = field("date", N_("Period end"))
    # Retention (services.retention): contact persons without activity for this many years
    # after the programme's end are due for review.
    retention_contact_years: Mapped[int | None] = field(
        "int", N_("Keep contact persons without activity for (years after the programme's end)"))


class Note(Record):
    """A note on a record, shared with every office (``note add``). A note meant for the
    office only is a ``PrivateNote``: never a record, never in the change log or a bundle."""

    __tablename__ = "note"
    entity = "note"
    linked_entity: Mapped[str] = field("text", N_("Linked record type"), required=True,
                                       max_length=40)
    linked_id: Mapped[str] = field("text", N_("Linked record"), required=True, max_length=36,
                                   index=True)
    body: Mapped[str] = field("longtext", N_("Note"), required=True, search=True)
    author_id: Mapped[str | None] = field("ref", N_("Written by"), ref="advisor")


class Attachment(Record):
    __tablename__ = "attachment"
    entity = "attachment"
    sha256: Mapped[str] = field("text", N_("Checksum"), required=True, max_length=64)
    file_name: Mapped[str] = field("text", N_("File name"), required=True, search=True, sort=True)
    kind: Mapped[str] = field("enum", N_("Kind"), required=True, choices=enums.AttachmentKind)
    size: Mapped[int | None] = field("int", N_("Size (bytes)"))
    language: Mapped[str | None] = field("text", N_("Language"), max_length=10)
    linked_entity: Mapped[str | None] = field("text", N_("Linked record type"), max_length=40)
    linked_id: Mapped[str | None] = field("text", N_("Linked record"), max_length=36, index=True)
    document_kind: Mapped[str | None] = field("enum", N_("Document"), choices=enums.DocumentKind)
    # The contact persons and event participants a generated document names (ids; "*" when
    # it names more than a list holds): an erasure of any of them deletes the document.
    person_ids: Mapped[list | None] = field("list", N_("Persons named"))
    file_name_sort: Mapped[str | None] = sort_key_column()


class DuplicateDecision(Record):
    """"Not a duplicate": two records a person said are different (services.duplicates),
    so that the pair is not offered again at any office. Exactly one of the lists holds the
    two ids, in ascending order; a merge re-points them like any reference, an erasure
    empties the erased person from them (sync.erasure.PERSON_LISTS)."""

    __tablename__ = "duplicate_decision"
    entity = "duplicate_decision"
    organisation_ids: Mapped[list | None] = field("ref_list", N_("Organisations"), ref="organisation")
    contact_ids: Mapped[list | None] = field("ref_list", N_("Contact persons"), ref="contact")
    cluster_ids: Mapped[list | None] = field("ref_list", N_("Clusters"), ref="cluster")


class Merge(Record):
    """Records found to be one (duplicates) merged into a survivor (sync.redirects).

    Written once by the merging action and never edited: only ``deleted`` changes, when
    the merge is undone. Every replica derives its redirects merged id -> survivor from
    the live merge records, whatever order they arrive in. ``seen`` is the merging
    installation's vector of applied changes ("installation:seq") when it merged: a write
    to a merged-away record it does not cover was made without knowing the merge and
    still counts, on the survivor.
    """

    __tablename__ = "merge"
    entity = "merge"
    record_type: Mapped[str] = field("text", N_("Type of records"), required=True, max_length=40)
    survivor_id: Mapped[str] = field("text", N_("Record kept"), required=True, max_length=36)
    merged_ids: Mapped[list] = field("list", N_("Records merged into it"), required=True)
    seen: Mapped[list | None] = field("list", N_("Changes known when merging"))


# --- Change log and local state (not records themselves) --------------------------------


class Change(Base):
    """One field write: the unit of sync (DESIGN §4).

    ``replaces`` holds the ids of the writes to the same field that the writer saw; a
    change is ``current`` while no applied change replaces it. A delete also lists the
    current write of every other field of the record: what it saw, replacing none of them.
    """

    __tablename__ = "change_log"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    hlc: Mapped[int] = mapped_column(Integer, nullable=False)
    author_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False)
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON
    replaces: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON [[inst, seq]...]
    current: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (
        Index("ix_change_log_record", "record_id", "field"),
        # The merge records' changes, read for the redirects at every write (sync.redirects).
        Index("ix_change_log_merge", "record_id", sqlite_where=text("entity = 'merge'")),
    )


class LocalState(Base):
    """This installation's identity and clock; one row, never synced."""

    __tablename__ = "local_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[str] = mapped_column(String(36), nullable=False)
    advisor_id: Mapped[str | None] = mapped_column(String(36))
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_hlc: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class PrivateNote(Base):
    """A note that stays at this installation (GDPR: what an advisor means for the office
    only): stored, searched and backed up here, never in the change log, a bundle, the
    dump or the hub. Erasing the person it is about removes it (services.notes)."""

    __tablename__ = "private_note"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    linked_entity: Mapped[str] = mapped_column(String(40), nullable=False)
    linked_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32), nullable=False)
    updated_at: Mapped[str | None] = mapped_column(String(32))


class HubSetting(Base):
    """The mailbox this installation syncs through (a folder or the office hub), where its
    last pull ended and how its last sync went; one row, never synced. Never a password:
    libpq reads it from PGPASSWORD or a .pgpass file."""

    __tablename__ = "hub_setting"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, nullable=False)
    cursor: Mapped[str | None] = mapped_column(Text)  # the backend's, after the last pull
    auto_minutes: Mapped[int | None] = mapped_column(Integer)  # sync every N minutes (window)
    last_sync_at: Mapped[str | None] = mapped_column(String(32))  # last sync that completed
    last_attempt_at: Mapped[str | None] = mapped_column(String(32))
    last_report: Mapped[str | None] = mapped_column(Text)  # JSON: what the last sync did
    pushed_acks: Mapped[str | None] = mapped_column(Text)  # JSON seen vector last pushed


class HubHandled(Base):
    """A bundle of the mailbox this installation has dealt with: pushed from here, imported,
    or set aside (addressed elsewhere, refused); never fetched again. Never synced."""

    __tablename__ = "hub_handled"
    key: Mapped[str] = mapped_column(Text, primary_key=True)  # the mailbox's key
    bundle_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(32), nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)  # pushed/imported/...
    message: Mapped[str | None] = mapped_column(Text)  # why it was set aside (translated)


class TemplateChoice(Base):
    """The template this installation fills for a kind of document in a language (a
    template stored as an attachment; without a row, the default one). Never synced: each
    office picks from the templates it has."""

    __tablename__ = "template_choice"
    document_kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    attachment_id: Mapped[str] = mapped_column(String(36), nullable=False)


class ReplacedWrite(Base):
    """Every change id some applied change replaced (or, a delete, listed as seen): a
    write that arrives after the write replacing it is dead on arrival (the merge's "dead
    set", DESIGN §4; one listed only by a delete is not, see ``sync.merge``)."""

    __tablename__ = "replaced_write"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)


class PendingChange(Base):
    """A received change waiting for an earlier change of its installation (a gap)."""

    __tablename__ = "pending_change"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    line: Mapped[str] = mapped_column(Text, nullable=False)  # the change as received


class Erasure(Base):
    """A GDPR erasure tombstone: permanent, always wins, no personal data."""

    __tablename__ = "erasure"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    hlc: Mapped[int] = mapped_column(Integer, nullable=False)
    installation_id: Mapped[str] = mapped_column(String(36), nullable=False)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)


class SeenSeq(Base):
    """The highest change of each installation applied here (all before it are too)."""

    __tablename__ = "seen_seq"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)


class InstallationAck(Base):
    """What a partner installation said it holds (in its last bundle): changes of
    ``installation_id`` up to ``seq``."""

    __tablename__ = "installation_ack"
    peer_installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(10), nullable=False)
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)


class TrustedKey(Base):
    """A partner installation's public keys, pinned here after comparing fingerprints."""

    __tablename__ = "trusted_key"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(10), nullable=False)
    label: Mapped[str | None] = mapped_column(Text)
    signing_key: Mapped[str] = mapped_column(Text, nullable=False)  # base64 Ed25519 public
    age_recipient: Mapped[str] = mapped_column(Text, nullable=False)  # age1…
    fingerprint: Mapped[str] = mapped_column(String(80), nullable=False)
    trusted_at: Mapped[str] = mapped_column(String(32), nullable=False)


class BundleLog(Base):
    """Bundles made here and bundles imported here, with what they did."""

    __tablename__ = "bundle_log"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3), primary_key=True)  # "out" / "in"
    office_code: Mapped[str] = mapped_column(String(10), nullable=False)  # partner
    at: Mapped[str] = mapped_column(String(32), nullable=False)
    file_name: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    report: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON counts


RECORD_MODELS: tuple[type[Record], ...] = (
    Office, Installation, Advisor, Cluster, Organisation, Membership, Contact, Consultation,
    Task, Evaluation, ActionPlan, Measure, Event, Participant, Indicator, Attachment,
    DuplicateDecision,
    Merge, Initiative, FormationStep, Programme, Note,
)
MODEL_BY_ENTITY: dict[str, type[Record]] = {m.entity: m for m in RECORD_MODELS}

# Columns a big list is sorted by without a sort key of their own.
UNKEYED_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "contact": ("function", "phone", "language", "organisation_id"),
}


def _list_indexes() -> list[Index]:
    """Every list order as a partial covering index over the live rows: (key, id) WHERE
    deleted IS 0, so a sorted list of 100,000 ids is read from the index alone (no table
    lookups, no temporary sort). The condition matches what SQLAlchemy renders for
    ``deleted.is_(False)``; written differently, SQLite would not use the index."""
    indexes = []
    for model in RECORD_MODELS:
        table = model.__table__
        keys = [c for c in table.c if c.name.endswith("_sort")]
        keys += [table.c[name] for name in UNKEYED_LIST_COLUMNS.get(model.entity, ())]
        indexes += [Index(f"ix_{table.name}_{key.name}_live", key, table.c.id,
                          sqlite_where=table.c.deleted.is_(False)) for key in keys]
    return indexes


LIST_INDEXES = _list_indexes()


def _match_indexes() -> list[Index]:
    """Indexes the duplicate lookups use (services.duplicates, migration 0008): the
    identifiers an organisation is found by, a contact's e-mail as SQLite's ``lower()``
    (both sides of the lookup use it) and mobile number (like ``phone``'s list index: the
    numbers of live contacts with their ids, so shared numbers are grouped in the index)."""
    organisation, contact = Organisation.__table__, Contact.__table__
    return [
        *(Index(f"ix_organisation_{name}", organisation.c[name])
          for name in ("nip", "regon", "krs", "vat_id", "register_number", "website")),
        Index("ix_contact_email_lower", func.lower(contact.c.email)),
        Index("ix_contact_mobile_live", contact.c.mobile, contact.c.id,
              sqlite_where=contact.c.deleted.is_(False)),  # as phone's list index
    ]


MATCH_INDEXES = _match_indexes()
