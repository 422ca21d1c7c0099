"""Each private attribute we read, through ``_compat``: read while it is there, and the
caller fails closed (does less, and says so) when a release removes or changes it."""

from __future__ import annotations

import atexit
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils.parsers.rst import directives, roles

from sphinx_numpy_learn import _compat


def test_mystnb_reader_is_found():
    assert callable(_compat.mystnb_reader_factory())


def test_without_mystnb_reader_no_notebook_is_read_before_mystnb(monkeypatch):
    from myst_nb.core import read

    from sphinx_numpy_learn.notebooks.read import myst_nb_read

    monkeypatch.delattr(read, "create_nb_reader")
    assert _compat.mystnb_reader_factory() is None
    # MyST-NB reads (and runs) it itself; we neither read nor judge it.
    assert myst_nb_read(None, Path("broken.ipynb"), "not JSON", None) is None


class _Client:
    def __init__(self, with_cleanup: bool) -> None:
        self.km = object()
        self.kc = None
        self.cleaned = 0
        if with_cleanup:
            self._cleanup_kernel = self.cleanup

    def cleanup(self) -> None:
        self.cleaned += 1


def test_kernel_cleanup_is_unregistered_and_run(monkeypatch):
    from sphinx_numpy_learn.notebooks.run import _stop_kernel

    unregistered = []
    monkeypatch.setattr(atexit, "unregister", unregistered.append)
    client = _Client(with_cleanup=True)
    _stop_kernel(client)
    assert client.cleaned == 1
    assert unregistered == [client._cleanup_kernel]


def test_without_kernel_cleanup_nbclient_keeps_its_own(monkeypatch):
    from sphinx_numpy_learn.notebooks.run import _stop_kernel

    unregistered = []
    monkeypatch.setattr(atexit, "unregister", unregistered.append)
    client = _Client(with_cleanup=False)
    assert _compat.kernel_cleanup(client) is None
    _stop_kernel(client)  # no AttributeError
    assert unregistered == []
    assert client.cleaned == 0


def test_docutils_registries_are_read():
    assert "note" in (_compat.docutils_directive_names() or ())
    assert "emphasis" in (_compat.docutils_role_names() or ())


@pytest.mark.parametrize("changed", ["missing", "not a dict"])
def test_without_docutils_registries_check_reads_less(monkeypatch, tmp_path, changed):
    from sphinx_numpy_learn.check import rst
    from sphinx_numpy_learn.check.parse import PageParser

    if changed == "missing":
        monkeypatch.delattr(directives, "_directive_registry")
        monkeypatch.delattr(roles, "_role_registry")
    else:
        monkeypatch.setattr(directives, "_directive_registry", ["note"])
        monkeypatch.setattr(roles, "_role_registry", ["emphasis"])
    assert _compat.docutils_directive_names() is None
    assert _compat.docutils_role_names() is None
    page = tmp_path / "page.rst"
    page.write_text(
        "A title\n=======\n\n.. note::\n\n   Read as content.\n\nSee :emphasis:`this`.\n",
        encoding="utf-8",
    )
    rst._known_markup.cache_clear()
    try:
        outline = PageParser().parse("page", page).outline
    finally:
        rst._known_markup.cache_clear()
    assert [h.text for h in outline.headings] == ["A title"]
    assert ("Read as content.", 6) in outline.prose
    assert ("See this.", 8) in outline.prose


def test_event_listeners_are_read(root_app):
    app = root_app("tutorials")
    listeners = _compat.event_listeners(app, "config-inited")
    assert listeners
    assert all(callable(listener.handler) for listener in listeners)


@pytest.mark.parametrize(
    "events",
    [
        object(),  # no listeners
        SimpleNamespace(listeners=[]),  # not a mapping
        SimpleNamespace(listeners={"config-inited": [SimpleNamespace(id=1)]}),  # no handler
    ],
)
def test_without_event_listeners_the_late_extension_is_loaded_and_reported(monkeypatch, events):
    from sphinx_numpy_learn.theme import extension

    warnings = []
    loaded = []
    monkeypatch.setattr(extension, "warn", lambda message, **kw: warnings.append(message))
    monkeypatch.setattr(extension, "conf_location", lambda app, name: None)
    app = SimpleNamespace(events=events, setup_extension=loaded.append)
    assert _compat.event_listeners(app, "config-inited") is None
    extension.setup_extension_late(app, "sphinx_numpy_learn")
    assert loaded == ["sphinx_numpy_learn"]
    assert "add extensions = ['sphinx_numpy_learn'] to conf.py" in warnings[0]


def test_without_domain_rebuild_the_domains_are_left_and_reported(monkeypatch):
    from sphinx_numpy_learn.theme import extension

    class Domains(dict):  # neither _from_environment nor _setup
        pass

    domains = Domains(std=object())
    env = SimpleNamespace(domains=domains)
    app = SimpleNamespace(env=env, registry=SimpleNamespace(domains={"std": 0, "learn": 0}))
    assert _compat.rebuild_domains(app, env) is False
    assert env.domains is domains

    class Container:  # Sphinx 8.2+ without the private constructor
        def __contains__(self, name: str) -> bool:
            return name == "std"

    env.domains = container = Container()
    warnings = []
    monkeypatch.setattr(extension, "warn", lambda message, **kw: warnings.append(message))
    monkeypatch.setattr(extension, "conf_location", lambda app, name: None)
    extension._add_late_domains(app)
    assert env.domains is container
    assert "the domains learn" in warnings[0]


def test_math_renderers_are_read(root_app):
    app = root_app("tutorials")
    assert "learn_mathml" in (_compat.html_inline_math_renderers(app) or ())


def test_without_math_renderers_sphinx_chooses(monkeypatch):
    from sphinx_numpy_learn.mathml import prefer_projects_renderer

    app = SimpleNamespace(registry=SimpleNamespace())
    config = SimpleNamespace(html_math_renderer=None)
    assert _compat.html_inline_math_renderers(app) is None
    prefer_projects_renderer(app, config)
    assert config.html_math_renderer is None


def test_mystnb_config_copies_fail_closed():
    from myst_nb.core.config import NbParserConfig

    config = NbParserConfig()
    copied = _compat.copied_mystnb_config(config, execution_mode="cache")
    assert copied.execution_mode == "cache"
    assert _compat.copied_mystnb_config(config, no_such_setting=1) is None
    assert _compat.copied_mystnb_config(config, execution_mode="sometimes") is None  # rejected
    assert _compat.copied_mystnb_config(SimpleNamespace(copy=dict), execution_mode="x") is None


def test_mystnb_settings_on_an_environment_without_them():
    env = SimpleNamespace()
    assert _compat.mystnb_config(env) is None
    assert _compat.myst_config(env) is None
    _compat.set_mystnb_config(env, object())  # nothing to replace: left alone
    assert not hasattr(env, "mystnb_config")


def test_page_asset_names_fail_closed():
    """A page's CSS and script entries whose file name cannot be read are kept: only
    sphinx-design's files, known by name, leave pages without its components."""
    from types import SimpleNamespace

    from sphinx_numpy_learn._compat import asset_filename
    from sphinx_numpy_learn.tabs import drop_design_files

    design = SimpleNamespace(filename="_static/sphinx-design.min.css")
    unknown = SimpleNamespace(filename=None)
    assert asset_filename(design) == "_static/sphinx-design.min.css"
    assert asset_filename("_static/design-tabs.js") == "_static/design-tabs.js"
    assert asset_filename(unknown) is None
    context = {"css_files": [design, unknown], "script_files": ["_static/design-tabs.js"]}
    drop_design_files(context, keep=True)
    assert len(context["css_files"]) == 2
    drop_design_files(context, keep=False)
    assert context == {"css_files": [unknown], "script_files": []}


def test_written_docnames_are_added_to_the_builders_set():
    builder = SimpleNamespace(docnames={"book"})
    env = SimpleNamespace(_app=SimpleNamespace(builder=builder))
    assert _compat.add_written_docnames(env, {"step"})
    assert builder.docnames == {"book", "step"}


@pytest.mark.parametrize(
    "env",
    [
        SimpleNamespace(),
        SimpleNamespace(_app=SimpleNamespace(builder=SimpleNamespace())),
        SimpleNamespace(_app=SimpleNamespace(builder=SimpleNamespace(docnames={}))),
    ],
)
def test_without_written_docnames_nothing_is_added(env):
    assert _compat.add_written_docnames(env, {"step"}) is False


def test_a_book_whose_builder_hides_its_documents_is_reported(root_app, monkeypatch):
    monkeypatch.setattr(
        "sphinx_numpy_learn.path_book.add_written_docnames", lambda env, docnames: False
    )
    documents = [("workshop-book", "workshop.tex", "Arrays workshop", "Us", "manual")]
    app = root_app("components", "latex", confoverrides={"latex_documents": documents})
    app.build()
    assert "does not let the book link between its chapters" in app.warning.getvalue()
    tex = (app.outdir / "workshop.tex").read_text(encoding="utf-8")
    assert "Make arrays" in tex


def test_yaml_safe_load_is_shared_only_over_pyyaml_own(monkeypatch):
    import yaml

    from sphinx_numpy_learn import metadata

    replacement = metadata.shared_safe_load
    # Another library's wrapper is left alone, and so is PyYAML without LibYAML.
    monkeypatch.setattr(yaml, "safe_load", lambda stream: None)
    assert _compat.share_yaml_safe_load(replacement) is False
    assert yaml.safe_load is not replacement
    monkeypatch.setattr(yaml, "safe_load", metadata._PURE_SAFE_LOAD)
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert _compat.share_yaml_safe_load(replacement) is False
    assert yaml.safe_load is metadata._PURE_SAFE_LOAD
    monkeypatch.undo()
    monkeypatch.setattr(yaml, "safe_load", metadata._PURE_SAFE_LOAD)
    assert _compat.share_yaml_safe_load(replacement) is True
    assert yaml.safe_load is replacement
    assert _compat.share_yaml_safe_load(replacement) is True  # once


def test_shared_yaml_load_reads_each_text_once_and_hands_out_copies(monkeypatch):
    import yaml

    from sphinx_numpy_learn import metadata

    loads: list[str] = []
    real_load = yaml.load

    def counting_load(stream, Loader):
        if Loader is metadata.YAML_LOADER:
            loads.append(stream)
        return real_load(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counting_load)
    monkeypatch.setattr(metadata, "_LOADED", {})
    text = "learn:\n  level: beginner\n  tags: [a, b]\njupytext: {x: 1}\n"
    first = metadata.shared_safe_load(text)
    first["learn"]["tags"].append("changed")  # a caller's change stays its own
    second = metadata.shared_safe_load(text)
    assert second == metadata._PURE_SAFE_LOAD(text)
    assert second["learn"]["tags"] == ["a", "b"]
    assert loads == [text]


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\n",  # a broken flow sequence
        "a: 1\n---\nb: 2\n",  # two documents
        "a: \x07bell\n",  # a character PyYAML's reader rejects
        "key: 2021-99-99\n",  # a date PyYAML cannot make
    ],
)
def test_shared_yaml_load_reports_the_pure_loaders_error(text):
    from sphinx_numpy_learn import metadata

    with pytest.raises(metadata.YAML_ERRORS) as pure:
        metadata._PURE_SAFE_LOAD(text)
    with pytest.raises(metadata.YAML_ERRORS) as shared:
        metadata.shared_safe_load(text)
    assert type(shared.value) is type(pure.value)
    assert str(shared.value) == str(pure.value)
