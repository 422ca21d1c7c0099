"""The objects alive for the whole build are frozen while it runs (gc_freeze.py), and
handed back to the garbage collector when it ends, also when it fails."""

from __future__ import annotations

import gc

import pytest
from sphinx.errors import ExtensionError


def frozen_while_building(app) -> dict[str, int]:
    """How many objects are frozen while pages are read and written."""
    seen: dict[str, int] = {}

    def note(event: str):
        def handler(app, *args):
            seen.setdefault(event, gc.get_freeze_count())

        return handler

    app.connect("doctree-read", note("read"))
    app.connect("html-page-context", note("write"))
    return seen


def test_the_build_freezes_what_lives_long_and_hands_it_back(root_app):
    gc.unfreeze()
    app = root_app("basic", "html")
    after_setup = gc.get_freeze_count()
    seen = frozen_while_building(app)
    app.build()
    # The modules and the setup, then the environment, then what reading added.
    assert after_setup > 0
    assert seen["read"] > after_setup
    assert seen["write"] > seen["read"]
    assert gc.get_freeze_count() == 0


def test_a_failed_build_hands_them_back_too(root_app):
    app = root_app("basic", "html")

    def fail(app, doctree):
        raise RuntimeError("a broken extension")

    app.connect("doctree-read", fail)
    with pytest.raises(ExtensionError, match="a broken extension"):
        app.build()
    assert gc.get_freeze_count() == 0


def test_the_collector_is_left_alone_when_asked(root_app):
    gc.unfreeze()
    app = root_app("basic", "html", confoverrides={"learn_gc_freeze": False})
    seen = frozen_while_building(app)
    app.build()
    assert seen == {"read": 0, "write": 0}
    assert gc.get_freeze_count() == 0


def test_check_leaves_nothing_frozen(rootdir):
    # check loads the project with Sphinx (the extension's setup freezes) but builds
    # nothing, so no build-finished would hand the objects back.
    from sphinx_numpy_learn.check.runner import check_project, load_project

    gc.unfreeze()
    project = load_project(rootdir / "test-basic")
    try:
        assert gc.get_freeze_count() == 0
        check_project(project, jobs=2)
        assert gc.get_freeze_count() == 0
    finally:
        project.close()
