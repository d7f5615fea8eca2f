"""Issue 20, done when 2: every default template, in every language, prints the programme's
name and the co-financing statement set in the programme's settings, and a changed
statement is printed by the next document. Over documents.schema.KINDS and
DOCUMENT_LANGUAGES, so every kind added later is covered too."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS, RECORD_ENTITY
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import demo, documents, records
from euregionet_desktop.services import programme as settings
from euregionet_desktop.services.profile import initialise, open_profile
from tests.images import png


def _text(data: bytes) -> str:
    """All text of a document: body, tables, and every header and footer."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        for block in (section.header, section.footer, section.first_page_header,
                      section.first_page_footer):
            parts += [p.text for p in block.paragraphs]
            parts += [c.text for t in block.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _pictures(data: bytes) -> list[tuple[str, str]]:
    """The sizes of the pictures in the first section's header."""
    header = Document(io.BytesIO(data)).sections[0].header._element
    return [(e.get("cx"), e.get("cy")) for e in header.iter(qn("wp:extent"))]


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory):
    """A LOP profile with demo data, a record for each kind, and one render worker."""
    root = tmp_path_factory.mktemp("programme-documents")
    core = open_profile(Profile(root / "profile"), purpose="pytest")
    worker = RenderWorker()
    try:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        core.backend.run(demo.generate, contacts=40)
        ids = {}
        for kind in KINDS:
            entity = RECORD_ENTITY[kind]
            if entity is None:
                ids[kind] = None
                continue
            found = core.backend.read(records.list_ids, entity=entity)
            assert found, f"the demo data has no {entity} to make a {kind} from"
            ids[kind] = found[0]
        yield core, ids, worker, root
    finally:
        worker.close()
        core.close()


def _every_document(core, ids, worker) -> dict[tuple[str, str], bytes]:
    return {(kind, language): core.backend.read(
        documents.render_document, profile=core.profile, kind=kind, record_id=ids[kind],
        language=language, worker=worker)
        for kind in KINDS for language in DOCUMENT_LANGUAGES}


def _sides(language: str) -> tuple[str, ...]:
    return ("pl", "de") if language == "pl+de" else (language,)


def test_every_template_prints_the_programme_and_the_statement_set(demo_profile):
    """Seeded: every kind × language prints the programme's name and the statement in its
    languages; changed with the service, the next documents print the new statement (and
    no longer the old one)."""
    core, ids, worker, _root = demo_profile
    seeded = core.backend.read(settings.programme_settings).values
    for (kind, language), data in _every_document(core, ids, worker).items():
        text = _text(data)
        for side in _sides(language):
            assert seeded[f"programme_name_{side}"] in text, (kind, language, side)
            assert seeded[f"cofinancing_{side}"] in text, (kind, language, side)
        assert _pictures(data) == [], (kind, language)  # no logo set: no picture

    new = {"pl": "Projekt współfinansowany ze środków UE – nowe brzmienie.",
           "de": "Das Projekt wird von der EU kofinanziert – neue Fassung."}
    core.backend.run(settings.update_programme, profile=core.profile,
                     values={"cofinancing_pl": new["pl"], "cofinancing_de": new["de"],
                             "programme_name_de": "Interreg Brandenburg–Polen (geändert)"})
    for (kind, language), data in _every_document(core, ids, worker).items():
        text = _text(data)
        for side in _sides(language):
            assert new[side] in text, (kind, language, side)
            assert seeded[f"cofinancing_{side}"] not in text, (kind, language, side)
        if "de" in _sides(language):
            assert "Interreg Brandenburg–Polen (geändert)" in text, (kind, language)


def test_the_logos_are_printed_at_equal_height_once_set(demo_profile):
    """Both logos set: each document's header holds two pictures of the same height (the
    wider logo wider); one removed, one picture; both removed, none."""
    core, ids, worker, root = demo_profile
    emblem, logo = root / "emblem.png", root / "logo.png"
    emblem.write_bytes(png(60, 40))
    logo.write_bytes(png(180, 40, (0, 110, 60)))
    core.backend.run(settings.update_programme, profile=core.profile, values={},
                     logos={"eu-emblem": emblem, "programme-logo": logo})
    for language in DOCUMENT_LANGUAGES:
        for kind in KINDS:
            data = core.backend.read(documents.render_document, profile=core.profile,
                                     kind=kind, record_id=ids[kind], language=language,
                                     worker=worker)
            pictures = _pictures(data)
            assert len(pictures) == 2, (kind, language)
            (emblem_cx, emblem_cy), (logo_cx, logo_cy) = pictures
            assert emblem_cy == logo_cy and int(logo_cx) == 3 * int(emblem_cx), \
                (kind, language, pictures)
    core.backend.run(settings.update_programme, profile=core.profile, values={},
                     logos={"eu-emblem": None})
    data = core.backend.read(documents.render_document, profile=core.profile,
                             kind="directory", record_id=None, language="pl", worker=worker)
    assert len(_pictures(data)) == 1
    assert core.backend.read(settings.programme_settings).eu_emblem is None
