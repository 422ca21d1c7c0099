"""The ``learn_*`` schema: validation, warnings, defaults that never override the user."""

from __future__ import annotations

from dataclasses import fields

import pytest

from sphinx_numpy_learn import config as learn_config
from sphinx_numpy_learn.defaults import RECOMMENDED_DEFAULTS
from sphinx_numpy_learn.validators import name_list

from .conftest import warnings_of


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (learn_config.boolean(), [True, False], [0, 1, "yes", None]),
        (
            learn_config.one_of(learn_config.SOLUTION_MODES),
            ["collapsed", "expanded", "end", "dropped"],
            ["hidden", "", None, ["end"]],
        ),
        (
            learn_config.string_mapping({"repository": "", "chat": ""}, urls=("repository",)),
            [{}, {"repository": "https://github.com/o/r", "chat": "#help on Matrix"}],
            [
                {"repo": "https://github.com/o/r"},  # unknown key
                {"repository": "github.com/o/r"},  # not http(s)
                {"repository": "javascript:alert(1)"},
                {"chat": 42},
                ["repository"],
            ],
        ),
        (
            name_list(max_words=3),
            [[], ["Seattle", "Moore's Law", "Johns Hopkins University"], ("Oslo",)],
            ["Seattle", ["1984"], [""], [3], ["New\nYork"], ["One Two Three Four"], None],
        ),
    ],
)
def test_validators(validator, good, bad):
    assert all(validator(value) for value in good)
    assert not any(validator(value) for value in bad)


def test_every_setting_is_documented_and_typed():
    for schema_field in fields(learn_config.LearnConfig):
        meta = schema_field.metadata
        assert meta["help"].strip(), schema_field.name
        assert meta["validator"].accepted, schema_field.name
        assert meta["validator"](learn_config.field_default(schema_field)), schema_field.name
        assert meta["rebuild"] in {"env", "html", ""}


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_settings_are_registered_with_defaults(app):
    assert app.config.learn_recommended_defaults is True
    assert learn_config.get_learn_config(app.config) == learn_config.LearnConfig()


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    freshenv=True,
    confoverrides={"learn_recommended_defaults": 2},
)
def test_invalid_value_warns_and_falls_back(app):
    warnings = warnings_of(app)
    assert "invalid value 2 for 'learn_recommended_defaults'" in warnings
    assert "expected True or False" in warnings
    assert "using the default True" in warnings
    assert "[learn.config]" in warnings
    assert app.config.learn_recommended_defaults is True
    # Sphinx's own type check must not repeat the complaint.
    assert warnings.count("learn_recommended_defaults") == 1


def test_invalid_value_in_conf_py_points_at_its_line(make_app, tmp_path):
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_numpy_learn"]\n'
        'nb_execution_mode = "off"\n'
        "learn_recommended_defaults = 1\n"
        "learn_recomended_defaults = True\n"
    )
    (srcdir / "index.rst").write_text("Title\n=====\n")
    app = make_app("html", srcdir=srcdir)
    warnings = warnings_of(app)
    assert f"{srcdir / 'conf.py'}:3: WARNING: invalid value 1" in warnings
    assert (
        f"{srcdir / 'conf.py'}:4: WARNING: unknown setting 'learn_recomended_defaults'" in warnings
    )
    assert "did you mean 'learn_recommended_defaults'?" in warnings


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    freshenv=True,
    confoverrides={"learn_recommended_defaults": 2, "suppress_warnings": ["learn.config"]},
)
def test_config_warnings_can_be_suppressed(app):
    assert "learn_recommended_defaults" not in warnings_of(app)


@pytest.mark.sphinx("html", testroot="user-config", freshenv=True)
def test_recommended_defaults_never_override_conf_py(app):
    assert app.config.nb_execution_mode == "off"
    # Equal to MyST-NB's default, but set by the user: kept.
    assert app.config.nb_execution_timeout == 30
    # Set through MyST-NB's legacy name: the new name is left alone.
    assert app.config.nb_execution_show_tb is False
    assert list(app.config.myst_enable_extensions) == ["deflist"]
    # Values the user did not set get the recommendation.
    assert app.config.myst_heading_anchors == 3
    # Not recommended: MyST-NB's ExecutionError would stop the build with a traceback
    # (the extension reports failures itself, learn_execution_strict decides).
    assert app.config.nb_execution_raise_on_error is False


@pytest.mark.sphinx(
    "html",
    testroot="user-config",
    freshenv=True,
    confoverrides={"myst_heading_anchors": 1},
)
def test_recommended_defaults_never_override_command_line(app):
    assert app.config.myst_heading_anchors == 1


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_recommended_defaults_apply_when_unset(app):
    recommended = {default.name: default.value_for(app) for default in RECOMMENDED_DEFAULTS}
    assert recommended["nb_execution_cache_path"] == str(app.doctreedir / "jupyter_cache")
    # test-basic sets nb_execution_mode itself, to avoid starting kernels.
    recommended.pop("nb_execution_mode")
    for name, value in recommended.items():
        assert app.config[name] == value, name


@pytest.mark.sphinx(
    "html",
    testroot="user-config",
    freshenv=True,
    confoverrides={"learn_recommended_defaults": False},
)
def test_recommended_defaults_can_be_switched_off(app):
    assert app.config.nb_execution_raise_on_error is False  # MyST-NB's own default
    assert app.config.myst_heading_anchors == 0


def test_compat_reads_what_conf_py_set(make_app, rootdir, tmp_path):
    import shutil

    from sphinx_numpy_learn._compat import user_set_config_names

    srcdir = tmp_path / "user-config"
    shutil.copytree(rootdir / "test-user-config", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"nb_execution_raise_on_error": False})
    names = user_set_config_names(app.config)
    assert names is not None
    assert {"nb_execution_mode", "execution_show_tb", "nb_execution_raise_on_error"} <= names
    assert "myst_heading_anchors" not in names


def test_compat_fails_closed_when_sphinx_changes():
    from sphinx_numpy_learn._compat import command_line_overrides, user_set_config_names

    class RenamedConfig:  # a Sphinx whose Config kept neither attribute
        pass

    class OddConfig:
        _raw_config = None
        overrides = ()

    for config in (RenamedConfig(), OddConfig()):
        assert user_set_config_names(config) is None
    assert command_line_overrides(OddConfig()) is None


def test_recommended_defaults_fail_closed(make_app, rootdir, tmp_path, monkeypatch):
    """If Sphinx no longer says what conf.py set, no default may override the user's
    value: none is applied, and one ``learn.setup`` warning says so."""
    import shutil

    from sphinx_numpy_learn import defaults

    monkeypatch.setattr(defaults, "user_set_config_names", lambda config: None)
    srcdir = tmp_path / "user-config"
    shutil.copytree(rootdir / "test-user-config", srcdir)
    app = make_app("html", srcdir=srcdir)
    assert app.config.nb_execution_mode == "off"
    assert app.config.nb_execution_timeout == 30
    assert app.config.nb_execution_raise_on_error is False  # MyST-NB's own default
    assert app.config.myst_heading_anchors == 0
    warnings = warnings_of(app)
    assert warnings.count("[learn.setup]") == 1, warnings
    assert "recommended MyST-NB defaults are not applied" in warnings


@pytest.mark.parametrize(
    ("name", "value", "kept", "problem"),
    [
        (
            "learn_contributor",
            {"repository": "https://github.com/o/r", "good_first_issue_label": 3},
            {"repository": "https://github.com/o/r"},
            "'good_first_issue_label' is not a string",
        ),
        (
            "learn_contributor",
            {"repository": "https://github.com/o/r", "host": "bitbucket"},
            {"repository": "https://github.com/o/r"},
            "'host' is none of 'github', 'gitlab'",
        ),
        (
            "learn_contributor",
            {"repository": "git@github.com:o/r.git", "branch": "dev"},
            {"branch": "dev"},
            "'repository' is not an http(s) address",
        ),
        (
            "learn_check_severity",
            {"LRN104": "error", "LRN999": "error"},
            {"LRN104": "error"},
            "unknown key 'LRN999'",
        ),
        (
            "learn_check_proper_nouns",
            ["Seattle", 42, "Moore's Law"],
            ["Seattle", "Moore's Law"],
            "42 is not text",
        ),
    ],
)
def test_a_bad_entry_of_a_dict_setting_is_left_out_alone(
    make_app, rootdir, tmp_path, name, value, kept, problem
):
    import shutil

    srcdir = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={name: value})
    warnings = warnings_of(app)
    assert f"invalid entry in {name!r} ({problem}): that entry is left out" in warnings
    assert warnings.count("[learn.config]") == 1
    assert app.config[name] == kept
