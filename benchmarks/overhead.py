"""Benchmark: what sphinx_numpy_learn costs over bare pydata-sphinx-theme + MyST-NB, and
how that grows with the site.

For each size in ``--sizes`` (default 100, 300 and 1,000 tutorial pages, each with
``--notebooks`` MyST notebooks, default 20), :func:`benchmarks.synthetic.write_flavour`
writes the corpus of :mod:`benchmarks.stacks` twice:

(a) ``plain``: pydata-sphinx-theme and MyST-NB, no sphinx_numpy_learn (the baseline);
(b) ``learn``: sphinx_numpy_learn, extension and theme.

No Jupyter Book stack: :mod:`benchmarks.stacks` compares with it. Both run in this
interpreter's environment, with MyST-NB's ``cache`` mode into a jupyter-cache outside the
output folder. One untimed priming build of each (with ``-W``) fills the cache, so the
timed builds read the notebooks' outputs from a warm cache. Then ``--rounds`` times
(default 3), each step for both configurations before the next, their order alternating
from round to round (the builds are :func:`benchmarks.stacks.run_build`'s, each a
subprocess timed with ``time.perf_counter``):

- **full build**: serial, ``-q``, into a removed build folder; its **peak memory** is the
  largest resident set size of the build process (``os.wait4``);
- **incremental build**: a sentence appended to the first paragraph of the middle page,
  then a build, whose log gives the documents re-read;
- **check** (b only): ``python -m sphinx_numpy_learn check SRC``, which must exit 0.

The best time of each counts, the largest peak memory. Last, the **page weight**: the
CSS and JavaScript bytes each of three pages (the first tutorial with an exercise,
``index`` and a notebook) loads, as :func:`benchmarks.stacks.weigh` counts them (the
search index, which pydata-sphinx-theme loads on every page, included; ours loads it
when the reader opens search, so a page of (b) does not link it).

Targets (issue 21), at ``--target-size`` pages (default 300, else the largest size):
full build b/a <= 1.05; incremental build b/a <= 1.05, re-reading only the edited page
(and ``index``, which lists it); check <= 0.10 x (b)'s full build; peak memory b/a <=
1.05; at every size, each weighed page of (b) loads fewer bytes of CSS+JS than
(a)'s. Scaling: the time (b) adds per page stays flat: (b - a) / pages
at the largest size is at most ``SCALING_SLACK`` times that at the smallest (plus a
millisecond), so that no step of ours grows with the square of the site.

Run from the repository root::

    python -m benchmarks.overhead [--sizes 100 300 1000] [--notebooks 20] [--rounds 3]
                                  [--other-rounds R] [--target-size 300]
                                  [--workdir DIR] [--json PATH]
    python -m benchmarks.overhead --sizes 20 --notebooks 2 --rounds 1   # fast mode (CI)

The exit status is 1 when a build or the check fails, when (b) re-reads more than the
edited page and ``index``, or when a page of (b) loads more CSS+JS than (a)'s (these do
not vary from run to run); a missed time or memory target is reported as ``NOT met``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.environment import byte_compile, environment, plain_output_env, workspace
from benchmarks.harness import (
    FAILURES,
    Target,
    check_minimums,
    failed,
    failure,
    finish,
    markdown_table,
    report_targets,
    run_command,
)
from benchmarks.stacks import (
    FLAVOURS,
    LISTING_PAGES,
    SEARCH_INDEX,
    Assets,
    Incremental,
    Measured,
    Rounds,
    Stack,
    edited_page,
)

CONFIGS = ("a", "b")
DEFAULT_SIZES = (100, 300, 1000)
TARGET_SIZE = 300
CHECK_TIMEOUT = 3600
PACKAGES = (
    "sphinx",
    "docutils",
    "myst-parser",
    "myst-nb",
    "pydata-sphinx-theme",
    "sphinx-numpy-learn",
)

# Targets.
FULL_VS_PLAIN = 1.05
INCREMENTAL_VS_PLAIN = 1.05
MEMORY_VS_PLAIN = 1.05
CHECK_VS_FULL = 0.10
SCALING_SLACK = 1.5  # the added seconds per page may grow this much, plus SCALING_FLOOR
SCALING_FLOOR = 0.001  # seconds per page


@dataclass
class Measures(Measured):
    """One configuration at one size."""

    config: str
    pages: int
    full_seconds: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    incremental: list[Incremental] = field(default_factory=list)
    check_seconds: list[float] = field(default_factory=list)
    assets: dict[str, Assets] = field(default_factory=dict)

    @property
    def check(self) -> float:
        return min(self.check_seconds)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["assets"] = {page: {**asdict(a), "total": a.total} for page, a in self.assets.items()}
        data["best"] = {
            "full_seconds": self.full,
            "incremental_seconds": self.incremental_best,
            "peak_rss": self.memory,
            **({"check_seconds": self.check} if self.check_seconds else {}),
        }
        return data


Size = dict[str, Measures]  # config -> measures


def run_check(stack: Stack, log: Path) -> float:
    """Seconds of ``python -m sphinx_numpy_learn check SRC`` (which must exit 0)."""
    command = [str(stack.python), "-m", "sphinx_numpy_learn", "check", str(stack.src)]
    seconds, process = run_command(command, CHECK_TIMEOUT, plain_output_env())
    log.write_text(process.stdout + process.stderr, encoding="utf-8")
    if process.returncode or "Checked " not in process.stdout:
        raise failure("sphinx-numpy-learn check", command, process.stdout + process.stderr)
    return seconds


def run_size(work: Path, pages: int, notebooks: int, rounds: int) -> Size:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    python = Path(sys.executable)
    stacks = {config: Stack(config, python, work / f"pages-{pages}") for config in CONFIGS}
    measures = {config: Measures(config, pages) for config in CONFIGS}
    builds = Rounds(stacks, measures, logs, prefix=f"{pages}-", width=13, peak_width=5)
    for config in stacks:
        seconds = builds.prime(config, pages, notebooks)
        print(f"  [{pages}] ({config}) priming build: {seconds:.1f} s", flush=True)
    edited = edited_page(pages)
    for round_ in range(1, rounds + 1):
        tag = f"[{pages}] ({round_}/{rounds})"
        builds.full_builds(round_, tag)
        builds.incremental_builds(round_, tag, edited)
        seconds = run_check(stacks["b"], builds.log("b", f"check-{round_}"))
        measures["b"].check_seconds.append(seconds)
        builds.say(tag, "b", "check", seconds)
    builds.weigh(pages, notebooks)
    return measures


# -- Report -------------------------------------------------------------------------------------


def added_per_page(size: Size) -> float:
    """Seconds (b) adds to a full build, per page."""
    return (size["b"].full - size["a"].full) / size["b"].pages


def targets(results: dict[int, Size], target_size: int) -> list[Target]:
    a, b = results[target_size]["a"], results[target_size]["b"]
    at = f" ({target_size} pages)"
    checks = [
        Target(
            "full build b/a" + at,
            f"{b.full / a.full:.3f}",
            f"<= {FULL_VS_PLAIN:.2f}",
            b.full / a.full <= FULL_VS_PLAIN,
            False,
        ),
        Target(
            "incremental build b/a" + at,
            f"{b.incremental_best / a.incremental_best:.3f}",
            f"<= {INCREMENTAL_VS_PLAIN:.2f}",
            b.incremental_best / a.incremental_best <= INCREMENTAL_VS_PLAIN,
            False,
        ),
        Target(
            "check / (b) full build" + at,
            f"{b.check / b.full:.3f}",
            f"<= {CHECK_VS_FULL:.2f}",
            b.check / b.full <= CHECK_VS_FULL,
            False,
        ),
        Target(
            "peak memory b/a" + at,
            f"{b.memory / a.memory:.3f}",
            f"<= {MEMORY_VS_PLAIN:.2f}",
            b.memory / a.memory <= MEMORY_VS_PLAIN,
            False,
        ),
    ]
    for pages, size in results.items():
        edited = edited_page(pages)
        reread = {name for run in size["b"].incremental for name in run.reread}
        checks.append(
            Target(
                f"(b) incremental re-reads only the edited page ({pages} pages)",
                ", ".join(sorted(reread)) or "nothing",
                f"{edited}, at most also {', '.join(LISTING_PAGES)}",
                edited in reread and reread <= {edited, *LISTING_PAGES},
                True,
            )
        )
    for pages, size in results.items():
        for page, ours in size["b"].assets.items():
            bare = size["a"].assets[page]
            checks.append(
                Target(
                    f"CSS+JS of {page}, b < a ({pages} pages)",
                    f"{ours.total} vs {bare.total} bytes",
                    "b < a",
                    ours.total < bare.total,
                    True,
                )
            )
    if len(results) > 1:
        sizes = sorted(results)
        first, last = added_per_page(results[sizes[0]]), added_per_page(results[sizes[-1]])
        limit = max(first, 0.0) * SCALING_SLACK + SCALING_FLOOR
        checks.append(
            Target(
                f"time (b) adds per page, {sizes[-1]} vs {sizes[0]} pages",
                f"{last * 1000:.1f} vs {first * 1000:.1f} ms",
                f"<= {limit * 1000:.1f} ms",
                last <= limit,
                False,
            )
        )
    return checks


def scaling_table(results: dict[int, Size]) -> list[str]:
    rows: list[tuple[str, ...]] = [
        (
            "pages",
            "full a s",
            "full b s",
            "b/a",
            "ms/page a",
            "ms/page b",
            "b adds ms/page",
            "incr a s",
            "incr b s",
            "b/a",
            "peak a MiB",
            "peak b MiB",
            "b/a",
            "check s",
            "check/full b",
        )
    ]
    for pages, size in sorted(results.items()):
        a, b = size["a"], size["b"]
        rows.append(
            (
                str(pages),
                f"{a.full:.2f}",
                f"{b.full:.2f}",
                f"{b.full / a.full:.3f}",
                f"{a.full / pages * 1000:.1f}",
                f"{b.full / pages * 1000:.1f}",
                f"{added_per_page(size) * 1000:.2f}",
                f"{a.incremental_best:.2f}",
                f"{b.incremental_best:.2f}",
                f"{b.incremental_best / a.incremental_best:.3f}",
                f"{a.memory / 2**20:.0f}",
                f"{b.memory / 2**20:.0f}",
                f"{b.memory / a.memory:.3f}",
                f"{b.check:.2f}",
                f"{b.check / b.full:.3f}",
            )
        )
    return markdown_table(rows)


def marginal_table(results: dict[int, Size]) -> list[str]:
    """Seconds per page between two sizes: a step that grows with the square of the site
    makes this grow."""
    sizes = sorted(results)
    rows: list[tuple[str, ...]] = [
        ("pages", "full a ms/page", "full b ms/page", "incr a ms/page", "incr b ms/page")
    ]
    for low, high in itertools.pairwise(sizes):
        small, large = results[low], results[high]
        pages = high - low
        rows.append(
            (
                f"{low} to {high}",
                *(
                    f"{(large[config].full - small[config].full) / pages * 1000:.2f}"
                    for config in CONFIGS
                ),
                *(
                    f"{(large[c].incremental_best - small[c].incremental_best) / pages * 1000:.3f}"
                    for c in CONFIGS
                ),
            )
        )
    return markdown_table(rows)


def weight_table(results: dict[int, Size]) -> list[str]:
    rows: list[tuple[str, ...]] = [
        ("pages", "page", "a CSS+JS", f"a {SEARCH_INDEX}", "b CSS+JS", "b - a")
    ]
    for pages, size in sorted(results.items()):
        for page, ours in size["b"].assets.items():
            bare = size["a"].assets[page]
            rows.append(
                (
                    str(pages),
                    page,
                    str(bare.total),
                    str(bare.js.get(SEARCH_INDEX, 0)),
                    str(ours.total),
                    str(ours.total - bare.total),
                )
            )
    return markdown_table(rows, text_columns=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.overhead",
        description="Build one corpus with (a) pydata-sphinx-theme + MyST-NB and (b) "
        "sphinx_numpy_learn at several sizes; compare full and incremental builds, peak "
        "memory, check and page weight, and how they grow with the site.",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        help="tutorial pages of each site (default 100 300 1000)",
    )
    parser.add_argument("--notebooks", type=int, default=20, help="notebooks (default 20)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of builds; the best time counts (default 3)"
    )
    parser.add_argument(
        "--other-rounds",
        type=int,
        help="rounds at the sizes other than the target size (default: --rounds)",
    )
    parser.add_argument(
        "--target-size",
        type=int,
        help=f"the size the targets are read at (default {TARGET_SIZE}, else the largest)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="work directory, kept afterwards (default: temporary)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1:
        parser.error("--sizes must be at least 1")
    check_minimums(parser, args, notebooks=0, rounds=1)
    target_size = args.target_size or (TARGET_SIZE if TARGET_SIZE in sizes else sizes[-1])
    if target_size not in sizes:
        parser.error("--target-size must be one of --sizes")
    other_rounds = args.other_rounds or args.rounds
    if other_rounds < 1:
        parser.error("--other-rounds must be at least 1")

    env = environment(PACKAGES)
    byte_compile("sphinx_numpy_learn")
    results: dict[int, Size] = {}
    with workspace(
        f"Overhead benchmark: {', '.join(map(str, sizes))} page(s), {args.notebooks} "
        f"notebook(s), {args.rounds} round(s)",
        env,
        args.workdir,
        "learn-overhead-bench-",
    ) as work:
        try:
            for pages in sizes:
                rounds = args.rounds if pages == target_size else other_rounds
                results[pages] = run_size(work, pages, args.notebooks, rounds)
        except FAILURES as exc:
            return failed(exc, work / "logs", kept=args.workdir is not None)

    checks = targets(results, target_size)
    print(f"\n(a) {FLAVOURS['a']}: pydata-sphinx-theme + MyST-NB; (b) {FLAVOURS['b']}: ours.")
    rounds = f"{args.rounds} round(s) at {target_size} pages, {other_rounds} at the others"
    print(f"Best of {rounds}; peak memory the largest.\n")
    print("\n".join(scaling_table(results)))
    if len(results) > 1:
        print("\nCost of each page added (between two sizes):\n")
        print("\n".join(marginal_table(results)))
    print("\nCSS and JavaScript a page loads (bytes, as written):\n")
    print("\n".join(weight_table(results)))
    print()
    passed = report_targets(checks)
    data = {
        "sizes": sizes,
        "notebooks": args.notebooks,
        "rounds": args.rounds,
        "other_rounds": other_rounds,
        "target_size": target_size,
        "environment": env,
        "results": {
            str(pages): {config: m.as_json() for config, m in size.items()}
            for pages, size in results.items()
        },
    }
    return finish(args.json, data, checks, passed)


if __name__ == "__main__":
    sys.exit(main())
