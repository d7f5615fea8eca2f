"""Demo people and firms: advisors, organisations, memberships and contacts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from euregionet_desktop.domain.enums import (
    ConsentScope,
    ConsentSource,
    ConsentStatus,
    MembershipRole,
    OrganisationKind,
)
from euregionet_desktop.services.demo.clusters import ClusterInfo, ClusterSteps, OrgInfo
from euregionet_desktop.services.demo.identifiers import (
    date_between,
    domain_for,
    mail_local,
    make_de_vat,
    make_nip,
    make_phone,
    make_register,
    make_regon,
    new_id,
    slug,
)
from euregionet_desktop.services.demo.vocabulary import (
    ADVISORS,
    DE_CITIES,
    DE_FUNCTIONS,
    DE_MEN,
    DE_STREETS,
    DE_SURNAMES,
    DE_TITLES,
    DE_WOMEN,
    FEATURED_PEOPLE,
    LODZ,
    PERIOD_END,
    PERIOD_START,
    PL_CITIES,
    PL_FUNCTIONS,
    PL_MEN,
    PL_OFFICES,
    PL_STREETS,
    PL_SURNAMES,
    PL_TITLES,
    PL_WOMEN,
    RESEARCH_PARTNERS,
    TAGS,
    City,
    sector_codes,
)

D = dt.date


class PeopleSteps(ClusterSteps):
    """The second step of a demo run: the people and firms around the clusters."""

    # --- people and places ---

    def person(self, country: str) -> tuple[str, str, bool]:
        """Invented first and last name, and whether the person is a woman."""
        rng = self.rng
        woman = rng.random() < 0.45
        if country == "PL":
            first = rng.choice(PL_WOMEN if woman else PL_MEN)
            last = rng.choice(PL_SURNAMES)
            if woman and last.endswith("ki"):
                last = last[:-1] + "a"
            return first, last, woman
        return rng.choice(DE_WOMEN if woman else DE_MEN), rng.choice(DE_SURNAMES), woman

    def email(self, first: str, last: str, country: str) -> str:
        local = mail_local(first, last)
        count = self.mail_counts.get(local, 0) + 1
        self.mail_counts[local] = count
        domain = "example.com" if self.rng.random() < 0.05 else domain_for(country)
        return f"{local}{count if count > 1 else ''}@{domain}"

    def city(self, country: str) -> City:
        return self.rng.choice(PL_CITIES if country == "PL" else DE_CITIES)

    def advisor_rows(self) -> Iterator[dict[str, Any]]:
        for code, people in ADVISORS.items():
            country = "PL" if code in PL_OFFICES else "DE"
            for first, last in people:
                advisor_id = new_id()
                self.advisors.setdefault(code, []).append(advisor_id)
                yield {"id": advisor_id, "name": f"{first} {last}",
                       "office_id": self.office_ids[code],
                       "email": f"{mail_local(first, last)}@{domain_for(country)}",
                       "phone": make_phone(self.rng, country, mobile=True)}

    # --- organisations and memberships ---

    def plan_organisations(self) -> None:
        rng = self.rng
        clusters_by_country = {country: [c for c in self.clusters if c.country == country]
                               for country in ("PL", "DE")}
        for name, kind, country, city_name in RESEARCH_PARTNERS:
            city = next(c for c in (*PL_CITIES, *DE_CITIES) if c.name == city_name)
            home = rng.choice(clusters_by_country[country])
            self.organisations.append(OrgInfo(new_id(), name, country, city, home.sector,
                                              kind.value, home))
        lodz_cluster = next(c for c in self.clusters if c.sector.key == "metal")
        self.organisations.append(OrgInfo(
            new_id(), "Łódzka Pracownia Metaloplastyki sp. z o.o.", "PL", LODZ,
            lodz_cluster.sector, OrganisationKind.SMALL.value, lodz_cluster))
        kinds = ([OrganisationKind.MICRO] * 8 + [OrganisationKind.SMALL] * 7
                 + [OrganisationKind.MEDIUM] * 4 + [OrganisationKind.LARGE]
                 + [OrganisationKind.ASSOCIATION, OrganisationKind.BUSINESS_SUPPORT])
        used_names = {org.name for org in self.organisations}
        retries = 0
        while len(self.organisations) < self.size.organisations:
            country = "PL" if rng.random() < 0.55 else "DE"
            home = rng.choice(clusters_by_country[country])
            city = self.city(country)
            kind = rng.choice(kinds)
            surname = rng.choice(PL_SURNAMES if country == "PL" else DE_SURNAMES)
            if kind == OrganisationKind.ASSOCIATION:
                name = (f"Stowarzyszenie Przedsiębiorców {city.name}" if country == "PL"
                        else f"Unternehmerverband {city.name} e.V.")
            elif kind == OrganisationKind.BUSINESS_SUPPORT:
                name = (f"Fundacja Wspierania Przedsiębiorczości {city.name}" if country == "PL"
                        else f"Gründerzentrum {city.name}")
            else:
                templates = home.sector.pl_firms if country == "PL" else home.sector.de_firms
                name = rng.choice(templates).format(s=surname, c=city.name)
            if name in used_names and retries < 5:  # same-named firms exist, but rarely
                retries += 1
                continue
            used_names.add(name)
            retries = 0
            self.organisations.append(OrgInfo(new_id(), name, country, city, home.sector,
                                              kind.value, home))

    def plan_memberships(self) -> None:
        """About two memberships per organisation; every cluster gets a coordinator."""
        rng = self.rng
        taken: set[tuple[str, str]] = set()
        clusters_by_country = {country: [c for c in self.clusters if c.country == country]
                               for country in ("PL", "DE")}
        cross_border = [c for c in self.clusters if c.cross_border]
        for org in self.organisations:
            homes = [org.cluster]
            extra = rng.choice((0, 1, 1, 1, 2))
            for _n in range(extra):
                pool = (cross_border if cross_border and rng.random() < 0.25
                        else clusters_by_country[org.country])
                homes.append(rng.choice(pool))
            for cluster in homes:
                if (org.id, cluster.id) in taken:
                    continue
                taken.add((org.id, cluster.id))
                if cluster.coordinator_id is None and org.kind not in ("university", "chamber"):
                    role = MembershipRole.COORDINATOR
                    cluster.coordinator_id = org.id
                elif org.kind in ("university", "research", "chamber", "authority"):
                    role = MembershipRole.PARTNER
                else:
                    role = rng.choice((MembershipRole.MEMBER, MembershipRole.MEMBER,
                                       MembershipRole.FOUNDING_MEMBER))
                self.memberships.append(self.membership_row(cluster, role, organisation_id=org.id))

    def membership_row(self, cluster: ClusterInfo, role: MembershipRole, *,
                       organisation_id: str | None = None,
                       contact_id: str | None = None) -> dict[str, Any]:
        rng = self.rng
        founded = cluster.founded_on or D(2012, 1, 1)
        recruited = False
        if role == MembershipRole.COORDINATOR or role == MembershipRole.FOUNDING_MEMBER:
            joined = founded
        elif founded <= PERIOD_END and rng.random() < 0.2:
            recruited = True  # a new member won through the programme
            joined = date_between(rng, max(founded, PERIOD_START), PERIOD_END)
        else:
            joined = date_between(rng, founded, max(founded, D(2022, 12, 31)))
        left = None
        if not recruited and role != MembershipRole.COORDINATOR and rng.random() < 0.04:
            left = joined + dt.timedelta(days=rng.randint(200, 1500))
        return {"id": new_id(), "cluster_id": cluster.id, "organisation_id": organisation_id,
                "contact_id": contact_id, "role": role.value, "joined_on": joined,
                "left_on": left, "recruited_by_programme": recruited}

    def organisation_rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for org in self.organisations:
            firm = org.kind in ("micro", "small", "medium", "large")
            row: dict[str, Any] = {"id": org.id, "name": org.name, "kind": org.kind,
                                   "country": org.country, "city": org.city.name,
                                   "postal_code": org.city.postal_code,
                                   "sectors": sector_codes([org.sector.label])}
            if org.kind in ("university", "chamber"):
                yield row  # real institutions: no invented identifiers or addresses
                continue
            streets = PL_STREETS if org.country == "PL" else DE_STREETS
            row["street"] = f"{rng.choice(streets)} {rng.randint(1, 120)}"
            domain = domain_for(org.country)
            row["website"] = f"https://{slug(org.name)}.{domain}"
            row["email"] = f"{slug(org.name)}@{domain}"
            row["phone"] = make_phone(rng, org.country, org.city)
            if org.country == "PL":
                nip = make_nip(rng)
                row.update(nip=nip, regon=make_regon(rng))
                if firm and org.name.endswith(("sp. z o.o.", "S.A.", "sp.k.", "sp.j.")):
                    row["krs"] = f"{rng.randint(1, 899999):010d}"
            else:
                if firm:
                    row["vat_id"] = make_de_vat(rng)
                if firm and ("GmbH" in org.name or "UG" in org.name or "e.K." in org.name):
                    row["register_number"] = make_register(rng, org.city)
            if rng.random() < 0.1:
                row["notes"] = ("Zainteresowani współpracą z partnerem z Niemiec."
                                if org.country == "PL" else
                                "Interesse an Kooperation mit polnischen Partnern.")
            yield row

    # --- contacts ---

    def contact_rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        orgs = self.organisations
        firms = [o for o in orgs if o.kind not in ("university", "chamber")]
        lodz = next(o for o in orgs if o.city is LODZ)
        for n in range(self.size.contacts):
            if n < len(FEATURED_PEOPLE):
                first, last, country = FEATURED_PEOPLE[n]
                woman = first in PL_WOMEN or first in DE_WOMEN
                org = lodz if last in ("Łódzki", "Wójcik") else rng.choice(
                    [o for o in firms if o.country == country])
            else:
                org = rng.choice(orgs) if rng.random() < 0.96 else None
                country = org.country if org else rng.choice(("PL", "DE"))
                if rng.random() < 0.08:  # Poles in German firms and the other way round
                    country = "DE" if country == "PL" else "PL"
                first, last, woman = self.person(country)
            yield self.contact_row(first, last, woman, country, org)

    def contact_row(self, first: str, last: str, woman: bool, country: str,
                    org: OrgInfo | None) -> dict[str, Any]:
        rng = self.rng
        contact_id = new_id()
        self.contact_ids.append(contact_id)
        if org is not None:
            self.contacts_by_org.setdefault(org.id, []).append(contact_id)
        if country == "PL":
            function = rng.choice(PL_FUNCTIONS)
            title = rng.choice(PL_TITLES) if rng.random() < 0.08 else None
        else:
            function = rng.choice(DE_FUNCTIONS)[1 if woman else 0]
            title = rng.choice(DE_TITLES) if rng.random() < 0.08 else None
        language = country.lower() if rng.random() < 0.93 else "en"
        consent = rng.random()
        row = {
            "id": contact_id, "first_name": first, "last_name": last, "title": title,
            "function": function, "organisation_id": org.id if org else None,
            "email": self.email(first, last, org.country if org else country),
            "phone": make_phone(rng, org.country, org.city) if org and rng.random() < 0.7
            else None,
            "mobile": make_phone(rng, country, mobile=True) if rng.random() < 0.6 else None,
            "language": language,
        }
        if consent < 0.8:
            row.update(consent_status=ConsentStatus.GIVEN.value,
                       consent_on=date_between(rng, PERIOD_START, PERIOD_END),
                       consent_source="formularz zgody" if country == "PL"
                       else "Einwilligungserklärung",
                       consent_scope="newsletter, zaproszenia" if country == "PL"
                       else "Newsletter, Einladungen",
                       **_given_consent(consent / 0.8))
        elif consent < 0.9:
            row["consent_status"] = ConsentStatus.UNKNOWN.value
        elif consent < 0.97:
            row.update(consent_status=ConsentStatus.REFUSED.value,
                       consent_on=date_between(rng, PERIOD_START, PERIOD_END))
        else:
            row.update(consent_status=ConsentStatus.WITHDRAWN.value,
                       consent_on=date_between(rng, D(2019, 1, 1), PERIOD_END))
        if rng.random() < 0.3:
            row["tags"] = rng.sample(TAGS, rng.randint(1, 2))
        if rng.random() < 0.05:
            row["notes"] = ("Preferuje kontakt telefoniczny." if country == "PL"
                            else "Bevorzugt telefonischen Kontakt.")
        if org is not None and rng.random() < 0.04:
            self.memberships.append(self.membership_row(
                org.cluster, MembershipRole.CONTACT_PERSON, contact_id=contact_id))
        return row


def _given_consent(share: float) -> dict[str, Any]:
    """How a consent given was obtained and what it covers, from ``share`` (in [0, 1), the
    draw that chose "given"): no draw of its own, so the rest of the demo data stays as it
    was. Most consented to the programme's communication, fewer to the newsletter, photos
    or the directory."""
    def part(factor: int) -> float:
        return (share * factor) % 1

    scopes = [scope for scope, chosen in (
        (ConsentScope.COMMUNICATION, share < 0.9), (ConsentScope.NEWSLETTER, part(7) < 0.5),
        (ConsentScope.PHOTOS, part(13) < 0.4), (ConsentScope.DIRECTORY, part(29) < 0.3))
        if chosen]
    sources = (ConsentSource.FORM, ConsentSource.FORM, ConsentSource.EVENT_REGISTRATION,
               ConsentSource.EMAIL, ConsentSource.SIGNED_LIST)
    return {"consent_via": sources[int(part(101) * len(sources))].value,
            "consent_purposes": [scope.value for scope in scopes] or None}
