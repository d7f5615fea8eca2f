"""Every dialog of the window on a 1366×768 laptop screen (run by test_small_screen.py).

Not collected by the normal run (the name does not start with ``test_``): it needs its own
process whose offscreen screen is the 1366×728 a laptop leaves free under a 40 px taskbar,
set before Qt starts (``QT_QPA_PLATFORM=offscreen:configfile=…``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from euregionet_desktop import i18n
from euregionet_desktop.errors import DamagedDatabaseError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_import, demo, merging, partners, records
from euregionet_desktop.services.backups import create_backup, list_backups
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.services.profile import open_profile
from euregionet_desktop.services.relation_table import CHILDREN
from euregionet_desktop.ui.child_rows import RowDialog
from euregionet_desktop.ui.document_dialogs import GenerateDocumentDialog, TemplateTargetDialog
from euregionet_desktop.ui.first_run import FirstRunDialog
from euregionet_desktop.ui.import_wizard import MAPPING, PREVIEW, REPORT, SOURCE, ImportWizard
from euregionet_desktop.ui.main_window import LISTS, MainWindow
from euregionet_desktop.ui.merge_dialog import MergeDialog
from euregionet_desktop.ui.op_runner import CrashDialog
from euregionet_desktop.ui.profile_health import RestoreOfferDialog, offer_text
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.settings_dialog import SettingsDialog
from euregionet_desktop.ui.sync_view import ImportPreviewDialog, TrustDialog

# The screen a 1366×768 laptop leaves to windows (a 40 px taskbar below), and the title bar
# a window manager puts above every dialog; test_small_screen.py may run it on another.
AVAILABLE = QRect(0, 0, *(int(n) for n in os.environ.get("PROBE_SCREEN", "1366x728").split("x")))
TITLE_BAR = 30

LIST_ENTITIES = [entity for _prefix, entity, _label, _columns in LISTS]
# Records opened in a form of their own elsewhere (a measure from the global search).
OTHER_ENTITIES = sorted({"measure", "participant", "membership"} & set(ENTITY_LABELS))
CHILD_ENTITIES = sorted({r.entity for children in CHILDREN.values() for r in children
                         if r.child is not None})


@pytest.fixture(scope="module", autouse=True)
def laptop_screen():
    """The process really has the laptop's screen, else every check below means nothing."""
    if "configfile" not in os.environ.get("QT_QPA_PLATFORM", ""):
        pytest.skip("run through tests/ui/test_small_screen.py")


@pytest.fixture(scope="module")
def _demo_made(tmp_path_factory, _core_made):
    """``core``'s profile with the demo data, made once for the module (the demo is the
    same every time: a fixed seed)."""
    made = Path(shutil.copytree(_core_made, tmp_path_factory.mktemp("demo") / "profile",
                                ignore=shutil.ignore_patterns("profile.lock*")))
    opened = open_profile(Profile(made), purpose="pytest")
    try:
        opened.backend.run(demo.generate)
    finally:
        opened.close()
    return made


@pytest.fixture
def demo_core(tmp_path, _demo_made):
    """An open copy of the demo profile, for one test."""
    opened = open_profile(Profile(shutil.copytree(
        _demo_made, tmp_path / "profile", ignore=shutil.ignore_patterns("profile.lock*"))),
        purpose="pytest")
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, demo_core):
    window = MainWindow(demo_core)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def accept_button(dialog: QDialog) -> QWidget:
    """The button that saves or confirms: Save, OK, Import, Trust, … (Close if alone)."""
    boxes = dialog.findChildren(QDialogButtonBox)
    assert boxes, f"{dialog.objectName()} has no buttons"
    # Those the dialog shows now (a wizard's last page has Close instead of Next).
    shown = [(box, b) for box in boxes for b in box.buttons() if not b.isHidden()]
    buttons = [b for box, b in shown
               if box.buttonRole(b) in (QDialogButtonBox.ButtonRole.AcceptRole,
                                        QDialogButtonBox.ButtonRole.YesRole)]
    return buttons[0] if buttons else next(b for box, b in shown if box is boxes[-1])


def button_placed(dialog: QDialog) -> bool:
    """Whether the accept button has been laid out inside the dialog (see assert_fits)."""
    button = accept_button(dialog)
    inside = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
    return button.isVisible() and dialog.rect().contains(inside)


def assert_fits(qtbot, dialog: QDialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen == AVAILABLE
    name = f"{dialog.objectName() or type(dialog).__name__} “{dialog.windowTitle()}”"
    frame = dialog.frameGeometry()
    assert frame.height() + TITLE_BAR <= screen.height(), (
        f"{name} is {frame.height()} px tall: with its title bar it leaves the screen")
    assert frame.width() <= screen.width(), f"{name} is {frame.width()} px wide"
    button = accept_button(dialog)
    assert button.isVisible(), f"{name}: “{button.text()}” is not shown"
    inside = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
    assert dialog.rect().contains(inside), f"{name}: “{button.text()}” is cut off"
    # Placed with its title bar at the top of the screen, the button is still on it.
    bottom = TITLE_BAR + inside.bottom()
    assert bottom <= screen.bottom(), f"{name}: “{button.text()}” ends at {bottom} px"
    dialog.done(QDialog.DialogCode.Rejected)


@pytest.mark.parametrize(("entity", "mode"), [
    *((entity, mode) for entity in LIST_ENTITIES for mode in ("new", "edit")),
    *((entity, "new") for entity in OTHER_ENTITIES)])
def test_record_dialog_fits(qtbot, window, entity, mode):
    """The form of every kind of record, new and with a demo record, keeps Save on screen."""
    record_id = None
    if mode == "edit":
        view = window.lists[entity]
        window.go_to(window.views.index(view))
        record_id = view.model.record_id(0)
    assert_fits(qtbot, RecordDialog(window.runner, entity, record_id=record_id,
                                    parent=window))


@pytest.mark.parametrize("entity", CHILD_ENTITIES)
def test_row_dialog_fits(qtbot, window, entity):
    """The form of a row edited inside another form (task, measure, participant)."""
    assert_fits(qtbot, RowDialog(window.runner, entity, hidden=(), row=None, parent=window))


def other_dialogs(window) -> dict[str, Callable[[], QDialog]]:
    core = window.core
    for reason in ("daily", "manual"):
        create_backup(core.profile, reason=reason)
    backups = list_backups(core.profile)
    own = core.backend.read(partners.own_public_keys, profile=core.profile)
    report = bundle_import.ImportReport("3f0c2a8e-5d1b-4c9a-9a57-0f1e2d3c4b5a", "BIC",
                                        "Laptop Frankfurt 1", 1234, 56, 2, 0, 1, 3)
    error = DamagedDatabaseError("", backup=backups[0].id)

    def merge(entity: str) -> QDialog:
        """Two demo records side by side, every field filled in at least one."""
        ids = core.backend.read(records.list_ids, entity=entity)[:2]
        preview = core.backend.read(merging.merge_preview, entity=entity, ids=ids)
        return MergeDialog(window.runner, preview, window)

    return {
        "settings": lambda: SettingsDialog(None, window, runner=window.runner),
        "first run": lambda: FirstRunDialog(window),
        "trust": lambda: TrustDialog(own, window),
        "import preview": lambda: ImportPreviewDialog(report, window),
        "generate document": lambda: GenerateDocumentDialog(
            title=_("Generate document"), subject="Plan działań – Klaster " * 6,
            suggested_name=lambda language: f"plan.{language}.docx",
            last_folder=core.profile.root, language="pl", parent=window),
        "template target": lambda: TemplateTargetDialog(
            title=_("Load an edited template"), intro=_("Which document?"),
            kind="consultation", language="de", accept_text=_("Load"), parent=window),
        "restore offer": lambda: RestoreOfferDialog(
            offer_text(core.profile, error, backups[0].id), backups, backups[0].id,
            _("Quit"), window),
        "crash": lambda: CrashDialog(RuntimeError("example"), "Traceback\n" * 80,
                                     core.profile.logs / "euregionet.log", window),
        "merge organisations": lambda: merge("organisation"),
        "merge contacts": lambda: merge("contact"),
    }


@pytest.mark.parametrize("name", ["settings", "first run", "trust", "import preview",
                                  "generate document", "template target", "restore offer",
                                  "crash", "merge organisations", "merge contacts"])
def test_other_dialog_fits(qtbot, window, name):
    """Settings, documents, trust, import preview, first run, restore offer, crash."""
    dialog = other_dialogs(window)[name]()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    assert_fits(qtbot, dialog)


def test_import_wizard_fits_on_every_page(qtbot, window, tmp_path):
    """The import wizard on each of its pages (the preview with an error, the report)
    keeps Next, Import or Close on the screen."""
    path = tmp_path / "lista.csv"
    path.write_bytes("Imię;Nazwisko;Firma;E-mail\r\nŁukasz;Żółkiewski;Łąka Sp. z o.o.;"
                     "l.zolkiewski@laka.pl\r\nJan;Wiśniewski;Łąka Sp. z o.o.;jan@@laka\r\n"
                     .encode("cp1250"))
    wizard = ImportWizard(window.runner, window.places, path=path, kind="contact",
                          parent=window)
    wizard.show()
    for page in (SOURCE, MAPPING, PREVIEW, REPORT):
        if page == REPORT:
            wizard.preview_page.skip_invalid.setChecked(True)
        wizard.go_next()
        qtbot.waitUntil(lambda page=page: wizard.current() == page and not wizard.working,
                        timeout=10_000)
        window.runner.wait()
        wizard.layout().activate()  # the page's buttons placed (a posted layout request)
        # The button box lays out its newly shown button (Import, Close) in a layout
        # request of its own, posted: on a busy machine it comes after the activate above.
        for _wait in range(50):  # up to 5 s; assert_fits then says what is wrong
            if button_placed(wizard):
                break
            qtbot.wait(100)
        assert_fits(qtbot, wizard)
        wizard.show()


def test_main_window_fits(window):
    """The window itself opens no larger than the screen left to it."""
    frame = window.frameGeometry()
    assert frame.height() + TITLE_BAR <= AVAILABLE.height()
    assert frame.width() <= AVAILABLE.width()


@pytest.mark.parametrize("language", ["pl", "de"])
def test_the_dashboard_fits_in_polish_and_german(qtbot, core, language):
    """The demo's dashboard in the longer languages, its indicators with their evidence
    column ("0 with evidence, 16 missing"), leaves the window on the screen."""
    before = i18n.current_language()
    i18n.set_language(language)
    try:
        core.backend.run(demo.generate)
        window = MainWindow(core)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
            window.go_to(window.views.index(window.dashboard))
            window.dashboard.ensure_loaded()
        qtbot.wait(50)  # the layout takes the new widgets' sizes
        assert window.frameGeometry().width() <= AVAILABLE.width(), (
            f"{language}: the window is {window.frameGeometry().width()} px wide")
    finally:
        i18n.set_language(before)
