"""Turning what a person typed (CLI text or form values) into checked field values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain import programme, validation
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.storage.fields import Field, field_map, model_for

_TRUE = {"1", "true", "yes", "y", "tak", "ja", "t", "on"}
_FALSE = {"0", "false", "no", "n", "nie", "nein", "f", "off"}
_DATETIME = re.compile(r"^\s*(\S+)[ T](\d{1,2}):(\d{2})\s*$")


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


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


def _scores(value: Any, spec: Field, entity: str) -> dict[str, Any]:
    label = _(spec.label)
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            value = None
    if not isinstance(value, dict):
        raise ValidationError(
            _("{field}: expected an object like {{\"structure.members\": 3}}.").format(field=label),
            field=spec.name, entity=entity)
    result: dict[str, Any] = {}
    for code, item in value.items():
        if code not in programme.QUESTION_CODES:
            raise ValidationError(
                _("{field}: “{code}” is not a question of the questionnaire.").format(
                    field=label, code=code), field=spec.name, entity=entity)
        entry = item if isinstance(item, dict) else {"score": item}
        score = entry.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                                  or not 0 <= score <= programme.MAX_SCORE):
            raise ValidationError(
                _("{field}: the score for “{code}” must be a whole number from 0 to {max}.").format(
                    field=label, code=code, max=programme.MAX_SCORE),
                field=spec.name, entity=entity)
        clean = {"score": score}
        for key in ("comment", "evidence"):
            if entry.get(key):
                clean[key] = validation.text(str(entry[key]), field=spec.name, label=label,
                                             max_length=5000)
        result[code] = clean
    return result


def clean_value(session: Session, entity: str, spec: Field, value: Any,
                context: Mapping[str, Any]) -> Any:
    """The stored value for one field, or ValidationError naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        if spec.required:
            raise _required_error(entity, spec)
        return None
    label = _(spec.label)
    kw = {"field": spec.name, "label": label}
    kind = spec.kind
    try:
        if kind in {"text", "longtext"}:
            return validation.text(str(value), max_length=spec.max_length or 300, **kw)
        if kind == "enum":
            return validation.choice(str(value).strip(), choices=[c.value for c in spec.choices],
                                     **kw)
        if kind == "enum_list":
            allowed = [c.value for c in spec.choices]
            return [validation.choice(v, choices=allowed, **kw) for v in _as_list(value)]
        if kind == "list":
            return [validation.text(v, max_length=200, **kw) for v in _as_list(value)]
        if kind == "ref":
            return _ensure_ref(session, spec, str(value), entity)
        if kind == "ref_list":
            return [_ensure_ref(session, spec, v, entity) for v in _as_list(value)]
        if kind == "date":
            if isinstance(value, dt.date):
                return validation.date_in_range(value, **kw)
            return validation.parse_date(str(value), **kw)
        if kind == "datetime":
            if isinstance(value, dt.datetime):
                return value.strftime("%Y-%m-%d %H:%M")
            match = _DATETIME.match(str(value))
            day = validation.parse_date(match.group(1) if match else str(value), **kw)
            hour, minute = (int(match.group(2)), int(match.group(3))) if match else (0, 0)
            if hour > 23 or minute > 59:
                raise ValidationError(
                    _("{field}: “{value}” is not a time of day (HH:MM).").format(
                        field=label, value=value), field=spec.name, entity=entity)
            return f"{day.isoformat()} {hour:02d}:{minute:02d}"
        if kind == "int":
            return validation.integer(str(value), **kw)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            word = str(value).strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            raise ValidationError(
                _("{field}: expected yes or no, not “{value}”.").format(field=label, value=value),
                field=spec.name, entity=entity)
        if kind == "money":
            if isinstance(value, Decimal):
                value = format(value, "f")
            return validation.decimal_amount(str(value), **kw)
        if kind == "scores":
            return _scores(value, spec, entity)
        text_value = str(value)
        if kind == "email":
            return validation.email(text_value, **kw)
        if kind == "phone":
            region = context.get("_country") or "PL"
            return validation.phone(text_value, default_region=region if region != "XX" else "PL",
                                    **kw)
        if kind == "url":
            return validation.url(text_value, **kw)
        if kind == "nip":
            return validation.nip(text_value, **kw)
        if kind == "regon":
            return validation.regon(text_value, **kw)
        if kind == "krs":
            return validation.krs(text_value, **kw)
        if kind == "vat_id":
            return validation.vat_id(text_value, country=context.get("_country"), **kw)
        if kind == "register":
            return validation.handelsregister(text_value, **kw)
        if kind == "postal_code":
            return validation.postal_code(text_value, country=context.get("_country") or "XX",
                                          **kw)
    except ValidationError as error:
        error.entity = entity
        raise
    raise AssertionError(f"unhandled field kind {kind}")


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
