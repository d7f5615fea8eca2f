"""The office of an installation: chosen on the first run (no default, codes, a warning)
and corrected in the Settings until the first bundle is exported (issue 14, point 2)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from euregionet_desktop.errors import ProfileError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, partners
from euregionet_desktop.services.installation_office import change_office
from euregionet_desktop.services.profile import initialise, open_profile, profile_info
from euregionet_desktop.services.records import list_page
from euregionet_desktop.ui.first_run import FirstRunAnswer, FirstRunDialog
from euregionet_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.usefixtures("english")


def _ok(dialog: FirstRunDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_first_run_has_no_office_until_one_is_chosen(qtbot):
    """Nothing is preselected, OK stays disabled (Enter does nothing), the codes and full
    names are listed, a warning says the choice is tied to the keys; typing LOP picks it."""
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Anna Nowak")
    assert dialog.office.currentIndex() == -1
    assert not _ok(dialog).isEnabled()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    items = [dialog.office.itemText(i) for i in range(dialog.office.count())]
    assert items[1].startswith("LOP — Lubuska Organizacja Pracodawców")
    assert "Gorzów Wielkopolski" in items[1]
    assert [item.split(" ")[0] for item in items] == ["BIC", "LOP", "SNB", "CIT"]
    warning = dialog.findChild(type(dialog.error), "firstRunWarning")
    assert warning.isVisible() and "keys" in warning.text() and "first bundle" in warning.text()

    dialog.office.setFocus()
    qtbot.keyClicks(dialog.office, "LOP")
    assert dialog.office.currentData() == "LOP"
    assert _ok(dialog).isEnabled()
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert dialog.answer() == FirstRunAnswer("LOP", "Anna Nowak", None)


def _partner(tmp_path, core, code: str):
    """A partner installation of ``code`` that trusts ``core``'s key file (made now), and
    is trusted by it."""
    other = open_profile(Profile(tmp_path / code), purpose="pytest")
    other.backend.run(initialise, office=code, advisor_name=f"Advisor {code}")
    mine = core.backend.read(partners.own_public_keys, profile=core.profile)
    theirs = other.backend.read(partners.own_public_keys, profile=other.profile)
    other.backend.run(partners.trust, partner=mine)
    core.backend.run(partners.trust, partner=theirs)
    return other


def _office_page(qtbot, window):
    dialog = SettingsDialog(None, window, runner=window.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.office)
    return dialog.office


def test_office_corrected_in_settings_before_the_first_export(qtbot, window, core, tmp_path):
    """A LOP laptop that belongs to SNB: Settings ▸ Office, type SNB, Change; its advisor
    moves too, the title says so, and a CIT partner imports the first bundle."""
    page = _office_page(qtbot, window)
    assert page.current.text().startswith("LOP — ")
    assert page.office.currentIndex() == -1 and not page.change.isEnabled()
    assert "first bundle" in page.note.text()
    page.office.setFocus()
    qtbot.keyClicks(page.office, "LOP")
    assert not page.change.isEnabled()  # the office it has already
    qtbot.keyClick(page.office, Qt.Key.Key_Down)
    assert page.office.currentData() == "SNB" and page.change.isEnabled()
    qtbot.mouseClick(page.change, Qt.MouseButton.LeftButton)

    info = core.backend.read(profile_info)
    assert info.office_code == "SNB"
    assert page.current.text().startswith("SNB — ")
    assert "SNB" in page.done.text() or "Sprewa" in page.done.text()
    assert "Sprewa-Nysa-Bóbr" in window.windowTitle()
    [advisor] = core.backend.read(list_page, entity="advisor", limit=10, offset=0).rows
    assert advisor.values["office_id"] == info_office_id(core, "SNB")

    cit = _partner(tmp_path, core, "CIT")
    try:
        path = tmp_path / "first.zip"
        core.backend.run(bundle_export.export_bundle, profile=core.profile, to_office="CIT",
                         path=path)
        report = cit.backend.run(bundle_import.import_bundle, profile=cit.profile,
                                 data=path.read_bytes())
        assert report.applied > 0
        installations = {r.id: r.values["office_id"] for r in cit.backend.read(
            list_page, entity="installation", limit=10, offset=0).rows}
        assert installations[info.installation_id] == info_office_id(core, "SNB")
    finally:
        cit.close()


def test_office_refused_in_settings_after_the_first_export(qtbot, window, core, tmp_path):
    """After a bundle has left, the page says why the office cannot change and offers
    nothing; the service refuses too, and nothing changed."""
    cit = _partner(tmp_path, core, "CIT")
    cit.close()
    core.backend.run(bundle_export.export_bundle, profile=core.profile, to_office="CIT",
                     path=tmp_path / "first.zip")
    page = _office_page(qtbot, window)
    assert not page.office.isEnabled() and not page.change.isEnabled()
    assert not page.office.isVisible() and not page.change.isVisible()
    assert "already exported a bundle" in page.note.text()
    with pytest.raises(ProfileError, match="already exported a bundle"):
        core.backend.run(change_office, office="SNB")
    assert core.backend.read(profile_info).office_code == "LOP"


def info_office_id(core, code: str) -> str:
    offices = core.backend.read(list_page, entity="office", limit=10, offset=0).rows
    return next(o.id for o in offices if o.values["code"] == code)
