"""Tutorial metadata, tier badges, header cards, the catalog and learning paths."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from sphinx_numpy_learn import metadata
from sphinx_numpy_learn.config import get_learn_config
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.tiers import tiers_validator

from .conftest import assert_warnings_exactly, soup_of, warnings_of


def record_without_provenance(record: dict) -> dict:
    """A tutorial record without where it came from (lines, sources, and the rich
    text kept only for fields read from the page)."""
    ignored = {"line", "sources", "shown_in_page", "rich"}
    clean = {k: v for k, v in record.items() if k not in ignored}
    clean["prerequisites"] = [
        {k: v for k, v in p.items() if k != "line"} for p in clean["prerequisites"]
    ]
    # Derived text is the rendered text: Sphinx's smart quotes curled the apostrophe.
    return json.loads(json.dumps(clean).replace("\\u2019", "'"))


# -- Declaring metadata ------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="declare", freshenv=True)
def test_three_ways_to_declare_give_the_same_metadata(app):
    app.build()
    assert warnings_of(app) == ""
    tutorials = get_domain(app.env).tutorials
    assert set(tutorials) == {"front-matter", "directive-rst", "directive-myst", "headings"}
    expected = {
        "title": "Sort measurements",
        "level": "intermediate",
        "duration": 25,
        "duration_estimated": False,
        "prerequisites": [
            {"doc": "prereq"},
            {"title": "NumPy documentation", "url": "https://numpy.org/doc/stable/"},
        ],
        "outcome": "You'll sort a list of measurements.",
        "objectives": ["Sort an array", "Find the median"],
        "needs": ["Array basics"],
        "keypoints": [],
        "tags": ["sorting", "statistics"],
        "audience": "learner",
        "audience_description": "",
        "summary": "Sort measurements and find their middle.",
    }
    for docname, record in tutorials.items():
        assert record_without_provenance(record) == expected, docname
    assert set(tutorials["front-matter"]["sources"].values()) == {"front-matter"}
    assert set(tutorials["directive-rst"]["sources"].values()) == {"directive"}
    headings = tutorials["headings"]["sources"]
    assert headings["objectives"] == headings["outcome"] == headings["needs"] == "headings"
    assert headings["level"] == "front-matter"


@pytest.mark.sphinx("html", testroot="declare", freshenv=True)
def test_rst_and_myst_directives_render_the_same_header(app):
    app.build()

    def header(page: str) -> str:
        card = soup_of(app, page).select_one("aside.learn-tutorial-header")
        card.select_one("p.learn-done").decompose()  # names its own page
        return card.prettify()

    assert header("directive-rst") == header("directive-myst") == header("front-matter")
    # A page that shows its own "What you'll learn" section is not repeated in the card.
    card = soup_of(app, "headings").select_one("aside.learn-tutorial-header").get_text()
    assert "Prerequisites" in card
    assert "What you'll learn" not in card
    assert "Find the median" not in card


@pytest.mark.sphinx("html", testroot="declare", freshenv=True, verbosity=2)
def test_debug_log_says_where_each_field_came_from(app):
    app.build()
    status = app.status.getvalue()
    assert "[learn] headings: " in status
    assert "level from front-matter" in status
    assert "objectives from headings" in status


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("What you'll do", "outcome"),
        ("What you\u2019ll learn:", "objectives"),
        ("SKILLS YOU'LL LEARN", "objectives"),
        ("Learning objectives", "objectives"),
        ("What you will need", "needs"),
        ("Prerequisites:", "needs"),
        ("What you'll build", None),
        ("In practice", None),
    ],
)
def test_style_guide_headings(title, field):
    assert metadata.heading_field(title) == field


def test_front_matter_keeps_line_numbers():
    source = "---\njupytext: {}\nlearn:\n  level: beginner\n  tags:\n    - a\n---\n# Title\n"
    declared = metadata.from_front_matter(source, ".md")
    assert declared is not None
    assert declared.values == {"level": "beginner", "tags": ["a"]}
    assert declared.line == 3
    assert declared.lines == {"level": 4, "tags": 5}


def test_pages_without_learn_front_matter_are_left_alone():
    assert metadata.from_front_matter("---\ntitle: x\n---\n# T\n", ".md") is None
    assert metadata.from_front_matter("# No front matter\n", ".md") is None
    # Broken YAML that is not ours is MyST's to report.
    assert metadata.from_front_matter("---\ntitle: [x\n---\n", ".md") is None


def test_notebook_metadata_is_read_from_ipynb():
    notebook = {"metadata": {"learn": {"level": "beginner"}}, "cells": [], "nbformat": 4}
    declared = metadata.from_front_matter(json.dumps(notebook), ".ipynb")
    assert declared is not None
    assert declared.values == {"level": "beginner"}


def test_schema_is_valid_and_lists_every_field():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(metadata.schema())
    assert metadata.field_names() == (
        "level",
        "duration",
        "prerequisites",
        "objectives",
        "outcome",
        "needs",
        "keypoints",
        "tags",
        "audience",
        "audience_description",
        "summary",
        "inputs",
        "timeout",
    )
    assert "inputs" not in metadata.tutorial_field_names()
    for name, spec in metadata.schema()["properties"].items():
        assert spec["description"], name


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"duration": "soon"}, "'duration': expected a whole number, got 'soon'"),
        ({"duration": 0}, "'duration': expected minutes between 1 and 1440"),
        ({"audience": "everyone"}, "expected one of learner, contributor"),
        ({"tags": [1]}, "'tags[0]': expected text, got 1"),
        ({"prerequisites": [{"title": "x", "url": "data:text/html,hi"}]}, "http(s) 'url'"),
        ({"levl": "beginner"}, "did you mean 'level'?"),
    ],
)
def test_invalid_values_are_dropped_with_a_reason(values, message):
    checked = metadata.validate(metadata.Declared("front-matter", values, {}, 1))
    assert checked.values == {}
    assert len(checked.problems) == 1
    assert message in checked.problems[0].message


def test_a_single_string_is_a_one_item_list():
    checked = metadata.validate(metadata.Declared("front-matter", {"objectives": "Sort"}))
    assert checked.values == {"objectives": ["Sort"]}
    assert checked.problems == []


# -- Warnings ----------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="bad-metadata", freshenv=True)
def test_every_bad_input_warns_with_file_line_and_type(app):
    app.build()
    src = app.srcdir
    expected = [
        (f"{src / 'unknown-tier.md'}:3:", "unknown level 'expert'", "learn.level"),
        (f"{src / 'bad-duration.md'}:4:", "'duration': expected a whole number", "learn.metadata"),
        (
            f"{src / 'missing-prereq.md'}:3:",
            "'does-not-exist' is not a document",
            "learn.prerequisite",
        ),
        (f"{src / 'cycle-a.md'}:3:", "cycle (cycle-a → cycle-b → cycle-a)", "learn.prerequisite"),
        (f"{src / 'malformed.md'}:4:", "front matter is not valid YAML", "learn.metadata"),
        (f"{src / 'unknown-field.md'}:3:", "did you mean 'level'?", "learn.metadata"),
        (
            f"{src / 'unknown-option.rst'}:4:",
            "unknown option :difficulty: of tutorial",
            "learn.metadata",
        ),
        (f"{src / 'bad-role.md'}:3:", "unknown level 'expert' in the level role", "learn.level"),
        (f"{src / 'bad-url.md'}:3:", "'prerequisites[0]'", "learn.metadata"),
        (f"{src / 'not-mapping.md'}:2:", "must be a mapping of fields", "learn.metadata"),
        (f"{src / 'index.rst'}:9:", "unknown level 'expert' in tutorial-catalog", "learn.catalog"),
        (f"{src / 'index.rst'}:16:", "step 'no-such-page' is not a document", "learn.path"),
        (f"{src / 'index.rst'}:17:", "lists 'unknown-tier' twice", "learn.path"),
        (f"{src / 'same-path-name.md'}:3:", "name 'broken' is also used", "learn.path"),
        (f"{src / 'same-path-name.md'}:7:", "step 'nowhere' is not a document", "learn.path"),
    ]
    assert_warnings_exactly(app, expected)
    # Bad values are dropped, not the tutorial: it is still in the catalog.
    tutorials = get_domain(app.env).tutorials
    assert tutorials["bad-duration"]["level"] == "beginner"
    assert tutorials["bad-duration"]["duration_estimated"] is True
    assert tutorials["unknown-tier"]["level"] is None
    assert sorted(tutorials) == [
        "bad-duration",
        "bad-url",
        "cycle-a",
        "cycle-b",
        "missing-prereq",
        "unknown-field",
        "unknown-option",
        "unknown-tier",
    ]
    # Front matter that cannot be read declares nothing: that page is not a tutorial.
    assert "malformed" not in tutorials


@pytest.mark.sphinx(
    "html",
    testroot="bad-metadata",
    freshenv=True,
    confoverrides={"suppress_warnings": ["learn"], "learn_required_fields": ["level"]},
)
def test_warnings_can_be_suppressed(app):
    app.build()
    assert "[learn." not in warnings_of(app)


@pytest.mark.sphinx(
    "html",
    testroot="tutorials",
    freshenv=True,
    confoverrides={"learn_required_fields": ["objectives", "level"]},
)
def test_required_fields(app):
    app.build()
    warnings = warnings_of(app)
    missing_objectives = [line for line in warnings.splitlines() if "missing 'objectives'" in line]
    # first.md and second.rst declare objectives; third derives them; notebook does not.
    assert len(missing_objectives) == 1
    assert f"{app.srcdir / 'notebook.md'}:10:" in missing_objectives[0]
    assert "[learn.metadata]" in missing_objectives[0]
    assert f"{app.srcdir / 'third.md'}: WARNING: tutorial metadata is missing 'level'" in warnings


# -- Tiers and badges -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([], "empty"),
        ("beginner", "not a list"),
        ([{"label": "x"}], "needs a 'name'"),
        ([{"name": "Beginner"}], "needs a 'name'"),
        ([{"name": "a"}, {"name": "a"}], "listed twice"),
        ([{"name": "a", "icon": "skull"}], "unknown icon"),
        ([{"name": "a", "color": "#ff0000"}], "unknown color"),
        ([{"name": "a", "colour": "red"}], "unknown key"),
    ],
)
def test_tiers_validator(value, problem):
    found = tiers_validator().problem(value)
    assert found is not None
    assert problem in found


@pytest.mark.sphinx(
    "html",
    testroot="tutorials",
    freshenv=True,
    confoverrides={
        "learn_tiers": [
            {"name": "first-steps", "label": "First steps", "icon": "circle", "color": "teal"},
            {"name": "beginner"},
            {"name": "intermediate", "criterion": "You have done the first steps."},
            {"name": "advanced", "icon": "star"},
        ]
    },
)
def test_custom_tiers(app):
    app.build()
    assert warnings_of(app) == ""
    tiers = get_learn_config(app.config).tiers
    assert tiers[0]["name"] == "first-steps"
    badge = soup_of(app, "second").select_one("aside .learn-badge")
    assert badge["data-learn-level"] == "intermediate"
    assert badge["title"] == "You have done the first steps."
    assert "learn-color-purple" in badge["class"]  # the third colour of the palette
    assert badge.get_text() == "Intermediate"


@pytest.mark.sphinx(
    "html",
    testroot="tutorials",
    freshenv=True,
    confoverrides={
        "learn_tiers": [
            {"name": "beginner", "icon": "skull"},
            {"name": "Bad Name"},
            {"name": "intermediate", "colour": "red"},
            {"name": "advanced", "color": "orange"},
        ]
    },
)
def test_a_bad_tier_part_is_left_out_alone(app):
    """One typo in ``learn_tiers`` must not put every tutorial back on the default tiers."""
    app.build()
    warnings = warnings_of(app)
    for problem in (
        "tier 'beginner': unknown icon 'skull'",
        "tier 2 needs a 'name'",
        "tier 'intermediate' has an unknown key 'colour'",
    ):
        assert f"invalid entry in 'learn_tiers' ({problem}" in warnings, warnings
    assert warnings.count("[learn.config]") == 3
    assert app.config.learn_tiers == [
        {"name": "beginner"},
        {"name": "intermediate"},
        {"name": "advanced", "color": "orange"},
    ]


@pytest.mark.sphinx(
    "html", testroot="tutorials", freshenv=True, confoverrides={"learn_tiers": [{"name": 3}]}
)
def test_invalid_tiers_fall_back_to_the_defaults(app):
    app.build()
    assert "invalid value" in warnings_of(app)
    assert "[learn.config]" in warnings_of(app)
    assert [t["name"] for t in app.config.learn_tiers] == ["beginner", "intermediate", "advanced"]


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_badge_is_never_colour_only_and_links_to_its_catalog_group(app):
    app.build()
    assert warnings_of(app) == ""
    role_badge = soup_of(app, "index").select_one("a.learn-badge-link .learn-badge")
    assert role_badge is not None
    assert role_badge.select_one("svg.learn-badge-icon")["aria-hidden"] == "true"
    assert role_badge.get_text(strip=True) == "Beginner"
    link = role_badge.find_parent("a")
    assert link["href"] == "#learn-level-beginner"
    assert soup_of(app, "index").select_one("#learn-level-beginner") is not None
    header_link = soup_of(app, "second").select_one("aside a.learn-badge-link")
    assert header_link["href"] == "index.html#learn-level-intermediate"
    # Badges in catalog cards are not links of their own: the card has one link.
    card = soup_of(app, "index").select_one("li.learn-card")
    assert len(card.select("a")) == 1


# -- Header card ---------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_header_card(app):
    app.build()
    page = soup_of(app, "second")
    header = page.select_one("aside.learn-tutorial-header")
    assert header["aria-label"] == "About this tutorial"
    text = " ".join(header.get_text(" ").split())
    assert "Intermediate" in text
    assert "30 minutes" in text
    links = {a.get_text(strip=True): a["href"] for a in header.select("a")}
    assert links["Create your first arrays"] == "first.html"  # the title, resolved
    assert links["Python slicing"].startswith("https://docs.python.org/")
    assert "Select elements with indices" in text
    # The header sits right under the page title.
    assert page.select_one("section > h1").find_next_sibling() is header


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_duration_is_estimated_when_absent(app):
    app.build()
    record = get_domain(app.env).tutorials["third"]
    assert record["duration_estimated"] is True
    assert record["duration"] == 5
    text = soup_of(app, "third").select_one(".learn-duration").get_text()
    assert text == "about 5 minutes (estimated)"


def test_estimate_counts_words_cells_and_execution(root_app):
    app = root_app(
        "tutorials", confoverrides={"learn_reading_speed": 10, "learn_minutes_per_cell": 20}
    )
    app.build()
    # notebook.md: about 25 words at 10 per minute, one code cell at 20 minutes.
    assert get_domain(app.env).tutorials["notebook"]["duration"] == 25


# -- Catalog ------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_catalog_groups_by_tier_in_reading_order(app):
    app.build()
    catalog = soup_of(app, "index").select_one("div.learn-catalog")
    groups = [p.get_text() for p in catalog.select("p.rubric")]
    assert groups == ["Beginner", "Intermediate", "Advanced", "Other tutorials"]
    cards = [li["data-learn-doc"] for li in catalog.select("li.learn-card")]
    assert cards == ["first", "second", "notebook", "third"]
    second = catalog.select_one('li[data-learn-doc="second"]')
    assert json.loads(second["data-learn-tags"]) == ["arrays", "indexing"]
    assert second["data-learn-level"] == "intermediate"
    assert second["data-learn-audience"] == "learner"
    assert second.select_one(".learn-card-summary").get_text() == (
        "You'll pick out parts of a table."
    )
    # Filters exist but stay hidden until the script shows them: no JavaScript, full list.
    form = catalog.select_one("form.learn-catalog-filters")
    assert form.has_attr("hidden")
    assert [i["value"] for i in form.select('input[name="level"]')] == [
        "beginner",
        "intermediate",
        "advanced",
    ]
    assert [o["value"] for o in form.select('select[name="tag"] option')] == [
        "",
        "arrays",
        "indexing",
        "memory",
    ]
    status = catalog.select_one(".learn-catalog-status")
    assert status["role"] == "status"
    assert "{shown}" in status["data-template"]
    scripts = [s.get("src", "") for s in soup_of(app, "index").select("script")]
    assert any("learn-catalog.js" in s for s in scripts)
    # Pages with nothing a script works on load none.
    assert not any(
        "_static/learn-" in s.get("src", "") for s in soup_of(app, "genindex")("script")
    )


def test_contributor_tutorials_get_their_own_group(root_app):
    app = root_app("tutorials")
    edit(
        app.srcdir / "first.md",
        "  level: beginner\n",
        "  level: beginner\n  audience: contributor\n",
    )
    app.build()
    catalog = soup_of(app, "index").select_one("div.learn-catalog")
    groups = [p.get_text() for p in catalog.select("p.rubric")]
    assert groups == ["Intermediate", "Advanced", "Other tutorials", "For contributors"]
    assert catalog.select("ul.learn-cards")[-1].select_one("li")["data-learn-doc"] == "first"
    assert "For contributors" in soup_of(app, "first").select_one("aside").get_text()


def test_badges_link_to_the_landing_pages_catalog(root_app):
    app = root_app("tutorials")
    # "first" sorts before "index", but the landing page's catalog is the one to use.
    first = app.srcdir / "first.md"
    first.write_text(first.read_text() + "\n```{tutorial-catalog}\n```\n", encoding="utf-8")
    app.build()
    link = soup_of(app, "second").select_one("aside a.learn-badge-link")
    assert link["href"] == "index.html#learn-level-intermediate"


def test_reading_order_puts_prerequisites_first(root_app):
    app = root_app("tutorials")
    # An advanced tutorial that everything else needs comes first anyway.
    (app.srcdir / "first.md").write_text(
        (app.srcdir / "first.md")
        .read_text()
        .replace("  level: beginner\n", "")
        .replace("learn:\n", "learn:\n  prerequisites: [notebook]\n"),
        encoding="utf-8",
    )
    app.build()
    order = get_domain(app.env).reading_order({"beginner": 0, "intermediate": 1, "advanced": 2})
    assert order.index("notebook") < order.index("first")
    assert "cycle" in warnings_of(app)  # notebook needs second needs first needs notebook


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (":levels: beginner, advanced", ["first", "notebook"]),
        (":tags: indexing", ["second"]),
        (":tutorials: third, first\n   :sort: title", ["third", "first"]),
        (":tutorials: third, first", ["third", "first"]),
        (":sort: duration\n   :group-by: none", ["notebook", "third", "first", "second"]),
        (":audience: contributor", []),
    ],
)
def test_catalog_options_select_and_sort(root_app, options, expected):
    app = root_app("tutorials")
    index = app.srcdir / "index.rst"
    index.write_text(
        index.read_text().replace(".. tutorial-catalog::", f".. tutorial-catalog::\n   {options}"),
        encoding="utf-8",
    )
    app.build()
    assert warnings_of(app) == ""
    catalog = soup_of(app, "index").select_one("div.learn-catalog")
    assert [li["data-learn-doc"] for li in catalog.select("li.learn-card")] == expected
    if not expected:
        assert catalog.select_one(".learn-catalog-empty") is not None


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_catalog_json(app):
    app.build()
    data = json.loads((app.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    assert data["format_version"] == 1
    assert [t["name"] for t in data["tiers"]] == ["beginner", "intermediate", "advanced"]
    by_doc = {t["docname"]: t for t in data["tutorials"]}
    assert [t["docname"] for t in data["tutorials"]] == ["first", "second", "notebook", "third"]
    assert by_doc["second"]["url"] == "second.html"
    assert by_doc["second"]["prerequisites"][0] == {"docname": "first", "url": "first.html"}
    assert by_doc["third"]["duration_estimated"] is True
    assert data["paths"][0]["steps"][1] == {"docname": "second", "url": "second.html"}


def test_catalog_json_can_be_turned_off(root_app):
    app = root_app("tutorials", confoverrides={"learn_catalog_json": False})
    app.build()
    assert not (app.outdir / "learn-catalog.json").exists()


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_json_ld(app):
    app.build()
    scripts = soup_of(app, "second").select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "LearningResource"
    assert data["name"] == "Index and slice arrays"
    assert data["educationalLevel"] == "Intermediate"
    assert data["timeRequired"] == "PT30M"
    assert data["teaches"] == ["Select elements with indices", "Take slices of rows and columns"]
    assert not soup_of(app, "paths").select('script[type="application/ld+json"]')


# -- Learning paths -----------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="tutorials", freshenv=True)
def test_learning_path(app):
    app.build()
    steps = soup_of(app, "paths").select_one("ol.learn-path-steps")
    assert steps["id"] == "learn-path-beginner"
    assert [a["href"] for a in steps.select("a")] == ["first.html", "second.html", "notebook.html"]
    nav = soup_of(app, "second").select_one("nav.learn-path-nav")
    assert nav["aria-label"] == "Learning path: Beginner path"
    text = " ".join(nav.get_text(" ").split())
    assert "Step 2 of 3 on the learning path Beginner path" in text
    assert nav.select_one("a.learn-path-previous")["href"] == "first.html"
    assert nav.select_one("a.learn-path-next")["href"] == "notebook.html"
    # Each label is inside its link, so it never ends a line on its own.
    previous = nav.select_one("a.learn-path-previous")
    assert previous.get_text() == "Previous step: Create your first arrays"
    assert previous.select_one(".learn-path-label").get_text() == "Previous step"
    following = nav.select_one("a.learn-path-next")
    assert following.get_text() == "Next step: Control memory with views"
    assert not nav.select(".learn-path-links > .learn-path-label")
    last = soup_of(app, "notebook").select_one("nav.learn-path-nav")
    assert last.select_one("a.learn-path-next") is None
    assert soup_of(app, "third").select_one("nav.learn-path-nav") is None


def next_pages(soup) -> dict[str, str]:
    """Every "next" a page offers, by where it is: the path box, the theme's footer,
    the basic theme's relation bar, and ``<link rel="next">``."""
    found = {}
    for where, selector in {
        "path box": "nav.learn-path-nav a.learn-path-next",
        "footer": ".prev-next-area a.right-next",
        "relation bar": 'div.related a[accesskey="N"]',
        "head": 'link[rel="next"]',
    }.items():
        for link in soup.select(selector):
            found.setdefault(where, link["href"])
    return found


@pytest.mark.parametrize("theme", ["sphinx_numpy_learn", "pydata_sphinx_theme", "classic"])
def test_a_path_step_offers_one_next_page(root_app, theme):
    # The table of contents goes first, second, third; the path first, second, notebook.
    app = root_app("tutorials", confoverrides={"html_theme": theme})
    app.build()
    soup = soup_of(app, "second")
    found = next_pages(soup)
    assert found["path box"] == "notebook.html"
    assert found["head"] == "notebook.html"
    assert set(found.values()) == {"notebook.html"}, found
    assert soup.select_one('link[rel="prev"]')["href"] == "first.html"
    if theme == "classic":
        assert found["relation bar"] == "notebook.html"
        assert soup.select_one('div.related a[accesskey="P"]')["href"] == "first.html"
    else:
        # pydata-sphinx-theme's footer would say "next" too: the path box replaces it.
        assert not soup.select(".prev-next-area")
    # Off the path, the table of contents' order and the theme's footer stay.
    third = soup_of(app, "third")
    assert next_pages(third)["head"] == "notebook.html"
    if theme != "classic":
        assert third.select_one(".prev-next-area a.right-next")["href"] == "notebook.html"
        assert third.select_one(".prev-next-area a.left-prev")["href"] == "second.html"


def test_a_path_ends_where_its_last_step_is(root_app):
    app = root_app("tutorials", confoverrides={"html_theme": "sphinx_numpy_learn"})
    app.build()
    first, last = soup_of(app, "first"), soup_of(app, "notebook")
    assert not first.select('link[rel="prev"]')  # index comes before it in the toctree
    assert first.select_one('link[rel="next"]')["href"] == "second.html"
    assert last.select_one('link[rel="prev"]')["href"] == "second.html"
    assert not last.select('link[rel="next"]')  # paths.md follows it in the toctree


def test_a_page_on_two_paths_follows_the_first(root_app):
    app = root_app("tutorials", confoverrides={"html_theme": "sphinx_numpy_learn"})
    # Defined on a page whose name sorts before paths.md: its box comes first.
    (app.srcdir / "another.md").write_text(
        "# Another path\n\n```{learning-path} Review path\n:name: review\n\n"
        "third\nsecond\nfirst\n```\n",
        encoding="utf-8",
    )
    index = app.srcdir / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace("   paths\n", "   paths\n   another\n"),
        encoding="utf-8",
    )
    app.build()
    assert warnings_of(app) == ""
    soup = soup_of(app, "second")
    boxes = soup.select("nav.learn-path-nav")
    assert [box["aria-label"] for box in boxes] == [
        "Learning path: Review path",
        "Learning path: Beginner path",
    ]
    # Each box names its own path; the page's own previous and next follow the first.
    assert boxes[0].select_one("a.learn-path-next")["href"] == "first.html"
    assert boxes[1].select_one("a.learn-path-next")["href"] == "notebook.html"
    assert soup.select_one('link[rel="next"]')["href"] == "first.html"
    assert soup.select_one('link[rel="prev"]')["href"] == "third.html"


def test_path_links_in_dirhtml(root_app):
    app = root_app("tutorials", "dirhtml", confoverrides={"html_theme": "sphinx_numpy_learn"})
    app.build()
    soup = BeautifulSoup((app.outdir / "second" / "index.html").read_text("utf-8"), "html.parser")
    assert soup.select_one('link[rel="next"]')["href"] == "../notebook/"
    assert soup.select_one("a.learn-path-next")["href"] == "../notebook/"


# -- Other builders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("builder", "page"),
    [
        ("latex", "tutorials.tex"),
        ("text", "second.txt"),
        ("man", "tutorials.1"),
        ("texinfo", "tutorials.texi"),
        ("epub", "second.xhtml"),
        ("singlehtml", "index.html"),
        ("dirhtml", "second/index.html"),
    ],
)
def test_every_builder_renders_tutorials(root_app, builder, page):
    app = root_app("tutorials", builder)
    app.build()
    ours = [line for line in warnings_of(app).splitlines() if "epub" not in line.lower()]
    assert ours == []
    output = (app.outdir / page).read_text(encoding="utf-8")
    if builder in {"latex", "text", "man", "texinfo"}:
        assert "Intermediate" in output
        assert "Step 2 of 3 on the learning path" in output
        assert "Create your first arrays" in output
        assert "<aside" not in output
        assert "<svg" not in output
        # CSS and JavaScript belong to HTML builders only.
        assert not [*app.outdir.rglob("learn-*.css"), *app.outdir.rglob("learn-*.js")]
    if builder in {"text", "man", "texinfo", "latex"}:
        assert "[Intermediate]" in output
    if builder == "singlehtml":
        soup = BeautifulSoup(output, "html.parser")
        hrefs = [a["href"] for a in soup.select("nav.learn-path-nav a")]
        assert "#learn-path-beginner" in hrefs
        assert all(href.count("#") <= 1 for href in hrefs)


# -- Navigation badges (theme) -------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="nav", freshenv=True)
def test_navigation_shows_tier_badges(app):
    app.build()
    assert warnings_of(app) == ""
    for page in ("tutorials/first", "tutorials/plain"):
        nav = soup_of(app, page).select_one("nav.bd-docs-nav")
        badges = {
            a.get_text(" ", strip=True): a.select_one(".learn-nav-badge") for a in nav.select("a")
        }
        assert badges["First tutorial (Beginner)"]["title"] == "Beginner"
        assert "Second tutorial (Advanced)" in badges
        assert badges["A plain page"] is None
        assert badges["First tutorial (Beginner)"].select_one("svg")["aria-hidden"] == "true"


@pytest.mark.sphinx(
    "html",
    testroot="nav",
    freshenv=True,
    confoverrides={"html_theme_options": {"nav_badges": False}},
)
def test_navigation_badges_can_be_turned_off(app):
    app.build()
    assert not soup_of(app, "tutorials/first").select(".learn-nav-badge")


# -- Builds: incremental and parallel ------------------------------------------------------------


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def read_docs(app) -> list[str]:
    """Docnames the build re-reads (recorded through ``env-before-read-docs``)."""
    seen: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: seen.extend(docnames))
    return seen


def written_docs(app) -> list[str]:
    """Docnames the build writes (recorded through ``html-page-context``)."""
    seen: list[str] = []

    def note(app, pagename, templatename, context, doctree):
        if doctree is not None:
            seen.append(pagename)

    app.connect("html-page-context", note)
    return seen


def test_pages_that_show_a_changed_tutorial_are_rewritten_and_no_others(root_app):
    # Alabaster and no MyST dollarmath: pydata-sphinx-theme and MyST-Parser change
    # html_theme_options and mathjax settings at build time, which makes Sphinx
    # write every page on every build and would hide what this test checks.
    config = {"learn_recommended_defaults": False}
    first = root_app("tutorials", confoverrides=config)
    first.build()
    first.cleanup()
    edit(first.srcdir / "second.rst", ":level: intermediate", ":level: advanced")
    app = root_app.again(first.srcdir, confoverrides=config)
    read, written = read_docs(app), written_docs(app)
    app.build()
    assert read == ["second"]
    # The catalog, the path page, and the pages on that path (their navigation).
    assert sorted(written) == ["first", "index", "notebook", "paths", "second"]
    card = soup_of(app, "index").select_one('li[data-learn-doc="second"]')
    assert card["data-learn-level"] == "advanced"
    app.cleanup()

    # Prose only: nothing the catalog shows changes. Besides the page, only index is
    # written, and Sphinx does that itself: its toctree lists the edited page.
    edit(first.srcdir / "second.rst", "Slicing selects", "Slicing picks")
    again = root_app.again(first.srcdir, confoverrides=config)
    read, written = read_docs(again), written_docs(again)
    again.build()
    assert read == ["second"]
    assert sorted(written) == ["index", "second"]


def test_a_prerequisites_title_rewrites_the_pages_naming_it_and_nothing_else_does(
    root_app, tmp_path
):
    # A prerequisite's link shows its title only: a new summary rewrites the catalog,
    # not the pages that name it; a new title (of a tutorial or any page) does.
    src = tmp_path / "prerequisites"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx_numpy_learn"]\nnb_execution_mode = "off"\n'
        'exclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Home\n====\n\n.. tutorial-catalog::\n\n.. toctree::\n\n   basics\n   next\n   setup\n",
        encoding="utf-8",
    )
    (src / "basics.md").write_text(
        "---\nlearn:\n  level: beginner\n---\n\n# Array basics\n\nArrays hold numbers.\n",
        encoding="utf-8",
    )
    (src / "next.md").write_text(
        "---\nlearn:\n  level: intermediate\n  prerequisites: [basics, setup]\n---\n\n"
        "# Broadcasting\n\nShapes that differ.\n",
        encoding="utf-8",
    )
    (src / "setup.md").write_text("# Install NumPy\n\nWith pip.\n", encoding="utf-8")
    config = {"learn_recommended_defaults": False}
    first = root_app.again(src, confoverrides=config)
    first.build()
    first.cleanup()
    apps = []

    def written_after(page: str, old: str, new: str) -> list[str]:
        edit(src / page, old, new)
        app = root_app.again(src, confoverrides=config)
        written = written_docs(app)
        app.build()
        assert warnings_of(app) == ""
        app.cleanup()
        apps.append(app)
        return sorted(written)

    # The summary (first paragraph) shows on the catalog's card: index.
    assert written_after("basics.md", "hold numbers", "hold many numbers") == ["basics", "index"]
    # Titles show on the card, in the toctree and on the page naming it.
    assert written_after("basics.md", "# Array basics", "# Arrays") == ["basics", "index", "next"]
    # A page that is no tutorial, named as a prerequisite: its new title too.
    assert written_after("setup.md", "# Install NumPy", "# Installing NumPy") == [
        "index",
        "next",
        "setup",
    ]
    header = soup_of(apps[-1], "next").select_one(".learn-tutorial-header")
    assert "Installing NumPy" in header.get_text()


def test_parallel_build_equals_serial_build(root_app):
    serial = root_app("tutorials", confoverrides={"html_theme": "sphinx_numpy_learn"})
    serial.build()
    serial.cleanup()
    # The same sources, in a second folder, built with two processes.
    copy = serial.srcdir.parent / "tutorials-parallel"
    shutil.copytree(serial.srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    parallel = root_app.again(copy, parallel=2, confoverrides={"html_theme": "sphinx_numpy_learn"})
    parallel.build()
    assert parallel.parallel == 2
    assert warnings_of(parallel) == warnings_of(serial) == ""
    assert get_domain(parallel.env).data["tutorials"] == get_domain(serial.env).data["tutorials"]

    def pages(outdir) -> dict[str, str]:
        found = {}
        for html in sorted(outdir.rglob("*.html")):
            text = html.read_text(encoding="utf-8")
            found[str(html.relative_to(outdir))] = re.sub(r"\?v=[0-9a-f]+", "", text)
        found["learn-catalog.json"] = (outdir / "learn-catalog.json").read_text(encoding="utf-8")
        return found

    assert pages(parallel.outdir) == pages(serial.outdir)
