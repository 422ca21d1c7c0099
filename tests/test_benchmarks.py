"""The benchmarks still run and meet their targets (at a small size; times are not
checked here, only what each build executed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_DIR


def run_benchmark(
    name: str, tmp_path: Path, *options: str, workdir: str = "--workdir"
) -> subprocess.CompletedProcess[str]:
    """``python -m benchmarks.NAME OPTIONS`` from the repository root, its work directory
    (``workdir``, the benchmark's option for it) ``tmp_path/work`` and its JSON results
    ``tmp_path/results.json`` (:func:`report`)."""
    return subprocess.run(
        [
            *(sys.executable, "-m", f"benchmarks.{name}", *options),
            *(workdir, str(tmp_path / "work"), "--json", str(tmp_path / "results.json")),
        ],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def report(tmp_path: Path) -> dict:
    """The JSON results of :func:`run_benchmark`."""
    return json.loads((tmp_path / "results.json").read_text())


@pytest.mark.slow
def test_execution_benchmark_meets_its_targets_at_a_small_size(tmp_path):
    result = run_benchmark("execution", tmp_path, "--notebooks", "3", workdir="--out")
    assert result.returncode == 0, result.stdout + result.stderr
    results = report(tmp_path)
    assert results["passed"] is True
    executed = {name: runs["b"]["executed"] for name, runs in results["results"].items()}
    assert executed == {"cold": 3, "warm": 0, "prose": 0, "code": 1, "data": 1}


@pytest.mark.slow
def test_execution_scale_benchmark_runs_at_a_small_size(tmp_path):
    """Three short notebooks, built by plain MyST-NB, with local workers and on a
    two-worker Dask LocalCluster (the time ratio is judged from 12 notebooks up)."""
    pytest.importorskip("distributed")
    result = run_benchmark(
        "execution_scale", tmp_path, "--notebooks", "3", "--seconds", "0", workdir="--out"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = report(tmp_path)
    assert results["passed"] is True
    builds = results["results"]["3"]
    assert {config: run["executed"] for config, run in builds.items()} == {"a": 3, "b": 3, "c": 3}
    assert builds["c"]["on_cluster"] == 3
    assert "| ratio b/a |" in result.stdout


@pytest.mark.slow
def test_check_benchmark_runs_at_a_small_size(tmp_path):
    result = run_benchmark("check", tmp_path, "--pages", "20")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| ratio check/build " in result.stdout
    assert "no problems found" in result.stdout
    results = report(tmp_path)
    assert results["pages"] == 20
    assert results["build_warnings"] == []
    assert 0 < results["ratio"] == results["best_check_seconds"] / results["best_build_seconds"]


@pytest.mark.slow
def test_theme_benchmark_runs_at_a_small_size(tmp_path, example_build):
    # The weight half measures the session's build of the example site.
    site = str(example_build.outdir)
    result = run_benchmark("theme", tmp_path, "--site", site, "--pages", "3", "--rounds", "1")
    # Read the report first: over the weight budget, the run exits 1 and the
    # report says which page is over.
    assert (tmp_path / "results.json").is_file(), result.stdout + result.stderr
    results = report(tmp_path)
    assert "| page " in result.stdout
    assert "| ratio sphinx_numpy_learn/pydata_sphinx_theme " in result.stdout
    weights = {weight["page"]: weight for weight in results["weights"]}
    assert list(weights) == [
        "index",
        "tutorials/index",
        "tutorials/create-your-first-arrays",
        "contributing/make-your-first-pull-request",
        "execution-report",
        "writing/exercises",
    ]
    # Every page loads the core stylesheet and the theme's; none is over the budget.
    for page, weight in weights.items():
        assert weight["extension_bytes"] > 0, page
        assert weight["theme_bytes"] > 0, page
        assert weight["total"] == weight["css_bytes"] + weight["js_bytes"], page
        assert weight["total"] < results["weight_target"], (page, weight)
        # Every file the theme writes counts: its stylesheet is on every page.
        assert "_static/styles/learn-theme.css" in weight["css_files"], page
    assert results["weight_target"] == 15_000
    timing = results["timing"]
    assert timing["pages"] == 3
    assert all(len(times) == 1 for times in timing["seconds"].values())
    assert timing["ratio"] > 0
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.compat
def test_stacks_benchmark_runs_at_a_small_size(tmp_path, book_theme_python):
    # The Jupyter Book stack's environment is the compatibility tests' (made with PyPI).
    book_venv = str(book_theme_python.parent.parent)
    result = run_benchmark(
        "stacks",
        tmp_path,
        *("--book-venv", book_venv, "--pages", "12", "--notebooks", "2", "--rounds", "1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| full build s (serial, best) " in result.stdout
    results = report(tmp_path)
    assert (results["pages"], results["notebooks"], results["rounds"]) == (12, 2, 1)
    assert results["edited_page"] == "page-0006"
    assert results["passed"] is True
    configurations = results["configurations"]
    assert {config: data["flavour"] for config, data in configurations.items()} == {
        "a": "plain",
        "b": "learn",
        "c": "jupyter-book",
    }
    assert "sphinx-book-theme" in configurations["c"]["versions"]
    for data in configurations.values():
        assert len(data["full_seconds"]) == len(data["parallel_seconds"]) == 1
        assert len(data["incremental"]) == len(data["peak_rss"]) == 1
        assert data["peak_rss"][0] > 0
        # Each configuration runs its notebooks on its own interpreter.
        assert data["kernel"].startswith(str(Path(data["python"]).parent.parent))
    # (b) re-reads only the edited page: the catalog and the path on the index are
    # filled in when it is written, so the index is rewritten but not re-read.
    incremental = configurations["b"]["incremental"][0]
    assert incremental["reread"] == ["page-0006"]
    assert "index" in incremental["written"]
    # The tutorial page loads less CSS and JavaScript than the baseline: the theme
    # leaves out the search index and Sphinx's search scripts, which the parent theme
    # puts on every page (theme/search.py), and its own files are fewer bytes.
    page = results["tutorial_page"]
    assets = {config: configurations[config]["assets"][page] for config in "ab"}
    assert assets["a"]["js"].get("searchindex.js", 0) > 0
    assert "searchindex.js" not in assets["b"]["js"]
    assert assets["b"]["total"] < assets["a"]["total"]
    # The ratios are those of the reported best times, largest peak memory and bytes.
    measured = {
        config: {
            "full_build": min(data["full_seconds"]),
            "incremental": min(run["seconds"] for run in data["incremental"]),
            "parallel": min(data["parallel_seconds"]),
            "peak_memory": max(data["peak_rss"]),
            "css_js_bytes": data["assets"][page]["total"],
        }
        for config, data in configurations.items()
    }
    assert set(results["ratios"]) == set(measured["b"])
    for measure, value in measured["b"].items():
        for other in ("a", "c"):
            ratio = results["ratios"][measure][f"b/{other}"]
            assert ratio == pytest.approx(value / measured[other][measure]), measure


@pytest.mark.slow
def test_sidebar_benchmark_runs_at_a_small_size(tmp_path):
    result = run_benchmark("sidebar", tmp_path, "--sizes", "5", "10", "--rounds", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| site/section |" in result.stdout
    results = report(tmp_path)
    assert [size["pages"] for size in results["sizes"]] == [5, 10]
    for size in results["sizes"]:
        # Every page written (the index too), the site navigation timed where it shows.
        assert {run["pages_written"] for runs in size["runs"].values() for run in runs} == {
            size["pages"] + 1
        }
        assert size["site_nav_ms_per_page"] > 0
        assert all(run["site_nav_seconds"] == 0 for run in size["runs"]["pst"])
        assert size["sidebar_bytes"] > 0


@pytest.mark.slow
def test_overhead_benchmark_runs_at_a_small_size(tmp_path):
    result = run_benchmark(
        "overhead", tmp_path, "--sizes", "20", "--notebooks", "1", "--rounds", "1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| pages | full a s | full b s |" in result.stdout
    results = report(tmp_path)
    assert (results["sizes"], results["notebooks"], results["rounds"]) == ([20], 1, 1)
    assert results["target_size"] == 20
    assert results["passed"] is True
    size = results["results"]["20"]
    assert set(size) == {"a", "b"}
    for config, data in size.items():
        assert len(data["full_seconds"]) == len(data["incremental"]) == 1, config
        assert data["peak_rss"][0] > 0, config
        # Only the edited page is read again.
        assert data["incremental"][0]["reread"] == ["page-0010"], config
    assert len(size["b"]["check_seconds"]) == 1
    assert size["a"]["check_seconds"] == []
    # A page of ours does not load the search index; a bare page does.
    for page, weight in size["b"]["assets"].items():
        assert "searchindex.js" not in weight["js"], page
        assert "searchindex.js" in size["a"]["assets"][page]["js"], page
        assert weight["total"] < size["a"]["assets"][page]["total"], page
    names = {target["name"]: target for target in results["targets"]}
    assert {"full build b/a (20 pages)", "check / (b) full build (20 pages)"} <= set(names)
