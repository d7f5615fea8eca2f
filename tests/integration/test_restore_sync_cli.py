"""A restored profile rejoins the network: as a person types it at two offices."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import ok_here as ok


class Exchange:
    """Bundles LOP → BIC then BIC → LOP, each imported at once; keeps every import's report."""

    def __init__(self, root: Path, offices: dict[str, Path]) -> None:
        self.root, self.offices, self.count, self.reports = root, offices, 0, []

    def send(self, sender: str, receiver: str) -> str:
        self.count += 1
        bundle = self.root / f"{self.count:02d}-{sender}-to-{receiver}.zip"
        ok(self.offices[sender], "bundle", "export", "--to", receiver, "-o", str(bundle))
        report = ok(self.offices[receiver], "bundle", "import", str(bundle))
        self.reports.append(report)
        return report

    def round(self) -> None:
        self.send("LOP", "BIC")
        self.send("BIC", "LOP")


def organisations(data_dir: Path) -> list[str]:
    return sorted(o["name"] for o in json.loads(ok(data_dir, "list", "organisation", "--json")))


def test_a_restored_office_catches_up_and_sync_stays_whole(tmp_path, partners):
    """LOP backs up, exchanges, adds an organisation it never sends, restores; after three
    rounds both dumps are the same bytes, the organisation sent before the restore is back
    at LOP, the unsent one is gone everywhere, and no import reports waiting changes."""
    offices = partners  # BIC and LOP trusting each other (tests/integration/conftest.py)
    bic, lop = offices["BIC"], offices["LOP"]
    exchange = Exchange(tmp_path, offices)
    ok(bic, "add", "organisation", "name=Odra Metal", "country=PL")
    ok(lop, "add", "organisation", "name=Warta Plast", "country=PL")
    exchange.round()
    ok(lop, "backup", "create")
    [backup] = [b for b in json.loads(ok(lop, "backup", "list", "--json"))
                if b["reason"] == "manual"]
    ok(lop, "add", "organisation", "name=Sent Before Restore", "country=PL")
    ok(bic, "add", "organisation", "name=Spree Optik", "country=DE")
    exchange.round()
    ok(lop, "add", "organisation", "name=Never Sent", "country=PL")

    ok(lop, "backup", "restore", backup["id"], "--yes")
    assert "Sent Before Restore" not in organisations(lop)  # what the backup lacks

    # Both keep working: new records at both offices between the rounds.
    ok(lop, "add", "organisation", "name=After Restore LOP", "country=PL")
    ok(bic, "add", "organisation", "name=After Restore BIC", "country=DE")
    exchange.round()
    ok(lop, "add", "contact", "first_name=Ewa", "last_name=Nowak")
    exchange.round()
    exchange.round()

    assert ok(lop, "dump") == ok(bic, "dump")
    expected = ["After Restore BIC", "After Restore LOP", "Odra Metal",
                "Sent Before Restore", "Spree Optik", "Warta Plast"]
    assert organisations(lop) == expected
    assert organisations(bic) == expected
    assert "Never Sent" not in ok(lop, "dump") + ok(bic, "dump")
    for report in exchange.reports:
        assert "0 changes waiting for earlier ones" in report, report
    # Quiet: one more round applies nothing anywhere.
    exchange.round()
    assert all("0 changes applied" in r for r in exchange.reports[-2:]), exchange.reports[-2:]

