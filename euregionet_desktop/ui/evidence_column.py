"""The dashboard's evidence column: how many counted items of an indicator have their
evidence attached, the missing ones marked, and the list of counted records behind it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.i18n import _, format_date, format_number, ngettext
from euregionet_desktop.services.dashboard import IndicatorProgress
from euregionet_desktop.services.dto import CountedItem, EvidenceFile

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # (entity, record id) an item opens
# Columns of the counted records' list.
RECORD, DATE, OFFICE, EVIDENCE = range(4)
TOOLTIP_ITEMS = 10  # missing items named in the tooltip; the list shows them all


def evidence_text(progress: IndicatorProgress) -> str:
    """"3 with evidence, 2 missing" (or "–" when nothing was counted)."""
    evidenced = progress.with_evidence or 0
    missing = len(progress.evidence_missing)
    if not progress.items:
        return "–"
    if missing:
        return ngettext("{evidenced} with evidence, {count} missing",
                        "{evidenced} with evidence, {count} missing", missing).format(
            evidenced=format_number(evidenced), count=format_number(missing))
    return ngettext("{count} with evidence", "{count} with evidence", evidenced).format(
        count=format_number(evidenced))


def _file_text(evidence: EvidenceFile) -> str:
    try:
        kind = _(AttachmentKind(evidence.kind).label)
    except ValueError:
        kind = evidence.kind
    return _("{kind}: {file}").format(kind=kind, file=evidence.file_name)


def _date_text(on: str | None) -> str:
    if not on:
        return ""
    try:
        return format_date(dt.date.fromisoformat(on[:10]))
    except ValueError:
        return on


class EvidenceButton(QPushButton):
    """The evidence of one indicator's counted items, in words; clicked, the list of them.
    Items without evidence mark it in the attention colour."""

    show_items = Signal(object)  # the IndicatorProgress

    def __init__(self, progress: IndicatorProgress, attention: QColor,
                 parent: QWidget | None = None) -> None:
        super().__init__(evidence_text(progress), parent)
        self.progress = progress
        self.setObjectName(f"indicatorEvidence_{progress.code}")
        self.setFlat(True)
        missing = progress.evidence_missing
        colour = f"color: {attention.name()}; font-weight: bold;" if missing else ""
        self.setStyleSheet(f"text-align: left; padding: 0px 4px; {colour}")
        self.setEnabled(bool(progress.items))
        if progress.items:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.clicked.connect(lambda: self.show_items.emit(self.progress))
        self.setToolTip(self._tooltip())
        self.setAccessibleName(_("Evidence of {indicator}").format(indicator=progress.name))
        self.setAccessibleDescription(self.text())

    def _tooltip(self) -> str:
        progress = self.progress
        if not progress.items:
            return _("Nothing counted in this period.")
        missing = progress.evidence_missing
        lines = [self.text()]
        if missing:
            lines.append(_("Evidence missing for:"))
            lines += [f"• {item.label}" for item in missing[:TOOLTIP_ITEMS]]
            if len(missing) > TOOLTIP_ITEMS:
                lines.append(ngettext("… and {count} more", "… and {count} more",
                                      len(missing) - TOOLTIP_ITEMS).format(
                    count=len(missing) - TOOLTIP_ITEMS))
        lines.append(_("Click to see each counted record and its evidence."))
        return "\n".join(lines)


class CountedItemsDialog(QDialog):
    """The records an indicator counts, those without evidence first; one opens with a
    double click (or Enter)."""

    def __init__(self, parent: QWidget | None, progress: IndicatorProgress,
                 attention: QColor) -> None:
        super().__init__(parent)
        self.setObjectName("countedItemsDialog")
        self.setWindowTitle(progress.name)
        self.chosen: tuple[str, str] | None = None
        missing = len(progress.evidence_missing)
        intro = QLabel(ngettext(
            "{count} counted: {evidenced} with evidence, {missing} without. Attach a "
            "signed list, a photo or a signed document to a record on its Attachments tab.",
            "{count} counted: {evidenced} with evidence, {missing} without. Attach a "
            "signed list, a photo or a signed document to a record on its Attachments tab.",
            len(progress.items)).format(count=format_number(len(progress.items)),
                                        evidenced=format_number(progress.with_evidence or 0),
                                        missing=format_number(missing)))
        intro.setWordWrap(True)
        self.list = QTreeWidget(objectName="countedItems")
        self.list.setAccessibleName(_("Counted records"))
        self.list.setHeaderLabels([_("Record"), _("Date"), _("Office"), _("Evidence")])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        ordered = sorted(progress.items, key=lambda item: (not item.evidence_missing,
                                                           item.on or "", item.label))
        for counted in ordered:
            self._add(counted, attention)
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        self.list.itemActivated.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton(_("Open record"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.resize(720, 380)

    def _add(self, counted: CountedItem, attention: QColor) -> None:
        evidence = "; ".join(_file_text(e) for e in counted.evidence)
        item = QTreeWidgetItem(self.list, [counted.label, _date_text(counted.on),
                                           counted.office or "",
                                           evidence or _("Evidence missing")])
        item.setData(RECORD, RECORD_ROLE, (counted.entity, counted.id))
        item.setToolTip(RECORD, counted.label)
        item.setToolTip(EVIDENCE, evidence or _("Evidence missing"))
        if not evidence:
            item.setForeground(EVIDENCE, attention)
            font = item.font(EVIDENCE)
            font.setBold(True)
            item.setFont(EVIDENCE, font)

    def _open(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        if item is not None and item.data(RECORD, RECORD_ROLE):
            self.chosen = tuple(item.data(RECORD, RECORD_ROLE))
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, progress: IndicatorProgress,
            attention: QColor) -> tuple[str, str] | None:
        """The record chosen to open (entity, id), or None."""
        dialog = cls(parent, progress, attention)
        dialog.exec()
        return dialog.chosen

