"""Import from a file: a spreadsheet or an address book, its columns mapped to fields, every
row previewed before anything is written, the whole import one undo step (issue 16)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import N_, _, format_number, ngettext
from euregionet_desktop.interchange.reading import ENCODINGS
from euregionet_desktop.services import table_import
from euregionet_desktop.services.dto import FieldKind, FieldSpec
from euregionet_desktop.services.table_import import (
    IMPORT_TYPES,
    ImportRefused,
    ImportReport,
    TableInfo,
)
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.field_editors import RefEditor
from euregionet_desktop.ui.file_dialogs import open_file, save_file
from euregionet_desktop.ui.import_tables import MappingTable, OutcomeTable, SampleTable
from euregionet_desktop.ui.op_runner import OpRunner, show_error
from euregionet_desktop.ui.screen_fit import fit_to_screen

# The files a drop on the window or the file dialog takes for an import.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".vcf", ".vcard")
FILES_IN = "import-files"  # the file dialogs' remembered folder for this purpose
PREVIEW_ROWS = 200

KIND_TEXTS: dict[str, str] = {
    "organisation": N_("Organisations"),
    "contact": N_("Contact persons (with their organisations)"),
    "cluster": N_("Clusters"),
    "membership": N_("Memberships (an organisation in a cluster)"),
    "participant": N_("Participants of an event"),
}
ENCODING_TEXTS: dict[str, str] = {
    "utf-8-sig": N_("UTF-8 with a byte order mark"),
    "utf-8": N_("UTF-8"),
    "cp1250": N_("Windows-1250 (Central European, a Polish Excel)"),
    "cp1252": N_("Windows-1252 (Western European, a German Excel)"),
    "iso-8859-2": N_("ISO-8859-2 (Latin-2)"),
    "utf-16": N_("UTF-16"),
}
SEPARATOR_TEXTS = {";": N_("semicolons"), ",": N_("commas"), "\t": N_("tabs")}
DUPLICATE_TEXTS = (
    ("skip", N_("Skip them: keep the records as they are")),
    ("update", N_("Update the records with the row's values")),
    ("create", N_("Import them as new records anyway")),
)
FILE, SOURCE, MAPPING, PREVIEW, REPORT = range(5)
# The lists whose context menu imports a kind of record from a file, with the words.
LIST_IMPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    "cluster": (("cluster", N_("Import clusters from a file…")),
                ("membership", N_("Import memberships from a file…"))),
    "organisation": (("organisation", N_("Import organisations from a file…")),),
    "contact": (("contact", N_("Import contact persons from a file…")),),
    "event": (("participant", N_("Import participants of this event from a file…")),),
}


def table_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in TABLE_SUFFIXES)
    return ";;".join((_("Spreadsheets and address books ({patterns})").format(
        patterns=patterns), _("All files (*)")))


def is_table_file(path: Path) -> bool:
    """Whether a file dropped on the window is one to import (by its name)."""
    return path.suffix.lower() in TABLE_SUFFIXES


def undo_key() -> str:
    return QKeySequence(QKeySequence.StandardKey.Undo).toString(
        QKeySequence.SequenceFormat.NativeText)


def source_text(info: TableInfo) -> str:
    """What the file is, as read: its format, and for text files the separator and the
    encoding."""
    if info.format == "csv":
        return _("A text file (CSV): columns separated by {separator}, letters read as "
                 "{encoding}.").format(separator=_(SEPARATOR_TEXTS.get(info.separator or "",
                                                                        N_("commas"))),
                                       encoding=encoding_text(info.encoding or ""))
    if info.format == "vcf":
        return _("An address book (vCard): letters read as {encoding}.").format(
            encoding=encoding_text(info.encoding or ""))
    return _("A spreadsheet ({format}).").format(format=info.format.upper())


def encoding_text(encoding: str) -> str:
    return _(ENCODING_TEXTS[encoding]) if encoding in ENCODING_TEXTS else encoding


class FilePage(QWidget):
    """The file, and what its rows are (the event, for participants)."""

    def __init__(self, runner: OpRunner, places: DocumentPlaces) -> None:
        super().__init__(objectName="importFilePage")
        self.places = places
        self.path = QLineEdit(objectName="importPath")
        self.path.setAccessibleName(_("File to import"))
        self.path.setPlaceholderText(_("A CSV or Excel file, or an address book (vCard)"))
        choose = QPushButton(_("Choose…"), objectName="importChoose")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.kind = QComboBox(objectName="importKind")
        self.kind.setAccessibleName(_("What each row is"))
        for kind in IMPORT_TYPES:
            self.kind.addItem(_(KIND_TEXTS[kind]), kind)
        self.event_picker = RefEditor(FieldSpec("event_id", FieldKind.REF, _("Event"), True,
                                         ref="event"), runner)
        self.event_picker.setObjectName("importEvent")
        self.event_label = QLabel(_("Event"))
        self.event_label.setBuddy(self.event_picker.edit)
        form = QFormLayout(self)
        intro = QLabel(_("Bring in a list from a spreadsheet (CSV, Excel, OpenDocument) or "
                         "an address book. Nothing is written before you have seen what "
                         "the import will do with each row."))
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(_("File"), row)
        form.addRow(_("Each row is"), self.kind)
        form.addRow(self.event_label, self.event_picker)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()

    def choose(self) -> None:
        path = open_file(self, self.places, FILES_IN, _("Import from a file"), table_filter())
        if path is not None:
            self.path.setText(str(path))

    def _kind_chosen(self) -> None:
        participants = self.kind.currentData() == "participant"
        self.event_picker.setVisible(participants)
        self.event_label.setVisible(participants)

    def chosen_kind(self) -> str:
        return self.kind.currentData()

    def problem(self) -> str | None:
        if not self.path.text().strip():
            return _("Choose the file to import.")
        if self.chosen_kind() == "participant" and self.event_picker.value() is None:
            return _("Choose the event whose participants the rows are.")
        return None


class SourcePage(QWidget):
    """The sheet of a workbook or the encoding of a text file, and its first rows."""

    reread = Signal()  # the person chose another sheet or encoding

    def __init__(self) -> None:
        super().__init__(objectName="importSourcePage")
        self.what = QLabel(objectName="importSourceText")
        self.what.setWordWrap(True)
        self.sheet = QComboBox(objectName="importSheet")
        self.sheet.setAccessibleName(_("Sheet"))
        self.encoding = QComboBox(objectName="importEncoding")
        self.encoding.setAccessibleName(_("Encoding"))
        self.sheet_label, self.encoding_label = QLabel(_("Sheet")), QLabel(_("Encoding"))
        self.sheet_label.setBuddy(self.sheet)
        self.encoding_label.setBuddy(self.encoding)
        self.header_row = QLabel(objectName="importHeaderRow")
        self.sample = SampleTable()
        self.hint = QLabel(_("Check that the letters are right (ą ę ł ó ś ż, ä ö ü ß): if "
                             "they are not, choose another encoding."))
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.what)
        form.addRow(self.sheet_label, self.sheet)
        form.addRow(self.encoding_label, self.encoding)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.header_row)
        layout.addWidget(self.sample, 1)
        layout.addWidget(self.hint)
        self.sheet.activated.connect(lambda _index: self.reread.emit())
        self.encoding.activated.connect(lambda _index: self.reread.emit())

    def show_info(self, info: TableInfo) -> None:
        self.what.setText(source_text(info))
        self.sheet.clear()
        self.sheet.addItems(list(info.sheets))
        if info.sheet is not None:
            self.sheet.setCurrentText(info.sheet)
        text_file = info.format in ("csv", "vcf")
        self.encoding.clear()
        for encoding in (*ENCODINGS, *(() if info.encoding in ENCODINGS or not text_file
                                      else (info.encoding,))):
            self.encoding.addItem(encoding_text(encoding), encoding)
        self.encoding.setCurrentIndex(max(self.encoding.findData(info.encoding), 0))
        for widget, shown in ((self.sheet, bool(info.sheets)), (self.sheet_label, bool(info.sheets)),
                              (self.encoding, text_file), (self.encoding_label, text_file),
                              (self.hint, text_file)):
            widget.setVisible(shown)
        self.header_row.setText(_("The column headers are in row {row}; the first rows "
                                  "below.").format(row=info.header_row)
                                if info.header_row else _("The first cards of the address book."))
        self.sample.show_sample(info)

    def choice(self) -> dict[str, str | None]:
        """What to read the file again with."""
        if self.sheet.isVisible() and self.sheet.count():
            return {"sheet": self.sheet.currentText(), "encoding": None}
        return {"sheet": None, "encoding": self.encoding.currentData()}


class PreviewPage(QWidget):
    """What the import will do with each row (the first rows of the file), the errors with
    their row and column, and the choices for duplicates and refused rows."""

    rerun = Signal()  # the choice for duplicates changed: ask the core again

    def __init__(self) -> None:
        super().__init__(objectName="importPreviewPage")
        self.counts = QLabel(objectName="importCounts")
        self.counts.setWordWrap(True)
        self.table = OutcomeTable()
        self.errors_only = QCheckBox(_("Show only the rows with errors"),
                                     objectName="importErrorsOnly")
        self.errors_only.toggled.connect(self.table.show_errors_only)
        self.duplicates = QComboBox(objectName="importDuplicates")
        self.duplicates.setAccessibleName(_("Rows that duplicate a record"))
        for value, text in DUPLICATE_TEXTS:
            self.duplicates.addItem(_(text), value)
        self.duplicates.activated.connect(lambda _index: self.rerun.emit())
        self.skip_invalid = QCheckBox(_("Import the valid rows and leave out the rows with "
                                        "errors (you can save those in a file to fix them)"),
                                      objectName="importSkipInvalid")
        self.blocked = QLabel(objectName="importBlocked")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("QLabel { color: palette(link); font-weight: bold; }")
        choices = QFormLayout()
        choices.addRow(_("Rows that duplicate a record"), self.duplicates)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors_only)
        layout.addLayout(choices)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.blocked)
        self.report: ImportReport | None = None

    def show_report(self, report: ImportReport, *, whole_file: bool = False) -> None:
        self.report = report
        counts = dict(rows=format_number(report.rows), created=format_number(report.created),
                      updated=format_number(report.updated),
                      skipped=format_number(report.skipped),
                      refused=format_number(report.refused))
        if report.rows >= PREVIEW_ROWS and not whole_file:
            text = _("The first {rows} rows of the file: {created} to create, {updated} to "
                     "update, {skipped} to skip as duplicates, {refused} with errors. The "
                     "import checks every row the same way.")
        else:
            text = ngettext("{rows} row in the file: {created} to create, {updated} to "
                            "update, {skipped} to skip as duplicates, {refused} with errors.",
                            "{rows} rows in the file: {created} to create, {updated} to "
                            "update, {skipped} to skip as duplicates, {refused} with errors.",
                            report.rows)
        self.counts.setText(text.format(**counts))
        self.table.show_outcomes(report.outcomes)
        self.errors_only.setEnabled(report.refused > 0)
        self.update_blocked()

    def on_duplicate(self) -> str:
        return self.duplicates.currentData()

    def nothing_would_be_imported(self) -> bool:
        return self.report is not None and self.report.refused > 0 and \
            not self.skip_invalid.isChecked()

    def update_blocked(self) -> None:
        """Say plainly why Import cannot be pressed while rows have errors."""
        if self.nothing_would_be_imported():
            assert self.report is not None
            self.blocked.setText(ngettext(
                "{count} row has errors, so as it is nothing would be imported. Fix it in "
                "the file and choose the file again, or tick the box above to import the "
                "other rows.",
                "{count} rows have errors, so as it is nothing would be imported. Fix them "
                "in the file and choose the file again, or tick the box above to import the "
                "other rows.", self.report.refused).format(count=format_number(
                    self.report.refused)))
        self.blocked.setVisible(self.nothing_would_be_imported())


class ReportPage(QWidget):
    """What the import did, the refused rows to save, and the way back (Undo)."""

    def __init__(self) -> None:
        super().__init__(objectName="importReportPage")
        self.text = QLabel(objectName="importReportText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.save_refused = QPushButton(_("Save refused rows…"), objectName="importSaveRefused")
        self.saved = QLabel(objectName="importSaved")
        self.saved.setWordWrap(True)
        self.undo = QLabel(objectName="importUndoHint")
        self.undo.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(self.save_refused)
        row.addWidget(self.saved, 1)
        layout.addLayout(row)
        layout.addWidget(self.undo)
        layout.addStretch(1)

    def show_report(self, report: ImportReport, remembered: str) -> None:
        lines = [
            _("{file} is imported.").format(file=report.file_name),
            ngettext("{count} record created", "{count} records created",
                     report.created).format(count=format_number(report.created)),
            ngettext("{count} record updated", "{count} records updated",
                     report.updated).format(count=format_number(report.updated)),
            ngettext("{count} row skipped as a duplicate", "{count} rows skipped as duplicates",
                     report.skipped).format(count=format_number(report.skipped)),
            ngettext("{count} row with errors left out", "{count} rows with errors left out",
                     report.refused).format(count=format_number(report.refused)),
        ]
        if report.organisations_created:
            lines.insert(2, ngettext(
                "{count} organisation created for them", "{count} organisations created for them",
                report.organisations_created).format(count=format_number(
                    report.organisations_created)))
        if remembered:
            lines.append(remembered)
        self.text.setText("\n".join(lines))
        self.save_refused.setVisible(report.refused > 0)
        self.saved.clear()
        self.undo.setText(_("Undo ({key}) in the Edit menu takes the whole import back.").format(
            key=undo_key()) if report.changes is not None else _("Nothing was changed."))


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
        if kind not in IMPORT_TYPES:
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
