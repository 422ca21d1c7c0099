"""The domain's records: one constructor per type, and every build stores them as typed."""

from __future__ import annotations

import pickle
import shutil

import pytest

from sphinx_numpy_learn import records
from sphinx_numpy_learn.domain import LearnDomain

from .typed_data import assert_typed, type_errors

# Each constructor with the fewest arguments it takes, and with every one.
CONSTRUCTORS = {
    "tutorial": (
        records.tutorial_record,
        records.TutorialRecord,
        {"title": "Arrays", "line": None, "duration": 15, "duration_estimated": True},
        {
            "title": "Arrays",
            "line": 3,
            "duration": 20,
            "duration_estimated": False,
            "level": "beginner",
            "prerequisites": [
                {"doc": "basics", "line": 4},
                {"title": "Python", "url": "https://docs.python.org/"},
            ],
            "objectives": ["Make an array"],
            "outcome": "You make arrays.",
            "needs": ["Python"],
            "keypoints": ["Arrays hold one type."],
            "tags": ["arrays"],
            "audience": "contributor",
            "audience_description": "People who fix bugs",
            "summary": "Arrays, made.",
            "rich": {"outcome": [{"text": "You make arrays."}]},
            "sources": {"level": "directive"},
            "shown_in_page": ["outcome"],
        },
    ),
    "path": (
        records.path_record,
        records.PathRecord,
        {"name": "start", "title": "Start", "docname": "index", "line": 1, "steps": ["a"]},
        {"name": "start", "title": "Start", "docname": "index", "line": 1, "steps": ["a"]},
    ),
    "revision sheet": (
        records.revision_sheet_record,
        records.RevisionSheetRecord,
        {"line": 1},
        {"line": 1, "path": "start"},
    ),
    "glossary term": (
        records.glossary_term_record,
        records.GlossaryTermRecord,
        {"term": "array", "id": "term-array", "text": "A grid."},
        {"term": "array", "id": "term-array", "text": "A grid."},
    ),
    "landing": (
        records.landing_record,
        records.LandingRecord,
        {"line": 1},
        {"line": 1, "start": "start", "contribute": "guide"},
    ),
    "exercise": (
        records.exercise_record,
        records.ExerciseRecord,
        {"label": "", "id": "exercise-1", "number": 1, "title": "Exercise 1"}
        | {"docname": "a", "line": 5, "order": 0},
        {"label": "ex", "id": "ex", "number": None, "title": "Sum", "docname": "a"}
        | {"line": 5, "order": 2, "objective": "Sum an array"},
    ),
    "solution": (
        records.solution_record,
        records.SolutionRecord,
        {"target": "ex", "id": "solution-0", "line": 9, "order": 1},
        {"target": "ex", "id": "sol", "line": 9, "order": 1, "label": "sol"},
    ),
    "checkpoint": (
        records.checkpoint_record,
        records.CheckpointRecord,
        {"id": "checkpoint-0", "line": 7},
        {"id": "cp", "line": 7, "label": "cp", "objective": "Shapes"},
    ),
    "notebook": (
        records.notebook_record,
        records.NotebookRecord,
        {"suffix": ".md"},
        {"suffix": ".ipynb", "inputs": ["data/x.csv"]},
    ),
    "execution": (
        records.execution_record,
        records.ExecutionRecord,
        {
            "status": "ok",
            "runtime": 1.25,
            "source": "executed",
            "executed_at": 1.0,
            "last_success": 1.0,
            "error": "",
        },
        {
            "status": "failed",
            "runtime": 0.5,
            "source": "cache",
            "executed_at": 2.0,
            "last_success": None,
            "error": "ZeroDivisionError: division by zero",
            "cell": 2,
            "line": 24,
            "inputs": ["data/x.csv"],
            "index": 3,
            "cell_line": 2,
            "code": "1 / 0",
            "traceback": "Traceback",
            "missing": ["data/y.csv"],
            "frames": ["frame"],
        },
    ),
}


def all_keys(kind: type) -> frozenset[str]:
    return kind.__required_keys__ | kind.__optional_keys__  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", CONSTRUCTORS)
def test_each_constructor_makes_a_record_of_its_type(name):
    construct, kind, fewest, every = CONSTRUCTORS[name]
    fewest_record, every_record = construct(**fewest), construct(**every)
    assert set(fewest_record) == kind.__required_keys__
    assert set(every_record) == all_keys(kind)
    assert_typed(fewest_record, kind)
    assert_typed(every_record, kind)
    # The values given are the values kept.
    assert {k: every_record[k] for k in every} == every


def test_every_record_type_has_a_constructor():
    types = {kind for _construct, kind, _fewest, _every in CONSTRUCTORS.values()}
    stored = {
        records.TutorialRecord,
        records.PathRecord,
        records.LandingRecord,
        records.RevisionSheetRecord,
        records.GlossaryTermRecord,
        records.ExerciseRecord,
        records.SolutionRecord,
        records.CheckpointRecord,
        records.NotebookRecord,
        records.ExecutionRecord,
    }
    assert types == stored


def test_constructors_fill_the_defaults_the_pages_rely_on():
    _c, _k, fewest, _e = CONSTRUCTORS["tutorial"]
    tutorial = records.tutorial_record(**fewest)
    assert tutorial["audience"] == "learner"
    assert tutorial["level"] is None
    assert (tutorial["summary"], tutorial["outcome"], tutorial["tags"]) == ("", "", [])
    assert records.landing_record(line=1) == {"line": 1, "start": "", "contribute": ""}
    assert records.notebook_record(suffix=".md") == {"suffix": ".md", "inputs": []}
    # Lists are the record's own: appending to one record never changes another.
    tags = ["arrays"]
    first = records.tutorial_record(**fewest, tags=tags)
    first["tags"].append("shapes")
    assert tags == ["arrays"]


def test_an_execution_record_keeps_the_details_given_in_the_stored_order():
    _c, _k, fewest, every = CONSTRUCTORS["execution"]
    # The order stored records have always had (pickles and JSON compare equal).
    stored_order = [
        "status",
        "runtime",
        "source",
        "executed_at",
        "last_success",
        "error",
        "cell",
        "line",
        "index",
        "cell_line",
        "code",
        "traceback",
        "inputs",
        "missing",
        "frames",
    ]
    plain = records.execution_record(**fewest)
    # Without details: the required keys and the three every record has (cell, line
    # and inputs, filled with defaults), nothing else.
    details = {"index", "cell_line", "code", "traceback", "missing", "frames"}
    assert list(plain) == [key for key in stored_order if key not in details]
    # Given in another order, kept in that order.
    shuffled = dict(reversed(list(every.items())))
    assert list(records.execution_record(**shuffled)) == stored_order
    unreadable = records.execution_record(**fewest, missing=[])
    assert list(unreadable)[-2:] == ["inputs", "missing"]


def test_the_domain_starts_from_learn_data():
    assert set(LearnDomain.initial_data) == records.LearnData.__required_keys__
    # Added later: by Sphinx, and by the theme's site navigation.
    assert records.LearnData.__optional_keys__ == {"version", "site_navigation"}
    assert_typed(LearnDomain.initial_data)
    assert records.learn_data() is not records.learn_data()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"suffix": ".md"}, "without ['inputs']"),
        ({"suffix": ".md", "inputs": [], "kernel": "python3"}, "with unknown ['kernel']"),
        ({"suffix": ".md", "inputs": "data.csv"}, "str, not a list"),
        ({"suffix": 1, "inputs": []}, "1 is not a str"),
    ],
)
def test_the_type_check_names_what_does_not_match(value, expected):
    (error,) = type_errors(value, records.NotebookRecord)
    assert expected in error


def test_the_type_check_reads_unions_and_numbers():
    assert not list(type_errors({"doc": "a", "line": None}, records.Prerequisite))
    assert not list(type_errors({"title": "a", "url": "https://a"}, records.Prerequisite))
    assert list(type_errors({"doc": "a"}, records.Prerequisite))
    _c, _k, fewest, _e = CONSTRUCTORS["execution"]
    assert not list(
        type_errors(records.execution_record(**fewest | {"runtime": 0}), records.ExecutionRecord)
    )
    assert list(
        type_errors(
            records.execution_record(**fewest | {"runtime": True}), records.ExecutionRecord
        )
    )


# -- What builds store -----------------------------------------------------------------------


def test_the_example_site_pickles_typed_records(example_build):
    """Everything the example site keeps, as the next build reads it back."""
    with (example_build.outdir / ".doctrees" / "environment.pickle").open("rb") as file:
        env = pickle.load(file)
    data = env.domaindata["learn"]
    assert_typed(data)
    # Every kind of record is there to check (a kind the site stops using goes untested).
    kept = {key for key, value in data.items() if value}
    assert kept >= {
        "tutorials",
        "paths",
        "landings",
        "books",
        "exercises",
        "solutions",
        "checkpoints",
        "notebooks",
        "executions",
    }


@pytest.mark.sphinx("html", testroot="components", freshenv=True)
def test_components_store_typed_records(app):
    app.build()
    data = app.env.domains["learn"].data
    assert_typed(data)
    assert data["exercises"]
    assert data["solutions"]
    assert data["checkpoints"]
    assert data["revision_sheets"]
    assert data["glossary"]
    assert data["terms_used"]


# -- The environment's version ------------------------------------------------------------------


def test_the_environment_version_is_the_domain_data_version(
    make_app, rootdir, tmp_path, monkeypatch
):
    """A new data version is a new ``env_version``: Sphinx drops the pickled
    environment and reads every page again, rather than reading old records."""
    srcdir = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", srcdir)
    first = make_app("html", srcdir=srcdir)
    first.build()
    assert first.extensions["sphinx_numpy_learn"].metadata["env_version"] == 15
    assert first.env.domaindata["learn"]["version"] == 15

    monkeypatch.setattr(LearnDomain, "data_version", 16)
    again = make_app("html", srcdir=srcdir)
    assert again.extensions["sphinx_numpy_learn"].metadata["env_version"] == 16
    assert "build environment version not current" in again.status.getvalue()
    again.build()
    assert again.env.domaindata["learn"]["version"] == 16
