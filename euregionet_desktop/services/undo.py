"""Undo and redo as compensating writes through the change log (so they sync like edits)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from euregionet_desktop.errors import ErasedRecordError
from euregionet_desktop.i18n import _
from euregionet_desktop.services.dto import Changes, UndoStep
from euregionet_desktop.services.records import apply_writes
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.sync.erasure import erased_in, erased_records


def undo(session: Session, *, step: UndoStep) -> Changes:
    """Write back the values the records had before the step.

    A step that would change or name a record erased since is refused with
    ErasedRecordError, nothing written; the history then drops it (``discard``).
    """
    try:
        return apply_writes(session, writes=step.writes, backwards=True)
    except ErasedRecordError as error:
        raise _needs_erased(error, _(
            "“{action}” cannot be undone: it needs a record that has been erased for good "
            "({entity}). The step was removed from the undo history."), step) from None


def redo(session: Session, *, step: UndoStep) -> Changes:
    """Write the step's values again (refused like ``undo`` when they need an erased
    record)."""
    try:
        return apply_writes(session, writes=step.writes)
    except ErasedRecordError as error:
        raise _needs_erased(error, _(
            "“{action}” cannot be redone: it needs a record that has been erased for good "
            "({entity}). The step was removed from the redo history."), step) from None


def needing_erased(session: Session, *, steps: Sequence[UndoStep]) -> list[UndoStep]:
    """The steps that would change or name a record erased since (undo and redo refuse
    them): after an erasure the history drops them at once, and with them the erased
    person's values they hold."""
    erased = erased_records(session)
    if not erased:
        return []
    return [step for step in steps if any(
        erased_in(w.record_id, values, erased) is not None
        for w in step.writes for values in (w.before, w.after))]


def _needs_erased(error: ErasedRecordError, message: str, step: UndoStep) -> ErasedRecordError:
    return ErasedRecordError(
        message.format(action=step.label, entity=entity_label(error.erased_entity)),
        record_id=error.record_id, erased_entity=error.erased_entity, field=error.field,
        entity=error.entity)


class UndoHistory:
    """The session's undo and redo stacks (plain Python; the UI shows the labels)."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._undo: list[UndoStep] = []
        self._redo: list[UndoStep] = []

    def record(self, changes: Changes) -> None:
        """Remember a new action; a new action makes the redo stack meaningless."""
        if changes.undo is None:
            return
        self._undo.append(changes.undo)
        del self._undo[:-self.limit]
        self._redo.clear()

    def next_undo(self) -> UndoStep | None:
        return self._undo[-1] if self._undo else None

    def next_redo(self) -> UndoStep | None:
        return self._redo[-1] if self._redo else None

    def undone(self, step: UndoStep) -> None:
        """The step was taken back: it moves to the redo stack."""
        if self._undo and self._undo[-1] is step:
            self._redo.append(self._undo.pop())

    def redone(self, step: UndoStep) -> None:
        if self._redo and self._redo[-1] is step:
            self._undo.append(self._redo.pop())

    def discard(self, step: UndoStep) -> None:
        """Forget a step that can no longer be taken (it needs an erased record)."""
        self._undo[:] = [s for s in self._undo if s is not step]
        self._redo[:] = [s for s in self._redo if s is not step]

    def steps(self) -> list[UndoStep]:
        """Every step that can be undone or redone."""
        return [*self._undo, *self._redo]

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
