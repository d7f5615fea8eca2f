"""``euregionet FILE.eurnet`` (and a double click on a bundle): the window opens on the
import preview of that bundle, through the real command line and app.run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from euregionet_desktop import cli
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, partners, records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui import bundle_hand_over
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.sync_view import ImportPreviewDialog

# english and qt_language: tests/ui/conftest.py
pytestmark = pytest.mark.usefixtures("english", "qt_language")



@pytest.fixture
def partner_bundle(tmp_path) -> tuple[Path, Path, str, int]:
    """LOP's profile (closed) and an encrypted bundle BIC exported for it, named as export
    names it now: LOP's folder, the bundle, the contact it carries and its change count."""
    cores = {code: open_profile(Profile(tmp_path / code), purpose="pytest")
             for code in ("BIC", "LOP")}
    try:
        for code, core in cores.items():
            core.backend.run(initialise, office=code, advisor_name=f"Advisor {code}")
        for code, core in cores.items():
            other = cores["LOP" if code == "BIC" else "BIC"]
            core.backend.run(partners.trust, partner=other.backend.read(
                partners.own_public_keys, profile=other.profile))
        contact = cores["BIC"].backend.run(records.create, entity="contact", values={
            "first_name": "Jan", "last_name": "Żółkiewski"}).record_id
        bundle = tmp_path / "from-bic.eurnet"
        result = cores["BIC"].backend.run(bundle_export.export_bundle,
                                          profile=cores["BIC"].profile, to_office="LOP",
                                          path=bundle, encrypt=True)
    finally:
        for core in cores.values():
            core.close()
    assert result.encrypted and result.changes > 0
    return tmp_path / "LOP", bundle, contact, result.changes


def _dump(folder: Path) -> bytes:
    with open_profile(Profile(folder), purpose="pytest") as core:
        return core.backend.read(dump)


def _open_app(args: list[str], *, on_preview: Callable[[ImportPreviewDialog], None] | None,
              ready: Callable[[], bool], meanwhile: Callable[[], None] | None = None,
              ) -> tuple[int, list[MainWindow], list[str]]:
    """``euregionet ARGS`` through cli.main; ``on_preview`` handles the import preview
    when it shows; ``meanwhile`` is called while the window is open; the window is closed
    once ``ready`` and no dialog is open. The exit code, the windows seen, and the view
    shown (its object name) when the preview showed."""
    windows: list[MainWindow] = []
    where: list[str] = []
    done = False

    def poll() -> None:
        if done:
            return
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        modal = QApplication.activeModalWidget()
        if window is not None and window not in windows:
            windows.append(window)
        if window is not None and meanwhile is not None:
            meanwhile()
        if isinstance(modal, ImportPreviewDialog) and on_preview is not None and not where:
            assert window is not None
            where.append(window.stack.currentWidget().objectName())
            on_preview(modal)
        elif window is not None and modal is None and ready():
            window.close()
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    # Closing the window ends app.exec(); the guard only keeps a failure from hanging.
    guard = QTimer(singleShot=True)
    guard.timeout.connect(QApplication.quit)
    guard.start(30_000)
    try:
        code = cli.main(args)
    finally:
        done = True
        guard.stop()
    return code, windows, where


def _press(dialog: ImportPreviewDialog, seen: list[str], *, apply: bool) -> None:
    seen.append(dialog.findChild(QLabel, "importPreviewReport").text())
    buttons = dialog.findChild(QDialogButtonBox)
    button = (dialog.findChild(object, "importApply") if apply
              else buttons.button(QDialogButtonBox.StandardButton.Cancel))
    button.click()


def test_a_bundle_file_opens_the_preview_and_cancel_changes_nothing(partner_bundle, told):
    """euregionet --data-dir LOP from-bic.eurnet: the window opens on the Sync view with
    the preview of that bundle (BIC, its change count); Cancel leaves the data as it was."""
    folder, bundle, _contact, changes = partner_bundle
    before = _dump(folder)
    seen: list[str] = []
    code, windows, where = _open_app(
        ["--data-dir", str(folder), "--lang", "en", str(bundle)],
        on_preview=lambda dialog: _press(dialog, seen, apply=False), ready=lambda: bool(seen))
    assert code == 0 and len(windows) == 1
    assert where == ["syncView"]
    assert seen[0].splitlines()[:2] == ["Bundle from BIC.",
                                        f"{changes} changes will be applied"]
    assert _dump(folder) == before
    assert told == {"information": [], "warning": [], "critical": []}
    # Closed, the app takes no more bundles: the next start opens the profile itself.
    assert not bundle_hand_over.hand_over(folder, bundle)


def test_a_bundle_file_is_imported_when_the_preview_is_confirmed(partner_bundle, told):
    """The same start, Import in the preview: the contact BIC sent is in LOP's profile, and
    the report says how many changes were applied."""
    folder, bundle, contact, changes = partner_bundle
    before = _dump(folder)
    seen: list[str] = []
    code, _windows, where = _open_app(
        ["--lang", "en", "--data-dir", str(folder), str(bundle)],
        on_preview=lambda dialog: _press(dialog, seen, apply=True),
        ready=lambda: bool(told["information"]))
    assert code == 0 and where == ["syncView"] and len(seen) == 1
    assert told["information"] and f"{changes} changes applied" in told["information"][0]
    assert told["warning"] == told["critical"] == []
    after = _dump(folder)
    assert after != before and "Żółkiewski".encode() in after
    with open_profile(Profile(folder), purpose="pytest") as core:
        assert core.backend.read(records.get, entity="contact",
                                 record_id=contact).label == "Jan Żółkiewski"


@pytest.mark.parametrize("name", ["gone.eurnet", "a-folder"])
def test_a_missing_bundle_file_is_one_message_and_the_window_opens(partner_bundle, told,
                                                                  name):
    """A bundle path that is not there (moved since the double click) or is a folder: one
    translated message naming it, no preview, the window open, nothing changed."""
    folder, _bundle, _contact, _changes = partner_bundle
    missing = folder.parent / name
    if name == "a-folder":
        missing.mkdir()
    before = _dump(folder)
    code, windows, _where = _open_app(
        ["--data-dir", str(folder), "--lang", "en", str(missing)], on_preview=None,
        ready=lambda: bool(told["warning"]))
    assert code == 0 and len(windows) == 1
    assert told["warning"] == [
        f"There is no bundle file {missing}: it may have been moved, renamed or deleted. "
        "Nothing was imported."]
    assert told["information"] == told["critical"] == []
    assert _dump(folder) == before


def test_a_bundle_opened_while_the_app_is_open_goes_to_its_window(partner_bundle, told):
    """The app is open on LOP's profile; a second ``euregionet FILE.eurnet`` (a double
    click on a bundle from an e-mail) hands the file to that window and ends with 0
    instead of being refused for the profile in use; the open window shows the preview."""
    folder, bundle, contact, changes = partner_bundle
    seen: list[str] = []
    second: list[subprocess.Popen] = []
    ended: list[tuple[int, str]] = []

    def start_second() -> None:
        if not second:
            root = Path(__file__).resolve().parents[2]
            second.append(subprocess.Popen(
                [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(folder),
                 "--lang", "en", bundle.name], cwd=bundle.parent, stderr=subprocess.PIPE,
                text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                "PYTHONPATH": str(root)}))
        elif not ended and second[0].poll() is not None:
            ended.append((second[0].returncode, second[0].stderr.read()))

    try:
        code, windows, where = _open_app(
            ["--data-dir", str(folder), "--lang", "en"],
            on_preview=lambda dialog: _press(dialog, seen, apply=True),
            ready=lambda: bool(told["information"]) and bool(ended), meanwhile=start_second)
    finally:
        if second and second[0].poll() is None:  # it would wait on a refusal's message
            second[0].kill()
            second[0].wait()
    assert code == 0 and len(windows) == 1 and where == ["syncView"]
    assert ended == [(0, "")]
    assert seen[0].splitlines()[:2] == ["Bundle from BIC.", f"{changes} changes will be applied"]
    with open_profile(Profile(folder), purpose="pytest") as core:
        assert core.backend.read(records.get, entity="contact",
                                 record_id=contact).label == "Jan Żółkiewski"


def test_a_file_open_event_reaches_the_window_as_a_bundle(qapp, qtbot, tmp_path):
    """macOS tells the running app about a double-clicked document with a file-open event:
    the receiver passes it on as a bundle to open, and stops listening once closed."""
    from PySide6.QtGui import QFileOpenEvent

    receiver = bundle_hand_over.BundleReceiver(tmp_path, qapp, file_open_events=True)
    got: list[Path] = []
    receiver.received.connect(got.append)
    bundle = tmp_path / "from-bic.eurnet"
    qapp.sendEvent(qapp, QFileOpenEvent(str(bundle)))
    qtbot.waitUntil(lambda: got == [bundle], timeout=5_000)
    receiver.close()
    qapp.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "other.eurnet")))
    qtbot.wait(50)
    assert got == [bundle]


@pytest.mark.parametrize(("typed", "written"), [
    ("for-bic", "for-bic.eurnet"),  # no suffix typed: the bundle's own
    ("for-bic.dat", "for-bic.dat"),  # a suffix chosen is kept
    ("taken", "taken"),  # taken.eurnet is someone else's file: not overwritten unasked
])
def test_an_exported_bundle_gets_the_suffix_it_opens_by(qtbot, offices, tmp_path,
                                                       monkeypatch, typed, written):
    """A name typed without a suffix in the save dialog becomes NAME.eurnet, so the bundle
    opens with a double click; a suffix typed, or an existing NAME.eurnet, is left alone."""
    from PySide6.QtWidgets import QFileDialog

    (tmp_path / "taken.eurnet").write_bytes(b"someone else's")
    window = MainWindow(offices["LOP"])
    qtbot.addWidget(window)
    window.show()
    view = window.sync_view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.go_to(window.views.index(view))
    view.office.setCurrentIndex(view.office.findData("BIC"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args: (str(tmp_path / typed), ""))
    view.export_bundle()
    qtbot.waitUntil(lambda: (tmp_path / written).is_file(), timeout=10_000)
    view.runner.wait()
    assert (tmp_path / written).read_bytes().startswith(b"age-encryption.org/v1")
    assert (tmp_path / "taken.eurnet").read_bytes() == b"someone else's"
