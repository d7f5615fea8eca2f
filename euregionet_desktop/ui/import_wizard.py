"""Import from a file: a spreadsheet or an address book, its columns mapped to fields, every
row previewed before anything is written, the whole import one undo step (issue 16)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import N_, _, format_number, ngettext
from euregionet_desktop.services import table_import
from euregionet_desktop.services.table_import import (
    IMPORT_TYPES,
    ImportRefused,
    ImportReport,
    TableInfo,
)
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.file_dialogs import save_file
from euregionet_desktop.ui.import_pages import (
    ADDRESS_BOOK_SUFFIXES,
    FILES_IN,
    PREVIEW_ROWS,
    TABLE_SUFFIXES,
    FilePage,
    PreviewPage,
    ReportPage,
    SourcePage,
)
from euregionet_desktop.ui.import_tables import MappingTable
from euregionet_desktop.ui.op_runner import OpRunner, show_error
from euregionet_desktop.ui.screen_fit import fit_to_screen

FILE, SOURCE, MAPPING, PREVIEW, REPORT = range(5)
# The lists whose context menu imports a kind of record from a file, with the words.
LIST_IMPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    "cluster": (("cluster", N_("Import clusters from a file…")),
                ("membership", N_("Import memberships from a file…"))),
    "organisation": (("organisation", N_("Import organisations from a file…")),),
    "contact": (("contact", N_("Import contact persons from a file…")),),
    "event": (("participant", N_("Import participants of this event from a file…")),),
}


def is_table_file(path: Path) -> bool:
    """Whether a file dropped on the window is one to import (by its name)."""
    return path.suffix.lower() in TABLE_SUFFIXES


class ImportWizard(QDialog):
    """file → sheet/encoding → mapping → preview → import (with progress) → report.

    Opened with ``open()``, not ``exec()``: the preview and the import run in the thread
    pool with their callbacks here, so the window stays painted and nothing waits in a
    nested event loop; ``done_importing`` tells the window what was written."""

    done_importing = Signal(object)  # the ImportReport of an import that wrote

    def __init__(self, runner: OpRunner, places: DocumentPlaces, *, path: Path | None = None,
                 kind: str | None = None, event_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(_("Import from a file"))
        self.runner = runner
        self.places = places
        self.info: TableInfo | None = None
        self.written: ImportReport | None = None
        self._busy = False
        self.file_page = FilePage(runner, places)
        self.source_page = SourcePage()
        self.mapping_page = QWidget(objectName="importMappingPage")
        self.mapping = MappingTable()
        self.mapping_note = QLabel(objectName="importMappingNote")
        self.mapping_note.setWordWrap(True)
        mapping_layout = QVBoxLayout(self.mapping_page)
        mapping_layout.addWidget(self.mapping_note)
        mapping_layout.addWidget(self.mapping, 1)
        self.preview_page = PreviewPage()
        self.report_page = ReportPage()
        self.pages = QStackedWidget()
        for page in (self.file_page, self.source_page, self.mapping_page, self.preview_page,
                     self.report_page):
            self.pages.addWidget(page)
        self.step = QLabel(objectName="importStep")
        font = self.step.font()
        font.setBold(True)
        self.step.setFont(font)
        # Back stays left of Next on every platform: outside the box, which orders its
        # buttons as the platform orders OK and Cancel.
        self.back = QPushButton(_("< Back"), objectName="importBack")
        self.back.setAutoDefault(False)
        self.buttons = QDialogButtonBox()
        self.next = self.buttons.addButton(_("Next >"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.next.setObjectName("importNext")
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setObjectName("importCancel")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("importClose")
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.cancel.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.back)
        row.addWidget(self.buttons)
        layout.addLayout(row)

        self.source_page.reread.connect(self._reread)
        self.preview_page.rerun.connect(self._preview)
        self.preview_page.skip_invalid.toggled.connect(lambda _on: self._update_buttons())
        self.report_page.save_refused.clicked.connect(self.save_refused)
        if path is not None:
            self.file_page.path.setText(str(path))
        if kind not in IMPORT_TYPES or (path is not None and path.suffix.lower() in
                                        ADDRESS_BOOK_SUFFIXES):
            # Lists of people are what offices bring most; an address book holds nothing else.
            kind = "contact"
        self.file_page.kind.setCurrentIndex(self.file_page.kind.findData(kind))
        if event_id:
            self.file_page.event_picker.set_value(event_id)
        fit_to_screen(self, 980, 660)
        self._show_page(FILE)

    @classmethod
    def open_for(cls, parent: QWidget, runner: OpRunner, places: DocumentPlaces, *,
                 path: Path | None = None, kind: str | None = None,
                 event_id: str | None = None) -> ImportWizard:
        """Open the wizard over ``parent`` (modal to it); it deletes itself when closed."""
        wizard = cls(runner, places, path=path, kind=kind, event_id=event_id, parent=parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        return wizard

    # --- moving between the pages ------------------------------------------------------
    def current(self) -> int:
        return self.pages.currentIndex()

    @property
    def working(self) -> bool:
        """Whether the file is being read, or its rows checked or imported."""
        return self._busy

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        titles = (_("Step 1 of 5: the file"), _("Step 2 of 5: how the file reads"),
                  _("Step 3 of 5: which column goes into which field"),
                  _("Step 4 of 5: what the import will do"), _("Step 5 of 5: done"))
        self.step.setText(titles[page])
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.current()
        last = page == REPORT
        self.back.setVisible(not last)
        self.back.setEnabled(page != FILE and not self._busy)
        self.next.setVisible(not last)
        self.next.setText(_("Import") if page == PREVIEW else _("Next >"))
        blocked = page == PREVIEW and self.preview_page.nothing_would_be_imported()
        self.next.setEnabled(not self._busy and not blocked)
        self.next.setToolTip(self.preview_page.blocked.text() if blocked else "")
        self.next.setDefault(not last)
        self.cancel.setVisible(not last)
        self.close_button.setVisible(last)
        self.close_button.setDefault(last)
        if page == PREVIEW:
            self.preview_page.update_blocked()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def go_back(self) -> None:
        if self.current() in (SOURCE, MAPPING, PREVIEW) and not self._busy:
            self._show_page(self.current() - 1)

    def go_next(self) -> None:
        if self._busy:
            return
        page = self.current()
        if page == FILE:
            problem = self.file_page.problem()
            if problem:
                show_error(self, UserFacingError(problem))
                return
            self._inspect(FILE, encoding=None, sheet=None)
        elif page == SOURCE:
            self._show_page(MAPPING)
        elif page == MAPPING:
            self._preview()
        elif page == PREVIEW:
            self._import()

    # --- reading the file --------------------------------------------------------------
    def path(self) -> Path:
        return Path(self.file_page.path.text().strip()).expanduser()

    def kind(self) -> str:
        return self.file_page.chosen_kind()

    def _mappings_file(self) -> Path | None:
        return self.runner.profile.import_mappings if self.runner.profile is not None else None

    def _inspect(self, page: int, *, encoding: str | None, sheet: str | None) -> None:
        self._set_busy(True)
        self.runner.query(self, table_import.inspect_file, path=self.path(), kind=self.kind(),
                          encoding=encoding, sheet=sheet, mappings_file=self._mappings_file(),
                          on_done=lambda info: self._inspected(info, page),
                          on_failed=self._failed)

    def _inspected(self, info: TableInfo, page: int) -> None:
        self._set_busy(False)
        same_columns = self.info is not None and (self.info.headers, self.info.targets) == (
            info.headers, info.targets)
        self.info = info
        self.source_page.show_info(info)
        if not same_columns:
            self.mapping.show_mapping(info)
            self.mapping_note.setText(
                _("This is the mapping you used last time for a file with these columns.")
                if info.remembered else
                _("The columns were recognised by their headers. Check each one and choose "
                  "another field where it is wrong; columns you do not import can go to the "
                  "record's notes."))
        self._show_page(SOURCE if page == FILE else page)

    def _reread(self) -> None:
        if not self._busy:
            self._inspect(SOURCE, **self.source_page.choice())

    def _failed(self, error: BaseException) -> None:
        """A refusal (a file that is no table, a mapping the core does not take): its one
        line, and the person stays where they were."""
        self._set_busy(False)
        self.runner.report(self, error)

    # --- preview and import ------------------------------------------------------------
    def _options(self) -> dict:
        assert self.info is not None
        return dict(path=self.info.path, kind=self.kind(), mapping=self.mapping.mapping(),
                    encoding=self.info.encoding, sheet=self.info.sheet,
                    on_duplicate=self.preview_page.on_duplicate(),
                    event_id=self.file_page.event_picker.value() if self.kind() == "participant"
                    else None)

    def _preview(self) -> None:
        if self.info is None or self._busy:
            return
        self._set_busy(True)
        self.runner.start(self, table_import.import_table, title=_("Checking the rows"),
                          preview=True, cancellable=True, limit=PREVIEW_ROWS,
                          refuse_errors=False, on_done=self._previewed,
                          on_failed=self._failed, on_cancelled=lambda: self._set_busy(False),
                          **self._options())

    def _previewed(self, report: ImportReport) -> None:
        self._busy = False
        self.preview_page.show_report(report)
        self._show_page(PREVIEW)

    def _import(self) -> None:
        if self.info is None or self.preview_page.nothing_would_be_imported():
            return
        self._set_busy(True)
        self.runner.start(self, table_import.import_table,
                          title=_("Importing {file}").format(file=self.info.path.name),
                          cancellable=True, skip_invalid=self.preview_page.skip_invalid.isChecked(),
                          on_done=self._imported, on_failed=self._import_failed,
                          on_cancelled=lambda: self._set_busy(False), **self._options())

    def _imported(self, report: ImportReport) -> None:
        self._busy = False
        self.written = report
        self.report_page.show_report(report, self._remember())
        self._show_page(REPORT)
        if report.changes is not None:
            self.done_importing.emit(report)

    def _remember(self) -> str:
        """Keep the mapping for the next file with these columns; a line for the report."""
        assert self.info is not None
        target = self._mappings_file()
        if target is None:
            return ""
        try:
            table_import.remember_mapping(target, self.kind(), self.info.headers,
                                          table_import.check_mapping(
                                              self.kind(), self.info.headers,
                                              self.mapping.mapping()))
        except UserFacingError as error:
            return _("The mapping could not be kept for the next time: {reason}").format(
                reason=error)
        return _("The mapping is kept for the next file with these columns.")

    def _import_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ImportRefused):
            # Rows beyond the preview had errors: the whole file's refused rows, shown.
            self.preview_page.show_report(error.report, whole_file=True)
            self._update_buttons()
            show_error(self, UserFacingError(ngettext(
                "{count} row of the file has errors, so nothing was imported. Fix it in the "
                "file, or tick “Import the valid rows…” to import the others.",
                "{count} rows of the file have errors, so nothing was imported. Fix them in "
                "the file, or tick “Import the valid rows…” to import the others.",
                error.report.refused).format(count=format_number(error.report.refused))))
            return
        self.runner.report(self, error)

    def save_refused(self) -> None:
        """The refused rows with their errors in a file to fix and import again."""
        report = self.written
        if report is None or not report.refused_rows:
            return
        name = _("{name} – refused rows").format(name=Path(report.file_name).stem)
        path = save_file(self, self.places, FILES_IN, _("Save refused rows"), f"{name}.xlsx",
                         ";;".join((_("Excel workbook (*.xlsx)"), _("CSV file (*.csv)"))))
        if path is None:
            return
        if path.suffix.lower() not in (".xlsx", ".csv") and not path.exists():
            path = path.with_name(f"{path.name}.xlsx")
        try:
            count = table_import.save_refused_rows(report, path)
        except UserFacingError as error:
            show_error(self, error)
            return
        self.report_page.saved.setText(ngettext(
            "{count} refused row saved in {path}.", "{count} refused rows saved in {path}.",
            count).format(count=format_number(count), path=path))
