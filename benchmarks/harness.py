"""What the benchmark drivers share: running and timing a command, the failure that
ends a run, the order of the configurations in a round, the Markdown tables, targets
and their verdicts, and the JSON report."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.environment import plain_output_env

FAILED_OUTPUT_LINES = 30  # of a failed command's output, in its Failure
LOG_TAIL_LINES = 20  # of a failed build's log, printed at the end of the report
WARNING = re.compile(r"\b(WARNING|ERROR|CRITICAL):")
MYST_NB_EXECUTED = re.compile(r"Executing notebook using (local|temporary) CWD")


class Failure(Exception):
    """A build, an installation or a check that did not run cleanly."""


# What ends a run early: its report says FAILED and the exit status is 1.
FAILURES = (Failure, subprocess.TimeoutExpired)


# -- Commands ---------------------------------------------------------------------------------


def run_command(
    command: list[str], timeout: float, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``command``, its output captured as text; the seconds it took
    (``time.perf_counter``) and the finished process."""
    start = time.perf_counter()
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    return time.perf_counter() - start, process


def failure(what: str, command: list[str], output: str, returncode: int | None = None) -> Failure:
    """``WHAT failed [with exit status N]: COMMAND`` and the end of its output."""
    status = "" if returncode is None else f" with exit status {returncode}"
    lines = output.splitlines()[-FAILED_OUTPUT_LINES:]
    return Failure(f"{what} failed{status}: {' '.join(command)}\n" + "\n".join(lines))


def full_html_build(
    src: Path, out: Path, options: list[str], what: str, timeout: float
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """``python -m sphinx -b html -q OPTIONS SRC OUT`` into a removed ``OUT`` (and so its
    ``.doctrees``), timed; a :class:`Failure` when it does not exit 0."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *options, str(src), str(out)]
    seconds, process = run_command(command, timeout)
    if process.returncode:
        raise failure(what, command, process.stdout + process.stderr, process.returncode)
    return seconds, process


def logged_build(
    src: Path, log: Path, timeout: float
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """``python -m sphinx -b html SRC SRC/_build/html``, timed, its log parseable (no
    colours); the command, exit status, time and output written to ``log``."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(src), str(src / "_build/html")]
    seconds, process = run_command(command, timeout, plain_output_env())
    log.write_text(
        f"$ {' '.join(command)}\n# exit status {process.returncode}, {seconds:.2f} s\n"
        f"# stdout\n{process.stdout}\n# stderr\n{process.stderr}",
        encoding="utf-8",
    )
    return seconds, process


def warning_lines(output: str) -> list[str]:
    """The lines of a build's output that warn or report an error."""
    return [line for line in output.splitlines() if WARNING.search(line)]


def notebook_conf(project: str, learn: bool, extra: str = "") -> str:
    """The ``conf.py`` of a notebook project: plain MyST-NB in ``cache`` mode with
    pydata-sphinx-theme, or (``learn``) sphinx_numpy_learn, extension and theme (whose
    default execution mode is ``cache``); then ``extra``."""
    if learn:
        setup = 'extensions = ["sphinx_numpy_learn"]\nhtml_theme = "sphinx_numpy_learn"\n'
    else:
        setup = (
            'extensions = ["myst_nb"]\nnb_execution_mode = "cache"\n'
            'html_theme = "pydata_sphinx_theme"\n'
        )
    return f'project = "{project}"\n{setup}exclude_patterns = ["_build"]\n{extra}'


def alternating(configs: tuple[str, ...], round_: int) -> tuple[str, ...]:
    """The configurations in the order of round ``round_`` (from 1): reversed every other
    round, so that none always builds on a warmer machine."""
    return configs if round_ % 2 else configs[::-1]


# -- Command line -----------------------------------------------------------------------------


def check_minimums(
    parser: argparse.ArgumentParser, args: argparse.Namespace, **minimums: int
) -> None:
    """Stop with a usage error at the first option below its minimum (``rounds=1``: the
    value of ``--rounds`` must be at least 1)."""
    for name, minimum in minimums.items():
        if getattr(args, name) < minimum:
            parser.error(f"--{name.replace('_', '-')} must be at least {minimum}")


# -- Report -----------------------------------------------------------------------------------


def failed(exc: BaseException, logs: Path | None = None, kept: bool = False) -> int:
    """Say why the run stopped (and, with ``logs``, where its build logs are: kept there,
    or kept only with ``--workdir``); the exit status, 1."""
    where = ""
    if logs is not None:
        where = f"\nBuild logs: {f'kept in {logs}' if kept else 'kept with --workdir DIR'}."
    print(f"\nFAILED: {exc}{where}", file=sys.stderr)
    return 1


def markdown_table(rows: list[tuple[str, ...]], text_columns: int = 1) -> list[str]:
    """A Markdown table: the first ``text_columns`` left-aligned, the others (numbers)
    right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| "
        + " | ".join(
            cell.ljust(width) if i < text_columns else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        + " |"
        for row in rows
    ]
    separator = "|" + "|".join(
        "-" * (width + 1) + ("-" if i < text_columns else ":") for i, width in enumerate(widths)
    )
    return [lines[0], separator + "|", *lines[1:]]


@dataclass
class Target:
    name: str
    value: str
    limit: str
    met: bool
    deterministic: bool
    """A miss is an error (exit status 1); times and memory only report."""


def verdict(target: Target) -> str:
    if target.met:
        return "PASS"
    return "FAIL" if target.deterministic else "NOT met"


def report_targets(checks: list[Target]) -> bool:
    """Print the targets' table and whether the deterministic ones are met (which the
    result is)."""
    rows: list[tuple[str, ...]] = [("target", "value", "limit", "result")]
    rows += [(t.name, t.value, t.limit, verdict(t)) for t in checks]
    print("\n".join(markdown_table(rows, text_columns=4)))
    passed = all(check.met for check in checks if check.deterministic)
    print(
        "\nDeterministic targets "
        + ("met." if passed else "NOT met: the exit status is 1.")
        + " Time and memory targets are reported, not enforced."
    )
    return passed


@dataclass
class Check:
    """A target that every run must meet (counts, not times)."""

    name: str
    expected: Any
    actual: Any
    passed: bool


def report_checks(checks: list[Check]) -> bool:
    """Print a ``PASS``/``FAIL`` line for each check; whether all passed."""
    for check in checks:
        verdict = "PASS" if check.passed else "FAIL"
        print(f"{verdict}  {check.name}: expected {check.expected}, got {check.actual}")
    return all(check.passed for check in checks)


def report_warnings(warned: list[tuple[str, str]]) -> None:
    """The warning and error lines of the build logs, each after its build's label."""
    if warned:
        print(f"\n{len(warned)} warning/error line(s) in the build logs:")
        for label, line in warned:
            print(f"  ({label}) {line}")


def report_log_tail(log: Path, label: str) -> None:
    """The end of the log of a build that failed."""
    print(f"\nEnd of the log of the failed build ({label}):")
    print("\n".join(log.read_text("utf-8").splitlines()[-LOG_TAIL_LINES:]))


def write_json(path: Path, data: dict[str, Any]) -> None:
    """The results as JSON (indented, a newline at the end)."""
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def finish(path: Path | None, data: dict[str, Any], checks: list[Any], passed: bool) -> int:
    """With ``path``, write the JSON report there: ``data``, then the targets and whether
    they passed. The exit status: 1 when they did not."""
    if path:
        write_json(
            path, {**data, "targets": [asdict(check) for check in checks], "passed": passed}
        )
    return 0 if passed else 1
