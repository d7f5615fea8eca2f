"""Grab every view and dialog of the window on a demo profile, to look at them as a person.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR] [--lang pl|de|en]
        [--screen 1366x768]

``--screen`` gives the offscreen platform a screen of that size less a 40 px taskbar; the
window fills it (as maximised) and the dialogs fit it as on such a laptop.

Writes PNG files (not committed) for the dashboard, each list with its detail pane, each
relation tab, the record dialogs (new and edit), the consultation form with a relative date
resolved, a picker's suggestions and a refused date, the View menu with its keys, the
global search, the dialogs and view for Word documents, the settings (language and
backups) and the restart question, the export entries of the lists' context menus and
File > Export, the question before a restore and the offer to restore
a damaged profile, the crash dialog.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from euregionet_desktop.i18n import set_language


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="shots")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--only", choices=["dashboard", "import", "duplicates", "hub",
                                           "documents", "translations", "pipeline",
                                           "evidence", "programme", "person-report",
                                           "retention", "consent", "notes"],
                        help="grab only these screens (quicker while working on them)")
    parser.add_argument("--screen", default="", help="WIDTHxHEIGHT of the screen")
    args = parser.parse_args()
    if args.screen:
        use_screen(*(int(part) for part in args.screen.lower().split("x")))
    set_language(args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    from euregionet_desktop.app import install_qt_translations, open_demo_profile

    install_qt_translations(app, args.lang)  # as app.run does: Qt's buttons in the language
    from euregionet_desktop.ui.icons import use_icon_theme

    use_icon_theme(app)  # as app.run does: dialogs use the toolbar's icons
    from euregionet_desktop.ui.list_view import RecordListView
    from euregionet_desktop.ui.main_window import MainWindow
    from euregionet_desktop.ui.op_runner import CrashDialog
    from euregionet_desktop.ui.record_dialog import RecordDialog

    core = open_demo_profile()
    window = MainWindow(core)
    if args.screen:
        window.resize(app.primaryScreen().availableGeometry().size())
    else:
        width, height = (int(n) for n in args.size.lower().split("x"))
        window.resize(width, height)
    window.show()

    def settle() -> None:
        # Views read in the thread pool: wait for those reads and show their answers.
        for _ in range(5):
            window.runner.pool.waitForDone()
            app.processEvents()

    def grab(widget: QWidget | QPixmap, name: str) -> None:
        settle()
        (widget if isinstance(widget, QPixmap) else widget.grab()).save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    if args.only == "notes":
        shoot_notes(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "consent":
        shoot_consent(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "person-report":
        shoot_person_report(window, args.lang, out)
        window.close()
        core.close()
        return 0
    if args.only == "evidence":
        shoot_evidence(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "duplicates":
        shoot_duplicates(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "programme":
        shoot_programme(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "retention":
        shoot_retention(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "translations":
        shoot_translations(window, grab)
        window.close()
        core.close()
        return 0
    if args.only == "pipeline":
        shoot_pipeline(window, grab)
        window.close()
        core.close()
        return 0
    if args.only == "hub":
        shoot_hub(window, core, grab)
        window.close()
        core.close()
        return 0
    if args.only == "import":
        shoot_import_wizard(window, grab)
        window.close()
        core.close()
        return 0
    if args.only == "documents":
        for row in range(len(window.views)):  # the lists load when first shown
            window.go_to(row)
        shoot_documents(window, core, grab)
        window.close()
        core.close()
        return 0
    shoot_dashboard(window, grab)
    if args.only == "dashboard":
        window.close()
        core.close()
        return 0
    for row, view in enumerate(window.views):
        window.go_to(row)
        if isinstance(view, RecordListView) and view.model.rowCount():
            view.table.selectRow(0)
        grab(window, f"view_{row:02d}_{view.objectName() or 'dashboard'}")
        if isinstance(view, RecordListView):
            for index in range(1, view.detail.tabs.count()):
                view.detail.tabs.setCurrentIndex(index)
                grab(window, f"view_{row:02d}_{view.objectName()}_tab{index}")
            view.detail.tabs.setCurrentIndex(0)
            record_id = view.current_id()
            for mode, rid in (("new", None), ("edit", record_id)):
                dialog = RecordDialog(window.runner, view.entity, record_id=rid, parent=window)
                dialog.show()
                grab(dialog, f"dialog_{view.entity}_{mode}")
                dialog.done(0)
    shoot_relative_dates(window, grab)
    view_menu = window.findChild(QAction, "actionView0").associatedObjects()[-1]
    view_menu.popup(window.mapToGlobal(QPoint(120, 30)))
    grab(view_menu, "menu_view")  # every view with its keys
    view_menu.hide()

    shoot_tasks(window, grab, out)
    shoot_exports(window, grab, out)

    from euregionet_desktop.ui.child_rows import RowDialog

    for entity, link in (("task", "consultation_id"), ("measure", "action_plan_id"),
                         ("participant", "event_id")):
        dialog = RowDialog(window.runner, entity, hidden=(link,), row=None, parent=window)
        dialog.show()
        grab(dialog, f"dialog_row_{entity}")
        dialog.done(0)
    # Before the global search: after app.exec() has returned, a dialog's exec() here
    # returns at once (offscreen), and the generate dialog is shown with exec().
    shoot_documents(window, core, grab)
    shoot_work_here(window, core, grab)
    shoot_settings(window, grab)
    shoot_programme(window, core, grab)
    shoot_backups(window, core, grab)
    shoot_office_and_empty_lists(window, grab)
    shoot_exchange_words(window, grab)
    shoot_opened_bundle(window, core, grab)
    shoot_import_wizard(window, grab)
    shoot_duplicates(window, core, grab)
    shoot_translations(window, grab)
    shoot_pipeline(window, grab)
    shoot_hub(window, core, grab)
    shoot_evidence(window, core, grab)
    shoot_retention(window, core, grab)
    window.go_to(3)
    window.search.focus_search()
    window.search.edit.setText("klaster")
    QTimer.singleShot(400, app.quit)
    app.exec()
    settle()
    # Offscreen has no screen to grab: paint the popup onto the window's picture.
    picture = window.grab()
    painter = QPainter(picture)
    popup = window.search.popup
    painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    picture.save(str(out / "global_search.png"))
    from euregionet_desktop.services import bundle_import, partners
    from euregionet_desktop.ui.sync_view import ImportPreviewDialog, TrustDialog

    own = core.backend.read(partners.own_public_keys, profile=core.profile)
    dialog = TrustDialog(own, window)
    dialog.show()
    grab(dialog, "dialog_trust")
    dialog.done(0)
    report = bundle_import.ImportReport("3f0c2a8e-5d1b-4c9a-9a57-0f1e2d3c4b5a", "BIC",
                               "Laptop Frankfurt 1", 1234, 56, 2, 0, 1, 3)
    dialog = ImportPreviewDialog(report, window)
    dialog.show()
    grab(dialog, "dialog_import_preview")
    dialog.done(0)
    try:
        raise RuntimeError("example of an unexpected error")
    except RuntimeError as error:
        dialog = CrashDialog(error, "Traceback (most recent call last):\n  ...\nRuntimeError",
                             core.profile.logs / "euregionet.log", window)
        dialog.show()
        grab(dialog, "dialog_crash")
        dialog.close()
    window.close()
    core.close()
    return 0


def shoot_pipeline(window, grab) -> None:
    """Issue 20 at 1366x768: the Formation pipeline (all offices, one office, an office
    without initiatives, a move back refused), the dialog a drop or "Advance to…" asks, an initiative's form
    with its steps, and a cluster's Formation tab with the steps of its initiative."""
    from euregionet_desktop.ui.detail_pane import RelationTab
    from euregionet_desktop.ui.pipeline_columns import column_keys
    from euregionet_desktop.ui.pipeline_view import AdvanceDialog
    from euregionet_desktop.ui.record_dialog import RecordDialog

    size = window.size()
    window.resize(1366, 768)
    view = window.pipeline
    window.go_to(window.views.index(view))
    view.select_office(None)
    offices = {view.office.itemText(i).split(" ")[0]: view.office.itemData(i)
               for i in range(1, view.office.count())}
    view.select_office(offices["LOP"])
    grab(window, "pipeline_view_lop")
    view.select_office(offices["BIC"])
    grab(window, "pipeline_view_bic_none")
    view.select_office(None)
    grab(window, "pipeline_view")
    crossing = next(v for v in view.initiatives.values() if len(v.countries) == 2)
    keys = column_keys()
    later = keys[keys.index(crossing.current.step) + 1:]
    view.move_card(crossing.id, keys[0])  # dropped on an earlier column: refused
    grab(window, "pipeline_refused_back")
    dialog = AdvanceDialog(crossing.cluster_name, later, later[0], window)
    dialog.show()
    grab(dialog, "pipeline_advance_dialog")
    dialog.done(0)
    dialog = RecordDialog(window.runner, "initiative", record_id=crossing.id, parent=window)
    dialog.show()
    grab(dialog, "pipeline_initiative_form")
    dialog.done(0)
    clusters = window.lists["cluster"]
    window.go_to(window.views.index(clusters))
    clusters.select_record(crossing.cluster_id)
    detail = clusters.detail
    tab = next(t for t in detail.relation_tabs if isinstance(t, RelationTab)
               and t.relation.key == "initiatives")
    detail.tabs.setCurrentWidget(tab)
    grab(window, "pipeline_cluster_formation_tab")
    detail.tabs.setCurrentIndex(0)
    window.resize(size)


def shoot_translations(window, grab) -> None:
    """The Needs translation list, a form with its pairs side by side (a side marked), and
    a cluster's sectors picked from the translated list."""
    from PySide6.QtWidgets import QToolButton

    from euregionet_desktop.ui.record_dialog import RecordDialog

    view = window.translations
    window.go_to(window.views.index(view))
    grab(window, "translations_view")
    view.select_office(next(view.office.itemData(i) for i in range(1, view.office.count())))
    grab(window, "translations_view_one_office")
    for entity in ("action_plan", "consultation"):
        need = next((n for n in view.needs if n.entity == entity), None)
        if need is None:
            continue
        dialog = RecordDialog(window.runner, entity, record_id=need.record_id, parent=window)
        dialog.show()
        grab(dialog, f"translations_form_{entity}")
        dialog.done(0)
    clusters = window.lists["cluster"]
    window.go_to(window.views.index(clusters))
    grab(window, "translations_cluster_list_regions")
    clusters.table.selectRow(0)
    dialog = RecordDialog(window.runner, "cluster", record_id=clusters.current_id(),
                          parent=window)
    dialog.show()
    button = dialog.findChild(QToolButton, "pick_sectors")
    menu = button.menu()
    menu.popup(button.mapToGlobal(QPoint(0, button.height())))
    picture = dialog.grab()
    painter = QPainter(picture)
    painter.drawPixmap(dialog.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0))), menu.grab())
    painter.end()
    grab(picture, "translations_cluster_sectors_list")
    menu.hide()
    dialog.done(0)


def shoot_dashboard(window, grab) -> None:
    """The dashboard at 1366x768 and 1920x1080: the programme as of today (reached, over,
    behind), the year 2019 as seen on 15 June 2019 (all four states and a period without
    a target), a quarter, and the first steps of a profile that holds nothing yet."""
    import datetime as dt

    from euregionet_desktop.app import open_demo_profile
    from euregionet_desktop.ui.main_window import MainWindow

    dashboard = window.dashboard
    size = window.size()
    chooser = dashboard.period
    for width, height in ((1366, 768), (1920, 1080)):
        window.resize(width, height)
        window.go_to(0)
        dashboard.today = None
        chooser.kind.setCurrentIndex(0)
        grab(window, f"dashboard_{width}x{height}_programme")
        dashboard.today = dt.date(2019, 6, 15)
        chooser.kind.setCurrentIndex(1)  # a year
        chooser.year.setCurrentIndex(chooser.year.findData(2019))
        dashboard.ensure_loaded()
        grab(window, f"dashboard_{width}x{height}_2019")
        chooser.kind.setCurrentIndex(2)  # a quarter
        chooser.quarter.setCurrentIndex(1)
        grab(window, f"dashboard_{width}x{height}_2019q2")
    dashboard.today = None
    chooser.kind.setCurrentIndex(0)
    window.resize(size)
    empty = open_demo_profile(fill=False)
    fresh = MainWindow(empty)
    for width, height in ((1366, 768), (1920, 1080)):
        fresh.resize(width, height)
        fresh.show()
        fresh.go_to(0)
        fresh.dashboard.ensure_loaded()
        for _ in range(5):
            fresh.runner.pool.waitForDone()
            QApplication.processEvents()
        grab(fresh, f"dashboard_{width}x{height}_fresh")
    fresh.close()
    empty.close()

def shoot_evidence(window, core, grab) -> None:
    """Issue 20 at 1366x768: the dashboard's evidence column (one congress proven by a
    signed attendance list, the other counted items missing theirs), the list of an
    indicator's counted records, an event's Attachments tab, and the kind dialog a drop
    opens."""
    import tempfile

    from euregionet_desktop.services import evidence
    from euregionet_desktop.services.dashboard import picture
    from euregionet_desktop.ui.attachments_tab import AttachmentKindDialog
    from euregionet_desktop.ui.dashboard import attention_colour
    from euregionet_desktop.ui.evidence_column import CountedItemsDialog

    size = window.size()
    window.resize(1366, 768)
    folder = Path(tempfile.mkdtemp(prefix="euregionet-evidence-"))
    events = [item for progress in core.backend.read(picture).indicators
              for item in progress.items if item.entity == "event"]
    proven = events[0] if events else None
    if proven is not None:
        for name, kind, data in (("lista obecności podpisana.pdf", "signed_attendance",
                                  b"%PDF-1.4 signed"),
                                 ("sala konferencyjna.jpg", "photo", b"\xff\xd8\xff photo")):
            path = folder / name
            path.write_bytes(data * 4000)
            core.backend.run(evidence.attach_file, profile=core.profile, entity="event",
                             record_id=proven.id, path=path, kind=kind)
    window.go_to(0)
    window.dashboard.ensure_loaded()
    grab(window, "evidence_dashboard_1366x768")
    shown = [p for p in core.backend.read(picture).indicators if p.evidence_missing]
    if shown:
        dialog = CountedItemsDialog(window, shown[0], attention_colour(window.palette()))
        dialog.show()
        grab(dialog, "evidence_counted_items")
        dialog.done(0)
    if proven is not None:
        window.open_record("event", proven.id)
        detail = window.lists["event"].detail
        detail.tabs.setCurrentWidget(detail.attachments)
        grab(window, "evidence_event_attachments_1366x768")
        dialog = AttachmentKindDialog(window, default="signed_attendance", files=[
            folder / "lista obecności podpisana.pdf", folder / "sala konferencyjna.jpg"],
            record_label=proven.label)
        dialog.show()
        grab(dialog, "evidence_kind_dialog")
        dialog.done(0)
        # A drop with a file too large: the message the window shows, nothing attached.
        from PySide6.QtWidgets import QMessageBox

        from euregionet_desktop.errors import UserFacingError
        from euregionet_desktop.services.attaching import attach_files
        from euregionet_desktop.services.evidence import MAX_ATTACHMENT_BYTES
        from euregionet_desktop.ui.error_text import window_text

        big = folder / "nagranie konferencji.mp4"
        with big.open("wb") as handle:
            handle.truncate(MAX_ATTACHMENT_BYTES + 1)
        try:
            core.backend.run(attach_files, profile=core.profile, entity="event",
                             record_id=proven.id, paths=[folder / "sala konferencyjna.jpg",
                                                         big], kind="photo")
        except UserFacingError as error:
            box = QMessageBox(QMessageBox.Icon.Warning, "EuRegioNet Desktop",
                              window_text(error), parent=window)
            box.show()
            grab(box, "evidence_refused_file")
            box.done(0)
        detail.tabs.setCurrentIndex(0)
    window.resize(size)


def shoot_notes(window, core, grab) -> None:
    """Issue 21: a contact's Notes tab with a private note (the lock) and a shared one,
    the note dialog, the History with both, and the global search finding the private
    note (the lock again)."""
    from euregionet_desktop.services import notes, records
    from euregionet_desktop.ui.notes_tab import NoteDialog

    person = core.backend.read(records.list_ids, entity="contact")[0]
    core.backend.run(notes.add_note, entity="contact", record_id=person, private=False,
                     body="Zainteresowany targami w Poznaniu; prosi o materiały po niemiecku.")
    core.backend.run(notes.add_note, entity="contact", record_id=person, private=True,
                     body="Rozmowa o zmianie pracy – nie przekazywać partnerom (Kiebitz-7431).")
    window.open_record("contact", person)
    detail = window.lists["contact"].detail
    detail.tabs.setCurrentWidget(detail.notes)
    grab(window, "notes_tab_1366x768")
    dialog = NoteDialog(window, title=detail.notes.add_button.text().rstrip("…"))
    dialog.text.setPlainText("Dzwonić po 15:00.")
    dialog.private.setChecked(True)
    dialog.show()
    grab(dialog, "notes_dialog")
    dialog.done(0)
    detail.tabs.setCurrentIndex(detail.history_index)
    grab(window, "notes_history_1366x768")
    detail.tabs.setCurrentIndex(0)
    window.search.edit.setText("kiebitz")
    window.search.search_now()
    grab(window.search.popup, "notes_search_popup")
    window.search.close_popup()


def shoot_consent(window, core, grab) -> None:
    """The contacts list with the marker of those who did not consent to the programme's
    communication, and the consent editor of a demo contact: consent given by a signed
    form (the evidence attached), its scope widened later, so the history has rows."""
    import tempfile

    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.services import consent
    from euregionet_desktop.ui.consent_dialog import ConsentDialog
    from euregionet_desktop.ui.record_model import NO_CONSENT_ROLE

    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    rows = range(min(view.model.rowCount(), 40))
    given = next(r for r in rows if view.model.index(r, 0).data(NO_CONSENT_ROLE) is False)
    person = view.model.record_id(given)
    form = Path(tempfile.mkdtemp(prefix="euregionet-consent-")) / "zgoda-podpisana.pdf"
    form.write_bytes(b"%PDF-1.4\n% a signed consent form\n")
    core.backend.run(consent.set_consent, contact_id=person, profile=core.profile,
                     evidence_path=form, values={"source": "form"})
    core.backend.run(consent.set_consent, contact_id=person,
                     values={"scope": "communication,newsletter,photos"})
    view.model.reload()
    view.select_record(person)
    grab(window, "consent_contacts_list")
    dialog = ConsentDialog(window.runner, person, parent=window)
    dialog.show()
    grab(dialog, "consent_editor")
    dialog.done(0)
    withdrawn = next(r for r in rows if r != given
                     and view.model.index(r, 0).data(NO_CONSENT_ROLE) is False)
    core.backend.run(consent.set_consent, contact_id=view.model.record_id(withdrawn),
                     values={"status": "withdrawn"})
    dialog = ConsentDialog(window.runner, view.model.record_id(withdrawn), parent=window)
    dialog.show()
    grab(dialog, "consent_editor_withdrawn")
    dialog.done(0)


def use_screen(width: int, height: int) -> None:
    """The offscreen screen: ``width`` × ``height`` less a 40 px taskbar (the offscreen
    platform has no taskbar, so its whole screen is what a laptop leaves to windows)."""
    import json
    import tempfile

    if not os.environ["QT_QPA_PLATFORM"].startswith("offscreen"):
        return
    config = Path(tempfile.mkdtemp(prefix="euregionet-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "screen", "x": 0, "y": 0, "width": width, "height": height - 40,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def shoot_documents(window, core, grab) -> None:
    """The generate dialog as the Record menu opens it, the dialogs for templates, and the
    Documents view holding a few documents and a loaded template."""
    import tempfile

    from PySide6.QtWidgets import QApplication, QMessageBox

    from euregionet_desktop.i18n import _
    from euregionet_desktop.services import documents
    from euregionet_desktop.ui.document_dialogs import TemplateTarget, TemplateTargetDialog
    from euregionet_desktop.ui.documents_view import loaded_text

    def shoot_modal(name: str) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, lambda: shoot_modal(name))
            return
        grab(dialog, name)
        dialog.reject()

    plans = window.lists["action_plan"]
    window.go_to(window.views.index(plans))
    plans.table.selectRow(0)
    QTimer.singleShot(0, lambda: shoot_modal("dialog_generate_document"))
    window.generate_action.trigger()
    window.go_to(window.views.index(window.lists["cluster"]))
    QTimer.singleShot(0, lambda: shoot_modal("dialog_generate_directory"))
    window.directory_action.trigger()
    # An initiative forming a cluster gives two documents: the dialog offers both.
    from euregionet_desktop.documents.schema import KINDS
    from euregionet_desktop.ui.document_dialogs import GenerateDocumentDialog

    cluster = "Klaster Lubuski Szlak Wina i Miodu"
    formation = GenerateDocumentDialog(
        title=_("Generate document"), subject=cluster,
        suggested_name=lambda language: f"{cluster} ({language}).docx",
        last_folder=Path.home(), language="pl",
        kinds=[(kind, _(KINDS[kind])) for kind in ("letter-of-intent", "cooperation-agreement")],
        kind="letter-of-intent",
        name_for_kind=lambda kind, language: f"{_(KINDS[kind])} – {cluster} ({language}).docx",
        parent=window)
    formation.show()
    grab(formation, "dialog_generate_formation")
    formation.done(0)

    folder = Path(tempfile.mkdtemp(prefix="euregionet-shots-"))
    for kind, entity, language in (("action-plan", "action_plan", "pl"),
                                   ("consultation", "consultation", "de"),
                                   ("evaluation", "evaluation", "pl+de"),
                                   ("attendance", "event", "pl"),
                                   ("directory", None, "pl+de")):
        record_id = window.lists[entity].model.record_id(0) if entity else None
        name = core.backend.read(documents.suggested_file_name, kind=kind, record_id=record_id,
                                 language=language)
        core.backend.run(documents.generate_document, profile=core.profile, kind=kind,
                         record_id=record_id, language=language, output=folder / name)
    template = folder / "consultation.de.docx"
    core.backend.read(documents.export_template, profile=core.profile, kind="consultation",
                      language="de", output=template)
    loaded = core.backend.run(documents.load_template, profile=core.profile, path=template,
                              kind="consultation", language="de")
    view = window.documents
    window.go_to(window.views.index(view))
    view.select(loaded.attachment_id)
    grab(window, "view_documents_with_template")
    view.filter.setText("plan")
    grab(window, "view_documents_filtered")
    view.filter.clear()
    # The page of template fields: the attendance list's, a field chosen to copy.
    view.tabs.setCurrentWidget(view.fields_page)
    page = view.fields_page
    page.kind.setCurrentIndex(page.kind.findData("attendance"))
    row = next(r for r in range(page.model.rowCount())
               if page.model.field(r).written == "event.venue_address")
    page.table.selectRow(row)
    page.table.scrollTo(page.model.index(row, 0))
    grab(window, "view_documents_fields")
    view.tabs.setCurrentIndex(0)

    dialog = TemplateTargetDialog(
        title=_("Load an edited template"),
        intro=_("Which document is “{name}” the template for? It is checked, kept with "
                "the documents and filled from now on.").format(name=template.name),
        kind="consultation", language="de", accept_text=_("Load"), parent=window)
    dialog.show()
    grab(dialog, "dialog_template_target")
    dialog.done(0)
    box = QMessageBox(QMessageBox.Icon.Information, _("Load an edited template"),
                      loaded_text(loaded.report, TemplateTarget("consultation", "de"),
                                  template.name), parent=window)
    box.show()
    grab(box, "dialog_template_loaded")
    box.done(0)


def shoot_relative_dates(window, grab) -> None:
    """The consultation form with the word for tomorrow shown resolved beside its date and a
    participant taken from the picker's suggestions (Down in the empty picker), a follow-up
    due "+7", and a word that is no date refused under the field."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from euregionet_desktop.i18n import current_language
    from euregionet_desktop.ui.record_dialog import RecordDialog

    words = {"pl": ("jutro", "kiedyś"), "de": ("morgen", "bald")}
    tomorrow, garbage = words.get(current_language(), ("tomorrow", "someday"))
    dialog = RecordDialog(window.runner, "consultation", parent=window)
    dialog.resize(dialog.width(), min(dialog.height(), 700))
    dialog.show()
    held_at = dialog.form.editors["held_at"]
    held_at.day.edit.setText(tomorrow)
    participants = dialog.form.editors["contact_ids"]
    participants.set_value([window.lists["contact"].model.record_id(0)])
    grab(dialog, "dialog_consultation_relative_date")
    picker = participants.picker
    picker.edit.setFocus()
    QTest.keyClick(picker.edit, Qt.Key.Key_Down)
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    picture = dialog.grab()
    painter = QPainter(picture)
    popup = picker.completer.popup()
    painter.drawPixmap(dialog.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    grab(picture, "dialog_consultation_picker_suggestions")
    popup.hide()
    held_at.day.edit.setText(garbage)
    dialog.save()
    grab(dialog, "dialog_consultation_date_refused")
    held_at.day.edit.setText("+7")
    grab(dialog, "dialog_consultation_date_corrected")
    dialog.done(0)
    task = RecordDialog(window.runner, "task", parent=window)
    task.show()
    task.form.editors["due_on"].edit.setText("+7")
    grab(task, "dialog_task_relative_date")
    task.done(0)


def shoot_work_here(window, core, grab) -> None:
    """Working from an open cluster: its pane (the tab selector when the tabs do not fit),
    the Consultations and Action plans tabs with their buttons, the new consultation's
    form pre-filled, and the generate dialog opened from the plan in the tab."""
    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.services import records
    from euregionet_desktop.ui.record_dialog import RecordDialog
    from euregionet_desktop.ui.work_here import preset_for

    clusters = window.lists["cluster"]
    [wine] = core.backend.read(records.list_ids, entity="cluster", filter_text="szlak wina")
    window.open_record("cluster", wine)
    detail = clusters.detail
    grab(window, "work_cluster_pane")
    for key in ("consultations", "action_plans"):
        tab = next(t for t in detail.relation_tabs if t.relation.key == key)
        detail.tabs.setCurrentWidget(tab)
        window.runner.pool.waitForDone()
        QApplication.processEvents()
        if tab.count():
            tab.table.selectRow(0)
        grab(window, f"work_cluster_tab_{key}")
    consultations = next(t for t in detail.relation_tabs if t.relation.key == "consultations")
    dialog = RecordDialog(window.runner, "consultation", parent=window, preset=preset_for(
        window.runner, owner_entity="cluster", owner=detail.record,
        relation=consultations.relation))
    dialog.show()
    grab(dialog, "work_new_consultation_prefilled")
    dialog.done(0)
    plans = next(t for t in detail.relation_tabs if t.relation.key == "action_plans")

    def shoot_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(50, shoot_modal)
            return
        grab(modal, "work_generate_from_tab")
        modal.reject()

    QTimer.singleShot(0, shoot_modal)
    plans.generate_selected()
    detail.tabs.setCurrentIndex(0)

def shoot_tasks(window, grab, out: Path) -> None:
    """The Tasks work list at 1366x768: as it opens (the demo advisor has no task of their
    own, so on the office's open ones, overdue rows in red), the status filter open, my
    own (empty, saying what to do next), everyone's in every state, and the dashboard's
    follow-up counters that lead there."""
    from PySide6.QtWidgets import QMenu

    from euregionet_desktop.services.tasks import TaskScope, TaskStatus

    size = window.size()
    window.resize(1366, 768)
    view = window.lists["task"]
    window.go_to(window.views.index(view))
    view.table.selectRow(0)
    grab(window, "tasks_1366_opened")
    view.status_choice.showPopup()
    picture = window.grab()
    painter = QPainter(picture)
    popup = view.status_choice.view().window()
    painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    picture.save(str(out / "tasks_1366_status_filter.png"))
    view.status_choice.hidePopup()
    view.table.customContextMenuRequested.emit(
        view.table.visualRect(view.model.index(0, 2)).center())
    menu = view.findChild(QMenu, "tasksMenu")
    grab(menu, "tasks_menu_mark_done")
    menu.close()
    view.show_filtered(status=TaskStatus.OPEN, scope=TaskScope.MINE)
    grab(window, "tasks_1366_mine_empty")
    view.show_filtered(status=TaskStatus.ALL, scope=TaskScope.ALL)
    view.table.selectRow(0)
    grab(window, "tasks_1366_everyone_all")
    window.go_to(0)
    grab(window, "tasks_1366_dashboard_counters")
    window.resize(size)


def shoot_exports(window, grab, out: Path) -> None:
    """At 1366x768: the contacts list's context menu with its export entries (two contacts
    selected), the events list's with Add to calendar, and File > Export open, each menu
    painted onto the window as a person sees it."""
    from PySide6.QtWidgets import QMenu

    size = window.size()
    window.resize(1366, 768)

    def with_menus(name: str, *menus: QWidget) -> None:
        for _ in range(5):
            window.runner.pool.waitForDone()
            QApplication.processEvents()
        picture = window.grab()
        painter = QPainter(picture)
        for menu in menus:
            painter.drawPixmap(window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0))),
                               menu.grab())
        painter.end()
        picture.save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    for entity, rows in (("contact", (0, 2)), ("event", (0,))):
        view = window.lists[entity]
        window.go_to(window.views.index(view))
        view.table.clearSelection()
        for row in rows:
            view.table.selectionModel().select(
                view.model.index(row, 0),
                view.table.selectionModel().SelectionFlag.Select
                | view.table.selectionModel().SelectionFlag.Rows)
        view.table.customContextMenuRequested.emit(
            view.table.visualRect(view.model.index(rows[-1], 0)).center())
        menu = next(m for m in view.findChildren(QMenu, f"{view.object_prefix}Menu")
                    if m.isVisible())
        with_menus(f"export_{entity}_context_menu", menu)
        menu.close()
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.popup(window.mapToGlobal(QPoint(4, window.menuBar().height())))
    export_menu = window.exports.menu
    file_menu.setActiveAction(export_menu.menuAction())
    export_menu.popup(file_menu.mapToGlobal(
        file_menu.actionGeometry(export_menu.menuAction()).topRight()))
    with_menus("export_file_menu", file_menu, export_menu)
    export_menu.hide()
    file_menu.hide()
    # An export done: the status bar's notice with its Open folder button.
    import tempfile

    from PySide6.QtWidgets import QFileDialog

    asked = QFileDialog.getSaveFileName
    folder = Path(tempfile.mkdtemp(prefix="euregionet-export-"))
    QFileDialog.getSaveFileName = lambda *args, **kwargs: (  # type: ignore[method-assign]
        str(folder / "kontakty.xlsx"), "")
    try:
        window.exports.export_list(view)
        with_menus("export_done_status_bar")
    finally:
        QFileDialog.getSaveFileName = asked  # type: ignore[method-assign]
    window.resize(size)


def shoot_person_report(window, language: str, out: Path) -> None:
    """A contact person's context menu with Person report…, the Record menu with it, and
    the message once the report is written; the report itself is kept beside the
    pictures (person_report.docx), to be converted to PDF and looked at."""
    import tempfile

    from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

    def with_menus(name: str, *menus: QWidget) -> None:
        for _ in range(5):
            window.runner.pool.waitForDone()
            QApplication.processEvents()
        picture = window.grab()
        painter = QPainter(picture)
        for menu in menus:
            painter.drawPixmap(window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0))),
                               menu.grab())
        painter.end()
        picture.save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    with_menus("person_report_list")
    view.table.selectRow(0)
    view.table.customContextMenuRequested.emit(
        view.table.visualRect(view.model.index(0, 0)).center())
    menu = next(m for m in view.findChildren(QMenu, f"{view.object_prefix}Menu")
                if m.isVisible())
    with_menus("person_report_context_menu", menu)
    menu.close()
    record_menu = next(action.menu() for action in window.menuBar().actions()
                       if window.person_report_action in action.menu().actions())
    record_menu.popup(window.mapToGlobal(QPoint(
        window.menuBar().actionGeometry(record_menu.menuAction()).left(),
        window.menuBar().height())))
    record_menu.setActiveAction(window.person_report_action)
    with_menus("person_report_record_menu", record_menu)
    record_menu.hide()
    folder = Path(tempfile.mkdtemp(prefix="euregionet-person-report-"))
    asked = QFileDialog.getSaveFileName
    QFileDialog.getSaveFileName = lambda *args, **kwargs: (  # type: ignore[method-assign]
        str(folder / "person_report.docx"), "")

    def shoot_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, shoot_message)
            return
        box.grab().save(str(out / "person_report_written.png"))
        print(out / "person_report_written.png")
        box.accept()

    QTimer.singleShot(0, shoot_message)
    try:
        window.person_report()
        while not (folder / "person_report.docx").exists():
            window.runner.pool.waitForDone(50)
            QApplication.processEvents()
        for _ in range(20):
            QApplication.processEvents()
            window.runner.pool.waitForDone(20)
    finally:
        QFileDialog.getSaveFileName = asked  # type: ignore[method-assign]
    (out / f"person_report_{language}.docx").write_bytes(
        (folder / "person_report.docx").read_bytes())
    print(out / f"person_report_{language}.docx")


def shoot_settings(window, grab) -> None:
    """The Edit menu with its Settings entry, the Settings dialog, and the question that
    offers a restart in the language chosen."""
    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.i18n import current_language
    from euregionet_desktop.ui.settings_dialog import SettingsDialog, ask_restart

    menu = window.settings_action.associatedObjects()[-1]
    menu.popup(window.mapToGlobal(QPoint(60, 30)))
    grab(menu, "menu_edit")
    menu.hide()
    dialog = SettingsDialog(None, window, runner=window.runner)  # as the Edit menu opens it
    dialog.show()
    grab(dialog, "dialog_settings")
    dialog.done(0)

    def shoot_question() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, shoot_question)
            return
        grab(box, "dialog_restart_question")
        box.reject()

    QTimer.singleShot(0, shoot_question)
    ask_restart(window, "pl" if current_language() != "pl" else "de")


def shoot_programme(window, core, grab) -> None:
    """The Settings' Programme page as it opens (the seeded 2014–2020 wording, no logo),
    and with both logos set and the 2021–2027 wording filled in, not saved yet."""
    import tempfile

    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QFileDialog

    from euregionet_desktop.ui.settings_dialog import SettingsDialog

    folder = Path(tempfile.mkdtemp(prefix="euregionet-logos-"))
    for name, size, colour in (("flaga-UE.png", (90, 60), "#003399"),
                               ("logo-Interreg.png", (240, 60), "#00873c")):
        image = QImage(*size, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        painter = QPainter(image)
        painter.fillRect(0, size[1] // 3, size[0], size[1] // 3, QColor("#ffcc00"))
        painter.end()
        image.save(str(folder / name))
    dialog = SettingsDialog(None, window, runner=window.runner)
    dialog.resize(window.width() * 3 // 4, window.height() * 9 // 10)
    dialog.tabs.setCurrentWidget(dialog.programme)
    dialog.show()
    grab(dialog, "dialog_settings_programme")
    page = dialog.programme
    asked = QFileDialog.getOpenFileName
    try:
        for name, file in (("eu-emblem", "flaga-UE.png"), ("programme-logo", "logo-Interreg.png")):
            QFileDialog.getOpenFileName = (  # type: ignore[method-assign]
                lambda *args, chosen=str(folder / file), **kwargs: (chosen, ""))
            page.logos[name].choose.click()
    finally:
        QFileDialog.getOpenFileName = asked  # type: ignore[method-assign]
    period = page.editors["period"].combo
    period.setCurrentIndex(period.findData("2021-2027"))
    page.wording.click()
    grab(dialog, "dialog_settings_programme_changed")
    dialog.done(0)


def shoot_retention(window, core, grab) -> None:
    """The retention review: the Edit menu's entry, the period on the Programme page, the
    persons due with three ticked, the one question before erasing (cancelled), and the
    review without a period set.

    The demo profile is made today; its contact persons are dated back to March 2018
    (created, and their own writes in the change log), as in a profile kept since, so
    that their consultations, events, memberships, tasks and consents decide who is due
    five years after the programme's end."""
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from euregionet_desktop.services.programme import update_programme
    from euregionet_desktop.sync.clock import COUNTER_BITS
    from euregionet_desktop.ui.retention_dialog import RetentionDialog
    from euregionet_desktop.ui.settings_dialog import SettingsDialog

    in_2018_ms = 1_519_894_800_000  # 2018-03-01 09:00 UTC
    with core.backend.engine.begin() as connection:
        connection.execute(text("UPDATE contact SET created_at = '2018-03-01T09:00:00+00:00'"))
        connection.execute(text("UPDATE change_log SET hlc = :hlc WHERE entity = 'contact'"),
                           {"hlc": in_2018_ms << COUNTER_BITS})
    core.backend.run(update_programme, profile=core.profile,
                     values={"retention_contact_years": "5"})
    retention = window.findChild(QAction, "actionRetentionReview")
    menu = retention.associatedObjects()[-1]
    menu.popup(window.mapToGlobal(QPoint(60, 30)))
    menu.setActiveAction(retention)
    grab(menu, "menu_edit_retention")
    menu.hide()

    settings = SettingsDialog(None, window, runner=window.runner)
    settings.resize(window.width() * 3 // 4, window.height() * 9 // 10)
    settings.tabs.setCurrentWidget(settings.programme)
    settings.show()
    scroll = settings.programme.findChild(QWidget, "programmeScroll")
    scroll.ensureWidgetVisible(settings.programme.findChild(QWidget, "programmeRetentionNote"))
    grab(settings, "dialog_settings_programme_retention")
    settings.done(0)

    dialog = RetentionDialog(window.runner, window)
    dialog.show()
    while dialog.review is None:  # read in the thread pool
        window.runner.pool.waitForDone(50)
        QApplication.processEvents()
    for row in range(min(3, dialog.model.rowCount())):
        dialog.model.setData(dialog.model.index(row, 0), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)
    grab(dialog, "dialog_retention_review")

    def shoot_question() -> None:
        box = QApplication.activeModalWidget()
        if box is None or box is dialog:
            QTimer.singleShot(50, shoot_question)
            return
        grab(box, "dialog_retention_question")
        box.reject()

    QTimer.singleShot(0, shoot_question)
    dialog.erase_selected()  # cancelled: nothing is erased
    dialog.done(0)

    core.backend.run(update_programme, profile=core.profile,
                     values={"retention_contact_years": ""})
    dialog = RetentionDialog(window.runner, window)
    dialog.show()
    grab(dialog, "dialog_retention_no_setting")
    dialog.done(0)


def shoot_backups(window, core, grab) -> None:
    """The Backups page of the Settings with a few backups, the question before a
    restore, and the offer to restore when the database is found damaged."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from euregionet_desktop.errors import DamagedDatabaseError, InterruptedMigrationError
    from euregionet_desktop.i18n import _
    from euregionet_desktop.services.backups import create_backup, list_backups
    from euregionet_desktop.ui.backups_page import confirm_restore
    from euregionet_desktop.ui.profile_health import (
        RestoreOfferDialog,
        offer_text,
        restored_text,
        suggested_backup,
    )
    from euregionet_desktop.ui.settings_dialog import SettingsDialog

    for reason in ("before-migration", "daily", "before-import", "before-restore", "manual"):
        create_backup(core.profile, reason=reason)
    dialog = SettingsDialog(None, window, runner=window.runner)
    dialog.tabs.setCurrentWidget(dialog.backups)
    dialog.show()
    dialog.backups.table.selectRow(0)
    grab(dialog, "dialog_settings_backups")
    dialog.done(0)

    def shoot_question() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, shoot_question)
            return
        grab(box, "dialog_restore_question")
        box.reject()

    backups = list_backups(core.profile)
    QTimer.singleShot(0, shoot_question)
    confirm_restore(window, backups[-1])
    damaged = DamagedDatabaseError("", backup=backups[0].id)
    interrupted = InterruptedMigrationError("")
    # (name, error, backups shown, the one suggested, the refusing button)
    for name, error, shown, suggested, decline in (
            ("dialog_restore_offer", damaged, backups, backups[0].id, _("Quit")),
            ("dialog_restore_offer_later", damaged, backups, backups[0].id, _("Not now")),
            ("dialog_restore_offer_interrupted", interrupted, backups,
             suggested_backup(interrupted, backups), _("Quit")),
            ("dialog_restore_offer_no_backups", DamagedDatabaseError(""), [], None,
             _("Quit"))):
        offer = RestoreOfferDialog(offer_text(core.profile, error, suggested), shown,
                                   suggested, decline, window)
        offer.show()
        grab(offer, name)
        offer.done(0)
    from euregionet_desktop.services.backups import RestoreReport

    report = RestoreReport(backups[1], 2, core.profile.backups / "damaged-x.sqlite3")
    box = QMessageBox(QMessageBox.Icon.Information, _("Restore a backup"),
                      restored_text(report), parent=window)
    box.show()
    grab(box, "dialog_restored")
    box.done(0)


def shoot_office_and_empty_lists(window, grab) -> None:
    """The first-run dialog (nothing chosen, then an office), a fresh profile's empty
    Clusters list, a filter that hides everything, and the Settings' Office page before and
    after the first export."""
    import tempfile

    from PySide6.QtTest import QTest

    from euregionet_desktop.app import open_demo_profile
    from euregionet_desktop.services import bundle_export
    from euregionet_desktop.ui.first_run import FirstRunDialog
    from euregionet_desktop.ui.main_window import MainWindow
    from euregionet_desktop.ui.settings_dialog import SettingsDialog

    dialog = FirstRunDialog(window)
    dialog.show()
    grab(dialog, "dialog_first_run")
    dialog.office.setCurrentIndex(dialog.office.findData("LOP"))
    grab(dialog, "dialog_first_run_chosen")
    dialog.done(0)

    clusters = window.lists["cluster"]
    window.go_to(window.views.index(clusters))
    clusters.filter.setText("zzqx")
    QTest.qWait(400)  # the filter applies once typing pauses
    grab(window, "empty_filtered_clusters")
    clusters.filter.clear()
    QTest.qWait(400)

    core = open_demo_profile(fill=False)
    fresh = MainWindow(core)
    fresh.resize(window.size())
    fresh.show()
    for entity in ("cluster", "contact"):
        fresh.go_to(fresh.views.index(fresh.lists[entity]))
        grab(fresh, f"empty_{entity}_list")
    for name in ("dialog_settings_office", "dialog_settings_office_refused"):
        dialog = SettingsDialog(None, fresh, runner=fresh.runner)
        dialog.tabs.setCurrentWidget(dialog.office)
        dialog.show()
        grab(dialog, name)
        dialog.done(0)
        core.backend.run(bundle_export.export_bundle, profile=core.profile, to_office="BIC",
                         path=Path(tempfile.mkdtemp()) / "first.zip")
    fresh.close()
    core.close()

def shoot_exchange_words(window, grab) -> None:
    """An export from the Sync view as a person makes it: the warning when no key of the
    office is trusted (so it cannot be encrypted), the confirmation with "Open folder" and
    the status bar; Qt's file dialogs (save and open) in the window's language."""
    import tempfile

    from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QMessageBox

    from euregionet_desktop.i18n import _
    from euregionet_desktop.ui.sync_view import bundle_filter

    folder = Path(tempfile.mkdtemp(prefix="euregionet-shots-"))
    view = window.sync_view
    window.go_to(window.views.index(view))
    view.office.setCurrentIndex(view.office.findData("SNB"))

    def shoot_warning() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, shoot_warning)
            return
        grab(box, "dialog_export_unencrypted")
        next(b for b in box.findChildren(QAbstractButton)
             if b.text() == _("Export unencrypted")).click()

    saving = QFileDialog.getSaveFileName
    QFileDialog.getSaveFileName = staticmethod(  # the file dialog is shot below
        lambda *_args: (str(folder / "euregionet-for-SNB.eurnet"), ""))
    try:
        QTimer.singleShot(0, shoot_warning)
        view.export_bundle()
        for _round in range(50):
            QApplication.processEvents()
            window.runner.pool.waitForDone(100)
            if view.findChild(QMessageBox, "exportDone") is not None:
                break
    finally:
        QFileDialog.getSaveFileName = saving
    done = view.findChild(QMessageBox, "exportDone")
    grab(window, "view_sync_exported")
    grab(done, "dialog_export_done")
    done.done(0)
    for name, mode, caption, file_filter in (
            ("dialog_file_save", QFileDialog.AcceptMode.AcceptSave, _("Export bundle"),
             bundle_filter()),
            ("dialog_file_open", QFileDialog.AcceptMode.AcceptOpen, _("Import bundle"),
             bundle_filter(old_names=True))):
        dialog = QFileDialog(window, caption, str(folder), file_filter)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
        dialog.setAcceptMode(mode)
        dialog.show()
        grab(dialog, name)
        dialog.done(0)


def shoot_opened_bundle(window, core, grab) -> None:
    """The window as ``euregionet FILE.eurnet`` (a double click on a bundle) opens it: the
    Sync view with the import preview of a real encrypted bundle from a partner (BIC)."""
    import tempfile

    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services import bundle_export, partners, records
    from euregionet_desktop.services.profile import initialise, open_profile
    from euregionet_desktop.sync.file_type import FILE_SUFFIX
    from euregionet_desktop.ui.sync_view import ImportPreviewDialog

    folder = Path(tempfile.mkdtemp(prefix="euregionet-shots-"))
    partner = open_profile(Profile(folder / "BIC"), purpose="screenshots")
    try:
        partner.backend.run(initialise, office="BIC", label="Laptop Frankfurt 1",
                            advisor_name="Katrin Schulz")
        for here, there in ((partner, core), (core, partner)):
            here.backend.run(partners.trust, partner=there.backend.read(
                partners.own_public_keys, profile=there.profile))
        for first, last in (("Jürgen", "Großmann"), ("Małgorzata", "Wójcik")):
            partner.backend.run(records.create, entity="contact",
                                values={"first_name": first, "last_name": last})
        bundle = folder / f"euregionet-for-LOP{FILE_SUFFIX}"
        partner.backend.run(bundle_export.export_bundle, profile=partner.profile,
                            to_office="LOP", path=bundle, encrypt=True)
    finally:
        partner.close()

    def shoot_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ImportPreviewDialog):
            QTimer.singleShot(50, shoot_preview)
            return
        # Offscreen has no screen to grab: paint the dialog onto the window's picture.
        picture = window.grab()
        painter = QPainter(picture)
        painter.drawPixmap(window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))),
                           dialog.grab())
        painter.end()
        grab(picture, "window_opened_on_bundle")
        dialog.reject()

    QTimer.singleShot(0, shoot_preview)
    window.open_bundle(bundle)


def shoot_hub(window, core, grab) -> None:
    """The hub's set-up dialog (as filled in, and refusing a folder without its full path),
    the Sync view after a sync through a shared folder, and the same folder gone (quiet)."""
    import tempfile

    from PySide6.QtCore import QEventLoop

    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services import hub, partners
    from euregionet_desktop.services.profile import initialise, open_profile
    from euregionet_desktop.ui.hub_group import HubSetupDialog

    folder = Path(tempfile.mkdtemp(prefix="euregionet-shots-hub-"))
    share = folder / "EuRegioNet-Austausch"
    share.mkdir()
    partner = open_profile(Profile(folder / "SNB"), purpose="screenshots")
    try:  # a partner to sync with: its key trusted here
        partner.backend.run(initialise, office="SNB", label="Laptop Dresden",
                            advisor_name="Jana Nováková")
        core.backend.run(partners.trust, partner=partner.backend.read(
            partners.own_public_keys, profile=partner.profile))
    finally:
        partner.close()

    dialog = HubSetupDialog(window.runner, None, window)
    dialog.url.setText(str(share))
    dialog.auto.setChecked(True)
    dialog.show()
    grab(dialog, "dialog_hub_setup")
    dialog.url.setText("EuRegioNet-Austausch")
    dialog.save()  # refused: the reason under the field, nothing stored
    grab(dialog, "dialog_hub_setup_refused")
    dialog.done(0)

    window.runner.write(window, hub.set_hub, url=str(share), auto_minutes=15)
    view = window.sync_view
    window.go_to(window.views.index(view))
    group = view.hub

    def sync() -> None:
        loop = QEventLoop()
        group.ended.connect(loop.quit)
        if group.sync_now():
            loop.exec()
        group.ended.disconnect(loop.quit)

    sync()
    grab(window, "view_sync_hub")
    share.rename(folder / "pulled")  # the share not connected
    sync()
    grab(window, "view_sync_hub_offline")
    (folder / "pulled").rename(share)
    group.timer.stop()


def shoot_duplicates(window, core, grab) -> None:
    """Issue 17 at 1366x768: the new-organisation and new-contact forms warning while a NIP
    and an e-mail are typed, the Duplicates view (organisations, contacts) and the merge
    dialog. The demo data has no duplicates: two near-duplicate firms and two contacts are
    added for the shots and taken away after."""
    from euregionet_desktop.services import merging, records, undo
    from euregionet_desktop.ui.merge_dialog import MergeDialog
    from euregionet_desktop.ui.record_dialog import RecordDialog

    size = window.size()
    window.resize(1366, 768)
    added = []

    def add(entity: str, **values) -> str:
        changes = core.backend.run(records.create, entity=entity, values=values)
        added.append(changes)
        return changes.record_id

    first = add("organisation", name="Odrzańskie Zakłady Metalowe Sp. z o.o.", country="PL",
                kind="small", city="Gorzów Wielkopolski", nip="5990002005",
                website="https://www.ozm-gorzow.pl", phone="+48957201144")
    second = add("organisation", name="ODRZANSKIE ZAKLADY METALOWE", country="PL",
                 city="Gorzów Wlkp.", vat_id="PL5990002005", street="ul. Kostrzyńska 12")
    third = add("organisation", name="OZM Sp. z o.o.", country="PL", city="Gorzów Wlkp.",
                nip="599-000-20-05")
    add("contact", first_name="Agnieszka", last_name="Wróblewska", organisation_id=first,
        email="a.wroblewska@ozm-gorzow.pl", phone="+48957201150", function="Prezes zarządu")
    add("contact", first_name="Agnieszka", last_name="Wroblewska", organisation_id=second,
        email="A.Wroblewska@ozm-gorzow.pl", mobile="+48601234567")

    def typed(entity: str, name: str, values: dict[str, str]) -> None:
        dialog = RecordDialog(window.runner, entity, parent=window)
        dialog.show()
        for field, text in values.items():
            dialog.form.editors[field].edit.setText(text)
        dialog.duplicate_hints.check()
        grab(dialog, name)
        dialog.done(0)

    typed("organisation", "duplicates_1_typed_nip",
          {"name": "Odrzańskie Zakłady", "nip": "PL 599-000-20-05"})
    typed("contact", "duplicates_2_typed_email",
          {"first_name": "Agnieszka", "last_name": "Wróblewska",
           "email": "a.wroblewska@OZM-gorzow.pl"})
    view = window.duplicates
    window.go_to(window.views.index(view))
    for index, entity in enumerate(("organisation", "contact")):
        view.kind.setCurrentIndex(view.kind.findData(entity))
        window.runner.pool.waitForDone()
        QApplication.processEvents()
        if not view.pairs:
            raise RuntimeError(f"no {entity} pair to merge in the screenshots")
        pair = view.pairs[0]
        view.select_pair(*pair.ids)
        grab(window, f"duplicates_{3 + index}_view_{entity}")
        dialog = MergeDialog(window.runner, core.backend.read(
            merging.merge_preview, entity=entity, ids=list(pair.ids)), window)
        dialog.show()
        grab(dialog, f"duplicates_{5 + index}_merge_{entity}")
        dialog.done(0)
    # Three firms with one NIP: all of them side by side, merged, the History of the one kept.
    view.kind.setCurrentIndex(view.kind.findData("organisation"))
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    view.select_pair(first, third)
    grab(window, "duplicates_7_view_group")
    ids = [first, second, third]
    dialog = MergeDialog(window.runner, core.backend.read(
        merging.merge_preview, entity="organisation", ids=ids), window)
    dialog.show()
    grab(dialog, "duplicates_8_merge_group")
    dialog.done(0)
    merged = core.backend.run(merging.merge, entity="organisation", survivor_id=first,
                              other_ids=[second, third])
    added.append(merged)
    organisations = window.lists["organisation"]
    window.go_to(window.views.index(organisations))
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    organisations.refresh(merged)
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    organisations.select_record(first)
    detail = organisations.detail
    detail.tabs.setCurrentIndex(detail.history_index)
    window.runner.pool.waitForDone()
    QApplication.processEvents()
    grab(window, "duplicates_9_history_merged")
    view.kind.setCurrentIndex(0)
    for changes in reversed(added):
        core.backend.run(undo.undo, step=changes.undo)
    window.resize(size)


def shoot_import_wizard(window, grab) -> None:
    """Every page of the import wizard on a Polish Excel CSV (cp1250, ";", Polish headers)
    with one bad e-mail address and a duplicate row: the file and kind, the first rows as
    read, the mapping, the preview (all rows, errors only, the box ticked), the report, and
    the File menu that opens it; the import is undone after."""
    import tempfile

    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.ui.import_wizard import MAPPING, PREVIEW, REPORT, SOURCE, ImportWizard

    folder = Path(tempfile.mkdtemp(prefix="euregionet-shots-"))
    path = folder / "członkowie klastra.csv"
    path.write_bytes((
        "Imię;Nazwisko;Firma;NIP firmy;E-mail;Telefon;Miasto;Kod pocztowy;Stanowisko\r\n"
        "Łukasz;Żółkiewski;Przedsiębiorstwo Łąka Sp. z o.o.;5260250274;l.zolkiewski@laka.pl;"
        "+48 95 720 12 34;Gorzów Wielkopolski;66-400;Kierownik działu\r\n"
        "Małgorzata;Częścik;Przedsiębiorstwo Łąka Sp. z o.o.;526-025-02-74;m.czescik@laka.pl;"
        "957201235;Gorzów Wielkopolski;66400;Główna księgowa\r\n"
        "Jan;Wiśniewski;Przedsiębiorstwo Łąka Sp. z o.o.;5260250274;jan.wisniewski@@laka;;"
        "Gorzów Wielkopolski;66-400;Specjalista\r\n"
        "Łukasz;Żółkiewski;Przedsiębiorstwo Łąka Sp. z o.o.;PL5260250274;L.Zolkiewski@LAKA.pl;;"
        "Gorzów Wielkopolski;66-400;Kierownik działu\r\n"
        "Jürgen;Müller;Oderland Holz GmbH;;j.mueller@oderland-holz.de;+49 335 123456;"
        "Frankfurt (Oder);15230;Geschäftsführer\r\n").encode("cp1250", errors="replace"))

    menu = window.import_action.associatedObjects()[-1]
    menu.popup(window.mapToGlobal(QPoint(10, 30)))
    grab(menu, "menu_file")
    menu.hide()
    from PySide6.QtWidgets import QMenu

    for entity in ("contact", "cluster"):  # each list's menu imports its own kind
        view = window.lists[entity]
        window.go_to(window.views.index(view))
        view.table.selectRow(0)
        view.table.customContextMenuRequested.emit(
            view.table.visualRect(view.model.index(0, 0)).center())
        menu = view.findChild(QMenu, f"{view.object_prefix}Menu")
        grab(menu, f"menu_{entity}_list_import")
        menu.close()
    window.go_to(window.views.index(window.lists["event"]))
    grab(ImportWizard(window.runner, window.places, kind="participant", parent=window),
         "import_1_file_participants")
    wizard = window.import_file(path, kind="contact")

    def until(page: int) -> None:
        for _round in range(200):
            window.runner.pool.waitForDone(50)
            QApplication.processEvents()
            if wizard.current() == page and not wizard.working:
                return
        raise RuntimeError(f"the wizard did not reach page {page}")

    grab(wizard, "import_1_file")
    for page, name in ((SOURCE, "import_2_source"), (MAPPING, "import_3_mapping"),
                       (PREVIEW, "import_4_preview")):
        wizard.go_next()
        until(page)
        grab(wizard, name)
        if page == MAPPING:  # a column's choices: nothing, the notes, the fields
            combo = wizard.mapping.combos[-1]
            combo.showPopup()
            picture = wizard.grab()
            painter = QPainter(picture)
            popup = combo.view().window()
            painter.drawPixmap(wizard.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))),
                               popup.grab())
            painter.end()
            grab(picture, "import_3_mapping_choices")
            combo.hidePopup()
    wizard.preview_page.errors_only.setChecked(True)
    grab(wizard, "import_4_preview_errors_only")
    wizard.preview_page.errors_only.setChecked(False)
    wizard.preview_page.skip_invalid.setChecked(True)
    grab(wizard, "import_4_preview_skip_invalid")
    wizard.go_next()
    until(REPORT)
    grab(wizard, "import_5_report")
    wizard.accept()
    grab(window, "import_6_list_after")
    window.undo_action.trigger()
    # The same columns again: the mapping used last time, said so.
    wizard = window.import_file(path, kind="contact")
    wizard.go_next()
    until(SOURCE)
    wizard.go_next()
    until(MAPPING)
    grab(wizard, "import_3_mapping_remembered")
    wizard.reject()
    # A file that is no table: one line, and the wizard stays on its first page.
    picture_file = folder / "lista.csv"
    picture_file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    wizard = window.import_file(picture_file, kind="contact")

    def shoot_refusal() -> None:
        box = QApplication.activeModalWidget()
        if box is None or box is wizard:
            QTimer.singleShot(50, shoot_refusal)
            return
        picture = wizard.grab()
        painter = QPainter(picture)
        painter.drawPixmap(wizard.mapFromGlobal(box.mapToGlobal(QPoint(0, 0))), box.grab())
        painter.end()
        grab(picture, "import_1_file_refused")
        box.done(0)

    QTimer.singleShot(0, shoot_refusal)
    wizard.go_next()
    for _round in range(100):
        window.runner.pool.waitForDone(50)
        QApplication.processEvents()
        if not wizard.working:
            break
    wizard.reject()


if __name__ == "__main__":
    sys.exit(main())
