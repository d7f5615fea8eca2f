"""The Needs translation list on the benchmark profile: the service (one query over the change
log, record labels, DTOs) against the same query run with plain sqlite3."""

from __future__ import annotations

import sqlite3
import statistics
import time
from contextlib import closing

from euregionet_desktop.services.profile import Core
from euregionet_desktop.services.translation import candidates_query, needs_translation

RUNS = 10
TARGET_S = 0.5  # the view opens without a wait a person notices
RATIO_TARGET = 3.0  # × the raw query: labels and DTOs may not cost more than the query twice


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def run(core: Core) -> list[str]:
    lines = ["", "translations:"]
    service, raw = [], []
    count = 0
    sql, params = candidates_query(core.backend.engine.dialect)
    with closing(sqlite3.connect(core.profile.database)) as db:
        for _run in range(RUNS):
            started = time.perf_counter()
            count = len(core.backend.read(needs_translation))
            service.append(time.perf_counter() - started)
            started = time.perf_counter()
            db.execute(sql, params).fetchall()
            raw.append(time.perf_counter() - started)
    seconds, floor = statistics.median(service), statistics.median(raw)
    ratio = seconds / floor if floor else 0.0
    lines.append(f"  raw query: {floor * 1000:.1f} ms")
    lines.append(f"needs translation ({count} sides): {seconds * 1000:.1f} ms = {ratio:.2f}× raw  "
                 f"target <= {TARGET_S:g} s and <= {RATIO_TARGET:g}×  "
                 f"{verdict(seconds <= TARGET_S and ratio <= RATIO_TARGET)}")
    return lines
