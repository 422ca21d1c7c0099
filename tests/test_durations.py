"""A tutorial's duration: one value, written one way, wherever it is shown.

The ``durations`` root has a declared duration over an hour, and two estimated ones
from pages of doctest examples (rST ``>>>`` blocks and MyST ``pycon`` fences).
"""

from __future__ import annotations

import json
import re

import pytest

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.tutorial import iso_duration, minutes_text

from .conftest import soup_of, warnings_of

# What every place shows for each page (the root's conf.py makes the sums easy).
EXPECTED = {
    "declared": (170, False, "2 h 50 min", "PT2H50M"),
    "doctests": (55, True, "about 55 minutes (estimated)", "PT55M"),
    "pycon": (65, True, "about 1 h 05 min (estimated)", "PT1H5M"),
}


@pytest.fixture(scope="module")
def durations(rootdir, tmp_path_factory):
    """The root, built once for the module."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("durations") / "src"
    shutil.copytree(rootdir / "test-durations", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()  # reset docutils' registries now; the app's results stay readable
    assert warnings_of(app) == ""
    return app


@pytest.mark.parametrize("doc", list(EXPECTED))
def test_every_place_shows_the_same_duration(durations, doc):
    minutes, estimated, text, iso = EXPECTED[doc]
    record = get_domain(durations.env).tutorials[doc]
    assert (record["duration"], record["duration_estimated"]) == (minutes, estimated)
    assert minutes_text(minutes, estimated=estimated) == text
    page = soup_of(durations, doc)
    index = soup_of(durations, "index")
    shown = {
        "header card": page.select_one(".learn-tutorial-header .learn-duration"),
        "catalog card": index.select_one(f'li.learn-card[data-learn-doc="{doc}"] .learn-duration'),
        "path step": index.select_one(
            f'li.learn-path-step[data-learn-doc="{doc}"] .learn-duration'
        ),
    }
    assert {place: node.get_text() for place, node in shown.items()} == dict.fromkeys(shown, text)
    catalog = json.loads((durations.outdir / "learn-catalog.json").read_text(encoding="utf-8"))
    (entry,) = [t for t in catalog["tutorials"] if t["docname"] == doc]
    assert (entry["duration"], entry["duration_estimated"]) == (minutes, estimated)
    (script,) = page.select('script[type="application/ld+json"]')
    assert json.loads(script.string)["timeRequired"] == iso == iso_duration(minutes)


def test_a_path_total_is_written_the_same_way(durations):
    total = sum(minutes for minutes, *_ in EXPECTED.values())
    card = soup_of(durations, "index").select_one(".learn-landing-path")
    # Estimated, because two of its steps are.
    assert card.select_one(".learn-duration").get_text() == "about 4 h 50 min (estimated)"
    assert minutes_text(total, estimated=True) == "about 4 h 50 min (estimated)"
    assert re.search(r"3 tutorials · about 4 h 50 min", card.get_text())


def test_doctest_examples_are_read_not_run(durations):
    """One word a minute, ten minutes a code block: each page has 3 words of prose and
    ten examples of 5 words each (``a = 1``, ``a``, ``1``; the prompts are not words),
    and pycon.md one ordinary code block."""
    tutorials = get_domain(durations.env).tutorials
    assert tutorials["doctests"]["duration"] == 55  # 53 words, rounded up to 5 minutes
    assert tutorials["pycon"]["duration"] == 65  # 53 words and one code block


@pytest.mark.parametrize(
    ("minutes", "estimated", "text", "iso"),
    [
        (1, False, "1 minute", "PT1M"),
        (45, True, "about 45 minutes (estimated)", "PT45M"),
        (60, False, "1 h", "PT1H"),
        (61, False, "1 h 01 min", "PT1H1M"),
        (250, True, "about 4 h 10 min (estimated)", "PT4H10M"),
    ],
)
def test_minutes_text(minutes, estimated, text, iso):
    assert minutes_text(minutes, estimated=estimated) == text
    assert iso_duration(minutes) == iso
