"""Text in both languages (services.translation) on a real profile: the needs-translation
state derived from the change log, "Mark as translated" and its undo, the office filter,
and sectors and regions stored as codes of their translated lists."""

from __future__ import annotations

import pytest

from euregionet_desktop.domain.bilingual import (
    TEXT_PAIRS,
    code_label,
    side_needing_translation,
    to_code,
)
from euregionet_desktop.domain.enums import Region, Sector
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services import editing, records
from euregionet_desktop.services.profile import office_id_for
from euregionet_desktop.services.search import search
from euregionet_desktop.services.translation import mark_translated, needs_translation
from euregionet_desktop.services.undo import redo, undo
from euregionet_desktop.storage.fields import field_map


def listed(core, **filters):
    return sorted((n.entity, n.record_id, n.field, n.side, n.missing)
                  for n in core.backend.read(needs_translation, **filters))


def edit(core, entity, record_id, **values):
    return core.backend.run(records.update_record, entity=entity, record_id=record_id,
                            values=values)


def test_every_pair_names_two_text_fields_of_its_entity():
    for entity, pairs in TEXT_PAIRS.items():
        for polish, german in pairs:
            specs = field_map(entity)
            assert specs[polish].kind == specs[german].kind
            assert specs[polish].kind in ("text", "longtext")
            assert "(Polish)" in specs[polish].label and "(German)" in specs[german].label


def test_the_rule_in_one_place():
    assert side_needing_translation("a", None, 5, None) == ("de", True)
    assert side_needing_translation(None, "b", None, 5) == ("pl", True)
    assert side_needing_translation("a", "b", 4, 5) == ("pl", False)
    assert side_needing_translation("a", "b", 6, 5) == ("de", False)
    assert side_needing_translation("a", "b", 5, 5) is None
    assert side_needing_translation(None, "", 5, 6) is None


def test_a_side_edited_alone_flags_the_other_until_it_is_translated(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Plan działań")
    assert listed(core) == [("action_plan", plan, "title_de", "de", True)]
    assert core.backend.read(records.get, entity="action_plan",
                             record_id=plan).needs_translation == ("title_de",)
    edit(core, "action_plan", plan, title_de="Aktionsplan")
    assert listed(core) == []
    edit(core, "action_plan", plan, title="Plan działań 2020")
    assert listed(core) == [("action_plan", plan, "title_de", "de", False)]
    # Translating the outdated side is an edit of it: the pair is in step again.
    changes = edit(core, "action_plan", plan, title_de="Aktionsplan 2020")
    assert listed(core) == []
    # Its undo brings the old German text back, writing both sides in one action: one
    # action cannot make one side older than the other, so the pair reads as in step (the
    # Polish side is not wrongly flagged as older than the German one).
    core.backend.run(undo, step=changes.undo)
    assert core.backend.read(records.get, entity="action_plan",
                             record_id=plan).values["title_de"] == "Aktionsplan"
    assert listed(core) == []


def test_both_sides_in_one_save_are_in_step(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL")
    changes = core.backend.run(editing.save, entity="consultation", values={
        "held_at": "2019-05-06 10:00", "cluster_id": cluster, "subject": "Wizyta",
        "subject_de": "Besuch"})
    assert listed(core) == []
    core.backend.run(editing.save, entity="consultation", record_id=changes.record_id,
                     values={"summary": "Rozmowa", "summary_de": "Gespräch"})
    assert listed(core) == []


def test_translating_a_missing_side_and_undoing_it(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL", description_pl="Opis")
    assert listed(core) == [("cluster", cluster, "description_de", "de", True)]
    changes = edit(core, "cluster", cluster, description_de="Beschreibung")
    assert listed(core) == []
    core.backend.run(undo, step=changes.undo)
    assert listed(core) == [("cluster", cluster, "description_de", "de", True)]
    core.backend.run(redo, step=changes.undo)
    assert listed(core) == []


def test_mark_as_translated_and_its_undo(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL", description_pl="Opis",
                  description_de="Beschreibung")
    edit(core, "cluster", cluster, description_de="Neue Beschreibung")
    assert listed(core) == [("cluster", cluster, "description_pl", "pl", False)]
    changes = core.backend.run(mark_translated, entity="cluster", record_id=cluster,
                               field="description_pl")
    assert listed(core) == []
    values = core.backend.read(records.get, entity="cluster", record_id=cluster).values
    assert (values["description_pl"], values["description_de"]) == ("Opis",
                                                                     "Neue Beschreibung")
    core.backend.run(undo, step=changes.undo)
    assert listed(core) == [("cluster", cluster, "description_pl", "pl", False)]
    core.backend.run(redo, step=changes.undo)
    assert listed(core) == []


@pytest.mark.parametrize(("field", "says"), [
    ("description_pl", "does not need translating"),
    ("name_pl", "not a text kept in both languages"),
])
def test_mark_as_translated_refuses_what_needs_nothing(core, add, field, says):
    cluster = add("cluster", name_pl="Klaster", country="PL", description_pl="Opis",
                  description_de="Beschreibung")
    with pytest.raises(ValidationError, match=says):
        core.backend.run(mark_translated, entity="cluster", record_id=cluster, field=field)


def test_the_office_of_a_measure_is_its_plans(core, add):
    cluster = add("cluster", name_pl="Klaster", country="DE")
    bic = core.backend.read(office_id_for, code="BIC")
    plan = add("action_plan", cluster_id=cluster, title="Plan", title_de="Aktionsplan",
               office_id=bic)
    measure = add("measure", action_plan_id=plan, title="Szkolenia",
                  title_de="Schulungen", description_de="Sechs Schulungen")
    assert listed(core, office="BIC") == [("measure", measure, "description", "pl", True)]
    assert listed(core, office_id=bic) == listed(core, office="BIC")
    assert listed(core, office="LOP") == []
    need = core.backend.read(needs_translation)[0]
    assert need.record_label == "Szkolenia" and need.other_field == "description_de"
    assert need.field_label == "Description (Polish)"


def test_a_record_with_only_german_text_is_named_by_it(core, add, polish):
    cluster = add("cluster", name_pl="Klaster", country="DE")
    consultation = add("consultation", held_at="2019-05-06 10:00", cluster_id=cluster,
                       subject_de="Partnersuche")
    assert core.backend.read(records.get, entity="consultation",
                             record_id=consultation).label.endswith("Partnersuche")
    hits = core.backend.read(search, text="Partnersuche")
    assert [h.id for h in hits] == [consultation]


def test_sector_and_region_codes_from_labels_in_every_language():
    for typed, code in (("Wasserstoff", "hydrogen"), ("wodor", "hydrogen"),
                        ("HYDROGEN", "hydrogen"), ("przemysł metalowy", "metal"),
                        ("smart_grid", "smart_grid"), ("smart grid", "smart_grid")):
        assert to_code(Sector, typed) == code, typed
    assert to_code(Region, " Łużyce ") == "lausitz"
    assert to_code(Region, "Südbrandenburg") == "south_brandenburg"
    assert to_code(Region, "Gubin und Umgebung") == "Gubin und Umgebung"
    assert code_label(Region, "lausitz", language="pl") == "Łużyce"
    assert code_label(Sector, "Bernstein", language="de") == "Bernstein"


def test_cluster_sectors_are_stored_as_codes_and_found_by_any_label(core, add):
    cluster = add("cluster", name_pl="Klaster", country="PL",
                  sectors="Wasserstoff, Przemysł metalowy, Bernstein, wodór", region="Lusatia")
    values = core.backend.read(records.get, entity="cluster", record_id=cluster).values
    assert values["sectors"] == ["hydrogen", "metal", "Bernstein"]
    assert values["region"] == "lausitz"
    for text in ("Wasserstoff", "Metallindustrie", "Łużyce", "Lausitz", "lodz"):
        found = [h.id for h in core.backend.read(search, text=text)]
        assert found == ([] if text == "lodz" else [cluster]), text


def test_a_title_in_either_language_is_enough_and_one_is_required(core, add):
    """A German office's plan and measure with a German title only; neither title refused,
    on the field, in the interface's words; emptying the only title is refused too."""
    cluster = add("cluster", name_pl="Klaster", country="DE")
    plan = add("action_plan", cluster_id=cluster, title_de="Aktionsplan")
    measure = add("measure", action_plan_id=plan, title_de="Schulungen")
    assert core.backend.read(records.get, entity="action_plan", record_id=plan).label == (
        "Aktionsplan")
    assert core.backend.read(records.get, entity="measure", record_id=measure).label == (
        "Schulungen")
    assert listed(core) == [("action_plan", plan, "title", "pl", True),
                            ("measure", measure, "title", "pl", True)]
    with pytest.raises(ValidationError, match="A title is required") as refused:
        core.backend.run(records.create, entity="action_plan", values={"cluster_id": cluster})
    assert refused.value.field == "title"
    with pytest.raises(ValidationError, match="A title is required"):
        edit(core, "measure", measure, title_de="")
    assert core.backend.read(records.get, entity="measure",
                             record_id=measure).values["title_de"] == "Schulungen"
