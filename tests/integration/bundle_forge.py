"""Forging bundles for the bad-bundle catalogue: a real bundle's members, altered, re-signed.

A ``Forgery`` starts from a bundle exported by a real profile. A test changes its members or
its manifest; ``bundle()`` then lists every member in the manifest with its true hash and
size and signs the manifest with the sender's real key, so the one defect a test plants is
the only thing wrong with the file. ``write_zip`` writes any entries as given (duplicate or
odd names, links), for defects at the zip level.
"""

from __future__ import annotations

import copy
import io
import stat
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

import orjson

from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync.keys import Keys

Entry = tuple[zipfile.ZipInfo, bytes]
SPECIAL = ("manifest.json", "manifest.sig")


def zip_info(name: str, *, mode: int = stat.S_IFREG | 0o644,
             compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry as the exporter writes it, with the name and file mode given."""
    info = zipfile.ZipInfo(name, date_time=(2017, 4, 1, 0, 0, 0))
    info.compress_type = compress_type
    info.external_attr = mode << 16
    return info


def write_zip(entries: list[Entry]) -> bytes:
    """A zip of exactly these entries, in this order (duplicates allowed)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w") as zf:
            for info, data in entries:
                zf.writestr(info, data)
    return buffer.getvalue()


# Offsets of fields in a local file header; in the central directory header each lies
# two bytes further on.
FLAGS, METHOD, UNCOMPRESSED_SIZE = 6, 8, 22


def patch_headers(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """The zip with one field of member ``name`` overwritten in both of its headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo(name).header_offset
        position = zf.start_dir  # type: ignore[attr-defined]
    patched[local + offset:local + offset + len(value)] = value
    while patched[position:position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", patched, position + 28)
        if bytes(patched[position + 46:position + 46 + name_len]) == name.encode():
            patched[position + offset + 2:position + offset + 2 + len(value)] = value
        position += 46 + name_len + extra_len + comment_len
    return bytes(patched)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of ``name`` rewritten in both of its headers."""
    return patch_headers(data, name, UNCOMPRESSED_SIZE, struct.pack("<I", size))


def compressed_span(data: bytes, name: str) -> tuple[int, int]:
    """Where the compressed bytes of member ``name`` lie in the zip: (start, length)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


@dataclass
class Forgery:
    """A bundle taken apart: its manifest (parsed), its members, and who signs it."""

    manifest: dict[str, Any]
    members: dict[str, bytes]
    signer: Keys

    @classmethod
    def of(cls, bundle: bytes, signer: Keys) -> Forgery:
        found = read_zip(bundle)
        return cls(orjson.loads(found["manifest.json"]),
                   {n: d for n, d in found.items() if n not in SPECIAL}, signer)

    # --- change lines of the origin installation -------------------------------------

    @property
    def changes_name(self) -> str:
        return f"changes/{self.manifest['origin']['installation']}.jsonl"

    @property
    def lines(self) -> list[bytes]:
        return [line for line in self.members[self.changes_name].split(b"\n") if line]

    @lines.setter
    def lines(self, lines: list[bytes]) -> None:
        self.members[self.changes_name] = b"".join(line + b"\n" for line in lines)

    def line_where(self, **wanted: Any) -> int:
        """The index of the first change line whose fields have these values."""
        for index, line in enumerate(self.lines):
            change = orjson.loads(line)
            if all(change[key] == value for key, value in wanted.items()):
                return index
        raise LookupError(wanted)

    # --- sealing ---------------------------------------------------------------------

    def manifest_bytes(self) -> bytes:
        """The manifest listing every member with its true hash and size."""
        manifest = copy.deepcopy(self.manifest)
        manifest["members"] = {name: bundle_file.member_entry(data)
                               for name, data in self.members.items()}
        return bundle_file.encode_manifest(manifest)

    def entries(self, *, manifest: bytes | None = None,
                signature: bytes | None = None) -> list[Entry]:
        """The zip entries: manifest (signed by the signer unless a signature is given)
        and every member."""
        manifest = self.manifest_bytes() if manifest is None else manifest
        signature = self.signer.sign(manifest) if signature is None else signature
        return [(zip_info("manifest.json"), manifest), (zip_info("manifest.sig"), signature),
                *((zip_info(name), data) for name, data in sorted(self.members.items()))]

    def bundle(self, *, manifest: bytes | None = None) -> bytes:
        """The bundle file: members listed, manifest signed."""
        return write_zip(self.entries(manifest=manifest))
