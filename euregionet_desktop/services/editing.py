"""Saving a record together with the records edited on the same form, as one action.

A consultation is saved with its follow-up tasks, an action plan with its measures, an
event with its participants: all of it in one transaction, undone in one step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import Changes, UndoStep
from euregionet_desktop.services.relation_table import CHILD_LINKS
from euregionet_desktop.services.values import entity_label


@dataclass(frozen=True)
class ChildRows:
    """The child records as the form shows them: (id or None for a new one, values)."""

    entity: str
    rows: Sequence[tuple[str | None, Mapping[str, Any]]] = ()
    removed: Sequence[str] = ()


def save(session: Session, *, entity: str, record_id: str | None = None,
         values: Mapping[str, Any], children: Sequence[ChildRows] = ()) -> Changes:
    """Create (no ``record_id``) or edit a record and its children; all or nothing."""
    if record_id is None:
        changes = records.create(session, entity=entity, values=values)
        label = _("Add {entity}").format(entity=entity_label(entity))
    else:
        changes = records.update_record(session, entity=entity, record_id=record_id,
                                        values=values)
        label = _("Edit {entity}").format(entity=entity_label(entity))
    parent_id = changes.record_id
    assert parent_id is not None
    for group in children:
        link = CHILD_LINKS[(entity, group.entity)]
        for child_id in group.removed:
            changes = changes | records.delete(session, entity=group.entity, record_id=child_id)
        for index, (child_id, child_values) in enumerate(group.rows):
            try:
                if child_id is None:
                    step = records.create(session, entity=group.entity,
                                          values={**child_values, link: parent_id})
                else:
                    step = records.update_record(session, entity=group.entity,
                                                 record_id=child_id, values=child_values)
            except ValidationError as error:
                raise _in_row(error, group.entity, index) from None
            changes = changes | step
    undo = UndoStep(label, changes.undo.writes) if changes.undo else None
    return Changes(changes.entities, parent_id, changes.record_ids, undo)


def _in_row(error: ValidationError, entity: str, index: int) -> ValidationError:
    """Say which row of the list was refused: "Measure 2: Title is required."."""
    message = _("{entity} {number}: {problem}").format(
        entity=entity_label(entity), number=index + 1, problem=error.message)
    return ValidationError(message, field=error.field, entity=entity,
                           problems=dict(error.problems), row=index)


def delete_many(session: Session, *, entity: str, record_ids: Sequence[str]) -> Changes:
    """Delete several records (and what cannot stand without them) as one undoable step."""
    changes = Changes()
    for record_id in record_ids:
        changes = changes | records.delete(session, entity=entity, record_id=record_id)
    label = ngettext("Delete {count} record", "Delete {count} records", len(record_ids)).format(
        count=len(record_ids))
    if len(record_ids) == 1 and changes.undo:
        label = changes.undo.label
    undo = UndoStep(label, changes.undo.writes) if changes.undo else None
    return Changes(changes.entities, changes.record_id, changes.record_ids, undo)
