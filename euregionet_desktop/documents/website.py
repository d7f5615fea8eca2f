"""The published website: the cluster directory and the programme's results as static HTML
pages in Polish and German (issue 19).

Pure rendering: ``render_site(site)`` takes plain data (see ``services.publish``) and
returns the files as ``{relative path: bytes}``. Every page is HTML5 with its ``lang``,
one h1, headings in order, a link to the same page in the other language, relative links
only (it works opened from the file system and from any web server) and no script needed
to read it (the start page's search box works offline where scripts run); the style,
inline in each page, keeps the contrast above WCAG AA (4.5:1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from euregionet_desktop.i18n import N_, format_number, sort_key
from euregionet_desktop.i18n import translation as catalog

SITE_LANGUAGES = ("pl", "de")
# A file in the folder that says it holds a publication of ours (a later one may replace it).
MARKER = ".euregionet-site"

# Text on the site, in the page's language.
TEXTS = {
    "title": N_("Cluster directory"),
    "results": N_("Programme results"),
    "clusters": N_("Clusters"),
    "home": N_("Back to the cluster directory"),
    "kind": N_("Kind"),
    "region": N_("Region"),
    "country": N_("Country"),
    "sectors": N_("Sectors"),
    "coordinator": N_("Coordinator"),
    "website": N_("Website"),
    "members": N_("Members"),
    "no_members": N_("No members are listed."),
    "contacts": N_("Contact persons"),
    "description": N_("Description"),
    "indicator": N_("Indicator"),
    "target": N_("Target"),
    "achieved": N_("Achieved"),
    "period": N_("Period"),
    "no_clusters": N_("No clusters are listed yet."),
    "skip": N_("Skip to the content"),
    "search": N_("Search the clusters (name, region, sector or member):"),
    "no_match": N_("No cluster matches."),
    "generated": N_("Published on {date}."),
    "language_switch": N_("Language"),
}
# The switch names the other language in that language, whatever the page's language is.
OTHER_LANGUAGE_NAME = {"pl": "Deutsch", "de": "Polski"}

CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; line-height: 1.5;
       color: #1a1a1a; background: #ffffff; margin: 0; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 3px solid #003b7a; padding-top: .5rem; padding-bottom: .5rem; }
header p { margin: .25rem 0; }
a { color: #003b7a; }
a:focus { outline: 3px solid #b35900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: .25rem; }
h1 { color: #003b7a; font-size: 1.8rem; }
h2 { color: #1a1a1a; font-size: 1.35rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border: 1px solid #5c5c5c; padding: .3rem .5rem; vertical-align: top; }
th { background: #e8eef6; }
td.number { text-align: right; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
footer { border-top: 1px solid #5c5c5c; margin-top: 2rem; color: #3d3d3d; }
"""

BASE = """\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title }} – {{ programme }}</title>
<style>
{{ css }}</style>
<link rel="alternate" hreflang="{{ other }}" href="../{{ other }}/{{ file }}">
</head>
<body>
<a class="skip" href="#content">{{ t.skip }}</a>
<header>
<p><a href="index.html">{{ programme }}</a></p>
<p>{{ t.language_switch }}: <a href="../{{ other }}/{{ file }}" hreflang="{{ other }}" \
lang="{{ other }}">{{ other_name }}</a></p>
</header>
<main id="content">
{% block main %}{% endblock %}
</main>
<footer><p>{{ generated }}</p></footer>
</body>
</html>
"""

INDEX = """\
{% extends "base.html" %}
{% from "name.html" import name with context %}
{% block main %}
<h1>{{ t.title }}</h1>
<h2 id="clusters">{{ t.clusters }}</h2>
{% if clusters %}
<ul id="cluster-list" data-label="{{ t.search }}" data-none="{{ t.no_match }}">
{% for c in clusters %}
<li data-search="{{ c.search }}"><a href="{{ c.file }}">{{ name(c) }}</a>\
{% if c.region %} – {{ c.region }}{% endif %}</li>
{% endfor %}
</ul>
<script>{{ search_script }}</script>
{% else %}
<p>{{ t.no_clusters }}</p>
{% endif %}
<h2 id="results">{{ t.results }}</h2>
<table>
<thead><tr><th scope="col">{{ t.indicator }}</th><th scope="col">{{ t.target }}</th>\
<th scope="col">{{ t.achieved }}</th><th scope="col">{{ t.period }}</th></tr></thead>
<tbody>
{% for i in indicators %}
<tr><th scope="row">{{ i.name }}</th><td class="number">{{ i.target }}</td>\
<td class="number">{{ i.value }}</td><td>{{ i.period }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endblock %}
"""

CLUSTER = """\
{% extends "base.html" %}
{% from "name.html" import name with context %}
{% block main %}
<h1>{{ name(c) }}</h1>
<dl>
<dt>{{ t.kind }}</dt><dd>{{ c.kind }}</dd>
{% if c.region %}<dt>{{ t.region }}</dt><dd>{{ c.region }}</dd>{% endif %}
<dt>{{ t.country }}</dt><dd>{{ c.country }}</dd>
{% if c.sectors %}<dt>{{ t.sectors }}</dt><dd>{{ c.sectors }}</dd>{% endif %}
{% if c.coordinator %}<dt>{{ t.coordinator }}</dt><dd>{{ c.coordinator }}</dd>{% endif %}
{% if c.website %}<dt>{{ t.website }}</dt><dd><a href="{{ c.website }}">{{ c.website }}\
</a></dd>{% endif %}
</dl>
{% if c.description %}
<h2>{{ t.description }}</h2>
<p{% if c.description_lang != lang %} lang="{{ c.description_lang }}"{% endif %}>\
{{ c.description }}</p>
{% endif %}
<h2>{{ t.members }}</h2>
{% if c.members %}
<ul>
{% for m in c.members %}<li>{{ m }}</li>
{% endfor %}
</ul>
{% else %}
<p>{{ t.no_members }}</p>
{% endif %}
{% if c.contacts %}
<h2>{{ t.contacts }}</h2>
<ul>
{% for p in c.contacts %}<li>{{ p.name }}{% if p.function %}, {{ p.function }}{% endif %}\
{% if p.organisation %} ({{ p.organisation }}){% endif %}</li>
{% endfor %}
</ul>
{% endif %}
<p><a href="index.html">{{ t.home }}</a></p>
{% endblock %}
"""

# A cluster's official name, then its translation in brackets, each tagged with its language
# where it differs from the page's.
NAME = """\
{% macro name(c) %}<span{% if c.official_lang != lang %} lang="{{ c.official_lang }}"{% endif %}>\
{{ c.official }}</span>{% if c.translation %} <span{% if c.translation_lang != lang %} \
lang="{{ c.translation_lang }}"{% endif %}>{{ c.open }}{{ c.translation }}{{ c.close }}</span>\
{% endif %}{% endmacro %}"""

# The optional offline search: the script adds the box (nothing of it shows where scripts do
# not run); the list is complete without it.
SEARCH_SCRIPT = Markup("""
(function () {
  var list = document.getElementById("cluster-list");
  var items = list.querySelectorAll("li");
  var box = document.createElement("p"), label = document.createElement("label");
  var input = document.createElement("input"), none = document.createElement("p");
  input.type = "search";
  input.id = "search";
  label.htmlFor = "search";
  label.textContent = list.getAttribute("data-label") + " ";
  none.textContent = list.getAttribute("data-none");
  none.hidden = true;
  box.appendChild(label);
  box.appendChild(input);
  list.parentNode.insertBefore(box, list);
  list.parentNode.insertBefore(none, list.nextSibling);
  input.addEventListener("input", function () {
    var words = input.value.toLocaleLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    items.forEach(function (li) {
      var match = words.every(function (w) {
        return li.getAttribute("data-search").indexOf(w) >= 0;
      });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    none.hidden = shown > 0;
  });
})();
""")

_ENV = Environment(loader=DictLoader({"base.html": BASE, "index.html": INDEX,
                                      "cluster.html": CLUSTER, "name.html": NAME}),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   undefined=StrictUndefined, keep_trailing_newline=True,
                   trim_blocks=True, lstrip_blocks=True)


def cluster_file(cluster_id: str) -> str:
    return f"cluster-{cluster_id}.html"


def names(cluster: Mapping[str, Any]) -> dict[str, str]:
    """The official name as registered (German for a German cluster, Polish for a Polish
    one) and the other language's translation where it has one, each with its language;
    square brackets around a translation that has round ones of its own."""
    german = cluster["country"] == "DE"
    official, other = ((cluster["name_de"], cluster["name_pl"]) if german
                       else (cluster["name_pl"], cluster["name_de"]))
    official_lang, other_lang = ("de", "pl") if german else ("pl", "de")
    if not official:
        official, official_lang, other = other or "", other_lang, None
    translation = other if other and other != official else ""
    brackets = "[]" if "(" in translation else "()"
    return {"official": official, "official_lang": official_lang,
            "translation": translation, "translation_lang": other_lang,
            "open": brackets[0], "close": brackets[1],
            "name": f"{official} {brackets[0]}{translation}{brackets[1]}" if translation
            else official}


def safe_link(url: str | None) -> str:
    """A website address to link to: http(s) only (a ``javascript:`` one is never linked)."""
    url = (url or "").strip()
    if not url:
        return ""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)", url):  # a scheme (not host:port)
        return url if url.lower().startswith(("http://", "https://")) else ""
    return "https://" + url


def _in_language(value: Any, lang: str) -> Any:
    """A value given per language ({"pl": …, "de": …}) in ``lang``; any other as it is."""
    return value.get(lang) if isinstance(value, Mapping) else value


def _cluster_page(c: Mapping[str, Any], lang: str, text) -> dict[str, Any]:
    other = "de" if lang == "pl" else "pl"
    description, description_lang = c.get(f"description_{lang}"), lang
    if not description and c.get(f"description_{other}"):
        description, description_lang = c[f"description_{other}"], other
    page = {
        "file": cluster_file(c["id"]),
        **names(c),
        "kind": text(c["kind_label"]) if c.get("kind_label") else "",
        "country": text(c["country_label"]) if c.get("country_label") else "",
        "region": _in_language(c.get("region"), lang) or "",
        "sectors": ", ".join(_in_language(c.get("sectors"), lang) or ()),
        "coordinator": c.get("coordinator") or "",
        "website": safe_link(c.get("website")),
        "description": description or "",
        "description_lang": description_lang,
        "members": list(c.get("members") or ()),
        # Only persons who consented to publication in the directory (services.publish).
        "contacts": list(c.get("contacts") or ()),
    }
    page["search"] = " ".join([page["name"], page["region"], page["sectors"], page["kind"],
                               *page["members"]]).lower()
    return page


def render_site(site: Mapping[str, Any]) -> dict[str, bytes]:
    """The site's files from ``site``: ``programme`` (its name), ``published`` (a date),
    ``clusters`` (each: id, name_pl, name_de, country, country_label and kind_label as
    msgids, region and sectors (or each per language: {"pl": …, "de": …}), coordinator,
    website, description_pl/de, members' names, contacts: the contact persons who
    consented to publication, each with name, function and organisation)
    and ``indicators`` (each: name_pl, name_de, target, value, period_start/end)."""
    files: dict[str, bytes] = {MARKER: b"EuRegioNet Desktop\n"}
    for lang in SITE_LANGUAGES:
        text = catalog(lang).gettext
        t = {key: text(message) for key, message in TEXTS.items()}
        other = "de" if lang == "pl" else "pl"
        common = {"css": CSS, "lang": lang, "other": other, "other_name": OTHER_LANGUAGE_NAME[lang],
                  "t": t, "programme": site["programme"],
                  "generated": t["generated"].format(date=site["published"][lang])}
        clusters = sorted((_cluster_page(c, lang, text) for c in site["clusters"]),
                          key=lambda c: sort_key(c["name"]))
        indicators = [{"name": i[f"name_{lang}"],
                       "target": format_number(i["target"], language=lang),
                       "value": format_number(i["value"], language=lang),
                       "period": i["period"][lang]} for i in site["indicators"]]
        files[f"{lang}/index.html"] = _ENV.get_template("index.html").render(
            **common, page_title=t["title"], file="index.html", clusters=clusters,
            indicators=indicators, search_script=SEARCH_SCRIPT).encode()
        for c in clusters:
            files[f"{lang}/{c['file']}"] = _ENV.get_template("cluster.html").render(
                **common, page_title=c["name"], file=c["file"], c=c).encode()
    files["index.html"] = ROOT_INDEX.encode()
    return files


# The folder's own start page: links to both languages (a web server shows it for the
# folder; no redirect script).
ROOT_INDEX = """\
<!DOCTYPE html>
<html lang="pl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>EuRegioNet</title>
<style>
""" + CSS + """</style>
</head>
<body>
<main>
<h1>EuRegioNet</h1>
<ul>
<li><a href="pl/index.html" hreflang="pl">Polski</a></li>
<li><a href="de/index.html" hreflang="de" lang="de">Deutsch</a></li>
</ul>
</main>
</body>
</html>
"""

