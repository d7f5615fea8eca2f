"""UI targets of DESIGN §8 on the benchmark's profile, headless (``QT_QPA_PLATFORM``).

In this process, on the open profile (times until the table's viewport received its paint
event, with the event loop running; medians of several runs):

- contacts first paint: a new main window showing the dashboard navigates to the contacts
  list.
- sort: the header's sort indicator set to each column, descending and ascending (what a
  click on the header does).
- filter keystroke: the work after the list's debounce (the timer's slot: set_filter, the
  count, the selection) for text typed letter by letter, and the filter cleared again.

Their raw floor: the SELECT the list service runs (captured, so it follows the app's SQL)
replayed with plain sqlite3, plus the first page of rows with the organisation names.

In fresh subprocesses, once the benchmark has closed the profile (its lock):

- cold start: interpreter start to the main window shown with the dashboard painted,
  against importing PySide6.QtWidgets and SQLAlchemy and showing a bare QMainWindow.
- memory: VmRSS from /proc/self/status with the contacts list open and scrolled to the end
  (and after scrolling through every page of the list, as someone looking for a name
  might).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from euregionet_desktop.i18n import fts_query
from euregionet_desktop.services.profile import Core
from euregionet_desktop.services.records import list_query
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.record_model import PAGE_SIZE

FIRST_PAINT_TARGET_MS = 100.0
SORT_TARGET_MS = 150.0
FILTER_TARGET_MS = 50.0
SEARCH_TARGET_MS = 50.0
SEARCH_TYPING = ("k", "ko", "koz", "kozl", "anna", "mueller", "klaster", "lodz")
COLD_START_TARGET_S = 1.0
MEMORY_TARGET_MIB = 200.0

FIRST_PAINT_RUNS = 10  # a new main window each
SORT_RUNS = 7  # rounds over every column, descending and ascending
FILTER_RUNS = 9
COLD_START_RUNS = 7  # pairs of (floor, app) subprocesses, after one warm-up pair
MEMORY_RUNS = 3
PAINT_TIMEOUT_S = 30.0
# Typed letter by letter; "" is the filter cleared again (one more keystroke).
FILTER_TYPING = ("k", "ko", "koz", "kozl", "", "anna", "", "mueller", "")
ROOT = Path(__file__).resolve().parents[2]


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


class PaintWatch(QObject):
    """Counts the paint events one widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def until_painted(app: QApplication, watch: PaintWatch, action: Callable[[], object]) -> float:
    """Milliseconds from calling ``action`` until ``watch``'s widget has been painted."""
    before = watch.count
    started = time.perf_counter()
    action()
    while watch.count == before:
        app.processEvents()
        if time.perf_counter() - started > PAINT_TIMEOUT_S:
            raise RuntimeError("the widget was not repainted")
    elapsed = (time.perf_counter() - started) * 1000
    app.processEvents()  # whatever else was pending, untimed
    return elapsed


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the page cache
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- raw floors -----------------------------------------------------------------------


def list_sql(core: Core, **order) -> tuple[str, tuple]:
    """The contacts list as one SELECT (filtered and sorted in SQL), and its parameters:
    what a list built the plain way would run on every sort and keystroke."""
    query = list_query("contact", **order)
    compiled = query.compile(dialect=core.backend.engine.dialect,
                             compile_kwargs={"render_postcompile": True})
    return str(compiled), tuple(compiled.params[name] for name in compiled.positiontup or ())


def raw_list(db: sqlite3.Connection, sql: tuple[str, tuple]) -> int:
    """The same ordered id list in plain sqlite3, and the first page of rows as the list
    shows them (with the organisation names)."""
    ids = [row[0] for row in db.execute(*sql)]
    page = ids[:PAGE_SIZE]
    marks = ", ".join("?" * len(page))
    db.execute("SELECT contact.*, organisation.name FROM contact LEFT JOIN organisation "
               f"ON organisation.id = contact.organisation_id WHERE contact.id IN ({marks})",
               page).fetchall()
    return len(ids)


# --- in this process ------------------------------------------------------------------


def new_window(app: QApplication, core: Core) -> tuple[MainWindow, RecordListView]:
    """A main window shown on the dashboard, painted and idle; and its contacts list."""
    window = MainWindow(core)
    view = window.lists["contact"]
    if window.stack.currentWidget() is view:
        raise RuntimeError(f"the profile remembers the contacts view; remove "
                           f"{core.profile.root / 'window.ini'}")
    until_painted(app, PaintWatch(window.dashboard), window.show)
    return window, view


def dispose(app: QApplication, window: MainWindow) -> None:
    window.hide()  # never close(): closeEvent would save window.ini into the profile
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def first_paint(app: QApplication, core: Core) -> list[float]:
    times = []
    for _run in range(FIRST_PAINT_RUNS):
        window, view = new_window(app, core)
        row = window.views.index(view)
        times.append(until_painted(app, PaintWatch(view.table.viewport()),
                                   lambda w=window, r=row: w.go_to(r)))
        if view.model.rowCount() == 0:
            raise RuntimeError("the contacts list is empty")
        dispose(app, window)
    return times


def sort_times(app: QApplication, view: RecordListView
               ) -> list[tuple[str, bool, list[float]]]:
    """(column, descending, times) for every column; each click changes the order."""
    header = view.table.horizontalHeader()
    watch = PaintWatch(view.table.viewport())
    names = [spec.name for spec in view.model.columns]
    times: dict[tuple[str, bool], list[float]] = {}
    for _run in range(SORT_RUNS):
        for column, name in enumerate(names):
            for descending in (True, False):
                order = (Qt.SortOrder.DescendingOrder if descending
                         else Qt.SortOrder.AscendingOrder)
                # Measure the first click on a column: forget the orders the list keeps.
                getattr(view.model, "_orders", {}).clear()
                times.setdefault((name, descending), []).append(until_painted(
                    app, watch, lambda c=column, o=order: header.setSortIndicator(c, o)))
    return [(name, descending, values) for (name, descending), values in times.items()]


def filter_times(app: QApplication, view: RecordListView) -> list[tuple[str, list[float]]]:
    """(text, times) per step of FILTER_TYPING; the list is sorted by its first column."""
    view.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    app.processEvents()
    watch = PaintWatch(view.table.viewport())
    timer = getattr(view, "_filter_timer", None)
    # The slot the debounce timer calls; the model's set_filter if the view changed.
    apply = getattr(view, "_apply_filter", None) or (
        lambda: view.model.set_filter(view.filter.text()))
    times: dict[str, list[float]] = {}
    for _run in range(FILTER_RUNS):
        for text in FILTER_TYPING:
            view.filter.setText(text)  # the keystroke: starts the debounce timer
            if timer is not None:
                timer.stop()
            app.processEvents()  # the line edit repaints, untimed
            times.setdefault(text, []).append(until_painted(app, watch, apply))
    return list(times.items())


def search_times(app: QApplication, window: MainWindow) -> list[tuple[str, list[float]]]:
    """(text, times) of the global search: its slot after the debounce (grouped query,
    model, popup) until the popup's list is painted."""
    search = window.search
    watch = PaintWatch(search.popup.view.viewport())
    times: dict[str, list[float]] = {}
    for _run in range(FILTER_RUNS):
        for text in SEARCH_TYPING:
            search.edit.setText(text)
            search._timer.stop()
            app.processEvents()
            times.setdefault(text, []).append(until_painted(app, watch, search.refresh))
            search.close_popup()
            app.processEvents()
    return list(times.items())


def raw_search(db: sqlite3.Connection, text: str) -> int:
    """The FTS match of the same expression in plain sqlite3, best 50 first."""
    return len(db.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? "
                          "ORDER BY rank LIMIT 50", (fts_query(text),)).fetchall())


def in_process(core: Core, contacts: int) -> list[str]:
    """First paint, sort and filter of the contacts list on the open profile."""
    app = application()
    print("ui: contacts list first paint, sort and filter …", file=sys.stderr, flush=True)
    firsts = first_paint(app, core)
    window, view = new_window(app, core)
    until_painted(app, PaintWatch(view.table.viewport()),
                  lambda: window.go_to(window.views.index(view)))
    sorts = sort_times(app, view)
    filters = filter_times(app, view)
    searches = search_times(app, window)
    hits = {}
    for text, _times in filters:
        view.model.set_filter(text)
        hits[text] = view.model.rowCount()
    first_column = view.model.columns[0].name
    debounce = view._filter_timer.interval() if hasattr(view, "_filter_timer") else None
    dispose(app, window)

    with closing(sqlite3.connect(core.profile.database)) as db:
        sql = list_sql(core, order_by=first_column)
        raw_first = median_ms(lambda: raw_list(db, sql), FIRST_PAINT_RUNS)
        raw_sorts = {}
        for name, descending, _times in sorts:
            sql = list_sql(core, order_by=name, descending=descending)
            raw_sorts[name, descending] = median_ms(lambda q=sql: raw_list(db, q), SORT_RUNS)
        raw_filters = {}
        for text, _times in filters:
            sql = list_sql(core, order_by=first_column, filter_text=text)
            raw_filters[text] = median_ms(lambda q=sql: raw_list(db, q), FILTER_RUNS)
        raw_searches = {text: median_ms(lambda t=text: raw_search(db, t), FILTER_RUNS)
                        for text, _times in searches}

    platform = app.platformName()
    lines = ["", f"ui on {contacts} contacts ({platform}; ms until the table's viewport "
             "was painted; raw = the list's SELECT in plain sqlite3 + first page):"]
    first = statistics.median(firsts)
    lines.append(
        f"contacts list first paint: {first:.1f} ms (worst {max(firsts):.1f}, median of "
        f"{len(firsts)} new windows; raw {raw_first:.1f} ms = {first / raw_first:.1f}x)  "
        f"target <= {FIRST_PAINT_TARGET_MS:g} ms  {verdict(first <= FIRST_PAINT_TARGET_MS)}")

    lines.append(f"  {'sort by':<16} {'order':<5} {'median':>7} {'worst':>7} {'raw':>7}  "
                 f"verdict  (median of {SORT_RUNS})")
    medians = []
    for name, descending, values in sorts:
        value = statistics.median(values)
        medians.append(value)
        lines.append(f"  {name:<16} {'desc' if descending else 'asc':<5} {value:>7.1f} "
                     f"{max(values):>7.1f} {raw_sorts[name, descending]:>7.1f}  "
                     f"{verdict(value <= SORT_TARGET_MS)}")
    every = [v for _name, _descending, values in sorts for v in values]
    lines.append(
        f"contacts sort by any column: slowest column {max(medians):.1f} ms, median "
        f"{statistics.median(every):.1f} ms, worst single {max(every):.1f} ms "
        f"({len(every)} sorts; raw slowest {max(raw_sorts.values()):.1f} ms)  "
        f"target <= {SORT_TARGET_MS:g} ms  {verdict(max(medians) <= SORT_TARGET_MS)}")

    after = f"after the {debounce} ms debounce" if debounce else "after the debounce"
    lines.append(f"  {'filter':<16} {'hits':>6} {'median':>7} {'worst':>7} {'raw':>7}  "
                 f"verdict  (median of {FILTER_RUNS}; {after}: filter slot + repaint)")
    medians = []
    for text, values in filters:
        value = statistics.median(values)
        medians.append(value)
        label = repr(text) if text else "(cleared)"
        lines.append(f"  {label:<16} {hits[text]:>6} {value:>7.1f} {max(values):>7.1f} "
                     f"{raw_filters[text]:>7.1f}  {verdict(value <= FILTER_TARGET_MS)}")
    every = [v for _text, values in filters for v in values]
    lines.append(
        f"contacts filter keystroke ({after}: filter slot + repaint): slowest text "
        f"{max(medians):.1f} ms, median {statistics.median(every):.1f} ms, worst single "
        f"{max(every):.1f} ms  target <= {FILTER_TARGET_MS:g} ms  "
        f"{verdict(max(medians) <= FILTER_TARGET_MS)}")

    lines.append(f"  {'global search':<16} {'median':>7} {'worst':>7} {'raw':>7}  verdict  "
                 f"(median of {FILTER_RUNS}; after the debounce: grouped query + popup paint)")
    medians = []
    for text, values in searches:
        value = statistics.median(values)
        medians.append(value)
        lines.append(f"  {text!r:<16} {value:>7.1f} {max(values):>7.1f} "
                     f"{raw_searches[text]:>7.1f}  {verdict(value <= SEARCH_TARGET_MS)}")
    lines.append(
        f"global search keystroke: slowest text {max(medians):.1f} ms  "
        f"target <= {SEARCH_TARGET_MS:g} ms  {verdict(max(medians) <= SEARCH_TARGET_MS)}")
    return lines


# --- in fresh processes -----------------------------------------------------------------

CHILD = r"""
import json, os, sys, time
spawned, mode, root = float(sys.argv[1]), sys.argv[2], sys.argv[3]
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
import sqlalchemy

class PaintWatch(QObject):
    def __init__(self, widget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

def until_painted(widget, action):
    watch = PaintWatch(widget)
    started = time.perf_counter()
    action()
    while not watch.count:
        app.processEvents()
        if time.perf_counter() - started > 30:
            raise RuntimeError("not repainted")

def rss():
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}

app = QApplication(sys.argv[:1])
result = {}
if mode == "floor":
    window = QMainWindow()
    window.resize(1280, 800)
    until_painted(window, window.show)
    result["interactive"] = time.time() - spawned
else:
    from pathlib import Path
    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services.profile import open_profile
    from euregionet_desktop.ui.main_window import MainWindow

    core = open_profile(Profile(Path(root)), purpose="benchmark " + mode)
    window = MainWindow(core)
    until_painted(window.dashboard, window.show)
    result["interactive"] = time.time() - spawned
    if mode == "memory":
        result["dashboard"] = rss()
        view = window.lists["contact"]
        table = view.table
        until_painted(table.viewport(), lambda: window.go_to(window.views.index(view)))
        result["contacts"] = rss()
        bar = table.verticalScrollBar()
        if bar.value() != bar.maximum():  # a short list does not scroll (nor repaint)
            until_painted(table.viewport(), table.scrollToBottom)
        result["bottom"] = rss()
        result["rows"] = view.model.rowCount()
        for value in range(0, bar.maximum() + 1, {page}):
            if bar.value() != value:
                until_painted(table.viewport(), lambda: bar.setValue(value))
        result["every_page"] = rss()
    # As the app quits: the reads the window started in the pool end first, then the
    # profile closes cleanly (else the next start would check the whole database first).
    # Not window.close(): it would keep the contacts list as the view to start with.
    window.runner.wait()
    core.close()
result.update(rss=rss())
print(json.dumps(result), flush=True)
os._exit(0)  # skip tearing down the widgets: the run's wall time ends at start-up
""".replace("{page}", str(PAGE_SIZE))


# Where the children keep the modules' compiled bytecode: an installed app has it (pip
# compiles on install, a checkout writes __pycache__ on its first run), so a start that
# compiled every module from source would measure a start no advisor sees. The warm-up
# pair writes it; kept out of the source tree, and used even where the environment says
# PYTHONDONTWRITEBYTECODE (as this project's sandboxes do).
BYTECODE_CACHE = Path(tempfile.gettempdir()) / "euregionet-benchmark-bytecode"


def child(mode: str, root: Path) -> tuple[dict, float]:
    """What the child reported, and the wall time of its whole run in seconds."""
    environment = {name: value for name, value in os.environ.items()
                   if name != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)
    spawned = time.time()  # QT_QPA_PLATFORM is in os.environ: the child inherits it
    done = subprocess.run([sys.executable, "-c", CHILD, repr(spawned), mode, str(root)],
                          cwd=ROOT, capture_output=True, text=True, env=environment)
    wall = time.time() - spawned
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def subprocesses(root: Path) -> list[str]:
    """Cold start and memory; ``root`` is the profile directory, closed (not locked)."""
    print("ui: cold start and memory in fresh processes …", file=sys.stderr, flush=True)
    child("floor", root)  # warm-up: the page cache, compiled bytecode
    child("app", root)
    floors, floor_walls, apps, app_walls = [], [], [], []
    for _run in range(COLD_START_RUNS):
        for mode, times, walls in (("floor", floors, floor_walls), ("app", apps, app_walls)):
            result, wall = child(mode, root)
            times.append(result["interactive"])
            walls.append(wall)
    memories = [child("memory", root)[0] for _run in range(MEMORY_RUNS)]
    floor_rss = child("floor", root)[0]["rss"]["VmRSS"]

    app, floor = statistics.median(apps), statistics.median(floors)
    app_wall, floor_wall = statistics.median(app_walls), statistics.median(floor_walls)
    lines = [
        f"cold start to the main window with the dashboard painted: {app:.2f} s (worst "
        f"{max(apps):.2f}; floor, a bare QMainWindow after importing PySide6.QtWidgets and "
        f"SQLAlchemy: {floor:.2f} s = {app / floor:.1f}x; whole process run {app_wall:.2f} s "
        f"vs {floor_wall:.2f} s; median of {len(apps)})  target <= {COLD_START_TARGET_S:g} s  "
        f"{verdict(app <= COLD_START_TARGET_S)}"]

    def rss(stage: str) -> float:
        return statistics.median(m[stage]["VmRSS"] for m in memories)

    bottom = rss("bottom")
    peak = max(m["bottom"]["VmHWM"] for m in memories)
    lines.append(
        f"memory with the {memories[0]['rows']} contacts list open, scrolled to the end: "
        f"{bottom:.0f} MiB RSS (peak so far {peak:.0f} MiB; dashboard only {rss('dashboard'):.0f}"
        f" MiB; list at the top {rss('contacts'):.0f} MiB; bare window {floor_rss:.0f} MiB; "
        f"median of {len(memories)})  target <= {MEMORY_TARGET_MIB:g} MiB  "
        f"{verdict(bottom <= MEMORY_TARGET_MIB)}")
    every = rss("every_page")
    lines.append(
        f"memory with the contacts list open after scrolling through every page: "
        f"{every:.0f} MiB RSS (peak {max(m['every_page']['VmHWM'] for m in memories):.0f} MiB)"
        f"  target <= {MEMORY_TARGET_MIB:g} MiB  {verdict(every <= MEMORY_TARGET_MIB)}")
    return lines
