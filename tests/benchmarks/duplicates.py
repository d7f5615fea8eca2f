"""Duplicates targets of issue 17, on the benchmark's profile (``--contacts`` contacts of
demo data; the 100k demo profile holds 10,000 organisations and 1,000 clusters):

- full scan: ``duplicates.candidates`` of organisations and of contacts (and clusters), as
  ``euregionet duplicates TYPE`` and the duplicates view run it: organisations and contacts
  together ≤ 3 s (median of 3).
- while typing: ``duplicates.possible_duplicates`` for values a person types on the
  organisation and contact forms (a name in capitals without its legal form, a NIP with
  dashes, a website, a person's name at an organisation, an e-mail in other case, a phone
  written nationally), each through the Backend as the form's check runs it: median ≤ 30 ms
  (the 95th percentile and the slowest are printed too).
"""

from __future__ import annotations

import random
import statistics
import time

import phonenumbers
from sqlalchemy import text

from euregionet_desktop.services import duplicates
from euregionet_desktop.services.profile import Core

SCAN_TARGET_S = 3.0
TYPING_TARGET_MS = 30.0
RUNS = 3
SAMPLES = 150  # records whose values are typed, per kind


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def _national(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def typed_values(core: Core) -> list[tuple[str, dict]]:
    """(entity, values as typed) drawn from the profile's records, in a fixed order."""
    rng = random.Random(17)
    with core.backend.engine.connect() as db:
        organisations = db.execute(text(
            "SELECT name, nip, city, website FROM organisation WHERE deleted = 0")).all()
        contacts = db.execute(text(
            "SELECT first_name, last_name, organisation_id, email, phone FROM contact "
            "WHERE deleted = 0")).all()
    typed: list[tuple[str, dict]] = []
    for name, nip, city, website in rng.sample(organisations, min(SAMPLES, len(organisations))):
        typed.append(("organisation", {"name": name.upper(), "city": city or ""}))
        if nip:
            typed.append(("organisation", {"name": name, "nip": f"{nip[:3]}-{nip[3:6]}-"
                                                               f"{nip[6:8]}-{nip[8:]}"}))
        if website:
            typed.append(("organisation", {"name": name, "website": website.upper()}))
    for first, last, organisation, email, phone in rng.sample(contacts,
                                                              min(SAMPLES, len(contacts))):
        typed.append(("contact", {"first_name": first or "", "last_name": last,
                                  "organisation_id": organisation}))
        if email:
            typed.append(("contact", {"first_name": first or "", "last_name": last,
                                      "email": email.upper()}))
        if phone:
            typed.append(("contact", {"last_name": last, "phone": _national(phone)}))
    return typed


def run(core: Core) -> list[str]:
    lines = ["", "duplicates:"]
    scans: dict[str, float] = {}
    counts: dict[str, int] = {}
    for entity in ("organisation", "contact", "cluster"):
        seconds = []
        for _run in range(RUNS):
            started = time.perf_counter()
            counts[entity] = len(core.backend.read(duplicates.candidates, entity=entity))
            seconds.append(time.perf_counter() - started)
        scans[entity] = statistics.median(seconds)
    with core.backend.engine.connect() as db:
        sizes = {entity: db.execute(text(f"SELECT count(*) FROM {entity} WHERE deleted = 0")
                                    ).scalar() for entity in scans}
    for entity, seconds in scans.items():
        lines.append(f"  full scan of {sizes[entity]} {entity} records: {seconds:.2f} s, "
                     f"{counts[entity]} candidate pairs")
    both = scans["organisation"] + scans["contact"]
    lines.append(f"duplicates full scan (organisations + contacts): {both:.2f} s  "
                 f"target <= {SCAN_TARGET_S:g} s  {verdict(both <= SCAN_TARGET_S)}")
    typed = typed_values(core)
    for entity, values in typed[:20]:  # warm the caches a running app has warm
        core.backend.read(duplicates.possible_duplicates, entity=entity, values=values)
    timings: dict[str, list[float]] = {"organisation": [], "contact": []}
    hits = 0
    for entity, values in typed:
        started = time.perf_counter()
        found = core.backend.read(duplicates.possible_duplicates, entity=entity, values=values)
        timings[entity].append((time.perf_counter() - started) * 1000)
        hits += bool(found)
    every = timings["organisation"] + timings["contact"]
    for entity, ms in timings.items():
        ms.sort()
        lines.append(f"  while typing, {entity} ({len(ms)} values): median "
                     f"{statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95)]:.2f} ms, "
                     f"slowest {ms[-1]:.2f} ms")
    median = statistics.median(every)
    lines.append(f"duplicates while typing ({len(every)} values, {hits} with a hit): median "
                 f"{median:.2f} ms  target <= {TYPING_TARGET_MS:g} ms  "
                 f"{verdict(median <= TYPING_TARGET_MS)}")
    return lines
