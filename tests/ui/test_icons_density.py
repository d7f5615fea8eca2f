"""One icon theme for toolbar, sidebar and dialogs; an Undo button that does not grow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMenu,
    QStyleFactory,
    QToolBar,
    QToolButton,
)

from euregionet_desktop.services import records
from euregionet_desktop.ui.child_rows import ChildSection
from euregionet_desktop.ui.icons import ICON_DIRS, ThemedStyle, icon, use_icon_theme
from euregionet_desktop.ui.main_window import VIEW_ICONS, MainWindow
from euregionet_desktop.ui.record_dialog import RecordDialog


@pytest.fixture
def themed(qapp):
    """The application's style as app.run sets it; the plain style again afterwards."""
    before = qapp.style().name()
    use_icon_theme(qapp)
    yield
    QApplication.setStyle(QStyleFactory.create(before))


def same_picture(first, second) -> bool:
    return first.pixmap(16, 16).toImage() == second.pixmap(16, 16).toImage()


def test_every_named_icon_is_bundled_and_drawn(qapp):
    """Headless there is no desktop theme: each name falls back to our SVG, which draws."""
    folder = next(folder for folder in ICON_DIRS if folder.is_dir())
    assert (folder / "LICENSE").is_file() and (folder / "README.md").is_file()
    for name in {*VIEW_ICONS.values(), "document-new", "document-edit", "edit-delete",
                 "edit-undo", "edit-redo", "edit-find", "document-save", "dialog-ok",
                 "dialog-cancel", "dialog-warning", "document-export"}:
        assert (folder / f"{name}.svg").is_file(), name
        assert not icon(name).pixmap(16, 16).isNull(), name


def test_sidebar_and_toolbar_carry_icons(window):
    """Every view in the sidebar and every toolbar button shows an icon."""
    for row in range(window.navigation.count()):
        item = window.navigation.item(row)
        assert not item.icon().isNull(), item.text()
    toolbar = window.findChild(QToolBar, "mainToolbar")
    buttons = [a for a in toolbar.actions()
               if isinstance(toolbar.widgetForAction(a), QToolButton)]
    assert len(buttons) == 5  # New, Edit, Delete, Undo, Redo
    for action in buttons:
        assert not action.icon().isNull(), action.text()
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


def test_undo_button_keeps_its_width_and_names_the_step_in_its_tooltip(qtbot, window, core,
                                                                       add, english):
    """Deleting a record makes Undo "Undo Delete Cluster" in the menu; the toolbar button
    still says "Undo", is as wide as before, nothing beside it moves, and its tooltip names
    the step with its shortcut."""
    add("cluster", name_pl="Klaster Próbny", kind="cluster", country="PL")
    toolbar = window.findChild(QToolBar, "mainToolbar")
    undo = toolbar.widgetForAction(window.undo_action)
    redo = toolbar.widgetForAction(window.redo_action)
    before = (undo.width(), redo.x(), undo.text())
    view = window.lists["cluster"]
    window.go_to(window.views.index(view))
    view.table.selectRow(0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert core.backend.read(records.list_page, entity="cluster").rows == ()
    assert window.undo_action.text() == "&Undo Delete Cluster"
    qtbot.wait(10)
    assert (undo.width(), redo.x(), undo.text()) == before == (before[0], before[1], "Undo")
    shortcut = QKeySequence(QKeySequence.StandardKey.Undo).toString(
        QKeySequence.SequenceFormat.NativeText)
    assert undo.toolTip() == f"Undo Delete Cluster ({shortcut})"


def test_dialog_buttons_use_the_toolbar_theme(qtbot, window, themed):
    """With app.run's style a form's Save and Cancel carry the theme's document-save and
    dialog-cancel icons, not Qt's stock ones."""
    assert isinstance(QApplication.style(), ThemedStyle)
    dialog = RecordDialog(window.runner, "cluster", parent=window)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    save = box.button(QDialogButtonBox.StandardButton.Save)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert same_picture(save.icon(), icon("document-save"))
    assert same_picture(cancel.icon(), icon("dialog-cancel"))
    assert not same_picture(save.icon(), icon("dialog-cancel"))


def visible_columns(view) -> list[str]:
    header = view.table.horizontalHeader()
    return [spec.name for column, spec in enumerate(view.model.columns)
            if not header.isSectionHidden(column)]


def show_list(qtbot, window, entity: str, width: int, height: int):
    window.resize(width, height)
    view = window.lists[entity]
    window.go_to(window.views.index(view))
    qtbot.waitUntil(lambda: view.table.viewport().width() > 0)
    qtbot.wait(20)
    return view


def test_lists_show_the_columns_that_fit_and_the_header_menu_brings_back_others(
        qtbot, window, core, add, english):
    """At 1280 px the contacts list shows its first columns whole, no horizontal scroll bar;
    at 1920 px more of them; a hidden column shown from the header's menu stays shown,
    also in the next window."""
    add("contact", first_name="Ewa", last_name="Nowak", email="ewa@example.pl")
    view = show_list(qtbot, window, "contact", 1280, 800)
    narrow = visible_columns(view)
    header = view.table.horizontalHeader()
    assert narrow[0] == "last_name" and 2 <= len(narrow) < len(view.model.columns)
    assert not view.table.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in range(len(view.model.columns))
               if not header.isSectionHidden(c)) <= view.table.viewport().width()
    wide = visible_columns(show_list(qtbot, window, "contact", 1920, 1080))
    assert len(wide) > len(narrow) and wide[:len(narrow)] == narrow

    show_list(qtbot, window, "contact", 1280, 800)
    assert "phone" not in visible_columns(view)
    view._header_menu(header.rect().center())
    menu = view.findChild(QMenu, "contactsColumns")
    phone = next(a for a in menu.actions() if a.text() == "Phone")
    assert not phone.isChecked()
    phone.trigger()
    menu.close()
    # It takes the room of the least important column shown before, not a scroll bar.
    assert visible_columns(view) == [*narrow[:-1], "phone"]
    assert not view.table.horizontalScrollBar().isVisible()
    window.close()

    again = MainWindow(core)
    qtbot.addWidget(again)
    again.show()
    view = show_list(qtbot, again, "contact", 1280, 800)
    assert "phone" in visible_columns(view)
    assert view.sized_by_hand == set()  # no column was resized by hand, none keeps a width
    assert not view.table.horizontalScrollBar().isVisible()


def test_measures_show_cost_once_with_currency_and_nothing_clipped(qtbot, window, add,
                                                                   english):
    """An action plan's measures in its form: the cost carries its currency and there is
    no currency column beside it; title and status are shown whole."""
    cluster = add("cluster", name_pl="Klaster Metalowy", kind="cluster", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Plan działań 2019")
    title = "Gemeinschaftsstand auf der Messe in Poznań"
    add("measure", action_plan_id=plan, title=title, cost="21750", currency="EUR",
        starts_on="2019-04-01", status="in_progress")
    dialog = RecordDialog(window.runner, "action_plan", record_id=plan, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    section = dialog.findChild(ChildSection, "measures")
    names = [spec.name for spec in section.model.columns]
    assert "currency" not in names
    texts = {name: section.model.index(0, column).data() for column, name in enumerate(names)}
    assert texts["cost"].startswith("€21,750.00") or texts["cost"].endswith("€"), texts
    metrics = section.table.fontMetrics()
    for name in ("title", "status", "cost"):
        column = names.index(name)
        assert section.table.columnWidth(column) >= metrics.horizontalAdvance(texts[name]), name
    assert not section.table.horizontalScrollBar().isVisible()
