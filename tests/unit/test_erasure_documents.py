"""Erasure leaves nothing behind: documents record whom they name and go with them (here,
and when the erasure or the document arrives in a bundle), and the backups are rewritten."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select
from sync_network import Network

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, documents, erasure, exchange, records
from euregionet_desktop.services.profile import Core, initialise, open_profile
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.engine import make_engine
from euregionet_desktop.storage.models import Attachment, Change, Erasure, PendingChange
from euregionet_desktop.sync import merge
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.erasure import EVERYONE
from euregionet_desktop.sync.wire import WireChange

SURNAME = "Qwertyńska"
NEEDLE = b"qwerty"


def holds_name(path: Path) -> bool:
    return NEEDLE in path.read_bytes().lower()


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Core]:
    """An open LOP profile."""
    core = open_profile(Profile(tmp_path / "profile"), purpose="pytest")
    core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
    yield core
    core.close()


def add(core: Core, entity: str, **values) -> str:
    return core.backend.run(records.create, entity=entity, values=values).record_id


def generate(core: Core, kind: str, record_id: str | None, tmp_path: Path) -> str:
    return core.backend.run(documents.generate_document, profile=core.profile, kind=kind,
                            record_id=record_id, language="pl",
                            output=tmp_path / f"{kind}-{record_id}.docx").attachment_id


def attachment(core: Core, attachment_id: str) -> Attachment | None:
    return core.backend.read(lambda s: s.get(Attachment, attachment_id))


def erased(core: Core) -> dict[str, str]:
    return dict(core.backend.read(lambda s: s.execute(
        select(Erasure.record_id, Erasure.entity)).all()))


@pytest.fixture
def people(core: Core, tmp_path: Path) -> dict[str, str]:
    """The person on an attendance list with a free-text guest and in a consultation
    protocol; another person in a second protocol; a booklet naming nobody."""
    ids = {"person": add(core, "contact", first_name="Zbigniewa", last_name=SURNAME),
           "other": add(core, "contact", first_name="Jan", last_name="Kowalski"),
           "event": add(core, "event", kind="kickoff", title_pl="Spotkanie",
                        starts_on="2018-05-15")}
    ids["guest"] = add(core, "participant", event_id=ids["event"], name="Ewa Gość")
    ids["participant"] = add(core, "participant", event_id=ids["event"],
                             contact_id=ids["person"])
    ids["consultation"] = add(core, "consultation", held_at="2018-02-05 10:30",
                              contact_ids=[ids["person"]], subject="Doradztwo")
    ids["consultation2"] = add(core, "consultation", held_at="2018-02-06 10:30",
                               contact_ids=[ids["other"]], subject="Inne")
    ids["attendance_doc"] = generate(core, "attendance", ids["event"], tmp_path)
    ids["protocol_doc"] = generate(core, "consultation", ids["consultation"], tmp_path)
    ids["other_doc"] = generate(core, "consultation", ids["consultation2"], tmp_path)
    ids["directory_doc"] = generate(core, "directory", None, tmp_path)
    return ids


def test_a_generated_document_records_whom_it_names(core, people):
    """Contacts and participants printed, sorted; a document naming nobody names None."""
    assert attachment(core, people["attendance_doc"]).person_ids == sorted(
        [people["person"], people["participant"], people["guest"]])
    assert attachment(core, people["protocol_doc"]).person_ids == [people["person"]]
    assert attachment(core, people["other_doc"]).person_ids == [people["other"]]
    assert attachment(core, people["directory_doc"]).person_ids is None


def test_erasing_a_person_deletes_the_documents_naming_them_and_their_files(core, people):
    """The attendance list and the person's protocol go (rows, files, opened copies); the
    other protocol and the booklet stay; the count says two."""
    profile = core.profile
    blobs = {key: attachment(core, people[key]).sha256
             for key in ("attendance_doc", "protocol_doc", "other_doc")}
    assert holds_name(profile.attachments / blobs["attendance_doc"]) is False  # deflated
    opened = core.backend.read(documents.openable_copy, profile=profile,
                               attachment_id=people["attendance_doc"])
    assert opened.is_file()

    changes = core.backend.run(exchange.erase_and_scrub, profile=profile, entity="contact",
                               record_id=people["person"])

    assert core.backend.read(erasure.erased_attachments, record_ids=changes.record_ids) == 2
    assert "attachment" in changes.entities
    gone = erased(core)
    assert gone[people["attendance_doc"]] == gone[people["protocol_doc"]] == "attachment"
    assert gone[people["participant"]] == "participant"
    assert people["other_doc"] not in gone and people["directory_doc"] not in gone
    assert attachment(core, people["attendance_doc"]) is None
    assert attachment(core, people["other_doc"]) is not None
    assert not (profile.attachments / blobs["attendance_doc"]).exists()
    assert not (profile.attachments / blobs["protocol_doc"]).exists()
    assert (profile.attachments / blobs["other_doc"]).exists()
    assert not opened.exists() and not opened.parent.exists()


def test_a_document_naming_more_people_than_a_list_holds_goes_with_anyone(core):
    """A document that names "everyone" is deleted by any erasure."""
    person = add(core, "contact", first_name="Ala", last_name="Nowak")
    def stored(session, **values) -> str:  # as documents.generate_document stores one
        return records.insert_record(session, ChangeWriter.for_session(session),
                                     "attachment", values)

    booklet = core.backend.run(stored, sha256="0" * 64, file_name="booklet.docx",
                               kind="directory", person_ids=[EVERYONE])
    template = core.backend.run(stored, sha256="1" * 64, file_name="t.docx", kind="template")
    core.backend.run(erasure.erase, entity="contact", record_id=person)
    assert erased(core).get(booklet) == "attachment"
    assert template not in erased(core)


def test_a_document_arriving_after_the_erasure_goes_on_arrival(tmp_path):
    """BIC prints an attendance list LOP never saw, then LOP erases the person: SNB,
    which has the erasure first, drops the list when BIC's bundle brings it (counted,
    its file never stored); BIC drops its own when the erasure arrives; all converge."""
    network = Network.create(tmp_path / "net", ("BIC", "LOP", "SNB"))
    try:
        bic, lop, snb = network.replicas
        person = bic.add("contact", first_name="Zbigniewa", last_name=SURNAME)
        event = bic.add("event", kind="kickoff", title_pl="Spotkanie", starts_on="2018-05-15")
        bic.add("participant", event_id=event, contact_id=person)
        network.exchange_round()
        document = bic.run(documents.generate_document, profile=bic.profile,
                           kind="attendance", record_id=event, language="pl",
                           output=tmp_path / "list.docx")
        sha = bic.read(lambda s: s.get(Attachment, document.attachment_id)).sha256
        lop.erase(person)
        assert snb.import_(network.send(lop, "SNB")).erased >= 1
        report = snb.import_(network.send(bic, "SNB"))
        assert report.documents == 1
        assert not (snb.profile.attachments / sha).exists()
        report = bic.import_(network.send(lop, "BIC"))
        assert report.documents == 1 and not (bic.profile.attachments / sha).exists()
        network.exchange_until_quiet()
        dump = network.assert_converged()
        assert document.attachment_id.encode() not in dump
        for replica in network.replicas:
            assert replica.read(lambda s: s.get(Attachment, document.attachment_id)) is None
            assert not (replica.profile.attachments / sha).exists()
    finally:
        network.close()


# --- the backups ------------------------------------------------------------------------


def test_backups_are_rewritten_without_the_erased_person(core, people):
    """Each backup made before the erasure loses the person; one that cannot be read is
    deleted with a message naming it; the mark goes; a second run has nothing to do."""
    profile = core.profile
    made = [backups.create_backup(profile, reason="manual") for _ in range(2)]
    assert all(holds_name(b.path) for b in made)
    broken = profile.backups / "20200101-000000-000000-manual.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    core.backend.run(exchange.erase_and_scrub, profile=profile, entity="contact",
                     record_id=people["person"])
    assert profile.backups_to_scrub.exists()

    report = backups.scrub_backups(profile)

    assert sorted(report.rewritten) == sorted(b.path.name for b in made)
    assert report.deleted == (broken.name,)
    assert len(report.messages) == 1 and "20200101-000000-000000-manual" in report.messages[0]
    assert not broken.exists() and not profile.backups_to_scrub.exists()
    for info in backups.list_backups(profile):
        assert not holds_name(info.path), info.id
        assert erasure.erasures_in(info.path)  # the erasure itself is in the copy
    assert [p.name for p in profile.backups.iterdir() if p.name.startswith(".")] == []
    assert backups.scrub_backups(profile) == backups.BackupScrubReport((), (), ())
    # A rewritten backup is restored like any other, the person still gone.
    restored = backups.restore_backup(profile, made[0].id)
    assert restored.backup.id == made[0].id


def test_a_backup_from_a_newer_version_cannot_be_rewritten_and_is_deleted(core, people):
    """A backup whose schema this version does not know is deleted, with a message."""
    profile = core.profile
    made = backups.create_backup(profile, reason="manual")
    engine = make_engine(made.path)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    core.backend.run(exchange.erase_and_scrub, profile=profile, entity="contact",
                     record_id=people["person"])
    report = backups.scrub_backups(profile)
    assert report.deleted == (made.path.name,) and not made.path.exists()


def test_opening_a_profile_from_before_finishes_what_an_older_version_left(tmp_path):
    """Backups an older version kept after an erasure (no mark) are scrubbed at the first
    open by this version, and an interrupted rewrite's copy is removed."""
    profile = Profile(tmp_path / "profile")
    with open_profile(profile, purpose="pytest") as core:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        person = add(core, "contact", first_name="Zbigniewa", last_name=SURNAME)
    made = backups.create_backup(profile, reason="manual")
    with open_profile(profile, purpose="pytest") as core:
        core.backend.run(exchange.erase_and_scrub, profile=profile, entity="contact",
                         record_id=person)
    profile.backups_to_scrub.unlink()  # as an older version left it: no mark
    leftover = profile.backups / f".{made.path.name}.0123abcd.partial-wal"
    leftover.write_bytes(SURNAME.encode())
    engine = make_engine(profile.database)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    engine.dispose()
    assert holds_name(made.path)

    with open_profile(profile, purpose="pytest"):
        pass

    assert not holds_name(made.path) and not leftover.exists()
    assert not profile.backups_to_scrub.exists()


def _forget_whom_they_name(core: Core, *attachment_ids: str) -> None:
    """As a version before issue 13 stored them: no record of whom a document names."""
    def forget(session) -> None:
        for attachment_id in attachment_ids:
            session.get(Attachment, attachment_id).person_ids = None
    core.backend.run(forget)


def test_a_document_from_before_goes_when_it_prints_the_persons_name(core, people):
    """Documents that do not record whom they name are read: the one printing the erased
    person's full name goes, the one printing only someone else stays."""
    _forget_whom_they_name(core, people["attendance_doc"], people["other_doc"])
    changes = core.backend.run(exchange.erase_and_scrub, profile=core.profile,
                               entity="contact", record_id=people["person"])
    gone = erased(core)
    assert gone.get(people["attendance_doc"]) == "attachment"
    assert people["attendance_doc"] in changes.record_ids
    assert people["other_doc"] not in gone


def test_an_imported_erasure_finds_the_documents_from_before_too(tmp_path):
    """An old attendance list (no record of whom it names) goes when BIC's erasure of a
    person it prints arrives at LOP, and at SNB too."""
    network = Network.create(tmp_path / "net", ("BIC", "LOP", "SNB"))
    try:
        bic, lop, snb = network.replicas
        person = bic.add("contact", first_name="Zbigniewa", last_name=SURNAME)
        event = bic.add("event", kind="kickoff", title_pl="Spotkanie", starts_on="2018-05-15")
        bic.add("participant", event_id=event, contact_id=person)
        network.exchange_round()
        document = lop.run(documents.generate_document, profile=lop.profile,
                           kind="attendance", record_id=event, language="pl",
                           output=tmp_path / "list.docx").attachment_id
        _forget_whom_they_name(lop.open(), document)
        network.exchange_round()
        _forget_whom_they_name(snb.open(), document)  # as at every office
        bic.erase(person)
        report = lop.import_(network.send(bic, "LOP"))
        assert report.documents == 1
        assert lop.read(lambda s: s.get(Erasure, document)) is not None
        assert document in {t.record for t in erasure.read_ledger(lop.profile)}
        snb.import_(network.send(lop, "SNB"))
        assert snb.read(lambda s: s.get(Erasure, document)) is not None
        assert snb.read(lambda s: s.get(Attachment, document)) is None
    finally:
        network.close()


def test_a_backup_deleted_at_the_next_start_is_told(tmp_path):
    """An interrupted rewrite finished by the next open: a backup it could not rewrite
    is deleted, and the open profile carries the message for the window or the CLI."""
    profile = Profile(tmp_path / "profile")
    with open_profile(profile, purpose="pytest") as core:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        person = add(core, "contact", first_name="Zbigniewa", last_name=SURNAME)
        made = backups.create_backup(profile, reason="manual")
        core.backend.run(exchange.erase_and_scrub, profile=profile, entity="contact",
                         record_id=person)
        assert core.notices == ()
    broken = profile.backups / "20200101-000000-000000-manual.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    assert profile.backups_to_scrub.exists() and holds_name(made.path)

    with open_profile(profile, purpose="pytest") as core:
        assert len(core.notices) == 1 and "20200101-000000-000000-manual" in core.notices[0]
    assert not broken.exists() and not holds_name(made.path)
    with open_profile(profile, purpose="pytest") as core:
        assert core.notices == ()


def test_a_document_waiting_for_an_earlier_change_is_erased_while_it_waits(tmp_path):
    """BIC's attendance list reaches SNB, which erased the person, behind a gap: it is
    erased at once, its waiting changes keep only their place (no person id, no file)."""
    network = Network.create(tmp_path / "net", ("BIC", "SNB"))
    try:
        bic, snb = network.replicas
        person = bic.add("contact", first_name="Zbigniewa", last_name=SURNAME)
        event = bic.add("event", kind="kickoff", title_pl="Spotkanie", starts_on="2018-05-15")
        bic.add("participant", event_id=event, contact_id=person)
        network.exchange_round()
        gap = bic.add("organisation", name="Odra", country="PL")
        document = bic.run(documents.generate_document, profile=bic.profile,
                           kind="attendance", record_id=event, language="pl",
                           output=tmp_path / "list.docx").attachment_id
        snb.erase(person)
        lines = bic.read(lambda s: [WireChange.from_row(r) for r in s.execute(
            select(Change.__table__).where(Change.record_id == document)).mappings()])
        assert lines and gap
        report = snb.run(merge.apply_changes, changes=lines)
        assert report.waiting == len(lines) and report.erased == 1
        assert snb.read(lambda s: s.get(Erasure, document)) is not None
        waiting = snb.read(lambda s: s.execute(select(PendingChange.line)).scalars().all())
        assert len(waiting) == len(lines)
        assert not any(person in line or ".docx" in line for line in waiting)
    finally:
        network.close()
