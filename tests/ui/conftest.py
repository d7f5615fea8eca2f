"""Qt tests run headless; the fixtures several ui test modules share."""

import gc
import os

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator
from PySide6.QtWidgets import QMessageBox

from euregionet_desktop import i18n
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import partners
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui import background, op_runner
from euregionet_desktop.ui.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _imports_out_of_the_collectors_sight():
    """What exists before the first window (the modules, pytest's collected tests, some
    300,000 objects) is frozen out of the cycle collector's sight for the session: the
    full collection after every test (below) then looks only at what tests made since,
    in a few milliseconds instead of a fifth of a second. Frozen objects are never freed
    by it; none of them is a widget."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def gui_thread_collector(qapp, _imports_out_of_the_collectors_sight):
    """As in the app (app.run): cycles are collected on the GUI thread only. After the
    test (and qtbot's closing of its windows), what it let go is collected here, so no
    widget of it is left for a collection in another thread of a later test.

    The windows qtbot closed are deleted first, by Qt, as the app's event loop deletes
    them before its collector's timer runs: destroyed by the collection instead, a window
    tears down widgets whose Python side the collection is clearing at that moment, and
    the next window crashed the process (QScreen::virtualSiblings, test_record_editing)."""
    collector = background.collect_on_gui_thread(qapp)
    yield collector
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    collector.stop()
    collector.setParent(None)


@pytest.fixture
def english(monkeypatch):
    """The system and the window speak English; the language before is restored after."""
    before = i18n.current_language()
    monkeypatch.setenv("LANGUAGE", "en")
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def told(monkeypatch) -> dict[str, list[str]]:
    """Every message box shown, by kind, instead of waiting for a click."""
    shown: dict[str, list[str]] = {"information": [], "warning": [], "critical": []}
    for kind, texts in shown.items():
        monkeypatch.setattr(QMessageBox, kind,
                            lambda parent, title, text, *rest, texts=texts: texts.append(text))
    return shown


@pytest.fixture
def qt_language(qapp):
    """Undo what app.run's install_qt_translations does to the test application: its
    translators and the default locale."""
    locale = QLocale()
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(locale)


@pytest.fixture
def crash_fails(monkeypatch):
    """An unexpected error would wait in the crash dialog for ever: the test fails with
    its traceback instead."""
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda cls, parent, error, details, log_path: pytest.fail(details)))


@pytest.fixture
def window(qtbot, core):
    """The main window on the test's profile, shown."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def offices(tmp_path):
    """Two installations, BIC and LOP, that trust each other."""
    cores = {}
    for code in ("BIC", "LOP"):
        core = open_profile(Profile(tmp_path / code), purpose="pytest")
        core.backend.run(initialise, office=code, advisor_name=f"Advisor {code}")
        cores[code] = core
    for code, core in cores.items():
        for other, partner in cores.items():
            if other != code:
                keys = partner.backend.read(partners.own_public_keys, profile=partner.profile)
                core.backend.run(partners.trust, partner=keys)
    yield cores
    for core in cores.values():
        core.close()
