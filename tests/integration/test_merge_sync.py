"""Merges travel between offices (issue 17): late changes for a merged record land on the
survivor, concurrent merges converge on one survivor, erasure wins over a merge."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from euregionet_desktop.services import merging, records
from tests.sync_network import Network, Replica


@pytest.fixture
def pair(tmp_path: Path):
    network = Network.create(tmp_path / "offices", ("LOP", "BIC"))
    yield network
    network.close()


def _send(network: Network, sender: Replica, receiver: Replica) -> None:
    receiver.import_(network.send(sender, receiver.office))


def _firm_with_people(replica: Replica, name: str, nip: str, person: str) -> tuple[str, ...]:
    firm = replica.add("organisation", name=name, country="PL", nip=nip, city="Gorzów Wlkp.")
    contact = replica.add("contact", last_name=person, organisation_id=firm)
    consultation = replica.add("consultation", held_at="2026-12-01T10:00", subject=person,
                               organisation_id=firm, contact_ids=[contact])
    return firm, contact, consultation


def _live(replica: Replica, entity: str) -> list[str]:
    return replica.read(records.list_ids, entity=entity)


def _value(replica: Replica, entity: str, record_id: str, name: str):
    return replica.read(records.get, entity=entity, record_id=record_id).values[name]


@pytest.mark.parametrize("merger_first", [True, False])
def test_a_late_consultation_and_city_edit_land_on_the_survivor(pair: Network,
                                                                merger_first: bool):
    """Done-when 2: LOP merges; BIC, without that bundle, adds a consultation to the copy
    merged away and edits its city; after bundles both ways (either order) the dumps are
    the same bytes, the firm is there once and everything refers to it."""
    lop, bic = pair.replicas
    firm_l, contact_l, cons_l = _firm_with_people(
        lop, "Odrzańskie Zakłady Metalowe Sp. z o.o.", "599-000-20-05", "Nowak")
    firm_b, contact_b, cons_b = _firm_with_people(
        bic, "ODRZANSKIE ZAKLADY METALOWE", "PL5990002005", "Schulz")
    pair.exchange_until_quiet()

    lop.run(merging.merge, entity="organisation", survivor_id=firm_l, other_ids=[firm_b])
    late = bic.add("consultation", held_at="2026-12-05T09:00", subject="late",
                   organisation_id=firm_b)
    bic.edit("organisation", firm_b, city="Frankfurt (Oder)")

    if merger_first:
        _send(pair, lop, bic)
        _send(pair, bic, lop)
    else:
        _send(pair, bic, lop)
        _send(pair, lop, bic)
    pair.exchange_until_quiet()
    data = pair.assert_converged()

    for replica in (lop, bic):
        assert _live(replica, "organisation") == [firm_l]
        for consultation in (cons_l, cons_b, late):
            assert _value(replica, "consultation", consultation, "organisation_id") == firm_l
        for contact in (contact_l, contact_b):
            assert _value(replica, "contact", contact, "organisation_id") == firm_l
        assert _value(replica, "organisation", firm_l, "city") == "Frankfurt (Oder)"
    dumped = orjson.loads(data)
    merged_away = next(o for o in dumped["organisation"] if o["id"] == firm_b)
    assert merged_away["deleted"] is True  # its row stays (history, undo), never live again


def test_opposite_merges_converge_on_one_survivor(pair: Network):
    """Done-when 3: two offices merge the same pair in opposite directions; both keep the
    same one (no record merged away by no merge: the smallest id of the two)."""
    lop, bic = pair.replicas
    firm_l, contact_l, cons_l = _firm_with_people(lop, "Alpha Sp. z o.o.", "5990002005", "A")
    firm_b, contact_b, cons_b = _firm_with_people(bic, "ALPHA", "5990002005", "B")
    cluster = lop.add("cluster", name_pl="Klaster", kind="cluster", country="PL")
    lop.add("membership", cluster_id=cluster, organisation_id=firm_l, role="member")
    pair.exchange_until_quiet()
    bic.add("membership", cluster_id=cluster, organisation_id=firm_b, role="member")
    pair.exchange_until_quiet()

    lop.run(merging.merge, entity="organisation", survivor_id=firm_l, other_ids=[firm_b])
    bic.run(merging.merge, entity="organisation", survivor_id=firm_b, other_ids=[firm_l])
    pair.exchange_until_quiet()
    pair.assert_converged()

    kept = min(firm_l, firm_b)
    for replica in (lop, bic):
        assert _live(replica, "organisation") == [kept]
        for record in (contact_l, contact_b):
            assert _value(replica, "contact", record, "organisation_id") == kept
        for record in (cons_l, cons_b):
            assert _value(replica, "consultation", record, "organisation_id") == kept
        assert len(_live(replica, "membership")) == 1  # the same one kept at both


def test_a_chain_of_merges_resolves_to_its_end(tmp_path: Path):
    """a→b at one office and b→c at another, neither knowing the other: everything lands
    on c, in any delivery order."""
    network = Network.create(tmp_path / "offices", ("LOP", "BIC", "SNB"))
    try:
        lop, bic, snb = network.replicas
        a, ca, _x = _firm_with_people(lop, "Gamma", "5990002005", "A")
        b, cb, _y = _firm_with_people(bic, "Gamma GmbH", "5990002005", "B")
        c, cc, _z = _firm_with_people(snb, "GAMMA", "5990002005", "C")
        network.exchange_until_quiet()
        lop.run(merging.merge, entity="organisation", survivor_id=b, other_ids=[a])
        bic.run(merging.merge, entity="organisation", survivor_id=c, other_ids=[b])
        network.exchange_until_quiet(rng=random.Random(7))
        network.assert_converged()
        for replica in network.replicas:
            assert _live(replica, "organisation") == [c]
            for contact in (ca, cb, cc):
                assert _value(replica, "contact", contact, "organisation_id") == c
    finally:
        network.close()


@pytest.mark.parametrize("merge_arrives_first", [True, False])
def test_erasure_of_one_side_erases_the_whole_merged_person(pair: Network,
                                                            merge_arrives_first: bool):
    """Erasure wins: LOP merges two records of one person, BIC (without the merge) erases
    the one merged away; both records are erased everywhere, whatever arrives first."""
    lop, bic = pair.replicas
    firm = lop.add("organisation", name="Delta", country="DE")
    anna = lop.add("contact", last_name="Schmidt", first_name="Anna", organisation_id=firm,
                   email="anna@example.org")
    pair.exchange_until_quiet()
    twin = bic.add("contact", last_name="Schmidt", first_name="Anna",
                   email="ANNA@example.org")
    consultation = bic.add("consultation", held_at="2026-12-02T11:00",
                           contact_ids=[twin, anna])
    pair.exchange_until_quiet()

    lop.run(merging.merge, entity="contact", survivor_id=anna, other_ids=[twin])
    bic.erase(twin)
    if merge_arrives_first:
        _send(pair, lop, bic)
        _send(pair, bic, lop)
    else:
        _send(pair, bic, lop)
        _send(pair, lop, bic)
    pair.exchange_until_quiet()
    data = pair.assert_converged()
    assert b"Schmidt" not in data and b"anna@" not in data.lower()
    for replica in (lop, bic):
        assert _live(replica, "contact") == []
        assert _value(replica, "consultation", consultation, "contact_ids") in ([], None)
