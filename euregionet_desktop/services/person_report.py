"""What the programme holds about one person (GDPR Art. 15 and 20): the contact person's
fields, every record that refers to them, their notes, the consent history and the
offices that hold the data, gathered in one read (services.person_report_files writes it
as a Word document or as JSON).

The records are found through ``relations.references_to``, which reads the one table of
references: the kinds of reference known here get a section of their own, any other one
(a relation added later) is listed in "Other records naming the person", so none is left
out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import Choice
from euregionet_desktop.domain.programme import PROGRAMME_ID, PROGRAMME_NAME
from euregionet_desktop.domain.validation import format_phone_national
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import (
    LANGUAGES,
    N_,
    _,
    current_language,
    format_date,
    format_datetime,
    format_stored_minute,
    translation,
)
from euregionet_desktop.services import notes, records
from euregionet_desktop.services.dto import NoteDTO
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.services.relations import Pointer, references_to
from euregionet_desktop.storage.fields import Field, field_map, fields_of, model_for, to_json
from euregionet_desktop.storage.models import (
    Attachment,
    Change,
    Installation,
    InstallationAck,
    LocalState,
    Office,
    Programme,
)

# Section keys: the JSON's stable names (English snake_case), in the document's order.
MEMBERSHIPS, CONSULTATIONS, EVENTS, TASKS = "memberships", "consultations", "events", "tasks"
INITIATIVES, DOCUMENTS, DUPLICATES = "initiatives", "documents", "duplicate_decisions"
NOTES, OTHER, CONSENT, OFFICES = "notes", "other_records", "consent_history", "offices"

TITLES = {
    MEMBERSHIPS: N_("Cluster memberships"),
    CONSULTATIONS: N_("Consultations taken part in"),
    EVENTS: N_("Events taken part in"),
    TASKS: N_("Follow-ups naming the person"),
    INITIATIVES: N_("Members' councils of cluster initiatives"),
    DOCUMENTS: N_("Documents naming the person"),
    DUPLICATES: N_("“Not a duplicate” decisions"),
    NOTES: N_("Notes on the person"),
    OTHER: N_("Other records naming the person"),
    CONSENT: N_("Consent history"),
    OFFICES: N_("Partner offices holding the data"),
}
# The references each section lists; any other reference to a contact person goes to OTHER.
KNOWN_REFERENCES: dict[tuple[str, str], str] = {
    ("membership", "contact_id"): MEMBERSHIPS,
    ("consultation", "contact_ids"): CONSULTATIONS,
    ("participant", "contact_id"): EVENTS,
    ("task", "contact_id"): TASKS,
    ("initiative", "council_ids"): INITIATIVES,
    ("duplicate_decision", "contact_ids"): DUPLICATES,
    ("attachment", "linked_id"): DOCUMENTS,
    # The shared notes on the person (references_to lists them since notes follow merges):
    # the notes section lists them with the private ones, from notes.notes_about.
    ("note", "linked_id"): NOTES,
}
CONSENT_FIELDS = ("consent_status", "consent_on", "consent_via", "consent_purposes",
                  "consent_evidence_id", "consent_source", "consent_scope")
REPORT_LANGUAGES = LANGUAGES

YES, NO = N_("yes"), N_("no")
SHARED, PRIVATE = N_("shared with the partner offices"), N_("private (this office only)")
WRITTEN, RECEIVED = N_("entered or changed the data"), N_("received the data in an exchange")
NAMED, LINKED, EVIDENCE = (N_("names the person"), N_("kept with the person's record"),
                           N_("evidence of the consent"))


@dataclass(frozen=True)
class Column:
    key: str  # the JSON's name
    message: str  # the untranslated heading (N_ text)
    label: str  # the heading in the report's language
    width: float = 1.0  # share of the document's table width


@dataclass(frozen=True)
class Row:
    """One record of a section: its values as stored (JSON forms) and as shown."""

    entity: str
    record_id: str
    values: tuple[Any, ...]  # in the section's column order
    shown: tuple[str, ...]
    deleted: bool = False  # deleted, but still held (it travels as deleted)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class PersonField:
    key: str
    label: str
    value: Any  # as stored (JSON form)
    shown: str


@dataclass(frozen=True)
class PersonReport:
    contact_id: str
    name: str
    deleted: bool  # deleted, not erased: still held
    language: str
    made_at: str  # ISO, UTC
    office: str  # the office of the installation that made the report
    programme_name: str
    cofinancing: str
    fields: tuple[PersonField, ...]
    sections: tuple[Section, ...]
    references: tuple[Pointer, ...]  # every record pointing at the person


def check_language(lang: str | None) -> str:
    language = lang or current_language()
    if language not in REPORT_LANGUAGES:
        raise ValidationError(_("“{language}” is not a language of the report; use one "
                                "of: {languages}.").format(
            language=language, languages=", ".join(REPORT_LANGUAGES)))
    return language


class _Words:
    """Values and labels in the report's language."""

    def __init__(self, session: Session, language: str) -> None:
        self.session = session
        self.language = language
        self.gettext = translation(language).gettext
        self._labels: dict[tuple[str, str], str] = {}

    def __call__(self, message: str) -> str:
        return self.gettext(message)

    def label(self, entity: str, record_id: str) -> str:
        key = (entity, record_id)
        if key not in self._labels:
            self._labels[key] = records.labels(
                self.session, entity=entity, record_ids=[record_id]).get(record_id, record_id)
        return self._labels[key]

    def date(self, value: str | None) -> str:
        return format_date(dt.date.fromisoformat(value[:10]), language=self.language) \
            if value else ""

    def moment(self, value: str | None) -> str:
        """An ISO moment (a record's creation) in local time, to the minute."""
        if not value:
            return ""
        moment = dt.datetime.fromisoformat(value).astimezone()
        return format_datetime(moment.replace(tzinfo=None), language=self.language)

    def choice(self, choices: type[Choice] | None, value: str) -> str:
        member = choices._value2member_map_.get(value) if choices else None
        return self(member.label) if member is not None else str(value)

    def shown(self, spec: Field, value: Any) -> str:
        """A stored value (JSON form) as the report shows it."""
        if value is None or value == "" or value == []:
            return ""
        kind = spec.kind
        if kind == "enum":
            return self.choice(spec.choices, value)
        if kind == "enum_list":
            return ", ".join(self.choice(spec.choices, v) for v in value)
        if kind == "ref":
            return self.label(spec.ref or "", value)
        if kind == "ref_list":
            return ", ".join(self.label(spec.ref or "", v) for v in value)
        if kind == "list":
            return ", ".join(map(str, value))
        if kind == "date":
            return self.date(value)
        if kind == "datetime":
            return format_stored_minute(value, language=self.language)
        if kind == "bool":
            return self(YES) if value else self(NO)
        if kind == "phone":
            return format_phone_national(value)
        if isinstance(value, str):
            return value
        return orjson.dumps(value).decode()


def person_report(session: Session, *, contact_id: str, lang: str | None = None
                  ) -> PersonReport:
    """Everything held about contact person ``contact_id``, in ``lang`` (pl, de, en)."""
    words = _Words(session, check_language(lang))
    # A deleted person's data is still held (and travels as deleted): reported too. One
    # erased or never there: NotFoundError.
    row = records.load_row(session, "contact", contact_id, include_deleted=True)
    pointers = references_to(session, entity="contact", record_id=contact_id)
    grouped: dict[str, list[Pointer]] = {}
    for pointer in pointers:
        grouped.setdefault(KNOWN_REFERENCES.get((pointer.entity, pointer.field), OTHER),
                           []).append(pointer)
    documents = _document_ids(session, contact_id, row["consent_evidence_id"],
                              grouped.get(DOCUMENTS, []))
    on_person = notes.notes_about(session, entity="contact", record_id=contact_id)
    # The person's records that travel: whoever wrote or received one holds their data.
    held = {contact_id, *(p.record_id for p in pointers), *documents,
            *(note.id for note in on_person if not note.private)}
    sections = (
        _memberships(words, _ids(grouped, MEMBERSHIPS)),
        _consultations(words, _ids(grouped, CONSULTATIONS)),
        _events(words, _ids(grouped, EVENTS)),
        _tasks(words, _ids(grouped, TASKS)),
        _initiatives(words, _ids(grouped, INITIATIVES)),
        _documents(words, documents),
        _duplicates(words, contact_id, _ids(grouped, DUPLICATES)),
        _notes(words, on_person),
        _other(words, grouped.get(OTHER, [])),
        _consent_history(words, contact_id),
        _offices(words, held),
    )
    identity = session.get(Programme, PROGRAMME_ID)
    office_name = session.execute(
        select(Office.name).join(Installation, Installation.office_id == Office.id)
        .join(LocalState, LocalState.installation_id == Installation.id)).scalar() or ""
    return PersonReport(
        contact_id=contact_id,
        name=records.labels(session, entity="contact", record_ids=[contact_id])[contact_id],
        deleted=bool(row["deleted"]),
        language=words.language,
        made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        office=office_name,
        programme_name=_identity_text(identity, "programme_name", words.language)
        or PROGRAMME_NAME,
        cofinancing=_identity_text(identity, "cofinancing", words.language),
        fields=tuple(
            PersonField(spec.name, words(spec.label), to_json(spec.kind, row[spec.name]),
                        words.shown(spec, to_json(spec.kind, row[spec.name])))
            for spec in fields_of("contact")),
        sections=sections,
        references=tuple(pointers),
    )


def _identity_text(identity: Programme | None, name: str, language: str) -> str:
    """A text of the programme's identity in the report's language, else the other of
    Polish and German."""
    if identity is None:
        return ""
    order = ("de", "pl") if language == "de" else ("pl", "de")
    return next((getattr(identity, f"{name}_{lang}") for lang in order
                 if getattr(identity, f"{name}_{lang}")), "")


def _ids(grouped: dict[str, list[Pointer]], key: str) -> list[str]:
    return list(dict.fromkeys(p.record_id for p in grouped.get(key, [])))


# --- the sections ---------------------------------------------------------------------


def _loaded(words: _Words, entity: str, ids: Sequence[str]) -> list[Any]:
    """The table rows of these records, deleted ones too, in the order given."""
    if not ids:
        return []
    table = model_for(entity).__table__
    found = {row["id"]: row for row in words.session.execute(
        select(table).where(table.c.id.in_(list(ids)))).mappings()}
    return [found[i] for i in ids if i in found]


def _field_columns(words: _Words, entity: str, names: Iterable[str],
                   widths: Sequence[float] = ()) -> list[Column]:
    specs = field_map(entity)
    return [_column(words, name, specs[name].label, widths[n] if n < len(widths) else 1.0)
            for n, name in enumerate(names)]


def _column(words: _Words, key: str, message: str, width: float = 1.0) -> Column:
    return Column(key, message, words(message), width)


def _section(words: _Words, key: str, columns: Sequence[Column], rows: Iterable[Row]
             ) -> Section:
    return Section(key, words(TITLES[key]), tuple(columns), tuple(rows))


def _field_rows(words: _Words, entity: str, ids: Sequence[str], names: Sequence[str],
                extra: Callable[[Any], tuple[tuple[Any, str], ...]] | None = None
                ) -> list[Row]:
    """Rows of the named fields; ``extra`` adds (value, shown) pairs after them."""
    specs = field_map(entity)
    rows = []
    for row in _loaded(words, entity, ids):
        values = [to_json(specs[name].kind, row[name]) for name in names]
        shown = [words.shown(specs[name], value) for name, value in zip(names, values,
                                                                        strict=True)]
        for value, text in (extra(row) if extra else ()):
            values.append(value)
            shown.append(text)
        rows.append(Row(entity, row["id"], tuple(values), tuple(shown), bool(row["deleted"])))
    return rows


def _memberships(words: _Words, ids: Sequence[str]) -> Section:
    names = ("cluster_id", "organisation_id", "role", "joined_on", "left_on")
    return _section(words, MEMBERSHIPS, _field_columns(words, "membership", names,
                                                       (2.0, 2.0, 1.2, 1.0, 1.0)),
                    _field_rows(words, "membership", ids, names))


def _in_language(row: Any, polish: str, german: str, language: str) -> str:
    order = (german, polish) if language == "de" else (polish, german)
    return next((row[name] for name in order if row[name]), "")


def _consultations(words: _Words, ids: Sequence[str]) -> Section:
    names = ("held_at", "mode", "organisation_id", "advisor_id")
    columns = [*_field_columns(words, "consultation", names, (1.3, 1.1, 1.8, 1.4)),
               _column(words, "subject", N_("Subject"), 2.6)]

    def subject(row: Any) -> tuple[tuple[Any, str], ...]:
        return ((row["subject"], _in_language(row, "subject", "subject_de", words.language)),)

    # The subject second, after the date: what the consultation was about.
    rows = [Row(r.entity, r.record_id, (r.values[0], r.values[-1], *r.values[1:-1]),
                (r.shown[0], r.shown[-1], *r.shown[1:-1]), r.deleted)
            for r in _field_rows(words, "consultation", ids, names, subject)]
    return _section(words, CONSULTATIONS, [columns[0], columns[-1], *columns[1:-1]], rows)


def _events(words: _Words, ids: Sequence[str]) -> Section:
    names = ("role", "registered", "attended", "photo_consent")
    columns = [_column(words, "event", N_("Event"), 2.3),
               _column(words, "starts_on", N_("Date"), 1.1),
               *_field_columns(words, "participant", names, (1.5, 1.3, 1.6, 1.4))]
    events = {row["id"]: row for row in _loaded(
        words, "event", [row["event_id"] for row in _loaded(words, "participant", ids)])}
    rows = []
    for row in _field_rows(words, "participant", ids, ("event_id", *names)):
        event = events.get(row.values[0])
        title = _in_language(event, "title_pl", "title_de", words.language) if event else ""
        starts_on = to_json("date", event["starts_on"]) if event else None
        rows.append(Row(row.entity, row.record_id,
                        (row.values[0], starts_on, *row.values[1:]),
                        (title, words.date(starts_on), *row.shown[1:]), row.deleted))
    return _section(words, EVENTS, columns, rows)


def _tasks(words: _Words, ids: Sequence[str]) -> Section:
    names = ("title", "due_on", "done", "assignee_id")
    return _section(words, TASKS, _field_columns(words, "task", names, (3.0, 1.2, 0.8, 1.6)),
                    _field_rows(words, "task", ids, names))


def _initiatives(words: _Words, ids: Sequence[str]) -> Section:
    names = ("cluster_id", "started_on", "office_id", "advisor_id")
    return _section(words, INITIATIVES, _field_columns(words, "initiative", names,
                                                       (2.6, 1.2, 1.6, 1.6)),
                    _field_rows(words, "initiative", ids, names))


def _document_ids(session: Session, contact_id: str, evidence_id: str | None,
                  linked: Sequence[Pointer]) -> dict[str, str]:
    """The attachments about the person and how: kept with their record, naming them (a
    generated document), or the evidence of their consent."""
    found = {p.record_id: LINKED for p in linked}
    items = func.json_each(Attachment.person_ids).table_valued("value")
    for attachment_id in session.execute(
            select(Attachment.id).where(select(items.c.value).where(
                items.c.value == contact_id).exists()).order_by(Attachment.id)).scalars():
        found.setdefault(attachment_id, NAMED)
    if evidence_id:
        found[evidence_id] = EVIDENCE
    return found


def _documents(words: _Words, documents: dict[str, str]) -> Section:
    names = ("file_name", "kind", "document_kind")
    columns = [*_field_columns(words, "attachment", names, (2.6, 1.4, 1.4)),
               _column(words, "created_at", N_("Date"), 1.2),
               _column(words, "how", N_("How it concerns the person"), 1.6)]

    def extra(row: Any) -> tuple[tuple[Any, str], ...]:
        how = documents[row["id"]]
        return ((row["created_at"], words.date(row["created_at"])),
                (_how_key(how), words(how)))

    return _section(words, DOCUMENTS, columns,
                    _field_rows(words, "attachment", list(documents), names, extra))


def _how_key(how: str) -> str:
    return {LINKED: "linked", NAMED: "named", EVIDENCE: "consent_evidence"}[how]


def _duplicates(words: _Words, contact_id: str, ids: Sequence[str]) -> Section:
    columns = [_column(words, "other_contact_id", N_("The other contact person"), 3.0),
               _column(words, "created_at", N_("Decided on"), 1.2)]
    rows = []
    for row in _loaded(words, "duplicate_decision", ids):
        others = [i for i in (row["contact_ids"] or []) if i != contact_id]
        other = others[0] if others else None
        rows.append(Row("duplicate_decision", row["id"], (other, row["created_at"]),
                        (words.label("contact", other) if other else "",
                         words.date(row["created_at"])), bool(row["deleted"])))
    return _section(words, DUPLICATES, columns, rows)


def _notes(words: _Words, on_person: Sequence[NoteDTO]) -> Section:
    columns = [_column(words, "created_at", N_("Written on"), 1.2),
               _column(words, "author", N_("Written by"), 1.4),
               _column(words, "private", N_("Kept"), 1.9),
               _column(words, "body", N_("Note"), 3.8)]
    rows = []
    for note in on_person:
        rows.append(Row("private_note" if note.private else "note", note.id,
                        (note.created_at, note.author, note.private, note.body),
                        (words.date(note.created_at), note.author or "",
                         words(PRIVATE if note.private else SHARED), note.body)))
    return _section(words, NOTES, columns, rows)


def _other(words: _Words, pointers: Sequence[Pointer]) -> Section:
    """The references no section above lists (a relation added later): each with its kind
    of record, the field that names the person, and the record's name."""
    columns = [_column(words, "entity", N_("Type"), 1.6),
               _column(words, "field", N_("Field"), 1.6),
               _column(words, "record", N_("Record"), 3.0)]
    rows = []
    for pointer in pointers:
        spec = field_map(pointer.entity).get(pointer.field)
        rows.append(Row(pointer.entity, pointer.record_id,
                        (pointer.entity, pointer.field, pointer.record_id),
                        (words(ENTITY_LABELS.get(pointer.entity, pointer.entity)),
                         words(spec.label) if spec else pointer.field,
                         words.label(pointer.entity, pointer.record_id))))
    return _section(words, OTHER, columns, rows)


def _consent_history(words: _Words, contact_id: str) -> Section:
    specs = field_map("contact")
    columns = [_column(words, "at", N_("When"), 1.8),
               _column(words, "field", N_("Field"), 1.9),
               _column(words, "old_value", N_("Before"), 1.6),
               _column(words, "new_value", N_("After"), 1.6),
               _column(words, "office", N_("Office"), 0.8),
               _column(words, "author", N_("Changed by"), 1.4)]
    rows = []
    for entry in records.history(words.session, entity="contact", record_id=contact_id):
        if entry.field not in CONSENT_FIELDS:
            continue
        spec = specs[entry.field]
        old = entry.old_value if not isinstance(entry.old_value, list) or \
            spec.kind.is_list else None  # several writes replaced: no single "before"
        at = dt.datetime.fromtimestamp(entry.at_ms / 1000, dt.UTC)
        rows.append(Row("change", f"{entry.installation_id}:{entry.seq}",
                        (at.isoformat(timespec="seconds"), entry.field, old, entry.new_value,
                         entry.office_code, entry.author),
                        (format_datetime(at.astimezone().replace(tzinfo=None),
                                         language=words.language),
                         words(spec.label), words.shown(spec, old),
                         words.shown(spec, entry.new_value), entry.office_code or "",
                         entry.author or "")))
    return _section(words, CONSENT, columns, rows)


def _offices(words: _Words, held: set[str]) -> Section:
    """The offices that hold the person's data, as far as this installation knows: those
    whose installations wrote any of the person's records, and those whose installations
    said (in their last bundle) that they hold such a write."""
    session = words.session
    firsts = dict(session.execute(
        select(Change.installation_id, func.min(Change.seq))
        .where(Change.record_id.in_(sorted(held))).group_by(Change.installation_id)).all())
    office_of = dict(session.execute(select(Installation.id, Installation.office_id)).all())
    offices = {row.id: row for row in session.execute(select(Office)).scalars()}
    by_code = {row.code: row for row in offices.values()}
    written = {office_of[i] for i in firsts if i in office_of}
    received: set[str] = set()
    for ack in session.execute(select(InstallationAck)).scalars():
        if ack.installation_id in firsts and ack.seq >= firsts[ack.installation_id]:
            office = office_of.get(ack.peer_installation_id) or getattr(
                by_code.get(ack.office_code), "id", None)
            if office is not None:
                received.add(office)
    here = session.execute(select(Installation.office_id).join(
        LocalState, LocalState.installation_id == Installation.id)).scalar()
    if here is not None:
        received.add(here)  # it is read here: this office holds it, written here or not
    columns = [_column(words, "code", N_("Code"), 0.8), _column(words, "name", N_("Name"), 3.4),
               _column(words, "how", N_("How it holds the data"), 2.6)]
    rows = []
    for office_id in sorted(written | received, key=lambda i: (i not in written,
                                                               offices[i].name)):
        office = offices[office_id]
        how = WRITTEN if office_id in written else RECEIVED
        rows.append(Row("office", office_id,
                        (office.code, office.name, "written" if how == WRITTEN else "received"),
                        (office.code, office.name, words(how))))
    return _section(words, OFFICES, columns, rows)
