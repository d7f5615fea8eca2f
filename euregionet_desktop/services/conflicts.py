"""Conflicts: fields whose current writes disagree after a merge, and deletes concurrent
with an edit; and settling one with a new write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from euregionet_desktop.i18n import _
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.records import labels, load_row, row_values, write_fields
from euregionet_desktop.services.values import clean_values
from euregionet_desktop.storage.fields import field_map
from euregionet_desktop.storage.models import Advisor, Change, Installation, Office
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.changelog import ChangeWriter

CHANGES = Change.__table__


@dataclass(frozen=True)
class ConflictWrite:
    value: Any  # JSON form
    author: str | None
    office_code: str | None
    at_ms: int
    winner: bool


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
# per installation the newest current write to another field made later by the clock,
# which the deleting office cannot have seen (nobody edits a record deleted in front of
# them; a restore replaces the delete). An edit made earlier by the clock but not yet seen
# is not detected: the hybrid clock tells "after", not "concurrent".
_EDITED_AFTER_DELETE = """
SELECT d.record_id, d.entity, d.installation_id, d.author_id, d.hlc,
       e.installation_id AS e_installation, e.author_id AS e_author, max(e.hlc) AS e_hlc
FROM change_log AS d JOIN change_log AS e
  ON e.record_id = d.record_id AND e.current = 1 AND e.field NOT IN ('deleted', '')
  AND e.hlc > d.hlc
WHERE d.current = 1 AND d.field = 'deleted' AND d.value = 'true' AND NOT EXISTS (
  SELECT 1 FROM change_log AS w WHERE w.record_id = d.record_id AND w.field = 'deleted'
  AND w.current = 1 AND (w.hlc > d.hlc OR (w.hlc = d.hlc AND w.installation_id > d.installation_id)))
GROUP BY d.record_id, e.installation_id
ORDER BY d.record_id, e_hlc DESC, e_installation DESC
"""


def conflict_count(session: Session, *, record_ids: set[str] | None = None) -> int:
    """Fields in conflict, in all records or in ``record_ids`` only."""
    if record_ids is None:
        fields = set(session.execute(text(_CONFLICTED)).all())
        deletes = {(row.record_id, "deleted")
                   for row in session.execute(text(_EDITED_AFTER_DELETE))}
        return len(fields | deletes)
    found: set[tuple[str, str]] = set()
    ids = sorted(record_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        params = {f"r{n}": record_id for n, record_id in enumerate(chunk)}
        found.update((r, f) for r, f in session.execute(text(_CONFLICTED.replace(
            "WHERE current = 1", f"WHERE current = 1 AND record_id IN ({marks})")), params))
        found.update((row.record_id, "deleted") for row in session.execute(text(
            _EDITED_AFTER_DELETE.replace(
                "WHERE d.current = 1", f"WHERE d.record_id IN ({marks}) AND d.current = 1")),
            params))
    return len(found)


def conflicts(session: Session) -> list[Conflict]:
    """Every field whose current writes disagree, and every delete concurrent with an
    edit (as a conflict of ``deleted``: true, or false to keep the edited record); the
    provisional winner first."""
    keys_found = session.execute(text(_CONFLICTED + " ORDER BY record_id, field")).all()
    offices = dict(session.execute(select(Installation.id, Office.code).join(
        Office, Office.id == Installation.office_id)).all())
    advisors = dict(session.execute(select(Advisor.id, Advisor.name)).all())

    def write(value: Any, author: str | None, installation: str, hlc: int,
              winner: bool) -> ConflictWrite:
        return ConflictWrite(value, advisors.get(author), offices.get(installation),
                             clock.wall_time_ms(hlc), winner)

    result = []
    for record_id, name in keys_found:
        rows = session.execute(select(CHANGES).where(
            CHANGES.c.record_id == record_id, CHANGES.c.field == name,
            CHANGES.c.current.is_(True)).order_by(
            CHANGES.c.hlc.desc(), CHANGES.c.installation_id.desc())).mappings().all()
        entity = rows[0]["entity"]
        spec = field_map(entity).get(name)
        label = labels(session, entity=entity, record_ids=[record_id]).get(record_id, record_id)
        result.append(Conflict(entity, record_id, label, name,
                               _(spec.label) if spec else _("Deleted"), tuple(
            write(orjson.loads(r["value"]), r["author_id"], r["installation_id"], r["hlc"],
                  index == 0) for index, r in enumerate(rows))))
    listed = {(c.record_id, c.field) for c in result}
    edited: dict[str, list[Any]] = {}
    for row in session.execute(text(_EDITED_AFTER_DELETE)):
        if (row.record_id, "deleted") not in listed:
            edited.setdefault(row.record_id, []).append(row)
    for record_id, rows in edited.items():
        first = rows[0]
        label = labels(session, entity=first.entity, record_ids=[record_id]).get(
            record_id, record_id)
        result.append(Conflict(first.entity, record_id, label, "deleted", _("Deleted"), (
            write(True, first.author_id, first.installation_id, first.hlc, True),
            *(write(False, r.e_author, r.e_installation, r.e_hlc, False) for r in rows))))
    result.sort(key=lambda c: (c.record_id, c.field))
    return result


def resolve(session: Session, *, entity: str, record_id: str, field_name: str,
            value: Any) -> Changes:
    """Settle a conflict with one value (picked or typed): a new write replacing all."""
    row = load_row(session, entity, record_id, include_deleted=True)
    if field_name == "deleted":
        clean = {"deleted": bool(value)}
    else:
        # The JSON form of a write (ISO dates, decimal text) is also what a person types.
        clean = clean_values(session, entity, {field_name: value},
                             existing=row_values(entity, row))
    # Written even when equal to the shown value: the write replaces every current one.
    write_fields(session, ChangeWriter.for_session(session), entity, record_id, clean)
    return Changes(frozenset({entity}), record_id, (record_id,))
