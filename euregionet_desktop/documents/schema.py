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
from typing import Any

from euregionet_desktop.domain.enums import DocumentKind
from euregionet_desktop.i18n import N_

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


PROGRAMME: Schema = _fields("name", "period_start", "period_end")
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
    **_fields("region", "sectors", "founded_on", "legal_form", "website", "coordinator",
              "member_count", "number"),
    **_translated("name", "description", "kind", "stage", "country", "smart_specialisations",
                  "support_status", "cross_border"),
    "members": [ORGANISATION],
    "contacts": [CONTACT],
}

MEASURE: Schema = {
    **_fields("number", "title", "description", "responsible", "partners", "starts_on",
              "ends_on", "currency", "funding_source", "indicator", "target"),
    **_translated("cost", "status"),
}
ACTION_PLAN: Schema = {
    **_fields("title", "signed_on", "signatories"),
    **_translated("status", "objectives", "total_cost"),
}

TASK: Schema = {**_fields("title", "assignee", "due_on", "notes"), **_translated("done")}
CONSULTATION: Schema = {
    **_fields("held_at", "date", "time", "duration_minutes", "place", "advisor", "subject",
              "summary", "outcomes"),
    **_translated("mode", "topics"),
}

QUESTION: Schema = {**_fields("number", "code", "score", "comment"), **_translated("text")}
AREA: Schema = {**_fields("number", "total", "max_total", "average"), **_translated("name"),
                "questions": [QUESTION]}
EVALUATION: Schema = {
    **_fields("evaluated_on", "evaluator", "questionnaire_version", "strengths", "total",
              "max_total", "average"),
    **_translated("recommendations"),
}

EVENT: Schema = {
    **_fields("starts_on", "ends_on", "dates", "place", "cluster"),
    **_translated("title", "kind", "agenda"),
}
PARTICIPANT: Schema = {
    **_fields("number", "name", "organisation", "function", "email"),
    **_translated("role", "registered", "attended", "photo_consent"),
}

_COMMON: Schema = {"programme": PROGRAMME, "office": OFFICE, "document": DOCUMENT}

SCHEMAS: dict[str, Schema] = {
    "action-plan": {**_COMMON, "action_plan": ACTION_PLAN, "cluster": CLUSTER,
                    "coordinator": ORGANISATION, "parties": [ORGANISATION],
                    "measures": [MEASURE]},
    "consultation": {**_COMMON, "consultation": CONSULTATION, "cluster": CLUSTER,
                     "organisation": ORGANISATION, "participants": [CONTACT],
                     "tasks": [TASK]},
    "evaluation": {**_COMMON, "evaluation": EVALUATION, "cluster": CLUSTER,
                   "areas": [AREA]},
    "attendance": {**_COMMON, "event": EVENT, "participants": [PARTICIPANT]},
    "directory": {**_COMMON, "clusters": [CLUSTER], "cluster_count": None},
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
