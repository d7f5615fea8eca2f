"""The Sync view: this installation's key, trusted partners, bundles out and in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import NextStep, UserFacingError
from euregionet_desktop.files import atomic_write
from euregionet_desktop.i18n import _, format_number, ngettext
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, exchange, partners, waits
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.sync.file_type import FILE_SUFFIX, OLD_SUFFIXES
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.error_text import step_text
from euregionet_desktop.ui.file_dialogs import (
    BUNDLES_IN,
    BUNDLES_OUT,
    KEY_FILES,
    open_file,
    save_file,
)
from euregionet_desktop.ui.hub_group import HubGroup
from euregionet_desktop.ui.op_runner import OpRunner, show_error


def report_text(report: bundle_import.ImportReport) -> str:
    """What an import did (or would do), in sentences."""
    lines = [
        _("Bundle from {office}{label}.").format(
            office=report.origin_office,
            label=f" ({report.origin_label})" if report.origin_label else ""),
        ngettext("{count} change applied", "{count} changes applied", report.applied).format(
            count=format_number(report.applied)),
        ngettext("{count} change already known", "{count} changes already known",
                 report.known).format(count=format_number(report.known)),
        ngettext("{count} field in conflict", "{count} fields in conflict",
                 report.conflicts).format(count=format_number(report.conflicts)),
        ngettext("{count} change waiting for an earlier one",
                 "{count} changes waiting for earlier ones", report.waiting).format(
            count=format_number(report.waiting)),
        ngettext("{count} change dropped after an erasure",
                 "{count} changes dropped after an erasure", report.dropped).format(
            count=format_number(report.dropped)),
        ngettext("{count} record erased", "{count} records erased", report.erased).format(
            count=format_number(report.erased)),
        *(waits.wait_text(wait) for wait in report.long_waits),
    ]
    if report.documents:
        lines.append(ngettext(
            "{count} document or attachment naming an erased person deleted",
            "{count} documents and attachments naming an erased person deleted",
            report.documents).format(count=format_number(report.documents)))
    return "\n".join(lines)


def preview_text(report: bundle_import.ImportReport) -> str:
    """What an import would do, before it is done: in the future tense, and only what it
    would change (no lines of zeros)."""
    lines = [_("Bundle from {office}{label}.").format(
        office=report.origin_office,
        label=f" ({report.origin_label})" if report.origin_label else "")]
    shown = (
        (report.applied, ngettext("{count} change will be applied",
                                  "{count} changes will be applied", report.applied)),
        (report.known, ngettext("{count} change is already here and will be skipped",
                                "{count} changes are already here and will be skipped",
                                report.known)),
        (report.conflicts, ngettext("{count} field will be in conflict",
                                    "{count} fields will be in conflict", report.conflicts)),
        (report.waiting, ngettext("{count} change will wait for an earlier one",
                                  "{count} changes will wait for earlier ones", report.waiting)),
        (report.dropped, ngettext(
            "{count} change will be dropped after an erasure of personal data",
            "{count} changes will be dropped after an erasure of personal data",
            report.dropped)),
        (report.erased, ngettext("The personal data of {count} record will be erased",
                                 "The personal data of {count} records will be erased",
                                 report.erased)),
        (report.documents, ngettext(
            "{count} document or attachment naming an erased person will be deleted",
            "{count} documents and attachments naming an erased person will be deleted",
            report.documents)))
    lines += [text.format(count=format_number(count)) for count, text in shown if count]
    if len(lines) == 1:
        lines.append(_("Nothing will change: everything in it is already here."))
    lines += [waits.wait_text(wait) for wait in report.long_waits]
    return "\n".join(lines)


def bundle_filter(*, old_names: bool = False) -> str:
    """The file dialog's filter for bundles; with ``old_names`` (opening) also the names
    bundles had before they had their own, and any file at all, since any name is read."""
    patterns = " ".join(f"*{suffix}" for suffix in (FILE_SUFFIX, *(OLD_SUFFIXES if old_names
                                                                 else ())))
    text = _("Bundles ({patterns})").format(patterns=patterns)
    return ";;".join((text, _("All files (*)"))) if old_names else text


def unreadable_bundle(path: Path, error: OSError) -> UserFacingError:
    """What to tell when a bundle file cannot be read (one given on the command line or by
    a double click may be gone by now)."""
    if isinstance(error, FileNotFoundError | IsADirectoryError | NotADirectoryError):
        text = _("There is no bundle file {path}: it may have been moved, renamed or deleted. "
                 "Nothing was imported.")
    elif isinstance(error, PermissionError):
        text = _("You may not read {path}. Check its permissions or copy it to your "
                 "documents folder first. Nothing was imported.")
    else:
        text = _("Cannot read {path}: {reason}")
    return UserFacingError(text.format(path=path, reason=error.strerror or error))


class ImportPreviewDialog(QDialog):
    """The report of a dry run; Import applies the bundle."""

    def __init__(self, report: bundle_import.ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle(_("Import bundle"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Importing this bundle would do the following:")))
        text = QLabel(preview_text(report), objectName="importPreviewReport")
        text.setAccessibleName(_("What the import would do"))
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        apply = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        apply.setObjectName("importApply")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, report: bundle_import.ImportReport) -> bool:
        return cls(report, parent).exec() == QDialog.DialogCode.Accepted


class TrustDialog(QDialog):
    """Compare the fingerprint with the partner before trusting their key."""

    def __init__(self, partner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustDialog")
        self.setWindowTitle(_("Trust a partner's key"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(_("Office"), QLabel(partner.office_code))
        form.addRow(_("Installation"), QLabel(f"{partner.label or ''} "
                                              f"({partner.installation_id})"))
        fingerprint = QLabel(partner.fingerprint, objectName="trustFingerprint")
        font = fingerprint.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        fingerprint.setFont(font)
        form.addRow(_("Fingerprint"), fingerprint)
        layout.addLayout(form)
        hint = QLabel(_("Read the fingerprint to the partner (by phone or in person) and "
                        "trust the key only if it is the same on their screen."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_("Trust"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, partner) -> bool:
        return cls(partner, parent).exec() == QDialog.DialogCode.Accepted


def confirm_unencrypted(parent: QWidget | None, office: str) -> bool:
    """Asked before a bundle is written unencrypted because no key of ``office`` is
    trusted: whether to export it anyway."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Export bundle"), _(
        "No key of office {office} is trusted here, so this bundle will not be encrypted: "
        "anyone who gets hold of the file can read what it carries, personal data "
        "included.").format(office=office), QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("exportUnencrypted")
    box.setInformativeText(_("To encrypt it, cancel and trust the office's key first. "
                             "{step}").format(step=step_text(NextStep.TRUST_KEY)))
    export = box.addButton(_("Export unencrypted"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is export


def tell_exported(parent: QWidget | None, result: bundle_export.ExportResult) -> QMessageBox:
    """The bundle is written: where, and a way to its folder (a box that does not wait)."""
    box = QMessageBox(QMessageBox.Icon.Information, _("Export bundle"),
                      _("The bundle for {office} was saved as “{name}”.").format(
                          office=result.to_office, name=result.path.name),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("exportDone")
    carried = ngettext("It carries {count} change.", "It carries {count} changes.",
                       result.changes).format(count=format_number(result.changes))
    sealed = (_("It is encrypted for the office's trusted keys.") if result.encrypted
              else _("It is not encrypted."))
    box.setInformativeText(_("{carried} {sealed}\nFolder: {folder}").format(
        carried=carried, sealed=sealed, folder=result.path.parent))
    folder = box.addButton(_("Open folder"), QMessageBox.ButtonRole.ActionRole)
    folder.setObjectName("exportOpenFolder")
    # Not in the way: open() returns at once, the box closes with either button.
    folder.clicked.connect(
        lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent))))
    box.finished.connect(box.deleteLater)
    box.open()
    return box


class SyncView(QWidget):
    """Keys, export for a partner, import with a preview, and the bundles exchanged."""

    loaded = Signal()  # what was read last is shown
    tell = Signal(str)  # a line for the status bar about what was just done

    def __init__(self, runner: OpRunner, profile: Profile, parent: QWidget | None = None,
                 places: DocumentPlaces | None = None):
        super().__init__(parent)
        self.title = _("Sync")
        self.runner = runner
        self.profile = profile
        self.places = places or DocumentPlaces()
        self._asked = 0  # reads asked for; only the answer to the last one is shown
        self.setObjectName("syncView")

        own = QGroupBox(_("This installation"))
        own_form = QFormLayout(own)
        self.values: dict[str, QLabel] = {}
        for key, label in (("office", _("Partner office")), ("label", _("Name of this laptop")),
                           ("fingerprint", _("Fingerprint")), ("changes", _("Changes recorded"))):
            value = QLabel(objectName=f"sync_{key}")
            value.setAccessibleName(label)
            self.values[key] = value
            own_form.addRow(label, value)
        export_key = QPushButton(_("Save my key file…"), objectName="syncExportKey")
        export_key.clicked.connect(self.export_key)
        trust = QPushButton(_("Trust a partner's key file…"), objectName="syncTrust")
        trust.clicked.connect(self.trust_partner)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(export_key)
        key_buttons.addWidget(trust)
        key_buttons.addStretch(1)
        own_form.addRow(key_buttons)

        out = QGroupBox(_("Export for a partner office"))
        out_layout = QGridLayout(out)
        self.office = QComboBox(objectName="syncOffice")
        self.office.setAccessibleName(_("Partner office"))
        self.office.currentIndexChanged.connect(self._office_chosen)
        self.contents = QLabel(objectName="syncContents")
        self.contents.setWordWrap(True)
        self.encrypt = QCheckBox(_("Encrypt for the office's trusted keys"),
                                 objectName="syncEncrypt")
        self.encrypt.setChecked(True)
        export = QPushButton(_("Export bundle…"), objectName="syncExport")
        export.clicked.connect(self.export_bundle)
        out_layout.addWidget(QLabel(_("Partner office")), 0, 0)
        out_layout.addWidget(self.office, 0, 1)
        out_layout.addWidget(self.contents, 1, 0, 1, 3)
        out_layout.addWidget(self.encrypt, 2, 0, 1, 2)
        out_layout.addWidget(export, 2, 2)
        out_layout.setColumnStretch(1, 1)

        incoming = QGroupBox(_("Import a bundle"))
        in_layout = QHBoxLayout(incoming)
        in_layout.addWidget(QLabel(_("A bundle from a partner office (USB stick, e-mail): you "
                                     "see what it will do before anything changes.")), 1)
        import_button = QPushButton(_("Import bundle…"), objectName="syncImport")
        import_button.clicked.connect(self.import_bundle)
        in_layout.addWidget(import_button)
        # Changes that have waited long for earlier ones: what they wait for, what to do.
        self.waits = QLabel(objectName="syncWaits")
        self.waits.setWordWrap(True)
        self.waits.setAccessibleName(_("Changes waiting for a long time"))
        self.waits.hide()

        self.partners = QTreeWidget(objectName="syncPartners")
        self.partners.setAccessibleName(_("Trusted partners"))
        self.partners.setHeaderLabels([_("Office"), _("Installation"), _("Fingerprint"),
                                       _("Trusted on")])
        self.partners.setRootIsDecorated(False)
        self.history = QTreeWidget(objectName="syncHistory")
        self.history.setAccessibleName(_("Bundles exchanged"))
        self.history.setHeaderLabels([_("When"), _("Direction"), _("Office"), _("Contents")])
        self.history.setRootIsDecorated(False)
        lists = QHBoxLayout()
        for title, tree in ((_("Trusted partners"), self.partners),
                            (_("Bundles exchanged"), self.history)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(tree)
            lists.addWidget(box, 1)

        # Sync through a shared folder or the office hub; its timer runs from the start.
        self.hub = HubGroup(runner, profile)
        self.hub.ended.connect(self._hub_synced)

        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(self.hub)
        layout.addWidget(out)
        layout.addWidget(incoming)
        layout.addWidget(self.waits)
        layout.addLayout(lists, 1)

    # --- loading -------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Read what the view shows in the background; shown when it arrives."""
        self.hub.reload()
        self._load_overview()

    def _load_overview(self) -> None:
        self._asked += 1
        asked = self._asked
        self.runner.query(self, exchange.sync_overview, profile=self.profile,
                          on_done=lambda overview: self._show(asked, overview))

    def _show(self, asked: int, overview: exchange.SyncOverview) -> None:
        if asked != self._asked:
            return  # a later read is on its way
        info, keys = overview.info, overview.keys
        self.values["office"].setText(f"{info.office_name} ({info.office_code})")
        self.values["label"].setText(info.label or "")
        self.values["fingerprint"].setText(keys.fingerprint if keys else "")
        self.values["changes"].setText(format_number(overview.totals.changes))
        current = self.office.currentData()
        self._offices = {o.code: o for o in overview.offices}
        self.office.blockSignals(True)
        self.office.clear()
        for office in self._offices.values():
            self.office.addItem(f"{office.code} – {office.name}", office.code)
        if current in self._offices:
            self.office.setCurrentIndex(self.office.findData(current))
        self.office.blockSignals(False)
        self._office_chosen()
        self.partners.clear()
        for partner in overview.partners:
            QTreeWidgetItem(self.partners, [partner.office_code,
                                            f"{partner.label or ''} ({partner.installation_id[:8]})",
                                            partner.fingerprint, partner.trusted_at[:10]])
        self.waits.setText("\n".join(waits.wait_text(wait) for wait in overview.waits))
        self.waits.setVisible(bool(overview.waits))
        self.history.clear()
        for record in overview.history:
            contents = (_("{changes} changes").format(changes=record.report.get("changes", 0))
                        if record.direction == "out" else
                        _("{applied} applied, {known} known, {conflicts} in conflict").format(
                            applied=record.report.get("applied", 0),
                            known=record.report.get("known", 0),
                            conflicts=record.report.get("conflicts", 0)))
            QTreeWidgetItem(self.history, [record.at[:16].replace("T", " "),
                                           _("sent") if record.direction == "out"
                                           else _("received"),
                                           # a push to the hub is for all its offices
                                           _("Hub") if record.office_code == "hub"
                                           else record.office_code, contents])
        self.loaded.emit()

    def refresh(self, changes: Changes) -> None:
        if changes.entities and self.isVisible():
            self.ensure_loaded()

    def _hub_synced(self, _outcome: object) -> None:
        if self.isVisible():  # what was sent and received, in the lists (the group reads
            self._load_overview()  # its own)

    def _office_chosen(self) -> None:
        office = getattr(self, "_offices", {}).get(self.office.currentData())
        if office is None:
            self.contents.clear()
            return
        text = ngettext("A bundle for {office} now carries {count} change it has not "
                        "acknowledged yet.", "A bundle for {office} now carries {count} "
                        "changes it has not acknowledged yet.", office.unsent_changes).format(
            office=office.code, count=format_number(office.unsent_changes))
        if not office.trusted_keys:
            text += " " + _("No key of this office is trusted yet, so it cannot be "
                            "encrypted for it.")
        self.contents.setText(text)
        self.encrypt.setEnabled(office.trusted_keys > 0)
        self.encrypt.setChecked(office.trusted_keys > 0)

    # --- actions -------------------------------------------------------------------------
    def export_key(self) -> None:
        path = save_file(self, self.places, KEY_FILES, _("Save my key file"),
                         "euregionet-key.json", _("Key files (*.json)"))
        if path is None:
            return
        keys = self.runner.read(self, partners.own_public_keys, profile=self.profile)
        if keys is not None:
            try:
                atomic_write(path, keys.to_json())
            except UserFacingError as error:
                show_error(self, error)
            else:
                self.tell.emit(_("Key file saved as {path}.").format(path=path))

    def trust_partner(self) -> None:
        path = open_file(self, self.places, KEY_FILES, _("Trust a partner's key file"),
                         _("Key files (*.json)"))
        if path is None:
            return
        try:
            partner = self.runner.fetch(partners.read_partner_keys, data=path.read_bytes())
        except (UserFacingError, OSError) as error:
            show_error(self, error if isinstance(error, UserFacingError)
                       else UserFacingError(str(error)))
            return
        if TrustDialog.ask(self, partner):
            self.runner.write(self, partners.trust, partner=partner, initiator=self)
            self.ensure_loaded()

    def export_bundle(self) -> None:
        office = self.office.currentData()
        if office is None:
            return
        # Told now, before anything is written, not after the file is on a USB stick.
        if not self.encrypt.isEnabled() and not confirm_unencrypted(self, office):
            return
        path = save_file(self, self.places, BUNDLES_OUT, _("Export bundle"),
                         f"euregionet-for-{office}{FILE_SUFFIX}", bundle_filter())
        if path is None:
            return
        if not path.suffix and not path.with_suffix(FILE_SUFFIX).exists():
            path = path.with_suffix(FILE_SUFFIX)  # Qt's own dialog adds none; opens by type
        self.runner.start(self, bundle_export.export_bundle, title=_("Exporting the bundle"),
                          profile=self.profile, to_office=office, path=path,
                          encrypt=self.encrypt.isChecked() and self.encrypt.isEnabled(),
                          on_done=self._exported)

    def _exported(self, result: bundle_export.ExportResult) -> None:
        self.ensure_loaded()
        self.tell.emit(_("Bundle for {office} saved as {path}.").format(
            office=result.to_office, path=result.path))
        tell_exported(self, result)

    def import_bundle(self) -> None:
        path = open_file(self, self.places, BUNDLES_IN, _("Import bundle"),
                         bundle_filter(old_names=True))
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bundle_import.ImportReport | None:
        """Preview, ask, apply; None when refused or cancelled."""
        try:
            data = path.read_bytes()
        except OSError as error:
            show_error(self, unreadable_bundle(path, error))
            return None
        preview = self._in_pool(bundle_import.import_bundle, preview=True, data=data, dry_run=True)
        if preview is None or not ImportPreviewDialog.ask(self, preview):
            return None
        outcome = self._in_pool(exchange.import_and_scrub, data=data)
        if outcome is None:
            return None
        text = report_text(outcome.report)
        if outcome.report.erased:
            dropped = self.runner.forget_erased()  # steps naming an erased person go
            if dropped:
                text += "\n" + ngettext(
                    "{count} step was removed from the undo history: it needs a person "
                    "erased by this bundle.",
                    "{count} steps were removed from the undo history: they need a person "
                    "erased by this bundle.", dropped).format(count=format_number(dropped))
            self.runner.compact(self)
        QMessageBox.information(self, _("Import bundle"), text)
        self.ensure_loaded()
        return outcome.report

    def _in_pool(self, fn, /, *, preview: bool = False, **kwargs) -> Any:
        """A bundle's preview or import in the thread pool behind a progress dialog with
        Cancel, the window painted and responsive meanwhile; waits for it. Its result, or
        None if it failed (the person was told) or was cancelled (nothing was changed)."""
        loop = QEventLoop()
        outcome: list[Any] = []

        def done(result: Any) -> None:
            outcome.append(result)
            loop.quit()

        def failed(error: BaseException) -> None:
            self.runner.report(self, error)
            loop.quit()

        self.runner.start(self, fn, title=_("Import bundle"), preview=preview,
                          cancellable=True, initiator=self, profile=self.profile,
                          on_done=done, on_failed=failed, on_cancelled=loop.quit, **kwargs)
        loop.exec()  # the outcome arrives as a queued signal, so never before this
        return outcome[0] if outcome else None
