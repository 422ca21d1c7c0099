"""Benchmark: what the sphinx_numpy_learn layer adds to a page, and to a build.

1. **Weight.** Builds the example site (``example_docs``, notebooks executed into a
   fresh jupyter-cache in the build directory) and, for one page of each type, adds
   up the bytes of the local stylesheets (``<link rel="stylesheet">``) and scripts
   (``<script src>``) the page loads that come from sphinx_numpy_learn. Membership is
   decided by file name: a file is ours when it is one of the extension's static
   files (``sphinx_numpy_learn/static/*``, copied to ``_static/`` under the same
   name) or one of the theme's (``sphinx_numpy_learn/theme/sphinx_numpy_learn/static/**``,
   copied to ``_static/`` with their folders, and the files the theme writes
   minified: ``_static/styles/learn-theme.css`` and the stylesheets for some pages in
   ``_static/styles/``, ``theme.extension.WRITTEN``). Sizes are those of the files in the build's
   ``_static`` folder, that is as served (minified), uncompressed. Target: under
   15 KB (15,000 bytes) on every page.

2. **Build-time overhead of the theme.** Writes the synthetic project of
   :mod:`benchmarks.synthetic` (its ``conf.py`` loads the extension) once and builds
   it in full, each build a fresh subprocess timed with ``time.perf_counter`` into an
   empty output folder: once with ``-D html_theme=pydata_sphinx_theme`` and once with
   ``-D html_theme=sphinx_numpy_learn``, alternating, ``--rounds`` times; the best
   time of each counts. Target: the theme's build takes less than 1.05 times the
   plain pydata-sphinx-theme build.

Run from the repository root::

    python -m benchmarks.theme [--pages 180] [--rounds 3] [--site DIR] [--workdir DIR]
                               [--json PATH]

``--site`` measures an example site built already instead of building one. The exit
status is 1 when a build fails or a page is over its weight target (sizes do not vary
from run to run); a missed time target is reported, not an error, as times do.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import sphinx_numpy_learn
from benchmarks.environment import environment, workspace
from benchmarks.harness import (
    FAILURES,
    alternating,
    check_minimums,
    failed,
    full_html_build,
    markdown_table,
    write_json,
)
from benchmarks.synthetic import write_site
from sphinx_numpy_learn.theme import extension as learn_theme

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DOCS = REPO / "example_docs"
PACKAGE = Path(sphinx_numpy_learn.__file__).parent
EXTENSION_STATIC = PACKAGE / "static"
THEME_STATIC = PACKAGE / "theme" / "sphinx_numpy_learn" / "static"
# The files the theme writes minified into _static (not from its static folder).
THEME_WRITTEN = tuple(learn_theme.WRITTEN)

WEIGHT_TARGET = 15_000  # bytes of CSS and JavaScript, uncompressed, on any page
TIME_TARGET = 1.05  # build with the theme / build with plain pydata-sphinx-theme
# One page of each type of the example site.
PAGES = {
    "index": "landing page",
    "tutorials/index": "catalog",
    "tutorials/create-your-first-arrays": "tutorial",
    "contributing/make-your-first-pull-request": "contributor page",
    "execution-report": "execution report",
    "writing/exercises": "writing page",
}
THEMES = ("pydata_sphinx_theme", "sphinx_numpy_learn")
TIMEOUT = 3600  # seconds, per build
PACKAGES = ("sphinx", "pydata-sphinx-theme", "myst-nb", "rcssmin", "rjsmin", "sphinx-numpy-learn")


# -- 1. Weight ------------------------------------------------------------------------------


def our_files() -> dict[str, str]:
    """Every CSS and JavaScript file we ship: its path relative to the site's root ->
    ``"extension"`` or ``"theme"``."""
    files = {
        f"_static/{path.name}": "extension"
        for path in EXTENSION_STATIC.iterdir()
        if path.suffix in {".css", ".js"}
    }
    files.update(
        (f"_static/{path.relative_to(THEME_STATIC).as_posix()}", "theme")
        for path in THEME_STATIC.rglob("*")
        if path.suffix in {".css", ".js"}
    )
    # The theme's stylesheets and scripts, written minified by its setup.
    files.update((f"_static/{name}", "theme") for name in THEME_WRITTEN)
    return files


class AssetParser(HTMLParser):
    """The stylesheets and scripts a page loads, as written (relative URLs)."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.stylesheets.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.scripts.append(values["src"])


@dataclass
class PageWeight:
    page: str
    kind: str
    css_files: list[str] = field(default_factory=list)
    js_files: list[str] = field(default_factory=list)
    css_bytes: int = 0
    js_bytes: int = 0
    extension_bytes: int = 0  # of the total, from sphinx_numpy_learn/static
    theme_bytes: int = 0  # of the total, from the theme's static folder

    @property
    def total(self) -> int:
        return self.css_bytes + self.js_bytes

    @property
    def met(self) -> bool:
        return self.total < WEIGHT_TARGET


def site_path(page: str, url: str) -> str | None:
    """The path of a local asset relative to the site root (``None`` for another host)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return urlsplit(urljoin(f"/{page}.html", parts.path)).path.lstrip("/")


def weigh_page(site: Path, page: str, ours: dict[str, str]) -> PageWeight:
    parser = AssetParser()
    parser.feed((site / f"{page}.html").read_text(encoding="utf-8"))
    weight = PageWeight(page=page, kind=PAGES.get(page, ""))
    for urls, files, kind in (
        (parser.stylesheets, weight.css_files, "css"),
        (parser.scripts, weight.js_files, "js"),
    ):
        for url in urls:
            path = site_path(page, url)
            if path is None or path not in ours:
                continue
            files.append(path)
            size = (site / path).stat().st_size
            if kind == "css":
                weight.css_bytes += size
            else:
                weight.js_bytes += size
            if ours[path] == "theme":
                weight.theme_bytes += size
            else:
                weight.extension_bytes += size
    return weight


def build_example_site(out: Path) -> Path:
    """example_docs built into ``out`` (its jupyter-cache in ``out/.doctrees``)."""
    shutil.rmtree(out, ignore_errors=True)
    html = out / "html"
    seconds, _ = full_html_build(EXAMPLE_DOCS, html, [], "the example site's build", TIMEOUT)
    print(f"  built the example site in {seconds:.1f} s", flush=True)
    return html


def weigh(site: Path) -> list[PageWeight]:
    ours = our_files()
    return [weigh_page(site, page, ours) for page in PAGES]


# -- 2. Build time, with and without the theme ----------------------------------------------


@dataclass
class Timing:
    pages: int
    rounds: int
    seconds: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in THEMES})

    def best(self, theme: str) -> float:
        return min(self.seconds[theme])

    @property
    def ratio(self) -> float:
        return self.best("sphinx_numpy_learn") / self.best("pydata_sphinx_theme")

    @property
    def met(self) -> bool:
        return self.ratio < TIME_TARGET


def full_build(src: Path, out: Path, theme: str) -> float:
    options = ["-D", f"html_theme={theme}"]
    return full_html_build(src, out, options, f"the build with {theme}", TIMEOUT)[0]


def time_themes(work: Path, pages: int, rounds: int) -> Timing:
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    write_site(src, pages)
    timing = Timing(pages=pages, rounds=rounds)
    for round_ in range(1, rounds + 1):
        for theme in alternating(THEMES, round_):
            seconds = full_build(src, work / f"out-{theme}", theme)
            timing.seconds[theme].append(seconds)
            print(f"  ({round_}/{rounds}) {theme:<20} {seconds:7.2f} s", flush=True)
    return timing


# -- Report -----------------------------------------------------------------------------------


def weight_table(weights: list[PageWeight]) -> list[str]:
    rows = [("page", "type", "files", "CSS", "JS", "extension", "theme", "total bytes", "result")]
    for weight in weights:
        rows.append(
            (
                weight.page,
                weight.kind,
                str(len(weight.css_files) + len(weight.js_files)),
                str(weight.css_bytes),
                str(weight.js_bytes),
                str(weight.extension_bytes),
                str(weight.theme_bytes),
                str(weight.total),
                "PASS" if weight.met else "FAIL",
            )
        )
    return markdown_table(rows, text_columns=2)


def timing_table(timing: Timing) -> list[str]:
    plain, ours = timing.best("pydata_sphinx_theme"), timing.best("sphinx_numpy_learn")
    return markdown_table(
        [
            ("measure", "value"),
            ("pages", str(timing.pages)),
            ("rounds (best of)", str(timing.rounds)),
            ("full build s, html_theme = pydata_sphinx_theme", f"{plain:.2f}"),
            ("full build s, html_theme = sphinx_numpy_learn", f"{ours:.2f}"),
            ("ratio sphinx_numpy_learn/pydata_sphinx_theme", f"{timing.ratio:.3f}"),
            ("target", f"< {TIME_TARGET:.2f}"),
            ("result", "PASS" if timing.met else "FAIL"),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.theme",
        description="The CSS and JavaScript our layer adds to each type of page (target "
        "< 15 KB), and the theme's build time against plain pydata-sphinx-theme "
        "(target < 1.05).",
    )
    parser.add_argument(
        "--pages", type=int, default=180, help="synthetic pages to build (default 180)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="builds with each theme, alternating; the best time counts (default 3)",
    )
    parser.add_argument(
        "--site", type=Path, help="an HTML build of example_docs to measure (default: build one)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="work directory, kept afterwards (default: a temporary directory)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    check_minimums(parser, args, pages=1, rounds=1)

    env = environment(PACKAGES)
    with workspace(
        f"Theme benchmark: {args.pages} synthetic page(s), {args.rounds} round(s)",
        env,
        args.workdir,
        "learn-theme-bench-",
    ) as work:
        try:
            site = args.site.resolve() if args.site else build_example_site(work / "example")
            weights = weigh(site)
            timing = time_themes(work, args.pages, args.rounds)
        except FAILURES as exc:
            return failed(exc)

    print()
    print(f"CSS and JavaScript from sphinx_numpy_learn per page (target < {WEIGHT_TARGET} bytes):")
    print()
    print("\n".join(weight_table(weights)))
    print()
    print("Build time of the synthetic project, with and without the theme:")
    print()
    print("\n".join(timing_table(timing)))
    print()
    heaviest = max(weights, key=lambda weight: weight.total)
    print(
        f"Heaviest page: {heaviest.page} ({heaviest.total} bytes: "
        + ", ".join(Path(name).name for name in heaviest.css_files + heaviest.js_files)
        + ")."
    )
    weight_met = all(weight.met for weight in weights)
    print(
        f"Weight target (< {WEIGHT_TARGET} bytes on every page): "
        f"{'met' if weight_met else 'NOT met'}. Time target (< {TIME_TARGET:.2f}): "
        f"{'met' if timing.met else 'NOT met'} (ratio {timing.ratio:.3f})."
    )

    if args.json:
        write_json(
            args.json,
            {
                "weight_target": WEIGHT_TARGET,
                "weights": [
                    {**asdict(weight), "total": weight.total, "met": weight.met}
                    for weight in weights
                ],
                "timing": {
                    **asdict(timing),
                    "best": {theme: timing.best(theme) for theme in THEMES},
                    "ratio": timing.ratio,
                    "target": TIME_TARGET,
                    "met": timing.met,
                },
                "environment": env,
            },
        )
    return 0 if weight_met else 1


if __name__ == "__main__":
    sys.exit(main())
