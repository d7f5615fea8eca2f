"""Tests for the one row builder (storage.rows): column defaults and sort keys."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from euregionet_desktop.i18n import sort_key
from euregionet_desktop.services import records
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import MODEL_BY_ENTITY
from euregionet_desktop.storage.rows import row_plan


@pytest.mark.parametrize("entity", sorted(MODEL_BY_ENTITY))
def test_a_new_row_fills_every_column_of_its_table(entity):
    """No column is left out of a new row, whatever the entity (a new column cannot be
    filled on one path and forgotten on another)."""
    row = row_plan(entity).new_row("id-1", {}, created_at="2020-01-01T00:00:00+00:00")
    assert set(row) == set(model_for(entity).__table__.c.keys())
    assert (row["id"], row["deleted"]) == ("id-1", False)


def test_new_row_takes_defaults_and_sort_keys_from_the_values():
    """An empty field with a column default gets it; sorted fields get their sort keys."""
    row = row_plan("membership").new_row("m", {"cluster_id": "c"}, created_at="now")
    assert row["role"] == model_for("membership").__table__.c.role.default.arg is not None
    row = row_plan("contact").new_row("p", {"last_name": "Łukasik", "first_name": ""},
                                      created_at="now")
    assert row["last_name_sort"] == sort_key("Łukasik")
    assert row["first_name_sort"] is None and row["email_sort"] is None


def test_sort_columns_cover_only_the_sorted_fields_given():
    """An update rewrites the sort keys of the fields it changes, nothing else."""
    plan = row_plan("contact")
    assert plan.sort_columns({"first_name": "Żaneta", "phone": "+48 1"}) == {
        "first_name_sort": sort_key("Żaneta")}
    assert plan.sort_columns({"email": None}) == {"email_sort": None}


def test_saved_and_edited_records_carry_the_plans_sort_keys(core, add):
    """A record saved and edited through the service has the plan's derived columns."""
    contact = add("contact", first_name="Łucja", last_name="Ąbel")
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"last_name": "Źdźbło"})
    table = model_for("contact").__table__
    row = core.backend.read(lambda s: s.execute(
        select(table).where(table.c.id == contact)).mappings().one())
    assert (row["first_name_sort"], row["last_name_sort"]) == (
        sort_key("Łucja"), sort_key("Źdźbło"))
