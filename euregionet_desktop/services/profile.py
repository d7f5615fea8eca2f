"""Opening a profile (lock, backup, migrations, reference data) and setting it up."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain import programme
from euregionet_desktop.errors import ProfileError, ValidationError
from euregionet_desktop.i18n import _, sort_key
from euregionet_desktop.logs import setup_logging
from euregionet_desktop.paths import Profile, ProfileLock
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.dto import Changes, ProfileInfo
from euregionet_desktop.services.records import insert_record
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.engine import make_engine
from euregionet_desktop.storage.models import (
    Advisor,
    Indicator,
    Installation,
    LocalState,
    Office,
)
from euregionet_desktop.sync.changelog import ChangeWriter

log = logging.getLogger(__name__)


@dataclass
class Core:
    """An open profile: its paths, the backend running service functions, and its lock."""

    profile: Profile
    backend: Backend
    lock: ProfileLock

    def close(self) -> None:
        self.backend.dispose()
        self.lock.release()

    def __enter__(self) -> Core:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def backup_database(profile: Profile, reason: str) -> Path:
    """A consistent copy of the database (``VACUUM INTO``) in the backups folder."""
    profile.backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = profile.backups / f"{stamp}-{reason}.sqlite3"
    with sqlite3.connect(profile.database) as conn:
        conn.execute("VACUUM INTO ?", (str(target),))
    conn.close()
    return target


def open_profile(profile: Profile, *, purpose: str = "cli") -> Core:
    """Lock the profile, migrate its database (after a backup), and seed reference data."""
    profile.create_dirs()
    setup_logging(profile.logs)
    lock = ProfileLock(profile)
    lock.acquire(purpose)
    try:
        existed = profile.database.exists()
        engine = make_engine(profile.database)
        if migrate.current_revision(engine) != migrate.HEAD:
            if existed and not migrate.is_empty(engine):
                path = backup_database(profile, "before-migration")
                log.info("backup before migration: %s", path)
            migrate.upgrade(engine)
        backend = Backend(engine)
        backend.run(ensure_reference_data)
    except BaseException:
        lock.release()
        raise
    return Core(profile, backend, lock)


def ensure_reference_data(session: Session) -> None:
    """Seed the partner offices and programme indicators (same ids everywhere, unlogged)."""
    if session.execute(select(Office.id).limit(1)).first() is None:
        session.execute(insert(Office.__table__), [
            {"id": o.id, "created_at": "2017-04-01T00:00:00+00:00", "deleted": False,
             "code": o.code, "name": o.name, "city": o.city, "country": o.country,
             "lead_partner": o.lead_partner, "name_sort": sort_key(o.name)}
            for o in programme.OFFICES
        ])
    if session.execute(select(Indicator.id).limit(1)).first() is None:
        session.execute(insert(Indicator.__table__), [
            {"id": i.id, "created_at": "2017-04-01T00:00:00+00:00", "deleted": False,
             "code": i.code, "name_pl": i.name_pl, "name_de": i.name_de, "name_en": i.name_en,
             "target": i.target, "period_start": programme.PERIOD_START,
             "period_end": programme.PERIOD_END, "position": n}
            for n, i in enumerate(programme.INDICATORS, start=1)
        ])


def office_id_for(session: Session, code: str) -> str:
    found = session.execute(select(Office.id).where(Office.code == code.strip().upper())).scalar()
    if found is None:
        known = ", ".join(session.execute(select(Office.code).order_by(Office.code)).scalars())
        raise ValidationError(
            _("Unknown partner office “{code}”. Known offices: {known}.").format(
                code=code, known=known), field="office")
    return found


def is_initialised(session: Session) -> bool:
    return session.get(LocalState, 1) is not None


def initialise(session: Session, *, office: str, label: str | None = None,
               advisor_name: str | None = None) -> Changes:
    """Make this profile an installation of a partner office, with its first advisor."""
    if is_initialised(session):
        raise ProfileError(_("This profile is already set up for an office."))
    office_id = office_id_for(session, office)
    installation_id = str(uuid.uuid4())
    session.add(LocalState(id=1, installation_id=installation_id, last_seq=0, last_hlc=0))
    session.flush()
    writer = ChangeWriter.begin(session)
    insert_record(session, writer, "installation", {"office_id": office_id, "label": label},
                  record_id=installation_id)
    advisor_id = insert_record(session, writer, "advisor", {
        "name": (advisor_name or label or _("Advisor")).strip(), "office_id": office_id})
    session.get(LocalState, 1).advisor_id = advisor_id
    return Changes(frozenset({"installation", "advisor"}), installation_id)


def profile_info(session: Session) -> ProfileInfo:
    state = session.get(LocalState, 1)
    if state is None:
        raise ProfileError(
            _("This profile has not been set up yet. Run “euregionet init --office CODE” "
              "or start the app to choose your office."))
    installation = session.get(Installation, state.installation_id)
    office = session.get(Office, installation.office_id)
    advisor = session.get(Advisor, state.advisor_id) if state.advisor_id else None
    return ProfileInfo(state.installation_id, office.code, office.name,
                       advisor.id if advisor else None, advisor.name if advisor else None,
                       installation.label)

