"""What the work-list views share (Duplicates, Needs translation): an introduction, a
filter picked from a list, a status line, the items to act on (one chosen at a time, opened
on a double click) and the buttons under them."""

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
