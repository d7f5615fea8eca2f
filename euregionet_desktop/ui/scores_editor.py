"""An evaluation's scores: 0–4 per question, grouped in the six areas, with area totals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import EVALUATION_AREAS, MAX_SCORE
from euregionet_desktop.i18n import _, format_number

NOT_SCORED = -1  # the spin box's lowest value, shown as "–"


def area_summary(scores: Mapping[str, Any], area_code: str) -> tuple[int, int, int]:
    """(sum of the given scores, number scored, number of questions) for one area."""
    area = next(a for a in EVALUATION_AREAS if a.code == area_code)
    given = [scores[q]["score"] for q, _text in area.questions
             if q in scores and scores[q].get("score") is not None]
    return sum(given), len(given), len(area.questions)


class ScoresEditor(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Scores"), parent)
        self.setObjectName("scoresEditor")
        self.tree = QTreeWidget(objectName="scoresTree")
        self.tree.setAccessibleName(_("Scores"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Indicator"), _("Score (0–4)"), _("Comment")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
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
        self._update_totals()

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
