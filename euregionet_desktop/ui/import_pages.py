"""The import wizard's pages: the file and what its rows are, how the file reads, what the
import will do with each row, and what it did."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, format_number, ngettext
from euregionet_desktop.interchange.reading import ENCODINGS
from euregionet_desktop.services.dto import FieldKind, FieldSpec
from euregionet_desktop.services.table_import import IMPORT_TYPES, ImportReport, TableInfo
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.field_editors import RefEditor
from euregionet_desktop.ui.file_dialogs import open_file
from euregionet_desktop.ui.import_tables import OutcomeTable, SampleTable
from euregionet_desktop.ui.op_runner import OpRunner

# The files a drop on the window or the file dialog takes for an import.
ADDRESS_BOOK_SUFFIXES = (".vcf", ".vcard")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods",
                  *ADDRESS_BOOK_SUFFIXES)
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


def table_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in TABLE_SUFFIXES)
    return ";;".join((_("Spreadsheets and address books ({patterns})").format(
        patterns=patterns), _("All files (*)")))


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
