"""One finding of the template check, its severities, and how a finding quotes the file."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, REPAIRED, WARNING = "error", "repaired", "warning"


@dataclass(frozen=True)
class Finding:
    """One problem or remark, written for the person who edits the template."""

    severity: str  # ERROR, REPAIRED (docxtpl fixes it while filling) or WARNING
    location: str
    message: str


def shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
