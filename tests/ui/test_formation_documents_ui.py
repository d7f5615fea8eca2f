"""The documents of a cluster being formed, made from its pane as a person does: the
initiative's letter of intent or cooperation agreement (the dialog offers both), a member's
accession declaration from the members' tab."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton
from ui_helpers import in_modal

from euregionet_desktop.services import demo, records
from euregionet_desktop.services.formation import step_id
from euregionet_desktop.ui.document_dialogs import (
    KIND_FOR_ENTITY,
    KINDS_FOR_ENTITY,
    GenerateDocumentDialog,
)
from euregionet_desktop.ui.main_window import MainWindow
from tests.ui.test_work_from_here import click_row, show_tab


@pytest.fixture
def forming(qtbot, core, polish, crash_fails):
    """The main window on demo data with the first Polish cluster being formed: its
    letter of intent signed; returns the window, the cluster and the initiative."""
    core.backend.run(demo.generate)
    [cluster] = core.backend.read(records.list_ids, entity="cluster",
                                  where={"name_pl": "Klaster Lubuski Szlak Wina i Miodu"})
    initiative = core.backend.run(records.create, entity="initiative", values={
        "cluster_id": cluster, "seat": "Zielona Góra", "duration_months": "24",
        "purpose_pl": "Wspólna promocja szlaku."}).record_id
    core.backend.run(records.update_record, entity="formation_step",
                     record_id=step_id(initiative, "letter_of_intent"),
                     values={"status": "done", "done_on": "2026-03-12"})
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window, cluster, initiative
    window.runner.wait()


def _docx_text(path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_kinds_are_offered_on_their_records():
    assert KINDS_FOR_ENTITY["initiative"] == ("letter-of-intent", "cooperation-agreement")
    assert KIND_FOR_ENTITY["initiative"] == "letter-of-intent"
    assert KIND_FOR_ENTITY["membership"] == "accession-declaration"
    assert KIND_FOR_ENTITY["action_plan"] == "action-plan"


def test_agreement_and_declaration_from_the_clusters_pane(qtbot, forming, core, tmp_path):
    window, cluster, initiative = forming
    window.places.remember(folder=tmp_path)
    window.open_record("cluster", cluster)
    clusters = window.lists["cluster"]
    qtbot.waitUntil(lambda: clusters.detail.record is not None
                    and clusters.detail.record.id == cluster)
    detail = clusters.detail

    # The initiative's tab: the dialog offers the letter of intent and the agreement.
    tab = next(t for t in detail.relation_tabs if t.relation.key == "initiatives")
    show_tab(qtbot, detail, tab)
    click_row(qtbot, tab.table, tab.model.row_of(initiative))
    assert tab.current_id() == initiative and tab.generate_button.isEnabled()
    chosen = []

    def agreement(dialog: GenerateDocumentDialog) -> None:
        letter = dialog.findChild(QRadioButton, "generateKind_letter-of-intent")
        pact = dialog.findChild(QRadioButton, "generateKind_cooperation-agreement")
        assert letter.isChecked() and letter.text() == "List intencyjny"
        assert dialog.path().name.startswith("List intencyjny")
        # A click on its circle (the button is as wide as the form, its text short).
        qtbot.mouseClick(pact, Qt.MouseButton.LeftButton, pos=QPoint(8, pact.height() // 2))
        assert pact.isChecked() and pact.text() == "Porozumienie o współpracy"
        # The suggested name follows the document chosen.
        assert dialog.path().name.startswith("Porozumienie o współpracy")
        # Named by its cluster (an initiative has no name of its own), never by its id.
        assert dialog.findChild(QLabel, "generateSubject").text() == (
            "Klaster Lubuski Szlak Wina i Miodu")
        assert "Klaster Lubuski Szlak Wina i Miodu" in dialog.path().name
        assert initiative not in dialog.path().name
        dialog.open_after.click()  # not opened: no word processor here
        chosen.append(dialog.path())
        qtbot.mouseClick(dialog.findChild(QPushButton, "generateAccept"),
                         Qt.MouseButton.LeftButton)

    in_modal(qtbot, lambda: qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton),
             agreement)
    [path] = chosen
    qtbot.waitUntil(lambda: path.exists() and path.name in window.statusBar().currentMessage(),
                    timeout=30_000)
    text = _docx_text(path)
    assert "Porozumienie o współpracy" in text and "§ 1. Postanowienia ogólne" in text
    assert "listu intencyjnego z dnia 12.03.2026" in text

    # A member's accession declaration from the members' tab, one kind: no choice.
    members = next(t for t in detail.relation_tabs if t.relation.key == "members")
    show_tab(qtbot, detail, members)
    row = next(r for r in range(members.model.rowCount())
               if core.backend.read(records.get, entity="membership",
                                    record_id=members.model.record_id(r)
                                    ).values.get("organisation_id"))
    click_row(qtbot, members.table, row)
    membership = core.backend.read(records.get, entity="membership",
                                   record_id=members.current_id())
    organisation = core.backend.read(records.get, entity="organisation",
                                     record_id=membership.values["organisation_id"])
    declared = []

    def declaration(dialog: GenerateDocumentDialog) -> None:
        assert dialog.findChildren(QRadioButton, "generateKind_accession-declaration") == []
        subject = dialog.findChild(QLabel, "generateSubject").text()
        assert subject == (f"Deklaracja przystąpienia – {organisation.values['name']} – "
                           "Klaster Lubuski Szlak Wina i Miodu")
        dialog.open_after.click()
        declared.append(dialog.path())
        qtbot.mouseClick(dialog.findChild(QPushButton, "generateAccept"),
                         Qt.MouseButton.LeftButton)

    in_modal(qtbot, lambda: qtbot.mouseClick(members.generate_button,
                                             Qt.MouseButton.LeftButton), declaration)
    [path] = declared
    qtbot.waitUntil(lambda: path.exists() and path.name in window.statusBar().currentMessage(),
                    timeout=30_000)
    text = _docx_text(path)
    assert "Deklaracja przystąpienia" in text and organisation.values["name"] in text
    assert "listu intencyjnego z dnia 12.03.2026" in text
