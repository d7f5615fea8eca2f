"""Changes that wait for what never comes are shown, after a few exchanges, with the
installation they wait for and what to do (issue 13, point 1)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_network import Network

from euregionet_desktop.services import exchange, partners, waits


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices", ("BIC", "LOP", "SNB"))
    yield net
    net.close()


def test_a_change_lost_at_its_source_is_shown_after_a_few_imports(network):
    """BIC's change 3 is gone from BIC itself (as after a restore by an older version):
    its later changes wait at LOP; the report says nothing for the first imports, then
    names BIC's installation, the change it waits for and what to do, in the import
    report and the Sync view's overview."""
    bic, lop, _snb = network.replicas
    for n in range(3):
        bic.add("organisation", name=f"Odra {n}", country="PL")
    bic.close()
    with sqlite3.connect(bic.profile.database) as connection:
        [(seq,)] = connection.execute(
            "SELECT min(seq) FROM change_log WHERE installation_id = ? AND entity = "
            "'organisation'", (bic.installation_id,)).fetchall()
        connection.execute("DELETE FROM change_log WHERE installation_id = ? AND seq = ?",
                           (bic.installation_id, seq))
    connection.close()
    reports = [lop.import_(network.send(bic, "LOP"))
               for _n in range(waits.LONG_WAIT_IMPORTS)]
    assert all(r.waiting > 0 for r in reports)
    assert all(not r.long_waits for r in reports[:-1])
    [wait] = reports[-1].long_waits
    assert (wait.installation_id, wait.office_code, wait.missing_seq) == (
        bic.installation_id, "BIC", seq)
    assert wait.imports == waits.LONG_WAIT_IMPORTS and wait.changes == reports[-1].waiting
    text = waits.wait_text(wait)
    assert bic.installation_id in text and f"number {seq}" in text and "BIC" in text
    overview = lop.read(exchange.sync_overview, profile=lop.profile)
    assert overview.waits == [wait]
    # Another office's bundle without the missing change does not reset the count; it
    # is still the same wait.
    assert lop.import_(network.send(network.replicas[2], "LOP")).long_waits[0].imports == (
        waits.LONG_WAIT_IMPORTS)


def test_a_record_a_new_laptop_waits_for_is_named_with_the_office_to_ask(network):
    """A new laptop the partner never heard from keeps getting edits of a record it lacks:
    after a few imports the report says which installation's changes wait for a record
    and to send that office a bundle; once it does, the wait ends."""
    bic, lop, snb = network.replicas
    contact = bic.add("contact", first_name="Jan", last_name="Kowalski")
    for office in ("LOP", "SNB"):
        path = network.send(bic, office)
        for recipient in network.recipients(office):
            recipient.import_(path)
    snb.import_(network.send(lop, "SNB"))
    laptop = network.add_laptop("LOP", known_by=[bic, lop])
    reports = []
    for n in range(waits.LONG_WAIT_IMPORTS):
        snb.edit("contact", contact, notes=f"call back {n}")
        reports.append(laptop.import_(network.send(snb, "LOP")))
    [wait] = reports[-1].long_waits
    assert (wait.installation_id, wait.office_code, wait.missing_seq) == (
        snb.installation_id, "SNB", None)
    assert "record not received here" in waits.wait_text(wait)
    snb.run(partners.trust, partner=laptop.read(partners.own_public_keys,
                                                profile=laptop.profile))
    snb.import_(network.send(laptop, "SNB"))
    report = laptop.import_(network.send(snb, "LOP"))
    assert report.waiting == 0 and report.long_waits == ()
    assert laptop.read(exchange.sync_overview, profile=laptop.profile).waits == []


def test_bundle_import_prints_a_long_wait_with_what_to_do(tmp_path):
    """``euregionet bundle import`` adds the long wait to its report, in the language
    asked for: the installation, the change it waits for and the advice."""
    from test_cli import ok_here as ok

    dirs = {code: tmp_path / code for code in ("BIC", "LOP")}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code)
        ok(data_dir, "keys", "export", "-o", str(tmp_path / f"{code}.json"))
    ok(dirs["BIC"], "keys", "trust", str(tmp_path / "LOP.json"), "--yes")
    ok(dirs["LOP"], "keys", "trust", str(tmp_path / "BIC.json"), "--yes")
    ok(dirs["BIC"], "add", "organisation", "name=Odra", "country=PL")
    ok(dirs["BIC"], "add", "organisation", "name=Warta", "country=PL")
    with sqlite3.connect(dirs["BIC"] / "euregionet.sqlite3") as connection:
        installation, seq = connection.execute(
            "SELECT installation_id, min(seq) FROM change_log WHERE entity = 'organisation'"
        ).fetchone()
        connection.execute("DELETE FROM change_log WHERE installation_id = ? AND seq = ?",
                           (installation, seq))
    connection.close()
    outputs = []
    for n in range(waits.LONG_WAIT_IMPORTS):
        bundle = tmp_path / f"{n}.zip"
        ok(dirs["BIC"], "bundle", "export", "--to", "LOP", "-o", str(bundle))
        language = ("--lang", "de") if n == waits.LONG_WAIT_IMPORTS - 1 else ()
        outputs.append(ok(dirs["LOP"], *language, "bundle", "import", str(bundle)))
    assert not any("Send a bundle" in out for out in outputs[:-1])
    assert installation in outputs[-1]
    assert f"Änderung Nummer {seq}" in outputs[-1] and "Senden Sie ein Datenpaket an BIC" in (
        outputs[-1])
