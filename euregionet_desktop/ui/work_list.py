"""What the work-list views share (Duplicates, Needs translation, the formation
pipeline): an introduction, a filter picked from a list (the partner offices), a status
line, the items to act on (one chosen at a time, opened on a double click) and the buttons
under them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.ui.op_runner import OpRunner


class OfficeFilter(QComboBox):
    """"All offices", then each partner office (read when first needed); its data is the
    office's id, None for all."""

    def __init__(self, runner: OpRunner, object_name: str) -> None:
        super().__init__(objectName=object_name)
        self.runner = runner
        self.setAccessibleName(_("Partner office"))
        self.addItem(_("All offices"), None)
        self._loaded = False

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        page = self.runner.fetch(records.list_page, entity="office", limit=None)
        for office in page.rows:
            self.addItem(f"{office.values['code']} – {office.label}", office.id)

    def select(self, office_id: str | None) -> None:
        self.load()
        self.setCurrentIndex(max(0, self.findData(office_id)))


def filter_row(label: str, combo: QComboBox) -> QHBoxLayout:
    """``label`` (with its mnemonic) before ``combo``, the rest of the line empty."""
    row = QHBoxLayout()
    buddy = QLabel(label)
    buddy.setBuddy(combo)
    row.addWidget(buddy)
    row.addWidget(combo)
    row.addStretch(1)
    return row


def item_tree(object_name: str, accessible_name: str, headers: Sequence[str]) -> QTreeWidget:
    """A flat list of rows with column headers, one row chosen at a time."""
    tree = QTreeWidget(objectName=object_name)
    tree.setAccessibleName(accessible_name)
    tree.setRootIsDecorated(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setHeaderLabels(list(headers))
    return tree


def status_line(object_name: str) -> QLabel:
    return QLabel(objectName=object_name,
                  alignment=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


def lay_out(view: QWidget, intro: str, filters: QHBoxLayout, status: QLabel,
            tree: QTreeWidget, buttons: Sequence[QPushButton]) -> None:
    """The view's parts top to bottom: introduction, filter, status, list, buttons."""
    text = QLabel(intro)
    text.setWordWrap(True)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(view)
    layout.addWidget(text)
    layout.addLayout(filters)
    layout.addWidget(status)
    layout.addWidget(tree, 1)
    layout.addLayout(row)
