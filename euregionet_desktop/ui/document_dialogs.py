"""Dialogs for Word documents: generating one from a record, choosing a template's kind."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS, RECORD_ENTITY
from euregionet_desktop.i18n import _, current_language
from euregionet_desktop.services import records
from euregionet_desktop.ui.op_runner import OpRunner

# services.documents is imported where a document is made or listed: it brings python-docx
# and the template check (about 18 MiB resident), which a window that never makes a
# document does without. The kinds and languages come from the schema, plain data.

# The documents made from a record of each list (the directory is made from all
# clusters): an initiative gives its letter of intent and its cooperation agreement.
KINDS_FOR_ENTITY: dict[str, tuple[str, ...]] = {
    entity: tuple(kind for kind, of in RECORD_ENTITY.items() if of == entity)
    for entity in dict.fromkeys(of for of in RECORD_ENTITY.values() if of is not None)}
# The one offered first (the generate dialog offers the others of the record beside it).
KIND_FOR_ENTITY: dict[str, str] = {entity: kinds[0] for entity, kinds in
                                   KINDS_FOR_ENTITY.items()}
DIRECTORY = "directory"  # the kind made from all clusters
# Generate document… (no standard key; G is free in the window and in the forms).
GENERATE_SHORTCUT = QKeySequence("Ctrl+G")


def word_filter() -> str:
    return _("Word documents (*.docx)")


def open_file(path: Path) -> bool:
    """Hand a file to the system's program for it (Word, LibreOffice); False if none."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_or_tell(parent: QWidget | None, path: Path) -> None:
    if not open_file(path):
        QMessageBox.information(parent, _("Open the document"), _(
            "No program for Word documents is set up on this computer. The document is "
            "saved as {path}.").format(path=path))


class DocumentPlaces:
    """The folders last used per purpose (documents, bundles in and out, key files) and the
    language last used for documents, kept in the profile's window.ini (or only in memory
    without settings). A folder not chosen yet is the user's documents folder."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings
        self._memory: dict[str, str] = {}

    def _value(self, key: str) -> str:
        if self.settings is not None:
            value = self.settings.value(key, "")
            return value if isinstance(value, str) else ""
        return self._memory.get(key, "")

    def _set(self, key: str, value: str) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)
        else:
            self._memory[key] = value

    def folder(self, purpose: str = "documents") -> Path:
        stored = self._value(f"{purpose}/folder")
        if stored and Path(stored).is_dir():
            return Path(stored)
        found = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(found) if found and Path(found).is_dir() else Path.home()

    def language(self) -> str:
        """The language chosen last, else the window's (both languages side by side for
        an English window: the programme's documents are read in Polish and German)."""
        stored = self._value("documents/language")
        if stored in DOCUMENT_LANGUAGES:
            return stored
        return current_language() if current_language() in DOCUMENT_LANGUAGES else "pl+de"

    def remember(self, *, folder: Path | None = None, language: str | None = None,
                 purpose: str = "documents") -> None:
        if folder is not None:
            self._set(f"{purpose}/folder", str(folder))
        if language is not None:
            self._set("documents/language", language)


def with_docx(path: Path) -> Path:
    return path if path.suffix.lower() == ".docx" else path.with_name(f"{path.name}.docx")


class LanguageButtons(QWidget):
    """Polish / German / Polish and German side by side, as radio buttons."""

    def __init__(self, language: str, parent: QWidget | None = None,
                 object_prefix: str = "documentLanguage") -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QRadioButton] = {}
        for code, label in DOCUMENT_LANGUAGES.items():
            button = QRadioButton(_(label), objectName=f"{object_prefix}_{code}")
            button.setAccessibleName(_(label))
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons[code] = button
        self.set_language(language)

    def language(self) -> str:
        return next(code for code, button in self.buttons.items() if button.isChecked())

    def set_language(self, language: str) -> None:
        self.buttons.get(language, self.buttons["pl"]).setChecked(True)


@dataclass(frozen=True)
class GenerateChoice:
    language: str
    path: Path
    open_after: bool
    kind: str | None = None  # the document chosen, where the record gives several


class GenerateDocumentDialog(QDialog):
    """Which language, where to save the document, and whether to open it afterwards."""

    def __init__(self, *, title: str, subject: str, suggested_name: Callable[[str], str],
                 last_folder: Path, language: str, parent: QWidget | None = None,
                 kinds: Sequence[tuple[str, str]] = (), kind: str | None = None,
                 name_for_kind: Callable[[str, str], str] | None = None) -> None:
        """``kinds`` (code, label): the documents the record gives, to choose from, with
        ``kind`` chosen first; ``name_for_kind(kind, language)`` their file names."""
        super().__init__(parent)
        self.setObjectName("generateDocumentDialog")
        self.setWindowTitle(title)
        self.suggested_name = suggested_name
        self.name_for_kind = name_for_kind
        self.folder = last_folder
        self._browsed: Path | None = None  # chosen in the file dialog, which asked already
        layout = QVBoxLayout(self)
        heading = QLabel(subject, objectName="generateSubject")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addSpacing(6)

        form = QFormLayout()
        self.kinds = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        if len(kinds) > 1:
            column = QWidget(self)
            column_layout = QVBoxLayout(column)
            column_layout.setContentsMargins(0, 0, 0, 0)
            for code, label in kinds:
                button = QRadioButton(label, objectName=f"generateKind_{code}")
                button.setAccessibleName(label)
                button.setChecked(code == kind)
                self.kinds.addButton(button)
                column_layout.addWidget(button)
                self.kind_buttons[code] = button
            if self.kinds.checkedButton() is None:
                self.kinds.buttons()[0].setChecked(True)
            self.kinds.buttonToggled.connect(self._language_changed)
            form.addRow(_("Document"), column)
        self.languages = LanguageButtons(language, self)
        self.languages.group.buttonToggled.connect(self._language_changed)
        form.addRow(_("Language"), self.languages)
        self.path_edit = QLineEdit(objectName="generatePath")
        self.path_edit.setAccessibleName(_("Save the document as"))
        self.path_edit.setMinimumWidth(540)  # a record's name makes a long file name
        self.path_edit.textEdited.connect(self._typed)
        self._suggested = self._suggest(self.languages.language())
        self.path_edit.setText(str(last_folder / self._suggested))
        browse = QPushButton(_("Browse…"), objectName="generateBrowse")
        browse.setAccessibleName(_("Choose where to save the document"))
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        form.addRow(_("Save as"), where)
        layout.addLayout(form)
        self.open_after = QCheckBox(_("Open the document when it is ready"),
                                    objectName="generateOpenAfter")
        self.open_after.setChecked(True)
        layout.addWidget(self.open_after)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        generate = buttons.addButton(_("Generate"), QDialogButtonBox.ButtonRole.AcceptRole)
        generate.setObjectName("generateAccept")
        generate.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def path(self) -> Path:
        typed = Path(self.path_edit.text().strip()).expanduser()
        return typed if typed.is_absolute() else self.folder / typed

    def _typed(self) -> None:
        self._browsed = None

    def kind(self) -> str | None:
        """The document chosen, where the record gives several."""
        return next((code for code, button in self.kind_buttons.items()
                     if button.isChecked()), None)

    def _suggest(self, language: str) -> str:
        kind = self.kind()
        if kind is not None and self.name_for_kind is not None:
            return self.name_for_kind(kind, language)
        return self.suggested_name(language)

    def _language_changed(self, _button, checked: bool) -> None:
        """The suggested file name follows the language and the document chosen."""
        if not checked:
            return
        suggested = self._suggest(self.languages.language())
        current = self.path()
        # A name the person typed stays; only our own suggestion follows the language.
        if not self.path_edit.text().strip() or current.name == self._suggested:
            self.path_edit.setText(str(current.with_name(suggested)))
            self._browsed = None
        self._suggested = suggested

    def browse(self) -> None:
        current = self.path()
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save the document as"),
                                                      str(current), word_filter())
        if chosen:
            path = with_docx(Path(chosen))
            self.path_edit.setText(str(path))
            self._browsed = path

    def accept(self) -> None:
        if not self.path_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(),
                                _("Say where to save the document."))
            return
        path = with_docx(self.path())
        if not path.parent.is_dir():
            QMessageBox.warning(self, self.windowTitle(), _(
                "The folder {folder} does not exist. Choose another one with Browse…").format(
                folder=path.parent))
            return
        if path.exists() and path != self._browsed:
            answer = QMessageBox.question(
                self, self.windowTitle(),
                _("“{name}” already exists in {folder}. Replace it?").format(
                    name=path.name, folder=path.parent),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.path_edit.setText(str(path))
        super().accept()

    def choice(self) -> GenerateChoice:
        return GenerateChoice(self.languages.language(), with_docx(self.path()),
                              self.open_after.isChecked(), self.kind())

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, suggested_name: Callable[[str], str],
            last_folder: Path, language: str = "pl", subject: str = "",
            kinds: Sequence[tuple[str, str]] = (), kind: str | None = None,
            name_for_kind: Callable[[str, str], str] | None = None
            ) -> GenerateChoice | None:
        """``suggested_name`` gives the file name for a language (it follows the choice);
        with ``kinds``, ``name_for_kind`` the file name of a document in a language."""
        dialog = cls(title=title, subject=subject, suggested_name=suggested_name,
                     last_folder=last_folder, language=language, parent=parent,
                     kinds=kinds, kind=kind, name_for_kind=name_for_kind)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def generate(parent: QWidget | None, runner: OpRunner, places: DocumentPlaces, *, kind: str,
             record_id: str | None, done: Callable[[str], None] | None = None) -> None:
    """Ask how and where, then fill the template in the background; ``done`` gets a line
    for the status bar when the document is written."""
    from euregionet_desktop.services import documents

    # The documents the record gives (an initiative: its letter of intent and agreement).
    kinds = KINDS_FOR_ENTITY.get(RECORD_ENTITY[kind] or "", (kind,))
    names: dict[tuple[str, str], str] = {}
    for each in kinds:
        for language in DOCUMENT_LANGUAGES:
            name = runner.read(parent, documents.suggested_file_name, kind=each,
                               record_id=record_id, language=language)
            if name is None:
                return
            names[(each, language)] = name
    document = _(KINDS[kind])
    language = places.language()
    if record_id is None:
        subject = document
        title = _("Generate cluster directory")
    else:
        record = runner.read(parent, records.get, entity=RECORD_ENTITY[kind],
                             record_id=record_id)
        if record is None:
            return
        # What it is about: the record's label (an initiative's cluster, a membership's
        # organisation and cluster).
        label = runner.read(parent, documents.document_subject, kind=kind,
                            record_id=record_id)
        if label is None:
            return
        # The kind once: a plan called "Plan działań – Klaster …" is its own heading; the
        # record alone where the dialog offers several kinds.
        subject = label if documents.names_kind(label, kind) or len(kinds) > 1 else _(
            "{document} – {record}").format(document=document, record=label)
        title = _("Generate document")
        own = record.values.get("language")  # a record in a language of its own
        if own in DOCUMENT_LANGUAGES:
            language = own
    choice = GenerateDocumentDialog.ask(
        parent, title=title, subject=subject,
        suggested_name=lambda language: names[(kind, language)],
        last_folder=places.folder(), language=language,
        kinds=[(each, _(KINDS[each])) for each in kinds] if len(kinds) > 1 else (),
        kind=kind, name_for_kind=lambda each, language: names[(each, language)])
    if choice is None:
        return
    kind = choice.kind or kind
    places.remember(folder=choice.path.parent, language=choice.language)

    def finished(result: documents.GeneratedDocument) -> None:
        if done is not None:
            done(_("Document saved as {path}").format(path=result.path))
        if choice.open_after:
            open_or_tell(parent, result.path)

    runner.start(parent, documents.generate_document, title=_("Generating the document…"),
                 on_done=finished, profile=runner.profile, kind=kind, record_id=record_id,
                 language=choice.language, output=choice.path)


# --- Templates ------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateTarget:
    """The kind of document and the language a template is for."""

    kind: str
    language: str


def guess_target(file_name: str) -> tuple[str | None, str | None]:
    """Kind and language as a saved default template names them: ``action-plan.de.docx``
    (also ``action-plan_pl+de (2).docx``, as copies and downloads rename files)."""
    stem = Path(file_name).stem.lower()
    kind = next((k for k in sorted(KINDS, key=len, reverse=True) if k in stem), None)
    words = set(re.split(r"[^a-z+]+", stem.replace(kind or "", " ")))
    language = next((code for code in ("pl+de", "de", "pl") if code in words), None)
    return kind, language


def template_file_name(target: TemplateTarget) -> str:
    return f"{target.kind}.{target.language}.docx"


class TemplateTargetDialog(QDialog):
    """Which kind of document and language a template is for."""

    def __init__(self, *, title: str, intro: str, kind: str | None, language: str | None,
                 accept_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateTargetDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro, objectName="templateTargetIntro")
            text.setWordWrap(True)
            text.setMinimumWidth(440)
            layout.addWidget(text)
            layout.addSpacing(6)
        form = QFormLayout()
        self.kind = QComboBox(objectName="templateKind")
        self.kind.setAccessibleName(_("Document"))
        for code, label in KINDS.items():
            self.kind.addItem(_(label), code)
        if kind in KINDS:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        form.addRow(_("Document"), self.kind)
        self.languages = LanguageButtons(language or "pl", self, "templateLanguage")
        form.addRow(_("Language"), self.languages)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        if accept_text:
            accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            accept = buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        accept.setObjectName("templateTargetAccept")
        accept.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def target(self) -> TemplateTarget:
        return TemplateTarget(self.kind.currentData(), self.languages.language())

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, intro: str = "",
            kind: str | None = None, language: str | None = None, accept_text: str = ""
            ) -> TemplateTarget | None:
        dialog = cls(title=title, intro=intro, kind=kind, language=language,
                     accept_text=accept_text, parent=parent)
        return dialog.target() if dialog.exec() == QDialog.DialogCode.Accepted else None
