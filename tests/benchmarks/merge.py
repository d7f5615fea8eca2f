"""Merge benchmark (issue 17): an organisation with 500 references (250 contact persons,
250 consultations) merged into another, target ≤ 1 s; its undo is told beside it.

    .venv/bin/python -m tests.benchmarks.merge [--references N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from euregionet_desktop.services import merging, records, undo
from euregionet_desktop.sync.changelog import ChangeWriter
from tests.sync_network import Network

TARGET_S = 1.0


def _fill(session, *, firm: str, references: int) -> None:
    writer = ChangeWriter.for_session(session)
    for n in range(references // 2):
        records.insert_record(session, writer, "contact",
                              {"last_name": f"Person {n}", "organisation_id": firm})
        records.insert_record(session, writer, "consultation",
                              {"held_at": "2026-12-01T10:00", "organisation_id": firm})


def run(folder: Path, references: int = 500) -> list[str]:
    """The merge and its undo on a network of one office in ``folder``: the figure lines."""
    network = Network.create(folder, ("LOP",))
    try:
        office = network.replicas[0]
        keep = office.add("organisation", name="Odrzańskie Zakłady Metalowe", country="PL")
        other = office.add("organisation", name="ODRZANSKIE ZAKLADY METALOWE", country="PL",
                           city="Gorzów Wlkp.")
        office.run(_fill, firm=other, references=references)
        start = time.perf_counter()
        changes = office.run(merging.merge, entity="organisation", survivor_id=keep,
                             other_ids=[other])
        took = time.perf_counter() - start
        start = time.perf_counter()
        office.run(undo.undo, step=changes.undo)
        undone = time.perf_counter() - start
    finally:
        network.close()
    verdict = "OK" if took <= TARGET_S else "MISSED"
    return [f"merge of an organisation with {references} references: {took:.3f} s  "
            f"target <= {TARGET_S:g} s  {verdict}; its undo: {undone:.3f} s"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--references", type=int, default=500)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="merge-bench-"))
    try:
        lines = run(root / "net", args.references)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("\n".join(lines))
    return 0 if " OK;" in lines[0] else 1


if __name__ == "__main__":
    raise SystemExit(main())
