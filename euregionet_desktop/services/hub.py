"""Sync through a mailbox: a shared folder or the office hub on PostgreSQL (issue 18).

One ``sync`` pushes a bundle and pulls what waits, in steps of their own transactions so
that the network is never waited on inside one and an interruption loses nothing:

- **Push.** The bundle holds every change some installation of the hub's offices (the
  offices with a trusted key here, this one's other laptops too) lacks and no earlier push
  to this mailbox carried, signed and age-encrypted to every trusted installation's key —
  one file for all of them. It is written to the mailbox first, logged here after: a push
  cut short is made again (a new bundle with the same changes, harmless to import twice),
  never logged without being in the mailbox. With nothing new and the acknowledgements as
  last pushed, nothing is pushed.
- **Pull.** What the mailbox lists for this office and this installation has not handled,
  fetched one bundle at a time and imported in its own transaction together with the note
  that it was handled (so it is never imported twice, in whatever order it arrived: the
  import buffers what comes before its causes). A bundle that is not whole yet is tried at
  the next sync; one refused (a key not trusted yet, a clock) is reported with its reason
  and tried again at every sync until it imports; a copy of one already imported, or one
  addressed to other offices, is set aside quietly. The backend's cursor is kept only
  when every bundle it listed was imported or set aside.

Nothing here holds a password: libpq reads it from PGPASSWORD or a .pgpass file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from euregionet_desktop.errors import (
    AlreadyImportedError,
    BundleError,
    MailboxError,
    NextStep,
    NotAddressedHereError,
    ValidationError,
)
from euregionet_desktop.i18n import N_, _, ngettext
from euregionet_desktop.mailbox import Mailbox, Posted, open_mailbox
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, bundle_export, bundle_import, erasure
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage.models import (
    BundleLog,
    HubHandled,
    HubSetting,
    Office,
    TrustedKey,
)
from euregionet_desktop.sync import acks

Progress = Callable[[str, int, int], None]

# The stages ``sync`` reports to ``progress(stage, done, total)``.
PUSH_STAGE = N_("Sending this office's changes")
PULL_STAGE = N_("Receiving the partners' bundles")

# What became of a bundle of the mailbox here (HubHandled.outcome).
PUSHED, IMPORTED, COPY, ELSEWHERE, REFUSED, PRUNED = (
    "pushed", "imported", "copy", "elsewhere", "refused", "pruned")


@dataclass(frozen=True)
class HubSettings:
    url: str
    location: str  # as a person reads it (never a password)
    kind: str  # "postgresql" or "folder"
    auto_minutes: int | None
    last_sync_at: str | None
    last_attempt_at: str | None
    last_report: dict[str, Any] | None


@dataclass(frozen=True)
class HubStatus:
    """What the Sync view and ``hub status`` show: the mailbox, the last sync, and how many
    changes of this installation's log a push would carry."""

    settings: HubSettings | None
    pending_out: int  # changes not yet in the mailbox for some hub office
    set_aside: int  # bundles of the mailbox set aside (refused) here


@dataclass(frozen=True)
class SetAside:
    key: str
    message: str


@dataclass
class HubReport:
    """What one sync did."""

    location: str
    pushed_bundle: str | None = None
    pushed_changes: int = 0
    imported: int = 0  # bundles imported
    applied: int = 0  # changes applied by them
    conflicts: int = 0
    erased: int = 0
    incomplete: int = 0  # not whole yet (a cloud client still copying): next time
    copies: int = 0  # copies of bundles imported before (cloud conflict copies)
    set_aside: list[SetAside] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def as_dict(self) -> dict[str, Any]:
        return {"location": self.location, "pushed_bundle": self.pushed_bundle,
                "pushed_changes": self.pushed_changes, "imported": self.imported,
                "applied": self.applied, "conflicts": self.conflicts, "erased": self.erased,
                "incomplete": self.incomplete, "copies": self.copies,
                "set_aside": [{"key": s.key, "message": s.message} for s in self.set_aside]}


# --- settings ------------------------------------------------------------------------------


def _kind(url: str) -> str:
    return "postgresql" if url.startswith(("postgresql://", "postgres://")) else "folder"


def _location(url: str) -> str:
    """The URL without a password (there should be none: ``set_hub`` refuses one)."""
    if _kind(url) == "folder":
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}@{netloc}" if user else netloc).geturl()


def clean_url(url: str) -> str:
    """The mailbox URL as stored: a PostgreSQL URL without a password, or an absolute
    folder path."""
    url = url.strip()
    if not url:
        raise ValidationError(_("Give the hub as a postgresql://… URL or a folder path."),
                              field="url")
    if _kind(url) == "postgresql":
        parts = urlsplit(url)
        if parts.password is not None:
            raise ValidationError(_(
                "The hub's URL holds a password; it would be stored in the profile in clear. "
                "Leave it out and put it in a .pgpass file (or PGPASSWORD) instead."),
                field="url")
        if not parts.hostname and "host=" not in parts.query:
            raise ValidationError(_("The hub's URL names no server: "
                                    "postgresql://ROLE@SERVER/DATABASE."), field="url")
        return url
    path = Path(url).expanduser()
    if not path.is_absolute():
        raise ValidationError(_("Give the hub folder as a full path, for example "
                                "{example}.").format(example=str(Path.home() / "EuRegioNet")),
                              field="url")
    return str(path)


def set_hub(session: Session, *, url: str, auto_minutes: int | None = None) -> Changes:
    """Sync through the mailbox at ``url`` from now on; another mailbox starts from its
    beginning (its bundles not handled yet, everything not acknowledged pushed again)."""
    url = clean_url(url)
    if auto_minutes is not None and not 1 <= auto_minutes <= 24 * 60:
        raise ValidationError(_("Sync every 1 to 1440 minutes, or not automatically."),
                              field="auto_minutes")
    setting = session.get(HubSetting, 1)
    if setting is None:
        session.add(HubSetting(id=1, url=url, auto_minutes=auto_minutes))
    else:
        if setting.url != url:
            setting.cursor = None
            setting.pushed_acks = None
            setting.last_sync_at = None
            setting.last_report = None
            session.execute(delete(HubHandled))
        setting.url = url
        setting.auto_minutes = auto_minutes
    session.flush()
    return Changes(frozenset({"hub"}))


def _setting(session: Session) -> HubSetting:
    setting = session.get(HubSetting, 1)
    if setting is None:
        raise ValidationError(_("No hub is set up here yet: “euregionet hub set URL” (a "
                                "postgresql://… URL or a shared folder)."))
    return setting


def hub_settings(session: Session) -> HubSettings | None:
    setting = session.get(HubSetting, 1)
    if setting is None:
        return None
    return HubSettings(setting.url, _location(setting.url), _kind(setting.url),
                       setting.auto_minutes, setting.last_sync_at, setting.last_attempt_at,
                       orjson.loads(setting.last_report) if setting.last_report else None)


def hub_status(session: Session) -> HubStatus:
    settings = hub_settings(session)
    pending = 0
    if settings is not None:
        offices = _hub_offices(session)
        if offices:
            start, _peers = _push_start(session, offices, session.get(HubSetting, 1))
            pending = sum(max(0, top - start.get(w, 0))
                          for w, top in acks.seen_vector(session).items())
    set_aside = session.execute(select(func.count()).select_from(HubHandled).where(
        HubHandled.outcome == REFUSED)).scalar_one()
    return HubStatus(settings, pending, set_aside)


def setup_sql(session: Session) -> str:
    """The SQL that sets the hub up on a PostgreSQL server, for every office known here."""
    from euregionet_desktop.mailbox.postgres import setup_sql as hub_sql  # psycopg: on use

    return hub_sql(list(session.execute(select(Office.code).order_by(Office.code)).scalars()))


# --- push ----------------------------------------------------------------------------------


def _hub_offices(session: Session) -> list[str]:
    """The offices a push is for: those with an installation trusted here (this office
    too, when another of its laptops is)."""
    return list(session.execute(select(TrustedKey.office_code).distinct()
                                .order_by(TrustedKey.office_code)).scalars())


def _pushed(setting: HubSetting | None) -> dict[str, Any]:
    return orjson.loads(setting.pushed_acks) if setting and setting.pushed_acks else {}


def _push_start(session: Session, offices: list[str], setting: HubSetting | None
                ) -> tuple[dict[str, int], list[str]]:
    """Per writer, the last change no push needs to carry: what every installation of the
    offices holds, or what an earlier push to this mailbox carried — unless an installation
    has become known since (a new laptop needs the changes from the start); and those
    installations."""
    held = bundle_export.held_by_all(session, offices)
    pushed = _pushed(setting)
    peers = sorted(set().union(*(acks.office_peers(session, o) for o in offices)))
    if pushed.get("peers") != peers:
        return held, peers
    carried = pushed.get("carried", {})
    return {w: max(held.get(w, 0), carried.get(w, 0)) for w in {*held, *carried}}, peers


@dataclass(frozen=True)
class _Outgoing:
    posted: Posted
    written: bundle_export.WrittenBundle
    offices: list[str]
    peers: list[str]
    start: dict[str, int]


def _make_bundle(session: Session, *, profile: Profile, folder: Path) -> _Outgoing | None:
    """The bundle to push (None: nothing new and the acknowledgements as last pushed)."""
    info = profile_info(session)
    offices = _hub_offices(session)
    if not offices:
        raise ValidationError(_("No partner installation is trusted here yet, so there is "
                                "no one to sync with."), next_step=NextStep.TRUST_KEY)
    setting = _setting(session)
    start, peers = _push_start(session, offices, setting)
    seen = acks.seen_vector(session)
    new = any(top > start.get(w, 0) for w, top in seen.items())
    if not new and _pushed(setting).get("acks") == seen:
        return None
    recipients = list(session.execute(select(TrustedKey.age_recipient).distinct()
                                      .order_by(TrustedKey.age_recipient)).scalars())
    path = folder / "push.eurnet"
    written = bundle_export.write_bundle(session, profile=profile, to_offices=offices,
                                         path=path, recipients=recipients, after=start)
    posted = Posted(written.bundle_id, info.office_code, info.installation_id,
                    tuple(offices), path.read_bytes())
    return _Outgoing(posted, written, offices, peers, start)


def _log_push(session: Session, *, outgoing: _Outgoing, key: str) -> None:
    written = outgoing.written
    setting = _setting(session)
    carried = dict(outgoing.start)
    for writer, (_first, last) in written.ranges.items():
        carried[writer] = max(carried.get(writer, 0), last)
    setting.pushed_acks = orjson.dumps({"acks": written.acks, "carried": carried,
                                        "peers": outgoing.peers}).decode()
    session.execute(insert(BundleLog.__table__).values(
        bundle_id=written.bundle_id, direction="out", office_code="hub", at=now_iso(),
        file_name=key, sha256=outgoing.posted.sha256, report=orjson.dumps(
            {"changes": written.changes, "erasures": written.erasures,
             "offices": outgoing.offices, "ranges": written.ranges}).decode()))
    _handled(session, key, written.bundle_id, PUSHED)


def _handled(session: Session, key: str, bundle_id: str | None, outcome: str,
             message: str | None = None) -> None:
    session.execute(insert(HubHandled.__table__).prefix_with("OR REPLACE").values(
        key=key, bundle_id=bundle_id, at=now_iso(), outcome=outcome, message=message))


# --- pull ----------------------------------------------------------------------------------


def _import_one(session: Session, *, profile: Profile, key: str, data: bytes
                ) -> bundle_import.ImportReport:
    report = bundle_import.import_bundle(session, profile=profile, data=data)
    if report.erased:
        erasure.scrub(session, profile=profile)
    _handled(session, key, report.bundle_id, IMPORTED)
    return report


def _set_aside(session: Session, *, key: str, outcome: str, message: str | None) -> None:
    _handled(session, key, None, outcome, message)


def _pull_state(session: Session) -> tuple[str, str, str | None, set[str]]:
    info = profile_info(session)
    setting = _setting(session)
    # A refused bundle is tried again at every sync: what refused it (a key not trusted
    # yet, this computer's clock) may be put right, and its changes are in no other bundle.
    handled = set(session.execute(select(HubHandled.key).where(
        HubHandled.outcome != REFUSED)).scalars())
    return info.office_code, info.installation_id, setting.cursor, handled


def _finish(session: Session, *, cursor: str | None, keep_cursor: bool,
            report: dict[str, Any] | None) -> None:
    setting = _setting(session)
    now = now_iso()
    setting.last_attempt_at = now
    if report is not None:
        setting.last_sync_at = now
        setting.last_report = orjson.dumps(report).decode()
        if keep_cursor:
            setting.cursor = cursor


def _attempted(session: Session) -> None:
    _setting(session).last_attempt_at = now_iso()


# --- the whole sync ------------------------------------------------------------------------


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    """Progress nobody is shown (the command line)."""


def open_hub(backend: Backend) -> Mailbox:
    settings = backend.read(hub_settings)
    if settings is None:
        raise ValidationError(_("No hub is set up here yet: “euregionet hub set URL” (a "
                                "postgresql://… URL or a shared folder)."))
    return open_mailbox(settings.url)


def sync(backend: Backend, *, profile: Profile, progress: Progress | None = None
         ) -> HubReport:
    """Push this installation's bundle, then pull and import what waits for it."""
    progress = progress or _no_progress
    mailbox = open_hub(backend)
    try:
        with mailbox:
            report = HubReport(mailbox.location)
            progress(PUSH_STAGE, 0, 2)
            push(backend, mailbox, profile=profile, report=report)
            pull(backend, mailbox, profile=profile, report=report, progress=progress)
    except MailboxError:
        backend.run(_attempted)
        raise
    if report.erased:
        backend.compact()
        backups.scrub_backups(profile)
    return report


def push(backend: Backend, mailbox: Mailbox, *, profile: Profile, report: HubReport) -> None:
    with tempfile.TemporaryDirectory(prefix="euregionet-push-") as folder:
        outgoing = backend.read(_make_bundle, profile=profile, folder=Path(folder))
        if outgoing is None:
            return
        mailbox.push(outgoing.posted)
    key = mailbox.key_of(outgoing.posted)
    backend.run(_log_push, outgoing=outgoing, key=key)
    report.pushed_bundle = outgoing.posted.bundle_id
    report.pushed_changes = outgoing.written.changes


def pull(backend: Backend, mailbox: Mailbox, *, profile: Profile, report: HubReport,
         progress: Progress = _no_progress) -> None:
    office, installation, cursor, handled = backend.read(_pull_state)
    waiting = mailbox.waiting(office=office, installation=installation, cursor=cursor,
                              handled=handled)
    report.incomplete += len(waiting.incomplete)
    backed_up = False
    finished = True
    total = len(waiting.keys)
    for done, key in enumerate(waiting.keys):
        progress(PULL_STAGE, done, total)
        data = mailbox.fetch(key)
        if data is None:  # gone, or not whole yet: the next sync
            report.incomplete += 1
            finished = False
            continue
        if not backed_up:
            # Once per sync, before its first import: the database as it was.
            backups.create_backup(profile, reason="before-import")
            backed_up = True
        try:
            imported = backend.run(_import_one, profile=profile, key=key, data=data)
        except AlreadyImportedError:
            backend.run(_set_aside, key=key, outcome=COPY, message=None)
            report.copies += 1
            continue
        except NotAddressedHereError as error:
            backend.run(_set_aside, key=key, outcome=ELSEWHERE, message=str(error))
            continue
        except BundleError as error:
            backend.run(_set_aside, key=key, outcome=REFUSED, message=str(error))
            report.set_aside.append(SetAside(key, str(error)))
            finished = False  # listed again (the cursor stays before it)
            continue
        report.imported += 1
        report.applied += imported.applied
        report.conflicts += imported.conflicts
        report.erased += imported.erased
        report.changes = Changes(report.changes.entities | frozenset(imported.records) | (
            {"contact"} if imported.erased else set()))
    progress(PULL_STAGE, total, total)
    backend.run(_finish, cursor=waiting.cursor, keep_cursor=finished,
                report=report.as_dict())


def prune(backend: Backend) -> int:
    """Remove from the mailbox the bundles pushed from this installation that every
    installation of their offices has acknowledged (each office prunes its own)."""
    mailbox = open_hub(backend)
    with mailbox:
        keys = backend.read(_prunable)
        if not keys:
            return 0
        removed = mailbox.prune(keys)
    backend.run(_pruned, keys=keys)
    return removed


def _prunable(session: Session) -> list[str]:
    """The pushed bundles every installation of their offices holds the changes of; never
    the latest (its acknowledgements may not have been read yet)."""
    found = []
    held: dict[str, dict[str, int]] = {}
    pushed = session.execute(
        select(HubHandled.key, BundleLog.report)
        .join(BundleLog, (BundleLog.bundle_id == HubHandled.bundle_id)
              & (BundleLog.direction == "out"))
        .where(HubHandled.outcome == PUSHED).order_by(BundleLog.at)).all()
    for key, report in pushed[:-1]:
        logged = orjson.loads(report)
        offices = tuple(logged.get("offices", ()))
        if offices not in held:
            held[offices] = bundle_export.held_by_all(session, list(offices))
        if all(held[offices].get(w, 0) >= last
               for w, (_first, last) in _ranges(logged).items()):
            found.append(key)
    return found


def _ranges(logged: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    return {w: (int(r[0]), int(r[1])) for w, r in (logged.get("ranges") or {}).items()}


def _pruned(session: Session, *, keys: list[str]) -> None:
    session.execute(update(HubHandled).where(HubHandled.key.in_(keys)).values(outcome=PRUNED))


# --- what a sync did, in words (``hub sync`` and the Sync view) ----------------------------


def report_lines(report: HubReport) -> list[str]:
    lines = []
    if report.pushed_bundle:
        lines.append(ngettext("Sent {count} change to {location}.",
                              "Sent {count} changes to {location}.",
                              report.pushed_changes).format(count=report.pushed_changes,
                                                            location=report.location))
    else:
        lines.append(_("Nothing new to send."))
    lines.append(ngettext("{count} bundle received: {applied} changes applied, {conflicts} "
                          "conflicts.",
                          "{count} bundles received: {applied} changes applied, {conflicts} "
                          "conflicts.", report.imported).format(
        count=report.imported, applied=report.applied, conflicts=report.conflicts))
    if report.incomplete:
        lines.append(ngettext("{count} bundle is not whole yet; it is fetched at the next sync.",
                              "{count} bundles are not whole yet; they are fetched at the next "
                              "sync.", report.incomplete).format(count=report.incomplete))
    for aside in report.set_aside:
        lines.append(_("Not imported, tried again at the next sync: {key}: {message}").format(
            key=aside.key, message=aside.message))
    return lines
