"""The dashboard's pictures: indicator bars coloured by state, activity per month, the period."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, format_date, format_number, ngettext
from euregionet_desktop.services.dashboard import (
    ActivityMonth,
    IndicatorProgress,
    IndicatorState,
    quarter_period,
    year_period,
)

# Words for each state: the colour is never the only sign of it.
STATE_TEXT = {
    IndicatorState.BEHIND: N_("Behind plan"),
    IndicatorState.ON_TRACK: N_("On track"),
    IndicatorState.REACHED: N_("Reached"),
    IndicatorState.OVER: N_("Over target"),
    IndicatorState.NO_TARGET: N_("No target"),
}

# (light background, dark background); readable against both, and apart for the
# common colour blindnesses (red-orange, blue, green; "over" adds a hatch past the mark).
STATE_COLOURS = {
    IndicatorState.BEHIND: ("#c2410c", "#fb923c"),
    IndicatorState.ON_TRACK: ("#1d4ed8", "#60a5fa"),
    IndicatorState.REACHED: ("#15803d", "#4ade80"),
    IndicatorState.OVER: ("#0f766e", "#2dd4bf"),
    IndicatorState.NO_TARGET: ("#6b7280", "#9ca3af"),
}

# The offices in the activity chart (Okabe–Ito: told apart with any colour vision).
OFFICE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def state_colour(state: IndicatorState, palette: QPalette) -> QColor:
    return QColor(STATE_COLOURS[state][_dark(palette)])


def value_text(progress: IndicatorProgress) -> str:
    if not progress.target:  # nothing to set it against in this period: the count alone
        return format_number(progress.value)
    return _("{value} of {target}").format(value=format_number(progress.value),
                                           target=format_number(progress.target))


def progress_tooltip(progress: IndicatorProgress) -> str:
    """The indicator in words: counted, target, what is expected by today, the state."""
    lines = [progress.name, _(STATE_TEXT[progress.state]),
             _("Counted: {value}").format(value=format_number(progress.value))]
    if progress.with_evidence is not None:
        lines.append(_("With evidence: {value}").format(
            value=format_number(progress.with_evidence)))
    if progress.target:
        lines.append(_("Target for this period: {target}").format(
            target=format_number(progress.target)))
        if progress.target != progress.programme_target:
            lines.append(_("Programme target: {target}").format(
                target=format_number(progress.programme_target)))
        if progress.state in (IndicatorState.BEHIND, IndicatorState.ON_TRACK):
            lines.append(_("Expected by today: {expected}").format(
                expected=format_number(round(progress.expected, 1))))
    else:
        lines.append(_("No part of the programme target falls in this period."))
        lines.append(_("Programme target: {target}").format(
            target=format_number(progress.programme_target)))
    return "\n".join(lines)


class IndicatorBar(QProgressBar):
    """A bar filled in its state's colour, the target marked by a line and what is due by
    today by a small notch; beyond the target the fill is hatched, so "30 of 20" shows
    its ten over at a glance and "0 of 1" is an empty track with its mark, not a blank."""

    def __init__(self, progress: IndicatorProgress, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = progress
        self.setObjectName(f"indicator_{progress.code}")
        self.setAccessibleName(progress.name)
        self.setRange(0, max(progress.target, progress.value, 1))
        self.setValue(progress.value)
        self.setFormat(value_text(progress))
        self.setTextVisible(False)  # the value and the state stand beside the bar
        self.setAccessibleDescription(progress_tooltip(progress).replace("\n", "; "))
        self.setToolTip(progress_tooltip(progress))
        self.setMinimumWidth(80)
        self.setFixedHeight(max(self.fontMetrics().height(), 14))

    def sizeHint(self) -> QSize:
        return QSize(160, self.height())

    def paintEvent(self, _event) -> None:
        p = self.progress
        palette = self.palette()
        colour = state_colour(p.state, palette)
        track = QRectF(self.rect()).adjusted(0.5, 2.5, -0.5, -2.5)
        # Room past the target for "over": the scale runs to the larger of value and target.
        scale = max(p.target, p.value, 1)
        width = track.width()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The empty track carries a pale tint of the state: "0 of 1" behind plan is a
        # framed, tinted bar with its target mark, never a blank box.
        tint = QColor(colour)
        tint.setAlpha(45)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(track, 3, 3)
        painter.setBrush(tint)
        painter.drawRoundedRect(track, 3, 3)
        inner = track.adjusted(1, 1, -1, -1)
        reached = min(p.value, p.target) if p.target else p.value
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRect(QRectF(inner.left(), inner.top(), inner.width() * reached / scale,
                                inner.height()))
        if p.value > p.target and p.target:
            start = inner.left() + inner.width() * p.target / scale
            beyond = QRectF(start, inner.top(), inner.right() - start, inner.height())
            painter.setBrush(colour.lighter(150) if not _dark(palette) else colour.darker(170))
            painter.drawRect(beyond)
            painter.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(beyond)
        if p.with_evidence is not None:  # evidence: a darker strip along the bottom
            painter.setBrush(colour.darker(160))
            painter.drawRect(QRectF(inner.left(), inner.bottom() - 3,
                                    inner.width() * min(p.with_evidence, scale) / scale, 3))
        ink = palette.color(QPalette.ColorRole.WindowText)
        if p.target:
            x = track.left() + width * p.target / scale
            painter.setPen(QPen(ink, 2))
            painter.drawLine(QPointF(x, track.top() - 2), QPointF(x, track.bottom() + 2))
        if p.state in (IndicatorState.BEHIND, IndicatorState.ON_TRACK) and p.expected > 0:
            x = track.left() + width * p.expected / scale
            painter.setPen(QPen(ink, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
        painter.end()


def state_label(progress: IndicatorProgress) -> QLabel:
    """The state in words, in its colour, beside the bar."""
    label = QLabel(_(STATE_TEXT[progress.state]), objectName=f"indicatorState_{progress.code}")
    label.setToolTip(progress_tooltip(progress))
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, state_colour(progress.state, palette))
    label.setPalette(palette)
    return label


class ActivityChart(QWidget):
    """Consultations and events per month, one stacked bar per month coloured by office,
    drawn with QPainter; the tooltip of a month says its numbers."""

    MARGIN = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityChart")
        self.setAccessibleName(_("Activity per month"))
        self.months: tuple[ActivityMonth, ...] = ()
        self.offices: tuple[str, ...] = ()
        self.today: dt.date | None = None  # marked by a line when inside the months shown
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def show_activity(self, months: tuple[ActivityMonth, ...], offices: tuple[str, ...],
                      today: dt.date | None = None) -> None:
        self.months, self.offices, self.today = months, offices, today
        consultations = sum(sum(m.consultations.values()) for m in months)
        events = sum(sum(m.events.values()) for m in months)
        self.setAccessibleDescription(
            ngettext("{count} consultation", "{count} consultations", consultations).format(
                count=format_number(consultations)) + "; " +
            ngettext("{count} event", "{count} events", events).format(
                count=format_number(events)))
        self.update()

    def office_colour(self, code: str) -> QColor:
        if code not in self.offices:
            return self.palette().color(QPalette.ColorRole.Mid)
        return QColor(OFFICE_COLOURS[self.offices.index(code) % len(OFFICE_COLOURS)])

    def _office_name(self, code: str) -> str:
        return code or _("no office")

    # --- geometry ----------------------------------------------------------------------
    def _panels(self) -> list[tuple[str, QRect, str]]:
        """(title, plot rectangle, which counts) for consultations above, events below."""
        line = self.fontMetrics().height()
        top = self.MARGIN + line + 4  # the legend
        axis = line + 2  # month and year labels under each panel
        height = (self.height() - top - self.MARGIN - 2 * (line + axis)) // 2
        left = self.MARGIN + self.fontMetrics().horizontalAdvance("0000") + 4
        width = self.width() - left - self.MARGIN
        first = QRect(left, top + line, width, max(height, 10))
        second = QRect(left, first.bottom() + axis + line + 2, width, max(height, 10))
        return [(_("Consultations per month"), first, "consultations"),
                (_("Events per month"), second, "events")]

    def month_at(self, x: float) -> ActivityMonth | None:
        if not self.months:
            return None
        plot = self._panels()[0][1]
        slot = plot.width() / len(self.months)
        index = int((x - plot.left()) // slot)
        return self.months[index] if 0 <= index < len(self.months) else None

    # --- painting ----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        metrics = self.fontMetrics()
        ink = palette.color(QPalette.ColorRole.WindowText)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        x = self.MARGIN
        for code in self.offices:  # the legend
            painter.fillRect(QRect(x, self.MARGIN + 2, 10, metrics.height() - 4),
                             self.office_colour(code))
            painter.setPen(ink)
            text = self._office_name(code)
            painter.drawText(x + 14, self.MARGIN + metrics.ascent(), text)
            x += 14 + metrics.horizontalAdvance(text) + 12
        for title, plot, which in self._panels():
            painter.setPen(ink)
            painter.drawText(plot.left(), plot.top() - metrics.descent() - 2, title)
            self._paint_panel(painter, plot, which, quiet)
        painter.end()

    def _paint_panel(self, painter: QPainter, plot: QRect, which: str, quiet: QColor) -> None:
        metrics = self.fontMetrics()
        months = self.months
        most = max((sum(getattr(m, which).values()) for m in months), default=0)
        scale = max(most, 1)
        painter.setPen(QPen(quiet, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        # The largest month's count on the axis, and a dotted line at its height.
        painter.drawText(QRect(self.MARGIN, plot.top() - metrics.height() // 2,
                               plot.left() - self.MARGIN - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, format_number(most))
        painter.setPen(QPen(quiet, 1, Qt.PenStyle.DotLine))
        painter.drawLine(plot.topLeft(), plot.topRight())
        if not months:
            return
        slot = plot.width() / len(months)
        gap = 1 if slot > 4 else 0
        for index, month in enumerate(months):
            left = plot.left() + index * slot
            bottom = float(plot.bottom())
            for code in self.offices:
                count = getattr(month, which).get(code, 0)
                if not count:
                    continue
                height = plot.height() * count / scale
                painter.fillRect(QRectF(left + gap, bottom - height, slot - 2 * gap, height),
                                 self.office_colour(code))
                bottom -= height
        self._paint_axis(painter, plot, slot, quiet)
        self._paint_today(painter, plot, slot)

    def _paint_today(self, painter: QPainter, plot: QRect, slot: float) -> None:
        """A dashed line at today: what stands right of it is planned, not yet done."""
        today, first = self.today, self.months[0].month
        if today is None or today < first:
            return
        index = (today.year - first.year) * 12 + today.month - first.month
        if index >= len(self.months):
            return
        days = (_next_month(today.replace(day=1)) - today.replace(day=1)).days
        x = plot.left() + (index + (today.day - 0.5) / days) * slot
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 1,
                            Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _paint_axis(self, painter: QPainter, plot: QRect, slot: float, quiet: QColor) -> None:
        """Month letters when they fit, else the year at each January (and at the start)."""
        metrics = self.fontMetrics()
        painter.setPen(quiet)
        y = plot.bottom() + metrics.ascent() + 1
        short = slot >= metrics.horizontalAdvance("MMM") + 2
        for index, month in enumerate(self.months):
            x = plot.left() + index * slot
            if short:
                text = format_date(month.month, fmt="LLL")
            elif month.month.month == 1 or index == 0:
                text = str(month.month.year)
                painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            else:
                continue
            painter.drawText(QPointF(x + 1, y), text)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            month = self.month_at(event.position().x())
            if month is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.month_text(month), self)
            return True
        return super().event(event)

    def month_text(self, month: ActivityMonth) -> str:
        """A month's counts in words, each with its offices' shares."""
        def line(template: str, counts) -> str:
            total = sum(counts.values())
            shares = ", ".join(f"{self._office_name(code)} {format_number(counts[code])}"
                               for code in self.offices if counts.get(code))
            text = template.format(count=format_number(total))
            return _("{counted} ({shares})").format(counted=text, shares=shares) if shares \
                else text
        return "\n".join((
            format_date(month.month, fmt="LLLL yyyy"),
            line(ngettext("{count} consultation", "{count} consultations",
                          sum(month.consultations.values())), month.consultations),
            line(ngettext("{count} event", "{count} events", sum(month.events.values())),
                 month.events)))


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


# The periods the dashboard can show, in the order of its selector.
PROGRAMME, YEAR, QUARTER, CUSTOM = "programme", "year", "quarter", "custom"
PERIOD_KINDS = ((PROGRAMME, N_("Programme")), (YEAR, N_("Year")), (QUARTER, N_("Quarter")),
                (CUSTOM, N_("Custom dates")))


class PeriodChooser(QWidget):
    """Programme (the default), a year, a quarter or two dates; ``changed`` when the
    chosen period changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox(objectName="dashboardPeriodKind")
        for key, text in PERIOD_KINDS:
            self.kind.addItem(_(text), key)
        self.year = QComboBox(objectName="dashboardYear")
        self.quarter = QComboBox(objectName="dashboardQuarter")
        for number in range(1, 5):
            self.quarter.addItem(_("Quarter {number}").format(number=number), number)
        self.start = QDateEdit(objectName="dashboardFrom", calendarPopup=True)
        self.end = QDateEdit(objectName="dashboardTo", calendarPopup=True)
        self.start.setAccessibleName(_("From"))
        self.end.setAccessibleName(_("To"))
        label = QLabel(_("&Period:"))
        label.setBuddy(self.kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (label, self.kind, self.year, self.quarter, self.start, self.end):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.year, self.quarter):
            combo.currentIndexChanged.connect(self.changed)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self.changed)
        self._kind_changed()

    def set_programme(self, start: dt.date, end: dt.date, today: dt.date) -> None:
        """Offer the programme's years (and this one); keep what is chosen."""
        years = list(range(min(start.year, today.year), max(end.year, today.year) + 1))
        if [self.year.itemData(i) for i in range(self.year.count())] == years:
            return
        chosen = self.year.currentData() or min(max(today.year, start.year), end.year)
        self._quiet(True)
        try:
            self.year.clear()
            for year in years:
                self.year.addItem(str(year), year)
            self.year.setCurrentIndex(years.index(chosen) if chosen in years else 0)
            self.quarter.setCurrentIndex((today.month - 1) // 3)
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.end.setDate(QDate(end.year, end.month, end.day))
        finally:
            self._quiet(False)

    def _quiet(self, block: bool) -> None:
        # Filling the choices is not a choice: no reload for each item added.
        for widget in (self.year, self.quarter, self.start, self.end):
            widget.blockSignals(block)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.year.setVisible(kind in (YEAR, QUARTER))
        self.quarter.setVisible(kind == QUARTER)
        self.start.setVisible(kind == CUSTOM)
        self.end.setVisible(kind == CUSTOM)
        self.changed.emit()

    def period(self) -> tuple[dt.date, dt.date] | None:
        """The chosen dates; None for the programme's own period."""
        kind = self.kind.currentData()
        year = self.year.currentData()
        if kind == YEAR and year:
            return year_period(year)
        if kind == QUARTER and year:
            return quarter_period(year, self.quarter.currentData())
        if kind == CUSTOM:
            start, end = self.start.date().toPython(), self.end.date().toPython()
            return (start, end) if start <= end else (end, start)
        return None


class FirstSteps(QGroupBox):
    """What to do first on a profile that holds nothing yet."""

    add_cluster = Signal()
    trust_key = Signal()
    import_bundle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("First steps"), parent)
        self.setObjectName("dashboardFirstSteps")
        layout = QVBoxLayout(self)
        intro = QLabel(_("Nothing is recorded in this profile yet. Start with one of these:"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for text, detail, signal, name in (
            (_("Add the first cluster…"),
             _("Record a cluster you support; its members, consultations and plans follow."),
             self.add_cluster, "firstStepCluster"),
            (_("Trust a partner's key file…"),
             _("Before exchanging data with another office, trust the key file it sent you."),
             self.trust_key, "firstStepTrust"),
            (_("Import a bundle…"),
             _("Take over the records of the other offices from a bundle file they sent."),
             self.import_bundle, "firstStepImport"),
        ):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(signal)
            note = QLabel(detail)
            note.setWordWrap(True)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addWidget(note, 1)
            layout.addLayout(row)
        layout.addStretch(1)
