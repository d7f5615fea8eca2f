"""The dashboard as a picture: bars coloured and named by state, the activity chart, the
period chooser, and the first steps of an empty profile."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton
from ui_helpers import in_modal

from euregionet_desktop.services.dashboard import IndicatorState
from euregionet_desktop.ui.dashboard import DashboardView
from euregionet_desktop.ui.dashboard_picture import IndicatorBar, state_colour
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.sync_view import SyncView

MID_2019 = dt.date(2019, 6, 30)  # 65.7 % of the programme (April 2017 – August 2020) gone


@pytest.fixture
def view(qtbot, core, english):
    dashboard = DashboardView(OpRunner(core.backend))
    qtbot.addWidget(dashboard)
    dashboard.today = MID_2019
    dashboard.resize(1200, 760)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    return dashboard


def load(qtbot, view):
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()


def meetings(add, *days):
    for n, day in enumerate(days):
        add("event", kind="partner_meeting", title_pl=f"Rada {n}", starts_on=day)


def bar(view, code) -> IndicatorBar:
    return view.findChild(IndicatorBar, f"indicator_{code}")


def state_text(view, code) -> str:
    return view.findChild(QLabel, f"indicatorState_{code}").text()


def pixel(widget, x_share: float) -> QColor:
    image = widget.grab().toImage()
    return image.pixelColor(int(image.width() * x_share), image.height() // 2)


def test_each_state_has_its_colour_and_its_words(qtbot, view, add):
    """By mid-2019: 3 of 6 meetings is behind plan, 4 of 4 kick-offs reached, 3 of 2
    cross-border clusters over, 2 of 6 study trips… each bar in its state's colour, the
    state in words beside it and in the tooltip."""
    meetings(add, "2017-05-10", "2017-11-23", "2018-05-17")
    for n, day in enumerate(("2017-09-19", "2017-10-12", "2017-10-26", "2017-11-09")):
        add("event", kind="kickoff", title_pl=f"Start {n}", starts_on=day)
    for n in range(3):
        add("cluster", name_pl=f"Klaster {n}", country="PL", kind="cluster",
            cross_border=True, founded_on=f"2018-0{n + 1}-01")
    for n, day in enumerate(("2017-06-01", "2018-01-10", "2018-06-01", "2019-01-10")):
        add("event", kind="study_trip", title_pl=f"Wizyta {n}", starts_on=day)
    load(qtbot, view)
    expected = {"partner_meetings": (IndicatorState.BEHIND, "Behind plan", "3 of 6"),
                "study_trips": (IndicatorState.ON_TRACK, "On track", "4 of 6"),
                "kickoff_meetings": (IndicatorState.REACHED, "Reached", "4 of 4"),
                "new_cross_border_clusters": (IndicatorState.OVER, "Over target", "3 of 2")}
    for code, (state, words, value) in expected.items():
        shown = bar(view, code)
        assert shown.progress.state is state
        assert state_text(view, code) == words
        assert view.findChild(QLabel, f"indicatorValue_{code}").text() == value
        assert words in shown.toolTip()
        assert pixel(shown, 0.1) == state_colour(state, shown.palette()), code


def test_over_target_shows_past_the_mark_and_nothing_is_a_blank_box(qtbot, view, add):
    """3 of 2: the target mark stands at two thirds and the fill past it is drawn
    differently; 0 of 1 shows a framed track with its mark, not a white box."""
    for n in range(3):
        add("cluster", name_pl=f"Klaster {n}", country="PL", kind="cluster",
            cross_border=True, founded_on=f"2018-0{n + 1}-01")
    load(qtbot, view)
    over = bar(view, "new_cross_border_clusters")
    colour = state_colour(IndicatorState.OVER, over.palette())
    assert pixel(over, 0.3) == colour
    image = over.grab().toImage()
    beyond = {image.pixelColor(x, image.height() // 2).name()
              for x in range(int(image.width() * 0.72), int(image.width() * 0.95))}
    assert len(beyond) > 1 and beyond != {colour.name()}  # hatched beyond the target
    mark = int(2 / 3 * (image.width() - 1))
    ink = over.palette().color(over.foregroundRole())
    assert any(image.pixelColor(x, 1).lightness() < 100 and ink.lightness() < 100
               for x in range(mark - 2, mark + 3))
    empty = bar(view, "closing_conference")
    assert empty.progress.value == 0 and empty.progress.target == 1
    image = empty.grab().toImage()
    assert image.pixelColor(0, image.height() // 2) != QColor("white")  # a framed track
    assert image.pixelColor(image.width() - 1, 1).lightness() < 100  # the target mark
    inside = image.pixelColor(image.width() // 2, image.height() // 2)
    assert inside != QColor("white") and inside.red() > inside.blue()  # tinted: behind
    assert state_text(view, "closing_conference") == "Behind plan"


def test_the_chart_counts_the_months_of_the_records(qtbot, view, add):
    """Consultations and events land in their month and office; the tooltip says so."""
    add("consultation", held_at="2018-03-05 10:00")
    add("consultation", held_at="2018-03-28 09:00")
    add("event", kind="workshop", title_pl="Warsztaty", starts_on="2018-03-10")
    add("consultation", held_at="2019-01-02 10:00")
    load(qtbot, view)
    chart = view.chart
    assert len(chart.months) == 41  # April 2017 – August 2020
    assert chart.today == MID_2019  # marked by a line: right of it is planned, not done
    by_month = {m.month: (dict(m.consultations), dict(m.events)) for m in chart.months}
    assert by_month[dt.date(2018, 3, 1)] == ({"LOP": 2}, {"LOP": 1})
    assert by_month[dt.date(2019, 1, 1)] == ({"LOP": 1}, {})
    assert sum(sum(c.values()) for c, _e in by_month.values()) == 3
    march = next(m for m in chart.months if m.month == dt.date(2018, 3, 1))
    assert chart.month_text(march).splitlines()[1:] == ["2 consultations (LOP 2)",
                                                        "1 event (LOP 1)"]
    # The month under the mouse is the one the tooltip speaks of.
    plot = chart._panels()[0][1]
    x = plot.left() + plot.width() * (11.5 / 41)  # the twelfth month: March 2018
    assert chart.month_at(x) == march
    assert chart.accessibleDescription() == "3 consultations; 1 event"


def test_choosing_a_year_or_a_quarter_changes_what_is_counted(qtbot, view, add):
    """Programme: 4 meetings; the year 2018 (chosen with the keyboard): 2 of its share of 2,
    reached, and twelve months; its second quarter: 1 meeting."""
    meetings(add, "2017-05-10", "2018-05-17", "2018-11-15", "2019-05-23")
    add("consultation", held_at="2018-05-05 10:00")
    view.today = dt.date(2026, 1, 1)
    load(qtbot, view)
    assert bar(view, "partner_meetings").progress.value == 4
    kind, year = view.period.kind, view.period.year
    assert kind.currentText() == "Programme"
    assert not year.isVisible()
    kind.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert kind.currentText() == "Year" and year.isVisible()
    year.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClicks(year, "2018")
    assert year.currentText() == "2018"
    meetings_2018 = bar(view, "partner_meetings").progress
    assert (meetings_2018.value, meetings_2018.target) == (2, 2)
    assert state_text(view, "partner_meetings") == "Reached"
    assert [m.month.month for m in view.chart.months] == list(range(1, 13))
    caption = view.findChild(QLabel, "indicatorPeriod")
    assert caption.text() == "1 Jan 2018 – 31 Dec 2018"
    assert caption.accessibleName() == "Period: 1 Jan 2018 – 31 Dec 2018"
    kind.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClick(kind, Qt.Key.Key_Down)
    quarter = view.period.quarter
    assert quarter.currentText() == "Quarter 1"  # the quarter of the day (1 Jan 2026)
    quarter.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.keyClick(quarter, Qt.Key.Key_Down)
    assert quarter.currentText() == "Quarter 2"
    assert bar(view, "partner_meetings").progress.value == 1
    assert [m.month for m in view.chart.months] == [dt.date(2018, m, 1) for m in (4, 5, 6)]
    # The opening conference (one in the programme) has no share in a quarter.
    assert state_text(view, "opening_conference") == "No target"
    assert "No part of the programme target falls in this period." in \
        bar(view, "opening_conference").toolTip()


def test_a_fresh_profile_offers_first_steps(qtbot, window, english, monkeypatch):
    """Nothing recorded: the dashboard offers a first cluster (the cluster form opens in
    the cluster list), a partner's key and a bundle (both in the Sync view)."""
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=5000):
        dashboard.ensure_loaded()
    assert dashboard.first_steps.isVisible() and not dashboard.activity.isVisible()
    button = dashboard.findChild(QPushButton, "firstStepCluster")
    assert button.text() == "Add the first cluster…"
    forms = []
    in_modal(qtbot, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton),
             lambda dialog: forms.append(dialog.entity))
    assert forms == ["cluster"]
    assert window.current_list() is window.lists["cluster"]
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda _parent, title, *_a, **_k: (asked.append(title), ("", ""))[1])
    for name, title in (("firstStepTrust", "Trust a partner's key file"),
                        ("firstStepImport", "Import bundle")):
        window.go_to(0)
        qtbot.mouseClick(dashboard.findChild(QPushButton, name), Qt.MouseButton.LeftButton,
                         pos=QPoint(5, 5))
        assert asked[-1] == title
        assert isinstance(window.stack.currentWidget(), SyncView)


def test_first_steps_give_way_to_the_picture(qtbot, view, add):
    """One cluster recorded: the activity chart instead of the first steps."""
    load(qtbot, view)
    assert view.first_steps.isVisible()
    add("cluster", name_pl="Klaster", country="PL", kind="cluster")
    load(qtbot, view)
    assert view.activity.isVisible() and not view.first_steps.isVisible()


def test_custom_dates_count_only_their_days(qtbot, view, add):
    """Custom dates 1–31 May 2018: one meeting, one month in the chart, their own dates
    instead of the caption."""
    meetings(add, "2018-04-30", "2018-05-17", "2018-06-01")
    load(qtbot, view)
    chooser = view.period
    chooser.kind.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        chooser.kind.setCurrentIndex(chooser.kind.findText("Custom dates"))
    assert chooser.start.isVisible() and chooser.end.isVisible()
    assert not view.findChild(QLabel, "indicatorPeriod").isVisible()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        chooser.start.setDate(dt.date(2018, 5, 1))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        chooser.end.setDate(dt.date(2018, 5, 31))
    assert bar(view, "partner_meetings").progress.value == 1
    assert [m.month for m in view.chart.months] == [dt.date(2018, 5, 1)]


def test_a_year_chosen_before_the_first_answer_is_the_year_shown(qtbot, view, add):
    """Choosing "Year" before the programme's years have arrived: once they have, the
    dashboard counts the year its selector shows, not the programme."""
    meetings(add, "2017-05-10", "2019-05-23")
    view.period.kind.setCurrentIndex(view.period.kind.findData("year"))  # nothing loaded yet
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    assert view.period.year.currentText() == "2019"  # the injected today's year
    assert (view.chart.months[0].month, len(view.chart.months)) == (dt.date(2019, 1, 1), 12)
    assert bar(view, "partner_meetings").progress.value == 1
