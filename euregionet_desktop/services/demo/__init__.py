"""Demo data: invented firms, people and programme work around the real clusters.

The clusters come from ``resources/demo/clusters.tsv`` (public sources, DESIGN §2); every
organisation other than the programme's named research partners, and every person, is
invented. Everything is written with Core executemany and logged in the change log, so a
demo profile syncs like any other.

The package: ``vocabulary`` (the constant tables), ``identifiers`` (valid numbers, phones,
mail names, dates), ``bulk`` (the writing), and one run in three steps, each a class built
on the one before: ``clusters.ClusterSteps``, ``people.PeopleSteps``, ``activities.Demo``.
"""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ProfileError
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services.demo.activities import Demo
from euregionet_desktop.services.demo.bulk import CHUNK, Progress, bulk_insert
from euregionet_desktop.services.demo.clusters import (
    CLUSTERS_FILE,
    DEFAULT_CONTACTS,
    Size,
    read_reference_clusters,
)
from euregionet_desktop.services.demo.identifiers import (
    mail_local,
    make_de_vat,
    make_nip,
    make_phone,
    make_register,
    make_regon,
    slug,
)
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.storage import search
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.sync.changelog import ChangeWriter

__all__ = [
    "CHUNK",
    "CLUSTERS_FILE",
    "DEFAULT_CONTACTS",
    "SEARCH_INDEX_STAGE",
    "Progress",
    "bulk_insert",
    "generate",
    "mail_local",
    "make_de_vat",
    "make_nip",
    "make_phone",
    "make_register",
    "make_regon",
    "read_reference_clusters",
    "slug",
]

# Progress stages are entity names, or this (marked for translation, shown with _()).
SEARCH_INDEX_STAGE = N_("Search index")


def generate(session: Session, *, contacts: int | None = None, seed: int = 2017,
             progress: Progress | None = None) -> Changes:
    """Fill a new, set-up profile with demo data (in the caller's transaction).

    ``contacts`` None gives the small reference set (the 20 real clusters, about 120
    organisations and 300 people); a number scales everything to that many contacts.
    """
    cluster = model_for("cluster").__table__
    if session.execute(select(cluster.c.id).limit(1)).first() is not None:
        raise ProfileError(_("This profile already holds clusters; demo data goes into a new "
                             "profile."))
    demo = Demo(session, ChangeWriter.for_session(session), random.Random(seed),
                Size.for_contacts(contacts), progress or (lambda _stage, _done, _total: None))
    entities = demo.run()
    demo.progress(SEARCH_INDEX_STAGE, 0, 1)
    search.rebuild(session)
    demo.progress(SEARCH_INDEX_STAGE, 1, 1)
    return Changes(frozenset(entities))
