"""The render worker: sandboxed docxtpl in a child process bounded in time and memory."""

from __future__ import annotations

import io

import docx
import pytest

from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.errors import TemplateError

VERBATIM = "& < > \" ' ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ äöüß ẞ 🚀 {{ not code }}"


def template(*paragraphs: str, title: str | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if title is not None:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def worker():
    started = RenderWorker(time_limit=5, memory_limit=600 * 1024 * 1024)
    yield started
    started.close()


def test_data_comes_out_verbatim_in_body_and_properties(worker):
    """Markup characters, Polish and German letters and an emoji are text, never XML or code."""
    out = docx.Document(io.BytesIO(worker.render(
        template("{{ a.b }}", title="{{ a.b }}"), {"a": {"b": VERBATIM}})))
    assert out.paragraphs[0].text == VERBATIM
    assert out.core_properties.title == VERBATIM


def test_python_internals_are_out_of_reach(worker):
    """The sandbox refuses attribute access to internals, with a message naming it."""
    with pytest.raises(TemplateError, match="may not use"):
        worker.render(template("{{ a.__class__.__mro__ }}"), {"a": "x"})


def test_a_missing_field_is_an_error_not_an_empty_string(worker):
    """StrictUndefined: a misspelt field stops the document instead of leaving a blank."""
    with pytest.raises(TemplateError, match="does not have"):
        worker.render(template("{{ a.missing }}"), {"a": {}})


def test_a_runaway_loop_is_stopped_at_the_time_limit_and_the_worker_restarts():
    """A loop that never ends is killed; the next document gets a fresh worker."""
    worker = RenderWorker(time_limit=1.5)
    try:
        loops = "".join("{% for i" + str(n) + " in items %}" for n in range(12))
        with pytest.raises(TemplateError, match="longer than 2 seconds"):
            worker.render(template(loops + "{% if i0 %}{% endif %}" + "{% endfor %}" * 12),
                          {"items": list(range(50))})
        assert docx.Document(io.BytesIO(worker.render(template("{{ x }}"), {"x": "again"}))
                             ).paragraphs[0].text == "again"
    finally:
        worker.close()


def test_a_template_that_grows_without_bound_hits_the_memory_limit(worker):
    """300 MB of text in a 600 MB worker: stopped with a memory message, then usable again."""
    with pytest.raises(TemplateError, match="more memory"):
        worker.render(template("{% for a in items %}{{ big }}{% endfor %}"),
                      {"items": list(range(3000)), "big": "x" * 100_000})
    assert docx.Document(io.BytesIO(worker.render(template("{{ x }}"), {"x": "ok"}))
                         ).paragraphs[0].text == "ok"
