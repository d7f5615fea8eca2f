"""A new laptop of an office receives a partner's bundle made before the partner knew it:
changes to records it has not received yet wait, then apply (issue 13, points 8 and
"Done when" 7)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_network import Network

from euregionet_desktop.errors import NotFoundError
from euregionet_desktop.services import partners, records


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices", ("BIC", "LOP", "SNB"))
    yield net
    net.close()


def phone_of(replica, contact: str) -> str | None:
    """The contact's phone at a replica ("missing": no such record there yet)."""
    try:
        return replica.read(records.get, entity="contact", record_id=contact).values["phone"]
    except NotFoundError:
        return "missing"


def test_a_new_laptop_waits_for_the_record_a_partner_edited_then_applies(network):
    """SNB does not know LOP's second laptop; its bundle (made for what LOP's first laptop
    holds) edits a contact the new laptop has not received: the laptop imports it, the
    edit waits, and SNB's next bundle, after it heard from the laptop, completes it
    without any bundle of a third office."""
    bic, lop, snb = network.replicas
    contact = bic.add("contact", first_name="Jan", last_name="Kowalski")
    for office in ("LOP", "SNB"):
        path = network.send(bic, office)
        for recipient in network.recipients(office):
            recipient.import_(path)
    snb.import_(network.send(lop, "SNB"))  # SNB learns what LOP's laptop holds
    laptop = network.add_laptop("LOP", known_by=[bic, lop])  # SNB has not heard of it
    snb.edit("contact", contact, phone="+48957200000")

    bundle = network.send(snb, "LOP")
    assert lop.import_(bundle).waiting == 0
    report = laptop.import_(bundle)  # refused the whole bundle before
    assert report.waiting >= 1
    assert phone_of(laptop, contact) == "missing"

    # SNB trusts the new laptop's key and imports its bundle: now it knows what the laptop
    # holds, and its next bundle for LOP serves the least up-to-date laptop.
    snb.run(partners.trust, partner=laptop.read(partners.own_public_keys,
                                                profile=laptop.profile))
    snb.import_(network.send(laptop, "SNB"))
    bundle = network.send(snb, "LOP")
    report = laptop.import_(bundle)
    assert report.waiting == 0 and report.applied > 0
    assert phone_of(laptop, contact) == phone_of(lop, contact) == "+48957200000"
    lop.import_(bundle)
    network.exchange_until_quiet()
    network.assert_converged()


def test_an_edit_waiting_for_a_record_erased_meanwhile_waits_no_more(network):
    """The new laptop holds SNB's edit of a person it never received; the person is
    erased at BIC: once the erasure arrives the edit is dropped, nothing waits, and the
    offices converge without the person."""
    bic, lop, snb = network.replicas
    contact = bic.add("contact", first_name="Ewa", last_name="Qwertzuiopowska")
    for office in ("LOP", "SNB"):
        path = network.send(bic, office)
        for recipient in network.recipients(office):
            recipient.import_(path)
    snb.import_(network.send(lop, "SNB"))
    laptop = network.add_laptop("LOP", known_by=[bic, lop])
    snb.edit("contact", contact, notes="call back")
    assert laptop.import_(network.send(snb, "LOP")).waiting >= 1
    bic.erase(contact)
    report = laptop.import_(network.send(bic, "LOP"))
    assert report.waiting == 0 and report.dropped >= 1
    assert phone_of(laptop, contact) == "missing"
    snb.run(partners.trust, partner=laptop.read(partners.own_public_keys,
                                                profile=laptop.profile))
    network.exchange_until_quiet()
    network.assert_converged()
    assert b"Qwertzuiopowska" not in laptop.dump()
