"""The website's pages from plain data (documents.website, issue 19): text is escaped, only
http(s) websites are linked, names keep their official form first, the colours pass WCAG AA."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import html5lib
import pytest

from euregionet_desktop.documents import website


def site(**cluster) -> dict:
    base = {"id": "c1", "name_pl": "Klaster", "name_de": None, "country": "PL",
            "country_label": "Poland", "kind_label": "Cluster", "region": "Lubuskie",
            "sectors": ["metal"], "coordinator": "Firma", "website": "https://example.org",
            "description_pl": "", "description_de": "", "members": ["Firma"]}
    return {"programme": "EuRegioNet", "published": {"pl": "07.12.2026", "de": "07.12.2026"},
            "clusters": [{**base, **cluster}],
            "indicators": [{"name_pl": "Wskaźnik", "name_de": "Indikator", "target": 1000,
                            "value": 3, "period": {"pl": "2017–2020", "de": "2017–2020"}}]}


def test_text_from_the_records_is_escaped_and_scripts_are_never_linked():
    files = website.render_site(site(name_pl="<script>alert(1)</script> & Co",
                                     website="javascript:alert(1)",
                                     members=['"><img src=x onerror=alert(1)>']))
    for name in ("pl/cluster-c1.html", "de/cluster-c1.html", "pl/index.html"):
        page = files[name].decode()
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        tree = parser.parse(page)
        assert not parser.errors
        # only the start page's own search script, none from the records
        assert [s.text for s in tree.iter("script")] in ([], [str(website.SEARCH_SCRIPT)])
        assert not list(tree.iter("img"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
        assert "javascript:" not in page


def test_official_name_first_with_the_translation_in_brackets_and_its_language():
    files = website.render_site(site(name_pl="Klaster Metalowy (Brandenburgia)",
                                     name_de="Cluster Metall", country="DE"))
    page = files["pl/cluster-c1.html"].decode()
    h1 = re.search(r"<h1>(.*)</h1>", page).group(1)
    assert h1 == ('<span lang="de">Cluster Metall</span> '
                  '<span>[Klaster Metalowy (Brandenburgia)]</span>')
    assert 'Język: <a href="../de/cluster-c1.html" hreflang="de" lang="de">Deutsch</a>' in page
    assert "1000" in files["pl/index.html"].decode().replace("\xa0", "").replace(" ", "")


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_passes_wcag_aa_on_every_background():
    colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", website.CSS))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-f]{6})", website.CSS))
    assert len(colours) >= 3 and "#ffffff" in backgrounds
    for fg in colours:
        for bg in backgrounds:
            assert contrast(fg, bg) >= 4.5, (fg, bg, contrast(fg, bg))


NODE_DOM = """
const element = () => ({hidden: false, appendChild: () => {}, listeners: {},
  addEventListener(kind, fn) { this.listeners[kind] = fn; }});
const made = [];
const items = JSON.parse(process.argv[2]).map(text => ({hidden: false, text,
  getAttribute: () => text}));
const inserted = [];
const list = {querySelectorAll: () => items, nextSibling: null,
  getAttribute: name => ({"data-label": "Search:", "data-none": "None."})[name],
  parentNode: {insertBefore: node => inserted.push(node)}};
globalThis.document = {
  getElementById: id => (id === "cluster-list" ? list : null),
  createElement: tag => { const e = element(); e.tag = tag; made.push(e); return e; },
};
eval(process.argv[1]);
const input = made.find(e => e.tag === "input"), none = inserted[1];
const shown = query => { input.value = query; input.listeners.input();
  return items.filter(li => !li.hidden).map(li => li.text); };
console.log(JSON.stringify({inserted: inserted.length, metal: shown("METAL  lubu"),
                            all: shown(""), nothing: shown("xyz"), none: none.hidden,
                            label: made.find(e => e.tag === "label").textContent}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_offline_search_filters_the_list_by_every_word():
    texts = ["lubuski klaster metalowy lubuskie metal", "cluster metall brandenburg metal",
             "klaster energii zielona góra"]
    result = json.loads(subprocess.run(
        ["node", "-e", NODE_DOM, str(website.SEARCH_SCRIPT), json.dumps(texts)],
        capture_output=True, text=True, check=True, timeout=30).stdout)
    assert result == {"inserted": 2, "metal": texts[:1], "all": texts, "nothing": [],
                      "none": False, "label": "Search: "}
