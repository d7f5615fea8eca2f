"""The Documents view: generated documents and templates, and the templates' choice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS
from euregionet_desktop.i18n import _, fold, ngettext, sort_key
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.document_dialogs import (
    DocumentPlaces,
    TemplateTarget,
    TemplateTargetDialog,
    guess_target,
    open_or_tell,
    template_file_name,
    with_docx,
    word_filter,
)
from euregionet_desktop.ui.dto_table_model import DtoTableModel, read_only_table
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.template_fields import TemplateFieldsPage

if TYPE_CHECKING:  # imported on use, see document_dialogs
    from euregionet_desktop.services.documents import StoredDocument

_Index = QModelIndex | QPersistentModelIndex
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the attachment's id (str) on every cell
TEMPLATE = "template"  # AttachmentKind value of a loaded template
DIRECTORY = "directory"  # the document kind made from all clusters


class DocumentsModel(DtoTableModel):
    """Stored documents, newest first, filtered in Python (a profile holds hundreds)."""

    FILE_NAME, DOCUMENT, RECORD, LANGUAGE, DATE, KIND, IN_USE = range(7)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[StoredDocument] = []
        self.filter_text = ""
        self.headers = [_("File name"), _("Document"), _("Record"), _("Language"), _("Date"),
                        _("Kind"), _("In use")]

    # --- contents ----------------------------------------------------------------------
    def set_documents(self, stored: list[StoredDocument]) -> None:
        self.beginResetModel()
        try:
            self._all = list(stored)
            self._rows = self._matching()
        finally:  # the view is told the reset ended, whatever happened
            self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        try:
            self.filter_text = text
            self._rows = self._matching()
        finally:
            self.endResetModel()

    def _matching(self) -> list[StoredDocument]:
        words = fold(self.filter_text).split()
        if not words:
            return list(self._all)
        return [doc for doc in self._all
                if all(word in _haystack(doc) for word in words)]

    def total(self) -> int:
        """Documents stored, whatever the filter shows."""
        return len(self._all)

    def document(self, row: int) -> StoredDocument:
        return self._rows[row]

    # --- what a cell shows ---------------------------------------------------------------
    def cell(self, doc: StoredDocument, column: int, role: int) -> Any:
        if role == DOCUMENT_ID_ROLE:
            return doc.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(doc, column)
        if role == Qt.ItemDataRole.FontRole and doc.active:
            font = QFont()
            font.setBold(True)
            return font
        return None

    @classmethod
    def _text(cls, doc: StoredDocument, column: int) -> str:
        if column == cls.FILE_NAME:
            return doc.file_name
        if column == cls.DOCUMENT:
            return doc.document_label
        if column == cls.RECORD:
            if doc.document_kind == DIRECTORY and not doc.record_label:
                return _("All clusters")
            return doc.record_label
        if column == cls.LANGUAGE:
            return doc.language_label
        if column == cls.DATE:
            return doc.created_label
        if column == cls.KIND:
            return doc.kind_label
        if column == cls.IN_USE:
            return f"✓ {_('yes')}" if doc.active else ""  # "yes" as other lists write it
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.headers):
            return

        def key(doc: StoredDocument) -> Any:
            if column == self.DATE:
                return doc.created_at
            if column == self.IN_USE:
                return doc.active
            return sort_key(self._text(doc, column))
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        moved = [self._rows[index.row()] for index in old]
        descending = order == Qt.SortOrder.DescendingOrder
        for rows in (self._all, self._rows):
            rows.sort(key=key, reverse=descending)
        new_row = {doc.id: row for row, doc in enumerate(self._rows)}
        self.changePersistentIndexList(old, [
            self.index(new_row[doc.id], index.column()) for doc, index in
            zip(moved, old, strict=True)])
        self.layoutChanged.emit()


def _haystack(doc: StoredDocument) -> str:
    """What the filter looks in: the text of every column."""
    return fold(" ".join(DocumentsModel._text(doc, column)
                         for column in range(DocumentsModel.IN_USE)))


class DocumentsView(QWidget):
    """Generated documents and templates, stored as attachments, and what is done with
    them: open, save a copy, and choose the template filled for each kind."""

    message = Signal(str)  # a line for the status bar

    def __init__(self, runner: OpRunner, places: DocumentPlaces | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Documents")
        self.runner = runner
        self.places = places or DocumentPlaces()
        self.setObjectName("documentsView")
        intro = QLabel(_("Documents generated from records and the templates they use are "
                         "kept here and travel to the other offices with the records."))
        intro.setWordWrap(True)
        self.filter = QLineEdit(objectName="documentsFilter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setAccessibleName(_("Filter documents"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)

        self.model = DocumentsModel(self)
        self.table = read_only_table(self.model, "documentsTable", _("Documents"))
        header = self.table.horizontalHeader()
        # Sized so that all seven columns fit a window of the usual 1280 pixels.
        for column, width in ((DocumentsModel.FILE_NAME, 205), (DocumentsModel.DOCUMENT, 170),
                              (DocumentsModel.RECORD, 175), (DocumentsModel.LANGUAGE, 150),
                              (DocumentsModel.DATE, 135), (DocumentsModel.KIND, 140)):
            header.resizeSection(column, width)
        header.setSortIndicator(DocumentsModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty = QLabel(_("No documents yet. Generate one from an action plan, "
                              "consultation, evaluation or event, or the cluster directory "
                              "from the Clusters view."), objectName="documentsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(40, 40, 40, 40)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # No documents: the sentence saying where they come from instead of an empty table.
        self.pages = QStackedWidget(objectName="documentsPages")
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self.count = QLabel(objectName="documentsCount")

        self.open_button = self._button(_("Open"), "documentsOpen", self.open_selected,
                                        _("Open the selected document"))
        self.copy_button = self._button(_("Save a copy…"), "documentsSaveCopy",
                                        self.save_copy, _("Save a copy of the selected document"))
        self.use_button = self._button(_("Use this template"), "documentsUseTemplate",
                                       self.use_selected,
                                       _("Fill the selected template from now on"))
        export = self._button(_("Save a default template…"), "documentsExportTemplate",
                              self.export_default, _("Save a default template to edit in Word"))
        load = self._button(_("Load an edited template…"), "documentsLoadTemplate",
                            self.load_template, _("Load a template edited in Word"))
        default = self._button(_("Use the default template…"), "documentsUseDefault",
                               self.use_default,
                               _("Fill the default template again for a document"))
        selected_row = QHBoxLayout()
        selected_row.addWidget(self.filter, 1)
        for button in (self.open_button, self.copy_button, self.use_button):
            selected_row.addWidget(button)
        template_row = QHBoxLayout()
        template_row.addWidget(QLabel(_("Templates:")))
        for button in (export, load, default):
            template_row.addWidget(button)
        template_row.addStretch(1)

        documents_page = QWidget(objectName="documentsPage")
        layout = QVBoxLayout(documents_page)
        layout.addWidget(intro)
        layout.addLayout(template_row)
        layout.addLayout(selected_row)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.count)
        # The fields a template may use, for whoever edits one in Word.
        self.fields_page = TemplateFieldsPage()
        self.fields_page.message.connect(self.message)
        self.tabs = QTabWidget(objectName="documentsTabs")
        self.tabs.addTab(documents_page, _("Documents"))
        self.tabs.addTab(self.fields_page, _("Template fields"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self._update_buttons()

    def _button(self, text: str, name: str, slot, accessible: str) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.clicked.connect(slot)
        return button

    # --- loading -----------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        from euregionet_desktop.services import documents

        keep = self.current()
        stored = self.runner.read(self, documents.stored_documents)
        self.model.set_documents(stored or [])
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._after_reload(keep.id if keep else None)

    def refresh(self, changes: Changes) -> None:
        if "attachment" in changes.entities and self.isVisible():
            self.ensure_loaded()

    def _filter_changed(self, text: str) -> None:
        keep = self.current()
        self.model.set_filter(text)
        self._after_reload(keep.id if keep else None)

    def _after_reload(self, keep: str | None) -> None:
        total, shown = self.model.total(), self.model.rowCount()
        self.pages.setCurrentWidget(self.empty if total == 0 else self.table)
        self.count.setVisible(total > 0)
        self.count.setText(
            ngettext("{count} document", "{count} documents", total).format(count=total)
            if shown == total else
            ngettext("{shown} of {count} document", "{shown} of {count} documents",
                     total).format(shown=shown, count=total))
        row = self.model.row_of(keep) if keep else None
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    # --- selection ---------------------------------------------------------------------
    def current(self) -> StoredDocument | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.document(rows[0].row()) if rows else None

    def select(self, document_id: str) -> bool:
        row = self.model.row_of(document_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _update_buttons(self, *_args) -> None:
        doc = self.current()
        self.open_button.setEnabled(doc is not None)
        self.copy_button.setEnabled(doc is not None)
        self.use_button.setEnabled(doc is not None and doc.kind == TEMPLATE and not doc.active)

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setObjectName("documentsMenu")
        for button in (self.open_button, self.copy_button, self.use_button):
            action = menu.addAction(button.text(), button.click)
            action.setEnabled(button.isEnabled())
        menu.popup(self.table.viewport().mapToGlobal(position))

    # --- actions on the selected document ----------------------------------------------
    def open_selected(self) -> None:
        from euregionet_desktop.services import documents

        doc = self.current()
        if doc is None:
            return
        path = self.runner.read(self, documents.openable_copy, profile=self.runner.profile,
                                attachment_id=doc.id)
        if path is not None:
            open_or_tell(self, path)

    def save_copy(self) -> None:
        from euregionet_desktop.services import documents

        doc = self.current()
        if doc is None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save a copy"), str(self.places.folder() / doc.file_name), word_filter())
        if not chosen:
            return
        path = with_docx(Path(chosen))
        if self.runner.read(self, documents.save_copy, profile=self.runner.profile,
                            attachment_id=doc.id, output=path) is not None:
            self.places.remember(folder=path.parent)
            self.message.emit(_("Copy saved as {path}").format(path=path))

    def use_selected(self) -> None:
        from euregionet_desktop.services import documents

        doc = self.current()
        if doc is None or doc.kind != TEMPLATE or not doc.document_kind or not doc.language:
            return
        if self.runner.write(self, documents.choose_template, kind=doc.document_kind,
                             language=doc.language, attachment_id=doc.id) is not None:
            self.message.emit(_("“{document}” in {language} is filled with {file} from now "
                                "on.").format(document=doc.document_label,
                                              language=doc.language_label, file=doc.file_name))

    # --- templates ---------------------------------------------------------------------
    def _selected_target(self) -> tuple[str | None, str | None]:
        doc = self.current()
        return (doc.document_kind, doc.language) if doc else (None, None)

    def export_default(self) -> None:
        from euregionet_desktop.services import documents

        kind, language = self._selected_target()
        target = TemplateTargetDialog.ask(
            self, title=_("Save a default template"),
            intro=_("Which template do you want to edit? It is saved as a Word file; change "
                    "its text and layout in Word or LibreOffice, then load it here."),
            kind=kind, language=language or self.places.language(), accept_text=_("Save…"))
        if target is None:
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save a default template"),
            str(self.places.folder() / template_file_name(target)), word_filter())
        if not chosen:
            return
        path = with_docx(Path(chosen))
        if self.runner.read(self, documents.export_template, profile=self.runner.profile,
                            kind=target.kind, language=target.language, output=path) is None:
            return
        self.places.remember(folder=path.parent)
        QMessageBox.information(self, _("Save a default template"), _(
            "The template is saved as {path}.\n\nEdit it in Word or LibreOffice. Keep the "
            "fields in double braces, such as {example}, where the values should go. Then "
            "load it here with “Load an edited template…”.").format(
            path=path, example="{{ cluster.name }}"))

    def load_template(self) -> None:
        from euregionet_desktop.services import documents

        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Load an edited template"), str(self.places.folder()), word_filter())
        if not chosen:
            return
        path = Path(chosen)
        kind, language = guess_target(path.name)
        target = TemplateTargetDialog.ask(
            self, title=_("Load an edited template"),
            intro=_("Which document is “{name}” the template for? It is checked, kept with "
                    "the documents and filled from now on.").format(name=path.name),
            kind=kind, language=language or self.places.language(), accept_text=_("Load"))
        if target is None:
            return
        self.places.remember(folder=path.parent)
        loaded = self.runner.write(self, documents.load_template, profile=self.runner.profile,
                                   path=path, kind=target.kind, language=target.language)
        if loaded is None:
            return  # refused: the runner showed why
        self.ensure_loaded()
        self.select(loaded.attachment_id)
        QMessageBox.information(self, _("Load an edited template"),
                                loaded_text(loaded.report, target, path.name))

    def use_default(self) -> None:
        from euregionet_desktop.services import documents

        kind, language = self._selected_target()
        target = TemplateTargetDialog.ask(
            self, title=_("Use the default template"),
            intro=_("Fill the template that comes with the app again for this document."),
            kind=kind, language=language or self.places.language(),
            accept_text=_("Use the default"))
        if target is None:
            return
        if self.runner.write(self, documents.choose_template, kind=target.kind,
                             language=target.language, attachment_id=None) is not None:
            self.message.emit(_("“{document}” in {language} is filled with the default "
                                "template again.").format(document=kind_label(target.kind),
                                                          language=language_label(target)))


def kind_label(kind: str) -> str:
    return _(KINDS[kind])


def language_label(target: TemplateTarget) -> str:
    return _(DOCUMENT_LANGUAGES[target.language])


def loaded_text(report, target: TemplateTarget, file_name: str) -> str:
    """What loading a template did, with what the check repaired or warns about."""
    lines = [_("“{file}” is checked and stored. “{document}” in {language} is filled with "
               "it from now on.").format(file=file_name, document=kind_label(target.kind),
                                          language=language_label(target))]
    labels = {"repaired": _("Repaired"), "warning": _("Warning")}
    notes = [finding for finding in report.findings if finding.severity in labels]
    if notes:
        lines.append("")
        lines += [_("{severity}: {location}: {message}").format(
            severity=labels[finding.severity], location=finding.location,
            message=finding.message) for finding in notes]
    return "\n".join(lines)
