"""While a person types an organisation or a contact: "Possibly the same as …" under the
field the stored record matches on (issue 17), with a link that opens it. Saving anyway is
allowed; a record being edited is never its own duplicate."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from euregionet_desktop.i18n import _
from euregionet_desktop.services import duplicates
from euregionet_desktop.ui.field_editors import FieldEditor
from euregionet_desktop.ui.op_runner import OpRunner

LINE_BREAK = "<br>"  # between hints under one field (rich text)
DELAY_MS = 250  # after the last key, so the check runs once per pause, not per key
MAX_HINTS = 3  # lines under one field
# The fields whose typing starts the check, per kind of record.
WATCHED: dict[str, tuple[str, ...]] = {
    "organisation": ("name", "city", "nip", "vat_id", "regon", "krs", "register_number",
                     "website"),
    "contact": ("first_name", "last_name", "organisation_id", "email", "phone", "mobile"),
}
# The fields a hint can be shown under (the fields the service's reasons are about).
HINTED: dict[str, frozenset[str]] = {
    entity: frozenset(name for names in reasons.values() for name in names)
    for entity, reasons in duplicates.REASON_FIELDS.items()}


def hint_colour() -> QColor:
    """An amber that reads on the light and on the dark palette: a caution, not an error."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return QColor("#ffcc80") if window.lightness() < 128 else QColor("#8a4b00")


def hint_label(name: str, field_label: str) -> QLabel:
    """The hidden line under a field where a possible duplicate is named."""
    label = QLabel(objectName=f"duplicate_{name}")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    label.setStyleSheet(f"color: {hint_colour().name()}")
    label.setAccessibleName(_("Possible duplicate ({field})").format(field=field_label))
    label.hide()
    return label


class DuplicateHints(QObject):
    """Watches a form's editors and fills its hint lines from ``possible_duplicates``
    (in the thread pool, the newest answer only); ``open_record(entity, id)`` when a link
    is followed."""

    open_record = Signal(str, str)
    checked = Signal()  # an answer was shown (for tests and screenshots)

    def __init__(self, runner: OpRunner, entity: str, editors: dict[str, FieldEditor],
                 hints: dict[str, QLabel], *, record_id: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.editors = editors
        self.hints = hints
        self.record_id = record_id
        self.hits: list[duplicates.DuplicateHit] = []
        self._asked = 0  # the number of the newest check; older answers are dropped
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.check)
        for label in hints.values():
            label.linkActivated.connect(self._followed)
        for name in WATCHED.get(entity, ()):
            editor = editors.get(name)
            edit = getattr(editor, "edit", None)
            if edit is not None and hasattr(edit, "textEdited"):
                edit.textEdited.connect(self._typed)
            if editor is not None and hasattr(editor, "picked"):
                editor.picked.connect(self._typed)

    def _typed(self, *_args) -> None:
        self._timer.start()

    def values(self) -> dict[str, object]:
        return {name: editor.value() for name, editor in self.editors.items()
                if name in WATCHED[self.entity]}

    def check(self) -> None:
        self._asked += 1
        asked = self._asked
        values = self.values()
        if not any(values.values()):
            self._show([])
            return
        self.runner.query(self.parent(), duplicates.possible_duplicates,
                          on_done=lambda hits: asked == self._asked and self._show(hits),
                          on_failed=lambda _error: asked == self._asked and self._show([]),
                          entity=self.entity, values=values, record_id=self.record_id)

    def _show(self, hits: list[duplicates.DuplicateHit]) -> None:
        self.hits = list(hits)
        lines: dict[str, list[str]] = {name: [] for name in self.hints}
        for hit in hits:
            where = next((f for f in hit.fields if f in self.hints), None)
            if where is None:
                where = next(iter(self.hints), None)
            if where is None or len(lines[where]) >= MAX_HINTS:
                continue
            target = html.escape(f"{hit.entity}:{hit.id}")
            link = f'<a href="{target}">{html.escape(hit.label)}</a>'
            lines[where].append(html.escape(_("Possibly the same as: {record} ({reason})"))
                                .replace("{record}", link)
                                .replace("{reason}", html.escape(", ".join(hit.reasons))))
        for name, label in self.hints.items():
            label.setText(LINE_BREAK.join(lines[name]))
            label.setVisible(bool(lines[name]))
        self.checked.emit()

    def _followed(self, link: str) -> None:
        entity, _sep, record_id = link.partition(":")
        if record_id:
            self.open_record.emit(entity, record_id)
