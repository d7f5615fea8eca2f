"""Word documents from the window: generating from a list, the Documents view, templates."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from euregionet_desktop.i18n import _
from euregionet_desktop.services import documents
from euregionet_desktop.ui import document_dialogs
from euregionet_desktop.ui.document_dialogs import (
    GenerateChoice,
    GenerateDocumentDialog,
    TemplateTarget,
    TemplateTargetDialog,
)
from euregionet_desktop.ui.documents_view import DocumentsModel
from euregionet_desktop.ui.main_window import MainWindow

PLAN_TITLE = "Wspólna strategia eksportowa 2026 & Brandenburgia"
CLUSTER_NAME = "Lubuski Klaster Metalowy"


@pytest.fixture
def plan(add) -> str:
    """An action plan of a cluster; the cluster is the only one of the directory."""
    cluster = add("cluster", name_pl=CLUSTER_NAME, kind="cluster", country="PL")
    return add("action_plan", cluster_id=cluster, title=PLAN_TITLE, status="agreed")


@pytest.fixture
def window(qtbot, core, plan, crash_fails):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.wait()


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Files handed to the system's word processor (none really opens)."""
    paths: list[Path] = []
    monkeypatch.setattr(document_dialogs, "open_file", lambda path: paths.append(path) or True)
    return paths


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _answer_generate(monkeypatch, choice: GenerateChoice) -> list[dict]:
    asked: list[dict] = []

    def ask(cls, parent, **kwargs):
        asked.append(kwargs)
        return choice

    monkeypatch.setattr(GenerateDocumentDialog, "ask", classmethod(ask))
    return asked


def _documents_view(window):
    window.go_to(window.views.index(window.documents))
    return window.documents


def _template_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def test_generate_an_action_plan_document_from_the_record_menu(qtbot, window, plan, tmp_path,
                                                               monkeypatch, opened):
    """The Record menu's action writes the plan's document, opens it and lists it."""
    target = tmp_path / "plan.docx"
    asked = _answer_generate(monkeypatch, GenerateChoice("pl", target, True))
    plans = window.lists["action_plan"]
    window.go_to(window.views.index(plans))
    assert not window.generate_action.isEnabled()  # nothing selected yet
    plans.select_record(plan)
    record_menu = next(action.menu() for action in window.menuBar().actions()
                       if action.text() == _("&Record"))
    assert window.generate_action in record_menu.actions()
    assert window.generate_action in plans.record_actions  # and in the context menu
    assert window.generate_action.isEnabled()
    window.generate_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert opened == [target]
    assert PLAN_TITLE in docx_text(target)
    suggested = asked[0]["suggested_name"]
    assert PLAN_TITLE in suggested("pl") and suggested("de").endswith("(de).docx")
    assert "plan.docx" in window.statusBar().currentMessage()
    assert (window.places.folder(), window.places.language()) == (tmp_path, "pl")
    view = _documents_view(window)
    assert view.model.rowCount() == 1 and not view.empty.isVisible()
    row = view.model.document(0)
    assert (row.file_name, row.record_label) == ("plan.docx", PLAN_TITLE)
    assert view.model.index(0, DocumentsModel.RECORD).data() == PLAN_TITLE


def test_enter_in_the_documents_view_opens_a_copy(qtbot, window, plan, core, tmp_path, opened):
    """Enter on a stored document opens a copy under its own name."""
    core.backend.run(documents.generate_document, profile=core.profile, kind="action-plan",
                     record_id=plan, language="de", output=tmp_path / "Aktionsplan.docx")
    view = _documents_view(window)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].name == "Aktionsplan.docx"
    assert opened[0] != tmp_path / "Aktionsplan.docx" and opened[0].exists()


def test_generate_the_cluster_directory_from_the_clusters_view(qtbot, window, tmp_path,
                                                               monkeypatch, opened):
    """The directory needs no selection, holds every cluster, starts where the last went."""
    target = tmp_path / "katalog.docx"
    window.places.remember(folder=tmp_path, language="de")
    asked = _answer_generate(monkeypatch, GenerateChoice("pl+de", target, False))
    window.go_to(window.views.index(window.lists["cluster"]))
    assert window.directory_action.isEnabled() and not window.generate_action.isEnabled()
    window.directory_action.trigger()
    qtbot.waitUntil(lambda: "katalog.docx" in window.statusBar().currentMessage(),
                    timeout=30_000)
    assert CLUSTER_NAME in docx_text(target)
    assert opened == []
    # The dialog started where the last document went; its language is remembered.
    assert (asked[0]["last_folder"], asked[0]["language"]) == (tmp_path, "de")
    assert window.places.language() == "pl+de"
    view = _documents_view(window)
    assert view.model.document(0).document_kind == "directory"


def test_a_refused_template_shows_why_and_stores_nothing(qtbot, window, core, tmp_path,
                                                        monkeypatch):
    """A template reaching Python's internals is refused with a message; nothing is added."""
    evil = _template_docx(tmp_path / "action-plan.pl.docx", "{{ ''.__class__ }}")
    view = _documents_view(window)
    assert view.empty.isVisible()
    warned, told = [], []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(evil), ""))
    monkeypatch.setattr(TemplateTargetDialog, "ask", classmethod(
        lambda cls, parent, **kwargs: TemplateTarget(kwargs["kind"], kwargs["language"])))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    view.load_template()
    assert len(warned) == 1 and "__class__" in warned[0]  # it says where the problem is
    assert told == []
    assert view.model.total() == 0 and view.empty.isVisible()
    assert core.backend.read(documents.stored_documents) == []


def test_loading_an_edited_template_puts_it_in_use_until_the_default_is_chosen(
        qtbot, window, tmp_path, monkeypatch):
    """The exported default, loaded back, is in use; "Use the default template" undoes it."""
    view = _documents_view(window)
    exported = tmp_path / "action-plan.de.docx"
    targets: list[dict] = []
    told: list[str] = []

    def answer(cls, parent, **kwargs):
        targets.append(kwargs)
        return TemplateTarget("action-plan", "de")

    monkeypatch.setattr(TemplateTargetDialog, "ask", classmethod(answer))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(exported), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(exported), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(args[2]))
    view.export_default()
    assert exported.exists() and "Word" in told[0]
    view.load_template()
    # The dialog was offered what the file's name says.
    assert (targets[1]["kind"], targets[1]["language"]) == ("action-plan", "de")
    assert "from now on" in told[1]
    assert view.model.total() == 1
    template = view.model.document(0)
    assert template.active and template.kind == "template"
    assert _("yes") in view.model.index(0, DocumentsModel.IN_USE).data()
    assert view.current() is not None and not view.use_button.isEnabled()

    view.use_default()
    template = view.model.document(0)
    assert not template.active and view.model.index(0, DocumentsModel.IN_USE).data() == ""
    view.select(template.id)
    assert view.use_button.isEnabled()
    view.use_button.click()
    assert view.model.document(0).active


def test_the_generate_dialog_follows_the_language_until_a_name_is_typed(qtbot, tmp_path,
                                                                        monkeypatch):
    """The suggested name follows the language, a typed one stays, replacing asks first."""
    dialog = GenerateDocumentDialog(title="Generate document", subject="Plan",
                                    suggested_name=lambda lang: f"Plan ({lang}).docx",
                                    last_folder=tmp_path, language="pl")
    qtbot.addWidget(dialog)
    assert dialog.path() == tmp_path / "Plan (pl).docx"
    dialog.languages.buttons["pl+de"].click()
    assert dialog.path() == tmp_path / "Plan (pl+de).docx"
    dialog.path_edit.selectAll()
    qtbot.keyClicks(dialog.path_edit, str(tmp_path / "mine"))
    dialog.languages.buttons["de"].click()
    assert dialog.path() == tmp_path / "mine"
    (tmp_path / "mine.docx").write_bytes(b"older")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: asked.append(args[2]) or answers.pop(0))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "mine.docx" in asked[0]
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.choice() == GenerateChoice("de", tmp_path / "mine.docx", True)


def test_guessing_a_template_target_from_its_file_name():
    """Saved default templates are named so that loading them back needs no choice."""
    guess = document_dialogs.guess_target
    assert guess("action-plan.de.docx") == ("action-plan", "de")
    assert guess("attendance.pl+de (2).docx") == ("attendance", "pl+de")
    assert guess("Planung.docx") == (None, None)


def test_documents_model_passes_qtmodeltester(qtmodeltester, core, plan, tmp_path):
    """The documents model keeps Qt's contract, also sorted and filtered."""
    for language in ("pl", "de", "pl+de"):
        core.backend.run(documents.generate_document, profile=core.profile,
                         kind="action-plan", record_id=plan, language=language,
                         output=tmp_path / f"plan-{language}.docx")
    model = DocumentsModel()
    model.set_documents(core.backend.read(documents.stored_documents))
    qtmodeltester.check(model)
    model.sort(DocumentsModel.FILE_NAME, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data() == "plan-de.docx"
    model.set_filter("pl+de")
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.total() == 3
