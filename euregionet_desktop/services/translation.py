"""Text in both languages: which sides need translating, and "the translation still fits".

The state is derived at every replica from the change log, so it merges like the fields
themselves: a side needs translating when it is empty while the other side has text, or
when its current write is older than the other side's (one side changed, the other not).
Both sides written in one action share one clock value and are in step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func, literal, select, union_all
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import TEXT_PAIRS, pair_of, side_needing_translation
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import Changes, RecordWrites, TranslationNeed, UndoStep
from euregionet_desktop.services.entities import cli_name, resolve_entity
from euregionet_desktop.services.profile import office_id_for
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage.fields import field_map, model_for
from euregionet_desktop.sync.changelog import CHANGE_TABLE, current_writes

# The wall-clock milliseconds of a hybrid logical clock value (sync.clock).
_LOGICAL_BITS = 16


def _office_column(entity: str, table: Any) -> Any:
    """The office a record belongs to (a measure: its action plan's)."""
    if entity == "measure":
        plans = model_for("action_plan").__table__
        return (select(plans.c.office_id).where(plans.c.id == table.c.action_plan_id)
                .scalar_subquery())
    return table.c.office_id


def _latest(record_id: Any, name: str) -> Any:
    """The clock of a field's newest current write (the index on (record_id, field))."""
    log = CHANGE_TABLE
    return (select(func.max(log.c.hlc))
            .where(log.c.record_id == record_id, log.c.field == name, log.c.current.is_(True))
            .scalar_subquery())


def _candidates(office_id: str | None) -> Any:
    """One SELECT over every text pair of every entity: the pairs whose sides differ in
    being filled, or whose newest writes differ in time."""
    parts = []
    for entity, pairs in TEXT_PAIRS.items():
        table = model_for(entity).__table__
        office = _office_column(entity, table)
        for polish, german in pairs:
            filled_pl = func.coalesce(table.c[polish], "") != ""
            filled_de = func.coalesce(table.c[german], "") != ""
            query = select(
                literal(entity, String).label("entity"), table.c.id.label("record_id"),
                literal(polish, String).label("polish"), literal(german, String).label("german"),
                filled_pl.label("filled_pl"), filled_de.label("filled_de"),
                _latest(table.c.id, polish).label("hlc_pl"),
                _latest(table.c.id, german).label("hlc_de"),
                office.label("office_id"),
            ).where(table.c.deleted.is_(False), filled_pl | filled_de)
            if office_id is not None:
                query = query.where(office == office_id)
            parts.append(query)
    every = union_all(*parts).subquery()
    return select(every).where(
        (every.c.filled_pl != every.c.filled_de)
        | (func.coalesce(every.c.hlc_pl, 0) != func.coalesce(every.c.hlc_de, 0)))


def candidates_query(dialect: Any, office_id: str | None = None) -> tuple[str, tuple]:
    """The SQL and parameters of the one query behind ``needs_translation`` (benchmarks run
    it with plain sqlite3 as the floor)."""
    compiled = _candidates(office_id).compile(dialect=dialect,
                                              compile_kwargs={"render_postcompile": True})
    return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup or ())


def needs_translation(session: Session, office_id: str | None = None, *,
                      office: str | None = None) -> list[TranslationNeed]:
    """Every side of a text pair that needs translating, of one office's records (by id,
    or by ``office`` code) or all, newest change of the other side first."""
    if office is not None:
        office_id = office_id_for(session, office)
    found = []
    for row in session.execute(_candidates(office_id)).mappings():
        side = side_needing_translation(row["filled_pl"], row["filled_de"],
                                        row["hlc_pl"], row["hlc_de"])
        if side is not None:
            found.append((row, side))
    names: dict[str, dict[str, str]] = {}
    for entity in {row["entity"] for row, _side in found}:
        names[entity] = records.labels(session, entity=entity, record_ids=sorted(
            {row["record_id"] for row, _side in found if row["entity"] == entity}))
    needs = []
    for row, (side, missing) in found:
        entity = row["entity"]
        field, other = ((row["polish"], row["german"]) if side == "pl"
                        else (row["german"], row["polish"]))
        specs = field_map(entity)
        needs.append(TranslationNeed(
            entity=entity, record_id=row["record_id"],
            record_label=names[entity].get(row["record_id"], row["record_id"]),
            field=field, other_field=other, field_label=_(specs[field].label),
            other_label=_(specs[other].label), side=side, missing=missing,
            other_changed_ms=(row["hlc_de" if side == "pl" else "hlc_pl"] or 0) >> _LOGICAL_BITS,
            office_id=row["office_id"]))
    needs.sort(key=lambda need: (-need.other_changed_ms, need.entity, need.record_id,
                                 need.field))
    return needs


def _pair_field(entity: str, name: str) -> tuple[str, str]:
    pair = pair_of(entity, name)
    if pair is None:
        known = ", ".join(f for pair in TEXT_PAIRS.get(entity, ()) for f in pair)
        if not known:
            raise ValidationError(
                _("{entity} has no text in both languages.").format(
                    entity=entity_label(entity)), entity=entity)
        raise ValidationError(
            _("“{field}” is not a text kept in both languages. For {entity}: {known}.").format(
                field=name, entity=cli_name(entity), known=known), field=name, entity=entity)
    return pair


def mark_translated(session: Session, *, entity: str, record_id: str, field: str) -> Changes:
    """"The translation still fits": both sides written again as they are, in one action,
    so the pair is in step. Undo writes the other side again: the side needs
    translating as before."""
    entity = resolve_entity(entity)
    polish, german = _pair_field(entity, field)
    row = records.load_row(session, entity, record_id)
    stale = records.needs_translation_of(entity, row, current_writes(session, record_id))
    other = german if field == polish else polish
    label = _(field_map(entity)[field].label)
    if field not in stale:
        raise ValidationError(
            _("{field} of this {entity} does not need translating.").format(
                field=label, entity=entity_label(entity)), field=field, entity=entity)
    if not row[field]:
        raise ValidationError(
            _("{field} is empty: type the translation instead.").format(field=label),
            field=field, entity=entity)
    step = RecordWrites(entity, record_id, before={other: row[other]},
                        after={field: row[field], other: row[other]},
                        rewrite=frozenset({field, other}))
    records.apply_writes(session, writes=[step])
    return Changes(frozenset({entity}), record_id, (record_id,),
                   UndoStep(_("Mark as translated"), (step,)))
