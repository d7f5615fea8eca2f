"""The dashboard: every programme indicator against its target."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.indicators import indicators


class DashboardView(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Dashboard")
        self.backend = backend
        self.setObjectName("dashboard")
        self.box = QGroupBox(_("Programme indicators"))
        self.grid = QGridLayout(self.box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addStretch(1)

    def ensure_loaded(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        for row, value in enumerate(self.backend.read(indicators)):
            name = QLabel(value.name)
            bar = QProgressBar(objectName=f"indicator_{value.code}")
            bar.setAccessibleName(value.name)
            bar.setRange(0, max(value.target, value.value))
            bar.setValue(value.value)
            bar.setFormat(_("{value} of {target}").format(value=value.value, target=value.target))
            period = QLabel(f"{format_date(_iso(value.period_start))} – "
                            f"{format_date(_iso(value.period_end))}")
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(bar, row, 1)
            self.grid.addWidget(period, row, 2)


def _iso(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
