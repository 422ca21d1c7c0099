"""The ``learn_*`` schema: validation, warnings, defaults that never override the user."""

from __future__ import annotations

from dataclasses import fields

import pytest

from sphinx_numpy_learn import config as learn_config
from sphinx_numpy_learn.defaults import RECOMMENDED_DEFAULTS

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
    assert app.config.nb_execution_raise_on_error is True
    assert app.config.myst_heading_anchors == 3


@pytest.mark.sphinx(
    "html",
    testroot="user-config",
    freshenv=True,
    confoverrides={"nb_execution_raise_on_error": False},
)
def test_recommended_defaults_never_override_command_line(app):
    assert app.config.nb_execution_raise_on_error is False


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
