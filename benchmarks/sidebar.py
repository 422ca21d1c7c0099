"""Benchmark: the cost per written page of the theme's site navigation on a flat site.

A flat site (every page in the root toctree) is where the sidebar lists every page on
every page, so a sidebar rendered per page makes the build quadratic: the Jupyter Book 1
stack spends about two thirds of its build there (see "Three documentation stacks").
This benchmark writes the synthetic project of :mod:`benchmarks.synthetic` (one flat
toctree of N tutorial pages, a learning path over the first five) at each ``--sizes``
and builds it in full, into an empty folder, ``--rounds`` times in each of three
configurations, their order rotating from round to round:

- ``pst``: ``html_theme = "pydata_sphinx_theme"``, whose sidebar is empty on such a site;
- ``section``: ``html_theme = "sphinx_numpy_learn"`` with ``sidebar_nav = "section"``,
  the theme without its site navigation (the same empty sidebar): the baseline;
- ``site``: ``html_theme = "sphinx_numpy_learn"`` as a beginner leaves it
  (``sidebar_nav = "auto"``): every page's sidebar lists the N pages.

All three load the extension (the project's ``conf.py``). Each build is a subprocess of
the same interpreter (``--child``) that runs Sphinx in process and times, with
``time.perf_counter``, its write phase (from the end of ``env-updated``, every page
read, to the start of ``build-finished``, every page written and the search index
dumped) and, in ``site``, the time spent in the site navigation's code (deciding what a
page shows, marking the current page, relativising the links, and the one-off reading
and rendering of the outline), each divided by the pages written. The best round of each
counts.

Target, at every size: the site navigation adds less than 10 % to the write cost of a
page (``site`` / ``section``, in the same run). A sidebar rendered from the toctree on
every page would make that ratio grow in proportion to N. The builds also check that the
``site`` pages list every page in their sidebar. The exit status is 1 when a build fails
or a sidebar is missing; a missed time target is reported, not an error, as times vary.

Run from the repository root::

    python -m benchmarks.sidebar [--sizes 100 300] [--rounds 2] [--workdir DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.environment import environment, plain_output_env, workspace
from benchmarks.harness import (
    FAILURES,
    Failure,
    failed,
    failure,
    markdown_table,
    run_command,
    write_json,
)
from benchmarks.synthetic import page_name, write_site

# Configuration -> the -D overrides of its builds.
CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "pst": {"html_theme": "pydata_sphinx_theme"},
    "section": {
        "html_theme": "sphinx_numpy_learn",
        "html_theme_options": {"sidebar_nav": "section"},
    },
    "site": {"html_theme": "sphinx_numpy_learn"},
}
BASELINE, SITE = "section", "site"
TARGET = 1.10  # write cost per page, site / section, at every size
TIMEOUT = 3600  # seconds, per build
PACKAGES = ("sphinx", "pydata-sphinx-theme", "sphinx-numpy-learn")

# -- One build, in a child process ------------------------------------------------------------


def child(src: Path, out: Path, configuration: str) -> dict[str, float | int]:
    """Build ``src`` into ``out``; the write phase's time, the site navigation's time
    and the pages written."""
    from sphinx.application import Sphinx

    from sphinx_numpy_learn.theme import site_nav

    spent = [0.0]

    def timed(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return wrapper

    # Everything the site navigation does per page, the once-per-build work included
    # (it happens inside these, on first use). Looked up by name when they run.
    for name in ("add_site_nav", "site_nav_html", "lists_tutorials"):
        setattr(site_nav, name, timed(getattr(site_nav, name)))

    marks: dict[str, float] = {}
    written = 0

    def mark(name: str) -> None:
        marks.setdefault(name, time.perf_counter())

    def count(app, pagename, templatename, context, doctree) -> None:
        nonlocal written
        written += doctree is not None

    start = time.perf_counter()
    app = Sphinx(
        str(src),
        str(src),
        str(out),
        str(out / ".doctrees"),
        "html",
        confoverrides=CONFIGURATIONS[configuration],
        status=io.StringIO(),
        warning=sys.stderr,
        freshenv=True,
    )
    # Last after reading (env-updated handlers return documents: None here); first
    # when writing is over.
    app.connect("env-updated", lambda app, env: mark("read"), priority=10_000)
    app.connect("build-finished", lambda app, exc: mark("written"), priority=0)
    app.connect("html-page-context", count)
    app.build()
    if app.statuscode:
        raise SystemExit(app.statuscode)
    return {
        "build_seconds": time.perf_counter() - start,
        "write_seconds": marks["written"] - marks["read"],
        "site_nav_seconds": spent[0],
        "pages_written": written,
    }


# -- The parent --------------------------------------------------------------------------------


@dataclass
class Size:
    pages: int
    runs: dict[str, list[dict[str, float]]] = field(
        default_factory=lambda: {name: [] for name in CONFIGURATIONS}
    )

    def best(self, configuration: str) -> dict[str, float]:
        return min(self.runs[configuration], key=lambda run: run["write_seconds"])

    def per_page_ms(self, configuration: str, measure: str = "write_seconds") -> float:
        best = self.best(configuration)
        return 1000 * best[measure] / best["pages_written"]

    @property
    def ratio(self) -> float:
        return self.per_page_ms(SITE) / self.per_page_ms(BASELINE)

    @property
    def met(self) -> bool:
        return self.ratio < TARGET


def check_sidebar(out: Path, pages: int) -> int:
    """Every page of the site is in the site navigation of a page; its size in bytes."""
    html = (out / f"{page_name(2)}.html").read_text(encoding="utf-8")
    start = html.find('<nav class="bd-docs-nav bd-links learn-site-nav')
    if start < 0:
        raise Failure(f"{out}: {page_name(2)}.html has no site navigation")
    nav = html[start : html.find("</nav>", start)]
    missing = [
        page_name(n) for n in range(1, pages + 1) if f'href="{page_name(n)}.html"' not in nav
    ]
    if missing:
        raise Failure(f"{out}: the site navigation of {page_name(2)}.html misses {missing[:5]}")
    return len(nav.encode())


def build(src: Path, out: Path, configuration: str, result: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    command = [
        *(sys.executable, "-m", "benchmarks.sidebar", "--child"),
        *(str(src), str(out), configuration, str(result)),
    ]
    # The child times the build's phases itself.
    _seconds, process = run_command(command, TIMEOUT, plain_output_env())
    if process.returncode:
        output = process.stdout + process.stderr
        raise failure(f"the {configuration} build", command, output, process.returncode)
    return json.loads(result.read_text(encoding="utf-8"))


def measure(work: Path, pages: int, rounds: int) -> tuple[Size, int]:
    src = work / f"src-{pages}"
    shutil.rmtree(src, ignore_errors=True)
    write_site(src, pages)
    size = Size(pages)
    nav_bytes = 0
    names = list(CONFIGURATIONS)
    for round_ in range(1, rounds + 1):
        # Rotate which goes first, so none always builds on a warmer machine.
        shift = (round_ - 1) % len(names)
        for configuration in names[shift:] + names[:shift]:
            out = work / f"out-{pages}-{configuration}"
            run = build(src, out, configuration, work / "child.json")
            if configuration == SITE:
                nav_bytes = check_sidebar(out, pages)
            size.runs[configuration].append(run)
            print(
                f"  {pages:>5} pages ({round_}/{rounds}) {configuration:<8} write "
                f"{run['write_seconds']:6.2f} s for {run['pages_written']} pages "
                f"(site navigation {run['site_nav_seconds']:5.2f} s), "
                f"build {run['build_seconds']:6.2f} s",
                flush=True,
            )
    return size, nav_bytes


def table(sizes: list[tuple[Size, int]]) -> list[str]:
    rows = [
        (
            "pages",
            "sidebar bytes",
            "pst ms/page",
            "section ms/page",
            "site ms/page",
            "site-nav code ms/page",
            "site/section",
            "result",
        )
    ]
    for size, nav_bytes in sizes:
        rows.append(
            (
                str(size.pages),
                str(nav_bytes),
                f"{size.per_page_ms('pst'):.2f}",
                f"{size.per_page_ms(BASELINE):.2f}",
                f"{size.per_page_ms(SITE):.2f}",
                f"{size.per_page_ms(SITE, 'site_nav_seconds'):.3f}",
                f"{size.ratio:.3f}",
                "PASS" if size.met else "FAIL",
            )
        )
    return markdown_table(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sidebar",
        description="The write cost per page of the theme's site navigation on a flat "
        "site, against the theme without it, at several sizes (target: it adds less than "
        f"{TARGET - 1:.0%} at every size).",
    )
    parser.add_argument(
        "--child", nargs=4, metavar=("SRC", "OUT", "CONFIGURATION", "JSON"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 300], help="pages (default 100 300)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="builds per configuration and size (default 2)"
    )
    parser.add_argument("--workdir", type=Path, help="work directory, kept afterwards")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.child:
        src, out, configuration, result = args.child
        measured = child(Path(src), Path(out), configuration)
        Path(result).write_text(json.dumps(measured), encoding="utf-8")
        return 0
    if min(args.sizes) < 5:
        parser.error("--sizes must be at least 5 pages each")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    env = environment(PACKAGES)
    wanted = sorted(set(args.sizes))
    with workspace(
        f"Sidebar benchmark: flat sites of {', '.join(map(str, wanted))} pages, "
        f"{args.rounds} round(s)",
        env,
        args.workdir,
        "learn-sidebar-bench-",
    ) as work:
        try:
            sizes = [measure(work, pages, args.rounds) for pages in wanted]
        except FAILURES as exc:
            return failed(exc)

    met = all(size.met for size, _bytes in sizes)
    print()
    print("Write phase per page of a flat site, best of the rounds:")
    print()
    print("\n".join(table(sizes)))
    print()
    print(f"Target (site/section < {TARGET:.2f} at every size): {'met' if met else 'NOT met'}.")
    if args.json:
        write_json(
            args.json,
            {
                "sizes": [
                    {
                        **asdict(size),
                        "sidebar_bytes": nav_bytes,
                        "per_page_ms": {c: size.per_page_ms(c) for c in CONFIGURATIONS},
                        "site_nav_ms_per_page": size.per_page_ms(SITE, "site_nav_seconds"),
                        "ratio": size.ratio,
                        "met": size.met,
                    }
                    for size, nav_bytes in sizes
                ],
                "target": TARGET,
                "met": met,
                "environment": env,
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
