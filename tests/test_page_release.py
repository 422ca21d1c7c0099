"""Each written page's doctree and translators are released when the page is written,
without waiting for a full garbage collection (sphinx_numpy_learn.nodes_util.release_page).
Peak memory itself is measured in benchmarks/stacks.py, not here."""

from __future__ import annotations

import gc
import re
import weakref
from types import SimpleNamespace

from sphinx.writers.html5 import HTML5Translator

from sphinx_numpy_learn import _compat


def build_without_collections(app) -> tuple[int, int, int]:
    """Build ``app``; once the pages are read (and the reading's garbage collected),
    only reference counting frees anything. Returns the nodes of the written pages,
    how many of them are still alive, and the translators still alive."""
    nodes: list[weakref.ref] = []

    def stop_collecting(app, env):
        gc.collect()
        gc.disable()

    def keep(app, doctree, docname):
        nodes.extend(weakref.ref(node) for node in doctree.findall(include_self=False))

    app.connect("env-updated", stop_collecting)
    app.connect("doctree-resolved", keep)
    try:
        app.build()
        alive = sum(ref() is not None for ref in nodes)
        translators = sum(isinstance(item, HTML5Translator) for item in gc.get_objects())
    finally:
        gc.enable()
    assert app.statuscode == 0
    return len(nodes), alive, translators


def test_written_pages_are_released_without_a_collection(root_app, monkeypatch, tmp_path):
    released = root_app("components")
    total, alive, translators = build_without_collections(released)
    # Nodes the parsers still hold (the last page each one read) stay, until the next
    # page they read or a collection; no page keeps its whole tree, no translator stays.
    assert translators == 0
    assert alive < total

    monkeypatch.setattr(_compat, "after_each_page_written", lambda builder, release: False)
    kept = root_app.again(released.srcdir, outdir=tmp_path / "kept", freshenv=True)
    kept_total, kept_alive, kept_translators = build_without_collections(kept)
    # Without the release every page's tree stays, in its reference cycles (but for
    # a node replaced after ``doctree-resolved``).
    assert kept_total == total
    assert kept_alive > total * 0.95
    assert kept_translators > 0
    assert alive < total * 0.8

    # The same pages either way.
    for page in sorted(released.outdir.glob("*.html")):
        written = page.read_text(encoding="utf-8")
        assert written == (kept.outdir / page.name).read_text(encoding="utf-8"), page.name


def test_a_warning_held_back_until_the_pages_are_written_keeps_its_location(root_app):
    """Sphinx holds back the warnings of a serial write phase and reads their node's
    file:line when it ends, after the page is released: the node's ancestors stay."""
    app = root_app("components", confoverrides={"learn_contributor": {"guide": "no-such-label"}})
    app.build()
    warnings = [line for line in app.warning.getvalue().splitlines() if "undefined label" in line]
    assert warnings, app.warning.getvalue()
    for warning in warnings:
        assert re.search(rf"{re.escape(str(app.srcdir))}/\w+\.rst:\d+: WARNING", warning), warning


def test_parallel_build_releases_pages_too(root_app):
    app = root_app("components", parallel=2)
    app.build()
    assert app.statuscode == 0


def test_a_builder_without_the_known_methods_is_left_alone():
    def release(doctree, translators):
        raise AssertionError("never called")

    assert _compat.after_each_page_written(SimpleNamespace(), release) is False

    class Builder:
        def write_doc(self, docname, doctree):
            pass

        def create_translator(self, *args):
            return SimpleNamespace()

    builder = Builder()
    assert _compat.after_each_page_written(builder, release) is True
    # Wrapped once only.
    assert _compat.after_each_page_written(builder, release) is False
