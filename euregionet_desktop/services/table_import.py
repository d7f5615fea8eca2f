"""Spreadsheets and address books in: columns mapped to fields, every row checked by the
forms' validators, duplicates found, then written in one transaction (DESIGN §10).

One pass over the file does everything: each row is cleaned, matched against the records
(and the rows before it) and, unless it is refused or a duplicate, written in chunks
through the bulk path and the change log, so an import travels to the partners like any
edit and the whole of it is one undo step. A preview is the same pass rolled back
(``Backend.preview``); an import with refused rows is refused whole unless the person asks
for the others (``skip_invalid``), and the report says which rows and columns to fix.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop import i18n
from euregionet_desktop.domain.bilingual import stored_codes
from euregionet_desktop.errors import UserFacingError, ValidationError
from euregionet_desktop.files import atomic_write, file_error
from euregionet_desktop.i18n import N_, _, fold, ngettext
from euregionet_desktop.interchange.reading import TableFile, cell_value, open_table
from euregionet_desktop.interchange.writing import FORMULA_STARTS
from euregionet_desktop.services.dto import Changes, RecordWrites, UndoStep
from euregionet_desktop.services.entities import ENTITY_LABELS, record_label
from euregionet_desktop.services.records import (
    check_record,
    now_iso,
    row_values,
    write_fields,
)
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage import bulk, search
from euregionet_desktop.storage.field_kinds import Cleaning, kind_of
from euregionet_desktop.storage.fields import Field, field_map, fields_of, model_for, to_json
from euregionet_desktop.storage.models import Installation, Office
from euregionet_desktop.storage.rows import row_plan
from euregionet_desktop.sync.changelog import ChangeWriter

IMPORT_TYPES = ("organisation", "contact", "cluster", "membership", "participant")
ON_DUPLICATE = ("skip", "update", "create")
# A column mapped here goes into the record's notes as "Header: value".
NOTES = "@notes"
CHUNK = 2000
# Outcomes kept for the report beyond the refused rows (a preview shows the first rows).
KEPT_OUTCOMES = 1000
# Refused rows kept for the report and the file to fix: a file whose every row is refused
# (a wrong type chosen) is told by its first hundred thousand, in bounded memory.
KEPT_REFUSED = 100_000

CREATE, UPDATE, SKIP, ERROR = "create", "update", "skip", "error"

# The kinds a column can fill: references are matched (an organisation by its numbers or
# name), never typed as ids; scores belong to the evaluation form.
_MAPPED_KINDS = frozenset({"text", "longtext", "postal_code", "nip", "regon", "krs", "vat_id",
                           "register", "phone", "email", "url", "date", "datetime", "int",
                           "bool", "money", "enum", "list", "enum_list"})
# Fields of the organisation a contact or a membership row names (matched, else created).
_ORGANISATION_PART = ("name", "kind", "country", "street", "postal_code", "city", "nip",
                      "regon", "krs", "vat_id", "register_number", "website", "email",
                      "phone", "sectors")
_IDENTIFIERS = ("nip", "regon", "krs", "vat_id", "register_number")

# Header words people use besides the fields' labels (folded, see _header_key).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("imie", "vorname", "first name", "firstname", "given name", "forename"),
    "last_name": ("nazwisko", "nachname", "last name", "lastname", "surname", "family name",
                  "familienname"),
    "title": ("tytul", "tytul naukowy", "titel", "akademischer titel", "academic title"),
    "function": ("stanowisko", "funkcja", "position", "funktion", "job title", "job",
                 "stellung", "role in organisation"),
    "email": ("e mail", "email", "mail", "adres e mail", "e mail adresse", "email address",
              "e mail address", "emailadresse"),
    "phone": ("telefon", "tel", "nr telefonu", "numer telefonu", "telefonnummer",
              "telephone", "phone number", "tel sluzbowy", "telefon geschaftlich",
              "business phone"),
    "mobile": ("komorka", "telefon komorkowy", "tel kom", "mobil", "mobiltelefon", "handy",
               "mobile", "mobile phone", "cell", "cell phone"),
    "notes": ("uwagi", "notatki", "bemerkungen", "notizen", "anmerkungen", "notes",
              "comments", "remarks"),
    "language": ("jezyk", "sprache", "language"),
    "tags": ("tagi", "etykiety", "schlagworter", "tags"),
    "organisation.name": ("firma", "nazwa firmy", "organizacja", "nazwa organizacji",
                          "instytucja", "pracodawca", "unternehmen", "firmenname",
                          "organisation", "organization", "institution", "company",
                          "company name", "employer", "firma name"),
    "organisation.nip": ("nip", "nip firmy", "numer nip", "nip organizacji"),
    "organisation.regon": ("regon", "regon firmy"),
    "organisation.krs": ("krs", "numer krs"),
    "organisation.vat_id": ("ust idnr", "ust id", "ustid", "ustidnr", "ust id nr",
                            "umsatzsteuer id", "umsatzsteuer identifikationsnummer",
                            "vat", "vat id", "vat number", "nip ue", "vat ue"),
    "organisation.register_number": ("handelsregister", "handelsregisternummer", "hrb", "hra",
                                     "registernummer", "register number",
                                     "commercial register"),
    "organisation.street": ("ulica", "adres", "ulica i numer", "strasse", "strasse und hausnummer",
                            "anschrift", "street", "address", "street address"),
    "organisation.postal_code": ("kod pocztowy", "kod", "plz", "postleitzahl", "zip",
                                 "zip code", "postcode", "postal code"),
    "organisation.city": ("miasto", "miejscowosc", "ort", "stadt", "wohnort", "city", "town",
                          "place"),
    "organisation.country": ("kraj", "panstwo", "land", "staat", "country"),
    "organisation.website": ("www", "strona", "strona www", "strona internetowa", "webseite",
                             "website", "homepage", "internet", "web", "url"),
    "organisation.sectors": ("branza", "branze", "sektor", "branche", "branchen", "sector",
                             "sectors", "industry"),
    "organisation.kind": ("rodzaj organizacji", "typ organizacji", "art der organisation",
                          "organisation type", "organization type"),
    "cluster.name_pl": ("klaster", "nazwa klastra", "cluster", "clustername", "cluster name",
                        "netzwerk", "siec"),
}

# Words that mean a field only in one kind of list ("Nazwa" is a cluster's name in a list
# of clusters, "Name" a participant's full name in a registration list).
KIND_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "participant": {
        "name": ("imie i nazwisko", "uczestnik", "uczestniczka", "vor und nachname", "name",
                 "teilnehmer", "teilnehmerin", "full name", "participant"),
        "organisation_name": ("firma", "instytucja", "organizacja", "unternehmen",
                              "organisation", "organization", "institution", "company"),
    },
    "cluster": {
        "name_pl": ("nazwa", "nazwa polska", "nazwa pl", "name pl", "polish name",
                    "nazwa klastra"),
        "name_de": ("nazwa niemiecka", "nazwa de", "name de", "deutscher name",
                    "german name"),
    },
}

Progress = Callable[[str, int, int], None]
STAGE = N_("Importing rows")


# --- what a column can be mapped to ------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A field a column can fill: ``key`` is the field's name, or ``part.field`` for the
    linked record a row names (``organisation.nip`` in a contact list)."""

    key: str
    entity: str
    field: str
    label: str  # translated, with the linked record's name in front


@dataclass(frozen=True)
class RowProblem:
    column: str  # the header of the column, or "" when the row as a whole is refused
    message: str


@dataclass(frozen=True)
class RowOutcome:
    row: int  # the row number as the spreadsheet shows it (header = row 1)
    action: str  # create | update | skip | error
    label: str  # the record as lists name it
    problems: tuple[RowProblem, ...] = ()
    duplicate_of: str = ""  # the label of the record (or row) it duplicates
    reason: str = ""  # why it is a duplicate, translated
    record_id: str | None = None


@dataclass(frozen=True)
class RefusedRow:
    row: int
    cells: tuple[Any, ...]
    message: str  # every problem of the row, "Column: message; …"


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    headers: tuple[str, ...]
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    refused: int = 0
    outcomes: tuple[RowOutcome, ...] = ()  # the first rows, and every refused one
    refused_rows: tuple[RefusedRow, ...] = ()
    written: bool = False
    # What the import wrote (None when nothing): its undo step undoes all of it; the op
    # runner records it as one step (``changes`` of a result, like a bundle import).
    changes: Changes | None = None
    encoding: str | None = None
    sheet: str | None = None

    @property
    def organisations_created(self) -> int:
        """Organisations created for the contacts or memberships of a list."""
        if self.changes is None or self.kind == "organisation":
            return 0
        return len(self.changes.record_ids) - self.created


class ImportRefused(UserFacingError):
    """Rows were refused and the person did not ask to import the others: nothing was
    written. ``report`` says which rows and columns to fix."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(ngettext(
            "{count} row has errors, so nothing was imported. Fix it, or import the other "
            "rows and get the refused one in a file to fix (“--skip-invalid”).",
            "{count} rows have errors, so nothing was imported. Fix them, or import the other "
            "rows and get the refused ones in a file to fix (“--skip-invalid”).",
            report.refused).format(count=report.refused))
        self.report = report


_PARTS: dict[str, dict[str, str]] = {
    # import kind → {prefix: entity} of the linked records its rows may name
    "organisation": {},
    "contact": {"organisation": "organisation"},
    "cluster": {},
    "membership": {"organisation": "organisation", "cluster": "cluster"},
    "participant": {"contact": "contact"},
}
_MAIN = {"organisation": "organisation", "contact": "contact", "cluster": "cluster",
         "membership": "membership", "participant": "participant"}
# Fields of the main record that the import fills itself.
_NOT_MAPPED = {
    "membership": {"cluster_id", "organisation_id", "contact_id"},
    "participant": {"event_id", "contact_id"},
}
_PART_FIELDS = {
    ("contact", "organisation"): _ORGANISATION_PART,
    ("membership", "organisation"): _ORGANISATION_PART,
    ("membership", "cluster"): ("name_pl", "name_de"),
    ("participant", "contact"): ("first_name", "last_name", "email"),
}


def check_kind(kind: str) -> str:
    if kind not in IMPORT_TYPES:
        raise ValidationError(_("Records of type “{kind}” cannot be imported from a file; "
                                "these can: {known}.").format(kind=kind,
                                                             known=", ".join(IMPORT_TYPES)))
    return kind


def targets(kind: str) -> list[Target]:
    """The fields a column of a ``kind`` list can be mapped to, in form order."""
    main = _MAIN[check_kind(kind)]
    found = [Target(spec.name, main, spec.name, _(spec.label)) for spec in fields_of(main)
             if spec.kind in _MAPPED_KINDS and spec.name not in _NOT_MAPPED.get(kind, ())]
    for prefix, entity in _PARTS[kind].items():
        specs = field_map(entity)
        for name in _PART_FIELDS[(kind, prefix)]:
            found.append(Target(f"{prefix}.{name}", entity, name, _("{record}: {field}").format(
                record=entity_label(entity), field=_(specs[name].label))))
    return found


@functools.lru_cache(maxsize=1 << 16)
def _header_key(text: str) -> str:
    """A header (or a name) as compared: folded, punctuation and extra spaces gone
    ("E-Mail:" → "e mail"); cached, as first and last names repeat in every list."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def _target_words(kind: str) -> dict[str, str]:
    """Every spelling of every target (labels in the three languages, names, synonyms) →
    target key; the first target to claim a spelling keeps it."""
    words: dict[str, str] = {}
    main_keys = {t.key for t in targets(kind) if "." not in t.key}

    def claim(word: str, key: str) -> None:
        words.setdefault(_header_key(word), key)

    synonyms = {**SYNONYMS, **KIND_SYNONYMS.get(kind, {})}
    for target in targets(kind):
        # An organisation's "PLZ" is its postal code in a list of organisations too.
        for synonym in (synonyms.get(target.key)
                        or synonyms.get(f"{target.entity}.{target.field}", ())):
            claim(synonym, target.key)
    for target in targets(kind):
        spec = field_map(target.entity)[target.field]
        claim(target.key, target.key)
        claim(target.key.replace(".", " "), target.key)
        for language in i18n.LANGUAGES:
            label = i18n.translation(language).gettext(spec.label)
            if "." in target.key:
                record = i18n.translation(language).gettext(
                    ENTITY_LABELS[target.key.split(".")[0]])
                claim(f"{record} {label}", target.key)
                if target.field not in main_keys:
                    claim(label, target.key)
            else:
                claim(label, target.key)
    return words


def suggest_mapping(kind: str, headers: Sequence[str]) -> dict[str, str]:
    """Header → target key for the headers recognised (pl, de and en words); one column
    per target, the first one that names it."""
    words = _target_words(kind)
    mapping: dict[str, str] = {}
    for header in headers:
        key = words.get(_header_key(header))
        if key and key not in mapping.values():
            mapping[header] = key
    return mapping


def check_mapping(kind: str, headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """The mapping with empty choices dropped; a header that is not in the file, a target
    that does not exist or one mapped twice is refused in one line."""
    known = {t.key for t in targets(kind)}
    used: dict[str, str] = {}
    for header, key in mapping.items():
        if not key:
            continue
        if header not in headers:
            raise ValidationError(_("The mapping names a column “{column}” that the file does "
                                    "not have. Its columns: {columns}.").format(
                column=header, columns=", ".join(headers)))
        if key != NOTES and key not in known:
            raise ValidationError(_("A column cannot be mapped to “{target}”. Known fields: "
                                    "{known}.").format(target=key, known=", ".join(sorted(known))))
        if key != NOTES and key in used.values():
            other = next(h for h, k in used.items() if k == key)
            raise ValidationError(_("The columns “{first}” and “{second}” are both mapped to "
                                    "the same field; map one of them elsewhere.").format(
                first=other, second=header))
        used[header] = key
    return used


# --- mappings remembered per profile -----------------------------------------------------


def _headers_id(kind: str, headers: Sequence[str]) -> str:
    folded = "\x1f".join(_header_key(h) for h in headers)
    return hashlib.sha256(f"{kind}\x1e{folded}".encode()).hexdigest()[:32]


def remembered_mapping(file: Path, kind: str, headers: Sequence[str]) -> dict[str, str] | None:
    """The mapping last used for a file of ``kind`` with these headers (None if none, or
    if ``file`` — the profile's mappings file — is missing or unreadable)."""
    try:
        saved = json.loads(file.read_text(encoding="utf-8"))
        mapping = saved[_headers_id(kind, headers)]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(mapping, dict):
        return None
    return {h: k for h, k in mapping.items() if h in headers and isinstance(k, str)}


def remember_mapping(file: Path, kind: str, headers: Sequence[str],
                     mapping: Mapping[str, str]) -> None:
    """Keep ``mapping`` for the next file of ``kind`` with the same headers."""
    try:
        saved = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(saved, dict):
            saved = {}
    except (OSError, ValueError):
        saved = {}
    saved[_headers_id(kind, headers)] = dict(mapping)
    try:
        atomic_write(file, json.dumps(saved, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as error:
        raise file_error(error, file) from error


def load_mapping_file(path: Path) -> dict[str, str]:
    """A mapping given as a JSON file ({"header": "field", …}), as ``--mapping`` reads it."""
    try:
        mapping = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise file_error(error, path) from error
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in mapping.items()):
        raise ValidationError(_("{file} is not a mapping: it must be a JSON object of column "
                                "headers and field names, e.g. {example}.").format(
            file=path.name, example='{"Imię": "first_name", "NIP firmy": "organisation.nip"}'))
    return {k: v or "" for k, v in mapping.items()}


# --- matching ----------------------------------------------------------------------------


def _name_key(*parts: Any) -> str:
    return "\x1f".join(_header_key(str(p)) if p else "" for p in parts)


class _Index:
    """Existing records (and those this import wrote) by the keys that make a duplicate.

    A record found by its name only (name and city, name and organisation) is no duplicate
    when both sides carry a distinguishing value that differs: two people of one firm
    with the same name but other e-mail addresses, two firms of one name with other NIPs.
    """

    def __init__(self, session: Session, entity: str) -> None:
        self.session = session
        self.entity = entity
        self.keys: dict[str, dict[str, str]] = {}  # key kind → key → record id ("" = several)
        self.labels: dict[str, str] = {}  # record id → label
        self.tells: dict[str, str] = {}  # record id → its distinguishing value
        self.rows: dict[str, int] = {}  # record id → the file row that wrote (or updated) it

    def label(self, record_id: str) -> str:
        if record_id not in self.labels:
            table = model_for(self.entity).__table__
            row = self.session.execute(select(table).where(table.c.id == record_id)
                                       ).mappings().one()
            self.labels[record_id] = record_label(self.entity, row)
        return self.labels[record_id]

    def find(self, pairs: Iterable[tuple[str, Any]], tell: str | None = None
             ) -> tuple[str, str] | None:
        for kind, key in pairs:
            if key:
                found = self.keys.get(kind, {}).get(key)
                if found and not (kind in _NAME_KEYS and tell and self.tells.get(found)
                                  and self.tells[found] != tell):
                    return found, kind
        return None

    def add(self, record_id: str, pairs: Iterable[tuple[str, Any]], *, tell: str | None,
            label: str | None = None, row: int | None = None) -> None:
        for kind, key in pairs:
            if not key:
                continue
            known = self.keys.setdefault(kind, {})
            if kind in _UNIQUE_KEYS:
                # Such a key finds a record only while one bears it.
                if known.setdefault(key, record_id) != record_id:
                    known[key] = ""
            else:
                known.setdefault(key, record_id)
        if tell:
            self.tells[record_id] = tell
        if label is not None:
            self.labels[record_id] = label
        if row is not None:
            self.rows[record_id] = row


_NAME_KEYS = frozenset({"name_city", "name_org", "name"})
# Keys that stand for a record only while a single record has them.
_UNIQUE_KEYS = frozenset({"name"})


def _tell(entity: str, values: Mapping[str, Any]) -> str | None:
    """What tells two records of one name apart (see _Index)."""
    if entity == "contact":
        return (values.get("email") or "").lower() or None
    if entity == "organisation":
        return next((f"{n}:{values[n]}" for n in _IDENTIFIERS if values.get(n)), None)
    return None


def _organisation_keys(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The keys an organisation is known by: its numbers, its name with its city (empty
    when it has none) and its name alone (see _UNIQUE_KEYS)."""
    keys = [(name, values.get(name)) for name in _IDENTIFIERS]
    if values.get("name"):
        keys += [("name_city", _name_key(values["name"], values.get("city"))),
                 ("name", _name_key(values["name"]))]
    return keys


def _organisation_lookup(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The keys a row looks an organisation up by: numbers first; then the name in the
    same city, or one of that name with no city; a row without a city takes the only
    organisation of that name (a contact list names the firm, not its city)."""
    keys = [(name, values.get(name)) for name in _IDENTIFIERS]
    if values.get("name"):
        keys.append(("name_city", _name_key(values["name"], values.get("city"))))
        if values.get("city"):
            keys.append(("name_city", _name_key(values["name"], None)))
        else:
            keys.append(("name", _name_key(values["name"])))
    return keys


def _contact_keys(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    keys: list[tuple[str, Any]] = [("email", (values.get("email") or "").lower() or None)]
    keys += [("phone", values.get("phone")), ("phone", values.get("mobile"))]
    if values.get("last_name"):
        keys.append(("name_org", _name_key(values.get("first_name"), values["last_name"],
                                           values.get("organisation_id"))))
    return keys


def _cluster_keys(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [("name", _name_key(values.get("name_pl")) if values.get("name_pl") else None),
            ("name", _name_key(values.get("name_de")) if values.get("name_de") else None)]


def _membership_keys(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if values.get("left_on"):
        return []
    return [("member", _name_key(values.get("cluster_id"), values.get("organisation_id")))]


def _participant_keys(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [("contact", values.get("contact_id")),
            ("name", _name_key(values.get("name")) if values.get("name") else None)]


_LOOKUPS = {"organisation": _organisation_lookup}
_KEYS = {"organisation": _organisation_keys, "contact": _contact_keys,
         "cluster": _cluster_keys, "membership": _membership_keys,
         "participant": _participant_keys}


# Why a row is taken for a record it matches, by the key that matched.
_REASONS = {
    "nip": N_("the same NIP"), "regon": N_("the same REGON"), "krs": N_("the same KRS"),
    "vat_id": N_("the same VAT ID"), "register_number": N_("the same register number"),
    "name_city": N_("the same name and city"), "email": N_("the same e-mail address"),
    "phone": N_("the same phone number"), "name_org": N_("the same name and organisation"),
    "name": N_("the same name"), "member": N_("already a member"),
    "contact": N_("the same person"),
}


def _reason(key_kind: str) -> str:
    return _(_REASONS[key_kind])


_STORED_COLUMNS = {
    "organisation": ("name", "city", *_IDENTIFIERS),
    "contact": ("first_name", "last_name", "email", "phone", "mobile", "organisation_id"),
    "cluster": ("name_pl", "name_de"),
    "membership": ("cluster_id", "organisation_id", "left_on"),
    "participant": ("contact_id", "name"),
}


def _load_index(session: Session, entity: str, *, event_id: str | None = None) -> _Index:
    """The keys of every live record of ``entity`` (of one event, for participants), read
    in one pass as plain rows (labels are read when a duplicate needs one)."""
    index = _Index(session, entity)
    columns = _STORED_COLUMNS[entity]
    keys, add = _KEYS[entity], index.add
    sql = (f'SELECT id, {", ".join(columns)} FROM "{model_for(entity).__table__.name}" '
           "WHERE deleted = 0" + (" AND event_id = ?" if entity == "participant" else ""))
    cursor = bulk.driver_cursor(session)
    try:
        cursor.execute(sql, (event_id,) if entity == "participant" else ())
        while chunk := cursor.fetchmany(5000):
            for record_id, *stored in chunk:
                values = dict(zip(columns, stored, strict=True))
                add(record_id, keys(values), tell=_tell(entity, values))
    finally:
        cursor.close()
    return index


# --- cleaning one row --------------------------------------------------------------------


def _choice_words(spec: Field) -> dict[str, str]:
    """Folded stored values and labels (in the three languages) of a choice field → value."""
    words: dict[str, str] = {}
    for choice in spec.choices or ():
        words.setdefault(_header_key(choice.value), choice.value)
        for language in i18n.LANGUAGES:
            words.setdefault(_header_key(i18n.translation(language).gettext(choice.label)),
                             choice.value)
    if spec.name == "country":
        for word, code in (("polska", "PL"), ("polen", "PL"), ("poland", "PL"),
                           ("niemcy", "DE"), ("deutschland", "DE"), ("germany", "DE"),
                           ("brd", "DE")):
            words.setdefault(word, code)
    return words


def unneutralised(value: Any) -> Any:
    """A cell as it was before an export kept a spreadsheet from reading it as a formula
    ("'+48 68 …" → "+48 68 …", see interchange.writing.neutralise): our own exports import
    back as they were."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and (
            value[1:].startswith(FORMULA_STARTS)):
        return value[1:]
    return value


class _Cleaner:
    """Cleans the values of one entity's fields as the forms do, plus spreadsheet forms."""

    def __init__(self, session: Session, entity: str) -> None:
        self.entity = entity
        self.specs = field_map(entity)
        self.choices = {name: _choice_words(spec) for name, spec in self.specs.items()
                        if spec.choices}
        self._session = session

    def _ensure_ref(self, spec: Field, record_id: str) -> str:
        return record_id  # references are filled by the import itself, never typed

    def clean(self, raw: Mapping[str, Any], *, country: str | None,
              problems: dict[str, str]) -> dict[str, Any]:
        cleaning = Cleaning(country=country, ensure_ref=self._ensure_ref)
        clean: dict[str, Any] = {}
        for name, value in raw.items():
            spec = self.specs[name]
            value = cell_value(value, spec.kind, country=country)
            if value is None or value == "":
                continue
            if name in self.choices:
                value = self._choice(name, value)
            try:
                clean[name] = stored_codes(self.entity, name,
                                           kind_of(spec.kind).clean(value, spec, cleaning))
            except ValidationError as error:
                problems.setdefault(name, error.message)
        return clean

    def _choice(self, name: str, value: Any) -> Any:
        words = self.choices[name]
        if self.specs[name].kind == "enum_list":
            parts = [p for p in re.split(r"[,;]", str(value)) if p.strip()]
            return [words.get(_header_key(p), p.strip()) for p in parts]
        return words.get(_header_key(str(value)), value)

    def required(self, clean: Mapping[str, Any], problems: dict[str, str],
                 *, skip: Iterable[str] = ()) -> None:
        skipped = set(skip)
        for spec in self.specs.values():
            if (spec.required and not spec.has_default and spec.name not in clean
                    and spec.name not in skipped and spec.name not in problems):
                problems[spec.name] = _("{field} is required.").format(field=_(spec.label))


def _infer_country(values: Mapping[str, Any], default: str) -> str:
    """The country of an organisation row without one: from its numbers, else the office's."""
    vat = str(values.get("vat_id") or "").strip().upper()
    if vat[:2] in ("DE", "PL"):
        return vat[:2]
    if values.get("nip") or values.get("regon") or values.get("krs"):
        return "PL"
    if values.get("register_number"):
        return "DE"
    postal = str(values.get("postal_code") or "").strip()
    if re.fullmatch(r"[0-9]{2}-[0-9]{3}", postal):
        return "PL"
    for name in ("phone", "mobile", "contact_phone", "contact_mobile"):
        number = re.sub(r"[\s()/.-]", "", str(values.get(name) or ""))
        if number.startswith(("+49", "0049")):
            return "DE"
        if number.startswith(("+48", "0048")):
            return "PL"
        if re.fullmatch(r"0[1-9][0-9]{5,}", number):
            # A number dialled with a trunk 0 is German: Polish numbers have none.
            return "DE"
    return default


# --- the import --------------------------------------------------------------------------


@dataclass
class _Pending:
    """Records of one chunk, written together."""

    new: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    updates: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def add_new(self, entity: str, record_id: str, values: dict[str, Any]) -> None:
        self.new.setdefault(entity, []).append((record_id, values))


class _Import:
    def __init__(self, session: Session, *, kind: str, table: TableFile,
                 mapping: Mapping[str, str], on_duplicate: str, event_id: str | None) -> None:
        self.session = session
        self.kind = kind
        self.table = table
        self.entity = _MAIN[kind]
        self.mapping = dict(mapping)
        self.on_duplicate = on_duplicate
        self.event_id = event_id
        self.writer = ChangeWriter.for_session(session)
        self.office_id, self.country = session.execute(
            select(Office.id, Office.country).join(Installation, Installation.office_id == Office.id)
            .where(Installation.id == self.writer.installation_id)).one()
        self.headers = table.headers
        self.column = {h: n for n, h in enumerate(self.headers)}
        self.header_of = {key: h for h, key in self.mapping.items() if key != NOTES}
        self.notes_columns = [h for h, key in self.mapping.items() if key == NOTES]
        self.cleaners = {e: _Cleaner(session, e)
                         for e in {self.entity, *_PARTS[kind].values()}}
        self.index = _load_index(session, self.entity, event_id=event_id)
        self.organisations = (_load_index(session, "organisation")
                              if "organisation" in _PARTS[kind] else None)
        self.clusters = _load_index(session, "cluster") if kind == "membership" else None
        self.contacts = _load_index(session, "contact") if kind == "participant" else None
        self.created_at = now_iso()
        self.created: list[tuple[str, str]] = []
        self.undo_updates: list[RecordWrites] = []
        self.counts = dict.fromkeys((CREATE, UPDATE, SKIP, ERROR), 0)
        self.outcomes: list[RowOutcome] = []
        self.refused: list[RefusedRow] = []
        self._countries: dict[str, str] = {}  # organisation id → country

    # reading a row

    def _raw(self, cells: Sequence[Any], prefix: str | None) -> dict[str, Any]:
        found = {}
        for key, header in self.header_of.items():
            part, _dot, name = key.rpartition(".")
            if (part or None) == prefix:
                found[name] = unneutralised(cells[self.column[header]])
        return found

    def _notes(self, cells: Sequence[Any]) -> str | None:
        lines = []
        for header in self.notes_columns:
            value = cell_value(unneutralised(cells[self.column[header]]), "text")
            if value not in (None, ""):
                lines.append(f"{header}: {value}")
        return "\n".join(lines) or None

    def _column_problems(self, problems: Mapping[str, str], prefix: str | None
                         ) -> list[RowProblem]:
        found = []
        for name, message in problems.items():
            key = f"{prefix}.{name}" if prefix else name
            if prefix and key not in self.header_of:
                # "Name is required" of the linked organisation, not of the contact.
                message = _("{record}: {field}").format(record=entity_label(_PARTS[self.kind][
                    prefix]), field=message)
            found.append(RowProblem(self.header_of.get(key, ""), message))
        return found

    # the linked organisation, cluster and contact

    def _organisation(self, cells: Sequence[Any], pending: _Pending, row: int,
                      problems: list[RowProblem]) -> tuple[str | None, str | None]:
        """(id of the organisation the row names, its country); created when new."""
        raw = self._raw(cells, "organisation")
        if not any(v not in (None, "") for v in raw.values()):
            return None, None
        cleaner = self.cleaners["organisation"]
        found: dict[str, str] = {}
        country_problem: dict[str, str] = {}
        country = None
        if raw.get("country") not in (None, ""):
            country = cleaner.clean({"country": raw["country"]}, country=None,
                                    problems=country_problem).get("country")
        if country is None:
            # The contact's own phone numbers tell the country too (a German number in a
            # list a Polish office keeps).
            person = self._raw(cells, None)
            hints = {f"contact_{name}": person.get(name) for name in ("phone", "mobile")}
            country = _infer_country({k: cell_value(v, "text") for k, v in
                                      {**hints, **raw}.items()}, self.country)
        values = cleaner.clean({k: v for k, v in raw.items() if k != "country"},
                               country=country, problems=found)
        values["country"] = country
        found.update(country_problem)
        match = None if found else self.organisations.find(
            _organisation_lookup(values), _tell("organisation", values))
        if match:
            # An existing organisation is only linked: a contact list does not rewrite it.
            return match[0], self._country_of(match[0], country)
        cleaner.required(values, found)
        if found:
            problems.extend(self._column_problems(found, "organisation"))
            return None, country
        record_id = str(uuid.uuid4())
        pending.add_new("organisation", record_id, values)
        self.organisations.add(record_id, _organisation_keys(values),
                               tell=_tell("organisation", values),
                               label=record_label("organisation", values), row=row)
        self._countries[record_id] = country
        return record_id, country

    def _country_of(self, organisation_id: str, fallback: str) -> str:
        if organisation_id not in self._countries:
            table = model_for("organisation").__table__
            self._countries[organisation_id] = self.session.execute(
                select(table.c.country).where(table.c.id == organisation_id)).scalar() or fallback
        return self._countries[organisation_id]

    def _cluster(self, cells: Sequence[Any], problems: list[RowProblem]) -> str | None:
        raw = self._raw(cells, "cluster")
        for name in ("name_pl", "name_de"):
            text = cell_value(raw.get(name), "text")
            if text:
                match = self.clusters.find([("name", _name_key(text))])
                if match:
                    return match[0]
                problems.append(RowProblem(self.header_of.get(f"cluster.{name}", ""), _(
                    "There is no cluster named “{name}”; add it first or correct the "
                    "name.").format(name=text)))
                return None
        problems.append(RowProblem("", _("The row names no cluster: map a column to "
                                         "“{target}”.").format(
            target=_("{record}: {field}").format(record=entity_label("cluster"),
                                                 field=_(field_map("cluster")["name_pl"].label)))))
        return None

    def _contact(self, cells: Sequence[Any], values: dict[str, Any]) -> None:
        """A participant row: its e-mail finds the contact person; names make its name."""
        raw = self._raw(cells, "contact")
        first = cell_value(raw.get("first_name"), "text") or ""
        last = cell_value(raw.get("last_name"), "text") or ""
        email = (cell_value(raw.get("email"), "text") or "").strip().lower()
        if email:
            match = self.contacts.find([("email", email)])
            if match:
                values["contact_id"] = match[0]
                values.setdefault("name", self.contacts.label(match[0]))
        if not values.get("name") and (first or last):
            values["name"] = f"{first} {last}".strip()

    # one row

    def row(self, number: int, cells: Sequence[Any], pending: _Pending) -> RowOutcome:
        problems: list[RowProblem] = []
        values: dict[str, Any] = {}
        country = self.country
        if self.kind in ("contact", "membership"):
            organisation_id, org_country = self._organisation(cells, pending, number, problems)
            if organisation_id:
                values["organisation_id"] = organisation_id
            country = org_country or country
        if self.kind == "membership":
            cluster_id = self._cluster(cells, problems)
            if cluster_id:
                values["cluster_id"] = cluster_id
            if not values.get("organisation_id") and not problems:
                problems.append(RowProblem("", _("The row names no organisation: map columns "
                                                 "to the organisation's name or numbers.")))
        if self.kind == "participant":
            values["event_id"] = self.event_id
        cleaner = self.cleaners[self.entity]
        found: dict[str, str] = {}
        raw = self._raw(cells, None)
        if "country" in raw and raw["country"] not in (None, ""):
            picked = cleaner.clean({"country": raw.pop("country")}, country=None, problems=found)
            country = picked.get("country", country)
            values.update(picked)
        elif self.entity in ("organisation", "cluster"):
            values["country"] = country = _infer_country(
                {k: cell_value(v, "text") for k, v in raw.items()}, country)
        values.update(cleaner.clean(raw, country=country, problems=found))
        notes = self._notes(cells)
        if notes and "notes" in cleaner.specs:
            values["notes"] = "\n".join(p for p in (values.get("notes"), notes) if p)
        if self.kind == "participant":
            self._contact(cells, values)
        values = row_plan(self.entity).with_defaults(values)
        if "office_id" in cleaner.specs and not values.get("office_id"):
            values["office_id"] = self.office_id
        cleaner.required(values, found)
        problems.extend(self._column_problems(found, None))
        label = record_label(self.entity, values) or (
            record_label("organisation", {"name": cell_value(
                self._raw(cells, "organisation").get("name"), "text")}) if self.kind != "organisation"
            else "")
        if problems:
            return RowOutcome(number, ERROR, label, tuple(problems))
        match = self.index.find(_LOOKUPS.get(self.entity, _KEYS[self.entity])(values),
                                _tell(self.entity, values))
        if match and self.on_duplicate != "create":
            record_id, key_kind = match
            other = self.index.label(record_id)
            if record_id in self.index.rows:
                other = _("row {row} of this file").format(row=self.index.rows[record_id])
            if self.on_duplicate == "update" and record_id not in self.index.rows:
                # A record is updated by the first row that names it; later ones are
                # duplicates within the file.
                self.index.rows[record_id] = number
                pending.updates.append((self.entity, record_id, values, {}))
                return RowOutcome(number, UPDATE, label, duplicate_of=other,
                                  reason=_reason(key_kind), record_id=record_id)
            return RowOutcome(number, SKIP, label, duplicate_of=other, reason=_reason(key_kind),
                              record_id=record_id)
        record_id = str(uuid.uuid4())
        try:
            check_record(self.session, self.entity, values, record_id)
        except ValidationError as error:
            return RowOutcome(number, ERROR, label, tuple(
                self._column_problems(error.problems or {"": error.message}, None)))
        pending.add_new(self.entity, record_id, values)
        self.index.add(record_id, _KEYS[self.entity](values), tell=_tell(self.entity, values),
                       label=label, row=number)
        return RowOutcome(number, CREATE, label, record_id=record_id)

    # writing

    def write(self, pending: _Pending) -> None:
        # Organisations first: the contacts and memberships of the chunk name them.
        for entity in ("organisation", "cluster", "contact", "membership", "participant"):
            items = pending.new.get(entity)
            if items:
                self._insert(entity, items)
        for entity, record_id, values, _unused in pending.updates:
            self._update(entity, record_id, values)

    def _insert(self, entity: str, items: list[tuple[str, dict[str, Any]]]) -> None:
        plan = row_plan(entity)
        specs = fields_of(entity)
        rows = [plan.new_row(record_id, values, created_at=self.created_at)
                for record_id, values in items]
        bulk.insert_rows(self.session, model_for(entity).__table__, rows)
        self.writer.write_new(entity, [
            (row["id"], {spec.name: to_json(spec.kind, row[spec.name]) for spec in specs
                         if row[spec.name] is not None})
            for row in rows])
        search.index_new(self.session, entity, rows)
        self.created.extend((entity, record_id) for record_id, _values in items)

    def _update(self, entity: str, record_id: str, values: Mapping[str, Any]) -> None:
        table = model_for(entity).__table__
        row = self.session.execute(select(table).where(table.c.id == record_id)).mappings().one()
        existing = row_values(entity, row)
        # A file's empty cells leave a field alone; a value replaces it.
        specs = field_map(entity)
        changed = {name: value for name, value in values.items()
                   if value is not None and name in existing and name != "office_id"
                   and not _same(specs[name].kind, existing[name], value)}
        if not changed:
            return
        write_fields(self.session, self.writer, entity, record_id, changed)
        self.undo_updates.append(RecordWrites(entity, record_id,
                                              {n: existing[n] for n in changed}, changed))

    def run(self, *, limit: int | None, progress: Progress | None,
            refuse_errors: bool) -> None:
        total = limit if limit is not None else _estimated_rows(self.table)
        rows: Iterator[tuple[int, Sequence[Any]]] = iter(self.table.rows())
        if limit is not None:
            rows = itertools.islice(rows, limit)
        done = 0
        while chunk := list(itertools.islice(rows, CHUNK)):
            pending = _Pending()
            for number, cells in chunk:
                outcome = self.row(number, cells, pending)
                self.counts[outcome.action] += 1
                if outcome.action == ERROR and len(self.refused) < KEPT_REFUSED:
                    self.refused.append(RefusedRow(number, tuple(cells), "; ".join(
                        f"{p.column}: {p.message}"
                        if p.column and not p.message.startswith(f"{p.column}:") else p.message
                        for p in outcome.problems)))
                if len(self.outcomes) < KEPT_OUTCOMES or (
                        outcome.action == ERROR and len(self.refused) < KEPT_REFUSED):
                    self.outcomes.append(outcome)
            if not (refuse_errors and self.counts[ERROR]):
                # Once a row is refused an import that refuses errors is rolled back
                # whole: the rest is only checked, for the report.
                self.write(pending)
            done += len(chunk)
            if progress is not None:
                progress(STAGE, done, max(done, total))

    def report(self, *, written: bool) -> ImportReport:
        writes = tuple(RecordWrites(entity, record_id, {"deleted": True}, {"deleted": False})
                       for entity, record_id in self.created) + tuple(self.undo_updates)
        undo = UndoStep(ngettext("Import {count} record from {file}",
                                 "Import {count} records from {file}",
                                 len(self.created)).format(count=len(self.created),
                                                           file=self.table.path.name),
                        writes) if writes else None
        ids = tuple(record_id for _entity, record_id in self.created) + tuple(
            w.record_id for w in self.undo_updates)
        changes = Changes(frozenset(w.entity for w in writes), ids[0] if ids else None, ids,
                          undo) if writes else None
        return ImportReport(
            kind=self.kind, file_name=self.table.path.name, headers=self.headers,
            rows=sum(self.counts.values()), created=self.counts[CREATE],
            updated=self.counts[UPDATE], skipped=self.counts[SKIP],
            refused=self.counts[ERROR], outcomes=tuple(self.outcomes),
            refused_rows=tuple(self.refused), written=written, changes=changes,
            encoding=self.table.encoding, sheet=self.table.sheet)


def _estimated_rows(table: TableFile) -> int:
    """About how many rows a file has, for the progress bar (0 when unknown): its line
    breaks (cards in an address book); a line break inside a quoted cell counts too."""
    if table.format not in ("csv", "vcf"):
        return 0
    marker = b"BEGIN:VCARD" if table.format == "vcf" else b"\n"
    count = 0
    try:
        with table.path.open("rb") as file:
            while chunk := file.read(1 << 20):
                count += chunk.upper().count(marker) if table.format == "vcf" else chunk.count(
                    marker)
    except OSError:
        return 0
    return max(count - (table.header_row if table.format == "csv" else 0), 0)


def _same(kind: str, old: Any, new: Any) -> bool:
    """Whether a file's value says nothing new (an e-mail address in other letter case)."""
    if kind == "email" and isinstance(old, str) and isinstance(new, str):
        return old.lower() == new.lower()
    return old == new


def import_table(session: Session, *, path: Path, kind: str, mapping: Mapping[str, str] | None = None,
                 encoding: str | None = None, sheet: str | None = None,
                 on_duplicate: str = "skip", skip_invalid: bool = False,
                 event_id: str | None = None, limit: int | None = None,
                 refuse_errors: bool = True, progress: Progress | None = None) -> ImportReport:
    """Import the rows of a table file as records of ``kind``.

    ``mapping`` (header → target key, see ``targets``; ``NOTES`` for the notes) defaults
    to ``suggest_mapping``. With refused rows and neither ``skip_invalid`` nor
    ``refuse_errors=False`` (a preview) ImportRefused is raised, so the transaction and
    everything in it is rolled back. ``limit`` reads only the first rows (the preview).
    """
    check_kind(kind)
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationError(_("“{value}” is not a choice for duplicates; choose one of: "
                                "{choices}.").format(value=on_duplicate,
                                                     choices=", ".join(ON_DUPLICATE)))
    if kind == "participant":
        event_id = _check_event(session, event_id)
    table = open_table(path, encoding=encoding, sheet=sheet)
    chosen = check_mapping(kind, table.headers, suggest_mapping(kind, table.headers)
                           if mapping is None else mapping)
    if not chosen:
        raise ValidationError(_("No column of {file} is mapped to a field: name the columns "
                                "as the fields are named, or give a mapping.").format(
            file=path.name))
    work = _Import(session, kind=kind, table=table, mapping=chosen, on_duplicate=on_duplicate,
                   event_id=event_id)
    work.run(limit=limit, progress=progress, refuse_errors=refuse_errors and not skip_invalid)
    if work.counts[ERROR] and not skip_invalid and refuse_errors:
        raise ImportRefused(work.report(written=False))
    return work.report(written=True)


def _check_event(session: Session, event_id: str | None) -> str:
    if not event_id:
        raise ValidationError(_("Participants are imported for one event: name it "
                                "(“--event ID”)."))
    table = model_for("event").__table__
    found = session.execute(select(table.c.id).where(
        table.c.id == event_id.strip(), table.c.deleted.is_(False))).scalar()
    if found is None:
        raise ValidationError(_("There is no {entity} with the id “{id}”.").format(
            entity=entity_label("event"), id=event_id))
    return found



def save_refused_rows(report: ImportReport, path: Path, *, language: str | None = None) -> int:
    """Write the refused rows to ``path`` (.xlsx, else CSV) with the file's own headers and
    an error column in front, so the person fixes them there and imports that file again.
    Returns the number of rows written."""
    from euregionet_desktop.interchange.writing import write_csv, write_xlsx

    language = language or i18n.current_language()
    error_header = i18n.translation(language).gettext(N_("Error"))
    row_header = i18n.translation(language).gettext(N_("Row"))
    headers = [error_header, row_header, *report.headers]
    rows = ([refused.message, refused.row, *refused.cells] for refused in report.refused_rows)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, headers, rows, sheet_name=i18n.translation(language).gettext(
            N_("Refused rows")))
    else:
        write_csv(path, headers, rows, separator="," if language == "en" else ";")
    return len(report.refused_rows)


@dataclass(frozen=True)
class TableInfo:
    """A file as the import wizard shows it before anything is checked: its sheets or its
    encoding, its headers, the first rows, and the mapping proposed for them."""

    path: Path
    format: str
    encoding: str | None
    separator: str | None
    sheets: tuple[str, ...]
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]
    sample: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells as text)
    mapping: Mapping[str, str]  # header → target key: remembered, else recognised
    remembered: bool  # the mapping is the one last used for these headers
    targets: tuple[Target, ...]


SAMPLE_ROWS = 5


def inspect_file(session: Session | None = None, *, path: Path, kind: str,
                 encoding: str | None = None, sheet: str | None = None,
                 mappings_file: Path | None = None) -> TableInfo:
    """Open a file for the wizard (no session needed; taken so the op runner can run it
    off the window's thread). TableFileError when it is no table."""
    check_kind(kind)
    table = open_table(path, encoding=encoding, sheet=sheet)
    sample = tuple((number, tuple("" if cell is None else str(cell_value(cell, "text"))
                                  for cell in cells))
                   for number, cells in itertools.islice(table.rows(), SAMPLE_ROWS))
    remembered = (remembered_mapping(mappings_file, kind, table.headers)
                  if mappings_file is not None else None)
    return TableInfo(
        path=table.path, format=table.format, encoding=table.encoding,
        separator=table.separator, sheets=table.sheets, sheet=table.sheet,
        header_row=table.header_row, headers=table.headers, sample=sample,
        mapping=remembered or suggest_mapping(kind, table.headers),
        remembered=bool(remembered), targets=tuple(targets(kind)))
