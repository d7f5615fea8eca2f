"""The dashboard: programme indicators against their targets, and what needs attention."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, format_date, format_number, ngettext
from euregionet_desktop.services.dashboard import (
    UPCOMING_DAYS,
    DashboardList,
    DashboardOverview,
    DashboardPicture,
    IndicatorProgress,
    overview,
    picture,
)
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.tasks import TaskStatus
from euregionet_desktop.ui.dashboard_picture import (
    CUSTOM,
    ActivityChart,
    FirstSteps,
    IndicatorBar,
    PeriodChooser,
    state_label,
    value_text,
)
from euregionet_desktop.ui.evidence_column import CountedItemsDialog, EvidenceButton
from euregionet_desktop.ui.op_runner import OpRunner

# Custom item roles of the dashboard's lists:
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # (entity, record id) it opens; headings: none
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2  # second, quieter line under the label
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 3  # QColor marking an item that is late

Index = QModelIndex | QPersistentModelIndex


def attention_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's background, light or dark."""
    dark = palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5
    return QColor("#ff8a80") if dark else QColor("#b3261e")


class TwoLineDelegate(QStyledItemDelegate):
    """Draws an item's label with its detail below, and a stripe when it needs attention."""

    MARGIN = 3

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(DETAIL_ROLE):
            size.setHeight(max(size.height(), 2 * option.fontMetrics.height() + 2 * self.MARGIN))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        detail = index.data(DETAIL_ROLE)
        if not detail:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        label, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        text = text.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        attention = index.data(ATTENTION_ROLE)
        ink = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                else QPalette.ColorRole.Text)
        quiet = ink if selected else attention or opt.palette.color(
            group, QPalette.ColorRole.PlaceholderText)
        metrics = opt.fontMetrics
        line = QRect(text.left(), text.top(), text.width(), metrics.height())
        painter.save()
        if attention:
            painter.fillRect(QRect(opt.rect.left(), opt.rect.top() + 2, 3,
                                   opt.rect.height() - 4), attention)
        painter.setFont(opt.font)
        painter.setPen(ink)
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(label, Qt.TextElideMode.ElideRight, line.width()))
        painter.setPen(quiet)
        painter.drawText(line.translated(0, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(detail, Qt.TextElideMode.ElideRight, line.width()))
        painter.restore()


class DashboardPanel(QGroupBox):
    """A titled list of records, with its count in the title and a text when it is empty."""

    activated = Signal(str, str)  # entity, record id

    def __init__(self, title: str, empty_text: str, object_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.base_title = title
        self.tree = QTreeWidget(objectName=object_name)
        self.tree.setAccessibleName(title)
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(TwoLineDelegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activate)
        self.empty = QLabel(empty_text, objectName=f"{object_name}Empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        QVBoxLayout(self).addWidget(self.stack)

    def add_link(self, object_name: str) -> QPushButton:
        """A flat button under the list that leads on (to the whole list elsewhere)."""
        link = QPushButton(objectName=object_name, flat=True)
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.setStyleSheet("text-align: left; padding: 2px 4px;")
        link.hide()  # until there is something to count
        self.layout().addWidget(link)
        return link

    def show_sections(self, sections: list[tuple[str | None, DashboardList]], *,
                      attention: QColor | None = None) -> None:
        """Fill the list; a section with a heading shows it above its items."""
        self.tree.clear()
        shown = sum(len(items.items) for _heading, items in sections)
        total = sum(items.total for _heading, items in sections)
        for heading, items in sections:
            if not items.items:
                continue
            parent = self.tree.invisibleRootItem()
            if heading is not None:
                parent = QTreeWidgetItem(parent, [_count_title(heading, len(items.items),
                                                               items.total)])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFirstColumnSpanned(True)
            for item in items.items:
                row = QTreeWidgetItem(parent, [item.label])
                row.setData(0, RECORD_ROLE, (item.entity, item.id))
                if item.detail:
                    row.setData(0, DETAIL_ROLE, item.detail)
                    row.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, item.detail)
                row.setToolTip(0, f"{item.label}\n{item.detail}" if item.detail else item.label)
                if attention is not None:
                    row.setData(0, ATTENTION_ROLE, attention)
        self.tree.expandAll()
        self.setTitle(_count_title(self.base_title, shown, total))
        self.stack.setCurrentWidget(self.tree if shown else self.empty)

    def _activate(self, item: QTreeWidgetItem, _column: int) -> None:
        record = item.data(0, RECORD_ROLE)
        if record:
            self.activated.emit(*record)


def _count_title(title: str, shown: int, total: int) -> str:
    """The title with how many there are, and how many of them show when not all do."""
    if not total:
        return title
    if total > shown:
        return _("{title} ({shown} of {total})").format(
            title=title, shown=format_number(shown), total=format_number(total))
    return _("{title} ({count})").format(title=title, count=format_number(total))


class DashboardView(QWidget):
    """The period above; indicators, activity (or first steps) and waiting clusters on the
    left; follow-ups and consultations on the right."""

    open_record = Signal(str, str)  # entity, record id
    open_tasks = Signal(str)  # a TaskStatus: the Tasks list filtered as a counter counts
    loaded = Signal()  # the indicators and lists asked for last are shown
    # First steps on a profile that holds nothing yet; the window runs its own actions.
    add_cluster = Signal()
    trust_key = Signal()
    import_bundle = Signal()

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Dashboard")
        self.runner = runner
        self._asked = 0  # reads asked for; an answer to an earlier one is not shown
        self._waiting = 0  # answers still to come for the last
        self.setObjectName("dashboard")
        self._overview: DashboardOverview | None = None
        # The day the indicators are judged on (how much of the period is gone); None: the
        # real day. Tests and screenshots set one.
        self.today: dt.date | None = None
        self.period = PeriodChooser()
        self.period.changed.connect(self.ensure_loaded)
        self.period_caption = QLabel(objectName="indicatorPeriod")
        self.box = QGroupBox(_("Programme indicators"))
        self.grid = QGridLayout(self.box)
        self.chart = ActivityChart()
        self.activity = QGroupBox(_("Activity"))
        QVBoxLayout(self.activity).addWidget(self.chart)
        self.first_steps = FirstSteps()
        self.first_steps.add_cluster.connect(self.add_cluster)
        self.first_steps.trust_key.connect(self.trust_key)
        self.first_steps.import_bundle.connect(self.import_bundle)
        self.first_steps.hide()
        self.overdue = DashboardPanel(_("Overdue follow-ups"), _("Nothing overdue."),
                                      "dashboardOverdue")
        self.upcoming = DashboardPanel(_("Upcoming follow-ups"), ngettext(
            "Nothing due in the next {count} day.", "Nothing due in the next {count} days.",
            UPCOMING_DAYS).format(count=UPCOMING_DAYS), "dashboardUpcoming")
        self.recent = DashboardPanel(_("Recent consultations"), _("No consultations yet."),
                                     "dashboardRecent")
        self.waiting = DashboardPanel(_("Clusters waiting for an evaluation or action plan"),
                                      _("No cluster is waiting."), "dashboardWaiting")
        left = QVBoxLayout()
        left.addWidget(self.box)
        left.addWidget(self.activity, 1)
        left.addWidget(self.first_steps, 1)
        left.addWidget(self.waiting, 1)
        right = QVBoxLayout()
        for panel in (self.overdue, self.upcoming, self.recent):
            right.addWidget(panel, 1)
        for panel in self.panels:
            panel.activated.connect(self.open_record)
        # The follow-up counters: each opens the Tasks list with what it counts.
        self.task_links = {
            TaskStatus.OVERDUE: self.overdue.add_link("dashboardOverdueAll"),
            TaskStatus.DUE_SOON: self.upcoming.add_link("dashboardUpcomingAll"),
            TaskStatus.OPEN: self.upcoming.add_link("dashboardOpenAll"),
        }
        for status, link in self.task_links.items():
            link.clicked.connect(lambda _checked=False, s=status: self.open_tasks.emit(s.value))
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.period_caption)
        top.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns, 1)

    @property
    def panels(self) -> tuple[DashboardPanel, ...]:
        return (self.overdue, self.upcoming, self.recent, self.waiting)

    def ensure_loaded(self) -> None:
        """Read the indicators and the lists again, in the background; each is shown when
        it arrives, and ``loaded`` is emitted once both are."""
        self._asked += 1
        self._waiting = 2
        asked = self._asked
        start_end = self.period.period()
        self.runner.query(self, picture, on_done=lambda data: self._arrived(
            asked, self._show_picture, data), today=self.today,
            start=start_end[0] if start_end else None, end=start_end[1] if start_end else None)
        self.runner.query(self, overview, on_done=lambda data: self._arrived(
            asked, self._show_overview, data))

    def _arrived(self, asked: int, show, result) -> None:
        if asked != self._asked:
            return  # a later read is on its way
        show(result)
        if asked != self._asked:
            return  # showing it asked again (see _show_picture)
        self._waiting -= 1
        if not self._waiting:
            self.loaded.emit()

    def _show_overview(self, data: DashboardOverview) -> None:
        self._overview = data
        self._show_lists()

    def refresh(self, changes: Changes | None = None) -> None:
        """After an action: indicators and lists follow the records."""
        if changes is None or changes.entities:
            self.ensure_loaded()

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark changes which red reads well.
        if event.type() == QEvent.Type.PaletteChange and self._overview is not None:
            self._show_lists()
        super().changeEvent(event)

    def _show_picture(self, data: DashboardPicture) -> None:
        self.period.set_programme(data.programme_start, data.programme_end, data.today)
        chosen = self.period.period()
        if chosen is not None and chosen != (data.start, data.end):
            # A year or quarter chosen before the first answer had no years to offer yet;
            # now it has: read what the selector shows.
            self.ensure_loaded()
            return
        self.period_caption.setText(_("{start} – {end}").format(
            start=format_date(data.start), end=format_date(data.end)))
        self.period_caption.setAccessibleName(_period_text(data.start.isoformat(),
                                                           data.end.isoformat()))
        # The dates of a custom period stand in their own fields already.
        self.period_caption.setVisible(self.period.kind.currentData() != CUSTOM)
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            widget.setParent(None)  # gone from findChildren() now, not after deleteLater
            widget.deleteLater()
        for row, progress in enumerate(data.indicators):
            name = QLabel(progress.name)
            bar = IndicatorBar(progress)
            name.setBuddy(bar)
            value = QLabel(value_text(progress), objectName=f"indicatorValue_{progress.code}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(bar, row, 1)
            self.grid.addWidget(value, row, 2)
            self.grid.addWidget(state_label(progress), row, 3)
            if progress.with_evidence is not None:  # counted / with evidence / target
                evidence = EvidenceButton(progress, attention_colour(self.palette()))
                evidence.show_items.connect(self._show_counted)
                self.grid.addWidget(evidence, row, 4)
        self.grid.setColumnStretch(1, 1)
        self.chart.show_activity(data.months, data.offices, data.today)
        self.activity.setVisible(not data.empty)
        self.first_steps.setVisible(data.empty)

    def _show_counted(self, progress: IndicatorProgress) -> None:
        """The records an indicator counts, those without evidence first; one opens in
        its list like the dashboard's other links."""
        chosen = CountedItemsDialog.ask(self, progress, attention_colour(self.palette()))
        if chosen is not None:
            self.open_record.emit(*chosen)

    def _show_lists(self) -> None:
        data = self._overview
        assert data is not None
        self.overdue.show_sections([(None, data.overdue)],
                                   attention=attention_colour(self.palette()))
        self.upcoming.show_sections([(None, data.upcoming)])
        self._show_task_counts(data)
        self.recent.show_sections([(None, data.recent)])
        self.waiting.show_sections([
            (_("Waiting for an evaluation"), data.waiting_for_evaluation),
            (_("Waiting for an action plan"), data.waiting_for_action_plan),
        ])

    def _show_task_counts(self, data: DashboardOverview) -> None:
        counts = {TaskStatus.OVERDUE: data.overdue.total,
                  TaskStatus.DUE_SOON: data.upcoming.total, TaskStatus.OPEN: data.open_tasks}
        texts = {
            TaskStatus.OVERDUE: ngettext("{count} overdue follow-up in Tasks ›",
                                         "All {count} overdue follow-ups in Tasks ›",
                                         counts[TaskStatus.OVERDUE]),
            TaskStatus.DUE_SOON: ngettext("{count} follow-up due soon in Tasks ›",
                                          "All {count} follow-ups due soon in Tasks ›",
                                          counts[TaskStatus.DUE_SOON]),
            TaskStatus.OPEN: ngettext("{count} open follow-up in Tasks ›",
                                      "All {count} open follow-ups in Tasks ›",
                                      counts[TaskStatus.OPEN]),
        }
        for status, link in self.task_links.items():
            link.setText(texts[status].format(count=format_number(counts[status])))
            link.setVisible(counts[status] > 0)


def _period_text(start: str, end: str) -> str:
    return _("Period: {start} – {end}").format(start=format_date(dt.date.fromisoformat(start)),
                                               end=format_date(dt.date.fromisoformat(end)))
