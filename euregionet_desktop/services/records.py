"""Create, edit, delete and read any record; every write goes through the change log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import false, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from euregionet_desktop.domain import consent as consent_rules
from euregionet_desktop.domain.bilingual import (
    TEXT_PAIRS,
    side_needing_translation,
    value_labels,
    vocabulary_of,
)
from euregionet_desktop.domain.programme import RETENTION_MAX_YEARS
from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.i18n import _, fold
from euregionet_desktop.services.derived import Rule
from euregionet_desktop.services.dto import (
    Changes,
    FieldSpec,
    HistoryEntry,
    Page,
    RecordDTO,
    RecordWrites,
    SearchHit,
    UndoStep,
)
from euregionet_desktop.services.entities import (
    REFERENCE_ENTITIES,
    SYSTEM_ENTITIES,
    record_label,
)
from euregionet_desktop.services.formation import RULES as FORMATION_RULES
from euregionet_desktop.services.relation_table import CASCADES
from euregionet_desktop.services.values import clean_values, entity_label
from euregionet_desktop.storage import search
from euregionet_desktop.storage.fields import (
    field_map,
    fields_of,
    model_for,
    sorted_fields,
    to_json,
)
from euregionet_desktop.storage.models import Installation, Office
from euregionet_desktop.storage.rows import row_plan
from euregionet_desktop.sync.changelog import ChangeWriter, current_writes, field_history
from euregionet_desktop.sync.merge import materialize
from euregionet_desktop.sync.redirects import MERGE_ENTITY, MERGEABLE


def _dated_consent(_session: Session, values: dict[str, Any],
                   before: Mapping[str, Any] | None, _record_id: str) -> dict[str, Any]:
    """A contact's consent withdrawn or refused without a date is dated today
    (domain.consent), whether changed in the consent editor, the record's form or an
    import."""
    return consent_rules.dated(values, before, dt.date.today())


# Writes that follow from a record's own, per entity (services.derived): applied by
# ``create`` and ``update_record`` in the same transaction and undone in the same step.
DERIVED_RULES: dict[str, Rule] = {**FORMATION_RULES, "contact": Rule(complete=_dated_consent)}


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def field_specs(entity: str) -> list[FieldSpec]:
    """The fields of an entity as forms and ``euregionet fields`` show them."""
    return [
        FieldSpec(
            name=f.name, kind=f.kind, label=_(f.label), required=f.required,
            choices=tuple((c.value, _(c.label)) for c in f.choices) if f.choices else (),
            ref=f.ref, max_length=f.max_length,
            vocabulary=_vocabulary(entity, f.name),
        )
        for f in fields_of(entity)
    ]


def _vocabulary(entity: str, name: str) -> tuple[tuple[str, str], ...]:
    vocabulary = vocabulary_of(entity, name)
    if vocabulary is None:
        return ()
    return tuple(sorted(((c.value, _(c.label)) for c in vocabulary), key=lambda c: fold(c[1])))


def row_values(entity: str, row: Any) -> dict[str, Any]:
    """The values of the entity's fields in a table row (no id, no sort columns)."""
    return {f.name: row[f.name] for f in fields_of(entity)}


def load_row(session: Session, entity: str, record_id: str, *, include_deleted: bool = False):
    """The table row of a record; NotFoundError when there is none (or it is deleted and
    ``include_deleted`` is not set)."""
    table = model_for(entity).__table__
    row = session.execute(select(table).where(table.c.id == record_id)).mappings().one_or_none()
    if row is None or (row["deleted"] and not include_deleted):
        raise NotFoundError(
            _("There is no {entity} with the id “{id}”.").format(
                entity=entity_label(entity), id=record_id))
    return row


def check_record(session: Session, entity: str, values: Mapping[str, Any],
                  record_id: str) -> None:
    """Rules that involve more than one field."""
    def refuse(message: str, field: str) -> None:
        raise ValidationError(message, field=field, entity=entity)

    for start, end in (("starts_on", "ends_on"), ("joined_on", "left_on"),
                       ("period_start", "period_end")):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            refuse(_("{end} cannot be before {start}.").format(
                end=_(field_map(entity)[end].label), start=_(field_map(entity)[start].label)),
                end)
    years = values.get("retention_contact_years") if entity == "programme" else None
    if years is not None and not 0 <= years <= RETENTION_MAX_YEARS:
        refuse(_("{label}: {value} is out of range; enter a whole number from {minimum} to "
                 "{maximum}.").format(label=_(field_map(entity)["retention_contact_years"].label),
                                      value=years, minimum=0, maximum=RETENTION_MAX_YEARS),
               "retention_contact_years")
    if entity == "membership":
        if not values.get("organisation_id") and not values.get("contact_id"):
            refuse(_("A membership needs an organisation or a contact person."),
                   "organisation_id")
        table = model_for("membership").__table__
        member_column = "organisation_id" if values.get("organisation_id") else "contact_id"
        clash = session.execute(
            select(table.c.id).where(
                table.c.cluster_id == values["cluster_id"],
                table.c[member_column] == values[member_column],
                table.c.deleted.is_(False), table.c.id != record_id,
                table.c.left_on.is_(None))
        ).first()
        if clash and not values.get("left_on"):
            refuse(_("This member already belongs to the cluster."), member_column)
    if entity in ("action_plan", "measure") and not values.get("title") \
            and not values.get("title_de"):
        # Text in both languages: either side names the record.
        refuse(_("A title is required, in Polish or in German."), "title")
    if entity == "participant" and not values.get("contact_id") and not values.get("name"):
        refuse(_("A participant needs a contact person or a name."), "contact_id")
    if entity in ("office", "indicator"):
        table = model_for(entity).__table__
        clash = session.execute(select(table.c.id).where(
            table.c.code == values["code"], table.c.id != record_id)).first()
        if clash:
            refuse(_("The code “{code}” is already used.").format(code=values["code"]), "code")


def _refuse_managed(entity: str, action: str) -> None:
    if entity in SYSTEM_ENTITIES or (entity in REFERENCE_ENTITIES and action != "edit"):
        raise ValidationError(
            _("{entity} records are managed by the app and cannot be changed by hand.").format(
                entity=entity_label(entity)))


def insert_record(session: Session, writer: ChangeWriter, entity: str,
                  values: Mapping[str, Any], *, record_id: str | None = None) -> str:
    """Store a new record from clean values and log its fields (no validation here)."""
    record_id = record_id or str(uuid.uuid4())
    kinds = field_map(entity)
    row = row_plan(entity).new_row(record_id, {name: values.get(name) for name in kinds},
                                   created_at=now_iso())
    session.execute(insert(model_for(entity).__table__).values(row))
    writer.write_new(entity, [(record_id, {
        name: to_json(spec.kind, row[name]) for name, spec in kinds.items()
        if row[name] is not None
    })])
    search.reindex(session, entity, [record_id])
    return record_id


def write_fields(session: Session, writer: ChangeWriter, entity: str, record_id: str,
                 values: Mapping[str, Any]) -> None:
    """Change fields of an existing record and log each change."""
    if not values:
        return
    table = model_for(entity).__table__
    kinds = field_map(entity)
    session.execute(update(table).where(table.c.id == record_id)
                    .values(**values, **row_plan(entity).sort_columns(values)))
    writer.write(entity, record_id, {
        name: (value if name == "deleted" else to_json(kinds[name].kind, value))
        for name, value in values.items()
    })
    search.reindex(session, entity, [record_id])
    if entity == MERGE_ENTITY:
        # A merge undone or redone: the redirects change, and with them the rows of its
        # records and of every record pointing at them (sync.redirects).
        materialize(session, {entity: {record_id}})


def create(session: Session, *, entity: str, values: Mapping[str, Any]) -> Changes:
    """Add a record; ``values`` as typed by a person (text) or by a form."""
    _refuse_managed(entity, "add")
    clean = row_plan(entity).with_defaults(clean_values(session, entity, values))
    record_id = str(uuid.uuid4())
    writer = ChangeWriter.for_session(session)
    if "office_id" in field_map(entity) and clean.get("office_id") is None:
        # Work is attributed to the office of the installation that records it.
        clean["office_id"] = session.execute(select(Installation.office_id).where(
            Installation.id == writer.installation_id)).scalar()
    clean = _completed(session, entity, clean, None, record_id)
    check_record(session, entity, clean, record_id)
    insert_record(session, writer, entity, clean, record_id=record_id)
    derived = _follow(session, writer, entity, record_id, None, clean)
    return Changes(frozenset({entity, *(w.entity for w in derived)}), record_id, (record_id,),
                   UndoStep(_("Add {entity}").format(entity=entity_label(entity)), (
                       RecordWrites(entity, record_id, {"deleted": True}, {"deleted": False}),
                       *derived)))


def _completed(session: Session, entity: str, values: dict[str, Any],
               before: Mapping[str, Any] | None, record_id: str) -> dict[str, Any]:
    """The values as saved, after the entity's rule filled them in (or refused them)."""
    rule = DERIVED_RULES.get(entity)
    if rule is None or rule.complete is None:
        return values
    return rule.complete(session, dict(values), before, record_id)


def _follow(session: Session, writer: ChangeWriter, entity: str, record_id: str,
            before: Mapping[str, Any] | None, after: Mapping[str, Any]
            ) -> tuple[RecordWrites, ...]:
    """Write what the entity's rule says follows from this write; how to undo it."""
    rule = DERIVED_RULES.get(entity)
    if rule is None or rule.follow is None:
        return ()
    follow = rule.follow(session, record_id, before, after)
    undo: list[RecordWrites] = []
    for new_entity, new_id, values in follow.new:
        table = model_for(new_entity).__table__
        if session.execute(select(table.c.id).where(table.c.id == new_id)).first():
            continue  # derived ids: what exists already is not added twice
        insert_record(session, writer, new_entity, row_plan(new_entity).with_defaults(
            dict(values)), record_id=new_id)
        undo.append(RecordWrites(new_entity, new_id, {"deleted": True}, {"deleted": False}))
    for target, target_id, values in follow.writes:
        row = load_row(session, target, target_id, include_deleted=True)
        changed = {name: value for name, value in values.items() if row[name] != value}
        write_fields(session, writer, target, target_id, changed)
        if changed:
            undo.append(RecordWrites(target, target_id, {n: row[n] for n in changed}, changed))
    return tuple(undo)


def update_record(session: Session, *, entity: str, record_id: str,
                  values: Mapping[str, Any]) -> Changes:
    """Change some fields of a record; unchanged values write nothing."""
    _refuse_managed(entity, "edit")
    existing = row_values(entity, load_row(session, entity, record_id))
    clean = clean_values(session, entity, values, existing=existing)
    saved = _completed(session, entity, {**existing, **clean}, existing, record_id)
    changed = {name: value for name, value in saved.items() if existing.get(name) != value}
    if entity == "office" and "code" in changed:
        # The code is the office's name in the network: keys are trusted for it and bundles
        # addressed to it (sync.wire refuses a partner's change of it too).
        raise ValidationError(_("An office's code never changes: partners trust its keys "
                                "and address its bundles by it."), field="code", entity=entity)
    check_record(session, entity, {**existing, **changed}, record_id)
    rewritten: frozenset[str] = frozenset()
    if entity in TEXT_PAIRS and changed:
        translated = _with_translated_sides(entity, existing, changed,
                                            current_writes(session, record_id))
        # The other side is written again with the translation, and again with its undo
        # (a side that was empty is then empty again, and needs translating again).
        rewritten, changed = frozenset(translated) - frozenset(changed), translated
    writer = ChangeWriter.for_session(session)
    write_fields(session, writer, entity, record_id, changed)
    if not changed:
        return Changes(record_id=record_id, record_ids=(record_id,))
    derived = _follow(session, writer, entity, record_id, existing, {**existing, **changed})
    return Changes(frozenset({entity, *(w.entity for w in derived)}), record_id, (record_id,),
                   UndoStep(_("Edit {entity}").format(entity=entity_label(entity)), (
                       RecordWrites(entity, record_id, {n: existing.get(n) for n in changed},
                                    changed, rewrite=rewritten), *derived)))


def _cascade_ids(session: Session, entity: str, record_id: str) -> list[tuple[str, str]]:
    """This record and, depth first, the live records that depend on it."""
    found = [(entity, record_id)]
    for child, column in CASCADES.get(entity, ()):
        table = model_for(child).__table__
        for (child_id,) in session.execute(select(table.c.id).where(
                table.c[column] == record_id, table.c.deleted.is_(False))):
            found.extend(_cascade_ids(session, child, child_id))
    return found


def delete(session: Session, *, entity: str, record_id: str) -> Changes:
    """Delete a record (and what cannot stand without it); undo brings all of it back."""
    _refuse_managed(entity, "delete")
    load_row(session, entity, record_id)
    targets = _cascade_ids(session, entity, record_id)
    writer = ChangeWriter.for_session(session)
    for target_entity, target_id in targets:
        write_fields(session, writer, target_entity, target_id, {"deleted": True})
    return Changes(frozenset(e for e, _id in targets), record_id,
                   tuple(i for _e, i in targets), UndoStep(
                       _("Delete {entity}").format(entity=entity_label(entity)),
                       tuple(RecordWrites(e, i, {"deleted": False}, {"deleted": True})
                             for e, i in targets)))


def restore(session: Session, *, targets: list[tuple[str, str]]) -> Changes:
    """Bring deleted records back (the compensating write of a delete)."""
    return apply_writes(session, writes=[
        RecordWrites(entity, record_id, {"deleted": True}, {"deleted": False})
        for entity, record_id in targets])


def apply_writes(session: Session, *, writes: list[RecordWrites] | tuple[RecordWrites, ...],
                 backwards: bool = False) -> Changes:
    """Write the ``after`` values of each record (or ``before``, in reverse order, to undo).

    Undo and redo are new writes in the change log, not a rewind: they reach the other
    offices like any edit, and replace whatever each field held when they were made.
    """
    writer = ChangeWriter.for_session(session)
    touched = list(reversed(writes) if backwards else writes)
    for run in _runs(touched, backwards):
        entity = run[0].entity
        pairs = [(item.record_id, item.before if backwards else item.after) for item in run]
        for record_id, values in pairs:
            # Asked first: an erased record has no row left, and "it was erased" is what the
            # person needs to hear (and what drops the step from the undo history).
            writer.refuse_erased(entity, record_id, values)
        if len(run) == 1:
            record_id, values = pairs[0]
            row = load_row(session, entity, record_id, include_deleted=True)
            write_fields(session, writer, entity, record_id,
                         {name: value for name, value in values.items()
                          if row[name] != value or name in run[0].rewrite})
        else:
            _write_run(session, writer, entity, pairs,
                       {item.record_id: item.rewrite for item in run})
    return Changes(frozenset(w.entity for w in touched),
                   touched[0].record_id if touched else None,
                   tuple(w.record_id for w in touched))


def _runs(writes: list[RecordWrites], backwards: bool) -> list[list[RecordWrites]]:
    """Consecutive field writes to different records of one type (a merge undone: its
    references written back) grouped to be written at once; a delete or a merge record's
    write stays alone, in order."""
    def batchable(item: RecordWrites) -> bool:
        return item.entity != MERGE_ENTITY and "deleted" not in (
            item.before if backwards else item.after)

    runs: list[list[RecordWrites]] = []
    in_last: set[str] = set()  # the records of the last run (one write each in a run)
    for item in writes:
        last = runs[-1] if runs else None
        if (last and batchable(item) and batchable(last[0]) and last[0].entity == item.entity
                and item.record_id not in in_last):
            last.append(item)
        else:
            runs.append([item])
            in_last = set()
        in_last.add(item.record_id)
    return runs


def _write_run(session: Session, writer: ChangeWriter, entity: str,
               pairs: list[tuple[str, Mapping[str, Any]]],
               rewrites: Mapping[str, frozenset[str]]) -> None:
    """Field writes to many records of one type: rows read once, the log written at once."""
    table = model_for(entity).__table__
    kinds = field_map(entity)
    plan = row_plan(entity)
    ids = [record_id for record_id, _values in pairs]
    rows = {}
    for start in range(0, len(ids), 500):
        rows.update((row["id"], row) for row in session.execute(
            select(table).where(table.c.id.in_(ids[start:start + 500]))).mappings())
    logged = []
    for record_id, values in pairs:
        row = rows.get(record_id) or load_row(session, entity, record_id)  # (it raises)
        changed = {name: value for name, value in values.items()
                   if row[name] != value or name in rewrites[record_id]}
        if not changed:
            continue
        session.execute(update(table).where(table.c.id == record_id)
                        .values(**changed, **plan.sort_columns(changed)))
        logged.append((record_id, {name: to_json(kinds[name].kind, value)
                                   for name, value in changed.items()}))
    writer.write_many(entity, logged)
    search.reindex(session, entity, [record_id for record_id, _values in logged])


def needs_translation_of(entity: str, values: Mapping[str, Any],
                         heads: Mapping[str, list[Any]]) -> list[str]:
    """The fields of text pairs whose side needs translating, from the record's values and
    its fields' current writes (``current_writes``): empty while the other side has text,
    or older than the other side."""
    stale = []
    for polish, german in TEXT_PAIRS.get(entity, ()):
        found = side_needing_translation(
            values.get(polish), values.get(german),
            max((w["hlc"] for w in heads.get(polish, [])), default=0),
            max((w["hlc"] for w in heads.get(german, [])), default=0))
        if found is not None:
            stale.append(polish if found[0] == "pl" else german)
    return stale


def _with_translated_sides(entity: str, existing: Mapping[str, Any],
                           changed: dict[str, Any], heads: Mapping[str, list[Any]]
                           ) -> dict[str, Any]:
    """An edit of a side that needed translating is its translation: the other side is
    written again in the same action (one clock value), so the pair is in step."""
    stale = needs_translation_of(entity, existing, heads)
    result = dict(changed)
    for polish, german in TEXT_PAIRS.get(entity, ()):
        for edited, other in ((polish, german), (german, polish)):
            if (edited in changed and edited in stale and other not in changed
                    and existing.get(other) and changed[edited]):
                result[other] = existing[other]
    return result


def to_dto(entity: str, row: Any, *, heads: Mapping[str, list[Any]] | None = None,
           needs_translation: list[str] | None = None,
           ref_labels: Mapping[str, str] | None = None) -> RecordDTO:
    values = {"id": row["id"], **row_values(entity, row)}
    return RecordDTO(
        entity=entity, id=row["id"], label=record_label(entity, values), values=values,
        created_at=row["created_at"], deleted=bool(row["deleted"]),
        conflicts=tuple(sorted(f for f, writes in (heads or {}).items() if len(writes) > 1)),
        needs_translation=tuple(needs_translation or ()),
        ref_labels=ref_labels or {},
    )


def labels(session: Session, *, entity: str, record_ids: list[str]) -> dict[str, str]:
    """How each record is named (deleted ones too: an old reference still reads well).
    A record with no name of its own is named by the records it ties together: an
    initiative by its cluster, a membership by its organisation (or person) and cluster."""
    if not record_ids:
        return {}
    table = model_for(entity).__table__
    found: dict[str, str] = {}
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start:start + 500]
        rows = list(session.execute(select(table).where(table.c.id.in_(chunk))).mappings())
        parts = NAMED_BY.get(entity)
        if parts is None:
            for row in rows:
                found[row["id"]] = record_label(entity, {"id": row["id"],
                                                         **row_values(entity, row)})
            continue
        names = {(field, target): labels(session, entity=target, record_ids=sorted(
            {row[field] for row in rows if row[field]}))
            for part in parts for field, target in part}
        for row in rows:
            # Each part: the first of its alternatives that names something.
            named = [next((names[(field, target)][row[field]] for field, target in part
                           if row[field] in names[(field, target)]), "") for part in parts]
            found[row["id"]] = " – ".join(n for n in named if n) or record_label(
                entity, {"id": row["id"], **row_values(entity, row)})
    return found


# Records named by what they point at (see labels): the parts of the name in order, each
# the first of its alternatives that is set (an organisation, else a person).
NAMED_BY: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "initiative": ((("cluster_id", "cluster"),),),
    "membership": ((("organisation_id", "organisation"), ("contact_id", "contact")),
                   (("cluster_id", "cluster"),)),
}


def _ref_labels(session: Session, entity: str, rows: list[Mapping[str, Any]]
                ) -> list[dict[str, str]]:
    """For each row, the names of the records its reference fields point to."""
    refs = [f for f in fields_of(entity) if f.kind.is_reference]
    result: list[dict[str, str]] = [{} for _row in rows]
    for spec in refs:
        wanted: set[str] = set()
        for row in rows:
            value = row[spec.name]
            if value:
                wanted.update(value if spec.kind.is_list else [value])
        names = labels(session, entity=spec.ref, record_ids=sorted(wanted))
        for row, out in zip(rows, result, strict=True):
            value = row[spec.name]
            if value:
                ids = value if spec.kind.is_list else [value]
                out[spec.name] = ", ".join(names.get(i, i) for i in ids)
    return result


def as_json(record: RecordDTO) -> dict[str, Any]:
    """A record's values in their JSON form (dates as ISO text, money as decimal text)."""
    kinds = field_map(record.entity)
    return {
        "id": record.id,
        **{name: to_json(kinds[name].kind, value)
           for name, value in record.values.items() if name in kinds},
    }


def get(session: Session, *, entity: str, record_id: str) -> RecordDTO:
    """One record with its conflict and translation state."""
    row = load_row(session, entity, record_id)
    heads = current_writes(session, record_id)
    return to_dto(entity, row, heads=heads, needs_translation=needs_translation_of(
        entity, row, heads), ref_labels=_ref_labels(session, entity, [row])[0])


def get_many(session: Session, *, entity: str, record_ids: list[str]) -> list[RecordDTO]:
    """Records in the order of ``record_ids`` (a list page), with their references named."""
    table = model_for(entity).__table__
    rows = list(session.execute(select(table).where(table.c.id.in_(record_ids))).mappings())
    by_id = {row["id"]: to_dto(entity, row, ref_labels=refs)
             for row, refs in zip(rows, _ref_labels(session, entity, rows), strict=True)}
    return [by_id[i] for i in record_ids if i in by_id]


def order_column(entity: str, name: str | None):
    """The SQL expression a list sorts by: the sort key for names, the name of the record
    a reference points to, the column otherwise."""
    table = model_for(entity).__table__
    if name is None:
        sorted_names = sorted_fields(entity)
        name = sorted_names[0] if sorted_names else "created_at"
    if name in sorted_fields(entity):
        return table.c[f"{name}_sort"]
    if name not in table.c:
        raise ValidationError(_("Cannot sort by “{field}”.").format(field=name))
    spec = field_map(entity).get(name)
    if (spec is not None and spec.kind.is_reference and not spec.kind.is_list
            and sorted_fields(spec.ref)):
        target = model_for(spec.ref).__table__
        return (select(target.c[f"{sorted_fields(spec.ref)[0]}_sort"])
                .where(target.c.id == table.c[name]).scalar_subquery())
    return table.c[name]


def _ordered(query, order, table, descending: bool):
    """Sorted by ``order``, ties by id in the same direction (so an index serves both)."""
    if descending:
        return query.order_by(order.desc(), table.c.id.desc())
    return query.order_by(order, table.c.id)


def _raw_rows(session: Session, query) -> list[tuple]:
    """All rows of a query straight from the sqlite3 cursor: for 100,000 ids SQLAlchemy's
    row processing would cost more than the query itself."""
    compiled = query.compile(dialect=session.get_bind().dialect,
                             compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        return cursor.execute(str(compiled), params).fetchall()
    finally:
        cursor.close()


def ordered_rows(session: Session, *, entity: str, order_by: str | None = None,
                 descending: bool = False) -> list[tuple[int, str]]:
    """(rowid, id) of every live record in list order; a list keeps this per sort order
    and filters it by ``filter_rowids`` as the person types."""
    table = model_for(entity).__table__
    spec = field_map(entity).get(order_by or "")
    if (spec is not None and spec.kind.is_reference and not spec.kind.is_list
            and sorted_fields(spec.ref)):
        return _ordered_by_reference(session, entity, spec, descending)
    query = select(text("rowid"), table.c.id).select_from(table).where(
        table.c.deleted.is_(False))
    return _raw_rows(session, _ordered(query, order_column(entity, order_by), table,
                                       descending))


def _ordered_by_reference(session: Session, entity: str, spec: Any,
                          descending: bool) -> list[tuple[int, str]]:
    """Sorted by the name of the referenced record (contacts by organisation).

    SQLite would look up the organisation of each of 100,000 contacts and sort them in a
    temporary tree (about 0.4 s); instead the ids come in (reference, id) order from the
    list index and a stable sort by the reference's place among its kind's names keeps
    that id order within each organisation (about 0.08 s).
    """
    table = model_for(entity).__table__
    link = table.c[spec.name]
    query = _ordered(select(text("rowid"), table.c.id, link).select_from(table)
                     .where(table.c.deleted.is_(False)), link, table, descending)
    rows = _raw_rows(session, query)
    target = model_for(spec.ref).__table__
    names = _raw_rows(session, select(target.c.id).order_by(
        target.c[f"{sorted_fields(spec.ref)[0]}_sort"], target.c.id))
    place = {record_id: index for index, (record_id,) in enumerate(names)}
    # Records without a reference come first, as NULL sorts first in SQL.
    rows.sort(key=lambda row: place.get(row[2], -1), reverse=descending)
    return [(rowid, record_id) for rowid, record_id, _ref in rows]


def filter_rowids(session: Session, *, entity: str, filter_text: str) -> frozenset[int] | None:
    """The rowids of the live records matching a list's filter (None: no filter)."""
    if entity in search.ENTITY_NUMBERS:
        # The index holds live records only: no need to look at the table at all.
        return search.matching_rowids(session, entity, filter_text)
    clause = filter_clause(entity, filter_text)
    if clause is None:
        return None
    table = model_for(entity).__table__
    query = select(text("rowid")).select_from(table).where(table.c.deleted.is_(False), clause)
    return frozenset(rowid for (rowid,) in _raw_rows(session, query))


def filter_clause(entity: str, filter_text: str):
    """Rows matching what was typed in a list's filter field, folded like search."""
    if entity in search.ENTITY_NUMBERS:
        return search.filter_clause(entity, filter_text)
    folded = fold(filter_text.strip())
    if not folded:
        return None
    table = model_for(entity).__table__
    names = [f.name for f in fields_of(entity) if f.kind.filtered_as_text]
    if not names:
        return false()
    # Small tables outside the search index: a scan with the registered fold() is enough.
    pattern = "%" + folded.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return or_(*[func.fold(table.c[name]).like(pattern) for name in names])


def list_query(entity: str, *, filter_text: str = "", order_by: str | None = None,
               descending: bool = False, where: Mapping[str, Any] | None = None):
    """The SELECT of the ids of all live records in list order (filtered, sorted)."""
    table = model_for(entity).__table__
    conditions = [table.c.deleted.is_(False)]
    conditions += [table.c[name] == value for name, value in (where or {}).items()]
    clause = filter_clause(entity, filter_text)
    if clause is not None:
        conditions.append(clause)
    return _ordered(select(table.c.id).where(*conditions), order_column(entity, order_by),
                    table, descending)


def list_ids(session: Session, *, entity: str, filter_text: str = "",
             order_by: str | None = None, descending: bool = False,
             where: Mapping[str, Any] | None = None) -> list[str]:
    """The ids of all live records in list order (lazy lists fetch rows by page)."""
    query = list_query(entity, filter_text=filter_text, order_by=order_by,
                       descending=descending, where=where)
    return [record_id for (record_id,) in _raw_rows(session, query)]


def list_page(session: Session, *, entity: str, filter_text: str = "",
              order_by: str | None = None, descending: bool = False, offset: int = 0,
              limit: int | None = 100, where: Mapping[str, Any] | None = None) -> Page:
    """A page of live records, filtered and sorted in SQL."""
    table = model_for(entity).__table__
    conditions = [table.c.deleted.is_(False)]
    for name, value in (where or {}).items():
        conditions.append(table.c[name] == value)
    clause = filter_clause(entity, filter_text)
    if clause is not None:
        conditions.append(clause)
    total = session.execute(select(func.count()).select_from(table).where(*conditions)).scalar()
    query = _ordered(select(table).where(*conditions), order_column(entity, order_by), table,
                     descending).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).mappings()
    return Page(tuple(to_dto(entity, row) for row in rows), total)


def history(session: Session, *, entity: str, record_id: str) -> list[HistoryEntry]:
    """Who changed which field of a record, from which office and when (oldest first)."""
    load_row(session, entity, record_id, include_deleted=True)
    offices = dict(session.execute(
        select(Installation.__table__.c.id, Office.__table__.c.code)
        .join(Office.__table__, Office.__table__.c.id == Installation.__table__.c.office_id)
    ).all())
    advisor = model_for("advisor").__table__
    advisors = dict(session.execute(select(advisor.c.id, advisor.c.name)).all())
    entries = []
    by_id: dict[tuple[str, int], Any] = {}
    changes = field_history(session, record_id)
    if entity in MERGEABLE:
        changes = sorted([*changes, *_merge_history(session, entity, record_id)],
                         key=lambda c: (c["hlc"], c["installation_id"], c["seq"]))
    for change in changes:
        value = orjson.loads(change["value"])
        replaced = orjson.loads(change["replaces"])
        # A delete lists the other fields' writes it saw too: only its own field's count.
        old_values = [by_id[(i, s)][1] for i, s in replaced
                      if by_id.get((i, s), ("",))[0] == change["field"]]
        by_id[(change["installation_id"], change["seq"])] = (change["field"], value)
        entries.append(HistoryEntry(
            field=change["field"],
            old_value=old_values[0] if len(old_values) == 1 else (old_values or None),
            new_value=value,
            at_ms=change["hlc"] >> 16,
            installation_id=change["installation_id"],
            seq=change["seq"],
            office_code=offices.get(change["installation_id"]),
            author=advisors.get(change["author_id"]),
            current=bool(change["current"]),
        ))
    return entries


def _merge_history(session: Session, entity: str, record_id: str) -> list[dict[str, Any]]:
    """The merges that named a record, as entries of its History (field ``merge``): made
    (the value lists the survivor first, then the records merged into it), undone (empty)
    and made again."""
    merges = model_for("merge").__table__
    found = []
    for merge_id, survivor_id, merged_ids in session.execute(
            select(merges.c.id, merges.c.survivor_id, merges.c.merged_ids)
            .where(merges.c.record_type == entity)):
        if record_id != survivor_id and record_id not in (merged_ids or ()):
            continue
        named = orjson.dumps([survivor_id, *(merged_ids or ())]).decode()
        made = None
        for change in field_history(session, merge_id):
            if change["field"] == "survivor_id":
                made = change["hlc"]
                found.append({**change, "field": "merge", "value": named, "replaces": "[]"})
            elif change["field"] == "deleted" and change["hlc"] != made:
                found.append({**change, "field": "merge", "replaces": "[]",
                              "value": "null" if orjson.loads(change["value"]) else named})
    return found


def choices(session: Session, *, entity: str, text: str = "", limit: int = 30) -> list[SearchHit]:
    """Records a picker offers for what was typed, in list order, with a hint to tell
    namesakes apart (a person's organisation, an organisation's city)."""
    page = list_page(session, entity=entity, filter_text=text, limit=limit)
    if entity == "contact":
        names = labels(session, entity="organisation", record_ids=sorted(
            {r.values["organisation_id"] for r in page.rows if r.values["organisation_id"]}))
        return [SearchHit(entity, r.id, r.label, names.get(r.values["organisation_id"] or "", ""))
                for r in page.rows]
    detail_field = {"organisation": "city", "cluster": "region", "event": "place"}.get(entity)
    return [SearchHit(entity, r.id, r.label,
                      str(value_labels(entity, detail_field, r.values.get(detail_field)) or "")
                      if detail_field else "")
            for r in page.rows]


def check_values(session: Session, *, entity: str, values: Mapping[str, Any]) -> None:
    """Refuse what a save would refuse for these fields, without writing anything (a row
    of a form checked before the whole form is saved)."""
    clean_values(session, entity, values, existing={})
