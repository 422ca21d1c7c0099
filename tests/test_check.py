"""``sphinx-numpy-learn check``: every rule, every output format, the exit codes, and
bad input that must end in one clear line instead of a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sphinx_numpy_learn.check.content import flesch_reading_ease
from sphinx_numpy_learn.check.output import format_github, format_text
from sphinx_numpy_learn.check.registry import MAX_NAME_WORDS, RULES
from sphinx_numpy_learn.check.rules import CLOSING_EXTRAS, CLOSING_HEADINGS, closing_kind
from sphinx_numpy_learn.check.runner import Reported, Result
from sphinx_numpy_learn.check.titles import ProperNames, sentence_case_problem
from sphinx_numpy_learn.cli import main

from .conftest import EXAMPLE_DOCS, REPO_DIR, TESTS_DIR

ROOTS = TESTS_DIR / "roots"
GOOD = ROOTS / "test-check-good"
BAD = ROOTS / "test-check-bad"
REAL = ROOTS / "test-check-real"


def run_check(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["check", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def findings_of(capsys, *args: str) -> tuple[int, dict]:
    status, out, _err = run_check(capsys, *args, "--format", "json")
    return status, json.loads(out)


def by_file(report: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        found.setdefault(Path(finding["path"]).name, set()).add(finding["rule"])
    return found


@pytest.fixture
def project(tmp_path):
    """A copy of a check root in ``tmp_path``, to change for one test."""

    def copy(root: Path = GOOD) -> Path:
        target = tmp_path / root.name
        shutil.copytree(root, target)
        return target

    return copy


# -- Each rule: a passing and a failing case -------------------------------------------------


def test_good_project_has_no_findings(capsys):
    """The passing case of every rule: metadata in front matter, a directive and notebook
    metadata; the style guide's structure in MyST, rST and .ipynb; a proper noun; alt
    text in MyST, rST, a figure and raw HTML (alt="" is decorative); a cleared notebook;
    plain prose; a contributor page without opening sections."""
    status, report = findings_of(capsys, str(GOOD))
    assert report["findings"] == []
    assert report["input_errors"] == []
    assert (report["documents"], report["tutorials"]) == (5, 4)
    assert status == 0


EXPECTED_BAD = {
    "schema.md": {"LRN001", "LRN003", "LRN101"},
    "level.md": {"LRN002", "LRN101"},
    "required.md": {"LRN003", "LRN101"},
    "prerequisite.md": {"LRN004", "LRN101"},
    "cycle-a.md": {"LRN005", "LRN101"},
    "cycle-b.md": {"LRN005", "LRN101"},
    "link.md": {"LRN006", "LRN101"},
    "opening.md": {"LRN101", "LRN102"},
    "order.md": {"LRN102"},
    "closing.md": {"LRN103"},
    "titlecase.md": {"LRN104"},
    "images.rst": {"LRN105"},
    "index.md": {"LRN105"},
    "outputs.ipynb": {"LRN106"},
    "readability.md": {"LRN107"},
    "checkpoints.md": {"LRN108"},
}


def test_bad_project_fails_each_rule_where_expected(capsys):
    status, report = findings_of(capsys, str(BAD))
    assert by_file(report) == EXPECTED_BAD
    assert status == 1
    # Every rule but the execution rule (see test_execute) has a failing case here.
    covered = set().union(*EXPECTED_BAD.values())
    assert covered == {rule.id for rule in RULES} - {"LRN201"}


def _finding(report: dict, name: str, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["path"].endswith(name) and f["rule"] == rule]


def test_findings_point_at_the_line_and_explain(capsys):
    _status, report = findings_of(capsys, str(BAD))
    (level,) = _finding(report, "level.md", "LRN002")
    assert level["line"] == 3
    assert "'expert'" in level["message"]
    assert "beginner, intermediate, advanced" in level["message"]
    assert level["severity"] == "error"
    assert level["name"] == "unknown-level"

    schema = _finding(report, "schema.md", "LRN001")
    assert [(f["line"], "'colour'" in f["message"]) for f in schema] == [(4, False), (5, True)]

    (prerequisite,) = _finding(report, "prerequisite.md", "LRN004")
    assert prerequisite["line"] == 5
    assert "'no-such-page'" in prerequisite["message"]

    cycle = _finding(report, "cycle-a.md", "LRN005")
    assert "cycle-a -> cycle-b -> cycle-a" in cycle[0]["message"]

    links = _finding(report, "link.md", "LRN006")
    assert {f["line"] for f in links} == {5, 6}
    assert any("javascript:alert(1)" in f["message"] for f in links)
    assert any("ftp://example.org/notes" in f["message"] for f in links)
    # The bad prerequisite is reported once, as a link, not also as a schema error.
    assert not _finding(report, "link.md", "LRN001")

    (order_do, order_rule) = _finding(report, "order.md", "LRN102")
    assert order_do["line"] == 13
    assert "comes after" in order_do["message"]
    assert order_rule["line"] == 21
    assert "horizontal rule" in order_rule["message"]

    (closing,) = _finding(report, "closing.md", "LRN103")
    assert closing["line"] == 27
    assert '"On your own"' in closing["message"]

    titles = _finding(report, "titlecase.md", "LRN104")
    assert [(f["line"], f["severity"]) for f in titles] == [(7, "warning"), (23, "warning")]
    assert "'Analyse air quality data'" in titles[0]["message"]

    images = _finding(report, "images.rst", "LRN105")
    assert [f["line"] for f in images] == [4, 6]
    assert "chart.png" in images[0]["message"]
    assert "badge.svg" in images[1]["message"]

    (outputs,) = _finding(report, "outputs.ipynb", "LRN106")
    assert outputs["cell"] == 2
    line = (BAD / "outputs.ipynb").read_text().splitlines()[outputs["line"] - 1]
    assert line.strip() == '"1 + 1"', "the line is the cell's source in the .ipynb"
    assert "2 code cells" in outputs["message"]

    (readability,) = _finding(report, "readability.md", "LRN107")
    assert readability["line"] == 25
    assert "Flesch reading ease" in readability["message"]

    (checkpoint,) = _finding(report, "checkpoints.md", "LRN108")
    assert checkpoint["line"] == 3
    assert checkpoint["message"] == "checkpoint: no choice is marked correct with [x]"


def test_contributor_pages_skip_the_tutorial_structure(capsys, project):
    root = project()
    page = root / "contribute.md"
    page.write_text(page.read_text().replace("audience: contributor", "audience: learner"))
    _status, report = findings_of(capsys, str(root))
    assert by_file(report) == {"contribute.md": {"LRN101"}}


def test_metadata_in_front_matter_satisfies_the_opening_rule(capsys, project):
    root = project(BAD)
    page = root / "level.md"
    page.write_text(
        page.read_text().replace(
            "  duration: 10\n",
            "  duration: 10\n  outcome: A chart.\n  objectives: [plot]\n  needs: [NumPy]\n",
        )
    )
    _status, report = findings_of(capsys, str(root))
    assert by_file(report)["level.md"] == {"LRN002"}


def test_structure_rules_read_restructuredtext_too(capsys, project):
    root = project()
    page = root / "shapes.rst"
    text = page.read_text()
    page.write_text(text.replace("----\n\nMake a table", "Make a table", 1))
    _status, report = findings_of(capsys, str(root))
    (finding,) = report["findings"]
    assert finding["rule"] == "LRN102"
    assert finding["line"] == 25
    assert '"Make a table"' in finding["message"]


def test_restructuredtext_escapes_never_reach_a_message(capsys, project):
    """A title with escaped markup is quoted as the reader sees it (docutils keeps
    its escapes as NUL bytes inside ``str(Text)``)."""
    root = project()
    page = root / "shapes.rst"
    title = "Change The Shape With \\*args"
    text = page.read_text().replace(
        "Change the shape of an array\n============================",
        f"{title}\n{'=' * len(title)}",
        1,
    )
    page.write_text(text)
    _status, report = findings_of(capsys, str(root))
    (finding,) = [f for f in report["findings"] if f["rule"] == "LRN104"]
    assert "Change The Shape With \\*args" not in finding["message"]
    assert "Change The Shape With *args" in finding["message"]
    assert "\x00" not in finding["message"]


def test_headings_with_derivation_off_do_not_make_a_tutorial(capsys, project):
    root = project(BAD)
    (root / "conf.py").write_text(
        (root / "conf.py").read_text() + "learn_derive_metadata = False\n"
    )
    _status, report = findings_of(capsys, str(root))
    # Front matter still declares the tutorials; structure rules still run on them.
    assert by_file(report)["order.md"] == {"LRN102"}


# -- Turning rules off, severities --------------------------------------------------------------


def test_rules_can_be_turned_off_in_conf_py_per_file_and_in_a_page(capsys, project):
    root = project(BAD)
    (root / "conf.py").write_text(
        (root / "conf.py").read_text()
        + 'learn_check_ignore = ["opening-sections"]\n'
        + 'learn_check_per_file_ignores = {"cycle-*.md": ["LRN005"], "images": ["LRN105"]}\n'
        + 'learn_check_severity = {"LRN104": "error", "readability": "info"}\n'
    )
    closing = root / "closing.md"
    closing.write_text(closing.read_text() + "\n% learn-check: disable=LRN103\n")
    order = root / "order.rst"
    order.write_text(
        "Put things in order\n===================\n\n.. learn-check: disable=image-alt, LRN104\n\n"
        ".. image:: x.png\n"
    )
    _status, report = findings_of(capsys, str(root))
    found = by_file(report)
    assert "LRN101" not in set().union(*found.values())
    assert "cycle-a.md" not in found
    assert "cycle-b.md" not in found
    assert "images.rst" not in found, "a pattern may name the document without its suffix"
    assert "closing.md" not in found
    assert "order.rst" not in found
    severities = {f["rule"]: f["severity"] for f in report["findings"]}
    assert severities["LRN104"] == "error"
    assert severities["LRN107"] == "info"


def test_ignore_on_the_command_line(capsys):
    _status, report = findings_of(capsys, str(BAD), "--ignore", "LRN101,sentence-case")
    rules = {f["rule"] for f in report["findings"]}
    assert "LRN101" not in rules
    assert "LRN104" not in rules
    assert "LRN102" in rules


def test_unknown_rule_on_the_command_line_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(GOOD), "--ignore", "LRN999"])
    assert exit_info.value.code == 2
    assert "unknown rule(s) LRN999" in capsys.readouterr().err


# -- Exit codes ------------------------------------------------------------------------------


def test_warnings_alone_exit_0_unless_fail_on_says_so(capsys, project):
    root = project()
    page = root / "weather.md"
    page.write_text(page.read_text().replace("# Find the wettest day", "# Find The Wettest Day"))
    status, out, _err = run_check(capsys, str(root))
    assert status == 0
    assert "1 warning." in out
    status, _out, _err = run_check(capsys, str(root), "--fail-on", "warning")
    assert status == 1


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("extensions = ['sphinx_numpy_learn']\nraise ValueError('boom')\n", "boom"),
        ("extensions = ['sphinx_numpy_learn'\n", "conf.py"),
        ("extensions = ['no_such_extension_here']\n", "no_such_extension_here"),
        ("extensions = []\n", "does not load sphinx-numpy-learn"),
        (
            "extensions = ['sphinx_numpy_learn']\nlearn_check_ignore = ['LRN999']\n",
            "invalid value ['LRN999'] for 'learn_check_ignore'",
        ),
        (
            "extensions = ['sphinx_numpy_learn']\nlearn_check_readability = 'high'\n",
            "learn_check_readability",
        ),
        (
            "extensions = ['sphinx_numpy_learn']\nlearn_check_proper_nouns = ['Oslo', '1984']\n",
            "invalid entry in 'learn_check_proper_nouns' ('1984' has no letter)",
        ),
    ],
    ids=[
        "raises",
        "syntax-error",
        "missing-extension",
        "not-loaded",
        "bad-ignore",
        "bad-number",
        "bad-proper-noun",
    ],
)
def test_configuration_errors_exit_2_with_one_clear_line(capsys, project, conf, message):
    root = project()
    (root / "conf.py").write_text(conf)
    status, out, err = run_check(capsys, str(root))
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sphinx-numpy-learn: error: ")
    assert message in lines[0]


def test_a_bad_setting_names_its_line_in_conf_py(capsys, project):
    root = project()
    (root / "conf.py").write_text(
        "extensions = ['sphinx_numpy_learn']\n\nlearn_check_severity = {'LRN104': 'loud'}\n"
    )
    _status, _out, err = run_check(capsys, str(root))
    assert "conf.py:3:" in err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such folder"),
        (lambda p: (p / "file.txt").write_text("x") and p / "file.txt", "not a folder"),
        (lambda p: p, "not a Sphinx project (it has no conf.py)"),
    ],
    ids=["missing", "file", "no-conf"],
)
def test_not_a_project_exits_2(capsys, tmp_path, make, message):
    status, out, err = run_check(capsys, str(make(tmp_path)))
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_default_folder_is_found(capsys, project, monkeypatch):
    root = project()
    monkeypatch.chdir(root.parent)
    shutil.move(root, root.parent / "docs")
    status, out, _err = run_check(capsys)
    assert status == 0
    assert "in docs: no problems found" in out
    empty = root.parent / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    status, _out, err = run_check(capsys)
    assert status == 2
    assert "no Sphinx project found" in err


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        ("broken.md", "---\nlearn:\n  level: [beginner\n---\n# Broken\n", 3, "not valid YAML"),
        ("broken.ipynb", '{"cells": [\n  {"cell_type": ', 2, "not a valid notebook"),
        ("broken.rst", b"Title\n=====\n\ncaf\xe9\n", 4, "not valid utf-8"),
    ],
    ids=["yaml", "json", "encoding"],
)
def test_unreadable_files_exit_2_and_the_rest_is_still_checked(
    capsys, project, name, content, line, message
):
    root = project()
    path = root / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    status, out, err = run_check(capsys, str(root))
    assert status == 2
    first = out.splitlines()[0]
    assert f"/{name}:{line}: error: " in first
    assert message in first
    assert "1 file could not be checked" in out
    assert "(4 tutorials)" in out, "the other pages were checked"
    assert "Traceback" not in out + err


def test_check_never_modifies_the_project(capsys, project):
    root = project(BAD)

    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    before = snapshot()
    run_check(capsys, str(root))
    run_check(capsys, str(root), "--format", "github")
    assert snapshot() == before


# -- Output formats -----------------------------------------------------------------------------


def test_text_format(capsys):
    status, out, _err = run_check(capsys, str(BAD))
    lines = out.splitlines()
    level = next(line for line in lines if "level.md:3:" in line)
    assert level.endswith("[LRN002 unknown-level]")
    assert ": error: unknown level 'expert'" in level
    outputs = next(line for line in lines if "outputs.ipynb:" in line)
    assert ": error: cell 2: 2 code cells" in outputs
    errors = sum(1 for line in lines if ": error: " in line)
    warnings = sum(1 for line in lines if ": warning: " in line)
    assert lines[-1].startswith("Checked 16 documents (12 tutorials) in ")
    assert lines[-1].endswith(f": {errors} errors, {warnings} warnings.")
    assert status == 1


def test_json_format(capsys):
    _status, report = findings_of(capsys, str(BAD))
    assert set(report) == {
        "project",
        "documents",
        "tutorials",
        "summary",
        "findings",
        "input_errors",
    }
    assert report["summary"]["errors"] == sum(
        1 for f in report["findings"] if f["severity"] == "error"
    )
    assert set(report["findings"][0]) == {
        "path",
        "line",
        "cell",
        "rule",
        "name",
        "severity",
        "message",
        "details",
    }


def test_github_format(capsys):
    status, out, _err = run_check(capsys, str(BAD), "--format", "github")
    lines = out.splitlines()
    level = next(line for line in lines if "level.md" in line)
    assert level.startswith("::error file=")
    assert "level.md,line=3,title=LRN002 unknown-level::unknown level 'expert'" in level
    assert any(line.startswith("::warning file=") for line in lines)
    assert status == 1


def test_github_annotations_escape_data_and_properties():
    result = Result(project=".")
    result.findings.append(
        Reported("a,b:c.md", 3, None, "LRN104", "sentence-case", "info", "50% done\nnext", ["x"])
    )
    (annotation, _summary) = format_github(result).splitlines()
    assert annotation == (
        "::notice file=a%2Cb%3Ac.md,line=3,title=LRN104 sentence-case::50%25 done%0Anext%0Ax"
    )


# conf.py prints, and runs a program that prints (at the level of file descriptors).
NOISY_CONF = """
print("conf.py says hello")
import os
os.system("echo a program conf.py runs says hello")
"""


@pytest.mark.parametrize("output", ["json", "github", "text"])
def test_what_conf_py_prints_goes_to_stderr(capfd, project, output):
    root = project(BAD)
    with (root / "conf.py").open("a") as conf:
        conf.write(NOISY_CONF)
    status = main(["check", str(root), "--format", output])
    out, err = capfd.readouterr()
    assert status == 1
    assert "conf.py says hello" in err
    assert "a program conf.py runs says hello" in err
    assert "hello" not in out
    if output == "json":
        assert json.loads(out)["findings"]
    elif output == "github":
        *annotations, summary = out.splitlines()
        assert annotations
        assert all(
            line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations
        )
        assert summary.startswith("Checked ")


@pytest.mark.filterwarnings("ignore:This process .* multi-threaded:DeprecationWarning")
def test_what_worker_processes_print_goes_to_stderr(capfd, monkeypatch):
    from sphinx_numpy_learn.check import runner

    check_page = runner.check_page

    def noisy(*args):
        print("a worker says hello")
        return check_page(*args)

    monkeypatch.setattr(runner, "check_page", noisy)
    monkeypatch.setattr(runner, "PARALLEL_MINIMUM", 2)
    status = main(["check", str(BAD), "--format", "json", "-j", "2"])
    out, err = capfd.readouterr()
    assert status == 1
    assert json.loads(out)["findings"]
    assert "a worker says hello" in err


def test_reports_show_control_characters_and_undecodable_names_as_escapes(capsys, project):
    root = project()
    # A name that is not UTF-8 (Python holds it as a lone surrogate), and text that
    # would end a report line or drive the terminal.
    bad_name = os.fsdecode(b"caf\xe9.md")
    (root / bad_name).write_text("---\nlearn:\n  level: expert\n---\n\n# Caf\u00e9\n\nText.\n")
    result = Result(project=".")
    message = "bad\x1b[2J\x07\u2028x"  # clears the screen, rings, ends the line
    result.findings.append(
        Reported("a\nb.md", 3, None, "LRN002", "unknown-level", "error", message, ["\r"])
    )
    text = format_text(result)
    assert text.startswith("a\\nb.md:3: error: bad\\x07\\u2028x  [LRN002 unknown-level]\n")
    assert text.count("\n") == 3  # the finding, its detail, the summary
    github = format_github(result)
    assert github.startswith("::error file=a%0Ab.md,line=3,title=LRN002 unknown-level::")
    assert "::bad\\x07\\u2028x%0A%0D\n" in github
    assert github.count("\n") == 2

    status, out, _err = run_check(capsys, str(root), "--format", "json")
    assert status == 1
    out.encode("ascii")  # writable to a stream of any encoding
    (finding,) = (f for f in json.loads(out)["findings"] if f["rule"] == "LRN002")
    assert os.fsencode(finding["path"]).endswith(b"/caf\xe9.md")  # the file's own name
    for output in ("text", "github"):
        status, out, _err = run_check(capsys, str(root), "--format", output)
        assert status == 1
        assert "caf\\udce9.md" in out
        out.encode("utf-8")  # no lone surrogate, which no stream can write


@pytest.mark.parametrize("output", ["text", "github", "json"])
def test_reports_fit_a_terminal_of_any_encoding(project, output):
    root = project(BAD)
    (root / "jp.md").write_text("---\nlearn:\n  level: expert\n---\n\n# 数组 Title Case\n")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_numpy_learn", "check", str(root), "--format", output],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    if output == "json":
        assert any(f["message"].startswith("'数组") for f in json.loads(done.stdout)["findings"])
    else:
        assert b"'\\u6570\\u7ec4 Title Case' is not in sentence case" in done.stdout


def test_a_folder_path_the_system_refuses_is_one_line(capsys, tmp_path):
    status, out, err = run_check(capsys, str(tmp_path.joinpath(*["folder"] * 700)))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "File name too long" in err


def test_rules_command_lists_every_rule(capsys):
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [rule["id"] for rule in listed] == [rule.id for rule in RULES]
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert "LRN105  image-alt" in text


# -- Rule details -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "fixed"),
    [
        ("Set Up a Development Environment", "Set up a development environment"),
        ("Using NumPy Arrays", "Using NumPy arrays"),
        ("Step 1: Load The Data", "Step 1: Load the data"),
        ("Analyse four years of Seattle weather", None),  # one proper noun
        ("Read a CSV file with Python", None),
        ("Compare C order and Fortran order", None),
        ("Work with Monday and Tuesday data", None),
        ("Installation: Getting started", None),  # after a colon a clause starts
    ],
)
def test_sentence_case(title, fixed):
    assert sentence_case_problem(title, set()) == fixed


def test_sentence_case_ignores_code_and_accepts_project_nouns():
    assert sentence_case_problem([("Call ", False), ("Foo.Bar Baz", True)], set()) is None
    assert sentence_case_problem("Visit Oslo And Bergen", set()) is not None
    assert sentence_case_problem("Visit Oslo and Bergen", {"Oslo"}) is None


# Prose of a page that names places, people and things in the middle of its sentences.
PROSE = [
    "You will compare the air in Delhi with the air in New York.",
    "People call this Moore's Law. The detector that John Canny designed thins edges.",
    "Francis Galton built one in 1873. Data came from the U.S. Geological Survey.",
    "Read the chapter \u201cLarge Numbers Explained\u201d first.",
]


@pytest.mark.parametrize(
    ("title", "fixed"),
    [
        # Names the prose capitalises mid-sentence, alone or as a phrase, pass.
        ("Analyse air quality in Delhi and New York", None),
        ("Plot The Readings For New York", "Plot the readings for New York"),
        ("Fit a Linear Model of Moore's Law", "Fit a linear model of Moore's Law"),
        ("Compare Moore's Prediction And Data", "Compare Moore's prediction and data"),
        ("Detect Edges With The Canny Filter", "Detect edges with the Canny filter"),
        ("Meet Francis Galton's Board", "Meet Francis Galton's board"),
        ("Get Data From The Geological Survey", "Get data from the Geological Survey"),
        # "New" is a name only in "New York"; "The" only ever starts a sentence.
        ("Create New Arrays From Old Ones", "Create new arrays from old ones"),
        ("Load The Data", "Load the data"),
        # Quoted text and code keep their capitals; the rest of the title is checked.
        # Quoted text in the prose is a title, not a name.
        ("Explain Large Numbers Simply", "Explain large numbers simply"),
        ('Revisit "Load The Data"', None),
        (
            "Revisit \u201cLoad The Data\u201d And Plot It",
            "Revisit \u201cLoad The Data\u201d and plot it",
        ),
        ("Revisit 'What You'll Learn' Again", "Revisit 'What You'll Learn' again"),
        ([("Use ", False), ("Data", True), (" With The Data", False)], "Use Data with the data"),
        # Acronyms and a capital letter joined to a word.
        ("Load NOAA Data From The CSVs", "Load NOAA data from the CSVs"),
        ("Process X-ray Images With NumPy", "Process X-ray images with NumPy"),
        ("Run Monte Carlo Simulations Of Dice", "Run Monte Carlo simulations of dice"),
    ],
)
def test_sentence_case_never_lowercases_a_name(title, fixed):
    assert sentence_case_problem(title, [], PROSE) == fixed


def test_names_learned_from_prose_are_short():
    # A long run of capitalised words is a title; learning all its parts would also
    # cost memory quadratic in its length.
    names = ProperNames.in_prose(["See " + "Aa Bb " * 50])
    assert max(map(len, names.phrases), default=0) <= MAX_NAME_WORDS


def test_sentence_case_reads_phrases_from_learn_check_proper_nouns():
    title = "Add the readings of Johns Hopkins University"
    assert sentence_case_problem(title, []) is not None
    assert sentence_case_problem(title, ["Johns Hopkins University"]) is None
    # Part of a listed phrase counts; a listed name covers its possessive.
    assert sentence_case_problem("Ask Johns Hopkins Now", ["Johns Hopkins University"]) == (
        "Ask Johns Hopkins now"
    )
    assert sentence_case_problem("Read Oslo's Weather Data", ["Oslo"]) == (
        "Read Oslo's weather data"
    )


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("On your own", "closing"),
        ("In practice...", "closing"),
        ("In practice\u2026", "closing"),
        ("In practice :", "closing"),
        ("Further reading:", "closing"),
        ("On your own?", "closing"),
        ("  On   your OWN  ", "closing"),
        ("5. Further reading", "closing"),
        ("In practice: use a database", "closing"),
        ("What\u2019s next", "extra"),
        ("References", "extra"),
        ("Acknowledgments", "extra"),
        ("References and further reading", "closing"),
        ("Credits & licence", "extra"),
        ("In practice makes perfect", None),
        ("Load the data", None),
    ],
)
def test_closing_headings_accept_punctuation_and_extras(title, kind):
    assert closing_kind(title) == kind


def test_check_page_documents_every_closing_heading():
    page = (EXAMPLE_DOCS / "writing" / "check.md").read_text().lower()
    for name in (*CLOSING_HEADINGS, *CLOSING_EXTRAS):
        assert name in page, name


# Findings on test-check-real, a project shaped like numpy/numpy-tutorials: every one is
# right, and each suggestion keeps the names, quotes and code of its heading.
EXPECTED_REAL = [
    ("air-quality.md", 34, "LRN104", "'Load the data from the CSV file'"),
    ("air-quality.md", 43, "LRN104", "'Plot the readings for New York'"),
    ("moores-law.md", 47, "LRN104", '"Fit a linear model of Moore\'s Law"'),
    ("x-ray-images.ipynb", 95, "LRN103", 'closing section "Wrapping up"'),
]


def test_real_tutorials_get_only_true_findings(capsys):
    """Place names, people's names, Moore's Law, acronyms, quoted headings, the style
    guide's "In practice..." and "In practice\u2026", References, Acknowledgements and
    Credits after the closing sections, a name from learn_check_proper_nouns: only the
    four real problems are reported (sixteen findings, twelve of them false, before
    issue 17)."""
    _status, report = findings_of(capsys, str(REAL))
    found = [
        (Path(f["path"]).name, f["line"], f["rule"], f["message"]) for f in report["findings"]
    ]
    assert [item[:3] for item in found] == [item[:3] for item in EXPECTED_REAL]
    for (*_where, message), (*_expected, shown) in zip(found, EXPECTED_REAL, strict=True):
        assert shown in message
    assert (report["documents"], report["tutorials"], report["input_errors"]) == (5, 4, [])


def test_flesch_reading_ease_orders_texts_sensibly():
    easy = flesch_reading_ease(["The cat sat on the mat. It was a sunny day."])
    hard = flesch_reading_ease(
        [
            "The multidimensional array abstraction facilitates vectorised computation, "
            "circumventing interpretive overhead characteristic of numerical workloads."
        ]
    )
    assert easy.score > 90 > 0 > hard.score
    assert (easy.words, easy.sentences) == (11, 2)
    # A list item without end punctuation still counts as a sentence.
    assert flesch_reading_ease(["how to slice an array"]).sentences == 1


# -- Execution ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_execute_reports_failing_cells(capsys, project):
    root = project()
    (root / "fails.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  name: python3\n  display_name: Python 3\n  language: python\n---\n\n"
        "# A notebook that fails\n\n```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{code-cell} ipython3\n:tags: [demo]\n\ny = 2\nx / 0\n```\n"
    )
    notebook = json.loads((root / "notebook.ipynb").read_text())
    notebook["cells"].append(
        {
            "cell_type": "code",
            "id": "boom",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["import math\n", "math.sqrt(-1)\n", "x = 1"],
        }
    )
    (root / "notebook.ipynb").write_text(json.dumps(notebook, indent=1))
    index = root / "index.rst"
    index.write_text(index.read_text().replace("   contribute\n", "   contribute\n   fails\n"))
    status, _out, _err = run_check(capsys, str(root))
    assert status == 0, "without --execute, nothing runs"
    status, report = findings_of(capsys, str(root), "--execute")
    failure, in_ipynb = report["findings"]
    assert in_ipynb["path"].endswith("notebook.ipynb")
    assert in_ipynb["cell"] == 7
    lines = (root / "notebook.ipynb").read_text().splitlines()
    # The failing line, not the cell's first.
    assert lines[in_ipynb["line"] - 1].strip() == '"math.sqrt(-1)\\n",'
    assert in_ipynb["message"] == "code cell 2, line 2 failed: ValueError: math domain error"
    assert failure["rule"] == "LRN201"
    assert failure["path"].endswith("fails.md")
    assert failure["line"] == 21
    assert failure["cell"] is None, "the line is exact in a MyST notebook"
    assert failure["message"] == (
        "code cell 2, line 2 failed: ZeroDivisionError: division by zero"
    )
    # The cell's own frame first, the writer's line marked.
    assert failure["details"][0] == "In the cell:"
    assert any(line.lstrip().startswith("----> 2 x / 0") for line in failure["details"])
    assert status == 1
    # GitHub annotations: at the failing line, with the cell's frame in the message.
    status, out, _err = run_check(capsys, str(root), "--execute", "--format", "github")
    annotation = next(line for line in out.splitlines() if "fails.md" in line)
    assert annotation.startswith("::error file=")
    assert ",line=21," in annotation
    assert "code cell 2, line 2 failed: ZeroDivisionError" in annotation
    assert "%0AIn the cell:%0A" in annotation
    assert status == 1
    assert not (root / "_build").exists()
    assert not (root / ".jupyter_cache").exists()


# -- Installation: the console script, python -m and pre-commit ---------------------------------


def test_console_script_and_module_have_help():
    script = Path(sys.executable).parent / "sphinx-numpy-learn"
    assert script.exists(), "pip install puts the console script next to python"
    for command in ([str(script)], [sys.executable, "-m", "sphinx_numpy_learn"]):
        for sub in ([], ["new"], ["check"], ["rules"]):
            done = subprocess.run(
                [*command, *sub, "--help"], capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, done.stderr
            assert "usage: sphinx-numpy-learn" in done.stdout


def test_example_docs_pass_check():
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_numpy_learn", "check", str(EXAMPLE_DOCS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems found" in done.stdout


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO_DIR / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "sphinx-numpy-learn-check"
    assert hook["entry"].split()[:2] == ["sphinx-numpy-learn", "check"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


@pytest.mark.filterwarnings("ignore:This process .* multi-threaded:DeprecationWarning")
def test_pages_read_in_worker_processes_give_the_same_findings(capsys, monkeypatch):
    _status, serial = findings_of(capsys, str(BAD), "-j", "1")
    monkeypatch.setattr("sphinx_numpy_learn.check.runner.PARALLEL_MINIMUM", 2)
    _status, parallel = findings_of(capsys, str(BAD), "-j", "2")
    assert parallel == serial
    assert len(serial["findings"]) > 20


@pytest.mark.parametrize(
    "page",
    sorted(p.name for p in (EXAMPLE_DOCS / "tutorials").glob("*.md") if p.stem != "index"),
)
def test_opening_sections_read_as_the_build_reads_them(page):
    """``check`` reads the opening sections from tokens; the build from the doctree.
    Both must find the same fields with the same values (tests/test_derive.py holds
    the same comparison over whole builds)."""
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from myst_parser.parsers.docutils_ import Parser

    from sphinx_numpy_learn import derive, metadata, rich_text
    from sphinx_numpy_learn.check.parse import PageParser
    from sphinx_numpy_learn.check.rules import parts_of_outline

    path = EXAMPLE_DOCS / "tutorials" / page
    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.myst_enable_extensions = ["colon_fence", "dollarmath"]
    document = new_document(str(path), settings)
    Parser().parse(path.read_text(), document)
    expected = metadata.from_opening(derive.find_opening(rich_text.parts_of_doctree(document)))

    outline = (
        PageParser({"enable_extensions": {"colon_fence", "dollarmath"}}).parse(page, path).outline
    )
    found = metadata.from_opening(derive.find_opening(parts_of_outline(outline)))
    assert found == expected
    assert set(found[0].values) == {"outcome", "objectives", "needs"}
    assert found[0].lines == expected[0].lines


def test_value_problems_are_shared_by_the_build_and_check():
    """One function judges level, required fields and prerequisites for both."""
    from sphinx_numpy_learn.metadata import value_problems

    problems, resolved = value_problems(
        "tutorials/b",
        {
            "level": "beginer",
            "prerequisites": ["a", "b", "https://x.org", {"title": "T", "url": "https://t"}],
        },
        {"level": 3, "prerequisites": 4},
        2,
        tiers=["beginner", "advanced"],
        required_fields=["duration"],
        docnames={"tutorials/a", "tutorials/b"},
        source_suffixes=[".md"],
    )
    assert [(p.kind, p.line) for p in problems] == [
        ("level", 3),
        ("required", 2),
        ("prerequisite", 4),
        ("prerequisite", 4),
    ]
    assert problems[0].message.endswith("did you mean 'beginner'?")
    assert problems[2].message == "a tutorial cannot be its own prerequisite"
    assert "write a mapping with 'title' and 'url'" in problems[3].message
    assert resolved == [{"doc": "tutorials/a", "line": 4}, {"title": "T", "url": "https://t"}]


_CHECKPOINT_WARNING = re.compile(
    r"^(?P<path>\S+?):(?P<line>\d+): WARNING: (?P<message>.+) \[learn\.checkpoint\]$",
    flags=re.MULTILINE,
)


@pytest.mark.parametrize("tasklist", [False, True], ids=["tasklist-off", "tasklist-on"])
def test_check_finds_the_checkpoint_problems_the_build_warns_about(capsys, project, tasklist):
    """Every bad checkpoint, in MyST and reStructuredText, nested or not, is reported by
    both, at the same line, with the same words; the good ones by neither. With MyST's
    tasklist extension (Jupyter Book's default) the markers are checkboxes by the time
    the build reads them, and markdown-it's state when check reads them."""
    root = project(ROOTS / "test-check-checkpoints")
    if tasklist:
        with (root / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write('myst_enable_extensions = ["colon_fence", "tasklist"]\n')
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "dummy", str(root), str(root / "_build")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    warned = {
        (Path(m["path"]).name, int(m["line"]), m["message"])
        for m in _CHECKPOINT_WARNING.finditer(build.stderr)
    }
    _status, report = findings_of(capsys, str(root))
    found = {
        (Path(f["path"]).name, f["line"], f["message"])
        for f in report["findings"]
        if f["rule"] == "LRN108"
    }
    # MyST numbers the lines of a directive inside another directive one too late
    # (bad-nested.md); check gives the line the checkpoint and its choice are on.
    nested = {(n, line - 1, m) for n, line, m in warned if n == "bad-nested.md"}
    warned = {w for w in warned if w[0] != "bad-nested.md"} | nested
    assert found == warned
    assert len(found) == 16
    assert {name for name, _line, _message in found} == {"bad.md", "bad-rst.rst", "bad-nested.md"}
    assert ("bad.md", 28, "checkpoint: choice 2 is empty") in found
    assert ("bad-nested.md", 4, "checkpoint: no choice is marked correct with [x]") in found


def test_each_page_is_cut_into_parts_once(capsys, monkeypatch):
    """The tutorial rule and the closing key points read the same parts of a page."""
    from sphinx_numpy_learn.check import rules

    seen: list[object] = []  # the outlines themselves: a freed one's id may be reused
    cut = rules.parts_of_outline

    def counted(outline):
        seen.append(outline)
        return cut(outline)

    monkeypatch.setattr(rules, "parts_of_outline", counted)
    run_check(capsys, str(GOOD))
    assert seen
    assert len(seen) == len({id(outline) for outline in seen})
