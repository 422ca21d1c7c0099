"""Benchmark: cold builds of notebooks that take a while, run one at a time, several at
once, or on a Dask cluster.

For each corpus size N (default 12 and 40), generates N MyST Markdown notebooks that
each take about ``--seconds`` (default 2) to run: NumPy work and ``time.sleep`` split
over three cells, on top of the kernel's start. Three copies of the corpus are built
cold (empty build directory and jupyter-cache) with ``python -m sphinx -b html``, each
build a subprocess timed with ``time.perf_counter``, one after another:

(a) plain MyST-NB: ``extensions = ["myst_nb"]``, ``nb_execution_mode = "cache"``,
    ``html_theme = "pydata_sphinx_theme"`` (it runs the notebooks one at a time);
(b) ``sphinx_numpy_learn`` with its defaults: ``learn_execution_workers`` is one per CPU;
(c) ``sphinx_numpy_learn`` with ``learn_execution_cluster`` set to a
    ``distributed.LocalCluster`` of two worker processes with one thread each, started
    by the benchmark before the builds (its start is not timed).

Executed notebooks are counted from the build logs, as in ``benchmarks.execution``; a
build of (c) must run every notebook on the cluster (its log says so, and no
``learn.execution`` warning says the cluster failed). The target, for N of 12 and more:
(b) takes at most 0.65 times as long as (a), on the same machine in the same run.

Run from the repository root::

    python -m benchmarks.execution_scale [--notebooks 12 40] [--seconds 2] [--out DIR]
        [--json PATH]

The exit status is 1 when a target fails (or a build fails).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import harness
from benchmarks.environment import environment, workspace
from benchmarks.execution import docname
from benchmarks.synthetic import NOTEBOOK_FRONT_MATTER

CONFIGS = ("a", "b", "c")
DESCRIPTIONS = {
    "a": "plain MyST-NB, cache mode",
    "b": "sphinx_numpy_learn, local workers",
    "c": "sphinx_numpy_learn, 2-worker Dask cluster",
}
TARGET_RATIO = 0.65
TARGET_FROM = 12  # notebooks: below this, start-up costs dominate
BUILD_TIMEOUT = 1800  # seconds, per build
PACKAGES = ("sphinx", "myst-nb", "nbclient", "distributed", "sphinx-numpy-learn")

LEARN_EXECUTED = re.compile(r"\[learn\] \(\d+/\d+\) \S+: ok ")
ON_CLUSTER = re.compile(r"\[learn\] executing (\d+) notebook\(s\) on the Dask cluster ")

CONF = {
    "a": harness.notebook_conf("Execution at scale (a): MyST-NB", learn=False),
    "b": harness.notebook_conf(
        "Execution at scale (b): sphinx_numpy_learn, local workers", learn=True
    ),
    "c": harness.notebook_conf(
        "Execution at scale (c): sphinx_numpy_learn on a Dask cluster",
        learn=True,
        extra="learn_execution_cluster = {address!r}\n",
    ),
}

FRONT_MATTER = NOTEBOOK_FRONT_MATTER.format(learn="") + "---\n"


def notebook_text(number: int, seconds: float) -> str:
    """A notebook of about ``seconds``: the kernel's start (about half a second here)
    plus three cells that each sleep a third of the rest and do a little NumPy."""
    pause = max(0.0, seconds - 0.5) / 3
    cells = [
        f"import time\n\nimport numpy as np\n\nrng = np.random.default_rng({number})\n"
        f"time.sleep({pause:.3f})",
        f"values = rng.normal(size=(200, 200))\ntime.sleep({pause:.3f})\n"
        "round(float(values.mean()), 3)",
        f"product = values @ values.T\ntime.sleep({pause:.3f})\nproduct.shape",
    ]
    body = "\n\n".join(f"```{{code-cell}} ipython3\n{source}\n```" for source in cells)
    return (
        f"{FRONT_MATTER}\n# Notebook {number}\n\nA notebook that takes about "
        f"{seconds:g} s to run.\n\n{body}\n"
    )


def write_corpus(src: Path, notebooks: int, seconds: float) -> None:
    src.mkdir(parents=True)
    names = [docname(number) for number in range(1, notebooks + 1)]
    (src / "index.md").write_text(
        "# Execution at scale\n\n```{toctree}\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```\n",
        encoding="utf-8",
    )
    for number, name in enumerate(names, start=1):
        (src / f"{name}.md").write_text(notebook_text(number, seconds), encoding="utf-8")


@dataclass
class Build:
    config: str
    notebooks: int
    seconds: float
    returncode: int
    executed: int
    """Notebooks executed successfully, counted the configuration's way."""
    on_cluster: int = 0
    """(c): the notebooks the log says were sent to the cluster."""
    warnings: list[str] = field(default_factory=list)


def build(src: Path, config: str, notebooks: int, logs: Path) -> Build:
    seconds, process = harness.logged_build(src, logs / f"{config}-{notebooks}.log", BUILD_TIMEOUT)
    log = process.stdout + process.stderr
    counted = harness.MYST_NB_EXECUTED if config == "a" else LEARN_EXECUTED
    on_cluster = ON_CLUSTER.search(log)
    return Build(
        config=config,
        notebooks=notebooks,
        seconds=seconds,
        returncode=process.returncode,
        executed=len(counted.findall(log)),
        on_cluster=int(on_cluster.group(1)) if on_cluster else 0,
        warnings=harness.warning_lines(log),
    )


def run(work: Path, sizes: list[int], seconds: float, address: str) -> dict[int, dict[str, Build]]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Build]] = {}
    for notebooks in sizes:
        corpus = work / f"corpus-{notebooks}"
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, notebooks, seconds)
        results[notebooks] = {}
        for config in CONFIGS:
            src = work / f"{config}-{notebooks}"
            shutil.rmtree(src, ignore_errors=True)
            shutil.copytree(corpus, src)
            (src / "conf.py").write_text(CONF[config].format(address=address), encoding="utf-8")
            result = build(src, config, notebooks, logs)
            results[notebooks][config] = result
            print(
                f"  {notebooks:>3} notebooks ({config}): executed {result.executed:>3}, "
                f"{result.seconds:6.2f} s, exit status {result.returncode}",
                flush=True,
            )
    return results


def targets(results: dict[int, dict[str, Build]]) -> list[harness.Check]:
    checks = []
    for notebooks, builds in results.items():
        failed = [config for config, result in builds.items() if result.returncode]
        checks.append(
            harness.Check(
                f"{notebooks}: every build exits with status 0",
                "none",
                ", ".join(failed) or "none",
                not failed,
            )
        )
        for config, result in builds.items():
            checks.append(
                harness.Check(
                    f"{notebooks}: ({config}) executes every notebook successfully",
                    str(notebooks),
                    str(result.executed),
                    result.executed == notebooks,
                )
            )
        c = builds["c"]
        fell_back = [line for line in c.warnings if "Dask" in line]
        checks.append(
            harness.Check(
                f"{notebooks}: (c) runs every notebook on the cluster, none falls back to here",
                f"{notebooks}, no warning",
                f"{c.on_cluster}, {len(fell_back)} warning(s)",
                c.on_cluster == notebooks and not fell_back,
            )
        )
        if notebooks >= TARGET_FROM:
            ratio = builds["b"].seconds / builds["a"].seconds
            checks.append(
                harness.Check(
                    f"{notebooks}: time (b) / time (a) at most {TARGET_RATIO}",
                    f"<= {TARGET_RATIO}",
                    f"{ratio:.2f}",
                    ratio <= TARGET_RATIO,
                )
            )
    return checks


def table(results: dict[int, dict[str, Build]]) -> list[str]:
    rows = [("notebooks", "time (a) s", "time (b) s", "time (c) s", "ratio b/a", "ratio c/a")]
    for notebooks, builds in results.items():
        a, b, c = (builds[config].seconds for config in CONFIGS)
        rows.append(
            (str(notebooks), f"{a:.2f}", f"{b:.2f}", f"{c:.2f}", f"{b / a:.2f}", f"{c / a:.2f}")
        )
    return harness.markdown_table(rows, text_columns=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.execution_scale",
        description="Time cold builds of slow notebooks: plain MyST-NB (a), sphinx_numpy_learn "
        "with local workers (b) and on a 2-worker Dask LocalCluster (c).",
    )
    parser.add_argument(
        "--notebooks", type=int, nargs="+", default=[12, 40], help="corpus sizes (default 12 40)"
    )
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="run time of each notebook (default 2)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="work directory, kept afterwards (default: a temporary directory)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if min(args.notebooks) < 1 or args.seconds < 0:
        parser.error("--notebooks must be at least 1 and --seconds at least 0")

    from distributed import LocalCluster

    env = environment(PACKAGES)
    sizes = ", ".join(map(str, args.notebooks))
    with (
        workspace(
            f"Execution at scale: {sizes} notebook(s) of about {args.seconds:g} s",
            env,
            args.out,
            "learn-bench-scale-",
        ) as work,
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        ) as cluster,
    ):
        print(f"Dask LocalCluster: {cluster.scheduler_address}, 2 workers", flush=True)
        results = run(work, args.notebooks, args.seconds, cluster.scheduler_address)
        checks = targets(results)
        print()
        print("\n".join(table(results)))
        harness.report_warnings(
            [
                (f"{result.config}, {result.notebooks}", line)
                for builds in results.values()
                for result in builds.values()
                for line in result.warnings
            ]
        )
        print()
        passed = harness.report_checks(checks)
        if not passed:
            for builds in results.values():
                for result in builds.values():
                    if result.returncode:
                        log = work / "logs" / f"{result.config}-{result.notebooks}.log"
                        harness.report_log_tail(log, result.config)

    data = {
        "notebooks": args.notebooks,
        "seconds": args.seconds,
        "environment": env,
        "results": {
            str(notebooks): {config: asdict(result) for config, result in builds.items()}
            for notebooks, builds in results.items()
        },
    }
    return harness.finish(args.json, data, checks, passed)


if __name__ == "__main__":
    sys.exit(main())
