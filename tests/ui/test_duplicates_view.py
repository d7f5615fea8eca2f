"""Duplicates in the window, driven as a person does (issue 17): the warning while a NIP is
typed, the Duplicates view's "Not a duplicate" with Undo, and a merge with one field chosen by
hand, undone with one Undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QPushButton, QRadioButton
from ui_helpers import choose, in_modal, show_view, type_into

from euregionet_desktop.errors import NotFoundError
from euregionet_desktop.services import records
from euregionet_desktop.ui.duplicates_view import PAIR_ROLE
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.merge_dialog import MergeDialog
from euregionet_desktop.ui.record_dialog import RecordDialog

STORED = "Odrzańskie Zakłady Metalowe Sp. z o.o."


@pytest.fixture
def firms(core, add):
    """A firm with a NIP, and a pair of near-duplicates one of which has a consultation."""
    return {
        "odra": add("organisation", name=STORED, country="PL", city="Gorzów Wlkp.",
                    nip="5990002005"),
        "drewno": add("organisation", name="Lubuskie Centrum Drewna Sp. z o.o.", country="PL",
                      city="Zielona Góra", website="https://drewno-lubuskie.pl"),
        "drewno2": add("organisation", name="LUBUSKIE CENTRUM DREWNA", country="PL",
                       city="Zielona Gora", website="http://www.drewno-lubuskie.pl/kontakt"),
    }


@pytest.fixture
def window(qtbot, core, firms, add, english, crash_fails):
    firms["consultation"] = add("consultation", held_at="2026-11-20T10:00",
                                organisation_id=firms["drewno2"], subject="Wood fair")
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def _get(core, entity, record_id):
    return core.backend.read(records.get, entity=entity, record_id=record_id)


def _organisations(core):
    return core.backend.read(records.list_page, entity="organisation").rows


def _show_duplicates(qtbot, window):
    return show_view(qtbot, window, window.duplicates)


def _pairs(view):
    return [set(pair.ids) for pair in view.pairs]


def test_typed_nip_warns_and_saving_anyway_works(qtbot, window, core, firms):
    """A NIP typed in another spelling names the stored firm under the NIP field, with a
    link; the new firm is saved anyway; the form of the stored firm never warns about
    itself."""
    window.go_to(window.views.index(window.lists["organisation"]))

    def fill(dialog: RecordDialog) -> None:
        hint = dialog.form.hints["nip"]
        assert not hint.isVisible()
        type_into(qtbot, dialog.form, "name", "Metal Odra")
        choose(dialog.form, "country", "PL")
        type_into(qtbot, dialog.form, "nip", "PL 599-000-20-05")
        qtbot.waitUntil(hint.isVisible, timeout=3000)
        assert "Possibly the same as" in hint.text()
        assert STORED in hint.text() and "NIP" in hint.text()
        assert f'href="organisation:{firms["odra"]}"' in hint.text()
        # The link opens the stored firm's own form over this one.
        opened: list[str] = []
        in_modal(qtbot, lambda: hint.linkActivated.emit(f"organisation:{firms['odra']}"),
                 lambda other: opened.append(other.windowTitle()))
        assert len(opened) == 1 and STORED in opened[0]
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()

    in_modal(qtbot, window.new_action.trigger, fill)
    same_nip = [o for o in _organisations(core) if o.values["nip"] == "5990002005"]
    assert sorted(o.values["name"] for o in same_nip) == ["Metal Odra", STORED]

    # Editing the stored firm: typing its own NIP again names the new one, never itself.
    view = window.lists["organisation"]
    assert view.select_record(firms["odra"])

    def edit(dialog: RecordDialog) -> None:
        type_into(qtbot, dialog.form, "nip", "5990002005")
        with qtbot.waitSignal(dialog.duplicate_hints.checked, timeout=3000):
            pass
        assert [hit.id for hit in dialog.duplicate_hints.hits] != []
        assert firms["odra"] not in {hit.id for hit in dialog.duplicate_hints.hits}
        assert "Metal Odra" in dialog.form.hints["nip"].text()

    in_modal(qtbot, window.edit_action.trigger, edit)


def test_not_a_duplicate_hides_the_pair_and_undo_brings_it_back(qtbot, window, core, firms):
    view = _show_duplicates(qtbot, window)
    pair = {firms["drewno"], firms["drewno2"]}
    assert pair in _pairs(view)
    assert view.select_pair(*pair)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(view.distinct_button, Qt.MouseButton.LeftButton)
    assert pair not in _pairs(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        window.undo_action.trigger()
    assert pair in _pairs(view)


def test_merge_with_a_field_chosen_and_one_undo(qtbot, window, core, firms):
    """Keep the firm without the consultation, take the other's city; the consultation
    then refers to the firm kept; one Undo brings both firms and the reference back."""
    keep, other = firms["drewno"], firms["drewno2"]
    organisations = window.lists["organisation"]

    def listed() -> set[str]:
        model = organisations.model
        return {model.record_id(row) for row in range(model.rowCount())}

    window.go_to(window.views.index(organisations))
    qtbot.waitUntil(lambda: {keep, other} <= listed(), timeout=3000)
    view = _show_duplicates(qtbot, window)
    assert view.select_pair(keep, other)
    shown: dict[str, object] = {}

    def merge(dialog: MergeDialog) -> None:
        assert dialog.objectName() == "mergeDialog"
        column = dialog.ids.index(keep)
        # By default the firm with the consultation is kept (fewer references to move).
        assert dialog.survivor_id() == other
        qtbot.mouseClick(dialog.findChild(QRadioButton, f"mergeKeep{column}"),
                         Qt.MouseButton.LeftButton)
        assert dialog.survivor_id() == keep
        assert "1 record that refers to it" in dialog.summary.text()
        other_city = dialog.findChild(QRadioButton, f"take_city_{dialog.ids.index(other)}")
        qtbot.mouseClick(other_city, Qt.MouseButton.LeftButton)
        shown["take"] = dialog.take()
        button = dialog.findChild(QPushButton, "mergeButton")
        with qtbot.waitSignal(view.loaded, timeout=5000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted

    in_modal(qtbot, view.merge_button.click, merge)
    qtbot.waitUntil(lambda: other not in listed() and keep in listed(), timeout=3000)
    assert shown["take"]["city"] == other
    assert {keep, other} not in _pairs(view)
    firm = _get(core, "organisation", keep)
    assert firm.values["city"] == "Zielona Gora"
    with pytest.raises(NotFoundError):
        _get(core, "organisation", other)
    assert _get(core, "consultation", firms["consultation"]).values["organisation_id"] == keep
    # The firm kept shows the merge in its History: the firm merged into it, then itself.
    window.go_to(window.views.index(organisations))
    qtbot.waitUntil(lambda: organisations.select_record(keep), timeout=3000)
    detail = organisations.detail
    with qtbot.waitSignal(detail.history_shown, timeout=5000):
        detail.tabs.setCurrentIndex(detail.history_index)
    rows = [[detail.history.topLevelItem(i).text(c) for c in (1, 2, 3)]
            for i in range(detail.history.topLevelItemCount())]
    # (the newer name was taken, so both read alike now)
    assert rows[0] == ["Merged", "LUBUSKIE CENTRUM DREWNA", firm.values["name"]]

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: {keep, other} <= listed(), timeout=3000)
    assert _get(core, "organisation", keep).values["city"] == "Zielona Góra"
    assert _get(core, "organisation", other).values["name"] == "LUBUSKIE CENTRUM DREWNA"
    assert _get(core, "consultation", firms["consultation"]).values[
        "organisation_id"] == other
    assert window.runner.history.next_undo() is None


def test_a_name_in_the_duplicates_view_opens_that_record(qtbot, window, firms):
    """Double-clicking a record's name shows it selected in its list."""
    view = _show_duplicates(qtbot, window)
    assert view.select_pair(firms["drewno"], firms["drewno2"])
    item = view.tree.currentItem()
    column = 1 + list(item.data(0, PAIR_ROLE).ids).index(firms["drewno2"])
    rect = view.tree.visualItemRect(item)
    x = view.tree.header().sectionViewportPosition(column) + 10
    where = QPoint(x, rect.center().y())
    # A double click is a press and a release, then the second press (what Qt's views
    # expect before they take it as a double click).
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    organisations = window.lists["organisation"]
    assert window.stack.currentWidget() is organisations
    assert organisations.current_id() == firms["drewno2"]


def test_merge_keeps_the_older_record_when_as_many_refer_to_each(qtbot, window, core, firms,
                                                                  add):
    """Nothing refers to either firm: the one entered first is kept unless chosen otherwise;
    Cancel merges nothing."""
    # Entered in a later second (a record's time of entry is kept to the second).
    entered = _get(core, "organisation", firms["odra"]).created_at
    qtbot.waitUntil(lambda: records.now_iso() > entered, timeout=2000)
    newer = add("organisation", name="ODRZANSKIE ZAKLADY METALOWE", country="PL",
                vat_id="PL5990002005")
    view = _show_duplicates(qtbot, window)
    assert view.select_pair(firms["odra"], newer)
    kept: list[str] = []
    in_modal(qtbot, view.merge_button.click,
             lambda dialog: (kept.append(dialog.survivor_id()),
                             dialog.findChild(QPushButton, "mergeButton").isEnabled()))
    assert kept == [firms["odra"]]
    assert _get(core, "organisation", newer).values["vat_id"] == "PL5990002005"
    assert {firms["odra"], newer} in _pairs(view)


def test_a_contacts_e_mail_in_other_letters_warns_under_the_e_mail(qtbot, window, add):
    """The same e-mail in capitals names the stored person under the E-mail field; a new
    e-mail clears the line again."""
    add("contact", first_name="Agnieszka", last_name="Wróblewska",
        email="a.wroblewska@ozm-gorzow.pl")
    window.go_to(window.views.index(window.lists["contact"]))

    def fill(dialog: RecordDialog) -> None:
        hint = dialog.form.hints["email"]
        type_into(qtbot, dialog.form, "last_name", "Nowak")
        type_into(qtbot, dialog.form, "email", "A.Wroblewska@OZM-Gorzow.pl")
        qtbot.waitUntil(hint.isVisible, timeout=3000)
        assert "Agnieszka Wróblewska" in hint.text()
        type_into(qtbot, dialog.form, "email", "jan.nowak@example.org")
        qtbot.waitUntil(lambda: not hint.isVisible(), timeout=3000)

    in_modal(qtbot, window.new_action.trigger, fill)


def test_three_firms_with_one_nip_are_merged_at_once(qtbot, window, core, firms, add):
    """Three records share a NIP: "Merge all 3 of them…" shows the three side by side and
    one merge leaves one firm, with the consultation of the third; one Undo, all three."""
    third = add("organisation", name="Odrzańskie Zakłady Metalowe", country="PL",
                nip="PL 599-000-20-05")
    fourth = add("organisation", name="OZM", country="PL", nip="599-000-20-05")
    consultation = add("consultation", held_at="2026-11-21T10:00", organisation_id=fourth)
    view = _show_duplicates(qtbot, window)
    assert view.select_pair(firms["odra"], third)
    chosen = list(view.tree.currentItem().data(0, PAIR_ROLE).ids)
    group = view.merge_group_button
    assert group.isVisible() and group.text() == "Merge &all 3 of them…"
    seen: list[list[str]] = []

    def merge(dialog: MergeDialog) -> None:
        seen.append(list(dialog.ids))
        with qtbot.waitSignal(view.loaded, timeout=5000):
            qtbot.mouseClick(dialog.findChild(QPushButton, "mergeButton"),
                             Qt.MouseButton.LeftButton)

    in_modal(qtbot, group.click, merge)
    assert sorted(seen[0]) == sorted([firms["odra"], third, fourth])
    assert seen[0][:2] == chosen  # the pair chosen first
    live = {r.id for r in _organisations(core)}
    survivors = live & {firms["odra"], third, fourth}
    assert len(survivors) == 1
    survivor = survivors.pop()
    assert _get(core, "consultation", consultation).values["organisation_id"] == survivor
    assert not any({firms["odra"], third} <= set(p.group) for p in view.pairs)

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: {firms["odra"], third, fourth} <= {
        r.id for r in _organisations(core)}, timeout=3000)
    assert _get(core, "consultation", consultation).values["organisation_id"] == fourth
