"""A mutation fuzzer over valid bundles (issue 13): refused with one line, or imported only
when nothing that matters changed, never a traceback.

Starting from real bundles (plain and encrypted, with changes of several kinds of record,
an erasure and an attachment), each round makes one mutant: bytes flipped (anywhere, or in
the zip's headers), the file cut short or spliced, members tampered with behind the
signature's back, or the members and manifest tampered with and re-signed — with the
sender's trusted key or with a wrong key. The mutant is imported through the services, in
process (the function the window and ``bundle import`` call), and rolled back, so every
mutant meets the same receiver. What may happen:

- a ``BundleError`` whose message is one line; the receiver's records and sync
  bookkeeping are as before (checked every few rounds and at the end);
- an import, only where the mutant may still be valid: unsigned damage that leaves the
  content alone (a zip timestamp, the order of the members) must import exactly as the
  original does; content re-signed with the trusted key may import (a trusted partner may
  send new content); a wrong key never imports.

Anything else — any other exception, an import that differs — fails the test with the
seed, the round and the mutant saved to a file. A few of the refused mutants are then
imported through the command line (one line on stderr, exit code 1, ``dump`` unchanged).

``EUREGIONET_FUZZ_SECONDS`` sets how long it runs (30 s by default, as in CI),
``EUREGIONET_FUZZ_SEED`` repeats a run.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import random
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyrage
import pytest
from bundle_forge import Forgery, read_zip, write_zip, zip_info
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.orm import Session
from test_cli import cli

from euregionet_desktop.errors import BundleError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_import
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import office_id_for, open_profile, profile_info
from euregionet_desktop.storage.models import MODEL_BY_ENTITY
from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync.erasure import erased_ids
from euregionet_desktop.sync.keys import Keys, load_or_create

SECONDS = float(os.environ.get("EUREGIONET_FUZZ_SECONDS", "30"))
SEED = int(os.environ.get("EUREGIONET_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 32))))
CHECK_EVERY = 50  # rounds between checks that the receiver is unchanged
CLI_RUNS = 8  # refused mutants imported again through the command line
# The pool's clock readings reach the top of 64-bit numbers (2**63 - 1 is among them):
# sync.clock bounds every reading, so none of them may crash the import.
TOP_CLOCK = 2**63

# What a mutant may do when imported.
SAME = "same"  # only what the original does (the content is untouched)
ANY = "any"  # import or refuse (re-signed with the trusted key)
REFUSED = "refused"  # only a refusal (the content altered behind the signature)



def ok(data_dir: Path, *args: str | Path) -> str:
    assert cli(data_dir, *args) == 0, args
    return ""


@dataclass(frozen=True)
class World:
    """A BIC sender and a LOP receiver that trust each other, and BIC's bundles for LOP."""

    root: Path
    sender: Path
    receiver: Path  # imported into only through the CLI part, on a copy
    plain: bytes
    encrypted: bytes
    signer: Keys
    recipient: str  # LOP's age recipient
    ids: dict[str, str]  # ids a hostile value may name (records at both offices)


def _first_id(data_dir: Path, query: str) -> str:
    with closing(sqlite3.connect(f"file:{Profile(data_dir).database}?mode=ro",
                                 uri=True)) as connection:
        return connection.execute(query).fetchone()[0]


def _added(data_dir: Path, entity: str, *values: str) -> str:
    """``add ENTITY VALUES...``; the new record's id (the command prints it)."""
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert cli(data_dir, "add", entity, *values) == 0, (entity, values)
    return printed.getvalue().strip().splitlines()[-1]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("fuzz")
    sender, receiver = root / "BIC", root / "LOP"
    ok(sender, "init", "--office", "BIC", "--advisor", "Uwe Schmidt")
    ok(receiver, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(sender, "keys", "export", "-o", root / "bic-keys.json")
    ok(receiver, "keys", "export", "-o", root / "lop-keys.json")
    ok(sender, "keys", "trust", root / "lop-keys.json", "--yes")
    ok(receiver, "keys", "trust", root / "bic-keys.json", "--yes")
    ok(receiver, "add", "contact", "first_name=Ewa", "last_name=Wiśniewska")
    jan = _added(sender, "contact", "first_name=Jan", "last_name=Kowalski",
                 "email=jan@example.com", "phone=+48 601 234 567")
    gone = _added(sender, "contact", "first_name=Piotr", "last_name=Zniknięty")
    organisation = _added(sender, "organisation", "name=Firma Sp. z o.o.", "city=Gubin",
                          "country=PL")
    cluster = _added(sender, "cluster", "name_pl=Klaster", "name_de=Cluster", "kind=cluster",
                     "country=PL", "sectors=ICT, Logistik", "region=Lubuskie")
    membership = _added(sender, "membership", f"cluster_id={cluster}",
                        f"organisation_id={organisation}", "role=member",
                        "joined_on=2018-03-01")
    # The erased person's membership goes with them: the bundle erases it too.
    _added(sender, "membership", f"cluster_id={cluster}", f"contact_id={gone}",
           "role=contact_person")
    consultation = _added(sender, "consultation", "held_at=2018-05-02 10:30",
                          "duration_minutes=90", "mode=online", f"contact_ids={jan},{gone}",
                          "topics=projects_funding", "subject=Fördermittel")
    task = _added(sender, "task", "title=Anrufen", f"contact_id={jan}", "due_on=2018-06-01",
                  "done=false")
    ok(sender, "edit", "contact", jan, "last_name=Kowalski-Nowak")
    ok(sender, "delete", "task", task)
    ok(sender, "erase", "contact", gone, "--yes")
    ok(sender, "bundle", "export", "--to", "LOP", "-o", root / "plain.zip")
    ok(sender, "bundle", "export", "--to", "LOP", "-o", root / "encrypted.age", "--encrypt")
    plain = (root / "plain.zip").read_bytes()
    signer = load_or_create(sender / "keys")
    forgery = Forgery.of(plain, signer)
    assert forgery.members["erasures.jsonl"].count(b"\n") == 2  # the person, the membership
    # An attachment as a blob: the file of an attachment record the sender did not write
    # (it imports: the blob is stored only if a record names it, and none does).
    content = b"%PDF-1.4 fuzz\n"
    forgery.members[f"blobs/{hashlib.sha256(content).hexdigest()}"] = content
    plain = forgery.bundle()
    lop = orjson.loads((root / "lop-keys.json").read_bytes())
    ids = {"jan": jan, "gone": gone, "organisation": organisation, "cluster": cluster,
           "membership": membership, "consultation": consultation, "task": task,
           "bic installation": forgery.manifest["origin"]["installation"],
           "lop installation": lop["installation_id"],
           "lop office": _first_id(receiver, "SELECT id FROM office WHERE code = 'LOP'"),
           "lop advisor": _first_id(receiver, "SELECT advisor_id FROM local_state"),
           "ewa": _first_id(receiver, "SELECT id FROM contact"),
           "indicator": _first_id(receiver, "SELECT id FROM indicator")}
    yield World(root, sender, receiver, plain, (root / "encrypted.age").read_bytes(), signer,
                lop["age_recipient"], ids)
    logs = logging.getLogger()
    for handler in list(logs.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(root)):
            logs.removeHandler(handler)
            handler.close()


# --- the receiver, in process ----------------------------------------------------------

# Everything an import may change besides the records (which ``dump`` shows).
BOOKKEEPING = {
    "change_log": "SELECT * FROM change_log ORDER BY installation_id, seq",
    "seen_seq": "SELECT * FROM seen_seq ORDER BY installation_id",
    "pending_change": "SELECT * FROM pending_change ORDER BY installation_id, seq",
    "replaced_write": "SELECT * FROM replaced_write ORDER BY installation_id, seq",
    "erasure": "SELECT * FROM erasure ORDER BY record_id",
    "installation_ack": "SELECT * FROM installation_ack ORDER BY 1, 2",
    "trusted_key": "SELECT * FROM trusted_key ORDER BY installation_id",
    # Not when or from which file (the file of a mutant is another file), nor the clock
    # (it follows the wall clock): those differ between two imports of the same content.
    "bundle_log": "SELECT bundle_id, direction, office_code, report FROM bundle_log "
                  "ORDER BY bundle_id, direction",
    "local_state": "SELECT installation_id, last_seq, advisor_id FROM local_state",
}
EXACTLY = ("SELECT * FROM bundle_log ORDER BY bundle_id, direction",
           "SELECT * FROM local_state")


def state(session: Session, *, exact: bool = True) -> str:
    """A digest of the records and the sync tables; ``exact``: also the import times, file
    hashes and clock (for “nothing changed”, not for “the same import”)."""
    digest = hashlib.sha256(dump(session))
    for query in (*BOOKKEEPING.values(), *(EXACTLY if exact else ())):
        for row in session.execute(text(query)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


class Refused(Exception):
    """Raised to roll back whatever the import began."""


class Accepted(Exception):  # not an error: raised to roll the import back
    """The import went through: its report and the state it left (rolled back after)."""

    def __init__(self, report: tuple[Any, ...], after: str) -> None:
        super().__init__("accepted")
        self.report, self.after = report, after


def attempt(session: Session, *, profile: Profile, data: bytes) -> None:
    """Import ``data`` and roll it back, whatever happened: Refused with the message, or
    Accepted with the report and the state it left."""
    try:
        report = bundle_import.import_bundle(session, profile=profile, data=data)
    except BundleError as error:
        raise Refused(str(error)) from None
    # Whatever a trusted partner sent, the receiver is still itself (issue 13: an erasure
    # took its office or installation record, and every later command failed).
    info = profile_info(session)
    own = {info.installation_id, info.advisor_id, office_id_for(session, info.office_code)}
    assert not own & erased_ids(session), "the receiver's own records were erased"
    raise Accepted((report.applied, report.known, report.waiting, report.dropped,
                    report.erased, report.conflicts, sorted(report.records.items())),
                   state(session, exact=False))


def inspect(session: Session, *, profile: Profile, data: bytes) -> str | None:
    try:
        bundle_import.inspect_bundle(session, profile=profile, data=data)
    except BundleError as error:
        return str(error)
    return None


# --- mutations -------------------------------------------------------------------------


@dataclass
class Mutant:
    kind: str
    data: bytes
    expect: str
    detail: str = ""
    base: str = "plain"  # the original it may import like: "plain" or "encrypted"


@dataclass
class Mutator:
    world: World
    rng: random.Random
    stranger: Keys = field(default_factory=lambda: Keys(Ed25519PrivateKey.generate(),
                                                        pyrage.x25519.Identity.generate()))

    # -- values a hostile line may hold

    def hostile_value(self) -> Any:
        rng = self.rng
        pool: list[Callable[[], Any]] = [
            lambda: None, lambda: True, lambda: False, lambda: 0, lambda: -1, lambda: 1,
            lambda: 2**31, lambda: 2**53 + 1, lambda: TOP_CLOCK - 1, lambda: 2**63,
            lambda: 2**64 - 1, lambda: -(2**63), lambda: 1.5, lambda: -0.0, lambda: 1e300,
            lambda: "", lambda: "x" * rng.choice((1, 100, 101, 1000, 5000, 70_000)),
            lambda: "\u0000", lambda: "a\u0085b", lambda: "\u202e", lambda: "ä" * 300,
            lambda: str(uuid.uuid4()), lambda: str(uuid.uuid4()).upper(),
            lambda: rng.choice(list(self.world.ids.values())),
            lambda: rng.choice(sorted(MODEL_BY_ENTITY)), lambda: "deleted",
            lambda: rng.choice(["last_name", "office_id", "contact_ids", "deleted", "label",
                                "code", "sha256", "topics", "held_at", "done"]),
            lambda: [], lambda: [[]], lambda: {}, lambda: {"a": 1}, lambda: [1, 2],
            lambda: [str(uuid.uuid4()), 1], lambda: [[str(uuid.uuid4()), 1]],
            lambda: [[str(uuid.uuid4()), 2**63]], lambda: [self.world.ids["jan"]] * 3,
            lambda: [rng.choice(list(self.world.ids.values()))],
            lambda: ["online", "online"], lambda: ["x"] * 1001,
            lambda: _nested(rng.randint(2, 200)),  # orjson writes at most 255 deep
            lambda: "2020-02-30", lambda: "0001-01-01", lambda: "9999-12-31",
            lambda: "2018-05-02 25:61", lambda: "gdpr_request", lambda: "1e3",
        ]
        return rng.choice(pool)()

    # -- the unsigned kinds

    def flip(self, data: bytes) -> tuple[bytes, str]:
        rng = self.rng
        mutated = bytearray(data)
        spots = []
        for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
            at = rng.randrange(len(mutated))
            mutated[at] ^= rng.choice((1 << rng.randrange(8), rng.randrange(1, 256)))
            spots.append(at)
        return bytes(mutated), f"flipped at {spots}"

    def header_flip(self, data: bytes) -> tuple[bytes, str]:
        """A byte of a zip header (local, central directory, end record) changed."""
        rng = self.rng
        starts = [m.start() for m in re.finditer(rb"PK\x03\x04|PK\x01\x02|PK\x05\x06", data)]
        if not starts:
            return self.flip(data)
        start = rng.choice(starts)
        if data[start:start + 4] == b"PK\x01\x02" and rng.random() < 0.3:
            # A byte of a name in the directory (a flipped bit once made “-” a newline).
            name_length = struct.unpack_from("<H", data, start + 28)[0]
            at = start + 46 + rng.randrange(max(1, name_length))
        else:
            at = start + rng.randrange(4, 46)
        at = min(at, len(data) - 1)
        mutated = bytearray(data)
        old = mutated[at]
        mutated[at] = rng.choice((old ^ (1 << rng.randrange(8)), rng.randrange(256), 0, 0xFF,
                                  (old + 128) % 256))
        return bytes(mutated), f"header byte {at}: {old} -> {mutated[at]}"

    def cut(self, data: bytes) -> tuple[bytes, str]:
        rng = self.rng
        how = rng.randrange(4)
        if how == 0:
            at = rng.randrange(len(data))
            return data[:at], f"cut at {at}"
        if how == 1:
            a = rng.randrange(len(data))
            b = min(len(data), a + rng.randint(1, 200))
            return data[:a] + data[b:], f"removed {a}:{b}"
        if how == 2:
            a = rng.randrange(len(data))
            extra = rng.randbytes(rng.randint(1, 64))
            return data[:a] + extra + data[a:], f"inserted {len(extra)} at {a}"
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randint(1, 400))
        return data + data[a:b], f"appended {a}:{b}"

    def raw(self, data: bytes) -> Mutant:
        rng = self.rng
        mutated, detail = rng.choice((self.flip, self.header_flip, self.cut))(data)
        return Mutant("bytes", mutated, SAME, detail)

    def members_unsigned(self) -> Mutant:
        """The members changed behind the signature (manifest and signature as they were)."""
        rng = self.rng
        entries = [(zip_info(name), content)
                   for name, content in read_zip(self.world.plain).items()]
        names = [info.filename for info, _content in entries]
        how = rng.randrange(7)
        expect = REFUSED
        if how == 0:  # a member's content altered
            index = rng.randrange(len(entries))
            info, original = entries[index]
            content, detail = self.content_damage(original)
            entries[index] = (info, content)
            detail = f"{info.filename}: {detail}"
            if content == original:  # a cut at the very end
                expect = SAME
        elif how == 1:  # one dropped
            index = rng.randrange(len(entries))
            detail = f"dropped {names[index]}"
            del entries[index]
        elif how == 2:  # one twice
            index = rng.randrange(len(entries))
            entries.append(entries[index])
            detail = f"twice {names[index]}"
        elif how == 3:  # an unlisted one
            content = rng.randbytes(rng.randint(0, 100))
            name = rng.choice((f"blobs/{hashlib.sha256(content).hexdigest()}",
                               f"changes/{uuid.uuid4()}.jsonl", "erasures.jsonl.bak",
                               "../evil", "manifest.json"))
            entries.append((zip_info(name), content))
            detail = f"added {name}"
        elif how == 4:  # two members' contents swapped
            a, b = rng.sample(range(len(entries)), 2)
            entries[a], entries[b] = ((entries[a][0], entries[b][1]),
                                      (entries[b][0], entries[a][1]))
            detail = f"swapped {names[a]} and {names[b]}"
        elif how == 5:  # renamed
            index = rng.randrange(len(entries))
            info, content = entries[index]
            new = rng.choice(("changes/" + str(uuid.uuid4()) + ".jsonl", info.filename.upper(),
                              info.filename + "x", "blobs/" + "0" * 64))
            entries[index] = (zip_info(new), content)
            detail = f"renamed {info.filename} to {new}"
        else:  # the same members, reordered and stored rather than deflated
            rng.shuffle(entries)
            entries = [(zip_info(info.filename, compress_type=rng.choice(
                (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))), content)
                for info, content in entries]
            detail = "reordered, stored or deflated"
            expect = SAME
        return Mutant("members", write_zip(entries), expect, detail)

    def content_damage(self, content: bytes) -> tuple[bytes, str]:
        rng = self.rng
        if not content:
            return b"x", "content added"
        how = rng.randrange(5)
        if how == 0:
            mutated, detail = self.flip(content)
            return mutated, f"content {detail}"
        if how == 1:
            at = rng.randrange(len(content) + 1)
            return content[:at], f"content cut at {at}"
        if how == 2:
            lines = content.split(b"\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[rng.randrange(len(lines))])
            return b"\n".join(lines), f"content line {index} repeated"
        if how == 3:
            lines = content.split(b"\n")
            index = rng.randrange(len(lines))
            del lines[index]
            return b"\n".join(lines), f"content line {index} dropped"
        at = rng.randrange(len(content) + 1)
        piece = rng.choice((b"\n", b"\n\n", b" ", b"{}", b"\x00", b"\xff", b'"', b"\\u0000",
                            b"9" * 30, b"[" * 50))
        return content[:at] + piece + content[at:], f"content: {piece[:10]!r} at {at}"

    # -- the signed kinds

    def resigned(self, *, trusted: bool) -> Mutant:
        """Members or manifest tampered with, then listed and signed again: by the trusted
        key (a partner gone wrong) or by a stranger's (a forger)."""
        rng = self.rng
        forgery = Forgery.of(self.world.plain, self.world.signer)
        if not trusted:
            forgery.signer = self.stranger
        jsonl = sorted(n for n in forgery.members if n.endswith(".jsonl"))
        how = rng.randrange(10)
        manifest: bytes | None = None
        if how <= 4:  # a field of a line: another value, removed, or one more
            name = rng.choice(jsonl)
            lines = [line for line in forgery.members[name].split(b"\n") if line]
            index = rng.randrange(len(lines))
            line = orjson.loads(lines[index])
            key = rng.choice(sorted(line))
            roll = rng.random()
            if roll < 0.8:
                line[key] = self.hostile_value()
                detail = f"{name} line {index + 1}: {key} = {str(line[key])[:60]}"
            elif roll < 0.9:
                del line[key]
                detail = f"{name} line {index + 1}: without {key}"
            else:
                line[rng.choice(("z", "v2", "", key.upper()))] = self.hostile_value()
                detail = f"{name} line {index + 1}: one more field"
            lines[index] = _dumps(line)
            forgery.members[name] = b"".join(li + b"\n" for li in lines)
        elif how == 5:  # a member's bytes
            name = rng.choice(sorted(forgery.members))
            forgery.members[name], detail = self.content_damage(forgery.members[name])
            detail = f"{name}: {detail}"
        elif how == 6:  # lines moved between members, or a new member of another writer
            source = rng.choice(jsonl)
            line = rng.choice([li for li in forgery.members[source].split(b"\n") if li])
            target = rng.choice((*jsonl, f"changes/{uuid.uuid4()}.jsonl",
                                 f"changes/{self.world.ids['lop installation']}.jsonl"))
            forgery.members[target] = forgery.members.get(target, b"") + line + b"\n"
            detail = f"a line of {source} into {target}"
        elif how == 7:  # a blob that is not what its name says, or a new one
            content = rng.randbytes(rng.randint(0, 64))
            name = rng.choice((f"blobs/{hashlib.sha256(content).hexdigest()}",
                               f"blobs/{hashlib.sha256(b'other').hexdigest()}"))
            forgery.members[name] = content
            detail = f"blob {name[:20]}"
        else:  # the manifest: a value anywhere in it
            parsed = orjson.loads(forgery.manifest_bytes())
            path, detail = self.tamper(parsed)
            manifest = bundle_file.encode_manifest(parsed)
            detail = f"manifest {path}: {detail}"
        data = forgery.bundle(manifest=manifest)
        return Mutant("re-signed" if trusted else "wrong key", data,
                      ANY if trusted else REFUSED, detail)

    def tamper(self, document: dict[str, Any]) -> tuple[str, str]:
        """One value somewhere in a JSON document replaced, removed or added."""
        rng = self.rng
        node: Any = document
        path = []
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = rng.choice(keys)
            path.append(key)
            if not isinstance(node[key], dict | list) or rng.random() < 0.4:
                break
            node = node[key]
        if not path:
            return "", "empty"
        key = path[-1]
        roll = rng.random()
        if roll < 0.8:
            node[key] = self.hostile_value()
            return "/".join(map(str, path)), str(node[key])[:60]
        if roll < 0.9 and isinstance(node, dict):
            del node[key]
            return "/".join(map(str, path)), "removed"
        if isinstance(node, dict):
            node["z" + str(key)] = self.hostile_value()
        else:
            node.append(self.hostile_value())
        return "/".join(map(str, path)), "one more"

    def encrypted(self) -> Mutant:
        rng = self.rng
        if rng.random() < 0.5:
            mutated, detail = rng.choice((self.flip, self.cut))(self.world.encrypted)
            return Mutant("encrypted bytes", mutated, SAME, detail, base="encrypted")
        inner = rng.choice((lambda: self.raw(self.world.plain), self.members_unsigned,
                            lambda: self.resigned(trusted=True)))()
        recipient = pyrage.x25519.Recipient.from_str(self.world.recipient)
        return Mutant(f"encrypted {inner.kind}", pyrage.encrypt(inner.data, [recipient]),
                      inner.expect, inner.detail)

    def next(self) -> Mutant:
        rng = self.rng
        roll = rng.random()
        if roll < 0.30:
            return self.raw(self.world.plain)
        if roll < 0.45:
            return self.members_unsigned()
        if roll < 0.80:
            return self.resigned(trusted=True)
        if roll < 0.90:
            return self.resigned(trusted=False)
        return self.encrypted()


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


# --- the test --------------------------------------------------------------------------


@dataclass
class Tally:
    rounds: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    saved: dict[str, bytes] = field(default_factory=dict)  # kind -> a refused mutant


def _failure(world: World, round_: int, mutant: Mutant, problem: str) -> str:
    # Kept outside pytest's temporary folders, which later runs clear.
    folder = Path(tempfile.gettempdir()) / "euregionet-fuzz"
    folder.mkdir(exist_ok=True)
    path = folder / f"mutant-{SEED}-{round_}.bin"
    path.write_bytes(mutant.data)
    return (f"seed {SEED}, round {round_}, {mutant.kind} ({mutant.detail}): {problem}\n"
            f"mutant saved to {path}; repeat with EUREGIONET_FUZZ_SEED={SEED}")


@pytest.mark.timeout(max(300, SECONDS * 3 + 300))
def test_mutated_bundles_are_refused_with_one_line(world, tmp_path, capsysbinary):
    receiver = Path(shutil.copytree(world.receiver, tmp_path / "LOP"))
    profile = Profile(receiver)
    mutator = Mutator(world, random.Random(SEED))
    tally = Tally()
    core = open_profile(profile, purpose="fuzz")
    try:
        backend = core.backend
        before = backend.read(state)
        ledger = _Ledger(profile)
        originals = {}
        for base, data in (("plain", world.plain), ("encrypted", world.encrypted)):
            try:
                backend.run(attempt, profile=profile, data=data)
            except Accepted as accepted:
                originals[base] = (accepted.report, accepted.after)
            ledger.put_back()
        assert set(originals) == {"plain", "encrypted"}, "an unaltered bundle was refused"
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            tally.rounds += 1
            mutant = mutator.next()
            _try(world, backend, profile, mutant, tally, originals, ledger)
            if tally.rounds % CHECK_EVERY == 0:
                assert backend.read(state) == before, _failure(
                    world, tally.rounds, mutant, "the receiver changed")
        assert backend.read(state) == before
    finally:
        core.close()
    with closing(sqlite3.connect(profile.database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with capsysbinary.disabled():  # shown with -s (and kept in the test's output with -rP)
        summary = [f"fuzz seed {SEED}: {tally.rounds} mutants in {SECONDS:.0f} s, none "
                   f"raised anything but a one-line refusal; refused {dict(tally.refused)}, "
                   f"imported {dict(tally.accepted)}",
                   *(f"  {count:7d}  {message}" for message, count
                     in tally.messages.most_common(60))]
        print("\n" + "\n".join(summary))
    assert tally.rounds >= 20
    assert sum(tally.refused.values()) > tally.rounds // 2
    _through_the_command_line(receiver, tmp_path, tally, capsysbinary)


class _Ledger:
    """The erasure ledger is written before the commit (an erasure in the ledger is only
    carried out again); after an import that was rolled back, it is put back as it was."""

    def __init__(self, profile: Profile) -> None:
        self.path = profile.erasure_ledger
        self.data = self.path.read_bytes() if self.path.exists() else None

    def put_back(self) -> None:
        if self.data is None:
            self.path.unlink(missing_ok=True)
        elif not self.path.exists() or self.path.read_bytes() != self.data:
            self.path.write_bytes(self.data)


def _try(world: World, backend: Any, profile: Profile, mutant: Mutant, tally: Tally,
         originals: dict[str, tuple[Any, str]], ledger: _Ledger) -> None:
    """One mutant imported (and rolled back), its outcome checked and counted."""
    try:
        backend.run(attempt, profile=profile, data=mutant.data)
    except Refused as refused:
        message = str(refused)
        if not message or "\n" in message or len(message) > 600:
            pytest.fail(_failure(world, tally.rounds, mutant, f"not one line: {message!r}"))
        tally.refused[mutant.kind] += 1
        tally.messages[re.sub(r"[0-9a-f]{64}|[0-9a-f-]{36}|\d+", "#", message)[:100]] += 1
        tally.saved.setdefault(mutant.kind, mutant.data)
    except Accepted as accepted:
        ledger.put_back()
        if mutant.expect == REFUSED:
            pytest.fail(_failure(world, tally.rounds, mutant, "imported; it must be refused"))
        if mutant.expect == SAME and (accepted.report, accepted.after) != originals[
                mutant.base]:
            pytest.fail(_failure(world, tally.rounds, mutant, "imported with another result: "
                                 f"{accepted.report} != {originals[mutant.base][0]}"))
        tally.accepted[mutant.kind] += 1
    except Exception:  # anything but a refusal or an import is the finding
        pytest.fail(_failure(world, tally.rounds, mutant, traceback.format_exc()))
    if tally.rounds % 5 == 0:  # the reading path of ``bundle inspect`` too
        try:
            backend.read(inspect, profile=profile, data=mutant.data)
        except Exception:  # a traceback from inspect is a finding too
            pytest.fail(_failure(world, tally.rounds, mutant,
                                 "inspect: " + traceback.format_exc()))


def _through_the_command_line(receiver: Path, tmp_path: Path, tally: Tally,
                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """A refused mutant of each kind, imported and inspected with the command."""
    capsysbinary.readouterr()
    assert cli(receiver, "dump") == 0
    dumped = capsysbinary.readouterr().out
    assert len(tally.saved) >= 3, tally.saved.keys()
    for number, (kind, data) in enumerate(sorted(tally.saved.items())[:CLI_RUNS]):
        path = tmp_path / f"refused-{number}.zip"
        path.write_bytes(data)
        for action in ("import", "inspect"):
            capsysbinary.readouterr()
            code = cli(receiver, "bundle", action, path)
            captured = capsysbinary.readouterr()
            err = captured.err.decode()
            if action == "inspect" and code == 0:
                continue  # a re-signed mutant may be shown; it is refused on import
            assert code == 1, (kind, action, captured)
            assert "Traceback" not in err and len(err.splitlines()) == 1, (kind, action, err)
            assert err.startswith("Error: ") and captured.out == b"", (kind, action, err)
        capsysbinary.readouterr()
        assert cli(receiver, "dump") == 0
        assert capsysbinary.readouterr().out == dumped, kind


def test_flipped_zip_version_through_the_installed_command(world, tmp_path):
    """The first finding (“version needed to extract” 20 → 148 in a header), in a fresh
    process as a person runs it: exit code 1, one line, no traceback."""
    receiver = Path(shutil.copytree(world.receiver, tmp_path / "LOP"))
    data = bytearray(world.plain)
    central = data.index(b"PK\x01\x02")
    assert data[central + 6] == 20
    data[central + 6] = 148
    path = tmp_path / "flipped.zip"
    path.write_bytes(bytes(data))
    env = {**{k: v for k, v in os.environ.items() if k != "EUREGIONET_DATA_DIR"},
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    for action in ("import", "inspect"):
        result = subprocess.run([sys.executable, "-m", "euregionet_desktop", "--data-dir",
                                 str(receiver), "bundle", action, str(path)],
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 1, result
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "not an EuRegioNet bundle" in result.stderr


def test_struct_of_the_zip_header_is_as_assumed():
    """The offset the flipped-version test writes to is “version needed to extract”."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a", b"x")
    data = buffer.getvalue()
    central = data.index(b"PK\x01\x02")
    assert struct.unpack_from("<H", data, central + 6)[0] == 20
