"""Sync targets of DESIGN §8: bundle export and import of about 100k changes.

Set-up (untimed): a sender profile of office BIC filled by ``services.demo.generate`` with
as many contacts as give about ``changes`` change log rows (the count is reported), and a
receiver profile of office LOP set up with ``services.profile.initialise``; each trusts the
other's keys (``services.partners.own_public_keys`` / ``trust``).

- export: ``bundle_export.export_bundle`` of the sender to LOP, not encrypted (every run a new
  bundle with every change, since LOP acknowledged none), against the raw floor: the same
  change log rows read with plain sqlite3, each orjson-encoded as the same wire line, and
  written as a deflated zip (the same level, fsync'd) — checked to hold the same lines.
- import: ``bundle_import.import_bundle`` of that bundle on a fresh copy of the pristine receiver
  each run, against the raw floor: open the zip, orjson-parse each line, and insert the
  same change log rows with sqlite3 executemany into the app's change_log table (its DDL
  and index, nothing else) in a fresh database with the app's pragmas, in one transaction.

Floor and app runs alternate; medians. ``cprofile`` (a folder) also writes cProfile stats
of one extra export and one extra import there (export.prof, import.prof).

- peak memory: one more export (of the closed sender) and one more import (into a fresh copy
  of the receiver), each in a fresh child process that opens the profile, runs the service
  and reports its peak RSS (VmHWM of /proc/self/status: the whole process, the interpreter
  and the imported stack included), against DESIGN §8's 250 MiB; also the RSS before the
  service ran (the same process with the profile open), for where the peak comes from.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import orjson

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, demo, partners, profile
from euregionet_desktop.services.profile import Core

EXPORT_TARGET = 2.0  # × raw floor
IMPORT_TARGET = 2.5  # issue 13 (DESIGN §8 said 3×)
PEAK_TARGET_MIB = 250  # peak RSS of an export or import of 100k changes
EXPORT_RUNS = 5
IMPORT_RUNS = 3
# Demo data writes about this many change log rows per contact, plus a fixed part (the
# reference clusters, events, indicators); measured, only used to pick the contacts count.
CHANGES_PER_CONTACT = 14.67
CHANGES_FIXED = 3650
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL",
           "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-32000", "PRAGMA secure_delete=ON")
COLUMNS = ("installation_id", "seq", "hlc", "author_id", "entity", "record_id", "field",
           "value", "replaces", "current")


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def contacts_for(changes: int) -> int:
    return max(100, round((changes - CHANGES_FIXED) / CHANGES_PER_CONTACT))


def count_changes(database: Path) -> int:
    with closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT count(*) FROM change_log").fetchone()[0]


# --- set-up ---------------------------------------------------------------------------


def set_up(root: Path, changes: int) -> tuple[Core, Profile, int]:
    """The open sender (BIC, demo data), the closed pristine receiver (LOP), the contacts."""
    contacts = contacts_for(changes)
    print(f"sync: sender BIC with {contacts} demo contacts, receiver LOP, in {root} …",
          file=sys.stderr, flush=True)
    sender = profile.open_profile(Profile(root / "sender"), purpose="benchmark sender")
    try:
        def fill(session) -> None:
            profile.initialise(session, office="BIC", advisor_name="Sender")
            demo.generate(session, contacts=contacts)

        sender.backend.run(fill)
        receiver = profile.open_profile(Profile(root / "receiver"), purpose="benchmark")
        with receiver:
            receiver.backend.run(profile.initialise, office="LOP", advisor_name="Receiver")
            sender_keys = sender.backend.run(partners.own_public_keys,
                                             profile=sender.profile)
            receiver_keys = receiver.backend.run(partners.own_public_keys,
                                                 profile=receiver.profile)
            receiver.backend.run(partners.trust, partner=sender_keys)
            sender.backend.run(partners.trust, partner=receiver_keys)
    except BaseException:
        sender.close()
        raise
    return sender, receiver.profile, contacts


def fresh_receiver(pristine: Profile, target: Path) -> Core:
    """A copy of the pristine receiver (closed, so its WAL is checkpointed), opened."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(pristine.root, target,
                    ignore=shutil.ignore_patterns("profile.lock*", "backups", "logs"))
    return profile.open_profile(Profile(target), purpose="benchmark receiver")


# --- export ---------------------------------------------------------------------------


def export_floor(database: Path, target: Path) -> tuple[float, dict[str, bytes]]:
    """Seconds to read every change log row, encode each as its wire line and write the
    lines as a deflated zip (one member per installation); and the members."""
    started = time.perf_counter()
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT installation_id, seq, hlc, author_id, entity, record_id, field, value, "
            "replaces FROM change_log ORDER BY installation_id, seq").fetchall()
    dumps, loads, sort = orjson.dumps, orjson.loads, orjson.OPT_SORT_KEYS
    lines: dict[str, list[bytes]] = {}
    for installation, seq, hlc, author, entity, record, name, value, replaces in rows:
        lines.setdefault(installation, []).append(dumps(
            {"a": author, "e": entity, "f": name, "h": hlc, "i": installation, "r": record,
             "s": seq, "v": loads(value), "x": loads(replaces)}, option=sort))
    members = {f"changes/{i}.jsonl": b"\n".join(ls) + b"\n" for i, ls in lines.items()}
    with open(target, "wb") as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=6) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        handle.flush()
        os.fsync(handle.fileno())
    return time.perf_counter() - started, members


def bundle_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("changes/")}


def export_app(sender: Core, path: Path) -> tuple[float, bundle_export.ExportResult]:
    started = time.perf_counter()
    result = sender.backend.run(bundle_export.export_bundle, profile=sender.profile,
                                to_office="LOP", path=path)
    return time.perf_counter() - started, result


# --- import ---------------------------------------------------------------------------


def change_log_ddl(database: Path) -> list[str]:
    """The app's CREATE TABLE change_log and its indexes."""
    with closing(sqlite3.connect(database)) as db:
        return [sql for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'change_log' AND sql IS NOT NULL "
            "ORDER BY type DESC")]  # the table before its indexes


def import_floor(data: bytes, ddl: list[str], target: Path) -> tuple[float, int]:
    """Seconds to open the bundle, parse every change line and insert the change log rows
    into a fresh database in one transaction; and the rows inserted."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        for pragma in PRAGMAS:
            db.execute(pragma)
        for sql in ddl:
            db.execute(sql)
        dumps, loads = orjson.dumps, orjson.loads
        insert = f"INSERT INTO change_log ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 10)})"
        started = time.perf_counter()
        rows = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                if not name.startswith("changes/"):
                    continue
                for line in zf.read(name).split(b"\n"):
                    if line:
                        c = loads(line)
                        rows.append((c["i"], c["s"], c["h"], c["a"], c["e"], c["r"], c["f"],
                                     dumps(c["v"], option=orjson.OPT_SORT_KEYS).decode(),
                                     dumps(c["x"]).decode(), True))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(insert, rows)
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
        stored = db.execute("SELECT count(*) FROM change_log").fetchone()[0]
    return elapsed, stored


def import_app(receiver: Core, data: bytes) -> tuple[float, bundle_import.ImportReport]:
    started = time.perf_counter()
    report = receiver.backend.run(bundle_import.import_bundle, profile=receiver.profile,
                                  data=data)
    return time.perf_counter() - started, report


# --- peak memory ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PEAK_CHILD = r"""
import json, sys
from pathlib import Path

def rss():
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}

mode, root, bundle = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, profile

core = profile.open_profile(Profile(root), purpose="benchmark peak")
with core:
    before = rss()
    if mode == "export":
        result = core.backend.run(bundle_export.export_bundle, profile=core.profile,
                                  to_office="LOP", path=bundle)
        count = result.changes
    else:
        report = core.backend.run(bundle_import.import_bundle, profile=core.profile,
                                  data=bundle.read_bytes())
        count = report.applied
    after = rss()
print(json.dumps({"before": before, "after": after, "changes": count}), flush=True)
"""


def peak_child(mode: str, root: Path, bundle: Path) -> dict:
    """What a fresh process running one export (or import) reported: RSS before the
    service ran and after it (VmHWM: the peak of the whole process), in MiB."""
    done = subprocess.run([sys.executable, "-c", PEAK_CHILD, mode, str(root), str(bundle)],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_line(what: str, measured: dict) -> str:
    peak = measured["after"]["VmHWM"]
    return (f"bundle {what} of {measured['changes']} changes: peak {peak:.0f} MiB RSS (before "
            f"the {what}: {measured['before']['VmRSS']:.0f} MiB RSS, peak so far "
            f"{measured['before']['VmHWM']:.0f} MiB; a fresh process)  target <= "
            f"{PEAK_TARGET_MIB} MiB  {verdict(peak <= PEAK_TARGET_MIB)}")


# --- the run --------------------------------------------------------------------------


def run(root: Path, changes: int, cprofile: Path | None = None) -> list[str]:
    """Set up in ``root`` (left for the caller to remove), measure, and report lines."""
    root.mkdir(parents=True, exist_ok=True)
    sender, pristine, contacts = set_up(root, changes)
    try:
        rows = count_changes(sender.profile.database)
        print(f"sync: {rows} changes; export …", file=sys.stderr, flush=True)
        export_app(sender, root / "warm-up.zip")  # the page cache, imports, statements
        export_floor(sender.profile.database, root / "floor.zip")
        exports, floors = [], []
        for n in range(EXPORT_RUNS):
            seconds, floor_members = export_floor(sender.profile.database, root / "floor.zip")
            floors.append(seconds)
            seconds, result = export_app(sender, root / f"bundle-{n}.zip")
            exports.append(seconds)
        bundle = root / "bundle-0.zip"
        same = bundle_members(bundle) == floor_members
        bundle_size, floor_size = bundle.stat().st_size, (root / "floor.zip").stat().st_size
        if cprofile is not None:
            cprofile.mkdir(parents=True, exist_ok=True)
            with cProfile.Profile() as profiler:
                export_app(sender, root / "profiled.zip")
            profiler.dump_stats(cprofile / "export.prof")
    finally:
        sender.close()
    print("sync: export peak memory …", file=sys.stderr, flush=True)
    export_peak = peak_child("export", root / "sender", root / "peak.zip")
    for n in range(1, EXPORT_RUNS):
        (root / f"bundle-{n}.zip").unlink(missing_ok=True)

    print("sync: import …", file=sys.stderr, flush=True)
    data = bundle.read_bytes()
    ddl = change_log_ddl(pristine.database)
    imports, import_floors = [], []
    report = None
    for n in range(IMPORT_RUNS + 1):  # the first pair warms up
        seconds, stored = import_floor(data, ddl, root / "floor-import.sqlite3")
        if n:
            import_floors.append(seconds)
        receiver = fresh_receiver(pristine, root / "receiver-run")
        with receiver:
            seconds, report = import_app(receiver, data)
        if n:
            imports.append(seconds)
    if cprofile is not None:
        receiver = fresh_receiver(pristine, root / "receiver-run")
        with receiver:
            with cProfile.Profile() as profiler:
                import_app(receiver, data)
        profiler.dump_stats(cprofile / "import.prof")
    print("sync: import peak memory …", file=sys.stderr, flush=True)
    fresh_receiver(pristine, root / "receiver-run").close()
    import_peak = peak_child("import", root / "receiver-run", bundle)
    shutil.rmtree(root / "receiver-run", ignore_errors=True)

    export_s, export_floor_s = statistics.median(exports), statistics.median(floors)
    import_s, import_floor_s = statistics.median(imports), statistics.median(import_floors)
    export_ratio, import_ratio = export_s / export_floor_s, import_s / import_floor_s
    assert report is not None
    return [
        "",
        f"sync: sender BIC with {contacts} demo contacts = {rows} changes; receiver LOP "
        f"(fresh copy per import); bundle {bundle_size / 1e6:.1f} MB, {result.changes} "
        f"changes ({'the same lines as the floor' if same else 'LINES DIFFER FROM THE FLOOR'}"
        f"); floor zip {floor_size / 1e6:.1f} MB",
        f"  export runs (s): app {' '.join(f'{s:.2f}' for s in exports)}; floor "
        f"{' '.join(f'{s:.2f}' for s in floors)}",
        f"  import runs (s): app {' '.join(f'{s:.2f}' for s in imports)}; floor "
        f"{' '.join(f'{s:.2f}' for s in import_floors)}; applied {report.applied}, known "
        f"{report.known}, waiting {report.waiting}, conflicts {report.conflicts}; floor rows "
        f"{stored}",
        f"bundle export of {result.changes} changes: {export_s:.2f} s = {export_ratio:.1f}x "
        f"raw floor ({export_floor_s:.2f} s: sqlite3 read + orjson lines + zip deflate; "
        f"median of {EXPORT_RUNS})  target <= {EXPORT_TARGET:g}x  "
        f"{verdict(export_ratio <= EXPORT_TARGET)}",
        f"bundle import of {report.applied} changes: {import_s:.2f} s = {import_ratio:.1f}x "
        f"raw floor ({import_floor_s:.2f} s: zip + orjson + sqlite3 executemany of the "
        f"change log rows; median of {IMPORT_RUNS})  target <= {IMPORT_TARGET:g}x  "
        f"{verdict(import_ratio <= IMPORT_TARGET)}",
        peak_line("export", export_peak),
        peak_line("import", import_peak),
    ]
