"""The file name suggested for a generated document names its kind once, and the day."""

from __future__ import annotations

import datetime as dt

from euregionet_desktop.services import documents

DAY = dt.date(2026, 12, 6)



def _name(core, kind, record_id, language="pl"):
    return core.backend.read(documents.suggested_file_name, kind=kind, record_id=record_id,
                             language=language, today=DAY)


def test_a_plan_titled_with_its_kind_is_not_named_twice(core, add, polish):
    """"Plan działań – Klaster …" gives "Plan działań – Klaster … – 2026-12-06 (pl).docx"."""
    cluster = add("cluster", name_pl="Klaster Szlak Wina", kind="cluster", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Plan działań – Klaster Szlak Wina",
               status="draft")
    assert _name(core, "action-plan", plan) == \
        "Plan działań – Klaster Szlak Wina – 2026-12-06 (pl).docx"
    # A German title says it too, in the other language.
    german = add("action_plan", cluster_id=cluster, title="Aktionsplan – Weinstraße",
                 status="draft")
    assert _name(core, "action-plan", german, "de") == \
        "Aktionsplan – Weinstraße – 2026-12-06 (de).docx"


def test_a_title_that_does_not_say_its_kind_gets_it(core, add, polish):
    """A plan called "Strategia eksportowa" is named "Plan działań – Strategia …"; the
    directory, made from no record, is named by its kind and day."""
    cluster = add("cluster", name_pl="Klaster Szlak Wina", kind="cluster", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Strategia eksportowa 2027",
               status="draft")
    assert _name(core, "action-plan", plan, "pl+de") == \
        "Plan działań – Strategia eksportowa 2027 – 2026-12-06 (pl+de).docx"
    assert _name(core, "directory", None).endswith(" – 2026-12-06 (pl).docx")
    assert _name(core, "directory", None).count(" – ") == 1
