"""Benchmark: three documentation stacks building the same tutorials and notebooks.

Writes one corpus with :func:`benchmarks.synthetic.write_flavour`: N MyST pages of
tutorial length (default 300: headings, code, admonitions, links between pages, tables,
maths, an image; every tenth page an exercise with a hint and a solution, and a
checkpoint) and M MyST notebooks (default 20: seeded NumPy cells and one matplotlib
figure each), with an ``index.md`` holding a learning path over the first five, a
catalog of them all and the toctree. Three copies of it differ only in how the
features are written, in the extensions and in the theme:

(a) ``plain``: pydata-sphinx-theme and MyST-NB, no sphinx_numpy_learn; levels as
    emphasised text, with the duration and the prerequisite our tutorial header shows
    written out; exercises, hints, solutions and checkpoints as ``admonition``
    blocks, the catalog a bulleted and the path a numbered list of links;
(b) ``learn``: sphinx_numpy_learn, extension and theme; ``learn:`` front matter,
    ``{level}`` badges, ``exercise``/``hint``/``solution``, ``checkpoint``,
    ``learning-path`` and ``tutorial-catalog``;
(c) ``jupyter-book``: the Jupyter Book 1 stack, sphinx-book-theme, sphinx-design
    (``{bdg-*}`` badges with the facts written out as in (a), a grid of cards for
    the catalog, ``dropdown`` checkpoints),
    sphinx-exercise (``exercise``/``solution``), sphinx-togglebutton (hints as
    ``admonition`` with ``:class: dropdown``) and MyST-NB. sphinx-book-theme pins an
    older pydata-sphinx-theme, so (c) runs in a virtual environment of its own, made
    with ``venv`` and pip in the work directory (or reused: ``--book-venv``).

Every ``conf.py`` executes notebooks with ``nb_execution_mode = "cache"`` into a
jupyter-cache outside the output folder. One untimed priming build of each
configuration (with ``-W``: a warning fails the benchmark) fills its cache, so the
timed builds read notebook outputs from a warm cache and measure the stacks, not the
kernels (:mod:`benchmarks.execution` measures execution). Each configuration's notebook
kernel must be its own interpreter's (checked before the builds).

Then, ``--rounds`` times (default 3), each step for every configuration before the
next step, the order of the configurations alternating from round to round; every
build is a subprocess, ``python -m sphinx -b html -N SRC OUT``, timed with
``time.perf_counter``:

- **full build**, serial, into a removed build folder (``OUT`` and its ``.doctrees``,
  MyST-NB's ``jupyter_execute``), with ``-q``; its **peak memory** is the maximum
  resident set size of the build process, from ``os.wait4``;
- **incremental rebuild**: a sentence appended to the first paragraph of the page in
  the middle of the site, then a build without ``-q``, whose log gives the documents
  re-read (``reading sources... [..] docname``) and the pages written (``writing
  output... [..] docname``);
- **``-j 2`` full build**, as the serial one but with two processes.

The best time of each counts, and the peak memory is the largest of the rounds. Last,
**CSS+JS bytes**: for the same tutorial page (the first with an exercise) in every
build, the sizes of the local files of its ``<link rel="stylesheet">`` and ``<script
src>`` tags, as written to the output; assets from other hosts (a CDN) are listed.

Targets, from the issue: full build b/a <= 1.10 and b/c <= 0.30; incremental rebuild
b/a <= 1.15, with (b) re-reading only the edited page and the pages that list it
(``index``: the catalog and the path); peak memory b/a <= 1.10; for (b) ``-j 2``
faster than ``-j 1``; CSS+JS of the tutorial page b - a <= 15,000 bytes.

Run from the repository root::

    python -m benchmarks.stacks [--pages 300] [--notebooks 20] [--rounds 3]
                                [--workdir DIR] [--json PATH] [--book-venv DIR]

The exit status is 1 when a build fails, a kernel is not its configuration's own, (b)
re-reads more than the edited page and the pages that list it, or the CSS+JS
difference is over its target (these do not vary from run to run); a missed time or
memory target is reported as ``NOT met`` but is not an error, as times vary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.environment import byte_compile, environment, plain_output_env, workspace
from benchmarks.harness import (
    FAILURES,
    Failure,
    Target,
    alternating,
    check_minimums,
    failed,
    failure,
    finish,
    markdown_table,
    report_targets,
    warning_lines,
)
from benchmarks.synthetic import (
    EXERCISE_EVERY,
    INTRO_END,
    notebook_name,
    page_name,
    write_flavour,
)
from benchmarks.theme import AssetParser, site_path

CONFIGS = ("a", "b", "c")
FLAVOURS = {"a": "plain", "b": "learn", "c": "jupyter-book"}
DESCRIPTIONS = {
    "a": "pydata-sphinx-theme + MyST-NB (baseline)",
    "b": "sphinx_numpy_learn, extension and theme",
    "c": "Jupyter Book 1 stack: sphinx-book-theme, sphinx-design, sphinx-exercise, "
    "sphinx-togglebutton, MyST-NB",
}
BOOK_PACKAGES = (
    "sphinx-book-theme",
    "sphinx-design",
    "sphinx-exercise",
    "sphinx-togglebutton",
    "myst-nb",
    "ipykernel",
    "numpy",
    "matplotlib",
)
BOOK_MARKER = "learn-stacks-benchmark.txt"  # in a virtual environment with BOOK_PACKAGES
VERSIONS = (
    "sphinx",
    "docutils",
    "myst-parser",
    "myst-nb",
    "pydata-sphinx-theme",
    "sphinx-numpy-learn",
    "sphinx-book-theme",
    "sphinx-design",
    "sphinx-exercise",
    "sphinx-togglebutton",
    "ipykernel",
    "numpy",
    "matplotlib",
)
PACKAGES = ("sphinx", "myst-nb", "pydata-sphinx-theme", "sphinx-numpy-learn")  # in the header
LISTING_PAGES = ("index",)  # the learning path and the catalog
SEARCH_INDEX = "searchindex.js"  # the site's search index: on every page of (a) and (c)
ADDED_SENTENCE = "This sentence was added by the benchmark."
BUILD_TIMEOUT = 3600  # seconds, per build
PIP_TIMEOUT = 1800

# Targets.
FULL_VS_PLAIN = 1.10
FULL_VS_BOOK = 0.30
INCREMENTAL_VS_PLAIN = 1.15
MEMORY_VS_PLAIN = 1.10
EXTRA_BYTES = 15_000

READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
WRITING = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
UPDATING = re.compile(
    r"^updating environment: (?:\[(?P<reason>[^\]]*)\] )?"
    r"(?P<added>\d+) added, (?P<changed>\d+) changed, (?P<removed>\d+) removed",
    re.MULTILINE,
)
CONFIG_CHANGED = re.compile(r"The configuration has changed \(([^\n]*)\)")

# Run with each configuration's interpreter: the versions it has, and the interpreter
# the notebooks' ``python3`` kernel runs on (jupyter_client starts a kernel whose
# command is plain "python" with the interpreter that starts it).
VERSIONS_SCRIPT = """\
import json, platform, sys
from importlib import metadata
from jupyter_client.kernelspec import KernelSpecManager

versions = {"python": platform.python_version()}
for name in json.loads(sys.argv[1]):
    try:
        versions[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        pass
spec = KernelSpecManager().get_kernel_spec("python3")
kernel = spec.argv[0]
if kernel in {"python", "python%i" % sys.version_info[0], "python%i.%i" % sys.version_info[:2]}:
    kernel = sys.executable
print(json.dumps({"versions": versions, "kernel": kernel, "prefix": sys.prefix}))
"""


# -- The configurations -----------------------------------------------------------------------


@dataclass
class Stack:
    config: str
    python: Path
    work: Path

    @property
    def flavour(self) -> str:
        return FLAVOURS[self.config]

    @property
    def src(self) -> Path:
        return self.work / self.config / "src"

    @property
    def build(self) -> Path:
        """Everything a build writes: ``html`` (with ``.doctrees``) and MyST-NB's
        ``jupyter_execute``, which it puts next to the output folder."""
        return self.work / self.config / "build"

    @property
    def out(self) -> Path:
        return self.build / "html"

    @property
    def cache(self) -> Path:
        return self.work / self.config / "jupyter-cache"


def venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def book_python(work: Path, book_venv: Path | None) -> Path:
    """The interpreter of a virtual environment with the Jupyter Book stack: ``book_venv``
    or ``WORK/book-venv``, reused when its marker file lists the same packages, else
    made (or completed) with ``venv`` and pip."""
    env_dir = (book_venv or work / "book-venv").absolute()
    python = venv_python(env_dir)
    marker = env_dir / BOOK_MARKER
    wanted = "\n".join(BOOK_PACKAGES) + "\n"
    if python.is_file() and marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        print(f"  reusing the Jupyter Book stack in {env_dir}", flush=True)
        return python
    if env_dir.is_dir() and any(env_dir.iterdir()) and not (env_dir / "pyvenv.cfg").is_file():
        raise Failure(f"{env_dir} is neither empty nor a virtual environment")
    start = time.perf_counter()
    if not python.is_file():
        venv.create(env_dir, with_pip=True, symlinks=os.name != "nt")
    command = [str(python), "-m", "pip", "install", "--quiet", *BOOK_PACKAGES]
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=PIP_TIMEOUT, check=False
    )
    if process.returncode:
        raise failure(
            "installing the Jupyter Book stack", command, process.stdout + process.stderr
        )
    marker.write_text(wanted, encoding="utf-8")
    seconds = time.perf_counter() - start
    print(f"  installed the Jupyter Book stack in {env_dir} ({seconds:.0f} s)", flush=True)
    return python


def inspect_python(python: Path) -> tuple[dict[str, str], str]:
    """The versions ``python`` has, and the interpreter its ``python3`` kernel runs on,
    checked to be in the same environment."""
    command = [str(python), "-c", VERSIONS_SCRIPT, json.dumps(VERSIONS)]
    process = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if process.returncode:
        raise failure("reading versions", command, process.stdout + process.stderr)
    found = json.loads(process.stdout)
    kernel, prefix = os.path.abspath(found["kernel"]), os.path.abspath(found["prefix"])
    if os.path.commonpath([kernel, prefix]) != prefix:
        raise Failure(
            f"the python3 kernel of {python} runs {kernel}, outside its environment {prefix}"
        )
    return found["versions"], kernel


# -- Builds -------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_rss: int
    """Bytes: the largest resident set size of the build process (``os.wait4``)."""
    output: str


def run_build(stack: Stack, options: list[str], log: Path) -> Run:
    """``python -m sphinx -b html -N OPTIONS SRC OUT`` with the stack's interpreter."""
    command = [
        *(str(stack.python), "-m", "sphinx", "-b", "html", "-N", *options),
        *(str(stack.src), str(stack.out)),
    ]
    with log.open("w+", encoding="utf-8") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=plain_output_env()
        )
        timer = threading.Timer(BUILD_TIMEOUT, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if process.returncode:
        raise failure(f"the build of ({stack.config})", command, text)
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Run(seconds=seconds, peak_rss=peak, output=text)


def full_build(stack: Stack, options: list[str], log: Path) -> Run:
    shutil.rmtree(stack.build, ignore_errors=True)
    return run_build(stack, options, log)


@dataclass
class Incremental:
    seconds: float
    reread: list[str]
    written: list[str]
    updating: str
    """Sphinx's ``updating environment:`` line."""
    config_changed: str | None
    """What Sphinx says changed in the configuration, if it says so."""


def append_sentence(src: Path, docname: str) -> None:
    path = src / f"{docname}.md"
    text = path.read_text(encoding="utf-8")
    if text.count(INTRO_END) != 1:
        raise Failure(f"expected {INTRO_END!r} exactly once in {path}")
    path.write_text(text.replace(INTRO_END, f"{INTRO_END} {ADDED_SENTENCE}"), encoding="utf-8")


def incremental_build(stack: Stack, docname: str, log: Path) -> Incremental:
    append_sentence(stack.src, docname)
    run = run_build(stack, [], log)
    updating = UPDATING.search(run.output)
    changed = CONFIG_CHANGED.search(run.output)
    return Incremental(
        seconds=run.seconds,
        reread=sorted(set(READING.findall(run.output))),
        written=sorted(set(WRITING.findall(run.output))),
        updating=updating.group(0) if updating else "",
        config_changed=changed.group(1) if changed else None,
    )


# -- CSS and JavaScript -------------------------------------------------------------------------


@dataclass
class Assets:
    page: str
    css: dict[str, int] = field(default_factory=dict)
    """Local stylesheet -> bytes, as written to the output."""
    js: dict[str, int] = field(default_factory=dict)
    external: list[str] = field(default_factory=list)
    """Stylesheets and scripts from another host."""

    @property
    def css_bytes(self) -> int:
        return sum(self.css.values())

    @property
    def js_bytes(self) -> int:
        return sum(self.js.values())

    @property
    def total(self) -> int:
        return self.css_bytes + self.js_bytes


def weigh(out: Path, page: str) -> Assets:
    parser = AssetParser()
    parser.feed((out / f"{page}.html").read_text(encoding="utf-8"))
    assets = Assets(page=page)
    for urls, sizes in ((parser.stylesheets, assets.css), (parser.scripts, assets.js)):
        for url in urls:
            path = site_path(page, url)
            if path is None:
                assets.external.append(url)
            else:
                sizes[path] = (out / path).stat().st_size
    return assets


# -- The run ------------------------------------------------------------------------------------


class Measured:
    """What :class:`Rounds` records of a configuration (its dataclass holds the lists),
    and the best of the rounds: the shortest times, the largest peak memory."""

    full_seconds: list[float]
    peak_rss: list[int]
    incremental: list[Incremental]
    assets: dict[str, Assets]

    @property
    def full(self) -> float:
        return min(self.full_seconds)

    @property
    def incremental_best(self) -> float:
        return min(run.seconds for run in self.incremental)

    @property
    def memory(self) -> int:
        return max(self.peak_rss)


@dataclass
class Result(Measured):
    config: str
    flavour: str
    description: str
    python: str
    kernel: str
    versions: dict[str, str]
    full_seconds: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    parallel_seconds: list[float] = field(default_factory=list)
    incremental: list[Incremental] = field(default_factory=list)
    parallel_warnings: list[str] = field(default_factory=list)
    assets: dict[str, Assets] = field(default_factory=dict)

    @property
    def parallel(self) -> float:
        return min(self.parallel_seconds)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["assets"] = {
            page: {
                **asdict(assets),
                "css_bytes": assets.css_bytes,
                "js_bytes": assets.js_bytes,
                "total": assets.total,
            }
            for page, assets in self.assets.items()
        }
        data["best"] = {
            "full_seconds": self.full,
            "parallel_seconds": self.parallel,
            "incremental_seconds": self.incremental_best,
            "peak_rss": self.memory,
        }
        return data


def edited_page(pages: int) -> str:
    return page_name((pages + 1) // 2)


def tutorial_page(pages: int) -> str:
    return page_name(EXERCISE_EVERY if pages >= EXERCISE_EVERY else 1)


def weighed_pages(pages: int, notebooks: int) -> list[str]:
    """The tutorial page (the target's), then the landing page and a notebook."""
    return [tutorial_page(pages), "index", *([notebook_name(1)] if notebooks else [])]


@dataclass
class Rounds:
    """The builds of several stacks (here and in :mod:`benchmarks.overhead`): one untimed
    priming build of each, then, round after round, each timed step for every stack
    before the next, their order alternating; a progress line for each build."""

    stacks: dict[str, Stack]
    results: Mapping[str, Measured]
    logs: Path
    prefix: str
    """The start of the log files' names."""
    width: int
    """Of a step's name in a progress line."""
    peak_width: int
    """Of the peak memory (MiB) in a progress line."""

    def log(self, config: str, step: str) -> Path:
        return self.logs / f"{self.prefix}{config}-{step}.log"

    def say(self, tag: str, config: str, step: str, seconds: float, more: str = "") -> None:
        print(f"  {tag} ({config}) {step:<{self.width}}{seconds:7.2f} s{more}", flush=True)

    def prime(self, config: str, pages: int, notebooks: int) -> float:
        """Write the stack's corpus and build it with ``-W`` (a warning fails the
        benchmark), which fills its notebook cache; the seconds it took."""
        stack = self.stacks[config]
        write_flavour(stack.src, stack.flavour, pages, notebooks, execution_cache=stack.cache)
        start = time.perf_counter()
        full_build(stack, ["-q", "-W", "--keep-going"], self.log(config, "priming"))
        return time.perf_counter() - start

    def order(self, round_: int) -> tuple[str, ...]:
        return alternating(tuple(self.stacks), round_)

    def full_builds(self, round_: int, tag: str) -> None:
        """A serial full build of each: its time and peak memory."""
        for config in self.order(round_):
            run = full_build(self.stacks[config], ["-q"], self.log(config, f"full-{round_}"))
            self.results[config].full_seconds.append(run.seconds)
            self.results[config].peak_rss.append(run.peak_rss)
            peak = f", peak {run.peak_rss / 2**20:{self.peak_width}.0f} MiB"
            self.say(tag, config, "full build", run.seconds, peak)

    def incremental_builds(self, round_: int, tag: str, edited: str) -> None:
        """``edited`` changed, then a build of each: its time and the pages it re-read."""
        for config in self.order(round_):
            log = self.log(config, f"incremental-{round_}")
            incremental = incremental_build(self.stacks[config], edited, log)
            self.results[config].incremental.append(incremental)
            counts = f", {len(incremental.reread)} re-read, {len(incremental.written)} written"
            self.say(tag, config, "incremental", incremental.seconds, counts)

    def weigh(self, pages: int, notebooks: int) -> None:
        """The CSS and JavaScript of the weighed pages of each stack's last build."""
        for config, stack in self.stacks.items():
            for page in weighed_pages(pages, notebooks):
                self.results[config].assets[page] = weigh(stack.out, page)


def run(
    work: Path, pages: int, notebooks: int, rounds: int, book_venv: Path | None
) -> dict[str, Result]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    pythons = {"a": Path(sys.executable), "b": Path(sys.executable)}
    pythons["c"] = book_python(work, book_venv)
    stacks = {config: Stack(config, pythons[config], work) for config in CONFIGS}
    results: dict[str, Result] = {}
    builds = Rounds(stacks, results, logs, prefix="", width=16, peak_width=6)
    for config, stack in stacks.items():
        versions, kernel = inspect_python(stack.python)
        results[config] = Result(
            config=config,
            flavour=stack.flavour,
            description=DESCRIPTIONS[config],
            python=str(stack.python),
            kernel=kernel,
            versions=versions,
        )
        shutil.rmtree(work / config, ignore_errors=True)
        seconds = builds.prime(config, pages, notebooks)
        print(
            f"  ({config}) priming build, notebooks executed into {stack.cache.name}/: "
            f"{seconds:.1f} s",
            flush=True,
        )

    edited = edited_page(pages)
    for round_ in range(1, rounds + 1):
        tag = f"({round_}/{rounds})"
        builds.full_builds(round_, tag)
        builds.incremental_builds(round_, tag, edited)
        for config in builds.order(round_):
            log = builds.log(config, f"parallel-{round_}")
            parallel = full_build(stacks[config], ["-q", "-j", "2"], log)
            results[config].parallel_seconds.append(parallel.seconds)
            results[config].parallel_warnings += warning_lines(parallel.output)
            builds.say(tag, config, "-j 2 full build", parallel.seconds)

    builds.weigh(pages, notebooks)
    return results


# -- Report -------------------------------------------------------------------------------------


def ratios(results: dict[str, Result], pages: int) -> dict[str, dict[str, float]]:
    page = tutorial_page(pages)
    measures = {
        "full_build": {config: result.full for config, result in results.items()},
        "incremental": {config: result.incremental_best for config, result in results.items()},
        "parallel": {config: result.parallel for config, result in results.items()},
        "peak_memory": {config: float(result.memory) for config, result in results.items()},
        "css_js_bytes": {
            config: float(result.assets[page].total) for config, result in results.items()
        },
    }
    return {
        name: {"b/a": values["b"] / values["a"], "b/c": values["b"] / values["c"]}
        for name, values in measures.items()
    }


def targets(results: dict[str, Result], pages: int) -> list[Target]:
    a, b, c = results["a"], results["b"], results["c"]
    edited = edited_page(pages)
    allowed = {edited, *LISTING_PAGES}
    reread = set(b.incremental[-1].reread)
    consistent = all(set(run.reread) == reread for run in b.incremental)
    page = tutorial_page(pages)
    extra = b.assets[page].total - a.assets[page].total
    return [
        Target(
            "full build b/a",
            f"{b.full / a.full:.3f}",
            f"<= {FULL_VS_PLAIN:.2f}",
            b.full / a.full <= FULL_VS_PLAIN,
            False,
        ),
        Target(
            "full build b/c",
            f"{b.full / c.full:.3f}",
            f"<= {FULL_VS_BOOK:.2f}",
            b.full / c.full <= FULL_VS_BOOK,
            False,
        ),
        Target(
            "incremental rebuild b/a",
            f"{b.incremental_best / a.incremental_best:.3f}",
            f"<= {INCREMENTAL_VS_PLAIN:.2f}",
            b.incremental_best / a.incremental_best <= INCREMENTAL_VS_PLAIN,
            False,
        ),
        Target(
            "(b) incremental re-reads only the edited page and the pages listing it",
            ", ".join(sorted(reread)) or "nothing",
            f"{edited}, at most also {', '.join(LISTING_PAGES)}",
            edited in reread and reread <= allowed and consistent,
            True,
        ),
        Target(
            "peak memory b/a",
            f"{b.memory / a.memory:.3f}",
            f"<= {MEMORY_VS_PLAIN:.2f}",
            b.memory / a.memory <= MEMORY_VS_PLAIN,
            False,
        ),
        Target(
            "(b) -j 2 full build faster than -j 1",
            f"{b.parallel:.2f} s vs {b.full:.2f} s",
            "-j 2 < -j 1",
            b.parallel < b.full,
            False,
        ),
        Target(
            f"CSS+JS of {page}, b - a",
            f"{extra} bytes",
            f"<= {EXTRA_BYTES}",
            extra <= EXTRA_BYTES,
            True,
        ),
    ]


def measures_table(results: dict[str, Result], pages: int) -> list[str]:
    page = tutorial_page(pages)
    a, b, c = (results[config] for config in CONFIGS)

    def row(name: str, values: list[float], form: str) -> tuple[str, ...]:
        va, vb, vc = values
        return (name, *(format(v, form) for v in values), f"{vb / va:.2f}", f"{vb / vc:.2f}")

    return markdown_table(
        [
            ("measure", "(a) plain", "(b) learn", "(c) jupyter-book", "b/a", "b/c"),
            row("full build s (serial, best)", [r.full for r in (a, b, c)], ".2f"),
            row("incremental rebuild s (best)", [r.incremental_best for r in (a, b, c)], ".2f"),
            row("-j 2 full build s (best)", [r.parallel for r in (a, b, c)], ".2f"),
            row(
                "peak memory MiB (serial full build)", [r.memory / 2**20 for r in (a, b, c)], ".0f"
            ),
            row(f"CSS+JS bytes, {page}", [float(r.assets[page].total) for r in (a, b, c)], ".0f"),
        ]
    )


def shown(names: list[str], limit: int = 6) -> str:
    more = f", ... ({len(names)} in all)" if len(names) > limit else ""
    return (", ".join(names[:limit]) or "none") + more


def details_table(results: dict[str, Result]) -> list[str]:
    rows = [("configuration", "-j 1 / -j 2", "re-read", "written", "configuration changed")]
    for config, result in results.items():
        last = result.incremental[-1]
        rows.append(
            (
                f"({config}) {result.flavour}",
                f"{result.full / result.parallel:.2f}",
                shown(last.reread),
                shown(last.written),
                last.config_changed or "no",
            )
        )
    return markdown_table(rows, text_columns=5)


def assets_table(results: dict[str, Result]) -> list[str]:
    rows = [
        ("page", "configuration", "files", "CSS", "JS", SEARCH_INDEX, "total bytes", "other hosts")
    ]
    for page in results["a"].assets:
        for config, result in results.items():
            assets = result.assets[page]
            rows.append(
                (
                    page,
                    f"({config}) {result.flavour}",
                    str(len(assets.css) + len(assets.js)),
                    str(assets.css_bytes),
                    str(assets.js_bytes),
                    str(assets.js.get(SEARCH_INDEX, 0)),
                    str(assets.total),
                    ", ".join(assets.external) or "none",
                )
            )
    return markdown_table(rows, text_columns=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.stacks",
        description="Build one corpus of tutorials and notebooks with (a) pydata-sphinx-theme "
        "+ MyST-NB, (b) sphinx_numpy_learn and (c) the Jupyter Book 1 stack; compare full, "
        "incremental and -j 2 builds, peak memory and the CSS+JS of a page.",
    )
    parser.add_argument("--pages", type=int, default=300, help="tutorial pages (default 300)")
    parser.add_argument("--notebooks", type=int, default=20, help="notebooks (default 20)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of builds; the best time counts (default 3)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="work directory, kept afterwards (default: temporary)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--book-venv",
        type=Path,
        help="virtual environment for (c): reused if this benchmark made it, else made there "
        "(default: WORKDIR/book-venv)",
    )
    args = parser.parse_args(argv)
    check_minimums(parser, args, pages=1, notebooks=0, rounds=1)

    env = environment(PACKAGES)
    byte_compile("sphinx_numpy_learn")
    with workspace(
        f"Stacks benchmark: {args.pages} page(s), {args.notebooks} notebook(s), "
        f"{args.rounds} round(s)",
        env,
        args.workdir,
        "learn-stacks-bench-",
    ) as work:
        try:
            results = run(work, args.pages, args.notebooks, args.rounds, args.book_venv)
        except FAILURES as exc:
            return failed(exc, work / "logs", kept=args.workdir is not None)

    checks = targets(results, args.pages)
    print()
    for config, result in results.items():
        versions = ", ".join(f"{name} {version}" for name, version in result.versions.items())
        print(f"({config}) {result.description}: {versions}")
    print()
    print("\n".join(measures_table(results, args.pages)))
    print()
    print(f"Incremental rebuild after editing {edited_page(args.pages)}:")
    print()
    print("\n".join(details_table(results)))
    print()
    print("CSS and JavaScript each page loads:")
    print()
    print("\n".join(assets_table(results)))
    warnings = {
        config: r.parallel_warnings for config, r in results.items() if r.parallel_warnings
    }
    for config, lines in warnings.items():
        print(f"\n({config}) -j 2 builds warned {len(lines)} time(s), first: {lines[0]}")
    print()
    passed = report_targets(checks)

    data = {
        "pages": args.pages,
        "notebooks": args.notebooks,
        "rounds": args.rounds,
        "edited_page": edited_page(args.pages),
        "listing_pages": list(LISTING_PAGES),
        "tutorial_page": tutorial_page(args.pages),
        "environment": env,
        "configurations": {c: r.as_json() for c, r in results.items()},
        "ratios": ratios(results, args.pages),
    }
    return finish(args.json, data, checks, passed)


if __name__ == "__main__":
    sys.exit(main())
