"""Exports from the window, driven as a person: filter a list, sort it, right-click, Export
list…; File > Export; then the file read back as a spreadsheet, address book or calendar
program reads it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest
import vobject
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton
from python_calamine import CalamineWorkbook

from euregionet_desktop.services import records
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.tasks import TaskScope, TaskStatus
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.main_window import MainWindow

TODAY = dt.date.today()
# last name, first name, e-mail
PEOPLE = [
    ("Kowalski", "Jan", "jan@kowalski.pl"),
    ("Nowak", "Ewa", "ewa@nowak.pl"),
    ("Kowalska", "Zofia", "zofia@kowalska.pl"),
    ("Müller", "Hans", "hans@mueller.de"),
    ("Kowalczyk", "Łukasz", "lukasz@kowalczyk.pl"),
]


@pytest.fixture
def people(add) -> dict[str, str]:
    """Five contacts by last name; three of them named Kowal…"""
    firm = add("organisation", name="Odlewnia Żary", city="Żary", country="PL")
    return {last: add("contact", last_name=last, first_name=first, email=email,
                      organisation_id=firm) for last, first, email in PEOPLE}


@pytest.fixture
def window(qtbot, core, people, crash_fails):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.wait()


@pytest.fixture
def save_as(monkeypatch):
    """The save dialog answers with the file (and file type) the test sets; what it was
    asked (caption, suggested path, filters) is kept."""
    answer: dict[str, str] = {}
    asked: list[tuple[str, str, str]] = []

    def ask(parent, caption, suggested, filters, selected=""):
        asked.append((caption, suggested, filters))
        return answer["path"], answer.get("filter", selected)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    answer["asked"] = asked  # type: ignore[assignment]
    return answer


def open_list(qtbot, window, entity: str) -> RecordListView:
    view = window.lists[entity]
    window.go_to(window.views.index(view))
    assert window.stack.currentWidget() is view
    return view


def type_filter(qtbot, view: RecordListView, text: str, rows: int) -> None:
    qtbot.keyClicks(view.filter, text)
    qtbot.waitUntil(lambda: view.model.filter_text == text and view.model.rowCount() == rows,
                    timeout=3000)


def click_header(qtbot, view: RecordListView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def shown(view: RecordListView, column: int = 0) -> list[str]:
    return [view.model.index(row, column).data() for row in range(view.model.rowCount())]


def context_action(view: RecordListView, name: str, row: int = 0) -> QAction:
    """Right-click on a row; the entry of the menu the list builds, by its object name."""
    rect = view.table.visualRect(view.model.index(row, 0))
    view.table.customContextMenuRequested.emit(rect.center())
    menu = next(m for m in view.findChildren(QMenu, f"{view.object_prefix}Menu")
                if m.isVisible())
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled()
    menu.close()
    return action


def run_export(qtbot, window, action: QAction) -> str:
    """Trigger an export and wait for its worker; the status bar's message (shown with
    the link to the folder once the file is written)."""
    window.statusBar().clearMessage()
    assert not window.exports.folder_link.isVisible()
    action.trigger()
    window.runner.wait()
    qtbot.waitUntil(window.exports.folder_link.isVisible, timeout=5000)
    return window.statusBar().currentMessage()


def read_csv(path: Path, separator: str) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                           delimiter=separator))


def test_the_filtered_sorted_contacts_list_goes_to_csv_as_shown(
        polish, qtbot, window, save_as, tmp_path):
    """Filter "kowal", sort by last name downwards, right-click, Export list…, choose the
    CSV type: the file has the Polish headers and exactly the three rows in that order."""
    view = open_list(qtbot, window, "contact")
    type_filter(qtbot, view, "kowal", 3)
    click_header(qtbot, view, 0)
    qtbot.waitUntil(lambda: shown(view) == ["Kowalski", "Kowalska", "Kowalczyk"],
                    timeout=3000)
    target = tmp_path / "moje kontakty.csv"
    save_as["path"], save_as["filter"] = str(target), "CSV dla Excela (*.csv)"
    said = run_export(qtbot, window, context_action(view, "contactsExportList"))

    caption, suggested, filters = save_as["asked"][0]
    assert caption == "Eksport: Kontakty" and Path(suggested).name == "kontakty.xlsx"
    assert filters == "Skoroszyt Excela (*.xlsx);;CSV dla Excela (*.csv)"
    rows = read_csv(target, ";")
    header = rows[0]
    assert {"Nazwisko", "Imię", "Organizacja"} <= set(header) and header[-1] == "ID"
    last, first = header.index("Nazwisko"), header.index("Imię")
    assert [(row[last], row[first]) for row in rows[1:]] == [
        ("Kowalski", "Jan"), ("Kowalska", "Zofia"), ("Kowalczyk", "Łukasz")]
    assert "3" in said and str(target) in said
    assert window.findChild(QToolButton, "exportOpenFolder").text() == "Otwórz folder"


def test_file_export_current_list_writes_xlsx_and_the_link_opens_the_folder(
        english, qtbot, window, save_as, tmp_path, monkeypatch):
    """File > Export > Current list… with a filter typed: a workbook of the rows shown,
    a name without a suffix getting the chosen type's; the status bar's link opens the
    folder the file went to."""
    view = open_list(qtbot, window, "contact")
    type_filter(qtbot, view, "kowal", 3)
    save_as["path"], save_as["filter"] = str(tmp_path / "members"), "Excel workbook (*.xlsx)"
    said = run_export(qtbot, window, window.findChild(QAction, "actionExportList"))

    target = tmp_path / "members.xlsx"
    sheet = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    last = sheet[0].index("Last name")
    assert [row[last] for row in sheet[1:]] == ["Kowalczyk", "Kowalska", "Kowalski"]
    assert said == f"3 contacts exported to {target}."
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(window.exports.folder_link, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]
    window.statusBar().showMessage("something else")
    assert not window.exports.folder_link.isVisible()


def test_two_selected_contacts_go_to_a_vcard_file(english, qtbot, window, save_as, tmp_path):
    """Click one contact, Ctrl+click another, Export as vCard…: the file holds those two."""
    view = open_list(qtbot, window, "contact")
    names = shown(view)
    for row, modifier in ((names.index("Nowak"), Qt.KeyboardModifier.NoModifier),
                          (names.index("Müller"), Qt.KeyboardModifier.ControlModifier)):
        rect = view.table.visualRect(view.model.index(row, 0))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                         rect.center())
    assert len(view.selected_ids()) == 2
    target = tmp_path / "two.vcf"
    save_as["path"] = str(target)
    action = context_action(view, "contactsExportVCard", names.index("Nowak"))
    assert action.text() == "Export 2 selected contacts as vCard…"
    said = run_export(qtbot, window, action)
    assert Path(save_as["asked"][0][1]).name == "contacts.vcf"
    cards = list(vobject.readComponents(target.read_text(encoding="utf-8")))
    assert sorted(card.n.value.family for card in cards) == ["Müller", "Nowak"]
    assert said == f"2 contacts exported to {target}."


@pytest.mark.parametrize("suffix", ["csv", "vcf"])
def test_a_mailing_export_leaves_out_who_did_not_consent_and_says_how_many(
        english, qtbot, core, people, window, save_as, tmp_path, suffix):
    """Two of the five consented to the programme's communication: the list's Export for a
    mailing… writes those two (filtered "kowal": one) and the message counts who was left
    out; File > Export > Contacts for a mailing… takes every contact."""
    from euregionet_desktop.services import consent

    for last in ("Kowalski", "Nowak"):
        core.backend.run(consent.set_consent, contact_id=people[last],
                         values={"status": "given", "scope": "communication"})
    view = open_list(qtbot, window, "contact")
    type_filter(qtbot, view, "kowal", 3)
    target = tmp_path / f"mailing.{suffix}"
    save_as["path"] = str(target)
    said = run_export(qtbot, window, context_action(view, "contactsExportMailing"))
    assert said == (f"1 contact exported to {target}. 2 contact persons left out: no consent "
                    "to programme communication.")
    text = target.read_text(encoding="utf-8-sig")
    assert "Kowalski" in text and "Kowalska" not in text and "Nowak" not in text
    save_as["path"] = str(tmp_path / f"all.{suffix}")
    said = run_export(qtbot, window, window.findChild(QAction, "actionExportMailing"))
    assert said.endswith("3 contact persons left out: no consent to programme communication.")
    assert said.startswith("2 contacts exported")


def test_my_open_follow_ups_go_to_a_calendar(english, qtbot, core, add, window, save_as,
                                             tmp_path):
    """File > Export > My open follow-ups as iCalendar…: my tasks not done, nobody else's."""
    me = core.backend.read(profile_info).advisor_id
    office = core.backend.read(records.list_ids, entity="office", where={"code": "LOP"})[0]
    colleague = add("advisor", name="Jan Kowalski", office_id=office)
    mine = add("task", title="Call back", due_on=(TODAY + dt.timedelta(days=3)).isoformat(),
               assignee_id=me)
    add("task", title="Done already", due_on="2025-05-02", done=True, assignee_id=me)
    add("task", title="Not mine", due_on=TODAY.isoformat(), assignee_id=colleague)
    target = tmp_path / "follow-ups.ics"
    save_as["path"] = str(target)
    said = run_export(qtbot, window, window.findChild(QAction, "actionExportFollowUps"))

    assert Path(save_as["asked"][0][1]).name == "my open follow-ups.ics"
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    todos = [c for c in calendar.walk("VTODO")]
    assert [(str(t["SUMMARY"]), str(t["UID"])) for t in todos] == [
        ("Call back", f"{mine}@euregionet")]
    assert said == f"1 calendar entry exported to {target}."


def test_the_tasks_list_exports_the_tasks_it_shows(english, qtbot, core, add, window,
                                                    save_as, tmp_path):
    """The Tasks list on everyone's done tasks: Export list… and Add to calendar… take
    those, not the open ones the filter text alone would find too."""
    me = core.backend.read(profile_info).advisor_id
    add("task", title="Call back", due_on=TODAY.isoformat(), assignee_id=me)
    done = add("task", title="Called back", due_on="2025-05-02", done=True, assignee_id=me)
    view = open_list(qtbot, window, "task")
    view.show_filtered(status=TaskStatus.DONE, scope=TaskScope.ALL)
    assert view.model.rowCount() == 1
    save_as["path"] = str(tmp_path / "tasks.csv")
    run_export(qtbot, window, context_action(view, "tasksExportList"))
    rows = read_csv(tmp_path / "tasks.csv", ",")
    assert [row[-1] for row in rows[1:]] == [done]

    save_as["path"] = str(tmp_path / "tasks.ics")
    run_export(qtbot, window, context_action(view, "tasksExportCalendar"))
    calendar = icalendar.Calendar.from_ical((tmp_path / "tasks.ics").read_bytes())
    assert [str(t["SUMMARY"]) for t in calendar.walk("VTODO")] == ["Called back"]


def test_events_list_adds_its_events_to_a_calendar(english, qtbot, add, window, save_as,
                                                   tmp_path):
    add("event", title_pl="Forum klastrów", title_de="Clusterforum", kind="workshop",
        starts_on=TODAY.isoformat())
    view = open_list(qtbot, window, "event")
    save_as["path"] = str(tmp_path / "events.ics")
    said = run_export(qtbot, window, context_action(view, "eventsExportCalendar"))
    assert Path(save_as["asked"][0][1]).name == "events.ics"
    calendar = icalendar.Calendar.from_ical((tmp_path / "events.ics").read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 1
    assert said.startswith("1 calendar entry exported")


def test_an_unwritable_folder_is_one_line_and_leaves_no_file(english, qtbot, window,
                                                              save_as, tmp_path, told):
    view = open_list(qtbot, window, "contact")
    target = tmp_path / "no-such-folder" / "contacts.csv"
    save_as["path"] = str(target)
    context_action(view, "contactsExportList").trigger()
    window.runner.wait()
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=5000)
    (message,) = told["warning"]
    assert "\n" not in message and "no-such-folder" in message
    assert not target.exists() and not target.parent.exists()
    assert "exported" not in window.statusBar().currentMessage()
    assert not window.exports.folder_link.isVisible()


def test_cancelling_the_save_dialog_exports_nothing(english, qtbot, window, save_as,
                                                    tmp_path):
    view = open_list(qtbot, window, "contact")
    save_as["path"] = ""
    context_action(view, "contactsExportList").trigger()
    window.runner.wait()
    assert list(tmp_path.glob("*.csv")) == [] and list(tmp_path.glob("*.xlsx")) == []
    assert "exported" not in window.statusBar().currentMessage()


def test_current_list_is_offered_only_where_a_list_is_shown(english, qtbot, window):
    """On the dashboard File > Export > Current list… is greyed; on a list it is not."""
    menu = window.findChild(QMenu, "menuExport")
    for row, offered in ((0, False), (window.views.index(window.lists["organisation"]), True)):
        window.go_to(row)
        menu.popup(window.mapToGlobal(QPoint(40, 40)))
        qtbot.waitUntil(menu.isVisible, timeout=3000)
        assert window.findChild(QAction, "actionExportList").isEnabled() is offered
        menu.close()
