"""The message catalogs: complete, current with the source, and used by Sphinx builds.

A label added to the code without ``make translations`` fails here, naming the label.
"""

from __future__ import annotations

import ast
import io
import re
from typing import TYPE_CHECKING

import pytest
import sphinx.locale
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from sphinx_numpy_learn.i18n import LOCALE_DIR, MESSAGE_CATALOG, _

from .conftest import REPO_DIR, soup_of, warnings_of

if TYPE_CHECKING:
    from pathlib import Path

    from babel.messages.catalog import Catalog, Message

POT = LOCALE_DIR / f"{MESSAGE_CATALOG}.pot"
# The plural rules gettext evaluates: French says "0 minute", Spanish "0 minutos".
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
LANGUAGES = sorted(PLURAL_FORMS)
# The same keywords as `make translations`.
KEYWORDS = ("_", "N_", "ngettext:1,2")
GETTEXT_FUNCTIONS = {keyword.partition(":")[0] for keyword in KEYWORDS}

# %(name)d, %s, %d, ... and {name}; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%(?:\(\w+\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]|\{[^{}]*\}"
)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{MESSAGE_CATALOG}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def messages(catalog: Catalog) -> dict[str | tuple[str, ...], Message]:
    """Every message but the header, by msgid (a (singular, plural) pair for plurals)."""
    return {as_tuple(message.id): message for message in catalog if message.id}


def as_tuple(value):
    """The msgid or msgstr of a plural message is a list when read from a .mo file."""
    return tuple(value) if isinstance(value, list) else value


def show(msgid: str | tuple[str, ...]) -> str:
    return " / ".join(map(repr, msgid)) if isinstance(msgid, tuple) else repr(msgid)


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """Positional placeholders in order, and named ones (any order) sorted."""
    found = [match for match in PLACEHOLDER.findall(text) if match != "%%"]
    positional = [p for p in found if not p.startswith(("%(", "{"))]
    return positional, sorted(p for p in found if p.startswith(("%(", "{")))


# -- What the source asks for -----------------------------------------------------------


def extracted_with_pybabel(tmp_path: Path) -> set[str | tuple[str, ...]]:
    """The msgids ``make translations`` extracts, with babel's own front end."""
    output = tmp_path / "extracted.pot"
    keywords = [f"--keyword={keyword}" for keyword in KEYWORDS]
    status = CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            f"--mapping-file={REPO_DIR / 'babel.cfg'}",
            *keywords,
            "--no-location",
            f"--output-file={output}",
            str(REPO_DIR),
        ]
    )
    assert not status
    return set(messages(read_catalog(output)))


def calls_inside_fstrings() -> dict[str | tuple[str, ...], str]:
    """Gettext calls written inside an f-string's ``{...}``, with where they are.

    Before Python 3.12 an f-string is one token, so pybabel cannot see a call in
    it: ``make translations`` run there would drop the label from the catalogs.
    """
    found: dict[str | tuple[str, ...], str] = {}
    package = REPO_DIR / "sphinx_numpy_learn"
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for fstring in ast.walk(tree):
            if not isinstance(fstring, ast.JoinedStr):
                continue
            for call in ast.walk(fstring):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in GETTEXT_FUNCTIONS
                ):
                    continue
                strings = [
                    arg.value
                    for arg in call.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
                if not strings:
                    continue
                msgid = tuple(strings[:2]) if call.func.id == "ngettext" else strings[0]
                found[msgid] = f"{path.relative_to(REPO_DIR)}:{call.lineno}"
    return found


def test_template_lists_every_label_of_the_source(tmp_path):
    in_source = extracted_with_pybabel(tmp_path) | set(calls_inside_fstrings())
    in_template = set(messages(read_catalog(POT)))
    missing = sorted(map(show, in_source - in_template))
    stale = sorted(map(show, in_template - in_source))
    assert not missing, f"labels missing from {POT.name}; run `make translations`: {missing}"
    assert not stale, (
        f"labels in {POT.name} no longer in the source; run `make translations`: {stale}"
    )


def by_place(item: tuple[object, str]) -> tuple[str, int]:
    path, _, line = item[1].rpartition(":")
    return path, int(line)


def test_no_label_hides_inside_an_fstring():
    """pybabel on Python 3.11 cannot extract them (see ``calls_inside_fstrings``)."""
    found = calls_inside_fstrings()
    hidden = [f"{where}: {show(msgid)}" for msgid, where in sorted(found.items(), key=by_place)]
    assert not hidden, (
        "move these gettext calls out of the f-string (e.g. label = _('...') first), or "
        "`make translations` on Python 3.11 drops them from the catalogs:\n" + "\n".join(hidden)
    )


# -- The catalogs -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_translates_every_label(language):
    catalog = read_catalog(po_path(language), language)
    assert catalog.plural_forms == PLURAL_FORMS[language]
    assert str(catalog.locale) == language

    template = messages(read_catalog(POT))
    translated = messages(catalog)
    missing = sorted(map(show, set(template) - set(translated)))
    extra = sorted(map(show, set(translated) - set(template)))
    assert not missing, f"{language}: not in the .po; run `make translations`: {missing}"
    assert not extra, f"{language}: not in the .pot; run `make translations`: {extra}"

    problems = []
    for msgid, message in translated.items():
        if message.fuzzy:
            problems.append(f"{show(msgid)} is fuzzy: review it and remove the flag")
        forms = message.string if message.pluralizable else (message.string,)
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{show(msgid)} has {len(forms)} forms, not {catalog.num_plurals}")
        source = msgid[-1] if message.pluralizable else msgid
        for form in forms:
            if not form:
                problems.append(f"{show(msgid)} is not translated")
            elif placeholders(form) != placeholders(source):
                problems.append(
                    f"{show(msgid)}: {form!r} has placeholders {placeholders(form)}, "
                    f"the source {placeholders(source)}"
                )
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_po(language):
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po_path(language), language))
    buffer.seek(0)
    expected = read_mo(buffer)
    with mo_path(language).open("rb") as file:
        shipped = read_mo(file)

    def strings(catalog: Catalog) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
        return {msgid: as_tuple(message.string) for msgid, message in messages(catalog).items()}

    want, have = strings(expected), strings(shipped)
    stale = sorted(
        show(msgid) for msgid in want.keys() | have.keys() if want.get(msgid) != have.get(msgid)
    )
    assert not stale, f"{mo_path(language)} is out of date; run `make translations`: {stale}"
    assert shipped.plural_forms == PLURAL_FORMS[language]


# -- Builds -----------------------------------------------------------------------------


@pytest.fixture
def fresh_translators():
    """Forget the catalogs loaded by earlier builds in this process.

    ``sphinx.locale.init`` merges into a translator it already has, so a catalog left
    over by an earlier build (say, French) would win over this build's language.
    ``SphinxTestApp.cleanup`` clears them after each test; a build that was not a
    test app (or not cleaned up) would not. Request before ``app``: the extension
    loads its catalog when the app is created.
    """
    sphinx.locale.translators.clear()


def sphinx_in(language: str):
    return pytest.mark.sphinx(
        "html",
        testroot="tutorials",
        srcdir=f"tutorials-{language}",
        confoverrides={"language": language},
        freshenv=True,
    )


@pytest.mark.parametrize(
    ("fields", "intermediate", "level", "duration"),
    [
        pytest.param(
            ["Requisitos previos", "Lo que harás", "Lo que aprenderás"],
            "Intermedio",
            "Nivel",
            "30 minutos",
            marks=sphinx_in("es"),
            id="es",
        ),
        pytest.param(
            ["Prérequis", "Ce que vous allez faire", "Ce que vous allez apprendre"],
            "Intermédiaire",
            "Niveau",
            "30 minutes",
            marks=sphinx_in("fr"),
            id="fr",
        ),
    ],
)
def test_build_shows_translated_labels(
    fresh_translators, app, fields, intermediate, level, duration
):
    app.build()
    assert warnings_of(app) == ""

    header = soup_of(app, "second").select_one("aside.learn-tutorial-header")
    assert header is not None
    names = [dt.find(string=True, recursive=False).strip() for dt in header.select("dt")]
    assert names == fields
    assert header.select_one(".learn-badge-label").get_text(strip=True) == intermediate
    assert header.select_one(".learn-duration").get_text(strip=True) == duration
    english = ("Prerequisites", "What you'll", "Intermediate", "About this tutorial")
    assert [word for word in english if word in str(header)] == []

    legend = soup_of(app, "index").select_one("form.learn-catalog-filters legend")
    assert legend is not None
    assert legend.get_text(strip=True) == level


@pytest.mark.slow
def test_example_site_builds_in_spanish(example_build, tmp_path):
    """The whole example site in ``language = "es"``: our labels and the theme's are
    Spanish. Notebooks come from the session build's cache (same sources)."""
    from .conftest import build_example_site, copy_of_cache

    cache = copy_of_cache(example_build, tmp_path)
    outdir = tmp_path / "es"
    log = build_example_site(outdir, "-D", "language=es", "-D", f"nb_execution_cache_path={cache}")
    assert "Executing notebook" not in log

    def page(name):
        return BeautifulSoup((outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")

    home = page("index")
    assert home.html["lang"] == "es"
    cards = [h.get_text(strip=True) for h in home.select(".learn-landing-card h2")]
    assert cards == ["Empieza aquí", "Contribuye"]
    assert "Todos los tutoriales" in home.get_text()
    assert home.select_one("form.learn-catalog-filters legend").get_text(strip=True) == "Nivel"
    assert "Creado con el" in home.select_one(".learn-theme-version").get_text()

    tutorial = page("tutorials/create-your-first-arrays")
    header = tutorial.select_one("aside.learn-tutorial-header")
    assert header.select_one(".learn-badge-label").get_text(strip=True) == "Principiante"
    assert "Requisitos previos" in header.get_text()
    assert "He terminado este tutorial" in tutorial.select_one(".learn-done").get_text()
    progress = tutorial.select_one(".learn-nav-progress")
    assert progress["data-learn-progress"] == "{done} de 6 hechos"


def test_a_build_after_one_in_another_language_speaks_its_own(root_app, tmp_path):
    """Sphinx caches a catalog's translator per process; each build reads its own."""
    spanish = root_app("components", confoverrides={"language": "es"})
    assert _("Exercise") == "Ejercicio"
    assert spanish.config.numfig_format["learn-exercise"] == "Ejercicio %s"
    english = root_app.again(spanish.srcdir, outdir=tmp_path / "en", freshenv=True)
    assert english.config.language == "en"
    assert _("Exercise") == "Exercise"
    # numref's text too: not left in Sphinx's default numfig_format by the first build.
    assert english.config.numfig_format["learn-exercise"] == "Exercise %s"
