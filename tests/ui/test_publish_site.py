"""File ▸ Publish the website… (issue 19): the folder chosen in the dialog gets the site,
written in the background, and the person is told where it is; a folder holding other
files is refused with the reason and left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from euregionet_desktop.services import demo


@pytest.fixture
def chosen(monkeypatch) -> dict[str, str]:
    answer: dict[str, str] = {}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, caption, start: answer["folder"])
    return answer


def publish_from_the_menu(qtbot, window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    action = window.findChild(QAction, "actionPublish")
    assert action in file_menu.actions()
    action.trigger()
    window.runner.wait()


def test_publish_writes_the_site_where_chosen(qtbot, core, window, chosen, told, english,
                                              crash_fails, tmp_path: Path):
    core.backend.run(demo.generate)
    chosen["folder"] = str(tmp_path / "site")
    (tmp_path / "site").mkdir()
    publish_from_the_menu(qtbot, window)
    qtbot.waitUntil(lambda: bool(told["information"]), timeout=10000)
    assert str(tmp_path / "site") in told["information"][0]
    assert len(list((tmp_path / "site" / "de").glob("cluster-*.html"))) == 20
    assert (tmp_path / "site" / "pl" / "index.html").is_file()


def test_a_folder_of_other_files_is_refused(qtbot, core, window, chosen, told, english,
                                            crash_fails, tmp_path: Path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    chosen["folder"] = str(folder)
    publish_from_the_menu(qtbot, window)
    qtbot.waitUntil(lambda: bool(told["warning"]), timeout=10000)
    assert "not empty" in told["warning"][0]
    assert [p.name for p in folder.iterdir()] == ["letter.txt"]
    assert not told["information"]
