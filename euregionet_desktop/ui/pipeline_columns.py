"""The columns of the Formation pipeline: one per step (and "Formed"), its cards (an
initiative each, drawn wrapped to the column's width, dragged out as the initiative's id)
and its drop target."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.enums import FormationStepKind
from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.services.dto import InitiativeView

MIME_TYPE = "application/x-euregionet-initiative"
FORMED = "formed"  # the last column: every step done
INITIATIVE_ROLE = Qt.ItemDataRole.UserRole + 1


def column_keys() -> list[str]:
    return [kind.value for kind in FormationStepKind] + [FORMED]


def column_title(key: str) -> str:
    return _("Formed") if key == FORMED else _(FormationStepKind(key).label)


def column_of(view: InitiativeView) -> str:
    current = view.current
    return FORMED if current is None else current.step


def _last_date(view: InitiativeView) -> dt.date | None:
    done = [s.done_on for s in view.steps if s.done_on is not None]
    return max(done) if done else view.started_on


def card_text(view: InitiativeView) -> str:
    """The card's lines: the cluster, its office and advisor, where its current step is."""
    who = _("{office} · {advisor}").format(office=view.office_code or "–",
                                           advisor=view.advisor_name or _("no advisor"))
    current = view.current
    since = _last_date(view)
    if current is None:
        state = _("Formed on {date}").format(date=format_date(since)) if since else _("Formed")
    elif since:
        state = _("{status} since {date}").format(status=current.status_label,
                                                  date=format_date(since))
    else:
        state = current.status_label
    lines = [view.cluster_name, who, state]
    if {"PL", "DE"} <= set(view.countries):
        lines.append(_("Members from Poland and Germany"))
    return "\n".join(lines)


def card_tooltip(view: InitiativeView) -> str:
    return "\n".join(_("{step}: {status} {date}").format(
        step=s.step_label, status=s.status_label,
        date=format_date(s.done_on) if s.done_on else "").rstrip() for s in view.steps)


class CardDelegate(QStyledItemDelegate):
    """A card: a framed box as wide as its column, the cluster's name in bold, every line
    wrapped to the width (so nothing is cut, whatever the language)."""

    PADDING = 6
    MARGIN = 3

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if view is not None else option.rect.width()
        return max(60, width - 2 * (self.MARGIN + self.PADDING))

    def _blocks(self, option: QStyleOptionViewItem, text: str) -> list[tuple[QFont, str]]:
        bold = QFont(option.font)
        bold.setBold(True)
        name, _newline, rest = text.partition("\n")
        return [(bold, name), *((QFont(option.font), line) for line in rest.split("\n")
                                if line)]

    def _height(self, font: QFont, text: str, width: int) -> int:
        return QFontMetrics(font).boundingRect(
            QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._width(option)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        height = sum(self._height(font, line, width) for font, line in self._blocks(option,
                                                                                      text))
        return QSize(width + 2 * self.PADDING, height + 2 * (self.PADDING + self.MARGIN))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        painter.save()
        box = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.color(QPalette.ColorRole.Highlight) if selected
                       else palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight) if selected
                         else palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText) if selected
                       else palette.color(QPalette.ColorRole.Text))
        width = self._width(option)
        top = box.top() + self.PADDING
        for font, line in self._blocks(option, index.data(Qt.ItemDataRole.DisplayRole) or ""):
            height = self._height(font, line, width)
            painter.setFont(font)
            painter.drawText(QRect(box.left() + self.PADDING, top, width, height),
                             Qt.TextFlag.TextWordWrap, line)
            top += height
        painter.restore()


class CardList(QListWidget):
    """The cards of one column; a card is dragged out as the initiative's id."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=f"pipelineCards_{key}")
        self.key = key
        self.placeholder = ""
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Cards as wide as the column, their lines wrapped (never a sideways scroll).
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(CardDelegate(self))

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME_TYPE, QByteArray(items[0].data(INITIATIVE_ROLE).encode()))
        return data

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(8, 12, -8, -8),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.placeholder)


def dropped_initiative(data: QMimeData) -> str | None:
    if not data.hasFormat(MIME_TYPE):
        return None
    return bytes(data.data(MIME_TYPE).data()).decode() or None


class StepColumn(QFrame):
    """One step's column: its title, its cards, and a drop target for a card as a whole."""

    dropped = Signal(str, str)  # initiative id, this column's key

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=f"pipelineColumn_{key}")
        self.key = key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.title = QLabel(objectName=f"pipelineTitle_{key}")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Not bold: a step's name is one long word in German ("Kooperationsvereinbarung"),
        # which a narrow column would cut (lines wrap between words only).
        self.cards = CardList(key)
        self.cards.setAccessibleName(column_title(key))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.cards, 1)

    def set_count(self, count: int) -> None:
        self.title.setText(_("{step} ({count})").format(step=column_title(self.key),
                                                         count=count))

    def title_height(self) -> int:
        return self.title.heightForWidth(self.title.width())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_initiative(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_initiative(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        initiative_id = dropped_initiative(event.mimeData())
        if initiative_id is None:
            return
        # Not a move for the list it came from: the cards are laid out again from the
        # database once the steps are written.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(initiative_id, self.key)
