"""Which text encoding a file offered for import is in: BOM, strict UTF-8 (unless it holds
no Polish or German letter where a code page reads only such letters), else the code page
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
_JUNK = (frozenset("¤¦¨´¸ˇ˘˝˛˙¯±¶¬¹²³¥£¿¢ª\ufffd")
         | frozenset(map(chr, range(0x80, 0xA0))))
# Ties go to the first: cp1252 and cp1250 agree on every letter German text has, and
# cp1250 and ISO-8859-2 on most Polish ones (a Polish office's Excel writes cp1250).
_CODE_PAGES = ("cp1252", "cp1250", "iso-8859-2")
_ASCII = bytes(range(0x80))


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file that begins with ``sample`` (up to 1 MiB of it)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if not _cut_in_a_letter(sample, error):
            return _best_code_page(sample)
        return "utf-8"
    if not text.isascii() and not _LETTERS.intersection(text):
        # UTF-8 by chance: a code page's short words can form UTF-8 sequences ("DÓŁ" in
        # cp1250 reads "Dӣ", "ÄŚ" reads "Č"), letters no Polish or German list holds. A
        # code page that reads every byte beyond ASCII as such a letter is the file's.
        page = _best_code_page(sample)
        if _LETTERS.issuperset(sample.translate(None, _ASCII).decode(page, errors="replace")):
            return page
    return "utf-8"


def _best_code_page(sample: bytes) -> str:
    return max(_CODE_PAGES, key=lambda name: _score(sample, name))


def _cut_in_a_letter(sample: bytes, error: UnicodeDecodeError) -> bool:
    """Whether the sample is UTF-8 cut inside its last letter: the bytes before are UTF-8
    and hold a letter beyond ASCII too (cp1250's "gęś" ends like a cut UTF-8 letter), or
    the sample is a full one, cut from a longer file."""
    return (error.reason == "unexpected end of data" and error.end == len(sample)
            and (len(sample) >= SAMPLE_BYTES or not sample[:error.start].isascii()))


def _score(sample: bytes, encoding: str) -> int:
    # A code page reads one byte as one letter, and ASCII alike: only the rest counts.
    counts = Counter(sample.translate(None, _ASCII).decode(encoding, errors="replace"))
    return (sum(n for char, n in counts.items() if char in _LETTERS)
            - sum(n for char, n in counts.items() if char in _JUNK))
