"""Qt tests run headless; the fixtures several ui test modules share."""

import os

import pytest
from PySide6.QtCore import QLocale, QTranslator

from euregionet_desktop import i18n
from euregionet_desktop.ui.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def english(monkeypatch):
    """The system and the window speak English; the language before is restored after."""
    before = i18n.current_language()
    monkeypatch.setenv("LANGUAGE", "en")
    i18n.set_language("en")
    yield
    i18n.set_language(before)


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
def window(qtbot, core):
    """The main window on the test's profile, shown."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window
