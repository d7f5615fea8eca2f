"""An empty list gives the next step beside it (issue 14, point 9): a first record with
its shortcut, a partner's bundle or key file; a filter that hides everything, the way back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton
from ui_helpers import choose, in_modal, type_into, type_text

from euregionet_desktop.services import records
from euregionet_desktop.ui.record_dialog import RecordDialog

pytestmark = pytest.mark.usefixtures("english")


def _open(window, entity):
    view = window.lists[entity]
    window.go_to(window.views.index(view))
    return view


def test_empty_clusters_offer_a_first_cluster(qtbot, window, core):
    """"No clusters yet" and "New cluster (Ctrl+N)" instead of "Select a record…"; the
    button opens the cluster form, and once saved the list shows it with its details."""
    view = _open(window, "cluster")
    assert view.count.text() == "0 records"
    assert view.side.currentWidget() is view.empty and view.empty.isVisible()
    assert not view.detail.isVisible()
    assert view.empty.message.text() == "No clusters yet."
    shortcut = QKeySequence(QKeySequence.StandardKey.New).toString(
        QKeySequence.SequenceFormat.NativeText)
    assert view.empty.new.text() == f"New cluster ({shortcut})"
    assert view.empty.new.isVisible()

    def fill(dialog: RecordDialog) -> None:
        assert dialog.entity == "cluster"
        type_into(qtbot, dialog.form, "name_pl", "Klaster Pierwszy")
        choose(dialog.form, "kind", "cluster")
        choose(dialog.form, "country", "PL")
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, lambda: qtbot.mouseClick(view.empty.new, Qt.MouseButton.LeftButton), fill)
    [cluster] = core.backend.read(records.list_page, entity="cluster").rows
    assert cluster.values["name_pl"] == "Klaster Pierwszy"
    assert view.count.text() == "1 record"
    assert view.side.currentWidget() is view.detail
    assert view.current_id() == cluster.id


def test_a_filter_that_hides_everything_offers_to_clear_it(qtbot, window, add):
    """With records but a filter matching none: "Nothing matches", Clear the filter; with
    records and none selected, the short hint stays."""
    add("organisation", name="Odra Sp. z o.o.", country="PL")
    view = _open(window, "organisation")
    assert view.side.currentWidget() is view.detail
    assert view.detail.placeholder.isVisible()
    view.filter.setFocus()
    type_text(qtbot, view.filter, "zzqx")
    qtbot.waitUntil(lambda: view.count.text() == "0 records")
    assert view.side.currentWidget() is view.empty
    assert "zzqx" in view.empty.message.text()
    assert view.empty.clear.isVisible() and not view.empty.new.isVisible()
    assert not any(b.isVisible() for b in view.empty.partner_buttons)
    qtbot.mouseClick(view.empty.clear, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.count.text() == "1 record")
    assert view.filter.text() == ""
    assert view.side.currentWidget() is view.detail


def test_empty_list_leads_to_a_partners_key_and_bundle(qtbot, window, monkeypatch):
    """"Trust a partner's key file…" and "Import a partner's bundle…" beside an empty list
    are the Sync view's own actions: the view is shown and its file dialog opens."""
    asked: list[str] = []

    def open_file(parent, caption, *args, **kwargs):
        asked.append(caption)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    view = _open(window, "contact")
    assert view.empty.message.text() == "No contact persons yet."
    trust = view.empty.findChild(QPushButton, "emptyTrustKey")
    assert trust.isVisible() and trust.text() == "Trust a partner's key file…"
    qtbot.mouseClick(trust, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sync_view
    assert asked == ["Trust a partner's key file"]
    view = _open(window, "event")
    bundle = view.empty.findChild(QPushButton, "emptyImportBundle")
    qtbot.mouseClick(bundle, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sync_view
    assert asked[1:] == ["Import bundle"]
