"""services.installation_office: what a correction of the office moves, and what it leaves."""

from __future__ import annotations

from euregionet_desktop.domain.programme import OFFICES
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, partners, records
from euregionet_desktop.services.installation_office import change_office, office_correction
from euregionet_desktop.services.profile import initialise, open_profile, profile_info

OFFICE_ID = {office.code: office.id for office in OFFICES}


def _office_of(core, entity, record_id):
    return core.backend.read(records.get, entity=entity, record_id=record_id).values["office_id"]


def test_a_correction_moves_what_was_recorded_here_and_leaves_a_partners_record(tmp_path, core,
                                                                                 add):
    """A LOP laptop imported a CIT bundle with a cluster CIT filed under LOP; the laptop's
    own cluster and advisor move to SNB, the partner's cluster stays with LOP, and a
    correction back to LOP is allowed (nothing exported yet)."""
    cit = open_profile(Profile(tmp_path / "cit"), purpose="pytest")
    try:
        cit.backend.run(initialise, office="CIT", advisor_name="Jens Schulz")
        keys = cit.backend.read(partners.own_public_keys, profile=cit.profile)
        core.backend.run(partners.trust, partner=keys)
        cit.backend.run(partners.trust, partner=core.backend.read(
            partners.own_public_keys, profile=core.profile))
        theirs = cit.backend.run(records.create, entity="cluster", values={
            "name_pl": "Klaster partnera", "country": "PL",
            "office_id": OFFICE_ID["LOP"]}).record_id
        path = tmp_path / "cit.zip"
        cit.backend.run(bundle_export.export_bundle, profile=cit.profile, to_office="LOP",
                        path=path)
        core.backend.run(bundle_import.import_bundle, profile=core.profile,
                         data=path.read_bytes())
    finally:
        cit.close()
    ours = add("cluster", name_pl="Klaster nasz", country="PL")
    assert _office_of(core, "cluster", ours) == OFFICE_ID["LOP"]
    assert core.backend.read(office_correction).refusal is None  # an import is no export

    changes = core.backend.run(change_office, office="snb")
    info = core.backend.read(profile_info)
    assert info.office_code == "SNB"
    assert _office_of(core, "cluster", ours) == OFFICE_ID["SNB"]
    assert _office_of(core, "advisor", info.advisor_id) == OFFICE_ID["SNB"]
    assert _office_of(core, "cluster", theirs) == OFFICE_ID["LOP"]
    assert {"installation", "advisor", "cluster"} <= changes.entities
    assert changes.undo is None  # a correction, not an edit to take back

    core.backend.run(change_office, office="LOP")
    assert _office_of(core, "cluster", ours) == OFFICE_ID["LOP"]
    assert core.backend.read(profile_info).office_code == "LOP"
