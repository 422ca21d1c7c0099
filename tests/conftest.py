from __future__ import annotations

import contextlib
import functools
import http.server
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.synthetic import notebook_front_matter

pytest_plugins = ("sphinx.testing.fixtures",)

# The roots are Sphinx projects, not test modules.
collect_ignore = ["roots"]

TESTS_DIR = Path(__file__).parent
REPO_DIR = TESTS_DIR.parent
EXAMPLE_DOCS = REPO_DIR / "example_docs"
SNIPPETS = EXAMPLE_DOCS / "snippets"


try:
    from playwright import sync_api as playwright_api
except ImportError:  # pragma: no cover - the test extra installs it
    playwright_api = None


def missing(what: str) -> None:
    """Never skip silently: without the browser these tests fail, saying what to install.
    (Deselect them on purpose with ``-m "not browser"``.)"""
    pytest.fail(f"{what} is needed for the browser tests")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder for the browser tests without logging every request."""

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that hangs up early (a favicon it will not wait for) is not an error."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served_folder(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP from a thread, for as long as the block runs: its
    base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path is None:
        missing("Chromium (apt-get install chromium)")
    return path


# -- Spreading the suite over pytest-xdist's workers (`make test`: -n auto --dist loadfile) -----

# The session's sites, built once for all workers (see shared_build).
SHARED_SITES = {"example_build", "flat_site_build"}
# Modules whose tests share nothing but session fixtures, and take long: their tests go
# to the workers one by one. Every other module goes to one worker, so that its module
# fixtures (a built site, a browser) are made once.
SPREAD_MODULES = {"tests/test_benchmarks.py", "tests/test_properties.py"}


def work_unit(nodeid: str) -> str:
    """What pytest-xdist sends to one worker together: the test's module, or the test."""
    module = nodeid.split("::", 1)[0]
    return nodeid if module in SPREAD_MODULES else module


@pytest.hookimpl(optionalhook=True)  # also without pytest-xdist (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, with the tests of ``SPREAD_MODULES`` one by one, and the work
    in the order the collection gives (see ``pytest_collection_modifyitems``), not by size."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False
    return Scheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On a pytest-xdist worker (the order is the one work is handed out in): the slow
    units first, those that wait for a shared site alternating with those that do not
    (while one worker builds the example site, the other runs property tests instead of
    waiting for it); then the modules, most tests first; then single tests."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        units.setdefault(work_unit(item.nodeid), []).append(item)
    waiting, free, rest = [], [], []
    for unit in units.values():
        if not any(item.get_closest_marker("slow") for item in unit):
            rest.append(unit)
        elif any(SHARED_SITES & set(item.fixturenames) for item in unit):
            waiting.append(unit)
        else:
            free.append(unit)
    free.sort(key=lambda unit: len(unit) > 1)  # the spread modules' single tests first
    slow = [u for pair in itertools.zip_longest(waiting, free) for u in pair if u is not None]
    rest.sort(key=len, reverse=True)
    items[:] = [item for unit in (*slow, *rest) for item in unit]


@pytest.fixture(scope="module")
def browser():
    """The system's Chromium, driven by Playwright; one per test module, so that no
    Playwright event loop outlives the browser tests."""
    if playwright_api is None:
        missing("Playwright (pip install -e '.[test]')")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS_DIR / "roots"


# What docs CI runs: warnings are errors, references are checked.
SPHINX_BUILD = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html"]


def sphinx_build(command: list[str]) -> str:
    """Run ``sphinx-build`` with ``command`` (options, source, output) in a subprocess,
    as docs CI does; it must succeed. Returns its log."""
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        # Plain log lines to match: Sphinx colours its output when CI is set.
        env={**os.environ, "PYTHONWARNINGS": "", "NO_COLOR": "1"},
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return log


def build_example_site(outdir: Path, *options: str) -> str:
    """Build example_docs into ``outdir`` (with extra ``sphinx-build`` options) and
    return the log."""
    log = sphinx_build([*SPHINX_BUILD, *options, str(EXAMPLE_DOCS), str(outdir)])
    # Sphinx's own format ("file:line: WARNING: ..."); kernels print other lines.
    assert not re.search(r"(^|: )WARNING: ", log, flags=re.MULTILINE), log
    return log


@dataclass(frozen=True)
class SiteBuild:
    """A site built once for the whole run: its HTML folder and the build's log. Read
    it, serve it, copy it; never write into it (other tests, on other workers, read
    it too): the run fails if a test changed it (see :func:`shared_build`)."""

    outdir: Path
    log: str


def fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """Every file under ``folder``: its path, size and modification time."""
    return sorted(
        (path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and (stat := path.stat())
    )


def shared_build(
    tmp_path_factory, name: str, build: Callable[[Path], SiteBuild]
) -> Iterator[SiteBuild]:
    """``build(folder)`` once for the whole run, however many pytest-xdist workers need
    it: the first worker to get here builds into a folder all workers share (under a
    file lock, pytest-xdist's documented pattern); the others wait and reuse it. A
    build that failed is tried again by the next worker, so each reports its error.

    When the session ends, the site must be as built: a test that wrote into it
    (rebuilt it in place, say) would make other tests' results depend on the order
    they ran in, so it is an error here."""
    from filelock import FileLock

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        site = build(tmp_path_factory.mktemp(name))
    else:
        root = tmp_path_factory.getbasetemp().parent
        folder, done = root / name, root / f"{name}.log"
        with FileLock(root / f"{name}.lock"):
            if done.is_file():
                site = SiteBuild(outdir=folder / "html", log=done.read_text(encoding="utf-8"))
            else:
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                site = build(folder)
                assert site.outdir == folder / "html"
                done.write_text(site.log, encoding="utf-8")
    built = fingerprint(site.outdir)
    yield site
    assert fingerprint(site.outdir) == built, f"a test changed the shared {name} build"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Iterator[SiteBuild]:
    """example_docs built the way docs CI builds it, every notebook executed into a
    fresh cache; shared by every module that reads or serves the example site."""

    def build(folder: Path) -> SiteBuild:
        outdir = folder / "html"
        return SiteBuild(outdir=outdir, log=build_example_site(outdir))

    yield from shared_build(tmp_path_factory, "example", build)


@pytest.fixture(scope="session")
def book_theme_python(tmp_path_factory) -> Path:
    """The interpreter of one virtual environment, made once for the whole run, with the
    Jupyter Book 1 stack (sphinx-book-theme pins an older pydata-sphinx-theme, so it
    cannot share ours) and this package: the compatibility tests build with it, and the
    stacks benchmark reuses it (its marker file lists the stack's packages)."""
    from filelock import FileLock

    from benchmarks.stacks import book_python

    def make(folder: Path) -> Path:
        python = book_python(folder, folder / "venv")
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", str(REPO_DIR)],
            check=True,
            capture_output=True,
        )
        return python

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp("book-theme"))
    root = tmp_path_factory.getbasetemp().parent
    folder, done = root / "book-theme", root / "book-theme.done"
    with FileLock(root / "book-theme.lock"):
        if done.is_file():
            return Path(done.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        python = make(folder)
        done.write_text(str(python), encoding="utf-8")
        return python


def copy_of_cache(site: SiteBuild, folder: Path) -> Path:
    """A copy of the jupyter cache ``site``'s build executed its notebooks into, for
    another build to take their outputs from: a build writes to the cache it reads
    (jupyter-cache records when a notebook's outputs were last used)."""
    import sqlite3

    cache = site.outdir / ".doctrees" / "jupyter_cache"
    copy = folder / "jupyter_cache"
    shutil.copytree(cache, copy, ignore=lambda _folder, names: {"global.db"} & set(names))
    # A consistent copy of the database, even while another build writes to it.
    with (
        contextlib.closing(sqlite3.connect(cache / "global.db")) as source,
        contextlib.closing(sqlite3.connect(copy / "global.db")) as target,
    ):
        source.backup(target)
    return copy


def soup_of(app, page: str = "index"):
    """The parsed HTML of ``page`` in an HTML build's output."""
    from bs4 import BeautifulSoup

    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def assert_warnings_exactly(app, expected: list[tuple[str, str, str]]) -> None:
    """The build warned once per ``(location, text, type)`` and about nothing else of ours:
    each line starts with ``location`` (``file:line:``), contains ``text`` and ends with
    ``[type]``; and no traceback was printed."""
    warnings = warnings_of(app)
    lines = warnings.splitlines()
    for location, text, kind in expected:
        matching = [line for line in lines if line.startswith(location) and text in line]
        assert len(matching) == 1, f"{location} {text!r} not found once in:\n{warnings}"
        assert matching[0].endswith(f"[{kind}]"), matching[0]
    ours = [line for line in lines if "[learn." in line]
    assert len(ours) == len(expected), warnings
    assert "Traceback" not in warnings


def myst_notebook(body: str, learn: str = "", kernel: tuple[str, ...] = ()) -> str:
    """A MyST Markdown notebook: the front matter the benchmarks write (jupytext's format,
    the ``python3`` kernel or ``kernel``: display name, language and name), with ``learn``
    (a ``learn:`` block) at its end; then ``body`` after a blank line."""
    return notebook_front_matter(*kernel) + learn + "---\n\n" + body


def warnings_of(app) -> str:
    """The build's warnings, with ANSI colours removed."""
    from sphinx.util.console import strip_escape_sequences

    return strip_escape_sequences(app.warning.getvalue())


@pytest.fixture
def root_app(make_app, rootdir, tmp_path):
    """Build a copy of ``tests/roots/test-NAME`` in a fresh folder, with any builder.

    For tests parametrized over builders or themes, where the ``sphinx`` marker's
    shared source folder would let one build's environment leak into the next.
    """
    import shutil

    def factory(name: str, buildername: str = "html", **kwargs):
        srcdir = tmp_path / name
        shutil.copytree(rootdir / f"test-{name}", srcdir)
        return make_app(buildername, srcdir=srcdir, **kwargs)

    def again(srcdir, buildername: str = "html", **kwargs):
        """A new build of a folder already built, as the next ``sphinx-build`` run."""
        return make_app(buildername, srcdir=srcdir, **kwargs)

    factory.again = again
    return factory


# tests/roots/test-flat-site as a real collection grows (the browser tests' second
# site, beside example_docs): a learning path through three of its tutorials, one
# more tutorial whose first data cell fails deep inside NumPy, and the execution
# report. Its maintainer keeps the site building while that notebook is fixed.
FLAT_SITE_PATH = """\
```{learning-path} Your first week with NumPy and real data
:name: first-week

weather
moores-law
saving-arrays
```

"""
FLAT_SITE_FAILING = myst_notebook(
    learn="learn:\n  level: beginner\n",
    body="""\
# Reading 140 years of global temperature anomalies from a CSV file you download yourself

Read the NOAA record into an array and find the warmest decade.

## Get the data

```{code-cell} ipython3
import numpy as np
```

The file comes from the NOAA website; save it next to this notebook first.

```{code-cell} ipython3
anomalies = np.loadtxt("global-temperature-anomalies.csv", delimiter=",", skiprows=5)
```

## Find the warmest decade

```{code-cell} ipython3
decades = anomalies[:, 1].reshape(-1, 10).mean(axis=1)
decades.argmax()
```
""",
)
FLAT_SITE_REPORT = """\
# How the notebooks ran

```{execution-report}
```
"""
# The learning path as one page, to print for a workshop.
FLAT_SITE_BOOK = """\
# Your first week with NumPy and real data, all three steps on one page to print

```{learning-path-book} first-week
```
"""
# The pages the grown flat site adds to its root toctree.
FLAT_SITE_ADDED = ["temperature-anomalies", "execution-report", "first-week-on-one-page"]


@pytest.fixture(scope="session")
def flat_site_build(tmp_path_factory) -> Iterator[SiteBuild]:
    yield from shared_build(tmp_path_factory, "flat-site", build_flat_site)


def build_flat_site(folder: Path) -> SiteBuild:
    srcdir = folder / "src"
    shutil.copytree(TESTS_DIR / "roots" / "test-flat-site", srcdir)
    index = srcdir / "index.md"
    text = index.read_text(encoding="utf-8")
    text = text.replace("```{toctree}", FLAT_SITE_PATH + "```{toctree}", 1)
    text = text.replace("about\n```", "about\n" + "\n".join(FLAT_SITE_ADDED) + "\n```", 1)
    index.write_text(text, encoding="utf-8")
    (srcdir / "temperature-anomalies.md").write_text(FLAT_SITE_FAILING, encoding="utf-8")
    (srcdir / "execution-report.md").write_text(FLAT_SITE_REPORT, encoding="utf-8")
    (srcdir / "first-week-on-one-page.md").write_text(FLAT_SITE_BOOK, encoding="utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("learn_execution_strict = False\n")
    outdir = srcdir.parent / "html"
    # As docs CI builds it, but the failing notebook's warning does not stop the build.
    command = [arg for arg in SPHINX_BUILD if arg not in {"-W", "--keep-going"}]
    log = sphinx_build([*command, str(srcdir), str(outdir)])
    # One warning: the failing cell's (several lines, its type on the last).
    assert len(re.findall(r"WARNING: ", log)) == 1, log
    failure = rf"^{re.escape(str(srcdir))}/temperature-anomalies\.md:\d+: WARNING: "
    failure += r"notebook temperature-anomalies: code cell 2, line 1 failed: FileNotFoundError"
    assert re.search(failure + r".*?\[learn\.execution\]$", log, flags=re.M | re.S), log
    return SiteBuild(outdir=outdir, log=log)
