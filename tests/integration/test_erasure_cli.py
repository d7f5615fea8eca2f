"""An erasure leaves nothing behind: four offices, documents that name the person,
backups made before the erasure, all through the ``euregionet`` command."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from pathlib import Path

import pytest
from test_cli import ok_here as ok
from test_cli import run_here as run

OFFICES = ("BIC", "LOP", "SNB", "CIT")
FIRST, LAST = "Zbigniewa", "Qwertyńska"
# Every form the surname takes in a file: as typed, folded for the search index, in any
# case. (Not the first name: demo data has Zbigniew, and SQLite stores the columns of a
# row side by side, so "Zbigniew" + "Adamski" reads "zbigniewa".)
NEEDLES = (b"qwerty", "qwertyńsk".encode())


def traces(root: Path) -> list[str]:
    """The files under ``root`` holding a byte of the name (zip members read unpacked:
    a .docx keeps its text deflated)."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if _names(data):
            found.append(str(path.relative_to(root)))
        elif data[:4] == b"PK\x03\x04":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    if any(_names(archive.read(member)) for member in archive.namelist()):
                        found.append(f"{path.relative_to(root)} (unpacked)")
            except zipfile.BadZipFile:
                pass
    return found


def _names(data: bytes) -> bool:
    lowered = data.lower()
    return any(needle in lowered for needle in NEEDLES)


def exchange(tmp_path: Path, dirs: dict[str, Path], source: str, *, imports: bool = True
             ) -> dict[str, str]:
    """``source`` exports a bundle for every other office, which imports it; their
    import reports."""
    reports = {}
    for target in OFFICES:
        if target == source:
            continue
        bundle = tmp_path / f"{source}-{target}-{next(_numbers)}.zip"
        ok(dirs[source], "bundle", "export", "--to", target, "-o", str(bundle))
        if imports:
            reports[target] = ok(dirs[target], "bundle", "import", str(bundle))
    return reports


_numbers = itertools.count(1)


@pytest.fixture
def network(tmp_path):
    """Four offices that trust each other's keys."""
    dirs = {code: tmp_path / code for code in OFFICES}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code, "--advisor", f"Advisor {code}")
        ok(data_dir, "keys", "export", "-o", str(tmp_path / f"{code}.json"))
    for code, other in itertools.permutations(OFFICES, 2):
        ok(dirs[code], "keys", "trust", str(tmp_path / f"{other}.json"), "--yes")
    return dirs


def test_an_imported_erasure_leaves_no_byte_of_the_person_at_any_office(tmp_path, network):
    """BIC prints an attendance list and LOP a consultation protocol naming the person;
    everyone has them and backups with them. LOP erases the person: at every office the
    documents go (counted), the backups are rewritten, and no file of any profile holds
    a byte of the name, also after a restore."""
    dirs = network
    person = ok(dirs["BIC"], "add", "contact", f"first_name={FIRST}",
                f"last_name={LAST}", "email=zq@example.org").strip()
    other = ok(dirs["BIC"], "add", "contact", "first_name=Jan", "last_name=Kowalski").strip()
    event = ok(dirs["BIC"], "add", "event", "kind=kickoff", "title_pl=Spotkanie",
               "starts_on=2018-05-15").strip()
    ok(dirs["BIC"], "add", "participant", f"event_id={event}", f"contact_id={person}")
    ok(dirs["BIC"], "add", "participant", f"event_id={event}", f"contact_id={other}")
    ok(dirs["BIC"], "doc", "attendance", event, "-o", str(tmp_path / "attendance.docx"))
    exchange(tmp_path, dirs, "BIC")
    consultation = ok(dirs["LOP"], "add", "consultation", "held_at=2018-02-05 10:30",
                      f"contact_ids={person}", "subject=Doradztwo").strip()
    ok(dirs["LOP"], "doc", "consultation", consultation, "-o",
       str(tmp_path / "protocol.docx"))
    exchange(tmp_path, dirs, "LOP")
    for code in OFFICES:
        ok(dirs[code], "backup", "create")
        # Positive control: before the erasure the name is in the documents and backups.
        found = traces(dirs[code])
        assert any(f.startswith("attachments") for f in found), (code, found)
        assert any(f.startswith("backups") for f in found), (code, found)

    erased = ok(dirs["LOP"], "erase", "contact", person, "--yes")
    assert "2 documents and attachments naming an erased person deleted" in erased
    assert "backups rewritten without the erased persons" in erased
    reports = exchange(tmp_path, dirs, "LOP")
    for code, report in reports.items():
        assert "2 documents and attachments naming an erased person deleted" in report, (
            code, report)
        assert "backups rewritten without the erased persons" in report, (code, report)

    for code in OFFICES:
        assert traces(dirs[code]) == [], code
        assert json.loads(ok(dirs[code], "backup", "list", "--json")), code
    for code in ("BIC", "SNB", "CIT"):  # a full round: every office's records everywhere
        exchange(tmp_path, dirs, code)
    dumps = {code: ok(dirs[code], "dump") for code in OFFICES}
    assert len(set(dumps.values())) == 1
    assert person not in dumps["BIC"] and other in dumps["BIC"]
    for code in OFFICES:
        assert traces(dirs[code]) == [], code
    # A restore of the oldest backup brings nothing of the person back either.
    oldest = json.loads(ok(dirs["SNB"], "backup", "list", "--json"))[-1]["id"]
    ok(dirs["SNB"], "backup", "restore", oldest, "--yes")
    assert traces(dirs["SNB"]) == []
    assert run(dirs["SNB"], "show", "contact", person).returncode != 0
