"""The toolbar's global search: hits grouped by kind as the person types, Enter opens one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, format_number
from euregionet_desktop.services.dto import SearchHit
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.services.search_groups import SearchGroup, grouped_search
from euregionet_desktop.ui.icons import icon
from euregionet_desktop.ui.op_runner import OpRunner

# Custom roles of SearchResultsModel, answered on every row:
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1  # str: kind of a hit or header; None: empty row
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # str: a hit's record id; None on other rows
IS_HEADER_ROLE = Qt.ItemDataRole.UserRole + 3  # bool: True on a group header "Clusters (3)"
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 4  # str: shown beside a hit's name ("" if none)
PRIVATE_ROLE = Qt.ItemDataRole.UserRole + 5  # bool: a hit on a private note (a lock shows)

PER_KIND = 8  # hits shown per kind; the header still counts them all
DEBOUNCE_MS = 120  # query once the person pauses, not on every keystroke
MAX_VISIBLE_ROWS = 16
FIELD_WIDTH = (260, 420)  # the field's least and greatest width in the toolbar
POPUP_MIN_WIDTH = 520  # wide enough for a name and its detail side by side

# Plural names of the kinds for group headers (ENTITY_LABELS holds the singular).
GROUP_TITLES: dict[str, str] = {
    "cluster": N_("Clusters"),
    "organisation": N_("Organisations"),
    "contact": N_("Contact persons"),
    "consultation": N_("Consultations"),
    "event": N_("Events"),
    "action_plan": N_("Action plans"),
    "note": N_("Shared notes"),
    "private_note": N_("Private notes"),
}
LOCK_ICON = "changes-prevent"  # the freedesktop name of a padlock
PRIVATE_TIP = N_("Private: stays at this office, never sent to partners")

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    text: str
    entity: str | None = None
    record_id: str | None = None
    detail: str = ""
    is_header: bool = False
    note_id: str | None = None
    private: bool = False


def group_title(entity: str, total: int) -> str:
    """A group header: the kind's plural name and how many records of it match."""
    kind = _(GROUP_TITLES.get(entity) or ENTITY_LABELS.get(entity, entity))
    return _("{kind} ({count})").format(kind=kind, count=format_number(total))


class SearchResultsModel(QAbstractListModel):
    """Search results as one list: a header row per kind, then that kind's hits.

    Headers and the "no matches" row are enabled but not selectable, so views and the
    keyboard only ever land on hits. See the ``*_ROLE`` constants for the custom roles.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self.query = ""

    # --- filling -----------------------------------------------------------------------
    def set_results(self, query: str, groups: Sequence[SearchGroup]) -> None:
        """Show ``groups`` found for ``query``; no group at all shows the empty-state row."""
        rows: list[_Row] = []
        for group in groups:
            rows.append(_Row(group_title(group.entity, group.total), group.entity,
                             is_header=True))
            rows.extend(_Row(hit.label, hit.entity, hit.id, hit.detail, note_id=hit.note_id,
                             private=hit.private) for hit in group.hits)
        if not rows:
            rows.append(_Row(_("No matches for “{text}”.").format(text=query.strip())))
        self.beginResetModel()
        try:
            self.query = query
            self._rows = rows
        finally:
            self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        try:
            self.query = ""
            self._rows = []
        finally:
            self.endResetModel()

    # --- navigation ----------------------------------------------------------------------
    def hit(self, row: int) -> SearchHit | None:
        """The hit on ``row``; None for headers, the empty-state row and rows out of range."""
        if not 0 <= row < len(self._rows) or self._rows[row].record_id is None:
            return None
        found = self._rows[row]
        return SearchHit(found.entity or "", found.record_id, found.text, found.detail,
                         note_id=found.note_id, private=found.private)

    def hit_rows(self) -> list[int]:
        return [n for n, row in enumerate(self._rows) if row.record_id is not None]

    def step(self, row: int, step: int) -> int | None:
        """The hit ``step`` hits away from ``row`` (wrapping around); None if there is none."""
        rows = self.hit_rows()
        if not rows:
            return None
        if row not in rows:
            return rows[0] if step > 0 else rows[-1]
        return rows[(rows.index(row) + step) % len(rows)]

    # --- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        if self._rows[index.row()].record_id is not None:
            flags |= Qt.ItemFlag.ItemIsSelectable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == ENTITY_ROLE:
            return row.entity
        if role == RECORD_ID_ROLE:
            return row.record_id
        if role == IS_HEADER_ROLE:
            return row.is_header
        if role == DETAIL_ROLE:
            return row.detail
        if role == PRIVATE_ROLE:
            return row.private
        if role == Qt.ItemDataRole.DecorationRole and row.private:
            return icon(LOCK_ICON)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            if row.private:
                return "\n".join(t for t in (row.detail, _(PRIVATE_TIP)) if t)
            return row.detail or None
        if role == Qt.ItemDataRole.FontRole and row.record_id is None:
            font = QFont()
            font.setBold(row.is_header)
            font.setItalic(not row.is_header)
            return font
        return None


class _ResultDelegate(QStyledItemDelegate):
    """Hits indented under their header, with their detail dimmed on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)

    def paint(self, painter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        is_hit = index.data(RECORD_ID_ROLE) is not None
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        label, detail = opt.text, index.data(DETAIL_ROLE) or ""
        lock = QIcon(opt.icon) if index.data(PRIVATE_ROLE) else None  # a copy: reset below
        opt.text = ""
        opt.icon = QIcon()  # drawn after the indent, below
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(16 if is_hit else 4, 0, -4, 0)
        if lock is not None:
            side = min(16, rect.height())
            lock.paint(painter, QRect(rect.left(), rect.center().y() - side // 2 + 1, side, side))
            rect = rect.adjusted(side + 4, 0, 0, 0)
        group = QPalette.ColorGroup.Active
        if selected:
            text_color = opt.palette.color(group, QPalette.ColorRole.HighlightedText)
            dim_color = text_color
        else:
            text_color = opt.palette.color(group, QPalette.ColorRole.Text)
            dim_color = opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        painter.save()
        painter.setFont(opt.font)
        metrics = opt.fontMetrics  # from the row's FontRole: bold headers, italic empty row
        align = Qt.AlignmentFlag.AlignVCenter
        if detail:
            # The detail takes what the name leaves free, but never less than 2/5 of the row
            # if it needs it. +2: the integer advance can round below what elidedText measures.
            free = rect.width() - metrics.horizontalAdvance(label) - 12
            detail_width = min(metrics.horizontalAdvance(detail) + 2,
                               max(free, rect.width() * 2 // 5))
            label_rect = rect.adjusted(0, 0, -(detail_width + 12), 0)
            painter.setPen(dim_color)
            painter.drawText(rect, align | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(detail, Qt.TextElideMode.ElideRight, detail_width))
        else:
            label_rect = rect
        painter.setPen(text_color if is_hit else dim_color)
        painter.drawText(label_rect, align | Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                            label_rect.width()))
        painter.restore()


class _ResultsPopup(QFrame):
    """A frameless window under the field; it never takes focus, so typing goes on."""

    def __init__(self, model: SearchResultsModel, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("globalSearchPopup")
        self.view = QListView(objectName="globalSearchResults")
        self.view.setAccessibleName(_("Search results"))
        self.view.setModel(model)
        self.view.setItemDelegate(_ResultDelegate(self.view))
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The popup's window is never active; keep the selected hit as visible as if it were.
        palette = self.view.palette()
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            palette.setColor(QPalette.ColorGroup.Inactive, role,
                             palette.color(QPalette.ColorGroup.Active, role))
        self.view.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.view)

    def place_under(self, anchor: QWidget) -> None:
        """Size to the rows (up to a limit) and sit below ``anchor``, kept on its screen."""
        rows = max(1, min(self.view.model().rowCount(), MAX_VISIBLE_ROWS))
        row_height = self.view.sizeHintForRow(0) if self.view.model().rowCount() else 24
        outer = self.contentsMargins() + self.layout().contentsMargins()
        height = (rows * max(row_height, 1) + 2 * self.view.frameWidth()
                  + outer.top() + outer.bottom())
        width = max(anchor.width(), POPUP_MIN_WIDTH)
        below = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = max(area.left(), min(below.x(), area.right() - width + 1))
        y = below.y()
        if y + height > area.bottom() + 1:  # no room below: open above the field instead
            y = max(area.top(), anchor.mapToGlobal(QPoint(0, 0)).y() - height)
        self.setGeometry(x, y, width, height)


class _OutsideClickWatcher(QObject):
    """Application-wide, while the popup shows: a click elsewhere or a moved window closes it."""

    def __init__(self, search: GlobalSearch) -> None:
        super().__init__(search)
        self._search = search

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            inside = (self._search.edit, self._search.popup)
            if not (isinstance(watched, QWidget)
                    and any(w is watched or w.isAncestorOf(watched) for w in inside)):
                self._search.close_popup()
        elif kind in (QEvent.Type.Move, QEvent.Type.Resize) and watched is self._search.window():
            self._search.close_popup()
        return False


class GlobalSearch(QWidget):
    """The search field of the main window's toolbar (Ctrl+K / Ctrl+F focus it).

    Emits ``open_record(entity, record_id)`` when the person picks a hit.
    """

    open_record = Signal(str, str)

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._asked: str | None = None  # the text a search in the background is for
        self.edit = QLineEdit(objectName="globalSearch")
        # The shortcut as this keyboard's language writes it (Strg+K in German).
        shortcut = QKeySequence("Ctrl+K").toString(QKeySequence.SequenceFormat.NativeText)
        self.edit.setPlaceholderText(_("Search clusters, organisations, people… ({shortcut})")
                                     .format(shortcut=shortcut))
        self.edit.setAccessibleName(_("Search all records"))
        self.edit.setAccessibleDescription(
            _("Results appear as you type. Up and Down choose a result, Enter opens it, "
              "{escape} closes the list.").format(escape=QKeySequence(Qt.Key.Key_Escape).toString(
                  QKeySequence.SequenceFormat.NativeText)))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(FIELD_WIDTH[0])
        self.setMaximumWidth(FIELD_WIDTH[1])
        self.edit.installEventFilter(self)
        self.model = SearchResultsModel(self)
        self.popup = _ResultsPopup(self.model, self)
        self.popup.view.clicked.connect(self._open_index)
        self._watcher = _OutsideClickWatcher(self)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.edit.textChanged.connect(self._text_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    # --- public ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the field with its text selected, ready to type over."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def refresh(self) -> None:
        """Search for the field's text in the background; the results show under it when
        they arrive, unless the text changed or the list was closed meanwhile."""
        self._timer.stop()
        text = self.edit.text()
        if not text.strip():
            self.close_popup()
            self.model.clear()
            return
        self._asked = text
        self.runner.query(self, grouped_search, text=text, per_kind=PER_KIND,
                          on_done=lambda groups: self._arrived(text, groups))

    def search_now(self) -> None:
        """Search for the field's text and show the results at once (a key the person
        pressed waits for them)."""
        self._timer.stop()
        text = self.edit.text()
        self._asked = None
        self._show_results(text, self.runner.fetch(grouped_search, text=text,
                                                   per_kind=PER_KIND))

    def _arrived(self, text: str, groups) -> None:
        if text == self._asked == self.edit.text():
            self._asked = None
            self._show_results(text, groups)

    def _show_results(self, text: str, groups) -> None:
        self.model.set_results(text, groups)
        self._select_row(self.model.step(-1, 1))
        if self.isVisible():
            self._show_popup()

    def close_popup(self) -> None:
        self._asked = None  # a search still on its way does not open the list again
        if self.popup.isVisible():
            self.popup.hide()
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self._watcher)

    def current_hit(self) -> SearchHit | None:
        """The hit Enter would open: the selected one, else the first."""
        index = self.popup.view.currentIndex()
        hit = self.model.hit(index.row()) if index.isValid() else None
        if hit is None:
            first = self.model.step(-1, 1)
            hit = self.model.hit(first) if first is not None else None
        return hit

    # --- behaviour ------------------------------------------------------------------------
    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.close_popup()
            self.model.clear()

    def _show_popup(self) -> None:
        self.popup.place_under(self.edit)
        if not self.popup.isVisible():
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self._watcher)
            self.popup.show()
        current = self.popup.view.currentIndex()
        if current.isValid():
            self.popup.view.scrollTo(current)

    def _select_row(self, row: int | None) -> None:
        view = self.popup.view
        if row is None:
            view.selectionModel().clear()
            view.setCurrentIndex(QModelIndex())
            return
        if row > 0 and self.model.index(row - 1).data(IS_HEADER_ROLE):
            view.scrollTo(self.model.index(row - 1))  # keep the hit's header in sight
        index = self.model.index(row)
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def _move(self, step: int) -> None:
        current = self.popup.view.currentIndex()
        self._select_row(self.model.step(current.row() if current.isValid() else -1, step))

    def _open_index(self, index: QModelIndex) -> None:
        hit = self.model.hit(index.row())
        if hit is not None:
            self._open(hit)

    def _open(self, hit: SearchHit) -> None:
        self.close_popup()
        self.open_record.emit(hit.entity, hit.id)

    def _key_pressed(self, event: QKeyEvent) -> bool:
        """Keys the field handles for the results; True if it used the key."""
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            if not self.popup.isVisible():
                if not self.edit.text().strip():
                    return False
                self.search_now()  # Down on a closed list opens it again
            else:
                self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if (self._timer.isActive() or self._asked is not None
                    or self.model.rowCount() == 0):
                self.search_now()  # typed faster than the results: search for what is there
            hit = self.current_hit()
            if hit is not None:
                self._open(hit)
            return True
        if key == Qt.Key.Key_Escape:
            if self.popup.isVisible() or self._timer.isActive():
                # First Escape closes the list and keeps the text, to refine or reopen.
                self._timer.stop()
                self.close_popup()
                return True
            if self.edit.text():
                self.edit.clear()  # a second Escape clears the field
                return True
            return False
        if key == Qt.Key.Key_Tab or key == Qt.Key.Key_Backtab:
            self.close_popup()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            kind = event.type()
            if kind == QEvent.Type.KeyPress:
                return self._key_pressed(event)
            if kind == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape:
                # Escape belongs to the field while it has something to close or clear.
                if self.popup.isVisible() or self._timer.isActive() or self.edit.text():
                    event.accept()
                    return True
            if kind == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
                self._timer.stop()
                self.close_popup()
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:
        self.close_popup()
        super().hideEvent(event)
