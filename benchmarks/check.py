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
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.environment import environment, workspace
from benchmarks.harness import (
    FAILED_OUTPUT_LINES,
    FAILURES,
    check_minimums,
    failed,
    failure,
    full_html_build,
    markdown_table,
    run_command,
    write_json,
)
from benchmarks.synthetic import write_site

TARGET = 0.10
TIMEOUT = 3600  # seconds, per subprocess
PACKAGES = ("sphinx", "docutils", "myst-parser", "myst-nb", "sphinx-numpy-learn")


def check(src: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    command = [sys.executable, "-m", "sphinx_numpy_learn", "check", str(src)]
    seconds, process = run_command(command, TIMEOUT)
    if process.returncode or "no problems found" not in process.stdout:
        output = process.stdout + process.stderr
        raise failure("sphinx-numpy-learn check", command, output, process.returncode)
    return seconds, process


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
        seconds, built = full_html_build(src, out, [], "the full build", TIMEOUT)
        results.build_seconds.append(seconds)
        print(f"  ({round_}/{repeat}) full build: {seconds:7.2f} s", flush=True)
        if round_ == 1:
            results.build_warnings = [
                line for line in (built.stdout + built.stderr).splitlines() if line.strip()
            ]
        seconds, checked = check(src)
        results.check_seconds.append(seconds)
        results.check_summary = checked.stdout.strip().splitlines()[-1]
        print(f"  ({round_}/{repeat}) check:      {seconds:7.2f} s", flush=True)
    return results


def table(results: Results) -> list[str]:
    return markdown_table(
        [
            ("measure", "value"),
            ("pages", str(results.pages)),
            ("full build s (sphinx -b html, serial)", f"{results.build:.2f}"),
            ("check s (sphinx-numpy-learn check)", f"{results.check:.2f}"),
            ("ratio check/build", f"{results.ratio:.3f}"),
            ("target", f"< {TARGET:.2f}"),
            ("result", "met" if results.met else "NOT met"),
        ]
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
    check_minimums(parser, args, pages=1, repeat=1)

    env = environment(PACKAGES)
    with workspace(
        f"Check benchmark: {args.pages} page(s), {args.repeat} run(s) of each",
        env,
        args.workdir,
        "learn-check-bench-",
    ) as work:
        try:
            results = run(work, args.pages, args.repeat, args.seed)
        except FAILURES as exc:
            return failed(exc)

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
        write_json(
            args.json,
            {
                **asdict(results),
                "best_build_seconds": results.build,
                "best_check_seconds": results.check,
                "ratio": results.ratio,
                "target": TARGET,
                "met": results.met,
                "environment": env,
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
