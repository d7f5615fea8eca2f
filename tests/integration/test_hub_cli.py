"""``euregionet hub …`` on the command line (issue 18): set, sync, status, prune and
setup-sql, through a shared folder and the PostgreSQL hub; refusals change nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from test_cli import ENV, ok, one_line_error, run


def _run_env(data_dir, env, *args):
    return subprocess.run(
        [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(data_dir), "--lang",
         "en", *args], capture_output=True, text=True, env=env, timeout=120)


def test_two_offices_sync_through_a_folder_and_prune_it(partners, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    bic, lop = partners["BIC"], partners["LOP"]
    assert "No hub is set up" in ok(bic, "--lang", "en", "hub", "status")
    ok(bic, "hub", "set", str(folder), "--every", "10")
    ok(lop, "hub", "set", str(folder))
    ok(bic, "add", "organisation", "name=Oderland Holz GmbH", "country=DE")

    first = json.loads(ok(bic, "hub", "sync", "--json"))
    assert first["pushed_changes"] > 0 and first["imported"] == 0
    first_file = set(folder.glob("*.eurnet"))
    assert len(first_file) == 1
    pulled = json.loads(ok(lop, "hub", "sync", "--json"))
    assert pulled["imported"] == 1 and pulled["applied"] > 0
    assert "Oderland Holz GmbH" in ok(lop, "list", "organisation")
    text = ok(bic, "--lang", "en", "hub", "sync")
    assert "1 bundle received" in text  # LOP's bundle, with its acknowledgements
    status = json.loads(ok(bic, "hub", "status", "--json"))
    assert status["pending_out"] == 0 and status["auto_minutes"] == 10
    assert status["last_sync"] and status["hub"] == str(folder)

    # BIC adds more: its first bundle is now held by LOP and superseded, so prune takes it.
    ok(bic, "add", "organisation", "name=Spreewald Mechatronik GmbH", "country=DE")
    ok(bic, "hub", "sync")
    ok(lop, "hub", "sync")
    ok(bic, "hub", "sync")  # LOP's acknowledgements
    assert "1 bundle every office holds removed" in ok(bic, "--lang", "en", "hub", "prune")
    left = set(folder.glob("*.eurnet"))
    assert not first_file & left and len(left) == 3  # BIC's latest, LOP's two (not BIC's)
    assert "Spreewald" in ok(lop, "list", "organisation")


def test_refusals_change_nothing(partners, tmp_path):
    bic = partners["BIC"]
    line = one_line_error(run(bic, "--lang", "en", "hub", "set",
                              "postgresql://bic:secret@hub.example.org/euregionet"))
    assert ".pgpass" in line
    line = one_line_error(run(bic, "--lang", "en", "hub", "set", "relative/folder"))
    assert "full path" in line
    line = one_line_error(run(bic, "--lang", "en", "hub", "set", str(tmp_path), "--every",
                              "0"))
    assert "1 to 1440 minutes" in line
    assert "No hub is set up" in ok(bic, "--lang", "en", "hub", "status")
    line = one_line_error(run(bic, "--lang", "en", "hub", "sync"))
    assert "No hub is set up" in line
    # A folder that is not there (the USB stick pulled): offline, one line, nothing lost.
    ok(bic, "hub", "set", str(tmp_path / "stick"))
    line = one_line_error(run(bic, "--lang", "pl", "hub", "sync"))
    assert str(tmp_path / "stick") in line


def test_setup_sql_and_sync_through_postgresql(partners, pg_hub):
    bic, lop = partners["BIC"], partners["LOP"]
    sql = ok(bic, "hub", "setup-sql")
    assert "FORCE ROW LEVEL SECURITY" in sql and "euregionet_lop" in sql
    assert not re.search(r"PASSWORD\s+'", sql, re.IGNORECASE)  # no password in the SQL
    env = {**ENV, "PGPASSFILE": os.environ["PGPASSFILE"]}
    for office, data_dir in (("BIC", bic), ("LOP", lop)):
        result = _run_env(data_dir, env, "hub", "set", pg_hub.url(office))
        assert result.returncode == 0, result.stderr
    result = _run_env(bic, env, "add", "organisation", "name=Odra Logistik GmbH",
                      "country=DE")
    assert result.returncode == 0, result.stderr
    for data_dir in (bic, lop):
        result = _run_env(data_dir, env, "hub", "sync")
        assert result.returncode == 0, result.stderr
    assert "Odra Logistik GmbH" in _run_env(lop, env, "list", "organisation").stdout
    # Without the password file: the login is refused, in one line.
    no_password = {k: v for k, v in env.items() if k not in ("PGPASSFILE", "PGPASSWORD")}
    no_password["HOME"] = str(bic)  # no ~/.pgpass there
    result = _run_env(lop, no_password, "hub", "sync")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
