"""Possible duplicates: the candidate pairs of a kind of record, the check while a form is
typed, and the "not a duplicate" decision that travels (issue 17; scores: domain.matching).

How candidates are found without comparing all pairs:

- The full scan (``candidates``) puts records into blocks by their keys and scores only
  records sharing a block. Contacts sharing an e-mail or a number (phone or mobile, either
  way round) are grouped in SQL, through the indexes of migration 0008 (``lower(email)``,
  the live-row indexes of phone and mobile), and only the groups come back; names must be
  folded in Python (SQLite's ``lower``/``LIKE`` fold ASCII only), so a contact's name
  (within its organisation) and an organisation's or cluster's keys (tax key, REGON's
  9-digit firm part so a 14-digit local unit meets its firm, KRS, register entry, web
  domain, the folded words of the name without legal forms) are blocked in one pass over
  the few columns they are made of. A block larger than ``MAX_BLOCK`` is too common to say
  anything (a switchboard number, "Stadtwerke") and is skipped.
- The while-typing check (``possible_duplicates``) looks the typed identifiers, e-mail and
  phones up through the indexes of migration 0008 (``lower(email)`` on both sides) and the
  name through the full-text index over folded text that every write already keeps
  (storage.search), so there is no second index of names to keep in step; the few records
  found are then scored. A local table of keys would have to be kept at every write path
  (bundle import, CSV import, demo data, merges, erasure) and would slow bulk imports.

A "not a duplicate" decision is a synced record (``duplicate_decision``) naming the pair in
ascending order: it travels in bundles, so the pair is hidden at every office.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.domain import matching, validation
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, fts_query
from euregionet_desktop.services.dto import Changes, RecordWrites, UndoStep
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.services.records import insert_record, load_row
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage import search
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.sync.changelog import ChangeWriter

ENTITIES = ("organisation", "contact", "cluster")
DECISION = "duplicate_decision"
# The decision's field holding the pair, per kind of record.
DECISION_FIELDS = {"organisation": "organisation_ids", "contact": "contact_ids",
                   "cluster": "cluster_ids"}
MAX_BLOCK = 100  # records sharing one key beyond which the key says nothing
NAME_LOOKUP_LIMIT = 200  # records found by name while typing, scored at most

_COLUMNS = {
    "organisation": ("name", "city", "country", "nip", "regon", "krs", "vat_id",
                     "register_number", "website"),
    "contact": ("title", "first_name", "last_name", "organisation_id", "email", "phone",
                "mobile"),
    "cluster": ("name_pl", "name_de"),
}
# The form fields a reason is about (where the form shows the warning).
REASON_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "organisation": {"tax_id": ("nip", "vat_id"), "regon": ("regon",), "krs": ("krs",),
                     "register": ("register_number",), "website": ("website",),
                     "name_city": ("name",), "same_name_city": ("name",), "name": ("name",),
                     "same_name": ("name",)},
    "contact": {"email": ("email",), "phone": ("phone", "mobile"),
                "name_organisation": ("last_name",), "name": ("last_name",),
                "same_name": ("last_name",)},
    "cluster": {"name": ("name_pl", "name_de"), "same_name": ("name_pl", "name_de")},
}


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that may be one; ``group``: every record linked to them by candidate
    pairs (more than two when several records share a key), ids sorted."""

    entity: str
    ids: tuple[str, str]
    labels: tuple[str, str]
    score: int
    reasons: tuple[str, ...]  # translated, strongest first
    reason_codes: tuple[str, ...]  # domain.matching.REASONS keys
    group: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateHit:
    """A stored record that what is being typed may duplicate."""

    entity: str
    id: str
    label: str
    score: int
    reasons: tuple[str, ...]
    reason_codes: tuple[str, ...]
    fields: tuple[str, ...]  # the form fields the match is about


def check_entity(entity: str) -> None:
    if entity not in ENTITIES:
        raise ValidationError(_(
            "Duplicates are looked for among organisations, contact persons and clusters, "
            "not “{name}”.").format(name=entity))


def _keys_of(entity: str) -> Callable[[Mapping[str, Any]], Any]:
    return {"organisation": matching.stored_organisation_keys,
            "contact": matching.stored_contact_keys,
            "cluster": matching.cluster_keys}[entity]


def _score(entity: str) -> Callable[[Any, Any], matching.Match | None]:
    return {"organisation": matching.score_organisations, "contact": matching.score_contacts,
            "cluster": matching.score_clusters}[entity]


def _block_keys(entity: str, keys: Any) -> Iterable[tuple[str, ...]]:
    if entity == "organisation":
        for name, value in (("tax", keys.tax), ("regon", keys.regon), ("krs", keys.krs),
                            ("register", keys.register), ("web", keys.domain)):
            if value:
                yield name, value
    for key in matching.name_keys(keys.names):
        yield "name", key


# Contacts sharing an e-mail (SQLite's lower(), the index of migration 0008), and numbers
# used more than once as a phone or mobile (or as one's phone and another's mobile), read
# from the live-row indexes of phone and mobile: grouped in SQL, only the groups come back.
_EMAIL_GROUPS = ("SELECT group_concat(id, ' ') FROM contact WHERE deleted IS 0 "
                 "AND email IS NOT NULL GROUP BY lower(email) HAVING count(*) > 1")
_SHARED_NUMBERS = (
    "SELECT phone FROM contact WHERE deleted IS 0 AND phone IS NOT NULL "
    "GROUP BY phone HAVING count(*) > 1",
    "SELECT mobile FROM contact WHERE deleted IS 0 AND mobile IS NOT NULL "
    "GROUP BY mobile HAVING count(*) > 1",
    "SELECT a.mobile FROM contact a WHERE a.deleted IS 0 AND a.mobile IS NOT NULL AND "
    "EXISTS (SELECT 1 FROM contact b WHERE b.deleted IS 0 AND b.phone = a.mobile "
    "AND b.id != a.id)",
)


def _number_groups(session: Session) -> Iterable[list[str]]:
    numbers = sorted({n for sql in _SHARED_NUMBERS for n in session.execute(text(sql)).scalars()})
    table = model_for("contact").__table__
    holders: dict[str, set[str]] = defaultdict(set)
    for start in range(0, len(numbers), 400):
        chunk = numbers[start:start + 400]
        wanted = set(chunk)
        for record_id, phone, mobile in session.execute(
                select(table.c.id, table.c.phone, table.c.mobile).where(
                    table.c.deleted.is_(False),
                    table.c.phone.in_(chunk) | table.c.mobile.in_(chunk))):
            for number in (phone, mobile):
                if number in wanted:
                    holders[number].add(record_id)
    return [sorted(ids) for ids in holders.values()]


def _rows(session: Session, entity: str, where=None) -> dict[str, Mapping[str, Any]]:
    table = model_for(entity).__table__
    query = select(table.c.id, *(table.c[name] for name in _COLUMNS[entity])).where(
        table.c.deleted.is_(False))
    if where is not None:
        query = query.where(where)
    return {row["id"]: row for row in session.execute(query).mappings()}


def decided_pairs(session: Session, entity: str) -> set[frozenset[str]]:
    """The pairs people said are not duplicates (live decisions)."""
    table = model_for(DECISION).__table__
    column = table.c[DECISION_FIELDS[entity]]
    return {frozenset(ids) for ids in session.execute(
        select(column).where(table.c.deleted.is_(False), column.is_not(None))).scalars()
        if ids and len(set(ids)) == 2}


def _translated(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(_(matching.REASONS[code]) for code in codes)


def _groups(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = defaultdict(list)
    for item in parent:
        members[root(item)].append(item)
    return {item: tuple(sorted(members[root(item)])) for item in parent}


def _blocks(session: Session, entity: str) -> dict[tuple[str, ...], list[str]]:
    table = model_for(entity).__table__
    blocks: dict[tuple[str, ...], list[str]] = defaultdict(list)
    if entity == "contact":
        for (ids,) in session.execute(text(_EMAIL_GROUPS)):
            blocks[("email", ids, "")] = ids.split(" ")
        for number, ids in enumerate(_number_groups(session)):
            blocks[("phone", str(number), "")] = ids
        # A name blocks only within its organisation (a name alone is no duplicate:
        # matching.score_contacts); names are folded here, SQLite cannot.
        named = session.execute(
            select(table.c.id, table.c.first_name, table.c.last_name, table.c.organisation_id)
            .where(table.c.deleted.is_(False), table.c.organisation_id.is_not(None)))
        person_keys = matching.person_name_keys
        for record_id, first, last, organisation in named:
            for key in person_keys(first, last):
                blocks[(key, organisation)].append(record_id)
        return blocks
    make_keys = _keys_of(entity)
    for record_id, row in _rows(session, entity).items():
        for block in _block_keys(entity, make_keys(row)):
            blocks[block].append(record_id)
    return blocks


def candidates(session: Session, *, entity: str, limit: int | None = None) -> list[DuplicatePair]:
    """The candidate pairs of a kind of record, best first (then by labels), without the
    pairs decided "not a duplicate"."""
    check_entity(entity)
    seen: set[tuple[str, str]] = set()
    for members in _blocks(session, entity).values():
        if 1 < len(members) <= MAX_BLOCK:
            ordered = sorted(set(members))
            seen.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    decided = decided_pairs(session, entity)
    pairs = sorted(pair for pair in seen if frozenset(pair) not in decided)
    rows = _rows_of(session, entity, {record_id for pair in pairs for record_id in pair})
    make_keys, score = _keys_of(entity), _score(entity)
    keys = {record_id: make_keys(row) for record_id, row in rows.items()}
    found: list[tuple[tuple[str, str], matching.Match]] = []
    for pair in pairs:
        match = score(keys[pair[0]], keys[pair[1]])
        if matching.is_candidate(match):
            found.append((pair, match))
    groups = _groups(pair for pair, _match in found)
    labels = {record_id: record_label(entity, rows[record_id])
              for pair, _match in found for record_id in pair}
    result = [DuplicatePair(entity, pair, (labels[pair[0]], labels[pair[1]]), match.score,
                            _translated(match.reasons), match.reasons, groups[pair[0]])
              for pair, match in found]
    result.sort(key=lambda p: (-p.score, p.labels, p.ids))
    return result if limit is None else result[:limit]


def _rows_of(session: Session, entity: str, ids: Iterable[str]) -> dict[str, Mapping[str, Any]]:
    """The rows of these live records (read in chunks: SQLite limits bound parameters)."""
    table = model_for(entity).__table__
    ordered, rows = sorted(ids), {}
    for start in range(0, len(ordered), 500):
        rows.update(_rows(session, entity, table.c.id.in_(ordered[start:start + 500])))
    return rows


# --- While typing -------------------------------------------------------------------------


def _typed_keys(entity: str, values: Mapping[str, Any]) -> Any:
    clean = {name: (value.strip() if isinstance(value, str) else value)
             for name, value in values.items() if value not in (None, "")}
    if entity == "organisation":
        return matching.organisation_keys(clean)
    if entity == "contact":
        return matching.contact_keys(clean)
    return matching.cluster_keys(clean)


def _stored_register(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return validation.handelsregister(value, field="register_number", label="")
    except ValidationError:
        return None


def _by_name(session: Session, entity: str, names: Iterable[str]) -> set[str]:
    """Ids of records whose indexed words start with every word of one of the names."""
    table = model_for(entity).__table__
    low, high = search.fts_rowid(entity, 0), search.fts_rowid(entity, (1 << 40) - 1)
    found: set[str] = set()
    for name in names:
        expression = fts_query(name)
        if expression is None:
            continue
        rowids = session.execute(text(
            "SELECT rowid - :low FROM search_index WHERE search_index MATCH :q "
            "AND rowid BETWEEN :low AND :high LIMIT :limit"),
            {"q": expression, "low": low, "high": high, "limit": NAME_LOOKUP_LIMIT}).scalars()
        rowids = list(rowids)
        if rowids:
            found.update(session.execute(select(table.c.id).where(
                text("rowid IN ({})".format(",".join(str(int(r)) for r in rowids))))).scalars())
    return found


def _lookup(session: Session, entity: str, keys: Any, values: Mapping[str, Any]) -> set[str]:
    table = model_for(entity).__table__
    c = table.c
    conditions = []
    if entity == "organisation":
        if keys.tax:
            conditions.append(c.vat_id == keys.tax)
            if keys.tax.startswith("PL"):
                conditions.append(c.nip == keys.tax[2:])
        if keys.regon:
            conditions.append(c.regon.between(keys.regon, keys.regon + "99999"))
        if keys.krs:
            conditions.append(c.krs == keys.krs)
        register = _stored_register(values.get("register_number"))
        if register:
            conditions.append(c.register_number == register)
        if keys.domain:
            for scheme in ("http://", "https://", "http://www.", "https://www."):
                start = scheme + keys.domain
                conditions.append(c.website.between(start, start + "\uffff"))
    elif entity == "contact":
        if keys.emails:
            conditions.append(func.lower(c.email) == func.lower(str(values["email"]).strip()))
        if keys.phones:
            conditions += [c.phone.in_(sorted(keys.phones)), c.mobile.in_(sorted(keys.phones))]
    found: set[str] = set()
    for condition in conditions:  # one index each (an OR of them would scan the table)
        found.update(session.execute(select(c.id).where(condition, c.deleted.is_(False)))
                     .scalars())
    found |= _by_name(session, entity, keys.names[:1])
    return found


def possible_duplicates(session: Session, *, entity: str, values: Mapping[str, Any],
                        record_id: str | None = None) -> list[DuplicateHit]:
    """The stored records that what is typed on a form (``values``: field -> text so far)
    may duplicate, best first; ``record_id``: the record being edited (never its own
    duplicate, nor of a record it was decided not to duplicate)."""
    check_entity(entity)
    keys = _typed_keys(entity, values)
    ids = _lookup(session, entity, keys, values)
    ids.discard(record_id)
    if not ids:
        return []
    rows = _rows_of(session, entity, ids)
    decided = decided_pairs(session, entity) if record_id else set()
    make_keys, score = _keys_of(entity), _score(entity)
    hits = []
    for found_id, row in rows.items():
        if frozenset((found_id, record_id)) in decided:
            continue
        match = score(keys, make_keys(row))
        if matching.is_candidate(match):
            fields = tuple(dict.fromkeys(
                name for code in match.reasons for name in REASON_FIELDS[entity].get(code, ())))
            hits.append(DuplicateHit(entity, found_id, record_label(entity, row), match.score,
                                     _translated(match.reasons), match.reasons, fields))
    hits.sort(key=lambda h: (-h.score, h.label, h.id))
    return hits


# --- Not a duplicate ----------------------------------------------------------------------


def not_duplicate(session: Session, *, entity: str, first_id: str, second_id: str) -> Changes:
    """Record that two records are different, so the pair is not offered again (here and,
    after the next exchange, at every office)."""
    check_entity(entity)
    if first_id == second_id:
        raise ValidationError(_("A record cannot be a duplicate of itself: give two "
                                "different ids."))
    for record_id in (first_id, second_id):
        load_row(session, entity, record_id)
    pair = sorted((first_id, second_id))
    if frozenset(pair) in decided_pairs(session, entity):
        raise ValidationError(_("These two records are already marked as not duplicates."))
    writer = ChangeWriter.for_session(session)
    decision_id = insert_record(session, writer, DECISION, {DECISION_FIELDS[entity]: pair})
    return Changes(frozenset({DECISION}), decision_id, (decision_id,), UndoStep(
        _("Not a duplicate ({kind})").format(kind=entity_label(entity)),
        (RecordWrites(DECISION, decision_id, {"deleted": True}, {"deleted": False}),)))
