"""``sphinx-numpy-learn new``: skeletons that follow the style guide, pass ``check`` and
build without warnings; file names from titles; nothing is ever overwritten."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_numpy_learn.cli import main
from sphinx_numpy_learn.scaffold import MAX_NAME_BYTES, name_bytes, slugify

from .conftest import warnings_of

CONF = """\
extensions = ["sphinx_numpy_learn"]
html_theme = "sphinx_numpy_learn"
exclude_patterns = ["_build"]
"""


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Analyse air quality data", "analyse-air-quality-data"),
        ("Démarrer avec NumPy : les tableaux", "demarrer-avec-numpy-les-tableaux"),
        ("Use np.linalg.solve()  -- fast!", "use-np-linalg-solve-fast"),
        ("数组入门", "数组入门"),
        ("हिन्दी में सीखें", "हिन्दी-में-सीखें"),  # vowel signs stay with their letters
        ("!!!", ""),
        ("\u0301_a", "a"),
    ],
)
def test_slug_from_title(title, slug):
    assert slugify(title) == slug


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sphinx-numpy-learn: error: "), err
    return lines[0]


def test_a_long_title_gives_a_name_the_file_system_takes(capsys, tmp_path):
    title = "日本語のタイトル" * 11 + "入門"  # 90 characters, 270 bytes in UTF-8
    assert len(title) == 90
    status, out, err = new(capsys, "tutorial", title, "--path", str(tmp_path))
    assert status == 0, err
    (written,) = tmp_path.iterdir()
    assert written.suffix == ".md"
    assert MAX_NAME_BYTES - 3 < name_bytes(written.stem) <= MAX_NAME_BYTES
    assert title.startswith(written.stem)  # cut after a whole character
    assert f"Created {written}" in out


def test_a_long_name_is_cut_after_a_word(capsys, tmp_path):
    title = "Analyse " + "air quality data again and " * 20
    status, _out, err = new(capsys, "tutorial", title, "--path", str(tmp_path))
    assert status == 0, err
    (written,) = tmp_path.iterdir()
    assert name_bytes(written.stem) <= MAX_NAME_BYTES
    # The title's words, in order, cut before a word that would not fit.
    words = slugify(title, max_bytes=10_000).split("-")
    kept = written.stem.split("-")
    assert kept == words[: len(kept)]
    assert name_bytes(f"{written.stem}-{words[len(kept)]}") > MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a" * 300, "--name is 300 bytes long; give one of at most 100 bytes"),
        ("é" * 51, "--name is 102 bytes long"),
        ("", "--name is empty"),
        ("guide/intro", "is a path; give the file name alone"),
        ("intro.md", "--name is the file name without its suffix: 'intro', not 'intro.md'"),
        ("!!!", "can hold letters, digits"),
        ("-intro", "cannot start with '.' or '-'"),
    ],
)
def test_an_unusable_name_is_one_line_and_writes_nothing(capsys, tmp_path, name, message):
    status, out, err = new(
        capsys, "tutorial", "A title", "--path", str(tmp_path), f"--name={name}"
    )
    assert status == 2
    assert out == ""
    assert message in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_file_system_errors_are_one_line(capsys, tmp_path, monkeypatch):
    too_long = tmp_path.joinpath(*["folder"] * 700)  # longer than any system's PATH_MAX
    status, _out, err = new(capsys, "tutorial", "A title", "--path", str(too_long))
    assert status == 2
    assert "File name too long" in one_line_error(err)

    real_exists = Path.exists

    def exists(path: Path) -> bool:
        if path.parent == tmp_path and path.stem == "a-title":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", exists)
    status, _out, err = new(capsys, "tutorial", "A title", "--path", str(tmp_path))
    assert status == 2
    assert one_line_error(err).endswith("a-title.md: Permission denied")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("settings", "existing"),
    [
        ('nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}', ".py"),
        ('source_suffix = {".rst": "restructuredtext", ".markdown": "markdown"}', ".markdown"),
        ('source_suffix = [".rst", ".rest"]', ".rest"),
        ('source_suffix = ".txt"', ".txt"),
    ],
)
def test_never_shadows_a_document_of_a_suffix_the_project_reads(
    capsys, tmp_path, settings, existing
):
    (tmp_path / "conf.py").write_text(CONF + settings + "\n")
    folder = tmp_path / "tutorials"  # conf.py is found above the folder
    folder.mkdir()
    (folder / f"my-tutorial{existing}").write_text("# %% the tutorial\n")
    for markup in ("myst", "rst"):
        status, _out, err = new(
            capsys, "tutorial", "My tutorial", "--path", str(folder), "--format", markup
        )
        assert status == 2
        assert f"my-tutorial{existing} already holds this document name" in one_line_error(err)
    status, _out, err = new(
        capsys, "tutorial", "x", "--path", str(folder), "--name", f"other{existing}"
    )
    assert status == 2
    assert "without its suffix" in one_line_error(err)
    assert [p.name for p in folder.iterdir()] == [f"my-tutorial{existing}"]


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("a\x07b", "the control character U+0007"),
        ("a\udcffb", "bytes that are not text"),  # undecodable bytes on the command line
        ("a\uffffb", "U+FFFF, which is not a character"),
        (" \n\t\ufeff", "the title is empty"),
    ],
)
def test_titles_no_page_can_show_are_refused(capsys, tmp_path, title, reason):
    status, _out, err = new(capsys, "tutorial", "--path", str(tmp_path), "--", title)
    assert status == 2
    assert reason in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_output_fits_a_terminal_of_any_encoding(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_numpy_learn", "new", "tutorial", "数组入门"],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"Created \\u6570\\u7ec4\\u5165\\u95e8.md ")
    assert (tmp_path / "数组入门.md").exists()


def test_white_space_in_a_title_becomes_single_spaces(capsys, tmp_path):
    status, _out, _err = new(capsys, "tutorial", "--path", str(tmp_path), "--", "Two\n\tlines ")
    assert status == 0
    assert "\n# Two lines\n" in (tmp_path / "two-lines.md").read_text()


# Titles whose characters are markup: the issue's, and one of each kind of construct.
MARKUP_TITLES = [
    "Call numpy_ functions",
    "Pass *args and **kwargs",
    "Read `code`, |substitutions|, [1]_ footnotes and __init__",
    "1. Start with an enumerator",
    "- Start like a list item",
    ".. Start like a comment",
    "> Quote $x$ and {role}`x` <b>bold</b> &amp; [a link](x) ~~struck~~ trailing #",
    "\\",
    "数组入门 一个很长的标题",
    "Draw 👩‍💻 with emoji",
]


def test_titles_are_escaped_so_the_skeleton_builds_without_warnings(capsys, tmp_path, make_app):
    (tmp_path / "conf.py").write_text(CONF + 'nb_execution_mode = "off"\nsmartquotes = False\n')
    names = []
    for index, title in enumerate(MARKUP_TITLES):
        for kind in ("tutorial", "contributor-page"):
            for markup in ("myst", "rst"):
                name = f"page{index}-{kind}-{markup}"
                status, _out, err = new(
                    capsys, kind, "--path", str(tmp_path), "--format", markup, "--name", name,
                    "--", title,
                )  # fmt: skip
                assert status == 0, err
                names.append((name, title))
    toctree = "".join(f"   {name}\n" for name, _title in names)
    (tmp_path / "index.rst").write_text(f"Home\n====\n\n.. toctree::\n\n{toctree}")
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build()
    assert warnings_of(app) == ""
    from bs4 import BeautifulSoup

    for name, title in names:
        html = (app.outdir / f"{name}.html").read_text(encoding="utf-8")
        heading = BeautifulSoup(html, "html.parser").find("h1")
        for link in heading.select("a.headerlink"):
            link.decompose()
        assert heading.get_text() == title, name


def test_pages_of_one_name_in_two_folders_have_their_own_labels(capsys, tmp_path, make_app):
    (tmp_path / "conf.py").write_text(CONF + 'nb_execution_mode = "off"\n')
    for folder, markup in (("part one", "myst"), ("part two", "rst")):
        (tmp_path / folder).mkdir()
        status, _out, err = new(
            capsys, "tutorial", "Intro", "--path", str(tmp_path / folder), "--format", markup
        )
        assert status == 0, err
    assert ":label: part-one-intro-first-exercise" in (tmp_path / "part one/intro.md").read_text()
    (tmp_path / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   part one/intro\n   part two/intro\n"
    )
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build()
    assert warnings_of(app) == ""


def new(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["new", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_tutorial_skeleton_follows_the_style_guide(capsys, tmp_path):
    status, out, _err = new(
        capsys,
        "tutorial",
        "Analyse air quality data",
        "--level",
        "beginner",
        "--path",
        str(tmp_path),
    )
    assert status == 0
    path = tmp_path / "analyse-air-quality-data.md"
    text = path.read_text()
    assert text.startswith("---\njupytext:")
    assert "learn:\n  level: beginner\n  duration: 30  # minutes\n" in text
    assert "prerequisites: []" in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Analyse air quality data",
        "## What you'll do",
        "## What you'll learn",
        "## What you'll need",
        "## Take the first step",
        "## On your own",
        "## In practice",
        "## Further reading",
    ]
    body = text.split("# Analyse air quality data", 1)[1]
    # A rule after the opening sections, and another before the closing ones.
    assert body.index("## What you'll need") < body.index("***") < body.index("## Take the first")
    assert body.rindex("***") < body.index("## On your own")
    assert "```{code-cell} ipython3" in body
    assert ":label: analyse-air-quality-data-first-exercise" in body
    assert "{checkpoint}" in body
    assert f"Created {path}" in out
    assert "```{toctree}\n  analyse-air-quality-data\n  ```" in out
    assert "sphinx-numpy-learn check" in out


def test_never_overwrites(capsys, tmp_path):
    assert new(capsys, "tutorial", "Same title", "--path", str(tmp_path))[0] == 0
    before = (tmp_path / "same-title.md").read_text()
    status, out, err = new(capsys, "tutorial", "Same title", "--path", str(tmp_path))
    assert status == 2
    assert out == ""
    assert "same-title.md already exists; nothing was written" in err
    # Another suffix would be the same document: refused too.
    status, _out, err = new(
        capsys, "tutorial", "Same title", "--path", str(tmp_path), "--format", "rst"
    )
    assert status == 2
    assert "already holds this document name" in err
    assert not (tmp_path / "same-title.rst").exists()
    assert (tmp_path / "same-title.md").read_text() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "expert"], "unknown level 'expert'"),
        (["--duration", "0"], "between 1 and 1440"),
        (["--name", "../escape"], "is a path; give the file name alone"),
        (["--path", "missing"], "no such folder"),
    ],
)
def test_bad_arguments_exit_2(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    status, _out, err = new(capsys, "tutorial", "A title", "--path", str(tmp_path), *args)
    assert status == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_title_without_letters_needs_a_name(capsys, tmp_path):
    status, _out, err = new(capsys, "tutorial", "!!!", "--path", str(tmp_path))
    assert status == 2
    assert "give one with --name" in err
    status, _out, _err = new(capsys, "tutorial", "!!!", "--path", str(tmp_path), "--name", "x")
    assert status == 0
    assert (tmp_path / "x.md").exists()


def test_levels_come_from_the_project(capsys, tmp_path):
    (tmp_path / "conf.py").write_text(
        CONF + 'learn_tiers = [{"name": "first-steps"}, {"name": "deeper"}]\n'
    )
    folder = tmp_path / "tutorials"
    folder.mkdir()
    status, _out, err = new(
        capsys, "tutorial", "One", "--path", str(folder), "--level", "beginner"
    )
    assert status == 2
    assert "first-steps, deeper" in err
    status, out, _err = new(capsys, "tutorial", "One", "--path", str(folder))
    assert status == 0
    assert "(level: first-steps)" in out
    assert "level: first-steps" in (folder / "one.md").read_text()


@pytest.mark.slow
def test_skeletons_pass_check_and_build_without_warnings(capsys, tmp_path):
    (tmp_path / "conf.py").write_text(CONF)
    folder = tmp_path / "guide"
    folder.mkdir()
    made = [
        ("tutorial", "Analyse air quality data", "myst"),
        ("tutorial", "Sort an array of scores", "rst"),
        ("contributor-page", "Review a pull request", "myst"),
        ("contributor-page", "Fix a typo in the docs", "rst"),
    ]
    names = []
    for kind, title, markup in made:
        status, _out, _err = new(capsys, kind, title, "--path", str(folder), "--format", markup)
        assert status == 0
        names.append(f"guide/{title.lower().replace(' ', '-')}")
    (tmp_path / "index.md").write_text("# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n")

    assert main(["check", str(tmp_path), "--fail-on", "info"]) == 0
    out = capsys.readouterr().out
    assert "Checked 5 documents (4 tutorials)" in out
    assert "no problems found" in out

    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(tmp_path),
            str(tmp_path / "_build" / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    html = (tmp_path / "_build" / "html" / "guide" / "analyse-air-quality-data.html").read_text()
    assert "learn-tutorial-header" in html
    assert "learn-exercise" in html
