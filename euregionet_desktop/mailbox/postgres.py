"""The office hub: a mailbox in a PostgreSQL table, one role per office, row-level security.

The person who runs the server executes ``setup_sql(offices)`` (``euregionet hub setup-sql``)
as an administrator once; the app connects as its office's role and never creates or alters
anything. The password is never part of the URL the profile keeps: libpq reads it from
``PGPASSWORD``, the ``.pgpass`` file or ``PGPASSFILE`` itself.

Pulling uses the transaction ids of the inserting transactions, not the serial ids: a row
whose transaction got a lower id may commit after a row with a higher one, and a reader that
remembered "the highest id seen" would never see it. ``waiting`` lists only rows whose
transaction id lies below the oldest transaction still running
(``pg_snapshot_xmin(pg_current_snapshot())``) — those are all finished, none can appear
later — and hands that horizon back as the cursor for the next call.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Container, Iterable
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from euregionet_desktop.errors import MailboxError, MailboxOffline
from euregionet_desktop.i18n import _
from euregionet_desktop.mailbox.base import Mailbox, Posted, Waiting

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5
# A laptop that loses the network mid-sync notices within half a minute instead of waiting
# for TCP to give up (a quarter of an hour); the URL may say otherwise.
CONNECTION_DEFAULTS = {
    "connect_timeout": str(CONNECT_TIMEOUT_SECONDS),
    "application_name": "euregionet",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "30000",
}
# The group role of an office: its members (one login role per laptop or per person) push
# and pull as that office.
ROLE_PREFIX = "euregionet_"
OFFICE_CODE = re.compile(r"[A-Za-z0-9_]{1,30}")

T = TypeVar("T")

# What the app needs on the server; setup_sql() adds the roles, grants and policies.
SCHEMA_SQL = """\
CREATE TABLE IF NOT EXISTS bundles (
    id bigserial PRIMARY KEY,
    bundle_id uuid NOT NULL UNIQUE,
    origin_office text NOT NULL,
    origin_installation uuid NOT NULL,
    recipients text[] NOT NULL CHECK (cardinality(recipients) > 0),
    sha256 text NOT NULL UNIQUE,
    size bigint NOT NULL,
    created timestamptz NOT NULL DEFAULT now(),
    -- The inserting transaction: the pull cursor (see the app's mailbox/postgres.py).
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    data bytea NOT NULL,
    -- The hub checks what it is told about the bytes (it never reads them otherwise).
    CHECK (size = octet_length(data)),
    CHECK (sha256 = encode(sha256(data), 'hex'))
);
CREATE INDEX IF NOT EXISTS bundles_xid ON bundles (xid, id);
CREATE INDEX IF NOT EXISTS bundles_recipients ON bundles USING gin (recipients);

-- Which office each group role stands for.
CREATE TABLE IF NOT EXISTS office_roles (
    role_name name PRIMARY KEY,
    office_code text NOT NULL
);

-- The offices of the connected role: those of the group roles it is a member of (a role
-- dropped without its row here is passed over, not an error for everyone).
CREATE OR REPLACE FUNCTION euregionet_offices() RETURNS text[]
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(array_agg(office_roles.office_code), '{}')
        FROM office_roles JOIN pg_roles ON pg_roles.rolname = office_roles.role_name
        WHERE pg_has_role(current_user, pg_roles.oid, 'MEMBER')
    $$;

REVOKE ALL ON bundles, office_roles FROM PUBLIC;

ALTER TABLE bundles ENABLE ROW LEVEL SECURITY;
ALTER TABLE bundles FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS office_inserts_own ON bundles;
DROP POLICY IF EXISTS office_reads_addressed ON bundles;
DROP POLICY IF EXISTS office_deletes_own ON bundles;
-- An office inserts only bundles that name it as their origin,
CREATE POLICY office_inserts_own ON bundles FOR INSERT
    WITH CHECK (origin_office = ANY ((SELECT euregionet_offices())::text[]));
-- reads only bundles addressed to it (and its own),
CREATE POLICY office_reads_addressed ON bundles FOR SELECT
    USING (recipients && (SELECT euregionet_offices())
           OR origin_office = ANY ((SELECT euregionet_offices())::text[]));
-- and prunes only its own.
CREATE POLICY office_deletes_own ON bundles FOR DELETE
    USING (origin_office = ANY ((SELECT euregionet_offices())::text[]));
"""

SETUP_HEADER = """\
-- EuRegioNet office hub: run once as a PostgreSQL administrator in the hub's database
-- (psql -d DATABASE -f this-file); running it again adds offices and changes nothing else.
-- Needs PostgreSQL 13 or newer. The app never needs more rights than granted here.
--
-- Each office gets a group role that cannot log in ({example}). Give every laptop
-- (or person) its own login role in its office's group, and set the password in psql with
-- \\password, so it never lands in a file or the server log:
--     CREATE ROLE {login} LOGIN IN ROLE {example};
--     \\password {login}
-- On the laptop the password goes into ~/.pgpass (mode 0600) or PGPASSWORD, never into the URL:
--     euregionet hub set "postgresql://{login}@hub.example.org/euregionet?sslmode=verify-full&sslrootcert=/path/to/root.crt"
--
-- TLS: enable ssl on the server (ssl = on, a certificate for the host name) and allow only
-- "hostssl" lines for these roles in pg_hba.conf (scram-sha-256). Laptops connect with
-- sslmode=verify-full and sslrootcert=FILE (the CA that signed the server certificate), so
-- neither the password nor the bundles travel to a server that is not the hub. The bundles
-- are encrypted and signed anyway; the hub never holds a readable record.

BEGIN;
SET LOCAL client_min_messages = warning;
"""


def role_name(office: str) -> str:
    """The group role of an office (``euregionet_lop`` for LOP)."""
    return ROLE_PREFIX + office.lower()


def setup_sql(offices: Iterable[str]) -> str:
    """The SQL an administrator runs on the hub's server: the table, a group role per office,
    the grants (insert, select, delete; never update) and the row-level security."""
    codes = sorted({office.upper() for office in offices})
    for code in codes:
        if not OFFICE_CODE.fullmatch(code):
            raise MailboxError(_("“{office}” is not an office code the hub can have a role "
                                 "for.").format(office=code))
    if not codes:
        raise MailboxError(_("The hub needs at least one office."))
    parts = [SETUP_HEADER.format(example=role_name(codes[0]),
                                     login=f"{codes[0].lower()}_anna"), SCHEMA_SQL]
    for code in codes:
        role = role_name(code)
        parts.append(f"""
-- Office {code}
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} NOLOGIN;
    END IF;
END $$;
INSERT INTO office_roles (role_name, office_code) VALUES ('{role}', '{code}')
    ON CONFLICT (role_name) DO UPDATE SET office_code = excluded.office_code;
GRANT SELECT, DELETE ON bundles TO {role};
-- Only what a bundle is; the id, the time and the transaction are the server's.
GRANT INSERT (bundle_id, origin_office, origin_installation, recipients, sha256, size, data)
    ON bundles TO {role};
GRANT USAGE ON SEQUENCE bundles_id_seq TO {role};
GRANT SELECT ON office_roles TO {role};
GRANT EXECUTE ON FUNCTION euregionet_offices() TO {role};
""")
    parts.append("\nCOMMIT;\n")
    return "".join(parts)


def display_url(url: str) -> str:
    """The URL as a person may read it: without a password (in the user part or the query)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _sep, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query)
                       if key.lower() != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class PostgresMailbox(Mailbox):
    """The office hub on PostgreSQL; connects at first use and again after a lost connection."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._location = display_url(url)
        self._connection: psycopg.Connection | None = None

    @property
    def location(self) -> str:
        return self._location

    def push(self, posted: Posted) -> bool:
        def insert(connection: psycopg.Connection) -> bool:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bundles (bundle_id, origin_office, origin_installation,"
                    " recipients, sha256, size, data)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %b) ON CONFLICT DO NOTHING",
                    (uuid.UUID(posted.bundle_id), posted.origin_office,
                     uuid.UUID(posted.origin_installation), list(posted.recipients),
                     posted.sha256, len(posted.data), posted.data))
                return cursor.rowcount == 1

        return self._run(insert)

    def waiting(self, *, office: str, installation: str, cursor: str | None,
                handled: Container[str]) -> Waiting:
        start = int(cursor) if cursor and cursor.isdigit() else 0

        def listing(connection: psycopg.Connection) -> tuple[int, list[str]]:
            # One statement, one snapshot: the horizon and the rows below it agree.
            rows = connection.execute(
                "WITH horizon AS MATERIALIZED ("
                "  SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)"
                " SELECT horizon.xmin::text, bundles.bundle_id::text FROM horizon"
                " LEFT JOIN bundles ON bundles.xid >= %s::text::xid8"
                "  AND bundles.xid < horizon.xmin AND %s = ANY (bundles.recipients)"
                "  AND bundles.origin_installation <> %s"
                " ORDER BY bundles.xid, bundles.id",
                (str(start), office, uuid.UUID(installation))).fetchall()
            return int(rows[0][0]), [key for _horizon, key in rows if key is not None]

        horizon, keys = self._run(listing)
        if start > horizon:
            # A cursor from another server (the hub was moved or restored): the horizon
            # never goes back, so list everything again; what was handled stays out.
            start = 0
            horizon, keys = self._run(listing)
        return Waiting(keys=tuple(key for key in keys if key not in handled),
                       cursor=str(horizon))

    def fetch(self, key: str) -> bytes | None:
        bundle_id = _as_uuid(key)
        if bundle_id is None:
            return None

        def read(connection: psycopg.Connection) -> bytes | None:
            with connection.cursor(binary=True) as cursor:
                row = cursor.execute("SELECT data FROM bundles WHERE bundle_id = %s",
                                     (bundle_id,)).fetchone()
            return None if row is None else bytes(row[0])

        return self._run(read)

    def prune(self, keys: Iterable[str]) -> int:
        bundle_ids = [bundle_id for bundle_id in map(_as_uuid, keys) if bundle_id is not None]
        if not bundle_ids:
            return 0

        def delete(connection: psycopg.Connection) -> int:
            with connection.transaction(), connection.cursor() as cursor:
                # Row-level security leaves other offices' bundles out of the DELETE.
                cursor.execute("DELETE FROM bundles WHERE bundle_id = ANY (%s)", (bundle_ids,))
                return cursor.rowcount

        return self._run(delete)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    # --- connection and errors ---------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        if self._connection is None or self._connection.closed:
            given = conninfo_to_dict(self._url)
            defaults = {key: value for key, value in CONNECTION_DEFAULTS.items()
                        if key not in given}
            try:
                self._connection = psycopg.connect(self._url, autocommit=True, **defaults)
            except psycopg.OperationalError as error:
                if _is_login_refusal(error):
                    raise self._refused_login(error) from error
                raise
        return self._connection

    def _run(self, work: Callable[[psycopg.Connection], T]) -> T:
        """``work`` on the connection, as one transaction; a connection that was open before
        and turns out lost (the server restarted, the backend terminated while idle) is
        replaced once. Every failure becomes a MailboxOffline or MailboxError."""
        reused = self._connection is not None and not self._connection.closed
        try:
            try:
                return work(self._connect())
            except psycopg.OperationalError as error:
                self._drop()
                if not reused or not _connection_lost(error):
                    raise
                log.info("hub %s: connection lost (%s), connecting again",
                         self._location, _first_line(error))
                return work(self._connect())
        except psycopg.Error as error:
            if isinstance(error, psycopg.OperationalError):
                self._drop()
            raise self._translated(error) from error

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except psycopg.Error:  # pragma: no cover - closing a broken connection
                log.debug("hub %s: closing a broken connection failed", self._location)

    def _translated(self, error: psycopg.Error) -> MailboxError:
        location = self._location
        reason = _first_line(error)
        log.warning("hub %s: %s: %s", location, type(error).__name__, reason)
        if isinstance(error, pg_errors.UndefinedTable):
            return MailboxError(_(
                "The hub at {location} has no bundle table yet: run “euregionet hub setup-sql” "
                "and have the output executed on the server.").format(location=location))
        if isinstance(error, pg_errors.UndefinedFunction):
            return MailboxError(_(
                "The hub at {location} needs PostgreSQL 13 or newer and the schema from "
                "“euregionet hub setup-sql”.").format(location=location))
        if isinstance(error, pg_errors.InsufficientPrivilege):
            return MailboxError(_(
                "The hub at {location} refused this: the login is not allowed to do it for "
                "this office ({reason}).").format(location=location, reason=reason))
        if isinstance(error, psycopg.OperationalError):
            return MailboxOffline(_(
                "The hub at {location} cannot be reached now; the next sync tries again "
                "({reason}).").format(location=location, reason=reason))
        return MailboxError(_("The hub at {location} failed: {reason}").format(
            location=location, reason=reason))


    def _refused_login(self, error: psycopg.Error) -> MailboxError:
        reason = _first_line(error)
        log.warning("hub %s: login refused: %s", self._location, reason)
        return MailboxError(_(
            "The hub at {location} refused the login: check the user in the URL and the "
            "password in the .pgpass file or PGPASSWORD ({reason}).").format(
                location=self._location, reason=reason))


def _as_uuid(key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(key)
    except (ValueError, TypeError, AttributeError):
        return None


def _first_line(error: BaseException) -> str:
    """libpq's message without its hints and the "connection failed:" preamble."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text.removeprefix("connection failed: ")


def _connection_lost(error: psycopg.OperationalError) -> bool:
    """The server ended an established connection (as opposed to refusing a new one)."""
    return isinstance(error, pg_errors.AdminShutdown | pg_errors.CrashShutdown) or (
        error.sqlstate is None)


def _is_login_refusal(error: psycopg.Error) -> bool:
    """A new connection refused for its user, password, database or host (not the network)."""
    text = str(error)
    return isinstance(error, pg_errors.InvalidAuthorizationSpecification
                      | pg_errors.InvalidPassword) or any(
        marker in text for marker in ("password authentication failed", "no password supplied",
                                      "does not exist", "no pg_hba.conf entry"))
