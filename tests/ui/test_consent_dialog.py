"""The consent editor driven as a person does: a contact selected, Consent… clicked, status
and scopes set, a signed form attached, saved; what was stored read back, the list's marker
gone, and Undo restoring it all in one step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QMenu

from euregionet_desktop.services import consent, evidence
from euregionet_desktop.ui.consent_dialog import ConsentDialog
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import NO_CONSENT_ROLE


@pytest.fixture
def person(add) -> str:
    return add("contact", first_name="Ewa", last_name="Zgodna", email="ewa@odra.pl")


@pytest.fixture
def window(qtbot, core, person, crash_fails, english):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.wait()


def when_open(qtbot, act) -> None:
    """Call ``act(dialog)`` once the consent editor is open and has read the consent."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConsentDialog) or dialog.state is None:
            QTimer.singleShot(10, poll)
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def click_box(qtbot, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton,
                     pos=QPoint(box.height() // 2, box.height() // 2))


def test_consent_recorded_with_evidence_marked_in_the_list_and_undone(
        qtbot, window, core, person, tmp_path, monkeypatch):
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    first = view.model.index(0, 0)
    # Never asked: marked in the list, the tooltip says why.
    assert first.data(NO_CONSENT_ROLE) is True
    assert first.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "No consent to programme communication" in first.data(Qt.ItemDataRole.ToolTipRole)
    view.select_record(person)
    qtbot.waitUntil(lambda: view.detail.record is not None)
    assert view.detail.consent_button.isVisible()

    form = tmp_path / "zgoda-podpisana.pdf"
    form.write_bytes(b"%PDF-1.4 signed consent form")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(form), ""))

    def fill(dialog: ConsentDialog) -> None:
        assert dialog.evidence_name.text() == "No file attached"
        dialog.status.setCurrentIndex(dialog.status.findData("given"))
        # Given with no scope ticked (as consents recorded before scopes were): said so.
        assert "not recorded: tick its scope" in dialog.verdict.text()
        qtbot.keyClicks(dialog.date.edit, "01.03.2026")
        dialog.source.setCurrentIndex(dialog.source.findData("form"))
        for scope in ("communication", "photos"):
            click_box(qtbot, dialog.findChild(QCheckBox, f"consentScope_{scope}"))
        assert "May receive" in dialog.verdict.text()
        qtbot.mouseClick(dialog.findChild(type(dialog.save_button), "consentAttach"),
                         Qt.MouseButton.LeftButton)
        assert "zgoda-podpisana.pdf" in dialog.evidence_name.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_open(qtbot, fill)
    qtbot.mouseClick(view.detail.consent_button, Qt.MouseButton.LeftButton)

    state = core.backend.read(consent.consent_of, contact_id=person)
    assert (state.status, str(state.on), state.source, state.scopes) == (
        "given", "2026-03-01", "form", ("communication", "photos"))
    assert state.evidence_file == "zgoda-podpisana.pdf"
    [kept] = core.backend.read(evidence.record_attachments, entity="contact",
                               record_id=person)
    assert (kept.kind, kept.id) == ("consent", state.evidence_id)
    assert {c.field for c in state.history} == {
        "consent_status", "consent_on", "consent_via", "consent_purposes",
        "consent_evidence_id"}
    qtbot.waitUntil(lambda: view.model.index(0, 0).data(NO_CONSENT_ROLE) is False)
    assert view.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None

    # One step in the Edit menu: the consent and its evidence go back together.
    window.runner.undo(window)
    state = core.backend.read(consent.consent_of, contact_id=person)
    assert (state.status, state.on, state.source, state.scopes, state.evidence_id) == (
        None, None, None, (), None)
    assert core.backend.read(evidence.record_attachments, entity="contact",
                             record_id=person) == []
    qtbot.waitUntil(lambda: view.model.index(0, 0).data(NO_CONSENT_ROLE) is True)

    # The editor opened again shows the history of both steps, newest first.
    def look(dialog: ConsentDialog) -> None:
        assert dialog.status.currentData() == "unknown"
        assert not any(box.isChecked() for box in dialog.scopes.values())
        rows = [[dialog.history.topLevelItem(r).text(c) for c in range(6)]
                for r in range(dialog.history.topLevelItemCount())]
        assert len(rows) == 10  # five fields set, five set back
        # Newest first: the undo's "given → not set" above the save's "not set → given".
        status = [(old, new) for _when, field, old, new, _who, _office in rows
                  if field == "Consent"]
        assert status == [("Consent given", ""), ("", "Consent given")]
        assert {row[4] for row in rows} == {"Anna Nowak"}
        assert ["", "zgoda-podpisana.pdf"] in [row[2:4] for row in rows]
        dialog.reject()

    when_open(qtbot, look)
    view.edit_consent()


def test_withdrawing_from_the_context_menu_dates_it_today(qtbot, window, core, person):
    """Consent given, then withdrawn through the list's context menu without a date:
    the withdrawal is dated today and the person is marked again."""
    core.backend.run(consent.set_consent, contact_id=person,
                     values={"status": "given", "on": "2026-01-05", "scope": "communication"})
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.index(0, 0).data(NO_CONSENT_ROLE) is False
    view.select_record(person)
    rect = view.table.visualRect(view.model.index(0, 0))
    view.table.customContextMenuRequested.emit(rect.center())
    menu = next(m for m in view.findChildren(QMenu, f"{view.object_prefix}Menu")
                if m.isVisible())
    action = next(a for a in menu.actions()
                  if a.objectName() == f"{view.object_prefix}Consent")
    assert action.isEnabled()
    menu.close()

    def withdraw(dialog: ConsentDialog) -> None:
        assert dialog.date.value() == dt.date(2026, 1, 5)
        dialog.status.setCurrentIndex(dialog.status.findData("withdrawn"))
        assert dialog.date.value() == dt.date.today()  # as it will be saved
        assert "No consent" in dialog.verdict.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_open(qtbot, withdraw)
    action.trigger()
    state = core.backend.read(consent.consent_of, contact_id=person)
    assert (state.status, state.on) == ("withdrawn", dt.date.today())
    qtbot.waitUntil(lambda: view.model.index(0, 0).data(NO_CONSENT_ROLE) is True)


def test_attached_evidence_is_kept_only_when_saved(qtbot, core, person, tmp_path,
                                                   monkeypatch, crash_fails):
    """Cancel after choosing a file keeps nothing."""
    runner = OpRunner(core.backend, profile=core.profile)
    form = tmp_path / "form.pdf"
    form.write_bytes(b"%PDF")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(form), ""))
    dialog = ConsentDialog(runner, person)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state is not None)
    dialog.choose_evidence()
    assert dialog.evidence_path == Path(form)
    dialog.reject()
    assert core.backend.read(evidence.record_attachments, entity="contact",
                             record_id=person) == []
    assert dialog.changes is None
