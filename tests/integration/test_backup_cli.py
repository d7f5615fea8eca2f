"""``euregionet backup create|list|restore`` and the checks around every command, as a
person types them, on real profiles in temporary folders."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run

from euregionet_desktop import i18n


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A LOP profile with one contact (and so the day's backup)."""
    data_dir = tmp_path / "profile"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(data_dir, "add", "contact", "first_name=Jan", "last_name=Kowalski")
    return data_dir


def listed(data_dir: Path) -> list[dict]:
    return json.loads(ok(data_dir, "backup", "list", "--json"))


def contacts(data_dir: Path) -> list[str]:
    return [c["last_name"] for c in json.loads(ok(data_dir, "list", "contact", "--json"))]


def damage(database: Path) -> None:
    """Garbage over a page in the middle of the file and over its header."""
    size = database.stat().st_size
    with database.open("r+b") as file:
        file.seek((size // 2) // 4096 * 4096)
        file.write(os.urandom(4096))
        file.seek(0)
        file.write(b"no longer an SQLite file")


def test_the_day_s_first_change_makes_the_daily_backup_and_says_so(tmp_path):
    """The first command changing data makes the daily backup (one stderr line after it
    succeeded); later ones that day, and reading commands, make none."""
    data_dir = tmp_path / "profile"
    init = run(data_dir, "init", "--office", "LOP")
    assert init.returncode == 0 and "backup" not in init.stderr.lower()
    assert not (data_dir / "backups").exists() or listed(data_dir) == []
    first = run(data_dir, "add", "contact", "last_name=Kowalski")
    assert first.returncode == 0
    [backup] = listed(data_dir)
    assert backup["reason"] == "daily" and backup["id"] in first.stderr
    second = run(data_dir, "add", "contact", "last_name=Nowak")
    assert second.returncode == 0 and second.stderr == ""
    ok(data_dir, "list", "contact")
    assert len(listed(data_dir)) == 1


def test_create_prints_the_id_and_list_shows_date_reason_and_size(profile):
    """backup create prints the new id and size; backup list shows each backup with its
    date as the active language writes it; --json gives id, time, reason, size, path."""
    out = ok(profile, "backup", "create")
    [manual] = [b for b in listed(profile) if b["reason"] == "manual"]
    assert manual["id"] in out and "MB" in out
    assert manual["size"] == Path(manual["path"]).stat().st_size > 0
    created = dt.datetime.fromisoformat(manual["created_at"])
    lines = ok(profile, "backup", "list").splitlines()
    assert len(lines) == 2 and lines[0].startswith(manual["id"])  # newest first
    assert i18n.format_datetime(created, language="en") in lines[0]
    german = ok(profile, "--lang", "de", "backup", "list").splitlines()
    assert i18n.format_datetime(created, language="de") in german[0]


def test_restore_without_yes_and_without_a_terminal_refuses(profile):
    """backup restore asks; with no terminal and no --yes it refuses in one line and the
    data stays as it is."""
    [backup] = listed(profile)
    ok(profile, "add", "contact", "last_name=Later")
    line = one_line_error(run(profile, "backup", "restore", backup["id"]))
    assert "--yes" in line
    assert sorted(contacts(profile)) == ["Kowalski", "Later"]
    assert "backup list" in one_line_error(run(profile, "backup", "restore", "no-such-id",
                                               "--yes"))
    assert "--newest" in one_line_error(run(profile, "backup", "restore"))


def test_a_damaged_profile_is_refused_then_restored_from_the_command_line(profile):
    """Flipped bytes: the next command refuses in one line naming the backup and the
    restore command; ``backup restore ID --yes`` works on the damaged profile; the next
    command succeeds on the restored data; the damaged file is kept."""
    ok(profile, "backup", "create")
    [newest, _daily] = listed(profile)
    damage(profile / "euregionet.sqlite3")

    line = one_line_error(run(profile, "list", "contact"))
    assert f"euregionet backup restore {newest['id']}" in line

    out = ok(profile, "backup", "restore", newest["id"], "--yes")
    assert newest["id"] in out and "damaged-" in out
    assert contacts(profile) == ["Kowalski"]
    ok(profile, "add", "contact", "last_name=Nowak")
    assert [p.name for p in (profile / "backups").glob("damaged-*.sqlite3")]


def test_an_interrupted_schema_update_is_refused_then_restored_with_newest(profile):
    """A migration marker left behind: every command refuses in one line naming the restore
    command; ``backup restore --newest --yes`` clears it and the profile works again."""
    ok(profile, "backup", "create")
    (profile / "migration-in-progress").write_text("{}", encoding="utf-8")
    line = one_line_error(run(profile, "list", "contact"))
    assert "interrupted" in line and "euregionet backup" in line
    ok(profile, "backup", "restore", "--newest", "--yes")
    assert not (profile / "migration-in-progress").exists()
    assert contacts(profile) == ["Kowalski"]
