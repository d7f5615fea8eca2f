"""Driving the record forms as a person does: typing, picking from suggestions, saving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from euregionet_desktop.ui.field_editors import (
    ChoiceEditor,
    ChoicesEditor,
    DateEditor,
    FlagEditor,
    LongTextEditor,
    RefEditor,
    TextEditor,
)
from euregionet_desktop.ui.record_form import RecordForm


def in_modal(qtbot, trigger: Callable[[], Any], handle: Callable[[QDialog], None]) -> Any:
    """Run ``trigger`` (which opens a modal dialog) and ``handle`` the dialog meanwhile."""
    handled: list[bool] = []
    failures: list[BaseException] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, act)
            return
        try:
            handle(dialog)
        except BaseException as error:  # raised again below, outside Qt's event loop
            failures.append(error)
        finally:
            handled.append(True)
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)

    QTimer.singleShot(0, act)
    result = trigger()
    if failures:
        raise failures[0]
    assert handled, "the dialog did not open"
    return result


def type_text(qtbot, widget, text: str) -> None:
    """Key presses for each character; QTest only knows ASCII, so others are sent as the
    key events a Polish or German keyboard layout produces (text without a key code)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))


def type_into(qtbot, form: RecordForm, name: str, text: str) -> None:
    """Replace a field's text by typing it."""
    editor = form.editors[name]
    assert isinstance(editor, TextEditor | DateEditor | LongTextEditor), name
    editor.edit.clear()
    type_text(qtbot, editor.edit, text)


def choose(form: RecordForm, name: str, value: str) -> None:
    editor = form.editors[name]
    assert isinstance(editor, ChoiceEditor), name
    editor.combo.setCurrentIndex(editor.combo.findData(value))
    assert editor.value() == value


def check(form: RecordForm, name: str, on: bool = True) -> None:
    editor = form.editors[name]
    assert isinstance(editor, FlagEditor), name
    if editor.check.isChecked() != on:
        editor.check.click()


def tick(form: RecordForm, name: str, values: list[str]) -> None:
    editor = form.editors[name]
    assert isinstance(editor, ChoicesEditor), name
    for index in range(editor.list.count()):
        item = editor.list.item(index)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                           in values else Qt.CheckState.Unchecked)


def pick(qtbot, form: RecordForm, name: str, typed: str, expected: str | None = None) -> None:
    """Type part of a name into a picker and take the first suggestion with the keyboard."""
    editor = form.editors[name]
    assert isinstance(editor, RefEditor), name
    editor.edit.setFocus()
    editor.edit.clear()
    type_text(qtbot, editor.edit, typed)
    popup = editor.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and editor.names.rowCount() > 0, timeout=3000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.record_id is not None, timeout=3000)
    if expected is not None:
        assert editor.edit.text().startswith(expected)


def show_view(qtbot, window, view):
    """Click ``view``'s entry in the sidebar as a person does and wait until it has loaded
    (the work-list views emit ``loaded`` when their lines are the current ones)."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                         pos=window.navigation.visualItemRect(
                             window.navigation.item(window.views.index(view))).center())
    assert window.stack.currentWidget() is view
    return view
