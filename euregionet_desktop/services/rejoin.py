"""A restored profile rejoins the network as a new installation of the same office.

The database a backup brings back has forgotten every change its installation made after
the backup, while partners may hold some of them. Going on with the old installation id
would either reuse change numbers (partners hold other changes under them) or skip them
(gaps that exist nowhere, so partners wait forever). So the restored profile continues
under a new installation id whose counter starts at 1:

- the old installation's changes stay as they are; the restored database holds them up to
  its counter, and is now a receiver of that installation like of any other, so partners
  resend the ones it lost (they hold them and the new installation acknowledged nothing);
- changes the old installation made after the backup and never sent are gone, at every
  office (they lived only in the replaced database);
- the new ``installation`` record and the retirement of the old one (its record deleted)
  travel through the change log: partners stop counting the old laptop among the office's
  installations, whose acknowledgements decide what a bundle for the office carries (the
  installation replaced, when a second restore goes back before the first, is retired
  too);
- the keys stay. They are files of the profile, not part of the database, and the old
  installation's partners have pinned them after comparing fingerprints: a bundle signed
  with a key pinned for an installation of the same office is accepted from its successor
  (see ``bundle_import``), so nobody has to exchange key files again after a restore. The
  successor gains nothing the key did not already allow: the holder of the key could sign
  as the old installation anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from euregionet_desktop.services.records import insert_record, write_fields
from euregionet_desktop.storage.models import Erasure, Installation, LocalState, TrustedKey
from euregionet_desktop.sync import clock, merge
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.wire import WireChange

TRUSTED_KEY_COLUMNS = ("installation_id", "office_code", "label", "signing_key",
                       "age_recipient", "fingerprint", "trusted_at")


def continue_as_new_installation(session: Session, *, last_hlc: int = 0,
                                 trusted: Sequence[dict[str, Any]] = (),
                                 replaced: Sequence[WireChange] = (),
                                 earlier: Sequence[WireChange] = ()) -> str | None:
    """Make the (restored) database a new installation of its office; returns its id
    (None: a profile not set up, nothing to continue).

    ``last_hlc``: the clock of the replaced database (the clock never goes back, unless
    it is more than ``clock.MAX_AHEAD_MS`` ahead of this computer's clock);
    ``trusted``: partner keys pinned in the replaced database (trust is not data to roll
    back: a key trusted after the backup stays trusted); ``replaced``: the first changes
    of the replaced database's installation, when it was itself a restored one (its
    record and its predecessor's retirement): taken as received, so that it is retired
    too, and partners stop counting it after a second restore of an older backup.
    ``earlier``: the first changes of the other installations made by restores that the
    replaced database holds: the replaced installation may retire one the restored
    database has never heard of (restores in a row, no exchange between them), and its
    retirement would wait forever for a record nobody else holds.
    """
    state = session.get(LocalState, 1)
    if state is None:
        return None
    old = state.installation_id
    held = state.last_seq
    # From now on the old installation is a writer like any partner's: what it wrote up to
    # the restored counter is here, the rest comes from whoever holds it.
    session.execute(text(
        "INSERT INTO seen_seq (installation_id, seq) VALUES (:i, :s) "
        "ON CONFLICT(installation_id) DO UPDATE SET seq = max(seq, excluded.seq)"),
        {"i": old, "s": held})
    successor = bool(replaced) and replaced[0].installation != old and any(
        c.entity == "installation" and c.field == "deleted" and c.value is True
        for c in replaced)
    if successor:
        merge.apply_changes(session, [*earlier, *replaced])
    new = str(uuid.uuid4())
    state.installation_id = new
    state.last_seq = 0
    # A reading more than MAX_AHEAD_MS ahead of this computer's clock was made by a wrong
    # clock, and partners refuse changes dated that far ahead. Restoring a backup made
    # before the clock ran ahead is how such an installation gets back into the network:
    # carried on, the reading would date every change of the new installation (its own
    # record first) as far ahead, and partners would refuse it too until real time caught up.
    wall = clock.checked_wall_ms()
    state.last_hlc = clock.tick(max((r for r in (state.last_hlc, last_hlc)
                                     if clock.ahead_ms(r, wall_ms=wall) <= clock.MAX_AHEAD_MS),
                                    default=0), wall_ms=wall)
    _redate_erasures_ahead(session, state, wall_ms=wall)
    session.flush()
    if trusted:
        session.execute(insert(TrustedKey.__table__).prefix_with("OR IGNORE"), [
            {name: row[name] for name in TRUSTED_KEY_COLUMNS} for row in trusted
            if row["installation_id"] not in (old, new)])
    writer = ChangeWriter.for_session(session)
    record = session.get(Installation, old)
    if record is None:  # the set-up itself was lost: nothing to attribute to
        return new
    insert_record(session, writer, "installation",
                  {"office_id": record.office_id, "label": record.label}, record_id=new)
    write_fields(session, writer, "installation", old, {"deleted": True})
    if successor and session.get(Installation, replaced[0].installation) is not None:
        write_fields(session, writer, "installation", replaced[0].installation,
                     {"deleted": True})
    return new


def _redate_erasures_ahead(session: Session, state: LocalState, *, wall_ms: int) -> None:
    """Give the erasures dated more than ``clock.MAX_AHEAD_MS`` ahead of this computer's
    clock a reading of the new installation's clock.

    An erasure made while this computer's clock ran ahead was refused by every partner
    (its reading is too far ahead), and the erasure ledger carries it into every restore,
    the restore of a backup made before the clock ran ahead too. Kept as it was, it would
    keep the new installation's bundles refused until real time caught up, and the person
    would stay at every partner. Its reading decides nothing else (an erasure wins over
    every change whatever the clocks say), so it travels with one partners accept.
    """
    limit = (wall_ms + clock.MAX_AHEAD_MS + 1) << clock.COUNTER_BITS
    ahead = session.execute(select(Erasure.record_id).where(Erasure.hlc >= limit)
                            .order_by(Erasure.hlc, Erasure.record_id)).scalars().all()
    for record_id in ahead:  # read whole before the table is written
        state.last_hlc = clock.tick(state.last_hlc, wall_ms=wall_ms)
        session.execute(update(Erasure).where(Erasure.record_id == record_id)
                        .values(hlc=state.last_hlc))
