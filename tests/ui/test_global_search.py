"""The toolbar's global search: grouped hits as the person types, keyboard and mouse."""

import pytest
from PySide6.QtCore import Qt

from euregionet_desktop.services.search_groups import grouped_search
from euregionet_desktop.ui.global_search import (
    ENTITY_ROLE,
    IS_HEADER_ROLE,
    RECORD_ID_ROLE,
    GlobalSearch,
    SearchResultsModel,
)
from euregionet_desktop.ui.op_runner import OpRunner


@pytest.fixture
def records(add):
    """A contact, a cluster and two organisations with Polish and German letters."""
    return {
        "jan": add("contact", first_name="Jan", last_name="Kozłowski"),
        "anna": add("contact", first_name="Anna", last_name="Kozłowska"),
        "lodz": add("cluster", name_pl="Klaster Łódź", country="PL", kind="cluster"),
        "mueller": add("organisation", name="Müller GmbH", country="DE"),
        "kozlowski_org": add("organisation", name="Kozłowski sp. z o.o.", country="PL"),
    }


@pytest.fixture
def search(qtbot, core):
    widget = GlobalSearch(OpRunner(core.backend))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _rows(model):
    """(text, entity, record id, is header) of every row."""
    return [(model.index(r).data(), model.index(r).data(ENTITY_ROLE),
             model.index(r).data(RECORD_ID_ROLE), model.index(r).data(IS_HEADER_ROLE))
            for r in range(model.rowCount())]


def _type(qtbot, search, text):
    qtbot.keyClicks(search.edit, text)
    qtbot.waitUntil(lambda: search.popup.isVisible() and search.model.query == text)


def test_typing_shows_the_contact_under_the_contact_header(qtbot, search, records):
    """Typing 'kozl' lists both contacts under 'Contact persons (2)', after the organisation."""
    _type(qtbot, search, "kozl")
    rows = _rows(search.model)
    headers = [text for text, _entity, _id, is_header in rows if is_header]
    assert headers == ["Organisations (1)", "Contact persons (2)"]
    contact_header = [r[0] for r in rows].index("Contact persons (2)")
    under_contacts = {record_id for _text, _entity, record_id, _h in rows[contact_header + 1:]}
    assert under_contacts == {records["jan"], records["anna"]}
    assert ("Jan Kozłowski", "contact", records["jan"], False) in rows


def test_german_spelling_finds_umlaut(qtbot, search, records):
    """'mueller' finds Müller GmbH."""
    _type(qtbot, search, "mueller")
    assert _rows(search.model) == [
        ("Organisations (1)", "organisation", None, True),
        ("Müller GmbH", "organisation", records["mueller"], False),
    ]


def test_enter_opens_the_first_hit(qtbot, search, records):
    """Enter emits open_record with the hit's kind and id and closes the popup."""
    _type(qtbot, search, "lodz")
    with qtbot.waitSignal(search.open_record, timeout=1000) as opened:
        qtbot.keyClick(search.edit, Qt.Key.Key_Return)
    assert opened.args == ["cluster", records["lodz"]]
    assert not search.popup.isVisible()


def test_enter_before_the_debounce_searches_at_once(qtbot, search, records):
    """Enter typed faster than the debounce still opens what the text finds."""
    search.edit.setText("mueller")
    with qtbot.waitSignal(search.open_record, timeout=1000) as opened:
        qtbot.keyClick(search.edit, Qt.Key.Key_Enter)
    assert opened.args == ["organisation", records["mueller"]]


def test_down_then_enter_opens_the_second_hit_skipping_headers(qtbot, search, records):
    """Down moves past the 'Contact persons' header to the second hit; Enter opens it."""
    _type(qtbot, search, "kozl")
    hits = [(entity, record_id) for _t, entity, record_id, is_header in _rows(search.model)
            if not is_header]
    assert hits[0] == ("organisation", records["kozlowski_org"])
    qtbot.keyClick(search.edit, Qt.Key.Key_Down)
    assert search.popup.view.currentIndex().data(IS_HEADER_ROLE) is False
    with qtbot.waitSignal(search.open_record, timeout=1000) as opened:
        qtbot.keyClick(search.edit, Qt.Key.Key_Return)
    assert tuple(opened.args) == hits[1]
    assert hits[1][0] == "contact"


def test_up_from_the_first_hit_wraps_to_the_last(qtbot, search, records):
    """Up on the first hit selects the last one."""
    _type(qtbot, search, "kozl")
    qtbot.keyClick(search.edit, Qt.Key.Key_Up)
    last = search.model.rowCount() - 1
    assert search.popup.view.currentIndex().row() == last


def test_clicking_a_hit_opens_it(qtbot, search, records):
    """A click on a hit emits open_record for it."""
    _type(qtbot, search, "mueller")
    view = search.popup.view
    rect = view.visualRect(search.model.index(1))
    with qtbot.waitSignal(search.open_record, timeout=1000) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["organisation", records["mueller"]]


def test_clicking_a_header_opens_nothing(qtbot, search, records):
    """Headers are not hits: a click on one keeps the popup and emits nothing."""
    _type(qtbot, search, "mueller")
    view = search.popup.view
    with qtbot.assertNotEmitted(search.open_record):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(search.model.index(0)).center())
    assert search.popup.isVisible()


def test_escape_closes_then_clears(qtbot, search, records):
    """The first Escape closes the popup and keeps the text; the second clears the field."""
    _type(qtbot, search, "kozl")
    qtbot.keyClick(search.edit, Qt.Key.Key_Escape)
    assert not search.popup.isVisible()
    assert search.edit.text() == "kozl"
    qtbot.keyClick(search.edit, Qt.Key.Key_Down)  # Down brings the results back
    assert search.popup.isVisible()
    qtbot.keyClick(search.edit, Qt.Key.Key_Escape)
    qtbot.keyClick(search.edit, Qt.Key.Key_Escape)
    assert search.edit.text() == ""
    assert search.model.rowCount() == 0


def test_nothing_found_shows_the_empty_state(qtbot, search, records):
    """A query without matches shows one unselectable row, and Enter opens nothing."""
    _type(qtbot, search, "zzyzx")
    assert _rows(search.model) == [("No matches for “zzyzx”.", None, None, False)]
    assert not search.model.flags(search.model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    with qtbot.assertNotEmitted(search.open_record):
        qtbot.keyClick(search.edit, Qt.Key.Key_Return)


def test_clearing_the_field_closes_the_popup(qtbot, search, records):
    """Deleting the text hides the results."""
    _type(qtbot, search, "kozl")
    search.edit.clear()
    assert not search.popup.isVisible()
    assert search.model.rowCount() == 0


def test_focus_search_selects_the_text(qtbot, search):
    """focus_search puts the cursor in the field with everything selected."""
    search.edit.setText("Klaster")
    search.edit.deselect()
    search.focus_search()
    qtbot.waitUntil(search.edit.hasFocus)
    assert search.edit.selectedText() == "Klaster"


def test_group_header_counts_more_hits_than_it_shows(core, add):
    """A kind with more matches than fit shows eight and counts them all."""
    for n in range(11):
        add("contact", first_name=f"Jan{n}", last_name="Nowak")
    (group,) = core.backend.read(grouped_search, text="nowak", per_kind=8)
    assert (group.entity, group.total, len(group.hits)) == ("contact", 11, 8)


def test_results_model_keeps_qts_model_contract(qtmodeltester, core, records):
    """The results model passes qtmodeltester empty, filled and after a new query."""
    model = SearchResultsModel()
    qtmodeltester.check(model)
    model.set_results("kozl", core.backend.read(grouped_search, text="kozl"))
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    model.set_results("zzyzx", core.backend.read(grouped_search, text="zzyzx"))
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    model.clear()
    assert model.rowCount() == 0


def test_hit_details_read_as_labels_not_stored_values(core, add):
    """An action plan's status shows as 'Signed', not the stored 'signed'."""
    cluster = add("cluster", name_pl="Klaster Łódź", country="PL", kind="cluster")
    add("action_plan", cluster_id=cluster, title="Plan działań Łódź", status="signed")
    (group,) = core.backend.read(grouped_search, text="plan lodz")
    assert [(hit.label, hit.detail) for hit in group.hits] == [("Plan działań Łódź", "Signed")]
