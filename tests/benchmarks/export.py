"""Export target of issue 16: the contacts list to XLSX ≤ 2× writing the same cells with
XlsxWriter alone.

On the benchmark's profile (``--contacts`` contacts of demo data):

- app: ``table_export.export_list`` of every contact to XLSX, as the window and ``euregionet
  export contact -o FILE.xlsx`` run it (the list's order, a column per field, references
  by name, choices by label, dates as date cells; rows read by chunks and streamed).
- floor: the cells of that file, read back with python-calamine and held as tuples before
  the clock starts, written with XlsxWriter in constant-memory mode by ``write_row``, the
  header row first, and the file closed (no database, no formatting, no temporary file
  and rename). The two files are checked to hold the same cells.

Floor and app runs alternate; medians. ``cprofile`` (a folder) also writes cProfile stats
of one extra app run there (export-xlsx.prof).
"""

from __future__ import annotations

import cProfile
import statistics
import sys
import time
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from euregionet_desktop.services import table_export
from euregionet_desktop.services.profile import Core

TARGET = 2.0  # × raw floor
RUNS = 3


def cells(path: Path) -> list[list]:
    """The cells of the first sheet of an XLSX file (empty cells as "")."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def export_app(core: Core, target: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = core.backend.read(table_export.export_list, entity="contact", path=target,
                               format="xlsx")
    return time.perf_counter() - started, result.count


def export_floor(rows: list[tuple], target: Path) -> float:
    started = time.perf_counter()
    # Dates need a date format to read back as dates (the app writes one on each).
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True,
                                                 "default_date_format": "dd.mm.yyyy"})
    sheet = workbook.add_worksheet()
    write_row = sheet.write_row
    for number, row in enumerate(rows):
        write_row(number, 0, row)
    workbook.close()
    return time.perf_counter() - started


def run(core: Core, root: Path, cprofile: Path | None = None) -> list[str]:
    """Measure on the open profile ``core``, writing into ``root``; report lines."""
    root.mkdir(parents=True, exist_ok=True)
    print("export: contacts to XLSX …", file=sys.stderr, flush=True)
    _seconds, count = export_app(core, root / "warm-up.xlsx")  # page cache, imports
    rows = [tuple(row) for row in cells(root / "warm-up.xlsx")]
    export_floor(rows, root / "floor.xlsx")
    apps, floors = [], []
    for _n in range(RUNS):
        floors.append(export_floor(rows, root / "floor.xlsx"))
        seconds, _count = export_app(core, root / "app.xlsx")
        apps.append(seconds)
    same = cells(root / "app.xlsx") == cells(root / "floor.xlsx")
    if cprofile is not None:
        cprofile.mkdir(parents=True, exist_ok=True)
        with cProfile.Profile() as profiler:
            export_app(core, root / "profiled.xlsx")
        profiler.dump_stats(cprofile / "export-xlsx.prof")
    app, floor = statistics.median(apps), statistics.median(floors)
    ratio = app / floor
    cells_written = sum(1 for row in rows[1:] for value in row if value != "")
    verdict = "OK" if ratio <= TARGET and same else "MISSED"
    return [f"export {count} contacts to XLSX: {app:.2f} s = {ratio:.2f}x raw floor "
            f"({floor:.2f} s, XlsxWriter write_row of the same {cells_written} cells"
            f"{'' if same else ', BUT THE CELLS DIFFER'})  target <= {TARGET:g}x  {verdict}"]
