"""Hub targets of issue 18, against the same bundle by file in the same run.

Set-up (untimed): the sync benchmark's sender (BIC, demo data for about ``changes`` change
log rows) and pristine receiver (LOP), trusting each other; a PostgreSQL server of the
tests (tests/pg_server.py: initdb and pg_ctl from the machine, on a free localhost port)
with a fresh hub database per run.

- by file (the floor): ``bundle export --to LOP --encrypt`` of the sender, then ``bundle
  import`` (``exchange.import_and_scrub``: a backup first) on a fresh copy of the receiver.
- through the hub: the sender's ``hub sync`` (its bundle, encrypted to every trusted key,
  pushed), then on a fresh copy of the receiver ``hub sync`` (its own small bundle pushed,
  the sender's pulled, a backup, the import). Target ≤ 1.3× the floor.
- nothing new: the receiver's ``hub sync`` once everything is exchanged (median of 10):
  target ≤ 100 ms against the local server.

Runs alternate; medians.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from euregionet_desktop.services import bundle_export, exchange, hub
from tests.benchmarks.sync import fresh_receiver, set_up

RATIO_TARGET = 1.3
QUIET_TARGET_MS = 100.0
RUNS = 3
QUIET_RUNS = 10


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def by_file(sender, pristine, root: Path) -> float:
    """Export (encrypted) and import; the receiver's opening is not timed."""
    path = root / "file.eurnet"
    started = time.perf_counter()
    sender.backend.run(bundle_export.export_bundle, profile=sender.profile, to_office="LOP",
                       path=path, encrypt=True)
    exported = time.perf_counter() - started
    receiver = fresh_receiver(pristine, root / "receiver-file")
    with receiver:
        started = time.perf_counter()
        receiver.backend.run(exchange.import_and_scrub, profile=receiver.profile,
                             data=path.read_bytes())
        imported = time.perf_counter() - started
    path.unlink()
    return exported + imported


def through_hub(sender, pristine, server, root: Path, n: int, quiet: list[float]
                ) -> tuple[float, hub.HubReport]:
    """Push and pull + import through a fresh hub database; on the first run also the
    syncs with nothing new (their seconds appended to ``quiet``)."""
    hub_db = server.create_hub(("BIC", "LOP"), name=f"bench_hub_{n}")
    sender.backend.run(hub.set_hub, url=hub_db.url("BIC"))
    receiver = fresh_receiver(pristine, root / "receiver-hub")
    with receiver:
        receiver.backend.run(hub.set_hub, url=hub_db.url("LOP"))
        started = time.perf_counter()
        hub.sync(sender.backend, profile=sender.profile)
        report = hub.sync(receiver.backend, profile=receiver.profile)
        took = time.perf_counter() - started
        if n == 0:
            hub.sync(receiver.backend, profile=receiver.profile)  # its acknowledgements
            for _ in range(QUIET_RUNS):
                started = time.perf_counter()
                hub.sync(receiver.backend, profile=receiver.profile)
                quiet.append(time.perf_counter() - started)
    return took, report


def run(root: Path, changes: int) -> list[str]:
    from tests import pg_server

    root.mkdir(parents=True, exist_ok=True)
    bindir = pg_server.find_bindir()
    if bindir is None:
        return ["hub: skipped (no PostgreSQL binaries: Debian package postgresql)"]
    server = pg_server.start_server(bindir)
    os.environ["PGPASSFILE"] = str(server.pgpass)
    sender, pristine, contacts = set_up(root, changes)
    try:
        print("hub: by file and through the hub …", file=sys.stderr, flush=True)
        files, hubs, quiet = [], [], []
        report = None
        for n in range(RUNS + 1):  # the first pair warms up
            seconds = by_file(sender, pristine, root)
            if n:
                files.append(seconds)
            seconds, report = through_hub(sender, pristine, server, root, n, quiet)
            if n:
                hubs.append(seconds)
    finally:
        sender.close()
        server.cleanup()
    file_s, hub_s = statistics.median(files), statistics.median(hubs)
    ratio = hub_s / file_s
    quiet_ms = statistics.median(quiet) * 1000
    assert report is not None
    return [
        "",
        f"hub: sender BIC with {contacts} demo contacts; {report.applied} changes applied "
        f"at LOP from {report.imported} bundle(s)",
        f"  runs (s): by file {' '.join(f'{s:.2f}' for s in files)}; through the hub "
        f"{' '.join(f'{s:.2f}' for s in hubs)}",
        f"hub push + pull + import: {hub_s:.2f} s = {ratio:.2f}x by file ({file_s:.2f} s: "
        f"export --encrypt + import)  target <= {RATIO_TARGET:g}x  "
        f"{verdict(ratio <= RATIO_TARGET)}",
        f"hub sync with nothing new: {quiet_ms:.1f} ms (median of {QUIET_RUNS})  target <= "
        f"{QUIET_TARGET_MS:g} ms  {verdict(quiet_ms <= QUIET_TARGET_MS)}",
    ]
