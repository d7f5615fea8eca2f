"""Four offices, one profile each, exchanging bundles late, twice, out of order and lost.

Issue 4 "Done when" 1, 2, 3, 5 and 6: concurrent adds, edits, deletes and an erasure end
in byte-identical dumps; conflicts look the same everywhere and one resolution clears them
everywhere; a second import of any bundle is refused and changes nothing; an erased
person's name is left in no file of any profile; ``age -d`` opens an encrypted bundle.
The replicas are driven in-process through the same service calls as the CLI.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sync_network import Network, Replica, grep_profile

from euregionet_desktop.errors import BundleError
from euregionet_desktop.services import bundle_import, conflicts, erasure
from euregionet_desktop.services.records import insert_record
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.changelog import ChangeWriter

PLANTED = "Zxqvbelwortenstein"
# How the name could sit in a file: as typed, folded for the search index, in JSON.
NEEDLES = (PLANTED.encode(), PLANTED.lower().encode(), PLANTED.upper().encode(),
           PLANTED.encode("utf-16-le"))


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices")
    yield net
    net.close()


def integrity(replica: Replica) -> str:
    with sqlite3.connect(replica.profile.database) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return result


def replay(replica: Replica, path: Path) -> None:
    """A second import of a bundle is refused, says so, and changes nothing."""
    before = replica.dump()
    outcome = replica.try_import(path)
    assert isinstance(outcome, str), "a bundle was imported twice"
    assert "already imported" in outcome
    assert replica.dump() == before
    assert integrity(replica) == "ok"


def shuffled_exchange(network: Network, rng: random.Random, *, rounds: int, lose_one: bool,
                      imported: list[tuple[Path, Replica]]) -> tuple[Path, str] | None:
    """Rounds in which every office exports to every other office in a random order, each
    bundle imported at a random later moment (possibly rounds later), some imported a
    second time, one (if asked) never delivered; returns the lost one and its office."""
    pairs = [pair for _ in range(rounds)
             for pair in rng.sample(network.pairs(), len(network.pairs()))]
    lost_at = rng.randrange(len(pairs)) if lose_one else -1
    lost = None
    in_transit: list[tuple[Path, Replica]] = []
    for n, (sender, office) in enumerate(pairs):
        path = network.send(sender, office)
        if n == lost_at:
            lost = path, office
        else:
            in_transit += [(path, r) for r in network.recipients(office)]
        rng.shuffle(in_transit)
        for _ in range(rng.randint(0, len(in_transit))):
            path, recipient = in_transit.pop()
            recipient.import_(path)
            imported.append((path, recipient))
            if rng.random() < 0.3:
                replay(*reversed(rng.choice(imported)))
    rng.shuffle(in_transit)
    for path, recipient in in_transit:
        recipient.import_(path)
        imported.append((path, recipient))
    return lost


def conflict_view(replica: Replica) -> list[tuple]:
    """The conflicts as every replica must show them (values, offices, the winner)."""
    return [(c.entity, c.record_id, c.field,
             tuple((w.value, w.office_code, w.at_ms, w.winner) for w in c.writes))
            for c in replica.conflicts()]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_four_offices_converge_whatever_the_delivery_order(network: Network, seed: int):
    """Concurrent adds, edits, deletes and an erasure; bundles in a random order, some
    twice, one lost; after exchanging until quiet all four dumps are the same bytes."""
    rng = random.Random(seed)
    bic, lop, snb, cit = network.replicas
    imported: list[tuple[Path, Replica]] = []

    # Each office records its own work, offline.
    cluster = bic.add("cluster", name_pl="Klaster Odra", kind="cluster", country="PL")
    org = bic.add("organisation", name="Odra Logistik GmbH", country="DE", city="Forst")
    person = bic.add("contact", first_name="Jan", last_name=PLANTED,
                     email=f"{PLANTED.lower()}@example.org", notes=f"Met {PLANTED} in Gubin",
                     tags=[PLANTED, "energy"])
    kept = lop.add("contact", first_name="Ewa", last_name="Nowak", function="CEO")
    doomed = snb.add("contact", first_name="Uwe", last_name="Schulz")
    event = cit.add("event", kind="workshop", title_pl="Warsztaty", starts_on="2019-05-06")
    shuffled_exchange(network, rng, rounds=1, lose_one=True, imported=imported)
    network.exchange_until_quiet(rng=rng)
    network.assert_converged()

    # Concurrently, nobody seeing anybody else's work.
    lop.edit("contact", kept, first_name="Ewelina")  # different fields of one record
    snb.edit("contact", kept, email="ewa.nowak@example.pl")
    cit.edit("organisation", org, city="Cottbus")  # the same field, twice
    bic.edit("organisation", org, city="Frankfurt (Oder)")
    snb.delete("contact", doomed)  # a delete and an edit
    cit.edit("contact", doomed, function="Berater")
    bic.erase(person)  # an erasure, while the others still work with the person
    lop.edit("contact", person, notes=f"{PLANTED} called back")
    snb.add("membership", cluster_id=cluster, contact_id=person, role="member")
    cit.add("participant", event_id=event, contact_id=person)
    cit.add("task", title="Send the offer", contact_id=person)
    lop.add("consultation", held_at="2019-05-07 10:00", contact_ids=[person, kept])
    snb.add("organisation", name="Gubiner Holz", country="DE")
    lost = shuffled_exchange(network, rng, rounds=2, lose_one=True, imported=imported)
    network.exchange_until_quiet(rng=rng)

    same = network.assert_converged()
    assert lost is not None
    late = network.recipients(lost[1])[0]
    report = late.import_(lost[0])  # the lost bundle, found at last: all of it healed
    assert (report.applied, report.waiting) == (0, 0) and late.dump() == same
    contacts = {c["id"]: c for c in _dumped(bic, "contact")}
    assert contacts[kept]["first_name"] == "Ewelina"
    assert contacts[kept]["email"] == "ewa.nowak@example.pl"
    assert contacts[doomed]["deleted"] is True and contacts[doomed]["function"] == "Berater"
    assert person not in contacts
    assert not [m for m in _dumped(bic, "membership") if m["contact_id"] == person]
    assert not [p for p in _dumped(bic, "participant") if p["contact_id"] == person]
    assert [t["contact_id"] for t in _dumped(bic, "task")] == [None]
    assert [c["contact_ids"] for c in _dumped(bic, "consultation")] == [[kept]]
    views = {r.name: conflict_view(r) for r in network.replicas}
    assert len({repr(v) for v in views.values()}) == 1, views
    [city] = [c for c in views[bic.name] if c[2] == "city"]
    assert {w[0] for w in city[3]} == {"Cottbus", "Frankfurt (Oder)"}
    [winner] = [w[0] for w in city[3] if w[3]]
    assert [o["city"] for o in _dumped(bic, "organisation") if o["id"] == org] == [winner]
    for replica in network.replicas:
        assert grep_profile(replica.profile, NEEDLES) == [], replica.name
        assert integrity(replica) == "ok"
    # Every bundle, imported again anywhere it was imported, changes nothing.
    for path, recipient in rng.sample(imported, min(len(imported), 12)):
        replay(recipient, path)


def _dumped(replica: Replica, entity: str) -> list[dict]:
    return orjson.loads(replica.dump())[entity]


def test_conflicts_look_the_same_everywhere_and_one_resolution_clears_them(network):
    """Different fields both survive; the same field is one conflict with one provisional
    winner on every replica; resolving it on one replica clears it everywhere after the
    next exchange."""
    bic, lop, snb, cit = network.replicas
    org = bic.add("organisation", name="Spree Cluster e.V.", country="DE")
    network.exchange_until_quiet()
    lop.edit("organisation", org, city="Cottbus")
    snb.edit("organisation", org, website="https://spree-cluster.example")
    cit.edit("organisation", org, name="Spree-Cluster e.V.")
    bic.edit("organisation", org, name="Spreecluster e.V.")
    network.exchange_until_quiet()

    network.assert_converged()
    [row] = [o for o in _dumped(bic, "organisation") if o["id"] == org]
    assert row["city"] == "Cottbus" and row["website"] == "https://spree-cluster.example"
    views = [conflict_view(r) for r in network.replicas]
    assert all(v == views[0] for v in views)
    [(_entity, record, name, writes)] = views[0]
    assert (record, name) == (org, "name")
    assert sorted(w[0] for w in writes) == ["Spree-Cluster e.V.", "Spreecluster e.V."]
    assert [w[3] for w in writes] == [True, False]  # winner first
    assert row["name"] == writes[0][0]

    lop.run(conflicts.resolve, entity="organisation", record_id=org, field_name="name",
            value="Spree Cluster")
    assert conflict_view(lop) == []
    for office in ("BIC", "SNB", "CIT"):  # the next exchange: LOP's bundles
        path = network.send(lop, office)
        for recipient in network.recipients(office):
            report = recipient.import_(path)
            assert report.conflicts == 0
    for replica in network.replicas:
        assert conflict_view(replica) == []
    network.assert_converged()
    assert [o["name"] for o in _dumped(cit, "organisation") if o["id"] == org] == [
        "Spree Cluster"]


def test_a_delete_concurrent_with_an_edit_is_a_visible_conflict(network: Network,
                                                                 monkeypatch):
    """SNB deletes a contact while CIT, not knowing, edits it: every replica shows the
    record deleted and the conflict; keeping the record on one replica clears it."""
    start = clock.now_ms()  # from the real time: the network's first records were made then
    now = iter(range(start, start + 100_000_000_000, 1000))
    monkeypatch.setattr(clock, "now_ms", lambda: next(now))  # each action a second later
    bic, _lop, snb, cit = network.replicas
    person = bic.add("contact", first_name="Uwe", last_name="Schulz")
    network.exchange_until_quiet()
    snb.delete("contact", person)
    cit.edit("contact", person, function="Berater")
    network.exchange_until_quiet()
    network.assert_converged()
    views = [conflict_view(r) for r in network.replicas]
    assert all(v == views[0] for v in views)
    [(_entity, record, name, writes)] = views[0]
    assert (record, name) == (person, "deleted")
    assert [(w[0], w[1], w[3]) for w in writes] == [(True, "SNB", True), (False, "CIT", False)]
    [row] = [c for c in _dumped(bic, "contact") if c["id"] == person]
    assert row["deleted"] is True and row["function"] == "Berater"

    bic.run(conflicts.resolve, entity="contact", record_id=person, field_name="deleted",
            value=False)
    network.exchange_until_quiet()
    network.assert_converged()
    assert all(conflict_view(r) == [] for r in network.replicas)
    assert [c["deleted"] for c in _dumped(snb, "contact") if c["id"] == person] == [False]


def test_any_bundle_imported_twice_changes_nothing_and_says_so(network: Network):
    """Every bundle of a full exchange, imported again by each of its recipients (also
    after later bundles, and from a copy of the file), is refused with a message."""
    bic, lop, _snb, _cit = network.replicas
    bic.add("contact", first_name="Anna", last_name="Wolff")
    lop.add("organisation", name="Lubuska Sieć", country="PL")
    imported: list[tuple[Path, Replica]] = []
    shuffled_exchange(network, random.Random(7), rounds=1, lose_one=False,
                      imported=imported)
    network.exchange_until_quiet()
    for path, recipient in imported:
        copy = path.with_name("copy-" + path.name)
        shutil.copyfile(path, copy)
        replay(recipient, path)
        replay(recipient, copy)
        with pytest.raises(BundleError, match="already imported"):  # the preview too
            recipient.open().backend.preview(bundle_import.import_bundle, profile=recipient.profile,
                                             data=path.read_bytes(), dry_run=True)


def test_every_laptop_of_an_office_catches_up(tmp_path: Path):
    """What one LOP laptop acknowledged is still sent to the office for the other one
    (a bundle for LOP carries what its least up-to-date known laptop lacks)."""
    network = Network.create(tmp_path / "offices", ("BIC", "LOP", "LOP", "SNB"))
    try:
        bic, lop1, lop2, _snb = network.replicas
        person = bic.add("contact", first_name="Jan", last_name="Kowalski")
        lop1.import_(network.send(bic, "LOP"))
        bic.import_(network.send(lop1, "BIC"))  # LOP (laptop 1) has it all
        bic.edit("contact", person, first_name="Janusz")
        report = lop2.import_(network.send(bic, "LOP"))
        assert report.waiting == 0 and report.applied > 0
        assert [c["first_name"] for c in _dumped(lop2, "contact")] == ["Janusz"]
        network.exchange_until_quiet()
        network.assert_converged()
    finally:
        network.close()


def _attach(replica: Replica, *, linked_id: str, content: bytes) -> str:
    """A file attached to a record (as generated documents will be), stored by hash."""
    sha = hashlib.sha256(content).hexdigest()
    replica.profile.attachments.mkdir(exist_ok=True)
    (replica.profile.attachments / sha).write_bytes(content)

    def add(session):
        return insert_record(session, ChangeWriter.for_session(session), "attachment", {
            "sha256": sha, "file_name": "notes.txt", "kind": "file", "size": len(content),
            "linked_entity": "contact", "linked_id": linked_id})

    replica.run(add)
    return sha


def test_an_erased_person_is_left_in_no_file_of_any_replica(network: Network):
    """After the erasure and the scrub, the planted name is in no database, WAL, search
    index, attachment or log of the erasing replica nor of the replicas it reached."""
    bic, lop, snb, cit = network.replicas
    cluster = bic.add("cluster", name_pl="Klaster Bóbr", kind="network", country="PL")
    person = bic.add("contact", first_name="Jan", last_name=PLANTED,
                     notes=f"{PLANTED} likes the cluster", tags=[PLANTED])
    kept = bic.add("contact", first_name="Ewa", last_name="Nowak")
    bic.add("membership", cluster_id=cluster, contact_id=person, role="member")
    sha = _attach(bic, linked_id=person, content=f"Minutes: {PLANTED}".encode())
    network.exchange_until_quiet()
    for replica in network.replicas:
        assert (replica.profile.attachments / sha).exists()
        assert grep_profile(replica.profile, NEEDLES), "the name never arrived"
    # More history of the person everywhere: edits, search index segments, WAL frames.
    lop.edit("contact", person, first_name="Johann")
    snb.edit("contact", person, function=f"Chef von {PLANTED} GmbH")
    network.exchange_until_quiet()

    cit.erase(person)
    lop.edit("contact", person, notes=f"Still {PLANTED}")  # concurrently, not yet knowing
    assert grep_profile(cit.profile, NEEDLES) == []
    network.exchange_until_quiet()

    network.assert_converged()
    for replica in network.replicas:
        assert grep_profile(replica.profile, NEEDLES) == [], replica.name
        assert not (replica.profile.attachments / sha).exists()
        assert person.encode() not in replica.dump()
        assert replica.read(erasure.erasure_count) == 3  # the person, membership, attachment
    assert kept.encode() in bic.dump()


def test_age_decrypts_an_encrypted_bundle_to_one_that_imports(tmp_path: Path):
    """``age -d -i <profile>/keys/age-identity.txt`` (the standard tool) opens a bundle
    encrypted for an office; the plain bundle imports like the encrypted one."""
    age = shutil.which("age")
    if age is None:
        pytest.skip("the age tool is not installed")
    network = Network.create(tmp_path / "offices", ("BIC", "LOP", "LOP"))
    try:
        bic, lop1, lop2 = network.replicas
        bic.add("contact", first_name="Jan", last_name="Kowalski")
        encrypted = bic.export("LOP", tmp_path / "bic-to-lop.age", encrypt=True)
        assert not encrypted.read_bytes().startswith(b"PK")
        plain = tmp_path / "plain.zip"
        for replica in (lop1, lop2):
            identity = replica.profile.keys / "age-identity.txt"
            with open(plain, "wb") as out:
                subprocess.run([age, "-d", "-i", str(identity), str(encrypted)], stdout=out,
                               check=True, timeout=60)
            assert plain.read_bytes().startswith(b"PK")
        assert lop1.import_(plain).applied > 0
        report = lop2.import_(encrypted)
        assert report.encrypted and report.applied > 0
        assert _dumped(lop1, "contact") == _dumped(lop2, "contact") == _dumped(bic, "contact")
        network.exchange_until_quiet()
        network.assert_converged()
    finally:
        network.close()


def test_import_report_counts_conflicts_of_records_new_here(network: Network):
    """A record that reaches SNB for the first time already in conflict is counted as one
    conflict in the report, the same as conflicts() lists afterwards."""
    bic, lop, snb = (network.by_name(n) for n in ("BIC0", "LOP1", "SNB2"))
    org = bic.add("organisation", name="Odra", country="PL")
    lop.import_(network.send(bic, "LOP"))
    bic.edit("organisation", org, city="Słubice")
    lop.edit("organisation", org, city="Gubin")
    lop.import_(network.send(bic, "LOP"))
    report = snb.import_(network.send(lop, "SNB"))
    assert report.conflicts == 1 == len(snb.conflicts())


def test_generated_documents_and_templates_travel_to_the_partners(network: Network,
                                                                   tmp_path: Path):
    """A document made at BIC and a template loaded there arrive at LOP with their files;
    LOP lists them, but keeps filling its own choice of template."""
    from euregionet_desktop.documents import defaults
    from euregionet_desktop.services import documents

    bic, lop, _snb, _cit = network.replicas
    cluster = bic.add("cluster", name_pl="Klaster Dokumentów", country="PL")
    plan = bic.add("action_plan", cluster_id=cluster, title="Plan für die Reise")
    made = bic.run(documents.generate_document, profile=bic.profile, kind="action-plan",
                   record_id=plan, language="de", output=tmp_path / "plan.docx")
    template = tmp_path / "action-plan.de.docx"
    template.write_bytes(defaults.default_template("action-plan", "de"))
    loaded = bic.run(documents.load_template, profile=bic.profile, path=template,
                     kind="action-plan", language="de")
    network.exchange_until_quiet()
    arrived = {d.id: d for d in lop.read(documents.stored_documents)}
    assert arrived[made.attachment_id].record_label == "Plan für die Reise"
    assert arrived[made.attachment_id].language == "de"
    assert arrived[loaded.attachment_id].kind == "template"
    assert not arrived[loaded.attachment_id].active  # chosen at BIC, not at LOP
    copy = lop.read(documents.save_copy, profile=lop.profile, attachment_id=made.attachment_id,
                    output=tmp_path / "at-lop.docx")
    assert copy.read_bytes() == (tmp_path / "plan.docx").read_bytes()
