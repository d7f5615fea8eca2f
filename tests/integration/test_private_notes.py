"""Private notes stay at their office (issue 21): found by the search there, in no bundle
(plain or encrypted), no partner's file and no dump; shared notes travel. An erasure takes
the notes on the person from the database, the search index and the backups."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pyrage
from test_cli import added_id, cli

from euregionet_desktop.i18n import fold

PLANT = "Zażółćgęśląjaźń-7431"  # the private note's word
SHARED = "Grünspecht-5529"  # the shared note's word


def needles(word: str) -> tuple[bytes, ...]:
    """Every form a word may take in a file: as typed, in either case, folded (the search
    index), JSON-escaped, and UTF-16 (SQLite may store text so)."""
    forms = {word, word.lower(), word.upper(), fold(word), json.dumps(word)[1:-1]}
    found = {form.encode() for form in forms}
    found |= {form.encode("utf-16-le") for form in forms}
    return tuple(found)


def holds(data: bytes, word: str) -> bool:
    """Whether bytes hold the word: raw, and as text decoded (then folded)."""
    if any(needle in data for needle in needles(word)):
        return True
    text = data.decode("utf-8", "replace")
    return word in text or fold(word).split("-")[0] in fold(text)


def bundle_members(data: bytes, tmp_path: Path, name: str) -> dict[str, bytes]:
    """Every member of a bundle, unpacked."""
    path = tmp_path / name
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        return {member: archive.read(member) for member in archive.namelist()}


def files_holding(root: Path, word: str) -> list[str]:
    """The files under a profile folder (the database, its -wal, backups, logs...) that
    hold the word."""
    return [str(p.relative_to(root)) for p in sorted(root.rglob("*"))
            if p.is_file() and holds(p.read_bytes(), word)]


def search_json(capsys, data_dir: Path, text: str) -> list[dict]:
    capsys.readouterr()
    assert cli(data_dir, "search", text, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_a_private_note_never_leaves_its_office(tmp_path, partners, capsys):
    """BIC writes a private and a shared note on a contact: the search finds the private
    one at BIC (with the lock); a plain and an encrypted bundle for LOP hold the shared
    word and not the private one in any member; LOP, after importing, finds the shared note
    and has the private word in none of its files; BIC's dump holds only the shared."""
    bic, lop = partners["BIC"], partners["LOP"]
    person = added_id(bic, "contact", first_name="Jan", last_name="Nowak")
    assert cli(bic, "note", "add", "contact", person, "--private", PLANT, "lubi", "kawę") == 0
    assert cli(bic, "note", "add", "contact", person, SHARED, "called") == 0

    hits = search_json(capsys, bic, "zazolcgeslajazn")  # folded as a person types it
    assert [(h["entity"], h["id"], h["private"]) for h in hits] == [("contact", person, True)]
    assert PLANT in hits[0]["detail"]
    # Positive control: the word is in BIC's files (so the checks below can see it).
    assert files_holding(bic, PLANT)

    plain, sealed = tmp_path / "plain.eurnet", tmp_path / "sealed.eurnet"
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", str(plain)) == 0
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", str(sealed), "--encrypt") == 0
    identity_line = next(line for line in (lop / "keys" / "age-identity.txt").read_text()
                         .splitlines() if line.startswith("AGE-SECRET-KEY-"))
    opened = pyrage.decrypt(sealed.read_bytes(), [pyrage.x25519.Identity.from_str(identity_line)])
    assert not holds(sealed.read_bytes(), PLANT)
    for name, data in (("plain", plain.read_bytes()), ("sealed", opened)):
        assert not holds(data, PLANT), name
        members = bundle_members(data, tmp_path, f"{name}.zip")
        assert any(m.startswith("changes/") for m in members)
        assert [m for m, content in members.items() if holds(content, PLANT)] == [], name
        assert [m for m, content in members.items() if holds(content, SHARED)], name

    assert cli(lop, "bundle", "import", str(sealed)) == 0
    shared = search_json(capsys, lop, "grunspecht")
    assert [(h["id"], h["private"]) for h in shared] == [(person, False)]
    assert search_json(capsys, lop, "zazolcgeslajazn") == []
    capsys.readouterr()
    assert cli(lop, "note", "list", "contact", person, "--json") == 0
    assert [n["body"] for n in json.loads(capsys.readouterr().out)] == [f"{SHARED} called"]
    assert files_holding(lop, PLANT) == []
    assert files_holding(lop, SHARED)  # the shared note did arrive in its files

    capsys.readouterr()
    assert cli(bic, "dump") == 0
    dump = capsys.readouterr().out
    assert SHARED in dump and not holds(dump.encode(), PLANT)


def _count(database: Path, sql: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def _index_hits(database: Path, word: str) -> int:
    return _count(database, "SELECT count(*) FROM search_index WHERE search_index MATCH "
                  f"'\"{fold(word).split('-')[0]}\"'")


def test_erasing_a_person_takes_the_notes_on_them_everywhere(tmp_path, partners, capsys):
    """A shared note on a contact reaches LOP; BIC and LOP each keep a private note on the
    contact, and BIC a backup holding its own. BIC erases the person: at BIC the notes are
    gone from the database, the search index and the backup; when the erasure reaches LOP,
    LOP's shared copy and its own private note go too."""
    bic, lop = partners["BIC"], partners["LOP"]
    person = added_id(bic, "contact", first_name="Ewa", last_name="Lis")
    other = added_id(bic, "contact", first_name="Olga", last_name="Bór")
    assert cli(bic, "note", "add", "contact", person, "--private", PLANT) == 0
    assert cli(bic, "note", "add", "contact", other, "--private", "Kept-8812") == 0
    assert cli(bic, "note", "add", "contact", person, SHARED) == 0
    bundle = tmp_path / "first.eurnet"
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", str(bundle)) == 0
    assert cli(lop, "bundle", "import", str(bundle)) == 0
    assert cli(lop, "note", "add", "contact", person, "--private", "Lopnote-3319") == 0
    assert cli(bic, "backup", "create") == 0
    backups = sorted((bic / "backups").glob("*.sqlite*"))
    assert backups and _count(backups[-1], "SELECT count(*) FROM private_note") == 2  # control
    database = bic / "euregionet.sqlite3"
    assert _index_hits(database, PLANT) == 1 and _index_hits(database, SHARED) == 1  # control

    assert cli(bic, "erase", "contact", person, "--yes") == 0
    assert _count(database, "SELECT count(*) FROM private_note") == 1  # Olga's stays
    assert _count(database, "SELECT count(*) FROM note") == 0
    assert _index_hits(database, PLANT) == 0 and _index_hits(database, SHARED) == 0
    assert _index_hits(database, "Kept-8812") == 1
    assert search_json(capsys, bic, "zazolcgeslajazn") == []
    for backup in sorted((bic / "backups").glob("*")):
        if backup.is_file():
            assert not holds(backup.read_bytes(), PLANT), backup.name
    assert files_holding(bic, PLANT) == [] and files_holding(bic, SHARED) == []

    erasure = tmp_path / "erasure.eurnet"
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", str(erasure)) == 0
    assert cli(lop, "bundle", "import", str(erasure)) == 0
    assert files_holding(lop, SHARED) == [] and files_holding(lop, "Lopnote-3319") == []
    assert search_json(capsys, lop, "lopnote") == []


def test_notes_follow_a_merge_and_edits_keep_the_search_in_step(tmp_path, partners, capsys):
    """Two records of one person merged: the shared and the private note on the merged one
    are on the survivor (listed there, search hits open it). A private note edited is
    found by its new words only; deleted, by none; a rebuilt index agrees."""
    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services import notes
    from euregionet_desktop.services.profile import open_profile
    from euregionet_desktop.storage import search

    bic = partners["BIC"]
    keep = added_id(bic, "contact", first_name="Jan", last_name="Kos")
    other = added_id(bic, "contact", first_name="Jan", last_name="Kos", email="jk@example.org")
    assert cli(bic, "note", "add", "contact", other, "--private", "Sikorka-1188") == 0
    assert cli(bic, "note", "add", "contact", other, "Dzięcioł-2277") == 0
    assert cli(bic, "merge", "contact", keep, other, "--yes") == 0
    capsys.readouterr()
    assert cli(bic, "note", "list", "contact", keep, "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted((n["body"], n["private"]) for n in listed) == [
        ("Dzięcioł-2277", False), ("Sikorka-1188", True)]
    for word in ("sikorka", "dzieciol"):
        assert [h["id"] for h in search_json(capsys, bic, word)] == [keep]

    private_id = next(n["id"] for n in listed if n["private"])
    with open_profile(Profile(bic), purpose="pytest") as core:
        core.backend.run(notes.edit_note, note_id=private_id, private=True, body="Kowalik-3366")
        found = core.backend.read(notes.notes_about, entity="contact", record_id=keep)
        assert "Kowalik-3366" in [n.body for n in found]
        core.backend.run(search.rebuild)
    assert search_json(capsys, bic, "sikorka") == []
    assert [h["private"] for h in search_json(capsys, bic, "kowalik")] == [True]
    with open_profile(Profile(bic), purpose="pytest") as core:
        core.backend.run(notes.delete_note, note_id=private_id, private=True)
    assert search_json(capsys, bic, "kowalik") == []


def test_note_refuses_bad_input_with_one_line_and_changes_nothing(partners, capsys):
    """A kind that takes no notes, an unknown kind, an id of no record, an empty text: one
    translated line on stderr, a non-zero exit, the dump as it was."""
    bic = partners["BIC"]
    person = added_id(bic, "contact", first_name="Jan", last_name="Nowak")
    capsys.readouterr()
    assert cli(bic, "dump") == 0
    before = capsys.readouterr().out
    for args, words in ((("office", person, "x"), "cannot be written on this kind"),
                        (("planet", person, "x"), "Unknown record type"),
                        (("contact", "no-such-id", "x"), "no-such-id"),
                        (("contact", person, "  "), "needs some text"),
                        (("contact", person, "--private", " "), "needs some text")):
        assert cli(bic, "note", "add", *args) != 0, args
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and words in err[0] and "Traceback" not in err[0], (args, err)
    assert cli(bic, "note", "list", "contact", "no-such-id") != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert cli(bic, "dump") == 0
    assert capsys.readouterr().out == before
    assert cli(bic, "note", "list", "contact", person, "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
