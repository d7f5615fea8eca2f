"""Address books out: contacts as vCard 3.0 (RFC 2426), as Outlook, Thunderbird and phones
read them.

UTF-8 without quoted-printable, CRLF line ends, lines folded at 75 octets without cutting a
UTF-8 character in two. The lines are written here rather than by vobject: its serializer
measures the length of a line in characters, so a line of Polish letters below 75
characters but above 75 octets stays unfolded (vobject reads them back in the tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from euregionet_desktop.interchange.writing import atomic_file

LINE_OCTETS = 75


@dataclass(frozen=True)
class Card:
    """One contact person as an address book holds them (empty text: left out)."""

    record_id: str
    first_name: str = ""
    last_name: str = ""
    prefix: str = ""  # an academic title: "dr", "Prof. Dr."
    full_name: str = ""
    organisation: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""  # E.164
    mobile: str = ""  # E.164
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""  # the country's name
    note: str = ""
    revised: str = ""  # "2026-12-06T19:37:00Z", the last change


def escape(text: str) -> str:
    """A text value with the characters vCard gives a meaning escaped."""
    return (text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (a continuation line's
    leading space counts), never inside a character; each line ends with CRLF."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def card_lines(card: Card) -> list[str]:
    """The content lines of one vCard, unfolded."""
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    name = ";".join(escape(part) for part in (card.last_name, card.first_name, "",
                                               card.prefix, ""))
    lines.append(f"N:{name}")
    full = card.full_name or " ".join(p for p in (card.first_name, card.last_name) if p)
    lines.append(f"FN:{escape(full)}")
    if card.organisation:
        lines.append(f"ORG:{escape(card.organisation)}")
    if card.job_title:
        lines.append(f"TITLE:{escape(card.job_title)}")
    if card.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(card.email)}")
    if card.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(card.phone)}")
    if card.mobile:
        lines.append(f"TEL;TYPE=CELL:{escape(card.mobile)}")
    if any((card.street, card.postal_code, card.city, card.country)):
        address = ";".join(escape(part) for part in (
            "", "", card.street, card.city, "", card.postal_code, card.country))
        lines.append(f"ADR;TYPE=WORK:{address}")
    if card.note:
        lines.append(f"NOTE:{escape(card.note)}")
    if card.revised:
        lines.append(f"REV:{card.revised}")
    lines.append(f"UID:urn:uuid:{card.record_id}")
    lines.append("END:VCARD")
    return lines


def card_text(card: Card) -> str:
    """One vCard as written to the file: folded lines, each ending in CRLF."""
    return "".join(fold(line) for line in card_lines(card))


def write_vcards(path: Path, cards: Iterable[Card]) -> int:
    """Write the cards to one .vcf file, whole or not at all; returns how many."""
    count = 0
    with atomic_file(path, newline="") as handle:
        for card in cards:
            handle.write(card_text(card))
            count += 1
    return count
