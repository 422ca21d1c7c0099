"""Hostile input: an injection corpus in every field that reaches a page or a script.

Titles, tiers, tutorial metadata (front matter and the ``tutorial`` directive),
exercises, hints, solutions, checkpoints, callouts, learning paths, catalogs, the
landing page, notebook outputs and errors, maths, ``project``, ``learn_contributor``
and ``learn_launch`` all hold the payloads below. The built site is then checked by
parsing every page and every JSON or script file it holds, and in Chromium, where
each payload would call ``__pwn()`` (or ``alert``) if it ever ran.

The pages are written from :data:`PAYLOADS` into a copy of ``tests/roots/test-hostile``
(whose ``conf.py`` reads the same list from ``payloads.json``), so the corpus has one
home: this module.
"""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from sphinx_numpy_learn.contributor_urls import edit_url

from .conftest import served_folder, warnings_of

# -- The corpus -----------------------------------------------------------------------------

PAYLOADS: list[str] = [
    "<script>__pwn()</script>",
    '"><img src=x onerror=__pwn()>',
    "'><svg onload=__pwn()>",
    "<iframe src=javascript:__pwn()></iframe>",
    '<a href="javascript:__pwn()">link</a>',
    "javascript:__pwn()",
    " \tJaVaScRiPt:__pwn()",
    "java&#x09;script:__pwn()",
    "&#106;avascript:__pwn()",
    "data:text/html;base64,PHNjcmlwdD5fX3B3bigpPC9zY3JpcHQ+",
    "vbscript:__pwn()",
    # Template syntax: shown as written, never evaluated (7*'7' would be 7777777).
    "{{ 7*7 }}",
    "{{ 7*'7' }}",
    "{% if 1 %}JINJA{% endif %}",
    "</script><script>__pwn()</script>",
    "<!--<script>__pwn()</script>-->",
    "line\u2028separator\u2029paragraph",
    # Quotes and backslashes, and a way out of a JavaScript string or template.
    "\\\"'\\\\",
    '\\";__pwn();//',
    "${__pwn()}",
    "`${__pwn()}`",
    "&lt;script&gt;__pwn()&lt;/script&gt;",
]
ALL = " ".join(PAYLOADS)
"""Every payload in one string, for fields that hold one value."""

EVALUATED = "7777777"  # what {{ 7*'7' }} renders as in Jinja
EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
CREATED_ELEMENTS = ("img", "svg", "iframe", "object", "embed", "frame", "math", "video")
JSON_SCRIPT_TYPES = ("application/ld+json", "application/json")
# Browsers drop tabs and newlines anywhere in a URL, and leading spaces and controls.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_LEADING = "".join(map(chr, range(0x21)))


def md_text(text: str) -> str:
    """``text`` as literal MyST Markdown: every ASCII punctuation character escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def rst_text(text: str) -> str:
    """``text`` as literal reStructuredText (docutils reads U+2028 as a line break)."""
    text = text.replace("\u2028", " ").replace("\u2029", " ").replace("\t", " ")
    return re.sub(r"([^\w\s])", r"\\\1", text)


def rst_option(text: str) -> str:
    """A ``tutorial`` option value: taken as written, one line."""
    return " ".join(text.replace("\u2028", " ").replace("\u2029", " ").split())


def label(prefix: str, text: str) -> str:
    """A ``:label:`` made of a payload (no whitespace: a solution names it as its argument)."""
    return prefix + "".join(text.split())


def https(text: str) -> str:
    """An http(s) address with the payload in its query (the only URLs accepted)."""
    return "https://example.org/?q=" + "".join(text.split())


def front_matter(learn: dict, notebook: bool = False) -> str:
    kernel = (
        "jupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n"
        if notebook
        else ""
    )
    # JSON is YAML: every payload quoted and escaped the same way.
    return f"---\n{kernel}learn: {json.dumps(learn)}\n---\n\n"


def corpus_pages() -> dict[str, str]:
    """The generated pages, by file name."""
    pages: dict[str, str] = {}
    pages["a-corpus.md"] = (
        front_matter(
            {
                "level": "beginner",
                "summary": ALL,
                "outcome": ALL,
                "objectives": PAYLOADS,
                "needs": PAYLOADS,
                "tags": PAYLOADS,
                "audience": "learner",
                "prerequisites": [{"title": p, "url": https(p)} for p in PAYLOADS],
            }
        )
        + f"# {md_text(ALL)}\n\n"
        + "".join(f"Payload: {md_text(p)}\n\n" for p in PAYLOADS)
    )
    lines = "\n".join(f"      {rst_option(p)}" for p in PAYLOADS)
    # The directive's "Title <url>" form takes no "<" or ">" in the address.
    quoted_url = https("\\\"'{{7*'7'}}")
    title = rst_text(ALL)
    pages["b-directive.rst"] = f"""{title}
{"=" * len(title)}

.. tutorial::
   :level: intermediate
   :summary: {rst_option(ALL)}
   :outcome: {rst_option(ALL)}
   :tags: {rst_option(PAYLOADS[0])}, {rst_option(PAYLOADS[1])}
   :objectives:
{lines}
   :needs:
{lines}
   :prerequisites:
      {rst_option(PAYLOADS[1])} <{quoted_url}>
      a-corpus

The directive's options are text, taken as written.
"""
    components = ["---\nlearn: {level: beginner}\n---\n\n# Components\n\n"]
    for index, payload in enumerate(PAYLOADS):
        other = PAYLOADS[index - 1]
        exercise = label(f"ex{index}", payload)
        components.append(
            f"::::{{exercise}} {md_text(payload)}\n---\nlabel: {json.dumps(exercise)}\n---\n"
            f"Do {md_text(payload)}.\n\n:::{{hint}}\nTry {md_text(payload)}\n:::\n::::\n\n"
            f":::{{solution}} {exercise}\nThe answer {md_text(payload)}\n:::\n\n"
            f":::{{checkpoint}} {md_text(payload)}\n---\n"
            f"label: {json.dumps(label(f'cp{index}', payload))}\n---\n"
            f"- [x] {md_text(payload)}\n\n  Because {md_text(payload)}.\n"
            f"- [ ] {md_text(other)}\n\n  Not {md_text(other)}.\n:::\n\n"
        )
    pages["c-components.md"] = "".join(components)
    steps = "".join(f"- Step: {md_text(p)}\n" for p in PAYLOADS)
    pages["d-callouts.md"] = (
        f"# Callouts\n\n:::{{new-contributor}} {md_text(ALL)}\nHello {md_text(ALL)}.\n:::\n\n"
        f":::{{new-contributor}}\n---\nguide: a-corpus\nlinks: {json.dumps('chat ' + PAYLOADS[0])}"
        f"\n---\nWith a guide.\n:::\n\n"
        f":::{{maintainer-note}} {md_text(ALL)}\n{md_text(ALL)}\n:::\n\n"
        f":::{{first-time-setup}} {md_text(ALL)}\n{steps}:::\n"
    )
    # A path title is not Markdown: it is written as it is.
    pages["e-paths.md"] = (
        f"# Paths\n\n:::{{learning-path}} {ALL}\n---\nname: start\n---\n"
        "a-corpus\nb-directive\nc-components\n:::\n\n"
        f":::{{learning-path}} {PAYLOADS[0]}\n---\nname: {json.dumps(PAYLOADS[1])}\n---\n"
        "a-corpus\n:::\n"
    )
    pages["f-notebook.md"] = (
        front_matter({"level": "advanced", "summary": ALL, "tags": PAYLOADS[:3]}, True)
        + f"# {md_text(PAYLOADS[0])} notebook\n\n"
        + f"```{{code-cell}} ipython3\nfor payload in {json.dumps(PAYLOADS)}:\n"
        "    print(payload)\n```\n\n"
        + f"```{{code-cell}} ipython3\nraise ValueError({json.dumps(ALL)})\n```\n"
    )
    pages["k-report.md"] = "# Report\n\n:::{execution-report}\n:::\n"
    pages["g-maths.md"] = (
        "# Maths\n\n:::{math}\n\\href{&#106;avascript:__pwn()}{a} + "
        "\\href{java&#x09;script:__pwn()}{b} + \\href{ JaVaScRiPt:__pwn()}{c} + "
        "\\text{<script>__pwn()</script>} + \\href{https://numpy.org}{d}\n:::\n"
    )
    # Values no field accepts: each is refused with a learn.* warning, never shown as
    # a link or a level.
    pages["h-rejected.md"] = (
        front_matter(
            {
                "level": PAYLOADS[0],
                "duration": PAYLOADS[1],
                "audience": PAYLOADS[2],
                "summary": "Refused values.",
                "prerequisites": [
                    {"title": "js", "url": "javascript:__pwn()"},
                    {"title": "data", "url": PAYLOADS[9]},
                    {"title": "spaces", "url": " \thttps://example.org"},
                ],
            }
        )
        + f"# Refused values\n\nA level: {{level}}`{PAYLOADS[1]}`.\n"
    )
    pages["i-rejected.rst"] = """Refused in reStructuredText
===========================

.. tutorial::
   :level: advanced
   :prerequisites:
      Click <javascript://%0a__pwn()>
      Data <data://text/html,x>
"""
    pages["j-catalogs.md"] = (
        f"# Catalogs\n\n:::{{tutorial-catalog}}\n---\n"
        f"tags: {json.dumps(', '.join(PAYLOADS[:3]))}\n"
        f"tutorials: {json.dumps('a-corpus, b-directive, ' + PAYLOADS[0])}\n"
        "sort: title\n---\n:::\n\n"
        f":::{{tutorial-catalog}}\n---\nlevels: {json.dumps('beginner, ' + PAYLOADS[1])}\n"
        "group-by: none\n---\n:::\n\n"
        f":::{{landing}}\n---\nstart: {json.dumps(PAYLOADS[0])}\n"
        f"contribute: {json.dumps(PAYLOADS[1])}\nno-catalog:\n---\n:::\n"
    )
    return pages


# -- Building ---------------------------------------------------------------------------------


def build(rootdir: Path, srcdir: Path, **config) -> object:
    """A copy of the hostile root with the corpus written into it, built once."""
    from sphinx.testing.util import SphinxTestApp

    shutil.copytree(rootdir / "test-hostile", srcdir)
    (srcdir / "payloads.json").write_text(json.dumps(PAYLOADS), encoding="utf-8")
    for name, text in corpus_pages().items():
        (srcdir / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp(
        "html", srcdir=srcdir, status=StringIO(), warning=StringIO(), confoverrides=config
    )
    app.build()
    app.cleanup()  # done with Sphinx: only the files are read and served
    return app


THEMES = {
    # Alabaster's "about" sidebar writes ``project`` unescaped (its template trusts
    # conf.py); that is the theme's own markup, not ours, so it is left out.
    "alabaster": {
        "html_sidebars": {"**": ["navigation.html", "relations.html", "searchbox.html"]}
    },
    # Our theme's options: invalid values are refused (learn.theme).
    "sphinx_numpy_learn": {
        "html_theme_options": {"print_solutions": PAYLOADS[0], "nav_progress": PAYLOADS[1]}
    },
}


@pytest.fixture(scope="module", params=list(THEMES))
def site(request, rootdir, tmp_path_factory):
    """The hostile site, built with Sphinx's default theme and with ours."""
    srcdir = tmp_path_factory.mktemp(f"hostile-{request.param}") / "src"
    return build(rootdir, srcdir, html_theme=request.param, **THEMES[request.param])


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def heading(page: BeautifulSoup) -> str:
    """The page's title as shown, without its permalink ("¶" or "#")."""
    h1 = page.select_one("h1")
    for link in h1.select("a.headerlink"):
        link.decompose()
    return h1.get_text()


def words(text: str) -> str:
    """Text with whitespace (U+2028 and tabs included) collapsed, for comparisons."""
    return " ".join(text.split())


# -- What must never be in the output -----------------------------------------------------------


def executable_scheme(value: str) -> str | None:
    """The scheme a browser would run for this URL (``javascript:`` ...), if any."""
    cleaned = _URL_IGNORED.sub("", value).lstrip(_URL_LEADING).lower()
    return next((s for s in EXECUTABLE_SCHEMES if cleaned.startswith(s)), None)


def html_problems(name: str, text: str) -> list[str]:
    """Every way ``text`` (one HTML page) could run a payload."""
    problems = []
    page = BeautifulSoup(text, "html.parser")
    for script in page.find_all("script"):
        content = script.string or ""
        if "__pwn" in (script.get("src") or ""):
            problems.append(f"{name}: a payload in a script's src: {script.get('src')!r}")
        if script.get("type") in JSON_SCRIPT_TYPES:
            try:
                json.loads(content)
            except ValueError:
                problems.append(f"{name}: a JSON script block that is not JSON: {content!r}")
            if "</script" in content.lower() or "<!--" in content:
                problems.append(f"{name}: a JSON script block could close: {content!r}")
        elif "__pwn" in content:
            problems.append(f"{name}: a payload inside a script: {content[:200]!r}")
    for element in page.find_all(True):
        for attribute, value in element.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"{name}: an event handler <{element.name} {attribute}>")
            if attribute.lower() == "srcdoc":
                problems.append(f"{name}: a srcdoc on <{element.name}>")
            if attribute.lower() in URL_ATTRIBUTES and isinstance(value, str):
                scheme = executable_scheme(value)
                if scheme is not None:
                    problems.append(f"{name}: <{element.name} {attribute}={value!r}>")
        # An element a payload made carries the payload's attributes (<img src=x ...>).
        # A formula's LaTeX source is its alttext: text, not a payload's attribute.
        made = element.get("src") == "x" or any(
            "__pwn" in str(value) for key, value in element.attrs.items() if key != "alttext"
        )
        if element.name in CREATED_ELEMENTS and made:
            problems.append(f"{name}: an element made from a payload: {str(element)[:200]}")
    return problems


def injection_problems(outdir: Path) -> list[str]:
    """Every way the site in ``outdir`` could run a payload, in every file we write."""
    problems: list[str] = []
    for path in sorted(outdir.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".json", ".ipynb", ".js"}:
            continue
        name = str(path.relative_to(outdir))
        text = path.read_text(encoding="utf-8")
        if EVALUATED in text:
            problems.append(f"{name}: {{{{ 7*'7' }}}} was evaluated")
        # Written out, "JINJA" always follows the tag's "}" (or "%7D" in a URL).
        if re.search(r"(?<!\})(?<!%7D)JINJA", text):
            problems.append(f"{name}: {{% if %}} was evaluated")
        if path.suffix == ".html":
            problems += html_problems(name, text)
        elif path.suffix in {".json", ".ipynb"}:
            try:
                json.loads(text)
            except ValueError as error:
                problems.append(f"{name}: not valid JSON ({error})")
        elif "__pwn" in text:
            # Only Sphinx's search index carries page text into a script, as JSON.
            data = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL)
            if path.name != "searchindex.js" or data is None:
                problems.append(f"{name}: a payload pasted into a script")
            else:
                try:
                    json.loads(data[1])
                except ValueError as error:
                    problems.append(f"{name}: the search index is not JSON ({error})")
    return problems


def test_no_page_and_no_file_can_run_a_payload(site):
    assert injection_problems(site.outdir) == []
    # Every page was written (and so checked above): the corpus, the root's, Sphinx's.
    pages = {p.stem for p in site.outdir.glob("*.html")}
    corpus = {Path(name).stem for name in corpus_pages()}
    assert pages == corpus | {"evil", "index", "genindex", "search"}


def test_the_build_reports_refused_values_and_never_a_traceback(site):
    warnings = warnings_of(site)
    assert "Traceback" not in warnings + site.status.getvalue()
    refused = [
        ("h-rejected.md", "unknown level '<script>__pwn()</script>'", "learn.level"),
        ("h-rejected.md", "invalid tutorial metadata 'duration'", "learn.metadata"),
        ("h-rejected.md", "invalid tutorial metadata 'audience'", "learn.metadata"),
        ("h-rejected.md", "invalid tutorial metadata 'prerequisites[0]'", "learn.metadata"),
        ("h-rejected.md", "invalid tutorial metadata 'prerequisites[1]'", "learn.metadata"),
        ("h-rejected.md", "invalid tutorial metadata 'prerequisites[2]'", "learn.metadata"),
        ("h-rejected.md", "unknown level '\"><img src=x onerror=__pwn()>'", "learn.level"),
        ("i-rejected.rst", "invalid tutorial metadata 'prerequisites[0]'", "learn.metadata"),
        ("i-rejected.rst", "invalid tutorial metadata 'prerequisites[1]'", "learn.metadata"),
        ("e-paths.md", "learning-path name", "learn.path"),
        ("j-catalogs.md", "unknown level", "learn.catalog"),
        ("j-catalogs.md", "tutorial-catalog lists '<script>__pwn()</script>'", "learn.catalog"),
        ("d-callouts.md", "new-contributor: unknown link(s)", "learn.contributor"),
        (
            "j-catalogs.md",
            "landing :start: '<script>__pwn()</script>' is neither",
            "learn.landing",
        ),
        ("j-catalogs.md", "landing :contribute: '\"><img src=x", "learn.landing"),
        ("f-notebook.md", "ValueError: <script>__pwn()</script>", "learn.execution"),
    ]
    if site.config.html_theme == "sphinx_numpy_learn":
        refused += [
            ("", "for the theme option 'print_solutions'", "learn.theme"),
            ("", "for the theme option 'nav_progress'", "learn.theme"),
        ]
    # One entry per warning: its first line names the file, its last ends with the type.
    entries = re.split(r"\n(?=\S)", warnings.strip())
    for source, text, kind in refused:
        found = [
            entry
            for entry in entries
            if entry.startswith(str(site.srcdir / source) if source else "") and text in entry
        ]
        assert len(found) == 1, f"{source}: {text!r} not once in:\n{warnings}"
        assert found[0].endswith(f"[{kind}]"), found[0]
    # Nothing else: every payload that is shown was accepted as text.
    assert len(entries) == len(refused), warnings


# -- The payloads are still shown, as text --------------------------------------------------------


def test_titles_metadata_and_tiers_show_the_payloads_as_text(site):
    corpus = soup(site, "a-corpus")
    assert words(heading(corpus)) == words(ALL)
    if site.config.html_theme == "sphinx_numpy_learn":
        # pydata-sphinx-theme's header links show the titles as text (theme/navigation.py).
        links = soup(site, "index").select('a.nav-link.nav-internal[href="a-corpus.html"]')
        assert links, "the header links to the corpus page"
        assert {words(a.get_text()) for a in links} == {words(ALL)}
        # Too long to fit whole: its text is its tooltip too, as text (theme/header.py).
        row = [a for a in links if "dropdown-item" not in a["class"]]
        assert all(a["title"] == words(ALL) for a in row), row
        # A title given in the toctree (index.rst), and evil.md's own (from the glob).
        links = soup(site, "index").select('a.nav-link.nav-internal[href="evil.html"]')
        assert {words(a.get_text()) for a in links} == {
            "Explicit <script>__pwn()</script> {{ 7*'7' }}",
            "Evil <script> title <script>__pwn()</script>",
        }
    header = corpus.select_one("aside.learn-tutorial-header")
    items = [words(li.get_text()) for li in header.select("li")]
    for payload in PAYLOADS:
        assert words(payload) in items, payload  # objectives, needs, prerequisites
    assert words(ALL) in [words(dd.get_text()) for dd in header.select("dd")]  # the outcome
    prerequisite_links = {a.get_text(): a["href"] for a in header.select("a.external")}
    for payload in PAYLOADS:
        assert prerequisite_links[payload] == https(payload)
    # The tier badge: its label and criterion.
    badge = header.select_one("span.learn-badge")
    assert words(badge.get_text()) == words(ALL)
    assert words(badge["title"]) == words(ALL)  # attributes show whitespace as spaces
    # JSON-LD carries the values exactly.
    (block,) = corpus.select('script[type="application/ld+json"]')
    data = json.loads(block.string)
    assert words(data["name"]) == words(ALL)
    assert data["description"] == ALL
    assert data["teaches"] == PAYLOADS
    assert data["educationalLevel"] == ALL
    # The directive's options, as written.
    directive = soup(site, "b-directive")
    assert words(heading(directive)) == words(ALL)
    items = [words(li.get_text()) for li in directive.select("aside.learn-tutorial-header li")]
    for payload in PAYLOADS:
        assert words(rst_option(payload)) in items, payload


def test_link_previews_and_page_links_show_the_payloads_as_text(site):
    corpus = soup(site, "a-corpus")
    tags = {
        meta.get("property") or meta.get("name"): meta["content"]
        for meta in corpus.select("head meta[content]")
    }
    assert words(tags["og:title"]) == words(ALL)
    assert tags["og:site_name"] == site.config.project
    assert tags["og:url"] == "https://example.org/docs/a-corpus.html"
    assert tags["description"] == tags["og:description"]
    assert len(tags["description"]) <= 160
    assert words(ALL).startswith(tags["description"].rstrip("\u2026"))
    sitemap = ElementTree.parse(site.outdir / "sitemap.xml").getroot()
    assert "https://example.org/docs/a-corpus.html" in [
        loc.text for loc in sitemap.iter() if loc.tag.endswith("loc")
    ]
    if site.config.html_theme != "sphinx_numpy_learn":
        return
    links = {a.get_text(strip=True): a["href"] for a in corpus.select(".learn-page-links a")}
    settings = site.config.learn_contributor
    assert links["Edit this page"] == edit_url(settings, "a-corpus.md")
    report = parse_qs(urlsplit(links["Report a problem with this page"]).query)
    assert report["title"] == [f"Problem on the page \u201c{words(ALL)}\u201d"]


def test_catalogs_and_the_json_export_show_the_payloads_as_text(site):
    index = soup(site, "index")
    card = index.select_one('li.learn-card[data-learn-doc="a-corpus"]')
    assert words(card.select_one(".learn-card-title").get_text()) == words(ALL)
    assert card.select_one(".learn-card-summary").get_text() == ALL
    assert json.loads(card["data-learn-tags"]) == PAYLOADS
    assert [t.get_text() for t in card.select(".learn-tag")] == PAYLOADS
    options = [o["value"] for o in index.select('select[name="tag"] option') if o["value"]]
    assert set(PAYLOADS) <= set(options)
    catalog = json.loads((site.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    assert catalog["project"] == site.config.project
    assert catalog["tiers"][0]["label"] == ALL
    assert catalog["tiers"][0]["criterion"] == ALL
    corpus = next(t for t in catalog["tutorials"] if t["docname"] == "a-corpus")
    assert words(corpus["title"]) == words(ALL)
    assert corpus["summary"] == ALL
    assert corpus["objectives"] == PAYLOADS
    assert corpus["tags"] == PAYLOADS
    assert [p["title"] for p in corpus["prerequisites"]] == PAYLOADS
    assert [p["url"] for p in corpus["prerequisites"]] == [https(p) for p in PAYLOADS]
    path = next(p for p in catalog["paths"] if p["name"] == "start")
    assert path["title"] == ALL
    # The project name reaches the progress script as a data attribute, as written.
    script = index.select_one("script[data-learn-project]")
    assert script["data-learn-project"] == site.config.project


def test_hand_written_yaml_keeps_its_values(site):
    """evil.md quotes its payloads the way people write YAML (the corpus pages use JSON)."""
    data = json.loads(soup(site, "evil").select_one('script[type="application/ld+json"]').string)
    assert data["description"] == "</script><script>__pwn()</script>"
    assert data["url"] == "https://example.org/docs/evil.html"
    assert words(data["name"]) == "Evil <script> title <script>__pwn()</script>"
    card = soup(site, "index").select_one('li.learn-card[data-learn-doc="evil"]')
    assert json.loads(card["data-learn-tags"]) == [
        '"><img src=x onerror=__pwn()>',
        "{{ config }}",
        "back\\slash 'quote\"",
    ]
    catalog = json.loads((site.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    evil = next(t for t in catalog["tutorials"] if t["docname"] == "evil")
    assert evil["outcome"] == "<!-- comment --> & more"
    assert evil["prerequisites"] == [
        {"title": "<img src=x onerror=__pwn()>", "url": "https://example.org/?q=<script>&x=\"'"}
    ]


def test_components_show_the_payloads_as_text(site):
    page = soup(site, "c-components")
    titles = [words(p.get_text()) for p in page.select("div.learn-exercise > .admonition-title")]
    assert titles == [words(f"Exercise {n}: {p}") for n, p in enumerate(PAYLOADS, start=1)]
    hints = [words(d.get_text()) for d in page.select("details.learn-hint")]
    assert hints == [words(f"Hint Try {p}") for p in PAYLOADS]
    solutions = [words(d.get_text()) for d in page.select("details.learn-solution")]
    assert solutions == [
        words(f"Solution to Exercise {n} The answer {p}") for n, p in enumerate(PAYLOADS, 1)
    ]
    questions = [words(p.get_text()) for p in page.select(".learn-checkpoint-question")]
    assert questions == [words(p) for p in PAYLOADS]
    first_choices = [
        words(s.select_one("li.learn-choice").get_text())
        for s in page.select("section.learn-checkpoint")
    ]
    assert first_choices == [words(f"a) {p}") for p in PAYLOADS]
    callouts = soup(site, "d-callouts")
    for css in ("learn-new-contributor", "learn-maintainer-note", "learn-first-time-setup"):
        title = callouts.select_one(f"aside.{css} .admonition-title")
        assert words(title.get_text()) == words(ALL), css
    steps = [words(li.get_text()) for li in callouts.select("li[data-learn-step]")]
    assert steps == [words(f"Step: {p}") for p in PAYLOADS]
    links = {a.get_text(): a["href"] for a in callouts.select("a.external")}
    assert links["Ask for help"].startswith("https://chat.example.org/")
    # The link names the configured label, as text.
    issues = links[f"Find an issue labelled \u201c{ALL}\u201d"]
    assert issues.startswith("https://github.com/org/repo")
    paths = soup(site, "e-paths")
    nav = soup(site, "a-corpus").select_one("nav.learn-path-nav")
    assert words(nav["aria-label"]) == words(f"Learning path: {ALL}")
    assert paths.select_one("ol.learn-path-steps")["data-learn-path"] == "start"


def test_notebook_outputs_errors_and_links_show_the_payloads_as_text(site):
    notebook = soup(site, "f-notebook")
    printed = notebook.select_one("div.cell_output").get_text()
    for payload in PAYLOADS:
        assert payload.strip() in printed, payload
    badges = notebook.select(".learn-execution-badge")
    assert [b.get_text() for b in badges] == ["Execution failed"]
    (row,) = soup(site, "k-report").select("table.learn-execution-report tbody tr")
    status = row.select("td")[1]
    assert words(status.get_text()) == words(f"Failed (code cell 2): ValueError: {ALL}")
    if site.config.html_theme != "sphinx_numpy_learn":
        return  # the menus are the theme's page actions
    menus = notebook.select("details.learn-notebook-menu")
    launch = {a["class"][0]: a for a in menus[1].select("a")}
    assert launch["learn-launch-custom-1"].get_text() == ALL
    for link in launch.values():
        href = link["href"]
        assert href.startswith("https://") or link["class"][0] == "learn-launch-jupyterlite"
    lite = launch["learn-launch-jupyterlite"]["href"]
    assert lite.startswith("javascript&colon;__pwn()//"), lite  # relative: no scheme


def test_maths_drop_links_that_would_run(site):
    maths = soup(site, "g-maths")
    links = [element["href"] for element in maths.select("math [href]")]
    assert links == ["https://numpy.org"]
    assert "<script>__pwn()</script>" in maths.select_one("mtext").get_text()


def test_the_notebook_error_is_reported_as_text(site):
    warnings = warnings_of(site)
    (line,) = [ln for ln in warnings.splitlines() if "notebook f-notebook:" in ln]
    assert re.search(r"code cell 2, line \d+ failed: ValueError: <script>__pwn\(\)</script>", line)


# -- Settings that hold a URL refuse what would run ---------------------------------------------

BAD_URLS = [
    "javascript:__pwn()",
    " \tJaVaScRiPt:__pwn()",
    "JAVASCRIPT:__pwn()",
    "vbscript:__pwn()",
    "data:text/html;base64,PHNjcmlwdD5fX3B3bigpPC9zY3JpcHQ+",
    "java\nscript:__pwn()",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize(
    "setting",
    [
        "launch.repository",
        "launch.binder",
        "launch.jupyterhub",
        "launch.jupyterlite",
        "launch.custom",
        "contributor.repository",
        "contributor.chat",
        "opengraph_image.",
    ],
)
def test_url_settings_refuse_what_would_run(setting, url):
    from sphinx_numpy_learn.config import LearnConfig
    from sphinx_numpy_learn.config import schema_fields as fields

    name, key = setting.split(".")
    validator = next(f for f in fields() if f.name == name).metadata["validator"]
    del LearnConfig
    value = {"custom": [{"label": "x", "url": url}]} if key == "custom" else {key: url}
    if not key:  # the setting is the address
        value = url
    assert validator.problem(value) is not None, (setting, url)


@pytest.mark.parametrize(
    "template", ["https://x/{path:d}", "https://x/{path!z}", "https://x/{path!r}", "https://x/{}"]
)
def test_custom_launch_urls_refuse_formatted_placeholders(template):
    """They would fail when the page is written, or put quotes in the address."""
    from sphinx_numpy_learn.validators import launch_settings

    problem = launch_settings().problem({"custom": [{"label": "x", "url": template}]})
    assert problem is not None


@pytest.mark.parametrize(
    "latex",
    [
        r"\href{&#106;avascript:__pwn()}{x}",
        r"\href{&#x6A;avascript:__pwn()}{x}",
        r"\href{java&#x09;script:__pwn()}{x}",
        r"\href{&#x20;javascript:__pwn()}{x}",
        r"\href{DATA:text/html,x}{x}",
    ],
)
def test_maths_links_are_checked_after_character_references(latex):
    from sphinx_numpy_learn.mathml import latex_to_mathml

    assert "href=" not in latex_to_mathml(latex, "inline")


def test_a_maths_link_that_is_not_a_url_is_no_traceback():
    from sphinx_numpy_learn.mathml import latex_to_mathml

    assert 'href="http://[x"' in latex_to_mathml(r"\href{http://[x}{y}", "inline")


# -- In the browser -------------------------------------------------------------------------------

TRAP = """
window.__pwned = [];
window.__pwn = (...args) => { window.__pwned.push("__pwn(" + args.join(",") + ")"); };
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__pwned.push(name + "(" + args.join(",") + ")"); };
}
"""

# After the scripts ran: what the DOM holds that could run.
DOM_PROBLEMS = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(element.tagName + " " + name);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(name)) {
        const value = attribute.value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\x00-\\x20]+/, "");
        if (/^(javascript|vbscript|data):/i.test(value)) found.push(element.tagName + " " + value);
      }
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def served(site):
    with served_folder(site.outdir) as url:
        yield url


def use_every_component(page) -> None:
    """Filters, checkpoints, solutions, hints, menus, checklists and "Mark as done"."""
    for form in page.locator("form.learn-catalog-filters:visible").all():
        for box in form.locator('input[name="level"]').all():
            box.check()
        for name in ("tag", "audience"):
            select = form.locator(f'select[name="{name}"]')
            if select.count():
                for value in select.locator("option").evaluate_all(
                    "options => options.map(o => o.value)"
                ):
                    select.select_option(value=value)
        form.locator('button[type="reset"]').click()
    for box in page.locator("section.learn-checkpoint").all():
        box.locator("input").first.check()
        box.locator("button.learn-checkpoint-check").click()
        box.locator("input").last.check()
        box.locator("button.learn-checkpoint-check").click()
    for summary in page.locator("details > summary:visible").all():
        summary.click()
    for step in page.locator("input.learn-step-input:visible").all():
        step.check()
    for done in page.locator("input.learn-done-input:visible").all():
        done.check()
        done.uncheck()
        done.check()


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(site, served, browser):
    dialogs: list[str] = []
    errors: list[str] = []
    context = browser.new_context()
    context.add_init_script(TRAP)
    # Nothing leaves the test server: a payload must not fetch anything either.
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), lambda route: route.abort())
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    visited = []
    for html in sorted(site.outdir.glob("*.html")):
        page.goto(f"{served}/{html.name}")
        page.wait_for_load_state("load")
        use_every_component(page)
        visited.append(html.stem)
        assert page.evaluate("window.__pwned") == [], html.name
        assert page.evaluate(DOM_PROBLEMS) == [], html.name
    # A tag with a tab in it still finds its tutorial (the option's value is the tag).
    page.goto(f"{served}/index.html")
    page.locator('select[name="tag"]').first.select_option(value=PAYLOADS[6])
    shown = page.eval_on_selector_all(
        "li.learn-card:not([hidden])", "cards => cards.map(c => c.dataset.learnDoc)"
    )
    assert shown == ["a-corpus"]
    # Sphinx's search shows the pages' titles and text: search for a payload.
    page.goto(f"{served}/search.html")
    box = page.locator('input[name="q"]:visible').first
    box.fill(PAYLOADS[1] + " __pwn")
    box.press("Enter")
    page.wait_for_load_state("load")
    page.wait_for_function("!!document.querySelector('#search-results ul.search li')")
    assert page.evaluate("window.__pwned") == []
    assert page.evaluate(DOM_PROBLEMS) == []
    assert dialogs == []
    assert errors == []
    assert {"a-corpus", "c-components", "d-callouts", "f-notebook", "index"} <= set(visited)
    context.close()
