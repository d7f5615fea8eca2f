"""The bad-bundle catalogue (issue 4): every defect refused with one line, nothing changed.

Each case plants one defect in a bundle that is otherwise valid and signed by the sender's
real, trusted key (see ``bundle_forge``), imports it with ``euregionet bundle import`` into
a fresh copy of the receiving profile, and checks the exit code, the single stderr line
(which names the defect), the ``dump`` output before and after, and SQLite's integrity check.
The positive controls show that the same forging, without the defect, imports.
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
import stat
import string
import struct
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import orjson
import pyrage
import pytest
from bundle_forge import (
    FLAGS,
    METHOD,
    Forgery,
    compressed_span,
    declare_size,
    patch_headers,
    read_zip,
    write_zip,
    zip_info,
)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_cli import cli

from euregionet_desktop.domain.programme import reference_id
from euregionet_desktop.paths import Profile
from euregionet_desktop.storage import migrate
from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync.keys import Keys, load_or_create


def ok(data_dir: Path, *args: str | Path) -> None:
    assert cli(data_dir, *args) == 0, args


@dataclass(frozen=True)
class Offices:
    """A BIC sender and a LOP receiver that trust each other, and bundles BIC made for LOP."""

    sender: Path
    receiver: Path  # never imported into: tests work on copies
    base: bytes  # BIC's bundle for LOP: its installation, an advisor, contact Jan Kowalski
    second: bytes  # another export of the same changes (another bundle id and signature)
    encrypted: bytes  # the same, encrypted for LOP
    signer: Keys  # BIC's real signing key

    @property
    def installation(self) -> str:
        return Forgery.of(self.base, self.signer).manifest["origin"]["installation"]

    def forgery(self) -> Forgery:
        return Forgery.of(self.base, self.signer)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Offices]:
    root = tmp_path_factory.mktemp("offices")
    sender, receiver = root / "BIC", root / "LOP"
    ok(sender, "init", "--office", "BIC", "--advisor", "Uwe Schmidt")
    ok(receiver, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(sender, "keys", "export", "-o", root / "bic-keys.json")
    ok(receiver, "keys", "export", "-o", root / "lop-keys.json")
    ok(sender, "keys", "trust", root / "lop-keys.json", "--yes")
    ok(receiver, "keys", "trust", root / "bic-keys.json", "--yes")
    ok(receiver, "add", "contact", "first_name=Ewa", "last_name=Wiśniewska")
    ok(sender, "add", "contact", "first_name=Jan", "last_name=Kowalski")
    for name, extra in (("base.zip", ()), ("second.zip", ()), ("base.age", ("--encrypt",))):
        ok(sender, "bundle", "export", "--to", "LOP", "-o", root / name, *extra)
    yield Offices(sender, receiver, (root / "base.zip").read_bytes(),
                  (root / "second.zip").read_bytes(), (root / "base.age").read_bytes(),
                  load_or_create(sender / "keys"))
    logs = logging.getLogger()
    for handler in list(logs.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(root)):
            logs.removeHandler(handler)
            handler.close()


@pytest.fixture
def receiver(offices: Offices, tmp_path: Path) -> Path:
    """A fresh copy of the receiving profile (LOP), as it was before any import."""
    return Path(shutil.copytree(offices.receiver, tmp_path / "LOP"))


@pytest.fixture
def importing(receiver: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    """``importing(data)``: import the file into the receiver; (exit code, stdout, stderr)."""
    count = 0

    def run(data: bytes) -> tuple[int, str, str]:
        nonlocal count
        count += 1
        path = tmp_path / f"bundle-{count}.zip"
        path.write_bytes(data)
        capsysbinary.readouterr()
        code = cli(receiver, "bundle", "import", path)
        captured = capsysbinary.readouterr()
        return code, captured.out.decode(), captured.err.decode()

    return run


@pytest.fixture
def dump(receiver: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    """``dump()``: the receiver's ``euregionet dump`` output, as bytes."""

    def run() -> bytes:
        capsysbinary.readouterr()
        assert cli(receiver, "dump") == 0
        return capsysbinary.readouterr().out

    return run


def integrity(data_dir: Path) -> str:
    database = Profile(data_dir).database
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def refused(importing, dump, receiver: Path):
    """``refused(data, expect)``: the import of ``data`` fails as the catalogue demands.

    One line on stderr naming the problem (``expect`` is a pattern it must contain), no
    traceback, exit code ≠ 0, nothing on stdout, ``dump`` byte-identical, integrity ok.
    Returns the line; it is echoed so ``pytest -rP`` lists every case's message.
    """

    def check(data: bytes, expect: str) -> str:
        before = dump()
        code, out, err = importing(data)
        lines = err.splitlines()
        assert code != 0, (out, err)
        assert "Traceback" not in err
        assert len(lines) == 1, err
        line = lines[0]
        assert line.startswith("Error: "), line
        assert re.search(expect, line, re.IGNORECASE), line
        assert len(line) < 400, line
        assert out == ""
        assert dump() == before
        assert integrity(receiver) == "ok"
        print(line)
        return line

    return check


def blob(content: bytes) -> tuple[str, bytes]:
    return f"blobs/{hashlib.sha256(content).hexdigest()}", content


NOT_A_BUNDLE = "not an EuRegioNet bundle"
NOT_VALID_JSON = "not valid JSON"
EXACT_FORM = "exact form"


# --- positive controls -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["as exported", "forged", "forged, members stored",
                                  "forged, with an attachment"])
def test_bundle_without_a_defect_imports(offices, importing, dump, receiver, form):
    """The forging itself (re-listed, re-signed, re-zipped, members stored rather than
    deflated, one more listed attachment) leaves a bundle that imports."""
    forgery = offices.forgery()
    if form == "as exported":
        data = offices.base
    elif form == "forged":
        data = forgery.bundle()
    elif form == "forged, members stored":
        data = write_zip([(zip_info(info.filename, compress_type=zipfile.ZIP_STORED), content)
                          for info, content in forgery.entries()])
    else:
        name, content = blob(b"%PDF-1.4 an attachment\n")
        forgery.members[name] = content
        data = forgery.bundle()
    before = dump()
    code, out, err = importing(data)
    assert (code, err) == (0, ""), err
    assert f"{len(forgery.lines)} changes applied" in out
    after = dump()
    assert after != before and b"Kowalski" in after
    assert integrity(receiver) == "ok"


def test_bundle_of_the_previous_format_imports(offices, importing, dump):
    """A bundle of format 1 (made before deletes listed what they saw) still imports."""
    forgery = offices.forgery()
    forgery.manifest["format"] = 1
    code, out, err = importing(forgery.bundle())
    assert (code, err) == (0, ""), err
    assert f"{len(forgery.lines)} changes applied" in out
    assert b"Kowalski" in dump()


def test_bundle_of_a_newer_format(offices, refused):
    """A format this version does not know (made by a newer one) is refused."""
    forgery = offices.forgery()
    forgery.manifest["format"] = 3
    refused(forgery.bundle(), "format is not one this version reads")


def test_encrypted_bundle_imports(offices, importing, dump):
    """The real encrypted bundle, unaltered, imports (so its refusals below are defects)."""
    code, _out, err = importing(offices.encrypted)
    assert (code, err) == (0, ""), err
    assert b"Kowalski" in dump()


# --- the container ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "/abs", "C:\\x", "..\\x", "blobs/../../x",
                                  "changes/../manifest.json"])
def test_path_traversal_name(offices, refused, name):
    """A member whose name leads out of the bundle (listed, with its true hash)."""
    forgery = offices.forgery()
    forgery.members[name] = b"planted\n"
    refused(forgery.bundle(), "a name a bundle cannot have")


def test_symlink_member(offices, refused):
    """A member that is a symbolic link (to /etc/passwd), listed with its true hash."""
    forgery = offices.forgery()
    name, target = blob(b"/etc/passwd")
    forgery.members[name] = target
    entries = forgery.entries()
    entries = [(zip_info(n.filename, mode=stat.S_IFLNK | 0o777), d)
               if n.filename == name else (n, d) for n, d in entries]
    refused(write_zip(entries), "link")


@pytest.mark.parametrize("collision", ["duplicate", "duplicate-other-content", "case",
                                       "normalisation"])
def test_colliding_names(offices, refused, collision):
    """Two members with one name, or names equal after case folding or normalisation."""
    forgery = offices.forgery()
    changes = forgery.changes_name
    entries = forgery.entries()
    real = forgery.members[changes]
    if collision == "duplicate":
        entries.append((zip_info(changes), real))
        expect = "twice"
    elif collision == "duplicate-other-content":
        entries.append((zip_info(changes), real.replace(b"Kowalski", b"Kowalsky")))
        expect = "twice"
    elif collision == "case":
        entries.append((zip_info(changes.upper().replace("CHANGES/", "changes/")), real))
        expect = "cannot have"
    else:
        forgery = offices.forgery()
        forgery.members["blobs/caf\u00e9"] = b"1"
        entries = [*forgery.entries(), (zip_info("blobs/cafe\u0301"), b"1")]
        expect = "cannot have|not normalised"
    refused(write_zip(entries), expect)


@pytest.mark.parametrize("kind", ["blob", "changes of another installation"])
def test_member_not_in_manifest(offices, refused, kind):
    """A member the signed manifest does not list."""
    forgery = offices.forgery()
    if kind == "blob":
        extra = blob(b"%PDF-1.4 smuggled\n")
    else:
        other = forgery.lines[0].replace(offices.installation.encode(),
                                         str(uuid.uuid4()).encode())
        extra = (f"changes/{orjson.loads(other)['i']}.jsonl", other + b"\n")
    entries = [*forgery.entries(), (zip_info(extra[0]), extra[1])]
    refused(write_zip(entries), "does not list")


@pytest.mark.parametrize("kind", ["blob", "changes"])
def test_listed_member_missing(offices, refused, kind):
    """The signed manifest lists a member the zip does not hold."""
    forgery = offices.forgery()
    name = forgery.changes_name
    if kind == "blob":
        name, content = blob(b"an attachment that did not travel")
        forgery.members[name] = content
    entries = [(info, data) for info, data in forgery.entries() if info.filename != name]
    refused(write_zip(entries), "missing")


@pytest.mark.parametrize("sizes", ["honest", "lying"])
def test_deflate_bomb(offices, refused, sizes):
    """A small member that inflates to 64 MiB (its headers telling the truth, or not)."""
    forgery = offices.forgery()
    name, content = blob(bytes(64 << 20))
    forgery.members[name] = content
    data = forgery.bundle()
    if sizes == "honest":
        expect = "decompression bomb"
    else:
        data = declare_size(data, name, 4096)
        expect = "damaged|larger than its manifest says|checksum"
    assert len(data) < 1 << 20
    refused(data, expect)


def test_too_many_members(offices, refused):
    """More members than a bundle may hold, each a valid, listed attachment."""
    forgery = offices.forgery()
    for n in range(bundle_file.MAX_MEMBERS):
        name, content = blob(b"%d" % n)
        forgery.members[name] = content
    manifest = forgery.manifest_bytes()
    entries = [(zip_info(info.filename, compress_type=zipfile.ZIP_STORED), data)
               for info, data in forgery.entries(manifest=manifest)]
    refused(write_zip(entries), "too many members")


@pytest.mark.parametrize("keep", ["half", "all but the last byte", "the first 100 bytes",
                                  "nothing"])
def test_truncated_file(offices, refused, keep):
    """A bundle cut short, as by an interrupted copy."""
    data = offices.base
    cut = {"half": len(data) // 2, "all but the last byte": len(data) - 1,
           "the first 100 bytes": 100, "nothing": 0}[keep]
    refused(data[:cut], NOT_A_BUNDLE)


def test_random_bytes(refused):
    """A file of random bytes."""
    refused(random.Random(4).randbytes(64 * 1024), NOT_A_BUNDLE)


def test_renamed_pdf(refused):
    """A PDF document renamed to .zip."""
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
           b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
           b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n")
    refused(pdf, NOT_A_BUNDLE)


@pytest.mark.parametrize("where", ["content", "stored bytes", "compressed bytes",
                                   "deflate block header"])
def test_flipped_byte_in_member(offices, refused, where):
    """One byte of a change file altered after signing: in its content (zip consistent),
    or in the zip itself (stored, deflated, or the deflate stream made invalid)."""
    forgery = offices.forgery()
    name = forgery.changes_name
    if where == "content":
        entries = forgery.entries()
        entries = [(info, data.replace(b"Kowalski", b"Kowalsky") if info.filename == name
                    else data) for info, data in entries]
        refused(write_zip(entries), "checksum")
        return
    compress = zipfile.ZIP_STORED if where == "stored bytes" else zipfile.ZIP_DEFLATED
    entries = [(zip_info(info.filename, compress_type=compress), data)
               for info, data in forgery.entries()]
    data = bytearray(write_zip(entries))
    start, length = compressed_span(bytes(data), name)
    if where == "deflate block header":
        data[start] |= 0b110  # block type 3: reserved, zlib refuses the stream
    else:
        data[start + length // 2] ^= 0x04
    refused(bytes(data), "damaged")


@pytest.mark.parametrize("form", ["zip-encrypted", "unknown compression method"])
def test_member_in_a_zip_form_not_read(offices, refused, form):
    """A change file stored in a form the zip reader cannot unpack (flags in its headers)."""
    forgery = offices.forgery()
    if form == "zip-encrypted":
        field, value = FLAGS, struct.pack("<H", 0x0001)
    else:
        field, value = METHOD, struct.pack("<H", 99)  # AES: zipfile cannot unpack it
    data = patch_headers(forgery.bundle(), forgery.changes_name, field, value)
    refused(data, "damaged")


@pytest.mark.parametrize("where", ["a value", "the zip"])
def test_flipped_byte_in_manifest(offices, refused, where):
    """One byte of the manifest altered after signing (it still parses), or of its
    compressed bytes in the zip."""
    forgery = offices.forgery()
    manifest = forgery.manifest_bytes()
    signature = offices.signer.sign(manifest)
    if where == "a value":
        altered = re.sub(rb'("hlc": \d+)\d', rb"\g<1>7", manifest, count=1)
        if altered == manifest:
            altered = re.sub(rb'("hlc": \d+)\d', rb"\g<1>8", manifest, count=1)
        assert altered != manifest
        entries = forgery.entries(manifest=altered, signature=signature)
        refused(write_zip(entries), "signature does not match")
        return
    data = bytearray(write_zip(forgery.entries(manifest=manifest, signature=signature)))
    start, length = compressed_span(bytes(data), "manifest.json")
    data[start + length // 2] ^= 0x01
    refused(bytes(data), "damaged|not valid JSON|signature")


# --- the signature ---------------------------------------------------------------------


def _stranger() -> Keys:
    return Keys(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())


@pytest.mark.parametrize("who", ["unknown installation", "trusted installation, other key",
                                 "trusted key named, other key signed"])
def test_signature_from_unknown_key(offices, refused, who):
    """A bundle signed by a key that is not pinned here."""
    forgery = offices.forgery()
    stranger = _stranger()
    origin = forgery.manifest["origin"]
    if who == "unknown installation":
        installation = str(uuid.uuid4())
        lines = [line.replace(origin["installation"].encode(), installation.encode())
                 for line in forgery.lines]
        del forgery.members[forgery.changes_name]
        forgery.manifest["acks"] = {installation: 5}
        forgery.manifest["ranges"] = {installation: [1, 5]}
        origin["installation"] = installation
        forgery.lines = lines
        expect = "not trusted here .*fingerprint"
    else:
        expect = "other than the one trusted" if who.endswith("other key") else \
            "signature does not match"
    if who != "trusted key named, other key signed":
        origin["signing_key"] = stranger.signing_public
        origin["age_recipient"] = stranger.age_recipient
    forgery.signer = stranger
    refused(forgery.bundle(), expect)


@pytest.mark.parametrize("how", ["no signature member", "empty signature",
                                 "half a signature"])
def test_stripped_signature(offices, refused, how):
    """The signature removed or cut."""
    forgery = offices.forgery()
    manifest = forgery.manifest_bytes()
    signature = offices.signer.sign(manifest)
    entries = forgery.entries(manifest=manifest)
    if how == "no signature member":
        entries = [(info, data) for info, data in entries if info.filename != "manifest.sig"]
        expect = "not signed"
    else:
        cut = b"" if how == "empty signature" else signature[:32]
        entries = [(info, cut if info.filename == "manifest.sig" else data)
                   for info, data in entries]
        expect = "signature does not match|not signed"
    refused(write_zip(entries), expect)


def test_swapped_signature(offices, refused):
    """The manifest of one real bundle with the signature of another real bundle."""
    base, second = read_zip(offices.base), read_zip(offices.second)
    assert base["manifest.sig"] != second["manifest.sig"]
    entries = [(zip_info(name), second["manifest.sig"] if name == "manifest.sig" else data)
               for name, data in base.items()]
    refused(write_zip(entries), "signature does not match")


# --- the manifest and what it says -----------------------------------------------------


def test_replayed_bundle(offices, importing, dump, refused):
    """A bundle imported a second time is refused and changes nothing."""
    code, _out, err = importing(offices.base)
    assert (code, err) == (0, "")
    line = refused(offices.base, "already imported")
    assert "nothing was changed" in line


@pytest.mark.parametrize("against", ["in the same bundle", "already applied here"])
def test_two_changes_with_the_same_number(offices, importing, refused, against):
    """Two different changes with the same (installation, seq)."""
    forgery = offices.forgery()
    lines = forgery.lines
    index = forgery.line_where(f="last_name")
    other = lines[index].replace(b"Kowalski", b"Nowicki")
    if against == "in the same bundle":
        forgery.lines = [*lines, other]
        expect = "two changes with the same number"
    else:
        code, _out, err = importing(offices.base)
        assert (code, err) == (0, "")
        lines[index] = other
        forgery.lines = lines
        forgery.manifest["bundle_id"] = str(uuid.uuid4())
        expect = "differs from the change with the same number"
    refused(forgery.bundle(), expect)


def test_bundle_for_another_office(offices, refused):
    """A bundle addressed to SNB imported at LOP."""
    forgery = offices.forgery()
    forgery.manifest["recipients"] = ["SNB"]
    refused(forgery.bundle(), "addressed to SNB, not to this office")


def test_newer_schema_version(offices, refused):
    """A bundle made by a later version, with a newer database schema."""
    forgery = offices.forgery()
    forgery.manifest["schema"] = f"{int(migrate.HEAD) + 1:04d}"
    refused(forgery.bundle(), "newer version")


# --- what the lines and the manifest hold ----------------------------------------------


def _with_line(offices: Offices, replace: tuple[bytes, bytes]) -> bytes:
    """The base bundle with Kowalski's last-name line edited, re-listed and re-signed."""
    forgery = offices.forgery()
    lines = forgery.lines
    index = forgery.line_where(f="last_name")
    old, new = replace
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new)
    forgery.lines = lines
    return forgery.bundle()


def _with_manifest(offices: Offices, replace: tuple[bytes, bytes]) -> bytes:
    """The base bundle with its manifest's bytes edited, then signed."""
    forgery = offices.forgery()
    manifest = forgery.manifest_bytes()
    old, new = replace
    assert old in manifest
    return forgery.bundle(manifest=manifest.replace(old, new, 1))


@pytest.mark.parametrize("where", ["change line", "manifest", "erasures"])
def test_invalid_json(offices, refused, where):
    """Text that is not JSON, where JSON must be."""
    if where == "change line":
        data = _with_line(offices, (b'"v":"Kowalski"', b'"v":"Kowalski'))
    elif where == "manifest":
        data = _with_manifest(offices, (b'"format": 2,', b'"format": 2,,'))
    else:
        forgery = offices.forgery()
        forgery.members["erasures.jsonl"] = b'{"c":"gdpr_request","e":"contact",\n'
        data = forgery.bundle()
    refused(data, NOT_VALID_JSON)


@pytest.mark.parametrize("where", ["change line", "manifest", "manifest origin"])
def test_duplicate_json_keys(offices, refused, where):
    """A key given twice (the last one would win in most parsers)."""
    if where == "change line":
        data = _with_line(offices, (b'"v":"Kowalski"', b'"v":"Kowalski","v":"Nowicki"'))
        expect = EXACT_FORM
    elif where == "manifest":
        data = _with_manifest(offices, (b'"recipients": [', b'"recipients": ["SNB"],\n'
                                        b'  "recipients": ['))
        expect = NOT_VALID_JSON
    else:
        data = _with_manifest(offices, (b'"office": "BIC"', b'"office": "BIC",\n'
                                        b'    "office": "BIC"'))
        expect = NOT_VALID_JSON
    refused(data, expect)


@pytest.mark.parametrize("where,literal", [
    ("change line", b"NaN"), ("change line", b"Infinity"), ("change line", b"-Infinity"),
    ("change line", b"1e999"), ("manifest", b"NaN"), ("manifest", b"Infinity"),
    ("manifest", b"-Infinity"), ("manifest", b"1e999"),
])
def test_nan_and_infinity(offices, refused, where, literal):
    """Numbers JSON does not have, or that overflow to infinity."""
    if where == "change line":
        data = _with_line(offices, (b'"v":"Kowalski"', b'"v":' + literal))
    else:
        forgery = offices.forgery()
        manifest = forgery.manifest_bytes()
        data = forgery.bundle(manifest=re.sub(rb'"hlc": \d+', b'"hlc": ' + literal, manifest))
    refused(data, NOT_VALID_JSON)


@pytest.mark.parametrize("where", ["change line", "manifest"])
def test_deep_nesting(offices, refused, where):
    """A value nested 100,000 deep."""
    deep = b"[" * 100_000 + b"]" * 100_000
    if where == "change line":
        data = _with_line(offices, (b'"v":"Kowalski"', b'"v":' + deep))
    else:
        data = _with_manifest(offices, (b'"created": "', b'"deep": ' + deep + b',\n  "created": "'))
    refused(data, NOT_VALID_JSON)


@pytest.mark.parametrize("where", ["escaped in a change line", "raw in a change line",
                                   "escaped in the manifest", "escaped in a manifest key"])
def test_lone_surrogate(offices, refused, where):
    """Half of a UTF-16 surrogate pair: not a Unicode character at all."""
    if where == "escaped in a change line":
        data = _with_line(offices, (b'"Kowalski"', b'"Kowalski\\ud800"'))
    elif where == "raw in a change line":
        data = _with_line(offices, (b'"Kowalski"', b'"Kowalski\xed\xa0\x80"'))
    elif where == "escaped in the manifest":
        data = _with_manifest(offices, (b'"label": null', b'"label": "BIC \\udc00"'))
    else:
        data = _with_manifest(offices, (b'"created": "', b'"\\ud800": 1,\n  "created": "'))
    refused(data, "surrogate|not valid JSON|not valid Unicode")


@pytest.mark.parametrize("where", ["escaped in a value", "raw in a change line",
                                   "in the manifest's origin label"])
def test_nul_characters(offices, refused, where):
    """A NUL character, which C code and SQLite text functions cut strings at."""
    if where == "escaped in a value":
        data = _with_line(offices, (b'"Kowalski"', b'"Kowal\\u0000ski"'))
        expect = "does not fit the field contact.last_name"
    elif where == "raw in a change line":
        data = _with_line(offices, (b'"Kowalski"', b'"Kowal\x00ski"'))
        expect = NOT_VALID_JSON
    else:
        forgery = offices.forgery()
        forgery.manifest["origin"]["label"] = "Laptop\x00 1"
        data = forgery.bundle()
        expect = "control character"
    refused(data, expect)


@pytest.mark.parametrize("where", ["a field value", "a change line", "the manifest's label",
                                   "the manifest"])
def test_over_long_fields(offices, refused, where):
    """Text longer than the field it is written to, or than any line or manifest may be."""
    forgery = offices.forgery()
    if where == "a field value":
        data = _with_line(offices, (b'"Kowalski"', b'"' + b"K" * 10_000 + b'"'))
        expect = "does not fit the field contact.last_name"
    elif where == "a change line":
        # Letters that do not deflate well, so the member is no decompression bomb.
        letters = random.Random(6).choices(string.ascii_letters, k=1_100_000)
        data = _with_line(offices, (b'"Kowalski"', b'"' + "".join(letters).encode() + b'"'))
        expect = "too long"
    elif where == "the manifest's label":
        forgery.manifest["origin"]["label"] = "L" * 10_000
        data = forgery.bundle()
        expect = "label"
    else:
        forgery.manifest["origin"]["label"] = "L" * (bundle_file.MAX_MANIFEST + 1)
        data = forgery.bundle()
        expect = "manifest.json.* larger than a bundle allows"
    refused(data, expect)


# --- encryption ------------------------------------------------------------------------


def test_encrypted_for_someone_else(offices, refused):
    """A real bundle encrypted to another installation's age key."""
    someone = pyrage.x25519.Identity.generate().to_public()
    refused(pyrage.encrypt(offices.base, [someone]), "encrypted for another installation")


@pytest.mark.parametrize("keep", ["half", "all but the last byte", "the header only",
                                  "the first line"])
def test_truncated_encrypted_bundle(offices, refused, keep):
    """The encrypted bundle cut short."""
    data = offices.encrypted
    header = data.index(b"\n---") + data[data.index(b"\n---") + 1:].index(b"\n") + 2
    cut = {"half": len(data) // 2, "all but the last byte": len(data) - 1,
           "the header only": header, "the first line": len(bundle_file.AGE_MAGIC) + 1}[keep]
    refused(data[:cut], "damaged or incomplete")


# --- the command itself ----------------------------------------------------------------


def test_refusal_through_the_installed_command(offices, receiver, tmp_path):
    """In a fresh process (as a person runs it): exit code 1 and one line, no traceback."""
    path = tmp_path / "altered.zip"
    forgery = offices.forgery()
    entries = forgery.entries()
    path.write_bytes(write_zip([(info, data.replace(b"Kowalski", b"Kowalsky"))
                                for info, data in entries]))
    env = {**{k: v for k, v in os.environ.items() if k != "EUREGIONET_DATA_DIR"},
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    result = subprocess.run([sys.executable, "-m", "euregionet_desktop", "--data-dir",
                             str(receiver), "bundle", "import", str(path)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "checksum" in result.stderr
    assert integrity(receiver) == "ok"


# --- a trusted partner gone wrong (issue 13) -------------------------------------------
#
# Every bundle below is signed by the sender's real, trusted key: what it may change is a
# rule checked line by line (wire) and against what the receiver holds (sync.rules), not
# something the signature settles. Each refusal names the member and the line.

# "Version needed to extract": in the central directory header at offset 6 (patch_headers
# adds the two bytes itself), in the local header at offset 4.
VERSION_NEEDED = 4


def _receiver_ids(receiver: Path) -> dict[str, str]:
    """The receiving profile's own installation and advisor ids and its office id."""
    with closing(sqlite3.connect(f"file:{Profile(receiver).database}?mode=ro",
                                 uri=True)) as connection:
        installation, advisor = connection.execute(
            "SELECT installation_id, advisor_id FROM local_state").fetchone()
        office, contact = connection.execute(
            "SELECT installation.office_id, contact.id FROM installation, contact "
            "WHERE installation.id = ?", (installation,)).fetchone()
    return {"installation": installation, "advisor": advisor, "office": office,
            "contact": contact}


def _erasure(record: str, entity: str = "contact", **fields: object) -> bytes:
    line = {"c": "gdpr_request", "e": entity, "h": 1 << 40, "i": str(uuid.uuid4()),
            "r": record, **fields}
    return orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"


def _with_erasure(offices: Offices, line: bytes) -> bytes:
    forgery = offices.forgery()
    forgery.members["erasures.jsonl"] = line
    return forgery.bundle()


def _with_change(offices: Offices, where: dict[str, object], **fields: object) -> bytes:
    """The base bundle with one change line's fields replaced (kept in canonical form)."""
    forgery = offices.forgery()
    lines = forgery.lines
    index = forgery.line_where(**where)
    change = {**orjson.loads(lines[index]), **fields}
    lines[index] = orjson.dumps(change, option=orjson.OPT_SORT_KEYS)
    forgery.lines = lines
    return forgery.bundle()


@pytest.mark.parametrize("where", ["central directory", "both headers"])
def test_zip_version_needed_flipped(offices, refused, where):
    """“Version needed to extract” 20 → 148 (one flipped bit): zipfile raises
    NotImplementedError while reading the directory; it was a traceback."""
    forgery = offices.forgery()
    data = forgery.bundle()
    name = forgery.changes_name
    if where == "both headers":
        data = patch_headers(data, name, VERSION_NEEDED, struct.pack("<H", 148))
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            local = zf.getinfo(name).header_offset
        patched = patch_headers(data, name, VERSION_NEEDED, struct.pack("<H", 148))
        data = data[:local] + patched[local:local + 30] + data[local + 30:]
        data = patched[:local] + data[local:local + 30] + patched[local + 30:]
    refused(data, NOT_A_BUNDLE)


@pytest.mark.parametrize("character", ["\n", "\r", "\x00", "\u2028", "\x85"])
def test_member_name_with_a_line_break(offices, refused, character):
    """A member name with a line break or another control character (a flipped bit in a
    name made “-” a newline): the refusal names it, still on one line (found by the
    fuzzer)."""
    forgery = offices.forgery()
    name = forgery.changes_name
    broken = name[:16] + character + name[17:]
    entries = [(zip_info(broken) if info.filename == name else info, data)
               for info, data in forgery.entries()]
    line = refused(write_zip(entries), "a name a bundle cannot have")
    assert "\ufffd" in line or character == "\x00"  # zipfile cuts a name at NUL


@pytest.mark.parametrize("kind", ["office", "installation", "advisor", "organisation",
                                  "cluster", "task", "event", "indicator"])
def test_erasure_of_what_is_no_person(offices, refused, receiver, kind):
    """An erasure of a record that is no person, by its own kind: refused whatever the id."""
    ids = _receiver_ids(receiver)
    record = ids.get(kind, str(uuid.uuid4()))
    line = refused(_with_erasure(offices, _erasure(record, kind)),
                   f"erasures.jsonl, line 1 erases a record of kind {kind}; .*only persons "
                   "and what goes with them")
    assert "line 1" in line


@pytest.mark.parametrize("target", ["office", "installation", "advisor",
                                    "sender's installation"])
def test_erasure_of_the_receivers_identity_as_a_contact(offices, refused, receiver, dump,
                                                        target):
    """An erasure that calls the receiver's office, installation or advisor (or the
    sender's installation, which the bundle itself writes) “a contact”: it erased them, and
    “keys show” and “bundle export” failed on every run after."""
    ids = _receiver_ids(receiver)
    record = offices.installation if target.startswith("sender") else ids[target]
    forgery = offices.forgery()
    forgery.members["erasures.jsonl"] = _erasure(str(uuid.uuid4())) + _erasure(record)
    kind = "installation" if target.startswith("sender") else target
    refused(forgery.bundle(), f"erasures.jsonl, line 2 .*{record}.* kind {kind}")
    for command in (("keys", "show"), ("bundle", "export", "--to", "BIC", "-o",
                                       receiver / "out.zip")):
        assert cli(receiver, *command) == 0, command


def test_erasure_of_a_contact_as_a_participant(offices, refused, receiver):
    """A contact person named as a participant: the kind must be what the record is."""
    contact = _receiver_ids(receiver)["contact"]
    refused(_with_erasure(offices, _erasure(contact, "participant")),
            "erasures.jsonl, line 1 .* kind participant, but it is of kind contact")


@pytest.mark.parametrize("field,value", [
    ("e", {}), ("e", []), ("e", None), ("c", [[]]), ("c", {}), ("c", "because"),
    ("r", ["x"]), ("r", "not-a-uuid"), ("i", {"a": 1}), ("i", 7), ("h", -1), ("h", "1"),
    ("h", 2**63), ("h", True), ("h", 1.5), ("extra", 1),
])
def test_erasure_field_of_the_wrong_type(offices, refused, field, value):
    """Erasure lines whose fields are nested, of the wrong type or out of range: each a
    malformed line (a list or object as the kind of record was a TypeError)."""
    line = _erasure(str(uuid.uuid4()), **{field: value})
    refused(_with_erasure(offices, line), "erasures.jsonl, line 1 holds a malformed erasure")


def test_erasure_missing_a_field(offices, refused):
    line = orjson.loads(_erasure(str(uuid.uuid4())))
    del line["c"]
    refused(_with_erasure(offices, orjson.dumps(line, option=orjson.OPT_SORT_KEYS) + b"\n"),
            "erasures.jsonl, line 1 holds a malformed erasure")


@pytest.mark.parametrize("field,value,expect", [
    ("e", {}, "unknown kind of record"), ("e", ["contact"], "unknown kind of record"),
    ("f", {}, "unknown kind of record"), ("f", ["last_name"], "unknown kind of record"),
    ("v", ["Kowalski"], "does not fit the field contact.last_name"),
    ("v", {"pl": "Kowalski"}, "does not fit the field contact.last_name"),
    ("v", [[]], "does not fit the field contact.last_name"),
    ("v", 2**63 - 1, "does not fit the field contact.last_name"),
    ("s", 0, "malformed change"), ("s", [1], "malformed change"),
    ("s", 2**63, "malformed change|exact form"), ("h", -1, "malformed change"),
    ("h", {"ms": 1}, "malformed change"), ("h", 2**64 - 1, "malformed change"),
    ("x", [[]], "malformed change"), ("x", [["a", 1]], "malformed change"),
    ("x", {"a": 1}, "malformed change"), ("x", [[str(uuid.uuid4()), 1, 2]], "malformed change"),
    ("x", [[str(uuid.uuid4()), -1]], "malformed change"), ("a", {}, "malformed change"),
    ("a", 5, "malformed change"), ("r", None, "malformed change"),
    ("r", [str(uuid.uuid4())], "malformed change"),
])
def test_change_field_of_the_wrong_type(offices, refused, field, value, expect):
    """A change line whose fields are nested, of the wrong type or beyond 64 bits."""
    data = _with_change(offices, {"f": "last_name"}, **{field: value})
    line = refused(data, expect)
    assert re.search(r"changes/[0-9a-f-]+\.jsonl, line \d+ ", line), line


def test_change_of_another_installations_record(offices, refused, receiver):
    """The sender writing the receiver's installation record (its office)."""
    mine = _receiver_ids(receiver)["installation"]
    refused(_with_change(offices, {"e": "installation", "f": "office_id"}, r=mine),
            f"line 1 changes the record of another installation \\({mine}\\)")


def test_installation_moved_to_another_office(offices, refused, receiver):
    """The sender's own installation record naming another office than its key is
    trusted for."""
    lop = _receiver_ids(receiver)["office"]
    refused(_with_change(offices, {"e": "installation", "f": "office_id"}, v=lop),
            f"line 1 moves the installation {offices.installation} to another office")


def _office_corrected(offices: Offices, first: str, then: str) -> bytes:
    """The base bundle with the sender's office written as ``first`` and then, by a later
    write that replaces it, as ``then`` (an office corrected before the first bundle,
    services.installation_office)."""
    forgery = offices.forgery()
    lines = forgery.lines
    index = forgery.line_where(e="installation", f="office_id")
    written = {**orjson.loads(lines[index]), "v": first}
    lines[index] = orjson.dumps(written, option=orjson.OPT_SORT_KEYS)
    last = max(orjson.loads(line)["s"] for line in lines)
    newest = max(orjson.loads(line)["h"] for line in lines)
    lines.append(orjson.dumps({**written, "s": last + 1, "h": newest + 1, "v": then,
                               "x": [[written["i"], written["s"]]]},
                              option=orjson.OPT_SORT_KEYS))
    forgery.lines = lines
    forgery.manifest["acks"] = {**forgery.manifest["acks"], written["i"]: last + 1}
    return forgery.bundle()


def test_installation_moved_by_a_write_that_replaces_the_first(offices, refused, receiver):
    """A move cannot hide behind the office write it replaces: the write that stands is
    the one checked."""
    lop = _receiver_ids(receiver)["office"]
    bic = reference_id("office", "BIC")
    refused(_office_corrected(offices, bic, lop),
            rf"line \d+ moves the installation {offices.installation} to another office")


def test_office_corrected_before_the_first_bundle_imports(offices, importing, receiver):
    """Positive control: a first write naming another office, replaced by one naming the
    office the key is trusted for, imports, and the trusted office stands."""
    lop, bic = reference_id("office", "LOP"), reference_id("office", "BIC")
    code, _out, err = importing(_office_corrected(offices, lop, bic))
    assert (code, err) == (0, ""), err
    with closing(sqlite3.connect(f"file:{Profile(receiver).database}?mode=ro",
                                 uri=True)) as connection:
        assert connection.execute("SELECT office_id FROM installation WHERE id = ?",
                                  (offices.installation,)).fetchone() == (bic,)
    assert integrity(receiver) == "ok"


def test_retirement_of_another_offices_installation(offices, refused, receiver):
    """The sender retiring the receiver's installation: only a restored profile's new
    installation retires one, and only of its own office (tests/integration/
    test_restore_sync*.py are the positive control: a retirement of one's own office)."""
    mine = _receiver_ids(receiver)["installation"]
    refused(_with_change(offices, {"e": "installation", "f": "office_id"}, f="deleted",
                         v=True, r=mine),
            f"line 1 retires the installation {mine} of another office")


@pytest.mark.parametrize("entity", ["office", "installation", "indicator"])
def test_delete_of_what_no_one_deletes(offices, refused, receiver, entity):
    """A delete of an office, an installation or an indicator (here: the receiver's own
    office, the sender's installation, the first indicator)."""
    record = {"office": _receiver_ids(receiver)["office"],
              "installation": offices.installation,
              "indicator": str(uuid.uuid4())}[entity]
    data = _with_change(offices, {"e": "installation", "f": "office_id"}, e=entity,
                        f="deleted", v=True, r=record)
    refused(data, f"line 1 deletes or restores a record of kind {entity}")


@pytest.mark.parametrize("code", ["XYZ", "BIC"])
def test_change_of_an_offices_code(offices, refused, receiver, capsysbinary, code):
    """The receiver's own office renamed (to a new code, or to the sender's): keys are
    trusted for an office code and bundles addressed to it, so it never changes. Editing
    the office's name the same way imports (positive control), and the receiver's own edit
    of its code is refused too."""
    office = _receiver_ids(receiver)["office"]
    refused(_with_change(offices, {"f": "last_name"}, e="office", f="code", v=code,
                         r=office),
            rf"line \d+ changes the code of an office \({office}\)")
    capsysbinary.readouterr()
    assert cli(receiver, "edit", "office", office, f"code={code}") != 0
    assert b"code never changes" in capsysbinary.readouterr().err
    assert cli(receiver, "edit", "office", office, "city=Zielona Góra") == 0


def _membership_at_receiver(receiver: Path, capsysbinary, *, of_ewa: bool) -> str:
    """A cluster membership added at the receiver: of its contact Ewa, or of an
    organisation (no person)."""
    def added(*args: str) -> str:
        capsysbinary.readouterr()
        assert cli(receiver, "add", *args) == 0, args
        return capsysbinary.readouterr().out.decode().split()[-1]

    cluster = added("cluster", "name_pl=Klaster", "kind=cluster", "country=PL")
    if of_ewa:
        member = f"contact_id={_receiver_ids(receiver)['contact']}"
    else:
        member = "organisation_id=" + added("organisation", "name=Firma", "country=PL")
    return added("membership", f"cluster_id={cluster}", member, "role=member")


@pytest.mark.parametrize("whose", ["an organisation's", "a person's not erased"])
def test_erasure_of_a_membership_of_no_erased_person(offices, refused, receiver,
                                                      capsysbinary, whose):
    """A membership may be erased only with its person: not an organisation's, not one
    whose person the bundle does not erase."""
    membership = _membership_at_receiver(receiver, capsysbinary,
                                         of_ewa=whose.startswith("a person"))
    refused(_with_erasure(offices, _erasure(membership, "membership")),
            f"erasures.jsonl, line 1 erases the membership record {membership}, which "
            "belongs to no erased person")


@pytest.mark.parametrize("who", ["known by name only", "a contact person not erased"])
def test_erasure_of_a_participant(offices, importing, refused, dump, receiver, capsysbinary,
                                  who):
    """A participant known by name only is a person of its own and may be erased; one
    linked to a contact person goes only with that person."""
    capsysbinary.readouterr()
    assert cli(receiver, "add", "event", "kind=workshop", "title_pl=Warsztaty",
               "starts_on=2018-04-01") == 0
    event = capsysbinary.readouterr().out.decode().split()[-1]
    person = ("name=Zofia Zapisana" if who == "known by name only"
              else f"contact_id={_receiver_ids(receiver)['contact']}")
    assert cli(receiver, "add", "participant", f"event_id={event}", person) == 0
    participant = capsysbinary.readouterr().out.decode().split()[-1]
    data = _with_erasure(offices, _erasure(participant, "participant"))
    if who == "known by name only":
        code, out, err = importing(data)
        assert (code, err) == (0, ""), err
        assert "1 record erased" in out and b"Zapisana" not in dump()
    else:
        refused(data, f"erasures.jsonl, line 1 erases the participant record {participant}, "
                "which belongs to no erased person")


def _attendance_list_at_receiver(receiver: Path, capsysbinary, tmp_path: Path) -> str:
    """An attendance list generated at the receiver for an event its contact Ewa attends:
    the id of the stored document (it names Ewa, and no one else)."""
    capsysbinary.readouterr()
    assert cli(receiver, "add", "event", "kind=workshop", "title_pl=Warsztaty",
               "starts_on=2018-04-01") == 0
    event = capsysbinary.readouterr().out.decode().split()[-1]
    assert cli(receiver, "add", "participant", f"event_id={event}",
               f"contact_id={_receiver_ids(receiver)['contact']}") == 0
    assert cli(receiver, "doc", "attendance", event, "-o", tmp_path / "list.docx") == 0
    with closing(sqlite3.connect(f"file:{Profile(receiver).database}?mode=ro",
                                 uri=True)) as connection:
        [(document,)] = connection.execute(
            "SELECT id FROM attachment WHERE kind = 'document'").fetchall()
    return document


def test_erasure_of_a_document_naming_no_erased_person(offices, refused, receiver,
                                                       capsysbinary, tmp_path):
    """A generated document goes only with a person it names: erasing the attendance list
    that names Ewa while Ewa is not erased is refused."""
    document = _attendance_list_at_receiver(receiver, capsysbinary, tmp_path)
    refused(_with_erasure(offices, _erasure(document, "attachment")),
            f"erasures.jsonl, line 1 erases the attachment record {document}, which belongs "
            "to no erased person")


def test_erasure_of_a_person_with_the_document_naming_them_imports(
        offices, importing, dump, receiver, capsysbinary, tmp_path):
    """Positive control: Ewa erased with the attendance list naming her imports; both go."""
    document = _attendance_list_at_receiver(receiver, capsysbinary, tmp_path)
    ewa = _receiver_ids(receiver)["contact"]
    code, out, err = importing(_with_erasure(offices, _erasure(ewa) +
                                             _erasure(document, "attachment")))
    assert (code, err) == (0, ""), err
    assert "erased" in out, out
    after = dump()
    assert b"Wi\xc5\x9bniewska" not in after and document.encode() not in after
    assert integrity(receiver) == "ok"


def test_erasure_of_a_person_with_their_membership_imports(offices, importing, dump,
                                                           receiver, capsysbinary):
    """Positive control: a person erased with their membership (as the sender's bundle
    carries it) imports, and both are gone."""
    membership = _membership_at_receiver(receiver, capsysbinary, of_ewa=True)
    ewa = _receiver_ids(receiver)["contact"]
    code, out, err = importing(_with_erasure(offices, _erasure(ewa) +
                                             _erasure(membership, "membership")))
    assert (code, err) == (0, ""), err
    assert "2 records erased" in out
    after = dump()
    assert b"Wi\xc5\x9bniewska" not in after and membership.encode() not in after
    assert integrity(receiver) == "ok"


def test_erasure_of_a_membership_moved_to_another_person_meanwhile(
        offices, importing, dump, receiver, capsysbinary):
    """The membership went to another contact here while its person was erased at the
    sender: it still went with the erased person (its history names them), so it imports."""
    membership = _membership_at_receiver(receiver, capsysbinary, of_ewa=True)
    ewa = _receiver_ids(receiver)["contact"]
    capsysbinary.readouterr()
    assert cli(receiver, "add", "contact", "first_name=Adam", "last_name=Inny") == 0
    other = capsysbinary.readouterr().out.decode().split()[-1]
    assert cli(receiver, "edit", "membership", membership, f"contact_id={other}") == 0
    code, out, err = importing(_with_erasure(offices, _erasure(ewa) +
                                             _erasure(membership, "membership")))
    assert (code, err) == (0, ""), err
    assert "2 records erased" in out and membership.encode() not in dump()


def test_erasure_of_a_person_imports(offices, importing, dump, receiver):
    """Positive control: the same forging erasing a person (Jan Kowalski, as a contact)
    imports; the receiver's identity is untouched and its commands still work."""
    forgery = offices.forgery()
    contact = orjson.loads(forgery.lines[forgery.line_where(f="last_name")])["r"]
    forgery.members["erasures.jsonl"] = _erasure(contact)
    code, out, err = importing(forgery.bundle())
    assert (code, err) == (0, ""), err
    assert "1 record erased" in out
    assert b"Kowalski" not in dump()
    for command in (("keys", "show"), ("bundle", "export", "--to", "BIC", "-o",
                                       receiver / "out.zip")):
        assert cli(receiver, *command) == 0, command
    assert integrity(receiver) == "ok"


@pytest.mark.parametrize("manifest", ["recipients a number", "label a huge number",
                                      "format true", "a thousand recipients"])
def test_inspect_and_import_of_odd_manifest_values(offices, receiver, refused,
                                                    capsysbinary, tmp_path, manifest):
    """Manifest values of the wrong type, signed: ``bundle inspect`` (also --json) shows
    them or not but does not crash; the import refuses with one line."""
    forgery = offices.forgery()
    if manifest == "recipients a number":
        forgery.manifest["recipients"] = 5
        expect = "addressed to \\?, not to this office"
    elif manifest == "label a huge number":
        forgery.manifest["origin"]["label"] = "HUGE"
        expect = "label"
    elif manifest == "a thousand recipients":  # a message that was 3,000 characters long
        forgery.manifest["recipients"] = ["SNB"] * 1000
        expect = "addressed to SNB, SNB, SNB, SNB, SNB, …, not to this office"
    else:
        forgery.manifest["format"] = True
        expect = "format is not one this version reads"
    # 2**70 as the label: beyond what orjson writes, written into the text.
    data = forgery.bundle(manifest=forgery.manifest_bytes().replace(b'"HUGE"', b"%d" % 2**70))
    path = tmp_path / "odd.zip"
    path.write_bytes(data)
    for extra in ((), ("--json",)):
        capsysbinary.readouterr()
        assert cli(receiver, "bundle", "inspect", path, *extra) == 0
        assert capsysbinary.readouterr().err == b""
    refused(data, expect)


def test_inspect_of_the_flipped_zip_version(offices, receiver, capsysbinary, tmp_path):
    """``bundle inspect`` of the flipped-version bundle: one line, exit code 1."""
    forgery = offices.forgery()
    path = tmp_path / "flipped.zip"
    path.write_bytes(patch_headers(forgery.bundle(), forgery.changes_name, VERSION_NEEDED,
                                   struct.pack("<H", 148)))
    capsysbinary.readouterr()
    assert cli(receiver, "bundle", "inspect", path) == 1
    captured = capsysbinary.readouterr()
    assert captured.out == b""
    lines = captured.err.decode().splitlines()
    assert len(lines) == 1 and NOT_A_BUNDLE in lines[0], lines


@pytest.mark.parametrize("field,value", [
    ("label", ["Laptop"]), ("label", {"pl": "Laptop"}), ("label", 7), ("label", "L" * 101),
    ("label", "Lap\x00top"), ("installation_id", ["x"]), ("installation_id", 5),
    ("installation_id", "not-a-uuid"), ("office", {"code": "BIC"}), ("signing_key", None),
    ("age_recipient", ["age1"]), ("office", "BIC\nLOP"), ("signing_key", "a\rb"),
])
def test_hostile_public_key_file(receiver, tmp_path, capsysbinary, field, value):
    """A partner's key file with a value of the wrong type: “keys trust” refuses it with
    one line (a list as the label was a traceback, a list as the id was trusted as text)."""
    capsysbinary.readouterr()
    assert cli(receiver, "keys", "show") == 0
    before = capsysbinary.readouterr().out
    assert cli(receiver, "keys", "export", "-o", tmp_path / "own.json") == 0
    keys = {**orjson.loads((tmp_path / "own.json").read_bytes()), field: value}
    keys["installation_id"] = keys["installation_id"] if field == "installation_id" else \
        str(uuid.uuid4())
    path = tmp_path / "partner.json"
    path.write_bytes(orjson.dumps(keys))
    capsysbinary.readouterr()
    assert cli(receiver, "keys", "trust", path, "--yes") == 1
    captured = capsysbinary.readouterr()
    lines = captured.err.decode().splitlines()
    assert len(lines) == 1 and "not an EuRegioNet public key file" in lines[0], lines
    assert cli(receiver, "keys", "show") == 0
    assert capsysbinary.readouterr().out == before


def test_public_key_file_of_another_laptop_is_trusted(receiver, tmp_path):
    """Positive control: the same forging with values of the right types is trusted."""
    assert cli(receiver, "keys", "export", "-o", tmp_path / "own.json") == 0
    keys = {**orjson.loads((tmp_path / "own.json").read_bytes()), "label": "Laptop 2",
            "installation_id": str(uuid.uuid4())}
    (tmp_path / "partner.json").write_bytes(orjson.dumps(keys))
    assert cli(receiver, "keys", "trust", tmp_path / "partner.json", "--yes") == 0
