"""Files dropped on a record's detail pane (or chosen with Attach file…) become its
attachments, of the kind chosen in the dialog; a file that cannot be attached changes
nothing and says why; attaching is one undoable step."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QRadioButton

from euregionet_desktop.services import attaching, records
from euregionet_desktop.services.evidence import MAX_ATTACHMENT_BYTES
from euregionet_desktop.ui.attachments_tab import AttachmentKindDialog
from euregionet_desktop.ui.record_dialog import RecordDialog

pytestmark = pytest.mark.usefixtures("english", "crash_fails")


def drop_files(widget, paths: list[Path]) -> bool:
    """Files dragged from a file manager and let go over ``widget``; whether the drag
    was accepted there."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    at = QPointF(widget.width() / 2, widget.height() / 2)
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(widget, QDropEvent(at, Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))
    return True


def answer_kind_dialog(qtbot, choose: Callable[[AttachmentKindDialog], None]) -> list[str]:
    """Handle the kind dialog when it opens: ``choose`` clicks in it; returns (filled
    later) the kind that was preselected."""
    seen: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AttachmentKindDialog):
            QTimer.singleShot(10, act)
            return
        seen.append(dialog.kind())
        choose(dialog)

    QTimer.singleShot(0, act)
    return seen


def click_kind(qtbot, kind: str, *, then_ok: bool = True):
    def choose(dialog: QDialog) -> None:
        button = dialog.findChild(QRadioButton, f"kind_{kind}")
        # On its round mark: the button is as wide as the dialog, its words are not.
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                         pos=QPoint(button.height() // 2, button.height() // 2))
        assert button.isChecked()
        if then_ok:
            dialog.accept()
        else:
            dialog.reject()
    return choose


def show_list(window, entity: str):
    view = window.lists[entity]
    window.go_to(window.views.index(view))
    return view


@pytest.fixture
def event_pane(qtbot, window, add):
    """The Events list with the congress selected: its detail pane."""
    event = add("event", title_pl="Kongres klastrów", kind="cluster_congress",
                starts_on="2019-05-06")
    view = show_list(window, "event")
    assert view.select_record(event)
    return view.detail, event


def attachments(core, event: str):
    return core.backend.read(attaching.attachments_of, entity="event", record_id=event)


def test_a_scan_dropped_on_an_event_is_attached_as_the_kind_chosen(qtbot, window, core,
                                                                   event_pane, tmp_path):
    """Dropped, the dialog offers "Signed attendance list" first for an event; a photo
    chosen instead is stored by its checksum and linked to the event; the Attachments
    tab lists it; the status bar says so; Undo takes it off again."""
    pane, event = event_pane
    photo = tmp_path / "kongres sala.jpg"
    photo.write_bytes(b"\xff\xd8\xff jpeg of the hall")
    preselected = answer_kind_dialog(qtbot, click_kind(qtbot, "photo"))
    assert drop_files(pane, [photo])
    # Stored in the background; the status bar says so once the window hears of it.
    qtbot.waitUntil(lambda: "kongres sala.jpg" in window.statusBar().currentMessage(),
                    timeout=5000)
    assert preselected == ["signed_attendance"]
    [info] = attachments(core, event)
    stored = core.backend.read(records.get, entity="attachment", record_id=info.id).values
    assert (stored["kind"], stored["linked_entity"], stored["linked_id"]) == (
        "photo", "event", event)
    assert stored["file_name"] == "kongres sala.jpg" and stored["size"] == photo.stat().st_size
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert stored["sha256"] == sha
    assert (core.profile.attachments / sha).read_bytes() == photo.read_bytes()
    assert window.statusBar().currentMessage() == "“kongres sala.jpg” attached as Photo."

    tab = pane.attachments
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        pane.tabs.setCurrentWidget(tab)
    item = tab.list.topLevelItem(0)
    assert (item.text(0), item.text(1)) == ("kongres sala.jpg", "Photo")

    window.runner.undo(window)
    assert attachments(core, event) == ()
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 0, timeout=5000)


def test_several_files_attach_as_one_step(qtbot, window, core, event_pane, tmp_path):
    pane, event = event_pane
    files = []
    for n in range(3):
        files.append(tmp_path / f"lista {n}.pdf")
        files[-1].write_bytes(f"%PDF-1.4 page {n}".encode())
    answer_kind_dialog(qtbot, click_kind(qtbot, "signed_attendance"))
    assert drop_files(pane, files)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == (
        "3 files attached as Signed attendance list."), timeout=5000)
    assert len(attachments(core, event)) == 3
    assert {a.kind for a in attachments(core, event)} == {"signed_attendance"}
    window.runner.undo(window)
    assert attachments(core, event) == ()


def test_a_file_too_large_is_refused_with_the_others_and_says_why(qtbot, window, core,
                                                                  event_pane, tmp_path,
                                                                  told):
    """One file over the limit among two: none is attached (one drop is one action), the
    message names the file and the limit, and no file is copied into the profile."""
    pane, event = event_pane
    good = tmp_path / "lista.pdf"
    good.write_bytes(b"%PDF-1.4 signed")
    big = tmp_path / "film.mp4"
    with big.open("wb") as handle:  # sparse: large without writing 50 MB
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    answer_kind_dialog(qtbot, click_kind(qtbot, "signed_attendance"))
    assert drop_files(pane, [good, big])
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=5000)
    [text] = told["warning"]
    assert "Nothing was attached" in text and "film.mp4" in text and "50 MB" in text
    assert "lista.pdf" not in text
    assert attachments(core, event) == ()
    assert not any(core.profile.attachments.glob("*"))


def test_a_cancelled_kind_dialog_attaches_nothing(qtbot, window, core, event_pane, tmp_path):
    pane, event = event_pane
    scan = tmp_path / "lista.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    answer_kind_dialog(qtbot, click_kind(qtbot, "photo", then_ok=False))
    assert drop_files(pane, [scan])
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    qtbot.wait(50)
    assert attachments(core, event) == ()


def test_a_folder_is_not_taken_as_a_file(qtbot, window, event_pane, tmp_path):
    pane, _event = event_pane
    assert not drop_files(pane, [tmp_path])


@pytest.mark.skipif(os.name != "posix", reason="file picker stubbed the same everywhere")
def test_attach_file_button_without_a_file_manager(qtbot, window, core, monkeypatch, add,
                                                   tmp_path):
    """An action plan: Attach file… picks a file, the dialog offers a signed agreement."""
    cluster = add("cluster", name_pl="Klaster", country="PL", kind="cluster")
    plan = add("action_plan", title="Plan", cluster_id=cluster)
    scan = tmp_path / "umowa.pdf"
    scan.write_bytes(b"%PDF-1.4 agreement")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(scan), "")))
    view = show_list(window, "action_plan")
    assert view.select_record(plan)
    tab = view.detail.attachments
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        view.detail.tabs.setCurrentWidget(tab)
    preselected = answer_kind_dialog(qtbot, lambda dialog: dialog.accept())
    qtbot.mouseClick(tab.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 1, timeout=5000)
    assert preselected == ["signed_agreement"]
    assert tab.list.topLevelItem(0).text(1) == "Signed agreement"
    [info] = core.backend.read(attaching.attachments_of, entity="action_plan",
                               record_id=plan)
    assert info.kind == "signed_agreement"


def test_a_file_dropped_on_a_stored_records_form_is_attached(qtbot, window, core, add,
                                                             tmp_path):
    """A membership's form open: a scanned declaration dropped on it is attached (the
    kind dialog offers a signed declaration); a new record's form takes no files."""
    cluster = add("cluster", name_pl="Klaster", country="PL", kind="cluster")
    firm = add("organisation", name="Firma sp. z o.o.", country="PL")
    member = add("membership", cluster_id=cluster, organisation_id=firm)
    form = RecordDialog(window.runner, "membership", record_id=member, parent=window)
    qtbot.addWidget(form)
    form.show()
    scan = tmp_path / "deklaracja przystąpienia.pdf"
    scan.write_bytes(b"%PDF-1.4 declaration")
    preselected = answer_kind_dialog(qtbot, lambda dialog: dialog.accept())
    assert drop_files(form, [scan])
    qtbot.waitUntil(lambda: "deklaracja przystąpienia.pdf" in (
        window.statusBar().currentMessage()), timeout=5000)
    assert preselected == ["declaration"]
    [info] = core.backend.read(attaching.attachments_of, entity="membership",
                               record_id=member)
    assert (info.file_name, info.kind) == ("deklaracja przystąpienia.pdf", "declaration")
    form.reject()
    new = RecordDialog(window.runner, "membership", parent=window)
    qtbot.addWidget(new)
    new.show()
    assert not drop_files(new, [scan])
    new.reject()
