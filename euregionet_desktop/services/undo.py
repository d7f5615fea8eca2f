"""Undo and redo as compensating writes through the change log (so they sync like edits)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from euregionet_desktop.services.dto import Changes, UndoStep
from euregionet_desktop.services.records import apply_writes


def undo(session: Session, *, step: UndoStep) -> Changes:
    """Write back the values the records had before the step."""
    return apply_writes(session, writes=step.writes, backwards=True)


def redo(session: Session, *, step: UndoStep) -> Changes:
    """Write the step's values again."""
    return apply_writes(session, writes=step.writes)


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

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
