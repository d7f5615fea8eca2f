"""A real PostgreSQL server for the tests: initdb + pg_ctl from the machine's binaries, in a
temporary directory, on a free localhost port (issue 18).

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` user (or
``nobody``) through ``runuser``. The superuser ``postgres`` connects through the unix socket
in the temporary directory without a password; office roles log in over TCP with
scram-sha-256 passwords that libpq reads from a pgpass file, as a laptop would.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from euregionet_desktop.mailbox.postgres import role_name, setup_sql

SUPERUSER = "postgres"
MINIMUM_MAJOR = 13
REQUIRE_FLAGS = ("EUREGIONET_REQUIRE_POSTGRESQL", "EUREGIONET_REQUIRE_DESKTOP_TOOLS")
# The offices every test hub has (a login role each: lower-case code + "_laptop").
HUB_OFFICES = ("BIC", "LOP", "SNB", "CIT")

SERVER_SETTINGS = """
# Test server: fast and disposable. fsync off only risks data when the machine crashes;
# commits stay synchronous, so a crash of the server itself (stop -m immediate) keeps them.
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
fsync = off
full_page_writes = off
max_connections = 60
shared_buffers = 32MB
log_min_messages = warning
"""


def required() -> bool:
    """Whether a missing PostgreSQL fails the tests instead of skipping them (set by .ci/run)."""
    return any(os.environ.get(flag) for flag in REQUIRE_FLAGS)


def find_bindir() -> Path | None:
    """The directory with initdb, pg_ctl, postgres and pg_dump of the newest PostgreSQL on
    the machine (13 or newer), or None."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                   timeout=30, check=True).stdout.strip()
            candidates.append(Path(found))
        except (subprocess.SubprocessError, OSError):
            pass  # no pg_config: the usual places below
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda path: int(Path(path).parent.name)
                      if Path(path).parent.name.isdigit() else 0, reverse=True)
    candidates.extend(Path(path) for path in versions)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres",
                                                      "pg_dump")):
            if _major(bindir) >= MINIMUM_MAJOR:
                return bindir
    return None


def _major(bindir: Path) -> int:
    try:
        out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except (subprocess.SubprocessError, OSError):
        return 0
    digits = out.rsplit(" ", 1)[-1].split(".")[0].strip()
    return int(digits) if digits.isdigit() else 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> str | None:
    """The unprivileged user to run the server as when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a postgres nor a nobody user exists")


def _temporary_base() -> Path:
    """A new directory for the server: under /tmp where possible, so the server's user can
    reach it whatever TMPDIR is, and the socket path stays under the 107 bytes allowed."""
    top = "/tmp" if os.access("/tmp", os.W_OK | os.X_OK) else None
    return Path(tempfile.mkdtemp(prefix="euregionet-pg-", dir=top))


@dataclass
class PostgresServer:
    """A PostgreSQL server of its own in ``base`` (removed by ``cleanup``)."""

    bindir: Path
    base: Path = field(default_factory=_temporary_base)
    port: int = 0
    user: str | None = field(default_factory=_server_user)
    _passwords: dict[str, str] = field(default_factory=dict)
    _databases: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    @property
    def log_file(self) -> Path:
        return self.base / "server.log"

    @property
    def pgpass(self) -> Path:
        """The password file for the login roles (mode 0600, as libpq wants it)."""
        return self.base / "pgpass"

    # --- life cycle --------------------------------------------------------------------------

    def init(self) -> None:
        os.chmod(self.base, 0o755)  # the server's user must reach its directories
        self.socket_dir.mkdir()
        self.data_dir.mkdir(mode=0o700)
        self.pgpass.touch(mode=0o600)
        self.log_file.touch(mode=0o644)
        if self.user:
            for path in (self.socket_dir, self.data_dir, self.log_file):
                shutil.chown(path, self.user)
        self._as_server_user("initdb", "-D", str(self.data_dir), "-U", SUPERUSER,
                             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                             "--locale=C", "--no-sync", "--no-instructions")

    def start(self) -> None:
        """Start (again) on ``port`` (a free one the first time)."""
        for attempt in range(3):
            if not self.port or attempt:
                self.port = free_port()
            conf = self.data_dir / "postgresql.auto.conf"
            settings = SERVER_SETTINGS.format(port=self.port, socket_dir=self.socket_dir)
            self._write_as_server_user(conf, settings)
            result = self._as_server_user("pg_ctl", "-D", str(self.data_dir), "-l",
                                          str(self.log_file), "-w", "-t", "60", "start",
                                          check=False)
            if result.returncode == 0:
                return
        raise RuntimeError(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}\n"
                           f"{self._log_tail()}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``mode``: smart, fast or immediate — a crash)."""
        self._as_server_user("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "-t", "60",
                             "stop", check=False)

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    @property
    def running(self) -> bool:
        result = self._as_server_user("pg_ctl", "-D", str(self.data_dir), "status",
                                      check=False)
        return result.returncode == 0

    def cleanup(self) -> None:
        if self.data_dir.exists() and self.running:
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    # --- as the superuser --------------------------------------------------------------------

    def admin_conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={dbname}"

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        """A superuser connection (autocommit) through the unix socket; close it."""
        return psycopg.connect(self.admin_conninfo(dbname), autocommit=True)

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run SQL (several statements allowed, no parameters) as the superuser."""
        with self.admin(dbname) as connection:
            connection.execute(sql.encode())

    def create_database(self, name: str | None = None) -> str:
        name = name or f"hub_{next(self._databases)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return name

    def create_hub(self, offices: Sequence[str] = HUB_OFFICES,
                   name: str | None = None) -> Hub:
        """A fresh database with the hub's schema (``setup_sql``) and a login role with a
        password (in ``pgpass``) for each office."""
        dbname = self.create_database(name)
        self.execute(setup_sql(offices), dbname)
        logins = {office: self.login(office) for office in offices}
        return Hub(server=self, dbname=dbname, logins=logins)

    def login(self, office: str, role: str | None = None) -> str:
        """A login role in ``office``'s group role (created once) with a random password
        written to ``pgpass``; its name."""
        role = role or f"{office.lower()}_laptop"
        if role not in self._passwords:
            password = secrets.token_urlsafe(16)
            with self.admin() as connection:
                connection.execute(f"CREATE ROLE {role} LOGIN IN ROLE {role_name(office)}")
                # Set with a parameter-free statement psql's \password would send.
                connection.execute(
                    f"ALTER ROLE {role} PASSWORD "
                    f"{sql.Literal(password).as_string(connection)}")
            self._passwords[role] = password
            with self.pgpass.open("a", encoding="utf-8") as lines:
                # Any port: a restart may have to move to another one.
                lines.write(f"127.0.0.1:*:*:{role}:{password}\n")
                lines.write(f"localhost:*:*:{role}:{password}\n")
        return role

    def password(self, role: str) -> str:
        return self._passwords[role]

    def url(self, role: str, dbname: str) -> str:
        """The URL a laptop keeps: no password in it."""
        return f"postgresql://{role}@127.0.0.1:{self.port}/{dbname}"

    def terminate(self, dbname: str, *, role: str | None = None) -> int:
        """``pg_terminate_backend`` every client connection to ``dbname`` (of ``role``); how
        many."""
        with self.admin() as connection:
            rows = connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND (%s::text IS NULL OR usename = %s)"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                (dbname, role, role)).fetchall()
        return sum(1 for (done,) in rows if done)

    def pg_dump(self, dbname: str, *args: str) -> bytes:
        """The output of ``pg_dump`` of the database (plain SQL unless ``args`` say else)."""
        return subprocess.run(
            [str(self.bindir / "pg_dump"), "-h", str(self.socket_dir), "-p", str(self.port),
             "-U", SUPERUSER, *args, dbname],
            capture_output=True, check=True, timeout=300).stdout

    # --- running the binaries ----------------------------------------------------------------

    def _as_server_user(self, tool: str, *args: str,
                        check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                cwd=self.base, env={**os.environ, "LC_ALL": "C"})
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        return result

    def _write_as_server_user(self, path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        if self.user:
            shutil.chown(path, self.user)

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""


@dataclass
class Hub:
    """One hub database on the test server, with a login role per office."""

    server: PostgresServer
    dbname: str
    logins: dict[str, str]  # office code -> login role

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir

    def url(self, office: str) -> str:
        return self.server.url(self.logins[office], self.dbname)

    def login(self, office: str, role: str) -> str:
        """Another login role in ``office`` (a second laptop); the URL it connects with."""
        return self.server.url(self.server.login(office, role), self.dbname)

    def checkpoint(self) -> None:
        """Write every buffered page to the data directory (before grepping its files)."""
        self.server.execute("CHECKPOINT")

    def connect(self, office: str, **kwargs: object) -> psycopg.Connection:
        """A connection as ``office``'s login role (password from the pgpass file)."""
        role = self.logins[office]
        return psycopg.connect(self.url(office), password=self.server.password(role),
                               connect_timeout=5, **kwargs)

    def admin(self) -> psycopg.Connection:
        return self.server.admin(self.dbname)

    def terminate(self, office: str | None = None) -> int:
        return self.server.terminate(self.dbname,
                                     role=self.logins[office] if office else None)

    def pg_dump(self, *args: str) -> bytes:
        return self.server.pg_dump(self.dbname, *args)

    def rows(self) -> list[tuple]:
        """Every bundle row as the superuser sees it (id, bundle_id, origin, recipients)."""
        with self.admin() as connection:
            return connection.execute(
                "SELECT id, bundle_id::text, origin_office, recipients FROM bundles ORDER BY id"
            ).fetchall()


def wait_for(condition, timeout: float = 10.0, interval: float = 0.02) -> bool:
    """Poll ``condition`` until true or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def start_server(bindir: Path) -> PostgresServer:
    server = PostgresServer(bindir=bindir)
    try:
        server.init()
        server.start()
    except BaseException:
        server.cleanup()
        raise
    return server


def grep(haystacks: Iterable[Path], needle: bytes) -> list[Path]:
    """The files under these directories (recursively) whose bytes contain ``needle``."""
    found = []
    for top in haystacks:
        for path in Path(top).rglob("*"):
            if path.is_file() and needle in path.read_bytes():
                found.append(path)
    return found
