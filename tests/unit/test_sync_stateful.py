"""Sync invariants under random work and random delivery (Hypothesis stateful, DESIGN §4).

Four to six installations (some offices with two laptops) add contacts and tasks, edit
fields, delete, restore and erase, merge two contacts (issue 17), undo and redo (a step
needing a person erased since, or a record merged into another since, is refused,
changes nothing and leaves the history), export bundles to random offices into a
pool, import random bundles from it (late, twice, out of order, some never), have an
import fail half way, restart, and see the clock set back. They back up and restore any
backup (the profile continues as a new installation); new laptops join an office mid-history,
trusted at first by some installations only, until keys are exchanged; one computer's clock
jumps a year ahead or behind and is set right later. A small reference model records every
field write with what its writer had applied when it wrote (its seen vector).

After every step: clocks and change counters never go backwards (a restore starts a new
installation); a failed or refused import changes nothing (each import is atomic) and is
refused for a reason the model knows: a replay, a key not trusted yet, or clock readings more
than a day ahead of the receiver's clock (named; a change made a year ahead, or arriving at a
computer a year behind, is always refused); an erased person is gone wherever the erasure
arrived. An installation whose clock was set right after running a year ahead still dates
its changes a year ahead (clocks never go back), so partners refuse them until real time
catches up; restoring a backup from before the jump brings it back at once.

At the end the clocks are set right, every office trusts every key, and real time passes any
clock that ran ahead. Then two full exchange rounds make the network quiet: all dumps are the
same bytes (convergence, the same provisional winner everywhere), nothing waits at any
replica, and a third round has nothing more to send. Only changes an installation made after
the backup it was restored from, and never sent, may be gone. Every replica lists the same
conflicts; every write no later write replaced is the field's value or one side of its
conflict (no lost update), and nothing else is — with merges, a survivor's field is the
provisional winner over its own current writes and those of its merged records that no
merge naming them had seen, a merged record reads as deleted, a reference to it reads as
its survivor, and the survivor follows the documented rule (sync.redirects), recomputed
here from the merge records' writes; a deleted record is in conflict exactly
when a current edit of it was not seen by any of its current deletes (by the writers' seen
vectors, whatever the clocks); erased ids appear nowhere, nor the contacts any merge ever
made one with an erased one (the same person).

CI runs 10 examples of 25 steps. EUREGIONET_HYPOTHESIS_EXAMPLES and
EUREGIONET_HYPOTHESIS_STEPS set a longer budget; the nightly run is 400 examples of 50 steps
(about 10 s an example on a busy two-core machine, so roughly an hour; --timeout=0 lifts the
per-test limit):

    EUREGIONET_HYPOTHESIS_EXAMPLES=400 EUREGIONET_HYPOTHESIS_STEPS=50 \\
        .venv/bin/python -m pytest -p no:cacheprovider --timeout=0 --hypothesis-show-statistics \\
        tests/unit/test_sync_stateful.py
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import orjson
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from sqlalchemy import select, text
from sync_network import ACTING, Network, Replica

from euregionet_desktop.errors import ErasedRecordError, ValidationError
from euregionet_desktop.services import backups, duplicates, merging, partners, records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.undo import UndoHistory, redo, undo
from euregionet_desktop.storage.models import Change, Erasure, LocalState, TrustedKey
from euregionet_desktop.sync import acks, clock, merge
from euregionet_desktop.sync.redirects import seen_vector

EXAMPLES = int(os.environ.get("EUREGIONET_HYPOTHESIS_EXAMPLES", "10"))
STEPS = int(os.environ.get("EUREGIONET_HYPOTHESIS_STEPS", "25"))
# Offices of the installations, in the order they are made: 4 to 6 of them.
LAYOUT = ("BIC", "LOP", "SNB", "CIT", "LOP", "BIC")
CONTACT_FIELDS = ("first_name", "function", "notes", "language")
LANGUAGES = ("pl", "de", "en")
MAX_REPLICAS = 7  # new laptops join until there are this many installations
YEAR_MS = 365 * 86_400_000
CLOCK_REFUSAL = "ahead of this computer's clock"
UNTRUSTED_REFUSAL = "whose key is not trusted here"

_TEMPLATES = Path(tempfile.mkdtemp(prefix="euregionet-stateful-"))
atexit.register(shutil.rmtree, _TEMPLATES, ignore_errors=True)


@dataclass(frozen=True)
class Write:
    """One logged field write, and what its writer had applied when it wrote."""

    installation: str
    seq: int
    hlc: int
    record: str
    field: str
    value: str  # canonical JSON, as logged
    knew: dict[str, int]

    def replaced_by(self, other: Write) -> bool:
        return (other is not self and other.record == self.record
                and other.field == self.field
                and other.knew.get(self.installation, 0) >= self.seq)

    def saw(self, other: Write) -> bool:
        """Whether this write's installation had applied ``other`` when it wrote."""
        return self.knew.get(other.installation, 0) >= other.seq


def _writes_since(session, *, installation: str, after: int) -> list[tuple]:
    return session.execute(select(Change.seq, Change.hlc, Change.record_id, Change.field,
                                  Change.value).where(Change.installation_id == installation,
                                                      Change.seq > after)
                           .order_by(Change.seq)).all()


def _state(session) -> tuple[int, int]:
    state = session.get(LocalState, 1)
    return state.last_hlc, state.last_seq


def _visible(session, *, entity: str, include_deleted: bool) -> list[str]:
    deleted = "" if include_deleted else " WHERE deleted = 0"
    return list(session.execute(text(f"SELECT id FROM {entity}{deleted} ORDER BY id"))
                .scalars())


def _fingerprint(session) -> tuple:
    """Everything an import may change, to prove a failed one changed nothing."""
    return (
        dump(session),
        tuple(session.execute(text(
            "SELECT installation_id, seq, hlc, entity, record_id, field, value, current "
            "FROM change_log ORDER BY installation_id, seq")).all()),
        tuple(session.execute(text("SELECT * FROM pending_change ORDER BY 1, 2")).all()),
        tuple(session.execute(text("SELECT * FROM seen_seq ORDER BY 1")).all()),
        tuple(session.execute(text("SELECT * FROM erasure ORDER BY 1")).all()),
        tuple(session.execute(text("SELECT * FROM replaced_write ORDER BY 1, 2")).all()),
        tuple(session.execute(text("SELECT * FROM installation_ack ORDER BY 1, 3")).all()),
        tuple(session.execute(text("SELECT bundle_id, direction FROM bundle_log "
                                   "ORDER BY 1, 2")).all()),
        _state(session),
    )


class Failure(Exception):
    """Injected half way through an import."""


class SyncMachine(RuleBasedStateMachine):
    bundles = Bundle("bundles")

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="sync-", dir=_TEMPLATES))
        self.network: Network | None = None
        self.writes: list[Write] = []
        self.erased: set[str] = set()
        self.clocks: dict[str, tuple[int, int]] = {}
        self.counter = 0
        self.born: dict[str, int] = {}  # record id -> creation order
        self.histories: dict[str, UndoHistory] = {}  # installation -> its undo history
        # The hybrid clocks read a counter, not the wall clock: the same steps give the
        # same provisional winners, so Hypothesis can replay and shrink an example.
        # Each installation's computer clock may be off by its own offset (a year ahead or
        # behind); ``later`` is real time catching up with a clock that ran ahead.
        ticks = itertools.count(1_700_000_000_000)
        self.set_back = 0
        self.later = 0
        self.offsets: dict[str, int] = {}  # replica name -> how far its clock is off
        self.latest = 0  # the latest clock reading any installation ever held
        self.retired: set[str] = set()  # installations replaced by a restore

        def now_ms() -> int:
            acting = ACTING.get()
            offset = self.offsets.get(acting.name, 0) if acting is not None else 0
            return next(ticks) - self.set_back + self.later + offset

        self.clock = mock.patch.object(clock, "now_ms", now_ms)
        self.clock.start()

    # --- set-up and helpers -------------------------------------------------------------

    @initialize(count=st.integers(4, len(LAYOUT)))
    def make_installations(self, count: int) -> None:
        """The installations, sharing two contacts and a task (so that concurrent edits
        of one record are likely from the first step)."""
        self.network = Network.create(self.root / "net", LAYOUT[:count],
                                      template_root=_TEMPLATES)
        first, second = self.network.replicas[:2]
        self.logged(first, records.create, entity="contact",
                    values={"last_name": "Kowalska", "first_name": "Anna"})
        self.logged(second, records.create, entity="contact",
                    values={"last_name": "Schulz", "function": "CEO"})
        [person] = self.visible(second, "contact", include_deleted=False)
        self.logged(second, records.create, entity="task",
                    values={"title": "Call back", "contact_id": person})
        self.network.exchange_until_quiet()
        for replica in self.network.replicas:
            self.clocks[replica.name] = replica.read(_state)

    def teardown(self) -> None:
        try:
            if self.network is not None:
                self.check_final_state()
        finally:
            self.clock.stop()
            if self.network is not None:
                self.network.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def replica(self, index: int) -> Replica:
        assert self.network is not None
        return self.network.replicas[index % len(self.network.replicas)]

    def logged(self, replica: Replica, action, /, **kwargs: Any) -> None:
        """Run a write action, record the field writes it logged, and the action in the
        installation's undo history."""
        knew = replica.read(acks.seen_vector)
        _hlc, before = replica.read(_state)
        changes = replica.run(action, **kwargs)
        self.latest = max(self.latest, replica.read(_state)[0])
        self.histories.setdefault(replica.name, UndoHistory()).record(changes)
        for seq, hlc, record, name, value in replica.read(
                _writes_since, installation=replica.installation_id, after=before):
            self.born.setdefault(record, len(self.born))
            self.writes.append(Write(replica.installation_id, seq, hlc, record, name, value,
                                     knew))

    def visible(self, replica: Replica, entity: str, *, include_deleted: bool) -> list[str]:
        """The records a replica shows, in the order they were made (not by their random
        ids, so that a replayed example draws the same records)."""
        found = replica.read(_visible, entity=entity, include_deleted=include_deleted)
        return sorted(found, key=lambda i: (self.born.get(i, len(self.born)), i))

    def fresh(self, name: str) -> str:
        self.counter += 1
        return f"{name} {self.counter}"

    def key(self, replica: Replica) -> str:
        """The fingerprint of the key a replica signs its bundles with."""
        return replica.read(partners.own_public_keys, profile=replica.profile).fingerprint

    def trusts(self, replica: Replica, key: str) -> bool:
        return replica.read(_trusted_fingerprints) >= {key}

    def trust_everyone(self, replica: Replica) -> None:
        """The replica's office compared fingerprints with every installation's."""
        assert self.network is not None
        trusted = replica.read(_trusted_fingerprints)
        for other in self.network.replicas:
            public = other.read(partners.own_public_keys, profile=other.profile)
            if other is not replica and public.fingerprint not in trusted:
                replica.run(partners.trust, partner=public)

    def wall_ms(self, replica: Replica) -> int:
        """What the replica's computer clock says now."""
        with replica.acting():
            return clock.now_ms()

    def ahead_of(self, replica: Replica) -> bool:
        """Whether some installation ever held a clock reading more than the offset ahead
        of this replica's clock (bundles may carry it: refused there)."""
        return clock.ahead_ms(self.latest, wall_ms=self.wall_ms(replica)) > clock.MAX_AHEAD_MS

    def check_refusal(self, replica: Replica, outcome: str, *, sender_key: str,
                      before: tuple) -> None:
        """A refused import changed nothing, and was refused for a reason it has: a
        replay, a key not trusted here, or clock readings more than a day ahead (named)."""
        assert replica.read(_fingerprint) == before, outcome
        if "already imported" in outcome:
            return
        if UNTRUSTED_REFUSAL in outcome:
            assert not self.trusts(replica, sender_key), outcome
            event("import refused: the sender's key is not trusted here yet")
        elif CLOCK_REFUSAL in outcome:
            assert self.ahead_of(replica), outcome
            event("import refused: clock readings a year ahead")
        else:
            raise AssertionError(f"refused for no reason the model knows: {outcome}")

    def restored(self, replica: Replica, old: str) -> None:
        """After a restore: the profile goes on as a new installation of its office, with
        a fresh undo history (the window starts one too)."""
        assert replica.installation_id != old
        self.retired.add(old)
        self.histories[replica.name] = UndoHistory()
        assert replica.read(_retired, installation=old), "the replaced installation goes on"
        self.clocks[replica.name] = replica.read(_state)

    # --- what people do -----------------------------------------------------------------

    @rule(at=st.integers(0, MAX_REPLICAS - 1), last_name=st.sampled_from(["Nowak", "Müller", "Łęcka"]))
    def add_contact(self, at: int, last_name: str) -> None:
        self.logged(self.replica(at), records.create, entity="contact",
                    values={"last_name": last_name, "first_name": self.fresh("first")})

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def add_task_for_a_contact(self, at: int, data: st.DataObject) -> None:
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if contacts:
            self.logged(replica, records.create, entity="task", values={
                "title": self.fresh("task"), "contact_id": data.draw(st.sampled_from(contacts))})

    @rule(at=st.integers(0, MAX_REPLICAS - 1), field=st.sampled_from(CONTACT_FIELDS), data=st.data())
    def edit_contact(self, at: int, field: str, data: st.DataObject) -> None:
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if not contacts:
            return
        value = (data.draw(st.sampled_from(LANGUAGES)) if field == "language"
                 else self.fresh(field))
        self.logged(replica, records.update_record, entity="contact",
                    record_id=data.draw(st.sampled_from(contacts)), values={field: value})

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def edit_task(self, at: int, data: st.DataObject) -> None:
        replica = self.replica(at)
        tasks = self.visible(replica, "task", include_deleted=False)
        if tasks:
            self.logged(replica, records.update_record, entity="task",
                        record_id=data.draw(st.sampled_from(tasks)),
                        values={"title": self.fresh("title")})

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def repoint_task(self, at: int, data: st.DataObject) -> None:
        """A task handed to another person, or to nobody: concurrent re-pointing meets
        erasures (a reference to an erased person reads empty, like an emptied one)."""
        replica = self.replica(at)
        tasks = self.visible(replica, "task", include_deleted=False)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if tasks:
            self.logged(replica, records.update_record, entity="task",
                        record_id=data.draw(st.sampled_from(tasks)),
                        values={"contact_id": data.draw(st.sampled_from([None, *contacts]))})

    @rule(at=st.integers(0, MAX_REPLICAS - 1), forward=st.booleans())
    def undo_or_redo(self, at: int, forward: bool) -> None:
        """Ctrl+Z or Ctrl+Shift+Z; a step needing a person erased since is refused, changes
        nothing and leaves the history (as the window's op runner does)."""
        replica = self.replica(at)
        history = self.histories.setdefault(replica.name, UndoHistory())
        step = history.next_redo() if forward else history.next_undo()
        if step is None:
            return
        before = replica.read(_fingerprint)
        try:
            self.logged(replica, redo if forward else undo, step=step)
        except ErasedRecordError:
            assert replica.read(_fingerprint) == before
            history.discard(step)
            event("undo or redo refused: it needs an erased record")
            return
        except ValidationError as error:  # it writes or names a record merged since
            assert "merged into another" in str(error), error
            assert replica.read(_fingerprint) == before
            history.discard(step)
            event("undo or redo refused: it needs a record merged since")
            return
        (history.redone if forward else history.undone)(step)

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def erasure_arrives_under_an_undo_step(self, at: int, data: st.DataObject) -> None:
        """Another office erases a person this installation's next undo step needs, and
        its bundle arrives here: the undo is refused, changes nothing, and the step leaves
        the history (issue 13: it wrote the erased id back, and the offices diverged)."""
        assert self.network is not None
        replica = self.replica(at)
        history = self.histories.setdefault(replica.name, UndoHistory())
        step = history.next_undo()
        people = sorted({w.record_id for w in step.writes if w.entity == "contact"}
                        - self.erased) if step is not None else []
        if step is None or not people:
            return
        person = data.draw(st.sampled_from(people))
        eraser = next((r for r in self.network.replicas if r.office != replica.office
                       and person in self.visible(r, "contact", include_deleted=True)), None)
        if eraser is None:
            return
        eraser.erase(person)
        self.erased.add(person)
        # The erasure's clock reading (a year ahead, if the eraser's clock is) travels in
        # the bundle imported below, before the invariants would note it.
        self.latest = max(self.latest, eraser.read(_state)[0])
        path = self.network.send(eraser, replica.office)
        before = replica.read(_fingerprint)
        outcome = replica.try_import(path)
        if isinstance(outcome, str):  # a wrong clock or an unknown key: it did not arrive
            self.check_refusal(replica, outcome, sender_key=self.key(eraser), before=before)
            return
        before = replica.read(_fingerprint)
        try:
            self.logged(replica, undo, step=step)
        except ErasedRecordError:
            pass
        else:
            raise AssertionError("an undo needing an erased person went through")
        assert replica.read(_fingerprint) == before
        history.discard(step)
        event("undo refused: the step needs a person erased elsewhere")

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def delete_contact(self, at: int, data: st.DataObject) -> None:
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if contacts:
            self.logged(replica, records.delete, entity="contact",
                        record_id=data.draw(st.sampled_from(contacts)))

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def restore_contact(self, at: int, data: st.DataObject) -> None:
        replica = self.replica(at)
        live = set(self.visible(replica, "contact", include_deleted=False))
        deleted = [c for c in self.visible(replica, "contact", include_deleted=True)
                   if c not in live]
        if deleted:
            before = replica.read(_fingerprint)
            try:
                self.logged(replica, records.restore,
                            targets=[("contact", data.draw(st.sampled_from(deleted)))])
            except ValidationError as error:  # merged into another: not brought back
                assert "merged into another" in str(error), error
                assert replica.read(_fingerprint) == before

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def not_a_duplicate(self, at: int, data: st.DataObject) -> None:
        """Two contacts marked as different: a synced decision naming both (issue 17); an
        erasure takes the erased one out of it, at every replica alike."""
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if len(contacts) < 2:
            return
        pair = data.draw(st.lists(st.sampled_from(contacts), min_size=2, max_size=2,
                                  unique=True))
        try:
            self.logged(replica, duplicates.not_duplicate, entity="contact",
                        first_id=pair[0], second_id=pair[1])
        except ValidationError:
            event("a pair marked twice at one replica: refused")

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def erase_contact(self, at: int, data: st.DataObject) -> None:
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=True)
        if contacts:
            person = data.draw(st.sampled_from(contacts))
            replica.erase(person)
            self.erased.add(person)

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def merge_contacts(self, at: int, data: st.DataObject) -> None:
        """Two contacts found to be one person merged (either kept): concurrent merges,
        late edits of the merged-away record, erasures of either side meet it elsewhere."""
        replica = self.replica(at)
        contacts = self.visible(replica, "contact", include_deleted=False)
        if len(contacts) < 2:
            return
        survivor, other = data.draw(st.permutations(contacts))[:2]
        self.logged(replica, merging.merge, entity="contact", survivor_id=survivor,
                    other_ids=[other])
        event("merged two contacts")

    @rule(at=st.integers(0, MAX_REPLICAS - 1), other=st.integers(0, MAX_REPLICAS - 1),
          data=st.data())
    def opposite_merges(self, at: int, other: int, data: st.DataObject) -> None:
        """Two installations merge the same two contacts in opposite directions, neither
        knowing of the other's merge: every replica must end with the same one kept."""
        first, second = self.replica(at), self.replica(other)
        both = sorted(set(self.visible(first, "contact", include_deleted=False))
                      & set(self.visible(second, "contact", include_deleted=False)),
                      key=lambda i: (self.born.get(i, len(self.born)), i))
        if first is second or len(both) < 2:
            return
        one, two = data.draw(st.permutations(both))[:2]
        self.logged(first, merging.merge, entity="contact", survivor_id=one, other_ids=[two])
        self.logged(second, merging.merge, entity="contact", survivor_id=two, other_ids=[one])
        event("merged two contacts in opposite directions")

    @rule(target=bundles, at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def export(self, at: int, data: st.DataObject) -> tuple[Path, str, str]:
        assert self.network is not None
        sender = self.replica(at)
        office = data.draw(st.sampled_from(
            [o for o in self.network.offices() if o != sender.office]))
        return self.network.send(sender, office), office, self.key(sender)

    @rule(bundle=bundles, which=st.integers(0, 2))
    def import_(self, bundle: tuple[Path, str, str], which: int) -> None:
        assert self.network is not None
        path, office, key = bundle
        recipients = self.network.recipients(office)
        replica = recipients[which % len(recipients)]
        before = replica.read(_fingerprint)
        outcome = replica.try_import(path)
        if isinstance(outcome, str):
            self.check_refusal(replica, outcome, sender_key=key, before=before)

    @rule(bundle=bundles, which=st.integers(0, 2),
          where=st.sampled_from(["materialize", "after the merge"]))
    def import_that_fails_half_way(self, bundle: tuple[Path, str, str], which: int,
                                   where: str) -> None:
        """An import that breaks while or after merging leaves nothing behind."""
        assert self.network is not None
        path, office, key = bundle
        recipients = self.network.recipients(office)
        replica = recipients[which % len(recipients)]
        before = replica.read(_fingerprint)
        if where == "materialize":
            broken = mock.patch.object(merge, "materialize", side_effect=Failure)
        else:
            merged = merge.apply_changes

            def merge_then_fail(*args: Any, **kwargs: Any) -> Any:
                merged(*args, **kwargs)
                raise Failure

            broken = mock.patch.object(merge, "apply_changes", merge_then_fail)
        with broken:
            try:
                outcome = replica.try_import(path)
            except Failure:
                outcome = None
        if isinstance(outcome, str):
            self.check_refusal(replica, outcome, sender_key=key, before=before)
        elif outcome is not None:  # nothing to materialize: the import went through
            return
        assert replica.read(_fingerprint) == before

    @rule(minutes=st.integers(1, 600))
    def clock_set_back(self, minutes: int) -> None:
        """Someone sets the laptops' clock back (or it drifts): clocks must not follow.

        Set back by at most ``clock.MAX_AHEAD_MS`` in all: stamps written before are then
        at most that far ahead of the clocks, which import them (a bundle further ahead is
        refused; tests/integration/test_clock_skew.py); every import here must still apply.
        """
        self.set_back = min(self.set_back + minutes * 60_000, clock.MAX_AHEAD_MS)

    @rule(at=st.integers(0, MAX_REPLICAS - 1))
    def restart(self, at: int) -> None:
        replica = self.replica(at)
        replica.close()
        replica.open()

    # --- backups, restores, new laptops, wrong clocks -----------------------------------

    @rule(at=st.integers(0, MAX_REPLICAS - 1))
    def back_up(self, at: int) -> None:
        self.replica(at).backup()

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def restore_a_backup(self, at: int, data: st.DataObject) -> None:
        """``backup restore``: any backup of the profile (manual, daily, before-restore);
        it continues as a new installation, and partners resend what it no longer has."""
        replica = self.replica(at)
        found = sorted(backups.list_backups(replica.profile), key=lambda b: b.id)
        if not found:
            return
        old = replica.installation_id
        replica.restore(data.draw(st.sampled_from(found)).id)
        self.restored(replica, old)
        event("restored a backup")

    @rule(data=st.data())
    def new_laptop_joins(self, data: st.DataObject) -> None:
        """A new laptop of an office joins mid-history; it trusts every installation, and
        only some of them have trusted it yet (the others refuse its bundles)."""
        assert self.network is not None
        if len(self.network.replicas) >= MAX_REPLICAS:
            return
        office = data.draw(st.sampled_from(self.network.offices()))
        known_by = [r for r in self.network.replicas if data.draw(st.booleans())]
        laptop = self.network.add_laptop(office, known_by=known_by)
        self.clocks[laptop.name] = laptop.read(_state)
        event("a new laptop joined")

    @rule(at=st.integers(0, MAX_REPLICAS - 1))
    def keys_exchanged(self, at: int) -> None:
        """An office trusts every installation's key (new laptops' ones too)."""
        self.trust_everyone(self.replica(at))

    @rule(at=st.integers(0, MAX_REPLICAS - 1), ahead=st.booleans())
    def clock_jumps_a_year(self, at: int, ahead: bool) -> None:
        """One computer's clock is set a year ahead or behind (a wrong year typed)."""
        self.offsets[self.replica(at).name] = YEAR_MS if ahead else -YEAR_MS

    @rule(at=st.integers(0, MAX_REPLICAS - 1))
    def clock_corrected(self, at: int) -> None:
        self.offsets.pop(self.replica(at).name, None)

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def a_wrong_clock_meets_a_right_one(self, at: int, data: st.DataObject) -> None:
        """A change made a year ahead, or arriving at a computer a year behind, is refused
        with the clock named, and nothing changes."""
        assert self.network is not None
        wrong = self.replica(at)
        if wrong.name not in self.offsets:
            return
        right = [r for r in self.network.replicas
                 if r.office != wrong.office and r.name not in self.offsets]
        if not right:
            return
        other = data.draw(st.sampled_from(right))
        sender, receiver = (wrong, other) if self.offsets[wrong.name] > 0 else (other, wrong)
        self.logged(sender, records.create, entity="contact",
                    values={"last_name": "Zeit", "first_name": self.fresh("first")})
        if not self.trusts(receiver, self.key(sender)):
            return
        path = self.network.send(sender, receiver.office)
        before = receiver.read(_fingerprint)
        outcome = receiver.try_import(path)
        assert isinstance(outcome, str) and CLOCK_REFUSAL in outcome, outcome
        assert " days ahead" in outcome, outcome
        self.check_refusal(receiver, outcome, sender_key=self.key(sender), before=before)

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def a_year_ahead_and_back(self, at: int, data: st.DataObject) -> None:
        """An installation backs up, its clock runs a year ahead, it writes: a partner
        refuses its bundle naming the clock, and still does once the clock is set right (its
        change stays dated a year ahead). Restoring the backup brings it back as a new
        installation: the partner takes its next bundle; the change made a year ahead is
        gone with the replaced database (nobody took it)."""
        assert self.network is not None
        replica = self.replica(at)
        limit = (self.wall_ms(replica) + clock.MAX_AHEAD_MS) << clock.COUNTER_BITS
        key = self.key(replica)
        partner = [r for r in self.network.replicas if r.office != replica.office
                   and r.name not in self.offsets and self.trusts(r, key)]
        # A restore may hold readings later than its clock (a database from a time its
        # clock ran ahead restored: the new installation does not follow them).
        if replica.name in self.offsets or not partner or max(
                replica.read(_state)[0], replica.read(_latest_held)) >= limit:
            return
        receiver = data.draw(st.sampled_from(partner))
        backup = replica.backup()
        self.offsets[replica.name] = YEAR_MS
        for _when in ("while ahead", "set right"):
            self.logged(replica, records.create, entity="contact",
                        values={"last_name": "Zeit", "first_name": self.fresh("first")})
            self.offsets.pop(replica.name, None)
            before = receiver.read(_fingerprint)
            outcome = receiver.try_import(self.network.send(replica, receiver.office))
            assert isinstance(outcome, str) and CLOCK_REFUSAL in outcome, outcome
            self.check_refusal(receiver, outcome, sender_key=key, before=before)
        old = replica.installation_id
        replica.restore(backup)
        self.restored(replica, old)
        self.logged(replica, records.create, entity="contact",
                    values={"last_name": "Zurück", "first_name": self.fresh("first")})
        assert replica.read(_latest_held) < limit
        outcome = receiver.try_import(self.network.send(replica, receiver.office))
        assert not isinstance(outcome, str), outcome
        event("a year ahead, set right, back by restoring the backup from before")

    @rule(at=st.integers(0, MAX_REPLICAS - 1), data=st.data())
    def back_from_a_year_ahead_by_a_restore(self, at: int, data: st.DataObject) -> None:
        """A clock set right again after running a year ahead: the installation's own
        changes stay dated a year ahead (clocks never go back) and partners refuse them
        until real time catches up. Restoring a backup made before the jump brings it back
        as a new installation whose changes partners accept."""
        assert self.network is not None
        replica = self.replica(at)
        if replica.name in self.offsets or clock.ahead_ms(
                replica.read(_state)[0], wall_ms=self.wall_ms(replica)) <= clock.MAX_AHEAD_MS:
            return
        limit = (self.wall_ms(replica) + clock.MAX_AHEAD_MS) << clock.COUNTER_BITS
        sane = [b for b in backups.list_backups(replica.profile)
                if _latest_reading(b.path) < limit]
        partner = [r for r in self.network.replicas if r.office != replica.office
                   and r.name not in self.offsets and self.trusts(r, self.key(replica))]
        if not sane or not partner:
            return
        old = replica.installation_id
        replica.restore(max(sane, key=lambda b: b.id).id)
        self.restored(replica, old)
        self.logged(replica, records.create, entity="contact",
                    values={"last_name": "Zurück", "first_name": self.fresh("first")})
        receiver = data.draw(st.sampled_from(partner))
        # An erasure made while the clock ran ahead comes back with the ledger, re-dated by
        # the restored clock: nothing the new installation holds is dated that far ahead.
        assert replica.read(_latest_held) < limit
        outcome = receiver.try_import(self.network.send(replica, receiver.office))
        assert not isinstance(outcome, str), outcome
        event("back from a year ahead by a restore")

    # --- after every step ---------------------------------------------------------------

    @invariant()
    def clocks_and_counters_never_go_backwards(self) -> None:
        if self.network is None:
            return
        for replica in self.network.replicas:
            hlc, seq = replica.read(_state)
            old_hlc, old_seq = self.clocks[replica.name]
            assert hlc >= old_hlc and seq >= old_seq, replica.name
            self.clocks[replica.name] = (hlc, seq)
            self.latest = max(self.latest, hlc)

    @invariant()
    def erased_people_are_gone_wherever_the_erasure_arrived(self) -> None:
        if self.network is None:
            return
        for replica in self.network.replicas:
            assert replica.read(_erased_but_present) == [], replica.name

    # --- at the end ---------------------------------------------------------------------

    def check_final_state(self) -> None:
        """Clocks set right, keys exchanged, real time past any clock that ran ahead; then
        two full exchange rounds make the network quiet: the same dumps, nothing waiting,
        nothing more to send."""
        assert self.network is not None
        self.offsets.clear()
        for replica in self.network.replicas:
            self.trust_everyone(replica)
        ahead = clock.ahead_ms(self.latest, wall_ms=clock.now_ms())
        if ahead > clock.MAX_AHEAD_MS:
            self.later += ahead  # changes dated a year ahead are accepted from then on
            event("real time caught up with a clock that ran a year ahead")
        for _round in range(2):
            self.network.exchange_round()
        converged, diverged = b"", ""
        try:
            converged = self.network.assert_converged()
        except AssertionError as error:
            diverged = str(error)
        waiting = {r.name: r.read(_waiting) for r in self.network.replicas}
        moved = self.network.exchange_round()
        if diverged or any(waiting.values()) or moved:
            try:  # how it fails, for the report: slow to settle, or never
                later = f"quiet after {self.network.exchange_until_quiet()} more rounds"
            except AssertionError:
                later = "never quiet"
            raise AssertionError(f"not quiet after two full rounds ({later}): a third "
                                 f"moved {moved}; waiting: {waiting}; {diverged}")
        dumped = orjson.loads(converged)
        # Changes an installation made after the backup it was restored from, and never
        # sent, are gone (they lived only in the database the restore replaced): only
        # those may be missing.
        held = set(self.network.replicas[0].read(_change_keys))
        lost = [w for w in self.writes if (w.installation, w.seq) not in held]
        assert {w.installation for w in lost} <= self.retired, lost
        if lost:
            event("changes lost with a restore (never sent)")
        self.writes = [w for w in self.writes if (w.installation, w.seq) in held]
        views = [[(c.record_id, c.field, tuple((w.value, w.winner) for w in c.writes))
                  for c in r.conflicts()] for r in self.network.replicas]
        assert all(v == views[0] for v in views), "replicas show different conflicts"
        conflicts = {(record, name): writes for record, name, writes in views[0]}
        event(f"conflicts at the end: {min(len(conflicts), 3)}+")  # --hypothesis-show-statistics
        event(f"erased: {min(len(self.erased), 2)}+")
        merges = self.merges()
        self.erased |= _merged_with(self.erased, merges, undone_too=True)
        self.survivor = _redirects(merges)
        rows = {row["id"]: row for entity in ("contact", "task", "duplicate_decision", "merge")
                for row in dumped[entity]}
        assert not self.erased & set(rows), "an erased person is still there"
        assert not {record for record, _f in conflicts} & self.erased
        by_field: dict[tuple[str, str], list[Write]] = {}
        for write in self.writes:
            by_field.setdefault((write.record, write.field), []).append(write)
        current: dict[tuple[str, str], list[Write]] = {}
        for (record, name), writes in by_field.items():
            if record not in self.erased:
                current[(record, name)] = [
                    w for w in writes if not any(w.replaced_by(o) for o in writes)]
        merged_by = _seen_by_merges(merges)
        merge_ids = {row["id"] for row in dumped["merge"]}
        for (record, name), survivors in current.items():
            assert survivors, (record, name)
            if record in merge_ids:
                # Written once, undone and redone by its own installation only: one
                # current write per field, shown as written (ids, not references).
                assert len(survivors) == 1, (record, name)
                assert rows[record][name] == orjson.loads(survivors[0].value), (record, name)
                continue
            values = {self.visible_value(w.value) for w in survivors}
            winner = max(survivors, key=lambda w: (w.hlc, w.installation))
            shown = rows[record][name]
            if isinstance(shown, list):  # a list of references ("not a duplicate")
                shown = tuple(shown)
            if record in self.survivor and name == "deleted":
                assert shown is True, (record, "a merged record reads as deleted")
            elif record in self.survivor:  # its own fields, as logged
                assert shown == self.visible_value(winner.value), (record, name)
            else:
                # A survivor: the winner over its own current writes and its merged
                # records' current writes no merge naming them had seen.
                pooled = [*survivors, *(
                    w for member, root in self.survivor.items() if root == record
                    and name != "deleted" for w in current.get((member, name), ())
                    if not any(w.seq <= seen.get(w.installation, 0)
                               for seen in merged_by.get(member, ())))]
                best = max(pooled, key=lambda w: (w.hlc, w.installation))
                assert shown == self.visible_value(best.value), (record, name)
            winner_value = self.visible_value(winner.value)
            if len(values) > 1:
                shown = conflicts.pop((record, name))
                assert {self.visible_value(orjson.dumps(v).decode()) for v, _w in shown} == \
                    values, (record, name)
                assert [w for _v, w in shown] == [True] + [False] * (len(shown) - 1)
            elif name == "deleted" and winner_value is True and any(
                    not any(d.saw(w) for d in survivors)
                    for (r, n), others in current.items()
                    if r == record and n != "deleted" for w in others):
                # Deleted while edited elsewhere: an edit no current delete had seen,
                # whichever clock is ahead.
                shown = conflicts.pop((record, name))
                assert shown[0] == (True, True) and {v for v, _w in shown[1:]} == {False}
        assert not conflicts, f"conflicts no write explains: {conflicts}"

    def visible_value(self, logged: str) -> Any:
        """A logged value as the record shows it (a reference to an erased person empty,
        to a merged one its survivor)."""
        value = orjson.loads(logged)
        survivor = getattr(self, "survivor", {})
        if isinstance(value, list):  # a list of references ("not a duplicate"): as a tuple
            kept = (survivor.get(v, v) for v in value if v not in self.erased)
            return tuple(dict.fromkeys(v for v in kept if v not in self.erased))
        if isinstance(value, str):
            value = survivor.get(value, value)
        return None if isinstance(value, str) and value in self.erased else value

    def merges(self) -> list[dict[str, Any]]:
        """Every merge record, from the model's writes: its fields' winning values (a
        merge record is written once; only ``deleted`` changes, by undo and redo)."""
        found: dict[str, dict[str, Write]] = {}
        for write in self.writes:
            if write.record in found or write.field == "record_type":
                fields = found.setdefault(write.record, {})
                held = fields.get(write.field)
                if held is None or (write.hlc, write.installation) > (held.hlc,
                                                                       held.installation):
                    fields[write.field] = write
        return [{name: orjson.loads(w.value) for name, w in fields.items()}
                for fields in found.values()]


def _groups(merges: list[dict[str, Any]], *, undone_too: bool) -> list[set[str]]:
    """The records merges join (in any direction), as connected groups."""
    groups: list[set[str]] = []
    for merge_record in merges:
        if merge_record.get("deleted") is True and not undone_too:
            continue
        joined = {merge_record["survivor_id"], *merge_record["merged_ids"]}
        touching = [g for g in groups if g & joined]
        for group in touching:
            groups.remove(group)
            joined |= group
        groups.append(joined)
    return groups


def _merged_with(erased: set[str], merges: list[dict[str, Any]], *,
                 undone_too: bool) -> set[str]:
    """The contacts any merge ever made one with an erased one."""
    return {i for g in _groups(merges, undone_too=undone_too) if g & erased for i in g}


def _redirects(merges: list[dict[str, Any]]) -> dict[str, str]:
    """Merged id -> survivor, by the documented rule: the one no live merge merges away,
    else the smallest id of those (or of the survivors the merges named)."""
    live = [m for m in merges if m.get("deleted") is not True]
    away = {i for m in live for i in m["merged_ids"] if i != m["survivor_id"]}
    named = {m["survivor_id"] for m in live}
    result = {}
    for group in _groups(live, undone_too=False):
        root = min([i for i in group if i not in away] or [i for i in group if i in named])
        result.update({i: root for i in group if i != root})
    return result


def _seen_by_merges(merges: list[dict[str, Any]]) -> dict[str, list[dict[str, int]]]:
    """Per record a live merge names, what each such merge had seen."""
    found: dict[str, list[dict[str, int]]] = {}
    for merge_record in merges:
        if merge_record.get("deleted") is not True:
            for record in (merge_record["survivor_id"], *merge_record["merged_ids"]):
                found.setdefault(record, []).append(seen_vector(merge_record.get("seen")))
    return found


def _retired(session, *, installation: str) -> bool:
    return bool(session.execute(text("SELECT deleted FROM installation WHERE id = :i"),
                                {"i": installation}).scalar_one())


def _waiting(session) -> int:
    return session.execute(text("SELECT count(*) FROM pending_change")).scalar_one()


def _change_keys(session) -> list[tuple[str, int]]:
    return [tuple(row) for row in session.execute(select(Change.installation_id, Change.seq))]


def _trusted_fingerprints(session) -> set[str]:
    return set(session.execute(select(TrustedKey.fingerprint)).scalars())


def _latest_held(session) -> int:
    """The latest clock reading of a change or erasure the profile holds."""
    return max(session.execute(text(
        "SELECT max(hlc) FROM change_log UNION ALL SELECT max(hlc) FROM erasure"))
        .scalars(), key=lambda h: h or 0) or 0


def _latest_reading(database: Path) -> int:
    """The latest clock reading in a backup's database."""
    connection = sqlite3.connect(database.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return max(connection.execute(
            "SELECT max(hlc) FROM change_log UNION ALL SELECT max(hlc) FROM erasure "
            "UNION ALL SELECT last_hlc FROM local_state").fetchall(), key=lambda r: r[0] or 0)[0] or 0
    finally:
        connection.close()


def _erased_but_present(session) -> list[str]:
    erased = set(session.execute(select(Erasure.record_id)).scalars())
    present = set(session.execute(text(
        "SELECT id FROM contact UNION ALL SELECT id FROM membership "
        "UNION ALL SELECT id FROM participant")).scalars())
    referenced = set(session.execute(text(
        "SELECT contact_id FROM task WHERE contact_id IS NOT NULL")).scalars())
    return sorted((present | referenced) & erased)


SyncMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])
TestSyncInvariants = SyncMachine.TestCase
