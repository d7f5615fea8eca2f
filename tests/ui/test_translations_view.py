"""Text in both languages in the window (issue 19), driven as a person does: the form edits
the Polish and German sides of a pair side by side with a marker on the side that needs
translating; the Needs translation view lists it, opens the record on a double click, and
"Mark as translated" takes it off the list until Undo; sectors and regions are picked from
their translated list, stored as codes and shown as labels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog
from ui_helpers import choose, in_modal, show_view, type_into

from euregionet_desktop.i18n import set_language
from euregionet_desktop.services import records
from euregionet_desktop.services.translation import needs_translation
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.translations_view import NEED_ROLE
from euregionet_desktop.ui.vocabulary_editor import VocabularyEditor


@pytest.fixture
def plan(core, add):
    cluster = add("cluster", name_pl="Lubuski Klaster Metalowy", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Plan działań",
               title_de="Aktionsplan", objectives_pl="Więcej projektów")
    return cluster, plan


@pytest.fixture
def window(qtbot, core, plan, english, crash_fails):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def _values(core, entity, record_id):
    return core.backend.read(records.get, entity=entity, record_id=record_id).values


def _show_translations(qtbot, window):
    return show_view(qtbot, window, window.translations)


def _lines(view):
    return sorted((n.record_id, n.field, n.missing) for n in view.needs)


def test_the_form_shows_both_sides_in_one_row_and_marks_the_missing_one(qtbot, window, core,
                                                                         plan):
    """Polish left, German right, on the same row; the empty German objectives are marked;
    typing them and saving takes the marker and the line away."""
    _cluster, plan_id = plan
    window.go_to(window.views.index(window.lists["action_plan"]))
    assert window.lists["action_plan"].select_record(plan_id)

    def translate(dialog: RecordDialog) -> None:
        form = dialog.form
        for polish, german in (("title", "title_de"), ("objectives_pl", "objectives_de")):
            left, right = form.editors[polish], form.editors[german]
            assert left.mapTo(form, QPoint(0, 0)).x() < right.mapTo(form, QPoint(0, 0)).x()
            assert abs(left.mapTo(form, QPoint(0, 0)).y()
                       - right.mapTo(form, QPoint(0, 0)).y()) <= 2
        assert form.markers["objectives_de"].isVisible()
        assert form.markers["objectives_de"].text() == "needs translation"
        assert not form.markers["objectives_pl"].isVisible()
        assert not form.markers["title_de"].isVisible()
        type_into(qtbot, form, "objectives_de", "Mehr Projekte")
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.edit_action.trigger, translate)
    assert _values(core, "action_plan", plan_id)["objectives_de"] == "Mehr Projekte"
    assert core.backend.read(needs_translation) == []

    def unmarked(dialog: RecordDialog) -> None:
        assert not any(m.isVisible() for m in dialog.form.markers.values())

    in_modal(qtbot, window.edit_action.trigger, unmarked)


def test_the_marker_is_translated(qtbot, core, plan, crash_fails):
    set_language("de")
    try:
        main = MainWindow(core)
        qtbot.addWidget(main)
        dialog = RecordDialog(main.runner, "action_plan", record_id=plan[1], parent=main)
        dialog.show()
        assert dialog.form.markers["objectives_de"].text() == "Übersetzung nötig"
    finally:
        set_language("en")


def test_the_list_opens_the_record_and_marks_translated_with_undo(qtbot, window, core, plan):
    _cluster, plan_id = plan
    view = _show_translations(qtbot, window)
    assert _lines(view) == [(plan_id, "objectives_de", True)]
    assert "1 text needs translating." == view.status.text()
    # A missing side cannot be marked: it is translated by typing it.
    assert view.select_need(plan_id, "objectives_de")
    assert not view.done_button.isEnabled()

    # The Polish title changes: the German one is outdated.
    core.backend.run(records.update_record, entity="action_plan", record_id=plan_id,
                     values={"title": "Plan działań 2020–2022"})
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    assert _lines(view) == [(plan_id, "objectives_de", True), (plan_id, "title_de", False)]
    assert view.select_need(plan_id, "title_de")
    assert view.done_button.isEnabled() and not view.undo_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert _lines(view) == [(plan_id, "objectives_de", True)]
    assert _values(core, "action_plan", plan_id)["title_de"] == "Aktionsplan"
    assert view.undo_button.isEnabled()
    assert window.undo_action.text() == "&Undo Mark as translated"
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert _lines(view) == [(plan_id, "objectives_de", True), (plan_id, "title_de", False)]
    assert not view.undo_button.isEnabled()

    # A double click on a line opens the plan in its list.
    assert view.select_need(plan_id, "title_de")
    item = view.tree.currentItem()
    assert item.data(0, NEED_ROLE).record_id == plan_id
    where = view.tree.visualItemRect(item).center()
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    plans = window.lists["action_plan"]
    assert window.stack.currentWidget() is plans
    assert plans.current_id() == plan_id


def test_the_office_filter(qtbot, window, plan):
    _cluster, plan_id = plan
    view = _show_translations(qtbot, window)
    bic = next(view.office.itemData(i) for i in range(view.office.count())
               if view.office.itemText(i).startswith("BIC"))
    lop = next(view.office.itemData(i) for i in range(view.office.count())
               if view.office.itemText(i).startswith("LOP"))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.office.setCurrentIndex(view.office.findData(bic))
    assert view.needs == [] and view.status.text() == "Nothing needs translating."
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.office.setCurrentIndex(view.office.findData(lop))
    assert _lines(view) == [(plan_id, "objectives_de", True)]


def test_sectors_and_region_from_the_translated_list(qtbot, window, core):
    """Typed in German, ticked from the list, or free text: stored as codes (free text as
    typed), shown as labels in the list and in the form."""
    clusters = window.lists["cluster"]
    window.go_to(window.views.index(clusters))

    def fill(dialog: RecordDialog) -> None:
        form = dialog.form
        type_into(qtbot, form, "name_pl", "Klaster Wodorowy")
        choose(form, "country", "PL")
        sectors = form.editors["sectors"]
        assert isinstance(sectors, VocabularyEditor)
        type_into(qtbot, form, "sectors", "Wasserstoff, Bernstein")
        action = next(a for a in sectors.menu.actions() if a.text() == "Metal industry")
        sectors.menu.aboutToShow.emit()
        assert not action.isChecked()
        action.trigger()
        assert sectors.edit.text() == "Wasserstoff, Bernstein, Metal industry"
        type_into(qtbot, form, "region", "lusatia")
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.new_action.trigger, fill)
    cluster = core.backend.read(records.list_page, entity="cluster").rows[0]
    assert cluster.values["sectors"] == ["hydrogen", "Bernstein", "metal"]
    assert cluster.values["region"] == "lausitz"
    qtbot.waitUntil(lambda: clusters.select_record(cluster.id), timeout=3000)
    model = clusters.model
    row = next(r for r in range(model.rowCount()) if model.record_id(r) == cluster.id)
    region_column = [c.name for c in model.columns].index("region")
    assert model.index(row, region_column).data() == "Lusatia"

    def shown(dialog: RecordDialog) -> None:
        assert dialog.form.editors["sectors"].edit.text() == (
            "Hydrogen, Bernstein, Metal industry")
        assert dialog.form.editors["region"].edit.text() == "Lusatia"

    in_modal(qtbot, window.edit_action.trigger, shown)


def test_a_consultation_without_a_next_meeting_keeps_none(qtbot, window, core, plan):
    """The optional next meeting starts empty (only when it was held starts at now): saving
    a consultation with its Polish subject translated writes no next meeting."""
    consultation = core.backend.run(records.create, entity="consultation", values={
        "held_at": "2019-05-06 10:00", "cluster_id": plan[0], "subject": "Wizyta"}).record_id
    consultations = window.lists["consultation"]
    window.go_to(window.views.index(consultations))
    qtbot.waitUntil(lambda: consultations.select_record(consultation), timeout=3000)

    def translate(dialog: RecordDialog) -> None:
        assert dialog.form.editors["next_meeting_at"].value() is None
        assert dialog.form.markers["subject_de"].isVisible()
        type_into(qtbot, dialog.form, "subject_de", "Besuch")
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.edit_action.trigger, translate)
    values = _values(core, "consultation", consultation)
    assert values["next_meeting_at"] is None and values["subject_de"] == "Besuch"
    assert values["held_at"] == "2019-05-06 10:00"
    assert core.backend.read(needs_translation) == [
        n for n in core.backend.read(needs_translation) if n.entity != "consultation"]

    def new(dialog: RecordDialog) -> None:
        assert dialog.form.editors["next_meeting_at"].value() is None
        assert dialog.form.editors["held_at"].value() is not None

    in_modal(qtbot, window.new_action.trigger, new)


def test_a_measure_row_marks_its_missing_german_description(qtbot, window, core, plan):
    """In the plan's form, a stored measure opened from its table shows its pairs side by
    side, the empty German description marked."""
    from PySide6.QtWidgets import QPushButton

    _cluster, plan_id = plan
    core.backend.run(records.create, entity="measure", values={
        "action_plan_id": plan_id, "title": "Szkolenia", "title_de": "Schulungen",
        "description": "Sześć szkoleń"})
    window.go_to(window.views.index(window.lists["action_plan"]))
    assert window.lists["action_plan"].select_record(plan_id)
    seen: dict[str, bool] = {}

    def open_measure(dialog: RecordDialog) -> None:
        section = dialog.sections[0]
        section.table.selectRow(0)

        def row(row_dialog) -> None:
            markers = row_dialog.form.markers
            seen["description_de"] = markers["description_de"].isVisible()
            seen["title_de"] = markers["title_de"].isVisible()

        in_modal(qtbot, section.findChild(QPushButton, "measuresEdit").click, row)

    in_modal(qtbot, window.edit_action.trigger, open_measure)
    assert seen == {"description_de": True, "title_de": False}
