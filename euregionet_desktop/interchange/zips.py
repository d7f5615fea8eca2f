"""Spreadsheets that are zip files (XLSX, ODS): which one a zip is, and how much it really
unpacks to, measured before calamine unpacks it, so a zip bomb is refused."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from euregionet_desktop.errors import TableFileError
from euregionet_desktop.i18n import _

# What a spreadsheet's zip may unpack to. Excel's XML packs about ten to one, so this lets
# in workbooks of some 50 MB; a zip bomb (a gigabyte of zeros packs into one megabyte) is
# refused. Bigger lists go in as CSV, which has no limit.
MAX_UNPACKED_BYTES = 500 * 2**20
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name and extra field lengths
_CHUNK = 1 << 16
_OUTPUT_CHUNK = 1 << 20  # what one step of inflating may give: the memory it takes


class DamagedZip(Exception):
    """The zip cannot be read: its directory, a header or a member's data is broken."""


def zip_format(path: Path) -> str | None:
    """"xlsx", "ods" or None (another zip: a Word document, an archive); TableFileError
    for one that unpacks to too much, DamagedZip for one that cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            # The sizes the directory states first (cheap), then the real ones: a bomb
            # may state small sizes, and calamine's unzipping would not stop at them.
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES \
                    or _unpacked_bytes(path, members) > MAX_UNPACKED_BYTES:
                raise TableFileError(_(
                    "{path} would unpack to more than {maximum} MB, so it is refused: a "
                    "spreadsheet that large is better imported as CSV, and a file this "
                    "packed may be a zip bomb.").format(path=path,
                                                        maximum=MAX_UNPACKED_BYTES >> 20))
            names = {member.filename: member for member in members}
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size < 200 \
                    and archive.read(mimetype).strip() == _ODS_MIMETYPE:
                return "ods"
    # zipfile also raises NotImplementedError for a version or method it does not know,
    # RuntimeError for an encrypted member.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, EOFError,
            NotImplementedError, RuntimeError) as error:
        raise DamagedZip(str(error)) from error
    return None


def _unpacked_bytes(path: Path, members: list[zipfile.ZipInfo]) -> int:
    """What the members inflate to, counted up to just past MAX_UNPACKED_BYTES."""
    total = 0
    with path.open("rb") as file:
        for member in members:
            file.seek(member.header_offset)
            header = file.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size:
                raise DamagedZip(member.filename)
            signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
            if signature != b"PK\x03\x04":
                raise DamagedZip(member.filename)
            file.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
            if member.compress_type == zipfile.ZIP_STORED:
                total += member.compress_size
            elif member.compress_type == zipfile.ZIP_DEFLATED:
                total += _inflated_bytes(file, member.compress_size,
                                         MAX_UNPACKED_BYTES - total)
            else:  # neither Excel nor LibreOffice packs otherwise
                raise DamagedZip(member.filename)
            if total > MAX_UNPACKED_BYTES:
                break
    return total


def _inflated_bytes(file: IO[bytes], packed: int, limit: int) -> int:
    """What ``packed`` bytes of deflate data inflate to, counted in bounded memory and
    stopped once past ``limit``."""
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    total = 0
    while packed > 0 and not inflate.eof:
        data = file.read(min(packed, _CHUNK))
        if not data:
            break
        packed -= len(data)
        while data:
            total += len(inflate.decompress(data, _OUTPUT_CHUNK))
            if total > limit:
                return total
            data = inflate.unconsumed_tail
    return total + len(inflate.flush())
