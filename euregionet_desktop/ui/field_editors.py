"""One input widget per kind of field, all with the same small interface.

``value()`` gives what the person entered in the form the services accept (text as typed,
dates as ``dt.date``, lists, ids); the services check it and say what is wrong, so the
editors only refuse what they alone can know (a name typed in a picker but not chosen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QRegularExpression,
    QSignalBlocker,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from euregionet_desktop.domain import validation
from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import FieldSpec

if TYPE_CHECKING:
    from euregionet_desktop.ui.op_runner import OpRunner

DATE_FORMAT = "dd.MM.yyyy"  # how PL and DE write dates; the services also accept ISO
RESOLVED_FORMAT = "EEE dd.MM.yyyy"  # a word's day in the field: "Mo. 07.12.2026"


class FieldEditor(QWidget):
    """Base: a widget for one field with value()/set_value()/problem()."""

    # What is in the field now can be handed to the services again (a date that reads as
    # one, a suggestion taken): the form hides the message it showed under the field.
    corrected = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"field_{spec.name}")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def add(self, widget: QWidget, stretch: int = 0) -> QWidget:
        widget.setAccessibleName(self.spec.label)
        self._layout.addWidget(widget, stretch)
        return widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any, label: str | None = None) -> None:
        raise NotImplementedError

    def problem(self) -> str | None:
        """A message when the input cannot even be handed to the services."""
        return None

    def first_line_offset(self) -> int:
        """How far below the editor's top its first line of text starts (for the label
        of an editor taller than one line)."""
        return 0

    def label_text(self) -> str:
        """The value as a list cell shows it (for tables of child records)."""
        value = self.value()
        return "" if value is None else str(value)


class TextEditor(FieldEditor):
    """One line of text; ``shown`` writes a stored value as a person types it (a phone
    number in the national format)."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None, *,
                 placeholder: str | None = None,
                 shown: Callable[[Any], str] | None = None) -> None:
        super().__init__(spec, parent)
        self.shown = shown
        self.edit = self.add(QLineEdit(objectName=f"edit_{spec.name}"), 1)
        if spec.max_length:
            self.edit.setMaxLength(spec.max_length)
        if placeholder:
            self.edit.setPlaceholderText(placeholder)

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def set_value(self, value: Any, label: str | None = None) -> None:
        if value is None:
            text = ""
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif self.shown is not None:
            text = self.shown(value)
        elif isinstance(value, Decimal):
            text = format(value, "f")
        else:
            text = str(value)
        self.edit.setText(text)
        self.edit.setCursorPosition(0)  # long addresses read from their start


class LongTextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = self.add(QPlainTextEdit(objectName=f"edit_{spec.name}"), 1)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)

    def first_line_offset(self) -> int:
        return self.edit.frameWidth() + round(self.edit.document().documentMargin())

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.edit.setPlainText(value or "")


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = self.add(QComboBox(objectName=f"edit_{spec.name}"), 1)
        if not spec.required:
            self.combo.addItem(_("— not set —"), None)
        for value, label in spec.choices:
            self.combo.addItem(label, value)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any, label: str | None = None) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def label_text(self) -> str:
        return self.combo.currentText() if self.value() is not None else ""


class ChoicesEditor(FieldEditor):
    """Several of a fixed list (topics, smart specialisations): a button with a checklist."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.button = self.add(QToolButton(objectName=f"edit_{spec.name}"), 1)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setSizePolicy(self.button.sizePolicy().horizontalPolicy().Expanding,
                                  self.button.sizePolicy().verticalPolicy())
        # Two long topics must not widen the whole form past the screen: the button takes
        # the width the form has, the tooltip names them all.
        self.button.setMinimumWidth(120)
        self.list = QListWidget(objectName=f"list_{spec.name}")
        self.list.setAccessibleName(spec.label)
        for value, label in spec.choices:
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 40)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * min(len(spec.choices), 12) + 8)
        self.list.itemChanged.connect(self._update_text)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.list)
        menu.addAction(holder)
        self.button.setMenu(menu)
        self._update_text()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def value(self) -> Any:
        return [i.data(Qt.ItemDataRole.UserRole) for i in self._items()
                if i.checkState() == Qt.CheckState.Checked]

    def set_value(self, value: Any, label: str | None = None) -> None:
        chosen = set(value or ())
        with QSignalBlocker(self.list):
            for item in self._items():
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                                   in chosen else Qt.CheckState.Unchecked)
        self._update_text()

    def label_text(self) -> str:
        return ", ".join(i.text() for i in self._items()
                         if i.checkState() == Qt.CheckState.Checked)

    def _update_text(self) -> None:
        self.button.setText(self.label_text() or _("— none —"))
        self.button.setToolTip(self.label_text())


class FlagEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.check = self.add(QCheckBox(objectName=f"edit_{spec.name}"), 1)
        # As tall as a line edit, so the box sits level with its label in an even row.
        self.setMinimumHeight(QLineEdit().sizeHint().height())

    def value(self) -> Any:
        return self.check.isChecked()

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.check.setChecked(bool(value))

    def label_text(self) -> str:
        return _("yes") if self.value() else _("no")


class DateEditor(FieldEditor):
    """A date typed as DD.MM.YYYY, as a word ("jutro", "morgen", "+7", "Freitag") or picked
    from a calendar; empty means not set. A word is shown resolved beside the field as it is
    typed, and written as the date when the field is left."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        # The day words count from; tests set a fixed one.
        self.today: Callable[[], dt.date] = dt.date.today
        self.edit = self.add(QLineEdit(objectName=f"edit_{spec.name}"), 1)
        self.edit.setPlaceholderText(_("DD.MM.YYYY"))
        self.edit.setToolTip(_("A date as DD.MM.YYYY, or a word such as today, tomorrow, "
                               "+7 (days from today) or a weekday"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._resolve)
        self.edit.editingFinished.connect(self._write_resolved)
        self.pick = self.add(QToolButton(objectName=f"pick_{spec.name}"))
        self.pick.setAccessibleName(_("Choose {field} from a calendar").format(field=spec.label))
        self.pick.setArrowType(Qt.ArrowType.DownArrow)
        self.pick.setToolTip(_("Choose from a calendar"))
        # Out of the Tab chain (one Tab leaves the field); Alt+Down or F4 opens the calendar.
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Inside the field at its right end, so the form's columns do not move as it shows.
        self.resolved = QLabel(self.edit, objectName=f"resolved_{spec.name}")
        self.resolved.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.resolved.hide()
        self.edit.installEventFilter(self)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.activated.connect(self._picked)
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.pick)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.pick.setMenu(menu)
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def date(self) -> dt.date | None:
        """The day the field's text means, None if it is empty or not a date."""
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return validation.parse_date(text, field=self.spec.name, label=self.spec.label,
                                         today=self.today())
        except ValidationError:
            return None

    def _resolve(self, text: str) -> None:
        day = self.date()
        written = QDate(day.year, day.month, day.day).toString(DATE_FORMAT) if day else ""
        # The day in the field for a word (or an ISO date), not for the date as written.
        self.resolved.setText(f"→ {format_date(day, fmt=RESOLVED_FORMAT)}"
                              if day and written != text.strip() else "")
        self.resolved.setVisible(bool(self.resolved.text()))
        self._place_resolved()
        if day is not None or not (text.strip() or self.spec.required):
            self.corrected.emit()

    def _place_resolved(self) -> None:
        """The resolved day right-aligned in the field, left of its clear button; the typed
        text keeps clear of it."""
        shown = not self.resolved.isHidden()
        self.resolved.adjustSize()
        clear = [b for b in self.edit.findChildren(QToolButton) if b.isVisibleTo(self.edit)]
        right = min([b.x() for b in clear] or [self.edit.width() - 4]) - 4
        self.resolved.move(right - self.resolved.width(),
                           (self.edit.height() - self.resolved.height()) // 2)
        self.edit.setTextMargins(0, 0, self.resolved.width() + 6 if shown else 0, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.Resize:
            self._place_resolved()
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and (event.key(), event.modifiers()) in (
                    (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
                    (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier))):
            self.pick.menu().popup(self.pick.mapToGlobal(self.pick.rect().bottomLeft()))
            self.calendar.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _write_resolved(self) -> None:
        day = self.date()
        if day is not None and self.resolved.text():
            self.set_value(day)

    def _prepare_calendar(self) -> None:
        day = self.date() or self.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, date: QDate) -> None:
        self.edit.setText(date.toString(DATE_FORMAT))
        self.pick.menu().hide()

    def value(self) -> Any:
        # Not a date: the text goes to the services, which say what is wrong with it.
        return self.date() or self.edit.text().strip() or None

    def set_value(self, value: Any, label: str | None = None) -> None:
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value)
        self.edit.setText(QDate(value.year, value.month, value.day).toString(DATE_FORMAT)
                          if value else "")

    def label_text(self) -> str:
        day = self.date()
        return (QDate(day.year, day.month, day.day).toString(DATE_FORMAT) if day
                else self.edit.text().strip())


class DateTimeEditor(FieldEditor):
    """A day, typed as a date field takes it ("wczoraj", "heute", 14.03.2019, the calendar),
    and a time of day as HH:MM (or 10.30, or 10); a new one starts today at the current
    hour."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.day = DateEditor(spec)
        self.day.setObjectName(f"day_{spec.name}")
        self.day.corrected.connect(self.corrected)
        self._layout.addWidget(self.day, 1)
        self.setFocusProxy(self.day.edit)  # a message on the field puts the cursor in the day
        self.time = self.add(QLineEdit(objectName=f"time_{spec.name}"))
        self.time.setAccessibleName(_("{field} (time)").format(field=spec.label))
        self.time.setPlaceholderText(_("HH:MM"))
        self.time.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9]{0,2}([:.][0-9]{0,2})?"), self.time))
        self.time.setFixedWidth(self.time.fontMetrics().horizontalAdvance("00:000") + 24)
        if spec.required:  # when a consultation was held; a next meeting starts empty
            now = dt.datetime.now()
            self.day.set_value(now.date())
            self.time.setText(f"{now.hour:02d}:00")

    def value(self) -> Any:
        day = self.day.value()
        if day is None:
            return None
        day = day.isoformat() if isinstance(day, dt.date) else day
        time = self.time.text().strip().replace(".", ":")  # "10.30 Uhr" is written too
        if time.isdigit():  # "10" is ten o'clock
            time = f"{time}:00"
        return f"{day} {time}" if time else day

    def set_value(self, value: Any, label: str | None = None) -> None:
        if value:
            self.day.set_value(str(value)[:10])
            self.time.setText(str(value)[11:16])
        elif not self.spec.required:  # a record without a next meeting shows none
            self.day.set_value(None)
            self.time.clear()

    def label_text(self) -> str:
        return f"{self.day.label_text()} {self.time.text().strip()}".strip()


class RefEditor(FieldEditor):
    """A related record picked by typing part of its name (type-ahead from SQL)."""

    # A suggestion was taken: ``record_id`` and the field's text name it.
    picked = Signal()

    def __init__(self, spec: FieldSpec, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.runner = runner  # suggestions are read as the person types: Qt asks for them now
        self.record_id: str | None = None
        self._chosen_label = ""
        self._choices: list[tuple[str, str]] = []
        self.edit = self.add(QLineEdit(objectName=f"edit_{spec.name}"), 1)
        self.edit.setPlaceholderText(_("Type to search…"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.names = QStringListModel(self)
        self.completer = QCompleter(self.names, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated[QModelIndex].connect(self._chosen)
        self.completer.popup().setObjectName(f"choices_{spec.name}")
        # Not QLineEdit.setCompleter: the line edit would connect itself on focus-in, after
        # every slot here, and write the taken suggestion's name back into the field after
        # a list picker had emptied it for the next person. The field's text is ours alone.
        self.completer.setWidget(self.edit)
        self.browse = self.add(QToolButton(objectName=f"browse_{spec.name}"))
        self.browse.setArrowType(Qt.ArrowType.DownArrow)
        self.browse.setAccessibleName(_("Show choices for {field}").format(field=spec.label))
        self.browse.clicked.connect(lambda: self._refresh(show=True))
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(lambda: self._refresh(show=True))
        self.edit.textEdited.connect(self._typed)

    def _typed(self, text: str) -> None:
        self.record_id = None if text != self._chosen_label else self.record_id
        self._timer.start()

    def _refresh(self, *, show: bool) -> None:
        typed = "" if self.edit.text() == self._chosen_label else self.edit.text()
        self._choices = [(hit.id, hit.label if not hit.detail else f"{hit.label} — {hit.detail}")
                         for hit in self.runner.fetch(records.choices, entity=self.spec.ref,
                                                      text=typed, limit=30)]
        self.names.setStringList([label for _id, label in self._choices])
        if show and self.isVisible():
            self.completer.setCompletionPrefix("")
            self.completer.complete()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down (or Alt+Down, as in a combo box) opens the suggestions, all of them in an
        # empty field; Qt's line edit does nothing with it.
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.AltModifier)
                and not self.completer.popup().isVisible()):
            self._timer.stop()
            self._refresh(show=True)
            return True
        return super().eventFilter(watched, event)

    def _chosen(self, index: QModelIndex) -> None:
        if not 0 <= index.row() < len(self._choices):
            return
        self.record_id, self._chosen_label = self._choices[index.row()]
        self.edit.setText(self._chosen_label)
        self.edit.setCursorPosition(0)
        self.picked.emit()
        self.corrected.emit()

    def value(self) -> Any:
        return self.record_id

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.record_id = value or None
        self._chosen_label = label or ""
        if value and not label:
            found = self.runner.fetch(records.labels, entity=self.spec.ref, record_ids=[value])
            self._chosen_label = found.get(value, value)
        self.edit.setText(self._chosen_label if value else "")
        self.edit.setCursorPosition(0)  # a long name reads from its start

    def problem(self) -> str | None:
        if self.record_id is None and self.edit.text().strip():
            return _("{field}: choose one of the suggestions for “{text}”, or clear the "
                     "field.").format(field=self.spec.label, text=self.edit.text().strip())
        return None

    def label_text(self) -> str:
        return self._chosen_label if self.record_id else ""


class RefListEditor(FieldEditor):
    """Several related records (the contacts at a consultation): a list plus a picker."""

    def __init__(self, spec: FieldSpec, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        column = QVBoxLayout()
        self._layout.addLayout(column, 1)
        self.list = QListWidget(objectName=f"edit_{spec.name}")
        self.list.setAccessibleName(spec.label)
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 4 + 12)
        column.addWidget(self.list)
        row = QHBoxLayout()
        self.picker = RefEditor(FieldSpec(spec.name, FieldKind.REF, spec.label, False,
                                          ref=spec.ref), runner)
        self.picker.setObjectName(f"picker_{spec.name}")
        self.picker.picked.connect(self._add)
        remove = QPushButton(_("Remove"), objectName=f"remove_{spec.name}")
        remove.setAccessibleName(_("Remove from {field}").format(field=spec.label))
        remove.clicked.connect(self._remove)
        row.addWidget(self.picker, 1)
        row.addWidget(remove)
        column.addLayout(row)

    def _add(self) -> None:
        record_id, label = self.picker.record_id, self.picker.label_text()
        if record_id and record_id not in self.value():
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
        self.picker.set_value(None)  # empty again for the next person
        self.corrected.emit()

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def value(self) -> Any:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())]

    def set_value(self, value: Any, label: str | None = None) -> None:
        self.list.clear()
        ids = list(value or ())
        names = self.labels(ids)
        for record_id in ids:
            item = QListWidgetItem(names.get(record_id, record_id), self.list)
            item.setData(Qt.ItemDataRole.UserRole, record_id)

    def first_line_offset(self) -> int:
        return self.list.frameWidth() + 1

    def labels(self, ids: list[str]) -> dict[str, str]:
        return self.picker.runner.fetch(records.labels, entity=self.spec.ref, record_ids=ids)

    def problem(self) -> str | None:
        return self.picker.problem()

    def label_text(self) -> str:
        return ", ".join(self.list.item(i).text() for i in range(self.list.count()))

