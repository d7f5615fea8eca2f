"""Forming a new cluster: an initiative's steps are created with it, the cluster's stage
follows them, every write is one undoable action, and bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.services import demo, editing, initiatives, records, undo
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.formation import countries_of_members, stage_of, step_id

STEPS = ["letter_of_intent", "accession", "agreement", "statute_strategy", "brand"]


@pytest.fixture
def cluster(add):
    return add("cluster", name_pl="Klaster Wodorowy Odra", country="PL")


@pytest.fixture
def initiative(core, add, cluster):
    return add("initiative", cluster_id=cluster, started_on="2026-10-01")


def _stage(core, cluster):
    return core.backend.read(records.get, entity="cluster", record_id=cluster).values["stage"]


def _view(core, initiative):
    return core.backend.read(initiatives.initiative_view, initiative_id=initiative)


def _step(core, initiative, step, **values):
    return core.backend.run(initiatives.set_step, initiative_id=initiative, step=step,
                            values=values)


def test_a_new_initiative_has_its_five_steps_and_its_cluster_becomes_an_idea(
        core, initiative, cluster):
    """The steps come with the initiative, in order, not started, with derived ids."""
    view = _view(core, initiative)
    assert [s.step for s in view.steps] == STEPS
    assert {s.status for s in view.steps} == {"not_started"}
    assert [s.id for s in view.steps] == [step_id(initiative, s) for s in STEPS]
    assert view.current.step == "letter_of_intent"
    assert _stage(core, cluster) == "idea"
    assert view.office_code == "LOP"  # attributed to the office that records it
    step = core.backend.read(records.get, entity="formation_step", record_id=view.steps[0].id)
    assert step.label == "Letter of intent"  # named by its step in pickers and forms


def test_an_established_cluster_keeps_its_stage_when_an_initiative_starts(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL", stage="established")
    add("initiative", cluster_id=cluster)
    assert _stage(core, cluster) == "established"


def test_the_stage_follows_the_steps_forward_and_back(core, initiative, cluster):
    _step(core, initiative, "letter-of-intent", status="done", done_on="2026-10-15")
    assert _stage(core, cluster) == "forming"
    _step(core, initiative, "accession", status="done")
    _step(core, initiative, "agreement", status="done", done_on="2026-11-30")
    assert _stage(core, cluster) == "established"
    view = _view(core, initiative)
    assert view.steps[0].done_on == dt.date(2026, 10, 15)
    assert view.steps[1].done_on == dt.date.today()  # done without a date: today
    assert view.steps[2].done_on == dt.date(2026, 11, 30)
    _step(core, initiative, "agreement", status="in_progress")
    assert _stage(core, cluster) == "forming"
    assert _view(core, initiative).steps[2].done_on is None  # reopened: no longer done
    _step(core, initiative, "letter_of_intent", status="not_started")
    assert _stage(core, cluster) == "idea"


def test_undo_takes_back_the_step_and_the_stage_together(core, initiative, cluster):
    changes = _step(core, initiative, "letter_of_intent", status="done", done_on="2026-10-15")
    assert {w.entity for w in changes.undo.writes} == {"formation_step", "cluster"}
    core.backend.run(undo.undo, step=changes.undo)
    assert _stage(core, cluster) == "idea"
    assert _view(core, initiative).steps[0].status == "not_started"
    core.backend.run(undo.redo, step=changes.undo)
    assert _stage(core, cluster) == "forming"


def test_undoing_the_creation_deletes_the_steps_too(core, add, cluster):
    changes = core.backend.run(records.create, entity="initiative",
                               values={"cluster_id": cluster})
    core.backend.run(undo.undo, step=changes.undo)
    assert core.backend.read(records.list_page, entity="formation_step").total == 0
    assert _stage(core, cluster) is None
    core.backend.run(undo.redo, step=changes.undo)
    assert core.backend.read(records.list_page, entity="formation_step").total == 5


def test_advancing_marks_every_earlier_step_done_in_one_undoable_action(
        core, initiative, cluster):
    changes = core.backend.run(initiatives.advance, initiative_id=initiative,
                               to_step="statute_strategy", done_on=dt.date(2026, 11, 2))
    view = _view(core, initiative)
    assert [(s.status, s.done_on) for s in view.steps[:3]] == [
        ("done", dt.date(2026, 11, 2))] * 3
    assert view.current.step == "statute_strategy"
    assert _stage(core, cluster) == "established"
    core.backend.run(undo.undo, step=changes.undo)
    assert _view(core, initiative).current.step == "letter_of_intent"
    assert _stage(core, cluster) == "idea"
    core.backend.run(initiatives.advance, initiative_id=initiative, to_step=None,
                     done_on=dt.date(2026, 11, 2))
    assert _view(core, initiative).current is None


def test_a_form_saving_an_initiative_creates_the_steps_once(core, cluster):
    """The window's form (editing.save) goes through the same rule."""
    changes = core.backend.run(editing.save, entity="initiative",
                               values={"cluster_id": cluster})
    assert len(_view(core, changes.record_id).steps) == 5
    core.backend.run(editing.save, entity="initiative", record_id=changes.record_id,
                     values={"seat": "Gorzów Wielkopolski"})
    assert len(_view(core, changes.record_id).steps) == 5


def _refused(core, error, fn, **kwargs):
    before = core.backend.read(dump)
    with pytest.raises(error) as raised:
        core.backend.run(fn, **kwargs)
    assert core.backend.read(dump) == before
    return str(raised.value)


def test_bad_steps_are_refused_and_change_nothing(core, add, initiative):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "future" in _refused(core, ValidationError, initiatives.set_step,
                                initiative_id=initiative, step="agreement",
                                values={"status": "done", "done_on": tomorrow})
    assert "brandy" in _refused(core, ValidationError, initiatives.set_step,
                                initiative_id=initiative, step="brandy",
                                values={"status": "done"})
    _refused(core, ValidationError, records.update_record, entity="formation_step",
             record_id=step_id(initiative, "brand"), values={"status": "finished"})
    _refused(core, ValidationError, records.update_record, entity="formation_step",
             record_id=step_id(initiative, "brand"), values={"step": "accession"})
    _refused(core, ValidationError, records.create, entity="formation_step",
             values={"initiative_id": initiative, "step": "brand"})
    core.backend.run(initiatives.advance, initiative_id=initiative, to_step="agreement",
                     done_on=dt.date(2026, 11, 2))
    _refused(core, ValidationError, initiatives.advance, initiative_id=initiative,
             to_step="accession", done_on=dt.date(2026, 11, 2))
    core.backend.run(records.delete, entity="initiative", record_id=initiative)
    _refused(core, NotFoundError, initiatives.set_step, initiative_id=initiative,
             step="brand", values={"status": "done"})
    _refused(core, NotFoundError, records.update_record, entity="formation_step",
             record_id=step_id(initiative, "brand"), values={"status": "done"})


def test_a_step_of_a_deleted_initiative_left_live_is_refused(core, add, cluster):
    """A step restored alone (its initiative still deleted) cannot be changed."""
    initiative = add("initiative", cluster_id=cluster)
    core.backend.run(records.delete, entity="initiative", record_id=initiative)
    core.backend.run(records.restore, targets=[("formation_step", step_id(initiative, "brand"))])
    message = _refused(core, ValidationError, records.update_record, entity="formation_step",
                       record_id=step_id(initiative, "brand"), values={"status": "done"})
    assert "deleted" in message


def test_countries_of_members_are_those_of_live_member_organisations(core, add, cluster):
    pl = add("organisation", name="Odra Tech sp. z o.o.", country="PL", kind="small")
    de = add("organisation", name="Spree Wasserstoff GmbH", country="DE", kind="small")
    assert core.backend.read(countries_of_members, cluster_id=cluster) == frozenset()
    add("membership", cluster_id=cluster, organisation_id=pl, role="member",
        declaration_signed_on="2026-10-20")
    gone = add("membership", cluster_id=cluster, organisation_id=de, role="member")
    assert core.backend.read(countries_of_members, cluster_id=cluster) == {"PL", "DE"}
    core.backend.run(records.delete, entity="membership", record_id=gone)
    assert core.backend.read(countries_of_members, cluster_id=cluster) == {"PL"}


def test_the_demo_forms_a_cross_border_cluster_and_starts_another(core):
    """Demo data: one initiative with Polish and German members that signed accession
    declarations, at its cooperation agreement; one just started; the stages agree."""
    core.backend.run(demo.generate)
    views = {v.cluster_name: v for v in core.backend.read(initiatives.pipeline)}
    crossing = views["Klaster Zwalczania Gatunków Inwazyjnych"]
    assert crossing.countries == ("DE", "PL")
    assert crossing.current.step == "agreement"
    assert [s.status for s in crossing.steps[:2]] == ["done", "done"]
    assert all(s.done_on for s in crossing.steps[:2])
    started = views["Klaster GO GREEN"]
    assert (started.current.step, started.current.status) == ("letter_of_intent", "in_progress")
    for view in views.values():
        assert view.stage == stage_of({s.step: s.status for s in view.steps}).value
    declared = core.backend.read(records.list_page, entity="membership", limit=None).rows
    signed = [m for m in declared if m.values["declaration_signed_on"]
              and m.values["cluster_id"] == crossing.cluster_id]
    assert signed and max(m.values["declaration_signed_on"] for m in signed) == \
        crossing.steps[1].done_on
