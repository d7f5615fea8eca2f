"""The entities as people name them: CLI names and labels (cascades: ``relation_table``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from euregionet_desktop.domain.enums import FormationStepKind
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import N_, _, current_language, format_date, format_stored_minute

ENTITY_LABELS: dict[str, str] = {
    "office": N_("Partner office"),
    "installation": N_("Installation"),
    "advisor": N_("Advisor"),
    "cluster": N_("Cluster"),
    "organisation": N_("Organisation"),
    "membership": N_("Membership"),
    "contact": N_("Contact person"),
    "consultation": N_("Consultation"),
    "task": N_("Task"),
    "evaluation": N_("Evaluation"),
    "action_plan": N_("Action plan"),
    "measure": N_("Measure"),
    "event": N_("Event"),
    "participant": N_("Participant"),
    "indicator": N_("Indicator"),
    "attachment": N_("Attachment"),
    "duplicate_decision": N_("Not a duplicate"),
    "merge": N_("Merge"),
    "initiative": N_("Cluster initiative"),
    "formation_step": N_("Formation step"),
    "programme": N_("Programme"),
    "note": N_("Note"),
}

# Reference records seeded by every installation; people may edit but not add or delete.
REFERENCE_ENTITIES = frozenset({"office", "indicator", "programme"})
# Managed by the app itself, not by hand.
SYSTEM_ENTITIES = frozenset({"installation", "attachment", "duplicate_decision", "merge"})


def cli_name(entity: str) -> str:
    return entity.replace("_", "-")


def resolve_entity(name: str) -> str:
    """The entity for a name typed on the command line (``action-plan`` or ``action_plan``)."""
    entity = name.strip().lower().replace("-", "_")
    if entity not in ENTITY_LABELS:
        raise ValidationError(
            _("Unknown record type “{name}”. Known types: {known}.").format(
                name=name, known=", ".join(cli_name(e) for e in ENTITY_LABELS)))
    return entity


def _pick(values: Mapping[str, Any], *names: str) -> str:
    for name in names:
        if values.get(name):
            return str(values[name])
    return ""


def record_label(entity: str, values: Mapping[str, Any]) -> str:
    """How a record is named in lists, pickers and search results."""
    german = current_language() == "de"
    if entity == "cluster":
        return _pick(values, *(("name_de", "name_pl") if german else ("name_pl", "name_de")))
    if entity == "event":
        return _pick(values, *(("title_de", "title_pl") if german else ("title_pl", "title_de")))
    if entity == "indicator":
        return _pick(values, {"de": "name_de", "pl": "name_pl"}.get(current_language(),
                                                                    "name_en"), "name_en")
    if entity == "contact":
        return " ".join(p for p in (values.get("title"), values.get("first_name"),
                                    values.get("last_name")) if p)
    if entity == "consultation":
        subject = _pick(values, *(("subject_de", "subject") if german else ("subject", "subject_de")))
        return " – ".join(p for p in (format_stored_minute(values.get("held_at")), subject) if p)
    if entity in ("action_plan", "measure"):
        # Text in both languages: the interface's side, else the other one.
        return (_pick(values, *(("title_de", "title") if german else ("title", "title_de")))
                or str(values.get("id", "")))
    if entity == "evaluation":
        day = values.get("evaluated_on")
        return _("Evaluation of {date}").format(date=format_date(day) if day else "")
    if entity == "office":
        return _pick(values, "name", "code")
    if entity == "membership":
        return _pick(values, "role")
    if entity == "formation_step" and values.get("step") in set(FormationStepKind):
        return _(FormationStepKind(values["step"]).label)
    return _pick(values, "name", "title", "label", "file_name", "code") or str(values.get("id", ""))

