"""Exports from the window: each list's context menu and the File menu's Export submenu.

A list goes out as the person sees it (filtered and sorted on screen) to an Excel workbook
or a CSV file Excel opens in columns; contacts also as vCards, events and follow-up tasks
as an iCalendar file. The file is chosen first; the export runs in the thread pool behind
a progress dialog with Cancel (services/table_export.py writes the file whole or not at
all), and the status bar then says how many records went where, with a link to the folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QToolButton, QWidget

from euregionet_desktop.i18n import N_, _, ngettext
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.icons import icon
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.tasks_view import TasksView

if TYPE_CHECKING:
    from euregionet_desktop.services.table_export import ExportResult

# services.table_export is imported when a file is exported: it brings xlsxwriter,
# icalendar and phonenumbers' tables, which a window that never exports does without.

# What the export dialogs remember their folder for (ui/file_dialogs.py's purposes).
EXPORTS = "exports"
# A status-bar notice stays this long (ms); its folder link goes with it.
NOTICE_MS = 15000

# The file name each list suggests, in the interface language (no suffix).
FILE_STEMS: dict[str, str] = {
    "cluster": N_("clusters"),
    "organisation": N_("organisations"),
    "contact": N_("contacts"),
    "consultation": N_("consultations"),
    "task": N_("tasks"),
    "evaluation": N_("evaluations"),
    "action_plan": N_("action plans"),
    "event": N_("events"),
}
FOLLOW_UPS_STEM = N_("my open follow-ups")
MAILING_STEM = N_("contacts for a mailing")

CALENDAR_ENTITIES = frozenset({"event", "task"})
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")


def spreadsheet_filters() -> list[str]:
    """The save dialog's file types for a list, the workbook first."""
    return [_("Excel workbook (*.xlsx)"), _("CSV for Excel (*.csv)")]


def vcard_filter() -> str:
    return _("vCard address book (*.vcf)")


def calendar_filter() -> str:
    return _("iCalendar file (*.ics)")


def _suffix_of(file_filter: str) -> str:
    """``.xlsx`` for "Excel workbook (*.xlsx)"."""
    return file_filter[file_filter.rfind("*.") + 1:].rstrip(")").strip()


def ask_save_path(parent: QWidget | None, places: DocumentPlaces, caption: str, stem: str,
                  filters: list[str]) -> Path | None:
    """Where to write an export suggested as ``stem`` with the first filter's suffix, or
    None. A name without one of the filters' suffixes gets the chosen filter's; the dialog
    starts in the folder exports went to last, and remembers the one chosen."""
    suffixes = [_suffix_of(f) for f in filters]
    chosen, chosen_filter = QFileDialog.getSaveFileName(
        parent, caption, str(places.folder(EXPORTS) / f"{stem}{suffixes[0]}"),
        ";;".join(filters), filters[0])
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in suffixes:
        suffix = _suffix_of(chosen_filter) if chosen_filter in filters else suffixes[0]
        path = path.with_name(f"{path.name}{suffix}")
    places.remember(folder=path.parent, purpose=EXPORTS)
    return path


def shown_ids(view: RecordListView) -> list[str]:
    """The records a list shows, in its order."""
    return [view.model.record_id(row) for row in range(view.model.rowCount())]


class WindowExports(QObject):
    """The export actions of the main window: the File menu's Export submenu and, in each
    list's context menu, Export list…, and Export as vCard… / Add to calendar… where the
    list holds contacts / events or tasks."""

    def __init__(self, window: QWidget, runner: OpRunner, places: DocumentPlaces, *,
                 lists: Mapping[str, RecordListView],
                 current_list: Callable[[], RecordListView | None],
                 status_bar: QStatusBar) -> None:
        super().__init__(window)
        self.owner = window  # the dialogs' parent
        self.runner = runner
        self.places = places
        self.lists = lists
        self.current_list = current_list
        self.status_bar = status_bar
        self._folder: Path | None = None
        self._notice = ""
        self.folder_link = QToolButton(objectName="exportOpenFolder")
        self.folder_link.setText(_("Open folder"))
        self.folder_link.setIcon(icon("folder"))
        self.folder_link.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.folder_link.setAutoRaise(True)
        self.folder_link.clicked.connect(self.open_folder)
        self.folder_link.hide()
        status_bar.addPermanentWidget(self.folder_link)
        status_bar.messageChanged.connect(self._message_changed)

        # The File menu's entries have the sidebar's icons of what they export.
        self.menu = QMenu(_("E&xport"), window, objectName="menuExport")
        self.menu.setIcon(icon("document-export"))
        self.list_action = self._action(self.menu, _("&Current list…"), "actionExportList",
                                        self.export_current_list)
        self.list_action.setIcon(icon("x-office-spreadsheet"))
        self._action(self.menu, _("Contacts as &vCard…"), "actionExportVCards",
                     lambda: self.export_vcards(None)).setIcon(icon("x-office-address-book"))
        self._action(self.menu, _("Contacts for a &mailing (only those who consented)…"),
                     "actionExportMailing", lambda: self.export_mailing(None)).setIcon(
            icon("x-office-address-book"))
        self._action(self.menu, _("&Events as iCalendar…"), "actionExportEvents",
                     lambda: self.export_calendar(None)).setIcon(icon("x-office-calendar"))
        self._action(self.menu, _("My open &follow-ups as iCalendar…"),
                     "actionExportFollowUps", self.export_follow_ups).setIcon(icon("task-due"))
        self.menu.aboutToShow.connect(
            lambda: self.list_action.setEnabled(self.current_list() is not None))
        for view in lists.values():
            self._add_to_list(view)

    def _action(self, owner: QObject, text: str, name: str,
                slot: Callable[[], Any]) -> QAction:
        action = QAction(text, owner, objectName=name)
        action.triggered.connect(lambda _checked=False: slot())
        if isinstance(owner, QMenu):
            owner.addAction(action)
        return action

    def _add_to_list(self, view: RecordListView) -> None:
        """The list's own export entries, after the window's actions on its records in its
        context menu (a separator before them)."""
        prefix = view.object_prefix
        separator = QAction(view)
        separator.setSeparator(True)
        actions = [separator, self._action(view, _("Export list…"), f"{prefix}ExportList",
                                           lambda: self.export_list(view))]
        if view.entity == "contact":
            vcards = self._action(view, _("Export as vCard…"), f"{prefix}ExportVCard",
                                  lambda: self.export_vcards(view))
            view.selection_changed.connect(lambda: self._name_vcard_action(view, vcards))
            actions.append(vcards)
            actions.append(self._action(
                view, _("Export for a mailing (only contact persons who consented)…"),
                f"{prefix}ExportMailing", lambda: self.export_mailing(view)))
        if view.entity in CALENDAR_ENTITIES:
            actions.append(self._action(view, _("Add to calendar (iCalendar)…"),
                                        f"{prefix}ExportCalendar",
                                        lambda: self.export_calendar(view)))
        view.record_actions = [*view.record_actions, *actions]

    @staticmethod
    def _name_vcard_action(view: RecordListView, action: QAction) -> None:
        """Several contacts selected, the entry says it exports those."""
        count = len(view.selected_ids())
        action.setText(_("Export as vCard…") if count < 2 else ngettext(
            "Export {count} selected contact as vCard…",
            "Export {count} selected contacts as vCard…", count).format(count=count))

    # --- the exports -------------------------------------------------------------------
    def export_current_list(self) -> None:
        view = self.current_list()
        if view is not None:
            self.export_list(view)

    def export_list(self, view: RecordListView) -> None:
        """The list as it is on screen: its filter, its sort column and direction (and the
        Tasks view's state and whose, by the records it shows)."""
        path = ask_save_path(self.owner, self.places,
                             _("Export {list}").format(list=view.title),
                             _(FILE_STEMS.get(view.entity, view.entity)),
                             spreadsheet_filters())
        if path is None:
            return
        model = view.model
        self._run("export_list", title=_("Exporting {list}").format(
            list=view.title), what=view.entity, entity=view.entity, path=path,
            format=path.suffix.lower().lstrip("."), filter_text=model.filter_text,
            order_by=model.order_by, descending=model.descending,
            record_ids=shown_ids(view) if isinstance(view, TasksView) else None)

    def export_vcards(self, view: RecordListView | None) -> None:
        """Contacts as an address book: from the list, the selected ones if several are
        selected, else the list as filtered and sorted on screen; from the File menu,
        every contact."""
        path = ask_save_path(self.owner, self.places, _("Export contacts as vCards"),
                             _(FILE_STEMS["contact"]), [vcard_filter()])
        if path is None:
            return
        record_ids = None
        if view is not None:
            selected = view.selected_ids()
            record_ids = selected if len(selected) > 1 else shown_ids(view)
        self._run("export_vcards", title=_("Exporting contacts"), what="contact",
                  path=path, record_ids=record_ids)

    def export_mailing(self, view: RecordListView | None) -> None:
        """Contacts for a mailing, as a workbook, CSV or address book: the list as filtered
        and sorted on screen (from the File menu, every contact) without the persons who
        did not consent to the programme's communication; the message counts them."""
        path = ask_save_path(self.owner, self.places, _("Export contacts for a mailing"),
                             _(MAILING_STEM), [*spreadsheet_filters(), vcard_filter()])
        if path is None:
            return
        title = _("Exporting contacts")
        if path.suffix.lower() == ".vcf":
            self._run("export_vcards", title=title, what="contact", path=path, mailing=True,
                      record_ids=shown_ids(view) if view is not None else None)
            return
        model = view.model if view is not None else None
        self._run("export_list", title=title, what="contact", entity="contact", path=path,
                  format=path.suffix.lower().lstrip("."), mailing=True,
                  filter_text=model.filter_text if model else "",
                  order_by=model.order_by if model else None,
                  descending=model.descending if model else False)

    def export_calendar(self, view: RecordListView | None) -> None:
        """Events (from the File menu, or the Events list: all of them) or the tasks the
        Tasks list shows, as an iCalendar file."""
        entity = view.entity if view is not None else "event"
        path = ask_save_path(self.owner, self.places, _("Export to a calendar"),
                             _(FILE_STEMS[entity]), [calendar_filter()])
        if path is None:
            return
        tasks = entity == "task"
        self._run("export_calendar", title=_("Exporting to a calendar"),
                  what="calendar", path=path, events=not tasks, tasks=tasks,
                  task_ids=shown_ids(view) if tasks and view is not None else None)

    def export_follow_ups(self) -> None:
        """My open follow-up tasks, for the calendar on my phone."""
        path = ask_save_path(self.owner, self.places, _("Export my open follow-ups"),
                             _(FOLLOW_UPS_STEM), [calendar_filter()])
        if path is None:
            return
        self._run("export_calendar", title=_("Exporting to a calendar"),
                  what="calendar", path=path, events=False, tasks=True,
                  only_open_tasks=True, mine=True)

    def _run(self, name: str, *, title: str, what: str, **kwargs: Any) -> None:
        from euregionet_desktop.services import table_export

        self.runner.start(self.owner, getattr(table_export, name), title=title, write=False,
                          cancellable=True,
                          on_done=lambda result: self._done(result, what),
                          on_cancelled=lambda: self._tell(
                              _("Export cancelled; no file was written.")),
                          **kwargs)

    # --- telling the person --------------------------------------------------------------
    def _done(self, result: ExportResult, what: str) -> None:
        if what == "contact":
            text = ngettext("{count} contact exported to {path}.",
                            "{count} contacts exported to {path}.", result.count)
        elif what == "calendar":
            text = ngettext("{count} calendar entry exported to {path}.",
                            "{count} calendar entries exported to {path}.", result.count)
        else:
            text = ngettext("{count} record exported to {path}.",
                            "{count} records exported to {path}.", result.count)
        text = text.format(count=result.count, path=result.path)
        if result.left_out:
            text = " ".join((text, ngettext(
                "{count} contact person left out: no consent to programme communication.",
                "{count} contact persons left out: no consent to programme communication.",
                result.left_out).format(count=result.left_out)))
        self._tell(text, result.path.parent)

    def _tell(self, text: str, folder: Path | None = None) -> None:
        self._notice = text
        self._folder = folder
        self.status_bar.showMessage(text, NOTICE_MS)
        self.folder_link.setVisible(folder is not None)

    def _message_changed(self, text: str) -> None:
        if text != self._notice:  # the notice went (timed out, or another took its place)
            self._notice = ""
            self.folder_link.hide()

    def open_folder(self) -> None:
        if self._folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))
