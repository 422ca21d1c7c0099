"""Benchmark: ``sphinx-numpy-learn check`` against a full HTML build of the same project.

Generates a synthetic project of N tutorial pages (:mod:`benchmarks.synthetic`:
plain MyST Markdown, about 1200 words each, no notebooks) once, then times, each in
a fresh subprocess of the same interpreter with ``time.perf_counter``:

(a) a full serial build, ``python -m sphinx -b html -q SRC OUT``, with ``OUT`` (and
    so its ``.doctrees``) removed before every run;
(b) ``python -m sphinx_numpy_learn check SRC``, which must exit with status 0.

With ``--repeat R`` both run R times, interleaved (build, check, build, check, ...)
so both see the same machine load, and the best time of each counts. The target,
from the issue: the check takes less than 10 % of the time of the full build.

Run from the repository root::

    python -m benchmarks.check [--pages 300] [--repeat 1] [--workdir DIR] [--json PATH]

The exit status is 1 when a build or the check fails (or the check finds a
problem); a missed target is reported, not an error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.environment import environment as shared_environment
from benchmarks.environment import workspace
from benchmarks.synthetic import write_site

TARGET = 0.10
TIMEOUT = 3600  # seconds, per subprocess
FAILED_OUTPUT_LINES = 30


class Failure(Exception):
    """A build or check that did not run cleanly."""


@dataclass
class Run:
    command: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str


def timed(command: list[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    seconds = time.perf_counter() - start
    return Run(command, seconds, process.returncode, process.stdout, process.stderr)


def fail(what: str, run: Run) -> Failure:
    output = (run.stdout + run.stderr).splitlines()
    return Failure(
        f"{what} failed with exit status {run.returncode}: {' '.join(run.command)}\n"
        + "\n".join(output[-FAILED_OUTPUT_LINES:])
    )


def full_build(src: Path, out: Path) -> Run:
    shutil.rmtree(out, ignore_errors=True)  # also removes OUT/.doctrees
    run = timed([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)])
    if run.returncode:
        raise fail("the full build", run)
    return run


def check(src: Path) -> Run:
    run = timed([sys.executable, "-m", "sphinx_numpy_learn", "check", str(src)])
    if run.returncode or "no problems found" not in run.stdout:
        raise fail("sphinx-numpy-learn check", run)
    return run


@dataclass
class Results:
    pages: int
    seed: int
    repeat: int
    build_seconds: list[float] = field(default_factory=list)
    check_seconds: list[float] = field(default_factory=list)
    build_warnings: list[str] = field(default_factory=list)
    check_summary: str = ""

    @property
    def build(self) -> float:
        return min(self.build_seconds)

    @property
    def check(self) -> float:
        return min(self.check_seconds)

    @property
    def ratio(self) -> float:
        return self.check / self.build

    @property
    def met(self) -> bool:
        return self.ratio < TARGET


def run(work: Path, pages: int, repeat: int, seed: int) -> Results:
    src, out = work / "src", work / "out"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    write_site(src, pages, seed)
    print(f"  generated {pages} page(s) in {time.perf_counter() - start:.2f} s", flush=True)
    results = Results(pages=pages, seed=seed, repeat=repeat)
    for round_ in range(1, repeat + 1):
        built = full_build(src, out)
        results.build_seconds.append(built.seconds)
        print(f"  ({round_}/{repeat}) full build: {built.seconds:7.2f} s", flush=True)
        if round_ == 1:
            results.build_warnings = [
                line for line in (built.stdout + built.stderr).splitlines() if line.strip()
            ]
        checked = check(src)
        results.check_seconds.append(checked.seconds)
        results.check_summary = checked.stdout.strip().splitlines()[-1]
        print(f"  ({round_}/{repeat}) check:      {checked.seconds:7.2f} s", flush=True)
    return results


def table(results: Results) -> list[str]:
    rows = [
        ("measure", "value"),
        ("pages", str(results.pages)),
        ("full build s (sphinx -b html, serial)", f"{results.build:.2f}"),
        ("check s (sphinx-numpy-learn check)", f"{results.check:.2f}"),
        ("ratio check/build", f"{results.ratio:.3f}"),
        ("target", f"< {TARGET:.2f}"),
        ("result", "met" if results.met else "NOT met"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"| {row[0].ljust(widths[0])} | {row[1].rjust(widths[1])} |" for row in rows]
    separator = f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 1)}:|"
    return [lines[0], separator, *lines[1:]]


def environment() -> dict[str, str]:
    return shared_environment(
        ("sphinx", "docutils", "myst-parser", "myst-nb", "sphinx-numpy-learn")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.check",
        description="Time `sphinx-numpy-learn check` against a full `sphinx-build -b html` "
        "of the same synthetic project (target: check < 10% of the build).",
    )
    parser.add_argument("--pages", type=int, default=300, help="tutorial pages (default 300)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each, interleaved; the best time of each counts (default 1)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="work directory, kept afterwards (default: a temporary directory); its src/ "
        "and out/ are replaced",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    env = environment()
    with workspace(
        f"Check benchmark: {args.pages} page(s), {args.repeat} run(s) of each",
        env,
        args.workdir,
        "learn-check-bench-",
    ) as work:
        try:
            results = run(work, args.pages, args.repeat, args.seed)
        except (Failure, subprocess.TimeoutExpired) as exc:
            print(f"\nFAILED: {exc}", file=sys.stderr)
            return 1

    print()
    print("\n".join(table(results)))
    print()
    print(f"Check output: {results.check_summary}")
    if results.build_warnings:
        print(f"The full build printed {len(results.build_warnings)} line(s) with -q:")
        for line in results.build_warnings[:FAILED_OUTPUT_LINES]:
            print(f"  {line}")
    verdict = "met" if results.met else "NOT met"
    print(
        f"Target check < {TARGET:.0%} of the full build: {verdict} "
        f"(check {results.check:.2f} s, build {results.build:.2f} s, "
        f"ratio {results.ratio:.3f})."
    )

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    **asdict(results),
                    "best_build_seconds": results.build,
                    "best_check_seconds": results.check,
                    "ratio": results.ratio,
                    "target": TARGET,
                    "met": results.met,
                    "environment": env,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
