"""Sync through a mailbox (issue 18): installations of three offices (one with two laptops)
push and pull through a shared folder or the office hub on PostgreSQL, in random
interleavings with edits, and converge; the mailbox holds ciphertext only."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from euregionet_desktop.errors import MailboxOffline
from euregionet_desktop.services import exchange, hub, records
from tests.sync_network import Network

OFFICES = ("BIC", "LOP", "LOP", "SNB")


@pytest.fixture(params=["folder", "postgresql"])
def mailbox(request, tmp_path):
    """office code -> the URL its installations sync through, and where the mailbox keeps
    its bytes (to look for plain text in)."""
    if request.param == "folder":
        folder = tmp_path / "Nextcloud" / "EuRegioNet"
        folder.mkdir(parents=True)
        return _Mailbox(lambda _office: str(folder), [folder], None)
    server = request.getfixturevalue("pg_hub")
    return _Mailbox(server.url, [server.data_dir], server)


class _Mailbox:
    def __init__(self, url_for, places: list[Path], server) -> None:
        self.url_for = url_for
        self.places = places
        self.server = server

    def holds(self, needle: bytes) -> list[str]:
        """Where the mailbox's bytes (files, the server's data directory, its dump) hold
        ``needle``."""
        found = []
        if self.server is not None:
            self.server.checkpoint()  # every buffered page in the data directory's files
        for place in self.places:
            for path in place.rglob("*"):
                if path.is_file() and needle in path.read_bytes():
                    found.append(str(path))
        if self.server is not None and needle in self.server.pg_dump():
            found.append("pg_dump")
        return found


def _network(tmp_path: Path, mailbox: _Mailbox) -> Network:
    network = Network.create(tmp_path / "net", OFFICES)
    for replica in network.replicas:
        replica.run(hub.set_hub, url=mailbox.url_for(replica.office))
    return network


def _quiesce(network: Network, limit: int = 6) -> int:
    """Every installation syncs, round after round, until a round moves nothing."""
    for rounds in range(1, limit + 1):
        moved = 0
        for replica in network.replicas:
            report = replica.hub_sync()
            moved += report.imported + (1 if report.pushed_changes else 0)
        if moved == 0:
            return rounds
    raise AssertionError(f"no quiescence after {limit} rounds of hub sync")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_and_syncs_converge(tmp_path, mailbox, seed):
    rng = random.Random(seed)
    network = _network(tmp_path, mailbox)
    try:
        firms: list[str] = []
        for _step in range(40):
            replica = rng.choice(network.replicas)
            action = rng.random()
            if action < 0.35 or not firms:
                firms.append(replica.add("organisation", name=f"Firma {rng.randrange(10**6)}",
                                         country=rng.choice(["PL", "DE"])))
            elif action < 0.6:
                record_id = rng.choice(firms)
                try:
                    replica.edit("organisation", record_id, city=rng.choice(
                        ["Gorzów Wielkopolski", "Frankfurt (Oder)", "Słubice", "Cottbus"]))
                except Exception:  # not arrived here yet, or deleted: a person's refusal
                    continue
            elif action < 0.65:
                record_id = rng.choice(firms)
                try:
                    replica.delete("organisation", record_id)
                except Exception:
                    continue
            else:
                replica.hub_sync()
        rounds = _quiesce(network)
        assert rounds <= 5
        network.assert_converged()
        live = network.replicas[0].read(records.list_ids, entity="organisation")
        assert live  # something survived to compare
    finally:
        network.close()


def test_the_mailbox_holds_ciphertext_only(tmp_path, mailbox):
    network = _network(tmp_path, mailbox)
    try:
        planted = f"Zakład Ślusarski Źdźbło {uuid.uuid4().hex}"
        lop = network.replicas[1]
        lop.add("organisation", name=planted, country="PL", city="Słubice")
        _quiesce(network)
        network.assert_converged()
        for replica in network.replicas:
            assert replica.read(records.list_page, entity="organisation",
                                filter_text="Źdźbło").total == 1
        needle = planted.split()[-1].encode()
        assert mailbox.holds(needle) == []
        assert mailbox.holds(planted.encode()) == []
    finally:
        network.close()


def test_a_second_sync_with_nothing_new_pushes_nothing(tmp_path, mailbox):
    network = _network(tmp_path, mailbox)
    try:
        network.replicas[0].add("organisation", name="Odra Logistik GmbH", country="DE")
        _quiesce(network)
        report = network.replicas[0].hub_sync()
        assert report.pushed_bundle is None and report.imported == 0
        status = network.replicas[0].read(hub.hub_status)
        assert status.pending_out == 0 and status.settings.last_sync_at
    finally:
        network.close()


def test_a_folder_that_is_gone_is_offline_and_loses_nothing(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    network = _network(tmp_path, _Mailbox(lambda _o: str(folder), [folder], None))
    try:
        bic, lop = network.replicas[0], network.replicas[1]
        firm = bic.add("organisation", name="Oderland Holz GmbH", country="DE")
        folder.rename(tmp_path / "usb-pulled")
        with pytest.raises(MailboxOffline) as raised:
            bic.hub_sync()
        assert str(folder) in str(raised.value)
        assert bic.read(hub.hub_status).pending_out > 0
        (tmp_path / "usb-pulled").rename(folder)
        bic.hub_sync()
        lop.hub_sync()
        assert lop.read(records.get, entity="organisation", record_id=firm).values[
            "name"] == "Oderland Holz GmbH"
    finally:
        network.close()


def _sync_with(replica, progress):
    with replica.acting():
        return hub.sync(replica.open().backend, profile=replica.profile, progress=progress)


def _bundles_in(replica) -> list[str]:
    return [r.bundle_id for r in replica.read(exchange.bundle_history) if r.direction == "in"]


def test_a_pull_cut_by_a_stopped_server_resumes_where_it_stopped(tmp_path, pg_hub):
    """The server goes down after the first of three bundles is imported: that one stays
    imported (and handled), nothing else half-done; after the restart the next sync
    imports the other two, none twice, and all converge."""
    network = _network(tmp_path, _Mailbox(pg_hub.url, [], None))
    try:
        bic, lop, lop2, snb = network.replicas
        for n, sender in enumerate((bic, lop2, snb)):
            sender.add("organisation", name=f"Firma {n}", country="PL")
            sender.hub_sync()
        imported = []

        def stop_after_first(stage, done, _total):
            if stage == hub.PULL_STAGE and done == 1 and not imported:
                imported.append(done)
                pg_hub.server.stop()

        with pytest.raises(MailboxOffline):
            _sync_with(lop, stop_after_first)
        assert len(_bundles_in(lop)) == 1
        assert lop.read(hub.hub_settings).last_sync_at is None  # not a completed sync
        pg_hub.server.start()
        report = lop.hub_sync()
        assert report.imported == 2
        assert len(set(_bundles_in(lop))) == len(_bundles_in(lop)) == 3
        _quiesce(network)
        network.assert_converged()
    finally:
        if not pg_hub.server.running:
            pg_hub.server.start()
        network.close()


def test_terminated_backends_mid_sync_lose_nothing(tmp_path, pg_hub):
    """pg_terminate_backend before the push and between pulled bundles: the mailbox
    connects again, the sync completes, nothing is imported twice."""
    network = _network(tmp_path, _Mailbox(pg_hub.url, [], None))
    try:
        bic, lop, _lop2, snb = network.replicas
        for sender in (bic, snb):
            sender.add("organisation", name=f"Firma {sender.name}", country="DE")
            sender.hub_sync()
        lop.add("organisation", name="Firma LOP", country="PL")
        terminated = []

        def terminate(stage, done, _total):
            terminated.append(pg_hub.terminate())

        report = _sync_with(lop, terminate)
        assert any(terminated)
        assert report.pushed_changes > 0 and report.imported == 2
        _quiesce(network)
        network.assert_converged()
        assert len(set(_bundles_in(lop))) == len(_bundles_in(lop))
    finally:
        network.close()


def test_a_push_cut_by_a_stopped_server_is_made_again(tmp_path, pg_hub):
    """The server is down when the push is sent: nothing is logged as pushed, the
    changes still count as to send; the next sync after the restart sends them."""
    network = _network(tmp_path, _Mailbox(pg_hub.url, [], None))
    try:
        bic, lop = network.replicas[0], network.replicas[1]
        firm = bic.add("organisation", name="Spreewald Mechatronik GmbH", country="DE")

        def stop_before_push(stage, _done, _total):
            if stage == hub.PUSH_STAGE:
                pg_hub.server.stop()

        with pytest.raises(MailboxOffline):
            _sync_with(bic, stop_before_push)
        assert [r for r in bic.read(exchange.bundle_history) if r.direction == "out"] == []
        assert bic.read(hub.hub_status).pending_out > 0
        assert pg_hub.server.running is False
        pg_hub.server.start()
        assert pg_hub.rows() == []
        assert bic.hub_sync().pushed_changes > 0
        lop.hub_sync()
        assert lop.read(records.get, entity="organisation", record_id=firm).label.startswith(
            "Spreewald")
    finally:
        if not pg_hub.server.running:
            pg_hub.server.start()
        network.close()


def test_a_bundle_refused_until_its_key_is_trusted_imports_then(tmp_path):
    """A new SNB laptop that LOP does not trust yet: its bundle is refused at LOP with the
    reason, and tried again at every sync; once LOP trusts the key it imports, and the
    offices converge (the refused bundle's changes are in no other bundle)."""
    from euregionet_desktop.services import partners

    folder = tmp_path / "share"
    folder.mkdir()
    network = Network.create(tmp_path / "net", ("BIC", "LOP"))
    try:
        bic, lop = network.replicas
        newcomer = network.add_laptop("SNB", known_by=[bic])
        for replica in network.replicas:
            replica.run(hub.set_hub, url=str(folder))
        firm = newcomer.add("organisation", name="Lausitz Solar GmbH", country="DE")
        newcomer.hub_sync()
        for _ in range(2):
            report = lop.hub_sync()
            assert report.imported == 0 and len(report.set_aside) == 1
            assert "trusted" in report.set_aside[0].message
        assert lop.read(hub.hub_status).set_aside == 1
        lop.run(partners.trust, partner=newcomer.read(partners.own_public_keys,
                                                      profile=newcomer.profile))
        report = lop.hub_sync()
        assert report.imported == 1 and report.set_aside == []
        assert lop.read(records.get, entity="organisation", record_id=firm).values[
            "name"] == "Lausitz Solar GmbH"
        _quiesce(network)
        network.assert_converged()
    finally:
        network.close()


def test_a_laptop_restored_from_a_backup_gets_back_what_it_pushed_since(tmp_path, mailbox):
    """BIC backs up, adds a firm, syncs; then restores the backup (the firm gone here) and
    syncs again: the firm comes back from the hub, and every office converges."""
    network = _network(tmp_path, mailbox)
    try:
        bic, lop = network.replicas[0], network.replicas[1]
        bic.add("organisation", name="Before the backup", country="DE")
        _quiesce(network)
        backup = bic.backup()
        later = bic.add("organisation", name="After the backup", country="DE")
        bic.hub_sync()
        lop.hub_sync()
        bic.restore(backup)
        assert later not in bic.read(records.list_ids, entity="organisation")
        _quiesce(network)
        network.assert_converged()
        assert later in bic.read(records.list_ids, entity="organisation")
    finally:
        network.close()
