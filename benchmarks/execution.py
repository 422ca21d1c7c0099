"""Benchmark: which notebooks a Sphinx build executes, and how long it takes.

Generates a corpus of N small MyST Markdown notebooks (NumPy only, no randomness
without a fixed seed; one notebook reads ``data/values.csv``) and builds two copies
of it with ``python -m sphinx -b html``, each build a subprocess timed with
``time.perf_counter``:

(a) plain MyST-NB: ``extensions = ["myst_nb"]``, ``nb_execution_mode = "cache"``,
    ``html_theme = "pydata_sphinx_theme"``;
(b) ``extensions = ["sphinx_numpy_learn"]``, ``html_theme = "sphinx_numpy_learn"``
    (whose default execution mode is ``cache``).

Both build copies of the same sources. The notebook that reads the CSV file declares
it in its front matter (``learn: inputs: [data/values.csv]``); only (b) acts on that,
MyST-NB ignores the key without a warning.

Scenarios, in order, on the same build directory and jupyter-cache:

- ``cold``: fresh build directory, empty cache; every notebook runs;
- ``warm``: rebuild with nothing changed;
- ``prose``: a sentence appended to a Markdown paragraph of one notebook;
- ``code``: a number changed in a code cell of one notebook;
- ``data``: the content of ``data/values.csv`` changed.

Executed notebooks are counted from the build log: (a) MyST-NB's ``Executing notebook
using local CWD`` lines, (b) sphinx_numpy_learn's ``[learn] (i/N) docname: ...`` lines.
The targets for (b): the warm and prose rebuilds execute nothing, the code and data
edits execute exactly one notebook. (a) executes nothing on the data edit: MyST-NB
keys its cache on code cells only, so its outputs go stale.

Run from the repository root::

    python -m benchmarks.execution [--notebooks 20] [--out DIR] [--json PATH]

The exit status is 1 when a target fails (or a build fails).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.environment import environment, workspace
from benchmarks.harness import (
    MYST_NB_EXECUTED,
    Check,
    finish,
    logged_build,
    markdown_table,
    notebook_conf,
    report_checks,
    report_log_tail,
    report_warnings,
    warning_lines,
)
from benchmarks.synthetic import NOTEBOOK_FRONT_MATTER

CONFIGS = ("a", "b")
SCENARIOS = ("cold", "warm", "prose", "code", "data")
DESCRIPTIONS = {
    "cold": "cold build",
    "warm": "warm rebuild, nothing changed",
    "prose": "prose-only edit of one notebook",
    "code": "code edit of one notebook",
    "data": "edit of the data file data/values.csv",
}
DATA_FILE = "data/values.csv"
BUILD_TIMEOUT = 1800  # seconds, per build
PACKAGES = (
    "sphinx",
    "myst-nb",
    "jupyter-cache",
    "nbclient",
    "pydata-sphinx-theme",
    "sphinx-numpy-learn",
)

MYST_NB_CACHED = re.compile(r"Using cached notebook: ID=")
LEARN_EXECUTED = re.compile(r"\[learn\] \(\d+/\d+\) ")

CONF = {
    "a": notebook_conf("Execution benchmark (a): MyST-NB", learn=False),
    "b": notebook_conf("Execution benchmark (b): sphinx_numpy_learn", learn=True),
}

# The MyST notebook header of benchmarks.synthetic, then the page's learn: block.
FRONT_MATTER = NOTEBOOK_FRONT_MATTER + "{learn}---\n"
LEARN_INPUTS = f"learn:\n  inputs: [{DATA_FILE}]\n"
ADDED_SENTENCE = " This sentence was appended by the benchmark."
CODE_BEFORE = "scale = 2\n"
CODE_AFTER = "scale = 3\n"


# -- The corpus -----------------------------------------------------------------------------


def docname(number: int) -> str:
    return f"nb{number:02d}"


def prose(number: int) -> str:
    return (
        f"Notebook {number} of the benchmark corpus works with a small NumPy array: it "
        "builds the array, summarises it and reshapes it, in well under a second."
    )


def notebook_text(number: int, reads_data: bool) -> str:
    learn = LEARN_INPUTS if reads_data else ""
    if reads_data:
        first = (
            "import numpy as np\n\n"
            f'values = np.loadtxt("{DATA_FILE}", delimiter=",", skiprows=1)\n'
            "values.shape"
        )
        second = "values.sum(axis=0)"
    else:
        first = (
            "import numpy as np\n\n"
            f"rng = np.random.default_rng({number})\n"
            f"values = rng.normal(size={100 + number})\n"
            "values[:3]"
        )
        second = "round(float(values.mean()), 3), round(float(values.std()), 3)"
    third = f"{CODE_BEFORE}np.arange(12).reshape(3, 4) * scale"
    cells = "\n\n".join(f"```{{code-cell}} ipython3\n{source}\n```" for source in (first, second))
    return (
        FRONT_MATTER.format(learn=learn)
        + f"\n# Benchmark notebook {number}\n\n{prose(number)}\n\n{cells}\n\n"
        + "Finally, the same small array in a new shape.\n\n"
        + f"```{{code-cell}} ipython3\n{third}\n```\n"
    )


def data_csv(rows: int, offset: int) -> str:
    lines = ["x,y"] + [f"{i},{(i * 7 + offset) % 13}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def write_corpus(src: Path, notebooks: int) -> None:
    """The sources, without ``conf.py``, in ``src`` (the data notebook is the first)."""
    src.mkdir(parents=True)
    names = [docname(number) for number in range(1, notebooks + 1)]
    toctree = "\n".join(names)
    (src / "index.md").write_text(
        f"# Execution benchmark\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n",
        encoding="utf-8",
    )
    for number, name in enumerate(names, start=1):
        text = notebook_text(number, reads_data=number == 1)
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    (src / "data").mkdir()
    (src / DATA_FILE).write_text(data_csv(rows=10, offset=0), encoding="utf-8")


def edited_notebooks(notebooks: int) -> dict[str, int]:
    """The notebook each edit touches (numbers): not the data notebook, when there
    are three or more."""
    return {"prose": notebooks, "code": notebooks - 1 if notebooks > 2 else notebooks}


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise RuntimeError(f"expected {old!r} exactly once in {path}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def apply_edit(src: Path, scenario: str, notebooks: int) -> None:
    targets = edited_notebooks(notebooks)
    if scenario == "prose":
        number = targets["prose"]
        replace_once(src / f"{docname(number)}.md", prose(number), prose(number) + ADDED_SENTENCE)
    elif scenario == "code":
        replace_once(src / f"{docname(targets['code'])}.md", CODE_BEFORE, CODE_AFTER)
    elif scenario == "data":
        (src / DATA_FILE).write_text(data_csv(rows=12, offset=5), encoding="utf-8")
    elif scenario == "cold":
        shutil.rmtree(src / "_build", ignore_errors=True)


# -- Builds ---------------------------------------------------------------------------------


@dataclass
class Build:
    config: str
    scenario: str
    seconds: float
    returncode: int
    executed: int
    """Notebooks executed, counted the configuration's way (see the module docstring)."""
    myst_nb_executed: int
    myst_nb_cached: int
    warnings: list[str] = field(default_factory=list)


def build(src: Path, config: str, scenario: str, logs: Path) -> Build:
    seconds, process = logged_build(src, logs / f"{config}-{scenario}.log", BUILD_TIMEOUT)
    log = process.stdout + process.stderr
    myst_nb_executed = len(MYST_NB_EXECUTED.findall(log))
    learn_executed = len(LEARN_EXECUTED.findall(log))
    return Build(
        config=config,
        scenario=scenario,
        seconds=seconds,
        returncode=process.returncode,
        executed=myst_nb_executed if config == "a" else learn_executed,
        myst_nb_executed=myst_nb_executed,
        myst_nb_cached=len(MYST_NB_CACHED.findall(log)),
        warnings=warning_lines(log),
    )


def run(work: Path, notebooks: int) -> dict[str, dict[str, Build]]:
    """Every scenario for both configurations; interleaved, so both see the same machine."""
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for name in ("corpus", *CONFIGS):
        shutil.rmtree(work / name, ignore_errors=True)
    write_corpus(work / "corpus", notebooks)
    for config in CONFIGS:
        shutil.copytree(work / "corpus", work / config)
        (work / config / "conf.py").write_text(CONF[config], encoding="utf-8")
    results: dict[str, dict[str, Build]] = {}
    for scenario in SCENARIOS:
        results[scenario] = {}
        for config in CONFIGS:
            apply_edit(work / config, scenario, notebooks)
            result = build(work / config, config, scenario, logs)
            results[scenario][config] = result
            print(
                f"  {scenario:<6} ({config}): executed {result.executed:>3}, "
                f"{result.seconds:6.2f} s, exit status {result.returncode}",
                flush=True,
            )
    return results


# -- Report ---------------------------------------------------------------------------------


def target(name: str, expected: int, actual: int) -> Check:
    return Check(name, expected, actual, expected == actual)


def targets(results: dict[str, dict[str, Build]], notebooks: int) -> list[Check]:
    b = {scenario: results[scenario]["b"] for scenario in SCENARIOS}
    failed_builds = sum(
        1 for scenario in SCENARIOS for config in CONFIGS if results[scenario][config].returncode
    )
    return [
        target("every build exits with status 0 (builds that failed)", 0, failed_builds),
        target("(b) cold build executes every notebook", notebooks, b["cold"].executed),
        target("(b) warm rebuild executes 0", 0, b["warm"].executed),
        target("(b) prose-only edit executes 0", 0, b["prose"].executed),
        target("(b) code edit executes exactly 1", 1, b["code"].executed),
        target("(b) data-file edit executes exactly 1", 1, b["data"].executed),
        target(
            "(b) MyST-NB itself executes nothing (all runs are sphinx_numpy_learn's)",
            0,
            sum(build.myst_nb_executed for build in b.values()),
        ),
    ]


def table(results: dict[str, dict[str, Build]]) -> list[str]:
    rows = [("scenario", "executed (a)", "executed (b)", "time (a) s", "time (b) s", "ratio b/a")]
    for scenario in SCENARIOS:
        a, b = results[scenario]["a"], results[scenario]["b"]
        rows.append(
            (
                DESCRIPTIONS[scenario],
                str(a.executed),
                str(b.executed),
                f"{a.seconds:.2f}",
                f"{b.seconds:.2f}",
                f"{b.seconds / a.seconds:.2f}",
            )
        )
    return markdown_table(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.execution",
        description="Count and time the notebooks Sphinx builds execute, with plain MyST-NB "
        "(a) and with sphinx_numpy_learn (b).",
    )
    parser.add_argument("--notebooks", type=int, default=20, help="corpus size (default 20)")
    parser.add_argument(
        "--out",
        type=Path,
        help="work directory, kept afterwards (default: a temporary directory); its corpus/, "
        "a/, b/ and logs/ are replaced",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.notebooks < 1:
        parser.error("--notebooks must be at least 1")

    env = environment(PACKAGES)
    with workspace(
        f"Notebook execution benchmark: {args.notebooks} notebook(s)",
        env,
        args.out,
        "learn-bench-",
    ) as work:
        results = run(work, args.notebooks)
        checks = targets(results, args.notebooks)

        print()
        print("\n".join(table(results)))
        report_warnings(
            [
                (f"{build.config}, {build.scenario}", line)
                for scenario in SCENARIOS
                for build in results[scenario].values()
                for line in build.warnings
            ]
        )
        print()
        passed = report_checks(checks)
        if not passed:
            for scenario in SCENARIOS:
                for config, result in results[scenario].items():
                    if result.returncode:
                        log = work / "logs" / f"{config}-{scenario}.log"
                        report_log_tail(log, f"{config}, {scenario}")
            where = f"in {work / 'logs'}" if args.out else "(use --out DIR to keep them)"
            print(f"\nBuild logs {where}.")

    data = {
        "notebooks": args.notebooks,
        "edited": {
            scenario: docname(number)
            for scenario, number in edited_notebooks(args.notebooks).items()
        }
        | {"data": DATA_FILE},
        "environment": env,
        "results": {
            scenario: {config: asdict(results[scenario][config]) for config in CONFIGS}
            for scenario in SCENARIOS
        },
    }
    return finish(args.json, data, checks, passed)


if __name__ == "__main__":
    sys.exit(main())
