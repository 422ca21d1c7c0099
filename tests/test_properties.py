"""Property-based tests: no option value, title or front matter breaks the build.

Hypothesis writes small projects (one reStructuredText page and one MyST page,
each holding every directive of the extension) whose options get arbitrary
values: unicode of every kind, control characters, empty, huge, numbers, names
the directive does not know. Each project is built in-process. The oracle:

1. the build never raises and prints no traceback;
2. every warning names its file (and line), and none is a parser's own error
   about one of our directives' options (docutils' "Error in ... directive",
   MyST's ``myst.directive_option``): those are ``learn.*`` warnings;
3. each value the model below knows is bad gives a ``learn.<subtype>`` warning
   naming the option, at the directive's line; a good value gives none;
4. each directive is still in the HTML.

The model of each directive's options is written here, from the documented
behaviour, not read from the code; a test checks that it names the same options
as the code, so a new option or directive cannot go untested.

The last section does the same for ``sphinx-numpy-learn new``: any title is refused
in one line or makes a skeleton, in both syntaxes, that builds without a warning and
shows the title as typed.

The examples are derandomized (the same ones on every run); the budget keeps the
module to a minute or two on a two-core machine.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup
from docutils.parsers.rst import directives as docutils_directives
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from sphinx_numpy_learn.cli import main
from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec
from sphinx_numpy_learn.metadata import schema
from sphinx_numpy_learn.scaffold import FORMATS, MAX_NAME_BYTES, name_bytes

# Hundreds of builds: `make test` runs them, `make test-quick` does not.
pytestmark = pytest.mark.slow

# -- The model ---------------------------------------------------------------------------------

TEXT = "text"  # anything goes
REQUIRED = "required"  # text that is not blank
FLAG = "flag"  # no value (a value is warned about, the flag is still set)
CLASS = "class"  # CSS class names, each able to become an identifier
NAMES = "names"  # a comma-separated list; anything goes
MINUTES = "minutes"  # a whole number from 0 to 1440, "min" after it or not


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


Kind = str | Choice

LABELLED = {"label": REQUIRED, "name": REQUIRED, "class": CLASS}


@dataclass(frozen=True)
class Model:
    """What a writer can give one directive, and how to see that it was rendered."""

    subtype: str
    options: dict[str, Kind] = field(default_factory=dict)
    argument: str = "none"  # "none", "optional" or "wanted" (a warning when missing)
    body: tuple[str, ...] = ()  # content lines; "{mark}" is replaced by a unique word
    rendered: str = ""  # CSS selector of what the directive becomes in HTML
    learn_prefix: bool = False  # also registered as learn:NAME
    once: bool = False  # at most once per project (reference tables)


CHECKPOINT_BODY = ("{mark}", "", "- [x] Yes", "- [ ] No")

MODELS: dict[str, Model] = {
    "tutorial-catalog": Model(
        "catalog",
        {
            "levels": NAMES,
            "tags": NAMES,
            "audience": Choice(("learner", "contributor")),
            "tutorials": NAMES,
            "sort": Choice(("reading-order", "title", "duration")),
            "group-by": Choice(("level", "none")),
            "no-filters": FLAG,
            "class": CLASS,
        },
    ),
    # Without cards to show, a landing is its catalog (counted with the catalogs).
    "landing": Model(
        "landing",
        {"start": REQUIRED, "contribute": REQUIRED, "no-catalog": FLAG, "class": CLASS},
    ),
    "learning-path": Model(
        "path",
        {"name": REQUIRED, "class": CLASS},
        argument="wanted",
        body=("- {other}",),
        rendered="ol.learn-path-steps",
    ),
    "tutorial": Model(
        "metadata",
        dict.fromkeys(
            (
                "level",
                "duration",
                "prerequisites",
                "objectives",
                "outcome",
                "needs",
                "keypoints",
                "tags",
                "audience",
                "audience_description",
                "summary",
            ),
            TEXT,
        ),
        rendered="aside.learn-tutorial-header",
    ),
    # (A :path: no learning path has is a warning about the path, not the option.)
    "key-points-summary": Model(
        "key-points",
        {"path": REQUIRED, "class": CLASS},
        rendered="div.learn-revision-sheet",
        learn_prefix=True,
    ),
    "exercise": Model(
        "exercise",
        {**LABELLED, "nonumber": FLAG, "hidden": FLAG, "objective": REQUIRED},
        argument="optional",
        body=("{mark}",),
        learn_prefix=True,
    ),
    "exercise-start": Model(
        "exercise",
        {**LABELLED, "nonumber": FLAG, "hidden": FLAG, "objective": REQUIRED},
        argument="optional",
        learn_prefix=True,
    ),
    "exercise-end": Model("exercise", learn_prefix=True),
    "solution": Model(
        "solution",
        {**LABELLED, "hidden": FLAG},
        argument="optional",
        body=("{mark}",),
        learn_prefix=True,
    ),
    "solution-start": Model(
        "solution", {**LABELLED, "hidden": FLAG}, argument="optional", learn_prefix=True
    ),
    "solution-end": Model("solution", learn_prefix=True),
    "checkpoint": Model(
        "checkpoint",
        {**LABELLED, "multiple": FLAG, "objective": REQUIRED},
        argument="optional",
        body=CHECKPOINT_BODY,
        learn_prefix=True,
    ),
    "new-contributor": Model(
        "contributor",
        {"class": CLASS, "name": TEXT, "links": TEXT, "guide": REQUIRED},
        argument="optional",
        body=("{mark}",),
        learn_prefix=True,
    ),
    "instructor-note": Model(
        "instructor-note",
        {"teaching": MINUTES, "exercises": MINUTES, "class": CLASS, "name": TEXT},
        argument="optional",
        body=("{mark}",),
        learn_prefix=True,
    ),
    "learning-path-book": Model(
        "path-book", {"class": CLASS}, argument="wanted", learn_prefix=True
    ),
    "maintainer-note": Model(
        "contributor",
        {"class": CLASS, "name": TEXT},
        argument="optional",
        body=("{mark}",),
        learn_prefix=True,
    ),
    "first-time-setup": Model(
        "checklist",
        {"class": CLASS, "name": TEXT},
        argument="optional",
        body=("- {mark}",),
        learn_prefix=True,
    ),
    "execution-report": Model(
        "execution",
        {"class": CLASS},
        rendered="table.learn-execution-report, .learn-execution-empty",
        learn_prefix=True,
    ),
    "learn-config-reference": Model("config", rendered="dl.confval", once=True),
    "learn-defaults-reference": Model(
        "config", rendered="table.learn-defaults-reference", once=True
    ),
    "learn-check-rules": Model("config", rendered="table.learn-check-rules", once=True),
    "learn-theme-options": Model("config", rendered="table.learn-theme-options", once=True),
    "learn-warning-types": Model("config", rendered="table.learn-warning-types", once=True),
    "learn-metadata-reference": Model(
        "metadata", rendered="table.learn-metadata-reference", once=True
    ),
}
# Gated forms are written as start, a paragraph, end.
GATES = {"exercise-start": "exercise-end", "solution-start": "solution-end"}


def option_problem(kind: Kind, raw: str | None) -> bool:
    """Whether the value (as the parser hands it over: ``None`` when empty) is bad."""
    if raw is not None:
        raw = raw.replace("\x00", "")  # dropped in both syntaxes (docutils' escape marker)
    blank = raw is None or not raw.strip()
    if kind in (TEXT, NAMES):
        return False
    if kind == REQUIRED:
        return blank
    if kind == FLAG:
        return not blank
    if kind == MINUTES:
        found = re.fullmatch(r"\s*([0-9]{1,4})\s*(?:min)?\s*", raw or "")
        return found is None or int(found[1]) > 1440
    if kind == CLASS:
        if blank:
            return True
        try:
            docutils_directives.class_option(raw)
        except ValueError:
            return True
        return False
    assert isinstance(kind, Choice)
    return (raw or "").strip().lower() not in kind.values


# -- Strategies --------------------------------------------------------------------------------

# Characters str.splitlines() breaks a line at: docutils and MyST end a line there.
LINE_BREAKS = frozenset(c for c in map(chr, range(0x2030)) if len(f"a{c}b".splitlines()) > 1)

any_char = st.characters(codec="utf-8")  # every code point but the surrogates
line_char = any_char.filter(lambda c: c not in LINE_BREAKS)
NASTY = [
    "",
    " ",
    "\t",
    "\u200b",
    "\u202eevil",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew (right to left)
    "\U0001f600\U0001f469\u200d\U0001f4bb",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "0",
    "-1",
    "1e309",
    "nan",
    "0x1F",
    "2021-99-99",
    "[a, b]",
    "{a: b}",
    "a: b",
    "- a",
    "'",
    '"',
    "\\",
    "`x`",
    "*x",
    "&a",
    "!tag",
    "|",
    ">",
    "%",
    "@",
    "#",
    "<script>alert(1)</script>",
    "..",
    "../../x",
    "/",
    "a,b,,c",
    "TITLE",
    " title ",
    "t\u0130tle",
]


def huge(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """About 10,000 characters, without asking Hypothesis to draw each one."""
    return st.text(chars, min_size=1, max_size=8).map(lambda s: (s * 10_000)[:10_000])


def free_text(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(chars, max_size=30),
        st.integers().map(str),
        st.floats().map(repr),
        huge(chars),
    )


def good_value(kind: Kind) -> st.SearchStrategy[str]:
    if kind == FLAG:
        return st.sampled_from(["", " "])
    if kind == CLASS:
        return st.sampled_from(["a", "wide", "two classes", "Mixed-Case x1"])
    if kind == MINUTES:
        return st.sampled_from(["0", "15", " 20 min", "1440"])
    if isinstance(kind, Choice):
        return st.sampled_from(kind.values).flatmap(
            lambda v: st.sampled_from([v, v.upper(), f" {v} "])
        )
    return st.sampled_from(["beginner", "index", "a, b", "Some text"])


def option_value(kind: Kind, chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(good_value(kind), free_text(chars))


OPTION_NAME = st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,5})?", fullmatch=True)


class Use:
    """One directive as written in a page (not a dataclass: Hypothesis would print
    every field of a failing example in full)."""

    def __init__(self, name: str, model: Model, options: dict[str, str], argument: str):
        self.name = name  # as written (maybe learn:NAME)
        self.model = model
        self.options = options
        self.argument = argument
        self.line = 0  # set when the page is written
        self.mark = ""  # a word in the directive's content, to find it in the HTML

    def __repr__(self) -> str:
        # Failing examples are printed: keep 10,000-character values short.
        options = {k: cut(v) for k, v in self.options.items()}
        return f"Use({self.name!r}, {options!r}, argument={cut(self.argument)!r})"


def cut(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:30]}...<{len(value)} chars>"


@st.composite
def directive_use(
    draw: Any, name: str, chars: st.SearchStrategy[str], title_chars: st.SearchStrategy[str]
) -> Use:
    model = MODELS[name]
    known = sorted(model.options)
    chosen = draw(st.lists(st.sampled_from(known), unique=True)) if known else []
    options = {option: draw(option_value(model.options[option], chars)) for option in chosen}
    for unknown in draw(st.lists(OPTION_NAME, max_size=2, unique=True)):
        if unknown not in model.options:
            options[unknown] = draw(free_text(chars))
    argument = ""
    if model.argument != "none":
        argument = draw(st.one_of(st.just(""), free_text(title_chars))).strip()
        if argument.startswith(":"):
            argument = "x" + argument  # else reStructuredText reads an option
    written = name
    if model.learn_prefix and draw(st.booleans()):
        written = f"learn:{name}"
    return Use(written, model, options, argument)


# -- Writing pages -----------------------------------------------------------------------------


def myst_quoted(value: str) -> str:
    """A double-quoted MyST option value that reads back as exactly ``value``."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() and char not in LINE_BREAKS:
            out.append(char)
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def write_page(uses: list[Use], syntax: str, other: str, first_line: int = 1) -> list[str]:
    """The page's lines, to follow ``first_line - 1`` lines of front matter; sets each
    use's line and mark."""
    lines = ["Page", "====", ""] if syntax == "rst" else ["# Page", ""]
    for index, use in enumerate(uses):
        use.line = first_line + len(lines)
        use.mark = f"mark{syntax}{index}x"
        body = [line.format(mark=use.mark, other=other) for line in use.model.body]
        argument = f" {use.argument}" if use.argument else ""
        if syntax == "rst":
            lines.append(f".. {use.name}::{argument}")
            for option, value in use.options.items():
                lines.append(f"   :{option}: {value}" if value else f"   :{option}:")
            if body:
                lines.append("")
                lines += [f"   {line}" if line else "" for line in body]
        else:
            lines.append(f":::{{{use.name}}}{argument}")
            for option, value in use.options.items():
                lines.append(f":{option}: {myst_quoted(value)}" if value else f":{option}:")
            if body:
                lines.append("")
                lines += body
            lines.append(":::")
        lines.append("")
        if use.name.removeprefix("learn:") in GATES:
            lines += [f"Gated {use.mark}", ""]
    return lines


@st.composite
def page_uses(draw: Any, syntax: str, once: set[str]) -> list[Use]:
    """Every directive once (the reference tables only where ``once`` says), each
    gate closed right after its start."""
    chars = line_char if syntax == "rst" else any_char
    uses = []
    for name, model in MODELS.items():
        if name in GATES.values() or (model.once and name not in once):
            continue
        uses.append(draw(directive_use(name, chars, title_chars=line_char)))
        if name in GATES:
            uses.append(draw(directive_use(GATES[name], chars, title_chars=line_char)))
    return uses


@st.composite
def projects(draw: Any) -> tuple[list[Use], list[Use]]:
    """The uses on the reStructuredText page and on the MyST page."""
    once = {name for name, model in MODELS.items() if model.once}
    in_rst = set(draw(st.sets(st.sampled_from(sorted(once)))))
    return draw(page_uses("rst", in_rst)), draw(page_uses("myst", once - in_rst))


# -- Building ---------------------------------------------------------------------------------

CONF = """\
project = "Properties"
extensions = ["sphinx_numpy_learn"]
html_theme = "basic"
"""

# Parser errors that mean one of our directives lost an option, or itself, to docutils
# or MyST instead of giving a learn.* warning.
PARSER_ERRORS = re.compile(
    r'Error in "[^"]*" directive|invalid option|unknown option: "|Unknown option key'
    r"|Invalid option value|Invalid options format|myst\.directive_option|Traceback"
)
LOCATION = re.compile(r"^(?P<path>[^:]+\.(?:rst|md|py)):(?P<line>\d+): ")


@dataclass
class Build:
    srcdir: Path
    warnings: list[str]  # one entry per warning (a warning may span lines)
    html: dict[str, BeautifulSoup]


def build(pages: dict[str, str], conf: str = CONF) -> Build:
    """Build ``pages`` (file name, relative to the project, to text); the HTML of each
    is keyed by its document name."""
    with tempfile.TemporaryDirectory() as tmp:
        srcdir = Path(tmp) / "src"
        srcdir.mkdir()
        (srcdir / "conf.py").write_text(conf, encoding="utf-8")
        for name, text in pages.items():
            (srcdir / name).parent.mkdir(parents=True, exist_ok=True)
            (srcdir / name).write_text(text, encoding="utf-8")
        warning = io.StringIO()
        app = SphinxTestApp("html", srcdir=srcdir, warning=warning, freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
        log = strip_escape_sequences(warning.getvalue())
        docnames = {Path(name).with_suffix("").as_posix() for name in pages}
        outdir = Path(app.outdir)
        html = {
            docname: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in outdir.rglob("*.html")
            if (docname := path.relative_to(outdir).with_suffix("").as_posix()) in docnames
        }
    return Build(srcdir, split_warnings(log, str(srcdir)), html)


def split_warnings(log: str, srcdir: str) -> list[str]:
    """One string per warning: a new one starts with a path of the project or with
    ``WARNING:``/``ERROR:``; other lines continue the one before."""
    found: list[str] = []
    for line in log.splitlines():
        if line.startswith((srcdir, "WARNING:", "ERROR:", "CRITICAL:")) or not found:
            found.append(line)
        else:
            found[-1] += "\n" + line
    return found


def check_warnings(result: Build) -> None:
    """Oracle 1 and 2: located, typed warnings; no parser errors about our options."""
    for warning in result.warnings:
        assert not PARSER_ERRORS.search(warning), warning
        assert warning.startswith(str(result.srcdir) + "/"), f"no location: {warning}"
        located = LOCATION.match(warning[len(str(result.srcdir)) + 1 :])
        assert located, f"no file name: {warning}"


def warnings_at(result: Build, page: str, line: int) -> list[str]:
    prefix = f"{result.srcdir / page}:{line}: "
    return [w for w in result.warnings if w.startswith(prefix)]


def check_options(result: Build, page: str, use: Use, syntax: str) -> None:
    """Oracle 3: one learn.<subtype> warning per bad option, none for a good one."""
    here = warnings_at(result, page, use.line)
    kind_of = use.model.options
    for option, value in use.options.items():
        about = [w for w in here if f":{option}: of {use.name}" in w]
        raw = value if syntax == "myst" else value.strip()
        bad = option not in kind_of or option_problem(kind_of[option], raw or None)
        event(f"option {'unknown' if option not in kind_of else 'bad' if bad else 'good'}")
        if bad:
            assert len(about) == 1, (option, value, here)
            assert about[0].endswith(f"[learn.{use.model.subtype}]"), about[0]
        else:
            assert about == [], (option, value, about)


def flag_set(use: Use, option: str) -> bool:
    return option in use.options  # a flag with a value is still set


def check_rendered(result: Build, page: str, uses: list[Use]) -> None:
    """Oracle 4: every directive is in the HTML."""
    soup = result.html[page]
    text = soup.get_text()
    for use in uses:
        if "hidden" in use.options:
            continue  # a hidden exercise or solution is left out, gated content and all
        if "{mark}" in "".join(use.model.body):
            assert use.mark in text, use
        if use.name.removeprefix("learn:") in GATES:
            assert f"Gated {use.mark}" in text, use
    catalogs = sum(1 for u in uses if u.name == "tutorial-catalog")
    catalogs += sum(1 for u in uses if u.name == "landing" and not flag_set(u, "no-catalog"))
    assert len(soup.select("div.learn-catalog")) == catalogs
    for name, model in MODELS.items():
        if model.rendered:
            count = sum(1 for u in uses if u.name.removeprefix("learn:") == name)
            if name == "tutorial":
                count = min(count, 1)
            assert len(soup.select(model.rendered)) >= count, name


TIERS = ("beginner", "intermediate", "advanced")
DURATION = re.compile(r"(\d{1,99})\s*(?:minutes)?(?:min)?")


def tutorial_field_problems(options: dict[str, str]) -> dict[str, str]:
    """The ``tutorial`` directive's options the metadata schema refuses: field -> a
    word its warning holds. (The options are text; their values are metadata.)"""
    found = {}
    for name, value in options.items():
        text = value.strip()
        if name == "duration":
            match = DURATION.fullmatch(text)
            if not match or not 1 <= int(match[1]) <= 1440:
                found[name] = "'duration'"
        elif name == "level" and text not in TIERS:
            found[name] = "level"
        elif name == "audience" and text not in ("learner", "contributor"):
            found[name] = "'audience'"
        elif name in ("outcome", "audience_description", "summary") and not text:
            found[name] = f"'{name}'"
    return found


def check_tutorial(result: Build, page: str, use: Use) -> None:
    here = warnings_at(result, page, use.line)
    for name, word in tutorial_field_problems(use.options).items():
        assert any(word in w and "[learn." in w for w in here), (name, use.options[name], here)


TOCTREE = ["", ".. toctree::", "", "   page", ""]
# Derandomized: the same examples on every run, so CI is deterministic and a failure
# is reproduced by running the test again. No shrinking: a page of thirty directives
# takes many minutes to shrink; a failure names the directive and option instead.
BUDGET = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@settings(BUDGET, max_examples=40)
@given(projects())
def test_any_option_value_is_a_located_learn_warning(project):
    rst_uses, myst_uses = project
    rst = write_page(rst_uses, "rst", "page") + TOCTREE
    myst = write_page(myst_uses, "myst", "index")
    result = build({"index.rst": "\n".join(rst), "page.md": "\n".join(myst)})
    check_warnings(result)
    for page, uses, syntax in (("index.rst", rst_uses, "rst"), ("page.md", myst_uses, "myst")):
        for use in uses:
            check_options(result, page, use, syntax)
            if use.name == "tutorial":
                check_tutorial(result, page, use)
        check_rendered(result, Path(page).stem, uses)


# -- Front matter ------------------------------------------------------------------------------

SCHEMA = schema()
FIELDS = tuple(SCHEMA["properties"])
LIST_FIELDS = ("prerequisites", "objectives", "needs", "keypoints", "tags", "inputs")
# YAML a writer may type that means something else than it looks, or is broken.
RAW_YAML = [
    "",
    "yes",
    "No",
    "~",
    "null",
    "2021-99-99",
    "2021-01-01",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    "-.nan",
    "[a, b",
    "[a, [b, [c]]]",
    "{a: b}",
    "&x a",
    "*x",
    "!!binary x",
    "!!python/object:os.system x",
    "|",
    ">-",
    "'unterminated",
    '"bad \\q escape"',
    ": x",
    "- a",
    "? x",
    "%TAG",
    "@x",
    "`x`",
    "{{ x }}",
    "a: b: c",
    "1" * 5000,
    "[" * 200 + "]" * 200,
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-2000, max_value=2000),
    st.floats(),
    st.sampled_from(NASTY),
    st.text(any_char, max_size=20),
    huge(any_char),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["title", "url", "x", ""]), inner, max_size=3),
    ),
    max_leaves=8,
)
good_values = st.sampled_from(
    [
        ("level", "beginner"),
        ("duration", 20),
        ("objectives", ["Slice arrays"]),
        ("keypoints", ["A slice is a view."]),
        ("tags", ["arrays", "io"]),
        ("audience", "contributor"),
        ("summary", "One line."),
        ("prerequisites", [{"title": "NumPy", "url": "https://numpy.org"}]),
        ("timeout", 60),
    ]
)


class Field:
    """One field of the ``learn:`` block (printed short, like :class:`Use`)."""

    def __init__(self, key: str, text: list[str]):
        self.key = key
        self.text = text  # its lines in the ``learn:`` block, indented
        self.line = 0  # set when the page is written

    def __repr__(self) -> str:
        return f"Field({cut(self.key)!r}, {cut(chr(10).join(self.text))!r})"


@st.composite
def front_matter_fields(draw: Any) -> list[Field]:
    keys = draw(
        st.lists(
            st.one_of(st.sampled_from(FIELDS), st.text(line_char, min_size=1, max_size=12)),
            unique=True,
            max_size=6,
        )
    )
    fields = []
    for key in keys:
        mode = draw(st.sampled_from(["value", "value", "value", "good", "raw"]))
        if mode == "raw" and key.isidentifier():
            raw = draw(st.sampled_from(RAW_YAML))
            fields.append(Field(key, [f"  {key}: {raw}".rstrip()]))
            continue
        value = draw(yaml_values)
        if mode == "good":
            asked = key
            key, value = draw(good_values)
            if key != asked and (key in keys or key in {f.key for f in fields}):
                continue  # YAML keeps the last of two equal keys: write each once
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=80)
        fields.append(Field(key, ["  " + line for line in dumped.splitlines()]))
    return fields


def field_problem(name: str, value: Any) -> bool:
    """Whether the published schema refuses ``value`` for field ``name``."""
    if name in LIST_FIELDS and isinstance(value, str):
        value = [value]
    document = {"type": "object", "properties": {name: SCHEMA["properties"][name]}}
    return any(Draft202012Validator(document).iter_errors({name: value}))


def check_front_matter(result: Build, fields: list[Field], text: str) -> None:
    """Oracle 3 for front matter: each refused field, unknown name or unreadable block
    is a learn.metadata warning at its line; an accepted field gives none."""
    ours = [w for w in result.warnings if "/page.md:" in w and "[learn." in w]
    try:
        loaded = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, RecursionError):
        assert any("front matter is not valid YAML" in w for w in ours), result.warnings
        event("front matter: not YAML")
        return
    learn = loaded["learn"]
    if learn is None:
        return
    if not isinstance(learn, dict):
        assert any("must be a mapping" in w for w in warnings_at(result, "page.md", 2))
        event("front matter: not a mapping")
        return
    for item in fields:
        if item.key not in learn:
            continue  # a raw line YAML read as part of another value
        here = [w for w in warnings_at(result, "page.md", item.line) if "[learn." in w]
        value = learn[item.key]
        if item.key not in FIELDS:
            assert any("unknown tutorial metadata field" in w for w in here), (item.key, here)
            event("front matter: unknown field")
        elif field_problem(item.key, value):
            about = [w for w in here if f"metadata '{item.key}" in w]
            assert about, (item, here)
            assert all(w.endswith("[learn.metadata]") for w in about), about
            event("front matter: refused field")
        else:
            event("front matter: accepted field")
            assert not [w for w in here if f"metadata '{item.key}" in w], (item, here)
            if item.key == "level" and value not in TIERS:
                assert any("unknown level" in w and "[learn.level]" in w for w in here)


@settings(BUDGET, max_examples=100)
@given(front_matter_fields())
def test_any_front_matter_is_a_located_learn_warning(fields):
    lines = ["---", "learn:"]
    for item in fields:
        item.line = len(lines) + 1
        lines += item.text
    lines += ["---", "", "# Page", "", "Text.", ""]
    page = "\n".join(lines)
    result = build({"index.rst": "Index\n=====\n" + "\n".join(TOCTREE), "page.md": page})
    check_warnings(result)
    front = "\n".join(lines[1 : lines.index("---", 1)])
    check_front_matter(result, fields, front)
    assert "Page" in result.html["page"].get_text()


# -- The same in both syntaxes, and nothing left out ------------------------------------------


def option_warnings(result: Build, page: str, use: Use) -> list[str]:
    """The warnings about ``use``'s options, without their location."""
    return sorted(
        w.split(": WARNING: ", 1)[1]
        for w in warnings_at(result, page, use.line)
        if f" of {use.name}" in w and "option :" in w
    )


@st.composite
def same_uses(draw: Any) -> list[Use]:
    """Every directive, with values both syntaxes read alike: one line, no tab (which
    reStructuredText expands), no space at either end (which it strips)."""
    uses = draw(page_uses("rst", {name for name, m in MODELS.items() if m.once}))
    for use in uses:
        use.options = {k: v.strip() for k, v in use.options.items() if "\t" not in v}
    return uses


@settings(BUDGET, max_examples=15)
@given(same_uses())
# A NUL, which docutils takes for its escape marker (found by this test).
@example([Use("exercise-start", MODELS["exercise-start"], {"nonumber": "fa\x00\x02"}, "")])
def test_rst_and_myst_give_the_same_warnings(uses):
    """The same options give the same warnings, each at its directive's line (MyST
    would otherwise say the option's own line)."""
    myst_uses = [Use(u.name, u.model, dict(u.options), u.argument) for u in uses]
    rst = write_page(uses, "rst", "page") + TOCTREE
    myst = write_page(myst_uses, "myst", "index")
    result = build({"index.rst": "\n".join(rst), "page.md": "\n".join(myst)})
    check_warnings(result)
    for rst_use, myst_use in zip(uses, myst_uses, strict=True):
        check_options(result, "index.rst", rst_use, "rst")
        check_options(result, "page.md", myst_use, "myst")
        assert option_warnings(result, "index.rst", rst_use) == option_warnings(
            result, "page.md", myst_use
        ), rst_use


def registered_directives() -> dict[str, type]:
    """Every directive the extension registers, by the name a page uses."""
    from docutils.parsers.rst import directives as registry

    with tempfile.TemporaryDirectory() as tmp:
        srcdir = Path(tmp)
        (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
        (srcdir / "index.rst").write_text("Index\n=====\n", encoding="utf-8")
        app = SphinxTestApp("html", srcdir=srcdir)
        try:
            found = {
                name: cls
                for name, cls in registry._directives.items()
                if getattr(cls, "__module__", "").startswith("sphinx_numpy_learn.")
            }
            for name, cls in app.registry.domain_directives.get("learn", {}).items():
                found[f"learn:{name}"] = cls
        finally:
            app.cleanup()
    return found


def test_every_directive_is_modelled_and_checks_its_options():
    found = registered_directives()
    plain = {name for name in found if not name.startswith("learn:")}
    assert plain == set(MODELS), "add the new directive to MODELS"
    for name, cls in found.items():
        model = MODELS[name.removeprefix("learn:")]
        assert issubclass(cls, LearnDirective), name
        assert isinstance(cls.option_spec, OptionSpec), name
        assert list(cls.option_spec.converters) == list(model.options), name
        assert cls.option_spec.subtype == model.subtype, name
        assert name.startswith("learn:") <= model.learn_prefix, name


# -- The level role ----------------------------------------------------------------------------

# What a role may hold in both syntaxes: one line, no backquote or backslash (markup
# in reStructuredText), no space at either end.
role_text = st.one_of(
    st.sampled_from([*TIERS, "Beginner", "expert", "0", "\u202eevil", "\U0001f600"]),
    st.text(line_char.filter(lambda c: c not in "`\\"), min_size=1, max_size=20),
    huge(st.sampled_from("ab\u05e9\U0001f600")),
).filter(lambda text: text == text.strip() and text)


@settings(BUDGET, max_examples=20)
@given(st.lists(role_text, min_size=1, max_size=4), st.lists(role_text, min_size=1, max_size=4))
def test_any_level_role_text_is_a_located_learn_warning(rst_roles, myst_roles):
    rst = ["Page", "====", ""] + [f"Level :level:`{text}` here.\n" for text in rst_roles]
    myst = ["# Page", ""] + [f"Level {{level}}`{text}` here.\n" for text in myst_roles]
    result = build({"index.rst": "\n".join(rst + TOCTREE), "page.md": "\n".join(myst)})
    check_warnings(result)
    for page, roles, first in (("index.rst", rst_roles, 4), ("page.md", myst_roles, 3)):
        for index, text in enumerate(roles):
            here = warnings_at(result, page, first + 2 * index)
            about = [w for w in here if "in the level role" in w]
            if text in TIERS:
                assert about == [], here
            else:
                assert len(about) == 1, (text, here)
                assert about[0].endswith("[learn.level]"), about[0]
        soup = result.html[Path(page).stem]
        assert len(soup.select("[data-learn-level]")) == sum(t in TIERS for t in roles)


# -- Skeletons from any title ------------------------------------------------------------------

# Any character a page can show; the markup of reStructuredText and MyST; wide
# characters; emoji (with a joiner), combining marks, a right-to-left override, a byte
# order mark, and white space that is not a space.
MARKUP_CHARS = "*`_|[]\\<>{}$#&~:.-+=!()'\"/@%^,;?"
title_char = st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
    st.sampled_from(MARKUP_CHARS),
    st.sampled_from("日本語のタイトル数组入门한국어ｆｕｌｌ"),
    st.sampled_from(["\U0001f600", "\U0001f469", "\u200d", "\U0001f4bb", "\u0301", "\u093e"]),
    st.sampled_from(["\u202e", "\ufeff", "\t", "\n", "\r", "\u2028", "\x85", "\x1c"]),
)
# What no page can show.
unshowable_char = st.one_of(
    st.characters(codec="utf-8", categories=["Cc"]),
    st.sampled_from(["\ufffe", "\uffff", "\ufdd0", "\U0010ffff"]),
)
TITLES = [
    "Call numpy_ functions",
    "Pass *args and **kwargs",
    "日本語のタイトル" * 11 + "入門",
    "Read `code`, |substitutions|, [1]_ footnotes and __init__",
    "1. Start with an enumerator",
    "iv) Or a Roman one",
    "- Start like a list item",
    ".. Start like a comment",
    "> Quote $x$ and {role}`x` <b>bold</b> &amp; [a link](x) ~~struck~~ trailing #",
    "\\",
    "===",
    "\U0001f469\u200d\U0001f4bb",
    "A title\nover two lines",
]
titles = st.one_of(
    st.sampled_from(TITLES),
    st.text(title_char, max_size=40),
    st.text(st.sampled_from(MARKUP_CHARS + " a1"), min_size=1, max_size=12),
    st.tuples(st.text(title_char, min_size=1, max_size=8), st.integers(100, 1000)).map(
        lambda drawn: (drawn[0] * 1000)[: drawn[1]]
    ),
    st.tuples(st.text(title_char, max_size=10), unshowable_char, st.text(title_char)).map("".join),
)
# No kernel: the skeleton's code cell is not what is tested. No smart quotes: they are
# the site's typography; what is tested is that the writer's text comes through.
SKELETON_CONF = CONF + 'nb_execution_mode = "off"\nsmartquotes = False\n'
SUMMARY_END = ": say in one line what the reader will have done."


def shown_title(title: str) -> str | None:
    """The title a page shows for ``title``, or ``None`` when no page could show it: the
    documented rules of ``new``, white space (byte order marks too) becomes single
    spaces, and control characters, lone surrogates and non-characters are refused."""
    text = " ".join(title.replace("\ufeff", "").split())
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs"):
            return None
        if 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE:
            return None
    return text or None


def new_page(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["new", *args])
    return status, out.getvalue(), err.getvalue()


def assert_one_line_error(err: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("sphinx-numpy-learn: error: "), err


def scaffold(title: str, kind: str, markup: str, folder: Path) -> Path | None:
    """Run ``new`` and check what it did: the page it wrote, or ``None``."""
    folder.mkdir()
    options = ["--path", str(folder), "--format", markup]
    status, out, err = new_page(kind, *options, "--", title)
    if shown_title(title) is None:
        assert status == 2, (title, out)
        assert_one_line_error(err)
        assert list(folder.iterdir()) == []
        event("title refused")
        return None
    if status == 2 and "cannot make a file name" in err:
        assert_one_line_error(err)
        assert not any(c.isalnum() for c in title), title
        event("no name in the title")
        status, out, err = new_page(kind, *options, "--name", "named", "--", title)
    assert status == 0, (title, err)
    (path,) = folder.iterdir()
    assert out.startswith(f"Created {path} ")
    assert path.suffix == FORMATS[markup]
    assert name_bytes(path.stem) <= MAX_NAME_BYTES
    assert path.stem == path.stem.strip()
    assert not path.stem.startswith(("-", "."))
    event("long title" if len(title) > 100 else "short title")
    return path


def check_card(card: Any, title: str, kind: str) -> None:
    link = card.select_one(".learn-card-title a")
    assert link.get_text() == title
    if kind == "contributor-page":  # its summary is made of the title
        assert card.select_one(".learn-card-summary").get_text() == title + SUMMARY_END


@settings(BUDGET, max_examples=12)
@given(
    st.lists(
        st.tuples(titles, st.sampled_from(["tutorial", "contributor-page"])),
        min_size=1,
        max_size=15,
    )
)
def test_any_title_makes_a_skeleton_that_builds_without_warnings(drawn):
    """``new`` refuses a title in one line, or writes a page whose file name any file
    system takes and which builds without a warning, showing the title as typed; all
    the pages of an example are built together, in both syntaxes."""
    pages: dict[str, str] = {}
    expected: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "conf.py").write_text(SKELETON_CONF, encoding="utf-8")  # new's project
        for index, (title, kind) in enumerate(drawn):
            for markup in FORMATS:
                folder = Path(tmp, f"t{index}-{markup}")
                path = scaffold(title, kind, markup, folder)
                if path is not None:
                    name = f"{folder.name}/{path.name}"
                    pages[name] = path.read_text(encoding="utf-8")
                    expected[Path(name).with_suffix("").as_posix()] = (shown_title(title), kind)
    if not pages:
        return
    toctree = "".join(f"   {docname}\n" for docname in expected)
    index = f"Home\n====\n\n.. tutorial-catalog::\n\n.. toctree::\n\n{toctree}"
    result = build({"index.rst": index, **pages}, conf=SKELETON_CONF)
    assert result.warnings == []
    cards = {
        unquote(card.select_one(".learn-card-title a")["href"]).removesuffix(".html"): card
        for card in result.html["index"].select(".learn-card")
    }
    for docname, (title, kind) in expected.items():
        heading = result.html[docname].find("h1")
        for link in heading.select("a.headerlink"):
            link.decompose()
        assert heading.get_text() == title, docname
        check_card(cards[docname], title, kind)


# -- Storage keys of setup checklists ----------------------------------------------------------

# Titles that often repeat (the default one above all), and any other text.
checklist_titles = st.one_of(
    st.sampled_from(["", "", "First-time setup", "On Windows", "On *Windows*", " On Windows "]),
    st.text(line_char, max_size=8),
)
# Steps repeat too: two identical steps still get a key each.
step_texts = st.sampled_from(["Install Git", "Open a terminal", "Fork *it*", "Clone ``it``"])


@st.composite
def checklist_pages(draw: Any) -> list[list[tuple[str, list[str]]]]:
    """Two pages' checklists: (title, steps) each, in page order."""
    checklist = st.tuples(checklist_titles, st.lists(step_texts, min_size=1, max_size=3))
    return [draw(st.lists(checklist, max_size=6)) for _page in range(2)]


def checklist_page(checklists: list[tuple[str, list[str]]], syntax: str, edited: bool) -> str:
    """A page of checklists; ``edited`` adds other content before, between and after
    them (a section, paragraphs, a callout) without touching any checklist."""
    lines = ["Checklists", "==========", ""] if syntax == "rst" else ["# Checklists", ""]
    if edited:
        lines += ["A new introduction.", ""]
        lines += ["Setup", "-----", ""] if syntax == "rst" else ["## Setup", ""]
    for title, steps in checklists:
        argument = f" {title}" if title.strip() else ""
        if syntax == "rst":
            lines += [f".. first-time-setup::{argument}", ""]
            lines += [f"   - {step}" for step in steps] + [""]
        else:
            lines += [f":::{{first-time-setup}}{argument}", *(f"- {s}" for s in steps), ":::", ""]
        if edited:
            lines += ["Another paragraph.", ""]
    if edited:
        note = ".. maintainer-note::\n\n   Added later.\n"
        lines.append(note if syntax == "rst" else ":::{maintainer-note}\nAdded later.\n:::\n")
    return "\n".join(lines)


def checklist_keys(result: Build, docname: str) -> list[tuple[str, list[str]]]:
    """Each checklist's key and its steps' keys, in page order."""
    return [
        (aside["data-learn-checklist"], [li["data-learn-step"] for li in aside.select("li")])
        for aside in result.html[docname].select("aside.learn-first-time-setup")
    ]


@settings(BUDGET, max_examples=15)
@given(checklist_pages())
@example(
    [
        [("", ["Install Git"]), ("", ["Install Git", "Install Git"])],
        [("On Windows", ["Install Git"]), (" On Windows ", ["Open a terminal"])],
    ]
)
def test_checklist_keys_are_unique_and_survive_unrelated_edits(pages):
    """Whatever the titles (repeated, empty, unicode, markup), every checklist on a
    site saves its ticks under its own key, every step of a checklist under its own
    key, and none of them changes when the pages change around the checklists."""
    rst_checklists, myst_checklists = pages

    def build_both(edited: bool) -> list[list[tuple[str, list[str]]]]:
        result = build(
            {
                "index.rst": checklist_page(rst_checklists, "rst", edited) + "\n".join(TOCTREE),
                "page.md": checklist_page(myst_checklists, "myst", edited),
            }
        )
        return [checklist_keys(result, "index"), checklist_keys(result, "page")]

    first = build_both(edited=False)
    assert [len(keys) for keys in first] == [len(rst_checklists), len(myst_checklists)]
    checklists = [key for keys in first for key, _steps in keys]
    assert len(checklists) == len(set(checklists))
    for _key, steps in (item for keys in first for item in keys):
        assert len(steps) == len(set(steps))
    assert build_both(edited=True) == first
