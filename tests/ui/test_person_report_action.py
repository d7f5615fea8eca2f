"""Person report… on a contact person: offered for one selected person only, written in
the background to the file chosen (the Word document by default), then a message says
where."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog

from euregionet_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, core, add, crash_fails, english):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    window.person_id = add("contact", last_name="Wiśniewska", first_name="Zofia",
                           language="de")
    add("contact", last_name="Fremder", first_name="Otto")
    yield window
    window.runner.wait()


def _select(qtbot, window):
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    view.ensure_loaded()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=3000)
    assert view.select_record(window.person_id)
    return view


def test_person_report_written_where_chosen(qtbot, window, monkeypatch, tmp_path, told):
    """The action is in the Record menu and the contact list's context menu; with the
    person selected it writes the JSON chosen (in the person's own language) and tells
    where; a name without an ending gets .docx."""
    asked: list[str] = []

    def answer(path):
        def ask(parent, caption, suggested, filters, *rest):
            asked.append(suggested)
            return str(path), ""
        monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)

    action = window.person_report_action
    assert not action.isEnabled()  # the dashboard is shown: no person selected
    view = _select(qtbot, window)
    assert action.isEnabled()
    assert action in view.record_actions
    answer(tmp_path / "zofia.json")
    action.trigger()
    qtbot.waitUntil(lambda: len(told["information"]) == 1, timeout=10000)
    assert "Zofia Wiśniewska" in asked[0] and asked[0].endswith(".docx")
    assert str(tmp_path / "zofia.json") in told["information"][0]
    report = json.loads((tmp_path / "zofia.json").read_text(encoding="utf-8"))
    assert report["person"]["id"] == window.person_id
    assert report["language"] == "de"  # the person's preferred language
    answer(tmp_path / "zofia")
    action.trigger()
    qtbot.waitUntil(lambda: len(told["information"]) == 2, timeout=10000)
    assert (tmp_path / "zofia.docx").stat().st_size > 0
