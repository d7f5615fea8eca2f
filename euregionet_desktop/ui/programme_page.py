"""The Programme page of the Settings: the programme's identity every document prints (its
name, the project, the EU co-financing statement, the slogan in Polish and German side by
side, the period and its wording, the two logos). Saved with its own button (or OK), as
one undoable step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import PERIOD_WORDINGS, RETENTION_MAX_YEARS
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import ProgrammeLogo, ProgrammeSettings
from euregionet_desktop.services.programme import (
    LOGOS,
    logo_bytes,
    programme_settings,
    update_programme,
)
from euregionet_desktop.ui.field_editors import FieldEditor
from euregionet_desktop.ui.field_kinds import editor_for
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_form import COLUMN_GAP

# The texts kept in both languages: (Polish field, German field, what the row is).
PAIRS = (("programme_name_pl", "programme_name_de"), ("project_name_pl", "project_name_de"),
         ("cofinancing_pl", "cofinancing_de"), ("slogan_pl", "slogan_de"))
SINGLE = ("project_number", "period_start", "period_end")
RETENTION = "retention_contact_years"  # services.retention
PREVIEW_HEIGHT = 40  # the logos' preview, at equal height as in the documents


class LogoRow(QWidget):
    """One logo: a small preview with its file name, Choose file… and Remove. What is
    chosen or removed waits for Save."""

    def __init__(self, name: str, label: str, page: ProgrammePage) -> None:
        super().__init__(objectName=f"programmeLogo_{name}")
        self.name, self.page = name, page
        self.pending: Path | None = None
        self.removed = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel(objectName=f"programmeLogoPreview_{name}")
        self.preview.setFixedHeight(PREVIEW_HEIGHT)
        self.preview.setMinimumWidth(PREVIEW_HEIGHT)
        self.preview.setAccessibleName(label)
        layout.addWidget(self.preview)
        self.file_name = QLabel(objectName=f"programmeLogoFile_{name}")
        layout.addWidget(self.file_name, 1)
        self.choose = QPushButton(_("Choose file…"), objectName=f"programmeLogoChoose_{name}")
        self.choose.setAccessibleName(_("Choose a file for {logo}").format(logo=label))
        self.choose.clicked.connect(self._choose)
        layout.addWidget(self.choose)
        self.remove = QPushButton(_("Remove"), objectName=f"programmeLogoRemove_{name}")
        self.remove.setAccessibleName(_("Remove {logo}").format(logo=label))
        self.remove.clicked.connect(self._remove)
        layout.addWidget(self.remove)

    def show_stored(self, logo: ProgrammeLogo | None) -> None:
        self.pending, self.removed = None, False
        data = None
        if logo is not None and self.page.runner.profile is not None:
            data = self.page.runner.read(self, logo_bytes, profile=self.page.runner.profile,
                                         sha256=logo.sha256)
        self._show(data, logo.file_name if logo else None, arrived=logo is None or bool(data))

    def _show(self, data: bytes | None, file_name: str | None, *, arrived: bool = True) -> None:
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        if pixmap.isNull():
            self.preview.clear()
        else:
            self.preview.setPixmap(pixmap.scaledToHeight(
                PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation))
        if file_name is None:
            self.file_name.setText(_("No logo: documents print none."))
        elif not arrived:
            self.file_name.setText(_("{file} (its file arrives with a bundle)").format(
                file=file_name))
        else:
            self.file_name.setText(file_name)
        self.remove.setEnabled(file_name is not None)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a logo"), "", _("Images (*.png *.jpg *.jpeg *.gif *.bmp *.tif *.tiff)"))
        if not path:
            return
        self.pending, self.removed = Path(path), False
        try:
            data = self.pending.read_bytes()
        except OSError:
            data = None  # saving says why it cannot be read
        self._show(data, self.pending.name)

    def _remove(self) -> None:
        self.pending, self.removed = None, True
        self._show(None, None)

    def change(self) -> dict[str, Path | None]:
        """What Save writes for this logo: a new file, a removal, or nothing."""
        if self.pending is not None:
            return {self.name: self.pending}
        return {self.name: None} if self.removed else {}


class ProgrammePage(QWidget):
    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="settingsProgrammePage")
        self.runner = runner
        specs = {spec.name: spec for spec in records.field_specs("programme")}
        self.editors: dict[str, FieldEditor] = {}
        outer = QVBoxLayout(self)
        scroll = QScrollArea(objectName="programmeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = body = QWidget()
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        period_row = QHBoxLayout()
        period_label = QLabel(specs["period"].label)
        self.editors["period"] = period = editor_for(specs["period"], runner)
        period_label.setBuddy(period.focusProxy() or period)
        period_row.addWidget(period_label)
        period_row.addWidget(period, 1)
        self.wording = QPushButton(_("&Use this period's wording"),
                                   objectName="programmeUseWording")
        self.wording.setToolTip(_("Fill in the programme's name, the co-financing statement "
                                  "and the slogan as the rules of the period chosen word "
                                  "them; saving keeps them."))
        self.wording.clicked.connect(self.use_period_wording)
        period_row.addWidget(self.wording)
        layout.addLayout(period_row)

        grid = QGridLayout()
        grid.setHorizontalSpacing(COLUMN_GAP // 2)
        grid.addWidget(QLabel(_("Polish")), 0, 1)
        grid.addWidget(QLabel(_("German")), 0, 2)
        for row, pair in enumerate(PAIRS, start=1):
            for column, name in enumerate(pair, start=1):
                editor = editor_for(specs[name], runner)
                editor.setAccessibleName(specs[name].label)
                self.editors[name] = editor
                grid.addWidget(editor, row, column)
            label = QLabel(_(_ROW_LABELS[row - 1]))
            label.setBuddy(self.editors[pair[0]].focusProxy() or self.editors[pair[0]])
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        for row, name in enumerate(SINGLE, start=len(PAIRS) + 1):
            editor = editor_for(specs[name], runner)
            self.editors[name] = editor
            label = QLabel(specs[name].label)
            label.setBuddy(editor.focusProxy() or editor)
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
        self.logos: dict[str, LogoRow] = {}
        for row, (name, field) in enumerate(LOGOS.items(), start=len(PAIRS) + len(SINGLE) + 1):
            self.logos[name] = LogoRow(name, specs[field].label, self)
            grid.addWidget(QLabel(specs[field].label), row, 0)
            grid.addWidget(self.logos[name], row, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        note = QLabel(_("Every document prints these in its header and footer, in its "
                        "language; they travel to the partner offices with the next bundle."),
                      objectName="programmeNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self._retention_group(specs[RETENTION], runner))
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.done = QLabel(objectName="programmeDone")
        buttons.addWidget(self.done, 1)
        self.save_button = QPushButton(_("&Save the programme's settings"),
                                       objectName="programmeSave")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.settings: ProgrammeSettings | None = None
        self._load()

    def _retention_group(self, spec, runner: OpRunner) -> QGroupBox:
        """The retention period (services.retention), apart from what documents print."""
        group = QGroupBox(_("Retention of personal data"), objectName="programmeRetention")
        grid = QGridLayout(group)
        self.editors[RETENTION] = editor = editor_for(spec, runner)
        editor.setAccessibleName(spec.label)
        editor.setMaximumWidth(editor.fontMetrics().horizontalAdvance("0") * 6 + 24)
        label = QLabel(_("Retention of contact persons (years)"))
        label.setBuddy(editor.focusProxy() or editor)
        grid.addWidget(label, 0, 0)
        grid.addWidget(editor, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        explained = QLabel(_(
            "A contact person is due for review this many years after the programme's end "
            "or after their last activity (a consultation, an event, a membership, a task, "
            "a note, their consent, a change to their record), whichever is later; Edit ▸ "
            "Retention "
            "review… lists them for erasure. From {minimum} to {maximum} years; left empty, "
            "no one is due.").format(minimum=0, maximum=RETENTION_MAX_YEARS),
            objectName="programmeRetentionNote")
        explained.setWordWrap(True)
        grid.addWidget(explained, 1, 0, 1, 2)
        return group

    def wanted_size(self) -> QSize:
        """Room for every field without scrolling (the dialog grows to it if it can)."""
        hint = self.body.sizeHint()
        return QSize(hint.width() + 40, hint.height() + self.save_button.sizeHint().height()
                     + 40)

    def _load(self) -> None:
        self.settings = self.runner.read(self, programme_settings)
        if self.settings is None:
            return
        for name, editor in self.editors.items():
            editor.set_value(self.settings.values.get(name))
        self.logos["eu-emblem"].show_stored(self.settings.eu_emblem)
        self.logos["programme-logo"].show_stored(self.settings.programme_logo)

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def is_changed(self) -> bool:
        if self.settings is None:
            return False
        stored = self.settings.values
        return (any(_shown(value) != _shown(stored.get(name))
                    for name, value in self.values().items())
                or any(row.change() for row in self.logos.values()))

    def use_period_wording(self) -> None:
        """The period's names, statement and slogan in the fields (what a person typed
        there is replaced only by this button)."""
        period = self.editors["period"].value()
        wording = PERIOD_WORDINGS.get(period or "")
        if wording is None:
            return
        for name, value in wording.values().items():
            self.editors[name].set_value(value)

    def save(self) -> bool:
        """Write what the page holds as one step; False (and the reason shown) if refused."""
        logos: dict[str, Path | None] = {}
        for row in self.logos.values():
            logos.update(row.change())
        changes = self.runner.write(self, update_programme, profile=self.runner.profile,
                                    values=self.values(), logos=logos, initiator=self)
        if changes is None:
            return False
        self._load()
        self.done.setText(_("Saved: the next documents print these settings."))
        return True


# The rows of text kept in both languages (in the order of PAIRS).
_ROW_LABELS = (N_("Programme name"), N_("Project name"), N_("Co-financing statement"),
               N_("Slogan"))


def _shown(value: Any) -> str | None:
    """A value as its editor holds it: a number typed ("5") is the stored 5, and an empty
    field the stored None."""
    return None if value is None or value == "" else str(value)
