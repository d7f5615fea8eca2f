"""Turning what a person typed (CLI text or form values) into checked field values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import stored_codes
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.storage.field_kinds import Cleaning, kind_of
from euregionet_desktop.storage.fields import Field, field_map, model_for


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity])


def unknown_field_error(entity: str, name: str) -> ValidationError:
    known = ", ".join(field_map(entity))
    return ValidationError(
        _("{entity} has no field “{field}”. Known fields: {known}.").format(
            entity=entity_label(entity), field=name, known=known),
        field=name, entity=entity)


def _required_error(entity: str, spec: Field) -> ValidationError:
    return ValidationError(
        _("{field} is required.").format(field=_(spec.label)), field=spec.name, entity=entity)


def _country_for(session: Session, entity: str, values: Mapping[str, Any]) -> str | None:
    """The country that decides phone and postal code formats for this record."""
    if values.get("country"):
        return values["country"]
    org_id = values.get("organisation_id")
    if org_id:
        table = model_for("organisation").__table__
        return session.execute(select(table.c.country).where(table.c.id == org_id)).scalar()
    return None


def _ensure_ref(session: Session, spec: Field, record_id: str, entity: str) -> str:
    record_id = record_id.strip()
    table = model_for(spec.ref).__table__
    found = session.execute(
        select(table.c.id).where(table.c.id == record_id, table.c.deleted.is_(False))
    ).scalar()
    if found is None:
        raise ValidationError(
            _("{field}: there is no {target} with the id “{value}”.").format(
                field=_(spec.label), target=entity_label(spec.ref), value=record_id),
            field=spec.name, entity=entity)
    return found


def clean_value(session: Session, entity: str, spec: Field, value: Any,
                context: Mapping[str, Any]) -> Any:
    """The stored value for one field, or ValidationError naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        if spec.required:
            raise _required_error(entity, spec)
        return None
    cleaning = Cleaning(country=context.get("_country"),
                        ensure_ref=lambda ref_spec, record_id: _ensure_ref(
                            session, ref_spec, record_id, entity))
    try:
        clean = kind_of(spec.kind).clean(value, spec, cleaning)
    except ValidationError as error:
        error.entity = entity
        raise
    # A sector or region typed as a label in any language is stored as its code.
    return stored_codes(entity, spec.name, clean)


def clean_values(session: Session, entity: str, raw: Mapping[str, Any], *,
                 existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Check and normalise the given fields; on create (no ``existing``) also the required."""
    specs = field_map(entity)
    for name in raw:
        if name not in specs:
            raise unknown_field_error(entity, name)
    merged = {**(existing or {}), **raw}
    context = {"_country": _country_for(session, entity, merged)}
    # The country decides how phones and postal codes are read, so clean it first.
    order = sorted(raw, key=lambda name: name != "country")
    cleaned: dict[str, Any] = {}
    problems: list[ValidationError] = []
    for name in order:
        try:
            cleaned[name] = clean_value(session, entity, specs[name], raw[name], context)
        except ValidationError as error:
            problems.append(error)
    if existing is None:
        problems += [_required_error(entity, spec) for spec in specs.values()
                     if spec.required and spec.name not in raw and not spec.has_default]
    elif any(value is None and specs[name].required for name, value in cleaned.items()):
        problems += [_required_error(entity, specs[name]) for name, value in cleaned.items()
                     if value is None and specs[name].required]
    if problems:
        raise combined_error(problems)
    return cleaned


def combined_error(problems: list[ValidationError]) -> ValidationError:
    """One error for several refused fields, in the order of the entity's fields."""
    first = problems[0]
    if len(problems) == 1:
        return first
    found: dict[str, str] = {}
    for problem in problems:
        for name, message in problem.problems.items():
            found.setdefault(name, message)
    order = list(field_map(first.entity)) if first.entity else []
    ranked = sorted(found.items(), key=lambda item: order.index(item[0])
                    if item[0] in order else len(order))
    name, message = ranked[0]
    return ValidationError(message, field=name, entity=first.entity, problems=dict(ranked))
