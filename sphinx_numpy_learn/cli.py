"""The ``sphinx-numpy-learn`` command (also ``python -m sphinx_numpy_learn``).

Exit status: 0 when nothing at the ``--fail-on`` severity (default: error) was
found, 1 when something was, 2 for a usage or configuration error or a file that
could not be checked.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from sphinx_numpy_learn import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _rule_list(text: str) -> list[str]:
    from sphinx_numpy_learn.check.registry import RULES_BY_KEY

    keys = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [key for key in keys if key not in RULES_BY_KEY]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule(s) {', '.join(unknown)}; `sphinx-numpy-learn rules` lists them"
        )
    return keys


def _jobs(text: str) -> int:
    if text == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'auto', got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-numpy-learn",
        description="Start tutorials from a skeleton and check a Sphinx project's "
        "tutorials (metadata, NumPy's tutorial style guide, alt text, notebooks).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new",
        help="write a tutorial or contributor page skeleton",
        description="Write a skeleton that follows NumPy's tutorial style guide. The file "
        "name comes from the title; an existing file is never overwritten.",
    )
    new.add_argument("kind", choices=["tutorial", "contributor-page"], help="what to write")
    new.add_argument("title", help='the page title, in sentence case: "Analyse air quality data"')
    new.add_argument(
        "--level",
        help="the difficulty tier (one of the project's learn_tiers; default: the easiest)",
    )
    new.add_argument(
        "--duration", type=int, default=None, help="minutes it takes (default: 30, or 20)"
    )
    new.add_argument(
        "--path",
        type=Path,
        default=Path("."),
        help="the folder to write into (default: the current folder)",
    )
    new.add_argument(
        "--format",
        choices=["myst", "rst"],
        default="myst",
        help="MyST Markdown notebook (default) or reStructuredText",
    )
    new.add_argument("--name", help="the file name without suffix (default: from the title)")

    check = commands.add_parser(
        "check",
        help="check a Sphinx project's tutorials without building it",
        description="Check every tutorial of a Sphinx project: metadata, the style guide's "
        "structure, sentence-case titles, alt text, stored notebook outputs and "
        "readability. Rules are listed by `sphinx-numpy-learn rules`; turn one off with "
        "learn_check_ignore in conf.py or a `learn-check: disable=LRN104` comment in a page.",
    )
    check.add_argument(
        "docs_dir",
        nargs="?",
        help="the folder holding conf.py (default: ., docs, doc, docs/source or doc/source)",
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text (default), json, or github (GitHub Actions annotations)",
    )
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default="error",
        help="the lowest severity that makes the exit status 1 (default: error)",
    )
    check.add_argument(
        "--ignore",
        type=_rule_list,
        action="extend",
        default=[],
        metavar="RULES",
        help="comma-separated rule ids or names to skip, on top of learn_check_ignore",
    )
    check.add_argument(
        "--execute",
        action="store_true",
        help="also run every notebook, as the build does, and report failing cells",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default="auto",
        metavar="N",
        help="processes that read the pages (for projects of 100 pages or more), and "
        "notebooks run at a time with --execute: a number, or 'auto' (the default: one "
        "per CPU core)",
    )

    execute = commands.add_parser(
        "execute",
        help="run a share of the notebooks ahead of the build (CI sharding), or merge shards",
        description="Run the notebooks a build of DOCS would run, split over several CI "
        "jobs: --shard I/N runs the I-th of N deterministic shares and writes the executed "
        "notebooks, with their cache keys, to --output; the build takes them from there "
        "(learn_execution_import in conf.py), or --merge stores them into the project's "
        "jupyter-cache first. Exit status: 0; 1 when a notebook of the shard failed and "
        "learn_execution_strict would fail the build; 2 for a usage or configuration error.",
    )
    _execute_arguments(execute)

    rules = commands.add_parser(
        "rules",
        help="list the rules of `check`",
        description="List every rule of `check`: id, name, default severity, what it checks.",
    )
    rules.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def _shard(text: str) -> tuple[int, int]:
    from sphinx_numpy_learn.notebooks.shards import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _execute_arguments(execute: argparse.ArgumentParser) -> None:
    execute.add_argument(
        "docs_dir",
        nargs="?",
        help="the folder holding conf.py (default: ., docs, doc, docs/source or doc/source)",
    )
    what = execute.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--shard",
        type=_shard,
        metavar="I/N",
        help="run share I of N (1 <= I <= N) of the notebooks that need running",
    )
    what.add_argument(
        "--merge",
        type=Path,
        nargs="+",
        metavar="DIR",
        help="store the notebooks that shards wrote to these folders into the "
        "project's jupyter-cache (no build)",
    )
    execute.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="with --shard: the folder to write the executed notebooks and the manifest to",
    )
    execute.add_argument(
        "--build-dir",
        type=Path,
        metavar="DIR",
        help="sphinx-build's output folder, which decides where the jupyter-cache is "
        "when conf.py does not set nb_execution_cache_path (default: DOCS/_build/html)",
    )
    execute.add_argument(
        "-d",
        "--doctree-dir",
        type=Path,
        metavar="DIR",
        help="sphinx-build's -d folder (default: BUILD_DIR/.doctrees, as sphinx-build's; "
        "`sphinx-build -M` and `make html` use BUILD/doctrees)",
    )
    execute.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default="auto",
        metavar="N",
        help="notebooks run at a time: a number, or 'auto' (the default: one per CPU core)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with status 2 on a usage error
    try:
        if args.command == "new":
            return _new(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "execute":
            return _execute(args)
        return _check(args)
    except KeyboardInterrupt:
        print("sphinx-numpy-learn: interrupted", file=sys.stderr)
        return 130


def _error(message: str) -> int:
    for line in message.splitlines():
        print(f"sphinx-numpy-learn: error: {line}", file=sys.stderr)
    return EXIT_USAGE


def _new(args: argparse.Namespace) -> int:
    from sphinx_numpy_learn.scaffold import ScaffoldError, create, next_steps

    duration = (
        args.duration if args.duration is not None else (30 if args.kind == "tutorial" else 20)
    )
    try:
        created = create(
            args.kind,
            args.title,
            folder=args.path,
            markup=args.format,
            level=args.level,
            duration=duration,
            name=args.name,
        )
        steps = next_steps(created, args.format)
    except ScaffoldError as exc:
        return _error(str(exc))
    _write(steps)
    return EXIT_OK


def _write(text: str) -> None:
    """Write ``text`` to stdout whatever its encoding: what it cannot hold is written as
    backslash escapes, never a traceback."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _flush_stdout() -> None:
    """Flush Python's standard output and the original one (either may be replaced,
    closed or missing in an embedding host)."""
    for stream in (sys.stdout, sys.__stdout__):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send to stderr whatever the project prints while it is loaded and checked:
    ``print()`` in conf.py or an extension, and programs they run (at the level of
    file descriptors, which forked workers inherit), so that stdout holds the report
    alone and ``--format json`` or ``github`` stays machine-readable."""
    _flush_stdout()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no file descriptors 1 and 2 (an embedding host): Python's only
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        # What was written to the original stream belongs to the project, not the report.
        _flush_stdout()
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


def _rules(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sphinx_numpy_learn.check.registry import RULES

    if args.format == "json":
        sys.stdout.write(json.dumps([asdict(rule) for rule in RULES], indent=2) + "\n")
        return EXIT_OK
    for rule in RULES:
        print(f"{rule.id}  {rule.name:<22} {rule.severity:<8} {rule.summary}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from sphinx_numpy_learn.check.output import FORMATS
    from sphinx_numpy_learn.check.runner import (
        UsageError,
        check_project,
        find_docs_dir,
        load_project,
    )

    with _stdout_to_stderr():
        try:
            project = load_project(find_docs_dir(args.docs_dir))
        except UsageError as exc:
            return _error(str(exc))
        try:
            result = check_project(
                project, ignore=args.ignore, execute=args.execute, jobs=args.jobs
            )
        finally:
            project.close()
    _write(FORMATS[args.format](result))
    return result.exit_status(args.fail_on)


def _execute(args: argparse.Namespace) -> int:
    from sphinx_numpy_learn.check.runner import UsageError, find_docs_dir
    from sphinx_numpy_learn.notebooks import shards

    if args.shard is not None and args.output is None:
        return _error("--shard needs --output DIR, the folder to write the notebooks to")
    if args.output is not None and args.output.exists() and not args.output.is_dir():
        return _error(f"--output: {args.output} is not a folder")
    if args.merge is not None:
        if args.output is not None:
            return _error("--output goes with --shard; --merge writes into the jupyter-cache")
        missing = [str(folder) for folder in args.merge if not folder.is_dir()]
        if missing:
            return _error(f"--merge: no such folder: {', '.join(missing)}")
    try:
        project = shards.load(find_docs_dir(args.docs_dir), args.build_dir, args.doctree_dir)
    except UsageError as exc:
        return _error(str(exc))
    try:
        if args.merge is not None:
            shards.merge(project.app, args.merge)
            return EXIT_OK
        index, count = args.shard
        return shards.execute_shard(project.app, index, count, args.output, args.jobs)
    except OSError as exc:  # an output folder that cannot be written, a full disk...
        where = os.fsdecode(exc.filename) if exc.filename else str(args.output)
        return _error(f"{where}: {exc.strerror or type(exc).__name__}")
    finally:
        project.close()


def run() -> None:
    """Console-script entry point."""
    # A short-lived command that allocates many small objects: collect garbage rarely
    # (as mypy does), and skip the final collection at exit. Together they take a
    # quarter off the time `check` needs on a large project.
    gc.set_threshold(200_000, 30, 30)
    status = main()
    gc.freeze()
    sys.exit(status)
