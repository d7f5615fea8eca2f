"""Text printed in another language than the document's, marked inside the strings the
templates receive.

A template writes values with plain ``{{ … }}`` tags (a person's own template too), so a
value cannot carry Word formatting itself. Instead the text is wrapped in private-use
characters that name its language; after rendering, documents.render turns each wrapped
span into runs of its own with the language tag (so Word's spell checker reads it in its
language) and the "second language" character style.
"""

from __future__ import annotations

import re

START, SEPARATOR, END = "\ue000", "\ue001", "\ue002"
SPAN = re.compile(f"{START}([a-z]{{2}}){SEPARATOR}(.*?){END}", re.DOTALL)


def in_language(text: str, language: str) -> str:
    """``text`` marked as written in ``language`` ("pl" or "de"), with "[PL] " before it
    so that a reader sees it was not translated."""
    return f"{START}{language}{SEPARATOR}[{language.upper()}] {text}{END}"


def strip_marks(text: str) -> str:
    """The text as a reader sees it, for output that is not a Word document."""
    return SPAN.sub(lambda match: match.group(2), text)
