"""Every view of the sidebar has keys of its own, shown in the View menu."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def test_every_view_is_reached_with_its_shortcut(qtbot, window):
    """All twelve views have a distinct shortcut in the View menu; pressing it shows the
    view (Ctrl+1…9, Ctrl+0, then Ctrl+Shift+1, Ctrl+Shift+2)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    [view_menu] = [a.menu() for a in window.menuBar().actions()
                   if a.menu() and window.findChild(QAction, "actionView0") in a.menu().actions()]
    actions = [a for a in view_menu.actions() if a.objectName().startswith("actionView")]
    assert len(actions) == len(window.views) >= 12
    shortcuts = [a.shortcut() for a in actions]
    assert all(not s.isEmpty() for s in shortcuts)
    assert len({s.toString() for s in shortcuts}) == len(shortcuts)
    assert shortcuts[9] == QKeySequence("Ctrl+0")
    assert shortcuts[10] == QKeySequence("Ctrl+Shift+1")
    for row in reversed(range(len(window.views))):
        combined = shortcuts[row][0]
        qtbot.keyClick(window.navigation, combined.key(), combined.keyboardModifiers())
        assert window.navigation.currentRow() == row, shortcuts[row].toString()
        assert window.stack.currentWidget() is window.views[row]
