"""Composition root for the desktop app: profile, core, Qt application, main window."""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from euregionet_desktop.errors import (
    DamagedDatabaseError,
    InterruptedMigrationError,
    UserFacingError,
)
from euregionet_desktop.i18n import _, babel_locale, current_language
from euregionet_desktop.logs import LOG_NAME
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.profile import (
    Core,
    initialise,
    is_initialised,
    open_profile,
    storage_warning,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtWidgets import QWidget

    from euregionet_desktop.services.backups import RestoreReport

log = logging.getLogger(__name__)


def open_demo_profile(*, fill: bool = True) -> Core:
    """A fresh profile in a temporary folder, set up for LOP and (with ``fill``) demo data."""
    from euregionet_desktop.services import demo

    root = Path(tempfile.mkdtemp(prefix="euregionet-demo-"))
    core = open_profile(Profile(root), purpose="euregionet --demo")
    core.backend.run(initialise, office="LOP", label=_("Demo laptop"),
                     advisor_name=_("Demo advisor"))
    if fill:
        core.backend.run(demo.generate)
    return core


def install_qt_translations(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own texts (standard buttons, context menus) in ``language`` and its locale for
    Qt's widgets (calendar weeks start on Monday, spin boxes); call before any window.

    Returns the installed translator (owned by ``app``; remove it with
    ``app.removeTranslator``), or None if Qt has no translations for the language."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from euregionet_desktop.ui.qt_texts import QtTextFallback

    QLocale.setDefault(QLocale(str(babel_locale(language))))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        log.warning("no Qt translations for %s in %s", language, folder)
        translator.deleteLater()
        return None
    if app.findChild(QtTextFallback, "qtTextFallback") is None:
        # Installed before qtbase, so asked after it: only for what qtbase lacks (the file
        # dialog's "Look in:" in Polish).
        app.installTranslator(QtTextFallback(app))
    app.installTranslator(translator)
    return translator


def restart_arguments(args: Sequence[str]) -> list[str]:
    """The command-line arguments for starting again after a language change: the same,
    without ``--lang`` (which would win over the language just chosen)."""
    kept: list[str] = []
    rest = iter(args)
    for arg in rest:
        option, equals, _value = arg.partition("=")
        # argparse also takes unambiguous abbreviations: "--la de", "--data DIR".
        if len(option) >= 3 and "--lang".startswith(option):
            if not equals:
                next(rest, None)
            continue
        kept.append(arg)
        if len(option) >= 4 and "--data-dir".startswith(option) and not equals:
            value = next(rest, None)  # the folder, even one called "--lang"
            if value is not None:
                kept.append(value)
    return kept


def restart_app(args: Sequence[str]) -> bool:
    """Start EuRegioNet Desktop again as a new process with these command-line arguments;
    False if it could not be started."""
    from PySide6.QtCore import QProcess

    if getattr(sys, "frozen", False):  # a PyInstaller build: the executable is the app
        arguments = list(args)
    else:  # argv[0] may be the console script or __main__.py; -m works for both
        arguments = ["-m", "euregionet_desktop", *args]
    started, _pid = QProcess.startDetached(sys.executable, arguments)
    if not started:
        log.error("could not start %s %s", sys.executable, arguments)
    return started


def run(*, data_dir: Path | None, demo: bool = False, argv: Sequence[str] | None = None,
        bundle: Path | None = None) -> int:
    """Open the main window; returns the process exit code. ``argv`` (default: this
    process's arguments) is what a restart after a language change starts with.
    ``bundle``: a bundle file the app was opened with, shown in the import preview once
    the window is open.

    A window closed to restore a backup opens again on the restored data, in this process.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    arguments = list(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from euregionet_desktop.ui.background import collect_on_gui_thread
    from euregionet_desktop.ui.bundle_hand_over import BundleReceiver, hand_over

    collect_on_gui_thread(app)  # not in a worker thread, amid the window's events

    if bundle is not None and not demo and hand_over(Profile(data_dir).root, bundle):
        return 0  # the app already open on the profile shows it
    app.setApplicationName("EuRegioNet")
    app.setOrganizationName("EuRegioNet")
    app.setApplicationDisplayName(_("EuRegioNet Desktop"))
    install_qt_translations(app, current_language())  # the app owns the translator
    from euregionet_desktop.ui.crash_hooks import CrashHooks
    from euregionet_desktop.ui.icons import use_icon_theme

    use_icon_theme(app)  # before any window: dialogs use the toolbar's icons
    from euregionet_desktop.ui.main_window import MainWindow
    from euregionet_desktop.ui.profile_health import restore_profile, restored_text

    profile = None if demo else Profile(data_dir)
    restored: str | None = None  # what a restore did, told once the window is open
    first = True
    while True:
        if profile is None:
            try:
                core = open_demo_profile(fill=False)
            except UserFacingError as error:
                QMessageBox.critical(None, _("EuRegioNet Desktop"), str(error))
                return 1
            profile = core.profile
        else:
            opened = open_or_offer_restore(profile)
            if opened is None:
                return 1
            core, report = opened
            if report is not None:
                restored = restored_text(report)
        # A failure outside the op runner (a slot, a thread, a fatal Qt message) reaches
        # the crash dialog with this profile's log.
        hooks = CrashHooks(core.profile.logs / LOG_NAME)
        hooks.install()
        receiver: BundleReceiver | None = None
        try:
            if not core.backend.read(is_initialised):
                from euregionet_desktop.ui.first_run import FirstRunDialog

                answer = FirstRunDialog.ask(None)
                if answer is None:
                    return 0
                core.backend.run(initialise, office=answer.office_code, label=answer.label,
                                 advisor_name=answer.advisor_name)
            window = MainWindow(core)
            # Bundles opened by a second start while this window is open come here.
            receiver = BundleReceiver(core.profile.root, app)
            receiver.received.connect(window.open_bundle)
            window.show()
            if demo and first:
                from euregionet_desktop.services import demo as demo_data

                # Filled behind a progress dialog, so the window is there at once.
                window.runner.start(window, demo_data.generate,
                                    title=_("Filling the demo profile"))
            if restored is not None:
                QMessageBox.information(window, _("Restore a backup"), restored)
                restored = None
            if first:
                warn_about_storage(window, core.profile)
            if core.notices:
                QMessageBox.warning(window, _("EuRegioNet Desktop"), "\n".join(core.notices))
            window.check_profile()
            if first and bundle is not None:
                # From the event loop, so the window is painted behind the preview.
                QTimer.singleShot(0, partial(window.open_bundle, bundle))
            first = False
            code = app.exec()
        finally:
            if receiver is not None:  # before the profile is free for another process
                receiver.close()
            hooks.uninstall()
            core.close()
        # Only now, with the profile unlocked, can the new process open it.
        if window.restart_requested and not restart_app(restart_arguments(arguments)):
            QMessageBox.warning(None, _("EuRegioNet Desktop"), _(
                "EuRegioNet Desktop could not start again. Please start it yourself."))
        if window.restore_requested is None:
            return code
        report = restore_profile(None, profile, window.restore_requested)
        if report is not None:
            restored = restored_text(report)
        window.deleteLater()


def open_or_offer_restore(profile: Profile) -> tuple[Core, RestoreReport | None] | None:
    """Open the profile; a damaged database or an interrupted schema update is told with
    the offer to restore a backup, which is restored only if the person chooses one. The
    open profile and what a restore did, or None when the app is to end (after saying
    why)."""
    from PySide6.QtWidgets import QMessageBox

    from euregionet_desktop.ui.profile_health import offer_restore, restore_profile

    report: RestoreReport | None = None
    while True:
        try:
            return open_profile(profile, purpose="app"), report
        except (DamagedDatabaseError, InterruptedMigrationError) as error:
            log.warning("profile not opened: %s", error)
            backup_id = offer_restore(None, profile, error)
            if backup_id is None:
                return None
            report = restore_profile(None, profile, backup_id) or report
        except UserFacingError as error:
            QMessageBox.critical(None, _("EuRegioNet Desktop"), str(error))
            return None


def warn_about_storage(parent: QWidget, profile: Profile) -> None:
    """Once per start: a profile on a network share or in a synchronised cloud folder
    can be damaged by the copying; say so where the person will see it."""
    from PySide6.QtWidgets import QMessageBox

    try:
        warning = storage_warning(profile)
    except Exception:  # a warning that cannot be worked out is not worth stopping for
        log.warning("storage check failed", exc_info=True)
        return
    if warning:
        QMessageBox.warning(parent, _("EuRegioNet Desktop"), warning)
