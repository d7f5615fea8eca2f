"""What an empty list shows beside it: the next step (a first record, a partner's records),
or, when a filter hides everything, the way back."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from euregionet_desktop.i18n import N_, _

# Per kind: what an empty list says, and its "new" action (the words agree in gender and
# number in Polish and German, so no sentence is built from a kind's name).
EMPTY_TEXTS: dict[str, tuple[str, str]] = {
    "cluster": (N_("No clusters yet."), N_("New cluster")),
    "organisation": (N_("No organisations yet."), N_("New organisation")),
    "contact": (N_("No contact persons yet."), N_("New contact person")),
    "consultation": (N_("No consultations yet."), N_("New consultation")),
    "task": (N_("No tasks yet."), N_("New task")),
    "evaluation": (N_("No evaluations yet."), N_("New evaluation")),
    "action_plan": (N_("No action plans yet."), N_("New action plan")),
    "event": (N_("No events yet."), N_("New event")),
}


def new_text(entity: str) -> str:
    """The "new" action with its shortcut, as the platform writes keys."""
    shortcut = QKeySequence(QKeySequence.StandardKey.New).toString(
        QKeySequence.SequenceFormat.NativeText)
    label = _(EMPTY_TEXTS[entity][1]) if entity in EMPTY_TEXTS else _("New…")
    return _("{action} ({shortcut})").format(action=label, shortcut=shortcut) if shortcut \
        else label


class EmptyState(QWidget):
    """Shown instead of the detail pane while the list has no rows."""

    new_requested = Signal()
    clear_filter_requested = Signal()

    def __init__(self, entity: str, object_prefix: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=f"{object_prefix}Empty")
        self.entity = entity
        self._filter = ""
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.message = QLabel(objectName=f"{object_prefix}EmptyMessage",
                              alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)
        layout.addWidget(self.message)
        self.new = QPushButton(new_text(entity), objectName=f"{object_prefix}EmptyNew")
        self.new.setDefault(True)
        self.new.clicked.connect(self.new_requested)
        self.clear = QPushButton(_("Clear the filter"), objectName=f"{object_prefix}EmptyClear")
        self.clear.clicked.connect(self.clear_filter_requested)
        for button in (self.new, self.clear):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.partners_note = QLabel(
            _("Or bring in what the partner offices recorded:"),
            objectName=f"{object_prefix}EmptyPartners", alignment=Qt.AlignmentFlag.AlignCenter)
        self.partners_note.setWordWrap(True)
        layout.addWidget(self.partners_note)
        self.partner_buttons: list[QPushButton] = []
        self._partner_layout = layout
        layout.addStretch(2)
        self.show_for("")

    def set_partner_actions(self, actions: Sequence[tuple[str, str, Callable[[], None]]]
                            ) -> None:
        """Buttons for the window's ways to a partner's records: (object name, text, slot)."""
        for button in self.partner_buttons:
            button.deleteLater()
        self.partner_buttons = []
        at = self._partner_layout.indexOf(self.partners_note) + 1
        for offset, (name, text, slot) in enumerate(actions):
            button = QPushButton(text, objectName=name)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # Read as links (they open another view), not as more of the same buttons.
            button.setStyleSheet("QPushButton { color: palette(link); border: none; "
                                 "text-decoration: underline; }")
            button.clicked.connect(slot)
            self._partner_layout.insertWidget(at + offset, button, 0,
                                              Qt.AlignmentFlag.AlignHCenter)
            self.partner_buttons.append(button)
        self.show_for(self._filter)

    def show_for(self, filter_text: str) -> None:
        """Nothing at all (a first record) or nothing matching the filter (clear it)."""
        self._filter = filter_text
        filtered = bool(filter_text.strip())
        if filtered:
            self.message.setText(_("Nothing matches “{text}”.").format(text=filter_text.strip()))
        else:
            self.message.setText(_(EMPTY_TEXTS[self.entity][0]) if self.entity in EMPTY_TEXTS
                                 else _("No records yet."))
        self.new.setVisible(not filtered)
        self.clear.setVisible(filtered)
        self.partners_note.setVisible(not filtered and bool(self.partner_buttons))
        for button in self.partner_buttons:
            button.setVisible(not filtered)
