"""Frozen data that crosses from the core into the UI and the CLI (never ORM objects)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from euregionet_desktop.domain.field_kinds import FieldKind


@dataclass(frozen=True)
class RecordWrites:
    """Field values of one record before and after an action (what undo writes back)."""

    entity: str
    record_id: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    # Fields written even where the row already holds the value: a new write is what
    # makes a side of a text pair current again ("Mark as translated" and its undo).
    rewrite: frozenset[str] = frozenset()


@dataclass(frozen=True)
class UndoStep:
    """How to take one action back, and forward again, as new writes to the change log."""

    label: str  # translated, e.g. "Delete Contact person"
    writes: tuple[RecordWrites, ...]


@dataclass(frozen=True)
class Changes:
    """What one user action changed; views refresh from ``entities``."""

    entities: frozenset[str] = frozenset()
    record_id: str | None = None  # the record created or edited, if there is one
    record_ids: tuple[str, ...] = ()
    undo: UndoStep | None = None

    def __or__(self, other: Changes) -> Changes:
        """Both actions as one (e.g. a consultation saved with its follow-up tasks)."""
        undo = None
        if self.undo or other.undo:
            first = self.undo or other.undo
            undo = UndoStep(first.label, (self.undo.writes if self.undo else ())
                            + (other.undo.writes if other.undo else ()))
        return Changes(
            self.entities | other.entities,
            self.record_id or other.record_id,
            self.record_ids + other.record_ids,
            undo,
        )


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    label: str  # translated
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, translated label)
    ref: str | None = None
    max_length: int | None = None
    # Known values of a list whose codes are stored (sectors, regions): (code, translated
    # label); other text typed there is kept as typed.
    vocabulary: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RecordDTO:
    entity: str
    id: str
    label: str
    values: Mapping[str, Any]
    created_at: str
    deleted: bool = False
    conflicts: tuple[str, ...] = ()  # fields with more than one current write
    # Fields of text pairs whose side needs translating (empty, or older than the other side).
    needs_translation: tuple[str, ...] = ()
    ref_labels: Mapping[str, str] = field(default_factory=dict)  # ref field → record label(s)


@dataclass(frozen=True)
class Page:
    rows: tuple[RecordDTO, ...]
    total: int


@dataclass(frozen=True)
class HistoryEntry:
    field: str
    old_value: Any
    new_value: Any
    at_ms: int  # wall-clock part of the write's hybrid logical clock
    installation_id: str
    seq: int
    office_code: str | None
    author: str | None
    current: bool


@dataclass(frozen=True)
class SearchHit:
    entity: str
    id: str
    label: str
    detail: str = ""
    # A hit on a note: the note's id (the hit opens the record it is on, ``entity``/``id``)
    # and whether it is a private note (this office only: shown with a lock).
    note_id: str | None = None
    private: bool = False


@dataclass(frozen=True)
class EvidenceFile:
    """An attachment that proves a counted item (a scan, a photo)."""

    attachment_id: str
    file_name: str
    kind: str  # enums.AttachmentKind value


@dataclass(frozen=True)
class CountedItem:
    """A record an indicator counts, with the evidence behind it."""

    entity: str
    id: str
    label: str
    office: str | None  # office code, None for the partnership's items
    on: str | None  # ISO date the item counts on
    evidence: tuple[EvidenceFile, ...] = ()

    @property
    def evidence_missing(self) -> bool:
        return not self.evidence


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    name: str
    target: int
    value: int
    period_start: str
    period_end: str
    by_office: Mapping[str, int] = field(default_factory=dict)
    items: tuple[CountedItem, ...] = ()  # what ``value`` counts (one office's, if asked)

    @property
    def with_evidence(self) -> int:
        return sum(1 for item in self.items if not item.evidence_missing)

    @property
    def progress(self) -> float:
        return self.value / self.target if self.target else 0.0


@dataclass(frozen=True)
class ProfileInfo:
    installation_id: str
    office_code: str
    office_name: str
    advisor_id: str | None
    advisor_name: str | None
    label: str | None



@dataclass(frozen=True)
class TranslationNeed:
    """One side of a text pair that needs translating (services.translation)."""

    entity: str
    record_id: str
    record_label: str
    field: str  # the side that needs work
    other_field: str  # the side that holds the newer text
    field_label: str  # translated, e.g. "Title (German)"
    other_label: str
    side: str  # "pl" or "de": the language of ``field``
    missing: bool  # True: the side is empty; False: it is older than the other side
    other_changed_ms: int  # when the other side was last written (ms since the epoch)
    office_id: str | None = None


@dataclass(frozen=True)
class FormationStepView:
    """One step of a cluster initiative as the pipeline and the detail pane show it."""

    id: str
    step: str  # enums.FormationStepKind value
    step_label: str  # translated
    status: str  # enums.StepStatus value
    status_label: str  # translated
    done_on: _dt.date | None
    advisor_name: str | None


@dataclass(frozen=True)
class InitiativeView:
    """A cluster being formed, with its steps in order (services.initiatives)."""

    id: str
    cluster_id: str
    cluster_name: str
    office_id: str | None
    office_code: str | None
    advisor_name: str | None
    started_on: _dt.date | None
    stage: str | None  # the cluster's enums.ClusterStage value
    countries: tuple[str, ...]  # of the member organisations: ("DE", "PL") is cross-border
    steps: tuple[FormationStepView, ...]

    @property
    def current(self) -> FormationStepView | None:
        """The first step not done; None when the cluster is formed."""
        return next((s for s in self.steps if s.status != "done"), None)


@dataclass(frozen=True)
class ProgrammeLogo:
    """A logo of the programme's identity: its attachment and file name."""

    attachment_id: str
    file_name: str
    sha256: str


@dataclass(frozen=True)
class ProgrammeSettings:
    """The programme's identity every document prints (services.programme)."""

    values: Mapping[str, Any]  # field name -> stored value (text, dates, the period)
    eu_emblem: ProgrammeLogo | None = None
    programme_logo: ProgrammeLogo | None = None


@dataclass(frozen=True)
class NoteDTO:
    """A note on a record: shared with every office, or ``private`` (this installation
    only, never in a bundle)."""

    id: str
    linked_entity: str
    linked_id: str
    body: str
    private: bool
    created_at: str  # ISO, UTC
    author: str | None  # the advisor's name
