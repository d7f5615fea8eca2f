"""``euregionet publish -o DIR`` (issue 19): a valid, bilingual, self-contained website of
the cluster directory and the programme's results, with no contact person's e-mail or phone
in it; a folder holding anything else is refused with one line and left as it was."""

from __future__ import annotations

import itertools
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run

from euregionet_desktop.paths import Profile


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("publish") / "profile"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(data_dir, "demo-data")
    return data_dir


@pytest.fixture(scope="module")
def site(demo_profile, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    out = ok(demo_profile, "publish", "-o", str(folder))
    assert str(folder) in out
    return folder


def query(data_dir: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(Profile(data_dir).database)) as db:
        return db.execute(sql).fetchall()


def parse(path: Path):
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    tree = parser.parse(path.read_bytes())
    assert not parser.errors, (path.name, parser.errors[:5])
    return tree


def test_every_page_is_valid_html5_with_its_language(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        tree = parse(page)
        lang = page.parent.name if page.parent != site else "pl"
        assert tree.get("lang") == lang, page
        headings = [int(h.tag[1]) for h in tree.iter() if re.fullmatch(r"h[1-6]", str(h.tag))]
        assert headings[0] == 1 and headings.count(1) == 1, (page, headings)
        assert all(b - a <= 1 for a, b in itertools.pairwise(headings)), page
        assert all(img.get("alt") for img in tree.iter("img")), page
        # Nothing needs a script to be read: the only one, the start page's offline search,
        # is inline and shows its box itself (hidden without scripts).
        scripts = list(tree.iter("script"))
        assert len(scripts) == (page.name == "index.html" and page.parent != site), page
        assert all(not s.get("src") for s in scripts), page


def test_every_cluster_has_a_page_in_both_languages_with_a_switch(site, demo_profile):
    clusters = query(demo_profile,
                     "SELECT id, name_pl, name_de, country FROM cluster WHERE NOT deleted")
    assert len(clusters) == 20
    for cluster_id, name_pl, name_de, country in clusters:
        for lang, other in (("pl", "de"), ("de", "pl")):
            page = site / lang / f"cluster-{cluster_id}.html"
            tree = parse(page)
            h1 = "".join(next(tree.iter("h1")).itertext())
            official = name_de if country == "DE" else name_pl
            assert h1.startswith(official), (h1, official)  # the registered name comes first
            switch = [a for a in tree.iter("a") if a.get("hreflang") == other]
            assert switch and switch[0].get("href") == f"../{other}/{page.name}"
            assert f"cluster-{cluster_id}.html" in (site / lang / "index.html").read_text()


def test_the_results_show_each_indicator_with_its_target(site, demo_profile):
    for lang in ("pl", "de"):
        text = (site / lang / "index.html").read_text()
        for name_pl, name_de in query(demo_profile,
                                      "SELECT name_pl, name_de FROM indicator WHERE NOT deleted"):
            assert (name_pl if lang == "pl" else name_de) in text
    assert "Wskaźnik" in (site / "pl" / "index.html").read_text()
    assert "Indikator" in (site / "de" / "index.html").read_text()


def test_no_contact_persons_e_mail_or_phone_is_published(site, demo_profile):
    secrets = {value for row in query(
        demo_profile, "SELECT email, phone, mobile, last_name || ', ' || first_name "
                      "FROM contact") for value in row if value}
    assert len(secrets) > 100
    published = b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())
    leaked = [s for s in secrets if s.encode() in published]
    assert not leaked, leaked[:5]
    assert b"mailto:" not in published and b"tel:" not in published
    assert not re.search(rb"[\w.+-]+@[\w-]+\.\w", published)  # no address of anyone


def test_every_link_resolves_to_a_file_of_the_site(site):
    for page in site.rglob("*.html"):
        for element in parse(page).iter():
            target = element.get("href") or element.get("src")
            if not target or target.startswith("#"):
                continue
            parts = urlsplit(target)
            if parts.scheme in ("http", "https"):
                assert element.tag == "a", target  # only links out to cluster websites
                continue
            assert not parts.scheme and not target.startswith("/"), (page, target)
            assert (page.parent / parts.path).resolve().is_file(), (page, target)


def test_a_second_publication_replaces_the_first(demo_profile, site):
    stale = site / "pl" / "cluster-gone.html"
    stale.write_text("old")
    ok(demo_profile, "publish", "-o", str(site))
    assert not stale.exists()
    assert (site / "de" / "index.html").is_file()


def test_a_folder_holding_something_else_is_refused_and_left_alone(demo_profile, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    line = one_line_error(run(demo_profile, "publish", "-o", str(folder)))
    assert "not empty" in line and str(folder) in line
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]
    a_file = tmp_path / "site.html"
    a_file.write_text("x")
    line = one_line_error(run(demo_profile, "publish", "-o", str(a_file)))
    assert "not a folder" in line
    assert a_file.read_text() == "x"


def test_sectors_and_regions_read_in_the_pages_language(site, demo_profile):
    """Sectors and regions are stored as codes of the translated lists: each page names
    them in its own language, never as the code."""
    from euregionet_desktop.domain.enums import Region, Sector
    from euregionet_desktop.i18n import translation

    rows = query(demo_profile, "SELECT id, region, sectors FROM cluster "
                               "WHERE NOT deleted AND region = 'lausitz'")
    assert rows
    for cluster_id, _region, sectors in rows:
        for lang in ("pl", "de"):
            page = "".join(parse(site / lang / f"cluster-{cluster_id}.html").itertext())
            gettext = translation(lang).gettext
            assert gettext(Region.LAUSITZ.label) in page
            assert f">{Region.LAUSITZ.value}<" not in (
                site / lang / f"cluster-{cluster_id}.html").read_text()
            for code in re.findall(r'"(\w+)"', sectors):
                assert gettext(Sector(code).label) in page, (lang, code)
    assert "Łużyce" in (site / "pl" / f"cluster-{rows[0][0]}.html").read_text()
    assert "Lausitz" in (site / "de" / f"cluster-{rows[0][0]}.html").read_text()
