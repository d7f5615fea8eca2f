"""Creating, editing and deleting every kind of record through the window's widgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import select
from ui_helpers import check, choose, in_modal, pick, tick, type_into

from euregionet_desktop.services import records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.storage.models import Change
from euregionet_desktop.ui.child_rows import ChildSection, RowDialog
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.record_dialog import RecordDialog


@pytest.fixture
def window(qtbot, core, add):
    add("cluster", name_pl="Lubuski Klaster Metalowy", name_de="Lebuser Metallcluster",
        country="PL", kind="cluster")
    add("organisation", name="Zakład Metalowy Żary Sp. z o.o.", country="PL", city="Żary")
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def _live(core, entity, **where):
    return core.backend.read(records.list_page, entity=entity, where=where or None).rows


def _open(window, entity):
    view = window.lists[entity]
    window.go_to(window.views.index(view))
    return view


def _new(qtbot, window, entity, fill):
    """Ctrl+N in the list of ``entity``, fill the dialog, save."""
    _open(window, entity)

    def handle(dialog: RecordDialog) -> None:
        fill(dialog)
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.new_action.trigger, handle)


def _edit(qtbot, window, entity, record_id, fill):
    """Select the record, press F2, change it, save."""
    view = _open(window, entity)
    assert view.select_record(record_id)

    def handle(dialog: RecordDialog) -> None:
        fill(dialog)
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.edit_action.trigger, handle)


def _delete(window, entity, record_id):
    view = _open(window, entity)
    assert view.select_record(record_id)
    view.table.setFocus()
    window.delete_action.trigger()


def _add_row(qtbot, dialog, section_name, fill):
    """Add… under a child list of the form; the row dialog is filled and kept."""
    section = dialog.findChild(ChildSection, section_name)

    def handle(row_dialog: RowDialog) -> None:
        fill(row_dialog.form)
        row_dialog.keep()
        assert row_dialog.result() == QDialog.DialogCode.Accepted, row_dialog.banner.text()

    in_modal(qtbot, section.add_row, handle)


def test_cluster_is_added_edited_and_deleted(qtbot, window, core):
    """A cluster typed into the form is stored, renamed in German, then deleted."""
    def fill(dialog):
        type_into(qtbot, dialog.form, "name_pl", "Klaster Łódzki Testowy")
        choose(dialog.form, "kind", "network")
        choose(dialog.form, "country", "PL")
        tick(dialog.form, "smart_specialisations", ["pl_green_economy"])
        type_into(qtbot, dialog.form, "founded_on", "01.06.2018")

    _new(qtbot, window, "cluster", fill)
    [cluster] = [c for c in _live(core, "cluster") if c.values["name_pl"].startswith("Klaster Ł")]
    assert cluster.values["kind"] == "network"
    assert cluster.values["founded_on"] == dt.date(2018, 6, 1)
    assert cluster.values["smart_specialisations"] == ["pl_green_economy"]
    assert window.lists["cluster"].current_id() == cluster.id

    _edit(qtbot, window, "cluster", cluster.id,
          lambda d: type_into(qtbot, d.form, "name_de", "Lodzer Testcluster"))
    assert core.backend.read(records.get, entity="cluster",
                             record_id=cluster.id).values["name_de"] == "Lodzer Testcluster"

    _delete(window, "cluster", cluster.id)
    assert [c.id for c in _live(core, "cluster")] != [] and cluster.id not in {
        c.id for c in _live(core, "cluster")}


def test_organisation_is_added_with_a_membership(qtbot, window, core):
    """An organisation saved with a cluster membership; editing keeps it; deleting removes both."""
    def fill(dialog):
        type_into(qtbot, dialog.form, "name", "Müller Metallbau GmbH")
        choose(dialog.form, "country", "DE")
        type_into(qtbot, dialog.form, "postal_code", "15230")
        type_into(qtbot, dialog.form, "city", "Frankfurt (Oder)")
        type_into(qtbot, dialog.form, "vat_id", "DE136695976")

        def membership(form):
            pick(qtbot, form, "cluster_id", "metal", "Lubuski Klaster Metalowy")
            choose(form, "role", "member")
            check(form, "recruited_by_programme")
        _add_row(qtbot, dialog, "memberships", membership)

    _new(qtbot, window, "organisation", fill)
    [org] = [o for o in _live(core, "organisation") if o.values["name"].startswith("Müller")]
    [membership] = _live(core, "membership", organisation_id=org.id)
    assert membership.values["role"] == "member"
    assert membership.values["recruited_by_programme"] is True
    assert org.values["vat_id"] == "DE136695976"

    _edit(qtbot, window, "organisation", org.id,
          lambda d: type_into(qtbot, d.form, "city", "Forst (Lausitz)"))
    assert core.backend.read(records.get, entity="organisation",
                             record_id=org.id).values["city"] == "Forst (Lausitz)"
    assert len(_live(core, "membership", organisation_id=org.id)) == 1

    _delete(window, "organisation", org.id)
    assert _live(core, "membership", organisation_id=org.id) == ()
    assert org.id not in {o.id for o in _live(core, "organisation")}


def test_contact_is_added_edited_and_deleted(qtbot, window, core):
    """A contact person with organisation, e-mail and phone, then edited and deleted."""
    def fill(dialog):
        type_into(qtbot, dialog.form, "first_name", "Małgorzata")
        type_into(qtbot, dialog.form, "last_name", "Kozłowska")
        pick(qtbot, dialog.form, "organisation_id", "zaklad", "Zakład Metalowy")
        type_into(qtbot, dialog.form, "email", "m.kozlowska@example.pl")
        type_into(qtbot, dialog.form, "phone", "68 456 78 90")
        choose(dialog.form, "language", "pl")

    _new(qtbot, window, "contact", fill)
    [contact] = _live(core, "contact")
    assert contact.values["phone"] == "+48684567890"
    assert contact.values["organisation_id"] is not None

    _edit(qtbot, window, "contact", contact.id,
          lambda d: type_into(qtbot, d.form, "function", "Prezes zarządu"))
    assert core.backend.read(records.get, entity="contact",
                             record_id=contact.id).values["function"] == "Prezes zarządu"
    _delete(window, "contact", contact.id)
    assert _live(core, "contact") == ()


def test_consultation_is_saved_with_a_follow_up_task(qtbot, window, core):
    """A consultation and its follow-up task are saved together; the task is then done."""
    def fill(dialog):
        dialog.form.editors["held_at"].set_value("2019-03-14 10:00")
        type_into(qtbot, dialog.form, "subject", "Strategia klastra")
        choose(dialog.form, "mode", "site_visit")
        pick(qtbot, dialog.form, "cluster_id", "lubuski", "Lubuski Klaster Metalowy")
        tick(dialog.form, "topics", ["cluster_dialogue"])

        def task(form):
            type_into(qtbot, form, "title", "Przesłać ankietę")
            type_into(qtbot, form, "due_on", "28.03.2019")
        _add_row(qtbot, dialog, "followUps", task)

    _new(qtbot, window, "consultation", fill)
    [consultation] = _live(core, "consultation")
    assert consultation.values["held_at"] == "2019-03-14 10:00"
    # Made from the list (Ctrl+N), it starts with this installation's advisor and office.
    info = core.backend.read(profile_info)
    [office] = core.backend.read(records.list_ids, entity="office",
                                 where={"code": info.office_code})
    assert consultation.values["advisor_id"] == info.advisor_id
    assert consultation.values["office_id"] == office
    [task] = _live(core, "task", consultation_id=consultation.id)
    assert task.values["due_on"] == dt.date(2019, 3, 28)
    assert window.runner.history.next_undo().label == "Add Consultation"

    def mark_done(dialog):
        section = dialog.findChild(ChildSection, "followUps")
        section.table.selectRow(0)

        def done(row_dialog):
            check(row_dialog.form, "done")
            row_dialog.keep()
        in_modal(qtbot, section.edit_row, done)

    _edit(qtbot, window, "consultation", consultation.id, mark_done)
    assert core.backend.read(records.get, entity="task", record_id=task.id).values["done"]

    _delete(window, "consultation", consultation.id)
    assert _live(core, "consultation") == () and _live(core, "task") == ()


def test_event_is_saved_with_participants(qtbot, window, core, add):
    """An event with a contact and a guest as participants; attendance is recorded later."""
    add("contact", first_name="Jan", last_name="Żółkiewski")

    def fill(dialog):
        choose(dialog.form, "kind", "study_trip")
        type_into(qtbot, dialog.form, "title_pl", "Wizyta studyjna w Cottbus")
        type_into(qtbot, dialog.form, "starts_on", "12.09.2018")
        type_into(qtbot, dialog.form, "ends_on", "13.09.2018")

        def person(form):
            pick(qtbot, form, "contact_id", "zolk", "Jan Żółkiewski")
            check(form, "registered")
        _add_row(qtbot, dialog, "participants", person)

        def guest(form):
            type_into(qtbot, form, "name", "Erika Groß")
            type_into(qtbot, form, "organisation_name", "IHK Cottbus")
            choose(form, "role", "speaker")
        _add_row(qtbot, dialog, "participants", guest)

    _new(qtbot, window, "event", fill)
    [event] = _live(core, "event")
    participants = _live(core, "participant", event_id=event.id)
    assert sorted(p.values["name"] or p.ref_labels.get("contact_id", "") for p in
                  core.backend.read(records.get_many, entity="participant",
                                    record_ids=[p.id for p in participants])) == [
        "Erika Groß", "Jan Żółkiewski"]

    def attended(dialog):
        section = dialog.findChild(ChildSection, "participants")
        for row in range(section.model.rowCount()):
            section.table.selectRow(row)
            in_modal(qtbot, section.edit_row,
                     lambda d: (check(d.form, "attended"), d.keep()))

    _edit(qtbot, window, "event", event.id, attended)
    assert all(p.values["attended"] for p in _live(core, "participant", event_id=event.id))
    _delete(window, "event", event.id)
    assert _live(core, "participant") == ()


def test_action_plan_is_saved_with_measures(qtbot, window, core):
    """An action plan with two measures; one measure is removed on the next edit."""
    def fill(dialog):
        pick(qtbot, dialog.form, "cluster_id", "metal")
        type_into(qtbot, dialog.form, "title", "Plan działań 2019")
        choose(dialog.form, "status", "agreed")
        for title, cost in (("Wspólne stoisko targowe", "12500.50"), ("Szkolenie", "3000")):
            def measure(form, title=title, cost=cost):
                type_into(qtbot, form, "title", title)
                type_into(qtbot, form, "cost", cost)
                choose(form, "currency", "PLN")
                type_into(qtbot, form, "starts_on", "01.04.2019")
            _add_row(qtbot, dialog, "measures", measure)

    _new(qtbot, window, "action_plan", fill)
    [plan] = _live(core, "action_plan")
    measures = _live(core, "measure", action_plan_id=plan.id)
    assert sorted(m.values["cost"] for m in measures) == [Decimal("3000"), Decimal("12500.50")]

    def remove_first(dialog):
        section = dialog.findChild(ChildSection, "measures")
        section.table.selectRow(0)
        section.remove_row()

    _edit(qtbot, window, "action_plan", plan.id, remove_first)
    assert len(_live(core, "measure", action_plan_id=plan.id)) == 1
    _delete(window, "action_plan", plan.id)
    assert _live(core, "measure") == ()


def test_evaluation_is_saved_with_scores(qtbot, window, core):
    """Scores typed per indicator are stored; the area total follows them."""
    def fill(dialog):
        pick(qtbot, dialog.form, "cluster_id", "lubuski")
        type_into(qtbot, dialog.form, "evaluated_on", "15.05.2019")
        dialog.scores.spins["structure.members"].setValue(3)
        dialog.scores.spins["structure.smes"].setValue(4)
        dialog.scores.comments["structure.smes"].setText("Prawie wszyscy członkowie to MŚP")
        assert dialog.scores.area_items["structure"].text(1).startswith("7 of 12")

    _new(qtbot, window, "evaluation", fill)
    [evaluation] = _live(core, "evaluation")
    scores = evaluation.values["scores"]
    assert scores["structure.members"] == {"score": 3}
    assert scores["structure.smes"]["comment"] == "Prawie wszyscy członkowie to MŚP"

    _edit(qtbot, window, "evaluation", evaluation.id,
          lambda d: d.scores.spins["structure.members"].setValue(1))
    assert core.backend.read(records.get, entity="evaluation", record_id=evaluation.id
                             ).values["scores"]["structure.members"]["score"] == 1
    _delete(window, "evaluation", evaluation.id)
    assert _live(core, "evaluation") == ()


def test_undo_brings_back_a_deleted_contact_with_memberships(qtbot, window, core, add):
    """Ctrl+Z after deleting a contact restores it and its memberships; redo deletes again."""
    cluster = _live(core, "cluster")[0].id
    contact = add("contact", first_name="Ewa", last_name="Nowak")
    add("membership", cluster_id=cluster, contact_id=contact, role="contact_person")
    _delete(window, "contact", contact)
    assert _live(core, "contact") == () and _live(core, "membership") == ()
    assert window.undo_action.text() == "&Undo Delete Contact person"

    window.undo_action.trigger()
    assert [c.id for c in _live(core, "contact")] == [contact]
    assert len(_live(core, "membership", contact_id=contact)) == 1
    assert window.lists["contact"].model.row_of(contact) is not None
    assert window.redo_action.isEnabled()

    window.redo_action.trigger()
    assert _live(core, "contact") == () and _live(core, "membership") == ()
    assert window.lists["contact"].model.rowCount() == 0


def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(qtbot, window, core):
    """A bad NIP and e-mail are named under their fields; the dialog stays and dump is unchanged."""
    before = core.backend.read(dump)
    _open(window, "organisation")
    seen = {}

    def handle(dialog):
        type_into(qtbot, dialog.form, "name", "Firma Testowa")
        choose(dialog.form, "country", "PL")
        type_into(qtbot, dialog.form, "nip", "123-456-78-90")
        type_into(qtbot, dialog.form, "email", "biuro@@example")
        dialog.save()
        seen["open"] = dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        for name in ("nip", "email", "name"):
            label = dialog.findChild(QLabel, f"error_{name}")
            seen[name] = label.text() if label.isVisible() else ""

    in_modal(qtbot, window.new_action.trigger, handle)
    assert seen["open"]
    assert "NIP" in seen["nip"] and "E-mail" in seen["email"]
    assert seen["name"] == ""
    assert core.backend.read(dump) == before


def test_an_invalid_child_row_is_refused_in_its_own_dialog(qtbot, window, core):
    """A measure ending before it starts is refused where it is typed; nothing is saved."""
    before = core.backend.read(dump)
    _open(window, "action_plan")
    seen = {}

    def handle(dialog):
        pick(qtbot, dialog.form, "cluster_id", "metal")
        type_into(qtbot, dialog.form, "title", "Plan")
        section = dialog.findChild(ChildSection, "measures")

        def measure(row_dialog):
            type_into(qtbot, row_dialog.form, "title", "Targi")
            type_into(qtbot, row_dialog.form, "cost", "dużo")
            row_dialog.keep()
            label = row_dialog.findChild(QLabel, "error_cost")
            seen["cost"] = label.text() if label.isVisible() else ""
            seen["kept"] = row_dialog.result() == QDialog.DialogCode.Accepted

        in_modal(qtbot, section.add_row, measure)
        seen["rows"] = section.model.rowCount()

    in_modal(qtbot, window.new_action.trigger, handle)
    assert seen["cost"] and not seen["kept"] and seen["rows"] == 0
    assert core.backend.read(dump) == before


def test_ctrl_s_saves_and_escape_cancels(qtbot, window, core):
    """Ctrl+S in a field saves the form; Esc on an untouched form closes it without asking."""
    _open(window, "cluster")

    def save_with_keys(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        type_into(qtbot, dialog.form, "name_pl", "Klaster Skrótów")
        qtbot.keyClick(dialog.form.editors["name_pl"].edit, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
        assert dialog.result() == QDialog.DialogCode.Accepted

    in_modal(qtbot, window.new_action.trigger, save_with_keys)
    assert "Klaster Skrótów" in {c.values["name_pl"] for c in _live(core, "cluster")}

    def escape(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.form.editors["name_pl"].edit, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    in_modal(qtbot, window.new_action.trigger, escape)


def test_consultation_with_two_follow_up_tasks_is_one_clock_value(qtbot, window, core):
    """Saving a new consultation with two follow-up tasks from the dialog is one action:
    every change it writes to the change log carries the same clock value (HLC)."""
    def all_changes():
        table = Change.__table__
        return core.backend.read(lambda session: list(session.execute(
            select(table).order_by(table.c.installation_id, table.c.seq)).mappings()))

    def fill(dialog):
        dialog.form.editors["held_at"].set_value("2019-03-14 10:00")
        type_into(qtbot, dialog.form, "subject", "Strategia klastra")
        for title in ("Przesłać ankietę", "Umówić wizytę"):
            _add_row(qtbot, dialog, "followUps",
                     lambda form, title=title: type_into(qtbot, form, "title", title))

    before = len(all_changes())
    _new(qtbot, window, "consultation", fill)
    [consultation] = _live(core, "consultation")
    tasks = _live(core, "task", consultation_id=consultation.id)
    assert sorted(t.values["title"] for t in tasks) == ["Przesłać ankietę", "Umówić wizytę"]
    written = all_changes()[before:]
    assert {c["record_id"] for c in written} == {consultation.id, *(t.id for t in tasks)}
    assert len({c["hlc"] for c in written}) == 1
