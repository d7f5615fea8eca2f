"""The office hub's mailbox on a real PostgreSQL server: the round trip, row-level security
per office, the cursor that loses no row committed out of order, and lost connections."""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
import uuid

import psycopg
import pytest
from pg_server import Hub, PostgresServer, grep, wait_for

from euregionet_desktop.errors import MailboxError, MailboxOffline
from euregionet_desktop.mailbox import open_mailbox
from euregionet_desktop.mailbox.base import Posted
from euregionet_desktop.mailbox.postgres import PostgresMailbox, setup_sql

LOP_LAPTOP = str(uuid.uuid4())
BIC_LAPTOP = str(uuid.uuid4())
SNB_LAPTOP = str(uuid.uuid4())


def posted(origin: str = "LOP", recipients: tuple[str, ...] = ("BIC", "SNB"), *,
           installation: str = LOP_LAPTOP, size: int = 2000) -> Posted:
    return Posted(bundle_id=str(uuid.uuid4()), origin_office=origin,
                  origin_installation=installation, recipients=recipients,
                  data=os.urandom(size))


def insert_sql(bundle: Posted) -> tuple[str, tuple]:
    return ("INSERT INTO bundles (bundle_id, origin_office, origin_installation, recipients,"
            " sha256, size, data) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (bundle.bundle_id, bundle.origin_office, bundle.origin_installation,
             list(bundle.recipients), bundle.sha256, len(bundle.data), bundle.data))


def waiting_for(mailbox: PostgresMailbox, office: str, installation: str,
                cursor: str | None = None, handled: frozenset[str] = frozenset()):
    return mailbox.waiting(office=office, installation=installation, cursor=cursor,
                           handled=handled)


def test_push_list_fetch_round_trip(pg_hub: Hub) -> None:
    """A bundle LOP pushes for BIC and SNB is listed for both, once, with its bytes intact;
    not for CIT, nor for the laptop that made it."""
    bundle = posted()
    with open_mailbox(pg_hub.url("LOP")) as lop, open_mailbox(pg_hub.url("BIC")) as bic, \
            open_mailbox(pg_hub.url("SNB")) as snb, open_mailbox(pg_hub.url("CIT")) as cit:
        assert isinstance(lop, PostgresMailbox)
        assert lop.push(bundle) is True
        first = waiting_for(bic, "BIC", BIC_LAPTOP)
        assert first.keys == (bundle.bundle_id,)
        assert bic.fetch(bundle.bundle_id) == bundle.data
        assert waiting_for(bic, "BIC", BIC_LAPTOP, first.cursor).keys == ()
        assert waiting_for(bic, "BIC", BIC_LAPTOP, None, frozenset({bundle.bundle_id})).keys == ()
        assert waiting_for(snb, "SNB", SNB_LAPTOP).keys == (bundle.bundle_id,)
        assert waiting_for(cit, "CIT", str(uuid.uuid4())).keys == ()
        assert cit.fetch(bundle.bundle_id) is None
        # Another LOP laptop would see it if LOP were a recipient; the maker never does.
        assert waiting_for(lop, "LOP", LOP_LAPTOP).keys == ()
        assert bic.fetch(str(uuid.uuid4())) is None
        assert bic.fetch("not a bundle id") is None


def test_pushing_the_same_bundle_twice_keeps_one_row(pg_hub: Hub) -> None:
    """The same bundle, or the same bytes under another id, is not stored twice."""
    bundle = posted()
    same_bytes = Posted(bundle_id=str(uuid.uuid4()), origin_office="LOP",
                        origin_installation=LOP_LAPTOP, recipients=("BIC",), data=bundle.data)
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(bundle) is True
        assert lop.push(bundle) is False
        assert lop.push(same_bytes) is False
    assert [row[1] for row in pg_hub.rows()] == [bundle.bundle_id]


def test_an_office_cannot_read_or_forge_another_offices_bundles(pg_hub: Hub) -> None:
    """Connected as SNB's role, PostgreSQL hides a bundle addressed only to BIC and refuses a
    bundle claiming origin BIC (done when 3)."""
    for_bic = posted("LOP", ("BIC",))
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(for_bic)
    forged = posted("BIC", ("LOP", "SNB"), installation=SNB_LAPTOP)
    with pg_hub.connect("SNB", autocommit=True) as snb:
        # Positive control: the row is there, and SNB's own query runs.
        assert len(pg_hub.rows()) == 1
        assert snb.execute("SELECT count(*) FROM bundles").fetchone() == (0,)
        assert snb.execute("SELECT data FROM bundles WHERE bundle_id = %s",
                           (for_bic.bundle_id,)).fetchall() == []
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            snb.execute(*insert_sql(forged))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            snb.execute("UPDATE bundles SET recipients = '{SNB}'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            snb.execute("INSERT INTO bundles (bundle_id, origin_office, origin_installation,"
                        " recipients, sha256, size, data, xid) VALUES (%s, 'SNB', %s, '{BIC}',"
                        " %s, 1, '\\x00', '1')",
                        (str(uuid.uuid4()), SNB_LAPTOP, "0" * 64))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            snb.execute("DELETE FROM office_roles")
        # Positive control: SNB may insert a bundle of its own.
        snb.execute(*insert_sql(posted("SNB", ("BIC",), installation=SNB_LAPTOP)))
    with PostgresMailbox(pg_hub.url("SNB")) as snb_mailbox:
        assert waiting_for(snb_mailbox, "BIC", SNB_LAPTOP).keys == ()
        assert snb_mailbox.fetch(for_bic.bundle_id) is None
        with pytest.raises(MailboxError) as refused:
            snb_mailbox.push(forged)
        assert not isinstance(refused.value, MailboxOffline)
        assert "\n" not in str(refused.value) and pg_hub.url("SNB") in str(refused.value)
        # The connection stays usable after a refusal.
        assert snb_mailbox.push(posted("SNB", ("LOP",), installation=SNB_LAPTOP))
    assert sorted(row[2] for row in pg_hub.rows()) == ["LOP", "SNB", "SNB"]


def test_the_cursor_waits_for_a_bundle_committed_out_of_order(pg_hub: Hub) -> None:
    """A transaction inserting A stays open while B (a higher id) commits and a pull runs:
    neither is listed yet; after A commits, the next pull lists A, then B (done when 5)."""
    a, b = posted(), posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop, PostgresMailbox(pg_hub.url("BIC")) as bic:
        empty = waiting_for(bic, "BIC", BIC_LAPTOP)
        assert empty.keys == ()
        writer = pg_hub.connect("LOP")  # not autocommit: the transaction stays open
        try:
            writer.execute(*insert_sql(a))
            assert lop.push(b)
            ids = {row[1]: row[0] for row in pg_hub.rows()}
            assert ids == {b.bundle_id: ids[b.bundle_id]}  # A is not committed yet
            during = waiting_for(bic, "BIC", BIC_LAPTOP, empty.cursor)
            # B's transaction began after A's: B stays behind the horizon A holds.
            assert during.keys == ()
            writer.commit()
        finally:
            writer.close()
        ids = {row[1]: row[0] for row in pg_hub.rows()}
        assert ids[a.bundle_id] < ids[b.bundle_id]
        after = waiting_for(bic, "BIC", BIC_LAPTOP, during.cursor)
        assert after.keys == (a.bundle_id, b.bundle_id)
        assert waiting_for(bic, "BIC", BIC_LAPTOP, after.cursor).keys == ()
        # A plain "id above the last id seen" would have lost A; a handled B stays out.
        assert waiting_for(bic, "BIC", BIC_LAPTOP, during.cursor,
                           frozenset({b.bundle_id})).keys == (a.bundle_id,)


def test_no_bundle_is_lost_or_listed_twice_under_concurrent_pushes(pg_hub: Hub) -> None:
    """Writers whose transactions stay open for random times while a reader pulls with its
    cursor: every bundle is listed exactly once."""
    rng = random.Random(18)
    pushed: list[str] = []
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        local = random.Random(seed)
        try:
            with pg_hub.connect("LOP") as connection:
                for _ in range(8):
                    bundle = posted(size=100)
                    connection.execute(*insert_sql(bundle))
                    time.sleep(local.uniform(0, 0.03))
                    connection.commit()
                    pushed.append(bundle.bundle_id)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(rng.random(),)) for _ in range(4)]
    seen: list[str] = []
    cursor = None
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            found = waiting_for(bic, "BIC", BIC_LAPTOP, cursor)
            seen.extend(found.keys)
            cursor = found.cursor
            time.sleep(0.005)
        for thread in threads:
            thread.join()
        found = waiting_for(bic, "BIC", BIC_LAPTOP, cursor)
        seen.extend(found.keys)
    assert not errors
    assert len(pushed) == 32
    assert sorted(seen) == sorted(pushed)


def test_prune_removes_only_the_offices_own_bundles(pg_hub: Hub) -> None:
    """LOP prunes its two bundles; BIC's bundle addressed to LOP stays (row-level security)."""
    own = [posted(), posted()]
    theirs = posted("BIC", ("LOP",), installation=BIC_LAPTOP)
    with PostgresMailbox(pg_hub.url("LOP")) as lop, PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert all(lop.push(bundle) for bundle in own)
        assert bic.push(theirs)
        keys = [bundle.bundle_id for bundle in [*own, theirs]]
        assert lop.prune([*keys, "not a key"]) == 2
        assert lop.prune(keys) == 0
        assert lop.prune([]) == 0
    assert [row[1] for row in pg_hub.rows()] == [theirs.bundle_id]


# --- lost connections and a stopped server (done when 4, at the mailbox level) ----------------


def blocked_behind_a_lock(pg_hub: Hub, call, *, office: str,
                          interrupt=None) -> tuple[object, int]:
    """Run ``call`` in a thread while the bundles table is locked, terminate the office's
    backend once it waits for the lock (or ``interrupt()``), let go; (what ``call`` returned
    or raised, how many backends were terminated)."""
    outcome: list[object] = []
    locker = pg_hub.admin()
    locker.autocommit = False
    locker.execute("LOCK TABLE bundles IN ACCESS EXCLUSIVE MODE")
    role = pg_hub.logins[office]

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        with pg_hub.admin() as watcher:
            assert wait_for(lambda: watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s"
                " AND wait_event_type = 'Lock'", (role,)).fetchone()[0] == 1)
        terminated = interrupt() if interrupt else pg_hub.terminate(office)
    finally:
        with contextlib.suppress(psycopg.OperationalError):  # gone with a crashed server
            locker.rollback()
        locker.close()
        thread.join(30)
    assert not thread.is_alive()
    return outcome[0], terminated


def test_a_push_terminated_midway_leaves_no_row_and_the_next_push_works(pg_hub: Hub) -> None:
    """pg_terminate_backend while a big push waits inside its transaction: MailboxOffline,
    nothing stored; the same mailbox pushes it at the next try."""
    bundle = posted(size=8 * 1024 * 1024)
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        outcome, terminated = blocked_behind_a_lock(pg_hub, lambda: lop.push(bundle),
                                                    office="LOP")
        assert terminated == 1
        assert isinstance(outcome, MailboxOffline), outcome
        assert "\n" not in str(outcome) and pg_hub.url("LOP") in str(outcome)
        assert pg_hub.rows() == []
        assert lop.push(bundle) is True
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert waiting_for(bic, "BIC", BIC_LAPTOP).keys == (bundle.bundle_id,)
        assert bic.fetch(bundle.bundle_id) == bundle.data


def test_a_push_cut_by_a_server_crash_leaves_no_row(pg_hub: Hub,
                                                   postgres_server: PostgresServer) -> None:
    """The server stops at once (a crash) while a push is inside its transaction: offline;
    after the restart nothing of it is stored and the push goes through."""
    bundle = posted(size=4 * 1024 * 1024)

    def crash() -> int:
        postgres_server.stop("immediate")
        postgres_server.start()
        return 1

    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        outcome, _crashed = blocked_behind_a_lock(pg_hub, lambda: lop.push(bundle),
                                                  office="LOP", interrupt=crash)
        assert isinstance(outcome, MailboxOffline), outcome
        assert pg_hub.rows() == []
        assert lop.push(bundle) is True
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert bic.fetch(bundle.bundle_id) == bundle.data


def test_a_push_on_a_connection_lost_midway_reconnects_once(pg_hub: Hub) -> None:
    """On a connection that was open before the push, a terminated backend is replaced and
    the push done again, in one piece."""
    bundle = posted(size=1024 * 1024)
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert waiting_for(lop, "LOP", LOP_LAPTOP).keys == ()  # the connection is open
        outcome, terminated = blocked_behind_a_lock(pg_hub, lambda: lop.push(bundle),
                                                    office="LOP")
        assert terminated == 1
        assert outcome is True
    assert [row[1] for row in pg_hub.rows()] == [bundle.bundle_id]
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert bic.fetch(bundle.bundle_id) == bundle.data


def test_a_pull_terminated_midway_lists_the_bundle_at_the_next_pull(pg_hub: Hub) -> None:
    """pg_terminate_backend while a pull waits: MailboxOffline; the next pull (with the
    cursor from before) lists the bundle."""
    bundle = posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(bundle)
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        outcome, terminated = blocked_behind_a_lock(
            pg_hub, lambda: waiting_for(bic, "BIC", BIC_LAPTOP), office="BIC")
        assert terminated == 1
        assert isinstance(outcome, MailboxOffline), outcome
        assert waiting_for(bic, "BIC", BIC_LAPTOP).keys == (bundle.bundle_id,)
        outcome, _terminated = blocked_behind_a_lock(
            pg_hub, lambda: bic.fetch(bundle.bundle_id), office="BIC")
        assert outcome == bundle.data  # the connection was open: fetched again


def test_a_backend_terminated_between_calls_is_replaced(pg_hub: Hub) -> None:
    """The server ends an idle connection: the next call connects again by itself."""
    first, second = posted(), posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop, PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert lop.push(first)
        listed = waiting_for(bic, "BIC", BIC_LAPTOP)
        assert listed.keys == (first.bundle_id,)
        assert pg_hub.terminate() == 2
        assert lop.push(second)
        assert waiting_for(bic, "BIC", BIC_LAPTOP, listed.cursor).keys == (second.bundle_id,)


def test_a_stopped_server_is_offline_and_a_restarted_one_works(
        pg_hub: Hub, postgres_server: PostgresServer) -> None:
    """Server stopped: MailboxOffline naming the hub (no password); started again: the same
    mailbox pushes and pulls."""
    bundle = posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop, PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert lop.push(bundle)
        postgres_server.stop()
        try:
            for call in (lambda: lop.push(posted()),
                         lambda: waiting_for(bic, "BIC", BIC_LAPTOP),
                         lambda: bic.fetch(bundle.bundle_id),
                         lambda: lop.prune([bundle.bundle_id])):
                with pytest.raises(MailboxOffline) as offline:
                    call()
                message = str(offline.value)
                assert "\n" not in message and "127.0.0.1" in message
                assert postgres_server.password(pg_hub.logins["LOP"]) not in message
        finally:
            postgres_server.start()
        assert waiting_for(bic, "BIC", BIC_LAPTOP).keys == (bundle.bundle_id,)
        second = posted()
        assert lop.push(second)
        postgres_server.restart()  # both connections are open: replaced by themselves
        assert waiting_for(bic, "BIC", BIC_LAPTOP, None, frozenset({bundle.bundle_id})).keys \
            == (second.bundle_id,)
        assert lop.push(posted())
    assert len(pg_hub.rows()) == 3


# --- refusals ---------------------------------------------------------------------------------


def test_a_database_without_the_schema_says_to_run_setup_sql(
        pg_hub: Hub, postgres_server: PostgresServer) -> None:
    """Connected to a database nobody ran setup-sql in: a MailboxError that says so."""
    bare = postgres_server.create_database()
    with PostgresMailbox(postgres_server.url(pg_hub.logins["LOP"], bare)) as lop:
        with pytest.raises(MailboxError, match="hub setup-sql") as refused:
            lop.push(posted())
    assert not isinstance(refused.value, MailboxOffline)


def test_a_wrong_password_is_a_refusal_not_offline(pg_hub: Hub,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """PGPASSWORD wrong: the hub refuses the login, and says where to fix it."""
    monkeypatch.setenv("PGPASSWORD", "not-the-password")
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        with pytest.raises(MailboxError, match="pgpass") as refused:
            lop.push(posted())
    assert not isinstance(refused.value, MailboxOffline)
    assert "not-the-password" not in str(refused.value)
    assert pg_hub.rows() == []


def test_setup_sql_runs_again_without_harm(pg_hub: Hub) -> None:
    """The administrator may run setup-sql again (to add an office): the bundles stay."""
    bundle = posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(bundle)
    pg_hub.server.execute(setup_sql(["BIC", "LOP", "SNB", "CIT", "NEW"]), pg_hub.dbname)
    # A group role dropped by hand, its row left behind: the others work on.
    pg_hub.server.execute("INSERT INTO office_roles VALUES ('euregionet_gone', 'GONE')",
                          pg_hub.dbname)
    assert [row[1] for row in pg_hub.rows()] == [bundle.bundle_id]
    with PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert waiting_for(bic, "BIC", BIC_LAPTOP).keys == (bundle.bundle_id,)


def test_the_hub_keeps_bundles_as_opaque_bytes(pg_hub: Hub) -> None:
    """The bytes pushed are the bytes in pg_dump (a positive control for the lead's
    plaintext check on real bundles)."""
    marker = b"PLANTED-" + uuid.uuid4().hex.encode()
    bundle = Posted(bundle_id=str(uuid.uuid4()), origin_office="LOP",
                    origin_installation=LOP_LAPTOP, recipients=("BIC",), data=marker * 4)
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(bundle)
    assert marker.hex().encode() in pg_hub.pg_dump()
    assert pg_hub.data_dir.is_dir()


def test_a_second_laptop_of_an_office_sees_what_the_first_pushed_for_the_office(
        pg_hub: Hub) -> None:
    """Two login roles in LOP's group: a bundle LOP addressed to LOP is listed for the other
    laptop, not for the one that made it; the second laptop may push as LOP."""
    second_url = pg_hub.login("LOP", "lop_laptop2")
    second_laptop = str(uuid.uuid4())
    bundle = posted("LOP", ("BIC", "LOP"))
    with PostgresMailbox(pg_hub.url("LOP")) as first, PostgresMailbox(second_url) as second:
        assert first.push(bundle)
        assert waiting_for(second, "LOP", second_laptop).keys == (bundle.bundle_id,)
        assert waiting_for(first, "LOP", LOP_LAPTOP).keys == ()
        assert second.push(posted("LOP", ("BIC",), installation=second_laptop))
        with pytest.raises(MailboxError):
            second.push(posted("SNB", ("BIC",), installation=second_laptop))
    assert len(pg_hub.rows()) == 2


def test_the_data_directory_holds_the_pushed_bytes_after_a_checkpoint(pg_hub: Hub) -> None:
    """Positive control for grepping the data directory: incompressible bytes pushed are
    found in its files once checkpointed."""
    data = os.urandom(4096)
    with PostgresMailbox(pg_hub.url("LOP")) as lop:
        assert lop.push(Posted(bundle_id=str(uuid.uuid4()), origin_office="LOP",
                               origin_installation=LOP_LAPTOP, recipients=("BIC",), data=data))
    pg_hub.checkpoint()
    assert grep([pg_hub.data_dir], data[1000:1064])


def test_an_unknown_role_or_database_is_a_refusal_not_offline(
        pg_hub: Hub, postgres_server: PostgresServer) -> None:
    """A URL naming a role or a database the server does not have: MailboxError that points
    at the URL; the hub itself is reachable."""
    for url in (postgres_server.url("nobody_here", pg_hub.dbname),
                postgres_server.url(pg_hub.logins["LOP"], "no_such_hub")):
        with PostgresMailbox(url) as mailbox:
            with pytest.raises(MailboxError, match="refused the login") as refused:
                waiting_for(mailbox, "LOP", LOP_LAPTOP)
        assert not isinstance(refused.value, MailboxOffline)


def test_a_cursor_from_another_server_or_garbage_lists_everything_again(pg_hub: Hub) -> None:
    """A cursor beyond this server's horizon (the hub moved or restored) or not a cursor at
    all: everything not handled is listed again, nothing is skipped."""
    first, second = posted(), posted()
    with PostgresMailbox(pg_hub.url("LOP")) as lop, PostgresMailbox(pg_hub.url("BIC")) as bic:
        assert lop.push(first) and lop.push(second)
        current = waiting_for(bic, "BIC", BIC_LAPTOP)
        assert current.keys == (first.bundle_id, second.bundle_id)
        for cursor in (str(10 ** 15), "folder-cursor", ""):
            again = waiting_for(bic, "BIC", BIC_LAPTOP, cursor, frozenset({first.bundle_id}))
            assert again.keys == (second.bundle_id,)
            assert int(again.cursor) >= int(current.cursor)
