"""Ctrl+Z after an erasure: a step needing the erased person is refused with a message and
leaves the history; the other steps stay (issue 13)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from euregionet_desktop.services import (
    bundle_export,
    bundle_import,
    erasure,
    records,
)
from euregionet_desktop.services.dump import dump
from euregionet_desktop.ui import op_runner, sync_view
from euregionet_desktop.ui.main_window import MainWindow


def _send(cores, source: str, target: str, path: Path) -> Path:
    cores[source].backend.run(bundle_export.export_bundle, profile=cores[source].profile,
                              to_office=target, path=path)
    return path


def _task(core, erased: str) -> str:
    return core.backend.run(records.create, entity="task", values={
        "title": "Send the offer", "contact_id": erased}).record_id


def _contact(core, first: str, last: str) -> str:
    return core.backend.run(records.create, entity="contact", values={
        "first_name": first, "last_name": last}).record_id


def test_undo_of_a_step_needing_an_erased_person_shows_why_and_drops_it(qtbot, core,
                                                                        monkeypatch):
    """The Edit menu's Undo for a task pointed away from a person erased since: the
    message names the step, nothing is written, the menu moves on to the step before."""
    erased = _contact(core, "Celina", "Erased")
    other = _contact(core, "Dieter", "Other")
    task = _task(core, erased)
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    told = []
    monkeypatch.setattr(op_runner, "show_error", lambda _parent, error: told.append(str(error)))
    window.runner.write(window, records.create, entity="cluster",
                        values={"name_pl": "Klaster Odra", "country": "PL"})
    window.runner.write(window, records.update_record, entity="task", record_id=task,
                        values={"contact_id": other})
    assert window.undo_action.text() == "&Undo Edit Task"
    # The erasure arrives by a path that leaves the window's history as it is.
    core.backend.run(erasure.erase, entity="contact", record_id=erased)
    before = core.backend.read(dump)

    window.undo_action.trigger()
    assert told == ["“Edit Task” cannot be undone: it needs a record that has been erased "
                    "for good (Contact person). The step was removed from the undo history."]
    assert core.backend.read(dump) == before
    assert core.backend.read(records.get, entity="task", record_id=task
                             ).values["contact_id"] == other
    assert window.undo_action.text() == "&Undo Add Cluster"
    assert not window.redo_action.isEnabled()
    window.undo_action.trigger()  # the step before it still undoes
    assert core.backend.read(records.list_page, entity="cluster").total == 0
    assert len(told) == 1


def test_an_imported_erasure_drops_only_the_steps_needing_the_person(qtbot, offices, tmp_path,
                                                                      monkeypatch):
    """A bundle with an erasure imported in the Sync view: the report says one step left
    the undo history; the step not naming the person stays and still undoes."""
    bic, lop = offices["BIC"], offices["LOP"]
    erased = _contact(bic, "Celina", "Erased")
    other = _contact(bic, "Dieter", "Other")
    task = _task(bic, erased)
    lop.backend.run(bundle_import.import_bundle, profile=lop.profile,
                    data=_send(offices, "BIC", "LOP", tmp_path / "1.zip").read_bytes())
    window = MainWindow(lop)
    qtbot.addWidget(window)
    window.show()
    window.runner.write(window, records.update_record, entity="task", record_id=task,
                        values={"contact_id": other})
    window.runner.write(window, records.create, entity="cluster",
                        values={"name_pl": "Klaster Odra", "country": "PL"})
    assert len(window.runner.history.steps()) == 2
    bic.backend.run(erasure.erase, entity="contact", record_id=erased)
    bundle = _send(offices, "BIC", "LOP", tmp_path / "2.zip")

    view = next(v for v in window.views if isinstance(v, sync_view.SyncView))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.go_to(window.views.index(view))
    told = []
    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask",
                        classmethod(lambda cls, parent, report: True))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        report = view.import_file(bundle)
    assert report is not None and report.erased == 1
    assert ("1 step was removed from the undo history: it needs a person erased by this "
            "bundle.") in told[0]
    assert [s.label for s in window.runner.history.steps()] == ["Add Cluster"]
    assert window.undo_action.text() == "&Undo Add Cluster"
    window.undo_action.trigger()
    assert lop.backend.read(records.list_page, entity="cluster").total == 0
    assert lop.backend.read(records.get, entity="task", record_id=task
                            ).values["contact_id"] == other


def test_erasing_from_the_contacts_list_keeps_the_steps_not_naming_the_person(qtbot, core,
                                                                              monkeypatch):
    """Erase personal data drops the steps that name the person (their values go from
    memory with them); an unrelated step stays and still undoes."""
    erased = _contact(core, "Celina", "Erased")
    other = _contact(core, "Dieter", "Other")
    task = _task(core, erased)
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    window.runner.write(window, records.update_record, entity="contact", record_id=erased,
                        values={"function": "CEO"})
    window.runner.write(window, records.create, entity="cluster",
                        values={"name_pl": "Klaster Odra", "country": "PL"})
    window.runner.write(window, records.update_record, entity="task", record_id=task,
                        values={"contact_id": other})
    window.open_record("contact", erased)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *args: QMessageBox.StandardButton.Yes)
    window.lists["contact"].erase_selected()
    assert core.backend.read(records.list_page, entity="contact").total == 1
    assert [s.label for s in window.runner.history.steps()] == ["Add Cluster"]
    assert window.undo_action.text() == "&Undo Add Cluster"
