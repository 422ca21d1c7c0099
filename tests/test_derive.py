"""Tutorials read from their opening sections (sphinx_numpy_learn.derive): which pages
are tutorials, the text of each field, and one judge for the build and ``check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinx_numpy_learn import derive
from sphinx_numpy_learn.check.runner import load_project, tutorials_of

from .conftest import EXAMPLE_DOCS, soup_of, warnings_of

# MyST-Parser's include directive reads env.app, which Sphinx 9 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'sphinx.environment.BuildEnvironment.app' is deprecated"
)
DRIFTED = "drifted-collection"
# Fields with a plain default in learn-catalog.json when a page does not set them.
DEFAULTS = {
    "level": None,
    "outcome": "",
    "objectives": [],
    "needs": [],
    "keypoints": [],
    "tags": [],
    "audience": "learner",
    "audience_description": "",
}


def check_tutorials(srcdir: Path) -> dict:
    project = load_project(srcdir)
    try:
        return tutorials_of(project)
    finally:
        project.close()


def assert_check_agrees_with_build(srcdir: Path, catalog: dict) -> None:
    """``check`` and the build (its learn-catalog.json) agree on the set of tutorials
    and on every field of each."""
    built = {entry["docname"]: entry for entry in catalog["tutorials"]}
    checked = check_tutorials(srcdir)
    assert checked, "no tutorials to compare"
    assert sorted(checked) == sorted(built)
    for docname, tutorial in checked.items():
        entry, values = built[docname], tutorial.values
        for name, default in DEFAULTS.items():
            assert entry[name] == values.get(name, default), (docname, name)
        if "duration" in values:
            assert (entry["duration"], entry["duration_estimated"]) == (values["duration"], False)
        else:
            assert entry["duration_estimated"], docname
        if "summary" in values or "outcome" in values:
            assert entry["summary"] == values.get("summary", values.get("outcome")), docname
        documents = [p["docname"] for p in entry["prerequisites"] if "docname" in p]
        assert documents == tutorial.prerequisite_docs, docname


# -- The drifted collection ------------------------------------------------------------------


@pytest.fixture(scope="module")
def drifted(rootdir, tmp_path_factory):
    """The collection built once for this module, with debug messages logged."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("drifted") / DRIFTED
    shutil.copytree(rootdir / f"test-{DRIFTED}", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(), verbosity=2)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_drifted_collection_builds_without_warnings(drifted):
    assert "[learn." not in warnings_of(drifted)
    assert "Traceback" not in warnings_of(drifted)


def test_drifted_collection_fields(drifted, file_regression):
    """Every tutorial of the collection, field by field, as the build stores it."""
    tutorials = drifted.env.domains["learn"].tutorials
    shown = {
        docname: {
            key: record[key]
            for key in (
                "sources",
                "level",
                "outcome",
                "objectives",
                "needs",
                "audience_description",
                "summary",
                "rich",
                "shown_in_page",
            )
        }
        for docname, record in sorted(tutorials.items())
    }
    text = json.dumps(shown, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    file_regression.check(text, basename="drifted-collection", extension=".json")


def test_drifted_collection_recognises_every_tutorial(drifted):
    tutorials = set(drifted.env.domains["learn"].tutorials)
    assert tutorials == {
        "interleaved",  # a learner profile between its opening sections
        "prerequisites-only",  # one opening section, a MyST notebook
        "legacy-prerequisites",  # one opening section, an .ipynb
        "restructured",
        "eval-rst",  # the tutorial directive inside eval-rst
        "only-directive",  # ... inside only, in MyST
        "only-rst",  # ... inside only, in rST
        "included",  # opening sections from an included file
        "patterned/bare",  # learn_tutorial_patterns
    }
    # A contributor page with a "Prerequisites" section is no notebook.
    assert "contributor-setup" not in tutorials


def test_debug_log_says_why_a_page_is_or_is_not_a_tutorial(drifted):
    status = drifted.status.getvalue()
    assert "[learn] interleaved is a tutorial: its opening sections fill" in status
    assert "[learn] contributor-setup is not a tutorial: one opening section" in status
    assert "it is not a notebook" in status
    assert "[learn] patterned/bare is a tutorial: its name matches" in status


def test_check_and_build_agree_on_drifted_collection(drifted):
    catalog = json.loads((drifted.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    assert_check_agrees_with_build(drifted.srcdir, catalog)


@pytest.mark.slow
def test_check_and_build_agree_on_example_docs(example_build):
    catalog = json.loads((example_build.outdir / "learn-catalog.json").read_text("utf-8"))
    assert len(catalog["tutorials"]) >= 6
    assert_check_agrees_with_build(EXAMPLE_DOCS, catalog)


def test_catalog_card_keeps_inline_markup(drifted):
    cards = {card["data-learn-doc"]: card for card in soup_of(drifted).select("li.learn-card")}
    summary = cards["restructured"].select_one(".learn-card-summary")
    assert summary.select_one("code").get_text() == "np.linalg.lstsq"
    assert summary.get_text() == "Fit a line through noisy points, using np.linalg.lstsq."


def test_json_ld_describes_the_audience(drifted):
    soup = soup_of(drifted, "interleaved")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["audience"]["audienceType"].startswith("This tutorial is for analysts")


# -- The rules, on plain data ---------------------------------------------------------------


def text(value: str) -> list[dict]:
    return [{"text": value}]


def paragraph(value: str) -> dict:
    return {"paragraph": text(value)}


def bullets(*items: str, nested: tuple[str, ...] = ()) -> dict:
    entries = [{"text": text(item), "items": []} for item in items]
    if nested:
        entries[-1]["items"] = [{"text": text(item), "items": []} for item in nested]
    return {"list": entries, "ordered": False}


def test_paragraphs_join_as_sentences():
    blocks = [paragraph("You'll load one 2D array"), paragraph("You'll save these arrays")]
    assert derive.plain(derive.sentences_of(blocks)) == (
        "You'll load one 2D array. You'll save these arrays."
    )


def test_a_list_joins_after_its_lead_in():
    blocks = [paragraph("You'll make:"), bullets("a chart,", "a table")]
    assert derive.plain(derive.sentences_of(blocks)) == "You'll make: a chart; a table."


def test_every_paragraph_and_list_becomes_items():
    blocks = [
        paragraph("Read files."),
        paragraph("You'll be able to:"),
        bullets("one", nested=("deep",)),
        bullets("two"),
    ]
    items = [derive.plain(item) for item in derive.items_of(blocks)]
    assert items == ["Read files.", "one: deep", "two"]


def test_citation_markers_are_dropped():
    spans = derive.clean_spans([{"text": "Load a file [1]. See "}, {"text": "a[1]", "code": True}])
    assert spans == [{"text": "Load a file. See "}, {"text": "a[1]", "code": True}]


def part(title: str | None, blocks: int = 1, *, code: bool = False) -> derive.Part:
    return derive.Part(title, None, [paragraph("x")] * blocks, code=code)


def test_short_unknown_sections_are_skipped():
    opening = derive.find_opening(
        [
            part("What you'll do"),
            part("Learner profile"),
            part("Table of contents", 2),
            part("What you'll learn"),
            part(None),
            part("Step one", code=True),
        ]
    )
    assert list(opening.sections) == ["outcome", "audience_description", "objectives"]
    assert opening.skipped == ["Table of contents"]


@pytest.mark.parametrize(
    ("section", "reason"),
    [
        (part("Load the data", code=True), "holds code"),
        (part("Background", 4), "more than 3 paragraphs"),
        (part("On your own"), "closing section"),
    ],
)
def test_search_stops_at_content(section, reason):
    opening = derive.find_opening([section, part("What you'll learn")])
    assert not opening.sections
    assert reason in opening.stop


@pytest.mark.parametrize(
    ("position", "notebook", "expected"),
    [(0, True, True), (2, True, True), (3, True, False), (0, False, False)],
)
def test_one_opening_section_makes_a_notebook_a_tutorial(position, notebook, expected):
    parts = [part(f"Aside {n}") for n in range(position)] + [part("Prerequisites")]
    opening = derive.find_opening(parts)
    judgement = derive.judge(
        declares=False,
        pattern=None,
        opening=opening,
        derived=["needs"],
        is_notebook=lambda: notebook,
    )
    assert judgement.is_tutorial is expected, judgement.reason


@pytest.mark.sphinx(
    "html", testroot="tutorials", confoverrides={"learn_tutorial_patterns": ["tutorials/*.md"]}
)
def test_tutorial_patterns_are_document_names(app):
    assert "ends with a file suffix" in warnings_of(app)
    assert "[learn.config]" in warnings_of(app)


# -- Key points sections and back matter --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "keypoints", "back_matter"),
    [
        ("Key points", True, False),
        ("Summary and next steps", True, False),  # joined to back matter
        ("Recap: slicing", True, False),  # a subtitle after a colon
        ("5. Key takeaways", True, False),  # a number in front
        ("What you've learned", True, False),
        ("Next steps", False, True),
        ("References and further reading", False, True),
        ("License", False, True),
        ("Slicing", False, False),
        ("Summary of slicing rules", False, False),
    ],
)
def test_key_points_and_back_matter_headings(title, keypoints, back_matter):
    assert derive.is_keypoints_heading(title) is keypoints
    assert derive.is_back_matter(title) is back_matter


def test_the_last_key_points_section_is_the_pages():
    parts = [
        derive.Part("Summary"),
        derive.Part("Slicing"),
        derive.Part(None),
        derive.Part("Recap: slicing"),
        derive.Part("References"),
    ]
    assert derive.find_keypoints(parts) is parts[3]
    assert derive.find_keypoints(parts[1:3]) is None


def test_declared_key_points_read_back_quotes_as_code():
    texts, blocks = derive.declared_points(["``np.zeros`` or `np.ones` makes one", "Plain."])
    assert texts == ["np.zeros or np.ones makes one", "Plain."]
    assert derive.items_of(blocks) == [
        [
            {"text": "np.zeros", "code": True},
            {"text": " or "},
            {"text": "np.ones", "code": True},
            {"text": " makes one"},
        ],
        [{"text": "Plain."}],
    ]


def test_the_key_points_box_goes_before_the_back_matter():
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from sphinx_numpy_learn.key_points import key_points, place_box
    from sphinx_numpy_learn.records import tutorial_record

    source = (
        "Title\n=====\n\nText.\n\nSlicing\n-------\n\nMore.\n\n"
        "References\n----------\n\nA book.\n\nLicense\n-------\n\nCC-BY.\n"
    )
    document = new_document("page.rst", get_default_settings(Parser))
    Parser().parse(source, document)
    texts, blocks = derive.declared_points(["A point."])
    record = tutorial_record(
        title="Title",
        line=None,
        duration=5,
        duration_estimated=True,
        keypoints=texts,
        rich={"keypoints": blocks},
    )
    place_box(document, record, 3)
    top = next(iter(document.findall(nodes.section)))
    kinds = [
        "box" if isinstance(child, key_points) else child[0].astext()
        for child in top.children
        if isinstance(child, nodes.section | key_points)
    ]
    assert kinds == ["Slicing", "box", "References", "License"]
