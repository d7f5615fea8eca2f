"""The indicator report's file parts (services.indicator_report, interchange.writing): the
programme's identity on the report, sheet names Excel accepts, a file written whole or not."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from python_calamine import CalamineWorkbook

from euregionet_desktop.domain.programme import PROGRAMME_ID
from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.interchange.writing import Sheet, unique_sheet_names, write_workbook
from euregionet_desktop.services.indicator_report import indicator_report
from euregionet_desktop.services.records import update_record


def _identity(session) -> None:
    """The programme's settings as an office typed them (the seeded record, edited)."""
    update_record(session, entity="programme", record_id=PROGRAMME_ID, values={
        "programme_name_pl": "Interreg V A Brandenburgia–Polska 2014–2020",
        "programme_name_de": "Interreg V A Brandenburg–Polen 2014–2020",
        "project_name_pl": "Sieć klastrów EuRegioNet", "project_number": "85029892",
        "cofinancing_pl": "Projekt współfinansowany ze środków EFRR.",
        "cofinancing_de": "Das Projekt wird aus Mitteln des EFRE kofinanziert."})


def test_word_report_prints_the_programmes_identity(core, tmp_path):
    """The programme's name heads every page, the project and its number stand under the
    title, and both co-financing statements close a pl+de report."""
    core.backend.run(_identity)
    path = tmp_path / "r.docx"
    result = core.backend.read(indicator_report, path=path, language="pl+de")
    assert result.indicators == 11
    document = docx.Document(str(path))
    header = " ".join(cell.text for table in document.sections[0].header.tables
                      for cell in table._cells)
    assert "Interreg V A Brandenburgia–Polska 2014–2020" in header
    body = [p.text for p in document.paragraphs]
    # Said the same way in both languages: once.
    assert "Projekt: Sieć klastrów EuRegioNet (85029892)" in body
    assert body.index("Projekt współfinansowany ze środków EFRR.") < body.index(
        "Das Projekt wird aus Mitteln des EFRE kofinanziert.")


def test_spreadsheet_names_the_programme_in_each_sheet(core, tmp_path):
    """Each sheet of the XLSX opens with the programme's name in the report's language."""
    core.backend.run(_identity)
    path = tmp_path / "r.xlsx"
    core.backend.read(indicator_report, path=path, language="de")
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names[0] == "Zusammenfassung"
    for name in workbook.sheet_names:
        assert workbook.get_sheet_by_name(name).to_python()[1][0] == \
            "Interreg V A Brandenburg–Polen 2014–2020"


def test_sheet_names_are_valid_and_unique():
    """At most 31 characters, none of []:*?/\\, none twice regardless of case."""
    names = unique_sheet_names(["Summary", "Partner meetings / project council",
                                "summary", "A [draft]: what?", "x" * 40, "x" * 40, ""])
    assert names[0] == "Summary" and names[2] == "summary (2)"
    assert names[1] == "Partner meetings - project"
    assert names[3] == "A -draft-- what-"
    assert names[4] == "x" * 31 and names[5] == "x" * 27 + " (2)"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_workbook_is_written_whole_or_not_at_all(tmp_path):
    """A cell that cannot be written leaves no file and no temporary file behind."""
    path = tmp_path / "r.xlsx"
    good = Sheet("One", ["Title"], ["A", "B"], [["x", dt.date(2019, 5, 1)]])
    with pytest.raises(TypeError):
        write_workbook(path, [good, Sheet("Two", [], ["A"], [[object()]])])
    assert list(tmp_path.iterdir()) == []
    write_workbook(path, [good])
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("One").to_python()
    assert rows[2] == ["A", "B"] and rows[3] == ["x", dt.date(2019, 5, 1)]


def test_unknown_office_is_refused_before_writing(core, tmp_path):
    """The office is checked against the partner offices; no file is written."""
    with pytest.raises(UserFacingError, match="XYZ"):
        core.backend.read(indicator_report, path=tmp_path / "r.xlsx", office="XYZ")
    assert list(tmp_path.iterdir()) == [tmp_path / "profile"]
