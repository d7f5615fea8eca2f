"""Benchmarks against a raw floor measured in the same run (DESIGN §8).

    .venv/bin/python -m tests.benchmarks [--contacts N]
                                         [--only demo-data|search|ui|sync|documents|import|export|
                                                 duplicates|merge|hub|translations]
                                         [--keep] [--profile DIR] [--changes N]
                                         [--cprofile DIR]

demo-data: a fresh profile filled by ``services.demo.generate`` (Core executemany, change
log, sort keys, search index) against plain sqlite3 executemany of the same rows into the
same schema with the same pragmas, in one transaction.
search: the search service on that profile (first page and full result, median of 20)
against an FTS5 MATCH of the same expression with plain sqlite3.
ui: the contacts list (first paint, sort, filter keystroke) on that profile, headless, then
cold start and memory in fresh processes (see tests/benchmarks/ui.py).
sync: bundle export and import of about --changes changes between a BIC sender and a LOP
receiver of their own (not the profile above), against zip + orjson + sqlite3 floors (see
tests/benchmarks/sync.py); --cprofile DIR also writes cProfile stats of both there.

documents: an action plan and the directory of 100 clusters, on a profile of their own
(see tests/benchmarks/documents.py).

import: a --contacts row Polish contact CSV imported into a fresh profile against csv +
validators + sqlite3 executemany, and the wizard's 200-row preview (see
tests/benchmarks/table_import.py).

export: the contacts of that profile to XLSX against XlsxWriter writing the same cells alone
(see tests/benchmarks/export.py); --cprofile DIR also writes cProfile stats of it there.

duplicates: the full candidate scan of organisations and contacts, and the while-typing
check on values typed from that profile's records (see tests/benchmarks/duplicates.py).

merge: an organisation with 500 references merged into another, and its undo, on a profile
of its own (see tests/benchmarks/merge.py).

translations: the Needs translation list of every office against its one query run with
plain sqlite3 (see tests/benchmarks/translations.py).

hub: the sync benchmark's bundle (about --changes changes) pushed, pulled and imported through
the office hub on a PostgreSQL server the benchmark starts, against export + import by file,
and a sync with nothing new (see tests/benchmarks/hub.py).

--profile DIR reuses the profile in DIR (demo-data is then skipped: it needs a fresh fill);
if DIR holds none, the profile is generated there and kept.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from euregionet_desktop.i18n import fts_query
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import demo, profile
from euregionet_desktop.services.profile import Core

DEMO_TARGET = 4.0  # × raw floor
FIRST_PAGE_TARGET_MS = 5.0
FULL_RESULT_TARGET_MS = 25.0
RUNS = 20
QUERIES = ("lodz", "Łódź", "LODZ", "mueller", "muller", "Müller", "gross", "Groß",
           "zolkiewski", "kozł", "anna", "klaster")
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL",
           "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-32000")


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def stderr_progress() -> Callable[[str, int, int], None]:
    last = {"stage": None, "at": 0.0}

    def report(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != last["stage"] or now - last["at"] > 2 or done == total:
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)
            last.update(stage=stage, at=now)

    return report


def generate_profile(root: Path, contacts: int) -> tuple[Core, float]:
    """A fresh profile filled with demo data; returns it and the seconds the fill took."""
    core = profile.open_profile(Profile(root), purpose="benchmark")
    progress = stderr_progress()

    def fill(session) -> None:
        profile.initialise(session, office="LOP", advisor_name="Benchmark")
        demo.generate(session, contacts=contacts, progress=progress)

    started = time.perf_counter()
    core.backend.run(fill)
    return core, time.perf_counter() - started


# --- demo-data floor ------------------------------------------------------------------


def _is_shadow(name: str) -> bool:
    return name.startswith("sqlite_") or name.startswith("search_index_")


def raw_floor(source: Path, target: Path) -> tuple[float, int]:
    """Seconds to insert every row of ``source`` into an empty copy of its schema."""
    with closing(sqlite3.connect(source)) as db:
        objects = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
        tables = [(name, sql) for kind, name, sql in objects
                  if kind == "table" and not _is_shadow(name)]
        indexes = [sql for kind, name, sql in objects
                   if kind == "index" and not _is_shadow(name)]
        data = {}
        for name, _sql in tables:
            if name == "search_index":
                data[name] = ("INSERT INTO search_index(rowid, body) VALUES (?, ?)",
                              db.execute("SELECT rowid, body FROM search_index").fetchall())
                continue
            cursor = db.execute(f'SELECT * FROM "{name}"')
            marks = ", ".join("?" * len(cursor.description))
            data[name] = (f'INSERT INTO "{name}" VALUES ({marks})', cursor.fetchall())
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        for pragma in PRAGMAS:
            db.execute(pragma)
        for _name, sql in tables:
            db.execute(sql)
        for sql in indexes:
            db.execute(sql)
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for statement, rows in data.values():
            db.executemany(statement, rows)
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
    return elapsed, sum(len(rows) for _statement, rows in data.values())


# --- search ---------------------------------------------------------------------------


def _median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm the page cache and the statement cache
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def search_figures(core: Core) -> list[tuple[str, float, float, float, float, int]]:
    """(query, first page ms, raw first page ms, full ms, raw full ms, hits) per query."""
    try:
        from euregionet_desktop.services.search import search as search_service

        def run(text: str, limit: int | None) -> int:
            return len(core.backend.read(search_service, text=text, limit=limit))
    except ImportError:  # the service is not there yet: the storage function it uses
        from euregionet_desktop.storage.search import matching

        print("note: services.search missing; measuring storage.search.matching",
              file=sys.stderr)

        def run(text: str, limit: int | None) -> int:
            return len(core.backend.read(matching, query=text, limit=limit))

    sql = "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rank"
    rows = []
    with closing(sqlite3.connect(core.profile.database)) as db:
        for query in QUERIES:
            expression = fts_query(query)
            first = _median_ms(lambda q=query: run(q, 20))
            full = _median_ms(lambda q=query: run(q, None))
            raw_first = _median_ms(
                lambda e=expression: db.execute(sql + " LIMIT 20", (e,)).fetchall())
            raw_full = _median_ms(lambda e=expression: db.execute(sql, (e,)).fetchall())
            rows.append((query, first, raw_first, full, raw_full, run(query, None)))
    return rows


def count_contacts(database: Path) -> int:
    with closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT count(*) FROM contact WHERE deleted = 0").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--only", choices=("demo-data", "search", "ui", "sync", "documents",
                                                "import", "export", "duplicates", "merge",
                                                "hub", "translations"))
    parser.add_argument("--keep", action="store_true", help="keep the generated profile")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="reuse the profile in DIR, or generate it there and keep it")
    parser.add_argument("--changes", type=int, default=100_000,
                        help="about how many changes the sync benchmark's bundle holds")
    parser.add_argument("--cprofile", type=Path, metavar="DIR",
                        help="write cProfile stats of one sync export and import to DIR")
    args = parser.parse_args(argv)
    if args.only == "sync":
        return run_sync(args)
    if args.only == "documents":
        return run_documents(args)
    if args.only == "import":
        return run_table_import(args)
    if args.only == "hub":
        from tests.benchmarks import hub

        return _run_alone(args, "hub", lambda folder: hub.run(folder, args.changes))
    if args.only == "merge":
        from tests.benchmarks import merge

        return _run_alone(args, "merge", merge.run)
    if args.only in (None, "ui"):
        from tests.benchmarks import ui  # sets QT_QPA_PLATFORM before importing Qt

    root = Path(tempfile.mkdtemp(prefix="euregionet-bench-"))
    profile_dir = args.profile.resolve() if args.profile else root / "profile"
    reuse = Profile(profile_dir).database.exists()
    lines: list[str] = []
    try:
        if reuse:
            print(f"reusing the profile in {profile_dir}", file=sys.stderr)
            core = profile.open_profile(Profile(profile_dir), purpose="benchmark")
            seconds = None
            contacts = count_contacts(core.profile.database)
        else:
            print(f"generating {args.contacts} contacts in {profile_dir} …", file=sys.stderr)
            core, seconds = generate_profile(profile_dir, args.contacts)
            contacts = args.contacts
        try:
            if args.only in (None, "demo-data") and seconds is None:
                lines.append("demo-data: skipped (a reused profile; it needs a fresh fill)")
            elif args.only in (None, "demo-data"):
                floor, rows = raw_floor(core.profile.database, root / "floor.sqlite3")
                ratio = seconds / floor
                lines.append(
                    f"demo-data {contacts} contacts: {seconds:.1f} s = {ratio:.1f}x raw "
                    f"floor ({floor:.1f} s, {rows} rows)  target <= {DEMO_TARGET:g}x  "
                    f"{verdict(ratio <= DEMO_TARGET)}")
            if args.only in (None, "search"):
                table = search_figures(core)
                lines.append("")
                lines.append(f"search on {contacts} contacts (median of {RUNS}, ms):")
                lines.append(f"  {'query':<12} {'hits':>6} {'first':>7} {'raw':>6} "
                             f"{'full':>7} {'raw':>6}  verdict")
                for query, first, raw_first, full, raw_full, hits in table:
                    ok = first <= FIRST_PAGE_TARGET_MS and full <= FULL_RESULT_TARGET_MS
                    lines.append(f"  {query:<12} {hits:>6} {first:>7.2f} {raw_first:>6.2f} "
                                 f"{full:>7.2f} {raw_full:>6.2f}  {verdict(ok)}")
                lines.append(f"  targets: first page <= {FIRST_PAGE_TARGET_MS:g} ms, "
                             f"full result <= {FULL_RESULT_TARGET_MS:g} ms")
                for query, first, raw_first, full, raw_full, hits in table:
                    lines.append(
                        f"search {query!r} first page: {first:.2f} ms (raw {raw_first:.2f} ms)  "
                        f"target <= {FIRST_PAGE_TARGET_MS:g} ms  "
                        f"{verdict(first <= FIRST_PAGE_TARGET_MS)}")
                    lines.append(
                        f"search {query!r} full ({hits} hits): {full:.2f} ms "
                        f"(raw {raw_full:.2f} ms)  target <= {FULL_RESULT_TARGET_MS:g} ms  "
                        f"{verdict(full <= FULL_RESULT_TARGET_MS)}")
            if args.only in (None, "ui"):
                lines += ui.in_process(core, contacts)
            if args.only in (None, "export"):
                from tests.benchmarks import export

                lines += export.run(core, root / "export", args.cprofile)
            if args.only in (None, "duplicates"):
                from tests.benchmarks import duplicates

                lines += duplicates.run(core)
            if args.only in (None, "translations"):
                from tests.benchmarks import translations

                lines += translations.run(core)
        finally:
            core.close()
        if args.only in (None, "ui"):
            lines += ui.subprocesses(profile_dir)  # they open the profile: it is closed now
        if args.only is None:
            from tests.benchmarks import sync

            lines += sync.run(root / "sync", args.changes, args.cprofile)
            from tests.benchmarks import documents

            lines += documents.run(root / "documents")
            from tests.benchmarks import merge

            lines += merge.run(root / "merge")
            from tests.benchmarks import hub

            lines += hub.run(root / "hub", args.changes)
    finally:
        if args.keep and not args.profile:
            (root / "floor.sqlite3").unlink(missing_ok=True)
            if (root / "sync").exists():
                print(f"sync profiles kept in {root / 'sync'}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)  # scratch, and the profile unless given
        if args.keep or args.profile:
            print(f"profile kept in {profile_dir}", file=sys.stderr)
    print("\n".join(lines))
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """Only the sync benchmark: it sets up profiles of its own, so none is generated here."""
    from tests.benchmarks import sync

    return _run_alone(args, "sync", lambda folder: sync.run(folder, args.changes, args.cprofile))


def run_documents(args: argparse.Namespace) -> int:
    """Only the documents benchmark (a profile of its own)."""
    from tests.benchmarks import documents

    return _run_alone(args, "documents", documents.run)


def run_table_import(args: argparse.Namespace) -> int:
    """Only the spreadsheet import benchmark (a file and profiles of its own)."""
    from tests.benchmarks import table_import

    return _run_alone(args, "import", lambda folder: table_import.run(folder, args.contacts))


def _run_alone(args: argparse.Namespace, name: str,
               run: Callable[[Path], list[str]]) -> int:
    root = Path(tempfile.mkdtemp(prefix="euregionet-bench-"))
    try:
        lines = run(root / name)
    finally:
        if args.keep:
            print(f"{name} profiles kept in {root / name}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
