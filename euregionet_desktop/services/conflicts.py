"""Conflicts: fields whose current writes disagree after a merge, and deletes concurrent
with an edit or with a record added under the deleted one; and settling one with a new
write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import LANGUAGES, N_, _, translation
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.records import labels, load_row, row_values, write_fields
from euregionet_desktop.services.relation_table import CASCADES
from euregionet_desktop.services.values import clean_values, entity_label
from euregionet_desktop.storage.fields import field_map, model_for
from euregionet_desktop.storage.models import Advisor, Change, Installation, Office
from euregionet_desktop.sync import clock
from euregionet_desktop.sync import redirects as redirecting
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.erasure import erased_records
from euregionet_desktop.sync.merge import read_as

CHANGES = Change.__table__

# The two ways to settle a conflict of ``deleted`` (what ``resolve`` accepts besides
# true/false, in any of the languages).
KEEP_DELETED = N_("keep deleted")
RESTORE_WITH_EDIT = N_("restore with the edit")


@dataclass(frozen=True)
class ConflictWrite:
    value: Any  # JSON form
    author: str | None
    office_code: str | None
    at_ms: int
    winner: bool
    # For a conflict of ``deleted``: the choice this write stands for ("keep deleted",
    # "restore with the edit"), and what the write is (the fields edited, the record added).
    choice: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Conflict:
    entity: str
    record_id: str
    record_label: str
    field: str
    field_label: str
    writes: tuple[ConflictWrite, ...]


# A field is in conflict when its current writes hold different values (two offices
# typing the same value concurrently agree; there is nothing to choose).
_CONFLICTED = ("SELECT record_id, field FROM change_log WHERE current = 1 "
               "GROUP BY record_id, field HAVING count(DISTINCT value) > 1")
# A delete concurrent with an edit (DESIGN §4): the record's winning current delete, and
# per installation the newest current write to another field that no current delete of the
# record saw. A delete lists the current write of every field it saw (sync.changelog), so
# an edit it does not list had not reached the deleting office: concurrent, whichever clock
# is ahead. (An edit made after the delete by an office that had received it, such as an
# undo on a deleted record, is listed too: the log cannot tell it from a concurrent one.)
_UNSEEN_EDITS = """
SELECT d.record_id, d.entity, d.installation_id, d.author_id, d.hlc,
       e.installation_id AS e_installation, e.author_id AS e_author, max(e.hlc) AS e_hlc,
       group_concat(e.field, ' ') AS e_fields
FROM change_log AS d JOIN change_log AS e
  ON e.record_id = d.record_id AND e.current = 1 AND e.field NOT IN ('deleted', '')
WHERE d.current = 1 AND d.field = 'deleted' AND d.value = 'true' AND NOT EXISTS (
  SELECT 1 FROM change_log AS w WHERE w.record_id = d.record_id AND w.field = 'deleted'
  AND w.current = 1 AND (w.hlc > d.hlc OR (w.hlc = d.hlc AND w.installation_id > d.installation_id)))
AND NOT EXISTS (
  SELECT 1 FROM change_log AS s, json_each(s.replaces) AS p
  WHERE s.record_id = d.record_id AND s.field = 'deleted' AND s.current = 1
  AND s.value = 'true' AND json_extract(p.value, '$[0]') = e.installation_id
  AND json_extract(p.value, '$[1]') = e.seq)
GROUP BY d.record_id, e.installation_id
ORDER BY d.record_id, e_hlc DESC, e_installation DESC
"""
# Per child entity, its fields that point at a parent it cannot stand without.
_PARENTS: dict[str, tuple[tuple[str, str], ...]] = {}
for _parent, _links in CASCADES.items():
    for _child, _column in _links:
        _PARENTS[_child] = (*_PARENTS.get(_child, ()), (_column, _parent))


def _apart(session: Session, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (record, field) pairs among ``keys`` (current writes with different values)
    whose values still differ as they read: a reference to an erased person reads empty,
    so "pointed at the erased person" and "emptied" leave nothing to choose; references to
    records merged since read as the record kept, so "this person" and "the duplicate
    merged into this person" leave nothing to choose either."""
    keys = set(keys)
    erased = erased_records(session)
    found = redirecting.redirects(session)
    if not (erased or found) or not keys:
        return keys
    values: dict[tuple[str, str], set[bytes]] = defaultdict(set)
    for record_id, entity, name, value in session.execute(
            select(CHANGES.c.record_id, CHANGES.c.entity, CHANGES.c.field, CHANGES.c.value)
            .where(CHANGES.c.current.is_(True),
                   CHANGES.c.record_id.in_(sorted({r for r, _f in keys})))):
        if (record_id, name) in keys:
            read = {name: read_as(entity, name, orjson.loads(value), erased)}
            if found:
                redirecting.redirect_values(entity, read, found)
            values[(record_id, name)].add(orjson.dumps(read[name],
                                                       option=orjson.OPT_SORT_KEYS))
    return {key for key in keys if len(values[key]) > 1}


def _in(column: str, ids: list[str]) -> tuple[str, dict[str, str]]:
    marks = ", ".join(f":r{n}" for n in range(len(ids)))
    return f"{column} IN ({marks})", {f"r{n}": record_id for n, record_id in enumerate(ids)}


def _unseen_edits(session: Session, ids: list[str] | None = None) -> list[Any]:
    if ids is None:
        return list(session.execute(text(_UNSEEN_EDITS)))
    rows = []
    for start in range(0, len(ids), 500):
        clause, params = _in("d.record_id", ids[start:start + 500])
        rows += session.execute(text(_UNSEEN_EDITS.replace(
            "WHERE d.current = 1", f"WHERE {clause} AND d.current = 1")), params)
    return rows


def _orphans(session: Session) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(parent entity, id) -> (child entity, id) of every live record whose parent, one it
    cannot stand without, is deleted: added (or restored) where the delete had not arrived,
    so the delete's cascade did not take it."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for parent, links in CASCADES.items():
        parents = model_for(parent).__table__.name
        for child, column in links:
            children = model_for(child).__table__.name
            for parent_id, child_id in session.execute(text(
                    f"SELECT p.id, c.id FROM {children} AS c JOIN {parents} AS p "
                    f"ON p.id = c.{column} WHERE c.deleted = 0 AND p.deleted = 1 "
                    f"ORDER BY p.id, c.id")):
                found[(parent, parent_id)].append((child, child_id))
    return found


def conflict_count(session: Session, *, record_ids: set[str] | None = None,
                   arrived: set[str] | None = None) -> int:
    """Fields in conflict, in all records or in ``record_ids`` only; with ``arrived`` (the
    records an import touched), also each deleted parent with a live record under it where
    either arrived (once: a parent new here had its own conflicts counted as it merged)."""
    if record_ids is None:
        fields = _apart(session, session.execute(text(_CONFLICTED)).all())
        deletes = {(row.record_id, "deleted") for row in _unseen_edits(session)}
        orphans = {(parent_id, "deleted") for _e, parent_id in _orphans(session)}
        return len(fields | deletes | orphans)
    found: set[tuple[str, str]] = set()
    ids = sorted(record_ids)
    for start in range(0, len(ids), 500):
        clause, params = _in("record_id", ids[start:start + 500])
        found.update(_apart(session, session.execute(text(_CONFLICTED.replace(
            "WHERE current = 1", f"WHERE current = 1 AND {clause}")), params)))
    found.update((row.record_id, "deleted") for row in _unseen_edits(session, ids))
    if arrived:
        parents = {parent_id for (_e, parent_id), children in _orphans(session).items()
                   if parent_id in arrived or any(i in arrived for _c, i in children)}
        fresh = sorted((parents & arrived) - record_ids)
        if fresh:  # new here: a conflict of their own was counted as they merged
            clause, params = _in("record_id", fresh)
            counted = {r for r, _f in session.execute(text(_CONFLICTED.replace(
                "WHERE current = 1", f"WHERE current = 1 AND field = 'deleted' AND {clause}")),
                params)}
            counted.update(row.record_id for row in _unseen_edits(session, fresh))
            parents -= counted
        found.update((parent_id, "deleted") for parent_id in parents)
    return len(found)


def _choice(value: Any) -> str:
    return _(KEEP_DELETED) if value is True else _(RESTORE_WITH_EDIT)


def conflicts(session: Session) -> list[Conflict]:
    """Every field whose current writes disagree, and every delete concurrent with an
    edit or with a record added under it (as a conflict of ``deleted``: true to keep it
    deleted, false to restore it with the edit); the provisional winner first."""
    keys_found = sorted(_apart(session, session.execute(text(_CONFLICTED)).all()))
    erased = erased_records(session)
    offices = dict(session.execute(select(Installation.id, Office.code).join(
        Office, Office.id == Installation.office_id)).all())
    advisors = dict(session.execute(select(Advisor.id, Advisor.name)).all())

    def write(value: Any, author: str | None, installation: str, hlc: int,
              winner: bool, detail: str = "", *, choice: bool = False) -> ConflictWrite:
        return ConflictWrite(value, advisors.get(author), offices.get(installation),
                             clock.wall_time_ms(hlc), winner,
                             _choice(value) if choice else "", detail)

    def current(record_id: str, name: str) -> list[Any]:
        return session.execute(select(CHANGES).where(
            CHANGES.c.record_id == record_id, CHANGES.c.field == name,
            CHANGES.c.current.is_(True)).order_by(
            CHANGES.c.hlc.desc(), CHANGES.c.installation_id.desc())).mappings().all()

    result = []
    for record_id, name in keys_found:
        rows = current(record_id, name)
        entity = rows[0]["entity"]
        spec = field_map(entity).get(name)
        label = labels(session, entity=entity, record_ids=[record_id]).get(record_id, record_id)
        result.append(Conflict(entity, record_id, label, name,
                               _(spec.label) if spec else _("Deleted"), tuple(
            write(read_as(entity, name, orjson.loads(r["value"]), erased), r["author_id"],
                  r["installation_id"], r["hlc"], index == 0, choice=name == "deleted")
            for index, r in enumerate(rows))))
    listed = {(c.record_id, c.field) for c in result}
    against: dict[str, list[ConflictWrite]] = defaultdict(list)  # record -> the other side
    entities: dict[str, str] = {}
    for row in _unseen_edits(session):
        if (row.record_id, "deleted") in listed:
            continue
        kinds = field_map(row.entity)
        names = sorted(set(row.e_fields.split()), key=lambda n: list(kinds).index(n)
                       if n in kinds else len(kinds))
        against[row.record_id].append(write(
            False, row.e_author, row.e_installation, row.e_hlc, False,
            _("edited: {fields}").format(fields=", ".join(
                _(kinds[n].label) if n in kinds else n for n in names)), choice=True))
        entities[row.record_id] = row.entity
    for (parent, parent_id), children in sorted(_orphans(session).items()):
        if (parent_id, "deleted") in listed:
            continue
        entities[parent_id] = parent
        for child, child_id in children:
            newest = session.execute(select(CHANGES).where(
                CHANGES.c.record_id == child_id, CHANGES.c.current.is_(True)).order_by(
                CHANGES.c.hlc.desc(), CHANGES.c.installation_id.desc())).mappings().first()
            name = labels(session, entity=child, record_ids=[child_id]).get(child_id, child_id)
            detail = _("{entity} “{label}” still there").format(
                entity=entity_label(child), label=name or child_id)
            if newest is not None:
                against[parent_id].append(write(False, newest["author_id"],
                                                newest["installation_id"], newest["hlc"],
                                                False, detail, choice=True))
    for record_id, others in against.items():
        entity = entities[record_id]
        deletes = current(record_id, "deleted")
        if not others or not deletes:
            continue
        delete = deletes[0]
        label = labels(session, entity=entity, record_ids=[record_id]).get(
            record_id, record_id)
        result.append(Conflict(entity, record_id, label, "deleted", _("Deleted"), (
            write(True, delete["author_id"], delete["installation_id"], delete["hlc"], True,
                  choice=True), *others)))
    result.sort(key=lambda c: (c.record_id, c.field))
    return result


def delete_choice(value: Any) -> bool:
    """True to keep a record deleted, False to restore it: true/false, or the words of
    either choice in any of the programme's languages (hyphens and case do not matter)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        typed = " ".join(value.replace("-", " ").replace("_", " ").split()).casefold()
        for result, words in ((True, KEEP_DELETED), (False, RESTORE_WITH_EDIT)):
            accepted = {words, words.split()[0]} | {
                translation(language).gettext(words).casefold() for language in LANGUAGES}
            if typed in accepted:
                return result
    raise ValidationError(_("A conflict of “Deleted” is settled with “{keep}” or "
                            "“{restore}”.").format(keep=_(KEEP_DELETED),
                                                   restore=_(RESTORE_WITH_EDIT)))


def _delete_action(session: Session, record_id: str) -> tuple[str, int] | None:
    """(installation, clock reading) of the record's winning current delete: one user
    action, one writer, so the same pair marks every record that action deleted."""
    found = session.execute(select(CHANGES.c.installation_id, CHANGES.c.hlc).where(
        CHANGES.c.record_id == record_id, CHANGES.c.field == "deleted",
        CHANGES.c.current.is_(True), CHANGES.c.value == "true").order_by(
        CHANGES.c.hlc.desc(), CHANGES.c.installation_id.desc())).first()
    return None if found is None else (found.installation_id, found.hlc)


def _to_delete(session: Session, entity: str, record_id: str) -> list[tuple[str, str]]:
    """The record and, depth first, the records under it: the live ones (added where the
    delete had not arrived) and those its delete took with it (deleted again, now having
    seen their edits)."""
    action = _delete_action(session, record_id)
    found = [(entity, record_id)]
    for child, column in CASCADES.get(entity, ()):
        table = model_for(child).__table__
        for child_id, deleted in session.execute(select(table.c.id, table.c.deleted).where(
                table.c[column] == record_id).order_by(table.c.id)):
            if not deleted or (action is not None
                               and _delete_action(session, child_id) == action):
                found.extend(_to_delete(session, child, child_id))
    return found


def _to_restore(session: Session, entity: str, record_id: str) -> list[tuple[str, str]]:
    """The record, the records the same delete removed with it (its cascade, or the parent
    whose cascade took it), and the deleted parents it cannot stand without: restoring
    leaves no record pointing at a deleted parent."""
    found: list[tuple[str, str]] = []
    todo = [(entity, record_id)]
    while todo:
        item = todo.pop(0)
        if item in found:
            continue
        kind, item_id = item
        table = model_for(kind).__table__
        row = session.execute(select(table).where(table.c.id == item_id)).mappings().first()
        if row is None or (found and not row["deleted"]):
            continue  # erased, or standing
        found.append(item)
        action = _delete_action(session, item_id)
        if action is not None:
            todo += [(e, i) for e, i in session.execute(
                select(CHANGES.c.entity, CHANGES.c.record_id).where(
                    CHANGES.c.installation_id == action[0], CHANGES.c.hlc == action[1],
                    CHANGES.c.field == "deleted", CHANGES.c.current.is_(True),
                    CHANGES.c.value == "true").order_by(CHANGES.c.seq))]
        todo += [(parent, row[column]) for column, parent in _PARENTS.get(kind, ())
                 if row[column]]
    return found


def resolve(session: Session, *, entity: str, record_id: str, field_name: str,
            value: Any) -> Changes:
    """Settle a conflict with one value (picked or typed): a new write replacing all.

    For ``deleted``: keeping the record deleted deletes it again (a delete that has seen
    every edit) with the records under it, live or taken by its delete; restoring it
    brings back what the delete removed, edits included, and any deleted parent it needs.
    """
    row = load_row(session, entity, record_id, include_deleted=True)
    writer = ChangeWriter.for_session(session)
    if field_name == "deleted":
        keep = delete_choice(value)
        targets = (_to_delete if keep else _to_restore)(session, entity, record_id)
        for target_entity, target_id in targets:
            # Written even when equal to the shown value: the write replaces every current one.
            write_fields(session, writer, target_entity, target_id, {"deleted": keep})
        return Changes(frozenset(e for e, _i in targets), record_id,
                       tuple(i for _e, i in targets))
    # The JSON form of a write (ISO dates, decimal text) is also what a person types.
    clean = clean_values(session, entity, {field_name: value},
                         existing=row_values(entity, row))
    # Written even when equal to the shown value: the write replaces every current one.
    write_fields(session, writer, entity, record_id, clean)
    return Changes(frozenset({entity}), record_id, (record_id,))
