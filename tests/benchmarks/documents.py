"""Documents benchmark: an action plan and the 100-cluster directory (DESIGN §8).

A profile of its own with demo data scaled to 10,000 contacts (100 clusters, about 1,000
organisations). Each figure is the whole user action — context from the database, filling
the template in the warm render worker, writing the file and storing the attachment — as
the median of several runs; the worker's start (once per app run) is reported apart.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select

from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import demo, documents, profile
from euregionet_desktop.storage.models import ActionPlan, Cluster, Measure

ACTION_PLAN_TARGET_MS = 100.0
DIRECTORY_TARGET_S = 2.0
CONTACTS = 10_000  # scales the demo data to 100 clusters


def _richest_plan(session) -> str:
    """The action plan with the most measures (the longest table)."""
    plans = session.execute(select(ActionPlan.id)).scalars().all()
    counts = {plan: 0 for plan in plans}
    for plan in session.execute(select(Measure.action_plan_id)).scalars():
        counts[plan] = counts.get(plan, 0) + 1
    return max(counts, key=counts.get)


def _timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def run(root: Path) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    print(f"documents: generating a profile with {CONTACTS} contacts …", file=sys.stderr)
    core = profile.open_profile(Profile(root / "profile"), purpose="benchmark")
    worker = RenderWorker()
    try:
        def fill(session) -> None:
            profile.initialise(session, office="LOP", advisor_name="Benchmark")
            demo.generate(session, contacts=CONTACTS)

        core.backend.run(fill)
        clusters = len(core.backend.read(lambda s: s.execute(select(Cluster.id)).all()))
        plan = core.backend.read(_richest_plan)
        measures = len(core.backend.read(lambda s: s.execute(
            select(Measure.id).where(Measure.action_plan_id == plan)).all()))

        def generate(kind: str, record_id: str | None, language: str, name: str):
            return lambda: core.backend.run(
                documents.generate_document, profile=core.profile, kind=kind,
                record_id=record_id, language=language, output=root / name, worker=worker)

        started = time.perf_counter()
        worker.start()
        generate("action-plan", plan, "pl", "warm-up.docx")()
        first = time.perf_counter() - started
        lines = [f"documents ({clusters} clusters; the render worker's start and first "
                 f"document: {first * 1000:.0f} ms):"]
        for language in ("pl", "pl+de"):
            median, _times = _timed(generate("action-plan", plan, language, "plan.docx"), 20)
            ms = median * 1000
            lines.append(
                f"document action plan ({measures} measures, {language}): {ms:.1f} ms "
                f"(median of 20)  target <= {ACTION_PLAN_TARGET_MS:g} ms  "
                f"{'OK' if ms <= ACTION_PLAN_TARGET_MS else 'MISSED'}")
        for language in ("pl", "pl+de"):
            median, _times = _timed(generate("directory", None, language, "directory.docx"), 5)
            size = (root / "directory.docx").stat().st_size
            lines.append(
                f"document directory of {clusters} clusters ({language}, {size // 1024} KiB): "
                f"{median:.2f} s (median of 5)  target <= {DIRECTORY_TARGET_S:g} s  "
                f"{'OK' if median <= DIRECTORY_TARGET_S else 'MISSED'}")
        return lines
    finally:
        worker.close()
        core.close()
