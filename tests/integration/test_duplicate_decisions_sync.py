""""Not a duplicate" travels (issue 17, Done when 3, second half): a decision made at one
office hides the pair at every office, whatever order bundles arrive in; concurrent
decisions on one pair converge; an undone decision brings the pair back everywhere; an
erasure takes the erased person out of a decision made offline elsewhere, and no dump
keeps the erased id. Replicas are driven in-process through the services (sync_network).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_network import Network

from euregionet_desktop.services import duplicates
from euregionet_desktop.services.undo import undo


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices", ("BIC", "LOP", "SNB"))
    yield net
    net.close()


def candidates(replica, entity):
    return [pair.ids for pair in replica.read(duplicates.candidates, entity=entity)]


def _twins(network: Network) -> tuple[str, str, str, str]:
    """At BIC, synced everywhere: a firm entered twice (NIP spelled two ways) and a person
    entered twice at it (the same e-mail in other case)."""
    bic = network.by_name("BIC0")
    firms = sorted((
        bic.add("organisation", name="Odrzańskie Zakłady Metalowe Sp. z o.o.", country="PL",
                nip="599-000-20-05"),
        bic.add("organisation", name="ODRZANSKIE ZAKLADY METALOWE", country="PL",
                nip="PL5990002005")))
    people = sorted((
        bic.add("contact", first_name="Ewa", last_name="Nowak", email="ewa.nowak@odra.pl",
                organisation_id=firms[0]),
        bic.add("contact", first_name="Ewa", last_name="Nowak-Lis", email="EWA.NOWAK@odra.pl")))
    network.exchange_until_quiet()
    network.assert_converged()
    for replica in network.replicas:
        assert candidates(replica, "organisation") == [tuple(firms)]
        assert candidates(replica, "contact") == [tuple(people)]
    return (*firms, *people)


@pytest.mark.parametrize("seed", [1, 2])
def test_decisions_hide_the_pair_everywhere_in_any_order(network, seed):
    first_firm, second_firm, first_person, second_person = _twins(network)
    lop, snb = network.by_name("LOP1"), network.by_name("SNB2")
    # Both offices decide about the firms without knowing of each other; SNB also about
    # the people.
    lop.run(duplicates.not_duplicate, entity="organisation", first_id=first_firm,
            second_id=second_firm)
    snb.run(duplicates.not_duplicate, entity="organisation", first_id=second_firm,
            second_id=first_firm)
    snb.run(duplicates.not_duplicate, entity="contact", first_id=first_person,
            second_id=second_person)
    network.exchange_until_quiet(rng=random.Random(seed))
    network.assert_converged()
    for replica in network.replicas:
        assert candidates(replica, "organisation") == []
        assert candidates(replica, "contact") == []


def test_an_undone_decision_brings_the_pair_back_everywhere(network):
    first_firm, second_firm, _first_person, _second_person = _twins(network)
    lop = network.by_name("LOP1")
    changes = lop.run(duplicates.not_duplicate, entity="organisation", first_id=first_firm,
                      second_id=second_firm)
    network.exchange_until_quiet()
    assert all(candidates(r, "organisation") == [] for r in network.replicas)
    lop.run(undo, step=changes.undo)
    network.exchange_until_quiet()
    network.assert_converged()
    assert all(candidates(r, "organisation") == [(first_firm, second_firm)]
               for r in network.replicas)


def test_an_erasure_wins_over_a_decision_made_offline(network):
    _first_firm, _second_firm, first_person, second_person = _twins(network)
    lop, snb = network.by_name("LOP1"), network.by_name("SNB2")
    lop.run(duplicates.not_duplicate, entity="contact", first_id=first_person,
            second_id=second_person)
    snb.erase(first_person)
    network.exchange_until_quiet(rng=random.Random(3))
    final = network.assert_converged()
    assert first_person.encode() not in final
    for replica in network.replicas:
        assert candidates(replica, "contact") == []
        hits = replica.read(duplicates.possible_duplicates, entity="contact",
                            values={"email": "Ewa.Nowak@odra.pl"})
        assert [h.id for h in hits] == [second_person]
