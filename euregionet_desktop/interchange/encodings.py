"""Which text encoding a file offered for import is in: BOM, strict UTF-8, else the code page
whose decoding yields the most Polish and German letters and the least junk."""

from __future__ import annotations

import codecs
from collections import Counter

# What the preview offers (detection may also answer "utf-16" for a file with its BOM).
ENCODINGS = ("utf-8-sig", "utf-8", "cp1250", "cp1252", "iso-8859-2")
SAMPLE_BYTES = 1 << 20  # how much of a file detection looks at

_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßÄÖÜ")
# What a wrong code page turns letters into: C1 controls, and symbols no office list holds
# (cp1250's letters read as cp1252 give ¹ ³ £ ¿ ¯ ¥; ISO-8859-2's read as cp1250 give
# ± ¶ ¦ ¬ ˇ). U+FFFD stands for a byte a code page does not define.
_JUNK = frozenset("¤¦¨´¸ˇ˘˝˛˙¯±¶¬¹²³¥£¿¢ª\ufffd") | frozenset(map(chr, range(0x80, 0xA0)))
# Ties go to the first: cp1252 and cp1250 agree on every letter German text has, and
# cp1250 and ISO-8859-2 on most Polish ones (a Polish office's Excel writes cp1250).
_CODE_PAGES = ("cp1252", "cp1250", "iso-8859-2")


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file that begins with ``sample`` (up to 1 MiB of it)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # Not final: the sample may end inside a character that the next byte completes.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return max(_CODE_PAGES, key=lambda name: _score(sample, name))
    return "utf-8"


def _score(sample: bytes, encoding: str) -> int:
    counts = Counter(sample.decode(encoding, errors="replace"))  # counted in C: fast
    return (sum(n for char, n in counts.items() if char in _LETTERS)
            - sum(n for char, n in counts.items() if char in _JUNK))
