"""The import wizard driven as a person drives it: a Polish Excel CSV chosen, one column
mapped elsewhere, the preview's error read, the valid rows imported and undone at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from table_samples import POLISH_CSV

from euregionet_desktop.services import records
from euregionet_desktop.services.table_import import NOTES
from euregionet_desktop.ui import import_wizard
from euregionet_desktop.ui.import_wizard import FILE, MAPPING, PREVIEW, REPORT, SOURCE, ImportWizard

# english, told and window: tests/ui/conftest.py
pytestmark = pytest.mark.usefixtures("english")



def polish_csv(folder: Path) -> Path:
    path = folder / "czlonkowie.csv"
    path.write_bytes(POLISH_CSV.encode("cp1250"))
    return path


def rows(core, entity: str) -> list[dict]:
    return [dict(r.values) for r in core.backend.read(records.list_page, entity=entity).rows]


def open_wizard(qtbot, window) -> ImportWizard:
    """File → Import from a file…, as the menu does it."""
    window.import_action.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    qtbot.waitExposed(wizard)
    return wizard


def tick(qtbot, box) -> None:
    """A click on a check box's square (its middle may lie past its words)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def next_page(qtbot, wizard: ImportWizard, page: int) -> None:
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current() == page and not wizard.working, timeout=10_000)


def test_a_polish_csv_is_mapped_previewed_imported_and_undone_in_one_step(
        qtbot, window, core, tmp_path):
    """Kind and file chosen, Stanowisko sent to the notes by keyboard, the bad e-mail seen in
    the preview with its row and column, the valid rows imported, then one Undo."""
    path = polish_csv(tmp_path)
    window.go_to(window.views.index(window.lists["organisation"]))
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    kind = wizard.file_page.kind
    assert kind.currentData() == "organisation"  # the list shown
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert kind.currentData() == "contact"
    next_page(qtbot, wizard, SOURCE)

    source = wizard.source_page
    assert source.encoding.currentData() == "cp1250"
    assert "row 1" in source.header_row.text()
    sample = source.sample
    assert [sample.verticalHeaderItem(r).text() for r in range(sample.rowCount())] == [
        "2", "3", "4", "5"]
    assert (sample.item(0, 0).text(), sample.item(0, 1).text()) == ("Łukasz", "Żółkiewski")
    assert sample.item(1, 8).text() == "Główna księgowa"
    next_page(qtbot, wizard, MAPPING)

    table = wizard.mapping
    assert table.headers[8] == "Stanowisko"
    combo = table.combos[8]
    assert combo.currentData() == "function"
    assert table.combos[3].currentData() == "organisation.nip"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # "— do not import —"
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "→ Notes"
    assert combo.currentData() == NOTES
    next_page(qtbot, wizard, PREVIEW)

    assert rows(core, "contact") == []  # the preview wrote nothing
    lines = wizard.preview_page.table.row_texts()
    errors = [line for line in lines if line[1] == "Error"]
    assert len(errors) == 1
    row, _action, record, column, message = errors[0]
    assert (row, column) == ("4", "E-mail") and "Wiśniewski" in record
    assert "e-mail" in message.lower()
    [skipped] = [line for line in lines if line[1].startswith("Skip")]
    assert skipped[0] == "5" and "row 2" in skipped[1]
    assert "4 rows in the file" in wizard.preview_page.counts.text()
    # With an error and the box unticked, Import says why it cannot be pressed.
    assert not wizard.next.isEnabled() and wizard.next.text() == "Import"
    assert wizard.preview_page.blocked.isVisible()
    assert "nothing would be imported" in wizard.preview_page.blocked.text()
    tick(qtbot, wizard.preview_page.errors_only)
    assert [line[0] for line in wizard.preview_page.table.row_texts()] == ["4"]
    tick(qtbot, wizard.preview_page.skip_invalid)
    assert wizard.next.isEnabled() and not wizard.preview_page.blocked.isVisible()
    next_page(qtbot, wizard, REPORT)
    window.runner.wait()

    text = wizard.report_page.text.text()
    assert "2 records created" in text and "1 organisation created for them" in text
    assert "1 row skipped as a duplicate" in text and "1 row with errors left out" in text
    assert "Undo (Ctrl+Z)" in wizard.report_page.undo.text()
    contacts = {c["last_name"]: c for c in rows(core, "contact")}
    assert set(contacts) == {"Żółkiewski", "Częścik"}
    assert contacts["Żółkiewski"]["first_name"] == "Łukasz"
    assert contacts["Częścik"]["first_name"] == "Małgorzata"
    # Stanowisko went into the notes, as the person chose, not into the function.
    assert contacts["Żółkiewski"]["function"] is None
    assert contacts["Żółkiewski"]["notes"] == "Stanowisko: Kierownik działu"
    [organisation] = rows(core, "organisation")
    assert organisation["name"] == "Przedsiębiorstwo Łąka Sp. z o.o."
    remembered = json.loads(core.profile.import_mappings.read_text(encoding="utf-8"))
    assert [m["Stanowisko"] for m in remembered.values()] == [NOTES]
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
    assert window.current_list() is window.lists["contact"]  # what was imported, shown

    window.undo_action.trigger()
    assert rows(core, "contact") == [] and rows(core, "organisation") == []
    assert window.lists["contact"].model.rowCount() == 0


def test_a_file_that_is_no_table_is_refused_on_the_file_page(qtbot, window, core, tmp_path,
                                                             told):
    """PNG bytes named .csv: one line, the wizard stays on its first page, nothing written."""
    path = tmp_path / "members.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=10_000)
    assert len(told["warning"]) == 1 and "\n" not in told["warning"][0]
    assert "members.csv" in told["warning"][0]
    assert wizard.current() == FILE and wizard.next.isEnabled()
    assert rows(core, "contact") == [] and rows(core, "organisation") == []


def test_participants_ask_for_their_event(qtbot, window, tmp_path, told):
    """Without an event chosen the wizard says what is missing and stays; the Events list's
    menu opens it with the selected event."""
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(polish_csv(tmp_path)))
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("participant"))
    assert wizard.file_page.event_picker.isVisible()
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert told["warning"] == ["Choose the event whose participants the rows are."]
    assert wizard.current() == FILE
    wizard.reject()


def test_each_list_imports_its_own_kind(qtbot, window):
    """The context menu's import of the contact list opens the wizard on contacts."""
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    [action] = view.import_actions
    action.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard.file_page.chosen_kind() == "contact"
    wizard.reject()
    assert [a.objectName() for a in window.lists["cluster"].import_actions] == [
        "actionImport_cluster", "actionImport_membership"]


def drop(window, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    at = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(at, Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))


def test_a_csv_dropped_on_the_window_opens_the_wizard_with_it(qtbot, window, tmp_path):
    path = polish_csv(tmp_path)
    drop(window, path)
    qtbot.waitUntil(lambda: window.findChild(ImportWizard) is not None, timeout=5000)
    wizard = window.findChild(ImportWizard)
    assert wizard.isVisible() and wizard.file_page.path.text() == str(path)
    wizard.reject()


def test_a_dropped_bundle_still_goes_to_the_bundle_import(qtbot, window, tmp_path, told):
    """A .eurnet file is a bundle: the Sync view's import reads it (and refuses this one)."""
    path = tmp_path / "from-bic.eurnet"
    path.write_bytes(b"no bundle at all")
    drop(window, path)
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=10_000)
    window.runner.wait()
    assert window.findChild(ImportWizard) is None
    assert window.stack.currentWidget() is window.sync_view


def test_refused_rows_are_saved_to_fix_them(qtbot, window, core, tmp_path, monkeypatch):
    """After an import with a refused row, Save refused rows… writes it with its error."""
    pytest.importorskip("euregionet_desktop.interchange.writing")
    from python_calamine import CalamineWorkbook

    target = tmp_path / "to-fix.xlsx"
    monkeypatch.setattr(import_wizard, "save_file", lambda *args: target)
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(polish_csv(tmp_path)))
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("contact"))
    next_page(qtbot, wizard, SOURCE)
    next_page(qtbot, wizard, MAPPING)
    next_page(qtbot, wizard, PREVIEW)
    tick(qtbot, wizard.preview_page.skip_invalid)
    next_page(qtbot, wizard, REPORT)
    qtbot.mouseClick(wizard.report_page.save_refused, Qt.MouseButton.LeftButton)
    sheet = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert int(sheet[1][1]) == 4 and sheet[1][2:4] == ["Jan", "Wiśniewski"]
    assert "1 refused row saved" in wizard.report_page.saved.text()


def test_another_encoding_reads_the_sample_again(qtbot, window, tmp_path):
    """The Polish letters read as cp1252 are wrong in the sample; cp1250 again, right."""
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(polish_csv(tmp_path)))
    next_page(qtbot, wizard, SOURCE)
    source = wizard.source_page
    combo = source.encoding
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # cp1250 → cp1252, as a person scrolls it
    assert combo.currentData() == "cp1252"
    qtbot.waitUntil(lambda: source.sample.item(0, 0).text() == "£ukasz", timeout=10_000)
    assert wizard.info.encoding == "cp1252"
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: source.sample.item(0, 0).text() == "Łukasz", timeout=10_000)
    wizard.reject()


def test_a_sheet_of_a_workbook_is_chosen(qtbot, window, core, tmp_path):
    """A workbook with a cover sheet: the person picks the sheet with the members and maps
    the column the headers did not give away."""
    import xlsxwriter

    path = tmp_path / "Mitglieder.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Deckblatt").write_row(0, 0, ["Mitgliederliste 2026"])
    sheet = book.add_worksheet("Mitglieder")
    sheet.write_row(0, 0, ["Name", "Ort", "PLZ der Firma", "USt-IdNr."])
    sheet.write_row(1, 0, ["Lausitzer Straßenbau GmbH", "Cottbus"])
    sheet.write_number(1, 2, 3046)  # Excel made the postal code 03046 a number
    sheet.write_string(1, 3, "DE136695976")
    book.close()
    window.go_to(window.views.index(window.lists["organisation"]))
    wizard = open_wizard(qtbot, window)  # on the list shown: organisations
    assert wizard.file_page.chosen_kind() == "organisation"
    qtbot.keyClicks(wizard.file_page.path, str(path))
    next_page(qtbot, wizard, SOURCE)
    source = wizard.source_page
    assert source.sheet.isVisible() and not source.encoding.isVisible()
    assert [source.sheet.itemText(i) for i in range(source.sheet.count())] == [
        "Deckblatt", "Mitglieder"]
    source.sheet.setFocus()
    qtbot.keyClick(source.sheet, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: wizard.info.sheet == "Mitglieder" and not wizard.working,
                    timeout=10_000)
    assert source.sample.item(0, 0).text() == "Lausitzer Straßenbau GmbH"
    next_page(qtbot, wizard, MAPPING)
    assert dict(zip(wizard.mapping.headers, (c.currentData() for c in wizard.mapping.combos),
                    strict=True)) == {"Name": "name", "Ort": "city", "PLZ der Firma": "",
                                      "USt-IdNr.": "vat_id"}
    postal_code = wizard.mapping.combos[2]  # a header no list names this way
    postal_code.setFocus()
    while postal_code.currentData() != "postal_code":
        qtbot.keyClick(postal_code, Qt.Key.Key_Down)
    next_page(qtbot, wizard, PREVIEW)
    next_page(qtbot, wizard, REPORT)
    [organisation] = rows(core, "organisation")
    assert (organisation["name"], organisation["postal_code"]) == (
        "Lausitzer Straßenbau GmbH", "03046")


def test_participants_of_the_selected_event(qtbot, window, core, add, tmp_path):
    """The Events list's menu opens the wizard on the selected event's participants."""
    event = add("event", kind="cluster_congress", title_pl="Kongres Klastrów",
                starts_on="2026-11-20")
    path = tmp_path / "rejestracja.csv"
    path.write_text("Imię,Nazwisko,E-mail,Firma\n"
                    "Ewa,Zając,ewa.zajac@example.pl,UZ\n", encoding="utf-8")
    view = window.lists["event"]
    window.go_to(window.views.index(view))
    assert view.select_record(event)
    [action] = view.import_actions
    action.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard.file_page.chosen_kind() == "participant"
    assert wizard.file_page.event_picker.value() == event
    qtbot.keyClicks(wizard.file_page.path, str(path))
    for page in (SOURCE, MAPPING, PREVIEW, REPORT):
        next_page(qtbot, wizard, page)
    [participant] = rows(core, "participant")
    assert (participant["name"], participant["event_id"]) == ("Ewa Zając", event)


def test_errors_past_the_preview_refuse_the_whole_import(qtbot, window, core, tmp_path,
                                                         told):
    """The preview checks the first 200 rows; an error in row 203 refuses the import in
    one line, nothing is written, and the preview then shows that row."""
    lines = ["Imię;Nazwisko;E-mail"] + [f"Osoba;Numer{n};osoba{n}@example.pl"
                                        for n in range(2, 206)]
    lines[202] = "Jan;Błędny;jan@@example"  # row 203 as the spreadsheet numbers it
    path = tmp_path / "dluga-lista.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("contact"))
    for page in (SOURCE, MAPPING, PREVIEW):
        next_page(qtbot, wizard, page)
    assert "The first 200 rows" in wizard.preview_page.counts.text()
    assert wizard.next.isEnabled()
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=10_000)
    window.runner.wait()
    assert len(told["warning"]) == 1 and "nothing was imported" in told["warning"][0]
    assert wizard.current() == PREVIEW and not wizard.next.isEnabled()
    assert [line[0] for line in wizard.preview_page.table.row_texts()
            if line[1] == "Error"] == ["203"]
    assert rows(core, "contact") == []
    assert window.runner.history.next_undo() is None


def test_an_address_book_dropped_on_a_list_imports_contacts(qtbot, window, core, tmp_path):
    """A vCard 4.0 dropped while the Organisations list is shown: contacts all the same."""
    path = tmp_path / "kontakte.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Käthe Groß\r\nN:Groß;Käthe;;;\r\n"
                    "ORG:Spreewald Öko e.V.\r\nEMAIL;TYPE=work:k.gross@oeko.de\r\n"
                    "END:VCARD\r\n", encoding="utf-8")
    window.go_to(window.views.index(window.lists["organisation"]))
    drop(window, path)
    qtbot.waitUntil(lambda: window.findChild(ImportWizard) is not None, timeout=5000)
    wizard = window.findChild(ImportWizard)
    assert wizard.file_page.chosen_kind() == "contact"
    next_page(qtbot, wizard, SOURCE)
    assert wizard.source_page.encoding.currentData() == "utf-8"
    assert "Käthe" in [wizard.source_page.sample.item(0, c).text()
                       for c in range(wizard.source_page.sample.columnCount())]
    for page in (MAPPING, PREVIEW, REPORT):
        next_page(qtbot, wizard, page)
    [contact] = rows(core, "contact")
    assert (contact["first_name"], contact["last_name"]) == ("Käthe", "Groß")


def test_the_choice_for_duplicates_runs_the_preview_again(qtbot, window, core, tmp_path):
    """Skip → create: the repeated row 5 becomes a new record in the preview, nothing is
    written meanwhile."""
    wizard = open_wizard(qtbot, window)
    qtbot.keyClicks(wizard.file_page.path, str(polish_csv(tmp_path)))
    for page in (SOURCE, MAPPING, PREVIEW):
        next_page(qtbot, wizard, page)

    def action_of_row_5() -> str:
        return next(line[1] for line in wizard.preview_page.table.row_texts() if line[0] == "5")

    assert action_of_row_5().startswith("Skip")
    duplicates = wizard.preview_page.duplicates
    duplicates.setFocus()
    qtbot.keyClick(duplicates, Qt.Key.Key_End)  # "Import them as new records anyway"
    assert duplicates.currentData() == "create"
    qtbot.waitUntil(lambda: action_of_row_5() == "Create" and not wizard.working,
                    timeout=10_000)
    assert "3 to create" in wizard.preview_page.counts.text()
    assert rows(core, "contact") == []
    wizard.reject()
