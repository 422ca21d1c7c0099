"""The ``learn_*`` configuration schema: one typed dataclass, validated once.

Every setting is a field of :class:`LearnConfig`. Its metadata carries the help
text, the validator (which also gives Sphinx the accepted types, so Sphinx's own
type check stays on) and the rebuild category. The fields are registered as flat
``learn_<name>`` values, checked on ``config-inited``, and an invalid value is
reported with a ``learn.config`` warning that names the key and the accepted
values, then replaced by the default. The configuration reference in the docs is
generated from this module (:mod:`sphinx_numpy_learn.reference`), so the
two cannot drift.
"""

from __future__ import annotations

import ast
import copy
import difflib
from collections.abc import Iterator
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn._compat import command_line_overrides, user_set_config_names
from sphinx_numpy_learn.check.registry import MAX_NAME_WORDS, SEVERITIES, rule_keys
from sphinx_numpy_learn.contributor_urls import HOSTS
from sphinx_numpy_learn.instructor import AUDIENCES
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.metadata import tutorial_field_names
from sphinx_numpy_learn.tiers import DEFAULT_TIERS, tiers_validator
from sphinx_numpy_learn.validators import (
    Validator,
    boolean,
    choices,
    dask_address,
    dict_of,
    docname_patterns,
    flag_or,
    launch_settings,
    name_list,
    one_of,
    optional_count,
    path_list,
    positive_number,
    site_address,
    string_mapping,
)

__all__ = [
    "SOLUTION_MODES",
    "LearnConfig",
    "Validator",
    "boolean",
    "choices",
    "get_learn_config",
    "one_of",
    "positive_number",
    "string_mapping",
]

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PREFIX = "learn_"
SOLUTION_MODES = ("collapsed", "expanded", "end", "dropped")


# -- The schema -----------------------------------------------------------------


def setting(default: Any, validator: Validator, help: str, *, rebuild: str = "env") -> Any:
    """Declare one ``learn_*`` setting (a dataclass field with schema metadata)."""
    meta = {"validator": validator, "help": help, "rebuild": rebuild}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class LearnConfig:
    """All ``learn_*`` settings, with their defaults. Read it with :func:`get_learn_config`."""

    recommended_defaults: bool = setting(
        True,
        boolean(),
        "Set the recommended values for the MyST-NB and MyST-Parser settings listed "
        "under *Recommended defaults* when ``conf.py`` leaves them unset. A value you "
        "set yourself is never changed.",
    )
    tiers: list[dict[str, str]] = setting(
        DEFAULT_TIERS,
        tiers_validator(),
        "The difficulty tiers, easiest first. Each is a dict with a ``name`` (what "
        "tutorials write in ``level``), a ``label``, a one-line ``criterion`` "
        '("You know ..."), an ``icon`` and a ``color``. The icon is drawn beside the '
        "label, so a badge never relies on colour alone.",
    )
    required_fields: list[str] = setting(
        [],
        choices(tutorial_field_names()),
        "Tutorial metadata fields every tutorial must declare, e.g. "
        '``["level", "objectives"]``. A tutorial without one gets a warning.',
    )
    derive_metadata: bool = setting(
        True,
        boolean(),
        "Read ``outcome``, ``objectives``, ``needs`` and ``audience_description`` from a "
        'page\'s opening sections ("What you\'ll do", "What you\'ll learn", "What '
        'you\'ll need", "Learner profile" and common variants) when it does not declare '
        "them. A page whose opening sections fill two fields counts as a tutorial, and "
        'so does a notebook whose first sections fill one (a lone "Prerequisites").',
    )
    tutorial_patterns: list[str] = setting(
        [],
        docname_patterns(),
        "Document names that are tutorials even without metadata or opening sections, "
        'as glob patterns like ``exclude_patterns``, e.g. ``["tutorials/*"]`` (``*`` '
        "stays within a folder, ``**`` does not). A matching page gets a header card "
        "and a catalog entry; its fields still come from its metadata and opening "
        "sections.",
    )
    reading_speed: int = setting(
        150,
        positive_number(maximum=1000),
        "Words per minute used to estimate a tutorial's ``duration`` when it does not "
        "declare one. Beginners read code-heavy prose slowly.",
    )
    minutes_per_cell: float = setting(
        1.0,
        positive_number(maximum=60),
        "Minutes added to an estimated ``duration`` for each code cell (reading, "
        "typing and running it). Measured execution time is added on top.",
    )
    catalog_json: bool = setting(
        True,
        boolean(),
        "Write ``learn-catalog.json`` (every tutorial's metadata, the tiers and the "
        "learning paths) next to the HTML pages.",
        rebuild="html",
    )
    contributor: dict[str, str] = setting(
        {},
        string_mapping(
            {
                "repository": "the project's repository address",
                "branch": "the branch pages are edited on, default 'main'",
                "docs_path": "the documentation's folder in the repository, e.g. 'doc/source'",
                "good_first_issue_label": "default 'good first issue'",
                "chat": "where newcomers ask for help",
                "guide": "the contributor guide's first page",
                "host": "'github' or 'gitlab', guessed from the address",
            },
            urls=("repository", "chat"),
            words={"host": HOSTS},
        ),
        "Where the links of ``new-contributor`` callouts and of every page's *Edit this "
        "page* and *Report a problem with this page* links point: *Find a good first "
        "issue* searches the repository's issue tracker for the label, *Ask for help* "
        "opens ``chat``, *Edit this page* opens the page's source in the repository "
        "and *Read the contributor guide* opens ``guide`` (a document name). *Report a "
        "problem* opens a new issue naming the page's title and address. A link "
        "whose setting is missing is left out.",
    )
    solutions: str = setting(
        "collapsed",
        one_of(SOLUTION_MODES),
        "How HTML pages show solutions: ``'collapsed'`` (a closed disclosure after the "
        "exercise), ``'expanded'`` (open), ``'end'`` (collected at the end of the page) "
        "or ``'dropped'`` (left out, for a handout; this applies to every builder). "
        "Other builders (LaTeX, text, man, Texinfo) always collect solutions at the end "
        "of the page's chapter.",
        rebuild="html",
    )
    audience: str = setting(
        "learner",
        one_of(AUDIENCES),
        "Who the build is for. ``'learner'``: HTML pages hide ``instructor-note`` boxes "
        "behind an *Instructor view* button (remembered in the reader's browser; without "
        "JavaScript the notes are closed disclosures), and LaTeX, text, man, Texinfo and "
        "epub leave them out. ``'instructor'``: every builder shows the notes and each "
        "page's total teaching and exercise minutes, with no button.",
        rebuild="html",
    )
    objective_coverage: bool = setting(
        False,
        boolean(),
        "Warn (``learn.objective``) about each tutorial objective that no exercise or "
        "checkpoint on the page names with ``:objective:``.",
    )
    progress: bool = setting(
        True,
        boolean(),
        'Show a "Mark as done" button on tutorial pages and progress in catalogs and '
        "learning paths. Progress is kept only in the reader's browser.",
        rebuild="html",
    )
    execution: bool = setting(
        True,
        boolean(),
        "In MyST-NB's ``cache`` mode, run the notebooks before Sphinx reads them: "
        "failures are reported with cell, line and traceback, declared ``inputs`` join "
        "the cache key, and parallel builds never execute inside a reader. ``False`` "
        "leaves execution entirely to MyST-NB.",
    )
    execution_strict: bool | str = setting(
        "auto",
        flag_or("auto"),
        "Whether a notebook that fails (an unexpected exception, a timeout, a dead "
        "kernel, a ``raises-exception`` cell that does not raise) makes the build exit "
        "non-zero, without ``-W``. ``'auto'``: when the ``CI`` environment variable is "
        "set. Failures are always reported as errors or warnings with their cell.",
    )
    execution_import: list[str] = setting(
        [],
        path_list(),
        "Folders of notebooks executed ahead of the build by ``sphinx-numpy-learn execute "
        "--shard I/N --output DIR`` (CI sharding), relative to the folder of ``conf.py``; "
        "each folder holds shards' manifests, directly or one folder down. A notebook "
        "the build would run whose executed copy there has the same cache key (its code, "
        "kernel and declared inputs as they are now) is taken from there instead, and "
        "the log says so. A missing folder is a ``learn.execution`` warning.",
        rebuild="",
    )
    gc_freeze: bool = setting(
        True,
        boolean(),
        "Keep the objects that live for the whole build (the modules, the build "
        "environment) out of the garbage collector's full collections, from when the "
        "configuration is read until the build ends (``gc.freeze()``), which makes "
        "builds of large sites faster. ``False`` leaves Python's collector as it is.",
        rebuild="",
    )
    execution_workers: int | None = setting(
        None,
        optional_count(maximum=1024),
        "How many notebooks run at once before Sphinx reads them (each in its own "
        "kernel), whatever ``-j`` says. ``None``: one per CPU of the machine (or as "
        "many as ``-j`` asks for, when that is more). Results "
        "are stored, logged and summarised in the same order however many run at once.",
        rebuild="",
    )
    execution_cluster: str | None = setting(
        None,
        dask_address(),
        "The address of a Dask distributed scheduler (``'tcp://host:8786'``) whose "
        "workers run the notebooks instead of this machine; needs "
        "``pip install 'sphinx-numpy-learn[dask]'`` here and on every worker, which also "
        "needs the kernels and packages the notebooks use. Each notebook is sent with "
        "its declared ``inputs``, and the executed notebook comes back into the local "
        "cache. When the scheduler cannot be reached or is lost, the notebooks not yet "
        "back run on this machine, with one warning. ``None``: run locally.",
        rebuild="",
    )
    execution_badge: bool = setting(
        True,
        boolean(),
        'Show "Executed successfully, N s" (or "Execution failed") in the header card '
        "of each tutorial that is a notebook.",
    )
    downloads: bool = setting(
        True,
        boolean(),
        "Offer each notebook page for download, as the executed ``.ipynb`` and as its "
        "source, with its declared ``inputs`` next to it (HTML builders).",
        rebuild="html",
    )
    launch: dict[str, Any] = setting(
        {},
        launch_settings(),
        "Launch buttons for notebook pages. A dict with ``repository`` (defaults to "
        "``learn_contributor``'s), ``branch``, ``notebooks_path`` (the folder holding "
        "the ``.ipynb`` files on that branch), and any of ``binder`` (a BinderHub "
        "address), ``jupyterhub`` (a JupyterHub address, opened with nbgitpuller), "
        "``colab`` (``True``; GitHub only), ``jupyterlite`` (a JupyterLite address) "
        "and ``custom`` (a list of ``{'label': ..., 'url': ...}`` with ``{placeholders}``).",
        rebuild="html",
    )
    check_ignore: list[str] = setting(
        [],
        choices(rule_keys()),
        "Rules of ``sphinx-numpy-learn check`` to turn off for the whole project, by id "
        '(``"LRN104"``) or name (``"sentence-case"``).',
        rebuild="",
    )
    check_per_file_ignores: dict[str, list[str]] = setting(
        {},
        dict_of("file patterns", None, choices(rule_keys())),
        "Rules of ``sphinx-numpy-learn check`` to turn off for some files: a dict from a "
        'glob pattern, relative to the source folder (``"tutorials/legacy-*.md"``), to '
        "a list of rule ids or names.",
        rebuild="",
    )
    check_severity: dict[str, str] = setting(
        {},
        dict_of("rule ids or names", rule_keys(), one_of(SEVERITIES)),
        "Change the severity of rules of ``sphinx-numpy-learn check``, e.g. "
        '``{"LRN107": "error"}``. Only ``error`` findings make ``check`` exit with '
        "status 1 (unless ``--fail-on`` says otherwise).",
        rebuild="",
    )
    check_readability: float = setting(
        50.0,
        positive_number(maximum=100),
        "The lowest Flesch reading ease ``sphinx-numpy-learn check`` accepts for the "
        "prose of a tutorial at the easiest level (rule ``LRN107``). 60 to 70 is plain "
        "English; 30 to 50 reads like a textbook.",
        rebuild="",
    )
    check_proper_nouns: list[str] = setting(
        [],
        name_list(max_words=MAX_NAME_WORDS),
        "Names ``sphinx-numpy-learn check`` keeps capitalised in sentence-case headings "
        '(rule ``LRN104``): words or phrases, e.g. ``["Seattle", "Moore\'s Law", '
        '"Johns Hopkins University"]``. A phrase counts where its words appear together, '
        "and a possessive (Moore's) where its name is listed. You need it only for "
        "names a page does not already show: ``check`` also accepts common names "
        "(Python, NumPy, GitHub, Gauss, weekdays, months...) and every name the page's "
        "own prose capitalises in the middle of a sentence.",
        rebuild="",
    )
    meta_description: bool = setting(
        True,
        boolean(),
        'Write ``<meta name="description">`` in the head of every page: for a tutorial '
        "from its metadata (summary or outcome, level, duration), for other pages from "
        "their first paragraph, about 160 characters cut at a word. A page that sets its "
        "own description (``html_meta``, ``.. meta::``) keeps it.",
        rebuild="html",
    )
    opengraph: bool = setting(
        True,
        boolean(),
        "Write OpenGraph and Twitter card tags (``og:title``, ``og:description``, "
        "``og:type``, ``og:site_name``, ``og:url`` when ``html_baseurl`` is set, "
        "``og:image`` when ``learn_opengraph_image`` is, ``twitter:card``) in the head "
        "of every page, for link previews in chats and social networks. Off when the "
        "project loads ``sphinxext.opengraph``.",
        rebuild="html",
    )
    opengraph_image: str = setting(
        "",
        site_address(),
        "The picture link previews show (``og:image``): an ``http(s)://`` address, or a "
        "path from the site's root (``_static/preview.png``), joined to ``html_baseurl``.",
        rebuild="html",
    )
    sitemap: bool = setting(
        True,
        boolean(),
        "Write ``sitemap.xml`` (every page's address, for search engines) next to the "
        "HTML pages when ``html_baseurl`` is set. Off when the project loads "
        "``sphinx_sitemap``.",
        rebuild="",
    )
    json_ld: bool = setting(
        True,
        boolean(),
        "Embed schema.org ``LearningResource`` JSON-LD in the head of each tutorial page.",
        rebuild="html",
    )


def schema_fields() -> Iterator[Field[Any]]:
    """The schema's fields, in declaration order."""
    yield from fields(LearnConfig)


def field_default(schema_field: Field[Any]) -> Any:
    if schema_field.default is not MISSING:
        return schema_field.default
    if schema_field.default_factory is not MISSING:
        return schema_field.default_factory()
    raise TypeError(f"setting {schema_field.name!r} has no default")


def get_learn_config(config: Config) -> LearnConfig:
    """The validated ``learn_*`` settings of a build."""
    return LearnConfig(**{f.name: config[PREFIX + f.name] for f in schema_fields()})


# -- Registration and validation -------------------------------------------------


def register_config(app: Sphinx) -> None:
    for schema_field in schema_fields():
        meta = schema_field.metadata
        app.add_config_value(
            PREFIX + schema_field.name,
            field_default(schema_field),
            meta["rebuild"],
            types=meta["validator"].types,
            description=meta["help"],
        )
    # Early, so that every later config-inited handler (ours, myst-nb's, and
    # Sphinx's own type check at priority 800) sees only valid values.
    app.connect("config-inited", validate_config, priority=300)


def validate_config(app: Sphinx, config: Config) -> None:
    """Warn about invalid or misspelled ``learn_*`` values; fall back to the defaults."""
    # When Sphinx does not let us tell what conf.py set, the unknown-name check is
    # skipped (apply_recommended_defaults says so once).
    user_values = user_set_config_names(config) or set()
    known = {PREFIX + f.name for f in schema_fields()}

    for schema_field in schema_fields():
        name = PREFIX + schema_field.name
        validator: Validator = schema_field.metadata["validator"]
        value = config[name]
        problem = validator.problem(value)
        if problem is None:
            continue
        salvaged = validator.salvage(value) if validator.salvage is not None else None
        if salvaged is not None:
            kept, problems = salvaged
            if validator.problem(kept) is None:
                for part_problem in problems:
                    warn(
                        f"invalid entry in {name!r} ({part_problem}): that entry is left "
                        "out, the rest of the setting is used",
                        subtype="config",
                        location=conf_location(app, name),
                    )
                config[name] = kept
                continue
        default = field_default(schema_field)
        shown_default = f" {default!r}" if len(repr(default)) <= 40 else ""
        warn(
            f"invalid value {value!r} for {name!r} ({problem}): expected "
            f"{validator.accepted}; using the default{shown_default}",
            subtype="config",
            location=conf_location(app, name),
        )
        config[name] = default

    for name in sorted(user_values):
        if name.startswith(PREFIX) and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            warn(
                f"unknown setting {name!r}: sphinx-numpy-learn has no such option{hint}",
                subtype="config",
                location=conf_location(app, name),
            )


def conf_location(app: Sphinx, name: str) -> str | None:
    """``conf.py:LINE`` of the assignment to ``name``, for warnings that point at it."""
    if name in (command_line_overrides(app.config) or {}):
        return None  # set with -D: there is no line to point at
    if app.confdir is None:
        return None
    conf_py = Path(app.confdir, "conf.py")
    try:
        tree = ast.parse(conf_py.read_text(encoding="utf-8"), filename=str(conf_py))
    except (OSError, SyntaxError, ValueError):
        return str(conf_py) if conf_py.exists() else None
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return f"{conf_py}:{node.lineno}"
    return str(conf_py)
