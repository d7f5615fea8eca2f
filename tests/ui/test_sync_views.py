"""The Sync and Conflicts views and the erase action, between two real profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import (
    backups,
    bundle_export,
    bundle_import,
    erasure,
    partners,
    records,
)
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui import sync_view
from euregionet_desktop.ui.conflicts_view import ConflictsView
from euregionet_desktop.ui.main_window import MainWindow


def _send(cores, source, target, path: Path):
    cores[source].backend.run(bundle_export.export_bundle, profile=cores[source].profile,
                              to_office=target, path=path)
    return path


def _window(qtbot, core, view_class):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    view = next(v for v in window.views if isinstance(v, view_class))
    if view_class is sync_view.SyncView:  # it reads in the background
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            window.go_to(window.views.index(view))
    else:
        window.go_to(window.views.index(view))
    return window, view


def test_import_shows_a_preview_and_applies_on_confirmation(qtbot, offices, tmp_path,
                                                            monkeypatch):
    """A bundle from BIC is previewed (nothing changed), then imported into LOP's lists."""
    contact = offices["BIC"].backend.run(records.create, entity="contact", values={
        "first_name": "Jan", "last_name": "Żółkiewski"}).record_id
    bundle = _send(offices, "BIC", "LOP", tmp_path / "b.zip")
    window, view = _window(qtbot, offices["LOP"], sync_view.SyncView)
    previews, told = [], []

    def look(_parent, report):
        previews.append(report)
        assert offices["LOP"].backend.read(records.list_page, entity="contact").total == 0
        return True

    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(
        lambda cls, parent, report: look(parent, report)))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        report = view.import_file(bundle)
    assert previews[0].applied == report.applied > 0 and previews[0].dry_run
    assert "changes applied" in told[0]
    assert offices["LOP"].backend.read(records.get, entity="contact",
                                       record_id=contact).label == "Jan Żółkiewski"
    window.go_to(window.views.index(window.lists["contact"]))
    assert window.lists["contact"].model.row_of(contact) is not None
    assert view.history.topLevelItemCount() == 1


def test_a_refused_bundle_shows_its_message_and_changes_nothing(qtbot, offices, tmp_path,
                                                                monkeypatch):
    """Random bytes named like a bundle: one clear message, no preview, nothing imported."""
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"%PDF-1.4 not a bundle at all")
    _unused, view = _window(qtbot, offices["LOP"], sync_view.SyncView)
    told = []
    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(
        lambda *_args: pytest.fail("no preview for a refused bundle")))
    monkeypatch.setattr(view.runner, "report", lambda _parent, error: told.append(str(error)))
    assert view.import_file(junk) is None
    assert told and "not an EuRegioNet bundle" in told[0]


def test_trust_and_export_from_the_view(qtbot, offices, tmp_path, monkeypatch):
    """Trusting a key file after the fingerprint dialog, then exporting an encrypted bundle."""
    third = open_profile(Profile(tmp_path / "SNB"), purpose="pytest")
    try:
        third.backend.run(initialise, office="SNB", advisor_name="Advisor SNB")
        key_file = tmp_path / "snb.json"
        key_file.write_bytes(third.backend.read(partners.own_public_keys,
                                                profile=third.profile).to_json())
    finally:
        third.close()
    _unused, view = _window(qtbot, offices["LOP"], sync_view.SyncView)
    shown = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(key_file), ""))
    monkeypatch.setattr(sync_view.TrustDialog, "ask", classmethod(
        lambda cls, parent, partner: shown.append(partner.fingerprint) or True))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.trust_partner()
    assert [p.office_code for p in offices["LOP"].backend.read(partners.trusted_partners)] == [
        "BIC", "SNB"]
    view.office.setCurrentIndex(view.office.findData("SNB"))
    assert view.encrypt.isEnabled() and view.encrypt.isChecked()
    target = tmp_path / "for-snb.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    view.export_bundle()
    qtbot.waitUntil(target.exists, timeout=10_000)
    view.runner.wait()
    assert target.read_bytes().startswith(b"age-encryption.org/v1")
    assert shown and len(shown[0]) > 10


def test_conflict_is_resolved_in_the_conflicts_view(qtbot, offices, tmp_path):
    """Both offices rename one organisation; LOP keeps BIC's name and the conflict is gone."""
    org = offices["BIC"].backend.run(records.create, entity="organisation", values={
        "name": "Odra Metal", "country": "PL"}).record_id
    offices["LOP"].backend.run(bundle_import.import_bundle, profile=offices["LOP"].profile,
                               data=_send(offices, "BIC", "LOP", tmp_path / "1.zip").read_bytes())
    offices["BIC"].backend.run(records.update_record, entity="organisation", record_id=org,
                               values={"name": "Odra Metal BIC"})
    offices["LOP"].backend.run(records.update_record, entity="organisation", record_id=org,
                               values={"name": "Odra Metal LOP"})
    offices["LOP"].backend.run(bundle_import.import_bundle, profile=offices["LOP"].profile,
                               data=_send(offices, "BIC", "LOP", tmp_path / "2.zip").read_bytes())
    _unused, view = _window(qtbot, offices["LOP"], ConflictsView)
    assert view.tree.topLevelItemCount() == 1
    top = view.tree.topLevelItem(0)
    values = {top.child(i).text(1): top.child(i) for i in range(top.childCount())}
    assert set(values) == {"Odra Metal BIC", "Odra Metal LOP"}
    view.tree.setCurrentItem(values["Odra Metal BIC"])
    view.keep_selected()
    assert view.tree.topLevelItemCount() == 0 and view.empty.isVisible()
    assert offices["LOP"].backend.read(records.get, entity="organisation",
                                       record_id=org).values["name"] == "Odra Metal BIC"


def test_a_delete_conflict_is_restored_with_the_edit_in_the_conflicts_view(qtbot, offices,
                                                                          tmp_path):
    """LOP edits an organisation's notes, BIC deletes it without knowing: LOP's view
    offers "keep deleted" and "restore with the edit" (naming the edit); restoring brings
    the organisation back with LOP's notes."""
    bic, lop = offices["BIC"], offices["LOP"]
    org = bic.backend.run(records.create, entity="organisation", values={
        "name": "Odra Metal", "country": "PL"}).record_id
    lop.backend.run(bundle_import.import_bundle, profile=lop.profile,
                    data=_send(offices, "BIC", "LOP", tmp_path / "1.zip").read_bytes())
    lop.backend.run(records.update_record, entity="organisation", record_id=org,
                    values={"notes": "Wants a study trip"})
    bic.backend.run(records.delete, entity="organisation", record_id=org)
    lop.backend.run(bundle_import.import_bundle, profile=lop.profile,
                    data=_send(offices, "BIC", "LOP", tmp_path / "2.zip").read_bytes())
    _unused, view = _window(qtbot, lop, ConflictsView)
    assert view.tree.topLevelItemCount() == 1
    top = view.tree.topLevelItem(0)
    values = [top.child(i).text(1) for i in range(top.childCount())]
    assert values == ["keep deleted", "restore with the edit – edited: Notes"]
    view.tree.setCurrentItem(top.child(1))
    view.keep_selected()
    assert view.tree.topLevelItemCount() == 0
    assert lop.backend.read(records.get, entity="organisation",
                            record_id=org).values["notes"] == "Wants a study trip"


def test_erase_from_the_contacts_list(qtbot, offices, monkeypatch):
    """Erase personal data asks plainly, removes the person and the memberships, no undo."""
    core = offices["LOP"]
    cluster = core.backend.run(records.create, entity="cluster", values={
        "name_pl": "Klaster Odra", "country": "PL"}).record_id
    person = core.backend.run(records.create, entity="contact", values={
        "first_name": "Ewa", "last_name": "Zxqvbel"}).record_id
    core.backend.run(records.create, entity="membership", values={
        "cluster_id": cluster, "contact_id": person, "role": "contact_person"})
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.open_record("contact", person)
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: asked.append(args[2]) or
                        QMessageBox.StandardButton.Yes)
    window.lists["contact"].erase_selected()
    assert "cannot be undone" in asked[0]
    assert core.backend.read(records.list_page, entity="contact").total == 0
    assert core.backend.read(records.list_page, entity="membership").total == 0
    assert core.backend.read(erasure.erasure_count) == 2  # the person and the membership
    assert not window.undo_action.isEnabled()
    assert b"Zxqvbel" not in Path(core.profile.database).read_bytes()


def test_erasing_in_the_window_rewrites_the_backups_and_tells_of_one_deleted(
        qtbot, offices, monkeypatch):
    """After an erasure in the window, a backup made before no longer holds the person,
    and a backup that cannot be rewritten is deleted with a warning naming it."""
    core = offices["LOP"]
    person = core.backend.run(records.create, entity="contact", values={
        "first_name": "Ewa", "last_name": "Zxqvbel"}).record_id
    made = backups.create_backup(core.profile)
    assert b"zxqvbel" in made.path.read_bytes().lower()
    broken = core.profile.backups / "20200101-000000-000000-manual.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.open_record("contact", person)
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: asked.append(args[2]) or
                        QMessageBox.StandardButton.Yes)
    window.lists["contact"].erase_selected()
    assert b"zxqvbel" not in made.path.read_bytes().lower()
    assert not broken.exists()
    assert len(asked) == 2 and "20200101-000000-000000-manual" in asked[1]
