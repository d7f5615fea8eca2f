"""The Sync view shows changes that have waited too long, with what to do."""

from __future__ import annotations

import sqlite3

from euregionet_desktop.services import bundle_export, bundle_import, records, waits
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.ui import sync_view
from euregionet_desktop.ui.main_window import MainWindow


def test_the_sync_view_names_a_long_wait_and_what_to_do(qtbot, offices, tmp_path):
    """BIC lost one of its own changes: after a few imports at LOP its later changes still
    wait; the Sync view shows the installation, the change they wait for and the advice."""
    bic, lop = offices["BIC"], offices["LOP"]
    for n in range(2):
        bic.backend.run(records.create, entity="organisation",
                        values={"name": f"Odra {n}", "country": "PL"})
    installation = bic.backend.read(profile_info).installation_id
    with sqlite3.connect(bic.profile.database) as connection:
        connection.execute("DELETE FROM change_log WHERE installation_id = ? AND seq = ("
                           "SELECT min(seq) FROM change_log WHERE entity = 'organisation')",
                           (installation,))
    connection.close()
    for n in range(waits.LONG_WAIT_IMPORTS):
        path = tmp_path / f"{n}.zip"
        bic.backend.run(bundle_export.export_bundle, profile=bic.profile, to_office="LOP",
                        path=path)
        report = lop.backend.run(bundle_import.import_bundle, profile=lop.profile,
                                 data=path.read_bytes())
    assert report.long_waits
    assert installation in sync_view.report_text(report)

    window = MainWindow(lop)
    qtbot.addWidget(window)
    window.show()
    view = next(v for v in window.views if isinstance(v, sync_view.SyncView))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.go_to(window.views.index(view))
    assert view.waits.isVisible()
    assert installation in view.waits.text() and "Send a bundle to BIC" in view.waits.text()
