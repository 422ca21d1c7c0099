"""The benchmarks still run and meet their targets (at a small size; times are not
checked here, only what each build executed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO_DIR


@pytest.mark.slow
def test_execution_benchmark_meets_its_targets_at_a_small_size(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.execution",
            "--notebooks",
            "3",
            "--out",
            str(tmp_path / "corpus"),
            "--json",
            str(tmp_path / "results.json"),
        ],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["passed"] is True
    executed = {name: runs["b"]["executed"] for name, runs in report["results"].items()}
    assert executed == {"cold": 3, "warm": 0, "prose": 0, "code": 1, "data": 1}


@pytest.mark.slow
def test_check_benchmark_runs_at_a_small_size(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.check",
            "--pages",
            "20",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(tmp_path / "results.json"),
        ],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| ratio check/build " in result.stdout
    assert "no problems found" in result.stdout
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["pages"] == 20
    assert report["build_warnings"] == []
    assert 0 < report["ratio"] == report["best_check_seconds"] / report["best_build_seconds"]
