"""Clocks kept honest (DESIGN §4, sync/clock.py): a bundle whose clock readings are more than
``clock.MAX_AHEAD_MS`` ahead of the receiver's clock is refused, naming the installation and
how far ahead it is; a computer clock outside the sane years refuses writes; clock readings
out of range (a hostile ``2**63 - 1``) are refused in one line, never a crash.

A wrong clock is set by replacing ``clock.now_ms`` in this process, so the commands that need
one run in-process through ``main``; every refusal of a bundle is seen through the command
with the machine's own, right clock (``ok``/``run`` put it back for the command's time), as
a person sees it: the same command line, exit code and output.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from bundle_forge import Forgery
from sync_network import Network
from test_cli import cli, ok_here, one_line_error, run_here

from euregionet_desktop.paths import Profile
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.keys import load_or_create

DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS
REAL_NOW_MS = clock.now_ms


def run(data_dir: Path, *args: str | Path):
    """The command with the machine's own clock, whatever ``set_clock`` set."""
    wrong, clock.now_ms = clock.now_ms, REAL_NOW_MS
    try:
        return run_here(data_dir, *args)
    finally:
        clock.now_ms = wrong


def ok(data_dir: Path, *args: str | Path) -> str:
    """A command that must succeed, with the machine's own clock."""
    wrong, clock.now_ms = clock.now_ms, REAL_NOW_MS
    try:
        return ok_here(data_dir, *args)
    finally:
        clock.now_ms = wrong



def local_clock(data_dir: Path) -> tuple[int, int]:
    """The profile's stored clock reading and the size of its change log."""
    with closing(sqlite3.connect(Profile(data_dir).database)) as db:
        [(hlc,)] = db.execute("SELECT last_hlc FROM local_state").fetchall()
        [(count,)] = db.execute("SELECT count(*) FROM change_log").fetchall()
    return hlc, count


def set_stored_clock(data_dir: Path, hlc: int) -> None:
    with closing(sqlite3.connect(Profile(data_dir).database)) as db, db:
        db.execute("UPDATE local_state SET last_hlc = ?", (hlc,))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """BIC and LOP profiles that trust each other's key files, and BIC's bundle for LOP (a
    contact, and an erasure): never changed, tests work on copies."""
    root = tmp_path_factory.mktemp("clocks")
    dirs = {code: root / code for code in ("BIC", "LOP")}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code, "--advisor", f"Advisor {code}")
        ok(data_dir, "keys", "export", "-o", str(root / f"{code}.json"))
    ok(dirs["BIC"], "keys", "trust", str(root / "LOP.json"), "--yes")
    ok(dirs["LOP"], "keys", "trust", str(root / "BIC.json"), "--yes")
    ok(dirs["BIC"], "add", "contact", "first_name=Jan", "last_name=Kowalski")
    gone = ok(dirs["BIC"], "add", "contact", "first_name=Ewa", "last_name=Vergessen").strip()
    ok(dirs["BIC"], "erase", "contact", gone, "--yes")
    ok(dirs["BIC"], "bundle", "export", "--to", "LOP", "-o", str(root / "base.zip"))
    return {**dirs, "base": root / "base.zip"}


@pytest.fixture
def partners(pristine, tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Fresh copies of BIC and LOP for one test."""
    dirs = {code: Path(shutil.copytree(pristine[code], tmp_path / code,
                                       ignore=shutil.ignore_patterns("profile.lock*")))
            for code in ("BIC", "LOP")}
    yield dirs
    logs = logging.getLogger()  # the in-process commands' profile logs
    for handler in list(logs.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(tmp_path)):
            logs.removeHandler(handler)
            handler.close()


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``set_clock(ahead=MS)`` or ``set_clock(at=MS)``: this process's wall clock from now
    on (``set_clock(ahead=0)`` puts it right again)."""

    def set_(*, ahead: int | None = None, at: int | None = None) -> None:
        if at is not None:
            monkeypatch.setattr(clock, "now_ms", lambda: at)
        else:
            monkeypatch.setattr(clock, "now_ms", lambda: REAL_NOW_MS() + (ahead or 0))

    return set_


def export_with_clock(sender: Path, path: Path, set_clock, ahead: int) -> Path:
    """The sender adds a contact and exports a bundle for LOP with its clock ``ahead``."""
    set_clock(ahead=ahead)
    try:
        assert cli(sender, "add", "contact", "first_name=Jan", "last_name=Zeitreisender") == 0
        assert cli(sender, "bundle", "export", "--to", "LOP", "-o", path) == 0
    finally:
        set_clock(ahead=0)
    return path


def ms_ahead(hlc: int) -> int:
    return clock.wall_time_ms(hlc) - REAL_NOW_MS()


# --- a partner's clock ahead -----------------------------------------------------------


def test_a_bundle_a_year_ahead_is_refused_naming_the_offset(partners, tmp_path, set_clock):
    """SNB-style: the sender's clock a year ahead. The import (and its preview) is refused
    in one line naming the office and “about 365 days”; nothing changes, and the receiver's
    own next edit is dated by its own clock, not dragged a year ahead."""
    bic, lop = partners["BIC"], partners["LOP"]
    bundle = export_with_clock(bic, tmp_path / "ahead.zip", set_clock, YEAR_MS)
    before, (hlc_before, count_before) = ok(lop, "dump"), local_clock(lop)
    for preview in ((), ("--dry-run",)):
        line = one_line_error(run(lop, "bundle", "import", str(bundle), *preview))
        assert "clock of office BIC" in line and "about 365 days ahead" in line, line
    assert ok(lop, "dump") == before
    assert local_clock(lop) == (hlc_before, count_before)
    ok(lop, "add", "contact", "first_name=Ewa", "last_name=Jetzt")
    assert abs(ms_ahead(local_clock(lop)[0])) < 10 * 60_000


def test_a_bundle_within_the_offset_imports(partners, tmp_path, set_clock):
    """A clock 23 hours ahead (a laptop on local time instead of UTC, say) is within the
    offset: the bundle imports, and the receiver's clock follows it no further than that."""
    bic, lop = partners["BIC"], partners["LOP"]
    bundle = export_with_clock(bic, tmp_path / "ahead.zip", set_clock, 23 * 3_600_000)
    assert "changes applied" in ok(lop, "bundle", "import", str(bundle))
    assert "Zeitreisender" in ok(lop, "dump")
    assert 22 * 3_600_000 < ms_ahead(local_clock(lop)[0]) <= clock.MAX_AHEAD_MS


def test_a_bundle_just_over_the_offset_is_refused_in_hours(partners, tmp_path, set_clock):
    """Just over a day ahead is refused too, and said in hours."""
    bic, lop = partners["BIC"], partners["LOP"]
    bundle = export_with_clock(bic, tmp_path / "ahead.zip", set_clock,
                               clock.MAX_AHEAD_MS + 3 * 3_600_000)
    line = one_line_error(run(lop, "bundle", "import", str(bundle)))
    assert "about 27 hours ahead" in line, line


# --- this computer's clock wrong -------------------------------------------------------


def _iso_ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


@pytest.mark.parametrize("date", ["9000-01-01", "2100-01-01", "2014-12-31", "1970-01-01"])
def test_a_computer_clock_outside_the_sane_years_refuses_writes(partners, set_clock, capsys,
                                                                date):
    """A clock in the year 9000 (once an OverflowError on every write), at 2100, or before
    the programme (a laptop whose battery died): ``add`` refuses in one line naming the date
    it read, exit ≠ 0, nothing written. Positive control: the same add with a right clock."""
    lop = partners["LOP"]
    before, stored = ok(lop, "dump"), local_clock(lop)
    set_clock(at=_iso_ms(date))
    capsys.readouterr()
    code = cli(lop, "add", "contact", "first_name=Jan", "last_name=Kowalski")
    captured = capsys.readouterr()
    set_clock(ahead=0)
    assert code != 0
    assert "Traceback" not in captured.err and captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert "clock says" in line and date[:4] in line, line
    assert ok(lop, "dump") == before
    assert local_clock(lop) == stored
    assert cli(lop, "add", "contact", "first_name=Jan", "last_name=Kowalski") == 0
    assert local_clock(lop)[1] > stored[1]


@pytest.mark.parametrize("command", ["edit", "erase", "bundle export", "bundle import"])
def test_a_clock_in_the_year_9000_refuses_every_write(partners, tmp_path, set_clock, capsys,
                                                      command):
    """Edits, erasures, exports and imports are refused alike in one line; nothing changes
    (the data, the stored clock, the change log; an export writes no file)."""
    bic, lop = partners["BIC"], partners["LOP"]
    person = ok(lop, "add", "contact", "first_name=Jan", "last_name=Kowalski").strip()
    ok(bic, "add", "organisation", "name=Odra", "country=PL")
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "in.zip"))
    args = {"edit": ("edit", "contact", person, "last_name=Nowak"),
            "erase": ("erase", "contact", person, "--yes"),
            "bundle export": ("bundle", "export", "--to", "BIC", "-o", tmp_path / "out.zip"),
            "bundle import": ("bundle", "import", tmp_path / "in.zip")}[command]
    before, stored = ok(lop, "dump"), local_clock(lop)
    set_clock(at=_iso_ms("9000-06-01"))
    capsys.readouterr()
    code = cli(lop, *args)
    captured = capsys.readouterr()
    set_clock(ahead=0)
    assert code != 0 and "Traceback" not in captured.err
    [line] = captured.err.strip().splitlines()
    assert "clock says" in line and "9000" in line, line
    assert ok(lop, "dump") == before
    assert local_clock(lop) == stored
    assert not (tmp_path / "out.zip").exists()
    assert cli(lop, *args) == 0  # with the clock right, the same command goes through


@pytest.mark.parametrize("stored", [2**63 - 1, clock.MAX_HLC + 1, -1])
def test_a_damaged_stored_clock_refuses_writes_in_one_line(partners, stored):
    """A stored clock reading out of range (written by hand, or by an older version that
    heard a hostile bundle) refuses writes in one line instead of an OverflowError."""
    lop = partners["LOP"]
    set_stored_clock(lop, stored)
    before, state = ok(lop, "dump"), local_clock(lop)
    line = one_line_error(run(lop, "add", "contact", "first_name=Jan", "last_name=Kowalski"))
    assert "clock reading stored in this profile is damaged" in line, line
    assert ok(lop, "dump") == before
    assert local_clock(lop) == state == (stored, state[1])


# --- clock readings out of range in a signed bundle ------------------------------------


@pytest.fixture
def signed(pristine) -> Forgery:
    """BIC's bundle for LOP (a contact, and an erasure), to be altered and re-signed with
    BIC's real key: a trusted partner that is buggy or compromised."""
    return Forgery.of(pristine["base"].read_bytes(), load_or_create(pristine["BIC"] / "keys"))


def _line(data: dict) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _year_ahead() -> int:
    return (REAL_NOW_MS() + YEAR_MS) << clock.COUNTER_BITS


def _set_change_hlc(forgery: Forgery, hlc: int) -> None:
    lines = forgery.lines
    index = forgery.line_where(f="last_name", v="Kowalski")
    lines[index] = _line({**orjson.loads(lines[index]), "h": hlc})
    forgery.lines = lines


def _set_erasure_hlc(forgery: Forgery, hlc: int) -> None:
    [line] = [x for x in forgery.members["erasures.jsonl"].split(b"\n") if x]
    forgery.members["erasures.jsonl"] = _line({**orjson.loads(line), "h": hlc}) + b"\n"


def _set_manifest_hlc(forgery: Forgery, hlc: int) -> None:
    forgery.manifest["hlc"] = hlc


PLACES = {"change": _set_change_hlc, "erasure": _set_erasure_hlc,
          "manifest": _set_manifest_hlc}
OUT_OF_RANGE = {"change": "malformed change", "erasure": "malformed erasure",
                "manifest": "clock reading out of range"}


def _refused(lop: Path, data: bytes, tmp_path: Path, expect: str) -> str:
    path = tmp_path / "forged.zip"
    path.write_bytes(data)
    before = ok(lop, "dump")
    line = one_line_error(run(lop, "bundle", "import", str(path)))
    assert line.startswith("Error: The bundle was refused") and expect in line, line
    assert ok(lop, "dump") == before
    return line


def test_a_re_signed_bundle_without_a_defect_imports(partners, signed, tmp_path):
    """Positive control: the forgery itself (re-listed, re-signed) imports."""
    path = tmp_path / "forged.zip"
    path.write_bytes(signed.bundle())
    assert "changes applied" in ok(partners["LOP"], "bundle", "import", str(path))


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("hlc", [2**63 - 1, clock.MAX_HLC + 1])
def test_a_clock_reading_out_of_range_is_refused(partners, signed, tmp_path, place, hlc):
    """``h = 2**63 - 1`` (once an OverflowError) and anything past the year 2100 plus the
    offset, in a change, an erasure or the manifest: one line, nothing imported."""
    PLACES[place](signed, hlc)
    _refused(partners["LOP"], signed.bundle(), tmp_path, OUT_OF_RANGE[place])


@pytest.mark.parametrize("place", ["change", "erasure"])
def test_a_reading_a_year_ahead_in_a_change_or_erasure_is_refused(partners, signed, tmp_path,
                                                                  place):
    """Every reading the receiver would hear counts: a change or an erasure a year ahead (in
    range, signed by the partner) is refused naming the office and the offset."""
    PLACES[place](signed, _year_ahead())
    line = _refused(partners["LOP"], signed.bundle(), tmp_path, "about 365 days ahead")
    assert "office BIC" in line, line


def test_a_manifest_reading_ahead_alone_is_not_heard(partners, signed, tmp_path):
    """The manifest's reading is the sender's clock after hearing others; not heard here,
    it neither refuses the bundle nor moves the receiver's clock."""
    lop = partners["LOP"]
    _set_manifest_hlc(signed, _year_ahead())
    path = tmp_path / "forged.zip"
    path.write_bytes(signed.bundle())
    assert "changes applied" in ok(lop, "bundle", "import", str(path))
    assert ms_ahead(local_clock(lop)[0]) < 10 * 60_000


def test_a_relayed_reading_names_the_installation_that_made_it(tmp_path, set_clock):
    """SNB's clock 20 hours ahead passes at BIC; BIC relays SNB's change to LOP, whose clock
    is 5 hours behind: refused at LOP naming SNB (whose clock it is), not BIC."""
    network = Network.create(tmp_path / "net", ("BIC", "LOP", "SNB"))
    try:
        bic, lop, snb = network.replicas
        set_clock(ahead=20 * 3_600_000)
        snb.add("contact", last_name="Eilig")
        via_bic = network.send(snb, "BIC")
        set_clock(ahead=0)
        assert bic.import_(via_bic).applied > 0
        to_lop = network.send(bic, "LOP")
        set_clock(ahead=-5 * 3_600_000)
        before = lop.dump()
        refusal = lop.try_import(to_lop)
        assert isinstance(refusal, str), refusal
        assert "office SNB (installation SNB2)" in refusal, refusal
        assert "about 25 hours ahead" in refusal, refusal
        assert lop.dump() == before
    finally:
        set_clock(ahead=0)
        network.close()


def test_an_erasure_made_a_year_ahead_reaches_partners_after_the_restore(partners, tmp_path,
                                                                       set_clock):
    """LOP backs up; its clock runs a year ahead and it erases a person BIC holds: BIC
    refuses LOP's bundle naming the clock. LOP's clock is set right and LOP restores the
    backup from before; the erasure ledger carries the erasure into the restored profile.
    It travels re-dated by the restored clock: BIC takes LOP's next bundle and the person
    is gone there too (once refused until real time caught up, the person staying at BIC)."""
    bic, lop = partners["BIC"], partners["LOP"]
    person = ok(bic, "add", "contact", "first_name=Ewa", "last_name=Jahrvoraus").strip()
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "person.zip"))
    ok(lop, "bundle", "import", str(tmp_path / "person.zip"))
    ok(lop, "backup", "create")
    [backup] = [b["id"] for b in orjson.loads(ok(lop, "backup", "list", "--json"))
                if b["reason"] == "manual"]
    set_clock(ahead=YEAR_MS)
    try:
        assert cli(lop, "erase", "contact", person, "--yes") == 0
        assert cli(lop, "bundle", "export", "--to", "BIC", "-o", tmp_path / "ahead.zip") == 0
    finally:
        set_clock(ahead=0)
    line = one_line_error(run(bic, "bundle", "import", str(tmp_path / "ahead.zip")))
    assert "clock of office LOP" in line and "about 365 days ahead" in line, line
    assert "Jahrvoraus" in ok(bic, "dump")
    ok(lop, "backup", "restore", backup, "--yes")
    assert "Jahrvoraus" not in ok(lop, "dump")  # the ledger carried the erasure out again
    with closing(sqlite3.connect(Profile(lop).database)) as db:
        [(hlc,)] = db.execute("SELECT hlc FROM erasure WHERE record_id = ?",
                              (person,)).fetchall()
    assert abs(ms_ahead(hlc)) < 10 * 60_000
    ok(lop, "bundle", "export", "--to", "BIC", "-o", str(tmp_path / "after.zip"))
    report = ok(bic, "bundle", "import", str(tmp_path / "after.zip"))
    assert "erased" in report, report
    assert "Jahrvoraus" not in ok(bic, "dump")
    assert abs(ms_ahead(local_clock(bic)[0])) < 10 * 60_000
