"""An evaluation's scores: 0–4 per question, grouped in the six areas, with area totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import EVALUATION_AREAS, MAX_SCORE
from euregionet_desktop.i18n import _, format_number

NOT_SCORED = -1  # the spin box's lowest value, shown as "–"
INDICATOR, SCORE, COMMENT = range(3)  # the columns of both score trees
ROW_PADDING = 4  # between rows whose text wraps, so that they do not run together
COMMENT_WIDTH_CHARS = 32  # a comment column fits a comment this long (average characters)
COMMENT_MAX_CHARS = 48  # the editor's comment column for longer comments (they scroll)
LINE_EDIT_FRAME = 12  # a line edit's frame and text margins, left and right together


def area_summary(scores: Mapping[str, Any], area_code: str) -> tuple[int, int, int]:
    """(sum of the given scores, number scored, number of questions) for one area."""
    area = next(a for a in EVALUATION_AREAS if a.code == area_code)
    given = [scores[q]["score"] for q, _text in area.questions
             if q in scores and scores[q].get("score") is not None]
    return sum(given), len(given), len(area.questions)


class WrappingDelegate(QStyledItemDelegate):
    """Items of the given columns as tall as their text wrapped at the column's width.

    A QTreeView measures each item as one line, so word-wrapped text is cut after its first
    line ("Anzahl und …"). The rows are measured again whenever a column changes width."""

    def __init__(self, tree: QTreeView, columns: tuple[int, ...]) -> None:
        super().__init__(tree)
        self.tree = tree
        self.columns = columns
        tree.setItemDelegate(self)
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        # A scroll bar that came and went with the rows' height would change the columns'
        # width, and so the rows' height, over and over.
        tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        tree.header().sectionResized.connect(lambda *_args: tree.scheduleDelayedItemsLayout())

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.column() not in self.columns:
            return super().sizeHint(option, index)
        width = self.tree.columnWidth(index.column())
        if index.column() == self.tree.treePosition():  # the branch lines take the indent
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.tree.indentation() * (depth + int(self.tree.rootIsDecorated()))
        wrapped = QStyleOptionViewItem(option)
        wrapped.rect = QRect(0, 0, max(width, 1), 1)  # the width the style wraps the text at
        return super().sizeHint(wrapped, index) + QSize(0, ROW_PADDING)


def text_width(tree: QTreeView, texts: Iterable[str], *, bold: bool = False,
               frame: int = 0) -> int:
    """The width a column of ``tree`` needs to show each of ``texts`` on one line: the
    item's text margins, or ``frame`` for the widget in it."""
    font = tree.font()
    font.setBold(bold)
    metrics = QFontMetrics(font)
    margin = frame or 2 * (tree.style().pixelMetric(
        QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1) + 2
    return max((metrics.horizontalAdvance(text) for text in texts), default=0) + margin


class ScoresEditor(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Scores"), parent)
        self.setObjectName("scoresEditor")
        self.tree = QTreeWidget(objectName="scoresTree")
        self.tree.setAccessibleName(_("Scores"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Indicator"), _("Score (0–4)"), _("Comment")])
        # The questions take the room left by the scores and comments, wrapped if need be;
        # an area's average goes under its total rather than widening the score column.
        WrappingDelegate(self.tree, (INDICATOR, SCORE))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(INDICATOR, QHeaderView.ResizeMode.Stretch)
        self.spins: dict[str, QSpinBox] = {}
        self.comments: dict[str, QLineEdit] = {}
        self.area_items: dict[str, QTreeWidgetItem] = {}
        for area in EVALUATION_AREAS:
            top = QTreeWidgetItem(self.tree, [_(area.name)])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFont(1, font)
            self.area_items[area.code] = top
            for code, text in area.questions:
                item = QTreeWidgetItem(top, [_(text)])
                spin = QSpinBox(objectName=f"score_{code}")
                spin.setRange(NOT_SCORED, MAX_SCORE)
                spin.setSpecialValueText("–")
                spin.setValue(NOT_SCORED)
                spin.setAccessibleName(_("Score for {indicator}").format(indicator=_(text)))
                spin.valueChanged.connect(self._update_totals)
                comment = QLineEdit(objectName=f"comment_{code}")
                comment.setAccessibleName(_("Comment on {indicator}").format(indicator=_(text)))
                self.tree.setItemWidget(item, 1, spin)
                self.tree.setItemWidget(item, 2, comment)
                self.spins[code] = spin
                self.comments[code] = comment
        self.tree.expandAll()
        # An area's line reads "7 of 12 (average 2.3)": wide enough for either half, so
        # that the average wraps under the total as a whole.
        halves = [_("{total} of {maximum}").format(total=MAX_SCORE * 10, maximum=MAX_SCORE * 10),
                  _("{points} (average {average})").format(
                      points="", average=format_number(MAX_SCORE - 0.5)).strip()]
        header.resizeSection(SCORE, max(header.sectionSizeHint(SCORE),
                                        text_width(self.tree, halves, bold=True),
                                        *(spin.sizeHint().width() for spin in self.spins.values())))
        self._fit_comments()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        self._update_totals()

    def value(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for code, spin in self.spins.items():
            comment = self.comments[code].text().strip()
            score = spin.value() if spin.value() != NOT_SCORED else None
            if score is not None or comment:
                result[code] = {"score": score, **({"comment": comment} if comment else {})}
        return result

    def set_value(self, scores: Mapping[str, Any] | None) -> None:
        for code, spin in self.spins.items():
            entry = (scores or {}).get(code) or {}
            score = entry.get("score")
            spin.setValue(NOT_SCORED if score is None else int(score))
            self.comments[code].setText(entry.get("comment") or "")
            self.comments[code].setCursorPosition(0)  # a long comment reads from its start
        self._fit_comments()
        self._update_totals()

    def _fit_comments(self) -> None:
        """The comment column as wide as the longest comment, within reason."""
        characters = self.fontMetrics().averageCharWidth()
        widest = text_width(self.tree, [c.text() for c in self.comments.values()],
                            frame=LINE_EDIT_FRAME)
        self.tree.header().resizeSection(COMMENT, max(
            characters * COMMENT_WIDTH_CHARS, min(widest, characters * COMMENT_MAX_CHARS)))

    def _update_totals(self) -> None:
        scores = self.value()
        for area in EVALUATION_AREAS:
            total, scored, questions = area_summary(scores, area.code)
            text = _("{total} of {maximum}").format(total=total, maximum=questions * MAX_SCORE)
            if scored:
                text = _("{points} (average {average})").format(
                    points=text, average=format_number(round(total / scored, 1)))
            self.area_items[area.code].setText(1, text)
            self.area_items[area.code].setTextAlignment(1, Qt.AlignmentFlag.AlignLeft)
