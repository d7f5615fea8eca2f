"""Every reference between records, declared once: what cascades, what is edited on the
parent's form, what a detail pane lists; the rest of the app derives from this table.

``CASCADES`` (services.entities), ``CHILD_LINKS`` (services.editing), ``RELATIONS``
(services.relations, the detail pane's tabs) and the record dialog's child sections are
all read from ``REFERENCES``, and ``relations.references_to`` finds every record that
points at a given one (what a merge re-points and a person report lists). A unit test
holds the table against the reference fields of the models, so a new one cannot be
forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass

from euregionet_desktop.i18n import N_


@dataclass(frozen=True)
class Shown:
    """How the records pointing at a record are listed: a tab of its detail pane or a
    section of its form."""

    key: str  # the tab's key, or the form section's object name
    label: str  # N_() text; translate at use
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """Records of ``entity`` whose ``field`` (a ref or ref_list field) points at a record
    of ``target``.

    ``field`` is empty for the one relation that is not a stored reference: a cluster's
    contact persons, found through its memberships (services.relations).
    """

    entity: str
    field: str
    target: str
    cascade: bool = False  # deleting the target deletes these records too
    child: Shown | None = None  # edited on the target's form, in this section
    tab: Shown | None = None  # listed on the target's detail pane, in this tab


_TASK_COLUMNS = ("title", "due_on", "done", "assignee_id")
_CONSULTATION_COLUMNS = ("held_at", "subject", "mode", "advisor_id")

# Grouped by target; within a target, the detail pane's tabs come in this order.
REFERENCES: tuple[Reference, ...] = (
    # What points at a cluster.
    Reference("membership", "cluster_id", "cluster", cascade=True, tab=Shown(
        "members", N_("Members"),
        ("organisation_id", "contact_id", "role", "joined_on", "left_on",
         "recruited_by_programme"))),
    Reference("contact", "", "cluster", tab=Shown(
        "contacts", N_("Contact persons"),
        ("last_name", "first_name", "function", "organisation_id", "email", "phone"))),
    Reference("consultation", "cluster_id", "cluster", tab=Shown(
        "consultations", N_("Consultations"), _CONSULTATION_COLUMNS)),
    Reference("evaluation", "cluster_id", "cluster", cascade=True, tab=Shown(
        "evaluations", N_("Evaluations"),
        ("evaluated_on", "evaluator_id", "questionnaire_version"))),
    Reference("action_plan", "cluster_id", "cluster", cascade=True, tab=Shown(
        "action_plans", N_("Action plans"), ("title", "title_de", "status", "signed_on"))),
    Reference("event", "cluster_id", "cluster", tab=Shown(
        "events", N_("Events"), ("title_pl", "kind", "starts_on", "place"))),
    Reference("task", "cluster_id", "cluster", tab=Shown(
        "tasks", N_("Follow-up tasks"), _TASK_COLUMNS)),
    # What points at an organisation.
    Reference("membership", "organisation_id", "organisation", cascade=True,
              child=Shown("memberships", N_("Cluster memberships"),
                          ("cluster_id", "role", "joined_on", "left_on",
                           "recruited_by_programme")),
              tab=Shown("memberships", N_("Memberships"),
                        ("cluster_id", "role", "joined_on", "left_on",
                         "recruited_by_programme"))),
    Reference("contact", "organisation_id", "organisation", tab=Shown(
        "contacts", N_("Contact persons"),
        ("last_name", "first_name", "function", "email", "phone"))),
    Reference("consultation", "organisation_id", "organisation", tab=Shown(
        "consultations", N_("Consultations"), _CONSULTATION_COLUMNS)),
    Reference("task", "organisation_id", "organisation", tab=Shown(
        "tasks", N_("Follow-up tasks"), _TASK_COLUMNS)),
    Reference("cluster", "coordinator_id", "organisation"),
    # What points at a contact person.
    Reference("membership", "contact_id", "contact", cascade=True, tab=Shown(
        "memberships", N_("Memberships"), ("cluster_id", "role", "joined_on", "left_on"))),
    Reference("participant", "contact_id", "contact", tab=Shown(
        "participations", N_("Events"), ("event_id", "role", "registered", "attended"))),
    Reference("task", "contact_id", "contact", tab=Shown(
        "tasks", N_("Follow-up tasks"), _TASK_COLUMNS)),
    Reference("consultation", "contact_ids", "contact"),
    # What points at a consultation, an action plan, an event.
    Reference("task", "consultation_id", "consultation", cascade=True,
              child=Shown("followUps", N_("Follow-up tasks"),
                          ("title", "assignee_id", "due_on", "done")),
              tab=Shown("tasks", N_("Follow-up tasks"),
                        ("title", "assignee_id", "due_on", "done"))),
    Reference("measure", "action_plan_id", "action_plan", cascade=True,
              # The cost is shown with its currency ("21 750,00 €"): no column of its own.
              # Both titles: a measure may have only the German one.
              child=Shown("measures", N_("Measures"),
                          ("title", "title_de", "responsible", "starts_on", "ends_on", "cost",
                           "status")),
              tab=Shown("measures", N_("Measures"),
                        ("title", "title_de", "responsible", "starts_on", "ends_on", "cost",
                         "status"))),
    Reference("participant", "event_id", "event", cascade=True,
              child=Shown("participants", N_("Participants"),
                          ("contact_id", "name", "organisation_name", "role", "registered",
                           "attended", "photo_consent")),
              tab=Shown("participants", N_("Participants"),
                        ("contact_id", "name", "organisation_name", "role", "registered",
                         "attended", "photo_consent"))),
    # What points at an advisor.
    Reference("consultation", "advisor_id", "advisor"),
    Reference("task", "assignee_id", "advisor"),
    Reference("evaluation", "evaluator_id", "advisor"),
    # What points at a partner office.
    Reference("installation", "office_id", "office"),
    Reference("advisor", "office_id", "office"),
    Reference("cluster", "office_id", "office"),
    Reference("consultation", "office_id", "office"),
    Reference("evaluation", "office_id", "office"),
    Reference("action_plan", "office_id", "office"),
    Reference("event", "office_id", "office"),
    # A cluster being formed: its initiative, the initiative's steps and people.
    Reference("initiative", "cluster_id", "cluster", cascade=True, tab=Shown(
        "initiatives", N_("Formation"), ("started_on", "advisor_id", "office_id"))),
    Reference("formation_step", "initiative_id", "initiative", cascade=True,
              child=Shown("formationSteps", N_("Formation steps"),
                          ("step", "status", "done_on", "advisor_id")),
              tab=Shown("steps", N_("Formation steps"),
                        ("step", "status", "done_on", "advisor_id"))),
    Reference("initiative", "leader_id", "organisation"),
    Reference("initiative", "council_ids", "contact"),
    Reference("initiative", "advisor_id", "advisor"),
    Reference("formation_step", "advisor_id", "advisor"),
    Reference("initiative", "office_id", "office"),
    # The programme's logos.
    Reference("programme", "eu_emblem_id", "attachment"),
    Reference("programme", "programme_logo_id", "attachment"),
    # A contact person's consent evidence (a signed form, an e-mail); who wrote a note.
    Reference("contact", "consent_evidence_id", "attachment"),
    Reference("note", "author_id", "advisor"),
    # "Not a duplicate" decisions name the two records of a pair (services.duplicates).
    Reference("duplicate_decision", "organisation_ids", "organisation"),
    Reference("duplicate_decision", "contact_ids", "contact"),
    Reference("duplicate_decision", "cluster_ids", "cluster"),
)


def pointing_at(target: str) -> tuple[Reference, ...]:
    """The references to records of ``target``, in the table's order."""
    return tuple(r for r in REFERENCES if r.target == target)


def _by_target(wanted) -> dict[str, tuple[Reference, ...]]:
    found: dict[str, list[Reference]] = {}
    for reference in REFERENCES:
        if wanted(reference):
            found.setdefault(reference.target, []).append(reference)
    return {target: tuple(group) for target, group in found.items()}


# Deleting a record also deletes the records that cannot stand without it: target ->
# (entity, field) of those records.
CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    target: tuple((r.entity, r.field) for r in group)
    for target, group in _by_target(lambda r: r.cascade).items()}

# Records edited on their parent's form: (parent, child) -> the child's field that points
# at the parent.
CHILD_LINKS: dict[tuple[str, str], str] = {
    (r.target, r.entity): r.field for r in REFERENCES if r.child is not None}

# The records edited on a parent's form, per parent, in form order.
CHILDREN: dict[str, tuple[Reference, ...]] = _by_target(lambda r: r.child is not None)

# The tabs of a record's detail pane, per entity, in tab order.
TABS: dict[str, tuple[Reference, ...]] = _by_target(lambda r: r.tab is not None)
