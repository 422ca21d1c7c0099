"""Each written page's doctree and translators are released when the page is written,
without waiting for a full garbage collection (sphinx_numpy_learn.nodes_util.release_page).
Peak memory itself is measured in benchmarks/stacks.py, not here."""

from __future__ import annotations

import gc
import re
import weakref
from types import MethodType, SimpleNamespace

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
    # Earlier tests' garbage, which the build would freeze with its own (gc_freeze.py).
    gc.collect()
    released = root_app("components")
    total, alive, translators = build_without_collections(released)
    # Nodes the parsers still hold (the last page each one read) stay, until the next
    # page they read or a collection; no page keeps its whole tree, no translator stays.
    assert translators == 0
    assert alive < total

    monkeypatch.setattr(_compat, "after_each_page_written", lambda builder, release: False)
    gc.collect()
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


def test_translators_carry_the_node_handlers_as_methods_of_a_subclass(root_app):
    """No bound method is set on each translator (one ``setattr`` per handler, and a
    reference cycle); the handlers are methods of a subclass made once."""
    app = root_app("components")
    made = []
    create_translator = app.builder.create_translator

    def recording(*args):
        translator = create_translator(*args)
        made.append(translator)
        bound = [value for value in vars(translator).values() if isinstance(value, MethodType)]
        assert not bound
        return translator

    app.builder.create_translator = recording
    app.build()
    assert app.statuscode == 0
    handlers = app.registry.translation_handlers["html"]
    assert "exercise" in handlers  # one of ours, registered with add_node
    assert len(made) > 1
    assert len({type(translator) for translator in made}) == 1  # the subclass is made once
    first = made[0]
    assert isinstance(first, app.registry.get_translator_class(app.builder))
    for name, (visit, depart) in handlers.items():
        method = getattr(first, f"visit_{name}")
        assert method.__self__ is first
        assert method.__func__ is visit, name  # Sphinx's and ours are plain functions
        if depart:
            assert getattr(first, f"depart_{name}").__func__ is depart, name


def test_a_handler_that_is_not_a_function_still_gets_the_translator():
    from functools import partial

    seen = []

    def visit(prefix, translator, node):
        seen.append((prefix, translator, node))

    class Translator:
        def __init__(self, document):
            self.document = document

    builder = SimpleNamespace(name="html", format="html")
    builder._registry = SimpleNamespace(
        translation_handlers={"html": {"thing": (partial(visit, "p"), None)}},
        get_translator_class=lambda builder: Translator,
    )
    create = _compat.class_handler_translators(builder)
    translator = create("doc")
    translator.visit_thing("node")
    assert seen == [("p", translator, "node")]
    assert not hasattr(translator, "depart_thing")
    assert _compat.class_handler_translators(SimpleNamespace()) is None
