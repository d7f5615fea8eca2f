"""A profile restored from a backup rejoins the network as a new installation of its
office, whatever the order of the exchanges after it (issue 13, point 1)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_network import Network, Replica

from euregionet_desktop.errors import BundleError
from euregionet_desktop.services import backups, bundle_export, records
from euregionet_desktop.sync import clock


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices", ("BIC", "LOP", "LOP", "SNB"))
    yield net
    net.close()


def names(replica: Replica) -> list[str]:
    return sorted(row.values["name"] for row in replica.read(
        records.list_page, entity="organisation").rows)


def waiting(replica: Replica) -> int:
    replica.close()
    with sqlite3.connect(replica.profile.database) as connection:
        count = connection.execute("SELECT count(*) FROM pending_change").fetchone()[0]
    connection.close()
    return count


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_a_restore_any_exchange_order_converges_with_nothing_waiting(network, seed):
    """One of LOP's two laptops restores a backup after it sent a change and made one it
    never sent; with bundles in random order (partners first too), the network is quiet
    within two rounds (encrypted bundles included), the same everywhere, the sent change
    back at the laptop, the unsent one nowhere, nothing waiting."""
    rng = random.Random(seed)
    bic, lop, _lop2, snb = network.replicas
    bic.add("organisation", name="Odra", country="PL")
    network.exchange_until_quiet(rng=rng)
    backup = lop.backup()
    lop.add("organisation", name="Sent", country="PL")
    network.exchange_until_quiet(rng=rng)
    lop.add("organisation", name="Never sent", country="PL")
    old = lop.installation_id

    lop.restore(backup)

    assert lop.installation_id != old
    assert names(lop) == ["Odra"]
    lop.add("organisation", name="After", country="PL")
    snb.add("organisation", name="Spree", country="DE")
    for sender, office in network.pairs():  # one round with encrypted bundles
        path = sender.export(office, network.bundle_path(sender, office), encrypt=True)
        for recipient in network.recipients(office):
            recipient.import_(path)
    assert network.exchange_until_quiet(rng=rng, limit=2) <= 2
    network.assert_converged()
    for replica in network.replicas:
        assert names(replica) == ["After", "Odra", "Sent", "Spree"]
        assert waiting(replica) == 0


def test_trust_given_after_the_backup_survives_the_restore(network):
    """LOP trusted a new SNB laptop after its backup; after the restore its bundles are
    still accepted (trust is not data a restore takes back)."""
    _bic, lop, _lop2, _snb = network.replicas
    backup = lop.backup()
    laptop = network.add_laptop("SNB", known_by=network.replicas)
    laptop.add("organisation", name="Neisse", country="DE")
    lop.restore(backup)
    report = lop.import_(network.send(laptop, "LOP"))
    assert report.applied > 0
    assert "Neisse" in names(lop)


def test_a_second_restore_retires_both_earlier_installations(network):
    """Restoring the same backup twice: each restore retires the installation of the
    backup and the one it replaces, so once all is exchanged partners send the office
    nothing more (no dead laptop's old acknowledgements keep bundles growing), and the
    changes the middle installation had sent are kept."""
    bic, lop, _lop2, _snb = network.replicas
    backup = lop.backup()
    lop.restore(backup)
    lop.add("organisation", name="Middle", country="PL")
    network.exchange_until_quiet()
    lop.restore(backup)
    lop.add("organisation", name="Last", country="PL")
    network.exchange_until_quiet(limit=3)
    network.assert_converged()
    assert names(lop) == ["Last", "Middle"]
    assert all(waiting(replica) == 0 for replica in network.replicas)
    for sender in (bic, network.replicas[3]):
        path = network.bundle_path(sender, "LOP")
        assert sender.run(bundle_export.export_bundle, profile=sender.profile,
                          to_office="LOP", path=path).changes == 0


def test_a_backup_from_before_a_clock_ran_a_year_ahead_rejoins(network, monkeypatch):
    """LOP's clock ran a year ahead: partners refuse its bundles, and still do once the
    clock is right again (its changes are dated a year ahead). Restoring a backup made
    before the jump gets it back: the new installation's changes are dated by the right
    clock, not by the wrong one the replaced database carried (they were refused too)."""
    bic, lop, _laptop, _snb = network.replicas
    bic.add("organisation", name="Before", country="PL")
    network.exchange_until_quiet()
    backup = lop.backup()
    real_now = clock.now_ms
    monkeypatch.setattr(clock, "now_ms", lambda: real_now() + 365 * 86_400_000)
    lop.add("organisation", name="Dated a year ahead", country="PL")
    monkeypatch.setattr(clock, "now_ms", real_now)
    before = bic.dump()
    with pytest.raises(BundleError, match="365 days ahead"):
        bic.import_(network.send(lop, "BIC"))
    assert bic.dump() == before

    lop.restore(backup)
    lop.add("organisation", name="After the restore", country="PL")
    assert bic.import_(network.send(lop, "BIC")).applied > 0
    assert network.exchange_until_quiet() <= 2
    network.assert_converged()
    assert names(bic) == ["After the restore", "Before"]
    assert all(waiting(r) == 0 for r in network.replicas)


def test_restores_in_a_row_leave_nothing_waiting(network):
    """A restore undone by restoring its before-restore backup, then another restore, then
    going back to the database of the first one, with no exchange between them: the last
    restore retires an installation the restored database never heard of. Its retirement
    waited forever (every import said "1 change waiting") before the restored profile took
    the records of the installations earlier restores made."""
    lop = network.replicas[1]
    network.exchange_until_quiet()

    def before_restore() -> list[str]:
        return sorted(b.id for b in backups.list_backups(lop.profile)
                      if b.reason == "before-restore")

    lop.restore(lop.backup())  # installation 1
    lop.restore(before_restore()[0])  # undone: installation 2 (retires 1)
    lop.restore(lop.backup())  # installation 3 (retires 2)
    lop.restore(before_restore()[1])  # installation 1's database: 4 (retires 3 and 1)
    assert waiting(lop) == 0
    assert network.exchange_until_quiet() <= 2
    network.assert_converged()
    assert all(waiting(r) == 0 for r in network.replicas)
