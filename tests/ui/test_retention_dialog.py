"""Edit ▸ Retention review… driven as a person would: tick two of the persons due, Erase
selected, confirm the one question; both are erased through the normal erasure, the
others stay. The retention period on the Programme page (issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from euregionet_desktop.services import erasure, records
from euregionet_desktop.services.programme import programme_settings, update_programme
from euregionet_desktop.storage.models import Erasure
from euregionet_desktop.ui import settings_dialog
from euregionet_desktop.ui.retention_dialog import RetentionDialog
from euregionet_desktop.ui.settings_dialog import PROGRAMME_PAGE

pytestmark = pytest.mark.usefixtures("english", "crash_fails")


def _contact(core, last_name: str) -> str:
    return core.backend.run(records.create, entity="contact",
                            values={"first_name": "Ewa", "last_name": last_name}).record_id


@pytest.fixture
def people(core):
    """Retention 0 years after an end long past: everyone untouched until today is due;
    the one with a task next month is not."""
    core.backend.run(update_programme, profile=core.profile,
                     values={"period_end": "2020-08-31", "retention_contact_years": "0"})
    found = {name: _contact(core, name) for name in ("Alfa", "Beta", "Gamma", "Delta")}
    core.backend.run(records.create, entity="task", values={
        "title": "Call back", "contact_id": found["Delta"],
        "due_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()})
    return found


def _open(qtbot, window) -> RetentionDialog:
    dialog = RetentionDialog(window.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.review is not None)
    return dialog


def _tick(dialog, name: str) -> None:
    row = next(r for r, item in enumerate(dialog.model.items()) if item.name == name)
    index = dialog.model.index(row, dialog.model.NAME)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert dialog.model.setData(index, Qt.CheckState.Checked.value,
                                Qt.ItemDataRole.CheckStateRole)


def test_ticking_two_and_erasing_asks_once_and_erases_just_those(qtbot, window, core, people,
                                                                 monkeypatch):
    """Three are listed, none ticked; Erase selected stays off until two are ticked; one
    question naming the count; after it both are erased (tombstones, reason
    gdpr_retention), the third stays listed, the busy one stays untouched."""
    dialog = _open(qtbot, window)
    assert [item.name for item in dialog.model.items()] == ["Ewa Alfa", "Ewa Beta", "Ewa Gamma"]
    assert dialog.model.ticked == set() and not dialog.erase_button.isEnabled()
    _tick(dialog, "Ewa Alfa")
    _tick(dialog, "Ewa Beta")
    assert dialog.erase_button.isEnabled()
    assert dialog.count.text() == "2 of 3 contact persons selected"
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: asked.append(args[2]) or
                        QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.done_label.text() != "", timeout=10000)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)

    assert len(asked) == 1 and asked[0].startswith("Erase 2 contact persons for good")
    assert dialog.done_label.text() == "2 contact persons erased."
    assert [item.name for item in dialog.model.items()] == ["Ewa Gamma"]
    tombstones = core.backend.read(lambda session: dict(session.execute(
        select(Erasure.record_id, Erasure.reason)).all()))
    assert tombstones == {people["Alfa"]: "gdpr_retention", people["Beta"]: "gdpr_retention"}
    left = {row.id for row in core.backend.read(records.list_page, entity="contact").rows}
    assert left == {people["Gamma"], people["Delta"]}
    assert b"Alfa" not in core.profile.database.read_bytes()


def test_cancelling_the_question_erases_nobody(qtbot, window, core, people, monkeypatch):
    """Select all, Erase selected, Cancel: nothing erased, all still ticked and listed."""
    dialog = _open(qtbot, window)
    qtbot.mouseClick(dialog.select_all, Qt.MouseButton.LeftButton)
    assert len(dialog.ticked_ids()) == 3 and not dialog.select_all.isEnabled()
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *args: QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert core.backend.read(erasure.erasure_count) == 0
    assert dialog.model.rowCount() == 3 and len(dialog.ticked_ids()) == 3


def test_without_the_setting_the_review_says_so_and_leads_to_the_programme_page(
        qtbot, window, core, monkeypatch):
    """No retention period: no table, the reason, and a button that opens the Settings on
    the Programme page (and the review again after)."""
    _contact(core, "Alfa")
    dialog = _open(qtbot, window)
    assert dialog.pages.currentIndex() == 1
    assert "Set the retention period in the programme settings" in dialog.empty.text()
    assert dialog.settings_button.isVisibleTo(dialog)
    pages, reviews = [], []

    def settings(cls, parent, *, current, page=None):
        pages.append(page)
        return None

    monkeypatch.setattr(settings_dialog.SettingsDialog, "ask", classmethod(settings))
    monkeypatch.setattr(RetentionDialog, "ask", classmethod(
        lambda cls, parent, runner: reviews.append(1) or (
            cls.Outcome.OPEN_SETTINGS if len(reviews) == 1 else cls.Outcome.CLOSED)))
    window.findChild(type(window.settings_action), "actionRetentionReview").trigger()
    assert pages == [PROGRAMME_PAGE] and len(reviews) == 2


def test_the_retention_period_is_set_on_the_programme_page(qtbot, window, core, told):
    """The field with its explanation; 7 is saved; 80 is refused with the range, nothing
    changed."""
    dialog = settings_dialog.SettingsDialog(None, window, runner=window.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.programme
    editor = page.editors["retention_contact_years"]
    assert "last activity" in dialog.findChild(type(page.done), "programmeRetentionNote").text()
    editor.set_value("7")
    assert page.is_changed()
    assert page.save()
    assert core.backend.read(programme_settings).values["retention_contact_years"] == 7
    assert not page.is_changed()  # the typed "7" is the stored 7
    editor.set_value("80")
    assert not page.save()
    assert "from 0 to 50" in told["warning"][-1]
    assert core.backend.read(programme_settings).values["retention_contact_years"] == 7
