"""The programme's identity record: seeded everywhere (also into a profile made before it
existed), changed and undone like any record edit, a period's wording on request."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from euregionet_desktop.domain import programme
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import programme as settings
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.services.records import apply_writes
from euregionet_desktop.storage.engine import make_engine
from euregionet_desktop.storage.models import Change, Programme
from tests.schema import downgrade


def test_a_profile_made_before_the_programme_settings_gets_them_when_opened(tmp_path):
    """A profile at 0012 (no programme table) is migrated on open and seeded with the same
    record, id and values, as a new one; the seeding writes nothing to the change log."""
    profile = Profile(tmp_path)
    with open_profile(profile) as core:
        core.backend.run(initialise, office="LOP")
    downgrade(profile.database, "0012")
    engine = make_engine(profile.database)
    assert "programme" not in inspect(engine).get_table_names()
    engine.dispose()

    with open_profile(profile) as core:
        shown = core.backend.read(settings.programme_settings)
        logged = core.backend.read(lambda s: s.execute(
            select(Change.field).where(Change.entity == "programme")).all())
        rows = core.backend.read(lambda s: s.execute(select(Programme.id)).scalars().all())
    assert rows == [programme.PROGRAMME_ID]
    seeded = programme.seeded_programme()
    assert {k: shown.values[k] for k in seeded} == seeded
    assert logged == []


def test_an_edit_is_undone_and_a_period_wording_given_only_when_asked(tmp_path):
    profile = Profile(tmp_path)
    with open_profile(profile) as core:
        core.backend.run(initialise, office="CIT")
        changes = core.backend.run(settings.update_programme, profile=profile,
                                   values={"period": "2021-2027", "slogan_de": "Eigener"})
        shown = core.backend.read(settings.programme_settings).values
        assert shown["period"] == "2021-2027" and shown["slogan_de"] == "Eigener"
        assert shown["cofinancing_de"] == programme.PERIOD_WORDINGS["2014-2020"].cofinancing_de
        core.backend.run(apply_writes, writes=changes.undo.writes, backwards=True)
        assert core.backend.read(settings.programme_settings).values == {
            **shown, "period": "2014-2020",
            "slogan_de": programme.PERIOD_WORDINGS["2014-2020"].slogan_de}

        core.backend.run(settings.update_programme, profile=profile, defaults=True,
                         values={"period": "2021–2027", "cofinancing_pl": "Własne"})
        shown = core.backend.read(settings.programme_settings).values
        wording = programme.PERIOD_WORDINGS["2021-2027"]
        assert shown["programme_name_pl"] == wording.programme_name_pl
        assert shown["cofinancing_de"] == wording.cofinancing_de
        assert shown["cofinancing_pl"] == "Własne" and shown["slogan_pl"] is None

        before = core.backend.read(settings.programme_settings)
        for values in ({"period": "2030"}, {"name": "x"}, {"period_end": "2010-01-01"}):
            with pytest.raises(ValidationError):
                core.backend.run(settings.update_programme, profile=profile, values=values)
        assert core.backend.read(settings.programme_settings) == before
