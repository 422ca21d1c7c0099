"""``sphinx-numpy-learn new``: skeletons that follow the style guide, pass ``check`` and
build without warnings; file names from titles; nothing is ever overwritten."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sphinx_numpy_learn.cli import main
from sphinx_numpy_learn.scaffold import slugify

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
        ("!!!", ""),
    ],
)
def test_slug_from_title(title, slug):
    assert slugify(title) == slug


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
        (["--name", "../escape"], "cannot make a file name"),
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
