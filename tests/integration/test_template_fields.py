"""Template editing for non-programmers: the list of fields, Word's typographic quotes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document

from euregionet_desktop.documents import check, defaults, schema
from tests.integration.test_cli import ok_here as ok
from tests.integration.test_cli import one_line_error
from tests.integration.test_cli import run_here as run


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


def _word_template(*paragraphs: str | tuple[str, ...]) -> bytes:
    """A .docx made with python-docx; a tuple is one paragraph typed in several runs."""
    document = Document()
    for paragraph in paragraphs:
        target = document.add_paragraph()
        for piece in (paragraph,) if isinstance(paragraph, str) else paragraph:
            target.add_run(piece)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_typographic_quotes_in_a_condition_are_accepted_and_filled(tmp_path):
    """Word's „…” and “…” inside {% if %} are read as plain quotes; outside tags they stay."""
    data_dir = tmp_path / "p"
    ok(data_dir, "init", "--office", "CIT", "--advisor", "Jörg Müller")
    cluster = ok(data_dir, "add", "cluster", "name_pl=Klaster Test", "country=PL").strip()
    plan = ok(data_dir, "add", "action_plan", f"cluster_id={cluster}", "title=Plan A").strip()
    template = tmp_path / "quotes.docx"
    template.write_bytes(_word_template(
        "{% if action_plan.title == „Plan A” %}Tytuł „{{ action_plan.title }}” zgodny"
        "{% else %}Inny{% endif %}",
        # Split in runs as Word stores it, with “…” and a German »…« and an apostrophe kept.
        ("{% if action_plan.title != “Plan", " B” and action_plan.title != »Müller’s« %}",
         "Nie B{% endif %}"),
    ))
    out = ok(tmp_path / "none", "--lang", "pl", "template", "check", str(template),
             "--kind", "action-plan")
    assert "Szablonu można używać" in out or "can be used" in out
    repaired = [line for line in out.splitlines() if "„…”" in line]
    assert len(repaired) == 2 and "„Plan A”" in repaired[0], out
    ok(data_dir, "template", "load", str(template), "--kind", "action-plan", "--lang", "pl")
    output = tmp_path / "plan.docx"
    ok(data_dir, "doc", "action-plan", plan, "--lang", "pl", "-o", str(output))
    texts = [p.text for p in Document(io.BytesIO(output.read_bytes())).paragraphs]
    assert "Tytuł „Plan A” zgodny" in texts and "Nie B" in texts, texts


@pytest.mark.parametrize(("code", "wanted"), [
    ("{% if action_plan.title == „a” b %}x{% endif %}", "b"),
    ("{% iff action_plan.title %}x{% endif %}", "iff"),
    ("{{ action_plan.title == }}", None),
    ('{{ "abc }}', '{{ "abc }}'),
])
def test_a_syntax_error_is_explained_in_the_interface_language(code, wanted, tmp_path):
    """Never jinja's English: the Polish check says what is wrong, in Polish."""
    template = tmp_path / "broken.docx"
    template.write_bytes(_word_template("Cele planu", code))
    for language in ("pl", "de"):
        result = run(tmp_path / "none", "--lang", language, "template", "check",
                     str(template), "--kind", "action-plan")
        assert result.returncode == 1
        errors = [line for line in result.stdout.splitlines() if line.startswith(
            ("Błąd", "Fehler"))]
        assert len(errors) == 1, result.stdout
        if "„a”" in code:  # the place is quoted as Word shows it, typographic quotes kept
            assert "„a” b %}" in errors[0], errors[0]
        message = errors[0].rsplit("”: ", 1)[-1].rsplit("“: ", 1)[-1]
        assert wanted is None or f"„{wanted}" in message, message
        assert message != check.inspect_template(template.read_bytes(), kind="action-plan"
                                                 ).errors[0].message  # not the English text
        for english in ("unexpected", "expected token", "Encountered", "end of", "got "):
            assert english not in errors[0], errors[0]


def test_an_exported_template_carries_a_legend_the_check_and_the_documents_leave_out(tmp_path):
    """template export adds a last page listing the fields; check ignores it, filling drops it."""
    from euregionet_desktop.documents.legend import LEGEND_TAG

    template = tmp_path / "plan.docx"
    ok(tmp_path / "none", "--lang", "pl", "template", "export", "action-plan", "-o",
       str(template))
    data = template.read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert LEGEND_TAG in xml and "{{ action_plan.title }}" in xml
    assert "{% for m in measures %}" in xml and "Program mentoringowy" in xml
    plain = check.inspect_template(defaults.default_template("action-plan", "pl"),
                                   kind="action-plan")
    report = check.inspect_template(data, kind="action-plan")
    assert report.ok and report.placeholders == plain.placeholders
    assert report.findings == plain.findings
    # Exported again, the legend is replaced, not added twice.
    again = tmp_path / "again.docx"
    ok(tmp_path / "none", "template", "check", str(template))
    data_dir = tmp_path / "p"
    ok(data_dir, "init", "--office", "CIT", "--advisor", "Jörg Müller")
    cluster = ok(data_dir, "add", "cluster", "name_pl=Klaster Test", "country=PL").strip()
    plan = ok(data_dir, "add", "action_plan", f"cluster_id={cluster}", "title=Plan A").strip()
    ok(data_dir, "template", "load", str(template), "--kind", "action-plan", "--lang", "pl")
    ok(data_dir, "template", "export", "action-plan", "--active", "-o", str(again))
    assert zipfile.ZipFile(again).read("word/document.xml").decode().count(LEGEND_TAG) == 1
    output = tmp_path / "out.docx"
    ok(data_dir, "doc", "action-plan", plan, "--lang", "pl", "-o", str(output))
    filled = zipfile.ZipFile(output).read("word/document.xml").decode()
    assert "Plan A" in filled
    assert LEGEND_TAG not in filled and "{{" not in filled and "Program mentoringowy" not in filled
