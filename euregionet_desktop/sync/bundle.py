"""The bundle file: a zip with a signed manifest, change lines and blobs (DESIGN §4).

    manifest.json      format and schema version, bundle id, origin, recipients, seq
                       ranges, the exporter's acknowledgement vector, a state digest,
                       and sha256 + size of every other member
    manifest.sig       Ed25519 over the exact bytes of manifest.json
    changes/<installation>.jsonl, erasures.jsonl, blobs/<sha256>

Optionally the whole zip is encrypted with age to the recipients' X25519 keys.

Reading never extracts: each member is checked by name, listed in the manifest, read
with its declared size as the limit and hashed before anything else looks at it.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyrage

from euregionet_desktop.errors import BundleError, NextStep
from euregionet_desktop.files import atomic_write
from euregionet_desktop.i18n import _
from euregionet_desktop.sync.keys import fingerprint, verify
from euregionet_desktop.sync.wire import refuse, strict_json

# 2: a delete lists the current write of every field it saw (sync.changelog), which a
# version that reads 1 would take for replaced writes and drop those fields' values; it
# refuses a 2 instead. A 1 (deletes that list nothing) reads correctly here.
FORMAT = 2
READABLE_FORMATS = frozenset({1, 2})
AGE_MAGIC = b"age-encryption.org/v1"
MAX_BUNDLE = 1 << 30  # bytes on disk (and after decryption)
MAX_TOTAL = 4 << 30  # all members uncompressed
MAX_MEMBERS = 50_000
MAX_MANIFEST = 8 << 20
MAX_RATIO = 200  # uncompressed / compressed; text deflates well, but not a thousandfold
# What zipfile (and zlib under it) raise on a damaged or hostile file: BadZipFile for most
# damage, NotImplementedError (a RuntimeError) for a "version needed to extract" or a
# compression method it does not know, RuntimeError for zip encryption, ValueError (and
# UnicodeDecodeError) for odd names and headers, struct.error, OverflowError or EOFError
# for fields that do not add up. Each becomes one line saying the file is damaged.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError,
              ValueError, RuntimeError, struct.error, OverflowError, KeyError, IndexError)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MEMBER = re.compile(r"^(manifest\.json|manifest\.sig|erasures\.jsonl|"
                    r"changes/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl|"
                    r"blobs/[0-9a-f]{64})$")


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose members passed the checks; ``manifest`` is parsed, not yet trusted."""

    manifest: Mapping[str, Any]
    manifest_bytes: bytes
    signature: bytes | None
    members: Mapping[str, bytes]
    encrypted: bool


def write(path: Path, *, manifest: bytes, signature: bytes, members: Mapping[str, bytes],
          recipients: list[str] | None = None) -> int:
    """Write the bundle to ``path`` whole or not at all (FileAccessError says why not)."""
    with Writer() as writer:
        for name in sorted(members):
            writer.add(name, members[name])
        return writer.finish(path, manifest=manifest, signature=signature,
                             recipients=recipients)


class Writer:
    """A bundle written a member at a time, for exports too large to hold uncompressed:
    each member is deflated as its bytes come (only the compressed zip is held) and hashed
    as it is written, so ``entries`` gives the manifest its members' checksums and sizes;
    the manifest and its signature are written last (readers find members by name)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", compression=zipfile.ZIP_DEFLATED,
                                    compresslevel=6)
        self.entries: dict[str, dict[str, Any]] = {}

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the zip (after ``finish``, or instead of it: nothing is written)."""
        self._zip.close()
        self._buffer = io.BytesIO()

    @contextmanager
    def member(self, name: str) -> Iterator[Callable[[bytes], None]]:
        """A ``write(bytes)`` for the member ``name``, written and hashed as it goes."""
        digest, size = hashlib.sha256(), 0
        with self._zip.open(_info(name), "w") as handle:
            def write(data: bytes) -> None:
                nonlocal size
                digest.update(data)
                handle.write(data)
                size += len(data)

            yield write
        self.entries[name] = {"sha256": digest.hexdigest(), "size": size}

    def add(self, name: str, data: bytes) -> None:
        with self.member(name) as write:
            write(data)

    def finish(self, path: Path, *, manifest: bytes, signature: bytes,
               recipients: list[str] | None = None) -> int:
        """Write the bundle to ``path`` whole or not at all (FileAccessError says why
        not); its size in bytes."""
        self._zip.writestr(_info("manifest.json"), manifest)
        self._zip.writestr(_info("manifest.sig"), signature)
        self._zip.close()
        data = self._buffer.getvalue()
        self._buffer = io.BytesIO()
        if recipients:
            data = pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(r)
                                         for r in recipients])
        atomic_write(path, data)
        return len(data)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2017, 4, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def member_entry(data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def encode_manifest(manifest: Mapping[str, Any]) -> bytes:
    return orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)


# --- reading ---------------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE:
            raise refuse(_("the file is larger than any bundle may be ({size} bytes).").format(
                size=size))
        return path.read_bytes()
    except OSError as error:
        raise BundleError(_("Cannot read the bundle file {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None


def decrypt(data: bytes, identity: pyrage.x25519.Identity) -> bytes:
    try:
        return pyrage.decrypt(data, [identity])
    # pyrage reports a damaged header as DecryptError, a few malformed ones as ValueError.
    except (pyrage.DecryptError, ValueError) as error:
        if "No matching keys" in str(error):
            raise BundleError(_("This bundle is encrypted for another installation; it "
                                "cannot be opened here. Nothing was imported.")) from None
        raise refuse(_("the encrypted file is damaged or incomplete.")) from None


def shown(name: str) -> str:
    """A member name as a refusal may show it: on one line (a control character, such as
    a newline a damaged header put into the name, shown as �), at most 120 characters."""
    return CONTROL.sub("\ufffd", name[:120])


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if (name.startswith(("/", "\\")) or "\\" in name or ":" in name
                or ".." in name.split("/") or not MEMBER.match(name)):
            raise refuse(_("it contains a member with a name a bundle cannot have: "
                           "“{name}”.").format(name=shown(name)))
        if unicodedata.normalize("NFC", name) != name:
            raise refuse(_("it contains a member name that is not normalised: "
                           "“{name}”.").format(name=shown(name)))
        folded = name.casefold()
        if folded in seen:
            raise refuse(_("it contains the member “{name}” twice.").format(name=shown(name)))
        seen.add(folded)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode) or info.is_dir():
            raise refuse(_("it contains a link or folder “{name}” instead of a file.").format(
                name=shown(name)))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, *,
                 declared: bool = True) -> bytes:
    """The member's bytes, at most ``limit`` of them (its size in the manifest, or for the
    manifest and signature themselves a fixed cap)."""
    if declared:
        problem = _("the member “{name}” is larger than its manifest says.")
    else:
        problem = _("the member “{name}” is larger than a bundle allows ({limit} bytes).")
    too_large = refuse(problem.format(name=info.filename, limit=limit))
    if info.file_size > limit:
        raise too_large
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and \
            info.file_size > 1 << 20:
        raise refuse(_("the member “{name}” unpacks to far more than it holds (a "
                       "decompression bomb).").format(name=info.filename))
    try:
        with zf.open(info) as handle:
            data = handle.read(limit + 1)
    # zlib.error: a corrupt deflate stream; RuntimeError (NotImplementedError too): a
    # zip-encrypted member or a compression method zipfile does not know.
    except ZIP_ERRORS:
        raise refuse(_("the member “{name}” is damaged (it does not unpack to what the zip "
                       "file says it holds).").format(name=info.filename)) from None
    if len(data) > limit:
        raise too_large
    return data


def open_bundle(data: bytes, *, identity: pyrage.x25519.Identity | None,
                trusted: Callable[[str, str], tuple[str, str, str] | None] | None = None
                ) -> OpenedBundle:
    """Check the container and every member against the manifest.

    With ``trusted`` (see ``check_signature``) the signature is checked as soon as the
    manifest is read, before any other member is unpacked (DESIGN §4: an unsigned or
    forged file never gets to make us read its members).
    """
    if len(data) > MAX_BUNDLE:
        raise refuse(_("the file is larger than any bundle may be."))
    encrypted = data.startswith(AGE_MAGIC)
    if encrypted:
        if identity is None:
            raise BundleError(_("This bundle is encrypted; open it in a set-up profile."))
        data = decrypt(data, identity)
        if len(data) > MAX_BUNDLE:
            raise refuse(_("the decrypted bundle is larger than any bundle may be."))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS:
        raise BundleError(_("This file is not an EuRegioNet bundle (or it is damaged or "
                            "incomplete). Nothing was imported.")) from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(_("it has too many members ({count}).").format(count=len(infos)))
    _check_names(infos)
    by_name = {info.filename: info for info in infos}
    if "manifest.json" not in by_name:
        raise BundleError(_("This file is not an EuRegioNet bundle (no manifest). Nothing "
                            "was imported."))
    manifest_bytes = _read_member(zf, by_name["manifest.json"], MAX_MANIFEST, declared=False)
    manifest = strict_json(manifest_bytes, "manifest.json")
    signature = (_read_member(zf, by_name["manifest.sig"], 256, declared=False)
                 if "manifest.sig" in by_name else None)
    if trusted is not None:
        check_signature(OpenedBundle(manifest, manifest_bytes, signature, {}, encrypted),
                        trusted)
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise refuse(_("its manifest does not list the members."))
    present = set(by_name) - {"manifest.json", "manifest.sig"}
    for name in sorted(present - set(listed)):
        raise refuse(_("it contains “{name}”, which its manifest does not list.").format(
            name=name))
    for name in sorted(set(listed) - present):
        raise refuse(_("the member “{name}” listed in its manifest is missing.").format(
            name=str(name)[:120]))
    members: dict[str, bytes] = {}
    total = 0
    for name in sorted(present):
        entry = listed[name]
        if not (isinstance(entry, dict) and isinstance(entry.get("size"), int)
                and not isinstance(entry.get("size"), bool) and entry["size"] >= 0
                and isinstance(entry.get("sha256"), str)):
            raise refuse(_("its manifest describes “{name}” wrongly.").format(name=name))
        total += entry["size"]
        if total > MAX_TOTAL:
            raise refuse(_("its members add up to more than a bundle may hold."))
        content = _read_member(zf, by_name[name], entry["size"])
        if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != \
                entry["sha256"]:
            raise refuse(_("the member “{name}” does not match its checksum (altered or "
                           "damaged).").format(name=name))
        if name.startswith("blobs/") and hashlib.sha256(content).hexdigest() != name[6:]:
            raise refuse(_("the attachment “{name}” does not match its name.").format(
                name=name))
        members[name] = content
    return OpenedBundle(manifest, manifest_bytes, signature, members, encrypted)


def check_signature(bundle: OpenedBundle,
                    trusted: Callable[[str, str], tuple[str, str, str] | None]) -> None:
    """The manifest was signed by the installation it names, with the key pinned for it.

    ``trusted(installation_id, signing_key)`` gives (office, signing key, age recipient)
    pinned for the installation, or None (the key is offered so that the successor of a
    restored installation can be recognised by the key pinned for its predecessor).
    """
    origin = bundle.manifest.get("origin")
    if not isinstance(origin, dict) or not all(
            isinstance(origin.get(k), str) for k in ("installation", "office", "signing_key",
                                                      "age_recipient")):
        raise refuse(_("its manifest does not say who made it."))
    if bundle.signature is None:
        raise refuse(_("it is not signed."))
    pinned = trusted(origin["installation"], origin["signing_key"])
    if pinned is None:
        raise BundleError(_(
            "This bundle comes from an installation of office {office} whose key is not "
            "trusted here (fingerprint {fingerprint}). Nothing was imported.").format(
            office=origin["office"][:10], fingerprint=fingerprint(
                origin["signing_key"], origin["age_recipient"])), next_step=NextStep.TRUST_KEY)
    office, signing_key, _recipient = pinned
    if signing_key != origin["signing_key"] or office != origin["office"]:
        raise refuse(_("it names a key or office other than the one trusted for its "
                       "installation."))
    if not verify(signing_key, bundle.signature, bundle.manifest_bytes):
        raise refuse(_("its signature does not match its manifest (altered or forged)."))
