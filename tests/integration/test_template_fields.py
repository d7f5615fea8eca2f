"""Template editing for non-programmers: the list of fields, Word's typographic quotes."""

from __future__ import annotations

import json

import pytest

from euregionet_desktop.documents import check, defaults, schema
from tests.integration.test_cli import ok, one_line_error, run


@pytest.mark.parametrize("kind", tuple(schema.KINDS))
def test_template_fields_lists_every_field_the_default_templates_use(kind, tmp_path):
    """Every field a default template uses (found by parsing its code) is in the list, written
    as the template writes it, with a meaning and, for a text, an example."""
    listed = json.loads(ok(tmp_path / "none", "template", "fields", kind, "--json"))
    by_path = {item["path"]: item for item in listed}
    used: set[str] = set()
    for language in schema.DOCUMENT_LANGUAGES:
        report = check.inspect_template(defaults.default_template(kind, language), kind=kind)
        assert report.ok, report.errors
        used |= set(report.placeholders)
    assert used and used <= by_path.keys(), used - by_path.keys()
    for path in used:
        item = by_path[path]
        assert item["meaning"] and item["meaning"] != path.rsplit(".", 1)[-1], item
        assert item["list"] or item["example"], item
        last = path.rsplit(".", 1)[-1].removesuffix("[]")
        assert item["written"].endswith(last) or f"in {last}" in item["written"] or (
            f".{last} %}}" in item["written"]), item
    # The plain list, in Polish: the loops as a template writes them, meanings translated.
    text = ok(tmp_path / "none", "--lang", "pl", "template", "fields", kind)
    for item in listed:
        assert item["written"] in text
    if kind == "action-plan":
        assert "{% for m in measures %}" in text and "  m.title" in text
        assert "Tytuł" in text and "Cele, w języku dokumentu" in text


def test_every_field_of_every_kind_has_a_meaning():
    """One source: the schema's names; each is described (a new field needs its meaning)."""
    for kind in schema.KINDS:
        for item in schema.field_guide(kind):
            base = schema.FIELD_HELP.get(item.path.rsplit(".", 1)[-1].removesuffix("[]"))
            assert base or item.path.endswith(("_pl", "_de")), item.path


def test_template_fields_refuses_an_unknown_kind(tmp_path):
    error = one_line_error(run(tmp_path / "none", "--lang", "de", "template", "fields", "plan"))
    assert "plan" in error and "action-plan" in error
    assert not (tmp_path / "none").exists()
