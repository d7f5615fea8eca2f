"""Working from an open record: a visit recorded from a cluster's pane, its plan's document."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QPushButton
from ui_helpers import in_modal, type_into, type_text

from euregionet_desktop import i18n
from euregionet_desktop.services import demo, documents, records, relations
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.relations import RELATIONS
from euregionet_desktop.ui.child_rows import ChildSection, RowDialog
from euregionet_desktop.ui.detail_pane import DetailPane, RelationTab
from euregionet_desktop.ui.document_dialogs import (
    KIND_FOR_ENTITY,
    DocumentPlaces,
    GenerateDocumentDialog,
)
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.record_dialog import RecordDialog

CTRL = Qt.KeyboardModifier.ControlModifier



@pytest.fixture
def demo_window(qtbot, core, polish, crash_fails):
    """The main window on demo data (LOP office, advisor Anna Nowak), 1280×800."""
    core.backend.run(demo.generate)
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.runner.wait()


def _tab(detail: DetailPane, key: str) -> RelationTab:
    return next(t for t in detail.relation_tabs if t.relation.key == key)


def show_tab(qtbot, detail: DetailPane, tab: RelationTab) -> None:
    """Bring a tab up as a person does: a click on its name, or, when the names do not
    fit, its name typed into the selector that stands in for the tab bar."""
    index = detail.tabs.indexOf(tab)
    if detail.tabs.tabBar().isVisible():
        bar = detail.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    else:
        selector = detail.tabs.selector
        assert selector.isVisible()
        selector.setFocus()
        # A person's pause: keys typed within the keyboard-input interval would continue
        # the previous search ("Konsultacje" + "Plany…" matches nothing).
        qtbot.wait(QApplication.keyboardInputInterval() + 50)
        type_text(qtbot, selector, detail.tabs.tabText(index))
    assert detail.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.loaded_for == detail.record.id and not tab.reading)


def click_row(qtbot, table, row: int) -> None:
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(table.model().index(row, 0)).center())


def test_a_visit_is_recorded_from_the_cluster_and_its_plan_document_made(
        qtbot, demo_window, core, tmp_path):
    """Search "szlak wina", Enter, New consultation pre-filled, subject, a participant
    through the picker, a follow-up, Ctrl+S saves at once; the plan's document from the
    same pane in Polish, named with the plan's title once."""
    window = demo_window
    info = core.backend.read(profile_info)
    [lop] = core.backend.read(records.list_ids, entity="office", where={"code": "LOP"})
    today = dt.date.today()

    # Global search, Enter: the cluster is selected in its list.
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    assert window.search.edit.hasFocus()
    qtbot.keyClicks(window.search.edit, "szlak wina")
    qtbot.waitUntil(lambda: window.search.model.query == "szlak wina"
                    and window.search.model.rowCount() > 1)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    clusters = window.lists["cluster"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is clusters)
    cluster = clusters.current_id()
    detail = clusters.detail
    assert detail.heading.text() == "Klaster Lubuski Szlak Wina i Miodu"
    # Twelve tabs (details, a tab per relation, notes, attachments, history) do not fit
    # at 1280 px: a selector stands in, no tab hides behind arrows.
    assert not detail.tabs.tabBar().isVisible() and detail.tabs.selector.isVisible()
    assert detail.tabs.selector.count() == detail.tabs.count() == (
        4 + len(RELATIONS["cluster"])) == 12

    # The person to add as a participant: one of the cluster's people.
    people = core.backend.read(relations.related_ids, entity="cluster", record_id=cluster,
                               key="contacts")
    person = core.backend.read(records.get, entity="contact", record_id=people[0])
    consultations = _tab(detail, "consultations")
    show_tab(qtbot, detail, consultations)
    before = consultations.count()
    assert consultations.new_button.text() == "Nowa konsultacja…"

    def record_the_visit(dialog: RecordDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        form = dialog.form
        values = form.values()
        # Pre-filled: the cluster, this installation's advisor and office, today.
        assert values["cluster_id"] == cluster
        assert values["advisor_id"] == info.advisor_id
        assert values["office_id"] == lop
        assert values["held_at"].startswith(today.isoformat())
        assert form.editors["cluster_id"].edit.text() == "Klaster Lubuski Szlak Wina i Miodu"
        assert form.editors["advisor_id"].edit.text() == "Anna Nowak"
        # Typing starts in the subject.
        subject = form.editors["subject"].edit
        assert QApplication.focusWidget() is subject
        type_text(qtbot, subject, "Degustacja – wspólna promocja szlaku")

        picker = form.editors["contact_ids"].picker
        picker.edit.setFocus()
        type_text(qtbot, picker.edit, person.values["last_name"])
        popup = picker.completer.popup()
        qtbot.waitUntil(lambda: popup.isVisible() and picker.names.rowCount() > 0)
        row = next(i for i, (record_id, _label) in enumerate(picker._choices)
                   if record_id == person.id)
        for _step in range(row + 1):
            qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert form.editors["contact_ids"].value() == [person.id]
        assert picker.edit.text() == ""  # the picker empties itself once the choice is added

        section = dialog.findChild(ChildSection, "followUps")

        def follow_up(row_dialog: RowDialog) -> None:
            type_into(qtbot, row_dialog.form, "title", "Wysłać ofertę wspólnego stoiska")
            type_into(qtbot, row_dialog.form, "due_on",
                      (today + dt.timedelta(days=7)).strftime("%d.%m.%Y"))
            row_dialog.keep()
            assert row_dialog.result() == QDialog.DialogCode.Accepted, \
                row_dialog.banner.text()

        in_modal(qtbot, section.add_row, follow_up)
        dialog.activateWindow()  # back from the follow-up's dialog, as a window manager does
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(subject, Qt.Key.Key_S, CTRL)
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, lambda: qtbot.mouseClick(consultations.new_button,
                                             Qt.MouseButton.LeftButton), record_the_visit)

    # What the database holds.
    [saved] = [c for c in core.backend.read(records.list_page, entity="consultation",
                                            where={"cluster_id": cluster}).rows
               if c.values["subject"] == "Degustacja – wspólna promocja szlaku"]
    assert saved.values["advisor_id"] == info.advisor_id
    assert saved.values["office_id"] == lop
    assert saved.values["contact_ids"] == [person.id]
    assert saved.values["held_at"].startswith(today.isoformat())
    [task] = core.backend.read(records.list_page, entity="task",
                               where={"consultation_id": saved.id}).rows
    assert task.values["title"] == "Wysłać ofertę wspólnego stoiska"
    assert task.values["due_on"] == today + dt.timedelta(days=7)
    # The new visit is listed in the tab, selected.
    qtbot.waitUntil(lambda: not consultations.reading)
    assert consultations.count() == before + 1
    assert consultations.current_id() == saved.id

    # The cluster's action plan: its document from the same pane, Polish by default.
    [plan_id] = core.backend.read(records.list_ids, entity="action_plan",
                                  where={"cluster_id": cluster})
    plan = core.backend.read(records.get, entity="action_plan", record_id=plan_id)
    window.activateWindow()  # back from the form, as a window manager does
    qtbot.waitUntil(window.isActiveWindow)
    plans = _tab(detail, "action_plans")
    show_tab(qtbot, detail, plans)
    click_row(qtbot, plans.table, plans.model.row_of(plan_id))
    assert plans.current_id() == plan_id and plans.generate_button.isEnabled()
    window.places.remember(folder=tmp_path)  # the folder chosen last time; no language
    chosen = []

    def generate(dialog: GenerateDocumentDialog) -> None:
        assert dialog.languages.language() == "pl"
        name = dialog.path().name
        assert name.count(plan.values["title"]) == 1
        assert name.count("Plan działań") == 1
        assert today.isoformat() in name
        heading = dialog.findChild(QLabel, "generateSubject").text()  # the kind once too
        assert heading.count("Plan działań") == 1 and plan.values["title"] in heading
        dialog.open_after.click()  # not opened: no word processor here
        chosen.append(dialog.path())
        qtbot.mouseClick(dialog.findChild(QPushButton, "generateAccept"),
                         Qt.MouseButton.LeftButton)

    plans.table.setFocus()
    in_modal(qtbot, lambda: qtbot.keyClick(plans.table, Qt.Key.Key_G, CTRL), generate)
    [path] = chosen
    qtbot.waitUntil(lambda: path.exists() and path.name in window.statusBar().currentMessage(),
                    timeout=30_000)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert plan.values["title"] in text or "Klaster Lubuski Szlak Wina i Miodu" in text
    [stored] = [d for d in core.backend.read(documents.stored_documents)
                if d.file_name == path.name]
    assert stored.language == "pl"


def test_relation_tab_menu_offers_edit_generate_and_new(qtbot, demo_window, core,
                                                        monkeypatch):
    """An action plan in a cluster's tab: Enter opens its form, the menu has Generate
    document… with its key and New action plan…"""
    window = demo_window
    plan_id = core.backend.read(records.list_ids, entity="action_plan")[0]
    plan = core.backend.read(records.get, entity="action_plan", record_id=plan_id)
    window.open_record("cluster", plan.values["cluster_id"])
    detail = window.lists["cluster"].detail
    plans = _tab(detail, "action_plans")
    show_tab(qtbot, detail, plans)
    click_row(qtbot, plans.table, plans.model.row_of(plan_id))
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, _pos: shown.append(menu))
    plans.table.customContextMenuRequested.emit(
        plans.table.visualRect(plans.model.index(plans.model.row_of(plan_id), 0)).center())
    [menu] = shown
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["Edytuj…", "Pokaż na liście", "&Generuj dokument…",
                     "Nowy plan działań…"]
    assert plans.generate_action.shortcut().toString() == "Ctrl+G"

    def opened(dialog: RecordDialog) -> None:
        assert dialog.record_id == plan_id
        assert dialog.form.editors["title"].value() == plan.values["title"]

    plans.table.setFocus()
    in_modal(qtbot, lambda: qtbot.keyClick(plans.table, Qt.Key.Key_Return), opened)


@pytest.mark.parametrize(("language", "expected"), [("pl", "pl"), ("de", "de"),
                                                    ("en", "pl+de")])
def test_document_language_follows_the_window_until_one_is_chosen(language, expected):
    """Nothing chosen yet: the window's language (both side by side for English); a
    language chosen once is offered again."""
    before = i18n.current_language()
    try:
        i18n.set_language(language)
        places = DocumentPlaces()
        assert places.language() == expected
        places.remember(language="de" if expected != "de" else "pl")
        assert places.language() == ("de" if expected != "de" else "pl")
    finally:
        i18n.set_language(before)


def test_tab_leaves_the_date_and_time_at_once_and_typing_starts_in_the_subject(
        qtbot, demo_window):
    """A new consultation opens with the subject focused; Tab in its date goes to its time
    of day and on to the next field, not through day, month, year, hour and minute (nor
    the calendar button)."""
    window = demo_window
    window.go_to(window.views.index(window.lists["consultation"]))

    def tab_through(dialog: RecordDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert QApplication.focusWidget() is dialog.form.editors["subject"].edit
        held_at = dialog.form.editors["held_at"]
        held_at.day.edit.setFocus()
        qtbot.keyClick(held_at.day.edit, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is held_at.time
        qtbot.keyClick(held_at.time, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.form.editors["duration_minutes"].edit

    in_modal(qtbot, window.new_action.trigger, tab_through)


def test_new_records_from_a_pane_start_with_what_the_pane_knows(qtbot, demo_window, core):
    """From a cluster: an evaluation of today by this advisor and office; from a
    consultation: a follow-up for its cluster and organisation, assigned to this advisor."""
    window = demo_window
    info = core.backend.read(profile_info)
    [lop] = core.backend.read(records.list_ids, entity="office", where={"code": "LOP"})
    cluster = core.backend.read(records.list_ids, entity="cluster")[0]
    window.open_record("cluster", cluster)
    detail = window.lists["cluster"].detail
    evaluations = _tab(detail, "evaluations")
    show_tab(qtbot, detail, evaluations)

    def evaluation(dialog: RecordDialog) -> None:
        values = dialog.form.values()
        assert (values["cluster_id"], values["evaluator_id"], values["office_id"]) == \
            (cluster, info.advisor_id, lop)
        assert values["evaluated_on"] == dt.date.today()

    in_modal(qtbot, lambda: qtbot.mouseClick(evaluations.new_button,
                                             Qt.MouseButton.LeftButton), evaluation)

    consultation = next(c for c in core.backend.read(records.list_page,
                                                     entity="consultation").rows
                        if c.values["cluster_id"] and c.values["organisation_id"])
    window.activateWindow()
    window.open_record("consultation", consultation.id)
    detail = window.lists["consultation"].detail
    tasks = _tab(detail, "tasks")
    show_tab(qtbot, detail, tasks)
    # The pane's own menu offers the same.
    assert [a.text() for a in detail.new_button.menu().actions()] == \
        ["Nowe działanie następcze…"]

    def follow_up(dialog: RecordDialog) -> None:
        values = dialog.form.values()
        assert values["consultation_id"] == consultation.id
        assert values["cluster_id"] == consultation.values["cluster_id"]
        assert values["organisation_id"] == consultation.values["organisation_id"]
        assert values["assignee_id"] == info.advisor_id
        assert dialog.focusWidget() is dialog.form.editors["title"].edit

    in_modal(qtbot, lambda: qtbot.mouseClick(tasks.new_button, Qt.MouseButton.LeftButton),
             follow_up)


def test_tabs_show_whole_when_they_fit_and_a_selector_when_not(qtbot, demo_window, core):
    """A cluster's nine tabs: a tab bar in a wide window, the selector at 1280 px; the
    selector and the tabs show the same tab."""
    window = demo_window
    window.open_record("cluster", core.backend.read(records.list_ids, entity="cluster")[0])
    tabs = window.lists["cluster"].detail.tabs
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: tabs.selector.isVisible())
    assert not tabs.tabBar().isVisible()
    tabs.selector.setCurrentIndex(5)
    assert tabs.currentIndex() == 5
    window.resize(2600, 1000)
    splitter = window.lists["cluster"].splitter
    splitter.setSizes([600, 2000])
    qtbot.waitUntil(lambda: tabs.tabBar().isVisible())
    assert not tabs.selector.isVisible()
    tabs.setCurrentIndex(2)
    assert tabs.selector.currentIndex() == 2


def test_ctrl_g_in_a_list_generates_the_selected_record_and_clashes_with_nothing(
        qtbot, demo_window):
    """Ctrl+G on an action plan in its list opens the generate dialog (Polish, as the
    window); no other action of the window has that key."""
    window = demo_window
    holders = [action.objectName() for action in window.findChildren(QAction)
               if "Ctrl+G" in [key.toString() for key in action.shortcuts()]]
    # The window's action, and those of the relation tabs listing records with a document,
    # which live in the panes of lists without one (clusters, organisations), where the
    # window's action is off: never two at once.
    assert holders.count("actionGenerateDocument") == 1
    assert all(name.startswith("generate_") for name in holders
               if name != "actionGenerateDocument")
    for entity, view in window.lists.items():
        with_key = [t for t in view.detail.relation_tabs if t.generate_action is not None]
        assert not with_key or entity not in KIND_FOR_ENTITY
    plans = window.lists["action_plan"]
    window.go_to(window.views.index(plans))
    click_row(qtbot, plans.table, 0)
    asked = []

    def generate(dialog: GenerateDocumentDialog) -> None:
        asked.append((dialog.languages.language(), dialog.path().name))

    in_modal(qtbot, lambda: qtbot.keyClick(plans.table, Qt.Key.Key_G, CTRL), generate)
    [(language, name)] = asked
    # The plan's title as the list shows it: Polish, or German where it has only that one.
    title = plans.model.index(0, 0).data() or plans.model.index(0, 1).data()
    assert language == "pl" and name.startswith(title) and name.count(title) == 1


def test_a_record_in_a_tab_is_edited_in_place_and_the_tab_shows_it(qtbot, demo_window,
                                                                   core):
    """Enter on a consultation in the cluster's tab opens its form; the subject changed
    and saved shows in the tab, the same row still selected, the cluster still open."""
    window = demo_window
    cluster = next(c for c in core.backend.read(records.list_ids, entity="cluster")
                   if core.backend.read(records.list_ids, entity="consultation",
                                        where={"cluster_id": c}))
    window.open_record("cluster", cluster)
    detail = window.lists["cluster"].detail
    consultations = _tab(detail, "consultations")
    show_tab(qtbot, detail, consultations)
    click_row(qtbot, consultations.table, 0)
    chosen = consultations.current_id()

    def edit(dialog: RecordDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.record_id == chosen
        type_into(qtbot, dialog.form, "subject", "Zmieniony temat wizyty")
        qtbot.keyClick(dialog.form.editors["subject"].edit, Qt.Key.Key_S, CTRL)
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    consultations.table.setFocus()
    in_modal(qtbot, lambda: qtbot.keyClick(consultations.table, Qt.Key.Key_Return), edit)
    qtbot.waitUntil(lambda: not consultations.reading)
    assert window.lists["cluster"].current_id() == cluster
    assert consultations.current_id() == chosen
    row = consultations.model.row_of(chosen)
    column = list(consultations.relation.columns).index("subject")
    assert consultations.model.index(row, column).data() == "Zmieniony temat wizyty"
    assert core.backend.read(records.get, entity="consultation",
                             record_id=chosen).values["subject"] == "Zmieniony temat wizyty"
