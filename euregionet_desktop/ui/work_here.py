"""Working from an open record: what a new related record starts with, and tabs that fit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QTabWidget, QWidget

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import RecordDTO
from euregionet_desktop.services.entities import REFERENCE_ENTITIES, SYSTEM_ENTITIES
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.relations import Relation
from euregionet_desktop.ui.field_kinds import view_of
from euregionet_desktop.ui.op_runner import OpRunner

# The button of a relation tab that starts a new record of its kind for the open record.
NEW_TEXTS: dict[str, str] = {
    "consultation": N_("New consultation…"),
    "task": N_("New follow-up…"),
    "evaluation": N_("New evaluation…"),
    "action_plan": N_("New action plan…"),
    "event": N_("New event…"),
    "participant": N_("New event participation…"),
    "membership": N_("New membership…"),
    "contact": N_("New contact person…"),
    "measure": N_("New measure…"),
}

# The day a new record of these kinds happens is, most likely, today. (A consultation's
# date and time start at the current hour in its editor; a task's due date and a plan's
# signing are not today's.)
TODAY_FIELDS: dict[str, str] = {
    "evaluation": "evaluated_on",
    "membership": "joined_on",
    "event": "starts_on",
}


def can_add(relation: Relation) -> bool:
    """A tab offers "New …" when its records point at the owner through a field on their
    own form (a cluster's contact persons, found through memberships, do not)."""
    if relation.entity in REFERENCE_ENTITIES | SYSTEM_ENTITIES or not relation.link:
        return False
    return any(spec.name == relation.link and view_of(spec.kind).among_fields
               for spec in records.field_specs(relation.entity))


def new_text(entity: str) -> str:
    return _(NEW_TEXTS[entity]) if entity in NEW_TEXTS else _("New…")


def preset_for(runner: OpRunner, *, owner_entity: str, owner: RecordDTO,
               relation: Relation, today: dt.date | None = None) -> dict[str, Any]:
    """The values a new record of ``relation`` starts with when made from ``owner``: the
    owner itself, this installation's advisor and office, today where a day is asked for,
    and the cluster, organisation or person the owner is about (a follow-up of a
    consultation belongs to its cluster too)."""
    owner_refs = {spec.name: spec.ref for spec in records.field_specs(owner_entity)
                  if spec.kind is FieldKind.REF}
    values: dict[str, Any] = {relation.link: owner.id}
    for spec in records.field_specs(relation.entity):
        if (spec.name not in values and spec.kind is FieldKind.REF
                and spec.ref not in ("advisor", "office")  # this installation's, below
                and owner_refs.get(spec.name) == spec.ref and owner.values.get(spec.name)):
            values[spec.name] = owner.values[spec.name]
    return {**own_values(runner, relation.entity, today=today), **values}


def own_values(runner: OpRunner, entity: str, *, today: dt.date | None = None
               ) -> dict[str, Any]:
    """What any new record of ``entity`` starts with, wherever it is made: this
    installation's advisor and office, and today where a day is asked for."""
    info = runner.fetch(profile_info)
    offices = runner.fetch(records.list_ids, entity="office", where={"code": info.office_code})
    values: dict[str, Any] = {}
    for spec in records.field_specs(entity):
        if spec.kind is not FieldKind.REF:
            continue
        if spec.ref == "advisor" and info.advisor_id:
            values[spec.name] = info.advisor_id
        elif spec.ref == "office" and offices:
            values[spec.name] = offices[0]
    if entity in TODAY_FIELDS:
        values[TODAY_FIELDS[entity]] = today or dt.date.today()
    return values


class FittingTabs(QTabWidget):
    """Tabs whose names are shown whole: when they do not all fit the width, a compact
    selector (``selector``, placed by the owner above the tabs) takes the tab bar's place;
    never scroll arrows that hide a tab."""

    def __init__(self, parent: QWidget | None = None, *, object_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        # Arrows are never seen (the bar shows only when every tab fits), but with them
        # the bar does not ask for the width of all its tabs: the list beside keeps room.
        self.setUsesScrollButtons(True)
        self.selector = QComboBox(objectName=f"{object_name}Selector")
        self.selector.setAccessibleName(_("Sections of the record"))
        self.selector.currentIndexChanged.connect(self._chosen)
        self.currentChanged.connect(self._shown)
        self.selector.hide()

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        with QSignalBlocker(self.selector):
            self.selector.insertItem(index, self.tabText(index))
            self.selector.setCurrentIndex(self.currentIndex())
        self.fit()

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        with QSignalBlocker(self.selector):
            self.selector.removeItem(index)
            self.selector.setCurrentIndex(self.currentIndex())
        self.fit()

    def _chosen(self, index: int) -> None:
        if index >= 0:
            self.setCurrentIndex(index)

    def _shown(self, index: int) -> None:
        with QSignalBlocker(self.selector):
            self.selector.setCurrentIndex(index)

    def tabs_fit(self) -> bool:
        bar = self.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        return needed <= self.width()

    def fit(self) -> None:
        """The tab bar when every name fits, else the selector."""
        fits = self.tabs_fit()
        self.tabBar().setVisible(fits)
        self.selector.setVisible(not fits and not self.isHidden())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.selector.hide()
