"""Installations of the partner offices in temporary profiles, exchanging bundles in-process.

Shared by the sync scenario and the stateful sync test: each replica is an open profile
(its own directory, database and keys) driven through the same service functions the CLI
and the window call, with the scrub and compaction the CLI runs after an erasure.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import random
import shutil
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from euregionet_desktop.errors import BundleError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import (
    backups,
    bundle_export,
    bundle_import,
    conflicts,
    erasure,
    partners,
    records,
)
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import Core, initialise, open_profile

OFFICES = ("BIC", "LOP", "SNB", "CIT")

# The installation whose profile is being worked on (set around every action of a replica):
# a test that gives installations clocks of their own reads it in its ``clock.now_ms``.
ACTING: contextvars.ContextVar[Replica | None] = contextvars.ContextVar("acting", default=None)


def _template(root: Path) -> Path:
    """A migrated, seeded, not yet set-up database to copy (migrations take most of the
    time of opening a fresh profile)."""
    template = root / "_template" / "euregionet.sqlite3"
    if not template.exists():
        core = open_profile(Profile(template.parent), purpose="pytest")
        core.close()
        with sqlite3.connect(template) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return template


@dataclass
class Replica:
    """One installation: a profile directory, its office, and (while open) its Core."""

    name: str
    office: str
    profile: Profile
    core: Core | None = None
    installation_id: str = ""

    def open(self) -> Core:
        if self.core is None:
            with self.acting():
                self.core = open_profile(self.profile, purpose="pytest")
        return self.core

    def close(self) -> None:
        if self.core is not None:
            self.core.close()
            self.core = None

    @contextlib.contextmanager
    def acting(self):
        """While this installation's profile is worked on (see ``ACTING``)."""
        token = ACTING.set(self)
        try:
            yield self
        finally:
            ACTING.reset(token)

    def run(self, fn, /, **kwargs: Any) -> Any:
        with self.acting():
            return self.open().backend.run(fn, **kwargs)

    def read(self, fn, /, **kwargs: Any) -> Any:
        with self.acting():
            return self.open().backend.read(fn, **kwargs)

    # --- what a person does -------------------------------------------------------------

    def add(self, entity: str, **values: Any) -> str:
        changes = self.run(records.create, entity=entity, values=values)
        assert changes.record_id
        return changes.record_id

    def edit(self, entity: str, record_id: str, **values: Any) -> None:
        self.run(records.update_record, entity=entity, record_id=record_id, values=values)

    def delete(self, entity: str, record_id: str) -> None:
        self.run(records.delete, entity=entity, record_id=record_id)

    def erase(self, record_id: str) -> None:
        """``euregionet erase contact ID --yes``: erase, scrub, compact."""
        self.run(erasure.erase, entity="contact", record_id=record_id)
        self.scrub()

    def scrub(self) -> None:
        core = self.open()
        core.backend.run(erasure.scrub, profile=self.profile)
        core.backend.compact()

    def export(self, to_office: str, path: Path, *, encrypt: bool = False) -> Path:
        self.run(bundle_export.export_bundle, profile=self.profile, to_office=to_office, path=path,
                 encrypt=encrypt)
        return path

    def import_(self, path: Path) -> bundle_import.ImportReport:
        """``euregionet bundle import FILE``: import, and scrub after an erasure."""
        report = self.run(bundle_import.import_bundle, profile=self.profile, data=path.read_bytes())
        if report.erased:
            self.scrub()
        return report

    def try_import(self, path: Path) -> bundle_import.ImportReport | str:
        """The report, or the one-line refusal of a bundle that cannot be imported."""
        try:
            return self.import_(path)
        except BundleError as error:
            return str(error)

    def dump(self) -> bytes:
        return self.read(dump)

    def hub_sync(self):
        """``euregionet hub sync``: push to the hub set up here, pull and import."""
        from euregionet_desktop.services import hub

        with self.acting():
            return hub.sync(self.open().backend, profile=self.profile)

    def backup(self) -> str:
        """``euregionet backup create``: the new backup's id."""
        self.close()
        with self.acting():
            return backups.create_backup(self.profile, reason="manual").id

    def restore(self, backup_id: str) -> backups.RestoreReport:
        """``euregionet backup restore ID --yes`` (the profile closed meanwhile)."""
        self.close()
        with self.acting():
            report = backups.restore_backup(self.profile, backup_id)
        assert report.installation is not None
        self.installation_id = report.installation
        return report

    def conflicts(self) -> list[conflicts.Conflict]:
        return self.read(conflicts.conflicts)


@dataclass
class Network:
    """Installations (one or more per office) that trust each other's keys."""

    root: Path
    replicas: list[Replica] = field(default_factory=list)
    bundles: int = 0
    template_root: Path | None = None  # where the database to copy is kept

    @classmethod
    def create(cls, root: Path, offices: Iterable[str] = OFFICES, *,
               template_root: Path | None = None) -> Network:
        """Installations of the given offices (an office named twice has two laptops)."""
        root.mkdir(parents=True, exist_ok=True)
        template = _template(template_root or root)
        network = cls(root, template_root=template_root)
        public = {}
        for n, office in enumerate(offices):
            name = f"{office}{n}"
            profile = Profile(root / name)
            profile.root.mkdir()
            shutil.copyfile(template, profile.database)
            replica = Replica(name, office, profile)
            replica.run(initialise, office=office, label=name, advisor_name=f"Advisor {name}")
            public[name] = replica.read(partners.own_public_keys, profile=profile)
            replica.installation_id = public[name].installation_id
            network.replicas.append(replica)
        for replica in network.replicas:
            for other in network.replicas:
                if other is not replica:
                    replica.run(partners.trust, partner=public[other.name])
        return network

    def add_laptop(self, office: str, *, known_by: Iterable[Replica] = ()) -> Replica:
        """A new installation of an office joining later: it trusts every installation so
        far; of these, only ``known_by`` trust it (the others have not heard of it yet)."""
        name = f"{office}{len(self.replicas)}"
        profile = Profile(self.root / name)
        profile.root.mkdir()
        shutil.copyfile(_template(self.template_root or self.root), profile.database)
        replica = Replica(name, office, profile)
        replica.run(initialise, office=office, label=name, advisor_name=f"Advisor {name}")
        own = replica.read(partners.own_public_keys, profile=profile)
        replica.installation_id = own.installation_id
        for other in self.replicas:
            replica.run(partners.trust, partner=other.read(partners.own_public_keys,
                                                           profile=other.profile))
        for other in known_by:
            other.run(partners.trust, partner=own)
        self.replicas.append(replica)
        return replica

    def by_name(self, name: str) -> Replica:
        return next(r for r in self.replicas if r.name == name)

    def offices(self) -> list[str]:
        return sorted({r.office for r in self.replicas})

    def bundle_path(self, sender: Replica, to_office: str) -> Path:
        self.bundles += 1
        folder = self.root / "bundles"
        folder.mkdir(exist_ok=True)
        return folder / f"{self.bundles:05d}-{sender.name}-to-{to_office}-{uuid.uuid4().hex[:6]}.zip"

    def send(self, sender: Replica, to_office: str) -> Path:
        return sender.export(to_office, self.bundle_path(sender, to_office))

    def recipients(self, to_office: str) -> list[Replica]:
        return [r for r in self.replicas if r.office == to_office]

    def pairs(self) -> list[tuple[Replica, str]]:
        """Every installation with every office other than its own."""
        return [(r, o) for r in self.replicas for o in self.offices() if o != r.office]

    def exchange_round(self, rng: random.Random | None = None) -> int:
        """Every installation sends a bundle to every other office (in a random order if
        given a generator), and every installation of that office imports it at once;
        returns how many changes and erasures were applied or are still waiting."""
        pairs = self.pairs()
        if rng is not None:
            rng.shuffle(pairs)
        moved = 0
        for sender, office in pairs:
            path = self.send(sender, office)
            for recipient in self.recipients(office):
                report = recipient.import_(path)
                moved += report.applied + report.erased + report.waiting
        return moved

    def exchange_until_quiet(self, *, rng: random.Random | None = None,
                             limit: int = 10) -> int:
        """Rounds of exchange until a round moves nothing; returns the rounds it took."""
        for rounds in range(1, limit + 1):
            if self.exchange_round(rng) == 0:
                return rounds
        raise AssertionError(f"no quiescence after {limit} rounds of exchange")

    def dumps(self) -> dict[str, bytes]:
        return {r.name: r.dump() for r in self.replicas}

    def assert_converged(self) -> bytes:
        """All dumps are the same bytes (else the first difference, readably); returns it."""
        dumps = self.dumps()
        first_name, first = next(iter(dumps.items()))
        for name, other in dumps.items():
            if other != first:
                diff = "\n".join(difflib.unified_diff(
                    first.decode().splitlines(), other.decode().splitlines(), first_name,
                    name, lineterm="", n=4))
                raise AssertionError(f"the replicas did not converge:\n{diff[:6000]}")
        return first

    def close(self) -> None:
        for replica in self.replicas:
            replica.close()


def grep_profile(profile: Profile, needles: Iterable[bytes]) -> list[str]:
    """Files of the profile (backups aside) whose bytes hold any of the needles."""
    found = []
    wanted = list(needles)
    for path in sorted(profile.root.rglob("*")):
        if not path.is_file() or profile.backups in path.parents:
            continue
        data = path.read_bytes()
        if any(needle in data for needle in wanted):
            found.append(str(path.relative_to(profile.root)))
    return found
