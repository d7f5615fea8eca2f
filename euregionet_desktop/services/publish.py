"""Publishing the cluster directory and the programme's results as a static website in
Polish and German (``euregionet publish -o DIR``, File ▸ Publish…; issue 19).

What is public: each cluster's names, kind, country, region, sectors, description,
coordinator, website and the names of its current member organisations (organisations are
not personal data; the records have no "may be listed" flag, so every current member
organisation is named, and nothing else of it: no address, e-mail or phone).

A cluster's contact persons (the people who are current members in their own right, as
in the printed directory) are published only with their consent to publication in the
directory (services.consent), and only their name, function and organisation: not their
e-mail or phone, which a public page hands to every address-harvesting robot (the printed
booklet, handed to people, has them).
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop import files
from euregionet_desktop.documents import website
from euregionet_desktop.domain import consent, enums, programme
from euregionet_desktop.domain.bilingual import value_labels
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.i18n import _, format_date, sort_key
from euregionet_desktop.services.indicators import indicators
from euregionet_desktop.storage.models import (
    Cluster,
    Contact,
    Indicator,
    Membership,
    Organisation,
)

_DATE = "dd.MM.yyyy"


def _label(choice: type[enums.Choice], value: str | None) -> str:
    try:
        return choice(value).label if value else ""
    except ValueError:
        return ""


def site_data(session: Session, *, today: dt.date | None = None) -> dict[str, Any]:
    """What the site shows, as plain data for ``documents.website.render_site``."""
    today = today or dt.date.today()
    clusters = list(session.execute(select(Cluster).where(
        Cluster.deleted.is_(False)).order_by(Cluster.name_pl_sort)).scalars())
    members: dict[str, set[str]] = defaultdict(set)
    for cluster_id, name in session.execute(
            select(Membership.cluster_id, Organisation.name)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.deleted.is_(False), Membership.left_on.is_(None),
                   Organisation.deleted.is_(False))):
        members[cluster_id].add(name)
    people = _listed_people(session)
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_([c.coordinator_id for c in clusters if c.coordinator_id]),
        Organisation.deleted.is_(False))).all())
    site_clusters = [{
        "id": c.id, "name_pl": c.name_pl, "name_de": c.name_de, "country": c.country,
        "country_label": _label(enums.Country, c.country),
        "kind_label": _label(enums.ClusterKind, c.kind),
        # Codes of the translated lists as their labels, in each language of the site.
        "region": {lang: value_labels("cluster", "region", c.region, language=lang) or ""
                   for lang in website.SITE_LANGUAGES},
        "sectors": {lang: value_labels("cluster", "sectors", list(c.sectors or ()),
                                       language=lang)
                    for lang in website.SITE_LANGUAGES},
        "coordinator": names.get(c.coordinator_id or ""), "website": c.website,
        "description_pl": c.description_pl, "description_de": c.description_de,
        "members": sorted(members.get(c.id, ()), key=sort_key),
        "contacts": people.get(c.id, []),
    } for c in clusters]
    rows = {i.code: i for i in session.execute(select(Indicator).where(
        Indicator.deleted.is_(False))).scalars()}
    site_indicators = []
    for value in indicators(session):
        row = rows[value.code]
        period = (dt.date.fromisoformat(value.period_start),
                  dt.date.fromisoformat(value.period_end))
        site_indicators.append({
            "name_pl": row.name_pl, "name_de": row.name_de, "target": value.target,
            "value": value.value,
            "period": {lang: "–".join(format_date(d, language=lang, fmt=_DATE) for d in period)
                       for lang in website.SITE_LANGUAGES}})
    return {"programme": programme.PROGRAMME_NAME,
            "published": {lang: format_date(today, language=lang, fmt=_DATE)
                          for lang in website.SITE_LANGUAGES},
            "clusters": site_clusters, "indicators": site_indicators}


def _listed_people(session: Session) -> dict[str, list[dict[str, str]]]:
    """Per cluster, its contact persons who consented to publication in the directory:
    name, function and organisation, in surname order."""
    found: dict[str, list[tuple[tuple[str, str], dict[str, str]]]] = defaultdict(list)
    rows = session.execute(
        select(Membership.cluster_id, Contact, Organisation.name)
        .join(Contact, Contact.id == Membership.contact_id)
        .outerjoin(Organisation, (Organisation.id == Contact.organisation_id)
                   & Organisation.deleted.is_(False))
        .where(Membership.deleted.is_(False), Membership.left_on.is_(None),
               Contact.deleted.is_(False),
               Contact.consent_status == enums.ConsentStatus.GIVEN.value))
    for cluster_id, person, organisation in rows:
        if not consent.allows(person, enums.ConsentScope.DIRECTORY):
            continue
        name = " ".join(p for p in (person.title, person.first_name, person.last_name) if p)
        found[cluster_id].append(((sort_key(person.last_name), sort_key(person.first_name)), {
            "name": name, "function": person.function or "",
            "organisation": organisation or ""}))
    return {cluster_id: [entry for _key, entry in sorted(entries, key=lambda e: e[0])]
            for cluster_id, entries in found.items()}


def check_output(output: Path) -> None:
    """Refuse a folder that holds anything but an earlier publication (it would be lost)."""
    if output.exists() and not output.is_dir():
        raise FileAccessError(_("{path} is a file, not a folder: choose a new or empty folder "
                                "for the website.").format(path=output))
    if output.is_dir() and any(output.iterdir()) and not (output / website.MARKER).is_file():
        raise FileAccessError(_("{path} is not empty and holds no earlier publication: choose "
                                "a new or empty folder for the website.").format(path=output))


def publish(session: Session, *, output: Path) -> int:
    """Write the site into ``output`` (new, empty, or an earlier publication, which it
    replaces whole); the number of pages written. The site is written beside the folder
    first and moved into place, so a failure leaves the folder as it was."""
    output = output.absolute()
    check_output(output)
    pages = website.render_site(site_data(session))
    files.make_folder(output.parent)
    staging = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.new")
    try:
        for name, data in pages.items():
            files.make_folder((staging / name).parent)
            (staging / name).write_bytes(data)
        old = None
        if output.is_dir():
            old = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.old")
            output.rename(old)
        staging.rename(output)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise files.file_error(error, output) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return sum(1 for name in pages if name.endswith(".html"))


def start_page(output: Path) -> Path:
    """The page to open first (the choice of language)."""
    return output.absolute() / "index.html"
